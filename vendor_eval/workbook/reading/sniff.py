"""Decide a file's format from its bytes (never its extension) and dispatch to a reader.

* ``PK\\x03\\x04`` — a zip archive: .xlsx/.xlsm (checked further by the xlsx reader).
* ``D0 CF 11 E0`` — an OLE compound file: either an encrypted (password-protected) .xlsx,
  which Office stores as ``EncryptionInfo`` + ``EncryptedPackage`` streams, or an old
  Excel 97-2003 .xls (a ``Workbook`` or ``Book`` stream).
* anything else that decodes as text: CSV.

This module must not import pandas (it runs in the reader's child process).
"""

from __future__ import annotations

from vendor_eval.workbook.reading.rawbook import RawBook
from vendor_eval.workbook.reading.zipguard import DEFAULT_LIMITS, ReadLimits, UnreadableFile

ZIP_MAGIC = b"PK\x03\x04"
EMPTY_ZIP_MAGIC = b"PK\x05\x06"
CFB_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
KINDS = (None, "vendors", "criteria")


def _cfb_streams(data: bytes) -> set[str]:
    """Names of the entries in an OLE compound file's directory (found by scanning).

    Directory entries are 128-byte records aligned on 128 bytes (sectors are 512 or 4096
    bytes); each starts with its UTF-16LE name and has the name's byte length at offset 64.
    Checking alignment and length makes a cell text that happens to spell a name harmless.
    """
    found = set()
    for stream in ("EncryptedPackage", "EncryptionInfo", "Workbook", "Book"):
        pattern = stream.encode("utf-16-le") + b"\x00\x00"
        start = 0
        while (pos := data.find(pattern, start)) >= 0:
            start = pos + 1
            if pos % 128 or pos + 66 > len(data):
                continue
            if int.from_bytes(data[pos + 64 : pos + 66], "little") == len(pattern):
                found.add(stream)
                break
    return found


def detect_format(data: bytes, name: str) -> str:
    """``"xlsx"`` or ``"csv"``, judged by the bytes; refuses everything else.

    Raises
    ------
    UnreadableFile
        Empty file, old .xls, password-protected workbook, or binary data.
    """
    if not data:
        raise UnreadableFile(f"{name} is empty (0 bytes)")
    if data.startswith(ZIP_MAGIC):
        return "xlsx"
    if data.startswith(EMPTY_ZIP_MAGIC):
        raise UnreadableFile(
            f"{name} is not an Excel workbook (it is a zip archive without a workbook inside)"
        )
    if data.startswith(CFB_MAGIC):
        streams = _cfb_streams(data)
        if {"EncryptedPackage", "EncryptionInfo"} & streams:
            raise UnreadableFile(
                f"{name} is password-protected: remove the password in Excel "
                "(File > Info > Protect Workbook) and save it again"
            )
        if {"Workbook", "Book"} & streams:
            raise UnreadableFile(
                f"{name} is an old Excel 97-2003 .xls file: open it in Excel and save it as .xlsx"
            )
        raise UnreadableFile(f"{name} is not an Excel workbook or CSV file")
    return "csv"


def parse_bytes(
    data: bytes,
    name: str,
    sha256: str = "",
    kind_hint: str | None = None,
    limits: ReadLimits = DEFAULT_LIMITS,
) -> RawBook:
    """Read ``data`` (any supported format) into a :class:`RawBook`, in this process.

    Raises :class:`UnreadableFile` for every file-level problem.
    """
    kind = detect_format(data, name)
    if kind == "xlsx":
        from vendor_eval.workbook.reading.xlsx import read_xlsx

        return read_xlsx(data, name, sha256, limits)
    from vendor_eval.workbook.reading.csv import read_csv

    return read_csv(data, name, sha256, kind_hint, limits)
