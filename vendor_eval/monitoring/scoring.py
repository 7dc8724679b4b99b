"""Monitoring scores: KPI scores, period scores, standings, trends, actions, promises.

The rules are docs/monitoring.md §2, exactly:

- **KPI score** (higher is better; lower mirrors it): 100 if actual ≥ target, 0 if
  actual ≤ threshold, else ``100 · (actual − threshold) / (target − threshold)``. *Met*:
  at or better than the target; *breach*: worse than the threshold (a value exactly on the
  threshold scores 0 and is not a breach).
- **Period score**: the weighted mean of the KPI scores reported that period, the weights
  renormalised over those; **completeness** = the reported share of the vendor's KPI weight.
  A period in which the vendor reported nothing has no score (not 0) and completeness 0.
- **Standing**: the best band whose minimum the period score reaches.
- **Trend**: the mean of the last 3 scored periods and the least-squares slope over the last
  6 (x = 0, 1, 2, … in period order; fewer: over those there are; one period: no slope).
- **Repeated breach**: the same KPI in breach in two consecutive periods opens one
  corrective action, dated the run's second period; a third breach in a row opens no
  second one; a period without a report of that KPI (or one not in breach) ends the run.
- **Promised vs delivered**: for a KPI linked to a selection criterion, the vendor's value at
  selection beside the mean actual of the KPI's last 3 reports, and the gap
  (delivered − promised). A selection answer kept as a fraction of one (99.9 % is 0.999 in
  Excel) is read as a percentage when the KPI's unit is % and 100 times it is nearer the
  target (by ratio) than the answer itself.

The KPI scores are computed column-wise over the whole results frame (a portfolio of 200
vendors × 20 KPIs × 60 months is 240,000 results); objects are built per vendor and period
only.
"""

from __future__ import annotations

import calendar
import functools
import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd

from vendor_eval.core.model import Direction
from vendor_eval.monitoring.model import Kpi, MonitoringBook, Period, PeriodKind, Standing
from vendor_eval.workbook.schema import name_key

__all__ = [
    "ACTION_DUE_DAYS",
    "ACTION_STATUSES",
    "SCORE_DIGITS",
    "STEADY_SLOPE",
    "Action",
    "ActionKey",
    "Monitoring",
    "PeriodScore",
    "Promise",
    "Trend",
    "VendorPerformance",
    "period_end",
    "score_monitoring",
    "standing_of",
]

#: A corrective action is due this many days after the end of the period that opened it.
ACTION_DUE_DAYS = 30
#: An action's statuses, in the order a contract manager moves it along.
ACTION_STATUSES = ("open", "in progress", "closed")
#: Scores are rounded to this many decimals: 99.35 between 99.0 and 99.5 scores 70, not
#: 69.99999999999886, so a score on a band's minimum gets that band.
SCORE_DIGITS = 9
#: A trend slope (points per period) smaller than this either way reads as steady.
STEADY_SLOPE = 0.5

#: (vendor key, KPI key, period label): what identifies an action across runs and imports.
ActionKey = tuple[str, str, str]


@functools.cache
def period_end(period: Period) -> date:
    """The last day of a month or quarter."""
    last_month = period.index if period.kind is PeriodKind.MONTH else period.index * 3
    return date(period.year, last_month, calendar.monthrange(period.year, last_month)[1])


def standing_of(score: float | None, standings: tuple[Standing, ...]) -> str | None:
    """The best band (``standings`` best first) whose minimum ``score`` reaches."""
    if score is None:
        return None
    for band in standings:
        if score >= band.minimum:
            return band.name
    return standings[-1].name if standings else None


@dataclass(frozen=True)
class PeriodScore:
    """One vendor's period: its score (``None``: nothing reported), standing, completeness
    (0–1) and the KPIs in breach (sheet order)."""

    period: Period
    score: float | None
    standing: str | None
    completeness: float
    breaches: tuple[str, ...] = ()
    reported: int = 0

    def as_json(self) -> dict[str, Any]:
        return {
            "period": self.period.label,
            "score": self.score,
            "standing": self.standing,
            "completeness": self.completeness,
            "breaches": list(self.breaches),
        }


