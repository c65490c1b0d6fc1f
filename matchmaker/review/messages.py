"""Reviewer-facing explanations of the operations' refusals, in the page's language."""

from flask_babel import gettext as _

from matchmaker.review.operations import MAX_NOTE_LENGTH, ReviewError


def review_error_message(exc: ReviewError) -> str:
    """One sentence saying why an action was refused."""
    messages = {
        "not_found": _("This pair does not exist."),
        "forbidden": _("Your account cannot act on pairs."),
        "bad_decision": _("Choose whether to approve or reject the pair."),
        "closed": _("This pair can no longer be approved or rejected."),
        "note_too_long": _("The note is too long (%(max)s characters at most).", max=MAX_NOTE_LENGTH),
        "empty_note": _("The note is empty."),
        "bad_outcome": _("Choose what came of the pair."),
        "bad_date": _("Give a valid date that is not in the future."),
        "not_introduced": _("An outcome can be recorded once both local governments have been introduced."),
        "bad_choice": _("Choose “interested” or “not interested”."),
    }
    return messages.get(exc.reason, _("This action could not be done."))
