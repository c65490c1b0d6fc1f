"""Taxonomy concepts (themes and sectors) and the multilingual keyword matcher over free text."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterable, Mapping

import numpy as np

from .codes import LANGUAGES
from .text import normalise_latin

_HANGUL = re.compile(r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")


def _field(item: Any, name: str, default: Any = None) -> Any:
    """Read `name` from a dict or from an object attribute (taxonomy dataclasses)."""
    if isinstance(item, Mapping):
        return item.get(name, default)
    return getattr(item, name, default)


def _per_language(value: Any) -> dict[str, Any]:
    """Coerce a {lang: value} mapping or an object with fr/ko/en attributes to a dict."""
    if value is None:
        return {}
    if isinstance(value, Mapping):
        return dict(value)
    return {lang: getattr(value, lang) for lang in LANGUAGES if hasattr(value, lang)}


@lru_cache(maxsize=1 << 17)
def is_hangul_text(text: str) -> bool:
    """True when a text is mostly written in Hangul (decides which TF-IDF space it joins)."""
    return len(_HANGUL.findall(text)) >= len(_LATIN.findall(text)) and bool(_HANGUL.search(text))


@dataclass(frozen=True)
class Concept:
    """One taxonomy entry: a theme or a sector, with labels and keywords per language."""

    code: str
    kind: str
    labels: Mapping[str, str]
    keywords: Mapping[str, tuple[str, ...]]

    def label(self, lang: str) -> str:
        """The label in `lang`, falling back to English, French, then the code."""
        for candidate in (lang, "en", "fr"):
            if self.labels.get(candidate):
                return self.labels[candidate]
        return self.code


@dataclass(frozen=True)
class ConceptTable:
    """The themes and sectors the engine scores on, in a fixed order."""

    themes: tuple[Concept, ...]
    sectors: tuple[Concept, ...]

    @classmethod
    def from_taxonomy(cls, taxonomy: Any) -> "ConceptTable":
        """Build from taxonomy.json's dict shape or from the taxonomy module's dataclasses."""
        if isinstance(taxonomy, ConceptTable):
            return taxonomy

        def concepts(kind: str, key: str) -> tuple[Concept, ...]:
            out = []
            for item in _field(taxonomy, key, None) or ():
                keywords = _per_language(_field(item, "keywords"))
                out.append(
                    Concept(
                        code=str(_field(item, "code")),
                        kind=kind,
                        labels={k: str(v) for k, v in _per_language(_field(item, "label")).items()},
                        keywords={k: tuple(str(w) for w in (v or ())) for k, v in keywords.items()},
                    )
                )
            return tuple(out)

        return cls(themes=concepts("theme", "themes"), sectors=concepts("sector", "sectors"))

    @property
    def all(self) -> tuple[Concept, ...]:
        """Themes then sectors: the columns of the text-concept vectors."""
        return self.themes + self.sectors

    @property
    def theme_codes(self) -> list[str]:
        """Theme codes in column order."""
        return [c.code for c in self.themes]

    @property
    def sector_codes(self) -> list[str]:
        """Sector codes in column order."""
        return [c.code for c in self.sectors]

    def get(self, code: str) -> Concept | None:
        """The concept with this code, or None."""
        for concept in self.all:
            if concept.code == code:
                return concept
        return None


_WORD = re.compile(r"[^\W\d_]+|\d+")


def _stem(word: str) -> str:
    """Fold French and English plural endings (îlots/îlot, eaux/eau) the same way on both sides."""
    return word[:-1] if len(word) > 3 and word[-1] in "sx" else word


def latin_terms(text: str) -> list[str]:
    """Accent-free, lowercased, plural-folded words of a Latin-script text."""
    return [_stem(w) for w in _WORD.findall(normalise_latin(text))]


class KeywordMatcher:
    """Maps free text in French, Korean or English onto taxonomy concepts via keyword lists.

    Latin keywords match whole words (accents, case and plural endings ignored); Korean keywords
    match as substrings, spacing ignored, because particles attach to the noun (숲을, 녹지의).
    """

    def __init__(self, concepts: ConceptTable):
        self.concepts = concepts
        self._latin: dict[tuple[str, ...], set[int]] = {}
        self._hangul: dict[str, set[int]] = {}
        for index, concept in enumerate(concepts.all):
            for words in concept.keywords.values():
                for keyword in words:
                    if _HANGUL.search(keyword):
                        self._hangul.setdefault(re.sub(r"\s+", "", keyword), set()).add(index)
                    elif latin_terms(keyword):
                        self._latin.setdefault(tuple(latin_terms(keyword)), set()).add(index)
        self._longest = max((len(k) for k in self._latin), default=0)
        self._firsts = {k[0] for k in self._latin}

    def hits(self, text: str) -> dict[int, int]:
        """Count keyword hits per concept column in one text."""
        counts: dict[int, int] = {}
        if not text:
            return counts
        if self._latin and _LATIN.search(text):
            terms = latin_terms(text)
            for start, term in enumerate(terms):
                if term not in self._firsts:
                    continue
                for length in range(1, self._longest + 1):
                    for index in self._latin.get(tuple(terms[start : start + length]), ()):
                        counts[index] = counts.get(index, 0) + 1
        if self._hangul and _HANGUL.search(text):
            compact = re.sub(r"\s+", "", text)
            for keyword, indexes in self._hangul.items():
                found = compact.count(keyword)
                if found:
                    for index in indexes:
                        counts[index] = counts.get(index, 0) + found
        return counts

    def transform(self, texts: Iterable[str]) -> np.ndarray:
        """Concept matrix (texts × concepts), sublinear counts 1 + log(hits), not normalised."""
        texts = list(texts)
        out = np.zeros((len(texts), len(self.concepts.all)), dtype=np.float32)
        for row, text in enumerate(texts):
            for index, count in self.hits(text).items():
                out[row, index] = 1.0 + math.log(count)
        return out
