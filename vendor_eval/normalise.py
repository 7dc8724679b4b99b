"""Normalisation, missing-value policies and completeness (DESIGN §3.3, §3.4).

Every criterion is turned into a score ``s ∈ [0, 1]``:

* ``yes/no``: yes = 1, no = 0 (an evaluators' consensus between 0 and 1 is kept as is);
* ``absolute``: ``clip((x − Min) / (Max − Min), 0, 1)``;
* ``relative``: ``(x − lo) / (hi − lo)`` with ``lo``, ``hi`` the min and max over the
  *field*: the qualified vendors that have a value. If no qualified vendor has a value, the
  field is every vendor that has one (so an all-disqualified shortlist is still compared).
  Disqualified vendors use the same ``lo``, ``hi``, clipped to [0, 1];
* direction ``lower``: ``s := 1 − s``;
* when the bounds coincide (``hi == lo``: everybody in the field has the same value) every
  vendor with a value gets 1, whatever the direction: nobody can be told apart, so nobody
  loses points.

Missing values (policy): ``worst`` → 0; ``mean`` → the mean ``s`` of the *qualified*
vendors that have a value, 0 if none does (DESIGN §3.4: no fallback to the disqualified
here); ``exclude`` → left as NaN, for the method to renormalise.
Completeness is the share of effective weight with a value, ``Σ_{i with a value} w_i``.

:func:`normalise_columns` does all of this (and the weighted sums) in one pass over the
matrix, a block of columns at a time so each block stays in the CPU cache; the separate
functions are the same maths one step at a time.

All functions here are plain functions over numpy arrays with no checks. ``qualified`` is
a boolean per vendor; ``fallback`` a boolean per criterion, True where the field is every
vendor because no qualified vendor has a value (:func:`fallback_columns`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

RELATIVE = 0
ABSOLUTE = 1
YESNO = 2


def fallback_columns(has_value: np.ndarray, qualified: np.ndarray) -> np.ndarray:
    """Per criterion: True where no qualified vendor has a value (the field is everyone)."""
    if qualified.all():
        return ~has_value.any(axis=0)
    return ~has_value[qualified].any(axis=0)


def field_mask(has_value: np.ndarray, qualified: np.ndarray) -> np.ndarray:
    """Vendors × criteria: True where a value belongs to its criterion's field."""
    fallback = fallback_columns(has_value, qualified)
    return has_value & (qualified[:, None] | fallback[None, :])


