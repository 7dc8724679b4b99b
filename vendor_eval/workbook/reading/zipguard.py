"""Decompression-bomb and entity guards for zip-based workbooks, applied before any parsing.

An .xlsx file is a zip archive of XML parts. A hostile one can declare small sizes and
inflate to gigabytes, hold thousands of parts, or carry XML entity declarations that expand
exponentially (a "billion laughs"). :func:`guard_zip` checks the zip directory (member
count, declared sizes, compression ratio) and then inflates every member itself, in bounded
chunks and without trusting the declared sizes, so a 2 MB file that would expand to hundreds
of megabytes is refused in well under a second with a few megabytes of memory.

This module imports only the standard library: it runs inside the reader's child process.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass

MB = 1024 * 1024


@dataclass(frozen=True)
class ReadLimits:
    """Limits applied when reading an untrusted file.

    Attributes
    ----------
    max_file_bytes:
        Largest raw file accepted (the upload itself).
    max_members:
        Most parts a zip-based workbook may hold.
    max_total_bytes:
        Largest total size of all parts once unpacked (declared and actual).
    max_ratio:
        Largest compression ratio for a part bigger than ``ratio_min_bytes``.
    ratio_min_bytes:
        Parts smaller than this are not ratio-checked (tiny parts compress very well).
    max_cells:
        Largest rectangle of cells a sheet may span (rows x columns, from the first to the
        last used cell); the fast reader allocates that rectangle in full.
    max_memory_bytes:
        Address-space limit of the reader's child process.
    timeout_s:
        Wall-clock limit of the reader's child process, in seconds.
    """

    max_file_bytes: int = 50 * MB
    max_members: int = 2_000
    max_total_bytes: int = 200 * MB
    max_ratio: float = 100.0
    ratio_min_bytes: int = 1 * MB
    max_cells: int = 10_000_000
    max_memory_bytes: int = 1536 * MB
    timeout_s: float = 30.0


DEFAULT_LIMITS = ReadLimits()


class UnreadableFile(Exception):
    """A file-level problem; ``str()`` is the plain message shown to the user.

    Raised by the readers (which must not import pandas, so they cannot build a
    ``ValidationError``); :mod:`vendor_eval.workbook.reading.book` turns it into one.
    """

    def __init__(self, message: str, sheet: str | None = None, row: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.sheet = sheet
        self.row = row


def unexpected_message(name: str, error: BaseException) -> str:
    """The message for a reader failure nobody foresaw (kept short, no traceback)."""
    detail = str(error).splitlines()[0][:200] if str(error) else ""
    return f"{name} could not be read: {type(error).__name__}" + (f" ({detail})" if detail else "")


_CHUNK = 64 * 1024
_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")
# An entity declaration needs a DOCTYPE; Excel never writes one. Checked in UTF-8 and UTF-16.
_DOCTYPE = re.compile(rb"<!DOCTYPE|<\x00!\x00D\x00O\x00C\x00T\x00Y\x00P\x00E|\x00<\x00!\x00D\x00O")
_DOCTYPE16 = "DOCTYPE".encode("utf-16-le")[:-1]  # matches both byte orders
_DOCTYPE_OVERLAP = 24


def _mb(n: float) -> str:
    return f"{n / MB:,.0f} MB"


def _raw_member_data(data: bytes, info: zipfile.ZipInfo, name: str) -> memoryview:
    """The compressed bytes of ``info``, located through its local header."""
    start = info.header_offset
    header = data[start : start + _LOCAL_HEADER.size]
    if len(header) < _LOCAL_HEADER.size or header[:4] != b"PK\x03\x04":
        raise UnreadableFile(
            f"{name} is damaged: part {info.filename} is missing from the zip archive"
        )
    fields = _LOCAL_HEADER.unpack(header)
    begin = start + _LOCAL_HEADER.size + fields[10] + fields[11]
    end = begin + info.compress_size
    if end > len(data):
        raise UnreadableFile(
            f"{name} is damaged: it is not a complete zip archive "
            "(was the download or copy cut short?)"
        )
    return memoryview(data)[begin:end]


def _inflate_bounded(
    raw: memoryview, info: zipfile.ZipInfo, name: str, budget: int, scan_doctype: bool
) -> int:
    """Inflate one member in chunks, never producing more than ``budget`` + one chunk.

    Returns the number of bytes it inflates to. Raises :class:`UnreadableFile` when it is
    bigger than declared or than ``budget``, does not decompress, or fails its CRC.
    """
    if info.compress_type == zipfile.ZIP_STORED:
        chunks = (bytes(raw[i : i + _CHUNK]) for i in range(0, len(raw), _CHUNK))
        decomp = None
    elif info.compress_type == zipfile.ZIP_DEFLATED:
        chunks = (bytes(raw[i : i + _CHUNK]) for i in range(0, len(raw), _CHUNK))
        decomp = zlib.decompressobj(-15)
    else:
        raise UnreadableFile(
            f"{name} is not a workbook Excel can write: part {info.filename} uses an "
            f"unsupported compression method ({info.compress_type})"
        )
    total = 0
    crc = 0
    tail = b""
    limit = min(budget, info.file_size)

    def take(out: bytes) -> None:
        nonlocal total, crc, tail
        total += len(out)
        if total > limit:
            if total > budget:
                raise UnreadableFile(_too_big(name, budget))
            raise UnreadableFile(
                f"{name} was refused: part {info.filename} is larger than the zip directory "
                "says (a possible decompression bomb)"
            )
        crc = zlib.crc32(out, crc)
        if scan_doctype:
            window = tail + out
            if (b"DOCTYPE" in window or _DOCTYPE16 in window) and _DOCTYPE.search(window):
                raise UnreadableFile(
                    f"{name} was refused: part {info.filename} declares XML entities "
                    "(<!DOCTYPE>), which Excel never writes (a possible entity-expansion attack)"
                )
            tail = window[-_DOCTYPE_OVERLAP:]

    try:
        for chunk in chunks:
            if decomp is None:
                take(chunk)
                continue
            buf = chunk
            while buf:
                take(decomp.decompress(buf, _CHUNK))
                buf = decomp.unconsumed_tail
            if decomp.eof:
                break
        if decomp is not None:
            take(decomp.flush())
            if not decomp.eof:
                raise zlib.error("incomplete deflate stream")
    except zlib.error:
        raise UnreadableFile(
            f"{name} is damaged: part {info.filename} could not be decompressed"
        ) from None
    if total != info.file_size or crc != info.CRC:
        raise UnreadableFile(f"{name} is damaged: part {info.filename} failed its checksum")
    return total


def _too_big(name: str, budget: int) -> str:
    return (
        f"{name} was refused: it would expand to more than {_mb(budget)} when unpacked "
        "(a possible decompression bomb)"
    )


def open_zip(data: bytes, name: str) -> zipfile.ZipFile:
    """The zip archive in ``data``, or :class:`UnreadableFile` if it is truncated or corrupt."""
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise UnreadableFile(
            f"{name} is damaged: it is not a complete zip archive "
            "(was the download or copy cut short?)"
        ) from None


def guard_zip(data: bytes, name: str, limits: ReadLimits = DEFAULT_LIMITS) -> zipfile.ZipFile:
    """Check a zip archive against ``limits`` before anything parses it.

    Parameters
    ----------
    data:
        The whole file.
    name:
        File name for messages.
    limits:
        Member count, total unpacked size and ratio limits.

    Returns
    -------
    zipfile.ZipFile
        The archive, whose every member has been inflated once (bounded) and found to match
        its declared size and checksum.

    Raises
    ------
    UnreadableFile
        Truncated/corrupt archive, too many parts, duplicate parts, too large when unpacked,
        a suspicious compression ratio, sizes that lie, or an XML part with a DOCTYPE.
    """
    zf = open_zip(data, name)
    infos = zf.infolist()
    if len(infos) > limits.max_members:
        raise UnreadableFile(
            f"{name} was refused: it contains {len(infos):,} parts "
            f"(the limit is {limits.max_members:,})"
        )
    names = [i.filename for i in infos]
    if len(set(names)) != len(names):
        raise UnreadableFile(f"{name} was refused: its zip archive holds duplicate parts")
    declared = sum(i.file_size for i in infos)
    if declared > limits.max_total_bytes:
        raise UnreadableFile(_too_big(name, limits.max_total_bytes))
    for info in infos:
        if info.file_size > limits.ratio_min_bytes:
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > limits.max_ratio:
                raise UnreadableFile(
                    f"{name} was refused: part {info.filename} is compressed {ratio:,.0f}:1, "
                    "far more than any real workbook (a possible decompression bomb)"
                )
    budget = limits.max_total_bytes
    for info in infos:
        if info.is_dir():
            continue
        if info.flag_bits & 0x1:
            raise UnreadableFile(
                f"{name} is password-protected: remove the password in Excel "
                "(File > Info > Protect Workbook) and save it again"
            )
        raw = _raw_member_data(data, info, name)
        lower = info.filename.lower()
        scan = lower.endswith((".xml", ".rels", ".vml"))
        budget -= _inflate_bounded(raw, info, name, budget, scan)
    return zf
