"""Choosing which suggestions become introductions, under an exposure cap."""

from __future__ import annotations

from typing import Iterable, Mapping, Protocol, TypeVar


class Candidate(Protocol):
    """Anything with the ids of both sides and a total score (a Match, a Suggestion row…)."""

    fr_id: int
    kr_id: int
    total: float


C = TypeVar("C", bound=Candidate)


def select_introductions(candidates: Iterable[C], cap: int, open_counts: Mapping[int, int] | None = None) -> list[C]:
    """Greedily pick candidates in score order so no collectivité exceeds `cap` open introductions.

    `open_counts` maps a profile id (either country) to the introductions it already has open;
    a candidate is taken only when both of its sides are still under the cap. Ties in score
    are taken in (fr_id, kr_id) order so the choice is reproducible.
    """
    if cap < 0:
        raise ValueError("cap must be non-negative")
    counts = dict(open_counts or {})
    chosen = []
    for candidate in sorted(candidates, key=lambda c: (-c.total, c.fr_id, c.kr_id)):
        fr, kr = candidate.fr_id, candidate.kr_id
        if counts.get(fr, 0) < cap and counts.get(kr, 0) < cap:
            chosen.append(candidate)
            counts[fr] = counts.get(fr, 0) + 1
            counts[kr] = counts.get(kr, 0) + 1
    return chosen
