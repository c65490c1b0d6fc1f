"""Known partnerships: the import format with a source per row, the file shipped from public sources, the
partners declared in the questionnaire, their exclusion from suggestions, the map and the public page."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from matchmaker.models import KnownPartnership, Suggestion
from matchmaker.outreach import maps
from matchmaker.outreach.partnerships import (
    PartnershipFileError,
    import_partnerships,
    is_published,
    known_partnership_pairs,
    sync_declared_partnerships,
)
from matchmaker.paths import DATA_DIR
from tests.review.factories import collectivite

SHIPPED = DATA_DIR / "partnerships" / "known_fr_kr.csv"


def test_the_shipped_list_imports_with_a_source_on_every_row_and_each_pair_on_the_map(db):
    report = import_partnerships(SHIPPED.read_text(encoding="utf-8"))
    db.session.commit()
    rows = db.session.scalars(select(KnownPartnership)).all()
    assert report.added == len(rows) == 18 and all(len(p.source) > 20 for p in rows)
    issy = next(p for p in rows if p.fr_code == "92040")
    assert (issy.kr_name_local, issy.year, issy.kind) == ("구로구", 2006, "twinning")
    assert all(maps.locate("FR", p.fr_level, p.fr_code) and maps.locate("KR", p.kr_level, p.kr_code) for p in rows)
    again = import_partnerships(SHIPPED.read_text(encoding="utf-8"))
    assert (again.added, again.updated) == (0, 18)


@pytest.mark.parametrize(
    "line, message",
    [
        ("commune,99999,gu,11530,,,,Source", "Ligne 3"),
        ("commune,92040,gu,11530,twinning,1820,,Source", "1950"),
        ("commune,92040,gu,11530,twinning,2006,space_travel,Source", "space_travel"),
        ("commune,92040,gu,11530,twinning,2006,,", "source"),
    ],
)
def test_a_bad_row_is_named_and_nothing_is_imported(app, db, line, message):
    from flask_babel import force_locale

    text = (
        "fr_level,fr_code,kr_level,kr_code,kind,year,themes,source\ncommune,37261,si,41110,twinning,2023,,Press\n"
        + line
        + "\n"
    )
    with app.test_request_context("/"), force_locale("fr"):
        with pytest.raises(PartnershipFileError, match=message):
            import_partnerships(text)
    assert db.session.scalar(select(KnownPartnership)) is None


def test_an_imported_partnership_is_never_suggested(app, db):
    from matchmaker.suggestions.operations import recompute_suggestions

    issy = collectivite("Issy-les-Moulineaux", "FR", "commune", themes={"smart_city": (3, "offer")})
    issy.code = "92040"
    guro = collectivite("Guro-gu", "KR", "gu", name_local="구로구", themes={"smart_city": (3, "seek")})
    guro.code = "11530"
    other = collectivite("Gangnam-gu", "KR", "gu", name_local="강남구", themes={"smart_city": (3, "seek")})
    db.session.commit()
    recompute_suggestions()
    db.session.commit()
    pairs = {(s.fr_id, s.kr_id) for s in db.session.scalars(select(Suggestion))}
    assert (issy.id, guro.id) in pairs  # without the list, the engine proposes them

    import_partnerships(SHIPPED.read_text(encoding="utf-8"))
    db.session.commit()
    assert known_partnership_pairs() == {(issy.id, guro.id)}
    recompute_suggestions()
    db.session.commit()
    pairs = {(s.fr_id, s.kr_id) for s in db.session.scalars(select(Suggestion).where(Suggestion.is_current.is_(True)))}
    assert (issy.id, guro.id) not in pairs and (issy.id, other.id) in pairs


def test_a_partner_declared_in_the_questionnaire_is_recorded_and_never_suggested(app, db):
    from matchmaker.suggestions.operations import recompute_suggestions

    tours = collectivite("Tours", "FR", "commune", themes={"climate_energy": (3, "offer")})
    tours.code = "37261"
    tours.response.existing_partners = ["KR:41110"]
    suwon = collectivite("Suwon-si", "KR", "si", name_local="수원시", themes={"climate_energy": (3, "seek")})
    suwon.code = "41110"
    db.session.commit()
    recompute_suggestions()
    db.session.commit()
    assert (
        db.session.scalar(
            select(Suggestion).where(
                Suggestion.fr_id == tours.id, Suggestion.kr_id == suwon.id, Suggestion.is_current.is_(True)
            )
        )
        is None
    )
    assert sync_declared_partnerships() == 1
    assert sync_declared_partnerships() == 0
    db.session.commit()
    declared = db.session.scalar(select(KnownPartnership))
    assert (declared.origin, declared.kr_name_local, declared.response_id) == ("declared", "수원시", tours.response.id)
    assert known_partnership_pairs(tours.id) == {(tours.id, suwon.id)}


def test_the_map_draws_both_countries_and_a_line_per_partnership(app):
    with app.test_request_context("/"):
        svg = str(
            maps.partnerships_map(
                "m",
                "Map",
                "desc",
                [
                    maps.MapLine(("commune", "92040"), ("gu", "11530"), "Issy — 구로구"),
                    maps.MapLine(("region", "01"), ("gu", "11530"), "overseas"),
                ],
                {"FR": "France", "KR": "Corée"},
            )
        )
    assert svg.count('class="partnership-line"') == 1 and "Issy — 구로구" in svg
    assert svg.count('class="land"') == 2 and "http" not in svg.replace("http://www.w3.org/2000/svg", "")


def test_the_public_page_exists_only_once_published_and_shows_no_contact(db, client):
    from tests.review.factories import login, post, staff

    import_partnerships(SHIPPED.read_text(encoding="utf-8"))
    tours = collectivite("Tours", "FR", "commune", email="secret-contact@tours.example.fr")
    tours.code = "37261"
    user = staff("CUF")
    db.session.commit()
    assert client.get("/partnerships").status_code == 404
    login(client, user)
    page = client.get("/staff/partnerships?theme=smart_city").get_data(as_text=True)
    assert "Nice" in page and "Issy" not in page.split("<tbody>", 1)[1]
    assert post(client, "/staff/partnerships", {"action": "publish"}).status_code == 302
    assert is_published()
    public = client.get("/partnerships?level=gu").get_data(as_text=True)
    assert (
        "구로구" in public
        and "secret-contact" not in public
        and "@" not in public.split("<main", 1)[1].split("</main>")[0]
    )
    assert "<svg" in public and "partnership-line" in public


def test_the_demo_loads_the_documented_partnerships_and_never_suggests_them(runner, db):
    """`matchmaker demo` starts the map from the shipped partnerships; none of the known pairs is suggested."""
    from sqlalchemy import func, select

    from matchmaker.models import KnownPartnership, Suggestion
    from matchmaker.outreach.partnerships import known_partnership_pairs

    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert "documented partnerships loaded" in result.output
    assert db.session.scalar(select(func.count()).select_from(KnownPartnership)) >= 18
    known = known_partnership_pairs()
    assert known  # some documented pairs are demo respondents on both sides
    suggested = set(db.session.execute(select(Suggestion.fr_id, Suggestion.kr_id).where(Suggestion.is_current)).all())
    assert suggested and not (known & suggested)
