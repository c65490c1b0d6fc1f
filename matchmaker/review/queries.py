"""Reads of the review workspace: the filtered, sorted, keyset-paginated list of pairs, and one pair in full.

The list must stay fast with hundreds of thousands of suggestions: pages are fetched by keyset (the sort value
and id of the last row shown), never by OFFSET, and the number of matching pairs is counted only up to
COUNT_CAP ("1,000+") instead of a full COUNT(*).
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
import time
from dataclasses import dataclass, fields, replace
from datetime import datetime
from typing import Any, Iterable, Iterator, Mapping

from flask import current_app
from psycopg.errors import QueryCanceled
from sqlalchemy import Integer, and_, any_, bindparam, false, func, literal, or_, select, text, tuple_
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import aliased, selectinload

from matchmaker import reference
from matchmaker.extensions import db
from matchmaker.matching.text import search_key
from matchmaker.models import (
    SUGGESTION_STATES,
    Collectivite,
    Introduction,
    Outcome,
    PairNote,
    Response,
    ReviewDecision,
    StaffUser,
    Suggestion,
)
from matchmaker.models.review import OUTCOME_KINDS
from matchmaker.regions import OTHER, match_region, regions_of
from matchmaker.suggestions.themes import has_theme

PAGE_SIZE = 50
COUNT_CAP = 1000
#: Names typed in the search box match at most this many collectivités (a search for "a" is not a filter).
SEARCH_MATCH_LIMIT = 500
#: Longest a count may take on PostgreSQL before the list says "more than N" instead.
COUNT_TIMEOUT_MS = 60
#: Up to this many collectivités, a level/region filter is passed to the database as a list of ids.
SIDE_ID_LIMIT = 8000

FR = aliased(Collectivite, name="fr_c")
KR = aliased(Collectivite, name="kr_c")

#: sort key -> (column, type of its cursor value)
SORTS: dict[str, tuple[Any, type]] = {
    "score": (Suggestion.score_total, float),
    "themes": (Suggestion.score_themes, float),
    "complementarity": (Suggestion.score_complementarity, float),
    "sectors": (Suggestion.score_sectors, float),
    "size": (Suggestion.score_size, float),
    "text": (Suggestion.score_text, float),
    "fr_name": (FR.name_key, str),
    "kr_name": (KR.name_key, str),
    "updated": (Suggestion.updated_at, datetime),
}
#: A click on a column header sorts names A→Z and everything else highest first.
NATURAL_DIRECTION = {"fr_name": "asc", "kr_name": "asc"}


@dataclass(frozen=True)
class PairFilters:
    """What the reviewer asked for in the list's form (all optional)."""

    state: str = ""
    awaiting: bool = False
    theme: str = ""
    fr_level: str = ""
    fr_region: str = ""
    kr_level: str = ""
    kr_region: str = ""
    min_score: int | None = None  # percent
    q: str = ""
    collectivite: int | None = None
    outcome: str = ""
    sort: str = "score"
    direction: str = "desc"

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> "PairFilters":
        """Read filters from query arguments; values that make no sense are dropped, never an error page."""

        def text_arg(name: str, limit: int = 200) -> str:
            return (args.get(name) or "").strip()[:limit]

        def int_arg(name: str, low: int, high: int) -> int | None:
            raw = text_arg(name, 12)
            if not raw.lstrip("-").isdigit():
                return None
            value = int(raw)
            return value if low <= value <= high else None

        state = text_arg("state")
        sort = text_arg("sort") or "score"
        direction = text_arg("direction")
        outcome = text_arg("outcome")
        if sort not in SORTS:
            sort = "score"
        if direction not in ("asc", "desc"):
            direction = NATURAL_DIRECTION.get(sort, "desc")
        return cls(
            state=state if state in SUGGESTION_STATES else "",
            awaiting=text_arg("awaiting") in ("1", "on", "true"),
            theme=text_arg("theme", 40),
            fr_level=text_arg("fr_level", 32),
            fr_region=text_arg("fr_region"),
            kr_level=text_arg("kr_level", 32),
            kr_region=text_arg("kr_region"),
            min_score=int_arg("min_score", 0, 100),
            q=text_arg("q", 100),
            collectivite=int_arg("collectivite", 1, 2**31 - 1),
            outcome=outcome if outcome in OUTCOME_KINDS else "",
            sort=sort,
            direction=direction,
        )

    def to_args(self, **changes) -> dict[str, Any]:
        """Query arguments reproducing these filters (defaults left out), with ``changes`` applied."""
        current = replace(self, **changes)
        defaults = PairFilters()
        out = {}
        for f in fields(self):
            value = getattr(current, f.name)
            if value != getattr(defaults, f.name) or (
                f.name == "direction" and value != NATURAL_DIRECTION.get(current.sort, "desc")
            ):
                out[f.name] = ("1" if value else "") if isinstance(value, bool) else value
        if out.get("direction") == NATURAL_DIRECTION.get(current.sort, "desc"):
            out.pop("direction")
        return out

    @property
    def active(self) -> bool:
        """Whether anything narrows the list."""
        return any(
            getattr(self, f.name) != getattr(PairFilters(), f.name)
            for f in fields(self)
            if f.name not in ("sort", "direction")
        )


