"""File import (JSON Lines, CSV with or without BOM; all or nothing) and export (CSV, XLSX, JSON Lines)."""

import csv
import io
import json

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from matchmaker.models import Collectivite, Response, ResponseVersion, ThemeInterest
from matchmaker.questionnaire.operations import (
    ImportFileError,
    export_records,
    export_responses,
    import_file,
    import_records,
)
from matchmaker.questionnaire.record import FIELDS, record_to_row
from matchmaker.questionnaire.validation import validate_record
from tests.conftest import empty_tables
from tests.questionnaire.conftest import fr_record, kr_record


def count(db, model):
    return db.session.scalar(select(func.count()).select_from(model))


def write_jsonl(path, records):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def write_csv(path, records, *, bom=True, delimiter=","):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=FIELDS, delimiter=delimiter)
    writer.writeheader()
    for record in records:
        writer.writerow(record_to_row(validate_record(record, "en")[0]))
    path.write_bytes((("\ufeff" if bom else "") + out.getvalue()).encode("utf-8"))
    return path


def several():
    return [
        fr_record(),
        kr_record(),
        fr_record(
            name="Tours",
            name_local="Tours",
            code="37261",
            population=135787,
            region="Centre-Val de Loire",
            contact_email="intl@tours.example.org",
            existing_partners=[],
        ),
        kr_record(
            name="Suwon-si",
            name_local="수원시",
            level="si",
            code="41110",
            population=1190000,
            region="Gyeonggi-do",
            contact_email="intl@suwon.example.kr",
        ),
    ]


def test_jsonl_import_creates_collectivites_responses_themes_and_first_versions(db, tmp_path):
    report = import_file(write_jsonl(tmp_path / "r.jsonl", several()))
    assert report.ok and report.written and report.imported == 4 and report.created == 4
    assert count(db, Collectivite) == 4 and count(db, Response) == 4 and count(db, ResponseVersion) == 4
    guro = db.session.scalar(select(Collectivite).where(Collectivite.code == "11530"))
    assert guro.name_local == "구로구" and guro.response.status == "submitted" and guro.response.version == 1
    assert {(t.theme_code, t.priority, t.stance) for t in guro.response.themes} == {
        ("smart_city", 2, "seek"),
        ("youth_education", 3, "both"),
    }
    assert guro.response.versions[0].answers["name_local"] == "구로구"
    assert guro.response.versions[0].source == "import"


def test_one_bad_row_imports_nothing_and_names_the_line_and_the_field(db, tmp_path, runner):
    rows = several()
    rows[2]["population"] = "lots"
    path = write_jsonl(tmp_path / "r.jsonl", rows)
    report = import_file(path)
    assert not report.written
    assert [(e.line, e.field) for e in report.errors] == [(3, "population")]
    assert count(db, Collectivite) == 0 and count(db, Response) == 0

    result = runner.invoke(args=["import", str(path)])
    assert result.exit_code == 1
    assert "line 3, field population: Enter the population as a positive whole number" in result.output
    assert count(db, Response) == 0


def test_skip_invalid_imports_the_good_rows_and_lists_the_bad_ones(db, tmp_path, runner):
    rows = several()
    rows[1]["contact_email"] = "nobody"
    rows[3]["themes"] = {"space": {"priority": 1, "stance": "offer"}}
    path = write_jsonl(tmp_path / "r.jsonl", rows)
    result = runner.invoke(args=["import", "--skip-invalid", str(path)])
    assert result.exit_code == 0, result.output
    assert "line 2, field contact_email" in result.output and "line 4, field themes" in result.output
    assert "2 responses imported" in result.output
    assert {c.name for c in db.session.scalars(select(Collectivite))} == {"Issy-les-Moulineaux", "Tours"}


def test_dry_run_checks_and_writes_nothing(db, tmp_path, runner):
    result = runner.invoke(args=["import", "--dry-run", str(write_jsonl(tmp_path / "r.jsonl", several()))])
    assert result.exit_code == 0 and "4 valid" in result.output
    assert count(db, Response) == 0


@pytest.mark.parametrize("bom, delimiter", [(True, ","), (False, ","), (True, ";"), (False, "\t")])
def test_csv_with_or_without_bom_and_any_spreadsheet_separator(db, tmp_path, bom, delimiter):
    report = import_file(write_csv(tmp_path / "r.csv", several(), bom=bom, delimiter=delimiter))
    assert report.ok, report.errors
    assert report.imported == 4
    suwon = db.session.scalar(select(Collectivite).where(Collectivite.code == "41110"))
    assert suwon.name_local == "수원시" and suwon.response.sectors == ["digital_ict"]
    assert suwon.response.consent_share is True


