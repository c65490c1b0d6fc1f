"""A questionnaire response as the matching engine sees it: a plain, frozen record."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any, Mapping

from .codes import COUNTRIES, STANCES
from .text import search_key


@dataclass(frozen=True)
class ThemeAnswer:
    """One ticked theme: its priority (1–3) and the stance (offer, seek or both)."""

    code: str
    priority: int
    stance: str

    @property
    def offers(self) -> bool:
        """True when the respondent can share experience on this theme."""
        return self.stance in ("offer", "both")

    @property
    def seeks(self) -> bool:
        """True when the respondent wants to learn on this theme."""
        return self.stance in ("seek", "both")


def _strings(value: Any) -> tuple[str, ...]:
    """Coerce a list-like field (or a ';'-joined string) to a tuple of non-empty strings."""
    if value is None:
        return ()
    if isinstance(value, str):
        value = value.split(";")
    return tuple(str(v).strip() for v in value if str(v).strip())


def _themes(value: Any) -> tuple[ThemeAnswer, ...]:
    """Parse the `themes` field: a mapping code -> {priority, stance}, or a list of codes."""
    if not value:
        return ()
    if not isinstance(value, Mapping):
        value = {code: {} for code in _strings(value)}
    answers = []
    for code, answer in value.items():
        answer = answer or {}
        priority = int(answer.get("priority", 2))
        if not 1 <= priority <= 3:
            raise ValueError(f"theme {code!r}: priority {priority} is not in 1..3")
        stance = answer.get("stance", "both")
        if stance not in STANCES:
            raise ValueError(f"theme {code!r}: stance {stance!r} is not one of {STANCES}")
        answers.append(ThemeAnswer(str(code), priority, stance))
    return tuple(sorted(answers, key=lambda a: a.code))


def _population(value: Any) -> int | None:
    """Parse a population figure; empty or non-positive means unknown."""
    if value in (None, ""):
        return None
    population = int(float(value))
    return population if population > 0 else None


@dataclass(frozen=True)
class Profile:
    """A collectivité's questionnaire response, with the fields the matching engine uses."""

    id: int
    country: str
    name: str
    name_local: str = ""
    level: str = ""
    code: str = ""
    population: int | None = None
    region: str = ""
    language: str = ""
    themes: tuple[ThemeAnswer, ...] = ()
    sectors: tuple[str, ...] = ()
    partner_levels: tuple[str, ...] = ()
    cooperation_kinds: tuple[str, ...] = ()
    working_languages: tuple[str, ...] = ()
    existing_partners: tuple[str, ...] = ()
    description: str = field(default="", repr=False)
    # Sentence-encoder vectors of the description (matching.encoder): the whole text, shape (d,), and
    # each sentence of split_sentences(description), shape (s, d); None when not encoded.
    embedding: Any = field(default=None, repr=False, compare=False)
    sentence_embeddings: Any = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.country not in COUNTRIES:
            raise ValueError(f"country must be one of {COUNTRIES}, not {self.country!r}")

    @classmethod
    def from_record(cls, record: Mapping[str, Any], id: int | None = None) -> "Profile":
        """Build a profile from an import/export row (a plain dict); `id` overrides record['id']."""
        if id is None:
            id = record.get("id")
        if id is None:
            raise ValueError("a profile needs an id")
        return cls(
            id=int(id),
            country=str(record.get("country", "")).upper(),
            name=str(record.get("name") or ""),
            name_local=str(record.get("name_local") or ""),
            level=str(record.get("level") or ""),
            code=str(record.get("code") or ""),
            population=_population(record.get("population")),
            region=str(record.get("region") or ""),
            language=str(record.get("language") or ""),
            themes=_themes(record.get("themes")),
            sectors=_strings(record.get("sectors")),
            partner_levels=_strings(record.get("partner_levels")),
            cooperation_kinds=_strings(record.get("cooperation_kinds")),
            working_languages=_strings(record.get("working_languages")),
            existing_partners=_strings(record.get("existing_partners")),
            description=str(record.get("description") or ""),
            embedding=record.get("embedding"),
            sentence_embeddings=record.get("sentence_embeddings"),
        )

    def with_embedding(self, embedding: Any, sentence_embeddings: Any = None) -> "Profile":
        """The same profile carrying its description's encoder vectors."""
        return replace(self, embedding=embedding, sentence_embeddings=sentence_embeddings)

    @property
    def display_name(self) -> str:
        """The name to show in reasons: the romanised name, else the local one."""
        return self.name or self.name_local or f"#{self.id}"

    @cached_property
    def partner_key_set(self) -> frozenset[str]:
        """partner_keys(), computed once per profile (fit indexes every profile)."""
        return frozenset(self.partner_keys())

    @cached_property
    def identity_key_set(self) -> frozenset[str]:
        """identity_keys(), computed once per profile."""
        return frozenset(self.identity_keys())

    def partner_keys(self) -> set[str]:
        """Keys that identify each declared existing partner ('KR:11530' codes or name keys)."""
        keys = set()
        for partner in self.existing_partners:
            match = re.fullmatch(r"\s*(FR|KR)\s*:\s*(\S+)\s*", partner, flags=re.IGNORECASE)
            if match:
                keys.add(f"{match.group(1).upper()}:{match.group(2)}")
            else:
                keys.add(f"name:{search_key(partner)}")
        return keys

    def identity_keys(self) -> set[str]:
        """Keys under which another profile may name this one as an existing partner."""
        keys = set()
        if self.code:
            keys.add(f"{self.country}:{self.code}")
        for name in (self.name, self.name_local):
            key = search_key(name)
            if key:
                keys.add(f"name:{key}")
        return keys
