"""The blank input workbook (``vendor-eval template``) and the sheet writers it shares.

:func:`write_template` writes an empty vendor workbook that already holds the built-in
default model (docs/workbook-format.md §9): an Instructions sheet in plain words, a Vendors
sheet with one column per default criterion (help as header comments, drop-downs for yes/no
cells), and pre-filled Criteria and Categories sheets with drop-downs for Direction and Scale.

It also holds a Settings sheet (every setting, its Value blank for the default, drop-downs
and a description of each) and an empty Costs sheet (a Frequency drop-down, help on the
headers) for the total cost of ownership.

The helpers (:func:`write_criteria_sheet`, :func:`write_categories_sheet`,
:func:`write_vendors_sheet`, :func:`write_settings_sheet`, :func:`write_costs_sheet`,
:func:`workbook_bytes`) are also used by ``data/make_sample.py`` so that the sample and the
template look and read the same.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Literal

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from vendor_eval.core.costs import TCO_CRITERION, Frequency
from vendor_eval.core.model import (
    DEFAULT_CONTRACT_TERM,
    Category,
    Criterion,
    Direction,
    Formula,
    Method,
    MissingPolicy,
    Scale,
    Settings,
)
from vendor_eval.core.problems import VendorEvalError
from vendor_eval.workbook import schema
from vendor_eval.workbook.defaults import DEFAULT_CATEGORIES, DEFAULT_CRITERIA, PERCENT_CRITERIA

if TYPE_CHECKING:  # the template itself needs no pandas; an export passes its frame
    import pandas as pd

__all__ = [
    "FIXED_TIME",
    "LAST_DATA_ROW",
    "SETTING_HELP",
    "criteria_cells",
    "number_format_for",
    "print_setup",
    "style_header_row",
    "workbook_bytes",
    "write_categories_sheet",
    "write_costs_sheet",
    "write_criteria_sheet",
    "write_settings_sheet",
    "write_template",
    "write_text_sheet",
    "write_vendors_sheet",
]

#: Drop-downs and formats reach down to this row: room for a long shortlist or register.
LAST_DATA_ROW = 1000
#: Workbook and zip timestamps, so that regenerating a file reproduces it byte for byte.
FIXED_TIME = dt.datetime(2025, 1, 1, 0, 0, 0)

_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="305496")
_TITLE_FONT = Font(bold=True, size=14)
_WRAP = Alignment(wrap_text=True, vertical="top")

INSTRUCTIONS: list[tuple[str, str]] = [
    ("title", "Vendor evaluation workbook — how to fill it in"),
    ("", ""),
    ("heading", "Three ways to give your data"),
    (
        "",
        "(1) One row per vendor, as on this workbook's Vendors sheet: a Vendor column, then "
        "one column per criterion. Example: Vendor | Technical fit | Blended hourly rate, "
        "then a row Acme IT | 4 | 95.",
    ),
    (
        "",
        "(2) An evaluation matrix, as most scorecard templates lay it out: criteria as rows, "
        "a Weight column, one column per vendor. Example: Criterion | Weight | Acme IT | "
        "Globex Services, then a row Technical fit | 30% | 4 | 3. Category, Direction, Scale, "
        "Min, Max, Must and Description columns may be added, before or after the vendors.",
    ),
    (
        "",
        "In a matrix, a row holding only a name (e.g. Capability) is a section heading: it is "
        "the Category of the criteria below it. Without a Category column or headings every "
        "criterion is in the category General; without a Weight column every criterion "
        "weighs the same. A Total row is skipped.",
    ),
    (
        "",
        "(3) One response file per vendor, each vendor's filled-in questionnaire: combine "
        "them with vendor-eval combine OUT.xlsx FILE… or upload the files together in the "
        "dashboard. Each file's vendor comes from its single Vendors row or from a Vendor "
        "label cell on its first sheet (Vendor | Acme IT); the Criteria come from the one "
        "file that has a Criteria sheet.",
    ),
    ("", ""),
    ("heading", "1. Vendors sheet: one row per vendor"),
    (
        "",
        "Type each vendor's name in the Vendor column (names must be unique), then one value "
        "per criterion column. Leave a cell empty when you do not know the value: it counts as "
        "missing (by default: no evidence, no points).",
    ),
    ("", "Hover over a column header to see what to enter and why it matters."),
    (
        "",
        "Columns that are not criteria (Website, Country, Contact, Notes, or any column you "
        "add) are kept as descriptive text and shown next to the results.",
    ),
    ("", ""),
    ("heading", "2. Values the tool understands"),
    (
        "",
        "Numbers: 1200, 1,200 and 4.5 all work. Percentages: 99.5% (as Excel stores it, "
        '0.995) or the text "99.5%".',
    ),
    ("", "Yes/no cells: yes, no, y, n, true, false, 1, 0 (pick yes or no from the drop-down)."),
    ("", "Ratings 1–5: 1 = poor, 5 = excellent; decimals such as 3.5 are fine."),
    (
        "",
        "Formulas are fine as long as the file was last saved in Excel or LibreOffice, so "
        "their results are stored.",
    ),
    ("", ""),
    ("heading", "3. Criteria sheet: what counts and how much"),
    (
        "",
        "One row per criterion. Criterion must match a Vendors column header exactly "
        "(upper/lower case does not matter). Delete a row to stop using that criterion, or add "
        "a row (and a Vendors column) for a criterion of your own.",
    ),
    (
        "",
        "Weight: how much the criterion counts within its category (any numbers ≥ 0; "
        "only their proportions matter).",
    ),
    (
        "",
        "Direction: higher (more is better) or lower (less is better, e.g. response time). "
        "A price is always lower-is-better: leave its Direction empty or write lower.",
    ),
    (
        "",
        "Scale: relative (the best vendor on the shortlist gets full points, the worst "
        "none), absolute (points measured between Min and Max, e.g. 1 and 5 for a rating), "
        "yes/no, or price (a price or cost, scored by its Formula; every price must be above "
        "0).",
    ),
    (
        "",
        "Formula (price and relative criteria only; leave it empty for the default): ratio, "
        "linear or budget. For a price, ratio is the default and the public-procurement norm: "
        "points = lowest price ÷ this price, so a bid of 100 against a lowest bid of 80 gets "
        "80% of the points. linear gives the lowest price full points and the highest none. "
        "budget gives the lowest price full points, falling to none at the ceiling written in "
        "Max (a bid above Max gets no points but is not disqualified).",
    ),
    (
        "",
        "On a relative criterion the default is linear (best full points, worst none). Write "
        "ratio when the worst vendor still deserves points in proportion: value ÷ the "
        "highest (or the lowest ÷ value when lower is better). With years in business of 9, "
        "12 and 15, linear gives the 9-year vendor 0 points; ratio gives it 9 ÷ 15 = 60%.",
    ),
    (
        "",
        "Must (optional): a knock-out rule. A vendor that fails it, or has no value, is "
        "disqualified. Write yes (for yes/no criteria), or a comparison and a number: >= 3, "
        "> 0, <= 50000, < 10, = 1. On a price the rule is checked on the price itself "
        "(e.g. <= 50000 for a budget limit).",
    ),
    (
        "",
        "Goal (optional): the project goal the criterion serves, written as the project names "
        "it (upper/lower case does not matter), e.g. Lower running cost. Used when the workbook "
        "is imported into a project, which then warns about a goal that no weighted criterion "
        "serves; leave it empty otherwise.",
    ),
    ("", ""),
    ("heading", "4. Categories sheet: how much each area counts"),
    (
        "",
        "One row per category with its weight (any numbers ≥ 0; only proportions matter). "
        "Every category used on the Criteria sheet must be listed here. Delete the whole sheet "
        "to weigh all criteria against each other directly instead.",
    ),
    (
        "",
        "Minimum (optional, 0–100): a quality minimum for the category, as in a two-envelope "
        "tender. A vendor whose category score is below it is disqualified before any price is "
        "compared, so prices are scored only among the vendors that meet every minimum. Type 60 "
        "or 60%. A category that holds a price criterion cannot have a Minimum.",
    ),
    ("", ""),
    ("heading", "5. Total cost of ownership (Costs sheet)"),
    (
        "",
        "List each vendor's costs on the Costs sheet, one row per cost line: Vendor (as on the "
        "Vendors sheet), Item, Amount (0 or more), Frequency (one-off, monthly, quarterly or "
        "yearly) and Quantity (empty = 1). Example: Acme | Licence | 1,000 | monthly | 2.",
    ),
    (
        "",
        "The total cost of ownership is Amount × Quantity for one-off items, and Amount × "
        "Quantity for every payment of the contract term for recurring items (12 a year for "
        "monthly, 4 for quarterly, 1 for yearly), each year discounted at the Settings sheet's "
        "Discount rate; one-off items are never discounted.",
    ),
    (
        "",
        f"To score it, add a row to the Criteria sheet: Criterion {TCO_CRITERION}, a "
        "Category (e.g. Cost), a Weight and Scale price (Formula as for any price). Do not "
        "add a Vendors column of that name: the Costs sheet fills it. A vendor without cost "
        "lines, or with an empty Amount, has no total cost (it counts as missing). Leave the "
        "Costs sheet empty if you do not use it.",
    ),
    ("", ""),
    ("heading", "6. Settings sheet (optional)"),
    (
        "",
        "One row per setting, with its Value; an empty Value keeps the default. Method: wsm "
        "(weighted sum) or topsis. Missing values: worst, mean or exclude. Quality minimum "
        "(0–100): the minimum of the quality score, every criterion but the prices. Contract "
        f"term (years): 1 to 30 (default {DEFAULT_CONTRACT_TERM}). Discount rate: e.g. 5% "
        "(default 0%). Disagreement threshold: 0.01 to 1, for several evaluators.",
    ),
    (
        "",
        "Options given on the command line (vendor-eval rank --method topsis) override the "
        "Settings sheet; the results say which value applied and where it came from.",
    ),
    ("", ""),
    ("heading", "7. Several evaluators (optional Scores sheet)"),
    (
        "",
        f"To let several people rate vendors, add a sheet named {schema.SCORES.name} with the "
        f"columns {', '.join(schema.SCORES.headers)} (one row per rating) and remove that "
        "criterion's column from the Vendors sheet. The average of the evaluators' scores "
        "becomes the vendor's value.",
    ),
    ("", ""),
    ("heading", "8. Check and rank"),
    (
        "",
        "Command line: vendor-eval validate THIS_FILE.xlsx lists every problem with its "
        "cell; vendor-eval rank THIS_FILE.xlsx ranks the vendors. Or upload the file in the "
        "dashboard.",
    ),
]

#: What each setting means, shown beside it on the template's Settings sheet (by field).
SETTING_HELP: dict[str, str] = {
    "method": (
        f"{Method.WSM.value} (weighted sum) or {Method.TOPSIS.value} (closeness to the ideal "
        f"vendor). Empty: {Method.WSM.value}."
    ),
    "missing": (
        f"What an empty cell is worth: {MissingPolicy.WORST.value} (no evidence, no points), "
        f"{MissingPolicy.MEAN.value} (the average of the vendors that have a value) or "
        f"{MissingPolicy.EXCLUDE.value} (leave the criterion out for that vendor; not with "
        f"{Method.TOPSIS.value}). Empty: {MissingPolicy.WORST.value}."
    ),
    "quality_minimum": (
        "0–100: a vendor whose quality score (every criterion but the prices) is below it is "
        "disqualified before prices are compared. Empty: none."
    ),
    "contract_term": (
        "A whole number of years, 1 to 30: the years over which the Costs sheet's recurring "
        f"costs are counted. Empty: {DEFAULT_CONTRACT_TERM}."
    ),
    "discount_rate": (
        "A percentage such as 5%: each later year's recurring costs are discounted at this "
        "rate (one-off costs never are). Empty: 0%."
    ),
    "disagreement_threshold": (
        "0.01 to 1 (a share of a scale's range): how far apart two evaluators' scores may be "
        "before they are flagged. Empty: 0.4."
    ),
}
# The Excel number format and the data validation of each setting's Value cell.
_SETTING_FORMATS = {
    "quality_minimum": "0.0",
    "contract_term": "0",
    "discount_rate": "0.0%",
    "disagreement_threshold": "0.00",
}
# (Value, meaning) of each Costs column's header comment.
_COST_HELP: dict[str, str] = {
    schema.COST_VENDOR.name: "The vendor, named exactly as on the Vendors sheet.",
    schema.COST_ITEM.name: "What the cost is for: Licence, Setup, Support, Training...",
    schema.COST_AMOUNT.name: (
        "The price of one unit for one payment, 0 or more, in the same currency for every "
        "vendor. Leave it empty if it is not known yet (the vendor's total is then missing)."
    ),
    schema.COST_FREQUENCY.name: (
        "one-off, monthly, quarterly or yearly. Recurring costs count for every payment of "
        "the Settings sheet's Contract term (years)."
    ),
    schema.COST_QUANTITY.name: "How many units (users, licences, servers). Empty: 1.",
}


def number_format_for(criterion: Criterion) -> str:
    """The Excel number format for a criterion's column (percent, rating, count, money)."""
    if criterion.name in PERCENT_CRITERIA:
        return "0.0%"
    if criterion.scale is Scale.ABSOLUTE:
        return "0.0"
    if criterion.scale is Scale.YESNO:
        return "@"
    if criterion.direction.value == "lower" and "rate" in criterion.name.lower():
        return "#,##0.00"
    return "#,##0"


