"""The bundled sample: reproducible from its script, loads cleanly, and is instructive."""

from __future__ import annotations

import importlib.util
import math
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from vendor_eval.core.model import Evaluation, Scale
from vendor_eval.workbook.defaults import DEFAULT_CATEGORIES, DEFAULT_CRITERIA

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
FILES = ("sample_vendors.xlsx", "sample_scores.xlsx", "sample_vendors.csv")


def _load_script():
    spec = importlib.util.spec_from_file_location("make_sample", DATA / "make_sample.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


ms = _load_script()


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sample")
    assert ms.main([str(out)]) == 0
    return out


def _sheet_dump(path: Path) -> dict[str, list[list[object]]]:
    wb = openpyxl.load_workbook(path)
    return {
        ws.title: [[(c.value, c.number_format) for c in row] for row in ws.iter_rows()]
        for ws in wb.worksheets
    }


# -- the committed files are exactly what the script produces -------------------------------
@pytest.mark.parametrize(
    "name", ["sample_vendors.xlsx", "sample_scores.xlsx", "sample_monitoring.xlsx"]
)
def test_committed_workbook_matches_script(regenerated: Path, name: str) -> None:
    committed, fresh = _sheet_dump(DATA / name), _sheet_dump(regenerated / name)
    assert list(committed) == list(fresh)
    for sheet in fresh:
        assert committed[sheet] == fresh[sheet], f"{name}!{sheet} differs: run make_sample.py"


@pytest.mark.parametrize("name", FILES)
def test_regeneration_is_byte_identical(regenerated: Path, name: str) -> None:
    assert (DATA / name).read_bytes() == (regenerated / name).read_bytes()


# -- content ---------------------------------------------------------------------------------
def test_sample_workbook_layout() -> None:
    wb = openpyxl.load_workbook(DATA / "sample_vendors.xlsx")
    assert wb.sheetnames == ["Read me", "Vendors", "Criteria", "Categories"]
    ws = wb["Vendors"]
    headers = [c.value for c in ws[1]]
    assert headers[:4] == ["Vendor", "Website", "Country", "Contact"]
    assert headers[-1] == "Notes"
    assert headers[4:-1] == [c.name for c in DEFAULT_CRITERIA]
    assert ws.max_row == 12  # header + 11 vendors
    assert ws.freeze_panes == "B2"
    names = [ws.cell(row=r, column=1).value for r in range(2, 13)]
    assert len(set(names)) == 11
    websites = [ws.cell(row=r, column=2).value for r in range(2, 13)]
    assert all(w.startswith("https://") and w.endswith(".example") for w in websites)
    # percentages are fractions shown with a % format, as Excel stores them
    col = headers.index("SLA uptime") + 1
    cell = ws.cell(row=2, column=col)
    assert cell.value == pytest.approx(0.999)
    assert cell.number_format == "0.0%"
    # ISO 27001: exactly one "no", and a yes/no drop-down on the column
    iso = headers.index("ISO 27001") + 1
    iso_values = [ws.cell(row=r, column=iso).value for r in range(2, 13)]
    assert iso_values.count("no") == 1 and iso_values.count("yes") == 10
    assert names[iso_values.index("no")] == "Redfern Cloud Partners"
    letter = openpyxl.utils.get_column_letter(iso)
    lists = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation}
    assert lists[f"{letter}2:{letter}1000"] == '"yes,no"'


def test_sample_model_sheets_explain_themselves() -> None:
    wb = openpyxl.load_workbook(DATA / "sample_vendors.xlsx")
    crit = list(wb["Criteria"].iter_rows(values_only=True))
    assert crit[0] == (
        "Criterion", "Category", "Weight", "Direction", "Scale", "Formula", "Min", "Max", "Must",
        "Goal", "Description",
    )  # fmt: skip
    assert len(crit) == 1 + len(DEFAULT_CRITERIA)
    assert all(r[9] is None for r in crit[1:])  # the Goal column, for a project's goals
    assert all(isinstance(r[10], str) and len(r[10]) > 40 for r in crit[1:])
    musts = {r[0]: r[8] for r in crit[1:] if r[8] is not None}
    assert musts == {"ISO 27001": "yes", "Financial stability": ">= 2"}
    cats = list(wb["Categories"].iter_rows(values_only=True))
    assert [r[0] for r in cats[1:]] == [k.name for k in DEFAULT_CATEGORIES]
    assert sum(r[1] for r in cats[1:]) == 100
    assert all(len(r[3]) > 20 for r in cats[1:])
    readme = [r[0] for r in wb["Read me"].iter_rows(values_only=True) if r[0]]
    assert any("Redfern" in line and "disqualified" in line for line in readme)


