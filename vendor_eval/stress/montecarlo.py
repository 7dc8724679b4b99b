"""Monte Carlo rank acceptability (DESIGN §4), as plain functions over arrays.

Effective-weight vectors are drawn from ``Dirichlet(κ·w)`` around the analyst's weights
(large κ: close to them; κ = 100 by default), or from ``Dirichlet(1, …, 1)`` — uniform over
the simplex — for the "no preference" case. Either way only the criteria with a positive
weight are sampled: a weight of 0 says the criterion does not count, which is a decision,
not a strength of preference, so it stays 0.

Scores for a chunk of samples are one matrix product, ranks come from one in-place sort of
int64 keys (score and vendor id packed together; see :func:`_sorted`), and the counts of
(vendor, rank) pairs from one ``bincount``; there is no Python loop over samples. Samples are
processed in chunks so that 1,000 vendors need tens of MB, not GB.

Ties follow the ranking rule (DESIGN §3.7, :func:`vendor_eval.scoring.scorer.rank_order`): a
vendor's rank is 1 + the number of vendors scoring more than its score + 1e-9 points, so
equal scores share the best rank of the group (1, 2, 2, 4) and two identical vendors both
"rank first" in a sample. Each vendor gets exactly one rank per sample, so a vendor's rank
probabilities sum to 1.
"""

from __future__ import annotations

import numpy as np

from vendor_eval.core.model import TIE_TOLERANCE

TIE_POINTS = TIE_TOLERANCE  # scores (0–100) closer than this share a rank
_CHUNK_CELLS = 1_000_000  # vendors × samples per chunk: ~8 MB per int64/float64 array


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


def _sorted(
    scores: np.ndarray, tie: float = TIE_POINTS
) -> tuple[np.ndarray, list[tuple[np.ndarray, np.ndarray]]]:
    """Each row of ``scores`` sorted best first: the vendor ids, and where ties lower ranks.

    The rank of the vendor at sorted position p is ``1 + #{vendors scoring more than its
    score + tie}`` — the ranking rule of :func:`vendor_eval.scoring.scorer.rank_order` — which is
    ``p + 1`` minus the number of vendors just above it that are within ``tie`` of it.

    Returns
    -------
    ids:
        int64, samples × vendors: ``ids[k, p]`` is the vendor at position p in sample k.
    ties:
        A list of ``(rows, positions)`` index arrays, one per step back: the rank at each
        listed cell is one lower than ``p + 1`` per listing (empty when no scores tie).

    Notes
    -----
    Sorting is the cost. Instead of an ``argsort`` of floats, each score is turned into an
    int64 key ``(quantised score << bits) | vendor id`` and the keys are sorted in place:
    numpy's integer sort is SIMD-accelerated and much cheaper than an argsort of the same
    matrix, and the vendor id comes back from the low bits. The quantum is
    ``span / 2^(61 − bits)`` (about 4e-14 points for 1,000 vendors on a 0–100 span), so equal
    scores stay equal and the 1e-9 tolerance holds to within a few quanta. When the quantum
    would be coarser than ``tie / 1000`` (over ~30,000 vendors) a float argsort is used.
    """
    n = scores.shape[1]
    bits = max(1, (n - 1).bit_length())
    hi = float(scores.max()) if scores.size else 0.0
    lo = float(scores.min()) if scores.size else 0.0
    scale = float(2 ** (61 - bits)) / max(hi - lo, 1.0)
    if n == 0 or 1.0 / scale > tie / 1000:
        ids = np.argsort(-scores, axis=1, kind="stable").astype(np.int64)
        keys = -np.take_along_axis(scores, ids, axis=1)  # ascending: best first
        tol: float | int = tie
    else:
        # (hi − score)·scale lies in [0, 2^(61 − bits)]: best first, exact in int64.
        q = hi - scores
        q *= scale
        keys = q.astype(np.int64)
        keys <<= bits
        keys |= np.arange(n, dtype=np.int64)
        keys.sort(axis=1)
        ids = keys & ((1 << bits) - 1)
        keys >>= bits
        tol = int(np.floor(tie * scale))
    # Walk back only from the cells within ``tol`` of the vendor just above them; the walk
    # is as long as the longest run of near-equal scores.
    ties = []
    r, c = np.nonzero(keys[:, 1:] - keys[:, :-1] <= tol)
    c = c + 1
    d = 1
    while r.size:
        ties.append((r, c))
        d += 1
        ok = c >= d
        r, c = r[ok], c[ok]
        ok = keys[r, c] - keys[r, c - d] <= tol
        r, c = r[ok], c[ok]
    return ids, ties


def competition_ranks(scores: np.ndarray, tie: float = TIE_POINTS) -> np.ndarray:
    """Ranks (1 = best) per row of ``scores`` (samples × vendors), ties sharing a rank.

    As in the official ranking, a vendor's rank is 1 + the number of vendors scoring more
    than its score + ``tie`` (1, 2, 2, 4 for a tie).
    """
    scores = np.asarray(scores, dtype=float)
    ids, ties = _sorted(scores, tie)
    ranked = np.broadcast_to(np.arange(1, scores.shape[1] + 1), ids.shape).copy()
    for r, c in ties:
        ranked[r, c] -= 1
    ranks = np.empty_like(ranked)
    np.put_along_axis(ranks, ids, ranked, axis=1)
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
    step = chunk or max(1, _CHUNK_CELLS // max(n, 1))
    Sm = S if has is None else np.where(has, S, 0.0)
    M = None if has is None else has.astype(float)
    for lo in range(0, len(W), step):
        Wc = W[lo : lo + step]
        scores = 100.0 * (Wc @ Sm.T)
        if M is not None:
            den = Wc @ M.T
            scores = np.where(den > 0, scores / np.where(den > 0, den, 1.0), 0.0)
        ids, ties = _sorted(scores)
        cell = ids  # reused in place: cell = vendor · n + (rank − 1)
        cell *= n
        cell += np.arange(n)
        for r, c in ties:
            cell[r, c] -= 1
        counts += np.bincount(cell.ravel(), minlength=n * n)
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
