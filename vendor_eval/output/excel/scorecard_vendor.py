"""One vendor's sheet of the Excel scorecard (docs/monitoring.md §4).

Layout, top to bottom (``k`` KPIs, in the vendor's KPI order):

* rows 1–4: the title, how to read the sheet, and the summary (latest period, score and
  standing, mean of the last 3, slope of the last 6, trend arrow, open actions);
* rows 5–7: the grid's group labels, the KPI weights (live references to the KPI table, laid
  across so SUMPRODUCT can use them) and the header;
* from row 8, one row per period from the vendor's first report to the last period:
  ``Period | actual × k | KPI score × k | Period score | Completeness | Standing | Breaches |
  mark × k``. An empty actual is a result not reported. The KPI scores, period score,
  completeness, standing, breach count and the marks (``✓ met``, ``○ not met``,
  ``✗ breach``) are live formulas over the actuals, the KPI table and the Portfolio
  sheet's standing bands, each with the tool's result cached;
* the KPI table (target, threshold and weight editable), the corrective actions, and
  promised vs delivered (delivered, gap and "short of promise" live over the actuals).

The KPI score formula is the tool's (docs/monitoring.md §2.1) for both directions:
``100·MAX(0, MIN(1, (actual − threshold)/(target − threshold)))`` — for a lower-is-better
KPI both differences change sign. Met is ``(actual − target)·(target − threshold) ≥ 0`` and
breach ``(actual − threshold)·(target − threshold) < 0``: at or better than the target,
worse than the threshold, whichever way is better.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from openpyxl.formatting.rule import ColorScaleRule, FormulaRule
from openpyxl.styles import Font, PatternFill
from openpyxl.utils.datetime import to_excel

from vendor_eval.core.model import Direction
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
    xml_escape,
    xstring,
)
from vendor_eval.workbook.schema import name_key

__all__ = [
    "BREACH",
    "FIRST_ROW",
    "GREEN_YELLOW_RED",
    "MET",
    "NOT_MET",
    "SCORE_FORMAT",
    "SLOPE_FORMAT",
    "BandCells",
    "VendorSheet",
    "summary_notes",
    "write_vendor_sheet",
]

#: The marks of the met/breach grid: legible without colour.
MET, NOT_MET, BREACH = "✓ met", "○ not met", "✗ breach"
SCORE_FORMAT = "0.0"
SLOPE_FORMAT = "+0.0;-0.0;0.0"
VALUE_FORMAT = "0.0##"  # a promised or delivered value: up to three decimals
SUMMARY = (
    "Latest period", "Latest score", "Standing", "Mean of last 3", "Slope of last 6", "Trend",
    "Open actions",
)  # fmt: skip
#: The first period's row.
FIRST_ROW = 8
_WEIGHT_ROW = FIRST_ROW - 2
_HEAD = FIRST_ROW - 1
GREEN_YELLOW_RED = {
    "start_type": "num", "start_value": 0, "start_color": "F8696B",
    "mid_type": "num", "mid_value": 50, "mid_color": "FFEB84",
    "end_type": "num", "end_value": 100, "end_color": "63BE7B",
}  # fmt: skip
_BREACH_FILL = PatternFill("solid", fgColor="F4B6B6")
_BREACH_FONT = Font(bold=True, color="9C0006")
_MET_FILL = PatternFill("solid", fgColor="C6EFCE")
_DATE = "yyyy-mm-dd"


@dataclass(frozen=True)
class BandCells:
    """The Portfolio cells of the standing bands (best first): names and minimums."""

    names: str
    minimums: str


@dataclass
class VendorSheet:
    """A written vendor sheet, its print-title rows and the comments still to add."""

    sh: Sheet
    title_rows: str
    notes: dict[str, str] = field(default_factory=dict)


def summary_notes(v: VendorPerformance, cells: Mapping[str, str]) -> dict[str, str]:
    """Why the summary's score, mean and slope cells (``cells``: ``score``, ``mean``,
    ``slope`` → cell) are empty, when they are."""
    if v.latest is None:
        why = f"no data: {v.vendor} has reported no results yet"
        return dict.fromkeys(cells.values(), why)
    if v.trend.slope_last_6 is None:
        return {cells["slope"]: "no data: one scored period, no slope yet"}
    return {}


@dataclass(frozen=True)
class _Grid:
    """The grid's columns for ``k`` KPIs."""

    k: int

    def actual(self, j: int) -> str:
        return col(2 + j)

    def score(self, j: int) -> str:
        return col(2 + self.k + j)

    def mark(self, j: int) -> str:
        return col(6 + 2 * self.k + j)

    @property
    def period_score(self) -> str:
        return col(2 + 2 * self.k)

    @property
    def completeness(self) -> str:
        return col(3 + 2 * self.k)

    @property
    def standing(self) -> str:
        return col(4 + 2 * self.k)

    @property
    def breaches(self) -> str:
        return col(5 + 2 * self.k)

    @property
    def width(self) -> int:
        return 5 + 3 * self.k


