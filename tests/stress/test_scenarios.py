"""Named weight scenarios ranked side by side, and their errors."""

from __future__ import annotations

import pytest
from conftest import make_evaluation

from vendor_eval.core.model import Category, Criterion
from vendor_eval.core.problems import VendorEvalError
from vendor_eval.stress.scenarios import Scenario, compare_scenarios


@pytest.fixture
def ev():
    crits = [
        Criterion("Quality", "Service", 1.0),
        Criterion("Price", "Cost", 1.0, direction="lower"),
    ]
    # Quality: V1 best; Price: V2 cheapest. Relative scale: s in {0, 0.5, 1}.
    return make_evaluation(
        {"Quality": [10, 5, 0], "Price": [100, 50, 75]},
        crits,
        [Category("Service", 1.0), Category("Cost", 1.0)],
    )


def test_scenarios_ranked_side_by_side(ev):
    table = compare_scenarios(
        ev,
        [
            Scenario("quality-focused", category_weights={"Service": 3, "Cost": 1}),
            Scenario("cost-focused", category_weights={"Service": 1, "Cost": 3}),
        ],
    )
    assert list(table.columns) == [
        "quality-focused: rank",
        "quality-focused: score",
        "cost-focused: rank",
        "cost-focused: score",
    ]
    # Quality-focused: V1 = 75, V2 = 0.75·50 + 0.25·100 = 62.5, V3 = 0.25·50 = 12.5.
    assert list(table.index) == ["V1", "V2", "V3"]
    assert table["quality-focused: score"].tolist() == pytest.approx([75, 62.5, 12.5])
    # Cost-focused: V1 = 25, V2 = 87.5, V3 = 37.5.
    assert table["cost-focused: score"].tolist() == pytest.approx([25, 87.5, 37.5])
    assert table["cost-focused: rank"].tolist() == [3, 1, 2]


def test_scenario_errors(ev):
    with pytest.raises(VendorEvalError, match="unknown criteria or categories: Speed"):
        Scenario("x", {"Speed": 1}).apply(ev)
    with pytest.raises(VendorEvalError, match=r"'x': weights must be numbers ≥ 0 \(Price\)"):
        Scenario("x", {"Price": -1}).apply(ev)
    with pytest.raises(VendorEvalError, match=r"'x': weights must be numbers ≥ 0 \(Price\)"):
        Scenario("x", {"Price": "cheap"}).apply(ev)
    # Every weight 0: the scoring error is passed on, naming the scenario.
    with pytest.raises(VendorEvalError) as e:
        compare_scenarios(ev, [Scenario("nothing", category_weights={"Service": 0, "Cost": 0})])
    assert str(e.value) == (
        "scenario 'nothing': Every category weight is 0; give at least one a weight above 0."
    )
    with pytest.raises(VendorEvalError, match="names must be unique"):
        compare_scenarios(ev, [Scenario("a"), Scenario("a")])
    flat = ev.with_categories(None)
    with pytest.raises(VendorEvalError, match="no Categories sheet"):
        Scenario("x", category_weights={"Cost": 2}).apply(flat)
