"""The Settings sheet on the command line: options that override it, refusals, and outputs
that say which settings applied (the table's Settings line and Stage column, the JSON's
``settings`` and ``stage``, the CSV's ``stage``), the withdrawal table of ``sensitivity``.

The priced workbook, by hand (flat weights Quality 3, ISO 27001 1, Total cost of ownership 1,
so each point of weight is 20 points of score; Quality is absolute 0–100):

    Quality   ISO  Costs
    Acme  80  yes  Setup 1,200 one-off + Support 100 a year
    Bolt  70  yes  Licence 500 a year
    Crux  90  no   Licence 100 a year      (fails the must-have: never in the price stage)

Settings sheet: Method wsm, Missing values mean, Contract term (years) 2.

* term 2: TCO Acme 1,400, Bolt 1,000, Crux 200; p_low over {Acme, Bolt} = 1,000:
  Acme s = 1000/1400 = 0.714286 → (2.4 + 1 + 0.714286) · 20 = 82.2857; Bolt (2.1 + 1 + 1) ·
  20 = 82.0; Crux 1000/200 clipped to 1 → (2.7 + 0 + 1) · 20 = 74.0.
* term 4: Acme 1,600, Bolt 2,000: Acme 1 → 88.0; Bolt 0.8 → 78.0; Crux 74.0.
* term 1: Acme 1,300, Bolt 500: Acme 500/1300 = 0.384615 → 75.6923; Bolt 82.0 (Bolt wins).
* term 2, rate 10 %: a = 1/1.1 + 1/1.1² = 1.735537; Acme 1200 + 173.5537 = 1373.5537, Bolt
  867.7686; Acme s = 0.631769 → 80.6354; Bolt 82.0.
* quality minimum 80 (term 2): quality q = 100 · (3 s_Q + s_ISO) / 4: Acme 85, Bolt 77.5 <
  80 → Bolt out at the minimum; prices over {Acme}: p_low 1,400, Acme 1 → 88.0; Bolt's price
  score 1400/1000 clipped to 1 → 82.0; Crux 74.0.
"""

from __future__ import annotations

import csv
import io
import json

import pytest
from conftest import xlsx

from vendor_eval import cli

CRITERIA = [
    ["Criterion", "Category", "Weight", "Direction", "Scale", "Formula", "Min", "Max", "Must"],
    ["Quality", "Quality", 3, "higher", "absolute", None, 0, 100, None],
    ["ISO 27001", "Quality", 1, "higher", "yes/no", None, None, None, "yes"],
    ["Total cost of ownership", "Cost", 1, "lower", "price", "ratio", None, None, None],
]
COSTS = [
    ["Vendor", "Item", "Amount", "Frequency", "Quantity"],
    ["Acme", "Setup", 1200, "one-off", 1],
    ["Acme", "Support", 100, "yearly", 1],
    ["Bolt", "Licence", 500, "yearly", 1],
    ["Crux", "Licence", 100, "yearly", 1],
]
SETTINGS = [
    ["Setting", "Value"],
    ["Method", "wsm"],
    ["Missing values", "mean"],
    ["Contract term (years)", 2],
]
WORKBOOK_LINE = (
    "Settings: method wsm (from the workbook), missing values mean (from the workbook), "
    "contract term 2 years (from the workbook), discount rate 0% (default)"
)


def priced_book(settings=SETTINGS) -> dict:
    book = {
        "Vendors": [
            ["Vendor", "Quality", "ISO 27001"],
            ["Acme", 80, "yes"],
            ["Bolt", 70, "yes"],
            ["Crux", 90, "no"],
        ],
        "Criteria": CRITERIA,
        "Costs": COSTS,
    }
    if settings is not None:
        book["Settings"] = settings
    return book


@pytest.fixture
def priced(tmp_path) -> str:
    path = tmp_path / "priced.xlsx"
    path.write_bytes(xlsx(priced_book()))
    return str(path)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def ok(capsys, *argv: str) -> tuple[str, str]:
    code, out, err = run(capsys, *argv)
    assert code == 0, err
    return out, err


