"""Monte Carlo rank acceptability (docs/stress-tests.md §5), as plain functions over arrays.

Effective-weight vectors are drawn from ``Dirichlet(κ·w)`` around the analyst's weights
(large κ: close to them; κ = 100 by default), or from ``Dirichlet(1, …, 1)`` — uniform over
the simplex — for the "no preference" case. Either way only the criteria with a positive
weight are sampled: a weight of 0 says the criterion does not count, which is a decision,
not a strength of preference, so it stays 0.

Scores for a chunk of samples are one matrix product
(:func:`vendor_eval.scoring.methods.wsm.wsm_many`), ranks come from one in-place sort of
int64 keys (:func:`vendor_eval.scoring.ranks.sorted_ranks`), and the counts of (vendor,
rank) pairs from one ``bincount``; there is no Python loop over samples. Samples are
processed in chunks so that 1,000 vendors need tens of MB, not GB. The leader-only variant
(``first_only=True``) counts only who ranks first, in O(vendors · samples).

Ties follow the ranking rule (docs/scoring.md §8, :mod:`vendor_eval.scoring.ranks`): a
vendor's rank is 1 + the number of vendors scoring more than its score + 1e-9 points, so
equal scores share the best rank of the group (1, 2, 2, 4) and two identical vendors both
"rank first" in a sample. Each vendor gets exactly one rank per sample, so a vendor's rank
probabilities sum to 1.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from vendor_eval.scoring.methods.wsm import exclude_parts, wsm_many, wsm_many_excluding
from vendor_eval.scoring.ranks import first_place, sorted_ranks

_CHUNK_CELLS = 1_000_000  # vendors × samples per chunk: ~8 MB per int64/float64 array
# The leader-only count keeps no rank matrix per chunk, so its chunks may be twice as large.
_FIRST_CHUNK_CELLS = 2_000_000


def sample_weights(
    w: np.ndarray, samples: int, kappa: float | None, rng: np.random.Generator
) -> np.ndarray:
    """``samples`` effective-weight vectors, shape ``(samples, m)``, rows summing to 1.

    Parameters
    ----------
    w:
        The analyst's effective weights (summing to 1).
    kappa:
        Dirichlet concentration: draws are ``Dirichlet(kappa · w)`` over the positive
        weights. ``None`` draws uniformly over the simplex of the positive-weight criteria.
    rng:
        The random generator (``numpy.random.default_rng(seed)``).
    """
    w = np.asarray(w, dtype=float)
    pos = w > 0
    alpha = np.ones(int(pos.sum())) if kappa is None else float(kappa) * w[pos]
    out = np.zeros((samples, len(w)))
    if pos.sum() == 1:
        out[:, pos] = 1.0
        return out
    # Gamma draws normalised: the same maths as rng.dirichlet, but robust to tiny alphas.
    g = rng.standard_gamma(alpha, size=(samples, len(alpha)))
    total = g.sum(axis=1, keepdims=True)
    bad = total[:, 0] <= 0  # every gamma underflowed: fall back to the mean weights
    g[bad] = alpha / alpha.sum()
    total[bad] = 1.0
    out[:, pos] = g / total
    return out


def sample_scores(
    S: np.ndarray,
    W: np.ndarray,
    has: np.ndarray | None = None,
    chunk: int | None = None,
    cells: int = _CHUNK_CELLS,
) -> Iterator[np.ndarray]:
    """The vendors' scores under each weight sample, a chunk of samples at a time.

    Yields samples × vendors arrays (:func:`~vendor_eval.scoring.methods.wsm.wsm_many`);
    ``chunk`` samples each, by default as many as keep about ``cells`` vendor-sample cells.
    Nothing is yielded when there are no vendors.
    """
    n = S.shape[0]
    if n == 0:
        return
    step = chunk or max(1, cells // max(n, 1))
    parts = None if has is None else exclude_parts(S, has)  # once, not once per chunk
    for lo in range(0, len(W), step):
        Wc = W[lo : lo + step]
        yield wsm_many(Wc, S) if parts is None else wsm_many_excluding(Wc, *parts)


def rank_counts(
    S: np.ndarray, W: np.ndarray, has: np.ndarray | None = None, chunk: int | None = None
) -> np.ndarray:
    """How often each vendor takes each rank over the weight samples.

    Parameters
    ----------
    S:
        Normalised scores, vendors × criteria (the qualified vendors only).
    W:
        Weight samples, samples × criteria.
    has:
        For the ``exclude`` policy: True where the vendor has a value; its score is then
        renormalised over the criteria it has. ``None`` for the linear policies.
    chunk:
        Samples per chunk (default: bounded by about a million vendor-sample cells).

    Returns
    -------
    counts:
        Integer array vendors × ranks; ``counts[v, r]`` = samples with vendor v at rank r+1.
    """
    n = S.shape[0]
    counts = np.zeros(n * n, dtype=np.int64)
    if n == 0:
        return counts.reshape(0, 0)
    for scores in sample_scores(S, W, has, chunk):
        ids, ties = sorted_ranks(scores)
        cell = ids  # reused in place: cell = vendor · n + (rank − 1)
        cell *= n
        cell += np.arange(n)
        for r, c in ties:
            cell[r, c] -= 1
        counts += np.bincount(cell.ravel(), minlength=n * n)
    return counts.reshape(n, n)


def first_counts(
    S: np.ndarray, W: np.ndarray, has: np.ndarray | None = None, chunk: int | None = None
) -> np.ndarray:
    """How often each vendor ranks first over the weight samples (ties: each of them).

    The first column of :func:`rank_counts` in O(vendors · samples): no sort, no rank
    matrix (:func:`vendor_eval.scoring.ranks.first_place`). Arguments as there.
    """
    first = np.zeros(S.shape[0], dtype=np.int64)
    for scores in sample_scores(S, W, has, chunk, _FIRST_CHUNK_CELLS):
        first += first_place(scores).sum(axis=0)
    return first


def rank_probabilities(
    S: np.ndarray,
    w: np.ndarray,
    *,
    samples: int = 10_000,
    seed: int = 0,
    kappa: float | None = 100.0,
    has: np.ndarray | None = None,
    first_only: bool = False,
) -> np.ndarray:
    """Rank-acceptability matrix: ``P[v, r]`` = share of weight samples with v at rank r+1.

    Seeded and reproducible: the same ``seed`` gives the same matrix. With ``first_only``
    only its first column, P(rank 1) per vendor, from the same weight samples and in
    O(vendors · samples) (:func:`first_counts`).
    """
    rng = np.random.default_rng(seed)
    W = sample_weights(w, samples, kappa, rng)
    counts = first_counts(S, W, has) if first_only else rank_counts(S, W, has)
    return counts / float(samples)
