"""KPIs proposed for a decided project's monitoring template, from the contract criteria
(docs/monitoring.md §3.1).

A selection criterion that a contract measures period by period — uptime or availability,
response or resolution time, satisfaction, on-time delivery — becomes a KPI linked to it
(its Criterion), with the awarded vendor's own selection answer as the target: the vendor
is held to what it promised. The threshold (the worst acceptable value) is a proposal to
agree in the contract: for a percentage, half a point below the target (99.9 % → 99.4 %);
for another higher-is-better value 10 % below it (a rating of 4.5 → 4.05); for a
lower-is-better one (a time) half as much again (4 h → 6 h). Every proposed KPI has weight
1. Yes/no and price criteria are not proposed (a yes/no answer sets no level to measure;
the price is the contract's, not a service level), nor a criterion the vendor gave no value
for.
"""

from __future__ import annotations

import math

from vendor_eval.core.model import Direction, Evaluation, Scale, format_number
from vendor_eval.monitoring.model import Kpi
from vendor_eval.workbook.schema import name_key

__all__ = ["SERVICE_LEVEL_WORDS", "propose_kpis"]

#: A criterion whose name holds one of these (by name key) is a service level.
SERVICE_LEVEL_WORDS = (
    "uptime",
    "availability",
    "response time",
    "resolution time",
    "time to resolve",
    "satisfaction",
    "on-time",
    "on time delivery",
    "first-time fix",
)
#: KPI names for the most common criteria (the rest keep the criterion's name).
_KPI_NAMES = {"sla uptime": "Uptime", "response time (hours)": "Response time"}
_UNITS = (("(hours)", "h"), ("(days)", "days"), ("(minutes)", "min"))
#: Percent threshold: this many points worse than the target.
PERCENT_MARGIN = 0.5
#: Other higher-is-better thresholds: this share below the target.
RELATIVE_MARGIN = 0.10
#: Lower-is-better thresholds: this share above the target.
LOWER_MARGIN = 0.50


def _is_service_level(name: str) -> bool:
    key = name_key(name)
    return any(word in key for word in SERVICE_LEVEL_WORDS)


def _rounded(x: float) -> float:
    return float(format_number(x, 6))


def propose_kpis(evaluation: Evaluation, vendor: str) -> list[Kpi]:
    """The KPIs proposed for ``vendor`` from ``evaluation``'s service-level criteria."""
    rows = {name_key(v): v for v in evaluation.values.index}
    row = rows.get(name_key(vendor))
    if row is None:
        return []
    out: list[Kpi] = []
    for c in evaluation.criteria:
        if c.scale in (Scale.YESNO, Scale.PRICE) or not _is_service_level(c.name):
            continue
        value = float(evaluation.values[c.name].loc[row])
        if math.isnan(value):
            continue
        percent = evaluation.units.get(c.name) == "%" or (
            ("uptime" in name_key(c.name) or "availability" in name_key(c.name)) and 0 < value <= 1
        )
        unit = next((u for suffix, u in _UNITS if name_key(c.name).endswith(suffix)), "")
        higher = c.direction is Direction.HIGHER
        if percent:
            target = _rounded(value * 100 if value <= 1 else value)
            unit = "%"
            margin = PERCENT_MARGIN
        else:
            target = _rounded(value)
            margin = abs(target) * (RELATIVE_MARGIN if higher else LOWER_MARGIN) or 1.0
        threshold = _rounded(target - margin if higher else target + margin)
        out.append(
            Kpi(
                name=_KPI_NAMES.get(name_key(c.name), c.name),
                direction=c.direction,
                target=target,
                threshold=threshold,
                weight=1.0,
                vendor=None,
                unit=unit,
                criterion=c.name,
                row=len(out) + 2,
            )
        )
    return out
