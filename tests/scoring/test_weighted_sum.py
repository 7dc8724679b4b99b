"""The weighted sum and the exclude renormalisation, one home (scoring/methods/wsm.py):
hand-computed examples, and agreement with the formulas each caller used to repeat."""

from __future__ import annotations

import math

import numpy as np
import pytest
from conftest import random_evaluation

from vendor_eval.scoring import normalise as nz
from vendor_eval.scoring.methods.wsm import (
    add_weighted_column,
    category_scores,
    exclude_parts,
    exclude_row_scale,
    renormalise,
    scores_from_sums,
    wsm,
    wsm_contributions,
    wsm_exclude,
    wsm_many,
)
from vendor_eval.scoring.scorer import score
from vendor_eval.stress.sweep import split_weights, sweep_lines

NAN = math.nan


def _random(seed: int, n: int = 23, m: int = 6, missing: float = 0.3):
    rng = np.random.default_rng(seed)
    s = rng.random((n, m))
    has = rng.random((n, m)) > missing
    has[0] = False  # a vendor with no value at all
    W = rng.dirichlet(np.ones(m), size=17)
    return s, has, W


# -- hand-computed ------------------------------------------------------------------------


def test_wsm_many_hand_computed():
    s = np.array([[1.0, 0.5], [0.0, 1.0], [0.2, 0.2]])
    W = np.array([[0.25, 0.75], [1.0, 0.0]])
    np.testing.assert_allclose(wsm_many(W, s), [[62.5, 75.0, 20.0], [100.0, 0.0, 20.0]])
    has = np.array([[True, False], [False, False], [True, True]])
    # V1 has only criterion 1: 100 · s_1 whatever the weights; V2 has nothing: 0;
    # under (1, 0) V1 = 100, V3 = 20.
    got = wsm_many(W, s, has)
    np.testing.assert_allclose(got, [[100.0, 0.0, 20.0], [100.0, 0.0, 20.0]])


def test_renormalise_is_zero_without_evidence():
    points = np.array([50.0, 30.0, 10.0, 4.0])
    den = np.array([0.5, 0.0, 1e-13, 1.0])
    assert renormalise(points, den).tolist() == [100.0, 0.0, 1e14, 4.0]
    assert renormalise(points, den, floor=1e-12).tolist() == [100.0, 0.0, 0.0, 4.0]


def test_exclude_row_scale_and_scores_from_sums():
    present = np.array([0.5, 0.0, 1.0])
    scale = exclude_row_scale(present)
    assert scale.tolist() == [200.0, 0.0, 100.0]
    weighted = np.array([0.25, 0.0, 0.6])
    assert scores_from_sums(weighted, scale).tolist() == [50.0, 0.0, 60.0]
    assert scores_from_sums(weighted).tolist() == [25.0, 0.0, 60.0]


def test_contributions_with_a_row_scale_add_up_and_skip_missing():
    s = np.array([[1.0, NAN], [0.5, 1.0]])
    w = np.array([0.25, 0.75])
    c = wsm_contributions(s, w, exclude_row_scale(np.array([0.25, 1.0])))
    assert c.tolist() == [[100.0, 0.0], [12.5, 75.0]]


def test_add_weighted_column_in_place_with_skipped_rows():
    total = np.array([1.0, 2.0, 3.0])
    buf = np.empty(3)
    add_weighted_column(total, np.array([1.0, 0.5, NAN]), 0.5, buf, skip=np.array([2]))
    assert total.tolist() == [1.5, 2.25, 3.0]
    col = np.array([2.0, 2.0, 2.0])
    add_weighted_column(total, col, 0.25, col)  # the column itself as scratch space
    assert total.tolist() == [2.0, 2.75, 3.5]


def test_category_scores_hand_computed():
    # criteria 1, 2 in category A (shares ¼, ¾), criterion 3 alone in B
    shares = np.array([[0.25, 0.0], [0.75, 0.0], [0.0, 1.0]])
    s = np.array([[1.0, 0.0, 0.5], [NAN, 1.0, NAN]])
    got = category_scores(np.nan_to_num(s), shares)
    np.testing.assert_allclose(got, [[25.0, 50.0], [75.0, 0.0]])
    got = category_scores(s, shares, exclude=True)
    np.testing.assert_allclose(got, [[25.0, 50.0], [100.0, 0.0]])


# -- agreement with the formulas the callers used to repeat -------------------------------


