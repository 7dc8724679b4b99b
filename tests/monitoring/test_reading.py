"""Reading and validating the monitoring workbook (docs/monitoring.md §1): every rule with its
message and code, and exact values for what is read."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import openpyxl
import pytest

from vendor_eval.core.model import Direction
from vendor_eval.core.problems import ValidationError
from vendor_eval.monitoring.model import (
    DEFAULT_STANDINGS,
    RESULT_COLUMNS,
    Kpi,
    MonitoringBook,
    PeriodKind,
    Standing,
)
from vendor_eval.monitoring.reading import parse_monitoring, read_monitoring
from vendor_eval.workbook.reading.rawbook import RawBook, RawSheet

KPI_HEAD = ["KPI", "Vendor", "Unit", "Direction", "Target", "Threshold", "Weight", "Criterion"]
KPIS = [
    KPI_HEAD,
    ["Uptime", None, "%", None, 99.9, 99.5, 2, "SLA uptime %"],
    ["Response time", None, "h", "lower", 4, 8, None, None],
    ["Response time", "Bolt", "h", "lower", 2, 6, 1, None],
]
PERF_HEAD = ["Period", "Vendor", "KPI", "Actual", "Comment"]
PERF = [
    PERF_HEAD,
    ["2025-12", "Acme", "Uptime", 99.95, None],
    ["2025-12", "Acme", "Response time", 5, "slow ticket"],
    ["2026-01", "Bolt", "uptime", 99.7, None],
    ["2026-01", " bolt ", "RESPONSE TIME", 1.5, None],
]
DEC_2025 = 2025 * 12 + 11
Sheets = dict[str, list[list[object]]]


def write(path: Path, sheets: Sheets, formats: dict[tuple[str, str], str] | None = None) -> Path:
    """The sheets (name → rows) as an .xlsx file written by openpyxl; ``formats`` sets the
    number format of cells (``("KPIs", "E2"): "0.0%"``)."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(list(row))
    for (sheet, ref), fmt in (formats or {}).items():
        wb[sheet][ref].number_format = fmt
    wb.save(path)
    return path


def read(
    tmp_path: Path,
    kpis: list[list[object]] | None = KPIS,
    perf: list[list[object]] | None = PERF,
    *,
    awarded: list[str] | None = None,
    formats: dict[tuple[str, str], str] | None = None,
    **others: list[list[object]],
) -> MonitoringBook:
    sheets: Sheets = {}
    if kpis is not None:
        sheets["KPIs"] = kpis
    if perf is not None:
        sheets["Performance"] = perf
    sheets.update({name.replace("_", " "): rows for name, rows in others.items()})
    path = write(tmp_path / "monitoring.xlsx", sheets, formats)
    return read_monitoring(path, awarded=awarded, sandbox=False)


def problems(tmp_path: Path, *args: object, **kwargs: object) -> list[tuple[str, str]]:
    """``(str(problem), code)`` of every error the workbook has."""
    with pytest.raises(ValidationError) as e:
        read(tmp_path, *args, **kwargs)
    assert all(p.file == "monitoring.xlsx" for p in e.value.problems)
    return [(str(p), p.code) for p in e.value.problems]


def warnings(book: MonitoringBook) -> list[tuple[str, str]]:
    return [(str(p), p.code) for p in book.warnings]


def kpis_with(*rows: list[object]) -> list[list[object]]:
    return [KPI_HEAD, *rows]


def perf_with(*rows: list[object]) -> list[list[object]]:
    return [PERF_HEAD, *rows]


def results(book: MonitoringBook) -> list[tuple[object, ...]]:
    return [tuple(r) for r in book.results.itertuples(index=False)]


