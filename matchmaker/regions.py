"""Regions as people type them, matched to the reference list's régions and 시·도, named in the reader's language.

A questionnaire's region is free text: "Occitanie 🌞", "Ile de France", "région Bretagne", "서울", "경기",
"Gyeonggi-do", "충북". :func:`match_region` finds the reference region it means (the same normaliser as names,
matchmaker.matching.text, plus the usual short forms: 서울 for 서울특별시, 충북 for 충청북도, Gyeonggi for Gyeonggi-do);
what matches nothing stays apart, as typed. :meth:`Region.label` names a region in Hangul for a Korean reader and
in its French or romanised name for French and English readers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from matchmaker.matching.text import fold, search_key
from matchmaker.reference import load_reference
from matchmaker.vocabulary import COUNTRIES

#: Filter value standing for every region that matches none of the reference list.
OTHER = "other"
_KO_SUFFIX = re.compile(r"(통합특별시|특별자치시|특별자치도|특별시|광역시|도)$")
_ROMAN_SUFFIX = re.compile(r"\s(do|si|state|special city|metropolitan city|province)$")
_FR_PREFIX = re.compile(r"^(la )?(region|collectivite|province) (de |d |du )?")


@dataclass(frozen=True)
class Region:
    """A region of the reference list: région (France) or 시·도 (Korea)."""

    country: str
    code: str
    name: str  # French, or romanised Korean
    name_local: str  # French, or Hangul

    def label(self, lang: str) -> str:
        """The name a reader of ``lang`` reads: Hangul for Korean readers, French or romanised otherwise."""
        return self.name_local if lang == "ko" and self.name_local else self.name


def _keys(region: Region) -> set[str]:
    keys = {search_key(region.name), search_key(region.name_local)}
    local = fold(region.name_local)
    short = _KO_SUFFIX.sub("", local)
    if short and short != local:
        keys.add(search_key(short))
        if len(short) == 3 and short[-1] in "북남":  # 충청북 → 충북, 경상남 → 경남
            keys.add(short[0] + short[-1])
    roman = _ROMAN_SUFFIX.sub("", fold(region.name))
    keys.add(search_key(roman))
    return {key for key in keys if key}


@lru_cache(maxsize=None)
def regions_of(country: str) -> tuple[Region, ...]:
    """Every region of the reference list of one country, in the list's order of codes."""
    if country not in COUNTRIES:
        raise ValueError(f"country must be one of {COUNTRIES}, not {country!r}")
    found: dict[str, Region] = {}
    for row in load_reference(country):
        if row.region_code and row.region_code not in found:
            found[row.region_code] = Region(country, row.region_code, row.region, row.region_local or row.region)
    return tuple(sorted(found.values(), key=lambda region: region.code))


@lru_cache(maxsize=None)
def _index(country: str) -> dict[str, Region]:
    index: dict[str, Region] = {}
    for region in regions_of(country):
        for key in _keys(region):
            index.setdefault(key, region)
    return index


@lru_cache(maxsize=4096)
def match_region(country: str, text: str | None) -> Region | None:
    """The reference region a typed region means, or None when it means none of them."""
    if not text or country not in COUNTRIES:
        return None
    folded = fold(text)
    index = _index(country)
    for candidate in (folded, _FR_PREFIX.sub("", folded), _ROMAN_SUFFIX.sub("", folded), _KO_SUFFIX.sub("", folded)):
        region = index.get(search_key(candidate))
        if region:
            return region
    code = text.strip()
    return next((region for region in regions_of(country) if region.code == code), None)


def region_label(country: str, text: str | None, lang: str) -> str:
    """A collectivité's region in the reader's language; an unmatched one as it was typed."""
    region = match_region(country, text)
    return region.label(lang) if region else (text or "")
