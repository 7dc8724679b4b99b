"""The blank monitoring workbook (docs/monitoring.md §1.1): its sheets, drop-downs and
formats, a round trip through the reader, and ``vendor-eval template --monitoring``."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from vendor_eval import cli
from vendor_eval.core.model import Direction
from vendor_eval.core.problems import ValidationError, VendorEvalError
from vendor_eval.monitoring.model import DEFAULT_STANDINGS, RESULT_COLUMNS, Kpi, PeriodKind
from vendor_eval.monitoring.reading import read_monitoring
from vendor_eval.output.excel.monitoring_template import (
    VENDOR_LIST_SHEET,
    monitoring_template_bytes,
    write_monitoring_template,
)

UPTIME = Kpi("Uptime", Direction.HIGHER, 99.9, 99.5, 2.0, None, "%", "SLA uptime %")
RESPONSE = Kpi("Response time", Direction.LOWER, 4.0, 8.0, 1.0, "Bolt", "hours")
KPIS = (UPTIME, RESPONSE)


def _validations(ws) -> dict[str, tuple[str, str | None, str]]:
    """sqref → (type, formula1, error style) of each data validation of the sheet."""
    return {
        str(dv.sqref): (dv.type, dv.formula1, dv.errorStyle)
        for dv in ws.data_validations.dataValidation
    }


def test_the_blank_template_has_the_sheets_and_headers_the_reader_wants(tmp_path):
    path = tmp_path / "monitoring.xlsx"
    write_monitoring_template(path)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Instructions", "KPIs", "Performance", "Standings"]
    assert wb.active.title == "Instructions"
    header = [c.value for c in wb["KPIs"][1]]
    assert header == [
        *("KPI", "Vendor", "Unit", "Direction", "Target", "Threshold", "Weight", "Criterion")
    ]
    assert wb["KPIs"].max_row == 1
    assert [c.value for c in wb["Performance"][1]] == [
        "Period",
        "Vendor",
        "KPI",
        "Actual",
        "Comment",
    ]
    assert wb["Performance"].max_row == 1
    standings = [tuple(c.value for c in row) for row in wb["Standings"].iter_rows()]
    assert standings == [
        ("Standing", "Minimum"),
        ("Excellent", 85),
        ("Good", 70),
        ("Needs improvement", 50),
        ("Poor", 0),
    ]
    assert wb["Instructions"]["A1"].value == (
        "Vendor performance monitoring — how to fill in this workbook"
    )


def test_the_period_column_is_text_and_the_cells_have_drop_downs(tmp_path):
    path = tmp_path / "monitoring.xlsx"
    write_monitoring_template(path)
    wb = openpyxl.load_workbook(path)
    assert wb["Performance"].column_dimensions["A"].number_format == "@"
    assert _validations(wb["Performance"]) == {
        "C2:C1048576": ("list", "'KPIs'!$A$2:$A$10001", "warning"),
    }
    assert _validations(wb["KPIs"]) == {
        "D2:D10001": ("list", '"higher,lower"', "warning"),
        "G2:G10001": ("decimal", "0", "stop"),
    }
    assert _validations(wb["Standings"]) == {"B2:B101": ("decimal", "0", "stop")}
    assert wb["KPIs"]["E1"].comment.text.startswith("The contracted value")


def test_the_blank_template_read_back_asks_for_kpis(tmp_path):
    path = tmp_path / "monitoring.xlsx"
    write_monitoring_template(path)
    with pytest.raises(ValidationError) as e:
        read_monitoring(path, sandbox=False)
    assert [(str(p), p.code) for p in e.value.problems] == [
        (
            "KPIs: the KPIs sheet lists no KPI: add one row per KPI of the contract (KPI, "
            "Target, Threshold; Vendor empty for a KPI of every vendor)",
            "no_kpis",
        )
    ]


def test_a_prefilled_template_reads_back_with_no_results_yet(tmp_path):
    path = tmp_path / "monitoring.xlsx"
    write_monitoring_template(path, vendors=["Acme", "Bolt"], kpis=KPIS)
    book = read_monitoring(path, awarded=["Acme", "Bolt"], sandbox=False)
    assert book.kpis == (
        Kpi("Uptime", Direction.HIGHER, 99.9, 99.5, 2.0, None, "%", "SLA uptime %", 2),
        Kpi("Response time", Direction.LOWER, 4.0, 8.0, 1.0, "Bolt", "hours", None, 3),
    )
    assert len(book.results) == 0 and list(book.results.columns) == list(RESULT_COLUMNS)
    assert (book.kind, book.vendors, book.warnings) == (None, ("Acme", "Bolt"), ())
    assert book.standings == DEFAULT_STANDINGS


def test_a_filled_in_template_round_trips(tmp_path):
    path = tmp_path / "monitoring.xlsx"
    write_monitoring_template(path, vendors=["Acme", "Bolt"], kpis=KPIS)
    wb = openpyxl.load_workbook(path)
    ws = wb["Performance"]
    for row in (
        ["2025-12", "Acme", "Uptime", 99.95, None],
        ["2026-01", "Acme", "Uptime", 99.2, "outage on the 3rd"],
        ["2026-01", "Bolt", "Response time", 5.5, None],
    ):
        ws.append(row)
    wb["Standings"]["B3"] = 75
    wb.save(path)
    book = read_monitoring(path, awarded=["Acme", "Bolt"], sandbox=False)
    assert [tuple(r) for r in book.results.itertuples(index=False)] == [
        (2025 * 12 + 11, "Acme", "Uptime", 99.95, "", 2),
        (2026 * 12, "Acme", "Uptime", 99.2, "outage on the 3rd", 3),
        (2026 * 12, "Bolt", "Response time", 5.5, "", 4),
    ]
    assert book.kind is PeriodKind.MONTH
    assert [(s.name, s.minimum) for s in book.standings] == [
        ("Excellent", 85.0),
        ("Good", 75.0),
        ("Needs improvement", 50.0),
        ("Poor", 0.0),
    ]


def test_vendor_drop_downs_come_from_a_hidden_list(tmp_path):
    path = tmp_path / "monitoring.xlsx"
    write_monitoring_template(path, vendors=["Acme", "Bolt", "acme"], kpis=KPIS)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[-1] == VENDOR_LIST_SHEET
    hidden = wb[VENDOR_LIST_SHEET]
    assert hidden.sheet_state == "hidden"
    assert [c.value for c in hidden["A"]] == ["Vendor", "Acme", "Bolt"]
    source = "'Vendor list'!$A$2:$A$3"
    assert _validations(wb["Performance"])["B2:B1048576"] == ("list", source, "warning")
    assert _validations(wb["KPIs"])["B2:B10001"] == ("list", source, "warning")


def test_names_that_look_like_formulas_are_written_as_text(tmp_path):
    path = tmp_path / "monitoring.xlsx"
    kpi = Kpi("=1+1", Direction.HIGHER, 2.0, 1.0, 1.0, "@SUM(A1)", "-x", "+crit")
    write_monitoring_template(path, vendors=["=HYPERLINK(1)"], kpis=[kpi])
    wb = openpyxl.load_workbook(path)
    cells = [wb["KPIs"][ref] for ref in ("A2", "B2", "C2", "H2")]
    cells.append(wb[VENDOR_LIST_SHEET]["A2"])
    assert [(c.value, c.data_type, c.quotePrefix) for c in cells] == [
        ("=1+1", "s", True),
        ("@SUM(A1)", "s", True),
        ("-x", "s", True),
        ("+crit", "s", True),
        ("=HYPERLINK(1)", "s", True),
    ]
    book = read_monitoring(path, awarded=["@SUM(A1)"], sandbox=False)
    assert [(k.name, k.vendor, k.unit, k.criterion) for k in book.kpis] == [
        ("=1+1", "@SUM(A1)", "-x", "+crit")
    ]


def test_the_bytes_depend_only_on_the_content():
    assert monitoring_template_bytes(kpis=KPIS) == monitoring_template_bytes(kpis=KPIS)
    assert monitoring_template_bytes() != monitoring_template_bytes(kpis=KPIS)


def test_a_template_that_cannot_be_written_is_one_sentence(tmp_path):
    target = tmp_path / "missing" / "m.xlsx"
    with pytest.raises(VendorEvalError) as e:
        write_monitoring_template(target)
    assert str(e.value) == f"{target}: the folder {target.parent} does not exist"
    assert not target.exists()


# -- the command line -------------------------------------------------------------------------
def test_template_monitoring_writes_the_file(tmp_path, capsys):
    path = tmp_path / "monitoring.xlsx"
    assert cli.main(["template", "--monitoring", str(path)]) == 0
    assert capsys.readouterr().out == f"wrote {path}\n"
    assert openpyxl.load_workbook(path).sheetnames == [
        "Instructions",
        "KPIs",
        "Performance",
        "Standings",
    ]


def test_template_monitoring_keeps_an_existing_file_unless_forced(tmp_path, capsys):
    path = tmp_path / "monitoring.xlsx"
    path.write_bytes(b"mine")
    assert cli.main(["template", "--monitoring", str(path)]) == 2
    assert f"{path}: already exists (use --force to overwrite)" in capsys.readouterr().err
    assert path.read_bytes() == b"mine"
    assert cli.main(["template", "--monitoring", str(path), "--force"]) == 0
    assert path.read_bytes()[:2] == b"PK"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["template", "a.xlsx", "--monitoring", "b.xlsx"],
            "give one file: FILE.xlsx for the vendor workbook, or --monitoring FILE.xlsx for "
            "the monitoring workbook",
        ),
        (["template"], "which file? vendor-eval template FILE.xlsx (or --monitoring FILE.xlsx)"),
    ],
)
def test_template_needs_exactly_one_file(tmp_path, capsys, monkeypatch, argv, message):
    monkeypatch.chdir(tmp_path)
    assert cli.main(argv) == 2
    assert message in capsys.readouterr().err
    assert list(Path(tmp_path).iterdir()) == []


def test_the_vendor_template_is_still_written(tmp_path, capsys):
    path = tmp_path / "vendors.xlsx"
    assert cli.main(["template", str(path)]) == 0
    assert "Vendors" in openpyxl.load_workbook(path).sheetnames


def test_the_monitoring_template_prints_like_the_vendor_template():
    import io

    import openpyxl

    from vendor_eval.output.excel.monitoring_template import monitoring_template_bytes

    wb = openpyxl.load_workbook(io.BytesIO(monitoring_template_bytes(vendors=("Acme",))))
    for name in ("Instructions", "KPIs", "Performance", "Standings"):
        ws = wb[name]
        assert ws.print_area, name
        assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage, name
        assert (ws.print_title_rows is None) == (name == "Instructions"), name
