"""Export of suggested pairs: one row per pair with both names and codes, scores, ranks and reasons."""

from __future__ import annotations

import json
from typing import IO, Iterator

from sqlalchemy import select
from sqlalchemy.orm import aliased

from matchmaker.extensions import db
from matchmaker.matching import DIMENSIONS
from matchmaker.models import Collectivite, Suggestion
from matchmaker.spreadsheets import write_csv, write_xlsx
from matchmaker.suggestions.profiles import render_suggestion_reasons

FIELDS = (
    [
        "suggestion_id",
        "state",
        "fr_name",
        "fr_name_local",
        "fr_code",
        "fr_level",
        "kr_name",
        "kr_name_local",
        "kr_code",
        "kr_level",
        "total",
    ]
    + list(DIMENSIONS)
    + ["rank_for_fr", "rank_for_kr", "reasons", "reasons_data"]
)


def suggestion_rows(lang: str = "en", current_only: bool = True) -> Iterator[dict]:
    """Suggested pairs in score order as flat rows; reasons rendered in ``lang`` and kept as data."""
    fr, kr = aliased(Collectivite), aliased(Collectivite)
    query = (
        select(Suggestion, fr, kr)
        .join(fr, Suggestion.fr_id == fr.id)
        .join(kr, Suggestion.kr_id == kr.id)
        .order_by(Suggestion.score_total.desc(), Suggestion.id)
    )
    if current_only:
        query = query.where(Suggestion.is_current.is_(True))
    for s, a, b in db.session.execute(query.execution_options(yield_per=2000)):
        row = {
            "suggestion_id": s.id,
            "state": s.state,
            "fr_name": a.name,
            "fr_name_local": a.name_local or "",
            "fr_code": a.code or "",
            "fr_level": a.level,
            "kr_name": b.name,
            "kr_name_local": b.name_local or "",
            "kr_code": b.code or "",
            "kr_level": b.level,
            "total": round(s.score_total, 4),
            "rank_for_fr": s.rank_fr,
            "rank_for_kr": s.rank_kr,
            "reasons": " | ".join(render_suggestion_reasons(s.reasons, a, b, lang)),
            "reasons_data": s.reasons,
        }
        for dim in DIMENSIONS:
            row[dim] = round(getattr(s, f"score_{dim}"), 4)
        yield row


def export_suggestions(fmt: str, stream: IO[bytes], lang: str = "en") -> int:
    """Write every current suggestion to ``stream`` as jsonl, csv (UTF-8 with BOM) or xlsx; returns the row count."""
    rows = suggestion_rows(lang)
    if fmt == "jsonl":
        count = 0
        for row in rows:
            stream.write((json.dumps(row, ensure_ascii=False) + "\n").encode("utf-8"))
            count += 1
        return count
    flat = ({**row, "reasons_data": json.dumps(row["reasons_data"], ensure_ascii=False)} for row in rows)
    if fmt == "csv":
        return write_csv(flat, FIELDS, stream)
    if fmt == "xlsx":
        return write_xlsx(flat, FIELDS, stream, sheet_title="suggestions")
    raise ValueError(f"unknown format {fmt!r}")
