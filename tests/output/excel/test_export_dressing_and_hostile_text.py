"""The export's Summary dressing, print layout, user text everywhere,
the re-import round trip with hostile names, Audit warnings, and the CSV injection rule."""

from __future__ import annotations

import csv
import dataclasses
import io
import zipfile

import numpy as np
import openpyxl
import pandas as pd
import pytest
from conftest import random_evaluation

from vendor_eval.core.model import MustRule
from vendor_eval.output.excel.export import write_export
from vendor_eval.output.excel.sheets import SUMMARY_HEADER_ROW
from vendor_eval.output.safety import FORMULA_LEADERS, csv_safe
from vendor_eval.output.text import format_csv, protect_cell
from vendor_eval.scoring.scorer import score

SENS = {"leader": None, "verdict": "n/a", "p_first": {}, "critical": []}


def load(data: bytes, data_only: bool = False) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data), data_only=data_only)


# -- Summary: highlight, data bars, chart, widths, formats, print ---------------------------
def with_must(ev):
    """C3 (yes/no in the random evaluation) becomes a must-have: some vendors fail it."""
    ev.criteria[2] = dataclasses.replace(ev.criteria[2], must=MustRule("=", 1.0, "yes"))
    return ev


@pytest.fixture
def summary(rng):
    ev = with_must(random_evaluation(rng, n_vendors=12, n_criteria=7, n_categories=3))
    rk = score(ev)
    return rk, load(write_export(rk, sensitivity=SENS))["Summary"]


def test_summary_conditional_formats_highlight_leader_grey_disqualified_and_bars(summary):
    rk, ws = summary
    n = len(rk.vendors)
    rules = {
        str(cf.sqref): [(r.type, r.formula, r.stopIfTrue) for r in cf.rules]
        for cf in ws.conditional_formatting
    }
    last = openpyxl.utils.get_column_letter(ws.max_column)
    rows = rules[f"A7:{last}{n + 6}"]  # the table: rows 7 to n + 6, under the header block
    assert ("expression", ['$C7="Disqualified"'], True) in rows
    assert ("expression", ["$A7=1"], None) in rows
    bars = next(cf.rules[0] for cf in ws.conditional_formatting if str(cf.sqref) == f"D7:D{n + 6}")
    assert bars.type == "dataBar"
    assert [(c.type, float(c.val)) for c in bars.dataBar.cfvo] == [("num", 0.0), ("num", 100.0)]


def test_summary_chart_plots_the_qualified_vendors_under_a_short_table(rng):
    ev = with_must(random_evaluation(rng, n_vendors=12, n_criteria=6, n_categories=2))
    rk = score(ev)
    n_q = len(rk.qualified)
    assert 0 < n_q < 12  # the seeded field has disqualified vendors
    ws = load(write_export(rk, sensitivity=SENS))["Summary"]
    (chart,) = ws._charts
    series = chart.series[0]
    assert series.val.numRef.f == f"'Summary'!$D$7:$D${n_q + 6}"
    assert series.cat.numRef.f == f"'Summary'!$B$7:$B${n_q + 6}"
    assert chart.anchor._from.row == len(rk.vendors) + 7  # 0-based: row n + 8, under the table
    assert chart.anchor._from.col == 1  # column B


def test_summary_widths_number_formats_header_and_print_setup(summary):
    rk, ws = summary
    heads = [c.value for c in ws[SUMMARY_HEADER_ROW]]
    letter = {h: openpyxl.utils.get_column_letter(j) for j, h in enumerate(heads, 1)}
    assert ws.freeze_panes == "C7"
    assert ws.column_dimensions["B"].width == 28
    for cat in rk.category_scores.columns:
        h = f"{cat} (category)"
        assert ws.column_dimensions[letter[h]].width >= max(len(w) for w in h.split()) + 2
        assert ws[f"{letter[h]}7"].number_format == "0.0"
    assert ws["D7"].number_format == "0.00"
    assert ws[f"{letter['Completeness']}7"].number_format == "0%"
    last = len(rk.vendors) + 6  # disqualified vendors come last, with their reasons
    assert ws[f"{letter['Reasons']}{last}"].value
    assert ws[f"{letter['Reasons']}{last}"].alignment.wrap_text
    head = ws["E6"]
    assert head.font.b and head.font.name == "Calibri" and head.alignment.wrap_text
    assert ws.row_dimensions[6].height == 30  # "Cat1 (category)" wraps to two lines
    assert ws["B7"].font.name == "Calibri"  # named face, not the viewer's fallback serif
    assert ws.page_setup.orientation == "landscape"
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 1)  # one page
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$6:$6"
    assert ws.print_area.startswith(f"'Summary'!$A$1:${letter['Reasons']}$")


# -- user text is always text, on every sheet ------------------------------------------------
HOSTILE_VENDORS = ['=HYPERLINK("http://x","HACK")', "+1+1", "@SUM(1)", "-2", "Plain Co"]


