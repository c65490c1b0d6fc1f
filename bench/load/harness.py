"""One load-test run from start to finish: fresh database, bulk data, gunicorn, locust, figures, clean-up.

Used by bench/load_test.py (full size, documented command) and by tests/load (a short run in CI). Everything is
bounded in time: the locust run has a fixed duration and a hard timeout, gunicorn is stopped and the schema or
file removed in ``finally`` blocks.
"""

from __future__ import annotations

import json
import math
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bench.load.dataset import Database, create_database, fill
from bench.load.kinds import KINDS
from bench.load.server import Gunicorn, redis_available
from bench.review_list import percentile
from matchmaker.questionnaire.operations import LINK_EMAIL_KIND

ROOT = Path(__file__).resolve().parents[2]
LOCUSTFILE = Path(__file__).resolve().parent / "locustfile.py"
REDIS_URL = "redis://127.0.0.1:6379/15"
#: Seconds after the last user started before the steady state is measured (its login and first pages).
RAMP_SETTLE_S = 5


@dataclass
class LoadSettings:
    """What to load and how hard to push."""

    database_url: str
    collectivites: int = 36_000
    suggestions: int = 500_000
    users: int = 50
    spawn_rate: float = 10
    duration: int = 60
    warmup: int = 10  # seconds of traffic before the measured run (every worker loads templates, caches fill)
    workers: int = 3
    threads: int = 4
    think: float = 1.0
    stop_timeout: int = 10  # seconds users get to finish the task under way when the time is up
    ratelimit: str = "auto"  # auto: Redis when it answers (and the client library is installed), else per worker memory
    keep: bool = False
    reuse: Path | None = None  # the work folder of an earlier --keep run: measure again on its data, keep it
    seed: int = 20261125
    work_dir: Path | None = None


@dataclass
class LoadResult:
    """Figures of one run (written as JSON, printed as a table)."""

    settings: dict
    machine: dict
    data: dict
    server: dict
    overall: dict
    by_kind: list[dict]
    statuses: dict
    errors: dict
    effects: dict
    log: dict
    ramp: dict = field(default_factory=dict)
    server_ms: list[dict] = field(default_factory=list)
    #: Requests the server completed (status below 400) by kind, read from its log after it stopped: the requests
    #: whose effects are in the database, including those still in flight when the load generator stopped.
    server_completed: dict = field(default_factory=dict)
    cpu: dict = field(default_factory=dict)
    slowest: list[dict] = field(default_factory=list)


