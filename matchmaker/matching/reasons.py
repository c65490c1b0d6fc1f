"""Why a pair was suggested: structured reasons, and their rendering in French, Korean and English."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

from .codes import LANGUAGES
from .concepts import ConceptTable
from .particles import resolve_particles

REASON_CODES = (
    "shared_themes",
    "offers",
    "shared_sectors",
    "similar_size",
    "compatible_levels",
    "preferred_level",
    "text_concepts",
    "similar_text",
    "close_sentences",
)


@dataclass(frozen=True)
class Reason:
    """One reason for a suggestion: a code from REASON_CODES and its parameters (codes, sides, figures)."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form, for storing with the suggestion."""
        return {"code": self.code, "params": dict(self.params)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Reason":
        """Inverse of to_dict."""
        return cls(code=data["code"], params=dict(data.get("params", {})))


def _other(side: str) -> str:
    return "kr" if side == "fr" else "fr"


# French colons take a non-breaking space before them (docs/glossary.md).
# {offerer}/{seeker}/{chooser}/{partner} are collectivité names; {items} a joined list of labels. A Korean
# particle after a name is written in its double form ("은(는)") and resolved once the name is in.
_PHRASES: dict[str, dict[str, str]] = {
    "en": {
        "shared_themes": "shared themes: {items}",
        "shared_themes_from_text": "shared themes (read in the presentations): {items}",
        "offers_one": "{offerer} offers {items}, {seeker} seeks it",
        "offers_many": "{offerer} offers {items}, {seeker} seeks them",
        "shared_sectors": "shared sectors of excellence: {items}",
        "similar_size": "similar size and level",
        "compatible_levels": "compatible levels",
        "preferred_level": "{partner} is of a level {chooser} is looking for",
        "text_concepts": "both presentations mention {items}",
        "similar_text": "similar wording in both presentations",
        "close_sentences": "closest passages of the presentations: “{fr}” ↔ “{kr}”",
    },
    "fr": {
        "shared_themes": "thèmes communs : {items}",
        "shared_themes_from_text": "thèmes communs (d’après les présentations) : {items}",
        "offers_one": "{offerer} propose {items}, {seeker} le recherche",
        "offers_many": "{offerer} propose {items}, {seeker} les recherche",
        "shared_sectors": "secteurs d’excellence communs : {items}",
        "similar_size": "taille et niveau comparables",
        "compatible_levels": "niveaux compatibles",
        "preferred_level": "{partner} est du niveau que recherche {chooser}",
        "text_concepts": "les deux présentations évoquent {items}",
        "similar_text": "présentations rédigées en termes proches",
        "close_sentences": "passages les plus proches des présentations\u00a0: «\u00a0{fr}\u00a0» ↔ «\u00a0{kr}\u00a0»",
    },
    "ko": {
        "shared_themes": "공통 협력 분야: {items}",
        "shared_themes_from_text": "공통 협력 분야(소개글 기준): {items}",
        "offers_one": "{offerer}은(는) {items} 분야의 경험을 제공하고, {seeker}은(는) 이를 찾고 있습니다",
        "offers_many": "{offerer}은(는) {items} 분야의 경험을 제공하고, {seeker}은(는) 이를 찾고 있습니다",
        "shared_sectors": "공통 주력 산업: {items}",
        "similar_size": "비슷한 규모와 행정 단위",
        "compatible_levels": "서로 맞는 행정 단위",
        "preferred_level": "{partner}은(는) {chooser}이(가) 원하는 행정 단위입니다",
        "text_concepts": "두 소개글 모두 {items}을(를) 언급합니다",
        "similar_text": "두 소개글의 표현이 비슷합니다",
        "close_sentences": "두 소개글에서 가장 가까운 문장: “{fr}” ↔ “{kr}”",
    },
}


def render_reasons(reasons: Sequence[Reason], lang: str, names: Mapping[str, str], taxonomy: Any) -> list[str]:
    """Render reasons as sentences in `lang` (fr, ko, en); `names` maps "fr"/"kr" to display names."""
    if lang not in _PHRASES:
        raise ValueError(f"language must be one of {LANGUAGES}, not {lang!r}")
    phrases = _PHRASES[lang]
    concepts = ConceptTable.from_taxonomy(taxonomy)

    def labels(codes: Sequence[str]) -> str:
        out = []
        for code in codes:
            concept = concepts.get(code)
            label = concept.label(lang) if concept else code
            # inside a French or English sentence a theme is a common noun: "Lyon propose tourisme et attractivité"
            out.append(label[:1].lower() + label[1:] if lang in ("fr", "en") and label[1:2].islower() else label)
        return ", ".join(out)

    lines = []
    for reason in reasons:
        p = reason.params
        if reason.code == "offers":
            items = p["themes"]
            key = "offers_one" if len(items) == 1 else "offers_many"
            lines.append(
                phrases[key].format(
                    offerer=names[p["offerer"]], seeker=names[_other(p["offerer"])], items=labels(items)
                )
            )
        elif reason.code == "preferred_level":
            lines.append(
                phrases["preferred_level"].format(chooser=names[p["chooser"]], partner=names[_other(p["chooser"])])
            )
        elif reason.code == "shared_themes" and p.get("from_text"):
            lines.append(phrases["shared_themes_from_text"].format(items=labels(p["codes"])))
        elif reason.code == "close_sentences":  # each quote stays in the language it was written in
            lines.append(phrases["close_sentences"].format(fr=p["fr"], kr=p["kr"]))
        elif reason.code in ("shared_themes", "shared_sectors", "text_concepts"):
            lines.append(phrases[reason.code].format(items=labels(p["codes"])))
        elif reason.code in phrases:
            lines.append(phrases[reason.code])
        else:
            raise ValueError(f"unknown reason code {reason.code!r}")
    return [resolve_particles(line) for line in lines]