@pytest.mark.parametrize("seed", range(8))
def test_wsm_many_is_the_monte_carlo_formula_bit_for_bit(seed):
    s, has, W = _random(seed)
    assert np.array_equal(wsm_many(W, s), 100.0 * (W @ s.T))
    Sm, M = np.where(has, s, 0.0), has.astype(float)
    scores, den = 100.0 * (W @ Sm.T), W @ M.T
    old = np.where(den > 0, scores / np.where(den > 0, den, 1.0), 0.0)
    assert np.array_equal(wsm_many(W, s, has), old)
    s0, m = exclude_parts(s, has)
    assert np.array_equal(s0, Sm) and np.array_equal(m, M)


@pytest.mark.parametrize("seed", range(8))
def test_wsm_many_agrees_with_one_weight_vector_at_a_time(seed):
    s, has, W = _random(seed)
    for k, w in enumerate(W):
        np.testing.assert_allclose(wsm_many(W, s)[k], wsm(s, w), atol=1e-12)
        expected, _ = wsm_exclude(np.where(has, s, NAN), w)
        np.testing.assert_allclose(wsm_many(W, s, has)[k], expected, atol=1e-12)


@pytest.mark.parametrize("seed", range(8))
def test_wsm_exclude_is_the_old_formula_bit_for_bit(seed):
    s, has, W = _random(seed)
    x = np.where(has, s, NAN)
    w = W[0]
    wh = np.where(has, w, 0.0)
    denom = wh.sum(axis=1)
    scale = np.divide(100.0, denom, out=np.zeros_like(denom), where=denom > 0)
    old = np.where(has, x, 0.0) * wh * scale[:, None]
    scores, contrib = wsm_exclude(x, w)
    assert np.array_equal(contrib, old) and np.array_equal(scores, old.sum(axis=1))
    assert np.array_equal(wsm_contributions(s, w), s * (100.0 * w))


@pytest.mark.parametrize("seed", range(6))
def test_sweep_scores_are_the_weighted_sum_at_every_share(seed):
    s, has, W = _random(seed)
    m = s.shape[1]
    members = np.arange(m) < 2
    _, u, r = split_weights(W[0], members, np.full(m, 1 / m))
    grid = np.linspace(0.0, 1.0, 9)
    weights = grid[:, None] * u + (1.0 - grid[:, None]) * r
    for mask in (None, has):
        lines = sweep_lines(s, u, r, mask)
        np.testing.assert_allclose(lines.scores(grid), wsm_many(weights, s, mask), atol=1e-9)


@pytest.mark.parametrize(
    ("seed", "policy"), [(k, p) for k in range(6) for p in ("worst", "mean", "exclude")]
)
def test_the_fused_pass_and_the_frames_agree_with_the_plain_functions(seed, policy):
    ev = random_evaluation(
        np.random.default_rng(seed), n_vendors=30, n_criteria=7, n_categories=3, missing_rate=0.3
    )
    r = score(ev, "wsm", policy)
    s = r.normalised.to_numpy(dtype=float)
    w = r.weights.to_numpy(dtype=float)
    if policy == "exclude":
        expected, contrib = wsm_exclude(s, w)
    else:
        expected, contrib = wsm(s, w), wsm_contributions(s, w)
    np.testing.assert_allclose(r.table["score"], np.clip(expected, 0, 100), atol=1e-9)
    np.testing.assert_allclose(r.contributions.to_numpy(), contrib, atol=1e-9)
    # the old category formula of Ranking, bit for bit
    A = r._arrays.shares
    if policy == "exclude":
        hv = ~np.isnan(s)
        denom = (A.T @ hv.T).T
        num = 100.0 * (A.T @ np.where(hv, s, 0.0).T).T
        old = np.divide(num, denom, out=np.zeros_like(denom), where=denom > 0)
    else:
        old = 100.0 * (A.T @ s.T).T
    np.clip(old, 0.0, 100.0, out=old)
    assert np.array_equal(r.category_scores.to_numpy(), old)


def test_fused_weighted_sums_match_a_plain_product():
    rng = np.random.default_rng(4)
    x = rng.random((50, 5)) * 10
    x[rng.random(x.shape) < 0.2] = NAN
    w = rng.dirichlet(np.ones(5))
    args = (np.zeros(5, dtype=np.int8), np.full(5, NAN), np.full(5, NAN), np.zeros(5, bool))
    q = np.ones(50, dtype=bool)
    for policy in ("worst", "exclude"):
        cols = nz.normalise_columns(x, *args, q, w, policy, lazy=False)
        s = np.nan_to_num(cols.s)
        np.testing.assert_allclose(cols.weighted, s @ w, atol=1e-12)
