"""Stored sentence-encoder vectors of the presentations: computed once per text, on save and import, in batches.

A response's row is keyed by the SHA-256 of its description and the encoder's model name: a new version
with the same text, or a nightly recompute, reads the stored vectors and never encodes again.
"""

from __future__ import annotations

import hashlib
import logging
import os
from typing import Sequence

import numpy as np
from sqlalchemy import delete, select

from matchmaker.extensions import db
from matchmaker.matching.encoder import default_encoder, encode_batches
from matchmaker.models import Response, ResponseEmbedding

log = logging.getLogger(__name__)

BATCH = 500  # responses encoded (and their rows written) at once


def text_sha256(text: str) -> str:
    """Key of a description's vectors."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def encoder():
    """The sentence encoder of this process (its weights are loaded on first use)."""
    return default_encoder()


def _to_bytes(vectors: np.ndarray) -> bytes:
    return np.ascontiguousarray(vectors, dtype="<f2").tobytes()


def vectors_of(row: ResponseEmbedding) -> tuple[np.ndarray, np.ndarray]:
    """(document vector, sentence vectors) of a stored row, as float32."""
    document = np.frombuffer(row.document, dtype="<f2").astype(np.float32)
    sentences = np.frombuffer(row.sentences, dtype="<f2").astype(np.float32).reshape(row.sentence_count, row.dimension)
    return document, sentences


def embed_responses(responses: Sequence[Response]) -> int:
    """Encode the descriptions of these responses that have no up-to-date vectors; the caller commits.

    Rows of responses whose description is now empty are removed. Returns how many texts were encoded.
    """
    if not responses:
        return 0
    model = encoder()
    encoded = 0
    for start in range(0, len(responses), BATCH):
        batch = list(responses[start : start + BATCH])
        known_ids = [r.id for r in batch if r.id is not None]
        stored = (
            {
                row.response_id: row
                for row in db.session.scalars(
                    select(ResponseEmbedding).where(ResponseEmbedding.response_id.in_(known_ids))
                )
            }
            if known_ids
            else {}
        )
        todo = []
        for response in batch:
            text = (response.description or "").strip()
            row = stored.get(response.id)
            if not text:
                if row is not None:
                    db.session.delete(row)
                continue
            if row is None or row.text_sha256 != text_sha256(text) or row.model != model.model:
                todo.append((response, text, row))
        if not todo:
            continue
        vectors = model.encode([text for _, text, _ in todo])
        for (response, text, row), embedding in zip(todo, vectors):
            if row is None:
                row = ResponseEmbedding(response=response)
                db.session.add(row)
            _store(response.id, text, embedding, row, model.model)
        encoded += len(todo)
    return encoded


def _store(response_id: int, text: str, embedding, row: ResponseEmbedding | None, model: str) -> None:
    """Write one response's vectors into its row (created if missing); the caller commits."""
    if row is None:
        row = ResponseEmbedding(response_id=response_id)
        db.session.add(row)
    row.model, row.text_sha256 = model, text_sha256(text)
    row.dimension = len(embedding.document)
    row.sentence_count = len(embedding.sentences)
    row.document, row.sentences = _to_bytes(embedding.document), _to_bytes(embedding.sentences)


def backfill_embeddings(workers: int | None = None, batch: int = BATCH) -> dict[str, int]:
    """Encode every response whose description has no up-to-date vectors; drop those of anonymised ones.

    What needs encoding is found with two set-based reads (descriptions, stored keys); the texts are
    then encoded by batches on ``workers`` processes (default: one per core; a back-fill of fewer than
    two batches runs in this process) and each batch's rows are written and committed as its vectors
    arrive, so an interrupted run keeps what it did.
    """
    anonymised = select(Response.id).where(Response.anonymised_at.is_not(None))
    removed = db.session.execute(
        delete(ResponseEmbedding).where(ResponseEmbedding.response_id.in_(anonymised))
    ).rowcount
    db.session.commit()
    model = encoder().model
    stored = {
        rid: (sha, name)
        for rid, sha, name in db.session.execute(
            select(ResponseEmbedding.response_id, ResponseEmbedding.text_sha256, ResponseEmbedding.model)
        )
    }
    current = db.session.execute(
        select(Response.id, Response.description).where(Response.anonymised_at.is_(None)).order_by(Response.id)
    ).all()
    todo, emptied = [], []
    for response_id, description in current:
        text = (description or "").strip()
        if not text:
            if response_id in stored:
                emptied.append(response_id)
        elif stored.get(response_id) != (text_sha256(text), model):
            todo.append((response_id, text))
    if emptied:
        db.session.execute(delete(ResponseEmbedding).where(ResponseEmbedding.response_id.in_(emptied)))
        db.session.commit()
    chunks = [todo[start : start + batch] for start in range(0, len(todo), batch)]
    workers = (workers or os.cpu_count() or 1) if len(chunks) > 1 else 1
    for chunk, vectors in zip(chunks, encode_batches(([text for _, text in chunk] for chunk in chunks), workers)):
        rows = {
            row.response_id: row
            for row in db.session.scalars(
                select(ResponseEmbedding).where(ResponseEmbedding.response_id.in_([rid for rid, _ in chunk]))
            )
        }
        for (response_id, text), embedding in zip(chunk, vectors):
            _store(response_id, text, embedding, rows.get(response_id), model)
        db.session.commit()
    log.info(
        "presentations encoded",
        extra={"responses": len(current), "encoded": len(todo), "removed": removed, "workers": workers},
    )
    return {"responses": len(current), "encoded": len(todo), "removed": removed}


def load_embeddings(descriptions: dict[int, str]) -> dict[int, tuple[np.ndarray, np.ndarray]]:
    """Stored vectors of the current encoder for {response id: current description}, by response id.

    A row encoded from another text (the description changed since) is left out, never used.
    """
    model = encoder()
    ids = sorted(descriptions)
    out = {}
    for start in range(0, len(ids), 5000):
        rows = db.session.execute(
            select(
                ResponseEmbedding.response_id,
                ResponseEmbedding.text_sha256,
                ResponseEmbedding.dimension,
                ResponseEmbedding.sentence_count,
                ResponseEmbedding.document,
                ResponseEmbedding.sentences,
            ).where(
                ResponseEmbedding.response_id.in_(ids[start : start + 5000]), ResponseEmbedding.model == model.model
            )
        )
        for response_id, sha, dimension, count, document, sentences in rows:
            if sha == text_sha256((descriptions[response_id] or "").strip()):
                out[response_id] = (
                    np.frombuffer(document, dtype="<f2").astype(np.float32),
                    np.frombuffer(sentences, dtype="<f2").astype(np.float32).reshape(count, dimension),
                )
    return out
