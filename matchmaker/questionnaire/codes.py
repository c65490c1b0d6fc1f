"""The codes a questionnaire answer may use, and their labels in the reader's language.

Themes, sectors, kinds of cooperation, stances, priorities and working languages come from the taxonomy
(data/taxonomy.json), levels from the reference lists (data/levels.json): labels are data, not gettext,
so every area shows the same words.
"""

from __future__ import annotations

from functools import lru_cache

from flask_babel import get_locale

from matchmaker import reference, taxonomy
from matchmaker.vocabulary import COUNTRY_LABELS

#: The taxonomy kind behind each list field of a record.
KIND_OF_FIELD = {
    "sectors": "sectors",
    "cooperation_kinds": "cooperation_kinds",
    "working_languages": "languages",
    "partner_levels": "levels",
    "themes": "themes",
}


def _lang(lang: str | None) -> str:
    if lang:
        return lang
    try:
        return str(get_locale() or "en")
    except RuntimeError:  # outside a request: English
        return "en"


@lru_cache(maxsize=None)
def _codes(kind: str) -> tuple[str, ...]:
    return tuple(str(code) for code in taxonomy.load_taxonomy().codes(kind))


def theme_codes() -> tuple[str, ...]:
    """Every theme code, in the taxonomy's order."""
    return _codes("themes")


def sector_codes() -> tuple[str, ...]:
    """Every sector-of-excellence code."""
    return _codes("sectors")


def cooperation_kind_codes() -> tuple[str, ...]:
    """Every kind of cooperation (twinning, friendship pact, project …)."""
    return _codes("cooperation_kinds")


def working_language_codes() -> tuple[str, ...]:
    """Every working-language code (ISO 639-1)."""
    return _codes("languages")


@lru_cache(maxsize=None)
def level_codes(country: str | None = None) -> tuple[str, ...]:
    """Level codes of one country, or of both."""
    levels = reference.load_levels() if country is None else reference.levels_for_country(country)
    return tuple(level.code for level in levels)


def label(kind: str, code: str, lang: str | None = None) -> str:
    """The label of a theme, sector, kind of cooperation, stance, priority, language or level."""
    lang = _lang(lang)
    kind = KIND_OF_FIELD.get(kind, kind)
    if kind == "levels":
        return level_label(code, lang)
    try:
        return taxonomy.label(kind, code, lang)
    except KeyError:
        return str(code)


def help_text(kind: str, code: str, lang: str | None = None) -> str:
    """The one-sentence explanation of a theme, sector, kind of cooperation or stance ('' if none)."""
    try:
        return taxonomy.load_taxonomy().concept(KIND_OF_FIELD.get(kind, kind), code).help_in(_lang(lang))
    except KeyError:
        return ""


def level_label(code: str, lang: str | None = None) -> str:
    """A level's name in the reader's language; the code itself when unknown."""
    try:
        return reference.get_level(code).label(_lang(lang))
    except KeyError:
        return code


def country_label(country: str) -> str:
    """France or Korea, in the reader's language."""
    return str(COUNTRY_LABELS.get(country, country))


def choices(kind: str, lang: str | None = None, country: str | None = None) -> list[tuple[str, str]]:
    """(code, label) pairs for a form's checkboxes or options."""
    lang = _lang(lang)
    kind = KIND_OF_FIELD.get(kind, kind)
    items = level_codes(country) if kind == "levels" else _codes(kind)
    return [(code, label(kind, code, lang)) for code in items]
