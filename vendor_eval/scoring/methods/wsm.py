"""Weighted sum model (DESIGN §3.5): ``total = 100 · Σ w_i s_i``."""

from __future__ import annotations

import numpy as np


def wsm(s: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Scores ``100 · s @ w`` for a complete score matrix ``s`` (vendors × criteria)."""
    return 100.0 * (s @ w)


def wsm_contributions(s: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Points per vendor and criterion, ``100 · w_i s_i``; each row adds up to the score."""
    return s * (100.0 * np.asarray(w))


def wsm_exclude(s: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Weighted sum where NaN in ``s`` means "leave this criterion out for this vendor".

    Each vendor's weights are renormalised over the criteria it has,
    ``w'_i = w_i / Σ_{j with a value} w_j``; a vendor with no weighted value scores 0.

    Returns
    -------
    scores, contributions:
        ``(n,)`` and ``(n, m)``; the contributions ``100 · w'_i s_i`` add up to the score.
    """
    has = ~np.isnan(s)
    wh = np.where(has, w, 0.0)
    denom = wh.sum(axis=1)
    scale = np.divide(100.0, denom, out=np.zeros_like(denom), where=denom > 0)
    contributions = np.where(has, s, 0.0) * wh * scale[:, None]
    return contributions.sum(axis=1), contributions