# -- the happy path -------------------------------------------------------------------------
def test_a_workbook_reads_to_exact_kpis_results_and_vendors(tmp_path):
    book = read(tmp_path)
    assert book.kpis == (
        Kpi("Uptime", Direction.HIGHER, 99.9, 99.5, 2.0, None, "%", "SLA uptime %", 2),
        Kpi("Response time", Direction.LOWER, 4.0, 8.0, 1.0, None, "h", None, 3),
        Kpi("Response time", Direction.LOWER, 2.0, 6.0, 1.0, "Bolt", "h", None, 4),
    )
    assert list(book.results.columns) == list(RESULT_COLUMNS)
    assert results(book) == [
        (DEC_2025, "Acme", "Uptime", 99.95, "", 2),
        (DEC_2025, "Acme", "Response time", 5.0, "slow ticket", 3),
        (DEC_2025 + 1, "Bolt", "Uptime", 99.7, "", 4),
        (DEC_2025 + 1, "Bolt", "Response time", 1.5, "", 5),
    ]
    assert str(book.results["period"].dtype) == "int64"
    assert str(book.results["actual"].dtype) == "float64"
    assert str(book.results["row"].dtype) == "int64"
    assert book.kind is PeriodKind.MONTH
    assert [book.period(p).label for p in book.results["period"]] == [
        "2025-12",
        "2025-12",
        "2026-01",
        "2026-01",
    ]
    assert book.vendors == ("Acme", "Bolt")
    assert book.standings == DEFAULT_STANDINGS
    assert book.warnings == ()
    data = (tmp_path / "monitoring.xlsx").read_bytes()
    assert (book.file, book.sha256) == ("monitoring.xlsx", hashlib.sha256(data).hexdigest())


def test_a_vendor_row_replaces_the_general_kpi_of_its_name(tmp_path):
    book = read(tmp_path)
    assert [(k.name, k.vendor, k.target) for k in book.kpis_of("Bolt")] == [
        ("Uptime", None, 99.9),
        ("Response time", "Bolt", 2.0),
    ]
    assert [(k.name, k.vendor, k.target) for k in book.kpis_of("Acme")] == [
        ("Uptime", None, 99.9),
        ("Response time", None, 4.0),
    ]


def test_quarters_count_on_across_the_year_end(tmp_path):
    perf = perf_with(
        ["2025-Q4", "Acme", "Uptime", 99.6, None],
        ["2026 Q1", "Acme", "Uptime", 99.8, None],
        ["2026q2", "Acme", "Uptime", 99.9, None],
    )
    book = read(tmp_path, perf=perf)
    assert book.kind is PeriodKind.QUARTER
    assert list(book.results["period"]) == [2025 * 4 + 3, 2026 * 4, 2026 * 4 + 1]
    labels = [book.period(p).label for p in book.results["period"]]
    assert labels == ["2025-Q4", "2026-Q1", "2026-Q2"]


def test_date_cells_are_their_month(tmp_path):
    perf = perf_with(
        [dt.datetime(2026, 3, 15), "Acme", "Uptime", 99.6, None],
        [dt.date(2026, 4, 1), "Acme", "Uptime", 99.7, None],
        ["2026-5", "Acme", "Uptime", 99.8, None],
    )
    book = read(tmp_path, perf=perf)
    assert [book.period(p).label for p in book.results["period"]] == [
        "2026-03",
        "2026-04",
        "2026-05",
    ]
    assert book.kind is PeriodKind.MONTH


def test_percent_formatted_cells_hold_fractions(tmp_path):
    kpis = kpis_with(["Uptime", None, "%", "higher", 0.999, 0.995, None, None])
    perf = perf_with(
        ["2026-01", "Acme", "Uptime", 0.997, None],
        ["2026-02", "Acme", "Uptime", "99.8%", None],
    )
    percent = {("KPIs", "E2"): "0.0%", ("KPIs", "F2"): "0.0%", ("Performance", "D2"): "0.0%"}
    book = read(tmp_path, kpis, perf, formats=percent)
    assert (book.kpis[0].target, book.kpis[0].threshold) == (0.999, 0.995)
    assert list(book.results["actual"]) == [0.997, 0.998]


def test_headers_are_found_by_their_aliases_below_a_title(tmp_path):
    kpis = [
        ["Contract KPIs, 2026"],
        ["Indicator", "Supplier", "Better", "Target value", "Worst acceptable", "KPI weight"],
        ["Uptime", None, "max", 99.9, 99.5, 3],
        ["Tickets closed late", None, "lower is better", 2, 5, 1],
    ]
    perf = [
        ["Month", "Supplier name", "Metric", "Result", "Notes"],
        ["2026-01", "Acme", "UPTIME", 99.8, "ok"],
        ["2026-01", "Acme", "tickets closed late", 3, None],
    ]
    book = read(tmp_path, kpis, perf)
    assert [(k.name, k.direction, k.target, k.threshold, k.weight, k.row) for k in book.kpis] == [
        ("Uptime", Direction.HIGHER, 99.9, 99.5, 3.0, 3),
        ("Tickets closed late", Direction.LOWER, 2.0, 5.0, 1.0, 4),
    ]
    assert results(book) == [
        (2026 * 12, "Acme", "Uptime", 99.8, "ok", 2),
        (2026 * 12, "Acme", "Tickets closed late", 3.0, "", 3),
    ]


