"""``project …``: an evaluation project in the database (docs/projects.md §2).

Each command is one call of the projects service (:mod:`vendor_eval.projects`), so one
transaction: it happens whole or not at all. Every command takes ``--db URL`` and ``--as
NAME`` among its own options; the ones that print data take ``--format json``. ``project
rank NAME --format json`` prints exactly what ``rank FILE --format json`` prints for the
project's current workbook (the same code prints both); its table adds a line on the panel
when the project has panel criteria. ``project verify`` exits 2 when the audit chain does
not check out. The team's sub-commands (members, sheets, moderation, settings) are in
:mod:`.team`.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path

from vendor_eval.cli import monitor, project_text, report, team
from vendor_eval.cli.common import (
    EXIT_INVALID,
    EXIT_OK,
    SubParsers,
    acting,
    add_common_options,
    add_format_option,
    database,
)
from vendor_eval.cli.settings_args import print_setting_notes, setting_overrides
from vendor_eval.cli.workbook import (
    add_rank_options,
    add_sensitivity_options,
    print_ranking,
    print_report,
    sensitivity_kappa,
)
from vendor_eval.output.safety import terminal_text


def _name(p: argparse.ArgumentParser) -> None:
    p.add_argument("name", metavar="NAME", help="the project's name (any case)")


def _scenario(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--scenario",
        metavar="NAME",
        help='use this saved weight scenario (default: the project\'s active one; "" for '
        "the workbook's own weights)",
    )


def add_commands(sub: SubParsers[argparse.ArgumentParser]) -> None:
    """``project`` and its sub-commands, each with ``--db`` and ``--as``."""
    top = sub.add_parser(
        "project",
        help="evaluation projects: workbook versions, decision and audit log in a database",
        description="An evaluation project keeps every imported workbook version, the "
        "settings, the decision and a tamper-evident log of every change in the database "
        "(`db info` shows which).",
    )
    psub = top.add_subparsers(
        dest="project_command",
        metavar="PROJECT_COMMAND",
        required=True,
        help="create, list, show, import, rank, sensitivity, history, verify, status, "
        "decide, reopen; the team: member, assign, declare, submit, reopen-sheet, "
        "disagreements, moderate, calibration, settings",
    )

    def command(name: str, help: str, description: str) -> argparse.ArgumentParser:
        p = psub.add_parser(name, help=help, description=description)
        if name != "list":
            _name(p)
        return p

    p = command("create", "start a new project", "Start a project (status draft) with goals.")
    p.add_argument(
        "--goal",
        action="append",
        default=[],
        metavar="TEXT",
        help="what the outsourcing must achieve (repeat for several goals)",
    )
    add_common_options(p)

    p = command("list", "list the projects", "Every project: status, versions, last change.")
    add_common_options(p)
    add_format_option(p, "json")

    p = command(
        "show",
        "show a project",
        "A project's goals, settings, workbook versions, scenarios, decision and the goal "
        "warnings of its current version.",
    )
    add_common_options(p)
    add_format_option(p, "json")

    p = command(
        "import",
        "store a new workbook version",
        "Validate a workbook and store it whole as the project's new current version. An "
        "invalid workbook lists its problems (exit 2) and stores nothing.",
    )
    p.add_argument("workbook", metavar="WORKBOOK", help="vendor workbook (.xlsx, .xlsm or .csv)")
    p.add_argument(
        "--decimal",
        choices=["comma", "point"],
        default="auto",
        help="how the CSV file writes decimals: comma (1.234,5) or point (1,234.5), stored with "
        "the version and used whenever it is read again; default: decided from the file (a "
        "semicolon-separated file whose numbers have decimal commas is read with them)",
    )
    add_common_options(p)

    p = command(
        "rank",
        "rank the project's current version",
        "Score and rank the current workbook version with the project's settings, else its "
        "Settings sheet (the same output as `rank` on that file).",
    )
    add_rank_options(p, project=True)
    p.add_argument(
        "--consensus",
        choices=["mean", "median"],
        default=None,
        help="how several evaluators' Scores are combined (default: the project's setting)",
    )
    _scenario(p)
    add_common_options(p)

    p = command(
        "sensitivity",
        "stress-test the project's ranking",
        "The stress tests of `sensitivity` on the current workbook version, with the project's "
        "settings and scenario.",
    )
    add_sensitivity_options(p, project=True)
    _scenario(p)
    add_common_options(p)

    p = command("history", "the audit log", "Every change to the project, oldest first.")
    add_common_options(p)
    add_format_option(p, "json")

    p = command(
        "verify",
        "check the audit log's hash chain",
        "Recompute the hash chain of the project's audit log. Exit 0 when it is intact, 2 "
        "naming the first event that does not match (edited, forged, reordered or deleted).",
    )
    add_common_options(p)
    add_format_option(p, "json")

    p = command(
        "status",
        "move the project to another status",
        "Move among draft, scoring and moderation (recorded in the log); `decided` is reached "
        "with `project decide`.",
    )
    p.add_argument(
        "status",
        metavar="STATUS",
        help="draft, scoring or moderation (a project is decided with `project decide`)",
    )
    add_common_options(p)

    p = command(
        "decide",
        "record the decision",
        "Record the winner and the justification, with a frozen copy of the ranking and the "
        "stress-test report it was based on. The project becomes read-only.",
    )
    p.add_argument("--winner", required=True, metavar="VENDOR", help="the chosen vendor")
    p.add_argument("--justification", required=True, metavar="TEXT", help="why (kept in the log)")
    add_common_options(p)

    p = command(
        "reopen",
        "reopen a decided project",
        "Make a decided project editable again; the reason is kept in the log.",
    )
    p.add_argument("--reason", required=True, metavar="TEXT", help="why it is reopened")
    add_common_options(p)

    team.add_commands(psub)
    monitor.add_project_commands(psub)
    report.add_project_command(psub)


def cmd_create(args: argparse.Namespace) -> int:
    from vendor_eval.projects import create_project

    actor = acting(args)
    with database(args) as db:
        view = create_project(actor, db, args.name, args.goal)
    print(project_text.created(view))
    return EXIT_OK


def cmd_list(args: argparse.Namespace) -> int:
    from vendor_eval.projects import list_projects

    actor = acting(args)
    with database(args) as db:
        summaries = list_projects(actor, db)
    print(project_text.project_list(summaries, args.format))
    return EXIT_OK


def cmd_show(args: argparse.Namespace) -> int:
    from vendor_eval.projects import show_project

    actor = acting(args)
    with database(args) as db:
        view = show_project(actor, db, args.name)
    print(project_text.project(view, args.format))
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from vendor_eval.projects import import_workbook

    actor = acting(args)
    path = Path(args.workbook)
    # a file name that is not UTF-8 (a Latin-1 name on disk) is stored readable: U+FFFD
    file_name = os.fsencode(path.name or path).decode("utf-8", "replace")
    with database(args) as db:
        version = import_workbook(
            actor, db, args.name, path, file_name=file_name, decimal=args.decimal
        )
    for w in version.warnings:
        print(f"warning: {terminal_text(w)}", file=sys.stderr)
    print(project_text.imported(args.name.strip(), version))
    return EXIT_OK


def cmd_rank(args: argparse.Namespace) -> int:
    from vendor_eval.projects import rank_project

    actor = acting(args)
    overrides = setting_overrides(args)  # checked before the database is opened
    with database(args) as db:
        ranking = rank_project(
            actor,
            db,
            args.name,
            consensus=args.consensus,
            scenario=args.scenario,
            settings=overrides,
        )
        # the table (never the JSON or CSV: those stay `rank FILE`'s) says how far the panel is
        table = args.format == "table"
        panel = team.panel_line(actor, db, args.name, args.consensus) if table else None
    print_setting_notes(ranking.evaluation, overrides)
    print_ranking(ranking, args.format, args.out)
    if panel is not None:
        print(panel)
    return EXIT_OK


def cmd_sensitivity(args: argparse.Namespace) -> int:
    from vendor_eval.projects.analysis import sensitivity_evaluation
    from vendor_eval.stress.analysis import analyse

    actor = acting(args)
    kappa = sensitivity_kappa(args)
    overrides = setting_overrides(args)
    with database(args) as db:  # what sensitivity_project analyses, kept to show its settings
        evaluation = sensitivity_evaluation(
            actor, db, args.name, scenario=args.scenario, settings=overrides
        )
    report = analyse(
        evaluation, samples=args.samples, seed=args.seed, kappa=kappa, missing=None,
        leader_only=None,
    )  # fmt: skip
    print_setting_notes(evaluation, overrides)
    print_report(report, args.format, evaluation)
    return EXIT_OK


def cmd_history(args: argparse.Namespace) -> int:
    from vendor_eval.projects import history

    actor = acting(args)
    with database(args) as db:
        events = history(actor, db, args.name)
    print(project_text.history(events, args.format))
    for note in project_text.history_notes(events):  # stderr: --format json stays parseable
        print(f"note: {note}", file=sys.stderr)
    return EXIT_OK


def cmd_verify(args: argparse.Namespace) -> int:
    from vendor_eval.projects import verify_project

    actor = acting(args)
    with database(args) as db:
        result = verify_project(actor, db, args.name)
    if args.format == "json":
        print(project_text.verify_json(result))
    elif result.ok:
        print(project_text.verified(args.name.strip(), result))
    if not result.ok:
        print(
            f"error: {terminal_text(args.name.strip())}: {terminal_text(result.message)}",
            file=sys.stderr,
        )
        return EXIT_INVALID
    return EXIT_OK


def cmd_status(args: argparse.Namespace) -> int:
    from vendor_eval.projects import set_status

    actor = acting(args)
    with database(args) as db:
        event = set_status(actor, db, args.name, args.status)
    moved = event.details
    print(f"{terminal_text(event.subject)}: status {moved['from']} → {moved['to']}")
    return EXIT_OK


def cmd_decide(args: argparse.Namespace) -> int:
    from vendor_eval.projects import decide

    actor = acting(args)
    with database(args) as db:
        decision = decide(actor, db, args.name, args.winner, args.justification)
    print(project_text.decided(args.name.strip(), decision))
    return EXIT_OK


def cmd_reopen(args: argparse.Namespace) -> int:
    from vendor_eval.projects import reopen

    actor = acting(args)
    with database(args) as db:
        reopen(actor, db, args.name, args.reason)
    print(f"{terminal_text(args.name.strip())}: reopened (the decision stays in the history)")
    return EXIT_OK


PROJECT_COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "create": cmd_create,
    "list": cmd_list,
    "show": cmd_show,
    "import": cmd_import,
    "rank": cmd_rank,
    "sensitivity": cmd_sensitivity,
    "history": cmd_history,
    "verify": cmd_verify,
    "status": cmd_status,
    "decide": cmd_decide,
    "reopen": cmd_reopen,
    **team.PROJECT_COMMANDS,
    **monitor.PROJECT_COMMANDS,
    **report.PROJECT_COMMANDS,
}


def cmd_project(args: argparse.Namespace) -> int:
    return PROJECT_COMMANDS[args.project_command](args)
