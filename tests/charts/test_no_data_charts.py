"""No data is not zero on the charts: a category a vendor has no data in (missing values
excluded) is a gap in its radar outline, no bar segment, and a blank "no data" heatmap
cell; no axis is pulled to 0 by it."""

from __future__ import annotations

import math

import numpy as np
import pytest
from conftest import make_evaluation

from vendor_eval.charts.scores import (
    category_points,
    category_radar,
    contribution_bars,
    criteria_heatmap,
)
from vendor_eval.core.model import Category, Criterion, Direction
from vendor_eval.scoring.scorer import score


@pytest.fixture
def ranking():
    """Beta has no value in either Capability criterion; every vendor has the rest."""
    crit = [
        Criterion("Uptime", "Capability", 2),
        Criterion("Features", "Capability", 1),
        Criterion("Price", "Cost", 1, direction=Direction.LOWER),
        Criterion("Support", "Service", 1),
    ]
    cats = [Category("Capability", 50), Category("Cost", 30), Category("Service", 20)]
    ev = make_evaluation(
        {
            "Uptime": [99.5, None, 99.0],
            "Features": [4, None, 3],
            "Price": [100, 80, 120],
            "Support": [3, 5, 4],
        },
        crit,
        cats,
        vendors=["Acme", "Beta", "Gamma"],
    )
    return score(ev, "wsm", "exclude")


def test_radar_leaves_a_gap_not_a_0(ranking):
    fig = category_radar(ranking, ["Acme", "Beta"])
    beta = next(t for t in fig.data if t.name == "Beta")
    # theta: Capability, Cost, Service, Capability (closed): Beta's Capability is None twice
    assert list(beta.theta) == ["Capability", "Cost", "Service", "Capability"]
    assert beta.r[0] is None and beta.r[-1] is None
    assert 0 not in beta.r and 0.0 not in beta.r
    assert beta.r[1] == pytest.approx(ranking.category_scores.at["Beta", "Cost"])
    assert beta.connectgaps in (None, False)  # a gap stays a gap
    acme = next(t for t in fig.data if t.name == "Acme")
    assert None not in acme.r
    # the radial axis is the fixed 0–100 scale, not the data's minimum
    assert tuple(fig.layout.polar.radialaxis.range) == (0, 100)
    notes = [a.text for a in fig.layout.annotations]
    assert any("no data" in n for n in notes)
    # the JSON the browser gets has null there, never 0
    assert fig.to_plotly_json()["data"][1]["r"][0] is None


def test_radar_without_a_gap_has_no_note(ranking):
    fig = category_radar(ranking, ["Acme", "Gamma"])
    assert not fig.layout.annotations
    assert all(None not in t.r for t in fig.data)


def test_bars_have_no_segment_for_no_data(ranking):
    fig = contribution_bars(ranking)
    cap = next(t for t in fig.data if t.name == "Capability")
    y = list(cap.y)
    x = np.asarray(cap.x, dtype=float)
    assert math.isnan(x[y.index("Beta")])
    assert not np.isnan(np.delete(x, y.index("Beta"))).any()
    # the totals (and the axis, which comes from them) are the scores
    total = next(t for t in fig.data if t.name == "Total")
    assert list(total.x) == pytest.approx([ranking.score(v) for v in ranking.vendors])
    assert fig.layout.xaxis.range[1] == pytest.approx(max(total.x) * 1.25 + 1)
    # category_points is the arithmetic: points add up to the total
    pts = category_points(ranking)
    assert pts.sum(axis=1).tolist() == pytest.approx([ranking.score(v) for v in ranking.vendors])


def test_heatmap_cell_is_blank_with_no_data_on_hover(ranking):
    fig = criteria_heatmap(ranking)
    hm = fig.data[0]
    vendors, crits = list(hm.y), list(hm.x)
    z = np.asarray(hm.z, dtype=float)
    b, u = vendors.index("Beta"), crits.index("Uptime")
    assert math.isnan(z[b, u])  # blank, not 0
    assert hm.text[b][u] == "no data"
    assert hm.customdata[b][u] == "missing"
    assert "%{text}" in hm.hovertemplate
    assert hm.text[vendors.index("Acme")][u] == f"{z[vendors.index('Acme'), u]:.2f}"
    assert (hm.zmin, hm.zmax) == (0.0, 1.0)  # a fixed colour scale, not the data's range


def test_no_value_is_never_charted_as_0_under_exclude(ranking):
    """Wherever Beta's Capability appears, it is absent: not 0."""
    radar = category_radar(ranking, ranking.vendors)
    for trace in radar.data:
        cats = list(trace.theta)
        for cat, r in zip(cats, trace.r, strict=True):
            if ranking.category_no_data.at[trace.name, cat]:
                assert r is None
            else:
                assert r is not None
