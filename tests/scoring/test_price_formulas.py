"""Price formulas (docs/scoring.md §12.1–§12.2): ratio, linear and budget on price criteria,
ratio on relative criteria, the values they refuse, and two published worked examples
reproduced to the figure."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from conftest import make_evaluation

from vendor_eval.core.model import (
    Category,
    Criterion,
    Direction,
    Formula,
    MustRule,
    Scale,
    Settings,
)
from vendor_eval.core.problems import ScoringError
from vendor_eval.scoring.scorer import score

PRICE = Criterion("Price", "Cost", 1, scale=Scale.PRICE)


def evaluation(values, criteria, vendors, categories=None, **settings):
    ev = make_evaluation(values, criteria, categories, vendors)
    return dataclasses.replace(ev, settings=Settings(**settings)) if settings else ev


def price_scores(prices, criterion=PRICE, vendors=None):
    """Each vendor's normalised price score, price being the only criterion."""
    vendors = vendors or [f"V{i + 1}" for i in range(len(prices))]
    r = score(evaluation({"Price": prices}, [criterion], vendors))
    return r.normalised["Price"].to_dict()


# -- ratio ------------------------------------------------------------------------------
def test_ratio_is_lowest_bid_over_bid():
    # s = p_low / p: 80/80, 80/100, 80/160
    r = score(evaluation({"Price": [80, 100, 160]}, [PRICE], ["A", "B", "C"]))
    assert r.normalised["Price"].to_dict() == {"A": 1.0, "B": 0.8, "C": 0.5}
    assert r.table["score"].to_dict() == pytest.approx({"A": 100.0, "B": 80.0, "C": 50.0})
    assert r.vendors == ["A", "B", "C"]


def test_a_blank_formula_on_a_price_is_ratio():
    assert PRICE.formula is None and PRICE.effective_formula is Formula.RATIO
    blank = price_scores([80, 100, 160])
    assert blank == price_scores([80, 100, 160], PRICE.replace(formula=Formula.RATIO))
    assert blank != price_scores([80, 100, 160], PRICE.replace(formula=Formula.LINEAR))


def test_the_ratio_price_of_two_vendors_depends_only_on_their_ratio():
    # 50 vs 200 and 5,000 vs 20,000 score alike: the unit of the price does not matter
    assert price_scores([50, 200]) == price_scores([5000, 20000]) == {"V1": 1.0, "V2": 0.25}


def test_a_price_criterion_is_lower_is_better_whatever_its_direction_says():
    # a Criterion built in code keeps the default direction "higher": a price ignores it
    assert PRICE.direction is Direction.HIGHER
    assert price_scores([80, 160]) == {"V1": 1.0, "V2": 0.5}


# -- linear -----------------------------------------------------------------------------
def test_linear_is_min_max_over_the_prices():
    # s = (p_high − p) / (p_high − p_low) = (160 − p) / 80
    linear = PRICE.replace(formula=Formula.LINEAR)
    assert price_scores([80, 100, 160], linear) == {"V1": 1.0, "V2": 0.75, "V3": 0.0}


def test_linear_with_every_price_equal_gives_every_vendor_full_marks():
    linear = PRICE.replace(formula=Formula.LINEAR)
    assert price_scores([120, 120, 120], linear) == {"V1": 1.0, "V2": 1.0, "V3": 1.0}


# -- budget -----------------------------------------------------------------------------
def test_budget_falls_linearly_from_the_lowest_bid_to_the_ceiling():
    # Max 200, p_low 80: s = (200 − p) / (200 − 80); 250 is above the ceiling → 0
    budget = PRICE.replace(formula=Formula.BUDGET, max=200)
    r = score(evaluation({"Price": [80, 110, 170, 250]}, [budget], list("ABCD")))
    s = r.normalised["Price"]
    assert s.to_dict() == pytest.approx({"A": 1.0, "B": 0.75, "C": 0.25, "D": 0.0}, abs=1e-15)
    # the bid above the budget scores 0 but is not disqualified
    assert r.table.loc["D", "qualified"] and r.rank("D") == 4
    assert r.table.loc["D", "reasons"] == []


def test_budget_exactly_at_the_ceiling_scores_0():
    budget = PRICE.replace(formula=Formula.BUDGET, max=200)
    assert price_scores([100, 200], budget) == {"V1": 1.0, "V2": 0.0}


