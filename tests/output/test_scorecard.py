"""The Excel scorecard of the monitoring (docs/monitoring.md §4): exact cells, live formulas
with cached results, text that stays text, sheet names, no data as an empty cell with a
comment, the ``--excel`` option, and LibreOffice recalculating the tool's numbers."""

from __future__ import annotations

import json
import math
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from conftest import ROOT, SAMPLE, soffice_convert, xlsx

from vendor_eval import cli
from vendor_eval.core.model import Direction
from vendor_eval.core.problems import VendorEvalError
from vendor_eval.monitoring.model import RESULT_COLUMNS, Kpi, MonitoringBook, Period, Standing
from vendor_eval.monitoring.scoring import Monitoring, score_monitoring
from vendor_eval.output.excel.scorecard import (
    PORTFOLIO,
    PORTFOLIO_COLUMNS,
    scorecard_bytes,
    sheet_names,
    write_scorecard,
)
from vendor_eval.output.excel.scorecard_vendor import BREACH, MET, NOT_MET
from vendor_eval.workbook.schema import name_key

UPTIME = Kpi("Uptime", Direction.HIGHER, target=99.5, threshold=99.0, weight=3, unit="%",
             criterion="SLA uptime %", row=2)  # fmt: skip
RESPONSE = Kpi("Response time", Direction.LOWER, target=4, threshold=8, weight=1, unit="h", row=3)
HOSTILE = '=HYPERLINK("http://x")'

# Acme, month by month: on target and on threshold (01), between and better than the
# target (02), nothing reported (03), one KPI missing (04), both in breach (05), between (06).
MONTHS = [
    ("2026-01", "Acme", "Uptime", 99.5), ("2026-01", "Acme", "Response time", 8),
    ("2026-02", "Acme", "Uptime", 99.25), ("2026-02", "Acme", "Response time", 2),
    ("2026-04", "Acme", "Uptime", 98.9),
    ("2026-05", "Acme", "Uptime", 98.0), ("2026-05", "Acme", "Response time", 10),
    ("2026-06", "Acme", "Uptime", 99.4), ("2026-06", "Acme", "Response time", 5),
]  # fmt: skip
# Quill, quarter by quarter across a year end: exactly on the threshold (Q2), only the
# lower-is-better KPI (Q3), breaches two quarters running (2026-Q4, 2027-Q1).
QUARTERS = [
    ("2026-Q1", "Quill", "Uptime", 99.5), ("2026-Q1", "Quill", "Response time", 6),
    ("2026-Q2", "Quill", "Uptime", 99.0),
    ("2026-Q3", "Quill", "Response time", 3),
    ("2026-Q4", "Quill", "Uptime", 98.0), ("2026-Q4", "Quill", "Response time", 9),
    ("2027-Q1", "Quill", "Uptime", 97.0), ("2027-Q1", "Quill", "Response time", 4),
]  # fmt: skip


def book(
    rows: list[tuple[str, str, str, float]],
    kpis: tuple[Kpi, ...] = (UPTIME, RESPONSE),
    vendors: tuple[str, ...] | None = None,
    **kw: object,
) -> MonitoringBook:
    """rows: (period label, vendor, KPI, actual)."""
    periods = [Period.parse(p) for p, _, _, _ in rows]
    frame = pd.DataFrame(
        [(p.ordinal, v, k, float(a), "", i + 2)  # type: ignore[union-attr]
         for i, (p, (_, v, k, a)) in enumerate(zip(periods, rows, strict=True))],
        columns=list(RESULT_COLUMNS),
    )  # fmt: skip
    kind = periods[0].kind if periods else None  # type: ignore[union-attr]
    names = vendors or tuple(dict.fromkeys(v for _, v, _, _ in rows))
    return MonitoringBook(kpis, frame, kind, names, **kw)  # type: ignore[arg-type]


def monthly() -> Monitoring:
    return score_monitoring(
        book(MONTHS, vendors=("Acme", "Nobody"), promised={("Acme", "SLA uptime %"): 99.9})
    )


def saved(result: Monitoring, tmp_path: Path, name: str = "scorecard.xlsx") -> Path:
    path = tmp_path / name
    write_scorecard(result, path)
    return path


