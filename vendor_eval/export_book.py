"""The workbook being written: write-only sheets, safe cells, formulas with cached results.

:class:`Book` wraps an openpyxl write-only workbook (streaming rows keeps 10,000 vendors
fast and small) and records, per sheet, the result of every formula it writes so
:mod:`vendor_eval.xlsx_cache` can store them as cached values after saving.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

import numpy as np
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from vendor_eval.excel_safety import TextGuard, is_blank, needs_quote_prefix

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="305496")
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")  # editable cells (weights)
NOTE_FONT = Font(italic=True, color="595959")
TITLE_FONT = Font(bold=True, size=13)
WRAP = Alignment(wrap_text=True, vertical="top")


def col(i: int) -> str:
    """Column letter of 1-based column ``i``."""
    return get_column_letter(i)


def ref(sheet: str, cell: str) -> str:
    """A cross-sheet reference, quoted when the name needs it: ``'Criterion scores'!B2``."""
    return f"{quote_sheetname(sheet)}!{cell}"


@dataclass
class Sheet:
    """One write-only sheet and the cached results of its formulas."""

    book: Book
    ws: WriteOnlyWorksheet
    title: str
    row: int = 0  # the last row written
    cache: dict[str, object] = field(default_factory=dict)

    @property
    def next_row(self) -> int:
        return self.row + 1

    def append(self, values: list[object]) -> None:
        self.ws.append(values)
        self.row += 1

    def header(self, names: list[str]) -> None:
        """A bold, filled header row (user-named columns are guarded text too)."""
        r = self.next_row
        self.append(
            [
                self.styled(self.book.text_value(n, f"{self.title}!{col(j)}{r}"), font=HEADER_FONT,
                            fill=HEADER_FILL, text=True)
                for j, n in enumerate(names, 1)
            ]
        )  # fmt: skip

    def styled(
        self,
        value: object,
        *,
        number_format: str | None = None,
        font: Font | None = None,
        fill: PatternFill | None = None,
        alignment: Alignment | None = None,
        text: bool = False,
    ) -> WriteOnlyCell:
        """A cell with a style; ``text=True`` forces a string cell (never a formula)."""
        c = WriteOnlyCell(self.ws, value=None if is_blank(value) else value)
        if text and isinstance(value, str):
            c.data_type = "s"
            if needs_quote_prefix(value):
                c.quotePrefix = True
        if number_format:
            c.number_format = number_format
        if font is not None:
            c.font = font
        if fill is not None:
            c.fill = fill
        if alignment is not None:
            c.alignment = alignment
        return c

    def text(self, value: object, cell: str, **style: object) -> object:
        """User text as a safe string cell (quote prefix when it looks like a formula)."""
        if is_blank(value):
            return None
        s = self.book.text_value(value, f"{self.title}!{cell}")
        if needs_quote_prefix(s) or style:
            return self.styled(s, text=True, **style)  # type: ignore[arg-type]
        return s

    def formula(self, cell: str, formula: str, cached: object, **style: object) -> object:
        """A live formula whose result ``cached`` is stored for non-recalculating viewers."""
        self.cache[cell] = "" if is_blank(cached) else _plain(cached)
        return self.styled(formula, **style) if style else formula  # type: ignore[arg-type]

    def value(self, value: object, cell: str, **style: object) -> object:
        """A descriptive value as read: numbers, dates and booleans as such, else text."""
        if is_blank(value):
            return None
        if isinstance(value, bool | np.bool_):
            v: object = bool(value)
        elif isinstance(value, int | float | np.integer | np.floating):
            v = _plain(value)
            if isinstance(v, float) and not math.isfinite(v):
                return self.text(str(value), cell, **style)
        elif isinstance(value, dt.datetime | dt.date | dt.time):
            v = value.replace(tzinfo=None) if getattr(value, "tzinfo", None) else value
            if hasattr(v, "to_pydatetime"):
                v = v.to_pydatetime()
        else:
            return self.text(value if isinstance(value, str) else str(value), cell, **style)
        return self.styled(v, **style) if style else v  # type: ignore[arg-type]

    def widths(self, widths: dict[int, float]) -> None:
        for j, w in widths.items():
            self.ws.column_dimensions[col(j)].width = w


def _plain(x: object) -> object:
    if isinstance(x, bool | np.bool_):
        return bool(x)
    if isinstance(x, int | np.integer):
        return int(x)
    if isinstance(x, float | np.floating):
        return float(x)
    return x


@dataclass
class Book:
    """A write-only workbook plus the text guard and formula caches of all its sheets."""

    wb: Workbook = field(default_factory=lambda: Workbook(write_only=True))
    guard: TextGuard = field(default_factory=TextGuard)
    sheets: dict[str, Sheet] = field(default_factory=dict)

    def sheet(
        self, title: str, *, freeze: str | None = None, widths: dict[int, float] | None = None
    ) -> Sheet:
        """A new sheet; a write-only sheet takes its view and column widths before any row."""
        s = Sheet(self, self.wb.create_sheet(title), title)
        if freeze:
            s.ws.freeze_panes = freeze
        s.widths(widths or {})
        self.sheets[title] = s
        return s

    def text_value(self, value: object, where: str) -> str:
        return self.guard.clean(value if isinstance(value, str) else str(value), where)

    @property
    def caches(self) -> dict[str, dict[str, object]]:
        return {t: s.cache for t, s in self.sheets.items()}
