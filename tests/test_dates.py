"""Dates, times and durations as a person writes them in each language."""

from datetime import date, datetime, timezone

import pytest
from flask_babel import force_locale, gettext

from matchmaker.dates import duration, long_date, moment

INSTANT = datetime(2026, 12, 4, 4, 12, tzinfo=timezone.utc)  # 05:12 in Paris, 13:12 in Seoul


@pytest.mark.parametrize(
    "lang, draft_saved",
    [
        ("fr", "Brouillon enregistré le 4 décembre 2026 à 05:12"),
        ("en", "Draft saved on 4 December 2026 at 05:12"),
        ("ko", "2026년 12월 4일 13:12에 임시 저장됨"),
    ],
)
def test_a_moment_reads_as_a_sentence(app, lang, draft_saved):
    with app.test_request_context("/"), force_locale(lang):
        assert gettext("Draft saved on %(date)s at %(time)s", **moment(INSTANT)) == draft_saved


@pytest.mark.parametrize(
    "lang, expected", [("fr", "4 décembre 2026"), ("en", "4 December 2026"), ("ko", "2026년 12월 4일")]
)
def test_long_dates(app, lang, expected):
    with app.test_request_context("/"), force_locale(lang):
        assert long_date(date(2026, 12, 4)) == expected
        rendered = app.jinja_env.from_string("{{ d|dateformat('long') }}").render(d=date(2026, 12, 4))
        assert rendered == expected


@pytest.mark.parametrize(
    "days, fr, ko, en",
    [
        (1095, "3 ans", "3년", "3 years"),
        (365, "1 an", "1년", "1 year"),
        (90, "3 mois", "3개월", "3 months"),
        (14, "2 semaines", "2주", "2 weeks"),
        (45, "45 jours", "45일", "45 days"),
        (1, "1 jour", "1일", "1 day"),
    ],
)
def test_durations_are_said_in_words(app, days, fr, ko, en):
    for lang, expected in (("fr", fr), ("ko", ko), ("en", en)):
        with app.test_request_context("/"), force_locale(lang):
            assert duration(days) == expected.replace(" ", "\u00a0")  # never cut between figure and unit


def test_the_privacy_page_says_how_long_in_words(client):
    assert "effacées 3\u00a0ans après" in client.get("/privacy?lang=fr").get_data(as_text=True)
    korean = client.get("/privacy?lang=ko").get_data(as_text=True)
    assert "3년이 지나면" in korean and "1095" not in korean
    assert "erased 3\u00a0years after" in client.get("/privacy?lang=en").get_data(as_text=True)
