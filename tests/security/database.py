"""The whole database as plain values, to prove that a request wrote nothing."""

from __future__ import annotations

from sqlalchemy import select

from matchmaker.models import Base


def snapshot(app) -> dict[str, list[tuple]]:
    """Every row of every table, in primary-key order."""
    from matchmaker.extensions import db

    with app.app_context():
        with db.engine.connect() as conn:
            return {
                table.name: [tuple(row) for row in conn.execute(select(table).order_by(*table.primary_key.columns))]
                for table in Base.metadata.sorted_tables
            }


def changed_tables(before: dict[str, list[tuple]], after: dict[str, list[tuple]]) -> list[str]:
    """Names of the tables whose rows differ."""
    return sorted(name for name in before if before[name] != after.get(name))
