"""Benchmark of outbox delivery: 10,000 queued emails sent to a local SMTP server over one reused connection.

    python bench/outbox_delivery.py                      # fresh SQLite file
    python bench/outbox_delivery.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/test

Creates a fresh schema (a new SQLite file, or a new PostgreSQL schema dropped at the end) with the migrations,
queues the emails with ``enqueue_email`` (real templates, rendered in French and Korean, CSS inlined: that rate
is reported too), starts an aiosmtpd server on a free local port in a process of its own (as a relay would be),
then times ``deliver_outbox()``: claims, one commit per message as the crash-safety design requires, the SMTP
exchange over one connection. Checks that the server received every Message-ID exactly once over a single SMTP
session. The median latency of one commit on the database is measured first and reported: on PostgreSQL it is
a disk flush, the main cost, and it varies with the disk's other load. Prints messages per second and writes
bench/results/outbox_delivery.json.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import re
import sys
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, func, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

TARGET_PER_SECOND = 100.0
MESSAGE_ID_RE = re.compile(rb"^Message-ID: (<[^>]+>)", re.M | re.I)


class CountingHandler:
    """aiosmtpd handler counting messages by Message-ID and SMTP sessions."""

    def __init__(self):
        self.ids: list[bytes] = []
        self.sessions: set[int] = set()

    async def handle_DATA(self, server, session, envelope):
        found = MESSAGE_ID_RE.search(envelope.original_content or envelope.content)
        self.ids.append(found.group(1) if found else b"")
        self.sessions.add(id(session))
        return "250 OK"


def smtp_server_process(port: int, ready, stop, results) -> None:
    """Run aiosmtpd in its own process (as a relay would be), then report what it received."""
    from aiosmtpd.controller import Controller

    handler = CountingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()
    stop.wait()
    controller.stop()
    results.send((handler.ids, len(handler.sessions)))


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def with_search_path(url: str, schema: str) -> str:
    """A PostgreSQL URL whose connections use ``schema`` first."""
    u = make_url(url)
    if u.drivername in ("postgresql", "postgres"):
        u = u.set(drivername="postgresql+psycopg")
    return u.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)


def commit_latency_ms(engine, rounds: int = 200) -> float:
    """Median time of a one-row update and its commit: the floor of the per-message cost (one durable commit each)."""
    with engine.connect() as conn:
        conn.execute(text("CREATE TABLE bench_commit (id INTEGER PRIMARY KEY, v INTEGER)"))
        conn.execute(text("INSERT INTO bench_commit VALUES (1, 0)"))
        conn.commit()
        times = []
        for _ in range(rounds):
            started = time.perf_counter()
            conn.execute(text("UPDATE bench_commit SET v = v + 1 WHERE id = 1"))
            conn.commit()
            times.append(time.perf_counter() - started)
        conn.execute(text("DROP TABLE bench_commit"))
        conn.commit()
    return round(sorted(times)[len(times) // 2] * 1000, 2)


def run(url: str, count: int, batch_size: int, instance: Path) -> dict:
    """Queue ``count`` emails on ``url``, deliver them to a local SMTP server, return the figures."""
    from matchmaker import database
    from matchmaker.app import create_app
    from matchmaker.extensions import db
    from matchmaker.mail.delivery import deliver_outbox
    from matchmaker.mail.outbox import enqueue_email
    from matchmaker.models import OutboxMessage

    engine = create_engine(url)
    database.upgrade(engine)
    commit_ms = commit_latency_ms(engine)
    engine.dispose()
    os.environ["MATCHMAKER_INSTANCE_PATH"] = str(instance)
    port = free_port()
    app = create_app(
        {
            "DATABASE_URL": url,
            "SECRET_KEY": "benchmark-secret-key-0123456789abcdef",
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": port,
            "MAIL_SINK": False,
            "SCHEDULER_EMBEDDED": False,
            "LOG_LEVEL": "WARNING",
            "OUTBOX_BATCH_SIZE": batch_size,
            "BASE_URL": "https://matchmaker.example.org",
        },
        environ={},
    )
    spawn = multiprocessing.get_context("spawn")
    ready, stop = spawn.Event(), spawn.Event()
    results, sender = spawn.Pipe(duplex=False)
    server = spawn.Process(target=smtp_server_process, args=(port, ready, stop, sender), daemon=True)
    server.start()
    if not ready.wait(30):
        raise SystemExit("the SMTP server did not start")
    try:
        with app.app_context():
            started = time.perf_counter()
            for i in range(count):
                korean = i % 2 == 1
                enqueue_email(
                    f"bench:{i}",
                    "draft-reminder",
                    ("김민지" if korean else "Élodie Lefèvre", f"contact{i}@{'kr' if korean else 'fr'}.example.org"),
                    "ko" if korean else "fr",
                    "mail/email/draft_reminder",
                    {
                        "collectivite": "구로구" if korean else "Issy-les-Moulineaux",
                        "resume_url": f"https://matchmaker.example.org/fr/r/token{i}",
                        "saved_on": date(2026, 11, 2),
                        "purge_on": date(2026, 11, 2) + timedelta(days=90),
                        "unsubscribe_url": None,
                    },
                )
                if i % 500 == 499:
                    db.session.commit()
            db.session.commit()
            enqueue_s = time.perf_counter() - started

            started = time.perf_counter()
            report = deliver_outbox()
            deliver_s = time.perf_counter() - started
            sent = db.session.scalar(
                select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status == "sent")
            )
            db.session.remove()
    finally:
        stop.set()
    received, sessions = results.recv()
    server.join(30)
    unique = len(set(received))
    if not (report.sent == sent == count == unique == len(received)):
        raise SystemExit(
            f"delivery incomplete: report {report.sent}, rows sent {sent}, received {len(received)} "
            f"({unique} distinct) of {count}"
        )
    return {
        "emails": count,
        "enqueue_seconds": round(enqueue_s, 2),
        "enqueue_per_second": round(count / enqueue_s, 1),
        "deliver_seconds": round(deliver_s, 2),
        "deliver_per_second": round(count / deliver_s, 1),
        "smtp_sessions": sessions,
        "commit_ms_median": commit_ms,
        "received_exactly_once": True,
    }


def main() -> None:
    """Run the benchmark on SQLite or PostgreSQL and print the delivery rate."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="PostgreSQL server to use (a fresh schema is created and dropped)")
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--batch-size", type=int, default=200, help="rows claimed at once (OUTBOX_BATCH_SIZE)")
    parser.add_argument("--output", default=str(ROOT / "bench" / "results" / "outbox_delivery.json"))
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
            figures = run(url, args.count, args.batch_size, instance)
        finally:
            if schema:
                with admin.begin() as conn:
                    conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
                admin.dispose()

    print(
        f"{backend}: queued {figures['emails']} emails in {figures['enqueue_seconds']} s "
        f"({figures['enqueue_per_second']}/s); delivered in {figures['deliver_seconds']} s "
        f"= {figures['deliver_per_second']} messages/s over {figures['smtp_sessions']} SMTP connection(s); "
        f"one commit takes {figures['commit_ms_median']} ms here"
    )
    output = Path(args.output)
    results = json.loads(output.read_text()) if output.exists() else {}
    results.update(
        {
            "python": platform.python_version(),
            "machine": platform.machine(),
            "cpus": os.cpu_count(),
            "target_per_second": TARGET_PER_SECOND,
        }
    )
    results.setdefault("results", {})[backend] = figures
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    if figures["deliver_per_second"] < TARGET_PER_SECOND:
        raise SystemExit(f"below target: {figures['deliver_per_second']} < {TARGET_PER_SECOND} messages/s")


if __name__ == "__main__":
    main()