def _widths(g: _Grid) -> dict[int, float]:
    widths = dict.fromkeys(range(2, g.width + 1), 11.0)
    widths.update({1: 24.0, 2 + 2 * g.k: 9.0, 3 + 2 * g.k: 13.0, 4 + 2 * g.k: 18.0})
    return widths


@dataclass(frozen=True)
class _Values:
    """The vendor's results as period × KPI arrays (NaN / ``None``: not reported)."""

    actual: np.ndarray
    score: np.ndarray
    mark: np.ndarray  # object: MET, NOT_MET, BREACH or None

    @classmethod
    def of(cls, v: VendorPerformance, frame: pd.DataFrame) -> _Values:
        n, k = len(v.periods), len(v.kpis)
        actual, score = np.full((n, k), np.nan), np.full((n, k), np.nan)
        mark = np.full((n, k), None, dtype=object)
        if n and len(frame):
            index = {name_key(x.name): j for j, x in enumerate(v.kpis)}
            codes, names = pd.factorize(frame["kpi"])
            j = np.array([index.get(name_key(x), -1) for x in names] + [-1])[codes]
            i = frame["period"].to_numpy(dtype=np.int64) - v.periods[0].period.ordinal
            keep = (j >= 0) & (i >= 0) & (i < n)
            i, j = i[keep], j[keep]
            actual[i, j] = frame["actual"].to_numpy(dtype=float)[keep]
            score[i, j] = frame["score"].to_numpy(dtype=float)[keep]
            met = frame["met"].to_numpy(dtype=bool)[keep]
            breach = frame["breach"].to_numpy(dtype=bool)[keep]
            mark[i, j] = np.where(breach, BREACH, np.where(met, MET, NOT_MET))
        return cls(actual, score, mark)

    def rows_reported(self, j: int) -> list[int]:
        """The sheet rows of KPI ``j``'s reports, in period order."""
        return (np.flatnonzero(~np.isnan(self.actual[:, j])) + FIRST_ROW).tolist()


def write_vendor_sheet(
    book: Book,
    title: str,
    v: VendorPerformance,
    result: Monitoring,
    bands: BandCells,
    frame: pd.DataFrame | None = None,
) -> VendorSheet:
    """The vendor's sheet (see the module's docstring); the caller adds the print setup,
    then the comments. ``frame`` is the vendor's scored results (default
    ``result.results_of(v.vendor)``)."""
    g = _Grid(len(v.kpis))
    sh = book.sheet(title, freeze=f"B{FIRST_ROW}", widths=_widths(g))
    out = VendorSheet(sh, f"{_HEAD}:{_HEAD}")
    kind = result.book.kind
    by = f"Results by {kind.value}" if kind else "No results yet"
    sh.append([sh.text(f"Scorecard: {v.vendor}", "A1", font=TITLE_FONT)])
    sh.append([sh.styled(
        f"{by}; an empty actual was not reported. The KPI scores, period scores, "
        "completeness, standings and marks are live formulas over the actuals and the KPI "
        "table below: edit an actual, a target, a threshold or a weight and they recalculate.",
        font=NOTE_FONT, text=True,
    )])  # fmt: skip
    _summary(sh, v, out)
    n = len(v.periods)
    kpi_head = FIRST_ROW + max(n, 1) + 2
    kpi_rows = [kpi_head + 1 + j for j in range(g.k)]
    _grid_head(sh, g, v, kpi_rows)
    values = _Values.of(v, result.results_of(v.vendor) if frame is None else frame)
    _grid_rows(sh, g, v, values, kpi_rows, bands, out)
    sh.append([])
    _kpi_table(sh, v)
    assert sh.row == kpi_head + g.k, "the KPI table moved: the score formulas point at it"
    sh.append([])
    _actions(sh, v)
    sh.append([])
    _promises(sh, v, g, values, out)
    return out


