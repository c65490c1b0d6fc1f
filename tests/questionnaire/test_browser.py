"""The whole questionnaire in a real browser (Chromium, headless), in Korean and in French, with the keyboard:
autocomplete, a validation error that is then corrected, submission; then the rows in the database and
the response in staff's list, seen through the browser after logging in."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from matchmaker.models import Collectivite, OutboxMessage, ResponseVersion
from tests.questionnaire.conftest import STAFF_PASSWORD

pytestmark = pytest.mark.browser


def choose_from_autocomplete(page: Page, typed: str, wanted: str) -> None:
    """Type in the name field and pick a suggestion with the arrow keys and Enter."""
    name = page.locator("#name")
    name.focus()
    name.press_sequentially(typed, delay=30)
    listbox = page.get_by_role("listbox")
    expect(listbox).to_be_visible()
    options = listbox.get_by_role("option")
    expect(options.first).to_be_visible()
    texts = options.all_inner_texts()
    index = next(i for i, text in enumerate(texts) if wanted in text)
    for _ in range(index + 1):
        name.press("ArrowDown")
    expect(name).to_have_attribute("aria-activedescendant", re.compile(r"name-listbox-\d+"))
    name.press("Enter")
    expect(listbox).to_be_hidden()


def tick(page: Page, selector: str) -> None:
    """Tick a radio button or checkbox with the keyboard (focus, then Space)."""
    box = page.locator(selector)
    box.focus()
    box.press("Space")
    expect(box).to_be_checked()


def next_step(page: Page, field: str) -> None:
    """Submit the step by pressing Enter in a text field (the form's default action is "Next")."""
    page.locator(field).press("Enter")
    page.wait_for_load_state("domcontentloaded")


def log_in_and_find(page: Page, base: str, name: str, country: str, shots) -> None:
    """Log in as staff, open the list of responses, filter by country and find the response."""
    page.goto(f"{base}/staff/login")
    page.fill("#email", "reviewer@cuf.example.org")
    page.fill("#password", STAFF_PASSWORD)
    page.locator("#password").press("Enter")
    page.wait_for_load_state("domcontentloaded")
    page.goto(f"{base}/staff/responses")
    page.select_option("#f-country", country)
    page.get_by_role("button", name=re.compile("Filtrer|Filter|적용")).click()
    row = page.locator("table.responses tbody tr", has_text=name)
    expect(row).to_have_count(1)
    shots("staff-list")
    row.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)
    shots("staff-detail")


def watch_errors(page: Page) -> list[str]:
    """Collect script errors and console errors (CSP refusals included) of a page."""
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(f"page error: {exc}"))
    page.on(
        "console",
        lambda msg: (
            errors.append(f"console: {msg.text}")
            if msg.type == "error" and "Failed to load resource" not in msg.text
            else None
        ),
    )
    return errors


@pytest.fixture
def shots(tmp_path):
    """Take full-page screenshots into the test's folder (looked at by people, not asserted)."""
    pages = {}

    def take(name: str) -> None:
        pages["page"].screenshot(
            path=str(tmp_path / f"{len(list(tmp_path.glob('*.png'))):02d}-{name}.png"), full_page=True
        )

    take.pages = pages
    return take


