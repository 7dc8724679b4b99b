"""`db backup` / `db restore` (store/backup.py): an exact round trip between SQLite and
PostgreSQL in every direction, and every refusal as one sentence with nothing written."""

from __future__ import annotations

import hashlib
import io
import json
import os
import uuid
import zipfile
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from conftest import postgres_base_url
from pg_helpers import drop_database
from sqlalchemy import create_engine, select, text, update
from sqlalchemy.engine import make_url

from vendor_eval.core.problems import VendorEvalError
from vendor_eval.projects import Actor, verify_project
from vendor_eval.store import backup_format
from vendor_eval.store.audit import GENESIS, EventFields, append_event, event_hash
from vendor_eval.store.backup import BackupSummary, backup, restore
from vendor_eval.store.database import Database, open_database
from vendor_eval.store.models import (
    Decision,
    Event,
    Goal,
    Project,
    Scenario,
    WorkbookVersion,
)
from vendor_eval.store.schema import current_revision, head_revision, upgrade

BOOK_A = b"PK\x03\x04 first workbook \x00\xff" * 50
BOOK_B = b"Vendor,Price\nAcme,100\n"


def _t(day: int, us: int) -> datetime:
    return datetime(2026, 12, day, 9, 30, 15, us, tzinfo=UTC)


