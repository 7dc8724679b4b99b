"""Read a CSV file (UTF-8 or UTF-16, BOM optional, or Windows-1252; comma, semicolon or tab).

Every cell is kept as the exact text written (``str``), or ``None`` when empty; the
importer parses numbers. Record *n* of the file is Excel row *n* (row 1 is the header), as
when Excel opens the file. This module must not import pandas (it runs in the child).

The text encoding is decided once per file, never per line:

1. a byte-order mark, or the zero bytes of mostly-Latin UTF-16, means UTF-16;
2. a file that is valid UTF-8 is UTF-8 (a UTF-8 BOM is optional);
3. a file with no valid UTF-8 multi-byte sequence at all is Windows-1252 (what older Excel
   writes for "CSV" on Windows, so ``€`` and ``é`` survive);
4. a file with valid UTF-8 multi-byte sequences *and* bytes that are not UTF-8 mixes two
   encodings (lines pasted from two sources): it is refused, naming the cell of the first
   byte that is not UTF-8, instead of decoding every ``é`` as ``Ã©``. Saving it from Excel
   as "CSV UTF-8" fixes it. (A Windows-1252 file in which a capital letter with an accent
   happens to precede a symbol such as ``”`` can look like case 4; it is refused the same
   way, never misread.)

A cell longer than Excel allows (32,767 characters), a control character (a zero byte, a
bell) and an unclosed quote are each refused naming the row (and the cell where known).
"""

from __future__ import annotations

import codecs
import csv
import io
import re

from vendor_eval.workbook.reading.rawbook import RawBook, RawSheet, column_letter
from vendor_eval.workbook.reading.zipguard import (
    DEFAULT_LIMITS,
    EXCEL_CELL_LIMIT,
    EXCEL_MAX_COLUMNS,
    MAX_SHEET_ROWS,
    ReadLimits,
    UnreadableFile,
    too_many_rows,
)

# The sheet a CSV file becomes. These equal schema.VENDORS.name and schema.CRITERIA.name
# (tests/workbook/test_schema.py checks it): reading/ may not import the workbook layout.
VENDORS_SHEET = "Vendors"
CRITERIA_SHEET = "Criteria"

DELIMITERS = (";", ",", "\t")  # order breaks ties: ";" first, as Excel writes it in Europe
_SAMPLE_RECORDS = 50
# Control characters never found in a text table (tab, CR, LF allowed).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_MARKUP = re.compile(r"\s*<(?:!doctype\s+html|html|table|\?xml)", re.IGNORECASE)
# A valid UTF-8 sequence of two to four bytes (RFC 3629: no overlongs, no surrogates).
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
# Binary files that decode as Windows-1252 without many control bytes at the start.
_BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"\x7fELF", b"MZ", b"\x1f\x8b")
_SAMPLE_BYTES = 4096


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


