"""Read the cell values of an .xlsx/.xlsm workbook into plain Python lists.

Values come from python-calamine (fast, Rust). Calamine 0.9.1 turns two kinds of cells into
empty strings, which would silently become "missing" values: error cells (``#DIV/0!``,
``#N/A``) and formula cells that carry no computed value (files written by scripts). Sheets
that contain formulas or errors are therefore also read with a streaming, entity-refusing
XML parser (defusedxml), and those cells are put back as the error text or as
:class:`~vendor_eval.workbook.reading.rawbook.FormulaWithoutValue`.

Macros in .xlsm files are never run: only the stored cell values are read.
This module must not import pandas: it runs in the reader's child process.
"""

from __future__ import annotations

import datetime as dt
import io
import posixpath
import re
import zipfile
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import defusedxml.ElementTree as DET
import python_calamine as pc

from vendor_eval.workbook.reading.rawbook import FormulaWithoutValue, RawBook, RawSheet
from vendor_eval.workbook.reading.zipguard import (
    DEFAULT_LIMITS,
    ReadLimits,
    UnreadableFile,
    guard_zip,
)

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
# Literal-prefix patterns are several times faster; the prefixed forms are for rare writers.
_ROW_NUMBER = re.compile(rb'<row\s[^>]*?\br="([0-9]{1,7})"')
_CELL_COLUMN = re.compile(rb'<c\s+r="([A-Z]{1,3})[0-9]')
_ROW_NUMBER_NS = re.compile(rb'<(?:\w+:)?row\s[^>]*?\br="([0-9]{1,7})"')
_CELL_COLUMN_NS = re.compile(rb'<(?:\w+:)?c\s+r="([A-Z]{1,3})[0-9]')
_FORMULA_TAG = re.compile(rb"<f[\s>/]")
_ERROR_ATTR = re.compile(rb"\st=[\"']e[\"']")
_REF = re.compile(r"([A-Z]{1,3})([0-9]{1,7})$")
_MAX_EXACT = 2**53


def column_index(letters: str | bytes) -> int:
    """0-based column index of Excel column letters (``"A"`` → 0, ``"AA"`` → 26)."""
    if isinstance(letters, bytes):
        letters = letters.decode("ascii")
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n - 1


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _check_is_workbook(zf: zipfile.ZipFile, name: str) -> None:
    names = set(zf.namelist())
    if "xl/workbook.xml" in names and "[Content_Types].xml" in names:
        return
    if "xl/workbook.bin" in names:
        raise UnreadableFile(
            f"{name} is an Excel binary workbook (.xlsb): open it in Excel and save it as .xlsx"
        )
    if "mimetype" in names and b"opendocument" in zf.read("mimetype")[:100]:
        raise UnreadableFile(
            f"{name} is an OpenDocument spreadsheet (.ods): open it in Excel or LibreOffice "
            "and save it as .xlsx"
        )
    raise UnreadableFile(
        f"{name} is not an Excel workbook (it is a zip archive without a workbook inside)"
    )


def _sheet_parts(zf: zipfile.ZipFile, name: str) -> dict[str, str]:
    """Sheet name → zip part of its XML, from workbook.xml and its relationships."""
    try:
        wb = DET.fromstring(zf.read("xl/workbook.xml"), forbid_dtd=True)
        rels_xml = zf.read("xl/_rels/workbook.xml.rels")
        rels = DET.fromstring(rels_xml, forbid_dtd=True)
    except KeyError:
        raise UnreadableFile(f"{name} is damaged: its list of sheets is missing") from None
    except Exception as e:  # ParseError, defusedxml's DTDForbidden/EntitiesForbidden
        raise UnreadableFile(f"{name} is damaged: its list of sheets is unreadable ({e})") from e
    targets = {}
    for rel in rels:
        target = rel.get("Target", "")
        if target.startswith("/"):
            path = target.lstrip("/")
        else:
            path = posixpath.normpath(posixpath.join("xl", target))
        targets[rel.get("Id")] = path
    parts = {}
    for el in wb.iter():
        if _local(el.tag) == "sheet":
            rid = el.get(f"{{{_REL_NS}}}id")
            if rid in targets:
                parts[el.get("name", "")] = targets[rid]
    return parts


def _check_extent(xml: bytes, name: str, sheet: str, limits: ReadLimits) -> None:
    """Refuse a sheet whose used cells span more than ``limits.max_cells``.

    The fast reader allocates the whole rectangle from the first to the last used cell; a
    sheet with one value in A1 and one in XFD1048576 would need 550 GB. Rows are taken from
    the row elements and columns from the cell references (two cheap regex passes); a file
    that lies beyond this is still contained by the sandbox's memory limit.
    """
    prefixed = b":c " in xml or b":row " in xml
    row_re, col_re = (_ROW_NUMBER_NS, _CELL_COLUMN_NS) if prefixed else (_ROW_NUMBER, _CELL_COLUMN)
    rows = {int(r) for r in row_re.findall(xml)}
    cols = set(col_re.findall(xml))
    if not rows or not cols:
        return
    col_ix = [column_index(c) for c in cols]
    height = max(rows) - min(rows) + 1
    width = max(col_ix) - min(col_ix) + 1
    if height * width > limits.max_cells:
        first = f"{_letters(min(col_ix))}{min(rows)}"
        last = f"{_letters(max(col_ix))}{max(rows)}"
        raise UnreadableFile(
            f"{name} was refused: sheet {sheet!r} uses cells from {first} to {last}, "
            f"{height * width:,} cells (the limit is {limits.max_cells:,})",
            sheet=sheet,
        )


