"""How complete a questionnaire response is, judged by what the matching uses: what is missing that would
improve its suggestions. Shown on the questionnaire's review step and in the staff list; a collectivité's digest
reminds it once (``ProfileReminder``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import ProfileReminder, Response
from matchmaker.questionnaire.record import response_to_record

#: A response at or above this percentage is complete enough: no reminder.
COMPLETE_ENOUGH = 80
#: A presentation shorter than this gives the text dimension little to read.
MIN_DESCRIPTION = 200


def _filled(name: str) -> Callable[[Mapping[str, Any]], bool]:
    return lambda record: record.get(name) not in (None, "", [], {})


#: (code, weight, test, what is missing, why it helps)
CHECKS = (
    (
        "themes",
        3,
        lambda r: len(r.get("themes") or {}) >= 3,
        _l("At least three themes"),
        _l("more themes give the matching more to compare"),
    ),
    (
        "stances",
        2,
        lambda r: (
            any((t or {}).get("stance") in ("offer", "both") for t in (r.get("themes") or {}).values())
            and any((t or {}).get("stance") in ("seek", "both") for t in (r.get("themes") or {}).values())
        ),
        _l("Themes where you offer experience and themes where you seek it"),
        _l("partners are matched on what one side offers and the other seeks"),
    ),
    (
        "description",
        3,
        lambda r: len((r.get("description") or "").strip()) >= MIN_DESCRIPTION,
        _l("A presentation of a few sentences"),
        _l("your projects are read in any language and matched to others'"),
    ),
    ("sectors", 2, _filled("sectors"), _l("Sectors of excellence"), _l("partners with the same strengths are found")),
    ("population", 1, _filled("population"), _l("Population"), _l("partners of a similar size are suggested")),
    (
        "partner_levels",
        1,
        _filled("partner_levels"),
        _l("Partner levels sought"),
        _l("partners of the right level are suggested"),
    ),
    (
        "cooperation_kinds",
        1,
        _filled("cooperation_kinds"),
        _l("Kinds of cooperation"),
        _l("staff see what you hope for"),
    ),
    (
        "working_languages",
        1,
        _filled("working_languages"),
        _l("Working languages"),
        _l("calls can be prepared with an interpreter"),
    ),
)


@dataclass
class Completeness:
    """A percentage and the missing items, most useful first."""

    percent: int
    missing: list[tuple[str, object, object]] = field(default_factory=list)  # (code, what, why)

    @property
    def complete_enough(self) -> bool:
        """Whether no reminder is needed."""
        return self.percent >= COMPLETE_ENOUGH


def completeness(record: Mapping[str, Any] | None) -> Completeness:
    """Completeness of a questionnaire record (the import/export field set)."""
    record = record or {}
    total = sum(weight for _, weight, *_ in CHECKS)
    done, missing = 0, []
    for code, weight, test, what, why in sorted(CHECKS, key=lambda c: -c[1]):
        if test(record):
            done += weight
        else:
            missing.append((code, what, why))
    return Completeness(round(100 * done / total), missing)


def completeness_of(response: Response) -> Completeness:
    """Completeness of a stored response."""
    return completeness(response_to_record(response) if response.collectivite is not None else {})


def reminders_due(responses: list[Response]) -> list[tuple[Response, Completeness]]:
    """Submitted responses not complete enough whose digest has not reminded them yet."""
    ids = [r.id for r in responses]
    done = (
        set(db.session.scalars(select(ProfileReminder.response_id).where(ProfileReminder.response_id.in_(ids))))
        if ids
        else set()
    )
    out = []
    for response in responses:
        if response.id in done or response.status != "submitted":
            continue
        score = completeness_of(response)
        if not score.complete_enough:
            out.append((response, score))
    return out


def mark_reminded(due: list[tuple[Response, Completeness]]) -> None:
    """Record that these responses were reminded (in the digest's transaction)."""
    for response, score in due:
        db.session.add(ProfileReminder(response_id=response.id, percent=score.percent))
    db.session.flush()
