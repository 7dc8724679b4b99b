"""The export of a staged evaluation (docs/scoring.md §12): price formulas on Weights and
Criteria, the stage each disqualified vendor fell at, Costs and Cost breakdown, Settings
and where each setting came from, and the withdrawal check on Sensitivity.

The evaluation (hand-computed): Capability (weight 3, Minimum 60) holds Features and Support,
absolute 0–10, weight 1 each (Support a must-have ``>= 3``); Cost (weight 1) holds the ratio
price ``Total cost of ownership``, whose values are the Costs sheet's TCO over 3 years, 0 %:

========  ========  =======  ===========  ==========  ===================================
vendor    Features  Support  TCO          Capability  result
========  ========  =======  ===========  ==========  ===================================
Acme      8         6        28,000       70          3rd, 73.0357…
Bolt      7         9        23,000       80          1st, 85
Cheapco   4         5        8,000        45          below the minimum 60 (and quality 50)
Dyno      9         8        30,000       85          2nd, 82.9166…
Eagle     10        2        20,000       60          fails the must-have Support >= 3
========  ========  =======  ===========  ==========  ===================================

Cheapco bids lowest but falls at the minimum, so prices are compared over Acme, Bolt and
Dyno: p_low = 23,000 (Bolt). s = 23,000 / TCO: Acme 0.821428…, Bolt 1, Dyno 0.766…; Cheapco
and Eagle (disqualified) 23,000 / 8,000 and 23,000 / 20,000 clipped to 1. Effective weights
0.375, 0.375, 0.25: Bolt 100·(0.375·0.7 + 0.375·0.9 + 0.25) = 85.
"""

from __future__ import annotations

import dataclasses
import io

import openpyxl
import pandas as pd
import pytest
from conftest import make_evaluation, random_evaluation

from vendor_eval.core.costs import COST_COLUMNS, TCO_CRITERION, Frequency, tco_values
from vendor_eval.core.model import (
    Category,
    Criterion,
    Direction,
    Formula,
    MustRule,
    Scale,
    Settings,
)
from vendor_eval.output.excel.audit import compute_sensitivity
from vendor_eval.output.excel.export import write_export
from vendor_eval.output.excel.settings import DEFAULT_DISAGREEMENT_THRESHOLD
from vendor_eval.output.excel.sheets import Layout
from vendor_eval.scoring.scorer import score
from vendor_eval.workbook import schema

SENS = {"leader": None, "verdict": "n/a", "p_first": {}, "critical": []}
VENDORS = ["Acme", "Bolt", "Cheapco", "Dyno", "Eagle"]
F = Frequency
COSTS = pd.DataFrame(
    [
        ("Acme", "Licence", 10000.0, F.ONE_OFF, 1.0),
        ("Acme", "Support", 500.0, F.MONTHLY, 1.0),
        ("Bolt", "Set-up", 5000.0, F.ONE_OFF, 1.0),
        ("Bolt", "Subscription", 6000.0, F.YEARLY, 1.0),
        ("Cheapco", "Set-up", 2000.0, F.ONE_OFF, 1.0),
        ("Cheapco", "Service", 250.0, F.QUARTERLY, 2.0),
        ("Dyno", "Set-up", 1200.0, F.ONE_OFF, 1.0),
        ("Dyno", "Seats", 40.0, F.MONTHLY, 20.0),
        ("Eagle", "Licence", 20000.0, F.ONE_OFF, 1.0),
    ],
    columns=COST_COLUMNS,
)
CHEAPCO_REASONS = (
    "Capability score 45.0 is below the minimum 60; quality score 45.0 is below the minimum 50"
)


