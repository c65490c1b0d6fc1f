"""Labels shown in the review workspace: states, decisions, outcomes in gettext; themes and levels from data/."""

from __future__ import annotations

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from matchmaker import reference
from matchmaker.models.collectivite import reader_name
from matchmaker.questionnaire.codes import label
from matchmaker.questionnaire.codes import theme_codes as codes

# the labels of the fixed codes: the review templates read them through this module
from matchmaker.vocabulary import COUNTRY_LABELS, DIMENSION_LABELS, ORG_LABELS, STANCE_LABELS  # noqa: F401

STATE_LABELS = {
    "suggested": _l("Suggested"),
    "approved": _l("Approved by both"),
    "rejected": _l("Rejected"),
    "introduced": _l("Introduced"),
    "mutual": _l("Mutual interest"),
    "declined": _l("Declined"),
}
DECISION_LABELS = {"approve": _l("Approved"), "reject": _l("Rejected"), None: _l("Not yet decided")}
ANSWER_LABELS = {"interested": _l("Interested"), "not_interested": _l("Not interested"), None: _l("No answer yet")}
OUTCOME_LABELS = {
    "meeting": _l("Meeting held"),
    "letter_of_intent": _l("Letter of intent"),
    "agreement": _l("Agreement signed"),
    "no_follow_up": _l("No follow-up"),
}


def current_language() -> str:
    """The language of the page being rendered (fr, ko or en)."""
    return str(get_locale() or "fr")


def level_label(code: str | None, lang: str | None = None) -> str:
    """A level code ("commune", "gu") in words, in the page's language."""
    if not code:
        return ""
    try:
        return reference.get_level(code).label(lang or current_language())
    except KeyError:
        return code


def code_label(kind: str, code: str, lang: str | None = None) -> str:
    """A code of the questionnaire (themes, sectors, cooperation_kinds, working_languages, levels) in words."""
    return label(kind, code, lang or current_language())


def theme_label(code: str, lang: str | None = None) -> str:
    """A theme code in words."""
    return code_label("themes", code, lang)


def theme_codes() -> tuple[str, ...]:
    """Every theme code, in the taxonomy's order."""
    return codes()


def local_name(name: str, name_local: str | None, lang: str | None = None) -> str:
    """A collectivité's name for a reader: Hangul for Korean readers when known, the romanised name otherwise."""
    return reader_name(name, name_local, lang or current_language(), with_original=True)