def scores(capsys, *argv: str) -> dict[str, float]:
    out, _ = ok(capsys, "rank", *argv, "--format", "json")
    return {r["vendor"]: round(r["score"], 4) for r in json.loads(out)}


# -- the Settings sheet applies when no option is given ----------------------------------


def test_the_workbook_s_settings_apply_and_the_table_says_so(priced, capsys):
    out, _ = ok(capsys, "rank", priced)
    assert out.splitlines() == [
        "Ranking by weighted sum (missing values: mean)",
        WORKBOOK_LINE,
        "",
        "Rank  Vendor  Status        Score  Complete  Reasons",
        "----  ------  ------------  -----  --------  -----------------------------",
        "   1  Acme    Qualified      82.3      100%",
        "   2  Bolt    Qualified      82.0      100%",
        "   -  Crux    Disqualified   74.0      100%  ISO 27001 must be yes (is no)",
    ]


def test_the_settings_sheet_s_method_applies(tmp_path, capsys):
    path = tmp_path / "topsis.xlsx"
    path.write_bytes(xlsx(priced_book([["Setting", "Value"], ["Method", "TOPSIS"]])))
    out, err = ok(capsys, "rank", str(path))
    assert out.splitlines()[:2] == [
        "Ranking by TOPSIS (missing values: worst)",
        "Settings: method topsis (from the workbook), missing values worst (default), "
        "contract term 3 years (default), discount rate 0% (default)",
    ]
    assert "note: TOPSIS scores are closeness" in err


def test_without_a_settings_sheet_the_defaults_apply(tmp_path, capsys):
    path = tmp_path / "plain.xlsx"
    path.write_bytes(xlsx(priced_book(None)))
    out, _ = ok(capsys, "rank", str(path))
    assert out.splitlines()[1] == (
        "Settings: method wsm (default), missing values worst (default), "
        "contract term 3 years (default), discount rate 0% (default)"
    )


# -- each option overrides the sheet -----------------------------------------------------


def test_contract_term_changes_the_tco_and_the_winner(priced, capsys):
    assert scores(capsys, priced) == {"Acme": 82.2857, "Bolt": 82.0, "Crux": 74.0}
    assert scores(capsys, priced, "--contract-term", "4") == {
        "Acme": 88.0,
        "Bolt": 78.0,
        "Crux": 74.0,
    }
    by_term_1 = scores(capsys, priced, "--contract-term", "1 year")
    assert by_term_1 == {"Bolt": 82.0, "Acme": 75.6923, "Crux": 74.0}
    assert list(by_term_1) == ["Bolt", "Acme", "Crux"]


@pytest.mark.parametrize("rate", ["10%", "0.1", "10"])
def test_discount_rate_as_percent_fraction_or_bare_number(priced, capsys, rate):
    code, out, err = run(capsys, "rank", priced, "--discount-rate", rate, "--format", "json")
    assert code == 0
    records = json.loads(out)
    assert [(r["vendor"], round(r["score"], 4)) for r in records] == [
        ("Bolt", 82.0),
        ("Acme", 80.6354),
        ("Crux", 74.0),
    ]
    assert records[0]["settings"]["discount_rate"] == {"value": 0.1, "origin": "command line"}
    noted = "note: --discount-rate 10 is read as 10% (0.1); write 10% to make it plain\n"
    assert (noted in err) == (rate == "10")


def test_quality_minimum_disqualifies_at_the_minimum_stage(priced, capsys):
    out, _ = ok(capsys, "rank", priced, "--quality-minimum", "80")
    assert out.splitlines() == [
        "Ranking by weighted sum (missing values: mean)",
        "Settings: method wsm (from the workbook), missing values mean (from the workbook), "
        "quality minimum 80 (from the command line), contract term 2 years (from the "
        "workbook), discount rate 0% (default)",
        "",
        "Rank  Vendor  Status        Stage            Score  Complete  Reasons",
        "----  ------  ------------  ---------------  -----  --------  "
        "------------------------------------------",
        "   1  Acme    Qualified                       88.0      100%",
        "   -  Bolt    Disqualified  Quality minimum   82.0      100%  "
        "quality score 77.5 is below the minimum 80",
        "   -  Crux    Disqualified  Must-have gate    74.0      100%  "
        "ISO 27001 must be yes (is no)",
    ]


