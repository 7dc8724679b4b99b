"""Price criteria, the Formula column and category minimums in the Criteria and Categories
sheets (docs/workbook-format.md §3.6, §4): every rule with its exact cell and message.

The base workbook (tests/importer_helpers.py) has Price in row 5 of Criteria (column E is
Scale, F Min, G Max, H Must) and in column E of Vendors (Acme 1200, Bolt 950, Crane
$1,500); the Formula column is added as column I where a test needs it.
"""

from __future__ import annotations

import pytest
from importer_helpers import edited, raw_book, where

from vendor_eval.core.model import Direction, Formula, MustRule, Scale
from vendor_eval.core.problems import Code, ValidationError
from vendor_eval.scoring.scorer import score
from vendor_eval.workbook.importing.load import evaluation_from_book

V, C, K, S = "Vendors", "Criteria", "Categories", "Scores"
FORMULA = (C, "I1", "Formula")
PRICE = (C, "E5", "price")


def load(book: dict):
    return evaluation_from_book(raw_book(book))


def problems_of(book: dict) -> list:
    with pytest.raises(ValidationError) as exc:
        load(book)
    return exc.value.problems


def found(book: dict) -> list[tuple]:
    return [(*where(p), p.code) for p in problems_of(book)]


def warnings_of(book: dict) -> list[tuple]:
    return [(*where(p), p.code) for p in load(book).warnings]


# -- Scale price ------------------------------------------------------------------------------
@pytest.mark.parametrize("direction", [None, "lower", " LOWER ", "min", "cost"])
def test_a_price_is_lower_is_better_with_direction_blank_or_lower(direction) -> None:
    ev = load(edited(PRICE, (C, "D5", direction)))
    price = ev.criterion("Price")
    assert (price.scale, price.direction, price.formula) == (Scale.PRICE, Direction.LOWER, None)
    assert price.effective_formula is Formula.RATIO  # a blank Formula is ratio
    assert price.is_price and ev.price_criteria == [price]
    assert ev.values["Price"].tolist() == [1200.0, 950.0, 1500.0]
    assert ev.warnings == []


@pytest.mark.parametrize("scale", ["price", "Price", " PRICE ", "cost", "bid"])
def test_every_spelling_of_scale_price(scale: str) -> None:
    assert load(edited((C, "E5", scale))).criterion("Price").scale is Scale.PRICE


def test_a_price_with_direction_higher_is_a_problem_naming_the_cell() -> None:
    assert found(edited(PRICE, (C, "D5", "higher"))) == [
        (C, 5, "D", "Direction", 'a price is lower-is-better, but the Direction is "higher" '
         'for "Price": write lower or leave the cell empty', Code.PRICE_DIRECTION),
    ]  # fmt: skip


def test_a_direction_that_is_no_direction_is_reported_once() -> None:
    assert [p.code for p in problems_of(edited(PRICE, (C, "D5", "sideways")))] == [
        Code.NOT_A_DIRECTION
    ]


@pytest.mark.parametrize(
    ("cell", "value", "shown"),
    [("E2", 0, "0"), ("E3", "-950", "-950"), ("E4", "$0", "0"), ("E2", -0.5, "-0.5")],
)
def test_a_price_must_be_greater_than_0(cell: str, value: object, shown: str) -> None:
    row = int(cell[1:])
    assert found(edited(PRICE, (V, cell, value))) == [
        (V, row, "E", "Price", f"a price must be greater than 0 (is {shown})",
         Code.UNSCORABLE_VALUE),
    ]  # fmt: skip


def test_each_bad_price_is_its_own_problem() -> None:
    probs = problems_of(edited(PRICE, (V, "E2", 0), (V, "E4", -1)))
    assert [(p.cell, p.message) for p in probs] == [
        ("E2", "a price must be greater than 0 (is 0)"),
        ("E4", "a price must be greater than 0 (is -1)"),
    ]


def test_a_missing_price_is_missing_not_a_problem() -> None:
    ev = load(edited(PRICE, (V, "E3", None)))
    assert ev.values["Price"].isna().tolist() == [False, True, False]


def test_a_price_of_0_is_fine_on_a_plain_lower_is_better_criterion() -> None:
    # Without Scale price nothing divides by it: 0 is an ordinary value, as before.
    assert load(edited((V, "E2", 0))).values.at["Acme", "Price"] == 0.0


