"""The blank input workbook (``vendor-eval template``) and the sheet writers it shares.

:func:`write_template` writes an empty vendor workbook that already holds the built-in
default model (docs/workbook-format.md §9): an Instructions sheet in plain words, a Vendors
sheet with one column per default criterion (help as header comments, drop-downs for yes/no
cells), and pre-filled Criteria and Categories sheets with drop-downs for Direction and Scale.

The helpers (:func:`write_criteria_sheet`, :func:`write_categories_sheet`,
:func:`write_vendors_sheet`, :func:`workbook_bytes`) are also used by ``data/make_sample.py``
so that the sample and the template look and read the same.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from vendor_eval.core.model import Category, Criterion, Direction, Scale
from vendor_eval.core.problems import VendorEvalError
from vendor_eval.workbook import schema
from vendor_eval.workbook.defaults import DEFAULT_CATEGORIES, DEFAULT_CRITERIA, PERCENT_CRITERIA

__all__ = [
    "FIXED_TIME",
    "LAST_DATA_ROW",
    "number_format_for",
    "style_header_row",
    "workbook_bytes",
    "write_categories_sheet",
    "write_criteria_sheet",
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
        "Direction: higher (more is better) or lower (less is better, e.g. price or "
        "response time).",
    ),
    (
        "",
        "Scale: relative (the best vendor on the shortlist gets full points, the worst "
        "none), absolute (points measured between Min and Max, e.g. 1 and 5 for a rating) or "
        "yes/no.",
    ),
    (
        "",
        "Must (optional): a knock-out rule. A vendor that fails it, or has no value, is "
        "disqualified. Write yes (for yes/no criteria), or a comparison and a number: >= 3, "
        "> 0, <= 50000, < 10, = 1.",
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
    ("", ""),
    ("heading", "5. Several evaluators (optional Scores sheet)"),
    (
        "",
        f"To let several people rate vendors, add a sheet named {schema.SCORES.name} with the "
        f"columns {', '.join(schema.SCORES.headers)} (one row per rating) and remove that "
        "criterion's column from the Vendors sheet. The average of the evaluators' scores "
        "becomes the vendor's value.",
    ),
    ("", ""),
    ("heading", "6. Check and rank"),
    (
        "",
        "Command line: vendor-eval validate THIS_FILE.xlsx lists every problem with its "
        "cell; vendor-eval rank THIS_FILE.xlsx ranks the vendors. Or upload the file in the "
        "dashboard.",
    ),
]


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


def _list_validation(ws: Worksheet, items: Sequence[str], col: int, title: str) -> None:
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
    dv.add(f"{letter}2:{letter}{LAST_DATA_ROW}")
    ws.add_data_validation(dv)


def _number_validation(
    ws: Worksheet, col: int, low: float, high: float | None, message: str, *, stop: bool
) -> None:
    letter = get_column_letter(col)
    dv = DataValidation(
        type="decimal",
        operator="greaterThanOrEqual" if high is None else "between",
        formula1=f"{low:g}",
        formula2=None if high is None else f"{high:g}",
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="stop" if stop else "warning",
        error=message,
    )
    dv.add(f"{letter}2:{letter}{LAST_DATA_ROW}")
    ws.add_data_validation(dv)


def _criteria_cells(c: Criterion) -> dict[schema.Column, object]:
    """A criterion's Criteria row, by column."""
    return {
        schema.CRITERION: c.name,
        schema.CATEGORY: c.category,
        schema.WEIGHT: c.weight,
        schema.DIRECTION: c.direction.value,
        schema.SCALE: c.scale.value,
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
    """Add a Criteria sheet listing ``criteria`` with drop-downs for Direction and Scale."""
    sheet = schema.CRITERIA
    ws = wb.create_sheet(sheet.name)
    style_header_row(ws, sheet.headers, [28, 20, 9, 11, 11, 7, 7, 9, 24, 90])
    must, description = _col(sheet, schema.MUST), _col(sheet, schema.DESCRIPTION)
    for row, c in enumerate(criteria, start=2):
        values = _criteria_cells(c)
        for col, column in enumerate(sheet.columns, start=1):
            cell = ws.cell(row=row, column=col, value=values[column])
            if col == must:
                cell.number_format = "@"  # ">= 3" must stay text, never become a formula
        ws.cell(row=row, column=description).alignment = _WRAP
    for column, choices in ((schema.DIRECTION, Direction), (schema.SCALE, Scale)):
        _list_validation(ws, [x.value for x in choices], _col(sheet, column), column.name)
    weight = _col(sheet, schema.WEIGHT)
    _number_validation(ws, weight, 0, None, "A weight is a number of 0 or more.", stop=True)
    ws.column_dimensions[get_column_letter(must)].number_format = "@"
    return ws


def write_categories_sheet(wb: Workbook, categories: Sequence[Category]) -> Worksheet:
    """Add a Categories sheet listing ``categories`` (weights must be ≥ 0)."""
    sheet = schema.CATEGORIES
    ws = wb.create_sheet(sheet.name)
    style_header_row(ws, sheet.headers, [22, 9, 90])
    name, weight = _col(sheet, schema.CATEGORY), _col(sheet, schema.WEIGHT)
    description = _col(sheet, schema.DESCRIPTION)
    for row, k in enumerate(categories, start=2):
        ws.cell(row=row, column=name, value=k.name)
        ws.cell(row=row, column=weight, value=k.weight)
        ws.cell(row=row, column=description, value=k.description).alignment = _WRAP
    _number_validation(ws, weight, 0, None, "A weight is a number of 0 or more.", stop=True)
    return ws


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
    return ws


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