def test_a_bare_fraction_quality_minimum_is_read_as_a_percentage(priced, capsys):
    _, err = ok(capsys, "rank", priced, "--quality-minimum", "0.8")
    assert "note: --quality-minimum 0.8 is read as 80 (a score out of 100); write 80" in err
    assert scores(capsys, priced, "--quality-minimum", "0.8") == scores(
        capsys, priced, "--quality-minimum", "80%"
    )


def test_the_command_line_overrides_the_sheet_s_quality_minimum(tmp_path, capsys):
    path = tmp_path / "minimum.xlsx"
    path.write_bytes(xlsx(priced_book([*SETTINGS, ["Quality minimum", 80]])))
    assert scores(capsys, str(path)) == {"Acme": 88.0, "Bolt": 82.0, "Crux": 74.0}
    out, _ = ok(capsys, "rank", str(path), "--quality-minimum", "70", "--format", "json")
    records = json.loads(out)
    assert [r["stage"] for r in records] == ["", "", "must-have"]
    assert records[0]["settings"]["quality_minimum"] == {"value": 70.0, "origin": "command line"}
    out, _ = ok(capsys, "rank", str(path), "--format", "json")
    assert json.loads(out)[0]["settings"]["quality_minimum"] == {
        "value": 80.0,
        "origin": "workbook",
    }


def test_method_and_missing_override_the_sheet(priced, capsys):
    out, _ = ok(capsys, "rank", priced, "--method", "topsis", "--missing", "worst")
    assert out.splitlines()[:2] == [
        "Ranking by TOPSIS (missing values: worst)",
        "Settings: method topsis (from the command line), missing values worst (from the "
        "command line), contract term 2 years (from the workbook), discount rate 0% (default)",
    ]


def test_term_and_rate_without_costs_say_they_change_nothing(capsys, tmp_path):
    path = tmp_path / "nocosts.xlsx"
    path.write_bytes(
        xlsx(
            {
                "Vendors": [["Vendor", "Rating"], ["Acme", 4], ["Bolt", 2]],
                "Criteria": [
                    ["Criterion", "Category", "Weight", "Scale", "Min", "Max"],
                    ["Rating", "Quality", 1, "absolute", 1, 5],
                ],
            }
        )
    )
    out, err = ok(capsys, "rank", str(path), "--contract-term", "5")
    assert "note: --contract-term changes nothing here: the workbook has no Costs sheet" in err
    assert "--discount-rate" not in err
    assert out.splitlines()[1] == (
        "Settings: method wsm (default), missing values worst (default), "
        "contract term 5 years (from the command line)"
    )


# -- refusals: exit 2, one line, before the workbook is read -----------------------------


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--quality-minimum", "abc", '"abc" is not a score from 0 to 100'),
        ("--quality-minimum", "101", '"101" is not a score from 0 to 100'),
        ("--quality-minimum", "-5", '"-5" is not a score from 0 to 100'),
        ("--quality-minimum", "nan", '"nan" is not a number (infinities and NaN are not '
                                     "allowed)"),
        ("--quality-minimum", " ", '"" is not a value: give one, e.g. 60'),
        ("--contract-term", "0", '"0" is not a whole number from 1 to 30'),
        ("--contract-term", "31", '"31" is not a whole number from 1 to 30'),
        ("--contract-term", "2.5", '"2.5" is not a whole number from 1 to 30'),
        ("--contract-term", "three", '"three" is not a whole number from 1 to 30'),
        ("--discount-rate", "100%", '"100%" is not a discount rate from 0% to below 100%'),
        ("--discount-rate", "150", '"150" is not a discount rate from 0% to below 100%'),
        ("--discount-rate", "-1%", '"-1%" is not a discount rate from 0% to below 100%'),
        ("--discount-rate", "five", '"five" is not a discount rate from 0% to below 100%'),
    ],
)  # fmt: skip
@pytest.mark.parametrize("command", ["rank", "sensitivity"])
def test_a_bad_setting_exits_2_with_one_line(tmp_path, capsys, command, option, value, message):
    missing = str(tmp_path / "not-there.xlsx")  # checked before the workbook is read
    code, out, err = run(capsys, command, missing, f"{option}={value}")
    assert (code, out) == (2, "")
    assert err == f"error: {option}: {message}\n"


