"""Plain-text renderings of a :class:`~vendor_eval.scoring.ranking.Ranking` for the command line.

``format_table`` is an aligned table for a terminal; ``format_csv`` a flat CSV whose text
cells are protected against CSV (formula) injection as OWASP recommends: a cell that starts
with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return (or a look-alike of one, after
blanks) gets a leading single quote, so Excel or LibreOffice shows it as text instead of
running it — also after a ``,``, ``;``, tab or line break inside the cell, so opening the
file with another separator does not start a formula there either; such cells are quoted
(:func:`vendor_eval.output.safety.csv_field`). Numbers stay numbers.
``format_report`` is the terminal report of a
:class:`~vendor_eval.stress.report.SensitivityReport` (the stress tests). Every name in the
table and the report goes through :func:`~vendor_eval.output.safety.terminal_text`: escape
sequences and other control characters are shown, not sent to the terminal.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Collection, Sequence

import pandas as pd

from vendor_eval.core.model import format_number
from vendor_eval.output.safety import csv_field, csv_safe, terminal_text
from vendor_eval.scoring.ranking import DISQUALIFIED, QUALIFIED, Ranking
from vendor_eval.stress.report import SensitivityReport

_METHOD_NAMES = {"wsm": "weighted sum", "topsis": "TOPSIS"}
# What to_json escapes (outside the BMP nothing needs it): C1 controls, DEL, bidi and other
# format characters, line and paragraph separators.
_JSON_UNSAFE = re.compile(
    "[\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]"
)


def protect_cell(text: str) -> str:
    """OWASP CSV-injection rule: prefix ``'`` to text starting with = + - @ tab, CR or LF
    (or a look-alike, after blanks), and after each separator inside it
    (:func:`vendor_eval.output.safety.csv_safe`)."""
    return csv_safe(text)


def _printable(text: object) -> str:
    """One line safe for a terminal: control characters shown as symbols (␛, ␊, …)."""
    return terminal_text(text)


def to_json(obj: object) -> str:
    """``obj`` as indented JSON that is safe to print: non-ASCII text stays readable, but
    every control, bidirectional or separator character in a string is a ``\\uXXXX``
    escape (JSON already escapes C0 controls; C1 ones such as CSI U+009B and bidi overrides
    would otherwise reach the terminal raw). The data is unchanged."""
    text = json.dumps(obj, indent=2, ensure_ascii=False)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)


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


def aligned_table(
    headers: Sequence[object], rows: Sequence[Sequence[object]], *, right: Collection[int] = ()
) -> str:
    """An aligned text table, the one layout every table on the command line uses: the
    header row, a rule of dashes as wide as each column, then the rows. Columns are two
    spaces apart and as wide as their widest cell in terminal columns (a wide East Asian
    character takes two); the columns whose index is in ``right`` (numbers) are aligned to
    the right, the others to the left; no line ends in blanks. Every cell (headers too) is
    shown inert on one line (:func:`~vendor_eval.output.safety.terminal_text`)."""
    head = [terminal_text(h) for h in headers]
    cells = [[terminal_text(c) for c in row] for row in rows]
    widths = [max([_width(h)] + [_width(row[k]) for row in cells]) for k, h in enumerate(head)]

    def line(row: Sequence[str]) -> str:
        return "  ".join(_pad(c, widths[k], k in right) for k, c in enumerate(row)).rstrip()

    rule = "  ".join("-" * w for w in widths).rstrip()
    return "\n".join([line(head), rule, *(line(r) for r in cells)])


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
    method = _METHOD_NAMES.get(ranking.method.value, ranking.method.value)
    title = f"Ranking by {method} (missing values: {ranking.missing.value})"
    return "\n".join([title, "", aligned_table(headers, rows, right=(0, 3, 4))])


def _number(x: float) -> float | None:
    x = float(x)
    return None if math.isnan(x) else round(x, 6)


def format_csv(ranking: Ranking, delimiter: str = ",") -> str:
    """Flat CSV, best first, fields separated by ``delimiter`` (``,``, ``;`` or tab).

    Columns: ``rank``, ``vendor``, ``status``, ``score``, ``completeness``, ``reasons``
    (joined with ``"; "``), then ``category: <name>`` per category (0–100) and
    ``points: <criterion>`` per criterion contribution. Every text cell (headers included)
    is protected against formula injection whichever separator the file is opened with;
    numeric cells are plain numbers.
    """
    if delimiter not in (",", ";", "\t"):
        raise ValueError(f"the CSV separator must be a comma, semicolon or tab, not {delimiter!r}")
    t = ranking.table
    cats = list(ranking.category_scores.columns)
    crits = list(ranking.contributions.columns)
    header = ["rank", "vendor", "status", "score", "completeness", "reasons"]
    header += [f"category: {c}" for c in cats] + [f"points: {c}" for c in crits]
    lines = [delimiter.join(csv_field(h) for h in header)]
    cat_values = ranking.category_scores.to_numpy(dtype=float)
    contrib = ranking.contributions.to_numpy(dtype=float)
    for i, v in enumerate(t.index):
        rank = t["rank"].iloc[i]
        row: list[object] = [
            None if pd.isna(rank) else int(rank),
            str(v),
            QUALIFIED if bool(t["qualified"].iloc[i]) else DISQUALIFIED,
            _number(t["score"].iloc[i]),
            _number(t["completeness"].iloc[i]),
            "; ".join(t["reasons"].iloc[i]),
        ]
        row += [_number(x) for x in cat_values[i]]
        row += [_number(x) for x in contrib[i]]
        lines.append(delimiter.join(csv_field(x) for x in row))
    return "\n".join(lines) + "\n"


def _share(x: float | None) -> str:
    return "—" if x is None else f"{x:.3f}"


def format_report(report: SensitivityReport, max_ranks: int = 5, max_leaders: int = 10) -> str:
    """A readable plain-text report for the terminal (names shown safely, aligned by the
    columns they take on screen)."""
    t = _printable  # every name and sentence naming one
    weights = (
        "uniform (no preference)"
        if report.kappa is None
        else (f"Dirichlet, kappa = {format_number(report.kappa)}")
    )
    lines = [
        f"Robustness of the weighted-sum ranking (missing values: {report.missing.value})",
        f"{report.samples:,} weight samples, {weights}, seed {report.seed}",
        "",
        t(report.verdict),
    ]
    vendors = list(report.rank_probabilities)
    shown = {v: t(v) for v in vendors}
    if vendors:
        width = max(len("Vendor"), *(_width(s) for s in shown.values()))
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
            lines.append(_pad(shown[v], width) + "  " + "  ".join(f"{q:>7.1%}" for q in probs))
    elif report.p_first:  # the leader-only analysis of a large shortlist
        top = sorted(report.p_first, key=lambda v: -report.p_first[v])[:max_leaders]
        width = max(len("Vendor"), *(_width(t(v)) for v in top))
        lines += ["", f"Chance of ranking first (the {len(top)} most likely)"]
        lines += [f"{'Vendor':<{width}}  {'P(1)':>7}"]
        lines += [f"{_pad(t(v), width)}  {report.p_first[v]:>7.1%}" for v in top]
    if report.critical:
        factors = [t(c.factor) for c in report.critical]
        fw = max(len("Factor"), *(_width(f) for f in factors))
        lines += [
            "",
            "Critical weight changes (smallest first)",
            f"{'Factor':<{fw}}  {'Kind':<9}  {'Current':>7}  {'Flips at':>8}  "
            f"{'Change':>7}  New leader",
        ]
        for c, factor in zip(report.critical, factors, strict=True):
            change = "—" if c.change is None else f"{c.change:+.3f}"
            lines.append(
                f"{_pad(factor, fw)}  {c.kind:<9}  {c.current:>7.3f}  {_share(c.threshold):>8}  "
                f"{change:>7}  {t(c.new_leader) if c.new_leader else 'none'}"
            )
    if vendors:
        lines += ["", "Method agreement"]
        if report.methods_note:
            lines.append(t(report.methods_note))
        else:
            tau = "n/a" if report.kendall_tau is None else f"{report.kendall_tau:.3f}"
            lines.append(f"Kendall's tau-b between WSM and TOPSIS ranks: {tau}")
            width = max(len("Vendor"), *(_width(s) for s in shown.values()))
            lines.append(f"{'Vendor':<{width}}  {'WSM':>4}  {'TOPSIS':>6}")
            for v in vendors:
                m = report.methods[v]
                topsis = "—" if m["topsis_rank"] is None else str(m["topsis_rank"])
                lines.append(f"{_pad(shown[v], width)}  {m['wsm_rank']!s:>4}  {topsis:>6}")
    elif report.p_first:  # leader-only: the leaders, not a table of every vendor
        lines += ["", "Method agreement"]
        if report.methods_note:
            lines.append(t(report.methods_note))
        else:
            by_wsm, by_topsis = t(report.leader or "nobody"), t(report.topsis_leader or "nobody")
            lines.append(f"Leader under WSM: {by_wsm}; under TOPSIS: {by_topsis}")
    if report.disqualified:
        names = ", ".join(t(v) for v in report.disqualified)
        lines += ["", "Not ranked (disqualified): " + names]
    return "\n".join(lines)
