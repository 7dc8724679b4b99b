"""Normalisation, missing-value policies and completeness (docs/scoring.md §4, §5).

Every criterion is turned into a score ``s ∈ [0, 1]``:

* ``yes/no``: yes = 1, no = 0 (an evaluators' consensus between 0 and 1 is kept as is);
* ``absolute``: ``clip((x − Min) / (Max − Min), 0, 1)``;
* ``relative``: ``(x − lo) / (hi − lo)`` with ``lo``, ``hi`` the min and max over the
  *field*: the qualified vendors that have a value. If no qualified vendor has a value, the
  field is every vendor that has one (so an all-disqualified shortlist is still compared).
  Disqualified vendors use the same ``lo``, ``hi``, clipped to [0, 1];
* direction ``lower``: ``s := 1 − s``;
* when the bounds coincide (``hi == lo``: everybody in the field has the same value), or
  lie within ``RANGE_TOLERANCE`` (1e-9) of their magnitude of each other (94.9 typed beside
  ``=80.3+14.6``, docs/scoring.md §4.6), every vendor with a value gets 1, whatever the
  direction: nobody can be told apart, so nobody loses points
  (:func:`vendor_eval.scoring.ranks.equal_bounds`).

Missing values (policy): ``worst`` → 0; ``mean`` → the mean ``s`` of the *qualified*
vendors that have a value, 0 if none does (docs/scoring.md §5: no fallback to the
disqualified here); ``exclude`` → left as NaN, for the method to renormalise.
Completeness is the share of effective weight with a value, ``Σ_{i with a value} w_i``.

:func:`normalise_columns` does all of this (and the weighted sums, with
:func:`vendor_eval.scoring.methods.wsm.add_weighted_column`) in one pass over the matrix, a
column at a time so each column stays in the CPU cache; the separate functions are the
same maths one step at a time.

All functions here are plain functions over numpy arrays with no checks. ``qualified`` is
a boolean per vendor; ``fallback`` a boolean per criterion, True where the field is every
vendor because no qualified vendor has a value (:func:`fallback_columns`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import cast

import numpy as np

from vendor_eval.scoring.methods.wsm import add_weighted_column
from vendor_eval.scoring.ranks import equal_bounds, equal_bounds_columns

RELATIVE = 0
ABSOLUTE = 1
YESNO = 2

# Formula codes of a relative (or price) column (docs/scoring.md §12): min–max, ratio to
# the best value, or full marks at the lowest bid falling to 0 at the ceiling Max.
LINEAR = 0
RATIO = 1
BUDGET = 2

# How _ColumnParams.column turns a value into a score.
_AFFINE = 0  # clip((x − a) / span, 0, 1), flipped where lower
_RATIO_UP = 1  # clip(x / a, 0, 1): a = the field's highest value
_RATIO_DOWN = 2  # clip(a / x, 0, 1): a = the field's lowest value
_STEP = 3  # 1 if x ≤ a else 0: a budget ceiling at or below the lowest bid


def fallback_columns(has_value: np.ndarray, qualified: np.ndarray) -> np.ndarray:
    """Per criterion: True where no qualified vendor has a value (the field is everyone)."""
    if qualified.all():
        # has_value is 2-D, so any(axis=0) is an array (the stubs also allow a numpy bool)
        return cast(np.ndarray, ~has_value.any(axis=0))
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
    """``clip((x − a)/(b − a), 0, 1)``, flipped where ``lower``; 1 where the bounds are
    equal (within the tolerance of docs/scoring.md §4.6).

    NaN stays NaN (missing). Works in place on one new array (a register of 100,000
    vendors × 50 criteria is a few passes over memory).
    """
    span = b - a
    degenerate = equal_bounds_columns(a, b)  # also NaN bounds: a criterion nobody answered
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
    :func:`qualified_means` (``fallback`` is not used: docs/scoring.md §5 says 0 if no
    qualified vendor has a value).
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
class InfiniteValue(ValueError):
    """A raw value is ±inf; ``column`` is its criterion's index."""

    def __init__(self, column: int) -> None:
        super().__init__(column)
        self.column = column