def staged_evaluation(**settings: object):
    """The module docstring's evaluation; ``settings`` as set in the workbook."""
    st = Settings(quality_minimum=50.0).override("workbook", **settings)
    st = dataclasses.replace(st, origin={**st.origin, "quality_minimum": "workbook"})
    crit = [
        Criterion("Features", "Capability", 1.0, scale=Scale.ABSOLUTE, min=0.0, max=10.0),
        Criterion("Support", "Capability", 1.0, scale=Scale.ABSOLUTE, min=0.0, max=10.0,
                  must=MustRule(">=", 3.0, ">= 3")),
        Criterion(TCO_CRITERION, "Cost", 1.0, Direction.LOWER, Scale.PRICE),
    ]  # fmt: skip
    tco = tco_values(COSTS, VENDORS, st.term, st.rate)
    values = {"Features": [8, 7, 4, 9, 10], "Support": [6, 9, 5, 8, 2], TCO_CRITERION: tco}
    cats = [Category("Capability", 3.0, minimum=60.0), Category("Cost", 1.0)]
    ev = make_evaluation({k: list(v) for k, v in values.items()}, crit, cats, VENDORS)
    return dataclasses.replace(ev, settings=st, costs=COSTS.copy())


def load(data: bytes, data_only: bool = True) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data), data_only=data_only)


def table(ws, first: int = 1) -> list[tuple]:
    return [tuple(r) for r in ws.iter_rows(min_row=first, values_only=True)]


@pytest.fixture(scope="module")
def staged():
    rk = score(staged_evaluation())
    return rk, write_export(rk, sensitivity=SENS)


def test_the_hand_computed_ranking(staged):
    rk, _ = staged
    assert rk.vendors == ["Bolt", "Dyno", "Acme", "Eagle", "Cheapco"]
    assert rk.table["score"].tolist() == pytest.approx(
        [85.0, 100 * (0.3375 + 0.3 + 0.25 * 23 / 30), 100 * (0.3 + 0.225 + 0.25 * 23 / 28),
         70.0, 58.75], abs=1e-9,
    )  # fmt: skip
    assert rk.stages == {"Eagle": "must-have", "Cheapco": "minimum"}


def test_sheets_of_a_staged_export(staged):
    _, data = staged
    assert load(data).sheetnames == [
        "Summary", "Weights", "Criterion scores", "Contributions", "Cost breakdown",
        "Sensitivity", "Data", "Vendors", "Criteria", "Categories", "Costs", "Settings", "Audit",
    ]  # fmt: skip


def test_summary_says_where_each_disqualified_vendor_fell_and_why(staged):
    _, data = staged
    wb = load(data, data_only=False)
    ws = wb["Summary"]
    heads = [c.value for c in ws[6]]  # under the header block (rows 1-5)
    assert heads == ["Rank", "Vendor", "Status", "Score", "Capability (category)",
                     "Cost (category)", "Completeness", "Disqualified at", "Reasons",
                     "Strengths", "Weaknesses"]  # fmt: skip
    cached = load(data)["Summary"]
    rows = [r[:4] + r[7:9] for r in table(cached, 7)][:5]  # the table, not the block under it
    assert rows == [
        (1, "Bolt", "Qualified", pytest.approx(85.0), None, None),
        (2, "Dyno", "Qualified", pytest.approx(82.9166666667), None, None),
        (3, "Acme", "Qualified", pytest.approx(73.0357142857), None, None),
        (None, "Eagle", "Disqualified", pytest.approx(70.0), "Must-have gate",
         "Support must be >= 3 (is 2)"),
        (None, "Cheapco", "Disqualified", pytest.approx(58.75), "Quality minimum",
         CHEAPCO_REASONS),
    ]  # fmt: skip
    # the live rank formula keys on Status: Cheapco, out at the minimum, stays unranked
    assert ws["A11"].value == (
        '=IF(C11="Qualified",SUMPRODUCT(($C$7:$C$11="Qualified")*($D$7:$D$11>D11+1E-9))+1,"")'
    )


