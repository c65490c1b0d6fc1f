"""Imports that accept every valid file and name what is wrong with the others: JSON Lines split on line feeds only,
bounded nesting, NUL refused, the same collectivité twice in a file reported, a separator mismatch named, empty
files refused; and any response the service accepts exports to CSV and JSON Lines and imports back identical."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matchmaker.questionnaire.operations import ImportFileError, export_records, export_responses, import_file
from matchmaker.questionnaire.validation import validate_record
from tests.conftest import empty_tables
from tests.questionnaire.conftest import fr_record, kr_record
from tests.questionnaire.test_import_export import write_csv, write_jsonl


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\x1c"])
def test_a_json_line_with_a_unicode_line_separator_inside_a_string_parses(db, tmp_path, separator):
    path = tmp_path / "r.jsonl"
    path.write_text(
        json.dumps(fr_record(description=f"avant{separator}après"), ensure_ascii=False)
        + "\r\n"
        + json.dumps(kr_record(), ensure_ascii=False)
        + "\r\n",
        encoding="utf-8",
    )
    report = import_file(path)
    assert report.ok and report.imported == 2, report.errors


def test_a_csv_with_a_line_separator_exports_to_json_lines_that_import_again(db, tmp_path):
    assert import_file(write_csv(tmp_path / "in.csv", [fr_record(description="un\u2028deux"), kr_record()])).ok
    before = export_records()
    assert "\u2028" in before[0]["description"] + before[1]["description"]
    out = tmp_path / "out.jsonl"
    with out.open("wb") as fh:
        export_responses("jsonl", fh)
    db.session.rollback()
    empty_tables(db.engine)
    report = import_file(out)
    assert report.ok, report.errors
    assert export_records() == before


def test_deep_nesting_is_a_clear_row_error(db, tmp_path):
    path = tmp_path / "deep.jsonl"
    path.write_text(
        json.dumps(fr_record())
        + "\n"
        + "[" * 100_000
        + "]" * 100_000
        + "\n"
        + json.dumps(fr_record(existing_partners=[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["x"]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]))
        + "\n",
        encoding="utf-8",
    )
    report = import_file(path)
    assert [(e.line, e.field) for e in report.errors] == [(2, "record"), (3, "record")]
    assert all("nested" in e.message for e in report.errors)
    assert not report.written


def test_a_nul_in_a_field_is_an_error_not_removed(db, tmp_path):
    report = import_file(write_jsonl(tmp_path / "r.jsonl", [fr_record(contact_email="a\u0000b@example.org")]))
    assert [(e.line, e.field) for e in report.errors] == [(1, "contact_email")]
    assert "NUL" in report.errors[0].message
    clean, errors = validate_record(fr_record(description="avant\x00après"), "fr")
    assert "description" in errors


def test_the_same_collectivite_twice_in_a_file_is_reported(db, tmp_path):
    report = import_file(write_jsonl(tmp_path / "r.jsonl", [fr_record(), kr_record(), fr_record(population=70000)]))
    assert report.written and report.imported == 3
    assert [(w.line, w.field) for w in report.warnings] == [(3, "code")]
    assert "line 1" in report.warnings[0].message


def test_the_same_collectivite_twice_is_a_warning_on_the_command_line(db, tmp_path, runner):
    path = write_jsonl(tmp_path / "r.jsonl", [fr_record(), fr_record(population=70000)])
    result = runner.invoke(args=["import", str(path)])
    assert result.exit_code == 0 and "line 2" in result.output and "line 1" in result.output


@pytest.mark.parametrize("header, rows", [(";", ","), (",", ";")])
def test_a_separator_mismatch_between_header_and_rows_is_named(db, tmp_path, header, rows):
    path = write_csv(tmp_path / "r.csv", [fr_record(), kr_record()], delimiter=rows)
    lines = path.read_bytes().decode("utf-8-sig").split("\r\n")
    lines[0] = lines[0].replace(rows, header)
    path.write_text("\r\n".join(lines), encoding="utf-8")
    report = import_file(path)
    assert len(report.errors) == 1, report.errors
    assert f"“{header}”" in report.errors[0].message and f"“{rows}”" in report.errors[0].message


@pytest.mark.parametrize(
    "name, content",
    [
        ("empty.csv", ""),
        ("empty.jsonl", "\n\n"),
        ("bom.csv", "\ufeff"),
        ("header.csv", "name,country,level,code\r\n"),
        ("header-blank.csv", "name;country\n;\n\n"),
    ],
)
def test_an_empty_or_header_only_file_is_an_error(db, tmp_path, runner, name, content):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ImportFileError):
        import_file(path)
    result = runner.invoke(args=["import", str(path)])
    assert result.exit_code == 1


texts = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(
    fmt=st.sampled_from(["csv", "jsonl"]),
    description=texts,
    contact_name=texts,
    contact_role=texts,
    partner=texts,
    region=texts,
)
def test_any_accepted_response_exports_and_imports_back_identical(
    db, tmp_path_factory, fmt, description, contact_name, contact_role, partner, region
):
    record = fr_record(
        description=description,
        contact_name=contact_name,
        contact_role=contact_role,
        existing_partners=[partner],
        region=region,
    )
    _, errors = validate_record(record, "en")
    if errors:
        return  # refused with a message: not a response the service holds
    db.session.rollback()
    empty_tables(db.engine)
    folder = tmp_path_factory.mktemp("round")
    assert import_file(write_jsonl(folder / "in.jsonl", [record, kr_record()])).ok
    before = export_records()
    out = folder / f"out.{fmt}"
    with out.open("wb") as fh:
        export_responses(fmt, fh)
    db.session.rollback()
    empty_tables(db.engine)
    report = import_file(out)
    assert report.ok, report.errors
    assert export_records() == before
