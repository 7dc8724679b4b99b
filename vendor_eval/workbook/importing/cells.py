"""Cell values → typed values, the way Excel would read them when typed in.

Every parser takes one raw cell value (``None``, ``str``, ``int``, ``float``, ``bool``, a
date/time, a duration, or :class:`~vendor_eval.workbook.reading.rawbook.FormulaWithoutValue`)
and either returns the parsed value or raises :class:`CellError` with a plain-words message
that names the value, e.g. ``"ten" is not a number``. The importer adds the sheet, cell and
header. Text cells are read by :mod:`vendor_eval.workbook.importing.text`.

Accepted spellings (documented for analysts in README.md ("Accepted cell values")):

* numbers: ``1200``, ``" 4.5 "``, ``"1,200"``, ``"1,200.50"``, ``"1 200"`` (space, no-break
  or thin space between thousands), ``"-3"``, ``"−3"`` (Unicode
  minus), ``"(1,200)"`` (accounting negative), ``"85%"`` → 0.85, ``"1E3"``, and one currency
  symbol ``$ € £ ¥`` before or after the number (``"$1,200"``, ``"95 €"``), as Excel does
  when it recognises a currency entry. Blank = missing (NaN). Not 0: a number nearer zero
  than ``MIN_MAGNITUDE`` (``"1e-400"`` is refused, not read as 0).
* numbers in a file written with decimal commas (a :class:`DecimalCommaText` cell, as the
  importer marks the text of such a CSV file: :mod:`vendor_eval.workbook.importing.decimal`):
  the same, with ``.`` (or a space) between thousands and ``,`` before the decimals:
  ``"1.250,50"`` → 1250.5, ``"4,5"``, ``"12,5 %"`` → 0.125, ``"1.250"`` → 1250.
* yes/no: ``yes no y n true false 1 0`` in any case, and Excel's TRUE/FALSE.

Each parser costs time linear in the cell's text, at C speed (one regular-expression pass
at most), and text too long to be a number or a yes/no word is refused unscanned: the
importer runs in the parent process on untrusted cells.
"""

from __future__ import annotations

import datetime as _dt
import math
import re

from vendor_eval.core.limits import MAX_MAGNITUDE, MIN_MAGNITUDE
from vendor_eval.core.model import MustRule, Scale, format_number
from vendor_eval.core.problems import Code
from vendor_eval.workbook.importing.durations import format_duration, in_unit
from vendor_eval.workbook.importing.messages import CellError, show
from vendor_eval.workbook.reading.rawbook import FormulaWithoutValue
from vendor_eval.workbook.schema import INVISIBLE_CLASS, SCALE, without_invisible

__all__ = [
    "LONGEST_NUMBER_TEXT",
    "DecimalCommaText",
    "currency_symbol",
    "formula_error",
    "is_blank",
    "is_percent",
    "is_placeholder",
    "parse_must",
    "parse_number",
    "parse_value",
    "parse_yes_no",
    "read_number_text",
    "reads_as_yes_no",
]

_SPACES = "\u00a0\u202f\u2007\u2009"  # no-break and thin spaces Excel users paste in