def style_header_row(ws: Worksheet, headers: Sequence[str], widths: Sequence[float]) -> None:
    """Write a bold, coloured, frozen header row and set the column widths."""
    for col, (text, width) in enumerate(zip(headers, widths, strict=True), start=1):
        cell = ws.cell(row=1, column=col, value=text)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "A2"


def _list_validation(
    ws: Worksheet, items: Sequence[str], col: int, title: str, cells: str | None = None
) -> None:
    """A drop-down of ``items`` down column ``col`` (or on ``cells`` only)."""
    letter = get_column_letter(col)
    dv = DataValidation(
        type="list",
        formula1='"' + ",".join(items) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=title,
        error=f"Choose one of: {', '.join(items)}",
        promptTitle=title,
        prompt=f"Choose {' or '.join(items)}",
    )
    dv.add(cells or f"{letter}2:{letter}{LAST_DATA_ROW}")
    ws.add_data_validation(dv)


def _number_validation(
    ws: Worksheet,
    col: int,
    low: float,
    high: float | None,
    message: str,
    *,
    stop: bool,
    operator: Literal["greaterThan", "greaterThanOrEqual"] | None = None,
    kind: Literal["decimal", "whole"] = "decimal",
    cells: str | None = None,
) -> None:
    """A number check down column ``col`` (or on ``cells`` only): at least ``low`` (or
    ``operator`` against it), or between ``low`` and ``high``."""
    letter = get_column_letter(col)
    dv = DataValidation(
        type=kind,
        operator=operator or ("greaterThanOrEqual" if high is None else "between"),
        formula1=f"{low:g}",
        formula2=None if high is None else f"{high:g}",
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="stop" if stop else "warning",
        error=message,
    )
    dv.add(cells or f"{letter}2:{letter}{LAST_DATA_ROW}")
    ws.add_data_validation(dv)


