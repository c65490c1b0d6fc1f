"""Seminar panels of the "Tour franco-coréen des initiatives locales": for a theme, two French and two Korean
collectivités that offer it, of different levels and sizes, not in the recent panels; staff adjust and fix the
panel, and its members are invited through the outbox. Reasons are codes with parameters, worded by the page."""

from __future__ import annotations

import itertools
import logging
import math
from dataclasses import dataclass, field

from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.mail.outbox import enqueue_email
from matchmaker.models import Collectivite, Response, SeminarPanel, ThemeInterest
from matchmaker.questionnaire import codes
from matchmaker.vocabulary import COUNTRIES

log = logging.getLogger("matchmaker.outreach.panels")

#: Members of this many last fixed panels are not proposed again.
RECENT_PANELS = 3


@dataclass(frozen=True)
class Candidate:
    """A collectivité that offers the theme, with what makes it a good panel member."""

    collectivite: Collectivite
    response: Response
    priority: int

    @property
    def population(self) -> int:
        """Population (0 when unknown)."""
        return self.collectivite.population or 0


@dataclass
class Proposal:
    """Two French and two Korean members, or the reasons why none can be proposed."""

    theme: str
    members: dict[str, list[Candidate]] = field(default_factory=dict)  # country -> two candidates
    candidates: dict[str, list[Candidate]] = field(default_factory=dict)  # country -> every candidate
    problems: list[tuple[str, dict]] = field(default_factory=list)  # (code, params)

    @property
    def ok(self) -> bool:
        """Whether a full panel is proposed."""
        return not self.problems


def recent_member_ids(limit: int = RECENT_PANELS) -> set[int]:
    """Collectivités of the last fixed panels."""
    panels = db.session.scalars(
        select(SeminarPanel).order_by(SeminarPanel.fixed_at.desc(), SeminarPanel.id.desc()).limit(limit)
    )
    return {cid for panel in panels for cid in panel.member_ids}


def candidates_for(theme: str) -> dict[str, list[Candidate]]:
    """Collectivités whose submitted response offers the theme (offer or both) and may be shown to the other
    association (consent to share), best first: priority, then population."""
    rows = db.session.execute(
        select(Collectivite, Response, ThemeInterest.priority)
        .join(Response, Response.collectivite_id == Collectivite.id)
        .join(ThemeInterest, ThemeInterest.response_id == Response.id)
        .where(
            ThemeInterest.theme_code == theme,
            ThemeInterest.stance.in_(("offer", "both")),
            Response.status == "submitted",
            Response.anonymised_at.is_(None),
            Response.consent_share.is_(True),
        )
    ).all()
    out: dict[str, list[Candidate]] = {"FR": [], "KR": []}
    for coll, response, priority in rows:
        out[coll.country].append(Candidate(coll, response, priority))
    for items in out.values():
        items.sort(key=lambda c: (-c.priority, -c.population, c.collectivite.name))
    return out


def _pair_score(a: Candidate, b: Candidate) -> float:
    """Higher for two strong offers of different sizes (the levels already differ)."""
    gap = abs(math.log10(max(a.population, 1)) - math.log10(max(b.population, 1)))
    return a.priority + b.priority + min(gap, 2.0)


def propose_panel(theme: str) -> Proposal:
    """Two French and two Korean collectivités offering ``theme``, of distinct levels, not in recent panels."""
    proposal = Proposal(theme=theme)
    recent = recent_member_ids()
    found = candidates_for(theme)
    for country in COUNTRIES:
        fresh = [c for c in found[country] if c.collectivite.id not in recent]
        proposal.candidates[country] = found[country]
        if len(found[country]) < 2:
            proposal.problems.append(("too_few", {"country": country, "count": len(found[country])}))
            continue
        if len(fresh) < 2:
            proposal.problems.append(("all_recent", {"country": country, "count": len(found[country])}))
            continue
        pairs = [(a, b) for a, b in itertools.combinations(fresh, 2) if a.collectivite.level != b.collectivite.level]
        if not pairs:
            proposal.problems.append(("one_level", {"country": country, "level": fresh[0].collectivite.level}))
            continue
        proposal.members[country] = list(max(pairs, key=lambda p: _pair_score(*p)))
    return proposal


class PanelError(ValueError):
    """A panel cannot be fixed as chosen; ``code`` says why."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def fix_panel(theme: str, member_ids: list[int], *, user_id: int | None = None) -> SeminarPanel:
    """Fix a panel chosen by staff (two French, two Korean collectivités offering the theme) and invite each
    member through the outbox in its language; the caller commits."""
    found = candidates_for(theme)
    allowed = {c.collectivite.id: c for items in found.values() for c in items}
    if len(set(member_ids)) != 4 or any(i not in allowed for i in member_ids):
        raise PanelError("not_candidates")
    chosen = [allowed[i] for i in member_ids]
    for country in COUNTRIES:
        if sum(1 for c in chosen if c.collectivite.country == country) != 2:
            raise PanelError("two_each")
    chosen.sort(key=lambda c: (c.collectivite.country, c.collectivite.name))
    panel = SeminarPanel(theme_code=theme, member_ids=[c.collectivite.id for c in chosen], fixed_by=user_id)
    db.session.add(panel)
    db.session.flush()
    for c in chosen:
        response = c.response
        if not response.contact_email:
            continue
        lang = response.language
        others = [o.collectivite.name_for(lang) for o in chosen if o is not c]
        name = c.collectivite.name_for(lang)
        enqueue_email(
            f"seminar-panel:{panel.id}:{c.collectivite.id}",
            "seminar-panel",
            (response.contact_name, response.contact_email),
            lang,
            "outreach/email/seminar_panel",
            {"collectivite": name, "theme": codes.label("themes", theme, lang), "others": others},
        )
    log.info("seminar panel fixed", extra={"panel_id": panel.id, "theme": theme, "members": panel.member_ids})
    return panel
