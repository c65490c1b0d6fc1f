"""Writes of the review workspace (the only place that changes a pair): decisions, notes, introductions,
answers of the collectivités and outcomes. Callers commit; every operation logs what it did.

Answer links: each side of an introduced pair gets ONE single-use ``answer`` token. The email carries it in
two links ("interested", "not interested") that differ only by a ``choice`` query argument; opening a link
(GET, which mail scanners do) shows a confirmation page and changes nothing; the POST of that page carries
the choice and consumes the token.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import NamedTuple

from flask import current_app
from sqlalchemy import or_, select, text
from sqlalchemy.orm import aliased

from matchmaker.clock import utcnow
from matchmaker.extensions import db
from matchmaker.followup.operations import propose_first_call
from matchmaker.i18n import in_running_text
from matchmaker.mail.outbox import enqueue_email
from matchmaker.matching import select_introductions
from matchmaker.models import Introduction, Outcome, PairNote, Response, ReviewDecision, Suggestion
from matchmaker.models.review import ANSWERS, DECISIONS, OUTCOME_KINDS
from matchmaker.regions import region_label
from matchmaker.review.labels import level_label, local_name, theme_label
from matchmaker.suggestions.profiles import render_suggestion_reasons
from matchmaker.taxonomy import label
from matchmaker.tokens import TokenError, consume_token, issue_token, resolve_token, revoke_tokens
from matchmaker.vocabulary import COUNTRIES, ORGS, known_language

log = logging.getLogger("matchmaker.review")

#: States in which the associations may still approve or reject a pair.
OPEN_FOR_DECISION = ("suggested", "approved")
#: States in which staff can record what came of a pair.
OPEN_FOR_OUTCOME = ("introduced", "mutual")
MAX_NOTE_LENGTH = 5000
#: Introductions in one run hold a PostgreSQL advisory lock with this key, so two runs never both fill a slot.
INTRODUCTION_LOCK_KEY = 0x5245564945  # "REVIE"


class ReviewError(ValueError):
    """An operation cannot be done as asked; ``reason`` is a stable code the views translate."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(detail or reason)
        self.reason = reason


