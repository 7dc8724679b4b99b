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

from vendor_eval.cli.common import EXIT_OK, SubParsers
from vendor_eval.cli.settings_args import add_setting_options, apply_settings, setting_overrides
from vendor_eval.cli.workbook import (
    _add_load_options,
    _load,
    _same_file,
    print_warnings,
    sensitivity_kappa,
)
from vendor_eval.core.problems import VendorEvalError
from vendor_eval.output.safety import terminal_text

__all__ = ["COMMANDS", "add_top_commands"]

#: Monte Carlo weight samples of the report's stress tests (the export's number).
REPORT_SAMPLES = 2_000


def add_top_commands(sub: SubParsers[argparse.ArgumentParser]) -> None:
    """``report WORKBOOK --out FILE.pdf``."""
    p = sub.add_parser(
        "report",
        help="write the award report (PDF) of a vendor workbook",
        description="Write the award report of a vendor workbook as a PDF: method, weights, "
        "gates, the ranking, each qualified vendor's strengths and weaknesses, the top two "
        "head-to-head, the robustness verdict and the input file's SHA-256, with the "
        "dashboard's charts (drawn by Chromium; without it the report says where a chart "
        "would be). See docs/report.md.",
    )
    _add_load_options(p)
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


def _target(args: argparse.Namespace) -> Path:
    out = Path(args.out)
    if out.suffix.lower() != ".pdf":
        raise VendorEvalError(f"{out}: the report is a PDF: give a file name ending in .pdf")
    if any(_same_file(args.out, f) for f in (*args.workbook, args.criteria)):
        raise VendorEvalError(f"{out} is an input file: choose another name for --out")
    if out.exists() and not args.force:
        raise VendorEvalError(f"{out}: already exists (use --force to overwrite)")
    return out


def cmd_report(args: argparse.Namespace) -> int:
    from vendor_eval.charts.award import award_figures
    from vendor_eval.charts.compare import head_to_head_sentences
    from vendor_eval.output.excel.export import atomic_write
    from vendor_eval.output.report import render_report
    from vendor_eval.output.report.figures import browser_started
    from vendor_eval.scoring.scorer import score
    from vendor_eval.stress.analysis import analyse

    out = _target(args)
    args.kappa, args.uniform = 100.0, False
    sensitivity_kappa(args)  # --samples and --seed checked before the workbook is read
    overrides = setting_overrides(args)
    with browser_started():  # Chromium starts while the workbook is read and analysed
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
            figures=award_figures(ranking, sens),
            sentences=head_to_head_sentences,
        )
    atomic_write(out, report.pdf, "the report")
    print_warnings(ev)
    for note in report.chart_notes:
        print(f"warning: {terminal_text(note)}", file=sys.stderr)
    print(f"wrote {terminal_text(out)}")
    return EXIT_OK


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {"report": cmd_report}
