"""Benchmark of the questionnaire file import: 1,000 realistic rows, CSV and JSON Lines, SQLite and PostgreSQL.

    python bench/import_responses.py
    python bench/import_responses.py --rows 1000 --database-url postgresql+psycopg://postgres@127.0.0.1:5432/test

Builds rows from real French and Korean local governments of data/reference (names in both scripts, codes,
levels, populations, regions) with themes, sectors, partner levels, kinds of cooperation and a French or
Korean presentation, writes them as CSV (UTF-8 with BOM) and JSON Lines, then times ``import_file`` (the whole
command path: read, validate every row, write in one transaction) into a fresh SQLite file and, with
``--database-url``, into a fresh PostgreSQL schema (dropped at the end). Each file is imported twice: the
first run creates the collectivités, the second adds a version to each. Prints seconds per run and writes
bench/results/import_responses.json. The target is under 10 s for 1,000 rows.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

TARGET_SECONDS = 10.0
DESCRIPTIONS = {
    "FR": "{name} souhaite développer une coopération décentralisée avec une collectivité coréenne : échanges de "
    "jeunes, tourisme, ville intelligente et transition énergétique. Nous pouvons partager notre expérience "
    "des circuits courts et de la participation citoyenne.",
    "KR": "{name}은(는) 프랑스 지방자치단체와 청소년 교류, 관광, 스마트시티, 탄소중립 분야의 협력을 희망합니다. "
    "도시재생과 주민참여 경험을 나눌 수 있습니다.",
}


def build_rows(count: int, seed: int = 7) -> list[dict]:
    """``count`` records of real collectivités, about two thirds French, one third Korean."""
    from matchmaker import reference
    from matchmaker.questionnaire import codes

    rng = random.Random(seed)
    themes, sectors, kinds = codes.theme_codes(), codes.sector_codes(), codes.cooperation_kind_codes()
    kr = [r for r in reference.load_reference("KR") if r.population]
    fr = [r for r in reference.load_reference("FR") if r.population and r.level != "arrondissement"]
    n_kr = min(len(kr), count // 3)
    chosen = rng.sample(kr, n_kr) + rng.sample(fr, count - n_kr)
    rows = []
    for i, ref in enumerate(chosen):
        other = "KR" if ref.country == "FR" else "FR"
        picked = rng.sample(themes, rng.randint(1, 6))
        rows.append(
            {
                "name": ref.name,
                "name_local": ref.name_local,
                "country": ref.country,
                "level": ref.level,
                "code": ref.code,
                "population": ref.population,
                "region": ref.region_local if ref.country == "KR" else ref.region,
                "contact_name": f"Contact {i}",
                "contact_role": "relations internationales",
                "contact_email": f"contact{i}@collectivite{i}.example.org",
                "language": "ko" if ref.country == "KR" else "fr",
                "digest_frequency": rng.choice(["weekly", "monthly"]),
                "themes": {
                    t: {"priority": rng.randint(1, 3), "stance": rng.choice(["offer", "seek", "both"])} for t in picked
                },
                "sectors": rng.sample(sectors, rng.randint(0, 4)),
                "partner_levels": rng.sample(codes.level_codes(other), rng.randint(1, 3)),
                "cooperation_kinds": rng.sample(kinds, rng.randint(1, 3)),
                "working_languages": ["en", "fr" if ref.country == "FR" else "ko"],
                "existing_partners": [],
                "description": DESCRIPTIONS[ref.country].format(name=ref.name_local or ref.name),
                "consent_contact": True,
                "consent_share": True,
            }
        )
    return rows


def write_files(rows: list[dict], folder: Path) -> dict[str, Path]:
    """The rows as CSV (with BOM, as Excel saves it) and as JSON Lines."""
    from matchmaker.questionnaire.record import FIELDS, record_to_row

    paths = {"csv": folder / "responses.csv", "jsonl": folder / "responses.jsonl"}
    with paths["csv"].open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=FIELDS)
        writer.writeheader()
        for row in rows:
            writer.writerow(record_to_row(row))
    with paths["jsonl"].open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    return paths


def _empty(engine) -> None:
    """Delete every row (keeps the schema), so each run starts from an empty database."""
    from matchmaker.models import Base

    with engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(table.delete())


def time_imports(url: str, paths: dict[str, Path], instance: Path) -> dict[str, dict[str, float]]:
    """Seconds of each import (first: new collectivités; second: new versions) per file format."""
    os.environ["MATCHMAKER_INSTANCE_PATH"] = str(instance)
    from matchmaker import database
    from matchmaker.app import create_app
    from matchmaker.extensions import db
    from matchmaker.questionnaire.operations import import_file

    app = create_app(
        {
            "DATABASE_URL": url,
            "SECRET_KEY": "bench-" + "x" * 40,
            "MAIL_SINK": False,
            "SCHEDULER_EMBEDDED": False,
            "LOG_LEVEL": "WARNING",
        },
        environ={},
    )
    results: dict[str, dict[str, float]] = {}
    with app.app_context():
        database.upgrade(db.engine)
        for fmt, path in paths.items():
            _empty(db.engine)
            runs = {}
            for label in ("new_collectivites", "new_versions"):
                started = time.perf_counter()
                report = import_file(path)
                runs[label] = round(time.perf_counter() - started, 3)
                if not report.ok or not report.written:
                    raise SystemExit(f"import failed: {report.summary()} {report.errors[:5]}")
            results[fmt] = runs
        db.session.remove()
        db.engine.dispose()
    return results


def postgres_schema_url(url: str) -> tuple[str, str]:
    """A fresh schema in the given PostgreSQL database, and a URL whose connections use it."""
    u = make_url(url)
    if u.drivername in ("postgresql", "postgres"):
        u = u.set(drivername="postgresql+psycopg")
    schema = f"bench_import_{uuid.uuid4().hex[:8]}"
    admin = create_engine(u)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    admin.dispose()
    return schema, u.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)


def drop_schema(url: str, schema: str) -> None:
    """Drop the benchmark's schema."""
    admin = create_engine(make_url(url).set(drivername="postgresql+psycopg"))
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--database-url", help="Also time PostgreSQL (a fresh schema is created and dropped).")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        rows = build_rows(args.rows)
        paths = write_files(rows, folder)
        figures = {
            "rows": args.rows,
            "python": platform.python_version(),
            "machine": platform.machine(),
            "cpus": os.cpu_count(),
            "results": {},
        }
        figures["results"]["sqlite"] = time_imports(f"sqlite:///{folder / 'bench.sqlite3'}", paths, folder / "instance")
        if args.database_url:
            schema, url = postgres_schema_url(args.database_url)
            try:
                figures["results"]["postgresql"] = time_imports(url, paths, folder / "instance")
            finally:
                drop_schema(args.database_url, schema)

    worst = 0.0
    for backend, by_format in figures["results"].items():
        for fmt, runs in by_format.items():
            for label, seconds in runs.items():
                worst = max(worst, seconds)
                print(f"{backend:10} {fmt:5} {label:17} {args.rows} rows in {seconds:6.2f} s")
    figures["worst_seconds"] = worst
    figures["target_seconds"] = TARGET_SECONDS
    out = ROOT / "bench" / "results" / "import_responses.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(figures, indent=2) + "\n")
    verdict = "within" if worst < TARGET_SECONDS * args.rows / 1000 else "OVER"
    print(
        f"slowest run {worst:.2f} s: {verdict} the {TARGET_SECONDS:.0f} s target for 1,000 rows; "
        f"written to {out.relative_to(ROOT)}"
    )


if __name__ == "__main__":
    main()
