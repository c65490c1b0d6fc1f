"""Review operations: decisions for one's own association only, introductions under the exposure cap with
emails in each recipient's language, single-use answers, outcomes."""

from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from matchmaker.clock import today, utcnow
from matchmaker.models import AccessToken, Introduction, OutboxMessage, Outcome, ReviewDecision, Suggestion
from matchmaker.review import operations as ops
from matchmaker.tokens import TokenError
from tests.review import factories as f


def answer_token(message: OutboxMessage) -> str:
    """The raw token in the 'interested' link of an introduction email."""
    for word in message.body_text.split():
        if "/answer/" in word and "choice=interested" in word:
            return urlsplit(word).path.rsplit("/", 1)[1]
    raise AssertionError("no answer link in the email")


def emails(db, suggestion_id):
    rows = db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.key.like(f"introduction:{suggestion_id}:%"))
        .order_by(OutboxMessage.key)
    ).all()
    return {row.key.rsplit(":", 1)[1]: row for row in rows}


def approve_both(db, s, cuf=None, garok=None):
    ops.decide(s, cuf or f.staff("CUF"), "approve")
    ops.decide(s, garok or f.staff("GAROK"), "approve")
    db.session.commit()


def test_each_association_sets_only_its_own_decision_and_every_decision_is_recorded(db):
    issy, guro = f.issy_and_guro()
    s = f.suggestion(issy, guro)
    cuf, garok = f.staff("CUF"), f.staff("GAROK")
    ops.decide(s, cuf, "approve", note="Bonne piste")
    db.session.commit()
    assert (s.cuf_decision, s.garok_decision, s.state) == ("approve", None, "suggested")
    ops.decide(s, garok, "approve")
    db.session.commit()
    assert (s.cuf_decision, s.garok_decision) == ("approve", "approve")
    trail = db.session.scalars(select(ReviewDecision).order_by(ReviewDecision.id)).all()
    assert [(d.org, d.decision, d.user_id, d.note) for d in trail] == [
        ("CUF", "approve", cuf.id, "Bonne piste"),
        ("GAROK", "approve", garok.id, None),
    ]
    assert all(d.created_at is not None and d.created_at <= utcnow() for d in trail)


def test_a_garok_reviewer_can_never_write_the_cuf_decision(db):
    issy, guro = f.issy_and_guro()
    s = f.suggestion(issy, guro)
    garok_admin = f.staff("GAROK", "admin")
    ops.decide(s, garok_admin, "reject")
    db.session.commit()
    assert s.cuf_decision is None and s.garok_decision == "reject"
    assert db.session.scalar(select(ReviewDecision.org)) == "GAROK"


def test_a_rejection_by_either_association_closes_the_pair_for_good(db):
    issy, guro = f.issy_and_guro()
    s = f.suggestion(issy, guro)
    ops.decide(s, f.staff("CUF"), "approve")
    ops.decide(s, f.staff("GAROK"), "reject", note="Déjà partenaires d'une autre ville")
    db.session.commit()
    assert s.state == "rejected"
    with pytest.raises(ops.ReviewError) as err:
        ops.decide(s, f.staff("CUF"), "approve")
    assert err.value.reason == "closed"
    assert db.session.scalar(select(func.count()).select_from(Introduction)) == 0


def test_repeating_the_same_decision_changes_nothing(db):
    issy, guro = f.issy_and_guro()
    s = f.suggestion(issy, guro)
    cuf = f.staff("CUF")
    assert ops.decide(s, cuf, "approve") is not None
    assert ops.decide(s, cuf, "approve") is None
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(ReviewDecision)) == 1


def test_an_inactive_account_or_a_bad_decision_is_refused(db):
    issy, guro = f.issy_and_guro()
    s = f.suggestion(issy, guro)
    user = f.staff("CUF")
    with pytest.raises(ops.ReviewError):
        ops.decide(s, user, "maybe")
    user.active = False
    with pytest.raises(ops.ReviewError) as err:
        ops.decide(s, user, "approve")
    assert err.value.reason == "forbidden"


