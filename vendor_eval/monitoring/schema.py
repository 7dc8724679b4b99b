"""The monitoring workbook's layout, declared once: sheet names, headers, accepted aliases.

The reader (:mod:`vendor_eval.monitoring.reading`) finds the columns by these declarations
and the blank template (:mod:`vendor_eval.output.excel.monitoring_template`) writes its
headers from them (docs/monitoring.md §1). Headers are compared as every name is
(:func:`~vendor_eval.workbook.schema.name_key`): case, surrounding spaces and invisible
characters do not matter.
"""

from __future__ import annotations

from vendor_eval.workbook.schema import Column, SheetLayout

__all__ = [
    "ACTUAL",
    "COMMENT",
    "CRITERION",
    "DIRECTION",
    "KPI",
    "KPIS",
    "KPI_VENDOR",
    "MONITORING_SHEETS",
    "PERFORMANCE",
    "PERIOD",
    "RESULT_KPI",
    "RESULT_VENDOR",
    "STANDING",
    "STANDINGS",
    "STANDING_MINIMUM",
    "TARGET",
    "THRESHOLD",
    "UNIT",
    "WEIGHT",
]

_VENDOR_ALIASES = ("Vendor name", "Supplier", "Supplier name")
_KPI_ALIASES = ("KPI name", "Indicator", "Metric")

# KPIs: one row per KPI of the contract, for one vendor or (Vendor empty) every one ------
KPI = Column("KPI", _KPI_ALIASES, required=True)
#: Empty: the KPI applies to every monitored vendor.
KPI_VENDOR = Column("Vendor", _VENDOR_ALIASES)
UNIT = Column("Unit", ("Units",))
DIRECTION = Column("Direction", ("Better",))
TARGET = Column("Target", ("Target value", "Contracted value"), required=True)
#: The worst acceptable value (below the target when higher is better).
THRESHOLD = Column(
    "Threshold",
    ("Minimum acceptable", "Worst acceptable", "Worst acceptable value", "Minimum"),
    required=True,
)
WEIGHT = Column("Weight", ("KPI weight",))
#: The selection criterion whose promised value the KPI checks (promised vs delivered).
CRITERION = Column("Criterion", ("Selection criterion", "Criteria"))
KPIS = SheetLayout(
    "KPIs",
    (KPI, KPI_VENDOR, UNIT, DIRECTION, TARGET, THRESHOLD, WEIGHT, CRITERION),
    marks=KPI.spellings,
)

# Performance: one row per reported value ------------------------------------------------
PERIOD = Column("Period", ("Month", "Quarter"), required=True)
RESULT_VENDOR = Column("Vendor", _VENDOR_ALIASES, required=True)
RESULT_KPI = Column("KPI", _KPI_ALIASES, required=True)
ACTUAL = Column("Actual", ("Value", "Result", "Actual value"), required=True)
COMMENT = Column("Comment", ("Comments", "Note", "Notes"))
PERFORMANCE = SheetLayout(
    "Performance",
    (PERIOD, RESULT_VENDOR, RESULT_KPI, ACTUAL, COMMENT),
    marks=PERIOD.spellings,
)

# Standings (optional): the bands a period score falls in --------------------------------
STANDING = Column("Standing", ("Band", "Rating"), required=True)
#: The lowest score (0–100) of the band.
STANDING_MINIMUM = Column("Minimum", ("Min", "Minimum score", "From"), required=True)
STANDINGS = SheetLayout("Standings", (STANDING, STANDING_MINIMUM), marks=STANDING.spellings)

#: The sheets the reader looks at; every other sheet of the file is ignored.
MONITORING_SHEETS: tuple[SheetLayout, ...] = (KPIS, PERFORMANCE, STANDINGS)
