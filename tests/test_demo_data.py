"""Checks on the shipped demo responses and the evaluation set of documented France–Korea partnerships."""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from matchmaker.vocabulary import STANCES

DATA = Path(__file__).resolve().parent.parent / "data"
DEMO = DATA / "demo" / "responses.jsonl"
EVAL = DATA / "eval" / "partnerships.jsonl"
REFERENCE = {"FR": DATA / "reference" / "collectivites_fr.csv", "KR": DATA / "reference" / "collectivites_kr.csv"}

# Fixed codes from the design document (imports, exports and tests rely on them).
THEMES = {
    "climate_energy",
    "environment_biodiversity",
    "waste_circular",
    "water",
    "mobility",
    "smart_city",
    "tourism",
    "culture_heritage",
    "creative_industries",
    "youth_education",
    "higher_ed_research",
    "economic_development",
    "agriculture_food",
    "social_action",
    "health",
    "sport",
    "urban_planning",
    "history_memory",
    "local_democracy",
    "gender_equality",
    "social_solidarity_economy",
    "public_safety",
}
SECTORS = {
    "agriculture",
    "agrifood",
    "manufacturing",
    "automotive",
    "aerospace",
    "microelectronics_ai",
    "digital_ict",
    "robotics",
    "energy_renewables",
    "hydrogen",
    "health_biotech",
    "chemicals_materials",
    "textiles_fashion",
    "tourism_hospitality",
    "culture_media",
    "logistics_ports",
    "fisheries_maritime",
    "finance_services",
    "research_education",
    "construction",
}
LEVELS = {
    "FR": {"region", "departement", "metropole", "epci", "commune", "arrondissement"},
    "KR": {
        "special_city",
        "metropolitan_city",
        "special_autonomous_city",
        "province",
        "special_autonomous_province",
        "si",
        "gun",
        "gu",
    },
}
KR_UPPER = {"special_city", "metropolitan_city", "special_autonomous_city", "province", "special_autonomous_province"}
KINDS = {"twinning", "friendship_pact", "project", "youth_exchange", "study_mission", "economic_mission"}
FIELDS = [
    "name",
    "name_local",
    "country",
    "level",
    "code",
    "population",
    "region",
    "contact_name",
    "contact_email",
    "language",
    "themes",
    "sectors",
    "partner_levels",
    "cooperation_kinds",
    "working_languages",
    "existing_partners",
    "description",
    "consent_contact",
    "consent_share",
]
OTHER = {"FR": "KR", "KR": "FR"}
# Answers the questionnaire requires before a response is accepted (web form and file import alike); the demo
# file is imported in one transaction, so a single row without them would leave the demo empty.

# How a partner's name is written in the other country's script, for the "never names its partner" check.
# Keyed by "<country>:<code>"; short Korean forms are matched only at the start of a word.
CROSS_SCRIPT_NAMES = {
    "FR:75056": ["파리"],
    "FR:75115": ["파리"],
    "FR:75117": ["파리"],
    "FR:92040": ["이시레물리노", "이시 레 물리노"],
    "FR:37261": ["뚜르", "투르시"],
    "FR:06088": ["니스"],
    "FR:84": ["오베르뉴", "론알프"],
    "FR:200093201": ["릴"],
    "FR:11": ["일드프랑스"],
    "FR:200046977": ["리옹"],
    "FR:44109": ["낭트"],
    "FR:51559": ["쉬프"],
    "FR:33063": ["보르도"],
    "FR:78": ["이블린"],
    "FR:94067": ["생망데"],
    "FR:63113": ["클레르몽"],
    "FR:78646": ["베르사유", "베르사이유"],
    "KR:11": ["Séoul"],
    "KR:30": ["Daejon"],
    "KR:47": ["Gyeongbuk"],
    "KR:27": ["Taegu"],
}
GENERIC_WORDS = {"france", "metropole", "métropole", "européenne", "arrondissement", "saint", "region", "région"}
HANGUL = "가-힣"


