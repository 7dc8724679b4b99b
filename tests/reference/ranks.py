"""Competition ranks per row: the official rule one row at a time, and the rank matrix
that :func:`vendor_eval.scoring.ranks.sorted_ranks` encodes (sorted ids and tie steps)."""

from __future__ import annotations

import numpy as np

from vendor_eval.scoring.ranks import TIE_TOLERANCE, rank_order, sorted_ranks


def row_ranks(scores: np.ndarray) -> np.ndarray:
    """Ranks row by row with the official ranking rule (:func:`rank_order`), everyone
    qualified."""
    everyone = np.ones(scores.shape[1], dtype=bool)
    return np.array([rank_order(row, everyone)[1] for row in scores])


def competition_ranks(scores: np.ndarray, tie: float = TIE_TOLERANCE) -> np.ndarray:
    """Ranks (1 = best) per row of ``scores`` (samples × vendors) from
    :func:`sorted_ranks`, ties sharing a rank (1, 2, 2, 4)."""
    scores = np.asarray(scores, dtype=float)
    ids, ties = sorted_ranks(scores, tie)
    ranked = np.broadcast_to(np.arange(1, scores.shape[1] + 1), ids.shape).copy()
    for r, c in ties:
        ranked[r, c] -= 1
    ranks = np.empty_like(ranked)
    np.put_along_axis(ranks, ids, ranked, axis=1)
    return ranks
