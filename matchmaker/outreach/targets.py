"""Who a campaign invites: collectivités of the reference lists chosen by filters, or listed in a CSV file of
codes and addresses (``code,email[,language][,level]``)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from flask_babel import gettext as _

from matchmaker import reference
from matchmaker.questionnaire.validation import EMAIL_RE
from matchmaker.vocabulary import LANGUAGE_OF_COUNTRY, LANGUAGES

MAX_TARGETS = 20_000


@dataclass(frozen=True)
class Filters:
    """What staff ask for: a level, a region (code or name), a population range."""

    level: str = ""
    region: str = ""
    min_population: int | None = None
    max_population: int | None = None

    def is_empty(self) -> bool:
        """Whether no filter is set (which would select the whole country)."""
        return not (self.level or self.region or self.min_population or self.max_population)


@dataclass(frozen=True)
class Target:
    """One collectivité to invite, and the address and language of its invitation (no address: not sent)."""

    row: reference.ReferenceCollectivite
    email: str | None
    language: str


class TargetError(ValueError):
    """A CSV of targets cannot be read; the message is localised and names the line."""


def _region_matches(row: reference.ReferenceCollectivite, wanted: str) -> bool:
    wanted = wanted.strip().casefold()
    return wanted in (row.region_code.casefold(), row.region.casefold(), row.region_local.casefold())


def select_rows(country: str, filters: Filters) -> list[reference.ReferenceCollectivite]:
    """Reference collectivités of ``country`` matching every filter set, largest first."""
    rows = []
    for row in reference.load_reference(country):
        if filters.level and row.level != filters.level:
            continue
        if filters.region and not _region_matches(row, filters.region):
            continue
        if filters.min_population is not None and (row.population or 0) < filters.min_population:
            continue
        if filters.max_population is not None and (row.population is None or row.population > filters.max_population):
            continue
        rows.append(row)
    rows.sort(key=lambda r: (-(r.population or 0), r.name))
    return rows


def parse_csv(country: str, text: str) -> list[Target]:
    """Targets of a CSV (header ``code,email`` and optionally ``language``, ``level``); raises TargetError."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    fields = {(name or "").strip().lower() for name in (reader.fieldnames or [])}
    if not {"code", "email"} <= fields:
        raise TargetError(_("The file needs a header line with at least the columns code and email."))
    targets: list[Target] = []
    for line, raw in enumerate(reader, start=2):
        record = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items() if isinstance(v, str)}
        if not any(record.values()):
            continue
        code, level = record.get("code", ""), record.get("level", "") or None
        row = reference.find(country, code, level) if code else None
        if row is None:
            raise TargetError(
                _(
                    "Line %(line)s: no collectivité with the code %(code)s in the reference list.",
                    line=line,
                    code=code or "—",
                )
            )
        email = record.get("email") or None
        if email and (len(email) > 254 or not EMAIL_RE.match(email)):
            raise TargetError(_("Line %(line)s: %(email)s is not a valid email address.", line=line, email=email))
        language = (record.get("language") or LANGUAGE_OF_COUNTRY[country]).lower()
        if language not in LANGUAGES:
            raise TargetError(_("Line %(line)s: the language must be fr, ko or en.", line=line))
        targets.append(Target(row, email, language))
        if len(targets) > MAX_TARGETS:
            raise TargetError(_("A campaign invites at most %(num)s collectivités.", num=MAX_TARGETS))
    if not targets:
        raise TargetError(_("The file lists no collectivité."))
    return targets


def merge_targets(country: str, rows: list[reference.ReferenceCollectivite], listed: list[Target]) -> list[Target]:
    """Filtered rows and CSV targets together, once each; the CSV gives addresses to filtered rows too."""
    by_key: dict[tuple[str, str], Target] = {}
    for target in listed:
        by_key[(target.row.level, target.row.code)] = target
    out = list(by_key.values())
    for row in rows:
        if (row.level, row.code) not in by_key:
            by_key[(row.level, row.code)] = Target(row, None, LANGUAGE_OF_COUNTRY[country])
            out.append(by_key[(row.level, row.code)])
    return out
