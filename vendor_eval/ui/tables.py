"""Plain (Streamlit-free) helpers behind the dashboard's tables and weight edits.

Every number the dashboard shows comes from a :class:`~vendor_eval.scoring.ranking.Ranking`; these
functions only select, label and arrange it, and turn the weights panel's edits back into
an :class:`~vendor_eval.core.model.Evaluation`. They are tested without a browser.
"""

from __future__ import annotations

import hashlib
import math
import pickle
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from vendor_eval.core.limits import MAX_MAGNITUDE
from vendor_eval.core.model import (
    Category,
    Direction,
    Evaluation,
    Method,
    Scale,
    format_number,
)
from vendor_eval.core.problems import VendorEvalError
from vendor_eval.scoring.breakdown import D_MINUS, D_PLUS, TopsisBreakdown, topsis_breakdown
from vendor_eval.scoring.ranking import DISQUALIFIED, Ranking, stage_label
from vendor_eval.ui.editor_cells import formula_cell, max_cell, read_formula, read_max
from vendor_eval.ui.scored import scored_note
from vendor_eval.workbook.importing.cells import parse_must
from vendor_eval.workbook.importing.messages import CellError, show
from vendor_eval.workbook.values import format_value

EDITOR_COLUMNS = [
    "Criterion", "Category", "Weight", "Direction", "Must", "Scale", "Formula", "Max",
    "Description",
]  # fmt: skip


def fingerprint(evaluation: Evaluation) -> str:
    """SHA-256 of the evaluation's whole content: the cache key for scoring it.

    Two evaluations with the same fingerprint hold the same data, so a shared cache keyed
    by it can never hand one user's result to another user with different data.
    """
    return hashlib.sha256(pickle.dumps(evaluation, protocol=5)).hexdigest()


@dataclass(frozen=True)
class Headline:
    """The three numbers at the top of the page."""

    leader: str | None
    leader_score: float | None
    margin: float | None
    runner_up: str | None
    qualified: int
    vendors: int


def headline(ranking: Ranking) -> Headline:
    """Leader, its score, its margin over the next qualified vendor, and how many qualify."""
    q = ranking.qualified
    lead = q[0] if q else None
    second = q[1] if len(q) > 1 else None
    return Headline(
        leader=lead,
        leader_score=ranking.score(lead) if lead else None,
        margin=ranking.score(q[0]) - ranking.score(q[1]) if second else None,
        runner_up=second,
        qualified=len(q),
        vendors=len(ranking.vendors),
    )


