"""Raw sheet contents as read from a file, before any interpretation.

:mod:`vendor_eval.workbook.reading.book` turns bytes into a :class:`RawBook` (safely, in a
sandbox); :mod:`vendor_eval.workbook.importing.load` turns a :class:`RawBook` into a
validated Evaluation. Keeping the two apart means the importer's rules are tested on plain
Python lists, without files.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class FormulaWithoutValue:
    """A formula cell that has no computed (cached) value in the file.

    Files written by scripts, or saved without recalculation, carry formulas whose results
    nobody has computed; the importer reports them and asks the user to open and save the
    file in Excel.
    """

    formula: str = ""


@dataclass
class RawSheet:
    """One sheet's cells.

    ``rows[0]`` is Excel row 1 and ``rows[i][j]`` the cell in row ``i + 1``, column ``j + 1``.
    Cell values are ``None`` (empty), ``str``, ``int``, ``float``, ``bool``,
    ``datetime.datetime`` / ``datetime.date`` / ``datetime.time`` or
    :class:`FormulaWithoutValue`. Rows may have different lengths; trailing empties may be
    trimmed. ``merged`` lists merged cell ranges as 0-based ``(first_row, first_col,
    last_row, last_col)``, inclusive; only the first cell of a range holds its value.
    """

    name: str
    rows: list[list[object]] = field(default_factory=list)
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)


@dataclass
class RawBook:
    """A file's sheets, in workbook order.

    ``kind`` is ``"xlsx"`` (also .xlsm) or ``"csv"``. A CSV file gives one sheet named
    ``"Vendors"`` (or ``"Criteria"`` when read as a criteria file; see
    :data:`~vendor_eval.workbook.reading.csv.VENDORS_SHEET`) with every cell a ``str`` or
    ``None``.
    """

    file_name: str
    sha256: str
    kind: str
    sheets: list[RawSheet] = field(default_factory=list)

    def sheet(self, name: str) -> RawSheet | None:
        """The sheet whose name matches ``name`` case-insensitively, ignoring spaces around."""
        key = name.strip().casefold()
        for s in self.sheets:
            if s.name.strip().casefold() == key:
                return s
        return None
