"""Commands: ``followup remind`` / ``followup expire`` / ``followup surveys`` (the scheduled jobs, by hand) and
``followup tune`` (weights learned with and without the self-reported outcomes, side by side)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from matchmaker.extensions import db
from matchmaker.followup.introductions import expire_unanswered, remind_unanswered
from matchmaker.followup.labels import tune_weights_with_outcomes
from matchmaker.followup.operations import send_call_reminders
from matchmaker.followup.surveys import send_due_surveys


@click.group("followup")
def followup_group():
    """What follows mutual interest: first calls, surveys, introductions that expire."""


@followup_group.command("remind")
@with_appcontext
def remind_command():
    """Queue the day-before reminders of confirmed first calls."""
    count = send_call_reminders()
    db.session.commit()
    click.echo(f"{count} first calls reminded")


@followup_group.command("expire")
@with_appcontext
def expire_command():
    """Remind unanswered introductions once and expire the stale ones."""
    report = expire_unanswered()
    reminded = remind_unanswered()
    db.session.commit()
    click.echo(
        f"{len(report.expired)} introductions expired ({report.told} sides told, "
        f"{len(report.introduced)} waiting pairs introduced), {reminded} reminders queued"
    )


@followup_group.command("surveys")
@with_appcontext
def surveys_command():
    """Queue the due 1-, 3- and 6-month surveys."""
    count = send_due_surveys()
    db.session.commit()
    click.echo(f"{count} surveys queued")


@followup_group.command("tune")
@click.option("--folds", type=click.IntRange(min=2), default=5)
@with_appcontext
def tune_command(folds):
    """Learn weights from staff decisions alone, then with confirmed outcomes as labels; print both (applies
    nothing)."""
    for title, with_surveys in (("decisions only", False), ("decisions + confirmed outcomes", True)):
        try:
            report = tune_weights_with_outcomes(folds, with_surveys)
        except ValueError as exc:
            click.echo(f"{title}: {exc}")
            continue
        weights = ", ".join(f"{d} {w:.2f}" for d, w in report.new_weights.items())
        click.echo(
            f"{title}: {report.n_approved} positive / {report.n_rejected} negative; weights {weights}; "
            f"held-out AUC {report.cv_auc_old:.3f} (current weights) → {report.cv_auc_new:.3f} (learned)"
        )


def register(group: click.Group) -> None:
    """Add the ``followup`` commands to the ``matchmaker`` group."""
    group.add_command(followup_group)
