"""The dashboard's Streamlit-free helpers for prices, stages, costs and settings.

The evaluation is tests/ui/priced.py's, computed by hand in its docstring: Quillstone 69,
Midway 66, Cheapco 65; Lowgrade out at the Capability minimum, Shaky at the must-have.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd
import pytest
from priced import priced

from vendor_eval.core.costs import TCO_CRITERION
from vendor_eval.core.model import (
    Category,
    Criterion,
    Direction,
    Formula,
    Method,
    MissingPolicy,
    Scale,
    Settings,
)
from vendor_eval.core.problems import ScoringError, VendorEvalError
from vendor_eval.scoring.ranking import stage_label
from vendor_eval.scoring.scorer import score
from vendor_eval.ui.costs import cost_table, terms_caption, without_costs
from vendor_eval.ui.editor_cells import (
    category_minimums,
    check_formulas,
    with_category_minimums,
)
from vendor_eval.ui.robustness import withdrawal_frame
from vendor_eval.ui.scored import scored_note, shortlist_help
from vendor_eval.ui.settings_plain import (
    Chosen,
    changed_settings,
    control_defaults,
    origin_text,
    settings_table,
    with_dashboard_settings,
)
from vendor_eval.ui.tables import (
    criteria_frame,
    editor_columns,
    ranking_tables,
    vendor_values,
    with_criteria_edits,
)

TCO = TCO_CRITERION


@pytest.fixture
def ev():
    return priced()


def _edit(ev, row: int, **cells: object):
    frame = criteria_frame(ev)
    for column, value in cells.items():
        frame[column] = frame[column].astype(object)
        frame.at[row, column] = value
    return with_criteria_edits(ev, frame)


# -- the criteria editor ----------------------------------------------------------------


def test_the_editor_shows_each_formula_and_the_budget_ceiling(ev):
    frame = criteria_frame(ev)
    assert list(frame.columns) == [
        "Criterion", "Category", "Weight", "Direction", "Must", "Scale", "Formula", "Max",
        "Description",
    ]  # fmt: skip
    assert list(frame["Scale"]) == ["absolute", "price"]
    # blank formulas show the one in use: ratio for a price; none on an absolute scale
    assert pd.isna(frame.at[0, "Formula"]) and frame.at[1, "Formula"] == "ratio"
    assert math.isnan(frame.at[1, "Max"])
    assert list(frame["Direction"]) == ["higher", "lower"]
    # without a price criterion there is no budget ceiling to show
    relative = ev.with_criteria([ev.criteria[0]])
    assert "Max" not in editor_columns(relative) and "Formula" in editor_columns(relative)


def test_an_untouched_editor_changes_nothing(ev):
    assert with_criteria_edits(ev, criteria_frame(ev)).criteria == ev.criteria


def test_changing_the_price_formula_rescores_live(ev):
    # linear over Q2 = {Quillstone 10000, Midway 6000, Cheapco 2000}: 0, 0.5, 1
    linear = _edit(ev, 1, Formula="linear")
    assert linear.criterion(TCO).formula is Formula.LINEAR
    r = score(linear)
    assert r.qualified == ["Midway", "Cheapco", "Quillstone"]
    assert [r.score(v) for v in r.qualified] == pytest.approx([71.0, 65.0, 63.0])
    # budget with Max 12000: (12000 − p) / (12000 − 2000): 0.2, 0.6, 1
    budget = _edit(ev, 1, Formula="budget", Max=12000.0)
    assert (budget.criterion(TCO).formula, budget.criterion(TCO).max) == (Formula.BUDGET, 12000)
    r = score(budget)
    assert [(v, r.score(v)) for v in r.qualified] == [
        ("Midway", pytest.approx(74.0)),
        ("Quillstone", pytest.approx(69.0)),
        ("Cheapco", pytest.approx(65.0)),
    ]
    # back to ratio: the formula shown is the default again
    assert _edit(linear, 1, Formula="ratio").criterion(TCO).formula is Formula.RATIO


def test_the_scorer_refuses_a_budget_without_its_ceiling(ev):
    budget = _edit(ev, 1, Formula="budget")
    with pytest.raises(ScoringError) as info:
        check_formulas(budget)
    assert str(info.value) == (
        "Total cost of ownership: the budget formula needs Max, the budget ceiling (a price > 0)."
    )
    check_formulas(ev)  # ratio: nothing to refuse


def test_a_formula_on_an_absolute_criterion_is_refused_by_the_scorer(ev):
    with pytest.raises(ScoringError) as info:
        check_formulas(_edit(ev, 0, Formula="ratio"))
    assert str(info.value) == (
        "Quality: a Formula applies to relative and price criteria only (this one is absolute)."
    )


def test_a_ratio_on_a_lower_is_better_criterion_needs_values_above_zero():
    ev = priced()
    rate = Criterion("Days", "Capability", 1.0, Direction.LOWER, Scale.RELATIVE)
    values = ev.values.copy()
    values["Days"] = [3.0, 0.0, 5.0, 2.0, 4.0]
    ev = ev.with_criteria([*ev.criteria, rate])
    ev.values = values
    assert criteria_frame(ev).at[2, "Formula"] == "linear"
    ratio = _edit(ev, 2, Formula="ratio")
    with pytest.raises(ScoringError) as info:
        check_formulas(ratio)
    assert str(info.value) == "Days: the ratio formula needs values greater than 0; Midway has 0."


def test_editor_cells_that_cannot_be_used_name_their_row(ev):
    frame = criteria_frame(ev)
    frame = frame.astype({"Formula": object, "Max": object, "Direction": object})
    frame.at[1, "Formula"] = "cheapest wins"
    frame.at[1, "Max"] = -5.0
    frame.at[1, "Direction"] = "higher"
    frame.at[0, "Max"] = 10.0
    with pytest.raises(VendorEvalError) as info:
        with_criteria_edits(ev, frame)
    assert str(info.value) == (
        "Quality (row 1): Max is set here only for price criteria (the budget ceiling); "
        "Total cost of ownership (row 2): a price is lower-is-better (direction cannot be "
        "higher); Total cost of ownership (row 2): formula 'cheapest wins' is not one of "
        "'ratio', 'linear', 'budget'; Total cost of ownership (row 2): Max, the budget "
        "ceiling, must be a price greater than 0 (is -5)"
    )


def test_formula_aliases_are_accepted(ev):
    assert _edit(ev, 1, Formula="Min-Max").criterion(TCO).formula is Formula.LINEAR


# -- category minimums --------------------------------------------------------------------


def test_minimums_list_the_categories_without_a_price(ev):
    frame = category_minimums(ev)
    # Cost holds the price: its minimum would be judged before its prices are compared
    assert frame.to_dict("records") == [{"Category": "Capability", "Minimum": 50.0}]


def test_raising_a_minimum_disqualifies_at_the_minimum(ev):
    frame = category_minimums(ev)
    frame.at[0, "Minimum"] = 55.0
    edited = with_category_minimums(ev, frame)
    assert edited.categories[0] == Category("Capability", 70.0, minimum=55.0)
    assert ev.categories[0].minimum == 50.0  # the original is untouched
    r = score(edited)
    # Cheapco (Capability 50) falls too; prices over {Quillstone, Midway}: p_low 6000
    assert r.stage_of("Cheapco") == "minimum"
    assert r.qualified == ["Midway", "Quillstone"]
    assert [r.score(v) for v in r.qualified] == pytest.approx([86.0, 81.0])
    frame.at[0, "Minimum"] = None
    assert not score(with_category_minimums(ev, frame)).stages.get("Lowgrade")


def test_a_minimum_outside_0_to_100_is_refused(ev):
    frame = category_minimums(ev)
    frame.at[0, "Minimum"] = 120.0
    with pytest.raises(VendorEvalError) as info:
        with_category_minimums(ev, frame)
    assert str(info.value) == (
        "Capability minimum (row 1): a minimum is a score from 0 to 100 (is 120)"
    )


def test_a_minimum_on_a_flat_evaluation_keeps_the_effective_weights():
    from conftest import make_evaluation

    from vendor_eval.core.weights import effective_weights

    ev = make_evaluation(
        {"A": [1, 2, 3], "B": [3, 1, 2]},
        [Criterion("A", "X", 2.0), Criterion("B", "Y", 1.0)],
        vendors=["V1", "V2", "V3"],
    )
    frame = category_minimums(ev)
    assert with_category_minimums(ev, frame) is ev  # nothing set: still flat
    frame.at[1, "Minimum"] = 40.0
    edited = with_category_minimums(ev, frame)
    assert edited.categories == [Category("X", 2.0), Category("Y", 1.0, minimum=40.0)]
    assert effective_weights(edited).to_dict() == pytest.approx(effective_weights(ev).to_dict())
    # Y scores V1 100, V2 0, V3 50: V2 falls below 40
    assert score(edited).stages == {"V2": "minimum"}


# -- the ranking's stages and the values' notes -------------------------------------------


def test_disqualified_vendors_show_the_stage_they_fell_at(ev):
    q, d = ranking_tables(score(ev))
    assert list(q["Vendor"]) == ["Quillstone", "Midway", "Cheapco"]
    assert list(d.columns[:3]) == ["Vendor", "Stage", "Reasons"]
    assert d[["Vendor", "Stage", "Reasons"]].to_dict("records") == [
        {"Vendor": "Lowgrade", "Stage": "Quality minimum",
         "Reasons": "Capability score 40.0 is below the minimum 50"},
        {"Vendor": "Shaky", "Stage": "Must-have gate", "Reasons": "Quality must be >= 3 (is 2)"},
    ]  # fmt: skip


def test_stage_labels():
    assert stage_label("must-have") == "Must-have gate"
    assert stage_label("minimum") == "Quality minimum"
    assert stage_label("") == ""


def test_the_values_table_says_how_a_price_is_scored(ev):
    r = score(ev)
    values = vendor_values(r, "Midway").set_index("Criterion")
    assert values.at[TCO, "Scored"] == "price: lowest ÷ this bid"
    assert values.at[TCO, "Score"] == pytest.approx(2000 / 6000)
    assert values.at[TCO, "Points"] == pytest.approx(10.0)
    assert scored_note(ev.criteria[1].replace(formula=Formula.BUDGET)) == (
        "price: lowest 1, falling to 0 at the budget Max"
    )
    up = Criterion("Years", "X", 1.0, formula=Formula.RATIO)
    down = up.replace(direction=Direction.LOWER)
    assert scored_note(up) == "against the shortlist: this value ÷ highest"
    assert scored_note(down) == "against the shortlist: lowest ÷ this value"
    assert shortlist_help([Criterion("Years", "X", 1.0)]).startswith("Relative criteria are")
    assert shortlist_help(ev.criteria).startswith("Relative and price criteria are")
    assert shortlist_help([ev.criteria[0]]) is None


# -- the total cost of ownership ----------------------------------------------------------


def test_the_cost_table_follows_the_ranking(ev):
    table = cost_table(score(ev))
    assert list(table.columns) == [
        "Rank", "Vendor", "One-off", "Recurring", "Year 1", "Year 2", "Year 3", "TCO",
        "Price score",
    ]  # fmt: skip
    assert list(table["Vendor"]) == ["Quillstone", "Midway", "Cheapco", "Lowgrade", "Shaky"]
    assert table["Rank"].tolist() == ["1", "2", "3", "—", "—"]  # disqualified: no rank
    first = table.iloc[0]
    assert (first["One-off"], first["Recurring"], first["Year 2"], first["TCO"]) == (
        1000.0,
        9000.0,
        3000.0,
        10000.0,
    )
    # Cheapco: 200 one-off; 2 seats × 25 a month = 600 a year
    cheap = table.set_index("Vendor").loc["Cheapco"]
    assert (cheap["One-off"], cheap["Year 1"], cheap["TCO"]) == (200.0, 600.0, 2000.0)
    # the lowest bid compared is Cheapco's (Lowgrade fell at the minimum): 2000 / 10000
    assert table["Price score"].tolist() == pytest.approx([0.2, 2000 / 6000, 1.0, 1.0, 0.0])
    assert without_costs(table) == ["Shaky"]
    no_costs = priced()
    no_costs.costs = None
    assert cost_table(score(no_costs)) is None


def test_a_discount_rate_discounts_the_years_not_the_one_off():
    ev = priced().with_settings(origin="dashboard", discount_rate=0.1)
    table = cost_table(score(ev)).set_index("Vendor")
    q = table.loc["Quillstone"]
    assert q["One-off"] == 1000.0
    assert [q["Year 1"], q["Year 2"], q["Year 3"]] == pytest.approx(
        [3000 / 1.1, 3000 / 1.21, 3000 / 1.331]
    )
    assert q["TCO"] == pytest.approx(1000 + 3000 * (1 / 1.1 + 1 / 1.21 + 1 / 1.331))
    caption = terms_caption(score(ev))
    assert caption.startswith(
        "Contract term **3 years** (from the workbook), discount rate **10%** (changed here)."
    )
    assert "divided by (1 + 10%)^y" in caption


# -- settings -----------------------------------------------------------------------------


def test_the_sidebar_starts_from_the_settings_sheet():
    workbook = Settings(
        method=Method.TOPSIS, missing=MissingPolicy.MEAN, quality_minimum=60.0,
        contract_term=5, discount_rate=0.05,
        origin=dict.fromkeys(["method", "missing", "quality_minimum", "contract_term",
                              "discount_rate"], "workbook"),
    )  # fmt: skip
    assert control_defaults(priced(workbook)) == Chosen("topsis", "mean", 60.0, 5, 0.05)
    assert control_defaults(priced(Settings())) == Chosen("wsm", "worst", None, 3, 0.0)
    assert control_defaults(None) == Chosen("wsm", "worst", None, 3, 0.0)


def test_only_what_the_sidebar_changes_is_marked_changed_here(ev):
    same = control_defaults(ev)
    assert changed_settings(ev, same) == {}
    assert with_dashboard_settings(ev, same) is ev
    chosen = Chosen("topsis", "worst", 60.0, 5, 0.05)
    assert changed_settings(ev, chosen) == {
        "method": Method.TOPSIS, "quality_minimum": 60.0, "contract_term": 5,
        "discount_rate": 0.05,
    }  # fmt: skip
    edited = with_dashboard_settings(ev, chosen)
    s = edited.settings
    assert (s.method, s.quality_minimum, s.term, s.rate) == (Method.TOPSIS, 60.0, 5, 0.05)
    assert origin_text(s, "method") == "changed here"
    assert origin_text(s, "missing") == "default"
    # the TCO follows the term and rate: Quillstone 1000 + 3000 · Σ_{y=1..5} 1/1.05^y
    annuity = sum(1 / 1.05**y for y in range(1, 6))
    assert edited.values.at["Quillstone", TCO] == pytest.approx(1000 + 3000 * annuity)
    assert ev.values.at["Quillstone", TCO] == 10000.0  # the original is untouched


def test_a_quality_minimum_set_here_can_change_the_winner(ev):
    edited = with_dashboard_settings(ev, Chosen("wsm", "worst", 60.0, 3, 0.0))
    r = score(edited)
    # Cheapco's quality score is 50 < 60: out before prices; p_low becomes Midway's 6000
    assert r.stage_of("Cheapco") == "minimum"
    assert "quality score 50.0 is below the minimum 60" in r.table.at["Cheapco", "reasons"]
    assert r.qualified == ["Midway", "Quillstone"]
    assert [r.score(v) for v in r.qualified] == pytest.approx([86.0, 81.0])


def test_a_workbook_quality_minimum_can_be_taken_away_here():
    ev = priced(Settings(quality_minimum=60.0, origin={"quality_minimum": "workbook"}))
    assert score(ev).leader == "Midway"
    edited = with_dashboard_settings(ev, Chosen("wsm", "worst", None, 3, 0.0))
    assert edited.settings.quality_minimum is None
    assert origin_text(edited.settings, "quality_minimum") == "changed here"
    assert score(edited).leader == "Quillstone"
    assert ev.settings.quality_minimum == 60.0


def test_the_settings_in_use_say_where_each_comes_from(ev):
    edited = with_dashboard_settings(ev, Chosen("wsm", "mean", None, 3, 0.05))
    assert settings_table(edited).to_dict("records") == [
        {"Setting": "Method", "Value": "weighted sum", "Origin": "default"},
        {"Setting": "Missing values", "Value": "mean", "Origin": "changed here"},
        {"Setting": "Quality minimum", "Value": "none", "Origin": "default"},
        {"Setting": "Contract term (years)", "Value": "3 years", "Origin": "from the workbook"},
        {"Setting": "Discount rate", "Value": "5%", "Origin": "changed here"},
        {"Setting": "Disagreement threshold", "Value": "not set", "Origin": "default"},
    ]
    cli = ev.with_settings(origin="command line", method="topsis")
    assert settings_table(cli).at[0, "Origin"] == "from the command line"
    assert settings_table(cli).at[0, "Value"] == "TOPSIS"


# -- the withdrawal check -----------------------------------------------------------------


@dataclass(frozen=True)
class _Withdrawal:
    withdrawn: str
    leader: str | None
    changes_leader: bool


def test_the_withdrawal_table_marks_the_withdrawals_that_change_the_winner():
    frame = withdrawal_frame(
        [
            _Withdrawal("Midway", "Quillstone", False),
            _Withdrawal("Cheapco", "Midway", True),
            _Withdrawal("Solo", None, True),
        ]
    )
    assert frame.to_dict("records") == [
        {"If this vendor withdrew": "Midway", "The winner would be": "Quillstone",
         "Winner changes": "no"},
        {"If this vendor withdrew": "Cheapco", "The winner would be": "Midway",
         "Winner changes": "yes"},
        {"If this vendor withdrew": "Solo", "The winner would be": "nobody",
         "Winner changes": "yes"},
    ]  # fmt: skip
    assert withdrawal_frame([]).empty
    assert isinstance(withdrawal_frame([]), pd.DataFrame)
