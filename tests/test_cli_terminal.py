"""The CLI prints names, file names and messages without letting them control the terminal.

Vendor and criterion names, file names and problem messages (which quote cells) can hold
escape sequences (``ESC [ 2 J`` clears the screen, OSC 8 plants a link, the 8-bit CSI
U+009B does what ESC [ does) and bidirectional overrides; a line break in a message would
fake a line of output. Every one is shown as a visible symbol on stdout and stderr: in the
table, the report, warnings, notes, errors, JSON (as ``\\uXXXX`` escapes, so the data is
unchanged) and the CSV when it goes to a terminal.
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata

import pytest
from conftest import make_evaluation

from vendor_eval import cli
from vendor_eval.core.model import Criterion
from vendor_eval.core.problems import Problem, ValidationError, VendorEvalError

ESC_NAME = "Acme\x1b[2J\x1b]8;;https://attacker.invalid\x07"
CSI_NAME = "Bolt\x9b31m"
RLO_NAME = "\u202eCrux"
FILE = "short\x1b[31mlist\u202e.xlsx"


def inert(text: str) -> bool:
    return not any(
        (unicodedata.category(ch) == "Cc" and ch != "\n") or ch in "\u202e\u2028\u2066"
        for ch in text
    )


@pytest.fixture
def hostile(monkeypatch):
    """``_load`` returns an evaluation with hostile names and a warning quoting a cell."""
    crit = [Criterion("Rate\x1b[5m", "Cost\x9b1m", 1), Criterion("Years", "Quality", 1)]
    ev = make_evaluation(
        {"Rate\x1b[5m": [3, 2, 1], "Years": [1, 2, 3]}, crit, vendors=[ESC_NAME, CSI_NAME, RLO_NAME]
    )
    ev.warnings.append(
        Problem('"x\x1b[2Jy" is not a number\nvalid', "Vendors", 3, "B", "Rate", "warning")
    )
    monkeypatch.setattr(cli.workbook, "_load", lambda args: ev)
    return ev


def test_validate_shows_the_file_name_and_warnings_inert(hostile, capsys):
    assert cli.main(["validate", FILE]) == 0
    out = capsys.readouterr()
    assert inert(out.out) and inert(out.err)
    first, *rest = out.out.splitlines()
    assert first.startswith("short␛[31mlist⟨U+202E⟩.xlsx: valid")
    assert len(rest) == 1 and "x␛[2Jy" in rest[0] and "␊valid" in rest[0]  # one line


@pytest.mark.parametrize("fmt", ["table", "json"])
def test_rank_output_is_inert(hostile, capsys, fmt):
    assert cli.main(["rank", FILE, "--format", fmt]) == 0
    out = capsys.readouterr()
    assert inert(out.out) and inert(out.err)
    if fmt == "json":  # escaped, not changed: the data reads back as written
        names = {r["vendor"] for r in json.loads(out.out)}
        assert names == {ESC_NAME, CSI_NAME, RLO_NAME}


def test_rank_csv_is_shown_inert_on_a_terminal_and_unchanged_in_a_file(
    hostile, capsys, monkeypatch
):
    assert cli.main(["rank", FILE, "--format", "csv"]) == 0
    raw = capsys.readouterr().out
    rows = list(csv.reader(io.StringIO(raw, newline="")))
    assert {r[1] for r in rows[1:]} == {ESC_NAME, CSI_NAME, RLO_NAME}  # a file gets the data
    monkeypatch.setattr(cli.workbook, "_is_terminal", lambda stream: True)
    assert cli.main(["rank", FILE, "--format", "csv"]) == 0
    shown = capsys.readouterr().out
    assert inert(shown) and "Acme␛[2J" in shown and "Bolt⟨U+009B⟩31m" in shown


def test_errors_are_inert_and_one_problem_per_line(monkeypatch, capsys):
    def invalid(args):
        raise ValidationError(
            [
                Problem('"\x1b[2J" is not a number\n  Vendors!A1: fake line', "Vendors", 7, "D"),
                Problem("duplicate vendor name \u202ex", "Vendors", 9, "A"),
            ],
            file=FILE,
        )

    monkeypatch.setitem(cli.COMMANDS, "validate", invalid)
    assert cli.main(["validate", FILE]) == 2
    err = capsys.readouterr().err
    assert inert(err)
    assert err.splitlines()[0] == "short␛[31mlist⟨U+202E⟩.xlsx: 2 problems found"
    assert len(err.splitlines()) == 3  # the message's line break is shown, not obeyed

    def refused(args):
        raise VendorEvalError(f"{FILE}: cannot write here")

    monkeypatch.setitem(cli.COMMANDS, "rank", refused)
    assert cli.main(["rank", FILE]) == 2
    err = capsys.readouterr().err
    assert inert(err) and err.startswith("error: short␛[31mlist")

    def bug(args):
        raise RuntimeError("boom \x1b[2J")

    monkeypatch.setitem(cli.COMMANDS, "rank", bug)
    assert cli.main(["rank", FILE]) == 1
    assert inert(capsys.readouterr().err)


@pytest.mark.parametrize("fmt", ["table", "json"])
def test_sensitivity_shows_names_inert(hostile, capsys, fmt):
    assert cli.main(["sensitivity", FILE, "--samples", "200", "--format", fmt]) == 0
    out = capsys.readouterr()
    assert inert(out.out) and inert(out.err)
    if fmt == "json":  # the data is unchanged: the escapes decode to the names
        report = json.loads(out.out)
        assert set(report["p_first"]) == {ESC_NAME, CSI_NAME, RLO_NAME}