def test_csv_errors_name_the_physical_line_even_after_multiline_cells(db, tmp_path):
    rows = several()
    rows[0]["description"] = "Première ligne\nDeuxième ligne\nTroisième"
    path = write_csv(tmp_path / "r.csv", rows)
    text = path.read_text(encoding="utf-8-sig").replace("intl@suwon.example.kr", "intl-at-suwon")
    path.write_text(text, encoding="utf-8")
    report = import_file(path)
    # header on line 1, Issy on lines 2-4 (three lines of description), Guro 5, Tours 6, Suwon 7
    assert [(e.line, e.field) for e in report.errors] == [(7, "contact_email")]
    assert count(db, Response) == 0


def test_unknown_column_and_bad_json_lines_are_reported(db, tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("name,country,populaton\nX,FR,3\n", encoding="utf-8")
    report = import_file(path)
    assert (1, "populaton") in [(e.line, e.field) for e in report.errors]
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(fr_record()) + "\n{not json\n[1, 2]\n", encoding="utf-8")
    report = import_file(bad)
    assert [(e.line, e.field) for e in report.errors] == [(2, "record"), (3, "record")]
    assert not report.written and count(db, Response) == 0


def test_a_file_that_is_not_utf8_is_refused_with_its_line(db, tmp_path, runner):
    path = tmp_path / "latin1.csv"
    path.write_bytes("name,country\nIssy,FR\nSaint-Étienne,FR\n".encode("latin-1"))
    with pytest.raises(ImportFileError) as exc:
        import_file(path)
    assert exc.value.line == 3
    result = runner.invoke(args=["import", str(path)])
    assert result.exit_code == 1 and "not UTF-8" in result.output


def test_the_same_collectivite_again_adds_versions_never_a_duplicate(db, tmp_path):
    first = import_file(write_jsonl(tmp_path / "a.jsonl", several()))
    assert first.created == 4
    changed = [
        fr_record(population=70000),
        fr_record(population=71000, themes={"water": {"priority": 1, "stance": "seek"}}),
    ]
    no_code = [
        fr_record(name="Communauté de Test", name_local=None, level="epci", code=None, partner_levels=["gun"]),
        fr_record(
            name="COMMUNAUTÉ  de  test",
            name_local=None,
            level="epci",
            code=None,
            partner_levels=["gun"],
            population=5000,
        ),
    ]
    second = import_file(write_jsonl(tmp_path / "b.jsonl", changed + no_code))
    assert second.ok and second.imported == 4 and second.created == 1 and second.new_versions == 3
    assert count(db, Collectivite) == 5
    issy = db.session.scalar(select(Collectivite).where(Collectivite.code == "92040"))
    assert issy.population == 71000 and issy.response.version == 3
    assert [v.number for v in issy.response.versions] == [1, 2, 3]
    assert [v.answers["population"] for v in issy.response.versions] == [67669, 70000, 71000]
    assert {t.theme_code for t in issy.response.themes} == {"water"}
    assert count(db, ThemeInterest) == 2 + 2 + 2 + 1 + 2  # Guro, Tours, Suwon, Issy, the EPCI
    epci = db.session.scalar(select(Collectivite).where(Collectivite.level == "epci"))
    assert epci.response.version == 2 and epci.population == 5000


def tricky_records():
    return [
        fr_record(
            description='=HYPERLINK("http://evil.example","clic")\nsuite',
            contact_role="+33 1 40 00 00 00",
            existing_partners=["KR:11530", "Ville; avec point-virgule", "@mention"],
            region="-Île-de-France",
        ),
        kr_record(description="'=SUM(A1) écrit avec une apostrophe", contact_name="-김민지", name_local="구로구"),
        fr_record(
            name="Tours",
            name_local=None,
            code="37261",
            population=None,
            region=None,
            contact_role=None,
            contact_email="intl@tours.example.org",
            sectors=[],
            partner_levels=[],
            cooperation_kinds=[],
            working_languages=[],
            existing_partners=[],
            description=None,
            digest_frequency="never",
        ),
    ]


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_export_then_reimport_gives_identical_responses(db, tmp_path, fmt):
    assert import_file(write_jsonl(tmp_path / "in.jsonl", tricky_records())).ok
    before = export_records()
    out = tmp_path / f"out.{fmt}"
    with out.open("wb") as fh:
        assert export_responses(fmt, fh) == 3
    db.session.rollback()
    empty_tables(db.engine)
    report = import_file(out)
    assert report.ok, report.errors
    after = export_records()
    assert after == before
    assert after[0]["description"].startswith("=HYPERLINK")  # the apostrophe added for spreadsheets is gone again


