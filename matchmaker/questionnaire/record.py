"""The questionnaire record: the one shape shared by the web form, file import, export and matching.

A *record* is a plain dict with the fields below. ``validate_record`` (validation.py) turns whatever a
person typed or a file held into a *clean* record; this module knows the field list, the limits, how a
stored response is turned back into a record (and a record into the form's draft answers, which the form and
the operations that reopen a submitted response both need), and how cells are written to and read from
spreadsheets.

A stored response becomes record fields in one place, ``answers_of``: from ORM objects (one response) or
from rows of a set-based read of the same columns (the nightly recompute reads every response at once).
``response_to_record`` adds the contact and consents to make the clean record; ``matching_record`` adds the
collectivité id and the encoder vectors to make what the matcher is given (``matching.Profile.from_record``).
"""

from __future__ import annotations

import json
import re
from operator import attrgetter
from typing import Any, Iterable, Mapping, Sequence

#: Every field of a record, in the column order of exports.
FIELDS = (
    "name",
    "name_local",
    "country",
    "level",
    "code",
    "population",
    "region",
    "contact_name",
    "contact_role",
    "contact_email",
    "language",
    "digest_frequency",
    "themes",
    "sectors",
    "partner_levels",
    "cooperation_kinds",
    "working_languages",
    "existing_partners",
    "description",
    "consent_contact",
    "consent_share",
)
LIST_FIELDS = ("sectors", "partner_levels", "cooperation_kinds", "working_languages", "existing_partners")
BOOL_FIELDS = ("consent_contact", "consent_share")
#: Who a collectivité is: the record fields read from its Collectivite.
IDENTITY_FIELDS = ("name", "name_local", "country", "level", "code", "population", "region")
#: The answers the matcher reads besides the identity: the record fields read from the Response and its themes.
ANSWER_FIELDS = ("language", "themes", *LIST_FIELDS, "description")
_MATCHING_FIELDS = (*IDENTITY_FIELDS, *ANSWER_FIELDS)
#: Text fields the matcher is given as "" when empty.
_MATCHING_TEXTS = ("name_local", "code", "region", "description")
#: What a stored response is read as, in this order: its collectivité's identity, then its answers besides the
#: themes (ORM objects through stored_values; the bulk reads select these columns in this order).
STORED_FIELDS = (*IDENTITY_FIELDS, "language", *LIST_FIELDS, "description")
_identity_of = attrgetter(*IDENTITY_FIELDS)
_answers_of = attrgetter(*STORED_FIELDS[len(IDENTITY_FIELDS) :])
#: Fields a record must have before it can be submitted (consents must also be true, themes non-empty).
REQUIRED_FIELDS = (
    "name",
    "country",
    "level",
    "contact_name",
    "contact_email",
    "language",
    "themes",
    "consent_contact",
    "consent_share",
)
#: Optional fields whose absence makes a response less useful for matching ("missing fields" in staff's list).
RECOMMENDED_FIELDS = ("population", "region", "sectors", "partner_levels", "cooperation_kinds", "description")

#: Longest accepted text, per field (characters).
MAX_LENGTH = {
    "name": 200,
    "name_local": 200,
    "code": 16,
    "region": 200,
    "contact_name": 200,
    "contact_role": 200,
    "contact_email": 254,
    "description": 4000,
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


def stored_values(collectivite: Any, response: Any) -> tuple[Any, ...]:
    """The STORED_FIELDS of a stored Response and its Collectivite (identity None for a draft with no collectivité)."""
    identity = _identity_of(collectivite) if collectivite is not None else (None,) * len(IDENTITY_FIELDS)
    return (*identity, *_answers_of(response))


def theme_triples(interests: Iterable[Any]) -> list[tuple[str, int, str]]:
    """A response's ThemeInterest objects as (theme_code, priority, stance), as the bulk reads select them."""
    return [(t.theme_code, t.priority, t.stance) for t in interests]


def answers_of(values: Sequence[Any], themes: Iterable[tuple[str, int, str]]) -> dict[str, Any]:
    """The identity and answers of a stored response as record fields (IDENTITY_FIELDS and ANSWER_FIELDS).

    The one conversion of a stored response into a record, for one response read through the ORM
    (stored_values, theme_triples) and for every response read at once in plain rows by the nightly
    recompute (the same values in the same order): ``values`` are the STORED_FIELDS, ``themes`` the
    (theme_code, priority, stance) of its themes.
    """
    out = dict(zip(STORED_FIELDS, values))
    for name in LIST_FIELDS:
        out[name] = list(out[name] or [])
    out["themes"] = {code: {"priority": priority, "stance": stance} for code, priority, stance in sorted(themes)}
    return out


def response_to_record(response) -> dict[str, Any]:
    """The current answers of a stored Response (and its Collectivite) as a clean record."""
    record = empty_record()
    record.update(answers_of(stored_values(response.collectivite, response), theme_triples(response.themes)))
    record.update(
        contact_name=response.contact_name,
        contact_role=response.contact_role,
        contact_email=response.contact_email,
        digest_frequency=response.digest_frequency,
        consent_contact=bool(response.consent_contact),
        consent_share=bool(response.consent_share),
    )
    return record


def matching_record(
    answers: Mapping[str, Any], id: int, embedding: Any = None, sentence_embeddings: Any = None
) -> dict[str, Any]:
    """What the matcher is given for a response (``matching.Profile.from_record``), from ``answers_of``.

    Keyed by the collectivité's id, with empty texts as "" and the description's stored encoder vectors (None
    when not encoded). Contact and consents are left out: the matcher never reads them, and the nightly
    recompute's digest of each record then changes only when something the scores depend on does.
    """
    record = {"id": id}
    for name in _MATCHING_FIELDS:
        record[name] = answers.get(name)
    for name in _MATCHING_TEXTS:
        record[name] = record[name] or ""
    record["embedding"], record["sentence_embeddings"] = embedding, sentence_embeddings
    return record


def record_to_answers(record: Mapping[str, Any]) -> dict[str, Any]:
    """A clean record as draft answers (text for the form's inputs)."""
    answers: dict[str, Any] = {}
    for name in FIELDS:
        value = record.get(name)
        if name == "themes":
            answers[name] = {
                code: {"priority": str(t["priority"]), "stance": t["stance"]} for code, t in (value or {}).items()
            }
        elif name in LIST_FIELDS:
            answers[name] = list(value or [])
        elif name in BOOL_FIELDS:
            answers[name] = "true" if value else "false"
        else:
            answers[name] = "" if value is None else str(value)
    return answers


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