def test_a_must_rule_on_a_price_gates_on_the_raw_price() -> None:
    ev = load(edited(PRICE, (C, "H5", "<= 1,400")))
    assert ev.criterion("Price").must == MustRule("<=", 1400.0, "<= 1,400")
    ranking = score(ev)
    assert ranking.table.at["Crane", "reasons"] == ["Price must be <= 1400 (is 1500)"]


def test_a_yes_no_rule_on_a_price_is_a_problem() -> None:
    assert found(edited(PRICE, (C, "H5", "yes"))) == [
        (C, 5, "H", "Must", '"yes" is a yes/no rule for "Price", but the Scale is price',
         Code.YES_NO_RULE_MISMATCH),
    ]  # fmt: skip


def test_a_price_from_scores_is_checked_at_its_scores_cell() -> None:
    book = edited(PRICE, (V, "E1", "Old price"))
    book[S] = [["Evaluator", "Vendor", "Criterion", "Score"], ["Ann", "Acme", "Price", 0]]
    assert (S, 2, "D", "Score", "a price must be greater than 0 (is 0)") in [
        where(p) for p in problems_of(book)
    ]


# -- Formula ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "formula"),
    [
        ("ratio", Formula.RATIO),
        (" Ratio ", Formula.RATIO),
        ("proportional", Formula.RATIO),
        ("lowest / bid", Formula.RATIO),
        ("linear", Formula.LINEAR),
        ("min-max", Formula.LINEAR),
        ("budget", Formula.BUDGET),
        ("ceiling", Formula.BUDGET),
    ],
)
def test_formula_spellings_on_a_price(text: str, formula: Formula) -> None:
    book = edited(FORMULA, PRICE, (C, "I5", text), (C, "G5", 2000))
    price = load(book).criterion("Price")
    assert price.formula is formula
    assert price.max == (2000.0 if formula is Formula.BUDGET else None)


@pytest.mark.parametrize("header", ["Formula", "price formula", " Scoring Formula "])
def test_every_spelling_of_the_formula_header(header: str) -> None:
    ev = load(edited((C, "I1", header), PRICE, (C, "I5", "linear")))
    assert ev.criterion("Price").formula is Formula.LINEAR


def test_a_blank_formula_is_none() -> None:
    ev = load(edited(FORMULA, PRICE))
    assert [c.formula for c in ev.criteria] == [None, None, None, None]


def test_an_unknown_formula_is_a_problem() -> None:
    assert found(edited(FORMULA, PRICE, (C, "I5", "cheapest wins"))) == [
        (C, 5, "I", "Formula", '"cheapest wins" is not a formula for "Price": use ratio, '
         "linear or budget, or leave the cell empty", Code.NOT_A_FORMULA),
    ]  # fmt: skip


def test_ratio_and_linear_are_allowed_on_a_relative_criterion() -> None:
    ev = load(edited(FORMULA, (C, "I2", "ratio"), (C, "I5", "linear")))
    assert ev.criterion("Years in business").formula is Formula.RATIO
    assert ev.criterion("Price").formula is Formula.LINEAR
    assert ev.criterion("Price").scale is Scale.RELATIVE
    assert ev.warnings == []


def test_a_formula_on_absolute_or_yes_no_is_a_problem() -> None:
    assert found(edited(FORMULA, (C, "I3", "ratio"), (C, "I4", "linear"))) == [
        (C, 3, "I", "Formula", 'Formula ratio applies to relative and price criteria only for '
         '"Rating" (its Scale is absolute): clear the cell', Code.FORMULA_NOT_ALLOWED),
        (C, 4, "I", "Formula", 'Formula linear applies to relative and price criteria only for '
         '"ISO" (its Scale is yes/no): clear the cell', Code.FORMULA_NOT_ALLOWED),
    ]  # fmt: skip


def test_budget_on_a_relative_criterion_is_a_problem() -> None:
    assert found(edited(FORMULA, (C, "I5", "budget"), (C, "G5", 2000))) == [
        (C, 5, "I", "Formula", 'the budget formula applies to price criteria only for "Price" '
         "(its Scale is relative): use ratio or linear, or Scale price",
         Code.FORMULA_NOT_ALLOWED),
    ]  # fmt: skip


def test_budget_needs_max_above_0() -> None:
    budget = (FORMULA, PRICE, (C, "I5", "budget"))
    assert found(edited(*budget)) == [
        (C, 5, "G", "Max", 'the budget formula needs Max, the budget ceiling for "Price" (the '
         "highest price you would pay)", Code.BUDGET_CEILING),
    ]  # fmt: skip
    assert found(edited(*budget, (C, "G5", 0))) == [
        (C, 5, "G", "Max", 'the budget ceiling Max must be a price above 0 (is 0) for "Price"',
         Code.BUDGET_CEILING),
    ]  # fmt: skip