# -- the JSON and CSV ---------------------------------------------------------------------


def test_rank_json_keeps_its_keys_and_gains_stage_and_settings(priced, capsys):
    out, _ = ok(capsys, "rank", priced, "--quality-minimum", "80", "--format", "json")
    records = json.loads(out)
    assert isinstance(records, list)  # still a list, best first
    assert list(records[0]) == [
        "rank", "vendor", "score", "qualified", "reasons", "completeness", "categories",
        "contributions", "strengths", "weaknesses", "stage", "settings",
    ]  # fmt: skip
    assert [(r["vendor"], r["rank"], r["stage"]) for r in records] == [
        ("Acme", 1, ""),
        ("Bolt", None, "minimum"),
        ("Crux", None, "must-have"),
    ]
    assert records[1]["reasons"] == ["quality score 77.5 is below the minimum 80"]
    expected = {
        "method": {"value": "wsm", "origin": "workbook"},
        "missing": {"value": "mean", "origin": "workbook"},
        "quality_minimum": {"value": 80.0, "origin": "command line"},
        "contract_term": {"value": 2, "origin": "workbook"},
        "discount_rate": {"value": 0.0, "origin": "default"},
        "disagreement_threshold": {"value": None, "origin": "default"},
    }
    assert all(r["settings"] == expected for r in records)


def test_rank_json_of_a_workbook_without_settings_says_default(tmp_path, capsys):
    path = tmp_path / "plain.xlsx"
    path.write_bytes(xlsx(priced_book(None)))
    out, _ = ok(capsys, "rank", str(path), "--format", "json")
    settings = json.loads(out)[0]["settings"]
    assert {k: v["origin"] for k, v in settings.items()} == dict.fromkeys(settings, "default")
    assert settings["contract_term"]["value"] == 3 and settings["method"]["value"] == "wsm"


def test_csv_has_a_stage_column_only_with_minimums(priced, capsys):
    out, _ = ok(capsys, "rank", priced, "--format", "csv")
    assert next(csv.reader(io.StringIO(out)))[:4] == ["rank", "vendor", "status", "score"]
    out, _ = ok(capsys, "rank", priced, "--format", "csv", "--quality-minimum", "80")
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0][:7] == ["rank", "vendor", "status", "stage", "score", "completeness",
                           "reasons"]  # fmt: skip
    assert [r[:5] for r in rows[1:]] == [
        ["1", "Acme", "Qualified", "", "88.0"],
        ["", "Bolt", "Disqualified", "Quality minimum", "82.0"],
        ["", "Crux", "Disqualified", "Must-have gate", "74.0"],
    ]


# -- validate and sensitivity ------------------------------------------------------------


def test_validate_lists_the_settings_the_sheet_sets(priced, tmp_path, capsys):
    out, _ = ok(capsys, "validate", priced)
    assert out.splitlines() == [
        "priced.xlsx: valid — 3 vendors, 3 criteria, 0 warnings",
        f"  {WORKBOOK_LINE}",
    ]
    path = tmp_path / "plain.xlsx"
    path.write_bytes(xlsx(priced_book(None)))
    out, _ = ok(capsys, "validate", str(path))
    assert out.splitlines() == ["plain.xlsx: valid — 3 vendors, 3 criteria, 0 warnings"]