# -- databases -------------------------------------------------------------------------------
@pytest.fixture
def new_url(tmp_path: Path) -> Iterator[Callable[[str], str]]:
    """Makes fresh, empty databases: ``new_url("sqlite")`` a file that does not exist yet,
    ``new_url("postgresql")`` a new database on the test server (dropped afterwards)."""
    created: list[str] = []
    base = None

    def make(backend: str) -> str:
        nonlocal base
        if backend == "sqlite":
            return f"sqlite:///{tmp_path / f'{uuid.uuid4().hex[:8]}.sqlite3'}"
        base = make_url(postgres_base_url())
        name = f"vendor_eval_t_{uuid.uuid4().hex[:16]}"
        admin = create_engine(base, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        created.append(name)
        return base.set(database=name).render_as_string(hide_password=False)

    yield make
    if created and base is not None:
        admin = create_engine(base, isolation_level="AUTOCOMMIT")
        for name in created:
            drop_database(admin, name)
        admin.dispose()


def _ready(url: str) -> Database:
    db = open_database(url, check=False)
    upgrade(db.engine)
    return db


RANKING = '[{"Vendor":"Acme","Score":71.23456789012345,"x":null}]'
REPORT = '{"leader":"Acme","p_first":{"Acme":0.875}}'
SETTINGS = {"method": "topsis", "missing": "mean", "consensus": "mean", "scenario": "Cost first"}


def _sha(data: bytes | str) -> str:
    return hashlib.sha256(data.encode() if isinstance(data, str) else data).hexdigest()


def _fill(db: Database) -> None:
    """Three projects holding every kind of row, with times to the microsecond, each row
    as its events say (what the projects stage writes; verify passes). IT 2027: 1 create,
    2–4 import, 5 scenario, 6 settings, 7 status, 8 decide, 9 reopen, 10 decide."""
    sha_a = _sha(BOOK_A)
    with db.write() as s:
        goals = ["Lower run cost", "Ünïcode goal"]
        p = Project(
            name="IT 2027",
            created_at=_t(1, 123456),
            goals=[Goal(position=i, text=g) for i, g in enumerate(goals, 1)],
            settings=json.dumps(SETTINGS, sort_keys=True, separators=(",", ":")),
        )
        s.add(p)
        s.flush()
        append_event(s, p.id, "alice", "create", "IT 2027", {"goals": goals}, time=_t(1, 123456))
        for seq, data, day in ((1, BOOK_A, 2), (2, BOOK_B, 3), (3, BOOK_A, 4)):
            version = WorkbookVersion(
                project_id=p.id,
                seq=seq,
                file_name=f"v{seq}.xlsx",
                sha256=_sha(data),
                size=len(data),
                data=data,
                actor="bob",
                created_at=_t(day, 999999),
            )
            s.add(version)
            details = {"version": seq, "file_name": f"v{seq}.xlsx", "sha256": _sha(data),
                       "size": len(data), "x": 0.1 + 0.2}  # fmt: skip
            append_event(s, p.id, "bob", "import", f"v{seq}.xlsx", details, time=_t(day, 999999))
        crit, cats = {"Price": 3.5}, {"Cost": 0.30000000000000004}
        s.add(Scenario(project_id=p.id, name="Cost first", criterion_weights='{"Price":3.5}',
                       category_weights='{"Cost":0.30000000000000004}', actor="alice",
                       created_at=_t(5, 42)))  # fmt: skip
        append_event(s, p.id, "alice", "scenario", "Cost first", {"name": "Cost first",
                     "criterion_weights": crit, "category_weights": cats, "replaced": False},
                     time=_t(5, 42))  # fmt: skip
        before = {
            "method": "wsm",
            "missing": "worst",
            "consensus": "mean",
            "scenario": None,
            "threshold": None,
        }
        append_event(s, p.id, "alice", "settings", "IT 2027",
                     {"before": before, "after": SETTINGS}, time=_t(5, 43))  # fmt: skip
        p.status = "moderation"
        append_event(s, p.id, "carol", "status", "IT 2027", {"from": "draft", "to": "moderation"},
                     time=_t(6, 0))  # fmt: skip
        for seq, reopened in ((1, True), (2, False)):
            decision = Decision(
                project_id=p.id,
                seq=seq,
                winner="Acme",
                justification="Best «fit»\n",
                actor="carol",
                created_at=_t(6 + seq, 7),
                version_seq=3,
                version_sha256=sha_a,
                status_before="moderation",
                ranking=RANKING,
                report=REPORT,
                reopened_at=_t(8, 5) if reopened else None,
                reopen_reason="new prices" if reopened else None,
                reopened_by="carol" if reopened else None,
            )
            s.add(decision)
            p.status = "decided"
            details = {"winner": "Acme", "justification": "Best «fit»\n", "version": 3,
                       "sha256": sha_a, "ranking_sha256": _sha(RANKING),
                       "report_sha256": _sha(REPORT), "status_before": "moderation"}  # fmt: skip
            append_event(s, p.id, "carol", "decide", "Acme", details, time=_t(6 + seq, 7))
            if reopened:
                p.status = "moderation"
                append_event(s, p.id, "carol", "reopen", "Acme",
                             {"reason": "new prices", "winner": "Acme"}, time=_t(8, 5))  # fmt: skip
        for name, day in (("Ops – Nordics", 2), ("empty one", 3)):
            q = Project(name=name, created_at=_t(day, 1))
            s.add(q)
            s.flush()
            append_event(s, q.id, "dave", "create", name, {"goals": []}, time=_t(day, 1))


def _dump(db: Database) -> list[dict[str, Any]]:
    """Every field of every row, ids aside, in a fixed order (times are aware datetimes)."""

    def rows(s, model, pid, order):
        table = model.__table__
        found = s.execute(select(table).where(table.c.project_id == pid).order_by(order))
        return [{k: v for k, v in r._mapping.items() if k not in ("id", "project_id")}
                for r in found]  # fmt: skip

    out = []
    with db.read() as s:
        table = Project.__table__
        for r in s.execute(select(table).order_by(table.c.name_key)):
            row = {k: v for k, v in r._mapping.items() if k != "id"}
            row["goals"] = rows(s, Goal, r.id, Goal.position)
            row["versions"] = rows(s, WorkbookVersion, r.id, WorkbookVersion.seq)
            row["scenarios"] = rows(s, Scenario, r.id, Scenario.name_key)
            row["decisions"] = rows(s, Decision, r.id, Decision.seq)
            row["events"] = rows(s, Event, r.id, Event.seq)
            out.append(row)
    return out


def _verifies(db: Database) -> dict[str, bool]:
    """Project name → whether ``project verify`` passes."""
    with db.read() as s:
        names = s.scalars(select(Project.name).order_by(Project.name_key)).all()
    return {name: verify_project(Actor("x"), db, name).ok for name in names}


# -- the round trip -----------------------------------------------------------------------------
PAIRS = [("sqlite", "sqlite"), ("sqlite", "postgresql"), ("postgresql", "sqlite"),
         ("postgresql", "postgresql")]  # fmt: skip


@pytest.mark.parametrize(("source", "target"), PAIRS, ids=[f"{a}-to-{b}" for a, b in PAIRS])
def test_round_trip_is_exact_in_every_direction(new_url, tmp_path, source, target):
    src = _ready(new_url(source))
    _fill(src)
    archive = tmp_path / "all.zip"
    done = backup(src, archive)
    assert done == BackupSummary("backup", archive, src.url_text, 3, 3, 12, archive.stat().st_size)
    dst = open_database(new_url(target), check=False)  # no tables yet: restore creates them
    back = restore(dst, archive)
    assert back == BackupSummary("restore", archive, dst.url_text, 3, 3, 12, done.size)
    assert current_revision(dst.engine) == head_revision()
    before, after = _dump(src), _dump(dst)
    assert after == before
    # the dump really holds what was written, to the byte and the microsecond
    it = before[1]
    assert (it["name"], it["status"], it["event_count"]) == ("IT 2027", "decided", 10)
    assert [v["data"] for v in it["versions"]] == [BOOK_A, BOOK_B, BOOK_A]
    assert it["events"][1]["time"] == _t(2, 999999)
    assert it["decisions"][0]["reopened_at"] == _t(8, 5)
    assert it["version"] > 1 and it["last_hash"] == it["events"][-1]["hash"]
    assert before[0]["name"] == "empty one" and before[0]["event_count"] == 1
    assert _verifies(dst) == {"empty one": True, "IT 2027": True, "Ops – Nordics": True}
    src.close()
    dst.close()


def test_a_restored_project_goes_on_as_before(db_url, tmp_path):
    src = _ready(f"sqlite:///{tmp_path / 'src.sqlite3'}")
    _fill(src)
    backup(src, tmp_path / "b.zip")
    dst = open_database(db_url, check=False)
    restore(dst, tmp_path / "b.zip")
    with dst.read() as s:
        version = s.scalars(select(Project.version).where(Project.name_key == "it 2027")).one()
    from vendor_eval.projects import history, reopen

    erin = Actor("erin")
    reopen(erin, dst, "IT 2027", "new prices again")
    row = history(erin, dst, "IT 2027")[-1]
    assert (row.seq, row.actor, row.action) == (11, "erin", "reopen")
    with dst.read() as s:
        p = s.scalars(select(Project).where(Project.name_key == "it 2027")).one()
        assert (p.version, p.event_count, p.status) == (version + 1, 11, "moderation")
        assert (
            s.scalar(select(Event.prev_hash).where(Event.seq == 11))
            == (_dump(src)[1]["events"][-1]["hash"])
        )
    checked = verify_project(erin, dst, "IT 2027")
    assert (checked.ok, checked.events) == (True, 11), checked.message
    dst.close()


def test_an_empty_database_backs_up_and_restores(db_url, tmp_path):
    src = _ready(db_url)
    done = backup(src, tmp_path / "none.zip")
    assert done.describe() == (
        f"backed up 0 projects (0 workbook versions, 0 events) from {src.url_text} to "
        f"{tmp_path / 'none.zip'} ({done.size} bytes)"
    )
    assert 0 < done.size < 1024
    dst = open_database(f"sqlite:///{tmp_path / 'new.sqlite3'}", check=False)
    assert restore(dst, tmp_path / "none.zip").projects == 0
    assert _dump(dst) == []


def test_summary_sentences_and_json():
    one = BackupSummary("restore", Path("/b/x.zip"), "sqlite:////d.sqlite3", 1, 1, 1, 2_500_000)
    assert one.describe() == (
        "restored 1 project (1 workbook version, 1 event) from /b/x.zip into "
        "sqlite:////d.sqlite3; every audit chain verifies"
    )
    many = BackupSummary(
        "backup", Path("x.zip"), "postgresql+psycopg://u:***@h/db", 2, 1234, 5, 900
    )
    assert many.describe() == (
        "backed up 2 projects (1,234 workbook versions, 5 events) from "
        "postgresql+psycopg://u:***@h/db to x.zip (900 bytes)"
    )
    assert many.to_dict() == {"action": "backup", "path": "x.zip",
                              "database": "postgresql+psycopg://u:***@h/db", "projects": 2,
                              "versions": 1234, "events": 5, "size": 900}  # fmt: skip


def test_the_archive_is_documented_json_and_deduplicates_workbooks(tmp_path):
    src = _ready(f"sqlite:///{tmp_path / 'src.sqlite3'}")
    _fill(src)
    backup(src, tmp_path / "b.zip")
    with zipfile.ZipFile(tmp_path / "b.zip") as z:
        manifest = json.loads(z.read("manifest.json"))
        sha_a, sha_b = hashlib.sha256(BOOK_A).hexdigest(), hashlib.sha256(BOOK_B).hexdigest()
        assert sorted(z.namelist()) == sorted(
            ["manifest.json", "projects/1.json", "projects/2.json", "projects/3.json",
             f"versions/{sha_a}.bin", f"versions/{sha_b}.bin"]
        )  # fmt: skip
        assert {k: v for k, v in manifest.items() if k not in ("created_at", "files")} == {
            "format": "vendor-eval backup", "format_version": 1, "schema": head_revision(),
            "projects": 3, "versions": 3, "events": 12,
        }  # fmt: skip
        for member, sha in manifest["files"].items():
            assert hashlib.sha256(z.read(member)).hexdigest() == sha
        assert z.read(f"versions/{sha_a}.bin") == BOOK_A
        doc = json.loads(z.read("projects/2.json"))
    assert doc["name"] == "IT 2027"
    assert doc["events"][1]["time"] == "2026-12-02T09:30:15.999999Z"
    assert doc["events"][1]["details"] == json.dumps(
        {"file_name": "v1.xlsx", "sha256": sha_a, "size": len(BOOK_A), "version": 1,
         "x": 0.30000000000000004}, separators=(",", ":")
    )  # fmt: skip
    assert [v["sha256"] for v in doc["versions"]] == [sha_a, sha_b, sha_a]


# -- refusals: the target ---------------------------------------------------------------------
@pytest.fixture
def archive(tmp_path) -> Path:
    src = _ready(f"sqlite:///{tmp_path / 'src.sqlite3'}")
    _fill(src)
    backup(src, tmp_path / "b.zip")
    src.close()
    return tmp_path / "b.zip"


def test_a_database_holding_projects_is_refused_with_nothing_written(db_url, archive):
    dst = _ready(db_url)
    with dst.write() as s:
        s.add(Project(name="Already here"))
    before = _dump(dst)
    with pytest.raises(VendorEvalError) as e:
        restore(dst, archive)
    assert str(e.value) == (
        f"the database {dst.url_text} already holds 1 project: restore needs an empty database"
    )
    assert _dump(dst) == before


def test_an_older_schema_is_refused_not_upgraded(db_url, archive):
    dst = open_database(db_url, check=False)
    upgrade(dst.engine, "0001")
    with pytest.raises(VendorEvalError, match=r"has an older schema \(0001.*db upgrade"):
        restore(dst, archive)
    assert current_revision(dst.engine) == "0001"


# -- refusals: the archive ----------------------------------------------------------------------
def _rewrite(path: Path, edit: Callable[[dict[str, bytes]], None], *, rehash: bool) -> None:
    """Rewrite the archive with ``edit`` applied to its members; ``rehash`` updates the
    manifest's hashes to match (a careful forger)."""
    with zipfile.ZipFile(path) as z:
        members = {n: z.read(n) for n in z.namelist()}
    edit(members)
    if rehash:
        manifest = json.loads(members["manifest.json"])
        manifest["files"] = {n: hashlib.sha256(d).hexdigest() for n, d in members.items()
                             if n != "manifest.json"}  # fmt: skip
        members["manifest.json"] = json.dumps(manifest).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n, d in members.items():
            z.writestr(n, d)


def _edit_doc(n: int, change: Callable[[dict], None]) -> Callable[[dict[str, bytes]], None]:
    def edit(members: dict[str, bytes]) -> None:
        doc = json.loads(members[f"projects/{n}.json"])
        change(doc)
        members[f"projects/{n}.json"] = json.dumps(doc).encode()

    return edit


def _refused(archive: Path, tmp_path: Path) -> str:
    target = tmp_path / "target.sqlite3"
    with pytest.raises(VendorEvalError) as e:
        restore(open_database(f"sqlite:///{target}", check=False), archive)
    assert not target.exists()  # the archive is checked before the database is touched
    return str(e.value)


def test_an_edited_workbook_is_named_by_its_hash(archive, tmp_path):
    sha = hashlib.sha256(BOOK_B).hexdigest()

    def edit(members):
        members[f"versions/{sha}.bin"] = BOOK_B.replace(b"100", b"999")

    _rewrite(archive, edit, rehash=False)
    assert _refused(archive, tmp_path) == (
        f"the backup {archive} is damaged: versions/{sha}.bin does not match its SHA-256 in the "
        "manifest"
    )


def test_a_workbook_renamed_to_fit_is_still_caught(archive, tmp_path):
    sha = hashlib.sha256(BOOK_B).hexdigest()

    def edit(members):
        members[f"versions/{sha}.bin"] = b"forged"

    _rewrite(archive, edit, rehash=True)  # the manifest agrees with the bytes, not the name
    assert _refused(archive, tmp_path) == (
        f"the backup {archive} is damaged: versions/{sha}.bin is listed with another SHA-256 "
        "than its name"
    )


def test_an_edited_event_is_a_chain_failure_naming_project_and_event(archive, tmp_path):
    def change(doc):
        doc["events"][2]["actor"] = "mallory"

    _rewrite(archive, _edit_doc(2, change), rehash=True)
    assert _refused(archive, tmp_path) == (
        f"the backup {archive} is damaged: projects/2.json: project 'IT 2027': event 3 does not "
        "match the chain (edited, forged or reordered)"
    )


def test_an_edited_document_without_rehash_is_a_hash_mismatch(archive, tmp_path):
    _rewrite(archive, _edit_doc(2, lambda doc: doc.update(status="draft")), rehash=False)
    assert _refused(archive, tmp_path) == (
        f"the backup {archive} is damaged: projects/2.json does not match its SHA-256 in the "
        "manifest"
    )


def test_deleted_newest_events_are_caught_by_the_head(archive, tmp_path):
    _rewrite(archive, _edit_doc(2, lambda doc: doc["events"].pop()), rehash=True)
    assert _refused(archive, tmp_path) == (
        f"the backup {archive} is damaged: projects/2.json: project 'IT 2027': the log ends at "
        "event 9 but the project recorded 10 events (events deleted)"
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(status="won"),
         "status 'won' is not one of draft, scoring, moderation, decided"),
        (lambda d: d.update(version="7"), "version is not a whole number from 1"),
        (lambda d: d["versions"][0].update(created_at="2026-12-01 09:30"),
         "versions[0].created_at is not a time (YYYY-MM-DDTHH:MM:SS.ffffffZ)"),
        (lambda d: d["goals"][1].update(position=1), "goals[1].position 1 appears twice"),
        (lambda d: d["scenarios"][0].update(criterion_weights="[1"),
         "scenarios[0].criterion_weights is not JSON"),
        (lambda d: d.pop("decisions"), "the document has no 'decisions'"),
    ],
    ids=["status", "version", "time", "goal-position", "weights", "missing-key"],
)  # fmt: skip
def test_a_malformed_document_names_the_field(archive, tmp_path, change, message):
    _rewrite(archive, _edit_doc(2, change), rehash=True)
    assert _refused(archive, tmp_path) == (
        f"the backup {archive} is damaged: projects/2.json: project 'IT 2027': {message}"
    )