# A character that shows: not whitespace, not invisible (schema.INVISIBLE_CHARS), not the
# braille blank. Found by one search that stops at the first such character, so telling an
# empty cell costs nothing for ordinary text, however long.
_VISIBLE = re.compile(f"[^\\s\u2800{INVISIBLE_CLASS}]")
#: Longest text read as a number (after trimming; 1e100 with thousands separators is 134
#: characters): longer text is refused as not a number without being scanned.
LONGEST_NUMBER_TEXT = 400
# Longest text compared with yes/no words and words for "unknown" (after trimming).
_MAX_WORD_TEXT = 40
_YES = frozenset({"yes", "y", "true", "1"})
_NO = frozenset({"no", "n", "false", "0"})
_EXCEL_ERROR = re.compile(r"^#(?:N/A|[A-Z0-9_/]+[!?])$")
_NUMBER = re.compile(
    r"""^(?P<sign1>[-+])?\s*(?P<cur1>[$€£¥])?\s*(?P<sign2>[-+])?\s*
    (?P<num>(?:\d{1,3}(?:,\d{3})+|\d{1,3}(?:\ \d{3})+|\d+)(?:\.\d*)?|\.\d+)
    (?P<exp>[eE][-+]?\d+)?\s*(?P<cur2>[$€£¥])?\s*(?P<pct>%)?$""",
    re.VERBOSE,
)
# The same in a file written with decimal commas: "." (or a space) between thousands.
_NUMBER_COMMA = re.compile(
    r"""^(?P<sign1>[-+])?\s*(?P<cur1>[$€£¥])?\s*(?P<sign2>[-+])?\s*
    (?P<num>(?:\d{1,3}(?:\.\d{3})+|\d{1,3}(?:\ \d{3})+|\d+)(?:,\d*)?|,\d+)
    (?P<exp>[eE][-+]?\d+)?\s*(?P<cur2>[$€£¥])?\s*(?P<pct>%)?$""",
    re.VERBOSE,
)
_DECIMAL_COMMA = re.compile(r"^[-+]?\d+,\d{1,2}$|^[-+]?\d{1,3}(?:[. ]\d{3})+,\d+$")
_CURRENCY = str.maketrans("", "", "$€£¥%")
# What people type for "unknown"; an error (docs/workbook-format.md §6.4) that says what to do.
_PLACEHOLDERS = frozenset(
    {"n/a", "na", "n.a.", "n.a", "-", "--", "---", "–", "—", "?", "??", "tbd", "tbc", "tba"}
    | {"unknown", "not known", "not available", "not applicable", "pending", "later"}
)
_LEAVE_EMPTY = "leave the cell empty if it is unknown (an empty cell counts as missing)"
_YES_NO_HINT = " (use yes/no, y/n, true/false or 1/0)"
_RULES = "use >= 3, > 0, <= 50000, < 10, = 1, or yes/no for a yes/no criterion"
_MUST = re.compile(r"^(?P<op>>=|=>|≥|<=|=<|≤|==|=|>|<)?\s*(?P<rest>.*)$", re.DOTALL)
_OP_ALIASES = {"=>": ">=", "≥": ">=", "=<": "<=", "≤": "<=", "==": "="}


class DecimalCommaText(str):
    """The text of a cell in a file whose numbers are written with decimal commas
    (``1.250,50``): the numeric parsers here read it so. The importer marks the text cells
    of such a CSV file (:func:`vendor_eval.workbook.importing.decimal.with_convention`); the
    mark travels with the cell, so each file keeps its own convention when several are
    combined."""

    __slots__ = ()


def is_blank(value: object) -> bool:
    """True for an empty cell: ``None`` or text that is only whitespace."""
    if value is None:
        return True
    if not isinstance(value, str):
        return False
    return _VISIBLE.search(value) is None


def formula_error(value: FormulaWithoutValue) -> CellError:
    """The error for a formula whose result was never saved."""
    f = (value.formula or "").strip()
    if f and not f.startswith("="):
        f = "=" + f
    if len(f) > 60:
        f = f[:59] + "…"
    what = f"formula {f}" if f else "a formula"
    return CellError(
        f"{what} has no saved result",
        Code.FORMULA_WITHOUT_VALUE,
        ": open the file in Excel and save it again",
    )


def _not_scalar(value: object, what: str, code: str) -> CellError:
    """The error for dates, times and formulas where a number or yes/no is expected."""
    if isinstance(value, FormulaWithoutValue):
        return formula_error(value)
    if isinstance(value, _dt.datetime | _dt.date):
        return CellError(f"{show(value)} is a date, not {what}", Code.DATE_OR_TIME)
    if isinstance(value, _dt.time):
        return CellError(f"{value} is a time, not {what}", Code.DATE_OR_TIME)
    if isinstance(value, _dt.timedelta):
        return CellError(f"{format_duration(value)} is a duration, not {what}", Code.DURATION)
    return CellError(f"{show(value)} is not {what}", code)


