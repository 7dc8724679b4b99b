"""A workbook version's decimal separator in the store (schema 0004): the migration from
0003 on both backends, the replay of old and new import events, and backups that carry it —
an older backup without it restores as ``auto``."""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Integer, LargeBinary, String, column, insert, inspect, table, text
from sqlalchemy.orm import Session

from vendor_eval.core.problems import VendorEvalError
from vendor_eval.projects import (
    Actor,
    create_project,
    current_evaluation,
    import_workbook,
    show_project,
    verify_project,
)
from vendor_eval.store import schema
from vendor_eval.store.audit import append_event
from vendor_eval.store.backup import backup, restore
from vendor_eval.store.database import open_database
from vendor_eval.store.engine import connect, make_engine
from vendor_eval.store.integrity import Rows, check
from vendor_eval.store.models import Project, UTCDateTime

ALICE = Actor("alice")
YEARS = "Years in business"
AMBIGUOUS = f"Vendor;{YEARS};Blended hourly rate\nAcme;1,250;900\nBolt;12;900\n".encode()
SHA = hashlib.sha256(AMBIGUOUS).hexdigest()
T0 = datetime(2026, 12, 1, 9, 30, 0, 123456, tzinfo=UTC)

#: The workbook_versions table as schema 0003 has it (the models have one column more).
VERSIONS_0003 = table(
    "workbook_versions",
    column("project_id", Integer),
    column("seq", Integer),
    column("file_name", String),
    column("sha256", String),
    column("size", Integer),
    column("data", LargeBinary),
    column("actor", String),
    column("created_at", UTCDateTime()),
)


# -- the migration ---------------------------------------------------------------------------
def _project_at_0003(url: str) -> None:
    """A project with one CSV version and its import event, written as vendor-eval wrote
    them at schema 0003 (the automatic rule; no "decimal" in the event)."""
    engine = make_engine(url)
    try:
        assert schema.upgrade(engine, "0003") == (None, "0003")
        with connect(engine) as conn, Session(bind=conn) as s:
            p = Project(name="Old", created_at=T0)
            s.add(p)
            s.flush()
            append_event(s, p.id, "alice", "create", "Old", {"goals": []}, time=T0)
            s.execute(insert(VERSIONS_0003).values(
                project_id=p.id, seq=1, file_name="years.csv", sha256=SHA, size=len(AMBIGUOUS),
                data=AMBIGUOUS, actor="alice", created_at=T0,
            ))  # fmt: skip
            details = {"version": 1, "file_name": "years.csv", "sha256": SHA,
                       "size": len(AMBIGUOUS), "vendors": 2, "criteria": 2}  # fmt: skip
            append_event(s, p.id, "alice", "import", "years.csv", details, time=T0)
            s.commit()
    finally:
        engine.dispose()


def test_the_upgrade_from_0003_gives_old_versions_the_automatic_rule(db_url):
    _project_at_0003(db_url)
    engine = make_engine(db_url)
    try:
        assert schema.upgrade(engine) == ("0003", "0004")
        assert schema.head_revision() == "0004"
        columns = {c["name"]: c for c in inspect(engine).get_columns("workbook_versions")}
        assert columns["decimal"]["nullable"] is False
        checks = {c["name"] for c in inspect(engine).get_check_constraints("workbook_versions")}
        assert "ck_workbook_versions_decimal" in checks
        with connect(engine) as conn:
            assert conn.execute(text("SELECT decimal FROM workbook_versions")).all() == [("auto",)]
    finally:
        engine.dispose()
    with open_database(db_url) as db:
        assert verify_project(ALICE, db, "Old").ok  # the old chain verifies as it did
        [version] = show_project(ALICE, db, "Old").versions
        assert version.decimal == "auto"
        # read with the automatic rule, as before: the ambiguous file cannot tell
        with pytest.raises(VendorEvalError, match=r"could be 1250 or 1\.25"):
            current_evaluation(ALICE, db, "Old")
        # and the project goes on: a new version with a choice
        import_workbook(ALICE, db, "Old", AMBIGUOUS, file_name="years.csv", decimal="comma")
        evaluation, latest = current_evaluation(ALICE, db, "Old")
        assert (latest.seq, latest.decimal) == (2, "comma")
        assert evaluation.values[YEARS].tolist() == [1.25, 12.0]
        assert verify_project(ALICE, db, "Old").ok


