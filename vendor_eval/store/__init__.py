"""The database: engine and sessions, typed ORM models, Alembic migrations, the audit
chain. Knows rows, not rules (the projects stage decides what may change).

Entry points: :func:`make_engine` and :func:`session` (one transaction per command, failures
as one :class:`~vendor_eval.core.problems.VendorEvalError` sentence), :func:`check_schema`
and :func:`upgrade`, :func:`append_event` and :func:`verify_chain`.
"""

from __future__ import annotations

from vendor_eval.store.audit import append_event, verify_chain
from vendor_eval.store.engine import display_url, make_engine, session
from vendor_eval.store.schema import check_schema, upgrade

__all__ = [
    "append_event",
    "check_schema",
    "display_url",
    "make_engine",
    "session",
    "upgrade",
    "verify_chain",
]
