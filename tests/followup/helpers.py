"""Builders for follow-through tests: a pair taken to mutual interest through its real answer links."""

from __future__ import annotations

import re

from sqlalchemy import select

from matchmaker.models import OutboxMessage
from matchmaker.review import operations as review
from tests.review import factories as f


def answer_token(suggestion_id: int, side: str) -> str:
    """The answer token of the introduction email sent to one side."""
    from matchmaker.extensions import db

    body = db.session.scalar(
        select(OutboxMessage.body_text).where(OutboxMessage.key == f"introduction:{suggestion_id}:{side}")
    )
    return re.search(r"/answer/([A-Za-z0-9_-]+)", body).group(1)


def make_mutual() -> int:
    """Issy ↔ Guro-gu approved by both associations, introduced, and answered "interested" by both (call inside
    an app context); returns the pair's id. The first call is proposed in the same transaction."""
    from matchmaker.extensions import db

    issy, guro = f.issy_and_guro()
    s = f.suggestion(issy, guro, themes=("smart_city",))
    review.decide(s, f.staff("CUF"), "approve")
    review.decide(s, f.staff("GAROK"), "approve")
    db.session.commit()
    for side in ("FR", "KR"):
        review.answer(answer_token(s.id, side), "interested")
        db.session.commit()
    assert s.state == "mutual"
    return s.id


def call_path(body: str) -> str:
    """The path of the private call link in an email body."""
    return re.search(r"https?://[^/\s]+(/call/[A-Za-z0-9_-]+\?lang=\w+)", body).group(1)
