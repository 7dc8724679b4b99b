"""``report WORKBOOK --out FILE.pdf``: the award report of a workbook (docs/report.md).

The workbook is read, its settings applied and it is scored as ``rank`` does; the stress
tests run as ``sensitivity`` does (a fixed seed, so the same workbook gives the same
report); the PDF is written atomically. A target that is not ``.pdf``, that exists (without
``--force``) or that is an input file is refused before anything is read (exit 2).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from vendor_eval.cli.common import (
    EXIT_OK,
    SubParsers,
    acting,
    add_common_options,
    database,
    refuse_database_target,
    same_file,
)
from vendor_eval.cli.settings_args import add_setting_options, apply_settings, setting_overrides
from vendor_eval.cli.workbook import (
    _add_load_options,
    _load,
    print_warnings,
    sensitivity_kappa,
)
from vendor_eval.core.problems import VendorEvalError
from vendor_eval.output.safety import terminal_text

if TYPE_CHECKING:
    from vendor_eval.output.report.award import AwardReport

__all__ = ["COMMANDS", "PROJECT_COMMANDS", "add_project_command", "add_top_commands"]

#: Monte Carlo weight samples of the report's stress tests (the export's number).
REPORT_SAMPLES = 2_000


def add_top_commands(sub: SubParsers[argparse.ArgumentParser]) -> None:
    """``report WORKBOOK|--project NAME --out FILE.pdf``."""
    p = sub.add_parser(
        "report",
        help="write the award report (PDF) of a vendor workbook or a project",
        description="Write the award report of a vendor workbook as a PDF: method, weights, "
        "gates, the ranking, each qualified vendor's strengths and weaknesses, the top two "
        "head-to-head, the robustness verdict and the input file's SHA-256, with the "
        "dashboard's charts (drawn by Chromium; without it the report says where a chart "
        "would be). With --project NAME instead of a workbook: the project's report, as "
        "`project report NAME` writes it. See docs/report.md.",
    )
    _add_load_options(p, required=False)
    p.add_argument(
        "--project",
        metavar="NAME",
        help="the report of this project instead of a workbook (as `project report NAME`; "
        "with --db and --as, and none of the workbook's options)",
    )
    p.add_argument("--out", metavar="FILE.pdf", required=True, help="where to write the report")
    p.add_argument("--force", action="store_true", help="overwrite FILE.pdf if it exists")
    p.add_argument(
        "--title", help="the report's title (default: Award report: <the workbook's name>)"
    )
    p.add_argument(
        "--method",
        choices=["wsm", "topsis"],
        default=None,
        help="default: the Settings sheet's, else wsm",
    )
    p.add_argument(
        "--missing",
        choices=["worst", "mean", "exclude"],
        default=None,
        help="missing-value policy (default: the Settings sheet's, else worst)",
    )
    p.add_argument(
        "--samples",
        type=int,
        default=REPORT_SAMPLES,
        help=f"Monte Carlo weight samples of the stress tests ({REPORT_SAMPLES})",
    )
    p.add_argument("--seed", type=int, default=0, help="random seed of the stress tests (0)")
    add_setting_options(p)
    add_common_options(p)


def _pdf_target(given: str, force: bool) -> Path:
    out = Path(given)
    if out.suffix.lower() != ".pdf":
        raise VendorEvalError(f"{out}: the report is a PDF: give a file name ending in .pdf")
    if out.exists() and not force:
        raise VendorEvalError(f"{out}: already exists (use --force to overwrite)")
    return out


def _target(args: argparse.Namespace) -> Path:
    if any(same_file(args.out, f) for f in (*args.workbook, args.criteria)):
        raise VendorEvalError(f"{Path(args.out)} is an input file: choose another name for --out")
    return _pdf_target(args.out, args.force)


#: The options of a workbook's report that a project's ignores (its record says them).
_WORKBOOK_ONLY = ("criteria", "method", "missing")


def _project_instead(args: argparse.Namespace) -> bool:
    """Whether ``report`` is asked for a project's report (``--project``); a workbook and
    --project together, or neither, or a workbook's option with --project, is refused."""
    if args.project is None:
        if not args.workbook:
            raise VendorEvalError("give a WORKBOOK, or --project NAME for a project's report")
        if args.db is not None or args.actor is not None:
            raise VendorEvalError("--db and --as go with --project NAME (a project's report)")
        return False
    if args.workbook:
        raise VendorEvalError("give a WORKBOOK or --project NAME, not both")
    given = [f"--{k}" for k in _WORKBOOK_ONLY if getattr(args, k, None) is not None]
    given += [f"--{k.replace('_', '-')}" for k, v in setting_overrides(args).items()
              if v is not None]  # fmt: skip
    defaults = {"samples": REPORT_SAMPLES, "seed": 0, "decimal": "auto", "consensus": "mean"}
    given += [f"--{k}" for k, v in defaults.items() if getattr(args, k, v) != v]
    if given:
        raise VendorEvalError(
            f"{', '.join(sorted(set(given)))}: a project's report uses the project's own "
            "settings and its decision's stress tests (see `project settings`)"
        )
    args.name = args.project
    return True


