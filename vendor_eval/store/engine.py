"""Which database, how to connect to it, and the one place its failures become sentences.

The URL comes from an explicit argument (``--db URL``), else the environment variable
``VENDOR_EVAL_DATABASE_URL``, else a SQLite file ``vendor_eval.sqlite3`` in the user's data
directory (``platformdirs.user_data_dir("vendor_eval")``, created on first use).

SQLite connections run in WAL mode with a 10 s busy timeout and foreign keys on, set on
every new connection. A write session starts with ``BEGIN IMMEDIATE`` so that two writers
queue for the lock instead of failing halfway with "database is locked". PostgreSQL is
reached through psycopg 3 (``postgresql+psycopg://user:password@host/db``).

A password is never shown: :func:`display_url` renders the URL with ``***`` in its place,
and every error message goes through it.
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import platformdirs
import psycopg
from sqlalchemy import Engine, create_engine, event, exc
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from vendor_eval.core.problems import VendorEvalError
from vendor_eval.store.errors import DuplicateName, StaleWrite

ENV_URL = "VENDOR_EVAL_DATABASE_URL"
DEFAULT_FILE = "vendor_eval.sqlite3"
#: How long a SQLite connection waits for another writer before giving up, in seconds.
BUSY_TIMEOUT_S = 10.0
#: How long a PostgreSQL connection attempt may take, in seconds.
CONNECT_TIMEOUT_S = 10
#: How long a PostgreSQL statement waits for another transaction's lock, in seconds.
LOCK_TIMEOUT_S = BUSY_TIMEOUT_S
_BEGIN_OPTION = "vendor_eval_begin"
#: Query parameters that hold a secret (libpq's password, sslpassword, …): shown as ***.
_SECRET_QUERY = re.compile(r"pass|secret|token|key", re.IGNORECASE)


def default_url() -> URL:
    """The embedded database: a SQLite file in the user's data directory."""
    folder = Path(platformdirs.user_data_dir("vendor_eval", appauthor=False))
    return URL.create("sqlite", database=str(folder / DEFAULT_FILE))


def resolve_url(url: str | URL | None = None) -> URL:
    """The database URL: ``url`` if given, else ``$VENDOR_EVAL_DATABASE_URL``, else the default.

    A bare ``postgresql://`` URL is taken to mean psycopg 3, the driver vendor-eval ships.
    """
    chosen: str | URL | None = url if url else os.environ.get(ENV_URL) or None
    if chosen is None:
        return default_url()
    try:
        parsed = make_url(chosen)
    except (exc.ArgumentError, ValueError):  # ValueError: a port that is not a number
        # the text itself may hold a password: name the problem, not the text
        raise VendorEvalError(
            "the database URL is not a URL (expected e.g. sqlite:///path/to/file.sqlite3 or "
            "postgresql+psycopg://user:password@host/database)"
        ) from None
    if parsed.host and "@" in parsed.host:
        # "u:p@rest@host": the rest of the password would be shown (and used) as the host
        raise VendorEvalError(
            "the database URL has an @ in its host name: write an @ inside the password "
            "as %40 (postgresql+psycopg://user:pass%40word@host/database)"
        )
    if parsed.drivername in {"postgresql", "postgres"}:
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() not in {"sqlite", "postgresql"}:
        raise VendorEvalError(
            f"{display_url(parsed)}: unsupported database (use sqlite:///FILE or "
            "postgresql+psycopg://…)"
        )
    if parsed.get_backend_name() == "postgresql" and parsed.get_driver_name() != "psycopg":
        raise VendorEvalError(
            f"{display_url(parsed)}: use the psycopg driver (postgresql+psycopg://…)"
        )
    return parsed