def test_the_monitoring_sheets_are_read_from_the_selection_workbook(tmp_path):
    book = read(
        tmp_path,
        Vendors=[["Vendor", "Rating"], ["Acme", 4]],
        Criteria=[["Criterion", "Category", "Weight"], ["Rating", "Quality", 1]],
        Read_me=[["anything", "=1+1", None, "x"]],
    )
    assert book.vendors == ("Acme", "Bolt") and len(book.results) == 4


def test_a_performance_sheet_without_rows_is_a_contract_just_signed(tmp_path):
    book = read(tmp_path, perf=[PERF_HEAD])
    assert len(book.results) == 0 and list(book.results.columns) == list(RESULT_COLUMNS)
    assert str(book.results["period"].dtype) == "int64"
    assert (book.kind, book.vendors) == (None, ())
    assert warnings(book) == [
        (
            'KPIs!B4 (Vendor): no results yet for "Bolt": it has KPIs but no rows in the '
            "Performance sheet, so it is not monitored until it has",
            "no_results_yet",
        )
    ]
    empty = read(tmp_path, perf=[])
    assert (len(empty.results), empty.kind, empty.vendors) == (0, None, ())


def test_the_file_is_read_in_the_sandbox(tmp_path):
    path = write(tmp_path / "m.xlsx", {"KPIs": KPIS, "Performance": PERF})
    book = read_monitoring(path.read_bytes(), "uploaded.xlsx")
    assert book.file == "uploaded.xlsx" and len(book.results) == 4
    assert book.vendors == ("Acme", "Bolt")


def test_parse_monitoring_reads_plain_cells():
    raw = RawBook(
        "m.xlsx",
        "0" * 64,
        "xlsx",
        [RawSheet("KPIs", KPIS), RawSheet("Performance", PERF[:2])],
    )
    book = parse_monitoring(raw)
    assert results(book) == [(DEC_2025, "Acme", "Uptime", 99.95, "", 2)]
    assert book.sha256 == "0" * 64


