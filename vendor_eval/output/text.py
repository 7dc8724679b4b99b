"""Plain-text renderings of a :class:`~vendor_eval.scoring.ranking.Ranking` for the command line.

``format_table`` is an aligned table for a terminal; ``format_csv`` a flat CSV whose text
cells are protected against CSV (formula) injection as OWASP recommends: a cell that starts
with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading single quote, so
Excel or LibreOffice shows it as text instead of running it. Numbers stay numbers.
``format_report`` is the terminal report of a
:class:`~vendor_eval.stress.report.SensitivityReport` (the stress tests).
"""

from __future__ import annotations

import csv
import io
import math
import unicodedata

import pandas as pd

from vendor_eval.core.model import format_number
from vendor_eval.output.safety import csv_safe
from vendor_eval.scoring.ranking import DISQUALIFIED, QUALIFIED, Ranking
from vendor_eval.stress.report import SensitivityReport

_METHOD_NAMES = {"wsm": "weighted sum", "topsis": "TOPSIS"}


def protect_cell(text: str) -> str:
    """OWASP CSV-injection rule: prefix ``'`` to text starting with = + - @ tab or CR.

    The same rule as the Excel export (:func:`vendor_eval.output.safety.csv_safe`), which
    also counts a leading LF: a CR in a spreadsheet cell is stored as LF.
    """
    return csv_safe(text)


def _printable(text: str) -> str:
    """Text safe for a terminal: control characters (newlines, escapes) become spaces."""
    return "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in str(text))


def _width(text: str) -> int:
    """Terminal columns taken by ``text`` (wide East Asian characters take two)."""
    return sum(
        0
        if unicodedata.combining(ch)
        else 2
        if unicodedata.east_asian_width(ch) in ("W", "F")
        else 1
        for ch in text
    )


def _pad(text: str, width: int, right: bool = False) -> str:
    gap = " " * max(width - _width(text), 0)
    return gap + text if right else text + gap


def _rank_text(rank: float) -> str:
    return "-" if pd.isna(rank) else str(int(rank))


def format_table(ranking: Ranking) -> str:
    """An aligned table: Rank, Vendor, Status, Score, Completeness, Reasons.

    Disqualified vendors show ``-`` as rank and their failed must-haves as reasons. The
    first line names the method and the missing-value policy.
    """
    t = ranking.table
    headers = ["Rank", "Vendor", "Status", "Score", "Complete", "Reasons"]
    rows = [
        [
            _rank_text(r),
            _printable(v),
            QUALIFIED if q else DISQUALIFIED,
            f"{float(s):.1f}",
            f"{float(c):.0%}",
            _printable("; ".join(reasons)),
        ]
        for v, r, s, q, c, reasons in zip(
            t.index, t["rank"], t["score"], t["qualified"], t["completeness"], t["reasons"],
            strict=True,
        )
    ]  # fmt: skip
    widths = [max([_width(h)] + [_width(row[k]) for row in rows]) for k, h in enumerate(headers)]
    right = {0, 3, 4}

    def line(cells: list[str]) -> str:
        out = [_pad(c, widths[k], k in right) for k, c in enumerate(cells)]
        return "  ".join(out).rstrip()

    method = _METHOD_NAMES.get(ranking.method.value, ranking.method.value)
    title = f"Ranking by {method} (missing values: {ranking.missing.value})"
    rule = "  ".join("-" * w for w in widths)
    return "\n".join([title, "", line(headers), rule.rstrip(), *(line(r) for r in rows)])


def _number(x: float) -> float | str:
    x = float(x)
    return "" if math.isnan(x) else round(x, 6)


