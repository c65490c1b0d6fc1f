"""From mutual interest to a confirmed first call in a real browser: both sides pick slots through the links
of the emails delivered to a real SMTP server; the confirmation carries an invitation that icalendar reads back
with the confirmed instant. Screenshots of the pages and emails (French and Korean) are written to
``$MATCHMAKER_SCREENSHOTS`` when it is set."""

import os
import re
from pathlib import Path

import icalendar
import pytest
from sqlalchemy import select

from matchmaker.models import FirstCall
from tests.followup.helpers import make_mutual
from tests.review import factories as f

pytestmark = pytest.mark.browser


@pytest.fixture
def app(make_app, smtp_server):
    return make_app(**smtp_server.app_config())


@pytest.fixture
def shots(tmp_path):
    folder = Path(os.environ.get("MATCHMAKER_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)

    def shoot(page, name):
        page.screenshot(path=str(folder / f"{name}.png"), full_page=True)

    return shoot


def deliver(app):
    with app.app_context():
        from matchmaker.mail.delivery import deliver_outbox

        return deliver_outbox()


def mails_to(smtp_server, address, subject_part):
    return [m for m in smtp_server.messages if m.rcpt_tos == [address] and subject_part in m.message["Subject"]]


def html_of(mail):
    return mail.message.get_body(preferencelist=("html",)).get_content()


def test_pair_goes_from_mutual_interest_to_a_confirmed_call(app, live_server, smtp_server, browser, shots):
    with app.app_context():
        from matchmaker.extensions import db

        pair_id = make_mutual()
        garok = f.staff("GAROK", language="ko").email
        db.session.commit()
        slots = [
            s.starts_at for s in db.session.scalar(select(FirstCall).where(FirstCall.suggestion_id == pair_id)).slots
        ]
    assert len(slots) == 3
    deliver(app)
    fr_mail = mails_to(smtp_server, "relations@issy.example.fr", "Premier appel avec")[0]
    kr_mail = mails_to(smtp_server, "intl@guro.example.kr", "첫 통화")[0]
    link = re.compile(r'href="(http://127\.0\.0\.1:\d+/call/[^"]+)"')
    fr_link, kr_link = link.search(html_of(fr_mail)).group(1), link.search(html_of(kr_mail)).group(1)

    page = browser.new_page()
    page.set_content(html_of(fr_mail))
    shots(page, "email-call-proposal-fr")
    page.set_content(html_of(kr_mail))
    shots(page, "email-call-proposal-ko")

    # The French side can do the second and third times.
    page.goto(fr_link.replace("&amp;", "&"))
    boxes = page.locator("input[name=slot]")
    assert boxes.count() == 3 and "(heure de Paris)" in page.inner_text(".call-form")
    shots(page, "page-call-fr")
    boxes.nth(1).check()
    boxes.nth(2).check()
    page.click("button[type=submit]")
    page.wait_for_selector("text=Votre choix est enregistré")

    # The Korean side sees what France can do, and accepts the first and third: the third is confirmed.
    browser.clear_cookies()
    page.goto(kr_link.replace("&amp;", "&"))
    assert page.locator("html").get_attribute("lang") == "ko"
    assert page.locator(".badge-green").count() == 2 and "(서울 시간)" in page.inner_text(".call-form")
    shots(page, "page-call-ko")
    page.locator("input[name=slot]").nth(0).check()
    page.locator("input[name=slot]").nth(2).check()
    page.click("button[type=submit]")
    page.wait_for_selector(".flash-success")
    assert "확정" in page.inner_text(".flash-success")
    shots(page, "page-call-confirmed-ko")

    deliver(app)
    for address, subject in (("relations@issy.example.fr", "confirmé"), ("intl@guro.example.kr", "확정")):
        confirmed = mails_to(smtp_server, address, subject)
        assert len(confirmed) == 1, [m.message["Subject"] for m in smtp_server.messages]
        parts = [p for p in confirmed[0].message.iter_attachments() if p.get_content_type() == "text/calendar"]
        assert len(parts) == 1 and parts[0].get_filename() == "invitation.ics"
        event = icalendar.Calendar.from_ical(parts[0].get_content()).walk("VEVENT")[0]
        assert event.decoded("dtstart") == slots[2]
        assert "heure de Paris" in str(event["description"]) or "서울 시간" in str(event["description"])
        viewer = browser.new_page()  # a blank page: the app's Content-Security-Policy would block the inline styles
        viewer.set_content(html_of(confirmed[0]))
        shots(viewer, f"email-call-confirmed-{'fr' if address.endswith('.fr') else 'ko'}")
        viewer.close()

    # GAROK staff see the confirmed call on the pair page and add the meeting link.
    browser.clear_cookies()
    page.goto(f"{live_server}/staff/login")
    page.fill("#email", garok)
    page.fill("#password", f.PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{live_server}/staff/pairs/{pair_id}")
    section = page.locator("section.first-call")
    assert "확정" in section.inner_text()
    page.fill("#call-link", "https://visio.example.org/issy-guro")
    page.fill("#call-note", "통역: 김 선생님 (GAROK)")
    page.click("section.first-call button[type=submit]")
    page.wait_for_selector(".flash-success")
    assert page.locator("#call-link").input_value() == "https://visio.example.org/issy-guro"
    shots(page, "page-pair-first-call-ko")
    deliver(app)
    updates = mails_to(smtp_server, "relations@issy.example.fr", "informations pratiques")
    assert len(updates) == 1 and "https://visio.example.org/issy-guro" in html_of(updates[0])
