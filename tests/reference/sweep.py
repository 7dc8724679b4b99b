"""The leader along a weight sweep by direct evaluation: the oracle for the exact sweeps."""

from __future__ import annotations

import numpy as np

from vendor_eval.stress.sweep import Lines


def brute_force_leaders(
    lines: Lines, eligible: np.ndarray, grid: np.ndarray, order: np.ndarray | None = None
) -> np.ndarray:
    """Leader index at every grid share, by direct evaluation.

    Ties go to the vendor earliest in ``order`` (default: index order).
    """
    scores = lines.scores(grid)
    scores = np.where(eligible, scores, -np.inf)
    idx = np.arange(scores.shape[1]) if order is None else np.asarray(order)
    picked = np.argmax(scores[:, idx], axis=1)
    return idx[picked]