# -- the file and its sheets ------------------------------------------------------------------
def test_a_csv_file_is_refused_with_what_to_do(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text("Period,Vendor,KPI,Actual\n2026-01,Acme,Uptime,99\n", encoding="utf-8")
    with pytest.raises(ValidationError) as e:
        read_monitoring(path, sandbox=False)
    assert [(str(p), p.code) for p in e.value.problems] == [
        (
            "a CSV file holds one table, and a monitoring workbook needs two sheets, KPIs and "
            "Performance: save the file as an Excel workbook (.xlsx)",
            "missing_sheet",
        )
    ]
    assert e.value.problems[0].file == "m.csv"


def test_missing_sheets_list_the_sheets_found(tmp_path):
    assert problems(tmp_path, None, None, Notes=[["x"]]) == [
        (
            'no "KPIs" sheet (sheets found: "Notes"); add one with the columns KPI | Vendor | '
            "Unit | Direction | Target | Threshold | Weight | Criterion",
            "missing_sheet",
        ),
        (
            'no "Performance" sheet (sheets found: "Notes"); add one with the columns Period | '
            "Vendor | KPI | Actual | Comment",
            "missing_sheet",
        ),
    ]


def test_missing_headers_are_named(tmp_path):
    kpis = [["KPI", "Vendor", "Target"], ["Uptime", None, 99.9]]
    perf = [["Period", "Vendor", "KPI"], ["2026-01", "Acme", "Uptime"]]
    assert problems(tmp_path, kpis, perf) == [
        (
            'KPIs!1: no "Threshold" column (headers found: KPI, Vendor, Target)',
            "missing_header",
        ),
        (
            'Performance!1: no "Actual" column (headers found: Period, Vendor, KPI)',
            "missing_header",
        ),
    ]


def test_two_sheets_of_one_name_are_an_error(tmp_path):
    found = problems(tmp_path, **{"KPIs_": KPIS})  # "KPIs " beside "KPIs"
    assert found == [
        (
            'KPIs : two sheets are named "KPIs": "KPIs" and "KPIs "; rename or delete one',
            "duplicate_sheet",
        )
    ]


# -- KPIs -----------------------------------------------------------------------------------
def test_a_kpis_sheet_without_kpis_is_an_error(tmp_path):
    assert problems(tmp_path, [KPI_HEAD]) == [
        (
            "KPIs: the KPIs sheet lists no KPI: add one row per KPI of the contract (KPI, "
            "Target, Threshold; Vendor empty for a KPI of every vendor)",
            "no_kpis",
        )
    ]


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (
            [None, None, None, None, 1, 0],
            ("KPIs!A5 (KPI): KPI name is empty", "empty_name"),
        ),
        (
            ["Uptime", "Acme", None, "up", 99.9, 99.5],
            (
                'KPIs!D5 (Direction): "up" is not a direction: use higher or lower',
                "not_a_direction",
            ),
        ),
        (
            ["Uptime", "Acme", None, None, None, 99.5],
            (
                'KPIs!E5 (Target): the Target is missing for "Uptime": a KPI without a target '
                "cannot be scored; type the contracted value",
                "missing_target",
            ),
        ),
        (
            ["Uptime", "Acme", None, None, 99.9, None],
            (
                'KPIs!F5 (Threshold): the Threshold is missing for "Uptime": type the worst '
                "acceptable value (below the target when higher is better, above it when "
                "lower is better)",
                "missing_threshold",
            ),
        ),
        (
            ["Uptime", "Acme", None, None, "high", 99.5],
            ('KPIs!E5 (Target): "high" is not a number for "Uptime"', "not_a_number"),
        ),
        (
            ["Uptime", "Acme", None, None, 99.9, "N/A"],
            (
                'KPIs!F5 (Threshold): "N/A" is not a number for "Uptime": leave the cell empty '
                "if it is unknown (an empty cell counts as missing)",
                "placeholder",
            ),
        ),
        (
            ["Uptime", "Acme", None, None, 99.5, 99.9],
            (
                "KPIs!F5 (Threshold): Threshold 99.9 is above the Target 99.5, but higher is "
                "better: the threshold is the worst acceptable value, below the target",
                "threshold_wrong_side",
            ),
        ),
        (
            ["Late tickets", "Acme", None, "lower", 4, 2],
            (
                "KPIs!F5 (Threshold): Threshold 2 is below the Target 4, but lower is better: "
                "the threshold is the worst acceptable value, above the target",
                "threshold_wrong_side",
            ),
        ),
        (
            ["Uptime", "Acme", None, None, 99.5, 99.5],
            (
                "KPIs!F5 (Threshold): Threshold 99.5 equals the Target: the threshold is the "
                "worst acceptable value, below the target (higher is better)",
                "threshold_wrong_side",
            ),
        ),
        (
            ["Late tickets", "Acme", None, "lower", 4, 4],
            (
                "KPIs!F5 (Threshold): Threshold 4 equals the Target: the threshold is the "
                "worst acceptable value, above the target (lower is better)",
                "threshold_wrong_side",
            ),
        ),
        (
            ["Uptime", "Acme", None, None, 99.9, 99.5, 0],
            (
                'KPIs!G5 (Weight): weight 0 for "Uptime": a KPI weight is a number above 0 '
                "(leave it empty for 1; delete the row to stop monitoring the KPI)",
                "not_a_kpi_weight",
            ),
        ),
        (
            ["Uptime", "Acme", None, None, 99.9, 99.5, -2.5],
            (
                'KPIs!G5 (Weight): weight -2.5 for "Uptime": a KPI weight is a number above 0 '
                "(leave it empty for 1; delete the row to stop monitoring the KPI)",
                "not_a_kpi_weight",
            ),
        ),
        (
            ["Uptime", "Acme", None, None, 99.9, 99.5, "heavy"],
            ('KPIs!G5 (Weight): "heavy" is not a number for "Uptime"', "not_a_number"),
        ),
        (
            ["Uptime", "Acme", "line\nbreak", None, 99.9, 99.5],
            (
                'KPIs!C5 (Unit): "line\\x0abreak" contains a line break; remove it',
                "control_character",
            ),
        ),
    ],
)
def test_a_bad_kpi_row_is_an_error_at_its_cell(tmp_path, row, expected):
    assert problems(tmp_path, [*KPIS, row]) == [expected]


