"""How the importer's messages quote what they are about.

:class:`CellError` is what a cell parser raises: a message in plain words that quotes the
value (:func:`show`), with its reason code. :func:`about` names the criterion or category a
row belongs to in such a message (``"x" is not a number for "Rating"``), and
:func:`column_letter` (from the reader's rawbook module, its one home) spells a column as Excel
does.
"""

from __future__ import annotations

import datetime as _dt
import math
import unicodedata

from vendor_eval.core.model import format_number
from vendor_eval.workbook.importing.durations import format_duration
from vendor_eval.workbook.reading.rawbook import column_letter
from vendor_eval.workbook.schema import INVISIBLE_CHARS

__all__ = ["CellError", "about", "column_letter", "show", "show_name"]


class CellError(ValueError):
    """A cell value that cannot be read.

    Attributes
    ----------
    message:
        Why, in plain words: ``head`` followed by ``hint``, e.g. ``"4,5" is not a number``
        and ``: use a decimal point, e.g. 4.5``.
    code:
        The reason :class:`~vendor_eval.core.problems.Code`.
    """

    def __init__(self, head: str, code: str, hint: str = "") -> None:
        super().__init__(head + hint)
        self.message = head + hint
        self.head = head
        self.hint = hint
        self.code = code

    def about(self, name: str) -> str:
        """The message naming what the cell belongs to: ``"x" is not a number for "Rating"``."""
        return about(self.head, name, self.hint)


def about(head: str, name: str, hint: str = "") -> str:
    """``head``, ``for "name"`` when there is a name, then ``hint``.

    Examples
    --------
    >>> about("weight is missing", "Price", " (use 0 to ignore it)")
    'weight is missing for "Price" (use 0 to ignore it)'
    """
    return f"{head} for {show(name)}{hint}" if name else head + hint


def _visible(c: str, spaces: bool = False) -> str:
    """Control and invisible characters spelt out, so messages show them (with ``spaces``,
    every space but the plain one too)."""
    if c.isascii() and c.isprintable():
        return c
    cat = unicodedata.category(c)
    if cat == "Cc":
        return f"\\x{ord(c):02x}"
    if cat == "Cf" or c in INVISIBLE_CHARS or (spaces and c.isspace()):
        return f"\\u{ord(c):04x}" if ord(c) <= 0xFFFF else f"\\U{ord(c):08x}"
    return c


def show(value: object, limit: int = 40) -> str:
    """A value as quoted in messages: text in double quotes (shortened), numbers bare."""
    if isinstance(value, str):
        return f'"{_shortened([_visible(c) for c in value.strip()[:limit]], limit, value.strip())}"'
    if isinstance(value, _dt.timedelta):
        return format_duration(value)
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    if isinstance(value, int | float):
        try:
            return format_number(float(value))
        except OverflowError:
            return str(value)[:limit]
    if isinstance(value, _dt.datetime):
        return value.isoformat(sep=" ") if value.time() != _dt.time() else str(value.date())
    return str(value)[:limit]


def show_name(name: str, limit: int = 40) -> str:
    """A sheet name quoted exactly, spaces around kept and every space, invisible or control
    character other than the plain space spelt out, so two names that look alike show how
    they differ: ``" VENDORS "``, ``"Vendors\\u00a0"``."""
    return f'"{_shortened([_visible(c, spaces=True) for c in name[:limit]], limit, name)}"'


def _shortened(pieces: list[str], limit: int, whole: str) -> str:
    """The pieces (one per character: itself or its ``\\u00ad`` spelling) joined, cut to
    ``limit`` characters with "…" between pieces, never inside an escape."""
    if sum(map(len, pieces)) <= limit and len(whole) <= limit:
        return "".join(pieces)
    out, used = [], 0
    for piece in pieces:
        if used + len(piece) > limit - 1:
            break
        out.append(piece)
        used += len(piece)
    return "".join(out) + "…"