def test_approval_by_both_introduces_the_pair_with_one_email_per_side_in_its_language(db):
    issy, guro = f.issy_and_guro()
    s = f.suggestion(issy, guro, themes=("smart_city",))
    approve_both(db, s)
    assert s.state == "introduced"
    intro = db.session.scalar(select(Introduction).where(Introduction.suggestion_id == s.id))
    assert intro is not None and intro.closed_at is None
    tokens = db.session.scalars(select(AccessToken).where(AccessToken.suggestion_id == s.id)).all()
    assert sorted(t.side for t in tokens) == ["FR", "KR"] and all(t.purpose == "answer" for t in tokens)
    ttl = tokens[0].expires_at - tokens[0].created_at
    assert timedelta(days=59) < ttl <= timedelta(days=60, seconds=5)

    mails = emails(db, s.id)
    assert set(mails) == {"FR", "KR"}
    fr, kr = mails["FR"], mails["KR"]
    assert fr.recipient == "relations@issy.example.fr" and fr.language == "fr" and fr.kind == "introduction"
    assert kr.recipient == "intl@guro.example.kr" and kr.language == "ko"
    # Each recipient reads about the partner, with the reasons, in its own language.
    assert "구로구" in fr.subject or "Guro-gu" in fr.subject
    assert "Issy-les-Moulineaux" in kr.subject
    assert "propose" in fr.body_text and "ville intelligente" in fr.body_text.lower()
    assert "스마트시티" in kr.body_text and "제공" in kr.body_text
    assert "un partenariat entre Issy-les-Moulineaux et Guro-gu (구로구)." in fr.body_text
    assert "구로구와 Issy-les-Moulineaux의 교류 협력을 제안합니다" in kr.body_text
    assert "Contact Issy-les-Moulineaux" in fr.headers["To"] and "<relations@issy.example.fr>" in fr.headers["To"]
    assert "Bonjour Contact Issy-les-Moulineaux," in fr.body_text
    for mail in (fr, kr):
        assert "choice=interested" in mail.body_text and "choice=not_interested" in mail.body_text
        assert "choice=interested" in mail.body_html
    assert answer_token(fr) != answer_token(kr)


def test_introduction_and_its_emails_are_one_transaction(db):
    issy, guro = f.issy_and_guro()
    s = f.suggestion(issy, guro)
    ops.decide(s, f.staff("CUF"), "approve")
    db.session.commit()
    ops.decide(s, f.staff("GAROK"), "approve")
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0
    assert db.session.scalar(select(func.count()).select_from(Introduction)) == 0
    assert db.session.get(Suggestion, s.id).state == "suggested"


def test_exposure_cap_holds_back_pairs_until_an_introduction_closes(make_app):
    app = make_app(EXPOSURE_CAP=1)
    with app.app_context():
        from matchmaker.extensions import db

        issy, guro = f.issy_and_guro()
        busan = f.collectivite("Busan", "KR", "metropolitan_city", name_local="부산광역시", region="부산광역시")
        best = f.suggestion(issy, guro, score=0.9)
        second = f.suggestion(issy, busan, score=0.8)
        cuf, garok = f.staff("CUF"), f.staff("GAROK")
        approve_both(db, second, cuf, garok)
        assert second.state == "introduced"
        approve_both(db, best, cuf, garok)
        # Issy already has one open introduction: the better pair waits, approved.
        assert best.state == "approved"
        report = ops.introduce_ready_pairs()
        assert report.introduced == [] and report.waiting_for_cap == [best.id]
        # Busan's side declines: the slot frees and the waiting pair is introduced at once.
        result = ops.answer(answer_token(emails(db, second.id)["KR"]), "not_interested")
        db.session.commit()
        assert result.state == "declined"
        assert db.session.get(Suggestion, best.id).state == "introduced"
        assert set(emails(db, best.id)) == {"FR", "KR"}
        db.session.rollback()


def test_introductions_follow_score_order_under_the_cap(make_app):
    app = make_app(EXPOSURE_CAP=1)
    with app.app_context():
        from matchmaker.extensions import db

        issy, guro = f.issy_and_guro()
        busan = f.collectivite("Busan", "KR", "metropolitan_city", name_local="부산광역시")
        low = f.suggestion(issy, busan, score=0.5, state="approved", cuf_decision="approve", garok_decision="approve")
        high = f.suggestion(issy, guro, score=0.9, state="approved", cuf_decision="approve", garok_decision="approve")
        report = ops.introduce_ready_pairs()
        db.session.commit()
        assert report.introduced == [high.id] and report.waiting_for_cap == [low.id]
        assert (high.state, low.state) == ("introduced", "approved")
        db.session.rollback()


def test_a_pair_without_consent_to_contact_stays_approved(db):
    issy, _ = f.issy_and_guro()
    shy = f.collectivite("Mokpo-si", "KR", "si", name_local="목포시", consent_contact=False)
    s = f.suggestion(issy, shy)
    approve_both(db, s)
    assert s.state == "approved"
    assert ops.introduce_ready_pairs().unreachable == [s.id]
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_both_interested_makes_a_mutual_match(db):
    issy, guro = f.issy_and_guro()
    s = f.suggestion(issy, guro)
    approve_both(db, s)
    mails = emails(db, s.id)
    first = ops.answer(answer_token(mails["FR"]), "interested")
    db.session.commit()
    assert first.state == "introduced" and first.side == "FR"
    second = ops.answer(answer_token(mails["KR"]), "interested")
    db.session.commit()
    assert second.state == "mutual"
    intro = db.session.scalar(select(Introduction))
    assert (intro.fr_answer, intro.kr_answer) == ("interested", "interested") and intro.closed_at is not None


