"""The monitoring workbook → a validated :class:`~vendor_eval.monitoring.model.MonitoringBook`.

The format and every rule are docs/monitoring.md §1. The file is read by the sandboxed
reader (:func:`~vendor_eval.workbook.reading.read_book`); the sheets are tables read as the
vendor workbook's are (:func:`~vendor_eval.workbook.importing.table.read_table`: header
row, aliases, Excel row numbers), their cells with the importer's parsers. Every problem is
collected, then one :class:`~vendor_eval.core.problems.ValidationError` lists the errors;
warnings stay on the book. Sheets other than KPIs, Performance and Standings are ignored, so
the monitoring sheets may sit in the selection workbook itself.

This module reads the KPIs and Standings sheets and puts the book together; the Performance
sheet, hundreds of thousands of rows, is read by :mod:`vendor_eval.monitoring.performance`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from vendor_eval.core.limits import MAX_NAME_LENGTH
from vendor_eval.core.model import Direction, format_numbers
from vendor_eval.core.problems import Code, Problems
from vendor_eval.monitoring import schema
from vendor_eval.monitoring.model import (
    DEFAULT_STANDINGS,
    Kpi,
    MonitoringBook,
    Standing,
)
from vendor_eval.monitoring.performance import KpiRow, Monitored, read_performance
from vendor_eval.workbook.importing.cells import is_blank, parse_number
from vendor_eval.workbook.importing.messages import CellError, show, show_name
from vendor_eval.workbook.importing.names import Names
from vendor_eval.workbook.importing.percent import read_minimum
from vendor_eval.workbook.importing.table import Table, cell, read_table
from vendor_eval.workbook.importing.text import parse_text
from vendor_eval.workbook.schema import Column, SheetLayout, name_key

if TYPE_CHECKING:
    from vendor_eval.workbook.reading.book import Source
    from vendor_eval.workbook.reading.rawbook import RawBook

__all__ = ["parse_monitoring", "read_monitoring"]

_DIRECTIONS = " or ".join(d.value for d in Direction)


def read_monitoring(
    source: Source,
    name: str | None = None,
    *,
    awarded: Sequence[str] | None = None,
    sandbox: bool = True,
) -> MonitoringBook:
    """Read and validate a monitoring workbook (.xlsx or .xlsm).

    Parameters
    ----------
    source:
        A path, the file's bytes or a binary file object, as for
        :func:`~vendor_eval.workbook.reading.read_book`.
    name:
        The file name used in messages (default: the path's name).
    awarded:
        In a project, the names of the vendors awarded the contract: they are the monitored
        vendors, and any other vendor in the workbook is an error. ``None`` (a standalone
        workbook): the vendors named in the Performance sheet are monitored.
    sandbox:
        Parse the file in the resource-limited child process (``False``: in this process,
        for trusted files and tests).

    Raises
    ------
    ValidationError
        Every problem of the file (a CSV file included: it holds one table, and a
        monitoring workbook needs two sheets).
    """
    from vendor_eval.workbook.reading.book import read_book

    book = read_book(source, name, sandbox=sandbox)
    return parse_monitoring(book, awarded=awarded)


def parse_monitoring(book: RawBook, *, awarded: Sequence[str] | None = None) -> MonitoringBook:
    """Validate the monitoring sheets of ``book`` (see :func:`read_monitoring`).

    Raises
    ------
    ValidationError
        Listing every error; the warnings are the book's ``warnings``.
    """
    problems = Problems(book.file_name)
    if book.kind == "csv":
        message = (
            "a CSV file holds one table, and a monitoring workbook needs two sheets, KPIs "
            "and Performance: save the file as an Excel workbook (.xlsx)"
        )
        problems.error(Code.MISSING_SHEET, message)
        problems.raise_if_errors(book.file_name)
    monitored = Monitored(awarded)
    kpi_table = _sheet(book, schema.KPIS, problems, required=True)
    result_table = _sheet(book, schema.PERFORMANCE, problems, required=True)
    standing_table = _sheet(book, schema.STANDINGS, problems, required=False)
    rows = _read_kpis(kpi_table, monitored, problems) if kpi_table is not None else []
    # without a readable KPIs sheet, results are not also reported as of unknown KPIs
    known = rows if kpi_table is not None and kpi_table.rows else None
    results, kind = read_performance(result_table, known, monitored, problems)
    if kpi_table is not None and not monitored.fixed:
        _no_results_yet(rows, kpi_table, monitored, problems)
    standings = DEFAULT_STANDINGS
    if standing_table is not None:
        standings = _read_standings(standing_table, problems) or DEFAULT_STANDINGS
    problems.raise_if_errors(book.file_name)
    return MonitoringBook(
        kpis=tuple(_spelt(k, monitored) for k in rows),
        results=results,
        kind=kind,
        vendors=monitored.names(),
        standings=standings,
        file=book.file_name,
        sha256=book.sha256,
        warnings=tuple(problems.warnings),
    )


# -- the sheets ----------------------------------------------------------------------------
def _sheet(
    book: RawBook, layout: SheetLayout, problems: Problems, *, required: bool
) -> Table | None:
    """``layout``'s sheet as a table with its required columns; ``None`` when it is absent
    (an error if ``required``) or lacks a required column (an error). A second sheet of
    its name is an error, and the first is read. An empty sheet is a table without a header
    row."""
    found = book.sheets_named(layout.name, key=name_key)
    if not found:
        if required:
            names = ", ".join(show_name(s.name) for s in book.sheets) or "none"
            message = (
                f'no "{layout.name}" sheet (sheets found: {names}); add one with the columns '
                f"{' | '.join(layout.headers)}"
            )
            problems.error(Code.MISSING_SHEET, message)
        return None
    for other in found[1:]:
        message = (
            f'two sheets are named "{layout.name}": {show_name(found[0].name)} and '
            f"{show_name(other.name)}; rename or delete one"
        )
        problems.error(Code.DUPLICATE_SHEET, message, sheet=other.name)
    table = read_table(found[0], problems, layout.marks)
    if table.header_row is None:
        return table
    missing = [c for c in layout.required if table.col(c) is None]
    for column in missing:
        headers = ", ".join(h for _, h in table.columns()) or "none"
        message = f'no "{column.name}" column (headers found: {headers})'
        problems.error(Code.MISSING_HEADER, message, **table.at(table.header_row))
    return None if missing else table


class _Row:
    """One row being read; ``failed`` once a cell of it is refused."""

    def __init__(self, table: Table, r: int, cells: list[object], problems: Problems) -> None:
        self.table, self.r, self.cells, self.problems = table, r, cells, problems
        self.failed = False

    def error(self, code: str, message: str, col: int | None) -> None:
        self.problems.error(code, message, **self.table.at(self.r, col))
        self.failed = True

    def text(self, col: int | None, *, name: bool = True) -> str | None:
        """The cell's text (``""`` when blank); ``None`` when refused."""
        value = cell(self.cells, col)
        try:
            if name:
                return parse_text(value, max_length=MAX_NAME_LENGTH, multiline=False)
            return parse_text(value)
        except CellError as e:
            self.error(e.code, e.message, col)
            return None

    def number(self, col: int | None, kpi: str) -> float | None:
        """The cell as a number (NaN when blank); ``None`` when refused."""
        try:
            return parse_number(cell(self.cells, col))
        except CellError as e:
            self.error(e.code, e.about(kpi), col)
            return None


# -- KPIs ------------------------------------------------------------------------------
def _read_kpis(table: Table, monitored: Monitored, problems: Problems) -> list[KpiRow]:
    """Every KPI row with a name; an error for a sheet without one."""
    if table.header_row is None or not table.rows:
        message = (
            "the KPIs sheet lists no KPI: add one row per KPI of the contract (KPI, Target, "
            "Threshold; Vendor empty for a KPI of every vendor)"
        )
        problems.error(Code.NO_KPIS, message, sheet=table.sheet)
        return []
    cols = {c: table.col(c) for c in schema.KPIS.columns}
    out: list[KpiRow] = []
    seen: dict[tuple[str | None, str], int] = {}
    looks = Names("KPI")
    for r, cells in table.rows:
        row = _Row(table, r, cells, problems)
        name = row.text(cols[schema.KPI])
        if not name:
            if name == "":
                row.error(Code.EMPTY_NAME, "KPI name is empty", cols[schema.KPI])
            continue
        looks.add(name, r, cols[schema.KPI], problems, table.at(r, cols[schema.KPI]))
        vendor = row.text(cols[schema.KPI_VENDOR]) or None
        refusal = None if vendor is None else monitored.refusal(vendor)
        if refusal is not None:
            row.error(Code.NOT_AWARDED, refusal, cols[schema.KPI_VENDOR])
        key = (None if vendor is None else name_key(vendor), name_key(name))
        first = seen.setdefault(key, r)
        if first != r:
            whom = f"for {show(vendor)}" if vendor else "for every vendor (Vendor empty)"
            message = f"KPI {show(name)} is listed twice {whom}: rows {first} and {r}; keep one row"
            row.error(Code.DUPLICATE_KPI, message, cols[schema.KPI])
            continue
        kpi = _kpi(row, cols, name, vendor)
        out.append(KpiRow(kpi, name, vendor, r, cols[schema.KPI_VENDOR]))
    return out


def _kpi(row: _Row, cols: dict[Column, int | None], name: str, vendor: str | None) -> Kpi | None:
    unit = row.text(cols[schema.UNIT]) or ""
    direction = _direction(row, cols[schema.DIRECTION])
    target = _required(row, cols[schema.TARGET], name, Code.MISSING_TARGET, _NO_TARGET)
    threshold = _required(row, cols[schema.THRESHOLD], name, Code.MISSING_THRESHOLD, _NO_LIMIT)
    weight = _weight(row, cols[schema.WEIGHT], name)
    criterion = row.text(cols[schema.CRITERION]) or None
    if target is not None and threshold is not None and direction is not None:
        _check_sides(row, cols[schema.THRESHOLD], target, threshold, direction)
    if row.failed or target is None or threshold is None or direction is None:
        return None
    assert weight is not None
    return Kpi(name, direction, target, threshold, weight, vendor, unit, criterion, row.r)


_NO_TARGET = "a KPI without a target cannot be scored; type the contracted value"
_NO_LIMIT = (
    "type the worst acceptable value (below the target when higher is better, above it "
    "when lower is better)"
)


def _required(row: _Row, col: int | None, name: str, code: str, hint: str) -> float | None:
    x = row.number(col, name)
    if x is not None and math.isnan(x):
        what = schema.TARGET.name if code == Code.MISSING_TARGET else schema.THRESHOLD.name
        row.error(code, f"the {what} is missing for {show(name)}: {hint}", col)
        return None
    return x


def _direction(row: _Row, col: int | None) -> Direction | None:
    raw = cell(row.cells, col)
    if is_blank(raw):
        return Direction.HIGHER
    text = row.text(col)
    if text is None:
        return None
    try:
        return Direction.from_alias(" ".join(text.split()))
    except ValueError:
        message = f"{show(raw)} is not a direction: use {_DIRECTIONS}"
        row.error(Code.NOT_A_DIRECTION, message, col)
        return None


def _weight(row: _Row, col: int | None, name: str) -> float | None:
    x = row.number(col, name)
    if x is None:
        return None
    if math.isnan(x):
        return 1.0
    if x <= 0:
        shown = format_numbers(x)[0]
        message = (
            f"weight {shown} for {show(name)}: a KPI weight is a number above 0 (leave it "
            "empty for 1; delete the row to stop monitoring the KPI)"
        )
        row.error(Code.NOT_A_KPI_WEIGHT, message, col)
        return None
    return x


def _check_sides(
    row: _Row, col: int | None, target: float, threshold: float, direction: Direction
) -> None:
    """The threshold is worse than the target: below it when higher is better."""
    higher = direction is Direction.HIGHER
    side = "below" if higher else "above"
    t, h = format_numbers(target, threshold)
    if threshold == target:
        message = (
            f"Threshold {h} equals the Target: the threshold is the worst acceptable value, "
            f"{side} the target ({'higher' if higher else 'lower'} is better)"
        )
    elif (threshold > target) == higher:
        wrong = "above" if higher else "below"
        better = "higher" if higher else "lower"
        message = (
            f"Threshold {h} is {wrong} the Target {t}, but {better} is better: the threshold "
            f"is the worst acceptable value, {side} the target"
        )
    else:
        return
    row.error(Code.THRESHOLD_WRONG_SIDE, message, col)


def _no_results_yet(
    kpis: list[KpiRow], table: Table, monitored: Monitored, problems: Problems
) -> None:
    """A KPI row naming a vendor without Performance rows (standalone): a warning, once per
    vendor, at its first row."""
    warned: set[str] = set()
    for k in kpis:
        if k.vendor is None or monitored.find(k.vendor) is not None:
            continue
        key = name_key(k.vendor)
        if key in warned:
            continue
        warned.add(key)
        message = (
            f"no results yet for {show(k.vendor)}: it has KPIs but no rows in the "
            f"{schema.PERFORMANCE.name} sheet, so it is not monitored until it has"
        )
        problems.warning(Code.NO_RESULTS_YET, message, **table.at(k.row, k.vendor_col))


def _spelt(k: KpiRow, monitored: Monitored) -> Kpi:
    """The KPI with its vendor spelt as the monitored vendors write it."""
    assert k.kpi is not None
    if k.vendor is None:
        return k.kpi
    return replace(k.kpi, vendor=monitored.find(k.vendor) or k.vendor)


# -- Standings -------------------------------------------------------------------------
def _read_standings(table: Table, problems: Problems) -> tuple[Standing, ...]:
    """The bands best first; ``()`` for a sheet without rows (the defaults apply)."""
    if table.header_row is None or not table.rows:
        return ()
    c_name, c_min = table.col(schema.STANDING), table.col(schema.STANDING_MINIMUM)
    names = Names("standing")
    minimums: dict[float, tuple[str, int]] = {}
    out: list[tuple[Standing, int]] = []
    failed = False
    for r, cells in table.rows:
        row = _Row(table, r, cells, problems)
        name = row.text(c_name)
        if name == "":
            row.error(Code.EMPTY_NAME, "standing name is empty", c_name)
        elif name is not None and not table.first_time(
            names, name, r, c_name, Code.DUPLICATE_STANDING, problems
        ):
            row.failed = True
        minimum = _minimum(row, c_min, name or "")
        if minimum is not None and name:
            other = minimums.setdefault(minimum, (name, r))
            if other[1] != r:
                message = (
                    f"minimum {format_numbers(minimum)[0]} is also the minimum of "
                    f"{show(other[0])} (row {other[1]}): each standing starts at its own score"
                )
                row.error(Code.DUPLICATE_STANDING, message, c_min)
        failed = failed or row.failed or minimum is None
        if not row.failed and minimum is not None and name:
            out.append((Standing(name, minimum), r))
    if failed:
        return ()
    out.sort(key=lambda s: -s[0].minimum)
    lowest, r = out[-1]
    if lowest.minimum != 0:
        shown = format_numbers(lowest.minimum)[0]
        message = (
            f"the lowest standing, {show(lowest.name)}, starts at {shown}: scores below "
            f"{shown} would have no standing; give the lowest standing the Minimum 0"
        )
        problems.error(Code.NO_LOWEST_STANDING, message, **table.at(r, c_min))
        return ()
    return tuple(s for s, _ in out)


def _minimum(row: _Row, col: int | None, name: str) -> float | None:
    """A band's Minimum: a score from 0 to 100 (``60%`` is 60; a bare 0.6 is read as 60
    with a warning, as a category's Minimum is)."""
    try:
        reading = read_minimum(cell(row.cells, col))
    except CellError as e:
        row.error(e.code, e.about(name), col)
        return None
    if reading.value is None:
        message = f"the minimum is missing for {show(name)}: type a score from 0 to 100"
        row.error(Code.NOT_A_MINIMUM, message, col)
        return None
    if reading.note is not None:
        where = row.table.at(row.r, col)
        row.problems.warning(Code.READ_AS_PERCENT, f"minimum {reading.note}{reading.hint}", **where)
    return reading.value
