"""Faults on SQLite and PostgreSQL: a killed import, sixteen processes at once, a forged
event, two writers on the same version (docs/projects.md §4 and §6).

The processes are real ``python -m vendor_eval`` command lines, killed with SIGKILL (no
handler runs, no rollback is sent: the database alone must keep the project whole).
"""

from __future__ import annotations

import hashlib
import json
import random
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path

import openpyxl
import pytest
from conftest import SAMPLE
from sqlalchemy import create_engine, text
from sqlalchemy.exc import ProgrammingError

from vendor_eval import cli as cli_module
from vendor_eval.projects import create_project, import_workbook, set_goals, show_project
from vendor_eval.projects import history as project_history
from vendor_eval.projects.actor import Actor
from vendor_eval.projects.errors import ProjectChanged
from vendor_eval.projects.views import EventView
from vendor_eval.store.database import Database, open_database
from vendor_eval.store.schema import upgrade

pytestmark = pytest.mark.slow

#: Random bytes stored in the big workbook as a picture would be (real shortlists carry
#: logos and screenshots): they make writing the version take measurable time.
ATTACHMENT_BYTES = 24 * 1024 * 1024


def cli(db: str, *argv: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """``python -m vendor_eval ARGV --db DB`` in a real process."""
    return subprocess.run(
        [sys.executable, "-m", "vendor_eval", *argv, "--db", db],
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def ok(db: str, *argv: str) -> str:
    proc = cli(db, *argv)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def popen(db: str, *argv: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "vendor_eval", *argv, "--db", db],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def big_workbook(path: Path, vendors: int = 2_000, criteria: int = 50) -> Path:
    """A valid workbook of ``vendors`` × ``criteria`` scores (1–5) with a large attachment."""
    rng = random.Random(12)
    wb = openpyxl.Workbook(write_only=True)
    names = [f"Criterion {j + 1:03d}" for j in range(criteria)]
    ws = wb.create_sheet("Vendors")
    ws.append(["Vendor", *names])
    for i in range(vendors):
        ws.append([f"Vendor {i + 1:05d}", *(rng.randint(1, 5) for _ in names)])
    ws = wb.create_sheet("Criteria")
    ws.append(["Criterion", "Category", "Weight", "Direction", "Scale", "Min", "Max"])
    for j, name in enumerate(names):
        ws.append([name, f"Area {j % 5}", rng.randint(1, 5), "higher", "absolute", 1, 5])
    wb.save(path)
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_STORED) as z:
        z.writestr("xl/media/image1.bin", rng.randbytes(ATTACHMENT_BYTES))
    return path


def stored_versions(db: str) -> list[tuple[int, str, int, bytes]]:
    """(seq, sha256, size, bytes) of every stored workbook version, read with plain SQL."""
    engine = create_engine(db)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                text("SELECT seq, sha256, size, data FROM workbook_versions ORDER BY seq")
            ).all()
    finally:
        engine.dispose()
    return [(r[0], r[1], r[2], bytes(r[3])) for r in rows]


