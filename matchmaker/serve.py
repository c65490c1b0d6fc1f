"""``matchmaker serve``: the embedded default in one process (web server, SMTP sink, scheduler)."""
from __future__ import annotations

import importlib
import logging
from pathlib import Path

import click
from flask import Flask
from werkzeug.serving import run_simple

log = logging.getLogger("matchmaker.serve")


def _optional(module: str, attr: str):
    """Return module.attr, or None when that area is not part of this version."""
    try:
        return getattr(importlib.import_module(module), attr)
    except ModuleNotFoundError as exc:
        if exc.name == module:
            return None
        raise


def serve(app: Flask, host: str, port: int) -> None:
    """Start the SMTP sink and the scheduler when configured, print where to go, then serve HTTP."""
    url = f"http://{host}:{port}/"
    if app.config["MAIL_SINK"]:
        start_sink = _optional("matchmaker.mail.sink", "start_sink")
        if start_sink is None:
            raise click.ClickException("the embedded SMTP sink is not available in this version; set MATCHMAKER_MAIL_SINK=false")
        start_sink(app)
        click.echo(f"SMTP sink listening on {app.config['MAIL_SERVER']}:{app.config['MAIL_PORT']} "
                   f"(read mail at {url}staff/emails)")
    if app.config["SCHEDULER_EMBEDDED"]:
        start = _optional("jobs.schedule", "start_background_scheduler")
        if start is None:
            raise click.ClickException("the scheduler is not available in this version; set MATCHMAKER_SCHEDULER_EMBEDDED=false")
        start(app)
        click.echo("scheduler running in this process")
    click.echo(f"Matchmaker is running at {url}")
    logins = Path(app.instance_path) / "demo_logins.txt"
    if logins.exists():
        click.echo(logins.read_text().rstrip())
    run_simple(host, port, app, threaded=True, use_reloader=False, use_debugger=False)
