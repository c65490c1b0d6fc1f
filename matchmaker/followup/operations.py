"""Writes of the follow-through after mutual interest: the first video call (proposed slots, each side's picks,
confirmation with an iCalendar invitation, reminder the day before, staff details). Callers commit.

Each side of a mutual pair receives a private ``call`` link (not single-use: a side may correct its picks until a
slot is confirmed). The first slot, in time, that both sides accepted is confirmed to both.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from flask import current_app
from sqlalchemy import select

from matchmaker.clock import utcnow
from matchmaker.extensions import db
from matchmaker.followup.invitation import CONTENT_TYPE, FILENAME, invitation_ics
from matchmaker.followup.slots import propose_slots
from matchmaker.mail.outbox import enqueue_email
from matchmaker.mail.rendering import public_url_context
from matchmaker.models import CallSlot, FirstCall, Suggestion
from matchmaker.review.labels import local_name
from matchmaker.tokens import TokenError, issue_token, resolve_token
from matchmaker.vocabulary import COUNTRIES, ORGS

log = logging.getLogger("matchmaker.followup")

CALL_LINK_TTL = timedelta(days=60)
#: A time a side proposes must leave the other side this long to answer, and lie within this horizon.
MIN_NOTICE = timedelta(hours=12)
HORIZON = timedelta(days=120)
MAX_PROPOSALS = 3
MAX_NOTE = 2000
URL_RE = re.compile(r"^https?://[^\s<>\"]{3,490}$")


class FollowupError(ValueError):
    """An operation cannot be done as asked; ``reason`` is a stable code the views translate."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def call_minutes() -> int:
    """Length of a first call, in minutes (setting ``FIRST_CALL_MINUTES``, 60 by default)."""
    return int(current_app.config["FIRST_CALL_MINUTES"])


def first_call_of(suggestion_id: int) -> FirstCall | None:
    """The first call of a pair, if one was proposed."""
    return db.session.scalar(select(FirstCall).where(FirstCall.suggestion_id == suggestion_id))


def _sides(suggestion: Suggestion, side: str):
    return (suggestion.fr, suggestion.kr) if side == "FR" else (suggestion.kr, suggestion.fr)


def _context(call: FirstCall, suggestion: Suggestion, side: str, lang: str) -> dict:
    me, partner = _sides(suggestion, side)
    return {
        "call_id": call.id,
        "side": side,
        "partner_side": "KR" if side == "FR" else "FR",
        "own_name": local_name(me.name, me.name_local, lang),
        "partner_name": local_name(partner.name, partner.name_local, lang),
        "contact_name": me.response.contact_name if me.response else None,
        "minutes": call.minutes,
        "starts_at": call.starts_at,
        "meeting_link": call.meeting_link,
        "interpreter_note": call.interpreter_note,
    }


def _recipient(suggestion: Suggestion, side: str):
    """The response that receives a side's emails, or None when it can no longer be written to."""
    response = _sides(suggestion, side)[0].response
    if response is None or not response.contact_email or response.anonymised_at is not None:
        return None
    return response


def _send(
    call: FirstCall,
    suggestion: Suggestion,
    side: str,
    *,
    key: str,
    kind: str,
    template: str,
    with_token: bool = False,
    with_invitation: bool = False,
    **extra,
) -> bool:
    """Queue one email of the first call to one side, in its language; False when the side cannot be written to."""
    response = _recipient(suggestion, side)
    if response is None:
        return False
    lang = response.language
    context = _context(call, suggestion, side, lang) | extra
    if with_token:
        context["call_token"] = issue_token("call", CALL_LINK_TTL, suggestion_id=suggestion.id, side=side)
    attachments = [invitation_for(call, suggestion, side, lang)] if with_invitation else []
    enqueue_email(
        key=key,
        kind=kind,
        to=(response.contact_name, response.contact_email),
        language=lang,
        template=template,
        context=context,
        attachments=attachments,
    )
    return True


