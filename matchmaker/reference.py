"""Reference lists of real French and Korean local governments and their levels.

A pure loader (no Flask, no database) over data/levels.json and
data/reference/collectivites_{fr,kr}.csv, which data/build_reference.py builds
from public sources.  It answers three questions: which levels exist and how
compatible a French level is with a Korean one, which real collectivité has a
given code, and which ones match what a person is typing (autocomplete).
"""

from __future__ import annotations

import csv
import heapq
import json
from dataclasses import dataclass
from functools import lru_cache

from matchmaker.matching.text import fold
from matchmaker.paths import DATA_DIR
from matchmaker.vocabulary import COUNTRIES

# Search ties (same match quality, same population) go to the most local level first.
_TIER_ORDER = ("basic", "submunicipal", "intermunicipal", "intermediate", "upper")


@dataclass(frozen=True)
class Level:
    """An administrative level of one country, with its labels and tier."""

    code: str
    country: str
    tier: str
    label_fr: str
    label_ko: str
    label_en: str

    def label(self, language: str) -> str:
        """The label in "fr", "ko" or "en"; English for any other language."""
        return {"fr": self.label_fr, "ko": self.label_ko}.get(language, self.label_en)


@dataclass(frozen=True)
class ReferenceCollectivite:
    """One real local government of the reference lists (see data/reference/README.md)."""

    country: str
    level: str
    code: str
    name: str
    name_local: str
    population: int | None
    population_year: int | None
    region_code: str
    region: str
    region_local: str
    parent_code: str
    alt_code: str


# ---------------------------------------------------------------------------
# Levels
# ---------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _levels_document() -> dict:
    with (DATA_DIR / "levels.json").open(encoding="utf-8") as f:
        return json.load(f)


@lru_cache(maxsize=1)
def load_levels() -> tuple[Level, ...]:
    """All levels of both countries, French first, in the order of data/levels.json."""
    return tuple(
        Level(
            code=item["code"],
            country=item["country"],
            tier=item["tier"],
            label_fr=item["label"]["fr"],
            label_ko=item["label"]["ko"],
            label_en=item["label"]["en"],
        )
        for item in _levels_document()["levels"]
    )


@lru_cache(maxsize=1)
def _levels_by_code() -> dict[str, Level]:
    return {level.code: level for level in load_levels()}


def get_level(code: str) -> Level:
    """The level with this code; KeyError if there is none."""
    return _levels_by_code()[code]


def levels_for_country(country: str) -> tuple[Level, ...]:
    """The levels of "FR" or "KR", in their documented order."""
    _check_country(country)
    return tuple(level for level in load_levels() if level.country == country)


def level_compatibility(fr_level: str, kr_level: str) -> float:
    """How natural a partnership between these two levels is, in [0, 1].

    The arguments may come in either order; both must be known level codes, one
    French and one Korean.
    """
    levels = _levels_by_code()
    for code in (fr_level, kr_level):
        if code not in levels:
            raise ValueError(f"unknown level {code!r}")
    if levels[fr_level].country == "KR" and levels[kr_level].country == "FR":
        fr_level, kr_level = kr_level, fr_level
    if (levels[fr_level].country, levels[kr_level].country) != COUNTRIES:
        raise ValueError(f"compatibility is defined between a French and a Korean level, not {fr_level}/{kr_level}")
    return float(_levels_document()["compatibility"][fr_level][kr_level])


# ---------------------------------------------------------------------------
# Reference lists
# ---------------------------------------------------------------------------
def load_reference(country: str | None = None) -> tuple[ReferenceCollectivite, ...]:
    """The reference collectivités of one country, or of both when country is None."""
    if country is None:
        return _load_country("FR") + _load_country("KR")
    _check_country(country)
    return _load_country(country)


@lru_cache(maxsize=None)
def _load_country(country: str) -> tuple[ReferenceCollectivite, ...]:
    known = {level.code for level in levels_for_country(country)}
    path = DATA_DIR / "reference" / f"collectivites_{country.lower()}.csv"
    rows = []
    with path.open(encoding="utf-8", newline="") as f:
        for line, record in enumerate(csv.DictReader(f), start=2):
            if record["country"] != country or record["level"] not in known:
                raise ValueError(f"{path.name}:{line}: bad country/level {record['country']}/{record['level']}")
            rows.append(
                ReferenceCollectivite(
                    country=country,
                    level=record["level"],
                    code=record["code"],
                    name=record["name"],
                    name_local=record["name_local"],
                    population=int(record["population"]) if record["population"] else None,
                    population_year=int(record["population_year"]) if record["population_year"] else None,
                    region_code=record["region_code"],
                    region=record["region"],
                    region_local=record["region_local"],
                    parent_code=record["parent_code"],
                    alt_code=record["alt_code"],
                )
            )
    return tuple(rows)


