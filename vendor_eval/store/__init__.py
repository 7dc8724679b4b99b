"""The database: engine and sessions, typed ORM models, Alembic migrations, the audit
chain, and the queries the projects stage runs. Knows rows, not rules (the projects stage
decides what may change).

Entry points: :func:`open_database` (a :class:`Database` with ``read()``/``write()``
transactions, failures as one :class:`~vendor_eval.core.problems.VendorEvalError`
sentence), :func:`make_engine` and :func:`session`, :func:`check_schema` and
:func:`upgrade`, :func:`append_event`, :func:`verify_chain` (the log's own integrity;
:mod:`vendor_eval.store.integrity` also replays it).
"""

from __future__ import annotations

from vendor_eval.store.audit import append_event, verify_chain
from vendor_eval.store.database import Database, open_database
from vendor_eval.store.engine import display_url, make_engine, session
from vendor_eval.store.errors import DuplicateName, StaleWrite
from vendor_eval.store.schema import check_schema, upgrade

__all__ = [
    "Database",
    "DuplicateName",
    "StaleWrite",
    "append_event",
    "check_schema",
    "display_url",
    "make_engine",
    "open_database",
    "session",
    "upgrade",
    "verify_chain",
]
