"""The monitoring commands (docs/monitoring.md): ``monitor WORKBOOK`` and the ``project
monitor``, ``project monitor-import`` and ``project actions`` sub-commands.

``monitor WORKBOOK`` scores a monitoring workbook on its own (``--selection FILE`` gives the
vendors' selection answers for promised vs delivered), or with ``--project NAME`` as the
project would stand with it imported, storing nothing. The project sub-commands are one
call of :mod:`vendor_eval.monitoring.project` each, which decides who may do it.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vendor_eval.cli.common import (
    EXIT_OK,
    SubParsers,
    acting,
    add_common_options,
    add_format_option,
    database,
    refuse_database_target,
)
from vendor_eval.output.safety import terminal_text

if TYPE_CHECKING:
    from vendor_eval.monitoring.scoring import Monitoring

__all__ = ["COMMANDS", "PROJECT_COMMANDS", "add_project_commands", "add_top_commands"]

Parser = argparse.ArgumentParser


def add_top_commands(sub: SubParsers[Parser]) -> None:
    """``monitor WORKBOOK``."""
    p = sub.add_parser(
        "monitor",
        help="score a monitoring workbook: KPIs, periods, standings, trend, actions",
        description="Score the awarded vendors' performance against the contract: the KPIs "
        "and Performance sheets (and an optional Standings sheet) of WORKBOOK, period by "
        "period, with the trend, the corrective actions repeated breaches open and, for "
        "KPIs linked to a selection criterion, promised vs delivered.",
    )
    p.add_argument("workbook", metavar="WORKBOOK", help="the monitoring workbook (.xlsx)")
    p.add_argument(
        "--project",
        metavar="NAME",
        help="score it as the decided project NAME would stand with it imported (its "
        "awarded vendor, stored periods and actions, selection answers); nothing is stored",
    )
    p.add_argument(
        "--selection",
        metavar="FILE",
        help="the vendor workbook of the selection, for promised vs delivered (without --project)",
    )
    _add_excel_option(p)
    add_format_option(p, "json")
    add_common_options(p)


def add_project_commands(psub: SubParsers[Parser]) -> None:
    """``project monitor``, ``project monitor-import`` and ``project actions``."""
    p = psub.add_parser(
        "monitor",
        help="the awarded vendor's performance as stored in the project",
        description="The decided project's monitoring: every stored period scored, the "
        "trend, the corrective actions and promised vs delivered.",
    )
    p.add_argument("name", metavar="NAME", help="the project")
    _add_excel_option(p)
    add_format_option(p, "json")
    add_common_options(p)

    p = psub.add_parser(
        "monitor-import",
        help="store a monitoring workbook's results in a decided project",
        description="Store the KPIs, standings and results of a monitoring workbook in the "
        "decided project NAME. Each period the workbook holds replaces that period's stored "
        "results (the history keeps what it replaced); its KPIs and standings replace the "
        "project's. Repeated breaches open corrective actions. Nothing is stored if the "
        "workbook has an error.",
    )
    p.add_argument("name", metavar="NAME", help="the project")
    p.add_argument("workbook", metavar="WORKBOOK", help="the monitoring workbook (.xlsx)")
    add_format_option(p, "json")
    add_common_options(p)

    p = psub.add_parser(
        "actions",
        help="list or update the corrective actions",
        description="List the project's corrective actions; with --kpi and --period (and "
        "--vendor when several are monitored), change one: --owner, --due, --status, "
        "--closed, --note. Closing without --closed closes it today.",
    )
    p.add_argument("name", metavar="NAME", help="the project")
    p.add_argument("--kpi", help="the KPI of the action to change")
    p.add_argument("--period", help="the period that opened it (2026-03 or 2026-Q1)")
    p.add_argument("--vendor", help="the vendor, when more than one is monitored")
    p.add_argument("--owner", help="who owns it")
    p.add_argument("--due", metavar="YYYY-MM-DD", help="its due date")
    p.add_argument("--status", help="open, in progress or closed")
    p.add_argument("--closed", metavar="YYYY-MM-DD", help="when it was closed")
    p.add_argument("--note", help="a note on it")
    add_format_option(p, "json")
    add_common_options(p)


def _add_excel_option(p: Parser) -> None:
    p.add_argument(
        "--excel",
        metavar="FILE.xlsx",
        help="also write the Excel scorecard: a Portfolio sheet and one sheet per vendor "
        "with live formulas for the KPI and period scores over the actuals",
    )


def _excel_target(args: argparse.Namespace) -> Path | None:
    """The ``--excel`` file, checked before anything is read: an .xlsx that is neither the
    monitoring workbook nor the selection workbook."""
    if args.excel is None:
        return None
    from vendor_eval.core.problems import VendorEvalError

    out = Path(args.excel)
    if out.suffix.lower() != ".xlsx":
        raise VendorEvalError(f"--excel must name an .xlsx file (not {args.excel!r})")
    for given, what in (
        (getattr(args, "workbook", None), "the monitoring workbook"),
        (getattr(args, "selection", None), "the selection workbook"),
    ):
        if given and out.resolve() == Path(given).resolve():
            raise VendorEvalError(
                f"{args.excel} is {what}: choose another name for --excel (e.g. scorecard.xlsx)"
            )
    return out


def _print(result: Monitoring, fmt: str, title: str = "", excel: Path | None = None) -> None:
    """The monitoring on stdout as ``fmt``; with ``excel``, the scorecard written there
    (and said so on stderr, so that the JSON stays clean)."""
    from vendor_eval.output.monitoring_text import format_monitoring, monitoring_json

    if excel is not None:
        from vendor_eval.output.excel.scorecard import write_scorecard

        write_scorecard(result, excel, title=title)
    print(monitoring_json(result) if fmt == "json" else format_monitoring(result, title=title))
    if excel is not None:
        print(f"wrote {terminal_text(excel)}", file=sys.stderr)


def _promised(selection: str, book: Any) -> dict[tuple[str, str], float]:
    """The selection workbook's values of the KPIs' criteria for the monitored vendors."""
    from vendor_eval.monitoring.selection import promised_values
    from vendor_eval.workbook.combine import load_combined

    return promised_values(book.kpis, book.vendors, load_combined([Path(selection)]))


def cmd_monitor(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from vendor_eval.core.problems import VendorEvalError
    from vendor_eval.monitoring.reading import read_monitoring
    from vendor_eval.monitoring.scoring import score_monitoring

    excel = _excel_target(args)
    if args.project:
        if args.selection:
            raise VendorEvalError(
                "--selection is for a workbook on its own: with --project the selection "
                "answers come from the project's decided workbook"
            )
        from vendor_eval.monitoring.project import preview_results

        with database(args) as db:
            refuse_database_target(excel, db, "--excel")
            result, summary = preview_results(acting(args), db, args.project, args.workbook)
        title = f"{args.project.strip()} with {summary.file} (not stored)"
        _print(result, args.format, terminal_text(title), excel)
        return EXIT_OK
    book = read_monitoring(args.workbook)
    if args.selection:
        book = replace(book, promised=_promised(args.selection, book))
    _print(score_monitoring(book), args.format, excel=excel)
    return EXIT_OK


def cmd_project_monitor(args: argparse.Namespace) -> int:
    from vendor_eval.monitoring.project import project_monitoring

    excel = _excel_target(args)
    with database(args) as db:
        refuse_database_target(excel, db, "--excel")
        result = project_monitoring(acting(args), db, args.name)
    _print(result, args.format, terminal_text(args.name.strip()), excel)
    return EXIT_OK


def cmd_monitor_import(args: argparse.Namespace) -> int:
    from vendor_eval.monitoring.project import import_results
    from vendor_eval.output.text import to_json

    with database(args) as db:
        summary = import_results(acting(args), db, args.name, args.workbook)
    if args.format == "json":
        print(
            to_json(
                {
                    "file": summary.file,
                    "periods": list(summary.periods),
                    "replaced": list(summary.replaced),
                    "results": summary.results,
                    "opened": [{"vendor": a.vendor, **a.as_json()} for a in summary.opened],
                    "warnings": [str(w) for w in summary.warnings],
                }
            )
        )
        return EXIT_OK
    periods = summary.periods
    span = f"{periods[0]} to {periods[-1]}" if len(periods) > 1 else "".join(periods) or "none"
    lines = [
        f"Stored {summary.results} results of {terminal_text(summary.file)} in "
        f"{terminal_text(args.name.strip())}: {len(periods)} period(s), {span}."
    ]
    if summary.replaced:
        lines.append(f"Replaced the stored results of {', '.join(summary.replaced)}.")
    for a in summary.opened:
        lines.append(
            terminal_text(
                f"Opened a corrective action: {a.vendor}, {a.kpi}, {a.period.label} "
                f"(due {a.due.isoformat()})."
            )
        )
    lines += [f"warning: {terminal_text(str(w))}" for w in summary.warnings]
    print("\n".join(lines))
    return EXIT_OK


def cmd_actions(args: argparse.Namespace) -> int:
    from vendor_eval.core.problems import VendorEvalError
    from vendor_eval.monitoring.project import project_monitoring, update_action
    from vendor_eval.output.monitoring_text import actions_table

    changes = {k: getattr(args, k) for k in ("owner", "due", "status", "closed", "note")}
    changing = any(v is not None for v in changes.values())
    with database(args) as db:
        if changing or args.kpi or args.period:
            if not (args.kpi and args.period):
                raise VendorEvalError(
                    "say which action with --kpi and --period (the period that opened it)"
                )
            action = update_action(
                acting(args), db, args.name, args.kpi, args.period, vendor=args.vendor, **changes
            )
            print(actions_table([action], args.format))
            return EXIT_OK
        result = project_monitoring(acting(args), db, args.name)
    print(actions_table(result.actions, args.format))
    return EXIT_OK


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {"monitor": cmd_monitor}
PROJECT_COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "monitor": cmd_project_monitor,
    "monitor-import": cmd_monitor_import,
    "actions": cmd_actions,
}
