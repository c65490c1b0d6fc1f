"""The ``matchmaker`` console command: a Flask command group on the app factory.

Its commands are those of :mod:`matchmaker.commands`, plus the ones installed packages declare as ``flask.commands``
entry points (the jobs layer's ``scheduler`` and ``serve``, see ``pyproject.toml``), which Flask finds itself.
"""

from __future__ import annotations

import sys

import click
from flask.cli import FlaskGroup

from matchmaker.app import create_app
from matchmaker.commands import register_commands
from matchmaker.config import ConfigError


@click.group(cls=FlaskGroup, create_app=create_app, add_default_commands=True, load_dotenv=False)
def cli():
    """Matchmaker: partner matchmaking between French and Korean local governments."""


register_commands(cli)


def main() -> None:
    """Console entry point: bad settings print one line and exit with status 2."""
    try:
        cli.main(prog_name="matchmaker")
    except ConfigError as exc:
        click.echo(f"matchmaker: configuration error: {exc}", err=True)
        sys.exit(2)
