"""CSV and XLSX writing for every export: Korean intact in Excel (UTF-8 with BOM), no cell can start a formula."""

from __future__ import annotations

import csv
import io
from typing import IO, Any, Iterable, Mapping, Sequence

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

#: A cell starting with one of these is read as a formula (or DDE) by spreadsheet programs.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def neutralise(value: Any) -> Any:
    """Make a value safe for a spreadsheet cell: text that could start a formula gets a leading apostrophe.

    Numbers stay numbers (a negative number is not a formula); None becomes an empty cell.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, (list, tuple)):
        value = ";".join(str(v) for v in value)
    text = str(value)
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def write_csv(rows: Iterable[Mapping[str, Any]], header: Sequence[str], stream: IO[bytes]) -> int:
    """Write rows as CSV (UTF-8 with BOM, so Excel shows Korean correctly); returns the row count."""
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="", write_through=True)
    writer = csv.writer(text)
    writer.writerow(header)
    count = 0
    for row in rows:
        writer.writerow([neutralise(row.get(name)) for name in header])
        count += 1
    text.flush()
    text.detach()  # leave the caller's stream open
    return count


def write_xlsx(
    rows: Iterable[Mapping[str, Any]], header: Sequence[str], stream: IO[bytes], sheet_title: str = "export"
) -> int:
    """Write rows as an XLSX workbook; every text cell is stored as data, never as a formula."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])
    sheet.append(list(header))
    count = 0
    for row in rows:
        cells = []
        for name in header:
            value = neutralise(row.get(name))
            if isinstance(value, str):
                value = ILLEGAL_CHARACTERS_RE.sub("", value)
            cells.append(value)
        sheet.append(cells)
        count += 1
    workbook.save(stream)
    return count
