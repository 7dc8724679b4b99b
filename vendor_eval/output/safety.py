"""User text is always text: safe cell values for the Excel export (OWASP formula injection).

Three hazards, each handled visibly rather than silently:

* **Formula injection**: text starting with ``=``, ``+``, ``-``, ``@``, tab or CR (OWASP's
  list) would become a formula if typed into Excel, or is one outright for openpyxl
  (``=``). Such text is stored as a string cell *and* gets Excel's quote prefix, so editing
  the cell later does not turn it into a formula either.
* **Line breaks**: CR and CRLF become LF (XML would do so silently; Excel uses LF).
* **Control characters** that XML 1.0 forbids (openpyxl raises ``IllegalCharacterError``):
  each is replaced by ``�`` (U+FFFD) and the replacement is noted for the Audit sheet.
* **Excel's 32,767-character cell limit**: longer text is cut with a visible marker
  ``… [truncated, N characters in full]`` and noted for the Audit sheet.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from vendor_eval.core.limits import EXCEL_CELL_LIMIT

#: Leading characters that a spreadsheet may read as the start of a formula (OWASP's list,
#: plus LF, which is what a CR becomes in a cell).
FORMULA_LEADERS = ("=", "+", "-", "@", "\t", "\r", "\n")
#: What an XML-illegal control character becomes.
REPLACEMENT = "\ufffd"

# XML 1.0 forbids C0 controls except tab, LF and CR (same set as openpyxl's check), plus
# the non-characters U+FFFE/U+FFFF; lone surrogates cannot be encoded at all.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# Anything :meth:`TextGuard.clean` would change (illegal characters or a CR).
_NEEDS_CLEANING = re.compile("[\x00-\x08\x0b\x0c\x0d\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def needs_quote_prefix(text: str) -> bool:
    """True if ``text`` would be read as a formula when typed into a spreadsheet."""
    return text.startswith(FORMULA_LEADERS)


def needs_cleaning(text: str) -> bool:
    """True if :meth:`TextGuard.clean` would change ``text`` (a cheap test for the hot path)."""
    return len(text) > EXCEL_CELL_LIMIT or _NEEDS_CLEANING.search(text) is not None


def csv_safe(text: str) -> str:
    """OWASP's rule for CSV output: prefix formula-like text with a single quote."""
    return "'" + text if needs_quote_prefix(text) else text


@dataclass
class TextGuard:
    """Cleans text for cells and remembers what it had to change (for the Audit sheet)."""

    notes: list[str] = field(default_factory=list)

    def clean(self, text: str, where: str) -> str:
        """``text`` made storable: control characters replaced, length within the limit.

        Parameters
        ----------
        text:
            The user's text.
        where:
            Where it goes, e.g. ``Summary!B7``, named in the audit note.
        """
        # XML turns CR into LF on reading anyway; Excel's line break in a cell is LF.
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        n_bad = 0
        if _ILLEGAL.search(text):
            text, n_bad = _ILLEGAL.subn(REPLACEMENT, text)
            plural = "s" if n_bad != 1 else ""
            self.notes.append(
                f"{where}: {n_bad} control character{plural} that Excel cannot store "
                f"replaced by {REPLACEMENT}"
            )
        if len(text) > EXCEL_CELL_LIMIT:
            full = len(text)
            marker = f"… [truncated, {full:,} characters in full]"
            text = text[: EXCEL_CELL_LIMIT - len(marker)] + marker
            self.notes.append(
                f"{where}: text of {full:,} characters cut to Excel's limit of "
                f"{EXCEL_CELL_LIMIT:,} (marked in the cell)"
            )
        return text


def is_missing_value(value: object) -> bool:
    """None, NaN, NaT or pandas NA: no value to write, so the cell stays empty.

    Not :func:`vendor_eval.workbook.importing.cells.is_blank`, which also counts whitespace
    text as blank (an empty cell as typed into the workbook).
    """
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    if isinstance(value, str | bytes):
        return False
    try:
        import pandas as pd

        # pd.isna takes any object at run time; its stubs list only the scalar and array types
        anything: Any = value
        return bool(pd.isna(anything))
    except (TypeError, ValueError):
        return False
