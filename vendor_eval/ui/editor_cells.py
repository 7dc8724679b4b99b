"""Plain (Streamlit-free) helpers behind the price parts of the weights panel: the criteria
editor's Formula and Max cells, and the category minimums table (docs/scoring.md §12).

Each reader returns the change to make and the problems it found, naming the editor row as
the analyst sees it; whether the formulas can then be scored (a budget needs its Max, a
ratio of a lower-is-better criterion values above 0) is the scorer's own check, run by
:func:`check_formulas`.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from vendor_eval.core.limits import MAX_MAGNITUDE
from vendor_eval.core.model import Category, Criterion, Evaluation, Formula, format_number
from vendor_eval.core.problems import VendorEvalError
from vendor_eval.scoring.price import check_values, formula_codes
from vendor_eval.workbook.importing.messages import show

__all__ = [
    "FORMULAS",
    "MINIMUM_COLUMNS",
    "category_minimums",
    "check_formulas",
    "formula_cell",
    "max_cell",
    "read_formula",
    "read_max",
    "with_category_minimums",
]

#: The Formula column's choices.
FORMULAS = [f.value for f in Formula]
MINIMUM_COLUMNS = ["Category", "Minimum"]


def _blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def formula_cell(criterion: Criterion) -> str | None:
    """What the Formula cell shows: the formula that scores the criterion (the default
    when the workbook leaves it blank), ``None`` on a scale without formulas."""
    formula = criterion.effective_formula
    return None if formula is None else formula.value


def max_cell(criterion: Criterion) -> float:
    """What the Max cell shows: a price criterion's budget ceiling, NaN otherwise."""
    if criterion.is_price and criterion.max is not None:
        return float(criterion.max)
    return math.nan


def read_formula(value: Any, criterion: Criterion, where: str) -> tuple[dict[str, object], str]:
    """The change a Formula cell makes (``{"formula": …}``, or none when it shows the
    formula already in use) and the problem with it (``""`` when none)."""
    if _blank(value):
        return ({"formula": None} if criterion.formula is not None else {}), ""
    try:
        formula = Formula.from_alias(value)
    except ValueError as exc:
        return {}, f"{where}: formula {exc}"
    if formula is criterion.effective_formula:
        return {}, ""
    return {"formula": formula}, ""


def read_max(value: Any, criterion: Criterion, where: str) -> tuple[dict[str, object], str]:
    """The change a Max cell makes (a price criterion's ``max``) and the problem with it."""
    if _blank(value):
        return ({"max": None} if criterion.is_price and criterion.max is not None else {}), ""
    try:
        x = float(value)
    except (TypeError, ValueError):
        x = math.nan
    shown = show(value) if isinstance(value, str) else format_number(x)
    if not criterion.is_price:
        return {}, f"{where}: Max is set here only for price criteria (the budget ceiling)"
    if not math.isfinite(x) or x <= 0 or x > MAX_MAGNITUDE:
        return {}, f"{where}: Max, the budget ceiling, must be a price greater than 0 (is {shown})"
    if criterion.max is not None and x == float(criterion.max):
        return {}, ""
    return {"max": x}, ""


def check_formulas(evaluation: Evaluation) -> None:
    """The scorer's checks of the formulas and the values they need (a budget needs Max; a
    ratio of a lower-is-better criterion needs values above 0, …), without scoring.

    Raises
    ------
    ScoringError
        As :func:`vendor_eval.scoring.price.formula_codes` and
        :func:`~vendor_eval.scoring.price.check_values` word it.
    """
    criteria = evaluation.criteria
    if formula_codes(criteria) is None:
        return
    picked = [c for c in criteria if c.is_price or c.effective_formula is Formula.RATIO]
    if picked:
        x = evaluation.values[[c.name for c in picked]].to_numpy(dtype=float, na_value=math.nan)
        check_values(x, picked, list(evaluation.vendors))


def _price_categories(evaluation: Evaluation) -> set[str]:
    return {c.category for c in evaluation.criteria if c.is_price}


def category_minimums(evaluation: Evaluation) -> pd.DataFrame:
    """The minimums table: each category without a price criterion (a minimum is judged
    before prices are compared) and its Minimum (NaN: none)."""
    minima = {k.name: k.minimum for k in evaluation.categories or ()}
    priced = _price_categories(evaluation)
    names = [n for n in evaluation.category_names if n not in priced]
    values = []
    for n in names:
        minimum = minima.get(n)
        values.append(math.nan if minimum is None else float(minimum))
    return pd.DataFrame({"Category": names, "Minimum": values}, columns=MINIMUM_COLUMNS)


def with_category_minimums(evaluation: Evaluation, edited: pd.DataFrame) -> Evaluation:
    """Apply the edited minimums table (matched by category name).

    A flat evaluation (no Categories sheet) gains one, its weights the categories' sums of
    criterion weights (the effective weights stay as they are), only when a minimum is set.

    Raises
    ------
    VendorEvalError
        Listing every minimum that is not a score from 0 to 100.
    """
    problems: list[str] = []
    chosen: dict[str, float | None] = {}
    for i, row in enumerate(edited.to_dict("records"), start=1):
        name = str(row["Category"])
        value: Any = row.get("Minimum")
        if _blank(value):
            chosen[name] = None
            continue
        try:
            x = float(value)
        except (TypeError, ValueError):
            x = math.nan
        if not 0.0 <= x <= 100.0:
            shown = show(value) if isinstance(value, str) else format_number(x)
            problems.append(
                f"{name} minimum (row {i}): a minimum is a score from 0 to 100 (is {shown})"
            )
            continue
        chosen[name] = x
    if problems:
        raise VendorEvalError("; ".join(problems))
    if evaluation.categories is None:
        if all(v is None for v in chosen.values()):
            return evaluation
        sums = dict.fromkeys(evaluation.category_names, 0.0)  # as the sliders start
        for c in evaluation.criteria:
            sums[c.category] += float(c.weight)
        return evaluation.with_categories(
            [Category(n, w, minimum=chosen.get(n)) for n, w in sums.items()]
        )
    categories = [
        Category(k.name, k.weight, k.description, chosen[k.name]) if k.name in chosen else k
        for k in evaluation.categories
    ]
    if categories == evaluation.categories:
        return evaluation
    return evaluation.with_categories(categories)
