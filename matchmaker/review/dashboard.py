"""Figures of the dashboard: pairs per state, theme and level, the conversion funnel from suggestion to
agreement, and the collectivités that answered but have no suggestion yet."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import and_, distinct, exists, func, select, true

from matchmaker import database
from matchmaker.extensions import db
from matchmaker.models import SUGGESTION_STATES, Collectivite, Introduction, Outcome, Response, Suggestion
from matchmaker.models.review import OUTCOME_KINDS
from matchmaker.review import labels
from matchmaker.review.charts import Series, bar_chart, legend, stacked_bar_chart
from matchmaker.suggestions.themes import theme_elements

log = logging.getLogger("matchmaker.review")

#: States grouped into the segments of the stacked charts.
STATE_GROUPS = {
    "waiting": ("suggested",),
    "approved": ("approved", "introduced"),
    "mutual": ("mutual",),
    "closed": ("rejected", "declined"),
}
APPROVED_OR_LATER = ("approved", "introduced", "mutual", "declined")
WITHOUT_SUGGESTION_SHOWN = 200


@dataclass
class Stats:
    """Everything the dashboard shows."""

    by_state: dict[str, int]
    by_theme: list[tuple[str, dict[str, int]]]
    by_fr_level: list[tuple[str, dict[str, int]]]
    by_kr_level: list[tuple[str, dict[str, int]]]
    outcomes: dict[str, int]
    funnel: list[tuple[str, int]]
    without_suggestion: list[Collectivite] = field(default_factory=list)
    without_suggestion_total: int = 0

    @property
    def total(self) -> int:
        """All pairs ever suggested."""
        return sum(self.by_state.values())


def _grouped(rows) -> dict[str, dict[str, int]]:
    """(key, state, count) rows → {key: {state group: count}}."""
    out: dict[str, dict[str, int]] = {}
    group_of = {state: group for group, states in STATE_GROUPS.items() for state in states}
    for key, state, count in rows:
        bucket = out.setdefault(key, {g: 0 for g in STATE_GROUPS})
        bucket[group_of.get(state, "closed")] += count
    return out


#: Each web process recomputes the figures at most this often: over hundreds of thousands of pairs they take
#: seconds of database time (grouped joins over every pair), and figures a minute old serve a dashboard as well.
CACHE_SECONDS = 60
_cache: dict[str, tuple[float, Stats]] = {}
_refreshing: set[str] = set()
_cache_lock = threading.Lock()


def collect() -> Stats:
    """The dashboard's figures, at most CACHE_SECONDS old (always fresh in tests).

    Only the first view in a web process waits for them; afterwards an older copy is shown while one
    background thread recomputes it, so no view waits seconds once a minute.
    """
    if current_app.testing:
        return compute()
    key = current_app.config["DATABASE_URL"]
    with _cache_lock:
        cached = _cache.get(key)
        if cached is None:  # first view in this process: compute now (other threads wait for this result)
            cached = _cache[key] = (time.monotonic(), compute())
        elif time.monotonic() - cached[0] >= CACHE_SECONDS and key not in _refreshing:
            _refreshing.add(key)
            threading.Thread(
                target=_refresh, args=(current_app._get_current_object(), key), daemon=True, name="dashboard-refresh"
            ).start()
    return cached[1]


def _refresh(app, key: str) -> None:
    """Recompute the cached figures in a background thread (a read: no SQLite write lock)."""
    database.write_intent.set(False)  # this thread's own context: its transactions start as plain BEGIN
    try:
        with app.app_context():
            stats = compute()
        with _cache_lock:
            _cache[key] = (time.monotonic(), stats)
    except Exception:  # the older figures stay; the next view tries again
        log.exception("dashboard figures could not be refreshed")
    finally:
        with _cache_lock:
            _refreshing.discard(key)


def compute() -> Stats:
    """Compute the dashboard's figures (a few grouped queries)."""
    by_state = {s: 0 for s in SUGGESTION_STATES}
    by_state.update(dict(db.session.execute(select(Suggestion.state, func.count()).group_by(Suggestion.state)).all()))

    theme = theme_elements()
    theme_rows = db.session.execute(
        select(theme.c.value, Suggestion.state, func.count())
        .select_from(Suggestion)
        .join(theme, true())
        .group_by(theme.c.value, Suggestion.state)
    ).all()
    by_theme = sorted(_grouped(theme_rows).items(), key=lambda kv: -sum(kv[1].values()))

    def per_level(side_column):
        rows = db.session.execute(
            select(Collectivite.level, Suggestion.state, func.count())
            .join(Collectivite, Collectivite.id == side_column)
            .group_by(Collectivite.level, Suggestion.state)
        ).all()
        return sorted(_grouped(rows).items(), key=lambda kv: -sum(kv[1].values()))

    outcomes = {k: 0 for k in OUTCOME_KINDS}
    outcomes.update(
        dict(
            db.session.execute(
                select(Suggestion.outcome, func.count())
                .where(Suggestion.outcome.is_not(None))
                .group_by(Suggestion.outcome)
            ).all()
        )
    )

    total = sum(by_state.values())
    approved = sum(by_state[s] for s in APPROVED_OR_LATER)
    introduced = db.session.scalar(select(func.count()).select_from(Introduction)) or 0
    agreements = (
        db.session.scalar(select(func.count(distinct(Outcome.suggestion_id))).where(Outcome.kind == "agreement")) or 0
    )
    funnel = [
        ("suggested", total),
        ("approved", approved),
        ("introduced", introduced),
        ("mutual", by_state["mutual"]),
        ("agreement", agreements),
    ]

    # two anti-joins on the side indexes (one OR'ed EXISTS probed both indexes for every collectivité: 5× slower)
    lonely = and_(
        Response.status == "submitted",
        ~exists().where(Suggestion.fr_id == Collectivite.id),
        ~exists().where(Suggestion.kr_id == Collectivite.id),
    )
    lonely_total = (
        db.session.scalar(
            select(func.count())
            .select_from(Collectivite)
            .join(Response, Response.collectivite_id == Collectivite.id)
            .where(lonely)
        )
        or 0
    )
    lonely_rows = list(
        db.session.scalars(
            select(Collectivite)
            .join(Response, Response.collectivite_id == Collectivite.id)
            .where(lonely)
            .order_by(Collectivite.country, Collectivite.name_key)
            .limit(WITHOUT_SUGGESTION_SHOWN)
        )
    )
    for row in lonely_rows:  # kept by the cache beyond this session: plain loaded values, never lazy loads
        db.session.expunge(row)
    return Stats(
        by_state,
        by_theme,
        per_level(Suggestion.fr_id),
        per_level(Suggestion.kr_id),
        outcomes,
        funnel,
        lonely_rows,
        lonely_total,
    )


