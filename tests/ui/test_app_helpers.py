"""Weight helpers (ROC, AHP), named scenarios and the export of the on-screen stress test.

Plain helpers are checked against hand-computed numbers; the dashboard wiring through
AppTest, with expected rankings computed by vendor_eval on the same weights.
"""

from __future__ import annotations

import io
import math

import numpy as np
import openpyxl
import pandas as pd
import pytest
from conftest import SAMPLE, make_evaluation
from test_app import SMALL, XLSX, assert_shows, seen, start, table

from vendor_eval.core.model import Criterion
from vendor_eval.core.problems import VendorEvalError
from vendor_eval.scoring.elicitation import ahp, roc_weights
from vendor_eval.scoring.scorer import score
from vendor_eval.ui.elicitation_plain import (
    JUDGEMENTS,
    default_judgements,
    fit_to_sliders,
    judgement_label,
    pairwise_matrix,
    scenario_from,
    with_categories_table,
)
from vendor_eval.ui.tables import category_weights
from vendor_eval.workbook.importing.load import load_evaluation


@pytest.fixture(scope="module")
def sample():
    return load_evaluation(SAMPLE)


# -- plain helpers ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ratio", "label"),
    [
        (1.0, "equal"),
        (1.4, "equal"),
        (1.5, "◀ 2"),
        (3.0, "◀ 3 moderately"),
        (0.2, "strongly 5 ▶"),
        (20.0, "◀ 9 extremely"),
        (math.inf, "◀ 9 extremely"),
        (0.0, "extremely 9 ▶"),
        (math.nan, "equal"),
    ],
)
def test_judgement_label(ratio, label):
    assert judgement_label(ratio) == label


def test_saaty_scale_has_17_steps_and_reciprocals():
    values = list(JUDGEMENTS.values())
    assert len(values) == 17 and values[0] == 9.0 and values[-1] == pytest.approx(1 / 9)
    assert JUDGEMENTS["strongly 5 ▶"] == pytest.approx(1 / JUDGEMENTS["◀ 5 strongly"])


def test_default_judgements_follow_the_weight_ratios():
    frame = default_judgements({"Cost": 30.0, "Quality": 10.0, "Support": 0.0})
    assert frame.to_dict("records") == [
        {"Category": "Cost", "Judgement": "◀ 3 moderately", "versus": "Quality"},
        {"Category": "Cost", "Judgement": "◀ 9 extremely", "versus": "Support"},
        {"Category": "Quality", "Judgement": "◀ 9 extremely", "versus": "Support"},
    ]


def test_pairwise_matrix_is_reciprocal():
    names = ["Cost", "Quality", "Support"]
    frame = pd.DataFrame(
        {
            "Category": ["Cost", "Cost", "Quality"],
            "Judgement": ["◀ 3 moderately", "strongly 5 ▶", "equal"],
            "versus": ["Quality", "Support", "Support"],
        }
    )
    np.testing.assert_allclose(
        pairwise_matrix(names, frame), [[1, 3, 0.2], [1 / 3, 1, 1], [5, 1, 1]]
    )
    frame.loc[1, "Judgement"] = "a lot"
    with pytest.raises(VendorEvalError, match="Cost vs Support: choose a judgement"):
        pairwise_matrix(names, frame)


def test_fit_to_sliders_keeps_the_total_and_rounds_to_the_step():
    # ROC for 3: 11/18, 5/18, 2/18; slider total 50 → 30.6, 13.9, 5.6 → 31, 14, 6
    shares = roc_weights(["b", "a", "c"])
    fitted = fit_to_sliders(shares, {"a": 15.0, "b": 25.0, "c": 10.0}, 100.0, 1.0)
    assert fitted == {"b": 31.0, "a": 14.0, "c": 6.0}


def test_fit_to_sliders_caps_the_largest_at_the_slider_maximum():
    # total 3 would put b at 1.83 > 1: scale so b = 1 → a = 5/11 = 0.45, c = 2/11 = 0.18
    shares = roc_weights(["b", "a", "c"])
    fitted = fit_to_sliders(shares, {"a": 1.0, "b": 1.0, "c": 1.0}, 1.0, 0.01)
    assert fitted == {"b": 1.0, "a": 0.45, "c": 0.18}
    with pytest.raises(VendorEvalError, match="all zero"):
        fit_to_sliders({"a": 0.0}, {"a": 1.0}, 1.0, 0.01)


def test_scenario_from_captures_every_weight():
    ev = make_evaluation(
        {"P": [1, 2], "Q": [3, 4]}, [Criterion("P", "Cost", 2.0), Criterion("Q", "Quality", 1.0)]
    )
    sc = scenario_from(ev, "  flat  ")
    assert sc.name == "flat"
    assert dict(sc.criterion_weights) == {"P": 2.0, "Q": 1.0}
    assert dict(sc.category_weights) == {"Cost": 2.0, "Quality": 1.0}
    # a flat evaluation gains an equivalent Categories table, so a scenario can apply to it
    same = sc.apply(with_categories_table(ev))
    pd.testing.assert_series_equal(score(same).weights, score(ev).weights)
    with pytest.raises(VendorEvalError, match="name"):
        scenario_from(ev, "   ")


