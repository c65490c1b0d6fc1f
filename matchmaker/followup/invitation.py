"""The iCalendar invitation of a confirmed first call, made with the ``icalendar`` library.

The event's start is the UTC instant (calendar programs show it in their own zone); the description gives the
local time of each side, in the recipient's language, with the meeting link and the interpreter note.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from icalendar import Calendar, Event

from matchmaker.clock import utcnow

CONTENT_TYPE = "text/calendar; method=PUBLISH"
FILENAME = "invitation.ics"


def invitation_ics(
    *, uid: str, starts_at, minutes: int, summary: str, description: str, url: str | None, sequence: int = 0
) -> str:
    """The text of an ``.ics`` file holding one event (PUBLISH: it imports without an organiser's reply)."""
    calendar = Calendar()
    calendar.add("prodid", "-//Cités Unies France and GAROK//Matchmaker first call//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"{uid}@{current_app.config['MAIL_DOMAIN']}")
    event.add("dtstamp", utcnow())
    event.add("dtstart", starts_at)
    event.add("dtend", starts_at + timedelta(minutes=minutes))
    event.add("sequence", sequence)
    event.add("summary", summary)
    event.add("description", description)
    if url:
        event.add("url", url)
        event.add("location", url)
    calendar.add_component(event)
    return calendar.to_ical().decode("utf-8")