def test_a_category_score_below_its_minimum_is_flagged_red(staged):
    _, data = staged
    ws = load(data, data_only=False)["Summary"]
    rules = {str(cf.sqref): cf.rules for cf in ws.conditional_formatting}
    (red,) = rules["E7:E11"]
    assert (red.type, red.formula) == ("expression", ["AND(ISNUMBER(E7),E7<60-1E-9)"])
    assert (red.dxf.fill.bgColor.rgb, red.dxf.font.color.rgb) == ("00FFC7CE", "009C0006")
    assert "F7:F11" not in rules  # Cost has no minimum
    # the rule comes first, so it shows on a grey (disqualified) row too
    first = next(iter(ws.conditional_formatting))
    assert str(first.sqref) == "E7:E11"


def test_weights_and_criteria_show_the_scoring_formula(staged):
    _, data = staged
    wb = load(data, data_only=False)
    w = wb["Weights"]
    assert [c.value for c in w[1]] == [
        "Criterion", "Category", "Weight (as entered)", "Category weight",
        "Share of its category", "Effective weight", "Scoring formula", "", "Category",
        "Category weight (as entered)", "Share of total", "Minimum",
    ]  # fmt: skip
    assert [(w.cell(r, 1).value, w.cell(r, 7).value) for r in (2, 3, 4)] == [
        ("Features", "fixed scale (0 to 10)"),
        ("Support", "fixed scale (0 to 10)"),
        (TCO_CRITERION, "ratio (lowest ÷ bid)"),
    ]
    assert [[w.cell(r, c).value for c in (9, 10, 12)] for r in (2, 3)] == [
        ["Capability", 3, 60],
        ["Cost", 1, None],
    ]
    assert w["D2"].value == "=$J$2" and w["K3"].value == "=IF(SUM($J$2:$J$3)=0,0,J3/SUM($J$2:$J$3))"
    crit = wb["Criteria"]
    assert [c.value for c in crit[1]] == schema.CRITERIA.headers
    formula = schema.CRITERIA.index(schema.FORMULA) + 1
    scale = schema.CRITERIA.index(schema.SCALE) + 1
    assert [(crit.cell(r, 1).value, crit.cell(r, scale).value, crit.cell(r, formula).value)
            for r in (2, 3, 4)] == [
        ("Features", "absolute", None), ("Support", "absolute", None),
        (TCO_CRITERION, "price", "ratio"),
    ]  # fmt: skip
    cats = wb["Categories"]
    assert [c.value for c in cats[1]] == schema.CATEGORIES.headers
    assert table(cats, 2) == [("Capability", "='Weights'!$J$2", 60, None),
                              ("Cost", "='Weights'!$J$3", None, None)]  # fmt: skip
    cats_cached = load(data)["Categories"]
    assert [r[1] for r in table(cats_cached, 2)] == [3, 1]


def test_every_formula_is_named_in_words_and_written_as_it_scores():
    crit = [
        Criterion("Price", "Cost", 1.0, Direction.LOWER, Scale.PRICE, formula=Formula.BUDGET,
                  max=50000.0),
        Criterion("Day rate", "Cost", 1.0, Direction.LOWER, Scale.PRICE, formula=Formula.LINEAR),
        Criterion("Years", "Fit", 1.0, formula=Formula.RATIO),
        Criterion("Defects", "Fit", 1.0, Direction.LOWER, formula=Formula.RATIO),
        Criterion("Uptime", "Fit", 1.0),
        Criterion("ISO", "Fit", 1.0, scale=Scale.YESNO),
    ]  # fmt: skip
    values = {"Price": [40000, 45000], "Day rate": [900, 1000], "Years": [9, 12],
              "Defects": [3, 4], "Uptime": [99.0, 99.5], "ISO": [1, 0]}  # fmt: skip
    data = write_export(score(make_evaluation(values, crit)), sensitivity=SENS)
    wb = load(data)
    w = wb["Weights"]  # flat weights: the formula in column F
    assert w["F1"].value == "Scoring formula"
    assert {w.cell(r, 1).value: w.cell(r, 6).value for r in range(2, 8)} == {
        "Price": "budget (lowest bid to the ceiling 50000)",
        "Day rate": "linear (lowest to highest bid)",
        "Years": "ratio (value ÷ highest)",
        "Defects": "ratio (lowest ÷ value)",
        "Uptime": "linear (min–max over the field)",
        "ISO": "yes/no",
    }
    crit_ws = wb["Criteria"]
    k = schema.CRITERIA.index(schema.FORMULA) + 1
    assert [crit_ws.cell(r, k).value for r in range(2, 8)] == [
        "budget",
        "linear",
        "ratio",
        "ratio",
        "linear",
        None,
    ]