def ranking_tables(
    ranking: Ranking, breakdown: TopsisBreakdown | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ranking table split into qualified (ranked) and disqualified vendors.

    Columns are ordered for reading on a screen, most telling first: qualified vendors
    ``Rank, Vendor, Score, Completeness, <categories>`` (plus ``Reasons`` only when some
    qualified vendor has one); disqualified vendors ``Vendor, Reasons, Score, Completeness,
    <categories>``, so why a vendor is out is visible without scrolling sideways. Under
    TOPSIS the weighted-sum category scores give way to what TOPSIS decided on: each
    vendor's distance to the ideal and to the anti-ideal vendor.
    """
    frame = ranking.to_frame()
    out = frame["Status"] == DISQUALIFIED
    if ranking.method is Method.TOPSIS:
        # what TOPSIS decided on, not weighted-sum category scores beside TOPSIS scores
        distances = (breakdown or topsis_breakdown(ranking)).distances
        cats = [D_PLUS, D_MINUS]
        for name in cats:
            frame[name] = distances[name].to_numpy(dtype=float)
    else:
        cats = [str(c) for c in ranking.category_scores.columns]
    qualified = frame[~out].reset_index(drop=True)
    front = ["Rank", "Vendor", "Score", "Completeness"]
    if (qualified["Reasons"].str.len() > 0).any():
        front.append("Reasons")
    disqualified = frame[out].reset_index(drop=True)
    why = ["Vendor", "Reasons"]
    if ranking.evaluation.staged:  # more than one stage to fall at: say which
        disqualified.insert(
            1, "Stage", [stage_label(ranking.stage_of(v)) for v in disqualified["Vendor"]]
        )
        why = ["Vendor", "Stage", "Reasons"]
    return (
        qualified[[*front, *cats]],
        disqualified[[*why, "Score", "Completeness", *cats]],
    )


# -- the weights panel ------------------------------------------------------------------


def category_weights(evaluation: Evaluation) -> dict[str, float]:
    """Category weights as the sliders start: the Categories sheet, or, for flat weights,
    each category's sum of criterion weights (which leaves the effective weights unchanged)."""
    if evaluation.categories is not None:
        by_name = {c.name: float(c.weight) for c in evaluation.categories}
        return {name: by_name[name] for name in evaluation.category_names}
    sums: dict[str, float] = dict.fromkeys(evaluation.category_names, 0.0)
    for c in evaluation.criteria:
        sums[c.category] += float(c.weight)
    return sums


def slider_scale(weights: Mapping[str, float]) -> tuple[float, float]:
    """A slider maximum and step that fit the workbook's own weight numbers."""
    top = max([0.0, *weights.values()])
    if top <= 1.0:
        return 1.0, 0.01
    if top <= 10.0:
        return 10.0, 0.1
    if top <= 100.0:
        return 100.0, 1.0
    return float(math.ceil(top * 2 / 100.0) * 100), 1.0


def with_category_weights(evaluation: Evaluation, weights: Mapping[str, float]) -> Evaluation:
    """Apply slider values; a flat evaluation gains a Categories table only when they differ
    from its implied category sums."""
    current = category_weights(evaluation)
    if evaluation.categories is None:
        if all(math.isclose(weights.get(k, v), v, abs_tol=1e-12) for k, v in current.items()):
            return evaluation
        return evaluation.with_categories(
            [Category(name, float(weights.get(name, w))) for name, w in current.items()]
        )
    return evaluation.with_weights(category_weights=dict(weights))


def editor_columns(evaluation: Evaluation) -> list[str]:
    """The criteria editor's columns: :data:`EDITOR_COLUMNS`, without Max when there is no
    price criterion (Max is a price criterion's budget ceiling)."""
    if evaluation.price_criteria:
        return list(EDITOR_COLUMNS)
    return [c for c in EDITOR_COLUMNS if c != "Max"]


def criteria_frame(evaluation: Evaluation) -> pd.DataFrame:
    """The criteria as the editable table: weight, direction, must-have rule and formula
    per row (and a price criterion's budget ceiling, Max)."""
    criteria = evaluation.criteria
    return pd.DataFrame(
        {
            "Criterion": [c.name for c in criteria],
            "Category": [c.category for c in criteria],
            "Weight": [float(c.weight) for c in criteria],
            # a price is lower-is-better whatever its Direction cell says
            "Direction": [
                "lower" if c.is_price else Direction.from_alias(c.direction).value for c in criteria
            ],
            "Must": [c.must.text if c.must else "" for c in criteria],
            "Scale": [str(Scale.from_alias(c.scale).value) for c in criteria],
            "Formula": [formula_cell(c) for c in criteria],
            "Max": [max_cell(c) for c in criteria],
            "Description": [c.description for c in criteria],
        },
        columns=editor_columns(evaluation),
    )


def with_criteria_edits(evaluation: Evaluation, edited: pd.DataFrame) -> Evaluation:
    """Apply the edited criteria table (matched by criterion name, in its row order).

    Raises
    ------
    VendorEvalError
        Listing every cell that cannot be used (negative or empty weight, unknown direction,
        unreadable must rule, unknown formula, a budget ceiling that is no price), in plain
        words. Whether the formulas can be scored is
        :func:`vendor_eval.ui.editor_cells.check_formulas`'s to say.
    """
    # Each problem names the editor row (1 = first criterion) as the analyst sees it.
    numbered = enumerate(edited.to_dict("records"), start=1)
    rows = {str(r["Criterion"]): (i, r) for i, r in numbered}
    problems: list[str] = []
    criteria = []
    for c in evaluation.criteria:
        found = rows.get(c.name)
        if found is None:
            criteria.append(c)
            continue
        i, row = found
        where = f"{c.name} (row {i})"
        changes: dict[str, object] = {}
        w = row.get("Weight")
        try:
            weight = math.nan if w is None else float(w)
        except (TypeError, ValueError):
            weight = math.nan
        if not math.isfinite(weight) or weight < 0:
            shown = show(w) if isinstance(w, str) else format_number(weight)
            problems.append(f"{where}: weight must be a number ≥ 0 (is {shown})")
        elif weight > MAX_MAGNITUDE:  # the weight sums would overflow to infinity
            problems.append(f"{where}: weight {format_number(weight)} is too large")
        else:
            changes["weight"] = weight
        try:
            changes["direction"] = Direction.from_alias(row.get("Direction") or "higher")
        except ValueError as exc:
            problems.append(f"{where}: direction {exc}")
        if c.is_price and changes.get("direction") is Direction.HIGHER:
            problems.append(f"{where}: a price is lower-is-better (direction cannot be higher)")
        for column, read in (("Formula", read_formula), ("Max", read_max)):
            if column in row:
                change, problem = read(row.get(column), c, where)
                changes.update(change)
                if problem:
                    problems.append(problem)
        must = row.get("Must")
        must = "" if must is None or (isinstance(must, float) and math.isnan(must)) else must
        try:
            changes["must"] = parse_must(must, c.scale)
        except CellError as exc:
            problems.append(f"{where}: must-have rule {exc.message}")
        criteria.append(c.replace(**changes))
    if problems:
        raise VendorEvalError("; ".join(problems))
    return evaluation.with_criteria(criteria)


# -- vendor detail and data quality -----------------------------------------------------


def vendor_profile(evaluation: Evaluation, vendor: str) -> pd.DataFrame:
    """The vendor's descriptive columns (Website, Notes, …) as two text columns."""
    desc = evaluation.descriptive
    if vendor not in desc.index or desc.shape[1] == 0:
        return pd.DataFrame({"Field": [], "Value": []}, dtype=object)
    row = desc.loc[vendor]
    keep = [(str(k), v) for k, v in row.items() if not _blank(v)]
    return pd.DataFrame(
        {"Field": [k for k, _ in keep], "Value": [str(v) for _, v in keep]}, dtype=object
    )


def _blank(v: object) -> bool:
    if v is None:
        return True
    if isinstance(v, float) and math.isnan(v):
        return True
    return isinstance(v, str) and not v.strip()


def vendor_values(ranking: Ranking, vendor: str) -> pd.DataFrame:
    """Each criterion for one vendor: its value as entered, its score and its points.

    ``Score`` is the normalised ``s`` (0–1, after the missing-value policy; empty where a
    missing value is left out), ``Points`` its weighted-sum contribution (adding up to the
    vendor's weighted-sum total), ``Scored`` how the value becomes a score: a *relative*
    criterion is scored against the shortlist, so it moves when vendors come or go.
    """
    ev = ranking.evaluation
    units = ev.units
    names = [c.name for c in ev.criteria]
    raw = ev.values.loc[vendor, names].to_numpy(dtype=float)
    s = ranking.normalised.loc[vendor, names].to_numpy(dtype=float)
    points = ranking.contributions.loc[vendor, names].to_numpy(dtype=float)
    rows = []
    for j, c in enumerate(ev.criteria):
        rows.append(
            {
                "Criterion": c.name,
                "Category": c.category,
                "Value": format_value(c, float(raw[j]), units.get(c.name)),
                "Score": float(s[j]),
                "Points": float(points[j]),
                "Scored": scored_note(c),
            }
        )
    return pd.DataFrame(
        rows, columns=["Criterion", "Category", "Value", "Score", "Points", "Scored"]
    )


def gate_results(ranking: Ranking, vendor: str) -> pd.DataFrame:
    """Each must-have rule, the vendor's value and whether it passes."""
    ev = ranking.evaluation
    rows = []
    for c in ev.criteria:
        if c.must is None:
            continue
        x = float(ev.values.at[vendor, c.name])  # type: ignore[arg-type]  # a float frame
        result = "missing" if math.isnan(x) else ("pass" if c.must.passes(x) else "fail")
        shown = format_value(c, x, ev.units.get(c.name))  # as entered: yes, 99.9%, $95
        rows.append({"Criterion": c.name, "Rule": c.must.text, "Value": shown, "Result": result})
    return pd.DataFrame(rows, columns=["Criterion", "Rule", "Value", "Result"])


def vendor_missing(ranking: Ranking, vendor: str) -> pd.DataFrame:
    """Criteria the vendor has no value for, with the share of the total weight at stake."""
    mask = ranking.missing_mask.loc[vendor]
    owner = {c.name: c.category for c in ranking.evaluation.criteria}
    names = [str(n) for n, m in mask.items() if bool(m)]
    return pd.DataFrame(
        {
            "Criterion": names,
            "Category": [owner[n] for n in names],
            "Weight share": [float(ranking.weights[n]) for n in names],
        },
        columns=["Criterion", "Category", "Weight share"],
    )


def missing_overview(ranking: Ranking) -> pd.DataFrame:
    """Per criterion: how many vendors lack a value, which ones, and the weight at stake."""
    mask = ranking.missing_mask
    counts = mask.sum(axis=0).astype(int)
    owner = {c.name: c.category for c in ranking.evaluation.criteria}
    frame = pd.DataFrame(
        {
            "Criterion": list(mask.columns),
            "Category": [owner[n] for n in mask.columns],
            "Weight share": ranking.weights.reindex(mask.columns).to_numpy(dtype=float),
            "Missing": counts.to_numpy(),
            "Missing share": counts.to_numpy() / max(len(mask), 1),
            "Vendors without a value": [
                ", ".join(str(v) for v in mask.index[mask[n].to_numpy(dtype=bool)])
                for n in mask.columns
            ],
        }
    )
    order = np.argsort(-frame["Missing"].to_numpy(), kind="stable")
    return frame.iloc[order].reset_index(drop=True)
