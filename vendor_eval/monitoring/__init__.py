"""After the award: KPIs, periods, KPI and period scores, standings, trends, corrective
actions and promised vs delivered (docs/monitoring.md).

Entry point: :func:`score_monitoring` (a :class:`MonitoringBook` → :class:`Monitoring`).
"""

from __future__ import annotations

from vendor_eval.monitoring.model import Kpi, MonitoringBook, Period, PeriodKind, Standing
from vendor_eval.monitoring.scoring import Monitoring, score_monitoring

__all__ = [
    "Kpi",
    "Monitoring",
    "MonitoringBook",
    "Period",
    "PeriodKind",
    "Standing",
    "score_monitoring",
]
