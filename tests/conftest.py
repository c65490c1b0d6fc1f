"""Shared fixtures: an app on a real database (SQLite, or PostgreSQL when MATCHMAKER_TEST_DATABASE_URL is set),
a client, a CLI runner, a real SMTP server (aiosmtpd), a live HTTP server and a real browser (Chromium).

The schema is created once per run with the Alembic migrations; every test starts from empty tables.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import smtplib
import socket
import threading
import uuid
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from matchmaker import database
from matchmaker.models import Base

PG_ENV = "MATCHMAKER_TEST_DATABASE_URL"
CHROMIUM = os.environ.get("MATCHMAKER_TEST_CHROMIUM", "/usr/bin/chromium")


def _with_search_path(url: str, schema: str) -> str:
    """A PostgreSQL URL whose connections use ``schema`` first."""
    u = make_url(url)
    if u.drivername in ("postgresql", "postgres"):
        u = u.set(drivername="postgresql+psycopg")
    return u.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    """URL of the test database: a fresh schema in PostgreSQL, or a fresh SQLite file."""
    pg = os.environ.get(PG_ENV)
    if not pg:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
        return
    schema = f"mm_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(_with_search_path(pg, "public"))
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield _with_search_path(pg, schema)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(scope="session")
def migrated(database_url):
    """Create the schema once per run with the migrations (the way production does)."""
    engine = create_engine(database_url)
    database.upgrade(engine)
    yield engine
    engine.dispose()


def empty_tables(engine) -> None:
    """Delete every row of every table (keeps the schema and the Alembic version)."""
    tables = list(reversed(Base.metadata.sorted_tables))
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("TRUNCATE " + ", ".join(f'"{t.name}"' for t in tables) + " RESTART IDENTITY CASCADE"))
        else:
            for t in tables:
                conn.execute(t.delete())
            conn.execute(text("DELETE FROM sqlite_sequence")) if conn.execute(
                text("SELECT 1 FROM sqlite_master WHERE name='sqlite_sequence'")
            ).first() else None


@pytest.fixture(scope="session")
def instance_dir(tmp_path_factory):
    """One instance folder per run (secret key, compiled catalogs)."""
    return tmp_path_factory.mktemp("instance")


@pytest.fixture
def make_app(migrated, database_url, instance_dir, monkeypatch):
    """Build an app on the test database with extra settings: ``make_app(EXPOSURE_CAP=1)``."""
    from matchmaker.app import create_app

    monkeypatch.setenv("MATCHMAKER_INSTANCE_PATH", str(instance_dir))
    empty_tables(migrated)
    apps = []

    def factory(**overrides):
        config = {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "SECRET_KEY": "test-secret-key-0123456789abcdef0123456789",
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": _unused_port(),  # nothing listens: an accidental send fails loudly
            "MAIL_SINK": False,
            "SCHEDULER_EMBEDDED": False,
            "RATELIMIT_ENABLED": False,
            "BASE_URL": "http://localhost",
            "LOG_LEVEL": "WARNING",
        }
        config.update(overrides)
        app = create_app(config, environ={})
        apps.append(app)
        return app

    yield factory
    for app in apps:
        with app.app_context():
            from matchmaker.extensions import db

            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def app(make_app):
    """The app with test settings."""
    return make_app()


@pytest.fixture
def app_ctx(app):
    """An application context (for calling operations directly)."""
    with app.app_context():
        yield app


@pytest.fixture
def db(app_ctx):
    """The SQLAlchemy extension, inside an app context."""
    from matchmaker.extensions import db as sqla

    yield sqla
    sqla.session.rollback()


@pytest.fixture
def client(app):
    """A test client."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """A CLI runner bound to the app."""
    return app.test_cli_runner()


def _unused_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- a real SMTP server -------------------------------------------------------------------------------------


@dataclass
class ReceivedMail:
    """One message as the SMTP server received it."""

    mail_from: str
    rcpt_tos: list[str]
    raw: bytes

    @property
    def message(self) -> EmailMessage:
        """The parsed message (modern email policy, headers decoded)."""
        return message_from_bytes(self.raw, policy=policy.default)


@dataclass
class SMTPServer:
    """An aiosmtpd server running in a thread; ``messages`` fills as mail arrives."""

    host: str
    port: int
    messages: list[ReceivedMail] = field(default_factory=list)
    refuse_with: str | None = None  # e.g. "451 4.3.0 try later": the server then refuses every message
    lock: threading.Lock = field(default_factory=threading.Lock)

    def app_config(self) -> dict:
        """Settings pointing the app at this server."""
        return {"MAIL_SERVER": self.host, "MAIL_PORT": self.port}


class _Handler:
    def __init__(self, server: SMTPServer):
        self.server = server

    async def handle_DATA(self, smtp_server, session, envelope):
        if self.server.refuse_with:
            return self.server.refuse_with
        with self.server.lock:
            self.server.messages.append(
                ReceivedMail(envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content or envelope.content)
            )
        return "250 OK"


@pytest.fixture
def smtp_server():
    """A real SMTP server on localhost (aiosmtpd), collecting what it receives."""
    from aiosmtpd.controller import Controller

    port = _unused_port()
    server = SMTPServer("127.0.0.1", port)
    controller = Controller(_Handler(server), hostname="127.0.0.1", port=port, decode_data=False)
    controller.start()
    try:
        yield server
    finally:
        controller.stop()


@pytest.fixture(autouse=True)
def _no_stray_smtp(monkeypatch, request):
    """Fail any test that opens an SMTP connection to something other than the test SMTP server."""
    real_connect = smtplib.SMTP.connect

    def guarded(self, host="localhost", port=0, source_address=None):
        allowed_ports = {s.port for s in _live_smtp_servers(request)}
        if host not in ("127.0.0.1", "localhost") or int(port) not in allowed_ports:
            raise AssertionError(f"test opened an SMTP connection to {host}:{port}, which is not the test SMTP server")
        return real_connect(self, host, port, source_address)

    monkeypatch.setattr(smtplib.SMTP, "connect", guarded)


def _live_smtp_servers(request):
    return [request.getfixturevalue(name) for name in request.fixturenames if name == "smtp_server"]


# --- a live server and a real browser -----------------------------------------------------------------------


@contextlib.contextmanager
def serving(app):
    """Serve ``app`` over HTTP on a free port in a thread; yields the base URL."""
    from werkzeug.serving import WSGIRequestHandler, make_server

    class Quiet(WSGIRequestHandler):
        def log_request(self, *args, **kwargs):  # hundreds of page and asset requests per browser test
            pass

    port = _unused_port()
    app.config["BASE_URL"] = f"http://127.0.0.1:{port}"
    server = make_server("127.0.0.1", port, app, threaded=True, request_handler=Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.shutdown()
        thread.join(5)


@pytest.fixture
def live_server(app):
    """Serve the app over HTTP on a free port in a thread; yields the base URL."""
    with serving(app) as base:
        yield base


@pytest.fixture(scope="session")
def _playwright():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def chromium(_playwright):
    """Debian's Chromium, headless, driven by Playwright."""
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: install Debian's chromium package "
            "(the Makefile's `browser` target does)"
        )
    browser = _playwright.chromium.launch(
        executable_path=CHROMIUM,
        headless=True,
        args=[
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    )
    yield browser
    browser.close()


@pytest.fixture
def browser(chromium):
    """A fresh browser context (own cookies) per test; pages close with it."""
    context = chromium.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15000)
    yield context
    context.close()
