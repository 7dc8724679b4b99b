"""Rank-order centroid, AHP (published example, consistency) and weight scenarios."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import make_evaluation

from vendor_eval.model import Category, Criterion
from vendor_eval.validation import VendorEvalError
from vendor_eval.weighting import (
    Scenario,
    ahp,
    compare_scenarios,
    rank_order_centroid,
    roc_weights,
)


def test_roc_for_three_and_four():
    np.testing.assert_allclose(rank_order_centroid(3), [0.6111, 0.2778, 0.1111], atol=5e-5)
    # n = 4: (1 + 1/2 + 1/3 + 1/4)/4, (1/2 + 1/3 + 1/4)/4, (1/3 + 1/4)/4, (1/4)/4.
    np.testing.assert_allclose(rank_order_centroid(4), [25 / 48, 13 / 48, 7 / 48, 3 / 48])
    assert rank_order_centroid(1).tolist() == [1.0]


def test_roc_by_name_and_errors():
    w = roc_weights(["Cost", "Quality"])
    assert w == pytest.approx({"Cost": 0.75, "Quality": 0.25})
    with pytest.raises(VendorEvalError, match="only once"):
        roc_weights(["Cost", "Cost"])
    with pytest.raises(VendorEvalError, match="at least one"):
        rank_order_centroid(0)


def test_ahp_published_example():
    # The common textbook 3 × 3 example: w = (0.637, 0.258, 0.105), λmax = 3.039, CR = 0.033.
    r = ahp([[1, 3, 5], [1 / 3, 1, 3], [1 / 5, 1 / 3, 1]], ["A", "B", "C"])
    np.testing.assert_allclose(r.weights, [0.6370, 0.2583, 0.1047], atol=5e-4)
    assert r.lambda_max == pytest.approx(3.0385, abs=1e-4)
    assert r.ci == pytest.approx(0.0193, abs=1e-4)
    assert r.cr == pytest.approx(0.0332, abs=1e-4)
    assert r.consistent and r.warning is None


def test_ahp_perfectly_consistent_matrix_recovers_the_weights():
    w = np.array([0.5, 0.25, 0.125, 0.125])
    r = ahp(np.outer(w, 1 / w), ["A", "B", "C", "D"])
    np.testing.assert_allclose(r.weights, w)
    assert r.lambda_max == pytest.approx(4.0)
    assert r.cr == pytest.approx(0.0, abs=1e-9)
    assert r.as_dict() == pytest.approx({"A": 0.5, "B": 0.25, "C": 0.125, "D": 0.125})


def test_ahp_inconsistent_names_the_bad_judgement():
    w = np.array([0.4, 0.3, 0.2, 0.1])
    A = np.outer(w, 1 / w)
    A[0, 3], A[3, 0] = 1 / 4, 4.0  # should be 4: A is more important than D, entered backwards
    r = ahp(A, ["Quality", "Cost", "Security", "Support"])
    assert r.cr > 0.10 and not r.consistent
    assert r.most_inconsistent == ("Quality", "Support")
    assert r.warning.startswith("consistency ratio 0.40 is above 0.10")
    assert "Quality vs Support (entered 0.25" in r.warning


@pytest.mark.parametrize(
    ("matrix", "message"),
    [
        ([[1, 2], [2, 1]], "A vs B is 2 but B vs A is 2; they must be reciprocals"),
        ([[2, 1], [1, 1]], "A vs itself must be 1, not 2"),
        ([[1, 12], [1 / 12, 1]], "A vs B: 12 is outside Saaty's 1/9–9"),
        ([[1, -1], [-1, 1]], "A vs B: -1 is not a positive number"),
    ],
)
def test_ahp_rejects_bad_matrices(matrix, message):
    with pytest.raises(VendorEvalError) as e:
        ahp(matrix, ["A", "B"])
    assert message in str(e.value)


def test_ahp_rejects_text():
    with pytest.raises(VendorEvalError, match="must all be numbers"):
        ahp([[1, "x"], [1, 1]], ["A", "B"])


def test_two_items_are_always_consistent():
    r = ahp([[1, 3], [1 / 3, 1]], ["A", "B"])
    np.testing.assert_allclose(r.weights, [0.75, 0.25])
    assert r.cr == 0.0 and r.warning is None


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
    with pytest.raises(VendorEvalError, match="weights must be ≥ 0"):
        Scenario("x", {"Price": -1}).apply(ev)
    with pytest.raises(VendorEvalError, match="names must be unique"):
        compare_scenarios(ev, [Scenario("a"), Scenario("a")])
    flat = ev.with_categories(None)
    with pytest.raises(VendorEvalError, match="no Categories sheet"):
        Scenario("x", category_weights={"Cost": 2}).apply(flat)
