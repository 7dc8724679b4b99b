"""No command writes its output over the database it reads (a SQLite file given an odd
name, and ``--force``): refused with exit code 2 before anything is written."""

from __future__ import annotations

import pytest
from projects.projects_helpers import migrated

from vendor_eval import cli
from vendor_eval.projects import Actor, create_project

P = "Tender"


@pytest.mark.parametrize(
    ("suffix", "command", "option"),
    [
        (".pdf", ["project", "report", P, "--force", "--out"], "--out"),
        (".xlsx", ["scoresheet", P, "--evaluator", "ana@x.org", "--out"], "--out"),
        (".xlsx", ["project", "monitor", P, "--excel"], "--excel"),
    ],
)
def test_an_output_that_is_the_database_is_refused(tmp_path, capsys, suffix, command, option):
    path = tmp_path / f"record{suffix}"
    with migrated(f"sqlite:///{path}") as db:
        create_project(Actor("lead"), db, P)
    before = path.read_bytes()
    assert cli.main([*command, str(path), "--db", f"sqlite:///{path}"]) == 2
    err = capsys.readouterr().err
    assert err == f"error: {path} is the project's database: choose another name for {option}\n"
    assert path.read_bytes() == before
