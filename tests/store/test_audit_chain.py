"""The audit log's hash chain and the rows it lives in, on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.exc import DatabaseError, IntegrityError

from vendor_eval.store.audit import (
    GENESIS,
    append_event,
    canonical_text,
    event_count,
    verify_chain,
)
from vendor_eval.store.engine import make_engine, session
from vendor_eval.store.errors import DuplicateName, StaleWrite
from vendor_eval.store.models import Event, Goal, Project, WorkbookVersion
from vendor_eval.store.schema import upgrade


@pytest.fixture
def engine(db_url):
    engine = make_engine(db_url)
    upgrade(engine)
    yield engine
    engine.dispose()


def _project(engine, name="IT 2027") -> int:
    with session(engine, write=True) as s:
        project = Project(name=name, goals=[Goal(position=1, text="cut run cost by 20 %")])
        s.add(project)
        s.flush()
        return project.id


def _append(engine, project_id, n, start=0):
    with session(engine, write=True) as s:
        for i in range(start, start + n):
            append_event(s, project_id, "alice", "import", f"v{i}", {"n": i, "name": "Ünïcode"})


def test_append_numbers_and_chains_events(engine):
    pid = _project(engine)
    _append(engine, pid, 3)
    with session(engine) as s:
        events = s.scalars(select(Event).where(Event.project_id == pid).order_by(Event.seq)).all()
        assert [e.seq for e in events] == [1, 2, 3]
        assert events[0].prev_hash == GENESIS
        assert [e.prev_hash for e in events[1:]] == [e.hash for e in events[:-1]]
        assert all(e.time.tzinfo is not None and e.time.utcoffset() == timedelta(0) for e in events)
        assert verify_chain(s, pid) is None
        assert event_count(s, pid) == 3


def test_the_hash_is_reproducible_from_the_documented_bytes(engine):
    pid = _project(engine)
    when = datetime(2026, 12, 1, 10, 30, 0, 123456, tzinfo=timezone(timedelta(hours=2)))
    with session(engine, write=True) as s:
        row = append_event(s, pid, "bob", "decide", "Acme", {"b": 1, "a": [1.5, "é"]}, time=when)
    canonical = (
        '{"action":"decide","actor":"bob","details":{"a":[1.5,"é"],"b":1},"seq":1,'
        '"subject":"Acme","time":"2026-12-01T08:30:00.123456Z"}'
    )
    expected = hashlib.sha256(("0" * 64 + canonical).encode("utf-8")).hexdigest()
    assert row.hash == expected
    assert row.details == '{"a":[1.5,"é"],"b":1}'
    with session(engine) as s:
        stored = s.scalars(select(Event)).one()
        assert stored.time == when  # same instant, read back as UTC
        assert stored.time.tzinfo == UTC
        assert verify_chain(s, pid) is None


def test_chains_are_per_project(engine):
    a, b = _project(engine, "A"), _project(engine, "B")
    _append(engine, a, 2)
    _append(engine, b, 1)
    _append(engine, a, 1, start=2)
    with session(engine) as s:
        assert s.scalars(select(Event.seq).where(Event.project_id == a)).all() == [1, 2, 3]
        assert s.scalars(select(Event.seq).where(Event.project_id == b)).all() == [1]
        assert verify_chain(s, a) is None and verify_chain(s, b) is None


def _forge(engine, sql, params):
    """Edit an event row behind the application's back (PostgreSQL: the table owner first
    switches the append-only trigger off, as an attacker with owner rights could)."""
    with engine.begin() as conn:
        postgres = conn.dialect.name == "postgresql"
        if postgres:
            conn.execute(text("ALTER TABLE events DISABLE TRIGGER events_append_only"))
        conn.execute(text(sql), params)
        if postgres:
            conn.execute(text("ALTER TABLE events ENABLE TRIGGER events_append_only"))


@pytest.mark.parametrize(
    ("sql", "bad"),
    [
        ("UPDATE events SET details = :v WHERE seq = 3", '{"n":99}'),
        ("UPDATE events SET actor = :v WHERE seq = 2", "mallory"),
        ("UPDATE events SET time = time WHERE seq = 4 AND :v = :v", None),  # untouched
        ("DELETE FROM events WHERE seq = 3 AND :v = :v", None),
        ("UPDATE events SET details = :v WHERE seq = 2", "not json"),
    ],
)
def test_a_forged_event_is_caught_naming_its_seq(engine, sql, bad):
    pid = _project(engine)
    _append(engine, pid, 5)
    _forge(engine, sql, {"v": bad if bad is not None else "x"})
    with session(engine) as s:
        found = verify_chain(s, pid)
    if "DELETE" in sql:
        assert found == 4  # the event after the gap
    elif bad is None:
        assert found is None
    else:
        assert found == int(sql.split("seq = ")[1][0])


def test_a_forged_chain_recomputed_from_the_edit_is_caught_at_the_edit(engine):
    """Rewriting an event and recomputing its own hash still breaks the next link."""
    pid = _project(engine)
    _append(engine, pid, 3)
    with session(engine) as s:
        e2 = s.scalars(select(Event).where(Event.seq == 2)).one()
        from vendor_eval.store.audit import event_hash, fields_of

        fields = fields_of(e2)
        forged = type(fields)(**{**fields.__dict__, "actor": "mallory"})
        new_hash = event_hash(e2.prev_hash, forged)
    _forge(engine, "UPDATE events SET actor = 'mallory', hash = :v WHERE seq = 2", {"v": new_hash})
    with session(engine) as s:
        assert verify_chain(s, pid) == 3


def test_postgresql_refuses_update_and_delete_on_events(postgres_url):
    engine = make_engine(postgres_url)
    try:
        upgrade(engine)
        pid = _project(engine)
        _append(engine, pid, 2)
        for sql in (
            "UPDATE events SET actor = 'mallory' WHERE seq = 1",
            "DELETE FROM events WHERE seq = 2",
            "TRUNCATE events",
        ):
            with pytest.raises(DatabaseError, match="append-only"), engine.begin() as conn:
                conn.execute(text(sql))
        with session(engine, write=True) as s:  # the ORM is refused too
            with pytest.raises(DatabaseError, match="append-only"):
                s.execute(update(Event).values(subject="x"))
            s.rollback()
        with session(engine) as s:
            assert event_count(s, pid) == 2
            assert verify_chain(s, pid) is None
    finally:
        engine.dispose()


def test_seq_is_unique_per_project(engine):
    pid = _project(engine)
    _append(engine, pid, 1)
    with pytest.raises(IntegrityError), session(engine, write=True) as s:
        s.add(Event(project_id=pid, seq=1, time=datetime.now(UTC), actor="a", action="x",
                    subject="", details="{}", prev_hash=GENESIS, hash=GENESIS))  # fmt: skip


def test_project_names_are_unique_trimmed_and_case_insensitive(engine):
    _project(engine, "  IT 2027 ")
    with session(engine) as s:
        project = s.scalars(select(Project)).one()
        assert (project.name, project.name_key, project.status) == ("IT 2027", "it 2027", "draft")
        assert [g.text for g in project.goals] == ["cut run cost by 20 %"]
        assert project.created_at.tzinfo == UTC
    with pytest.raises(DuplicateName, match="a project with that name already exists"):
        _project(engine, "it 2027")


def test_status_is_checked_by_the_database(engine):
    pid = _project(engine)
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(text("UPDATE projects SET status = 'won' WHERE id = :id"), {"id": pid})


def test_the_project_version_is_an_optimistic_lock(engine):
    pid = _project(engine)
    with session(engine) as s:
        stale = s.get(Project, pid)
        assert stale is not None and stale.version == 1
    with session(engine, write=True) as s:
        fresh = s.get(Project, pid)
        fresh.status = "scoring"
    with session(engine) as s:
        assert s.get(Project, pid).version == 2
    with (
        pytest.raises(StaleWrite, match="changed since you opened it"),
        session(engine, write=True) as s,
    ):
        s.merge(stale, load=False).status = "moderation"  # based on version 1
    with session(engine) as s:
        assert s.get(Project, pid).status == "scoring"


def test_a_workbook_version_is_stored_whole(engine):
    pid = _project(engine)
    data = bytes(range(256)) * 1000
    with session(engine, write=True) as s:
        s.add(WorkbookVersion(project_id=pid, seq=1, file_name="shortlist.xlsx",
                              sha256=hashlib.sha256(data).hexdigest(), size=len(data),
                              data=data, actor="alice"))  # fmt: skip
    with session(engine) as s:
        version = s.scalars(select(WorkbookVersion)).one()
        assert version.data == data and version.size == len(data)
        assert version.created_at.tzinfo == UTC


def test_naive_times_are_refused(engine):
    pid = _project(engine)
    with pytest.raises(Exception, match="naive datetime"), session(engine, write=True) as s:
        append_event(s, pid, "a", "x", "", {}, time=datetime(2026, 1, 1))


def test_canonical_text_is_canonical():
    assert (
        canonical_text({"b": 1, "a": {"d": [1, 2], "c": "é"}}) == '{"a":{"c":"é","d":[1,2]},"b":1}'
    )
    with pytest.raises(ValueError):
        canonical_text({"x": float("nan")})
    assert json.loads(canonical_text({"k": "v"})) == {"k": "v"}


def test_concurrent_writers_take_consecutive_seqs(engine):
    """Eight threads appending at once: no lock error reaches them, no seq is taken twice,
    and the chain verifies (SQLite: BEGIN IMMEDIATE; PostgreSQL: the project row lock)."""
    from concurrent.futures import ThreadPoolExecutor

    pid = _project(engine)

    def work(worker: int) -> None:
        for i in range(10):
            with session(engine, write=True) as s:
                append_event(s, pid, f"w{worker}", "import", f"v{i}", {"i": i})

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(work, range(8)))
    with session(engine) as s:
        seqs = s.scalars(select(Event.seq).where(Event.project_id == pid).order_by(Event.seq))
        assert list(seqs) == list(range(1, 81))
        assert verify_chain(s, pid) is None


def test_append_keeps_the_chain_head_and_bumps_the_version_once(engine):
    pid = _project(engine)
    with session(engine) as s:
        project = s.get(Project, pid)
        assert (project.event_count, project.last_hash, project.version) == (0, GENESIS, 1)
    _append(engine, pid, 1)
    with session(engine, write=True) as s:
        project = s.get(Project, pid)
        project.status = "scoring"  # the project's own change and its event: one version
        append_event(s, pid, "bob", "status", "IT 2027", {"from": "draft", "to": "scoring"})
    with session(engine) as s:
        project = s.get(Project, pid)
        newest = s.scalars(select(Event).where(Event.seq == 2)).one()
        assert (project.event_count, project.last_hash) == (2, newest.hash)
        assert (project.version, project.status) == (3, "scoring")
        assert verify_chain(s, project.id) is None


@pytest.mark.parametrize(
    ("sql", "found"),
    [
        ("DELETE FROM events WHERE seq >= 4", 4),  # the newest two: the chain still verifies
        ("DELETE FROM events", 1),
        ("UPDATE projects SET event_count = 4", 5),  # one more event than recorded
        (f"UPDATE projects SET last_hash = '{'a' * 64}'", 5),  # the newest event replaced
    ],
)
def test_the_head_check_catches_what_the_chain_cannot(engine, sql, found):
    pid = _project(engine)
    _append(engine, pid, 5)
    with engine.begin() as conn:
        postgres = conn.dialect.name == "postgresql"
        if postgres:
            conn.execute(text("ALTER TABLE events DISABLE TRIGGER events_append_only"))
        conn.execute(text(sql))
        if postgres:
            conn.execute(text("ALTER TABLE events ENABLE TRIGGER events_append_only"))
    with session(engine) as s:
        assert verify_chain(s, pid) == found  # the chain itself is intact: the head says


def test_upgrading_from_0001_fills_the_chain_head(db_url):
    engine = make_engine(db_url)
    try:
        upgrade(engine, "0001")
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO projects (id, name, name_key, status, version, created_at) "
                    "VALUES (1, 'A', 'a', 'draft', 1, CURRENT_TIMESTAMP), "
                    "(2, 'B', 'b', 'draft', 1, CURRENT_TIMESTAMP)"
                )
            )
            for seq, h in ((1, "1" * 64), (2, "2" * 64)):
                conn.execute(
                    text(
                        "INSERT INTO events (project_id, seq, time, actor, action, subject, "
                        "details, prev_hash, hash) VALUES (1, :seq, CURRENT_TIMESTAMP, 'a', "
                        "'x', '', '{}', :p, :h)"
                    ),
                    {"seq": seq, "p": GENESIS, "h": h},
                )
        upgrade(engine)
        with session(engine) as s:
            a, b = s.get(Project, 1), s.get(Project, 2)
            assert (a.event_count, a.last_hash, a.settings) == (2, "2" * 64, "{}")
            assert (b.event_count, b.last_hash, b.settings) == (0, GENESIS, "{}")
    finally:
        engine.dispose()


def test_a_details_text_stored_non_canonically_still_verifies(engine):
    """The quick check splices the stored details text in; text that means the same JSON
    but is spelt otherwise (spaces, key order) falls back to the full check and passes,
    while a changed value still fails."""
    pid = _project(engine)
    _append(engine, pid, 3)
    _forge(engine, "UPDATE events SET details = :v WHERE seq = 2",
           {"v": '{ "name": "Ünïcode",  "n": 1 }'})  # fmt: skip
    with session(engine) as s:
        assert verify_chain(s, pid) is None
    _forge(engine, "UPDATE events SET details = :v WHERE seq = 2",
           {"v": '{"n": 2, "name": "Ünïcode"}'})  # fmt: skip
    with session(engine) as s:
        assert verify_chain(s, pid) == 2


def test_the_quick_hash_is_the_documented_hash():
    from vendor_eval.store.audit import EventFields, event_hash
    from vendor_eval.store.integrity import _event_hash, format_time

    when = datetime(2026, 12, 1, 9, 30, 0, 5, tzinfo=UTC)
    for actor, subject, details in [
        ("alice", "IT 2027", {}),
        ('bo"b\\', "line\nbreak \u202e é 😀", {"z": [1.5, None, True], "a": {"q": "\u0000"}}),
    ]:
        fields = EventFields(7, when, actor, "decide", subject, details)

        quick = _event_hash(GENESIS, 7, format_time(when), actor, "decide", subject,
                            canonical_text(details))  # fmt: skip
        assert quick == event_hash(GENESIS, fields)
