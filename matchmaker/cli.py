"""The ``matchmaker`` command (Flask CLI conventions): database, users, demo, server, and each area's commands.

Each area provides ``matchmaker/<area>/cli.py`` with ``register(group)``.
"""
from __future__ import annotations

import importlib
import secrets
import sys

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext

from matchmaker.config import ConfigError
from matchmaker.vocabulary import COUNTRY_OF_ORG, LANGUAGE_OF_COUNTRY, ORGS

AREAS_WITH_COMMANDS = ("questionnaire", "suggestions", "review", "mail", "gdpr", "scheduling", "followup", "outreach")


def _create_app():
    from matchmaker.app import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_default_commands=True, load_dotenv=False)
def cli():
    """Matchmaker: partner matchmaking between French and Korean local governments."""


@cli.group()
def db():
    """Create, upgrade or downgrade the database schema."""


@db.command("upgrade")
@click.option("--revision", default="head", show_default=True, help="Target revision.")
@with_appcontext
def db_upgrade(revision):
    """Create or upgrade the schema (safe to run on every start)."""
    from matchmaker import database
    from matchmaker.extensions import db as sqla

    before = database.current_revision(sqla.engine)
    database.upgrade(sqla.engine, revision)
    after = database.current_revision(sqla.engine)
    click.echo(f"database at revision {after}" + ("" if before == after else f" (was {before or 'empty'})"))


@db.command("downgrade")
@click.argument("revision")
@with_appcontext
def db_downgrade(revision):
    """Downgrade the schema to REVISION (``base`` drops every table)."""
    from matchmaker import database
    from matchmaker.extensions import db as sqla

    database.downgrade(sqla.engine, revision)
    click.echo(f"database at revision {database.current_revision(sqla.engine) or 'base'}")


@db.command("rekey")
@with_appcontext
def db_rekey():
    """Recompute the collectivités' search keys with the current normaliser (after an upgrade; safe to rerun)."""
    from matchmaker.extensions import db as sqla
    from matchmaker.questionnaire.operations import rekey_collectivites

    changed = rekey_collectivites()
    sqla.session.commit()
    click.echo(f"{changed} search keys recomputed")


@db.command("current")
@with_appcontext
def db_current():
    """Print the schema revision."""
    from matchmaker import database
    from matchmaker.extensions import db as sqla

    click.echo(database.current_revision(sqla.engine) or "empty")


@cli.command("create-user")
@click.argument("email")
@click.option("--org", type=click.Choice(ORGS), required=True)
@click.option("--role", type=click.Choice(["reviewer", "admin"]), default="reviewer", show_default=True)
@click.option("--language", type=click.Choice(["fr", "ko", "en"]), default=None, help="Interface language (default: fr for CUF, ko for GAROK).")
@click.option("--name", default=None)
@click.option("--password", default=None, help="Omit to be prompted (or to generate one with --generate-password).")
@click.option("--generate-password", is_flag=True, help="Generate a strong password and print it.")
@with_appcontext
def create_user_command(email, org, role, language, name, password, generate_password):
    """Create a staff account for CUF or GAROK."""
    from matchmaker.extensions import db as sqla
    from matchmaker.staff.operations import StaffError, create_user

    if generate_password:
        password = secrets.token_urlsafe(12)
    elif password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        create_user(email, password, org, role, language or LANGUAGE_OF_COUNTRY[COUNTRY_OF_ORG[org]], name)
        sqla.session.commit()
    except StaffError as exc:
        sqla.session.rollback()
        raise click.ClickException(str(exc)) from None
    click.echo(f"created {role} {email} ({org})" + (f" with password {password}" if generate_password else ""))


@cli.command("demo")
@click.option("--if-empty", is_flag=True, help="Do nothing when responses already exist.")
@with_appcontext
def demo_command(if_empty):
    """Load the demo data set, create demo staff logins and compute suggestions."""
    from matchmaker.demo import load_demo

    report = load_demo(only_if_empty=if_empty)
    for line in report:
        click.echo(line)


@cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@with_appcontext
def serve_command(host, port):
    """Run the service: web server, and in the embedded default also the SMTP sink and the scheduler."""
    from matchmaker.serve import serve

    serve(current_app._get_current_object(), host, port)


def register_area_commands(group: click.Group) -> None:
    """Add each area's commands."""
    for area in AREAS_WITH_COMMANDS:
        importlib.import_module(f"matchmaker.{area}.cli").register(group)


register_area_commands(cli)


def main() -> None:
    """Console entry point: bad settings print one line and exit with status 2."""
    try:
        cli.main(prog_name="matchmaker")
    except ConfigError as exc:
        click.echo(f"matchmaker: configuration error: {exc}", err=True)
        sys.exit(2)
