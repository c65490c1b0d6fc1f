"""How a call's time reads for each side: the date and hour in the side's own zone, in the reader's language."""

from __future__ import annotations

from datetime import datetime

from babel.dates import format_date, format_time
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from matchmaker.followup.slots import SIDE_ZONES

ZONE_LABELS = {"FR": _l("Paris time"), "KR": _l("Seoul time")}


def local_time(moment: datetime, side: str, *, with_zone: bool = True) -> str:
    """``moment`` as a reader of the current language says it, in the time zone of ``side`` ("FR" or "KR")."""
    lang = str(get_locale() or "fr")
    local = moment.astimezone(SIDE_ZONES[side])
    text = _(
        "%(date)s, %(time)s",
        date=format_date(local.date(), "full", locale=lang),
        time=format_time(local, "short", locale=lang),
    )
    return f"{text} ({ZONE_LABELS[side]})" if with_zone else text
