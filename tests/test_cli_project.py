"""`vendor-eval project …` on SQLite and PostgreSQL: commands, output formats, errors, exit codes.

Every test runs on both backends (the ``db_url`` fixture) unless it is about one of them.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import sqlite3
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from conftest import SAMPLE

from vendor_eval import cli
from vendor_eval.store import engine as store_engine

ISO_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z")
TABLE_TIME = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC")
SAMPLE_SHA = hashlib.sha256(SAMPLE.read_bytes()).hexdigest()


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def ok(capsys, *argv: str) -> str:
    code, out, err = run(capsys, *argv)
    assert code == 0, err
    assert "Traceback" not in err
    return out


@pytest.fixture
def db(db_url, capsys) -> str:
    """An upgraded, empty database."""
    ok(capsys, "db", "upgrade", "--db", db_url)
    return db_url


@pytest.fixture
def sample(tmp_path) -> str:
    path = tmp_path / "shortlist.xlsx"
    shutil.copy(SAMPLE, path)
    return str(path)


def _subparsers(parser) -> dict:
    return next(a for a in parser._actions if a.dest.endswith("command")).choices


PROJECT_COMMANDS = {
    "create", "list", "show", "import", "rank", "sensitivity", "history", "verify", "status",
    "decide", "reopen",
    # team evaluation (tests/test_cli_team.py checks the member group's own sub-commands)
    "member", "assign", "declare", "submit", "reopen-sheet", "disagreements", "moderate",
    "calibration", "settings",
    # monitoring after the award (tests/monitoring/test_monitoring_cli.py)
    "monitor", "monitor-import", "actions",
    # the award report (tests/output/test_project_report.py)
    "report",
}  # fmt: skip
PRINTS_DATA = {"list", "show", "rank", "sensitivity", "history", "verify", "disagreements",
               "calibration", "settings", "monitor", "monitor-import", "actions"}  # fmt: skip


def test_every_project_and_db_command_has_help_db_and_as():
    top = _subparsers(cli.build_parser())
    project, db = _subparsers(top["project"]), _subparsers(top["db"])
    assert set(project) == PROJECT_COMMANDS
    assert set(db) == {"info", "upgrade", "backup", "restore"}
    for name, sub in [*project.items(), *(("db " + k, v) for k, v in db.items())]:
        if name == "member":  # a group: its sub-commands carry the options
            continue
        assert sub.description, f"{name} has no description"
        options = {o for a in sub._actions for o in a.option_strings}
        assert {"--db", "--as"} <= options, name
        for action in sub._actions:
            if action.dest != "help":
                assert action.help, f"{name} {action.dest} has no help text"
        formats = next((a.choices for a in sub._actions if a.dest == "format"), None)
        if name in PRINTS_DATA or name in ("db info", "db backup", "db restore"):
            assert "json" in formats, name
        else:
            assert formats is None, name
    rank = next(a for a in project["rank"]._actions if a.dest == "format")
    assert rank.choices == ["table", "json", "csv"]


def test_a_project_from_creation_to_decision(db, sample, capsys):
    out = ok(capsys, "project", "create", "  IT 2027 ", "--goal", "Cut cost", "--goal", "Keep SLAs",
             "--db", db, "--as", "alice")  # fmt: skip
    assert out == "created project IT 2027 (status draft) with 2 goals\n"
    out = ok(capsys, "project", "import", "it 2027", sample, "--db", db, "--as", "bob")
    assert out.startswith("it 2027: stored shortlist.xlsx as version 1 (")  # as typed
    assert f"SHA-256 {SAMPLE_SHA[:12]}…)" in out
    out = ok(capsys, "project", "status", "it 2027", "scoring", "--db", db, "--as", "carol")
    assert out == "IT 2027: status draft → scoring\n"  # the stored name

    shown = json.loads(ok(capsys, "project", "show", "IT 2027", "--db", db, "--format", "json"))
    assert shown["name"] == "IT 2027" and shown["status"] == "scoring"
    assert shown["goals"] == ["Cut cost", "Keep SLAs"]
    [version] = shown["versions"]
    assert (version["seq"], version["file_name"], version["sha256"]) == (
        1,
        "shortlist.xlsx",
        SAMPLE_SHA,
    )
    assert version["size"] == SAMPLE.stat().st_size and version["actor"] == "bob"
    assert shown["decision"] is None

    ranking = json.loads(ok(capsys, "project", "rank", "IT 2027", "--db", db, "--format", "json"))
    winner = ranking[0]["vendor"]
    out = ok(capsys, "project", "decide", "IT 2027", "--winner", winner.upper(),
             "--justification", "best value", "--db", db, "--as", "dana")  # fmt: skip
    assert out.startswith(f"IT 2027: decided — winner {winner} ")
    shown = json.loads(ok(capsys, "project", "show", "IT 2027", "--db", db, "--format", "json"))
    assert shown["status"] == "decided"
    assert shown["decision"]["winner"] == winner
    assert shown["decision"]["justification"] == "best value"

    events = json.loads(ok(capsys, "project", "history", "IT 2027", "--db", db, "--format", "json"))
    assert [(e["seq"], e["action"], e["actor"]) for e in events] == [
        (1, "create", "alice"),
        (2, "import", "bob"),
        (3, "status", "carol"),
        (4, "decide", "dana"),
    ]
    for e in events:
        assert set(e) == {"seq", "time", "actor", "action", "subject", "details"}
        assert ISO_TIME.fullmatch(e["time"]), e["time"]
    assert [e["time"] for e in events] == sorted(e["time"] for e in events)
    assert events[0]["subject"] == "IT 2027"
    assert events[0]["details"] == {"goals": ["Cut cost", "Keep SLAs"]}
    assert events[1]["subject"] == "shortlist.xlsx"
    assert events[1]["details"]["sha256"] == SAMPLE_SHA
    assert events[1]["details"]["version"] == 1
    assert events[2]["details"] == {"from": "draft", "to": "scoring"}
    assert events[3]["details"]["winner"] == winner

    out = ok(capsys, "project", "verify", "IT 2027", "--db", db)
    assert out.startswith("IT 2027: audit log intact — 4 events, last hash ")
    verdict = json.loads(ok(capsys, "project", "verify", "IT 2027", "--db", db, "--format", "json"))
    assert verdict["ok"] is True and verdict["events"] == 4 and verdict["first_bad"] is None


def test_the_local_user_acts_by_default(db, capsys, monkeypatch):
    monkeypatch.setattr("getpass.getuser", lambda: "evaluator7")
    ok(capsys, "project", "create", "P", "--db", db)
    [event] = json.loads(ok(capsys, "project", "history", "P", "--db", db, "--format", "json"))
    assert event["actor"] == "evaluator7"


@pytest.mark.parametrize(
    ("options", "file_options"),
    [
        ([], []),
        (["--method", "topsis", "--missing", "mean"], ["--method", "topsis", "--missing", "mean"]),
        (["--consensus", "median", "--missing", "exclude"], ["--consensus", "median",
                                                             "--missing", "exclude"]),
    ],
)  # fmt: skip
@pytest.mark.parametrize("fmt", ["json", "csv", "table"])
def test_project_rank_prints_what_rank_prints_for_the_current_file(
    db, sample, capsys, options, file_options, fmt
):
    ok(capsys, "project", "create", "P", "--db", db)
    ok(capsys, "project", "import", "P", str(SAMPLE), "--db", db)
    ok(capsys, "project", "import", "P", sample, "--db", db)  # the current version
    code, direct, direct_err = run(capsys, "rank", sample, "--format", fmt, *file_options)
    assert code == 0
    code, stored, stored_err = run(
        capsys, "project", "rank", "P", "--db", db, "--format", fmt, *options
    )
    assert code == 0, stored_err
    assert stored == direct  # byte for byte
    assert stored_err == direct_err  # the same warnings and notes
    if fmt == "json":
        assert len(json.loads(stored)) > 1


def test_project_rank_passes_the_consensus_on(db, capsys):
    scores = SAMPLE.with_name("sample_scores.xlsx")  # several evaluators' Scores
    ok(capsys, "project", "create", "P", "--db", db)
    ok(capsys, "project", "import", "P", str(scores), "--db", db)
    printed = {}
    for consensus in ("mean", "median"):
        argv = ["--format", "json", "--consensus", consensus]
        printed[consensus] = ok(capsys, "project", "rank", "P", "--db", db, *argv)
        assert printed[consensus] == ok(capsys, "rank", str(scores), *argv)
    assert printed["mean"] != printed["median"]  # the option reached the scorer


def test_project_rank_writes_the_export(db, tmp_path, capsys):
    ok(capsys, "project", "create", "P", "--db", db)
    ok(capsys, "project", "import", "P", str(SAMPLE), "--db", db)
    out = tmp_path / "ranking.xlsx"
    code, _, err = run(capsys, "project", "rank", "P", "--db", db, "--out", str(out))
    assert code == 0 and out.stat().st_size > 0
    assert err.endswith(f"wrote {out}\n")


def test_project_sensitivity_is_the_file_s_report(db, capsys):
    ok(capsys, "project", "create", "P", "--db", db)
    ok(capsys, "project", "import", "P", str(SAMPLE), "--db", db)
    argv = ["--samples", "300", "--seed", "4", "--format", "json"]
    stored = ok(capsys, "project", "sensitivity", "P", "--db", db, *argv)
    direct = ok(capsys, "sensitivity", str(SAMPLE), *argv)
    assert json.loads(stored) == json.loads(direct)
    assert "verdict" in json.loads(stored)
    code, _, err = run(capsys, "project", "sensitivity", "P", "--db", db, "--samples", "0")
    assert (code, err) == (2, "error: --samples must be at least 1\n")


def test_list_is_an_aligned_table_and_json(db, capsys):
    assert ok(capsys, "project", "list", "--db", db).startswith("no projects yet")
    assert json.loads(ok(capsys, "project", "list", "--db", db, "--format", "json")) == []
    ok(capsys, "project", "create", "Zeta hosting", "--db", db)
    ok(capsys, "project", "create", "alpha", "--db", db)
    ok(capsys, "project", "import", "alpha", str(SAMPLE), "--db", db, "--as", "bob")
    lines = ok(capsys, "project", "list", "--db", db).splitlines()
    assert lines[0].split() == ["Project", "Status", "Versions", "Current", "file", "Last",
                                "change", "By"]  # fmt: skip
    assert set(lines[1]) == {"-", " "}
    assert [line.split()[0] for line in lines[2:]] == ["alpha", "Zeta"]  # by name, any case
    status_at = lines[0].index("Status")
    assert all(line[status_at:].startswith("draft") for line in lines[2:])
    # the Versions column is right-aligned under its header
    versions_end = lines[0].index("Versions") + len("Versions")
    assert [line[versions_end - 1] for line in lines[2:]] == ["1", "0"]
    assert "sample_vendors.xlsx" in lines[2] and TABLE_TIME.search(lines[2])
    assert lines[2].rstrip().endswith("bob")
    listed = json.loads(ok(capsys, "project", "list", "--db", db, "--format", "json"))
    assert [p["name"] for p in listed] == ["alpha", "Zeta hosting"]
    assert [p["versions"] for p in listed] == [1, 0]


def test_show_table_names_versions_and_goal_warnings(db, capsys):
    ok(capsys, "project", "create", "P", "--goal", "Reduce risk", "--db", db)
    out = ok(capsys, "project", "show", "P", "--db", db)
    assert "Goals:" in out and "Reduce risk" in out
    assert "none yet" in out
    ok(capsys, "project", "import", "P", str(SAMPLE), "--db", db)
    out = ok(capsys, "project", "show", "P", "--db", db)
    head = dict(line.split(":", 1) for line in out.split("\n\n")[0].splitlines())
    assert head["Status"].strip() == "draft" and head["Revision"].strip() == "3"
    assert "* 1  sample_vendors.xlsx" in out  # the current version is marked
    assert SAMPLE_SHA[:12] in out and SAMPLE_SHA not in out  # shortened in the table
    shown = json.loads(ok(capsys, "project", "show", "P", "--db", db, "--format", "json"))
    for warning in shown["goal_warnings"]:
        assert f"warning: {warning}" in out
    assert shown["goal_warnings"] == ["goal 'Reduce risk' is served by no weighted criterion"]


def test_an_unknown_project_exit_2(db, capsys):
    code, out, err = run(capsys, "project", "show", "Nope", "--db", db)
    assert (code, out, err) == (2, "", "error: no project named 'Nope' (no projects yet)\n")
    ok(capsys, "project", "create", "Beta", "--db", db)
    ok(capsys, "project", "create", "Alpha", "--db", db)
    for command in (["show"], ["rank"], ["history"], ["verify"], ["status", "X", "scoring"]):
        argv = ["project", command[0], "nope", *command[2:], "--db", db]
        code, out, err = run(capsys, *argv)
        assert (code, out) == (2, ""), command
        assert err == "error: no project named 'nope' (projects: Alpha, Beta)\n", command


def test_a_duplicate_name_exit_2(db, capsys):
    ok(capsys, "project", "create", "IT 2027", "--db", db)
    code, out, err = run(capsys, "project", "create", " it 2027", "--db", db)
    assert (code, out) == (2, "")
    assert err == "error: a project named 'it 2027' already exists\n"


def test_a_decided_project_is_read_only_until_reopened(db, sample, capsys):
    ok(capsys, "project", "create", "P", "--db", db)
    ok(capsys, "project", "import", "P", sample, "--db", db)
    winner = json.loads(ok(capsys, "project", "rank", "P", "--db", db, "--format", "json"))[0]
    ok(capsys, "project", "decide", "P", "--winner", winner["vendor"], "--justification", "why",
       "--db", db, "--as", "dana")  # fmt: skip
    before = ok(capsys, "project", "history", "P", "--db", db, "--format", "json")
    again = ["decide", "P", "--winner", winner["vendor"], "--justification", "again"]
    for argv in (["import", "P", sample], ["status", "P", "scoring"], again):
        code, out, err = run(capsys, "project", *argv, "--db", db)
        assert (code, out) == (2, ""), argv
        assert err.startswith(f"error: P is decided (winner {winner['vendor']}, by dana on ")
        assert err.endswith("): reopen it first with a reason\n")
    assert ok(capsys, "project", "history", "P", "--db", db, "--format", "json") == before
    code, _, err = run(capsys, "project", "reopen", "P", "--reason", "  ", "--db", db)
    assert code == 2 and err.startswith("error: ")
    out = ok(capsys, "project", "reopen", "P", "--reason", "new offer", "--db", db)
    assert out.startswith("P: reopened")
    ok(capsys, "project", "import", "P", sample, "--db", db)
    events = json.loads(ok(capsys, "project", "history", "P", "--db", db, "--format", "json"))
    assert [e["action"] for e in events] == ["create", "import", "decide", "reopen", "import"]
    assert events[3]["details"] == {"reason": "new offer", "winner": winner["vendor"]}


def test_decided_is_reached_by_decide_not_status(db, capsys):
    ok(capsys, "project", "create", "P", "--db", db)
    code, out, err = run(capsys, "project", "status", "P", "decided", "--db", db)
    assert (code, out) == (2, "")
    assert err == "error: use decide: a decision needs a winner and a justification\n"
    code, _, err = run(capsys, "project", "status", "P", "draft", "--db", db)
    assert code == 2 and "already in draft" in err
    code, _, err = run(capsys, "project", "status", "P", "done", "--db", db)
    assert (code, err) == (
        2,
        "error: unknown status 'done' (draft, scoring, moderation, decided)\n",
    )
    assert (
        len(json.loads(ok(capsys, "project", "history", "P", "--db", db, "--format", "json"))) == 1
    )


def test_an_invalid_workbook_lists_its_problems_and_writes_nothing(db, tmp_path, capsys):
    import openpyxl

    ok(capsys, "project", "create", "P", "--db", db)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Vendors"
    ws.append(["Vendor", "Price"])
    ws.append(["Acme", "ten"])
    ws.append(["Acme", 5])
    path = tmp_path / "broken.xlsx"
    wb.save(path)
    code, _, direct_err = run(capsys, "validate", str(path))
    assert code == 2
    code, out, err = run(capsys, "project", "import", "P", str(path), "--db", db)
    assert (code, out) == (2, "")
    assert err == direct_err  # the usual problem lines
    assert err.startswith("broken.xlsx: ") and "duplicate" in err
    code, _, err = run(capsys, "project", "import", "P", str(tmp_path / "gone.xlsx"), "--db", db)
    assert (code, err) == (2, "gone.xlsx was not found\n")
    shown = json.loads(ok(capsys, "project", "show", "P", "--db", db, "--format", "json"))
    assert shown["versions"] == []
    assert (
        len(json.loads(ok(capsys, "project", "history", "P", "--db", db, "--format", "json"))) == 1
    )


def test_rank_before_any_import_says_so(db, capsys):
    ok(capsys, "project", "create", "P", "--db", db)
    code, out, err = run(capsys, "project", "rank", "P", "--db", db)
    assert (code, out) == (2, "")
    assert err.startswith("error: ") and "P" in err and "import" in err


@pytest.mark.parametrize("name", ["", "   ", "eve\x1b[2J", "x" * 201])
def test_a_bad_actor_name_exit_2(db, capsys, name):
    code, out, err = run(capsys, "project", "create", "P", "--db", db, "--as", name)
    assert (code, out) == (2, "")
    assert err.startswith("error: ") and "\x1b" not in err
    assert json.loads(ok(capsys, "project", "list", "--db", db, "--format", "json")) == []


def _inert(text: str) -> bool:
    return not any(
        (unicodedata.category(ch) in {"Cc", "Cf"} and ch != "\n") or ch in "\u2028\u2029"
        for ch in text
    )


def test_text_from_the_database_is_shown_inert(db, tmp_path, capsys):
    """A project name cannot hold control characters (refused, the refusal shown inert); a
    file name's are replaced by "?" (a warning says so) and it is shown inert everywhere."""
    code, out, err = run(capsys, "project", "create", "Evil\x1b[2J", "--db", db)
    assert (code, out) == (2, "") and _inert(err) and "Evil\\x1b[2J" in err
    hostile = tmp_path / "short\x1b[31mlist\u202e.xlsx"
    shutil.copy(SAMPLE, hostile)
    ok(capsys, "project", "create", "P", "--db", db)
    code, out, err = run(capsys, "project", "import", "P", str(hostile), "--db", db)
    assert code == 0 and _inert(out + err) and "short?[31mlist?.xlsx" in out
    assert "warning: the file name was stored as 'short?[31mlist?.xlsx'" in err
    for argv in (["list"], ["show", "P"], ["history", "P"], ["verify", "P"]):
        for fmt in ("table", "json"):
            code, out, err = run(capsys, "project", *argv, "--db", db, "--format", fmt)
            assert code == 0, err
            assert _inert(out) and _inert(err), (argv, fmt)
            if argv[0] != "verify" and fmt == "table":
                assert "short?[31mlist?.xlsx" in out, argv
    events = json.loads(ok(capsys, "project", "history", "P", "--db", db, "--format", "json"))
    assert events[1]["subject"] == "short?[31mlist?.xlsx"  # stored cleaned


