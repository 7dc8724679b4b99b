"""The Excel scorecard of the monitoring (docs/monitoring.md §4): the Performance page on paper.

:func:`scorecard_bytes` writes a **Portfolio** sheet (the title, results by month or quarter,
the standing bands, then one row per monitored vendor: latest period, score and standing,
the mean of the last 3 periods, the slope of the last 6 with its arrow, open actions, the
KPIs short of the selection promise) and one sheet per vendor
(:mod:`vendor_eval.output.excel.scorecard_vendor`): the actuals grid, the KPI scores, period
scores, completeness, standings and met/breach marks as live formulas over the actuals and
the KPI table, the corrective actions, and promised vs delivered.

Every formula is written with the tool's result cached beside it
(:mod:`vendor_eval.output.excel.book`), so a viewer that does not recalculate shows the
tool's numbers, and Excel or LibreOffice recalculate the same ones. The Portfolio table
holds values: what the tool computed at export. Every name (vendor, KPI, unit, criterion,
owner, note) is user text and written as text, never as a formula. No data is an empty
cell with a comment saying why, never 0.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from pathlib import Path

from openpyxl.formatting.rule import ColorScaleRule

from vendor_eval import __version__
from vendor_eval.monitoring.scoring import Monitoring, VendorPerformance
from vendor_eval.output.excel.book import (
    BOLD,
    INPUT_FILL,
    NOTE_FONT,
    TITLE_FONT,
    WRAP,
    Book,
    Sheet,
    col,
)
from vendor_eval.output.excel.cache import inject_sheet_data
from vendor_eval.output.excel.export import atomic_write
from vendor_eval.output.excel.scorecard_vendor import (
    GREEN_YELLOW_RED,
    SCORE_FORMAT,
    SLOPE_FORMAT,
    BandCells,
    summary_notes,
    write_vendor_sheet,
)
from vendor_eval.output.safety import REPLACEMENT

__all__ = [
    "PORTFOLIO",
    "PORTFOLIO_COLUMNS",
    "SHEET_NAME_LIMIT",
    "scorecard_bytes",
    "sheet_names",
    "write_scorecard",
]

PORTFOLIO = "Portfolio"
#: Excel's longest sheet name (UTF-16 code units).
SHEET_NAME_LIMIT = 31
PORTFOLIO_COLUMNS = (
    "Vendor",
    "Sheet",
    "Latest period",
    "Latest score",
    "Standing",
    "Mean of last 3",
    "Slope of last 6",
    "Trend",
    "Open actions",
    "KPIs short of promise",
)
_BAND_ROW = 3  # Portfolio: band names in row 3, their minimums in row 4, from column B
_HEAD = 6  # the Portfolio table's header row
# Characters Excel refuses in a sheet name, and the ones no name should carry (controls,
# line breaks, the replacement of an XML-illegal character).
_FORBIDDEN = re.compile(r"[\[\]:*?/\\\x00-\x1f\x7f" + REPLACEMENT + "]")
_RESERVED = ("history",)  # Excel keeps "History" for itself


def _fit(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` UTF-16 code units (Excel counts a name so)."""
    out, used = [], 0
    for ch in text:
        used += 2 if ord(ch) > 0xFFFF else 1
        if used > limit:
            break
        out.append(ch)
    return "".join(out)


def sheet_names(vendors: Iterable[str], taken: Iterable[str] = (PORTFOLIO,)) -> dict[str, str]:
    """Vendor → its sheet's name: Excel's forbidden characters ``[]:*?/\\`` (and controls)
    removed, spaces collapsed, no apostrophe at either end, at most 31 characters, and
    unique ignoring case (`` (2)``, `` (3)``… added), never a name in ``taken``."""
    used = {t.casefold() for t in taken} | set(_RESERVED)
    out: dict[str, str] = {}
    for vendor in vendors:
        base = " ".join(_FORBIDDEN.sub("", vendor).split()).strip("'").strip() or "Vendor"
        name, n = _fit(base, SHEET_NAME_LIMIT).rstrip("' "), 1
        while not name or name.casefold() in used:
            n += 1
            suffix = f" ({n})"
            name = _fit(base, SHEET_NAME_LIMIT - len(suffix)).rstrip("' ") + suffix
        used.add(name.casefold())
        out[vendor] = name
    return out


def _title(result: Monitoring, title: str) -> str:
    if title:
        return title
    return f"Vendor performance: {result.book.file}" if result.book.file else "Vendor performance"


def _short_of_promise(v: VendorPerformance) -> tuple[str | None, str | None]:
    """(the cell's text, the comment when it is empty)."""
    if not v.promises:
        return None, "no data: no KPI of this vendor is linked to a selection criterion"
    short = [p.kpi for p in v.promises if p.short]
    if short:
        return "; ".join(short), None
    if all(p.gap is None for p in v.promises):
        return None, "no data: no selection value, or no report yet, to compare"
    return "none", None


