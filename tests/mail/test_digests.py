"""Digests and reminders: who gets what, when (local hour, period), never empty, once per period, and links
that work."""

import re
import threading
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from matchmaker.mail.delivery import deliver_outbox
from matchmaker.mail.digests import build_digests
from matchmaker.models import AccessToken, JobRun, OutboxMessage, Response, Subscription, utcnow
from tests.mail import factories as f

PARIS, SEOUL = ZoneInfo("Europe/Paris"), ZoneInfo("Asia/Seoul")
#: Monday 23 November 2026 (ISO week 48).
MONDAY = datetime(2026, 11, 23)


def at(day: datetime, hour: int, minute: int = 5, tz=PARIS) -> datetime:
    """A moment of a local day, as an aware datetime."""
    return day.replace(hour=hour, minute=minute, tzinfo=tz)


def outbox(db, kind=None):
    db.session.expire_all()
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if kind:
        query = query.where(OutboxMessage.kind == kind)
    return db.session.scalars(query).all()


def paths(text: str, base: str = "http://localhost") -> list[str]:
    """Paths of the service's links found in an email body."""
    return [u[len(base) :] for u in re.findall(re.escape(base) + r"/[^\s\"<>]+", text)]


@pytest.fixture
def world(db):
    """Two reviewers (CUF in French, GAROK admin in Korean), pairs waiting, an introduction."""
    cuf = f.staff("CUF", name="Élodie Martin")
    garok = f.staff("GAROK", "admin", name="김민지")
    issy = f.collectivite(
        "Issy-les-Moulineaux",
        "FR",
        email="relations@issy.example.fr",
        contact_name="Élodie Lefèvre",
        frequency="weekly",
    )
    lyon = f.collectivite("Lyon", "FR", email="international@lyon.example.fr")
    guro = f.collectivite("Guro-gu", "KR", name_local="구로구", email="intl@guro.example.kr", contact_name="박서준")
    busan = f.collectivite("Busan", "KR", name_local="부산광역시", frequency="never")
    pairs = [f.pair(issy, busan, 0.91), f.pair(lyon, busan, 0.55, cuf_decision="approve")]
    introduced = f.pair(lyon, guro, 0.77)
    f.introduce(introduced, created_at=utcnow() - timedelta(days=3))
    db.session.commit()
    return {
        "cuf": cuf,
        "garok": garok,
        "issy": issy,
        "lyon": lyon,
        "guro": guro,
        "busan": busan,
        "pairs": pairs,
        "introduced": introduced,
    }


def test_each_digest_waits_for_eight_in_the_morning_local_time(db, world):
    # 07:30 in Paris is 15:30 in Seoul: only the Korean side's Monday has reached 08:00.
    build_digests(at(MONDAY, 7, 30))
    assert {m.recipient for m in outbox(db, "reviewer-digest")} == {world["garok"].email}
    build_digests(at(MONDAY, 8, 5))
    assert {m.recipient for m in outbox(db, "reviewer-digest")} == {world["cuf"].email, world["garok"].email}
    assert {m.key.rsplit(":", 1)[1] for m in outbox(db, "reviewer-digest")} == {"2026-W48"}


def test_reviewer_digest_content_in_the_reviewers_language(db, world):
    build_digests(at(MONDAY, 9))
    cuf = next(m for m in outbox(db) if m.recipient == world["cuf"].email)
    garok = next(m for m in outbox(db) if m.recipient == world["garok"].email)
    # CUF already approved Lyon–Busan: one pair waits for CUF, two for GAROK (plus the new responses).
    assert cuf.subject.startswith("1 paire attend votre décision")
    assert garok.subject.startswith("결정을 기다리는 매칭 2건")
    assert "Issy-les-Moulineaux – Busan" in cuf.body_text and "Lyon – Busan" not in cuf.body_text
    assert "Issy-les-Moulineaux – 부산광역시" in garok.body_text and "Lyon – 부산광역시" in garok.body_text
    assert "Bonjour Élodie Martin," in cuf.body_text and "김민지님, 안녕하십니까?" in garok.body_text
    # Failed emails are only for admins.
    assert "발송되지 못한" not in garok.body_text


def test_nothing_to_say_means_no_digest(db):
    f.staff("CUF")
    db.session.commit()
    report = build_digests(at(MONDAY, 9))
    assert report.queued == [] and outbox(db) == []


def test_once_per_period_also_when_built_again_or_late(db, world):
    build_digests(at(MONDAY, 9))
    first = len(outbox(db))
    f.pair(world["issy"], world["guro"], 0.6)
    db.session.commit()
    # Later the same week (news or not) nothing more; the groups are recorded as done for the week.
    report = build_digests(at(MONDAY + timedelta(days=2), 10))
    assert report.queued == [] and len(outbox(db)) == first
    assert db.session.scalar(select(func.count()).select_from(JobRun).where(JobRun.period_key == "2026-W48")) >= 2
    # The next week brings the next digest.
    build_digests(at(MONDAY + timedelta(days=7), 9))
    assert {m.key.rsplit(":", 1)[1] for m in outbox(db, "reviewer-digest")} == {"2026-W48", "2026-W49"}


