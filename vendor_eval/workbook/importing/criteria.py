"""The Criteria and Categories sheets: rows → Criterion / Category, with checks.

The format is docs/workbook-format.md §3 and §4.

Every problem is collected (never the first only); a problem on a row names the criterion
or category of that row (``Min (5) must be less than Max (1) for "Client rating"``). The
weight checks of docs/scoring.md §2 live here too: all weights zero, or a category with
weight > 0 whose criteria all weigh 0.

Each Criteria column is read by one small function (:func:`_weight`, :func:`_direction`,
:func:`_bounds`...); a new column is declared in :mod:`vendor_eval.workbook.schema` and read
by a new one of these.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from vendor_eval.core.limits import MAX_NAME_LENGTH, MAX_TEXT_LENGTH
from vendor_eval.core.model import (
    Category,
    Criterion,
    Direction,
    Formula,
    MustRule,
    Scale,
    format_number,
    format_numbers,
)
from vendor_eval.core.problems import Code, Problems
from vendor_eval.workbook import schema
from vendor_eval.workbook.importing.cells import is_blank, parse_must, parse_number
from vendor_eval.workbook.importing.messages import CellError, about, show
from vendor_eval.workbook.importing.names import Names
from vendor_eval.workbook.importing.percent import read_minimum
from vendor_eval.workbook.importing.table import Table, cell
from vendor_eval.workbook.importing.text import parse_text
from vendor_eval.workbook.schema import (
    CATEGORY,
    CATEGORY_MINIMUM,
    CRITERION,
    DESCRIPTION,
    DIRECTION,
    FORMULA,
    GOAL,
    MAX,
    MIN,
    MUST,
    SCALE,
    WEIGHT,
    name_key,
)

__all__ = ["CriterionRow", "check_weights", "parse_categories", "parse_criteria"]


def _one_of(choices: Iterable[str]) -> str:
    """The choices as a message lists them: ``"relative, absolute or yes/no"``."""
    *rest, last = choices
    return f"{', '.join(rest)} or {last}" if rest else last


_DIRECTIONS = _one_of(d.value for d in Direction)
_SCALES = _one_of(s.value for s in Scale)
_FORMULAS = _one_of(f.value for f in Formula)
_MIN_AND_MAX = f"{MIN.name} and {MAX.name}"
# An absolute scale's Max must exceed its Min by more than this fraction of their magnitude:
# closer ends differ by rounding (1 and 1.0000000000000002), and a value 1 ulp away from an
# end would swing from no points to full points.
SCALE_SPAN_RTOL = 1e-9

Columns = dict[schema.Column, int | None]


@dataclass
class CriterionRow:
    """A parsed Criteria row: the criterion, its Excel row, and whether it parsed cleanly."""

    criterion: Criterion
    row: int
    weight_ok: bool = True


class _Row:
    """One Criteria or Categories row being read; its problems name the row's criterion or
    category once that name is known (:attr:`name`)."""

    def __init__(self, table: Table, r: int, cells: list[object], problems: Problems) -> None:
        self.table, self.r, self.cells, self.problems = table, r, cells, problems
        self.name = ""

    def raw(self, col: int | None) -> object:
        return cell(self.cells, col)

    def error(self, code: str, head: str, col: int | None, hint: str = "") -> None:
        self.problems.error(code, about(head, self.name, hint), **self.table.at(self.r, col))

    def warning(self, code: str, head: str, col: int | None, hint: str = "") -> None:
        self.problems.warning(code, about(head, self.name, hint), **self.table.at(self.r, col))

    def cell_error(self, e: CellError, col: int | None) -> None:
        self.problems.error(e.code, e.about(self.name), **self.table.at(self.r, col))

    def text(self, col: int | None, limit: int = MAX_NAME_LENGTH) -> str | None:
        """The cell as text (``""`` if empty), or ``None`` after reporting why it cannot be."""
        try:
            return parse_text(self.raw(col), max_length=limit, multiline=limit > MAX_NAME_LENGTH)
        except CellError as e:
            self.cell_error(e, col)
            return None


def _required(table: Table, sheet: schema.SheetLayout, problems: Problems) -> bool:
    ok = True
    for column in sheet.required:
        if table.col(column) is None:
            found = ", ".join(h for _, h in table.columns()) or "none"
            message = f'no "{column.name}" column (headers found: {found})'
            problems.error(Code.MISSING_HEADER, message, **table.at(table.header_row))
            ok = False
    return ok


def _columns(
    table: Table, sheet: schema.SheetLayout, problems: Problems, heads: str
) -> Columns | None:
    """Each column's index, or ``None`` (reported) for an empty sheet or a required column
    missing; ``heads`` is what the empty sheet's message suggests as a header row."""
    if table.header_row is None:
        message = f"the sheet is empty: add a header row ({heads})"
        problems.error(Code.EMPTY_SHEET, message, **table.at())
        return None
    if not _required(table, sheet, problems):
        return None
    return {c: table.col(c) for c in sheet.columns}