def invitation_for(call: FirstCall, suggestion: Suggestion, side: str, lang: str) -> tuple[str, str, str]:
    """The ``.ics`` attachment of a confirmed call for one side: (file name, content type, text)."""
    from flask import render_template

    with public_url_context(lang):
        context = _context(call, suggestion, side, lang)
        summary = render_template("followup/invitation_summary.txt", **context).strip()
        description = render_template("followup/invitation_description.txt", **context).strip()
    sequence = 1 if (call.meeting_link or call.interpreter_note) else 0
    text = invitation_ics(
        uid=f"first-call-{call.id}",
        starts_at=call.starts_at,
        minutes=call.minutes,
        summary=summary,
        description=description,
        url=call.meeting_link,
        sequence=sequence,
    )
    return FILENAME, CONTENT_TYPE, text


# --- proposing -----------------------------------------------------------------------------------------------


def propose_first_call(suggestion: Suggestion) -> FirstCall:
    """Propose three slots for a first call to both sides of a pair that became mutual (once per pair)."""
    existing = first_call_of(suggestion.id)
    if existing is not None:
        return existing
    minutes = call_minutes()
    call = FirstCall(suggestion_id=suggestion.id, state="proposed", minutes=minutes)
    call.slots = [CallSlot(starts_at=start, proposed_by="system") for start in propose_slots(utcnow(), 3, minutes)]
    db.session.add(call)
    db.session.flush()
    for side in COUNTRIES:
        _send(
            call,
            suggestion,
            side,
            key=f"call-proposal:{call.id}:{side}:first",
            kind="call_proposal",
            template="followup/email/call_proposal",
            with_token=True,
            slots=[s.starts_at for s in call.slots],
        )
    log.info(
        "first call proposed",
        extra={
            "suggestion_id": suggestion.id,
            "call_id": call.id,
            "slots": [s.starts_at.isoformat() for s in call.slots],
        },
    )
    return call


# --- each side's picks ---------------------------------------------------------------------------------------


@dataclass
class CallAccess:
    """What a ``call`` link opens: the pair, the side, its first call."""

    suggestion: Suggestion
    side: str
    call: FirstCall


def open_call_link(raw_token: str, *, lock: bool = False) -> CallAccess:
    """Resolve a ``call`` link; raises TokenError when it cannot be used."""
    token = resolve_token(raw_token, "call")
    if token.suggestion_id is None or token.side not in COUNTRIES:
        raise TokenError("unknown")
    query = select(FirstCall).where(FirstCall.suggestion_id == token.suggestion_id)
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    call = db.session.scalar(query)
    suggestion = db.session.get(Suggestion, token.suggestion_id)
    if call is None or suggestion is None or suggestion.state != "mutual":
        raise TokenError("revoked")
    return CallAccess(suggestion, token.side, call)


def open_slots(call: FirstCall, now: datetime | None = None) -> list[CallSlot]:
    """Slots still in the future, in time order."""
    now = now or utcnow()
    return [s for s in call.slots if s.starts_at > now]


def choose_slots(raw_token: str, accepted: set[int], proposals: list[datetime]) -> CallAccess:
    """Record the slots one side can do and the other times it proposes; confirm the first slot both accepted.

    Raises TokenError for an unusable link, FollowupError for a confirmed call or an invalid choice.
    """
    access = open_call_link(raw_token, lock=True)
    call, side, suggestion = access.call, access.side, access.suggestion
    if call.state == "confirmed":
        raise FollowupError("confirmed")
    now = utcnow()
    live = open_slots(call, now)
    if accepted - {s.id for s in live}:
        raise FollowupError("bad_slot")
    if len(proposals) > MAX_PROPOSALS:
        raise FollowupError("too_many")
    for moment in proposals:
        if moment.tzinfo is None or not (now + MIN_NOTICE <= moment <= now + HORIZON):
            raise FollowupError("bad_time")
    if not accepted and not proposals:
        raise FollowupError("nothing_chosen")
    mine = f"{side.lower()}_accepts"
    for slot in live:
        setattr(slot, mine, slot.id in accepted)
    by_start = {s.starts_at: s for s in call.slots}
    added = []
    for moment in sorted({m.astimezone(timezone.utc).replace(second=0, microsecond=0) for m in proposals}):
        slot = by_start.get(moment)
        if slot is None:
            slot = CallSlot(starts_at=moment, proposed_by=side)
            call.slots.append(slot)
            added.append(slot)
        setattr(slot, mine, True)
    setattr(call, f"{side.lower()}_answered_at", now)
    db.session.flush()
    log.info(
        "first call slots chosen",
        extra={"call_id": call.id, "side": side, "accepted": sorted(accepted), "proposed": [s.id for s in added]},
    )
    if not _confirm_if_agreed(call, suggestion) and added:
        other = "KR" if side == "FR" else "FR"
        _send(
            call,
            suggestion,
            other,
            key=f"call-proposal:{call.id}:{other}:" + ",".join(str(s.id) for s in added),
            kind="call_proposal",
            template="followup/email/call_proposal",
            with_token=True,
            slots=[s.starts_at for s in added],
            proposed_by_partner=True,
        )
    return access


