"""Commands: ``gdpr export EMAIL`` and ``gdpr erase EMAIL``."""

import json

import click
from flask.cli import with_appcontext

from matchmaker.extensions import db
from matchmaker.gdpr.operations import erase_person, export_person


@click.group("gdpr")
def gdpr_group():
    """Personal data: export or erase everything held about a contact person."""


@gdpr_group.command("export")
@click.argument("email")
@with_appcontext
def export_command(email):
    """Print, as JSON, everything held about the person with EMAIL."""
    click.echo(json.dumps(export_person(email), ensure_ascii=False, indent=2))


@gdpr_group.command("erase")
@click.argument("email")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def erase_command(email, yes):
    """Erase the person's data; the collectivité's anonymous answers and the statistics are kept."""
    if not yes:
        click.confirm(f"Erase every piece of personal data held about {email}?", abort=True)
    counts = erase_person(email)
    db.session.commit()
    click.echo(
        f"erased: {counts['responses']} response contact(s), {counts['digest_recipients']} digest recipient(s), "
        f"{counts['emails']} email(s)"
    )


def register(group: click.Group) -> None:
    """Add the ``gdpr`` group."""
    group.add_command(gdpr_group)