# -- Criteria ---------------------------------------------------------------------------------
def parse_criteria(
    table: Table,
    problems: Problems,
    looks_yes_no: Callable[[str], bool] = lambda name: False,
) -> list[CriterionRow]:
    """Parse the Criteria sheet.

    Parameters
    ----------
    looks_yes_no:
        Given a criterion name, whether its values are yes/no words; used as the default
        Scale when the Scale cell is blank (numbers default to ``relative``).
    """
    cols = _columns(table, schema.CRITERIA, problems, f"{CRITERION.name}, ...")
    if cols is None:
        return []
    if not table.rows:
        message = "no criteria: add one row per criterion below the header row"
        problems.error(Code.NO_CRITERIA, message, **table.at(table.header_row, cols[CRITERION]))
    seen = Names("criterion")
    return [
        _criterion_row(_Row(table, r, cells, problems), cols, seen, looks_yes_no)
        for r, cells in table.rows
    ]


def _criterion_row(
    row: _Row, cols: Columns, seen: Names, looks_yes_no: Callable[[str], bool]
) -> CriterionRow:
    """One Criteria row, column by column, in the order its problems are reported."""
    name = _criterion_name(row, cols[CRITERION], seen)
    category = _category(row, cols[CATEGORY])
    weight = _weight(row, cols[WEIGHT])
    direction = _direction(row, cols[DIRECTION])
    scale = _scale(row, cols[SCALE])
    if scale is None:
        scale = Scale.YESNO if looks_yes_no(name) else Scale.RELATIVE
    if scale is Scale.PRICE:
        direction = _price_direction(row, cols[DIRECTION], direction)
    formula = _formula(row, cols, scale)
    lo, hi = _bounds(row, cols, scale, formula)
    must = _must(row, cols[MUST], scale)
    goal = _goal(row, cols[GOAL])
    description = row.text(cols[DESCRIPTION], limit=MAX_TEXT_LENGTH) or ""
    criterion = Criterion(
        name=name,
        category=category,
        weight=0.0 if math.isnan(weight) else weight,
        direction=direction,
        scale=scale,
        min=lo,
        max=hi,
        must=must,
        description=description,
        goal=goal,
        formula=formula,
    )
    return CriterionRow(criterion, row.r, weight_ok=not math.isnan(weight))


def _criterion_name(row: _Row, col: int | None, seen: Names) -> str:
    """The criterion's name (``""`` if unreadable or empty); from here on, the row's name."""
    name = row.text(col)
    if name == "":
        row.error(Code.EMPTY_NAME, "criterion name is empty", col)
    if not name:
        return ""
    row.table.first_time(seen, name, row.r, col, Code.DUPLICATE_CRITERION, row.problems)
    if schema.VENDOR.matches(name):
        row.error(
            Code.VENDOR_COLUMN_AS_CRITERION,
            f"{show(name)} is the vendor-name column, not a criterion",
            col,
        )
    row.name = name
    return name


def _category(row: _Row, col: int | None) -> str:
    category = row.text(col)
    if category == "" and is_blank(row.raw(col)):
        row.error(Code.MISSING_CATEGORY, "category is missing", col)
    return category or ""


def _weight(row: _Row, col: int | None) -> float:
    """A weight ≥ 0, or NaN after reporting a problem."""
    return parse_weight(row.raw(col), lambda code, head, hint: row.error(code, head, col, hint))


def parse_weight(value: object, report: Callable[[str, str, str], None], prefix: str = "") -> float:
    """The one weight rule (Criteria, Categories, a Vendors weights row): a number ≥ 0
    (``3``, ``0.2``, ``20%``), or NaN after ``report(code, head, hint)`` said why not.

    ``prefix`` goes before a cell parser's message head (``weight "high" is not a number``
    where the column's header does not say the cell is a weight)."""
    if is_blank(value):
        report(Code.MISSING_WEIGHT, "weight is missing", " (use 0 to ignore it)")
        return math.nan
    try:
        w = parse_number(value)
    except CellError as e:
        hint = "; type the weight as a plain number" if e.code == Code.DURATION else e.hint
        report(e.code, prefix + e.head, hint)
        return math.nan
    if w < 0:
        report(Code.NEGATIVE_WEIGHT, f"weight {format_number(w)} is negative", "")
        return math.nan
    return w


