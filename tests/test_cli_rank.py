"""`vendor-eval rank` end to end: a small workbook written with openpyxl, every format."""

from __future__ import annotations

import csv
import io
import json

import openpyxl
import pytest

from vendor_eval import cli


@pytest.fixture
def workbook(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Vendors"
    ws.append(["Vendor", "Price", "Rating", "ISO 27001", "Website"])
    ws.append(["Acme", 100, 5, "yes", "acme.example"])
    ws.append(["Bolt", 200, 3, "no", "bolt.example"])
    ws.append(["placeholder", 150, 1, "yes", "crux.example"])
    ws["A4"].value = "=Crux"  # a vendor name that Excel would run as a formula
    ws["A4"].data_type = "s"
    c = wb.create_sheet("Criteria")
    c.append(["Criterion", "Category", "Weight", "Direction", "Scale", "Min", "Max", "Must"])
    c.append(["Price", "Cost", 2, "lower", "relative", None, None, None])
    c.append(["Rating", "Quality", 1, "higher", "absolute", 1, 5, None])
    c.append(["ISO 27001", "Quality", 1, "higher", "yes/no", None, None, "yes"])
    path = tmp_path / "shortlist.xlsx"
    wb.save(path)
    return str(path)


# w = [0.5, 0.25, 0.25]; Price over the qualified field (100..150, lower is better):
# Acme 1, Crux 0, Bolt clipped 0; Rating (1..5): 1, 0, 0.5; ISO: 1, 1, 0 (Bolt fails the gate)


def test_rank_json(workbook, capsys):
    assert cli.main(["rank", workbook, "--format", "json"]) == 0
    out = capsys.readouterr()
    records = json.loads(out.out)
    assert [r["vendor"] for r in records] == ["Acme", "=Crux", "Bolt"]
    assert [r["rank"] for r in records] == [1, 2, None]
    assert [r["score"] for r in records] == pytest.approx([100.0, 25.0, 12.5])
    assert [r["qualified"] for r in records] == [True, True, False]
    assert records[2]["reasons"] == ["ISO 27001 must be yes (is no)"]
    assert records[1]["completeness"] == 1.0
    assert records[1]["categories"] == pytest.approx({"Cost": 0.0, "Quality": 50.0})
    assert records[2]["categories"] == pytest.approx({"Cost": 0.0, "Quality": 25.0})
    assert records[0]["contributions"] == pytest.approx(
        {"Price": 50.0, "Rating": 25.0, "ISO 27001": 25.0}
    )
    assert set(records[0]) >= {"rank", "vendor", "score", "qualified", "reasons",
                               "completeness", "categories", "contributions"}  # fmt: skip


def test_rank_table(workbook, capsys):
    assert cli.main(["rank", workbook]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Ranking by weighted sum (missing values: worst)"
    assert lines[1] == "Settings: method wsm (default), missing values worst (default)"
    assert lines[5] == "   1  Acme    Qualified     100.0      100%"
    assert lines[6] == "   2  =Crux   Qualified      25.0      100%"
    assert lines[7] == "   -  Bolt    Disqualified   12.5      100%  ISO 27001 must be yes (is no)"


def test_rank_csv_is_injection_safe(workbook, capsys):
    assert cli.main(["rank", workbook, "--format", "csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0][:6] == ["rank", "vendor", "status", "score", "completeness", "reasons"]
    assert rows[2][:4] == ["2", "'=Crux", "Qualified", "25.0"]
    assert rows[3][0] == ""


def test_rank_topsis(workbook, capsys):
    assert cli.main(["rank", workbook, "--method", "topsis", "--format", "json"]) == 0
    out = capsys.readouterr()
    records = json.loads(out.out)
    assert records[0]["vendor"] == "Acme" and records[0]["score"] == pytest.approx(100.0)
    assert "note: TOPSIS scores are closeness" in out.err


def test_rank_topsis_exclude_exits_2_with_a_message(workbook, capsys):
    code = cli.main(["rank", workbook, "--method", "topsis", "--missing", "exclude"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.strip() == "error: TOPSIS cannot exclude missing values; use --missing worst or mean"
    assert "Traceback" not in err


def test_rank_all_disqualified_prints_the_note(tmp_path, capsys):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Vendors"
    ws.append(["Vendor", "ISO 27001", "Rating"])
    ws.append(["Acme", "no", 4])
    ws.append(["Bolt", "no", 2])
    c = wb.create_sheet("Criteria")
    c.append(["Criterion", "Category", "Weight", "Scale", "Min", "Max", "Must"])
    c.append(["ISO 27001", "Capability", 1, "yes/no", None, None, "yes"])
    c.append(["Rating", "Capability", 1, "absolute", 1, 5, None])
    path = tmp_path / "none.xlsx"
    wb.save(path)
    assert cli.main(["rank", str(path), "--format", "json"]) == 0
    out = capsys.readouterr()
    assert [r["rank"] for r in json.loads(out.out)] == [None, None]
    assert "note: No vendor passes every must-have; the ranking is shown without ranks." in out.err
