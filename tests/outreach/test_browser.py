"""A whole campaign in a real browser against the real SMTP server: staff start it from the page, one
collectivité answers through its invitation, one unsubscribes, one address is refused (550), one only opens
the link, one starts a draft; ten days later staff send the reminders: those who have not answered get exactly
one; the campaign page shows every state."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from matchmaker.mail.delivery import deliver_outbox
from matchmaker.models import Collectivite, Invitation
from tests.outreach.helpers import csv_of
from tests.review.factories import PASSWORD, staff

pytestmark = pytest.mark.browser

MORNING = datetime(2027, 3, 2, 9, 0, tzinfo=timezone.utc)
ADDRESSES = {
    "35238": "mairie@rennes.example.fr",  # answers through its invitation
    "35288": "jumelages@saint-malo.example.fr",  # unsubscribes
    "56121": "contact@lorient.example.fr",  # refused by the server: bounced
    "56260": "europe@vannes.example.fr",  # opens the link only
    "29232": "international@quimper.example.fr",  # starts a draft
    "29019": "international@brest.example.fr",  # does nothing
}


def mails_to(smtp_server, address: str) -> list:
    return [m.message for m in smtp_server.messages if address in m.rcpt_tos]


def plain_link(message, pattern: str) -> str:
    found = re.search(pattern, message.get_body(("plain",)).get_content())
    assert found, message.get_body(("plain",)).get_content()
    return found.group(0)


def next_step(page: Page, field: str) -> None:
    page.locator(field).press("Enter")
    page.wait_for_load_state("domcontentloaded")


def test_a_campaign_from_invitation_to_reminders(live_server, browser, db, smtp_server, time_machine, tmp_path):
    time_machine.move_to(MORNING, tick=False)
    smtp_server.refused_addresses.add("contact@lorient.example.fr")
    email = staff("CUF", language="fr").email
    db.session.commit()

    desk = browser.new_page()
    desk.goto(f"{live_server}/staff/login")
    desk.fill("#email", email)
    desk.fill("#password", PASSWORD)
    desk.locator("#password").press("Enter")
    desk.wait_for_load_state("domcontentloaded")
    desk.get_by_role("link", name="Campagnes").click()
    expect(desk.get_by_role("heading", level=1)).to_have_text("Campagnes d’invitation")
    desk.fill("#c-name", "Bretagne 2027")
    desk.fill("#c-addresses", csv_of(ADDRESSES))
    desk.fill("#c-reminder_after_days", "10")
    desk.get_by_role("button", name="Envoyer les invitations").click()
    expect(desk.get_by_role("heading", level=1)).to_have_text("Bretagne 2027")
    expect(desk.locator(".flash")).to_contain_text("6 invitations")

    report = deliver_outbox()
    db.session.rollback()  # the live server writes next: hold no transaction here
    assert (report.sent, report.failed) == (5, 1)

    # Rennes answers through its invitation: the identity is already there
    rennes = browser.new_page()
    rennes.goto(plain_link(mails_to(smtp_server, "mairie@rennes.example.fr")[0], r"http://\S+/fr/invitation/\S+"))
    expect(rennes.locator("h1")).to_contain_text("Rennes")
    rennes.get_by_role("button", name="Commencer le questionnaire").click()
    expect(rennes.locator("#name")).to_have_value("Rennes")
    expect(rennes.locator("#code")).to_have_value("35238")
    expect(rennes.locator("#level")).to_have_value("commune")
    next_step(rennes, "#region")
    expect(rennes.locator("#contact_email")).to_have_value("mairie@rennes.example.fr")
    rennes.fill("#contact_name", "Anne Le Gall")
    for box in ("#consent_contact", "#consent_share"):
        rennes.locator(box).check()
    next_step(rennes, "#contact_name")
    rennes.locator("#theme-culture_heritage-priority-3").check()
    rennes.locator("#theme-culture_heritage-stance-offer").check()
    for _ in range(3):
        rennes.get_by_role("button", name="Suivant", exact=True).last.click()
    rennes.get_by_role("button", name="Envoyer mes réponses").click()
    expect(rennes.locator("h1")).to_contain_text("Merci")

    # Saint-Malo unsubscribes from the link of its invitation
    malo = browser.new_page()
    malo.goto(plain_link(mails_to(smtp_server, "jumelages@saint-malo.example.fr")[0], r"http://\S+/unsubscribe/\S+"))
    malo.get_by_role("button", name="Se désinscrire").click()
    expect(malo.locator("h1")).to_contain_text("désinscrit")

    # Vannes only opens the link; Quimper moves past the identity step (a draft is saved)
    vannes = browser.new_page()
    vannes.goto(plain_link(mails_to(smtp_server, "europe@vannes.example.fr")[0], r"http://\S+/fr/invitation/\S+"))
    vannes.get_by_role("button", name="Commencer le questionnaire").click()
    expect(vannes.locator("#name")).to_have_value("Vannes")
    quimper = browser.new_page()
    quimper.goto(
        plain_link(mails_to(smtp_server, "international@quimper.example.fr")[0], r"http://\S+/fr/invitation/\S+")
    )
    quimper.get_by_role("button", name="Commencer le questionnaire").click()
    next_step(quimper, "#region")
    expect(quimper.locator("#contact_email")).to_be_visible()

    # ten days later, staff send the reminders that are due
    time_machine.move_to(MORNING + timedelta(days=10, hours=1), tick=False)
    desk.reload()
    desk.get_by_role("button", name="Envoyer les relances dues maintenant").click()
    expect(desk.locator(".flash")).to_contain_text("3 relances")
    desk.get_by_role("button", name="Envoyer les relances dues maintenant").click()
    expect(desk.locator(".flash")).to_contain_text("Aucune relance")
    deliver_outbox()
    db.session.rollback()

    def reminders(address: str) -> int:
        return sum(1 for m in mails_to(smtp_server, address) if m["Subject"].startswith("Relance"))

    assert {address: reminders(address) for address in ADDRESSES.values()} == {
        "mairie@rennes.example.fr": 0,
        "jumelages@saint-malo.example.fr": 0,
        "contact@lorient.example.fr": 0,
        "europe@vannes.example.fr": 1,
        "international@quimper.example.fr": 1,
        "international@brest.example.fr": 1,
    }
    assert mails_to(smtp_server, "contact@lorient.example.fr") == []

    desk.reload()
    expected = {
        "Rennes": "submitted",
        "Saint-Malo": "unsubscribed",
        "Lorient": "bounced",
        "Vannes": "opened",
        "Quimper": "draft",
        "Brest": "invited",
    }
    for name, state in expected.items():
        row = desk.locator("table.invitations tbody tr", has_text=name)
        expect(row.locator(f'[data-state="{state}"]')).to_be_visible()
    expect(desk.locator("table.invitations tbody tr", has_text="Brest").locator("td").last).to_have_text("1")
    expect(desk.locator('[data-count="submitted"]')).to_have_text("1")
    expect(desk.locator("svg.rate-chart")).to_be_visible()
    desk.screenshot(path=str(tmp_path / "campaign.png"), full_page=True)

    db.session.rollback()
    rennes_row = db.session.scalar(select(Collectivite).where(Collectivite.code == "35238"))
    assert rennes_row.response.status == "submitted" and rennes_row.response.contact_name == "Anne Le Gall"
    assert db.session.scalar(select(Invitation).where(Invitation.code == "35238")).response_id == rennes_row.response.id


def test_the_partnerships_map_in_a_browser(live_server, browser, db, tmp_path):
    from matchmaker.outreach.partnerships import import_partnerships
    from matchmaker.paths import DATA_DIR

    import_partnerships((DATA_DIR / "partnerships" / "known_fr_kr.csv").read_text(encoding="utf-8"))
    email = staff("GAROK", language="ko").email
    db.session.commit()
    page = browser.new_page()
    page.goto(f"{live_server}/staff/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.locator("#password").press("Enter")
    page.wait_for_load_state("domcontentloaded")
    page.get_by_role("link", name="협력 관계").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("알려진 한국·프랑스 협력 관계")
    svg = page.locator("svg.partnership-map")
    expect(svg).to_be_visible()
    expect(svg.locator("path.partnership-line")).to_have_count(18)
    box = svg.bounding_box()
    assert box["width"] > 600 and box["height"] > 300
    page.screenshot(path=str(tmp_path / "partnerships-page.png"), full_page=True)
    svg.screenshot(path=str(tmp_path / "partnerships-map.png"))
    page.select_option("#p-level", "arrondissement")
    page.get_by_role("button", name="적용").click()
    expect(svg.locator("path.partnership-line")).to_have_count(2)
    expect(page.locator("table.partnerships tbody tr")).to_have_count(2)