def test_an_unstaged_disqualified_vendor_fell_at_the_must_have_gate(rng):
    ev = random_evaluation(rng, n_vendors=8, n_criteria=3, n_categories=None)
    ev.criteria[2] = dataclasses.replace(ev.criteria[2], must=MustRule("=", 1.0, "yes"))
    rk = score(ev)
    assert not rk.stages and 0 < len(rk.qualified) < 8
    ws = load(write_export(rk, sensitivity=SENS))["Summary"]
    heads = [c.value for c in ws[6]]
    at = heads.index("Disqualified at") + 1
    got = {ws.cell(r, 2).value: ws.cell(r, at).value for r in range(7, 15)}
    assert got == {v: (None if v in rk.qualified else "Must-have gate") for v in rk.vendors}
    assert len(ws.conditional_formatting) == 2  # no minimums: no red rule
    notes = [r[0] for r in table(load(write_export(rk, sensitivity=SENS))["Weights"]) if r[0]]
    assert not any("minimums" in str(n) for n in notes)


def test_costs_sheet_holds_the_cost_lines_in_the_input_format(staged):
    _, data = staged
    wb = load(data)
    assert table(wb["Costs"]) == [
        tuple(schema.COSTS.headers),
        ("Acme", "Licence", 10000, "one-off", 1),
        ("Acme", "Support", 500, "monthly", 1),
        ("Bolt", "Set-up", 5000, "one-off", 1),
        ("Bolt", "Subscription", 6000, "yearly", 1),
        ("Cheapco", "Set-up", 2000, "one-off", 1),
        ("Cheapco", "Service", 250, "quarterly", 2),
        ("Dyno", "Set-up", 1200, "one-off", 1),
        ("Dyno", "Seats", 40, "monthly", 20),
        ("Eagle", "Licence", 20000, "one-off", 1),
    ]
    # the TCO comes from Costs: no Vendors column of that name (it would clash on import)
    assert [c.value for c in wb["Vendors"][1]] == ["Vendor", "Features", "Support"]
    data_heads = [c.value for c in wb["Data"][1]]
    assert data_heads == ["Vendor", "Features", "Support", TCO_CRITERION]
    assert [r[3] for r in table(wb["Data"], 2)] == [23000, 30000, 28000, 20000, 8000]


def test_cost_breakdown_per_vendor_undiscounted(staged):
    _, data = staged
    ws = load(data)["Cost breakdown"]
    rows = table(ws)
    assert rows[0] == ("Vendor", "One-off", "Recurring", "Year 1", "Year 2", "Year 3", "TCO")
    assert rows[1:6] == [
        ("Bolt", 5000, 18000, 6000, 6000, 6000, 23000),
        ("Dyno", 1200, 28800, 9600, 9600, 9600, 30000),
        ("Acme", 10000, 18000, 6000, 6000, 6000, 28000),
        ("Eagle", 20000, 0, 0, 0, 0, 20000),
        ("Cheapco", 2000, 6000, 2000, 2000, 2000, 8000),
    ]
    assert rows[7][0].startswith("Contract term 3 years, discount rate 0% (sheet Settings).")
    assert ws["G2"].number_format == "#,##0.00" and ws["G2"].font.b


