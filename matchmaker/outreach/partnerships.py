"""Known France–Korea partnerships: loaded from a public list (CSV, a source on every row) or declared by
respondents in their questionnaire; never suggested again; published on a public page when staff choose.

Import format (UTF-8 CSV, header line): ``fr_level, fr_code, kr_level, kr_code, kind, year, themes, source``;
names columns (``fr_name``, ``kr_name``) are ignored, the reference lists name the collectivités. ``themes`` are
theme codes separated by ``;``. A file is imported whole or not at all; a bad row is reported with its line.
"""

from __future__ import annotations

import csv
import io
import logging
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import and_, or_, select

from matchmaker import reference
from matchmaker.extensions import db
from matchmaker.models import Collectivite, KnownPartnership, Response, Setting
from matchmaker.questionnaire import codes
from matchmaker.vocabulary import COUNTRIES

log = logging.getLogger("matchmaker.outreach.partnerships")

PUBLISHED_KEY = "partnerships_published"
REQUIRED = ("fr_level", "fr_code", "kr_level", "kr_code", "source")


class PartnershipFileError(ValueError):
    """A partnerships file cannot be imported; the message is localised and names the line."""


@dataclass
class ImportReport:
    """What an import did."""

    added: int = 0
    updated: int = 0


def _row_error(line: int, message: str) -> PartnershipFileError:
    return PartnershipFileError(_("Line %(line)s: %(problem)s", line=line, problem=message))


