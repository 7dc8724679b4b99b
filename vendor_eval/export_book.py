"""The workbook being written: sheets, safe cells, formulas with cached results.

openpyxl writes the package (styles, views, widths, conditional formats, charts), but its
per-cell XML writer costs ~30-100 µs a cell: a 10,000-vendor export has 1.3 million cells.
So :class:`Sheet` serialises its rows itself (a few µs a cell): each cell becomes a
``<c>`` element — numbers, inline strings, booleans, dates, and formulas *with their cached
result* ``<f>…</f><v>…</v>`` — using style ids registered in openpyxl's style table (via a
styled ``WriteOnlyCell``). :func:`vendor_eval.xlsx_cache.inject_sheet_data` puts the rows
into the saved package.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import NamedTuple
from xml.sax.saxutils import escape

import numpy as np
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from vendor_eval.excel_safety import TextGuard, is_blank, needs_quote_prefix
from vendor_eval.xlsx_cache import _value_xml

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


class Styled(NamedTuple):
    """A cell value with a registered style id; kind ``s`` forces text, ``f`` a formula."""

    value: object
    style_id: int
    kind: str


@dataclass
class Sheet:
    """One write-only sheet and the cached results of its formulas."""

    book: Book
    ws: WriteOnlyWorksheet
    title: str
    row: int = 0  # the last row written
    cache: dict[str, object] = field(default_factory=dict)
    parts: list[str] = field(default_factory=list)

    @property
    def next_row(self) -> int:
        return self.row + 1

    def append(self, values: list[object]) -> None:
        """Serialise one row (values, styled cells or ``=formulas`` with a cached result)."""
        self.row += 1
        r = str(self.row)
        out = [f'<row r="{r}">']
        for j, v in enumerate(values):
            if v is None:
                continue
            cell = _COLS[j] + r
            style = ""
            if isinstance(v, Styled):
                if v.style_id:
                    style = f' s="{v.style_id}"'
                kind, v = v.kind or ("f" if isinstance(v.value, str) else ""), v.value
                if v is None:
                    if style:
                        out.append(f'<c r="{cell}"{style}/>')
                    continue
            else:
                kind = "f" if isinstance(v, str) and v.startswith("=") else ""
            if kind == "f":
                t, cached = _value_xml(self.cache[cell])
                out.append(
                    f'<c r="{cell}"{style}{t}><f>{escape(str(v)[1:])}</f><v>{cached}</v></c>'
                )
            elif isinstance(v, str):
                out.append(
                    f'<c r="{cell}"{style} t="inlineStr"><is><t xml:space="preserve">'
                    f"{escape(v)}</t></is></c>"
                )
            elif isinstance(v, bool | np.bool_):
                out.append(f'<c r="{cell}"{style} t="b"><v>{int(bool(v))}</v></c>')
            elif isinstance(v, dt.datetime | dt.date | dt.time):
                out.append(f'<c r="{cell}"{style}><v>{to_excel(v)!r}</v></c>')
            else:
                x = float(v)  # type: ignore[arg-type]
                if math.isfinite(x):
                    text = repr(int(x)) if x.is_integer() and abs(x) < 1e15 else repr(x)
                    out.append(f'<c r="{cell}"{style}><v>{text}</v></c>')
        out.append("</row>")
        self.parts.append("".join(out))

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
    ) -> Styled:
        """A value with a style; ``text=True`` forces a string cell (never a formula)."""
        value = None if is_blank(value) else value
        if number_format is None and isinstance(value, dt.datetime | dt.date | dt.time):
            number_format = _DATE_FORMATS.get(type(value)) or "yyyy-mm-dd hh:mm:ss"
        is_text = isinstance(value, str) and (text or not value.startswith("="))
        quote = is_text and needs_quote_prefix(value)  # type: ignore[arg-type]
        key = (number_format, font, fill, alignment, quote)
        sid = self.book.style_ids.get(key)
        if sid is None:
            c = WriteOnlyCell(self.ws)
            if quote:
                c.quotePrefix = True
            if number_format:
                c.number_format = number_format
            if font is not None:
                c.font = font
            if fill is not None:
                c.fill = fill
            if alignment is not None:
                c.alignment = alignment
            sid = self.book.style_ids[key] = c.style_id
        return Styled(value, sid, "s" if is_text else "")

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
            return self.styled(v, **style)  # type: ignore[arg-type]
        else:
            return self.text(value if isinstance(value, str) else str(value), cell, **style)
        return self.styled(v, **style) if style else v  # type: ignore[arg-type]

    def widths(self, widths: dict[int, float]) -> None:
        for j, w in widths.items():
            self.ws.column_dimensions[col(j)].width = w


_COLS = [get_column_letter(j) for j in range(1, 16_385)]
_DATE_FORMATS = {dt.date: "yyyy-mm-dd", dt.time: "hh:mm:ss"}


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
    style_ids: dict[tuple, int] = field(default_factory=dict)

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
    def sheet_data(self) -> dict[str, str]:
        """Sheet title → the rows serialised so far (the inside of ``<sheetData>``)."""
        return {t: "".join(s.parts) for t, s in self.sheets.items()}
