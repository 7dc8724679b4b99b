"""Panel criteria at import (``panel=True``, a project's import): a criterion on an absolute
scale with neither a Vendors column nor Scores rows is accepted, every value missing until
the panel scores it; any other such criterion is refused with a hint saying what a panel
criterion needs. Without ``panel`` the import is as before."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import xlsx
from importer_helpers import raw_book, where

from vendor_eval.core.model import Criterion, Evaluation, Scale
from vendor_eval.core.problems import Code, Problem, ValidationError
from vendor_eval.scoring.scorer import score
from vendor_eval.stress.analysis import analyse
from vendor_eval.workbook.importing.load import evaluation_from_book, load_evaluation

HEADER = ["Criterion", "Category", "Weight", "Direction", "Scale", "Min", "Max", "Must"]
SCORES_HEADER = ["Evaluator", "Vendor", "Criterion", "Score", "Comment"]
NO_LINK = 'criterion "{}" has no column in Vendors and no rows in Scores'
HINT = " (a panel criterion, scored by the evaluators, needs Scale absolute with Min and Max)"


def book(*criteria: list[object], scores: list[list[object]] | None = None) -> dict:
    """Three vendors with a Price column; Criteria = Price plus ``criteria`` (row 3 on)."""
    sheets: dict[str, list[list[object]]] = {
        "Vendors": [["Vendor", "Price"], ["Acme", 100], ["Bolt", 120], ["Crane", 90]],
        "Criteria": [HEADER, ["Price", "Cost", 1, "lower", None, None, None, None], *criteria],
        "Categories": [["Category", "Weight"], ["Cost", 40], ["Capability", 60]],
    }
    if scores is not None:
        sheets["Scores"] = [SCORES_HEADER, *scores]
    return sheets


FIT = ["Fit", "Capability", 2, None, "absolute", 1, 5, None]
SUPPORT = ["Support", "Capability", 1, None, "absolute", 0, 10, None]


def load(sheets: dict, *, panel: bool) -> Evaluation:
    return load_evaluation(xlsx(sheets), name="vendors.xlsx", panel=panel)


def refused(sheets: dict, *, panel: bool) -> list[Problem]:
    with pytest.raises(ValidationError) as exc:
        load(sheets, panel=panel)
    return [p for p in exc.value.problems if p.severity == "error"]


def panel_names(ev: Evaluation) -> list[str]:
    return [c.name for c in ev.panel_criteria]


# -- accepted with panel=True ------------------------------------------------------------------
def test_panel_accepts_an_absolute_criterion_without_column_or_scores() -> None:
    ev = load(book(FIT, SUPPORT), panel=True)
    assert [(c.name, c.source) for c in ev.criteria] == [
        ("Price", "column"),
        ("Fit", "scores"),
        ("Support", "scores"),
    ]
    assert panel_names(ev) == ["Fit", "Support"]
    assert all(isinstance(c, Criterion) for c in ev.panel_criteria)
    assert ev.values["Fit"].isna().all() and ev.values["Support"].isna().all()
    assert ev.values["Price"].tolist() == [100.0, 120.0, 90.0]
    assert ev.values.dtypes.eq(float).all()
    fit = ev.criterion("Fit")
    assert (fit.scale, fit.min, fit.max, fit.weight) == (Scale.ABSOLUTE, 1.0, 5.0, 2.0)
    assert ev.scores is None


def test_unscored_panel_criteria_give_the_existing_warnings_only() -> None:
    """No warning of its own: what a Scores criterion nobody scored already gives (one
    ``no_values`` per criterion; ``incomplete_vendor`` for each vendor whose missing panel
    weight is over half)."""
    ev = load(book(FIT, SUPPORT), panel=True)
    nobody = 'no vendor has a value for "{}": nobody scored it in Scores'
    incomplete = '"{}" has no value for 60% of the weight (Fit, Support)'
    assert [(w.code, w.sheet, w.row, w.message) for w in ev.warnings] == [
        (Code.NO_VALUES, "Scores", None, nobody.format("Fit")),
        (Code.NO_VALUES, "Scores", None, nobody.format("Support")),
        (Code.INCOMPLETE_VENDOR, "Vendors", 2, incomplete.format("Acme")),
        (Code.INCOMPLETE_VENDOR, "Vendors", 3, incomplete.format("Bolt")),
        (Code.INCOMPLETE_VENDOR, "Vendors", 4, incomplete.format("Crane")),
    ]


def test_evaluation_from_book_takes_panel_too() -> None:
    ev = evaluation_from_book(raw_book(book(FIT)), panel=True)
    assert panel_names(ev) == ["Fit"]
    assert ev.values["Fit"].isna().all()


def test_panel_criterion_beside_a_scores_sheet_for_others_is_missing() -> None:
    scores = [["ann", "Acme", "Support", 7, None], ["bob", "Bolt", "Support", 3, None]]
    ev = load(book(FIT, SUPPORT, scores=scores), panel=True)
    assert panel_names(ev) == ["Fit", "Support"]
    assert ev.values["Fit"].isna().all()
    assert ev.values["Support"].tolist()[:2] == [7.0, 3.0]
    assert np.isnan(ev.values.loc["Crane", "Support"])
    assert ev.scores is not None and len(ev.scores) == 2


def test_only_panel_criteria_and_one_vendors_column() -> None:
    ev = load(book(FIT, SUPPORT), panel=True)
    assert [c.name for c in ev.criteria if c.source == "column"] == ["Price"]
    ranking = score(ev)
    assert ranking.table.index.tolist() == ["Crane", "Acme", "Bolt"]  # Price alone decides
    assert np.isfinite(ranking.table["score"]).all()


def test_only_panel_criteria_and_no_criterion_column() -> None:
    sheets = {
        "Vendors": [["Vendor", "Website"], ["Acme", "a.example"], ["Bolt", None]],
        "Criteria": [HEADER, FIT, ["Support", "Service", 1, None, "absolute", 1, 5, None]],
    }
    ev = load(sheets, panel=True)
    assert panel_names(ev) == ["Fit", "Support"]
    assert ev.values.isna().all().all()
    for method, missing in (("wsm", "worst"), ("wsm", "mean"), ("wsm", "exclude")):
        totals = score(ev, method, missing).table["score"]
        assert totals.tolist() == [0.0, 0.0], (method, missing)


# -- panel_criteria, either way ---------------------------------------------------------------
@pytest.mark.parametrize("panel", [False, True])
def test_an_absolute_criterion_with_scores_rows_is_a_panel_criterion(panel: bool) -> None:
    relative = ["Speed", "Capability", 1, None, "relative", None, None, None]
    scores = [["ann", "Acme", "Fit", 4, None], ["ann", "Bolt", "Speed", 30, None]]
    ev = load(book(FIT, relative, scores=scores), panel=panel)
    assert [(c.name, c.source) for c in ev.criteria] == [
        ("Price", "column"),
        ("Fit", "scores"),
        ("Speed", "scores"),
    ]
    assert panel_names(ev) == ["Fit"]  # Speed comes from Scores, but is not on an absolute scale
    assert ev.values["Fit"].tolist()[0] == 4.0


def test_a_base_workbook_has_no_panel_criteria() -> None:
    ev = load(book(), panel=True)
    assert ev.panel_criteria == []


# -- refused ----------------------------------------------------------------------------------
def test_without_panel_the_absolute_unlinked_criterion_is_refused_as_before() -> None:
    assert [where(p) for p in refused(book(FIT), panel=False)] == [
        ("Criteria", 3, "A", "Criterion", NO_LINK.format("Fit")),
    ]


@pytest.mark.parametrize(
    ("scale", "bounds"),
    [("relative", (None, None)), (None, (None, None)), ("yes/no", (None, None))],
)
def test_panel_refuses_a_criterion_not_on_an_absolute_scale_with_the_hint(
    scale: str | None, bounds: tuple[object, object]
) -> None:
    row = ["Speed", "Capability", 1, None, scale, *bounds, None]
    assert [where(p) for p in refused(book(FIT, row), panel=True)] == [
        ("Criteria", 4, "A", "Criterion", NO_LINK.format("Speed") + HINT),
    ]


def test_without_panel_the_relative_unlinked_criterion_has_no_hint() -> None:
    row = ["Speed", "Capability", 1, None, "relative", None, None, None]
    assert [p.message for p in refused(book(row), panel=False)] == [NO_LINK.format("Speed")]


def test_panel_refuses_a_yes_no_criterion_with_a_must_rule_with_the_hint() -> None:
    row = ["ISO", "Capability", 1, None, "yes/no", None, None, "yes"]
    assert [where(p) for p in refused(book(row), panel=True)] == [
        ("Criteria", 3, "A", "Criterion", NO_LINK.format("ISO") + HINT),
    ]


def test_panel_absolute_without_bounds_is_refused_by_the_bounds_error_alone() -> None:
    row = ["Fit", "Capability", 2, None, "absolute", None, None, None]
    problems = refused(book(row), panel=True)
    assert [(p.code, p.sheet, p.row, p.column) for p in problems] == [
        (Code.MISSING_BOUNDS, "Criteria", 3, "E"),
    ]


def test_panel_absolute_with_min_not_below_max_is_refused() -> None:
    row = ["Fit", "Capability", 2, None, "absolute", 5, 1, None]
    problems = refused(book(row), panel=True)
    assert [(p.code, p.row, p.column) for p in problems] == [(Code.MIN_NOT_BELOW_MAX, 3, "G")]


def test_panel_refuses_a_name_that_looks_like_a_vendors_column() -> None:
    """A name like "Рrice" (Cyrillic Р) most likely means the Price column: not taken for a panel
    criterion, the existing look-alike error stands."""
    sheets = book()
    sheets["Criteria"][1] = ["\u0420rice", "Cost", 1, "lower", "absolute", 0, 500, None]
    assert [p.message for p in refused(sheets, panel=True)] == [
        NO_LINK.format("\u0420rice")
        + '; the column "Price" looks like it but is written with different characters'
    ]


# -- scoring and stress-testing an evaluation with unscored panel criteria --------------------
@pytest.mark.parametrize(
    ("method", "missing"),
    [
        ("wsm", "worst"),
        ("wsm", "mean"),
        ("wsm", "exclude"),
        ("topsis", "worst"),
        ("topsis", "mean"),
    ],
)
def test_scoring_with_unscored_panel_criteria_is_finite(method: str, missing: str) -> None:
    ev = load(book(FIT, SUPPORT, scores=[["ann", "Acme", "Support", 7, None]]), panel=True)
    ranking = score(ev, method, missing)
    totals = ranking.table["score"].to_numpy(dtype=float)
    assert totals.shape == (3,) and np.isfinite(totals).all()
    assert ((totals >= 0) & (totals <= 100)).all()
    assert np.isfinite(ranking.table["completeness"].to_numpy(dtype=float)).all()
    assert "No vendor has a value for Fit; it adds no points." in ranking.messages


def test_worst_gives_unscored_panel_criteria_no_points() -> None:
    ev = load(book(FIT, SUPPORT), panel=True)
    ranking = score(ev, "wsm", "worst")
    contributions = ranking.contributions
    assert (contributions[["Fit", "Support"]] == 0).all().all()
    # Price (Cost, 40 %) alone: cheapest 40 points, dearest 0
    assert ranking.table["score"].round(9).tolist() == [40.0, 26.666666667, 0.0]


@pytest.mark.parametrize("missing", ["worst", "mean", "exclude"])
def test_analyse_runs_with_unscored_panel_criteria(missing: str) -> None:
    ev = load(book(FIT, SUPPORT), panel=True)
    report = analyse(ev, samples=200, missing=missing)
    assert report is not None