def test_the_migration_goes_back_to_0003_and_up_again(tmp_path):
    url = f"sqlite:///{tmp_path / 'down.sqlite3'}"
    _project_at_0003(url)
    engine = make_engine(url)
    try:
        schema.upgrade(engine)
        from alembic import command

        config = schema.alembic_config()
        with connect(engine) as conn:
            config.attributes["connection"] = conn
            command.downgrade(config, "0003")
        names = {c["name"] for c in inspect(engine).get_columns("workbook_versions")}
        assert "decimal" not in names and schema.current_revision(engine) == "0003"
        assert schema.upgrade(engine) == ("0003", "0004")
        with connect(engine) as conn:
            data = conn.execute(text("SELECT data FROM workbook_versions")).scalar()
        assert bytes(data) == AMBIGUOUS  # the bytes survive the table's rebuild
    finally:
        engine.dispose()


# -- the replay ------------------------------------------------------------------------------
def _rows(version_decimal: str | None, event_decimal: str | None) -> Rows:
    """A project whose one version and import event hold these separators (None: absent)."""
    from vendor_eval.store.audit import EventFields, event_hash
    from vendor_eval.store.models import GENESIS

    when = "2026-12-01T09:30:00.123456Z"
    details: dict[str, object] = {"version": 1, "file_name": "years.csv", "sha256": SHA,
                                  "size": len(AMBIGUOUS)}  # fmt: skip
    if event_decimal is not None:
        details["decimal"] = event_decimal
    events, prev = [], GENESIS
    for seq, action, subject, d in ((1, "create", "P", {"goals": []}),
                                    (2, "import", "years.csv", details)):  # fmt: skip
        fields = EventFields(seq, T0, "alice", action, subject, d)
        digest = event_hash(prev, fields)
        stored = json.dumps(d, sort_keys=True, separators=(",", ":"))
        events.append((seq, when, "alice", action, subject, stored, prev, digest))
        prev = digest
    version: dict[str, object] = {
        "seq": 1, "file_name": "years.csv", "sha256": SHA, "size": len(AMBIGUOUS),
        "actor": "alice", "created_at": when,
    }  # fmt: skip
    if version_decimal is not None:
        version["decimal"] = version_decimal
    return Rows(name="P", status="draft", created_at=when, settings="{}", event_count=2,
                last_hash=prev, goals=[], versions=[version], scenarios=[], decisions=[],
                events=events)  # fmt: skip


@pytest.mark.parametrize(
    ("row", "event"),
    [(None, None), ("", None), ("auto", None), ("auto", "auto"), ("comma", "comma"),
     ("point", "point")],
)  # fmt: skip
def test_a_version_matches_its_import_event(row, event):
    assert check(_rows(row, event)).problem is None


@pytest.mark.parametrize(
    ("row", "event", "shown"),
    [("comma", None, "'comma' but its log says 'auto'"),
     (None, "comma", "'auto' but its log says 'comma'"),
     ("point", "comma", "'point' but its log says 'comma'")],
)  # fmt: skip
def test_a_version_read_otherwise_than_its_event_says_is_named(row, event, shown):
    problem = check(_rows(row, event)).problem
    assert problem is not None and problem.seq == 2
    assert problem.message == f"workbook version 1's decimal separator is {shown} (event 2)"


# -- backups ---------------------------------------------------------------------------------
def _filled(url: str) -> None:
    with open_database(url, check=False) as db:
        schema.upgrade(db.engine)
        create_project(ALICE, db, "P")
        for decimal in ("comma", "point", "auto"):
            data = AMBIGUOUS if decimal != "auto" else AMBIGUOUS.replace(b"1,250", b"4,5")
            import_workbook(ALICE, db, "P", data, file_name="years.csv", decimal=decimal)


def _restored_years(url: str) -> list[tuple[str, list[float]]]:
    """Each restored version's separator and the years it reads."""
    with open_database(url) as db:
        assert verify_project(ALICE, db, "P").ok
        out = []
        for v in show_project(ALICE, db, "P").versions:
            evaluation, _ = current_evaluation(ALICE, db, "P", version=v.seq)
            out.append((v.decimal, evaluation.values[YEARS].tolist()))
        return out


