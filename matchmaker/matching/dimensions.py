"""What a pair's score is made of: the dimensions, their default weights, the parts and how two sides combine.

Shared by fitting (the parts each side's factors are built for), scoring, ranking, explaining, tuning and
calibration.
"""

from __future__ import annotations

from typing import Mapping

import numpy as np

from .codes import DIMENSIONS

# Explicit answers (themes, offers/seeks) weigh most; free text is next since it is the only
# signal when nothing is ticked; size/level and sectors refine.
DEFAULT_WEIGHTS = {"themes": 0.30, "complementarity": 0.20, "sectors": 0.10, "size": 0.15, "text": 0.25}
COMBINE = ("harmonic", "geometric", "arithmetic", "min")
# A pair's scores are assembled from parts, each one dot product of a French and a Korean factor.
PARTS = ("themes", "sectors", "text", "comp_fr", "comp_kr", "size_fr", "size_kr")
PART_DIMENSION = {
    "themes": "themes",
    "sectors": "sectors",
    "text": "text",
    "comp_fr": "complementarity",
    "comp_kr": "complementarity",
    "size_fr": "size",
    "size_kr": "size",
}
# Each side's total is the shared parts plus its own directional parts: three products per block,
# together exactly as wide as one product of all the parts.
GROUPS = (("themes", "sectors", "text"), ("comp_fr", "size_fr"), ("comp_kr", "size_kr"))


def normalise_weights(weights: Mapping[str, float] | None) -> dict[str, float]:
    """Validate weights (unknown dimensions rejected, missing ones 0) and scale them to sum 1."""
    if weights is None:
        weights = DEFAULT_WEIGHTS
    unknown = set(weights) - set(DIMENSIONS)
    if unknown:
        raise ValueError(f"unknown dimensions in weights: {sorted(unknown)}")
    values = {d: float(weights.get(d, 0.0)) for d in DIMENSIONS}
    if any(v < 0 for v in values.values()) or sum(values.values()) <= 0:
        raise ValueError("weights must be non-negative and not all zero")
    total = sum(values.values())
    return {d: v / total for d, v in values.items()}


def combine_sides(fr_side: np.ndarray, kr_side: np.ndarray, how: str, in_place: bool = False) -> np.ndarray:
    """Combine the two directional totals (each in [0, 1]) so that a pair suiting only one side ranks low.

    With in_place the result is written over fr_side and kr_side is used as scratch (large blocks).
    """
    if how not in COMBINE:
        raise ValueError(f"combine must be one of {COMBINE}, not {how!r}")
    a = fr_side if in_place else fr_side.copy()
    b = kr_side if in_place else kr_side.copy()
    if how == "harmonic":
        # 2ab / (a + b); the tiny addend keeps 0/0 at 0 without a masked divide
        s = a + b
        s += np.asarray(1e-30, dtype=a.dtype)
        a *= b
        a /= s
        a *= 2.0
        return a
    if how == "geometric":
        a *= b
        return np.sqrt(a, out=a)
    if how == "arithmetic":
        a += b
        a *= 0.5
        return a
    return np.minimum(a, b, out=a)