def cmd_report(args: argparse.Namespace) -> int:
    from vendor_eval.output.report.figures import browser_started

    if _project_instead(args):
        return cmd_project_report(args)
    out = _target(args)
    args.kappa, args.uniform = 100.0, False
    sensitivity_kappa(args)  # --samples and --seed checked before the workbook is read
    overrides = setting_overrides(args)
    # Chromium starts first: while the modules load and the workbook is read and analysed
    with browser_started():
        from vendor_eval.charts.award import report_inputs
        from vendor_eval.output.report import render_report
        from vendor_eval.scoring.scorer import score
        from vendor_eval.stress.analysis import analyse

        ev = apply_settings(_load(args), overrides)
        ranking = score(ev)
        sens = analyse(ev, samples=args.samples, seed=args.seed, missing=None, leader_only=None)
        name = ev.source_name or Path(args.workbook[0]).name
        report = render_report(
            ev,
            ranking,
            sens,
            title=args.title or f"Award report: {name}",
            generated=dt.datetime.now(dt.UTC).replace(microsecond=0),
            **report_inputs(ranking, sens),
        )
    print_warnings(ev)
    return _written(out, report, args.force)


def _written(out: Path, report: AwardReport, force: bool) -> int:
    from vendor_eval.output.excel.export import atomic_write

    # without --force, a file that appeared while the report was made is not replaced
    atomic_write(out, report.pdf, "the report", overwrite=force)
    for note in report.chart_notes:
        print(f"warning: {terminal_text(note)}", file=sys.stderr)
    print(f"wrote {terminal_text(out)}")
    return EXIT_OK


def add_project_command(psub: SubParsers[argparse.ArgumentParser]) -> None:
    """``project report NAME --out FILE.pdf``."""
    p = psub.add_parser(
        "report",
        help="write the project's award report (PDF)",
        description="Write the project's award report as a PDF: what `report WORKBOOK` "
        "writes, of the project's workbook as its decision uses it (the panel's consensus, "
        "the project's settings and weight scenario), with the goals, the panel and its "
        "conflict declarations, the moderation log, the decision, every workbook "
        "version's SHA-256 and the audit chain, checked. Owners always; observers once the "
        "project is decided. See docs/report.md §3.",
    )
    p.add_argument("name", metavar="NAME", help="the project's name (any case)")
    p.add_argument("--out", metavar="FILE.pdf", required=True, help="where to write the report")
    p.add_argument("--force", action="store_true", help="overwrite FILE.pdf if it exists")
    p.add_argument("--title", help="the report's title (default: Award report: <the project>)")
    add_common_options(p)


def cmd_project_report(args: argparse.Namespace) -> int:
    from vendor_eval.output.report.figures import browser_started

    out = _pdf_target(args.out, args.force)
    actor = acting(args)
    # Chromium starts first: while the modules load and the project is read and analysed
    with browser_started():
        from vendor_eval.charts.award import report_inputs
        from vendor_eval.output.report import facts_from, render_report
        from vendor_eval.team.record import award_record

        with database(args) as db:
            refuse_database_target(out, db)
            record = award_record(actor, db, args.name)
        report = render_report(
            record.evaluation,
            record.ranking,
            record.sensitivity,
            title=args.title or f"Award report: {record.name}",
            generated=dt.datetime.now(dt.UTC).replace(microsecond=0),
            project=facts_from(record),
            **report_inputs(record.ranking, record.sensitivity),
        )
    return _written(out, report, args.force)


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {"report": cmd_report}
PROJECT_COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {"report": cmd_project_report}