EXPECTED = [("comma", [1.25, 12.0]), ("point", [1250.0, 12.0]), ("auto", [4.5, 12.0])]


def test_a_backup_carries_each_versions_choice(db_url, tmp_path):
    _filled(db_url)
    archive = tmp_path / "b.zip"
    with open_database(db_url) as db:
        backup(db, archive)
    with zipfile.ZipFile(archive) as z:
        doc = json.loads(z.read("projects/1.json"))
    assert [v["decimal"] for v in doc["versions"]] == ["comma", "point", "auto"]
    target = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    with open_database(target, check=False) as db:
        restore(db, archive)
    assert _restored_years(target) == EXPECTED
    assert _restored_years(db_url) == EXPECTED


def _rewrite(path: Path, change: Callable[[dict, dict], None]) -> None:
    """Apply ``change(manifest, doc)`` to the archive's one project, hashes recomputed."""
    with zipfile.ZipFile(path) as z:
        members = {n: z.read(n) for n in z.namelist()}
    manifest = json.loads(members["manifest.json"])
    doc = json.loads(members["projects/1.json"])
    change(manifest, doc)
    members["projects/1.json"] = json.dumps(doc).encode()
    manifest["files"] = {n: hashlib.sha256(d).hexdigest() for n, d in members.items()
                         if n != "manifest.json"}  # fmt: skip
    members["manifest.json"] = json.dumps(manifest).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n, d in members.items():
            z.writestr(n, d)


@pytest.fixture
def automatic_archive(tmp_path) -> Path:
    """A backup of a project whose only version was read with the automatic rule."""
    url = f"sqlite:///{tmp_path / 'src.sqlite3'}"
    with open_database(url, check=False) as db:
        schema.upgrade(db.engine)
        create_project(ALICE, db, "P")
        german = AMBIGUOUS.replace(b"1,250", b"4,5")
        import_workbook(ALICE, db, "P", german, file_name="years.csv")
        backup(db, tmp_path / "b.zip")
    return tmp_path / "b.zip"


def test_a_backup_written_before_the_choice_existed_restores_as_automatic(
    db_url, automatic_archive
):
    def as_0003(manifest: dict, doc: dict) -> None:
        manifest["schema"] = "0003"
        for v in doc["versions"]:
            del v["decimal"]

    _rewrite(automatic_archive, as_0003)
    with open_database(db_url, check=False) as db:
        summary = restore(db, automatic_archive)
        assert (summary.projects, summary.versions) == (1, 1)
    with open_database(db_url) as db, db.read() as s:
        assert s.execute(text("SELECT decimal FROM workbook_versions")).all() == [("auto",)]
    assert _restored_years(db_url) == [("auto", [4.5, 12.0])]


@pytest.mark.parametrize(
    ("value", "message"),
    [("dot", "versions[0].decimal 'dot' is not one of auto, comma, point"),
     (1, "versions[0].decimal 1 is not one of auto, comma, point"),
     ("comma", "workbook version 1's decimal separator is 'comma' but its log says 'auto' "
               "(event 2)")],
)  # fmt: skip
def test_a_forged_choice_in_a_backup_is_refused(automatic_archive, tmp_path, value, message):
    def forge(_manifest: dict, doc: dict) -> None:
        doc["versions"][0]["decimal"] = value

    _rewrite(automatic_archive, forge)
    target = tmp_path / "target.sqlite3"
    with pytest.raises(VendorEvalError) as e:
        restore(open_database(f"sqlite:///{target}", check=False), automatic_archive)
    assert str(e.value) == (
        f"the backup {automatic_archive} is damaged: projects/1.json: project 'P': {message}"
    )
    assert not target.exists()


def test_a_blank_choice_in_a_backup_means_automatic(automatic_archive, tmp_path):
    def blank(_manifest: dict, doc: dict) -> None:
        doc["versions"][0]["decimal"] = ""

    _rewrite(automatic_archive, blank)
    url = f"sqlite:///{tmp_path / 'blank.sqlite3'}"
    with open_database(url, check=False) as db:
        restore(db, automatic_archive)
    assert _restored_years(url) == [("auto", [4.5, 12.0])]
    with open_database(url) as db, db.read() as s:
        assert s.execute(text("SELECT decimal FROM workbook_versions")).all() == [("auto",)]
