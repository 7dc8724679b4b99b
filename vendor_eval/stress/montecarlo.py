"""Monte Carlo rank acceptability (docs/stress-tests.md §5), as plain functions over arrays.

Effective-weight vectors are drawn from ``Dirichlet(κ·w)`` around the analyst's weights
(large κ: close to them; κ = 100 by default), or from ``Dirichlet(1, …, 1)`` — uniform over
the simplex — for the "no preference" case. Either way only the criteria with a positive
weight are sampled: a weight of 0 says the criterion does not count, which is a decision,
not a strength of preference, so it stays 0.

Scores for a chunk of samples are one matrix product
(:func:`vendor_eval.scoring.methods.wsm.wsm_many`), ranks come from one in-place sort of
int64 keys (:func:`vendor_eval.scoring.ranks.sorted_ranks`), and the counts of (vendor,
rank) pairs from one ``bincount`` (added in place for a large register); there is no Python
loop over samples. Samples are
processed in chunks — the weights are drawn a chunk at a time too — so that each chunk's
arrays hold about a million cells (~8 MB each) whatever the number of vendors, criteria
and samples (docs/stress-tests.md §10). The leader-only variant (``first_only=True``)
counts only who ranks first, in O(vendors · samples) time and O(vendors · criteria) memory
besides the chunks; the full rank-acceptability matrix is vendors × ranks, so it alone
grows with the square of the number of vendors.

Ties follow the ranking rule (docs/scoring.md §8, :mod:`vendor_eval.scoring.ranks`): a
vendor's rank is 1 + the number of vendors scoring more than its score + 1e-9 points, so
equal scores share the best rank of the group (1, 2, 2, 4) and two identical vendors both
"rank first" in a sample. Each vendor gets exactly one rank per sample, so a vendor's rank
probabilities sum to 1.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import numpy as np

from vendor_eval.scoring.methods.wsm import exclude_parts, wsm_many, wsm_many_excluding
from vendor_eval.scoring.ranks import first_place, sorted_ranks

_CHUNK_CELLS = 1_000_000  # vendors × samples per chunk: ~8 MB per int64/float64 array
# The leader-only count keeps no rank matrix per chunk, so its chunks may be twice as large.
_FIRST_CHUNK_CELLS = 2_000_000
# Up to this many vendors the (vendor, rank) pairs of a chunk are counted with one
# ``bincount`` over all n² pairs (8 MB at most, the size of a chunk); above it (only when the
# full analysis is asked for a large register) added in place into the counts, so no chunk
# allocates another n² array.
_BINCOUNT_MAX_VENDORS = 1_000


def samples_per_chunk(n_vendors: int, n_criteria: int, cells: int = _CHUNK_CELLS) -> int:
    """Weight samples per chunk: about ``cells`` cells in a chunk's scores (samples ×
    vendors) and at most :data:`_CHUNK_CELLS` in its weights (samples × criteria, three
    arrays while they are drawn); at least one sample."""
    by_vendors = cells // max(n_vendors, 1)
    by_criteria = _CHUNK_CELLS // max(n_criteria, 1)
    return max(1, min(by_vendors, by_criteria))


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


def weight_chunks(
    w: np.ndarray, samples: int, kappa: float | None, rng: np.random.Generator, step: int
) -> Iterator[np.ndarray]:
    """:func:`sample_weights` drawn ``step`` samples at a time.

    The generator fills the draws in row order, so the chunks are the rows of one
    ``sample_weights(w, samples, kappa, rng)`` call, bit for bit: the same seed gives the
    same samples whatever the chunk size.
    """
    for lo in range(0, samples, step):
        yield sample_weights(w, min(step, samples - lo), kappa, rng)


def score_chunks(
    S: np.ndarray, weights: Iterable[np.ndarray], has: np.ndarray | None = None
) -> Iterator[np.ndarray]:
    """The vendors' scores under each chunk of weight samples (samples × vendors each).

    :func:`~vendor_eval.scoring.methods.wsm.wsm_many` per chunk; under ``exclude`` (``has``
    given) the renormalisation's parts are built once, not once per chunk. Nothing is
    yielded when there are no vendors.
    """
    if S.shape[0] == 0:
        return
    parts = None if has is None else exclude_parts(S, has)
    for Wc in weights:
        yield wsm_many(Wc, S) if parts is None else wsm_many_excluding(Wc, *parts)


def sample_scores(
    S: np.ndarray,
    W: np.ndarray,
    has: np.ndarray | None = None,
    chunk: int | None = None,
    cells: int = _CHUNK_CELLS,
) -> Iterator[np.ndarray]:
    """The vendors' scores under each weight sample of ``W``, a chunk of samples at a time.

    Yields samples × vendors arrays (:func:`score_chunks`); ``chunk`` samples each, by
    default as many as keep about ``cells`` vendor-sample cells.
    """
    step = chunk or samples_per_chunk(S.shape[0], 0, cells)
    yield from score_chunks(S, (W[lo : lo + step] for lo in range(0, len(W), step)), has)


def count_ranks(scores: Iterable[np.ndarray], n: int) -> np.ndarray:
    """Vendors × ranks counts over chunks of scores (samples × ``n`` vendors each).

    Each chunk is ranked by :func:`~vendor_eval.scoring.ranks.sorted_ranks`; its (vendor,
    rank) pairs are counted by one ``bincount`` up to :data:`_BINCOUNT_MAX_VENDORS`
    vendors, else added in place (``np.add.at``: memory is the chunk, not n² per chunk).
    """
    counts = np.zeros(n * n, dtype=np.int64)
    for chunk in scores:
        ids, ties = sorted_ranks(chunk)
        cell = ids  # reused in place: cell = vendor · n + (rank − 1)
        cell *= n
        cell += np.arange(n)
        for r, c in ties:
            cell[r, c] -= 1
        if n <= _BINCOUNT_MAX_VENDORS:
            counts += np.bincount(cell.ravel(), minlength=n * n)
        else:
            np.add.at(counts, cell.ravel(), 1)
    return counts.reshape(n, n)


def count_first(scores: Iterable[np.ndarray], n: int) -> np.ndarray:
    """How often each of ``n`` vendors ranks first over chunks of scores (ties: each)."""
    first = np.zeros(n, dtype=np.int64)
    for chunk in scores:
        first += first_place(chunk).sum(axis=0)
    return first


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
    return count_ranks(sample_scores(S, W, has, chunk), S.shape[0])


def first_counts(
    S: np.ndarray, W: np.ndarray, has: np.ndarray | None = None, chunk: int | None = None
) -> np.ndarray:
    """How often each vendor ranks first over the weight samples (ties: each of them).

    The first column of :func:`rank_counts` in O(vendors · samples): no sort, no rank
    matrix (:func:`vendor_eval.scoring.ranks.first_place`). Arguments as there.
    """
    scores = sample_scores(S, W, has, chunk, _FIRST_CHUNK_CELLS)
    return count_first(scores, S.shape[0])


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
    O(vendors · samples) time (:func:`count_first`). The weights are drawn a chunk at a
    time (:func:`weight_chunks`), so memory does not grow with ``samples``.
    """
    rng = np.random.default_rng(seed)
    n, m = S.shape
    step = samples_per_chunk(n, m, _FIRST_CHUNK_CELLS if first_only else _CHUNK_CELLS)
    scores = score_chunks(S, weight_chunks(w, samples, kappa, rng, step), has)
    counts = count_first(scores, n) if first_only else count_ranks(scores, n)
    if first_only:
        return counts / float(samples)
    P = counts.astype(float)  # vendors × ranks: one n² array besides the counts
    P /= float(samples)
    return P
