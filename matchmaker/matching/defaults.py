"""The project's default matcher: the scorer with the taxonomy and level table from data/."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .scorer import MatchScorer


def load_inputs(data_dir: str | Path | None = None) -> tuple[dict[str, Any], dict[str, dict[str, float]]]:
    """Read data/taxonomy.json and the compatibility table of data/levels.json."""
    if data_dir is None:
        from matchmaker.paths import DATA_DIR as data_dir  # only when no folder is given: the library needs no app
    data_dir = Path(data_dir)
    taxonomy = json.loads((data_dir / "taxonomy.json").read_text(encoding="utf-8"))
    levels = json.loads((data_dir / "levels.json").read_text(encoding="utf-8"))
    return taxonomy, levels["compatibility"]


def default_matcher(data_dir: str | Path | None = None, **params: Any) -> MatchScorer:
    """An unfitted MatchScorer on the project's taxonomy and level compatibility; params override."""
    taxonomy, compatibility = load_inputs(data_dir)
    params.setdefault("taxonomy", taxonomy)
    params.setdefault("level_compatibility", compatibility)
    return MatchScorer(**params)
