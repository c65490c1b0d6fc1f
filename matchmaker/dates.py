"""Dates, times and durations as a person writes them in French, Korean and English (Babel).

"le 4 décembre 2026 à 05:12", "2026년 12월 4일 05:12", "on 4 December 2026 at 05:12": the sentence around a
date is a message of the catalogs ("Draft saved on %(date)s at %(time)s"); this module gives its parts. A
duration is said in the largest unit that counts it exactly ("3 ans", "3년", "3 years"; "45 jours").
"""

from __future__ import annotations

import re
from datetime import date, datetime

from babel.units import format_unit
from flask_babel import format_date, format_datetime, get_locale

#: The long date of each language: Babel's "long" is American in English (December 4, 2026).
LONG_DATE = {"fr": "d MMMM y", "en": "d MMMM y", "ko": "y년 M월 d일"}
TIME = "HH:mm"
#: A moment on its own (a table cell, an email header), as CLDR writes a long date with a time.
LONG_MOMENT = {"fr": "d MMMM y 'à' HH:mm", "en": "d MMMM y 'at' HH:mm", "ko": "y년 M월 d일 HH:mm"}
_UNITS = ((365, "duration-year"), (30, "duration-month"), (7, "duration-week"), (1, "duration-day"))


def _lang() -> str:
    return str(get_locale() or "fr")


def long_date(value: date | datetime | None) -> str:
    """A date in words in the current language: 4 décembre 2026, 2026년 12월 4일, 4 December 2026."""
    if value is None:
        return ""
    pattern = LONG_DATE.get(_lang(), "long")
    if isinstance(value, datetime):
        return format_datetime(value, pattern)  # in the reader's time zone
    return format_date(value, pattern)


def clock_time(value: datetime) -> str:
    """The hour of an instant in the reader's time zone (05:12)."""
    return format_datetime(value, TIME)


def moment(value: datetime) -> dict[str, str]:
    """``date`` and ``time`` of an instant, for messages such as "Draft saved on %(date)s at %(time)s"."""
    return {"date": long_date(value), "time": clock_time(value)}


def long_moment(value: datetime) -> str:
    """An instant on its own in the reader's time zone: 4 décembre 2026 à 05:12, 2026년 12월 4일 13:12."""
    return format_datetime(value, LONG_MOMENT.get(_lang(), "long"))


def duration(days: int) -> str:
    """A number of days in the largest unit that counts it exactly: 1095 → 3 ans / 3년 / 3 years; 45 → 45 jours."""
    days = int(days)
    size, unit = next(((size, unit) for size, unit in _UNITS if days and days % size == 0), (1, "duration-day"))
    text = format_unit(days // size, unit, length="long", locale=get_locale())
    return re.sub(r"(\d) ", "\\1\u00a0", text)  # "3 ans" is never cut between the figure and its unit


def register_filters(jinja_env) -> None:
    """Jinja filters: ``long_date``, ``clock_time``, ``duration``; ``dateformat("long")`` uses the long date above."""
    babel_dateformat = jinja_env.filters.get("dateformat", format_date)

    def dateformat(value, format=None):  # format: Flask-Babel's own parameter name
        if format == "long":
            return long_date(value)
        return babel_dateformat(value, format) if format else babel_dateformat(value)

    jinja_env.filters.update(long_date=long_date, clock_time=clock_time, duration=duration, dateformat=dateformat)
