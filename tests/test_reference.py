"""Tests of the reference lists of collectivités, the level table and the autocomplete."""

import csv
import importlib.util
import subprocess
import sys
from collections import Counter

import pytest

from matchmaker import reference
from matchmaker.matching.text import fold
from matchmaker.paths import PROJECT_ROOT

BUILD_SCRIPT = PROJECT_ROOT / "data" / "build_reference.py"
COMMITTED = PROJECT_ROOT / "data" / "reference"
FR_LEVELS = ["region", "departement", "metropole", "epci", "commune", "arrondissement"]
KR_LEVELS = [
    "special_city",
    "metropolitan_city",
    "special_autonomous_city",
    "province",
    "special_autonomous_province",
    "si",
    "gun",
    "gu",
]
KR_UPPER = KR_LEVELS[:5]
KR_BASIC = KR_LEVELS[5:]


def run_build(out_dir, *args):
    """Run the rebuild script into out_dir and return the rows of both files."""
    subprocess.run(
        [sys.executable, str(BUILD_SCRIPT), "--out", str(out_dir), *args], check=True, capture_output=True, text=True
    )
    rows = {}
    for country in ("fr", "kr"):
        with (out_dir / f"collectivites_{country}.csv").open(encoding="utf-8", newline="") as f:
            rows[country] = list(csv.DictReader(f))
    return rows


@pytest.fixture(scope="module")
def kr_before_2026(tmp_path_factory):
    """Korean rows as of 30 June 2026, the day before the 2026 reforms."""
    return run_build(tmp_path_factory.mktemp("kr_2026_06"), "--kr-as-of", "2026-06-30")["kr"]


