"""Settings: defaults, then the environment, then a test mapping; validated before any extension starts.

Every setting can be given as ``MATCHMAKER_<NAME>`` in the environment (``DATABASE_URL`` is also
read without the prefix, as hosting platforms set it). Values are parsed to the type of the default.
Bad settings raise :class:`ConfigError` with one sentence; the CLI and the WSGI entry point print it
on one line and exit.
"""

from __future__ import annotations

import os
import secrets
from datetime import date
from pathlib import Path
from typing import Any, Mapping

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

ENV_PREFIX = "MATCHMAKER_"


class ConfigError(Exception):
    """A setting is missing or unusable; the message is one line meant for the operator."""


#: name -> (default, one-line description). The README's configuration table is generated from this.
SETTINGS: dict[str, tuple[Any, str]] = {
    "ENV": ("development", "`development` (embedded defaults) or `production` (secrets and SMTP relay required)"),
    "SECRET_KEY": (
        None,
        "Signs sessions and CSRF tokens. Generated once into the instance folder when unset outside production",
    ),
    "DATABASE_URL": (
        None,
        "SQLAlchemy URL, e.g. `postgresql+psycopg://user@host/db`; default: SQLite file in the instance folder",
    ),
    "BASE_URL": ("http://127.0.0.1:5000", "Public address used in links inside emails"),
    "MAIL_SERVER": ("127.0.0.1", "SMTP relay host (embedded default: the local SMTP sink)"),
    "MAIL_PORT": (8025, "SMTP relay port"),
    "MAIL_USERNAME": (None, "SMTP user"),
    "MAIL_PASSWORD": (None, "SMTP password"),
    "MAIL_USE_TLS": (False, "STARTTLS to the relay"),
    "MAIL_USE_SSL": (False, "Implicit TLS to the relay"),
    "MAIL_DEFAULT_SENDER": ("Matchmaker <matchmaker@localhost>", "From address of every email"),
    "MAIL_TIMEOUT": (10, "SMTP socket timeout in seconds"),
    "MAIL_DOMAIN": ("matchmaker.localhost", "Domain of Message-ID headers"),
    "MAIL_SINK": (
        None,
        "Run the embedded SMTP sink in `matchmaker serve` (default: on in development, off in production)",
    ),
    "SCHEDULER_EMBEDDED": (
        None,
        "Run the scheduler inside `matchmaker serve` (default: on in development, off in production)",
    ),
    "OUTBOX_MAX_ATTEMPTS": (8, "Delivery attempts before an email is marked failed"),
    "OUTBOX_BATCH_SIZE": (200, "Emails a delivery run claims at a time (it claims again until none is due)"),
    "MATCH_TOP_K": (10, "Suggestions kept per collectivité and side"),
    "EXPOSURE_CAP": (3, "Open introductions a collectivité may have at once"),
    "TOKEN_TTL_DAYS": (365, "Validity of private edit links, in days"),
    "ANSWER_TTL_DAYS": (60, "Validity of 'interested / not interested' links, in days"),
    "INTRODUCTION_REMINDER_DAYS": (7, "An introduction still unanswered after this many days gets one reminder"),
    "INTRODUCTION_EXPIRY_DAYS": (
        30,
        "An introduction still unanswered after this many days expires and frees the exposure cap",
    ),
    "FIRST_CALL_MINUTES": (
        60,
        "Length of the first video call proposed to a mutual pair (Paris and Seoul share "
        "60 minutes of office hours in winter)",
    ),
    "DRAFT_TTL_DAYS": (90, "Unfinished drafts are purged after this many days"),
    "RETENTION_DAYS": (1095, "Contact details are anonymised this many days after the last activity"),
    "ELECTION_DATES_FR": (
        "2026-03-22",
        "Comma-separated dates of French local elections (triggers an 'is your response still accurate?' email)",
    ),
    "ELECTION_DATES_KR": ("2026-06-03", "Comma-separated dates of Korean local elections"),
    "RATELIMIT_STORAGE_URI": ("memory://", "Flask-Limiter storage; use `redis://…` with several web workers"),
    "RATELIMIT_ENABLED": (True, "Rate limits on public POSTs and login"),
    "BEHIND_PROXY": (False, "Trust one proxy's X-Forwarded-* headers (ProxyFix)"),
    "MAX_CONTENT_LENGTH": (5 * 1024 * 1024, "Largest accepted request body, in bytes"),
    "LOG_LEVEL": ("INFO", "Log level of the structured (JSON) logs"),
}