def _write_portfolio(
    book: Book, result: Monitoring, title: str, names: dict[str, str]
) -> BandCells:
    """The Portfolio sheet; returns the band cells the vendor sheets' standings use."""
    widths = {1: 28.0, 2: 20.0, 3: 11.0, 4: 10.0, 5: 18.0, 6: 10.0, 7: 10.0, 8: 7.0, 9: 9.0}
    sh = book.sheet(PORTFOLIO, freeze=f"B{_HEAD + 1}", widths={**widths, 10: 36.0})
    kind = result.book.kind
    sh.append([sh.text(_title(result, title), "A1", font=TITLE_FONT)])
    n = len(result.vendors)
    by = f"results by {kind.value}" if kind else "no results reported yet"
    sh.append([sh.styled(
        f"{by}; {n} monitored vendor{'s' if n != 1 else ''}. The table holds the values "
        "computed at export; each vendor's sheet recalculates its scores from its actuals.",
        font=NOTE_FONT, text=True,
    )])  # fmt: skip
    bands = result.book.standings
    sh.append([sh.styled("Standing", font=BOLD), *(sh.text(b.name, f"{col(j)}{_BAND_ROW}",
              font=BOLD, alignment=WRAP) for j, b in enumerate(bands, 2))])  # fmt: skip
    sh.append([sh.styled("Minimum", font=BOLD),
               *(sh.styled(b.minimum, fill=INPUT_FILL) for b in bands)])  # fmt: skip
    sh.append([sh.styled(
        "A period score gets the best standing whose minimum it reaches; edit a minimum and "
        "the vendor sheets' standings follow.", font=NOTE_FONT, text=True,
    )])  # fmt: skip
    sh.header(list(PORTFOLIO_COLUMNS))
    notes: dict[str, str] = {}
    for i, (vendor, v) in enumerate(result.vendors.items()):
        r = _HEAD + 1 + i
        latest = v.latest
        short, why = _short_of_promise(v)
        sh.append([
            sh.text(vendor, f"A{r}", font=BOLD),
            sh.text(names[vendor], f"B{r}"),
            sh.text(latest.period.label, f"C{r}") if latest else None,
            sh.styled(latest.score if latest else None, number_format=SCORE_FORMAT),
            sh.text(latest.standing, f"E{r}") if latest else None,
            sh.styled(v.trend.mean_last_3, number_format=SCORE_FORMAT),
            sh.styled(v.trend.slope_last_6, number_format=SLOPE_FORMAT),
            v.trend.arrow or None,
            len(v.open_actions),
            sh.text(short, f"J{r}", alignment=WRAP),
        ])  # fmt: skip
        notes.update(summary_notes(v, {"score": f"D{r}", "mean": f"F{r}", "slope": f"G{r}"}))
        if why:
            notes[f"J{r}"] = why
    if n:
        last = _HEAD + n
        ws = sh.ws
        ws.conditional_formatting.add(f"D{_HEAD + 1}:D{last}", ColorScaleRule(**GREEN_YELLOW_RED))
        ws.conditional_formatting.add(f"F{_HEAD + 1}:F{last}", ColorScaleRule(**GREEN_YELLOW_RED))
    else:
        sh.append([sh.styled("No vendor is monitored yet.", font=NOTE_FONT, text=True)])
    _print_setup(sh, f"{_HEAD}:{_HEAD}", "Vendor performance: portfolio")
    sh.add_comments(notes)  # last: after the print setup
    last_band = col(1 + len(bands))
    return BandCells(
        names=f"{PORTFOLIO}!$B${_BAND_ROW}:${last_band}${_BAND_ROW}",
        minimums=f"{PORTFOLIO}!$B${_BAND_ROW + 1}:${last_band}${_BAND_ROW + 1}",
    )


def _print_setup(sh: Sheet, title_rows: str, header: str) -> None:
    """Landscape, one page wide, the table's header row on every page."""
    sh.print_landscape()
    sh.ws.print_title_rows = title_rows
    sh.ws.print_options.gridLines = False
    sh.ws.oddHeader.center.text = header  # our text: "&A" is the sheet's name
    sh.ws.oddFooter.center.text = "Page &P of &N"


def scorecard_bytes(result: Monitoring, *, title: str = "") -> bytes:
    """The scorecard workbook of ``result`` as ``.xlsx`` bytes.

    Parameters
    ----------
    result:
        The scored monitoring (:func:`vendor_eval.monitoring.scoring.score_monitoring`).
    title:
        The Portfolio sheet's title (default: ``Vendor performance: FILE``).

    Raises
    ------
    VendorEvalError
        A sheet would need more rows or columns than Excel has.
    """
    book = Book()
    book.wb.properties.creator = f"vendor_eval {__version__}"
    book.wb.properties.title = "Vendor scorecard"
    names = sheet_names(result.vendors)
    bands = _write_portfolio(book, result, title, names)
    frames = dict(iter(result.scored.groupby("vendor", sort=False)))  # one pass, not 200
    empty = result.scored.iloc[:0]
    for vendor, v in result.vendors.items():
        frame = frames.get(vendor, empty)
        sheet = write_vendor_sheet(book, names[vendor], v, result, bands, frame)
        _print_setup(sheet.sh, sheet.title_rows, "Scorecard: &A")
        sheet.sh.ws.print_title_cols = "A:A"
        sheet.sh.add_comments(sheet.notes)  # last: after the print setup
    buf = io.BytesIO()
    book.wb.save(buf)
    return inject_sheet_data(
        buf.getvalue(), book.sheet_data, shared_strings=book.shared_strings_xml()
    )


def write_scorecard(result: Monitoring, path: str | Path, *, title: str = "") -> None:
    """Write the scorecard to ``path`` whole or not at all (a temporary file beside it, then
    renamed over it).

    Raises
    ------
    VendorEvalError
        The file cannot be written there (a missing folder, no permission), or the
        workbook would not fit in Excel (:func:`scorecard_bytes`).
    """
    atomic_write(Path(path), scorecard_bytes(result, title=title), "the scorecard")