def values(ws, rows: range, last_col: str) -> list[tuple]:
    return [tuple(c.value for c in ws[f"A{r}" : f"{last_col}{r}"][0]) for r in rows]


# -- the vendor sheet ----------------------------------------------------------------------
def test_vendor_sheet_holds_the_tools_numbers(tmp_path):
    path = saved(monthly(), tmp_path)
    wb = openpyxl.load_workbook(path, data_only=True)
    assert wb.sheetnames == [PORTFOLIO, "Acme", "Nobody"]
    ws = wb["Acme"]
    assert ws["A1"].value == "Scorecard: Acme"
    assert ws["A2"].value.startswith("Results by month; an empty actual was not reported.")
    assert values(ws, range(3, 5), "G") == [
        ("Latest period", "Latest score", "Standing", "Mean of last 3", "Slope of last 6",
         "Trend", "Open actions"),
        ("2026-06", pytest.approx(78.75), "Good", pytest.approx(26.25), pytest.approx(-5.5),
         "↓", 1),
    ]  # fmt: skip
    assert values(ws, range(7, 8), "K") == [
        ("Period", "Uptime (%)", "Response time (h)", "Uptime", "Response time", "Period score",
         "Completeness", "Standing", "Breaches", "Uptime", "Response time"),
    ]  # fmt: skip
    assert (ws["A6"].value, ws["D6"].value, ws["E6"].value) == ("Weight", 3, 1)
    grid = values(ws, range(8, 14), "K")
    assert grid == [
        ("2026-01", 99.5, 8, 100, 0, 75, 1, "Good", 0, MET, NOT_MET),
        ("2026-02", 99.25, 2, 50, 100, 62.5, 1, "Needs improvement", 0, NOT_MET, MET),
        ("2026-03", None, None, None, None, None, 0, None, None, None, None),
        ("2026-04", 98.9, None, 0, None, 0, 0.75, "Poor", 1, BREACH, None),
        ("2026-05", 98, 10, 0, 0, 0, 1, "Poor", 2, BREACH, BREACH),
        ("2026-06", 99.4, 5, pytest.approx(80), 75, pytest.approx(78.75), 1, "Good", 0,
         NOT_MET, NOT_MET),
    ]  # fmt: skip
    assert values(ws, range(15, 19), "G") == [
        ("KPIs", ws["B15"].value, None, None, None, None, None),
        ("KPI", "Unit", "Direction", "Target", "Threshold", "Weight", "Criterion"),
        ("Uptime", "%", "higher", 99.5, 99, 3, "SLA uptime %"),
        ("Response time", "h", "lower", 4, 8, 1, None),
    ]
    assert values(ws, range(21, 23), "H") == [
        ("KPI", "Opened", "Run", "Due", "Status", "Closed", "Owner", "Note"),
        ("Uptime", "2026-05", 2, pd.Timestamp("2026-06-30").to_pydatetime(), "open", None,
         None, None),
    ]  # fmt: skip
    assert ws["D22"].number_format == "yyyy-mm-dd"
    assert values(ws, range(25, 27), "G") == [
        ("KPI", "Criterion", "Unit", "Promised", "Delivered", "Gap", "Short of promise"),
        ("Uptime", "SLA uptime %", "%", 99.9, pytest.approx((98.9 + 98.0 + 99.4) / 3),
         pytest.approx((98.9 + 98.0 + 99.4) / 3 - 99.9), "yes"),
    ]  # fmt: skip
    assert ws.max_row == 26


