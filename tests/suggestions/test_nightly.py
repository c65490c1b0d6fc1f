"""The nightly recompute: incremental, full and the plain reference path leave the same suggestions.

A world of about two thousand responses (themes, sectors, presentations drawn at random from the taxonomy) is
written in bulk; staff act on some pairs, respondents change some answers, and after each round the suggestions,
ranks, reasons, common themes and history left by an incremental run are compared with those of a full run and of
the reference path of ``tests/suggestions/reference.py``.
"""

import json
import random

import pytest
from sqlalchemy import delete, insert, select, update

from matchmaker.matching.features import FR_LEVELS, KR_LEVELS
from matchmaker.matching.text import search_key
from matchmaker.models import Collectivite, MatchRun, PairNote, Response, Suggestion, ThemeInterest, utcnow
from matchmaker.suggestions import operations as ops
from matchmaker.suggestions.profiles import taxonomy
from matchmaker.vocabulary import STANCES
from tests.suggestions.reference import reference_recompute

N_FR, N_KR, TOP_K = 1200, 100, 3


def _answers(rng: random.Random, country: str) -> dict:
    tax = taxonomy()
    themes = rng.sample(tax["themes"], rng.randint(0, 4))
    sectors = [s["code"] for s in rng.sample(tax["sectors"], rng.randint(0, 3))]
    language = "fr" if country == "FR" else rng.choice(("ko", "ko", "en"))
    words = [rng.choice(t["keywords"][language]) for t in rng.sample(tax["themes"], 2) if t["keywords"].get(language)]
    filler = {
        "fr": "notre collectivité souhaite coopérer avec des partenaires",
        "en": "our city wishes to cooperate",
        "ko": "우리 지방정부는 프랑스와 협력하고자 합니다",
    }[language]
    return {
        "themes": {t["code"]: (rng.randint(1, 3), rng.choice(STANCES)) for t in themes},
        "sectors": sectors,
        "language": language,
        "description": f"{filler} {' '.join(words)}" if rng.random() < 0.8 else "",
    }


def _world(db, rng: random.Random) -> list[int]:
    """Write N_FR French and N_KR Korean submitted responses in bulk; returns the response ids."""
    now = utcnow()
    people = [("FR", rng.choice(FR_LEVELS), n) for n in range(N_FR)] + [
        ("KR", rng.choice(KR_LEVELS), n) for n in range(N_KR)
    ]
    cids = db.session.scalars(
        insert(Collectivite).returning(Collectivite.id, sort_by_parameter_order=True),
        [
            {
                "country": c,
                "level": level,
                "code": f"{c}{n}",
                "name": f"{c} place {n}",
                "name_local": f"{c} place {n}",
                "name_key": search_key(f"{c} place {n}"),
                "population": rng.choice([None, rng.randint(800, 3_000_000)]),
            }
            for c, level, n in people
        ],
    ).all()
    answers = [_answers(rng, c) for c, _, _ in people]
    rids = db.session.scalars(
        insert(Response).returning(Response.id, sort_by_parameter_order=True),
        [
            {
                "collectivite_id": cid,
                "status": "submitted",
                "language": a["language"],
                "sectors": a["sectors"],
                "description": a["description"],
                "contact_email": f"c{cid}@example.org",
                "consent_contact": True,
                "consent_share": True,
                "submitted_at": now,
                "version": 1,
            }
            for cid, a in zip(cids, answers)
        ],
    ).all()
    _set_themes(db, dict(zip(rids, (a["themes"] for a in answers))))
    return rids


def _set_themes(db, themes_by_response: dict[int, dict]) -> None:
    """Replace the themes of the given responses."""
    db.session.execute(delete(ThemeInterest).where(ThemeInterest.response_id.in_(list(themes_by_response))))
    rows = [
        {"response_id": rid, "theme_code": code, "priority": p, "stance": s}
        for rid, themes in themes_by_response.items()
        for code, (p, s) in themes.items()
    ]
    if rows:
        db.session.execute(insert(ThemeInterest), rows)


def _snapshot(db) -> dict:
    """Everything a run leaves, by pair: row id, scores, ranks, reasons, state, decisions, common themes."""
    db.session.flush()  # what the run set on its run record, before the objects are read afresh
    db.session.expire_all()
    return {
        (s.fr_id, s.kr_id): (
            s.id,
            s.score_total,
            s.score_themes,
            s.score_complementarity,
            s.score_sectors,
            s.score_size,
            s.score_text,
            s.rank_fr,
            s.rank_kr,
            json.dumps(s.reasons, sort_keys=True),
            s.is_current,
            s.state,
            s.cuf_decision,
            s.garok_decision,
            list(s.theme_codes),
        )
        for s in db.session.scalars(select(Suggestion))
    }


