"""Locust users of the load test: people answering the questionnaire, people editing through a private link,
and CUF/GAROK staff reviewing pairs.

Run by bench/load_test.py (``locust -f bench/load/locustfile.py --headless …``) with two environment variables:
``LOAD_PLAN`` (the JSON plan written after the data load: accounts, list queries, identities, private links) and
``LOAD_SAMPLES`` (where every request's timing, status and error is written when the run stops, so the report
computes exact percentiles rather than locust's rounded ones). ``LOAD_THINK`` scales the think times.

Every user behaves like a browser behind the TLS-terminating proxy of a real deployment: it sends
``X-Forwarded-Proto: https`` and its own ``X-Forwarded-For`` address (the app runs with
``MATCHMAKER_BEHIND_PROXY=true``, so rate limits apply per simulated person, as they would to 50 people), takes
the CSRF token from the form it was shown, and keeps the session cookie (which production marks Secure: the
cookie policy below sends it over the loopback hop, as the proxy would forward it). Redirects are not followed
automatically: each request is timed on its own and its expected status is checked (a redirect to the login
page, for instance, is a failure).
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import time
import uuid
from http.cookiejar import DefaultCookiePolicy
from pathlib import Path
from urllib.parse import urlencode

from locust import FastHttpUser, between, events, task
from locust.exception import StopUser
from locust.runners import STATE_CLEANUP, STATE_STOPPED, STATE_STOPPING

from bench.load.kinds import KINDS

PLAN = json.loads(Path(os.environ["LOAD_PLAN"]).read_text(encoding="utf-8"))
SAMPLES_PATH = os.environ.get("LOAD_SAMPLES")
THINK = float(os.environ.get("LOAD_THINK", "1"))

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
PAIR_LINK_RE = re.compile(r'href="(/staff/pairs/\d+\?back=[^"]*)"')
NEXT_RE = re.compile(r'rel="next" href="([^"]+)"')
_ids = itertools.count(1)
_ips = itertools.count(random.randrange(1, 1 << 23))  # other addresses each run: no rate-limit count carried over
samples: list[tuple] = []


class ProxiedCookiePolicy(DefaultCookiePolicy):
    """Send the Secure session cookie over the plain loopback hop (the proxy in front would, after TLS)."""

    def return_ok_secure(self, cookie, request):
        """Always: TLS ends at the simulated proxy, not at gunicorn."""
        return True


@events.request.add_listener
def _record(request_type, name, response_time, response_length, response=None, exception=None, context=None, **_):
    status = getattr(response, "status_code", 0) or 0 if response is not None else 0
    samples.append(
        (
            context.get("kind", name) if context else name,
            round(float(response_time), 2),
            int(status),
            None if exception is None else f"{type(exception).__name__}: {str(exception)[:200]}",
            time.time(),
        )
    )


started = time.time()


@events.test_start.add_listener
def _started(environment, **_):
    global started
    started = time.time()


@events.quitting.add_listener
def _dump(environment, **_):
    if SAMPLES_PATH:
        Path(SAMPLES_PATH).write_text(json.dumps({"started": started, "samples": samples}), encoding="utf-8")


def new_ip() -> str:
    """A distinct client address per simulated person (10.x.y.z)."""
    n = next(_ips)
    return f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{(n & 255) or 1}"


def scaled_between(low: float, high: float):
    """A locust wait_time between ``low`` and ``high`` seconds, scaled by LOAD_THINK."""
    return between(low * THINK, high * THINK)


class Visitor(FastHttpUser):
    """A browser behind the proxy: own address, cookies, CSRF tokens from pages, one timed request at a time."""

    abstract = True
    network_timeout = 20.0
    connection_timeout = 5.0

    def on_start(self):
        """Accept the Secure cookie over loopback."""
        self.client.cookiejar.set_policy(ProxiedCookiePolicy())
        self.ip = new_ip()
        self.language = "fr"
        self.page = ""

    def think(self, low: float, high: float) -> None:
        """Pause like a person reading or typing (scaled by LOAD_THINK); when the run is stopping, leave here,
        between two requests, so no request is cut off half-way (the run's counts then match the database)."""
        if THINK > 0:
            time.sleep(random.uniform(low, high) * THINK)
        if self.environment.runner is not None and self.environment.runner.state in (
            STATE_STOPPING,
            STATE_STOPPED,
            STATE_CLEANUP,
        ):
            raise StopUser()

    def fresh_browser(self) -> None:
        """Another person on another computer: no cookies, another address."""
        self.client.cookiejar.clear()
        self.ip = new_ip()
        self.page = ""

    def call(
        self,
        method: str,
        path: str,
        kind: str,
        expect=(200,),
        redirect_to: str | None = None,
        json_check=None,
        **kwargs,
    ):
        """One request, timed on its own; fails unless the status (and the redirect target) is what a browser
        expects."""
        headers = {
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": self.ip,
            "X-Request-Id": f"{kind}.{next(_ids)}",
            "Accept-Language": {"fr": "fr-FR,fr;q=0.9", "ko": "ko-KR,ko;q=0.9"}.get(self.language, "en"),
            **kwargs.pop("headers", {}),
        }
        if self.page and method != "GET":
            # the page the form was on, as the browser sends it (Flask-WTF checks it on HTTPS requests)
            headers["Referer"] = "https://" + self.host.split("://", 1)[1].rstrip("/") + self.page
        if isinstance(kwargs.get("data"), dict):  # a form with repeated fields (checkboxes), as a browser sends it
            kwargs["data"] = urlencode(kwargs["data"], doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        with self.client.request(
            method,
            path,
            name=KINDS[kind],
            headers=headers,
            allow_redirects=False,
            catch_response=True,
            context={"kind": kind},
            **kwargs,
        ) as resp:
            location = resp.headers.get("Location", "") if resp.headers else ""
            if resp.status_code not in expect:
                why = f"{type(resp.error).__name__}: {resp.error}" if resp.status_code == 0 and resp.error else location
                resp.failure(f"status {resp.status_code}, expected {expect} {why}")
            elif redirect_to and redirect_to not in location:
                resp.failure(f"redirected to {location!r}, expected {redirect_to!r}")
            elif json_check is not None and not json_check(resp):
                resp.failure(f"unexpected answer {resp.text[:200]!r}")
            else:
                resp.success()
            if method == "GET" and resp.status_code == 200:
                self.page = path
            return resp


def csrf_of(resp) -> str:
    """The CSRF token of the form on a page (empty when the page failed)."""
    m = CSRF_RE.search(resp.text or "") if resp.status_code == 200 else None
    return m.group(1) if m else ""


def _saved(resp) -> bool:
    try:
        return resp.json().get("saved") is True
    except ValueError:
        return False


def theme_fields(n: int) -> dict:
    """Answers of the themes step: n themes with a priority and a stance."""
    fields = {}
    for code in random.sample(PLAN["themes"], n):
        fields[f"theme-{code}-priority"] = random.choice(("1", "2", "3"))
        fields[f"theme-{code}-stance"] = random.choice(("offer", "seek", "both"))
    return fields


class Respondent(Visitor):
    """A new person from a collectivité starts the questionnaire, leaves contact details and fills in themes."""

    weight = 3
    wait_time = scaled_between(2, 6)

    @task
    def start_a_response(self):
        """Identity, contact (draft + private link + email), a few autosaves of the themes, then next step."""
        self.fresh_browser()
        self.language = random.choice(("fr", "fr", "ko", "en"))
        self.call("GET", f"/{self.language}/questionnaire/", "q_start", expect=(302,), redirect_to="/questionnaire/")
        self.call("GET", "/questionnaire/", "q_start")
        page = self.call("GET", "/questionnaire/identity", "q_step")
        token = csrf_of(page)
        if not token:
            return
        who = random.choice(PLAN["identities"])
        self.think(2, 5)
        self.call(
            "POST",
            "/questionnaire/identity",
            "q_identity",
            expect=(302,),
            redirect_to="/questionnaire/contact",
            data={
                "csrf_token": token,
                "action": "next",
                "country": who["country"],
                "name": who["name"],
                "name_local": who["name_local"] or "",
                "level": who["level"],
                "code": who["code"] or "",
                "population": str(who["population"] or ""),
                "region": who["region"] or "",
            },
        )
        page = self.call("GET", "/questionnaire/contact", "q_step")
        token = csrf_of(page) or token
        self.think(2, 5)
        self.call(
            "POST",
            "/questionnaire/contact",
            "q_contact",
            expect=(302,),
            redirect_to="/questionnaire/themes",
            data={
                "csrf_token": token,
                "action": "next",
                "contact_name": "Camille Martin" if who["country"] == "FR" else "김민준",
                "contact_role": "Relations internationales",
                "contact_email": f"load-{uuid.uuid4().hex[:12]}@example.org",
                "language": self.language,
                "digest_frequency": "monthly",
                "consent_contact": "true",
                "consent_share": "true",
            },
        )
        page = self.call("GET", "/questionnaire/themes", "q_step")
        token = csrf_of(page) or token
        chosen = {}
        for _ in range(random.randint(2, 4)):
            self.think(2, 5)
            chosen.update(theme_fields(1))
            self.call(
                "POST",
                "/questionnaire/autosave",
                "q_autosave",
                json_check=_saved,
                data={"csrf_token": token, "step": "themes", **chosen},
                headers={"X-CSRFToken": token, "Accept": "application/json"},
            )
        self.think(1, 3)
        self.call(
            "POST",
            "/questionnaire/themes",
            "q_next",
            expect=(302,),
            redirect_to="/questionnaire/partners",
            data={"csrf_token": token, "action": "next", **chosen},
        )
        page = self.call("GET", "/questionnaire/partners", "q_step")
        token = csrf_of(page) or token
        self.think(2, 5)
        self.call(
            "POST",
            "/questionnaire/autosave",
            "q_autosave",
            json_check=_saved,
            data={
                "csrf_token": token,
                "step": "partners",
                "sectors": random.sample(["agriculture", "tourism_hospitality", "digital_ict", "culture_media"], 2),
                "cooperation_kinds": ["twinning", "youth_exchange"],
                "working_languages": ["fr", "en"],
            },
            headers={"X-CSRFToken": token, "Accept": "application/json"},
        )


class LinkEditor(Visitor):
    """A contact comes back through the private link of a submitted response and changes a few themes."""

    weight = 1
    wait_time = scaled_between(3, 8)

    @task
    def edit_through_link(self):
        """Open the link, read the review page, change themes (autosave)."""
        self.fresh_browser()
        self.language = random.choice(("fr", "ko"))
        raw = random.choice(PLAN["edit_links"])
        self.call("GET", f"/{self.language}/r/{raw}", "link_open", expect=(302,), redirect_to="/questionnaire/review")
        self.call("GET", "/questionnaire/review", "link_review")
        self.think(2, 5)
        page = self.call("GET", "/questionnaire/themes", "q_step")
        token = csrf_of(page)
        if not token:
            return
        for _ in range(random.randint(1, 3)):
            self.think(2, 5)
            self.call(
                "POST",
                "/questionnaire/autosave",
                "q_autosave",
                json_check=_saved,
                data={"csrf_token": token, "step": "themes", **theme_fields(random.randint(2, 5))},
                headers={"X-CSRFToken": token, "Accept": "application/json"},
            )


class Reviewer(Visitor):
    """A CUF or GAROK staff member: logs in once, then browses the pairs, opens pairs, sometimes decides."""

    weight = 6
    wait_time = scaled_between(1, 4)

    def on_start(self):
        """Log in through the form, like a browser."""
        super().on_start()
        self.account = random.choice(PLAN["staff"])
        self.language = self.account["language"]
        self.queries = random.sample(PLAN["list_queries"], len(PLAN["list_queries"]))
        self.last_list = ""
        self.last_pair: tuple[int, str] | None = None
        self.login()

    def login(self) -> None:
        """GET the form, POST the credentials; the session then carries the login."""
        page = self.call("GET", "/staff/login", "login_page")
        self.call(
            "POST",
            "/staff/login",
            "login",
            expect=(302,),
            redirect_to="/staff/pairs",
            data={"csrf_token": csrf_of(page), "email": self.account["email"], "password": self.account["password"]},
        )

    def list_page(self, url: str, kind: str) -> None:
        """Show a page of the pairs list and keep it (its links are what the next clicks choose from)."""
        resp = self.call("GET", url, kind)
        if resp.status_code == 200:
            self.last_list = resp.text or ""

    @task(20)
    def pairs(self):
        """The list with the filters and sort of review_list's mix."""
        query = self.queries.pop() if self.queries else random.choice(PLAN["list_queries"])
        self.list_page(f"/staff/pairs?{query}" if query else "/staff/pairs", "pairs_list")

    @task(6)
    def next_page(self):
        """The next page of the list shown last."""
        m = NEXT_RE.search(self.last_list)
        if m:
            self.list_page(m.group(1).replace("&amp;", "&"), "pairs_next")
        else:
            self.pairs()

    @task(16)
    def pair(self):
        """A pair from the list shown last (or any pair, as from a bookmark or an email)."""
        links = PAIR_LINK_RE.findall(self.last_list)
        if links and random.random() < 0.8:
            url = random.choice(links).replace("&amp;", "&")
        else:
            url = f"/staff/pairs/{random.randint(1, PLAN['max_suggestion_id'])}"
        resp = self.call("GET", url, "pair_page")
        if resp.status_code == 200:
            self.last_pair = (int(url.split("/")[3].split("?")[0]), csrf_of(resp))

    @task(2)
    def decide(self):
        """Approve or reject the pair just read (refusals of closed pairs come back as a message, not an error)."""
        if not self.last_pair or not self.last_pair[1]:
            return self.pair()
        sid, token = self.last_pair
        self.last_pair = None
        self.call(
            "POST",
            f"/staff/pairs/{sid}/decision",
            "pair_decision",
            expect=(302,),
            redirect_to=f"/staff/pairs/{sid}",
            data={"csrf_token": token, "decision": random.choice(("approve", "approve", "reject")), "note": ""},
        )

    @task(2)
    def responses(self):
        """The staff list of questionnaire responses, sometimes filtered."""
        args = random.choice(
            [
                "",
                "country=FR",
                "country=KR",
                f"theme={random.choice(PLAN['themes'])}",
                "completeness=missing",
                f"page={random.randint(2, 20)}",
            ]
        )
        self.call("GET", f"/staff/responses?{args}" if args else "/staff/responses", "responses_list")

    @task(1)
    def dashboard(self):
        """The dashboard (counts by state, theme, level; the funnel)."""
        self.call("GET", "/staff/dashboard", "dashboard")