@dataclass(frozen=True)
class Trend:
    """The mean of the last 3 scored periods and the least-squares slope (points per
    period) over the last 6; ``None`` when there are too few periods."""

    mean_last_3: float | None
    slope_last_6: float | None
    periods: int = 0

    @property
    def direction(self) -> str:
        """``"up"``, ``"down"`` or ``"steady"`` (within :data:`STEADY_SLOPE`), ``""``
        without a slope."""
        if self.slope_last_6 is None:
            return ""
        if self.slope_last_6 >= STEADY_SLOPE:
            return "up"
        if self.slope_last_6 <= -STEADY_SLOPE:
            return "down"
        return "steady"

    @property
    def arrow(self) -> str:
        return {"up": "↑", "down": "↓", "steady": "→"}.get(self.direction, "")

    def as_json(self) -> dict[str, Any]:
        return {"mean_last_3": self.mean_last_3, "slope_last_6": self.slope_last_6}


@dataclass(frozen=True)
class Action:
    """A corrective action opened by a repeated breach.

    ``period`` is the run's second period; ``owner``, ``due``, ``status`` and ``closed`` are
    the defaults (no owner, due :data:`ACTION_DUE_DAYS` days after the period ends, open)
    until a project stores them.
    """

    vendor: str
    kpi: str
    period: Period
    due: date
    owner: str = ""
    status: str = "open"
    closed: date | None = None
    note: str = ""
    #: The number of consecutive periods in breach so far (2 or more).
    run: int = 2

    @property
    def key(self) -> ActionKey:
        return (name_key(self.vendor), name_key(self.kpi), self.period.label)

    @property
    def is_open(self) -> bool:
        return self.status != "closed"

    def as_json(self) -> dict[str, Any]:
        return {
            "kpi": self.kpi,
            "period": self.period.label,
            "owner": self.owner,
            "due": self.due.isoformat(),
            "status": self.status,
            "closed": self.closed.isoformat() if self.closed else None,
        }


@dataclass(frozen=True)
class Promise:
    """Promised vs delivered for one KPI linked to a selection criterion."""

    kpi: str
    criterion: str
    direction: Direction
    unit: str = ""
    promised: float | None = None
    delivered: float | None = None
    #: How many reports the delivered mean is over (up to 3).
    reports: int = 0

    @property
    def gap(self) -> float | None:
        """delivered − promised (``None`` when either is unknown)."""
        if self.promised is None or self.delivered is None:
            return None
        return self.delivered - self.promised

    @property
    def short(self) -> bool:
        """Whether the vendor delivers worse than it promised."""
        gap = self.gap
        if gap is None:
            return False
        return gap < 0 if self.direction is Direction.HIGHER else gap > 0

    def as_json(self) -> dict[str, Any]:
        return {
            "kpi": self.kpi,
            "criterion": self.criterion,
            "unit": self.unit,
            "promised": self.promised,
            "delivered": self.delivered,
            "gap": self.gap,
            "reports": self.reports,
            "short_of_promise": self.short,
        }


@dataclass(frozen=True)
class VendorPerformance:
    """One monitored vendor's record."""

    vendor: str
    kpis: tuple[Kpi, ...]
    periods: tuple[PeriodScore, ...]
    trend: Trend
    actions: tuple[Action, ...] = ()
    promises: tuple[Promise, ...] = ()

    @property
    def latest(self) -> PeriodScore | None:
        """The last period with a score."""
        return next((p for p in reversed(self.periods) if p.score is not None), None)

    @property
    def open_actions(self) -> tuple[Action, ...]:
        return tuple(a for a in self.actions if a.is_open)

    def as_json(self) -> dict[str, Any]:
        return {
            "periods": [p.as_json() for p in self.periods],
            "trend": self.trend.as_json(),
            "actions": [a.as_json() for a in self.actions],
            "promised_vs_delivered": [p.as_json() for p in self.promises],
        }


@dataclass(frozen=True)
class Monitoring:
    """The scored monitoring book.

    ``scored`` is the results frame with the KPI columns added (``score`` 0–100, ``met``,
    ``breach``, ``weight``), for the scorecard heatmap and the export.
    """

    book: MonitoringBook
    vendors: dict[str, VendorPerformance]
    scored: pd.DataFrame = field(repr=False)

    def results_of(self, vendor: str) -> pd.DataFrame:
        """The scored results of one vendor, in period then KPI-sheet order."""
        return self.scored[self.scored["vendor"] == vendor]

    @property
    def actions(self) -> list[Action]:
        return [a for v in self.vendors.values() for a in v.actions]

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.book.kind.value if self.book.kind else None,
            "standings": [{"standing": s.name, "minimum": s.minimum} for s in self.book.standings],
            "vendors": {name: v.as_json() for name, v in self.vendors.items()},
        }


