"""score(): hand-computed rankings for each scale, direction, policy, gate, hierarchy, tie."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from conftest import make_evaluation

from vendor_eval.core.model import (
    Category,
    Criterion,
    Direction,
    Method,
    MissingPolicy,
    MustRule,
    Scale,
)
from vendor_eval.core.problems import ScoringError, VendorEvalError
from vendor_eval.scoring.ranks import rank_order
from vendor_eval.scoring.scorer import ALL_DISQUALIFIED, TOPSIS_NOTE, score

NAN = math.nan
PRICE = Criterion("Price", "Cost", 2, Direction.LOWER, Scale.RELATIVE)
RATING = Criterion("Rating", "Quality", 1, scale=Scale.ABSOLUTE, min=1, max=5)
ISO = Criterion("ISO", "Quality", 1, scale=Scale.YESNO)
VALUES = {"Price": [100, 200, 150], "Rating": [5, 3, 1], "ISO": [1, 0, 1]}


def flat():
    return make_evaluation(VALUES, [PRICE, RATING, ISO], vendors=["A", "B", "C"])


def scores(r) -> dict[str, float]:
    return r.table["score"].to_dict()


def test_flat_example_hand_computed():
    # w = [0.5, 0.25, 0.25]; s(Price) = [1, 0, 0.5] (lower), s(Rating) = [1, .5, 0]
    r = score(flat())
    assert r.vendors == ["A", "C", "B"]
    assert scores(r) == pytest.approx({"A": 100.0, "B": 12.5, "C": 50.0}, abs=1e-9)
    assert r.table["rank"].tolist() == [1, 2, 3]
    assert r.weights.tolist() == pytest.approx([0.5, 0.25, 0.25])
    assert r.normalised.loc["C"].tolist() == pytest.approx([0.5, 0.0, 1.0])
    assert r.contributions.loc["A"].tolist() == pytest.approx([50.0, 25.0, 25.0])
    assert r.contributions.loc["C"].tolist() == pytest.approx([25.0, 0.0, 25.0])
    # category scores without a Categories sheet: within-category shares of the entered weights
    assert r.category_scores.loc["B"].to_dict() == pytest.approx({"Cost": 0.0, "Quality": 25.0})
    assert r.table["completeness"].tolist() == [1.0, 1.0, 1.0]
    assert r.method is Method.WSM and r.missing is MissingPolicy.WORST
    assert r.messages == []


def test_hierarchy_hand_computed():
    ev = make_evaluation(
        VALUES,
        [PRICE.replace(weight=1), RATING, ISO.replace(weight=3)],
        [Category("Cost", 1), Category("Quality", 3)],
        vendors=["A", "B", "C"],
    )
    r = score(ev)
    # w = [1/4, 3/4 · 1/4, 3/4 · 3/4]
    assert r.weights.tolist() == pytest.approx([0.25, 0.1875, 0.5625])
    assert scores(r) == pytest.approx({"A": 100.0, "B": 9.375, "C": 68.75}, abs=1e-9)
    assert r.category_scores.loc["C"].to_dict() == pytest.approx({"Cost": 50.0, "Quality": 75.0})
    assert r.category_scores.loc["B"].to_dict() == pytest.approx({"Cost": 0.0, "Quality": 12.5})


def test_zero_weight_category_still_gets_a_category_score():
    ev = make_evaluation(
        VALUES, [PRICE, RATING, ISO], [Category("Cost", 0), Category("Quality", 1)], ["A", "B", "C"]
    )
    r = score(ev)
    assert r.contributions["Price"].tolist() == [0.0, 0.0, 0.0]
    assert r.category_scores.loc["C", "Cost"] == pytest.approx(50.0)
    assert scores(r) == pytest.approx({"A": 100.0, "B": 25.0, "C": 50.0})


MISSING = {"X": [10, 25, 30], "Y": [10, None, 20]}


@pytest.mark.parametrize(
    ("policy", "b_score", "b_contrib"),
    [
        ("worst", 37.5, [37.5, 0.0]),  # s(B) = [0.75, 0]
        ("mean", 62.5, [37.5, 25.0]),  # Y filled with mean(0, 1) = 0.5
        ("exclude", 75.0, [75.0, 0.0]),  # weights renormalised over X alone
    ],
)
def test_missing_policies_hand_computed(policy, b_score, b_contrib):
    r = score(make_evaluation(MISSING, vendors=["A", "B", "C"]), missing=policy)
    assert r.score("B") == pytest.approx(b_score, abs=1e-9)
    assert r.contributions.loc["B"].tolist() == pytest.approx(b_contrib)
    assert r.score("A") == 0.0 and r.score("C") == 100.0
    assert r.table.at["B", "completeness"] == pytest.approx(0.5)
    assert bool(r.missing_mask.at["B", "Y"]) and not r.missing_mask.at["A", "Y"]


def test_exclude_keeps_nan_in_normalised_but_not_in_scores():
    r = score(make_evaluation(MISSING, vendors=["A", "B", "C"]), missing="exclude")
    assert math.isnan(r.normalised.at["B", "Y"])
    assert not r.table["score"].isna().any()


def test_mean_policy_ignores_disqualified_vendors():
    crit = [
        Criterion("X", "G", 1, must=MustRule(">=", 1, ">= 1")),
        Criterion("Y", "G", 1),
    ]
    ev = make_evaluation({"X": [1, 1, 0], "Y": [10, None, 40]}, crit, vendors=["A", "B", "D"])
    # field for Y is A alone (D is disqualified): lo = hi = 10 → s = 1 for A; B gets mean 1
    r = score(ev, missing="mean")
    assert r.normalised.at["B", "Y"] == 1.0
    assert r.score("B") == pytest.approx(100.0)


def test_gates_disqualify_with_reasons_and_no_rank():
    crit = [
        Criterion("ISO 27001", "Cap", 1, scale=Scale.YESNO, must=MustRule("=", 1, "yes")),
        Criterion("Years in business", "Rep", 1, must=MustRule(">=", 3, ">= 3")),
    ]
    ev = make_evaluation(
        {"ISO 27001": [1, 0, 1, None], "Years in business": [5, 10, 2, 4]},
        crit,
        vendors=["A", "B", "C", "D"],
    )
    r = score(ev)
    # Years is relative over the qualified field (A alone: lo = hi = 5), so every vendor
    # with a value gets 1 there (docs/scoring.md §4.5): C 100, B 50, D 50 (ISO missing → 0)
    assert r.vendors == ["A", "C", "B", "D"]
    assert r.table["rank"].tolist()[0] == 1
    assert r.table["rank"].isna().tolist() == [False, True, True, True]
    assert str(r.table["rank"].dtype) == "Int64"
    assert r.table.at["B", "reasons"] == ["ISO 27001 must be yes (is no)"]
    assert r.table.at["C", "reasons"] == ["Years in business must be >= 3 (is 2)"]
    assert r.table.at["D", "reasons"] == ["no value for must-have ISO 27001"]
    assert r.table.at["A", "reasons"] == []
    assert r.normalised.at["C", "Years in business"] == 1.0
    assert scores(r) == pytest.approx({"A": 100.0, "B": 50.0, "C": 100.0, "D": 50.0})
    assert r.leader == "A" and r.rank("B") is None


def test_ties_share_a_rank_and_keep_workbook_order():
    ev = make_evaluation({"X": [1, 3, 3, 2]}, vendors=["A", "B", "C", "D"])
    r = score(ev)
    assert r.vendors == ["B", "C", "D", "A"]
    assert r.table["rank"].tolist() == [1, 1, 3, 4]


def test_rank_order_tolerance_and_competition_ranks():
    s = np.array([50.0, 80.0, 80.0 + 1e-12, 80.0, 10.0, 90.0])
    q = np.array([True, True, True, True, True, False])
    order, ranks = rank_order(s, q)
    assert order.tolist() == [1, 2, 3, 0, 4, 5]
    assert ranks.tolist() == [4, 1, 1, 1, 5, 0]


def test_all_disqualified_keeps_scores_without_ranks():
    crit = [Criterion("X", "G", 1, must=MustRule(">", 100, "> 100")), Criterion("Y", "G", 1)]
    ev = make_evaluation({"X": [1, 2], "Y": [5, 9]}, crit, vendors=["A", "B"])
    r = score(ev)
    assert r.messages[0] == ALL_DISQUALIFIED
    assert r.table["rank"].isna().all()
    # no qualified field: relative bounds over every vendor → B is best on both
    assert r.vendors == ["B", "A"]
    assert r.score("B") == pytest.approx(100.0) and r.score("A") == 0.0
    assert r.leader is None


def test_one_vendor():
    r = score(make_evaluation({"X": [3.0], "Y": [None]}, vendors=["Solo"]))
    assert r.score("Solo") == pytest.approx(50.0)
    assert r.rank("Solo") == 1
    assert r.table.at["Solo", "completeness"] == 0.5
    assert any(m.startswith("Only one vendor") for m in r.messages)


@pytest.mark.parametrize("method", ["wsm", "topsis"])
def test_all_equal_values(method):
    r = score(make_evaluation({"X": [4, 4, 4], "Y": [1, 1, 1]}), method=method)
    assert r.table["score"].tolist() == [100.0, 100.0, 100.0]
    assert r.table["rank"].tolist() == [1, 1, 1]


@pytest.mark.parametrize("method", ["wsm", "topsis"])
def test_a_rate_typed_and_one_computed_score_alike(method):
    # 94.9 typed and =80.3+14.6 (94.89999999999999) both show 94.9: not 87.5 vs 37.5
    crit = [Criterion("Rate", "Cost", 3, Direction.LOWER), RATING]
    ev = make_evaluation({"Rate": [94.9, 80.3 + 14.6], "Rating": [4, 4]}, crit, vendors=["A", "B"])
    r = score(ev, method=method)
    assert r.score("A") == r.score("B")
    assert r.table["rank"].tolist() == [1, 1]
    assert r.leader == "A"  # a tie: workbook order


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
def test_criterion_nobody_answered_gives_no_nan(method, missing):
    ev = make_evaluation({"X": [1, 2], "Y": [None, None]}, vendors=["A", "B"])
    r = score(ev, method=method, missing=missing)
    assert "No vendor has a value for Y; it adds no points." in r.messages
    frame = r.to_frame()
    assert not frame[["Score", "General", "Completeness"]].isna().any().any()
    assert r.table["completeness"].tolist() == [0.5, 0.5]
    assert r.leader == "B"


def test_vendor_without_any_value_under_exclude_scores_zero():
    r = score(
        make_evaluation({"X": [1, None], "Y": [2, None]}, vendors=["A", "B"]), "wsm", "exclude"
    )
    assert r.score("B") == 0.0 and r.table.at["B", "completeness"] == 0.0
    assert r.category_scores.loc["B"].tolist() == [0.0]


def test_topsis_published_example_through_score():
    x = np.array([[5, 8, 4], [7, 6, 8], [8, 8, 6], [7, 4, 6]], dtype=float)
    crit = [Criterion(f"C{j}", "G", w) for j, w in enumerate([3, 4, 3])]
    ev = make_evaluation(pd.DataFrame(x, columns=["C0", "C1", "C2"], index=list("ABCD")), crit)
    r = score(ev, method="topsis")
    assert r.vendors == ["C", "B", "A", "D"]
    assert scores(r) == pytest.approx({"A": 50.37, "B": 65.81, "C": 74.82, "D": 33.40}, abs=1e-2)
    assert TOPSIS_NOTE in r.messages
    # contributions stay weighted-sum points and add up to the WSM score, not the TOPSIS one
    assert r.contributions.sum(axis=1).to_dict() == pytest.approx(scores(score(ev)))


def test_topsis_missing_raw_values_worst_and_mean():
    ev = make_evaluation({"X": [1.0, None, 3.0]}, vendors=["A", "B", "C"])
    assert score(ev, "topsis", "worst").score("B") == pytest.approx(0.0)  # filled with 1
    assert score(ev, "topsis", "mean").score("B") == pytest.approx(50.0)  # filled with 2


def test_topsis_exclude_is_refused():
    with pytest.raises(ScoringError) as e:
        score(flat(), method="topsis", missing="exclude")
    assert str(e.value) == "TOPSIS cannot exclude missing values; use --missing worst or mean"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"method": "ahp"}, "method: 'ahp' is not one of 'wsm', 'topsis'"),
        ({"missing": "zero"}, "missing: 'zero' is not one of 'worst', 'mean', 'exclude'"),
    ],
)
def test_unknown_method_or_policy(kwargs, message):
    with pytest.raises(ScoringError) as e:
        score(flat(), **kwargs)
    assert str(e.value) == message


def test_method_aliases_are_accepted():
    assert score(flat(), method="Weighted Sum").method is Method.WSM


def test_absolute_scale_without_bounds_is_refused():
    ev = make_evaluation(
        {"R": [1, 2]}, [Criterion("R", "G", 1, scale=Scale.ABSOLUTE, min=5, max=5)]
    )
    with pytest.raises(VendorEvalError, match=r"^R is on an absolute scale and needs Min < Max\.$"):
        score(ev)


def test_no_vendors_is_refused():
    ev = make_evaluation({"X": []}, vendors=[])
    with pytest.raises(ScoringError, match=r"^There are no vendors to score\.$"):
        score(ev)


def test_values_in_another_row_order_are_aligned_by_vendor():
    ev = flat()
    ev.values = ev.values.loc[["C", "A", "B"]]
    assert scores(score(ev)) == pytest.approx({"A": 100.0, "B": 12.5, "C": 50.0})


def test_to_frame_and_records_shapes():
    r = score(flat())
    f = r.to_frame()
    assert list(f.columns) == ["Rank", "Vendor", "Status", "Score", "Cost", "Quality",
                               "Completeness", "Reasons"]  # fmt: skip
    rec = r.to_records()[0]
    assert rec["vendor"] == "A" and rec["rank"] == 1 and rec["qualified"] is True
    assert rec["contributions"] == pytest.approx({"Price": 50.0, "Rating": 25.0, "ISO": 25.0})
    assert rec["strengths"][0] == "Strong on Price: +25.0 points vs the field average"
