"""The Scores sheet (multi-evaluator ratings) and the consensus of evaluators' scores.

Each row is one evaluator's score for one vendor on one criterion. The consensus per vendor
and criterion (mean, or median) becomes the criterion's value; the long table is kept on the
Evaluation for the dashboard and the audit trail.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from vendor_eval.core.model import Consensus, Criterion
from vendor_eval.core.problems import Problem
from vendor_eval.workbook.importing.cells import (
    MAX_NAME_LENGTH,
    CellError,
    name_key,
    parse_text,
    parse_value,
    show,
)
from vendor_eval.workbook.importing.table import Table, cell

__all__ = ["SCORE_COLUMNS", "ScoreRow", "consensus_values", "parse_scores", "read_score_rows"]

SCORE_COLUMNS = ["Evaluator", "Vendor", "Criterion", "Score", "Comment"]


@dataclass
class ScoreRow:
    """One Scores row as read (cells not yet interpreted), with its Excel row number."""

    row: int
    evaluator: object
    vendor: object
    criterion: object
    score: object
    comment: object


def read_score_rows(table: Table, problems: list[Problem]) -> list[ScoreRow]:
    """The Scores rows, after checking the required columns are there."""
    if table.header_row is None:
        return []
    missing = [h for h in SCORE_COLUMNS[:4] if table.col(h) is None]
    if missing:
        found = ", ".join(h for _, h in table.columns()) or "none"
        names = ", ".join(f'"{m}"' for m in missing)
        problems.append(
            table.problem(f"missing column {names} (headers found: {found})", table.header_row)
        )
        return []
    cols = [table.col(h) for h in SCORE_COLUMNS]
    return [ScoreRow(r, *(cell(cells, c) for c in cols)) for r, cells in table.rows]


def parse_scores(
    table: Table,
    rows: list[ScoreRow],
    vendors: dict[str, str],
    find_criterion: Callable[[str], Criterion | None],
    problems: list[Problem],
    on_value: Callable[[Criterion, float, int, int | None], None],
    unknown_criterion: str,
) -> pd.DataFrame:
    """Interpret the Scores rows into the long frame (Evaluator, Vendor, Criterion, Score, Comment).

    Parameters
    ----------
    vendors:
        Lookup from :func:`~vendor_eval.workbook.importing.cells.name_key` to the vendor
        name as written.
    find_criterion:
        The criterion a Scores cell names, or ``None``.
    on_value:
        Called with ``(criterion, value, excel_row, column)`` for each parsed score (the
        importer uses it for out-of-scale warnings).
    unknown_criterion:
        Message suffix for a criterion that is not defined, e.g. "is not in the Criteria sheet".
    """
    c_ev, c_v, c_c, c_s, c_m = (table.col(h) for h in SCORE_COLUMNS)
    records: list[dict[str, object]] = []
    seen: dict[tuple[str, str, str], int] = {}
    for sr in rows:

        def text(value: object, col: int | None, limit: int = MAX_NAME_LENGTH, r=sr.row) -> str:
            try:
                return parse_text(value, max_length=limit, multiline=limit > MAX_NAME_LENGTH)
            except CellError as e:
                problems.append(table.problem(e.message, r, col))
                return ""

        n0 = len(problems)
        evaluator = text(sr.evaluator, c_ev)
        vendor_text = text(sr.vendor, c_v)
        crit_text = text(sr.criterion, c_c)
        comment = text(sr.comment, c_m, limit=32_767)
        for value, col, what in (
            (evaluator, c_ev, "evaluator"),
            (vendor_text, c_v, "vendor"),
            (crit_text, c_c, "criterion"),
        ):
            if not value and len(problems) == n0:
                problems.append(table.problem(f"{what} is empty", sr.row, col))
        vendor = vendors.get(name_key(vendor_text)) if vendor_text else None
        if vendor_text and vendor is None:
            problems.append(
                table.problem(
                    f"vendor {show(vendor_text)} is not in the Vendors sheet", sr.row, c_v
                )
            )
        crit = find_criterion(crit_text) if crit_text else None
        if crit_text and crit is None:
            problems.append(
                table.problem(f"criterion {show(crit_text)} {unknown_criterion}", sr.row, c_c)
            )
        score = math.nan
        if crit is not None:
            try:
                score = parse_value(sr.score, crit.scale)
            except CellError as e:
                problems.append(table.problem(e.message, sr.row, c_s))
            if not math.isnan(score):
                on_value(crit, score, sr.row, c_s)
        if evaluator and vendor and crit is not None:
            key = (name_key(evaluator), name_key(vendor), name_key(crit.name))
            if key in seen:
                problems.append(
                    table.problem(
                        f"duplicate score: {show(evaluator)} already scored {show(vendor)} on "
                        f"{show(crit.name)} in row {seen[key]}",
                        sr.row,
                        c_c,
                    )
                )
            else:
                seen[key] = sr.row
        records.append(
            {
                "Evaluator": evaluator,
                "Vendor": vendor if vendor is not None else vendor_text,
                "Criterion": crit.name if crit is not None else crit_text,
                "Score": score,
                "Comment": comment,
            }
        )
    frame = pd.DataFrame(records, columns=SCORE_COLUMNS)
    for c in ("Evaluator", "Vendor", "Criterion", "Comment"):
        frame[c] = frame[c].astype(object)
    frame["Score"] = frame["Score"].astype(float)
    return frame


def consensus_values(
    scores: pd.DataFrame, vendors: list[str], criteria: list[str], how: Consensus
) -> pd.DataFrame:
    """Vendors × criteria: the mean (or median) of the evaluators' non-missing scores.

    Cells nobody scored are NaN.
    """
    out = pd.DataFrame(np.nan, index=pd.Index(vendors, dtype=object), columns=criteria)
    if scores.empty or not criteria:
        return out
    valid = scores[scores["Score"].notna() & scores["Criterion"].isin(criteria)]
    if valid.empty:
        return out
    grouped = valid.groupby(["Vendor", "Criterion"], sort=False)["Score"]
    agg = grouped.median() if how is Consensus.MEDIAN else grouped.mean()
    for (v, c), x in agg.items():
        if v in out.index:
            out.at[v, c] = float(x)
    return out