def test_csv_export_opens_in_excel_with_korean_intact_and_no_formula(db, tmp_path):
    import_file(write_jsonl(tmp_path / "in.jsonl", tricky_records()))
    buffer = io.BytesIO()
    export_responses("csv", buffer)
    raw = buffer.getvalue()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    for row in rows:
        for name, cell in row.items():
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (name, cell)
    guro = next(r for r in rows if r["code"] == "11530")
    assert guro["name_local"] == "구로구" and guro["contact_name"] == "'-김민지"
    assert guro["description"] == "''=SUM(A1) écrit avec une apostrophe"
    issy = next(r for r in rows if r["code"] == "92040")
    assert issy["themes"] == "smart_city:3:offer;tourism:2:seek"
    assert json.loads(issy["existing_partners"]) == ["KR:11530", "Ville; avec point-virgule", "@mention"]


def test_xlsx_export_writes_text_as_data_never_as_formulas(db, tmp_path):
    import_file(write_jsonl(tmp_path / "in.jsonl", tricky_records()))
    buffer = io.BytesIO()
    export_responses("xlsx", buffer)
    sheet = load_workbook(io.BytesIO(buffer.getvalue())).active
    header = [c.value for c in sheet[1]]
    assert header == list(FIELDS)
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    texts = [cell.value for cell in cells if isinstance(cell.value, str)]
    assert '\'=HYPERLINK("http://evil.example","clic")\nsuite' in texts
    assert not any(t.startswith(("=", "+", "-", "@")) for t in texts)
    assert "구로구" in texts
    populations = [row[FIELDS.index("population")].value for row in sheet.iter_rows(min_row=2)]
    assert 415005 in populations  # numbers stay numbers


def test_export_command_writes_the_file(db, tmp_path, runner):
    import_file(write_jsonl(tmp_path / "in.jsonl", several()))
    out = tmp_path / "out.jsonl"
    result = runner.invoke(args=["export", "responses", "--format", "jsonl", "--output", str(out)])
    assert result.exit_code == 0, result.output
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 4 and {json.loads(line)["code"] for line in lines} == {"92040", "11530", "37261", "41110"}


def thousand_rows():
    """1,000 realistic rows: real French and Korean local governments from the reference lists."""
    from matchmaker import reference
    from matchmaker.questionnaire import codes

    themes, sectors = codes.theme_codes(), codes.sector_codes()
    fr = [r for r in reference.load_reference("FR") if r.level == "commune" and r.population][:800]
    kr = list(reference.load_reference("KR"))[:200]
    records = []
    for i, ref in enumerate(fr + kr):
        other = "KR" if ref.country == "FR" else "FR"
        records.append(
            {
                "name": ref.name,
                "name_local": ref.name_local,
                "country": ref.country,
                "level": ref.level,
                "code": ref.code,
                "population": ref.population,
                "region": ref.region,
                "contact_name": f"Contact {i}",
                "contact_email": f"contact{i}@example.org",
                "language": "ko" if ref.country == "KR" else "fr",
                "themes": {
                    themes[i % 22]: {"priority": 1 + i % 3, "stance": ("offer", "seek", "both")[i % 3]},
                    themes[(i * 7 + 3) % 22]: {"priority": 3, "stance": "both"},
                },
                "sectors": [sectors[i % 20], sectors[(i + 5) % 20]],
                "partner_levels": [codes.level_codes(other)[i % 3]],
                "cooperation_kinds": ["twinning", "project"],
                "working_languages": ["en"],
                "existing_partners": [],
                "description": f"{ref.name}: coopération décentralisée, projet {i}.",
                "consent_contact": True,
                "consent_share": True,
            }
        )
    return records


def test_a_thousand_rows_import_completely(db, tmp_path):
    rows = thousand_rows()
    path = write_csv(tmp_path / "thousand.csv", rows)
    report = import_file(path)
    assert report.ok and report.imported == 1000 and report.created == 1000
    assert count(db, Response) == 1000 and count(db, ResponseVersion) == 1000
    assert len(export_records()) == 1000


def test_import_records_rolls_everything_back_when_the_database_refuses_a_row(db, monkeypatch):
    from matchmaker.questionnaire import operations

    real = operations._record_version
    calls = []

    def failing(coll, response, record, source):
        calls.append(record["name"])
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return real(coll, response, record, source)

    monkeypatch.setattr(operations, "_record_version", failing)
    with pytest.raises(RuntimeError):
        import_records(several())
    assert len(calls) == 3
    assert count(db, Response) == 0 and count(db, Collectivite) == 0 and count(db, ResponseVersion) == 0