def machine_info(database_url: str) -> dict:
    """CPU, memory and versions of the machine the figures come from."""
    info = {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count()}
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True, timeout=10).stdout
        for line in out.splitlines():
            key, _, value = line.partition(":")
            if key.strip() in ("Model name", "CPU(s)", "Thread(s) per core", "Core(s) per socket", "Hypervisor vendor"):
                info[key.strip()] = value.strip()
    except (OSError, subprocess.SubprocessError):
        pass
    try:
        with open("/proc/meminfo") as fh:
            info["ram_gib"] = round(int(fh.readline().split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            if engine.dialect.name == "postgresql":
                info["database"] = conn.execute(text("SELECT version()")).scalar().split(" on ")[0]
            else:
                info["database"] = f"SQLite {sqlite3.sqlite_version}"
    finally:
        engine.dispose()
    return info


def cpu_times() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot, from /proc/stat."""
    ticks = os.sysconf("SC_CLK_TCK")
    with open("/proc/stat") as fh:
        fields = [int(v) for v in fh.readline().split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return (sum(fields) - idle) / ticks, sum(fields) / ticks


def processes() -> dict[int, tuple[int, str, float]]:
    """pid -> (process group, command line, CPU seconds so far) of every process on the machine."""
    ticks, found = os.sysconf("SC_CLK_TCK"), {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmd = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        # field 5 of stat is the process group, 14 and 15 the user and system time
        found[int(entry.name)] = (int(fields[2]), cmd[:120], (int(fields[11]) + int(fields[12])) / ticks)
    return found


def cpu_by_process(before: dict, after: dict, gunicorn_pgid: int) -> tuple[float, list[dict]]:
    """CPU seconds gunicorn used between two snapshots, and the other processes that used the most."""
    gunicorn, others = 0.0, []
    for pid, (pgid, cmd, cpu) in after.items():
        used = cpu - (before[pid][2] if pid in before else 0.0)
        if pgid == gunicorn_pgid:
            gunicorn += used
        elif used >= 0.5:
            others.append({"pid": pid, "cpu_s": round(used, 1), "command": cmd})
    return gunicorn, sorted(others, key=lambda o: -o["cpu_s"])[:8]


class CpuMeter:
    """Who used the CPU during the measured run: gunicorn, this test's PostgreSQL backends, locust, the rest."""

    def __init__(self, gunicorn_pgid: int, postgresql_url: str | None, application_name: str):
        self.gunicorn_pgid, self.postgresql_url, self.application_name = gunicorn_pgid, postgresql_url, application_name
        self.t0, self.load_before = time.monotonic(), os.getloadavg()[0]
        self.machine0, self.processes0, self.children0 = cpu_times(), processes(), _children_cpu()

    def backends(self) -> set[int]:
        """Process ids of the PostgreSQL backends serving gunicorn's connections (named after this run)."""
        if not self.postgresql_url:
            return set()
        engine = create_engine(self.postgresql_url)
        try:
            with engine.connect() as conn:
                return set(
                    conn.execute(
                        text("SELECT pid FROM pg_stat_activity WHERE application_name = :name"),
                        {"name": self.application_name},
                    ).scalars()
                )
        finally:
            engine.dispose()

    def stop(self) -> dict:
        """CPU seconds per part since the meter started (call while gunicorn still runs)."""
        wall = time.monotonic() - self.t0
        (busy0, total0), (busy1, total1) = self.machine0, cpu_times()
        after = processes()
        gunicorn, others = cpu_by_process(self.processes0, after, self.gunicorn_pgid)
        backends = self.backends()
        database = sum(after[pid][2] - self.processes0.get(pid, (0, "", 0.0))[2] for pid in backends if pid in after)
        locust = _children_cpu() - self.children0
        cpu = {
            "cores": os.cpu_count(),
            "wall_s": round(wall, 1),
            "machine_busy_pct": round(100 * (busy1 - busy0) / max(total1 - total0, 1e-9), 1),
            "machine_busy_cpu_s": round(busy1 - busy0, 1),
            "gunicorn_cpu_s": round(gunicorn, 1),
            "locust_cpu_s": round(locust, 1),
            "others_cpu_s": round(busy1 - busy0 - gunicorn - locust - database, 1),
            "load_avg_1min_before": round(self.load_before, 2),
            "load_avg_1min_after": round(os.getloadavg()[0], 2),
            "top_other_processes": [o for o in others if o["pid"] not in backends],
        }
        if self.postgresql_url:
            cpu["postgresql_cpu_s"] = round(database, 1)
        return cpu


def summarize(values: list[float]) -> dict:
    """p50/p95/p99/max/mean of durations in ms."""
    if not values:
        return {"n": 0}
    return {
        "n": len(values),
        "p50": round(percentile(values, 50), 1),
        "p95": round(percentile(values, 95), 1),
        "p99": round(percentile(values, 99), 1),
        "max": round(max(values), 1),
        "mean": round(statistics.mean(values), 1),
    }


def run_locust(
    settings: LoadSettings,
    base_url: str,
    plan_path: Path,
    samples_path: Path,
    users: int,
    seconds: int,
    csv_prefix: Path | None,
) -> list:
    """Run locust headless in its own process (gevent patches everything it imports) and read its samples."""
    cmd = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(LOCUSTFILE),
        "--headless",
        "--host",
        base_url,
        "-u",
        str(users),
        "-r",
        str(settings.spawn_rate),
        "-t",
        f"{seconds}s",
        "--stop-timeout",
        str(settings.stop_timeout),
        "--only-summary",
        "--loglevel",
        "WARNING",
        "--exit-code-on-error",
        "0",
    ]
    if csv_prefix is not None:
        cmd += ["--csv", str(csv_prefix)]
    env = {
        **os.environ,
        "LOAD_PLAN": str(plan_path),
        "LOAD_SAMPLES": str(samples_path),
        "LOAD_THINK": str(settings.think),
        "PYTHONPATH": str(ROOT),
    }
    out = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=seconds + 120)
    if not samples_path.exists():
        raise RuntimeError(f"locust wrote no samples (exit {out.returncode}):\n{out.stderr[-3000:]}")
    return json.loads(samples_path.read_text(encoding="utf-8"))


