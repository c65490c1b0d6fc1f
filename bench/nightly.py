"""Benchmark of the nightly recompute (`matchmaker match`) end to end, on PostgreSQL and SQLite.

    python bench/nightly.py --database postgresql+psycopg://user@host/db [--database sqlite:////tmp/n.sqlite3]
                            [--collectivites 36000] [--suggestions 500000] [--changed 100] [--keep]

For each database: the load test's data set (bench/load/dataset.py: collectivités with submitted responses and
existing suggestions) in a fresh PostgreSQL schema or a new SQLite file, then, each in its own process:

1. `matchmaker match --full`: every pair explained again (the first night, or after new weights);
2. `matchmaker match` after `--changed` responses changed their themes and sectors (the usual night);
3. `matchmaker match` with nothing changed.

Each line reports wall time, CPU time (user + system) and peak RSS of the `matchmaker match` process, the rows it
wrote (from its run record), the engine's own time in the same run (fit and top-k of every pair) and the ratio
of the whole run to it. Results go to stdout as a Markdown table and to bench/results/nightly.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import secrets
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bench.load.dataset import Database, create_database, fill  # noqa: E402
from matchmaker.matching.codes import STANCES  # noqa: E402


def environment(url: str, work: Path) -> dict[str, str]:
    """Production settings for the `matchmaker` command, pointed at the benchmark's database."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MATCHMAKER_") and k != "DATABASE_URL"}
    env.update(
        {
            "DATABASE_URL": url,
            "MATCHMAKER_ENV": "production",
            "MATCHMAKER_SECRET_KEY": secrets.token_hex(32),
            "MATCHMAKER_BASE_URL": "https://matchmaker.example.org",
            "MATCHMAKER_MAIL_SERVER": "smtp.invalid",
            "MATCHMAKER_MAIL_SINK": "false",
            "MATCHMAKER_SCHEDULER_EMBEDDED": "false",
            "MATCHMAKER_INSTANCE_PATH": str(work),
            "MATCHMAKER_LOG_LEVEL": "WARNING",
        }
    )
    return env


def _backend_cpu(engine, name: str, seen: dict[int, float]) -> None:
    """CPU seconds so far of the PostgreSQL backends serving `name` (a local server: read from /proc)."""
    with engine.connect() as conn:
        pids = [
            p
            for (p,) in conn.execute(text("SELECT pid FROM pg_stat_activity WHERE application_name = :n"), {"n": name})
        ]
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        seen[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measured(url: str, work: Path, full: bool) -> dict:
    """One `matchmaker match` process: wall, CPU and peak RSS (its own, from wait4), its run record, and on a local
    PostgreSQL the CPU of the server backend working for it (sampled every half second)."""
    command = [str(Path(sys.executable).parent / "matchmaker"), "match"] + (["--full"] if full else [])
    name = f"nightly-bench-{secrets.token_hex(4)}"
    postgres = url.startswith("postgresql")
    child_url = url + ("&" if "?" in url else "?") + f"application_name={name}" if postgres else url
    monitor = create_engine(url) if postgres else None
    backend: dict[int, float] = {}
    started = time.perf_counter()
    errors = work / "match.err"
    with open(errors, "wb") as err_file:
        process = subprocess.Popen(
            command, cwd=ROOT, env=environment(child_url, work), stdout=subprocess.DEVNULL, stderr=err_file
        )
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if monitor is not None:
            _backend_cpu(monitor, name, backend)
        time.sleep(0.5)
    wall = time.perf_counter() - started
    process.returncode = status
    if monitor is not None:
        monitor.dispose()
    if status:
        raise RuntimeError("matchmaker match failed:\n" + errors.read_text(errors="replace"))
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            params, counts, duration = conn.execute(
                text("SELECT params, counts, duration_ms FROM match_run ORDER BY id DESC LIMIT 1")
            ).one()
    finally:
        engine.dispose()
    params = params if isinstance(params, dict) else json.loads(params)
    counts = counts if isinstance(counts, dict) else json.loads(counts)
    engine_s = counts["engine_ms"] / 1000
    return {
        "wall_s": round(wall, 1),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 1),
        "server_cpu_s": round(sum(backend.values()), 1) if postgres else None,
        "run_s": round(duration / 1000, 1),
        "peak_rss_mb": round(usage.ru_maxrss / 1024),
        "mode": params["mode"],
        "full_because": params.get("full_because"),
        "rows_written": {k: counts[k] for k in ("inserted", "updated", "deleted", "retired")},
        "kept": counts["kept"],
        "explained": counts["explained"],
        "suggestions": counts["suggestions"],
        "changed_responses": counts.get("changed_responses"),
        "engine_s": round(engine_s, 2),
        "ratio": round(wall / engine_s, 1) if engine_s else None,
        "steps_ms": {
            k: counts[k] for k in ("load_ms", "engine_ms", "read_stored_ms", "explain_and_stage_ms", "write_ms")
        },
        "write_steps_ms": counts.get("write_steps_ms"),
    }


