"""Options shared by the areas' commands, written once so that every export and report reads the same."""

from __future__ import annotations

import click

from matchmaker.vocabulary import LANGUAGES

#: ``--output/-o FILE`` of the export commands; without it they write to standard output.
output_option = click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, writable=True),
    default=None,
    help="File (default: standard output).",
)


def language_option(default: str, what: str):
    """``--lang`` of a command that writes messages or reasons in one of the service's languages."""
    return click.option(
        "--lang", type=click.Choice(LANGUAGES), default=default, show_default=True, help=f"Language of the {what}."
    )