def effects_of(database_url: str, since: datetime) -> dict:
    """What the run wrote: drafts, private links, queued emails, decisions (proof the saves really happened)."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:

            def count(sql: str) -> int:
                return int(
                    conn.execute(
                        text(sql),
                        {"since": since if engine.dialect.name == "postgresql" else since.replace(tzinfo=None)},
                    ).scalar()
                    or 0
                )

            return {
                "drafts_created": count(
                    "SELECT count(*) FROM response WHERE status = 'draft' AND created_at >= :since"
                ),
                "submitted_with_new_draft": count(
                    "SELECT count(*) FROM response WHERE status = 'submitted' AND draft IS NOT NULL "
                    "AND draft_saved_at >= :since"
                ),
                # Private edit links and the emails carrying them (an approval by both associations also issues
                # answer links and queues introductions: counted apart, as they depend on which pairs were drawn).
                "private_links_issued": count(
                    "SELECT count(*) FROM access_token WHERE purpose = 'edit' AND created_at >= :since"
                ),
                "emails_queued": count(
                    f"SELECT count(*) FROM outbox_message WHERE kind = '{LINK_EMAIL_KIND}' AND created_at >= :since"
                ),
                "other_links_issued": count(
                    "SELECT count(*) FROM access_token WHERE purpose <> 'edit' AND created_at >= :since"
                ),
                "other_emails_queued": count(
                    f"SELECT count(*) FROM outbox_message WHERE kind <> '{LINK_EMAIL_KIND}' AND created_at >= :since"
                ),
                "decisions_recorded": count("SELECT count(*) FROM review_decision WHERE created_at >= :since"),
            }
    finally:
        engine.dispose()


def run(settings: LoadSettings, log=print) -> LoadResult:
    """Load, serve, push, measure, clean up; returns the figures."""
    if settings.reuse is not None:
        work = Path(settings.reuse)
        plan = json.loads((work / "plan.json").read_text(encoding="utf-8"))
        database = Database(**plan["database"])
        keep = True
    else:
        work = Path(settings.work_dir or tempfile.mkdtemp(prefix="matchmaker-load-"))
        work.mkdir(parents=True, exist_ok=True)
        database = create_database(settings.database_url)
        keep = settings.keep
    server = None
    try:
        if settings.reuse is None:
            where = f"schema {database.schema}" if database.schema else str(database.path)
            log(
                f"loading {settings.collectivites:,} collectivités, {settings.suggestions:,} suggestions "
                f"and their responses into {database.backend} ({where})"
            )
            plan = fill(database, settings.collectivites, settings.suggestions, settings.seed)
            log(
                f"loaded in {database.timings['total_s']} s: {plan['collectivites']:,} collectivités, "
                f"{plan['responses']:,} submitted responses ({plan['theme_interests']:,} theme rows), "
                f"{plan['suggestions']:,} suggestions "
                f"({plan['suggestion_themes']:,} common-theme rows)"
            )
            plan["database"] = {k: (str(v) if isinstance(v, Path) else v) for k, v in asdict(database).items()}
        else:
            log(
                f"reusing the data of {work} ({database.schema or database.path}); "
                "writes of earlier runs are still there"
            )
        plan_path = work / "plan.json"
        plan_path.write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")

        storage = None
        if settings.ratelimit == "auto":
            storage = REDIS_URL if redis_available(REDIS_URL) else "memory://"
        elif settings.ratelimit != "off":
            storage = settings.ratelimit
        app_url, application_name = database.url, f"matchmaker-load-{database.schema or 'sqlite'}"
        if database.backend == "postgresql":  # named connections: their backends' CPU is counted as this test's
            app_url = (
                make_url(database.url)
                .update_query_dict({"application_name": application_name})
                .render_as_string(hide_password=False)
            )
        server = Gunicorn(app_url, settings.workers, settings.threads, storage, log_dir=work)
        server.start()
        log(
            f"gunicorn on {server.base_url}: {settings.workers} workers × {settings.threads} threads (gthread), "
            f"rate limits {'on, storage ' + storage if storage else 'off'}"
        )

        if settings.warmup > 0:
            log(f"warm-up: {settings.warmup} s with {min(settings.users, 10)} users (not measured)")
            run_locust(
                settings,
                server.base_url,
                plan_path,
                work / "warmup.json",
                min(settings.users, 10),
                settings.warmup,
                None,
            )
            server.wait_until_quiet()  # warm-up requests still in flight land before the measured run's start
        log_offset = server.stderr_path.stat().st_size
        started = datetime.now(timezone.utc)
        log(
            f"measured run: {settings.users} users (spawn rate {settings.spawn_rate}/s), {ramp_seconds(settings)} s of "
            f"ramp-up (logins), then {settings.duration} s of steady state"
        )
        meter = CpuMeter(
            server.process.pid, database.url if database.backend == "postgresql" else None, application_name
        )
        measured = run_locust(
            settings,
            server.base_url,
            plan_path,
            work / "samples.json",
            settings.users,
            ramp_seconds(settings) + settings.duration,
            work / "locust",
        )
        cpu = meter.stop()
        scan = server.scan_log(offset=log_offset)  # before stopping: the shutdown's own lines are not findings
        server.stop()  # graceful: the requests in flight finish, and their log lines are written
        effects = effects_of(database.url, started)
        log(f"{len(measured['samples']):,} requests in {cpu['wall_s']:.0f} s; collecting figures")
        result = _result(settings, database, plan, server, storage, measured, scan, effects)
        result.server_completed = server.scan_log(offset=log_offset)["completed"]
        result.cpu = cpu
        return result
    finally:
        if server is not None:
            server.stop()
        if keep:
            log(
                f"kept {('schema ' + database.schema) if database.schema else database.path}; "
                f"measure again with --reuse {work}"
            )
        else:
            database.drop()
            if settings.work_dir is None:
                shutil.rmtree(work, ignore_errors=True)


def _children_cpu() -> float:
    """CPU seconds of this process's finished children (the locust runs)."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def table(samples: list) -> tuple[dict, list[dict]]:
    """Overall figures and one row per kind of request (in KINDS order) for a list of samples."""
    by_kind: dict[str, list] = {}
    for kind, ms, status, error, _at in samples:
        by_kind.setdefault(kind, []).append((ms, status, error))
    order = list(KINDS)
    rows = []
    for kind, entries in sorted(by_kind.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order)):
        rows.append(
            {
                "kind": kind,
                "label": KINDS.get(kind, kind),
                **summarize([e[0] for e in entries]),
                "failures": sum(1 for e in entries if e[2] is not None or not (200 <= e[1] < 400)),
                "server_errors": sum(1 for e in entries if e[1] >= 500),
            }
        )
    overall = summarize([s[1] for s in samples])
    overall.update(
        {"failures": sum(r["failures"] for r in rows), "server_errors": sum(r["server_errors"] for r in rows)}
    )
    return overall, rows