def test_korean_respondent_fills_the_whole_form_with_the_keyboard(live_server, browser, db, staff_user, shots):
    page = browser.new_page()
    errors = watch_errors(page)
    shots.pages["page"] = page
    page.goto(f"{live_server}/ko/questionnaire/")
    expect(page.locator("html")).to_have_attribute("lang", "ko")
    page.get_by_role("link", name="시작하기").click()

    tick(page, "#country-KR")
    choose_from_autocomplete(page, "구로", "구로구")
    expect(page.locator("#code")).to_have_value("11530")
    expect(page.locator("#level")).to_have_value("gu")
    expect(page.locator("#name_local")).to_have_value("구로구")
    assert int(page.locator("#population").input_value()) > 100000
    page.fill("#population", "415005")
    shots("identity")
    next_step(page, "#region")

    expect(page.locator("h2.step-title")).to_have_text("담당자 및 동의")
    page.fill("#contact_name", "김민지")
    page.fill("#contact_role", "국제교류 담당관")
    page.fill("#contact_email", "intl@guro.example.kr")
    tick(page, "#language-ko")
    tick(page, "#consent_contact")  # consent to share left unticked: a validation error
    next_step(page, "#contact_email")

    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("상대 국가 협회")
    expect(page.locator("#consent_share")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#contact_name")).to_have_value("김민지")  # nothing typed was lost
    shots("contact-error")
    tick(page, "#consent_share")
    next_step(page, "#contact_email")

    expect(page.locator("#private-link")).to_contain_text("/ko/r/")
    tick(page, "#theme-smart_city-priority-2")
    tick(page, "#theme-smart_city-stance-seek")
    tick(page, "#theme-youth_education-priority-3")
    tick(page, "#theme-youth_education-stance-both")
    shots("themes")
    page.get_by_role("button", name="다음", exact=True).last.click()

    tick(page, "#sectors-digital_ict")
    tick(page, "#partner_levels-commune")
    tick(page, "#cooperation_kinds-friendship_pact")
    tick(page, "#working_languages-en")
    expect(page.locator("#partner_levels-gu")).to_have_count(0)  # only the other country's levels
    page.get_by_role("button", name="다음", exact=True).last.click()

    page.fill("#existing_partners", "FR:92040")
    page.fill("#description", "구로구는 서울 서남부의 디지털 산업 중심지로, 청소년 교류와 스마트시티 협력을 원합니다.")
    expect(page.locator("#description-counter")).to_contain_text("4000")
    page.get_by_role("button", name="다음", exact=True).last.click()

    expect(page.locator(".answers").first).to_contain_text("구로구")
    shots("review")
    submit = page.get_by_role("button", name="응답 제출하기")
    submit.focus()
    submit.press("Enter")
    expect(page.locator("h1")).to_contain_text("감사합니다")
    shots("done")
    assert errors == []

    db.session.rollback()
    guro = db.session.scalar(select(Collectivite).where(Collectivite.code == "11530"))
    answer = guro.response
    assert answer.status == "submitted" and answer.version == 1 and answer.language == "ko"
    assert {(t.theme_code, t.priority, t.stance) for t in answer.themes} == {
        ("smart_city", 2, "seek"),
        ("youth_education", 3, "both"),
    }
    assert answer.partner_levels == ["commune"] and answer.existing_partners == ["FR:92040"]
    assert answer.consent_contact and answer.consent_share
    assert db.session.scalar(select(ResponseVersion.source)) == "web"
    mail = db.session.scalar(select(OutboxMessage))
    assert mail.recipient == "intl@guro.example.kr" and mail.language == "ko"
    db.session.rollback()

    staff = browser.new_page()
    shots.pages["page"] = staff
    log_in_and_find(staff, live_server, "Guro-gu", "KR", shots)
    expect(staff.locator("main")).to_contain_text("구로구")


def test_french_respondent_fills_the_whole_form_and_fixes_an_error(live_server, browser, db, staff_user, shots):
    page = browser.new_page()
    errors = watch_errors(page)
    shots.pages["page"] = page
    page.goto(f"{live_server}/fr/questionnaire/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    page.get_by_role("link", name="Commencer").click()

    tick(page, "#country-FR")
    choose_from_autocomplete(page, "issy-les", "Issy-les-Moulineaux")
    expect(page.locator("#code")).to_have_value("92040")
    expect(page.locator("#level")).to_have_value("commune")
    expect(page.locator("#region")).to_have_value("Île-de-France")
    page.fill("#population", "soixante-huit mille")  # not a number: a validation error
    next_step(page, "#population")

    expect(page.locator("#error-summary")).to_be_focused()
    expect(page.locator("#population-error")).to_contain_text("nombre entier positif")
    expect(page.locator("#population")).to_have_value("soixante-huit mille")
    expect(page.locator("#code")).to_have_value("92040")
    shots("identity-error")
    page.locator("#error-summary a").first.click()
    expect(page.locator("#population")).to_be_focused()
    page.fill("#population", "67 669")
    next_step(page, "#population")

    page.fill("#contact_name", "Claire Fontaine")
    page.fill("#contact_email", "international@issy.example.org")
    tick(page, "#consent_contact")
    tick(page, "#consent_share")
    next_step(page, "#contact_email")

    tick(page, "#theme-smart_city-priority-3")
    tick(page, "#theme-smart_city-stance-offer")
    tick(page, "#theme-tourism-priority-1")
    tick(page, "#theme-tourism-stance-seek")
    page.get_by_role("button", name="Suivant", exact=True).last.click()

    tick(page, "#sectors-digital_ict")
    tick(page, "#partner_levels-gu")
    tick(page, "#partner_levels-si")
    tick(page, "#cooperation_kinds-twinning")
    page.get_by_role("button", name="Suivant", exact=True).last.click()

    page.fill("#description", "Ville du numérique aux portes de Paris, pionnière de la ville intelligente.")
    page.get_by_role("button", name="Suivant", exact=True).last.click()
    expect(page.locator(".answers").first).to_contain_text("67 669")
    page.get_by_role("button", name="Envoyer mes réponses").click()
    expect(page.locator("h1")).to_contain_text("Merci")
    link = page.locator(".private-link a").inner_text()
    assert "/fr/r/" in link
    shots("done")
    assert errors == []

    db.session.rollback()
    issy = db.session.scalar(select(Collectivite).where(Collectivite.code == "92040"))
    assert issy.population == 67669 and issy.level == "commune" and issy.region == "Île-de-France"
    assert issy.response.status == "submitted" and sorted(issy.response.partner_levels) == ["gu", "si"]
    assert issy.response.versions[0].answers["themes"] == {
        "smart_city": {"priority": 3, "stance": "offer"},
        "tourism": {"priority": 1, "stance": "seek"},
    }
    db.session.rollback()

    staff = browser.new_page()
    shots.pages["page"] = staff
    log_in_and_find(staff, live_server, "Issy-les-Moulineaux", "FR", shots)
