"""Benchmark of the nightly recompute end to end, on PostgreSQL and SQLite: as cold `matchmaker match` processes,
and as the scheduler's nightly job in its long-running process.

    python bench/nightly.py --database postgresql+psycopg://user@host/db [--database sqlite:////tmp/n.sqlite3]
                            [--mode cold|scheduler|both] [--collectivites 36000] [--korean 0]
                            [--suggestions 500000] [--changed 100] [--keep]

For each database and mode, the load test's data set (bench/load/dataset.py: collectivités with submitted
responses and existing suggestions; ``--korean 10000`` pads the Korean side with made-up governments) is built in
a fresh PostgreSQL schema or a new SQLite file, then:

- cold (each its own process): 1. `matchmaker match --full` (a new fit, every pair explained again: the first
  night, or after new weights); 2. `matchmaker match` after `--changed` responses changed their themes and
  sectors (the usual night); 3. `matchmaker match` with nothing changed;
- scheduler (a second data set built the same way; on SQLite a file with `-scheduler` added to its name): one
  process runs the scheduler's nightly job (``jobs.schedule.run_job``) three nights running: the first night,
  after `--changed` responses changed, with nothing changed. Its engine is kept between nights, as in production
  (`matchmaker scheduler` or the embedded scheduler).

Each line reports wall time and CPU time (of the process, or of the job in the scheduler process), the CPU of the
PostgreSQL backend serving it, peak RSS (of the scheduler process: over its three nights), the rows written (from
the run record), how the engine was had (fitted, refreshed, kept), the engine's own time in the same run (loading
the changed or all responses, fit or refresh, top-k of every pair) and the ratio of the whole run to it. Results go
to stdout as a Markdown table and to bench/results/nightly.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import secrets
import select
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bench.load.dataset import Database, create_database, fill  # noqa: E402
from matchmaker.matching.codes import STANCES  # noqa: E402


def environment(url: str, work: Path) -> dict[str, str]:
    """Production settings for the `matchmaker` command, pointed at the benchmark's database.

    PYTHONPATH puts this checkout first: the `matchmaker` command imports the installed package, which an
    editable install maps to the tree it was installed from, so a benchmark run from another checkout of the
    repository would otherwise time that tree's code in its cold processes (and this one's in the scheduler's).
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("MATCHMAKER_") and k != "DATABASE_URL"}
    env.update(
        {
            "PYTHONPATH": os.pathsep.join(filter(None, (str(ROOT), os.environ.get("PYTHONPATH")))),
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
    return {
        "wall_s": round(wall, 1),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 1),
        "server_cpu_s": round(sum(backend.values()), 1) if postgres else None,
        "peak_rss_mb": round(usage.ru_maxrss / 1024),
        **last_run(url, wall),
    }


def last_run(url: str, wall: float) -> dict:
    """The last run record (`match_run`): its mode, rows written, steps, and the engine's time beside ``wall``."""
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
        "run_s": round(duration / 1000, 1),
        "mode": params["mode"],
        "full_because": params.get("full_because"),
        "engine": counts.get("engine"),
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


def scheduler_child() -> None:
    """The scheduler process (``--scheduler-child``): runs the nightly job exactly as the scheduler does
    (``jobs.schedule.run_job``, its own application context, once per night), one night per line read on stdin,
    and prints each job's wall and CPU time as a JSON line. Nothing else runs in it."""
    from jobs.schedule import JOBS_BY_NAME, run_job
    from matchmaker.app import create_app

    app = create_app()
    spec = JOBS_BY_NAME["suggestions-recompute"]
    first_night = datetime.now(timezone.utc)
    for night, _ in enumerate(sys.stdin):
        started, cpu = time.perf_counter(), time.process_time()
        result = run_job(app, spec, first_night + timedelta(days=night))
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
        print(json.dumps({"wall_s": wall, "cpu_s": cpu, "status": result.status, "error": result.error}), flush=True)


def measured_scheduler(url: str, work: Path, changed: int, seed: int) -> list[dict]:
    """Three nights in one scheduler process: the first, after ``changed`` responses changed, nothing changed.

    Per night: the job's wall and CPU time (measured in the process), the CPU of its PostgreSQL backend, its run
    record; the process's peak RSS at the end (wait4)."""
    name = f"nightly-scheduler-{secrets.token_hex(4)}"
    postgres = url.startswith("postgresql")
    child_url = url + ("&" if "?" in url else "?") + f"application_name={name}" if postgres else url
    monitor = create_engine(url) if postgres else None
    backend: dict[int, float] = {}
    errors = work / "scheduler.err"
    nights = []
    with open(errors, "wb") as err_file:
        process = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "--scheduler-child"],
            cwd=ROOT,
            env=environment(child_url, work),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=err_file,
            text=True,
        )
        try:
            for night in ("first", "changed", "unchanged"):
                if night == "changed":
                    change_responses(url, changed, seed)
                server_before = sum(backend.values())
                process.stdin.write("night\n")
                process.stdin.flush()
                while not select.select([process.stdout], [], [], 0.5)[0]:
                    if process.poll() is not None:
                        raise RuntimeError("scheduler process failed:\n" + errors.read_text(errors="replace"))
                    if monitor is not None:
                        _backend_cpu(monitor, name, backend)
                line = process.stdout.readline()
                if not line:
                    raise RuntimeError("scheduler process failed:\n" + errors.read_text(errors="replace"))
                if monitor is not None:
                    _backend_cpu(monitor, name, backend)
                job = json.loads(line)
                if job["status"] != "done":
                    raise RuntimeError(f"the nightly job did not run: {job}")
                nights.append(
                    {
                        "night": night,
                        "wall_s": round(job["wall_s"], 1),
                        "cpu_s": round(job["cpu_s"], 1),
                        "server_cpu_s": round(sum(backend.values()) - server_before, 1) if postgres else None,
                        "job_status": job["status"],
                        **last_run(url, job["wall_s"]),
                    }
                )
                print(json.dumps({"scheduler": nights[-1]}, indent=1), file=sys.stderr)
        finally:
            process.stdin.close()
            _, status, usage = os.wait4(process.pid, 0)
            if monitor is not None:
                monitor.dispose()
    for night in nights:
        night["peak_rss_mb"] = round(usage.ru_maxrss / 1024)  # the process's peak over the three nights
    return nights


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


