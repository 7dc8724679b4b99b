"""The export recalculated by a real spreadsheet engine (LibreOffice headless).

LibreOffice does not recalculate xlsx files on load by default (it trusts cached values),
so each conversion runs with a private profile whose registry sets
``Calc/Formula/Load/OOXMLRecalcMode = 0`` (always recalculate). The first test proves the
harness really recalculates.
"""

from __future__ import annotations

import dataclasses
import io
import math
from pathlib import Path

import openpyxl
import pytest
from conftest import SAMPLE, random_evaluation, soffice_convert
from openpyxl import Workbook

from vendor_eval.output.excel.cache import add_cached_values
from vendor_eval.output.excel.export import write_export
from vendor_eval.scoring.scorer import score

pytestmark = pytest.mark.libreoffice

SENS = {"leader": None, "verdict": "n/a", "p_first": {}, "critical": []}


def recalc(soffice: str, src: Path, tmp: Path) -> Path:
    """Convert ``src`` to xlsx with LibreOffice, recalculating every formula."""
    return soffice_convert(soffice, src, tmp, recalculate=True)


def formula_cells(path: Path) -> dict[tuple[str, str], str]:
    wb = openpyxl.load_workbook(path)
    return {
        (ws.title, c.coordinate): c.value
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.data_type == "f"
    }


def same(a: object, b: object) -> bool:
    if a in (None, "") and b in (None, ""):
        return True
    if isinstance(a, int | float) and isinstance(b, int | float):
        return math.isclose(a, b, rel_tol=0, abs_tol=1e-9)
    return a == b


def test_harness_really_recalculates(soffice_path, tmp_path):
    wb = Workbook()
    wb.active["A1"] = 2
    wb.active["B1"] = "=A1*3"
    buf = io.BytesIO()
    wb.save(buf)
    src = tmp_path / "wrong.xlsx"
    src.write_bytes(add_cached_values(buf.getvalue(), {"Sheet": {"B1": 99}}))
    assert openpyxl.load_workbook(src, data_only=True).active["B1"].value == 99
    out = recalc(soffice_path, src, tmp_path)
    assert openpyxl.load_workbook(out, data_only=True).active["B1"].value == 6


@pytest.mark.parametrize("missing", ["worst", "exclude"])
def test_every_formula_recalculates_to_the_tools_value(soffice_path, tmp_path, rng, missing):
    ev = random_evaluation(rng, n_vendors=8, n_criteria=7, n_categories=3, missing_rate=0.25)
    names = [*ev.vendors[:2], '=HYPERLINK("http://x")', *ev.vendors[3:]]
    ev = dataclasses.replace(
        ev,
        vendors=names,
        values=ev.values.set_axis(names),
        descriptive=ev.descriptive.set_axis(names),
    )
    rk = score(ev, missing=missing)
    src = tmp_path / f"export-{missing}.xlsx"
    write_export(rk, src, sensitivity=SENS)
    mine = openpyxl.load_workbook(src, data_only=True)
    out = recalc(soffice_path, src, tmp_path)
    theirs = openpyxl.load_workbook(out, data_only=True)
    cells = formula_cells(src)
    assert len(cells) > 8 * 10
    bad = [
        (sheet, ref, mine[sheet][ref].value, theirs[sheet][ref].value)
        for sheet, ref in cells
        if not same(mine[sheet][ref].value, theirs[sheet][ref].value)
    ]
    assert not bad, bad[:10]
    # the hostile vendor name is still text after LibreOffice's round trip
    names = [theirs["Summary"].cell(r, 2).value for r in range(7, 15)]  # under the header block
    assert '=HYPERLINK("http://x")' in names
    assert all(theirs["Summary"].cell(r, 2).data_type == "s" for r in range(7, 15))


def test_changed_weights_recompute_like_the_tool(soffice_path, tmp_path, rng):
    ev = random_evaluation(rng, n_vendors=10, n_criteria=8, n_categories=3, missing_rate=0.1)
    rk = score(ev)
    src = tmp_path / "export.xlsx"
    write_export(rk, src, sensitivity=SENS)
    # the analyst edits two weights in Excel: criterion C1 ×10, category Cat2 → 0.5
    wb = openpyxl.load_workbook(src)
    w = wb["Weights"]
    crit_row = next(r for r in range(2, w.max_row + 1) if w.cell(r, 1).value == "C1")
    cat_row = next(r for r in range(2, w.max_row + 1) if w.cell(r, 9).value == "Cat2")
    new_c1 = 10 * w.cell(crit_row, 3).value
    w.cell(crit_row, 3).value = new_c1
    w.cell(cat_row, 10).value = 0.5
    edited = tmp_path / "edited.xlsx"
    wb.save(edited)
    out = openpyxl.load_workbook(recalc(soffice_path, edited, tmp_path), data_only=True)
    want = score(ev.with_weights({"C1": new_c1}, {"Cat2": 0.5}))
    assert want.leader != rk.leader or list(want.table.index) != list(rk.table.index)
    s = out["Summary"]
    cats = list(want.category_scores.columns)
    for r in range(7, 7 + len(ev.vendors)):
        v = s.cell(r, 2).value
        assert same(s.cell(r, 4).value, want.score(v)), v
        assert same(s.cell(r, 1).value, want.rank(v)), (v, s.cell(r, 1).value, want.rank(v))
        for k, cat in enumerate(cats):
            assert same(s.cell(r, 5 + k).value, float(want.category_scores.at[v, cat]))
        assert same(s.cell(r, 5 + len(cats)).value, float(want.table.at[v, "completeness"]))
    # re-importing the recalculated file uses the edited weights too
    from vendor_eval.workbook.importing.load import load_evaluation

    again = score(load_evaluation(out_path := tmp_path / "out-edited" / "edited.xlsx"))
    assert out_path.exists()
    assert again.table["rank"].tolist() == want.table["rank"].tolist()


