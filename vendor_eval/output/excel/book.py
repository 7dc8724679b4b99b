"""The workbook being written: sheets, safe cells, formulas with cached results.

openpyxl writes the package (styles, views, widths, conditional formats, charts), but its
per-cell XML writer costs ~30-100 µs a cell: a 10,000-vendor export has 1.3 million cells.
So :class:`Sheet` serialises its rows itself as ``<c>`` elements — numbers, strings,
booleans, dates, and formulas *with their cached result* ``<f>…</f><v>…</v>`` — using
style ids registered in openpyxl's style table (via a styled ``WriteOnlyCell``).
:func:`vendor_eval.output.excel.cache.inject_sheet_data` puts the rows into the saved package.

Kept lean so that the export of the largest evaluation the importer accepts is itself
re-importable (under the reader's file and unpacked-size limits): every text is stored once
in the workbook's shared-string table (a vendor's name appears on five sheets), and a
column of per-vendor formulas is one *shared formula* (written in its first cell; the
others refer to it and carry only their cached result).

Two ways to add rows: :meth:`Sheet.append` takes one row of values (small sheets), and
:meth:`Sheet.append_columns` takes whole columns of ready cell XML built by
:meth:`Sheet.number_cells`, :meth:`Sheet.formula_cells`, :meth:`Sheet.text_cells` and
:meth:`Sheet.value_cells` (the per-vendor sheets: one list comprehension per column, the
numbers formatted from one ``tolist()``, no per-cell dispatch).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple, TypedDict, Unpack, cast

import numpy as np
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.text import Text
from openpyxl.comments.comment_sheet import CommentRecord
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.properties import PageSetupProperties

from vendor_eval.core.limits import EXCEL_MAX_COLUMNS, EXCEL_MAX_ROWS
from vendor_eval.core.problems import VendorEvalError
from vendor_eval.output.safety import (
    TextGuard,
    is_missing_value,
    needs_cleaning,
    needs_quote_prefix,
)

if TYPE_CHECKING:
    from openpyxl.chart._chart import ChartBase
    from openpyxl.formatting.formatting import ConditionalFormattingList
    from openpyxl.worksheet.cell_range import MultiCellRange
    from openpyxl.worksheet.dimensions import ColumnDimension, DimensionHolder
    from openpyxl.worksheet.header_footer import HeaderFooterItem
    from openpyxl.worksheet.page import PrintOptions, PrintPageSetup
    from openpyxl.worksheet.properties import WorksheetProperties

    class WriteOnlySheet(WriteOnlyWorksheet):
        """A write-only sheet as openpyxl builds it (for the type checker only).

        Its ``__init__`` runs ``Worksheet._setup``, so it has these attributes of a normal
        worksheet, and a header and footer that are never None; types-openpyxl declares
        only a few of them (python/mypy#6700).
        """

        page_setup: PrintPageSetup
        print_options: PrintOptions
        merged_cells: MultiCellRange
        sheet_properties: WorksheetProperties
        column_dimensions: DimensionHolder[str, ColumnDimension]
        conditional_formatting: ConditionalFormattingList

        def add_chart(self, chart: ChartBase, anchor: str | None = None) -> None: ...
        @property
        def oddHeader(self) -> HeaderFooterItem: ...
        @oddHeader.setter
        def oddHeader(self, value: HeaderFooterItem | None) -> None: ...
        @property
        def oddFooter(self) -> HeaderFooterItem: ...
        @oddFooter.setter
        def oddFooter(self, value: HeaderFooterItem | None) -> None: ...

else:
    WriteOnlySheet = WriteOnlyWorksheet


class CellStyle(TypedDict, total=False):
    """The style keywords of :meth:`Sheet.styled` and the methods that pass them on."""

    number_format: str | None
    font: Font | None
    fill: PatternFill | None
    alignment: Alignment | None


#: A registered style: (number format, font, fill, alignment, quote prefix).
StyleKey = tuple[str | None, Font | None, PatternFill | None, Alignment | None, bool]

# Fonts name the workbook's default face: a Font without a name renders in the viewer's
# fallback face (a serif in LibreOffice), beside Calibri in the plain cells.
FACE = "Calibri"
HEADER_FONT = Font(name=FACE, size=11, bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="305496")
HEADER_ALIGN = Alignment(wrap_text=True, vertical="center")
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")  # editable cells (weights)
NOTE_FONT = Font(name=FACE, size=11, italic=True, color="595959")
TITLE_FONT = Font(name=FACE, size=13, bold=True)
BOLD = Font(name=FACE, size=11, bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
DEFAULT_WIDTH = 8.43  # Excel's default column width (characters)
LINE_HEIGHT = 15.0  # points per line of 11-point text
#: Characters of text a printed page holds across at 100% (A4 or Letter, default margins):
#: a sheet narrower than the portrait width prints portrait, else landscape.
PORTRAIT_CHARS = 92.0
LANDSCAPE_CHARS = 128.0
#: A landscape page is never made to hold more than this many characters across (the
#: text would shrink below ~65%): a wider sheet prints on more pages across, its first
#: column repeated on each.
MAX_PAGE_CHARS = 200.0
#: The page footer of every printed sheet: its name and the page number.
FOOTER = "&A, page &P of &N"


def text_lines(text: object, width: float) -> int:
    """How many lines ``text`` takes when wrapped in a column ``width`` characters wide
    (at least 1). Counts generously (a line holds fewer characters than the width), so a
    row sized by it never cuts its last line: no viewer sizes the rows of this workbook
    (they have no cached height), so a wrapped text must come with the height it needs."""
    per_line = max(int(width) - 2, 1)
    return sum(_wrapped(part, per_line) for part in str(text or "").split("\n"))


_BREAKS = re.compile(r"\S+?(?:-|\s+|$)")  # a word with the space or hyphen that ends it


def _wrapped(paragraph: str, per_line: int) -> int:
    """Lines of ``paragraph`` wrapped greedily at spaces and hyphens, ``per_line``
    characters a line (a longer word is broken), as a spreadsheet wraps a cell."""
    lines, used = 1, 0
    for word in _BREAKS.findall(paragraph):
        size = len(word.rstrip())
        if used and used + size > per_line:
            lines, used = lines + 1, 0
        while size > per_line:  # a word longer than a line fills whole lines
            lines, size = lines + 1, size - per_line
        used += len(word)
    return lines


def col(i: int) -> str:
    """Column letter of 1-based column ``i``."""
    return _COLS[i - 1] if 0 < i <= len(_COLS) else get_column_letter(i)


def ref(sheet: str, cell: str) -> str:
    """A cross-sheet reference, quoted when the name needs it: ``'Criterion scores'!B2``."""
    return f"{quote_sheetname(sheet)}!{cell}"


def xml_escape(text: str) -> str:
    """``text`` as XML element content (``&``, ``<``, ``>`` escaped)."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


def number_text(x: float) -> str:
    """A finite number as ``<v>`` text: whole numbers without ``.0``, others shortest repr."""
    return repr(int(x)) if x.is_integer() and abs(x) < 1e15 else repr(x)


def number_texts(values: object) -> list[str]:
    """:func:`number_text` of each value; ``""`` where it is NaN or infinite (no value)."""
    a = np.asarray(values, dtype=float).ravel()
    out = list(map(repr, a.tolist()))
    with np.errstate(invalid="ignore"):
        whole = np.flatnonzero((a == np.trunc(a)) & (np.abs(a) < 1e15))
    for k in whole.tolist():
        out[k] = out[k][:-2]  # the repr of a whole float below 1e16 ends in ".0"
    for k in np.flatnonzero(~np.isfinite(a)).tolist():
        out[k] = ""
    return out


def cached_xml(value: object) -> tuple[str, str]:
    """(type attribute, ``<v>`` text) of a formula's cached result."""
    if isinstance(value, bool):
        return ' t="b"', "1" if value else "0"
    if isinstance(value, int | float):
        x = float(value)
        if not math.isfinite(x):
            raise ValueError(f"cannot cache the non-finite result {value!r}")
        return "", number_text(x)
    return ' t="str"', xml_escape(str(value))


class Styled(NamedTuple):
    """A cell value with a registered style id; kind ``s`` forces text, ``f`` a formula."""

    value: object
    style_id: int
    kind: str


def _sid(style_id: int) -> str:
    return f' s="{style_id}"' if style_id else ""


# Excel reads "_xHHHH_" in a string as the character U+HHHH; a literal one is escaped by
# writing its underscore as "_x005F_" (ECMA-376 Part 1, §22.9.2.19 ST_Xstring).
_X_ESCAPE = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)")


