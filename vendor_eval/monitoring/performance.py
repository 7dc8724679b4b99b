"""The Performance sheet: one row per reported value → the results frame (docs/monitoring.md §1.3).

A portfolio reports hundreds of thousands of values (200 vendors × 20 KPIs × 60 months is
240,000 rows), so each row costs a few dictionary look-ups: a Period, Vendor or KPI cell is
read once per distinct text (or date) and its reading kept, and only a cell that is refused
is read again, on every row that holds it, so that each such row gets its own error.

Also here: which vendors are monitored (:class:`Monitored`), and the KPIs that apply to a
vendor (its own rows, then the general ones), which both sheets' rules share.
"""

from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from vendor_eval.core.limits import MAX_MAGNITUDE, MAX_NAME_LENGTH, MAX_RESULTS, MIN_MAGNITUDE
from vendor_eval.core.problems import Code, Problems, Where
from vendor_eval.monitoring import schema
from vendor_eval.monitoring.model import RESULT_COLUMNS, Kpi, Period, PeriodKind
from vendor_eval.workbook.importing.cells import is_blank, parse_number
from vendor_eval.workbook.importing.messages import CellError, column_letter, show
from vendor_eval.workbook.importing.names import Names, look_key, looks_alike_hint
from vendor_eval.workbook.importing.table import Table
from vendor_eval.workbook.importing.text import parse_text
from vendor_eval.workbook.schema import name_key

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = ["KpiRow", "Monitored", "empty_results", "read_performance"]

#: Longest text read as a period (after trimming): longer text is not one, unscanned.
_LONGEST_PERIOD = 40
#: How many KPIs an unknown-KPI message lists.
_LISTED = 10
_PERIOD_FORMS = (
    f"write a month as {PeriodKind.MONTH.example} or a quarter as {PeriodKind.QUARTER.example}"
    " (a date cell counts as its month)"
)


def _plural(kind: PeriodKind) -> str:
    return "months" if kind is PeriodKind.MONTH else "quarters"


def _names(names: Sequence[str]) -> str:
    """``"A"``, ``"A" and "B"``, ``"A", "B" and "C"``."""
    shown = [show(n) for n in names]
    return shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} and {shown[-1]}"


class Monitored:
    """The monitored vendors: the awarded ones (in a project), else those the Performance
    sheet names, in the order first met."""

    def __init__(self, awarded: Sequence[str] | None) -> None:
        self.fixed = awarded is not None
        self._names: dict[str, str] = {}
        for name in awarded or ():
            self._names.setdefault(name_key(name), name)
        self._looks = Names("vendor name")

    def find(self, name: str) -> str | None:
        """The monitored vendor called ``name`` (by name key), as spelt here."""
        return self._names.get(name_key(name))

    def refusal(self, name: str) -> str | None:
        """Why ``name`` may not be in this workbook (in a project: not awarded), or ``None``."""
        if not self.fixed or self.find(name) is not None:
            return None
        head = f"{show(name)} was not awarded the contract in this project"
        if not self._names:
            return f"{head}: no vendor is monitored until the project records its award"
        names = list(self._names.values())
        verb = "is" if len(names) == 1 else "are"
        return f"{head}: only {_names(names)} {verb} monitored"

    def meet(self, name: str, r: int, col: int, problems: Problems, where: Where) -> str:
        """The vendor ``name`` of a Performance row (cell ``col`` of row ``r``), as spelt
        here: a new one is added, and one that looks like another gets a
        ``confusable_name`` warning."""
        found = self.find(name)
        if found is not None:
            return found
        self._names[name_key(name)] = name
        self._looks.add(name, r, col, problems, where)
        return name

    def names(self) -> tuple[str, ...]:
        return tuple(self._names.values())


@dataclass
class KpiRow:
    """One named row of the KPIs sheet: the KPI, or ``None`` when the row has an error (its
    name still counts: results of it are not also reported as unknown)."""

    kpi: Kpi | None
    name: str
    vendor: str | None
    row: int
    vendor_col: int | None


class _Kpis:
    """The KPIs that apply to each vendor: its own rows, then the general ones."""

    def __init__(self, rows: Iterable[KpiRow]) -> None:
        self.general: dict[str, KpiRow] = {}
        self.own: dict[str, dict[str, KpiRow]] = {}
        self._unknown: dict[tuple[str, str], str] = {}
        for k in rows:
            mine = self.general if k.vendor is None else self.own.setdefault(name_key(k.vendor), {})
            mine.setdefault(name_key(k.name), k)

    def get(self, vendor: str, kpi: str) -> KpiRow | None:
        key = name_key(kpi)
        found = self.own.get(name_key(vendor), {}).get(key)
        return found if found is not None else self.general.get(key)

    def of(self, vendor: str) -> list[KpiRow]:
        """In sheet order."""
        own = self.own.get(name_key(vendor), {})
        general = [k for key, k in self.general.items() if key not in own]
        return sorted([*own.values(), *general], key=lambda k: k.row)

    def unknown(self, kpi: str, vendor: str) -> str:
        """The message for a KPI not of ``vendor`` (kept: a misspelt KPI repeats down the
        sheet, and the vendor's KPIs may be thousands)."""
        key = (name_key(vendor), kpi)
        message = self._unknown.get(key)
        if message is None:
            message = self._unknown[key] = self._unknown_message(kpi, vendor)
        return message

    def _unknown_message(self, kpi: str, vendor: str) -> str:
        known = self.of(vendor)
        head = f"{show(kpi)} is not a KPI of {show(vendor)}"
        if not known:
            return (
                f"{head}: the {schema.KPIS.name} sheet lists no KPI for it; add a row for it "
                f"there (Vendor {show(vendor)}, or Vendor empty for every vendor)"
            )
        listed = _names([k.name for k in known[:_LISTED]])
        more = f" and {len(known) - _LISTED} more" if len(known) > _LISTED else ""
        hint = looks_alike_hint(kpi, {look_key(k.name): k.name for k in known}, "the KPI")
        return f"{head}: its KPIs are {listed}{more} ({schema.KPIS.name} sheet){hint}"


