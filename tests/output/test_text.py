"""Terminal table and CSV: alignment, statuses, and CSV-injection protection."""

from __future__ import annotations

import csv
import dataclasses
import io

import pytest
from conftest import make_evaluation

from vendor_eval.core.model import Criterion, Method, MissingPolicy, MustRule, Scale, Settings
from vendor_eval.output.text import (
    applied_settings,
    format_csv,
    format_report,
    format_table,
    protect_cell,
    ranking_records,
    ranking_settings,
    settings_line,
)
from vendor_eval.scoring.scorer import score


def ranking(vendors=("Acme", "Bolt", "Crux"), **kw):
    crit = [
        Criterion("ISO 27001", "Capability", 1, scale=Scale.YESNO, must=MustRule("=", 1, "yes")),
        Criterion("Years", "Reputation", 3),
    ]
    ev = make_evaluation({"ISO 27001": [1, 0, 1], "Years": [4, 9, 10]}, crit, vendors=list(vendors))
    return score(ev, **kw)


def test_table_is_aligned_hand_checked():
    assert format_table(ranking()).splitlines() == [
        "Ranking by weighted sum (missing values: worst)",
        "Settings: method wsm (default), missing values worst (default)",
        "",
        "Rank  Vendor  Status        Score  Complete  Reasons",
        "----  ------  ------------  -----  --------  -----------------------------",
        "   1  Crux    Qualified     100.0      100%",
        "   2  Acme    Qualified      25.0      100%",
        "   -  Bolt    Disqualified   62.5      100%  ISO 27001 must be yes (is no)",
    ]


def test_table_names_topsis_and_policy():
    assert format_table(ranking(method="topsis", missing="mean")).splitlines()[0] == (
        "Ranking by TOPSIS (missing values: mean)"
    )


def test_table_neutralises_control_characters_and_aligns_wide_text():
    lines = format_table(ranking(vendors=("Ac\x1b[2Jme", "東京", "C\nx"))).splitlines()
    assert "\x1b" not in "".join(lines)
    assert lines[5] == "   1  C␊x       Qualified     100.0      100%"
    assert lines[6] == "   2  Ac␛[2Jme  Qualified      25.0      100%"
    assert lines[7].startswith("   -  東京      Disqualified")


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1", "'+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Acme = best", "Acme = best"),
        ("", ""),
    ],
)
def test_protect_cell_owasp_rule(text, safe):
    assert protect_cell(text) == safe


def test_csv_columns_values_and_numbers():
    rows = list(csv.reader(io.StringIO(format_csv(ranking()))))
    assert rows[0] == [
        "rank", "vendor", "status", "score", "completeness", "reasons",
        "category: Capability", "category: Reputation", "points: ISO 27001", "points: Years",
    ]  # fmt: skip
    assert rows[1] == ["1", "Crux", "Qualified", "100.0", "1.0", "", "100.0", "100.0", "25.0",
                       "75.0"]  # fmt: skip
    assert rows[2][:4] == ["2", "Acme", "Qualified", "25.0"]
    assert rows[3][:6] == ["", "Bolt", "Disqualified", "62.5", "1.0",
                           "ISO 27001 must be yes (is no)"]  # fmt: skip


def test_csv_protects_every_text_cell_including_headers():
    crit = [Criterion("=cmd|' /C calc'!A0", "@Cat", 1, must=MustRule(">", 5, "> 5"))]
    ev = make_evaluation({crit[0].name: [9, 1]}, crit, vendors=["+Evil", "-Also"])
    rows = list(csv.reader(io.StringIO(format_csv(score(ev)))))
    # headers start with fixed words, so only the cells below need the quote
    assert rows[0][6:] == ["category: @Cat", "points: =cmd|' /C calc'!A0"]
    assert rows[1][1] == "'+Evil"
    assert rows[2][1] == "'-Also"
    assert rows[2][5] == "'=cmd|' /C calc'!A0 must be > 5 (is 1)"
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))


# -- settings, stages and the withdrawal table -------------------------------------------


def test_settings_line_names_each_origin_and_only_the_settings_that_count():
    ev = ranking().evaluation
    ev = ev.with_settings(origin="workbook", missing=MissingPolicy.MEAN, contract_term=5)
    ev = ev.with_settings(origin="command line", quality_minimum=60.0)
    applied = applied_settings(ev.settings, method=Method.WSM, missing=MissingPolicy.MEAN)
    assert settings_line(applied, costs=False) == (
        "Settings: method wsm (default), missing values mean (from the workbook), quality "
        "minimum 60 (from the command line), contract term 5 years (from the workbook)"
    )
    # with a Costs sheet the term and the rate count even when nobody set them
    assert settings_line(applied, costs=True).endswith(
        "contract term 5 years (from the workbook), discount rate 0% (default)"
    )