def _confirm_if_agreed(call: FirstCall, suggestion: Suggestion) -> bool:
    """Confirm the earliest future slot both sides accepted, and send both the invitation."""
    agreed = [s for s in open_slots(call) if s.fr_accepts and s.kr_accepts]
    if not agreed:
        return False
    call.state, call.starts_at, call.confirmed_at = "confirmed", agreed[0].starts_at, utcnow()
    db.session.flush()
    for side in COUNTRIES:
        _send(
            call,
            suggestion,
            side,
            key=f"call-confirmed:{call.id}:{side}",
            kind="call_confirmed",
            template="followup/email/call_confirmed",
            with_invitation=True,
        )
    log.info("first call confirmed", extra={"call_id": call.id, "starts_at": call.starts_at.isoformat()})
    return True


# --- reminder and staff details ------------------------------------------------------------------------------


def send_call_reminders(now: datetime | None = None) -> int:
    """Remind both sides of every confirmed call starting within the next 24 hours (once); returns how many calls."""
    now = now or utcnow()
    due = db.session.scalars(
        select(FirstCall).where(
            FirstCall.state == "confirmed",
            FirstCall.reminded_at.is_(None),
            FirstCall.starts_at > now,
            FirstCall.starts_at <= now + timedelta(hours=24),
        )
    ).all()
    for call in due:
        suggestion = db.session.get(Suggestion, call.suggestion_id)
        for side in COUNTRIES:
            _send(
                call,
                suggestion,
                side,
                key=f"call-reminder:{call.id}:{side}",
                kind="call_reminder",
                template="followup/email/call_reminder",
                with_invitation=True,
            )
        call.reminded_at = now
    if due:
        log.info("first call reminders queued", extra={"calls": [c.id for c in due]})
    return len(due)


def set_call_details(suggestion: Suggestion, user, meeting_link: str | None, interpreter_note: str | None) -> FirstCall:
    """Staff add the video-meeting link or an interpreter note; a confirmed call's sides receive the update."""
    if getattr(user, "org", None) not in ORGS or not getattr(user, "is_active", False):
        raise FollowupError("forbidden")
    link = (meeting_link or "").strip() or None
    note = (interpreter_note or "").strip() or None
    if link is not None and not URL_RE.match(link):
        raise FollowupError("bad_link")
    if note is not None and len(note) > MAX_NOTE:
        raise FollowupError("note_too_long")
    call = db.session.scalar(select(FirstCall).where(FirstCall.suggestion_id == suggestion.id).with_for_update())
    if call is None:
        raise FollowupError("no_call")
    if (call.meeting_link, call.interpreter_note) == (link, note):
        return call
    call.meeting_link, call.interpreter_note = link, note
    db.session.flush()
    if call.state == "confirmed" and call.starts_at > utcnow():
        version = hashlib.sha256(f"{link}\n{note}".encode()).hexdigest()[:12]
        for side in COUNTRIES:
            _send(
                call,
                suggestion,
                side,
                key=f"call-update:{call.id}:{side}:{version}",
                kind="call_update",
                template="followup/email/call_update",
                with_invitation=True,
            )
    log.info(
        "first call details set", extra={"call_id": call.id, "user_id": user.id, "link": bool(link), "note": bool(note)}
    )
    return call
