"""Driving the questionnaire through the test client, step by step, as a browser without JavaScript would."""

from __future__ import annotations

import re

from tests.factories import csrf_token

LINK_RE = re.compile(r"https?://[^\s\"<]+/(?:fr|ko|en)/r/([A-Za-z0-9_\-]+)")


def form_data(record: dict) -> dict:
    """The answers of a record as the form posts them."""
    data = {}
    for name in (
        "country",
        "name",
        "name_local",
        "level",
        "code",
        "population",
        "region",
        "contact_name",
        "contact_role",
        "contact_email",
        "language",
        "digest_frequency",
        "description",
    ):
        if record.get(name) is not None:
            data[name] = str(record[name])
    for name in ("sectors", "partner_levels", "cooperation_kinds", "working_languages"):
        data[name] = list(record.get(name) or [])
    data["existing_partners"] = "\n".join(record.get("existing_partners") or [])
    for name in ("consent_contact", "consent_share"):
        if record.get(name):
            data[name] = "true"
    for code, answer in (record.get("themes") or {}).items():
        data[f"theme-{code}-priority"] = str(answer["priority"])
        data[f"theme-{code}-stance"] = answer["stance"]
    return data


STEP_FIELDS = {
    "identity": ("country", "name", "name_local", "level", "code", "population", "region"),
    "contact": (
        "contact_name",
        "contact_role",
        "contact_email",
        "language",
        "digest_frequency",
        "consent_contact",
        "consent_share",
    ),
    "themes": None,
    "partners": ("sectors", "partner_levels", "cooperation_kinds", "working_languages"),
    "presentation": ("existing_partners", "description"),
}


def step_data(step: str, data: dict) -> dict:
    """The part of the form data a step posts."""
    names = STEP_FIELDS[step]
    if names is None:
        return {k: v for k, v in data.items() if k.startswith("theme-")}
    return {k: v for k, v in data.items() if k in names}


def post_step(client, step: str, data: dict, action: str = "next", **extra):
    """GET the step for a fresh CSRF token, then POST it."""
    page = client.get(f"/questionnaire/{step}")
    assert page.status_code == 200, page.status_code
    payload = dict(data, csrf_token=csrf_token(page.get_data(as_text=True)), action=action, **extra)
    return client.post(f"/questionnaire/{step}", data=payload)


def fill_questionnaire(client, record: dict, submit: bool = True):
    """Fill every step with a record's answers (and submit); returns the last response."""
    data = form_data(record)
    for step in ("identity", "contact", "themes", "partners", "presentation"):
        response = post_step(client, step, step_data(step, data))
        assert response.status_code == 302, (
            step,
            response.status_code,
            re.findall(r"(?s)(?:class=\"notice\"|error-summary).{0,700}", response.get_data(as_text=True)),
        )
    if not submit:
        return response
    return post_step(client, "review", {}, action="submit")


def link_token(text: str) -> str:
    """The raw token of the first private link in a page or an email."""
    match = LINK_RE.search(text)
    assert match, "no private link found"
    return match.group(1)
