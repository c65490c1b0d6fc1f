"""Surveys in a real browser: the Korean and French sides answer through the links delivered to a real SMTP
server, once; staff see both answers on the pair page, confirm one as the outcome, and see self-reported and
staff-recorded outcomes side by side on the dashboard; the follow-up page lists introductions about to expire.
Screenshots (pages and emails, French and Korean) go to ``$MATCHMAKER_SCREENSHOTS`` when it is set."""

import os
import re
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from matchmaker.models import OutboxMessage, Suggestion, SurveyAnswer, utcnow
from tests.followup.helpers import make_mutual
from tests.mail import factories as mf
from tests.review import factories as f

pytestmark = pytest.mark.browser


@pytest.fixture
def app(make_app, smtp_server):
    return make_app(**smtp_server.app_config())


@pytest.fixture
def shoot(browser, tmp_path):
    folder = Path(os.environ.get("MATCHMAKER_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)

    def page_shot(page, name):
        page.screenshot(path=str(folder / f"{name}.png"), full_page=True)

    def email_shot(html, name):
        viewer = browser.new_page()  # blank: the app's Content-Security-Policy would block the inline styles
        viewer.set_content(html)
        page_shot(viewer, name)
        viewer.close()

    page_shot.email = email_shot
    return page_shot


def html_of(mail):
    return mail.message.get_body(preferencelist=("html",)).get_content()


def log_in(page, base, email):
    page.goto(f"{base}/staff/login")
    page.fill("#email", email)
    page.fill("#password", f.PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/staff/"))


def test_both_sides_answer_the_survey_once_and_staff_confirm_the_outcome(app, live_server, smtp_server, browser, shoot):
    from matchmaker.followup.introductions import expire_unanswered, remind_unanswered
    from matchmaker.followup.surveys import send_due_surveys
    from matchmaker.mail.delivery import deliver_outbox

    with app.app_context():
        from matchmaker.extensions import db

        pair_id = make_mutual()
        send_due_surveys(now=utcnow() + timedelta(days=31))
        # Another pair introduced 25 days ago, answered by Lyon only: about to expire, reminded once.
        lyon = mf.collectivite("Lyon", "FR", email="international@lyon.example.fr", contact_name="Paul Girard")
        busan = mf.collectivite(
            "Busan", "KR", name_local="부산광역시", email="intl@busan.example.kr", contact_name="이서연"
        )
        stale = mf.pair(lyon, busan, 0.8)
        stale_id = stale.id
        mf.introduce(stale, created_at=utcnow() - timedelta(days=25), fr_answer="interested", fr_answered_at=utcnow())
        remind_unanswered()
        cuf, garok = f.staff("CUF", language="fr").email, f.staff("GAROK", language="ko").email
        db.session.commit()
        deliver_outbox()
    surveys = {m.rcpt_tos[0]: m for m in smtp_server.messages if "/survey/" in html_of(m)}
    assert set(surveys) == {"relations@issy.example.fr", "intl@guro.example.kr"}
    shoot.email(html_of(surveys["intl@guro.example.kr"]), "email-survey-ko")
    shoot.email(html_of(surveys["relations@issy.example.fr"]), "email-survey-fr")
    reminder = next(m for m in smtp_server.messages if m.rcpt_tos == ["intl@busan.example.kr"])
    assert "Lyon" in reminder.message["Subject"]
    shoot.email(html_of(reminder), "email-introduction-reminder-ko")
    link = re.compile(r'href="(http://127\.0\.0\.1:\d+/survey/[^"]+)"')

    page = browser.new_page()
    # Korean side: "we stopped" needs a reason; then it is recorded once.
    kr_link = link.search(html_of(surveys["intl@guro.example.kr"])).group(1).replace("&amp;", "&")
    page.goto(kr_link)
    assert page.locator("html").get_attribute("lang") == "ko" and "교류는 어떻게 되었나요" in page.inner_text("h1")
    page.check("#answer-stopped")
    page.click("button[type=submit]")
    assert "이유를 알려 주세요" in page.inner_text(".error-summary")
    shoot(page, "page-survey-error-ko")
    page.select_option("#stop-reason", "language")
    page.fill("#survey-note", "통역 지원이 있으면 다시 시도하고 싶습니다.")
    page.click("button[type=submit]")
    page.wait_for_selector("text=감사합니다")
    assert page.goto(kr_link).status == 410
    shoot(page, "page-survey-used-ko")

    # French side: "we met".
    browser.clear_cookies()
    page.goto(link.search(html_of(surveys["relations@issy.example.fr"])).group(1).replace("&amp;", "&"))
    shoot(page, "page-survey-fr")
    page.check("#answer-met")
    page.click("button[type=submit]")
    page.wait_for_selector("text=Merci pour votre réponse")

    # CUF staff: both answers on the pair page; confirm the French one as the outcome.
    browser.clear_cookies()
    log_in(page, live_server, cuf)
    page.goto(f"{live_server}/staff/pairs/{pair_id}")
    section = page.locator("section.surveys")
    assert "Nous nous sommes rencontrés" in section.inner_text() and "La langue ou la distance" in section.inner_text()
    section.locator("button[type=submit]").first.click()
    page.wait_for_selector(".flash-success")
    shoot(page, "page-pair-surveys-fr")
    page.goto(f"{live_server}/staff/dashboard")
    row = page.locator("table.self-reported tr", has_text="Nous nous sommes rencontrés")
    assert row.locator("td").all_inner_texts() == ["1", "1"]
    page.locator("table.self-reported").scroll_into_view_if_needed()
    shoot(page, "page-dashboard-fr")
    with app.app_context():
        from matchmaker.extensions import db

        assert db.session.get(Suggestion, pair_id).outcome == "meeting"
        assert db.session.scalar(select(SurveyAnswer.stop_reason).where(SurveyAnswer.side == "KR")) == "language"

    # GAROK staff, in Korean: the follow-up page lists the introduction about to expire.
    browser.clear_cookies()
    log_in(page, live_server, garok)
    page.goto(f"{live_server}/staff/follow-up")
    expiring = page.locator("table.expiring tbody tr")
    assert expiring.count() == 1 and "부산광역시" in expiring.inner_text() and "5일 남음" in expiring.inner_text()
    shoot(page, "page-follow-up-ko")

    # Five days later it expires: Lyon, which had said "interested", is told kindly (in French).
    with app.app_context():
        from matchmaker.extensions import db

        report = expire_unanswered(now=utcnow() + timedelta(days=5, hours=1))
        db.session.commit()
        assert report.expired == [stale_id] and report.told == 1
        told = db.session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "introduction_expired"))
        assert told.recipient == "international@lyon.example.fr"
        shoot.email(told.body_html, "email-introduction-expired-fr")