def xstring(text: str) -> str:
    """``text`` as the content of a string element: XML-escaped, and a literal ``_xHHHH_``
    kept literal."""
    if "_x" in text:
        text = _X_ESCAPE.sub("_x005F_", text)
    return xml_escape(text)


@dataclass
class Sheet:
    """One write-only sheet; its rows are serialised as they are added."""

    book: Book
    ws: WriteOnlySheet
    title: str
    row: int = 0  # the last row written
    cache: dict[str, object] = field(default_factory=dict)
    parts: list[str] = field(default_factory=list)
    col_widths: dict[int, float] = field(default_factory=dict)
    shared_formulas: int = 0  # shared-formula groups so far (their ``si`` numbers)
    columns: int = 0  # the most columns a row has (the sheet's width)
    header_row: int = 0  # the row of the column headers (0: the sheet has none)
    printing: bool = False  # its print setup is done (else :meth:`Book.finish` does it)

    @property
    def next_row(self) -> int:
        return self.row + 1

    def _grow(self, rows: int, columns: int) -> None:
        """Count ``rows`` more rows of up to ``columns`` cells; refuse what Excel cannot hold
        (a plain message, not an IndexError deep in the writer)."""
        problem = sheet_size_problem(self.title, self.row + rows, columns)
        if problem:
            raise VendorEvalError(problem)
        self.row += rows
        self.columns = max(self.columns, columns)

    # -- one row at a time ---------------------------------------------------------------
    def append(self, values: list[object], height: float | None = None) -> None:
        """Serialise one row (values, styled cells or ``=formulas`` with a cached result);
        ``height`` in points fixes the row's height (else the viewer sizes it)."""
        self._grow(1, len(values))
        r = str(self.row)
        ht = f' ht="{height:g}" customHeight="1"' if height else ""
        out = [f'<row r="{r}"{ht}>']
        for j, v in enumerate(values):
            if v is not None:
                out.append(self._cell(_COLS[j] + r, v))
        out.append("</row>")
        self.parts.append("".join(out))

    def _cell(self, cell: str, v: object) -> str:
        style = ""
        if isinstance(v, Styled):
            style = _sid(v.style_id)
            kind, v = v.kind or ("f" if isinstance(v.value, str) else ""), v.value
            if v is None:
                return f'<c r="{cell}"{style}/>' if style else ""
        else:
            kind = "f" if isinstance(v, str) and v.startswith("=") else ""
        if kind == "f":
            t, cached = cached_xml(self.cache[cell])
            return f'<c r="{cell}"{style}{t}><f>{xml_escape(str(v)[1:])}</f><v>{cached}</v></c>'
        if isinstance(v, str):
            return f'<c r="{cell}"{style} t="s"><v>{self.book.string(v)}</v></c>'
        if isinstance(v, bool | np.bool_):
            return f'<c r="{cell}"{style} t="b"><v>{int(bool(v))}</v></c>'
        if isinstance(v, dt.datetime | dt.date | dt.time):
            return f'<c r="{cell}"{style}><v>{to_excel(v)!r}</v></c>'
        x = float(v)  # type: ignore[arg-type]  # what is left is a number (int, float, numpy)
        return f'<c r="{cell}"{style}><v>{number_text(x)}</v></c>' if math.isfinite(x) else ""

    def header(self, names: list[str]) -> None:
        """A bold, filled header row (user-named columns are guarded text too); long names
        wrap, and the row is as tall as the longest needs (up to four lines)."""
        r = self.next_row
        if not self.header_row:
            self.header_row = r
        lines = max(
            (math.ceil(len(str(n)) / max(self.col_widths.get(j, DEFAULT_WIDTH) - 1, 1))
             for j, n in enumerate(names, 1)),
            default=1,
        )  # fmt: skip
        self.append(
            [
                self.styled(self.book.text_value(n, f"{self.title}!{col(j)}{r}"), font=HEADER_FONT,
                            fill=HEADER_FILL, alignment=HEADER_ALIGN, text=True)
                for j, n in enumerate(names, 1)
            ],
            height=LINE_HEIGHT * min(lines, 4) if lines > 1 else None,
        )  # fmt: skip

    def style_id(
        self,
        number_format: str | None = None,
        font: Font | None = None,
        fill: PatternFill | None = None,
        alignment: Alignment | None = None,
        quote: bool = False,
    ) -> int:
        """The id of a cell style in the workbook's style table (registered on first use)."""
        key: StyleKey = (number_format, font, fill, alignment, quote)
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
        return sid

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
        value = None if is_missing_value(value) else value
        if number_format is None and isinstance(value, dt.datetime | dt.date | dt.time):
            number_format = _DATE_FORMATS.get(type(value)) or "yyyy-mm-dd hh:mm:ss"
        is_text = quote = False
        if isinstance(value, str) and (text or not value.startswith("=")):
            is_text, quote = True, needs_quote_prefix(value)
        sid = self.style_id(number_format, font, fill, alignment, quote)
        return Styled(value, sid, "s" if is_text else "")

    def text(self, value: object, cell: str, **style: Unpack[CellStyle]) -> object:
        """User text as a safe string cell (quote prefix when it looks like a formula)."""
        if is_missing_value(value):
            return None
        s = self.book.text_value(value, f"{self.title}!{cell}")
        if needs_quote_prefix(s) or style:
            return self.styled(s, text=True, **style)
        return s

    def formula(
        self, cell: str, formula: str, cached: object, **style: Unpack[CellStyle]
    ) -> object:
        """A live formula whose result ``cached`` is stored for non-recalculating viewers."""
        self.cache[cell] = "" if is_missing_value(cached) else _plain(cached)
        return self.styled(formula, **style) if style else formula

    def value(self, value: object, cell: str, **style: Unpack[CellStyle]) -> object:
        """A descriptive value as read: numbers, dates and booleans as such, else text."""
        if is_missing_value(value):
            return None
        if isinstance(value, bool | np.bool_):
            v: object = bool(value)
        elif isinstance(value, int | float | np.integer | np.floating):
            v = _plain(value)
            if isinstance(v, float) and not math.isfinite(v):
                return self.text(str(value), cell, **style)
        elif isinstance(value, dt.datetime | dt.date | dt.time):
            if isinstance(value, dt.datetime | dt.time) and value.tzinfo:
                v = value.replace(tzinfo=None)
            else:
                v = value
            if hasattr(v, "to_pydatetime"):
                v = v.to_pydatetime()
            return self.styled(v, **style)
        else:
            return self.text(value if isinstance(value, str) else str(value), cell, **style)
        return self.styled(v, **style) if style else v

    def add_comments(self, notes: Mapping[str, str], author: str = "vendor-eval") -> None:
        """Cell comments (notes): cell reference → text, cleaned like any user text.

        The rows of this sheet are injected into the saved package, never written by
        openpyxl, so its comments are handed to openpyxl's worksheet writer directly, which
        writes them (comments part, VML shapes, relationships) when the book is saved. The
        writer is started here, and starting it writes the sheet's head (properties, view,
        column widths): call this last, after the sheet's print setup.
        """
        if not notes:
            return
        ws = self.ws
        ws._get_writer()  # type: ignore[attr-defined]  # write-only internals: see above
        records = ws._comments  # type: ignore[attr-defined]  # emptied by the writer's start
        for cell, text in notes.items():
            body = Text(t=self.book.text_value(text, f"{self.title}!{cell} (comment)"))
            records.append(CommentRecord(ref=cell, author=author, text=body, width=240))

    def print_landscape(self, *, fit_width: bool = True) -> None:
        """Print landscape, one page wide (as tall as needed), header row on every page."""
        ps = self.ws.page_setup
        ps.orientation = "landscape"
        if fit_width:
            ps.fitToWidth, ps.fitToHeight = 1, 0
            props = self.ws.sheet_properties
            if props.pageSetUpPr is None:  # openpyxl always makes one; its stubs allow None
                props.pageSetUpPr = PageSetupProperties()
            props.pageSetUpPr.fitToPage = True

    def skip(self, rows: int) -> None:
        """Leave the next ``rows`` rows empty (none if ``rows`` <= 0)."""
        if rows > 0:
            self._grow(rows, 0)

    def wrapped_row(
        self, text: object, *, first: int = 1, last: int | None = None, font: Font | None = None
    ) -> None:
        """One row holding ``text`` wrapped across columns ``first`` to ``last`` (merged;
        default: the sheet's width so far), as tall as the text needs."""
        r = self.next_row
        last = max(last or self.columns, first)
        width = sum(self.width(j) for j in range(first, last + 1))
        cell = self.text(text, f"{col(first)}{r}", alignment=WRAP, font=font)
        lines = text_lines(text, width)
        self.append(
            [*[None] * (first - 1), cell], height=LINE_HEIGHT * lines if lines > 1 else None
        )
        if last > first:
            self.ws.merged_cells.add(f"{col(first)}{r}:{col(last)}{r}")

    def width(self, j: int) -> float:
        """The width of column ``j`` in characters."""
        return self.col_widths.get(j, DEFAULT_WIDTH)

    def row_heights(self, texts: Mapping[int, Sequence[object]]) -> list[float | None]:
        """Heights of the next rows that hold wrapped texts: column → its texts, one a row
        (``None`` where a row needs no more than one line)."""
        n = max((len(v) for v in texts.values()), default=0)
        out: list[float | None] = []
        for i in range(n):
            lines = max(text_lines(v[i], self.width(j)) for j, v in texts.items())
            out.append(LINE_HEIGHT * lines if lines > 1 else None)
        return out

    def print_setup(
        self,
        *,
        title_rows: str | None = None,
        last_row: int | None = None,
        last_col: int | None = None,
        one_page: bool = False,
    ) -> None:
        """Print area, orientation, fit, repeated titles, header and footer.

        The print area is A1 to ``last_col``/``last_row`` (default: everything written);
        the header row (if any, or ``title_rows``) repeats on every page. A sheet as wide
        as a portrait page prints portrait, else landscape; it is fitted to one page wide,
        or, when that would shrink it past :data:`MAX_PAGE_CHARS` across, to as many pages
        across as it needs with its first column repeated. ``one_page`` fits it to one page
        wide and tall.
        """
        ws = self.ws
        last_col = last_col or max(self.columns, 1)
        last_row = last_row or max(self.row, 1)
        across = sum(self.width(j) for j in range(1, last_col + 1))
        ps = ws.page_setup
        ps.orientation = "portrait" if across <= PORTRAIT_CHARS else "landscape"
        pages = 1 if one_page else max(1, math.ceil(across / MAX_PAGE_CHARS))
        ps.fitToWidth, ps.fitToHeight = pages, 1 if one_page else 0
        props = ws.sheet_properties
        if props.pageSetUpPr is None:  # openpyxl always makes one; its stubs allow None
            props.pageSetUpPr = PageSetupProperties()
        props.pageSetUpPr.fitToPage = True
        ws.print_area = f"A1:{col(last_col)}{last_row}"
        titles = title_rows or (f"{self.header_row}:{self.header_row}" if self.header_row else None)
        if titles:
            ws.print_title_rows = titles
        if pages > 1:
            ws.print_title_cols = "A:A"
        ws.print_options.gridLines = False
        ws.oddFooter.center.text = FOOTER
        self.printing = True

    def widths(self, widths: dict[int, float]) -> None:
        for j, w in widths.items():
            self.ws.column_dimensions[col(j)].width = w
            self.col_widths[j] = w

    # -- whole columns at a time (the per-vendor sheets) ----------------------------------
    def append_columns(
        self, columns: Sequence[Sequence[str]], heights: Sequence[float | None] | None = None
    ) -> None:
        """Add rows from column-wise cell XML: ``columns[j][i]`` is row i's cell in column j
        (``""`` for an empty cell), as built by the ``*_cells`` methods from ``next_row``;
        ``heights[i]`` (points, or ``None``) fixes row i's height (:meth:`row_heights`)."""
        if not columns:
            return
        first, n = self.next_row, len(columns[0])
        self._grow(n, len(columns))
        if heights is None or not any(heights):
            self.parts.extend(
                f'<row r="{r}">{"".join(cells)}</row>'
                for r, cells in zip(
                    range(first, first + n), zip(*columns, strict=True), strict=True
                )
            )
            return
        hts = [f' ht="{h:g}" customHeight="1"' if h else "" for h in heights]
        self.parts.extend(
            f'<row r="{r}"{ht}>{"".join(cells)}</row>'
            for r, ht, cells in zip(
                range(first, first + n), hts, zip(*columns, strict=True), strict=True
            )
        )

    def number_cells(self, letter: str, values: object, style_id: int = 0) -> list[str]:
        """Number cells for rows ``next_row, …``; NaN leaves the cell empty."""
        s = _sid(style_id)
        return [
            f'<c r="{letter}{r}"{s}><v>{t}</v></c>' if t else ""
            for r, t in enumerate(number_texts(values), self.next_row)
        ]

    def formula_cells(
        self,
        letter: str,
        template: str,
        cached: object,
        style_id: int = 0,
        offset: int = 0,
        offset2: int = 0,
    ) -> list[str]:
        """Formula cells for rows ``next_row, …``, each with its cached result.

        ``template`` is the formula without ``=``, in which ``{r}`` stands for the row,
        ``{o}`` for the row + ``offset`` and ``{p}`` for the row + ``offset2``. ``cached``
        holds numbers; NaN caches an empty text result (e.g. no rank for a disqualified
        vendor).

        The column is one shared formula: the first cell holds the formula, the others
        the same formula moved down a row each, as Excel does when a formula is filled
        down. So ``{r}``, ``{o}`` and ``{p}`` may only be the rows of relative references (``B{r}``,
        ``$X{r}``); everything else in the template must be the same on every row.
        """
        s = _sid(style_id)
        texts = number_texts(cached)
        first = self.next_row
        if not texts:
            return []
        si = self.shared_formulas
        self.shared_formulas += 1
        last = first + len(texts) - 1
        master = xml_escape(template).format(r=first, o=first + offset, p=first + offset2)
        head = f'<f t="shared" ref="{letter}{first}:{letter}{last}" si="{si}">{master}</f>'
        child = f'<f t="shared" si="{si}"/>'
        out = []
        for r, t in enumerate(texts, first):
            f = head if r == first else child
            if t:
                out.append(f'<c r="{letter}{r}"{s}>{f}<v>{t}</v></c>')
            else:
                out.append(f'<c r="{letter}{r}"{s} t="str">{f}<v></v></c>')
        return out

    def text_cells(
        self, letter: str, values: Sequence[object], **style: Unpack[CellStyle]
    ) -> list[str]:
        """User text cells for rows ``next_row, …``: cleaned, escaped, quote-prefixed when
        they look like a formula (always string cells, never formulas)."""
        plain = _sid(self.style_id(**style))
        quoted = _sid(self.style_id(quote=True, **style))
        string = self.book.string
        out = []
        for r, v in enumerate(values, self.next_row):
            if not isinstance(v, str):
                if is_missing_value(v):
                    out.append("")
                    continue
                v = str(v)
            if not v:
                out.append("")
                continue
            if needs_cleaning(v):
                v = self.book.text_value(v, f"{self.title}!{letter}{r}")
            s = quoted if needs_quote_prefix(v) else plain
            out.append(f'<c r="{letter}{r}"{s} t="s"><v>{string(v)}</v></c>')
        return out

    def value_cells(
        self, letter: str, values: Sequence[object], **style: Unpack[CellStyle]
    ) -> list[str]:
        """Descriptive values for rows ``next_row, …`` (see :meth:`value`); ``style`` is
        that of the texts among them."""
        texts = [v if isinstance(v, str) else None for v in values]
        out = self.text_cells(letter, texts, **style)
        for i, v in enumerate(values):
            if not isinstance(v, str) and not is_missing_value(v):
                cell = f"{letter}{self.next_row + i}"
                out[i] = self._cell(cell, self.value(v, cell))
        return out


