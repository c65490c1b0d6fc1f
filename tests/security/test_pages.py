"""Every page, in French, Korean and English (the catalogue of tests/a11y/pages.py): security headers and a strict
Content-Security-Policy, no inline script, event attribute or style attribute in the HTML (the CSP would block
them: they would be broken features), hostile texts of a response shown as text wherever they appear, private
pages never cached, and no GET that writes to the database. In a real browser, with the CSP switched off so that
only the escaping protects the page, no hostile text runs a script.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest

from matchmaker.security import CONTENT_SECURITY_POLICY
from tests.a11y.pages import (
    FORBIDDEN,
    HOSTILE,
    IMG,
    LANGS,
    PUBLIC,
    SCRIPT,
    STAFF,
    TEMPLATE,
    VISITS,
    BrowserDriver,
    ClientDriver,
    Visit,
    build_world,
    module_app,
)
from tests.conftest import serving
from tests.security.database import changed_tables, snapshot

#: Pages reached through a private link: never stored by a browser or a proxy.
PRIVATE_ENDPOINTS = {"review.answer", "mail.unsubscribe", "mail.confirm_accuracy"}
#: The HTML part of a captured email: its own policy (inline styles of emails, no script at all, in a sandbox).
EMAIL_HTML_ENDPOINT = "mail.captured_html"


@dataclass
class Audit:
    """What a page's HTML contains that matters for security."""

    inline_scripts: list[str] = field(default_factory=list)
    script_sources: list[str] = field(default_factory=list)
    event_attributes: list[str] = field(default_factory=list)
    style_attributes: int = 0
    style_elements: int = 0
    javascript_urls: list[str] = field(default_factory=list)
    injected_images: int = 0
    text: str = ""
    form_values: list[str] = field(default_factory=list)  # what the page's fields hold (value attributes)


