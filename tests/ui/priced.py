"""A priced evaluation for the dashboard's tests, built in code and computed by hand.

Capability (weight 70, minimum 50) holds Quality (absolute 0–10, must be ≥ 3); Cost (30)
holds the price criterion Total cost of ownership, from a Costs sheet over 3 years at 0 %:

==========  =======  ===============================  =====  =============================
vendor      Quality  cost lines                       TCO    result
==========  =======  ===============================  =====  =============================
Quillstone  9        1,000 one-off + 3,000 yearly     10000  63 + 30 · 2000/10000 = 69, 1st
Midway      8        500 quarterly                    6000   56 + 30 · 2000/6000 = 66, 2nd
Cheapco     5        200 one-off + 50 monthly         2000   35 + 30 = 65, 3rd (meets 50)
Lowgrade    4        1,000 one-off                    1000   Capability 40 < 50: out at the
                                                             minimum; price 2000/1000 → 1
Shaky       2        none (TCO missing)                      Quality 2 < 3: out at the gate
==========  =======  ===============================  =====  =============================

The cheapest bid (Lowgrade) falls below the minimum, so the lowest price compared is
Cheapco's 2,000. Withdrawing Cheapco makes it Midway's 6,000: Quillstone 63 + 18 = 81,
Midway 56 + 30 = 86, and Midway would win.
"""

from __future__ import annotations

import pandas as pd

from vendor_eval.core.costs import COST_COLUMNS, TCO_CRITERION, Frequency, tco_values
from vendor_eval.core.model import (
    Category,
    Criterion,
    Direction,
    Evaluation,
    MustRule,
    Scale,
    Settings,
)

VENDORS = ["Quillstone", "Midway", "Cheapco", "Lowgrade", "Shaky"]
QUALITY = [9, 8, 5, 4, 2]
COST_LINES = [
    ("Quillstone", "Licence", 1000.0, Frequency.ONE_OFF, 1.0),
    ("Quillstone", "Support", 3000.0, Frequency.YEARLY, 1.0),
    ("Midway", "Service", 500.0, Frequency.QUARTERLY, 1.0),
    ("Cheapco", "Setup", 200.0, Frequency.ONE_OFF, 1.0),
    ("Cheapco", "Seats", 25.0, Frequency.MONTHLY, 2.0),
    ("Lowgrade", "Everything", 1000.0, Frequency.ONE_OFF, 1.0),
]


def costs() -> pd.DataFrame:
    return pd.DataFrame(COST_LINES, columns=COST_COLUMNS)


def priced(settings: Settings | None = None, vendors: list[str] | None = None) -> Evaluation:
    """The evaluation of the module docstring (``settings``: its Settings sheet; default a
    contract term of 3 years from the workbook)."""
    if settings is None:
        settings = Settings(contract_term=3, origin={"contract_term": "workbook"})
    names = vendors or VENDORS
    quality = dict(zip(VENDORS, QUALITY, strict=True))
    table = costs()
    table = table[table["Vendor"].isin(names)].reset_index(drop=True)
    tco = tco_values(table, names, settings.term, settings.rate)
    values = pd.DataFrame(
        {"Quality": [float(quality[v]) for v in names], TCO_CRITERION: tco.to_numpy()},
        index=pd.Index(names, dtype=object),
    )
    criteria = [
        Criterion(
            "Quality", "Capability", 1.0, scale=Scale.ABSOLUTE, min=0.0, max=10.0,
            must=MustRule(">=", 3.0, ">= 3"),
        ),
        Criterion(TCO_CRITERION, "Cost", 1.0, Direction.LOWER, Scale.PRICE),
    ]  # fmt: skip
    return Evaluation(
        vendors=list(names),
        criteria=criteria,
        categories=[Category("Capability", 70.0, minimum=50.0), Category("Cost", 30.0)],
        values=values,
        descriptive=pd.DataFrame(index=list(names)),
        source_name="priced.xlsx",
        settings=settings,
        costs=table,
    )
