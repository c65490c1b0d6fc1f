"""Suggestions in the app: recompute, rescore on save, exclusions, weights, tuning, export."""

import csv
import io
import json

import pytest
from sqlalchemy import func, select

from matchmaker.models import MatchRun, Setting, Suggestion
from matchmaker.suggestions import operations as ops
from matchmaker.suggestions.exporting import export_suggestions
from tests.suggestions.factories import small_world, submitted


def pair(db, fr, kr):
    return db.session.scalar(
        select(Suggestion).where(Suggestion.fr_id == fr.collectivite_id, Suggestion.kr_id == kr.collectivite_id)
    )


def test_recompute_scores_only_french_korean_pairs_with_reasons(db):
    world = small_world()
    run = ops.recompute_suggestions(top_k=3)
    db.session.commit()
    rows = db.session.scalars(select(Suggestion)).all()
    assert len(rows) == 9  # 3 × 3, every pair is in someone's top 3
    for s in rows:
        assert s.fr.country == "FR" and s.kr.country == "KR"
        assert 0 <= s.score_total <= 1 and s.state == "suggested" and s.run_id == run.id
        assert s.reasons or s.score_total < 0.1  # a pair with nothing in common has nothing to explain
    best = pair(db, world["issy"], world["guro"])
    assert best.rank_fr == 1 and best.rank_kr == 1
    assert any(r["code"] == "offers" and r["params"]["offerer"] == "fr" for r in best.reasons)
    assert "smart_city" in best.theme_codes and best.theme_codes == sorted(set(best.theme_codes))
    assert run.status == "done" and run.counts["profiles_fr"] == 3 and run.counts["suggestions"] == 9
    assert run.duration_ms is not None and run.params["top_k"] == 3


def test_each_side_gets_its_best_partner_first(db):
    world = small_world()
    ops.recompute_suggestions(top_k=3)
    for fr, kr in (("issy", "guro"), ("nantes", "suncheon"), ("bretagne", "jeonnam")):
        assert pair(db, world[fr], world[kr]).rank_fr == 1, fr


def test_recompute_keeps_decided_pairs_and_never_resuggests_rejected_ones(db):
    world = small_world()
    ops.recompute_suggestions(top_k=1)
    db.session.commit()
    rejected = pair(db, world["issy"], world["guro"])
    rejected.cuf_decision, rejected.state = "reject", "rejected"
    noted = pair(db, world["nantes"], world["suncheon"])
    noted.cuf_decision = "approve"
    db.session.commit()
    ops.recompute_suggestions(top_k=1)
    db.session.commit()
    again = pair(db, world["issy"], world["guro"])
    assert again is not None and again.id == rejected.id and again.state == "rejected" and again.is_current is False
    assert pair(db, world["nantes"], world["suncheon"]).cuf_decision == "approve"
    # Issy's new top-1 is someone else
    issy_current = db.session.scalars(
        select(Suggestion).where(Suggestion.fr_id == world["issy"].collectivite_id, Suggestion.is_current.is_(True))
    ).all()
    assert issy_current and all(s.kr_id != world["guro"].collectivite_id for s in issy_current)


def test_declared_existing_partners_are_never_suggested(db):
    world = small_world()
    world["issy"].existing_partners = ["KR:11530"]
    db.session.commit()
    ops.recompute_suggestions(top_k=3)
    assert pair(db, world["issy"], world["guro"]) is None
    assert db.session.scalar(select(func.count()).select_from(Suggestion)) == 8


