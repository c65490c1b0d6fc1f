"""The one place that turns database rows into the matching library's input, and reasons back into text."""
from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from typing import Any

import numpy as np

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from matchmaker.extensions import db
from matchmaker.matching import Reason, load_inputs, render_reasons
from matchmaker.models import Collectivite, Response, ThemeInterest
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


def _matchable():
    """The where-clause of matchable responses (submitted, with an identity, not anonymised)."""
    return (Response.status == "submitted", Response.anonymised_at.is_(None), Response.collectivite_id.is_not(None))


def load_profiles() -> list[dict[str, Any]]:
    """Every matchable response as a matching record, read with a few set-based queries (ordered by id).

    The one place the nightly recompute reads its input: the rows, their themes, and the stored sentence-encoder
    vectors of their presentations (never encoded here).
    """
    themes: dict[int, dict[str, dict[str, Any]]] = {}
    theme_rows = db.session.execute(
        select(Response.collectivite_id, ThemeInterest.theme_code, ThemeInterest.priority, ThemeInterest.stance)
        .join(ThemeInterest, ThemeInterest.response_id == Response.id).where(*_matchable())
        .order_by(Response.collectivite_id, ThemeInterest.theme_code))
    for cid, code, priority, stance in theme_rows:
        themes.setdefault(cid, {})[code] = {"priority": priority, "stance": stance}
    rows = db.session.execute(
        select(Collectivite.id, Collectivite.name, Collectivite.name_local, Collectivite.country, Collectivite.level,
               Collectivite.code, Collectivite.population, Collectivite.region, Response.language, Response.sectors,
               Response.partner_levels, Response.cooperation_kinds, Response.working_languages,
               Response.existing_partners, Response.description, Response.id)
        .join(Response, Response.collectivite_id == Collectivite.id).where(*_matchable()).order_by(Collectivite.id))
    rows = rows.all()
    embeddings = load_embeddings({rid: description or "" for *_, description, rid in rows})
    return [{
        "id": cid, "name": name, "name_local": name_local or "", "country": country, "level": level,
        "code": code or "", "population": population, "region": region or "", "language": language,
        "themes": themes.get(cid, {}), "sectors": list(sectors or []), "partner_levels": list(partner_levels or []),
        "cooperation_kinds": list(kinds or []), "working_languages": list(languages or []),
        "existing_partners": list(partners or []), "description": description or "",
        "embedding": embeddings.get(rid, (None, None))[0], "sentence_embeddings": embeddings.get(rid, (None, None))[1],
    } for (cid, name, name_local, country, level, code, population, region, language, sectors, partner_levels,
           kinds, languages, partners, description, rid) in rows]


def profile_digests(profiles: list[dict[str, Any]]) -> dict[str, str]:
    """A short digest of each matching record, keyed by collectivité id (as text, the JSON key it is stored as).

    Encoder vectors enter as a digest of their bytes: a presentation that gains its vectors (back-fill) changes.
    """
    def plain(p: dict[str, Any]) -> dict[str, Any]:
        out = dict(p)
        for key in ("embedding", "sentence_embeddings"):
            value = out.get(key)
            if value is not None:
                out[key] = hashlib.blake2b(np.ascontiguousarray(value, dtype=np.float32).tobytes(), digest_size=8).hexdigest()
        return out

    return {str(p["id"]): hashlib.blake2b(json.dumps(plain(p), sort_keys=True, ensure_ascii=False).encode(),
                                          digest_size=8).hexdigest() for p in profiles}


@lru_cache(maxsize=1)
def taxonomy() -> dict[str, Any]:
    """The taxonomy as the matching library reads it (loaded once)."""
    return load_inputs()[0]


def display_names(fr: Collectivite, kr: Collectivite, lang: str) -> dict[str, str]:
    """Names of both sides as a reader of ``lang`` knows them (Korean script for Korean readers)."""
    return {"fr": fr.name_for(lang) or f"#{fr.id}", "kr": kr.name_for(lang) or f"#{kr.id}"}


def render_suggestion_reasons(reasons: list[dict], fr: Collectivite, kr: Collectivite, lang: str) -> list[str]:
    """The stored structured reasons of a pair as sentences in ``lang``."""
    return render_reasons([Reason.from_dict(r) for r in reasons or []], lang, display_names(fr, kr, lang), taxonomy())
