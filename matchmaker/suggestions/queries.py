"""Reads of the suggestions area for its page: the collectivités a preview of new weights names."""

from __future__ import annotations

from typing import Any, Mapping

from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import Collectivite


def preview_collectivites(preview: Mapping[str, Any]) -> dict[int, Collectivite]:
    """The collectivités of the pairs a weights preview lists (its new top and the pairs that leave it), by id."""
    ids = {p[k] for p in preview["top"] + preview["left_top"] for k in ("fr_id", "kr_id")}
    return {c.id: c for c in db.session.scalars(select(Collectivite).where(Collectivite.id.in_(ids)))}
