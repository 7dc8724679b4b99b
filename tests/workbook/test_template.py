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
    assert book.sheetnames == [
        "Instructions", "Vendors", "Criteria", "Categories", "Settings", "Costs",
    ]  # fmt: skip
    assert book.active.title == "Instructions"
    assert book["Vendors"].freeze_panes == "B2"
    for name in ("Criteria", "Categories", "Settings", "Costs"):
        assert book[name].freeze_panes == "A2", name


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
    prices = [c.name for c in DEFAULT_CRITERIA if c.scale is Scale.PRICE]
    for name in prices:  # a price above 0 (a warning, as the importer refuses it)
        dv = dvs[f"{_letter(name)}2:{_letter(name)}{LAST_DATA_ROW}"]
        assert (dv.type, dv.operator, dv.formula1) == ("decimal", "greaterThan", "0")
        assert dv.errorStyle == "warning"
    assert len(dvs) == len(yes_no) + len(ratings) + len(prices)


def test_criteria_sheet_holds_the_default_model(book) -> None:
    ws = book["Criteria"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == (
        "Criterion", "Category", "Weight", "Direction", "Scale", "Formula", "Min", "Max",
        "Must", "Goal", "Description",
    )  # fmt: skip
    assert len(rows) == 1 + len(DEFAULT_CRITERIA)
    for row, c in zip(rows[1:], DEFAULT_CRITERIA, strict=True):
        assert row == (
            c.name, c.category, c.weight, c.direction.value, c.scale.value,
            None if c.formula is None else c.formula.value, c.min, c.max,
            None if c.must is None else c.must.text, None, c.description,
        )  # fmt: skip
    dvs = _validations(ws)
    assert dvs[f"D2:D{LAST_DATA_ROW}"].formula1 == '"higher,lower"'
    assert dvs[f"E2:E{LAST_DATA_ROW}"].formula1 == '"relative,absolute,yes/no,price"'
    assert dvs[f"F2:F{LAST_DATA_ROW}"].formula1 == '"ratio,linear,budget"'
    assert "lowest ÷ price" in ws["F1"].comment.text
    weight = dvs[f"C2:C{LAST_DATA_ROW}"]
    assert (weight.type, weight.operator, weight.formula1) == ("decimal", "greaterThanOrEqual", "0")
    assert ws["I7"].value == "yes" and ws["I7"].number_format == "@"  # ISO 27001's rule


def test_categories_sheet(book) -> None:
    rows = list(book["Categories"].iter_rows(values_only=True))
    assert rows == [("Category", "Weight", "Minimum", "Description")] + [
        (k.name, k.weight, None, k.description) for k in DEFAULT_CATEGORIES
    ]
    dvs = _validations(book["Categories"])
    assert f"B2:B{LAST_DATA_ROW}" in dvs
    minimum = dvs[f"C2:C{LAST_DATA_ROW}"]
    assert (minimum.type, minimum.operator, minimum.formula1, minimum.formula2) == (
        "decimal", "between", "0", "100",
    )  # fmt: skip
    assert "before prices are compared" in book["Categories"]["C1"].comment.text


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
    # Beta is worst on every relative non-price criterion (0 points), 3 of 5 on the ratings
    # (s = 0.5) and yes on every yes/no criterion. Effective weights (category share ×
    # criterion share):
    # ratings 0.15·0.40 + 0.25·0.35 + 0.25·0.30 + 0.10·0.30 + 0.10·0.40 = 0.2925;
    # yes/no 0.15·0.30 + 0.25·0.20 + 0.10·0.25 + 0.10·0.25 = 0.145. The hourly rate is a
    # ratio-scored price (Gamma, disqualified, is left out of the lowest bid): 1200/1500 of
    # the Cost category's 0.15.
    assert ev.criterion("Blended hourly rate").is_price
    expected = 100 * (0.5 * 0.2925 + 0.145 + 0.15 * 1200 / 1500)
    assert ranking.score("Beta GmbH") == pytest.approx(expected)
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


# -- Settings and Costs sheets (issue 14) ------------------------------------------------------
def test_settings_sheet_lists_every_setting_with_a_blank_value_and_its_meaning(book) -> None:
    from vendor_eval.workbook.schema import SETTING_ROWS
    from vendor_eval.workbook.template import SETTING_HELP

    ws = book["Settings"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == ("Setting", "Value", "Description")
    assert rows[1:] == [(s.name, None, SETTING_HELP[s.field]) for s in SETTING_ROWS]
    assert "Empty: wsm" in rows[1][2] and "Empty: 3" in rows[4][2] and "Empty: 0%" in rows[5][2]
    dvs = _validations(ws)
    assert (dvs["B2"].type, dvs["B2"].formula1) == ("list", '"wsm,topsis"')
    assert (dvs["B3"].type, dvs["B3"].formula1) == ("list", '"worst,mean,exclude"')
    assert (dvs["B4"].formula1, dvs["B4"].formula2) == ("0", "100")
    assert (dvs["B5"].type, dvs["B5"].formula1, dvs["B5"].formula2) == ("whole", "1", "30")
    assert (dvs["B6"].formula1, dvs["B6"].formula2) == ("0", "0.9999")
    assert (dvs["B7"].formula1, dvs["B7"].formula2) == ("0.01", "1")
    assert all(dv.errorStyle in (None, "stop") for dv in dvs.values())  # None: Excel's stop
    # a percentage cell: 5 typed into it is 5 %, stored as 0.05 (as the importer reads it)
    assert ws["B6"].number_format == "0.0%"


def test_costs_sheet_is_empty_with_help_and_a_frequency_drop_down(book) -> None:
    ws = book["Costs"]
    assert [c.value for c in ws[1]] == ["Vendor", "Item", "Amount", "Frequency", "Quantity"]
    assert ws.max_row == 1  # no example row: it would be read as a cost line
    assert "exactly as on the Vendors sheet" in ws["A1"].comment.text
    assert "one-off, monthly, quarterly or yearly" in ws["D1"].comment.text
    assert "Empty: 1" in ws["E1"].comment.text
    dvs = _validations(ws)
    assert dvs[f"D2:D{LAST_DATA_ROW}"].formula1 == '"one-off,monthly,quarterly,yearly"'
    amount, quantity = dvs[f"C2:C{LAST_DATA_ROW}"], dvs[f"E2:E{LAST_DATA_ROW}"]
    assert (amount.operator, amount.formula1) == ("greaterThanOrEqual", "0")
    assert (quantity.operator, quantity.formula1) == ("greaterThan", "0")


def test_instructions_explain_prices_minimums_settings_and_costs(book) -> None:
    text = "\n".join(r[0] for r in book["Instructions"].iter_rows(values_only=True) if r[0])
    for needle in (
        "Scale: relative",
        "or price (a price or cost",
        "points = lowest price ÷ this price",
        "80% of the points",
        "budget gives the lowest price full points, falling to none at the ceiling written in Max",
        "with years in business of 9, 12 and 15, linear gives the 9-year vendor 0 points; ratio "
        "gives it 9 ÷ 15 = 60%",
        "Minimum (optional, 0–100)",
        "disqualified before any price is compared",
        "5. Total cost of ownership (Costs sheet)",
        "Criterion Total cost of ownership",
        "one-off items are never discounted",
        "6. Settings sheet (optional)",
        "Discount rate: e.g. 5%",
        "override the Settings sheet",
    ):
        assert needle.lower() in text.lower(), needle


def test_instruction_rows_are_tall_enough_for_their_wrapped_lines(book) -> None:
    # One paragraph per row, wrapped, each row as high as its lines (≤ 100 characters a
    # line in the 110-wide column): no line overprints the next.
    ws = book["Instructions"]
    assert ws.column_dimensions["A"].width == 110
    for row in ws.iter_rows():
        cell = row[0]
        if not cell.value or cell.font.bold:
            continue
        assert cell.alignment.wrap_text, cell.coordinate
        lines = -(-len(cell.value) // 100)
        height = ws.row_dimensions[cell.row].height
        if lines > 1:
            assert height is not None and height >= 15 * lines, cell.coordinate
        assert "\n" not in cell.value


def _filled_with_prices(tmp_path: Path) -> Path:
    """The template filled in with a price formula, a minimum, settings and cost lines."""
    wb = openpyxl.load_workbook(_filled_template(tmp_path))
    cs = wb["Criteria"]
    rate = next(r for r in range(2, cs.max_row + 1) if cs.cell(r, 1).value == "Blended hourly rate")
    cs.cell(rate, 5, "price")  # Scale
    cs.cell(rate, 6, "ratio")  # Formula
    cs.cell(rate, 4, None)  # Direction blank: a price is lower-is-better
    years = next(r for r in range(2, cs.max_row + 1) if cs.cell(r, 1).value == "Years in business")
    cs.cell(years, 6, "ratio")
    tco = cs.max_row + 1
    for col, value in enumerate([TCO_NAME, "Cost", 100, None, "price"], start=1):
        cs.cell(tco, col, value)
    ks = wb["Categories"]
    capability = next(r for r in range(2, ks.max_row + 1) if ks.cell(r, 1).value == "Capability")
    ks.cell(capability, 3, "50%")
    st = wb["Settings"]
    st["B2"], st["B5"], st["B6"] = "wsm", 4, 0.05
    co = wb["Costs"]
    lines = [
        ("Alpha Ltd", "Licence", 1000, "monthly", None),
        ("Alpha Ltd", "Setup", 5000, "one-off", None),
        ("Beta GmbH", "Licence", 900, "monthly", 2),
        ("Gamma Inc", "Support", 4000, "yearly", 1),
    ]
    for r, line in enumerate(lines, start=2):
        for c, value in enumerate(line, start=1):
            co.cell(r, c, value)
    path = tmp_path / "filled_prices.xlsx"
    wb.save(path)
    return path


TCO_NAME = "Total cost of ownership"


def test_the_template_filled_in_with_prices_settings_and_costs_imports(tmp_path: Path) -> None:
    from vendor_eval.core.model import Formula, Method
    from vendor_eval.workbook.importing.load import load_evaluation

    ev = load_evaluation(_filled_with_prices(tmp_path))
    assert ev.warnings == []
    rate = ev.criterion("Blended hourly rate")
    assert (rate.scale, rate.direction.value, rate.formula) == (Scale.PRICE, "lower", Formula.RATIO)
    assert ev.criterion("Years in business").formula is Formula.RATIO
    assert [k.minimum for k in ev.categories if k.minimum is not None] == [50.0]
    assert ev.settings.method is Method.WSM
    assert (ev.settings.term, ev.settings.rate) == (4, 0.05)
    assert set(ev.settings.origin) == {"method", "contract_term", "discount_rate"}
    d = sum(1 / 1.05**y for y in range(1, 5))  # four years at 5 %
    assert ev.values[TCO_NAME].tolist() == pytest.approx(
        [1000 * 12 * d + 5000, 900 * 2 * 12 * d, 4000 * d]
    )
    assert ev.criterion(TCO_NAME).source == "costs"
    assert len(ev.costs) == 4