# -- the dashboard ---------------------------------------------------------------------


def open_helpers():
    at = start()
    at.session_state["weight_helpers"] = True
    at.run()
    assert not at.exception
    return at, at.session_state["ve_gen"]


def sliders(at, gen, n):
    return [at.slider(key=f"cat_{gen}_{i}").value for i in range(n)]


def test_rank_order_helper_sets_the_sliders_and_the_ranking(sample):
    at, gen = open_helpers()
    names = list(sample.category_names)
    order = names[::-1]
    at.multiselect(key=f"roc_order_{gen}").set_value(order)
    at.run()
    at.button(key=f"roc_apply_{gen}").click()
    at.run()
    assert not at.exception and not at.error
    values = dict(zip(names, sliders(at, gen, len(names)), strict=True))
    # 7 categories, slider total 100: first (1/7)(1 + 1/2 + … + 1/7) = 0.3704 → 37,
    # last (1/7)(1/7) = 0.0204 → 2
    assert values[order[0]] == 37.0 and values[order[-1]] == 2.0
    assert sum(values.values()) == pytest.approx(100.0, abs=3)
    assert_shows(at, score(sample.with_weights(category_weights=values)))


def test_ahp_helper_warns_about_the_worst_judgement_and_applies(sample):
    at, gen = open_helpers()
    names = list(sample.category_names)
    pairs = default_judgements(category_weights(sample))
    assert at.success and "Consistency ratio" in at.success[0].value  # the workbook agrees
    # Capability ≫ Reputation ≫ Experience (9 and 9) would make Capability 81× Experience,
    # but the table still says 2×: the judgements contradict each other
    edits = {0: "◀ 9 extremely", 1: "extremely 9 ▶"}
    assert list(pairs.loc[[0, 1], "versus"]) == ["Experience", "Capability"]
    at.session_state[f"ahp_{gen}"] = {
        "edited_rows": {k: {"Judgement": v} for k, v in edits.items()},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    assert not at.exception
    for k, v in edits.items():
        pairs.loc[k, "Judgement"] = v
    expected = ahp(pairwise_matrix(names, pairs), names)
    assert expected.cr > 0.10 and expected.most_inconsistent == (names[0], names[1])
    (warning,) = [seen(w.value) for w in at.warning]
    assert warning == expected.warning and f"{names[0]} vs {names[1]}" in warning
    at.button(key=f"ahp_apply_{gen}").click()
    at.run()
    values = dict(zip(names, sliders(at, gen, len(names)), strict=True))
    assert values == fit_to_sliders(expected.as_dict(), category_weights(sample), 100.0, 1.0)
    assert values[names[2]] > values[names[0]] > values[names[1]]  # Capability, Reputation, Exp.
    assert_shows(at, score(sample.with_weights(category_weights=values)))


def pick_keys_of(at):
    v = at.session_state["ve_scenarios_version"]
    return f"scenario_pick_{v}", f"scenario_forget_{v}"


def save(at, name):
    at.text_input(key="scenario_name").set_value(name)
    at.button(key="scenario_save").click()
    at.run()
    assert not at.exception


def test_scenarios_compare_rankings_side_by_side_and_reset_on_upload(sample):
    at = start()
    at.session_state["view"] = "Scenarios"
    at.run()
    assert any("No scenarios yet" in i.value for i in at.info)
    save(at, "workbook")
    gen = at.session_state["ve_gen"]
    at.slider(key=f"cat_{gen}_0").set_value(0.0)
    at.run()
    save(at, "no reputation")
    frame = table(at, "Vendor", "workbook: rank", "no reputation: rank")
    before = score(sample)
    after = score(sample.with_weights(category_weights={sample.category_names[0]: 0.0}))
    assert list(frame["Vendor"]) == after.vendors  # on-screen order
    for label, expected in (("workbook", before), ("no reputation", after)):
        ranks = [expected.rank(v) for v in frame["Vendor"]]
        assert [None if pd.isna(r) else int(r) for r in frame[f"{label}: rank"]] == ranks
        assert list(frame[f"{label}: score"]) == pytest.approx(
            [expected.score(v) for v in frame["Vendor"]]
        )
    assert list(frame["On screen: rank"]) == list(frame["no reputation: rank"])
    text = "\n".join(m.value for m in at.markdown)
    assert f"**workbook**: {before.leader} first" in text
    # forgetting one keeps the other
    _, forget = pick_keys_of(at)
    at.multiselect(key=forget).set_value(["workbook"])
    at.run()
    at.button(key="scenario_forget_btn").click()
    at.run()
    assert list(at.session_state["ve_scenarios"]) == ["no reputation"]
    pick, _ = pick_keys_of(at)
    assert at.multiselect(key=pick).value == ["no reputation"]
    # a new workbook starts without the old workbook's scenarios
    at.file_uploader(key="upload").set_value(("small.xlsx", SMALL, XLSX))
    at.run()
    assert not at.exception
    assert at.session_state["ve_scenarios"] == {}


def test_unnamed_scenario_is_not_saved():
    at = start()
    at.session_state["view"] = "Scenarios"
    at.run()
    save(at, "   ")
    assert not at.session_state["ve_scenarios"]


def test_export_carries_the_stress_test_on_screen(sample):
    from vendor_eval.ui.analysis import build_export_download

    at = start()
    at.session_state["view"] = "Robustness"
    at.run()
    at.selectbox(key="rob_samples").set_value(1_000)
    at.run()
    assert not at.exception
    _, missing, report = at.session_state["ve_sensitivity_shown"]
    assert (missing, report.samples) == ("worst", 1_000)
    assert any("analysis on the Robustness tab" in c.value for c in at.caption)
    # the workbook's Sensitivity sheet states that very verdict
    data = build_export_download(at.session_state["ve_ranking"], report.to_dict())
    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    cells = [c for row in wb["Sensitivity"].iter_rows(values_only=True) for c in row if c]
    assert report.verdict in cells
    # another missing-value policy is another analysis: the export no longer claims it
    at.selectbox(key="missing").set_value("mean")
    at.session_state["view"] = "Ranking"
    at.run()
    assert any("2,000 weight samples" in c.value for c in at.caption)


def test_sliders_show_their_share_of_the_total(sample):
    at = start()
    gen = at.session_state["ve_gen"]
    n = len(sample.category_names)
    values = sliders(at, gen, n)
    total = sum(values)
    shares = [c.value for c in at.caption if c.value.endswith("of the total")]
    assert shares == [f"{v / total:.0%} of the total" for v in values]
    assert any(c.value.startswith(f"Total {total:g} = 100 %") for c in at.caption)
    at.slider(key=f"cat_{gen}_0").set_value(0.0)
    at.run()
    shares = [c.value for c in at.caption if c.value.endswith("of the total")]
    assert shares[0] == "0% of the total"
    assert shares[1] == f"{values[1] / (total - values[0]):.0%} of the total"


def test_rank_order_helper_starts_from_the_sliders_and_shows_now_beside_proposed(sample):
    """Moving sliders, then opening the helper: its order is the sliders' order, and the
    table shows today's shares beside what Apply would set (it used to apply the workbook's
    order silently)."""
    at = start()
    gen = at.session_state["ve_gen"]
    names = list(sample.category_names)
    top = at.slider(key=f"cat_{gen}_0").max
    at.slider(key=f"cat_{gen}_{len(names) - 1}").set_value(top)  # last category first now
    at.slider(key=f"cat_{gen}_0").set_value(0.0)  # first category last
    at.run()
    now = dict(zip(names, sliders(at, gen, len(names)), strict=True))
    at.session_state["weight_helpers"] = True
    at.run()
    order = at.multiselect(key=f"roc_order_{gen}").value
    assert order == sorted(names, key=lambda c: -now[c])
    assert order[0] == names[-1] and order[-1] == names[0]
    # the ROC table comes first, then the AHP one: both show Now beside Proposed
    roc, ahp_table = [d.value for d in at.dataframe if "Proposed" in d.value.columns]
    assert list(roc.columns) == list(ahp_table.columns) == ["Category", "Now", "Proposed"]
    table = roc
    total = sum(now.values())
    assert dict(zip(table["Category"], table["Now"], strict=True)) == pytest.approx(
        {c: v / total for c, v in now.items()}
    )
    assert dict(zip(table["Category"], table["Proposed"], strict=True)) == pytest.approx(
        roc_weights(order)
    )
    assert sliders(at, gen, len(names)) == list(now.values())  # nothing applied yet


def test_a_scenario_name_that_looks_the_same_replaces_the_saved_one():
    at = start()
    at.session_state["view"] = "Scenarios"
    at.run()
    save(at, "Plan A")
    save(at, " PLAN\u00ad A ")  # soft hyphen, other case, spaces: the same name to a reader
    assert list(at.session_state["ve_scenarios"]) == ["PLAN\u00ad A"]
    assert any("replaced" in t.value for t in (*at.toast, *at.markdown, *at.info, *at.success))


def test_a_scenario_name_with_a_right_to_left_control_is_refused():
    at = start()
    at.session_state["view"] = "Scenarios"
    at.run()
    save(at, "Plan \u202egnirts")
    assert not at.session_state["ve_scenarios"]
    shown = " ".join(t.value for t in (*at.toast, *at.markdown, *at.info, *at.warning))
    assert "contains an invisible right" in shown  # (shown escaped: right\\-to\\-left)
