"""Terminal table and CSV: alignment, statuses, and CSV-injection protection."""

from __future__ import annotations

import csv
import io

import pytest
from conftest import make_evaluation

from vendor_eval.core.model import Criterion, MustRule, Scale
from vendor_eval.output.text import format_csv, format_table, protect_cell
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
    assert lines[4] == "   1  C␊x       Qualified     100.0      100%"
    assert lines[5] == "   2  Ac␛[2Jme  Qualified      25.0      100%"
    assert lines[6].startswith("   -  東京      Disqualified")


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
