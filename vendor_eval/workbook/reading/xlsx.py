"""Read the cell values of an .xlsx/.xlsm workbook into plain Python lists.

Values come from python-calamine (fast, Rust). Calamine 0.9.1 turns two kinds of cells into
empty strings, which would silently become "missing" values: error cells (``#DIV/0!``,
``#N/A``) and formula cells that carry no computed value (files written by scripts). Sheets
that contain formulas or errors are therefore also read with a streaming, entity-refusing
XML parser (defusedxml), and those cells are put back as the error text or as
:class:`~vendor_eval.workbook.reading.rawbook.FormulaWithoutValue`.

Before the fast reader allocates anything, every sheet is checked here, in the child:

* its part is found the way the fast reader finds it (the workbook folder named by
  ``_rels/.rels``, part names matched ignoring ASCII case), so the formula/error scan always
  reads the XML that calamine reads; a sheet whose part is missing, or stored under a name
  calamine cannot follow (``./``, ``..``, ``%20``), is refused naming the sheet;
* its XML is UTF-8 and holds no text longer than a cell can (see
  :meth:`~vendor_eval.workbook.reading.zipguard.CheckedZip.check_text`);
* its merged ranges are at most :data:`MAX_MERGED_RANGES`;
* the rectangle it would fill (:func:`sheet_extent`, conservative when cells or rows carry no
  reference) is within Excel's grid and :attr:`ReadLimits.max_cells`.

After reading, every text cell longer than Excel allows is refused naming the cell, each
merged range is clipped to the sheet's last used row and column (``C2:C1048576`` over five
vendors becomes ``C2:C6``), and ``[h]:mm`` durations stay ``datetime.timedelta``.

Macros in .xlsm files are never run: only the stored cell values are read.
This module must not import pandas: it runs in the reader's child process.
"""

from __future__ import annotations

import functools
import io
import itertools
import re
import urllib.parse
import zipfile
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import defusedxml.ElementTree as DET
import python_calamine as pc

from vendor_eval.workbook.reading.rawbook import (
    FormulaWithoutValue,
    RawBook,
    RawSheet,
    column_letter,
)
from vendor_eval.workbook.reading.zipguard import (
    DEFAULT_LIMITS,
    EXCEL_CELL_LIMIT,
    EXCEL_MAX_COLUMNS,
    EXCEL_MAX_ROWS,
    MAX_MERGED_RANGES,
    MAX_SHEET_ROWS,
    CheckedZip,
    ReadLimits,
    UnreadableFile,
    guard_zip,
    too_many_rows,
)

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

_OFFICE_DOCUMENT = "/relationships/officeDocument"
# The usual layout (Excel, LibreOffice, openpyxl): every cell inside <sheetData> written as
# <c r="B7" ...>, reference first. Anything else takes the conservative path of sheet_extent.
_SHEET_DATA = re.compile(rb"<([A-Za-z_][\w.-]*:)?sheetData[\s/>]")
# Any layout: any namespace prefix, any whitespace, references in either quotes and case.
_PREFIX = rb"(?:[A-Za-z_][\w.-]*:)?"
_ANY_CELL = re.compile(rb"<" + _PREFIX + rb"c[\s/>]")
_ANY_ROW = re.compile(rb"<" + _PREFIX + rb"row[\s/>]")
_ANY_REF_ROW = re.compile(rb"""\sr\s*=\s*["'][A-Za-z]*([0-9]+)["']""")
_ANY_REF_COLUMN = re.compile(rb"""\sr\s*=\s*["']([A-Za-z]+)[0-9]""")
_MERGE_CELL = re.compile(rb"<" + _PREFIX + rb"mergeCell[\s/>]")
_FORMULA_TAG = re.compile(rb"<f[\s>/]")
_ERROR_ATTR = re.compile(rb"""\st\s*=\s*["']e["']""")
_REF = re.compile(r"([A-Za-z]+)([0-9]+)$")
_ROW_REF = re.compile(r"[A-Za-z]*([0-9]+)$")
_SLICE = 8 * 1024 * 1024  # bytes per regex pass of the conservative path
_MAX_EXACT = 2**53