_BOOL_TRUE = {"1", "true", "yes", "on"}
_BOOL_FALSE = {"0", "false", "no", "off", ""}


def _parse(name: str, raw: str, default: Any) -> Any:
    """Parse an environment string to the type of the setting's default."""
    if isinstance(default, bool):
        low = raw.strip().lower()
        if low in _BOOL_TRUE:
            return True
        if low in _BOOL_FALSE:
            return False
        raise ConfigError(f"{ENV_PREFIX}{name} must be true or false, not {raw!r}")
    if isinstance(default, int):
        try:
            return int(raw)
        except ValueError:
            raise ConfigError(f"{ENV_PREFIX}{name} must be an integer, not {raw!r}") from None
    if name in ("MAIL_SINK", "SCHEDULER_EMBEDDED"):
        return _parse(name, raw, False)
    return raw


def from_environment(environ: Mapping[str, str]) -> dict[str, Any]:
    """Read the known settings from an environment mapping."""
    found: dict[str, Any] = {}
    for name, (default, _) in SETTINGS.items():
        key = ENV_PREFIX + name
        if key in environ:
            found[name] = _parse(name, environ[key], default)
    if "DATABASE_URL" not in found and environ.get("DATABASE_URL"):
        found["DATABASE_URL"] = environ["DATABASE_URL"]
    return found


def instance_secret_key(instance_path: Path) -> str:
    """Return the secret key kept in the instance folder, creating it once."""
    path = instance_path / "secret_key"
    if path.exists():
        return path.read_text().strip()
    key = secrets.token_hex(32)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(key)
    os.chmod(tmp, 0o600)
    try:
        os.link(tmp, path)  # atomic create-if-absent: two workers starting together agree on one key
    except FileExistsError:
        pass
    finally:
        tmp.unlink(missing_ok=True)
    return path.read_text().strip()


def _dates(name: str, raw: str) -> list[date]:
    """Parse a comma-separated list of ISO dates."""
    out = []
    for part in filter(None, (p.strip() for p in raw.split(","))):
        try:
            out.append(date.fromisoformat(part))
        except ValueError:
            raise ConfigError(f"{ENV_PREFIX}{name} must list dates as YYYY-MM-DD, not {part!r}") from None
    return out


