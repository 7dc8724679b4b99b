"""Normalisation, missing policies and completeness (docs/scoring.md §4, §5), hand-computed."""

from __future__ import annotations

import math

import numpy as np
import pytest

from vendor_eval.scoring import normalise as nz
from vendor_eval.scoring.ranks import RANGE_TOLERANCE

NAN = math.nan
RATE = 80.3 + 14.6  # 94.89999999999999: a formula's result that Excel shows as 94.9


def run(x, scale, qualified=None, lower=False, lo=NAN, hi=NAN):
    x = np.asarray(x, dtype=float).reshape(-1, 1)
    q = np.ones(len(x), bool) if qualified is None else np.asarray(qualified)
    fallback = nz.fallback_columns(~np.isnan(x), q)
    flo, fhi = nz.field_extremes(x, q, fallback)
    a, b = nz.bounds(np.array([scale]), np.array([lo]), np.array([hi]), flo, fhi)
    return nz.normalise(x, a, b, np.array([lower]))[:, 0]


def test_relative_is_min_max_over_the_field():
    assert run([10, 20, 30], nz.RELATIVE).tolist() == [0.0, 0.5, 1.0]


def test_relative_lower_is_better():
    assert run([10, 20, 30], nz.RELATIVE, lower=True).tolist() == [1.0, 0.5, 0.0]


def test_relative_bounds_come_from_qualified_vendors_and_clip_the_others():
    s = run([10, 20, 40, 0, 15], nz.RELATIVE, qualified=[True, True, False, False, False])
    assert s.tolist() == [0.0, 1.0, 1.0, 0.0, 0.5]


def test_relative_falls_back_to_every_vendor_when_no_qualified_vendor_has_a_value():
    s = run([NAN, NAN, 4, 8], nz.RELATIVE, qualified=[True, True, False, False])
    assert s.tolist()[2:] == [0.0, 1.0]
    assert np.isnan(s[:2]).all()


@pytest.mark.parametrize("lower", [False, True])
def test_relative_all_equal_gives_everyone_one(lower):
    s = run([7, 7, NAN, 9], nz.RELATIVE, qualified=[True, True, True, False], lower=lower)
    assert s[[0, 1, 3]].tolist() == [1.0, 1.0, 1.0]
    assert math.isnan(s[2])


@pytest.mark.parametrize("lower", [False, True])
def test_values_a_rounding_error_apart_are_all_equal(lower):
    # docs/scoring.md §4.6: 94.9 typed beside =80.3+14.6 is one value, not best and worst
    assert RATE != 94.9
    s = run([94.9, RATE, NAN], nz.RELATIVE, lower=lower)
    assert s[:2].tolist() == [1.0, 1.0] and math.isnan(s[2])


@pytest.mark.parametrize("magnitude", [1e-12, 1.0, 94.9, -3e6, 1e15])
def test_the_equal_values_tolerance_is_relative_to_the_values(magnitude):
    step = abs(magnitude) * RANGE_TOLERANCE
    within = run([magnitude, magnitude + 0.5 * step], nz.RELATIVE)
    outside = run([magnitude, magnitude + 4 * step], nz.RELATIVE)
    assert within.tolist() == [1.0, 1.0]
    assert outside.tolist() == [0.0, 1.0]  # just outside: still told apart
    assert run([0.0, 0.0], nz.RELATIVE).tolist() == [1.0, 1.0]
    assert run([0.0, 1e-300], nz.RELATIVE).tolist() == [0.0, 1.0]  # tiny, but not equal


def test_fused_pass_treats_a_rounding_error_range_as_equal():
    x = np.array([[94.9, 1.0], [RATE, 2.0], [94.9, NAN]])
    q = np.array([True, True, False])
    scale = np.array([nz.RELATIVE, nz.RELATIVE])
    nan2 = np.array([NAN, NAN])
    lower = np.array([True, False])
    cols = nz.normalise_columns(x, scale, nan2, nan2, lower, q, np.array([0.5, 0.5]), "worst")
    assert cols.s[:, 0].tolist() == [1.0, 1.0, 1.0]  # the disqualified vendor too (§4.5)
    assert cols.s[:, 1].tolist() == [0.0, 1.0, 0.0]
    assert cols.weighted.tolist() == [0.5, 1.0, 0.5]
    fallback = nz.fallback_columns(~np.isnan(x), q)
    a, b = nz.bounds(scale, nan2, nan2, *nz.field_extremes(x, q, fallback))
    np.testing.assert_array_equal(nz.normalise(x, a, b, lower)[:, 0], [1.0, 1.0, 1.0])


def test_absolute_uses_min_and_max_and_clips():
    s = run([1, 3, 5, 6, 0, 4.2], nz.ABSOLUTE, lo=1, hi=5)
    assert s.tolist() == pytest.approx([0.0, 0.5, 1.0, 1.0, 0.0, 0.8], abs=1e-12)


def test_absolute_lower():
    s = run([1, 2, 5], nz.ABSOLUTE, lo=1, hi=5, lower=True)
    assert s.tolist() == pytest.approx([1.0, 0.75, 0.0])


def test_absolute_ignores_the_field():
    s = run([3, 4], nz.ABSOLUTE, qualified=[False, True], lo=0, hi=10)
    assert s.tolist() == pytest.approx([0.3, 0.4])


def test_yes_no_is_one_or_zero():
    assert run([1, 0, NAN], nz.YESNO).tolist()[:2] == [1.0, 0.0]
    assert run([1, 0], nz.YESNO, lower=True).tolist() == [0.0, 1.0]