def test_sensitivity_says_its_settings(priced, capsys):
    out, _ = ok(capsys, "sensitivity", priced, "--samples", "200", "--contract-term", "4")
    assert out.splitlines()[2] == (
        "Settings: missing values mean (from the workbook), contract term 4 years (from the "
        "command line), discount rate 0% (default)"
    )
    out, _ = ok(capsys, "sensitivity", priced, "--samples", "200", "--format", "json",
                "--missing", "worst")  # fmt: skip
    data = json.loads(out)
    assert data["missing"] == "worst"
    assert data["settings"]["missing"] == {"value": "worst", "origin": "command line"}
    assert "method" not in data["settings"]  # the stress tests are of the weighted sum
    assert data["settings"]["contract_term"] == {"value": 2, "origin": "workbook"}


def test_sensitivity_takes_the_sheet_s_missing_policy(priced, capsys):
    out, _ = ok(capsys, "sensitivity", priced, "--samples", "200", "--format", "json")
    assert json.loads(out)["missing"] == "mean"


# Ratio pricing and a withdrawal (Quality absolute 0–100 and Price, weight 1 each):
# Bolt 90 at 200, Crux 80 at 150, Acme 10 at 50. With Acme: p_low 50 → Bolt (0.9 + 0.25)/2
# = 0.575, Crux (0.8 + 1/3)/2 = 0.5667, Acme (0.1 + 1)/2 = 0.55: Bolt leads. Without Crux:
# p_low 50 still, Bolt leads. Without Acme: p_low 150 → Bolt (0.9 + 0.75)/2 = 0.825, Crux
# (0.8 + 1)/2 = 0.9: Crux would win.
WITHDRAWAL = {
    "Vendors": [["Vendor", "Quality", "Price"], ["Acme", 10, 50], ["Bolt", 90, 200],
                ["Crux", 80, 150]],
    "Criteria": [["Criterion", "Category", "Weight", "Scale", "Formula", "Min", "Max"],
                 ["Quality", "Quality", 1, "absolute", None, 0, 100],
                 ["Price", "Cost", 1, "price", "ratio", None, None]],
}  # fmt: skip


def test_sensitivity_shows_the_withdrawal_table(tmp_path, capsys):
    path = tmp_path / "withdrawal.xlsx"
    path.write_bytes(xlsx(WITHDRAWAL))
    assert scores(capsys, str(path)) == {"Bolt": 57.5, "Crux": 56.6667, "Acme": 55.0}
    out, _ = ok(capsys, "sensitivity", str(path), "--samples", "200")
    lines = out.splitlines()
    at = lines.index("If a bidder withdrew (everything scored again without it)")
    assert lines[at : at + 5] == [
        "If a bidder withdrew (everything scored again without it)",
        "Withdrawn  Leader without it  Winner changes",
        "---------  -----------------  --------------",
        "Crux       Bolt               no",
        "Acme       Crux               yes",
    ]
    assert lines[at + 5] == "1 of 2 withdrawals would change the winner"
    out, _ = ok(capsys, "sensitivity", str(path), "--samples", "200", "--format", "json")
    assert json.loads(out)["withdrawal"] == [
        {"withdrawn": "Crux", "leader": "Bolt", "changes_leader": False},
        {"withdrawn": "Acme", "leader": "Crux", "changes_leader": True},
    ]


# -- projects ----------------------------------------------------------------------------


@pytest.fixture
def project(db_url, priced, capsys) -> str:
    ok(capsys, "db", "upgrade", "--db", db_url)
    ok(capsys, "project", "create", "P", "--db", db_url)
    ok(capsys, "project", "import", "P", priced, "--db", db_url)
    return db_url


def test_a_project_ranks_with_the_workbook_s_settings_until_its_own_are_chosen(
    project, priced, capsys
):
    db = project
    for fmt in ("table", "json", "csv"):
        stored, _ = ok(capsys, "project", "rank", "P", "--db", db, "--format", fmt)
        direct, _ = ok(capsys, "rank", priced, "--format", fmt)
        assert stored == direct  # the workbook's Settings, "from the workbook", as rank FILE
    ok(capsys, "project", "settings", "P", "--method", "topsis", "--db", db)
    out, _ = ok(capsys, "project", "rank", "P", "--db", db)
    # once the project's settings are chosen, both its method and its missing policy (the
    # default it showed, worst) apply over the workbook's
    assert out.splitlines()[:2] == [
        "Ranking by TOPSIS (missing values: worst)",
        "Settings: method topsis (from the project's settings), missing values worst (from "
        "the project's settings), contract term 2 years (from the workbook), discount rate 0% "
        "(default)",
    ]
    out, _ = ok(capsys, "project", "rank", "P", "--db", db, "--method", "wsm", "--format", "json")
    assert json.loads(out)[0]["settings"]["method"] == {"value": "wsm", "origin": "command line"}
    assert json.loads(out)[0]["settings"]["missing"] == {"value": "worst", "origin": "project"}