def _summary(sh: Sheet, v: VendorPerformance, out: VendorSheet) -> None:
    sh.append([sh.styled(name, font=BOLD, alignment=WRAP) for name in SUMMARY])
    latest = v.latest
    sh.append([
        sh.text(latest.period.label, "A4") if latest else None,
        sh.styled(latest.score if latest else None, number_format=SCORE_FORMAT),
        sh.text(latest.standing, "C4") if latest else None,
        sh.styled(v.trend.mean_last_3, number_format=SCORE_FORMAT),
        sh.styled(v.trend.slope_last_6, number_format=SLOPE_FORMAT),
        v.trend.arrow or None,
        len(v.open_actions),
    ])  # fmt: skip
    out.notes.update(summary_notes(v, {"score": "B4", "mean": "D4", "slope": "E4"}))


def _grid_head(sh: Sheet, g: _Grid, v: VendorPerformance, kpi_rows: list[int]) -> None:
    labels: list[object] = [None] * g.width
    if g.k:
        labels[1] = "Actuals"
        labels[1 + g.k] = "KPI scores 0–100"
        labels[5 + 2 * g.k] = f"Marks: {MET} · {NOT_MET} · {BREACH}"
    labels[1 + 2 * g.k] = "Period"
    sh.append([sh.styled(x, font=BOLD) if x else None for x in labels])
    weights: list[object] = [sh.styled("Weight", font=BOLD)] + [None] * (g.width - 1)
    r = _WEIGHT_ROW
    for j, (k, kr) in enumerate(zip(v.kpis, kpi_rows, strict=True)):
        cell = f"{g.score(j)}{r}"
        weights[1 + g.k + j] = sh.formula(cell, f"=$F${kr}", k.weight, font=NOTE_FONT)
    sh.append(weights)
    names = [k.name for k in v.kpis]
    units = [f"{k.name} ({k.unit})" if k.unit else k.name for k in v.kpis]
    sh.header(["Period", *units, *names, "Period score", "Completeness", "Standing", "Breaches",
               *names])  # fmt: skip


def _grid_rows(
    sh: Sheet,
    g: _Grid,
    v: VendorPerformance,
    values: _Values,
    kpi_rows: list[int],
    bands: BandCells,
    out: VendorSheet,
) -> None:
    """The period rows, column by column: each formula column is one shared formula."""
    if not v.periods:
        sh.append([sh.styled("No results reported yet.", font=NOTE_FONT, text=True)])
        return
    k = g.k
    actual, score = values.actual, values.score
    w = f"${g.score(0)}${_WEIGHT_ROW}:${g.score(k - 1)}${_WEIGHT_ROW}"
    rep = f'SUMPRODUCT({w},--({g.actual(0)}{{r}}:{g.actual(k - 1)}{{r}}<>""))'
    ps = f"{g.period_score}{{r}}"
    one = sh.style_id(number_format=SCORE_FORMAT)
    columns = [sh.text_cells("A", [p.period.label for p in v.periods], font=BOLD)]
    columns += [sh.number_cells(g.actual(j), actual[:, j]) for j in range(k)]
    for j, kr in enumerate(kpi_rows):
        a, t, h = f"{g.actual(j)}{{r}}", f"$D${kr}", f"$E${kr}"
        f = f'IF({a}="","",100*MAX(0,MIN(1,({a}-{h})/({t}-{h}))))'
        columns.append(sh.formula_cells(g.score(j), f, score[:, j], one))
    period = np.array([np.nan if p.score is None else p.score for p in v.periods])
    mean = f"SUMPRODUCT({w},{g.score(0)}{{r}}:{g.score(k - 1)}{{r}})/{rep}"
    columns.append(sh.formula_cells(g.period_score, f'IF({rep}=0,"",{mean})', period, one))
    columns.append(sh.formula_cells(
        g.completeness, f"{rep}/SUM({w})", [p.completeness for p in v.periods],
        sh.style_id(number_format="0%"),
    ))  # fmt: skip
    band = f"INDEX({bands.names},SUMPRODUCT(--({bands.minimums}>{ps}))+1)"
    columns.append(_text_formula_cells(
        sh, g.standing, f'IF({ps}="","",{band})', [p.standing for p in v.periods]
    ))  # fmt: skip
    count = f'COUNTIF({g.mark(0)}{{r}}:{g.mark(k - 1)}{{r}},"{BREACH}")'
    breaches = [np.nan if p.score is None else len(p.breaches) for p in v.periods]
    columns.append(sh.formula_cells(g.breaches, f'IF({ps}="","",{count})', breaches))
    for j, kr in enumerate(kpi_rows):
        a, t, h = f"{g.actual(j)}{{r}}", f"$D${kr}", f"$E${kr}"
        f = (
            f'IF({a}="","",IF(({a}-{t})*({t}-{h})>=0,"{MET}",'
            f'IF(({a}-{h})*({t}-{h})<0,"{BREACH}","{NOT_MET}")))'
        )
        columns.append(_text_formula_cells(sh, g.mark(j), f, values.mark[:, j].tolist()))
    top = sh.next_row
    sh.append_columns(columns)
    for i, p in enumerate(v.periods):
        if p.score is None:
            out.notes[f"{g.period_score}{top + i}"] = "no data: nothing was reported this period"
    _heatmap(sh, g, top, sh.row)