def _direction(row: _Row, col: int | None) -> Direction:
    raw = row.raw(col)
    if is_blank(raw):
        return Direction.HIGHER
    try:
        return Direction.from_alias(row.text(col) or "")
    except ValueError:
        row.error(
            Code.NOT_A_DIRECTION, f"{show(raw)} is not a direction", col, f": use {_DIRECTIONS}"
        )
        return Direction.HIGHER


def _scale(row: _Row, col: int | None) -> Scale | None:
    """The Scale as written, or ``None`` when blank (the caller picks the default)."""
    raw = row.raw(col)
    if is_blank(raw):
        return None
    try:
        return Scale.from_alias(row.text(col) or "")
    except ValueError:
        row.error(Code.NOT_A_SCALE, f"{show(raw)} is not a scale", col, f": use {_SCALES}")
        return Scale.RELATIVE


def _price_direction(row: _Row, col: int | None, direction: Direction) -> Direction:
    """A price is lower-is-better: Direction blank or ``lower``; ``higher`` is an error (a
    Direction that is no direction at all was reported by :func:`_direction`)."""
    raw = row.raw(col)
    if direction is Direction.HIGHER and not is_blank(raw) and _is_higher(raw):
        row.error(
            Code.PRICE_DIRECTION,
            f"a price is lower-is-better, but the {DIRECTION.name} is {show(row.raw(col))}",
            col,
            f": write {Direction.LOWER.value} or leave the cell empty",
        )
    return Direction.LOWER


def _is_higher(raw: object) -> bool:
    try:
        return Direction.from_alias(str(raw)) is Direction.HIGHER
    except ValueError:
        return False


def _formula(row: _Row, cols: Columns, scale: Scale) -> Formula | None:
    """The Formula as written (``None`` when blank): ratio, linear or budget, on a relative
    or price criterion only, and budget on a price only."""
    col = cols[FORMULA]
    raw = row.raw(col)
    if is_blank(raw):
        return None
    try:
        formula = Formula.from_alias(row.text(col) or "")
    except ValueError:
        hint = f": use {_FORMULAS}, or leave the cell empty"
        row.error(Code.NOT_A_FORMULA, f"{show(raw)} is not a formula", col, hint)
        return None
    if scale not in (Scale.RELATIVE, Scale.PRICE):
        head = f"{FORMULA.name} {formula.value} applies to relative and price criteria only"
        hint = f" (its {SCALE.name} is {scale.value}): clear the cell"
        row.error(Code.FORMULA_NOT_ALLOWED, head, col, hint)
        return None
    if formula is Formula.BUDGET and scale is not Scale.PRICE:
        head = f"the {Formula.BUDGET.value} formula applies to price criteria only"
        hint = (
            f" (its {SCALE.name} is {scale.value}): use {Formula.RATIO.value} or "
            f"{Formula.LINEAR.value}, or {SCALE.name} {Scale.PRICE.value}"
        )
        row.error(Code.FORMULA_NOT_ALLOWED, head, col, hint)
        return None
    return formula


def _bounds(
    row: _Row, cols: Columns, scale: Scale, formula: Formula | None = None
) -> tuple[float | None, float | None]:
    """Min and Max: required and ordered for an absolute scale; Max, the ceiling, required
    and above 0 for the budget formula; ignored (a warning) else."""
    c_min, c_max = cols[MIN], cols[MAX]
    bounds: list[float | None] = []
    for col in (c_min, c_max):
        try:
            x = parse_number(row.raw(col))
        except CellError as e:
            row.cell_error(e, col)
            x = math.nan
        bounds.append(None if math.isnan(x) else x)
    lo, hi = bounds
    if scale is Scale.ABSOLUTE:
        if lo is None or hi is None:
            hint = " (e.g. 1 and 5 for a 1–5 rating)"
            head = f"absolute scale needs {_MIN_AND_MAX}"
            row.error(Code.MISSING_BOUNDS, head, cols[SCALE], hint)
        elif lo >= hi:
            shown_lo, shown_hi = format_numbers(lo, hi)
            head = f"{MIN.name} ({shown_lo}) must be less than {MAX.name} ({shown_hi})"
            row.error(Code.MIN_NOT_BELOW_MAX, head, c_max)
        elif hi - lo <= SCALE_SPAN_RTOL * max(abs(lo), abs(hi)):
            shown_lo, shown_hi = format_numbers(lo, hi)
            head = (
                f"{MIN.name} ({shown_lo}) and {MAX.name} ({shown_hi}) are too close: the "
                "difference is rounding, and every value would score all or nothing"
            )
            row.error(Code.MIN_NOT_BELOW_MAX, head, c_max, " (e.g. 1 and 5 for a 1–5 rating)")
        return lo, hi
    if scale is Scale.PRICE:
        return _price_bounds(row, cols, formula, lo, hi)
    if lo is not None or hi is not None:
        hint = (
            f" are used only with {SCALE.name} {Scale.ABSOLUTE.value} (this one is "
            f"{scale.value}); they are ignored"
        )
        row.warning(Code.UNUSED_BOUNDS, _MIN_AND_MAX, c_min if lo is not None else c_max, hint)
    return None, None


