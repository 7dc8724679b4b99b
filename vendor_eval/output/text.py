"""Plain-text renderings of a :class:`~vendor_eval.scoring.ranking.Ranking` for the command line.

``format_table`` is an aligned table for a terminal; ``format_csv`` a flat CSV whose text
cells are protected against CSV (formula) injection as OWASP recommends: a cell that starts
with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return (or a look-alike of one, after
blanks) gets a leading single quote, so Excel or LibreOffice shows it as text instead of
running it — also after a ``,``, ``;``, tab or line break inside the cell, so opening the
file with another separator does not start a formula there either; such cells are quoted
(:func:`vendor_eval.output.safety.csv_field`). Numbers stay numbers.
``format_report`` is the terminal report of a
:class:`~vendor_eval.stress.report.SensitivityReport` (the stress tests), with the withdrawal
check ("if a bidder withdrew"). Every name in the table and the report goes through
:func:`~vendor_eval.output.safety.terminal_text`: escape sequences and other control
characters are shown, not sent to the terminal.

Both say which settings applied and where each came from (:func:`applied_settings`: the
workbook's Settings sheet, the command line, the project's settings, or the default), in
one ``Settings:`` line; ``rank --format json`` gives the same as a ``settings`` object in
each record (:func:`ranking_records`), with the ``stage`` a disqualified vendor fell at.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Collection, Mapping, Sequence
from typing import Any

import pandas as pd

from vendor_eval.core.model import (
    SETTING_DEFAULT,
    Evaluation,
    Method,
    MissingPolicy,
    Settings,
    format_number,
    origin_words,
)
from vendor_eval.output.safety import csv_field, csv_safe, terminal_text
from vendor_eval.scoring.ranking import DISQUALIFIED, QUALIFIED, Ranking, stage_label
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


def applied_settings(
    settings: Settings, *, method: Method | None, missing: MissingPolicy
) -> dict[str, dict[str, Any]]:
    """Every setting as it applied: field → ``{"value", "origin"}``, in Settings-sheet order.

    ``method`` and ``missing`` are what the run used (``method`` None: a run that has no
    method to choose, the stress tests; then it is left out). ``value`` is the value in
    force — the default when nobody set one (contract term 3, discount rate 0), ``None``
    for a quality minimum or disagreement threshold that is not set; ``origin`` is
    ``"workbook"``, ``"command line"``, ``"project"``, ``"default"`` or, for a method or
    policy given to ``score()`` directly, ``"chosen for this run"``.
    """
    out: dict[str, dict[str, Any]] = {}
    if method is not None:
        out["method"] = {
            "value": method.value,
            "origin": settings.origin_of_choice("method", method, Method.WSM),
        }
    out["missing"] = {
        "value": missing.value,
        "origin": settings.origin_of_choice("missing", missing, MissingPolicy.WORST),
    }
    q = settings.quality_minimum
    out["quality_minimum"] = {
        "value": None if q is None else float(q),
        "origin": settings.origin_of("quality_minimum"),
    }
    out["contract_term"] = {"value": settings.term, "origin": settings.origin_of("contract_term")}
    out["discount_rate"] = {"value": settings.rate, "origin": settings.origin_of("discount_rate")}
    t = settings.disagreement_threshold
    out["disagreement_threshold"] = {
        "value": None if t is None else float(t),
        "origin": settings.origin_of("disagreement_threshold"),
    }
    return out


def ranking_settings(ranking: Ranking) -> dict[str, dict[str, Any]]:
    """:func:`applied_settings` of a ranking (its evaluation's settings, method and policy)."""
    return applied_settings(
        ranking.evaluation.settings, method=ranking.method, missing=ranking.missing
    )


def _setting_text(field: str, value: Any) -> str:
    if field == "method":
        return f"method {value}"
    if field == "missing":
        return f"missing values {value}"
    if field == "quality_minimum":
        return f"quality minimum {format_number(float(value))}"
    if field == "contract_term":
        return f"contract term {value} year{'s' if value != 1 else ''}"
    if field == "discount_rate":
        return f"discount rate {format_number(round(float(value) * 100, 10))}%"
    return f"disagreement threshold {format_number(float(value))}"


def settings_line(applied: Mapping[str, Mapping[str, Any]], *, costs: bool) -> str:
    """One line naming the settings that count and where each came from: ``Settings: method
    wsm (default), missing values worst (from the workbook), quality minimum 60 (from the
    command line)``. The method and missing policy always; a quality minimum when set; the
    contract term and discount rate when ``costs`` (a Costs sheet makes them count) or when
    set. The disagreement threshold is the team's (not shown here)."""
    parts = []
    for field, item in applied.items():
        value, origin = item["value"], item["origin"]
        if field == "disagreement_threshold" or value is None:
            continue
        if field in ("contract_term", "discount_rate") and not costs and origin == SETTING_DEFAULT:
            continue
        if field == "quality_minimum" and origin == SETTING_DEFAULT:
            continue
        parts.append(f"{_setting_text(field, value)} ({origin_words(origin)})")
    return "Settings: " + ", ".join(parts)


def ranking_records(ranking: Ranking) -> list[dict[str, object]]:
    """``rank --format json``: :meth:`Ranking.to_records` with, in each record, the
    ``stage`` the vendor was disqualified at (``"must-have"`` or ``"minimum"``; ``""`` when
    qualified) and the ``settings`` that applied (:func:`applied_settings`, the same in
    every record: the JSON stays a list, docs/scoring.md §10)."""
    settings = ranking_settings(ranking)
    records = ranking.to_records()
    for record in records:
        record.setdefault("stage", ranking.stage_of(str(record["vendor"])))
        record.setdefault("settings", settings)
    return records


def shows_stages(ranking: Ranking) -> bool:
    """Whether the table and the CSV have a Stage column: when a vendor can fall at a
    category or quality minimum, not only at the must-have gates."""
    return ranking.evaluation.has_minimums


def _stage_text(ranking: Ranking, vendor: str) -> str:
    return stage_label(ranking.stage_of(vendor))


def _rank_text(rank: float) -> str:
    return "-" if pd.isna(rank) else str(int(rank))


def format_table(ranking: Ranking) -> str:
    """An aligned table: Rank, Vendor, Status, Score, Completeness, Reasons.

    Disqualified vendors show ``-`` as rank and their failed must-haves (or minimums) as
    reasons. The first line names the method and the missing-value policy, the second the
    settings and where each came from (:func:`settings_line`). When a vendor can fall at a
    minimum (the evaluation has a category or quality minimum) a Stage column after Status
    says where each disqualified vendor fell: "Must-have gate" or "Quality minimum".
    """
    t = ranking.table
    staged = shows_stages(ranking)
    headers = ["Rank", "Vendor", "Status", *(["Stage"] if staged else []), "Score", "Complete",
               "Reasons"]  # fmt: skip
    rows = [
        [
            _rank_text(r),
            _printable(v),
            QUALIFIED if q else DISQUALIFIED,
            *([_stage_text(ranking, str(v))] if staged else []),
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
    line = settings_line(ranking_settings(ranking), costs=ranking.evaluation.costs is not None)
    right = (0, 4, 5) if staged else (0, 3, 4)
    return "\n".join([title, line, "", aligned_table(headers, rows, right=right)])


def _number(x: float) -> float | None:
    x = float(x)
    return None if math.isnan(x) else round(x, 6)


def format_csv(ranking: Ranking, delimiter: str = ",") -> str:
    """Flat CSV, best first, fields separated by ``delimiter`` (``,``, ``;`` or tab).

    Columns: ``rank``, ``vendor``, ``status``, ``score``, ``completeness``, ``reasons``
    (joined with ``"; "``), then ``category: <name>`` per category (0–100; empty where
    the vendor has no value in any of its criteria under ``exclude``: no data, not 0) and
    ``points: <criterion>`` per criterion contribution. When a vendor can fall at a minimum
    (:func:`shows_stages`), a ``stage`` column follows ``status`` ("Must-have gate",
    "Quality minimum", empty for a qualified vendor). Every text cell (headers included)
    is protected against formula injection whichever separator the file is opened with;
    numeric cells are plain numbers.
    """
    if delimiter not in (",", ";", "\t"):
        raise ValueError(f"the CSV separator must be a comma, semicolon or tab, not {delimiter!r}")
    t = ranking.table
    cats = list(ranking.category_scores.columns)
    crits = list(ranking.contributions.columns)
    staged = shows_stages(ranking)
    header = ["rank", "vendor", "status", *(["stage"] if staged else []), "score",
              "completeness", "reasons"]  # fmt: skip
    header += [f"category: {c}" for c in cats] + [f"points: {c}" for c in crits]
    lines = [delimiter.join(csv_field(h) for h in header)]
    cat_values = ranking.shown_category_scores.to_numpy(dtype=float)  # NaN: no data, empty
    contrib = ranking.contributions.to_numpy(dtype=float)
    for i, v in enumerate(t.index):
        rank = t["rank"].iloc[i]
        row: list[object] = [
            None if pd.isna(rank) else int(rank),
            str(v),
            QUALIFIED if bool(t["qualified"].iloc[i]) else DISQUALIFIED,
            *([_stage_text(ranking, str(v))] if staged else []),
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


def withdrawal_lines(report: SensitivityReport) -> list[str]:
    """The withdrawal check as a titled table: for each qualified vendor but the leader, in
    ranking order, who would lead had it never bid, and "yes" where that is not today's
    leader; then how many change the winner. When the check did not run, its note (why);
    nothing when there is neither (a single qualified vendor)."""
    rows = list(getattr(report, "withdrawal", None) or [])  # reports from before the check
    if not rows:
        note = str(getattr(report, "withdrawal_note", "") or "")  # why it did not run
        return ["", "If a bidder withdrew", _printable(note)] if note else []
    table = aligned_table(
        ["Withdrawn", "Leader without it", "Winner changes"],
        [
            [w.withdrawn, "nobody" if w.leader is None else w.leader,
             "yes" if w.changes_leader else "no"]
            for w in rows
        ],
    )  # fmt: skip
    changed = sum(1 for w in rows if w.changes_leader)
    summary = (
        f"{changed} of {len(rows)} withdrawals would change the winner"
        if changed
        else "No single withdrawal changes the winner"
    )
    return ["", "If a bidder withdrew (everything scored again without it)", table, summary]


def format_report(
    report: SensitivityReport,
    max_ranks: int = 5,
    max_leaders: int = 10,
    *,
    evaluation: Evaluation | None = None,
) -> str:
    """A readable plain-text report for the terminal (names shown safely, aligned by the
    columns they take on screen). With ``evaluation`` (the one analysed), a second line
    names the settings that applied and where each came from (:func:`settings_line`)."""
    t = _printable  # every name and sentence naming one
    weights = (
        "uniform (no preference)"
        if report.kappa is None
        else (f"Dirichlet, kappa = {format_number(report.kappa)}")
    )
    lines = [
        f"Robustness of the weighted-sum ranking (missing values: {report.missing.value})",
        f"{report.samples:,} weight samples, {weights}, seed {report.seed}",
    ]
    if evaluation is not None:
        applied = applied_settings(evaluation.settings, method=None, missing=report.missing)
        lines.append(settings_line(applied, costs=evaluation.costs is not None))
    lines += ["", t(report.verdict)]
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
    lines += withdrawal_lines(report)
    if report.disqualified:
        names = ", ".join(t(v) for v in report.disqualified)
        lines += ["", "Not ranked (disqualified): " + names]
    return "\n".join(lines)
