"""Cell values → typed values, the way Excel would read them when typed in.

Every parser takes one raw cell value (``None``, ``str``, ``int``, ``float``, ``bool``, a
date/time, or :class:`~vendor_eval.workbook.reading.rawbook.FormulaWithoutValue`) and either
returns the parsed value or raises :class:`CellError` with a plain-words message that names
the value, e.g. ``"ten" is not a number``. The importer adds the sheet, cell and header.

Accepted spellings (documented for analysts in README.md ("Accepted cell values")):

* numbers: ``1200``, ``" 4.5 "``, ``"1,200"``, ``"1,200.50"``, ``"1 200"`` (space, no-break
  or thin space between thousands), ``"-3"``, ``"−3"`` (Unicode
  minus), ``"(1,200)"`` (accounting negative), ``"85%"`` → 0.85, ``"1E3"``, and one currency
  symbol ``$ € £ ¥`` before or after the number (``"$1,200"``, ``"95 €"``), as Excel does
  when it recognises a currency entry. Blank = missing (NaN).
* yes/no: ``yes no y n true false 1 0`` in any case, and Excel's TRUE/FALSE.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
import unicodedata

from vendor_eval.core.model import MustRule, Scale, format_number
from vendor_eval.workbook.reading.rawbook import FormulaWithoutValue

__all__ = [
    "MAX_MAGNITUDE",
    "MAX_NAME_LENGTH",
    "MAX_TEXT_LENGTH",
    "CellError",
    "column_letter",
    "is_blank",
    "name_key",
    "parse_must",
    "parse_number",
    "parse_text",
    "parse_value",
    "parse_yes_no",
    "show",
]

#: Longest vendor, criterion, category or evaluator name accepted.
MAX_NAME_LENGTH = 200
#: Longest free text accepted (Excel's own limit for one cell).
MAX_TEXT_LENGTH = 32_767
#: Largest magnitude of a number accepted: beyond it the scorer's differences, sums and
#: squares (``hi - lo``, TOPSIS's vector norm) overflow to infinity and the scores become NaN.
MAX_MAGNITUDE = 1e100

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))
_SPACES = "\u00a0\u202f\u2007\u2009"  # no-break and thin spaces Excel users paste in
_YES = frozenset({"yes", "y", "true", "1"})
_NO = frozenset({"no", "n", "false", "0"})
_EXCEL_ERROR = re.compile(r"^#(?:N/A|[A-Z0-9_/]+[!?])$")
_NUMBER = re.compile(
    r"""^(?P<sign1>[-+])?\s*(?P<cur1>[$€£¥])?\s*(?P<sign2>[-+])?\s*
    (?P<num>(?:\d{1,3}(?:,\d{3})+|\d{1,3}(?:\ \d{3})+|\d+)(?:\.\d*)?|\.\d+)
    (?P<exp>[eE][-+]?\d+)?\s*(?P<cur2>[$€£¥])?\s*(?P<pct>%)?$""",
    re.VERBOSE,
)
_DECIMAL_COMMA = re.compile(r"^[-+]?\d+,\d{1,2}$|^[-+]?\d{1,3}(?:[. ]\d{3})+,\d+$")
_CURRENCY = str.maketrans("", "", "$€£¥%")
# What people type for "unknown"; still an error (DESIGN §2), with the way out spelt out.
_PLACEHOLDERS = frozenset(
    {"n/a", "na", "n.a.", "n.a", "-", "--", "---", "–", "—", "?", "??", "tbd", "tbc", "tba"}
    | {"unknown", "not known", "not available", "not applicable", "pending", "later"}
)
_LEAVE_EMPTY = "leave the cell empty if it is unknown (an empty cell counts as missing)"
_MUST = re.compile(r"^(?P<op>>=|=>|≥|<=|=<|≤|==|=|>|<)?\s*(?P<rest>.*)$", re.DOTALL)
_OP_ALIASES = {"=>": ">=", "≥": ">=", "=<": "<=", "≤": "<=", "==": "="}


class CellError(ValueError):
    """A cell value that cannot be read; ``message`` says why in plain words."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def column_letter(index: int) -> str:
    """Excel column letters for a 0-based column index: 0 → ``A``, 27 → ``AB``."""
    n = index + 1
    letters = ""
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def is_blank(value: object) -> bool:
    """True for an empty cell: ``None`` or text that is only whitespace."""
    if value is None:
        return True
    if type(value) is not str:
        return False
    return not value.strip() or not value.translate(_ZERO_WIDTH).strip()