def column_index(letters: str | bytes) -> int:
    """0-based column index of Excel column letters (``"A"`` → 0, ``"AA"`` → 26)."""
    if isinstance(letters, bytes):
        letters = letters.decode("ascii")
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ord(ch) - 64)
    return n - 1


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _not_a_workbook(name: str) -> UnreadableFile:
    return UnreadableFile(
        f"{name} is not an Excel workbook (it is a zip archive without a workbook inside)"
    )


def _parse_part(checked: CheckedZip, info: zipfile.ZipInfo, what: str) -> Element:
    data = checked.read(info)
    checked.check_text(info, what, data)
    try:
        return DET.fromstring(data, forbid_dtd=True)
    except Exception as e:  # ParseError, defusedxml's DTDForbidden/EntitiesForbidden
        raise UnreadableFile(f"{checked.name} is damaged: {what} is unreadable ({e})") from e


def workbook_folder(checked: CheckedZip) -> str:
    """The folder of the workbook part (``"xl/"``), as the fast reader finds it.

    Calamine reads ``<folder>workbook.xml``, its relationships, shared strings and styles
    from the folder of the package's ``officeDocument`` relationship, so this reader does too.

    Raises
    ------
    UnreadableFile
        An .xlsb or .ods file, a zip archive that is not a workbook, or a package whose
        list of parts is missing or names two workbooks.
    """
    name = checked.name
    if checked.find("xl/workbook.bin") is not None:
        raise UnreadableFile(
            f"{name} is an Excel binary workbook (.xlsb): open it in Excel and save it as .xlsx"
        )
    mime = checked.find("mimetype")
    if mime is not None and b"opendocument" in checked.read(mime)[:100]:
        raise UnreadableFile(
            f"{name} is an OpenDocument spreadsheet (.ods): open it in Excel or LibreOffice "
            "and save it as .xlsx"
        )
    rels = checked.find_literal("_rels/.rels")
    if checked.find_literal("[Content_Types].xml") is None:
        raise _not_a_workbook(name)
    if rels is None:
        if checked.find("xl/workbook.xml") is not None:
            raise UnreadableFile(
                f"{name} is damaged: its list of parts (_rels/.rels) is missing: open it in "
                "Excel and save it again"
            )
        raise _not_a_workbook(name)
    root = _parse_part(checked, rels, "its list of parts")
    targets = {
        rel.get("Target") or ""
        for rel in root
        if _local(rel.tag) == "Relationship" and (rel.get("Type") or "").endswith(_OFFICE_DOCUMENT)
    }
    if len(targets) > 1:
        raise UnreadableFile(f"{name} is damaged: its list of parts names two workbooks")
    target = next(iter(targets), "")
    folder = target[: target.rfind("/") + 1].removeprefix("/")
    if not targets or checked.find_literal(f"{folder}workbook.xml") is None:
        raise _not_a_workbook(name)
    return folder


def _sheet_targets(checked: CheckedZip, folder: str) -> dict[str, str | None]:
    """Sheet name → its relationship target as written (``None`` when it has none)."""
    name = checked.name
    wb_info = checked.find_literal(f"{folder}workbook.xml")
    rels_info = checked.find_literal(f"{folder}_rels/workbook.xml.rels")
    if wb_info is None or rels_info is None:
        raise UnreadableFile(f"{name} is damaged: its list of sheets is missing")
    wb = _parse_part(checked, wb_info, "its list of sheets")
    rels = _parse_part(checked, rels_info, "its list of sheets")
    targets = {}
    for rel in rels:
        if _local(rel.tag) == "Relationship":
            targets[rel.get("Id")] = rel.get("Target")
    sheets: dict[str, str | None] = {}
    for el in wb.iter():
        if _local(el.tag) != "sheet":
            continue
        sheet = el.get("name", "")
        ids = {value for key, value in el.attrib.items() if _local(key) == "id"}
        if sheet in sheets:
            raise UnreadableFile(
                f"{name} is damaged: it lists two sheets named {sheet!r}", sheet=sheet
            )
        if len(ids) > 1:
            raise UnreadableFile(
                f"{name} is damaged: sheet {sheet!r} is listed with two different parts",
                sheet=sheet,
            )
        sheets[sheet] = targets.get(next(iter(ids), None))
    return sheets