def test_a_kpi_twice_names_both_rows(tmp_path):
    kpis = [
        *KPIS,
        ["UPTIME ", None, "%", None, 99, 98, None, None],
        ["response time", "BOLT", "h", "lower", 3, 6, None, None],
    ]
    assert problems(tmp_path, kpis) == [
        (
            'KPIs!A5 (KPI): KPI "UPTIME" is listed twice for every vendor (Vendor empty): rows '
            "2 and 5; keep one row",
            "duplicate_kpi",
        ),
        (
            'KPIs!A6 (KPI): KPI "response time" is listed twice for "BOLT": rows 4 and 6; keep '
            "one row",
            "duplicate_kpi",
        ),
    ]


def test_results_of_a_kpi_whose_row_is_wrong_are_not_also_unknown(tmp_path):
    kpis = kpis_with(["Uptime", None, "%", None, 99.9, "x", None, None])
    perf = perf_with(["2026-01", "Acme", "Uptime", 99.7, None])
    assert problems(tmp_path, kpis, perf) == [
        ('KPIs!F2 (Threshold): "x" is not a number for "Uptime"', "not_a_number")
    ]


def test_kpi_names_that_only_look_alike_are_a_warning(tmp_path):
    kpis = [*KPIS, ["Uptіme", "Acme", "%", None, 99, 98, None, None]]  # Cyrillic і
    book = read(tmp_path, kpis)
    assert warnings(book) == [
        (
            'KPIs!A5 (KPI): KPI "Uptіme" looks like "Uptime" (A2) but is written with '
            "different characters (і U+0456 CYRILLIC SMALL LETTER BYELORUSSIAN-UKRAINIAN I): "
            "retype one if they are the same, or rename one",
            "confusable_name",
        )
    ]


# -- Performance ----------------------------------------------------------------------------
_FORMS = "write a month as 2026-03 or a quarter as 2026-Q1 (a date cell counts as its month)"


@pytest.mark.parametrize(
    ("period", "shown"),
    [
        ("March", '"March" is not a period'),
        ("2026-13", '"2026-13" is not a period'),
        ("2026-Q5", '"2026-Q5" is not a period'),
        (202603, "202603 is not a period"),
        (dt.time(12, 0), "12:00:00 is not a period"),
        (None, "the period is missing"),
        ("x" * 500, f'"{"x" * 39}…" is not a period'),
    ],
)
def test_a_period_that_is_not_one_lists_the_accepted_forms(tmp_path, period, shown):
    perf = perf_with(
        ["2026-01", "Acme", "Uptime", 99.7, None], [period, "Acme", "Uptime", 99, None]
    )
    assert problems(tmp_path, perf=perf) == [
        (f"Performance!A3 (Period): {shown}: {_FORMS}", "not_a_period")
    ]


def test_months_and_quarters_together_are_one_error_at_the_first_of_the_fewer(tmp_path):
    perf = perf_with(
        ["2026-01", "Acme", "Uptime", 99.7, None],
        ["2026-Q1", "Acme", "Uptime", 99.7, None],
        [dt.datetime(2026, 2, 1), "Acme", "Uptime", 99.7, None],
        ["2026-Q2", "Acme", "Uptime", 99.7, None],
        ["2026-03", "Acme", "Uptime", 99.7, None],
    )
    assert problems(tmp_path, perf=perf) == [
        (
            'Performance!A3 (Period): "2026-Q1" is a quarter, but the other periods are months '
            "(3, the first in A2): report every period as a month (2026-03) or every one as a "
            "quarter (2026-Q1), not both",
            "mixed_periods",
        )
    ]


