"""Price and the staged evaluation (docs/scoring.md §12).

Public and most private tenders open prices only for the bidders that pass a quality
minimum, and score price as "lowest bid ÷ this bid". The scorer runs four stages:

1. gates → the set Q1 (:mod:`vendor_eval.scoring.gates`);
2. every non-price criterion normalised over Q1 exactly as without stages; a category
   ``Minimum`` disqualifies a vendor whose category score is below it, the settings'
   ``Quality minimum`` one whose quality score
   ``q = 100 · Σ_{non-price} w_i s_i / Σ_{non-price} w_i`` is below it → the set Q2
   (:func:`minimum_failures`);
3. price criteria normalised over Q2 with their formula (ratio ``p_low / p``, linear, or
   budget against the ceiling Max) (:mod:`vendor_eval.scoring.normalise`);
4. total and rank over Q2.

"Below" is strictly below: a score within :data:`MINIMUM_TOLERANCE` points of the minimum
meets it. Minimums are judged only for the vendors that passed the gates, on the scores
after the missing-value policy; under ``exclude`` a vendor with no value in any weighted
criterion of a category (or in any weighted non-price criterion) cannot show that it meets
a minimum above 0 and is disqualified, with a reason that says so (a minimum of 0 asks for
nothing, so it always passes).

This module holds the formulas' codes and the checks of the values they need, and the
minimum stage; the per-column arithmetic is the normaliser's fused pass.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from vendor_eval.core.model import Category, Criterion, Direction, Formula, Scale, format_number
from vendor_eval.core.problems import ScoringError
from vendor_eval.scoring import normalise as nz
from vendor_eval.scoring.methods.wsm import category_scores

__all__ = [
    "MINIMUM_TOLERANCE",
    "MinimumResult",
    "check_values",
    "formula_codes",
    "minimum_failures",
    "minimum_reason",
    "quality_reason",
]

#: A score this close to its minimum (in points) meets it: the weighted mean that made it
#: may land a rounding error below a minimum it equals.
MINIMUM_TOLERANCE = 1e-9

_CODES = {Formula.LINEAR: nz.LINEAR, Formula.RATIO: nz.RATIO, Formula.BUDGET: nz.BUDGET}


def formula_codes(criteria: Sequence[Criterion]) -> np.ndarray | None:
    """Per criterion the normaliser's formula code, or ``None`` when every relative
    criterion is linear and there is no price (the unstaged, min–max case).

    Raises
    ------
    ScoringError
        A formula on a scale that has none, a budget without a ceiling, a ratio price
        with a ceiling that is not a number.
    """
    codes = np.zeros(len(criteria), dtype=np.int8)
    for j, c in enumerate(criteria):
        scale = Scale.from_alias(c.scale)
        formula = c.effective_formula
        if formula is None:
            if c.formula is not None:
                raise ScoringError(
                    f"{c.name}: a Formula applies to relative and price criteria only "
                    f"(this one is {scale.value})."
                )
            continue
        if formula is Formula.BUDGET:
            if scale is not Scale.PRICE:
                raise ScoringError(f"{c.name}: the budget formula applies to price criteria only.")
            if c.max is None or not math.isfinite(c.max) or c.max <= 0:
                raise ScoringError(
                    f"{c.name}: the budget formula needs Max, the budget ceiling (a price > 0)."
                )
        codes[j] = _CODES[formula]
    if not codes.any() and not any(c.is_price for c in criteria):
        return None
    return codes


def check_values(x: np.ndarray, criteria: Sequence[Criterion], vendors: Sequence[str]) -> None:
    """Refuse values a formula cannot score: a price must be > 0, a lower-is-better ratio
    value > 0, a higher-is-better ratio value ≥ 0 (the importer names the cells; this is
    the scorer's own check for evaluations built or edited in code or the dashboard).

    Raises
    ------
    ScoringError
        Naming the criterion and the first vendor (and how many more).
    """
    for j, c in enumerate(criteria):
        formula = c.effective_formula
        if c.is_price:
            bad, need = x[:, j] <= 0, "a price must be greater than 0"
        elif formula is Formula.RATIO and Direction.from_alias(c.direction) is Direction.LOWER:
            bad, need = x[:, j] <= 0, "the ratio formula needs values greater than 0"
        elif formula is Formula.RATIO:
            bad, need = x[:, j] < 0, "the ratio formula needs values of 0 or more"
        else:
            continue
        rows = np.flatnonzero(bad)  # NaN compares False: missing values are not refused
        if rows.size:
            first = vendors[int(rows[0])]
            more = f" (and {rows.size - 1} more)" if rows.size > 1 else ""
            raise ScoringError(
                f"{c.name}: {need}; {first} has {format_number(float(x[rows[0], j]))}{more}."
            )


def _shown(score: float, minimum: float) -> str:
    """``score`` with one decimal, or as many more as it takes not to read as the minimum
    or above it (59.96 → ``59.96``, not ``60.0``)."""
    for digits in range(1, 10):
        text = f"{score:.{digits}f}"
        if float(text) < minimum:
            return text
    return repr(float(score))


def minimum_reason(category: str, score: float | None, minimum: float) -> str:
    """``Capability score 54.2 is below the minimum 60`` (``None``: no value at all)."""
    if score is None:
        return (
            f"no value in any {category} criterion, so it cannot meet the {category} "
            f"minimum {format_number(minimum)}"
        )
    return (
        f"{category} score {_shown(score, minimum)} is below the minimum {format_number(minimum)}"
    )


def quality_reason(score: float | None, minimum: float) -> str:
    """``quality score 61.3 is below the minimum 70`` (``None``: no value at all)."""
    if score is None:
        return (
            "no value in any non-price criterion, so it cannot meet the quality minimum "
            f"{format_number(minimum)}"
        )
    return f"quality score {_shown(score, minimum)} is below the minimum {format_number(minimum)}"


@dataclass(frozen=True)
class MinimumResult:
    """The minimum stage: who remains (``qualified``, the set Q2) and why the others do
    not (``reasons``: row → reasons in Categories order, then the quality minimum).

    ``category_scores`` (vendors × the categories with a minimum) and ``quality`` (per
    vendor, NaN without a quality minimum) are the scores judged, NaN where a vendor has
    no value to judge or did not pass the gates.
    """

    qualified: np.ndarray
    reasons: dict[int, list[str]]
    categories: list[str]
    category_scores: np.ndarray
    quality: np.ndarray


def minimum_failures(
    s: np.ndarray,
    gate_qualified: np.ndarray,
    criteria: Sequence[Criterion],
    weights: np.ndarray,
    shares: np.ndarray,
    category_names: Sequence[str],
    categories: Sequence[Category] | None,
    quality_minimum: float | None,
    exclude: bool,
) -> MinimumResult:
    """Judge the category and quality minimums (stage 2 of the module docstring).

    Parameters
    ----------
    s:
        Vendors × criteria, the normalised scores after the missing policy over Q1 (NaN
        where missing under ``exclude``); the price columns are not read.
    gate_qualified:
        Q1, the vendors that passed the gates: the only ones judged.
    weights, shares:
        The effective weights and the criteria × categories within-category shares.
    category_names:
        The columns of ``shares``.
    categories, quality_minimum:
        The minimums (a category's ``minimum``; the settings' quality minimum).

    Raises
    ------
    ScoringError
        A minimum on a category that holds a price criterion, or a quality minimum with no
        non-price weight to judge it by.
    """
    n = s.shape[0]
    price = np.array([c.is_price for c in criteria], dtype=bool)
    quality_cols = ~price
    reasons: dict[int, list[str]] = {}
    judged = np.flatnonzero(gate_qualified)
    minima = {k.name: k.minimum for k in categories or () if k.minimum is not None}
    names = [c for c in category_names if c in minima]
    cat_values = np.full((n, len(names)), np.nan)
    sq = np.where(quality_cols[None, :], s, 0.0 if not exclude else np.nan)
    for k, name in enumerate(names):
        col = list(category_names).index(name)
        members = shares[:, col] > 0
        in_cat = np.array([c.category == name for c in criteria], dtype=bool)
        held = [c.name for c, p, m in zip(criteria, price, in_cat, strict=True) if p and m]
        if held:
            raise ScoringError(
                f"The {name} minimum cannot be applied: {name} holds the price criterion "
                f"{held[0]}, and prices are compared only after the minimums."
            )
        if not members.any():  # all weights 0 share equally (within_category_shares)
            members = in_cat
        values = category_scores(sq[judged][:, members], shares[members][:, [col]], exclude)
        has = np.ones(judged.size, dtype=bool)
        if exclude:
            has = np.asarray((~np.isnan(sq[judged][:, members])).any(axis=1), dtype=bool)
        cat_values[judged, k] = np.where(has, values[:, 0], np.nan)
        minimum = float(minima[name])
        col_scores = values[:, 0]
        # only the vendors that fail are visited (a register of 100,000 mostly passes)
        failing = (~has & (minimum > 0)) | (has & (col_scores < minimum - MINIMUM_TOLERANCE))
        rows = np.flatnonzero(failing)
        for i, v, ok in zip(
            judged[rows].tolist(), col_scores[rows].tolist(), has[rows].tolist(), strict=True
        ):
            if not ok:
                if minimum > 0:  # a minimum of 0 asks for nothing: nothing to show
                    reasons.setdefault(i, []).append(minimum_reason(name, None, minimum))
            elif v < minimum - MINIMUM_TOLERANCE:
                reasons.setdefault(i, []).append(minimum_reason(name, v, minimum))
    quality = np.full(n, np.nan)
    if quality_minimum is not None:
        wq = np.where(quality_cols, weights, 0.0)
        if not wq.sum() > 0:
            raise ScoringError(
                "The quality minimum needs at least one non-price criterion with weight."
            )
        sj = sq[judged]
        present = ~np.isnan(sj)
        num = 100.0 * (np.where(present, sj, 0.0) @ wq)
        den = present.astype(float) @ wq
        q = np.divide(num, den, out=np.full(judged.size, np.nan), where=den > 0)
        np.clip(q, 0.0, 100.0, out=q)
        quality[judged] = q
        minimum = float(quality_minimum)
        nan = np.isnan(q)
        with np.errstate(invalid="ignore"):
            failing = (nan & (minimum > 0)) | (~nan & (q < minimum - MINIMUM_TOLERANCE))
        rows = np.flatnonzero(failing)
        for i, v in zip(judged[rows].tolist(), q[rows].tolist(), strict=True):
            if math.isnan(v):
                if minimum > 0:
                    reasons.setdefault(i, []).append(quality_reason(None, minimum))
            elif v < minimum - MINIMUM_TOLERANCE:
                reasons.setdefault(i, []).append(quality_reason(v, minimum))
    qualified = gate_qualified.copy()
    if reasons:
        qualified[list(reasons)] = False
    return MinimumResult(qualified, reasons, names, cat_values, quality)