def _letters(ix: int) -> str:
    s = ""
    ix += 1
    while ix:
        ix, rem = divmod(ix - 1, 26)
        s = chr(65 + rem) + s
    return s


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
    return any(m in xml for m in (b"<f>", b"<f ", b"<f/", b":f>", b":f ", b't="e"', b"t='e'"))


def _fast_cells(xml: bytes) -> dict[tuple[int, int], object] | None:
    """Formula/error cells found by locating only those cells, or ``None`` if unsure.

    Works on the common layout (no namespace prefix, every cell's first attribute is its
    reference ``r``): each ``<f`` or ``t="e"`` is traced back to its ``<c r="..."`` and the
    small cell snippet is parsed with defusedxml. Anything else returns ``None`` and the
    caller streams the whole sheet.
    """
    if b"<!" in xml:  # DOCTYPE, comments, CDATA: let the full defused parse decide
        return None
    n_cells = xml.count(b"<c ")
    if n_cells != xml.count(b'<c r="') or b":c " in xml or b":c>" in xml or b"<c>" in xml:
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
            if v >= 0 and snippet[v + 3 : v + 4] != b"<" and b't="e"' not in snippet:
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
    """
    if not _needs_scan(xml):
        return {}
    fast = _fast_cells(xml)
    if fast is not None:
        return fast
    out: dict[tuple[int, int], object] = {}
    row, col = -1, -1
    pos = (0, 0)
    sheet_data = None
    for event, el in DET.iterparse(io.BytesIO(xml), events=("start", "end"), forbid_dtd=True):
        tag = _local(el.tag)
        if event == "start":
            if tag == "row":
                r = el.get("r")
                row = int(r) - 1 if r and r.isdigit() else row + 1
                col = -1
            elif tag == "c":
                m = _REF.match(el.get("r") or "")
                if m:
                    row, col = int(m.group(2)) - 1, column_index(m.group(1))
                else:
                    col += 1
                pos = (row, col)
            elif tag == "sheetData":
                sheet_data = el
            continue
        if tag == "c":
            value = _cell_value(el)
            if value is not None:
                out[pos] = value
            el.clear()
        elif tag == "row" and sheet_data is not None:
            sheet_data.remove(el)
    return out


def _convert_row(raw: Sequence[object], pad: Sequence[None]) -> list[object]:
    """Calamine values → RawSheet values: "" → None, integral floats → int, durations → days."""
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
            append(v or None)
        elif t is dt.timedelta:  # [h]:mm durations: Excel stores days
            append(v / dt.timedelta(days=1))
        else:
            append(v)
    while row and row[-1] is None:
        row.pop()
    return row


def _rows_from_calamine(sheet: pc.CalamineSheet) -> list[list[object]]:
    data = sheet.to_python()
    start = sheet.start
    if not data or start is None:
        return []
    r0, c0 = start
    pad = [None] * c0
    rows: list[list[object]] = [[] for _ in range(r0)]
    rows.extend(_convert_row(raw, pad) for raw in data)
    return rows


def _merged(sheet: pc.CalamineSheet) -> list[tuple[int, int, int, int]]:
    ranges = sheet.merged_cell_ranges or []
    return [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in ranges if (r0, c0) != (r1, c1)]


def _apply(rows: list[list[object]], overrides: dict[tuple[int, int], object]) -> None:
    for (r, c), value in overrides.items():
        while len(rows) <= r:
            rows.append([])
        row = rows[r]
        if len(row) <= c:
            row.extend([None] * (c + 1 - len(row)))
        row[c] = value


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
    zf = guard_zip(data, name, limits)
    _check_is_workbook(zf, name)
    parts = _sheet_parts(zf, name)
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
    sheets = []
    for meta in metas:
        if meta.typ != pc.SheetTypeEnum.WorkSheet:
            continue  # chart and dialog sheets hold no cells
        part = parts.get(meta.name)
        xml = zf.read(part) if part in zf.NameToInfo else b""
        _check_extent(xml, name, meta.name, limits)
        try:
            sheet = wb.get_sheet_by_name(meta.name)
            rows = _rows_from_calamine(sheet)
            merged = _merged(sheet)
            overrides = formula_and_error_cells(xml)
        except UnreadableFile:
            raise
        except Exception as e:
            raise UnreadableFile(
                f"{name} is damaged: sheet {meta.name!r} could not be read ({e})", sheet=meta.name
            ) from None
        _apply(rows, overrides)
        sheets.append(RawSheet(meta.name, rows, merged))
    return RawBook(file_name=name, sha256=sha256, kind="xlsx", sheets=sheets)
