"""A raw value shown as the analyst entered it, by the criterion's kind and unit.

The importer stores plain numbers (a cell typed ``99.9%`` is 0.999, ``$95`` is 95, ``yes`` is
1); everything that shows a vendor's value to a person (vendor detail, head-to-head) formats
it back with :func:`format_value`.
"""

from __future__ import annotations

import math

from vendor_eval.core.model import Criterion, Scale, format_number
from vendor_eval.workbook.defaults import PERCENT_CRITERIA

__all__ = ["format_value"]


def format_value(criterion: Criterion, x: float, unit: str | None = None) -> str:
    """A raw value as the analyst entered it: ``yes``/``no``, ``99.9%``, ``$95``, ``4``.

    Percent criteria (a value typed as ``99.9%`` is stored as 0.999) are any criterion whose
    unit is ``%`` and the default model's percentages when the value is a fraction (≤ 1);
    a currency unit goes before the number; a missing value is ``missing``.
    """
    if math.isnan(x):
        return "missing"
    if criterion.scale is Scale.YESNO:
        return "yes" if x >= 0.5 else "no"
    # The default model's percentages are Excel fractions (99.9% is 0.999); a plain 99.9 in
    # such a column was typed as a number and is shown as one, never as 9990%.
    if unit == "%" or (unit is None and criterion.name in PERCENT_CRITERIA and abs(x) <= 1):
        return f"{format_number(round(x * 100, 10))}%"
    number = format_number(x)
    if not unit:
        return number
    return f"{unit}{number}" if len(unit) == 1 else f"{number} {unit}"