def change_responses(url: str, n: int, seed: int) -> int:
    """Change the themes and sectors of n random submitted responses, as respondents editing their answers do."""
    rng = random.Random(seed)
    with open(ROOT / "data" / "taxonomy.json", encoding="utf-8") as fh:
        taxonomy = json.load(fh)
    themes = [t["code"] for t in taxonomy["themes"]]
    sectors = [s["code"] for s in taxonomy["sectors"]]
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            ids = [r for (r,) in conn.execute(text("SELECT id FROM response WHERE status = 'submitted' ORDER BY id"))]
            chosen = rng.sample(ids, min(n, len(ids)))
            for rid in chosen:
                conn.execute(text("DELETE FROM theme_interest WHERE response_id = :r"), {"r": rid})
                for code in rng.sample(themes, rng.randint(1, 5)):
                    conn.execute(
                        text(
                            "INSERT INTO theme_interest (response_id, theme_code, priority, stance) "
                            "VALUES (:r, :c, :p, :s)"
                        ),
                        {"r": rid, "c": code, "p": rng.randint(1, 3), "s": rng.choice(STANCES)},
                    )
                picked = json.dumps(rng.sample(sectors, rng.randint(0, 3)))
                cast = "CAST(:s AS jsonb)" if engine.dialect.name == "postgresql" else ":s"
                conn.execute(text(f"UPDATE response SET sectors = {cast} WHERE id = :r"), {"r": rid, "s": picked})
    finally:
        engine.dispose()
    return len(chosen)


def bench_database(url: str, args, work: Path) -> dict:
    """Build the data set in a fresh schema or file, then the three runs."""
    if args.built:
        # a database this script's builder filled and nothing has committed to since (--built)
        database = Database(url, make_url(url).get_backend_name())
        result = {"backend": database.backend, "dataset": "built beforehand"}
    else:
        database = create_database(url, label="nightly")
        result = {"backend": database.backend}
    try:
        if not args.built:
            started = time.perf_counter()
            plan = fill(database, args.collectivites, args.suggestions, args.seed, args.korean)
            result["dataset"] = {
                "collectivites": plan["collectivites"],
                "suggestions": plan["suggestions"],
                "build_s": round(time.perf_counter() - started, 1),
            }
        result["full"] = measured(database.url, work, full=True)
        print(json.dumps({"full": result["full"]}, indent=1), file=sys.stderr)
        result["changed"] = change_responses(database.url, args.changed, args.seed)
        result["incremental"] = measured(database.url, work, full=False)
        print(json.dumps({"incremental": result["incremental"]}, indent=1), file=sys.stderr)
        result["unchanged"] = measured(database.url, work, full=False)
    finally:
        if not args.keep and not args.built:
            database.drop()
        else:
            result["kept_database"] = database.url
    return result


def machine() -> str:
    """CPU count and load, for the record."""
    load = os.getloadavg()
    return f"{platform.machine()}, {os.cpu_count()} vCPU, load average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", action="append", required=True, help="SQLAlchemy URL (repeat for several)")
    parser.add_argument("--collectivites", type=int, default=36_000)
    parser.add_argument("--suggestions", type=int, default=500_000)
    parser.add_argument(
        "--korean", type=int, default=0, help="Korean governments (made-up ones added beyond the 243 real ones)"
    )
    parser.add_argument("--changed", type=int, default=100, help="responses changed before the incremental run")
    parser.add_argument("--seed", type=int, default=20261125)
    parser.add_argument("--keep", action="store_true", help="keep the schema or file")
    parser.add_argument(
        "--built",
        action="store_true",
        help="the --database URLs hold a data set built with these sizes and seed and untouched since",
    )
    args = parser.parse_args()
    work = ROOT / "bench" / "results" / "nightly-instance"
    work.mkdir(parents=True, exist_ok=True)
    results = {
        "machine_before": machine(),
        "collectivites": args.collectivites,
        "suggestions": args.suggestions,
        "runs": [],
    }
    for url in args.database:
        results["runs"].append(bench_database(url, args, work))
    results["machine_after"] = machine()
    out = ROOT / "bench" / "results" / "nightly.json"
    out.write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")
    print(
        f"{args.collectivites:,} collectivités, {args.suggestions:,} existing suggestions; {results['machine_before']}"
    )
    print(
        "| database | run | wall (s) | run record (s) | CPU (s) | server CPU (s) | peak RSS (MB) "
        "| written (new / updated / removed / kept for history) | unchanged | explained | engine (s) | wall / engine |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in results["runs"]:
        for name, label in (
            ("full", "full (`--full`)"),
            ("incremental", f"after {r['changed']} changed responses"),
            ("unchanged", "nothing changed"),
        ):
            m = r[name]
            w = m["rows_written"]
            print(
                f"| {r['backend']} | {label} ({m['mode']}) | {m['wall_s']} | {m['run_s']} | {m['cpu_s']} | "
                f"{m['server_cpu_s'] if m['server_cpu_s'] is not None else '–'} | {m['peak_rss_mb']} | "
                f"{w['inserted']} / {w['updated']} / {w['deleted']} / {w['retired']} | {m['kept']} | {m['explained']} "
                f"| {m['engine_s']} | {m['ratio']} |"
            )
    print(f"machine after: {results['machine_after']}; details in {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
