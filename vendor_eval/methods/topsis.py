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


def fill_raw(x: np.ndarray, fill: np.ndarray) -> np.ndarray:
    """``x`` with each missing value replaced by its criterion's ``fill`` value.

    The scoring layer passes the worst observed value per direction (policy ``worst``) or
    the mean observed value (``mean``), over the qualified field.
    """
    missing = np.isnan(x)
    if not missing.any():
        return x
    out = x.copy()
    np.copyto(out, np.broadcast_to(fill, x.shape), where=missing)
    return out


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
    ref = x if reference is None or reference.all() else x[reference]
    norm = np.sqrt(np.einsum("ij,ij->j", ref, ref))
    factor = np.divide(w, norm, out=np.zeros_like(norm), where=norm > 0)
    if len(ref):
        rmax, rmin = ref.max(axis=0) * factor, ref.min(axis=0) * factor
    else:
        rmax = rmin = np.zeros(x.shape[1])
    best = np.where(benefit, rmax, rmin)
    worst = np.where(benefit, rmin, rmax)
    v = x * factor
    diff = v - best
    d_plus = np.sqrt(np.einsum("ij,ij->i", diff, diff))
    np.subtract(v, worst, out=diff)
    d_minus = np.sqrt(np.einsum("ij,ij->i", diff, diff))
    total = d_plus + d_minus
    return np.divide(d_minus, total, out=np.ones_like(total), where=total > 0)