def display_url(url: str | URL) -> str:
    """The URL as text with its password replaced by ``***`` (safe to print and log)."""
    try:
        parsed = make_url(url)
    except (exc.ArgumentError, ValueError):
        return "(an invalid database URL)"
    if parsed.host and "@" in parsed.host:  # part of a password with an unescaped @
        parsed = parsed.set(host="***")
    secret = {k: "***" for k in parsed.query if _SECRET_QUERY.search(k)}
    if secret:  # libpq also takes password=… and sslpassword=… as query parameters
        parsed = parsed.update_query_dict(secret)
    return parsed.render_as_string(hide_password=True)


def backend(url: URL) -> str:
    """``"sqlite"`` or ``"postgresql"``."""
    return url.get_backend_name()


def sqlite_path(url: URL) -> Path | None:
    """The file of a SQLite URL, or None for an in-memory database."""
    if backend(url) != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database)


def _prepare_sqlite_file(url: URL) -> None:
    path = sqlite_path(url)
    if path is None:
        return
    folder = path.parent
    if url == default_url():
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise VendorEvalError(
                f"cannot create the folder for the database {path}: {e.strerror or e}"
            ) from None
    if not folder.exists():
        raise VendorEvalError(
            f"the database {path} cannot be created: the folder {folder} does not exist"
        )
    if not folder.is_dir():
        raise VendorEvalError(f"the database {path} cannot be created: {folder} is not a folder")
    if path.is_dir():
        raise VendorEvalError(f"the database {path} is a folder, not a database file")
    if not path.exists() and not os.access(folder, os.W_OK | os.X_OK):
        raise VendorEvalError(
            f"the database {path} cannot be created: the folder {folder} is not writable"
        )
    if path.exists() and not os.access(path, os.R_OK):
        raise VendorEvalError(f"the database {path} cannot be read: permission denied")


def _on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # the driver's own transaction handling off: BEGIN is emitted in _on_sqlite_begin
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")  # safe in WAL mode
    finally:
        cursor.close()


def _on_sqlite_begin(conn: Any) -> None:
    mode = conn.get_execution_options().get(_BEGIN_OPTION, "DEFERRED")
    conn.exec_driver_sql(f"BEGIN {mode}")


def make_engine(url: str | URL | None = None) -> Engine:
    """An engine for the database :func:`resolve_url` picks (no connection is made yet)."""
    resolved = resolve_url(url)
    if backend(resolved) == "sqlite":
        _prepare_sqlite_file(resolved)
        engine = create_engine(resolved, connect_args={"timeout": BUSY_TIMEOUT_S})
        event.listen(engine, "connect", _on_sqlite_connect)
        event.listen(engine, "begin", _on_sqlite_begin)
        return engine
    return create_engine(
        resolved,
        pool_pre_ping=True,
        connect_args={
            "connect_timeout": CONNECT_TIMEOUT_S,
            "application_name": "vendor-eval",
            # a writer waiting for another's row lock gives up as SQLite's busy timeout does
            "options": f"-c lock_timeout={int(LOCK_TIMEOUT_S * 1000)}",
        },
    )


def _first_line(error: BaseException) -> str:
    text = str(getattr(error, "orig", None) or error).strip()
    return text.splitlines()[0].strip() if text else type(error).__name__