class NormalisedColumns:
    """Everything :func:`normalise_columns` computes (vendors in input order).

    Attributes
    ----------
    s:
        Normalised scores after the policy, column-major (NaN where missing under
        ``exclude``). A register of 100,000 vendors × 50 criteria makes this a 40 MB matrix
        that most callers never read (the totals are summed column by column in the CPU
        cache), so it is built on first access, by the very function the totals were summed
        from: the values are the same bit for bit. Pass ``lazy=False`` to
        :func:`normalise_columns` to build it at once.
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

    def __init__(
        self,
        x: np.ndarray,
        params: _ColumnParams,
        lo: np.ndarray,
        hi: np.ndarray,
        fallback: np.ndarray,
        answered: np.ndarray,
        present_w: np.ndarray,
        missing_w: np.ndarray,
        weighted: np.ndarray,
        s: np.ndarray | None = None,
    ) -> None:
        self._x, self._params, self._s = x, params, s
        self.lo, self.hi, self.fallback, self.answered = lo, hi, fallback, answered
        self.present_w, self.missing_w, self.weighted = present_w, missing_w, weighted

    @property
    def s(self) -> np.ndarray:
        if self._s is None:
            x, p = self._x, self._params
            s = np.empty(x.shape, order="F")
            for j in range(x.shape[1]):
                xc = x[:, j]
                p.column(j, xc, _missing_rows(xc), s[:, j])
            self._s = s
        return self._s

    @property
    def completeness(self) -> np.ndarray:
        """Share of effective weight with a value (exactly 1 with nothing missing)."""
        total = self.present_w + self.missing_w
        out = np.divide(self.present_w, total, out=np.zeros_like(total), where=total > 0)
        return np.clip(out, 0.0, 1.0, out=out)


@dataclass
class _ColumnParams:
    """Per criterion: ``s = clip((x − a)/span, 0, 1)``, flipped where ``lower``, 1 where
    ``degenerate``, ``fill`` where missing (NaN under ``exclude``); or, where ``kind``
    says so, a ratio ``x / a`` or ``a / x``, or a step ``x ≤ a``."""

    a: np.ndarray
    span: np.ndarray
    lower: np.ndarray
    degenerate: np.ndarray
    fill: np.ndarray
    kind: np.ndarray | None = None

    def column(self, j: int, xc: np.ndarray, rows: np.ndarray | None, out: np.ndarray) -> None:
        """Write criterion ``j``'s scores into ``out`` (``rows``: its missing cells)."""
        kind = _AFFINE if self.kind is None else int(self.kind[j])
        if kind == _AFFINE:
            np.subtract(xc, self.a[j], out=out)
            np.divide(out, self.span[j], out=out)
            # 1 − s before clipping equals 1 − s after it, bit for bit (s ∈ [0, 1] or beyond)
            if self.lower[j]:
                np.subtract(1.0, out, out=out)
        elif kind == _RATIO_UP:
            # a = 0 (every value 0) is degenerate: 0 / 0 is overwritten with 1 below
            with np.errstate(divide="ignore", invalid="ignore"):
                np.divide(xc, self.a[j], out=out)
        elif kind == _RATIO_DOWN:
            with np.errstate(divide="ignore"):
                np.divide(self.a[j], xc, out=out)
        else:  # _STEP; NaN compares False, so missing cells are put back to NaN
            np.less_equal(xc, self.a[j], out=out, casting="unsafe")
            out[np.isnan(xc)] = math.nan
        np.clip(out, 0.0, 1.0, out=out)  # NaN (missing) stays NaN here
        if self.degenerate[j]:
            out.fill(1.0)  # everybody in the field alike: nobody loses points
        if rows is not None:
            out[rows] = self.fill[j]


def _nonlinear(
    params: _ColumnParams, j: int, form: int, flo: float, fhi: float, ceiling: float
) -> None:
    """Set column ``j``'s parameters for the ``ratio`` or ``budget`` formula over a field
    whose lowest and highest values are ``flo``, ``fhi`` (NaN: nobody answered)."""
    assert params.kind is not None
    if math.isnan(flo):
        params.degenerate[j] = True  # nobody has a value: the missing fill decides
        return
    lower = bool(params.lower[j])
    params.lower[j] = False  # the kind carries the direction
    if form == RATIO and not lower:  # s = x / x_high; x_high = 0 → every s = 1
        params.kind[j], params.a[j] = _RATIO_UP, fhi
        params.degenerate[j] = fhi == 0.0
    elif form == RATIO:  # s = x_low / x
        params.kind[j], params.a[j] = _RATIO_DOWN, flo
    elif ceiling > flo:  # s = (Max − p) / (Max − p_low), 1 at or below p_low, 0 above Max
        params.kind[j], params.a[j], params.span[j] = _AFFINE, ceiling, flo - ceiling
    else:  # the ceiling is at or below the lowest bid: within budget 1, above it 0
        params.kind[j], params.a[j] = _STEP, ceiling


def _missing_rows(xc: np.ndarray) -> np.ndarray | None:
    miss = np.isnan(xc)
    return np.flatnonzero(miss) if miss.any() else None