def _text_formula_cells(
    sh: Sheet, letter: str, template: str, cached: Sequence[str | None]
) -> list[str]:
    """:meth:`Sheet.formula_cells` for a column of formulas whose results are text (a
    standing, a mark): one shared formula, each cell with its cached text (``None``: an
    empty text)."""
    first = sh.next_row
    if not cached:
        return []
    si = sh.shared_formulas
    sh.shared_formulas += 1
    master = xml_escape(template).format(r=first)
    last = first + len(cached) - 1
    head = f'<f t="shared" ref="{letter}{first}:{letter}{last}" si="{si}">'
    child = f'<f t="shared" si="{si}"/>'
    shown: dict[str | None, str] = {None: ""}  # a handful of distinct texts, cleaned once
    where = f"{sh.title}!{letter}{first}:{letter}{last}"
    for text in cached:
        if text not in shown:
            shown[text] = xstring(sh.book.text_value(text, where))
    out = [f'<c r="{letter}{first}" t="str">{head}{master}</f><v>{shown[cached[0]]}</v></c>']
    out += [
        f'<c r="{letter}{r}" t="str">{child}<v>{shown[text]}</v></c>'
        for r, text in enumerate(cached[1:], first + 1)
    ]
    return out


def _heatmap(sh: Sheet, g: _Grid, first: int, last: int) -> None:
    """Breach and met fills on the actuals and the marks (keyed on the marks, so they
    follow an edited actual), and the green–yellow–red scale on the scores."""
    cf = sh.ws.conditional_formatting
    m = f"{g.mark(0)}{first}"
    breach = f'{m}="{BREACH}"'
    met = f'{m}="{MET}"'
    for a, b in ((g.actual(0), g.actual(g.k - 1)), (g.mark(0), g.mark(g.k - 1))):
        rng = f"{a}{first}:{b}{last}"
        cf.add(rng, FormulaRule(formula=[breach], fill=_BREACH_FILL, font=_BREACH_FONT))
        cf.add(rng, FormulaRule(formula=[met], fill=_MET_FILL))
    cf.add(f"{g.score(0)}{first}:{g.score(g.k - 1)}{last}", ColorScaleRule(**GREEN_YELLOW_RED))
    ps = g.period_score
    cf.add(f"{ps}{first}:{ps}{last}", ColorScaleRule(**GREEN_YELLOW_RED))


def _section(sh: Sheet, title: str, note: str) -> None:
    sh.append([sh.styled(title, font=BOLD), sh.styled(note, font=NOTE_FONT, text=True)])


