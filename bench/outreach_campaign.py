"""Benchmark of an invitation campaign: 5,000 collectivités of the reference lists invited at once.

    python bench/outreach_campaign.py                      # fresh SQLite file
    python bench/outreach_campaign.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/test

Creates a fresh schema with the migrations, reads a CSV of 5,000 codes and addresses (French communes of the
reference list, half of them invited in Korean or English to render every language), then times what staff wait
for when they press "Send the invitations": ``create_campaign`` and ``queue_invitations`` (one invitation row,
one reminder subscription and one rendered outbox email, HTML with inlined CSS, per collectivité) and the
commit. Checks that the outbox holds exactly one pending invitation per collectivité. Writes
bench/results/outreach_campaign.json.
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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, func, select, text  # noqa: E402

from bench.outbox_delivery import with_search_path  # noqa: E402

TARGET_SECONDS = 30.0


def run(url: str, count: int, instance: Path) -> dict:
    """Queue a campaign of ``count`` invitations on ``url`` and return the figures."""
    from matchmaker import database, reference
    from matchmaker.app import create_app
    from matchmaker.extensions import db
    from matchmaker.models import Invitation, OutboxMessage
    from matchmaker.outreach.operations import create_campaign, queue_invitations
    from matchmaker.outreach.targets import parse_csv

    engine = create_engine(url)
    database.upgrade(engine)
    engine.dispose()
    os.environ["MATCHMAKER_INSTANCE_PATH"] = str(instance)
    app = create_app(
        {
            "DATABASE_URL": url,
            "SECRET_KEY": "benchmark-secret-key-0123456789abcdef",
            "MAIL_SINK": False,
            "SCHEDULER_EMBEDDED": False,
            "LOG_LEVEL": "WARNING",
            "BASE_URL": "https://matchmaker.example.org",
        },
        environ={},
    )
    communes = [row for row in reference.load_reference("FR") if row.level == "commune"][:count]
    languages = ("fr", "ko", "fr", "en")
    lines = ["code,email,language,level"] + [
        f"{row.code},mairie{i}@commune{row.code}.example.fr,{languages[i % 4]},commune"
        for i, row in enumerate(communes)
    ]
    csv_text = "\n".join(lines) + "\n"
    with app.test_request_context("/"):
        started = time.perf_counter()
        targets = parse_csv("FR", csv_text)
        parse_s = time.perf_counter() - started
        started = time.perf_counter()
        campaign = create_campaign("CUF", "Benchmark", targets)
        report = queue_invitations(campaign)
        db.session.commit()
        queue_s = time.perf_counter() - started
        pending = db.session.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.status == "pending", OutboxMessage.kind == "invitation")
        )
        invitations = db.session.scalar(select(func.count()).select_from(Invitation))
        db.session.remove()
    if not (report.queued == pending == invitations == len(communes)):
        raise SystemExit(f"campaign incomplete: {report.queued} queued, {pending} pending, {invitations} invitations")
    return {
        "invitations": len(communes),
        "parse_csv_seconds": round(parse_s, 2),
        "queue_seconds": round(queue_s, 2),
        "per_second": round(len(communes) / queue_s, 1),
        "target_seconds": TARGET_SECONDS,
        "within_target": queue_s <= TARGET_SECONDS,
    }


def main() -> None:
    """Run the benchmark on SQLite or PostgreSQL and print the time to queue the campaign."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="PostgreSQL server to use (a fresh schema is created and dropped)")
    parser.add_argument("--count", type=int, default=5_000)
    parser.add_argument("--output", default=str(ROOT / "bench" / "results" / "outreach_campaign.json"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="matchmaker-bench-") as tmp:
        instance = Path(tmp)
        schema = None
        if args.database_url:
            schema = f"bench_{uuid.uuid4().hex[:10]}"
            admin = create_engine(with_search_path(args.database_url, "public"))
            with admin.begin() as conn:
                conn.execute(text(f'CREATE SCHEMA "{schema}"'))
            url, backend = with_search_path(args.database_url, schema), "postgresql"
        else:
            url, backend = f"sqlite:///{instance / 'bench.sqlite3'}", "sqlite"
        try:
            figures = run(url, args.count, instance)
        finally:
            if schema:
                with admin.begin() as conn:
                    conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
                admin.dispose()
    print(
        f"{backend}: {figures['invitations']} invitations created and queued in {figures['queue_seconds']} s "
        f"({figures['per_second']}/s; CSV read in {figures['parse_csv_seconds']} s)"
    )
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    results = json.loads(output.read_text()) if output.exists() else {}
    results[backend] = {**figures, "python": platform.python_version(), "machine": platform.machine()}
    output.write_text(json.dumps(results, indent=2) + "\n")
    if not figures["within_target"]:
        raise SystemExit(f"slower than the target of {TARGET_SECONDS} s")


if __name__ == "__main__":
    main()
