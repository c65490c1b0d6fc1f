"""The demo set-up of the embedded default: demo responses, two staff logins, suggestions."""

from __future__ import annotations

import secrets
from pathlib import Path

from flask import current_app
from sqlalchemy import func, select

from matchmaker.extensions import db
from matchmaker.models import Response, StaffUser
from matchmaker.outreach.partnerships import import_partnerships, sync_declared_partnerships
from matchmaker.paths import DATA_DIR
from matchmaker.questionnaire.operations import import_file
from matchmaker.staff.operations import create_user
from matchmaker.suggestions.operations import recompute_suggestions

DEMO_FILE = DATA_DIR / "demo" / "responses.jsonl"
#: Documented France–Korea partnerships, with their sources (the map of existing partnerships starts from them).
PARTNERSHIPS_FILE = DATA_DIR / "partnerships" / "known_fr_kr.csv"
DEMO_STAFF = (
    ("cuf@example.org", "CUF", "fr", "Équipe Cités Unies France"),
    ("garok@example.org", "GAROK", "ko", "GAROK 담당자"),
)


def _logins_file() -> Path:
    return Path(current_app.instance_path) / "demo_logins.txt"


def ensure_demo_staff() -> list[str]:
    """Create the two demo admin accounts (one per association) once; their passwords are kept in the instance
    folder."""
    path = _logins_file()
    lines = []
    for email, org, lang, name in DEMO_STAFF:
        if db.session.scalar(select(StaffUser).where(StaffUser.email == email)) is None:
            password = secrets.token_urlsafe(9)
            create_user(email, password, org, role="admin", language=lang, name=name)
            lines.append(f"staff login ({org}): {email} / {password}")
    if lines:
        db.session.commit()
        existing = path.read_text().splitlines() if path.exists() else []
        path.write_text("\n".join(existing + lines) + "\n")
        path.chmod(0o600)
    return path.read_text().splitlines() if path.exists() else []


def load_demo(only_if_empty: bool = False) -> list[str]:
    """Import the demo responses, create the demo logins and compute suggestions; returns report lines."""
    existing = db.session.scalar(select(func.count()).select_from(Response))
    report = []
    if only_if_empty and existing:
        report.append(f"demo: {existing} responses already in the database, nothing imported")
    else:
        result = import_file(DEMO_FILE)
        report.append(f"demo: {result.summary()}")
        known = import_partnerships(PARTNERSHIPS_FILE.read_text(encoding="utf-8"))
        declared = sync_declared_partnerships()
        report.append(f"demo: {known.added} documented partnerships loaded, {declared} declared by respondents")
        run = recompute_suggestions()
        db.session.commit()
        report.append(f"demo: {run.counts['suggestions']} suggestions computed in {run.duration_ms} ms")
    report.extend(ensure_demo_staff())
    return report