class _Auditor(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.audit = Audit()
        self._in_script = False
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = self.audit
        for name, value in attrs:
            if name.startswith("on"):
                a.event_attributes.append(f"<{tag} {name}>")
            if name == "style":
                a.style_attributes += 1
            if name in ("href", "src", "action", "formaction") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                a.javascript_urls.append(value)
        values = dict(attrs)
        if tag == "input" and values.get("value"):
            a.form_values.append(values["value"])
        if tag == "script":
            if values.get("src"):
                a.script_sources.append(values["src"])
            else:
                self._in_script = True
                a.inline_scripts.append("")
        elif tag == "style":
            a.style_elements += 1
        elif tag == "img" and values.get("src") == "x":
            a.injected_images += 1

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.audit.inline_scripts[-1] += data
        else:
            self._text.append(data)

    def close(self):
        super().close()
        self.audit.text = "".join(self._text)


def audit(html: str) -> Audit:
    """Parse a page and report its scripts, event and style attributes, injected elements and text."""
    parser = _Auditor()
    parser.feed(html)
    parser.close()
    return parser.audit


def policy(header: str) -> dict[str, set[str]]:
    """A Content-Security-Policy header as directive -> sources."""
    out = {}
    for part in filter(None, (p.strip() for p in header.split(";"))):
        name, *sources = part.split()
        out[name] = set(sources)
    return out


EXPECTED_POLICY = {
    name: set([value] if isinstance(value, str) else value) for name, value in CONTENT_SECURITY_POLICY.items()
}


def problems_of(visit: Visit, response) -> list[str]:
    """Everything wrong with one page's headers and HTML."""
    found = []
    headers = response.headers
    csp = headers.get("Content-Security-Policy", "")
    if "unsafe-inline" in csp.replace("style-src 'unsafe-inline'", "") or "unsafe-eval" in csp:
        found.append(f"unsafe source in the CSP: {csp}")
    if headers.get("X-Content-Type-Options") != "nosniff":
        found.append("no X-Content-Type-Options: nosniff")
    if headers.get("Referrer-Policy") != "same-origin":  # never the URL to other sites; the Referer CSRF needs on HTTPS
        found.append(f"Referrer-Policy {headers.get('Referrer-Policy')!r}")
    if visit.endpoint in PRIVATE_ENDPOINTS and "no-store" not in headers.get("Cache-Control", ""):
        found.append("a private-link page may be cached")
    page = audit(response.get_data(as_text=True))
    if visit.endpoint == EMAIL_HTML_ENDPOINT:
        rules = policy(csp)
        if rules.get("default-src") != {"'none'"} or "sandbox" not in rules or "script-src" in rules:
            found.append(f"captured email HTML without its sandbox policy: {csp}")
        if headers.get("X-Frame-Options") != "SAMEORIGIN":
            found.append("captured email HTML framable by other sites")
    else:
        if policy(csp) != EXPECTED_POLICY:
            found.append(f"CSP differs from the application's policy: {csp}")
        if headers.get("X-Frame-Options") != "DENY":
            found.append(f"X-Frame-Options {headers.get('X-Frame-Options')!r}")
        if page.style_attributes or page.style_elements:
            found.append(
                f"{page.style_attributes} style attributes and {page.style_elements} style elements "
                "(blocked by the CSP)"
            )
        if not all(src.startswith("/static/js/") for src in page.script_sources):
            found.append(f"script from elsewhere: {page.script_sources}")
    if page.inline_scripts:
        found.append(f"inline scripts: {[s[:60] for s in page.inline_scripts]}")
    if page.event_attributes:
        found.append(f"event attributes: {page.event_attributes[:5]}")
    if page.javascript_urls:
        found.append(f"javascript: URLs: {page.javascript_urls[:5]}")
    if page.injected_images:
        found.append("the hostile <img> became an element")
    shown = page.text + "\n".join(page.form_values)
    if visit.shows_hostile and not (SCRIPT in shown or IMG in shown):
        found.append("the hostile response's texts are not shown as text")
    if "해운대구 49" in page.text or "김49" in page.text:
        found.append("template syntax in a response was evaluated")
    return found


@pytest.fixture(scope="module")
def site(migrated, database_url, tmp_path_factory):
    """One app, live server and data set for the module."""
    with module_app(migrated, database_url, tmp_path_factory.mktemp("security-instance")) as app, serving(app) as base:
        yield app, base, build_world(app)


@pytest.mark.parametrize("lang", LANGS)
def test_every_page_has_strict_headers_no_inline_code_escaped_texts_and_no_write_on_get(site, lang):
    app, _, world = site
    driver = ClientDriver(app, world)
    found: dict[str, list[str]] = {}
    writes: dict[str, list[str]] = {}
    texts = []

    def check(client, visit):
        before = snapshot(app)
        page = driver.get(client, visit, lang)
        tables = changed_tables(before, snapshot(app))
        if tables:
            writes[visit.name] = tables
        if visit.submit is not None:
            page = driver.submit(client, page, visit)
        problems = problems_of(visit, page)
        if page.status_code != visit.status:
            problems.append(f"status {page.status_code}, expected {visit.status}")
        if problems:
            found[visit.name] = problems
        texts.append(audit(page.get_data(as_text=True)).text)

    public = driver.client(lang, staff=False)
    for visit in PUBLIC:
        check(public, visit)
    staff = driver.client(lang, staff=True)
    for visit in STAFF:
        check(staff, visit)
    check(driver.client(lang, staff=True, email=world.reviewer), FORBIDDEN)
    assert len(texts) == len(VISITS)
    assert found == {}, found
    assert writes == {}, f"GET requests that wrote to the database: {writes}"
    everything = "\n".join(texts)
    for text in (HOSTILE["name"], HOSTILE["contact_name"], HOSTILE["note"], TEMPLATE):
        assert text in everything, f"{text!r} is never shown as typed"


def test_emails_escape_hostile_texts_in_html_and_keep_them_intact_in_text(site):
    from sqlalchemy import or_, select

    from matchmaker.extensions import db
    from matchmaker.models import OutboxMessage

    app, _, world = site
    with app.app_context():
        rows = db.session.scalars(
            select(OutboxMessage).where(
                or_(
                    OutboxMessage.recipient == "intl@haeundae.example.kr",
                    OutboxMessage.key.like(f"introduction:{world.hostile_pair}:%"),
                )
            )
        ).all()
        assert len(rows) == 4, [
            r.key for r in rows
        ]  # the private link, the submission's confirmation, an introduction to each side
        for row in rows:
            html = audit(row.body_html)
            assert not html.inline_scripts and not html.event_attributes and not html.injected_images, row.key
            assert SCRIPT in html.text or IMG in html.text, row.key
            assert SCRIPT in row.body_text or IMG in row.body_text, row.key
            assert "&lt;" not in row.body_text and "&#34;" not in row.body_text and "&quot;" not in row.body_text, (
                row.key
            )
        greeting = next(r for r in rows if r.key == f"introduction:{world.hostile_pair}:KR")
        assert (
            HOSTILE["contact_name"] in greeting.body_text and HOSTILE["contact_name"] in audit(greeting.body_html).text
        )


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["ko", "fr"])
def test_no_hostile_text_runs_a_script_in_a_browser_even_without_the_csp(site, chromium, lang):
    """The CSP would stop an injected inline script anyway: it is switched off here so the escaping alone is tested."""
    app, base, world = site
    driver = BrowserDriver(base, world)
    dialogs: list[str] = []
    injected: dict[str, int] = {}
    context = chromium.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    try:
        for audience, visits in (("public", PUBLIC), ("staff", STAFF)):
            page = context.new_page()
            page.on("dialog", lambda dialog: (dialogs.append(f"{dialog.type}: {dialog.message}"), dialog.dismiss()))
            if audience == "staff":
                driver.login(page, world.staff[lang])
            else:
                page.goto(f"{base}/language/{lang}")
            shown = [v for v in visits if v.shows_hostile]
            assert shown
            for visit in shown:
                driver.play(page, visit, lang)
                count = page.evaluate("document.querySelectorAll('img[src=\"x\"], script:not([src])').length")
                frames = sum(
                    frame.evaluate("document.querySelectorAll('img[src=\"x\"], script:not([src])').length")
                    for frame in page.frames[1:]
                )
                if count or frames:
                    injected[visit.name] = count + frames
                assert page.locator("body").inner_text()  # the page rendered
            page.close()
    finally:
        context.close()
    assert dialogs == []
    assert injected == {}
