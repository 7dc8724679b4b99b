"""The number convention of a CSV file: decimal points (``1,234.5``) or commas (``1.234,5``).

A CSV file saved by a German, French, Dutch or Scandinavian Excel is separated by
semicolons and writes ``1,25`` for one and a quarter and ``1.250`` for a thousand two
hundred and fifty. The convention is decided once per file, never per cell
(docs/workbook-format.md §7):

* an .xlsx file's numbers are numbers; its text cells are read with decimal points;
* a CSV file separated by commas or tabs is read with decimal points;
* a CSV file separated by semicolons is read by what its numbers say: text that reads as a
  number only with decimal commas (``4,5``, ``1.250,50``, ``0,750``) is evidence for commas,
  text that reads only with points (``1.25``, ``1,250.50``) for points; the side with more
  evidence wins (a tie goes to commas, as a semicolon suggests), and a cell of the other
  side is then an error at that cell. A file whose only separators are ``1,250``-shaped
  (one separator, three digits: 1250 or 1.25) cannot tell and is refused, naming the column;
* ``decimal="comma"`` or ``"point"`` (``--decimal``, the dashboard's "Decimal separator")
  settles it for every CSV file.

A file read with decimal commas has its text cells marked
(:class:`~vendor_eval.workbook.importing.cells.DecimalCommaText`), so every numeric parser
reads them so, and a file combined with others keeps its convention.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from enum import StrEnum
from typing import Literal

from vendor_eval.core.model import format_number
from vendor_eval.core.problems import Code, Problem, ValidationError
from vendor_eval.workbook.importing.cells import (
    LONGEST_NUMBER_TEXT,
    DecimalCommaText,
    read_number_text,
)
from vendor_eval.workbook.importing.messages import show
from vendor_eval.workbook.reading.rawbook import RawBook, RawSheet, column_letter

__all__ = [
    "DECIMAL_CHOICES",
    "Convention",
    "Decimal",
    "decide_decimal",
    "point_text",
    "with_convention",
    "with_conventions",
]

#: What the user may choose: decide from the file, or say which.
Decimal = Literal["auto", "comma", "point"]
DECIMAL_CHOICES: tuple[str, ...] = ("auto", "comma", "point")

# A digit beside a "." or ",": only such text can read differently under the two conventions.
_SEPARATED = re.compile(r"\d[.,]|[.,]\d")
# A zero before the first separator ("0,750", "0.750"): that separator is the decimal one
# (thousands are never grouped after a lone zero).
_LEADING_ZERO = re.compile(r"(?<![\d.,])0([.,])\d")
_ASK = 'say which with --decimal comma or --decimal point (in the dashboard: "Decimal separator")'


class Convention(StrEnum):
    """How a file writes the decimals of its numbers."""

    POINT = "point"
    COMMA = "comma"


def _evidence(text: str) -> tuple[Convention | None, bool]:
    """Which convention the text of one cell speaks for (``None``: neither), and whether it
    is a number the two would read differently without telling which (``1,250``)."""
    if len(text) > LONGEST_NUMBER_TEXT or not _SEPARATED.search(text):
        return None, False
    point = read_number_text(text, comma=False)
    comma = read_number_text(text, comma=True)
    if point == comma:  # both None (not a number), or the same number ("95 €", "1 250")
        return None, False
    if comma is None:
        return Convention.POINT, False
    if point is None:
        return Convention.COMMA, False
    zero = _LEADING_ZERO.search(text)
    if zero is not None:
        return (Convention.COMMA if zero[1] == "," else Convention.POINT), False
    return None, True


def _text_cells(book: RawBook) -> Iterator[tuple[RawSheet, int, int, str]]:
    for sheet in book.sheets:
        for i, row in enumerate(sheet.rows):
            for j, value in enumerate(row):
                if isinstance(value, str):
                    yield sheet, i, j, value


def _ambiguous(book: RawBook, sheet: RawSheet, i: int, j: int, text: str) -> Problem:
    """The refusal of a file whose numbers cannot tell the convention, at its first such
    cell's column (the header is row 1's text there)."""
    header = sheet.rows[0][j] if i > 0 and j < len(sheet.rows[0]) else None
    point = read_number_text(text, comma=False)
    comma = read_number_text(text, comma=True)
    assert point is not None and comma is not None  # an ambiguous cell reads both ways
    message = f"{show(text)} could be {format_number(point)} or {format_number(comma)}: {_ASK}"
    return Problem(
        message,
        sheet=sheet.name,
        column=column_letter(j),
        header=header.strip() if isinstance(header, str) and header.strip() else None,
        file=book.file_name,
        code=Code.AMBIGUOUS_DECIMAL,
    )


def decide_decimal(book: RawBook, decimal: str = "auto") -> Convention | Problem:
    """The convention of ``book``'s text cells (the module docstring's rule), or the problem
    that its numbers cannot tell (a ``1,250``-shaped number and nothing else to go by).

    ``decimal`` is ``"auto"``, ``"comma"`` or ``"point"``; it applies to CSV files only (an
    .xlsx file's text cells are read with decimal points).

    Examples
    --------
    >>> from vendor_eval.workbook.reading.rawbook import RawSheet
    >>> sheet = RawSheet("Vendors", [["Vendor", "Rate"], ["A", "4,5"], ["B", "1.250"]])
    >>> decide_decimal(RawBook("v.csv", "", "csv", [sheet], csv_separator=";")).value
    'comma'
    """
    if decimal not in DECIMAL_CHOICES:
        raise ValueError(f"decimal must be one of {DECIMAL_CHOICES}, not {decimal!r}")
    if book.kind != "csv":
        return Convention.POINT
    if decimal != "auto":
        return Convention(decimal)
    if book.csv_separator != ";":
        return Convention.POINT
    votes = {Convention.POINT: 0, Convention.COMMA: 0}
    first: tuple[RawSheet, int, int, str] | None = None
    for sheet, i, j, text in _text_cells(book):
        side, ambiguous = _evidence(text)
        if side is not None:
            votes[side] += 1
        elif ambiguous and first is None:
            first = sheet, i, j, text
    if votes[Convention.COMMA] or votes[Convention.POINT]:
        return (
            Convention.COMMA
            if votes[Convention.COMMA] >= votes[Convention.POINT]
            else (Convention.POINT)
        )
    if first is not None:
        return _ambiguous(book, *first)
    return Convention.POINT


def _marked(value: object) -> object:
    if isinstance(value, str) and _SEPARATED.search(value):
        return DecimalCommaText(value)
    return value


def with_convention(book: RawBook, decimal: str = "auto") -> RawBook:
    """``book`` with its number convention decided (:func:`decide_decimal`): read with
    decimal commas, its text cells holding a separator are marked
    :class:`~vendor_eval.workbook.importing.cells.DecimalCommaText`. A book already
    decided is returned as it is.

    Raises
    ------
    ValidationError
        When its numbers cannot tell the convention (code ``ambiguous_decimal``).
    """
    if book.convention is not None:
        return book
    found = decide_decimal(book, decimal)
    if isinstance(found, Problem):
        raise ValidationError([found], book.file_name)
    if found is Convention.POINT:
        return replace(book, convention=found.value)
    sheets = [
        RawSheet(s.name, [[_marked(v) for v in row] for row in s.rows], s.merged)
        for s in book.sheets
    ]
    return replace(book, sheets=sheets, convention=found.value)


def with_conventions(books: list[RawBook | None], decimal: str = "auto") -> list[RawBook | None]:
    """Each book with its convention decided (:func:`with_convention`), every refusal
    together in one :class:`ValidationError`."""
    out: list[RawBook | None] = []
    problems: list[Problem] = []
    for book in books:
        try:
            out.append(with_convention(book, decimal) if book is not None else None)
        except ValidationError as e:
            problems += e.problems
            out.append(book)
    if problems:
        raise ValidationError(problems, next(b.file_name for b in books if b is not None))
    return out


def point_text(value: object) -> object:
    """A cell as text an .xlsx reader reads with decimal points: decimal-comma text
    (:class:`~vendor_eval.workbook.importing.cells.DecimalCommaText`) that is a number is
    rewritten (``"1.250,50 €"`` → ``"1250.50 €"``, ``"12,5 %"`` → ``"12.5 %"``), anything
    else is returned as it is. For writing a combined workbook."""
    if type(value) is not DecimalCommaText or read_number_text(value, comma=True) is None:
        return value
    out = []
    for ch in str(value):
        if ch == ".":
            continue
        out.append("." if ch == "," else ch)
    return "".join(out)
