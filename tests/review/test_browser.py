"""The whole review flow in a real browser (Chromium driven by Playwright) against the app served over HTTP,
with the introduction emails delivered to a real SMTP server."""

import re

import pytest
from sqlalchemy import select

from matchmaker.models import Suggestion
from tests.review import factories as f

pytestmark = pytest.mark.browser


@pytest.fixture
def app(make_app, smtp_server):
    """The app sends its mail to the test's SMTP server."""
    return make_app(**smtp_server.app_config())


def log_in(page, base, email):
    page.goto(f"{base}/staff/pairs")
    assert "/staff/login" in page.url  # staff pages need a login
    page.fill("#email", email)
    page.fill("#password", f.PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/staff/pairs"))


def plain_text(received) -> str:
    return received.message.get_body(preferencelist=("plain",)).get_content()


def test_cuf_and_garok_approve_and_both_collectivites_say_interested(app, live_server, smtp_server, browser):
    with app.app_context():
        from matchmaker.extensions import db

        issy, guro = f.issy_and_guro()
        lyon = f.collectivite("Lyon", "FR", "metropole", region="Auvergne-Rhône-Alpes")
        busan = f.collectivite("Busan", "KR", "metropolitan_city", name_local="부산광역시", region="부산광역시")
        pair_id = f.suggestion(issy, guro, 0.64, themes=("smart_city", "youth_education")).id
        f.suggestion(lyon, busan, 0.93, themes=("mobility",))
        f.suggestion(lyon, guro, 0.71, themes=("culture_heritage",))
        cuf = f.staff("CUF", language="fr").email
        garok = f.staff("GAROK", language="ko").email
        db.session.commit()

    page = browser.new_page()
    # CUF reviewer: filter, open the pair, approve it.
    log_in(page, live_server, cuf)
    assert page.locator("table.pairs tbody tr").count() == 3
    page.select_option("#f-theme", "smart_city")
    page.click("text=Appliquer les filtres")
    page.wait_for_url(re.compile(r"theme=smart_city"))
    rows = page.locator("table.pairs tbody tr")
    assert rows.count() == 1 and "Issy-les-Moulineaux" in rows.first.inner_text()
    rows.first.locator("td.score a").click()
    page.wait_for_url(re.compile(rf"/staff/pairs/{pair_id}"))
    assert "Pourquoi cette paire" in page.content()
    page.click("button[value=approve]")
    page.wait_for_selector(".flash-success")
    assert "Vous avez approuvé cette paire au nom de CUF" in page.inner_text(".flashes")

    # GAROK reviewer, in Korean: approve the same pair.
    browser.clear_cookies()
    log_in(page, live_server, garok)
    assert page.locator("html").get_attribute("lang") == "ko"
    page.goto(f"{live_server}/staff/pairs/{pair_id}")
    assert "추천 이유" in page.content()
    page.click("button[value=approve]")
    page.wait_for_selector(".flash-success")
    assert "소개됨" in page.inner_text(".pair-status")

    # The outbox is delivered to the SMTP server: one email per collectivité, each in its language.
    with app.app_context():
        from matchmaker.mail.delivery import deliver_outbox

        report = deliver_outbox()
    assert report.sent == 2, report
    by_rcpt = {m.rcpt_tos[0]: m for m in smtp_server.messages}
    assert set(by_rcpt) == {"relations@issy.example.fr", "intl@guro.example.kr"}
    fr_mail, kr_mail = by_rcpt["relations@issy.example.fr"], by_rcpt["intl@guro.example.kr"]
    assert "Proposition de partenariat" in fr_mail.message["Subject"]
    assert "교류 협력 제안" in kr_mail.message["Subject"] and "Issy-les-Moulineaux" in kr_mail.message["Subject"]

    def interested_link(mail):
        link = re.search(r"(http://127\.0\.0\.1:\d+/answer/\S+choice=interested\S*)", plain_text(mail)).group(1)
        assert link.startswith(live_server)
        return link

    # Each collectivité opens its "interested" link (a confirmation page) and confirms.
    browser.clear_cookies()
    page.goto(interested_link(fr_mail))
    assert "Guro-gu" in page.content() or "구로구" in page.content()
    page.click("button[value=interested]")
    page.wait_for_selector("text=Merci pour votre réponse")
    browser.clear_cookies()
    page.goto(interested_link(kr_mail))
    page.click("button[value=interested]")
    page.wait_for_selector("text=두 지방자치단체 모두 관심을 보였습니다")

    # Staff see the mutual match.
    browser.clear_cookies()
    log_in(page, live_server, cuf)
    page.goto(f"{live_server}/staff/pairs?state=mutual")
    rows = page.locator("table.pairs tbody tr")
    assert rows.count() == 1 and "Intérêt mutuel" in rows.first.inner_text()
    page.goto(f"{live_server}/staff/pairs/{pair_id}")
    assert "Intérêt mutuel" in page.inner_text(".pair-status")
    with app.app_context():
        from matchmaker.extensions import db

        assert db.session.scalar(select(Suggestion.state).where(Suggestion.id == pair_id)) == "mutual"
