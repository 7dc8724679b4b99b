"""Competition ranks and the two tolerances: the one ranking rule (docs/scoring.md §8) and
when a criterion's values count as all equal (docs/scoring.md §4.6).

A vendor's rank is ``1 + #{vendors scoring more than its score + TIE_TOLERANCE}``: scores
(0–100) within the tolerance share the best rank of their group (1, 2, 2, 4), and two
identical vendors are both first. Every ranking in the package uses this module:

* :func:`rank_order` — the official ranking of one score vector (qualified vendors first);
* :func:`ranks_among` — the rule itself, for scores ranked against a field (the export's
  cached ranks of the live weighted sum);
* :func:`sorted_ranks` — many rows at once (Monte Carlo weight samples), as sorted vendor
  ids and the steps back that ties take;
* :func:`first_place` — who ranks first in each row, without sorting (the leader-only
  stress test);
* :func:`equal_bounds` / :func:`equal_bounds_columns` — the equal-values rule of every
  normalisation (the scorer's bounds, TOPSIS's ideal and anti-ideal).

All functions are plain functions over numpy arrays with no checks.
"""

from __future__ import annotations

import numpy as np

TIE_TOLERANCE = 1e-9
"""Scores (0–100) closer than this share a rank (docs/scoring.md §8); one value for all."""

RANGE_TOLERANCE = 1e-9
"""A criterion's values whose range is at most this share of their magnitude are all equal
(docs/scoring.md §4.6): ``94.9`` typed and ``=80.3+14.6`` (94.89999999999999) are one value,
not the best and the worst of the field. One value for every normalisation."""


def equal_bounds(lo: float, hi: float) -> bool:
    """True when ``hi − lo ≤ RANGE_TOLERANCE · max(|lo|, |hi|)``, or a bound is NaN.

    Bounds equal to the last bit and bounds a rounding error apart alike: nobody can be
    told apart (docs/scoring.md §4.6). Also True for ``hi < lo``.
    """
    span = hi - lo
    return not span > RANGE_TOLERANCE * max(abs(lo), abs(hi))  # NaN span: not > anything


def equal_bounds_columns(lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """:func:`equal_bounds` per element of two arrays of bounds."""
    lo, hi = np.asarray(lo, dtype=float), np.asarray(hi, dtype=float)
    with np.errstate(invalid="ignore"):
        return ~(hi - lo > RANGE_TOLERANCE * np.maximum(np.abs(lo), np.abs(hi)))


def ranks_among(
    scores: np.ndarray, field_ascending: np.ndarray, tol: float = TIE_TOLERANCE
) -> np.ndarray:
    """``1 + #{field scores > s + tol}`` for each ``s`` in ``scores`` (int64).

    ``field_ascending`` is the field's scores sorted ascending (``np.sort``).
    """
    n = len(field_ascending)
    return 1 + n - np.searchsorted(field_ascending, scores + tol, side="right")


def rank_order(
    scores: np.ndarray, qualified: np.ndarray, tol: float = TIE_TOLERANCE
) -> tuple[np.ndarray, np.ndarray]:
    """Result order and competition ranks (plain function).

    Returns ``order`` (indices: qualified best first, ties in input order, then the
    disqualified by score) and ``ranks`` (per input row; 0 for the disqualified). Scores
    within ``tol`` share a rank: 1, 2, 2, 4.
    """
    n = len(scores)
    every = bool(qualified.all())
    q_idx = np.arange(n) if every else np.flatnonzero(qualified)
    # Qualified vendors by score, descending. The default sort is much faster than a
    # stable one; input order inside ties is restored below, only when there are ties.
    q_order = q_idx[np.argsort(-scores[q_idx])]
    desc = scores[q_order]
    ranks = np.zeros(n, dtype=np.int64)
    r = np.arange(1, len(desc) + 1)
    # Competition rank: 1 + how many score more than s + tol. A vendor more than tol below
    # the one before it has exactly its position + 1; only the others are looked up.
    near = np.flatnonzero(desc[:-1] - desc[1:] <= tol) + 1
    if near.size:
        r[near] = ranks_among(desc[near], desc[::-1], tol)
        tied = near[r[near] == r[near - 1]]
        if np.any(q_order[tied] < q_order[tied - 1]):  # restore input order inside ties
            keep = np.lexsort((q_order, r))
            q_order, r = q_order[keep], r[keep]
    ranks[q_order] = r
    if every:
        return q_order, ranks
    d_idx = np.flatnonzero(~qualified)
    d_order = d_idx[np.argsort(-scores[d_idx], kind="stable")]
    return np.concatenate([q_order, d_order]), ranks


def first_place(scores: np.ndarray, tol: float = TIE_TOLERANCE) -> np.ndarray:
    """Rows × vendors, True where the vendor ranks first in its row (ties: all of them).

    Rank 1 means nobody scores more than ``s + tol``, i.e. ``s ≥ max − tol``; one pass
    over the scores, no sort.
    """
    return scores >= scores.max(axis=1, keepdims=True) - tol


def sorted_ranks(
    scores: np.ndarray, tol: float = TIE_TOLERANCE
) -> tuple[np.ndarray, list[tuple[np.ndarray, np.ndarray]]]:
    """Each row of ``scores`` sorted best first: the vendor ids, and where ties lower ranks.

    The rank of the vendor at sorted position p is ``1 + #{vendors scoring more than its
    score + tol}`` (the rule of :func:`rank_order`), which is ``p + 1`` minus the number of
    vendors just above it that are within ``tol`` of it.

    Returns
    -------
    ids:
        int64, rows × vendors: ``ids[k, p]`` is the vendor at position p in row k.
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
    scores stay equal and the tolerance holds to within a few quanta. When the quantum
    would be coarser than ``tol / 1000`` (over ~30,000 vendors) a float argsort is used.
    """
    n = scores.shape[1]
    bits = max(1, (n - 1).bit_length())
    hi = float(scores.max()) if scores.size else 0.0
    lo = float(scores.min()) if scores.size else 0.0
    scale = float(2 ** (61 - bits)) / max(hi - lo, 1.0)
    if n == 0 or 1.0 / scale > tol / 1000:
        ids = np.argsort(-scores, axis=1, kind="stable").astype(np.int64)
        keys = -np.take_along_axis(scores, ids, axis=1)  # ascending: best first
        step: float | int = tol
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
        step = int(np.floor(tol * scale))
    # Walk back only from the cells within ``step`` of the vendor just above them; the walk
    # is as long as the longest run of near-equal scores.
    ties = []
    r, c = np.nonzero(keys[:, 1:] - keys[:, :-1] <= step)
    c = c + 1
    d = 1
    while r.size:
        ties.append((r, c))
        d += 1
        ok = c >= d
        r, c = r[ok], c[ok]
        ok = keys[r, c] - keys[r, c - d] <= step
        r, c = r[ok], c[ok]
    return ids, ties
