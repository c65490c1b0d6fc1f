"""Invitation emails in bulk: each (language, reminder number, expiry date) is rendered once with markers in
place of the collectivité's name and its two links, then filled per invitation, and the outbox rows are added
together. Rendering every email of a 5,000-invitation campaign through ``enqueue_email`` (templates, CSS inlining,
a savepoint per row) took about a minute; this takes seconds and writes the same rows (see bench/).

Keys are ``outreach:<campaign>:<invitation>:invitation`` and ``…:reminder-<n>``; keys already in the outbox are
skipped, so queuing twice is harmless.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from markupsafe import escape
from sqlalchemy import insert, select

from matchmaker.clock import utcnow
from matchmaker.extensions import db
from matchmaker.mail.addresses import parse_recipient
from matchmaker.mail.outbox import new_message_id
from matchmaker.mail.rendering import RenderedEmail, render_email
from matchmaker.models import OutboxMessage

TEMPLATE = "outreach/email/invitation"
#: Markers that no template text, escaping or CSS inlining changes.
NAME = "ZqOutreachNameZq"
INVITE_URL = "https://zq-outreach-invite.invalid/link"
UNSUBSCRIBE_URL = "https://zq-outreach-unsubscribe.invalid/link"


@dataclass(frozen=True)
class InvitationEmail:
    """One email to queue: its key, recipient and the values filled into the rendered skeleton."""

    key: str
    kind: str
    email: str
    language: str
    org: str
    reminder: int
    expires_on: date
    name: str
    invite_url: str
    unsubscribe_url: str


def _skeleton(language: str, org: str, reminder: int, expires_on: date) -> RenderedEmail:
    return render_email(
        TEMPLATE,
        language,
        {
            "collectivite": NAME,
            "org": org,
            "invite_url": INVITE_URL,
            "unsubscribe_url": UNSUBSCRIBE_URL,
            "reminder": reminder,
            "expires_on": expires_on,
            "recipient_name": None,
            "recipient_email": None,
        },
    )


def _fill(text: str, email: InvitationEmail, html: bool) -> str:
    quote = (lambda value: str(escape(value))) if html else str
    out = (
        text.replace(NAME, quote(email.name))
        .replace(INVITE_URL, quote(email.invite_url))
        .replace(UNSUBSCRIBE_URL, quote(email.unsubscribe_url))
    )
    if NAME in out or INVITE_URL in out or UNSUBSCRIBE_URL in out:
        raise ValueError("an invitation marker was left in the email")
    return out


def existing_keys(keys: list[str]) -> set[str]:
    """The keys already in the outbox."""
    found: set[str] = set()
    for start in range(0, len(keys), 500):
        found.update(
            db.session.scalars(select(OutboxMessage.key).where(OutboxMessage.key.in_(keys[start : start + 500])))
        )
    return found


def queue_invitation_emails(emails: list[InvitationEmail]) -> int:
    """Add one outbox row per email whose key is new (the caller commits); returns how many."""
    skip = existing_keys([e.key for e in emails])
    skeletons: dict[tuple, RenderedEmail] = {}
    now = utcnow()
    rows = []
    for email in emails:
        if email.key in skip:
            continue
        skip.add(email.key)
        _, address = parse_recipient(email.email)
        shape = (email.language, email.org, email.reminder, email.expires_on)
        if shape not in skeletons:
            skeletons[shape] = _skeleton(*shape)
        skeleton = skeletons[shape]
        rows.append(
            dict(
                key=email.key,
                kind=email.kind,
                recipient=address,
                language=email.language,
                subject=_fill(skeleton.subject, email, html=False),
                body_text=_fill(skeleton.text, email, html=False),
                body_html=_fill(skeleton.html, email, html=True),
                headers={
                    "List-Unsubscribe": f"<{email.unsubscribe_url}>",
                    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                },
                message_id=new_message_id(),
                status="pending",
                attempts=0,
                next_attempt_at=now,
                created_at=now,
            )
        )
    db.session.flush()  # the caller's pending rows first
    for start in range(0, len(rows), 1000):  # one multi-row INSERT per thousand emails, not a unit of work per row
        db.session.execute(insert(OutboxMessage.__table__), rows[start : start + 1000])
    return len(rows)
