"""Bounded memory for the stress tests (docs/stress-tests.md §10): nothing grows with the
square of the number of vendors unless the full analysis is asked for by name, and nothing
grows with the number of weight samples.

Peaks are measured with ``tracemalloc`` (numpy reports its arrays to it), so they are the
analysis's own allocations, whatever else the process holds.
"""

from __future__ import annotations

import pickle
import tracemalloc
from collections.abc import Callable

import numpy as np
import pytest
from conftest import random_evaluation

from vendor_eval.scoring.scorer import score
from vendor_eval.stress import analysis, montecarlo
from vendor_eval.stress.analysis import analyse, kendall_tau_b
from vendor_eval.stress.montecarlo import (
    rank_counts,
    rank_probabilities,
    sample_weights,
    weight_chunks,
)

MB = 1_000_000


def peak(fn: Callable[[], object]) -> tuple[object, float]:
    """``fn()`` and the most memory it had allocated at once, in MB."""
    tracemalloc.start()
    try:
        out = fn()
        return out, tracemalloc.get_traced_memory()[1] / MB
    finally:
        tracemalloc.stop()


def test_the_default_analysis_of_a_large_shortlist_is_bounded_and_small():
    # 3,000 vendors × 60 criteria: the full analysis held a 3,000 × 3,000 rank matrix three
    # times over (counts, a per-chunk bincount, probabilities) and 4.5 million vendor pairs
    ev = random_evaluation(np.random.default_rng(0), n_vendors=3000, n_criteria=60,
                           n_categories=7, missing_rate=0.05)  # fmt: skip
    rk = score(ev)
    report, mb = peak(lambda: analyse(ev, samples=2000, ranking=rk))
    assert report.leader_only and report.rank_probabilities == {}
    assert len(report.p_first) == 3000 and report.critical
    assert mb < 80, f"{mb:.0f} MB"
    # what the dashboard keeps in its cache: a few numbers per vendor
    assert len(pickle.dumps(report)) < 1 * MB


@pytest.mark.slow
def test_leader_only_memory_grows_with_neither_vendors_nor_samples():
    def run(n: int, samples: int) -> float:
        ev = random_evaluation(np.random.default_rng(n), n_vendors=n, n_criteria=60)
        rk = score(ev)
        return peak(lambda: analyse(ev, samples=samples, ranking=rk, leader_only=True))[1]

    small, large = run(1000, 2000), run(4000, 30_000)
    # the chunks are the same size; only the per-vendor inputs (n × criteria) grow. The
    # weights were drawn all at once: 30,000 × 60 cells, three arrays of 14 MB
    assert large < small + 25, f"{small:.0f} MB → {large:.0f} MB"


@pytest.mark.parametrize("first_only", [True, False])
def test_weight_samples_are_drawn_a_chunk_at_a_time(first_only, monkeypatch):
    # 40,000 samples × 300 criteria were 96 MB per array of weights, drawn all at once
    rng = np.random.default_rng(1)
    S, w = rng.random((20, 300)), rng.dirichlet(np.ones(300))
    has = rng.random(S.shape) > 0.1
    _, mb = peak(lambda: rank_probabilities(S, w, samples=40_000, first_only=first_only))
    assert mb < 64, f"{mb:.0f} MB"
    # chunked, the samples are those of one draw: the same counts as scoring them at once
    W = sample_weights(w, 5000, 100.0, np.random.default_rng(4))
    want = rank_counts(S, W, has, chunk=5000) / 5000.0
    want = want[:, 0] if first_only else want
    for cells in (97, 10_000, 10**7):  # chunks of 1 sample, of some, of all
        monkeypatch.setattr(montecarlo, "_CHUNK_CELLS", cells)
        monkeypatch.setattr(montecarlo, "_FIRST_CHUNK_CELLS", cells)
        got = rank_probabilities(S, w, samples=5000, seed=4, has=has, first_only=first_only)
        np.testing.assert_array_equal(got, want)
    for kappa in (100.0, None, 1e-3):
        whole = sample_weights(w, 700, kappa, np.random.default_rng(9))
        parts = list(weight_chunks(w, 700, kappa, np.random.default_rng(9), 64))
        assert max(len(p) for p in parts) == 64
        np.testing.assert_array_equal(np.concatenate(parts), whole)


def test_the_full_analysis_asked_for_allocates_no_n_squared_bins_per_chunk(monkeypatch):
    # leader_only=False on 3,000 vendors: the vendors × ranks counts (72 MB) are the
    # result, and one chunk's ranking needs ~40 MB; each chunk also counted its pairs into
    # another 72 MB of fresh bins
    rng = np.random.default_rng(6)
    S = rng.random((3000, 5))
    W = sample_weights(np.full(5, 0.2), 400, 5.0, rng)
    counts, mb = peak(lambda: rank_counts(S, W))
    assert mb < 72 + 60, f"{mb:.0f} MB"
    assert (counts.sum(axis=1) == 400).all()
    # the pairs added in place and the pairs binned count the same (ties included)
    T = rng.integers(0, 3, size=(30, 4)) / 2.0
    W = sample_weights(np.full(4, 0.25), 500, 5.0, rng)
    binned = rank_counts(T, W, chunk=64)
    monkeypatch.setattr(montecarlo, "_BINCOUNT_MAX_VENDORS", 10)
    np.testing.assert_array_equal(rank_counts(T, W, chunk=64), binned)


def test_kendall_tau_memory_is_linear_in_the_vendors():
    # 6,000 vendors are 18 million pairs: ~600 MB when compared all at once
    rng = np.random.default_rng(2)
    x, y = rng.integers(0, 100, 6000), rng.integers(0, 100, 6000)
    tau, mb = peak(lambda: kendall_tau_b(x, y))
    assert mb < 48, f"{mb:.0f} MB"
    # the same exact sums as one block
    small_x, small_y = x[:300], y[:300]
    want = kendall_tau_b(small_x, small_y)
    old = analysis._PAIR_BLOCK
    try:
        analysis._PAIR_BLOCK = 1  # one row at a time
        assert kendall_tau_b(small_x, small_y) == want
    finally:
        analysis._PAIR_BLOCK = old
    assert tau is not None and -1.0 <= tau <= 1.0
