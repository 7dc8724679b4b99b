"""The Sensitivity and Audit sheets of the export."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from typing import Any

from openpyxl.styles import Font

from vendor_eval import __version__
from vendor_eval.core.model import Method
from vendor_eval.output.excel.book import (
    LINE_HEIGHT,
    NOTE_FONT,
    TITLE_FONT,
    WRAP,
    Book,
    Sheet,
    col,
    text_lines,
)
from vendor_eval.output.excel.settings import settings_used
from vendor_eval.output.excel.sheets import Layout
from vendor_eval.stress.analysis import FULL_ANALYSIS_MAX, analyse

SENSITIVITY_SAMPLES = 2000
LEADER_ONLY_SCOPE = (
    f"leader-only (over {FULL_ANALYSIS_MAX:,} qualified vendors): P(rank 1) and "
    "critical weight changes; the full rank-probability matrix is not computed"
)
LIST_ALL_MAX = 50  # P(rank 1) rows: every vendor up to this many, else those above 0
AUDIT_LIST_MAX = 10_000  # warnings, messages or export notes listed on Audit
BOLD = Font(bold=True)
SENS_COLUMNS = 5  # the Sensitivity sheet's width: its notes wrap over columns A to E


def compute_sensitivity(lay: Layout) -> tuple[dict[str, Any] | None, str]:
    """The sensitivity report's dict for the export, or None and the reason it is missing.

    The stress tests decide the scope (:func:`vendor_eval.stress.analysis.analyse` with
    ``leader_only=None``: the leader-only analysis for a large register); the dict's
    ``scope`` says which one ran.
    """
    rk = lay.ranking
    if rk.method is not Method.WSM:
        return None, "Not computed: the stress tests model the weighted sum (method wsm)."
    try:
        report = analyse(
            rk.evaluation, missing=rk.missing.value, samples=SENSITIVITY_SAMPLES, seed=0,
            ranking=rk, leader_only=None,
        )  # fmt: skip
        out = report.to_dict()
    except Exception as e:  # the export must not fail because a stress test could not run
        return None, f"Not computed: {type(e).__name__}: {e}"
    out["scope"] = LEADER_ONLY_SCOPE if report.leader_only else "full analysis"
    return out, ""


def _num(x: object) -> float | None:
    try:
        f = float(x)  # type: ignore[arg-type]  # any cell: float() refusing it means no number
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def write_sensitivity(book: Book, sens: Mapping[str, Any] | None, why_not: str) -> None:
    """Verdict, P(rank 1) per vendor and the critical weight changes."""
    sh = book.sheet("Sensitivity", widths={1: 34, 2: 16, 3: 16, 4: 16, 5: 28})
    sh.append([sh.styled("Sensitivity of the ranking to the weights", font=TITLE_FONT)])
    if not sens:
        sh.wrapped_row(why_not or "Not computed.", last=SENS_COLUMNS)
        return
    r = sh.next_row
    verdict = str(sens.get("verdict", ""))
    lines = text_lines(verdict, sum(sh.width(j) for j in range(2, SENS_COLUMNS + 1)))
    sh.append(
        [sh.styled("Verdict", font=BOLD, alignment=WRAP),
         sh.text(verdict, f"B{r}", alignment=WRAP)],
        height=LINE_HEIGHT * lines if lines > 1 else None,
    )  # fmt: skip
    sh.ws.merged_cells.add(f"B{r}:{col(SENS_COLUMNS)}{r}")
    r = sh.next_row
    sh.append([sh.styled("Leader", font=BOLD), sh.text(str(sens.get("leader") or "—"), f"B{r}")])
    details = ", ".join(
        f"{k} {sens[k]}" for k in ("samples", "seed", "kappa", "weights") if k in sens
    )
    if details:
        sh.wrapped_row(f"Monte Carlo: {details}", last=SENS_COLUMNS, font=NOTE_FONT)
    if sens.get("scope"):
        sh.wrapped_row(f"Scope: {sens['scope']}", last=SENS_COLUMNS, font=NOTE_FONT)
    sh.append([])
    sh.append([sh.styled("Vendor", font=BOLD), sh.styled("P(rank 1)", font=BOLD)])
    p_first = sens.get("p_first") or {}
    ranked = sorted(p_first.items(), key=lambda kv: -(_num(kv[1]) or 0.0))
    shown = ranked if len(ranked) <= LIST_ALL_MAX else [kv for kv in ranked if _num(kv[1])]
    for v, p in shown:
        r = sh.next_row
        sh.append([sh.text(str(v), f"A{r}"), sh.styled(_num(p), number_format="0.0%")])
    if len(shown) < len(ranked):
        rest = len(ranked) - len(shown)
        sh.append([sh.styled(f"the other {rest:,} qualified vendors", font=NOTE_FONT),
                   sh.styled(0.0, number_format="0.0%")])  # fmt: skip
    sh.append([])
    sh.append([sh.styled("Critical weight changes", font=TITLE_FONT)])
    sh.append(
        [sh.styled(h, font=BOLD)
         for h in ("Factor", "Kind", "Current share", "Threshold share", "New leader")]
    )  # fmt: skip
    for c in sens.get("critical") or []:
        r = sh.next_row
        thr = _num(c.get("threshold"))
        sh.append(
            [
                sh.text(str(c.get("factor", "")), f"A{r}"),
                sh.text(str(c.get("kind", "")), f"B{r}"),
                sh.styled(_num(c.get("current")), number_format="0.0%"),
                sh.styled(thr, number_format="0.0%") if thr is not None else "none",
                sh.text(str(c.get("new_leader") or "—"), f"E{r}"),
            ]
        )
    _withdrawal(sh, sens.get("withdrawal"), str(sens.get("withdrawal_note") or ""))
    sh.append([])
    sh.wrapped_row("Computed by the tool for the weights as exported; it does not "
                   "recompute when a weight is edited.", last=SENS_COLUMNS,
                   font=NOTE_FONT)  # fmt: skip


def _withdrawal(sh: Sheet, rows: object, why_empty: str = "") -> None:
    """The withdrawal check (docs/stress-tests.md §11): for each qualified vendor but the
    leader, in ranking order, who would lead had it not bid; ``why_empty`` says why there
    are no rows when the check did not run. Left out of a report made before the check
    existed (no ``withdrawal`` key)."""
    if rows is None:
        return
    sh.append([])
    sh.append([sh.styled("Withdrawal check", font=TITLE_FONT)])
    sh.wrapped_row("Each qualified vendor's bid taken out in turn and everything scored "
                   "again (ranges, minimums, lowest price): who would lead.",
                   last=SENS_COLUMNS, font=NOTE_FONT)  # fmt: skip
    items = list(rows) if isinstance(rows, list | tuple) else []
    if not items:
        why = why_empty or "none: no qualified vendor besides the leader"
        sh.wrapped_row(why, last=SENS_COLUMNS, font=NOTE_FONT)
        return
    heads = ("Withdrawn vendor", "Leader without it", "Changes the leader")
    sh.append([sh.styled(h, font=BOLD) for h in heads])
    for item in items:
        r = sh.next_row
        changes = bool(_field(item, "changes_leader"))
        sh.append(
            [
                sh.text(str(_field(item, "withdrawn") or ""), f"A{r}"),
                sh.text(str(_field(item, "leader") or "—"), f"B{r}"),
                sh.styled("yes" if changes else "no", font=BOLD if changes else None),
            ]
        )


def _field(item: object, key: str) -> object:
    """``key`` of a withdrawal row: a dict (``to_dict()``) or a ``Withdrawal``."""
    return item.get(key) if isinstance(item, Mapping) else getattr(item, key, None)


def sensitivity_note(sens: Mapping[str, Any] | None, why_not: str, given: bool) -> str:
    """One line for Audit: what the Sensitivity sheet holds and who computed it."""
    if not sens:
        return why_not or "Not computed."
    who = "given by the caller" if given else "computed by the export"
    n = sens.get("samples")
    samples = f", {n:,} weight samples" if isinstance(n, int) else ""
    scope = f"; {sens['scope']}" if sens.get("scope") else ""
    return f"{who}{samples}{scope}"


def write_audit(book: Book, lay: Layout, generated_at: dt.datetime, sensitivity: str = "") -> None:
    """Tool version, method, policy, time, input file and hash, counts, every warning."""
    rk = lay.ranking
    ev = rk.evaluation
    sh = book.sheet("Audit", widths={1: 30, 2: 90, 3: 24})
    sh.append([sh.styled("Audit trail", font=TITLE_FONT)])
    stamp = generated_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    items: list[tuple[str, object]] = [
        ("Tool", f"vendor_eval {__version__}"),
        ("Method", rk.method.value),
        ("Missing-value policy", rk.missing.value),
        ("Generated (UTC)", stamp),
        ("Input file", ev.source_name or "(not from a file)"),
        ("Input SHA-256", ev.source_sha256 or "(unknown)"),
        ("Vendors", len(ev.vendors)),
        ("Qualified vendors", int(rk.table["qualified"].to_numpy(dtype=bool).sum())),
        ("Criteria", len(ev.criteria)),
        ("Categories", len(ev.category_names)),
        ("Category weights", "yes" if ev.categories is not None else "no (flat weights)"),
        (
            "Criteria from",
            ev.criteria_from or ("built-in default model" if ev.default_model else "the workbook"),
        ),
        ("Evaluator consensus", ev.consensus.value if ev.scores is not None else "—"),
        ("Sensitivity", sensitivity or "—"),
    ]
    for k, v in items:
        r = sh.next_row
        lines = text_lines(v, sh.width(2)) if isinstance(v, str) else 1
        sh.append(
            [
                sh.styled(k, font=BOLD),
                sh.value(v, f"B{r}", alignment=WRAP) if lines > 1 else sh.value(v, f"B{r}"),
            ],
            height=LINE_HEIGHT * lines if lines > 1 else None,
        )
    sh.append([])
    sh.append([sh.styled("Settings", font=TITLE_FONT)])
    sh.append([sh.styled(h, font=BOLD) for h in ("Setting", "Value used", "Where from")])
    for used in settings_used(rk):
        r = sh.next_row
        sh.append([sh.styled(used.row.name, font=BOLD), sh.text(used.shown, f"B{r}"),
                   used.origin])  # fmt: skip
    topsis_note = (
        [
            f"Method {rk.method.value}: the Score column holds the tool's TOPSIS scores "
            "(fixed); 'WSM score (live)' is the weighted sum."
        ]
        if rk.method is Method.TOPSIS
        else []
    )
    staged_note = (
        [
            "Stages: must-haves, then the quality minimums, then prices scored over the "
            "vendors that remain (Summary, Disqualified at). A weight edit does not re-judge "
            "the minimums: a category score shown in red is below its minimum."
        ]
        if ev.staged
        else []
    )
    no_data_note = (
        [
            "An empty category score on Summary (with a comment) is no data: the vendor has "
            "no value in any of the category's criteria and missing values are excluded, so "
            "there is nothing to score there; its total is over the criteria it has."
        ]
        if bool(rk.category_no_data.to_numpy().any())
        else []
    )
    costs_note = (
        ["Cost breakdown is computed by the tool from the Costs sheet (not read back)."]
        if ev.costs is not None
        else []
    )
    inputs = ", ".join(
        t for t in ("Vendors", "Criteria", "Categories", "Scores", "Costs", "Settings")
        if t in book.sheets
    )  # fmt: skip
    how = [
        "Summary scores, category scores, completeness and ranks are live formulas over "
        "Weights and Criterion scores: edit a yellow weight on Weights and they recompute.",
        "Normalised scores (Criterion scores), gates and minimums (Status) and the "
        "Sensitivity sheet are computed by the tool and do not change when Data is edited.",
        f"{inputs} are the input model: this file can be imported again.",
        *staged_note,
        *no_data_note,
        *costs_note,
        *topsis_note,
    ]
    _section(sh, "How this workbook works", how)
    _section(sh, f"Warnings ({len(ev.warnings)})", [str(w) for w in ev.warnings])
    _section(sh, f"Messages ({len(rk.messages)})", list(rk.messages))
    _section(sh, f"Export notes ({len(book.guard.notes)})", list(book.guard.notes))


def _section(sh: Sheet, title: str, lines: list[str]) -> None:
    """A titled list; past :data:`AUDIT_LIST_MAX` lines, the rest are counted, not listed
    (a workbook with a warning on every cell would not fit in a sheet)."""
    sh.append([])
    sh.append([sh.styled(title, font=TITLE_FONT)])
    if not lines:
        sh.append([sh.styled("none", font=NOTE_FONT)])
    width = sh.width(2)
    for line in lines[:AUDIT_LIST_MAX]:
        r = sh.next_row
        k = text_lines(line, width)
        sh.append(
            [None, sh.text(line, f"B{r}", alignment=WRAP)],
            height=LINE_HEIGHT * k if k > 1 else None,
        )
    if len(lines) > AUDIT_LIST_MAX:
        rest = len(lines) - AUDIT_LIST_MAX
        sh.append([None, sh.styled(f"… and {rest:,} more (vendor-eval validate lists them all)",
                                   font=NOTE_FONT)])  # fmt: skip