def format_csv(ranking: Ranking) -> str:
    """Flat CSV, best first.

    Columns: ``rank``, ``vendor``, ``status``, ``score``, ``completeness``, ``reasons``
    (joined with ``"; "``), then ``category: <name>`` per category (0–100) and
    ``points: <criterion>`` per criterion contribution. Every text cell (headers included)
    is protected against formula injection; numeric cells are plain numbers.
    """
    t = ranking.table
    cats = list(ranking.category_scores.columns)
    crits = list(ranking.contributions.columns)
    header = ["rank", "vendor", "status", "score", "completeness", "reasons"]
    header += [f"category: {c}" for c in cats] + [f"points: {c}" for c in crits]
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([protect_cell(h) for h in header])
    cat_values = ranking.category_scores.to_numpy(dtype=float)
    contrib = ranking.contributions.to_numpy(dtype=float)
    for i, v in enumerate(t.index):
        rank = t["rank"].iloc[i]
        row: list[object] = [
            "" if pd.isna(rank) else int(rank),
            protect_cell(str(v)),
            QUALIFIED if bool(t["qualified"].iloc[i]) else DISQUALIFIED,
            _number(t["score"].iloc[i]),
            _number(t["completeness"].iloc[i]),
            protect_cell("; ".join(t["reasons"].iloc[i])),
        ]
        row += [_number(x) for x in cat_values[i]]
        row += [_number(x) for x in contrib[i]]
        writer.writerow(row)
    return buf.getvalue()


def _share(x: float | None) -> str:
    return "—" if x is None else f"{x:.3f}"


def format_report(report: SensitivityReport, max_ranks: int = 5) -> str:
    """A readable plain-text report for the terminal."""
    weights = (
        "uniform (no preference)"
        if report.kappa is None
        else (f"Dirichlet, kappa = {format_number(report.kappa)}")
    )
    lines = [
        f"Robustness of the weighted-sum ranking (missing values: {report.missing.value})",
        f"{report.samples:,} weight samples, {weights}, seed {report.seed}",
        "",
        report.verdict,
    ]
    vendors = list(report.rank_probabilities)
    if vendors:
        width = max(len("Vendor"), *(len(v) for v in vendors))
        n_ranks = min(max_ranks, len(vendors))
        head = f"{'Vendor':<{width}}  " + "  ".join(
            f"{'P(' + str(r) + ')':>7}" for r in range(1, n_ranks + 1)
        )
        lines += ["", "Rank probabilities (share of weight samples)", head]
        order = sorted(
            vendors,
            key=lambda v: (
                -report.p_first[v],
                sum((r + 1) * q for r, q in enumerate(report.rank_probabilities[v])),
            ),
        )
        for v in order:
            probs = report.rank_probabilities[v][:n_ranks]
            lines.append(f"{v:<{width}}  " + "  ".join(f"{q:>7.1%}" for q in probs))
    if report.critical:
        fw = max(len("Factor"), *(len(c.factor) for c in report.critical))
        lines += [
            "",
            "Critical weight changes (smallest first)",
            f"{'Factor':<{fw}}  {'Kind':<9}  {'Current':>7}  {'Flips at':>8}  "
            f"{'Change':>7}  New leader",
        ]
        for c in report.critical:
            change = "—" if c.change is None else f"{c.change:+.3f}"
            lines.append(
                f"{c.factor:<{fw}}  {c.kind:<9}  {c.current:>7.3f}  {_share(c.threshold):>8}  "
                f"{change:>7}  {c.new_leader or 'none'}"
            )
    if vendors:
        lines += ["", "Method agreement"]
        if report.methods_note:
            lines.append(report.methods_note)
        else:
            tau = "n/a" if report.kendall_tau is None else f"{report.kendall_tau:.3f}"
            lines.append(f"Kendall's tau-b between WSM and TOPSIS ranks: {tau}")
            width = max(len("Vendor"), *(len(v) for v in vendors))
            lines.append(f"{'Vendor':<{width}}  {'WSM':>4}  {'TOPSIS':>6}")
            for v in vendors:
                m = report.methods[v]
                t = "—" if m["topsis_rank"] is None else str(m["topsis_rank"])
                lines.append(f"{v:<{width}}  {m['wsm_rank']!s:>4}  {t:>6}")
    if report.disqualified:
        lines += ["", "Not ranked (disqualified): " + ", ".join(report.disqualified)]
    return "\n".join(lines)
