"""Matchable responses as the matching library's input (one ORM response, or all of them in bulk), and reasons
back into text."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterable

from sqlalchemy import Text, cast, select
from sqlalchemy.orm import selectinload

from matchmaker.extensions import db
from matchmaker.matching import MatchScorer, Reason, default_matcher, load_inputs, render_reasons
from matchmaker.models import Collectivite, Response, ResponseEmbedding, ThemeInterest
from matchmaker.paths import DATA_DIR
from matchmaker.questionnaire.record import (
    IDENTITY_FIELDS,
    LIST_FIELDS,
    STORED_FIELDS,
    answers_of,
    matching_record,
    stored_values,
    theme_triples,
)
from matchmaker.suggestions.embeddings import encoder, load_embeddings


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


def load_profiles(ids: Iterable[int] | None = None) -> list[dict[str, Any]]:
    """Every matchable response (or those of the collectivités ``ids``) as a matching record, read with a few
    set-based queries (ordered by collectivité id).

    The one place the nightly recompute reads its input: the rows, their themes, and the stored sentence-encoder
    vectors of their presentations (never encoded here). Each row holds its collectivité's and response's columns
    in the order of STORED_FIELDS, so it goes through the same conversion as one ORM response (answers_of).
    """
    where = _matchable()
    if ids is not None:
        where = (*where, Collectivite.id.in_(sorted(ids)))
    themes: dict[int, list[tuple[str, int, str]]] = {}
    theme_rows = db.session.execute(
        select(ThemeInterest.response_id, ThemeInterest.theme_code, ThemeInterest.priority, ThemeInterest.stance)
        .join(Response, ThemeInterest.response_id == Response.id)
        .join(Collectivite, Response.collectivite_id == Collectivite.id)
        .where(*where)
        .order_by(ThemeInterest.response_id, ThemeInterest.theme_code)
    )
    for rid, code, priority, stance in theme_rows:
        themes.setdefault(rid, []).append((code, priority, stance))
    stored = [getattr(Collectivite if name in IDENTITY_FIELDS else Response, name) for name in STORED_FIELDS]
    rows = db.session.execute(
        select(*stored, Collectivite.id, Response.id)
        .join(Response, Response.collectivite_id == Collectivite.id)
        .where(*where)
        .order_by(Collectivite.id)
    )
    read = [(values, cid, rid) for *values, cid, rid in rows]
    # STORED_FIELDS end with the description
    embeddings = load_embeddings({rid: values[-1] or "" for values, _, rid in read})
    return [
        matching_record(answers_of(values, themes.get(rid, ())), cid, *embeddings.get(rid, (None, None)))
        for values, cid, rid in read
    ]


@dataclass(frozen=True)
class Fingerprint:
    """What a matchable response is read as, in two digests (load_profiles reads the same columns)."""

    country: str
    #: every column, theme and stored vector key the matching record is built from
    answers: str
    #: what the engine learns from every response together: country, level, population, description
    shared: str


def response_fingerprints() -> dict[int, Fingerprint]:
    """A Fingerprint of every matchable response, by collectivité id: one plain read of the same columns as
    load_profiles (list columns as their JSON text), of the themes, and of the keys of the stored vectors; no
    record is built. Equal fingerprints mean equal records; the nightly run reads these first, then loads only
    the responses whose fingerprint changed."""
    model = encoder().model
    vectors = dict(
        db.session.execute(
            select(ResponseEmbedding.response_id, ResponseEmbedding.text_sha256)
            .join(Response, ResponseEmbedding.response_id == Response.id)
            .where(*_matchable(), ResponseEmbedding.model == model)
        ).all()
    )
    themes: dict[int, list[tuple]] = {}
    for rid, *theme in db.session.execute(
        select(ThemeInterest.response_id, ThemeInterest.theme_code, ThemeInterest.priority, ThemeInterest.stance)
        .join(Response, ThemeInterest.response_id == Response.id)
        .where(*_matchable())
    ):
        themes.setdefault(rid, []).append(tuple(theme))
    columns = [
        cast(column, Text) if name in LIST_FIELDS else column
        for name in STORED_FIELDS
        for column in [getattr(Collectivite if name in IDENTITY_FIELDS else Response, name)]
    ]
    shared_at = [STORED_FIELDS.index(name) for name in ("country", "level", "population", "description")]
    out = {}
    for *values, cid, rid in db.session.execute(
        select(*columns, Collectivite.id, Response.id)
        .join(Response, Response.collectivite_id == Collectivite.id)
        .where(*_matchable())
    ):
        shared = [values[i] for i in shared_at]
        answers = [values, sorted(themes.get(rid, ())), vectors.get(rid)]
        out[cid] = Fingerprint(values[STORED_FIELDS.index("country")], _digest(answers), _digest(shared))
    return out


def _digest(value: Any) -> str:
    return hashlib.blake2b(repr(value).encode(), digest_size=8).hexdigest()


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
