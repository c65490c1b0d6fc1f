"""Reading questionnaire files: JSON Lines or CSV (UTF-8, with or without BOM) into records with line numbers.

Only reading happens here; every value is checked by validation.py, the same rules as the web form.
CSV: one column per field (header row, any order, ``,`` or ``;`` or tab separated as spreadsheet programs
save them); list fields are ``;``-joined or a JSON array; themes are ``code:priority:stance`` items
``;``-joined or a JSON object.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _

from matchmaker.questionnaire.record import FIELDS, restore_formula

JSONL_SUFFIXES = (".jsonl", ".ndjson", ".json")
#: Deepest nesting of arrays and objects a record may have (a record needs 3: themes → theme → fields).
MAX_DEPTH = 8
SEPARATORS = (",", ";", "\t")


@dataclass
class RowError:
    """A problem in one line of an imported file."""

    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line}, field {self.field}: {self.message}"


class ImportFileError(ValueError):
    """The file cannot be read at all (encoding, format); nothing was imported."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.line = line


def read_records(path: Path, lang: str = "en") -> tuple[list[int], list[dict[str, Any]], list]:
    """Read a file into (line numbers, records, file-level row errors); raise ImportFileError if unreadable."""
    with force_locale(lang):
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise ImportFileError(_("Cannot read the file: %(reason)s", reason=exc.strerror or str(exc))) from None
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise ImportFileError(
                _("The file is not UTF-8 text (line %(line)s). Save it as “CSV UTF-8” or JSON Lines.", line=line), line
            ) from None
        if path.suffix.lower() in JSONL_SUFFIXES or (path.suffix.lower() != ".csv" and text.lstrip().startswith("{")):
            read = read_jsonl(text)
        else:
            read = read_csv(text)
        lines, records, errors = read
        if not records and not errors:
            if text.strip(" \t\r\n\ufeff"):
                raise ImportFileError(_("The file has a header row but no collectivité below it."))
            raise ImportFileError(_("The file is empty."))
        return read


def _too_deep(value: Any) -> bool:
    """Whether arrays and objects nest deeper than :data:`MAX_DEPTH` (checked without recursion)."""
    stack = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (list, dict)):
            if depth >= MAX_DEPTH:
                return True
            stack.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
    return False


def read_jsonl(text: str) -> tuple[list[int], list[dict[str, Any]], list]:
    """One JSON object per line; blank lines are ignored.

    Lines end at a line feed only (a carriage return before it is dropped): U+2028, U+2029 or U+0085 are
    valid raw inside a JSON string, so ``str.splitlines`` would cut such a record in two.
    """
    lines, records, errors = [], [], []
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.removesuffix("\r")
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            if _too_deep(record):
                raise RecursionError
        except RecursionError:
            errors.append(
                RowError(
                    number,
                    "record",
                    _("Arrays and objects are nested too deeply (at most %(depth)s levels).", depth=MAX_DEPTH),
                )
            )
            record = {}
        except ValueError as exc:
            errors.append(RowError(number, "record", _("Not valid JSON: %(reason)s", reason=str(exc))))
            record = {}
        if not isinstance(record, dict):
            errors.append(RowError(number, "record", _("Each line must be a JSON object with named fields.")))
            record = {}
        lines.append(number)
        records.append(record)
    return lines, records, errors


def _delimiter(header_line: str) -> str:
    """The separator a spreadsheet program used (French Excel saves CSV with ';')."""
    counts = {d: header_line.count(d) for d in SEPARATORS}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


def _separator_name(separator: str) -> str:
    return _("tab") if separator == "\t" else f"“{separator}”"


def _separator_mismatch(text: str, header_end: int, separator: str, columns: int):
    """A file-level error when the first row splits into the header's columns with another separator only."""
    rest = io.StringIO(text, newline="")
    for _line in range(header_end):
        rest.readline()
    start = header_end + 1
    first = ""
    for line in rest:
        if line.strip():
            first = line
            break
        start += 1
    if not first:
        return None

    def cells(sep: str) -> int:
        try:
            return len(next(csv.reader([first], delimiter=sep)))
        except (csv.Error, StopIteration):
            return 0

    if cells(separator) == columns:
        return None
    for other in SEPARATORS:
        if other != separator and cells(other) == columns:
            return RowError(
                start,
                "record",
                _(
                    "The header row is separated by %(header)s but the rows by %(rows)s. "
                    "Save the file again with one separator.",
                    header=_separator_name(separator),
                    rows=_separator_name(other),
                ),
            )
    return None


def read_csv(text: str) -> tuple[list[int], list[dict[str, Any]], list]:
    """A header row of field names, then one collectivité per row; wholly empty rows are ignored."""
    first = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first))
    try:
        header = next(reader)
    except StopIteration:
        return [], [], []
    except csv.Error as exc:
        return [], [], [RowError(1, "header", str(exc))]
    names = [h.strip().lstrip("\ufeff").lower() for h in header]
    errors = [
        RowError(1, name or f"#{i + 1}", _("Unknown column. Known columns: %(fields)s.", fields=", ".join(FIELDS)))
        for i, name in enumerate(names)
        if name not in FIELDS
    ]
    duplicates = {n for n in names if names.count(n) > 1 and n}
    errors.extend(RowError(1, name, _("This column appears twice.")) for name in sorted(duplicates))
    lines, records = [], []
    previous_end = reader.line_num
    mismatch = _separator_mismatch(text, previous_end, reader.dialect.delimiter, len(names))
    if mismatch:
        return [], [], errors + [mismatch]
    while True:
        start = previous_end + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            errors.append(RowError(start, "record", str(exc)))
            break
        previous_end = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(names):
            errors.append(
                RowError(
                    start,
                    "record",
                    _(
                        "This row has %(count)s cells but the header has %(columns)s columns.",
                        count=len(row),
                        columns=len(names),
                    ),
                )
            )
        # cells were written for spreadsheets: undo the apostrophe that keeps text from running as a formula
        record = {name: restore_formula(cell) for name, cell in zip(names, row) if name in FIELDS}
        lines.append(start)
        records.append(record)
    return lines, records, errors
