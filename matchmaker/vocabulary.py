"""The service's fixed codes and their labels, one spelling each: languages, countries, stances, organisations,
score dimensions (design: "Codes"). Imports, exports, stored rows and tests rely on them.

The matching library imports nothing of the app, so the codes it reads are defined in it
(:mod:`matchmaker.matching.codes`) and re-exported here; the app reads every fixed code from this module.
Themes, sectors, kinds of cooperation and levels are data (``data/taxonomy.json``, ``data/levels.json``).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from matchmaker.matching.codes import COUNTRIES, DIMENSIONS, LANGUAGES, STANCES

__all__ = [
    "COUNTRIES",
    "COUNTRY_LABELS",
    "COUNTRY_OF_ORG",
    "DEFAULT_LANGUAGE",
    "DIMENSIONS",
    "DIMENSION_LABELS",
    "LANGUAGES",
    "LANGUAGE_NAMES",
    "LANGUAGE_OF_COUNTRY",
    "ORGS",
    "ORG_LABELS",
    "ORG_OF_COUNTRY",
    "STANCES",
    "STANCE_LABELS",
    "known_language",
]

#: The language of the service when nothing else is known (the associations work in French).
DEFAULT_LANGUAGE = "fr"
#: The language a collectivité of each country, or its association's staff, reads when nothing else is known.
LANGUAGE_OF_COUNTRY = {"FR": "fr", "KR": "ko"}
#: Each language in its own words, as the language switch and the contact form offer them.
LANGUAGE_NAMES = {"fr": "Français", "ko": "한국어", "en": "English"}

#: The two associations: Cités Unies France looks after the French side, GAROK after the Korean side.
ORGS = ("CUF", "GAROK")
COUNTRY_OF_ORG = {"CUF": "FR", "GAROK": "KR"}
ORG_OF_COUNTRY = {country: org for org, country in COUNTRY_OF_ORG.items()}

COUNTRY_LABELS = {"FR": _l("France"), "KR": _l("Korea")}
ORG_LABELS = {"CUF": "Cités Unies France", "GAROK": "GAROK"}
STANCE_LABELS = {"offer": _l("offers experience"), "seek": _l("seeks experience"), "both": _l("offers and seeks")}
DIMENSION_LABELS = {
    "themes": _l("Themes"),
    "complementarity": _l("Complementarity"),
    "sectors": _l("Sectors"),
    "size": _l("Size and level"),
    "text": _l("Presentations"),
}


def known_language(lang: str | None, default: str = DEFAULT_LANGUAGE) -> str:
    """``lang`` when it is a language of the service, ``default`` otherwise (a stored or typed value may be neither)."""
    return lang if lang in LANGUAGES else default