def test_a_missing_workbook_is_named(archive, tmp_path):
    sha = hashlib.sha256(BOOK_B).hexdigest()
    _rewrite(archive, lambda m: m.pop(f"versions/{sha}.bin"), rehash=True)
    assert _refused(archive, tmp_path) == (
        f"the backup {archive} is damaged: project 'IT 2027' needs versions/{sha}.bin, which is "
        "missing"
    )


def _rechain(doc: dict) -> None:
    """Recompute the document's hash chain and head (a forger who knows the format)."""
    prev = GENESIS
    for e in doc["events"]:
        fields = EventFields(e["seq"], backup_format.parse_time(e["time"], "time"), e["actor"],
                             e["action"], e["subject"], json.loads(e["details"]))  # fmt: skip
        e["prev_hash"], e["hash"] = prev, event_hash(prev, fields)
        prev = e["hash"]
    doc["last_hash"] = prev


def test_a_workbook_size_that_disagrees_is_named(archive, tmp_path):
    _rewrite(archive, _edit_doc(2, lambda doc: doc["versions"][1].update(size=5)), rehash=True)
    assert _refused(archive, tmp_path) == (
        f"the backup {archive} is damaged: projects/2.json: project 'IT 2027': workbook version "
        "2 does not match its import event 3 (edited or replaced)"
    )