def test_the_scores_are_live_formulas_over_the_actuals_and_the_kpi_table(tmp_path):
    ws = openpyxl.load_workbook(saved(monthly(), tmp_path))["Acme"]
    assert (ws["D6"].value, ws["E6"].value) == ("=$F$17", "=$F$18")  # the KPI table's weights
    rep = 'SUMPRODUCT($D$6:$E$6,--(B9:C9<>""))'
    assert {c: ws[f"{c}9"].value for c in "DEFGHIJ"} == {
        "D": '=IF(B9="","",100*MAX(0,MIN(1,(B9-$E$17)/($D$17-$E$17))))',
        "E": '=IF(C9="","",100*MAX(0,MIN(1,(C9-$E$18)/($D$18-$E$18))))',
        "F": f'=IF({rep}=0,"",SUMPRODUCT($D$6:$E$6,D9:E9)/{rep})',
        "G": f"={rep}/SUM($D$6:$E$6)",
        "H": '=IF(F9="","",INDEX(Portfolio!$B$3:$E$3,SUMPRODUCT(--(Portfolio!$B$4:$E$4>F9))+1))',
        "I": '=IF(F9="","",COUNTIF(J9:K9,"✗ breach"))',
        "J": '=IF(B9="","",IF((B9-$D$17)*($D$17-$E$17)>=0,"✓ met",'
        'IF((B9-$E$17)*($D$17-$E$17)<0,"✗ breach","○ not met")))',
    }
    assert ws["E26"].value == "=AVERAGE(B11,B12,B13)"  # Uptime's last 3 reports
    assert ws["F26"].value == '=IF(OR(D26="",E26=""),"",E26-D26)'
    assert ws["G26"].value == '=IF(F26="","",IF(F26<0,"yes","no"))'
    # the actuals, targets, thresholds and weights are plain numbers to edit
    assert [ws[c].data_type for c in ("B8", "C8", "D17", "E17", "F17")] == ["n"] * 5
    formulas = sum(c.data_type == "f" for row in ws.iter_rows() for c in row)
    assert formulas == 2 + 6 * 8 + 3  # weights, 6 periods × 8 formula columns, promise row


def test_a_lower_is_better_promise_is_short_when_the_gap_is_positive(tmp_path):
    response = Kpi("Response time", Direction.LOWER, 4, 8, 1, criterion="Response hours", row=3)
    rows = [("2026-01", "Acme", "Response time", 5), ("2026-02", "Acme", "Response time", 3)]
    result = score_monitoring(
        book(rows, kpis=(response,), promised={("Acme", "Response hours"): 3.5})
    )
    ws = openpyxl.load_workbook(saved(result, tmp_path))["Acme"]
    row = next(r for r in range(1, ws.max_row + 1) if ws[f"A{r}"].value == "Promised vs delivered")
    r = row + 2
    assert ws[f"G{r}"].value == f'=IF(F{r}="","",IF(F{r}>0,"yes","no"))'
    cached = openpyxl.load_workbook(saved(result, tmp_path, "2.xlsx"), data_only=True)["Acme"]
    assert [cached[f"{c}{r}"].value for c in "DEFG"] == [3.5, 4, 0.5, "yes"]


def test_met_and_breach_are_conditional_formats_and_marks_legible_without_colour(tmp_path):
    ws = openpyxl.load_workbook(saved(monthly(), tmp_path))["Acme"]
    rules = {
        str(cf.sqref): [(r.type, r.formula) for r in cf.rules] for cf in ws.conditional_formatting
    }
    marks = [("expression", ['J8="✗ breach"']), ("expression", ['J8="✓ met"'])]
    assert rules["B8:C13"] == marks  # keyed on the marks, so they follow an edited actual
    assert rules["J8:K13"] == marks
    assert rules["D8:E13"] == [("colorScale", [])]
    assert rules["F8:F13"] == [("colorScale", [])]


def test_print_setup_and_frozen_panes(tmp_path):
    wb = openpyxl.load_workbook(saved(monthly(), tmp_path))
    acme, portfolio = wb["Acme"], wb[PORTFOLIO]
    assert (acme.freeze_panes, portfolio.freeze_panes) == ("B8", "B7")
    assert (acme.print_title_rows, acme.print_title_cols) == ("$7:$7", "$A:$A")
    assert portfolio.print_title_rows == "$6:$6"
    for ws in (acme, portfolio):
        assert ws.page_setup.orientation == "landscape"
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
        assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert acme.oddHeader.center.text == "Scorecard: &A"
    assert acme.column_dimensions["A"].width == 24