def _build(url: str, args, result: dict):
    """A fresh schema or file filled by the load test's builder (or the one given with --built)."""
    if args.built:
        # a database this script's builder filled and nothing has committed to since (--built)
        result["dataset"] = "built beforehand"
        return Database(url, make_url(url).get_backend_name())
    database = create_database(url, label="nightly")
    started = time.perf_counter()
    try:
        plan = fill(database, args.collectivites, args.suggestions, args.seed, args.korean)
    except BaseException:
        database.drop()
        raise
    result["dataset"] = {
        "collectivites": plan["collectivites"],
        "suggestions": plan["suggestions"],
        "build_s": round(time.perf_counter() - started, 1),
    }
    return database


def _done_with(database, args, result: dict) -> None:
    if not args.keep and not args.built:
        database.drop()
    else:
        result["kept_database"] = database.url


def _scheduler_url(url: str, args) -> str:
    """Where the scheduler's data set goes: after the cold one, a SQLite file of its own (`-scheduler` added to
    the name; the cold one may be kept); on PostgreSQL every build is a new schema anyway."""
    parsed = make_url(url)
    if args.mode != "both" or parsed.get_backend_name() != "sqlite":
        return url
    path = Path(parsed.database)
    return parsed.set(database=str(path.with_name(f"{path.stem}-scheduler{path.suffix}"))).render_as_string(
        hide_password=False
    )


def bench_database(url: str, args, work: Path) -> dict:
    """The cold runs (three `matchmaker match` processes) on one data set, the scheduler's three nights on
    another, built the same way (each sequence starts from the 500,000 stored suggestions)."""
    result = {"backend": make_url(url).get_backend_name()}
    if args.mode in ("cold", "both"):
        cold: dict = {}
        database = _build(url, args, cold)
        try:
            cold["full"] = measured(database.url, work, full=True)
            print(json.dumps({"full": cold["full"]}, indent=1), file=sys.stderr)
            cold["changed"] = change_responses(database.url, args.changed, args.seed)
            cold["incremental"] = measured(database.url, work, full=False)
            print(json.dumps({"incremental": cold["incremental"]}, indent=1), file=sys.stderr)
            cold["unchanged"] = measured(database.url, work, full=False)
        finally:
            _done_with(database, args, cold)
        result["cold"] = cold
    if args.mode in ("scheduler", "both"):
        scheduler: dict = {}
        database = _build(_scheduler_url(url, args), args, scheduler)
        try:
            scheduler["nights"] = measured_scheduler(database.url, work, args.changed, args.seed)
        finally:
            _done_with(database, args, scheduler)
        result["scheduler"] = scheduler
    return result


def machine() -> str:
    """CPU count and load, for the record."""
    load = os.getloadavg()
    return f"{platform.machine()}, {os.cpu_count()} vCPU, load average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}"


def main() -> None:
    if sys.argv[1:] == ["--scheduler-child"]:
        scheduler_child()
        return
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", action="append", required=True, help="SQLAlchemy URL (repeat for several)")
    parser.add_argument(
        "--mode",
        choices=("cold", "scheduler", "both"),
        default="both",
        help="cold `matchmaker match` processes, the scheduler's nights in one process, or both",
    )
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
    if args.built and args.mode == "both":
        parser.error("--built names one untouched data set, which the first sequence changes: give --mode")
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
        rows = []
        if "cold" in r:
            c = r["cold"]
            rows += [
                ("`matchmaker match --full`", c["full"]),
                (f"`matchmaker match` after {c['changed']} changed responses", c["incremental"]),
                ("`matchmaker match`, nothing changed", c["unchanged"]),
            ]
        if "scheduler" in r:
            labels = {
                "first": "first night",
                "changed": f"after {args.changed} changed",
                "unchanged": "nothing changed",
            }
            rows += [(f"scheduler process: {labels[n['night']]}", n) for n in r["scheduler"]["nights"]]
        for label, m in rows:
            w = m["rows_written"]
            print(
                f"| {r['backend']} | {label} ({m['mode']}, engine {m.get('engine')}) | {m['wall_s']} | {m['run_s']} | "
                f"{m['cpu_s']} | {m['server_cpu_s'] if m['server_cpu_s'] is not None else '–'} | {m['peak_rss_mb']} | "
                f"{w['inserted']} / {w['updated']} / {w['deleted']} / {w['retired']} | {m['kept']} | {m['explained']} "
                f"| {m['engine_s']} | {m['ratio']} |"
            )
    print(f"machine after: {results['machine_after']}; details in {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