def name_key(text: object) -> str:
    """The comparison key of a name or header.

    NFKC normalisation, zero-width characters removed, runs of whitespace collapsed,
    trimmed and case-folded: ``"Acme"``, ``" ACME "`` and ``"Ac\\u200bme"`` share one key.
    """
    s = unicodedata.normalize("NFKC", str(text)).translate(_ZERO_WIDTH)
    return " ".join(s.split()).casefold()


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


def _formula_error(value: FormulaWithoutValue) -> CellError:
    f = (value.formula or "").strip()
    if f and not f.startswith("="):
        f = "=" + f
    if len(f) > 60:
        f = f[:59] + "…"
    what = f"formula {f}" if f else "a formula"
    return CellError(f"{what} has no saved result: open the file in Excel and save it again")


def _not_scalar(value: object, what: str) -> CellError:
    """The error for dates, times and formulas where a number or yes/no is expected."""
    if isinstance(value, FormulaWithoutValue):
        return _formula_error(value)
    if isinstance(value, _dt.datetime | _dt.date):
        return CellError(f"{show(value)} is a date, not {what}")
    if isinstance(value, _dt.time | _dt.timedelta):
        return CellError(f"{value} is a time, not {what}")
    return CellError(f"{show(value)} is not {what}")


def _finite(x: float, value: object) -> float:
    if math.isnan(x):
        raise CellError(f"{show(value)} is not a number (NaN is not allowed)")
    if math.isinf(x):
        raise CellError(f"{show(value)} is not a finite number")
    if abs(x) > MAX_MAGNITUDE:
        raise CellError(f"{show(value)} is too large")
    return x


def _number_from_text(text: str) -> float:
    s = text.translate(_ZERO_WIDTH).replace("\u2212", "-")
    for sp in _SPACES:
        s = s.replace(sp, " ")
    s = s.strip()
    negative = False
    if s.startswith("(") and s.endswith(")"):
        negative, s = True, s[1:-1].strip()
    if _EXCEL_ERROR.match(s.upper()):
        raise CellError(
            f"{s.upper()} is an Excel error value, not a number: fix the formula or clear the cell"
        )
    m = _NUMBER.match(s)
    if m is None or (m["sign1"] and m["sign2"]) or (m["cur1"] and m["cur2"]):
        if s.lower().lstrip("+-") in {"nan", "inf", "infinity", "∞"}:
            raise CellError(f"{show(text)} is not a number (infinities and NaN are not allowed)")
        bare = " ".join(s.translate(_CURRENCY).split())
        if _DECIMAL_COMMA.match(bare):
            hint = bare.replace(".", "").replace(" ", "").replace(",", ".")
            raise CellError(f"{show(text)} is not a number: use a decimal point, e.g. {hint}")
        if _is_placeholder(s):
            raise CellError(f"{show(text)} is not a number: {_LEAVE_EMPTY}")
        raise CellError(f"{show(text)} is not a number")
    if negative and (m["sign1"] or m["sign2"]):
        raise CellError(f"{show(text)} is not a number")
    try:
        x = float(m["num"].replace(",", "").replace(" ", "") + (m["exp"] or ""))
    except (ValueError, OverflowError):  # pragma: no cover - the pattern only admits floats
        raise CellError(f"{show(text)} is not a number") from None
    if math.isinf(x):
        raise CellError(f"{show(text)} is too large")
    if "-" in (m["sign1"] or "") + (m["sign2"] or "") or negative:
        x = -x
    if m["pct"]:
        x /= 100.0
    if abs(x) > MAX_MAGNITUDE:
        raise CellError(f"{show(text)} is too large")
    return x


def _is_placeholder(text: str) -> bool:
    """True for "N/A", "-", "TBD" and the like: words for "we do not know"."""
    return " ".join(text.translate(_ZERO_WIDTH).split()).casefold() in _PLACEHOLDERS


def parse_number(value: object) -> float:
    """A numeric cell as a float; NaN for an empty cell.

    Raises
    ------
    CellError
        For text that is not a number, dates and times, Excel error values, NaN or
        infinity, numbers beyond ±:data:`MAX_MAGNITUDE`, yes/no (boolean) cells and
        formulas without a saved result.

    Examples
    --------
    >>> parse_number(" 1,200 "), parse_number("85%"), parse_number("$1,200")
    (1200.0, 0.85, 1200.0)
    """
    if is_blank(value):
        return math.nan
    if isinstance(value, bool):
        raise CellError(f"{show(value)} is a yes/no value, not a number")
    if isinstance(value, int | float):
        try:
            x = float(value)
        except OverflowError:
            raise CellError(f"{show(value)} is too large") from None
        return _finite(x, value)
    if isinstance(value, str):
        return _number_from_text(value)
    raise _not_scalar(value, "a number")