# -- the portfolio -------------------------------------------------------------------------
def test_portfolio_rows_and_no_data_as_empty_cells_with_a_comment(tmp_path):
    wb = openpyxl.load_workbook(saved(monthly(), tmp_path), data_only=True)
    ws = wb[PORTFOLIO]
    assert ws["A1"].value == "Vendor performance"
    assert ws["A2"].value.startswith("results by month; 2 monitored vendors.")
    assert values(ws, range(3, 5), "E") == [
        ("Standing", "Excellent", "Good", "Needs improvement", "Poor"),
        ("Minimum", 85, 70, 50, 0),
    ]
    assert values(ws, range(6, 9), "J") == [
        PORTFOLIO_COLUMNS,
        (
            "Acme",
            "Acme",
            "2026-06",
            pytest.approx(78.75),
            "Good",
            pytest.approx(26.25),
            pytest.approx(-5.5),
            "↓",
            1,
            "Uptime",
        ),
        ("Nobody", "Nobody", None, None, None, None, None, None, 0, None),
    ]
    why = "no data: Nobody has reported no results yet"
    assert {c: ws[f"{c}8"].comment.text for c in "DFG"} == dict.fromkeys("DFG", why)
    assert ws["J8"].comment.text == "no data: no selection value, or no report yet, to compare"
    assert ws["D7"].comment is None
    nobody = wb["Nobody"]
    assert nobody["A8"].value == "No results reported yet."
    assert nobody["B4"].comment.text == why
    # a period with nothing reported: an empty score with the reason, completeness 0
    acme = wb["Acme"]
    assert (acme["F10"].value, acme["G10"].value) == (None, 0)
    assert acme["F10"].comment.text == "no data: nothing was reported this period"


def test_one_scored_period_has_no_slope_and_says_why(tmp_path):
    result = score_monitoring(book([("2026-01", "Acme", "Uptime", 99.5)]))
    ws = openpyxl.load_workbook(saved(result, tmp_path), data_only=True)[PORTFOLIO]
    assert values(ws, range(7, 8), "J") == [
        ("Acme", "Acme", "2026-01", 100, "Excellent", 100, None, None, 0, None),
    ]
    assert ws["G7"].comment.text == "no data: one scored period, no slope yet"
    # Uptime is linked to a criterion, but nothing was promised: nothing to compare
    assert ws["J7"].comment.text == "no data: no selection value, or no report yet, to compare"


def test_a_standings_sheet_and_a_title(tmp_path):
    bands = (Standing("Green", 90), Standing("Amber", 60), Standing("Red", 0))
    result = score_monitoring(book(MONTHS, standings=bands))
    data = scorecard_bytes(result, title="IT outsourcing 2027")
    path = tmp_path / "s.xlsx"
    path.write_bytes(data)
    wb = openpyxl.load_workbook(path, data_only=True)
    assert wb[PORTFOLIO]["A1"].value == "IT outsourcing 2027"
    assert values(wb[PORTFOLIO], range(3, 5), "D") == [
        ("Standing", "Green", "Amber", "Red"), ("Minimum", 90, 60, 0),
    ]  # fmt: skip
    assert [wb["Acme"][f"H{r}"].value for r in range(8, 14)] == [
        "Amber", "Amber", None, "Red", "Red", "Amber",
    ]  # fmt: skip
    formula = openpyxl.load_workbook(path)["Acme"]["H8"].value
    assert "Portfolio!$B$3:$D$3" in formula and "Portfolio!$B$4:$D$4" in formula


def test_quarterly_results(tmp_path):
    result = score_monitoring(book(QUARTERS))
    wb = openpyxl.load_workbook(saved(result, tmp_path), data_only=True)
    assert wb[PORTFOLIO]["A2"].value.startswith("results by quarter; 1 monitored vendor.")
    ws = wb["Quill"]
    assert ws["A2"].value.startswith("Results by quarter;")
    assert values(ws, range(8, 13), "I") == [
        ("2026-Q1", 99.5, 6, 100, 50, 87.5, 1, "Excellent", 0),
        ("2026-Q2", 99, None, 0, None, 0, 0.75, "Poor", 0),  # on the threshold: no breach
        ("2026-Q3", None, 3, None, 100, 100, 0.25, "Excellent", 0),
        ("2026-Q4", 98, 9, 0, 0, 0, 1, "Poor", 2),
        ("2027-Q1", 97, 4, 0, 100, 25, 1, "Poor", 1),
    ]
    assert ws["J9"].value == NOT_MET
    action = next(r for r in range(1, ws.max_row + 1) if ws[f"A{r}"].value == "Corrective actions")
    assert values(ws, range(action + 2, action + 3), "C") == [("Uptime", "2027-Q1", 2)]


