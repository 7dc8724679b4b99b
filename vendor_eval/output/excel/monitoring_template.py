"""The blank monitoring workbook (``vendor-eval template --monitoring``, docs/monitoring.md §1).

Sheets, in order:

* ``Instructions`` (first, active): how to fill it in, in plain words, with example rows;
* ``KPIs``: the given KPIs (none: headers only), help on each header, a Direction
  drop-down and a check that the Weight is above 0;
* ``Performance``: headers only; the Period column formatted as text, so that ``2026-03``
  typed in stays ``2026-03`` (Excel would make it a date); a KPI drop-down over the KPIs
  sheet's names, and a Vendor drop-down when vendors are given;
* ``Standings``: the default bands, a check that each Minimum is from 0 to 100;
* ``Vendor list`` (hidden, only when vendors are given): the Vendor drop-downs' source.

It lives in the output stage because every name it writes (vendors, KPIs, units, criteria:
a project's text) goes through :mod:`vendor_eval.output.safety`'s rules: a string cell,
cleaned, with the quote prefix when it would read as a formula. The layout comes from
:mod:`vendor_eval.monitoring.schema`, so the reader finds every column it writes.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from vendor_eval.core.limits import EXCEL_MAX_ROWS
from vendor_eval.core.model import Direction
from vendor_eval.monitoring import schema
from vendor_eval.monitoring.model import DEFAULT_STANDINGS, Kpi, PeriodKind
from vendor_eval.output.excel.export import atomic_write
from vendor_eval.output.safety import TextGuard, needs_quote_prefix
from vendor_eval.workbook.schema import Column, SheetLayout, name_key
from vendor_eval.workbook.template import (
    print_setup,
    style_header_row,
    workbook_bytes,
    write_text_sheet,
)

__all__ = [
    "INSTRUCTIONS",
    "VENDOR_LIST_SHEET",
    "monitoring_template_bytes",
    "write_monitoring_template",
]

#: The hidden sheet holding the vendors the Vendor drop-downs offer.
VENDOR_LIST_SHEET = "Vendor list"
# The KPIs sheet rows a drop-down looks at, and the rows of the other sheets' checks: a
# portfolio of 200 vendors × 20 KPIs has 4,000 KPI rows, and Performance rows run to
# hundreds of thousands.
_KPI_ROWS = 10_000
_MONTH, _QUARTER = PeriodKind.MONTH.example, PeriodKind.QUARTER.example

INSTRUCTIONS: list[tuple[str, str]] = [
    ("title", "Vendor performance monitoring — how to fill in this workbook"),
    ("", ""),
    (
        "",
        "After the award, this workbook follows each vendor against the contract: the KPIs "
        "the contract sets, and every period's reported results. Check it with vendor-eval "
        "monitor THIS_FILE.xlsx.",
    ),
    ("", ""),
    ("heading", "1. KPIs sheet: one row per KPI of the contract"),
    (
        "",
        "KPI: its name, e.g. Uptime. Vendor: leave it empty for a KPI every vendor is held "
        "to, or name one vendor for a KPI of that vendor only (it replaces a general KPI of "
        "the same name for that vendor).",
    ),
    (
        "",
        "Direction: higher (more is better, the default when empty) or lower (less is "
        "better, e.g. response time). Target: the contracted value. Threshold: the worst "
        "acceptable value — below the target when higher is better, above it when lower is "
        "better, never equal to it.",
    ),
    (
        "",
        "Weight: how much the KPI counts in a period's score (any number above 0; empty = "
        "1). Unit (e.g. %, hours) and Criterion (the selection criterion the KPI checks, "
        "e.g. SLA uptime %) are optional.",
    ),
    (
        "",
        "Example rows: Uptime | (empty) | % | higher | 99.9 | 99.5 | 2 | SLA uptime %, and "
        "Response time | Acme IT | hours | lower | 4 | 8 | 1 |.",
    ),
    (
        "",
        "Write a KPI's Target, Threshold and results the same way: all as plain numbers "
        "(99.9) or all in cells formatted as percentages (99.9%, which Excel keeps as 0.999).",
    ),
    ("", ""),
    ("heading", "2. Performance sheet: one row per reported result"),
    (
        "",
        f"Period: a month as {_MONTH} or a quarter as {_QUARTER} (the column is formatted as "
        "text so Excel keeps it as typed; a date counts as its month). Report every period "
        "as a month or every one as a quarter, not both.",
    ),
    (
        "",
        "Vendor, KPI: as named on the KPIs sheet (upper/lower case does not matter). Actual: "
        "the value reported for that period; leave it empty if it was not reported (the row "
        "is skipped, with a warning). Comment: optional.",
    ),
    (
        "",
        f"Example row: {_MONTH} | Acme IT | Uptime | 99.95 | planned maintenance on the 12th. "
        "One row per period, vendor and KPI.",
    ),
    ("", ""),
    ("heading", "3. Standings sheet: the bands of a period score (0–100)"),
    (
        "",
        "Each standing starts at its Minimum: a score at or above it, and below the next "
        "band, gets it. The lowest must start at 0. Delete the rows to use the defaults.",
    ),
]

_KPI_HELP: dict[Column, str] = {
    schema.KPI: "The KPI's name, e.g. Uptime. Results name it the same way.",
    schema.KPI_VENDOR: (
        "Empty: every vendor is held to this KPI. A vendor's name: only that vendor (it "
        "replaces a general KPI of the same name for that vendor)."
    ),
    schema.UNIT: "Optional: %, hours, days, tickets...",
    schema.DIRECTION: "higher (the default) or lower: which way is better.",
    schema.TARGET: "The contracted value: a result at or better than it scores 100.",
    schema.THRESHOLD: (
        "The worst acceptable value: a result at or worse than it scores 0, and worse than "
        "it is a breach. Below the target when higher is better, above it when lower is."
    ),
    schema.WEIGHT: "How much the KPI counts in a period's score: above 0. Empty: 1.",
    schema.CRITERION: "Optional: the selection criterion the KPI checks (promised vs delivered).",
}
_PERFORMANCE_HELP: dict[Column, str] = {
    schema.PERIOD: f"{_MONTH} (a month) or {_QUARTER} (a quarter); one kind per workbook.",
    schema.RESULT_VENDOR: "The vendor, as on the KPIs sheet.",
    schema.RESULT_KPI: "The KPI, as on the KPIs sheet.",
    schema.ACTUAL: "The reported value. Empty: not reported (the row is skipped).",
    schema.COMMENT: "Optional.",
}


def write_monitoring_template(
    path: str | Path, *, vendors: Sequence[str] = (), kpis: Sequence[Kpi] = ()
) -> None:
    """Write the blank monitoring workbook to ``path``, whole or not at all.

    Parameters
    ----------
    vendors:
        The monitored vendors (a project's awarded ones): the Vendor cells get a drop-down
        of them. Empty: no Vendor drop-down.
    kpis:
        KPI rows to pre-fill the KPIs sheet with (empty: headers only).

    Raises
    ------
    VendorEvalError
        When the file cannot be written (missing folder, no permission).
    """
    data = monitoring_template_bytes(vendors=vendors, kpis=kpis)
    atomic_write(Path(path), data, "the monitoring template")


def monitoring_template_bytes(*, vendors: Sequence[str] = (), kpis: Sequence[Kpi] = ()) -> bytes:
    """The .xlsx bytes of :func:`write_monitoring_template` (the same for the same input)."""
    guard = TextGuard()
    wb = Workbook()
    wb.remove(wb.worksheets[0])
    write_text_sheet(wb, "Instructions", INSTRUCTIONS)
    names = _unique(vendors)
    source = f"{quote_sheetname(VENDOR_LIST_SHEET)}!$A$2:$A${len(names) + 1}" if names else None
    _kpis_sheet(wb, kpis, source, guard)
    _performance_sheet(wb, source)
    _standings_sheet(wb)
    for ws in wb.worksheets:  # it prints as the vendor template does
        print_setup(ws, title_row=ws.title != "Instructions")
    if names:
        _vendor_list(wb, names, guard)
    wb.active = 0
    return workbook_bytes(wb)


def _unique(names: Sequence[str]) -> list[str]:
    """The names without repeats (by name key), in order."""
    seen: dict[str, str] = {}
    for n in names:
        seen.setdefault(name_key(n), n)
    return list(seen.values())


def _put_text(ws: Worksheet, row: int, col: int, text: str, guard: TextGuard) -> None:
    """User text as a string cell (never a formula), quote-prefixed where a spreadsheet
    would read it as one."""
    cell = ws.cell(row=row, column=col)
    clean = guard.clean(text, f"{ws.title}!{cell.coordinate}")
    cell.value = clean
    cell.data_type = "s"
    if needs_quote_prefix(clean):
        cell.quotePrefix = True


def _number(x: float) -> int | float:
    return int(x) if float(x).is_integer() and abs(x) < 1e15 else float(x)


def _col(layout: SheetLayout, column: Column) -> int:
    return layout.index(column) + 1


def _header_help(ws: Worksheet, layout: SheetLayout, help_: dict[Column, str]) -> None:
    for column, text in help_.items():
        ws.cell(row=1, column=_col(layout, column)).comment = Comment(
            text, "vendor_eval", width=300, height=90
        )


def _rows(ws: Worksheet, col: int, last: int) -> str:
    letter = get_column_letter(col)
    return f"{letter}2:{letter}{last}"


def _list(formula: str, title: str, error: str) -> DataValidation:
    """A drop-down that warns (the reader checks the names anyway, ignoring case)."""
    return DataValidation(
        type="list",
        formula1=formula,
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="warning",
        errorTitle=title,
        error=error,
    )


def _vendor_list(wb: Workbook, vendors: list[str], guard: TextGuard) -> None:
    """The hidden sheet of vendor names, the Vendor drop-downs' source (A2 down)."""
    ws = wb.create_sheet(VENDOR_LIST_SHEET)
    ws.sheet_state = "hidden"
    ws.cell(row=1, column=1, value=schema.RESULT_VENDOR.name)
    for r, name in enumerate(vendors, start=2):
        _put_text(ws, r, 1, name, guard)


def _vendor_check(ws: Worksheet, col: int, source: str, last: int) -> None:
    dv = _list(source, "Vendor", "Not one of the monitored vendors of this workbook.")
    dv.add(_rows(ws, col, last))
    ws.add_data_validation(dv)


def _kpis_sheet(
    wb: Workbook, kpis: Sequence[Kpi], vendors: str | None, guard: TextGuard
) -> Worksheet:
    layout = schema.KPIS
    ws = wb.create_sheet(layout.name)
    widths = {schema.KPI: 28, schema.KPI_VENDOR: 24, schema.UNIT: 9, schema.DIRECTION: 11}
    widths |= {schema.TARGET: 10, schema.THRESHOLD: 11, schema.WEIGHT: 9, schema.CRITERION: 28}
    style_header_row(ws, layout.headers, [widths[c] for c in layout.columns])
    _header_help(ws, layout, _KPI_HELP)
    for r, k in enumerate(kpis, start=2):
        for column, text in (
            (schema.KPI, k.name),
            (schema.KPI_VENDOR, k.vendor),
            (schema.UNIT, k.unit),
            (schema.CRITERION, k.criterion),
        ):
            if text:
                _put_text(ws, r, _col(layout, column), text, guard)
        ws.cell(row=r, column=_col(layout, schema.DIRECTION), value=k.direction.value)
        for column, x in (
            (schema.TARGET, k.target),
            (schema.THRESHOLD, k.threshold),
            (schema.WEIGHT, k.weight),
        ):
            ws.cell(row=r, column=_col(layout, column), value=_number(x))
    last = _KPI_ROWS + 1
    items = ",".join(d.value for d in Direction)
    dv = _list(f'"{items}"', "Direction", f"Choose {' or '.join(d.value for d in Direction)}.")
    dv.add(_rows(ws, _col(layout, schema.DIRECTION), last))
    ws.add_data_validation(dv)
    dv = DataValidation(
        type="decimal",
        operator="greaterThan",
        formula1="0",
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="stop",
        error="A KPI weight is a number above 0 (empty: 1).",
    )
    dv.add(_rows(ws, _col(layout, schema.WEIGHT), last))
    ws.add_data_validation(dv)
    if vendors is not None:
        _vendor_check(ws, _col(layout, schema.KPI_VENDOR), vendors, last)
    return ws


def _performance_sheet(wb: Workbook, vendors: str | None) -> Worksheet:
    layout = schema.PERFORMANCE
    ws = wb.create_sheet(layout.name)
    widths = {schema.PERIOD: 11, schema.RESULT_VENDOR: 24, schema.RESULT_KPI: 28}
    widths |= {schema.ACTUAL: 11, schema.COMMENT: 60}
    style_header_row(ws, layout.headers, [widths[c] for c in layout.columns])
    _header_help(ws, layout, _PERFORMANCE_HELP)
    period = get_column_letter(_col(layout, schema.PERIOD))
    ws.column_dimensions[period].number_format = "@"  # 2026-03 stays text, not a date
    kpi_names = get_column_letter(_col(schema.KPIS, schema.KPI))
    source = f"{quote_sheetname(schema.KPIS.name)}!${kpi_names}$2:${kpi_names}${_KPI_ROWS + 1}"
    dv = _list(source, "KPI", "Not a KPI of the KPIs sheet.")
    dv.add(_rows(ws, _col(layout, schema.RESULT_KPI), EXCEL_MAX_ROWS))
    ws.add_data_validation(dv)
    if vendors is not None:
        _vendor_check(ws, _col(layout, schema.RESULT_VENDOR), vendors, EXCEL_MAX_ROWS)
    return ws


def _standings_sheet(wb: Workbook) -> Worksheet:
    layout = schema.STANDINGS
    ws = wb.create_sheet(layout.name)
    style_header_row(ws, layout.headers, [24, 10])
    name, minimum = _col(layout, schema.STANDING), _col(layout, schema.STANDING_MINIMUM)
    for r, s in enumerate(DEFAULT_STANDINGS, start=2):
        ws.cell(row=r, column=name, value=s.name)
        ws.cell(row=r, column=minimum, value=_number(s.minimum))
    ws.cell(row=1, column=minimum).comment = Comment(
        "The lowest period score (0–100) of the standing; the lowest standing starts at 0.",
        "vendor_eval",
        width=300,
        height=70,
    )
    dv = DataValidation(
        type="decimal",
        operator="between",
        formula1="0",
        formula2="100",
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="stop",
        error="A minimum is a score from 0 to 100.",
    )
    dv.add(_rows(ws, minimum, 101))
    ws.add_data_validation(dv)
    return ws
