"""The one place that turns database rows into the matching library's input, and reasons back into text."""
from __future__ import annotations

from functools import lru_cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from matchmaker.extensions import db
from matchmaker.matching import Reason, load_inputs, render_reasons
from matchmaker.models import Collectivite, Response
from matchmaker.suggestions.embeddings import load_embeddings


def response_record(response: Response, embeddings: dict[int, tuple] | None = None) -> dict[str, Any]:
    """A submitted response as a matching record (the import/export row), keyed by its collectivité id.

    The record carries its description's stored encoder vectors, from ``embeddings`` (by response id)
    when given, else read for this one response.
    """
    if embeddings is None:
        embeddings = load_embeddings({response.id: response.description or ""})
    document, sentences = embeddings.get(response.id, (None, None))
    c = response.collectivite
    return {
        "id": c.id,
        "name": c.name,
        "name_local": c.name_local or "",
        "country": c.country,
        "level": c.level,
        "code": c.code or "",
        "population": c.population,
        "region": c.region or "",
        "language": response.language,
        "themes": {t.theme_code: {"priority": t.priority, "stance": t.stance} for t in response.themes},
        "sectors": list(response.sectors or []),
        "partner_levels": list(response.partner_levels or []),
        "cooperation_kinds": list(response.cooperation_kinds or []),
        "working_languages": list(response.working_languages or []),
        "existing_partners": list(response.existing_partners or []),
        "description": response.description or "",
        "embedding": document,
        "sentence_embeddings": sentences,
    }


def matchable_responses():
    """Query of the responses that take part in matching: submitted, with an identity, not anonymised."""
    return (
        select(Response)
        .join(Response.collectivite)
        .where(Response.status == "submitted", Response.anonymised_at.is_(None))
        .options(selectinload(Response.themes), selectinload(Response.collectivite))
        .order_by(Collectivite.id)
    )


def load_profiles() -> list[dict[str, Any]]:
    """Every matchable response as a matching record (stored encoder vectors read in bulk)."""
    responses = list(db.session.scalars(matchable_responses()))
    embeddings = load_embeddings({r.id: r.description or "" for r in responses})
    return [response_record(r, embeddings) for r in responses]


@lru_cache(maxsize=1)
def taxonomy() -> dict[str, Any]:
    """The taxonomy as the matching library reads it (loaded once)."""
    return load_inputs()[0]


def display_names(fr: Collectivite, kr: Collectivite, lang: str) -> dict[str, str]:
    """Names of both sides as a reader of ``lang`` knows them (Korean script for Korean readers)."""
    def name(c: Collectivite) -> str:
        if lang == "ko" and c.name_local:
            return c.name_local
        return c.name or c.name_local or f"#{c.id}"

    return {"fr": name(fr), "kr": name(kr)}


def render_suggestion_reasons(reasons: list[dict], fr: Collectivite, kr: Collectivite, lang: str) -> list[str]:
    """The stored structured reasons of a pair as sentences in ``lang``."""
    return render_reasons([Reason.from_dict(r) for r in reasons or []], lang, display_names(fr, kr, lang), taxonomy())
