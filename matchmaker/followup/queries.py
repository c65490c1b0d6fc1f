"""Reads of the follow-through area for staff: introductions about to expire, first calls being arranged."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from matchmaker.clock import utcnow
from matchmaker.extensions import db
from matchmaker.followup.introductions import about_to_expire, expires_at
from matchmaker.models import FirstCall, Suggestion, SurveyAnswer


def find_survey_answer(survey_id: int) -> SurveyAnswer | None:
    """One survey sent to one side of a pair, or None."""
    return db.session.get(SurveyAnswer, survey_id)


@dataclass
class ExpiringIntroduction:
    """An open introduction and when it expires."""

    suggestion: Suggestion
    expires_at: object
    days_left: int
    fr_answer: str | None
    kr_answer: str | None


@dataclass
class Overview:
    """The follow-up page's lists."""

    expiring: list[ExpiringIntroduction]
    calls: list[tuple[FirstCall, Suggestion]]


def follow_up_overview(within_days: int = 7) -> Overview:
    """Introductions expiring within ``within_days`` and first calls not yet held, soonest first."""
    now = utcnow()
    expiring = []
    for intro, suggestion in about_to_expire(timedelta(days=within_days), now):
        end = expires_at(intro)
        expiring.append(
            ExpiringIntroduction(
                suggestion, end, max(0, math.ceil((end - now) / timedelta(days=1))), intro.fr_answer, intro.kr_answer
            )
        )
    calls = db.session.execute(
        select(FirstCall, Suggestion)
        .join(Suggestion, Suggestion.id == FirstCall.suggestion_id)
        .where((FirstCall.state == "proposed") | (FirstCall.starts_at > now))
        .order_by(FirstCall.state.desc(), FirstCall.starts_at, FirstCall.id)
        .limit(200)
    ).all()
    return Overview(expiring, [tuple(row) for row in calls])
