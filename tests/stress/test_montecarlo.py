"""Monte Carlo rank acceptability: sampling, ranks with ties, probabilities."""

from __future__ import annotations

import numpy as np
import pytest
from reference.ranks import competition_ranks, row_ranks

from vendor_eval.stress.montecarlo import (
    first_counts,
    rank_counts,
    rank_probabilities,
    sample_scores,
    sample_weights,
)


def test_competition_ranks_share_the_best_rank_of_a_tie():
    ranks = competition_ranks(np.array([[3.0, 1.0, 3.0, 2.0], [1.0, 2.0, 3.0, 4.0]]))
    np.testing.assert_array_equal(ranks, [[1, 4, 1, 3], [4, 3, 2, 1]])


def test_ties_within_1e9_points_share_a_rank():
    ranks = competition_ranks(np.array([[50.0, 50.0 + 5e-10, 49.0]]))
    np.testing.assert_array_equal(ranks, [[1, 1, 3]])


def test_zero_weights_stay_zero_and_rows_sum_to_one():
    W = sample_weights(np.array([0.5, 0.0, 0.3, 0.2]), 500, 100.0, np.random.default_rng(1))
    assert W.shape == (500, 4)
    assert (W[:, 1] == 0).all()
    np.testing.assert_allclose(W.sum(axis=1), 1.0)
    # Dirichlet(κw) has mean w.
    np.testing.assert_allclose(W.mean(axis=0), [0.5, 0.0, 0.3, 0.2], atol=0.01)


def test_dirichlet_spread_matches_kappa():
    # Var(w_i) = w_i (1 − w_i) / (κ + 1) for Dirichlet(κ w).
    W = sample_weights(np.array([0.5, 0.5]), 20_000, 24.0, np.random.default_rng(2))
    assert W[:, 0].var() == pytest.approx(0.25 / 25, rel=0.05)


def test_uniform_is_flat_over_the_positive_weights():
    W = sample_weights(np.array([0.9, 0.1, 0.0]), 20_000, None, np.random.default_rng(3))
    assert (W[:, 2] == 0).all()
    # Dirichlet(1, 1): the first weight is uniform on [0, 1].
    assert W[:, 0].mean() == pytest.approx(0.5, abs=0.01)
    assert W[:, 0].var() == pytest.approx(1 / 12, rel=0.05)


def test_single_positive_weight_is_certain():
    W = sample_weights(np.array([0.0, 1.0]), 10, 100.0, np.random.default_rng(0))
    np.testing.assert_array_equal(W, np.tile([0.0, 1.0], (10, 1)))


def test_dominant_vendor_always_first():
    rng = np.random.default_rng(5)
    S = rng.random((6, 8)) * 0.9
    S[2] = 1.0
    P = rank_probabilities(S, np.full(8, 1 / 8), samples=3000, seed=1, kappa=None)
    assert P[2, 0] == 1.0
    assert P[:, 0].sum() == 1.0
    np.testing.assert_allclose(P.sum(axis=1), 1.0)


def test_symmetric_vendors_have_equal_chances():
    S = np.array([[1.0, 0.0], [0.0, 1.0], [0.4, 0.4]])
    P = rank_probabilities(S, np.array([0.5, 0.5]), samples=20_000, seed=7, kappa=100.0)
    # σ of a share of 20,000 samples at p = 0.5 is 0.0035.
    assert P[0, 0] == pytest.approx(0.5, abs=0.015)
    assert P[1, 0] == pytest.approx(0.5, abs=0.015)
    assert P[2, 0] == 0.0  # 0.4 never beats max(w1, w2) ≥ 0.5
    # V3 is last exactly when both weights exceed 0.4: w1 ~ Beta(50, 50), sd 0.0497,
    # P(0.4 < w1 < 0.6) = 2Φ(2.01) − 1 ≈ 0.956.
    assert P[2, 2] == pytest.approx(0.956, abs=0.01)


def test_same_seed_same_result_and_other_seed_differs():
    rng = np.random.default_rng(9)
    S, w = rng.random((10, 5)), rng.dirichlet(np.ones(5))
    a = rank_probabilities(S, w, samples=2000, seed=42, kappa=30.0)
    b = rank_probabilities(S, w, samples=2000, seed=42, kappa=30.0)
    c = rank_probabilities(S, w, samples=2000, seed=43, kappa=30.0)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


def test_large_kappa_converges_to_the_deterministic_ranking():
    rng = np.random.default_rng(11)
    S, w = rng.random((7, 6)), rng.dirichlet(np.ones(6))
    order = np.argsort(-(S @ w))
    P = rank_probabilities(S, w, samples=2000, seed=0, kappa=1e9)
    for rank, v in enumerate(order):
        assert P[v, rank] == 1.0


def test_chunking_does_not_change_counts():
    rng = np.random.default_rng(13)
    S = rng.random((9, 4))
    W = sample_weights(np.full(4, 0.25), 1000, 10.0, rng)
    np.testing.assert_array_equal(rank_counts(S, W, chunk=7), rank_counts(S, W))


