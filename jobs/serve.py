"""``matchmaker serve``: the embedded default in one process (web server, SMTP sink, scheduler).

It lives with the jobs because it starts the schedule: the app itself never depends on ``jobs``.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask
from werkzeug.serving import run_simple

from jobs.schedule import start_background_scheduler
from matchmaker.mail.sink import start_sink


def serve(app: Flask, host: str, port: int) -> None:
    """Start the SMTP sink and the scheduler when configured, print where to go, then serve HTTP."""
    url = f"http://{host}:{port}/"
    if app.config["MAIL_SINK"]:
        start_sink(app)
        click.echo(
            f"SMTP sink listening on {app.config['MAIL_SERVER']}:{app.config['MAIL_PORT']} "
            f"(read mail at {url}staff/emails)"
        )
    if app.config["SCHEDULER_EMBEDDED"]:
        start_background_scheduler(app)
        click.echo("scheduler running in this process")
    click.echo(f"Matchmaker is running at {url}")
    logins = Path(app.instance_path) / "demo_logins.txt"
    if logins.exists():
        click.echo(logins.read_text().rstrip())
    run_simple(host, port, app, threaded=True, use_reloader=False, use_debugger=False)
