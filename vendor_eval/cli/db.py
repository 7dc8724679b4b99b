"""``db info|upgrade|backup|restore``: the database that keeps the evaluation projects.

Only ``db upgrade`` creates or migrates a schema (and ``db restore`` into an empty database,
which must first get the tables to restore into); every other command refuses a database
that is not at this vendor-eval's schema, with the store's sentence.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from vendor_eval.cli.common import (
    EXIT_OK,
    SubParsers,
    add_common_options,
    add_format_option,
    database,
)
from vendor_eval.output.safety import terminal_text

if TYPE_CHECKING:  # the store loads SQLAlchemy: only when a command needs it
    from vendor_eval.store.backup import BackupSummary


def add_commands(sub: SubParsers[argparse.ArgumentParser]) -> None:
    """``db`` and its four sub-commands."""
    p = sub.add_parser(
        "db",
        help="the projects database: show it, upgrade its schema, back it up, restore it",
        description="The database that keeps evaluation projects: SQLite by default, "
        "PostgreSQL with --db postgresql+psycopg://user:password@host/database.",
    )
    db = p.add_subparsers(
        dest="db_command",
        metavar="DB_COMMAND",
        required=True,
        help="info, upgrade, backup or restore",
    )
    q = db.add_parser(
        "info",
        help="which database, its backend and schema revision",
        description="Show the database URL (password hidden), its backend, its schema "
        "revision and the one this vendor-eval uses, and the number of projects.",
    )
    add_common_options(q)
    add_format_option(q, "json")
    q = db.add_parser(
        "upgrade",
        help="create or migrate the database schema to this vendor-eval's",
        description="Create the tables in an empty database, or migrate an older schema to "
        "the one this vendor-eval uses. Nothing else upgrades a database.",
    )
    add_common_options(q)
    q = db.add_parser(
        "backup",
        help="write every project to a portable archive file",
        description="Write a portable archive (a zip file) of every project: its workbook "
        "versions, settings, scenarios, decisions and the whole audit log with its hashes. "
        "The file appears whole or not at all.",
    )
    q.add_argument("file", metavar="FILE", help="the archive to write (e.g. projects.zip)")
    add_common_options(q)
    add_format_option(q, "json")
    q = db.add_parser(
        "restore",
        help="read a backup archive into an empty database",
        description="Read an archive written by `db backup` into an empty database (SQLite "
        "or PostgreSQL, either way round). Every file and every project's hash chain is "
        "checked first; a database that already holds projects is refused.",
    )
    q.add_argument("file", metavar="FILE", help="the archive written by `db backup`")
    add_common_options(q)
    add_format_option(q, "json")


def cmd_db_info(args: argparse.Namespace) -> int:
    from vendor_eval.output.text import to_json
    from vendor_eval.store.info import database_info

    info = database_info(args.db)
    if args.format == "json":
        print(to_json(info))
        return EXIT_OK
    state = {
        "missing": "not created yet (`vendor-eval db upgrade` creates it)",
        "empty": "no vendor-eval tables (`vendor-eval db upgrade` creates them)",
        "older": "older than this vendor-eval (`vendor-eval db upgrade` migrates it)",
        "current": "up to date",
        "newer": "written by a newer vendor-eval: upgrade vendor-eval",
    }[info["state"]]
    print(f"database: {terminal_text(info['url'])}")
    print(f"backend:  {info['backend']}")
    print(f"schema:   {info['schema'] or '-'} (this vendor-eval: {info['head']}) — {state}")
    if info["projects"] is not None:
        print(f"projects: {info['projects']}")
    return EXIT_OK


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    from vendor_eval.store.engine import display_url, make_engine
    from vendor_eval.store.schema import upgrade

    engine = make_engine(args.db)
    try:
        before, after = upgrade(engine)
    finally:
        engine.dispose()
    shown = terminal_text(display_url(engine.url))
    if before == after:
        print(f"{shown}: already at schema {after}")
    else:
        print(f"{shown}: upgraded schema {before or '(empty)'} → {after}")
    return EXIT_OK


def _print_summary(summary: BackupSummary, fmt: str) -> None:
    """The backup's or restore's summary: one sentence, or ``--format json`` its
    ``to_dict()`` (action, path, database with the password hidden, projects, versions,
    events, size in bytes)."""
    if fmt == "json":
        from vendor_eval.output.text import to_json

        print(to_json(summary.to_dict()))
    else:
        print(terminal_text(summary.describe()))


def cmd_db_backup(args: argparse.Namespace) -> int:
    from vendor_eval.store.backup import backup

    with database(args) as db:
        summary = backup(db, args.file)
    _print_summary(summary, args.format)
    return EXIT_OK


def cmd_db_restore(args: argparse.Namespace) -> int:
    from vendor_eval.store.backup import restore

    with database(args, check=False) as db:  # restore checks the schema itself
        summary = restore(db, args.file)
    _print_summary(summary, args.format)
    return EXIT_OK


DB_COMMANDS = {
    "info": cmd_db_info,
    "upgrade": cmd_db_upgrade,
    "backup": cmd_db_backup,
    "restore": cmd_db_restore,
}


def cmd_db(args: argparse.Namespace) -> int:
    return DB_COMMANDS[args.db_command](args)
