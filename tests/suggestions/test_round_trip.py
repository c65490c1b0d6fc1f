"""From a file to suggestions and back out: import → match → export, through the command line."""

import json

from matchmaker.paths import DATA_DIR


def test_import_match_export_round_trip(runner, tmp_path):
    demo = DATA_DIR / "demo" / "responses.jsonl"
    records = [json.loads(line) for line in demo.read_text(encoding="utf-8").splitlines() if line.strip()]
    result = runner.invoke(args=["import", str(demo)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["match", "--top", "3"])
    assert result.exit_code == 0, result.output
    out = tmp_path / "suggestions.jsonl"
    result = runner.invoke(args=["export", "suggestions", "--format", "jsonl", "--lang", "fr", "--output", str(out)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]

    by_code = {(r["country"], r["code"]): r for r in records if r.get("code")}
    names = {(r["country"], r["name"]) for r in records}
    assert rows and all(("FR", row["fr_name"]) in names and ("KR", row["kr_name"]) in names for row in rows)
    # every French and every Korean respondent has its top 3
    assert {row["fr_name"] for row in rows if row["rank_for_fr"]} == {
        r["name"] for r in records if r["country"] == "FR"
    }
    assert {row["kr_name"] for row in rows if row["rank_for_kr"]} == {
        r["name"] for r in records if r["country"] == "KR"
    }
    # declared existing partners are never suggested
    for row in rows:
        fr = by_code.get(("FR", row["fr_code"]))
        assert fr is None or f"KR:{row['kr_code']}" not in fr["existing_partners"], (row["fr_name"], row["kr_name"])
    # scores, ranks and reasons in French
    top = rows[0]
    assert top["total"] >= rows[-1]["total"] and set(top) >= {"themes", "complementarity", "sectors", "size", "text"}
    assert top["reasons"] and top["reasons_data"]
    assert any("propose" in row["reasons"] or "thèmes communs" in row["reasons"] for row in rows[:20])
