"""Benchmark of the staff list of suggested pairs at production scale.

    python bench/review_list.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/test
    python bench/review_list.py --database-url sqlite:///tmp/bench.sqlite3 --requests 300

Creates a fresh schema (a new PostgreSQL schema, dropped at the end unless --keep; or a new SQLite file) with
the migrations, bulk-loads 36,000 real collectivités from data/reference (all Korean ones, French ones to
make up the number) and 500,000 suggestions with their common themes (COPY on PostgreSQL, executemany on
SQLite), then logs in as a reviewer and sends a realistic mix of list requests through the Flask test client
(the whole request: login check, filters, keyset page, capped count, themes of the page, HTML rendering):
first pages with each filter and sort, name searches in Latin and Hangul, and walks of several pages
forwards then back. Prints p50/p95/p99 per kind of request and overall, and writes
bench/results/review_list.json.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import re
import statistics
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from matchmaker import database  # noqa: E402
from matchmaker.matching.text import search_key  # noqa: E402
from matchmaker.questionnaire.codes import theme_codes  # noqa: E402

THEMES = theme_codes()  # the taxonomy's order: the first themes are the most common in the data set
#: Share of each state among the suggestions (most pairs wait for review).
STATES = (
    ("suggested", 0.93),
    ("approved", 0.015),
    ("rejected", 0.025),
    ("introduced", 0.015),
    ("mutual", 0.005),
    ("declined", 0.01),
)
SORTS = ("score", "themes", "complementarity", "sectors", "size", "text", "fr_name", "kr_name", "updated")
PASSWORD = "benchmark password 1"
NEXT_RE = re.compile(r'rel="next" href="([^"]+)"')
PREV_RE = re.compile(r'rel="prev" href="([^"]+)"')


def read_reference(country: str) -> list[dict]:
    """Rows of data/reference/collectivites_<country>.csv."""
    with open(ROOT / "data" / "reference" / f"collectivites_{country.lower()}.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def collectivite_rows(total: int, rng: random.Random, korean: int = 0) -> list[dict]:
    """``total`` real collectivités: every Korean one and a sample of French ones (biggest levels first).

    ``korean`` above the 243 real Korean governments adds made-up ones (each a real one's level, region and
    population within a factor of two, its name numbered) to reach that many: the size of the benchmarks' second
    country (36,000 × 10,000); the French fill the rest of ``total``.
    """
    kr = read_reference("KR")
    real_kr = len(kr)
    for n in range(max(0, korean - real_kr)):
        model = kr[n % real_kr]
        population = int(model["population"] or 0)
        kr.append(
            {
                **model,
                "code": "",
                "name": f"{model['name']} {n + 1}",
                "name_local": f"{model['name_local']} {n + 1}" if model["name_local"] else "",
                "population": str(int(population * rng.uniform(0.5, 2.0))) if population > 0 else "",
            }
        )
    fr = read_reference("FR")
    upper = [r for r in fr if r["level"] != "commune"]
    communes = [r for r in fr if r["level"] == "commune"]
    rng.shuffle(communes)
    chosen = kr + upper + communes[: max(0, total - len(kr) - len(upper))]
    now = datetime.now(timezone.utc)
    rows = []
    for n, r in enumerate(chosen[:total], start=1):
        rows.append(
            {
                "id": n,
                "country": r["country"],
                "level": r["level"],
                "code": r["code"] or None,
                "name": r["name"],
                "name_local": r["name_local"] or None,
                "name_key": search_key(r["name"]),
                "population": int(r["population"]) if r["population"] and int(r["population"]) > 0 else None,
                "region": (r["region_local"] if r["country"] == "KR" else r["region"]) or None,
                "created_at": now,
                "updated_at": now,
            }
        )
    return rows


def suggestion_rows(collectivites: list[dict], total: int, rng: random.Random):
    """``total`` French–Korean pairs (top lists of the French side), with scores, states and common themes."""
    fr = [c for c in collectivites if c["country"] == "FR"]
    kr = [c for c in collectivites if c["country"] == "KR"]
    per_fr = -(-total // len(fr))
    weights = [1.0 + (c["population"] or 1) ** 0.3 for c in kr]  # bigger Korean partners come up more often
    theme_weights = [1.0 / (i + 1) ** 0.6 for i in range(len(THEMES))]
    states, state_weights = zip(*STATES)
    now = datetime.now(timezone.utc)
    suggestions, themes = [], []
    sid = 0
    for c in fr:
        partners = set()
        while len(partners) < min(per_fr, len(kr)):
            partners.update(p["id"] for p in rng.choices(kr, weights=weights, k=per_fr - len(partners)))
        for rank, kr_id in enumerate(sorted(partners), start=1):
            if sid >= total:
                return suggestions, themes
            sid += 1
            dims = [rng.betavariate(2, 3) for _ in range(5)]
            score = round(0.35 * dims[0] + 0.25 * dims[1] + 0.15 * dims[2] + 0.15 * dims[3] + 0.10 * dims[4], 6)
            state = rng.choices(states, weights=state_weights)[0]
            cuf = garok = None
            if state in ("approved", "introduced", "mutual", "declined"):
                cuf = garok = "approve"
            elif state == "rejected":
                cuf, garok = rng.choice((("reject", None), (None, "reject"), ("approve", "reject")))
            elif rng.random() < 0.06:
                cuf = "approve"
            elif rng.random() < 0.04:
                garok = "approve"
            codes = sorted(set(rng.choices(THEMES, weights=theme_weights, k=rng.randint(1, 4))))
            changed = now - timedelta(minutes=rng.randint(0, 60 * 24 * 365))
            suggestions.append(
                {
                    "id": sid,
                    "fr_id": c["id"],
                    "kr_id": kr_id,
                    "score_total": score,
                    "score_themes": round(dims[0], 6),
                    "score_complementarity": round(dims[1], 6),
                    "score_sectors": round(dims[2], 6),
                    "score_size": round(dims[3], 6),
                    "score_text": round(dims[4], 6),
                    "rank_fr": rank,
                    "rank_kr": None,
                    "reasons": json.dumps(
                        [
                            {"code": "shared_themes", "params": {"codes": codes}},
                            {"code": "offers", "params": {"offerer": "fr", "themes": codes[:1]}},
                            {"code": "similar_size", "params": {"population_ratio": 1.4}},
                        ]
                    ),
                    "theme_codes": json.dumps(codes),
                    "state": state,
                    "cuf_decision": cuf,
                    "garok_decision": garok,
                    "outcome": "meeting" if state == "mutual" and rng.random() < 0.5 else None,
                    "is_current": True,
                    "run_id": None,
                    "created_at": changed,
                    "updated_at": changed,
                }
            )
            themes.extend((sid, code) for code in codes)
    return suggestions, themes


def with_search_path(url: str, schema: str) -> str:
    """A PostgreSQL URL whose connections use ``schema``."""
    u = make_url(url)
    if u.drivername in ("postgresql", "postgres"):
        u = u.set(drivername="postgresql+psycopg")
    return u.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)


def copy_rows(engine, table: str, columns: list[str], rows) -> None:
    """Bulk-load rows: COPY on PostgreSQL, executemany on SQLite."""
    if engine.dialect.name == "postgresql":
        raw = engine.raw_connection()
        try:
            with raw.cursor() as cur:
                with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row([row[c] for c in columns] if isinstance(row, dict) else row)
            raw.commit()
        finally:
            raw.close()
        return
    placeholders = ", ".join(f":{c}" for c in columns)
    with engine.begin() as conn:
        batch = []
        for row in rows:
            if not isinstance(row, dict):
                row = dict(zip(columns, row))
            else:
                row = {c: (v.replace(tzinfo=None) if isinstance(v, datetime) else v) for c, v in row.items()}
            batch.append(row)
            if len(batch) >= 20000:
                conn.execute(text(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})"), batch)
                batch = []
        if batch:
            conn.execute(text(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})"), batch)


def load(engine, n_collectivites: int, n_suggestions: int, seed: int, korean: int = 0) -> dict:
    """Create the schema and fill it (``korean``: see collectivite_rows); returns what the request mix samples from."""
    rng = random.Random(seed)
    database.upgrade(engine)
    collectivites = collectivite_rows(n_collectivites, rng, korean)
    suggestions, themes = suggestion_rows(collectivites, n_suggestions, rng)
    generated = time.perf_counter()
    copy_rows(engine, "collectivite", list(collectivites[0]), collectivites)
    copy_rows(engine, "suggestion", list(suggestions[0]), suggestions)
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            for table in ("collectivite", "suggestion"):
                conn.execute(
                    text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
                )
    # The steady state of a live database: statistics and the visibility map are up to date (autovacuum's
    # job after each bulk change), so index-only scans skip the table.
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE"))
    loaded = time.perf_counter()
    return sample_of(collectivites, len(suggestions), len(themes), round(loaded - generated, 1), rng)


def existing(engine, seed: int) -> dict:
    """The sample of an already loaded schema (--reuse)."""
    with engine.connect() as conn:
        rows = [
            dict(r._mapping)
            for r in conn.execute(text("SELECT id, country, level, name, name_local, region FROM collectivite"))
        ]
        n = conn.execute(text("SELECT count(*) FROM suggestion")).scalar()
        length = "jsonb_array_length" if engine.dialect.name == "postgresql" else "json_array_length"
        t = conn.execute(text(f"SELECT coalesce(sum({length}(theme_codes)), 0) FROM suggestion")).scalar()
    return sample_of(rows, n, t, 0.0, random.Random(seed))


def sample_of(collectivites: list[dict], n_suggestions: int, n_themes: int, load_s: float, rng: random.Random) -> dict:
    """Sizes, and the values the request mix draws from."""
    return {
        "collectivites": len(collectivites),
        "suggestions": n_suggestions,
        "suggestion_themes": n_themes,
        "load_s": load_s,
        "fr_regions": sorted({c["region"] for c in collectivites if c["country"] == "FR" and c["region"]}),
        "kr_regions": sorted({c["region"] for c in collectivites if c["country"] == "KR" and c["region"]}),
        "fr_levels": sorted({c["level"] for c in collectivites if c["country"] == "FR"}),
        "kr_levels": sorted({c["level"] for c in collectivites if c["country"] == "KR"}),
        "names": [c["name"][:5] for c in rng.sample(collectivites, 200)]
        + [c["name_local"][:2] for c in collectivites if c["country"] == "KR" and c["name_local"]][:60],
        "ids": [c["id"] for c in rng.sample(collectivites, 200)],
    }


def request_mix(sample: dict, n: int, rng: random.Random) -> list[tuple[str, str, int]]:
    """(kind, query string, pages to walk) for n list requests."""
    makers = [
        ("first page", lambda: {}, 1),
        (
            "state",
            lambda: {"state": rng.choice(["suggested", "approved", "rejected", "introduced", "mutual", "declined"])},
            1,
        ),
        ("awaiting my decision", lambda: {"awaiting": "1"}, 1),
        ("theme", lambda: {"theme": rng.choice(THEMES)}, 1),
        ("theme + state", lambda: {"theme": rng.choice(THEMES), "state": "suggested"}, 1),
        ("FR region", lambda: {"fr_region": rng.choice(sample["fr_regions"])}, 1),
        (
            "KR region + level",
            lambda: {"kr_region": rng.choice(sample["kr_regions"]), "kr_level": rng.choice(sample["kr_levels"])},
            1,
        ),
        ("FR level + theme", lambda: {"fr_level": rng.choice(sample["fr_levels"]), "theme": rng.choice(THEMES)}, 1),
        ("min score", lambda: {"min_score": rng.choice([50, 60, 70, 80])}, 1),
        ("name search", lambda: {"q": rng.choice(sample["names"])}, 1),
        ("one collectivité", lambda: {"collectivite": rng.choice(sample["ids"])}, 1),
        ("sort", lambda: {"sort": rng.choice(SORTS), "direction": rng.choice(["asc", "desc"])}, 1),
        (
            "sort + filters",
            lambda: {
                "sort": rng.choice(SORTS),
                "theme": rng.choice(THEMES),
                "kr_region": rng.choice(sample["kr_regions"]),
            },
            1,
        ),
        (
            "rare combination",
            lambda: {
                "fr_region": rng.choice(sample["fr_regions"]),
                "theme": rng.choice(THEMES),
                "kr_level": rng.choice(sample["kr_levels"]),
                "min_score": 40,
            },
            1,
        ),
        (
            "walk 5 pages + back",
            lambda: rng.choice(
                [{}, {"state": "suggested"}, {"theme": rng.choice(THEMES)}, {"sort": rng.choice(SORTS)}]
            ),
            5,
        ),
    ]
    out = []
    for i in range(n):
        kind, make, pages = makers[i % len(makers)]
        out.append((kind, urlencode(make()), pages))
    rng.shuffle(out)
    return out


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def run_requests(app, mix, warmup: int) -> dict[str, list[float]]:
    """Log in as a reviewer and time every list request (page walks time each page)."""
    from matchmaker.extensions import db
    from matchmaker.staff.operations import create_user

    with app.app_context():
        try:
            create_user("bench@cuf.example.org", PASSWORD, "CUF", "reviewer", "fr")
            db.session.commit()
        except ValueError:  # --reuse: the account is already there
            db.session.rollback()
    client = app.test_client()
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/staff/login").get_data(as_text=True)).group(1)
    assert (
        client.post(
            "/staff/login", data={"email": "bench@cuf.example.org", "password": PASSWORD, "csrf_token": token}
        ).status_code
        == 302
    )
    timings: dict[str, list[float]] = {}
    slowest: list[tuple[float, str]] = []

    def timed(kind, url):
        started = time.perf_counter()
        response = client.get(url)
        took = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        slowest.append((took, url))
        return took, response.get_data(as_text=True)

    for kind, query, _ in mix[:warmup]:
        timed(kind, f"/staff/pairs?{query}")
    for kind, query, pages in mix:
        took, html = timed(kind, f"/staff/pairs?{query}")
        timings.setdefault(kind, []).append(took)
        walked = 1
        while walked < pages and (m := NEXT_RE.search(html)):
            took, html = timed(kind, m.group(1).replace("&amp;", "&"))
            timings[kind].append(took)
            walked += 1
        if pages > 1 and (m := PREV_RE.search(html)):
            took, html = timed(kind, m.group(1).replace("&amp;", "&"))
            timings[kind].append(took)
    slowest.sort(reverse=True)
    timings["_slowest"] = slowest[:15]
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url", default=None, help="PostgreSQL or SQLite URL (default: a temporary SQLite file)"
    )
    parser.add_argument("--collectivites", type=int, default=36_000)
    parser.add_argument("--suggestions", type=int, default=500_000)
    parser.add_argument("--requests", type=int, default=600, help="list requests in the mix (page walks add more)")
    parser.add_argument("--warmup", type=int, default=30)
    parser.add_argument("--seed", type=int, default=20261125)
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL schema (prints its name)")
    parser.add_argument("--reuse", metavar="SCHEMA", help="measure again on a schema kept by an earlier --keep run")
    parser.add_argument("--output", default=str(ROOT / "bench" / "results" / "review_list.json"))
    args = parser.parse_args()

    os.environ.setdefault("MATCHMAKER_INSTANCE_PATH", tempfile.mkdtemp(prefix="bench-instance-"))
    url = args.database_url or f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.sqlite3'}"
    backend = make_url(url).get_backend_name()
    schema = None
    admin = None
    if backend == "postgresql":
        schema = args.reuse or f"bench_review_{uuid.uuid4().hex[:8]}"
        admin = create_engine(with_search_path(url, "public"))
        if not args.reuse:
            with admin.begin() as conn:
                conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = with_search_path(url, schema)
    engine = create_engine(url)
    try:
        if args.reuse:
            database.upgrade(engine)  # indexes added since the schema was loaded
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE" if backend == "postgresql" else "ANALYZE"))
            sample = existing(engine, args.seed)
        else:
            print(
                f"loading {args.collectivites:,} collectivités and {args.suggestions:,} suggestions into {backend}"
                + (f" (schema {schema})" if schema else ""),
                flush=True,
            )
            sample = load(engine, args.collectivites, args.suggestions, args.seed)
            print(f"loaded in {sample['load_s']} s ({sample['suggestion_themes']:,} common-theme rows)", flush=True)

        from matchmaker.app import create_app

        app = create_app(
            {
                "DATABASE_URL": url,
                "SECRET_KEY": "bench-" + "x" * 40,
                "TESTING": False,
                "RATELIMIT_ENABLED": False,
                "MAIL_SINK": False,
                "SCHEDULER_EMBEDDED": False,
                "LOG_LEVEL": "WARNING",
            },
            environ={},
        )
        mix = request_mix(sample, args.requests, random.Random(args.seed + 1))
        timings = run_requests(app, mix, args.warmup)
        slowest = timings.pop("_slowest")
        everything = [t for values in timings.values() for t in values]
        rows = []
        for kind, values in sorted(timings.items()):
            rows.append(
                {
                    "kind": kind,
                    "n": len(values),
                    "p50": round(percentile(values, 50), 1),
                    "p95": round(percentile(values, 95), 1),
                    "max": round(max(values), 1),
                }
            )
        overall = {
            "n": len(everything),
            "p50": round(percentile(everything, 50), 1),
            "p95": round(percentile(everything, 95), 1),
            "p99": round(percentile(everything, 99), 1),
            "mean": round(statistics.mean(everything), 1),
            "max": round(max(everything), 1),
        }
        print("\n| request kind | n | p50 ms | p95 ms | max ms |\n|---|---:|---:|---:|---:|")
        for r in rows:
            print(f"| {r['kind']} | {r['n']} | {r['p50']} | {r['p95']} | {r['max']} |")
        print(f"| **all** | {overall['n']} | {overall['p50']} | {overall['p95']} | {overall['max']} |")
        print(
            f"\noverall: p50 {overall['p50']} ms, p95 {overall['p95']} ms, p99 {overall['p99']} ms "
            f"({overall['n']} requests, {backend})"
        )
        result = {
            "backend": backend,
            "when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "machine": platform.platform(),
            "python": platform.python_version(),
            "data": {k: sample[k] for k in ("collectivites", "suggestions", "suggestion_themes", "load_s")},
            "overall_ms": overall,
            "by_kind_ms": rows,
            "slowest": [{"ms": round(ms, 1), "url": url} for ms, url in slowest],
        }
        out = Path(args.output)
        out.parent.mkdir(parents=True, exist_ok=True)
        previous = json.loads(out.read_text()) if out.exists() else {}
        previous[backend] = result
        out.write_text(json.dumps(previous, indent=2, ensure_ascii=False) + "\n")
        print("slowest requests:")
        for ms, url in slowest[:8]:
            print(f"  {ms:7.1f} ms  {url[:160]}")
        print(f"written to {out}")
    finally:
        engine.dispose()
        if admin is not None:
            if not (args.keep or args.reuse):
                with admin.begin() as conn:
                    conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            else:
                print(f"kept schema {schema}")
            admin.dispose()


if __name__ == "__main__":
    main()