def test_a_missing_database_exit_2_and_nothing_created(tmp_path, capsys):
    path = tmp_path / "new.sqlite3"
    code, out, err = run(capsys, "project", "list", "--db", f"sqlite:///{path}")
    assert (code, out) == (2, "")
    assert (
        err
        == f"error: the database {path} does not exist yet: `vendor-eval db upgrade` creates it\n"
    )
    assert not path.exists()  # a read creates no file
    deeper = tmp_path / "no" / "such" / "x.sqlite3"
    code, out, err = run(capsys, "project", "create", "P", "--db", f"sqlite:///{deeper}")
    assert (code, out) == (2, "")
    assert err == (
        f"error: the database {deeper} does not exist, nor does its folder {deeper.parent}\n"
    )
    assert not (tmp_path / "no").exists()


def test_a_database_without_tables_exit_2(tmp_path, capsys):
    path = tmp_path / "empty.sqlite3"
    sqlite3.connect(path).close()  # a database, but not vendor-eval's yet
    code, out, err = run(capsys, "project", "list", "--db", f"sqlite:///{path}")
    assert (code, out) == (2, "")
    assert err == (
        f"error: the database sqlite:///{path} has no vendor-eval tables yet: it needs "
        "`vendor-eval db upgrade`\n"
    )


