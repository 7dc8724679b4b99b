"""The Costs and Cost breakdown sheets of the export (docs/scoring.md §12.4).

* ``Costs`` (an input sheet, docs/workbook-format.md): the cost lines as imported,
  ``Vendor | Item | Amount | Frequency | Quantity`` — exactly the Costs layout, so the
  export imported again computes the same total cost of ownership.
* ``Cost breakdown`` (an output sheet, not read back: its name is no input sheet's): per
  vendor, best first, the one-off total, the recurring total and each contract year's
  recurring cost (discounted), and the TCO, under the contract term and discount rate used.
  Values computed by the tool, like the normalised scores: editing Costs changes them (and
  the scores) only when the workbook is scored again.

The breakdown has a sheet of its own rather than sitting beside the cost lines: an input
sheet holds one table, and a second one next to it would be read as more cost lines.
"""

from __future__ import annotations

import math

import numpy as np

from vendor_eval.core.costs import Frequency
from vendor_eval.output.excel.book import BOLD, NOTE_FONT, Book, col, crit_widths
from vendor_eval.output.excel.sheets import Layout
from vendor_eval.workbook import schema

__all__ = ["BREAKDOWN", "breakdown_note", "percent", "write_cost_breakdown", "write_costs"]

BREAKDOWN = "Cost breakdown"
MONEY = "#,##0.00"


def write_costs(book: Book, lay: Layout) -> None:
    """Costs (input format), when the evaluation has cost lines."""
    costs = lay.ranking.evaluation.costs
    if costs is None:
        return
    sheet = schema.COSTS
    widths = {1: 28.0, 2: 34.0, 3: 14.0, 4: 12.0, 5: 10.0}
    sh = book.sheet(sheet.name, freeze="A2", widths=widths)
    sh.header(sheet.headers)
    columns = [c.name for c in sheet.columns]
    frame = costs.reindex(columns=columns).to_numpy(dtype=object)
    for r, (vendor, item, amount, frequency, quantity) in enumerate(frame, start=2):
        sh.append(
            [
                sh.text(vendor, f"A{r}"),
                sh.text(item, f"B{r}"),
                None if _blank(amount) else sh.styled(float(amount), number_format=MONEY),
                None if _blank(frequency) else Frequency.from_alias(frequency).value,
                None if _blank(quantity) else float(quantity),
            ]
        )


def _blank(x: object) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def write_cost_breakdown(book: Book, lay: Layout) -> None:
    """Cost breakdown: One-off, Recurring, Year 1 … Year T and TCO per vendor."""
    ev = lay.ranking.evaluation
    found = ev.cost_breakdown()
    if found is None:
        return
    frame = found.to_frame().reindex(lay.vendors)
    heads = [schema.VENDOR.name, *[str(h) for h in frame.columns]]
    sh = book.sheet(BREAKDOWN, freeze="B2", widths=crit_widths(len(frame.columns), 13.0))
    sh.header(heads)
    money = sh.style_id(number_format=MONEY)
    total = sh.style_id(number_format=MONEY, font=BOLD)
    values = frame.to_numpy(dtype=float)
    cols = [sh.text_cells("A", lay.vendors)]
    for j in range(values.shape[1]):
        last = j == values.shape[1] - 1
        cols.append(sh.number_cells(col(j + 2), values[:, j], total if last else money))
    sh.append_columns(cols)
    sh.append([])
    for line in breakdown_note(found.term, found.rate, int(np.isnan(values[:, -1]).sum())):
        sh.append([sh.styled(line, font=NOTE_FONT)])


def breakdown_note(term: int, rate: float, without: int = 0) -> list[str]:
    """The notes under the breakdown: the term and rate used and how years are counted."""
    years = f"{term} year{'s' if term != 1 else ''}"
    lines = [
        f"Contract term {years}, discount rate {percent(rate)} (sheet Settings). TCO = "
        "one-off + recurring: each recurring item is counted 12, 4 or 1 times a year "
        "(monthly, quarterly, yearly), each year discounted at its end; one-off items are "
        "never discounted.",
        "Computed by the tool from the Costs sheet; an edited cost line counts when the "
        "workbook is scored again. The TCO is the value of the Total cost of ownership "
        "criterion (sheet Data).",
    ]
    if without:
        lines.append(
            f"{without} vendor{'s have' if without != 1 else ' has'} no cost lines: "
            "a missing total cost of ownership."
        )
    return lines


def percent(rate: float) -> str:
    """A rate as a percentage: 0.05 → ``5%``, 0.035 → ``3.5%``."""
    text = f"{100 * rate:.4f}".rstrip("0").rstrip(".")
    return f"{text}%"
