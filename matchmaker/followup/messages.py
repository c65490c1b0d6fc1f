"""Explanations of the follow-through operations' refusals, in the page's language."""

from flask_babel import gettext as _

from matchmaker.followup.operations import MAX_NOTE, MAX_PROPOSALS, FollowupError


def followup_error_message(exc: FollowupError) -> str:
    """One sentence saying why a choice or an action was refused."""
    messages = {
        "confirmed": _("This call is already confirmed."),
        "bad_slot": _("One of the times chosen is no longer proposed. Please choose again."),
        "too_many": _("Propose at most %(n)s other times.", n=MAX_PROPOSALS),
        "bad_time": _("Propose times at least 12 hours ahead and within the next four months, as a date and an hour."),
        "nothing_chosen": _("Tick at least one time, or propose another one."),
        "forbidden": _("Your account cannot act on pairs."),
        "bad_link": _("The video-meeting link must be a web address starting with https:// or http://."),
        "note_too_long": _("The note is too long (%(max)s characters at most).", max=MAX_NOTE),
        "no_call": _("No first call has been proposed for this pair."),
    }
    return messages.get(exc.reason, _("This action could not be done."))