def here(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """The CLI in this process: the checks between the real processes need no new one."""
    code = cli_module.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def here_ok(capsys: pytest.CaptureFixture[str], db: str, *argv: str) -> str:
    code, out, err = here(capsys, *argv, "--db", db)
    assert code == 0, err
    return out


def history(capsys: pytest.CaptureFixture[str], db: str, name: str) -> list[dict]:
    return json.loads(here_ok(capsys, db, "project", "history", name, "--format", "json"))


def assert_verifies(capsys: pytest.CaptureFixture[str], db: str, name: str) -> None:
    out = here_ok(capsys, db, "project", "verify", name)
    assert out.startswith(f"{name}: audit log intact")


# --- kill -9 while an import writes ------------------------------------------------------


@contextmanager
def _sqlite_writing(db: str, threshold: int) -> Iterator[Callable[[], bool]]:
    """True once the write-ahead log holds ``threshold`` bytes more than before: the import's
    transaction is spilling the workbook's pages (not committed before its last frame)."""
    wal = Path(db.removeprefix("sqlite:///") + "-wal")
    base = wal.stat().st_size if wal.exists() else 0
    yield lambda: wal.exists() and wal.stat().st_size >= base + threshold


@contextmanager
def _postgres_writing(db: str, relation: str) -> Iterator[Callable[[], bool]]:
    """True once another session holds a lock on ``relation`` in an open transaction:
    ``projects`` (the import's row lock, taken first) or ``workbook_versions`` (its INSERT)."""
    query = text(
        "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
        "JOIN pg_stat_activity a ON a.pid = l.pid "
        "WHERE c.relname = :rel AND l.pid <> pg_backend_pid() AND a.xact_start IS NOT NULL "
        "AND l.mode IN ('RowShareLock', 'RowExclusiveLock')"
    )
    engine = create_engine(db, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            yield lambda: bool(conn.execute(query, {"rel": relation}).scalar())
    finally:
        engine.dispose()


def _never() -> AbstractContextManager[Callable[[], bool]]:
    return nullcontext(lambda: False)


def _kill_when(proc: subprocess.Popen[str], ready: Callable[[], bool], limit: float) -> bool:
    """SIGKILL ``proc`` as soon as ``ready()`` (polled every millisecond or so) or after
    ``limit`` seconds; True if it was killed while still running."""
    start = time.monotonic()
    while proc.poll() is None:
        if ready() or time.monotonic() - start >= limit:
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=60)
            return proc.returncode == -signal.SIGKILL
        time.sleep(0.001)
    return False


#: When the undisturbed import's run is cut short, as fractions of its duration.
FRACTIONS = (0.15, 0.4, 0.65, 0.9)


def test_a_killed_import_leaves_the_whole_version_or_none(db_url, tmp_path, capsys):
    big = big_workbook(tmp_path / "big shortlist.xlsx")
    data = big.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    here_ok(capsys, db_url, "db", "upgrade")
    here_ok(capsys, db_url, "project", "create", "Big")

    start = time.monotonic()
    ok(db_url, "project", "import", "Big", str(big))  # one undisturbed import: how long it takes
    full = time.monotonic() - start
    # killed at moments spread over a run, and at moments the write itself gives away
    moments: list[tuple[str, Callable[[], AbstractContextManager[Callable[[], bool]]], float]]
    moments = [(f"after {f:.0%}", _never, f * full) for f in FRACTIONS]
    if db_url.startswith("sqlite"):
        moments += [
            (f"WAL +{n >> 20} MB", lambda n=n: _sqlite_writing(db_url, n), 3 * full)
            for n in (1 << 20, 8 << 20, 16 << 20)
        ]
    else:
        moments += [
            (f"lock on {rel}", lambda rel=rel: _postgres_writing(db_url, rel), 3 * full)
            for rel in ("projects", "workbook_versions", "workbook_versions")
        ]

    outcomes = []
    for label, trigger, limit in moments:
        before = len(stored_versions(db_url))
        with trigger() as writing:
            proc = popen(db_url, "project", "import", "Big", str(big))
            try:
                killed = _kill_when(proc, writing, limit)
            finally:
                proc.kill()  # a no-op when it is gone: never leave it running
                proc.communicate(timeout=60)
        versions = stored_versions(db_url)
        assert len(versions) in (before, before + 1), label
        for seq, stored_sha, size, stored in versions:  # every version whole, none torn
            assert (stored_sha, size) == (sha, len(data)), (label, seq)
            assert stored == data, (label, seq)
        imports = [e for e in history(capsys, db_url, "Big") if e["action"] == "import"]
        assert len(imports) == len(versions), label
        assert_verifies(capsys, db_url, "Big")
        outcomes.append((label, killed, len(versions) - before))
    # the kills the write itself triggered landed before its commit: nothing was stored
    triggered = [o for o in outcomes[len(FRACTIONS) :] if o[1]]
    assert triggered and any(added == 0 for _, _, added in triggered), outcomes
    # the database is not left locked or damaged: the next import goes through
    ok(db_url, "project", "import", "Big", str(big))
    assert_verifies(capsys, db_url, "Big")
    events = history(capsys, db_url, "Big")
    assert len(stored_versions(db_url)) == len(events) - 1  # every event but "create"


# --- sixteen processes at once -----------------------------------------------------------

IMPORTERS = 16
READS = (
    ["project", "show", "Shared", "--format", "json"],
    ["project", "rank", "Shared", "--format", "json"],
    ["project", "history", "Shared", "--format", "json"],
    ["project", "list"],
)
READERS = 8


def test_sixteen_processes_import_and_read_one_project(db_url, tmp_path, capsys):
    here_ok(capsys, db_url, "db", "upgrade")
    here_ok(capsys, db_url, "project", "create", "Shared")
    here_ok(capsys, db_url, "project", "import", "Shared", str(SAMPLE))  # one to rank at once
    files = []
    for i in range(IMPORTERS):  # each importer its own file name, so its version is known
        path = tmp_path / f"round {i:02d}.xlsx"
        path.write_bytes(SAMPLE.read_bytes())
        files.append(path)
    procs = [
        popen(db_url, "project", "import", "Shared", str(f), "--as", f"importer {i}")
        for i, f in enumerate(files)
    ]
    procs += [popen(db_url, *READS[i % len(READS)]) for i in range(READERS)]
    results = [(p.args, *p.communicate(timeout=600), p.returncode) for p in procs]
    for args, out, err, code in results:
        assert code == 0, (args, err)
        for said in (out, err):
            assert "database is locked" not in said.lower(), (args, said)
            assert "Traceback" not in said, (args, said)
    for args, out, _, _ in results[IMPORTERS:]:
        if "--format" in args:  # a reader saw a whole project, never half an import
            assert json.loads(out), args
    events = history(capsys, db_url, "Shared")
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
    imports = [e for e in events if e["action"] == "import"]
    assert len(imports) == 1 + IMPORTERS  # every import recorded
    assert sorted(e["subject"] for e in imports[1:]) == sorted(f.name for f in files)
    assert sorted(e["actor"] for e in imports[1:]) == sorted(
        f"importer {i}" for i in range(IMPORTERS)
    )
    assert [e["details"]["version"] for e in imports] == list(range(1, IMPORTERS + 2))
    assert [v[0] for v in stored_versions(db_url)] == list(range(1, IMPORTERS + 2))
    assert_verifies(capsys, db_url, "Shared")


# --- a forged event ----------------------------------------------------------------------


def _forge(db: str, sql: str, **params: object) -> None:
    """Change the events table behind the application's back; on PostgreSQL the table owner
    first switches the append-only trigger off, as an attacker with owner rights could."""
    engine = create_engine(db)
    try:
        with engine.begin() as conn:
            postgres = conn.dialect.name == "postgresql"
            if postgres:
                conn.execute(text("ALTER TABLE events DISABLE TRIGGER events_append_only"))
            conn.execute(text(sql), params)
            if postgres:
                conn.execute(text("ALTER TABLE events ENABLE TRIGGER events_append_only"))
    finally:
        engine.dispose()


CHAIN = "does not match the chain (edited, forged or reordered)"


@pytest.mark.parametrize(
    ("sql", "params", "bad", "message"),
    [
        ("UPDATE events SET actor = :v WHERE seq = 2", {"v": "mallory"}, 2, f"event 2 {CHAIN}"),
        ("UPDATE events SET details = :v WHERE seq = 3", {"v": '{"from":"draft","to":"x"}'}, 3,
         f"event 3 {CHAIN}"),
        ("UPDATE events SET subject = :v WHERE seq = 1", {"v": "Other"}, 1, f"event 1 {CHAIN}"),
        ("UPDATE events SET seq = 9 WHERE seq = 2", {}, 3, f"event 3 {CHAIN}"),
        ("DELETE FROM events WHERE seq = 2", {}, 3, f"event 3 {CHAIN}"),  # the one after the gap
        ("DELETE FROM events WHERE seq = 3", {}, 3,  # the newest: only the chain head knows
         "the log ends at event 2 but the project recorded 3 events (events deleted)"),
        ("UPDATE workbook_versions SET data = :v", {"v": b"PK forged"}, 2,
         "workbook version 1 does not match its import event 2 (edited or replaced)"),
    ],
)  # fmt: skip
def test_a_forged_event_is_caught_by_verify(db_url, capsys, sql, params, bad, message):
    for argv in (
        ["db", "upgrade"],
        ["project", "create", "Audited", "--as", "alice"],
        ["project", "import", "Audited", str(SAMPLE), "--as", "bob"],
        ["project", "status", "Audited", "scoring", "--as", "carol"],
        ["project", "verify", "Audited"],
    ):
        code, _, err = here(capsys, *argv, "--db", db_url)
        assert code == 0, err
    _forge(db_url, sql, **params)
    proc = cli(db_url, "project", "verify", "Audited")  # a real process: its exit code
    assert (proc.returncode, proc.stdout) == (2, "")
    assert proc.stderr == f"error: Audited: {message}\n"
    code, out, _ = here(capsys, "project", "verify", "Audited", "--db", db_url, "--format", "json")
    assert code == 2
    verdict = json.loads(out)
    assert (verdict["ok"], verdict["first_bad"], verdict["message"]) == (False, bad, message)


def test_postgresql_refuses_the_edit_while_the_trigger_is_on(postgres_url, capsys):
    here_ok(capsys, postgres_url, "db", "upgrade")
    here_ok(capsys, postgres_url, "project", "create", "Audited")
    engine = create_engine(postgres_url)
    try:
        for sql, op in (("UPDATE events SET actor = 'mallory'", "UPDATE"),
                        ("DELETE FROM events", "DELETE")):  # fmt: skip
            refused = f"the audit log is append-only: {op} on events is refused"
            with pytest.raises(ProgrammingError, match=refused), engine.begin() as conn:
                conn.execute(text(sql))
    finally:
        engine.dispose()
    assert_verifies(capsys, postgres_url, "Audited")


# --- two writers, one base version -------------------------------------------------------


def test_the_second_writer_on_the_same_base_version_gets_the_conflict(db_url):
    alice, bob = Actor("alice"), Actor("bob")
    with open_database(db_url, check=False) as db:
        upgrade(db.engine)
        create_project(alice, db, "Shared", ["Cut cost"])
        base = show_project(alice, db, "Shared").version  # both open the project here
        set_goals(alice, db, "Shared", ["Cut cost", "Keep SLAs"], base_version=base)
        changed = show_project(bob, db, "Shared")
        last = history_of(db, "Shared")[-1]
        with pytest.raises(ProjectChanged) as e:
            import_workbook(bob, db, "Shared", SAMPLE, base_version=base)
        stamp = last.time.strftime("%Y-%m-%d %H:%M:%S")
        assert str(e.value) == (
            f"the project changed since you opened it (by alice at {stamp} UTC): reload"
        )
        after = show_project(bob, db, "Shared")
        assert after.version == changed.version  # nothing written
        assert after.versions == [] and after.goals == ["Cut cost", "Keep SLAs"]
        assert len(history_of(db, "Shared")) == 2
        # reloaded, bob's write goes through
        import_workbook(bob, db, "Shared", SAMPLE, base_version=after.version)
        assert len(show_project(bob, db, "Shared").versions) == 1


def history_of(db: Database, name: str) -> list[EventView]:
    return project_history(Actor("auditor"), db, name)
