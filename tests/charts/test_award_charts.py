"""The award report's figures (vendor_eval.charts.award): the dashboard's own, made legible
in print — values as text, patterns, and what the report's narrower page needs."""

from __future__ import annotations

import plotly.graph_objects as go
from conftest import SAMPLE, make_evaluation

from vendor_eval.charts.award import PATTERNS, award_figures, report_inputs
from vendor_eval.charts.compare import head_to_head_sentences
from vendor_eval.output.report.figures import _ZERO_ARC
from vendor_eval.scoring.scorer import score
from vendor_eval.workbook import load_evaluation


def _sample():
    return score(load_evaluation(SAMPLE))


def test_the_head_to_head_title_puts_the_verdict_on_its_own_line():
    fig = award_figures(_sample(), None)["head_to_head"]
    title = fig.layout.title.text
    assert title == (
        "Quillstone Consulting vs Northwind Systems:<br>"
        "Quillstone Consulting ahead by 0.6 weighted-sum points"
    )
    assert fig.layout.margin.t == 80 + 28  # the second line pushes the legend down


def test_a_vendor_name_with_a_colon_is_not_split():
    ev = make_evaluation({"Quality": [3, 5], "Speed": [4, 1]}, vendors=["A: one", "B: two"])
    rk = score(ev)
    fig = award_figures(rk, None)["head_to_head"]
    first, second = rk.qualified[:2]
    assert fig.layout.title.text.startswith(f"{first} vs {second}:<br>")


def test_the_head_to_head_axis_leaves_room_for_the_points_outside_the_bars():
    fig = award_figures(_sample(), None)["head_to_head"]
    xs = [float(x) for t in fig.data if isinstance(t, go.Bar) for x in t.x]
    lo, hi = fig.layout.xaxis.range
    assert lo < min(xs) and hi > max(xs)
    assert abs((min(xs) - lo) - 0.12 * (max(xs) - min(xs))) < 1e-9


def test_bars_differ_by_pattern_not_colour_alone():
    fig = award_figures(_sample(), None)["ranking"]
    shapes = [t.marker.pattern.shape for t in fig.data if isinstance(t, go.Bar)]
    assert shapes == [PATTERNS[i % len(PATTERNS)] for i in range(len(shapes))]
    assert len(set(shapes)) > 1


def test_report_inputs_are_the_figures_and_the_sentences():
    rk = _sample()
    given = report_inputs(rk, None)
    assert set(given) == {"figures", "sentences"}
    assert given["sentences"] is head_to_head_sentences
    assert set(given["figures"]) == {"weights", "ranking", "head_to_head"}


def test_a_zero_radius_arc_is_drawn_as_the_straight_line_svg_says_it_is():
    """Plotly closes a sunburst's centre slices with arcs of radius 0, which WeasyPrint draws
    as a stray line across the page."""
    d = "M360,265L434.8,319.3A92.5,92.5 0,0,0 434.8,319.3L360,265A0,0 0,0,1 360,265Z"
    assert _ZERO_ARC.sub("L", d) == (
        "M360,265L434.8,319.3A92.5,92.5 0,0,0 434.8,319.3L360,265L360,265Z"
    )
