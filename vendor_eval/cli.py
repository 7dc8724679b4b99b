"""The command line: a thin layer that turns library errors into messages and exit codes.

Exit codes: 0 success, 2 invalid input (every problem on stderr, no traceback),
1 anything unexpected (a short message; ``VENDOR_EVAL_DEBUG=1`` shows the traceback).

Everything printed that holds text from a file (names, file names, messages quoting
cells) goes through :func:`vendor_eval.output.safety.terminal_text`: an escape sequence in
a vendor name or a file name is shown as ``␛[…``, never run by the terminal. The CSV on
standard output is shown the same way when it goes to a terminal, and written unchanged
when it is redirected to a file.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from vendor_eval import __version__
from vendor_eval.core.problems import ValidationError, VendorEvalError
from vendor_eval.output.safety import terminal_text

if TYPE_CHECKING:  # imported for the annotations only: the model module loads pandas
    from vendor_eval.core.model import Evaluation

EXIT_OK = 0
EXIT_UNEXPECTED = 1
EXIT_INVALID = 2


def _add_load_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("workbook", metavar="WORKBOOK", help="vendor workbook (.xlsx, .xlsm or .csv)")
    p.add_argument(
        "--criteria",
        metavar="FILE",
        help="a Criteria table (.csv or .xlsx) to use with a Vendors-only CSV",
    )
    p.add_argument(
        "--consensus",
        choices=["mean", "median"],
        default="mean",
        help="how several evaluators' Scores are combined (default: mean)",
    )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for ``vendor-eval`` / ``python -m vendor_eval``."""
    # argparse exits with 2 on bad usage, which matches our "invalid input" code.
    parser = argparse.ArgumentParser(
        prog="vendor-eval",
        description="Vendor due-diligence comparison: validate, rank and stress-test a "
        "vendor shortlist kept in a spreadsheet.",
    )
    parser.add_argument("--version", action="version", version=f"vendor-eval {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser(
        "validate",
        help="check a vendor workbook and list every problem",
        description="Check a vendor workbook. Prints a one-line summary when it is valid "
        "(exit 0), or every problem, one per line, when it is not (exit 2).",
    )
    _add_load_options(p)

    p = sub.add_parser(
        "template",
        help="write a blank input workbook with the default model",
        description="Write a blank vendor workbook: the default criteria model, an "
        "instructions sheet and drop-downs for Direction, Scale and yes/no cells.",
    )
    p.add_argument("out", metavar="FILE.xlsx", help="where to write the template")
    p.add_argument("--force", action="store_true", help="overwrite FILE.xlsx if it exists")

    p = sub.add_parser(
        "rank",
        help="score and rank the vendors",
        description="Score and rank the vendors of a workbook (docs/scoring.md).",
    )
    _add_load_options(p)
    p.add_argument("--method", choices=["wsm", "topsis"], default="wsm", help="default: wsm")
    p.add_argument(
        "--missing",
        choices=["worst", "mean", "exclude"],
        default="worst",
        help="missing-value policy (default: worst — no evidence, no points)",
    )
    p.add_argument(
        "--format", choices=["table", "json", "csv"], default="table", help="default: table"
    )
    p.add_argument("--out", metavar="FILE.xlsx", help="also write the Excel ranking workbook")

    p = sub.add_parser(
        "sensitivity",
        help="stress-test the ranking against the weights",
        description="Weight sweeps, critical weight changes, Monte Carlo rank acceptability "
        "and method agreement, with a one-line robustness verdict.",
    )
    _add_load_options(p)
    p.add_argument("--samples", type=int, default=10_000, help="Monte Carlo samples (10000)")
    p.add_argument("--seed", type=int, default=0, help="random seed (0)")
    g = p.add_mutually_exclusive_group()
    g.add_argument(
        "--kappa", type=float, default=100.0, help="Dirichlet concentration around the weights"
    )
    g.add_argument(
        "--uniform", action="store_true", help="sample weights uniformly (no preference)"
    )
    p.add_argument(
        "--missing",
        choices=["worst", "mean", "exclude"],
        default="worst",
        help="missing-value policy (default: worst)",
    )
    p.add_argument("--format", choices=["table", "json"], default="table", help="default: table")

    _add_db_commands(sub)
    return parser


def _add_db_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--db",
        metavar="URL",
        help="database URL (default: $VENDOR_EVAL_DATABASE_URL, else a SQLite file in your "
        "data folder; `db info` shows which)",
    )


def _add_db_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "db",
        help="the projects database: show it, upgrade its schema",
        description="The database that keeps evaluation projects: SQLite by default, "
        "PostgreSQL with --db postgresql+psycopg://user:password@host/database.",
    )
    db = p.add_subparsers(
        dest="db_command", metavar="DB_COMMAND", required=True, help="info or upgrade"
    )
    q = db.add_parser(
        "info",
        help="which database, its backend and schema revision",
        description="Show the database URL (password hidden), its backend, its schema "
        "revision and the one this vendor-eval uses, and the number of projects.",
    )
    _add_db_option(q)
    q.add_argument("--format", choices=["table", "json"], default="table", help="default: table")
    q = db.add_parser(
        "upgrade",
        help="create or migrate the database schema to this vendor-eval's",
        description="Create the tables in an empty database, or migrate an older schema to "
        "the one this vendor-eval uses. Nothing else upgrades a database.",
    )
    _add_db_option(q)


