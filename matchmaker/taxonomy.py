"""The trilingual taxonomy: themes, sectors, kinds of cooperation, stances, priorities and languages.

Pure loader for ``data/taxonomy.json`` (no Flask, no database), shared by the questionnaire, the
review pages, the emails and the matching engine.

Keyword conventions the matching engine relies on (checked by ``tests/test_taxonomy.py``):

* French and English keywords are lowercase nouns or short phrases in the singular, French with its
  accents; compare them with :func:`matchmaker.matching.text.normalise_latin` applied to both sides, as
  whole words or phrases.
* Korean keywords are written without spaces (``도시숲``, ``탄소중립``) and have at least two Hangul
  syllables. Korean is not reliably space-tokenised (particles attach: ``스마트시티를``), so they are
  matched as substrings; each one was chosen so that it is not part of a frequent unrelated word
  (``역사`` is left out because of ``지역사회``, ``문화`` alone because of ``다문화``, ``안전문화``,
  ``교통문화``; compounds such as ``문화예술``, ``문화유산`` cover the cultural sense).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

from matchmaker.paths import DATA_DIR
from matchmaker.vocabulary import LANGUAGES

TAXONOMY_FILE = "taxonomy.json"
FALLBACK_LANGUAGES = ("en", "fr")
KINDS = ("themes", "sectors", "cooperation_kinds", "stances", "priorities", "languages")
# Kinds whose entries carry keywords (matched in free text) and a help sentence.
KEYWORD_KINDS = ("themes", "sectors")
HELP_KINDS = ("themes", "sectors", "cooperation_kinds", "stances")
_KIND_ALIASES = {
    "theme": "themes",
    "sector": "sectors",
    "cooperation_kind": "cooperation_kinds",
    "stance": "stances",
    "priority": "priorities",
    "language": "languages",
}
_EMPTY: Mapping[str, Any] = MappingProxyType({})


class TaxonomyError(ValueError):
    """taxonomy.json does not have the expected shape."""


@dataclass(frozen=True)
class Concept:
    """One taxonomy entry: a code with labels, help and keywords per language (FR/KO/EN)."""

    code: str | int
    # Mapping proxies are read-only but unhashable, so the hash rests on the code alone.
    label: Mapping[str, str] = field(hash=False)
    help: Mapping[str, str] = field(default_factory=lambda: _EMPTY, hash=False)
    keywords: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: _EMPTY, hash=False)

    def label_in(self, lang: str) -> str:
        """The label in ``lang``, falling back to English, then French, then the code."""
        return _pick(self.label, lang) or str(self.code)

    def help_in(self, lang: str) -> str:
        """The help sentence in ``lang``, falling back to English, then French (empty if none)."""
        return _pick(self.help, lang)


@dataclass(frozen=True)
class Taxonomy:
    """The whole taxonomy, each kind as a tuple of concepts in the file's order."""

    themes: tuple[Concept, ...]
    sectors: tuple[Concept, ...]
    cooperation_kinds: tuple[Concept, ...]
    stances: tuple[Concept, ...]
    priorities: tuple[Concept, ...]
    languages: tuple[Concept, ...]
    _index: Mapping[tuple[str, str], Concept] = field(init=False, repr=False, compare=False)

    def __repr__(self) -> str:
        return "Taxonomy(" + ", ".join(f"{len(getattr(self, kind))} {kind}" for kind in KINDS) + ")"

    def __post_init__(self) -> None:
        index = {(kind, str(c.code)): c for kind in KINDS for c in getattr(self, kind)}
        object.__setattr__(self, "_index", MappingProxyType(index))

    def concepts(self, kind: str) -> tuple[Concept, ...]:
        """All entries of one kind (``"themes"`` or ``"theme"``, ``"sectors"``, ``"stances"`` …)."""
        return getattr(self, _kind(kind))

    def codes(self, kind: str) -> tuple[str | int, ...]:
        """The codes of one kind, in order."""
        return tuple(c.code for c in self.concepts(kind))

    def concept(self, kind: str, code: str | int) -> Concept:
        """The entry with this code (priorities accept ``3`` or ``"3"``); KeyError if unknown."""
        try:
            return self._index[(_kind(kind), str(code))]
        except KeyError:
            raise KeyError(f"unknown {kind} code: {code!r}") from None

    def label(self, kind: str, code: str | int, lang: str) -> str:
        """Label of one entry in ``lang``, falling back to English then French."""
        return self.concept(kind, code).label_in(lang)