@pytest.fixture(scope="module")
def build_module():
    """The build script loaded as a module, to test its helpers."""
    spec = importlib.util.spec_from_file_location("build_reference", BUILD_SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being defined
    spec.loader.exec_module(module)
    yield module
    del sys.modules[spec.name]


# --- Known collectivités ------------------------------------------------------
def test_finds_issy_les_moulineaux():
    issy = reference.find("FR", "92040", level="commune")
    assert issy.name == "Issy-les-Moulineaux"
    assert issy.population > 60_000 and issy.population_year == 2023
    assert (issy.parent_code, issy.region_code, issy.region) == ("92", "11", "Île-de-France")
    assert issy.alt_code == "219200409"  # SIREN


def test_finds_guro_gu():
    guro = reference.find("KR", "11530", level="gu")
    assert (guro.name, guro.name_local) == ("Guro-gu", "구로구")
    assert guro.population > 300_000 and guro.population_year == 2025
    assert (guro.parent_code, guro.region, guro.region_local) == ("11", "Seoul", "서울특별시")
    assert guro.alt_code == "11170"  # KOSTAT census code


def test_find_without_level_prefers_the_most_local_level():
    assert reference.find("FR", "75").level == "departement"
    assert reference.find("FR", "75", level="region").name == "Nouvelle-Aquitaine"
    assert reference.find("KR", "99999") is None
    with pytest.raises(ValueError):
        reference.find("DE", "92040")


# --- Counts ------------------------------------------------------------------
def test_france_has_18_regions_and_101_departements():
    counts = Counter(row.level for row in reference.load_reference("FR"))
    assert counts["region"] == 18
    assert counts["departement"] == 101  # 96 in metropolitan France + 5 overseas, no COM
    assert counts["metropole"] == 22  # 21 METRO + Métropole de Lyon
    assert counts["arrondissement"] == 45


def test_korea_as_of_today_has_16_upper_and_227_basic_governments():
    # 광주광역시 and 전라남도 merged into 전남광주통합특별시 on 1 July 2026, and Incheon's
    # 중구/동구/서구 became four districts the same day (data/reference/README.md).
    rows = reference.load_reference("KR")
    upper = {row.name_local for row in rows if row.level in KR_UPPER}
    assert len(upper) == 16
    assert "전남광주통합특별시" in upper and "광주광역시" not in upper and "전라남도" not in upper
    assert {"강원특별자치도", "전북특별자치도", "제주특별자치도"} <= upper
    basic = Counter(row.level for row in rows if row.level in KR_BASIC)
    assert basic == {"si": 75, "gun": 82, "gu": 70}
    assert sum(basic.values()) == 227


def test_korea_before_the_2026_reforms_had_17_upper_and_226_basic(kr_before_2026):
    rows = kr_before_2026
    upper = [r for r in rows if r["level"] in KR_UPPER]
    assert len(upper) == 17
    assert {r["name_local"] for r in upper} >= {"광주광역시", "전라남도", "강원특별자치도", "전북특별자치도"}
    basic = Counter(r["level"] for r in rows if r["level"] in KR_BASIC)
    assert basic == {"si": 75, "gun": 82, "gu": 69}
    assert {r["code"]: r["name_local"] for r in rows}["28110"] == "중구"


def test_korea_before_2023_had_gangwon_province_and_gunwi_in_gyeongbuk(tmp_path):
    rows = {r["name_local"]: r for r in run_build(tmp_path, "--kr-as-of", "2022-12-31")["kr"]}
    assert (rows["강원도"]["level"], rows["강원도"]["code"]) == ("province", "42")
    assert (rows["전라북도"]["level"], rows["전라북도"]["code"]) == ("province", "45")
    assert (rows["군위군"]["code"], rows["군위군"]["parent_code"]) == ("47720", "47")


def test_gunwi_is_in_daegu_and_jeonnam_gwangju_units_are_re_keyed():
    gunwi = reference.find("KR", "27720", level="gun")
    assert (gunwi.name_local, gunwi.region_local) == ("군위군", "대구광역시")
    wando = reference.find("KR", "12850")
    assert (wando.name_local, wando.level, wando.parent_code) == ("완도군", "gun", "12")
    assert reference.find("KR", "46890") is None


# --- Consistency -------------------------------------------------------------
@pytest.mark.parametrize("country", ["FR", "KR"])
def test_every_row_has_a_level_of_its_country_and_a_unique_code(country):
    levels = {level.code for level in reference.levels_for_country(country)}
    rows = reference.load_reference(country)
    assert {row.level for row in rows} == levels
    keys = Counter((row.level, row.code) for row in rows)
    assert [key for key, n in keys.items() if n > 1] == []
    # Six "villages morts pour la France" keep a commune with 0 inhabitants.
    assert all(row.population is not None and row.population >= 0 for row in rows)
    assert sum(1 for row in rows if row.population == 0) <= 6


def test_parents_exist():
    fr = {(row.level, row.code) for row in reference.load_reference("FR")}
    for row in reference.load_reference("FR"):
        parent_level = {
            "commune": "departement",
            "arrondissement": "commune",
            "departement": "region",
            "epci": "departement",
            "metropole": "departement",
        }.get(row.level)
        if parent_level:
            assert (parent_level, row.parent_code) in fr, row
    kr_upper = {row.code: row for row in reference.load_reference("KR") if row.level in KR_UPPER}
    for row in reference.load_reference("KR"):
        if row.level in KR_BASIC:
            assert kr_upper[row.parent_code].name_local == row.region_local


def test_korean_upper_population_is_the_sum_of_its_basic_governments():
    rows = reference.load_reference("KR")
    for upper in (r for r in rows if r.level in KR_UPPER):
        children = [r.population for r in rows if r.parent_code == upper.code]
        if children:
            assert upper.population == sum(children), upper.name_local


def test_incheon_new_districts_add_up_to_the_old_ones(kr_before_2026):
    incheon = {r.name_local: r.population for r in reference.load_reference("KR") if r.parent_code == "28"}
    assert {"제물포구", "영종구", "서해구", "검단구"} <= set(incheon)
    assert not {"중구", "동구", "서구"} & set(incheon)
    old = {r["name_local"]: int(r["population"]) for r in kr_before_2026 if r["parent_code"] == "28"}
    assert incheon["제물포구"] + incheon["영종구"] == old["중구"] + old["동구"]
    assert incheon["서해구"] + incheon["검단구"] == old["서구"]


# --- Levels ------------------------------------------------------------------
def test_levels_are_the_design_codes_with_three_labels():
    assert [level.code for level in reference.levels_for_country("FR")] == FR_LEVELS
    assert [level.code for level in reference.levels_for_country("KR")] == KR_LEVELS
    for level in reference.load_levels():
        assert all(level.label(lang).strip() for lang in ("fr", "ko", "en"))
    assert reference.get_level("gu").label("ko") == "자치구"


def test_compatibility_covers_every_french_korean_pair():
    for fr in FR_LEVELS:
        for kr in KR_LEVELS:
            value = reference.level_compatibility(fr, kr)
            assert 0 < value <= 1
            assert reference.level_compatibility(kr, fr) == value
    assert reference.level_compatibility("region", "province") > reference.level_compatibility("region", "gu")
    assert reference.level_compatibility("arrondissement", "gu") == 1.0
    assert reference.level_compatibility("commune", "si") > reference.level_compatibility("commune", "province")


def test_compatibility_rejects_unknown_or_same_country_levels():
    with pytest.raises(ValueError):
        reference.level_compatibility("commune", "county")
    with pytest.raises(ValueError):
        reference.level_compatibility("commune", "region")


# --- Search ------------------------------------------------------------------
def test_search_finds_issy_and_guro_first():
    assert reference.search("issy")[0].code == "92040"
    assert reference.search("구로")[0].code == "11530"
    assert reference.search("guro")[0].code == "11530"


def test_search_ignores_case_accents_and_separators():
    assert reference.search("ISSY LES MOULINEAUX")[0].code == "92040"
    assert reference.search("ile de france", country="FR")[0].code == "11"
    assert reference.search("st denis", country="FR")[0].name == "Saint-Denis"
    assert reference.search("Evry Courcouronnes")[0].code == "91228"


def test_search_keeps_hangul_whole():
    assert fold("구로구") == "구로구"
    assert fold("Île-de-France") == "ile de france"
    assert reference.search("ㄱ") == []  # a lone jamo is not a piece of a syllable
    assert reference.search("서울 구로")[0].code == "11530"


def test_search_ranks_exact_then_prefix_then_population():
    paris = reference.search("paris", country="FR")
    assert [r.level for r in paris[:2]] == ["commune", "departement"]
    jung = reference.search("jung-gu", country="KR")
    populations = [r.population for r in jung if r.name == "Jung-gu"]
    assert len(populations) >= 5 and populations == sorted(populations, reverse=True)
    assert reference.search("paris", country="KR") == []
    assert len(reference.search("saint", limit=3)) == 3


# --- Build -------------------------------------------------------------------
def test_rebuild_reproduces_the_committed_files(tmp_path):
    run_build(tmp_path)
    for name in ("collectivites_fr.csv", "collectivites_kr.csv"):
        assert (tmp_path / name).read_bytes() == (COMMITTED / name).read_bytes(), name


def test_romanization_follows_the_revised_romanization(build_module):
    expected = {
        "종로": "jongno",
        "강릉": "gangneung",
        "철원": "cheorwon",
        "울릉": "ulleung",
        "신라": "silla",
        "밀양": "miryang",
        "의정부": "uijeongbu",
        "백령": "baengnyeong",
        "관악": "gwanak",
        "영등포": "yeongdeungpo",
        "해운대": "haeundae",
    }
    assert {k: build_module.romanize(k) for k in expected} == expected
    assert build_module.kr_upper_english("서울특별시") == "Seoul"
    assert build_module.kr_upper_english("경기도") == "Gyeonggi-do"
