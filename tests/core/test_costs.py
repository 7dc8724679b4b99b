"""Total cost of ownership (docs/scoring.md §12.4): TCO = Σ amount · quantity · f, with
f = 1 for one-off items (never discounted) and Σ_{y=1..T} k / (1 + r)^y for k = 12, 4, 1
payments a year; the breakdown per year; Settings and Evaluation.with_settings."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from conftest import make_evaluation

from vendor_eval.core.costs import (
    COST_COLUMNS,
    TCO_CRITERION,
    Frequency,
    breakdown,
    frequency_factor,
    per_year,
    tco_values,
)
from vendor_eval.core.model import Criterion, Scale, Settings
from vendor_eval.scoring.scorer import score

ONE, MONTH, QUARTER, YEAR = (
    Frequency.ONE_OFF, Frequency.MONTHLY, Frequency.QUARTERLY, Frequency.YEARLY,
)  # fmt: skip


def costs(*rows) -> pd.DataFrame:
    """Rows of (vendor, item, amount, frequency, quantity)."""
    return pd.DataFrame(list(rows), columns=COST_COLUMNS)


# Acme: licence 1,000 once; 2 seats at 100 a month; support 50 a quarter; hosting 200 a year
ACME = [
    ("Acme", "Licence", 1000.0, ONE, 1.0),
    ("Acme", "Seats", 100.0, MONTH, 2.0),
    ("Acme", "Support", 50.0, QUARTER, 1.0),
    ("Acme", "Hosting", 200.0, YEAR, 1.0),
]


def test_frequencies_counted_over_the_term_without_discounting():
    # per year: 2·100·12 + 50·4 + 200 = 2,800; over 3 years 8,400, plus 1,000 once
    b = breakdown(costs(*ACME), ["Acme"], term=3, rate=0.0)
    assert b.tco["Acme"] == 9400.0
    assert b.one_off["Acme"] == 1000.0 and b.recurring["Acme"] == 8400.0
    assert b.years.loc["Acme"].tolist() == [2800.0, 2800.0, 2800.0]
    assert list(b.years.columns) == ["Year 1", "Year 2", "Year 3"]


@pytest.mark.parametrize(
    ("frequency", "amount", "term", "want"),
    [
        (ONE, 1000.0, 5, 1000.0),
        (MONTH, 100.0, 3, 3600.0),  # 12 · 3 payments
        (QUARTER, 50.0, 3, 600.0),  # 4 · 3
        (YEAR, 200.0, 3, 600.0),
        (YEAR, 200.0, 1, 200.0),
    ],
)
def test_each_frequency_alone(frequency, amount, term, want):
    rows = costs(("V", "Item", amount, frequency, 1.0))
    assert tco_values(rows, ["V"], term, 0.0)["V"] == want


def test_quantity_multiplies_the_amount():
    rows = costs(("V", "Seats", 100.0, MONTH, 25.0))
    assert tco_values(rows, ["V"], 2, 0.0)["V"] == 100.0 * 25 * 12 * 2


def test_recurring_payments_are_discounted_by_the_year_they_fall_in():
    # r = 10 %: a yearly 1,210 over 2 years is 1,210/1.1 + 1,210/1.21 = 1,100 + 1,000;
    # a quarterly 121 is 4·121/1.1 + 4·121/1.21 = 440 + 400; monthly 110 for one year is
    # 12·110/1.1 = 1,200
    rows = costs(
        ("A", "Hosting", 1210.0, YEAR, 1.0),
        ("B", "Support", 121.0, QUARTER, 1.0),
        ("C", "Seats", 110.0, MONTH, 1.0),
    )
    got = tco_values(rows, ["A", "B"], 2, 0.10).to_dict()
    assert got == pytest.approx({"A": 2100.0, "B": 840.0}, rel=1e-12)
    assert tco_values(rows, ["C"], 1, 0.10)["C"] == pytest.approx(1200.0, rel=1e-12)
    b = breakdown(rows, ["A"], 2, 0.10)
    assert b.years.loc["A"].tolist() == pytest.approx([1100.0, 1000.0], rel=1e-12)


def test_one_off_items_are_never_discounted():
    rows = costs(("A", "Licence", 5000.0, ONE, 2.0), ("A", "Hosting", 1210.0, YEAR, 1.0))
    b = breakdown(rows, ["A"], 2, 0.10)
    assert b.one_off["A"] == 10000.0
    assert b.tco["A"] == pytest.approx(12100.0, rel=1e-12)
    assert frequency_factor(ONE, 10, 0.5) == 1.0


def test_the_breakdown_adds_up_and_names_its_columns():
    b = breakdown(costs(*ACME), ["Acme"], term=3, rate=0.05)
    frame = b.to_frame()
    assert list(frame.columns) == ["One-off", "Recurring", "Year 1", "Year 2", "Year 3", "TCO"]
    assert frame.index.name == "Vendor"
    row = frame.loc["Acme"]
    assert row["Recurring"] == pytest.approx(row[["Year 1", "Year 2", "Year 3"]].sum())
    assert row["TCO"] == pytest.approx(row["One-off"] + row["Recurring"], rel=1e-12)
    assert row["Year 1"] == pytest.approx(2800 / 1.05) and row["Year 3"] == pytest.approx(
        2800 / 1.05**3
    )
    assert (b.term, b.rate) == (3, 0.05)


def test_a_vendor_without_cost_lines_has_no_tco_and_unknown_vendors_are_ignored():
    rows = costs(*ACME, ("Elsewhere", "Fee", 1.0, ONE, 1.0))
    b = breakdown(rows, ["Acme", "Bare"], 3, 0.0)
    assert math.isnan(b.tco["Bare"]) and math.isnan(b.one_off["Bare"])
    assert b.years.loc["Bare"].isna().all()
    assert list(b.tco.index) == ["Acme", "Bare"]


def test_a_blank_quantity_is_1():
    rows = costs(("A", "Fee", 10.0, YEAR, np.nan), ("B", "Fee", 10.0, YEAR, None))
    assert tco_values(rows, ["A", "B"], 3, 0.0).to_dict() == {"A": 30.0, "B": 30.0}
    no_column = rows.drop(columns="Quantity")
    assert tco_values(no_column, ["A"], 2, 0.0)["A"] == 20.0


def test_frequency_text_and_aliases():
    rows = costs(("A", "Fee", 10.0, "Annual", 1.0), ("A", "Set-up", 5.0, "upfront", 1.0))
    assert tco_values(rows, ["A"], 2, 0.0)["A"] == 25.0
    assert Frequency.from_alias("per month") is MONTH
    assert Frequency.from_alias("Quarter") is QUARTER
    assert [f.per_year for f in Frequency] == [0, 12, 4, 1]
    with pytest.raises(ValueError, match="'weekly' is not one of"):
        Frequency.from_alias("weekly")


def test_per_year_and_frequency_factor():
    assert per_year(MONTH, 3, 0.0).tolist() == [12.0, 12.0, 12.0]
    assert per_year(ONE, 2, 0.1).tolist() == [0.0, 0.0]
    assert per_year(YEAR, 2, 1.0).tolist() == [0.5, 0.25]
    assert frequency_factor(QUARTER, 2, 1.0) == 3.0  # 4/2 + 4/4


# -- Settings and the Evaluation ---------------------------------------------------------
def test_settings_defaults_and_override():
    s = Settings()
    assert (s.term, s.rate) == (3, 0.0) and s.origin == {}
    t = s.override("workbook", contract_term=5, discount_rate=None)
    assert (t.term, t.rate, t.discount_rate) == (5, 0.0, None)
    assert t.origin == {"contract_term": "workbook"}
    u = t.override(discount_rate=0.05)
    assert u.origin == {"contract_term": "workbook", "discount_rate": "command line"}
    assert s.override() is s
    with pytest.raises(TypeError, match="unknown settings: \\['term'\\]"):
        s.override(term=4)


def tco_evaluation(vendors=("Acme", "Bolt")):
    rows = costs(
        *ACME, ("Bolt", "Licence", 4000.0, ONE, 1.0), ("Bolt", "Hosting", 1000.0, YEAR, 1.0)
    )
    tco = tco_values(rows, list(vendors), 3, 0.0)
    fit = Criterion("Fit", "Capability", 1)
    price = Criterion(TCO_CRITERION, "Cost", 1, scale=Scale.PRICE)
    ev = make_evaluation(
        {"Fit": [1.0, 2.0], TCO_CRITERION: tco.to_list()}, [fit, price], vendors=list(vendors)
    )
    ev.costs = rows
    return ev


def test_with_settings_recomputes_the_tco_column():
    ev = tco_evaluation()
    assert ev.values[TCO_CRITERION].to_dict() == {"Acme": 9400.0, "Bolt": 7000.0}
    # 5 years: Acme 1,000 + 5·2,800; Bolt 4,000 + 5·1,000
    five = ev.with_settings(contract_term=5)
    assert five.values[TCO_CRITERION].to_dict() == {"Acme": 15000.0, "Bolt": 9000.0}
    assert five.settings.origin == {"contract_term": "command line"}
    assert five.values["Fit"].equals(ev.values["Fit"])
    assert ev.values[TCO_CRITERION].to_dict() == {"Acme": 9400.0, "Bolt": 7000.0}  # unchanged
    # 1 year at 10 %: Acme 1,000 + 2,800/1.1; Bolt 4,000 + 1,000/1.1
    one = ev.with_settings(contract_term=1, discount_rate=0.10)
    assert one.values[TCO_CRITERION].to_dict() == pytest.approx(
        {"Acme": 1000 + 2800 / 1.1, "Bolt": 4000 + 1000 / 1.1}
    )
    assert one.cost_breakdown().to_frame().loc["Bolt", "Year 1"] == pytest.approx(1000 / 1.1)
    # the ranking follows: over 3 years Bolt is cheaper; over 1 year Acme is
    assert score(ev).normalised.loc["Bolt", TCO_CRITERION] == 1.0
    assert score(one).normalised.loc["Acme", TCO_CRITERION] == 1.0


def test_with_settings_that_change_nothing_returns_the_same_evaluation():
    ev = tco_evaluation()
    assert ev.with_settings(contract_term=None) is ev
    same_term = ev.with_settings(contract_term=3)  # the default, now set from the command line
    assert same_term.values is ev.values
    assert same_term.settings.origin == {"contract_term": "command line"}


def test_with_settings_matches_vendors_by_name():
    ev = tco_evaluation()
    ev.values = ev.values.loc[["Bolt", "Acme"]]  # a frame in another order than the vendors
    five = ev.with_settings(contract_term=5)
    assert five.values[TCO_CRITERION].to_dict() == {"Acme": 15000.0, "Bolt": 9000.0}


def test_without_costs_with_settings_leaves_the_values_alone():
    ev = make_evaluation({"Price": [1.0, 2.0]}, [Criterion("Price", "Cost", 1, scale=Scale.PRICE)])
    changed = ev.with_settings(contract_term=7, discount_rate=0.2)
    assert changed.values is ev.values and changed.settings.term == 7
    assert changed.cost_breakdown() is None


def test_the_readme_example_set_up_plus_a_monthly_fee():
    # 5,000 once + 1,000 a month over 3 years: 41,000 at 0 %; at 5 % the fee counts
    # 12 · (1/1.05 + 1/1.05² + 1/1.05³) = 32.679 times: 5,000 + 32,678.98 = 37,678.98
    rows = costs(("V", "Set-up", 5000.0, ONE, 1.0), ("V", "Fee", 1000.0, MONTH, 1.0))
    assert tco_values(rows, ["V"], 3, 0.0)["V"] == 41000.0
    assert frequency_factor(MONTH, 3, 0.05) == pytest.approx(32.678977, abs=1e-6)
    assert round(tco_values(rows, ["V"], 3, 0.05)["V"]) == 37679