def test_no_vendor_monitored_yet(tmp_path):
    result = score_monitoring(book([], vendors=()))
    wb = openpyxl.load_workbook(saved(result, tmp_path), data_only=True)
    assert wb.sheetnames == [PORTFOLIO]
    assert wb[PORTFOLIO]["A2"].value.startswith("no results reported yet; 0 monitored vendors.")
    assert wb[PORTFOLIO]["A7"].value == "No vendor is monitored yet."


def test_a_vendor_without_kpis_or_results_yet(tmp_path):
    result = score_monitoring(book([], kpis=(), vendors=("Acme",)))
    wb = openpyxl.load_workbook(saved(result, tmp_path), data_only=True)
    ws = wb["Acme"]
    assert values(ws, range(7, 9), "E") == [
        ("Period", "Period score", "Completeness", "Standing", "Breaches"),
        ("No results reported yet.", None, None, None, None),
    ]
    assert [ws[f"A{r}"].value for r in (10, 11, 13, 14, 17, 18)] == [
        "KPIs", "KPI", "Corrective actions", "KPI", "Promised vs delivered", "KPI",
    ]  # fmt: skip
    assert ws["A15"].value == "None: no KPI has been in breach two periods running."
    assert ws["A19"].value == "No KPI is linked to a selection criterion."
    assert ws.max_row == 19
    assert wb[PORTFOLIO]["J7"].comment.text == (
        "no data: no KPI of this vendor is linked to a selection criterion"
    )


# -- user text stays text -------------------------------------------------------------------
def test_names_that_look_like_formulas_stay_text(tmp_path):
    kpi = Kpi('=HYPERLINK("http://y")', Direction.HIGHER, 90, 80, 1, unit="+1",
              criterion="@SUM(A1)", row=2)  # fmt: skip
    rows = [("2026-01", HOSTILE, kpi.name, 70), ("2026-02", HOSTILE, kpi.name, 75)]
    key = (name_key(HOSTILE), name_key(kpi.name), "2026-02")
    stored = {key: {"owner": "=cmd|' /C calc'!A0", "note": "-2+3", "status": "open"}}
    result = score_monitoring(book(rows, kpis=(kpi,), promised={(HOSTILE, "@SUM(A1)"): 85}), stored)
    path = saved(result, tmp_path)
    wb = openpyxl.load_workbook(path)
    title = sheet_names([HOSTILE])[HOSTILE]
    assert wb.sheetnames == [PORTFOLIO, title] and title == '=HYPERLINK("httpx")'
    hostile = {HOSTILE, kpi.name, "+1", "@SUM(A1)", "=cmd|' /C calc'!A0", "-2+3", title}
    seen = set()
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.value in hostile:
                    assert c.data_type == "s" and c.quotePrefix, (ws.title, c.coordinate)
                    seen.add(c.value)
                if c.data_type == "f":
                    assert "HYPERLINK" not in c.value and "cmd" not in c.value
    assert seen == hostile
    ws = wb[title]
    assert ws["A1"].value == f"Scorecard: {HOSTILE}"  # not at the start: plain text
    assert ws["B7"].value == f"{kpi.name} (+1)"


def test_control_characters_in_names_are_replaced(tmp_path):
    result = score_monitoring(book([("2026-01", "Ac\x07me", "Uptime", 99.5)]))
    wb = openpyxl.load_workbook(saved(result, tmp_path))
    assert wb.sheetnames == [PORTFOLIO, "Acme"]
    assert wb[PORTFOLIO]["A7"].value == "Ac\ufffdme"