def criteria_cells(c: Criterion) -> dict[schema.Column, object]:
    """A criterion's Criteria row, by column."""
    return {
        schema.CRITERION: c.name,
        schema.CATEGORY: c.category,
        schema.WEIGHT: c.weight,
        schema.DIRECTION: c.direction.value,
        schema.SCALE: c.scale.value,
        schema.FORMULA: c.formula.value if c.formula is not None else None,
        schema.MIN: c.min,
        schema.MAX: c.max,
        schema.MUST: c.must.text if c.must is not None else None,
        schema.GOAL: c.goal or None,
        schema.DESCRIPTION: c.description,
    }


def _col(sheet: schema.SheetLayout, column: schema.Column) -> int:
    """The 1-based column number at which ``column`` is written on ``sheet``."""
    return sheet.index(column) + 1


def write_criteria_sheet(wb: Workbook, criteria: Sequence[Criterion]) -> Worksheet:
    """Add a Criteria sheet listing ``criteria`` with drop-downs for Direction, Scale and
    Formula."""
    sheet = schema.CRITERIA
    ws = wb.create_sheet(sheet.name)
    widths = {schema.CRITERION: 28, schema.CATEGORY: 20, schema.WEIGHT: 9}
    widths |= {schema.DIRECTION: 11, schema.SCALE: 11, schema.FORMULA: 11, schema.MIN: 7}
    widths |= {schema.MAX: 9, schema.MUST: 9, schema.GOAL: 24, schema.DESCRIPTION: 90}
    style_header_row(ws, sheet.headers, [widths[c] for c in sheet.columns])
    must, description = _col(sheet, schema.MUST), _col(sheet, schema.DESCRIPTION)
    for row, c in enumerate(criteria, start=2):
        values = criteria_cells(c)
        for col, column in enumerate(sheet.columns, start=1):
            cell = ws.cell(row=row, column=col, value=values[column])
            if col == must:
                cell.number_format = "@"  # ">= 3" must stay text, never become a formula
        ws.cell(row=row, column=description).alignment = _WRAP
    choices: tuple[tuple[schema.Column, type[Direction | Scale | Formula]], ...] = (
        (schema.DIRECTION, Direction),
        (schema.SCALE, Scale),
        (schema.FORMULA, Formula),
    )
    for column, kinds in choices:
        _list_validation(ws, [x.value for x in kinds], _col(sheet, column), column.name)
    ws.cell(row=1, column=_col(sheet, schema.FORMULA)).comment = Comment(
        "Price and relative criteria only; empty = the default. ratio: lowest ÷ price (the "
        "default for a price), or value ÷ highest. linear: best full points, worst none (the "
        "default for a relative criterion). budget (price only): full points at the lowest "
        "price, none at the ceiling in Max.",
        "vendor_eval",
        width=320,
        height=120,
    )
    weight = _col(sheet, schema.WEIGHT)
    _number_validation(ws, weight, 0, None, "A weight is a number of 0 or more.", stop=True)
    ws.column_dimensions[get_column_letter(must)].number_format = "@"
    return ws