def test_a_workbook_size_forged_in_the_log_too_is_named(archive, tmp_path):
    sha = hashlib.sha256(BOOK_B).hexdigest()

    def change(doc):
        doc["versions"][1]["size"] = 5
        details = json.loads(doc["events"][2]["details"])
        doc["events"][2]["details"] = json.dumps({**details, "size": 5})
        _rechain(doc)

    _rewrite(archive, _edit_doc(2, change), rehash=True)
    assert _refused(archive, tmp_path) == (
        f"the backup {archive} is damaged: versions/{sha}.bin holds {len(BOOK_B)} bytes, not the "
        "size its versions give"
    )


def test_two_projects_with_one_name_are_refused(archive, tmp_path):
    def change(doc):
        doc["name"] = doc["events"][0]["subject"] = " it 2027"
        _rechain(doc)

    _rewrite(archive, _edit_doc(3, change), rehash=True)
    assert _refused(archive, tmp_path) == (
        f"the backup {archive} is damaged: two projects are named ' it 2027'"
    )


def test_a_workbook_no_project_uses_is_refused(archive, tmp_path):
    def edit(members):
        members[f"versions/{hashlib.sha256(b'stray').hexdigest()}.bin"] = b"stray"

    _rewrite(archive, edit, rehash=True)
    assert _refused(archive, tmp_path) == (
        f"the backup {archive} is damaged: manifest.json lists "
        f"versions/{hashlib.sha256(b'stray').hexdigest()}.bin, which no project uses"
    )


