"""Scores and shares typed as numbers or percentages (docs/workbook-format.md §4, §11).

A minimum is a score from 0 to 100; a discount rate and a disagreement threshold are shares
(0.05 is 5 %). Excel stores a cell formatted as a percentage as the fraction (``60%`` is
0.6), and keeps no trace of the format in the value vendor_eval reads, so each reader
decides how a bare number is meant, the way an analyst would mean it:

* a minimum typed as a percentage (the text ``60%``) is 60; a bare number above 0 and at
  most 1 (``0.6``: what a percentage cell holding 60 % stores) is read as 60 too, with a
  warning (a minimum of 0.6 points out of 100 would reject nobody);
* a share typed as a percentage (``5%``) or as a fraction (``0.05``) is 0.05; a bare number
  that is no share but is one once read as a percentage (a discount rate of ``5``, a
  threshold of ``40``) is read as 5 % or 40 %, with a warning.

Each reader returns a :class:`Reading` (the value and, when a bare number was read as a
percentage, the warning's text) or raises
:class:`~vendor_eval.workbook.importing.messages.CellError`.
"""

from __future__ import annotations

from dataclasses import dataclass

from vendor_eval.core.model import format_number
from vendor_eval.core.problems import Code
from vendor_eval.workbook.importing.cells import is_blank, is_percent, parse_number
from vendor_eval.workbook.importing.messages import CellError, show

__all__ = ["Reading", "read_minimum", "read_share"]

#: The highest score a minimum can ask for.
TOP_SCORE = 100.0


@dataclass(frozen=True)
class Reading:
    """A cell as read: its value (``None`` when blank) and, when a bare number was read as
    a percentage, the warning saying so (``note`` and what follows the name of what the
    cell belongs to, ``hint``)."""

    value: float | None
    note: str | None = None
    hint: str = ""

    @property
    def message(self) -> str:
        """The whole warning (``""`` without one)."""
        return f"{self.note}{self.hint}" if self.note else ""


def _percent(x: float) -> str:
    """``0.05`` → ``5%``."""
    return f"{format_number(round(x * 100, 10))}%"


def _number(value: object, refused: str, code: str) -> float:
    """The cell as a number (NaN when blank); text that is not a number is refused with
    ``refused`` (the other cell errors keep their own, more specific, message)."""
    try:
        return parse_number(value)
    except CellError as e:
        if e.code in (Code.NOT_A_NUMBER, Code.PLACEHOLDER, Code.YES_NO_NOT_NUMBER):
            raise CellError(f"{show(value)} is not {refused}", code) from None
        raise


def read_minimum(value: object) -> Reading:
    """A minimum score from 0 to 100 (``None`` when blank).

    ``60``, ``"60"`` and ``"60%"`` are 60; a bare ``0.6`` is read as 60 with a note (a
    percentage cell holds 60 % as 0.6).

    Raises
    ------
    CellError
        For anything that is not a score from 0 to 100 (code ``not_a_minimum``).
    """
    if is_blank(value):
        return Reading(None)
    x = _number(value, f"a score from 0 to {format_number(TOP_SCORE)}", Code.NOT_A_MINIMUM)
    if is_percent(value):
        return _checked(value, round(x * TOP_SCORE, 10))
    if 0 < x <= 1:
        shown = format_number(round(x * TOP_SCORE, 10))
        hint = (
            f" (a cell formatted as a percentage holds {shown}% as {format_number(x)}); "
            f"type {shown} to make it plain"
        )
        return _checked(value, round(x * TOP_SCORE, 10), f"{show(value)} is read as {shown}", hint)
    return _checked(value, x)


def _checked(value: object, x: float, note: str | None = None, hint: str = "") -> Reading:
    if not 0 <= x <= TOP_SCORE:
        raise CellError(
            f"{show(value)} is not a score from 0 to {format_number(TOP_SCORE)}",
            Code.NOT_A_MINIMUM,
        )
    return Reading(x, note, hint)


def read_share(
    value: object, low: float, high: float, *, high_included: bool, refused: str
) -> Reading:
    """A share from ``low`` to ``high`` (``high`` itself only if ``high_included``), typed
    as a fraction (``0.05``) or a percentage (``5%``); ``None`` when blank.

    A bare number that is out of range as a fraction but in range read as a percentage
    (``5`` for a rate below 1) is read so, with a note. ``refused`` is what the error calls
    the value (``a discount rate from 0% to below 100%``).

    Raises
    ------
    CellError
        For anything else (code ``bad_setting``).
    """
    if is_blank(value):
        return Reading(None)
    x = _number(value, refused, Code.BAD_SETTING)

    def fits(y: float) -> bool:
        return low <= y and (y <= high if high_included else y < high)

    if fits(x):
        return Reading(x)
    if not is_percent(value) and 1 <= x <= 100 and fits(x / 100):
        y = x / 100
        note = f"{show(value)} is read as {_percent(y)} ({format_number(y)})"
        return Reading(y, note, f"; type {_percent(y)} to make it plain")
    raise CellError(f"{show(value)} is not {refused}", Code.BAD_SETTING)
