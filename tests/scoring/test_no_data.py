"""No data is not zero: under ``exclude`` a vendor with no value in any criterion of a
category has no category score there (``Ranking.category_no_data``), while the arithmetic,
the totals and the ranks stay exactly what they were."""

from __future__ import annotations

import math

import numpy as np
import pytest
from conftest import make_evaluation, random_evaluation

from vendor_eval.core.model import Category, Criterion, Direction
from vendor_eval.scoring.methods.wsm import category_has_data, category_scores
from vendor_eval.scoring.ranking import NO_DATA, no_data_reason
from vendor_eval.scoring.scorer import score

NAN = math.nan


def no_capability(minimum: float | None = None):
    """Beta has no value in either Capability criterion; Acme and Gamma have all."""
    crit = [
        Criterion("Uptime", "Capability", 2),
        Criterion("Features", "Capability", 1),
        Criterion("Price", "Cost", 1, direction=Direction.LOWER),
    ]
    cats = [Category("Capability", 60, minimum=minimum), Category("Cost", 40)]
    return make_evaluation(
        {"Uptime": [99, None, 97], "Features": [4, None, 3], "Price": [100, 80, 120]},
        crit,
        cats,
        vendors=["Acme", "Beta", "Gamma"],
    )


def test_the_no_data_cell_is_nan_where_shown_and_0_in_the_arithmetic():
    r = score(no_capability(), "wsm", "exclude")
    assert r.category_no_data.loc["Beta"].to_dict() == {"Capability": True, "Cost": False}
    assert not r.category_no_data.drop(index="Beta").to_numpy().any()
    assert r.category_scores.at["Beta", "Capability"] == 0.0  # the reference's arithmetic
    shown = r.shown_category_scores
    assert math.isnan(shown.at["Beta", "Capability"])
    assert shown.drop(index="Beta").equals(r.category_scores.drop(index="Beta"))
    assert shown.at["Beta", "Cost"] == r.category_scores.at["Beta", "Cost"]
    frame = r.to_frame().set_index("Vendor")
    assert math.isnan(frame.at["Beta", "Capability"])
    record = next(x for x in r.to_records() if x["vendor"] == "Beta")
    assert record["categories"] == {"Capability": None, "Cost": pytest.approx(100.0)}


def test_the_total_is_over_what_the_vendor_has_and_unchanged():
    """Beta's total is renormalised over Price alone: 100, completeness 40 %."""
    r = score(no_capability(), "wsm", "exclude")
    assert r.score("Beta") == pytest.approx(100.0)
    assert r.table.at["Beta", "completeness"] == pytest.approx(0.4)
    assert r.contributions.loc["Beta"].sum() == pytest.approx(r.score("Beta"))


@pytest.mark.parametrize("missing", ["worst", "mean"])
def test_the_filling_policies_have_no_no_data_cells(missing):
    r = score(no_capability(), "wsm", missing)
    assert not r.category_no_data.to_numpy().any()
    assert r.shown_category_scores.equals(r.category_scores)


@pytest.mark.parametrize("seed", range(6))
def test_no_data_is_exactly_the_zero_denominator_and_nothing_else_moves(seed):
    """The mask is the cells whose renormalising denominator is 0; every other frame and
    the table are the arithmetic's, bit for bit."""
    rng = np.random.default_rng(seed)
    ev = random_evaluation(rng, n_vendors=12, n_criteria=6, n_categories=3, missing_rate=0.5)
    r = score(ev, "wsm", "exclude")
    s, A = r.normalised.to_numpy(), r._arrays.shares
    denom = (A.T @ (~np.isnan(s)).T).T
    np.testing.assert_array_equal(r.category_no_data.to_numpy(), ~(denom > 0))
    np.testing.assert_array_equal(~category_has_data(s, A), r.category_no_data.to_numpy())
    raw = category_scores(s, A, exclude=True)
    np.testing.assert_array_equal(r.category_scores.to_numpy(), raw)
    shown = r.shown_category_scores.to_numpy()
    np.testing.assert_array_equal(np.isnan(shown), r.category_no_data.to_numpy())
    np.testing.assert_array_equal(shown[~np.isnan(shown)], raw[~np.isnan(shown)])


def test_a_minimum_still_disqualifies_a_vendor_with_no_value_in_the_category():
    """The minimum stage's own "no value" rule is unchanged, and its reason stays."""
    r = score(no_capability(minimum=50), "wsm", "exclude")
    assert not r.table.at["Beta", "qualified"]
    assert r.table.at["Beta", "reasons"] == [
        "no value in any Capability criterion, so it cannot meet the Capability minimum 50"
    ]
    assert r.category_no_data.at["Beta", "Capability"]


def test_no_data_is_neither_a_strength_nor_a_weakness():
    r = score(no_capability(), "wsm", "exclude")
    notes = r.explanations["Beta"]
    assert not any("Uptime" in s or "Features" in s for s in notes["weaknesses"])
    assert not any("Uptime" in s or "Features" in s for s in notes["strengths"])
    # under worst the missing values are scored 0, and that is a weakness
    worst = score(no_capability(), "wsm", "worst").explanations["Beta"]
    assert any("Uptime" in s for s in worst["weaknesses"])


def test_the_reason_names_vendor_and_category():
    assert no_data_reason("Acme", "Capability") == (
        "no data: Acme has no value in any Capability criterion (missing values excluded)"
    )
    assert NO_DATA == "no data"


def test_a_category_whose_only_value_weighs_0_has_no_data():
    """A value only in a criterion with no share of the category is no data there, as the
    minimum stage judges it."""
    crit = [Criterion("A", "Cat", 1), Criterion("B", "Cat", 0), Criterion("C", "Other", 1)]
    ev = make_evaluation({"A": [1, None], "B": [2, 3], "C": [1, 2]}, crit, vendors=["X", "Y"])
    r = score(ev, "wsm", "exclude")
    assert r.category_no_data.loc["Y"].to_dict() == {"Cat": True, "Other": False}
    record = next(x for x in r.to_records() if x["vendor"] == "Y")
    assert record["categories"]["Cat"] is None
    assert math.isnan(r.shown_category_scores.at["Y", "Cat"])


def test_category_has_data_by_hand():
    shares = np.array([[0.25, 0.0], [0.75, 0.0], [0.0, 1.0]])
    s = np.array([[1.0, 0.0, 0.5], [NAN, 1.0, NAN], [NAN, NAN, NAN]])
    assert category_has_data(s, shares).tolist() == [[True, True], [True, False], [False, False]]
