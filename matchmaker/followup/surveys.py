"""Both sides report what came of a mutual pair: one question, 1, 3 and 6 months after mutual interest.

Each survey email carries a single-use ``survey`` link (it answers once). Answers show on the pair page and the
dashboard; staff confirm an answer to record it as the pair's outcome. Once either side reports an agreement
(or staff record one), later surveys of the pair are not sent. Callers commit.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from matchmaker.clock import utcnow
from matchmaker.extensions import db
from matchmaker.mail.outbox import enqueue_email
from matchmaker.models import Introduction, Outcome, Suggestion, SurveyAnswer
from matchmaker.models.followup import STOP_REASONS, SURVEY_ANSWERS, SURVEY_WAVES
from matchmaker.review.labels import COUNTRY_LABELS, local_name
from matchmaker.review.operations import record_outcome
from matchmaker.tokens import TokenError, consume_token, issue_token, resolve_token
from matchmaker.vocabulary import COUNTRIES

log = logging.getLogger("matchmaker.followup")

#: Days after mutual interest at which each wave is due (1, 3 and 6 months).
WAVE_DAYS = {1: 30, 3: 91, 6: 182}
SURVEY_LINK_TTL = timedelta(days=60)
MAX_NOTE = 2000
#: What staff record as the pair's outcome when they confirm a self-reported answer.
ANSWER_TO_OUTCOME = {
    "met": "meeting",
    "letter_of_intent": "letter_of_intent",
    "agreement": "agreement",
    "stopped": "no_follow_up",
}


class SurveyError(ValueError):
    """A survey answer or confirmation cannot be done as asked; ``reason`` is a stable code."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _agreement_reported(suggestion: Suggestion) -> bool:
    if suggestion.outcome == "agreement":
        return True
    return (
        db.session.scalar(
            select(SurveyAnswer.id)
            .where(SurveyAnswer.suggestion_id == suggestion.id, SurveyAnswer.answer == "agreement")
            .limit(1)
        )
        is not None
    )


def due_wave(mutual_at: datetime, now: datetime) -> int | None:
    """The latest wave due ``now`` for a pair that became mutual at ``mutual_at`` (None before the first)."""
    due = [w for w in SURVEY_WAVES if now >= mutual_at + timedelta(days=WAVE_DAYS[w])]
    return due[-1] if due else None


def send_due_surveys(now: datetime | None = None) -> int:
    """Queue the due survey of every mutual pair to both sides (a missed wave is replaced by the latest due)."""
    now = now or utcnow()
    rows = db.session.execute(
        select(Suggestion, Introduction.closed_at)
        .join(Introduction, Introduction.suggestion_id == Suggestion.id)
        .where(Suggestion.state == "mutual", Introduction.closed_at <= now - timedelta(days=WAVE_DAYS[1]))
        .order_by(Suggestion.id)
    ).all()
    sent = 0
    for suggestion, mutual_at in rows:
        wave = due_wave(mutual_at, now)
        if wave is None or _agreement_reported(suggestion):
            continue
        for side in COUNTRIES:
            later = db.session.scalar(
                select(SurveyAnswer.id).where(
                    SurveyAnswer.suggestion_id == suggestion.id, SurveyAnswer.side == side, SurveyAnswer.wave >= wave
                )
            )
            me, partner = (suggestion.fr, suggestion.kr) if side == "FR" else (suggestion.kr, suggestion.fr)
            response = me.response
            if (
                later is not None
                or response is None
                or not response.contact_email
                or response.anonymised_at is not None
            ):
                continue
            db.session.add(SurveyAnswer(suggestion_id=suggestion.id, side=side, wave=wave, sent_at=now))
            lang = response.language
            token = issue_token("survey", SURVEY_LINK_TTL, suggestion_id=suggestion.id, side=side)
            context = {
                "contact_name": response.contact_name,
                "own_name": local_name(me.name, me.name_local, lang),
                "partner_name": local_name(partner.name, partner.name_local, lang),
                "months": wave,
                "survey_token": token,
            }
            if enqueue_email(
                key=f"survey:{suggestion.id}:{side}:{wave}",
                kind="survey",
                to=(response.contact_name, response.contact_email),
                language=lang,
                template="followup/email/survey",
                context=context,
            ):
                sent += 1
    db.session.flush()
    if sent:
        log.info("surveys queued", extra={"count": sent})
    return sent


