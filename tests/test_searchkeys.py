"""One normaliser for names: stored keys and queries ignore case, accents, hyphens, apostrophes and spaces, and
keep Hangul; the staff search, the import's duplicate detection and the autocomplete all use it."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from matchmaker.matching.text import fold, search_key
from matchmaker.models import Collectivite
from matchmaker.questionnaire.operations import import_records
from tests.questionnaire.conftest import fr_record
from tests.review import factories as f
from tests.review.test_views import listed, world  # noqa: F401 - the shared data set of the pairs list


@pytest.mark.parametrize(
    "typed, stored",
    [
        ("issy les moulineaux", "Issy-les-Moulineaux"),
        ("ISSY‑LES‑MOULINEAUX", "Issy-les-Moulineaux"),  # non-breaking hyphens
        ("Saint Mande", "Saint-Mandé"),
        ("auvergne rhône alpes", "Auvergne-Rhône-Alpes"),
        ("cote d'or", "Côte-d’Or"),
        ("L'Haÿ les Roses", "L’Haÿ-les-Roses"),
        ("coeur de savoie", "Cœur de Savoie"),
        ("ＡＮＧＥＲＳ", "Angers"),  # full-width letters, as some Korean keyboards type them
        ("구로구", "구로구"),
    ],
)
def test_a_name_typed_any_way_has_the_key_of_the_stored_name(typed, stored):
    assert search_key(typed) == search_key(stored)


def test_hangul_is_kept_as_typed_and_found_inside_a_longer_name():
    assert fold("서울특별시 구로구") == "서울특별시 구로구"
    assert search_key("구로") in search_key("구로구 (Guro-gu)")
    assert fold("Occitanie 🌞") == "occitanie"


def test_keys_fit_the_column():
    assert len(search_key("a" * 500)) == 200


@pytest.fixture
def cuf_client(client, db):
    user = f.staff("CUF", language="fr")
    db.session.commit()
    f.login(client, user)
    return client


@pytest.mark.parametrize(
    "query", ["issy les moulineaux", "ISSY-LES-MOULINEAUX", "Issy les-Moulineaux", "issylesmoulineaux"]
)
def test_the_staff_search_forgives_spelling(cuf_client, world, query):  # noqa: F811 - the fixture
    assert set(listed(cuf_client, "?q=" + query)) == {world["issy-guro"], world["issy-busan"]}


def test_the_staff_search_finds_a_region_spelt_without_hyphens(cuf_client, world):  # noqa: F811 - the fixture
    assert set(listed(cuf_client, "?q=Guro gu")) == {world["issy-guro"], world["lyon-guro"]}


def test_the_import_recognises_a_known_collectivite_however_its_name_is_spelt(db):
    first = import_records([fr_record(code=None, name="Saint-Mandé", name_local="Saint-Mandé", population=22_000)])
    assert first.created == 1
    again = import_records([fr_record(code=None, name="SAINT MANDE", name_local="SAINT MANDE", population=22_000)])
    assert again.created == 0 and again.new_versions == 1
    assert db.session.scalar(select(func.count()).select_from(Collectivite)) == 1
    assert db.session.scalar(select(Collectivite.name_key)) == "saintmande"


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("issy les moulineaux", "Issy-les-Moulineaux"),
        ("Saint Mande", "Saint-Mandé"),
        ("auvergne rhône alpes", "Auvergne-Rhône-Alpes"),
        ("구로", "Guro-gu"),
    ],
)
def test_the_autocomplete_forgives_spelling(client, typed, expected):
    rows = client.get("/questionnaire/reference", query_string={"q": typed}).get_json()
    assert rows and rows[0]["name"] == expected


def test_keys_stored_by_an_older_normaliser_are_recomputed_once(app, db, runner):
    coll = f.collectivite("Issy-les-Moulineaux", "FR", "commune")
    coll.name_key = "issy les moulineaux"  # as the review factories and the old staff search spelt it
    db.session.commit()
    assert "1 search keys recomputed" in runner.invoke(args=["db", "rekey"]).output
    db.session.expire_all()
    assert db.session.get(Collectivite, coll.id).name_key == "issylesmoulineaux"
    assert "0 search keys recomputed" in runner.invoke(args=["db", "rekey"]).output
