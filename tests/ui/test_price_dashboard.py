"""Prices, stages, the total cost of ownership and the settings on the dashboard (AppTest).

The quick view is started on tests/ui/priced.py's evaluation (computed by hand there:
Quillstone 69, Midway 66, Cheapco 65; Lowgrade out at the Capability minimum 50, Shaky at
the must-have), or on a workbook with Settings and Costs sheets uploaded through the page.
"""

from __future__ import annotations

import json
import os
import re

import pytest
from conftest import ROOT, xlsx
from streamlit.testing.v1 import AppTest
from test_app import SMALL, XLSX, seen, table

from vendor_eval.core.costs import TCO_CRITERION

TCO = TCO_CRITERION


@pytest.fixture(autouse=True)
def _repo_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def _priced_page(variant: str = "") -> None:
    import sys

    sys.path.insert(0, "tests/ui")
    import streamlit as st
    from priced import priced

    from vendor_eval.core.model import Method, MissingPolicy, Settings
    from vendor_eval.ui import state
    from vendor_eval.ui.page import main

    if state.BASE not in st.session_state:
        settings = None
        if variant == "topsis":
            settings = Settings(
                method=Method.TOPSIS,
                missing=MissingPolicy.MEAN,
                quality_minimum=60.0,
                origin={"method": "workbook", "missing": "workbook", "quality_minimum": "workbook"},
            )
        state.set_base(priced(settings), "priced.xlsx")
    main()


