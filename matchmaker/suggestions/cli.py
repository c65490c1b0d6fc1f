"""Commands: ``match``, ``embed``, ``tune-weights``, ``weights``, ``export suggestions``."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from matchmaker.cli_options import language_option, output_option
from matchmaker.extensions import db
from matchmaker.matching import DIMENSIONS
from matchmaker.suggestions.embeddings import backfill_embeddings
from matchmaker.suggestions.exporting import export_suggestions
from matchmaker.suggestions.operations import (
    WeightsError,
    apply_weights,
    current_weights,
    recompute_suggestions,
    tune_weights_from_decisions,
)


@click.command("match")
@click.option(
    "--top",
    "top_k",
    type=click.IntRange(1, 100),
    default=None,
    help="Suggestions kept per collectivité and side (default: MATCH_TOP_K).",
)
@click.option(
    "--full",
    is_flag=True,
    help="Fit the engine anew and explain every pair again (default: only the pairs a change can move).",
)
@with_appcontext
def match_command(top_k, full):
    """Recompute every suggestion in one transaction, write only what changed, and print the run record."""
    run = recompute_suggestions(top_k, full=full)
    db.session.commit()
    c = run.counts
    why = f" ({run.params['full_because']})" if run.params.get("full_because") else ""
    click.echo(
        f"run {run.id} [{run.params['mode']}{why}]: {c['profiles_fr']} French and {c['profiles_kr']} Korean responses, "
        f"{c['suggestions']} suggestions ({c['inserted']} new, {c['updated']} updated, {c['kept']} unchanged, "
        f"{c['deleted']} removed, {c['retired']} kept for history), {c['explained']} explained, "
        f"{c['excluded_pairs']} excluded pairs, {run.duration_ms} ms (engine {c['engine']}: {c['engine_ms']} ms)"
    )


@click.command("embed")
@click.option("--workers", type=click.IntRange(1, 64), default=None, help="Encoding processes (default: one per core).")
@with_appcontext
def embed_command(workers):
    """Encode the presentations that have no stored sentence-encoder vectors yet (back-fill; safe to rerun)."""
    counts = backfill_embeddings(workers=workers)
    click.echo(
        f"{counts['responses']} responses: {counts['encoded']} presentations encoded, "
        f"{counts['removed']} vectors of anonymised responses removed"
    )


def _format_weights(weights) -> str:
    return "  ".join(f"{d}={weights[d]:.3f}" for d in DIMENSIONS)


@click.group("weights")
def weights_group():
    """Show or set the matching weights."""


@weights_group.command("show")
@with_appcontext
def weights_show():
    """Print the weights in force."""
    click.echo(_format_weights(current_weights()))


@weights_group.command("set")
@click.argument("assignments", nargs=-1, required=True)
@with_appcontext
def weights_set(assignments):
    """Set weights, e.g. ``themes=0.3 complementarity=0.2 sectors=0.1 size=0.15 text=0.25`` (recompute follows)."""
    weights = dict(current_weights())
    for item in assignments:
        name, _, value = item.partition("=")
        weights[name.strip()] = value.strip()
    try:
        applied = apply_weights(weights)
    except WeightsError as exc:
        raise click.ClickException(str(exc)) from None
    db.session.commit()
    click.echo("applied: " + _format_weights(applied) + " (run `matchmaker match` or wait for the scheduler)")


@click.command("tune-weights")
@click.option("--cv", type=click.IntRange(2, 20), default=5, show_default=True, help="Cross-validation folds.")
@click.option(
    "--apply", "do_apply", is_flag=True, help="Apply the new weights (only when they separate decisions better)."
)
@with_appcontext
def tune_weights_command(cv, do_apply):
    """Fit weights from staff decisions, show old and new weights and how decided pairs re-rank."""
    try:
        report = tune_weights_from_decisions(cv=cv)
    except ValueError as exc:
        raise click.ClickException(f"cannot tune yet: {exc}") from None
    click.echo(
        f"decided pairs: {report.n_approved} approved, {report.n_rejected} rejected; "
        f"{report.folds}-fold cross-validation"
    )
    click.echo("old weights: " + _format_weights(report.old_weights))
    click.echo("new weights: " + _format_weights(report.new_weights))
    click.echo(
        f"held-out AUC: old {report.cv_auc_old:.3f}, new {report.cv_auc_new:.3f} (± {report.cv_auc_new_std:.3f})"
    )
    for label, name in ((1, "approved"), (0, "rejected")):
        click.echo(
            f"mean rank of {name} pairs among decided pairs: old {report.mean_rank(label, 'old'):.1f}, "
            f"new {report.mean_rank(label, 'new'):.1f}"
        )
    moved = sorted(report.rank_changes, key=lambda c: abs(c.new_rank - c.old_rank), reverse=True)[:10]
    for change in moved:
        if change.new_rank != change.old_rank:
            click.echo(
                f"  pair #{change.index + 1} ({'approved' if change.label else 'rejected'}): "
                f"rank {change.old_rank} → {change.new_rank}"
            )
    if not do_apply:
        click.echo("nothing applied (use --apply)")
        return
    if not report.improved:
        click.echo(
            "not applied: the new weights do not separate approved from rejected pairs better than the current ones"
        )
        sys.exit(1)
    apply_weights(report.new_weights)
    db.session.commit()
    click.echo("new weights applied; suggestions will be recomputed")


@click.command("suggestions")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "xlsx"]), default="jsonl", show_default=True)
@language_option("en", "reasons")
@output_option
@with_appcontext
def export_suggestions_command(fmt, lang, output):
    """One row per suggested pair: both names and codes, total, each dimension, ranks, reasons."""
    if output:
        with open(output, "wb") as fh:
            count = export_suggestions(fmt, fh, lang)
        click.echo(f"{count} suggestions written to {output}", err=True)
    else:
        if fmt == "xlsx" and sys.stdout.isatty():
            raise click.ClickException("xlsx is binary: give --output FILE")
        count = export_suggestions(fmt, sys.stdout.buffer, lang)
        sys.stdout.buffer.flush()


def register(group: click.Group) -> None:
    """Add the commands to the ``matchmaker`` group (``export suggestions`` joins the export group)."""
    group.add_command(match_command)
    group.add_command(embed_command)
    group.add_command(tune_weights_command)
    group.add_command(weights_group)
    export = group.commands.get("export")
    if not isinstance(export, click.Group):
        export = click.Group("export", help="Export responses or suggestions.")
        group.add_command(export)
    export.add_command(export_suggestions_command)
