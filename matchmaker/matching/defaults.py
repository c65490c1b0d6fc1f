"""The project's default matcher: the scorer with the taxonomy and level table read from a data folder.

The library does not know where the project keeps its data: the caller hands the folder in (the app
through matchmaker.suggestions.profiles, the command `python -m matchmaker.matching`, the benchmarks).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .scorer import MatchScorer


def load_inputs(data_dir: str | Path) -> tuple[dict[str, Any], dict[str, dict[str, float]]]:
    """Read `data_dir`/taxonomy.json and the compatibility table of `data_dir`/levels.json."""
    data_dir = Path(data_dir)
    taxonomy = json.loads((data_dir / "taxonomy.json").read_text(encoding="utf-8"))
    levels = json.loads((data_dir / "levels.json").read_text(encoding="utf-8"))
    return taxonomy, levels["compatibility"]


def default_matcher(data_dir: str | Path, **params: Any) -> MatchScorer:
    """An unfitted MatchScorer on the taxonomy and level compatibility of `data_dir`; params override."""
    taxonomy, compatibility = load_inputs(data_dir)
    params.setdefault("taxonomy", taxonomy)
    params.setdefault("level_compatibility", compatibility)
    return MatchScorer(**params)
