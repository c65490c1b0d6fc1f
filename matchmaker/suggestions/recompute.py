"""The nightly recompute: score every French–Korean pair, then write only what changed, in bulk.

Scoring every pair costs well under a second at national scale; what used to cost minutes was around it (reading
profiles through the ORM, one Python object per reason, writing rows one by one). So every run scores everything,
compares the new top lists with the stored suggestions by key in arrays, and writes the difference as set
operations through a staging table (PostgreSQL ``COPY``, SQLite ``executemany``, both in the caller's transaction):

- a pair new to the lists is inserted; a stored pair whose scores, ranks or reasons differ is updated (and
  brought back to the lists); an untouched pair that left the lists is deleted, a touched one (a decision, a
  note, a state past ``suggested``) is kept for its history with ``is_current`` false;
- reasons are built (vectorised) only for the pairs that can have new ones: new pairs, pairs of a changed
  response, pairs whose scores moved. A change that moves what the engine learns from everyone (a description:
  the TF-IDF weights; a population or level: the medians standing in for unknown populations; a response
  added or withdrawn) or new weights, top-k or engine settings make the run explain every pair again — still
  writing only rows that differ. ``full=True`` (``matchmaker match --full``) always does that, with a new fit.

What a run reads first is a fingerprint of every response (``profiles.response_fingerprints``: one plain read of
the stored columns). In the scheduler's long-running process the engine kept from the night before is reused
when the fingerprints say so, and only the responses whose answers changed are read and vectorised again
(``engine.engine_for_recompute``); a cold ``matchmaker match`` process fits from every response. Either way the
result is the same (tests compare them with a plain reference path). The leaving pairs are deleted while the
rows to write are being built (a writer thread on the same PostgreSQL connection, see ``_Stage``).

What the last run saw (the fingerprints, the settings) is kept in one ``Setting`` row.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import queue
import threading
import time
from typing import Any

import numpy as np
from flask import current_app
from sqlalchemy import bindparam, text

from matchmaker.extensions import db
from matchmaker.matching import DIMENSIONS
from matchmaker.models import MatchRun, Setting, utcnow
from matchmaker.models.base import UTCDateTime
from matchmaker.suggestions.engine import current_weights, engine_for_recompute, excluded_pairs
from matchmaker.suggestions.profiles import project_matcher, response_fingerprints
from matchmaker.suggestions.themes import themes_of

log = logging.getLogger("matchmaker.suggestions")

STATE_KEY = "matching.recompute_state"
#: Bumped when what the state holds changes meaning (2: digests of the stored columns, response_fingerprints).
STATE_FORMAT = 2
#: Pairs explained and staged at a time (French rows together): bounds the memory of reasons and JSON.
BLOCK = 20_000
#: Bumped when the reasons the engine writes change meaning, so the next run explains every pair again.
REASONS_VERSION = 2  # 2: quoted closest sentences (close_sentences)
SCORE_COLUMNS = ("score_total",) + tuple(f"score_{d}" for d in DIMENSIONS)
STAGE_COLUMNS = ("op", "id", "fr_id", "kr_id") + SCORE_COLUMNS + ("rank_fr", "rank_kr", "reasons", "theme_codes")


# --------------------------------------------------------------------------------------------- state


def _settings_digest(top_k: int, weights: dict[str, float], matcher_params: dict[str, Any]) -> str:
    """Digest of everything besides the profiles that the suggestions depend on."""
    key = json.dumps(
        {"top_k": top_k, "weights": weights, "params": matcher_params, "reasons": REASONS_VERSION},
        sort_keys=True,
        default=str,
    )
    return hashlib.blake2b(key.encode(), digest_size=8).hexdigest()


def _previous_state() -> dict[str, Any] | None:
    row = db.session.get(Setting, STATE_KEY)
    return row.value if row is not None else None


def _save_state(value: dict[str, Any]) -> None:
    row = db.session.get(Setting, STATE_KEY)
    if row is None:
        db.session.add(Setting(key=STATE_KEY, value=value, updated_at=utcnow()))
    else:
        row.value = value
        row.updated_at = utcnow()


# --------------------------------------------------------------------------------------------- stored rows


def _stored_suggestions() -> dict[str, np.ndarray]:
    """Every stored suggestion as arrays: id, key (fr_id, kr_id), scores, ranks, current and touched flags."""
    query = (
        "SELECT s.id, s.fr_id, s.kr_id, " + ", ".join(f"s.{c}" for c in SCORE_COLUMNS) + ", "
        "COALESCE(s.rank_fr, 0), COALESCE(s.rank_kr, 0), CASE WHEN s.is_current THEN 1 ELSE 0 END, "
        "CASE WHEN s.state <> 'suggested' OR s.cuf_decision IS NOT NULL OR s.garok_decision IS NOT NULL "
        "OR EXISTS (SELECT 1 FROM pair_note n WHERE n.suggestion_id = s.id) THEN 1 ELSE 0 END "
        "FROM suggestion s"
    )
    width = 3 + len(SCORE_COLUMNS) + 4
    connection = db.session.connection()
    cursor = connection.connection.driver_connection.cursor()
    try:
        if connection.dialect.name == "postgresql":
            # numbers as text straight into NumPy's parser: no Python object per value
            # (float8 text output is exact: PostgreSQL prints the shortest string that reads back the same)
            with cursor.copy(f"COPY ({query}) TO STDOUT") as copy:
                raw = b"".join(bytes(block) for block in copy)
            data = (
                np.loadtxt(io.BytesIO(raw), delimiter="\t", dtype=np.float64, ndmin=2) if raw else np.zeros((0, width))
            )
        else:
            cursor.execute(query)
            data = np.array(cursor.fetchall(), dtype=np.float64).reshape(-1, width)
    finally:
        cursor.close()
    ids = data[:, 0].astype(np.int64)
    key = _key(data[:, 1].astype(np.int64), data[:, 2].astype(np.int64))
    order = np.argsort(key)
    return {
        "id": ids[order],
        "key": key[order],
        "scores": data[order, 3 : 3 + len(SCORE_COLUMNS)],
        "ranks": data[order, 3 + len(SCORE_COLUMNS) : 5 + len(SCORE_COLUMNS)].astype(np.int64),
        "current": data[order, -2] == 1,
        "touched": data[order, -1] == 1,
    }


def _round6(values: np.ndarray) -> np.ndarray:
    """Scores rounded to 6 decimals exactly as round() does (the stored precision)."""
    values = np.asarray(values, dtype=np.float64)
    rounded = np.round(values, 6)
    scaled = values * 1e6
    near_half = np.flatnonzero(np.abs(scaled - np.floor(scaled) - 0.5) < 1e-4)
    rounded[near_half] = [round(x, 6) for x in values[near_half].tolist()]
    return rounded


def _key(fr_ids: np.ndarray, kr_ids: np.ndarray) -> np.ndarray:
    return (np.asarray(fr_ids, dtype=np.int64) << 32) | np.asarray(kr_ids, dtype=np.int64)


# --------------------------------------------------------------------------------------------- staging


class _Stage:
    """A temporary table of rows to write, filled in bulk in the caller's transaction.

    The pairs leaving the lists are staged first and removed (``remove_leaving``) while the caller is still
    building the rows to insert and update: on PostgreSQL a writer thread runs the deletions on the same
    connection (the server works on one core while Python builds reasons on the other), then copies each block
    of rows the caller hands over; ``apply`` waits for it and writes the rest. On SQLite everything runs in turn.
    The caller must not use the connection between ``remove_leaving`` and ``apply``, and calls ``close`` at the end.
    """

    def __init__(self):
        self.conn = db.session.connection()
        self.postgres = self.conn.dialect.name == "postgresql"
        real, integer, json_type = (
            ("double precision", "bigint", "text") if self.postgres else ("REAL", "INTEGER", "TEXT")
        )
        temp = "TEMPORARY" if self.postgres else "TEMP"
        self.conn.exec_driver_sql("DROP TABLE IF EXISTS suggestion_stage")
        columns = ", ".join(f"{c} {real}" for c in SCORE_COLUMNS)
        self.conn.exec_driver_sql(
            f"CREATE {temp} TABLE suggestion_stage (op char(1), id {integer}, fr_id {integer}, kr_id {integer}, "
            f"{columns}, rank_fr {integer}, rank_kr {integer}, reasons {json_type}, theme_codes {json_type})"
        )
        self.rows = 0
        self.counts: dict[str, int] = {}
        self.steps: dict[str, int] = {}
        self._queue: queue.Queue | None = None
        self._writer: threading.Thread | None = None
        self._failure: BaseException | None = None
        if self.postgres:
            # a lost last commit after a crash only means the next night recomputes it: no need to wait for the
            # WAL flush; hash joins of the whole stage fit in memory
            self.conn.exec_driver_sql("SET LOCAL synchronous_commit = off")
            self.conn.exec_driver_sql("SET LOCAL work_mem = '128MB'")

    def add(self, rows: list[tuple]) -> None:
        """Append rows (STAGE_COLUMNS; the last two are JSON text or None)."""
        self.rows += len(rows)
        if self._queue is not None:
            self._queue.put(rows)
        else:
            self._copy(rows)

    def _copy(self, rows: list[tuple]) -> None:
        raw = self.conn.connection.driver_connection
        cursor = raw.cursor()
        try:
            if self.postgres:
                # COPY's text format, written in one piece (numbers print exactly; JSON escapes control characters)
                with cursor.copy(f"COPY suggestion_stage ({', '.join(STAGE_COLUMNS)}) FROM STDIN") as copy:
                    copy.write(
                        "".join(
                            "\t".join("\\N" if v is None else str(v) for v in row[:-2])
                            + "\t"
                            + "\t".join("\\N" if v is None else v.replace("\\", "\\\\") for v in row[-2:])
                            + "\n"
                            for row in rows
                        )
                    )
            else:
                marks = ", ".join("?" * len(STAGE_COLUMNS))
                cursor.executemany(f"INSERT INTO suggestion_stage ({', '.join(STAGE_COLUMNS)}) VALUES ({marks})", rows)
        finally:
            cursor.close()

    def _run(self, name: str, statement, values=None):
        began = time.perf_counter()
        result = self.conn.execute(statement, values)
        self.steps[name] = self.steps.get(name, 0) + int((time.perf_counter() - began) * 1000)
        return result

    def _analyze(self) -> None:
        if self.postgres:
            self._run("analyze", text("ANALYZE suggestion_stage"))

    def remove_leaving(self) -> None:
        """Delete the staged untouched pairs that left the lists (op ``d``) and retire the touched ones (``r``):
        on PostgreSQL in the writer thread, which then copies the blocks given to ``add``."""
        self._analyze()
        if not self.postgres:
            self._remove()
            return
        # bounds what waits in memory for the writer: about 30 blocks (a few hundred MB at BLOCK rows each)
        self._queue = queue.Queue(maxsize=30)
        self._writer = threading.Thread(target=self._write_in_background, name="suggestion-writer", daemon=True)
        self._writer.start()

    def _remove(self) -> None:
        now = bindparam("now", type_=UTCDateTime())
        false = "false" if self.postgres else "0"
        self.counts["deleted"] = self._run(
            "delete", text("DELETE FROM suggestion WHERE id IN (SELECT id FROM suggestion_stage WHERE op = 'd')")
        ).rowcount
        self.counts["retired"] = self._run(
            "retire",
            text(
                f"UPDATE suggestion SET is_current = {false}, updated_at = :now "
                "WHERE id IN (SELECT id FROM suggestion_stage WHERE op = 'r')"
            ).bindparams(now),
            {"now": utcnow()},
        ).rowcount

    def _write_in_background(self) -> None:
        try:
            self._remove()
            began = time.perf_counter()
            while (rows := self._queue.get()) is not None:
                self._copy(rows)
            self.steps["copy"] = int((time.perf_counter() - began) * 1000)
        except BaseException as error:  # handed to the caller's thread by close()
            self._failure = error
            while self._queue.get() is not None:  # never leave the caller blocked on a full queue
                pass

    def close(self) -> None:
        """Wait for the writer thread (if any) and raise what it failed with."""
        if self._writer is None:
            return
        self._queue.put(None)
        self._writer.join()
        self._writer, self._queue = None, None
        if self._failure is not None:
            raise self._failure

    def apply(self, run_id: int) -> dict[str, int]:
        """Apply the staged rows as set operations (one statement per kind); returns what was written.

        Each pair is one row (its common themes are a list on it), so a pair costs one row written through the
        table's indexes, and a deleted one the cascades of the tables that refer to suggestions.
        """
        self.close()
        self._analyze()
        now = bindparam("now", type_=UTCDateTime())
        params = {"now": utcnow(), "run": run_id}
        if self.postgres:
            json_of = "CAST(st.{} AS jsonb)".format
            distinct = "IS DISTINCT FROM"
            true = "true"
        else:
            json_of = "st.{}".format
            distinct = "IS NOT"
            true = "1"
        counts = dict(self.counts)
        scores = ", ".join(f"{c} = st.{c}" for c in SCORE_COLUMNS)
        differs = " OR ".join(f"s.{c} {distinct} st.{c}" for c in SCORE_COLUMNS + ("rank_fr", "rank_kr"))
        reasons_differ = (
            f"(st.reasons IS NOT NULL AND (s.reasons {distinct} {json_of('reasons')} "
            f"OR s.theme_codes {distinct} {json_of('theme_codes')}))"
        )
        counts["updated"] = self._run(
            "update",
            text(
                f"UPDATE suggestion AS s SET {scores}, rank_fr = st.rank_fr, rank_kr = st.rank_kr, "
                f"reasons = COALESCE({json_of('reasons')}, s.reasons), "
                f"theme_codes = COALESCE({json_of('theme_codes')}, s.theme_codes), "
                f"is_current = {true}, run_id = :run, updated_at = :now "
                f"FROM suggestion_stage AS st WHERE s.id = st.id AND st.op = 'u' "
                f"AND ({differs} OR NOT s.is_current OR {reasons_differ})"
            ).bindparams(now),
            params,
        ).rowcount
        columns = ", ".join(SCORE_COLUMNS)
        counts["inserted"] = self._run(
            "insert",
            text(
                f"INSERT INTO suggestion (fr_id, kr_id, {columns}, rank_fr, rank_kr, reasons, theme_codes, state, "
                f"is_current, run_id, created_at, updated_at) SELECT fr_id, kr_id, {columns}, rank_fr, rank_kr, "
                f"{json_of('reasons')}, {json_of('theme_codes')}, 'suggested', {true}, :run, :now, :now "
                f"FROM suggestion_stage AS st WHERE op = 'i'"
            ).bindparams(now),
            params,
        ).rowcount
        self.conn.exec_driver_sql("DROP TABLE suggestion_stage")
        counts["write_steps_ms"] = self.steps
        return counts


# --------------------------------------------------------------------------------------------- the run


def recompute_suggestions(top_k: int | None = None, full: bool = False) -> MatchRun:
    """Recompute every suggestion and write what changed in one transaction; the caller commits.

    Incremental by default (reasons rebuilt only where they can change); ``full`` explains every pair again.
    Both write only rows that differ, and leave the same suggestions, ranks, reasons and history.
    """
    top_k = top_k or current_app.config["MATCH_TOP_K"]
    weights = current_weights()
    started = time.perf_counter()
    run = MatchRun(kind="full" if full else "incremental", params={"top_k": top_k, "weights": weights})
    db.session.add(run)
    db.session.flush()
    timings: dict[str, int] = {}

    def lap(name: str, since: float) -> float:
        now = time.perf_counter()
        timings[name] = int((now - since) * 1000)
        return now

    step = time.perf_counter()
    fingerprints = response_fingerprints()
    # JSON keys: the state is kept as JSON
    digests = {str(cid): f.answers for cid, f in fingerprints.items()}
    global_digests = {str(cid): f.shared for cid, f in fingerprints.items()}
    exclude = excluded_pairs()
    step = lap("load_ms", step)
    countries = {f.country for f in fingerprints.values()}
    engine = "none"
    if countries == {"FR", "KR"}:
        fitted, engine = engine_for_recompute(weights, fingerprints, refit=full)
        matcher = fitted.matcher
        table = matcher.top_k_table(k=top_k, exclude=exclude)
    else:
        matcher, table = project_matcher(weights=weights), None
    step = lap("engine_ms", step)

    # what can have new reasons
    params = {k: v for k, v in matcher.get_params().items() if k != "weights"}
    settings = _settings_digest(top_k, weights, params)
    previous = _previous_state()
    full_because = "asked" if full else None
    if full_because is None and (previous is None or previous.get("format") != STATE_FORMAT):
        full_because = "first run"
    elif full_because is None and previous.get("settings") != settings:
        full_because = "settings"
    elif full_because is None and previous.get("global") != global_digests:
        full_because = "responses added, withdrawn, or descriptions, populations or levels changed"
    changed_ids = (
        {int(pid) for pid, d in digests.items() if previous["profiles"].get(pid) != d}
        if full_because is None
        else set()
    )
    run.params = {
        **run.params,
        "mode": "full" if full_because else "incremental",
        **({"full_because": full_because} if full_because else {}),
    }

    stored = _stored_suggestions()
    step = lap("read_stored_ms", step)
    n = len(table) if table is not None else 0
    counts = {"suggestions": n, "explained": 0}
    # stored pairs that left the lists: staged and removed first, while the rows to write are being built
    left = stored["current"].copy() if len(stored["key"]) else np.zeros(0, dtype=bool)
    if n and len(stored["key"]):
        left &= ~np.isin(stored["key"], _key(table.fr_id, table.kr_id))
    leaving = np.flatnonzero(left)
    stage = _Stage()
    try:
        stage.add(
            [
                ("r" if stored["touched"][x] else "d", int(stored["id"][x])) + (None,) * (len(STAGE_COLUMNS) - 2)
                for x in leaving.tolist()
            ]
        )
        stage.remove_leaving()
        if n:
            new_key = _key(table.fr_id, table.kr_id)
            position = np.searchsorted(stored["key"], new_key)
            position = np.minimum(position, max(len(stored["key"]) - 1, 0))
            found = (stored["key"][position] == new_key) if len(stored["key"]) else np.zeros(n, dtype=bool)
            new_scores = np.column_stack([_round6(table.total)] + [_round6(table.scores[d]) for d in DIMENSIONS])
            new_ranks = np.column_stack([table.fr_rank, table.kr_rank]).astype(np.int64)
            differs = ~found.copy()
            if found.any():
                at = position[found]
                differs[found] = (
                    (stored["scores"][at] != new_scores[found]).any(axis=1)
                    | (stored["ranks"][at] != new_ranks[found]).any(axis=1)
                    | ~stored["current"][at]
                )
            if full_because:
                explain = np.ones(n, dtype=bool)
            else:
                changed = np.array(sorted(changed_ids), dtype=np.int64)
                explain = differs | np.isin(table.fr_id, changed) | np.isin(table.kr_id, changed)
            write = differs | explain
            fr_rows = table._rows[1]
            chosen = np.flatnonzero(write)
            chosen = chosen[np.argsort(fr_rows[chosen], kind="stable")]  # blocks of French rows
            counts["explained"] = int(explain.sum())
            for start in range(0, len(chosen), BLOCK):
                block = chosen[start : start + BLOCK]
                with_reasons = block[explain[block]]
                reasons = dict(zip(with_reasons.tolist(), matcher.reason_records(table, with_reasons)))
                # a distinct reason is one shared dict: its JSON and theme codes are made once per block
                fragments: dict[int, tuple[str, list[str]]] = {}
                rows = []
                fr_ids, kr_ids = table.fr_id[block].tolist(), table.kr_id[block].tolist()
                ids = np.where(found[block], stored["id"][position[block]] if len(stored["id"]) else 0, 0).tolist()
                values, ranks = new_scores[block].tolist(), new_ranks[block].tolist()
                for pos, fr, kr, sid, score, rank, is_old in zip(
                    block.tolist(), fr_ids, kr_ids, ids, values, ranks, found[block].tolist()
                ):
                    pair_reasons = reasons.get(pos)
                    encoded = encoded_themes = None
                    if pair_reasons is not None:
                        parts = []
                        codes: set[str] = set()
                        for item in pair_reasons:
                            made = fragments.get(id(item))
                            if made is None:
                                made = fragments[id(item)] = (json.dumps(item), themes_of([item]))
                            parts.append(made[0])
                            codes.update(made[1])
                        encoded = "[" + ", ".join(parts) + "]"  # what json.dumps(pair_reasons) writes
                        encoded_themes = json.dumps(sorted(codes))
                    rows.append(
                        (
                            "u" if is_old else "i",
                            sid if is_old else None,
                            fr,
                            kr,
                            *score,
                            rank[0] or None,
                            rank[1] or None,
                            encoded,
                            encoded_themes,
                        )
                    )
                stage.add(rows)
        step = lap("explain_and_stage_ms", step)
        counts.update(stage.apply(run.id))
    finally:
        stage.close()
    lap("write_ms", step)

    _save_state({"format": STATE_FORMAT, "settings": settings, "profiles": digests, "global": global_digests})
    counts.update(
        {
            "profiles_fr": sum(1 for f in fingerprints.values() if f.country == "FR"),
            "profiles_kr": sum(1 for f in fingerprints.values() if f.country == "KR"),
            "engine": engine,
            "excluded_pairs": len(exclude),
            "changed_responses": None if full_because else len(changed_ids),
            "scoring_ms": timings["engine_ms"],
            **timings,
        }
    )
    counts["kept"] = n - counts["inserted"] - counts["updated"]
    run.counts = counts
    run.status = "done"
    run.finished_at = utcnow()
    run.duration_ms = int((time.perf_counter() - started) * 1000)
    log.info(
        "suggestions recomputed",
        extra={"run_id": run.id, "mode": run.params["mode"], **counts, "duration_ms": run.duration_ms},
    )
    return run