def normalise_columns(
    x: np.ndarray,
    scale: np.ndarray,
    mins: np.ndarray,
    maxs: np.ndarray,
    lower: np.ndarray,
    qualified: np.ndarray,
    w: np.ndarray,
    policy: str,
    *,
    lazy: bool = True,
    formula: np.ndarray | None = None,
    stage2: np.ndarray | None = None,
    qualified2: np.ndarray | None = None,
) -> NormalisedColumns:
    """Field extremes, normalisation, missing policy, completeness and ``Σ w s``, fused.

    The same maths as :func:`field_extremes` → :func:`bounds` → :func:`normalise` →
    :func:`fill_missing` (bit for bit on ``s``), one criterion at a time so each column is
    read from memory once and worked on in the CPU cache: its extremes over every vendor
    and over the field, its scores (into a scratch column), its missing cells (for the
    policy and the missing weight) and its share of ``Σ w s``. ``present_w`` is the total
    weight minus the missing weight, both summed in criteria order (so a vendor with no
    value has exactly 0). The score matrix ``s`` itself is built when first read
    (``lazy=True``) or here (``lazy=False``), by the same per-column function.

    The staged evaluation (docs/scoring.md §12) adds two optional inputs: ``formula``, per
    criterion the code :data:`LINEAR`, :data:`RATIO` or :data:`BUDGET` of a relative
    column (the budget's ceiling is its ``maxs`` entry), and ``stage2``, True for the
    columns (the prices) whose field is ``qualified2`` (the vendors that passed the
    quality stage) instead of ``qualified``. Without them the result is exactly the
    min–max one.

    Raises
    ------
    InfiniteValue
        A value is ±inf (nothing is returned).
    """
    n, m = x.shape
    x = np.asfortranarray(x, dtype=float)
    w = np.asarray(w, dtype=float)
    s = None if lazy else np.empty((n, m), order="F")
    lo, hi = np.full(m, np.nan), np.full(m, np.nan)
    fallback, answered = np.zeros(m, dtype=bool), np.zeros(m, dtype=bool)
    params = _ColumnParams(np.zeros(m), np.ones(m), np.array(lower, dtype=bool),
                           np.zeros(m, dtype=bool), np.zeros(m))  # fmt: skip
    if formula is not None and bool(np.any(formula != LINEAR)):
        params.kind = np.zeros(m, dtype=np.int8)
    missing_w, weighted = np.zeros(n), np.zeros(n)
    fields = [qualified] if qualified2 is None else [qualified, qualified2]
    # + 0 keeps a qualified vendor's value, + NaN hides a disqualified one from fmin/fmax
    hides = [None if q.all() else np.where(q, 0.0, np.nan) for q in fields]
    buf = np.empty(n)
    worst, exclude = policy == "worst", policy == "exclude"
    total_w = 0.0
    for j in range(m):
        xc = x[:, j]
        amin, amax = float(np.fmin.reduce(xc)), float(np.fmax.reduce(xc))
        if math.isinf(amin) or math.isinf(amax):
            raise InfiniteValue(j)
        k = 1 if stage2 is not None and qualified2 is not None and stage2[j] else 0
        field_q, hide = fields[k], hides[k]
        flo, fhi = amin, amax
        if hide is not None:
            np.add(xc, hide, out=buf)
            flo, fhi = float(np.fmin.reduce(buf)), float(np.fmax.reduce(buf))
        if math.isnan(flo):  # no qualified vendor has a value: the field is everyone
            flo, fhi, fallback[j] = amin, amax, True
        lo[j], hi[j], answered[j] = flo, fhi, not math.isnan(amin)
        form = LINEAR if formula is None or scale[j] != RELATIVE else int(formula[j])
        if form != LINEAR:
            _nonlinear(params, j, form, flo, fhi, float(maxs[j]))
        else:
            if scale[j] == RELATIVE:
                a, b = flo, fhi
            elif scale[j] == ABSOLUTE:
                a, b = float(mins[j]), float(maxs[j])
            else:
                a, b = 0.0, 1.0
            if equal_bounds(a, b):  # equal bounds (docs/scoring.md §4.6), or NaN: nobody answered
                params.degenerate[j] = True
            else:
                params.a[j], params.span[j] = a, b - a
        rows = _missing_rows(xc)
        out = buf if s is None else s[:, j]
        wj = float(w[j])
        total_w += wj
        if rows is None:
            params.column(j, xc, None, out)
            add_weighted_column(weighted, out, wj, buf)
            continue
        missing_w[rows] += wj
        if worst:
            params.fill[j] = 0.0
        elif exclude:
            params.fill[j] = math.nan
        else:  # the mean of the qualified vendors with a value, 0 if none
            params.column(j, xc, None, out)
            out[rows] = math.nan
            params.fill[j] = qualified_means(out[:, None], field_q)[0]
        params.column(j, xc, rows, out)
        add_weighted_column(weighted, out, wj, buf, rows if exclude else None)
    present_w = total_w - missing_w
    return NormalisedColumns(
        x, params, lo, hi, fallback, answered, present_w, missing_w, weighted, s
    )
