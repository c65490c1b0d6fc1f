"""The public questionnaire: forms, validation, drafts, private links, file import and export."""
