"""Effective criterion weights (docs/scoring.md §2).

The user enters weights per criterion (relative within its category when a Categories
sheet exists, else relative to all criteria) and optionally per category. Scoring works on
*effective* weights ``w_i`` that sum to 1:

* with categories: ``w_i = (W_c / ΣW) · (v_i / Σ_{j∈c} v_j)``, ΣW over the categories that
  have criteria; a category of weight 0 gives its criteria weight 0;
* without: ``w_i = v_i / Σ_j v_j``.

:func:`hierarchical_weights` and :func:`flat_weights` are plain functions over arrays;
:func:`effective_weights` checks an :class:`~vendor_eval.core.model.Evaluation` and labels the
result.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from vendor_eval.core.model import Category, Criterion, Evaluation
from vendor_eval.core.problems import ScoringError


def flat_weights(v: np.ndarray) -> np.ndarray:
    """``v_i / Σ v`` (no checks: ``Σ v`` must be positive)."""
    v = np.asarray(v, dtype=float)
    return v / v.sum()


def hierarchical_weights(v: np.ndarray, cat: np.ndarray, cat_weights: np.ndarray) -> np.ndarray:
    """``(W_c / ΣW) · (v_i / Σ_{j∈c} v_j)`` (no checks).

    Parameters
    ----------
    v:
        Criterion weights as entered, shape ``(m,)``.
    cat:
        Index of each criterion's category into ``cat_weights``, shape ``(m,)``.
    cat_weights:
        Category weights ``W_c``; only categories that have criteria count in ``ΣW``.
        Categories of weight 0 may have criteria that all weigh 0 (they get weight 0).
    """
    v = np.asarray(v, dtype=float)
    cat = np.asarray(cat, dtype=np.intp)
    W = np.asarray(cat_weights, dtype=float)
    used = np.bincount(cat, minlength=len(W)) > 0
    total_w = W[used].sum()
    within = np.bincount(cat, weights=v, minlength=len(W))
    safe = np.where(within > 0, within, 1.0)
    return (W[cat] / total_w) * (v / safe[cat])


def within_category_shares(v: np.ndarray, cat: np.ndarray, n_categories: int) -> np.ndarray:
    """Each criterion's share of its category, ``v_i / Σ_{j∈c} v_j``.

    A category whose criteria all weigh 0 shares equally, so its category score is still
    defined (it simply counts for nothing in the total).
    """
    v = np.asarray(v, dtype=float)
    cat = np.asarray(cat, dtype=np.intp)
    within = np.bincount(cat, weights=v, minlength=n_categories)
    counts = np.bincount(cat, minlength=n_categories).astype(float)
    zero = within[cat] <= 0
    return np.where(zero, 1.0 / np.maximum(counts[cat], 1.0), v / np.where(zero, 1.0, within[cat]))


def _check_number(value: float, what: str) -> float:
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise ScoringError(f"{what} must be a number (is {value!r})") from None
    if not math.isfinite(x):
        raise ScoringError(f"{what} must be a finite number (is {value!r})")
    if x < 0:
        raise ScoringError(f"{what} must be 0 or more (is {value:g})")
    return x


def effective_weight_array(
    criteria: Sequence[Criterion], categories: Sequence[Category] | None
) -> np.ndarray:
    """Effective weights for ``criteria`` in their order, summing to 1 (docs/scoring.md §2).

    Raises
    ------
    ScoringError
        A weight that is negative or not a number; a criterion whose category is not in
        the Categories sheet; every weight zero; a category with weight > 0 whose criteria
        all weigh 0.
    """
    if not criteria:
        raise ScoringError("There are no criteria to score.")
    v = np.array([_check_number(c.weight, f"The weight of {c.name}") for c in criteria])
    if categories is None:
        if v.sum() <= 0:
            raise ScoringError("Every criterion weight is 0; give at least one a weight above 0.")
        return flat_weights(v)

    index = {k.name: i for i, k in enumerate(categories)}
    missing = sorted({c.category for c in criteria if c.category not in index})
    if missing:
        raise ScoringError("Categories not listed in the Categories sheet: " + ", ".join(missing))
    W = np.array([_check_number(k.weight, f"The weight of category {k.name}") for k in categories])
    cat = np.array([index[c.category] for c in criteria], dtype=np.intp)
    used = np.bincount(cat, minlength=len(W)) > 0
    within = np.bincount(cat, weights=v, minlength=len(W))
    empty = [categories[int(i)].name for i in np.flatnonzero(used & (W > 0) & (within <= 0))]
    if empty:
        raise ScoringError(
            "Categories with a weight above 0 whose criteria all weigh 0: "
            + ", ".join(empty)
            + "; give one of their criteria a weight or set the category weight to 0."
        )
    if W[used].sum() <= 0:
        raise ScoringError("Every category weight is 0; give at least one a weight above 0.")
    return hierarchical_weights(v, cat, W)


def effective_weights(evaluation: Evaluation) -> pd.Series:
    """Effective weights of ``evaluation`` as a Series (criterion name → ``w_i``)."""
    w = effective_weight_array(evaluation.criteria, evaluation.categories)
    return pd.Series(w, index=pd.Index(evaluation.criterion_names), name="weight")
