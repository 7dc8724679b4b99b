"""The plain methods: weighted sum and TOPSIS, against hand-computed and published values."""

from __future__ import annotations

import math

import numpy as np
import pytest

from vendor_eval.scoring.methods import fill_raw, topsis, wsm, wsm_contributions, wsm_exclude

NAN = math.nan


def test_wsm_hand_computed():
    s = np.array([[1.0, 0.5], [0.0, 1.0]])
    w = np.array([0.25, 0.75])
    assert wsm(s, w).tolist() == pytest.approx([62.5, 75.0], abs=1e-12)
    assert wsm_contributions(s, w) == pytest.approx(np.array([[25.0, 37.5], [0.0, 75.0]]))


def test_wsm_exclude_renormalises_each_vendor_over_what_it_has():
    s = np.array([[1.0, NAN], [NAN, NAN], [0.5, 1.0], [NAN, 0.2]])
    w = np.array([0.25, 0.75])
    scores, contrib = wsm_exclude(s, w)
    assert scores.tolist() == pytest.approx([100.0, 0.0, 87.5, 20.0], abs=1e-12)
    assert contrib == pytest.approx(np.array([[100, 0], [0, 0], [12.5, 75.0], [0, 20.0]]))


def test_topsis_tzeng_huang_2011_published_example():
    x = np.array([[5, 8, 4], [7, 6, 8], [8, 8, 6], [7, 4, 6]], dtype=float)
    c = topsis(x, np.array([0.3, 0.4, 0.3]), np.array([True, True, True]))
    assert c.tolist() == pytest.approx([0.5037, 0.6581, 0.7482, 0.3340], abs=1e-4)


def test_topsis_cost_criterion():
    x = np.array([[1.0, 2.0], [2.0, 1.0], [1.5, 1.5]])
    c = topsis(x, np.array([0.5, 0.5]), np.array([True, False]))
    assert c.tolist() == pytest.approx([0.0, 1.0, 0.5], abs=1e-12)


def test_topsis_reference_rows_define_norms_and_ideals():
    # norm sqrt(1 + 4); best 2/√5, worst 1/√5; the third row (not in the field) is at
    # 4/√5: d+ = 2/√5, d- = 3/√5, C = 0.6
    x = np.array([[1.0], [2.0], [4.0]])
    c = topsis(x, np.array([1.0]), np.array([True]), np.array([True, True, False]))
    assert c.tolist() == pytest.approx([0.0, 1.0, 0.6], abs=1e-12)


def test_topsis_all_zero_column_contributes_nothing():
    x = np.array([[0.0, 1.0], [0.0, 3.0]])
    c = topsis(x, np.array([0.9, 0.1]), np.array([True, True]))
    assert c.tolist() == pytest.approx([0.0, 1.0])


def test_topsis_all_identical_is_closeness_one():
    x = np.array([[3.0, 2.0], [3.0, 2.0]])
    assert topsis(x, np.array([0.5, 0.5]), np.array([True, False])).tolist() == [1.0, 1.0]


def test_topsis_values_a_rounding_error_apart_contribute_nothing():
    # docs/scoring.md §4.6: 94.9 and =80.3+14.6 are one value; the disqualified third
    # vendor's 50 is not measured against a criterion nobody in the field differs on
    x = np.array([[94.9, 3.0], [80.3 + 14.6, 3.0], [50.0, 3.0]])
    c = topsis(x, np.array([0.7, 0.3]), np.array([False, True]), np.array([True, True, False]))
    assert c.tolist() == [1.0, 1.0, 1.0]
    # a real difference still counts
    x[1, 0] = 94.8
    c = topsis(x, np.array([0.7, 0.3]), np.array([False, True]), np.array([True, True, False]))
    assert c[:2].tolist() == [0.0, 1.0]


def test_fill_raw_replaces_only_missing_values():
    x = np.array([[1.0, NAN], [NAN, 2.0]])
    out = fill_raw(x, np.array([7.0, 9.0]))
    assert out.tolist() == [[1.0, 9.0], [7.0, 2.0]]
    assert np.isnan(x[0, 1])  # the input is left alone
