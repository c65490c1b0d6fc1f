"""The response-rate chart of a campaign: server-rendered SVG lines (no script, no external library), with a
title and a description for screen readers; the page shows the same figures in a table."""

from __future__ import annotations

from datetime import date
from typing import Sequence

from markupsafe import Markup, escape

WIDTH, HEIGHT = 720, 260
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 12, 36
#: Colours with at least 3:1 contrast on white, told apart by dash pattern as well.
LINES = (("#1f4e9c", ""), ("#a4461b", "6 4"))


def rate_chart(
    chart_id: str, title: str, desc: str, points: Sequence[tuple[date, Sequence[float]]], names: Sequence[str]
) -> Markup:
    """Lines of shares (0–1) day by day, one per name, on a 0–100 % axis."""
    chart_id = "".join(c for c in chart_id if c.isalnum() or c in "-_")
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    n = max(len(points) - 1, 1)

    def x(i: int) -> float:
        return LEFT + plot_w * i / n

    def y(v: float) -> float:
        return TOP + plot_h * (1 - max(0.0, min(1.0, v)))

    parts = [
        f'<svg class="chart rate-chart" id="{chart_id}" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
    ]
    for pct in (0, 25, 50, 75, 100):
        yy = y(pct / 100)
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{yy:.1f}" y2="{yy:.1f}" stroke="#d0d4da" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{LEFT - 6}" y="{yy + 4:.1f}" text-anchor="end" font-size="12" fill="#3d4450">{pct} %</text>'
        )
    if points:
        ticks = sorted({0, len(points) - 1, *range(0, len(points), max(1, len(points) // 6))})
        for i in ticks:
            parts.append(
                f'<text x="{x(i):.1f}" y="{HEIGHT - 12}" text-anchor="middle" font-size="12" fill="#3d4450">'
                f"{points[i][0].strftime('%m-%d')}</text>"
            )
        for k, name in enumerate(names):
            colour, dash = LINES[k % len(LINES)]
            coords = " ".join(f"{x(i):.1f},{y(values[k]):.1f}" for i, (_, values) in enumerate(points))
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            parts.append(
                f'<polyline class="series-{k}" points="{coords}" fill="none" stroke="{colour}" '
                f'stroke-width="2.5"{dash_attr}>'
                f"<title>{escape(name)}</title></polyline>"
            )
            last = points[-1][1][k]
            parts.append(f'<circle cx="{x(len(points) - 1):.1f}" cy="{y(last):.1f}" r="4" fill="{colour}"/>')
    parts.append("</svg>")
    return Markup("".join(parts))
