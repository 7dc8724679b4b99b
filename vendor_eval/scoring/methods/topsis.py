"""TOPSIS, textbook Hwang & Yoon (docs/scoring.md §7).

Vector normalisation ``r_ij = x_ij / sqrt(Σ_k x_kj²)``, weighting ``v_ij = w_j r_ij``,
ideal and anti-ideal per criterion by direction, Euclidean distances ``d⁺``, ``d⁻`` and
closeness ``C = d⁻ / (d⁺ + d⁻)``.

The norms and the (anti-)ideal come from a *reference* set of rows (the qualified vendors);
every row is then measured against them, so a disqualified vendor is scored on the
qualified field's terms. Degenerate cases: a criterion whose reference values are all 0
(norm 0), or all equal (within the tolerance of docs/scoring.md §4.6, so 94.9 typed and
``=80.3+14.6`` are one value), contributes nothing; a vendor with ``d⁺ + d⁻ = 0`` is
identical to the ideal on every criterion that counts and gets ``C = 1``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from vendor_eval.scoring.ranks import equal_bounds_columns

_BLOCK_BYTES = 1 << 19  # a column block of about 512 KiB stays in L2 while it is worked on


def column_blocks(n_rows: int, n_cols: int, budget: int = _BLOCK_BYTES) -> list[slice]:
    """Slices of adjacent columns holding about ``budget`` bytes of float64 each."""
    per = max(1, budget // (8 * max(n_rows, 1)))
    return [slice(j, min(j + per, n_cols)) for j in range(0, n_cols, per)]


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


@dataclass(frozen=True)
class TopsisParts:
    """What TOPSIS computes on the way to the closeness ``C = d⁻ / (d⁺ + d⁻)``.

    ``factor[j]`` turns a raw value into its weighted normalised value
    (``v_ij = x_ij · factor_j = w_j x_ij / ‖x_·j‖``); ``ideal`` / ``anti_ideal`` are the best
    and worst weighted normalised values per criterion over the reference rows;
    ``d_plus`` / ``d_minus`` each vendor's distance to them.
    """

    factor: np.ndarray
    ideal: np.ndarray
    anti_ideal: np.ndarray
    d_plus: np.ndarray
    d_minus: np.ndarray

    @property
    def closeness(self) -> np.ndarray:
        total = self.d_plus + self.d_minus
        return np.divide(self.d_minus, total, out=np.ones_like(total), where=total > 0)


def topsis(*args: Any, **kwargs: Any) -> np.ndarray:
    """Closeness coefficients ``C ∈ [0, 1]`` (no checks): :func:`topsis_parts`, same
    parameters, reduced to ``d⁻ / (d⁺ + d⁻)``."""
    return topsis_parts(*args, **kwargs).closeness


def topsis_parts(
    x: np.ndarray,
    w: np.ndarray,
    benefit: np.ndarray,
    reference: np.ndarray | None = None,
    fill: np.ndarray | None = None,
) -> TopsisParts:
    """Weighted normalisation, (anti-)ideals and distances of TOPSIS (no checks).

    Parameters
    ----------
    x:
        Raw values, vendors × criteria (complete, or NaN where ``fill`` applies).
    w:
        Criterion weights.
    benefit:
        True where higher is better.
    reference:
        Boolean row mask defining norms and ideals (default: every row).
    fill:
        Per criterion value standing in for a NaN in ``x`` (as :func:`fill_raw`, without
        copying the matrix).

    Two passes over ``x``, a block of columns at a time (so each block is worked on while
    it is in the CPU cache): norms and (anti-)ideals, then the squared distances.
    """
    x = np.asarray(x, dtype=float)
    n, m = x.shape
    if n == 0:
        return TopsisParts(np.zeros(m), np.zeros(m), np.zeros(m), np.zeros(0), np.zeros(0))
    x = np.asfortranarray(x)
    benefit = np.asarray(benefit, dtype=bool)
    # The reference rows as weights (Σ over them as a dot product) and as a mask (+ NaN hides
    # the other rows from fmin/fmax); both None when every row is a reference row.
    ref_w: np.ndarray | None = None
    hide: np.ndarray | None = None
    if reference is not None and not np.all(reference):
        ref = np.asarray(reference, dtype=bool)
        ref_w = ref.astype(float)
        hide = np.where(ref, 0.0, np.nan)
    blocks = column_blocks(n, m)

    def block(sl: slice) -> np.ndarray:
        xb = x[:, sl]
        if fill is not None:
            nan = np.isnan(xb)
            if nan.any():
                xb = np.where(nan, fill[sl], xb)
        return xb

    factor = np.zeros(m)
    best = np.zeros(m)
    worst = np.zeros(m)
    for sl in blocks:
        xb = block(sl)
        if ref_w is None or hide is None:
            sq = np.einsum("ij,ij->j", xb, xb)
            rmax, rmin = xb.max(axis=0), xb.min(axis=0)
        else:
            sq = _weighted_col_sq(ref_w, xb)
            xr = xb + hide[:, None]
            rmax, rmin = np.fmax.reduce(xr, axis=0), np.fmin.reduce(xr, axis=0)
        norm = np.sqrt(sq)
        # reference values a rounding error apart (docs/scoring.md §4.6) tell nobody apart;
        # exactly equal ones still measure a disqualified vendor's distance, as they always did
        counts = (norm > 0) & ~((rmax > rmin) & equal_bounds_columns(rmin, rmax))
        f = np.divide(w[sl], norm, out=np.zeros_like(norm), where=counts)
        empty = np.isnan(rmax)  # no reference rows
        rmax, rmin = np.where(empty, 0.0, rmax) * f, np.where(empty, 0.0, rmin) * f
        factor[sl] = f
        best[sl] = np.where(benefit[sl], rmax, rmin)
        worst[sl] = np.where(benefit[sl], rmin, rmax)
    d_plus = np.zeros(n)
    d_minus = np.zeros(n)
    for sl in blocks:
        v = block(sl) * factor[sl]
        diff = v - best[sl]
        d_plus += _row_sq(diff)
        np.subtract(v, worst[sl], out=diff)
        d_minus += _row_sq(diff)
    np.sqrt(d_plus, out=d_plus)
    np.sqrt(d_minus, out=d_minus)
    return TopsisParts(factor, best, worst, d_plus, d_minus)


def _row_sq(d: np.ndarray) -> np.ndarray:
    """Per row ``Σ_j d_ij²`` (a one-column block as a plain square)."""
    if d.shape[1] == 1:
        return np.square(d[:, 0])
    return np.einsum("ij,ij->i", d, d)


def _weighted_col_sq(r: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Per column ``Σ_i r_i b_ij²`` (einsum's own loop: no BLAS threads to wake per block)."""
    return np.einsum("i,ij,ij->j", r, b, b)
