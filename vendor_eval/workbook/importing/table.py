"""A sheet read as a table: header row, headers matched by name, data rows with Excel numbers.

The header row is the first row with any non-empty cell or, when the caller names the
headers to expect, the first row holding one of them (so title rows above are skipped).
Headers are matched case-insensitively, ignoring surrounding spaces
(:func:`~vendor_eval.workbook.schema.name_key`); blank rows are skipped but
every data row keeps its real Excel row number, so problems point at the right cell.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from vendor_eval.core.limits import MAX_NAME_LENGTH, MAX_TITLE_ROWS
from vendor_eval.core.problems import Code, Problems, Where
from vendor_eval.workbook.importing.cells import is_blank
from vendor_eval.workbook.importing.messages import CellError, column_letter, show
from vendor_eval.workbook.importing.names import Names
from vendor_eval.workbook.importing.text import parse_text
from vendor_eval.workbook.reading.rawbook import RawSheet
from vendor_eval.workbook.schema import Column, name_key

__all__ = ["Table", "read_table"]


@dataclass
class Table:
    """One sheet as a header row plus data rows.

    Attributes
    ----------
    sheet:
        The sheet name as written in the workbook.
    header_row:
        Excel row number of the header row, or ``None`` for an empty sheet.
    headers:
        Header text per column (0-based), ``""`` where the header cell is empty.
    rows:
        ``(excel_row, cells)`` for every non-blank row below the header; ``cells`` is the
        sheet's row as read, which may be shorter than ``headers``: read a cell with
        :func:`cell`.
    """

    sheet: str
    header_row: int | None = None
    headers: list[str] = field(default_factory=list)
    rows: list[tuple[int, list[object]]] = field(default_factory=list)
    _index: dict[str, int] = field(default_factory=dict)

    def col(self, *names: str | Column) -> int | None:
        """The 0-based index of the first column whose header matches one of ``names``
        (a :class:`~vendor_eval.workbook.schema.Column` stands for all its spellings)."""
        for n in names:
            for spelling in n.spellings if isinstance(n, Column) else (n,):
                i = self._index.get(name_key(spelling))
                if i is not None:
                    return i
        return None

    def header(self, col: int | None) -> str | None:
        return None if col is None else self.headers[col]

    def at(self, row: int | None = None, col: int | None = None) -> Where:
        """Where a problem is: ``sheet``, ``row`` (Excel number), ``column`` and ``header``
        of column ``col`` (0-based), as keywords for
        :meth:`~vendor_eval.core.problems.Problems.error`."""
        return {
            "sheet": self.sheet,
            "row": row,
            "column": None if col is None else column_letter(col),
            "header": self.header(col) or None,
        }

    def first_time(
        self, seen: Names, name: str, row: int, col: int | None, code: str, problems: Problems
    ) -> bool:
        """Record ``name`` in ``seen`` (by :func:`name_key`) unless a row above has it.

        A repeat reports ``duplicate <what> "X" (also in row N)`` with ``code`` and returns
        False; a new name returns True (and a ``confusable_name`` warning when it looks
        like an earlier name, :class:`~vendor_eval.workbook.importing.names.Names`).
        """
        first = seen.first(name)
        if first is not None:
            message = f"duplicate {seen.what} {show(name)} (also in row {first.row})"
            problems.error(code, message, **self.at(row, col))
            return False
        return seen.add(name, row, col, problems, self.at(row, col))

    def columns(self) -> Iterator[tuple[int, str]]:
        """``(index, header)`` of every column with a header (the first of duplicates), in
        sheet order: the header index holds exactly those, filled left to right."""
        for i in self._index.values():
            yield i, self.headers[i]


def could_be_name(value: object) -> bool:
    """Whether ``value`` is text short enough to be a name or header (at most
    :data:`MAX_NAME_LENGTH` characters once trimmed): only such cells are normalised when
    headers are looked for, so a title row of long text costs nothing."""
    return isinstance(value, str) and (
        len(value) <= MAX_NAME_LENGTH or len(value.strip()) <= MAX_NAME_LENGTH
    )


def _cell(row: list[object], j: int) -> object:
    return row[j] if j < len(row) else None


def _header_index(rows: list[list[object]], expect: tuple[str, ...]) -> int | None:
    """The 0-based index of the header row.

    The first non-blank row, unless ``expect`` names headers (e.g. ``Vendor``) that this
    row lacks and one of the next :data:`MAX_TITLE_ROWS` non-blank rows holds: then that
    row, and the rows above it are titles (a report title, a merged banner, a date).
    """
    keys = {name_key(e) for e in expect}
    first = None
    seen = 0
    for i, r in enumerate(rows):
        if not any(not is_blank(c) for c in r):
            continue
        if first is None:
            first = i
        if not keys or any(could_be_name(c) and name_key(c) in keys for c in r):
            return i
        seen += 1
        if seen > MAX_TITLE_ROWS:
            break
    return first


def read_table(sheet: RawSheet, problems: Problems, expect: tuple[str, ...] = ()) -> Table:
    """Read ``sheet`` as a table; header problems (errors and warnings) go into ``problems``.

    Parameters
    ----------
    expect:
        Headers of which the header row must hold one (e.g. ``("Vendor", "Supplier")``):
        title rows above it are skipped (see :func:`_header_index`). Empty: the first
        non-blank row is the header row.

    Reported: a header that is not plain text (formula, control characters, over-long),
    two columns with the same header (errors), and data in a column without a header
    (a warning: the column is ignored).
    """
    table = Table(sheet=sheet.name)
    rows = sheet.rows
    start = _header_index(rows, expect)
    if start is None:
        return table
    table.header_row = start + 1
    table.headers = _headers(table, rows[start], problems)
    _data_rows(table, rows, start, problems)
    return table


def _headers(table: Table, header_cells: list[object], problems: Problems) -> list[str]:
    """The header texts (``""`` where unreadable or empty), indexing each first spelling."""
    header_cells = list(header_cells)
    while header_cells and is_blank(header_cells[-1]):
        header_cells.pop()
    row = table.header_row
    headers: list[str] = []
    looks = Names("column")
    for j, raw in enumerate(header_cells):
        try:
            text = parse_text(raw, max_length=MAX_NAME_LENGTH, multiline=False)
        except CellError as e:
            problems.error(e.code, e.message, sheet=table.sheet, row=row, column=column_letter(j))
            text = ""
        headers.append(text)
        if not text:
            continue
        key = name_key(text)
        if key in table._index:
            first = table._index[key]
            problems.error(
                Code.DUPLICATE_HEADER,
                f"duplicate column {show(text)}: {column_letter(first)}{row} and "
                f"{column_letter(j)}{row} have the same header; rename or delete one",
                sheet=table.sheet,
                row=row,
                column=column_letter(j),
                header=text,
            )
        else:
            table._index[key] = j
            where: Where = {"sheet": table.sheet, "row": row, "column": column_letter(j)}
            looks.add(text, row or 0, j, problems, {**where, "header": text})
    return headers


def _data_rows(table: Table, rows: list[list[object]], start: int, problems: Problems) -> None:
    """The non-blank rows below the header row (as read: not copied, not padded); a warning
    per unlabelled column. Each row costs the cells up to its first non-blank one, plus
    the cells in columns without a header."""
    headers = table.headers
    width = len(headers)
    no_header = [j for j, h in enumerate(headers) if not h]
    unlabelled: dict[int, int] = {}
    for i in range(start + 1, len(rows)):
        row = rows[i]
        if all(is_blank(c) for c in row):
            continue
        for j in no_header:
            if j < len(row) and j not in unlabelled and not is_blank(row[j]):
                unlabelled[j] = i + 1
        for j in range(width, len(row)):
            if j not in unlabelled and not is_blank(row[j]):
                unlabelled[j] = i + 1
        table.rows.append((i + 1, row))
    for j, r in sorted(unlabelled.items()):
        problems.warning(
            Code.UNLABELLED_COLUMN,
            "this column has data but no header; it is ignored",
            sheet=table.sheet,
            row=r,
            column=column_letter(j),
        )


def cell(row: list[object], col: int | None) -> object:
    """The value at ``col`` of a data row (``None`` when the column is absent)."""
    return None if col is None else _cell(row, col)