def start(variant: str = "") -> AppTest:
    at = AppTest.from_function(_priced_page, kwargs={"variant": variant}, default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def ranked(at: AppTest) -> list[tuple[str, float]]:
    frame = table(at, "Rank", "Vendor", "Score", "Completeness")
    return [(v, round(float(s), 6)) for v, s in zip(frame["Vendor"], frame["Score"], strict=True)]


def captions(at: AppTest) -> list[str]:
    return [seen(c.value) for c in at.caption]


def edit_criteria(at: AppTest, edits: dict[int, dict[str, object]]) -> None:
    gen = at.session_state["ve_gen"]
    at.session_state[f"criteria_{gen}"] = {"edited_rows": edits, "added_rows": [],
                                           "deleted_rows": []}  # fmt: skip
    at.run()
    assert not at.exception, [e.value for e in at.exception]


def test_the_ranking_shows_each_stage_and_the_staged_messages():
    at = start()
    assert ranked(at) == [("Quillstone", 69.0), ("Midway", 66.0), ("Cheapco", 65.0)]
    out = table(at, "Vendor", "Stage", "Reasons")
    assert out[["Vendor", "Stage", "Reasons"]].values.tolist() == [
        ["Lowgrade", "Quality minimum", "Capability score 40.0 is below the minimum 50"],
        ["Shaky", "Must-have gate", "Quality must be >= 3 (is 2)"],
    ]
    assert (
        "These vendors fail a must-have rule, or fall below a quality minimum before prices "
        "are compared, and are not ranked."
    ) in captions(at)
    assert [seen(i.value) for i in at.info] == [
        "1 vendor fell below a quality minimum and was disqualified before prices were compared.",
        "Prices are compared over the 3 vendors that passed the must-haves and the minimums.",
    ]
    assert "Price criteria: Total cost of ownership by **ratio (lowest ÷ bid)**." in captions(at)
    assert [t.label for t in at.tabs][:3] == ["Ranking", "Total cost", "Charts"]


def test_the_settings_in_use_and_their_origins():
    at = start()
    used = table(at, "Setting", "Value", "Origin")
    assert used.set_index("Setting")["Origin"].to_dict() == {
        "Method": "default",
        "Missing values": "default",
        "Quality minimum": "default",
        "Contract term (years)": "from the workbook",
        "Discount rate": "default",
        "Disagreement threshold": "default",
    }
    assert "Method: default · missing values: default" in captions(at)
    assert at.number_input(key="contract_term").value == 3
    assert at.number_input(key="discount_rate").value == 0.0
    assert at.number_input(key="quality_minimum").value is None


def test_the_method_and_policy_start_from_the_settings_sheet_and_say_when_changed():
    at = start("topsis")
    assert at.radio(key="method").value == "topsis"
    assert at.selectbox(key="missing").value == "mean"
    assert at.number_input(key="quality_minimum").value == 60.0
    assert "Method: from the workbook · missing values: from the workbook" in captions(at)
    ranking = at.session_state["ve_ranking"]
    assert (ranking.method.value, ranking.missing.value) == ("topsis", "mean")
    assert ranking.stage_of("Cheapco") == "minimum"  # quality 50 < the workbook's 60
    at.radio(key="method").set_value("wsm").run()
    assert not at.exception
    assert "Method: changed here · missing values: from the workbook" in captions(at)
    used = table(at, "Setting", "Value", "Origin").set_index("Setting")
    assert used.loc["Method"].tolist() == ["weighted sum", "changed here"]
    assert used.loc["Quality minimum"].tolist() == ["60", "from the workbook"]
    # weighted sum over {Midway, Quillstone} (p_low 6000): 86 and 81
    assert ranked(at) == [("Midway", 86.0), ("Quillstone", 81.0)]
    # the export's evaluation records the change
    assert at.session_state["ve_working"].settings.origin["method"] == "dashboard"


def test_a_quality_minimum_set_in_the_sidebar_changes_the_winner():
    at = start()
    at.number_input(key="quality_minimum").set_value(60.0).run()
    assert not at.exception
    assert ranked(at) == [("Midway", 86.0), ("Quillstone", 81.0)]
    out = table(at, "Vendor", "Stage", "Reasons").set_index("Vendor")
    assert out.at["Cheapco", "Stage"] == "Quality minimum"
    assert out.at["Cheapco", "Reasons"] == "quality score 50.0 is below the minimum 60"
    assert "Changed here" in captions(at)
    at.number_input(key="quality_minimum").set_value(None).run()  # emptied: none again
    assert ranked(at)[0] == ("Quillstone", 69.0)


def test_changing_the_price_formula_rescores_live():
    at = start()
    edit_criteria(at, {1: {"Formula": "linear"}})
    assert not at.error
    # linear over {Quillstone 10000, Midway 6000, Cheapco 2000}: 0, 0.5, 1
    assert ranked(at) == [("Midway", 71.0), ("Cheapco", 65.0), ("Quillstone", 63.0)]
    assert "Price criteria: Total cost of ownership by **linear (lowest 1, highest 0)**." in (
        captions(at)
    )


def test_a_budget_without_its_ceiling_is_refused_and_the_last_ranking_stays():
    at = start()
    edit_criteria(at, {1: {"Formula": "budget"}})
    (error,) = [seen(e.value) for e in at.error]
    assert error == (
        "This edit cannot be used: Total cost of ownership: the budget formula needs Max, "
        "the budget ceiling (a price > 0)."
    )
    (note,) = [seen(w.value) for w in at.warning if "Not updated" in w.value]
    assert "the budget formula needs Max" in note
    assert ranked(at)[0] == ("Quillstone", 69.0)
    # with the ceiling: (12000 − p) / (12000 − 2000) = 0.2, 0.6, 1
    edit_criteria(at, {1: {"Formula": "budget", "Max": 12000.0}})
    assert not at.error
    assert ranked(at) == [("Midway", 74.0), ("Quillstone", 69.0), ("Cheapco", 65.0)]


def test_the_editor_offers_the_formulas_and_says_what_they_do():
    at = start()
    (editor,) = [d for d in at.dataframe if d.key == f"criteria_{at.session_state['ve_gen']}"]
    columns = json.loads(editor.proto.columns)
    assert columns["Formula"]["type_config"]["options"] == ["ratio", "linear", "budget"]
    assert "lowest ÷ bid for a price" in columns["Formula"]["help"]
    assert "budget ceiling" in columns["Max"]["help"]
    assert "price: lower is better" in columns["Scale"]["help"]


def test_a_category_minimum_edited_in_the_panel_disqualifies_at_the_minimum():
    at = start()
    gen = at.session_state["ve_gen"]
    minimums = table(at, "Category", "Minimum")
    assert minimums.values.tolist() == [["Capability", 50.0]]
    at.session_state[f"minimums_{gen}"] = {"edited_rows": {0: {"Minimum": 55.0}},
                                           "added_rows": [], "deleted_rows": []}  # fmt: skip
    at.run()
    assert not at.exception and not at.error
    assert ranked(at) == [("Midway", 86.0), ("Quillstone", 81.0)]
    stages = table(at, "Vendor", "Stage", "Reasons").set_index("Vendor")["Stage"].to_dict()
    assert stages == {"Cheapco": "Quality minimum", "Lowgrade": "Quality minimum",
                      "Shaky": "Must-have gate"}  # fmt: skip


def test_the_total_cost_tab_shows_the_breakdown_and_follows_the_contract_term():
    at = start()
    at.session_state["view"] = "Total cost"
    at.run()
    assert not at.exception
    costs = table(at, "One-off", "Recurring", "TCO")
    assert list(costs["Vendor"]) == ["Quillstone", "Midway", "Cheapco", "Lowgrade", "Shaky"]
    assert costs["TCO"].tolist()[:4] == [10000.0, 6000.0, 2000.0, 1000.0]
    assert costs["Year 3"].tolist()[:4] == [3000.0, 2000.0, 600.0, 0.0]
    assert any(c.startswith("Contract term **3 years** (from the workbook)") for c in captions(at))
    assert (
        "No cost lines (TCO missing; the missing-value policy decides its score): Shaky."
        in captions(at)
    )
    (chart,) = [c for c in at.get("plotly_chart") if "One-off" in c.proto.spec]
    assert "Year 3" in chart.proto.spec
    at.number_input(key="contract_term").set_value(5).run()
    assert not at.exception
    costs = table(at, "One-off", "Recurring", "TCO")
    assert "Year 5" in costs.columns
    # 5 years: Quillstone 1000 + 5 · 3000; Midway 20 · 500; Cheapco 200 + 60 · 50
    assert costs["TCO"].tolist()[:3] == [16000.0, 10000.0, 3200.0]
    assert any(c.startswith("Contract term **5 years** (changed here)") for c in captions(at))
    # Midway 56 + 30 · 3200/10000 = 65.6 overtakes Cheapco (65)
    at.session_state["view"] = "Ranking"
    at.run()
    assert ranked(at) == [("Quillstone", 69.0), ("Midway", 65.6), ("Cheapco", 65.0)]


def test_a_discount_rate_set_here_discounts_the_recurring_costs():
    at = start()
    at.number_input(key="discount_rate").set_value(10.0).run()
    at.session_state["view"] = "Total cost"
    at.run()
    assert not at.exception
    costs = table(at, "One-off", "Recurring", "TCO").set_index("Vendor")
    assert costs.loc["Quillstone", "One-off"] == 1000.0  # never discounted
    assert costs.loc["Quillstone", "Year 2"] == pytest.approx(3000 / 1.1**2)
    annuity = 1 / 1.1 + 1 / 1.1**2 + 1 / 1.1**3
    assert costs.loc["Midway", "TCO"] == pytest.approx(2000 * annuity)
    assert at.session_state["ve_working"].settings.rate == pytest.approx(0.1)


def test_the_vendor_detail_says_where_a_vendor_fell():
    at = start()
    at.session_state["view"] = "Vendor detail"
    at.run()
    at.selectbox(key=f"detail_{at.session_state['ve_gen']}").set_value("Lowgrade").run()
    assert not at.exception
    (warning,) = [seen(w.value) for w in at.warning if "Disqualified" in w.value]
    assert warning == (
        "Disqualified at the quality minimum: Capability score 40.0 is below the minimum 50"
    )
    values = table(at, "Value", "Score", "Points", "Scored").set_index("Criterion")
    assert values.at[TCO, "Scored"] == "price: lowest ÷ this bid"


def test_the_robustness_tab_highlights_the_withdrawal_that_changes_the_winner():
    at = start()
    at.session_state["view"] = "Robustness"
    at.run()
    assert not at.exception
    verdict = seen((at.success or at.warning)[0].value)
    assert verdict.endswith("if Cheapco withdrew, Midway would win.")
    (element,) = [d for d in at.dataframe if "Winner changes" in d.value.columns]
    assert element.value.values.tolist() == [
        ["Midway", "Quillstone", "no"],
        ["Cheapco", "Midway", "yes"],
    ]
    # the row that changes the winner, and only that row, is styled (bold on a fill)
    styles = element.proto.arrow_data.styler.styles
    assert re.fullmatch(
        r"#T_\w+_row1_col0, #T_\w+_row1_col1, #T_\w+_row1_col2 "
        r"\{ font-weight: bold; background-color: #fde0c5 \}",
        styles,
    ), styles
    assert "1 of 2 withdrawals would change the winner (highlighted): Cheapco." in captions(at)


# -- a workbook with Settings and Costs sheets, uploaded --------------------------------

PRICED_BOOK = xlsx(
    {
        "Vendors": [
            ["Vendor", "Quality"],
            ["Quillstone", 9],
            ["Midway", 8],
            ["Cheapco", 5],
            ["Lowgrade", 4],
        ],
        "Criteria": [
            ["Criterion", "Category", "Weight", "Direction", "Scale", "Formula", "Min", "Max"],
            ["Quality", "Capability", 1, "higher", "absolute", None, 0, 10],
            [TCO, "Cost", 1, None, "price", "ratio", None, None],
        ],
        "Categories": [["Category", "Weight", "Minimum"], ["Capability", 70, 50], ["Cost", 30]],
        "Settings": [["Setting", "Value"], ["Contract term (years)", 3], ["Discount rate", 0.05]],
        "Costs": [
            ["Vendor", "Item", "Amount", "Frequency", "Quantity"],
            ["Quillstone", "Licence", 1000, "one-off", 1],
            ["Quillstone", "Support", 3000, "yearly", None],
            ["Midway", "Service", 500, "quarterly", 1],
            ["Cheapco", "Setup", 200, "one-off", 1],
            ["Cheapco", "Seats", 25, "monthly", 2],
            ["Lowgrade", "Everything", 1000, "one-off", 1],
        ],
    }
)


def test_an_uploaded_workbook_with_settings_and_costs():
    at = AppTest.from_file(os.fspath(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.file_uploader(key="upload").set_value(("priced.xlsx", PRICED_BOOK, XLSX)).run()
    assert not at.exception and not at.error
    assert at.number_input(key="discount_rate").value == pytest.approx(5.0)
    assert at.number_input(key="contract_term").value == 3
    assert captions(at).count("From the workbook") == 2  # term and rate
    # 3 years at 5 %: a = 1/1.05 + 1/1.05² + 1/1.05³ = 2.723248
    a = sum(1 / 1.05**y for y in (1, 2, 3))
    tco = {"Quillstone": 1000 + 3000 * a, "Midway": 2000 * a, "Cheapco": 200 + 600 * a,
           "Lowgrade": 1000.0}  # fmt: skip
    # Quality s 0.9, 0.8, 0.5 (70 %); price p_low / p (30 %)
    expected = {v: 70 * q + 30 * tco["Cheapco"] / tco[v]
                for v, q in (("Quillstone", 0.9), ("Midway", 0.8), ("Cheapco", 0.5))}  # fmt: skip
    # Lowgrade (Capability 40 < 50) falls before prices: the lowest price is Cheapco's
    shown = dict(ranked(at))
    assert shown == pytest.approx(expected, abs=1e-6)
    out = table(at, "Vendor", "Stage", "Reasons")
    assert out[["Vendor", "Stage"]].values.tolist() == [["Lowgrade", "Quality minimum"]]
    at.session_state["view"] = "Total cost"
    at.run()
    costs = table(at, "One-off", "Recurring", "TCO").set_index("Vendor")
    assert costs["TCO"].to_dict() == pytest.approx(tco)
    # another workbook without settings: the sidebar starts from the defaults again
    at.number_input(key="discount_rate").set_value(0.0).run()
    at.file_uploader(key="upload").set_value(("small.xlsx", SMALL, XLSX)).run()
    assert not at.exception
    assert at.number_input(key="quality_minimum").value is None
    assert "Contract term and discount rate apply to a Costs sheet; this workbook has none." in (
        captions(at)
    )
    assert "Total cost" not in [t.label for t in at.tabs]
    assert not any("Stage" in d.value.columns for d in at.dataframe)
