"""The rules of a panel score: which numbers a criterion's scale allows, when a comment is
required, and how a typed cell or form value is read.

One implementation for every way a score arrives (the dashboard's score form, an offline
score sheet, a moderation consensus), so all three accept and refuse the same numbers with
the same sentences.

* A panel score is on its criterion's absolute scale, Min to Max. When Min and Max are
  whole numbers (and at most 100 apart) the scale has **whole points**: 1–5 allows 1, 2, 3,
  4 and 5, not 3.5. Otherwise any number from Min to Max is allowed.
* A comment is required for a score at the scale's lowest or highest value.
* A moderation consensus may be any number from Min to Max (a mean of points need not be a
  point).
"""

from __future__ import annotations

import math

from vendor_eval.core.model import Criterion, Scale, format_number, format_numbers
from vendor_eval.projects.errors import quoted
from vendor_eval.workbook.importing.cells import notation, parse_value
from vendor_eval.workbook.importing.messages import show

__all__ = [
    "MAX_POINTS_SPAN",
    "comment_required",
    "consensus_problem",
    "parse_score",
    "points_text",
    "scale_text",
    "score_problem",
    "whole_points",
]

#: The widest scale that has whole points (Max − Min); a wider one takes any number.
MAX_POINTS_SPAN = 100
#: How close to Min or Max a score is taken as the lowest or highest (a comment is due).
BOUND_TOLERANCE = 1e-9
# Points listed in full in a message up to this many; more read "0, 1, 2, …, 100".
_LISTED_POINTS = 11


def _bounds(criterion: Criterion) -> tuple[float, float]:
    """Min and Max of an absolute scale with Min below Max.

    Raises
    ------
    ValueError
        For any other criterion: a panel score is only asked for on such a scale, so this
        is a programming error, not the user's.
    """
    lo, hi = criterion.min, criterion.max
    if (
        criterion.scale is not Scale.ABSOLUTE
        or lo is None
        or hi is None
        or not (math.isfinite(lo) and math.isfinite(hi))
        or not lo < hi
    ):
        raise ValueError(
            f"criterion {criterion.name!r} is not on an absolute scale with Min below Max"
        )
    return float(lo), float(hi)


def whole_points(criterion: Criterion) -> list[int] | None:
    """The points of the scale, ``[Min, …, Max]``, when Min and Max are whole numbers at
    most :data:`MAX_POINTS_SPAN` apart; else ``None`` (any number from Min to Max).

    Examples
    --------
    >>> from vendor_eval.core.model import Criterion, Scale
    >>> whole_points(Criterion("Q", "C", 1, scale=Scale.ABSOLUTE, min=1, max=5))
    [1, 2, 3, 4, 5]
    >>> whole_points(Criterion("Q", "C", 1, scale=Scale.ABSOLUTE, min=0, max=0.5)) is None
    True
    """
    lo, hi = _bounds(criterion)
    if not (lo.is_integer() and hi.is_integer()) or hi - lo > MAX_POINTS_SPAN:
        return None
    return list(range(int(lo), int(hi) + 1))


def scale_text(criterion: Criterion) -> str:
    """The scale as messages and sheets write it: ``1–5``, ``0–0.5``."""
    lo, hi = _bounds(criterion)
    return f"{format_number(lo)}–{format_number(hi)}"


def points_text(points: list[int]) -> str:
    """``1, 2, 3, 4, 5``; a long list shortened to ``0, 1, 2, …, 100``."""
    if len(points) <= _LISTED_POINTS:
        return ", ".join(str(p) for p in points)
    return f"{points[0]}, {points[1]}, {points[2]}, …, {points[-1]}"


def _not_finite(value: float, criterion: Criterion) -> str | None:
    if math.isfinite(value):
        return None
    shown = "NaN" if math.isnan(value) else format_number(value)
    return (
        f"{shown} is not a number on the scale {scale_text(criterion)} of {quoted(criterion.name)}"
    )


def _outside(value: float, criterion: Criterion) -> str | None:
    lo, hi = _bounds(criterion)
    if lo <= value <= hi:
        return None
    shown = format_numbers(value, lo, hi)[0]  # 5.0000001 must not read as 5
    return f"{shown} is outside the scale {scale_text(criterion)} of {quoted(criterion.name)}"


def score_problem(criterion: Criterion, value: float) -> str | None:
    """Why ``value`` is not a score on ``criterion``'s scale, or ``None`` when it is.

    NaN and infinities are refused; a value outside Min–Max is refused; on a scale with
    whole points (:func:`whole_points`) a value between two points is refused.

    Examples
    --------
    >>> from vendor_eval.core.model import Criterion, Scale
    >>> q = Criterion("Quality", "C", 1, scale=Scale.ABSOLUTE, min=1, max=5)
    >>> score_problem(q, 4) is None, score_problem(q, 6), score_problem(q, 3.5)
    (True, "6 is outside the scale 1–5 of 'Quality'", \
"3.5 is not one of the points 1, 2, 3, 4, 5 of 'Quality'")
    """
    value = _as_float(value)
    problem = _not_finite(value, criterion) or _outside(value, criterion)
    if problem:
        return problem
    points = whole_points(criterion)
    if points is not None and not value.is_integer():
        shown = format_numbers(value, round(value))[0]  # 3.0000001 must not read as 3
        return f"{shown} is not one of the points {points_text(points)} of {quoted(criterion.name)}"
    return None


def _as_float(value: float) -> float:
    """``value`` as a float; an integer too large for one is infinite (so refused)."""
    try:
        return float(value)
    except OverflowError:
        return math.inf if value > 0 else -math.inf


def consensus_problem(criterion: Criterion, value: float) -> str | None:
    """Why ``value`` cannot be a moderation consensus on ``criterion``, or ``None``.

    Any finite number from Min to Max is allowed, whole points or not.
    """
    value = _as_float(value)
    return _not_finite(value, criterion) or _outside(value, criterion)


def comment_required(criterion: Criterion, value: float) -> bool:
    """Whether a score of ``value`` needs a comment: it is the scale's Min or Max (within
    :data:`BOUND_TOLERANCE`)."""
    lo, hi = _bounds(criterion)
    value = float(value)
    return abs(value - lo) <= BOUND_TOLERANCE or abs(value - hi) <= BOUND_TOLERANCE


def parse_score(raw: object, criterion: Criterion) -> float | None:
    """A score cell or form value as a number; ``None`` when it is blank.

    Read by the workbook importer's rules for a number (``4``, ``" 4 "``, ``"4.5"``,
    ``"1E0"``; ``"4,5"`` is refused with a hint to use a decimal point). Whether the number
    is on the scale is :func:`score_problem`'s question, not this one's.

    Raises
    ------
    ValueError
        For anything that is not a number, in plain words: ``"good" is not a number``;
        also yes/no values (TRUE), dates, Excel error values, formulas without a saved
        result, NaN and infinities, and a percentage or a currency amount.
    """
    scale = scale_text(criterion)
    symbol, percent = notation(raw)
    if percent or symbol:
        what = "a percentage" if percent else "an amount of money"
        raise ValueError(f"{show(raw)} is {what}, not a score: type a number on the scale {scale}")
    x = parse_value(raw, Scale.ABSOLUTE)  # its CellError is a ValueError with a plain message
    return None if math.isnan(x) else x