def write_categories_sheet(wb: Workbook, categories: Sequence[Category]) -> Worksheet:
    """Add a Categories sheet listing ``categories`` (weights must be ≥ 0, a Minimum from
    0 to 100)."""
    sheet = schema.CATEGORIES
    ws = wb.create_sheet(sheet.name)
    widths = {schema.CATEGORY: 22, schema.WEIGHT: 9, schema.CATEGORY_MINIMUM: 10}
    style_header_row(ws, sheet.headers, [widths.get(c, 90) for c in sheet.columns])
    name, weight = _col(sheet, schema.CATEGORY), _col(sheet, schema.WEIGHT)
    minimum = _col(sheet, schema.CATEGORY_MINIMUM)
    description = _col(sheet, schema.DESCRIPTION)
    for row, k in enumerate(categories, start=2):
        ws.cell(row=row, column=name, value=k.name)
        ws.cell(row=row, column=weight, value=k.weight)
        ws.cell(row=row, column=minimum, value=k.minimum)
        ws.cell(row=row, column=description, value=k.description).alignment = _WRAP
    _number_validation(ws, weight, 0, None, "A weight is a number of 0 or more.", stop=True)
    _number_validation(
        ws, minimum, 0, 100, "A minimum is a score from 0 to 100 (e.g. 60).", stop=True
    )
    ws.cell(row=1, column=minimum).comment = Comment(
        "Optional, 0–100: a vendor whose score in this category is below it is disqualified "
        "before prices are compared (two-envelope evaluation). Not on a category that holds a "
        "price criterion.",
        "vendor_eval",
        width=300,
        height=100,
    )
    return ws