# -- the computation ------------------------------------------------------------------------
@dataclass(frozen=True)
class _Grid:
    """The KPIs as arrays indexed [vendor, KPI] (KPIs by name key, in first-met order)."""

    names: list[str]
    applying: dict[str, tuple[Kpi, ...]]
    applies: np.ndarray
    target: np.ndarray
    threshold: np.ndarray
    weight: np.ndarray
    order: np.ndarray
    linked: np.ndarray

    @classmethod
    def of(cls, book: MonitoringBook) -> _Grid:
        code: dict[str, int] = {}
        names: list[str] = []
        for k in book.kpis:
            if name_key(k.name) not in code:
                code[name_key(k.name)] = len(names)
                names.append(k.name)
        shape = (len(book.vendors), len(names))
        grid = cls(
            names,
            {},
            np.zeros(shape, dtype=bool),
            np.zeros(shape),
            np.zeros(shape),
            np.zeros(shape),
            np.zeros(shape, dtype=np.int64),
            np.zeros(len(names), dtype=bool),
        )
        for i, vendor in enumerate(book.vendors):
            kpis = tuple(book.kpis_of(vendor))
            grid.applying[vendor] = kpis
            for order, k in enumerate(kpis):
                j = code[name_key(k.name)]
                grid.applies[i, j] = True
                grid.target[i, j] = k.target
                grid.threshold[i, j] = k.threshold
                grid.weight[i, j] = k.weight
                grid.order[i, j] = order
                grid.linked[j] |= bool(k.criterion)
        return grid


def _codes(column: pd.Series, index: Mapping[str, int]) -> np.ndarray:
    """Each cell's position in ``index`` (by name key; -1 when not there), computed over
    the column's distinct values only."""
    raw, uniques = pd.factorize(column)
    lookup = np.array([index.get(name_key(u), -1) for u in uniques] + [-1], dtype=np.int64)
    return lookup[raw]  # a missing value (code -1) takes the trailing -1


@dataclass(frozen=True)
class _Scored:
    """The applying results as arrays, sorted by vendor, period and KPI order."""

    vendor: np.ndarray
    kpi: np.ndarray
    period: np.ndarray
    actual: np.ndarray
    weight: np.ndarray
    score: np.ndarray
    breach: np.ndarray
    frame: pd.DataFrame


def _score_results(book: MonitoringBook, grid: _Grid) -> _Scored:
    results = book.results
    v = _codes(results["vendor"], {name_key(x): i for i, x in enumerate(book.vendors)})
    k = _codes(results["kpi"], {name_key(x): j for j, x in enumerate(grid.names)})
    keep = (v >= 0) & (k >= 0)
    keep[keep] = grid.applies[v[keep], k[keep]]
    frame = results if keep.all() else results.loc[keep]
    v, k = v[keep], k[keep]
    period = frame["period"].to_numpy(dtype=np.int64)
    actual = frame["actual"].to_numpy(dtype=float)
    target = grid.target[v, k]
    threshold = grid.threshold[v, k]
    weight = grid.weight[v, k]
    # Higher is better: (actual − threshold) / (target − threshold). For lower is better
    # both differences change sign, so the same quotient is the mirrored formula.
    score = np.round(
        100.0 * np.clip((actual - threshold) / (target - threshold), 0.0, 1.0), SCORE_DIGITS
    )
    higher = target > threshold
    met = np.where(higher, actual >= target, actual <= target)
    breach = np.where(higher, actual < threshold, actual > threshold)
    frame = frame.assign(score=score, met=met, breach=breach, weight=weight)
    order = np.lexsort((grid.order[v, k], period, v))
    return _Scored(
        v[order],
        k[order],
        period[order],
        actual[order],
        weight[order],
        score[order],
        breach[order],
        frame,
    )


