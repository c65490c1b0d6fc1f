"""Reading across languages: what a presentation written in the other language speaks of, in the reader's words.

A French reviewer cannot read "빗물저금통으로 빗물을 모으는 레인시티", a Korean one may not read "végétalisation des
cours d’école"; the taxonomy's keyword lists (matchmaker.matching.concepts) know both, so the themes and sectors
they find are listed beside the original, labelled in the reader's language.
"""

from __future__ import annotations

from functools import lru_cache

from matchmaker.matching.concepts import ConceptTable, KeywordMatcher, is_hangul_text
from matchmaker.taxonomy import load_taxonomy

MAX_CONCEPTS = 8


@lru_cache(maxsize=1)
def _matcher() -> KeywordMatcher:
    return KeywordMatcher(ConceptTable.from_taxonomy(load_taxonomy()))


def text_language(text: str, declared: str | None) -> str:
    """The language a presentation is written in: Korean when mostly Hangul, else the response's language
    (French or English), French when it says nothing else."""
    if is_hangul_text(text):
        return "ko"
    return declared if declared in ("fr", "en") else "fr"


def concepts_for_reader(text: str | None, declared: str | None, reader: str) -> list[str]:
    """The themes then sectors a presentation in another language speaks of, labelled in ``reader``'s language,
    most mentioned first; empty when the reader reads the presentation's own language."""
    if not text or text_language(text, declared) == reader:
        return []
    matcher = _matcher()
    hits = matcher.hits(text)
    concepts = matcher.concepts.all
    ranked = sorted(hits, key=lambda index: (concepts[index].kind != "theme", -hits[index], index))
    return [concepts[index].label(reader) for index in ranked[:MAX_CONCEPTS]]
