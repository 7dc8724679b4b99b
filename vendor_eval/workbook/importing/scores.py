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

from vendor_eval.core.limits import MAX_NAME_LENGTH, MAX_TEXT_LENGTH
from vendor_eval.core.model import Consensus, Criterion
from vendor_eval.core.problems import Code, Problems
from vendor_eval.workbook import schema
from vendor_eval.workbook.importing.cells import parse_value
from vendor_eval.workbook.importing.durations import duration_unit
from vendor_eval.workbook.importing.messages import CellError, show
from vendor_eval.workbook.importing.table import Table, cell
from vendor_eval.workbook.importing.text import parse_text
from vendor_eval.workbook.schema import name_key

__all__ = ["ScoreRow", "consensus_values", "parse_scores", "read_score_rows"]


@dataclass
class ScoreRow:
    """One Scores row as read (cells not yet interpreted), with its Excel row number."""

    row: int
    evaluator: object
    vendor: object
    criterion: object
    score: object
    comment: object


def read_score_rows(table: Table, problems: Problems) -> list[ScoreRow]:
    """The Scores rows, after checking the required columns are there."""
    if table.header_row is None:
        return []
    missing = [c.name for c in schema.SCORES.required if table.col(c) is None]
    if missing:
        found = ", ".join(h for _, h in table.columns()) or "none"
        names = ", ".join(f'"{m}"' for m in missing)
        message = f"missing column {names} (headers found: {found})"
        problems.error(Code.MISSING_HEADER, message, **table.at(table.header_row))
        return []
    cols = [table.col(c) for c in schema.SCORES.columns]
    return [ScoreRow(r, *(cell(cells, c) for c in cols)) for r, cells in table.rows]


def parse_scores(
    table: Table,
    rows: list[ScoreRow],
    vendors: dict[str, str],
    find_criterion: Callable[[str], Criterion | None],
    problems: Problems,
    on_value: Callable[[Criterion, float, int, int | None], object],
    unknown_criterion: str,
) -> pd.DataFrame:
    """Interpret the Scores rows into the long frame (Evaluator, Vendor, Criterion, Score, Comment).

    Parameters
    ----------
    vendors:
        Lookup from :func:`~vendor_eval.workbook.schema.name_key` to the vendor
        name as written.
    find_criterion:
        The criterion a Scores cell names, or ``None``.
    on_value:
        Called with ``(criterion, value, excel_row, column)`` for each parsed score (the
        importer uses it for out-of-scale warnings).
    unknown_criterion:
        Message suffix for a criterion that is not defined, e.g. "is not in the Criteria sheet".
    """
    c_ev, c_v, c_c, c_s, c_m = (table.col(c) for c in schema.SCORES.columns)
    records: list[tuple[object, ...]] = []
    seen: dict[tuple[str, str, str], int] = {}
    units: dict[str, str | None] = {}  # criterion → the unit durations are read in
    for sr in rows:
        failed = False

        def text(
            value: object, col: int | None, limit: int = MAX_NAME_LENGTH, r: int = sr.row
        ) -> str:
            nonlocal failed
            try:
                return parse_text(value, max_length=limit, multiline=limit > MAX_NAME_LENGTH)
            except CellError as e:
                problems.error(e.code, e.message, **table.at(r, col))
                failed = True
                return ""

        evaluator = text(sr.evaluator, c_ev)
        vendor_text = text(sr.vendor, c_v)
        crit_text = text(sr.criterion, c_c)
        comment = text(sr.comment, c_m, limit=MAX_TEXT_LENGTH)
        for value, col, what in (
            (evaluator, c_ev, "evaluator"),
            (vendor_text, c_v, "vendor"),
            (crit_text, c_c, "criterion"),
        ):
            if not value and not failed:
                problems.error(Code.EMPTY_NAME, f"{what} is empty", **table.at(sr.row, col))
                failed = True
        vendor = vendors.get(name_key(vendor_text)) if vendor_text else None
        if vendor_text and vendor is None:
            message = f"vendor {show(vendor_text)} is not in the {schema.VENDORS.name} sheet"
            problems.error(Code.UNKNOWN_VENDOR, message, **table.at(sr.row, c_v))
        crit = find_criterion(crit_text) if crit_text else None
        if crit_text and crit is None:
            message = f"criterion {show(crit_text)} {unknown_criterion}"
            problems.error(Code.UNKNOWN_CRITERION, message, **table.at(sr.row, c_c))
        score = math.nan
        if crit is not None:
            if crit.name not in units:
                units[crit.name] = duration_unit(crit.name)
            try:
                score = parse_value(sr.score, crit.scale, units[crit.name])
            except CellError as e:
                problems.error(e.code, e.message, **table.at(sr.row, c_s))
            if not math.isnan(score):
                on_value(crit, score, sr.row, c_s)
        if evaluator and vendor and crit is not None:
            key = (name_key(evaluator), name_key(vendor), name_key(crit.name))
            if key in seen:
                message = (
                    f"duplicate score: {show(evaluator)} already scored {show(vendor)} on "
                    f"{show(crit.name)} in row {seen[key]}"
                )
                problems.error(Code.DUPLICATE_SCORE, message, **table.at(sr.row, c_c))
            else:
                seen[key] = sr.row
        records.append(
            (
                evaluator,
                vendor if vendor is not None else vendor_text,
                crit.name if crit is not None else crit_text,
                score,
                comment,
            )
        )  # in the order of schema.SCORES.columns
    frame = pd.DataFrame(records, columns=schema.SCORES.headers)
    for c in schema.SCORES.headers:
        frame[c] = frame[c].astype(float if c == schema.SCORE.name else object)
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
    vendor, criterion = schema.SCORE_VENDOR.name, schema.SCORE_CRITERION.name
    score = schema.SCORE.name
    valid = scores[scores[score].notna() & scores[criterion].isin(criteria)]
    if valid.empty:
        return out
    grouped = valid.groupby([vendor, criterion], sort=False)[score]
    agg = grouped.median() if how is Consensus.MEDIAN else grouped.mean()
    # one reshape, not one cell assignment per (vendor, criterion): linear in the scores
    table = agg.unstack(criterion)
    table = table.reindex(index=out.index, columns=out.columns)
    return table.astype(float).rename_axis(index=None, columns=None)
