"""Weighted sum model (docs/scoring.md §6): ``total = 100 · Σ w_i s_i``, and its exclude form.

Under the ``exclude`` missing-value policy each vendor's weights are renormalised over the
criteria it has, ``100 · Σ_{i with a value} w_i s_i / Σ_{i with a value} w_i``, and a vendor
with no weighted value scores 0 (docs/scoring.md §6). This module is the one home of both
rules; every caller (the scorer's fused pass, the ranking's frames, the sweeps and the
Monte Carlo of the stress tests) computes them with these functions:

* one weight vector, a complete matrix: :func:`wsm`, :func:`wsm_contributions`;
* one weight vector, NaN = missing: :func:`wsm_exclude`;
* the scorer's fused pass, a column at a time: :func:`add_weighted_column`, then
  :func:`exclude_row_scale` and :func:`scores_from_sums`;
* many weight vectors at once (weight samples): :func:`wsm_many`,
  :func:`wsm_many_excluding`;
* the renormalisation itself, from numerator and denominator: :func:`exclude_parts`,
  :func:`renormalise`;
* category scores from within-category shares: :func:`category_scores`, and where a
  vendor has none to show under ``exclude``: :func:`category_has_data`.

Plain functions over numpy arrays, no checks. Where two callers need the same quantity in
a different floating-point order (``Σ w s · (100 / Σ w)`` adds up exactly to the
contributions; ``100 · Σ w s / Σ w`` is what a ratio of sums gives) both forms are here,
each named for its use.
"""

from __future__ import annotations

import numpy as np


def wsm(s: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Scores ``100 · s @ w`` for a complete score matrix ``s`` (vendors × criteria)."""
    return 100.0 * (s @ w)


def wsm_contributions(
    s: np.ndarray, w: np.ndarray, row_scale: np.ndarray | None = None
) -> np.ndarray:
    """Points per vendor and criterion; each row adds up to the vendor's score.

    Without ``row_scale``: ``100 · w_i s_i``. With it (the ``exclude`` policy, from
    :func:`exclude_row_scale`): ``w_i s_i · row_scale_v``, 0 where ``s`` is NaN (missing).
    """
    if row_scale is None:
        return s * (100.0 * np.asarray(w))
    values = np.where(np.isnan(s), 0.0, s) * w
    values *= row_scale[:, None]
    return values


def exclude_row_scale(present_w: np.ndarray) -> np.ndarray:
    """``100 / Σ_{i with a value} w_i`` per vendor, 0 for a vendor with no weighted value.

    ``present_w`` is each vendor's effective weight with a value. Multiplying a vendor's
    ``Σ w s`` (or each ``w_i s_i``) by it renormalises the weights over what it has.
    """
    return np.divide(100.0, present_w, out=np.zeros_like(present_w), where=present_w > 0)


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
    scale = exclude_row_scale(np.where(has, w, 0.0).sum(axis=1))
    contributions = wsm_contributions(s, w, scale)
    return contributions.sum(axis=1), contributions


def add_weighted_column(
    weighted: np.ndarray,
    s_col: np.ndarray,
    wj: float,
    buf: np.ndarray,
    skip: np.ndarray | None = None,
) -> None:
    """``weighted += wj · s_col``, in place: one criterion's share of each ``Σ w s``.

    The scorer's fused pass adds the criteria one column at a time while each column is
    in the CPU cache. ``buf`` is scratch space of the column's length (it may be
    ``s_col`` itself); ``skip`` lists rows left out (missing under ``exclude``).
    """
    np.multiply(s_col, wj, out=buf)
    if skip is not None:
        buf[skip] = 0.0
    weighted += buf


def scores_from_sums(weighted: np.ndarray, row_scale: np.ndarray | None = None) -> np.ndarray:
    """Scores from each vendor's ``Σ w s``: ``100 · Σ w s``, or ``Σ w s · row_scale``
    under ``exclude`` (:func:`exclude_row_scale`)."""
    if row_scale is not None:
        return weighted * row_scale
    return 100.0 * weighted


def exclude_parts(s: np.ndarray, has: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``s`` with the cells a vendor has no value for set to 0, and ``has`` as 0/1 floats.

    For any weights ``w``, ``s0 @ w`` is each vendor's ``Σ_{i with a value} w_i s_i`` and
    ``m @ w`` its ``Σ_{i with a value} w_i``: the numerator and denominator that
    :func:`renormalise` divides.
    """
    return np.where(has, s, 0.0), has.astype(float)


def renormalise(points: np.ndarray, den: np.ndarray, floor: float = 0.0) -> np.ndarray:
    """``points / den``, and 0 where ``den ≤ floor`` (a vendor with no evidence scores 0).

    ``points`` is ``100 · Σ_{i with a value} w_i s_i``, ``den`` is ``Σ_{i with a value} w_i``.
    """
    ok = den > floor
    return np.where(ok, points / np.where(ok, den, 1.0), 0.0)


def wsm_many(W: np.ndarray, s: np.ndarray, has: np.ndarray | None = None) -> np.ndarray:
    """Scores for many weight vectors at once: ``100 · W sᵀ``, rows × vendors.

    Parameters
    ----------
    W:
        Weight vectors, one per row (e.g. Monte Carlo samples), rows × criteria.
    s:
        Normalised scores, vendors × criteria.
    has:
        For the ``exclude`` policy: True where the vendor has a value; each score is then
        renormalised over the criteria the vendor has (0 with no weight there). ``None``
        for the linear policies (``s`` complete).
    """
    if has is None:
        return 100.0 * (W @ s.T)
    return wsm_many_excluding(W, *exclude_parts(s, has))


def wsm_many_excluding(W: np.ndarray, s0: np.ndarray, m: np.ndarray) -> np.ndarray:
    """:func:`wsm_many` with a has-value mask, from ``s0, m = exclude_parts(s, has)``.

    For callers that score many chunks of weight vectors against the same vendors: the
    parts are built once, not once per chunk.
    """
    return renormalise(100.0 * (W @ s0.T), W @ m.T)


def category_scores(s: np.ndarray, shares: np.ndarray, exclude: bool = False) -> np.ndarray:
    """Vendors × categories, 0–100: ``100 · Σ_{i∈c} σ_i s_i``.

    ``shares`` is criteria × categories, each criterion's share ``σ_i`` of its category.
    Under ``exclude`` (``s`` NaN where missing) the shares are renormalised over the
    criteria the vendor has; a vendor with none in a category scores 0 there (the
    arithmetic's value; :func:`category_has_data` tells the outputs to show "no data").
    """
    A = shares
    if not exclude:
        values = 100.0 * (A.T @ s.T).T  # faster than s @ A for a thin A
    else:
        has = ~np.isnan(s)
        denom = (A.T @ has.T).T
        num = 100.0 * (A.T @ np.where(has, s, 0.0).T).T
        values = np.divide(num, denom, out=np.zeros_like(denom), where=denom > 0)
    np.clip(values, 0.0, 100.0, out=values)  # a weighted mean of s ∈ [0, 1]: rounding only
    return values


def category_has_data(s: np.ndarray, shares: np.ndarray) -> np.ndarray:
    """Vendors × categories, True where the vendor has a value (``s`` not NaN) in at least
    one criterion with a share of the category.

    Under ``exclude`` a False cell is one :func:`category_scores` fills with 0 for want of
    anything to average: not a score of 0 but no data, which the outputs show as blank.
    The same test as the minimum stage's "no value in any … criterion".
    """
    return (shares.T @ (~np.isnan(s)).T).T > 0