def _load(path: Path) -> list[tuple[int, dict]]:
    """Parse a JSON Lines file into (line number, object) pairs, failing on the first bad line."""
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        assert line.strip(), f"{path.name}:{number}: blank line"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:  # pragma: no cover - the assertion message is the point
            pytest.fail(f"{path.name}:{number}: invalid JSON ({exc})")
        assert isinstance(obj, dict), f"{path.name}:{number}: not a JSON object"
        rows.append((number, obj))
    return rows


def _key(record: dict) -> str:
    """Identity of a collectivité across files: country and official code."""
    return f"{record['country']}:{record['code']}"


def record_problems(record: dict) -> list[str]:
    """Return every way a questionnaire record breaks the import format (empty list when valid)."""
    problems = []
    if list(record) != FIELDS:
        return [f"fields {sorted(set(record) ^ set(FIELDS))} missing or unexpected"]
    country = record["country"]
    if country not in LEVELS:
        return [f"country {country!r}"]
    if not (isinstance(record["name"], str) and record["name"].strip()):
        problems.append("empty name")
    if not (isinstance(record["name_local"], str) and record["name_local"].strip()):
        problems.append("empty name_local")
    if country == "FR" and record["name_local"] != record["name"]:
        problems.append("French name_local differs from name")
    if country == "KR" and not re.search(f"[{HANGUL}]", record["name_local"]):
        problems.append("Korean name_local has no Hangul")
    level = record["level"]
    if level not in LEVELS[country]:
        problems.append(f"level {level!r} is not a {country} level")
    code = record["code"]
    if country == "FR":
        pattern = {"region": r"\d{2,3}", "departement": r"\d{2,3}|2[AB]", "metropole": r"\d{9}", "epci": r"\d{9}"}
        if code and not re.fullmatch(pattern.get(level, r"\d[\dAB]\d{3}"), code):
            problems.append(f"code {code!r} does not fit level {level}")
    elif code and not re.fullmatch(r"\d{2}" if level in KR_UPPER else r"\d{5}", code):
        problems.append(f"code {code!r} does not fit level {level}")
    population = record["population"]
    if population is not None and not (
        isinstance(population, int) and not isinstance(population, bool) and population > 0
    ):
        problems.append(f"population {population!r}")
    if record["language"] != {"FR": "fr", "KR": "ko"}[country]:
        problems.append(f"language {record['language']!r}")
    if record["contact_email"] and not re.fullmatch(r"[\w.+-]+@([\w-]+\.)*example\.(org|com)", record["contact_email"]):
        problems.append(f"contact_email {record['contact_email']!r} is not on an example domain")
    themes = record["themes"]
    if not isinstance(themes, dict):
        problems.append("themes is not an object")
    else:
        for theme, answer in themes.items():
            if theme not in THEMES:
                problems.append(f"theme {theme!r}")
            if not (
                isinstance(answer, dict)
                and set(answer) == {"priority", "stance"}
                and answer["priority"] in (1, 2, 3)
                and answer["stance"] in STANCES
            ):
                problems.append(f"theme {theme!r} answer {answer!r}")
    for field, allowed in (
        ("sectors", SECTORS),
        ("partner_levels", LEVELS[OTHER[country]]),
        ("cooperation_kinds", KINDS),
    ):
        values = record[field]
        if not isinstance(values, list) or len(set(values)) != len(values) or not set(values) <= allowed:
            problems.append(f"{field} {values!r}")
    languages = record["working_languages"]
    if not (isinstance(languages, list) and all(re.fullmatch(r"[a-z]{2}", lang) for lang in languages)):
        problems.append(f"working_languages {languages!r}")
    partners = record["existing_partners"]
    if not isinstance(partners, list) or not all(isinstance(p, str) and p.strip() for p in partners):
        problems.append(f"existing_partners {partners!r}")
    else:
        for partner in partners:
            if re.match(r"[A-Z]{2}:", partner) and not re.fullmatch(rf"{OTHER[country]}:\d{{2,9}}", partner):
                problems.append(f"existing partner {partner!r} is not a coded partner in the other country")
    if not isinstance(record["description"], str):
        problems.append("description is not text")
    if record["consent_contact"] is not True or record["consent_share"] is not True:
        problems.append("consents are not both true")
    return problems


