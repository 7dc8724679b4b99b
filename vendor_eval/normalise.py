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

Missing values (policy): ``worst`` → 0; ``mean`` → the mean ``s`` over the field (0 if
nobody has a value); ``exclude`` → left as NaN, for the method to renormalise.
Completeness is the share of effective weight with a value, ``Σ_{i with a value} w_i``.

All functions here are plain functions over numpy arrays with no checks. ``qualified`` is
a boolean per vendor; ``fallback`` a boolean per criterion, True where the field is every
vendor because no qualified vendor has a value (:func:`fallback_columns`).
"""

from __future__ import annotations

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


def fill_missing(
    s: np.ndarray,
    missing: np.ndarray,
    qualified: np.ndarray,
    fallback: np.ndarray,
    policy: str,
) -> np.ndarray:
    """Apply the missing-value ``policy`` (``worst``, ``mean`` or ``exclude``) to ``s``.

    Modifies and returns ``s``; ``missing`` is ``isnan(s)``.
    """
    if policy == "exclude" or not missing.any():
        return s
    fill = field_means(s, qualified, fallback) if policy == "mean" else np.zeros(s.shape[1])
    np.copyto(s, np.broadcast_to(fill, s.shape), where=missing)
    return s


def completeness(has_value: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Share of effective weight with a value, per vendor."""
    return np.clip(has_value @ w, 0.0, 1.0)