def test_rescoring_a_new_response_on_save_adds_its_suggestions(db, app):
    app.config["MATCH_TOP_K"] = 2
    small_world()
    ops.recompute_suggestions(top_k=2)
    db.session.commit()
    before = db.session.scalar(select(func.count()).select_from(MatchRun))
    tours = submitted(
        "Tours",
        "FR",
        "commune",
        137000,
        {"environment_biodiversity": (3, "offer"), "climate_energy": (2, "both")},
        sectors=["construction"],
        code="37261",
    )
    db.session.commit()
    run = ops.rescore_response(tours.id)
    db.session.commit()
    assert run.kind == "single" and db.session.scalar(select(func.count()).select_from(MatchRun)) == before + 1
    mine = db.session.scalars(
        select(Suggestion).where(Suggestion.fr_id == tours.collectivite_id).order_by(Suggestion.rank_fr)
    ).all()
    assert len(mine) == 2 and mine[0].kr.name == "Suncheon-si" and mine[0].rank_fr == 1
    assert mine[0].rank_kr is not None


def test_rescoring_an_edited_response_replaces_its_untouched_suggestions(db, app):
    app.config["MATCH_TOP_K"] = 1
    world = small_world()
    ops.recompute_suggestions(top_k=1)
    db.session.commit()
    issy = world["issy"]
    for t in list(issy.themes):
        issy.themes.remove(t)
    db.session.flush()
    from matchmaker.models import ThemeInterest

    issy.themes.append(ThemeInterest(theme_code="agriculture_food", priority=3, stance="seek"))
    issy.sectors = ["agrifood"]
    db.session.commit()
    ops.rescore_response(issy.id)
    db.session.commit()
    current = db.session.scalars(select(Suggestion).where(Suggestion.fr_id == issy.collectivite_id)).all()
    assert [s.kr.name for s in current] == ["Jeollanam-do"]


def test_rescoring_after_other_responses_changed_refreshes_the_kept_engine(db, app, monkeypatch):
    """Another response's answers changed since the engine was fitted: rescoring one response brings the kept
    engine up to date by re-vectorising that other response only (no new fit), and scores as a new fit would."""
    from matchmaker.matching import MatchScorer
    from matchmaker.models import ThemeInterest
    from matchmaker.suggestions import engine

    app.config["MATCH_TOP_K"] = 2
    world = small_world()
    ops.recompute_suggestions(top_k=2)
    db.session.commit()
    issy = world["issy"]
    issy.themes.append(ThemeInterest(theme_code="agriculture_food", priority=3, stance="offer"))
    issy.sectors = ["agrifood", "construction"]
    db.session.commit()
    tours = submitted("Tours", "FR", "commune", 137000, {"agriculture_food": (3, "seek")}, code="37261")
    db.session.commit()

    fits = []
    original_fit = MatchScorer.fit
    monkeypatch.setattr(MatchScorer, "fit", lambda self, *a, **k: fits.append(1) or original_fit(self, *a, **k))
    ops.rescore_response(tours.id)
    db.session.commit()
    assert fits == []  # refreshed, not fitted again
    kept = engine._cache[engine._cache_key()].matcher
    issy_row = kept.fr_row_[issy.collectivite_id]
    assert kept.fr_profiles_[issy_row].sectors == ("agrifood", "construction")
    refreshed_lists = _lists_of(db, tours)

    engine._cache.clear()
    ops.rescore_response(tours.id)  # the same with a new fit
    db.session.commit()
    assert fits == [1]
    assert _lists_of(db, tours) == refreshed_lists


def _lists_of(db, response):
    rows = db.session.scalars(
        select(Suggestion).where(Suggestion.fr_id == response.collectivite_id).order_by(Suggestion.kr_id)
    ).all()
    return [(s.kr_id, s.score_total, s.rank_fr, s.rank_kr, json.dumps(s.reasons, sort_keys=True)) for s in rows]


