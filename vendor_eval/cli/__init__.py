"""The command line: a thin layer that turns library errors into messages and exit codes.

Exit codes: 0 success, 2 invalid input (every problem on stderr, no traceback),
1 anything unexpected (a short message; ``VENDOR_EVAL_DEBUG=1`` shows the traceback).

The commands live by subject: :mod:`.workbook` (``validate``, ``template``, ``rank``,
``sensitivity`` on a file), :mod:`.project` (``project …``, an evaluation project in the
database; its tables and JSON in :mod:`.project_text`), :mod:`.team` (the team's ``project
…`` sub-commands and ``scoresheet``; output in :mod:`.team_text`) and :mod:`.db` (``db …``, the
database itself); :mod:`.common` holds the shared options (``--db``, ``--as``, ``--format``)
and the aligned table, :mod:`.settings_args` the options that override a workbook's Settings
sheet (``--quality-minimum``, ``--contract-term``, ``--discount-rate``). Each adds its
sub-parsers and names its handlers; this module parses, dispatches and translates errors,
once (docs/projects.md §1: one sentence, exit code 2).

Everything printed that holds text from a file or the database (names, file names, actors,
messages quoting cells) goes through :func:`vendor_eval.output.safety.terminal_text`: an
escape sequence in a vendor name or a file name is shown as ``␛[…``, never run by the
terminal. The CSV on standard output is shown the same way when it goes to a terminal, and
written unchanged when it is redirected to a file.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Callable, Sequence

from vendor_eval import __version__
from vendor_eval.cli import db, monitor, project, report, team, workbook
from vendor_eval.cli.common import EXIT_INVALID, EXIT_OK, EXIT_UNEXPECTED
from vendor_eval.core.problems import ValidationError, VendorEvalError
from vendor_eval.output.safety import terminal_text

__all__ = [
    "COMMANDS",
    "EXIT_INVALID",
    "EXIT_OK",
    "EXIT_UNEXPECTED",
    "build_parser",
    "main",
    "main_entry",
]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for ``vendor-eval`` / ``python -m vendor_eval``."""
    # argparse exits with 2 on bad usage, which matches our "invalid input" code.
    parser = argparse.ArgumentParser(
        prog="vendor-eval",
        description="Vendor due-diligence comparison: validate, rank and stress-test a "
        "vendor shortlist kept in a spreadsheet, and keep evaluation projects in a database.",
    )
    parser.add_argument("--version", action="version", version=f"vendor-eval {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    workbook.add_commands(sub)
    project.add_commands(sub)
    team.add_top_commands(sub)
    monitor.add_top_commands(sub)
    report.add_top_commands(sub)
    db.add_commands(sub)
    return parser


#: Top-level command → handler (a handler returns the exit code).
COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    **workbook.COMMANDS,
    "project": project.cmd_project,
    **team.COMMANDS,
    **monitor.COMMANDS,
    **report.COMMANDS,
    "db": db.cmd_db,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code."""
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except ValidationError as e:
        print(e.summary(terminal_text), file=sys.stderr)  # one line per problem
        return EXIT_INVALID
    except VendorEvalError as e:
        problems = getattr(e, "problems", ())
        headline = getattr(e, "headline", e) if problems else e
        print(f"error: {terminal_text(headline)}", file=sys.stderr)
        for problem in problems:  # one line each: a problem's own text cannot add lines
            print(f"- {terminal_text(problem)}", file=sys.stderr)
        return EXIT_INVALID
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return EXIT_UNEXPECTED
    except Exception as e:  # the last line of defence: no traceback for users
        if os.environ.get("VENDOR_EVAL_DEBUG"):
            traceback.print_exc()
        print(
            f"unexpected error: {type(e).__name__}: {terminal_text(e)}\n"
            "This is a bug in vendor-eval; set VENDOR_EVAL_DEBUG=1 to see the details.",
            file=sys.stderr,
        )
        return EXIT_UNEXPECTED


def main_entry() -> None:
    """Console-script entry point (``vendor-eval``)."""
    sys.exit(main())