def _price_bounds(
    row: _Row, cols: Columns, formula: Formula | None, lo: float | None, hi: float | None
) -> tuple[float | None, float | None]:
    """A price's Max is the ceiling of the budget formula (required, above 0); Min is never
    used, nor Max with another formula (each a warning: ignored)."""
    c_min, c_max = cols[MIN], cols[MAX]
    if formula is not Formula.BUDGET:
        if lo is not None or hi is not None:
            shown = (Formula.RATIO if formula is None else formula).value
            hint = (
                f" are not used by a price criterion with the {shown} formula ({MAX.name} is "
                f"the ceiling of the {Formula.BUDGET.value} formula only); they are ignored"
            )
            at = c_min if lo is not None else c_max
            row.warning(Code.UNUSED_BOUNDS, _MIN_AND_MAX, at, hint)
        return None, None
    if lo is not None:
        hint = (
            f" is not used by a price criterion ({MAX.name} is the budget ceiling); it is ignored"
        )
        row.warning(Code.UNUSED_BOUNDS, MIN.name, c_min, hint)
    if hi is None:
        head = f"the {Formula.BUDGET.value} formula needs {MAX.name}, the budget ceiling"
        at = c_max if c_max is not None else cols[FORMULA]
        row.error(Code.BUDGET_CEILING, head, at, " (the highest price you would pay)")
        return None, None
    if hi <= 0:
        head = f"the budget ceiling {MAX.name} must be a price above 0 (is {format_number(hi)})"
        row.error(Code.BUDGET_CEILING, head, c_max)
        return None, None
    return None, hi


def _goal(row: _Row, col: int | None) -> str:
    """The project goal the criterion serves (``""`` when blank): a name, so one line of at
    most :data:`MAX_NAME_LENGTH` characters without control or bidi characters, like the
    criterion's own name. Whether a project has that goal is the project's check
    (docs/projects.md §3)."""
    return row.text(col) or ""


def _must(row: _Row, col: int | None, scale: Scale) -> MustRule | None:
    try:
        return parse_must(row.raw(col), scale)
    except CellError as e:
        row.cell_error(e, col)
        return None


# -- Categories -------------------------------------------------------------------------------
def parse_categories(table: Table, problems: Problems) -> list[tuple[Category, int, bool]]:
    """Parse the Categories sheet: ``(category, excel_row, weight_ok)`` per row."""
    cols = _columns(table, schema.CATEGORIES, problems, f"{CATEGORY.name}, {WEIGHT.name}")
    if cols is None:
        return []
    out: list[tuple[Category, int, bool]] = []
    seen = Names("category")
    for r, cells in table.rows:
        row = _Row(table, r, cells, problems)
        name = row.text(cols[CATEGORY])
        if name == "":
            row.error(Code.EMPTY_NAME, "category name is empty", cols[CATEGORY])
        if name:
            table.first_time(seen, name, r, cols[CATEGORY], Code.DUPLICATE_CATEGORY, problems)
            row.name = name
        weight = _weight(row, cols[WEIGHT])
        minimum = _minimum(row, cols[CATEGORY_MINIMUM])
        desc = row.text(cols[DESCRIPTION], limit=MAX_TEXT_LENGTH) or ""
        if name:
            w = 0.0 if math.isnan(weight) else weight
            category = Category(name, w, desc, minimum=minimum)
            out.append((category, r, not math.isnan(weight)))
    return out


def _minimum(row: _Row, col: int | None) -> float | None:
    """A category's Minimum: a score from 0 to 100, ``None`` when blank
    (:func:`~vendor_eval.workbook.importing.percent.read_minimum`: ``60%`` is 60, and a
    bare 0.6 is read as 60 with a warning)."""
    try:
        reading = read_minimum(row.raw(col))
    except CellError as e:
        row.cell_error(e, col)
        return None
    if reading.note is not None:
        row.warning(Code.READ_AS_PERCENT, f"minimum {reading.note}", col, reading.hint)
    return reading.value