def test_exclude_renormalises_over_the_criteria_a_vendor_has():
    S = np.array([[1.0, 0.0, 0.2], [0.5, 0.5, 0.5]])
    has = np.array([[True, False, True], [True, True, True]])
    W = np.array([[1 / 3, 1 / 3, 1 / 3], [0.1, 0.1, 0.8]])
    # Sample 1: V1 = (1/3 + 0.2/3)/(2/3) = 0.6 > 0.5. Sample 2: V1 = (0.1 + 0.16)/0.9 < 0.5.
    counts = rank_counts(S, W, has)
    np.testing.assert_array_equal(counts, [[1, 1], [1, 1]])
    W1 = W[:1]
    np.testing.assert_array_equal(rank_counts(S, W1, has), [[1, 0], [0, 1]])


def test_no_vendors():
    assert rank_counts(np.zeros((0, 3)), np.full((5, 3), 1 / 3)).shape == (0, 0)


def test_ranks_follow_the_official_rule_not_a_chain_of_near_ties():
    # 50 + 1.2e-9 is within 1e-9 of 50 + 0.6e-9 but not of 50: like the ranking, the vendor
    # at 50 is second (one vendor scores more than 50 + 1e-9), not joint first.
    scores = np.array([[50.0, 50.0 + 0.6e-9, 50.0 + 1.2e-9, 10.0]])
    np.testing.assert_array_equal(competition_ranks(scores), [[2, 1, 1, 4]])
    np.testing.assert_array_equal(competition_ranks(scores), row_ranks(scores))


@pytest.mark.parametrize("span", [1.0, 100.0, 1e7])  # 1e7: the float-argsort fallback
def test_ranks_match_the_ranking_rule_with_many_ties(span):
    rng = np.random.default_rng(21)
    # Few distinct values, plus near-ties 4e-10 apart: long runs of shared ranks.
    base = rng.integers(0, 6, size=(300, 12)) * (span / 10)
    scores = base + rng.integers(0, 3, size=base.shape) * 4e-10
    np.testing.assert_array_equal(competition_ranks(scores), row_ranks(scores))
    S = rng.random((12, 3))
    S[3] = S[7] = S[0]  # identical vendors tie in every sample
    W = sample_weights(np.array([0.5, 0.3, 0.2]), 400, 20.0, rng)
    counts = rank_counts(S, W)
    ref = row_ranks(100.0 * W @ S.T)
    expected = np.stack([np.bincount(ref[:, v] - 1, minlength=12) for v in range(12)])
    np.testing.assert_array_equal(counts, expected)
    assert (counts[0] == counts[3]).all() and (counts[0] == counts[7]).all()


def test_ten_thousand_samples_thirty_vendors_fifty_criteria_well_under_a_second():
    import time

    rng = np.random.default_rng(0)
    S, w = rng.random((30, 50)), rng.dirichlet(np.ones(50))
    rank_probabilities(S, w, samples=1000, seed=1)  # warm-up
    start = time.process_time()
    P = rank_probabilities(S, w, samples=10_000, seed=1)
    elapsed = time.process_time() - start  # CPU time: other jobs share the machine
    np.testing.assert_allclose(P.sum(axis=0), 1.0)
    assert elapsed < 0.5, f"{elapsed:.2f} s of CPU"


@pytest.mark.parametrize("exclude", [False, True])
def test_first_counts_are_the_first_column_of_the_rank_counts(exclude):
    rng = np.random.default_rng(31)
    S = rng.integers(0, 4, size=(15, 5)) / 3.0  # few distinct values: ties for first
    S[4] = S[9] = S[2]
    has = rng.random(S.shape) > 0.2 if exclude else None
    W = sample_weights(np.full(5, 0.2), 900, 5.0, rng)
    counts = rank_counts(S, W, has)
    np.testing.assert_array_equal(first_counts(S, W, has), counts[:, 0])
    np.testing.assert_array_equal(first_counts(S, W, has, chunk=7), counts[:, 0])
    assert first_counts(S, W, has).sum() >= len(W)  # a tie counts for each tied vendor
    P = rank_probabilities(S, np.full(5, 0.2), samples=700, seed=4, kappa=5.0, has=has)
    p = rank_probabilities(
        S, np.full(5, 0.2), samples=700, seed=4, kappa=5.0, has=has, first_only=True
    )
    np.testing.assert_array_equal(p, P[:, 0])


def test_sample_scores_cover_every_sample_in_chunks():
    rng = np.random.default_rng(8)
    S, has = rng.random((6, 3)), rng.random((6, 3)) > 0.3
    W = sample_weights(np.array([0.5, 0.3, 0.2]), 50, 10.0, rng)
    chunks = list(sample_scores(S, W, has, chunk=16))
    assert [len(c) for c in chunks] == [16, 16, 16, 2]
    whole = np.concatenate(chunks)
    assert whole.shape == (50, 6)
    # one sample by hand: renormalised over what vendor 0 has
    w, h = W[5], has[0]
    expected = 100.0 * (w * S[0])[h].sum() / w[h].sum() if h.any() else 0.0
    assert whole[5, 0] == pytest.approx(expected, abs=1e-12)
    assert list(sample_scores(np.zeros((0, 3)), W)) == []
    assert first_counts(np.zeros((0, 3)), W).shape == (0,)
