"""The partnerships map: metropolitan France and South Korea side by side, drawn as SVG on the server from the
points and land cells of data/geo/ (see its README for sources and licences), with a line between partners.
No tiles, no script, no external request."""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

from markupsafe import Markup, escape

from matchmaker.paths import DATA_DIR
from matchmaker.vocabulary import COUNTRIES

CELL = 0.2
WIDTH, HEIGHT = 960, 480
#: (lat min, lat max, lon min, lon max) and the panel's box (x, y, width, height) in the drawing.
PANELS = {
    "FR": ((41.2, 51.2, -5.3, 9.7), (16, 24, 430, 440)),
    "KR": ((33.0, 38.7, 124.5, 131.0), (514, 24, 430, 440)),
}


@dataclass(frozen=True)
class MapLine:
    """One partnership on the map: its two ends (country, level, code) and what the line's tooltip says."""

    fr: tuple[str, str]
    kr: tuple[str, str]
    label: str


@lru_cache(maxsize=1)
def points() -> dict[tuple[str, str, str], tuple[float, float]]:
    """(country, level, code) -> (lat, lon) of every placed collectivité."""
    with (DATA_DIR / "geo" / "centroids.csv").open(encoding="utf-8") as fh:
        return {(r["country"], r["level"], r["code"]): (float(r["lat"]), float(r["lon"])) for r in csv.DictReader(fh)}


@lru_cache(maxsize=1)
def land_cells() -> tuple[tuple[str, float, float], ...]:
    """(country, lat, lon) of the south-west corner of each land cell."""
    with (DATA_DIR / "geo" / "land_cells.csv").open(encoding="utf-8") as fh:
        return tuple((r["country"], float(r["lat"]), float(r["lon"])) for r in csv.DictReader(fh))


def _projection(country: str):
    (lat0, lat1, lon0, lon1), (x, y, w, h) = PANELS[country]
    squeeze = math.cos(math.radians((lat0 + lat1) / 2))
    scale = min(w / ((lon1 - lon0) * squeeze), h / (lat1 - lat0))
    dx = x + (w - (lon1 - lon0) * squeeze * scale) / 2
    dy = y + (h - (lat1 - lat0) * scale) / 2

    def project(lat: float, lon: float) -> tuple[float, float] | None:
        if not (lat0 <= lat <= lat1 and lon0 <= lon <= lon1):
            return None
        return dx + (lon - lon0) * squeeze * scale, dy + (lat1 - lat) * scale

    return project, squeeze * scale * CELL, scale * CELL


def locate(country: str, level: str, code: str) -> tuple[float, float] | None:
    """Where a collectivité is drawn, or None (no point known, or overseas)."""
    point = points().get((country, level, code))
    return _projection(country)[0](*point) if point else None


def partnerships_map(chart_id: str, title: str, desc: str, lines: Sequence[MapLine], names: dict[str, str]) -> Markup:
    """The SVG map; ``names`` gives the two panels' captions (``FR``, ``KR``)."""
    chart_id = "".join(c for c in chart_id if c.isalnum() or c in "-_")
    parts = [
        f'<svg class="partnership-map" id="{chart_id}" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{escape(title)}</title><desc id="{chart_id}-desc">{escape(desc)}</desc>',
        f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#f4f7fb"/>',
    ]
    for country in COUNTRIES:
        project, cw, ch = _projection(country)
        cells = []
        for c, lat, lon in land_cells():
            if c != country:
                continue
            corner = project(lat + CELL, lon)
            if corner:
                cells.append(f"M{corner[0]:.1f} {corner[1]:.1f}h{cw:.1f}v{ch:.1f}h{-cw:.1f}z")
        parts.append(f'<path class="land" d="{"".join(cells)}" fill="#d9dee6" stroke="none"/>')
        (_, _, _, _), (x, y, w, h) = PANELS[country]
        parts.append(
            f'<text x="{x + 8}" y="{y + 18}" font-size="16" font-weight="bold" fill="#1d2430">'
            f"{escape(names[country])}</text>"
        )
    drawn = 0
    for line in lines:
        a, b = locate("FR", *line.fr), locate("KR", *line.kr)
        if a is None or b is None:
            continue
        drawn += 1
        mid_x, mid_y = (a[0] + b[0]) / 2, min(a[1], b[1]) - 60 - 6 * (drawn % 5)
        parts.append(
            f'<path class="partnership-line" d="M{a[0]:.1f} {a[1]:.1f} Q{mid_x:.1f} {mid_y:.1f} {b[0]:.1f} {b[1]:.1f}" '
            f'fill="none" stroke="#1f4e9c" stroke-opacity="0.65" stroke-width="2">'
            f"<title>{escape(line.label)}</title></path>"
        )
        for x, y in (a, b):
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4.5" fill="#a4461b" stroke="#ffffff" stroke-width="1.5">'
                f"<title>{escape(line.label)}</title></circle>"
            )
    parts.append("</svg>")
    return Markup("".join(parts))
