"""Gunicorn serving ``matchmaker.wsgi:app`` on loopback with the production settings, for the load test."""

from __future__ import annotations

import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
#: Lines of gunicorn's stderr that mean something went wrong (the app logs JSON lines; gunicorn plain text).
TROUBLE = re.compile(
    r"Traceback|WORKER TIMEOUT|was sent SIGKILL|exited with code|\[ERROR\]|\"level\": \"(?:error|critical)\"", re.I
)
LOCKED = re.compile(r"database is locked", re.I)


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def redis_available(url: str) -> bool:
    """Whether a Redis server answers at ``url`` and the client library the rate limiter needs is installed."""
    try:
        import redis  # noqa: F401  (Flask-Limiter's redis:// storage imports it)
    except ImportError:
        return False
    host, _, port = url.split("://", 1)[1].split("/", 1)[0].partition(":")
    try:
        with socket.create_connection((host, int(port or 6379)), timeout=1) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@dataclass
class Gunicorn:
    """One gunicorn master with its workers, started in its own process group."""

    database_url: str
    workers: int = 3
    threads: int = 4
    ratelimit_storage: str | None = None  # None: rate limits off
    log_dir: Path = field(default_factory=lambda: Path("."))
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def base_url(self) -> str:
        """Where the users send their requests."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def stderr_path(self) -> Path:
        """gunicorn's and the app's log (JSON lines from the app, plain lines from gunicorn)."""
        return self.log_dir / "gunicorn.stderr.log"

    def environment(self) -> dict[str, str]:
        """The production settings, pointed at loopback (see bench/load_test.py for why each one is set)."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("MATCHMAKER_") and k != "DATABASE_URL"}
        env.update(
            {
                "DATABASE_URL": self.database_url,
                "MATCHMAKER_ENV": "production",
                "MATCHMAKER_SECRET_KEY": secrets.token_hex(32),
                "MATCHMAKER_BASE_URL": self.base_url,
                # production refuses a loopback relay; no web request sends mail (the outbox worker does, and it is
                # not started), so a name that can never resolve makes any accidental send fail loudly
                "MATCHMAKER_MAIL_SERVER": "smtp.invalid",
                "MATCHMAKER_MAIL_SINK": "false",
                "MATCHMAKER_SCHEDULER_EMBEDDED": "false",
                "MATCHMAKER_BEHIND_PROXY": "true",
                "MATCHMAKER_INSTANCE_PATH": str(self.log_dir / "instance"),
                "MATCHMAKER_RATELIMIT_ENABLED": "true" if self.ratelimit_storage else "false",
                "PYTHONUNBUFFERED": "1",
            }
        )
        if self.ratelimit_storage:
            env["MATCHMAKER_RATELIMIT_STORAGE_URI"] = self.ratelimit_storage
        return env

    def command(self) -> list[str]:
        """The gunicorn command line."""
        return [
            sys.executable,
            "-m",
            "gunicorn",
            "matchmaker.wsgi:app",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(self.workers),
            "--worker-class",
            "gthread",
            "--threads",
            str(self.threads),
            "--timeout",
            "30",
            "--graceful-timeout",
            "5",
            "--keep-alive",
            "5",
            "--error-logfile",
            "-",
            "--log-level",
            "info",
        ]

    def start(self, timeout: float = 60) -> None:
        """Start gunicorn and wait until every worker answers (the first request of a worker loads the app)."""
        self.log_dir.mkdir(parents=True, exist_ok=True)
        (self.log_dir / "instance").mkdir(exist_ok=True)
        self._stderr = open(self.stderr_path, "w", encoding="utf-8")
        self.process = subprocess.Popen(
            self.command(),
            cwd=ROOT,
            env=self.environment(),
            stdout=self._stderr,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        ready = 0
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(
                    urllib.request.Request(self.base_url + "/staff/login", headers={"X-Forwarded-Proto": "https"}),
                    timeout=5,
                ) as r:
                    ready = ready + 1 if r.status == 200 else 0
            except (urllib.error.URLError, OSError):
                ready = 0
            if ready >= self.workers * 2:  # a few answers in a row: the workers are up (each loads the app at boot)
                return
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn did not answer within {timeout:.0f} s:\n{self.log_tail()}")

    def stop(self) -> None:
        """Stop the master and its workers (TERM, then KILL after a grace period)."""
        if self.process is None:
            return
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)
            except ProcessLookupError:
                pass
        self._stderr.close()

    def log_tail(self, lines: int = 30) -> str:
        """The end of the log (for error messages)."""
        try:
            return "\n".join(self.stderr_path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def scan_log(self, offset: int = 0) -> dict:
        """Errors, "database is locked" lines, the app's own request timings and the requests it completed (status
        below 400, by kind), from ``offset`` (bytes) on."""
        trouble, locked, server_ms, completed = [], 0, {}, {}
        with open(self.stderr_path, "rb") as fh:
            fh.seek(offset)
            content = fh.read().decode("utf-8", errors="replace")
        for line in content.splitlines():
            if LOCKED.search(line):
                locked += 1
            if TROUBLE.search(line):
                trouble.append(line[:400])
            if line.startswith("{") and '"msg": "request"' in line:
                try:
                    entry = json.loads(line)
                except ValueError:
                    continue
                kind = str(entry.get("request_id", "")).split(".", 1)[0]
                server_ms.setdefault(kind, []).append(float(entry.get("ms", 0)))
                if int(entry.get("status", 500)) < 400:
                    completed[kind] = completed.get(kind, 0) + 1
        return {"error_lines": trouble, "database_locked": locked, "server_ms": server_ms, "completed": completed}

    def wait_until_quiet(self, quiet: float = 0.5, limit: float = 10.0) -> None:
        """Wait until the log has stopped growing for ``quiet`` seconds: the requests in flight are done."""
        deadline, size, since = time.monotonic() + limit, -1, time.monotonic()
        while time.monotonic() < deadline:
            current = self.stderr_path.stat().st_size
            if current != size:
                size, since = current, time.monotonic()
            elif time.monotonic() - since >= quiet:
                return
            time.sleep(0.1)
