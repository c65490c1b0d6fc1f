"""Delivering the outbox: claim due rows, send them over one reused SMTP connection, record what happened.

The order of writes is what makes a crash safe:

1. claim: ``pending → sending`` (``claimed_by``, ``claimed_at``), committed before anything is sent;
2. before handing a message to the server, its ``sending_started_at`` is committed (together with the result
   of the previous message, so that costs no extra commit);
3. after the server's answer: ``sent``, or back to ``pending`` with a backoff, or ``failed``; committed.

A row found in ``sending`` whose worker is gone (dead local process, or a claim older than
:data:`STALE_AFTER`) is released to ``pending`` when it was never handed to the server, and flagged
``ambiguous`` otherwise: it may have been delivered, so it is not resent unless staff ask for it. Each worker
can leave at most one ambiguous row behind (the one in flight).

A server that cannot be reached does not use up attempts: the rows stay ``pending`` and the next run tries again.
"""

from __future__ import annotations

import logging
import os
import smtplib
import socket
import uuid
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Callable

from flask import current_app
from flask_mail import BadHeaderError
from sqlalchemy import and_, bindparam, case, or_, select, update

from matchmaker.clock import utcnow
from matchmaker.extensions import db
from matchmaker.mail.queries import due_count
from matchmaker.mail.smtp import OutboxConnection, build_mail
from matchmaker.models import OutboxAttachment, OutboxMessage

log = logging.getLogger("matchmaker.mail.delivery")

BACKOFF_BASE = timedelta(minutes=1)
BACKOFF_CAP = timedelta(hours=6)
#: A claim older than this is abandoned, whoever made it (longer than any batch takes, even on a slow relay).
STALE_AFTER = timedelta(minutes=15)
#: After this many temporary refusals in a row the server is struggling: stop and let the next run continue.
MAX_CONSECUTIVE_REFUSALS = 5

SENT, TRANSIENT, PERMANENT, CONNECTION, AMBIGUOUS = "sent", "transient", "permanent", "connection", "ambiguous"


@dataclass
class DeliveryReport:
    """What one delivery run did."""

    worker: str
    sent: int = 0
    retried: int = 0
    failed: int = 0
    ambiguous: int = 0
    released: int = 0
    recovered: int = 0
    flagged: int = 0
    connection_errors: int = 0
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        """Plain values, for logs and the job record."""
        return asdict(self)


def new_worker_id() -> str:
    """``host:pid:random``: who claimed a row, and whether that process still runs."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _pid_alive(pid: int) -> bool:
    """Whether a local process exists and is not a zombie."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            return fh.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except (OSError, IndexError):
        return True


def claimer_is_dead(claimed_by: str | None) -> bool:
    """True when the row was claimed by a process of this host that no longer runs."""
    if not claimed_by:
        return True
    parts = claimed_by.rsplit(":", 2)
    if len(parts) != 3 or parts[0] != socket.gethostname()[:40] or not parts[1].isdigit():
        return False
    pid = int(parts[1])
    return pid != os.getpid() and not _pid_alive(pid)


def backoff(attempts: int) -> timedelta:
    """Delay before the next try after ``attempts`` failed ones: 1, 2, 4 … minutes, at most 6 hours."""
    return min(BACKOFF_BASE * (2 ** max(attempts - 1, 0)), BACKOFF_CAP)


def recover_abandoned(now: datetime | None = None) -> tuple[int, int]:
    """Release abandoned claims never handed to the server; flag the ones that were as ``ambiguous``.

    Returns ``(released, flagged)``.
    """
    now = now or utcnow()
    rows = db.session.execute(
        select(
            OutboxMessage.id, OutboxMessage.claimed_by, OutboxMessage.claimed_at, OutboxMessage.sending_started_at
        ).where(OutboxMessage.status == "sending")
    ).all()
    released = flagged = 0
    for row_id, claimed_by, claimed_at, started_at in rows:
        if not (claimer_is_dead(claimed_by) or claimed_at is None or claimed_at < now - STALE_AFTER):
            continue
        guard = and_(
            OutboxMessage.id == row_id, OutboxMessage.status == "sending", OutboxMessage.claimed_by == claimed_by
        )
        if started_at is None:
            released += db.session.execute(
                update(OutboxMessage).where(guard).values(status="pending", claimed_by=None, claimed_at=None)
            ).rowcount
        else:
            flagged += db.session.execute(
                update(OutboxMessage)
                .where(guard)
                .values(
                    status="ambiguous",
                    last_error=f"interrupted while sending (worker {claimed_by}): "
                    "it may or may not have been delivered",
                )
            ).rowcount
    db.session.commit()
    if released or flagged:
        log.warning("abandoned emails recovered", extra={"released": released, "flagged_ambiguous": flagged})
    return released, flagged