def test_budget_without_a_max_column_points_at_the_formula() -> None:
    book = edited(FORMULA, PRICE, (C, "I5", "budget"), (C, "E3", None), (C, "F3", None))
    for row in book[C]:
        del row[6]  # drop Max (Rating is now relative): Must moves to G, Formula to H
    assert [(p.cell, p.header, p.code) for p in problems_of(book)] == [
        ("H5", "Formula", Code.BUDGET_CEILING)
    ]


def test_min_on_a_budget_price_is_ignored_with_a_warning() -> None:
    book = edited(FORMULA, PRICE, (C, "I5", "budget"), (C, "F5", 500), (C, "G5", 2000))
    ev = load(book)
    assert (ev.criterion("Price").min, ev.criterion("Price").max) == (None, 2000.0)
    assert warnings_of(book) == [
        (C, 5, "F", "Min", 'Min for "Price" is not used by a price criterion (Max is the '
         "budget ceiling); it is ignored", Code.UNUSED_BOUNDS),
    ]  # fmt: skip


@pytest.mark.parametrize(("formula", "shown"), [(None, "ratio"), ("linear", "linear")])
def test_min_and_max_on_another_price_formula_are_ignored_with_a_warning(
    formula: str | None, shown: str
) -> None:
    book = edited(FORMULA, PRICE, (C, "I5", formula), (C, "G5", 2000))
    ev = load(book)
    assert (ev.criterion("Price").min, ev.criterion("Price").max) == (None, None)
    assert warnings_of(book) == [
        (C, 5, "G", "Max", f'Min and Max for "Price" are not used by a price criterion with the '
         f"{shown} formula (Max is the ceiling of the budget formula only); they are ignored",
         Code.UNUSED_BOUNDS),
    ]  # fmt: skip


def test_ratio_values_lower_is_better_must_be_above_0() -> None:
    book = edited(FORMULA, (C, "I5", "ratio"), (V, "E3", 0))
    assert found(book) == [
        (V, 3, "E", "Price", "the ratio formula (lowest ÷ value) needs a value greater than 0 "
         "(is 0)", Code.UNSCORABLE_VALUE),
    ]  # fmt: skip


def test_ratio_values_higher_is_better_must_be_0_or_more() -> None:
    ok = load(edited(FORMULA, (C, "I2", "ratio"), (C, "H2", None), (V, "B3", 0)))
    assert ok.values.at["Bolt", "Years in business"] == 0.0
    book = edited(FORMULA, (C, "I2", "ratio"), (C, "H2", None), (V, "B3", -2))
    assert found(book) == [
        (V, 3, "B", "Years in business", "the ratio formula (value ÷ highest) needs a value of "
         "0 or more (is -2)", Code.UNSCORABLE_VALUE),
    ]  # fmt: skip


def test_negative_values_on_a_linear_criterion_are_fine() -> None:
    ev = load(edited(FORMULA, (C, "I2", "linear"), (C, "H2", None), (V, "B3", -2)))
    assert ev.values.at["Bolt", "Years in business"] == -2.0


# -- scored as the workbook says ---------------------------------------------------------------
def test_a_price_criterion_is_scored_by_its_formula_over_the_qualified_vendors() -> None:
    # Bolt fails ISO's Must, so prices are compared between Acme (1200) and Crane (1500).
    # Reputation (50): years relative over Acme 12, Crane 20 → 0, 1; rating absolute 1–5 →
    # 0.75, 1: Acme (2·0 + 3·0.75) / 5 = 0.45, Crane 1. Capability (30): ISO yes, 1 each.
    # Cost (20): ratio 1200/1200 = 1, 1200/1500 = 0.8; linear 1, 0.
    ratio = score(load(edited(PRICE)))
    assert ratio.score("Acme") == pytest.approx(100 * (0.5 * 0.45 + 0.3 + 0.2))  # 72.5
    assert ratio.score("Crane") == pytest.approx(100 * (0.5 + 0.3 + 0.2 * 0.8))  # 96
    linear = score(load(edited(FORMULA, PRICE, (C, "I5", "linear"))))
    assert linear.score("Crane") == pytest.approx(100 * (0.5 + 0.3))  # 80
    assert linear.score("Acme") == pytest.approx(72.5)


