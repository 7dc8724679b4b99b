"""The Costs sheet and the total cost of ownership (docs/workbook-format.md §12): cost lines,
every rule with its exact cell and message, and TCO values computed by hand."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from importer_helpers import BASE, raw_book, sheets, where

from vendor_eval.core.costs import COST_COLUMNS, TCO_CRITERION, Frequency
from vendor_eval.core.model import Direction, Scale
from vendor_eval.core.problems import Code, ValidationError
from vendor_eval.scoring.scorer import score
from vendor_eval.workbook.importing.load import evaluation_from_book

V, C, K, S, T = "Vendors", "Criteria", "Categories", "Scores", "Costs"
HEAD = ["Vendor", "Item", "Amount", "Frequency", "Quantity"]
TCO_ROW = [TCO_CRITERION, "Cost", 1, None, "price"]


def book(
    *lines: list[object], tco_row: list[object] | None = TCO_ROW, settings=None, **changes
) -> dict:
    crit = [list(r) for r in BASE[C]] + ([list(tco_row)] if tco_row else [])
    out = sheets(Criteria=crit, Costs=[HEAD, *(list(x) for x in lines)], **changes)
    if settings:
        out["Settings"] = [["Setting", "Value"], *settings]
    return out


def load(b: dict):
    return evaluation_from_book(raw_book(b))


def found(b: dict) -> list[tuple]:
    with pytest.raises(ValidationError) as exc:
        load(b)
    return [(*where(p), p.code) for p in exc.value.problems]


def tco(ev) -> list[float]:
    return ev.values[TCO_CRITERION].tolist()


MONTHLY = ["Acme", "Licence", 1000, "monthly", None]


# -- the arithmetic, by hand ----------------------------------------------------------------------
def test_monthly_over_the_default_three_years_undiscounted() -> None:
    lines = (["Bolt", "Licence", 900, "monthly"], ["Crane", "Fee", 40000, "one-off"])
    ev = load(book(MONTHLY, *lines))
    assert tco(ev) == [36_000.0, 32_400.0, 40_000.0]  # 1,000 · 12 · 3; 900 · 36; once
    price = ev.criterion(TCO_CRITERION)
    assert (price.scale, price.direction, price.source) == (Scale.PRICE, Direction.LOWER, "costs")


def test_monthly_discounted_at_5_percent() -> None:
    ev = load(book(MONTHLY, settings=[["Discount rate", "5%"]]))
    expected = 12_000 * (1 / 1.05 + 1 / 1.05**2 + 1 / 1.05**3)  # 32,678.98
    assert tco(ev)[0] == pytest.approx(expected, rel=1e-12)
    assert tco(ev)[0] == pytest.approx(32_678.976, abs=1e-3)


def test_one_off_yearly_and_quantity_over_a_four_year_term() -> None:
    lines = (
        ["Acme", "Setup", 5000, "one-off"],
        ["Acme", "Support", 2000, "yearly", 3],  # 3 units a year
    )
    ev = load(book(*lines, settings=[["Contract term (years)", 4]]))
    assert tco(ev)[0] == 5000 + 2000 * 3 * 4  # 29,000


def test_quarterly_with_quantity_at_10_percent_over_two_years() -> None:
    ev = load(
        book(
            ["Acme", "Hosting", 500, "quarterly", 2],
            settings=[["Contract term (years)", 2], ["Discount rate", 0.10]],
        )
    )
    assert tco(ev)[0] == pytest.approx(500 * 2 * 4 * (1 / 1.1 + 1 / 1.1**2))  # 6,942.15


def test_one_off_items_are_never_discounted() -> None:
    ev = load(book(["Acme", "Setup", 5000, "one-off", 2], settings=[["Discount rate", 0.2]]))
    assert tco(ev)[0] == 10_000.0


def test_every_line_of_a_vendor_adds_up() -> None:
    lines = (
        ["Acme", "Setup", "$5,000", "one-off"],
        ["Acme", "Licence", "1,000", "per month", 2],
        ["acme ", "Training", 250, "Quarterly", None],  # the vendor matched by name key
        ["Acme", "Audit", 1500, "annual", 1],
    )
    ev = load(book(*lines, settings=[["Contract term (years)", 2]]))
    assert tco(ev)[0] == 5000 + 1000 * 2 * 24 + 250 * 8 + 1500 * 2  # 58,000
    assert ev.units[TCO_CRITERION] == "$"


def test_the_long_frame() -> None:
    ev = load(book(["Acme", "Setup", 5000, "once"], ["Bolt", None, 90.5, "month", 3]))
    frame = ev.costs
    assert list(frame.columns) == COST_COLUMNS
    assert frame.to_dict("records") == [
        {"Vendor": "Acme", "Item": "Setup", "Amount": 5000.0, "Frequency": Frequency.ONE_OFF,
         "Quantity": 1.0},
        {"Vendor": "Bolt", "Item": "", "Amount": 90.5, "Frequency": Frequency.MONTHLY,
         "Quantity": 3.0},
    ]  # fmt: skip
    assert all(isinstance(f, Frequency) for f in frame["Frequency"])
    assert frame["Amount"].dtype == float and frame["Quantity"].dtype == float


def test_a_changed_term_recomputes_the_tco() -> None:
    ev = load(book(MONTHLY))
    assert tco(ev.with_settings(contract_term=5))[0] == 60_000.0
    assert ev.cost_breakdown().tco["Acme"] == 36_000.0


def test_the_tco_is_scored_as_a_ratio_price() -> None:
    # Bolt fails ISO's Must. TCO Acme 36,000, Crane 30,000: ratio 30/36 and 1. The base
    # Price criterion (relative, lower) stays as it was: Acme 1200 → 1, Crane 1500 → 0.
    b = book(MONTHLY, ["Bolt", "Licence", 1, "monthly"], ["Crane", "Licence", 30000, "one-off"])
    ranking = score(load(b))
    # Reputation 50: Acme 0.45, Crane 1. Capability 30: 1 each. Cost 20: Price and TCO
    # weigh 1 each: Acme (1 + 30/36) / 2, Crane (0 + 1) / 2.
    acme = 100 * (0.5 * 0.45 + 0.3 + 0.2 * (1 + 30 / 36) / 2)
    assert ranking.score("Acme") == pytest.approx(acme)
    assert ranking.score("Crane") == pytest.approx(100 * (0.5 + 0.3 + 0.2 * 0.5))


# -- missing costs -----------------------------------------------------------------------------
def test_a_vendor_without_lines_has_a_missing_tco_and_a_warning() -> None:
    ev = load(book(MONTHLY))
    assert tco(ev)[0] == 36_000.0 and math.isnan(tco(ev)[1]) and math.isnan(tco(ev)[2])
    costs_warnings = [(where(w), w.code) for w in ev.warnings if w.sheet == T]
    assert costs_warnings == [
        ((T, None, None, None, f'"{v}" has no lines in the Costs sheet: its total cost of '
          "ownership is missing (the missing-values policy applies)"), Code.NO_COSTS)
        for v in ("Bolt", "Crane")
    ]  # fmt: skip


def test_an_empty_amount_makes_the_tco_missing_with_a_warning() -> None:
    lines = (MONTHLY, ["Acme", "Support", None, "yearly"], ["Bolt", "Licence", 1, "monthly"])
    ev = load(book(*lines, ["Crane", "Licence", 1, "monthly"]))
    assert math.isnan(tco(ev)[0]) and tco(ev)[1:] == [36.0, 36.0]
    assert [(where(w), w.code) for w in ev.warnings if w.sheet == T] == [
        ((T, 3, "C", "Amount", 'the amount is missing, so the total cost of ownership of "Acme" '
          "is missing (the missing-values policy applies); type 0 for an item that costs "
          "nothing"), Code.MISSING_AMOUNT),
    ]  # fmt: skip
    assert math.isnan(ev.costs.at[1, "Amount"])


def test_a_costs_sheet_without_lines_is_as_if_there_were_none() -> None:
    for rows in ([HEAD], [[None]], [HEAD, [None, None]]):
        ev = load(sheets(Costs=rows))
        assert ev.costs is None and TCO_CRITERION not in ev.criterion_names


def test_a_tco_criterion_without_costs_or_a_column_says_where_its_values_come_from() -> None:
    b = sheets(Criteria=[list(r) for r in BASE[C]] + [TCO_ROW])
    assert found(b) == [
        (C, 6, "A", "Criterion", 'criterion "Total cost of ownership" has no column in Vendors '
         "and no rows in Scores (its values can come from a Costs sheet: one row per cost "
         "line, Vendor | Item | Amount | Frequency | Quantity)", Code.UNLINKED_CRITERION),
    ]  # fmt: skip


def test_a_tco_column_without_costs_is_an_ordinary_criterion() -> None:
    b = sheets(Criteria=[list(r) for r in BASE[C]] + [TCO_ROW])
    for row, value in zip(b[V], [TCO_CRITERION, 30000, 28000, 35000], strict=True):
        row.append(value)
    ev = load(b)
    assert tco(ev) == [30000.0, 28000.0, 35000.0] and ev.costs is None
    assert ev.criterion(TCO_CRITERION).source == "column"


# -- rules ---------------------------------------------------------------------------------------
def test_each_bad_cell_is_a_problem_naming_it() -> None:
    lines = (
        ["Zed", "Licence", 1, "monthly"],
        ["Acme", "Setup", -500, "one-off"],
        ["Acme", "Licence", "ten", "weekly", 0],
        ["Bolt", "Licence", 10, None, "two"],
        [None, "Licence", 10, "monthly", -1],
        ["Crane", "Licence", 10, 12, None],
    )
    assert found(book(*lines)) == [
        (T, 2, "A", "Vendor", 'vendor "Zed" is not in the Vendors sheet', Code.UNKNOWN_VENDOR),
        (T, 3, "C", "Amount", "the amount -500 is negative: a cost is 0 or more (take a "
         "discount or credit off the amount it applies to)", Code.NEGATIVE_AMOUNT),
        (T, 4, "C", "Amount", '"ten" is not a number', Code.NOT_A_NUMBER),
        (T, 4, "D", "Frequency", '"weekly" is not a frequency: use one-off, monthly, quarterly '
         "or yearly", Code.NOT_A_FREQUENCY),
        (T, 4, "E", "Quantity", "the quantity must be above 0 (is 0); delete the line if the "
         "item is not bought", Code.NOT_A_QUANTITY),
        (T, 5, "D", "Frequency", "the frequency is missing: use one-off, monthly, quarterly or "
         "yearly", Code.NOT_A_FREQUENCY),
        (T, 5, "E", "Quantity", '"two" is not a number', Code.NOT_A_NUMBER),
        (T, 6, "A", "Vendor", "vendor name is empty", Code.EMPTY_NAME),
        (T, 6, "E", "Quantity", "the quantity must be above 0 (is -1); delete the line if the "
         "item is not bought", Code.NOT_A_QUANTITY),
        (T, 7, "D", "Frequency", "12 is not a frequency: use one-off, monthly, quarterly or "
         "yearly", Code.NOT_A_FREQUENCY),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "frequency"),
    [("one-off", Frequency.ONE_OFF), ("One off", Frequency.ONE_OFF), ("upfront", Frequency.ONE_OFF),
     ("MONTHLY", Frequency.MONTHLY), ("per  month", Frequency.MONTHLY),
     ("quarter", Frequency.QUARTERLY), ("yearly", Frequency.YEARLY),
     ("annually", Frequency.YEARLY), (" per year ", Frequency.YEARLY)],
)  # fmt: skip
def test_frequency_spellings(text: str, frequency: Frequency) -> None:
    assert load(book(["Acme", "x", 1, text])).costs.at[0, "Frequency"] is frequency


def test_blank_rows_are_skipped_and_rows_keep_their_numbers() -> None:
    b = book(MONTHLY, [None] * 5, ["Bolt", "Licence", -1, "monthly"])
    assert [(r, c) for _, r, c, *_ in found(b)] == [(4, "C")]


def test_mixed_currencies_are_a_problem_at_the_amount_header() -> None:
    b = book(["Acme", "x", "$1,000", "monthly"], ["Bolt", "x", "€900", "monthly"])
    assert found(b) == [
        (T, 1, "C", "Amount", "mixed currencies $ (C2), € (C3): convert them to one currency",
         Code.MIXED_CURRENCIES),
    ]  # fmt: skip


def test_a_tco_of_0_is_a_problem_at_the_vendors_first_line() -> None:
    b = book(MONTHLY, ["Bolt", "Free tier", 0, "monthly"], ["Bolt", "Setup", 0, "one-off"])
    assert found(b) == [
        (T, 3, "C", "Amount", 'the total cost of ownership of "Bolt" is 0: a price must be '
         "greater than 0", Code.UNSCORABLE_VALUE),
    ]  # fmt: skip


def test_a_missing_column_is_a_problem() -> None:
    b = sheets(Costs=[["Vendor", "Item", "Amount"], ["Acme", "x", 1]])
    assert found(b) == [
        (T, 1, None, None, 'no "Frequency" column (headers found: Vendor, Item, Amount)',
         Code.MISSING_HEADER),
    ]  # fmt: skip


def test_costs_need_the_tco_criterion_in_the_criteria_sheet() -> None:
    assert found(book(MONTHLY, tco_row=None)) == [
        (T, 1, None, None, "the Costs sheet gives each vendor's total cost of ownership, but "
         'the Criteria sheet has no criterion "Total cost of ownership": add a row with '
         'Criterion "Total cost of ownership", a Category (e.g. Cost), a Weight and Scale '
         "price", Code.MISSING_TCO_CRITERION),
    ]  # fmt: skip


def test_the_tco_criterion_must_have_scale_price() -> None:
    row = [TCO_CRITERION, "Cost", 1, "lower", "relative"]
    assert found(book(MONTHLY, tco_row=row)) == [
        (C, 6, "E", "Scale", 'criterion "Total cost of ownership" takes its values from the '
         "Costs sheet, so its Scale must be price (is relative)", Code.TCO_NOT_PRICE),
    ]  # fmt: skip


def test_the_tco_criterion_is_found_by_name_key() -> None:
    ev = load(book(MONTHLY, tco_row=[" total COST of ownership", "Cost", 1, None, "price"]))
    assert tco(ev)[0] == 36_000.0


def test_a_vendors_column_of_the_tco_beside_costs_is_a_problem() -> None:
    b = book(MONTHLY)
    for row, value in zip(b[V], [TCO_CRITERION, 1, 2, 3], strict=True):
        row.append(value)
    assert found(b) == [
        (V, 1, "G", TCO_CRITERION, 'the column "Total cost of ownership" is computed from the '
         "Costs sheet; delete this column (or the Costs sheet)", Code.TCO_COLUMN),
    ]  # fmt: skip


def test_scores_rows_of_the_tco_beside_costs_are_a_problem() -> None:
    b = book(MONTHLY)
    b[S] = [["Evaluator", "Vendor", "Criterion", "Score"], ["Ann", "Acme", TCO_CRITERION, 5]]
    assert found(b) == [
        (S, None, None, None, 'criterion "Total cost of ownership" is computed from the Costs '
         "sheet; delete its rows here (or the Costs sheet)", Code.TCO_COLUMN),
    ]  # fmt: skip


def test_too_many_cost_lines_are_refused_before_they_are_read() -> None:
    b = sheets(Costs=[HEAD, *(["Acme", "x", 1, "monthly"] for _ in range(500_001))])
    with pytest.raises(ValidationError) as exc:
        load(b)
    assert [(p.sheet, p.code) for p in exc.value.problems] == [(T, Code.TOO_MANY_VALUES)]


# -- the default model -------------------------------------------------------------------------
DEFAULT_VENDORS = [
    ["Vendor", "Client rating", "Blended hourly rate"],
    ["Acme", 4, 100],
    ["Bolt", 3, 90],
]


def test_the_default_model_gets_the_tco_in_its_cost_category() -> None:
    vendors = [["Vendor", "Client rating"], ["Acme", 4], ["Bolt", 3]]
    b = sheets(Vendors=vendors, Criteria=None, Categories=None)
    b[T] = [HEAD, MONTHLY, ["Bolt", "Licence", 800, "monthly"]]
    ev = load(b)
    assert ev.default_model
    assert ev.criterion_names == ["Client rating", TCO_CRITERION]
    t = ev.criterion(TCO_CRITERION)
    assert (t.category, t.weight, t.scale, t.source) == ("Cost", 100.0, Scale.PRICE, "costs")
    assert [(k.name, k.weight) for k in ev.categories] == [("Reputation", 15.0), ("Cost", 15.0)]
    assert tco(ev) == [36_000.0, 28_800.0]
    assert ev.warnings == []


def test_beside_the_hourly_rate_the_default_tco_is_a_warning() -> None:
    b = sheets(Vendors=DEFAULT_VENDORS, Criteria=None, Categories=None)
    b[T] = [HEAD, MONTHLY, ["Bolt", "Licence", 800, "monthly"]]
    ev = load(b)
    assert [c.name for c in ev.criteria if c.category == "Cost"] == [
        "Blended hourly rate",
        TCO_CRITERION,
    ]
    assert [(where(w), w.code) for w in ev.warnings] == [
        ((T, None, None, None, "the Costs sheet's total cost of ownership is scored as "
          'criterion "Total cost of ownership" in the Cost category, with the same weight as '
          '"Blended hourly rate": add a Criteria sheet to weigh them differently'),
         Code.DEFAULT_TCO),
    ]  # fmt: skip


def test_a_weights_row_with_the_default_tco_asks_for_a_criteria_sheet() -> None:
    vendors = [*DEFAULT_VENDORS, ["Weight", 2, 1]]
    b = sheets(Vendors=vendors, Criteria=None, Categories=None)
    b[T] = [HEAD, MONTHLY]
    with pytest.raises(ValidationError) as exc:
        load(b)
    assert [p.message for p in exc.value.problems] == [
        'row 4 "Weight" gives no weight for "Total cost of ownership", whose values come from '
        "Costs: give the weights in a Criteria sheet"
    ]


def test_the_frame_is_empty_of_rows_with_errors_only_when_it_fails() -> None:
    # A valid sheet keeps every line, in order; nothing of a failed import is returned.
    ev = load(book(MONTHLY, ["Crane", "Fee", 1, "yearly"]))
    assert isinstance(ev.costs, pd.DataFrame) and ev.costs["Vendor"].tolist() == ["Acme", "Crane"]