def test_fields_the_format_does_not_have_are_ignored(archive, tmp_path):
    def change(doc):
        doc["id"] = 99
        doc["events"][0]["project_id"] = 12345
        doc["versions"][0]["data"] = "not these bytes"

    _rewrite(archive, _edit_doc(2, change), rehash=True)
    dst = open_database(f"sqlite:///{tmp_path / 'dst.sqlite3'}", check=False)
    assert restore(dst, archive).projects == 3
    it = _dump(dst)[1]
    assert it["versions"][0]["data"] == BOOK_A
    assert _verifies(dst)["IT 2027"]


@pytest.mark.parametrize("cut", [0.5, 0.97])
def test_a_truncated_archive_is_refused(archive, tmp_path, cut):
    data = archive.read_bytes()
    archive.write_bytes(data[: int(len(data) * cut)])
    assert _refused(archive, tmp_path) == (
        f"{archive} is not a vendor-eval backup: it is not a zip archive, or it is truncated"
    )


@pytest.mark.parametrize("content", [b"", b"hello, not a zip\n", b"PK\x03\x04" + b"\0" * 200])
def test_a_file_that_is_no_zip_is_refused(tmp_path, content):
    path = tmp_path / "x.zip"
    path.write_bytes(content)
    assert _refused(path, tmp_path) == (
        f"{path} is not a vendor-eval backup: it is not a zip archive, or it is truncated"
    )


def test_a_damaged_member_is_refused(archive, tmp_path):
    # flip bytes inside the compressed data of the largest member: CRC or inflate fails
    data = bytearray(archive.read_bytes())
    with zipfile.ZipFile(archive) as z:
        info = max(z.infolist(), key=lambda i: i.compress_size)
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    for i in range(start + 10, start + 40):
        data[i] ^= 0x55
    archive.write_bytes(bytes(data))
    message = _refused(archive, tmp_path)
    assert message.startswith(f"the backup {archive} is damaged: {info.filename} cannot be read (")


