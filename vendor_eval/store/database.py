"""One opened database: the engine, its sessions, and how it is shown.

:func:`open_database` is what the projects stage, the CLI and the dashboard call::

    with open_database(url) as db:          # check=True: refuses a schema not exactly ours
        with db.write() as s:                # one transaction; BEGIN IMMEDIATE on SQLite
            ...

Reads and writes go through :meth:`Database.read` and :meth:`Database.write`, so every
failure is one :class:`~vendor_eval.core.problems.VendorEvalError` sentence naming the
database with its password hidden (:func:`vendor_eval.store.engine.session`).
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from types import TracebackType

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from vendor_eval.core.problems import VendorEvalError
from vendor_eval.store.engine import (
    backend,
    default_url,
    display_url,
    make_engine,
    resolve_url,
    session,
    sqlite_path,
)
from vendor_eval.store.schema import check_schema

__all__ = ["Database", "Session", "open_database"]


class Database:
    """A database vendor-eval works on: wraps an :class:`~sqlalchemy.Engine`.

    Usable as a context manager (closes its connections on leaving).
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @property
    def url_text(self) -> str:
        """The URL with its password replaced by ``***`` (safe to show)."""
        return display_url(self.engine.url)

    @property
    def backend(self) -> str:
        """``"sqlite"`` or ``"postgresql"``."""
        return backend(self.engine.url)

    @property
    def sqlite_path(self) -> str | None:
        """The SQLite database file's path (None for another backend or an in-memory
        database): where a file that belongs to the database (its score-sheet key) lives."""
        url = self.engine.url
        if self.backend != "sqlite" or not url.database or url.database == ":memory:":
            return None
        return str(url.database)

    def read(self) -> AbstractContextManager[Session]:
        """A read-only transaction that sees one state of the database throughout
        (``with db.read() as s: …``): a verify or a show never mixes rows from before and
        after another user's commit."""
        return session(self.engine, snapshot=True)

    def write(self) -> AbstractContextManager[Session]:
        """A write transaction, committed when the block ends and rolled back if it raises;
        on SQLite it takes the write lock at the start, so concurrent writers queue."""
        return session(self.engine, write=True)

    def check(self) -> str:
        """The schema revision, if it is exactly this code's; else the sentence why not."""
        return check_schema(self.engine)

    def close(self) -> None:
        """Close the pooled connections (the object can still open new ones)."""
        self.engine.dispose()

    def __enter__(self) -> Database:
        return self

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _value: BaseException | None,
        _tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Database({self.url_text!r})"


def open_database(url: str | None = None, *, check: bool = True) -> Database:
    """The database ``url`` names (else ``$VENDOR_EVAL_DATABASE_URL``, else the default
    SQLite file), see :func:`vendor_eval.store.engine.resolve_url`.

    With ``check`` (the default) a SQLite file that does not exist is refused without
    creating it, and a database whose schema is not exactly this code's is
    refused with the sentence :func:`vendor_eval.store.schema.check_schema` gives (empty or
    older: "needs `vendor-eval db upgrade`"; newer: "upgrade vendor-eval").
    """
    resolved = resolve_url(url)
    path = sqlite_path(resolved)
    if check and path is not None and not path.exists():
        # checking must not create it: an empty file would be left behind by a typo
        if not path.parent.is_dir() and resolved != default_url():
            raise VendorEvalError(
                f"the database {path} does not exist, nor does its folder {path.parent}"
            )
        raise VendorEvalError(
            f"the database {path} does not exist yet: `vendor-eval db upgrade` creates it"
        )
    db = Database(make_engine(resolved))
    if check:
        try:
            db.check()
        except BaseException:
            db.close()
            raise
    return db
