"""Commands: ``review introduce`` (the introduction run, also triggered by each approval and answer) and
``export pairs`` / ``export outcomes`` (the staff exports, from the command line)."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from matchmaker.cli_options import output_option
from matchmaker.extensions import db
from matchmaker.review.exports import csv_chunks, xlsx_cells
from matchmaker.review.operations import introduce_ready_pairs
from matchmaker.review.queries import OUTCOME_HEADER, PAIR_HEADER, PairFilters, outcome_rows, pair_rows
from matchmaker.spreadsheets import write_xlsx


@click.group("review")
def review_group():
    """The review of suggested pairs."""


@review_group.command("introduce")
@click.option(
    "--cap",
    type=click.IntRange(min=0),
    default=None,
    help="Open introductions per collectivité (default: EXPOSURE_CAP).",
)
@with_appcontext
def introduce_command(cap):
    """Introduce approved pairs under the exposure cap, after closing introductions whose links expired."""
    report = introduce_ready_pairs(cap)
    db.session.commit()
    click.echo(
        f"{len(report.introduced)} pairs introduced, {len(report.waiting_for_cap)} waiting for the exposure cap, "
        f"{len(report.unreachable)} not reachable (no contact or no consent), "
        f"{report.expired} expired introductions closed"
    )


def _export(kind: str, fmt: str, output: str | None, rows_and_header) -> None:
    header, rows = rows_and_header()
    if fmt == "xlsx":
        if not output:
            raise click.ClickException("xlsx is binary: give --output FILE")
        with open(output, "wb") as fh:
            write_xlsx(xlsx_cells(rows), header, fh, sheet_title=kind)
    else:
        stream = open(output, "w", encoding="utf-8", newline="") if output else sys.stdout
        try:
            for chunk in csv_chunks(rows, header):
                stream.write(chunk)
        finally:
            if output:
                stream.close()
    if output:
        click.echo(f"{kind} written to {output}", err=True)


@click.command("pairs")
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx"]), default="csv", show_default=True)
@click.option(
    "--state",
    default="",
    help="Only pairs in this state (suggested, approved, rejected, introduced, mutual, declined).",
)
@click.option("--theme", default="", help="Only pairs with this common theme code.")
@output_option
@with_appcontext
def export_pairs_command(fmt, state, theme, output):
    """Pairs with scores, decisions, answers and outcome, best first (the staff list's export)."""
    filters = PairFilters.from_args({"state": state, "theme": theme})
    _export("pairs", fmt, output, lambda: (PAIR_HEADER, pair_rows(filters, None)))


@click.command("outcomes")
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx"]), default="csv", show_default=True)
@output_option
@with_appcontext
def export_outcomes_command(fmt, output):
    """Every recorded outcome, most recent first."""
    _export("outcomes", fmt, output, lambda: (OUTCOME_HEADER, outcome_rows()))


def register(group: click.Group) -> None:
    """Add ``review`` and the ``export pairs`` / ``export outcomes`` commands to the ``matchmaker`` group."""
    group.add_command(review_group)
    export = group.commands.get("export")
    if not isinstance(export, click.Group):
        export = click.Group("export", help="Export responses, suggestions, pairs or outcomes.")
        group.add_command(export)
    export.add_command(export_pairs_command)
    export.add_command(export_outcomes_command)
