"""Raw sheet contents as read from a file, before any interpretation.

:mod:`vendor_eval.workbook.reading.book` turns bytes into a :class:`RawBook` (safely, in a
sandbox); :mod:`vendor_eval.workbook.importing.load` turns a :class:`RawBook` into a
validated Evaluation. Keeping the two apart means the importer's rules are tested on plain
Python lists, without files.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


def _plain_key(name: str) -> str:
    return name.strip().casefold()


def column_letter(index: int) -> str:
    """Excel column letters for a 0-based column index: 0 → ``A``, 27 → ``AB``."""
    n = index + 1
    letters = ""
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


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
    ``datetime.datetime`` / ``datetime.date`` / ``datetime.time``, ``datetime.timedelta``
    (a duration: a number cell formatted ``[h]:mm``) or :class:`FormulaWithoutValue`.
    Rows may have different lengths; trailing empties may be trimmed. ``merged`` lists
    merged cell ranges as 0-based ``(first_row, first_col, last_row, last_col)``,
    inclusive; only the first cell of a range holds its value.
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

    ``csv_separator`` is the separator a CSV file was read with (``";"``, ``","`` or a
    tab; ``None`` for a workbook): a semicolon is what Excel writes where numbers have
    decimal commas. ``convention`` is the number convention the importer decided for the
    text cells (``"comma"`` or ``"point"``; ``None`` until decided, see
    :mod:`vendor_eval.workbook.importing.decimal`).
    """

    file_name: str
    sha256: str
    kind: str
    sheets: list[RawSheet] = field(default_factory=list)
    csv_separator: str | None = None
    convention: str | None = None

    def sheets_named(self, name: str, key: Callable[[str], str]) -> list[RawSheet]:
        """Every sheet whose name has the same ``key`` as ``name``, in workbook order.

        The importer passes :func:`vendor_eval.workbook.schema.name_key`, the one rule by
        which it compares names (this side may not import the layout), and reports two
        sheets of one name as an error.
        """
        wanted = key(name)
        return [s for s in self.sheets if key(s.name) == wanted]

    def sheet(self, name: str, key: Callable[[str], str] = _plain_key) -> RawSheet | None:
        """The first sheet whose name matches ``name`` by ``key`` (by default ignoring case
        and spaces around; the importer passes its name key)."""
        found = self.sheets_named(name, key)
        return found[0] if found else None