@pytest.mark.parametrize(
    ("vendors", "expected"),
    [
        (["Acme"], ["Acme"]),
        (["A/B: [x]*?\\ Ltd"], ["AB x Ltd"]),
        (["Northwind Systems International Holdings GmbH"], ["Northwind Systems International"]),
        (["'Quoted'"], ["Quoted"]),
        (["[]", "?"], ["Vendor", "Vendor (2)"]),
        (["A/B", "AB", "ab"], ["AB", "AB (2)", "ab (3)"]),
        (["Portfolio", "history"], ["Portfolio (2)", "history (2)"]),
        (["x" * 40, "x" * 35], ["x" * 31, "x" * 27 + " (2)"]),
        (["Cloud 😀" * 5], ["Cloud 😀Cloud 😀Cloud 😀Cloud"]),  # an emoji counts twice
        (["Two\nlines\tand  spaces"], ["Twolinesand spaces"]),
    ],
)
def test_sheet_names(vendors, expected):
    assert list(sheet_names(vendors).values()) == expected


def test_every_sheet_name_is_accepted_by_excel_rules(tmp_path):
    vendors = ("Acme", "ACME/", "x" * 40, "x" * 41, "Portfolio")
    rows = [("2026-01", v, "Uptime", 99.5) for v in vendors]
    wb = openpyxl.load_workbook(saved(score_monitoring(book(rows)), tmp_path))
    names = wb.sheetnames
    assert names == [PORTFOLIO, "Acme", "ACME (2)", "x" * 31, "x" * 27 + " (2)", "Portfolio (2)"]
    assert len({n.casefold() for n in names}) == len(names)
    assert [wb[PORTFOLIO][f"B{r}"].value for r in range(7, 12)] == names[1:]


# -- the file ------------------------------------------------------------------------------
def test_write_is_atomic_and_refuses_a_missing_folder(tmp_path):
    path = saved(monthly(), tmp_path)
    assert path.read_bytes()[:2] == b"PK"
    assert [p.name for p in tmp_path.iterdir()] == ["scorecard.xlsx"]  # no temporary left
    missing = tmp_path / "no" / "s.xlsx"
    with pytest.raises(VendorEvalError, match=r"the folder .*no does not exist"):
        write_scorecard(monthly(), missing)


def test_every_formula_has_a_cached_value(tmp_path):
    result = monthly()
    path = saved(result, tmp_path)
    expected = _expected(result)
    formulas = openpyxl.load_workbook(path)
    cached = openpyxl.load_workbook(path, data_only=True)
    n = 0
    for ws in formulas.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.data_type != "f":
                    continue
                n += 1
                value = cached[ws.title][c.coordinate].value
                if (ws.title, c.coordinate) in expected:  # the grid: the tool's value
                    assert _same(expected[(ws.title, c.coordinate)], value), c.coordinate
                elif ws.title == "Nobody" and c.column_letter in "FG":  # nothing to compare
                    assert value is None
                else:
                    assert value is not None, (ws.title, c.coordinate)
    assert n == 53 + 2 + 2  # Acme's, and Nobody's weights, gap and short of promise


# -- the command line ----------------------------------------------------------------------
MONITORING = ROOT / "data" / "sample_monitoring.xlsx"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def test_monitor_writes_the_scorecard_of_what_it_prints(capsys, tmp_path):
    target = tmp_path / "card.xlsx"
    code, out, err = run(capsys, "monitor", str(MONITORING), "--excel", str(target),
                         "--format", "json")  # fmt: skip
    assert code == 0 and err == f"wrote {target}\n"
    shown = json.loads(out)["vendors"]
    wb = openpyxl.load_workbook(target, data_only=True)
    ws = wb[PORTFOLIO]
    assert ws["A1"].value == "Vendor performance: sample_monitoring.xlsx"
    rows = {ws[f"A{r}"].value: r for r in range(7, 7 + len(shown))}
    assert list(rows) == list(shown)
    for vendor, data in shown.items():
        latest = [p for p in data["periods"] if p["score"] is not None][-1]
        r = rows[vendor]
        assert ws[f"C{r}"].value == latest["period"]
        assert ws[f"D{r}"].value == pytest.approx(latest["score"])
        assert ws[f"E{r}"].value == latest["standing"]
        sheet = wb[ws[f"B{r}"].value]
        scores = [sheet[f"{_period_col(sheet)}{8 + i}"].value for i in range(len(data["periods"]))]
        assert scores == [pytest.approx(p["score"]) if p["score"] is not None else None
                          for p in data["periods"]]  # fmt: skip


