"""Monte Carlo rank acceptability (DESIGN §4), as plain functions over arrays.

Effective-weight vectors are drawn from ``Dirichlet(κ·w)`` around the analyst's weights
(large κ: close to them; κ = 100 by default), or from ``Dirichlet(1, …, 1)`` — uniform over
the simplex — for the "no preference" case. Either way only the criteria with a positive
weight are sampled: a weight of 0 says the criterion does not count, which is a decision,
not a strength of preference, so it stays 0.

Scores for a chunk of samples are one matrix product, ranks come from one argsort, and the
counts of (vendor, rank) pairs from one ``bincount``; there is no Python loop over samples.
Samples are processed in chunks so that 1,000 vendors need tens of MB, not GB.

Ties follow the ranking rule (DESIGN §3.7): scores equal within 1e-9 points share the best
rank of the group (1, 2, 2, 4), so two identical vendors both "rank first" in a sample. Each
vendor gets exactly one rank per sample, so a vendor's rank probabilities sum to 1.
"""

from __future__ import annotations

import numpy as np

TIE_POINTS = 1e-9  # scores (0–100) closer than this share a rank
_CHUNK_CELLS = 2_000_000  # vendors × samples per chunk: ~16 MB of float64 scores


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


def competition_ranks(scores: np.ndarray, tie: float = TIE_POINTS) -> np.ndarray:
    """Ranks (1 = best) per row of ``scores`` (samples × vendors), ties sharing a rank.

    Scores within ``tie`` of the next-better score in sorted order join its group.
    """
    _n_samples, n = scores.shape
    order = np.argsort(-scores, axis=1)  # tied scores share a rank, so order among them is moot
    ranked = np.take_along_axis(scores, order, axis=1)
    pos = np.arange(n)
    new_group = np.ones_like(ranked, dtype=bool)
    new_group[:, 1:] = (ranked[:, :-1] - ranked[:, 1:]) > tie
    start = np.maximum.accumulate(np.where(new_group, pos, 0), axis=1)
    ranks = np.empty_like(order)
    np.put_along_axis(ranks, order, start + 1, axis=1)
    return ranks


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
        Samples per chunk (default: bounded by about two million vendor-sample cells).

    Returns
    -------
    counts:
        Integer array vendors × ranks; ``counts[v, r]`` = samples with vendor v at rank r+1.
    """
    n = S.shape[0]
    counts = np.zeros(n * n, dtype=np.int64)
    if n == 0:
        return counts.reshape(0, 0)
    step = chunk or max(1, _CHUNK_CELLS // max(n, 1))
    Sm = S if has is None else np.where(has, S, 0.0)
    M = None if has is None else has.astype(float)
    row = np.arange(n) * n
    for lo in range(0, len(W), step):
        Wc = W[lo : lo + step]
        scores = 100.0 * (Wc @ Sm.T)
        if M is not None:
            den = Wc @ M.T
            scores = np.where(den > 0, scores / np.where(den > 0, den, 1.0), 0.0)
        ranks = competition_ranks(scores)
        counts += np.bincount((row + ranks - 1).ravel(), minlength=n * n)
    return counts.reshape(n, n)


def rank_probabilities(
    S: np.ndarray,
    w: np.ndarray,
    *,
    samples: int = 10_000,
    seed: int = 0,
    kappa: float | None = 100.0,
    has: np.ndarray | None = None,
) -> np.ndarray:
    """Rank-acceptability matrix: ``P[v, r]`` = share of weight samples with v at rank r+1.

    Seeded and reproducible: the same ``seed`` gives the same matrix.
    """
    rng = np.random.default_rng(seed)
    W = sample_weights(w, samples, kappa, rng)
    return rank_counts(S, W, has) / float(samples)
