"""Alembic migrations, shipped in the package and configured in code (no alembic.ini):
:func:`vendor_eval.store.schema.upgrade` runs them."""