@dataclass
class PairRow:
    """One line of the list."""

    id: int
    score_total: float
    state: str
    cuf_decision: str | None
    garok_decision: str | None
    outcome: str | None
    updated_at: datetime
    fr_id: int
    fr_name: str
    fr_name_local: str | None
    fr_level: str
    fr_region: str | None
    kr_id: int
    kr_name: str
    kr_name_local: str | None
    kr_level: str
    kr_region: str | None
    themes: list[str]


@dataclass
class Page:
    """A page of the list with the cursors of its neighbours and a capped count of all matching pairs."""

    rows: list[PairRow]
    next_cursor: str | None
    prev_cursor: str | None
    count: int
    count_capped: bool


# --- cursors ------------------------------------------------------------------------------------------------


def encode_cursor(value: Any, row_id: int) -> str:
    """An opaque cursor for (sort value, id)."""
    if isinstance(value, datetime):
        value = value.isoformat()
    raw = json.dumps([value, row_id], ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_cursor(cursor: str | None, kind: type) -> tuple[Any, int] | None:
    """The (sort value, id) of a cursor, or None when it is missing or malformed."""
    if not cursor or len(cursor) > 600:
        return None
    try:
        value, row_id = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not isinstance(row_id, int) or isinstance(row_id, bool) or not 0 <= row_id <= 2**31 - 1:
            return None
        if kind is float and isinstance(value, (int, float)) and not isinstance(value, bool):
            return (float(value), row_id) if math.isfinite(value) else None
        if kind is str and isinstance(value, str):
            return value, row_id
        if kind is datetime and isinstance(value, str):
            parsed = datetime.fromisoformat(value)
            return (parsed, row_id) if parsed.tzinfo else None
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        return None
    return None


# --- the list -----------------------------------------------------------------------------------------------


def matching_collectivites(q: str) -> list[tuple[int, str]]:
    """(id, country) of the collectivités whose name (any script) contains what was typed."""
    key = search_key(q)
    if not key:
        return []
    return list(
        db.session.execute(
            select(Collectivite.id, Collectivite.country)
            .where(
                or_(
                    Collectivite.name_key.contains(key, autoescape=True),
                    func.lower(Collectivite.name).contains(q.lower(), autoescape=True),
                    Collectivite.name_local.contains(q, autoescape=True),
                )
            )
            .limit(SEARCH_MATCH_LIMIT)
        )
    )


def _side_condition(country: str, column, level: str, region: str):
    """Pairs whose collectivité of one country has this level and/or region.

    The matching collectivités are looked up first and passed as a list of ids: the planner then filters
    the pairs by hashing that list instead of joining row by row, and it estimates the selectivity from
    the ids (a region of 30 communes is not treated like a region of 5,000). Very large sets (every
    French commune) stay a subquery that filters rows read in the list's order: they filter almost nothing.
    """
    query = select(Collectivite.id).where(Collectivite.country == country)
    if level:
        query = query.where(Collectivite.level == level)
    if region:
        query = query.where(_region_condition(country, region))
    ids = list(db.session.scalars(query.limit(SIDE_ID_LIMIT + 1)))
    if len(ids) > SIDE_ID_LIMIT:
        # "+ 0" keeps this weak filter from driving the plan: the list is better read in its sort order.
        return (column + 0).in_(query)
    return in_ids(column, ids)


def in_ids(column, ids: list[int]):
    """``column IN ids``: one array parameter on PostgreSQL (fast to plan), a list of parameters on SQLite."""
    if not ids:
        return false()
    if db.session.get_bind().dialect.name == "postgresql":
        return column == any_(bindparam(None, ids, type_=ARRAY(Integer)))
    return column.in_(ids)


def filtered(stmt, filters: PairFilters, org: str | None):
    """Apply the filters to a statement selecting from Suggestion (every condition is on the pair's columns)."""
    conditions = []
    if filters.state:
        conditions.append(Suggestion.state == filters.state)
    if filters.awaiting and org in ("CUF", "GAROK"):
        mine = Suggestion.cuf_decision if org == "CUF" else Suggestion.garok_decision
        conditions += [Suggestion.state == "suggested", mine.is_(None)]
    if filters.theme:
        conditions.append(has_theme(filters.theme))
    for country, column, level, region in (
        ("FR", Suggestion.fr_id, filters.fr_level, filters.fr_region),
        ("KR", Suggestion.kr_id, filters.kr_level, filters.kr_region),
    ):
        if level or region:
            conditions.append(_side_condition(country, column, level, region))
    if filters.min_score is not None:
        conditions.append(Suggestion.score_total >= filters.min_score / 100.0)
    if filters.outcome:
        conditions.append(Suggestion.outcome == filters.outcome)
    # Collectivités named by id or by name are resolved first and matched on their own side's column only:
    # the planner then estimates a French commune's dozen pairs correctly instead of scanning by score.
    named: list[tuple[int, str]] = []
    if filters.collectivite:
        named = list(
            db.session.execute(
                select(Collectivite.id, Collectivite.country).where(Collectivite.id == filters.collectivite)
            )
        )
    if filters.q:
        found = matching_collectivites(filters.q)
        named = [n for n in found if n[0] == filters.collectivite] if filters.collectivite else found
    if filters.collectivite or filters.q:
        fr_ids = [cid for cid, country in named if country == "FR"]
        kr_ids = [cid for cid, country in named if country == "KR"]
        sides = ([in_ids(Suggestion.fr_id, fr_ids)] if fr_ids else []) + (
            [in_ids(Suggestion.kr_id, kr_ids)] if kr_ids else []
        )
        conditions.append(or_(*sides) if sides else false())
    return stmt.where(and_(*conditions)) if conditions else stmt


def _base_select(*columns, sort: str | None = None):
    """Pairs joined to both collectivités.

    When sorting by a name, the (always true) country condition of that side lets the planner walk the
    (country, name_key) index; it is left out otherwise, as the planner would take it for a real filter
    (only 1 collectivité in 150 is Korean) and misjudge every other plan.
    """
    fr_on = FR.id == Suggestion.fr_id
    kr_on = KR.id == Suggestion.kr_id
    if sort == "fr_name":
        fr_on = and_(fr_on, FR.country == "FR")
    elif sort == "kr_name":
        kr_on = and_(kr_on, KR.country == "KR")
    return select(*columns).select_from(Suggestion).join(FR, fr_on).join(KR, kr_on)


def _page_statement(filters: PairFilters, org: str | None, position: tuple | None, backwards: bool):
    """The page query: filters, then rows after (or before) the cursor position, in scan order."""
    column, _kind = SORTS[filters.sort]
    descending = filters.direction == "desc"
    stmt = filtered(
        _base_select(
            Suggestion.id,
            Suggestion.score_total,
            Suggestion.state,
            Suggestion.cuf_decision,
            Suggestion.garok_decision,
            Suggestion.outcome,
            Suggestion.updated_at,
            FR.id,
            FR.name,
            FR.name_local,
            FR.level,
            FR.region,
            KR.id,
            KR.name,
            KR.name_local,
            KR.level,
            KR.region,
            column.label("sort_value"),
            sort=filters.sort,
        ),
        filters,
        org,
    )
    if position is not None:
        key = tuple_(column, Suggestion.id)
        ref = tuple_(literal(position[0], type_=column.type), literal(position[1], type_=Suggestion.id.type))
        # Rows come after the cursor in display order; going backwards flips both the comparison and the order.
        stmt = stmt.where(key < ref if descending != backwards else key > ref)
    scan_descending = descending != backwards
    order = (column.desc(), Suggestion.id.desc()) if scan_descending else (column.asc(), Suggestion.id.asc())
    return stmt.order_by(*order)


def _rows(result) -> list[PairRow]:
    rows = [PairRow(*r[:17], themes=[]) for r in result]
    _attach_themes(rows)
    return rows


def list_pairs(
    filters: PairFilters,
    org: str | None,
    after: str | None = None,
    before: str | None = None,
    page_size: int = PAGE_SIZE,
) -> Page:
    """One page of pairs matching the filters, in the asked order, starting after (or ending before) a cursor."""
    kind = SORTS[filters.sort][1]
    backwards = False
    position = decode_cursor(after, kind)
    if position is None and before:
        position = decode_cursor(before, kind)
        backwards = position is not None
    result = db.session.execute(_page_statement(filters, org, position, backwards).limit(page_size + 1)).all()
    more = len(result) > page_size
    if backwards and not more:
        return list_pairs(filters, org, page_size=page_size)  # reached the start: show a full first page
    result = result[:page_size]
    if backwards:
        result.reverse()
    rows = _rows(result)
    next_cursor = prev_cursor = None
    if result:
        first, last = result[0], result[-1]
        if more or backwards:
            next_cursor = encode_cursor(last.sort_value, last.id)
        if (more and backwards) or (position is not None and not backwards):
            prev_cursor = encode_cursor(first.sort_value, first.id)
    if not more and position is None:
        count, capped = len(rows), False  # everything is on this page
    else:
        count, capped = count_pairs(filters, org, at_least=len(rows) + (1 if more else 0))
    return Page(rows, next_cursor, prev_cursor, count, capped)


def iter_pairs(filters: PairFilters, org: str | None, batch: int = 2000):
    """Every pair matching the filters, in the list's order, fetched in keyset batches (for exports)."""
    position = None
    while True:
        result = db.session.execute(_page_statement(filters, org, position, False).limit(batch)).all()
        if not result:
            return
        yield from _rows(result)
        if len(result) < batch:
            return
        position = (result[-1].sort_value, result[-1].id)


def count_pairs(filters: PairFilters, org: str | None, cap: int | None = None, at_least: int = 0) -> tuple[int, bool]:
    """How many pairs match, counted up to ``cap`` (COUNT_CAP by default); (n, True) means "more than n".

    On PostgreSQL the count gets COUNT_TIMEOUT_MS: a rare combination of filters can need a long scan, and
    the page must not wait for it; the answer is then "more than ``at_least`` - 1" (what the page showed).
    """
    cap = COUNT_CAP if cap is None else cap
    # Every filter is a condition on the pair's own columns (collectivités are resolved to ids first),
    # so counting needs no join.
    inner = filtered(select(Suggestion.id), filters, org).limit(cap + 1).subquery()
    query = select(func.count()).select_from(inner)
    if db.session.get_bind().dialect.name != "postgresql":
        count = db.session.scalar(query) or 0
        return min(count, cap), count > cap
    try:
        with db.session.begin_nested():
            db.session.execute(text(f"SET LOCAL statement_timeout = {int(COUNT_TIMEOUT_MS)}"))
            count = db.session.scalar(query) or 0
            db.session.execute(text("SET LOCAL statement_timeout TO DEFAULT"))
    except OperationalError as exc:
        if not isinstance(exc.orig, QueryCanceled):
            raise
        return max(at_least - 1, 0), True
    return min(count, cap), count > cap


def _attach_themes(rows: list[PairRow]) -> None:
    """Fill the shared themes of the rows shown (one query for the page)."""
    if not rows:
        return
    by_id = {row.id: row for row in rows}
    for sid, codes in db.session.execute(
        select(Suggestion.id, Suggestion.theme_codes).where(Suggestion.id.in_(list(by_id)))
    ):
        by_id[sid].themes.extend(sorted(codes or []))


# --- choices for the filter form ----------------------------------------------------------------------------

_REGION_CACHE: dict[tuple[str, str], tuple[float, list[str]]] = {}
REGION_CACHE_SECONDS = 300


def region_texts(country: str) -> list[str]:
    """The regions of the collectivités of one country, as typed (cached a few minutes)."""
    key = (current_app.config["DATABASE_URL"], country)
    now = time.monotonic()
    cached = _REGION_CACHE.get(key)
    if cached and now - cached[0] < REGION_CACHE_SECONDS and not current_app.testing:
        return cached[1]
    found = sorted(
        db.session.scalars(
            select(Collectivite.region)
            .where(Collectivite.country == country, Collectivite.region.is_not(None))
            .distinct()
        )
    )
    _REGION_CACHE[key] = (now, found)
    return found


def regions(country: str, lang: str) -> list[tuple[str, str]]:
    """(value, label) of the filter form: the reference regions the collectivités are in, in the reader's
    language, then one entry for the regions typed that match none of them (never one entry per spelling)."""
    texts = region_texts(country)
    present = {match_region(country, text) for text in texts}
    choices = [(region.code, region.label(lang)) for region in regions_of(country) if region in present]
    return sorted(choices, key=lambda choice: choice[1]) + ([(OTHER, None)] if None in present else [])


def _region_condition(country: str, wanted: str):
    """The collectivités whose typed region means the reference region ``wanted`` (a code or a name), or
    none of them (``OTHER``)."""
    texts = region_texts(country)
    if wanted == OTHER:
        chosen = [text for text in texts if match_region(country, text) is None]
    else:
        target = match_region(country, wanted)
        chosen = [text for text in texts if target and match_region(country, text) == target] or [wanted]
    return Collectivite.region.in_(chosen) if chosen else false()


# --- one pair -----------------------------------------------------------------------------------------------


@dataclass
class HistoryEvent:
    """One line of a pair's history."""

    at: datetime
    kind: str  # suggested | decision | introduced | answer | outcome
    org: str | None = None
    who: str | None = None
    value: str | None = None
    note: str | None = None
    happened_on: Any = None


def find_suggestion(suggestion_id: int) -> Suggestion | None:
    """One pair, or None (what an action on a pair starts from)."""
    return db.session.get(Suggestion, suggestion_id)


@dataclass
class PairDetail:
    """Everything the pair page shows."""

    suggestion: Suggestion
    introduction: Introduction | None
    decisions: list[ReviewDecision]
    notes: list[PairNote]
    outcomes: list[Outcome]
    history: list[HistoryEvent]


def load_pair(suggestion_id: int) -> PairDetail | None:
    """A pair with both profiles, its decisions, notes, introduction, outcomes and merged history."""
    suggestion = db.session.scalar(
        select(Suggestion)
        .where(Suggestion.id == suggestion_id)
        .options(
            selectinload(Suggestion.fr).selectinload(Collectivite.response).selectinload(Response.themes),
            selectinload(Suggestion.kr).selectinload(Collectivite.response).selectinload(Response.themes),
        )
    )
    if suggestion is None:
        return None
    intro = db.session.scalar(select(Introduction).where(Introduction.suggestion_id == suggestion_id))
    decisions = list(
        db.session.scalars(
            select(ReviewDecision)
            .where(ReviewDecision.suggestion_id == suggestion_id)
            .options(selectinload(ReviewDecision.user))
            .order_by(ReviewDecision.created_at, ReviewDecision.id)
        )
    )
    notes = list(
        db.session.scalars(
            select(PairNote)
            .where(PairNote.suggestion_id == suggestion_id)
            .options(selectinload(PairNote.user))
            .order_by(PairNote.created_at.desc(), PairNote.id.desc())
        )
    )
    outcomes = list(
        db.session.scalars(
            select(Outcome)
            .where(Outcome.suggestion_id == suggestion_id)
            .order_by(Outcome.happened_on.desc(), Outcome.id.desc())
        )
    )
    return PairDetail(suggestion, intro, decisions, notes, outcomes, _history(suggestion, intro, decisions, outcomes))


_PARTNER_CODE = re.compile(r"\s*(FR|KR)\s*:\s*(\S+)\s*", re.IGNORECASE)


def existing_partner_names(entries: list[str] | None) -> list[tuple[str, list[tuple[str, str | None]]]]:
    """Each declared existing partner with the names behind its code, for a reader.

    Entries are typed by respondents: a name ("Ville de Tours") is shown as typed; a code ("KR:47") is
    resolved to the collectivités that answered with that code, else to the reference lists (a French
    code may name a département and a région: both are shown). Returns (entry, [(name, name_local)]).
    """
    out = []
    for entry in entries or []:
        match = _PARTNER_CODE.fullmatch(entry)
        if not match:
            out.append((entry, []))
            continue
        country, code = match.group(1).upper(), match.group(2)
        rows = db.session.execute(
            select(Collectivite.name, Collectivite.name_local)
            .where(Collectivite.country == country, Collectivite.code == code)
            .order_by(Collectivite.id)
        ).all()
        names = [(row.name, row.name_local) for row in rows]
        if not names:
            names = [(row.name, row.name_local) for row in reference.find_all(country, code)]
        out.append((f"{country}:{code}", names))
    return out


def _history(suggestion, intro, decisions, outcomes) -> list[HistoryEvent]:
    """Decisions, introduction, answers and outcomes of a pair in time order (the audit trail)."""
    events = [HistoryEvent(suggestion.created_at, "suggested")]
    for d in decisions:
        events.append(HistoryEvent(d.created_at, "decision", d.org, _who(d.user), d.decision, d.note))
    if intro is not None:
        events.append(HistoryEvent(intro.created_at, "introduced"))
        for side, value, at in (
            ("FR", intro.fr_answer, intro.fr_answered_at),
            ("KR", intro.kr_answer, intro.kr_answered_at),
        ):
            if value and at:
                events.append(HistoryEvent(at, "answer", side, None, value))
    for o in outcomes:
        events.append(HistoryEvent(o.created_at, "outcome", None, None, o.kind, o.note, o.happened_on))
    return sorted(events, key=lambda e: e.at)


def _who(user) -> str | None:
    if user is None:
        return None
    return user.name or user.email


# --- the exports' rows (the staff pages' downloads and the ``export`` commands) ---------------------------------

#: Rows of the exports are read in batches of this many.
EXPORT_BATCH = 2000
PAIR_HEADER = (
    "pair_id",
    "state",
    "score_total",
    "score_themes",
    "score_complementarity",
    "score_sectors",
    "score_size",
    "score_text",
    "fr_name",
    "fr_name_local",
    "fr_level",
    "fr_region",
    "kr_name",
    "kr_name_local",
    "kr_level",
    "kr_region",
    "themes",
    "cuf_decision",
    "garok_decision",
    "introduced_at",
    "fr_answer",
    "kr_answer",
    "outcome",
    "updated_at",
)
OUTCOME_HEADER = (
    "pair_id",
    "fr_name",
    "fr_name_local",
    "kr_name",
    "kr_name_local",
    "kind",
    "happened_on",
    "note",
    "recorded_by",
    "recorded_at",
    "pair_state",
)


def pair_rows(filters: PairFilters, org: str | None) -> Iterator[dict]:
    """Rows of the pairs export, in the list's order, read in batches."""
    batch = []
    for row in iter_pairs(filters, org, batch=EXPORT_BATCH):
        batch.append(row)
        if len(batch) >= EXPORT_BATCH:
            yield from _pair_batch(batch)
            batch = []
    if batch:
        yield from _pair_batch(batch)


def _pair_batch(rows) -> Iterable[dict]:
    """Complete a batch of list rows with dimension scores and answers (two queries per batch)."""
    ids = [r.id for r in rows]
    scores = {
        sid: rest
        for sid, *rest in db.session.execute(
            select(
                Suggestion.id,
                Suggestion.score_themes,
                Suggestion.score_complementarity,
                Suggestion.score_sectors,
                Suggestion.score_size,
                Suggestion.score_text,
            ).where(Suggestion.id.in_(ids))
        )
    }
    intros = {
        i.suggestion_id: i for i in db.session.scalars(select(Introduction).where(Introduction.suggestion_id.in_(ids)))
    }
    for r in rows:
        intro = intros.get(r.id)
        yield dict(
            zip(
                PAIR_HEADER,
                [
                    r.id,
                    r.state,
                    round(r.score_total, 4),
                    *[round(v, 4) for v in scores.get(r.id, [0.0] * 5)],
                    r.fr_name,
                    r.fr_name_local,
                    r.fr_level,
                    r.fr_region,
                    r.kr_name,
                    r.kr_name_local,
                    r.kr_level,
                    r.kr_region,
                    ";".join(r.themes),
                    r.cuf_decision,
                    r.garok_decision,
                    intro.created_at if intro else None,
                    intro.fr_answer if intro else None,
                    intro.kr_answer if intro else None,
                    r.outcome,
                    r.updated_at,
                ],
            )
        )


def outcome_rows() -> Iterator[dict]:
    """Rows of the outcomes export, most recent first."""
    fr, kr = aliased(Collectivite), aliased(Collectivite)
    stmt = (
        select(Outcome, Suggestion.state, fr.name, fr.name_local, kr.name, kr.name_local, StaffUser.email)
        .join(Suggestion, Suggestion.id == Outcome.suggestion_id)
        .join(fr, fr.id == Suggestion.fr_id)
        .join(kr, kr.id == Suggestion.kr_id)
        .outerjoin(StaffUser, StaffUser.id == Outcome.user_id)
        .order_by(Outcome.happened_on.desc(), Outcome.id.desc())
    )
    for o, state, fr_name, fr_local, kr_name, kr_local, email in db.session.execute(
        stmt.execution_options(yield_per=EXPORT_BATCH)
    ):
        yield dict(
            zip(
                OUTCOME_HEADER,
                [
                    o.suggestion_id,
                    fr_name,
                    fr_local,
                    kr_name,
                    kr_local,
                    o.kind,
                    o.happened_on,
                    o.note,
                    email,
                    o.created_at,
                    state,
                ],
            )
        )
