"""Load test: gunicorn on loopback with the production settings, 36,000 collectivités, 500,000 suggestions and
50 concurrent users mixing questionnaire saves, private-link edits and staff pages.

    python bench/load_test.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/test
    python bench/load_test.py --database-url sqlite:////tmp/load.sqlite3
    python bench/load_test.py --database-url … --users 50 --duration 60 --workers 3 --threads 4 --keep
    python bench/load_test.py --reuse <work folder printed by --keep> --think 0   # again on kept data, no think time

What it does (the whole run, data load included, ends on its own within --time-limit, then cleans up):

1. A fresh database: a new PostgreSQL schema (search_path in the URL's options; dropped at the end unless
   --keep) or a new SQLite file (refused if it exists; removed at the end unless --keep). The schema comes
   from the migrations.
2. Bulk data (COPY on PostgreSQL): real collectivités from data/reference (every Korean one, French ones to
   make up the number) and suggestions with reasons and common themes (bench/review_list.py's loader), plus a
   submitted questionnaire response for every collectivité (themes, sectors, partner levels, presentation,
   first version), 400 private edit links, a CUF and a GAROK staff account, and the introductions the app
   itself makes of the loaded approved pairs (up to the exposure cap), as a live service would have.
3. gunicorn ``matchmaker.wsgi:app`` on 127.0.0.1 (free port), 3 gthread workers × 4 threads by default (on 2
   cores: one process more than cores so Python work, which holds a GIL per process, uses both while the
   database gets its share; threads overlap the waits on the database; this gave the most requests per second
   at saturation among 2×4, 3×4, 4×4, 3×8 and 5×2, and the same p95 under the nominal mix), with
   MATCHMAKER_ENV=production: a generated secret key, BASE_URL on loopback, no SMTP sink, no embedded
   scheduler, BEHIND_PROXY=true (the users send X-Forwarded-Proto: https as the TLS proxy of a deployment
   would, so the HTTPS redirect and Secure cookies behave as in production, and X-Forwarded-For with
   one address per simulated person, so the rate limits apply per person as they would to 50 people). Rate
   limits stay on, counted in the local Redis (redis://127.0.0.1:6379/15) when it answers and the `redis`
   client library is installed, otherwise in each worker's memory; --ratelimit off|memory://|redis://…
   forces a choice. MAIL_SERVER is `smtp.invalid`: production refuses a loopback relay, and no web request
   sends mail (emails are only queued).
4. A warm-up (--warmup seconds, not measured), then locust headless (bench/load/locustfile.py): --users users
   start at --spawn-rate per second (the ramp-up, in which the staff log in), then --duration seconds of
   steady state. Respondents (identity, contact with a new email, autosaves, next step), contacts editing
   through a private link, and staff (login once, pairs list with filters/sorts/pages, pair pages,
   decisions, the responses list, the dashboard), weighted 3 : 1 : 6, with think times (--think scales them).
5. Exact p50/p95/p99/max per kind of request, for the steady state (the target) and the ramp-up on their
   own, client side (queueing in gunicorn counts); failures over the whole run (any unexpected status, any
   5xx, timeouts); the app's own request times from its log; the log scanned for errors and "database is
   locked"; what the run wrote (drafts, links, queued emails, decisions); CPU used by gunicorn, by this
   test's PostgreSQL backends, by locust and by anything else on the machine. Writes
   bench/results/load_<backend>.json and prints markdown tables. Exit status 0 when the steady-state p95 is
   under 200 ms with no failure, no 5xx and no "database is locked".
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load.harness import LoadSettings, markdown, run  # noqa: E402

TARGET_P95_MS = 200


def _out_of_time(_signum, _frame):
    raise TimeoutError("the load test went over its --time-limit")


def main() -> int:
    """Parse the options, run, print and write the figures; exit 1 when the target is missed or anything failed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="postgresql+psycopg://… or sqlite:////path/to/new.sqlite3")
    parser.add_argument("--collectivites", type=int, default=36_000)
    parser.add_argument("--suggestions", type=int, default=500_000)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--spawn-rate", type=float, default=10)
    parser.add_argument("--duration", type=int, default=60, help="seconds of measured load")
    parser.add_argument("--warmup", type=int, default=10, help="seconds of unmeasured load first")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--think", type=float, default=1.0, help="scale of the users' think times (0: none)")
    parser.add_argument("--ratelimit", default="auto", help="auto, off, or a Flask-Limiter storage URI")
    parser.add_argument("--keep", action="store_true", help="keep the schema or file and the work folder")
    parser.add_argument("--reuse", type=Path, metavar="WORK_DIR", help="measure again on the data of a --keep run")
    parser.add_argument("--seed", type=int, default=20261125)
    parser.add_argument("--work-dir", type=Path, help="where the plan, samples and gunicorn's log go")
    parser.add_argument("--output", type=Path, help="default: bench/results/load_<backend>.json")
    parser.add_argument(
        "--time-limit",
        type=int,
        default=1800,
        help="seconds after which the whole run (load included) is stopped and cleaned up",
    )
    args = parser.parse_args()
    if not args.database_url and not args.reuse:
        parser.error("give --database-url (or --reuse WORK_DIR)")

    settings = LoadSettings(
        database_url=args.database_url,
        collectivites=args.collectivites,
        suggestions=args.suggestions,
        users=args.users,
        spawn_rate=args.spawn_rate,
        duration=args.duration,
        warmup=args.warmup,
        workers=args.workers,
        threads=args.threads,
        think=args.think,
        ratelimit=args.ratelimit,
        keep=args.keep,
        reuse=args.reuse,
        seed=args.seed,
        work_dir=args.work_dir,
    )
    signal.signal(signal.SIGALRM, _out_of_time)
    signal.alarm(args.time_limit)  # the harness's finally blocks stop gunicorn and drop the data on the way out
    try:
        result = run(settings, log=lambda message: print(message, flush=True))
    finally:
        signal.alarm(0)
    backend = result.server["backend"]
    print()
    print(markdown(result))
    others = [o for o in result.cpu.get("top_other_processes", []) if "locust" not in o["command"]]
    if others:
        print("\nother processes that used CPU during the run (still running at its end):")
        for o in others[:6]:
            print(f"  {o['cpu_s']:6.1f} s  {o['command'][:110]}")
    if result.log["error_lines"]:
        print("\nerrors in the server log:")
        for line in result.log["error_lines"][:10]:
            print("  " + line[:300])
    if result.errors:
        print("\nfailed requests:")
        for key, count in sorted(result.errors.items(), key=lambda kv: -kv[1])[:15]:
            print(f"  {count:5d} × {key}")
    out = args.output or ROOT / "bench" / "results" / f"load_{backend}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps(
            {
                "when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                "target_p95_ms": TARGET_P95_MS,
                **asdict(result),
            },
            indent=2,
            ensure_ascii=False,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"\nwritten to {out}")
    o = result.overall
    ok = (
        o["failures_whole_run"] == 0
        and o["server_errors_whole_run"] == 0
        and result.log["database_locked"] == 0
        and o.get("p95", 0) < TARGET_P95_MS
    )
    print(
        ("target met" if ok else "target MISSED")
        + f": steady-state p95 {o.get('p95')} ms (target < {TARGET_P95_MS} ms), "
        f"{o['failures_whole_run']} failures and {o['server_errors_whole_run']} server errors in the whole run"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