def test_a_mutual_match_gives_each_side_the_other_contact_in_its_own_language(db):
    issy, guro = f.issy_and_guro()
    s = f.suggestion(issy, guro)
    approve_both(db, s)
    mails = emails(db, s.id)
    ops.answer(answer_token(mails["FR"]), "interested")
    db.session.commit()
    assert (
        db.session.scalar(select(func.count()).select_from(OutboxMessage).where(OutboxMessage.kind == "mutual_match"))
        == 0
    )
    ops.answer(answer_token(mails["KR"]), "interested")
    db.session.commit()
    mutual = {
        m.key.rsplit(":", 1)[1]: m
        for m in db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "mutual_match"))
    }
    assert set(mutual) == {"FR", "KR"}
    to_issy, to_guro = mutual["FR"], mutual["KR"]
    assert to_issy.recipient == "relations@issy.example.fr" and to_guro.recipient == "intl@guro.example.kr"
    assert "intl@guro.example.kr" in to_issy.body_text and "Bonne nouvelle" in to_issy.body_text
    assert "relations@issy.example.fr" in to_guro.body_text and "반가운 소식" in to_guro.body_text
    assert "Issy-les-Moulineaux" in to_guro.subject and "Guro-gu" in to_issy.subject


def test_an_answer_link_works_once(db):
    issy, guro = f.issy_and_guro()
    s = f.suggestion(issy, guro)
    approve_both(db, s)
    token = answer_token(emails(db, s.id)["FR"])
    ops.answer(token, "interested")
    db.session.commit()
    with pytest.raises(TokenError) as err:
        ops.answer(token, "not_interested")
    assert err.value.reason == "used"
    db.session.rollback()
    assert db.session.get(Suggestion, s.id).state == "introduced"


def test_a_side_answers_once_even_with_a_second_link(db):
    from matchmaker.tokens import issue_token

    issy, guro = f.issy_and_guro()
    s = f.suggestion(issy, guro)
    approve_both(db, s)
    ops.answer(answer_token(emails(db, s.id)["FR"]), "interested")
    db.session.commit()
    again = issue_token("answer", timedelta(days=1), suggestion_id=s.id, side="FR")  # e.g. from a later digest
    db.session.commit()
    with pytest.raises(TokenError) as err:
        ops.answer(again, "not_interested")
    assert err.value.reason == "used"
    db.session.rollback()
    assert db.session.get(Suggestion, s.id).state == "introduced"


def test_one_not_interested_closes_the_pair_and_revokes_the_other_link(db):
    issy, guro = f.issy_and_guro()
    s = f.suggestion(issy, guro)
    approve_both(db, s)
    mails = emails(db, s.id)
    ops.answer(answer_token(mails["KR"]), "not_interested")
    db.session.commit()
    assert s.state == "declined"
    with pytest.raises(TokenError) as err:
        ops.answer(answer_token(mails["FR"]), "interested")
    assert err.value.reason == "revoked"


def test_a_bad_choice_or_a_foreign_token_is_refused(db):
    issy, guro = f.issy_and_guro()
    s = f.suggestion(issy, guro)
    approve_both(db, s)
    token = answer_token(emails(db, s.id)["FR"])
    with pytest.raises(ops.ReviewError):
        ops.answer(token, "maybe")
    from matchmaker.tokens import issue_token

    edit = issue_token("edit", timedelta(days=1), response_id=issy.response.id)
    db.session.commit()
    with pytest.raises(TokenError) as err:
        ops.answer(edit, "interested")
    assert err.value.reason == "unknown"


def test_unanswered_introductions_close_when_their_links_expire(db):
    issy, guro = f.issy_and_guro()
    s = f.suggestion(issy, guro)
    approve_both(db, s)
    intro = db.session.scalar(select(Introduction))
    intro.created_at = utcnow() - timedelta(days=61)
    db.session.commit()
    assert ops.close_expired_introductions() == 1
    db.session.commit()
    assert intro.closed_at is not None
    assert ops.open_introduction_counts() == {}


def test_outcomes_need_an_introduction_and_the_latest_by_date_wins(db):
    issy, guro = f.issy_and_guro()
    s = f.suggestion(issy, guro)
    user = f.staff("CUF")
    with pytest.raises(ops.ReviewError) as err:
        ops.record_outcome(s, user, "meeting", today())
    assert err.value.reason == "not_introduced"
    approve_both(db, s)
    ops.record_outcome(s, user, "agreement", date(2026, 10, 1), "Signée à Séoul")
    ops.record_outcome(s, user, "meeting", date(2026, 3, 2))  # recorded later, happened earlier
    db.session.commit()
    assert s.outcome == "agreement"
    assert db.session.scalar(select(func.count()).select_from(Outcome)) == 2
    with pytest.raises(ops.ReviewError) as err:
        ops.record_outcome(s, user, "meeting", today() + timedelta(days=5))
    assert err.value.reason == "bad_date"
    with pytest.raises(ops.ReviewError):
        ops.record_outcome(s, user, "party", today())


