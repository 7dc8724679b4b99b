"""The dashboard, driven headless through Streamlit's AppTest from the repo root.

Every expected value is computed with vendor_eval itself (importer + scoring) on the same
bytes the app sees, so the tests check the wiring, not a copy of the numbers.
"""

from __future__ import annotations

import io
import json
import os
import re

import numpy as np
import openpyxl
import pandas as pd
import pytest
from conftest import ROOT, SAMPLE
from hypothesis import given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from vendor_eval.core.model import Method, MustRule, Scale
from vendor_eval.scoring.scorer import score
from vendor_eval.ui.text import JOINER
from vendor_eval.ui.weights_panel import MUST_PATTERN
from vendor_eval.workbook.importing.cells import parse_must
from vendor_eval.workbook.importing.load import load_evaluation
from vendor_eval.workbook.importing.messages import CellError

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook(vendors: list[list[object]], criteria: list[list[object]] | None = None) -> bytes:
    """A small vendor workbook: Vendors (first row = headers) and an optional Criteria sheet."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Vendors"
    for row in vendors:
        ws.append(row)
    if criteria is not None:
        cs = wb.create_sheet("Criteria")
        cs.append(["Criterion", "Category", "Weight", "Direction", "Scale", "Min", "Max", "Must"])
        for row in criteria:
            cs.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


SMALL = workbook(
    [
        ["Vendor", "Rating", "Rate", "Website"],
        ["Alpha Ltd", 3, 90, "alpha.example"],
        ["Beta plc", 5, 120, "beta.example"],
        ["Gamma AG", 4, 60, "gamma.example"],
    ],
    [
        ["Rating", "Quality", 2, "higher", "absolute", 1, 5, None],
        ["Rate", "Cost", 1, "lower", "relative", None, None, None],
    ],
)
INVALID = workbook(
    [["Vendor", "Rating", "Rate"], ["Alpha Ltd", "ten", 90], ["Beta plc", 5, "lots"]],
    [
        ["Rating", "Quality", 2, "higher", "absolute", 1, 5, None],
        ["Rate", "Cost", 1, "lower", "relative", None, None, None],
    ],
)
EXCLUDE = "Exclude: judge on what is known"  # the option's label, as AppTest lists it


@pytest.fixture(autouse=True)
def _repo_root(monkeypatch):
    monkeypatch.chdir(ROOT)


@pytest.fixture(scope="module")
def sample():
    return load_evaluation(SAMPLE)


def start() -> AppTest:
    at = AppTest.from_file(os.fspath(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def seen(source: str) -> str:
    """What a reader sees of a Markdown source the page built: its escapes resolved (user
    text is escaped with vendor_eval.ui.text.md, which also puts an invisible word joiner
    where an autolink would start)."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", source).replace(JOINER, "")


def metric(at: AppTest, label: str) -> str:
    return seen(next(m.value for m in at.metric if m.label == label))


def table(at: AppTest, *columns: str, without: str | None = None) -> pd.DataFrame:
    """The first table on screen having ``columns`` (st.dataframe keys are not exposed)."""
    for element in at.dataframe:
        frame = element.value
        if set(columns) <= set(frame.columns) and (without is None or without not in frame):
            return frame
    raise AssertionError(f"no table with columns {columns}")


def has_table(at: AppTest, *columns: str) -> bool:
    return any(set(columns) <= set(e.value.columns) for e in at.dataframe)


def shown_ranking(at: AppTest) -> pd.DataFrame:
    return table(at, "Rank", "Vendor", "Score", "Completeness")


def assert_shows(at: AppTest, expected) -> None:
    """The ranking table and headline match ``expected`` (a Ranking), row for row."""
    table = shown_ranking(at)
    qualified = expected.qualified
    assert list(table["Vendor"]) == qualified
    assert list(table["Score"]) == pytest.approx([expected.score(v) for v in qualified])
    assert list(table["Rank"]) == [expected.rank(v) for v in qualified]
    assert metric(at, "Leader") == expected.leader
    assert metric(at, "Leader's score") == f"{expected.score(expected.leader):.1f}"


