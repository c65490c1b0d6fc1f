"""Reads of the mail area: the outbox as staff and operators see it (counts per status, the filtered list with
what needs attention first, what is due now).

The staff page, the ``outbox`` commands and the health summary all read the outbox through these functions, so
a count or an order means the same thing wherever it is shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import and_, case, func, select

from matchmaker.clock import utcnow
from matchmaker.extensions import db
from matchmaker.models import OutboxMessage
from matchmaker.models.mail import OUTBOX_STATUSES


def attention_first():
    """An ORDER BY key putting refused, failed and ambiguous emails first, then pending ones that met an error."""
    return case(
        (OutboxMessage.status == "failed", 0),
        (OutboxMessage.status == "ambiguous", 1),
        (and_(OutboxMessage.status == "pending", OutboxMessage.last_error.is_not(None)), 2),
        else_=3,
    )


def status_counts() -> dict[str, int]:
    """How many emails the outbox holds in each status (statuses with none are absent)."""
    return dict(db.session.execute(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)).all())


def oldest_pending_at() -> datetime | None:
    """When the oldest email still waiting to be sent was queued (aware, UTC), or None."""
    oldest = db.session.scalar(select(func.min(OutboxMessage.created_at)).where(OutboxMessage.status == "pending"))
    if oldest is not None and oldest.tzinfo is None:
        oldest = oldest.replace(tzinfo=timezone.utc)
    return oldest


def kinds() -> list[str]:
    """Every kind of email the outbox has held, A→Z (the choices of the staff page's filter)."""
    return list(db.session.scalars(select(OutboxMessage.kind).distinct().order_by(OutboxMessage.kind)))


def _due(now: datetime | None):
    return and_(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= (now or utcnow()))


def due_count(now: datetime | None = None) -> int:
    """How many emails are waiting to be sent now."""
    return db.session.scalar(select(func.count()).select_from(OutboxMessage).where(_due(now)))


def due_messages(limit: int, now: datetime | None = None) -> list[OutboxMessage]:
    """The first ``limit`` emails a delivery would send now, in the order it would send them."""
    return list(
        db.session.scalars(
            select(OutboxMessage)
            .where(_due(now))
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
            .limit(limit)
        )
    )


def latest_messages(status: str | None, limit: int) -> list[OutboxMessage]:
    """Up to ``limit`` emails (of one status, or any), those needing attention first, then the latest."""
    query = select(OutboxMessage).order_by(attention_first(), OutboxMessage.id.desc()).limit(limit)
    if status:
        query = query.where(OutboxMessage.status == status)
    return list(db.session.scalars(query))


@dataclass(frozen=True)
class OutboxPage:
    """One page of the staff list of emails."""

    rows: list[OutboxMessage]
    total: int
    page: int
    pages: int


def outbox_page(status: str, kind: str, text: str, page: int, page_size: int) -> OutboxPage:
    """Emails filtered by status, kind and a part of the recipient's address; attention first, then newest.

    A page past the end shows the last one.
    """
    query = select(OutboxMessage)
    if status in OUTBOX_STATUSES:
        query = query.where(OutboxMessage.status == status)
    if kind:
        query = query.where(OutboxMessage.kind == kind)
    if text:
        query = query.where(func.lower(OutboxMessage.recipient).contains(text.lower(), autoescape=True))
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    pages = max(1, -(-total // page_size))
    page = min(page, pages)
    rows = db.session.scalars(
        query.order_by(attention_first(), OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
        .offset((page - 1) * page_size)
        .limit(page_size)
    ).all()
    return OutboxPage(rows=list(rows), total=total, page=page, pages=pages)