def read_partnerships(text: str) -> list[dict]:
    """The clean rows of a partnerships CSV; raises :class:`PartnershipFileError` at the first bad row."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    fields = {(f or "").strip() for f in reader.fieldnames or []}
    if not set(REQUIRED) <= fields:
        raise PartnershipFileError(
            _("The file needs a header line with the columns %(columns)s.", columns=", ".join(REQUIRED))
        )
    rows = []
    for line, raw in enumerate(reader, start=2):
        rec = {(k or "").strip(): (v or "").strip() for k, v in raw.items() if isinstance(v, str)}
        if not any(rec.values()):
            continue
        fr = reference.find("FR", rec["fr_code"], rec["fr_level"]) if rec["fr_code"] else None
        kr = reference.find("KR", rec["kr_code"], rec["kr_level"]) if rec["kr_code"] else None
        if fr is None:
            raise _row_error(
                line,
                _(
                    "no French collectivité %(level)s %(code)s in the reference list",
                    level=rec["fr_level"] or "—",
                    code=rec["fr_code"] or "—",
                ),
            )
        if kr is None:
            raise _row_error(
                line,
                _(
                    "no Korean collectivité %(level)s %(code)s in the reference list",
                    level=rec["kr_level"] or "—",
                    code=rec["kr_code"] or "—",
                ),
            )
        kind = rec.get("kind") or None
        if kind and kind not in codes.cooperation_kind_codes():
            raise _row_error(line, _("unknown kind of cooperation %(kind)s", kind=kind))
        year = rec.get("year") or None
        if year is not None and (not year.isdigit() or not 1950 <= int(year) <= 2100):
            raise _row_error(line, _("the year must be a number between 1950 and 2100"))
        themes = [t.strip() for t in (rec.get("themes") or "").split(";") if t.strip()]
        unknown = [t for t in themes if t not in codes.theme_codes()]
        if unknown:
            raise _row_error(line, _("unknown theme %(theme)s", theme=unknown[0]))
        if not rec.get("source"):
            raise _row_error(line, _("every partnership needs its source"))
        rows.append(
            {
                "fr": fr,
                "kr": kr,
                "kind": kind,
                "year": int(year) if year else None,
                "themes": themes,
                "source": rec["source"][:4000],
            }
        )
    return rows


def _find(fr_level: str, fr_code: str, kr_level: str, kr_code: str) -> KnownPartnership | None:
    return db.session.scalar(
        select(KnownPartnership).where(
            KnownPartnership.fr_level == fr_level,
            KnownPartnership.fr_code == fr_code,
            KnownPartnership.kr_level == kr_level,
            KnownPartnership.kr_code == kr_code,
        )
    )


def import_partnerships(text: str) -> ImportReport:
    """Add or update the partnerships of a CSV (all or nothing); the caller commits."""
    report = ImportReport()
    for row in read_partnerships(text):
        fr, kr = row["fr"], row["kr"]
        found = _find(fr.level, fr.code, kr.level, kr.code)
        if found is None:
            found = KnownPartnership(
                fr_level=fr.level, fr_code=fr.code, kr_level=kr.level, kr_code=kr.code, origin="import"
            )
            db.session.add(found)
            report.added += 1
        else:
            report.updated += 1
        found.fr_name, found.kr_name, found.kr_name_local = fr.name, kr.name, kr.name_local or None
        found.kind, found.year, found.themes, found.source = row["kind"], row["year"], row["themes"], row["source"]
        if found.origin == "declared":
            found.origin = "import"
    db.session.flush()
    log.info("partnerships imported", extra={"added": report.added, "updated": report.updated})
    return report


def sync_declared_partnerships() -> int:
    """Record the partners respondents declared by code (``KR:11530``) in submitted responses; returns how many
    are new. The caller commits."""
    added = 0
    rows = db.session.execute(
        select(Response, Collectivite)
        .join(Collectivite, Response.collectivite_id == Collectivite.id)
        .where(Response.status == "submitted", Response.anonymised_at.is_(None))
    ).all()
    for response, coll in rows:
        for declared in response.existing_partners or []:
            country, _sep, code = str(declared).partition(":")
            other = country.strip().upper()
            if other not in COUNTRIES or other == coll.country or not code.strip() or not coll.code:
                continue
            partner = reference.find(other, code.strip())
            if partner is None:
                continue
            fr = (
                (coll.level, coll.code, coll.name)
                if coll.country == "FR"
                else (partner.level, partner.code, partner.name)
            )
            kr = (
                (partner.level, partner.code, partner.name, partner.name_local)
                if coll.country == "FR"
                else (coll.level, coll.code, coll.name, coll.name_local)
            )
            if _find(fr[0], fr[1], kr[0], kr[1]) is not None:
                continue
            db.session.add(
                KnownPartnership(
                    fr_level=fr[0],
                    fr_code=fr[1],
                    fr_name=fr[2],
                    kr_level=kr[0],
                    kr_code=kr[1],
                    kr_name=kr[2],
                    kr_name_local=kr[3] or None,
                    themes=[],
                    origin="declared",
                    response_id=response.id,
                    source=f"declared in the questionnaire of {coll.name} (version {response.version})",
                )
            )
            db.session.flush()
            added += 1
    log.info("declared partnerships recorded", extra={"added": added})
    return added


def known_partnership_pairs(collectivite_id: int | None = None) -> set[tuple[int, int]]:
    """(fr_id, kr_id) of the stored collectivités that are known partners: never to be suggested."""
    fr, kr = Collectivite.__table__.alias("fr"), Collectivite.__table__.alias("kr")
    query = (
        select(fr.c.id, kr.c.id)
        .select_from(KnownPartnership)
        .join(
            fr,
            and_(fr.c.country == "FR", fr.c.level == KnownPartnership.fr_level, fr.c.code == KnownPartnership.fr_code),
        )
        .join(
            kr,
            and_(kr.c.country == "KR", kr.c.level == KnownPartnership.kr_level, kr.c.code == KnownPartnership.kr_code),
        )
    )
    if collectivite_id is not None:
        query = query.where(or_(fr.c.id == collectivite_id, kr.c.id == collectivite_id))
    return {(a, b) for a, b in db.session.execute(query).all()}


def filtered_partnerships(theme: str = "", level: str = "", year: int | None = None) -> list[KnownPartnership]:
    """Known partnerships with a theme, a level on either side, a year; oldest first."""
    rows = db.session.scalars(
        select(KnownPartnership).order_by(
            KnownPartnership.year.is_(None), KnownPartnership.year, KnownPartnership.fr_name
        )
    ).all()
    return [
        p
        for p in rows
        if (not theme or theme in (p.themes or []))
        and (not level or level in (p.fr_level, p.kr_level))
        and (year is None or p.year == year)
    ]


def is_published() -> bool:
    """Whether staff chose to publish the partnerships page."""
    row = db.session.get(Setting, PUBLISHED_KEY)
    return bool(row and (row.value or {}).get("published"))


def set_published(published: bool, user_id: int | None = None) -> None:
    """Publish or withdraw the public partnerships page; the caller commits."""
    row = db.session.get(Setting, PUBLISHED_KEY)
    if row is None:
        row = Setting(key=PUBLISHED_KEY, value={})
        db.session.add(row)
    row.value = {"published": bool(published)}
    row.updated_by_id = user_id
    log.info("partnerships page published" if published else "partnerships page withdrawn", extra={"user_id": user_id})
