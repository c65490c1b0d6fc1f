"""The commands of the ``matchmaker`` command (Flask CLI conventions): database, staff accounts, demo, and each
area's commands.

Each area provides ``matchmaker/<area>/cli.py`` with ``register(group)`` and is listed in :data:`AREA_COMMANDS`.
:func:`register_commands` adds them all to a group: the console command (:mod:`matchmaker.cli`) and each app's
``app.cli`` (the factory). The jobs layer adds ``scheduler`` and ``serve`` through Flask's command discovery.
"""

from __future__ import annotations

import secrets
from types import ModuleType

import click
from flask.cli import with_appcontext

from matchmaker import database
from matchmaker.demo import load_demo
from matchmaker.extensions import db as sqla
from matchmaker.followup import cli as followup_cli
from matchmaker.gdpr import cli as gdpr_cli
from matchmaker.mail import cli as mail_cli
from matchmaker.outreach import cli as outreach_cli
from matchmaker.questionnaire import cli as questionnaire_cli
from matchmaker.questionnaire.operations import rekey_collectivites
from matchmaker.review import cli as review_cli
from matchmaker.staff.operations import StaffError, create_user
from matchmaker.suggestions import cli as suggestions_cli
from matchmaker.vocabulary import COUNTRY_OF_ORG, LANGUAGE_OF_COUNTRY, LANGUAGES, ORGS

#: The areas' commands, added in this order (``export`` is a group several areas add to).
AREA_COMMANDS: tuple[ModuleType, ...] = (
    questionnaire_cli,
    suggestions_cli,
    review_cli,
    mail_cli,
    gdpr_cli,
    followup_cli,
    outreach_cli,
)


@click.group()
def db():
    """Create, upgrade or downgrade the database schema."""


@db.command("upgrade")
@click.option("--revision", default="head", show_default=True, help="Target revision.")
@with_appcontext
def db_upgrade(revision):
    """Create or upgrade the schema (safe to run on every start)."""
    before = database.current_revision(sqla.engine)
    database.upgrade(sqla.engine, revision)
    after = database.current_revision(sqla.engine)
    click.echo(f"database at revision {after}" + ("" if before == after else f" (was {before or 'empty'})"))


@db.command("downgrade")
@click.argument("revision")
@with_appcontext
def db_downgrade(revision):
    """Downgrade the schema to REVISION (``base`` drops every table)."""
    database.downgrade(sqla.engine, revision)
    click.echo(f"database at revision {database.current_revision(sqla.engine) or 'base'}")


@db.command("rekey")
@with_appcontext
def db_rekey():
    """Recompute the collectivités' search keys with the current normaliser (after an upgrade; safe to rerun)."""
    changed = rekey_collectivites()
    sqla.session.commit()
    click.echo(f"{changed} search keys recomputed")


@db.command("current")
@with_appcontext
def db_current():
    """Print the schema revision."""
    click.echo(database.current_revision(sqla.engine) or "empty")


@click.command("create-user")
@click.argument("email")
@click.option("--org", type=click.Choice(ORGS), required=True)
@click.option("--role", type=click.Choice(["reviewer", "admin"]), default="reviewer", show_default=True)
@click.option(
    "--language",
    type=click.Choice(LANGUAGES),
    default=None,
    help="Interface language (default: fr for CUF, ko for GAROK).",
)
@click.option("--name", default=None)
@click.option("--password", default=None, help="Omit to be prompted (or to generate one with --generate-password).")
@click.option("--generate-password", is_flag=True, help="Generate a strong password and print it.")
@with_appcontext
def create_user_command(email, org, role, language, name, password, generate_password):
    """Create a staff account for CUF or GAROK."""
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


@click.command("demo")
@click.option("--if-empty", is_flag=True, help="Do nothing when responses already exist.")
@with_appcontext
def demo_command(if_empty):
    """Load the demo data set, create demo staff logins and compute suggestions."""
    report = load_demo(only_if_empty=if_empty)
    for line in report:
        click.echo(line)


def register_commands(group: click.Group) -> None:
    """Add the app's own commands and each area's to ``group``."""
    for command in (db, create_user_command, demo_command):
        group.add_command(command)
    for area in AREA_COMMANDS:
        area.register(group)
