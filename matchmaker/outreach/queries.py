"""What the campaign pages show: each invitation's state, the counts, and the response rate day by day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from matchmaker.clock import utcnow
from matchmaker.extensions import db
from matchmaker.mail.recipients import normalise_email
from matchmaker.models import Campaign, Collectivite, Invitation, OutboxMessage, Response, ResponseVersion, SeminarPanel
from matchmaker.outreach.operations import (
    PERMANENT_REFUSAL_RE,
    answered_codes,
    bounced_addresses,
    unsubscribed_addresses,
)


def find_campaign(campaign_id: int) -> Campaign | None:
    """One campaign (of either association), or None."""
    return db.session.get(Campaign, campaign_id)


def recent_panels(limit: int = 10) -> tuple[list[SeminarPanel], dict[int, Collectivite]]:
    """The last fixed seminar panels, newest first, and their members' collectivités by id."""
    panels = list(
        db.session.scalars(
            select(SeminarPanel).order_by(SeminarPanel.fixed_at.desc(), SeminarPanel.id.desc()).limit(limit)
        )
    )
    ids = {i for p in panels for i in p.member_ids}
    members = {c.id: c for c in db.session.scalars(select(Collectivite).where(Collectivite.id.in_(ids)))} if ids else {}
    return panels, members


#: States of an invitation, from the least to the most advanced (the page shows the last one reached, and flags).
STATES = ("not_sent", "invited", "opened", "draft", "submitted")


@dataclass
class InvitationRow:
    """One invitation as the campaign page shows it."""

    invitation: Invitation
    state: str
    submitted_at: datetime | None
    unsubscribed: bool
    bounced: bool
    answered_before: bool
    delivery: str | None  # status of the invitation email in the outbox

    @property
    def flags(self) -> list[str]:
        """Unsubscribed, bounced."""
        return [name for name, on in (("unsubscribed", self.unsubscribed), ("bounced", self.bounced)) if on]


def campaigns_of(org: str) -> list[tuple[Campaign, int, int, int]]:
    """Campaigns of an association, newest first, with invitations, sent and submitted counts."""
    rows = db.session.execute(
        select(
            Campaign,
            func.count(Invitation.id),
            func.count(Invitation.sent_at),
            func.count(Response.id).filter(Response.status == "submitted"),
        )
        .outerjoin(Invitation, Invitation.campaign_id == Campaign.id)
        .outerjoin(Response, Invitation.response_id == Response.id)
        .where(Campaign.org == org)
        .group_by(Campaign.id)
        .order_by(Campaign.created_at.desc(), Campaign.id.desc())
    ).all()
    return rows


def first_submissions(response_ids: list[int]) -> dict[int, datetime]:
    """When each response was first submitted (its first version)."""
    found: dict[int, datetime] = {}
    for start in range(0, len(response_ids), 500):
        part = response_ids[start : start + 500]
        found.update(
            db.session.execute(
                select(ResponseVersion.response_id, func.min(ResponseVersion.created_at))
                .where(ResponseVersion.response_id.in_(part))
                .group_by(ResponseVersion.response_id)
            ).all()
        )
    return found


def invitation_rows(campaign: Campaign) -> list[InvitationRow]:
    """Every invitation of a campaign with its state."""
    invitations = db.session.scalars(
        select(Invitation).where(Invitation.campaign_id == campaign.id).order_by(Invitation.id)
    ).all()
    responses = {}
    ids = [inv.response_id for inv in invitations if inv.response_id]
    for start in range(0, len(ids), 500):
        responses.update(
            (r.id, r) for r in db.session.scalars(select(Response).where(Response.id.in_(ids[start : start + 500])))
        )
    firsts = first_submissions(ids)
    emails = [inv.email for inv in invitations if inv.email]
    unsubscribed, bounced = unsubscribed_addresses(emails), bounced_addresses(emails)
    answered = answered_codes(campaign.country)
    deliveries = dict(
        db.session.execute(
            select(OutboxMessage.key, OutboxMessage.status).where(
                OutboxMessage.key.like(f"outreach:{campaign.id}:%:invitation")
            )
        ).all()
    )
    rows = []
    for inv in invitations:
        response = responses.get(inv.response_id)
        if response is not None and response.status == "submitted":
            state = "submitted"
        elif response is not None and response.draft_saved_at is not None:
            state = "draft"
        elif inv.opened_at is not None:
            state = "opened"
        elif inv.sent_at is not None:
            state = "invited"
        else:
            state = "not_sent"
        email = normalise_email(inv.email) if inv.email else None
        rows.append(
            InvitationRow(
                invitation=inv,
                state=state,
                submitted_at=firsts.get(inv.response_id) if state == "submitted" else None,
                unsubscribed=email in unsubscribed,
                bounced=email in bounced,
                answered_before=state != "submitted" and (inv.level, inv.code) in answered,
                delivery=deliveries.get(f"outreach:{campaign.id}:{inv.id}:invitation"),
            )
        )
    return rows


def summary(rows: list[InvitationRow]) -> dict[str, int]:
    """How many invitations are in each state or carry each flag."""
    counts = {state: 0 for state in STATES} | {"unsubscribed": 0, "bounced": 0, "reminded": 0, "total": len(rows)}
    reached = {state: i for i, state in enumerate(STATES)}
    for row in rows:
        for state in STATES[1 : reached[row.state] + 1] if row.state != "not_sent" else ("not_sent",):
            counts[state] += 1
        counts["unsubscribed"] += row.unsubscribed
        counts["bounced"] += row.bounced
        counts["reminded"] += row.invitation.reminders_sent > 0
    return counts


def response_rate_series(
    campaign: Campaign, rows: list[InvitationRow], today: date | None = None, max_days: int = 180
) -> list[tuple[date, float, float]]:
    """Day by day since the campaign started: share of sent invitations opened, and submitted (0–1)."""
    sent = [row for row in rows if row.invitation.sent_at is not None]
    start = campaign.created_at.date()
    end = today or utcnow().date()
    if end < start:
        end = start
    if (end - start).days > max_days:
        start = end - timedelta(days=max_days)
    out = []
    total = len(sent) or 1
    opened_days = sorted(row.invitation.opened_at.date() for row in sent if row.invitation.opened_at)
    submitted_days = sorted(row.submitted_at.date() for row in sent if row.submitted_at)
    day = start
    i = j = 0
    while day <= end:
        while i < len(opened_days) and opened_days[i] <= day:
            i += 1
        while j < len(submitted_days) and submitted_days[j] <= day:
            j += 1
        out.append((day, i / total, j / total))
        day += timedelta(days=1)
    return out


def permanent_refusal(error: str | None) -> bool:
    """Whether an outbox error records a permanent refusal."""
    return bool(error and PERMANENT_REFUSAL_RE.match(error))
