"""The Vendors sheet (docs/workbook-format.md §2): which sheet, the vendor names, its cells.

:func:`read_vendors` finds the sheet (``Vendors``, or a lone sheet named otherwise), reads
the vendor names with their checks (a sheet laid out the other way round, an evaluation
matrix, is turned into a Vendors sheet before: :mod:`vendor_eval.workbook.importing.matrix`).
:func:`vendor_values` parses the criterion cells and checks the descriptive ones once the
criteria are known.

Rows named like a weights row (``Weight``) or a total row (``Total``, ``Average``, ``Max``...)
are not vendors (docs/workbook-format.md §2.2): a total row is skipped with a warning, a
weights row is kept aside in :attr:`Vendors.weights_rows` for
:mod:`vendor_eval.workbook.importing.weights_row`. Neither stays in the table, so their
cells are never read as vendor values.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from vendor_eval.core.limits import MAX_NAME_LENGTH, MAX_TEXT_LENGTH, MAX_VENDORS
from vendor_eval.core.model import Criterion, Scale
from vendor_eval.core.problems import Code, Problems
from vendor_eval.workbook import schema
from vendor_eval.workbook.importing.cells import parse_value
from vendor_eval.workbook.importing.checks import check_value
from vendor_eval.workbook.importing.durations import duration_unit, format_duration
from vendor_eval.workbook.importing.messages import CellError, show
from vendor_eval.workbook.importing.names import Names
from vendor_eval.workbook.importing.sheets import check_vendor_count, find_sheet
from vendor_eval.workbook.importing.table import Table, cell, read_table
from vendor_eval.workbook.importing.text import parse_text
from vendor_eval.workbook.reading.rawbook import RawBook, RawSheet
from vendor_eval.workbook.schema import CRITERIA, CRITERION, VENDOR, VENDORS, name_key

__all__ = [
    "MATRIX_ROW_HEADERS",
    "TOTAL_NAMES",
    "WEIGHTS",
    "WEIGHTS_NAMES",
    "Vendors",
    "WeightsRow",
    "read_vendors",
    "row_kind",
    "vendor_values",
]

# Sheets that are never the Vendors sheet, even when they are the only one.
_OTHER_SHEETS = frozenset(name_key(s.name) for s in schema.KNOWN_SHEETS if s is not VENDORS)

#: Vendor names that mark a row of weights rather than a vendor (by name key).
WEIGHTS_NAMES = frozenset({"weight", "weights", "weighting", "weightings"})
#: Vendor names that mark a total or summary row, with what the warning calls the row.
TOTAL_NAMES: dict[str, str] = {
    **dict.fromkeys(
        ("total", "totals", "subtotal", "sub-total", "grand total", "weighted total", "sum"),
        "a total row",
    ),
    **dict.fromkeys(("average", "avg", "mean", "weighted average"), "an average row"),
    "median": "a median row",
    **dict.fromkeys(("max", "maximum"), "a maximum row"),
    **dict.fromkeys(("min", "minimum"), "a minimum row"),
}
WEIGHTS = "weights"
#: The first header of an evaluation matrix (docs/workbook-format.md §13), by name key: what
#: its rows are, as the Criteria sheet or procurement templates call them.
MATRIX_ROW_HEADERS = frozenset(
    name_key(h)
    for h in (*CRITERION.spellings, "Requirement", "Requirements", "Question", "Questions")
)
_CRITERIA_KEYS = frozenset(k for c in CRITERIA.columns for k in c.keys)
_MATRIX_HINT = (
    "; for an evaluation matrix (criteria as rows, vendors as columns) put "
    f'"{CRITERION.name}" in the first column (docs/workbook-format.md §13)'
)
# A trailing colon or full stop ("Total:", "Avg.") and a percent mark ("Weight (%)").
_TRAILER = re.compile(r"\s*(?:\(%\)|%|:|\.)$")


def row_kind(name: str) -> str | None:
    """:data:`WEIGHTS` for a weights row's vendor name, the row's description (``"a total
    row"``) for a total row's, ``None`` for a vendor."""
    key = _TRAILER.sub("", name_key(name))
    if key in WEIGHTS_NAMES:
        return WEIGHTS
    return TOTAL_NAMES.get(key)


@dataclass(frozen=True)
class WeightsRow:
    """A Vendors row named ``Weight``: its name as written, Excel row and cells."""

    name: str
    row: int
    cells: list[object]


@dataclass
class Vendors:
    """The Vendors sheet as read: its table, the vendors and the vendor-name column.

    Attributes
    ----------
    sheet, table:
        The raw sheet and its table (``None`` without a Vendors sheet).
    rows:
        ``(name, excel_row)`` per vendor, in sheet order.
    col:
        The 0-based index of the vendor-name column, or ``None``.
    weights_rows:
        The rows named ``Weight`` (:func:`row_kind`), taken out of ``table``.
    oversized:
        More rows than one evaluation may hold (an error): no name was read.
    """

    sheet: RawSheet | None = None
    table: Table | None = None
    rows: list[tuple[str, int]] = field(default_factory=list)
    col: int | None = None
    weights_rows: list[WeightsRow] = field(default_factory=list)
    oversized: bool = False

    @property
    def names(self) -> list[str]:
        return [n for n, _ in self.rows]

    @cached_property
    def headers(self) -> dict[str, int]:
        """:func:`~vendor_eval.workbook.schema.name_key` of each header → its column index."""
        return {name_key(h): j for j, h in self.table.columns()} if self.table else {}


def read_vendors(book: RawBook, problems: Problems) -> Vendors:
    """Find and read the Vendors sheet: its headers and the vendor names."""
    sheet = _vendors_sheet(book, problems)
    if sheet is None:
        return Vendors()
    table = read_table(sheet, problems, VENDORS.marks)
    col = _vendor_column(table, problems)
    if col is None:
        return Vendors(sheet, table, [], col)
    # no name work on a million rows; one row may be a weights row, so the exact count of
    # vendors is checked after the names (the importer's size check)
    if len(table.rows) > MAX_VENDORS + 1:
        check_vendor_count(len(table.rows), sheet.name, problems)
        return Vendors(sheet, table, [], col, oversized=True)
    rows, weights_rows = _vendor_names(table, col, problems)
    return Vendors(sheet, table, rows, col, weights_rows)


def _vendors_sheet(book: RawBook, problems: Problems) -> RawSheet | None:
    sheet = find_sheet(book, VENDORS.name)
    only = book.sheets[0] if len(book.sheets) == 1 else None
    if sheet is None and only is not None and name_key(only.name) not in _OTHER_SHEETS:
        sheet = only  # a CSV, or a lone sheet named otherwise ("Sheet1", a converted CSV)
    if sheet is None:
        names = ", ".join(f'"{s.name}"' for s in book.sheets) or "none"
        problems.error(Code.MISSING_SHEET, f'no "{VENDORS.name}" sheet (sheets found: {names})')
    return sheet


def _vendor_column(table: Table, problems: Problems) -> int | None:
    """The vendor-name column, or ``None`` after saying why there is none."""
    if table.header_row is None:
        message = f"the sheet is empty: the first row should hold the headers ({VENDOR.name}, …)"
        problems.error(Code.EMPTY_SHEET, message, **table.at())
        return None
    col = table.col(VENDOR)
    if col is None:
        found = ", ".join(h for _, h in table.columns()) or "none"
        message = f'no "{VENDOR.name}" column (headers found: {found})'
        if _near_matrix([name_key(h) for _, h in table.columns()]):
            message += _MATRIX_HINT
        problems.error(Code.MISSING_HEADER, message, **table.at(table.header_row))
    return col


def _near_matrix(keys: list[str]) -> bool:
    """Whether headers without a Vendor column look like an evaluation matrix whose
    criterion column is not first: a ``Criterion`` (``Requirement``, ``Question``) header
    after one that is not a Criteria column (which a matrix may have before it)."""
    k = next((i for i, key in enumerate(keys) if key in MATRIX_ROW_HEADERS), None)
    return k is not None and any(key not in _CRITERIA_KEYS for key in keys[:k])


def _vendor_names(
    table: Table, col: int, problems: Problems
) -> tuple[list[tuple[str, int]], list[WeightsRow]]:
    """``(name, excel_row)`` of every readable, non-empty, first-seen vendor name, and the
    weights rows; weights and total rows are taken out of ``table.rows``."""
    out: list[tuple[str, int]] = []
    weights_rows: list[WeightsRow] = []
    kept: list[tuple[int, list[object]]] = []
    seen = Names("vendor name")
    for r, cells in table.rows:
        try:
            name = parse_text(cell(cells, col), max_length=MAX_NAME_LENGTH, multiline=False)
        except CellError as e:
            problems.error(e.code, e.message, **table.at(r, col))
            kept.append((r, cells))
            continue
        kind = row_kind(name)
        if kind == WEIGHTS:
            weights_rows.append(WeightsRow(name, r, cells))
            continue
        if kind is not None:
            message = f"row {r} {show(name)} looks like {kind}, not a vendor: it is skipped"
            problems.warning(Code.TOTAL_ROW, message, **table.at(r, col))
            continue
        kept.append((r, cells))
        if not name_key(name):
            problems.error(Code.EMPTY_NAME, "vendor name is empty", **table.at(r, col))
        elif table.first_time(seen, name, r, col, Code.DUPLICATE_VENDOR, problems):
            out.append((name, r))
    table.rows = kept
    if not kept:
        message = "no vendors: add one row per vendor below the header row"
        problems.error(Code.NO_VENDORS, message, **table.at(table.header_row, col))
    return out, weights_rows


def vendor_values(
    vendors: Vendors, criteria: list[Criterion], columns: dict[str, int], problems: Problems
) -> tuple[np.ndarray, pd.DataFrame]:
    """Parse every criterion cell of Vendors (vendors × criteria, NaN = missing) and
    check the descriptive cells, which are kept as read."""
    vt = vendors.table
    arr = np.full((len(vendors.rows), len(criteria)), np.nan)
    index = pd.Index(vendors.names, dtype=object)
    if vt is None:
        return arr, pd.DataFrame({}, index=index, dtype=object)
    position = {r: i for i, (_, r) in enumerate(vendors.rows)}
    linked = [
        (k, c, j, duration_unit(c.name, vt.headers[j]))
        for k, c in enumerate(criteria)
        if (j := columns.get(c.name)) is not None
    ]
    descriptive_cols = [
        (j, h) for j, h in vt.columns() if j != vendors.col and j not in columns.values()
    ]
    desc: dict[str, list[object]] = {h: [] for _, h in descriptive_cols}
    checked: dict[str, CellError | None] = {}  # descriptive text → why it is refused, if
    for r, cells in vt.rows:
        i = position.get(r)
        for k, crit, j, unit in linked:
            try:
                x = parse_value(cell(cells, j), crit.scale, unit)
            except CellError as e:
                message = e.message
                if e.code == Code.DURATION and crit.scale is not Scale.YESNO:
                    message += (
                        f" (or give the unit in its name, e.g. {show(crit.name + ' (hours)')})"
                    )
                problems.error(e.code, message, **vt.at(r, j))
                continue
            ok = not math.isnan(x) and check_value(crit, x, vt, r, j, problems)
            if ok and i is not None:
                arr[i, k] = x
        for j, h in descriptive_cols:
            v = cell(cells, j)
            if isinstance(v, _dt.timedelta):
                v = format_duration(v)  # text as Excel shows it: 4:00, not 0.1667 of a day
            if isinstance(v, str) or not isinstance(v, int | float):
                error = checked[v] if type(v) is str and v in checked else _text_error(v)
                if type(v) is str:
                    checked[v] = error  # a text repeated down a column is checked once
                if error is not None:
                    problems.error(error.code, error.message, **vt.at(r, j))
            if i is not None:
                desc[h].append(v)
    return arr, pd.DataFrame(desc, index=index, dtype=object)


def _text_error(value: object) -> CellError | None:
    """Why a descriptive cell cannot be kept as text, or ``None``."""
    try:
        parse_text(value, max_length=MAX_TEXT_LENGTH)
    except CellError as e:
        return e
    return None