def write_settings_sheet(wb: Workbook, settings: Settings | None = None) -> Worksheet:
    """Add a Settings sheet: one row per setting (:data:`schema.SETTING_ROWS`), its Value
    as ``settings`` sets it (empty: the default), and what it means in a third column.

    Method and Missing values get drop-downs; the other values checks of their range, and
    the Discount rate cell a percentage format (so ``5`` typed into it is 5 %).
    """
    sheet = schema.SETTINGS
    ws = wb.create_sheet(sheet.name)
    style_header_row(ws, [*sheet.headers, schema.DESCRIPTION.name], [26, 14, 100])
    value_col = _col(sheet, schema.SETTING_VALUE)
    letter = get_column_letter(value_col)
    given = settings or Settings()
    for row, setting in enumerate(schema.SETTING_ROWS, start=2):
        ws.cell(row=row, column=_col(sheet, schema.SETTING), value=setting.name)
        value = getattr(given, setting.field)
        cell = ws.cell(row=row, column=value_col, value=_setting_cell(value))
        cell.number_format = _SETTING_FORMATS.get(setting.field, "@")
        help_cell = ws.cell(row=row, column=value_col + 1, value=SETTING_HELP[setting.field])
        help_cell.alignment = _WRAP
        here = f"{letter}{row}"
        if setting.field == "method":
            _list_validation(ws, [m.value for m in Method], value_col, setting.name, here)
        elif setting.field == "missing":
            items = [m.value for m in MissingPolicy]
            _list_validation(ws, items, value_col, setting.name, here)
        elif setting.field == "quality_minimum":
            message = "The quality minimum is a score from 0 to 100."
            _number_validation(ws, value_col, 0, 100, message, stop=True, cells=here)
        elif setting.field == "contract_term":
            message = "The contract term is a whole number of years from 1 to 30."
            _number_validation(ws, value_col, 1, 30, message, stop=True, kind="whole", cells=here)
        elif setting.field == "discount_rate":
            message = "The discount rate is a percentage from 0% to below 100% (e.g. 5%)."
            _number_validation(ws, value_col, 0, 0.9999, message, stop=True, cells=here)
        elif setting.field == "disagreement_threshold":
            message = "The disagreement threshold is a share from 0.01 to 1 (0.4 = 40%)."
            _number_validation(ws, value_col, 0.01, 1, message, stop=True, cells=here)
    return ws