def test_project_rank_and_sensitivity_take_the_setting_options(project, priced, capsys):
    db = project
    argv = ["--quality-minimum", "80", "--contract-term", "4", "--format", "json"]
    stored, _ = ok(capsys, "project", "rank", "P", "--db", db, *argv)
    direct, _ = ok(capsys, "rank", priced, *argv)
    assert stored == direct
    assert [r["stage"] for r in json.loads(stored)] == ["", "minimum", "must-have"]
    argv = ["--samples", "200", "--discount-rate", "5%", "--format", "json"]
    stored, _ = ok(capsys, "project", "sensitivity", "P", "--db", db, *argv)
    direct, _ = ok(capsys, "sensitivity", priced, *argv)
    assert json.loads(stored) == json.loads(direct)
    assert json.loads(stored)["settings"]["discount_rate"] == {
        "value": 0.05,
        "origin": "command line",
    }
    code, _, err = run(capsys, "project", "rank", "P", "--db", db, "--contract-term", "0")
    assert (code, err) == (2, 'error: --contract-term: "0" is not a whole number from 1 to 30\n')


def test_a_decision_is_taken_under_the_workbook_s_settings(db_url, tmp_path, capsys):
    path = tmp_path / "minimum.xlsx"
    path.write_bytes(xlsx(priced_book([*SETTINGS, ["Quality minimum", 80]])))
    ok(capsys, "db", "upgrade", "--db", db_url)
    ok(capsys, "project", "create", "P", "--db", db_url)
    ok(capsys, "project", "import", "P", str(path), "--db", db_url)
    code, _, err = run(
        capsys, "project", "decide", "P", "--winner", "Bolt", "--justification", "x",
        "--db", db_url,
    )  # fmt: skip
    assert code == 2
    assert err == (
        "error: Bolt cannot win: it is below a minimum (quality score 77.5 is below the "
        "minimum 80)\n"
    )
    out, _ = ok(capsys, "project", "decide", "P", "--winner", "Acme", "--justification", "x",
                "--db", db_url)  # fmt: skip
    assert out.startswith("P: decided — winner Acme ")


def test_the_export_keeps_the_command_line_s_settings(priced, tmp_path, capsys):
    """``--out`` writes the settings used into the export's Settings sheet: ranking the
    export again gives the same result, the settings now "from the workbook"."""
    out_file = tmp_path / "ranking.xlsx"
    argv = ["--quality-minimum", "80", "--contract-term", "4", "--discount-rate", "5%"]
    first, _ = ok(capsys, "rank", priced, *argv, "--out", str(out_file), "--format", "json")
    again, _ = ok(capsys, "rank", str(out_file), "--format", "json")

    def result(text: str) -> list[tuple[str, float, str]]:
        return [(r["vendor"], round(r["score"], 6), r["stage"]) for r in json.loads(text)]

    assert result(again) == result(first)
    # term 4, rate 5 %: a = Σ 1/1.05^y (y = 1..4) = 3.545951; Acme 1200 + 354.5951 is the
    # only price in the stage (Bolt falls at the minimum) → Acme 88.0
    assert result(first)[0] == ("Acme", 88.0, "")
    settings = json.loads(again)[0]["settings"]
    assert settings["quality_minimum"] == {"value": 80.0, "origin": "workbook"}
    assert settings["contract_term"] == {"value": 4, "origin": "workbook"}
    assert settings["discount_rate"] == {"value": 0.05, "origin": "workbook"}
