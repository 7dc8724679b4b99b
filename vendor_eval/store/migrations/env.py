"""Alembic's environment: runs on the connection :mod:`vendor_eval.store.schema` passes in
``config.attributes["connection"]`` (never a URL from a file)."""

from __future__ import annotations

from alembic import context

from vendor_eval.store.models import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through vendor_eval.store.schema (vendor-eval db upgrade)")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite's ALTER TABLE is limited
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