def crit_widths(k: int, width: float = 14.0) -> dict[int, float]:
    """Widths of a per-vendor sheet: Vendor in A, then ``k`` value columns."""
    return {1: 28.0, **dict.fromkeys(range(2, k + 2), width)}


def sheet_size_problem(title: str, rows: int, columns: int) -> str | None:
    """Why a sheet of ``rows`` x ``columns`` cannot be written (Excel could not hold it), or
    ``None``."""
    if columns > EXCEL_MAX_COLUMNS:
        return (
            f"the export's {title} sheet would need {columns:,} columns, more than the "
            f"{EXCEL_MAX_COLUMNS:,} Excel can hold"
        )
    if rows > EXCEL_MAX_ROWS:
        return (
            f"the export's {title} sheet would need {rows:,} rows, more than the "
            f"{EXCEL_MAX_ROWS:,} Excel can hold"
        )
    return None


_COLS = [get_column_letter(j) for j in range(1, EXCEL_MAX_COLUMNS + 1)]
_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
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
    """A write-only workbook plus the text guard, shared strings and formula caches of all
    its sheets."""

    wb: Workbook = field(default_factory=lambda: Workbook(write_only=True))
    guard: TextGuard = field(default_factory=TextGuard)
    sheets: dict[str, Sheet] = field(default_factory=dict)
    style_ids: dict[StyleKey, int] = field(default_factory=dict)
    strings: dict[str, int] = field(default_factory=dict)  # shared-string table, in order
    string_refs: int = 0  # string cells written (the table's ``count``)

    def string(self, text: str) -> int:
        """The index of ``text`` in the shared-string table (added on first use)."""
        self.string_refs += 1
        k = self.strings.get(text)
        if k is None:
            k = self.strings[text] = len(self.strings)
        return k

    def shared_strings_xml(self) -> list[str]:
        """The shared-string part (``xl/sharedStrings.xml``), in pieces."""
        n = len(self.strings)
        return [
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<sst xmlns="{_MAIN_NS}" count="{self.string_refs}" uniqueCount="{n}">',
            *(f'<si><t xml:space="preserve">{xstring(t)}</t></si>' for t in self.strings),
            "</sst>",
        ]

    def sheet(
        self, title: str, *, freeze: str | None = None, widths: dict[int, float] | None = None
    ) -> Sheet:
        """A new sheet; a write-only sheet takes its view and column widths before any row."""
        # create_sheet is typed Any (a Worksheet or a write-only one): this book is write-only
        s = Sheet(self, cast(WriteOnlySheet, self.wb.create_sheet(title)), title)
        if freeze:
            s.ws.freeze_panes = freeze
        s.widths(widths or {})
        self.sheets[title] = s
        return s

    def text_value(self, value: object, where: str) -> str:
        return self.guard.clean(value if isinstance(value, str) else str(value), where)

    def finish_printing(self) -> None:
        """The default print setup (:meth:`Sheet.print_setup`) of every sheet that has none
        yet: call once, when every row is written."""
        for sh in self.sheets.values():
            if not sh.printing:
                sh.print_setup()

    @property
    def sheet_data(self) -> dict[str, list[str]]:
        """Sheet title → its serialised rows (the inside of ``<sheetData>``, in pieces)."""
        return {t: s.parts for t, s in self.sheets.items()}