def _trend(scores: np.ndarray) -> Trend:
    if len(scores) == 0:
        return Trend(None, None, 0)
    last3 = scores[-3:]
    last6 = scores[-6:]
    slope: float | None = None
    if len(last6) >= 2:
        dx = np.arange(len(last6), dtype=float)
        dx -= dx.mean()
        slope = float((dx * (last6 - last6.mean())).sum() / (dx * dx).sum())
    if slope is not None:
        slope = round(slope, SCORE_DIGITS)
    return Trend(round(float(last3.mean()), SCORE_DIGITS), slope, len(scores))


def _groups(keys: np.ndarray) -> list[tuple[int, int]]:
    """(start, end) of each run of equal values of the sorted ``keys``."""
    if len(keys) == 0:
        return []
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    ends = np.r_[starts[1:], len(keys)]
    return list(zip(starts.tolist(), ends.tolist(), strict=True))


def _actions(
    s: _Scored, book: MonitoringBook, grid: _Grid, kind: PeriodKind
) -> dict[int, list[Action]]:
    """One action per run of consecutive breaches of one KPI, dated the run's second period
    (with the run's length kept on it), by vendor index."""
    hit = np.flatnonzero(s.breach)
    out: dict[int, list[Action]] = {}
    if len(hit) == 0:
        return out
    v, k, p = s.vendor[hit], s.kpi[hit], s.period[hit]
    order = np.lexsort((p, k, v))
    v, k, p = v[order], k[order], p[order]
    same = np.zeros(len(p), dtype=bool)
    same[1:] = (v[1:] == v[:-1]) & (k[1:] == k[:-1]) & (p[1:] == p[:-1] + 1)
    run_id = np.cumsum(~same)
    run_length = np.bincount(run_id)
    position = np.arange(len(p)) - np.searchsorted(run_id, run_id)  # 0 at a run's start
    for i in np.flatnonzero(position == 1).tolist():
        opened = Period(kind, int(p[i]))
        vendor = int(v[i])
        action = Action(
            vendor=book.vendors[vendor],
            kpi=grid.names[int(k[i])],
            period=opened,
            due=period_end(opened) + timedelta(days=ACTION_DUE_DAYS),
            run=int(run_length[run_id[i]]),
        )
        out.setdefault(vendor, []).append(action)
    return out


def _delivered(s: _Scored, grid: _Grid) -> dict[tuple[int, int], tuple[float, int]]:
    """(vendor, KPI) → the mean actual of the KPI's last 3 reports and their number, for
    the KPIs linked to a selection criterion."""
    rows = np.flatnonzero(grid.linked[s.kpi]) if len(s.kpi) else np.zeros(0, dtype=np.int64)
    if len(rows) == 0:
        return {}
    v, k, p, a = s.vendor[rows], s.kpi[rows], s.period[rows], s.actual[rows]
    order = np.lexsort((p, k, v))
    v, k, a = v[order], k[order], a[order]
    out: dict[tuple[int, int], tuple[float, int]] = {}
    for start, end in _groups(v * len(grid.names) + k):
        last = a[max(start, end - 3) : end]
        out[(int(v[start]), int(k[start]))] = (float(last.mean()), len(last))
    return out


def _promises(
    vendor: int,
    book: MonitoringBook,
    grid: _Grid,
    delivered: Mapping[tuple[int, int], tuple[float, int]],
    promised: Mapping[tuple[str, str], float],
) -> tuple[Promise, ...]:
    """``promised`` by (vendor key, criterion key)."""
    name = book.vendors[vendor]
    code = {name_key(n): j for j, n in enumerate(grid.names)}
    out = []
    for k in grid.applying[name]:
        if not k.criterion:
            continue
        value = promised.get((name_key(name), name_key(k.criterion)))
        mean, reports = delivered.get((vendor, code[name_key(k.name)]), (None, 0))
        out.append(
            Promise(
                kpi=k.name,
                criterion=k.criterion,
                direction=k.direction,
                unit=k.unit,
                promised=None if value is None or math.isnan(value) else _comparable(value, k),
                delivered=mean,
                reports=reports,
            )
        )
    return tuple(out)


def _comparable(value: float, kpi: Kpi) -> float:
    """The selection answer in the KPI's terms: a percentage kept as a fraction of one
    (99.9 % is 0.999 in Excel) reads as 99.9 when the KPI is in %, the answer is at most 1
    and 100 times it is nearer the KPI's target than the answer itself (by ratio): 0.999
    against a target of 99.5 is 99.9, but 0.5 against a defect-rate target of 2 stays 0.5."""
    value = float(value)
    if kpi.unit.strip() != "%" or not 0 < abs(value) <= 1 or kpi.target == 0:
        return value
    target = abs(kpi.target)
    as_is = abs(math.log(abs(value) / target))
    scaled = abs(math.log(abs(value) * 100 / target))
    return value * 100 if scaled < as_is else value


