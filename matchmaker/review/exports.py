"""Exports of pairs (with the list's filters) and of outcomes, as CSV (UTF-8 with BOM) or XLSX.

The rows are read by :mod:`matchmaker.review.queries` (``pair_rows``, ``outcome_rows``); this module writes them.

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

from matchmaker.clock import utcnow
from matchmaker.review.queries import OUTCOME_HEADER, PAIR_HEADER, PairFilters, outcome_rows, pair_rows
from matchmaker.spreadsheets import neutralise, write_xlsx
from matchmaker.staff.access import staff_required

FORMATS = ("csv", "xlsx")


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
    return send_file(
        buffer,
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        as_attachment=True,
        download_name=_filename(kind, fmt),
    )


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
