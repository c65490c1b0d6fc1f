"""Every page of the questionnaire passes axe-core's WCAG 2.1 A and AA rules, in French and Korean, with and
without validation errors (axe-core is pinned by tests/a11y/package-lock.json)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.questionnaire.conftest import fr_record
from tests.questionnaire.webflow import fill_questionnaire

AXE = Path(__file__).resolve().parent.parent / "a11y" / "node_modules" / "axe-core" / "axe.min.js"
STEPS = ("identity", "contact", "themes", "partners", "presentation", "review")

pytestmark = pytest.mark.browser


def violations(page) -> list[dict]:
    """axe-core's WCAG 2.1 A/AA violations of the current page (run through the DevTools protocol, so the
    page's Content-Security-Policy, which forbids inline script, stays in force)."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `make a11y-deps` (npm ci in tests/a11y)")
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    return [
        {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]} for v in result["violations"]
    ]


def test_axe_really_runs_and_reports(browser):
    page = browser.new_page()
    page.set_content(
        '<!doctype html><html lang="fr"><title>t</title><body><main><img src="x.png"></main></body></html>'
    )
    assert "image-alt" in {v["id"] for v in violations(page)}


@pytest.mark.parametrize("lang, width", [("fr", 1280), ("ko", 1280), ("ko", 390)])
def test_every_step_and_the_error_state_pass_axe(live_server, browser, lang, width):
    page = browser.new_page()
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server}/{lang}/questionnaire/")
    found = {"start": violations(page)}
    for step in STEPS:
        page.goto(f"{live_server}/questionnaire/{step}")
        found[step] = violations(page)
    page.goto(f"{live_server}/questionnaire/identity")
    page.fill("#population", "many")
    page.locator("#population").press("Enter")
    page.wait_for_selector("#error-summary")
    found["identity with errors"] = violations(page)
    page.goto(f"{live_server}/questionnaire/review")
    page.get_by_role("button", name="Envoyer mes réponses" if lang == "fr" else "응답 제출하기").click()
    page.wait_for_selector("#error-summary")
    found["review with errors"] = violations(page)
    assert {k: v for k, v in found.items() if v} == {}, json.dumps(found, ensure_ascii=False, indent=1)


def test_confirmation_and_staff_pages_pass_axe(live_server, browser, app, staff_user, db):
    from sqlalchemy import select

    from matchmaker.models import OutboxMessage
    from tests.questionnaire.webflow import link_token

    fill_questionnaire(app.test_client(), fr_record())
    token = link_token(db.session.scalar(select(OutboxMessage)).body_text)
    db.session.rollback()
    found = {}
    respondent = browser.new_page()
    respondent.goto(f"{live_server}/fr/r/{token}")
    found["review of a submitted response"] = violations(respondent)
    respondent.get_by_role("button", name="Envoyer mes réponses").click()
    respondent.wait_for_selector(".confirmation")
    found["confirmation"] = violations(respondent)
    page = browser.new_page()
    page.goto(f"{live_server}/staff/login")
    page.fill("#email", "reviewer@cuf.example.org")
    page.fill("#password", "correct-horse-battery")
    page.locator("#password").press("Enter")
    page.wait_for_load_state("domcontentloaded")
    page.goto(f"{live_server}/staff/responses")
    found["list"] = violations(page)
    page.locator("table.responses a").first.click()
    page.wait_for_load_state("domcontentloaded")
    found["detail"] = violations(page)
    assert {k: v for k, v in found.items() if v} == {}, json.dumps(found, ensure_ascii=False, indent=1)