def _zip(path: Path, members: dict[str, bytes | str]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n, d in members.items():
            z.writestr(n, d)
    return path


def _manifest(**changes: Any) -> str:
    m = {"format": "vendor-eval backup", "format_version": 1, "schema": head_revision(),
         "created_at": "2026-12-02T10:00:00.000000Z", "projects": 0, "versions": 0, "events": 0,
         "files": {}}  # fmt: skip
    m.update(changes)
    return json.dumps(m)


@pytest.mark.parametrize(
    ("members", "message"),
    [
        ({"other.txt": "x"}, "{p} is not a vendor-eval backup: it has no manifest.json"),
        ({"manifest.json": _manifest(format="something else")},
         "{p} is not a vendor-eval backup: its manifest.json does not name the format "
         "'vendor-eval backup'"),
        ({"manifest.json": "[1, 2"}, "the backup {p} is damaged: manifest.json is not JSON"),
        ({"manifest.json": _manifest(format_version=2)},
         "the backup {p} was written by a newer vendor-eval (backup format 2; this one reads "
         "format 1): upgrade vendor-eval"),
        ({"manifest.json": _manifest(schema="9999")},
         "the backup {p} was written by a newer vendor-eval (schema 9999; this one knows up to "
         f"{head_revision()}): upgrade vendor-eval"),
        ({"manifest.json": _manifest(files={"../../etc/passwd": "0" * 64})},
         "the backup {p} is damaged: manifest.json lists an unexpected member '../../etc/passwd'"),
        ({"manifest.json": _manifest(projects=1)},
         "the backup {p} is damaged: manifest.json does not list projects/1.json … as many as it "
         "counts"),
        ({"manifest.json": _manifest(projects=1, files={"projects/1.json": "a" * 64})},
         "the backup {p} is damaged: projects/1.json is missing"),
        ({"manifest.json": _manifest(versions=4)},
         "the backup {p} is damaged: manifest.json counts 4 versions, the projects hold 0"),
    ],
    ids=["no-manifest", "format", "not-json", "newer-format", "newer-schema", "traversal",
         "uncounted", "missing", "counts"],
)  # fmt: skip
def test_a_wrong_manifest_is_one_sentence(tmp_path, members, message):
    path = _zip(tmp_path / "m.zip", members)
    assert _refused(path, tmp_path) == message.format(p=path)


def test_members_not_in_the_manifest_are_never_read(archive, tmp_path):
    def edit(members):
        members["../../outside.txt"] = b"never extracted"
        members["/abs/path"] = b"never read"

    _rewrite(archive, edit, rehash=False)
    dst = open_database(f"sqlite:///{tmp_path / 'dst.sqlite3'}", check=False)
    assert restore(dst, archive).projects == 3
    assert not (tmp_path.parent / "outside.txt").exists()
    assert not Path("/abs/path").exists()


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path, monkeypatch):
    spaces = b" " * (8 * 1024 * 1024)  # 8 MB of spaces compress about 1000 to 1
    bomb = _zip(tmp_path / "bomb.zip", {
        "manifest.json": _manifest(projects=1, files={"projects/1.json": "a" * 64}),
        "projects/1.json": spaces,
    })  # fmt: skip
    message = _refused(bomb, tmp_path)
    assert message.startswith(f"the backup {bomb} is refused: projects/1.json is compressed ")
    assert message.endswith(" to 1 (a zip bomb?)")
    monkeypatch.setitem(backup_format.LIMITS, "project", 1024 * 1024)
    assert _refused(bomb, tmp_path) == (
        f"the backup {bomb} is refused: projects/1.json would unpack to 8.0 MB, more than the "
        "1 MB a project member may hold"
    )


def test_two_members_with_one_name_are_refused(tmp_path):
    path = tmp_path / "dup.zip"
    with pytest.warns(UserWarning, match="Duplicate name"):
        _zip(path, {"manifest.json": _manifest()})
        with zipfile.ZipFile(path, "a") as z:
            z.writestr("manifest.json", _manifest(projects=5))
    assert _refused(path, tmp_path) == f"the backup {path} is damaged: two members share one name"


def test_overlapping_members_are_refused(tmp_path):
    path = _zip(tmp_path / "overlap.zip", {"manifest.json": _manifest(), "projects/1.json": "{}"})
    data = bytearray(path.read_bytes())
    # point the second member's central directory entry at the first member's data
    entry = data.index(b"PK\x01\x02", data.index(b"PK\x01\x02") + 4)
    data[entry + 42 : entry + 46] = (0).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    assert _refused(path, tmp_path) == (
        f"the backup {path} is damaged: manifest.json and projects/1.json overlap (a zip bomb?)"
    )


