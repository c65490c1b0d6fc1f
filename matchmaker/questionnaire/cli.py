"""Commands: ``import FILE``, ``purge-drafts`` and the ``export`` group with ``export responses``."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from matchmaker.cli_options import language_option, output_option
from matchmaker.extensions import db
from matchmaker.questionnaire.exporting import FORMATS
from matchmaker.questionnaire.operations import ImportFileError, export_responses, import_file, purge_expired_drafts


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--skip-invalid",
    is_flag=True,
    help="Import the valid rows and list the invalid ones (default: a file with any invalid row imports nothing).",
)
@click.option("--dry-run", is_flag=True, help="Check the whole file and report; write nothing.")
@language_option("en", "messages")
@with_appcontext
def import_command(file, skip_invalid, dry_run, lang):
    """Import questionnaire responses from a JSON Lines or CSV file (see the README for the fields)."""
    try:
        report = import_file(file, skip_invalid=skip_invalid, dry_run=dry_run, lang=lang)
    except ImportFileError as exc:
        raise click.ClickException(str(exc)) from None
    for error in report.errors:
        click.echo(str(error), err=True)
    for warning in report.warnings:
        click.echo(f"warning: {warning}", err=True)
    click.echo(report.summary())
    if report.errors and not skip_invalid:
        sys.exit(1)


@click.command("responses")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="csv", show_default=True)
@output_option
@with_appcontext
def export_responses_command(fmt, output):
    """Every submitted response, with the same fields as the import (CSV opens in Excel with Korean intact)."""
    if output:
        with open(output, "wb") as fh:
            count = export_responses(fmt, fh)
        click.echo(f"{count} responses written to {output}", err=True)
        return
    if fmt == "xlsx" and sys.stdout.isatty():
        raise click.ClickException("xlsx is binary: give --output FILE")
    stream = click.get_binary_stream("stdout")
    export_responses(fmt, stream)
    stream.flush()


@click.command("purge-drafts")
@with_appcontext
def purge_drafts_command():
    """Delete questionnaire drafts never submitted and untouched for DRAFT_TTL_DAYS (the scheduled job's twin)."""
    count = purge_expired_drafts()
    db.session.commit()
    click.echo(f"{count} abandoned drafts deleted")


def export_group(group: click.Group) -> click.Group:
    """The ``export`` group of the ``matchmaker`` command, created on first use; other areas add subcommands."""
    export = group.commands.get("export")
    if not isinstance(export, click.Group):
        export = click.Group("export", help="Export responses or suggestions.")
        group.add_command(export)
    return export


def register(group: click.Group) -> None:
    """Add ``import`` and ``export responses`` to the ``matchmaker`` group."""
    group.add_command(import_command)
    group.add_command(purge_drafts_command)
    export_group(group).add_command(export_responses_command)
