"""Switching the interface language in the middle of a step keeps every answer typed (a real browser)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def switch_to(page, code: str) -> None:
    """Click the header's language link and wait for the page in that language."""
    page.locator(f".lang-switch a[hreflang={code}]").click()
    expect(page.locator("html")).to_have_attribute("lang", code)


def test_switching_language_mid_form_keeps_every_field(live_server, browser):
    page = browser.new_page()
    page.goto(f"{live_server}/fr/questionnaire/")
    page.goto(f"{live_server}/questionnaire/identity")
    page.locator("#country-FR").check()
    page.fill("#name", "Commune de Bascule")
    page.keyboard.press("Escape")
    page.select_option("#level", "commune")
    page.fill("#code", "99999")
    page.fill("#population", "4321")
    page.fill("#region", "Bretagne")
    switch_to(page, "ko")  # typed, never saved by the page: the switch saves it
    expect(page.locator("#country-FR")).to_be_checked()
    expect(page.locator("#name")).to_have_value("Commune de Bascule")
    expect(page.locator("#level")).to_have_value("commune")
    expect(page.locator("#code")).to_have_value("99999")
    expect(page.locator("#population")).to_have_value("4321")
    expect(page.locator("#region")).to_have_value("Bretagne")
    page.get_by_role("button", name="다음", exact=True).last.click()

    page.fill("#contact_name", "Lou Bascule")
    page.fill("#contact_role", "Chargée de mission")
    page.fill("#contact_email", "lou@bascule.example.fr")
    page.locator("#consent_contact").check()
    switch_to(page, "en")
    expect(page.locator("#contact_name")).to_have_value("Lou Bascule")
    expect(page.locator("#contact_role")).to_have_value("Chargée de mission")
    expect(page.locator("#contact_email")).to_have_value("lou@bascule.example.fr")
    expect(page.locator("#consent_contact")).to_be_checked()
    switch_to(page, "fr")
    page.get_by_role("link", name="Votre collectivité").or_(
        page.get_by_role("button", name="Votre collectivité")
    ).first.click()
    expect(page.locator("#name")).to_have_value("Commune de Bascule")
    expect(page.locator("#population")).to_have_value("4321")