def hostile_workbook(path) -> None:
    """An input workbook whose every user-named thing starts like a formula."""
    wb = openpyxl.Workbook()

    def put(ws, rows):
        for r, row in enumerate(rows, 1):
            for c, v in enumerate(row, 1):
                if v is None:
                    continue
                cell = ws.cell(r, c, v)
                if isinstance(v, str):
                    cell.data_type = "s"  # never a formula in the input either

    vs = wb.active
    vs.title = "Vendors"
    put(vs, [["Vendor", "=Price", "+Uptime", "@Cert", "-Notes"],
             *[[v, 100 + 7 * i, 90 + i, "yes" if i != 1 else "no", f"=note {i}"]
               for i, v in enumerate(HOSTILE_VENDORS)]])  # fmt: skip
    put(wb.create_sheet("Criteria"), [
        ["Criterion", "Category", "Weight", "Direction", "Scale", "Min", "Max", "Must",
         "Description"],
        ["=Price", "=Cost", 3, "lower", "relative", None, None, None, "-cheaper is better"],
        ["+Uptime", "+Quality", 2, "higher", "absolute", 80, 100, ">= 85", None],
        ["@Cert", "+Quality", 1, "higher", "yes/no", None, None, "yes", None],
        ["-Demo", "+Quality", 2, "higher", "absolute", 1, 5, None, "@from the workshop"],
    ])  # fmt: skip
    put(wb.create_sheet("Categories"), [["Category", "Weight"], ["=Cost", 2], ["+Quality", 1]])
    put(wb.create_sheet("Scores"), [
        ["Evaluator", "Vendor", "Criterion", "Score", "Comment"],
        *[[e, v, "-Demo", 1 + (i + k) % 5, c]
          for i, v in enumerate(HOSTILE_VENDORS)
          for k, (e, c) in enumerate([("=Eve", "@SUM(A1)"), ("-Bob", "+1+1 great")])],
    ])  # fmt: skip
    wb.save(path)


@pytest.fixture
def hostile(tmp_path):
    from vendor_eval.workbook.importing.load import load_evaluation

    src = tmp_path / "=hostile.xlsx"
    hostile_workbook(src)
    ev = load_evaluation(src)
    assert ev.vendors == HOSTILE_VENDORS and ev.scores is not None
    return ev


def test_every_formula_like_text_cell_is_a_quoted_string(hostile):
    rk = score(hostile)
    data = write_export(rk)
    wb = load(data)
    seen = set()
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.data_type == "s" and str(c.value).startswith(FORMULA_LEADERS):
                    assert c.quotePrefix, (ws.title, c.coordinate, c.value)
                    seen.add(c.value)
                if c.data_type == "f":  # formulas are the tool's own: no user text in them
                    assert "HACK" not in c.value and "=Price" not in c.value, c.value
    want = {*HOSTILE_VENDORS[:4], "=Price", "+Uptime", "@Cert", "-Demo", "=Cost", "+Quality",
            "=Eve", "-Bob", "@SUM(A1)", "+1+1 great", "-Notes", "=note 0", "=hostile.xlsx",
            "-cheaper is better", "@from the workshop", "=Cost (category)",
            "+Quality (category)"}  # fmt: skip
    assert want <= seen, want - seen
    raw = b"".join(zipfile.ZipFile(io.BytesIO(data)).read(n) for n in ["xl/workbook.xml"])
    assert b"HACK" not in raw  # no defined name or sheet name carries user text


def test_hostile_export_reimports_to_the_same_ranking(hostile, tmp_path):
    from vendor_eval.workbook.importing.load import load_evaluation

    for missing in ("worst", "exclude"):
        rk = score(hostile, missing=missing)
        out = tmp_path / f"again-{missing}.xlsx"
        write_export(rk, out, sensitivity=SENS)
        ev2 = load_evaluation(out)
        assert ev2.vendors == hostile.vendors
        assert [c.name for c in ev2.criteria] == [c.name for c in hostile.criteria]
        assert ev2.category_names == hostile.category_names
        again = score(ev2, missing=missing)
        assert list(again.table.index) == list(rk.table.index)
        assert again.table["rank"].tolist() == rk.table["rank"].tolist()
        np.testing.assert_allclose(again.table["score"], rk.table["score"], atol=1e-9)
        assert again.table["reasons"].tolist() == rk.table["reasons"].tolist()
        pd.testing.assert_frame_equal(
            ev2.scores.reset_index(drop=True), hostile.scores.reset_index(drop=True)
        )
        assert ev2.descriptive["-Notes"].tolist() == hostile.descriptive["-Notes"].tolist()


def test_audit_lists_every_warning_and_message(rng):
    from vendor_eval.core.problems import Problem

    ev = random_evaluation(rng, n_vendors=5, n_criteria=4)
    ev.warnings = [
        Problem("=150 is above Max 100", "Vendors", 7, "C", "Uptime", "warning"),
        Problem("unused category 'Spare'", "Criteria", 3, "B", "Category", "warning"),
    ]
    rk = score(ev)
    ws = load(write_export(rk, sensitivity=SENS), data_only=True)["Audit"]
    rows = [tuple(r[:2]) for r in ws.iter_rows(values_only=True)]
    head = rows.index(("Warnings (2)", None))
    assert [r[1] for r in rows[head + 1 : head + 3]] == [str(w) for w in ev.warnings]
    mhead = rows.index((f"Messages ({len(rk.messages)})", None))
    assert [r[1] for r in rows[mhead + 1 : mhead + 1 + len(rk.messages)]] == list(rk.messages)


# -- CSV: the same OWASP rule as the export ---------------------------------------------------
@pytest.mark.parametrize("text", ["=1", "+1", "-1", "@A", "\tx", "\rx", "\nx", "ok", "a=1", ""])
def test_rank_csv_protects_like_the_export(text):
    assert protect_cell(text) == csv_safe(text)


def test_rank_csv_vendor_starting_with_a_line_break_is_quoted(rng):
    ev = random_evaluation(rng, n_vendors=3, n_criteria=3)
    names = ["\n=1+1", "+2", "Fine"]
    ev.vendors = names
    ev.values = ev.values.set_axis(names)
    ev.descriptive = ev.descriptive.set_axis(names)
    rows = list(csv.reader(io.StringIO(format_csv(score(ev)))))
    # the line break is a leader, and so is the "=" after it (a new line for a reader that
    # does not honour the quotes): test_csv_injection.py opens it with every separator
    assert sorted(r[1] for r in rows[1:]) == sorted(["'\n'=1+1", "'+2", "Fine"])