def test_cost_breakdown_discounted_and_a_vendor_without_cost_lines():
    ev = staged_evaluation(contract_term=2, discount_rate=0.1)
    costs = ev.costs[ev.costs["Vendor"] != "Eagle"].reset_index(drop=True)
    ev = dataclasses.replace(ev, costs=costs)
    ev.values[TCO_CRITERION] = tco_values(costs, VENDORS, 2, 0.1).to_numpy()
    rk = score(ev)
    rows = {r[0]: r for r in table(load(write_export(rk, sensitivity=SENS))["Cost breakdown"])}
    # Acme: 10,000 once + 500 a month: 6,000 / 1.1 in year 1 and 6,000 / 1.21 in year 2
    y1, y2 = 6000 / 1.1, 6000 / 1.21
    assert rows["Acme"][1:] == pytest.approx((10000, y1 + y2, y1, y2, 10000 + y1 + y2))
    assert rows["Acme"][4] == pytest.approx(4958.677685950413)
    # Cheapco: 2 × 250 a quarter = 2,000 a year, discounted the same way
    assert rows["Cheapco"][3:5] == pytest.approx((2000 / 1.1, 2000 / 1.21))
    assert rows["Eagle"] == ("Eagle", None, None, None, None, None)
    notes = [r[0] for r in rows.values() if r[0] and str(r[0]).startswith(("Contract", "1 "))]
    assert notes[0].startswith("Contract term 2 years, discount rate 10% (sheet Settings).")
    assert notes[1] == "1 vendor has no cost lines: a missing total cost of ownership."


def test_settings_sheet_holds_the_settings_used_and_audit_says_where_each_came_from():
    ev = staged_evaluation().with_settings("command line", method="wsm")
    data = write_export(score(ev), sensitivity=SENS)
    wb = load(data)
    assert table(wb["Settings"]) == [
        ("Setting", "Value"),
        ("Method", "wsm"),
        ("Missing values", "worst"),
        ("Quality minimum", 50),
        ("Contract term (years)", 3),
        ("Discount rate", 0),
    ]
    assert wb["Settings"]["B6"].number_format == "0.00%"
    rows = table(wb["Audit"])
    at = rows.index(("Setting", "Value used", "Where from"))
    assert rows[at + 1 : at + 7] == [
        ("Method", "wsm", "from the command line"),
        ("Missing values", "worst", "default"),
        ("Quality minimum", "50", "from the workbook"),
        ("Contract term (years)", "3 years", "default"),
        ("Discount rate", "0%", "default"),
        ("Disagreement threshold", "0.4", "default"),
    ]
    assert rows[at - 1][0] == "Settings"
    how = [r[1] for r in rows if r[1] and str(r[1]).startswith("Stages:")]
    assert how and "a category score shown in red is below its minimum" in how[0]
    inputs = [r[1] for r in rows if r[1] and "are the input model" in str(r[1])]
    assert inputs == [
        "Vendors, Criteria, Categories, Costs, Settings are the input model: this file can be "
        "imported again."
    ]


def test_audit_says_which_settings_were_changed_in_the_dashboard_or_the_project():
    ev = staged_evaluation().with_settings("dashboard", missing="mean", contract_term=4)
    ev = ev.with_settings("project", discount_rate=0.05)
    rows = table(load(write_export(score(ev), sensitivity=SENS))["Audit"])
    at = rows.index(("Setting", "Value used", "Where from"))
    assert rows[at + 1 : at + 6] == [
        ("Method", "wsm", "default"),
        ("Missing values", "mean", "changed in the dashboard"),
        ("Quality minimum", "50", "from the workbook"),
        ("Contract term (years)", "4 years", "changed in the dashboard"),
        ("Discount rate", "5%", "from the project's settings"),
    ]


