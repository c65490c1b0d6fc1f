"""Reads of the questionnaire area: one response, its private links, and the staff list of responses (filters
by country, level, theme and completeness, and a search that reads contacts only where the visibility rule lets
the reader's association see them).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Mapping

from sqlalchemy import false, func, or_, select
from sqlalchemy.orm import selectinload

from matchmaker import tokens
from matchmaker.extensions import db
from matchmaker.matching.text import search_key
from matchmaker.models import AccessToken, Collectivite, Response, Suggestion, ThemeInterest
from matchmaker.staff import visibility

#: The completeness filter's choices: drafts, submitted responses, submitted ones missing a recommended answer.
COMPLETENESS = ("draft", "submitted", "missing")


def find_response(response_id: int) -> Response | None:
    """One response, or None."""
    return db.session.get(Response, response_id)


def link_token(raw: str) -> AccessToken | None:
    """The stored private link whose raw token is ``raw`` (any state), or None."""
    return db.session.scalar(select(AccessToken).where(AccessToken.token_hash == tokens.hash_token(raw)))


def edit_links(response_id: int) -> list[AccessToken]:
    """Every private link ever issued to edit a response, newest first."""
    return list(
        db.session.scalars(
            select(AccessToken)
            .where(AccessToken.response_id == response_id, AccessToken.purpose == "edit")
            .order_by(AccessToken.created_at.desc())
        )
    )


def _json_length(column):
    """Length of a JSON array column on SQLite and PostgreSQL."""
    if db.engine.dialect.name == "postgresql":
        return func.jsonb_array_length(column)
    return func.json_array_length(column)


def filtered_responses(filters: Mapping[str, str], org: str | None = None):
    """The query behind the staff list; a search by email looks only at the contacts ``org`` may see."""
    query = select(Response).outerjoin(Response.collectivite).where(Response.anonymised_at.is_(None))
    if filters["country"]:
        query = query.where(Collectivite.country == filters["country"])
    if filters["level"]:
        query = query.where(Collectivite.level == filters["level"])
    if filters["theme"]:
        query = query.where(
            Response.id.in_(select(ThemeInterest.response_id).where(ThemeInterest.theme_code == filters["theme"]))
        )
    if filters["completeness"] == "draft":
        query = query.where(Response.status == "draft")
    elif filters["completeness"] == "submitted":
        query = query.where(Response.status == "submitted")
    elif filters["completeness"] == "missing":
        query = query.where(
            Response.status == "submitted",
            or_(
                Collectivite.population.is_(None),
                Collectivite.region.is_(None),
                Response.description.is_(None),
                *(
                    _json_length(getattr(Response, name)) == 0
                    for name in ("sectors", "partner_levels", "cooperation_kinds")
                ),
            ),
        )
    if filters["q"]:
        key = search_key(filters["q"])
        like = f"%{filters['q'].lower()}%"
        own = [c for c, o in visibility.ORG_OF_COUNTRY.items() if o == org]
        shared = (
            select(Suggestion.fr_id)
            .where(Suggestion.state.in_(visibility.SHARED_STATES))
            .union(select(Suggestion.kr_id).where(Suggestion.state.in_(visibility.SHARED_STATES)))
        )
        email_visible = or_(Collectivite.country.in_(own), Collectivite.id.in_(shared))
        query = query.where(
            or_(
                Collectivite.name_key.contains(key) if key else false(),
                func.lower(Collectivite.name_local).like(like),
                func.lower(Response.contact_email).like(like) & email_visible,
            )
        )
    return query


@dataclass(frozen=True)
class ResponsePage:
    """One page of the staff list of responses (with their collectivités and themes loaded)."""

    rows: list[Response]
    total: int
    page: int
    pages: int


def response_page(filters: Mapping[str, str], org: str | None, page: int, page_size: int) -> ResponsePage:
    """The responses ``filters`` keep, last changed first; a page past the end shows the last one."""
    query = filtered_responses(filters, org)
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    pages = max(1, math.ceil(total / page_size))
    page = min(max(page, 1), pages)
    rows = db.session.scalars(
        query.options(selectinload(Response.collectivite), selectinload(Response.themes))
        .order_by(Response.updated_at.desc(), Response.id.desc())
        .offset((page - 1) * page_size)
        .limit(page_size)
    ).all()
    return ResponsePage(rows=list(rows), total=total, page=page, pages=pages)