def test_sample_export_opens_in_libreoffice(soffice_path, tmp_path):
    from vendor_eval.workbook.importing.load import load_evaluation

    rk = score(load_evaluation(SAMPLE))
    src = tmp_path / "sample-export.xlsx"
    write_export(rk, src)
    out = recalc(soffice_path, src, tmp_path)
    assert openpyxl.load_workbook(out).sheetnames == openpyxl.load_workbook(src).sheetnames
    s = openpyxl.load_workbook(out, data_only=True)["Summary"]
    assert s["B7"].value == rk.leader and s["A7"].value == 1


# -- a staged evaluation: a ratio price, a category and a quality minimum ------------------
def recalculated_like_the_tool(soffice: str, rk, tmp: Path, name: str):
    """Write ``rk``'s export, recalculate it in LibreOffice, and check every formula cell
    against the tool's cached value; returns LibreOffice's workbook (values)."""
    src = tmp / f"{name}.xlsx"
    write_export(rk, src, sensitivity=SENS)
    mine = openpyxl.load_workbook(src, data_only=True)
    theirs = openpyxl.load_workbook(recalc(soffice, src, tmp), data_only=True)
    cells = formula_cells(src)
    bad = [
        (sheet, ref, mine[sheet][ref].value, theirs[sheet][ref].value)
        for sheet, ref in cells
        if not same(mine[sheet][ref].value, theirs[sheet][ref].value)
    ]
    assert not bad, bad[:10]
    return theirs, len(cells)


@pytest.mark.parametrize(
    ("method", "missing"), [("wsm", "worst"), ("wsm", "exclude"), ("topsis", "mean")]
)
def test_a_staged_export_recalculates_to_the_tools_values(soffice_path, tmp_path, method, missing):
    from test_export_price import staged_evaluation

    ev = staged_evaluation()
    ev.values.loc["Dyno", "Features"] = float("nan")  # the policies differ
    rk = score(ev, method=method, missing=missing)
    assert rk.stages["Cheapco"] == "minimum" and rk.stage_of("Eagle") == "must-have"
    theirs, n = recalculated_like_the_tool(soffice_path, rk, tmp_path, f"{method}-{missing}")
    assert n > 5 * 6
    s = theirs["Summary"]
    heads = [c.value for c in s[6]]
    rank = heads.index("WSM rank (live)") + 1 if method == "topsis" else 1
    status = {s.cell(r, 2).value: (s.cell(r, rank).value, s.cell(r, 3).value)
              for r in range(7, 12)}  # fmt: skip
    # the vendor out at the minimum stays unranked in the live formulas, like the gated one
    for v in ("Cheapco", "Eagle"):
        assert status[v][0] in (None, "") and status[v][1] == "Disqualified", v
    assert sorted(status[v][0] for v in rk.qualified) == list(range(1, len(rk.qualified) + 1))
    assert len(rk.qualified) == (2 if missing == "worst" else 3)  # worst: Dyno's Features 0


def test_a_staged_export_recomputes_an_edited_weight_like_the_tool(soffice_path, tmp_path):
    """Cost's weight 1 → 3: every category score stays as it was, so the minimums judge the
    same vendors and the live totals are the tool's with the new weights (Bolt 90)."""
    from test_export_price import staged_evaluation

    ev = staged_evaluation()
    src = tmp_path / "staged.xlsx"
    write_export(score(ev), src, sensitivity=SENS)
    wb = openpyxl.load_workbook(src)
    w = wb["Weights"]
    cat_row = next(r for r in range(2, w.max_row + 1) if w.cell(r, 9).value == "Cost")
    w.cell(cat_row, 10).value = 3
    edited = tmp_path / "edited.xlsx"
    wb.save(edited)
    out = openpyxl.load_workbook(recalc(soffice_path, edited, tmp_path), data_only=True)
    want = score(ev.with_weights(None, {"Cost": 3.0}))
    assert want.stages == {"Eagle": "must-have", "Cheapco": "minimum"}
    assert want.score("Bolt") == pytest.approx(90.0)
    s = out["Summary"]
    for r in range(7, 12):
        v = s.cell(r, 2).value
        assert same(s.cell(r, 4).value, want.score(v)), v
        assert same(s.cell(r, 1).value, want.rank(v)), (v, s.cell(r, 1).value, want.rank(v))
