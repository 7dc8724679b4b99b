"""Chart builders, checked on their figure data against a hand-computed ranking.

The ranking below is built by hand (docs/scoring.md) so these tests do not depend on the scoring
code: weights Price 0.5 (Cost), Quality 0.25 and Support 0.25 (Capability).

=======  =====  =======  =======  ==========  =====
vendor   Price  Quality  Support  points      score
=======  =====  =======  =======  ==========  =====
A        s=1    s=1      s=0      50+25+0     75
C        s=0.5  missing  s=1      25+0+25     50
B        s=0    s=0.5    s=1      0+12.5+25   37.5 (disqualified)
=======  =====  =======  =======  ==========  =====
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import make_evaluation

from vendor_eval.charts.compare import (
    head_to_head_figure,
    head_to_head_frame,
    head_to_head_sentences,
)
from vendor_eval.charts.scores import (
    category_points,
    category_radar,
    contribution_bars,
    criteria_heatmap,
)
from vendor_eval.charts.weights import weights_sunburst
from vendor_eval.core.model import Category, Criterion, Direction, Method, MissingPolicy, Scale
from vendor_eval.scoring.ranking import Ranking

ORDER = ["A", "C", "B"]


@pytest.fixture
def ranking() -> Ranking:
    criteria = [
        Criterion("Price", "Cost", 1.0, Direction.LOWER),
        Criterion("Quality", "Capability", 1.0, scale=Scale.ABSOLUTE, min=1.0, max=5.0),
        Criterion("Support", "Capability", 1.0, scale=Scale.YESNO),
    ]
    ev = make_evaluation(
        {"Price": [100, 200, 150], "Quality": [5, 3, None], "Support": [0, 1, 1]},
        criteria,
        [Category("Cost", 1.0), Category("Capability", 1.0)],
        vendors=["A", "B", "C"],
    )
    weights = pd.Series({"Price": 0.5, "Quality": 0.25, "Support": 0.25})
    s = pd.DataFrame(
        {"Price": [1.0, 0.5, 0.0], "Quality": [1.0, 0.0, 0.5], "Support": [0.0, 1.0, 1.0]},
        index=ORDER,
    )
    contributions = 100 * s * weights
    table = pd.DataFrame(
        {
            "rank": pd.array([1, 2, pd.NA], dtype="Int64"),
            "score": [75.0, 50.0, 37.5],
            "qualified": [True, True, False],
            "completeness": [1.0, 0.75, 1.0],
            "reasons": [[], [], ["Support must be no (is yes)"]],
        },
        index=ORDER,
    )
    cats = pd.DataFrame({"Cost": [100.0, 50.0, 0.0], "Capability": [50.0, 50.0, 75.0]}, ORDER)
    missing = pd.DataFrame(False, index=ORDER, columns=s.columns)
    missing.loc["C", "Quality"] = True
    return Ranking(
        evaluation=ev,
        method=Method.WSM,
        missing=MissingPolicy.WORST,
        weights=weights,
        table=table,
        category_scores=cats,
        normalised=s,
        contributions=contributions,
        missing_mask=missing,
    )


def test_category_points_sum_criteria_contributions(ranking):
    pts = category_points(ranking)
    assert list(pts.index) == ORDER
    assert list(pts.columns) == ["Cost", "Capability"]
    np.testing.assert_allclose(pts["Cost"], [50.0, 25.0, 0.0])
    np.testing.assert_allclose(pts["Capability"], [25.0, 25.0, 37.5])
    np.testing.assert_allclose(pts.sum(axis=1), ranking.table["score"])


def test_contribution_bars_stack_categories_best_on_top(ranking):
    fig = contribution_bars(ranking)
    bars = [t for t in fig.data if t.type == "bar"]
    assert [t.name for t in bars] == ["Cost", "Capability"]
    assert all(t.orientation == "h" for t in bars)
    assert list(bars[0].y) == ORDER
    np.testing.assert_allclose(bars[0].x, [50.0, 25.0, 0.0])
    np.testing.assert_allclose(bars[1].x, [25.0, 25.0, 37.5])
    assert fig.layout.barmode == "stack"
    # plotly draws the first category at the bottom: reversed so the leader is on top
    assert list(fig.layout.yaxis.categoryarray) == ["B", "C", "A"]
    total = fig.data[-1]
    assert total.name == "Total"
    assert list(total.text) == ["75.0", "50.0", "37.5 (disqualified)"]
    assert bars[0].marker.color != bars[1].marker.color


def test_contribution_bars_title_says_topsis_order(ranking):
    ranking.method = Method.TOPSIS
    assert "TOPSIS" in contribution_bars(ranking).layout.title.text


def test_radar_closes_each_vendor_polygon(ranking):
    fig = category_radar(ranking, ["A", "B"])
    assert [t.name for t in fig.data] == ["A", "B"]
    assert list(fig.data[0].theta) == ["Cost", "Capability", "Cost"]
    np.testing.assert_allclose(fig.data[0].r, [100.0, 50.0, 100.0])
    np.testing.assert_allclose(fig.data[1].r, [0.0, 75.0, 0.0])
    assert tuple(fig.layout.polar.radialaxis.range) == (0, 100)


def test_heatmap_rows_in_rank_order_and_missing_on_hover(ranking):
    fig = criteria_heatmap(ranking)
    hm = fig.data[0]
    assert list(hm.y) == ORDER
    assert list(hm.x) == ["Price", "Quality", "Support"]
    np.testing.assert_allclose(hm.z, [[1, 1, 0], [0.5, 0, 1], [0, 0.5, 1]])
    assert hm.customdata[1][1] == "missing"
    assert hm.customdata[0][0] == "100"
    assert (hm.zmin, hm.zmax) == (0.0, 1.0)
    assert fig.layout.yaxis.autorange == "reversed"


def test_head_to_head_frame_gains_sorted_and_add_up(ranking):
    f = head_to_head_frame(ranking, "A", "B")
    assert list(f.index) == ["Price", "Support", "Quality"]
    np.testing.assert_allclose(f["gain"], [50.0, -25.0, 12.5])
    assert f["gain"].sum() == pytest.approx(75.0 - 37.5)
    assert list(f["B value"]) == ["200", "yes", "3"]  # yes/no as entered, not 1
    assert list(head_to_head_frame(ranking, "A", "C")["C value"]) == ["150", "missing", "yes"]
    with pytest.raises(KeyError, match="Nobody"):
        head_to_head_frame(ranking, "A", "Nobody")


def test_head_to_head_figure_diverges(ranking):
    fig = head_to_head_figure(ranking, "A", "B")
    a, b = fig.data
    assert a.name == "A ahead" and b.name == "B ahead"
    assert list(a.y) == ["Price", "Quality"]
    np.testing.assert_allclose(a.x, [50.0, 12.5])
    assert list(b.y) == ["Support"]
    np.testing.assert_allclose(b.x, [-25.0])
    assert list(fig.layout.yaxis.categoryarray) == ["Quality", "Support", "Price"]
    assert "A ahead by 37.5" in fig.layout.title.text


def test_head_to_head_sentences(ranking):
    assert head_to_head_sentences(ranking, "C", "A") == [
        "A is ahead of C by 25.0 weighted-sum points.",
        "C gains most on Support (+25.0).",
        "A gains most on Price (+25.0), Quality (+25.0).",
    ]
    same = head_to_head_sentences(ranking, "A", "A")
    assert same == ["A and A score the same on the weighted sum."]


def test_weights_sunburst_rings_are_exact(ranking):
    fig = weights_sunburst(ranking.evaluation, ranking.weights)
    sb = fig.data[0]
    assert list(sb.ids) == [
        "Cost",
        "Cost/Price",
        "Capability",
        "Capability/Quality",
        "Capability/Support",
    ]
    assert list(sb.parents) == ["", "Cost", "", "Capability", "Capability"]
    np.testing.assert_allclose(sb.values, [0.5, 0.5, 0.5, 0.25, 0.25])
    assert sb.branchvalues == "total"
    # criteria share their category's colour
    colours = list(sb.marker.colors)
    assert colours[0] == colours[1] and colours[2] == colours[3] == colours[4]
    assert colours[0] != colours[2]


def test_legends_list_traces_in_order(ranking):
    # stacked bars would otherwise list the categories bottom-up (Cost last)
    assert contribution_bars(ranking).layout.legend.traceorder == "normal"


def test_vendor_keeps_its_colour_on_radar_and_head_to_head(ranking):
    from vendor_eval.charts._style import VENDOR_PALETTE

    radar = category_radar(ranking, ["B", "A"])
    colour = {t.name: t.line.color for t in radar.data}
    # colours follow the ranking's vendor order A, C, B, not the selection order
    assert colour == {"A": VENDOR_PALETTE[0], "B": VENDOR_PALETTE[2]}
    h2h = head_to_head_figure(ranking, "B", "A")
    assert [t.marker.color for t in h2h.data] == [VENDOR_PALETTE[2], VENDOR_PALETTE[0]]
    # category colours come from another palette, so a vendor never looks like a category
    bars = [t.marker.color for t in contribution_bars(ranking).data if t.type == "bar"]
    assert not set(bars) & set(colour.values())


def test_heatmap_marks_categories_with_bands_lines_and_legend(ranking):
    fig = criteria_heatmap(ranking)
    legend = [t for t in fig.data if t.type == "scatter"]
    assert [t.name for t in legend] == ["Cost", "Capability"]
    bars = {t.name: t.marker.color for t in contribution_bars(ranking).data if t.type == "bar"}
    assert {t.name: t.marker.color for t in legend} == bars  # same colour as on the bars
    bands = [s for s in fig.layout.shapes if s.type == "rect"]
    # Cost = column 0 (Price); Capability = columns 1-2 (Quality, Support)
    assert [(b.x0, b.x1) for b in bands] == [(-0.5, 0.5), (0.5, 2.5)]
    assert [b.fillcolor for b in bands] == [bars["Cost"], bars["Capability"]]
    (line,) = [s for s in fig.layout.shapes if s.type == "line"]
    assert line.x0 == line.x1 == 0.5
    assert fig.layout.xaxis.title.text.startswith("criterion")
    assert "0 = worst" in fig.layout.title.text


def test_axes_say_points(ranking):
    assert "points" in contribution_bars(ranking).layout.xaxis.title.text
    assert "points" in category_radar(ranking, ["A"]).layout.title.text
    assert "points" in head_to_head_figure(ranking, "A", "B").layout.xaxis.title.text
