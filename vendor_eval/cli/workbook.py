"""The commands on workbook files: ``validate``, ``template``, ``rank``, ``sensitivity``,
``combine``.

``validate``, ``rank`` and ``sensitivity`` read one workbook, or several response files (one
per vendor) combined into one evaluation (:mod:`vendor_eval.workbook.combine`); ``combine``
writes those files as one workbook.

The ranking and the stress-test report are printed by :func:`print_ranking` and
:func:`print_report`, which ``project rank`` and ``project sensitivity`` share: a project's
ranking prints exactly as the ranking of its current workbook file. ``rank`` and
``sensitivity`` take the workbook's Settings sheet unless an option overrides a setting
(:mod:`.settings_args`); what they print says which settings applied and where from.
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from vendor_eval.cli.common import (
    EXIT_OK,
    SubParsers,
    add_common_options,
    add_format_option,
    is_terminal,
    same_file,
)
from vendor_eval.cli.settings_args import (
    add_setting_options,
    apply_settings,
    print_setting_notes,
    setting_overrides,
)
from vendor_eval.core.problems import VendorEvalError
from vendor_eval.output.safety import terminal_text

if TYPE_CHECKING:  # imported for the annotations only: the model module loads pandas
    from collections.abc import Sequence

    from vendor_eval.core.model import Evaluation
    from vendor_eval.monitoring.model import Kpi
    from vendor_eval.scoring.ranking import Ranking
    from vendor_eval.stress.report import SensitivityReport

# kept under its old name: tests replace it to feed the terminal-safety checks
_is_terminal = is_terminal
FILE_SETTING = "the Settings sheet's"
PROJECT_SETTING = "the project's setting, else the Settings sheet's"


def add_decimal_option(p: argparse.ArgumentParser) -> None:
    """``--decimal comma|point``: how a CSV file writes decimals (default: decided per file
    from its separator and its numbers, docs/workbook-format.md §7)."""
    p.add_argument(
        "--decimal",
        choices=["comma", "point"],
        default="auto",
        help="how the CSV files write decimals: comma (1.234,5) or point (1,234.5); default: "
        "decided per file (a semicolon-separated file whose numbers have decimal commas is "
        "read with them)",
    )


def _add_load_options(p: argparse.ArgumentParser, *, required: bool = True) -> None:
    p.add_argument(
        "workbook",
        metavar="WORKBOOK",
        nargs="+" if required else "*",
        help="vendor workbook (.xlsx, .xlsm or .csv); several files: one response file per "
        "vendor, combined (see `combine`)",
    )
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
    add_decimal_option(p)


def add_rank_options(p: argparse.ArgumentParser, *, project: bool = False) -> None:
    """``--method``, ``--missing``, the settings options, ``--format`` and ``--out``; a
    method or policy not given comes from the Settings sheet (``project``: the project's
    settings first), else wsm and worst."""
    source = PROJECT_SETTING if project else FILE_SETTING
    p.add_argument(
        "--method", choices=["wsm", "topsis"], default=None, help=f"default: {source}, else wsm"
    )
    p.add_argument(
        "--missing",
        choices=["worst", "mean", "exclude"],
        default=None,
        help=f"missing-value policy (default: {source}, else worst — no evidence, no points)",
    )
    add_setting_options(p)
    add_format_option(p, "json", "csv")
    p.add_argument("--out", metavar="FILE.xlsx", help="also write the Excel ranking workbook")


def add_sensitivity_options(p: argparse.ArgumentParser, *, project: bool = False) -> None:
    """Samples, seed, kappa or uniform, missing policy, the settings options and format."""
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
        default=None,
        help=f"missing-value policy (default: {PROJECT_SETTING if project else FILE_SETTING}, "
        "else worst)",
    )
    add_setting_options(p)
    add_format_option(p, "json")


def add_commands(sub: SubParsers[argparse.ArgumentParser]) -> None:
    """``validate``, ``template``, ``rank`` and ``sensitivity``."""
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
        "instructions sheet and drop-downs for Direction, Scale and yes/no cells. With "
        "--monitoring, the blank monitoring workbook instead: KPIs, Performance and "
        "Standings sheets (docs/monitoring.md).",
    )
    p.add_argument("out", metavar="FILE.xlsx", nargs="?", help="where to write the template")
    p.add_argument(
        "--monitoring",
        metavar="FILE.xlsx",
        help="write the blank monitoring workbook (post-award KPIs and results) to FILE.xlsx",
    )
    p.add_argument(
        "--project",
        metavar="NAME",
        help="with --monitoring: pre-fill it for the decided project NAME (its awarded vendor, "
        "its KPIs, or KPIs proposed from its service-level criteria with the vendor's own "
        "answers as targets)",
    )
    p.add_argument("--force", action="store_true", help="overwrite FILE.xlsx if it exists")
    add_common_options(p)

    p = sub.add_parser(
        "rank",
        help="score and rank the vendors",
        description="Score and rank the vendors of a workbook (docs/scoring.md).",
    )
    _add_load_options(p)
    add_rank_options(p)

    p = sub.add_parser(
        "sensitivity",
        help="stress-test the ranking against the weights",
        description="Weight sweeps, critical weight changes, Monte Carlo rank acceptability "
        "and method agreement, with a one-line robustness verdict.",
    )
    _add_load_options(p)
    add_sensitivity_options(p)

    p = sub.add_parser(
        "combine",
        help="combine one response file per vendor into one workbook",
        description="Combine response files, one per vendor (a Vendors row, or a "
        "questionnaire with a Vendor cell), and the file holding the Criteria sheet into one "
        "vendor workbook (docs/workbook-format.md §14). Every conflict is listed (exit 2) and "
        "nothing is written then.",
    )
    p.add_argument("out", metavar="OUT.xlsx", help="where to write the combined workbook")
    p.add_argument(
        "files",
        metavar="FILE",
        nargs="+",
        help="the response files, in the order the vendors are to be listed, and the file "
        "with the Criteria sheet (if any)",
    )
    p.add_argument("--force", action="store_true", help="overwrite OUT.xlsx if it exists")
    add_decimal_option(p)


def _load(args: argparse.Namespace) -> Evaluation:
    """The workbook, or the several files combined. One file is read as always, unless it
    is one vendor's questionnaire (no Vendors sheet, a ``Vendor`` label cell): that is read
    as a response file (:func:`~vendor_eval.workbook.combine.load_combined` decides)."""
    from vendor_eval.workbook.combine import load_combined

    return load_combined(
        args.workbook, criteria=args.criteria, consensus=args.consensus, decimal=args.decimal
    )


def print_warnings(evaluation: Evaluation) -> None:
    """The evaluation's warnings on stderr, one line each."""
    for w in evaluation.warnings:
        print(f"warning: {terminal_text(w)}", file=sys.stderr)