def _kpi_table(sh: Sheet, v: VendorPerformance) -> None:
    _section(sh, "KPIs", "Target, threshold and weight (shaded) may be edited: the scores "
             "recalculate. Higher is better when the target is above the threshold.")  # fmt: skip
    sh.header(["KPI", "Unit", "Direction", "Target", "Threshold", "Weight", "Criterion"])
    for k in v.kpis:
        r = sh.next_row
        sh.append([
            sh.text(k.name, f"A{r}", font=BOLD),
            sh.text(k.unit or None, f"B{r}"),
            k.direction.value,
            sh.styled(k.target, fill=INPUT_FILL),
            sh.styled(k.threshold, fill=INPUT_FILL),
            sh.styled(k.weight, fill=INPUT_FILL),
            sh.text(k.criterion, f"G{r}", alignment=WRAP),
        ])  # fmt: skip


def _actions(sh: Sheet, v: VendorPerformance) -> None:
    _section(sh, "Corrective actions", "One per run of consecutive breaches of a KPI, "
             "opened in the run's second period; Run: periods in breach so far.")  # fmt: skip
    sh.header(["KPI", "Opened", "Run", "Due", "Status", "Closed", "Owner", "Note"])
    acts = v.actions
    if not acts:
        sh.append([sh.styled("None: no KPI has been in breach two periods running.",
                             font=NOTE_FONT, text=True)])  # fmt: skip
        return
    day = sh.style_id(number_format=_DATE)
    due = [to_excel(a.due) for a in acts]
    closed = [np.nan if a.closed is None else to_excel(a.closed) for a in acts]
    sh.append_columns([
        sh.text_cells("A", [a.kpi for a in acts], font=BOLD),
        sh.text_cells("B", [a.period.label for a in acts]),
        sh.number_cells("C", [a.run for a in acts]),
        sh.number_cells("D", due, day),
        sh.text_cells("E", [a.status for a in acts]),
        sh.number_cells("F", closed, day),
        sh.text_cells("G", [a.owner for a in acts], alignment=WRAP),
        sh.text_cells("H", [a.note for a in acts], alignment=WRAP),
    ])  # fmt: skip


def _promises(sh: Sheet, v: VendorPerformance, g: _Grid, values: _Values, out: VendorSheet) -> None:
    _section(sh, "Promised vs delivered", "Promised: the vendor's value at selection. "
             "Delivered: the mean of the KPI's last 3 reports (live over those actuals); "
             "gap = delivered − promised.")  # fmt: skip
    sh.header(["KPI", "Criterion", "Unit", "Promised", "Delivered", "Gap", "Short of promise"])
    if not v.promises:
        sh.append([sh.styled("No KPI is linked to a selection criterion.", font=NOTE_FONT,
                             text=True)])  # fmt: skip
    index = {name_key(k.name): j for j, k in enumerate(v.kpis)}
    for p in v.promises:
        r = sh.next_row
        j = index[name_key(p.kpi)]
        rows = values.rows_reported(j)[-3:]
        delivered: object = None
        if rows and p.delivered is not None:
            cells = ",".join(f"{g.actual(j)}{x}" for x in rows)
            delivered = sh.formula(
                f"E{r}", f"=AVERAGE({cells})", p.delivered, number_format=VALUE_FORMAT
            )
        worse = "<" if p.direction is Direction.HIGHER else ">"
        gap = p.gap
        sh.append([
            sh.text(p.kpi, f"A{r}", font=BOLD),
            sh.text(p.criterion, f"B{r}", alignment=WRAP),
            sh.text(p.unit or None, f"C{r}"),
            sh.styled(p.promised, number_format=VALUE_FORMAT),
            delivered,
            sh.formula(f"F{r}", f'=IF(OR(D{r}="",E{r}=""),"",E{r}-D{r})', gap,
                       number_format=VALUE_FORMAT),
            sh.formula(f"G{r}", f'=IF(F{r}="","",IF(F{r}{worse}0,"yes","no"))',
                       None if gap is None else ("yes" if p.short else "no")),
        ])  # fmt: skip
        if p.promised is None:
            out.notes[f"D{r}"] = (
                f"no data: no value of {p.criterion} from the selection for {v.vendor}"
            )
        if delivered is None:
            out.notes[f"E{r}"] = f"no data: {p.kpi} has not been reported yet"