def _duration_error(value: _dt.timedelta) -> CellError:
    """A duration where a number is expected: which number to type instead."""
    hours = format_number(in_unit(value, "hours"))
    return CellError(
        f"{format_duration(value)} is a duration",
        Code.DURATION,
        f"; type the number of hours, e.g. {hours}",
    )


def _finite(x: float, value: object) -> float:
    if math.isnan(x):
        raise CellError(f"{show(value)} is not a number", Code.NOT_FINITE, " (NaN is not allowed)")
    if math.isinf(x):
        raise CellError(f"{show(value)} is not a finite number", Code.NOT_FINITE)
    if abs(x) > MAX_MAGNITUDE:
        raise CellError(f"{show(value)} is too large", Code.TOO_LARGE)
    if x != 0 and abs(x) < MIN_MAGNITUDE:
        raise _too_small(value)
    return x


def _too_small(value: object, underflows: bool = False) -> CellError:
    """A number too close to zero to be read: ``1e-400`` would silently be 0."""
    why = " (it would count as 0)" if underflows else ""
    return CellError(
        f"{show(value)} is too small to be read",
        Code.TOO_SMALL,
        f"{why}: type 0, or a number of at least {MIN_MAGNITUDE:g} in size",
    )


def _number_text(text: str) -> tuple[str, bool]:
    """Numeric text made plain (invisible characters, Unicode minus and odd spaces), and
    whether it was wrapped in accounting parentheses (which are removed)."""
    s = text.strip()
    if len(s) > LONGEST_NUMBER_TEXT:
        return s, False  # too long to be a number: not normalised (no match)
    s = without_invisible(s).replace("\u2212", "-")
    for sp in _SPACES:
        s = s.replace(sp, " ")
    s = s.strip()
    if s.startswith("(") and s.endswith(")"):
        return s[1:-1].strip(), True
    return s, False


def _number_from_text(text: str, comma: bool = False) -> float:
    """``text`` as a number, read with decimal points (or, ``comma``, decimal commas)."""
    s, negative = _number_text(text)
    if len(s) > LONGEST_NUMBER_TEXT:
        raise _not_a_number(text, Code.NOT_A_NUMBER, f" (over {LONGEST_NUMBER_TEXT} characters)")
    if _EXCEL_ERROR.match(s.upper()):
        raise CellError(
            f"{s.upper()} is an Excel error value, not a number",
            Code.EXCEL_ERROR,
            ": fix the formula or clear the cell",
        )
    m = (_NUMBER_COMMA if comma else _NUMBER).match(s)
    if m is None or (m["sign1"] and m["sign2"]) or (m["cur1"] and m["cur2"]):
        if s.lower().lstrip("+-") in {"nan", "inf", "infinity", "∞"}:
            raise _not_a_number(text, Code.NOT_FINITE, " (infinities and NaN are not allowed)")
        bare = " ".join(s.translate(_CURRENCY).split())
        if comma and _NUMBER.match(bare):
            hint = bare.replace(",", "").replace(".", ",")
            why = ": the file writes numbers with decimal commas (1.234,5), e.g. "
            raise _not_a_number(text, Code.DECIMAL_COMMA, f"{why}{hint}")
        if not comma and _DECIMAL_COMMA.match(bare):
            hint = bare.replace(".", "").replace(" ", "").replace(",", ".")
            raise _not_a_number(text, Code.DECIMAL_COMMA, f": use a decimal point, e.g. {hint}")
        if _is_placeholder(s):
            raise _not_a_number(text, Code.PLACEHOLDER, f": {_LEAVE_EMPTY}")
        raise _not_a_number(text, Code.NOT_A_NUMBER)
    if negative and (m["sign1"] or m["sign2"]):
        raise _not_a_number(text, Code.NOT_A_NUMBER)
    digits = m["num"].replace(".", "").replace(",", ".") if comma else m["num"].replace(",", "")
    digits = digits.replace(" ", "")
    try:
        x = float(digits + (m["exp"] or ""))
    except (ValueError, OverflowError):  # pragma: no cover - the pattern only admits floats
        raise _not_a_number(text, Code.NOT_A_NUMBER) from None
    if math.isinf(x):
        raise CellError(f"{show(text)} is too large", Code.TOO_LARGE)
    if x == 0 and digits.strip("0."):
        raise _too_small(text, underflows=True)  # 1e-400: non-zero, but it reads as 0
    if "-" in (m["sign1"] or "") + (m["sign2"] or "") or negative:
        x = -x
    if m["pct"]:
        x /= 100.0
    if abs(x) > MAX_MAGNITUDE:
        raise CellError(f"{show(text)} is too large", Code.TOO_LARGE)
    if x != 0 and abs(x) < MIN_MAGNITUDE:
        raise _too_small(text)
    return x