def parse_yes_no(value: object) -> float:
    """A yes/no cell as 1.0 (yes) or 0.0 (no); NaN for an empty cell.

    Accepts yes/no/y/n/true/false/1/0 in any case, surrounding spaces ignored, Excel's
    TRUE/FALSE and the numbers 1 and 0.

    Raises
    ------
    CellError
        For anything else, e.g. ``"maybe" is not yes or no``.
    """
    if is_blank(value):
        return math.nan
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, int | float):
        if value == 1:
            return 1.0
        if value == 0:
            return 0.0
        raise CellError(f"{show(value)} is not yes or no (use yes/no, y/n, true/false or 1/0)")
    if isinstance(value, str):
        key = value.translate(_ZERO_WIDTH).strip().casefold()
        if key in _YES:
            return 1.0
        if key in _NO:
            return 0.0
        if _is_placeholder(value):
            raise CellError(f"{show(value)} is not yes or no: {_LEAVE_EMPTY}")
        raise CellError(f"{show(value)} is not yes or no (use yes/no, y/n, true/false or 1/0)")
    raise _not_scalar(value, "yes or no")


def parse_value(value: object, scale: Scale) -> float:
    """A criterion value: yes/no for a ``yes/no`` scale, else a number (NaN = missing)."""
    return parse_yes_no(value) if scale is Scale.YESNO else parse_number(value)


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
        Whether tab and newline characters are allowed (free text yes, names no).

    Raises
    ------
    CellError
        For control characters, over-long text and formulas without a saved result.
    """
    if is_blank(value):
        return ""
    if isinstance(value, FormulaWithoutValue):
        raise _formula_error(value)
    if isinstance(value, str):
        text = value.strip()
    elif isinstance(value, bool | int | float | _dt.date | _dt.time):
        text = show(value, limit=10**6)
    else:
        text = str(value).strip()
    allowed = "\t\n\r" if multiline else ""
    for ch in text:
        if unicodedata.category(ch) == "Cc" and ch not in allowed:
            what = "a line break" if ch in "\n\r" else f"the control character U+{ord(ch):04X}"
            raise CellError(f"{show(text)} contains {what}; remove it")
    if len(text) > max_length:
        raise CellError(
            f"text is too long ({len(text):,} characters; at most {max_length:,}): {show(text)}"
        )
    return text


def parse_must(value: object, scale: Scale) -> MustRule | None:
    """A Must (knock-out) rule: ``>= 3``, ``> 0``, ``<= 50,000``, ``< 10``, ``= 1``, ``yes``.

    ``≥``/``≤``/``=>``/``=<``/``==`` are accepted; the number may carry thousands separators,
    a percent sign or a currency symbol. For a ``yes/no`` criterion ``yes`` / ``no`` (or
    ``= yes``, TRUE, 1) mean ``= 1`` / ``= 0``. ``None`` for an empty cell.

    Raises
    ------
    CellError
        When the rule cannot be read.
    """
    if is_blank(value):
        return None
    if isinstance(value, bool | int | float) and not isinstance(value, bool):
        if scale is Scale.YESNO:
            return MustRule("=", parse_yes_no(value), show(value))
        raise CellError(f'{show(value)} has no comparison: write e.g. ">= {show(value)}"')
    if isinstance(value, bool):
        return MustRule("=", 1.0 if value else 0.0, "yes" if value else "no")
    if not isinstance(value, str):
        raise _not_scalar(value, "a rule")
    text = " ".join(value.translate(_ZERO_WIDTH).split())
    m = _MUST.match(text)
    assert m is not None  # the pattern matches any string
    op = _OP_ALIASES.get(m["op"] or "", m["op"] or "")
    rest = m["rest"].strip()
    accepted = "use >= 3, > 0, <= 50000, < 10, = 1, or yes/no for a yes/no criterion"
    if rest.casefold() in _YES | _NO and not rest.isdigit():
        if scale is not Scale.YESNO:
            raise CellError(f"{show(text)} is a yes/no rule, but the Scale is {scale.value}")
        if op not in ("", "="):
            raise CellError(f"{show(text)} is not a rule: {accepted}")
        return MustRule("=", parse_yes_no(rest), text)
    try:
        threshold = parse_number(rest) if rest else math.nan
    except CellError:
        raise CellError(f"{show(text)} is not a rule: {accepted}") from None
    if math.isnan(threshold):
        raise CellError(f"{show(text)} is not a rule: {accepted}")
    if not op:
        if scale is Scale.YESNO and threshold in (0.0, 1.0):
            return MustRule("=", threshold, text)
        raise CellError(f'{show(text)} has no comparison: write e.g. ">= {rest}"')
    return MustRule(op, threshold, text)