def claim_batch(worker: str, size: int, now: datetime | None = None) -> list[int]:
    """Claim up to ``size`` due rows for ``worker`` and commit; returns their ids, oldest due first.

    PostgreSQL: ``FOR UPDATE SKIP LOCKED`` lets concurrent workers take disjoint rows without waiting.
    SQLite has no row locks (the clause is omitted) but writers are serialised by ``BEGIN IMMEDIATE``,
    and the ``status = 'pending'`` guard of the update makes a row claimable once.
    """
    now = now or utcnow()
    due = (
        select(OutboxMessage.id)
        .where(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(size)
        .with_for_update(skip_locked=True)
    )
    ids = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(due.scalar_subquery()), OutboxMessage.status == "pending")
        .values(status="sending", claimed_by=worker, claimed_at=now, sending_started_at=None)
        .returning(OutboxMessage.id, OutboxMessage.next_attempt_at)
        .execution_options(synchronize_session=False)
    ).all()
    db.session.commit()
    return [row_id for row_id, _ in sorted(ids, key=lambda r: (r[1], r[0]))]


def _refusal_kind(code: int | None) -> str:
    return TRANSIENT if code is not None and 400 <= code < 500 else PERMANENT


def send_one(conn: OutboxConnection, message) -> tuple[str, str | None]:
    """Send one message on ``conn`` (reconnecting once if the server dropped the connection); classify the result."""
    for attempt in (1, 2):
        if conn.host is None:
            try:
                conn.reconnect()
            except (OSError, smtplib.SMTPException) as exc:  # SMTPException is an OSError; named for clarity
                return CONNECTION, f"cannot connect: {exc!r}"[:500]
        try:
            conn.send(message)
            return SENT, None
        except smtplib.SMTPRecipientsRefused as exc:
            code, reply = next(iter(exc.recipients.values()), (None, b""))
            return _refusal_kind(code), f"recipient refused: {code} {_text(reply)}"
        except smtplib.SMTPResponseException as exc:
            if exc.smtp_code == 421:  # the server is closing the connection
                conn.close()
            return _refusal_kind(exc.smtp_code), f"refused: {exc.smtp_code} {_text(exc.smtp_error)}"
        except BadHeaderError:
            return PERMANENT, "bad header"
        except OSError as exc:  # disconnect, timeout, reset
            if conn.awaiting_data_reply:
                conn.close()
                return (
                    AMBIGUOUS,
                    f"connection lost after the message was transmitted ({exc!r}): it may have been delivered",
                )
            conn.close()
            if attempt == 2:
                return CONNECTION, f"connection lost: {exc!r}"[:500]
    return CONNECTION, "connection lost"


def _text(value) -> str:
    return (value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value))[:400]


def _sent_then_start_statement():
    """One prepared UPDATE: row ``row_id`` becomes sent, the other id of ``ids`` becomes handed to the server.

    Built once (the hot path of delivery runs it for every message), on the table rather than the mapped class.
    """
    table = OutboxMessage.__table__
    is_sent = table.c.id == bindparam("row_id")
    now = bindparam("now", type_=table.c.sent_at.type)
    return (
        update(table)
        .where(
            table.c.id.in_(bindparam("ids", expanding=True)),
            table.c.status == "sending",
            table.c.claimed_by == bindparam("worker"),
        )
        .values(
            status=case((is_sent, "sent"), else_=table.c.status),
            sent_at=case((is_sent, now), else_=table.c.sent_at),
            attempts=case((is_sent, table.c.attempts + 1), else_=table.c.attempts),
            sending_started_at=case((is_sent, table.c.sending_started_at), else_=now),
        )
    )


SENT_THEN_START = _sent_then_start_statement()


