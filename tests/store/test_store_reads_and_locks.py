"""Reads see one state of the database; a PostgreSQL writer waiting for a lock gives up with
one sentence, as a SQLite writer does after its busy timeout (docs/projects.md §1, §4)."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import create_engine, select, text

from vendor_eval.core.problems import VendorEvalError
from vendor_eval.projects import Actor, create_project, set_status, verify_project
from vendor_eval.store import engine as store_engine
from vendor_eval.store.audit import append_event, verify_chain
from vendor_eval.store.database import open_database
from vendor_eval.store.models import Event, Project
from vendor_eval.store.schema import upgrade

ALICE = Actor("alice")


@pytest.fixture
def db(db_url):
    with open_database(db_url, check=False) as opened:
        upgrade(opened.engine)
        yield opened


def test_a_read_sees_one_state_while_another_user_commits(db):
    """Under READ COMMITTED a verify that read the project row, then the chain, would see
    an event committed in between and call it tampering; a read transaction is a snapshot."""
    create_project(ALICE, db, "P")
    with db.read() as s:
        project = s.scalars(select(Project).where(Project.name == "P")).one()
        assert project.event_count == 1
        with db.write() as w:  # another user, committed while the read is open
            append_event(w, project.id, "bob", "settings", "P", {"before": {}, "after": {}})
        assert verify_chain(s, project.id) is None  # chain and recorded head agree
        events = s.scalars(select(Event.seq).where(Event.project_id == project.id)).all()
        assert list(events) == [1]  # the snapshot, not the newer event
    assert verify_project(ALICE, db, "P").ok
    with db.read() as s:
        assert s.scalar(select(Project.event_count).where(Project.name == "P")) == 2


def test_a_read_is_read_only_on_postgresql(postgres_url):
    """(SQLite has no read-only transactions; its reads are WAL snapshots.)"""
    with open_database(postgres_url, check=False) as db:
        upgrade(db.engine)
        create_project(ALICE, db, "P")
        with pytest.raises(VendorEvalError, match="read-only transaction"), db.read() as s:
            s.execute(text("UPDATE projects SET name = 'Q'"))


def test_a_postgresql_writer_waiting_for_a_lock_gives_up_with_one_sentence(
    postgres_url, monkeypatch
):
    monkeypatch.setattr(store_engine, "LOCK_TIMEOUT_S", 1.0)
    with open_database(postgres_url, check=False) as db:
        upgrade(db.engine)
        create_project(ALICE, db, "P")
        holder = create_engine(postgres_url)
        try:
            with holder.connect() as conn, conn.begin():
                conn.execute(text("SELECT id FROM projects WHERE name = 'P' FOR UPDATE"))
                started = time.monotonic()
                with pytest.raises(VendorEvalError) as caught:
                    set_status(ALICE, db, "P", "scoring")
                waited = time.monotonic() - started
        finally:
            holder.dispose()
        message = str(caught.value)
        assert message.startswith("the PostgreSQL database postgresql+psycopg://")
        assert message.endswith("stayed locked by another session for more than 1 s: try again")
        assert ":***@" in message and "\n" not in message
        assert 0.9 < waited < 8
        # nothing was written, and the project is usable once the lock is gone
        assert verify_project(ALICE, db, "P").events == 1
        set_status(ALICE, db, "P", "scoring")
        assert verify_project(ALICE, db, "P").events == 2