def sheet_part(
    checked: CheckedZip, folder: str, targets: dict[str, str | None], sheet: str
) -> zipfile.ZipInfo:
    """The zip part the fast reader reads for ``sheet``; refuses when there is none.

    Raises
    ------
    UnreadableFile
        The sheet is not listed, its part is missing, or its part is named in a way Excel
        follows but the fast reader does not (``./``, ``..``, ``\\``, ``%20``).
    """
    name = checked.name
    target = targets.get(sheet)
    if target is None:
        raise UnreadableFile(
            f"{name} is damaged: sheet {sheet!r} is missing from the file", sheet=sheet
        )
    path = target[1:] if target.startswith("/") else folder + target
    info = checked.find_literal(path)
    if info is not None:
        return info
    unquoted = urllib.parse.unquote(target)
    excel = unquoted[1:] if unquoted.startswith("/") else folder + unquoted
    if checked.find(excel) is not None:
        raise UnreadableFile(
            f"{name} could not be read: sheet {sheet!r} is stored as {target!r}, a part name "
            "this reader cannot follow: open the file in Excel and save it again",
            sheet=sheet,
        )
    raise UnreadableFile(
        f"{name} is damaged: sheet {sheet!r} is missing from the file (no part {target!r})",
        sheet=sheet,
    )


@functools.cache
def _cell_row(prefix: bytes) -> re.Pattern[bytes]:
    return re.compile(b"<" + re.escape(prefix) + rb'c r="[A-Z]{1,3}([0-9]{1,7})"')


@functools.cache
def _cell_column(prefix: bytes) -> re.Pattern[bytes]:
    return re.compile(b"<" + re.escape(prefix) + rb'c r="([A-Z]{1,3})[0-9]')


def _slices(xml: bytes) -> list[tuple[int, int]]:
    """``(start, end)`` pieces of about :data:`_SLICE` bytes, each cut just before a ``<``
    (a tag is never split: check_text bounds a tag to 1 MB)."""
    out = []
    start = 0
    while start < len(xml):
        end = xml.find(b"<", start + _SLICE) if start + _SLICE < len(xml) else -1
        end = len(xml) if end < 0 else end
        out.append((start, end))
        start = end
    return out


def _usual_layout(xml: bytes) -> tuple[int, int, bytes, int] | None:
    """``(start, end, prefix, n_cells)`` of <sheetData> when every cell in it is written
    ``<c r="A1" ...`` (reference first, one namespace prefix, a space after the name), else
    ``None``. Then each cell's reference is its position, as the fast reader places it."""
    m = _SHEET_DATA.search(xml)
    if m is None or xml.count(b"sheetData") != 2:  # one start and one end tag, nothing odd
        return None
    prefix = m.group(1) or b""
    start, end = m.start(), xml.rfind(b"</" + prefix + b"sheetData")
    if end < start:
        return None
    cell = b"<" + prefix + b"c"
    n_cells = xml.count(cell + b" ", start, end)
    if xml.count(cell, start, end) != n_cells:  # <c>, <c/>, <c\n, rich text <color ...>
        return None
    if xml.count(cell + b' r="', start, end) != n_cells:
        return None
    if (
        (xml.find(b":c", start, end) >= 0)
        if not prefix
        else (len(_ANY_CELL.findall(xml, start, end)) != n_cells)
    ):
        return None  # a cell with another prefix
    return start, end, prefix, n_cells