def word_count(text: str) -> int:
    """Words of a presentation (for Korean, space-separated eojeol)."""
    return len(text.split())


def partner_name_forms(record: dict) -> list[re.Pattern]:
    """Patterns for the ways a collectivité's name can appear in a text (own script, stems, other script)."""
    forms = {record["name"], record["name_local"]}
    for part in re.split(r"[\s\-()']+", record["name"]):
        if len(part) >= 4 and part.lower() not in GENERIC_WORDS and not part[0].isdigit():
            forms.add(part)
    local = record["name_local"].split()[-1]
    for suffix in ("특별자치시", "특별자치도", "특별시", "광역시", "구", "시", "군", "도"):
        if local.endswith(suffix) and len(local) - len(suffix) >= 2:
            forms.add(local[: -len(suffix)])
            break
    patterns = [re.compile(re.escape(form), re.IGNORECASE) for form in forms]
    for form in CROSS_SCRIPT_NAMES.get(_key(record), []):
        patterns.append(re.compile(rf"(?<![{HANGUL}]){re.escape(form)}", re.IGNORECASE))
    return patterns


@pytest.fixture(scope="module")
def reference():
    """The project's lists of real local governments, keyed by (country, level, code) and by country:code."""
    by_level, by_code = {}, {}
    for country, path in REFERENCE.items():
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                by_level[(country, row["level"], row["code"])] = row
                by_code.setdefault(f"{country}:{row['code']}", row)
    return by_level, by_code


@pytest.fixture(scope="module")
def demo():
    """The demo responses, with their line numbers."""
    return _load(DEMO)


@pytest.fixture(scope="module")
def pairs():
    """The evaluation pairs, with their line numbers."""
    return _load(EVAL)


def test_demo_records_are_valid_questionnaires(demo):
    bad = {f"line {n} ({r.get('name')})": record_problems(r) for n, r in demo}
    assert {k: v for k, v in bad.items() if v} == {}


def test_demo_has_enough_records_of_each_country_and_mixed_levels(demo):
    records = [r for _, r in demo]
    countries = Counter(r["country"] for r in records)
    assert countries["FR"] >= 20 and countries["KR"] >= 20
    for country in ("FR", "KR"):
        levels = {r["level"] for r in records if r["country"] == country}
        assert len(levels) >= 4, f"{country} demo records cover only {levels}"
    duplicated = [k for k, n in Counter(_key(r) for r in records if r["code"]).items() if n > 1]
    assert duplicated == []


def test_demo_descriptions_are_real_presentations_or_absent(demo):
    for number, record in demo:
        words = word_count(record["description"])
        assert words == 0 or 60 <= words <= 200, f"line {number}: {words} words"
        if words and record["country"] == "KR":
            assert re.search(f"[{HANGUL}]", record["description"]), f"line {number}: Korean text expected"
    partial = [r for _, r in demo if not r["description"] and not r["cooperation_kinds"]]
    assert len(partial) >= 2


def test_every_record_is_a_real_collectivite_of_the_reference_lists(demo, pairs, reference):
    by_level, by_code = reference
    records = [(f"demo line {n}", r) for n, r in demo]
    records += [(f"eval line {n} {side}", p[side]) for n, p in pairs for side in ("fr", "kr")]
    for where, record in records:
        row = by_level.get((record["country"], record["level"], record["code"]))
        assert row is not None, f"{where}: {record['name']} {record['level']} {record['code']} is not in the reference"
        assert (row["name"], row["name_local"]) == (record["name"], record["name_local"]), where
        region = row["region_local"] if record["country"] == "KR" else row["region"]
        assert record["region"] == region, where
        assert record["population"] in (None, int(row["population"])), where
        for partner in record["existing_partners"]:
            if re.match(r"[A-Z]{2}:", partner):
                assert partner in by_code, f"{where}: existing partner {partner} is not in the reference"


