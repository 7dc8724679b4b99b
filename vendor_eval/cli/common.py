"""What every command shares: exit codes, the ``--db`` and ``--as`` options, aligned tables.

A table is for people who live in Excel: a header row, a rule, one row per record, columns
aligned (numbers to the right), every cell through
:func:`~vendor_eval.output.safety.terminal_text` so a name cannot move the cursor.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from vendor_eval.output.safety import terminal_text

if TYPE_CHECKING:  # the database layer loads SQLAlchemy: only when a command needs it
    from vendor_eval.projects.actor import Actor
    from vendor_eval.store.database import Database

EXIT_OK = 0
EXIT_UNEXPECTED = 1
EXIT_INVALID = 2

SubParsers = argparse._SubParsersAction  # the type add_subparsers returns


def add_db_option(p: argparse.ArgumentParser) -> None:
    """``--db URL``: which database (default: the environment, else the SQLite file)."""
    p.add_argument(
        "--db",
        metavar="URL",
        help="database URL (default: $VENDOR_EVAL_DATABASE_URL, else a SQLite file in your "
        "data folder; `db info` shows which)",
    )


def add_actor_option(p: argparse.ArgumentParser) -> None:
    """``--as NAME``: who acts, written into the audit log (default: the OS user name)."""
    p.add_argument(
        "--as",
        dest="actor",
        metavar="NAME",
        help="who is acting, as recorded in the project's history (default: your user name)",
    )


def add_common_options(p: argparse.ArgumentParser) -> None:
    """Both ``--db`` and ``--as``: every project and db command takes them."""
    add_db_option(p)
    add_actor_option(p)


def add_format_option(p: argparse.ArgumentParser, *choices: str) -> None:
    """``--format table|json|…`` (default: table)."""
    p.add_argument("--format", choices=["table", *choices], default="table", help="default: table")


def acting(args: argparse.Namespace) -> Actor:
    """The actor ``--as`` names (checked: non-blank, no control characters), else the OS user."""
    from vendor_eval.projects.actor import Actor, local_actor

    name = getattr(args, "actor", None)
    return local_actor() if name is None else Actor(name)


@contextmanager
def database(args: argparse.Namespace, *, check: bool = True) -> Iterator[Database]:
    """The database ``--db`` names, open for one command and closed afterwards.

    ``check=True`` refuses a database whose schema is not this vendor-eval's (missing,
    empty, older or newer), with the store's sentence.
    """
    from vendor_eval.store.database import open_database

    db = open_database(args.db, check=check)
    try:
        yield db
    finally:
        db.close()


def same_file(a: str, b: str | None) -> bool:
    """Whether paths ``a`` and ``b`` name one file (or would, once it exists)."""
    if not b:
        return False
    pa, pb = Path(a), Path(b)
    try:
        return pa.samefile(pb)
    except OSError:  # one of them does not exist (yet)
        return pa.resolve() == pb.resolve()


def database_files(db: Database) -> list[str]:
    """The files a SQLite database is made of (the file, its journal and write-ahead log):
    never a command's output. None for a server database."""
    path = db.sqlite_path
    return [] if path is None else [path, f"{path}-journal", f"{path}-wal", f"{path}-shm"]


def refuse_database_target(out: str | Path | None, db: Database, option: str = "--out") -> None:
    """Refuse (before anything is written) an output file that is the database itself."""
    if out is not None and any(same_file(str(out), f) for f in database_files(db)):
        from vendor_eval.core.problems import VendorEvalError

        raise VendorEvalError(f"{out} is the project's database: choose another name for {option}")


def is_terminal(stream: object) -> bool:
    """Whether ``stream`` is an interactive terminal (a closed or odd stream is not)."""
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except (OSError, ValueError):  # a closed or detached stream
        return False


def shown_time(time: datetime | None) -> str:
    """A time for a table: ``2026-12-01 09:30:00 UTC`` (``-`` when there is none)."""
    if time is None:
        return "-"
    if time.tzinfo is None:  # SQLite hands back naive UTC
        time = time.replace(tzinfo=UTC)
    return time.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def columns(
    headers: Sequence[str], rows: Sequence[Sequence[object]], *, right: Sequence[int] = ()
) -> str:
    """An aligned text table: headers, a rule of dashes, the rows (``right``: column indexes
    aligned to the right, for numbers). Every cell is shown inert, on one line."""
    from vendor_eval.output.text import aligned_table  # one home for the table layout

    return aligned_table(headers, rows, right=right)


def key_values(pairs: Sequence[tuple[str, object]]) -> str:
    """``label:  value`` lines with the values aligned (the head of ``project show``)."""
    width = max((len(k) for k, _ in pairs), default=0) + 1
    return "\n".join(f"{(k + ':').ljust(width)}  {terminal_text(v)}" for k, v in pairs)
