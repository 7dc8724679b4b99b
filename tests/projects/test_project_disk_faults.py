"""A full disk and a damaged SQLite file: one sentence naming the database (exit 2 on the
command line), nothing half-written (docs/projects.md §1, §4). SQLite-only by nature: the
page limit stands in for a full disk, and the file is what gets damaged."""

from __future__ import annotations

import sqlite3

import pytest
from projects_helpers import ALICE, counts, migrated
from sqlalchemy import event

from vendor_eval import cli
from vendor_eval.core.problems import VendorEvalError
from vendor_eval.projects import create_project, import_workbook, show_project, verify_project

ROOT_SAMPLE = "data/sample_vendors.xlsx"


def test_a_full_disk_is_one_sentence_and_writes_nothing(tmp_path):
    path = tmp_path / "p.sqlite3"
    url = f"sqlite:///{path}"
    with migrated(url) as db:
        create_project(ALICE, db, "IT 2027")
        import_workbook(ALICE, db, "IT 2027", ROOT_SAMPLE)
        before = counts(db)
        pages = sqlite3.connect(path).execute("PRAGMA page_count").fetchone()[0]

        @event.listens_for(db.engine, "connect")
        def _no_room(dbapi_connection, _record):  # the disk fills up at the next page
            dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")

        db.engine.dispose()  # new connections get the limit
        with pytest.raises(VendorEvalError) as caught:
            import_workbook(ALICE, db, "IT 2027", ROOT_SAMPLE)
        assert str(caught.value) == f"the database {path} cannot be written: the disk is full"
        event.remove(db.engine, "connect", _no_room)
        db.engine.dispose()
        assert counts(db) == before  # no version, no event, no half of either
        assert verify_project(ALICE, db, "IT 2027").ok
        assert [v.seq for v in show_project(ALICE, db, "IT 2027").versions] == [1]


def test_a_damaged_database_file_is_one_sentence(tmp_path, capsys):
    path = tmp_path / "p.sqlite3"
    url = f"sqlite:///{path}"
    with migrated(url) as db:
        create_project(ALICE, db, "IT 2027")
        import_workbook(ALICE, db, "IT 2027", ROOT_SAMPLE)
    raw = bytearray(path.read_bytes())
    assert len(raw) > 8192
    raw[4096:] = b"\xa5" * (len(raw) - 4096)  # every page after the first overwritten
    path.write_bytes(bytes(raw))
    for argv in (["project", "list"], ["project", "show", "IT 2027"], ["db", "info"]):
        code = cli.main([*argv, "--db", url])
        out, err = capsys.readouterr()
        assert (code, out) == (2, ""), (argv, out, err)
        assert err == (
            f"error: the database {path} is not a vendor-eval database or is damaged\n"
        ), argv
