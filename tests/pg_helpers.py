"""PostgreSQL helpers shared by the test fixtures."""

from __future__ import annotations

import time

from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import ProgrammingError

__all__ = ["drop_database"]


def drop_database(admin: Engine, name: str, *, attempts: int = 50) -> None:
    """``DROP DATABASE IF EXISTS name WITH (FORCE)`` on an AUTOCOMMIT ``admin`` engine,
    tried again for a moment while a backend of another role is still on it (an autovacuum
    worker on a busy server: terminating it needs pg_signal_backend, which the test role
    has not; it leaves by itself)."""
    for attempt in range(attempts):
        try:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            return
        except ProgrammingError as e:
            if "pg_signal_backend" not in str(e) or attempt == attempts - 1:
                raise
            time.sleep(0.1)