def test_ratio_on_a_relative_criterion_keeps_the_shortest_record_in_points() -> None:
    # Years 12 (Acme) and 20 (Crane) among the qualified: linear gives Acme 0, ratio 12/20.
    book = edited(FORMULA, (C, "I2", "ratio"))
    ranking = score(load(book))
    reputation_acme = (2 * 12 / 20 + 3 * 0.75) / 5
    expected = 100 * (0.5 * reputation_acme + 0.3 + 0.2 * 1.0)  # Acme is the cheaper: 1
    assert ranking.score("Acme") == pytest.approx(expected)


# -- Categories Minimum ----------------------------------------------------------------------------
MINIMUM = (K, "C1", "Minimum")


@pytest.mark.parametrize(
    ("value", "minimum"),
    [(60, 60.0), ("60", 60.0), ("60%", 60.0), ("55.5 %", 55.5), (0, 0.0), (100, 100.0),
     ("0.5%", 0.5), (None, None), ("  ", None)],
)  # fmt: skip
def test_a_minimum_is_a_score_from_0_to_100(value: object, minimum: float | None) -> None:
    book = edited(MINIMUM, (K, "C2", value))
    ev = load(book)
    assert [k.minimum for k in ev.categories] == [minimum, None, None]
    assert ev.warnings == []
    assert ev.has_minimums is (minimum is not None)


@pytest.mark.parametrize("header", ["Minimum", "min", "Minimum score", " min score ", "Threshold"])
def test_every_spelling_of_the_minimum_header(header: str) -> None:
    assert load(edited((K, "C1", header), (K, "C3", 70))).categories[1].minimum == 70.0


@pytest.mark.parametrize(("value", "read"), [(0.6, "60"), (1, "100"), (0.755, "75.5")])
def test_a_bare_fraction_is_read_as_a_percentage_with_a_warning(value: float, read: str) -> None:
    book = edited(MINIMUM, (K, "C2", value))
    assert load(book).categories[0].minimum == pytest.approx(float(read))
    shown = str(value)
    assert warnings_of(book) == [
        (K, 2, "C", "Minimum", f'minimum {shown} is read as {read} for "Reputation" (a cell '
         f"formatted as a percentage holds {read}% as {shown}); type {read} to make it plain",
         Code.READ_AS_PERCENT),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("value", "message", "code"),
    [
        (150, '150 is not a score from 0 to 100 for "Reputation"', Code.NOT_A_MINIMUM),
        (-5, '-5 is not a score from 0 to 100 for "Reputation"', Code.NOT_A_MINIMUM),
        ("150%", '"150%" is not a score from 0 to 100 for "Reputation"', Code.NOT_A_MINIMUM),
        ("high", '"high" is not a score from 0 to 100 for "Reputation"', Code.NOT_A_MINIMUM),
        ("6,5", '"6,5" is not a number for "Reputation": use a decimal point, e.g. 6.5',
         Code.DECIMAL_COMMA),
    ],
)  # fmt: skip
def test_a_minimum_that_is_no_score_is_a_problem(value: object, message: str, code: str) -> None:
    assert found(edited(MINIMUM, (K, "C2", value))) == [(K, 2, "C", "Minimum", message, code)]


def test_a_minimum_on_a_category_holding_a_price_is_a_problem() -> None:
    assert found(edited(MINIMUM, PRICE, (K, "C4", 50))) == [
        (K, 4, "C", "Minimum", 'category "Cost" holds the price criterion "Price": a Minimum '
         "cannot apply to it (prices are compared only among the vendors that meet the "
         "minimums); put the price in a category of its own, or clear the cell",
         Code.MINIMUM_ON_PRICE),
    ]  # fmt: skip


def test_a_minimum_beside_a_price_elsewhere_is_fine() -> None:
    ev = load(edited(MINIMUM, PRICE, (K, "C2", 40)))
    assert ev.staged and ev.categories[0].minimum == 40.0


def test_a_category_minimum_disqualifies_before_prices() -> None:
    # Reputation scores over the gate-qualified Acme and Crane: Acme 45, Crane 100. A
    # Reputation minimum of 50 leaves Crane alone, which then has the lowest price: 1.
    ranking = score(load(edited(MINIMUM, PRICE, (K, "C2", 50))))
    assert ranking.table.at["Acme", "reasons"] == ["Reputation score 45.0 is below the minimum 50"]
    assert ranking.score("Crane") == pytest.approx(100.0)
