"""Checks around the importer: default-model matching, yes/no detection and warnings.

Warnings never stop scoring (docs/workbook-format.md §8.3): values outside an absolute scale,
criteria nobody answered, and vendors with more than half their effective weight missing
(docs/scoring.md §2, §5).
"""

from __future__ import annotations

import bisect

import numpy as np
import pandas as pd

from vendor_eval.core.model import (
    Category,
    Criterion,
    Direction,
    Formula,
    Scale,
    format_number,
    format_numbers,
)
from vendor_eval.core.problems import Code, Problems, ScoringError
from vendor_eval.core.weights import effective_weight_array
from vendor_eval.workbook import defaults
from vendor_eval.workbook.importing.cells import is_blank, parse_yes_no
from vendor_eval.workbook.importing.messages import CellError, column_letter, show
from vendor_eval.workbook.importing.scores import ScoreRow
from vendor_eval.workbook.importing.table import Table, cell
from vendor_eval.workbook.schema import COSTS, CRITERIA, SCORES

__all__ = [
    "check_value",
    "completeness_warnings",
    "effective_weights",
    "empty_criterion_warnings",
    "looks_yes_no",
    "match_default_model",
    "merged_value_problems",
    "out_of_scale",
    "unscorable",
    "warn_out_of_scale",
]


def looks_yes_no(values: list[object]) -> bool:
    """True when the non-blank values are all yes/no and at least one is a word or TRUE/FALSE."""
    word = False
    for v in values:
        if is_blank(v):
            continue
        try:
            parse_yes_no(v)
        except CellError:
            return False
        word = word or (isinstance(v, bool | str) and not str(v).strip().isdigit())
    return word


def effective_weights(
    criteria: list[Criterion], categories: list[Category] | None
) -> dict[str, float]:
    """docs/scoring.md §2 effective weights (summing to 1), used for the completeness warning.

    The scoring engine's own computation; weights it cannot use (which the importer reports
    as errors of their own) give 0 for every criterion instead of raising.
    """
    try:
        w = effective_weight_array(criteria, categories)
    except ScoringError:
        w = np.zeros(len(criteria))
    return {c.name: float(x) for c, x in zip(criteria, w, strict=True)}


def match_default_model(
    vt: Table | None, vcol: int | None, score_rows: list[ScoreRow], problems: Problems
) -> tuple[list[Criterion], list[Category]]:
    """The built-in default criteria that the Vendors headers (or Scores) name."""
    by_name = {c.name: c for c in defaults.DEFAULT_CRITERIA}
    found: dict[str, int | None] = {}
    if vt is not None:
        for j, header in vt.columns():
            canon = defaults.canonical_name(header)
            if canon is None or j == vcol:
                continue
            if canon in found:
                message = (
                    f"this column is criterion {show(canon)} again (also "
                    f"{column_letter(found[canon] or 0)}{vt.header_row}); keep one"
                )
                problems.error(Code.DUPLICATE_CRITERION, message, **vt.at(vt.header_row, j))
            else:
                found[canon] = j
    for sr in score_rows:
        if isinstance(sr.criterion, str):
            canon = defaults.canonical_name(sr.criterion)
            if canon is not None:
                found.setdefault(canon, None)
    order = [c for c in defaults.DEFAULT_CRITERIA if c.name in found]
    if not order and vt is not None and vcol is not None:
        message = f"no criteria: add a {CRITERIA.name} sheet or use the template's column names"
        problems.error(Code.NO_CRITERIA, message, **vt.at(vt.header_row))
    used = {c.category for c in order}
    cats = [k for k in defaults.DEFAULT_CATEGORIES if k.name in used]
    return [by_name[c.name] for c in order], cats


def merged_value_problems(
    merged: list[tuple[int, int, int, int]], vt: Table, columns: dict[str, int], problems: Problems
) -> None:
    """An error for each merged range that spreads one criterion value over several vendors.

    Excel keeps a merged range's value in its first cell only; the other vendors would
    silently read as missing (and score worst), so the user is asked to unmerge.

    The file says which rows a range spans (``C2:C1048576`` is one range), so a range is
    never walked row by row: its first row is looked up among the data rows, and the next
    data row and the first criterion column inside it are found by bisection. The work is
    O(ranges × log(rows + columns)), whatever the ranges claim.
    """
    linked = sorted(set(columns.values()))
    if not linked or not vt.rows:
        return
    data_rows = [r for r, _ in vt.rows]  # ascending: the table keeps sheet order
    cells_of = dict(vt.rows)
    for r0, c0, r1, c1 in dict.fromkeys(merged):  # one error per range, however often listed
        row = cells_of.get(r0 + 1)
        if row is None:
            continue  # the range does not start on a vendor's row
        after = bisect.bisect_right(data_rows, r0 + 1)
        if after == len(data_rows) or data_rows[after] > r1 + 1:
            continue  # no second vendor row inside the range
        k = bisect.bisect_left(linked, c0)
        if k == len(linked) or linked[k] > c1:
            continue  # no criterion column inside the range
        value = cell(row, c0)
        if is_blank(value):
            continue  # nothing is lost: every row reads as empty, as it looks
        first = f"{column_letter(c0)}{r0 + 1}"
        span = f"{first}:{column_letter(c1)}{r1 + 1}"
        message = (
            f"cells {span} are merged: only {first} holds {show(value)}, the other rows "
            "read as empty; unmerge them and give each vendor its own value"
        )
        problems.error(Code.MERGED_CELLS, message, **vt.at(r0 + 1, linked[k]))