def _looks_binary(data: bytes) -> bool:
    """Binary data rather than a text table: a known file signature, or more than a few
    control bytes (over 1%) at the start. A text table with one stray control character is
    text (its cell is named by :func:`read_csv`)."""
    if data.startswith(_BINARY_MAGIC):
        return True
    sample = data[:_SAMPLE_BYTES]
    return len(_CONTROL_BYTES.findall(sample)) > max(8, len(sample) // 100)


def _cell_at(text: str, offset: int) -> tuple[int, int]:
    """``(row, column)``, both 1-based, of the cell holding character ``offset`` of ``text``."""
    prefix = text[:offset] + "X"  # X stands for the character at offset
    records = list(csv.reader(io.StringIO(prefix, newline=""), delimiter=sniff_delimiter(text)))
    if not records:  # pragma: no cover - the prefix holds at least "X"
        return 1, 1
    return len(records), max(len(records[-1]), 1)


def _mixed(
    data: bytes, error: UnicodeDecodeError, skipped: int, name: str, sheet: str
) -> UnreadableFile:
    """The refusal of a file that mixes UTF-8 with another encoding; ``skipped`` is the
    length of the byte-order mark removed from the start of ``data``."""
    prefix = data[: error.start].decode("utf-8")
    rest = data[error.start :].decode("cp1252", errors="replace")
    row, col = _cell_at(prefix + rest, len(prefix))
    return UnreadableFile(
        f"{name} cannot be read in one text encoding: part of it reads as UTF-8, but cell "
        f"{column_letter(col - 1)}{row} (byte {skipped + error.start + 1:,} of the file) does "
        "not (Windows-1252 text pasted into a UTF-8 file, or the other way round): open it "
        "in Excel and save it as CSV UTF-8",
        sheet=sheet,
        row=row,
    )


def decode_text(data: bytes, name: str, sheet: str = VENDORS_SHEET) -> str:
    """The file's text by the rule in the module docstring (UTF-16, UTF-8, Windows-1252).

    Raises :class:`UnreadableFile` when it is not text (binary data), mixes UTF-8 with
    another encoding (naming the cell, on ``sheet``), or is a web page / XML file saved with
    a spreadsheet extension. Control characters in a text file are left for
    :func:`read_csv` to locate.
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
        skipped = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
        data = data[skipped:]
        if _looks_binary(data):
            raise junk
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as e:
            if _UTF8_MULTIBYTE.search(data):
                raise _mixed(data, e, skipped, name, sheet) from None
            try:
                text = data.decode("cp1252")  # what Excel writes for "CSV" on Windows
            except UnicodeDecodeError:
                raise junk from None
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
    if "expected after" in reason:
        return 'text follows a closing quote (write a quote inside quotes as "")'
    return reason


def _last_used(record: list[str]) -> int:
    """0-based index of the last non-empty cell (-1 for an empty record)."""
    return next((j for j in range(len(record) - 1, -1, -1) if record[j]), -1)


def _control_message(name: str, record: list[str], row: int) -> str:
    col, ch = next(
        (j, m.group()) for j, c in enumerate(record, 1) if (m := _CONTROL.search(c)) is not None
    )
    return (
        f"{name} could not be read as CSV: cell {column_letter(col - 1)}{row} holds a control "
        f"character (U+{ord(ch):04X}), which a text table never contains: delete it and save "
        "the file again"
    )


def _long_message(name: str, record: list[str], row: int) -> str:
    col, cell = next((j, c) for j, c in enumerate(record, 1) if len(c) > EXCEL_CELL_LIMIT)
    lines = cell.count("\n") + 1
    hint = f'; it runs over {lines:,} lines: is a closing quote (") missing?' if lines > 1 else ""
    return (
        f"{name} could not be read as CSV: cell {column_letter(col - 1)}{row} holds "
        f"{len(cell):,} characters, more than Excel allows in a cell "
        f"({EXCEL_CELL_LIMIT:,}){hint}"
    )


def read_csv(
    data: bytes,
    name: str,
    sha256: str = "",
    kind_hint: str | None = None,
    limits: ReadLimits = DEFAULT_LIMITS,
) -> RawBook:
    """Read a CSV file into a one-sheet :class:`RawBook` (its ``csv_separator`` says which
    separator split it: the importer decides the number convention from it).

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
    limits:
        ``max_total_cells`` bounds the cells read (a file of commas is millions of them).

    Raises
    ------
    UnreadableFile
        Not text, mixed encodings, a control character, a cell longer than Excel allows,
        a row with a value past Excel's 16,384 columns (empty cells after the last value do
        not count), more cells than ``max_total_cells``, or a malformed record (e.g. an
        unclosed quote), naming the row.
    """
    sheet = CRITERIA_SHEET if kind_hint == "criteria" else VENDORS_SHEET
    text = decode_text(data, name, sheet)
    check_control = _CONTROL.search(text) is not None
    delim = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim, strict=True)
    rows: list[list[object]] = []
    # No field limit while parsing (an unclosed quote then reads to the end and is reported
    # as such); cells are checked against Excel's limit instead. The limit is global to the
    # csv module: it is put back at once.
    old_limit = csv.field_size_limit(max(len(text) + 1, csv.field_size_limit()))
    cells = 0
    used = 0  # records holding data
    try:
        for record in reader:
            row = len(rows) + 1
            cells += len(record) + 1
            used += any(record)
            if used > MAX_SHEET_ROWS:
                raise too_many_rows(name, sheet)
            if len(record) > EXCEL_MAX_COLUMNS and _last_used(record) >= EXCEL_MAX_COLUMNS:
                raise UnreadableFile(
                    f"{name} was refused: row {row} has {_last_used(record) + 1:,} cells, more "
                    f"than Excel's {EXCEL_MAX_COLUMNS:,} columns",
                    sheet=sheet,
                    row=row,
                )
            if cells > limits.max_total_cells:
                raise UnreadableFile(
                    f"{name} was refused: it holds more than {limits.max_total_cells:,} "
                    "cells (the limit)",
                    sheet=sheet,
                    row=row,
                )
            if record and max(map(len, record)) > EXCEL_CELL_LIMIT:
                raise UnreadableFile(_long_message(name, record, row), sheet=sheet, row=row)
            if check_control and _CONTROL.search("".join(record)):
                raise UnreadableFile(_control_message(name, record, row), sheet=sheet, row=row)
            rows.append([c if c != "" else None for c in record])
    except csv.Error as e:
        row = len(rows) + 1
        raise UnreadableFile(
            f"{name} could not be read as CSV: row {row}: {_plain(str(e))}", sheet=sheet, row=row
        ) from None
    finally:
        csv.field_size_limit(old_limit)
    return RawBook(
        file_name=name,
        sha256=sha256,
        kind="csv",
        sheets=[RawSheet(sheet, rows)],
        csv_separator=delim,
    )