def _kind(kind: str) -> str:
    """Canonical kind name; accepts the singular forms used in code ("theme", "sector" …)."""
    canonical = _KIND_ALIASES.get(kind, kind)
    if canonical not in KINDS:
        raise KeyError(f"unknown taxonomy kind: {kind!r}")
    return canonical


def _pick(texts: Mapping[str, str], lang: str) -> str:
    """First non-empty text for ``lang`` (``"ko-KR"`` and ``"fr_FR"`` count as ``ko``/``fr``), then EN, then FR."""
    primary = (lang or "").replace("_", "-").split("-")[0].lower()
    for candidate in (primary, *FALLBACK_LANGUAGES):
        if texts.get(candidate):
            return texts[candidate]
    return ""


def _texts(raw: Any, where: str) -> Mapping[str, str]:
    """Validate a {lang: text} mapping in which FR, KO and EN are mandatory."""
    if not isinstance(raw, dict) or not all(isinstance(v, str) for v in raw.values()):
        raise TaxonomyError(f"{where}: expected an object of language → text")
    missing = [lang for lang in LANGUAGES if not raw.get(lang, "").strip()]
    if missing:
        raise TaxonomyError(f"{where}: missing text for {', '.join(missing)}")
    return MappingProxyType(dict(raw))


def _keywords(raw: Any, where: str) -> Mapping[str, tuple[str, ...]]:
    """Validate a {lang: [keyword, …]} mapping with lists for FR, KO and EN."""
    if not isinstance(raw, dict):
        raise TaxonomyError(f"{where}: expected an object of language → keyword list")
    out = {}
    for lang in LANGUAGES:
        words = raw.get(lang)
        if not isinstance(words, list) or not words or not all(isinstance(w, str) and w.strip() for w in words):
            raise TaxonomyError(f"{where}.{lang}: expected a non-empty list of keywords")
        out[lang] = tuple(words)
    return MappingProxyType(out)


def _concepts(raw: dict, kind: str) -> tuple[Concept, ...]:
    """Build and validate the entries of one kind."""
    items = raw.get(kind)
    if not isinstance(items, list) or not items:
        raise TaxonomyError(f"{kind}: expected a non-empty list")
    seen: set[str] = set()
    concepts = []
    for position, item in enumerate(items):
        where = f"{kind}[{position}]"
        if not isinstance(item, dict) or not isinstance(item.get("code"), (str, int)) or item["code"] == "":
            raise TaxonomyError(f"{where}: expected an object with a code")
        where = f"{kind}[{position}] ({item['code']})"
        if str(item["code"]) in seen:
            raise TaxonomyError(f"{where}: duplicate code")
        seen.add(str(item["code"]))
        concepts.append(
            Concept(
                code=item["code"],
                label=_texts(item.get("label"), f"{where}.label"),
                help=_texts(item.get("help"), f"{where}.help") if kind in HELP_KINDS else _EMPTY,
                keywords=_keywords(item.get("keywords"), f"{where}.keywords") if kind in KEYWORD_KINDS else _EMPTY,
            )
        )
    return tuple(concepts)


@lru_cache(maxsize=None)
def load_taxonomy(path: Path | str | None = None) -> Taxonomy:
    """Read and validate ``data/taxonomy.json`` (or ``path``) once; the result is immutable and shared."""
    source = Path(path) if path is not None else DATA_DIR / TAXONOMY_FILE
    try:
        raw = json.loads(source.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise TaxonomyError(f"{source}: invalid JSON ({exc})") from exc
    if not isinstance(raw, dict):
        raise TaxonomyError(f"{source}: expected a JSON object")
    return Taxonomy(**{kind: _concepts(raw, kind) for kind in KINDS})


def label(kind: str, code: str | int, lang: str) -> str:
    """Label of a theme, sector, cooperation kind, stance, priority or language in ``lang`` (EN, then FR fallback)."""
    return load_taxonomy().label(kind, code, lang)


def theme_codes() -> tuple[str, ...]:
    """The 22 theme codes, in the fixed order of DESIGN.md."""
    return load_taxonomy().codes("themes")


def sector_codes() -> tuple[str, ...]:
    """The 20 sector codes, in the fixed order of DESIGN.md."""
    return load_taxonomy().codes("sectors")