def _result(settings, database, plan, server, storage, run_, scan, effects) -> LoadResult:
    """Figures of the steady state and of the ramp-up, what the server's log and the database say."""
    samples, steady_from = run_["samples"], run_["started"] + ramp_seconds(settings)
    ramp = [s for s in samples if s[4] < steady_from]
    steady = [s for s in samples if s[4] >= steady_from]
    statuses: dict[str, int] = {}
    errors: dict[str, int] = {}
    for kind, _ms, status, error, _at in samples:
        statuses[str(status)] = statuses.get(str(status), 0) + 1
        if error:
            key = f"{kind}: {error}"[:300]
            errors[key] = errors.get(key, 0) + 1
    overall, rows = table(steady)
    ramp_overall, ramp_rows = table(ramp)
    overall.update(
        {
            "requests_per_s": round(len(steady) / settings.duration, 1),
            "timeouts": sum(n for k, n in errors.items() if "timeout" in k.lower()),
            "failures_whole_run": sum(1 for s in samples if s[3] is not None or not (200 <= s[2] < 400)),
            "server_errors_whole_run": sum(1 for s in samples if s[2] >= 500),
            "requests_whole_run": len(samples),
        }
    )
    order = list(KINDS)
    slowest = sorted(samples, key=lambda s: -s[1])[:15]
    return LoadResult(
        settings={k: (str(v) if isinstance(v, Path) else v) for k, v in asdict(settings).items() if k != "database_url"}
        | {"ramp_up_s": ramp_seconds(settings)},
        machine=machine_info(database.url),
        data={
            k: plan.get(k)
            for k in (
                "collectivites",
                "responses",
                "theme_interests",
                "suggestions",
                "suggestion_themes",
                "introductions",
            )
        }
        | {"load_s": database.timings},
        server={
            "command": "gunicorn " + " ".join(server.command()[3:]),
            "workers": settings.workers,
            "threads": settings.threads,
            "ratelimit_storage": storage,
            "backend": database.backend,
        },
        overall=overall,
        by_kind=rows,
        ramp={"overall": ramp_overall, "by_kind": ramp_rows},
        statuses=statuses,
        errors=errors,
        effects=effects,
        log={
            "database_locked": scan["database_locked"],
            "error_lines": scan["error_lines"][:50],
            "error_line_count": len(scan["error_lines"]),
        },
        server_ms=[
            {"kind": kind, **summarize(values)}
            for kind, values in sorted(
                scan["server_ms"].items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order)
            )
        ],
        slowest=[
            {"kind": k, "ms": ms, "status": st, "at_s": round(at - run_["started"], 1)} for k, ms, st, _e, at in slowest
        ],
    )