def test_a_project_count_beyond_the_listed_members_is_refused_at_once(tmp_path):
    path = _zip(tmp_path / "count.zip", {"manifest.json": _manifest(projects=2**31 - 1)})
    assert _refused(path, tmp_path) == (
        f"the backup {path} is damaged: manifest.json does not list projects/1.json … as many "
        "as it counts"
    )


def test_a_missing_or_unreadable_backup_file(tmp_path):
    assert _refused(tmp_path / "nope.zip", tmp_path) == (
        f"the backup {tmp_path / 'nope.zip'} does not exist"
    )
    assert _refused(tmp_path, tmp_path) == f"the backup {tmp_path} is a folder, not a backup file"


# -- refusals: backup -------------------------------------------------------------------------
def test_backup_never_leaves_half_a_file(tmp_path, monkeypatch):
    src = _ready(f"sqlite:///{tmp_path / 'src.sqlite3'}")
    _fill(src)
    target = tmp_path / "b.zip"
    target.write_bytes(b"the previous backup")
    from vendor_eval.store import backup as backup_module

    real = backup_module._write_project
    calls = []

    def failing(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real(*args, **kwargs)

    monkeypatch.setattr(backup_module, "_write_project", failing)
    with pytest.raises(VendorEvalError) as e:
        backup(src, target)
    assert str(e.value) == f"cannot write the backup {target}: No space left on device"
    assert target.read_bytes() == b"the previous backup"
    left = {p.name for p in tmp_path.iterdir() if not p.name.startswith("src.sqlite3")}
    assert left == {"b.zip"}  # no temporary file left behind


def test_backup_target_problems_are_sentences(tmp_path):
    src = _ready(f"sqlite:///{tmp_path / 'src.sqlite3'}")
    missing = tmp_path / "no such folder" / "b.zip"
    with pytest.raises(VendorEvalError) as e:
        backup(src, missing)
    assert str(e.value) == (
        f"cannot write the backup {missing}: the folder {missing.parent} does not exist"
    )
    with pytest.raises(VendorEvalError) as e:
        backup(src, tmp_path)
    assert str(e.value) == f"cannot write the backup {tmp_path}: it is a folder"
    with pytest.raises(VendorEvalError) as e:
        backup(src, tmp_path / "src.sqlite3")
    assert str(e.value) == (
        f"cannot write the backup {tmp_path / 'src.sqlite3'}: it is the database file itself "
        "(choose another file name)"
    )
    if os.geteuid() != 0:  # root writes anywhere
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        with pytest.raises(VendorEvalError, match=r"cannot write the backup .*Permission denied"):
            backup(src, locked / "b.zip")


def test_backup_refuses_a_database_whose_chain_is_broken(tmp_path):
    src = _ready(f"sqlite:///{tmp_path / 'src.sqlite3'}")  # SQLite: no trigger stops the edit
    _fill(src)
    with src.write() as s:
        s.execute(update(Event).where(Event.seq == 2, Event.subject == "v1.xlsx").values(actor="x"))
    with pytest.raises(VendorEvalError) as e:
        backup(src, tmp_path / "b.zip")
    assert str(e.value) == (
        f"the database {src.url_text} cannot be backed up: project 'IT 2027': event 2 does not "
        "match the chain (edited, forged or reordered): see `vendor-eval project verify`"
    )
    assert not (tmp_path / "b.zip").exists()


def test_backup_refuses_an_older_schema(db_url, tmp_path):
    db = open_database(db_url, check=False)
    upgrade(db.engine, "0001")
    with pytest.raises(VendorEvalError, match=r"older schema \(0001"):
        backup(db, tmp_path / "b.zip")
    assert list(tmp_path.glob("*.zip")) == [] and list(tmp_path.glob(".b.zip*")) == []


def test_the_archive_is_readable_by_its_owner_only(tmp_path):
    src = _ready(f"sqlite:///{tmp_path / 'src.sqlite3'}")
    backup(src, tmp_path / "b.zip")
    assert (tmp_path / "b.zip").stat().st_mode & 0o777 == 0o600
    assert io.BytesIO((tmp_path / "b.zip").read_bytes()).read(2) == b"PK"


# -- with the projects stage's own writes --------------------------------------------------------
@pytest.mark.parametrize(("source", "target"), [("sqlite", "postgresql"), ("postgresql", "sqlite")])
def test_a_project_made_by_the_service_restores_and_verifies(new_url, tmp_path, source, target):
    from conftest import SAMPLE

    from vendor_eval import projects as pj
    from vendor_eval.stress.scenarios import Scenario as Weights

    alice, bob = pj.Actor("alice"), pj.Actor("bob")
    src = _ready(new_url(source))
    pj.create_project(alice, src, "IT 2027", ["Happy clients", "Lower cost"])
    pj.import_workbook(alice, src, "IT 2027", SAMPLE)
    pj.update_settings(bob, src, "IT 2027", method="topsis", missing="mean")
    pj.save_scenario(bob, src, "IT 2027", Weights("Cost first", category_weights={"Cost": 50}))
    pj.import_workbook(bob, src, "IT 2027", SAMPLE.read_bytes(), file_name="again.xlsx")
    ranking = pj.rank_project(alice, src, "IT 2027")
    winner = ranking.qualified[0]
    pj.decide(alice, src, "IT 2027", winner, "Best on cost and delivery", samples=200)
    pj.reopen(bob, src, "IT 2027", "new prices arrived")
    pj.create_project(bob, src, "Second")
    backup(src, tmp_path / "b.zip")
    dst = open_database(new_url(target), check=False)
    assert (
        restore(dst, tmp_path / "b.zip")
        .describe()
        .startswith("restored 2 projects (2 workbook versions, ")
    )
    assert _dump(dst) == _dump(src)
    for name in ("IT 2027", "Second"):
        checked = pj.verify_project(alice, dst, name)
        assert (checked.ok, checked.first_bad) == (True, None), checked.message
        assert (
            pj.show_project(alice, dst, name).to_dict()
            == pj.show_project(alice, src, name).to_dict()
        )
        assert [e.to_dict() for e in pj.history(alice, dst, name)] == [
            e.to_dict() for e in pj.history(alice, src, name)
        ]
    assert pj.rank_project(alice, dst, "IT 2027").to_records() == ranking.to_records()
    # the restored project takes new changes, audited on its restored chain
    pj.set_status(bob, dst, "IT 2027", "moderation")
    assert pj.verify_project(bob, dst, "IT 2027").ok
    src.close()
    dst.close()


# -- the integrity check project verify runs, in backup and restore ---------------------------
TAMPERS = {
    "decision": (lambda d: d["decisions"][1].update(winner="Beta"),
                 "UPDATE decisions SET winner = 'Beta' WHERE seq = 2",
                 "decision 2's winner is 'Beta' but its log says 'Acme' (event 10)"),
    "version": (lambda d: d["versions"][0].update(file_name="evil.xlsx"),
                "UPDATE workbook_versions SET file_name = 'evil.xlsx' WHERE seq = 1",
                "workbook version 1's file name is 'evil.xlsx' but its log says 'v1.xlsx' "
                "(event 2)"),
    "status": (lambda d: d.update(status="draft"),
               "UPDATE projects SET status = 'draft' WHERE name = 'IT 2027'",
               "the project's status is draft but its log says decided (event 10)"),
    "reopen": (lambda d: d["decisions"][0].update(reopen_reason="none given"),
               "UPDATE decisions SET reopen_reason = 'none given' WHERE seq = 1",
               "decision 1's reopen reason is 'none given' but its log says 'new prices' "
               "(event 9)"),
}  # fmt: skip


def _sql(db: Database, statement: str, **params: Any) -> None:
    with db.engine.begin() as conn:
        conn.execute(text(statement), params)


@pytest.mark.parametrize("what", TAMPERS)
def test_backup_refuses_a_project_verify_rejects_with_its_sentence(db_url, tmp_path, what):
    src = _ready(db_url)
    _fill(src)
    _sql(src, TAMPERS[what][1])
    verdict = verify_project(Actor("x"), src, "IT 2027")
    assert (verdict.ok, verdict.message) == (False, TAMPERS[what][2])
    with pytest.raises(VendorEvalError) as e:
        backup(src, tmp_path / "b.zip")
    assert str(e.value) == (
        f"the database {src.url_text} cannot be backed up: project 'IT 2027': "
        f"{verdict.message}: see `vendor-eval project verify`"
    )
    assert list(tmp_path.glob("*.zip*")) == [] and list(tmp_path.glob(".b.zip*")) == []
    src.close()


def test_backup_refuses_edited_workbook_bytes_with_verifys_sentence(db_url, tmp_path):
    src = _ready(db_url)
    _fill(src)
    _sql(src, "UPDATE workbook_versions SET data = :d WHERE seq = 2", d=b"forged")
    message = "workbook version 2 does not match its import event 3 (edited or replaced)"
    assert verify_project(Actor("x"), src, "IT 2027").message == message
    with pytest.raises(VendorEvalError) as e:
        backup(src, tmp_path / "b.zip")
    assert str(e.value) == (
        f"the database {src.url_text} cannot be backed up: project 'IT 2027': {message}: see "
        "`vendor-eval project verify`"
    )
    src.close()


@pytest.mark.parametrize("what", TAMPERS)
def test_restore_refuses_what_verify_would_reject_with_its_sentence(db_url, archive, tmp_path,
                                                                    what):  # fmt: skip
    change, statement, message = TAMPERS[what]
    # the same edit made in a restored database is what verify reports …
    dst = open_database(db_url, check=False)
    restore(dst, archive)
    _sql(dst, statement)
    assert verify_project(Actor("x"), dst, "IT 2027").message == message
    dst.close()
    # … and made in the archive, restore refuses it with that sentence, writing nothing
    _rewrite(archive, _edit_doc(2, change), rehash=True)
    assert _refused(archive, tmp_path) == (
        f"the backup {archive} is damaged: projects/2.json: project 'IT 2027': {message}"
    )
