"""The monitoring workbook as data: KPIs, periods, reported results and standing bands.

The format is docs/monitoring.md §1; the scoring that reads these is
:mod:`vendor_eval.monitoring.scoring`. Everything here is plain and immutable except the
results frame, which is a pandas frame because a portfolio holds hundreds of thousands of
results (200 vendors × 20 KPIs × 60 months) and is scored column-wise.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from vendor_eval.core.model import Direction, format_number

if TYPE_CHECKING:
    import pandas as pd

    from vendor_eval.core.problems import Problem

__all__ = [
    "DEFAULT_STANDINGS",
    "RESULT_COLUMNS",
    "Kpi",
    "MonitoringBook",
    "Period",
    "PeriodKind",
    "Standing",
]


class PeriodKind(StrEnum):
    """How often results are reported: one kind per workbook."""

    MONTH = "month"
    QUARTER = "quarter"

    @property
    def per_year(self) -> int:
        return 12 if self is PeriodKind.MONTH else 4

    @property
    def example(self) -> str:
        return "2026-03" if self is PeriodKind.MONTH else "2026-Q1"


#: The years a period may fall in: a contract's results, not a typing slip (0026, 9999).
FIRST_YEAR, LAST_YEAR = 1900, 2999

_MONTH = re.compile(r"^\s*(\d{4})\s*-\s*(\d{1,2})\s*$")
_QUARTER = re.compile(r"^\s*(\d{4})\s*-?\s*[Qq]\s*([1-4])\s*$")


@dataclass(frozen=True, order=True)
class Period:
    """One reporting period: a month (``2026-03``) or a quarter (``2026-Q1``).

    ``ordinal`` counts periods of one kind from year 0, so consecutive periods differ by 1
    across year ends (``2025-12`` then ``2026-01``; ``2025-Q4`` then ``2026-Q1``) and
    periods sort as their ordinals do.
    """

    kind: PeriodKind
    ordinal: int

    @classmethod
    def of(cls, kind: PeriodKind, year: int, index: int) -> Period:
        """The ``index``-th month (1–12) or quarter (1–4) of ``year``."""
        if not 1 <= index <= kind.per_year:
            raise ValueError(f"{kind.value} {index} does not exist")
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise ValueError(f"year {year} is outside {FIRST_YEAR}–{LAST_YEAR}")
        return cls(kind, year * kind.per_year + index - 1)

    @classmethod
    def of_date(cls, year: int, month: int) -> Period | None:
        """The month of a date cell, ``None`` outside :data:`FIRST_YEAR`–:data:`LAST_YEAR`."""
        if not FIRST_YEAR <= year <= LAST_YEAR:
            return None
        return cls.of(PeriodKind.MONTH, year, month)

    @classmethod
    def parse(cls, text: str) -> Period | None:
        """``2026-03`` / ``2026-3`` (a month) or ``2026-Q1`` / ``2026 Q1`` (a quarter);
        ``None`` for anything else (an impossible month, a year outside
        :data:`FIRST_YEAR`–:data:`LAST_YEAR` included)."""
        if (m := _MONTH.match(text)) is not None:
            kind, year, index = PeriodKind.MONTH, int(m[1]), int(m[2])
        elif (m := _QUARTER.match(text)) is not None:
            kind, year, index = PeriodKind.QUARTER, int(m[1]), int(m[2])
        else:
            return None
        if not (1 <= index <= kind.per_year and FIRST_YEAR <= year <= LAST_YEAR):
            return None
        return cls.of(kind, year, index)

    @property
    def year(self) -> int:
        return self.ordinal // self.kind.per_year

    @property
    def index(self) -> int:
        """The month (1–12) or quarter (1–4) within the year."""
        return self.ordinal % self.kind.per_year + 1

    @property
    def label(self) -> str:
        """As written in the Performance sheet: ``2026-03`` or ``2026-Q1``."""
        if self.kind is PeriodKind.MONTH:
            return f"{self.year:04d}-{self.index:02d}"
        return f"{self.year:04d}-Q{self.index}"

    def shifted(self, by: int) -> Period:
        return Period(self.kind, self.ordinal + by)

    def __str__(self) -> str:
        return self.label


@dataclass(frozen=True)
class Kpi:
    """One KPI of the contract, for one vendor or (``vendor is None``) every monitored one.

    Attributes
    ----------
    name:
        As written in the KPIs sheet; the Performance sheet names it the same way (compared
        by name key).
    target, threshold:
        The contracted value and the worst acceptable one; ``threshold`` is below ``target``
        for a higher-is-better KPI and above it for a lower-is-better one (never equal).
    weight:
        Its share in the period score (any positive number; renormalised).
    criterion:
        The selection criterion whose value the vendor promised (promised vs delivered).
    row:
        The KPIs sheet's Excel row (0 when not read from a sheet).
    """

    name: str
    direction: Direction
    target: float
    threshold: float
    weight: float = 1.0
    vendor: str | None = None
    unit: str = ""
    criterion: str | None = None
    row: int = 0

    def score(self, actual: float) -> float:
        """The KPI score 0–100 of one actual: 100 at or better than the target, 0 at or
        worse than the threshold, linear between."""
        if self.direction is Direction.HIGHER:
            share = (actual - self.threshold) / (self.target - self.threshold)
        else:
            share = (self.threshold - actual) / (self.threshold - self.target)
        return 100.0 * min(1.0, max(0.0, share))

    def met(self, actual: float) -> bool:
        """At or better than the target."""
        if self.direction is Direction.HIGHER:
            return actual >= self.target
        return actual <= self.target

    def breach(self, actual: float) -> bool:
        """Worse than the threshold (a value exactly on it is not a breach)."""
        if self.direction is Direction.HIGHER:
            return actual < self.threshold
        return actual > self.threshold

    def describe(self) -> str:
        """``target 99.9 %, threshold 99.5 %, higher is better``."""
        unit = f" {self.unit}" if self.unit else ""
        better = "higher" if self.direction is Direction.HIGHER else "lower"
        return (
            f"target {format_number(self.target)}{unit}, threshold "
            f"{format_number(self.threshold)}{unit}, {better} is better"
        )


@dataclass(frozen=True)
class Standing:
    """A standing band: scores at or above ``minimum`` (and below the next band) get it."""

    name: str
    minimum: float


#: The bands without a Standings sheet, best first.
DEFAULT_STANDINGS: tuple[Standing, ...] = (
    Standing("Excellent", 85.0),
    Standing("Good", 70.0),
    Standing("Needs improvement", 50.0),
    Standing("Poor", 0.0),
)

#: The columns of :attr:`MonitoringBook.results`.
RESULT_COLUMNS = ("period", "vendor", "kpi", "actual", "comment", "row")


@dataclass(frozen=True)
class MonitoringBook:
    """A validated monitoring workbook (or a project's stored periods).

    Attributes
    ----------
    kpis:
        Every KPI row; a vendor's KPIs are the ones naming it, then the general ones
        (``vendor is None``) whose name it has no own row for.
    results:
        One row per reported value, :data:`RESULT_COLUMNS`: ``period`` the period's ordinal
        (int), ``vendor`` and ``kpi`` the names as the KPIs sheet (and the monitored
        vendors) write them, ``actual`` float, ``comment`` str, ``row`` the Performance
        sheet's Excel row (0 when not from a sheet).
    kind:
        Months or quarters; ``None`` only while no result has been reported yet.
    vendors:
        The monitored vendors, in the order first met.
    standings:
        Best band first; the last has minimum 0.
    promised:
        (vendor, criterion) → the vendor's value at selection, for KPIs with a criterion.
    """

    kpis: tuple[Kpi, ...]
    results: pd.DataFrame
    kind: PeriodKind | None
    vendors: tuple[str, ...]
    standings: tuple[Standing, ...] = DEFAULT_STANDINGS
    promised: dict[tuple[str, str], float] = field(default_factory=dict)
    file: str = ""
    sha256: str = ""
    warnings: tuple[Problem, ...] = ()

    def kpis_of(self, vendor: str) -> list[Kpi]:
        """The KPIs that apply to ``vendor``: its own rows, then the general ones it has no
        own row of the same name for, in sheet order."""
        from vendor_eval.workbook.schema import name_key

        own = self._by_vendor.get(name_key(vendor), [])
        named = {name_key(k.name) for k in own}
        general = [k for k in self._by_vendor.get(None, []) if name_key(k.name) not in named]
        return sorted(own + general, key=lambda k: (k.row, k.name))

    @functools.cached_property
    def _by_vendor(self) -> dict[str | None, list[Kpi]]:
        """The KPI rows by vendor key (``None``: the general ones), grouped once."""
        from vendor_eval.workbook.schema import name_key

        out: dict[str | None, list[Kpi]] = {}
        for k in self.kpis:
            out.setdefault(None if k.vendor is None else name_key(k.vendor), []).append(k)
        return out

    def period(self, ordinal: int) -> Period:
        if self.kind is None:
            raise ValueError("no period has been reported")
        return Period(self.kind, int(ordinal))
