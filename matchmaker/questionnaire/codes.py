"""The codes a questionnaire answer may use, and their labels in the reader's language.

Themes, sectors and kinds of cooperation come from the taxonomy (data/taxonomy.json), levels from the
reference lists (data/levels.json): labels are data, not gettext, so every area shows the same words.
Working languages are plain ISO 639-1 codes whose names are translated here.
"""
from __future__ import annotations

from functools import lru_cache

from flask_babel import get_locale, lazy_gettext as _l

from matchmaker import reference

#: Languages a collectivité may work in with a partner (ISO 639-1).
WORKING_LANGUAGES = {
    "fr": _l("French"), "ko": _l("Korean"), "en": _l("English"), "de": _l("German"), "es": _l("Spanish"),
    "zh": _l("Chinese"), "ja": _l("Japanese"),
}
COUNTRY_LABELS = {"FR": _l("France"), "KR": _l("Korea")}


def _lang(lang: str | None) -> str:
    if lang:
        return lang
    try:
        return str(get_locale() or "en")
    except RuntimeError:  # outside a request: English
        return "en"


@lru_cache(maxsize=None)
def theme_codes() -> tuple[str, ...]:
    """Every theme code, in the taxonomy's order."""
    from matchmaker import taxonomy

    return taxonomy.codes("themes")


@lru_cache(maxsize=None)
def sector_codes() -> tuple[str, ...]:
    """Every sector-of-excellence code."""
    from matchmaker import taxonomy

    return taxonomy.codes("sectors")


@lru_cache(maxsize=None)
def cooperation_kind_codes() -> tuple[str, ...]:
    """Every kind of cooperation (twinning, friendship pact, project …)."""
    from matchmaker import taxonomy

    return taxonomy.codes("cooperation_kinds")


def working_language_codes() -> tuple[str, ...]:
    """Every working-language code."""
    return tuple(WORKING_LANGUAGES)


@lru_cache(maxsize=None)
def level_codes(country: str | None = None) -> tuple[str, ...]:
    """Level codes of one country, or of both."""
    levels = reference.load_levels() if country is None else reference.levels_for_country(country)
    return tuple(level.code for level in levels)


def label(kind: str, code: str, lang: str | None = None) -> str:
    """The label of a theme, sector, kind of cooperation, level or working language."""
    lang = _lang(lang)
    if kind == "levels":
        return level_label(code, lang)
    if kind == "working_languages":
        return str(WORKING_LANGUAGES.get(code, code))
    from matchmaker import taxonomy

    try:
        return taxonomy.label(kind, code, lang)
    except KeyError:
        return code


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
    if kind == "themes":
        items = theme_codes()
    elif kind == "sectors":
        items = sector_codes()
    elif kind == "cooperation_kinds":
        items = cooperation_kind_codes()
    elif kind == "working_languages":
        items = working_language_codes()
    elif kind == "levels":
        items = level_codes(country)
    else:
        raise ValueError(f"unknown kind {kind!r}")
    return [(code, label(kind, code, lang)) for code in items]
