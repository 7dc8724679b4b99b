"""The database schema's revision: what the database has, what this code knows, and the
upgrade between them. Nothing upgrades implicitly: :func:`check_schema` refuses a database
that is empty, older or newer than this code, and only :func:`upgrade` (``vendor-eval db
upgrade``) migrates.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from vendor_eval.core.problems import VendorEvalError
from vendor_eval.store.engine import connect, display_url

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config() -> Config:
    """Alembic's configuration, built in code: the migrations shipped in the package."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("path_separator", "os")
    return config


def _scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    """The newest schema revision this code knows."""
    head = _scripts().get_current_head()
    if head is None:  # pragma: no cover - the package always ships its first migration
        raise RuntimeError("no migrations found")
    return head


def known_revisions() -> set[str]:
    """Every schema revision this code knows."""
    return {rev.revision for rev in _scripts().walk_revisions()}


def current_revision(engine: Engine) -> str | None:
    """The database's schema revision, or None for a database without vendor-eval tables."""
    with connect(engine) as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> tuple[str | None, str]:
    """Migrate the database to ``revision`` (default the newest); returns (before, after).

    A database newer than this code is refused, as in :func:`check_schema`.
    """
    before = current_revision(engine)
    if before is not None and before not in known_revisions():
        raise _newer(engine, before)
    config = alembic_config()
    with connect(engine) as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, revision)
    return before, current_revision(engine) or ""


def _newer(engine: Engine, revision: str) -> VendorEvalError:
    return VendorEvalError(
        f"the database {display_url(engine.url)} was written by a newer vendor-eval "
        f"(schema {revision}; this one knows up to {head_revision()}): upgrade vendor-eval"
    )


def check_schema(engine: Engine) -> str:
    """The database's revision if it is exactly this code's; else one sentence saying why not.

    Empty or older: "… needs `vendor-eval db upgrade`". Newer: "… was written by a newer
    vendor-eval (schema X); upgrade vendor-eval".
    """
    current = current_revision(engine)
    head = head_revision()
    shown = display_url(engine.url)
    if current == head:
        return head
    if current is None:
        raise VendorEvalError(
            f"the database {shown} has no vendor-eval tables yet: it needs `vendor-eval db upgrade`"
        )
    if current not in known_revisions():
        raise _newer(engine, current)
    raise VendorEvalError(
        f"the database {shown} has an older schema ({current}, this vendor-eval uses {head}): "
        "it needs `vendor-eval db upgrade`"
    )