def empty_results() -> pd.DataFrame:
    """A results frame without rows, with the columns' dtypes."""
    return _frame([], [], [], [], [], [])


def _frame(
    period: list[int],
    vendor: list[str],
    kpi: list[str],
    actual: list[float],
    comment: list[str],
    row: list[int],
) -> pd.DataFrame:
    columns = (
        pd.Series(np.array(period, dtype=np.int64)),
        pd.Series(vendor, dtype=str),
        pd.Series(kpi, dtype=str),
        pd.Series(np.array(actual, dtype=float)),
        pd.Series(comment, dtype=str),
        pd.Series(np.array(row, dtype=np.int64)),
    )
    return pd.DataFrame(dict(zip(RESULT_COLUMNS, columns, strict=True)))


def _period(value: object) -> Period | None:
    """A Period cell: ``2026-03``, ``2026-Q1`` (text) or a date (its month)."""
    if isinstance(value, str):
        text = value.strip()
        return Period.parse(text) if len(text) <= _LONGEST_PERIOD else None
    if isinstance(value, _dt.date):  # a datetime too
        return Period.of_date(value.year, value.month)
    return None


def _not_a_period(value: object) -> str:
    if is_blank(value):
        return f"the period is missing: {_PERIOD_FORMS}"
    try:
        parse_text(value, max_length=_LONGEST_PERIOD, multiline=False)
    except CellError as e:
        if e.code == Code.FORMULA_WITHOUT_VALUE:
            return e.message
    return f"{show(value)} is not a period: {_PERIOD_FORMS}"