def test_a_method_given_to_score_itself_is_chosen_for_this_run():
    r = ranking(method="topsis", missing="mean")  # not through the settings
    assert ranking_settings(r)["method"] == {"value": "topsis", "origin": "chosen for this run"}
    assert format_table(r).splitlines()[1] == (
        "Settings: method topsis (chosen for this run), missing values mean (chosen for this run)"
    )


def test_project_origin_and_rates_read_plainly():
    s = Settings(
        discount_rate=0.035,
        contract_term=1,
        origin={"discount_rate": "project", "contract_term": "workbook"},
    )
    applied = applied_settings(s, method=None, missing=MissingPolicy.WORST)
    assert "method" not in applied
    assert settings_line(applied, costs=True) == (
        "Settings: missing values worst (default), contract term 1 year (from the workbook), "
        "discount rate 3.5% (from the project's settings)"
    )


def test_records_gain_stage_and_settings_without_losing_a_key():
    r = ranking()
    records = ranking_records(r)
    assert [list(x) for x in records] == [[*y, "stage", "settings"] for y in r.to_records()]
    assert [x["stage"] for x in records] == ["", "", "must-have"]
    assert records[0]["settings"]["method"] == {"value": "wsm", "origin": "default"}


def test_the_stage_column_appears_with_a_minimum():
    crit = [
        Criterion("ISO 27001", "Capability", 1, scale=Scale.YESNO, must=MustRule("=", 1, "yes")),
        Criterion("Years", "Reputation", 3),
    ]
    ev = make_evaluation({"ISO 27001": [1, 0, 1], "Years": [4, 9, 10]}, crit,
                         vendors=["Acme", "Bolt", "Crux"])  # fmt: skip
    # Years over {Acme, Crux}: Acme 0, Crux 1; quality Acme (1 + 0)/4 = 25 < 50
    ev = ev.with_settings(quality_minimum=50.0)
    lines = format_table(score(ev)).splitlines()
    assert lines[3].split() == ["Rank", "Vendor", "Status", "Stage", "Score", "Complete",
                                "Reasons"]  # fmt: skip
    assert lines[5].split()[:3] == ["1", "Crux", "Qualified"]
    # the disqualified by score: Bolt 62.5 (at the gates), then Acme 25 (at the minimum)
    assert "Disqualified  Must-have gate" in lines[6] and lines[6].split()[1] == "Bolt"
    assert "Disqualified  Quality minimum" in lines[7] and lines[7].split()[1] == "Acme"
    assert lines[7].endswith("25.0      100%  quality score 25.0 is below the minimum 50")


@pytest.fixture(scope="module")
def report():
    from vendor_eval.stress.analysis import analyse

    return analyse(ranking().evaluation, samples=200, seed=0)


def test_the_report_lists_each_withdrawal_and_flags_a_new_winner(report):
    from vendor_eval.stress.withdrawal import Withdrawal

    changed = dataclasses.replace(
        report,
        withdrawal=[Withdrawal("Acme", "Crux", False), Withdrawal("Bo\x1bb", None, True)],
    )
    lines = format_report(changed).splitlines()
    at = lines.index("If a bidder withdrew (everything scored again without it)")
    assert lines[at + 1 : at + 6] == [
        "Withdrawn  Leader without it  Winner changes",
        "---------  -----------------  --------------",
        "Acme       Crux               no",
        "Bo␛b       nobody             yes",
        "1 of 2 withdrawals would change the winner",
    ]


def test_the_report_without_withdrawals_says_why_or_nothing(report):
    assert "If a bidder withdrew" not in format_report(dataclasses.replace(report, withdrawal=[]))
    noted = dataclasses.replace(report, withdrawal=[], withdrawal_note="Too many vendors.")
    lines = format_report(noted).splitlines()
    at = lines.index("If a bidder withdrew")
    assert lines[at + 1] == "Too many vendors."


def test_the_report_names_its_settings_only_when_given_the_evaluation(report):
    ev = ranking().evaluation.with_settings(origin="workbook", quality_minimum=10.0)
    plain = format_report(report).splitlines()
    assert not any(line.startswith("Settings:") for line in plain)
    assert format_report(report, evaluation=ev).splitlines()[2] == (
        "Settings: missing values worst (default), quality minimum 10 (from the workbook)"
    )
