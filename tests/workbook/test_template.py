"""The blank input workbook: sheets, drop-downs, formats, and the fill-in round trip."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from vendor_eval.core.model import Scale
from vendor_eval.core.problems import VendorEvalError
from vendor_eval.workbook.defaults import DEFAULT_CATEGORIES, DEFAULT_CRITERIA
from vendor_eval.workbook.template import LAST_DATA_ROW, write_template

ROOT = Path(__file__).resolve().parents[2]
NAMES = [c.name for c in DEFAULT_CRITERIA]
HEADERS = ["Vendor", *NAMES, "Website", "Country", "Contact", "Notes"]


@pytest.fixture(scope="module")
def book() -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(write_template()))


def _letter(name: str) -> str:
    return get_column_letter(HEADERS.index(name) + 1)


def _validations(ws) -> dict[str, object]:
    return {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}


# -- output targets --------------------------------------------------------------------------
def test_targets_bytes_path_and_file_object(tmp_path: Path) -> None:
    data = write_template()
    assert isinstance(data, bytes) and data[:2] == b"PK"
    assert write_template() == data  # deterministic: no timestamps of its own
    assert write_template(tmp_path / "t.xlsx") is None
    assert (tmp_path / "t.xlsx").read_bytes() == data
    assert write_template(str(tmp_path / "s.xlsx")) is None
    assert (tmp_path / "s.xlsx").read_bytes() == data
    buf = io.BytesIO()
    assert write_template(buf) is None
    assert buf.getvalue() == data


def test_unwritable_target_is_a_plain_error(tmp_path: Path) -> None:
    target = tmp_path / "no such folder" / "t.xlsx"
    with pytest.raises(VendorEvalError, match=r"no such folder.*cannot write the template"):
        write_template(target)


# -- content ---------------------------------------------------------------------------------
def test_sheets_and_frozen_headers(book) -> None:
    assert book.sheetnames == ["Instructions", "Vendors", "Criteria", "Categories"]
    assert book.active.title == "Instructions"
    assert book["Vendors"].freeze_panes == "B2"
    assert book["Criteria"].freeze_panes == "A2"
    assert book["Categories"].freeze_panes == "A2"


def test_vendors_sheet_is_blank_with_help_on_headers(book) -> None:
    ws = book["Vendors"]
    assert [c.value for c in ws[1]] == HEADERS
    assert ws.max_row == 1  # row 2 onwards is for data
    assert "One row per vendor" in ws["A1"].comment.text
    for c in DEFAULT_CRITERIA:
        comment = ws[f"{_letter(c.name)}1"].comment
        assert comment is not None and comment.text.startswith(c.description)
    assert ws[f"{_letter('ISO 27001')}1"].comment.text.endswith("Must: yes")
    assert ws.column_dimensions[_letter("Notes")].width == 60


def test_vendors_number_formats(book) -> None:
    dims = book["Vendors"].column_dimensions
    for name in ("SLA uptime", "Revenue growth", "Client retention"):
        assert dims[_letter(name)].number_format == "0.0%", name
    assert dims[_letter("Client rating")].number_format == "0.0"
    assert dims[_letter("Blended hourly rate")].number_format == "#,##0.00"
    assert dims[_letter("Delivery headcount")].number_format == "#,##0"


def test_vendors_drop_downs(book) -> None:
    dvs = _validations(book["Vendors"])
    yes_no = [c.name for c in DEFAULT_CRITERIA if c.scale is Scale.YESNO]
    assert yes_no == ["References checked", "ISO 27001", "Service credits", "Exit clause"]
    for name in yes_no:
        dv = dvs[f"{_letter(name)}2:{_letter(name)}{LAST_DATA_ROW}"]
        assert (dv.type, dv.formula1) == ("list", '"yes,no"')
    ratings = [c.name for c in DEFAULT_CRITERIA if c.scale is Scale.ABSOLUTE]
    for name in ratings:
        dv = dvs[f"{_letter(name)}2:{_letter(name)}{LAST_DATA_ROW}"]
        assert (dv.type, dv.operator, dv.formula1, dv.formula2) == ("decimal", "between", "1", "5")
        assert dv.errorStyle == "warning"  # out of range is a warning, as in the importer
    assert len(dvs) == len(yes_no) + len(ratings)


def test_criteria_sheet_holds_the_default_model(book) -> None:
    ws = book["Criteria"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == (
        "Criterion", "Category", "Weight", "Direction", "Scale", "Min", "Max", "Must", "Goal",
        "Description",
    )  # fmt: skip
    assert len(rows) == 1 + len(DEFAULT_CRITERIA)
    for row, c in zip(rows[1:], DEFAULT_CRITERIA, strict=True):
        assert row == (
            c.name, c.category, c.weight, c.direction.value, c.scale.value, c.min, c.max,
            None if c.must is None else c.must.text, None, c.description,
        )  # fmt: skip
    dvs = _validations(ws)
    assert dvs[f"D2:D{LAST_DATA_ROW}"].formula1 == '"higher,lower"'
    assert dvs[f"E2:E{LAST_DATA_ROW}"].formula1 == '"relative,absolute,yes/no"'
    weight = dvs[f"C2:C{LAST_DATA_ROW}"]
    assert (weight.type, weight.operator, weight.formula1) == ("decimal", "greaterThanOrEqual", "0")
    assert ws["H7"].value == "yes" and ws["H7"].number_format == "@"  # ISO 27001's rule


def test_categories_sheet(book) -> None:
    rows = list(book["Categories"].iter_rows(values_only=True))
    assert rows == [("Category", "Weight", "Description")] + [
        (k.name, k.weight, k.description) for k in DEFAULT_CATEGORIES
    ]
    assert f"B2:B{LAST_DATA_ROW}" in _validations(book["Categories"])


def test_instructions_explain_the_workbook(book) -> None:
    text = "\n".join(r[0] for r in book["Instructions"].iter_rows(values_only=True) if r[0])
    for needle in (
        "one row per vendor",
        "yes, no, y, n, true, false, 1, 0",
        ">= 3",
        "<= 50000",
        "Direction: higher",
        "Scale: relative",
        "Goal (optional): the project goal",
        "Categories sheet",
        "Evaluator, Vendor, Criterion, Score, Comment",
        "99.5%",
    ):
        assert needle.lower() in text.lower(), needle


# -- round trip: template → fill in → load → score ------------------------------------------
BEST = {
    "Client rating": 5, "References checked": "yes", "Years in business": 20,
    "Similar projects delivered": 40, "Years in client industry": 10, "ISO 27001": "yes",
    "Technical fit": 5, "Delivery headcount": 300, "Security assessment": 5,
    "Response time (hours)": 2, "Time-zone overlap (hours)": 8, "Language proficiency": 5,
    "SLA uptime": "99.9%", "Service credits": "Yes", "Exit clause": True,
    "Payment terms (days)": 60, "Financial stability": 5, "Revenue growth": 0.2,
    "Client retention": 0.95, "Blended hourly rate": "1,200",
}  # fmt: skip
WORST = {
    "Client rating": 3, "References checked": "y", "Years in business": 5,
    "Similar projects delivered": 10, "Years in client industry": None, "ISO 27001": "yes",
    "Technical fit": 3, "Delivery headcount": 50, "Security assessment": 3,
    "Response time (hours)": 24, "Time-zone overlap (hours)": 1, "Language proficiency": 3,
    "SLA uptime": 0.99, "Service credits": 1, "Exit clause": "yes",
    "Payment terms (days)": 30, "Financial stability": 3, "Revenue growth": -0.05,
    "Client retention": 0.7, "Blended hourly rate": 1500,
}  # fmt: skip


def _filled_template(tmp_path: Path) -> Path:
    wb = openpyxl.load_workbook(io.BytesIO(write_template()))
    ws = wb["Vendors"]
    rows = [
        ("Alpha Ltd", BEST, "https://alpha.example"),
        ("Beta GmbH", WORST, None),
        ("Gamma Inc", {**BEST, "ISO 27001": "no"}, None),
    ]
    for r, (name, values, site) in enumerate(rows, start=2):
        ws.cell(row=r, column=1, value=name)
        for name_, value in values.items():
            ws.cell(row=r, column=HEADERS.index(name_) + 1, value=value)
        ws.cell(row=r, column=HEADERS.index("Website") + 1, value=site)
    path = tmp_path / "filled.xlsx"
    wb.save(path)
    return path


def test_template_round_trip_loads_and_scores(tmp_path: Path) -> None:
    from vendor_eval.scoring.scorer import score
    from vendor_eval.workbook.importing.load import load_evaluation

    ev = load_evaluation(_filled_template(tmp_path))
    assert ev.vendors == ["Alpha Ltd", "Beta GmbH", "Gamma Inc"]
    assert ev.criterion_names == NAMES
    assert ev.values.at["Alpha Ltd", "SLA uptime"] == pytest.approx(0.999)
    assert ev.values.at["Alpha Ltd", "Blended hourly rate"] == 1200
    assert ev.values.at["Alpha Ltd", "Exit clause"] == 1.0
    assert ev.descriptive.at["Alpha Ltd", "Website"] == "https://alpha.example"
    ranking = score(ev)
    assert ranking.vendors == ["Alpha Ltd", "Beta GmbH", "Gamma Inc"]
    # Alpha is best on every criterion: full marks.
    assert ranking.score("Alpha Ltd") == pytest.approx(100.0)
    # Beta is worst on every relative criterion (0 points), 3 of 5 on the ratings (s = 0.5)
    # and yes on every yes/no criterion. Effective weights (category share × criterion share):
    # ratings 0.15·0.40 + 0.25·0.35 + 0.25·0.30 + 0.10·0.30 + 0.10·0.40 = 0.2925;
    # yes/no 0.15·0.30 + 0.25·0.20 + 0.10·0.25 + 0.10·0.25 = 0.145.
    assert ranking.score("Beta GmbH") == pytest.approx(100 * (0.5 * 0.2925 + 0.145))
    assert ranking.rank("Gamma Inc") is None
    assert ranking.table.at["Gamma Inc", "reasons"] == ["ISO 27001 must be yes (is no)"]


# -- CLI -------------------------------------------------------------------------------------
def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "vendor_eval", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_cli_template(tmp_path: Path) -> None:
    out = tmp_path / "blank.xlsx"
    done = _cli("template", str(out))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"wrote {out}"
    assert out.read_bytes() == write_template()
    again = _cli("template", str(out))
    assert again.returncode == 2
    assert again.stderr.strip() == f"error: {out}: already exists (use --force to overwrite)"
    assert "Traceback" not in again.stderr
    out.write_bytes(b"old")
    forced = _cli("template", str(out), "--force")
    assert forced.returncode == 0, forced.stderr
    assert out.read_bytes() == write_template()
    nowhere = _cli("template", str(tmp_path / "missing" / "x.xlsx"))
    assert nowhere.returncode == 2
    assert "cannot write the template" in nowhere.stderr and "Traceback" not in nowhere.stderr
