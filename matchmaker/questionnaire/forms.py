"""The multi-step web form: which fields each step holds, and how posted form data becomes draft answers.

Draft answers keep what was typed, as text (``"68 000"`` stays ``"68 000"``), so a validation error or a lost
session never loses anything; validation.py turns them into a clean record when the step or the whole
response is checked.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from matchmaker.questionnaire import codes
from matchmaker.questionnaire.record import BOOL_FIELDS, FIELDS, LIST_FIELDS
from matchmaker.questionnaire.validation import validate_record

MAX_FIELD_CHARS = 20_000  # anything longer is cut before it is kept in a draft (the limits are far lower)


@dataclass(frozen=True)
class Step:
    """One page of the questionnaire."""

    name: str
    title: Any
    fields: tuple[str, ...]
    required: tuple[str, ...] = ()


STEPS = (
    Step(
        "identity",
        _l("Your local government"),
        ("country", "name", "name_local", "level", "code", "population", "region"),
        ("country", "name", "level"),
    ),
    Step(
        "contact",
        _l("Contact and consent"),
        (
            "contact_name",
            "contact_role",
            "contact_email",
            "language",
            "digest_frequency",
            "consent_contact",
            "consent_share",
        ),
        ("contact_name", "contact_email", "language", "consent_contact", "consent_share"),
    ),
    Step("themes", _l("Themes"), ("themes",), ("themes",)),
    Step(
        "partners",
        _l("Sectors and partners sought"),
        ("sectors", "partner_levels", "cooperation_kinds", "working_languages"),
    ),
    Step("presentation", _l("Existing partners and presentation"), ("existing_partners", "description")),
    Step("review", _l("Review and submit"), ()),
)
STEP_NAMES = tuple(step.name for step in STEPS)
STEP_BY_NAME = {step.name: step for step in STEPS}
FIELD_STEP = {name: step.name for step in STEPS for name in step.fields}


def step_of(field: str) -> str:
    """The step showing a field (``themes.smart_city`` is on the themes step)."""
    return FIELD_STEP.get(field.split(".", 1)[0], "identity")


def neighbours(step: str) -> tuple[str | None, str | None]:
    """The previous and next step names."""
    i = STEP_NAMES.index(step)
    return (STEP_NAMES[i - 1] if i > 0 else None), (STEP_NAMES[i + 1] if i + 1 < len(STEP_NAMES) else None)


_STORABLE = {c: None for c in range(0x20) if c not in (0x09, 0x0A, 0x0D)}  # NUL and other C0 controls


def _storable(text: str) -> str:
    """Text that every database can keep in a JSON draft (PostgreSQL refuses NUL characters)."""
    return text[:MAX_FIELD_CHARS].translate(_STORABLE)


def _text(form: MultiDict, name: str) -> str:
    return _storable(form.get(name) or "")


def read_step(step: str, form: MultiDict) -> dict[str, Any]:
    """The answers a step's form posted (every field of the step: an unticked box is an answer too)."""
    answers: dict[str, Any] = {}
    for name in STEP_BY_NAME[step].fields:
        if name == "themes":
            themes = {}
            for code in codes.theme_codes():
                priority = _text(form, f"theme-{code}-priority").strip()
                stance = _text(form, f"theme-{code}-stance").strip()
                if priority or stance:
                    themes[code] = {"priority": priority, "stance": stance}
            answers["themes"] = themes
        elif name == "existing_partners":
            answers[name] = [line.strip() for line in _text(form, name).splitlines() if line.strip()][:200]
        elif name in LIST_FIELDS:
            answers[name] = [_storable(v[:200]) for v in form.getlist(name)[:100]]
        elif name in BOOL_FIELDS:
            answers[name] = "true" if form.get(name) in ("true", "on", "1") else "false"
        else:
            answers[name] = _text(form, name)
    return answers


def has_content(answers: Mapping[str, Any]) -> bool:
    """Whether anything was typed or chosen (an empty first page does not create a draft)."""
    for name, value in answers.items():
        if name in BOOL_FIELDS:
            if value == "true":
                return True
        elif name == "language" or name == "digest_frequency":
            continue
        elif value not in (None, "", [], {}):
            return True
    return False


def step_errors(step: str, answers: Mapping[str, Any], lang: str) -> dict[str, str]:
    """Errors of one step's fields, including its required fields (for the "Next" button)."""
    definition = STEP_BY_NAME[step]
    subset = {name: answers.get(name) for name in definition.fields}
    # cross-field rules need the identity (level against country, partner levels against country)
    for name in ("country", "level"):
        subset.setdefault(name, answers.get(name))
    _clean, errors = validate_record(subset, lang, partial=True)
    _full, required = validate_record({name: answers.get(name) for name in FIELDS if name in answers}, lang)
    mine = {k: v for k, v in errors.items() if step_of(k) == step}
    for name in definition.required:
        if name in required and name not in mine:
            mine[name] = required[name]
    return mine
