"""The themes a suggested pair has in common, stored as a sorted list of codes on its row (``theme_codes``).

One list per pair rather than one row per theme: the nightly recompute writes a pair in one row. The review
list filters on it (PostgreSQL: ``@>`` through the column's GIN index; SQLite: a search of the JSON text, where
the codes are quoted and contain no quote) and the dashboard counts by theme through the list's elements.
"""

from __future__ import annotations

import json
from typing import Iterable

from sqlalchemy import cast, func, literal
from sqlalchemy.dialects.postgresql import JSONB

from matchmaker.extensions import db
from matchmaker.models import Suggestion


def themes_of(reasons: Iterable[dict]) -> list[str]:
    """Theme codes a pair has in common (shared or complementary), sorted, from its structured reasons."""
    codes: set[str] = set()
    for reason in reasons:
        params = reason.get("params", {})
        if reason.get("code") == "shared_themes":
            codes.update(params.get("codes", []))
        elif reason.get("code") == "offers":
            codes.update(params.get("themes", []))
    return sorted(codes)


def _postgres() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def has_theme(code: str):
    """Condition: the pair has ``code`` among its common themes."""
    if _postgres():
        return Suggestion.theme_codes.op("@>")(cast(literal(json.dumps([code])), JSONB))
    return func.instr(Suggestion.theme_codes, json.dumps(code)) > 0


def theme_elements():
    """A table-valued function of a pair's theme codes (column ``value``), to join to Suggestion."""
    name = "jsonb_array_elements_text" if _postgres() else "json_each"
    return getattr(func, name)(Suggestion.theme_codes).table_valued("value").alias("theme")
