"""Every public and staff page passes axe-core's WCAG 2.1 A and AA rules in French, Korean and English, with data
in every state (tests/a11y/pages.py); every GET route is either checked or excluded with a reason.

axe-core comes from the npm registry, pinned by tests/a11y/package-lock.json (``make a11y-deps``). It is run
with ``page.evaluate``, which the pages' Content-Security-Policy (no inline script) does not block.
"""

from __future__ import annotations

import json

import pytest

from tests.a11y.pages import (
    EXCLUDED,
    FORBIDDEN,
    LANGS,
    PUBLIC,
    STAFF,
    VISITS,
    BrowserDriver,
    build_world,
    endpoint_of,
    get_page_endpoints,
    module_app,
)
from tests.conftest import serving
from tests.questionnaire.test_accessibility import violations

#: Pages of the questionnaire checked by tests/questionnaire/test_accessibility.py (French and Korean, with and
#: without errors) and, in English, here.
QUESTIONNAIRE_PAGES = {"questionnaire.start", "questionnaire.step", "questionnaire.done", "questionnaire.open_link"}


@pytest.fixture(scope="module")
def site(migrated, database_url, tmp_path_factory):
    """One app, live server and data set for the module."""
    with module_app(migrated, database_url, tmp_path_factory.mktemp("a11y-instance")) as app, serving(app) as base:
        yield app, base, build_world(app)


def test_every_get_route_is_checked_or_excluded_with_a_reason(site):
    app, _, _ = site
    routes = get_page_endpoints(app)
    checked = {visit.endpoint for visit in VISITS if visit.endpoint}
    assert not (checked & set(EXCLUDED)), "a route cannot be both checked and excluded"
    missing = routes - checked - set(EXCLUDED)
    assert not missing, (
        f"GET routes neither checked for accessibility nor excluded (add a Visit to tests/a11y/pages.py): "
        f"{sorted(missing)}"
    )
    assert not (set(EXCLUDED) - routes), f"excluded routes that no longer exist: {sorted(set(EXCLUDED) - routes)}"
    assert all(reason.strip() for reason in EXCLUDED.values())
    assert QUESTIONNAIRE_PAGES <= checked


def test_every_visit_names_the_route_it_opens(site):
    app, _, world = site
    for visit in VISITS:
        for lang in LANGS:
            assert endpoint_of(app, visit.path(world, lang)) == visit.endpoint, visit.name


@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGS)
def test_every_page_passes_axe(site, chromium, lang):
    app, base, world = site
    driver = BrowserDriver(base, world)
    found: dict[str, list] = {}
    statuses: dict[str, tuple[int, int]] = {}

    def check(page, visit):
        status = driver.play(page, visit, lang)
        if status != visit.status:
            statuses[visit.name] = (status, visit.status)
        if visit.in_reader_language:
            assert page.evaluate("document.documentElement.lang") == lang, visit.name
        if lang in visit.axe_langs and visit.sandboxed:
            # No script runs under the page's CSP sandbox: axe-core checks the same HTML in a blank page.
            copy = page.context.new_page()
            copy.set_content(page.content())
            found[visit.name] = violations(copy)
            copy.close()
        elif lang in visit.axe_langs:
            found[visit.name] = violations(page)

    public = chromium.new_context(
        locale={"fr": "fr-FR", "ko": "ko-KR", "en": "en-GB"}[lang], viewport={"width": 1280, "height": 900}
    )
    staff = chromium.new_context(viewport={"width": 1280, "height": 900})
    reviewer = chromium.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = public.new_page()
        page.goto(f"{base}/language/{lang}")
        for visit in PUBLIC:
            check(page, visit)
        page = staff.new_page()
        driver.login(page, world.staff[lang])
        for visit in STAFF:
            check(page, visit)
        page = reviewer.new_page()
        driver.login(page, world.reviewer)
        check(page, FORBIDDEN)
    finally:
        for context in (public, staff, reviewer):
            context.close()
    assert not statuses, f"unexpected statuses (got, expected): {statuses}"
    assert len(found) >= len([v for v in VISITS if lang in v.axe_langs])
    assert {k: v for k, v in found.items() if v} == {}, json.dumps(
        {k: v for k, v in found.items() if v}, ensure_ascii=False, indent=1
    )
