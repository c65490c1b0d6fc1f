"""Exports of pairs (with the list's filters) and of outcomes, as CSV (UTF-8 with BOM) or XLSX.

Columns hold the fixed codes of DESIGN.md (states, levels, themes, outcome kinds) so a file can be read back
by a program; names keep their original script (Hangul intact). Every cell goes through
:func:`matchmaker.spreadsheets.neutralise` (no formula injection).
"""
from __future__ import annotations

import csv
import io
from datetime import date, datetime
from typing import Any, Iterable, Iterator, Mapping, Sequence

from flask import Response, abort, request, send_file, stream_with_context
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import aliased

from matchmaker.clock import utcnow
from matchmaker.extensions import db
from matchmaker.models import Collectivite, Introduction, Outcome, StaffUser, Suggestion
from matchmaker.review.queries import PairFilters, iter_pairs
from matchmaker.spreadsheets import neutralise, write_xlsx
from matchmaker.staff.access import staff_required

PAIR_HEADER = (
    "pair_id", "state", "score_total", "score_themes", "score_complementarity", "score_sectors", "score_size",
    "score_text", "fr_name", "fr_name_local", "fr_level", "fr_region", "kr_name", "kr_name_local", "kr_level",
    "kr_region", "themes", "cuf_decision", "garok_decision", "introduced_at", "fr_answer", "kr_answer", "outcome",
    "updated_at",
)
OUTCOME_HEADER = (
    "pair_id", "fr_name", "fr_name_local", "kr_name", "kr_name_local", "kind", "happened_on", "note", "recorded_by",
    "recorded_at", "pair_state",
)
FORMATS = ("csv", "xlsx")
BATCH = 2000


def pair_rows(filters: PairFilters, org: str | None) -> Iterator[dict]:
    """Rows of the pairs export, in the list's order, read in batches."""
    batch = []
    for row in iter_pairs(filters, org, batch=BATCH):
        batch.append(row)
        if len(batch) >= BATCH:
            yield from _pair_batch(batch)
            batch = []
    if batch:
        yield from _pair_batch(batch)


def _pair_batch(rows) -> Iterable[dict]:
    """Complete a batch of list rows with dimension scores and answers (two queries per batch)."""
    ids = [r.id for r in rows]
    scores = {sid: rest for sid, *rest in db.session.execute(
        select(Suggestion.id, Suggestion.score_themes, Suggestion.score_complementarity, Suggestion.score_sectors,
               Suggestion.score_size, Suggestion.score_text).where(Suggestion.id.in_(ids)))}
    intros = {i.suggestion_id: i for i in db.session.scalars(select(Introduction).where(Introduction.suggestion_id.in_(ids)))}
    for r in rows:
        intro = intros.get(r.id)
        yield dict(zip(PAIR_HEADER, [
            r.id, r.state, round(r.score_total, 4), *[round(v, 4) for v in scores.get(r.id, [0.0] * 5)],
            r.fr_name, r.fr_name_local, r.fr_level, r.fr_region, r.kr_name, r.kr_name_local, r.kr_level, r.kr_region,
            ";".join(r.themes), r.cuf_decision, r.garok_decision, intro.created_at if intro else None,
            intro.fr_answer if intro else None, intro.kr_answer if intro else None, r.outcome, r.updated_at,
        ]))


def outcome_rows() -> Iterator[dict]:
    """Rows of the outcomes export, most recent first."""
    fr, kr = aliased(Collectivite), aliased(Collectivite)
    stmt = (
        select(Outcome, Suggestion.state, fr.name, fr.name_local, kr.name, kr.name_local, StaffUser.email)
        .join(Suggestion, Suggestion.id == Outcome.suggestion_id)
        .join(fr, fr.id == Suggestion.fr_id).join(kr, kr.id == Suggestion.kr_id)
        .outerjoin(StaffUser, StaffUser.id == Outcome.user_id)
        .order_by(Outcome.happened_on.desc(), Outcome.id.desc())
    )
    for o, state, fr_name, fr_local, kr_name, kr_local, email in db.session.execute(stmt.execution_options(yield_per=BATCH)):
        yield dict(zip(OUTCOME_HEADER, [o.suggestion_id, fr_name, fr_local, kr_name, kr_local, o.kind, o.happened_on,
                                        o.note, email, o.created_at, state]))


def _cell(value: Any) -> Any:
    """Dates as ISO text (the same in CSV and XLSX), then neutralised."""
    if isinstance(value, datetime):
        value = value.isoformat(timespec="seconds")
    elif isinstance(value, date):
        value = value.isoformat()
    return neutralise(value)


def csv_chunks(rows: Iterable[Mapping[str, Any]], header: Sequence[str]) -> Iterator[str]:
    """The CSV document (UTF-8 BOM first) in chunks of lines, for a streamed response of any size."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow(header)
    for n, row in enumerate(rows, 1):
        writer.writerow([_cell(row.get(name)) for name in header])
        if n % 500 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def xlsx_cells(rows: Iterable[Mapping[str, Any]]) -> Iterator[dict]:
    """Rows with dates as ISO text and every value neutralised, for :func:`write_xlsx`."""
    for row in rows:
        yield {k: _cell(v) for k, v in row.items()}


def _filename(kind: str, fmt: str) -> str:
    return f"matchmaker-{kind}-{utcnow():%Y%m%d-%H%M}.{fmt}"


def _send(kind: str, fmt: str, header, rows):
    """Stream CSV; build XLSX in memory (openpyxl's write-only mode keeps rows on disk until the final zip)."""
    if fmt == "csv":
        response = Response(stream_with_context(csv_chunks(rows, header)), mimetype="text/csv; charset=utf-8")
        response.headers["Content-Disposition"] = f'attachment; filename="{_filename(kind, fmt)}"'
        return response
    buffer = io.BytesIO()
    write_xlsx(xlsx_cells(rows), header, buffer, sheet_title=kind)
    buffer.seek(0)
    return send_file(buffer, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                     as_attachment=True, download_name=_filename(kind, fmt))


@staff_required
def export_pairs(fmt: str):
    """The pairs matching the list's filters, as CSV or XLSX."""
    if fmt not in FORMATS:
        abort(404)
    filters = PairFilters.from_args(request.args)
    return _send("pairs", fmt, PAIR_HEADER, pair_rows(filters, current_user.org))


@staff_required
def export_outcomes(fmt: str):
    """Every recorded outcome, as CSV or XLSX."""
    if fmt not in FORMATS:
        abort(404)
    return _send("outcomes", fmt, OUTCOME_HEADER, outcome_rows())