def test_missed_monday_is_caught_up_once(db, world):
    """The scheduler was down all Monday: the first run on Tuesday builds the week's digests, the next ones nothing."""
    report = build_digests(at(MONDAY + timedelta(days=1), 14))
    assert len([q for q in report.queued if q["key"].startswith("review-digest")]) == 2
    assert build_digests(at(MONDAY + timedelta(days=1), 15)).queued == []


def test_partner_digest_monthly_with_working_answer_links(db, world, client):
    """Collectivités get their open introductions on the 1st of the month, with links to answer."""
    december = datetime(2026, 12, 1)
    build_digests(at(december, 9))
    partner = {m.recipient: m for m in outbox(db, "partner-digest")}
    # Lyon and Guro were introduced; Issy (weekly) has nothing to say; Busan chose "never".
    assert set(partner) == {"international@lyon.example.fr", "intl@guro.example.kr"}
    lyon, guro = partner["international@lyon.example.fr"], partner["intl@guro.example.kr"]
    assert lyon.key.endswith(":2026-12") and lyon.language == "fr" and guro.language == "ko"
    assert "Guro-gu (구로구)" in lyon.body_text and "Lyon" in guro.body_text
    assert guro.subject == "답변을 기다리는 파트너 제안 1건 · 2026년 12월"
    answer_paths = [p for p in paths(guro.body_text) if p.startswith("/answer/")]
    assert len(answer_paths) == 2
    page = client.get(answer_paths[0])
    assert page.status_code == 200 and "Lyon" in page.get_data(as_text=True)


def test_unsubscribed_recipients_get_no_digest(db, world, client):
    build_digests(at(MONDAY, 9))
    message = next(m for m in outbox(db) if m.recipient == world["cuf"].email)
    url = message.headers["List-Unsubscribe"].strip("<>")
    assert message.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    path = url[len("http://localhost") :]
    # Opening the link changes nothing; the one-click POST of a mail client (no session, no CSRF token) unsubscribes.
    assert client.get(path).status_code == 200
    assert (
        db.session.scalar(
            select(Subscription.unsubscribed_at).where(
                Subscription.kind == "reviewer_digest", Subscription.recipient.has(email=world["cuf"].email)
            )
        )
        is None
    )
    done = client.post(path, data="List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert done.status_code == 200
    build_digests(at(MONDAY + timedelta(days=7), 9))
    recipients = {m.recipient for m in outbox(db, "reviewer-digest") if m.key.endswith("2026-W49")}
    assert world["cuf"].email not in recipients and world["garok"].email in recipients


def test_dry_run_writes_nothing(db, world):
    report = build_digests(at(MONDAY, 9), dry_run=True)
    assert len(report.queued) >= 2
    assert outbox(db) == []
    assert db.session.scalar(select(func.count()).select_from(JobRun)) == 0
    assert db.session.scalar(select(func.count()).select_from(AccessToken)) == 0


def test_two_builders_at_once_queue_one_digest_per_recipient_and_period(app, world):
    """Two schedulers started by mistake run the build at the same moment."""
    from matchmaker.extensions import db

    errors, barrier = [], threading.Barrier(2)

    def build():
        try:
            with app.app_context():
                barrier.wait()
                build_digests(at(MONDAY, 9))
                db.session.remove()
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=build) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    keys = [m.key for m in outbox(db)]
    assert len(keys) == len(set(keys)) and any(k.startswith("review-digest:") for k in keys)


# --- reminders ----------------------------------------------------------------------------------------------


def draft(db, saved_days_ago: int, language="fr", country="FR", email="maire@petiteville.example.fr"):
    response = Response(
        status="draft",
        language=language,
        version=0,
        draft={
            "answers": {"name": "Petiteville", "country": country, "contact_name": "Jeanne Dupont"},
            "link_sent_to": email,
        },
        draft_saved_at=utcnow() - timedelta(days=saved_days_ago),
    )
    db.session.add(response)
    db.session.commit()
    return response


def test_one_reminder_per_unfinished_draft_with_a_link_that_resumes_it(db, client, time_machine):
    now = at(MONDAY, 10)
    time_machine.move_to(now, tick=False)
    recent, old = draft(db, 2, email="recent@example.fr"), draft(db, 10)
    build_digests(now)
    reminders = outbox(db, "draft-reminder")
    assert [m.key for m in reminders] == [f"draft-reminder:{old.id}"]
    assert "Petiteville" in reminders[0].subject and "Bonjour Jeanne Dupont," in reminders[0].body_text
    resume = next(p for p in paths(reminders[0].body_text) if "/r/" in p)
    opened = client.get(resume)
    assert opened.status_code == 302 and "/questionnaire/" in opened.headers["Location"]
    build_digests(now + timedelta(days=1))
    assert len(outbox(db, "draft-reminder")) == 1
    assert recent.id not in [int(m.key.split(":")[1]) for m in outbox(db, "draft-reminder")]


