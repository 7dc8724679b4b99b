"""Effective weights (docs/scoring.md §2): flat, hierarchical, and the errors."""

from __future__ import annotations

import math

import numpy as np
import pytest
from conftest import make_evaluation

from vendor_eval.core.model import Category, Criterion
from vendor_eval.core.problems import ScoringError
from vendor_eval.core.weights import (
    effective_weight_array,
    effective_weights,
    hierarchical_weights,
    within_category_shares,
)


def crit(name: str, cat: str, weight: float) -> Criterion:
    return Criterion(name=name, category=cat, weight=weight)


def test_flat_weights_are_shares_of_the_total():
    w = effective_weight_array([crit("a", "X", 1), crit("b", "Y", 3)], None)
    assert w.tolist() == pytest.approx([0.25, 0.75], abs=1e-12)


def test_hierarchical_weights_hand_computed():
    criteria = [crit("a1", "A", 1), crit("a2", "A", 3), crit("b1", "B", 5)]
    w = effective_weight_array(criteria, [Category("A", 3), Category("B", 1)])
    # (3/4)·(1/4), (3/4)·(3/4), (1/4)·(5/5)
    assert w.tolist() == pytest.approx([0.1875, 0.5625, 0.25], abs=1e-12)
    assert w.sum() == pytest.approx(1.0, abs=1e-12)


def test_categories_without_criteria_do_not_count():
    criteria = [crit("a", "A", 1), crit("b", "B", 1)]
    cats = [Category("A", 1), Category("B", 1), Category("Unused", 2)]
    assert effective_weight_array(criteria, cats).tolist() == pytest.approx([0.5, 0.5])


def test_category_of_weight_zero_gives_its_criteria_zero():
    criteria = [crit("a", "A", 4), crit("b", "B", 1), crit("c", "B", 0)]
    w = effective_weight_array(criteria, [Category("A", 0), Category("B", 2)])
    assert w.tolist() == pytest.approx([0.0, 1.0, 0.0])


def test_zero_weight_category_with_zero_weight_criteria_is_allowed():
    criteria = [crit("a", "A", 0), crit("b", "B", 2)]
    w = effective_weight_array(criteria, [Category("A", 0), Category("B", 1)])
    assert w.tolist() == [0.0, 1.0]


def test_plain_hierarchical_function():
    w = hierarchical_weights(np.array([2.0, 2.0, 1.0]), np.array([0, 0, 1]), np.array([1.0, 1.0]))
    assert w.tolist() == pytest.approx([0.25, 0.25, 0.5])


@pytest.mark.parametrize(
    ("criteria", "categories", "message"),
    [
        (
            [crit("a", "X", 0), crit("b", "X", 0)],
            None,
            "Every criterion weight is 0; give at least one a weight above 0.",
        ),
        (
            [crit("a", "A", 0), crit("b", "B", 1)],
            [Category("A", 2), Category("B", 1)],
            "Categories with a weight above 0 whose criteria all weigh 0: A; give one of "
            "their criteria a weight or set the category weight to 0.",
        ),
        (
            [crit("a", "A", 1)],
            [Category("A", 0)],
            "Every category weight is 0; give at least one a weight above 0.",
        ),
        ([crit("a", "A", -1)], None, "The weight of a must be 0 or more (is -1)"),
        ([crit("a", "A", math.nan)], None, "The weight of a must be a finite number (is nan)"),
        (
            [crit("a", "A", 1), crit("b", "Q", 1)],
            [Category("A", 1)],
            "Categories not listed in the Categories sheet: Q",
        ),
        ([], None, "There are no criteria to score."),
    ],
)
def test_weight_errors_are_plain(criteria, categories, message):
    with pytest.raises(ScoringError) as e:
        effective_weight_array(criteria, categories)
    assert str(e.value) == message


def test_within_category_shares_equal_when_all_zero():
    shares = within_category_shares(np.array([1.0, 3.0, 0.0, 0.0]), np.array([0, 0, 1, 1]), 2)
    assert shares.tolist() == [0.25, 0.75, 0.5, 0.5]


def test_effective_weights_series_is_labelled():
    ev = make_evaluation({"x": [1, 2], "y": [3, 4]}, [crit("x", "A", 1), crit("y", "A", 4)])
    s = effective_weights(ev)
    assert list(s.index) == ["x", "y"]
    assert s.tolist() == pytest.approx([0.2, 0.8])
