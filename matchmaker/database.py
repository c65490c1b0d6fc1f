"""Database engine behaviour (SQLite pragmas and write locking) and schema migrations with Alembic."""

from __future__ import annotations

import contextvars
import logging
import sqlite3
import time
from pathlib import Path
from typing import Callable, TypeVar

from alembic import command
from alembic.config import Config
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import OperationalError

from matchmaker.extensions import db

log = logging.getLogger("matchmaker.database")
T = TypeVar("T")

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 15000

#: Whether the current unit of work may write. GET requests clear it so SQLite readers run concurrently;
#: everything else takes SQLite's write lock at BEGIN (BEGIN IMMEDIATE), so two writers queue behind the
#: busy timeout instead of failing with "database is locked" when a read transaction tries to upgrade.
write_intent: contextvars.ContextVar[bool] = contextvars.ContextVar("write_intent", default=True)


@event.listens_for(Engine, "connect")
def _sqlite_on_connect(dbapi_connection, connection_record):
    """Turn on WAL, a busy timeout and foreign keys for every SQLite connection."""
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    dbapi_connection.isolation_level = None  # we emit BEGIN ourselves (see _sqlite_on_begin)
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=FULL")  # a sent email is never un-recorded by a power loss
    cur.close()


@event.listens_for(Engine, "begin")
def _sqlite_on_begin(conn: Connection):
    """Start SQLite transactions explicitly: IMMEDIATE when the unit of work may write."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write_intent.get() else "BEGIN")


def is_locked_error(exc: BaseException) -> bool:
    """Whether an error is SQLite's "database is locked" (another process held the write lock past the timeout)."""
    return isinstance(exc, OperationalError) and "database is locked" in str(exc.orig if exc.orig else exc)


def retry_when_locked(operation: Callable[[], T], attempts: int = 6, first_wait: float = 0.2) -> T:
    """Run ``operation``; when SQLite says "database is locked", roll back, wait and run it again.

    The busy timeout already waits for the lock; this covers a writer that kept it longer (a second build or
    scheduler at work). The operation must be safe to repeat from the start of its transaction.
    """
    for attempt in range(attempts):
        try:
            return operation()
        except OperationalError as exc:
            if not is_locked_error(exc) or attempt == attempts - 1:
                raise
            db.session.rollback()
            log.warning("database is locked; trying again", extra={"attempt": attempt + 1})
            time.sleep(first_wait * 2**attempt)
    raise AssertionError("unreachable")


def alembic_config(connection: Connection | None = None, url: str | None = None) -> Config:
    """An Alembic configuration for the package's migrations, bound to a connection or a URL."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Create or upgrade the schema to ``revision``."""
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Downgrade the schema to ``revision`` (``base`` removes every table)."""
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), revision)


def current_revision(engine: Engine) -> str | None:
    """The schema revision the database is at, or None when it has none."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()