def _lock_suggestion(suggestion_id: int) -> Suggestion:
    """Load a pair and lock its row until commit (PostgreSQL), so two reviewers' decisions never interleave."""
    found = db.session.execute(
        select(Suggestion)
        .where(Suggestion.id == suggestion_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()
    if found is None:
        raise ReviewError("not_found")
    return found


def _check_user(user) -> str:
    """The association a staff user acts for; refuses anything else."""
    org = getattr(user, "org", None)
    if org not in ORGS or not getattr(user, "is_active", False):
        raise ReviewError("forbidden", "only an active CUF or GAROK account can review pairs")
    return org


def _clean_note(note: str | None) -> str | None:
    note = (note or "").strip()
    if len(note) > MAX_NOTE_LENGTH:
        raise ReviewError("note_too_long")
    return note or None


# --- decisions ----------------------------------------------------------------------------------------------


def decide(suggestion: Suggestion, user, decision: str, note: str | None = None) -> ReviewDecision | None:
    """Record the user's association's approval or rejection of a pair (never the other association's).

    A rejection by either association closes the pair for good; approval by both makes it ``approved`` and
    introduces ready pairs under the exposure cap. Repeating the association's current decision changes
    nothing and returns None.
    """
    org = _check_user(user)
    if decision not in DECISIONS:
        raise ReviewError("bad_decision")
    note = _clean_note(note)
    suggestion = _lock_suggestion(suggestion.id)
    if suggestion.state not in OPEN_FOR_DECISION:
        raise ReviewError("closed", f"pair {suggestion.id} is {suggestion.state}")
    column = "cuf_decision" if org == "CUF" else "garok_decision"
    if getattr(suggestion, column) == decision and not note:
        return None
    setattr(suggestion, column, decision)
    record = ReviewDecision(suggestion_id=suggestion.id, org=org, decision=decision, note=note, user_id=user.id)
    db.session.add(record)
    if decision == "reject":
        suggestion.state = "rejected"
    elif suggestion.cuf_decision == "approve" and suggestion.garok_decision == "approve":
        suggestion.state = "approved"
    else:
        suggestion.state = "suggested"
    suggestion.updated_at = utcnow()
    db.session.flush()
    log.info(
        "pair decided",
        extra={
            "suggestion_id": suggestion.id,
            "org": org,
            "decision": decision,
            "user_id": user.id,
            "state": suggestion.state,
        },
    )
    if suggestion.state == "approved":
        introduce_ready_pairs()
    return record


def add_note(suggestion: Suggestion, user, text_: str) -> PairNote:
    """Add a reviewer's note to a pair."""
    _check_user(user)
    note = _clean_note(text_)
    if note is None:
        raise ReviewError("empty_note")
    record = PairNote(suggestion_id=suggestion.id, user_id=user.id, text=note)
    db.session.add(record)
    db.session.flush()
    log.info("note added", extra={"suggestion_id": suggestion.id, "user_id": user.id})
    return record


# --- introductions ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Candidate:
    """An approved pair as the selection library sees it."""

    fr_id: int
    kr_id: int
    total: float
    suggestion_id: int


@dataclass
class IntroductionReport:
    """What one introduction run did."""

    introduced: list[int] = field(default_factory=list)
    waiting_for_cap: list[int] = field(default_factory=list)
    unreachable: list[int] = field(default_factory=list)
    expired: int = 0


def open_introduction_counts() -> dict[int, int]:
    """Open introductions (no closing yet) per collectivité id, both countries."""
    counts: dict[int, int] = {}
    rows = db.session.execute(
        select(Suggestion.fr_id, Suggestion.kr_id)
        .join(Introduction, Introduction.suggestion_id == Suggestion.id)
        .where(Introduction.closed_at.is_(None))
    )
    for fr_id, kr_id in rows:
        counts[fr_id] = counts.get(fr_id, 0) + 1
        counts[kr_id] = counts.get(kr_id, 0) + 1
    return counts


def close_expired_introductions() -> int:
    """Close introductions nobody finished answering within the answer links' validity; frees exposure slots."""
    limit = utcnow() - timedelta(days=int(current_app.config["ANSWER_TTL_DAYS"]))
    stale = db.session.scalars(
        select(Introduction).where(Introduction.closed_at.is_(None), Introduction.created_at < limit)
    ).all()
    for intro in stale:
        intro.closed_at = utcnow()
        revoke_tokens(suggestion_id=intro.suggestion_id, purpose="answer")
    if stale:
        log.info("stale introductions closed", extra={"count": len(stale)})
    return len(stale)


class _Contact(NamedTuple):
    """The contact fields of a response, read as columns."""

    status: str | None
    contact_email: str | None
    consent_contact: bool | None
    anonymised_at: object

    @classmethod
    def of(cls, status, email, consent, anonymised: bool | None) -> "_Contact":
        """From the columns of the candidates' query (``anonymised``: whether anonymised_at is set)."""
        return cls(status, email, consent, True if anonymised else None)


def _reachable(response: Response | _Contact | None) -> bool:
    """Whether a collectivité can receive an introduction email."""
    return bool(
        response
        and response.status == "submitted"
        and response.contact_email
        and response.consent_contact
        and response.anonymised_at is None
    )


def introduce_ready_pairs(cap: int | None = None) -> IntroductionReport:
    """Introduce approved pairs in score order while both sides are under the exposure cap.

    For each pair chosen: an Introduction row, state ``introduced``, one answer token per side and one
    introduction email per collectivité in its language, all in the caller's transaction.
    """
    cap = int(current_app.config["EXPOSURE_CAP"] if cap is None else cap)
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": INTRODUCTION_LOCK_KEY})
    report = IntroductionReport(expired=close_expired_introductions())
    # Thousands of approved pairs can wait for a free slot: read them as plain columns with both sides' contact
    # fields in one query (loading them as objects, one lazy load per side, took seconds per decision).
    fr_response, kr_response = aliased(Response), aliased(Response)

    def contact(r):  # whether anonymised, not when: converting thousands of timestamps is most of the cost
        return r.status, r.contact_email, r.consent_contact, r.anonymised_at.is_not(None)

    approved = db.session.execute(
        select(
            Suggestion.id,
            Suggestion.fr_id,
            Suggestion.kr_id,
            Suggestion.score_total,
            *contact(fr_response),
            *contact(kr_response),
        )
        .outerjoin(fr_response, fr_response.collectivite_id == Suggestion.fr_id)
        .outerjoin(kr_response, kr_response.collectivite_id == Suggestion.kr_id)
        .where(Suggestion.state == "approved")
        .order_by(Suggestion.score_total.desc(), Suggestion.id)
    ).all()
    candidates = []
    for row in approved:
        if _reachable(_Contact.of(*row[4:8])) and _reachable(_Contact.of(*row[8:12])):
            candidates.append(_Candidate(row.fr_id, row.kr_id, row.score_total, row.id))
        else:
            report.unreachable.append(row.id)
    chosen = select_introductions(candidates, cap, open_introduction_counts())
    chosen_ids = {c.suggestion_id for c in chosen}
    report.waiting_for_cap = [c.suggestion_id for c in candidates if c.suggestion_id not in chosen_ids]
    by_id = (
        {s.id: s for s in db.session.scalars(select(Suggestion).where(Suggestion.id.in_(chosen_ids)))}
        if chosen_ids
        else {}
    )
    for candidate in chosen:
        _introduce(by_id[candidate.suggestion_id])
        report.introduced.append(candidate.suggestion_id)
    db.session.flush()
    if report.introduced or report.unreachable:
        log.info(
            "introductions",
            extra={
                "introduced": report.introduced,
                "waiting": len(report.waiting_for_cap),
                "unreachable": report.unreachable,
                "cap": cap,
            },
        )
    return report


def _introduce(suggestion: Suggestion) -> None:
    """Create the introduction of one pair: row, state, answer tokens, two emails."""
    ttl = timedelta(days=int(current_app.config["ANSWER_TTL_DAYS"]))
    db.session.add(Introduction(suggestion_id=suggestion.id))
    suggestion.state = "introduced"
    suggestion.updated_at = utcnow()
    # An unanswered introduction closes after INTRODUCTION_EXPIRY_DAYS (matchmaker.followup.introductions).
    expires_on = (utcnow() + min(ttl, timedelta(days=int(current_app.config["INTRODUCTION_EXPIRY_DAYS"])))).date()
    for side in COUNTRIES:
        raw = issue_token("answer", ttl, suggestion_id=suggestion.id, side=side)
        me = suggestion.fr if side == "FR" else suggestion.kr
        response = me.response
        context = introduction_context(suggestion, side, response.language)
        # The template builds the two links from the token (on BASE_URL, see matchmaker.mail.rendering).
        context.update(contact_name=response.contact_name, answer_token=raw, expires_on=expires_on)
        enqueue_email(
            key=f"introduction:{suggestion.id}:{side}",
            kind="introduction",
            to=(response.contact_name, response.contact_email),
            language=response.language,
            template="review/email/introduction",
            context=context,
        )


def _announce_mutual_interest(suggestion: Suggestion) -> None:
    """Both sides said yes: each receives the other's contact and working languages, in its own language."""
    for side in COUNTRIES:
        me, partner = (suggestion.fr, suggestion.kr) if side == "FR" else (suggestion.kr, suggestion.fr)
        response, theirs = me.response, partner.response
        if response is None or not response.contact_email:
            continue  # contact erased since the introduction: staff see the mutual match and follow up
        context = introduction_context(suggestion, side, response.language)
        context.update(
            contact_name=response.contact_name,
            partner_contact_name=theirs.contact_name if theirs else None,
            partner_contact_role=theirs.contact_role if theirs else None,
            partner_contact_email=theirs.contact_email if theirs else None,
            partner_languages=[
                in_running_text(label("languages", code, response.language), response.language)
                for code in (theirs.working_languages or [])
            ]
            if theirs
            else [],
        )
        enqueue_email(
            key=f"mutual:{suggestion.id}:{side}",
            kind="mutual_match",
            to=(response.contact_name, response.contact_email),
            language=response.language,
            template="review/email/mutual_match",
            context=context,
        )


def rendered_reasons(suggestion: Suggestion, lang: str) -> list[str]:
    """The pair's reasons as sentences in ``lang``, with the names as a reader of that language writes them."""
    try:
        return render_suggestion_reasons(suggestion.reasons, suggestion.fr, suggestion.kr, known_language(lang, "en"))
    except (KeyError, ValueError):
        log.warning("reasons could not be rendered", extra={"suggestion_id": suggestion.id})
        return []


def introduction_context(suggestion: Suggestion, side: str, lang: str) -> dict:
    """What a collectivité reads about its suggested partner, in its own language (email and answer page)."""
    me, partner = (suggestion.fr, suggestion.kr) if side == "FR" else (suggestion.kr, suggestion.fr)
    presp = partner.response
    shares = bool(presp and presp.consent_share)
    return {
        "suggestion_id": suggestion.id,
        "side": side,
        "own_name": local_name(me.name, me.name_local, lang),
        "partner_name": local_name(partner.name, partner.name_local, lang),
        "partner_country": partner.country,
        "partner_level": level_label(partner.level, lang),
        "partner_region": region_label(partner.country, partner.region, lang),
        "partner_population": partner.population,
        "partner_themes": [theme_label(t.theme_code, lang) for t in sorted(presp.themes, key=lambda t: -t.priority)]
        if shares
        else [],
        "partner_description": (presp.description or "") if shares else "",
        "partner_description_lang": presp.language if presp else "",
        "reasons": rendered_reasons(suggestion, lang),
    }


# --- answers of the collectivités ---------------------------------------------------------------------------


@dataclass
class AnswerResult:
    """What an answer did: the side, the choice and the pair's resulting state."""

    suggestion_id: int
    side: str
    choice: str
    state: str


def answer(raw_token: str, choice: str) -> AnswerResult:
    """Record a collectivité's answer through its private link (single use).

    Both sides interested → ``mutual``; one side not interested → ``declined``, closed for good (the other
    side's link is revoked). Raises TokenError for unusable links and ReviewError for a bad choice.
    """
    if choice not in ANSWERS:
        raise ReviewError("bad_choice")
    token = resolve_token(raw_token, "answer")
    if token.suggestion_id is None or token.side not in COUNTRIES:
        raise TokenError("unknown")
    suggestion = _lock_suggestion(token.suggestion_id)
    intro = db.session.scalar(select(Introduction).where(Introduction.suggestion_id == suggestion.id))
    if intro is None or intro.closed_at is not None or suggestion.state != "introduced":
        raise TokenError("revoked")
    if (intro.fr_answer if token.side == "FR" else intro.kr_answer) is not None:
        raise TokenError("used")  # this side already answered, through another of its links (a digest re-issues them)
    consume_token(token)
    now = utcnow()
    if token.side == "FR":
        intro.fr_answer, intro.fr_answered_at = choice, now
    else:
        intro.kr_answer, intro.kr_answered_at = choice, now
    if choice == "not_interested":
        suggestion.state = "declined"
        intro.closed_at = now
        revoke_tokens(suggestion_id=suggestion.id, purpose="answer")
    elif intro.fr_answer == "interested" and intro.kr_answer == "interested":
        suggestion.state = "mutual"
        intro.closed_at = now
        _announce_mutual_interest(suggestion)
        propose_first_call(suggestion)
    suggestion.updated_at = now
    db.session.flush()
    log.info(
        "introduction answered",
        extra={"suggestion_id": suggestion.id, "side": token.side, "choice": choice, "state": suggestion.state},
    )
    if intro.closed_at is not None:
        introduce_ready_pairs()  # a slot under the exposure cap was freed
    return AnswerResult(suggestion.id, token.side, choice, suggestion.state)


def withdraw_introductions(collectivite_id: int) -> int:
    """Close the open introductions of a collectivité that deleted its answers; the other side of each is told
    by email, in its language. Returns how many; the caller commits."""
    pairs = db.session.scalars(
        select(Suggestion)
        .join(Introduction, Introduction.suggestion_id == Suggestion.id)
        .where(
            or_(Suggestion.fr_id == collectivite_id, Suggestion.kr_id == collectivite_id),
            Suggestion.state == "introduced",
            Introduction.closed_at.is_(None),
        )
        .order_by(Suggestion.id)
    ).all()
    now = utcnow()
    for suggestion in pairs:
        suggestion = _lock_suggestion(suggestion.id)
        intro = db.session.scalar(select(Introduction).where(Introduction.suggestion_id == suggestion.id))
        intro.closed_at = now
        suggestion.state = "declined"
        suggestion.updated_at = now
        revoke_tokens(suggestion_id=suggestion.id, purpose="answer")
        other_side = "KR" if suggestion.fr_id == collectivite_id else "FR"
        other, gone = (suggestion.kr, suggestion.fr) if other_side == "KR" else (suggestion.fr, suggestion.kr)
        response = other.response
        if response is None or not response.contact_email or response.anonymised_at is not None:
            continue
        enqueue_email(
            key=f"withdrawn:{suggestion.id}:{other_side}",
            kind="introduction_withdrawn",
            to=(response.contact_name, response.contact_email),
            language=response.language,
            template="review/email/introduction_withdrawn",
            context={
                "contact_name": response.contact_name,
                "partner_name": local_name(gone.name, gone.name_local, response.language),
            },
        )
        log.info("introduction withdrawn", extra={"suggestion_id": suggestion.id})
    return len(pairs)


# --- outcomes -----------------------------------------------------------------------------------------------


def record_outcome(suggestion: Suggestion, user, kind: str, happened_on: date, note: str | None = None) -> Outcome:
    """Record what came of an introduced pair; the pair's ``outcome`` becomes the latest one by date."""
    _check_user(user)
    if kind not in OUTCOME_KINDS:
        raise ReviewError("bad_outcome")
    if not isinstance(happened_on, date) or happened_on > (utcnow() + timedelta(days=1)).date():
        raise ReviewError("bad_date")
    suggestion = _lock_suggestion(suggestion.id)
    if suggestion.state not in OPEN_FOR_OUTCOME:
        raise ReviewError("not_introduced")
    record = Outcome(
        suggestion_id=suggestion.id, kind=kind, happened_on=happened_on, note=_clean_note(note), user_id=user.id
    )
    db.session.add(record)
    db.session.flush()
    latest = db.session.scalar(
        select(Outcome.kind)
        .where(Outcome.suggestion_id == suggestion.id)
        .order_by(Outcome.happened_on.desc(), Outcome.id.desc())
        .limit(1)
    )
    suggestion.outcome = latest
    suggestion.updated_at = utcnow()
    log.info("outcome recorded", extra={"suggestion_id": suggestion.id, "kind": kind, "user_id": user.id})
    return record
