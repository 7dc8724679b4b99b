"""The Excel export read back with openpyxl: sheets, headers, formulas and cached values."""

from __future__ import annotations

import io
import math
import os

import numpy as np
import openpyxl
import pandas as pd
import pytest
from conftest import SAMPLE, make_evaluation, random_evaluation

from vendor_eval.core.limits import EXCEL_CELL_LIMIT
from vendor_eval.core.model import Category, Criterion, Direction, MustRule
from vendor_eval.core.problems import VendorEvalError
from vendor_eval.output.excel.cache import CacheError, fill_sheet
from vendor_eval.output.excel.export import write_export
from vendor_eval.output.excel.sheets import SUMMARY_FIRST, SUMMARY_HEADER_ROW
from vendor_eval.output.safety import csv_safe
from vendor_eval.scoring.scorer import score

SENS = {
    "leader": "V1",
    "verdict": "V1 ranks first in 80% of weight samples.",
    "p_first": {"V1": 0.8, "V2": 0.2},
    "rank_probabilities": {},
    "critical": [
        {"factor": "C1", "kind": "criterion", "current": 0.25, "threshold": 0.4,
         "new_leader": "V2"},
        {"factor": "Cat2", "kind": "category", "current": 0.5, "threshold": None,
         "new_leader": None},
    ],
}  # fmt: skip
CASES = [("wsm", "worst"), ("wsm", "mean"), ("wsm", "exclude"), ("topsis", "worst")]


def load(data: bytes, data_only: bool) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data), data_only=data_only)


def rows_by_vendor(ws, first_row: int = 2) -> dict[str, int]:
    if ws.title == "Summary":  # the table under the header block, up to its first empty row
        rows = range(SUMMARY_FIRST, ws.max_row + 1)
        last = next((r for r in rows if ws.cell(r, 2).value is None), ws.max_row + 1)
        return {ws.cell(r, 2).value: r for r in range(SUMMARY_FIRST, last)}
    return {ws.cell(r, 1).value: r for r in range(first_row, ws.max_row + 1)}


def close(a: object, b: float) -> bool:
    return isinstance(a, int | float) and math.isclose(a, b, rel_tol=0, abs_tol=1e-9)


@pytest.fixture(params=CASES, ids=["-".join(c) for c in CASES])
def exported(request, rng):
    method, missing = request.param
    ev = random_evaluation(rng, n_vendors=9, n_criteria=7, n_categories=3, missing_rate=0.2)
    ranking = score(ev, method=method, missing=missing)
    data = write_export(ranking, sensitivity=SENS)
    return ranking, data


def test_sheets_and_summary_headers(exported):
    ranking, data = exported
    wb = load(data, data_only=False)
    expected = ["Summary", "Weights", "Criterion scores", "Contributions", "Sensitivity",
                "Data", "Vendors", "Criteria", "Categories", "Settings", "Audit"]  # fmt: skip
    assert wb.sheetnames == expected
    heads = [c.value for c in wb["Summary"][SUMMARY_HEADER_ROW]]
    cats = [f"{c} (category)" for c in ranking.category_scores.columns]
    live = ["WSM score (live)", "WSM rank (live)"] if ranking.method.value == "topsis" else []
    assert heads == ["Rank", "Vendor", "Status", "Score", *live, *cats, "Completeness",
                     "Disqualified at", "Reasons", "Strengths", "Weaknesses"]  # fmt: skip
    assert wb["Summary"].freeze_panes == f"C{SUMMARY_FIRST}" == "C7"
    assert len(wb["Summary"].conditional_formatting) == 2


