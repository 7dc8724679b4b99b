"""Which database, the SQLite connection settings, and failures as one sentence naming the
database with its password hidden."""

from __future__ import annotations

import os
import socket
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from vendor_eval.core.problems import VendorEvalError
from vendor_eval.store import engine as store_engine
from vendor_eval.store.engine import (
    ENV_URL,
    connect,
    display_url,
    make_engine,
    resolve_url,
    session,
)
from vendor_eval.store.schema import current_revision, upgrade


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    folder = tmp_path / "data" / "vendor_eval"
    monkeypatch.setattr(store_engine.platformdirs, "user_data_dir", lambda *a, **k: str(folder))
    monkeypatch.delenv(ENV_URL, raising=False)
    return folder


def test_url_explicit_then_environment_then_default(data_dir, monkeypatch):
    assert resolve_url(None).database == str(data_dir / "vendor_eval.sqlite3")
    monkeypatch.setenv(ENV_URL, "sqlite:////srv/env.sqlite3")
    assert resolve_url(None).database == "/srv/env.sqlite3"
    assert resolve_url("sqlite:////srv/arg.sqlite3").database == "/srv/arg.sqlite3"


def test_the_default_database_is_created_on_first_use(data_dir):
    assert not data_dir.exists()
    engine = make_engine()
    try:
        upgrade(engine)
    finally:
        engine.dispose()
    assert (data_dir / "vendor_eval.sqlite3").is_file()


def test_postgresql_means_psycopg():
    assert resolve_url("postgresql://u:p@h/db").drivername == "postgresql+psycopg"
    with pytest.raises(VendorEvalError, match="psycopg driver"):
        resolve_url("postgresql+psycopg2://u:p@h/db")
    with pytest.raises(VendorEvalError, match="unsupported database"):
        resolve_url("mysql://u:p@h/db")


def test_an_invalid_url_is_not_echoed():
    with pytest.raises(VendorEvalError) as e:
        resolve_url("not a url :: s3cret")
    assert "s3cret" not in str(e.value)


def test_display_url_hides_the_password():
    shown = display_url("postgresql+psycopg://alice:s3cr%40t@db.example:5432/evals")
    assert shown == "postgresql+psycopg://alice:***@db.example:5432/evals"
    assert display_url("sqlite:////tmp/x.sqlite3") == "sqlite:////tmp/x.sqlite3"


def test_sqlite_runs_in_wal_with_busy_timeout_and_foreign_keys(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    try:
        for _ in range(2):  # every connection, not only the first
            with engine.connect() as conn:
                assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
                assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10_000
                assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            engine.dispose()
    finally:
        engine.dispose()


def test_sqlite_enforces_foreign_keys(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    try:
        upgrade(engine)
        with pytest.raises(Exception, match="FOREIGN KEY"), connect(engine) as conn:
            conn.execute(text("INSERT INTO goals (project_id, position, text) VALUES (42, 1, 'x')"))
    finally:
        engine.dispose()


def test_a_text_file_is_not_a_database(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("these are my notes, not a database\n" * 50)
    engine = make_engine(f"sqlite:///{path}")
    try:
        with pytest.raises(VendorEvalError) as e:
            current_revision(engine)
    finally:
        engine.dispose()
    assert str(e.value) == f"the database {path} is not a vendor-eval database or is damaged"


def test_a_folder_that_is_a_file(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(VendorEvalError, match=r"cannot be created: .*file is not a folder"):
        make_engine(f"sqlite:///{tmp_path / 'file' / 'db.sqlite3'}")


def test_a_missing_folder(tmp_path):
    with pytest.raises(
        VendorEvalError, match=r"cannot be created: the folder .*missing does not exist"
    ):
        make_engine(f"sqlite:///{tmp_path / 'missing' / 'db.sqlite3'}")


def test_an_unwritable_folder(tmp_path, monkeypatch):
    # the permission check itself (as root, chmod cannot make a folder unwritable)
    folder = tmp_path / "ro"
    folder.mkdir()
    real_access = os.access
    monkeypatch.setattr(
        os, "access", lambda p, mode: False if str(p) == str(folder) else real_access(p, mode)
    )
    with pytest.raises(VendorEvalError, match=r"cannot be created: the folder .* not writable"):
        make_engine(f"sqlite:///{folder / 'db.sqlite3'}")


def test_a_folder_nobody_can_write_into():
    """Even root cannot create a file in /proc: SQLite's own refusal becomes the sentence."""
    engine = make_engine("sqlite:////proc/vendor_eval_test.sqlite3")
    try:
        with pytest.raises(VendorEvalError) as e:
            current_revision(engine)
    finally:
        engine.dispose()
    assert str(e.value) == (
        "the database /proc/vendor_eval_test.sqlite3 cannot be created: the folder /proc is "
        "not writable"
    )


def test_a_database_locked_too_long(tmp_path, monkeypatch):
    monkeypatch.setattr(store_engine, "BUSY_TIMEOUT_S", 0.2)
    path = tmp_path / "x.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    holder = sqlite3.connect(path, isolation_level=None)
    try:
        upgrade(engine)
        holder.execute("BEGIN IMMEDIATE")  # another program holds the write lock
        with pytest.raises(VendorEvalError) as e, session(engine, write=True) as s:
            s.execute(text("SELECT 1"))
        assert str(e.value) == (
            f"the database {path} stayed locked by another program for more than 0.2 s: try again"
        )
    finally:
        holder.close()
        engine.dispose()


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_an_unreachable_postgresql_server():
    url = f"postgresql+psycopg://alice:s3cret-pw@127.0.0.1:{_closed_port()}/evals"
    engine = make_engine(url)
    try:
        with pytest.raises(VendorEvalError) as e:
            current_revision(engine)
    finally:
        engine.dispose()
    message = str(e.value)
    assert message.startswith(
        "cannot reach the PostgreSQL database postgresql+psycopg://alice:***@"
    )
    assert "s3cret-pw" not in message
    assert "\n" not in message


def test_a_wrong_postgresql_password(postgres_url):
    from sqlalchemy.engine import make_url

    url = make_url(postgres_url).set(password="wrong-pw-123")
    engine = make_engine(url)
    try:
        with pytest.raises(VendorEvalError) as e:
            current_revision(engine)
    finally:
        engine.dispose()
    assert str(e.value).startswith("cannot sign in to the PostgreSQL database")
    assert "wrong-pw-123" not in str(e.value)


def test_session_commits_or_rolls_back(db_url):
    engine = make_engine(db_url)
    try:
        upgrade(engine)
        with session(engine, write=True) as s:
            s.execute(
                text(
                    "INSERT INTO projects (name, name_key, status, version, created_at) "
                    "VALUES ('A', 'a', 'draft', 1, CURRENT_TIMESTAMP)"
                )
            )
        with pytest.raises(RuntimeError), session(engine, write=True) as s:
            s.execute(
                text(
                    "INSERT INTO projects (name, name_key, status, version, created_at) "
                    "VALUES ('B', 'b', 'draft', 1, CURRENT_TIMESTAMP)"
                )
            )
            raise RuntimeError("boom")
        with session(engine) as s:
            assert s.execute(text("SELECT name FROM projects")).scalars().all() == ["A"]
    finally:
        engine.dispose()


def test_no_database_file_is_created_by_resolving(tmp_path):
    resolve_url(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    assert not Path(tmp_path / "x.sqlite3").exists()