def build_config(
    instance_path: Path, environ: Mapping[str, str], test_config: Mapping[str, Any] | None
) -> dict[str, Any]:
    """Merge defaults, environment and test mapping, then check and complete the result."""
    cfg: dict[str, Any] = {name: default for name, (default, _) in SETTINGS.items()}
    cfg.update(from_environment(environ))
    if test_config:
        cfg.update(test_config)

    env = cfg["ENV"]
    if env not in ("development", "production"):
        raise ConfigError(f"{ENV_PREFIX}ENV must be 'development' or 'production', not {env!r}")
    production = env == "production"

    if not cfg.get("SECRET_KEY"):
        if production:
            raise ConfigError(
                f"{ENV_PREFIX}SECRET_KEY is required in production "
                "(e.g. `python -c 'import secrets; print(secrets.token_hex(32))'`)"
            )
        cfg["SECRET_KEY"] = instance_secret_key(instance_path)
    elif production and len(str(cfg["SECRET_KEY"])) < 32:
        raise ConfigError(f"{ENV_PREFIX}SECRET_KEY must be at least 32 characters in production")

    url = cfg.get("DATABASE_URL") or f"sqlite:///{instance_path / 'matchmaker.sqlite3'}"
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ConfigError(
            f"DATABASE_URL is not a valid database URL: {url!r} (expected e.g. postgresql+psycopg://user@host/db or sqlite:///path)"
        ) from None
    backend = parsed.get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise ConfigError(f"DATABASE_URL must point to PostgreSQL or SQLite, not {backend!r}")
    if backend == "postgresql" and parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")  # psycopg 3 is the installed driver
    cfg["DATABASE_URL"] = parsed.render_as_string(hide_password=False)
    cfg["SQLALCHEMY_DATABASE_URI"] = cfg["DATABASE_URL"]

    for flag in ("MAIL_SINK", "SCHEDULER_EMBEDDED"):
        if cfg.get(flag) is None:
            cfg[flag] = not production
    if (
        production
        and cfg["MAIL_SINK"] is False
        and cfg["MAIL_SERVER"] in ("127.0.0.1", "localhost")
        and not test_config
    ):
        raise ConfigError(f"{ENV_PREFIX}MAIL_SERVER must name the SMTP relay in production")

    if not str(cfg["BASE_URL"]).startswith(("http://", "https://")):
        raise ConfigError(f"{ENV_PREFIX}BASE_URL must start with http:// or https://, not {cfg['BASE_URL']!r}")
    cfg["BASE_URL"] = str(cfg["BASE_URL"]).rstrip("/")
    for name in (
        "MAIL_PORT",
        "MATCH_TOP_K",
        "EXPOSURE_CAP",
        "TOKEN_TTL_DAYS",
        "ANSWER_TTL_DAYS",
        "DRAFT_TTL_DAYS",
        "RETENTION_DAYS",
        "MAIL_TIMEOUT",
        "INTRODUCTION_REMINDER_DAYS",
        "INTRODUCTION_EXPIRY_DAYS",
        "FIRST_CALL_MINUTES",
    ):
        if int(cfg[name]) <= 0:
            raise ConfigError(f"{ENV_PREFIX}{name} must be a positive integer")
    cfg["ELECTION_DATES_FR"] = (
        _dates("ELECTION_DATES_FR", cfg["ELECTION_DATES_FR"])
        if isinstance(cfg["ELECTION_DATES_FR"], str)
        else cfg["ELECTION_DATES_FR"]
    )
    cfg["ELECTION_DATES_KR"] = (
        _dates("ELECTION_DATES_KR", cfg["ELECTION_DATES_KR"])
        if isinstance(cfg["ELECTION_DATES_KR"], str)
        else cfg["ELECTION_DATES_KR"]
    )

    cfg.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"pool_pre_ping": True})
    cfg["SESSION_COOKIE_HTTPONLY"] = True
    cfg["SESSION_COOKIE_SAMESITE"] = "Lax"
    cfg["SESSION_COOKIE_SECURE"] = production
    cfg["REMEMBER_COOKIE_SECURE"] = production
    cfg["WTF_CSRF_TIME_LIMIT"] = None  # the token lives as long as the session: a long questionnaire never expires it
    cfg["BABEL_DEFAULT_LOCALE"] = "fr"
    cfg["BABEL_DEFAULT_TIMEZONE"] = "Europe/Paris"
    cfg["MAIL_SUPPRESS_SEND"] = bool(cfg.get("MAIL_SUPPRESS_SEND", False))
    cfg["RATELIMIT_HEADERS_ENABLED"] = True
    return cfg


def settings_table() -> str:
    """The README's configuration table, generated from SETTINGS."""
    rows = ["| Variable | Default | Meaning |", "|---|---|---|"]
    for name, (default, description) in SETTINGS.items():
        variable = name if name == "DATABASE_URL" else ENV_PREFIX + name
        shown = "—" if default is None else f"`{default}`"
        rows.append(f"| `{variable}` | {shown} | {description} |")
    return "\n".join(rows)


if __name__ == "__main__":
    print(settings_table())
