"""What the Vendors columns hold: numbers that are not scored, and units.

:func:`numeric_columns` finds the columns that are not criteria but hold numbers or yes/no
values, and warns about each: data that looks scorable is never ignored silently
(docs/workbook-format.md §2.1). :func:`column_units` checks that a criterion column is
written in one currency and returns that currency, or ``%`` for a column typed as
percentages, as the criterion's unit (docs/workbook-format.md §6.1).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from vendor_eval.core.model import Criterion, Scale
from vendor_eval.core.problems import Code, Problems
from vendor_eval.workbook.importing.cells import (
    LONGEST_NUMBER_TEXT,
    is_blank,
    is_placeholder,
    notation,
    parse_number,
    reads_as_yes_no,
)
from vendor_eval.workbook.importing.messages import CellError, column_letter, show
from vendor_eval.workbook.importing.table import cell
from vendor_eval.workbook.importing.vendors import Vendors
from vendor_eval.workbook.schema import name_key

__all__ = [
    "column_kind",
    "column_units",
    "looks_like_identifier",
    "mixed_currencies",
    "numeric_columns",
]

NUMBERS = "numbers"
YES_NO = "yes/no values"

# Headers of identifiers and contact numbers: numbers, but nothing to score. Words that also
# name ordinary quantities ("Price incl. VAT", "Mobile app rating") are not here.
_ID_WORDS = frozenset(
    {"id", "ids", "identifier", "phone", "telephone", "tel", "fax", "zip", "postcode"}
    | {"iban", "duns", "sku"}
)
_ID_LAST_WORDS = frozenset({"code", "number", "no", "nr", "num", "ref", "#"})
_WORDS = re.compile(r"[^\W_]+|#")
# "(number)", "(yes/no)", "(%)": a note on what the column holds, not part of its name.
_NOTE = re.compile(r"\([^)]*\)")
_DIGIT = re.compile(r"\d")
_TYPED_UNIT = re.compile(r"[$€£¥%]")
# "007", "0421": a number typed with a leading zero is a code (Excel would drop the zero).
_LEADING_ZERO = re.compile(r"^\s*0\d+\s*$")
# Identifiers of one length have at least this many digits (1001, 10115); shorter numbers of
# one length (120, 450, 300) are as likely a quantity.
_ID_DIGITS = 4
# How many cells a mixed-currencies message names per currency before "and N more".
_CELLS_SHOWN = 3


def looks_like_identifier(header: str, values: Iterable[object]) -> bool:
    """True for a column of identifiers or contact numbers, which is numbers but nothing to
    score (docs/workbook-format.md §2.1).

    A value typed as digits with a leading zero (``007``) makes the column identifiers.
    Otherwise both must hold:

    * the header says so: outside parentheses it has a word such as ``ID``, ``phone`` or
      ``zip``, or its last word is ``code``, ``number``, ``no``, ``#``... (``Vendor code``,
      ``PO number``; not ``Reference customers (number)``);
    * the values look like identifiers (:func:`_identifier_values`).

    A yes/no column is never identifiers. When in doubt the column is not excluded: a
    needless warning is better than data ignored silently.
    """
    values = list(values)
    if any(isinstance(v, str) and _LEADING_ZERO.match(v) for v in values):
        return True
    words = _WORDS.findall(_NOTE.sub(" ", name_key(header)))
    says_id = bool(words) and (not _ID_WORDS.isdisjoint(words) or words[-1] in _ID_LAST_WORDS)
    return says_id and column_kind(values) != YES_NO and _identifier_values(values)


def _identifier_values(values: list[object]) -> bool:
    """Whether the column's numbers look like identifiers: whole, not negative, typed without
    a currency symbol or percent sign, all different, and either consecutive (1, 2, 3) or of
    one length of at least :data:`_ID_DIGITS` digits (1001, 1002, 1003). Text that is not a
    number (a code such as ``V-17``) is left out; at least one number is needed."""
    numbers: list[int] = []
    for v in values:
        if is_blank(v) or is_placeholder(v):
            continue
        if isinstance(v, bool) or (isinstance(v, str) and _TYPED_UNIT.search(v)):
            return False
        if not _is_number(v):
            continue  # a code
        x = parse_number(v)
        if x < 0 or not x.is_integer():
            return False
        numbers.append(int(x))
    if not numbers or len(set(numbers)) < len(numbers):
        return False
    ordered = sorted(numbers)
    if ordered[-1] - ordered[0] == len(ordered) - 1:
        return True
    lengths = {len(str(n)) for n in numbers}
    return len(lengths) == 1 and lengths.pop() >= _ID_DIGITS


def column_kind(values: Iterable[object]) -> str | None:
    """``"yes/no values"``, ``"numbers"`` or ``None`` (text) for a column's cells.

    Counted are the non-blank cells that are not words for "unknown" (``N/A``, ``TBD``). A
    column holds yes/no values when more than half of them read as yes/no and
    at least one is a word or TRUE/FALSE; else numbers when more than half of them read as
    numbers, percentages and currency amounts included (docs/workbook-format.md §6).
    """
    counted = numbers = yes_no = 0
    word = False
    for v in values:
        if is_blank(v):
            continue
        if reads_as_yes_no(v):
            yes_no += 1
            word = word or isinstance(v, bool) or (isinstance(v, str) and not v.strip().isdigit())
        if _is_number(v):
            numbers += 1
        elif is_placeholder(v):
            continue
        counted += 1
    if word and 2 * yes_no > counted:
        return YES_NO
    if 2 * numbers > counted:
        return NUMBERS
    return None


def _is_number(value: object) -> bool:
    """Whether :func:`parse_number` reads ``value``; plain digits and text without a digit
    are decided without the parser (this runs on every descriptive cell)."""
    if isinstance(value, str):
        if len(value) <= 15 and value.isascii() and value.isdigit():
            return True
        if len(value) > LONGEST_NUMBER_TEXT and len(value.strip()) > LONGEST_NUMBER_TEXT:
            return False  # too long to be a number (parse_number refuses it): not scanned
        if not _DIGIT.search(value):
            return False
    try:
        parse_number(value)
    except CellError:
        return False
    return True


def numeric_columns(
    vendors: Vendors, columns: dict[str, int], problems: Problems
) -> tuple[list[str], list[str]]:
    """The headers of the Vendors columns holding numbers or yes/no values (every criterion
    column, and each other column :func:`column_kind` finds numeric and
    :func:`looks_like_identifier` does not exclude), and those of them that are not
    criteria, each with an ``unscored_column`` warning at its header."""
    vt = vendors.table
    if vt is None:
        return [], []
    linked = set(columns.values())
    numeric: list[str] = []
    unscored: list[str] = []
    for j, header in vt.columns():
        if j == vendors.col:
            continue
        if j in linked:
            numeric.append(header)
            continue
        values = [cell(cells, j) for _, cells in vt.rows]
        kind = column_kind(values)
        if kind is None or looks_like_identifier(header, values):
            continue
        numeric.append(header)
        unscored.append(header)
        message = f"column {show(header)} holds {kind} but is not a criterion: it is not scored"
        problems.warning(Code.UNSCORED_COLUMN, message, **vt.at(vt.header_row, j))
    return numeric, unscored


def column_units(
    vendors: Vendors, criteria: list[Criterion], columns: dict[str, int], problems: Problems
) -> dict[str, str]:
    """Criterion name → the unit its Vendors cells were typed with: one currency symbol, or
    ``"%"`` when every non-blank cell was typed as a percentage (docs/workbook-format.md
    §6.1).

    For currencies, cells without a symbol count as that currency. Two or more symbols in
    one column are an error at its header naming the cells of each (a few, then "and N
    more"): the amounts cannot be compared until they are converted to one currency. A
    column mixing ``12%`` and plain numbers has no unit (the values are fractions either
    way); a number cell formatted as a percentage in Excel is a plain number, so no unit.
    """
    vt = vendors.table
    units: dict[str, str] = {}
    if vt is None:
        return units
    for c in criteria:
        j = columns.get(c.name)
        if j is None or c.scale is Scale.YESNO:
            continue
        cells_of: dict[str, list[str]] = {}
        typed = percents = 0
        for r, cells in vt.rows:
            value = cell(cells, j)
            if is_blank(value):
                continue
            typed += 1
            symbol, percent = notation(value)  # one match per cell, not one per question
            percents += percent
            if symbol:
                cells_of.setdefault(symbol, []).append(f"{column_letter(j)}{r}")
        if len(cells_of) == 1:
            units[c.name] = next(iter(cells_of))
        elif cells_of:
            message = mixed_currencies(cells_of)
            problems.error(Code.MIXED_CURRENCIES, message, **vt.at(vt.header_row, j))
        elif typed and percents == typed:
            units[c.name] = "%"
    return units


def mixed_currencies(cells_of: dict[str, list[str]]) -> str:
    """The message for a column (or the Costs sheet's Amounts) typed in several currencies:
    ``mixed currencies $ (E2, E3), € (E4): convert them to one currency``."""
    listed = ", ".join(f"{s} ({_some(refs)})" for s, refs in cells_of.items())
    return f"mixed currencies {listed}: convert them to one currency"


def _some(refs: list[str]) -> str:
    """``F2, F3, F4 and 5 more``: the first few cell references, then how many others."""
    shown = ", ".join(refs[:_CELLS_SHOWN])
    rest = len(refs) - _CELLS_SHOWN
    return f"{shown} and {rest} more" if rest > 0 else shown