def test_settings_given_to_score_itself_and_set_rates():
    ev = staged_evaluation(contract_term=5, discount_rate=0.035, disagreement_threshold=0.25)
    wb = load(write_export(score(ev, method="topsis", missing="mean"), sensitivity=SENS))
    assert table(wb["Settings"], 2) == [
        ("Method", "topsis"),
        ("Missing values", "mean"),
        ("Quality minimum", 50),
        ("Contract term (years)", 5),
        ("Discount rate", 0.035),
        ("Disagreement threshold", 0.25),
    ]
    rows = table(wb["Audit"])
    at = rows.index(("Setting", "Value used", "Where from"))
    assert rows[at + 1 : at + 7] == [
        ("Method", "topsis", "chosen for this run"),
        ("Missing values", "mean", "chosen for this run"),
        ("Quality minimum", "50", "from the workbook"),
        ("Contract term (years)", "5 years", "from the workbook"),
        ("Discount rate", "3.5%", "from the workbook"),
        ("Disagreement threshold", "0.25", "from the workbook"),
    ]


def test_without_settings_or_costs_the_settings_sheet_holds_method_and_policy(rng):
    rk = score(random_evaluation(rng, n_vendors=4, n_criteria=3), missing="exclude")
    wb = load(write_export(rk, sensitivity=SENS))
    assert table(wb["Settings"]) == [
        ("Setting", "Value"),
        ("Method", "wsm"),
        ("Missing values", "exclude"),
    ]
    assert "Costs" not in wb.sheetnames and "Cost breakdown" not in wb.sheetnames
    rows = table(wb["Audit"])
    at = rows.index(("Setting", "Value used", "Where from"))
    assert [r[2] for r in rows[at + 1 : at + 7]] == ["default", "chosen for this run"] + [
        "default"
    ] * 4
    assert rows[at + 3][1] == "none"


def test_the_default_disagreement_threshold_is_the_projects_default():
    from vendor_eval.projects.rules import DEFAULT_THRESHOLD

    assert DEFAULT_DISAGREEMENT_THRESHOLD == DEFAULT_THRESHOLD


# -- the withdrawal check on Sensitivity ----------------------------------------------------
def sensitivity_rows(data: bytes) -> list[tuple]:
    return [r[:3] for r in table(load(data)["Sensitivity"])]


def test_sensitivity_shows_the_withdrawal_table_from_the_report(staged):
    rk, _ = staged
    sens = {**SENS, "withdrawal": [
        {"withdrawn": "Cheapco", "leader": "Quillstone", "changes_leader": True},
        {"withdrawn": "=Dyno", "leader": "Bolt", "changes_leader": False},
    ]}  # fmt: skip
    data = write_export(rk, sensitivity=sens)
    rows = sensitivity_rows(data)
    at = rows.index(("Withdrawn vendor", "Leader without it", "Changes the leader"))
    assert rows[at - 2][0] == "Withdrawal check"
    assert rows[at + 1 : at + 3] == [("Cheapco", "Quillstone", "yes"), ("=Dyno", "Bolt", "no")]
    cell = load(data, data_only=False)["Sensitivity"].cell(at + 3, 1)
    assert cell.data_type == "s" and cell.quotePrefix  # a name is text, never a formula


def test_sensitivity_without_withdrawals(staged):
    rk, _ = staged
    assert "Withdrawal check" not in [
        r[0] for r in sensitivity_rows(write_export(rk, sensitivity=SENS))
    ]
    note = "not run: the leader-only analysis of a large register"
    sens = {**SENS, "withdrawal": [], "withdrawal_note": note}
    rows = sensitivity_rows(write_export(rk, sensitivity=sens))
    at = [r[0] for r in rows].index("Withdrawal check")
    assert rows[at + 2][0] == note
    rows = sensitivity_rows(write_export(rk, sensitivity={**SENS, "withdrawal": []}))
    at = [r[0] for r in rows].index("Withdrawal check")
    assert rows[at + 2][0] == "none: no qualified vendor besides the leader"