def cmd_validate(args: argparse.Namespace) -> int:
    ev = _load(args)
    n_w = len(ev.warnings)
    model = " (built-in default model)" if ev.default_model else ""
    name = Path(args.workbook[0]).name if len(args.workbook) == 1 else ev.source_name
    n_v, n_c = len(ev.vendors), len(ev.criteria)
    print(
        f"{terminal_text(name)}: valid — {n_v} vendor{'s' if n_v != 1 else ''}, "
        f"{n_c} {'criterion' if n_c == 1 else 'criteria'}{model}, "
        f"{n_w} warning{'s' if n_w != 1 else ''}"
    )
    if ev.settings.origin:  # the Settings sheet sets something: say what will apply
        from vendor_eval.core.model import Method, MissingPolicy
        from vendor_eval.output.text import applied_settings, settings_line

        s = ev.settings
        applied = applied_settings(
            s, method=s.method or Method.WSM, missing=s.missing or MissingPolicy.WORST
        )
        print(f"  {settings_line(applied, costs=ev.costs is not None)}")
    for w in ev.warnings:
        print(f"  warning: {terminal_text(w)}")
    return EXIT_OK


def cmd_template(args: argparse.Namespace) -> int:
    if args.monitoring is not None and args.out is not None:
        raise VendorEvalError(
            "give one file: FILE.xlsx for the vendor workbook, or --monitoring FILE.xlsx for "
            "the monitoring workbook"
        )
    if args.project and args.monitoring is None:
        raise VendorEvalError("--project pre-fills the monitoring workbook: give --monitoring")
    if args.monitoring is None and args.out is None:
        raise VendorEvalError(
            "which file? vendor-eval template FILE.xlsx (or --monitoring FILE.xlsx)"
        )
    out = Path(args.monitoring if args.monitoring is not None else args.out)
    if out.exists() and not args.force:
        raise VendorEvalError(f"{out}: already exists (use --force to overwrite)")
    if args.monitoring is not None:
        from vendor_eval.output.excel.monitoring_template import write_monitoring_template

        vendors, kpis = monitoring_prefill(args)
        write_monitoring_template(out, vendors=vendors, kpis=kpis)
    else:
        from vendor_eval.workbook.template import write_template

        write_template(out)
    print(f"wrote {terminal_text(out)}")
    return EXIT_OK


def monitoring_prefill(args: argparse.Namespace) -> tuple[Sequence[str], Sequence[Kpi]]:
    """The vendors and KPIs the monitoring template is pre-filled with: ``--project``'s
    (:func:`vendor_eval.monitoring.project.template_for`), else none."""
    if not getattr(args, "project", None):
        return (), ()
    from vendor_eval.cli.common import acting, database
    from vendor_eval.monitoring.project import template_for

    with database(args) as db:
        return template_for(acting(args), db, args.project)


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


