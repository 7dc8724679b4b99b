"""End to end: what an analyst sees from ``rank`` on a workbook of their own."""

from __future__ import annotations

import json
import re
from pathlib import Path

import openpyxl
import pytest

from vendor_eval import cli
from vendor_eval.output.excel.sheets import SUMMARY_HEADER_ROW


@pytest.fixture
def workbook(tmp_path):
    """Categories Cost 40 / Logistics 20 / Quality 40 (Quality score 3 : SOC2 1).

    Qualified field: Price 10..12.5 (lower is better), Delivery 5..9 (lower), Quality 1-5
    absolute. Beta: 0.4*1 + 0.2*0 + 0.3*0.5 + 0.1*1 = 0.65; its Quality score contribution
    is 100*0.3*0.5 = 15 (15.000000000000002 in floating point). Alpha: 0 + 0.2 + 0.225 + 0.1.
    """
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Vendors"
    ws.append(["Supplier", "Price", "Delivery days", "Quality score", "Has SOC2"])
    ws.append(["Alpha", 12.5, 5, 4, "yes"])
    ws.append(["Beta", 10, 9, 3, "yes"])
    ws.append(["Delta", 11, None, 2, "yes"])
    c = wb.create_sheet("Criteria")
    c.append(["Criterion", "Category", "Weight", "Direction", "Scale", "Min", "Max"])
    c.append(["Price", "Cost", 1, "lower", None, None, None])
    c.append(["Delivery days", "Logistics", 1, "lower", None, None, None])
    c.append(["Quality score", "Quality", 3, None, "absolute", 1, 5])
    c.append(["Has SOC2", "Quality", 1, None, "yes/no", None, None])
    k = wb.create_sheet("Categories")
    k.append(["Category", "Weight"])
    for row in (["Cost", 40], ["Logistics", 20], ["Quality", 40]):
        k.append(row)
    path = tmp_path / "custom.xlsx"
    wb.save(path)
    return str(path)


def test_rank_json_has_no_float_noise(workbook, capsys):
    assert cli.main(["rank", workbook, "--format", "json"]) == 0
    text = capsys.readouterr().out
    assert not re.search(r"\d\.\d{7,}", text), text
    records = json.loads(text)
    assert [r["vendor"] for r in records] == ["Beta", "Alpha", "Delta"]
    assert [r["score"] for r in records] == [65.0, 52.5, 41.5]
    assert records[0]["contributions"]["Quality score"] == 15.0
    assert records[2]["completeness"] == 0.8


def test_export_strengths_are_separated_like_reasons(workbook, tmp_path):
    out = tmp_path / "ranking.xlsx"
    assert cli.main(["rank", workbook, "--out", str(out)]) == 0
    ws = openpyxl.load_workbook(out)["Summary"]
    header = [c.value for c in ws[SUMMARY_HEADER_ROW]]  # under the header block
    alpha = next(r for r in ws.iter_rows(min_row=7, values_only=True) if r[1] == "Alpha")
    strengths = alpha[header.index("Strengths")]
    # Alpha is strong on Delivery days (+13.3) and Quality score (+7.5): two sentences
    assert strengths == (
        "Strong on Delivery days: +13.3 points vs the field average; "
        "Strong on Quality score: +7.5 points vs the field average"
    )


def test_criteria_file_next_to_a_criteria_sheet_is_one_problem(workbook, tmp_path, capsys):
    crit = tmp_path / "crit.csv"
    crit.write_text("Criterion,Category,Weight\nClient rating,Quality,2\n", encoding="utf-8")
    assert cli.main(["validate", workbook, "--criteria", str(crit)]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    # one sentence, without follow-on problems from the file that is not to be used
    assert lines == [
        "custom.xlsx has its own Criteria sheet; leave out the separate criteria file crit.csv"
    ]


def test_rank_out_refuses_to_overwrite_the_input_workbook(workbook, capsys):
    before = Path(workbook).read_bytes()
    assert cli.main(["rank", workbook, "--out", workbook]) == 2
    err = capsys.readouterr().err
    assert "custom.xlsx is an input file: choose another name for --out" in err
    assert "Traceback" not in err
    assert Path(workbook).read_bytes() == before


def test_an_unscored_numeric_column_is_named_by_validate_and_in_the_audit(tmp_path, capsys):
    """A column of numbers the Criteria sheet does not list: validate warns, rank --out's
    Audit sheet lists it (it used to be carried along as text, with no word)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Vendors"
    ws.append(["Vendor", "Price", "Support hours", "Website"])
    for row in (["Alpha", 10, 24, "a.example"], ["Beta", 12, 8, "b.example"]):
        ws.append(row)
    c = wb.create_sheet("Criteria")
    c.append(["Criterion", "Category", "Weight", "Direction"])
    c.append(["Price", "Cost", 1, "lower"])
    path = tmp_path / "mine.xlsx"
    wb.save(path)
    message = 'column "Support hours" holds numbers but is not a criterion: it is not scored'
    assert cli.main(["validate", str(path)]) == 0
    out = capsys.readouterr().out
    assert f"warning: Vendors!C1 (Support hours): {message}" in out
    assert "Website" not in out  # text columns stay descriptive, silently
    export = tmp_path / "ranking.xlsx"
    assert cli.main(["rank", str(path), "--out", str(export)]) == 0
    audit = openpyxl.load_workbook(export)["Audit"]
    cells = [v for row in audit.iter_rows(values_only=True) for v in row if isinstance(v, str)]
    assert any(message in v for v in cells)