def lowest_bidder_decides():
    """Flat weights 1:1, quality absolute 0–10 and a ratio price. With Cheapco (bid 50):
    Atlas 50·(1 + 50/200) = 62.5 leads, Cheapco 50·(0.2 + 1) = 60, Brio 50·(0.6 + 0.5) =
    55. Without Cheapco p_low is 100: Atlas 50·(1 + 0.5) = 75, Brio 50·(0.6 + 1) = 80."""
    crit = [
        Criterion("Quality", "Q", 1.0, scale=Scale.ABSOLUTE, min=0.0, max=10.0),
        Criterion("Price", "P", 1.0, Direction.LOWER, Scale.PRICE),
    ]
    values = {"Quality": [10, 6, 2], "Price": [200, 100, 50]}
    return make_evaluation(values, crit, vendors=["Atlas", "Brio", "Cheapco"])


def test_the_export_runs_the_withdrawal_check_itself():
    rk = score(lowest_bidder_decides())
    assert rk.vendors == ["Atlas", "Cheapco", "Brio"]
    assert rk.table["score"].tolist() == pytest.approx([62.5, 60.0, 55.0])
    sens, _ = compute_sensitivity(Layout.of(rk))
    assert sens["withdrawal"] == [
        {"withdrawn": "Cheapco", "leader": "Brio", "changes_leader": True},
        {"withdrawn": "Brio", "leader": "Atlas", "changes_leader": False},
    ]
    rows = sensitivity_rows(write_export(rk))
    at = rows.index(("Withdrawn vendor", "Leader without it", "Changes the leader"))
    assert rows[at + 1 : at + 3] == [("Cheapco", "Brio", "yes"), ("Brio", "Atlas", "no")]
    verdict = dict((r[0], r[1]) for r in rows if r[0])["Verdict"]
    assert "if Cheapco withdrew, Brio would win" in verdict


# -- the export is itself an input workbook --------------------------------------------------
@pytest.mark.parametrize("method", ["wsm", "topsis"])
def test_a_staged_export_reimports_to_the_same_ranking_costs_and_settings(tmp_path, method):
    from vendor_eval.workbook.importing.load import load_evaluation

    ev = staged_evaluation(contract_term=2, discount_rate=0.05, disagreement_threshold=0.3)
    rk = score(ev, method=method, missing="mean")
    out = tmp_path / "staged.xlsx"
    write_export(rk, out, sensitivity=SENS)
    ev2 = load_evaluation(out)
    assert not [w for w in ev2.warnings if "Cost breakdown" in str(w)]
    st = ev2.settings
    assert (st.method, st.missing, st.quality_minimum) == (method, "mean", 50.0)
    assert (st.contract_term, st.discount_rate, st.disagreement_threshold) == (2, 0.05, 0.3)
    assert set(st.origin.values()) == {"workbook"}
    pd.testing.assert_frame_equal(
        ev2.costs.reset_index(drop=True), ev.costs.reset_index(drop=True), check_dtype=False
    )
    assert [(c.name, c.scale, c.effective_formula) for c in ev2.criteria] == [
        (c.name, c.scale, c.effective_formula) for c in ev.criteria
    ]
    assert [(k.name, k.weight, k.minimum) for k in ev2.categories] == [
        (k.name, k.weight, k.minimum) for k in ev.categories
    ]
    again = score(ev2)  # the method and policy from the export's own Settings sheet
    assert list(again.table.index) == list(rk.table.index)
    assert again.table["rank"].tolist() == rk.table["rank"].tolist()
    assert again.table["score"].to_numpy() == pytest.approx(rk.table["score"].to_numpy(), abs=1e-9)
    assert again.table["reasons"].tolist() == rk.table["reasons"].tolist()
    assert again.stages == rk.stages == {"Eagle": "must-have", "Cheapco": "minimum"}
