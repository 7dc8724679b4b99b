"""The dashboard's Streamlit-free helpers: headline numbers, tables and weight edits."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from conftest import make_evaluation

from vendor_eval.core.model import Category, Criterion, Direction, MustRule, Scale
from vendor_eval.core.problems import VendorEvalError
from vendor_eval.core.weights import effective_weights
from vendor_eval.scoring.scorer import score
from vendor_eval.ui.tables import (
    category_weights,
    criteria_frame,
    fingerprint,
    gate_results,
    headline,
    missing_overview,
    ranking_tables,
    slider_scale,
    vendor_missing,
    vendor_profile,
    vendor_values,
    with_category_weights,
    with_criteria_edits,
)
from vendor_eval.workbook.values import format_value

CRITERIA = [
    Criterion("Price", "Cost", 2.0, Direction.LOWER),
    Criterion("Quality", "Capability", 1.0, scale=Scale.ABSOLUTE, min=1.0, max=5.0),
    Criterion("ISO", "Capability", 1.0, scale=Scale.YESNO, must=MustRule("=", 1.0, "yes")),
]


@pytest.fixture
def flat():
    # Price s: A 1, B 0, C 0.5; Quality s: A 1, B 0.5, C 0 (missing, worst);
    # ISO: C fails the must.  w = (0.5, 0.25, 0.25)
    ev = make_evaluation(
        {"Price": [100, 200, 150], "Quality": [5, 3, None], "ISO": [1, 1, 0]},
        CRITERIA,
        vendors=["A", "B", "C"],
    )
    ev.descriptive = pd.DataFrame({"Website": ["a.example", None, "c.example"]}, ev.vendors)
    return ev


def test_headline_and_tables(flat):
    r = score(flat)
    # A: 100·(0.5·1 + 0.25·1 + 0.25·1) = 100; B: 100·(0 + 0.125 + 0.25) = 37.5
    h = headline(r)
    assert (h.leader, h.runner_up, h.qualified, h.vendors) == ("A", "B", 2, 3)
    assert h.leader_score == pytest.approx(100.0)
    assert h.margin == pytest.approx(62.5)
    q, d = ranking_tables(r)
    assert list(q["Rank"]) == [1, 2]
    assert list(q["Vendor"]) == ["A", "B"]
    assert list(d["Vendor"]) == ["C"] and "Rank" not in d
    assert "ISO" in d.loc[0, "Reasons"]
    # most telling columns first; reasons of the disqualified right after the name
    cats = ["Cost", "Capability"]
    assert list(q.columns) == ["Rank", "Vendor", "Score", "Completeness", *cats]
    assert list(d.columns) == ["Vendor", "Reasons", "Score", "Completeness", *cats]
    assert q["Score"].tolist() == pytest.approx([100.0, 37.5])


def test_headline_with_one_qualified_vendor_has_no_margin(flat):
    h = headline(
        score(
            flat.with_criteria(
                [
                    c.replace(must=MustRule(">=", 4, ">= 4")) if c.name == "Quality" else c
                    for c in flat.criteria
                ]
            )
        )
    )
    assert (h.leader, h.margin, h.runner_up, h.qualified) == ("A", None, None, 1)


def test_fingerprint_follows_content(flat):
    same = make_evaluation(
        {"Price": [100, 200, 150], "Quality": [5, 3, None], "ISO": [1, 1, 0]},
        CRITERIA,
        vendors=["A", "B", "C"],
    )
    same.descriptive = flat.descriptive.copy()
    assert fingerprint(same) == fingerprint(flat)
    assert fingerprint(flat.with_weights({"Price": 3.0})) != fingerprint(flat)
    other = flat.values.copy()
    other.loc["A", "Price"] = 101
    assert fingerprint(make_evaluation(other, CRITERIA)) != fingerprint(flat)


def test_flat_category_sliders_keep_effective_weights(flat):
    assert category_weights(flat) == {"Cost": 2.0, "Capability": 2.0}
    assert with_category_weights(flat, {"Cost": 2.0, "Capability": 2.0}) is flat
    ev = with_category_weights(flat, {"Cost": 1.0, "Capability": 3.0})
    assert ev.categories == [Category("Cost", 1.0), Category("Capability", 3.0)]
    # Cost 1/4; Capability 3/4 split equally between Quality and ISO
    assert effective_weights(ev).to_dict() == pytest.approx(
        {"Price": 0.25, "Quality": 0.375, "ISO": 0.375}
    )


def test_category_sliders_edit_the_categories_sheet(flat):
    ev = flat.with_categories([Category("Cost", 30.0), Category("Capability", 70.0)])
    assert category_weights(ev) == {"Cost": 30.0, "Capability": 70.0}
    ev2 = with_category_weights(ev, {"Cost": 50.0, "Capability": 50.0})
    assert effective_weights(ev2).to_dict() == pytest.approx(
        {"Price": 0.5, "Quality": 0.25, "ISO": 0.25}
    )


@pytest.mark.parametrize(
    ("weights", "expected"),
    [
        ({"a": 0.3, "b": 0.7}, (1.0, 0.01)),
        ({"a": 3, "b": 5}, (10.0, 0.1)),
        ({"a": 15, "b": 25}, (100.0, 1.0)),
        ({"a": 150}, (300.0, 1.0)),
        ({}, (1.0, 0.01)),
    ],
)
def test_slider_scale(weights, expected):
    assert slider_scale(weights) == expected


def test_criteria_edits_apply_weight_direction_and_rule(flat):
    frame = criteria_frame(flat)
    assert list(frame["Must"]) == ["", "", "yes"]
    assert list(frame["Direction"]) == ["lower", "higher", "higher"]
    frame.loc[0, "Weight"] = 6.0
    frame.loc[1, "Direction"] = "lower"
    frame.loc[1, "Must"] = ">= 4"
    frame.loc[2, "Must"] = None
    ev = with_criteria_edits(flat, frame)
    price, quality, iso = ev.criteria
    assert price.weight == 6.0
    assert quality.direction is Direction.LOWER
    assert (quality.must.op, quality.must.value) == (">=", 4.0)
    assert iso.must is None
    assert flat.criteria == CRITERIA  # the original is untouched


def test_criteria_edits_report_every_bad_cell(flat):
    frame = criteria_frame(flat)
    frame.loc[0, "Weight"] = -1.0
    frame.loc[1, "Must"] = "at least four"
    frame.loc[2, "Weight"] = math.nan
    with pytest.raises(VendorEvalError) as info:
        with_criteria_edits(flat, frame)
    text = str(info.value)
    assert "Price (row 1): weight must be a number ≥ 0 (is -1)" in text
    assert "Quality (row 2): must-have rule" in text and "at least four" in text
    assert "ISO (row 3): weight must be a number ≥ 0 (is missing)" in text


def test_vendor_detail_tables(flat):
    r = score(flat)
    gates = gate_results(r, "C")
    assert gates.to_dict("records") == [
        {"Criterion": "ISO", "Rule": "yes", "Value": "no", "Result": "fail"}
    ]
    assert list(gate_results(r, "A")["Result"]) == ["pass"]
    miss = vendor_missing(r, "C")
    assert list(miss["Criterion"]) == ["Quality"]
    assert miss.loc[0, "Weight share"] == pytest.approx(0.25)
    assert vendor_missing(r, "A").empty
    assert vendor_profile(flat, "A").to_dict("records") == [
        {"Field": "Website", "Value": "a.example"}
    ]
    assert vendor_profile(flat, "B").empty


def test_missing_overview_counts_per_criterion(flat):
    ov = missing_overview(score(flat))
    assert ov.loc[0, "Criterion"] == "Quality"
    assert ov.loc[0, "Missing"] == 1
    assert ov.loc[0, "Missing share"] == pytest.approx(1 / 3)
    assert ov.loc[0, "Vendors without a value"] == "C"
    assert list(ov["Missing"]) == [1, 0, 0]


def test_criteria_edits_report_text_in_the_weight_column_without_a_traceback(flat):
    # the editor's NumberColumn normally sends numbers, but a pasted or stale cell may be text
    frame = criteria_frame(flat)
    frame["Weight"] = frame["Weight"].astype(object)
    frame.loc[0, "Weight"] = "abc"
    with pytest.raises(VendorEvalError) as info:
        with_criteria_edits(flat, frame)
    assert str(info.value) == 'Price (row 1): weight must be a number ≥ 0 (is "abc")'


def test_criteria_edits_refuse_a_weight_so_large_the_sums_overflow(flat):
    # two weights of 1e308 summed to infinity: the effective weights then added up to less
    # than 1 and every score shrank, with no message
    frame = criteria_frame(flat)
    frame["Weight"] = 1e308
    with pytest.raises(VendorEvalError) as info:
        with_criteria_edits(flat, frame)
    assert str(info.value).startswith(
        "Price (row 1): weight 1e+308 is too large; Quality (row 2): weight"
    )
    frame["Weight"] = 1e100  # the importer's own limit still works
    assert effective_weights(with_criteria_edits(flat, frame)).sum() == pytest.approx(1.0)


def test_vendor_values_show_value_score_and_points(flat):
    r = score(flat)
    c = vendor_values(r, "C")
    assert list(c.columns) == ["Criterion", "Category", "Value", "Score", "Points", "Scored"]
    # C: Price 150 → s 0.5, 100·0.5·0.5 = 25 points; Quality missing → 0 (worst); ISO no
    assert c.to_dict("records") == [
        {"Criterion": "Price", "Category": "Cost", "Value": "150", "Score": 0.5,
         "Points": 25.0, "Scored": "against the shortlist (lowest 0, highest 1)"},
        {"Criterion": "Quality", "Category": "Capability", "Value": "missing", "Score": 0.0,
         "Points": 0.0, "Scored": "on its fixed Min–Max scale"},
        {"Criterion": "ISO", "Category": "Capability", "Value": "no", "Score": 0.0,
         "Points": 0.0, "Scored": "yes 1, no 0"},
    ]  # fmt: skip
    for v in flat.vendors:  # the points add up to the vendor's total
        assert vendor_values(r, v)["Points"].sum() == pytest.approx(r.score(v))


@pytest.mark.parametrize(
    ("criterion", "x", "unit", "shown"),
    [
        (Criterion("SLA uptime", "Contract", 1.0), 0.999, None, "99.9%"),  # default model %
        (Criterion("SLA uptime", "Contract", 1.0), 99.9, None, "99.9"),  # typed as a number
        (Criterion("Share", "X", 1.0), 0.25, "%", "25%"),
        (Criterion("Rate", "Cost", 1.0), 95.0, "$", "$95"),
        (Criterion("Rate", "Cost", 1.0), 95.5, "CHF", "95.5 CHF"),
        (Criterion("ISO", "X", 1.0, scale=Scale.YESNO), 1.0, None, "yes"),
        (Criterion("ISO", "X", 1.0, scale=Scale.YESNO), 0.0, None, "no"),
        (Criterion("Years", "X", 1.0), 12.0, None, "12"),
        (Criterion("Years", "X", 1.0), math.nan, None, "missing"),
    ],
)
def test_values_are_formatted_by_the_criterion_kind(criterion, x, unit, shown):
    assert format_value(criterion, x, unit) == shown


@pytest.mark.parametrize(
    ("scored", "numeric", "start"),
    [
        (2, 5, "**Only 2 of the workbook's 5 numeric columns are scored**: A leads"),
        (1, 3, "**Only 1 of the workbook's 3 numeric columns are scored**"),
        (2, 4, "2 columns of numbers or yes/no values are not scored"),  # half: no alarm
        (9, 10, "1 column of numbers or yes/no values is not scored"),
    ],
)
def test_unscored_summary_alarms_below_half(scored, numeric, start):
    from vendor_eval.ui.results import unscored_summary

    assert unscored_summary(scored, numeric, "A").startswith(start)
