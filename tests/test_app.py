"""The app factory, settings and the command line: defaults that run, bad settings that fail in one line."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from matchmaker.app import create_app
from matchmaker.config import ConfigError

ROOT = Path(__file__).resolve().parent.parent


def _cli(args, env_extra, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("MATCHMAKER_") and k != "DATABASE_URL"}
    env.update({"MATCHMAKER_INSTANCE_PATH": str(tmp_path / "instance")}, **env_extra)
    exe = Path(sys.executable).with_name("matchmaker")
    return subprocess.run([str(exe), *args], env=env, capture_output=True, text=True, timeout=120)


def test_no_settings_at_all_gives_sqlite_in_the_instance_folder_and_a_kept_secret(tmp_path, monkeypatch):
    monkeypatch.setenv("MATCHMAKER_INSTANCE_PATH", str(tmp_path))
    app = create_app(environ={})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'matchmaker.sqlite3'}"
    key = (tmp_path / "secret_key").read_text()
    assert app.config["SECRET_KEY"] == key and len(key) == 64
    assert create_app(environ={}).config["SECRET_KEY"] == key  # generated once, then kept
    assert app.config["MAIL_SINK"] is True and app.config["MAIL_SERVER"] == "127.0.0.1"


def test_environment_then_test_config_take_precedence(tmp_path, monkeypatch):
    monkeypatch.setenv("MATCHMAKER_INSTANCE_PATH", str(tmp_path))
    env = {"MATCHMAKER_EXPOSURE_CAP": "7", "MATCHMAKER_MATCH_TOP_K": "5", "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"}
    app = create_app({"MATCH_TOP_K": 4}, environ=env)
    assert app.config["EXPOSURE_CAP"] == 7
    assert app.config["MATCH_TOP_K"] == 4
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("/x.db")


@pytest.mark.parametrize(
    "env, message",
    [
        ({"DATABASE_URL": "not a url at all"}, "DATABASE_URL is not a valid database URL"),
        ({"DATABASE_URL": "mysql://x@y/z"}, "must point to PostgreSQL or SQLite"),
        ({"MATCHMAKER_ENV": "production"}, "SECRET_KEY is required in production"),
        ({"MATCHMAKER_EXPOSURE_CAP": "many"}, "EXPOSURE_CAP must be an integer"),
        ({"MATCHMAKER_ENV": "staging"}, "ENV must be 'development' or 'production'"),
        ({"MATCHMAKER_ELECTION_DATES_KR": "2026-13-01"}, "ELECTION_DATES_KR must list dates"),
    ],
)
def test_bad_settings_raise_one_clear_error(env, message, tmp_path, monkeypatch):
    monkeypatch.setenv("MATCHMAKER_INSTANCE_PATH", str(tmp_path))
    with pytest.raises(ConfigError, match=message):
        create_app(environ=env)


def test_postgres_scheme_uses_psycopg3(tmp_path, monkeypatch):
    monkeypatch.setenv("MATCHMAKER_INSTANCE_PATH", str(tmp_path))
    app = create_app(environ={"DATABASE_URL": "postgresql://u@localhost/db"})
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql+psycopg://")


def test_cli_prints_one_line_for_bad_settings_never_a_traceback(tmp_path):
    result = _cli(["db", "upgrade"], {"DATABASE_URL": "::nonsense::"}, tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "DATABASE_URL is not a valid database URL" in lines[0]
    result = _cli(["db", "upgrade"], {"MATCHMAKER_ENV": "production"}, tmp_path)
    assert result.returncode == 2 and "SECRET_KEY is required in production" in result.stderr
    assert "Traceback" not in result.stderr


def test_cli_db_upgrade_creates_the_schema_on_the_embedded_default(tmp_path):
    result = _cli(["db", "upgrade"], {}, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "database at revision" in result.stdout
    assert (tmp_path / "instance" / "matchmaker.sqlite3").exists()
    again = _cli(["db", "current"], {}, tmp_path)
    assert again.stdout.strip() == result.stdout.split("revision ")[1].split()[0]


def test_create_user_command_hashes_the_password(runner, db):
    from matchmaker.models import StaffUser

    result = runner.invoke(
        args=["create-user", "Reviewer@CUF.example.org", "--org", "CUF", "--password", "a long password"]
    )
    assert result.exit_code == 0, result.output
    user = db.session.query(StaffUser).one()
    assert user.email == "reviewer@cuf.example.org" and user.org == "CUF" and user.language == "fr"
    assert "a long password" not in user.password_hash and user.check_password("a long password")
    duplicate = runner.invoke(
        args=["create-user", "reviewer@cuf.example.org", "--org", "GAROK", "--password", "another password"]
    )
    assert duplicate.exit_code == 1 and "already exists" in duplicate.output
    short = runner.invoke(args=["create-user", "x@garok.example.org", "--org", "GAROK", "--password", "short"])
    assert short.exit_code == 1 and "at least 10 characters" in short.output


def test_every_command_of_the_readme_exists():
    """The console command offers each without loading an app (the jobs layer's through Flask's command discovery)."""
    import click
    from flask.cli import NoAppException, ScriptInfo

    from matchmaker.cli import cli

    def no_app():
        raise NoAppException("only the console command's own commands count here")

    context = click.Context(cli, obj=ScriptInfo(create_app=no_app))
    for name in (
        "db",
        "import",
        "export",
        "match",
        "tune-weights",
        "weights",
        "digest",
        "outbox",
        "scheduler",
        "serve",
        "create-user",
        "demo",
        "gdpr",
    ):
        assert cli.get_command(context, name) is not None, name


def test_pages_answer_in_the_chosen_language(client):
    page = client.get("/?lang=ko")
    assert page.status_code == 200 and b'<html lang="ko">' in page.data
    assert client.get("/").data.count(b'<html lang="ko">') == 1  # the choice is remembered
    assert b'<html lang="fr">' in client.get("/language/fr?next=/", follow_redirects=True).data


def test_unknown_page_is_a_localised_404(client):
    page = client.get("/no-such-page", headers={"Accept-Language": "ko"})
    assert page.status_code == 404
    assert '<html lang="ko">' in page.get_data(as_text=True)


def test_language_switch_never_redirects_off_site(client):
    page = client.get("/language/en?next=https://evil.example/")
    assert page.status_code == 302 and page.location == "/"


def test_security_headers_and_csp_without_inline_script(client):
    page = client.get("/")
    csp = page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert page.headers["X-Frame-Options"] == "DENY"
    assert page.headers["X-Content-Type-Options"] == "nosniff"


def test_staff_pages_require_login(client):
    page = client.get("/staff/pairs")
    assert page.status_code == 302 and page.location.startswith("/staff/login")


def test_the_workspace_address_leads_to_the_login_then_to_the_pairs(client, db):
    from tests.review import factories

    assert client.get("/staff/").location.startswith("/staff/login")
    user = factories.staff("GAROK")
    db.session.commit()
    factories.login(client, user)
    page = client.get("/staff/", follow_redirects=True)
    assert page.status_code == 200 and page.request.path == "/staff/pairs"


def test_pages_have_an_icon_and_the_root_icon_exists(client):
    with client.get("/favicon.ico") as icon:
        assert icon.status_code == 200 and icon.mimetype == "image/vnd.microsoft.icon"
        assert icon.data[:4] == b"\0\0\1\0"  # an ICO file
    linked = client.get("/").get_data(as_text=True)
    assert 'rel="icon" href="/static/img/favicon.svg"' in linked
    with client.get("/static/img/favicon.svg") as svg:
        assert svg.status_code == 200


def test_wsgi_entry_point_prints_one_line_for_bad_settings(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("MATCHMAKER_") and k != "DATABASE_URL"}
    env.update(MATCHMAKER_INSTANCE_PATH=str(tmp_path), MATCHMAKER_ENV="production")
    result = subprocess.run(
        [sys.executable, "-c", "import matchmaker.wsgi"], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert (
        result.stderr.strip() == "matchmaker: configuration error: MATCHMAKER_SECRET_KEY is required in production "
        "(e.g. `python -c 'import secrets; print(secrets.token_hex(32))'`)"
    )


def test_the_readme_configuration_table_is_generated_from_the_settings():
    from matchmaker.config import settings_table

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("<!-- settings:start", 1)[1].split("-->", 1)[1].split("<!-- settings:end -->")[0].strip()
    assert table == settings_table(), "run `python -m matchmaker.config` and paste the table into the README"