@dataclass
class SurveyAccess:
    """What a survey link opens."""

    suggestion: Suggestion
    side: str
    survey: SurveyAnswer


def open_survey_link(raw_token: str) -> SurveyAccess:
    """Resolve a survey link to its pending survey; raises TokenError when it cannot be used."""
    token = resolve_token(raw_token, "survey")
    if token.suggestion_id is None or token.side not in COUNTRIES:
        raise TokenError("unknown")
    survey = db.session.scalar(
        select(SurveyAnswer)
        .where(SurveyAnswer.suggestion_id == token.suggestion_id, SurveyAnswer.side == token.side)
        .order_by(SurveyAnswer.wave.desc())
        .limit(1)
    )
    suggestion = db.session.get(Suggestion, token.suggestion_id)
    if survey is None or suggestion is None:
        raise TokenError("revoked")
    if survey.answer is not None:
        raise TokenError("used")
    return SurveyAccess(suggestion, token.side, survey)


def answer_survey(raw_token: str, answer: str, note: str | None = None, stop_reason: str | None = None) -> SurveyAccess:
    """Record one side's answer through its single-use link."""
    if answer not in SURVEY_ANSWERS:
        raise SurveyError("bad_answer")
    note = (note or "").strip() or None
    if note is not None and len(note) > MAX_NOTE:
        raise SurveyError("note_too_long")
    if answer == "stopped":
        if stop_reason not in STOP_REASONS:
            raise SurveyError("reason_needed")
    else:
        stop_reason = None
    access = open_survey_link(raw_token)
    consume_token(resolve_token(raw_token, "survey"))
    survey = access.survey
    survey.answer, survey.stop_reason, survey.note, survey.answered_at = answer, stop_reason, note, utcnow()
    db.session.flush()
    log.info(
        "survey answered",
        extra={"suggestion_id": access.suggestion.id, "side": access.side, "wave": survey.wave, "answer": answer},
    )
    return access


def confirm_survey_answer(survey_id: int, user) -> SurveyAnswer:
    """Staff confirm a self-reported answer: it becomes the pair's outcome (recorded like any outcome)."""
    survey = db.session.get(SurveyAnswer, survey_id)
    if survey is None or survey.answer is None:
        raise SurveyError("not_found")
    if survey.confirmed_at is not None:
        return survey
    kind = ANSWER_TO_OUTCOME.get(survey.answer)
    if kind is None:
        raise SurveyError("nothing_to_confirm")
    suggestion = db.session.get(Suggestion, survey.suggestion_id)
    record_outcome(suggestion, user, kind, survey.answered_at.date(), _outcome_note(survey))
    survey.confirmed_at, survey.confirmed_by = utcnow(), user.id
    db.session.flush()
    return survey


def _outcome_note(survey: SurveyAnswer) -> str:
    """The note of an outcome confirmed from a survey answer, in the confirming staff member's language."""
    from flask_babel import gettext as _

    note = _(
        "Reported by the %(country)s side in the %(months)s-month survey.",
        country=COUNTRY_LABELS[survey.side],
        months=survey.wave,
    )
    return f"{note} {survey.note}" if survey.note else note


def surveys_of(suggestion_id: int) -> list[SurveyAnswer]:
    """The surveys of a pair, by wave then side."""
    return list(
        db.session.scalars(
            select(SurveyAnswer)
            .where(SurveyAnswer.suggestion_id == suggestion_id)
            .order_by(SurveyAnswer.wave, SurveyAnswer.side)
        )
    )


def outcome_comparison() -> list[tuple[str, int, int]]:
    """For the dashboard: per outcome, how many pairs staff recorded and how many sides reported it themselves."""
    from sqlalchemy import func

    staff = dict(
        db.session.execute(
            select(Outcome.kind, func.count(func.distinct(Outcome.suggestion_id))).group_by(Outcome.kind)
        ).all()
    )
    reported = dict(
        db.session.execute(
            select(SurveyAnswer.answer, func.count())
            .where(SurveyAnswer.answer.is_not(None))
            .group_by(SurveyAnswer.answer)
        ).all()
    )
    return [
        (answer, reported.get(answer, 0), staff.get(ANSWER_TO_OUTCOME.get(answer, ""), 0)) for answer in SURVEY_ANSWERS
    ]
