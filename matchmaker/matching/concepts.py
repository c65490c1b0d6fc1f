"""Taxonomy concepts (themes and sectors) and the multilingual keyword matcher over free text."""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

import numpy as np

from .profile import normalise_latin

LANGUAGES = ("fr", "ko", "en")
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
                out.append(Concept(
                    code=str(_field(item, "code")),
                    kind=kind,
                    labels={k: str(v) for k, v in _per_language(_field(item, "label")).items()},
                    keywords={k: tuple(str(w) for w in (v or ())) for k, v in keywords.items()},
                ))
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


def _latin_pattern(keyword: str) -> str:
    """Regex for a Latin keyword: whole words, any spacing/hyphen, optional plural endings."""
    words = re.findall(r"[^\W_]+", normalise_latin(keyword))
    # French and English plurals (îlot/îlots, bureau/bureaux, city/cities is left to the lists)
    return r"[\s\-']+".join(re.escape(w) + r"(?:s|x|es)?" for w in words)


def _hangul_pattern(keyword: str) -> str:
    """Regex for a Korean keyword: a substring (particles attach), spacing between syllables optional."""
    chars = [c for c in keyword if not c.isspace()]
    return r"\s*".join(re.escape(c) for c in chars)


class KeywordMatcher:
    """Maps free text in French, Korean or English onto taxonomy concepts via keyword lists."""

    def __init__(self, concepts: ConceptTable):
        self.concepts = concepts
        latin: dict[str, set[int]] = {}
        hangul: dict[str, set[int]] = {}
        for index, concept in enumerate(concepts.all):
            for words in concept.keywords.values():
                for keyword in words:
                    if not keyword.strip():
                        continue
                    if _HANGUL.search(keyword):
                        hangul.setdefault(_hangul_pattern(keyword), set()).add(index)
                    elif re.search(r"[^\W_]", keyword):
                        latin.setdefault(_latin_pattern(keyword), set()).add(index)
        self._latin = self._compile(latin, r"(?<![^\W_])(?:{})(?![^\W_])")
        self._hangul = self._compile(hangul, "(?:{})")

    @staticmethod
    def _compile(patterns: dict[str, set[int]], template: str):
        """One alternation with a named group per keyword; longest patterns first so they win."""
        if not patterns:
            return None
        ordered = sorted(patterns, key=len, reverse=True)
        groups = "|".join(f"(?P<k{i}>{p})" for i, p in enumerate(ordered))
        lookup = {f"k{i}": sorted(patterns[p]) for i, p in enumerate(ordered)}
        return re.compile(template.format(groups)), lookup

    def hits(self, text: str) -> dict[int, int]:
        """Count keyword hits per concept column in one text."""
        counts: dict[int, int] = {}
        if not text:
            return counts
        for compiled, source in ((self._latin, normalise_latin(text)), (self._hangul, text)):
            if compiled is None:
                continue
            regex, lookup = compiled
            for match in regex.finditer(source):
                for index in lookup[match.lastgroup]:
                    counts[index] = counts.get(index, 0) + 1
        return counts

    def transform(self, texts: Iterable[str]) -> np.ndarray:
        """Concept matrix (texts × concepts), sublinear counts 1 + log(hits), not normalised."""
        texts = list(texts)
        out = np.zeros((len(texts), len(self.concepts.all)), dtype=np.float32)
        for row, text in enumerate(texts):
            for index, count in self.hits(text).items():
                out[row, index] = 1.0 + math.log(count)
        return out
