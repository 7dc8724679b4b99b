"""User text is always text: safe cell values for the Excel export and the CSV (OWASP formula
injection), and safe text for a terminal.

Hazards, each handled visibly rather than silently:

* **Formula injection**: text starting with ``=``, ``+``, ``-``, ``@``, tab or CR (OWASP's
  list) would become a formula if typed into Excel, or is one outright for openpyxl
  (``=``). Such text is stored as a string cell *and* gets Excel's quote prefix, so editing
  the cell later does not turn it into a formula either. "Starting with" looks past leading
  spaces and invisible characters (a spreadsheet may trim them: LibreOffice's *Trim spaces*
  turns `` =1+1`` into a live formula) and counts look-alike signs as the sign: the
  full-width, small, superscript and subscript forms (``＝ ＋ － ＠ ﹦ ⁼ ₌ …``, whatever
  Unicode's NFKC normalisation folds to ``= + - @``), and the minus, plus and equals signs
  that do not fold (``−`` U+2212 and the like, :data:`LOOKALIKES`).
* **CSV fields** (:func:`csv_field`): the same prefix, and because a CSV may be opened with
  another separator than it was written with (``;`` in most European locales, or tab), the
  rule also applies after every ``,``, ``;``, tab and line break inside a field:
  ``Q;=1+1`` is written ``"Q;'=1+1"``, which no separator turns into a formula. Any field
  holding a separator, a quote or a line break is quoted.
* **Line breaks**: CR and CRLF become LF (XML would do so silently; Excel uses LF).
* **Control characters** that XML 1.0 forbids (openpyxl raises ``IllegalCharacterError``):
  each is replaced by ``�`` (U+FFFD) and the replacement is noted for the Audit sheet.
* **Excel's 32,767-character cell limit**: longer text is cut with a visible marker
  ``… [truncated, N characters in full]`` and noted for the Audit sheet.
* **Terminal control** (:func:`terminal_text`): escape sequences, other control characters
  and bidirectional overrides in a name or file name are shown as visible symbols, never
  sent to the terminal.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from vendor_eval.core.limits import EXCEL_CELL_LIMIT

#: Leading characters that a spreadsheet may read as the start of a formula (OWASP's list,
#: plus LF, which is what a CR becomes in a cell).
FORMULA_LEADERS = ("=", "+", "-", "@", "\t", "\r", "\n")
#: What an XML-illegal control character becomes.
REPLACEMENT = "\ufffd"
#: Minus, plus and equals look-alikes that NFKC does not fold to ASCII (Unicode's
#: confusables for ``-``, ``+`` and ``=``): treated as the sign they look like.
LOOKALIKES = frozenset(
    "\u2212\u2796\u02d7\u2010\u2011\u2012\u2013\u2043\ufe58\u2cba"  # minus, hyphens, dashes
    "\u2795\u02d6\u16ed"  # plus
    "\ua78a\u1400\u2e40\u30a0\ua4ff"  # equals
)
_LEADERS = frozenset(FORMULA_LEADERS)
# Characters a viewer may skip or trim before the first visible one: Unicode's default
# ignorables that are not format characters (Cf) or marks, and the blank-looking letters.
_BLANKS = frozenset(
    "\u034f\u115f\u1160\u17b4\u17b5\u180b\u180c\u180d\u180e\u180f\u2800\u3164\uffa0"
)
# CSV: the separators a spreadsheet may split a line on (a field starts after each), and
# what makes a field need quotes whichever separator is used.
_SEPARATORS = frozenset(",;\t\r\n")
_QUOTE_FIELD = re.compile('[",;\t\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]|^\\s|\\s$')

# XML 1.0 forbids C0 controls except tab, LF and CR (same set as openpyxl's check), plus
# the non-characters U+FFFE/U+FFFF; lone surrogates cannot be encoded at all.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# Anything :meth:`TextGuard.clean` would change (illegal characters or a CR).
_NEEDS_CLEANING = re.compile("[\x00-\x08\x0b\x0c\x0d\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _skippable(ch: str) -> bool:
    """Invisible or blank: a space, a control or format character, a variation selector…"""
    if ch.isspace() or ch in _BLANKS:
        return True
    cat = unicodedata.category(ch)
    return cat in ("Cc", "Cf", "Cs") or (cat == "Mn" and unicodedata.combining(ch) == 0)


def is_formula_sign(ch: str) -> bool:
    """``ch`` is ``= + - @`` (or tab, CR, LF), or a character that looks like one of them."""
    if ch in _LEADERS or ch in LOOKALIKES:
        return True
    if ch < "\x80":
        return False
    folded = unicodedata.normalize("NFKC", ch)
    return folded[:1] in _LEADERS


def _starts_formula(text: str, start: int = 0, *, quotes: bool = False) -> bool:
    """From ``start``, past blanks (and, for CSV, quote characters), a formula sign."""
    for k in range(start, len(text)):
        ch = text[k]
        if is_formula_sign(ch):
            return True
        if _skippable(ch) or (quotes and ch in "'\""):
            continue
        return False
    return False


def needs_quote_prefix(text: str) -> bool:
    """True if ``text`` would be read as a formula when typed into a spreadsheet: its first
    visible character is a formula sign (or a look-alike of one)."""
    if not text:
        return False
    c = text[0]
    if "!" <= c <= "~":  # printable ASCII: the one character decides (the hot path)
        return c in _LEADERS
    return _starts_formula(text)


def needs_cleaning(text: str) -> bool:
    """True if :meth:`TextGuard.clean` would change ``text`` (a cheap test for the hot path)."""
    return len(text) > EXCEL_CELL_LIMIT or _NEEDS_CLEANING.search(text) is not None


def csv_safe(text: str) -> str:
    """OWASP's rule for a CSV field, for any separator: a single quote before the field and
    after each ``,`` ``;`` tab or line break inside it where a formula would start.

    Examples
    --------
    >>> csv_safe("=1+1"), csv_safe("Q;=1+1"), csv_safe("  +1"), csv_safe("Acme = best")
    ("'=1+1", "Q;'=1+1", "'  +1", 'Acme = best')
    """
    if not text:
        return text
    out: list[str] = []
    if _starts_formula(text, quotes=True):
        out.append("'")
    last = 0
    for k, ch in enumerate(text):
        if ch in _SEPARATORS and _starts_formula(text, k + 1, quotes=True):
            out.append(text[last : k + 1])
            out.append("'")
            last = k + 1
    out.append(text[last:])
    return "".join(out)


def csv_unsafe(text: str) -> str:
    """:func:`csv_safe` undone: the text as the user wrote it (for tests and re-reading)."""
    out: list[str] = []
    k = 0
    at_start = True
    while k < len(text):
        ch = text[k]
        if at_start and ch == "'" and _starts_formula(text, k + 1, quotes=True):
            k += 1
            at_start = False
            continue
        out.append(ch)
        at_start = ch in _SEPARATORS
        k += 1
    return "".join(out)


def csv_field(value: object) -> str:
    """One CSV field: a number as written, text made :func:`csv_safe` and quoted when it
    holds a separator, a quote, a line break or leading or trailing white space. A NUL
    (which ends the text for many CSV readers) becomes ``�``."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, int | float):
        text = csv_safe(str(value).replace("\x00", REPLACEMENT))
        if _QUOTE_FIELD.search(text):
            return '"' + text.replace('"', '""') + '"'
        return text
    x = float(value)
    if math.isnan(x):
        return ""
    if isinstance(value, int):
        return str(value)
    return repr(x + 0.0)  # + 0.0: no "-0.0"


