"""A ``Weight`` row in the Vendors sheet: the criteria weights of a hand-made shortlist.

Many hand-made sheets put the weights in a row under (or above) the vendors. Without a
Criteria sheet that row gives the weights of the default model's criteria found in the
sheet; with one, the Criteria sheet's weights apply and the row is ignored. Either way the
row is not a vendor, and a warning says what was done with it (docs/workbook-format.md §2.2).
"""

from __future__ import annotations

import math

from vendor_eval.core.model import Category, Criterion
from vendor_eval.core.problems import Code, Problems
from vendor_eval.workbook.importing.cells import is_blank
from vendor_eval.workbook.importing.criteria import parse_weight
from vendor_eval.workbook.importing.messages import about, show
from vendor_eval.workbook.importing.table import cell
from vendor_eval.workbook.importing.vendors import Vendors, WeightsRow
from vendor_eval.workbook.schema import COSTS, CRITERIA, SCORES

__all__ = ["apply_weights_row"]

# How many ignored columns the note names before "and N more".
_NAMED = 3


def apply_weights_row(
    vendors: Vendors,
    criteria: list[Criterion],
    categories: list[Category] | None,
    columns: dict[str, int],
    default_model: bool,
    problems: Problems,
) -> tuple[list[Criterion], list[Category] | None]:
    """The criteria and categories once the Vendors sheet's weights row is applied.

    With the default model, the first weights row's number under each criterion's column
    is that criterion's weight, relative to all criteria: the categories become ``None``
    (flat weights), since the row weighs the columns themselves, not shares within the
    default model's categories. A second weights row is an error. With a Criteria sheet
    every weights row is ignored, with a warning. Unchanged when there is no weights row or
    a weight cannot be read (the error is reported).
    """
    vt = vendors.table
    rows = vendors.weights_rows
    if vt is None or not rows:
        return criteria, categories
    at_name = vendors.col
    if not default_model:
        for w in rows:
            message = (
                f"row {w.row} {show(w.name)} looks like a weights row, not a vendor: it is "
                f"ignored (the {CRITERIA.name} sheet's weights apply)"
            )
            problems.warning(Code.IGNORED_WEIGHTS_ROW, message, **vt.at(w.row, at_name))
        return criteria, categories
    first, *others = rows
    for w in others:
        message = (
            f"row {w.row} {show(w.name)} is a second weights row (also row {first.row}); keep one"
        )
        problems.error(Code.DUPLICATE_WEIGHTS_ROW, message, **vt.at(w.row, at_name))
    name = show(first.name)
    message = f"row {first.row} {name} is read as the criteria weights, not as a vendor"
    problems.warning(
        Code.WEIGHTS_ROW,
        message + _not_criteria(first, vendors, columns),
        **vt.at(first.row, at_name),
    )
    weights = _weights(first, vendors, criteria, columns, problems)
    if weights is None or others:
        return criteria, categories
    if criteria and all(w == 0 for w in weights):
        message = "all criterion weights are zero: give at least one a weight above 0"
        problems.error(Code.ALL_WEIGHTS_ZERO, message, **vt.at(first.row, at_name))
        return criteria, categories
    return [c.replace(weight=w) for c, w in zip(criteria, weights, strict=True)], None


def _not_criteria(row: WeightsRow, vendors: Vendors, columns: dict[str, int]) -> str:
    """What the note adds when the row weighs columns that are not criteria:
    ``; the weight under "Support hours" is ignored (not a criterion)``."""
    vt = vendors.table
    assert vt is not None
    linked = set(columns.values())
    headers = [
        show(h)
        for j, h in vt.columns()
        if j != vendors.col and j not in linked and not is_blank(cell(row.cells, j))
    ]
    if not headers:
        return ""
    if len(headers) == 1:
        return f"; the weight under {headers[0]} is ignored (not a criterion)"
    named = ", ".join(headers[:_NAMED])
    if len(headers) > _NAMED:
        named += f" and {len(headers) - _NAMED} more"
    return f"; the weights under {named} are ignored (not criteria)"


def _weights(
    row: WeightsRow,
    vendors: Vendors,
    criteria: list[Criterion],
    columns: dict[str, int],
    problems: Problems,
) -> list[float] | None:
    """Each criterion's weight from ``row``, or ``None`` after reporting every one that
    cannot be read."""
    vt = vendors.table
    assert vt is not None
    out: list[float] = []
    for c in criteria:
        j = columns.get(c.name)
        if j is None:  # its values come from Scores (or Costs): the row has no cell for it
            source = COSTS.name if c.source == "costs" else SCORES.name
            message = (
                f"row {row.row} {show(row.name)} gives no weight for {show(c.name)}, whose "
                f"values come from {source}: give the weights in a {CRITERIA.name} sheet"
            )
            problems.error(Code.MISSING_WEIGHT, message, **vt.at(row.row, vendors.col))
            out.append(math.nan)
            continue
        out.append(_weight(cell(row.cells, j), c.name, row.row, j, vendors, problems))
    return None if any(math.isnan(w) for w in out) else out


def _weight(
    value: object, name: str, r: int, j: int, vendors: Vendors, problems: Problems
) -> float:
    """One weight ≥ 0 (``20%``, ``0.2``, ``3``), or NaN after reporting why it is not."""
    vt = vendors.table
    assert vt is not None
    where = vt.at(r, j)

    def report(code: str, head: str, hint: str) -> None:
        problems.error(code, about(head, name, hint), **where)

    # the header names the criterion's column, so a parser's message says the cell is a weight
    return parse_weight(value, report, prefix="weight ")