def sheet_extent(xml: bytes) -> tuple[int, int, int, int, bool] | None:
    """``(first_row, last_row, last_col, cells, exact)`` a sheet fills when read, or ``None``.

    Rows are 1-based, ``last_col`` 0-based; ``cells`` counts the rows from the first to the
    last used row times the columns from A to the last used column (what the fast reader
    allocates plus the padding of each row from column A). For the usual layout (see
    :func:`_usual_layout`) it is exact, from the cell references. Otherwise it is an upper
    bound that no layout can talk down (``exact`` is ``False``): a cell without a reference
    sits after the previous cell of its row, a row without one after the previous row, so
    the last column is at most the largest column reference plus the most cells in one row,
    and the last row at most the largest row reference plus the number of rows, from A1.
    Every ``r="..."`` counts, wherever it is, in either quotes and any letter case.
    """
    usual = _usual_layout(xml)
    found = _cell_row(usual[2]).findall(xml, usual[0], usual[1]) if usual else None
    if usual is not None and found is not None and len(found) == usual[3]:
        start, end, prefix, _ = usual
        if not found:
            return None
        rows = {int(r) for r in found}
        del found
        cols = set(_cell_column(prefix).findall(xml, start, end))
        first_row, last_row = min(rows), max(rows)
        last_col = max(column_index(c) for c in cols)
        return first_row, last_row, last_col, (last_row - first_row + 1) * (last_col + 1), True
    max_row, max_col = 0, -1
    for start, end in _slices(xml):
        digits = set(_ANY_REF_ROW.findall(xml, start, end))
        letters = {c.upper() for c in _ANY_REF_COLUMN.findall(xml, start, end)}
        if digits:
            max_row = max(max_row, *map(int, digits))
        if letters:
            max_col = max(max_col, *map(column_index, letters))
    row_starts = [m.start() for m in _ANY_ROW.finditer(xml)]
    bounds = [0, *row_starts, len(xml)]
    most_in_a_row = max(len(_ANY_CELL.findall(xml, a, b)) for a, b in itertools.pairwise(bounds))
    if most_in_a_row == 0:
        return None
    last_row = max_row + len(row_starts) + 1
    last_col = max_col + most_in_a_row
    return 1, last_row, last_col, last_row * (last_col + 1), False


def _check_extent(xml: bytes, name: str, sheet: str, limits: ReadLimits) -> int:
    """Refuse a sheet that reaches past Excel's grid or fills more than ``limits.max_cells``.

    The fast reader allocates the whole rectangle from the first to the last used cell; a
    sheet with one value in A1 and one in XFD1048576 would need 550 GB. See
    :func:`sheet_extent` for how the rectangle is estimated (never below the real one).
    Returns the cells and rows the sheet will hold once read (for the workbook's total).
    """
    extent = sheet_extent(xml)
    if extent is None:
        return 0
    first_row, last_row, last_col, cells, exact = extent
    last = f"{column_letter(last_col)}{last_row}"
    if exact and (last_row > EXCEL_MAX_ROWS or last_col >= EXCEL_MAX_COLUMNS):
        raise UnreadableFile(
            f"{name} was refused: sheet {sheet!r} has a cell ({last}) beyond Excel's last "
            f"row ({EXCEL_MAX_ROWS:,}) or column (XFD)",
            sheet=sheet,
        )
    if cells > limits.max_cells:
        raise UnreadableFile(
            f"{name} was refused: sheet {sheet!r} uses cells from A{first_row} to {last}, "
            f"{cells:,} cells (the limit is {limits.max_cells:,})",
            sheet=sheet,
        )
    return cells + last_row


def too_many_cells(name: str, limits: ReadLimits) -> UnreadableFile:
    """The refusal of a file whose sheets together hold more than ``max_total_cells``."""
    return UnreadableFile(
        f"{name} was refused: its sheets together hold more than "
        f"{limits.max_total_cells:,} cells (the limit), counting each row from column A"
    )


def _check_merged_count(xml: bytes, name: str, sheet: str) -> None:
    at = xml.find(b"mergeCell")
    if at < 0:
        return
    n = sum(1 for _ in _MERGE_CELL.finditer(xml, max(at - 64, 0)))
    if n > MAX_MERGED_RANGES:
        _too_many_merged(name, sheet, n)


