"""The commands of the jobs layer, added to ``matchmaker`` through Flask's command discovery (the
``flask.commands`` entry points of ``pyproject.toml``): ``scheduler`` runs the schedule as its own process, lists
its jobs or runs one by hand; ``serve`` runs the embedded default (web server, SMTP sink, scheduler).
"""

from __future__ import annotations

import signal

import click
from flask import current_app
from flask.cli import with_appcontext

from jobs.schedule import JOBS, JOBS_BY_NAME, build_blocking_scheduler, run_all_once, run_job
from jobs.serve import serve


def _jobs_table() -> list[str]:
    return [f"  {spec.name:<22} {spec.description}" for spec in JOBS]


@click.group("scheduler", invoke_without_command=True)
@click.option("--once", is_flag=True, help="Run every job once for its current period (skipping done ones), then exit.")
@click.pass_context
@with_appcontext
def scheduler_group(ctx, once):
    """Run the scheduled jobs (production: one such process; two are safe but useless)."""
    if ctx.invoked_subcommand:
        return
    app = current_app._get_current_object()
    click.echo("jobs:")
    for line in _jobs_table():
        click.echo(line)
    if once:
        for result in run_all_once(app):
            click.echo(
                f"{result.job} [{result.period_key}]: {result.status}" + (f" ({result.error})" if result.error else "")
            )
        return
    scheduler = build_blocking_scheduler(app)

    def stop(signum, frame):
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    click.echo("scheduler running; Ctrl-C to stop")
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        if scheduler.running:
            scheduler.shutdown(wait=True)
        click.echo("scheduler stopped")


@scheduler_group.command("list")
def scheduler_list():
    """List the jobs and when they run."""
    for line in _jobs_table():
        click.echo(line)


@scheduler_group.command("run")
@click.argument("job")
@click.option("--force", is_flag=True, help="Run even if this period's run is already done.")
@with_appcontext
def scheduler_run(job, force):
    """Run one job now, for its current period (with --force, whatever the period's record says)."""
    spec = JOBS_BY_NAME.get(job)
    if spec is None:
        raise click.BadParameter(f"unknown job {job!r}; jobs: {', '.join(JOBS_BY_NAME)}")
    if force:
        click.echo(spec.operation())
        return
    result = run_job(current_app._get_current_object(), spec)
    click.echo(f"{result.job} [{result.period_key}]: {result.status}" + (f" ({result.error})" if result.error else ""))
    if result.status == "failed":
        raise SystemExit(1)


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@with_appcontext
def serve_command(host, port):
    """Run the service: web server, and in the embedded default also the SMTP sink and the scheduler."""
    serve(current_app._get_current_object(), host, port)
