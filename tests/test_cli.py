"""The CLI front end: help text, exit codes, and no tracebacks for users."""

from __future__ import annotations

import subprocess
import sys

import pytest

from vendor_eval import __version__, cli
from vendor_eval.core.problems import Problem, ValidationError, VendorEvalError


def _subparsers() -> dict:
    parser = cli.build_parser()
    action = next(a for a in parser._actions if a.dest == "command")
    return action.choices


def test_every_command_has_help_text():
    subs = _subparsers()
    assert set(subs) == {
        "validate", "template", "rank", "sensitivity", "combine", "project", "db", "scoresheet",
        "monitor", "report",
    }  # fmt: skip
    for name, sub in subs.items():
        assert sub.description, f"{name} has no description"
        for action in sub._actions:
            if action.dest != "help":
                assert action.help, f"{name} {action.dest} has no help text"


def test_every_command_is_dispatched():
    assert set(cli.COMMANDS) == set(_subparsers())


def test_version(capsys):
    with pytest.raises(SystemExit) as e:
        cli.main(["--version"])
    assert e.value.code == 0
    assert capsys.readouterr().out.strip() == f"vendor-eval {__version__}"


def test_validation_error_exit_2_lists_every_problem(monkeypatch, capsys):
    def boom(args):
        raise ValidationError(
            [
                Problem('"ten" is not a number', "Vendors", 7, "D", "Years in business"),
                Problem("duplicate vendor name", "Vendors", 9, "A", "Vendor"),
            ],
            file="shortlist.xlsx",
        )

    monkeypatch.setitem(cli.COMMANDS, "validate", boom)
    assert cli.main(["validate", "x.xlsx"]) == 2
    err = capsys.readouterr().err
    assert err.splitlines() == [
        "shortlist.xlsx: 2 problems found",
        '  Vendors!D7 (Years in business): "ten" is not a number',
        "  Vendors!A9 (Vendor): duplicate vendor name",
    ]
    assert "Traceback" not in err


def test_user_error_exit_2(monkeypatch, capsys):
    def boom(args):
        raise VendorEvalError("TOPSIS cannot exclude missing values")

    monkeypatch.setitem(cli.COMMANDS, "rank", boom)
    assert cli.main(["rank", "x.xlsx"]) == 2
    assert capsys.readouterr().err == "error: TOPSIS cannot exclude missing values\n"


def test_unexpected_error_exit_1_without_traceback(monkeypatch, capsys):
    def boom(args):
        raise RuntimeError("kaboom")

    monkeypatch.setitem(cli.COMMANDS, "rank", boom)
    monkeypatch.delenv("VENDOR_EVAL_DEBUG", raising=False)
    assert cli.main(["rank", "x.xlsx"]) == 1
    err = capsys.readouterr().err
    assert "RuntimeError: kaboom" in err
    assert "Traceback" not in err


def test_bad_usage_exits_2(capsys):
    with pytest.raises(SystemExit) as e:
        cli.main(["rank", "x.xlsx", "--method", "electre"])
    assert e.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_missing_file_is_a_clean_error():
    proc = subprocess.run(
        [sys.executable, "-m", "vendor_eval", "validate", "does-not-exist.xlsx"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2
    assert proc.stderr == "does-not-exist.xlsx was not found\n"


def test_single_file_level_problem_reads_as_one_line(monkeypatch, capsys):
    def boom(args):
        raise ValidationError([Problem('no "Vendors" sheet (sheets found: "Sheet1")')], "a.xlsx")

    monkeypatch.setitem(cli.COMMANDS, "validate", boom)
    assert cli.main(["validate", "a.xlsx"]) == 2
    assert capsys.readouterr().err == 'a.xlsx: no "Vendors" sheet (sheets found: "Sheet1")\n'


def test_single_cell_problem_keeps_the_list_format(monkeypatch, capsys):
    def boom(args):
        raise ValidationError(
            [Problem("vendor name is empty", "Vendors", 3, "A", "Vendor")], "a.xlsx"
        )

    monkeypatch.setitem(cli.COMMANDS, "validate", boom)
    assert cli.main(["validate", "a.xlsx"]) == 2
    assert capsys.readouterr().err.splitlines() == [
        "a.xlsx: 1 problem found",
        "  Vendors!A3 (Vendor): vendor name is empty",
    ]