def _too_many_merged(name: str, sheet: str, n: int) -> None:
    raise UnreadableFile(
        f"{name} was refused: sheet {sheet!r} has {n:,} merged ranges (the limit is "
        f"{MAX_MERGED_RANGES:,}): unmerge the cells and save again",
        sheet=sheet,
    )


def _cell_value(el: Element) -> object:
    """The override for one parsed <c> element, or ``None`` when the fast reader is right."""
    kind = el.get("t", "n")
    f: Element | None = None
    v: Element | None = None
    for child in el:
        ctag = _local(child.tag)
        if ctag == "f":
            f = child
        elif ctag == "v":
            v = child
    if kind == "e":
        return (v.text or "").strip() if v is not None else "#N/A"
    if f is not None and (v is None or (not v.text and kind != "str")):
        return FormulaWithoutValue(f.text or "")
    return None


def _needs_scan(xml: bytes) -> bool:
    """Whether the sheet may hold a formula or an error cell (a cheap, generous test)."""
    if b"<f" in xml or b":f" in xml:
        return True
    return (b'"e"' in xml or b"'e'" in xml) and _ERROR_ATTR.search(xml) is not None


def _fast_cells(xml: bytes) -> dict[tuple[int, int], object] | None:
    """Formula/error cells found by locating only those cells, or ``None`` if unsure.

    Works on the usual layout (see :func:`_usual_layout`, without a namespace prefix): each
    ``<f`` or ``t="e"`` is traced back to its ``<c r="..."`` and the small cell snippet is
    parsed with defusedxml. Anything else returns ``None`` and the caller streams the whole
    sheet.
    """
    if b"<!" in xml or b":f" in xml:  # DOCTYPE, comments, CDATA: let the full parse decide
        return None
    usual = _usual_layout(xml)
    if usual is None or usual[2]:
        return None
    out: dict[tuple[int, int], object] = {}
    starts = set()
    for m in (*_FORMULA_TAG.finditer(xml), *_ERROR_ATTR.finditer(xml)):
        start = xml.rfind(b"<c ", 0, m.start())
        if start < 0:
            return None
        starts.add(start)
    snippets = []
    for start in sorted(starts):
        head_end = xml.find(b">", start)
        if head_end < 0:
            return None
        if xml[head_end - 1 : head_end] == b"/":  # <c r="A1" t="e"/>
            snippets.append(xml[start : head_end + 1])
        else:
            end = xml.find(b"</c>", head_end)
            if end < 0:
                return None
            snippet = xml[start : end + 4]
            v = snippet.find(b"<v>")
            if v >= 0 and snippet[v + 3 : v + 4] != b"<" and _ERROR_ATTR.search(snippet) is None:
                continue  # a formula with its cached value (Excel's usual): calamine has it
            snippets.append(snippet)
    # one parse for all the cells: a parser per cell costs ~100 us
    cells = DET.fromstring(b"<cells>" + b"".join(snippets) + b"</cells>", forbid_dtd=True)
    if len(cells) != len(snippets):  # pragma: no cover - each snippet is one element
        return None
    for el in cells:
        ref = _REF.match(el.get("r") or "")
        if ref is None:
            return None
        value = _cell_value(el)
        if value is not None:
            out[(int(ref.group(2)) - 1, column_index(ref.group(1)))] = value
    return out