def test_starts_on_the_sample_with_its_leader(sample):
    at = start()
    expected = score(sample)
    assert_shows(at, expected)
    q = expected.qualified
    margin = expected.score(q[0]) - expected.score(q[1])
    assert metric(at, "Margin over #2") == f"{margin:.1f}"
    assert metric(at, "Qualified") == f"{len(q)} of {len(sample.vendors)}"
    disq = table(at, "Vendor", "Reasons", without="Rank")
    # visible without scrolling (with prices or minimums, the stage a vendor fell at first)
    why = ["Vendor", "Stage", "Reasons"] if sample.staged else ["Vendor", "Reasons"]
    assert list(disq.columns[: len(why)]) == why
    assert list(disq["Vendor"]) == [v for v in expected.vendors if v not in q]
    assert all(disq["Reasons"].str.len() > 0)
    assert not at.error
    assert at.session_state["ve_source"] == SAMPLE.name
    assert [t.label for t in at.tabs][:4] == ["Ranking", "Charts", "Vendor detail", "Head-to-head"]


def test_valid_upload_replaces_the_ranking():
    at = start()
    at.file_uploader(key="upload").set_value(("small.xlsx", SMALL, XLSX))
    at.run()
    assert not at.exception and not at.error
    expected = score(load_evaluation(SMALL, name="small.xlsx"))
    assert expected.leader == "Gamma AG"  # 4/5 rating, cheapest: checked by hand too
    assert_shows(at, expected)
    assert at.session_state["ve_source"] == "small.xlsx"
    # a rerun keeps the uploaded workbook (no reload, no reset of edits)
    gen = at.session_state["ve_gen"]
    at.run()
    assert at.session_state["ve_gen"] == gen
    assert_shows(at, expected)


def test_invalid_upload_lists_problems_and_shows_nothing_else(sample):
    """A rejected upload shows its problems and nothing that could pass for its results."""
    at = start()
    at.file_uploader(key="upload").set_value(("small.xlsx", SMALL, XLSX))
    at.run()
    at.file_uploader(key="upload").set_value(("broken.xlsx", INVALID, XLSX))
    at.run()
    assert not at.exception
    assert len(at.error) == 1 and "broken.xlsx" in seen(at.error[0].value)
    assert "Nothing is ranked until a workbook loads" in at.error[0].value
    assert "Still showing" not in at.error[0].value
    problems = table(at, "sheet", "cell", "column", "message")
    assert list(problems.columns) == ["sheet", "cell", "column", "message"]
    cells = set(zip(problems["sheet"], problems["cell"], strict=True))
    assert {("Vendors", "B2"), ("Vendors", "C3")} <= cells
    assert problems["message"].str.contains("ten").any()
    # no ranking, no metrics, no tabs, no export of an earlier workbook
    assert not has_table(at, "Rank", "Vendor", "Score", "Completeness")
    assert not at.metric and not at.tabs
    assert not [b for b in at.get("download_button") if b.proto.label.startswith("Excel")]
    assert at.session_state["ve_ranking"] is None and at.session_state["ve_source"] is None
    # removing the bad file clears the report; the sample comes back only when chosen
    at.file_uploader(key="upload").clear()
    at.run()
    assert not at.error and not has_table(at, "Rank", "Vendor", "Score", "Completeness")
    at.button(key="use_sample").click()
    at.run()
    assert not at.error
    assert at.session_state["ve_source"] == "sample_vendors.xlsx"
    assert_shows(at, score(sample))


def test_failed_upload_over_the_sample_does_not_leave_the_sample(sample):
    at = start()
    assert at.session_state["ve_source"] == "sample_vendors.xlsx"
    at.file_uploader(key="upload").set_value(("broken.xlsx", INVALID, XLSX))
    at.run()
    assert not at.exception and len(at.error) == 1
    assert not at.metric and not has_table(at, "Rank", "Vendor", "Score", "Completeness")
    assert not [b for b in at.get("download_button") if b.proto.label.startswith("Excel")]


def test_csv_upload_uses_the_default_model(sample):
    at = start()
    csv = (ROOT / "data" / "sample_vendors.csv").read_bytes()
    at.file_uploader(key="upload").set_value(("sample_vendors.csv", csv, "text/csv"))
    at.run()
    assert not at.exception and not at.error
    assert_shows(at, score(load_evaluation(csv, name="sample_vendors.csv")))


def _category_that_changes_leader(sample) -> tuple[int, str, float]:
    base = score(sample).leader
    for i, name in enumerate(sample.category_names):
        ev = sample.with_weights(category_weights={name: 100.0})
        if score(ev).leader != base:
            return i, name, 100.0
    raise AssertionError("no single category weight changes the sample's leader")