def _period_col(ws) -> str:
    return next(c.column_letter for c in ws[7] if c.value == "Period score")


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("card.csv", "error: --excel must name an .xlsx file (not '{path}')"),
        ("card", "error: --excel must name an .xlsx file (not '{path}')"),
        ("no/card.xlsx", "error: {path}: the folder {folder} does not exist"),
    ],
)
def test_monitor_refuses_a_bad_excel_target_with_exit_2(capsys, tmp_path, name, message):
    target = tmp_path / name
    code, out, err = run(capsys, "monitor", str(MONITORING), "--excel", str(target))
    assert code == 2 and out == ""
    assert err.strip() == message.format(path=target, folder=target.parent)
    assert not target.exists()


def test_monitor_refuses_to_overwrite_the_monitoring_workbook(capsys, tmp_path):
    source = tmp_path / "results.xlsx"
    source.write_bytes(MONITORING.read_bytes())
    code, out, err = run(
        capsys, "monitor", str(source), "--excel", str(tmp_path / "." / "results.xlsx")
    )
    assert code == 2 and out == ""
    assert "is the monitoring workbook: choose another name for --excel" in err
    assert source.read_bytes() == MONITORING.read_bytes()


def test_project_monitor_writes_the_projects_scorecard(capsys, tmp_path):
    db = f"sqlite:///{tmp_path / 'p.sqlite3'}"
    for argv in (
        ["db", "upgrade"], ["project", "create", "IT 2027"],
        ["project", "import", "IT 2027", str(SAMPLE)],
        ["project", "status", "IT 2027", "moderation"],
        ["project", "decide", "IT 2027", "--winner", "Northwind Systems", "--justification", "x"],
    ):  # fmt: skip
        assert run(capsys, *argv, "--db", db)[0] == 0
    results = tmp_path / "results.xlsx"
    kpis = [["KPI", "Vendor", "Unit", "Direction", "Target", "Threshold", "Weight", "Criterion"],
            ["Uptime", "", "%", "higher", 99.5, 99.0, 1, "SLA uptime"]]  # fmt: skip
    perf = [["Period", "Vendor", "KPI", "Actual"], ["2026-01", "Northwind Systems", "Uptime", 98.5],
            ["2026-02", "Northwind Systems", "Uptime", 99.25]]  # fmt: skip
    results.write_bytes(xlsx({"KPIs": kpis, "Performance": perf}))
    assert run(capsys, "project", "monitor-import", "IT 2027", str(results), "--db", db)[0] == 0
    target = tmp_path / "card.xlsx"
    code, out, err = run(capsys, "project", "monitor", "IT 2027", "--excel", str(target),
                         "--db", db)  # fmt: skip
    assert code == 0 and err == f"wrote {target}\n" and out.startswith("IT 2027")
    wb = openpyxl.load_workbook(target, data_only=True)
    assert wb.sheetnames == [PORTFOLIO, "Northwind Systems"]
    assert wb[PORTFOLIO]["A1"].value == "IT 2027"
    ws = wb["Northwind Systems"]
    assert values(ws, range(8, 10), "D") == [("2026-01", 98.5, 0, 0), ("2026-02", 99.25, 50, 50)]
    code, _, err = run(capsys, "project", "monitor", "IT 2027", "--excel", "x.txt", "--db", db)
    assert code == 2 and err == "error: --excel must name an .xlsx file (not 'x.txt')\n"


# -- LibreOffice recalculates the tool's numbers ---------------------------------------------
def _expected(result: Monitoring) -> dict[tuple[str, str], object]:
    """(sheet, cell) → the tool's value, for every formula of the vendor sheets' grids."""
    names = sheet_names(result.vendors)
    out: dict[tuple[str, str], object] = {}
    for vendor, v in result.vendors.items():
        sheet, k = names[vendor], len(v.kpis)
        first = v.periods[0].period.ordinal if v.periods else 0
        frame = result.results_of(vendor)
        cols = [openpyxl.utils.get_column_letter(j) for j in range(1, 6 + 3 * k + 1)]
        for i, p in enumerate(v.periods):
            r = 8 + i
            out[(sheet, f"{cols[1 + 2 * k]}{r}")] = p.score
            out[(sheet, f"{cols[2 + 2 * k]}{r}")] = p.completeness
            out[(sheet, f"{cols[3 + 2 * k]}{r}")] = p.standing
            out[(sheet, f"{cols[4 + 2 * k]}{r}")] = len(p.breaches) if p.score is not None else None
            for j in range(k):
                out[(sheet, f"{cols[1 + k + j]}{r}")] = None
                out[(sheet, f"{cols[5 + 2 * k + j]}{r}")] = None
        for row in frame.itertuples():
            i = row.period - first
            j = next(n for n, x in enumerate(v.kpis) if name_key(x.name) == name_key(row.kpi))
            out[(sheet, f"{cols[1 + k + j]}{8 + i}")] = row.score
            mark = BREACH if row.breach else MET if row.met else NOT_MET
            out[(sheet, f"{cols[5 + 2 * k + j]}{8 + i}")] = mark
    return out