def formula_and_error_cells(xml: bytes) -> dict[tuple[int, int], object]:
    """(row, col) 0-based → value for error cells and formula cells without a cached value.

    Parses with defusedxml (no DTDs, no entities): only the formula and error cells when
    the layout allows (:func:`_fast_cells`), else the whole sheet, streamed with flat memory.
    Error cells map to their text (``"#DIV/0!"``); formulas without a value to
    :class:`FormulaWithoutValue`. Cells with a cached value are left to the fast reader.
    Cells are placed as the fast reader places them: at their reference, or (without one)
    after the previous cell of the row, in the row of the ``<row>`` element.
    """
    if not _needs_scan(xml):
        return {}
    fast = _fast_cells(xml)
    if fast is not None:
        return fast
    out: dict[tuple[int, int], object] = {}
    row, col = 0, 0  # the fast reader's counters (0-based): next row, next column
    pos = (0, 0)
    sheet_data = None
    for event, el in DET.iterparse(io.BytesIO(xml), events=("start", "end"), forbid_dtd=True):
        tag = _local(el.tag)
        if event == "start":
            if tag == "row":
                m = _ROW_REF.match(el.get("r") or "")
                if m:
                    row = int(m.group(1)) - 1
            elif tag == "c":
                m = _REF.match(el.get("r") or "")
                if m:
                    col = column_index(m.group(1))
                    pos = (int(m.group(2)) - 1, col)
                else:
                    pos = (row, col)
            elif tag == "sheetData":
                sheet_data = el
            continue
        if tag == "c":
            value = _cell_value(el)
            if value is not None:
                out[pos] = value
            col += 1
            el.clear()
        elif tag == "row":
            row += 1
            col = 0
            if sheet_data is not None:
                sheet_data.remove(el)
    return out


class _LongText(Exception):
    def __init__(self, col: int, length: int) -> None:
        self.col = col
        self.length = length


def _convert_row(raw: Sequence[object], pad: Sequence[None]) -> list[object]:
    """Calamine values → RawSheet values: "" → None, integral floats → int.

    Durations (``[h]:mm`` cells) stay ``datetime.timedelta``: the importer decides what a
    duration means for a criterion. Raises :class:`_LongText` for a text longer than Excel
    allows in a cell.
    """
    row: list[object] = list(pad)
    append = row.append
    # One type() per cell, compared by identity (faster than isinstance chains); mypy cannot
    # narrow `v` through `t`, so the cell is typed Any inside the loop.
    v: Any
    for v in raw:
        t = type(v)
        if t is float:
            append(int(v) if v.is_integer() and -_MAX_EXACT < v < _MAX_EXACT else v)
        elif t is str:
            if len(v) > EXCEL_CELL_LIMIT:
                raise _LongText(len(row), len(v))
            append(v or None)
        else:
            append(v)
    while row and row[-1] is None:
        row.pop()
    return row


def _long_text(name: str, sheet: str, row: int, col: int, length: int) -> UnreadableFile:
    return UnreadableFile(
        f"{name} was refused: cell {sheet}!{column_letter(col)}{row + 1} holds {length:,} "
        f"characters, more than Excel allows in a cell ({EXCEL_CELL_LIMIT:,})",
        sheet=sheet,
        row=row + 1,
    )


def _rows_from_calamine(sheet: pc.CalamineSheet, name: str, title: str) -> list[list[object]]:
    data = sheet.to_python()
    start = sheet.start
    if not data or start is None:
        return []
    r0, c0 = start
    pad = [None] * c0
    rows: list[list[object]] = [[] for _ in range(r0)]
    try:
        rows.extend(_convert_row(raw, pad) for raw in data)
    except _LongText as e:
        raise _long_text(name, title, len(rows), e.col, e.length) from None
    return rows


def _merged(
    sheet: pc.CalamineSheet, rows: list[list[object]], name: str, title: str
) -> list[tuple[int, int, int, int]]:
    """The sheet's merged ranges, clipped to its last used row and column.

    A range reaching past the data (``C2:C1048576``) covers nothing more than its part
    inside it, so the importer never walks a million empty rows.
    """
    ranges = sheet.merged_cell_ranges or []
    if len(ranges) > MAX_MERGED_RANGES:
        _too_many_merged(name, title, len(ranges))
    last_row = len(rows) - 1
    while last_row >= 0 and not rows[last_row]:
        last_row -= 1
    last_col = max(map(len, rows), default=0) - 1
    out = []
    for (r0, c0), (r1, c1) in ranges:
        if r0 > last_row or c0 > last_col:
            continue
        r1, c1 = min(r1, last_row), min(c1, last_col)
        if (r0, c0) != (r1, c1):
            out.append((r0, c0, r1, c1))
    return out