def test_budget_with_the_ceiling_at_or_below_the_lowest_bid_is_a_step():
    # Max 100 = p_low: within the budget 1, above it 0
    at = PRICE.replace(formula=Formula.BUDGET, max=100)
    assert price_scores([100, 120], at) == {"V1": 1.0, "V2": 0.0}
    # Max 90 < p_low 100: every bid is above the budget
    below = PRICE.replace(formula=Formula.BUDGET, max=90)
    assert price_scores([100, 120], below) == {"V1": 0.0, "V2": 0.0}


def test_budget_with_a_disqualified_vendor_under_the_ceiling():
    # Max 90 below the qualified vendors' lowest bid 100: the disqualified C bid 85 is
    # within the budget and scores 1; the qualified bids score 0
    iso = Criterion("ISO", "Quality", 1, scale=Scale.YESNO, must=MustRule("=", 1.0, "yes"))
    budget = PRICE.replace(formula=Formula.BUDGET, max=90)
    ev = evaluation({"Price": [100, 120, 85], "ISO": [1, 1, 0]}, [budget, iso], list("ABC"))
    r = score(ev)
    assert r.normalised["Price"].to_dict() == {"A": 0.0, "B": 0.0, "C": 1.0}
    assert r.stage_of("C") == "must-have"


def test_budget_needs_a_ceiling():
    for bad in (None, 0.0, -5.0, float("inf")):
        ev = evaluation({"Price": [1, 2]}, [PRICE.replace(formula=Formula.BUDGET, max=bad)], None)
        with pytest.raises(ScoringError) as e:
            score(ev)
        assert str(e.value) == (
            "Price: the budget formula needs Max, the budget ceiling (a price > 0)."
        )


def test_budget_is_for_prices_only():
    years = Criterion("Years", "Company", 1, formula=Formula.BUDGET, max=10)
    with pytest.raises(ScoringError) as e:
        score(evaluation({"Years": [1, 2]}, [years], None))
    assert str(e.value) == "Years: the budget formula applies to price criteria only."


# -- ratio on relative (non-price) criteria ---------------------------------------------
def test_ratio_on_a_higher_is_better_criterion_is_value_over_the_highest():
    # 9, 12 and 15 years: min–max would give the 9-year vendor 0; ratio gives 9/15 = 0.6
    years = Criterion("Years", "Company", 1, formula=Formula.RATIO)
    r = score(evaluation({"Years": [9, 12, 15]}, [years], ["A", "B", "C"]))
    assert r.normalised["Years"].to_dict() == {"A": 0.6, "B": 0.8, "C": 1.0}
    assert r.table["score"].to_dict() == pytest.approx({"A": 60.0, "B": 80.0, "C": 100.0})
    linear = score(evaluation({"Years": [9, 12, 15]}, [years.replace(formula=None)], list("ABC")))
    assert linear.normalised["Years"].to_dict() == {"A": 0.0, "B": 0.5, "C": 1.0}


def test_ratio_on_a_lower_is_better_criterion_is_the_lowest_over_the_value():
    hours = Criterion("Response hours", "Service", 1, Direction.LOWER, formula=Formula.RATIO)
    r = score(evaluation({"Response hours": [2, 4, 8]}, [hours], ["A", "B", "C"]))
    assert r.normalised["Response hours"].to_dict() == {"A": 1.0, "B": 0.5, "C": 0.25}


def test_ratio_with_the_highest_value_0_gives_every_vendor_full_marks():
    years = Criterion("Years", "Company", 1, formula=Formula.RATIO)
    r = score(evaluation({"Years": [0, 0, 0]}, [years], ["A", "B", "C"]))
    assert r.normalised["Years"].to_dict() == {"A": 1.0, "B": 1.0, "C": 1.0}


def test_ratio_on_a_relative_criterion_is_over_the_gate_qualified_vendors():
    # C fails the gate; the highest among the qualified is 12, so A = 9/12 and C's 15 is
    # clipped to 1
    years = Criterion("Years", "Company", 1, formula=Formula.RATIO)
    iso = Criterion("ISO", "Quality", 1, scale=Scale.YESNO, must=MustRule("=", 1.0, "yes"))
    ev = evaluation({"Years": [9, 12, 15], "ISO": [1, 1, 0]}, [years, iso], ["A", "B", "C"])
    assert score(ev).normalised["Years"].to_dict() == {"A": 0.75, "B": 1.0, "C": 1.0}


