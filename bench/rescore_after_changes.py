"""Benchmark of rescoring one response on save after other responses changed (PostgreSQL or SQLite).

    python bench/rescore_after_changes.py --database postgresql+psycopg://user@host/db [--collectivites 36000]

The load test's data set (bench/load/dataset.py) in a fresh schema or file, then in one process, as the web app
does on save (`rescore_response`): the first save (the engine is fitted on every response), a save after
`--changed` other responses changed their themes and sectors (updated as the app updates a saved response:
the kept engine re-vectorises those only), a save with nothing changed (the kept engine serves as it is), and a
save after other changes with no kept engine (a new fit, what every such save cost before). Wall times to stdout.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, select, text  # noqa: E402

from bench.load.dataset import create_database, fill  # noqa: E402
from bench.nightly import change_responses, environment, machine  # noqa: E402


def change(url: str, n: int, seed: int) -> None:
    """change_responses, then the changed responses' updated_at as the app sets it on save."""
    change_responses(url, n, seed)
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            ids = [r for (r,) in conn.execute(text("SELECT id FROM response WHERE status = 'submitted' ORDER BY id"))]
            for rid in random.Random(seed).sample(ids, min(n, len(ids))):  # the ones change_responses drew
                conn.execute(text("UPDATE response SET updated_at = CURRENT_TIMESTAMP WHERE id = :r"), {"r": rid})
    finally:
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", required=True, help="SQLAlchemy URL")
    parser.add_argument("--collectivites", type=int, default=36_000)
    parser.add_argument("--suggestions", type=int, default=500_000)
    parser.add_argument("--changed", type=int, default=100)
    parser.add_argument("--seed", type=int, default=20261125)
    args = parser.parse_args()
    database = create_database(args.database, label="rescore")
    try:
        fill(database, args.collectivites, args.suggestions, args.seed)
        work = ROOT / "bench" / "results" / "rescore-instance"
        work.mkdir(parents=True, exist_ok=True)
        os.environ.update(environment(database.url, work))
        from matchmaker.app import create_app
        from matchmaker.extensions import db
        from matchmaker.models import Response
        from matchmaker.suggestions import engine, operations

        app = create_app()

        def save(label: str) -> None:
            with app.app_context():
                rid = db.session.scalars(
                    select(Response.id).where(Response.status == "submitted").order_by(Response.id.desc()).limit(1)
                ).one()
                started = time.perf_counter()
                operations.rescore_response(rid)
                db.session.commit()
                print(f"| {label} | {time.perf_counter() - started:.2f} |", flush=True)

        print(f"{args.collectivites:,} collectivités; {machine()}")
        print("| save | wall (s) |\n|---|---:|")
        save("first save (engine fitted on every response)")
        change(database.url, args.changed, args.seed + 1)
        save(f"after {args.changed} other responses changed (kept engine brought up to date)")
        save("nothing changed since (kept engine)")
        change(database.url, args.changed, args.seed + 2)
        engine._cache.clear()
        save(f"after {args.changed} other responses changed, no kept engine (new fit)")
    finally:
        database.drop()


if __name__ == "__main__":
    main()