def ramp_seconds(settings: LoadSettings) -> int:
    """How long the users take to start and log in; the figures of this phase are reported on their own."""
    return math.ceil(settings.users / settings.spawn_rate) + RAMP_SETTLE_S


def markdown(result: LoadResult) -> str:
    """The figures as the README's table (client-side times, which include queueing in gunicorn)."""
    o = result.overall
    head = [
        "| request | n | p50 ms | p95 ms | p99 ms | max ms | failures | 5xx |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]

    def rows(overall, by_kind, total_label):
        out = [
            f"| {r['label']} | {r['n']} | {r['p50']} | {r['p95']} | {r['p99']} | {r['max']} "
            f"| {r['failures']} | {r['server_errors']} |"
            for r in by_kind
            if r["n"]
        ]
        if overall.get("n"):
            out.append(
                f"| **{total_label}** | {overall['n']} | {overall['p50']} | **{overall['p95']}** | {overall['p99']} | "
                f"{overall['max']} | {overall['failures']} | {overall['server_errors']} |"
            )
        return out

    lines = [
        f"Steady state ({result.settings['duration']} s, all {result.settings['users']} users started and logged in):",
        "",
        *head,
        *rows(o, result.by_kind, "all"),
        "",
    ]
    ramp = result.ramp
    if ramp.get("overall", {}).get("n"):
        lines += [
            f"Ramp-up ({result.settings['ramp_up_s']} s: users start at {result.settings['spawn_rate']}/s, "
            "staff log in with the deliberately slow scrypt password hash):",
            "",
            *head,
            *rows(ramp["overall"], ramp["by_kind"], "all"),
            "",
        ]
    lines.append(
        f"{o['n']:,} requests in the steady state ({o['requests_per_s']} req/s), "
        f"{o['requests_whole_run']:,} in the whole run; "
        f"failures in the whole run {o['failures_whole_run']}, 5xx {o['server_errors_whole_run']}, "
        f"timeouts {o['timeouts']}; "
        f'"database is locked" in the log: {result.log["database_locked"]}, error lines in the log: '
        f"{result.log['error_line_count']}; statuses {dict(sorted(result.statuses.items()))}"
    )
    c = result.cpu
    if c:
        database = (
            f", PostgreSQL (this test's connections) {c['postgresql_cpu_s']} s" if "postgresql_cpu_s" in c else ""
        )
        lines.append(
            f"CPU during the run ({c['cores']} cores, {c['wall_s']} s): machine {c['machine_busy_pct']} % busy; "
            f"gunicorn {c['gunicorn_cpu_s']} s{database}, locust {c['locust_cpu_s']} s, other work on the machine "
            f"{c['others_cpu_s']} s; load average {c['load_avg_1min_before']} before, {c['load_avg_1min_after']} after"
        )
    e = result.effects
    lines.append(
        f"written during the run: {e['drafts_created']} new drafts, "
        f"{e['submitted_with_new_draft']} submitted responses with a new draft, "
        f"{e['private_links_issued']} private links, {e['emails_queued']} emails queued, "
        f"{e['decisions_recorded']} decisions"
    )
    return "\n".join(lines)
