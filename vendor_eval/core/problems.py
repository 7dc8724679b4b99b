"""Validation problems as data (after pandera's lazy validation).

A :class:`Problem` names where something is wrong (file, sheet, Excel row, column letter,
header) and says what, in plain words. The importer collects every problem, then raises one
:class:`ValidationError` whose ``.problems`` go straight into ``st.dataframe`` or the CLI.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas is imported where a frame is built: the reader side stays light
    import pandas as pd

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or worth a warning) in an input workbook.

    Attributes
    ----------
    message:
        What is wrong, in plain words, e.g. ``"ten" is not a number``.
    sheet:
        Sheet name as written in the workbook (``None`` for file-level problems).
    row:
        Excel row number (1-based), or ``None``.
    column:
        Excel column letter(s), or ``None``.
    header:
        The column's header text, or ``None``.
    severity:
        ``"error"`` (stops scoring) or ``"warning"`` (listed, scoring goes on).
    file:
        The input file's name, when known.
    """

    message: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    header: str | None = None
    severity: str = ERROR
    file: str | None = None

    @property
    def cell(self) -> str:
        """The cell reference, e.g. ``D7``, ``D`` (whole column) or ``7`` (whole row)."""
        return f"{self.column or ''}{self.row or ''}"

    @property
    def location(self) -> str:
        """``Vendors!D7 (Years in business)``, ``Vendors``, or ``""``."""
        if not self.sheet:
            return ""
        loc = self.sheet
        if self.cell:
            loc += f"!{self.cell}"
        if self.header:
            loc += f" ({self.header})"
        return loc

    def __str__(self) -> str:
        loc = self.location
        return f"{loc}: {self.message}" if loc else self.message

    def with_file(self, file: str | None) -> Problem:
        """A copy that names ``file``."""
        return Problem(
            self.message, self.sheet, self.row, self.column, self.header, self.severity, file
        )


def problems_frame(problems: Iterable[Problem]) -> pd.DataFrame:
    """The problems as a table: file, sheet, cell, column, severity, message."""
    import pandas as pd

    rows = [
        {
            "file": p.file or "",
            "sheet": p.sheet or "",
            "cell": p.cell,
            "column": p.header or "",
            "severity": p.severity,
            "message": p.message,
        }
        for p in problems
    ]
    return pd.DataFrame(rows, columns=["file", "sheet", "cell", "column", "severity", "message"])


class VendorEvalError(Exception):
    """Base class for errors caused by the user's input (CLI exit code 2)."""


class ValidationError(VendorEvalError):
    """The input is invalid; ``problems`` lists every reason (errors only)."""

    def __init__(self, problems: Iterable[Problem], file: str | None = None) -> None:
        self.problems = [p.with_file(file) if file and not p.file else p for p in problems]
        self.file = file or next((p.file for p in self.problems if p.file), None)
        super().__init__(self._summary())

    def _summary(self) -> str:
        n = len(self.problems)
        if n == 1 and not self.problems[0].sheet:
            # one file-level problem reads as one sentence: "x.xlsx was not found"
            message = self.problems[0].message
            named = self.file and message.startswith(self.file)
            return message if named or not self.file else f"{self.file}: {message}"
        head = f"{self.file}: " if self.file else ""
        head += f"{n} problem{'s' if n != 1 else ''} found"
        return "\n".join([head, *(f"  {p}" for p in self.problems)])

    def to_frame(self) -> pd.DataFrame:
        """The problems as a DataFrame for ``st.dataframe``."""
        return problems_frame(self.problems)

    def as_dicts(self) -> list[dict[str, object]]:
        return [asdict(p) for p in self.problems]


class ScoringError(VendorEvalError):
    """The evaluation cannot be scored as asked (e.g. TOPSIS with the exclude policy)."""