def test_demo_rows_pass_the_questionnaire_checks(demo):
    from matchmaker.questionnaire.validation import validate_record

    problems = {f"line {n} ({r['name']})": validate_record(r, "en")[1] for n, r in demo}
    assert {k: v for k, v in problems.items() if v} == {}


def test_some_demo_respondents_tick_no_theme_but_present_themselves(demo):
    text_only = [(n, r) for n, r in demo if not r["themes"]]
    assert len(text_only) >= 2
    for number, record in text_only:
        assert 60 <= word_count(record["description"]) <= 200, f"line {number}"


def test_demo_existing_partners_are_declared_on_both_sides(demo):
    by_key = {_key(r): r for _, r in demo}
    for _, record in demo:
        for partner in record["existing_partners"]:
            if partner in by_key:
                assert _key(record) in by_key[partner]["existing_partners"], f"{record['name']} -> {partner}"


def test_eval_pairs_have_the_expected_shape(pairs):
    assert 15 <= len(pairs) <= 30
    ids = [p.get("id") for _, p in pairs]
    assert len(set(ids)) == len(ids) and all(ids)
    for number, pair in pairs:
        assert set(pair) == {"id", "fr", "kr", "source", "kind"}, f"line {number}"
        assert pair["kind"] in KINDS, f"line {number}"
        assert re.search(r"\d{3}_[0-9a-f]{16}\.txt|public knowledge:", pair["source"]), f"line {number}"
        assert pair["fr"]["country"] == "FR" and pair["kr"]["country"] == "KR", f"line {number}"
        for side in ("fr", "kr"):
            assert record_problems(pair[side]) == [], f"line {number} {side}: {record_problems(pair[side])}"
            words = word_count(pair[side]["description"])
            assert 60 <= words <= 200, f"line {number} {side}: {words} words"
    couples = Counter((_key(p["fr"]), _key(p["kr"])) for _, p in pairs)
    assert max(couples.values()) == 1


def test_eval_records_never_list_their_evaluated_partner(pairs):
    for number, pair in pairs:
        for side, other in (("fr", "kr"), ("kr", "fr")):
            listed = pair[side]["existing_partners"]
            assert _key(pair[other]) not in listed, f"line {number}"
            assert pair[other]["name"] not in listed and pair[other]["name_local"] not in listed, f"line {number}"


def test_eval_descriptions_never_name_their_partner(pairs):
    for number, pair in pairs:
        for side, other in (("fr", "kr"), ("kr", "fr")):
            text = pair[side]["description"]
            hits = [p.pattern for p in partner_name_forms(pair[other]) if p.search(text)]
            assert hits == [], f"line {number}: {pair[side]['name']} names {pair[other]['name']} via {hits}"


def test_a_collectivite_has_one_questionnaire_across_pairs_and_demo(pairs, demo):
    demo_by_key = {_key(r): r for _, r in demo}
    seen: dict[str, dict] = {}
    for number, pair in pairs:
        for side in ("fr", "kr"):
            record = pair[side]
            assert seen.setdefault(_key(record), record) == record, f"line {number}: {record['name']} differs"
            twin = demo_by_key.get(_key(record))
            assert twin is not None, f"line {number}: {record['name']} missing from the demo set"
            same = ("name", "name_local", "level", "population", "region", "themes", "sectors", "partner_levels")
            assert all(twin[f] == record[f] for f in same), f"line {number}: {record['name']} differs from demo"


def test_partner_name_check_catches_a_leak():
    """The name check itself must fire on a description that names the partner in either script."""
    guro = {"name": "Guro-gu", "name_local": "구로구", "country": "KR", "code": "11530"}
    issy = {"name": "Issy-les-Moulineaux", "name_local": "Issy-les-Moulineaux", "country": "FR", "code": "92040"}
    assert any(p.search("Nous sommes jumelés avec Guro depuis 2006.") for p in partner_name_forms(guro))
    assert any(p.search("구로와 교류") for p in partner_name_forms(guro))
    assert any(p.search("프랑스 이시레물리노와 자매도시") for p in partner_name_forms(issy))
    assert not any(p.search("Ville numérique proche de la capitale.") for p in partner_name_forms(guro))