def test_notes_must_say_something(db):
    issy, guro = f.issy_and_guro()
    s = f.suggestion(issy, guro)
    with pytest.raises(ops.ReviewError):
        ops.add_note(s, f.staff("GAROK"), "   ")
    note = ops.add_note(s, f.staff("GAROK"), "  구로구 담당자와 통화함  ")
    db.session.commit()
    assert note.text == "구로구 담당자와 통화함"


def test_the_introduce_command_runs_the_introductions(app, runner):
    with app.app_context():
        from matchmaker.extensions import db

        issy, guro = f.issy_and_guro()
        f.suggestion(issy, guro, state="approved", cuf_decision="approve", garok_decision="approve")
        db.session.commit()
    result = runner.invoke(args=["review", "introduce"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("1 pairs introduced")
    with app.app_context():
        from matchmaker.extensions import db

        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 2


def test_the_export_commands_write_csv_and_xlsx(app, runner, tmp_path):
    from openpyxl import load_workbook

    with app.app_context():
        from matchmaker.extensions import db

        issy, guro = f.issy_and_guro()
        f.suggestion(issy, guro)
        db.session.commit()
    result = runner.invoke(args=["export", "pairs", "--state", "suggested"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("\ufeffpair_id,state,") and "구로구" in result.output
    target = tmp_path / "outcomes.xlsx"
    result = runner.invoke(args=["export", "outcomes", "--format", "xlsx", "--output", str(target)])
    assert result.exit_code == 0, result.output
    assert [c.value for c in load_workbook(target).active[1]][:3] == ["pair_id", "fr_name", "fr_name_local"]


def test_rejected_and_declined_pairs_are_never_suggested_again(db):
    from matchmaker.suggestions.operations import recompute_suggestions

    issy, guro = f.issy_and_guro()
    lyon = f.collectivite(
        "Lyon", "FR", "metropole", population=520_000, themes={"smart_city": (3, "offer"), "mobility": (3, "offer")}
    )
    busan = f.collectivite(
        "Busan",
        "KR",
        "metropolitan_city",
        name_local="부산광역시",
        population=3_300_000,
        themes={"smart_city": (2, "seek"), "mobility": (3, "seek")},
    )
    recompute_suggestions(top_k=2)
    db.session.commit()
    pairs = {(s.fr_id, s.kr_id): s for s in db.session.scalars(select(Suggestion))}
    assert len(pairs) == 4
    rejected = pairs[(issy.id, guro.id)]
    ops.decide(rejected, f.staff("GAROK"), "reject", note="Déjà en contact")
    declined = pairs[(lyon.id, busan.id)]
    approve_both(db, declined)
    ops.answer(answer_token(emails(db, declined.id)["KR"]), "not_interested")
    db.session.commit()
    recompute_suggestions(top_k=2)
    db.session.commit()
    db.session.expire_all()
    after = {(s.fr_id, s.kr_id): s.state for s in db.session.scalars(select(Suggestion))}
    # both closed pairs are kept with their history, and nothing reopened them
    assert after[(issy.id, guro.id)] == "rejected" and after[(lyon.id, busan.id)] == "declined"
    assert db.session.scalar(select(func.count()).select_from(ReviewDecision)) == 3


def test_simultaneous_approvals_by_both_associations_introduce_the_pair_once(make_app):
    import threading

    from matchmaker.models import StaffUser

    app = make_app()
    with app.app_context():
        from matchmaker.extensions import db

        issy, guro = f.issy_and_guro()
        pair_id = f.suggestion(issy, guro).id
        user_ids = [f.staff("CUF").id, f.staff("GAROK").id]
        db.session.commit()
    barrier = threading.Barrier(2)
    errors = []

    def approve(user_id):
        with app.app_context():
            from matchmaker.extensions import db

            try:
                barrier.wait(timeout=10)
                user = db.session.get(StaffUser, user_id)
                ops.decide(db.session.get(Suggestion, pair_id), user, "approve")
                db.session.commit()
            except Exception as exc:  # reported below: the test must see every failure
                errors.append(exc)
                db.session.rollback()

    threads = [threading.Thread(target=approve, args=(uid,)) for uid in user_ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    with app.app_context():
        from matchmaker.extensions import db

        s = db.session.get(Suggestion, pair_id)
        assert (s.cuf_decision, s.garok_decision, s.state) == ("approve", "approve", "introduced")
        assert db.session.scalar(select(func.count()).select_from(Introduction)) == 1
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 2
