"""Read a CSV file (UTF-8 or UTF-16, BOM optional, or Windows-1252; comma, semicolon or tab).

Every cell is kept as the exact text written (``str``), or ``None`` when empty; the
importer parses numbers. Record *n* of the file is Excel row *n* (row 1 is the header), as
when Excel opens the file. This module must not import pandas (it runs in the child).
"""

from __future__ import annotations

import codecs
import csv
import io
import re

from vendor_eval.workbook.reading.rawbook import RawBook, RawSheet
from vendor_eval.workbook.reading.zipguard import UnreadableFile

# The sheet a CSV file becomes. These equal schema.VENDORS.name and schema.CRITERIA.name
# (tests/workbook/test_schema.py checks it): reading/ may not import the workbook layout.
VENDORS_SHEET = "Vendors"
CRITERIA_SHEET = "Criteria"

DELIMITERS = (";", ",", "\t")  # order breaks ties: ";" first, as Excel writes it in Europe
_SAMPLE_RECORDS = 50
# Control characters never found in a text table (tab, CR, LF allowed).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_MARKUP = re.compile(r"\s*<(?:!doctype\s+html|html|table|\?xml)", re.IGNORECASE)


def _utf16_without_bom(data: bytes) -> str | None:
    """``"utf-16-le"``/``"utf-16-be"`` for UTF-16 saved without a byte-order mark (mostly
    Latin text: a zero byte after/before most characters), else ``None``."""
    head = data[: min(len(data), 200) // 2 * 2]
    if len(head) < 4:
        return None
    even, odd = head[0::2], head[1::2]
    # mostly Latin text: most high bytes are zero (not all: "€" is 0x20AC), no low byte is
    if odd.count(0) >= 0.7 * len(odd) and even.count(0) == 0:
        return "utf-16-le"
    if even.count(0) >= 0.7 * len(even) and odd.count(0) == 0:
        return "utf-16-be"
    return None


def decode_text(data: bytes, name: str) -> str:
    """The file's text: UTF-8 (BOM optional), UTF-16 (BOM optional), else Windows-1252.

    Raises :class:`UnreadableFile` when it is not text (binary data, control characters)
    or is a web page / XML file saved with a spreadsheet extension.
    """
    junk = UnreadableFile(f"{name} is not an Excel workbook or CSV file")
    bom16 = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    utf16 = "utf-16" if bom16 else _utf16_without_bom(data)
    if utf16 is not None:
        try:
            text = data.decode(utf16)
        except UnicodeDecodeError:
            raise junk from None
    else:
        if data.startswith(codecs.BOM_UTF8):
            data = data[len(codecs.BOM_UTF8) :]
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            if b"\x00" in data:
                raise junk from None
            try:
                text = data.decode("cp1252")  # what Excel writes for "CSV" on Windows
            except UnicodeDecodeError:
                raise junk from None
    if _CONTROL.search(text):
        raise junk
    if _MARKUP.match(text):
        raise UnreadableFile(
            f"{name} is a web page or XML file, not a workbook: open it in Excel and "
            "save it as .xlsx"
        )
    return text


def sniff_delimiter(text: str) -> str:
    """The delimiter (``;``, ``,`` or tab) that splits the first records most consistently.

    For each candidate the first records are parsed; the winner has the most records as
    wide as its header (then the widest header). A one-column file gives ``","``.
    """
    best, best_key = ",", (0, 1)
    for delim in DELIMITERS:
        widths = []
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
        try:
            for record in reader:
                if record:
                    widths.append(len(record))
                if len(widths) >= _SAMPLE_RECORDS:
                    break
        except csv.Error:
            continue
        if not widths or widths[0] < 2:
            continue
        key = (sum(w == widths[0] for w in widths), widths[0])
        if key > best_key:
            best, best_key = delim, key
    return best


def _plain(reason: str) -> str:
    if "unexpected end of data" in reason:
        return 'a quoted cell is never closed (a missing ")'
    if "field larger than field limit" in reason:
        return f"a cell is longer than {csv.field_size_limit():,} characters"
    if "expected after" in reason:
        return 'text follows a closing quote (write a quote inside quotes as "")'
    return reason


def read_csv(data: bytes, name: str, sha256: str = "", kind_hint: str | None = None) -> RawBook:
    """Read a CSV file into a one-sheet :class:`RawBook`.

    Parameters
    ----------
    data:
        The whole file.
    name:
        File name for messages.
    sha256:
        Hex digest recorded in the result.
    kind_hint:
        ``"criteria"`` names the sheet :data:`CRITERIA_SHEET`; otherwise it is
        :data:`VENDORS_SHEET`.

    Raises
    ------
    UnreadableFile
        Not text, or a malformed record (e.g. an unclosed quote), naming the row.
    """
    text = decode_text(data, name)
    sheet = CRITERIA_SHEET if kind_hint == "criteria" else VENDORS_SHEET
    delim = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim, strict=True)
    rows: list[list[object]] = []
    try:
        for record in reader:
            rows.append([c if c != "" else None for c in record])
    except csv.Error as e:
        row = len(rows) + 1
        raise UnreadableFile(
            f"{name} could not be read as CSV: row {row}: {_plain(str(e))}", sheet=sheet, row=row
        ) from None
    return RawBook(file_name=name, sha256=sha256, kind="csv", sheets=[RawSheet(sheet, rows)])