def funnel_labels() -> dict[str, str]:
    """Names of the funnel's steps."""
    return {
        "suggested": _("Suggested pairs"),
        "approved": _("Approved by both associations"),
        "introduced": _("Introduced to each other"),
        "mutual": _("Mutual interest"),
        "agreement": _("Agreement signed"),
    }


def group_labels() -> dict[str, str]:
    """Names of the state groups of the stacked charts."""
    return {
        "waiting": _("Awaiting review"),
        "approved": _("Approved or introduced"),
        "mutual": _("Mutual interest"),
        "closed": _("Rejected or declined"),
    }


def percent(part: int, whole: int) -> str:
    """A share as a whole-number percentage ("12 %" in French, "12%" in Korean and English; "< 1 %" for a
    share that is not nothing), or an empty string when there is no whole."""
    if not whole:
        return ""
    figure = round(100 * part / whole)
    text = "<\u00a01" if part and not figure else str(figure)
    return f"{text}\u00a0%" if labels.current_language() == "fr" else f"{text}%"


def charts(stats: Stats) -> dict:
    """The dashboard's SVG charts."""
    lang = labels.current_language()
    series = [Series(name, f"series-{i}") for i, name in enumerate(group_labels().values())]
    names = funnel_labels()
    top = stats.funnel[0][1]
    return {
        "legend": legend(series),
        "states": bar_chart(
            "chart-states",
            _("Pairs per state"),
            _("Number of suggested pairs in each state."),
            [(str(labels.STATE_LABELS[s]), n) for s, n in stats.by_state.items()],
        ),
        "funnel": bar_chart(
            "chart-funnel",
            _("From suggestion to agreement"),
            _("How many pairs reached each step, and their share of all suggested pairs."),
            [(names[k], n) for k, n in stats.funnel],
            suffixes=[percent(n, top) for _, n in stats.funnel],
        ),
        "themes": stacked_bar_chart(
            "chart-themes",
            _("Pairs per theme"),
            _("Pairs sharing each theme, split by where they stand."),
            [(labels.theme_label(code, lang), [g[k] for k in STATE_GROUPS]) for code, g in stats.by_theme],
            series,
        ),
        "fr_levels": stacked_bar_chart(
            "chart-fr-levels",
            _("Pairs per level of the French local government"),
            _("Pairs per administrative level on the French side, split by where they stand."),
            [(labels.level_label(code, lang), [g[k] for k in STATE_GROUPS]) for code, g in stats.by_fr_level],
            series,
        ),
        "kr_levels": stacked_bar_chart(
            "chart-kr-levels",
            _("Pairs per level of the Korean local government"),
            _("Pairs per administrative level on the Korean side, split by where they stand."),
            [(labels.level_label(code, lang), [g[k] for k in STATE_GROUPS]) for code, g in stats.by_kr_level],
            series,
        ),
        "outcomes": bar_chart(
            "chart-outcomes",
            _("Outcomes"),
            _("Latest recorded outcome of each pair."),
            [(str(labels.OUTCOME_LABELS[k]), n) for k, n in stats.outcomes.items()],
        ),
    }


def tables(stats: Stats) -> dict[str, list[list]]:
    """The charts' figures as table rows (the accessible alternative to each chart)."""
    lang = labels.current_language()

    def grouped(rows, label):
        return [[label(key), *[g[k] for k in STATE_GROUPS]] for key, g in rows]

    return {
        "states": [[labels.STATE_LABELS[s], n] for s, n in stats.by_state.items()],
        "themes": grouped(stats.by_theme, lambda c: labels.theme_label(c, lang)),
        "fr_levels": grouped(stats.by_fr_level, lambda c: labels.level_label(c, lang)),
        "kr_levels": grouped(stats.by_kr_level, lambda c: labels.level_label(c, lang)),
        "outcomes": [[labels.OUTCOME_LABELS[k], n] for k, n in stats.outcomes.items()],
    }
