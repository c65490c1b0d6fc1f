"""Random junk in every form field and every import cell: a 4xx or a reported row, never a 500 or a partial write."""

import csv

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from matchmaker.models import Collectivite, ResponseVersion
from matchmaker.questionnaire.forms import STEPS
from matchmaker.questionnaire.operations import import_file, import_records
from matchmaker.questionnaire.record import FIELDS, record_to_row
from matchmaker.questionnaire.validation import validate_record
from tests.factories import csrf_token
from tests.questionnaire.conftest import fr_record, kr_record
from tests.questionnaire.webflow import fill_questionnaire

FUZZ = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
junk_text = st.text(max_size=300) | st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "=cmd|' /C calc'!A0",
        "-1",
        "0",
        "1e9",
        "NaN",
        "../../etc/passwd",
        "<script>alert(1)</script>",
        "smart_city:9:offer",
        '[1, {"a": 2}]',
        '{"x": []}',
        "\ufeff",
        "구로구" * 2000,
        "true",
        "non",
    ]
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | junk_text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(junk_text, inner, max_size=4),
    max_leaves=8,
)
form_names = sorted(
    {name for step in STEPS for name in step.fields if name != "themes"}
    | {"theme-smart_city-priority", "theme-smart_city-stance", "theme-water-priority", "action", "goto"}
)


def versions(db):
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(ResponseVersion))


@FUZZ
@given(
    step=st.sampled_from([s.name for s in STEPS]),
    data=st.dictionaries(st.sampled_from(form_names), junk_text, max_size=12),
)
def test_junk_in_any_form_field_never_breaks_a_step(client, db, step, data):
    token = csrf_token(client.get(f"/questionnaire/{step}").get_data(as_text=True))
    response = client.post(f"/questionnaire/{step}", data=dict(data, csrf_token=token))
    assert response.status_code in (200, 302, 400, 409, 422), response.status_code
    autosave = client.post("/questionnaire/autosave", data=dict(data, csrf_token=token, step=step))
    assert autosave.status_code in (200, 400)
    if response.status_code == 302:
        assert client.get(response.headers["Location"]).status_code in (200, 302)


@FUZZ
@given(field=st.sampled_from(FIELDS + ("extra",)), value=json_values)
def test_junk_in_any_json_field_is_a_reported_row_or_a_clean_import(db, field, value):
    before = versions(db)
    record = dict(kr_record(), **{field: value})
    report = import_records([fr_record(), record])
    after = versions(db)
    if report.errors:
        assert not report.written and after == before
        assert {e.line for e in report.errors} == {2}
    else:
        assert report.written and after == before + 2


@FUZZ
@given(field=st.sampled_from(FIELDS), cell=junk_text)
def test_junk_in_any_csv_cell_is_a_reported_row_or_a_clean_import(db, tmp_path_factory, field, cell):
    path = tmp_path_factory.mktemp("csv") / "junk.csv"
    rows = [record_to_row(validate_record(fr_record(), "en")[0]), record_to_row(validate_record(kr_record(), "en")[0])]
    rows[1][field] = cell
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=FIELDS)
        writer.writeheader()
        writer.writerows(rows)
    before = versions(db)
    report = import_file(path)
    after = versions(db)
    if report.errors:
        assert not report.written and after == before
    else:
        assert report.written and after == before + 2


def test_a_rejected_web_submission_writes_no_collectivite(client, db):
    from tests.questionnaire.webflow import form_data, post_step, step_data

    fill_questionnaire(client, fr_record(), submit=False)
    contact = step_data("contact", form_data(fr_record(consent_share=False)))
    assert post_step(client, "contact", contact, action="save").status_code == 200  # kept, not checked
    token = csrf_token(client.get("/questionnaire/review").get_data(as_text=True))
    result = client.post("/questionnaire/review", data={"csrf_token": token, "action": "submit"})
    assert result.status_code == 422 and 'href="/questionnaire/contact#consent_share"' in result.get_data(as_text=True)
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Collectivite)) == 0