def test_reminders_wait_for_daytime_in_the_recipients_time_zone(db, time_machine):
    now = datetime(2026, 11, 24, 23, 0, tzinfo=timezone.utc)  # 08:00 in Seoul, midnight in Paris
    time_machine.move_to(now, tick=False)
    korean = draft(db, 10, language="ko", country="KR", email="gu@example.kr")
    build_digests(now)
    assert [m.key for m in outbox(db, "draft-reminder")] == [f"draft-reminder:{korean.id}"]


def test_reminders_are_not_sent_at_night(db, time_machine):
    now = datetime(2026, 11, 24, 15, 0, tzinfo=timezone.utc)  # midnight in Seoul
    time_machine.move_to(now, tick=False)
    draft(db, 10, language="ko", country="KR", email="gu@example.kr")
    build_digests(now)
    assert outbox(db, "draft-reminder") == []


def test_yearly_accuracy_check_with_one_click_confirmation(db, client, time_machine):
    time_machine.move_to(at(MONDAY, 11), tick=False)
    coll = f.collectivite(
        "Brest", "FR", email="jumelages@brest.example.fr", submitted_at=utcnow() - timedelta(days=400)
    )
    build_digests(at(MONDAY, 11))
    [check] = outbox(db, "accuracy-check")
    assert check.key == f"accuracy:{coll.response.id}:2026"
    assert check.subject == "Les réponses de Brest sont-elles toujours exactes\u00a0?"
    confirm = next(p for p in paths(check.body_text) if p.startswith("/still-accurate/"))
    page = client.get(confirm)
    assert page.status_code == 200
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True)).group(1)
    assert client.post(confirm, data={"csrf_token": token}).status_code == 200
    db.session.expire_all()
    assert db.session.get(Response, coll.response.id).confirmed_at is not None
    build_digests(at(MONDAY, 12) + timedelta(days=30))
    assert len(outbox(db, "accuracy-check")) == 1


def test_accuracy_check_after_local_elections(make_app):
    """Two weeks after a Korean local election, Korean responses confirmed before it are asked; French ones are not."""
    app = make_app(ELECTION_DATES_KR="2026-06-03", ELECTION_DATES_FR="2026-03-22")
    from matchmaker.extensions import db

    with app.app_context():
        kr = f.collectivite(
            "Mapo-gu", "KR", name_local="마포구", submitted_at=datetime(2026, 1, 10, tzinfo=timezone.utc)
        )
        fr = f.collectivite("Nantes", "FR", submitted_at=datetime(2026, 4, 1, tzinfo=timezone.utc))
        db.session.commit()
        build_digests(datetime(2026, 6, 10, 2, 0, tzinfo=timezone.utc))  # a week after: too early
        assert outbox(db, "accuracy-check") == []
        build_digests(datetime(2026, 6, 18, 2, 0, tzinfo=timezone.utc))  # 11:00 in Seoul
        [check] = outbox(db, "accuracy-check")
        assert check.key == f"accuracy:{kr.response.id}:election-2026-06-03"
        assert check.subject == "지방선거 이후: 마포구의 설문 응답이 지금도 정확합니까?"
        assert "2026년 6월 3일" in check.body_text
        build_digests(datetime(2026, 6, 25, 2, 0, tzinfo=timezone.utc))
        assert len(outbox(db, "accuracy-check")) == 1 and fr.response.id not in [
            int(m.key.split(":")[1]) for m in outbox(db, "accuracy-check")
        ]
        db.session.remove()


def test_digest_delivered_through_smtp_has_working_links(make_app, smtp_server):
    """The real message: List-Unsubscribe headers, both parts, and every link of the HTML part resolves."""
    app = make_app(**smtp_server.app_config())
    client = app.test_client()
    from matchmaker.extensions import db

    with app.app_context():
        lyon = f.collectivite("Lyon", "FR", email="international@lyon.example.fr", contact_name="Élodie Lefèvre")
        guro = f.collectivite("Guro-gu", "KR", name_local="구로구", email="intl@guro.example.kr", contact_name="박서준")
        f.introduce(f.pair(lyon, guro, 0.8))
        db.session.commit()
        build_digests(at(datetime(2026, 12, 1), 9))
        assert deliver_outbox().sent == 2
        db.session.remove()
    by_to = {m.rcpt_tos[0]: m.message for m in smtp_server.messages}
    msg = by_to["intl@guro.example.kr"]
    assert msg["To"].addresses[0].display_name == "박서준"
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert re.fullmatch(r"<http://localhost/unsubscribe/[^>]+>", msg["List-Unsubscribe"])
    text, html = (p.get_content() for p in msg.iter_parts())
    links = sorted(set(u.replace("&amp;", "&") for u in re.findall(r'href="(http://localhost/[^"]+)"', html)))
    assert len(links) == 3  # interested, not interested, unsubscribe
    for link in links:
        assert link in text
        response = client.get(link[len("http://localhost") :])
        assert response.status_code == 200, link
