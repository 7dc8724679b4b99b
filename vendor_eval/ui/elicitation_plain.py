"""Streamlit-free helpers behind the weight helpers (:mod:`vendor_eval.ui.elicitation`) and the
scenarios tab; tested without a browser.

* Pairwise judgements for AHP as an editable table: one row per pair of categories, the
  judgement a label on Saaty's 1–9 scale (:data:`JUDGEMENTS`), turned into the reciprocal
  matrix :func:`vendor_eval.scoring.elicitation.ahp` expects.
* :func:`fit_to_sliders` puts relative weights (ROC, AHP) on the category sliders' own scale.
* :func:`scenario_from` / :func:`with_categories_table` capture the weights on screen as a
  :class:`~vendor_eval.stress.scenarios.Scenario` and make any evaluation able to take one.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from vendor_eval.core.model import Category, Evaluation
from vendor_eval.core.problems import VendorEvalError
from vendor_eval.stress.scenarios import Scenario
from vendor_eval.ui.tables import category_weights

_WORDS = {1: "equal", 3: "moderately", 5: "strongly", 7: "very strongly", 9: "extremely"}


def _label(value: int, left: bool) -> str:
    word = _WORDS.get(value, "")
    if value == 1:
        return "equal"
    return f"◀ {value} {word}".rstrip() if left else f"{word} {value} ▶".lstrip()


#: Judgement label → how many times more important the left item is than the right one.
#: "◀ 5 strongly" = the left item is strongly (5×) more important; "strongly 5 ▶" = the right.
JUDGEMENTS: dict[str, float] = {
    **{_label(k, True): float(k) for k in range(9, 1, -1)},
    "equal": 1.0,
    **{_label(k, False): 1.0 / k for k in range(2, 10)},
}
JUDGEMENT_COLUMNS = ["Category", "Judgement", "versus"]


def judgement_label(ratio: float) -> str:
    """The label nearest (on a log scale) to ``ratio`` = importance(left) / importance(right).

    Ratios beyond Saaty's scale are clipped to 9 (or 1/9); a zero weight on one side counts
    as an extreme judgement, zero on both sides as equal.
    """
    if math.isnan(ratio):
        return "equal"
    if ratio <= 0:
        return _label(9, False)
    if math.isinf(ratio):
        return _label(9, True)
    k = int(min(9, max(1, round(math.exp(abs(math.log(ratio)))))))
    return _label(k, ratio >= 1)


def default_judgements(weights: Mapping[str, float]) -> pd.DataFrame:
    """One row per pair (in the given order), judged from the current weights' ratios."""
    names = list(weights)
    rows = []
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            wa, wb = float(weights[a]), float(weights[b])
            ratio = math.nan if wa == wb == 0 else (math.inf if wb == 0 else wa / wb)
            rows.append({"Category": a, "Judgement": judgement_label(ratio), "versus": b})
    return pd.DataFrame(rows, columns=JUDGEMENT_COLUMNS, dtype=object)


def pairwise_matrix(names: Sequence[str], judgements: pd.DataFrame) -> np.ndarray:
    """The reciprocal comparison matrix from a judgements table (missing pairs = equal).

    Raises
    ------
    VendorEvalError
        For a pair whose judgement is not one of :data:`JUDGEMENTS` or a name not in
        ``names``.
    """
    index = {n: i for i, n in enumerate(names)}
    A = np.ones((len(names), len(names)))
    problems = []
    for row in judgements.to_dict("records"):
        a, b, label = row.get("Category"), row.get("versus"), row.get("Judgement")
        if a not in index or b not in index:
            problems.append(f"{a} vs {b}: not categories of this evaluation")
            continue
        value = JUDGEMENTS.get(str(label)) if label is not None else None
        if value is None:
            problems.append(f"{a} vs {b}: choose a judgement from the list (is {label!r})")
            continue
        A[index[a], index[b]] = value
        A[index[b], index[a]] = 1.0 / value
    if problems:
        raise VendorEvalError("; ".join(problems))
    return A


def fit_to_sliders(
    shares: Mapping[str, float], start: Mapping[str, float], top: float, step: float
) -> dict[str, float]:
    """Relative weights on the sliders' scale, rounded to their step.

    The new weights keep the sliders' current total (so a 0–100 model stays in hundreds)
    unless the largest would then pass the slider maximum ``top``, in which case the largest
    is set to ``top``. Only ratios matter to the score, so this changes nothing but the
    numbers the sliders show.
    """
    total_share = sum(float(v) for v in shares.values())
    if not total_share > 0:
        raise VendorEvalError("the weights to apply are all zero")
    rel = {k: float(v) / total_share for k, v in shares.items()}
    total = sum(float(v) for v in start.values()) or top
    biggest = max(rel.values())
    if biggest * total > top:
        total = top / biggest
    decimals = max(0, -math.floor(math.log10(step))) if step < 1 else 0
    return {k: min(top, round(round(r * total / step) * step, decimals)) for k, r in rel.items()}


def with_categories_table(evaluation: Evaluation) -> Evaluation:
    """The evaluation with an explicit Categories table (same effective weights)."""
    if evaluation.categories is not None:
        return evaluation
    return evaluation.with_categories(
        [Category(name, w) for name, w in category_weights(evaluation).items()]
    )


def scenario_from(evaluation: Evaluation, name: str) -> Scenario:
    """Every criterion and category weight of ``evaluation``, as a named scenario."""
    name = name.strip()
    if not name:
        raise VendorEvalError("give the scenario a name")
    return Scenario(
        name,
        criterion_weights={c.name: float(c.weight) for c in evaluation.criteria},
        category_weights=category_weights(evaluation),
    )
