"""The Criteria and Categories sheets (DESIGN §2): rows → Criterion / Category, with checks.

Every problem is collected (never the first only). The weight checks of DESIGN §3.1 live
here too: all weights zero, or a category with weight > 0 whose criteria all weigh 0.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from vendor_eval.core.model import Category, Criterion, Direction, MustRule, Scale, format_number
from vendor_eval.core.problems import WARNING, Problem
from vendor_eval.workbook.importing.cells import (
    MAX_NAME_LENGTH,
    CellError,
    is_blank,
    name_key,
    parse_must,
    parse_number,
    parse_text,
    show,
)
from vendor_eval.workbook.importing.table import Table, cell

__all__ = ["CriterionRow", "check_weights", "parse_categories", "parse_criteria"]

_DIRECTIONS = "higher or lower"
_SCALES = "relative, absolute or yes/no"


@dataclass
class CriterionRow:
    """A parsed Criteria row: the criterion, its Excel row, and whether it parsed cleanly."""

    criterion: Criterion
    row: int
    weight_ok: bool = True


def _required(table: Table, problems: list[Problem], names: dict[str, tuple[str, ...]]) -> bool:
    ok = True
    for shown, aliases in names.items():
        if table.col(*aliases) is None:
            found = ", ".join(h for _, h in table.columns()) or "none"
            problems.append(
                table.problem(f'no "{shown}" column (headers found: {found})', table.header_row)
            )
            ok = False
    return ok


def _weight(table: Table, row: int, col: int | None, value: object, problems: list) -> float:
    """A weight ≥ 0, or NaN after reporting a problem."""
    if is_blank(value):
        problems.append(table.problem("weight is missing (use 0 to ignore it)", row, col))
        return math.nan
    try:
        w = parse_number(value)
    except CellError as e:
        problems.append(table.problem(e.message, row, col))
        return math.nan
    if w < 0:
        problems.append(table.problem(f"weight {format_number(w)} is negative", row, col))
        return math.nan
    return w


def parse_criteria(
    table: Table,
    problems: list[Problem],
    warnings: list[Problem],
    looks_yes_no: Callable[[str], bool] = lambda name: False,
) -> list[CriterionRow]:
    """Parse the Criteria sheet.

    Parameters
    ----------
    looks_yes_no:
        Given a criterion name, whether its values are yes/no words; used as the default
        Scale when the Scale cell is blank (numbers default to ``relative``).
    """
    if table.header_row is None:
        problems.append(table.problem("the sheet is empty: add a header row (Criterion, ...)"))
        return []
    if not _required(
        table,
        problems,
        {"Criterion": ("criterion", "criteria"), "Category": ("category",), "Weight": ("weight",)},
    ):
        return []
    c_name = table.col("criterion", "criteria")
    c_cat = table.col("category")
    c_w = table.col("weight")
    c_dir = table.col("direction")
    c_scale = table.col("scale")
    c_min = table.col("min", "minimum")
    c_max = table.col("max", "maximum")
    c_must = table.col("must", "must-have", "must have")
    c_desc = table.col("description")
    out: list[CriterionRow] = []
    seen: dict[str, int] = {}
    if not table.rows:
        problems.append(
            table.problem(
                "no criteria: add one row per criterion below the header row",
                table.header_row,
                c_name,
            )
        )
    for r, cells in table.rows:
        n_before = len(problems)

        def text(
            col: int | None, *, limit: int = MAX_NAME_LENGTH, r: int = r, cells: list = cells
        ) -> str:
            try:
                return parse_text(cell(cells, col), max_length=limit, multiline=limit > 1000)
            except CellError as e:
                problems.append(table.problem(e.message, r, col))
                return ""

        name = text(c_name)
        if not name and len(problems) == n_before:
            problems.append(table.problem("criterion name is empty", r, c_name))
        if name:
            table.first_time(seen, name, r, c_name, "criterion", problems)
        if name and name_key(name) in {"vendor", "vendor name", "supplier", "supplier name"}:
            problems.append(
                table.problem(f"{show(name)} is the vendor-name column, not a criterion", r, c_name)
            )
        category = text(c_cat)
        if not category and is_blank(cell(cells, c_cat)):
            problems.append(table.problem("category is missing", r, c_cat))
        weight = _weight(table, r, c_w, cell(cells, c_w), problems)

        direction = Direction.HIGHER
        raw = cell(cells, c_dir)
        if not is_blank(raw):
            try:
                direction = Direction.from_alias(text(c_dir))  # type: ignore[assignment]
            except ValueError:
                problems.append(
                    table.problem(f"{show(raw)} is not a direction: use {_DIRECTIONS}", r, c_dir)
                )
        scale: Scale | None = None
        raw = cell(cells, c_scale)
        if not is_blank(raw):
            try:
                scale = Scale.from_alias(text(c_scale))  # type: ignore[assignment]
            except ValueError:
                problems.append(
                    table.problem(f"{show(raw)} is not a scale: use {_SCALES}", r, c_scale)
                )
                scale = Scale.RELATIVE
        raw_must = cell(cells, c_must)
        if scale is None:
            scale = Scale.YESNO if looks_yes_no(name) else Scale.RELATIVE

        bounds: list[float | None] = []
        for col in (c_min, c_max):
            try:
                x = parse_number(cell(cells, col))
            except CellError as e:
                problems.append(table.problem(e.message, r, col))
                x = math.nan
            bounds.append(None if math.isnan(x) else x)
        lo, hi = bounds
        if scale is Scale.ABSOLUTE:
            if lo is None or hi is None:
                problems.append(
                    table.problem(
                        "absolute scale needs Min and Max (e.g. 1 and 5 for a 1–5 rating)",
                        r,
                        c_scale,
                    )
                )
            elif lo >= hi:
                problems.append(
                    table.problem(
                        f"Min ({format_number(lo)}) must be less than Max ({format_number(hi)})",
                        r,
                        c_max,
                    )
                )
        elif lo is not None or hi is not None:
            warnings.append(
                table.problem(
                    f"Min and Max are used only with Scale absolute (this one is "
                    f"{scale.value}); they are ignored",
                    r,
                    c_min if lo is not None else c_max,
                    WARNING,
                )
            )
            lo = hi = None

        must: MustRule | None = None
        try:
            must = parse_must(raw_must, scale)
        except CellError as e:
            problems.append(table.problem(e.message, r, c_must))
        description = text(c_desc, limit=32_767)
        out.append(
            CriterionRow(
                Criterion(
                    name=name,
                    category=category,
                    weight=0.0 if math.isnan(weight) else weight,
                    direction=direction,
                    scale=scale,
                    min=lo,
                    max=hi,
                    must=must,
                    description=description,
                ),
                r,
                weight_ok=not math.isnan(weight),
            )
        )
    return out


def parse_categories(table: Table, problems: list[Problem]) -> list[tuple[Category, int, bool]]:
    """Parse the Categories sheet: ``(category, excel_row, weight_ok)`` per row."""
    if table.header_row is None:
        problems.append(table.problem("the sheet is empty: add a header row (Category, Weight)"))
        return []
    if not _required(table, problems, {"Category": ("category",), "Weight": ("weight",)}):
        return []
    c_name, c_w, c_desc = table.col("category"), table.col("weight"), table.col("description")
    out: list[tuple[Category, int, bool]] = []
    seen: dict[str, int] = {}
    for r, cells in table.rows:
        try:
            name = parse_text(cell(cells, c_name), max_length=MAX_NAME_LENGTH, multiline=False)
            if not name:
                problems.append(table.problem("category name is empty", r, c_name))
        except CellError as e:
            problems.append(table.problem(e.message, r, c_name))
            name = ""
        if name:
            table.first_time(seen, name, r, c_name, "category", problems)
        weight = _weight(table, r, c_w, cell(cells, c_w), problems)
        try:
            desc = parse_text(cell(cells, c_desc))
        except CellError as e:
            problems.append(table.problem(e.message, r, c_desc))
            desc = ""
        if name:
            out.append(
                (
                    Category(name, 0.0 if math.isnan(weight) else weight, desc),
                    r,
                    not math.isnan(weight),
                )
            )
    return out


def check_weights(
    rows: list[CriterionRow],
    crit_table: Table,
    categories: list[tuple[Category, int, bool]] | None,
    cat_table: Table | None,
    problems: list[Problem],
    warnings: list[Problem],
) -> tuple[list[Criterion], list[Category] | None]:
    """Link criteria to categories and check the weights (DESIGN §3.1).

    Returns the criteria with each category spelt as in the Categories sheet (or as first
    written in Criteria), and the categories (``None`` without a Categories sheet).
    """
    c_cat, c_w = crit_table.col("category"), crit_table.col("weight")
    weights_ok = all(r.weight_ok for r in rows)
    if categories is None or cat_table is None:
        spelling: dict[str, str] = {}
        out = []
        for r in rows:
            cat = spelling.setdefault(name_key(r.criterion.category), r.criterion.category)
            out.append(r.criterion.replace(category=cat))
        if weights_ok and rows and all(c.weight == 0 for c in out):
            problems.append(
                crit_table.problem(
                    "all criterion weights are zero: give at least one a weight above 0", None, c_w
                )
            )
        return out, None
    listed = {name_key(c.name): (c, row, ok) for c, row, ok in categories}
    out = []
    used: dict[str, list[Criterion]] = {}
    for r in rows:
        crit = r.criterion
        entry = listed.get(name_key(crit.category))
        if entry is None:
            if crit.category:
                problems.append(
                    crit_table.problem(
                        f"category {show(crit.category)} is not listed in the Categories sheet",
                        r.row,
                        c_cat,
                    )
                )
            out.append(crit)
            continue
        crit = crit.replace(category=entry[0].name)
        used.setdefault(name_key(crit.category), []).append(crit)
        out.append(crit)
    c_cw = cat_table.col("weight")
    all_ok = weights_ok and all(ok for _, _, ok in categories)
    for key, (cat, row, _ok) in listed.items():
        members = used.get(key)
        if members is None:
            warnings.append(
                cat_table.problem(
                    f"category {show(cat.name)} has no criteria; it is ignored",
                    row,
                    cat_table.col("category"),
                    WARNING,
                )
            )
        elif all_ok and cat.weight > 0 and all(c.weight == 0 for c in members):
            problems.append(
                cat_table.problem(
                    f"category {show(cat.name)} has weight {format_number(cat.weight)} but all "
                    "its criteria weigh 0",
                    row,
                    c_cw,
                )
            )
    if all_ok and used and all(listed[k][0].weight == 0 for k in used):
        problems.append(
            cat_table.problem(
                "all category weights are zero: give at least one category a weight above 0",
                None,
                c_cw,
            )
        )
    return out, [c for c, _, _ in categories]