def test_missing_values_and_must_criteria() -> None:
    missing = [
        (v, c) for v, row in ms.VALUES.items() for c, x in zip(ms.COLUMNS, row, strict=True)
        if x is None
    ]  # fmt: skip
    assert 3 <= len(missing) <= 8
    must = {c.name for c in ms.SAMPLE_CRITERIA if c.must is not None}
    assert not any(c in must for _, c in missing)  # a missing must-have would disqualify


def test_csv_is_the_vendors_table() -> None:
    lines = (DATA / "sample_vendors.csv").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 12
    assert lines[0].startswith("Vendor,Client rating,References checked,")
    assert lines[1].startswith("Northwind Systems,4.3,yes,18,42,9,yes,4,220,4,4,6,4,99.9%,")
    assert (
        "Umberline Solutions,4.1,yes,12,21,5,yes,4,120,4,6,4,4,99.8%,yes,yes,,3.5,,,58,"
        in (lines[10])
    )


def test_scores_sample_means_equal_vendor_values() -> None:
    rows = pd.DataFrame(ms.score_rows(), columns=["Evaluator", "Vendor", "Criterion", "S", "C"])
    assert set(rows["Criterion"]) == {"Technical fit", "Security assessment"}
    assert rows.groupby(["Vendor", "Criterion"]).size().eq(3).all()
    means = rows.groupby(["Vendor", "Criterion"])["S"].mean()
    for (vendor, criterion), mean in means.items():
        assert mean == pytest.approx(ms.VALUES[vendor][ms.COLUMNS.index(criterion)])
    # evaluators really disagree somewhere, and Silverbirch (not assessed) has no security score
    assert rows.groupby(["Vendor", "Criterion"])["S"].nunique().max() == 3
    assert ("Silverbirch Software", "Security assessment") not in means.index
    assert rows["S"].between(1, 5).all()


# -- scoring the sample: a clear leader, a close second and third, one disqualified ---------
def _direct_evaluation() -> Evaluation:
    frame = pd.DataFrame(ms.VALUES, index=ms.COLUMNS).T.astype(float)
    return Evaluation(
        vendors=list(frame.index),
        criteria=list(ms.SAMPLE_CRITERIA),
        categories=list(DEFAULT_CATEGORIES),
        values=frame,
        descriptive=pd.DataFrame(index=frame.index),
    )


def _oracle_wsm(values: pd.DataFrame) -> pd.Series:
    """docs/scoring.md §6 weighted sum, written out independently of vendor_eval.scoring.scorer."""
    cat_w = {k.name: k.weight for k in DEFAULT_CATEGORIES}
    qualified = (values["ISO 27001"] == 1) & (values["Financial stability"] >= 2)
    total = pd.Series(0.0, index=values.index)
    for c in ms.SAMPLE_CRITERIA:
        in_cat = sum(d.weight for d in ms.SAMPLE_CRITERIA if d.category == c.category)
        w = cat_w[c.category] / 100 * c.weight / in_cat
        x = values[c.name]
        if c.scale is Scale.YESNO:
            s = x
        elif c.scale is Scale.ABSOLUTE:
            s = ((x - c.min) / (c.max - c.min)).clip(0, 1)
        elif c.scale is Scale.PRICE:  # docs/scoring.md §12: lowest qualified price ÷ price
            total += 100 * w * (x[qualified].min() / x).clip(upper=1).fillna(0.0)
            continue
        else:
            lo, hi = x[qualified].min(), x[qualified].max()
            s = ((x - lo) / (hi - lo)).clip(0, 1)
        if c.direction.value == "lower":
            s = 1 - s
        total += 100 * w * s.fillna(0.0)
    return total