def _apply(
    rows: list[list[object]], overrides: dict[tuple[int, int], object], name: str, title: str
) -> None:
    for (r, c), value in overrides.items():
        text = value.formula if isinstance(value, FormulaWithoutValue) else value
        if isinstance(text, str) and len(text) > EXCEL_CELL_LIMIT:
            raise _long_text(name, title, r, c, len(text))
        while len(rows) <= r:
            rows.append([])
        row = rows[r]
        if len(row) <= c:
            row.extend([None] * (c + 1 - len(row)))
        row[c] = value


def _check_parts(checked: CheckedZip, folder: str) -> None:
    """Refuse the workbook-level parts the fast reader parses when they are not UTF-8 or
    hold an over-long text (its list of parts, sheets, shared text and styles)."""
    for path, what in (
        ("_rels/.rels", "its list of parts"),
        (f"{folder}workbook.xml", "its list of sheets"),
        (f"{folder}_rels/workbook.xml.rels", "its list of sheets"),
        (f"{folder}sharedStrings.xml", "its shared text"),
        (f"{folder}styles.xml", "its cell styles"),
    ):
        info = checked.find_literal(path)
        if info is not None:
            checked.check_text(info, what)


def read_xlsx(
    data: bytes, name: str, sha256: str = "", limits: ReadLimits = DEFAULT_LIMITS
) -> RawBook:
    """Read every worksheet of an .xlsx/.xlsm file (guarded against bombs first).

    Parameters
    ----------
    data:
        The whole file.
    name:
        File name for messages.
    sha256:
        Hex digest recorded in the result.
    limits:
        Zip and size limits.

    Returns
    -------
    RawBook
        ``kind="xlsx"``; ``rows[0]`` of every sheet is Excel row 1.

    Raises
    ------
    UnreadableFile
        For anything that is not a readable, safe workbook.
    """
    checked = guard_zip(data, name, limits)
    folder = workbook_folder(checked)
    _check_parts(checked, folder)
    targets = _sheet_targets(checked, folder)
    try:
        wb = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
        metas = wb.sheets_metadata
    except pc.PasswordError:
        raise UnreadableFile(
            f"{name} is password-protected: remove the password in Excel "
            "(File > Info > Protect Workbook) and save it again"
        ) from None
    except Exception as e:
        raise UnreadableFile(f"{name} is damaged: {e}") from None
    # Every sheet is checked before any is read: the checks are cheap, reading is not.
    checked_sheets: list[tuple[str, bytes]] = []
    total = 0
    for meta in metas:
        if meta.typ != pc.SheetTypeEnum.WorkSheet:
            continue  # chart and dialog sheets hold no cells
        title = meta.name
        part = sheet_part(checked, folder, targets, title)
        xml = checked.read(part)
        checked.check_text(part, f"sheet {title!r}", xml)
        _check_merged_count(xml, name, title)
        total += _check_extent(xml, name, title, limits)
        if total > limits.max_total_cells:
            raise too_many_cells(name, limits)
        checked_sheets.append((title, xml))
    sheets = []
    while checked_sheets:
        title, xml = checked_sheets.pop(0)
        try:
            sheet = wb.get_sheet_by_name(title)
            rows = _rows_from_calamine(sheet, name, title)
            if len(rows) > MAX_SHEET_ROWS and sum(1 for r in rows if r) > MAX_SHEET_ROWS:
                raise too_many_rows(name, title)
            overrides = formula_and_error_cells(xml)
        except UnreadableFile:
            raise
        except Exception as e:
            raise UnreadableFile(
                f"{name} is damaged: sheet {title!r} could not be read ({e})", sheet=title
            ) from None
        del xml
        _apply(rows, overrides, name, title)
        sheets.append(RawSheet(title, rows, _merged(sheet, rows, name, title)))
    return RawBook(file_name=name, sha256=sha256, kind="xlsx", sheets=sheets)
