"""Shared by the tests/projects modules: a migrated database on each backend, workbooks
built with openpyxl, and raw access to the rows behind the service's back."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from conftest import xlsx as xlsx  # re-exported for tests/projects
from sqlalchemy import text

from vendor_eval.projects import Actor
from vendor_eval.store import make_engine, upgrade
from vendor_eval.store.database import Database, open_database

ALICE = Actor("alice")
BOB = Actor("bob")


@contextmanager
def migrated(url: str) -> Iterator[Database]:
    """The database at ``url`` upgraded to head, opened with the schema check."""
    engine = make_engine(url)
    try:
        upgrade(engine)
    finally:
        engine.dispose()
    with open_database(url) as db:
        yield db


def scalar(db: Database, sql: str, **params: Any) -> Any:
    with db.engine.connect() as conn:
        return conn.execute(text(sql), params).scalar()


def execute(db: Database, sql: str, **params: Any) -> None:
    """Run ``sql`` as the table owner, the append-only trigger switched off on PostgreSQL
    (what an attacker with owner rights could do)."""
    with db.engine.begin() as conn:
        postgres = conn.dialect.name == "postgresql"
        if postgres:
            conn.execute(text("ALTER TABLE events DISABLE TRIGGER events_append_only"))
        conn.execute(text(sql), params)
        if postgres:
            conn.execute(text("ALTER TABLE events ENABLE TRIGGER events_append_only"))


def counts(db: Database) -> dict[str, int]:
    """Rows per table: what a refused call must leave as it was."""
    tables = ("projects", "goals", "workbook_versions", "events", "scenarios", "decisions")
    return {t: int(scalar(db, f"SELECT COUNT(*) FROM {t}")) for t in tables}