def test_category_slider_changes_the_ranking_as_vendor_eval_computes(sample):
    at = start()
    i, name, value = _category_that_changes_leader(sample)
    gen = at.session_state["ve_gen"]
    slider = at.slider(key=f"cat_{gen}_{i}")
    assert seen(slider.label) == name  # the label is Markdown, escaped
    slider.set_value(value)
    at.run()
    assert not at.exception and not at.error
    expected = score(sample.with_weights(category_weights={name: value}))
    assert expected.leader != score(sample).leader
    assert_shows(at, expected)
    # what is on screen is what gets exported
    on_screen = at.session_state["ve_ranking"]
    assert on_screen.weights.to_dict() == pytest.approx(expected.weights.to_dict())
    # reset to workbook restores the original weights and ranking
    at.button(key="reset_weights").click()
    at.run()
    assert_shows(at, score(sample))


def test_switching_to_topsis_changes_the_method_shown(sample):
    at = start()
    at.radio(key="method").set_value("topsis")
    at.run()
    assert not at.exception and not at.error
    expected = score(sample, method="topsis")
    assert_shows(at, expected)
    assert any("Method: **TOPSIS**" in c.value for c in at.caption)
    assert at.session_state["ve_ranking"].method is Method.TOPSIS
    # TOPSIS cannot exclude missing values: the choice is not offered at all
    assert EXCLUDE not in at.selectbox(key="missing").options


def test_all_category_weights_zero_keeps_the_last_ranking_marked_not_updated(sample):
    at = start()
    gen = at.session_state["ve_gen"]
    for i in range(len(sample.category_names)):
        at.slider(key=f"cat_{gen}_{i}").set_value(0.0)
    at.run()
    assert not at.exception
    assert any("cannot be used" in e.value for e in at.error)
    # above the (collapsed) panel, so it cannot go unseen; the last ranking stays
    (note,) = [w.value for w in at.warning if "Not updated" in w.value]
    assert "Every category weight is 0" in note
    assert_shows(at, score(sample))


