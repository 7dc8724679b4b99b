"""Text cells: names, headers and free text, trimmed and checked (docs/workbook-format.md §6.3).

Free text may hold tab and line breaks; names and headers may not, nor the bidirectional
controls that reorder the text shown (docs/workbook-format.md §1.4). Each check is one
regular-expression pass over the cell, at C speed.
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata

from vendor_eval.core.limits import MAX_TEXT_LENGTH
from vendor_eval.core.problems import Code
from vendor_eval.workbook.importing.cells import formula_error, is_blank
from vendor_eval.workbook.importing.durations import format_duration
from vendor_eval.workbook.importing.messages import CellError, show
from vendor_eval.workbook.reading.rawbook import FormulaWithoutValue
from vendor_eval.workbook.schema import BIDI_CONTROLS

__all__ = ["parse_text"]

# Control characters (Unicode category Cc) other than tab and line breaks, for free text;
# names and headers also refuse tab, line breaks (U+2028 and U+2029 too) and the bidi
# controls that reorder the text shown (schema.BIDI_CONTROLS).
_CONTROL_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_CONTROL_IN_NAME = re.compile(
    f"[\\x00-\\x1f\\x7f-\\x9f\u2028\u2029{''.join(sorted(BIDI_CONTROLS))}]"
)
_LINE_BREAKS = frozenset("\n\r\u2028\u2029")
_RIGHT_TO_LEFT = frozenset("\u202b\u202e\u2067")  # RLE, RLO, RLI


def parse_text(
    value: object,
    *,
    max_length: int = MAX_TEXT_LENGTH,
    multiline: bool = True,
) -> str:
    """A text cell, trimmed; ``""`` for an empty cell.

    Numbers become their shortest spelling (``2024.0`` → ``"2024"``), booleans
    ``TRUE``/``FALSE`` and dates ISO dates, so a vendor called ``2024`` is still a name.

    Parameters
    ----------
    max_length:
        Longest accepted text (after trimming).
    multiline:
        Whether tab and newline characters are allowed (free text yes, names no). Names
        also refuse the line and paragraph separators U+2028 and U+2029 and the
        bidirectional controls (schema.BIDI_CONTROLS), which reorder the text on screen.

    Raises
    ------
    CellError
        For control characters, over-long text and formulas without a saved result.
    """
    if is_blank(value):
        return ""
    if isinstance(value, FormulaWithoutValue):
        raise formula_error(value)
    if isinstance(value, str):
        text = value.strip()
    elif isinstance(value, _dt.timedelta):
        text = format_duration(value)
    elif isinstance(value, bool | int | float | _dt.date | _dt.time):
        text = show(value, limit=10**6)
    else:
        text = str(value).strip()
    found = (_CONTROL_IN_TEXT if multiline else _CONTROL_IN_NAME).search(text)
    if found is not None:
        raise _control_error(text, found[0])
    if len(text) > max_length:
        raise CellError(
            "text is too long",
            Code.TEXT_TOO_LONG,
            f" ({len(text):,} characters; at most {max_length:,}): {show(text)}",
        )
    return text


def _control_error(text: str, ch: str) -> CellError:
    """The error for a control character, line break or bidi control ``ch`` in ``text``."""
    if ch == "\u202e":  # RIGHT-TO-LEFT OVERRIDE: "gnp.exe" shows as "exe.png"
        what = "an invisible right-to-left control that reverses text on screen"
        return CellError(f"{show(text)} contains {what}", Code.BIDI_CONTROL, "; remove it")
    if ch in _RIGHT_TO_LEFT:
        what = "an invisible right-to-left control that changes the order text is shown in"
        return CellError(f"{show(text)} contains {what}", Code.BIDI_CONTROL, "; remove it")
    if ch not in _LINE_BREAKS and unicodedata.category(ch) == "Cf":
        what = f"an invisible text-direction control (U+{ord(ch):04X})"
        return CellError(f"{show(text)} contains {what}", Code.BIDI_CONTROL, "; remove it")
    what = "a line break" if ch in _LINE_BREAKS else f"the control character U+{ord(ch):04X}"
    return CellError(f"{show(text)} contains {what}", Code.CONTROL_CHARACTER, "; remove it")