class _Recorder:
    """Writes the outcome of each message, guarded by the worker's claim."""

    def __init__(self, worker: str, report: DeliveryReport, clock: Callable[[], datetime]):
        self.worker, self.report, self.clock = worker, report, clock
        self.max_attempts = int(current_app.config["OUTBOX_MAX_ATTEMPTS"])
        self.autocommit = None
        if db.engine.dialect.name == "postgresql":
            # Each mark is one guarded UPDATE, atomic by itself: in autocommit it costs one round trip instead of
            # three (BEGIN, UPDATE, COMMIT). SQLite keeps the session, whose BEGIN IMMEDIATE takes the write lock.
            self.autocommit = db.engine.connect().execution_options(isolation_level="AUTOCOMMIT")

    def execute(self, statement, params=None):
        """Run one write (or read) of the delivery loop; see :meth:`done`."""
        if self.autocommit is not None:
            return self.autocommit.execute(statement, params)
        return db.session.execute(statement, params)

    def done(self) -> None:
        """Make the writes so far durable before the next message is handed to the server."""
        if self.autocommit is None:
            db.session.commit()

    def close(self) -> None:
        """Release the connection of the marks."""
        if self.autocommit is not None:
            self.autocommit.close()
            self.autocommit = None

    def _update(self, row_id: int, **values) -> bool:
        done = self.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.id == row_id, OutboxMessage.status == "sending", OutboxMessage.claimed_by == self.worker
            )
            .values(**values)
            .execution_options(synchronize_session=False)
        ).rowcount
        if done != 1:
            log.warning("email changed by someone else while sending", extra={"outbox_id": row_id})
        return done == 1

    def start(self, row_id: int) -> bool:
        """Mark the row as handed to the server (committed with the previous outcome); False if it is not ours."""
        return self._update(row_id, sending_started_at=self.clock())

    def sent_then_start(self, row_id: int, next_id: int | None) -> bool:
        """Mark a row sent and the next one handed to the server, in one statement (the common case, kept cheap).

        Returns whether the next row is marked (False when there is none or it is no longer ours)."""
        ids = [row_id] if next_id is None else [row_id, next_id]
        done = self.execute(
            SENT_THEN_START, {"ids": ids, "row_id": row_id, "worker": self.worker, "now": self.clock()}
        ).rowcount
        self.report.sent += 1
        if done == len(ids):
            return next_id is not None
        log.warning("email changed by someone else while sending", extra={"outbox_id": row_id, "next_id": next_id})
        if next_id is None:
            return False
        mine = self.execute(
            select(OutboxMessage.id).where(
                OutboxMessage.id == next_id,
                OutboxMessage.status == "sending",
                OutboxMessage.claimed_by == self.worker,
                OutboxMessage.sending_started_at.is_not(None),
            )
        ).first()
        return mine is not None

    def outcome(self, row_id: int, attempts: int, kind: str, error: str | None) -> None:
        """Record the result of sending one row."""
        now = self.clock()
        if kind == SENT:
            self._update(row_id, status="sent", sent_at=now, attempts=attempts + 1)
            self.report.sent += 1
        elif kind == TRANSIENT and attempts + 1 < self.max_attempts:
            self._update(
                row_id,
                status="pending",
                attempts=attempts + 1,
                last_error=error,
                claimed_by=None,
                claimed_at=None,
                sending_started_at=None,
                next_attempt_at=now + backoff(attempts + 1),
            )
            self.report.retried += 1
        elif kind in (TRANSIENT, PERMANENT):
            self._update(row_id, status="failed", attempts=attempts + 1, last_error=error)
            self.report.failed += 1
            log.error("email failed", extra={"outbox_id": row_id, "error": error})
        elif kind == AMBIGUOUS:
            self._update(row_id, status="ambiguous", attempts=attempts + 1, last_error=error)
            self.report.ambiguous += 1
            log.error("email delivery ambiguous", extra={"outbox_id": row_id, "error": error})
        else:  # CONNECTION: not delivered, not the message's fault: no attempt used up
            self._update(
                row_id, status="pending", last_error=error, claimed_by=None, claimed_at=None, sending_started_at=None
            )
            self.report.connection_errors += 1
        if error:
            self.report.errors.append(error)

    def release(self, row_ids: list[int]) -> None:
        """Give back claimed rows that were never handed to the server."""
        if not row_ids:
            return
        self.report.released += self.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.id.in_(row_ids),
                OutboxMessage.status == "sending",
                OutboxMessage.claimed_by == self.worker,
                OutboxMessage.sending_started_at.is_(None),
            )
            .values(status="pending", claimed_by=None, claimed_at=None)
            .execution_options(synchronize_session=False)
        ).rowcount


