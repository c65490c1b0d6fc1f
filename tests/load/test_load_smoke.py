"""Short load test in CI: the full harness (bulk data, gunicorn with the production settings, locust users) at
small scale on the suite's backend (PostgreSQL when MATCHMAKER_TEST_DATABASE_URL is set, else an SQLite file).

The full-size run is ``python bench/load_test.py --database-url …`` (figures in the README). Here the point is
that the mix works end to end under concurrency: no failed request, no server error, no "database is locked",
every kind of request actually made, and the saves really written.
"""

from __future__ import annotations

import os

import pytest

from bench.load.harness import LoadSettings, markdown, run
from tests.conftest import PG_ENV

pytestmark = pytest.mark.slow

#: Kinds every run must have made, and how many at least (10+ users for 15 s with halved think times).
REQUIRED = {
    "q_step": 5,
    "q_identity": 2,
    "q_contact": 2,
    "q_autosave": 3,
    "link_open": 1,
    "link_review": 1,
    "login": 5,
    "pairs_list": 10,
    "pair_page": 5,
}


def made_per_kind(result) -> dict[str, int]:
    """Requests of each kind in the whole run (ramp-up and steady state)."""
    made: dict[str, int] = {}
    for row in result.by_kind + result.ramp["by_kind"]:
        made[row["kind"]] = made.get(row["kind"], 0) + row["n"]
    return made


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    """One short run, shared by the checks below."""
    work = tmp_path_factory.mktemp("load")
    url = os.environ.get(PG_ENV) or f"sqlite:///{work / 'load.sqlite3'}"
    settings = LoadSettings(
        database_url=url,
        collectivites=2_000,
        suggestions=20_000,
        users=12,
        spawn_rate=12,
        duration=12,
        warmup=3,
        think=0.5,
        stop_timeout=5,
        work_dir=work / "run",
    )
    outcome = run(settings, log=lambda message: None)
    print("\n" + markdown(outcome))
    return outcome


def test_no_failed_request_and_no_server_error(result):
    """Every request got the status a browser expects (a redirect to the login page would count as a failure)."""
    assert result.overall["n"] > 0 and result.ramp["overall"]["n"] > 0
    assert result.errors == {}
    assert result.overall["failures_whole_run"] == 0
    assert result.overall["server_errors_whole_run"] == 0
    assert result.overall["timeouts"] == 0
    assert all(int(status) < 400 for status in result.statuses)


def test_server_log_is_clean(result):
    """No traceback, worker timeout or "database is locked" in gunicorn's and the app's log."""
    assert result.log["database_locked"] == 0
    assert result.log["error_lines"] == []


def test_every_kind_of_request_was_made(result):
    """The mix really ran: questionnaire saves, private links, logins, lists and pair pages."""
    made = made_per_kind(result)
    short = {kind: (made.get(kind, 0), least) for kind, least in REQUIRED.items() if made.get(kind, 0) < least}
    assert not short, f"too few requests (made, expected at least): {short}"


def test_saves_were_written(result):
    """Drafts, private links and queued emails came out of the respondents' posts; the app logged its own timings.

    The effects are compared with the posts the server completed (its own log, read after a graceful stop), not with
    those the load generator counted: a post still in flight when the generator stops is written but not counted.
    """
    made, done = made_per_kind(result), result.server_completed
    effects = result.effects
    for kind in ("q_identity", "q_contact"):
        assert made.get(kind, 0) <= done.get(kind, 0)  # every post the generator saw succeed, the server completed
    assert effects["drafts_created"] == done.get(
        "q_identity", 0
    )  # each identity post of a new browser starts one draft
    assert effects["private_links_issued"] == done.get("q_contact", 0)  # each new email gets one link…
    assert effects["emails_queued"] == done.get("q_contact", 0)  # …queued in the outbox, never sent from the request
    assert effects["submitted_with_new_draft"] >= 1  # private-link edits keep a draft on the submitted response
    logged = {row["kind"]: row["n"] for row in result.server_ms}
    assert logged.get("pairs_list", 0) >= made["pairs_list"]
