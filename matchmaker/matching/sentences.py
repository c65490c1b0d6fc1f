"""Splitting a presentation into sentences (for the sentence encoder and the quoted reasons)."""

from __future__ import annotations

import re

#: At most this many sentences of a presentation are kept (encoded and quoted).
MAX_SENTENCES = 12
MAX_SENTENCE_CHARS = 400

# Sentence ends: . ! ? (and full-width forms) before a space, line breaks, list bullets, semicolons.
_SENTENCE_END = re.compile(r"(?<=[.!?。！？])\s+|\s*[\n\r]+\s*|\s+[•·▪‣]\s+|\s*;\s+")
_TWO_LETTERS = re.compile(r"[^\W\d_].*?[^\W\d_]", re.DOTALL)


def split_sentences(text: str) -> list[str]:
    """The presentation's sentences, in order (at most MAX_SENTENCES, each at most MAX_SENTENCE_CHARS)."""
    out = []
    for piece in _SENTENCE_END.split(text or ""):
        piece = piece.strip(" \t-–—•·")
        if _TWO_LETTERS.search(piece):  # at least two letters: a sentence, not a stray number or mark
            out.append(piece[:MAX_SENTENCE_CHARS])
        if len(out) == MAX_SENTENCES:
            break
    return out