def read_number_text(text: str, *, comma: bool) -> float | None:
    """``text`` read as a number with decimal commas (``comma``) or points; ``None`` when it
    is not one (or is refused: too large, too small). Used to tell which convention a
    file's numbers follow."""
    try:
        return _number_from_text(text, comma)
    except CellError:
        return None


def _not_a_number(text: str, code: str, hint: str = "") -> CellError:
    return CellError(f"{show(text)} is not a number", code, hint)


def _is_placeholder(text: str) -> bool:
    """True for "N/A", "-", "TBD" and the like: words for "we do not know"."""
    text = text.strip()
    if len(text) > _MAX_WORD_TEXT:
        return False
    return " ".join(without_invisible(text).split()).casefold() in _PLACEHOLDERS


def is_placeholder(value: object) -> bool:
    """True for a text cell holding a word for "unknown" (``N/A``, ``-``, ``TBD``...)."""
    return isinstance(value, str) and _is_placeholder(value)


def currency_symbol(value: object) -> str | None:
    """The currency symbol written in a numeric text cell, else ``None``.

    Only text carries one: a number cell formatted as currency is stored as a plain number.

    Examples
    --------
    >>> [currency_symbol(v) for v in ("$1,200", "95 €", "95", 95)]
    ['$', '€', None, None]
    """
    return notation(value)[0]


def is_percent(value: object) -> bool:
    """Whether a numeric text cell was typed as a percentage (``"12%"``, ``"99.9 %"``).

    Only text says so: a number cell formatted as a percentage in Excel is stored as the
    plain fraction (0.12), without its format.

    Examples
    --------
    >>> [is_percent(v) for v in ("12%", "99.9 %", "0.12", 0.12, "ten %")]
    [True, True, False, False, False]
    """
    return notation(value)[1]


def notation(value: object) -> tuple[str | None, bool]:
    """How a numeric text cell was written: its currency symbol (or ``None``) and whether it
    was typed as a percentage, from one match (:func:`currency_symbol`, :func:`is_percent`).

    Examples
    --------
    >>> [notation(v) for v in ("$1,200", "12%", "95", 95)]
    [('$', False), (None, True), (None, False), (None, False)]
    """
    if not isinstance(value, str):
        return None, False
    text = _number_text(value)[0]
    pattern = _NUMBER_COMMA if type(value) is DecimalCommaText else _NUMBER
    m = pattern.match(text) if len(text) <= LONGEST_NUMBER_TEXT else None
    if m is None:
        return None, False
    return m["cur1"] or m["cur2"] or None, m["pct"] is not None


def parse_number(value: object) -> float:
    """A numeric cell as a float; NaN for an empty cell.

    Raises
    ------
    CellError
        For text that is not a number, dates, times and durations, Excel error values, NaN
        or infinity, numbers beyond ±:data:`MAX_MAGNITUDE` or closer to zero than
        :data:`MIN_MAGNITUDE` (``1e-400`` is not 0), yes/no (boolean) cells and formulas
        without a saved result.

    Examples
    --------
    >>> parse_number(" 1,200 "), parse_number("85%"), parse_number("$1,200")
    (1200.0, 0.85, 1200.0)
    """
    if is_blank(value):
        return math.nan
    if isinstance(value, bool):
        raise CellError(f"{show(value)} is a yes/no value, not a number", Code.YES_NO_NOT_NUMBER)
    if isinstance(value, int | float):
        try:
            x = float(value)
        except OverflowError:
            raise CellError(f"{show(value)} is too large", Code.TOO_LARGE) from None
        return _finite(x, value)
    if isinstance(value, str):
        return _number_from_text(value, type(value) is DecimalCommaText)
    if isinstance(value, _dt.timedelta):
        raise _duration_error(value)
    raise _not_scalar(value, "a number", Code.NOT_A_NUMBER)


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
        raise _not_yes_no(value, Code.NOT_YES_NO, _YES_NO_HINT)
    if isinstance(value, str):
        key = _word(value)
        if key in _YES:
            return 1.0
        if key in _NO:
            return 0.0
        if _is_placeholder(value):
            raise _not_yes_no(value, Code.PLACEHOLDER, f": {_LEAVE_EMPTY}")
        raise _not_yes_no(value, Code.NOT_YES_NO, _YES_NO_HINT)
    raise _not_scalar(value, "yes or no", Code.NOT_YES_NO)


