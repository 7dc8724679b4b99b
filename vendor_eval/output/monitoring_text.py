"""The monitoring on the terminal and as JSON (``monitor``, ``project monitor``, ``project
actions``): formats what :mod:`vendor_eval.monitoring.scoring` computed, never computes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from vendor_eval.core.model import format_number
from vendor_eval.monitoring.scoring import (
    Action,
    Monitoring,
    PeriodScore,
    Promise,
    VendorPerformance,
)
from vendor_eval.output.safety import terminal_text
from vendor_eval.output.text import aligned_table, to_json

__all__ = [
    "actions_table",
    "format_monitoring",
    "monitoring_json",
    "portfolio_rows",
    "promise_text",
    "score_text",
]


def score_text(score: float | None) -> str:
    """A 0–100 score with one decimal; ``no data`` without one (never 0)."""
    return "no data" if score is None else f"{score:.1f}"


def _share(x: float) -> str:
    return f"{100 * x:.0f}%"


def _value(x: float | None, unit: str) -> str:
    if x is None:
        return "not known"
    shown = format_number(x, 4)
    return f"{shown} {unit}" if unit else shown


def promise_text(p: Promise) -> str:
    """``promised 99.9 %, delivered 99.7 % (mean of the last 3 reports): 0.2 short``."""
    promised = _value(p.promised, p.unit)
    if p.delivered is None:
        return f"promised {promised}, nothing delivered yet"
    delivered = f"{_value(p.delivered, p.unit)} (mean of the last {p.reports} report" + (
        "s)" if p.reports != 1 else ")"
    )
    gap = p.gap
    if gap is None:
        return f"promised {promised}, delivered {delivered}"
    if p.short:
        verdict = f"{format_number(abs(gap), 4)} short of the promise"
    elif gap == 0:
        verdict = "as promised"
    else:
        verdict = f"{format_number(abs(gap), 4)} better than promised"
    return f"promised {promised}, delivered {delivered}: {verdict}"


def _trend_text(v: VendorPerformance) -> str:
    t = v.trend
    if t.mean_last_3 is None:
        return "no results yet"
    shown = f"mean of the last {min(3, t.periods)} {score_text(t.mean_last_3)}"
    if t.slope_last_6 is None:
        return shown
    over = min(6, t.periods)
    return f"{shown}, {t.arrow} {t.slope_last_6:+.1f} points a period over the last {over}"


def _period_row(p: PeriodScore) -> list[str]:
    return [
        p.period.label,
        score_text(p.score),
        p.standing or "—",
        _share(p.completeness),
        ", ".join(p.breaches) or "—",
    ]


def _action_line(a: Action) -> str:
    owner = a.owner or "no owner"
    closed = f", closed {a.closed.isoformat()}" if a.closed else ""
    note = f" ({a.note})" if a.note else ""
    return (
        f"{a.kpi}: opened {a.period.label} after {a.run} periods in breach, due "
        f"{a.due.isoformat()}, {a.status}{closed}, {owner}{note}"
    )


def portfolio_rows(result: Monitoring) -> list[list[str]]:
    """Vendor, latest period, score, standing, trend arrow, open actions."""
    rows = []
    for name, v in result.vendors.items():
        latest = v.latest
        rows.append([
            name,
            latest.period.label if latest else "—",
            score_text(latest.score if latest else None),
            (latest.standing or "—") if latest else "—",
            v.trend.arrow or "—",
            str(len(v.open_actions)),
        ])  # fmt: skip
    return rows


def _vendor_block(v: VendorPerformance) -> list[str]:
    lines = [f"{v.vendor}", f"  Trend: {_trend_text(v)}"]
    if v.periods:
        table = aligned_table(
            ["Period", "Score", "Standing", "Reported", "Breaches"],
            [_period_row(p) for p in v.periods],
            right=(1, 3),
        )
        lines += ["  " + line for line in table.splitlines()]
    else:
        lines.append("  No results reported yet.")
    if v.actions:
        lines.append("  Corrective actions:")
        lines += [f"    {_action_line(a)}" for a in v.actions]
    if v.promises:
        lines.append("  Promised vs delivered:")
        lines += [f"    {p.kpi} ({p.criterion}): {promise_text(p)}" for p in v.promises]
    return [terminal_text(line) for line in lines]  # names, owners, notes stay inert


def format_monitoring(result: Monitoring, *, title: str = "") -> str:
    """Every monitored vendor's periods, trend, actions and promises, then the portfolio."""
    kind = result.book.kind
    head = title or result.book.file or "Monitoring"
    lines = [terminal_text(head) + (f" — results by {kind.value}" if kind else "")]
    bands = ", ".join(f"{b.name} ≥ {format_number(b.minimum)}" for b in result.book.standings)
    lines.append(terminal_text(f"Standings: {bands}"))
    for v in result.vendors.values():
        lines += ["", *_vendor_block(v)]
    if len(result.vendors) > 1:
        lines += ["", "Portfolio"]
        table = aligned_table(
            ["Vendor", "Latest", "Score", "Standing", "Trend", "Open actions"],
            portfolio_rows(result),
            right=(2, 5),
        )
        lines += ["  " + line for line in table.splitlines()]
    for w in result.book.warnings:
        lines.append(f"warning: {terminal_text(str(w))}")
    return "\n".join(lines)


def monitoring_json(result: Monitoring) -> str:
    return to_json(result.as_json())


def actions_table(actions: Sequence[Action], fmt: str = "table") -> str:
    """The corrective actions, one per line (or JSON)."""
    if fmt == "json":
        data: list[dict[str, Any]] = [
            {"vendor": a.vendor, **a.as_json(), "note": a.note, "run": a.run} for a in actions
        ]
        return to_json(data)
    if not actions:
        return "No corrective actions: no KPI has been in breach two periods running."
    rows = [
        [
            a.vendor, a.kpi, a.period.label, a.due.isoformat(), a.status,
            a.closed.isoformat() if a.closed else "—", a.owner or "—", a.note or "",
        ]
        for a in actions
    ]  # fmt: skip
    return aligned_table(
        ["Vendor", "KPI", "Opened", "Due", "Status", "Closed", "Owner", "Note"], rows
    )
