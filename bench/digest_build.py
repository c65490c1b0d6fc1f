"""Benchmark of ``digest build`` at national scale: 36,000 collectivités with contacts, run as often as every
few minutes.

    python bench/digest_build.py                      # fresh SQLite file
    python bench/digest_build.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/test

Creates a fresh schema with the migrations (a new SQLite file, or a new PostgreSQL schema dropped at the end) and
36,000 collectivités with submitted responses whose contacts agreed to be contacted (each its own address, so one
partner-digest recipient each), 20 staff accounts, 2,000 waiting pairs and ``--introductions`` open introductions.
Then times three calls of ``build_digests()`` at the current time: the first run of a period (recipients and
subscriptions created, every due digest group built, one commit per queued email), a second run right after
(every group done: what the scheduler's hourly run and a by-hand run every few minutes cost), and a dry run.
Checks that every introduced contact and every reviewer got exactly one digest. Writes
bench/results/digest_build.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402


def prepare(database_url: str | None) -> tuple[str, callable]:
    """A fresh database URL and a cleanup function."""
    from matchmaker import database

    if not database_url:
        folder = tempfile.mkdtemp(prefix="digest-bench-")
        url = f"sqlite:///{folder}/bench.sqlite3"
        database.upgrade(create_engine(url))
        return url, lambda: None
    schema = f"bench_digest_{uuid.uuid4().hex[:8]}"
    admin = create_engine(database_url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = (
        make_url(database_url)
        .update_query_dict({"options": f"-csearch_path={schema}"})
        .render_as_string(hide_password=False)
    )
    database.upgrade(create_engine(url))

    def drop():
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))

    return url, drop


def populate(db, collectivites: int, introductions: int) -> None:
    from matchmaker.clock import utcnow
    from matchmaker.models import Collectivite, Introduction, Response, Suggestion
    from matchmaker.staff.operations import create_user

    now = utcnow()
    korean = 243
    colls = []
    for i in range(collectivites):
        country = "KR" if i < korean else "FR"
        colls.append(
            Collectivite(
                country=country,
                level="gu" if country == "KR" else "commune",
                name=f"Collectivité {i}",
                name_key=f"collectivite {i}",
                code=f"B{i}",
                population=10_000 + i,
            )
        )
    db.session.add_all(colls)
    db.session.flush()
    db.session.add_all(
        Response(
            collectivite_id=c.id,
            status="submitted",
            language="ko" if c.country == "KR" else "fr",
            contact_name=f"Contact {c.id}",
            contact_email=f"contact{c.id}@example.org",
            consent_contact=True,
            consent_share=True,
            digest_frequency="monthly" if c.id % 3 else "weekly",
            submitted_at=now,
            created_at=now,
            version=1,
        )
        for c in colls
    )
    krs, frs = colls[:korean], colls[korean:]
    pairs = [
        Suggestion(
            fr_id=frs[i].id, kr_id=krs[i % korean].id, score_total=0.5 + (i % 50) / 100, state="suggested", reasons=[]
        )
        for i in range(min(2000, len(frs)))
    ]
    db.session.add_all(pairs)
    db.session.flush()
    for s in pairs[:introductions]:
        s.state = "introduced"
        db.session.add(Introduction(suggestion_id=s.id, created_at=now))
    for i in range(20):
        create_user(
            f"staff{i}@staff.example.org",
            "correct horse battery",
            "CUF" if i % 2 else "GAROK",
            "reviewer",
            "ko" if i % 2 == 0 else "fr",
            name=f"Staff {i}",
        )
    db.session.commit()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url")
    parser.add_argument("--collectivites", type=int, default=36_000)
    parser.add_argument("--introductions", type=int, default=500)
    args = parser.parse_args()
    url, cleanup = prepare(args.database_url)
    os.environ.setdefault("MATCHMAKER_INSTANCE_PATH", tempfile.mkdtemp(prefix="digest-bench-instance-"))
    from matchmaker.app import create_app

    app = create_app(
        {
            "DATABASE_URL": url,
            "SECRET_KEY": "bench-secret-key-0123456789abcdef0123456789",
            "MAIL_SINK": False,
            "SCHEDULER_EMBEDDED": False,
            "BASE_URL": "http://localhost",
            "LOG_LEVEL": "WARNING",
        },
        environ={},
    )
    results = {
        "database": make_url(url).get_backend_name(),
        "collectivites": args.collectivites,
        "introductions": args.introductions,
        "python": platform.python_version(),
    }
    try:
        with app.app_context():
            from matchmaker.extensions import db
            from matchmaker.mail.digests import build_digests
            from matchmaker.models import OutboxMessage

            started = time.perf_counter()
            populate(db, args.collectivites, args.introductions)
            results["populate_s"] = round(time.perf_counter() - started, 1)
            for run in ("first", "again", "dry_run"):
                db.session.remove()
                started, cpu = time.perf_counter(), time.process_time()
                report = build_digests(dry_run=run == "dry_run")
                results[f"{run}_s"] = round(time.perf_counter() - started, 2)
                results[f"{run}_cpu_s"] = round(time.process_time() - cpu, 2)
                results[f"{run}_queued"] = len(report.queued)
                print(
                    f"{run}: {results[f'{run}_s']} s ({results[f'{run}_cpu_s']} s CPU), "
                    f"{len(report.queued)} queued, errors {len(report.errors)}",
                    flush=True,
                )
            keys = db.session.scalars(
                select(OutboxMessage.key).where(OutboxMessage.kind.in_(("reviewer-digest", "partner-digest")))
            ).all()
            per_recipient = Counter(k.rsplit(":", 1)[0] for k in keys)
            results["digests"] = len(per_recipient)
            assert max(per_recipient.values()) == 1, "a recipient got two digests"
            print(f"{len(per_recipient)} digests, one per recipient (reviewers and introduced contacts)")
    finally:
        cleanup()
    out = ROOT / "bench" / "results" / "digest_build.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
