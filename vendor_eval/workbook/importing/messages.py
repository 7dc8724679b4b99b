"""How the importer's messages quote what they are about.

:class:`CellError` is what a cell parser raises: a message in plain words that quotes the
value (:func:`show`), with its reason code. :func:`about` names the criterion or category a
row belongs to in such a message (``"x" is not a number for "Rating"``), and
:func:`column_letter` spells a column as Excel does.
"""

from __future__ import annotations

import datetime as _dt
import math
import unicodedata

from vendor_eval.core.model import format_number

__all__ = ["CellError", "about", "column_letter", "show"]


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


def column_letter(index: int) -> str:
    """Excel column letters for a 0-based column index: 0 → ``A``, 27 → ``AB``."""
    n = index + 1
    letters = ""
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _visible(c: str) -> str:
    """Control and invisible format characters spelt out, so messages show them."""
    cat = unicodedata.category(c)
    if cat == "Cc":
        return f"\\x{ord(c):02x}"
    if cat == "Cf":
        return f"\\u{ord(c):04x}"
    return c


def show(value: object, limit: int = 40) -> str:
    """A value as quoted in messages: text in double quotes (shortened), numbers bare."""
    if isinstance(value, str):
        text = value.strip()
        text = "".join(_visible(c) for c in text)
        if len(text) > limit:
            text = text[: limit - 1] + "…"
        return f'"{text}"'
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