def test_weights_are_validated_stored_and_trigger_a_recompute(db):
    small_world()
    with pytest.raises(ops.WeightsError):
        ops.apply_weights({"themes": -1})
    with pytest.raises(ops.WeightsError):
        ops.apply_weights({d: 0 for d in ops.DIMENSIONS})
    with pytest.raises(ops.WeightsError):
        ops.apply_weights({"themes": 1, "colour": 2})
    applied = ops.apply_weights({"themes": 0, "complementarity": 0, "sectors": 0, "size": 2, "text": 0})
    db.session.commit()
    assert applied["size"] == 1.0 and ops.current_weights()["size"] == 1.0
    run = ops.recompute_if_requested()
    db.session.commit()
    assert run is not None and run.params["weights"]["size"] == 1.0
    assert db.session.get(Setting, ops.RECOMPUTE_KEY) is None
    assert ops.recompute_if_requested() is None


def test_preview_shows_how_the_ranking_would_move(db):
    small_world()
    ops.recompute_suggestions(top_k=3)
    same = ops.preview_weights(ops.current_weights())
    assert same["overlap"] == 1.0 and same["best_partner_changes"] == 0
    sized = ops.preview_weights({"themes": 0, "complementarity": 0, "sectors": 0, "size": 1, "text": 0})
    assert sized["best_partner_changes"] > 0
    assert sized["top"][0]["new_position"] == 1


def test_tuning_needs_decisions_then_fits_weights(db, runner):
    small_world()
    ops.recompute_suggestions(top_k=3)
    db.session.commit()
    result = runner.invoke(args=["tune-weights"])
    assert result.exit_code == 1 and "cannot tune yet" in result.output
    rows = db.session.scalars(select(Suggestion).order_by(Suggestion.id)).all()
    for s in rows:  # staff approve pairs with shared themes and reject the others
        s.cuf_decision = "approve" if s.score_themes > 0.3 else "reject"
    db.session.commit()
    scores, labels, _ = ops.decided_pairs()
    assert sum(labels) >= 2 and len(labels) - sum(labels) >= 2
    report = ops.tune_weights_from_decisions(cv=2)
    assert set(report.new_weights) == set(ops.DIMENSIONS)
    assert abs(sum(report.new_weights.values()) - 1) < 1e-6
    result = runner.invoke(args=["tune-weights", "--cv", "2"])
    assert result.exit_code == 0, result.output
    assert "old weights" in result.output and "new weights" in result.output and "nothing applied" in result.output
    assert db.session.get(Setting, ops.WEIGHTS_KEY) is None  # not applied without --apply


def test_export_suggestions_csv_and_jsonl(db, runner, tmp_path):
    small_world()
    result = runner.invoke(args=["match", "--top", "2"])
    assert result.exit_code == 0 and "suggestions" in result.output
    out = io.BytesIO()
    count = export_suggestions("csv", out, lang="ko")
    rows = list(csv.DictReader(io.StringIO(out.getvalue().decode("utf-8-sig"))))
    assert count == len(rows) > 0
    top = rows[0]
    assert top["fr_name"] and top["kr_name_local"] in {"구로구", "순천시", "전라남도"}
    assert float(top["total"]) >= float(rows[-1]["total"])
    assert top["rank_for_fr"] and top["reasons"] and json.loads(top["reasons_data"])
    target = tmp_path / "s.jsonl"
    result = runner.invoke(args=["export", "suggestions", "--format", "jsonl", "--output", str(target)])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == count and {"themes", "complementarity", "sectors", "size", "text"} <= set(lines[0])


def test_the_first_responses_of_one_country_get_no_suggestions_and_no_error(db):
    issy = submitted("Issy-les-Moulineaux", "FR", "commune", 68000, {"smart_city": (3, "offer")}, code="92040")
    db.session.commit()
    run = ops.rescore_response(issy.id)
    assert run.status == "done" and run.counts["suggestions"] == 0
    run = ops.recompute_suggestions()
    assert run.status == "done" and run.counts["suggestions"] == 0
    guro = submitted("Guro-gu", "KR", "gu", 400000, {"smart_city": (3, "seek")}, code="11530")
    db.session.commit()
    assert ops.rescore_response(guro.id).counts["suggestions"] == 1
