"""TOPSIS, textbook Hwang & Yoon (DESIGN §3.6).

Vector normalisation ``r_ij = x_ij / sqrt(Σ_k x_kj²)``, weighting ``v_ij = w_j r_ij``,
ideal and anti-ideal per criterion by direction, Euclidean distances ``d⁺``, ``d⁻`` and
closeness ``C = d⁻ / (d⁺ + d⁻)``.

The norms and the (anti-)ideal come from a *reference* set of rows (the qualified vendors);
every row is then measured against them, so a disqualified vendor is scored on the
qualified field's terms. Degenerate cases: a criterion whose reference values are all 0
(norm 0) contributes nothing; a vendor with ``d⁺ + d⁻ = 0`` is identical to the ideal on
every criterion that counts and gets ``C = 1``.
"""

from __future__ import annotations

import numpy as np


def fill_raw(x: np.ndarray, benefit: np.ndarray, reference: np.ndarray, policy: str) -> np.ndarray:
    """Replace missing raw values: the worst (``worst``) or mean (``mean``) observed value.

    ``reference`` (vendors × criteria, bool) marks the values that count as observed; a
    criterion nobody answered is filled with 0.
    """
    missing = np.isnan(x)
    if not missing.any():
        return x
    if policy == "mean":
        count = reference.sum(axis=0)
        total = np.where(reference, x, 0.0).sum(axis=0)
        fill = np.divide(total, count, out=np.zeros_like(total), where=count > 0)
    else:
        lo = np.where(reference, x, np.inf).min(axis=0)
        hi = np.where(reference, x, -np.inf).max(axis=0)
        fill = np.where(benefit, lo, hi)
        fill = np.where(np.isfinite(fill), fill, 0.0)
    return np.where(missing, fill, x)


def topsis(
    x: np.ndarray,
    w: np.ndarray,
    benefit: np.ndarray,
    reference: np.ndarray | None = None,
) -> np.ndarray:
    """Closeness coefficients ``C ∈ [0, 1]`` (no checks; ``x`` complete, no NaN).

    Parameters
    ----------
    x:
        Raw values, vendors × criteria.
    w:
        Criterion weights.
    benefit:
        True where higher is better.
    reference:
        Boolean row mask defining norms and ideals (default: every row).
    """
    x = np.asarray(x, dtype=float)
    ref = x if reference is None else x[reference]
    norm = np.sqrt(np.einsum("ij,ij->j", ref, ref))
    factor = np.divide(w, norm, out=np.zeros_like(norm), where=norm > 0)
    v = x * factor
    vref = ref * factor
    vmax = vref.max(axis=0) if len(vref) else np.zeros(x.shape[1])
    vmin = vref.min(axis=0) if len(vref) else np.zeros(x.shape[1])
    best = np.where(benefit, vmax, vmin)
    worst = np.where(benefit, vmin, vmax)
    d_plus = np.sqrt(np.square(v - best).sum(axis=1))
    d_minus = np.sqrt(np.square(v - worst).sum(axis=1))
    total = d_plus + d_minus
    return np.divide(d_minus, total, out=np.ones_like(total), where=total > 0)
