"""Writing questionnaire records: CSV (UTF-8 with BOM, for Excel), XLSX and JSON Lines, with the import's fields.

Text that a spreadsheet would run as a formula gets a leading apostrophe, which the import removes again,
so an exported file imports back to identical responses.
"""

from __future__ import annotations

import json
from typing import IO, Any, Iterable, Mapping

from matchmaker.questionnaire.record import FIELDS, neutralise_formula, record_to_row
from matchmaker.spreadsheets import write_csv, write_xlsx

FORMATS = ("csv", "xlsx", "jsonl")


def _cells(record: Mapping[str, Any]) -> dict[str, Any]:
    """A record as a spreadsheet row; the apostrophe rule is applied here so the import can undo it exactly."""
    return {name: neutralise_formula(v) if isinstance(v, str) else v for name, v in record_to_row(record).items()}


def write_records(records: Iterable[Mapping[str, Any]], fmt: str, stream: IO[bytes]) -> None:
    """Write clean records to a binary stream in one of FORMATS."""
    if fmt == "jsonl":
        for record in records:
            stream.write(
                (json.dumps({name: record.get(name) for name in FIELDS}, ensure_ascii=False) + "\n").encode("utf-8")
            )
    elif fmt == "csv":
        write_csv((_cells(r) for r in records), FIELDS, stream)
    elif fmt == "xlsx":
        write_xlsx((_cells(r) for r in records), FIELDS, stream, sheet_title="responses")
    else:
        raise ValueError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