def _send_claimed(conn: OutboxConnection, ids: list[int], recorder: _Recorder) -> bool:
    """Send the claimed rows in order; returns True when the run should stop (server unreachable or struggling).

    A row is handed to the server only once its in-flight mark is committed; a row whose mark could not be
    written (someone else changed it) is skipped.
    """
    rows = {
        r.id: r
        for r in db.session.execute(
            select(
                OutboxMessage.id,
                OutboxMessage.recipient,
                OutboxMessage.subject,
                OutboxMessage.body_text,
                OutboxMessage.body_html,
                OutboxMessage.headers,
                OutboxMessage.message_id,
                OutboxMessage.attempts,
            ).where(OutboxMessage.id.in_(ids))
        ).all()
    }
    files: dict[int, list[tuple[str, str, str]]] = {}
    for att in db.session.execute(
        select(
            OutboxAttachment.message_id,
            OutboxAttachment.filename,
            OutboxAttachment.content_type,
            OutboxAttachment.content,
        )
        .where(OutboxAttachment.message_id.in_(ids))
        .order_by(OutboxAttachment.id)
    ):
        files.setdefault(att.message_id, []).append((att.filename, att.content_type, att.content))
    db.session.rollback()  # end the read; the SMTP exchange happens outside any transaction
    marked = recorder.start(ids[0])
    recorder.done()
    refusals = 0
    for index, row_id in enumerate(ids):
        rest = ids[index + 1 :]
        if not marked:
            marked = recorder.start(rest[0]) if rest else False
            recorder.done()
            continue
        row = rows[row_id]
        try:
            message = build_mail(row, files.get(row_id, ()))
        except (ValueError, TypeError) as exc:  # stored data no longer valid (e.g. address edited by hand)
            kind, error = PERMANENT, f"cannot build the message: {exc}"
        else:
            kind, error = send_one(conn, message)
        if kind == SENT:
            marked = recorder.sent_then_start(row_id, rest[0] if rest else None)
            recorder.done()
            refusals = 0
            continue
        recorder.outcome(row_id, row.attempts, kind, error)
        refusals = refusals + 1 if kind == TRANSIENT else 0
        if kind in (CONNECTION, AMBIGUOUS) or refusals >= MAX_CONSECUTIVE_REFUSALS:
            recorder.release(rest)
            recorder.done()
            return True
        marked = recorder.start(rest[0]) if rest else False
        recorder.done()
    return False


def deliver_outbox(
    limit: int | None = None, *, now: datetime | None = None, worker: str | None = None
) -> DeliveryReport:
    """Send every due email (at most ``limit``) over one SMTP connection; safe to run in several processes."""
    worker = worker or new_worker_id()
    clock = (lambda: now) if now is not None else utcnow
    report = DeliveryReport(worker=worker)
    report.recovered, report.flagged = recover_abandoned(clock())
    if not due_count(clock()):
        db.session.rollback()
        return report
    db.session.rollback()
    batch_size = max(1, int(current_app.config["OUTBOX_BATCH_SIZE"]))
    recorder = _Recorder(worker, report, clock)
    conn = OutboxConnection()
    try:
        conn.host = conn.configure_host()
    except (OSError, smtplib.SMTPException) as exc:
        report.connection_errors += 1
        report.errors.append(f"cannot connect: {exc!r}"[:500])
        log.warning("SMTP server unreachable; emails stay pending", extra={"error": repr(exc)})
        return report
    try:
        remaining = limit
        while remaining is None or remaining > 0:
            ids = claim_batch(worker, batch_size if remaining is None else min(batch_size, remaining), clock())
            if not ids:
                break
            if remaining is not None:
                remaining -= len(ids)
            if _send_claimed(conn, ids, recorder):
                break
    finally:
        conn.close()
        recorder.close()
        db.session.rollback()
    log.info("outbox delivered", extra={k: v for k, v in report.as_dict().items() if k != "errors"})
    return report


def retry_message(message_id: int, *, now: datetime | None = None) -> bool:
    """Put a failed or ambiguous email back in the queue with fresh attempts (staff decided); caller commits."""
    done = db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == message_id, or_(OutboxMessage.status == "failed", OutboxMessage.status == "ambiguous")
        )
        .values(
            status="pending",
            attempts=0,
            next_attempt_at=now or utcnow(),
            claimed_by=None,
            claimed_at=None,
            sending_started_at=None,
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    if done:
        log.info("email requeued by staff", extra={"outbox_id": message_id})
    return bool(done)