def field_extremes(
    x: np.ndarray,
    qualified: np.ndarray,
    fallback: np.ndarray,
    columns: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Per criterion min and max over the field (NaN where nobody has a value).

    Only ``columns`` (default: all) are computed; the others are NaN. Works one column at a
    time: the importer's frames are column-major, so each column is one contiguous read.
    """
    m = x.shape[1]
    lo = np.full(m, np.nan)
    hi = np.full(m, np.nan)
    every = bool(qualified.all())
    for j in range(m) if columns is None else np.asarray(columns).tolist():
        col = x[:, j]
        if not (every or fallback[j]):
            col = col[qualified]
        if col.size:
            lo[j], hi[j] = np.fmin.reduce(col), np.fmax.reduce(col)
    return lo, hi


def field_means(x: np.ndarray, qualified: np.ndarray, fallback: np.ndarray) -> np.ndarray:
    """Per criterion mean over the field (0 where nobody has a value)."""
    mask = field_mask(~np.isnan(x), qualified)
    count = mask.sum(axis=0)
    total = np.where(mask, x, 0.0).sum(axis=0)
    return np.divide(total, count, out=np.zeros_like(total), where=count > 0)


def bounds(
    scale: np.ndarray, mins: np.ndarray, maxs: np.ndarray, lo: np.ndarray, hi: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Per criterion ``(a, b)`` with ``s = (x − a)/(b − a)``: relative lo–hi, absolute
    Min–Max, yes/no 0–1."""
    a = np.where(scale == RELATIVE, lo, np.where(scale == ABSOLUTE, mins, 0.0))
    b = np.where(scale == RELATIVE, hi, np.where(scale == ABSOLUTE, maxs, 1.0))
    return a, b


def normalise(x: np.ndarray, a: np.ndarray, b: np.ndarray, lower: np.ndarray) -> np.ndarray:
    """``clip((x − a)/(b − a), 0, 1)``, flipped where ``lower``; 1 where ``a == b``.

    NaN stays NaN (missing). Works in place on one new array (a register of 100,000
    vendors × 50 criteria is a few passes over memory).
    """
    span = b - a
    degenerate = ~(span > 0)  # also NaN bounds: a criterion nobody answered
    s = np.subtract(x, np.where(degenerate, 0.0, a), order="C")  # row-major for row gathers
    np.divide(s, np.where(degenerate, 1.0, span), out=s)
    np.clip(s, 0.0, 1.0, out=s)
    if lower.any():
        np.subtract(1.0, s, out=s, where=lower[None, :])
    if degenerate.any():
        cols = np.flatnonzero(degenerate)
        s[:, cols] = np.where(np.isnan(x[:, cols]), np.nan, 1.0)
    return s


def qualified_means(s: np.ndarray, qualified: np.ndarray) -> np.ndarray:
    """Per criterion mean of ``s`` over the qualified vendors with a value (0 if none)."""
    mask = ~np.isnan(s) & qualified[:, None]
    count = mask.sum(axis=0)
    total = np.where(mask, s, 0.0).sum(axis=0)
    return np.divide(total, count, out=np.zeros_like(total), where=count > 0)


def fill_missing(
    s: np.ndarray,
    missing: np.ndarray,
    qualified: np.ndarray,
    fallback: np.ndarray | None,
    policy: str,
) -> np.ndarray:
    """Apply the missing-value ``policy`` (``worst``, ``mean`` or ``exclude``) to ``s``.

    Modifies and returns ``s``; ``missing`` is ``isnan(s)``. ``mean`` fills with
    :func:`qualified_means` (``fallback`` is not used: DESIGN §3.4 says 0 if no qualified
    vendor has a value).
    """
    if policy == "exclude" or not missing.any():
        return s
    fill = qualified_means(s, qualified) if policy == "mean" else np.zeros(s.shape[1])
    np.copyto(s, np.broadcast_to(fill, s.shape), where=missing)
    return s


def completeness(has_value: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Share of effective weight with a value, per vendor."""
    return np.clip(has_value @ w, 0.0, 1.0)


# -- the fused pass ----------------------------------------------------------------------
_BLOCK_BYTES = 1 << 19  # a column block of about 512 KiB stays in L2 while it is worked on


def column_blocks(n_rows: int, n_cols: int, budget: int = _BLOCK_BYTES) -> list[slice]:
    """Slices of adjacent columns holding about ``budget`` bytes of float64 each."""
    per = max(1, budget // (8 * max(n_rows, 1)))
    return [slice(j, min(j + per, n_cols)) for j in range(0, n_cols, per)]


class InfiniteValue(ValueError):
    """A raw value is ±inf; ``column`` is its criterion's index."""

    def __init__(self, column: int) -> None:
        super().__init__(column)
        self.column = column


@dataclass
class NormalisedColumns:
    """Everything :func:`normalise_columns` computes (vendors in input order).

    Attributes
    ----------
    s:
        Normalised scores after the policy, column-major (NaN where missing under
        ``exclude``).
    lo, hi:
        Raw min and max per criterion over its field (NaN when nobody has a value).
    fallback:
        True where no qualified vendor has a value (the field is every vendor).
    answered:
        True where some vendor has a value.
    present_w, missing_w:
        Per vendor, the effective weight with a value and without one.
    weighted:
        Per vendor ``Σ w_i s_i`` over the criteria it has a value for (after the policy).
    """

    s: np.ndarray
    lo: np.ndarray
    hi: np.ndarray
    fallback: np.ndarray
    answered: np.ndarray
    present_w: np.ndarray
    missing_w: np.ndarray
    weighted: np.ndarray

    @property
    def completeness(self) -> np.ndarray:
        """Share of effective weight with a value (exactly 1 with nothing missing)."""
        total = self.present_w + self.missing_w
        out = np.divide(self.present_w, total, out=np.zeros_like(total), where=total > 0)
        return np.clip(out, 0.0, 1.0, out=out)


def normalise_columns(
    x: np.ndarray,
    scale: np.ndarray,
    mins: np.ndarray,
    maxs: np.ndarray,
    lower: np.ndarray,
    qualified: np.ndarray,
    w: np.ndarray,
    policy: str,
) -> NormalisedColumns:
    """Field extremes, normalisation, missing policy, completeness and ``Σ w s``, fused.

    The same maths as :func:`field_extremes` → :func:`bounds` → :func:`normalise` →
    :func:`fill_missing` (bit for bit on ``s``), but one block of columns at a time, so the
    raw matrix is read from memory once and ``s`` written once.

    Raises
    ------
    InfiniteValue
        A value is ±inf (nothing is returned).
    """
    n, m = x.shape
    x = np.asfortranarray(x, dtype=float)
    s = np.empty((n, m), order="F")
    lo = np.full(m, np.nan)
    hi = np.full(m, np.nan)
    fallback = np.zeros(m, dtype=bool)
    answered = np.zeros(m, dtype=bool)
    present_w = np.zeros(n)
    missing_w = np.zeros(n)
    weighted = np.zeros(n)
    every = bool(qualified.all())
    # + 0 keeps a qualified vendor's value, + NaN hides a disqualified one from fmin/fmax
    hide = None if every else np.where(qualified, 0.0, np.nan)[:, None]
    worst = policy == "worst"
    for sl in column_blocks(n, m):
        xb, sb, wb = x[:, sl], s[:, sl], w[sl]
        miss = np.isnan(xb)
        amin, amax = np.fmin.reduce(xb, axis=0), np.fmax.reduce(xb, axis=0)
        if np.isinf(amin).any() or np.isinf(amax).any():
            bad = np.isinf(amin) | np.isinf(amax)
            raise InfiniteValue(sl.start + int(np.flatnonzero(bad)[0]))
        if hide is None:
            flo, fhi = amin, amax
        else:
            xq = xb + hide
            flo, fhi = np.fmin.reduce(xq, axis=0), np.fmax.reduce(xq, axis=0)
        fb = np.isnan(flo)  # no qualified vendor has a value: the field is everyone
        flo, fhi = np.where(fb, amin, flo), np.where(fb, amax, fhi)
        lo[sl], hi[sl], fallback[sl], answered[sl] = flo, fhi, fb, ~np.isnan(amin)
        a, b = bounds(scale[sl], mins[sl], maxs[sl], flo, fhi)
        span = b - a
        degenerate = ~(span > 0)
        np.subtract(xb, np.where(degenerate, 0.0, a), out=sb)
        np.divide(sb, np.where(degenerate, 1.0, span), out=sb)
        # 1 − s before clipping equals 1 − s after it, bit for bit (s ∈ [0, 1] or beyond)
        low = lower[sl]
        if low.all():
            np.subtract(1.0, sb, out=sb)
        elif low.any():
            np.subtract(1.0, sb, out=sb, where=low[None, :])
        if worst:  # fmax/fmin clip like np.clip, and also turn NaN (missing) into 0
            np.fmax(sb, 0.0, out=sb)
            np.fmin(sb, 1.0, out=sb)
        else:
            np.clip(sb, 0.0, 1.0, out=sb)
        if degenerate.any():
            cols = np.flatnonzero(degenerate)
            sb[:, cols] = np.where(miss[:, cols], 0.0 if worst else np.nan, 1.0)
        if not miss.any():
            present_w += wb.sum()
            weighted += _dot(sb, wb)
            continue
        present_w += _dot(~miss, wb)
        missing_w += _dot(miss, wb)
        if policy == "exclude":
            weighted += _dot(np.where(miss, 0.0, sb), wb)
            continue
        if policy == "mean":
            np.copyto(sb, np.broadcast_to(qualified_means(sb, qualified), sb.shape), where=miss)
        weighted += _dot(sb, wb)
    return NormalisedColumns(s, lo, hi, fallback, answered, present_w, missing_w, weighted)


def _dot(block: np.ndarray, w: np.ndarray) -> np.ndarray:
    """``block @ w``; a one-column block as a plain product (matmul is slow on (n, 1))."""
    if block.shape[1] == 1:
        return block[:, 0] * w[0]
    return block @ w
