"""No data is not zero in the outputs: under ``--missing exclude`` a vendor with no value in
any criterion of a category shows null in the JSON, an empty CSV field, and an empty
Summary cell with the reason in a comment in the export, whose live formulas LibreOffice
recalculates to the same totals."""

from __future__ import annotations

import csv
import io
import json

import openpyxl
import pytest
from conftest import soffice_convert

from vendor_eval import cli
from vendor_eval.output.excel.export import write_export
from vendor_eval.output.excel.sheets import SUMMARY_HEADER_ROW
from vendor_eval.output.text import format_csv, format_table
from vendor_eval.scoring.ranking import no_data_reason
from vendor_eval.scoring.scorer import score
from vendor_eval.workbook.importing.load import load_evaluation

SENS = {"leader": None, "verdict": "n/a", "p_first": {}, "critical": []}
REASON = "no data: Beta has no value in any Capability criterion (missing values excluded)"


@pytest.fixture
def workbook(tmp_path):
    """Beta answered only the price: no value in either Capability criterion."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Vendors"
    ws.append(["Vendor", "Uptime", "Features", "Price"])
    ws.append(["Acme", 99.5, 4, 100])
    ws.append(["Beta", None, None, 80])
    ws.append(["Gamma", 99.0, 3, 120])
    c = wb.create_sheet("Criteria")
    c.append(["Criterion", "Category", "Weight", "Direction", "Scale", "Min", "Max", "Must"])
    c.append(["Uptime", "Capability", 2, "higher", "relative", None, None, None])
    c.append(["Features", "Capability", 1, "higher", "absolute", 1, 5, None])
    c.append(["Price", "Cost", 1, "lower", "relative", None, None, None])
    path = tmp_path / "shortlist.xlsx"
    wb.save(path)
    return path


def test_json_has_null_for_no_data(workbook, capsys):
    assert cli.main(["rank", str(workbook), "--missing", "exclude", "--format", "json"]) == 0
    records = {r["vendor"]: r for r in json.loads(capsys.readouterr().out)}
    assert records["Beta"]["categories"]["Capability"] is None
    assert records["Beta"]["categories"]["Cost"] == pytest.approx(100.0)
    assert records["Acme"]["categories"]["Capability"] is not None
    # the total is over what Beta has, as before
    assert records["Beta"]["score"] == pytest.approx(100.0)
    assert records["Beta"]["completeness"] == pytest.approx(0.25)
    # under worst the missing values score 0, and the category score is 0
    assert cli.main(["rank", str(workbook), "--format", "json"]) == 0
    worst = {r["vendor"]: r for r in json.loads(capsys.readouterr().out)}
    assert worst["Beta"]["categories"]["Capability"] == 0.0


def test_csv_leaves_the_no_data_field_empty(workbook, capsys):
    assert cli.main(["rank", str(workbook), "--missing", "exclude", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    beta = next(r for r in rows if r["vendor"] == "Beta")
    assert beta["category: Capability"] == ""
    assert float(beta["category: Cost"]) == pytest.approx(100.0)
    assert all(r["category: Capability"] != "" for r in rows if r["vendor"] != "Beta")
    # the points are points: 0 for a criterion left out, adding up to the score
    assert float(beta["points: Uptime"]) == 0.0
    assert float(beta["points: Price"]) == pytest.approx(float(beta["score"]))


def test_the_table_has_no_category_column_to_show_a_0_in(workbook):
    """The terminal table lists Rank, Vendor, Status, Score, Complete and Reasons only."""
    r = score(load_evaluation(workbook), missing="exclude")
    head = format_table(r).splitlines()[3]
    assert "Capability" not in head and head.split() == [
        "Rank", "Vendor", "Status", "Score", "Complete", "Reasons"
    ]  # fmt: skip
    assert "category: Capability" in format_csv(r).splitlines()[0]


def summary(path, data_only: bool):
    ws = openpyxl.load_workbook(path, data_only=data_only)["Summary"]
    cols = {c.value: c.column for c in ws[SUMMARY_HEADER_ROW]}
    first = SUMMARY_HEADER_ROW + 1  # the table, down to its first empty row
    last = next(r for r in range(first, ws.max_row + 2) if ws.cell(r, 2).value is None)
    rows = {ws.cell(r, 2).value: r for r in range(first, last)}
    return ws, cols, rows


def test_export_leaves_the_cell_empty_with_the_reason(workbook, tmp_path):
    r = score(load_evaluation(workbook), missing="exclude")
    out = tmp_path / "export.xlsx"
    write_export(r, out, sensitivity=SENS)
    ws, cols, rows = summary(out, data_only=True)
    cap, cost = cols["Capability (category)"], cols["Cost (category)"]
    assert ws.cell(rows["Beta"], cap).value in (None, "")
    assert ws.cell(rows["Beta"], cost).value == pytest.approx(100.0)
    assert ws.cell(rows["Acme"], cap).value == pytest.approx(
        r.category_scores.at["Acme", "Capability"]
    )
    live, _, _ = summary(out, data_only=False)
    cell = live.cell(rows["Beta"], cap)
    assert str(cell.value).startswith("=IF(") and str(cell.value).endswith(',"")')
    assert cell.comment is not None and cell.comment.text == REASON == no_data_reason(
        "Beta", "Capability"
    )
    # only that cell has a comment
    noted = [c.coordinate for row in live.iter_rows() for c in row if c.comment]
    assert noted == [cell.coordinate]
    audit = openpyxl.load_workbook(out)["Audit"]
    text = " ".join(str(c.value) for row in audit.iter_rows() for c in row if c.value)
    assert "An empty category score on Summary (with a comment) is no data" in text
    # and the file is still one the importer reads back to the same ranking
    again = score(load_evaluation(out), missing="exclude")
    assert again.table["score"].tolist() == pytest.approx(r.table["score"].tolist())


def test_a_filling_policy_export_has_no_comment(workbook, tmp_path):
    r = score(load_evaluation(workbook), missing="worst")
    out = tmp_path / "export.xlsx"
    write_export(r, out, sensitivity=SENS)
    live, cols, rows = summary(out, data_only=False)
    assert not [c for row in live.iter_rows() for c in row if c.comment]
    values, _, _ = summary(out, data_only=True)
    assert values.cell(rows["Beta"], cols["Capability (category)"]).value == 0


@pytest.mark.libreoffice
def test_libreoffice_recalculates_the_same_totals_and_keeps_the_cell_empty(
    workbook, tmp_path, soffice_path
):
    r = score(load_evaluation(workbook), missing="exclude")
    src = tmp_path / "export.xlsx"
    write_export(r, src, sensitivity=SENS)
    _, cols, rows = summary(src, data_only=True)
    out = soffice_convert(soffice_path, src, tmp_path, recalculate=True)
    theirs, _, _ = summary(out, data_only=True)
    for vendor, row in rows.items():
        assert theirs.cell(row, cols["Score"]).value == pytest.approx(r.score(vendor), abs=1e-9)
        assert theirs.cell(row, cols["Completeness"]).value == pytest.approx(
            float(r.table.at[vendor, "completeness"]), abs=1e-9
        )
        for cat in r.category_scores.columns:
            got = theirs.cell(row, cols[f"{cat} (category)"]).value
            if r.category_no_data.at[vendor, cat]:
                assert got in (None, ""), (vendor, cat, got)
            else:
                assert got == pytest.approx(float(r.category_scores.at[vendor, cat]), abs=1e-9)
    assert theirs.cell(rows["Beta"], cols["Rank"]).value == r.rank("Beta")
    # the comment survives LibreOffice's round trip
    kept = openpyxl.load_workbook(out)["Summary"]
    assert kept.cell(rows["Beta"], cols["Capability (category)"]).comment.text.strip() == REASON
