"""Exports open in Excel with Korean intact and never carry a formula."""

import csv
import io

import pytest
from openpyxl import load_workbook

from matchmaker.spreadsheets import neutralise, write_csv, write_xlsx

HOSTILE = ['=HYPERLINK("http://evil")', "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd", "＝1+1"]


@pytest.mark.parametrize("value", HOSTILE)
def test_formula_triggers_are_neutralised(value):
    assert neutralise(value) == "'" + value


def test_plain_values_are_kept():
    assert neutralise("구로구") == "구로구"
    assert neutralise(-3) == -3 and neutralise(2.5) == 2.5
    assert neutralise(None) == "" and neutralise(True) == "true"
    assert neutralise(["a", "b"]) == "a;b"


def test_csv_has_bom_korean_and_no_formula():
    out = io.BytesIO()
    rows = [{"name": "구로구", "note": v} for v in HOSTILE]
    assert write_csv(rows, ["name", "note"], out) == len(HOSTILE)
    data = out.getvalue()
    assert data.startswith(b"\xef\xbb\xbf")
    parsed = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert parsed[0]["name"] == "구로구"
    assert all(row["note"].startswith("'") for row in parsed)


def test_xlsx_cells_are_data_not_formulas():
    out = io.BytesIO()
    write_xlsx(
        [{"name": "Issy-les-Moulineaux", "note": v} for v in HOSTILE] + [{"name": "수원시", "note": 3}],
        ["name", "note"],
        out,
    )
    sheet = load_workbook(io.BytesIO(out.getvalue())).active
    values = [row for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert all(isinstance(v, str) and v.startswith("'") for _, v in values[:-1])
    assert values[-1] == ("수원시", 3)
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
