"""Chart labels and figures in French, Korean and English: long labels wrap instead of being cut, and a count and
its share are never glued into one figure."""

import re

import pytest
from flask_babel import force_locale

from matchmaker.review import dashboard
from matchmaker.review.charts import LABEL_WIDTH, bar_chart, text_width, wrap_label


@pytest.mark.parametrize("lang", ["fr", "ko", "en"])
def test_every_funnel_and_group_label_fits_without_being_cut(app, lang):
    with app.test_request_context("/"), force_locale(lang):
        names = list(dashboard.funnel_labels().values()) + list(dashboard.group_labels().values())
    for name in names:
        lines = wrap_label(name, LABEL_WIDTH - 12)
        assert " ".join(lines) == name and len(lines) <= 2, lines
        assert all(text_width(line) <= LABEL_WIDTH - 12 for line in lines)


def test_a_label_too_long_for_two_lines_ends_in_an_ellipsis():
    lines = wrap_label("Approuvées " * 12, 120)
    assert len(lines) == 2 and lines[-1].endswith("…") and all(text_width(line) <= 120 for line in lines)


def test_a_count_and_its_share_are_kept_apart(app):
    with app.test_request_context("/"), force_locale("fr"):
        shares = [dashboard.percent(n, 368) for n in (368, 1)]
    assert shares == ["100\u00a0%", "<\u00a01\u00a0%"]  # one pair of 368 is not "0 %"
    svg = str(
        bar_chart(
            "c", "t", "d", [("Paires suggérées", 368), ("Approuvées par les deux associations", 1)], suffixes=shares
        )
    )
    values = re.findall(r'class="chart-value"[^>]*>([^<]*)<', svg)
    assert values == ["368 (100\u00a0%)", "1 (&lt;\u00a01\u00a0%)"]
    assert "<tspan" in svg and "Approuvées par les deux" in svg and "…" not in svg
    with app.test_request_context("/"), force_locale("ko"):
        assert dashboard.percent(1, 4) == "25%" and dashboard.percent(0, 4) == "0%"