def reads_as_yes_no(value: object) -> bool:
    """Whether :func:`parse_yes_no` reads a non-blank ``value`` (without raising: cheap
    enough to ask of every cell of a column)."""
    if isinstance(value, bool):
        return True
    if isinstance(value, int | float):
        return value in (0, 1)
    if isinstance(value, str):
        return _word(value) in _YES | _NO
    return False


def _word(text: str) -> str:
    """A short cell's text as compared with yes/no words (``""`` for long text)."""
    text = text.strip()
    if len(text) > _MAX_WORD_TEXT:
        return ""
    return without_invisible(text).strip().casefold()


def _not_yes_no(value: object, code: str, hint: str) -> CellError:
    return CellError(f"{show(value)} is not yes or no", code, hint)


def parse_value(value: object, scale: Scale, duration_unit: str | None = None) -> float:
    """A criterion value: yes/no for a ``yes/no`` scale, else a number (NaN = missing).

    A duration (an ``[h]:mm`` cell) is read in ``duration_unit`` (``"hours"``, ``"minutes"``,
    ``"days"``: what the criterion's name says,
    :func:`~vendor_eval.workbook.importing.durations.duration_unit`); without one it is
    refused (docs/workbook-format.md §6.1).
    """
    if scale is Scale.YESNO:
        return parse_yes_no(value)
    if duration_unit is not None and isinstance(value, _dt.timedelta):
        return _finite(in_unit(value, duration_unit), format_duration(value))
    return parse_number(value)


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
        raise _no_comparison(show(value), show(value))
    if isinstance(value, bool):
        return MustRule("=", 1.0 if value else 0.0, "yes" if value else "no")
    if not isinstance(value, str):
        raise _not_scalar(value, "a rule", Code.NOT_A_RULE)
    text = " ".join(without_invisible(value).split())
    m = _MUST.match(text)
    assert m is not None  # the pattern matches any string
    op = _OP_ALIASES.get(m["op"] or "", m["op"] or "")
    rest = m["rest"].strip()
    if type(value) is DecimalCommaText:
        rest = DecimalCommaText(rest)  # the threshold is read as the file writes numbers
    if rest.casefold() in _YES | _NO and not rest.isdigit():
        if scale is not Scale.YESNO:
            raise CellError(
                f"{show(text)} is a yes/no rule",
                Code.YES_NO_RULE_MISMATCH,
                f", but the {SCALE.name} is {scale.value}",
            )
        if op not in ("", "="):
            raise _not_a_rule(text)
        return MustRule("=", parse_yes_no(rest), text)
    try:
        threshold = parse_number(rest) if rest else math.nan
    except CellError:
        raise _not_a_rule(text) from None
    if math.isnan(threshold):
        raise _not_a_rule(text)
    if not op:
        if scale is Scale.YESNO and threshold in (0.0, 1.0):
            return MustRule("=", threshold, text)
        raise _no_comparison(show(text), rest)
    return MustRule(op, threshold, text)


def _not_a_rule(text: str) -> CellError:
    return CellError(f"{show(text)} is not a rule", Code.NOT_A_RULE, f": {_RULES}")


def _no_comparison(shown: str, number: str) -> CellError:
    return CellError(
        f"{shown} has no comparison", Code.RULE_WITHOUT_COMPARISON, f': write e.g. ">= {number}"'
    )