def _edit_criteria(at: AppTest, edits: dict[int, dict[str, object]]) -> None:
    gen = at.session_state["ve_gen"]
    at.session_state[f"criteria_{gen}"] = {
        "edited_rows": edits,
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    assert not at.exception


def test_a_typo_in_a_must_rule_keeps_everything_on_screen(sample):
    """One bad cell: the message names the row, the last valid ranking, the tabs and the
    Export stay, marked "not updated"; fixing the cell updates the ranking again."""
    at = start()
    name = sample.criteria[2].name
    _edit_criteria(at, {2: {"Must": ">= lots"}})
    assert not at.exception
    (error,) = [seen(e.value) for e in at.error]
    assert f"{name} (row 3): must-have rule" in error and "lots" in error
    assert "weights cannot" not in error  # it is not the weights' fault
    (note,) = [seen(w.value) for w in at.warning if "Not updated" in w.value]
    assert f"{name} (row 3)" in note
    assert_shows(at, score(sample))
    assert at.metric and at.tabs
    assert [b for b in at.get("download_button") if b.proto.label.startswith("Excel")]
    # the editor marks such a cell: the Must column validates what is typed in the browser
    (editor,) = [d for d in at.dataframe if d.key == f"criteria_{at.session_state['ve_gen']}"]
    must = json.loads(editor.proto.columns)["Must"]["type_config"]
    assert must["validate"] == MUST_PATTERN
    # fixing the rule clears the note and ranks with it
    c = sample.criteria[2]
    _edit_criteria(at, {2: {"Must": "" if c.must is None else c.must.text}})
    assert not at.error and not [w for w in at.warning if "Not updated" in w.value]


ACCEPTED_RULES = [
    ">= 3", "> 0", "<= 50000", "< 10", "= 1", ">= 1,200", "≥ 4.5", "≤ 2", "=> 2", "=< 2",
    "== 1", "<= $50,000", "<= 50000 €", ">= 85%", ">= 1E3", "> (3)", "> − 3", "> -3",
    "yes", "no", "YES", "y", "True", "= yes", "=yes", "1", "0", "", "  >=  3  ",
    "\u200b>= 3", ">=\u00a03",
]  # fmt: skip
REFUSED_RULES = ["about 3", ">= lots", "x >= 3", "maybe", "> ", ">= yes please", "3 or more"]


@pytest.mark.parametrize("text", ACCEPTED_RULES)
def test_must_column_pattern_lets_every_rule_parse_must_accepts_through(text):
    """The browser does not submit a cell that fails the pattern: it must never block a
    rule the importer would accept (on either scale)."""
    accepted = []
    for scale in (Scale.RELATIVE, Scale.YESNO):
        try:
            parse_must(text, scale)
            accepted.append(scale)
        except CellError:
            pass
    assert accepted, f"{text!r} is not a rule at all: fix the test list"
    assert re.match(MUST_PATTERN, text), text


@pytest.mark.parametrize("text", REFUSED_RULES)
def test_must_column_pattern_marks_text_that_is_no_rule(text):
    for scale in (Scale.RELATIVE, Scale.YESNO):
        with pytest.raises(CellError):
            parse_must(text, scale)
    assert not re.match(MUST_PATTERN, text), text


@settings(max_examples=300, deadline=None)
@given(
    op=st.sampled_from(["", ">=", "=>", "≥", "<=", "=<", "≤", "==", "=", ">", "<"]),
    space=st.sampled_from(["", " ", "  ", "\u00a0"]),
    rest=st.text(alphabet="0123456789.,-+$€£¥%() eEyesnotruefalsYNT−", max_size=12),
)
def test_must_column_pattern_is_looser_than_parse_must(op, space, rest):
    text = f"{op}{space}{rest}"
    for scale in (Scale.RELATIVE, Scale.YESNO):
        try:
            parse_must(text, scale)
        except CellError:
            continue
        assert re.match(MUST_PATTERN, text), text


def test_must_rule_edit_disqualifies_the_leader(sample):
    at = start()
    leader = score(sample).leader
    # a threshold just above the leader's value on a criterion where someone beats it
    j, c = next(
        (j, c)
        for j, c in enumerate(sample.criteria)
        if c.must is None and sample.values[c.name].max() > sample.values.at[leader, c.name]
    )
    above = (float(sample.values.at[leader, c.name]) + float(sample.values[c.name].max())) / 2
    _edit_criteria(at, {j: {"Must": f">= {above}"}})
    assert not at.error
    edited = sample.with_criteria(
        [
            k.replace(must=MustRule(">=", above, f">= {above}")) if k.name == c.name else k
            for k in sample.criteria
        ]
    )
    expected = score(edited)
    assert leader not in expected.qualified and expected.leader is not None
    assert_shows(at, expected)


@pytest.mark.parametrize(
    "tab", ["Charts", "Vendor detail", "Head-to-head", "Robustness", "Data quality"]
)
def test_every_tab_renders_without_error(tab):
    at = start()
    at.session_state["view"] = tab
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error


def test_head_to_head_shows_the_explanation_sentences(sample):
    from vendor_eval.charts.compare import head_to_head_sentences

    at = start()
    at.session_state["view"] = "Head-to-head"
    at.run()
    expected = score(sample)
    a, b = expected.vendors[:2]
    text = "\n".join(seen(m.value) for m in at.markdown)
    for sentence in head_to_head_sentences(expected, a, b):
        assert sentence in text
    for sentence in expected.explanations[a]["strengths"]:
        assert sentence in text


def test_vendor_detail_lists_gate_results_of_a_disqualified_vendor(sample):
    at = start()
    expected = score(sample)
    out = next(v for v in expected.vendors if v not in expected.qualified)
    gen = at.session_state["ve_gen"]
    at.session_state["view"] = "Vendor detail"
    at.run()
    at.selectbox(key=f"detail_{gen}").set_value(out)
    at.run()
    assert not at.exception
    gates = table(at, "Criterion", "Rule", "Value", "Result")
    assert "fail" in set(gates["Result"]) or "missing" in set(gates["Result"])
    assert any("Disqualified" in w.value for w in at.warning)


def test_weights_chart_is_built_only_when_the_panel_is_open(sample):
    at = start()
    assert not at.get("plotly_chart")
    at.session_state["weights_panel"] = True
    at.run()
    assert not at.exception
    (chart,) = at.get("plotly_chart")
    sunburst = json.loads(chart.proto.spec)["data"][0]
    expected = score(sample).weights
    values = dict(zip(sunburst["ids"], sunburst["values"], strict=True))
    first = sample.criteria[0]
    assert values[f"{first.category}/{first.name}"] == pytest.approx(expected[first.name])
    # collapsing the panel keeps a slider edit
    gen = at.session_state["ve_gen"]
    at.slider(key=f"cat_{gen}_0").set_value(0.0)
    at.session_state["weights_panel"] = False
    at.run()
    name = sample.category_names[0]
    assert_shows(at, score(sample.with_weights(category_weights={name: 0.0})))


def test_topsis_is_never_combined_with_exclude():
    """Exclude chosen under the weighted sum, then TOPSIS: the policy switches to Worst with
    a note at the control, and the page keeps its ranking (it used to go blank)."""
    at = start()
    at.selectbox(key="missing").set_value("exclude")
    at.run()
    assert at.session_state["ve_ranking"].missing.value == "exclude"
    at.radio(key="method").set_value("topsis")
    at.run()
    assert not at.exception and not at.error
    missing = at.selectbox(key="missing")
    assert missing.value == "worst" and EXCLUDE not in missing.options
    assert len(missing.options) == 2
    assert any("*Exclude* is not offered with TOPSIS" in c.value for c in at.sidebar.caption)
    ranking = at.session_state["ve_ranking"]
    assert ranking.method is Method.TOPSIS and ranking.missing.value == "worst"
    assert has_table(at, "Rank", "Vendor", "Score", "Completeness")
    # back to the weighted sum: every policy is offered again, the note goes
    at.radio(key="method").set_value("wsm")
    at.run()
    assert EXCLUDE in at.selectbox(key="missing").options
    assert not any("not offered with TOPSIS" in c.value for c in at.sidebar.caption)


def test_vendor_detail_shows_the_vendors_values_as_entered(sample):
    at = start()
    at.session_state["view"] = "Vendor detail"
    at.run()
    vendor = at.session_state["ve_ranking"].vendors[0]
    values = next(d.value for d in at.dataframe if "Points" in d.value.columns)
    row = values.set_index("Criterion")
    raw = sample.values.loc[vendor]
    assert row.at["SLA uptime", "Value"] == f"{raw['SLA uptime'] * 100:g}%"
    assert row.at["ISO 27001", "Value"] == ("yes" if raw["ISO 27001"] == 1 else "no")
    ranking = at.session_state["ve_ranking"]
    assert values["Points"].sum() == pytest.approx(ranking.score(vendor))
    assert any("scored against the shortlist" in c.value for c in at.caption)


def test_score_help_says_relative_criteria_move_with_the_shortlist(sample):
    at = start()
    (ranked,) = [d for d in at.dataframe if "Completeness" in d.value.columns][:1]
    score_help = json.loads(ranked.proto.columns)["Score"]["help"]
    assert "scored against the shortlist" in score_help
    relative = [c.name for c in sample.criteria if c.scale.value == "relative"]
    assert relative and relative[0] in score_help


def test_topsis_ranking_shows_what_topsis_used_and_why_it_differs(sample):
    """Under TOPSIS the table used to show weighted-sum category scores (a 6th-ranked vendor
    with 91 / 100 / 95); it shows TOPSIS's distances and one sentence on the difference."""
    from vendor_eval.scoring.breakdown import D_MINUS, D_PLUS, method_difference, topsis_breakdown

    at = start()
    at.radio(key="method").set_value("topsis")
    at.run()
    assert not at.exception and not at.error
    ranked = table(at, "Rank", "Vendor", "Score", "Completeness")
    assert D_PLUS in ranked.columns and D_MINUS in ranked.columns
    assert not set(sample.category_names) & set(ranked.columns)
    t = score(sample, method="topsis")
    b = topsis_breakdown(t)
    top = ranked.set_index("Vendor")
    assert top[D_PLUS].to_dict() == pytest.approx(b.distances[D_PLUS].loc[top.index].to_dict())
    sentence = method_difference(t, score(sample), b)
    assert sentence and any(seen(i.value) == sentence for i in at.info)


def test_robustness_under_topsis_says_it_describes_the_weighted_sum(sample):
    at = start()
    at.radio(key="method").set_value("topsis")
    at.session_state["view"] = "Robustness"
    at.run()
    assert not at.exception
    leader = score(sample, method="topsis").leader
    top = [i.value for i in at.info]
    assert any("describe the weighted-sum ranking" in v and f"led by {leader}" in v for v in top)
    verdicts = [seen(m.value) for m in [*at.success, *at.warning]]
    # on the sample the methods disagree (the hourly rate is a ratio price under the
    # weighted sum, a plain lower-is-better value under TOPSIS): the verdict says which
    # method names which leader
    wsm = score(sample).leader
    assert leader != wsm
    assert verdicts and all(
        v.startswith(
            f"TOPSIS, on screen, ranks {leader} first. The weighted sum, which these stress "
            f"tests analyse, ranks {wsm} first"
        )
        for v in verdicts
    ), verdicts


def untick_mapping(at: AppTest) -> None:
    """Untick every row of the column mapping (which ticks its confident guesses): the file
    as the built-in model reads it."""
    (key,) = [d.key for d in at.dataframe if d.key and d.key.startswith("mapping_")]
    rows = len(next(d.value for d in at.dataframe if d.key == key))
    edits = {i: {"Include": False} for i in range(rows)}
    at.session_state[key] = {"edited_rows": edits, "added_rows": [], "deleted_rows": []}
    at.run()


def test_unscored_numeric_columns_are_shown_above_the_ranking():
    """Five criteria named the user's way, two recognised by the default model: the page
    says, above the ranking, that three columns of numbers are not scored (once the column
    mapping's guesses are unticked)."""
    data = workbook(
        [
            ["Vendor", "Blended hourly rate", "SLA uptime", "Support hours", "Innovation days",
             "Has SOC 2"],
            ["Acme", 95, 0.999, 24, 40, "yes"],
            ["Globex", 80, 0.995, 12, 25, "no"],
            ["Initech", 70, 0.99, 8, 60, "yes"],
        ]
    )  # fmt: skip
    at = start()
    at.file_uploader(key="upload").set_value(("mine.xlsx", data, XLSX))
    at.run()
    untick_mapping(at)
    assert not at.exception and not at.error
    (note,) = [w.value for w in at.warning if "not scored" in w.value]
    assert note.startswith("**Only 2 of the workbook's 5 numeric columns are scored**")
    for header in ("Support hours", "Innovation days", "Has SOC 2"):
        assert header in note
    leader = at.session_state["ve_ranking"].leader
    assert f"{leader} leads on those alone" in note


def test_criteria_editor_says_what_relative_means():
    at = start()
    (editor,) = [d for d in at.dataframe if d.key == f"criteria_{at.session_state['ve_gen']}"]
    scale = json.loads(editor.proto.columns)["Scale"]
    assert "relative: scored against the shortlist" in scale["help"]


def test_the_verdict_leads_with_the_cards_leader_when_the_methods_disagree():
    from conftest import random_evaluation

    from vendor_eval.stress.analysis import analyse
    from vendor_eval.ui.robustness import shown_verdict

    rng = np.random.default_rng(3)
    for _ in range(200):
        ev = random_evaluation(rng, n_vendors=6, n_criteria=5)
        topsis, wsm = score(ev, method="topsis"), score(ev)
        if topsis.leader and wsm.leader and topsis.leader != wsm.leader:
            break
    else:
        pytest.fail("no random evaluation where TOPSIS and WSM disagree on the leader")
    report = analyse(ev, samples=200, seed=0)
    text = shown_verdict(report, topsis)
    assert text.startswith(f"TOPSIS, on screen, ranks {topsis.leader} first.")
    assert f"The weighted sum, which these stress tests analyse, ranks {wsm.leader}" in text
    assert shown_verdict(report, wsm) == report.verdict


def test_workbook_text_is_shown_as_written_not_as_markdown():
    """A header with "$" (Streamlit's LaTeX) and a vendor with Markdown in its name print
    as written: every such character is escaped where the page builds Markdown
    (test_markdown_injection.py attacks every page)."""
    data = workbook(
        [
            ["Vendor", "Blended hourly rate", "Setup fee ($)", "Rebate ($)"],
            ["**Acme** [x](https://example.com)", 95, 1000, 5],
            ["Globex", 80, 2000, 3],
        ]
    )
    at = start()
    at.file_uploader(key="upload").set_value(("mine $1.xlsx", data, XLSX))
    at.run()
    untick_mapping(at)
    assert not at.exception and not at.error
    (note,) = [w.value for w in at.warning if "not scored" in w.value]
    assert "Setup fee \\(\\$\\)" in note and "Rebate \\(\\$\\)" in note and "($)" not in note
    assert "**mine \\$1\\.xlsx**" in " ".join(c.value for c in at.caption)