def test_sample_scores_as_designed() -> None:
    from vendor_eval.scoring.scorer import score

    ranking = score(_direct_evaluation())
    oracle = _oracle_wsm(_direct_evaluation().values)
    for v in ranking.vendors:
        assert ranking.score(v) == pytest.approx(oracle[v], abs=1e-9)
    assert ranking.qualified[:3] == [
        "Quillstone Consulting",
        "Northwind Systems",
        "Corvane Technologies",
    ]
    first, second, third = (ranking.score(v) for v in ranking.qualified[:3])
    assert first == pytest.approx(76.69, abs=0.01)
    assert 0.0 < first - second < 1.0  # a close call at the top, for the stress tests
    assert 4.0 < second - third < 6.0
    assert ranking.vendors[-1] == "Redfern Cloud Partners"
    assert ranking.rank("Redfern Cloud Partners") is None
    assert len(ranking.qualified) == 10
    # Redfern would have been a front-runner: fourth, between Corvane and Bluepeak
    assert ranking.score(ranking.qualified[2]) > ranking.score("Redfern Cloud Partners")
    assert ranking.score("Redfern Cloud Partners") > ranking.score(ranking.qualified[3])
    # the hourly rate is a ratio-scored price: Quillstone, the dearest (95 against Meridian's
    # 38), keeps 40% of the price points instead of none
    assert ranking.normalised.at["Quillstone Consulting", "Blended hourly rate"] == (
        pytest.approx(38 / 95)
    )
    # TOPSIS (price as a plain lower-is-better criterion) puts Northwind first: the methods
    # disagree, which the stress tests report
    topsis = score(_direct_evaluation(), method="topsis")
    assert topsis.leader == "Northwind Systems"
    # ISO 27001 is yes for every qualified vendor: an exactly equal reference range still
    # measures the disqualified vendor's distance (only a rounding-error range counts for
    # nothing, docs/scoring.md §4.6)
    assert topsis.score("Redfern Cloud Partners") == pytest.approx(64.62427287, abs=1e-6)


# -- through the importer (helper B) ----------------------------------------------------------
def test_sample_loads_and_scores() -> None:
    from vendor_eval.scoring.scorer import score
    from vendor_eval.workbook.importing.load import load_evaluation

    ev = load_evaluation(DATA / "sample_vendors.xlsx")
    assert ev.vendors == list(ms.VALUES)
    assert ev.criterion_names == ms.COLUMNS
    assert not ev.default_model
    assert ev.units == {}  # percent-formatted number cells are plain fractions: no unit
    expected = _direct_evaluation().values
    got = ev.values[ms.COLUMNS].astype(float)
    assert list(got.index) == list(expected.index)
    assert np.array_equal(got.to_numpy(), expected.to_numpy(), equal_nan=True)
    assert ev.descriptive.loc["Meridian Byteworks", "Country"] == "Vietnam"
    ranking = score(ev)
    assert [v for v in ranking.vendors if ranking.rank(v) is None] == ["Redfern Cloud Partners"]
    reasons = ranking.table.at["Redfern Cloud Partners", "reasons"]
    assert reasons == ["ISO 27001 must be yes (is no)"]
    assert ranking.leader == "Quillstone Consulting"


def test_sample_csv_loads_with_default_model() -> None:
    from vendor_eval.workbook.importing.load import load_evaluation

    ev = load_evaluation(DATA / "sample_vendors.csv")
    assert ev.default_model
    assert ev.vendors == list(ms.VALUES)
    assert set(ev.criterion_names) == set(ms.COLUMNS)
    expected = _direct_evaluation().values
    got = ev.values[ms.COLUMNS].astype(float)
    assert np.allclose(got.to_numpy(), expected.to_numpy(), equal_nan=True, rtol=0, atol=1e-12)
    assert math.isnan(got.at["Umberline Solutions", "Revenue growth"])
    # The CSV's percentages are typed as text ("99.9%"), so they carry the unit.
    percent = {"SLA uptime": "%", "Revenue growth": "%", "Client retention": "%"}
    assert ev.units == percent


def test_scores_sample_loads_with_consensus() -> None:
    from vendor_eval.scoring.scorer import score
    from vendor_eval.workbook.importing.load import load_evaluation

    ev = load_evaluation(DATA / "sample_scores.xlsx")
    assert ev.criterion("Technical fit").source == "scores"
    assert ev.criterion("Client rating").source == "column"
    expected = _direct_evaluation().values
    got = ev.values[ms.COLUMNS].astype(float)
    assert np.allclose(got.to_numpy(), expected.to_numpy(), equal_nan=True, atol=1e-12)
    assert ev.scores is not None and len(ev.scores) == len(ms.score_rows())
    ranking = score(ev)
    assert ranking.leader == "Quillstone Consulting"
    median = load_evaluation(DATA / "sample_scores.xlsx", consensus="median")
    # Northwind's technical-fit ratings are 4.5, 4, 3.5: mean and median both 4.
    assert median.values.at["Northwind Systems", "Technical fit"] == pytest.approx(4.0)
    # Meridian's are 4.5, 3, 3: mean 3.5, median 3.
    assert ev.values.at["Meridian Byteworks", "Technical fit"] == pytest.approx(3.5)
    assert median.values.at["Meridian Byteworks", "Technical fit"] == pytest.approx(3.0)