def test_on_a_tie_the_kind_met_second_is_the_odd_one(tmp_path):
    perf = perf_with(
        ["2026-Q1", "Acme", "Uptime", 99.7, None],
        [dt.datetime(2026, 2, 1), "Acme", "Uptime", 99.7, None],
    )
    assert problems(tmp_path, perf=perf) == [
        (
            "Performance!A3 (Period): 2026-02-01 is a month, but the other periods are "
            "quarters (1, the first in A2): report every period as a month (2026-03) or every "
            "one as a quarter (2026-Q1), not both",
            "mixed_periods",
        )
    ]


def test_an_unknown_kpi_lists_the_vendors_kpis(tmp_path):
    perf = perf_with(
        ["2026-01", "Bolt", "Uptme", 99.7, None],
        ["2026-01", "Bolt", "Uptime", 99.7, None],
        ["2026-02", "Bolt", "Uptme", 99.7, None],
    )
    message = (
        '"Uptme" is not a KPI of "Bolt": its KPIs are "Uptime" and "Response time" (KPIs sheet)'
    )
    assert problems(tmp_path, perf=perf) == [
        (f"Performance!C2 (KPI): {message}", "unknown_kpi"),
        (f"Performance!C4 (KPI): {message}", "unknown_kpi"),
    ]


def test_an_unknown_kpi_points_out_a_look_alike(tmp_path):
    perf = perf_with(["2026-01", "Acme", "Uptіme", 99.7, None])  # Cyrillic і
    assert problems(tmp_path, perf=perf) == [
        (
            'Performance!C2 (KPI): "Uptіme" is not a KPI of "Acme": its KPIs are "Uptime" and '
            '"Response time" (KPIs sheet); the KPI "Uptime" looks like it but is written with '
            "different characters",
            "unknown_kpi",
        )
    ]


def test_a_vendor_without_kpis_is_told_where_to_add_them(tmp_path):
    kpis = kpis_with(["Uptime", "Acme", "%", None, 99.9, 99.5, None, None])
    perf = perf_with(["2026-01", "Bolt", "Uptime", 99.7, None])
    assert problems(tmp_path, kpis, perf) == [
        (
            'Performance!C2 (KPI): "Uptime" is not a KPI of "Bolt": the KPIs sheet lists no KPI '
            'for it; add a row for it there (Vendor "Bolt", or Vendor empty for every vendor)',
            "unknown_kpi",
        )
    ]


def test_the_list_of_known_kpis_is_cut_after_ten(tmp_path):
    kpis = kpis_with(*([f"K{i}", None, None, None, 2, 1, None, None] for i in range(12)))
    perf = perf_with(["2026-01", "Acme", "K99", 1.5, None])
    listed = ", ".join(f'"K{i}"' for i in range(9)) + ' and "K9"'
    assert problems(tmp_path, kpis, perf) == [
        (
            f'Performance!C2 (KPI): "K99" is not a KPI of "Acme": its KPIs are {listed} and 2 '
            "more (KPIs sheet)",
            "unknown_kpi",
        )
    ]


def test_empty_names_and_bad_actuals_are_errors_at_their_cells(tmp_path):
    perf = perf_with(
        ["2026-01", None, "Uptime", 99.7, None],
        ["2026-01", "Acme", " ", 99.7, None],
        ["2026-01", "Acme", "Uptime", "ninety", None],
        ["2026-01", "Acme", "Response time", True, None],
        ["2026-01", "Acme", "Response time", "4,5", None],
    )
    assert problems(tmp_path, perf=perf) == [
        ("Performance!B2 (Vendor): vendor name is empty", "empty_name"),
        ("Performance!C3 (KPI): KPI name is empty", "empty_name"),
        ('Performance!D4 (Actual): "ninety" is not a number', "not_a_number"),
        ("Performance!D5 (Actual): TRUE is a yes/no value, not a number", "yes_no_not_number"),
        (
            'Performance!D6 (Actual): "4,5" is not a number: use a decimal point, e.g. 4.5',
            "decimal_comma",
        ),
    ]


def test_a_second_result_for_one_period_vendor_and_kpi_names_both_rows(tmp_path):
    perf = perf_with(
        ["2026-01", "Acme", "Uptime", 99.7, None],
        [dt.datetime(2026, 1, 20), "ACME", "uptime", 99.8, None],
        ["2026-02", "Acme", "Uptime", 99.7, None],
    )
    assert problems(tmp_path, perf=perf) == [
        (
            'Performance!A3 (Period): a second result for "Uptime" of "Acme" in 2026-01 (also '
            "in row 2): keep one row per period, vendor and KPI",
            "duplicate_result",
        )
    ]