def test_every_formula_has_the_tools_cached_value(exported):
    ranking, data = exported
    wf, wv = load(data, data_only=False), load(data, data_only=True)
    # a category the vendor has no data in (exclude) caches an empty result: no 0 shown
    no_data = {c.coordinate for row in wf["Summary"].iter_rows() for c in row if c.comment}
    n_formulas = 0
    for ws in wf.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.data_type == "f":
                    n_formulas += 1
                    if ws.title == "Summary" and c.coordinate in no_data:
                        assert wv[ws.title][c.coordinate].value in (None, "")
                        continue
                    assert wv[ws.title][c.coordinate].value is not None, (ws.title, c.coordinate)
    n, m = len(ranking.vendors), len(ranking.weights)
    k = len(ranking.category_scores.columns)
    # Summary: score+rank (+ live WSM pair), categories, completeness; Contributions: m+1;
    # Criterion scores: 2 rows of m; Weights: m*(3) + total + 3 per category; Criteria: m.
    per_vendor = 2 + k + 1 + m + 1
    assert n_formulas >= n * per_vendor + 2 * m + 3 * m + m

    s = wv["Summary"]
    t = ranking.table
    cols = {c.value: c.column for c in s[SUMMARY_HEADER_ROW]}
    for v, r in rows_by_vendor(s).items():
        score_col = "WSM score (live)" if ranking.method.value == "topsis" else "Score"
        wsm = float(ranking.contributions.loc[v].sum())
        assert close(s.cell(r, cols[score_col]).value, wsm)
        assert close(s.cell(r, cols["Score"]).value, float(t.at[v, "score"]))
        assert close(s.cell(r, cols["Completeness"]).value, float(t.at[v, "completeness"]))
        rank = ranking.rank(v)
        assert s.cell(r, 1).value == rank or (rank is None and s.cell(r, 1).value in ("", None))
        for cat in ranking.category_scores.columns:
            got = s.cell(r, cols[f"{cat} (category)"]).value
            if ranking.category_no_data.at[v, cat]:  # no data: empty, not 0
                assert got in (None, ""), (v, cat)
                continue
            assert close(got, float(ranking.category_scores.at[v, cat])), (v, cat)
    contrib = wv["Contributions"]
    heads = [c.value for c in contrib[1]]
    for v, r in rows_by_vendor(contrib).items():
        for j, name in enumerate(heads[1:-1], 2):
            assert close(contrib.cell(r, j).value, float(ranking.contributions.at[v, name]))
        assert close(contrib.cell(r, len(heads)).value, float(ranking.contributions.loc[v].sum()))
    cs = wv["Criterion scores"]
    for j, name in enumerate([c.value for c in cs[1]][1:], 2):
        assert close(cs.cell(2, j).value, float(ranking.weights[name]))
        for v, r in rows_by_vendor(cs, first_row=4).items():
            want = float(ranking.normalised.at[v, name])
            got = cs.cell(r, j).value
            assert (got is None) if math.isnan(want) else close(got, want)
    w = wv["Weights"]
    for r in range(2, 2 + m):
        assert close(w.cell(r, 6).value, float(ranking.weights[w.cell(r, 1).value]))
    assert close(w.cell(2 + m, 6).value, 1.0)


def test_weights_formulas_follow_design_3_1():
    ev = make_evaluation(
        {"a": [1, 2], "b": [3, 1], "c": [5, 5]},
        criteria=[Criterion("a", "X", 2.0), Criterion("b", "Y", 1.0), Criterion("c", "X", 6.0)],
        categories=[Category("X", 1.0), Category("Y", 3.0)],
    )
    wb = load(write_export(score(ev), sensitivity=SENS), data_only=False)
    w = wb["Weights"]
    # grouped by category: a, c (X) then b (Y); categories in I2:I3
    assert [w.cell(r, 1).value for r in (2, 3, 4)] == ["a", "c", "b"]
    assert w["F2"].value == "=IF(SUM($C$2:$C$3)=0,0,D2/SUM($J$2:$J$3)*C2/SUM($C$2:$C$3))"
    assert w["D4"].value == "=$J$3"
    cached = load(write_export(score(ev), sensitivity=SENS), data_only=True)["Weights"]
    # w_a = 1/4 · 2/8, w_c = 1/4 · 6/8, w_b = 3/4
    assert [cached[f"F{r}"].value for r in (2, 3, 4)] == pytest.approx([1 / 16, 3 / 16, 3 / 4])
    assert wb["Criteria"]["C2"].value == "='Weights'!$C$2"
    assert wb["Criteria"]["C3"].value == "='Weights'!$C$4"  # b sits on Weights row 4
    s = wb["Summary"]
    assert s["D7"].value.startswith("=100*SUMPRODUCT('Criterion scores'!$B$2:$D$2,")


def test_flat_weights_and_topsis_sensitivity_note(rng):
    ev = random_evaluation(rng, n_vendors=5, n_criteria=4, n_categories=None)
    data = write_export(score(ev, method="topsis"))
    wb = load(data, data_only=True)
    assert "Categories" not in wb.sheetnames
    assert wb["Weights"]["E2"].value == pytest.approx(float(score(ev).weights.iloc[0]))
    assert "Not computed" in wb["Sensitivity"]["A2"].value
    audit = [r[1] for r in wb["Audit"].iter_rows(values_only=True) if r[1] is not None]
    assert any("TOPSIS scores" in str(x) for x in audit)


def test_sensitivity_sheet_from_dict(exported):
    _, data = exported
    ws = load(data, data_only=True)["Sensitivity"]
    rows = [tuple(r) for r in ws.iter_rows(values_only=True)]
    assert ("Verdict", SENS["verdict"]) == rows[1][:2]
    assert ("V1", 0.8) in [r[:2] for r in rows]
    assert ("C1", "criterion", 0.25, 0.4, "V2") in [r[:5] for r in rows]
    assert ("Cat2", "category", 0.5, "none", "—") in [r[:5] for r in rows]