@lru_cache(maxsize=None)
def _by_code(country: str) -> dict[str, tuple[ReferenceCollectivite, ...]]:
    index: dict[str, list[ReferenceCollectivite]] = {}
    for row in _load_country(country):
        index.setdefault(row.code, []).append(row)
    # The same code can name two levels (French département 75 and région 75):
    # keep the most local level first, which find() returns when no level is given.
    return {code: tuple(sorted(rows, key=_tier_rank)) for code, rows in index.items()}


def find(country: str, code: str, level: str | None = None) -> ReferenceCollectivite | None:
    """The collectivité with this official code, or None.

    Without a level, a code shared by several levels (French départements and
    régions share "11", "75", …) resolves to the most local one.
    """
    _check_country(country)
    for row in _by_code(country).get(code.strip(), ()):
        if level is None or row.level == level:
            return row
    return None


def find_all(country: str, code: str) -> tuple[ReferenceCollectivite, ...]:
    """Every collectivité with this official code (a French code may name a département and a région)."""
    _check_country(country)
    return _by_code(country).get(code.strip(), ())


# ---------------------------------------------------------------------------
# Autocomplete
# ---------------------------------------------------------------------------
_SAINT = {"saint": "st", "sainte": "ste"}


@dataclass(frozen=True)
class _Entry:
    row: ReferenceCollectivite
    keys: tuple[str, ...]  # normalised names: exact, prefix and word-prefix matches count
    text: str  # keys joined: one substring test rejects most rows quickly
    word_text: str  # the same with a space before every word, for word-prefix tests
    context: str  # keys and region names: for multi-word queries ("seoul guro")
    order: tuple


def _entry(row: ReferenceCollectivite, folded: dict[str, str]) -> _Entry:
    def norm(text: str) -> str:
        if text not in folded:  # search words: the service's one normaliser, keeping word boundaries
            folded[text] = fold(text)
        return folded[text]

    keys: list[str] = []
    for key in (norm(row.name), norm(row.name_local)):
        if key and key not in keys:
            keys.append(key)
            words = key.split()
            if any(w in _SAINT for w in words):  # "st denis" should find Saint-Denis
                keys.append(" ".join(_SAINT.get(w, w) for w in words))
    text = "\n".join(keys)
    word_text = " " + text.replace("\n", "\n ")
    context = " ".join([word_text, norm(row.region), norm(row.region_local)])
    order = (-(row.population or -1), _tier_rank(row), row.name, row.code)
    return _Entry(row, tuple(keys), text, word_text, " " + context, order)


@lru_cache(maxsize=None)
def _search_index(country: str) -> tuple[_Entry, ...]:
    folded: dict[str, str] = {}  # names repeat (name == name_local, regions): normalise once
    return tuple(_entry(row, folded) for row in _load_country(country))


def search(query: str, country: str | None = None, limit: int = 10) -> list[ReferenceCollectivite]:
    """Collectivités matching what is typed, best first, for autocomplete.

    Matches names in any script (French, romanised Korean, Hangul), ignoring case
    and Latin accents.  Exact names come first, then names starting with the
    query, then names with a word starting with it, then other substrings, then
    rows matching every word of the query in their name or region; bigger
    populations first within each group.  An exact official code also matches.
    """
    q = fold(query)
    if not q or limit <= 0:
        return []
    countries = COUNTRIES if country is None else (country,)
    for c in countries:
        _check_country(c)
    code = query.strip()
    word_query = " " + q
    # Every word of a multi-word query must start a word of the name or region;
    # the longest one is tested first, inline, because it rejects most rows.
    first_word, *other_words = sorted((" " + w for w in q.split()), key=len, reverse=True)
    found = []
    # One or two letters match inside too many names to be useful: require a word start.
    short = len(q) < 3
    for c in countries:
        for entry in _search_index(c):
            if q in entry.text and (not short or word_query in entry.word_text):
                rank = 3
                for key in entry.keys:
                    if key == q:
                        rank = 0
                        break
                    if key.startswith(q):
                        rank = min(rank, 1)
                    elif word_query in " " + key:
                        rank = min(rank, 2)
            elif entry.row.code == code:
                rank = 0
            elif other_words and first_word in entry.context and all(w in entry.context for w in other_words):
                rank = 4
            else:
                continue
            found.append((rank, entry.order, entry.row))
    return [row for _, _, row in heapq.nsmallest(limit, found, key=lambda item: (item[0], item[1]))]


# ---------------------------------------------------------------------------
def _tier_rank(row: ReferenceCollectivite) -> int:
    return _TIER_ORDER.index(get_level(row.level).tier)


def _check_country(country: str) -> None:
    if country not in COUNTRIES:
        raise ValueError(f"country must be one of {COUNTRIES}, not {country!r}")