# -- values the formulas refuse ---------------------------------------------------------
def test_a_price_must_be_greater_than_0():
    ev = evaluation({"Price": [100, 0, -3]}, [PRICE], ["A", "B", "C"])
    with pytest.raises(ScoringError) as e:
        score(ev)
    assert str(e.value) == "Price: a price must be greater than 0; B has 0 (and 1 more)."
    ev = evaluation({"Price": [100, -1]}, [PRICE], ["A", "B"])
    with pytest.raises(ScoringError, match=r"^Price: a price must be greater than 0; B has -1\.$"):
        score(ev)


def test_a_missing_price_is_not_refused():
    assert price_scores([100, None]) == {"V1": 1.0, "V2": 0.0}  # worst: no price, no points


def test_ratio_values_must_be_positive_for_lower_and_not_negative_for_higher():
    hours = Criterion("Hours", "Service", 1, Direction.LOWER, formula=Formula.RATIO)
    with pytest.raises(ScoringError) as e:
        score(evaluation({"Hours": [4, 0]}, [hours], ["A", "B"]))
    assert str(e.value) == "Hours: the ratio formula needs values greater than 0; B has 0."
    years = Criterion("Years", "Company", 1, formula=Formula.RATIO)
    with pytest.raises(ScoringError) as e:
        score(evaluation({"Years": [-1, 0]}, [years], ["A", "B"]))
    assert str(e.value) == "Years: the ratio formula needs values of 0 or more; A has -1."


def test_a_formula_on_an_absolute_or_yes_no_criterion_is_refused():
    rating = Criterion("Rating", "Q", 1, scale=Scale.ABSOLUTE, min=1, max=5, formula=Formula.RATIO)
    with pytest.raises(ScoringError) as e:
        score(evaluation({"Rating": [1, 5]}, [rating], ["A", "B"]))
    assert str(e.value) == (
        "Rating: a Formula applies to relative and price criteria only (this one is absolute)."
    )
    iso = Criterion("ISO", "Q", 1, scale=Scale.YESNO, formula=Formula.LINEAR)
    with pytest.raises(ScoringError, match=r"\(this one is yes/no\)\.$"):
        score(evaluation({"ISO": [1, 0]}, [iso], ["A", "B"]))


def test_formula_aliases():
    assert Formula.from_alias(" Proportional ") is Formula.RATIO
    assert Formula.from_alias("lowest / bid") is Formula.RATIO
    assert Formula.from_alias("Min-Max") is Formula.LINEAR
    assert Formula.from_alias("ceiling") is Formula.BUDGET
    with pytest.raises(ValueError, match="'cheapest' is not one of 'ratio', 'linear', 'budget'"):
        Formula.from_alias("cheapest")


# -- published figures ------------------------------------------------------------------
def test_ratio_example_lowest_80_bid_100_earns_80_percent_of_the_price_points():
    """The "lowest price ÷ this price" rule as the World Bank's consultant guidelines
    (QCBS, "Evaluation of Cost") and UK and EU guidance publish it: the lowest bid gets the
    full price points, a bid of 100 against a lowest bid of 80 gets 80/100 = 80 % of them.
    With price worth 40 points of 100: 40 and 32 points."""
    quality = Criterion("Quality", "Quality", 60, scale=Scale.ABSOLUTE, min=0, max=100)
    price = PRICE.replace(weight=40)
    ev = evaluation({"Quality": [50, 50], "Price": [80, 100]}, [quality, price], ["Low", "Bid"])
    r = score(ev)
    assert r.normalised.loc["Bid", "Price"] == 0.8
    assert r.contributions["Price"].to_dict() == pytest.approx({"Low": 40.0, "Bid": 32.0})
    assert r.table["score"].to_dict() == pytest.approx({"Low": 70.0, "Bid": 62.0})


FELP_FIRMS = ["Firm A", "Firm B", "Firm C", "Firm D"]
FELP = {"Non-financial": [123, 126, 129, 117], "Price": [10500, 10350, 11750, 9900]}