def test_sensitivity_computed_when_not_given(rng):
    ev = random_evaluation(rng, n_vendors=6, n_criteria=4)
    ws = load(write_export(score(ev)), data_only=True)["Sensitivity"]
    assert ws["A2"].value == "Verdict"
    assert isinstance(ws["B2"].value, str) and len(ws["B2"].value) > 10


def test_audit_records_run(rng):
    ev = random_evaluation(rng, n_vendors=4, n_criteria=3)
    ev.source_name, ev.source_sha256 = "shortlist.xlsx", "ab" * 32
    import datetime as dt

    when = dt.datetime(2024, 5, 6, 7, 8, 9, tzinfo=dt.UTC)
    data = write_export(score(ev, missing="mean"), sensitivity=SENS, generated_at=when)
    items = {r[0]: r[1] for r in load(data, True)["Audit"].iter_rows(values_only=True) if r[0]}
    assert items["Method"] == "wsm"
    assert items["Missing-value policy"] == "mean"
    assert items["Generated (UTC)"] == "2024-05-06T07:08:09Z"
    assert items["Input file"] == "shortlist.xlsx"
    assert items["Input SHA-256"] == "ab" * 32
    assert (items["Vendors"], items["Criteria"]) == (4, 3)
    from vendor_eval import __version__

    assert items["Tool"] == f"vendor_eval {__version__}"


HOSTILE = ['=HYPERLINK("http://x","y")', "+1+1", "@SUM(1)", "-2", "\tTab", "\rCR", "=1+1"]
WANT = [h.replace("\r", "\n") for h in HOSTILE]  # a CR in a cell is a line break (LF)


def test_user_text_is_always_text():
    vendors = HOSTILE
    ev = make_evaluation({"Price": [1, 2, 3, 4, 5, 6, 7]}, vendors=vendors)
    ev.descriptive = pd.DataFrame({"Notes": HOSTILE[::-1]}, index=vendors, dtype=object)
    ev.criteria = [Criterion("Price", "=Cat", 1.0, Direction.LOWER,
                             must=MustRule("=", 1.0, "= 1"))]  # fmt: skip
    data = write_export(score(ev), sensitivity=SENS)
    wb = load(data, data_only=False)
    seen = 0
    for title, col in [("Summary", 2), ("Data", 1), ("Vendors", 1), ("Data", 3)]:
        ws = wb[title]
        first = SUMMARY_FIRST if title == "Summary" else 2
        for r in range(first, first + len(HOSTILE)):
            c = ws.cell(r, col)
            assert c.value in WANT and c.data_type == "s", (title, c.coordinate, c.value)
            assert c.quotePrefix, (title, c.coordinate)
            seen += 1
    assert seen == 4 * len(HOSTILE)
    crit = wb["Criteria"]
    assert (crit["B2"].value, crit["B2"].data_type, crit["I2"].value) == ("=Cat", "s", "= 1")
    assert crit["I2"].quotePrefix
    # the raw XML holds them as inline strings, never as <f> formulas
    import zipfile

    z = zipfile.ZipFile(io.BytesIO(data))
    assert b"<f>HYPERLINK" not in b"".join(z.read(n) for n in z.namelist())


def test_control_characters_and_overlong_text_are_visible_and_audited():
    long = "x" * 40_000
    ev = make_evaluation({"Price": [1, 2]}, vendors=["Bell\x07Co", "Plain"])
    ev.descriptive = pd.DataFrame({"Notes": [long, "ok\x00"]}, index=ev.vendors, dtype=object)
    wb = load(write_export(score(ev), sensitivity=SENS), data_only=True)
    names = {wb["Data"].cell(r, 1).value for r in (2, 3)}
    assert names == {"Bell\ufffdCo", "Plain"}
    notes = {wb["Data"].cell(r, 1).value: wb["Data"].cell(r, 3).value for r in (2, 3)}
    assert notes["Plain"] == "ok\ufffd"
    cut = notes["Bell\ufffdCo"]
    assert len(cut) == EXCEL_CELL_LIMIT
    assert cut.endswith("… [truncated, 40,000 characters in full]")
    audit = " ".join(str(r[1]) for r in wb["Audit"].iter_rows(values_only=True) if r[1])
    assert "Data!C2: text of 40,000 characters cut" in audit or "Data!C3: text of 40,000" in audit
    assert "control character that Excel cannot store replaced" in audit


def test_csv_safe_follows_owasp():
    assert [csv_safe(x) for x in ["=1", "+1", "-1", "@A", "\tx", "\rx", "ok", "a=1", ""]] == [
        "'=1", "'+1", "'-1", "'@A", "'\tx", "'\rx", "ok", "a=1", ""]  # fmt: skip