def _periods(
    book: MonitoringBook, s: _Scored, grid: _Grid
) -> tuple[dict[int, list[PeriodScore]], dict[int, np.ndarray]]:
    """Each vendor's periods from its first report to the book's last period (one it
    reported nothing in has no score and completeness 0), and its scores in order."""
    periods: dict[int, list[PeriodScore]] = {}
    scores: dict[int, np.ndarray] = {}
    if book.kind is None or len(s.period) == 0:
        return periods, scores
    first, last = int(s.period.min()), int(s.period.max())
    width = last - first + 1
    n_vendors = len(book.vendors)
    cell = s.vendor * width + (s.period - first)
    size = n_vendors * width
    reported_weight = np.bincount(cell, weights=s.weight, minlength=size).reshape(n_vendors, width)
    weighted = np.bincount(cell, weights=s.weight * s.score, minlength=size).reshape(
        n_vendors, width
    )
    reports = np.bincount(cell, minlength=size).reshape(n_vendors, width)
    total = (grid.weight * grid.applies).sum(axis=1)
    breaches: dict[int, list[str]] = {}
    hit = np.flatnonzero(s.breach)  # already in vendor, period, KPI order
    for start, end in _groups(cell[hit]):
        breaches[int(cell[hit[start]])] = [grid.names[j] for j in s.kpi[hit[start:end]].tolist()]
    for vendor in range(n_vendors):
        seen = np.flatnonzero(reports[vendor] > 0)
        if len(seen) == 0:
            continue
        out: list[PeriodScore] = []
        for col in range(int(seen[0]), width):
            period = Period(book.kind, first + col)
            n = int(reports[vendor, col])
            if n == 0:
                out.append(PeriodScore(period, None, None, 0.0))
                continue
            w = float(reported_weight[vendor, col])
            score = round(float(weighted[vendor, col]) / w, SCORE_DIGITS)
            out.append(
                PeriodScore(
                    period,
                    score,
                    standing_of(score, book.standings),
                    min(1.0, w / float(total[vendor])),
                    tuple(breaches.get(vendor * width + col, ())),
                    n,
                )
            )
        periods[vendor] = out
        scores[vendor] = np.array([p.score for p in out if p.score is not None])
    return periods, scores


def score_monitoring(
    book: MonitoringBook, stored: Mapping[ActionKey, Mapping[str, Any]] | None = None
) -> Monitoring:
    """Score every monitored vendor of ``book``.

    ``stored`` holds a project's action records by :attr:`Action.key` (``owner``, ``due``,
    ``status``, ``closed``, ``note``): they replace the defaults of the action they key.
    """
    grid = _Grid.of(book)
    s = _score_results(book, grid)
    actions = _actions(s, book, grid, book.kind) if book.kind is not None else {}
    periods, scores = _periods(book, s, grid)
    delivered = _delivered(s, grid)
    promised = {(name_key(v), name_key(c)): x for (v, c), x in book.promised.items()}
    vendors: dict[str, VendorPerformance] = {}
    for i, name in enumerate(book.vendors):
        acts = actions.get(i, [])
        if stored:
            acts = [_with_stored(a, stored) for a in acts]
        vendors[name] = VendorPerformance(
            name,
            grid.applying[name],
            tuple(periods.get(i, ())),
            _trend(scores.get(i, np.zeros(0))),
            tuple(acts),
            _promises(i, book, grid, delivered, promised),
        )
    return Monitoring(book, vendors, s.frame)


def _with_stored(action: Action, stored: Mapping[ActionKey, Mapping[str, Any]]) -> Action:
    record = stored.get(action.key)
    if not record:
        return action
    changes: dict[str, Any] = {}
    for name in ("owner", "status", "note"):
        if record.get(name) is not None:
            changes[name] = str(record[name])
    for name in ("due", "closed"):
        value = record.get(name)
        if isinstance(value, date):
            changes[name] = value
        elif isinstance(value, str) and value:
            changes[name] = date.fromisoformat(value)
    return replace(action, **changes)