def fill(s, qualified, policy):
    s = np.array(s, dtype=float)
    q = np.asarray(qualified)
    missing = np.isnan(s)
    return nz.fill_missing(s, missing, q, nz.fallback_columns(~missing, q), policy)


def test_fill_missing_worst_gives_zero():
    assert fill([[0.4, NAN], [NAN, NAN]], [True, True], "worst").tolist() == [
        [0.4, 0.0],
        [0.0, 0.0],
    ]


def test_fill_missing_mean_uses_qualified_vendors_with_a_value():
    filled = fill([[0.2], [0.6], [NAN], [1.0]], [True, True, True, False], "mean")
    assert filled[:, 0].tolist() == pytest.approx([0.2, 0.6, 0.4, 1.0])


def test_fill_missing_mean_is_zero_when_no_qualified_vendor_has_a_value():
    # docs/scoring.md §5: the mean s of the qualified vendors with a value (0 if none) —
    # the disqualified vendors' 0.2 and 0.6 do not count
    filled = fill([[NAN], [0.2], [0.6]], [True, False, False], "mean")
    assert filled[:, 0].tolist() == [0.0, 0.2, 0.6]


def test_fill_missing_mean_is_zero_when_nobody_answered():
    assert fill([[NAN], [NAN]], [True, True], "mean").tolist() == [[0.0], [0.0]]


def test_fill_missing_exclude_keeps_nan():
    out = fill([[0.5, NAN]], [True], "exclude")
    assert out[0, 0] == 0.5 and math.isnan(out[0, 1])


def test_field_extremes_and_means_over_qualified_with_fallback():
    x = np.array([[1.0, NAN, NAN], [5.0, NAN, NAN], [9.0, 4.0, NAN], [3.0, 8.0, NAN]])
    q = np.array([True, True, False, False])
    fb = nz.fallback_columns(~np.isnan(x), q)
    assert fb.tolist() == [False, True, True]
    lo, hi = nz.field_extremes(x, q, fb)
    assert lo[:2].tolist() == [1.0, 4.0] and hi[:2].tolist() == [5.0, 8.0]
    assert np.isnan(lo[2]) and np.isnan(hi[2])
    assert nz.field_means(x, q, fb).tolist() == [3.0, 6.0, 0.0]


def test_completeness_is_share_of_weight_with_a_value():
    has = np.array([[True, True, False], [False, False, False], [True, True, True]])
    c = nz.completeness(has, np.array([0.5, 0.2, 0.3]))
    assert c.tolist() == pytest.approx([0.7, 0.0, 1.0])


@pytest.mark.parametrize("policy", ["worst", "mean", "exclude"])
@pytest.mark.parametrize("n", [7, 70_000])  # one block of columns; one column per block
def test_fused_pass_matches_the_step_by_step_functions(policy, n):
    rng = np.random.default_rng(n)
    m = 6
    x = rng.normal(50, 20, (n, m))
    x[:, 3] = rng.integers(1, 6, n)  # absolute 1-5
    x[:, 4] = rng.integers(0, 2, n)  # yes/no
    x[:, 5] = 7.0  # everybody alike: degenerate
    x[rng.random((n, m)) < 0.2] = NAN
    x[0] = NAN  # a vendor with no value at all
    x[1:, 2] = np.where(rng.random(n - 1) < 0.5, NAN, x[1:, 2])
    scale = np.array([nz.RELATIVE, nz.RELATIVE, nz.RELATIVE, nz.ABSOLUTE, nz.YESNO, nz.RELATIVE])
    mins = np.array([NAN, NAN, NAN, 1.0, NAN, NAN])
    maxs = np.array([NAN, NAN, NAN, 5.0, NAN, NAN])
    lower = np.array([False, True, False, True, False, True])
    q = rng.random(n) < 0.8
    q[2] = False
    w = np.array([0.1, 0.2, 0.3, 0.15, 0.05, 0.2])

    lazy = nz.normalise_columns(x, scale, mins, maxs, lower, q, w, policy)
    eager = nz.normalise_columns(x, scale, mins, maxs, lower, q, w, policy, lazy=False)

    fallback = nz.fallback_columns(~np.isnan(x), q)
    lo, hi = nz.field_extremes(x, q, fallback)
    a, b = nz.bounds(scale, mins, maxs, lo, hi)
    s = nz.fill_missing(nz.normalise(x, a, b, lower), np.isnan(x), q, fallback, policy)
    # the lazily built matrix is the one the totals were summed from, bit for bit
    np.testing.assert_array_equal(lazy.s, eager.s)
    if policy == "mean":  # the fill is a column mean: summed in another order, ulps apart
        np.testing.assert_allclose(lazy.s, s, rtol=0, atol=1e-12)
    else:
        np.testing.assert_array_equal(lazy.s, s)
    np.testing.assert_array_equal(lazy.weighted, eager.weighted)
    np.testing.assert_array_equal(lazy.lo, lo)
    np.testing.assert_array_equal(lazy.hi, hi)
    np.testing.assert_allclose(lazy.weighted, np.where(np.isnan(s), 0.0, s) @ w, atol=1e-12)
    have = ~np.isnan(x)
    np.testing.assert_allclose(lazy.present_w, have @ w, atol=1e-12)
    np.testing.assert_allclose(lazy.missing_w, ~have @ w, atol=1e-12)
    assert lazy.present_w[0] == 0.0 and lazy.completeness[0] == 0.0
    full = have.all(axis=1)
    assert np.all(lazy.completeness[full] == 1.0)