def terminal_text(text: object, *, lines: bool = False) -> str:
    """``text`` safe to print to a terminal: every control character (ESC, CSI, BEL, …),
    format character (bidirectional overrides and marks, zero-width characters) and line
    or paragraph separator is shown as a visible symbol (``␛`` for ESC, ``␊`` for LF,
    ``⟨U+202E⟩`` for a right-to-left override), never sent.

    ``lines=True`` keeps LF (for text that is several lines by design); otherwise the
    result is one line, as a table cell or a message about one cell must be.
    """
    s = str(text)
    if s.isprintable():  # the usual case: nothing to show differently
        return s
    out = []
    for ch in s:
        if lines and ch == "\n":
            out.append(ch)
        elif ch < " ":
            out.append(chr(0x2400 + ord(ch)))  # the control pictures: ␀ … ␟
        elif ch == "\x7f":
            out.append("\u2421")  # ␡
        elif ch in _JOINERS:
            out.append(ch)  # emoji sequences, Persian and Indic names need them
        elif not ch.isprintable() and unicodedata.category(ch) in _SHOWN:
            out.append(f"⟨U+{ord(ch):04X}⟩")
        else:
            out.append(ch)  # a space other than ASCII's, a private-use character…
    return "".join(out)


# What terminal_text shows as a code: C1 controls (CSI U+009B, NEL U+0085 …), format
# characters (bidi controls, zero-width ones), line and paragraph separators, surrogates.
_SHOWN = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs"})
_JOINERS = frozenset("\u200c\u200d")  # ZWNJ, ZWJ: they join, they never move text


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
