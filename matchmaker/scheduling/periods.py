"""Period keys: which week, month, day or hour a run belongs to, in a given time zone.

A key names the latest slot that is due, so a job missed during downtime has the same key on restart as it
would have had on time (it runs once), and the next slot gets a new key.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

PARIS = "Europe/Paris"
SEOUL = "Asia/Seoul"
#: Time zone of each country's recipients and of each association's staff.
COUNTRY_TIMEZONES = {"FR": PARIS, "KR": SEOUL}
ORG_TIMEZONES = {"CUF": PARIS, "GAROK": SEOUL}


def local(now: datetime, tz: str) -> datetime:
    """``now`` (aware) in time zone ``tz``."""
    return now.astimezone(ZoneInfo(tz))


def week_key(day: date) -> str:
    """ISO week of a date: ``2026-W48``."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def month_key(day: date) -> str:
    """Month of a date: ``2026-11``."""
    return f"{day.year}-{day.month:02d}"


def period_start(day: date, frequency: str) -> date:
    """First day of the week (Monday) or month containing ``day``."""
    if frequency == "weekly":
        return day - timedelta(days=day.weekday())
    if frequency == "monthly":
        return day.replace(day=1)
    raise ValueError(f"no period for frequency {frequency!r}")


def period_key(day: date, frequency: str) -> str:
    """Key of the week or month containing ``day``."""
    if frequency == "weekly":
        return week_key(day)
    if frequency == "monthly":
        return month_key(day)
    raise ValueError(f"no period for frequency {frequency!r}")


def due_period(now: datetime, tz: str, frequency: str, at: time) -> str | None:
    """Key of the current week/month once its first day's ``at`` (local time) has passed, else None."""
    here = local(now, tz)
    start = period_start(here.date(), frequency)
    opens = datetime.combine(start, at, tzinfo=ZoneInfo(tz))
    return period_key(here.date(), frequency) if here >= opens else None


def previous_period_start(now: datetime, tz: str, frequency: str) -> datetime:
    """Start (local midnight, as UTC) of the period before the current one: the default 'since' of a first digest."""
    here = local(now, tz).date()
    start = period_start(here, frequency)
    before = period_start(start - timedelta(days=1), frequency)
    return datetime.combine(before, time(0), tzinfo=ZoneInfo(tz)).astimezone(timezone.utc)


def daily_key(now: datetime, tz: str, at: time) -> str:
    """Key (local date) of the latest daily slot at ``at`` that is due."""
    here = local(now, tz)
    day = here.date() if here.time() >= at else here.date() - timedelta(days=1)
    return day.isoformat()


def hourly_key(now: datetime) -> str:
    """Key of the current UTC hour: ``2026-11-23T08``."""
    return now.astimezone(timezone.utc).strftime("%Y-%m-%dT%H")


def minute_key(now: datetime) -> str:
    """Key of the current UTC minute: ``2026-11-23T08:05``."""
    return now.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M")
