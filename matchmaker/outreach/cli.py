"""``matchmaker outreach …``: start an invitation campaign, send due reminders, show a campaign's states."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask.cli import with_appcontext

from matchmaker.extensions import db
from matchmaker.outreach.booklet import booklet_entries, render_booklet_pdf
from matchmaker.outreach.operations import create_campaign, queue_invitations, send_due_reminders
from matchmaker.outreach.partnerships import (
    PartnershipFileError,
    import_partnerships,
    set_published,
    sync_declared_partnerships,
)
from matchmaker.outreach.queries import find_campaign, invitation_rows, summary
from matchmaker.outreach.targets import Filters, TargetError, merge_targets, parse_csv, select_rows
from matchmaker.questionnaire import codes
from matchmaker.vocabulary import COUNTRY_OF_ORG, ORGS

LEVEL_HELP = "Level code (commune, departement, si, gun …)."


@click.group("outreach")
def outreach_group():
    """Invitation campaigns to the collectivités of the reference lists."""


@outreach_group.command("invite")
@click.option(
    "--org",
    type=click.Choice(ORGS),
    required=True,
    help="The association sending (CUF invites French, GAROK Korean collectivités).",
)
@click.option("--name", required=True, help="Name of the campaign.")
@click.option("--level", default="", help=LEVEL_HELP)
@click.option("--region", default="", help="Region or province, by name or code.")
@click.option("--min-population", type=click.IntRange(0), default=None)
@click.option("--max-population", type=click.IntRange(0), default=None)
@click.option(
    "--csv",
    "csv_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="CSV of codes and addresses: code,email[,language][,level].",
)
@click.option("--reminder-after-days", type=click.IntRange(1, 90), default=10, show_default=True)
@click.option("--dry-run", is_flag=True, help="Say how many would be invited; write nothing.")
@with_appcontext
def invite(org, name, level, region, min_population, max_population, csv_path, reminder_after_days, dry_run):
    """Create a campaign and queue its invitations in the outbox."""
    country = COUNTRY_OF_ORG[org]
    if level and level not in codes.level_codes(country):
        raise click.BadParameter(f"unknown level for {country}: {level}", param_hint="--level")
    filters = Filters(level=level, region=region, min_population=min_population, max_population=max_population)
    from flask import current_app

    try:
        with current_app.test_request_context("/"):  # messages are read in a request's locale
            listed = parse_csv(country, csv_path.read_text(encoding="utf-8-sig")) if csv_path else []
    except TargetError as exc:
        raise click.ClickException(str(exc)) from None
    except UnicodeDecodeError:
        raise click.ClickException("the CSV file is not UTF-8") from None
    targets = merge_targets(country, [] if filters.is_empty() else select_rows(country, filters), listed)
    if not targets:
        raise click.ClickException("nothing selected: give filters or a CSV of codes and addresses")
    with_address = sum(1 for t in targets if t.email)
    if dry_run:
        click.echo(f"{len(targets)} collectivités selected, {with_address} with an address (dry run: nothing written)")
        return
    campaign = create_campaign(org, name, targets, reminder_after_days=reminder_after_days)
    report = queue_invitations(campaign)
    db.session.commit()
    click.echo(
        f"campaign {campaign.id}: {len(targets)} collectivités, {report.queued} invitations queued, "
        f"{report.no_address} without address, {report.unsubscribed} unsubscribed, {report.bounced} bounced, "
        f"{report.answered} already answered"
    )


@outreach_group.command("remind")
@click.option("--campaign", "campaign_id", type=int, default=None, help="Only this campaign.")
@with_appcontext
def remind(campaign_id):
    """Queue the reminders that are due (the hourly job does the same)."""
    count = send_due_reminders(campaign_id=campaign_id)
    db.session.commit()
    click.echo(f"{count} reminders queued")


@outreach_group.command("status")
@click.argument("campaign_id", type=int)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per invitation.")
@with_appcontext
def status(campaign_id, as_json):
    """Show the state of each invitation of a campaign."""
    campaign = find_campaign(campaign_id)
    if campaign is None:
        raise click.ClickException(f"no campaign {campaign_id}")
    rows = invitation_rows(campaign)
    if as_json:
        for row in rows:
            inv = row.invitation
            click.echo(
                json.dumps(
                    {
                        "code": inv.code,
                        "level": inv.level,
                        "name": inv.name,
                        "email": inv.email,
                        "state": row.state,
                        "unsubscribed": row.unsubscribed,
                        "bounced": row.bounced,
                        "reminders": inv.reminders_sent,
                    },
                    ensure_ascii=False,
                )
            )
        return
    counts = summary(rows)
    click.echo(f"{campaign.name} ({campaign.org}): " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    for row in rows:
        inv = row.invitation
        flags = "".join(f" [{flag}]" for flag in row.flags)
        click.echo(
            f"{inv.level}:{inv.code}\t{inv.name}\t{inv.email or '-'}\t{row.state}{flags}"
            f"\treminders {inv.reminders_sent}"
        )


@outreach_group.command("partnerships-import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def partnerships_import(path):
    """Load known partnerships from a CSV with a source per row (all or nothing), e.g.
    data/partnerships/known_fr_kr.csv."""
    from flask import current_app

    try:
        with current_app.test_request_context("/"):  # messages and labels are read in a request's locale
            report = import_partnerships(path.read_text(encoding="utf-8-sig"))
    except PartnershipFileError as exc:
        raise click.ClickException(f"{path.name}: {exc} (nothing imported)") from None
    db.session.commit()
    click.echo(f"{report.added} partnerships added, {report.updated} updated")


@outreach_group.command("partnerships-sync")
@with_appcontext
def partnerships_sync():
    """Record the partners respondents declared by code in their questionnaire."""
    count = sync_declared_partnerships()
    db.session.commit()
    click.echo(f"{count} declared partnerships added")


@outreach_group.command("partnerships-publish")
@click.option("--withdraw", is_flag=True, help="Make the page staff-only again.")
@with_appcontext
def partnerships_publish(withdraw):
    """Publish the public page of known partnerships (no contact details), or withdraw it."""
    set_published(not withdraw)
    db.session.commit()
    click.echo("partnerships page withdrawn" if withdraw else "partnerships page published")


@outreach_group.command("booklet")
@click.option("--theme", default=None, help="Theme code (default: every theme).")
@click.option(
    "--output",
    "output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="File to write: .pdf for the PDF, .html for the printable page.",
)
@with_appcontext
def booklet(theme, output):
    """Write the good-practice booklet (what respondents offer, in their own words) as PDF or HTML."""
    from flask import current_app, render_template

    if theme and theme not in codes.theme_codes():
        raise click.BadParameter(f"unknown theme {theme}", param_hint="--theme")
    with current_app.test_request_context("/"):
        entries = booklet_entries(theme)
        if output.suffix.lower() == ".pdf":
            output.write_bytes(render_booklet_pdf(theme, entries))
        else:
            output.write_text(
                render_template("outreach/booklet_print.html", theme=theme, entries=entries, codes=codes),
                encoding="utf-8",
            )
    click.echo(f"{output}: {len(entries)} collectivités")


def register(group: click.Group) -> None:
    """Add the outreach commands to the ``matchmaker`` command."""
    group.add_command(outreach_group)
