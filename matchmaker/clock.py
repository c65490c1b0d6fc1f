"""The service's one clock: every "now" and "today" in the code comes from here.

Nothing else in ``matchmaker/`` or ``jobs/`` calls ``datetime.now``, ``date.today`` or ``time.time`` for a date
or an hour that changes an outcome. Tests set this clock with time-machine (``tests/conftest.py``: the ``clock``
fixture), which moves the process's own clock, so the service, the libraries it calls and the threads of a live
server all read the same instant.
"""

from __future__ import annotations

from datetime import date, datetime, timezone, tzinfo


def utcnow() -> datetime:
    """The current instant, timezone-aware, in UTC."""
    return datetime.now(timezone.utc)


def now_in(zone: tzinfo) -> datetime:
    """The current instant as a wall-clock time of ``zone``."""
    return utcnow().astimezone(zone)


def today(zone: tzinfo = timezone.utc) -> date:
    """Today's date in ``zone`` (UTC unless given)."""
    return now_in(zone).date()