def out_of_scale(crit: Criterion, x: float) -> str | None:
    """The warning for a value outside an absolute scale's Min–Max, or ``None``."""
    if crit.scale is not Scale.ABSOLUTE or crit.min is None or crit.max is None:
        return None
    if crit.min <= x <= crit.max:
        return None
    # digits enough to tell the value and both ends apart: never "outside the scale 1–1"
    shown, lo, hi = format_numbers(x, crit.min, crit.max)
    to = lo if x < crit.min else hi
    return f"{shown} is outside the scale {lo}–{hi}; it counts as {to}"


def unscorable(crit: Criterion, x: float) -> str | None:
    """Why the criterion's formula cannot score the value ``x``, or ``None``: a price must
    be above 0 (``ratio`` divides by it), a ``ratio`` value above 0 when lower is better
    and at least 0 when higher is better (docs/scoring.md §12)."""
    if crit.scale is Scale.PRICE:
        if x <= 0:
            return f"a price must be greater than 0 (is {format_number(x)})"
        return None
    if crit.scale is not Scale.RELATIVE or crit.formula is not Formula.RATIO:
        return None
    if crit.direction is Direction.LOWER and x <= 0:
        return (
            f"the {Formula.RATIO.value} formula (lowest ÷ value) needs a value greater than 0 "
            f"(is {format_number(x)})"
        )
    if crit.direction is not Direction.LOWER and x < 0:
        return (
            f"the {Formula.RATIO.value} formula (value ÷ highest) needs a value of 0 or more "
            f"(is {format_number(x)})"
        )
    return None


def check_value(
    crit: Criterion, x: float, table: Table, row: int, col: int | None, problems: Problems
) -> bool:
    """Check a value read at ``row``/``col``: an error when its formula cannot score it
    (:func:`unscorable`), else a warning when it is off an absolute scale; False after an
    error."""
    message = unscorable(crit, x)
    if message:
        problems.error(Code.UNSCORABLE_VALUE, message, **table.at(row, col))
        return False
    warn_out_of_scale(crit, x, table, row, col, problems)
    return True


def warn_out_of_scale(
    crit: Criterion, x: float, table: Table, row: int, col: int | None, problems: Problems
) -> None:
    """Warn (:func:`out_of_scale`) when ``x``, read at ``row``/``col``, is off the scale."""
    message = out_of_scale(crit, x)
    if message:
        problems.warning(Code.OUT_OF_SCALE, message, **table.at(row, col))


def empty_criterion_warnings(
    criteria: list[Criterion],
    values: pd.DataFrame,
    vt: Table,
    columns: dict[str, int],
    problems: Problems,
) -> None:
    """A warning for each criterion that no vendor has a value for."""
    for c in criteria:
        if len(values) and values[c.name].isna().all():
            j = columns.get(c.name)
            if c.source == "costs":
                msg = (
                    f"no vendor has a value for {show(c.name)}: no vendor has every amount "
                    f"in {COSTS.name}"
                )
                problems.warning(Code.NO_VALUES, msg, sheet=COSTS.name)
                continue
            where = "its column is empty" if j is not None else f"nobody scored it in {SCORES.name}"
            msg = f"no vendor has a value for {show(c.name)}: {where}"
            if j is not None:
                problems.warning(Code.NO_VALUES, msg, **vt.at(vt.header_row, j))
            else:
                problems.warning(Code.NO_VALUES, msg, sheet=SCORES.name)


def completeness_warnings(
    criteria: list[Criterion],
    categories: list[Category] | None,
    values: pd.DataFrame,
    vt: Table,
    vcol: int | None,
    vendor_rows: list[tuple[str, int]],
    problems: Problems,
) -> None:
    """A warning for each vendor missing more than half of its effective weight."""
    if not criteria:
        return
    w = effective_weights(criteria, categories)
    absent = values.isna().to_numpy()
    shares = absent @ np.array([w[c.name] for c in criteria])
    for (name, r), row_absent, share in zip(vendor_rows, absent, shares, strict=True):
        if share <= 0.5 + 1e-12:
            continue
        missing = [c.name for c, a in zip(criteria, row_absent, strict=True) if a]
        listed = ", ".join(missing[:4]) + (", …" if len(missing) > 4 else "")
        msg = f"{show(name)} has no value for {share:.0%} of the weight ({listed})"
        problems.warning(Code.INCOMPLETE_VENDOR, msg, **vt.at(r, vcol))