def _setting_cell(value: object) -> object:
    """A setting's value as its Value cell holds it (an enum as its text)."""
    if isinstance(value, Method | MissingPolicy):
        return value.value
    return value


def write_costs_sheet(wb: Workbook, costs: pd.DataFrame | None = None) -> Worksheet:
    """Add a Costs sheet: Vendor, Item, Amount, Frequency, Quantity, with help on each
    header, a Frequency drop-down and checks of Amount (≥ 0) and Quantity (> 0).

    ``costs`` is the long frame of ``Evaluation.costs`` (its rows are written), or ``None``
    for an empty sheet.
    """
    sheet = schema.COSTS
    ws = wb.create_sheet(sheet.name)
    widths = {schema.COST_VENDOR: 26, schema.COST_ITEM: 30, schema.COST_AMOUNT: 14}
    widths |= {schema.COST_FREQUENCY: 13, schema.COST_QUANTITY: 10}
    style_header_row(ws, sheet.headers, [widths[c] for c in sheet.columns])
    for col, column in enumerate(sheet.columns, start=1):
        ws.cell(row=1, column=col).comment = Comment(
            _COST_HELP[column.name], "vendor_eval", width=300, height=90
        )
    amount, frequency = _col(sheet, schema.COST_AMOUNT), _col(sheet, schema.COST_FREQUENCY)
    quantity = _col(sheet, schema.COST_QUANTITY)
    ws.column_dimensions[get_column_letter(amount)].number_format = "#,##0.00"
    _list_validation(ws, [f.value for f in Frequency], frequency, schema.COST_FREQUENCY.name)
    message = "An amount is a number of 0 or more."
    _number_validation(ws, amount, 0, None, message, stop=True)
    message = "A quantity is a number above 0."
    _number_validation(ws, quantity, 0, None, message, stop=True, operator="greaterThan")
    if costs is not None:
        _write_cost_rows(ws, costs)
    return ws


def _write_cost_rows(ws: Worksheet, costs: pd.DataFrame) -> None:
    for r, line in enumerate(costs.itertuples(index=False), start=2):
        for c, value in enumerate(line, start=1):
            if isinstance(value, Frequency):
                value = value.value
            elif isinstance(value, float) and value != value:  # NaN: not known yet
                value = None
            cell = ws.cell(row=r, column=c, value=value)
            if c == _col(schema.COSTS, schema.COST_AMOUNT):
                cell.number_format = "#,##0.00"