def test_targets_path_file_object_and_atomic_failure(tmp_path, rng, monkeypatch):
    rk = score(random_evaluation(rng, n_vendors=3, n_criteria=3))
    data = write_export(rk, sensitivity=SENS)
    assert data[:2] == b"PK"
    buf = io.BytesIO()
    assert write_export(rk, buf, sensitivity=SENS) is None
    assert buf.getvalue()[:2] == b"PK"
    out = tmp_path / "ranking.xlsx"
    write_export(rk, out, sensitivity=SENS)
    assert openpyxl.load_workbook(out).sheetnames[0] == "Summary"
    out.write_bytes(b"previous")

    def boom(*a, **k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(VendorEvalError, match="No space left"):
        write_export(rk, out, sensitivity=SENS)
    assert out.read_bytes() == b"previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ranking.xlsx"]
    with pytest.raises(VendorEvalError, match="does not exist"):
        write_export(rk, tmp_path / "nope" / "x.xlsx", sensitivity=SENS)


def test_cache_fill_refuses_gaps():
    xml = b'<sheetData><row r="1"><c r="A1"><f>1+1</f><v /></c></row></sheetData>'
    assert b"<v>2</v>" in fill_sheet(xml, {"A1": 2})
    assert b't="str"><f>1+1</f><v></v>' in fill_sheet(xml, {"A1": ""})
    with pytest.raises(CacheError):
        fill_sheet(xml, {})
    with pytest.raises(CacheError):
        fill_sheet(xml, {"A1": 1, "B9": 2})


def test_round_trip_reimport_reproduces_ranking(tmp_path):
    from vendor_eval.workbook.importing.load import load_evaluation

    ev = load_evaluation(SAMPLE)
    for method, missing in [("wsm", "worst"), ("wsm", "exclude"), ("topsis", "mean")]:
        rk = score(ev, method=method, missing=missing)
        out = tmp_path / f"{method}-{missing}.xlsx"
        write_export(rk, out, sensitivity=SENS)
        again = score(load_evaluation(out), method=method, missing=missing)
        assert list(again.table.index) == list(rk.table.index)
        assert again.table["rank"].tolist() == rk.table["rank"].tolist()
        np.testing.assert_allclose(again.table["score"], rk.table["score"], atol=1e-9)
        assert again.table["reasons"].tolist() == rk.table["reasons"].tolist()
        pd.testing.assert_frame_equal(again.category_scores, rk.category_scores, atol=1e-9)
        assert list(again.evaluation.descriptive.columns) == list(ev.descriptive.columns)


def test_cli_rank_out_writes_the_export(tmp_path):
    from vendor_eval.cli import main

    out = tmp_path / "ranking.xlsx"
    assert main(["rank", str(SAMPLE), "--out", str(out), "--format", "json"]) == 0
    wb = openpyxl.load_workbook(out, data_only=True)
    assert wb.sheetnames[0] == "Summary" and wb["Summary"][f"A{SUMMARY_FIRST}"].value == 1


def test_summary_table_under_its_header_block_refers_to_each_vendors_rows():
    # Summary's vendors start on row 7 (the header block above them), Data's and
    # Contributions' on row 2, Criterion scores' on row 4: each formula keeps to its vendor
    ev = make_evaluation({"a": [1, 2, 3], "b": [3, 1, 2]}, vendors=["X", "Y", "Z"])
    wb = load(write_export(score(ev, missing="exclude"), sensitivity=SENS), data_only=False)
    s, c = wb["Summary"], wb["Contributions"]
    heads = [h.value for h in s[SUMMARY_HEADER_ROW]]
    comp = openpyxl.utils.get_column_letter(heads.index("Completeness") + 1)
    order = [s.cell(r, 2).value for r in (7, 8, 9)]
    assert sorted(order) == ["X", "Y", "Z"]
    assert order == [wb["Data"].cell(r, 1).value for r in (2, 3, 4)]
    assert order == [c.cell(r, 1).value for r in (2, 3, 4)]
    assert s[f"{comp}7"].value == "=SUMPRODUCT('Criterion scores'!$B$2:$C$2,--('Data'!B2:C2<>\"\"))"
    assert s["D7"].value.endswith(f"'Criterion scores'!B4:C4)/{comp}7,0)")
    assert s["A7"].value.startswith('=IF(C7="Qualified",SUMPRODUCT(($C$7:$C$9="Qualified")')
    assert c["B2"].value.endswith(f"'Summary'!${comp}7)")
    assert c["B2"].value.startswith("=IF(OR('Criterion scores'!B4=\"\",")
