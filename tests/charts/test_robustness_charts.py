"""Robustness chart builders, tested on the figures' data."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import make_evaluation

from vendor_eval.charts.robustness import rank_probability_bars, sweep_chart
from vendor_eval.core.model import Category, Criterion, Direction, Scale
from vendor_eval.scoring.scorer import score
from vendor_eval.stress.analysis import analyse, sweep


def unit(name, category, weight, direction=Direction.HIGHER):
    return Criterion(name, category, weight, direction, Scale.ABSOLUTE, min=0.0, max=1.0)


@pytest.fixture
def ev():
    # Same as the three-vendor sweep case: Cost sweep crosses at 5/17 and 3/7.
    return make_evaluation(
        {"Q1": [1.0, 0.5, 0.2], "Q2": [0.5, 0.5, 0.2], "Price": [1.0, 0.4, 0.0]},
        [unit("Q1", "Quality", 1), unit("Q2", "Quality", 1), unit("Price", "Cost", 1, "lower")],
        [Category("Quality", 2), Category("Cost", 1)],
    )


def test_sweep_chart_lines_markers_and_current_share(ev):
    s = sweep(score(ev, "wsm"), "Cost")
    fig = sweep_chart(s)
    names = [t.name for t in fig.data]
    assert names == ["V2", "V1", "V3", "Leader changes"]
    v1 = fig.data[1]
    x = np.asarray(v1.x)
    np.testing.assert_allclose(np.asarray(v1.y), 75 - 75 * x)  # V1 = 75 − 75t
    assert x[0] == 0.0 and x[-1] == 1.0
    marks = fig.data[3]
    np.testing.assert_allclose(marks.x, [5 / 17, 3 / 7])
    np.testing.assert_allclose(marks.y, [50 + 10 * 5 / 17, 50 + 10 * 3 / 7])
    assert list(marks.text) == ["V1 → V2", "V2 → V3"]
    (line,) = fig.layout.shapes
    assert line.x0 == pytest.approx(1 / 3) and line.x1 == pytest.approx(1 / 3)
    assert "Cost" in fig.layout.title.text


def test_sweep_chart_without_changes_has_no_marker_trace():
    ev = make_evaluation({"A": [0.9, 0.1], "B": [0.9, 0.1]}, [unit("A", "G", 1), unit("B", "H", 1)])
    fig = sweep_chart(sweep(score(ev, "wsm"), "G"))
    assert [t.name for t in fig.data] == ["V1", "V2"]


def test_rank_probability_bars_order_and_values():
    ev = make_evaluation(
        {"A": [0.9, 0.5, 0.1, 0.2, 0.3, 0.35, 0.0], "B": [0.8, 0.2, 0.3, 0.25, 0.1, 0.0, 0.05]},
        [unit("A", "G", 2), unit("B", "G", 1)],
    )
    rep = analyse(ev, samples=2000, seed=1)
    fig = rank_probability_bars(rep, max_ranks=5)
    assert [t.name for t in fig.data] == [*(f"Rank {r}" for r in range(1, 6)), "Rank 6 or lower"]
    assert fig.layout.barmode == "stack"
    first = fig.data[0]
    assert first.y[0] == "V1" and first.x[0] == 100.0
    # Every bar adds up to 100%.
    totals = np.sum([np.asarray(t.x) for t in fig.data], axis=0)
    np.testing.assert_allclose(totals, 100.0)
    # Bars match the report's probabilities.
    y = list(first.y)
    for r in range(5):
        np.testing.assert_allclose(fig.data[r].x, [100 * rep.rank_probabilities[v][r] for v in y])
    assert "2,000 weight samples" in fig.layout.title.text


def test_rank_probability_bars_few_vendors_no_remainder_trace():
    ev = make_evaluation({"A": [0.9, 0.5]}, [unit("A", "G", 1)])
    fig = rank_probability_bars(analyse(ev, samples=100, kappa=None))
    assert [t.name for t in fig.data] == ["Rank 1", "Rank 2"]
    assert "uniform weights" in fig.layout.title.text


def test_sweep_lines_use_the_vendor_colours_and_legend_on_the_right(ev):
    from vendor_eval.charts._style import vendor_colours

    r = score(ev, "wsm")
    fig = sweep_chart(sweep(r, "Cost"))
    colours = vendor_colours(r.vendors)
    assert {t.name: t.line.color for t in fig.data[:3]} == {v: colours[v] for v in r.vendors}
    assert fig.layout.legend.orientation == "v"
    assert "points" in fig.layout.yaxis.title.text


def test_rank_probability_legend_starts_at_rank_1():
    ev = make_evaluation({"A": [0.9, 0.5, 0.1]}, [unit("A", "G", 1)])
    fig = rank_probability_bars(analyse(ev, samples=100, seed=0))
    assert fig.layout.legend.traceorder == "normal"
