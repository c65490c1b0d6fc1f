"""Free-text regions matched to the reference list's régions and 시·도, and named in the reader's language."""

import pytest

from matchmaker.regions import match_region, region_label
from tests.questionnaire.conftest import app  # noqa: F401 - each request reads its own language
from tests.review import factories as f


@pytest.mark.parametrize(
    "country, typed, code",
    [
        ("FR", "Occitanie 🌞", "76"),
        ("FR", "Ile de France", "11"),
        ("FR", "région Bretagne", "53"),
        ("FR", "auvergne rhône alpes", "84"),
        ("KR", "서울", "11"),
        ("KR", "Seoul", "11"),
        ("KR", "경기", "41"),
        ("KR", "Gyeonggi-do", "41"),
        ("KR", "충북", "43"),
        ("KR", "부산광역시", "26"),
    ],
)
def test_typed_regions_find_their_reference_region(country, typed, code):
    assert match_region(country, typed).code == code


def test_unknown_regions_match_nothing_and_stay_as_typed():
    assert match_region("FR", "Atlantide") is None and match_region("KR", "") is None
    assert region_label("FR", "Atlantide", "ko") == "Atlantide"


def test_korean_regions_are_romanised_for_french_and_english_readers():
    assert region_label("KR", "서울", "fr") == "Seoul" and region_label("KR", "서울", "en") == "Seoul"
    assert region_label("KR", "Seoul", "ko") == "서울특별시"
    assert region_label("KR", "경기", "fr") == "Gyeonggi-do"


@pytest.fixture
def typed_regions(db):
    issy, guro = f.issy_and_guro()  # Île-de-France, 서울특별시
    sun = f.collectivite("Montpellier", "FR", "commune", region="Occitanie 🌞")
    toulouse = f.collectivite("Toulouse", "FR", "commune", region="occitanie")
    atlantis = f.collectivite("Ys", "FR", "commune", region="Atlantide")
    mapo = f.collectivite("Mapo-gu", "KR", "gu", name_local="마포구", region="Seoul")
    pairs = {
        name: f.suggestion(fr, kr).id
        for name, fr, kr in (
            ("issy", issy, guro),
            ("sun", sun, mapo),
            ("toulouse", toulouse, guro),
            ("ys", atlantis, mapo),
        )
    }
    user = f.staff("CUF", language="fr")
    db.session.commit()
    return pairs, user


def test_the_region_filter_lists_reference_regions_in_the_readers_language(client, typed_regions):
    pairs, user = typed_regions
    f.login(client, user)
    html = client.get("/staff/pairs?lang=fr").get_data(as_text=True)
    assert '<option value="76">Occitanie</option>' in html and "Occitanie 🌞</option>" not in html
    assert '<option value="11">Seoul</option>' in html and ">서울특별시</option>" not in html
    assert '<option value="other">Autres régions (hors liste de référence)</option>' in html
    korean = client.get("/staff/pairs?lang=ko").get_data(as_text=True)
    assert '<option value="11">서울특별시</option>' in korean


def test_the_region_filter_gathers_every_spelling_and_keeps_the_unmatched_apart(client, typed_regions):
    from tests.review.test_views import listed

    pairs, user = typed_regions
    f.login(client, user)
    assert set(listed(client, "?fr_region=76")) == {pairs["sun"], pairs["toulouse"]}
    assert set(listed(client, "?fr_region=other")) == {pairs["ys"]}
    assert set(listed(client, "?kr_region=11")) == set(pairs.values())
