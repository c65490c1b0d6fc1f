"""Commands: ``digest build|send`` and ``outbox deliver|list|retry``: the scheduled mail jobs, by hand.

``digest send`` and ``outbox deliver`` are one command under two names.
"""

from __future__ import annotations

from datetime import datetime, timezone

import click
from flask import current_app
from flask.cli import with_appcontext

from matchmaker.extensions import db
from matchmaker.mail import queries
from matchmaker.mail.delivery import deliver_outbox, retry_message
from matchmaker.mail.digests import build_digests
from matchmaker.mail.health import outbox_health
from matchmaker.models.mail import OUTBOX_STATUSES


def _parse_now(value: str | None) -> datetime | None:
    """``--now`` as an aware datetime (a time without offset is taken as UTC)."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not an ISO date-time such as 2026-11-23T08:00+01:00") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def _print_due(limit: int | None) -> None:
    """What a delivery would send now, without sending anything."""
    count = queries.due_count()
    click.echo(f"{count} email(s) due; a delivery would send {count if limit is None else min(count, limit)}")
    for row in queries.due_messages(min(limit or 20, 20)):
        click.echo(f"  #{row.id} {row.kind} → {row.recipient}: {row.subject}")
    db.session.rollback()


def _print_delivery(report) -> None:
    click.echo(
        f"sent {report.sent}, retried later {report.retried}, failed {report.failed}, "
        f"ambiguous {report.ambiguous}, given back {report.released}"
    )
    if report.recovered or report.flagged:
        click.echo(f"abandoned by a stopped worker: {report.recovered} given back, {report.flagged} flagged ambiguous")
    if report.connection_errors:
        click.echo(f"SMTP server unreachable ({report.connection_errors}); the emails stay pending", err=True)
    for error in report.errors[:10]:
        click.echo(f"  {error}", err=True)


@click.group("digest")
def digest_group():
    """Build digests and reminders into the outbox, and send them."""


@digest_group.command("build")
@click.option("--dry-run", is_flag=True, help="Show what would be queued; write nothing.")
@click.option("--now", "now_text", metavar="ISO", help="Act as if it were this time (e.g. 2026-11-23T08:05+01:00).")
@with_appcontext
def digest_build(dry_run, now_text):
    """Queue the digests and reminders that are due (idempotent: run it as often as you like)."""
    report = build_digests(_parse_now(now_text), dry_run=dry_run)
    verb = "would queue" if dry_run else "queued"
    for item in report.queued:
        click.echo(f"{verb} {item['key']} → {item['to']}: {item['subject']}")
    click.echo(
        f"{verb} {len(report.queued)} email(s); groups built: {len(report.groups_built)}, "
        f"already done: {len(report.groups_skipped)}"
        + (f", being built by another process: {len(report.groups_elsewhere)}" if report.groups_elsewhere else "")
    )
    for error in report.errors:
        click.echo(f"error: {error}", err=True)
    if report.errors:
        raise SystemExit(1)


@click.group("outbox")
def outbox_group():
    """The outbox: every email before it is sent."""


@outbox_group.command("deliver")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Send at most N emails.")
@click.option("--dry-run", is_flag=True, help="Show what is due; send nothing.")
@with_appcontext
def outbox_deliver(limit, dry_run):
    """Send the due emails over one SMTP connection (safe to run in several processes)."""
    if dry_run:
        _print_due(limit)
        return
    _print_delivery(deliver_outbox(limit))


@outbox_group.command("list")
@click.option("--status", type=click.Choice(OUTBOX_STATUSES), default=None)
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True)
@with_appcontext
def outbox_list(status, limit):
    """List the emails that need attention first (failed, ambiguous, pending after an error), then the latest."""
    counts = queries.status_counts()
    click.echo(outbox_health(current_app.config).summary())
    click.echo(", ".join(f"{k}: {v}" for k, v in sorted(counts.items())) or "the outbox is empty")
    for row in queries.latest_messages(status, limit):
        line = f"#{row.id} {row.status:<9} attempts={row.attempts} {row.kind} → {row.recipient}: {row.subject}"
        if row.last_error and row.status != "sent":
            line += f" [{row.last_error}]"
        click.echo(line)


@outbox_group.command("retry")
@click.argument("message_id", type=int)
@with_appcontext
def outbox_retry(message_id):
    """Queue a failed or ambiguous email again (an ambiguous one may then arrive twice)."""
    if not retry_message(message_id):
        db.session.rollback()
        raise click.ClickException(f"email #{message_id} is not failed or ambiguous")
    db.session.commit()
    click.echo(f"email #{message_id} queued again")


# ``digest send`` is ``outbox deliver`` under the name the digest steps use: one command, two places.
digest_group.add_command(outbox_deliver, "send")


def register(group: click.Group) -> None:
    """Add the mail commands to the ``matchmaker`` command."""
    group.add_command(digest_group)
    group.add_command(outbox_group)
