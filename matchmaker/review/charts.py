"""Server-rendered SVG charts (no script, no external library), each with a title and a description for
screen readers; pages show the same figures in a table next to the chart."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Sequence

from markupsafe import Markup, escape

WIDTH = 720
LABEL_WIDTH = 250
VALUE_WIDTH = 110
BAR_HEIGHT = 22
GAP = 8
MAX_LABEL_CHARS = 28
FONT_SIZE = 13  # px, as .chart text in review.css
LINE_HEIGHT = 15  # px between the two lines of a long label
MAX_LABEL_LINES = 2


@dataclass(frozen=True)
class Series:
    """One coloured part of the bars (``css`` picks the colour in review.css)."""

    name: str
    css: str


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL_CHARS else label[: MAX_LABEL_CHARS - 1] + "…"


def text_width(text: str) -> float:
    """Rough width of a text in px at FONT_SIZE: Hangul and other wide characters a full em, Latin about half."""
    return sum(FONT_SIZE * (1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.58) for ch in text)


def wrap_label(label: str, width: float) -> list[str]:
    """A label on at most MAX_LABEL_LINES lines of ``width`` px, cut at spaces; only what still does not fit
    ends in "…" (French and Korean labels are longer than English ones: they wrap instead of being cut)."""
    lines: list[str] = []
    for word in label.split():
        if lines and text_width(lines[-1] + " " + word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    if len(lines) > MAX_LABEL_LINES:
        lines = lines[: MAX_LABEL_LINES - 1] + [" ".join(lines[MAX_LABEL_LINES - 1 :])]
    out = []
    for line in lines:
        if text_width(line) > width:
            while line and text_width(line + "…") > width:
                line = line[:-1]
            line = line.rstrip() + "…"
        out.append(line)
    return out or [""]


def _label_text(label: str, x: float, y_middle: float, width: float) -> str:
    """An SVG <text> right-aligned at ``x``, its lines centred on ``y_middle``, with the full label as tooltip."""
    lines = wrap_label(label, width)
    first = y_middle + FONT_SIZE * 0.35 - (len(lines) - 1) * LINE_HEIGHT / 2
    spans = "".join(
        f'<tspan x="{x}" y="{first + n * LINE_HEIGHT:.1f}">{escape(line)}</tspan>' for n, line in enumerate(lines)
    )
    return f'<text class="chart-label" text-anchor="end"><title>{escape(label)}</title>{spans}</text>'


def _number(value: float) -> str:
    return f"{value:,.0f}".replace(",", "\u202f") if float(value).is_integer() else f"{value:.1f}"


def bar_chart(
    chart_id: str, title: str, desc: str, rows: Sequence[tuple[str, float]], suffixes: Sequence[str] | None = None
) -> Markup:
    """A horizontal bar chart of (label, value) rows; ``suffixes`` adds text after each value (e.g. "12 %")."""
    return stacked_bar_chart(
        chart_id,
        title,
        desc,
        [(label, [value]) for label, value in rows],
        [Series(title, "series-0")],
        suffixes=suffixes,
    )


def stacked_bar_chart(
    chart_id: str,
    title: str,
    desc: str,
    rows: Sequence[tuple[str, Sequence[float]]],
    series: Sequence[Series],
    suffixes: Sequence[str] | None = None,
) -> Markup:
    """A horizontal stacked bar chart: one bar per row, one segment per series, total at the end of the bar.

    The legend is left to the page (:func:`legend`), where it wraps like text in any language.
    """
    chart_id = "".join(c for c in chart_id if c.isalnum() or c in "-_")
    totals = [sum(values) for _, values in rows]
    top = max(totals, default=0) or 1
    bar_area = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    lines = max((len(wrap_label(label, LABEL_WIDTH - 12)) for label, _ in rows), default=1)
    pitch = BAR_HEIGHT + GAP + (lines - 1) * LINE_HEIGHT
    height = len(rows) * pitch + GAP
    parts = [
        f'<svg class="chart" id="{chart_id}" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
    ]
    for i, ((label, values), total) in enumerate(zip(rows, totals)):
        y = GAP + i * pitch + (pitch - GAP - BAR_HEIGHT) / 2
        parts.append('<g class="chart-row">')
        parts.append(_label_text(label, LABEL_WIDTH - 8, y + BAR_HEIGHT / 2, LABEL_WIDTH - 12))
        x = float(LABEL_WIDTH)
        for value, s in zip(values, series):
            width = bar_area * float(value) / top
            if width > 0:
                parts.append(
                    f'<rect class="{escape(s.css)}" x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{BAR_HEIGHT}">'
                    f"<title>{escape(label)} — {escape(s.name)}: {_number(value)}</title></rect>"
                )
            x += width
        suffix = f" ({suffixes[i]})" if suffixes and suffixes[i] else ""  # "368 (100 %)": never read as one figure
        parts.append(
            f'<text class="chart-value" x="{x + 6:.1f}" y="{y + BAR_HEIGHT * 0.7:.1f}">'
            f"{_number(total)}{escape(suffix)}</text>"
        )
        parts.append("</g>")
    parts.append("</svg>")
    return Markup("".join(parts))


def legend(series: Sequence[Series]) -> Markup:
    """The colour key of a stacked chart, as a list (decorative swatches, readable names)."""
    items = "".join(
        f'<li><span class="swatch {escape(s.css)}" aria-hidden="true"></span>{escape(s.name)}</li>' for s in series
    )
    return Markup(f'<ul class="chart-legend">{items}</ul>')


SCORE_WIDTH = 520
SCORE_LABEL_WIDTH = 170
SCORE_VALUE_WIDTH = 40


def score_bars(chart_id: str, title: str, rows: Sequence[tuple[str, float]]) -> Markup:
    """The score breakdown of a pair: one bar per dimension on a 0–100 scale (sized for half a page)."""
    chart_id = "".join(c for c in chart_id if c.isalnum() or c in "-_")
    bar_area = SCORE_WIDTH - SCORE_LABEL_WIDTH - SCORE_VALUE_WIDTH
    height = len(rows) * (BAR_HEIGHT + GAP) + GAP
    desc = "; ".join(f"{label}: {round(v * 100)}/100" for label, v in rows)
    parts = [
        f'<svg class="chart score-bars" id="{chart_id}" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'viewBox="0 0 {SCORE_WIDTH} {height}" width="{SCORE_WIDTH}" height="{height}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{escape(title)}</title><desc id="{chart_id}-desc">{escape(desc)}</desc>',
    ]
    for i, (label, value) in enumerate(rows):
        value = min(max(float(value), 0.0), 1.0)
        y = GAP + i * (BAR_HEIGHT + GAP)
        text_y = f"{y + BAR_HEIGHT * 0.7:.1f}"
        parts.append(
            f'<text class="chart-label" x="{SCORE_LABEL_WIDTH - 8}" y="{text_y}" text-anchor="end">'
            f"{escape(_short(label))}</text>"
        )
        parts.append(
            f'<rect class="chart-track" x="{SCORE_LABEL_WIDTH}" y="{y}" width="{bar_area}" height="{BAR_HEIGHT}"/>'
        )
        parts.append(
            f'<rect class="series-0" x="{SCORE_LABEL_WIDTH}" y="{y}" width="{bar_area * value:.1f}" '
            f'height="{BAR_HEIGHT}"/>'
        )
        parts.append(
            f'<text class="chart-value" x="{SCORE_LABEL_WIDTH + bar_area + 6}" y="{text_y}">{round(value * 100)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))
