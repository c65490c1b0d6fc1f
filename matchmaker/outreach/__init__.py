"""Outreach: invitation campaigns to the collectivités of the reference lists, with reminders and follow-up."""