def read_performance(
    table: Table | None,
    kpis: Sequence[KpiRow] | None,
    monitored: Monitored,
    problems: Problems,
) -> tuple[pd.DataFrame, PeriodKind | None]:
    """The results frame (:data:`~vendor_eval.monitoring.model.RESULT_COLUMNS`) and the
    period kind (``None`` without a period); the problems go into ``problems``.

    ``kpis`` ``None``: the KPIs sheet could not be read (an error said so), and the KPI
    cells are not checked."""
    if table is None or table.header_row is None or not table.rows:
        return empty_results(), None
    if len(table.rows) > MAX_RESULTS:
        message = (
            f"{len(table.rows):,} rows: a monitoring workbook holds at most {MAX_RESULTS:,} "
            "results; keep the periods still followed here and archive the older ones"
        )
        problems.error(Code.TOO_MANY_RESULTS, message, sheet=table.sheet)
        return empty_results(), None
    cols = [table.col(c) for c in schema.PERFORMANCE.columns]
    c_p, c_v, c_k, c_a, c_c = cols
    assert c_p is not None and c_v is not None and c_k is not None and c_a is not None
    lookup = _Kpis(kpis) if kpis is not None else None
    periods: dict[object, Period] = {}
    vendors: dict[str, str] = {}
    kpi_of: dict[tuple[str, str], Kpi | None] = {}  # None: the KPI's own row has an error
    seen: dict[tuple[PeriodKind, int, str, str], int] = {}
    kinds: dict[PeriodKind, list[int]] = {}  # kind → [count, first row]
    first_raw: dict[PeriodKind, object] = {}
    out_p: list[int] = []
    out_v: list[str] = []
    out_k: list[str] = []
    out_a: list[float] = []
    out_c: list[str] = []
    out_r: list[int] = []

    def error(code: str, message: str, r: int, col: int | None) -> None:
        problems.error(code, message, **table.at(r, col))

    for r, cells in table.rows:
        n = len(cells)
        raw_p = cells[c_p] if c_p < n else None
        raw_v = cells[c_v] if c_v < n else None
        raw_k = cells[c_k] if c_k < n else None
        raw_a = cells[c_a] if c_a < n else None
        raw_c = cells[c_c] if c_c is not None and c_c < n else None
        ok = True
        # -- period
        cached = type(raw_p) in (str, _dt.datetime, _dt.date)
        p = periods.get(raw_p) if cached else None
        if p is None:
            p = _period(raw_p)
            if p is None:
                error(Code.NOT_A_PERIOD, _not_a_period(raw_p), r, c_p)
                ok = False
            elif cached:
                periods[raw_p] = p
        if p is not None:
            tally = kinds.get(p.kind)
            if tally is None:
                kinds[p.kind] = [1, r]
                first_raw[p.kind] = raw_p
            else:
                tally[0] += 1
        # -- vendor
        v = vendors.get(raw_v) if type(raw_v) is str else None
        if v is None:
            v = _vendor(raw_v, r, c_v, table, monitored, problems)
            if v is None:
                ok = False
            elif type(raw_v) is str:
                vendors[raw_v] = v
        # -- KPI
        kpi: Kpi | None = None
        if v is not None and lookup is not None:
            key = (v, raw_k) if type(raw_k) is str else None
            if key is not None and key in kpi_of:
                kpi = kpi_of[key]
                ok = ok and kpi is not None
            else:
                found = _kpi(raw_k, v, r, c_k, table, lookup, problems)
                if found is None:  # refused here: an error
                    ok = False
                else:
                    kpi = found.kpi
                    ok = ok and kpi is not None  # refused on the KPIs sheet: said there
                    if key is not None:
                        kpi_of[key] = kpi
        # -- actual and comment
        if (type(raw_a) is float or type(raw_a) is int) and (
            MIN_MAGNITUDE <= abs(raw_a) <= MAX_MAGNITUDE or raw_a == 0
        ):
            x = float(raw_a)  # a plain number cell, as parse_number reads it, at less cost
        else:
            try:
                x = parse_number(raw_a)
            except CellError as e:
                error(e.code, e.message, r, c_a)
                ok, x = False, math.nan
        comment = ""
        if raw_c is not None:
            try:
                comment = parse_text(raw_c)
            except CellError as e:
                error(e.code, e.message, r, c_c)
                ok = False
        if not ok or p is None or v is None or kpi is None:
            continue
        if math.isnan(x):
            message = (
                f"no Actual for {show(kpi.name)} of {show(v)} in {p.label}: not reported "
                "(the row is skipped)"
            )
            problems.warning(Code.NOT_REPORTED, message, **table.at(r, c_a))
            continue
        first = seen.setdefault((p.kind, p.ordinal, v, kpi.name), r)
        if first != r:
            message = (
                f"a second result for {show(kpi.name)} of {show(v)} in {p.label} (also in "
                f"row {first}): keep one row per period, vendor and KPI"
            )
            error(Code.DUPLICATE_RESULT, message, r, c_p)
            continue
        out_p.append(p.ordinal)
        out_v.append(v)
        out_k.append(kpi.name)
        out_a.append(x)
        out_c.append(comment)
        out_r.append(r)
    kind = _kind(kinds, first_raw, table, c_p, problems)
    return _frame(out_p, out_v, out_k, out_a, out_c, out_r), kind


def _name(raw: object, what: str, where: Where, problems: Problems) -> str | None:
    """A vendor or KPI cell's name (one line, trimmed); ``None`` after reporting why not."""
    try:
        name = parse_text(raw, max_length=MAX_NAME_LENGTH, multiline=False)
    except CellError as e:
        problems.error(e.code, e.message, **where)
        return None
    if not name:
        problems.error(Code.EMPTY_NAME, f"{what} name is empty", **where)
        return None
    return name


def _vendor(
    raw: object, r: int, col: int, table: Table, monitored: Monitored, problems: Problems
) -> str | None:
    where = table.at(r, col)
    name = _name(raw, "vendor", where, problems)
    if name is None:
        return None
    refusal = monitored.refusal(name)
    if refusal is not None:
        problems.error(Code.NOT_AWARDED, refusal, **where)
        return None
    return monitored.meet(name, r, col, problems, where)


def _kpi(
    raw: object, vendor: str, r: int, col: int, table: Table, lookup: _Kpis, problems: Problems
) -> KpiRow | None:
    where = table.at(r, col)
    name = _name(raw, "KPI", where, problems)
    if name is None:
        return None
    found = lookup.get(vendor, name)
    if found is None:
        problems.error(Code.UNKNOWN_KPI, lookup.unknown(name, vendor), **where)
    return found


def _kind(
    kinds: dict[PeriodKind, list[int]],
    first_raw: dict[PeriodKind, object],
    table: Table,
    col: int,
    problems: Problems,
) -> PeriodKind | None:
    """The one period kind; months and quarters together are an error at the first cell of
    the fewer (the later met on a tie)."""
    if len(kinds) <= 1:
        return next(iter(kinds), None)
    (major, (n_major, r_major)), (minor, (_, r_minor)) = sorted(
        kinds.items(), key=lambda item: (-item[1][0], item[1][1])
    )
    a = "a month" if minor is PeriodKind.MONTH else "a quarter"
    message = (
        f"{show(first_raw[minor])} is {a}, but the other periods are {_plural(major)} "
        f"({n_major:,}, the first in {column_letter(col)}{r_major}): report every period as "
        f"a month ({PeriodKind.MONTH.example}) or every one as a quarter "
        f"({PeriodKind.QUARTER.example}), not both"
    )
    problems.error(Code.MIXED_PERIODS, message, **table.at(r_minor, col))
    return major
