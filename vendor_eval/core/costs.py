"""Total cost of ownership from the Costs sheet (docs/scoring.md §12.4).

A vendor's cost lines are ``Item | Amount | Frequency | Quantity``. Over a contract of
``T`` years at a discount rate ``r``::

    TCO = Σ amount · quantity · f
    f   = 1                              for a one-off item (never discounted)
    f   = Σ_{y=1..T} k / (1 + r)^y       with k = 12, 4, 1 for monthly, quarterly, yearly

so with ``r = 0`` a monthly fee is counted ``12 · T`` times. Recurring payments are
discounted by the year they fall in (end-of-year convention, as in a net present value
table). Plain functions; the importer validates the cells and the scorer scores the TCO
as the value of the ``Total cost of ownership`` price criterion.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from vendor_eval.core.model import _AliasEnum

__all__ = [
    "COST_COLUMNS",
    "TCO_CRITERION",
    "CostBreakdown",
    "Frequency",
    "breakdown",
    "frequency_factor",
    "per_year",
    "tco_values",
]

#: The price criterion whose values are the TCO when a Costs sheet is given.
TCO_CRITERION = "Total cost of ownership"
#: The long frame's columns (``Evaluation.costs``).
COST_COLUMNS = ["Vendor", "Item", "Amount", "Frequency", "Quantity"]


class Frequency(_AliasEnum):
    """How often a cost item is paid."""

    ONE_OFF = "one-off"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    YEARLY = "yearly"

    @classmethod
    def _aliases(cls) -> dict[str, str]:
        return {
            "one off": "one-off",
            "oneoff": "one-off",
            "once": "one-off",
            "one-time": "one-off",
            "one time": "one-off",
            "upfront": "one-off",
            "up-front": "one-off",
            "month": "monthly",
            "per month": "monthly",
            "quarter": "quarterly",
            "per quarter": "quarterly",
            "annual": "yearly",
            "annually": "yearly",
            "year": "yearly",
            "per year": "yearly",
        }

    @property
    def per_year(self) -> int:
        """Payments per year (0 for one-off)."""
        return _PER_YEAR[self]


_PER_YEAR = {
    Frequency.ONE_OFF: 0,
    Frequency.MONTHLY: 12,
    Frequency.QUARTERLY: 4,
    Frequency.YEARLY: 1,
}


def per_year(frequency: Frequency, term: int, rate: float) -> np.ndarray:
    """The discounted payments counted in each contract year ``y = 1..T``:
    ``k / (1 + r)^y`` (all 0 for one-off)."""
    k = Frequency.from_alias(frequency).per_year
    years = np.arange(1, int(term) + 1, dtype=float)
    return k / np.power(1.0 + float(rate), years)


def frequency_factor(frequency: Frequency, term: int, rate: float) -> float:
    """``f``: 1 for one-off, else ``Σ_{y=1..T} k / (1 + r)^y``."""
    freq = Frequency.from_alias(frequency)
    if freq is Frequency.ONE_OFF:
        return 1.0
    return float(per_year(freq, term, rate).sum())


@dataclass(frozen=True)
class CostBreakdown:
    """Per vendor: the one-off total, the recurring total and the recurring cost per
    contract year (discounted), and the TCO (their sum).

    ``years`` is vendors × years (columns ``Year 1`` … ``Year T``); every frame is indexed
    by vendor in the order given.
    """

    one_off: pd.Series
    recurring: pd.Series
    years: pd.DataFrame
    tco: pd.Series
    term: int
    rate: float

    def to_frame(self) -> pd.DataFrame:
        """One row per vendor: One-off, Recurring, Year 1 … Year T, TCO."""
        out = pd.DataFrame({"One-off": self.one_off, "Recurring": self.recurring})
        out = pd.concat([out, self.years], axis=1)
        out["TCO"] = self.tco
        out.index.name = "Vendor"
        return out


def breakdown(costs: pd.DataFrame, vendors: list[str], term: int, rate: float) -> CostBreakdown:
    """The TCO and its parts for ``vendors`` (NaN TCO for a vendor without cost lines).

    ``costs`` is the long frame (:data:`COST_COLUMNS`); Amount and Quantity are numbers,
    Frequency a :class:`Frequency` (or its text). A blank Quantity (``None``, NaN, or no
    Quantity column at all, as a frame built in code may have) is 1, the sheet's default.
    Items are added in the order given.
    """
    index = pd.Index(vendors, dtype=object)
    n_years = int(term)
    year_cols = [f"Year {y}" for y in range(1, n_years + 1)]
    # f and the per-year schedule depend only on the frequency: once each, not once a line
    factor = {f: frequency_factor(f, n_years, rate) for f in Frequency}
    schedule = {f: per_year(f, n_years, rate) for f in Frequency}
    position = {v: i for i, v in enumerate(vendors)}
    one = np.zeros(len(vendors))
    yrs = np.zeros((len(vendors), n_years))
    seen = np.zeros(len(vendors), dtype=bool)
    total = np.zeros(len(vendors))  # Σ amount · quantity · f, exactly as the formula reads
    quantities = costs["Quantity"] if "Quantity" in costs.columns else [1.0] * len(costs)
    for vendor, amount, freq, qty in zip(
        costs["Vendor"], costs["Amount"], costs["Frequency"], quantities, strict=True
    ):
        i = position.get(vendor)
        if i is None:
            continue
        seen[i] = True
        value = float(amount) * _quantity(qty)
        f = Frequency.from_alias(freq)
        total[i] += value * factor[f]
        if f is Frequency.ONE_OFF:
            one[i] += value
        else:
            yrs[i] += value * schedule[f]
    one_off = pd.Series(one, index=index)
    years = pd.DataFrame(yrs, index=index, columns=year_cols)
    has = pd.Series(seen, index=index)
    recurring = years.sum(axis=1)
    tco = pd.Series(total, index=index).where(has)
    return CostBreakdown(
        one_off.where(has), recurring.where(has), years.where(has, axis=0), tco,
        n_years, float(rate),
    )  # fmt: skip


def _quantity(qty: float | None) -> float:
    """A Quantity cell as a number: blank (``None`` or NaN) is the default 1."""
    if qty is None:
        return 1.0
    q = float(qty)
    return 1.0 if q != q else q


def tco_values(costs: pd.DataFrame, vendors: list[str], term: int, rate: float) -> pd.Series:
    """Each vendor's TCO (NaN without cost lines), indexed by vendor."""
    return breakdown(costs, vendors, term, rate).tco
