"""Which sheets are read, and how large a workbook may be (docs/workbook-format.md §1.2, §10).

A sheet is found by its name's :func:`~vendor_eval.workbook.schema.name_key`, the rule by
which every name is compared; two sheets with one key (`` VENDORS `` beside ``Vendors``) are
an error naming both, since either could be the one meant.

Size limits are checked on counts before anything of that size is built: a sheet beyond
Excel's own size (a CSV can carry one; the results could not be exported), more vendors,
criteria or values than one evaluation may hold (:mod:`vendor_eval.core.limits`). Each
check costs time in the number of rows, not cells.
"""

from __future__ import annotations

from vendor_eval.core.limits import (
    EXCEL_MAX_COLUMNS,
    EXCEL_MAX_ROWS,
    MAX_CRITERIA,
    MAX_VALUE_CELLS,
    MAX_VENDORS,
)
from vendor_eval.core.problems import Code, Problems
from vendor_eval.workbook.importing.cells import is_blank
from vendor_eval.workbook.importing.messages import show_name
from vendor_eval.workbook.reading.rawbook import RawBook, RawSheet
from vendor_eval.workbook.schema import KNOWN_SHEETS, name_key

__all__ = [
    "check_criteria_count",
    "check_scores_count",
    "check_sheets",
    "check_value_count",
    "check_vendor_count",
    "find_sheet",
]

_KNOWN = {name_key(s.name): s.name for s in KNOWN_SHEETS}


def find_sheet(book: RawBook, name: str) -> RawSheet | None:
    """The sheet called ``name`` by name key (the first one, when :func:`check_sheets`
    reports two)."""
    return book.sheet(name, key=name_key)


def check_sheets(book: RawBook, problems: Problems) -> bool:
    """Report two sheets of one known name (each one after the first), and sheets that are
    read and are beyond Excel's size; False when a sheet is too large (the import stops:
    nothing of its size is built)."""
    by_key: dict[str, list[RawSheet]] = {}
    for s in book.sheets:
        by_key.setdefault(name_key(s.name), []).append(s)
    fits = True
    for key, found in by_key.items():
        layout = _KNOWN.get(key)
        if layout is not None:
            for other in found[1:]:
                message = (
                    f'two sheets are named "{layout}": {show_name(found[0].name)} and '
                    f"{show_name(other.name)}; rename or delete one (only one sheet may be "
                    f"the {layout} sheet)"
                )
                problems.error(Code.DUPLICATE_SHEET, message, sheet=other.name)
        if layout is not None or len(book.sheets) == 1:
            fits = all([_fits_excel(s, problems) for s in found]) and fits
    return fits


def _fits_excel(sheet: RawSheet, problems: Problems) -> bool:
    """Whether ``sheet`` fits in an Excel sheet; an error naming it if not. Trailing blank
    rows and cells do not count (only rows beyond the limit are looked at)."""
    rows = len(sheet.rows)
    while rows > EXCEL_MAX_ROWS and all(is_blank(c) for c in sheet.rows[rows - 1]):
        rows -= 1
    if rows > EXCEL_MAX_ROWS:
        message = (
            f"the sheet has {rows:,} rows; an Excel sheet holds at most {EXCEL_MAX_ROWS:,}, "
            "so the results could not be exported: split the file into smaller registers"
        )
        problems.error(Code.SHEET_TOO_LARGE, message, sheet=sheet.name)
        return False
    width = max((_width(r) for r in sheet.rows if len(r) > EXCEL_MAX_COLUMNS), default=0)
    if width > EXCEL_MAX_COLUMNS:
        message = (
            f"the sheet has {width:,} columns; an Excel sheet holds at most "
            f"{EXCEL_MAX_COLUMNS:,}, so the results could not be exported: delete the "
            "columns you do not need"
        )
        problems.error(Code.SHEET_TOO_LARGE, message, sheet=sheet.name)
        return False
    return True


def _width(row: list[object]) -> int:
    n = len(row)
    while n > EXCEL_MAX_COLUMNS and is_blank(row[n - 1]):
        n -= 1
    return n


def check_vendor_count(n: int, sheet: str, problems: Problems) -> bool:
    """At most :data:`MAX_VENDORS` vendor rows; False (an error) past it."""
    if n <= MAX_VENDORS:
        return True
    message = (
        f"{n:,} vendors: one evaluation holds at most {MAX_VENDORS:,}; split the register "
        f"into shortlists of at most {MAX_VENDORS:,} vendors"
    )
    problems.error(Code.TOO_MANY_VENDORS, message, sheet=sheet)
    return False


def check_criteria_count(n: int, sheet: str | None, problems: Problems) -> bool:
    """At most :data:`MAX_CRITERIA` criteria; False (an error) past it."""
    if n <= MAX_CRITERIA:
        return True
    message = (
        f"{n:,} criteria: one evaluation holds at most {MAX_CRITERIA:,}; keep the criteria "
        "that decide the choice, or split them into separate evaluations"
    )
    problems.error(Code.TOO_MANY_CRITERIA, message, sheet=sheet)
    return False


def check_value_count(
    vendors: int, columns: int, criteria: int, sheet: str, problems: Problems
) -> bool:
    """At most :data:`MAX_VALUE_CELLS` values: vendors × the Vendors columns (the name
    aside) or vendors × criteria, whichever is more; False (an error) past it."""
    per_vendor, what = max((columns, "columns"), (criteria, "criteria"))
    n = vendors * per_vendor
    if n <= MAX_VALUE_CELLS:
        return True
    message = (
        f"{vendors:,} vendors × {per_vendor:,} {what} = {n:,} values: one evaluation holds "
        f"at most {MAX_VALUE_CELLS:,}; split the register into smaller shortlists, or "
        "delete the columns you do not need"
    )
    problems.error(Code.TOO_MANY_VALUES, message, sheet=sheet)
    return False


def check_scores_count(n: int, sheet: str, problems: Problems) -> bool:
    """At most :data:`MAX_VALUE_CELLS` Scores rows; False (an error) past it."""
    if n <= MAX_VALUE_CELLS:
        return True
    message = (
        f"{n:,} scores: one evaluation holds at most {MAX_VALUE_CELLS:,}; split the "
        "evaluation into smaller ones"
    )
    problems.error(Code.TOO_MANY_VALUES, message, sheet=sheet)
    return False