def test_an_empty_actual_is_not_reported_and_skipped(tmp_path):
    perf = perf_with(
        ["2026-01", "Acme", "Uptime", None, "outage report late"],
        ["2026-01", "Acme", "Response time", 3, None],
        ["2026-01", "Acme", "Uptime", 99.1, None],  # the report that came in after all
    )
    book = read(tmp_path, perf=perf)
    assert results(book) == [
        (2026 * 12, "Acme", "Response time", 3.0, "", 3),
        (2026 * 12, "Acme", "Uptime", 99.1, "", 4),
    ]
    assert warnings(book)[0] == (
        'Performance!D2 (Actual): no Actual for "Uptime" of "Acme" in 2026-01: not reported '
        "(the row is skipped)",
        "not_reported",
    )


def test_vendors_that_only_look_alike_are_a_warning(tmp_path):
    perf = perf_with(
        ["2026-01", "Acme", "Uptime", 99.7, None],
        ["2026-01", "Аcme", "Uptime", 99.7, None],  # Cyrillic А
    )
    book = read(tmp_path, perf=perf)
    assert book.vendors == ("Acme", "Аcme")
    assert [code for _, code in warnings(book)] == ["confusable_name", "no_results_yet"]
    assert warnings(book)[0][0].startswith(
        'Performance!B3 (Vendor): vendor name "Аcme" looks like "Acme" (B2)'
    )


def test_too_many_results_is_refused_before_they_are_read():
    rows = [["2026-01", "Acme", "Uptime", 99.0, None]] * 500_001
    raw = RawBook("m.xlsx", "0" * 64, "xlsx", [RawSheet("KPIs", KPIS)])
    raw.sheets.append(RawSheet("Performance", [PERF_HEAD, *rows]))
    with pytest.raises(ValidationError) as e:
        parse_monitoring(raw)
    assert [(str(p), p.code) for p in e.value.problems] == [
        (
            "Performance: 500,001 rows: a monitoring workbook holds at most 500,000 results; "
            "keep the periods still followed here and archive the older ones",
            "too_many_results",
        )
    ]


# -- the monitored vendors -------------------------------------------------------------------
def test_a_kpi_vendor_without_results_is_a_warning_once(tmp_path):
    kpis = [
        *KPIS,
        ["Uptime", "Globex", "%", None, 99, 98, None, None],
        ["Response time", "globex", "h", "lower", 3, 6, None, None],
    ]
    book = read(tmp_path, kpis)
    assert book.vendors == ("Acme", "Bolt")
    assert warnings(book) == [
        (
            'KPIs!B5 (Vendor): no results yet for "Globex": it has KPIs but no rows in the '
            "Performance sheet, so it is not monitored until it has",
            "no_results_yet",
        )
    ]
    assert [k.vendor for k in book.kpis] == [None, None, "Bolt", "Globex", "globex"]


def test_in_a_project_the_awarded_vendors_are_monitored_as_the_project_spells_them(tmp_path):
    book = read(tmp_path, awarded=["BOLT", "Acme", "Quillstone"])
    assert book.vendors == ("BOLT", "Acme", "Quillstone")
    assert list(book.results["vendor"]) == ["Acme", "Acme", "BOLT", "BOLT"]
    assert [k.vendor for k in book.kpis] == [None, None, "BOLT"]
    assert book.warnings == ()  # Quillstone: monitored, no results yet, nothing to warn


def test_in_a_project_a_vendor_not_awarded_is_an_error_wherever_it_is(tmp_path):
    found = problems(tmp_path, awarded=["Acme"])
    refusal = '"Bolt" was not awarded the contract in this project: only "Acme" is monitored'
    assert found == [
        (f"KPIs!B4 (Vendor): {refusal}", "not_awarded"),
        (f"Performance!B4 (Vendor): {refusal}", "not_awarded"),
        (f"Performance!B5 (Vendor): {refusal.replace('Bolt', 'bolt')}", "not_awarded"),
    ]