def print_ranking(ranking: Ranking, fmt: str, out: str | None = None) -> None:
    """The ranking on stdout as ``fmt`` (table, json or csv), its notes and the evaluation's
    warnings on stderr; with ``out``, the Excel ranking workbook written there too. The JSON
    is :func:`~vendor_eval.output.text.ranking_records` (each record with its ``stage`` and
    the ``settings`` that applied)."""
    from vendor_eval.output.text import format_csv, format_table, ranking_records, to_json

    if out:
        from vendor_eval.output.excel.export import write_export

        write_export(ranking, out)
    print_warnings(ranking.evaluation)
    for m in ranking.messages:
        print(f"note: {terminal_text(m)}", file=sys.stderr)
    if fmt == "json":
        print(to_json(_rounded(ranking_records(ranking))))
    elif fmt == "csv":
        text = format_csv(ranking)
        sys.stdout.write(terminal_text(text, lines=True) if _is_terminal(sys.stdout) else text)
    else:
        print(format_table(ranking))
    if out:
        print(f"wrote {terminal_text(out)}", file=sys.stderr)


def cmd_rank(args: argparse.Namespace) -> int:
    from vendor_eval.scoring.scorer import score

    if args.out and any(same_file(args.out, f) for f in (*args.workbook, args.criteria)):
        # the export would silently replace the analyst's own input workbook
        raise VendorEvalError(
            f"{args.out} is an input file: choose another name for --out (e.g. ranking.xlsx)"
        )
    overrides = setting_overrides(args)  # checked before the workbook is read
    ev = apply_settings(_load(args), overrides)
    ranking = score(ev)  # the method and policy from the settings: origins stay true
    print_setting_notes(ev, overrides)
    print_ranking(ranking, args.format, args.out)
    return EXIT_OK


def sensitivity_kappa(args: argparse.Namespace) -> float | None:
    """``--samples``, ``--kappa`` and ``--seed`` checked; the kappa to use (None = uniform)."""
    if args.samples < 1:
        raise VendorEvalError("--samples must be at least 1")
    if not args.uniform and not 0 < args.kappa < math.inf:  # NaN fails too
        raise VendorEvalError(
            f"--kappa must be a positive number (larger = closer to your weights), "
            f"not {args.kappa:g}"
        )
    if args.seed < 0:
        raise VendorEvalError("--seed must be 0 or more")
    return None if args.uniform else float(args.kappa)


def print_report(report: SensitivityReport, fmt: str, evaluation: Evaluation | None = None) -> None:
    """The stress-test report on stdout (table or json), the leader-only note on stderr.
    With ``evaluation`` (the one analysed) both say which settings applied: a ``Settings:``
    line, and the JSON's ``settings`` object (as ``rank --format json``'s, without a
    method: the stress tests are of the weighted sum)."""
    from vendor_eval.output.text import applied_settings, format_report, to_json
    from vendor_eval.stress.analysis import size_note

    note = size_note(len(report.p_first)) if report.leader_only else None
    if note:
        print(f"note: {note}", file=sys.stderr)
    if fmt != "json":
        print(format_report(report, evaluation=evaluation))
        return
    data = report.to_dict()
    if evaluation is not None:
        data.setdefault(
            "settings", applied_settings(evaluation.settings, method=None, missing=report.missing)
        )
    print(to_json(data))


def cmd_sensitivity(args: argparse.Namespace) -> int:
    from vendor_eval.stress.analysis import analyse

    kappa = sensitivity_kappa(args)
    overrides = setting_overrides(args)
    ev = apply_settings(_load(args), overrides)
    report = analyse(
        ev,
        samples=args.samples,
        seed=args.seed,
        kappa=kappa,
        missing=None,  # the settings' (the command line's, else the workbook's, else worst)
        leader_only=None,  # past FULL_ANALYSIS_MAX qualified vendors: docs/stress-tests.md §10
    )
    print_warnings(ev)
    print_setting_notes(ev, overrides)
    print_report(report, args.format, ev)
    return EXIT_OK


def cmd_combine(args: argparse.Namespace) -> int:
    """Write the combined workbook (atomically: never half a file), then one line."""
    from vendor_eval.output.excel.export import atomic_write
    from vendor_eval.workbook.combine import combined_workbook

    out = Path(args.out)
    if any(same_file(args.out, f) for f in args.files):
        raise VendorEvalError(
            f"{out} is an input file: choose another name for the combined workbook"
        )
    if out.exists() and not args.force:
        raise VendorEvalError(f"{out}: already exists (use --force to overwrite)")
    data, ev = combined_workbook(args.files, decimal=args.decimal)
    atomic_write(out, data, "the combined workbook")
    print_warnings(ev)
    n, files = len(ev.vendors), len(args.files)
    print(
        f"combined {n} vendor{'s' if n != 1 else ''} from {files} file{'s' if files != 1 else ''} "
        f"into {terminal_text(out)}"
    )
    return EXIT_OK


COMMANDS = {
    "validate": cmd_validate,
    "template": cmd_template,
    "rank": cmd_rank,
    "sensitivity": cmd_sensitivity,
    "combine": cmd_combine,
}
