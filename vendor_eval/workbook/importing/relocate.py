"""Where a cell of a rearranged book came from, so problems name the user's own cells.

Two imports build the book the importer reads out of other shapes: an evaluation matrix
(criteria as rows, vendors as columns: :mod:`vendor_eval.workbook.importing.matrix`) is
turned into Vendors and Criteria sheets, and several single-vendor response files
(:mod:`vendor_eval.workbook.combine`) are put into one Vendors sheet. The importer then
applies every rule unchanged, and reports problems at the cells of that built book. A
:class:`CellMap`, filled while the book is built, moves each problem back to the cell of
the original file and sheet it came from (docs/workbook-format.md §13):
``Evaluation!D4 (Globex Services, Technical capability): "good" is not a number``.

A problem is moved by the most specific place the map knows: its cell, else its row, else
its column, else its sheet. A row or column of the built book may stand for a row, a column
or a single cell of the original (a built Vendors row is a vendor, which in a matrix is a
header cell; a built column is a criterion, which in a matrix is a row). What the map does
not know is left as it is.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from vendor_eval.core.problems import Problem, ValidationError
from vendor_eval.workbook.schema import name_key

__all__ = ["CellMap", "Place"]


@dataclass(frozen=True)
class Place:
    """A place in an original file: ``sheet`` and, when known, Excel ``row``, ``column``
    letters and the ``header`` a message shows in brackets; ``file`` when several files
    were combined (else the problem's own file is kept)."""

    sheet: str
    row: int | None = None
    column: str | None = None
    header: str | None = None
    file: str | None = None


class CellMap:
    """Built-book places → original places (keys compare sheet names by ``name_key``)."""

    def __init__(self) -> None:
        self._cells: dict[tuple[str, int, str], Place] = {}
        self._rows: dict[tuple[str, int], Place] = {}
        self._columns: dict[tuple[str, str], Place] = {}
        self._sheets: dict[str, Place] = {}

    def __len__(self) -> int:
        return len(self._cells) + len(self._rows) + len(self._columns) + len(self._sheets)

    # -- filling ---------------------------------------------------------------------------
    def cell(self, sheet: str, row: int, column: str, place: Place) -> None:
        """Built cell ``sheet!{column}{row}`` came from ``place``."""
        self._cells[(name_key(sheet), row, column)] = place

    def row(self, sheet: str, row: int, place: Place) -> None:
        """A problem about built row ``row`` as a whole (no column) is at ``place``."""
        self._rows[(name_key(sheet), row)] = place

    def column(self, sheet: str, column: str, place: Place) -> None:
        """A problem about built column ``column`` as a whole (no row) is at ``place``."""
        self._columns[(name_key(sheet), column)] = place

    def sheet(self, sheet: str, place: Place) -> None:
        """A problem about built sheet ``sheet`` that no finer entry places is at ``place``."""
        self._sheets[name_key(sheet)] = place

    # -- moving problems -------------------------------------------------------------------
    def place_of(self, problem: Problem) -> Place | None:
        """Where ``problem``'s place came from, or ``None`` when the map does not know."""
        if problem.sheet is None:
            return None
        key = name_key(problem.sheet)
        if problem.row is not None and problem.column is not None:
            found = self._cells.get((key, problem.row, problem.column))
            if found is not None:
                return found
        if problem.row is not None and problem.column is None:
            found = self._rows.get((key, problem.row))
            if found is not None:
                return found
        if problem.column is not None and problem.row is None:
            found = self._columns.get((key, problem.column))
            if found is not None:
                return found
        return self._sheets.get(key)

    def relocate(self, problem: Problem) -> Problem:
        """``problem`` at the original place it came from (itself when unknown)."""
        place = self.place_of(problem)
        if place is None:
            return problem
        return replace(
            problem,
            sheet=place.sheet,
            row=place.row,
            column=place.column,
            header=place.header,
            file=place.file or problem.file,
        )

    def relocate_all(self, problems: Iterable[Problem]) -> list[Problem]:
        return [self.relocate(p) for p in problems]

    def relocate_error(self, error: ValidationError) -> ValidationError:
        """A new :class:`ValidationError` with every problem of ``error`` moved."""
        return ValidationError(self.relocate_all(error.problems), error.file)
