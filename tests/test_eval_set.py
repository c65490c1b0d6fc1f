"""Checks on the independent evaluation set (data/eval/partnerships.csv, collectivites.csv, records/)."""

from __future__ import annotations

import csv
import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from matchmaker.questionnaire.validation import validate_record

EVAL = Path(__file__).resolve().parent.parent / "data" / "eval"
HALVES = ("dev", "heldout")
VARIANTS = ("full", "presentation")
# SHA-256 of split.csv (header and 124 rows) as committed in "eval set complete" (30 pairs)
FROZEN_AT_COMPLETION = "5d0e2d792994cba9b8360afb1c806006c1c9f165e5a8ba68a96b258f37d33cef"


def _rows(name: str) -> list[dict]:
    with open(EVAL / name, encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _records(variant: str, half: str) -> list[dict]:
    with open(EVAL / "records" / f"{variant}-{half}.jsonl", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


@pytest.fixture(scope="module")
def pairs() -> list[dict]:
    return _rows("partnerships.csv")


@pytest.fixture(scope="module")
def members() -> dict[tuple[str, str], dict]:
    return {(r["country"], r["code"]): r for r in _rows("collectivites.csv")}


def test_files_are_what_the_build_script_writes(tmp_path):
    """The committed files are the build script's output (nobody edited a record or the split by hand)."""
    before = {
        p: p.read_bytes()
        for p in list((EVAL / "records").glob("*.jsonl")) + [EVAL / "partnerships.csv", EVAL / "collectivites.csv"]
    }
    subprocess.run([sys.executable, str(EVAL / "build_eval.py")], check=True, capture_output=True)
    assert {p: p.read_bytes() for p in before} == before


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("half", HALVES)
def test_every_record_passes_the_questionnaire_rules(app, variant, half):
    for record in _records(variant, half):
        clean, errors = validate_record(record, "en")
        assert errors == {}, (record["name"], errors)
        if variant == "presentation":
            assert not (
                record["themes"] or record["sectors"] or record["partner_levels"] or record["cooperation_kinds"]
            )


def test_sizes(pairs, members):
    assert len(pairs) >= 32
    for country in ("FR", "KR"):
        assert sum(1 for k in members if k[0] == country) >= 60


def test_halves_are_disjoint_and_each_pair_lies_in_one_half(pairs, members):
    for pair in pairs:
        assert members[("FR", pair["fr_code"])]["split"] == pair["split"] == members[("KR", pair["kr_code"])]["split"]
    for half in HALVES:
        codes = {(r["country"], r["code"]) for r in _records("full", half)}
        assert all(members[k]["split"] == half for k in codes)
    dev = {(r["country"], r["code"]) for r in _records("full", "dev")}
    held = {(r["country"], r["code"]) for r in _records("full", "heldout")}
    assert not dev & held and dev | held == set(members)


def test_pool_members_have_no_documented_partner(pairs, members):
    partnered = {("FR", p["fr_code"]) for p in pairs} | {("KR", p["kr_code"]) for p in pairs}
    for key, row in members.items():
        assert (row["role"] == "partner") == (key in partnered)


def test_no_description_names_its_partner_or_the_other_country(pairs):
    records = {(r["country"], r["code"]): r for half in HALVES for r in _records("full", half)}
    foreign = {"FR": re.compile(r"cor[ée]e|séoul|korea", re.I), "KR": re.compile("프랑스|파리|france", re.I)}
    for key, record in records.items():
        assert not foreign[key[0]].search(record["description"]), record["name"]
    for pair in pairs:
        fr, kr = records[("FR", pair["fr_code"])], records[("KR", pair["kr_code"])]
        for name in (pair["kr_name"], pair["kr_name"].split("-")[0], pair["kr_name_local"]):
            assert name.lower() not in fr["description"].lower(), (pair["pair_id"], name)
        for name in [pair["fr_name"]] + [w for w in re.split(r"[ -]", pair["fr_name"]) if len(w) > 3]:
            assert name.lower() not in kr["description"].lower(), (pair["pair_id"], name)


def test_split_is_frozen(members):
    """split.csv fixes every collectivité's half; nothing may move once the set was declared complete."""
    with open(EVAL / "split.csv", encoding="utf-8") as f:
        frozen = {(r["country"], r["code"]): r["split"] for r in csv.DictReader(f)}
    assert frozen == {k: r["split"] for k, r in members.items()}


def test_halves_declared_at_completion_never_change():
    """The 124 rows frozen when the set was declared complete stay byte for byte; later members are appended."""
    lines = (EVAL / "split.csv").read_bytes().splitlines(keepends=True)
    assert hashlib.sha256(b"".join(lines[:125])).hexdigest() == FROZEN_AT_COMPLETION