def _check_round(db, expected_mode: str) -> MatchRun:
    """Incremental, then full, then the reference: each leaves exactly what the one before left."""
    incremental = ops.recompute_suggestions(top_k=TOP_K)
    assert incremental.params["mode"] == expected_mode
    after_incremental = _snapshot(db)
    full = ops.recompute_suggestions(top_k=TOP_K, full=True)
    assert full.params["mode"] == "full"
    assert {k: full.counts[k] for k in ("inserted", "updated", "deleted", "retired")} == {
        "inserted": 0,
        "updated": 0,
        "deleted": 0,
        "retired": 0,
    }
    assert _snapshot(db) == after_incremental
    reference_recompute(TOP_K)
    assert _snapshot(db) == after_incremental
    return incremental


def test_incremental_full_and_reference_recomputes_leave_the_same_suggestions(db):
    rng = random.Random(18)
    rids = _world(db, rng)
    first = ops.recompute_suggestions(top_k=TOP_K)
    assert first.params["mode"] == "full" and first.params["full_because"] == "first run"
    assert first.counts["inserted"] == first.counts["suggestions"] > N_FR * TOP_K
    before = _snapshot(db)
    reference_recompute(TOP_K)
    assert _snapshot(db) == before

    # staff act on pairs; respondents change their themes and sectors (nothing the fit learns from everyone)
    rows = db.session.scalars(select(Suggestion).order_by(Suggestion.id).limit(40)).all()
    for s in rows[:10]:
        s.cuf_decision, s.state = "reject", "rejected"
    for s in rows[10:20]:
        s.cuf_decision = "approve"
    db.session.add_all(PairNote(suggestion_id=s.id, text="called them") for s in rows[20:30])
    changed = rng.sample(rids, 60)
    _set_themes(db, {rid: _answers(rng, "FR")["themes"] for rid in changed})
    db.session.execute(update(Response).where(Response.id.in_(changed[:30])).values(sectors=["hydrogen", "robotics"]))
    db.session.flush()
    run = _check_round(db, "incremental")
    # the engine kept from the first run was refreshed (the changed responses only), the full run fitted a new one
    assert run.counts["engine"] == "refreshed"
    assert db.session.scalars(select(MatchRun).order_by(MatchRun.id.desc())).first().counts["engine"] == "fitted"
    assert 0 < run.counts["explained"] < run.counts["suggestions"] / 2
    assert 30 <= run.counts["changed_responses"] <= 60  # a few drew the answers they had
    assert run.counts["retired"] >= 10  # the rejected pairs stay, out of the lists, with their decision
    rejected = {s.id for s in rows[:10]}
    kept = db.session.scalars(select(Suggestion).where(Suggestion.id.in_(rejected))).all()
    assert len(kept) == 10 and all(s.state == "rejected" and not s.is_current for s in kept)

    # presentations change and one response is withdrawn: the TF-IDF weights move for everyone
    edited = rng.sample(rids, 20)
    for rid in edited:
        db.session.execute(
            update(Response)
            .where(Response.id == rid)
            .values(description=_answers(rng, "FR")["description"] + " jumelage")
        )
    db.session.execute(update(Response).where(Response.id == rids[-1]).values(status="draft"))
    db.session.flush()
    run = _check_round(db, "full")
    assert run.params["full_because"].startswith("responses added, withdrawn")
    assert run.counts["engine"] == "fitted"

    # nothing changed: nothing is explained or written
    again = ops.recompute_suggestions(top_k=TOP_K)
    assert again.params["mode"] == "incremental" and again.counts["explained"] == 0
    assert again.counts["engine"] == "kept"
    assert again.counts["inserted"] == again.counts["updated"] == again.counts["deleted"] == 0


def test_new_weights_explain_every_pair_again(db):
    from tests.suggestions.factories import small_world

    small_world()
    ops.recompute_suggestions(top_k=2)
    ops.apply_weights({"themes": 1, "complementarity": 0, "sectors": 0, "size": 0, "text": 0})
    run = ops.recompute_suggestions(top_k=2)
    assert run.params["mode"] == "full" and run.params["full_because"] == "settings"
    after = _snapshot(db)
    reference_recompute(2)
    assert _snapshot(db) == after
    # with only themes weighed, no reason of another dimension is given
    assert all(r["code"] == "shared_themes" for s in db.session.scalars(select(Suggestion)) for r in s.reasons)


def test_a_failure_while_writing_reaches_the_caller_and_nothing_is_written(db, monkeypatch):
    """On PostgreSQL the leaving pairs are removed and the blocks copied by a writer thread: what fails there is
    raised in the run's own thread, and the transaction is rolled back as a whole."""
    from matchmaker.suggestions import recompute

    rng = random.Random(5)
    _world(db, rng)
    ops.recompute_suggestions(top_k=TOP_K)
    db.session.commit()
    before = _snapshot(db)
    copies = []

    def failing_copy(self, rows):
        copies.append(len(rows))
        if len(copies) == 2:  # the leaving pairs went through; the first block of new rows fails
            raise RuntimeError("disk full")
        return original(self, rows)

    original = recompute._Stage._copy
    monkeypatch.setattr(recompute._Stage, "_copy", failing_copy)
    with pytest.raises(RuntimeError, match="disk full"):
        ops.recompute_suggestions(top_k=TOP_K + 1, full=True)
    db.session.rollback()
    assert len(copies) == 2
    assert _snapshot(db) == before