def write_vendors_sheet(
    wb: Workbook,
    criteria: Sequence[Criterion],
    rows: Sequence[dict[str, object]] = (),
    *,
    leading: Sequence[str] = (),
    trailing: Sequence[str] = ("Website", "Notes"),
) -> Worksheet:
    """Add a Vendors sheet: Vendor, ``leading`` columns, one per criterion, ``trailing``.

    Each criterion header carries its description as a cell comment; yes/no columns get a
    yes/no drop-down, rating columns a 1–5 check (a warning, not a refusal), and every
    column its number format. ``rows`` maps headers to values (absent or None = empty).
    """
    ws = wb.create_sheet(schema.VENDORS.name)
    headers = [schema.VENDOR.name, *leading, *(c.name for c in criteria), *trailing]
    widths = [26] + [max(12.0, min(len(h) + 4.0, 30.0)) for h in headers[1:]]
    for i, h in enumerate(headers):
        if h in ("Website", "Contact"):
            widths[i] = 30
        elif h == "Notes":
            widths[i] = 60
    style_header_row(ws, headers, widths)
    ws.row_dimensions[1].height = 32
    ws.freeze_panes = "B2"
    ws.cell(row=1, column=1).comment = Comment(
        "One row per vendor. Names must be unique.", "vendor_eval", width=240, height=60
    )
    first = 2 + len(leading)
    for offset, c in enumerate(criteria):
        col = first + offset
        letter = get_column_letter(col)
        rule = f"\nMust: {c.must.text}" if c.must is not None else ""
        ws.cell(row=1, column=col).comment = Comment(
            f"{c.description}{rule}", "vendor_eval", width=320, height=140
        )
        fmt = number_format_for(c)
        ws.column_dimensions[letter].number_format = fmt
        if c.scale is Scale.YESNO:
            _list_validation(ws, ["yes", "no"], col, c.name)
        elif c.scale is Scale.PRICE:
            message = f"{c.name} is a price: a number above 0."
            _number_validation(ws, col, 0, None, message, stop=False, operator="greaterThan")
        elif c.scale is Scale.ABSOLUTE and c.min is not None and c.max is not None:
            _number_validation(
                ws,
                col,
                c.min,
                c.max,
                f"{c.name} is rated from {c.min:g} to {c.max:g}.",
                stop=False,
            )
        for r in range(2, 2 + len(rows)):
            ws.cell(row=r, column=col).number_format = fmt
    for r, data in enumerate(rows, start=2):
        for col, h in enumerate(headers, start=1):
            value = data.get(h)
            if value is not None:
                cell = ws.cell(row=r, column=col, value=value)
                if h == "Notes":
                    cell.alignment = Alignment(wrap_text=False, vertical="top")
    return ws


def write_text_sheet(wb: Workbook, title: str, lines: Sequence[tuple[str, str]]) -> Worksheet:
    """Add a sheet of explanatory text: one (style, text) pair per row, column A."""
    ws = wb.create_sheet(title)
    ws.column_dimensions["A"].width = 110
    ws.sheet_view.showGridLines = False
    for row, (style, text) in enumerate(lines, start=1):
        cell = ws.cell(row=row, column=1, value=text or None)
        if style == "title":
            cell.font = _TITLE_FONT
        elif style == "heading":
            cell.font = Font(bold=True, size=12)
        else:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            n_lines = _wrapped_lines(text)
            if n_lines > 1:
                ws.row_dimensions[row].height = _LINE_HEIGHT * n_lines + 2
    return ws


#: Characters across a printed page at 100% (A4 or Letter, default margins): a sheet no
#: wider prints portrait, a wider one landscape, fitted to one page wide.
_PORTRAIT_CHARS = 92.0
_FOOTER = "&A, page &P of &N"
_MARGIN = 12.0  # the width of the empty column at the right of a printed template sheet


def print_setup(ws: Worksheet, *, title_row: bool = True) -> None:
    """Print a sheet whole and legibly: the print area is its used range and one empty
    column more (LibreOffice prints a wrapped line a little wider than its column: the
    margin keeps its end on the page), the header row
    (``title_row``) repeats on every page, it is fitted to one page wide (portrait when it
    is narrow enough, else landscape), the footer names the sheet and the page, and a
    wrapped text's row is as tall as its lines (no viewer sizes an unsized row, and a
    too-short row prints its text over the next)."""
    last_col = max(ws.max_column, 1) + 1  # the margin column
    ws.column_dimensions[get_column_letter(last_col)].width = _MARGIN
    across = sum(_width(ws, j) for j in range(1, last_col + 1))
    ws.page_setup.orientation = "portrait" if across <= _PORTRAIT_CHARS else "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    props = ws.sheet_properties
    if props.pageSetUpPr is None:  # openpyxl always makes one; its stubs allow None
        props.pageSetUpPr = PageSetupProperties()
    props.pageSetUpPr.fitToPage = True
    ws.print_area = f"A1:{get_column_letter(last_col)}{max(ws.max_row, 1)}"
    if title_row:
        ws.print_title_rows = "1:1"
    footer = ws.oddFooter
    if footer is not None:  # openpyxl always makes one; its stubs allow None
        footer.center.text = _FOOTER
    start = 2 if title_row else 1
    for r, row in enumerate(ws.iter_rows(min_row=start), start):
        lines = max(
            (_lines(c.value, _width(ws, c.column)) for c in row
             if isinstance(c.value, str) and c.alignment.wrap_text),
            default=1,
        )  # fmt: skip
        if lines > 1:
            height = _LINE_HEIGHT * lines + 2
            ws.row_dimensions[r].height = max(ws.row_dimensions[r].height or 0, height)


