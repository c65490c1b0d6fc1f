"""The questionnaire record: the one shape shared by the web form, file import, export and matching.

A *record* is a plain dict with the fields below. ``validate_record`` (validation.py) turns whatever a
person typed or a file held into a *clean* record; this module knows the field list, the limits, how a
stored response is turned back into a record, and how cells are written to and read from spreadsheets.
"""
from __future__ import annotations

import json
import re
from typing import Any, Iterable, Mapping

#: Every field of a record, in the column order of exports.
FIELDS = (
    "name", "name_local", "country", "level", "code", "population", "region",
    "contact_name", "contact_role", "contact_email", "language", "digest_frequency",
    "themes", "sectors", "partner_levels", "cooperation_kinds", "working_languages",
    "existing_partners", "description", "consent_contact", "consent_share",
)
LIST_FIELDS = ("sectors", "partner_levels", "cooperation_kinds", "working_languages", "existing_partners")
BOOL_FIELDS = ("consent_contact", "consent_share")
#: Fields a record must have before it can be submitted (consents must also be true, themes non-empty).
REQUIRED_FIELDS = ("name", "country", "level", "contact_name", "contact_email", "language",
                   "themes", "consent_contact", "consent_share")
#: Optional fields whose absence makes a response less useful for matching ("missing fields" in staff's list).
RECOMMENDED_FIELDS = ("population", "region", "sectors", "partner_levels", "cooperation_kinds", "description")

#: Longest accepted text, per field (characters).
MAX_LENGTH = {
    "name": 200, "name_local": 200, "code": 16, "region": 200, "contact_name": 200, "contact_role": 200,
    "contact_email": 254, "description": 4000,
}
MAX_PARTNER_LENGTH = 200
MAX_PARTNERS = 50
MAX_POPULATION = 100_000_000

DIGEST_FREQUENCIES = ("weekly", "monthly", "never")
DEFAULT_DIGEST_FREQUENCY = "monthly"

#: A spreadsheet program runs a cell that starts with one of these as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_ESCAPED = re.compile(r"^'+[=+\-@\t\r]")


def empty_record() -> dict[str, Any]:
    """A record with every field at its empty value."""
    record: dict[str, Any] = {name: None for name in FIELDS}
    record.update({name: [] for name in LIST_FIELDS})
    record.update({name: False for name in BOOL_FIELDS})
    record["themes"] = {}
    return record


def response_to_record(response) -> dict[str, Any]:
    """The current answers of a stored Response (and its Collectivite) as a clean record."""
    coll = response.collectivite
    record = empty_record()
    if coll is not None:
        record.update(name=coll.name, name_local=coll.name_local, country=coll.country, level=coll.level,
                      code=coll.code, population=coll.population, region=coll.region)
    record.update(
        contact_name=response.contact_name, contact_role=response.contact_role, contact_email=response.contact_email,
        language=response.language, digest_frequency=response.digest_frequency,
        themes={t.theme_code: {"priority": t.priority, "stance": t.stance} for t in sorted(response.themes, key=lambda t: t.theme_code)},
        sectors=list(response.sectors or []), partner_levels=list(response.partner_levels or []),
        cooperation_kinds=list(response.cooperation_kinds or []), working_languages=list(response.working_languages or []),
        existing_partners=list(response.existing_partners or []), description=response.description,
        consent_contact=bool(response.consent_contact), consent_share=bool(response.consent_share),
    )
    return record


def missing_recommended(record: Mapping[str, Any]) -> list[str]:
    """The recommended fields a record leaves empty."""
    return [name for name in RECOMMENDED_FIELDS if record.get(name) in (None, "", [], {})]


# --- spreadsheet cells ------------------------------------------------------------------------------------


def neutralise_formula(text: str) -> str:
    """Prefix an apostrophe to text a spreadsheet would run as a formula (reversed by ``restore_formula``)."""
    if text and (text[0] in FORMULA_START or _ESCAPED.match(text)):
        return "'" + text
    return text


def restore_formula(text: str) -> str:
    """Undo ``neutralise_formula``: drop the one apostrophe added before a formula-like start."""
    if _ESCAPED.match(text):
        return text[1:]
    return text


def list_to_cell(values: Iterable[str]) -> str:
    """A list as one cell: items joined with ';', or a JSON array when an item holds ';' or starts like JSON."""
    values = list(values)
    if any(";" in v or v.lstrip().startswith(("[", "{")) for v in values):
        return json.dumps(values, ensure_ascii=False)
    return ";".join(values)


def themes_to_cell(themes: Mapping[str, Mapping[str, Any]]) -> str:
    """Themes as one cell: ``code:priority:stance`` items joined with ';'."""
    return ";".join(f"{code}:{t['priority']}:{t['stance']}" for code, t in themes.items())


def record_to_row(record: Mapping[str, Any]) -> dict[str, Any]:
    """A clean record as a flat spreadsheet row (lists and themes as text; numbers stay numbers)."""
    row: dict[str, Any] = {}
    for name in FIELDS:
        value = record.get(name)
        if name == "themes":
            value = themes_to_cell(value or {})
        elif name in LIST_FIELDS:
            value = list_to_cell(value or [])
        elif name in BOOL_FIELDS:
            value = "true" if value else "false"
        elif value is None:
            value = ""
        row[name] = value
    return row