# -- weights across the two sheets -------------------------------------------------------------
def check_weights(
    rows: list[CriterionRow],
    crit_table: Table,
    categories: list[tuple[Category, int, bool]] | None,
    cat_table: Table | None,
    problems: Problems,
) -> tuple[list[Criterion], list[Category] | None]:
    """Link criteria to categories and check the weights (docs/scoring.md §2).

    Returns the criteria with each category spelt as in the Categories sheet (or as first
    written in Criteria), and the categories (``None`` without a Categories sheet).
    """
    weights_ok = all(r.weight_ok for r in rows)
    if categories is None or cat_table is None:
        return _without_categories(rows, crit_table, weights_ok, problems), None
    listed = {name_key(c.name): (c, row, ok) for c, row, ok in categories}
    out, used = _link_categories(rows, crit_table, listed, problems)
    c_cw = cat_table.col(WEIGHT)
    all_ok = weights_ok and all(ok for _, _, ok in categories)
    for key, (cat, row, _ok) in listed.items():
        members = used.get(key)
        _minimum_before_prices(cat, members or [], cat_table, row, problems)
        if members is None:
            message = f"category {show(cat.name)} has no criteria; it is ignored"
            problems.warning(
                Code.EMPTY_CATEGORY, message, **cat_table.at(row, cat_table.col(CATEGORY))
            )
        elif all_ok and cat.weight > 0 and all(c.weight == 0 for c in members):
            message = (
                f"category {show(cat.name)} has weight {format_number(cat.weight)} but all "
                "its criteria weigh 0"
            )
            problems.error(Code.ZERO_WEIGHT_CRITERIA, message, **cat_table.at(row, c_cw))
    if all_ok and used and all(listed[k][0].weight == 0 for k in used):
        message = "all category weights are zero: give at least one category a weight above 0"
        problems.error(Code.ALL_WEIGHTS_ZERO, message, **cat_table.at(None, c_cw))
    return out, [c for c, _, _ in categories]


def _minimum_before_prices(
    category: Category, members: list[Criterion], table: Table, row: int, problems: Problems
) -> None:
    """A Minimum is judged before prices are compared (docs/scoring.md §12), so it cannot
    apply to a category that holds a price criterion: an error naming it."""
    prices = [c.name for c in members if c.scale is Scale.PRICE]
    if category.minimum is None or not prices:
        return
    named = ", ".join(show(p) for p in prices)
    kind = "criterion" if len(prices) == 1 else "criteria"
    message = (
        f"category {show(category.name)} holds the price {kind} {named}: a "
        f"{CATEGORY_MINIMUM.name} cannot apply to it (prices are compared only among the "
        "vendors that meet the minimums); put the price in a category of its own, or "
        "clear the cell"
    )
    problems.error(Code.MINIMUM_ON_PRICE, message, **table.at(row, table.col(CATEGORY_MINIMUM)))


def _without_categories(
    rows: list[CriterionRow], crit_table: Table, weights_ok: bool, problems: Problems
) -> list[Criterion]:
    """Each category spelt as first written; all weights zero is an error."""
    spelling: dict[str, str] = {}
    out = []
    for r in rows:
        cat = spelling.setdefault(name_key(r.criterion.category), r.criterion.category)
        out.append(r.criterion.replace(category=cat))
    if weights_ok and rows and all(c.weight == 0 for c in out):
        message = "all criterion weights are zero: give at least one a weight above 0"
        problems.error(
            Code.ALL_WEIGHTS_ZERO, message, **crit_table.at(None, crit_table.col(WEIGHT))
        )
    return out


def _link_categories(
    rows: list[CriterionRow],
    crit_table: Table,
    listed: dict[str, tuple[Category, int, bool]],
    problems: Problems,
) -> tuple[list[Criterion], dict[str, list[Criterion]]]:
    """The criteria with their category spelt as listed, and the criteria of each category."""
    c_cat = crit_table.col(CATEGORY)
    out = []
    used: dict[str, list[Criterion]] = {}
    for r in rows:
        crit = r.criterion
        entry = listed.get(name_key(crit.category))
        if entry is None:
            if crit.category:
                head = f"category {show(crit.category)}"
                unlisted = f" is not listed in the {schema.CATEGORIES.name} sheet"
                message = about(head, crit.name, unlisted)
                problems.error(Code.UNKNOWN_CATEGORY, message, **crit_table.at(r.row, c_cat))
            out.append(crit)
            continue
        crit = crit.replace(category=entry[0].name)
        used.setdefault(name_key(crit.category), []).append(crit)
        out.append(crit)
    return out, used