def _width(ws: Worksheet, j: int) -> float:
    """Column ``j``'s width in characters (Excel's default when unset)."""
    return float(ws.column_dimensions[get_column_letter(j)].width or 8.43)


def _lines(text: str, width: float) -> int:
    """Lines ``text`` takes wrapped in a column ``width`` wide (generously counted)."""
    per = max(int(width) - 2, 1)
    total = 0
    for part in text.split("\n"):
        lines, used = 1, 0
        for word in re.findall(r"\S+?(?:-|\s+|$)", part):
            size = len(word.rstrip())
            if used and used + size > per:
                lines, used = lines + 1, 0
            while size > per:  # a word longer than a line fills whole lines
                lines, size = lines + 1, size - per
            used += len(word)
        total += lines
    return total


# Characters of ordinary text that fit on one line of the 110-wide text column (fewer than
# the width, so that a line is never cut short), and the height of a line in points: every
# paragraph gets the rows' height it needs, so no line overprints the next in any viewer.
_CHARS_PER_LINE = 100
_LINE_HEIGHT = 15


def _wrapped_lines(text: str) -> int:
    """How many lines ``text`` takes in the text column (at least 1)."""
    return sum(max(1, -(-len(part) // _CHARS_PER_LINE)) for part in (text or "").split("\n"))


def workbook_bytes(wb: Workbook, *, when: dt.datetime = FIXED_TIME) -> bytes:
    """Serialise ``wb`` to .xlsx bytes that depend only on its content.

    openpyxl stamps the save time into the document properties and every zip member;
    both are set to ``when`` instead, so a regenerated file is identical to the last one.
    """
    wb.properties.creator = "vendor_eval"
    wb.properties.created = when
    wb.properties.modified = when
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).write_data()
    out = io.BytesIO()
    stamp = when.timetuple()[:6]
    with (
        zipfile.ZipFile(raw) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for member in src.infolist():
            info = zipfile.ZipInfo(member.filename, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            info.create_system = 3  # as on Unix, so Windows produces the same bytes
            dst.writestr(info, src.read(member.filename))
    return out.getvalue()


def build_template() -> Workbook:
    """The blank input workbook as an openpyxl :class:`Workbook` (not yet saved)."""
    wb = Workbook()
    wb.remove(wb.worksheets[0])  # the empty default sheet
    write_text_sheet(wb, "Instructions", INSTRUCTIONS)
    write_vendors_sheet(
        wb, DEFAULT_CRITERIA, leading=(), trailing=("Website", "Country", "Contact", "Notes")
    )
    write_criteria_sheet(wb, DEFAULT_CRITERIA)
    write_categories_sheet(wb, DEFAULT_CATEGORIES)
    write_settings_sheet(wb)
    write_costs_sheet(wb)
    for ws in wb.worksheets:
        print_setup(ws, title_row=ws.title != "Instructions")
    wb.active = 0
    return wb


def write_template(target: str | Path | BinaryIO | None = None) -> bytes | None:
    """Write the blank vendor workbook with the default model.

    Parameters
    ----------
    target:
        A file path, a writable binary file object, or ``None``.

    Returns
    -------
    bytes or None
        The .xlsx bytes when ``target`` is ``None`` (for a download button), else ``None``.

    Raises
    ------
    VendorEvalError
        When the file cannot be written (missing folder, no permission).
    """
    data = workbook_bytes(build_template())
    if target is None:
        return data
    if isinstance(target, (str, Path)):
        try:
            Path(target).write_bytes(data)
        except OSError as e:
            raise VendorEvalError(f"{target}: cannot write the template ({e.strerror})") from e
    else:
        target.write(data)
    return None
