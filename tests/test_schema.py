"""The migrations build the same schema on SQLite and PostgreSQL, match the models, and round-trip."""

import os
import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from matchmaker import database
from matchmaker.models import Base
from tests.conftest import PG_ENV, _with_search_path


def _normalise_type(t) -> str:
    name = type(t).__name__.upper()
    if "JSON" in name:
        return "JSON"
    if name in ("DOUBLE_PRECISION", "FLOAT", "REAL", "DOUBLE"):
        return "FLOAT"
    if name in ("VARCHAR", "STRING", "NVARCHAR"):
        return f"VARCHAR({t.length})"
    if name in ("TIMESTAMP", "DATETIME"):
        return "DATETIME"
    if name in ("INTEGER", "BIGINT", "SMALLINT"):
        return "INTEGER"
    if name in ("BLOB", "BYTEA", "LARGEBINARY"):
        return "BINARY"
    return name


def describe_schema(engine) -> dict:
    """A backend-neutral description of every table: columns, keys, indexes, constraints."""
    insp = inspect(engine)
    out = {}
    for table in sorted(insp.get_table_names()):
        out[table] = {
            "columns": sorted((c["name"], _normalise_type(c["type"]), c["nullable"]) for c in insp.get_columns(table)),
            "pk": sorted(insp.get_pk_constraint(table)["constrained_columns"]),
            "fks": sorted(
                (
                    tuple(fk["constrained_columns"]),
                    fk["referred_table"],
                    tuple(fk["referred_columns"]),
                    (fk.get("options") or {}).get("ondelete"),
                )
                for fk in insp.get_foreign_keys(table)
            ),
            "indexes": sorted(
                (i["name"], tuple(i["column_names"]), bool(i["unique"]))
                for i in insp.get_indexes(table)
                if not i.get("duplicates_constraint")
            ),
            "uniques": sorted((u["name"], tuple(u["column_names"])) for u in insp.get_unique_constraints(table)),
            "checks": sorted(c["name"] for c in insp.get_check_constraints(table)),
        }
    return out


@pytest.fixture
def fresh_sqlite(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'fresh.sqlite3'}")
    yield engine
    engine.dispose()


@pytest.fixture
def fresh_pg():
    url = os.environ.get(PG_ENV)
    if not url:
        pytest.skip(f"needs PostgreSQL: runs in the PostgreSQL pass ({PG_ENV} set by .ci/run)")
    schema = f"mm_schema_{uuid.uuid4().hex[:8]}"
    admin = create_engine(_with_search_path(url, "public"))
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = create_engine(_with_search_path(url, schema))
    yield engine
    engine.dispose()
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def test_sqlite_and_postgresql_get_the_same_schema(fresh_sqlite, fresh_pg):
    database.upgrade(fresh_sqlite)
    database.upgrade(fresh_pg)
    lite, pg = describe_schema(fresh_sqlite), describe_schema(fresh_pg)
    assert set(lite) == set(pg)
    for table in lite:
        assert lite[table] == pg[table], table
    assert len(lite) == len(Base.metadata.tables) + 1  # + alembic_version


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_migrations_match_the_models(backend, request):
    engine = request.getfixturevalue("fresh_sqlite" if backend == "sqlite" else "fresh_pg")
    database.upgrade(engine)
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(ctx, Base.metadata)
    assert diff == []


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_downgrade_and_upgrade_round_trip(backend, request):
    engine = request.getfixturevalue("fresh_sqlite" if backend == "sqlite" else "fresh_pg")
    database.upgrade(engine)
    before = describe_schema(engine)
    assert database.current_revision(engine) is not None
    database.downgrade(engine, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    assert database.current_revision(engine) is None
    database.upgrade(engine)
    assert describe_schema(engine) == before


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(fresh_sqlite):
    with fresh_sqlite.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == database.SQLITE_BUSY_TIMEOUT_MS
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
