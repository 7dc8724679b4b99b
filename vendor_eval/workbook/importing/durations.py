"""Durations: number cells formatted ``[h]:mm`` (4:00 is four hours, stored as 1/6 of a day).

Read as a plain number such a cell is a fraction of a day (0.1667), which nobody meant, so a
duration is refused where a number is expected, unless the criterion's name says the unit
its values are in (``Response time (hours)``, ``Payment terms (days)``): then it is read in
that unit (docs/workbook-format.md §6.1). In a descriptive column it is text, ``4:00``.
"""

from __future__ import annotations

import datetime as _dt
import re

from vendor_eval.workbook.schema import name_key

__all__ = ["UNITS", "duration_unit", "format_duration", "in_unit"]

#: Seconds per unit a duration is read in.
UNITS = {"hours": 3600.0, "minutes": 60.0, "days": 86400.0}
# A note in parentheses that is only a unit: "(hours)", "(h)", "(in days)", "(min)".
_NOTE_UNITS = {
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours"), "hours"),
    **dict.fromkeys(("min", "mins", "minute", "minutes"), "minutes"),
    **dict.fromkeys(("d", "day", "days"), "days"),
}
# A last word that is a unit in the plural: "Payment days", "Response time in hours" (not
# "Hours per day" or "Cost per hour").
_WORD_UNITS = {w: _NOTE_UNITS[w] for w in ("hours", "hrs", "minutes", "mins", "days")}
_NOTE = re.compile(r"\(\s*(?:in\s+)?([^\W\d_]+)\s*\)")
_LAST_WORD = re.compile(r"([^\W\d_]+)[\s.:]*$")
_WITHOUT_NOTES = re.compile(r"\([^()]*\)")


def duration_unit(*names: str) -> str | None:
    """``"hours"``, ``"minutes"`` or ``"days"`` when one of ``names`` (a criterion's name,
    its column's header) says its values are in that unit, else ``None``.

    The unit is a note in parentheses holding only the unit (``(hours)``, ``(h)``, ``(hrs)``,
    ``(in days)``, ``(d)``, ``(min)``), or the name's last word outside notes, in the plural
    (``Payment days``, ``Response time in hours``). ``Rate (USD/h)``, ``Cost per hour`` and
    ``Hours per day`` name no unit of a duration.

    Examples
    --------
    >>> duration_unit("Response time (hours)"), duration_unit("Payment terms (d)")
    ('hours', 'days')
    >>> duration_unit("Blended hourly rate", "Rate (USD/h)") is None
    True
    """
    for name in names:
        key = name_key(name)
        for note in _NOTE.findall(key):
            if note in _NOTE_UNITS:
                return _NOTE_UNITS[note]
        last = _LAST_WORD.search(_WITHOUT_NOTES.sub(" ", key))
        if last is not None and last[1] in _WORD_UNITS:
            return _WORD_UNITS[last[1]]
    return None


def in_unit(value: _dt.timedelta, unit: str) -> float:
    """A duration as a number of ``unit`` (``"hours"``, ``"minutes"``, ``"days"``)."""
    return value.total_seconds() / UNITS[unit]


def format_duration(value: _dt.timedelta) -> str:
    """A duration as Excel shows it formatted ``[h]:mm`` (``[h]:mm:ss`` with seconds).

    Examples
    --------
    >>> format_duration(_dt.timedelta(hours=4)), format_duration(_dt.timedelta(days=2, minutes=5))
    ('4:00', '48:05')
    >>> format_duration(_dt.timedelta(minutes=-90, seconds=-7))
    '-1:30:07'
    """
    seconds = round(value.total_seconds())
    sign = "-" if seconds < 0 else ""
    hours, rest = divmod(abs(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{sign}{hours}:{minutes:02d}" + (f":{secs:02d}" if secs else "")