def _same(expected: object, got: object) -> bool:
    if expected is None:
        return got in (None, "")
    if isinstance(expected, float | int) and not isinstance(expected, bool):
        return isinstance(got, int | float) and math.isclose(got, expected, abs_tol=1e-9)
    return expected == got


def _recalculated(soffice: str, path: Path, tmp: Path):
    out = soffice_convert(soffice, path, tmp, recalculate=True)
    return openpyxl.load_workbook(out, data_only=True)


@pytest.mark.libreoffice
@pytest.mark.parametrize("kind", ["monthly", "quarterly"])
def test_libreoffice_recalculates_the_tools_scores(soffice_path, tmp_path, kind):
    if kind == "monthly":
        result = monthly()
    else:
        result = score_monitoring(book(QUARTERS, promised={("Quill", "SLA uptime %"): 99.9}))
    path = saved(result, tmp_path, f"{kind}.xlsx")
    theirs = _recalculated(soffice_path, path, tmp_path)
    expected = _expected(result)
    assert len(expected) == {"monthly": 6 * 8, "quarterly": 5 * 8}[kind]  # periods × formulas
    bad = [(s, c, want, theirs[s][c].value) for (s, c), want in expected.items()
           if not _same(want, theirs[s][c].value)]  # fmt: skip
    assert not bad, bad
    # every other formula (weights, delivered, gap, short of promise) as cached
    mine = openpyxl.load_workbook(path, data_only=True)
    formulas = openpyxl.load_workbook(path)
    for ws in formulas.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.data_type == "f":
                    want = mine[ws.title][c.coordinate].value
                    assert _same(want, theirs[ws.title][c.coordinate].value), c.coordinate


@pytest.mark.libreoffice
def test_libreoffice_recalculates_after_an_actual_and_a_target_are_edited(soffice_path, tmp_path):
    path = saved(monthly(), tmp_path)
    wb = openpyxl.load_workbook(path)
    ws = wb["Acme"]
    ws["B8"] = 99.0  # 2026-01 Uptime: now exactly on the threshold
    ws["C10"] = 4  # 2026-03 Response time: reported after all, exactly on target
    ws["D18"] = 5  # Response time's target: 5 hours instead of 4
    edited = tmp_path / "edited.xlsx"
    wb.save(edited)
    theirs = _recalculated(soffice_path, edited, tmp_path)
    rows = [r for r in MONTHS if (r[0], r[2]) != ("2026-01", "Uptime")]
    rows += [("2026-01", "Acme", "Uptime", 99.0), ("2026-03", "Acme", "Response time", 4)]
    response = Kpi("Response time", Direction.LOWER, target=5, threshold=8, weight=1, unit="h",
                   row=3)  # fmt: skip
    again = score_monitoring(
        book(sorted(rows), kpis=(UPTIME, response), vendors=("Acme", "Nobody"))
    )
    expected = {key: want for key, want in _expected(again).items() if key[0] == "Acme"}
    bad = [(c, want, theirs["Acme"][c].value) for (_, c), want in expected.items()
           if not _same(want, theirs["Acme"][c].value)]  # fmt: skip
    assert not bad, bad
    assert theirs["Acme"]["F10"].value == 100  # the month that had no score now has one
    assert theirs["Acme"]["F8"].value == 0  # both KPIs exactly on their thresholds
    assert theirs["Acme"]["H8"].value == "Poor"
    assert theirs["Acme"]["K10"].value == MET
