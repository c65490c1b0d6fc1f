"""On the pair page, a presentation in the other language comes with the themes it speaks of, in the reader's."""

from matchmaker.review.reading import concepts_for_reader, text_language
from tests.questionnaire.conftest import app  # noqa: F401 - each request reads its own language
from tests.review import factories as f


def test_concepts_are_listed_in_the_readers_language_only_for_another_language():
    korean = "스마트시티 정책을 배우고 싶습니다. 빗물저금통으로 빗물을 모으는 레인시티."
    assert text_language(korean, "fr") == "ko" and text_language("Ville intelligente", "en") == "en"
    assert set(concepts_for_reader(korean, "ko", "fr")) >= {
        "Gestion de l’eau",
        "Ville intelligente et administration numérique",
    }
    assert "Smart city and digital government" in concepts_for_reader(korean, "ko", "en")
    assert concepts_for_reader(korean, "ko", "ko") == []
    assert "스마트시티·디지털 행정" in concepts_for_reader("Ville pionnière de la ville intelligente.", "fr", "ko")
    assert concepts_for_reader("", "fr", "ko") == []


def test_the_pair_page_shows_what_the_other_languages_presentation_speaks_of(client, db):
    issy, guro = f.issy_and_guro()  # Issy writes in French, Guro in Korean (스마트시티)
    s = f.suggestion(issy, guro)
    cuf, _garok = f.staff("CUF", language="fr"), f.staff("GAROK", language="ko")
    db.session.commit()
    f.login(client, cuf)
    french = client.get(f"/staff/pairs/{s.id}?lang=fr").get_data(as_text=True)
    assert french.count('class="read-across"') == 1  # only beside Guro's Korean presentation
    assert (
        "elle évoque" in french and '<span class="tag">Ville intelligente et administration numérique</span>' in french
    )
    korean = client.get(f"/staff/pairs/{s.id}?lang=ko").get_data(as_text=True)
    assert korean.count('class="read-across"') == 1  # only beside Issy's French presentation
    assert '<span class="tag">스마트시티·디지털 행정</span>' in korean