def _load(args: argparse.Namespace) -> Evaluation:
    from vendor_eval.workbook.importing.load import load_evaluation

    return load_evaluation(args.workbook, criteria=args.criteria, consensus=args.consensus)


def _print_warnings(evaluation: Evaluation) -> None:
    for w in evaluation.warnings:
        print(f"warning: {terminal_text(w)}", file=sys.stderr)


def cmd_validate(args: argparse.Namespace) -> int:
    ev = _load(args)
    n_w = len(ev.warnings)
    model = " (built-in default model)" if ev.default_model else ""
    print(
        f"{terminal_text(Path(args.workbook).name)}: valid — {len(ev.vendors)} vendors, "
        f"{len(ev.criteria)} criteria{model}, {n_w} warning{'s' if n_w != 1 else ''}"
    )
    for w in ev.warnings:
        print(f"  warning: {terminal_text(w)}")
    return EXIT_OK


def cmd_template(args: argparse.Namespace) -> int:
    from vendor_eval.workbook.template import write_template

    out = Path(args.out)
    if out.exists() and not args.force:
        raise VendorEvalError(f"{out}: already exists (use --force to overwrite)")
    write_template(out)
    print(f"wrote {terminal_text(out)}")
    return EXIT_OK


def _rounded(obj: object, digits: int = 6) -> object:
    """Floats rounded to ``digits`` decimals (as in ``--format csv``), so JSON shows 15.0 and
    100.0 rather than float noise such as 15.000000000000002 or 99.99999999999999."""
    if isinstance(obj, float):
        return round(obj, digits)
    if isinstance(obj, dict):
        return {k: _rounded(v, digits) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_rounded(v, digits) for v in obj]
    return obj


def _same_file(a: str, b: str | None) -> bool:
    if not b:
        return False
    pa, pb = Path(a), Path(b)
    try:
        return pa.samefile(pb)
    except OSError:  # one of them does not exist (yet)
        return pa.resolve() == pb.resolve()


def cmd_rank(args: argparse.Namespace) -> int:
    from vendor_eval.output.text import format_csv, format_table, to_json
    from vendor_eval.scoring.scorer import score

    if args.out and any(_same_file(args.out, f) for f in (args.workbook, args.criteria)):
        # the export would silently replace the analyst's own input workbook
        raise VendorEvalError(
            f"{args.out} is an input file: choose another name for --out (e.g. ranking.xlsx)"
        )
    ev = _load(args)
    ranking = score(ev, method=args.method, missing=args.missing)
    if args.out:
        from vendor_eval.output.excel.export import write_export

        write_export(ranking, args.out)
    _print_warnings(ev)
    for m in ranking.messages:
        print(f"note: {terminal_text(m)}", file=sys.stderr)
    if args.format == "json":
        print(to_json(_rounded(ranking.to_records())))
    elif args.format == "csv":
        text = format_csv(ranking)
        sys.stdout.write(terminal_text(text, lines=True) if _is_terminal(sys.stdout) else text)
    else:
        print(format_table(ranking))
    if args.out:
        print(f"wrote {terminal_text(args.out)}", file=sys.stderr)
    return EXIT_OK


def _is_terminal(stream: object) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except (OSError, ValueError):  # a closed or detached stream
        return False


def cmd_sensitivity(args: argparse.Namespace) -> int:
    from vendor_eval.output.text import format_report, to_json
    from vendor_eval.stress.analysis import analyse, size_note

    if args.samples < 1:
        raise VendorEvalError("--samples must be at least 1")
    if not args.uniform and not 0 < args.kappa < float("inf"):  # NaN fails too
        raise VendorEvalError(
            f"--kappa must be a positive number (larger = closer to your weights), "
            f"not {args.kappa:g}"
        )
    if args.seed < 0:
        raise VendorEvalError("--seed must be 0 or more")
    ev = _load(args)
    report = analyse(
        ev,
        samples=args.samples,
        seed=args.seed,
        kappa=None if args.uniform else args.kappa,
        missing=args.missing,
        leader_only=None,  # past FULL_ANALYSIS_MAX qualified vendors: docs/stress-tests.md §10
    )
    _print_warnings(ev)
    note = size_note(len(report.p_first)) if report.leader_only else None
    if note:
        print(f"note: {note}", file=sys.stderr)
    if args.format == "json":
        print(to_json(report.to_dict()))
    else:
        print(format_report(report))
    return EXIT_OK


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


DB_COMMANDS = {"info": cmd_db_info, "upgrade": cmd_db_upgrade}


def cmd_db(args: argparse.Namespace) -> int:
    return DB_COMMANDS[args.db_command](args)


COMMANDS = {
    "validate": cmd_validate,
    "template": cmd_template,
    "rank": cmd_rank,
    "sensitivity": cmd_sensitivity,
    "db": cmd_db,
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
        print(f"error: {terminal_text(e)}", file=sys.stderr)
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
