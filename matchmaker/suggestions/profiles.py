"""Matchable responses as the matching library's input (one ORM response, or all of them in bulk), and reasons
back into text."""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from matchmaker.extensions import db
from matchmaker.matching import MatchScorer, Reason, default_matcher, load_inputs, render_reasons
from matchmaker.models import Collectivite, Response, ThemeInterest
from matchmaker.paths import DATA_DIR
from matchmaker.questionnaire.record import (
    IDENTITY_FIELDS,
    STORED_FIELDS,
    answers_of,
    matching_record,
    stored_values,
    theme_triples,
)
from matchmaker.suggestions.embeddings import load_embeddings


def response_record(response: Response, embeddings: dict[int, tuple] | None = None) -> dict[str, Any]:
    """A submitted response as a matching record (questionnaire.record.matching_record), keyed by collectivité id.

    The record carries its description's stored encoder vectors, from ``embeddings`` (by response id)
    when given, else read for this one response.
    """
    if embeddings is None:
        embeddings = load_embeddings({response.id: response.description or ""})
    answers = answers_of(stored_values(response.collectivite, response), theme_triples(response.themes))
    return matching_record(answers, response.collectivite.id, *embeddings.get(response.id, (None, None)))


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
    vectors of their presentations (never encoded here). Each row holds its collectivité's and response's columns
    in the order of STORED_FIELDS, so it goes through the same conversion as one ORM response (answers_of).
    """
    themes: dict[int, list[tuple[str, int, str]]] = {}
    theme_rows = db.session.execute(
        select(ThemeInterest.response_id, ThemeInterest.theme_code, ThemeInterest.priority, ThemeInterest.stance)
        .join(Response, ThemeInterest.response_id == Response.id)
        .where(*_matchable())
        .order_by(ThemeInterest.response_id, ThemeInterest.theme_code)
    )
    for rid, code, priority, stance in theme_rows:
        themes.setdefault(rid, []).append((code, priority, stance))
    stored = [getattr(Collectivite if name in IDENTITY_FIELDS else Response, name) for name in STORED_FIELDS]
    rows = db.session.execute(
        select(*stored, Collectivite.id, Response.id)
        .join(Response, Response.collectivite_id == Collectivite.id)
        .where(*_matchable())
        .order_by(Collectivite.id)
    )
    read = [(values, cid, rid) for *values, cid, rid in rows]
    # STORED_FIELDS end with the description
    embeddings = load_embeddings({rid: values[-1] or "" for values, _, rid in read})
    return [
        matching_record(answers_of(values, themes.get(rid, ())), cid, *embeddings.get(rid, (None, None)))
        for values, cid, rid in read
    ]


def profile_digests(profiles: list[dict[str, Any]]) -> dict[str, str]:
    """A short digest of each matching record, keyed by collectivité id (as text, the JSON key it is stored as).

    Encoder vectors enter as a digest of their bytes: a presentation that gains its vectors (back-fill) changes.
    """

    def plain(p: dict[str, Any]) -> dict[str, Any]:
        out = dict(p)
        for key in ("embedding", "sentence_embeddings"):
            value = out.get(key)
            if value is not None:
                out[key] = hashlib.blake2b(
                    np.ascontiguousarray(value, dtype=np.float32).tobytes(), digest_size=8
                ).hexdigest()
        return out

    return {
        str(p["id"]): hashlib.blake2b(
            json.dumps(plain(p), sort_keys=True, ensure_ascii=False).encode(), digest_size=8
        ).hexdigest()
        for p in profiles
    }


def project_matcher(**params: Any) -> MatchScorer:
    """An unfitted matcher on the project's taxonomy and level table (the library is handed the data folder)."""
    return default_matcher(DATA_DIR, **params)


@lru_cache(maxsize=1)
def taxonomy() -> dict[str, Any]:
    """The taxonomy as the matching library reads it (loaded once)."""
    return load_inputs(DATA_DIR)[0]


def display_names(fr: Collectivite, kr: Collectivite, lang: str) -> dict[str, str]:
    """Names of both sides as a reader of ``lang`` knows them (Korean script for Korean readers)."""
    return {"fr": fr.name_for(lang) or f"#{fr.id}", "kr": kr.name_for(lang) or f"#{kr.id}"}


def render_suggestion_reasons(reasons: list[dict], fr: Collectivite, kr: Collectivite, lang: str) -> list[str]:
    """The stored structured reasons of a pair as sentences in ``lang``."""
    return render_reasons([Reason.from_dict(r) for r in reasons or []], lang, display_names(fr, kr, lang), taxonomy())