def test_a_database_that_is_not_one_exit_2(tmp_path, capsys):
    path = tmp_path / "notes.sqlite3"
    path.write_text("just some notes\n" * 200)
    for argv in (["list"], ["show", "P"], ["create", "P"]):
        code, out, err = run(capsys, "project", *argv, "--db", f"sqlite:///{path}")
        assert (code, out) == (2, "")
        assert err == f"error: the database {path} is not a vendor-eval database or is damaged\n"


def test_a_newer_schema_exit_2(tmp_path, capsys):
    path = tmp_path / "x.sqlite3"
    url = f"sqlite:///{path}"
    ok(capsys, "db", "upgrade", "--db", url)
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
    code, out, err = run(capsys, "project", "list", "--db", url)
    assert (code, out) == (2, "")
    assert err.startswith(f"error: the database {url} was written by a newer vendor-eval ")
    assert err.endswith(": upgrade vendor-eval\n")


def test_a_locked_database_exit_2(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(store_engine, "BUSY_TIMEOUT_S", 0.3)
    path = tmp_path / "x.sqlite3"
    url = f"sqlite:///{path}"
    ok(capsys, "db", "upgrade", "--db", url)
    holder = sqlite3.connect(path, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")  # another program holds the write lock
        code, out, err = run(capsys, "project", "create", "P", "--db", url)
    finally:
        holder.close()
    assert (code, out) == (2, "")
    assert err == (
        f"error: the database {path} stayed locked by another program for more than 0.3 s: "
        "try again\n"
    )
    assert "database is locked" not in err
    ok(capsys, "project", "create", "P", "--db", url)  # free again: it works


def test_a_real_process_exit_codes_and_no_traceback(db, tmp_path):
    def cli_run(*argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "vendor_eval", *argv],
            capture_output=True,
            text=True,
            timeout=180,
        )

    proc = cli_run("project", "create", "P", "--db", db, "--as", "ci")
    assert (proc.returncode, proc.stderr) == (0, "")
    proc = cli_run("project", "show", "Q", "--db", db)
    assert (proc.returncode, proc.stderr) == (2, "error: no project named 'Q' (projects: P)\n")
    proc = cli_run("project", "history", "P", "--db", db, "--format", "json")
    assert proc.returncode == 0 and json.loads(proc.stdout)[0]["actor"] == "ci"


def _tamper(url: str, sql: str) -> None:
    """Run ``sql`` as the table owner, the append-only trigger off on PostgreSQL."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            postgres = conn.dialect.name == "postgresql"
            if postgres:
                conn.execute(text("ALTER TABLE events DISABLE TRIGGER events_append_only"))
            conn.execute(text(sql))
            if postgres:
                conn.execute(text("ALTER TABLE events ENABLE TRIGGER events_append_only"))
    finally:
        engine.dispose()


def test_history_shows_details_that_are_not_json_and_says_to_verify(db, capsys):
    ok(capsys, "project", "create", "P", "--goal", "Cut cost", "--db", db)
    ok(capsys, "project", "status", "P", "scoring", "--db", db)
    _tamper(db, "UPDATE events SET details = '{not json' WHERE seq = 2")
    code, out, err = run(capsys, "project", "history", "P", "--db", db)
    assert code == 0 and "Traceback" not in err and "unexpected error" not in err
    assert err == "note: event 2's details are not readable: run `project verify`\n"
    table = out.splitlines()
    assert table[2].endswith("goals=Cut cost")
    assert table[3].endswith("unreadable={not json")
    code, out, err = run(capsys, "project", "history", "P", "--db", db, "--format", "json")
    assert code == 0 and err == "note: event 2's details are not readable: run `project verify`\n"
    events = json.loads(out)
    assert events[1]["details"] == {"unreadable": "{not json"}
    assert events[0]["details"] == {"goals": ["Cut cost"]}
    _tamper(db, "UPDATE events SET details = '[1, 2]' WHERE seq = 1")  # JSON, not an object
    events = json.loads(ok(capsys, "project", "history", "P", "--db", db, "--format", "json"))
    assert events[0]["details"] == {"unreadable": "[1, 2]"}
    code, out, err = run(capsys, "project", "verify", "P", "--db", db)
    assert code == 2 and "Traceback" not in err and "unexpected error" not in err


def test_tables_use_the_one_table_layout_of_the_output_stage():
    from vendor_eval.cli import common
    from vendor_eval.output.text import aligned_table

    headers, rows = ["Seq", "Name"], [[1, "東京 Ltd"], [12, "a\x1b[2Jb"]]
    out = common.columns(headers, rows, right=[0])
    assert out == aligned_table(headers, rows, right=[0])
    assert out == "Seq  Name\n---  --------\n  1  東京 Ltd\n 12  a␛[2Jb"
    source = Path(common.__file__).read_text(encoding="utf-8")
    assert "_pad" not in source and "_width" not in source  # no private helper borrowed
