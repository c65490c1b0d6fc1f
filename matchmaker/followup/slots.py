"""When a French and a Korean office can both take a call: the working hours they share on actual dates.

Pure functions (no Flask, no database). Each side's working day is read in its own time zone with zoneinfo, so
the overlap follows French summer time (Paris 09:00–10:00 = Seoul 17:00–18:00 in winter, Paris 09:00–11:00 =
Seoul 16:00–18:00 in summer). Weekends and the public holidays of either country (the ``holidays`` package,
which also knows Korea's lunar and substitute holidays) are skipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

from matchmaker.vocabulary import COUNTRIES

PARIS = ZoneInfo("Europe/Paris")
SEOUL = ZoneInfo("Asia/Seoul")
#: Time zone and public-holiday calendar of each side of a pair.
SIDE_ZONES = {"FR": PARIS, "KR": SEOUL}
SIDE_COUNTRIES = {"FR": "FR", "KR": "KR"}
WORK_START, WORK_END = time(9, 0), time(18, 0)
#: Slots start on the hour or the half hour.
STEP = timedelta(minutes=30)


@dataclass(frozen=True)
class Window:
    """An interval of shared working time, in UTC."""

    start: datetime
    end: datetime


@lru_cache(maxsize=64)
def _public_holidays(country: str, year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays(country, years=year))


def is_public_holiday(country: str, day: date) -> bool:
    """Whether ``day`` is a public holiday in ``country`` (FR or KR)."""
    return day in _public_holidays(country, day.year)


def is_working_day(day: date, countries: tuple[str, ...] = COUNTRIES) -> bool:
    """A weekday that is a public holiday in none of ``countries``."""
    return day.weekday() < 5 and not any(is_public_holiday(c, day) for c in countries)


def shared_window(day: date, start: time = WORK_START, end: time = WORK_END) -> Window | None:
    """The working hours Paris and Seoul share on calendar date ``day`` (each in its own zone), or None."""
    if not is_working_day(day):
        return None
    opens = max(datetime.combine(day, start, z).astimezone(timezone.utc) for z in (PARIS, SEOUL))
    closes = min(datetime.combine(day, end, z).astimezone(timezone.utc) for z in (PARIS, SEOUL))
    return Window(opens, closes) if opens < closes else None


def _round_up(moment: datetime) -> datetime:
    """The next half hour at or after ``moment`` (UTC)."""
    base = moment.replace(minute=0, second=0, microsecond=0)
    while base < moment:
        base += STEP
    return base


def propose_slots(
    after: datetime, count: int = 3, minutes: int = 60, *, lead: timedelta = timedelta(days=2), horizon_days: int = 60
) -> list[datetime]:
    """``count`` call starts (UTC), one per shared working day, the first at least ``lead`` after ``after``."""
    earliest = after.astimezone(timezone.utc) + lead
    day = earliest.astimezone(PARIS).date()
    found: list[datetime] = []
    for _ in range(horizon_days):
        window = shared_window(day)
        if window is not None:
            start = _round_up(max(window.start, earliest))
            if start + timedelta(minutes=minutes) <= window.end:
                found.append(start)
                if len(found) == count:
                    break
        day += timedelta(days=1)
    return found


def within_shared_hours(start: datetime, minutes: int = 60) -> bool:
    """Whether a call starting at ``start`` fits inside both sides' working hours of that date."""
    day = start.astimezone(PARIS).date()
    window = shared_window(day)
    return window is not None and window.start <= start and start + timedelta(minutes=minutes) <= window.end