@pytest.mark.parametrize(
    ("awarded", "tail"),
    [
        (["Acme", "Crane"], 'only "Acme" and "Crane" are monitored'),
        (["Acme", "Crane", "Dune"], 'only "Acme", "Crane" and "Dune" are monitored'),
        ([], "no vendor is monitored until the project records its award"),
    ],
)
def test_the_not_awarded_message_names_the_monitored(tmp_path, awarded, tail):
    kpis = KPIS[:3]
    perf = perf_with(["2026-01", "Bolt", "Uptime", 99.7, None])
    assert problems(tmp_path, kpis, perf, awarded=awarded) == [
        (
            f'Performance!B2 (Vendor): "Bolt" was not awarded the contract in this project: {tail}',
            "not_awarded",
        )
    ]


# -- Standings --------------------------------------------------------------------------------
def test_standings_are_kept_best_first(tmp_path):
    standings = [["Band", "From"], ["Red", 0], ["Green", "80%"], ["Amber", 60]]
    book = read(tmp_path, Standings=standings)
    assert book.standings == (
        Standing("Green", 80.0),
        Standing("Amber", 60.0),
        Standing("Red", 0.0),
    )


def test_a_standings_sheet_without_rows_keeps_the_defaults(tmp_path):
    assert read(tmp_path, Standings=[["Standing", "Minimum"]]).standings == DEFAULT_STANDINGS


def test_a_bare_fraction_minimum_is_read_as_a_percentage_with_a_warning(tmp_path):
    book = read(tmp_path, Standings=[["Standing", "Minimum"], ["Pass", 0.5], ["Fail", 0]])
    assert book.standings == (Standing("Pass", 50.0), Standing("Fail", 0.0))
    assert warnings(book) == [
        (
            "Standings!B2 (Minimum): minimum 0.5 is read as 50 (a cell formatted as a "
            "percentage holds 50% as 0.5); type 50 to make it plain",
            "read_as_percent",
        )
    ]


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        (
            [["", 50], ["Poor", 0]],
            [("Standings!A2 (Standing): standing name is empty", "empty_name")],
        ),
        (
            [["Good", 70], ["good", 50], ["Poor", 0]],
            [
                (
                    'Standings!A3 (Standing): duplicate standing "good" (also in row 2)',
                    "duplicate_standing",
                )
            ],
        ),
        (
            [["Good", 70], ["Fair", 70], ["Poor", 0]],
            [
                (
                    'Standings!B3 (Minimum): minimum 70 is also the minimum of "Good" (row 2): '
                    "each standing starts at its own score",
                    "duplicate_standing",
                )
            ],
        ),
        (
            [["Good", None], ["Poor", 0]],
            [
                (
                    'Standings!B2 (Minimum): the minimum is missing for "Good": type a score '
                    "from 0 to 100",
                    "not_a_minimum",
                )
            ],
        ),
        (
            [["Good", 150], ["Poor", 0]],
            [
                (
                    'Standings!B2 (Minimum): 150 is not a score from 0 to 100 for "Good"',
                    "not_a_minimum",
                )
            ],
        ),
        (
            [["Good", 70], ["Poor", 50]],
            [
                (
                    'Standings!B3 (Minimum): the lowest standing, "Poor", starts at 50: scores '
                    "below 50 would have no standing; give the lowest standing the Minimum 0",
                    "no_lowest_standing",
                )
            ],
        ),
    ],
)
def test_bad_standings_are_errors(tmp_path, rows, expected):
    assert problems(tmp_path, Standings=[["Standing", "Minimum"], *rows]) == expected


def test_every_problem_is_listed_at_once(tmp_path):
    kpis = kpis_with(
        ["Uptime", None, "%", None, 99.5, 99.9, None, None],
        ["Response time", None, "h", "sideways", 4, 8, None, None],
    )
    perf = perf_with(
        ["March", "Acme", "Uptime", 99.7, None],
        ["2026-01", "Acme", "Latency", 3, None],
        ["2026-01", "Acme", "Uptime", None, None],
    )
    found = problems(tmp_path, kpis, perf, Standings=[["Standing", "Minimum"], ["Top", 10]])
    assert [code for _, code in found] == [
        "threshold_wrong_side",
        "not_a_direction",
        "not_a_period",
        "unknown_kpi",
        "no_lowest_standing",
    ]