def test_published_example_non_financial_0_8_price_0_2():
    """FELP, "An Assessment Method" (https://www.felp.ac.uk/content/assessment-method):
    non-financial : price weighted 4 : 1 (0.8 : 0.2). Relative non-financial score = score ÷
    highest score × 100; relative financial score = lowest price ÷ price × 100; final =
    0.8 · non-financial + 0.2 · financial. Published, to two decimals:

    ============  ======  ======  ======  ======
    firm          A       B       C       D
    ============  ======  ======  ======  ======
    total score   123     126     129     117
    relative      95.35   97.67   100.00  90.70
    price (£)     10,500  10,350  11,750  9,900
    relative      94.29   95.65   84.26   100.00
    final         95.14   97.27   96.85   92.56
    ============  ======  ======  ======  ======

    The ratio formula on the (relative, higher-is-better) non-financial score and on the
    price reproduces every figure; Firm B wins.
    """
    quality = Criterion("Non-financial", "Quality", 0.8, formula=Formula.RATIO)
    price = PRICE.replace(weight=0.2)
    r = score(evaluation(FELP, [quality, price], FELP_FIRMS))
    s = r.normalised.loc[FELP_FIRMS]
    assert [round(100 * v, 2) for v in s["Non-financial"]] == [95.35, 97.67, 100.00, 90.70]
    assert [round(100 * v, 2) for v in s["Price"]] == [94.29, 95.65, 84.26, 100.00]
    assert [round(r.score(f), 2) for f in FELP_FIRMS] == [95.14, 97.27, 96.85, 92.56]
    assert r.vendors == ["Firm B", "Firm C", "Firm A", "Firm D"]
    # min–max on both (the formula before price scoring) would have made Firm C the winner
    linear = score(evaluation(FELP, [quality.replace(formula=None), price.replace(
        formula=Formula.LINEAR)], FELP_FIRMS))  # fmt: skip
    assert linear.leader == "Firm C"


QCBS_FIRMS = ["Alpha", "Beta", "Gamma", "Delta"]
QCBS = {"Technical": [85, 65, 78, 92], "Price": [120_000, 90_000, 100_000, 150_000]}


def qcbs_evaluation(**settings):
    technical = Criterion("Technical", "Technical", 1, scale=Scale.ABSOLUTE, min=0, max=100)
    return evaluation(
        QCBS, [technical, PRICE.replace(category="Financial")], QCBS_FIRMS,
        [Category("Technical", 80), Category("Financial", 20)], **settings,
    )  # fmt: skip


def test_qcbs_combined_score_with_technical_and_financial_weights_0_8_and_0_2():
    """World Bank, Guidelines: Selection and Employment of Consultants by World Bank
    Borrowers (Section II, Quality- and Cost-Based Selection): the lowest evaluated price
    Fm gets the financial score Sf = 100; any other proposal of price F gets
    Sf = 100 · Fm / F; proposals are ranked by S = St · T + Sf · P with the technical
    score St (0–100) and the weights T + P = 1, here T = 0.8 and P = 0.2.

    Worked example (Fm = 90,000, Beta's price):

    =====  ==  =======  ==============  =====================
    firm   St  F        Sf              S
    =====  ==  =======  ==============  =====================
    Alpha  85  120,000  75              68 + 15 = 83
    Beta   65  90,000   100             52 + 20 = 72
    Gamma  78  100,000  90              62.4 + 18 = 80.4
    Delta  92  150,000  60              73.6 + 12 = 85.6
    =====  ==  =======  ==============  =====================

    The technical and financial envelopes are categories weighing 80 and 20; the score is
    S on the 0–100 scale. (With the minimum technical score the guidelines also set, see
    tests/scoring/test_stages.py.)
    """
    r = score(qcbs_evaluation())
    assert r.weights.to_dict() == {"Technical": 0.8, "Price": 0.2}
    sf = (100 * r.normalised["Price"]).to_dict()
    assert sf == pytest.approx({"Alpha": 75.0, "Beta": 100.0, "Gamma": 90.0, "Delta": 60.0})
    assert r.table["score"].to_dict() == pytest.approx(
        {"Alpha": 83.0, "Beta": 72.0, "Gamma": 80.4, "Delta": 85.6}, abs=1e-9
    )
    assert r.vendors == ["Delta", "Alpha", "Gamma", "Beta"]
    assert r.category_scores.loc["Gamma"].to_dict() == pytest.approx(
        {"Technical": 78.0, "Financial": 90.0}
    )
    np.testing.assert_allclose(
        r.table["score"],
        0.8 * r.category_scores["Technical"] + 0.2 * r.category_scores["Financial"],
    )