def database_error(engine_or_url: Engine | URL, error: BaseException) -> VendorEvalError:
    """One sentence naming the database (password hidden) for a driver or SQLAlchemy error."""
    url = engine_or_url.url if isinstance(engine_or_url, Engine) else engine_or_url
    shown = display_url(url)
    detail = _first_line(error)
    secrets = [str(url.password)] if url.password else []
    secrets += [str(v) for k, v in url.query.items() if _SECRET_QUERY.search(k) and v]
    for secret in secrets:  # a driver message should never echo one; make sure
        detail = detail.replace(secret, "***")
    low = detail.lower()
    if backend(url) == "sqlite":
        path = sqlite_path(url) or shown
        if "not a database" in low or "malformed" in low:
            return VendorEvalError(
                f"the database {path} is not a vendor-eval database or is damaged"
            )
        if "locked" in low or "busy" in low:
            return VendorEvalError(
                f"the database {path} stayed locked by another program for more than "
                f"{BUSY_TIMEOUT_S:g} s: try again"
            )
        if "disk is full" in low or "database or disk is full" in low:
            return VendorEvalError(f"the database {path} cannot be written: the disk is full")
        if "readonly" in low or "read-only" in low:
            return VendorEvalError(f"the database {path} cannot be written: it is read-only")
        if "unable to open" in low:
            if isinstance(path, Path) and not path.exists():
                return VendorEvalError(
                    f"the database {path} cannot be created: the folder {path.parent} is not "
                    "writable"
                )
            return VendorEvalError(f"the database {path} cannot be opened: {detail}")
        return VendorEvalError(f"the database {path} failed: {detail}")
    if getattr(getattr(error, "orig", error), "sqlstate", None) == "55P03":  # lock_not_available
        return VendorEvalError(
            f"the PostgreSQL database {shown} stayed locked by another session for more than "
            f"{LOCK_TIMEOUT_S:g} s: try again"
        )
    if "password authentication failed" in low or "no password supplied" in low:
        return VendorEvalError(
            f"cannot sign in to the PostgreSQL database {shown}: wrong user name or password"
        )
    if isinstance(error, exc.OperationalError | psycopg.OperationalError) and (
        "connect" in low or "connection" in low or "timeout" in low or "resolve" in low
    ):
        return VendorEvalError(f"cannot reach the PostgreSQL database {shown}: {detail}")
    return VendorEvalError(f"the PostgreSQL database {shown} failed: {detail}")


_DRIVER_ERRORS = (exc.OperationalError, exc.DatabaseError, sqlite3.Error, psycopg.Error)


@contextmanager
def connect(engine: Engine) -> Iterator[Any]:
    """A connection in a transaction (committed on success); database failures become one
    :class:`~vendor_eval.core.problems.VendorEvalError` sentence naming the database."""
    try:
        with engine.begin() as conn:
            yield conn
    except exc.IntegrityError:  # a broken constraint is the caller's to explain
        raise
    except _DRIVER_ERRORS as e:
        raise database_error(engine, e) from None


@contextmanager
def session(engine: Engine, *, write: bool = False, snapshot: bool = False) -> Iterator[Session]:
    """One ORM session and transaction per command (``with session(engine) as s: …``).

    Committed when the block ends, rolled back if it raises. ``write=True`` takes SQLite's
    write lock at the start (``BEGIN IMMEDIATE``), so concurrent writers wait their turn.
    ``snapshot=True`` (a read: :meth:`Database.read`) sees one consistent state throughout:
    SQLite's WAL snapshot, PostgreSQL's REPEATABLE READ, read-only.

    An UPDATE refused by a row's optimistic version becomes :class:`StaleWrite`, a second
    project with the same name key :class:`DuplicateName`; any other broken constraint is
    raised as it is (the caller's to explain).
    """
    bind: Engine = engine
    if write:
        bind = engine.execution_options(**{_BEGIN_OPTION: "IMMEDIATE"})
    elif snapshot and backend(engine.url) == "postgresql":
        # one state of the database throughout, as SQLite's WAL snapshot gives: a verify or
        # a show must not mix rows from before and after someone else's commit
        bind = engine.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
    try:
        with Session(bind, expire_on_commit=False) as s, s.begin():
            yield s
    except StaleDataError:
        raise StaleWrite(STALE_WRITE) from None
    except exc.IntegrityError as e:
        if _is_duplicate_name(e):
            raise DuplicateName(DUPLICATE_NAME) from None
        raise
    except _DRIVER_ERRORS as e:
        raise database_error(engine, e) from None


STALE_WRITE = "the project changed since you opened it: reload"
DUPLICATE_NAME = "a project with that name already exists"


def _is_duplicate_name(error: exc.IntegrityError) -> bool:
    """The unique project-name key was broken (PostgreSQL names the constraint, SQLite the
    column)."""
    text = str(error.orig)
    return "uq_projects_name_key" in text or "projects.name_key" in text
