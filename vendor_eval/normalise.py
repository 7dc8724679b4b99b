"""Normalisation, missing-value policies and completeness (DESIGN §3.3, §3.4).

Every criterion is turned into a score ``s ∈ [0, 1]``:

* ``yes/no``: yes = 1, no = 0 (an evaluators' consensus between 0 and 1 is kept as is);
* ``absolute``: ``clip((x − Min) / (Max − Min), 0, 1)``;
* ``relative``: ``(x − lo) / (hi − lo)`` with ``lo``, ``hi`` the min and max over the
  *reference field*: the qualified vendors that have a value. If no qualified vendor has a
  value, the field is every vendor that has one (so an all-disqualified shortlist is still
  compared). Disqualified vendors use the same ``lo``, ``hi``, clipped to [0, 1];
* direction ``lower``: ``s := 1 − s``;
* when the bounds coincide (``hi == lo``: everybody in the field has the same value) every
  vendor with a value gets 1, whatever the direction: nobody can be told apart, so nobody
  loses points.

Missing values (policy): ``worst`` → 0; ``mean`` → the mean ``s`` over the reference field
(0 if nobody has a value); ``exclude`` → left as NaN, for the method to renormalise.
Completeness is the share of effective weight with a value, ``Σ_{i with a value} w_i``.

All functions here are plain functions over numpy arrays with no checks.
"""

from __future__ import annotations

import numpy as np

RELATIVE = 0
ABSOLUTE = 1
YESNO = 2


def reference_mask(has_value: np.ndarray, qualified: np.ndarray) -> np.ndarray:
    """Vendors × criteria: the rows that define each criterion's field.

    The qualified vendors with a value; for a criterion no qualified vendor answered, every
    vendor with a value.
    """
    ref = has_value & qualified[:, None]
    empty = ~ref.any(axis=0)
    if empty.any():
        ref[:, empty] = has_value[:, empty]
    return ref


def bounds(
    x: np.ndarray,
    scale: np.ndarray,
    mins: np.ndarray,
    maxs: np.ndarray,
    reference: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Per criterion ``(a, b)`` such that ``s = (x − a) / (b − a)`` before clipping.

    Relative: the min and max over ``reference`` (±inf when it is empty); absolute: Min and
    Max; yes/no: 0 and 1.
    """
    lo = np.where(reference, x, np.inf).min(axis=0)
    hi = np.where(reference, x, -np.inf).max(axis=0)
    a = np.where(scale == RELATIVE, lo, np.where(scale == ABSOLUTE, mins, 0.0))
    b = np.where(scale == RELATIVE, hi, np.where(scale == ABSOLUTE, maxs, 1.0))
    return a, b


def normalise(x: np.ndarray, a: np.ndarray, b: np.ndarray, lower: np.ndarray) -> np.ndarray:
    """``clip((x − a)/(b − a), 0, 1)``, flipped where ``lower``; 1 where ``a == b``.

    NaN stays NaN (missing).
    """
    span = b - a
    degenerate = ~(span > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        s = np.clip((x - a) / np.where(degenerate, 1.0, span), 0.0, 1.0)
    s = np.where(lower, 1.0 - s, s)
    if degenerate.any():
        s = np.where(degenerate & ~np.isnan(x), 1.0, s)
    return s


def fill_missing(s: np.ndarray, reference: np.ndarray, policy: str) -> np.ndarray:
    """Apply the missing-value ``policy`` (``worst``, ``mean`` or ``exclude``) to ``s``.

    ``reference`` is :func:`reference_mask`: the field whose mean ``mean`` uses.
    """
    missing = np.isnan(s)
    if policy == "exclude" or not missing.any():
        return s
    if policy == "mean":
        count = reference.sum(axis=0)
        total = np.where(reference, s, 0.0).sum(axis=0)
        fill = np.divide(total, count, out=np.zeros_like(total), where=count > 0)
    else:
        fill = np.zeros(s.shape[1])
    return np.where(missing, fill, s)


def completeness(has_value: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Share of effective weight with a value, per vendor."""
    return np.clip(has_value.astype(float) @ w, 0.0, 1.0)
