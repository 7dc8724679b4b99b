"""What the vendors promised at selection: their values for the criteria the KPIs name.

One rule for a standalone workbook (``monitor --selection FILE``, the Performance page's
selection upload) and for a project (its decided workbook): for each monitored vendor and
each KPI Criterion that names a criterion of the evaluation (by name key), the vendor's raw
value (NaN when it gave none, which reads as "no selection answer").
"""

from __future__ import annotations

from collections.abc import Iterable

from vendor_eval.core.model import Evaluation
from vendor_eval.monitoring.model import Kpi
from vendor_eval.workbook.schema import name_key

__all__ = ["promised_values", "unknown_criteria"]


def promised_values(
    kpis: Iterable[Kpi], vendors: Iterable[str], evaluation: Evaluation
) -> dict[tuple[str, str], float]:
    """(vendor, criterion as the KPI writes it) → the vendor's value at selection."""
    values = evaluation.values
    columns = {name_key(c): c for c in values.columns}
    rows = {name_key(v): v for v in values.index}
    wanted = list(vendors)
    out: dict[tuple[str, str], float] = {}
    for k in kpis:
        column = columns.get(name_key(k.criterion)) if k.criterion else None
        if column is None or k.criterion is None:
            continue
        for vendor in wanted:
            row = rows.get(name_key(vendor))
            if row is not None:
                out[(vendor, k.criterion)] = float(values[column].loc[row])
    return out


def unknown_criteria(kpis: Iterable[Kpi], evaluation: Evaluation) -> list[Kpi]:
    """The KPIs whose Criterion names no criterion of ``evaluation``."""
    known = {name_key(c.name) for c in evaluation.criteria}
    return [k for k in kpis if k.criterion and name_key(k.criterion) not in known]
