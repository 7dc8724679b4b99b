"""Decompression-bomb and entity guards for zip-based workbooks, applied before any parsing.

An .xlsx file is a zip archive of XML parts. A hostile one can declare small sizes and
inflate to gigabytes, hold thousands of parts, or carry XML entity declarations that expand
exponentially (a "billion laughs"). :func:`guard_zip` checks the zip directory (member
count, declared sizes, compression ratio) and then inflates every member itself, in bounded
chunks and without trusting the declared sizes, so a 2 MB file that would expand to hundreds
of megabytes is refused in well under a second with a few megabytes of memory.

While inflating, every XML part is also scanned (:class:`XmlScanner`, a few bytes of state):
a ``<!DOCTYPE`` in any letter case and in UTF-8, UTF-16 or UTF-32 is refused; each part's
text encoding (its first bytes) and longest run of bytes between two ``<`` are recorded.
:meth:`CheckedZip.check_text` then refuses, for the parts the readers parse, any encoding but
UTF-8 (Excel writes nothing else) and any run over :data:`MAX_TEXT_RUN_BYTES` (a text longer
than a cell can hold, even written with entity escapes), so a 100-million-character shared
string in one run is refused after scanning, never turned into a string. A long text split
into many short rich-text runs (``<r><t>…</t></r>``) passes the scan; the reader then refuses
the cell in the child (longer than EXCEL_CELL_LIMIT), still within the sandbox's limits.

Part names are matched as Excel (and the fast reader) match them: ignoring ASCII case, with
backslashes read as ``/``. Two parts whose names are equal that way make the archive ambiguous,
and are refused like exact duplicates.

This module imports only the standard library: it runs inside the reader's child process.
"""

from __future__ import annotations

import io
import posixpath
import re
import string
import struct
import zipfile
import zlib
from dataclasses import dataclass, field

MB = 1024 * 1024
#: Excel's limit on the characters in one cell. Equals ``core.limits.EXCEL_CELL_LIMIT``
#: (tests/workbook/reading/test_reader_hardening.py checks it): reading/ imports no core code.
EXCEL_CELL_LIMIT = 32_767
#: Most merged ranges read from one sheet; Excel's sheet size. These equal the constants of the
#: same names in ``core.limits`` (checked by the same test).
MAX_MERGED_RANGES = 10_000
EXCEL_MAX_ROWS = 1_048_576
EXCEL_MAX_COLUMNS = 16_384
#: Most rows holding data read from one sheet: the most any sheet of an evaluation may use
#: (a Scores sheet of ``core.limits.MAX_VALUE_CELLS`` rows, with its header and
#: ``MAX_TITLE_ROWS`` title rows; checked by the same test). A register of a million rows is
#: refused in the child instead of being sent to the parent to be refused there.
MAX_SHEET_ROWS = 500_000 + 10 + 1


def too_many_rows(name: str, sheet: str) -> UnreadableFile:
    """The refusal of a sheet with more than :data:`MAX_SHEET_ROWS` rows holding data."""
    return UnreadableFile(
        f"{name} was refused: sheet {sheet!r} has more than {MAX_SHEET_ROWS:,} rows with "
        "data, more than any evaluation can use (at most 10,000 vendors and 500,000 "
        "scores): split it into smaller files",
        sheet=sheet,
    )


#: Longest run of bytes an XML part may hold between two ``<``. A cell's text is at most
#: 32,767 characters; written with the longest escapes (``&#1114111;``, 10 bytes each) that is
#: about 330 KB, so 1 MB refuses nothing Excel can store, and bounds every text, attribute and
#: tag the readers return.
MAX_TEXT_RUN_BYTES = 1 * MB


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
        Largest rectangle of cells a sheet may span (rows from the first to the last used
        row, times columns from A to the last used column); the fast reader allocates that
        rectangle in full.
    max_total_cells:
        Most cells all sheets (or a CSV file) may hold together, counting each row from
        column A and the empty rows above the first used one: this bounds the result the
        parent process unpickles, whatever the file's size.
    max_memory_bytes:
        Address-space limit of the reader's child process.
    timeout_s:
        Wall-clock limit of the reader's child process, in seconds.
    max_result_bytes:
        Largest result (pickled cells) the parent accepts from the child; the parent reads
        no more than this from the child's output.
    """

    max_file_bytes: int = 50 * MB
    max_members: int = 2_000
    max_total_bytes: int = 200 * MB
    max_ratio: float = 100.0
    ratio_min_bytes: int = 1 * MB
    max_cells: int = 10_000_000
    max_total_cells: int = 20_000_000
    max_memory_bytes: int = 1536 * MB
    timeout_s: float = 30.0
    max_result_bytes: int = 128 * MB


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
    """The message for a reader failure nobody foresaw (kept short, no traceback).

    A damaged zip archive that slipped past :func:`guard_zip` (``zipfile.BadZipFile``) gets
    the plain "is damaged" sentence, never the zipfile module's own text.
    """
    if isinstance(error, zipfile.BadZipFile | zlib.error | EOFError):
        return damaged_zip_message(name)
    detail = str(error).splitlines()[0][:200] if str(error) else ""
    return f"{name} could not be read: {type(error).__name__}" + (f" ({detail})" if detail else "")


def damaged_zip_message(name: str) -> str:
    """The sentence for a zip archive whose parts cannot be read back as listed."""
    return (
        f"{name} is damaged: its zip archive is inconsistent (parts are not where its "
        "directory says): open it in Excel and save it again"
    )


_CHUNK = 64 * 1024
assert MAX_TEXT_RUN_BYTES >= _CHUNK  # a longer run always spans two chunks (XmlScanner)
_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")
# An entity declaration needs a DOCTYPE; Excel never writes one. Searched in any letter case
# and, once NUL bytes are dropped, in UTF-16 and UTF-32 as well as UTF-8.
_DOCTYPE = re.compile(rb"<!doctype", re.IGNORECASE)
_OVERLAP = 64  # bytes kept between chunks: "<!DOCTYPE" in UTF-32 is 36
# Byte-order marks and the first "<" of a document in each wide encoding (UTF-32 first: its
# little-endian BOM starts like UTF-16's).
_WIDE_HEADS = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"<\x00\x00\x00", "UTF-32"),
    (b"\x00\x00\x00<", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
    (b"<\x00", "UTF-16"),
    (b"\x00<", "UTF-16"),
)
_XML_SUFFIXES = (".xml", ".rels", ".vml")
_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


def part_key(path: str) -> str:
    """The name a part is matched by: ``\\`` as ``/``, ``.``/``..`` resolved, no leading
    ``/``, ASCII letters lower-cased (OPC part names are case-insensitive ASCII)."""
    return posixpath.normpath(path.replace("\\", "/")).lstrip("/").translate(_ASCII_LOWER)


def text_encoding(head: bytes) -> str:
    """``"UTF-8"``, ``"UTF-16"`` or ``"UTF-32"``: the encoding an XML part's first bytes show."""
    for prefix, encoding in _WIDE_HEADS:
        if head.startswith(prefix):
            return encoding
    return "UTF-8"


class XmlScanner:
    """Streaming checks on one XML part, fed its bytes chunk by chunk (no chunk kept).

    Refuses (:class:`UnreadableFile`) a ``<!DOCTYPE`` in any letter case and encoding.
    Records ``encoding``, the text encoding shown by the part's first bytes, and
    ``longest_run``, the most bytes found between two ``<`` (text, or a tag's attributes):
    the readers refuse a part they parse whose run exceeds :data:`MAX_TEXT_RUN_BYTES`.
    """

    def __init__(self, name: str, part: str) -> None:
        self.name = name
        self.part = part
        self.encoding = "UTF-8"
        self.longest_run = 0
        self._head = b""
        self._tail = b""
        self._run = 0

    def feed(self, out: bytes) -> None:
        if len(self._head) < 4:
            self._head += out[:4]
            self.encoding = text_encoding(self._head)
        window = self._tail + out
        if b"<" in window:
            text = window.replace(b"\x00", b"") if b"\x00" in window else window
            if b"<!" in text and _DOCTYPE.search(text):
                raise UnreadableFile(
                    f"{self.name} was refused: part {self.part} declares XML entities "
                    "(<!DOCTYPE>), which Excel never writes (a possible entity-expansion attack)"
                )
        self._tail = window[-_OVERLAP:]
        # A chunk is shorter than MAX_TEXT_RUN_BYTES, so only runs that span chunks matter:
        # each chunk either extends the current run or ends it (and starts the next one).
        first = out.find(b"<")
        if first < 0:
            self._run += len(out)
        else:
            self.longest_run = max(self.longest_run, self._run + first)
            self._run = len(out) - out.rfind(b"<") - 1
        self.longest_run = max(self.longest_run, self._run)


def scan_xml(data: bytes, name: str, part: str) -> XmlScanner:
    """:class:`XmlScanner` run over a part already in memory."""
    scanner = XmlScanner(name, part)
    for i in range(0, len(data), _CHUNK):
        scanner.feed(data[i : i + _CHUNK])
    return scanner


@dataclass
class CheckedZip:
    """An archive that :func:`guard_zip` has inflated and scanned once, part by part.

    Attributes
    ----------
    zf:
        The archive.
    name:
        The file's name, for messages.
    scans:
        Part name → its :class:`XmlScanner`, for every part named ``.xml``, ``.rels`` or
        ``.vml``.
    """

    zf: zipfile.ZipFile
    name: str
    scans: dict[str, XmlScanner] = field(default_factory=dict)
    _by_key: dict[str, zipfile.ZipInfo] = field(default_factory=dict)
    _by_literal: dict[str, zipfile.ZipInfo] = field(default_factory=dict)

    def find(self, path: str) -> zipfile.ZipInfo | None:
        """The part ``path`` names, matched as Excel does (see :func:`part_key`)."""
        return self._by_key.get(part_key(path))

    def find_literal(self, path: str) -> zipfile.ZipInfo | None:
        """The part named ``path`` ignoring ASCII case and reading ``\\`` as ``/``, but
        without resolving ``.`` or ``..``: how the fast reader (calamine) finds parts."""
        return self._by_literal.get(path.translate(_ASCII_LOWER))

    def check_text(self, info: zipfile.ZipInfo, what: str, data: bytes | None = None) -> None:
        """Refuse a part a reader parses when it is not UTF-8 or holds an over-long text.

        ``what`` names the part for the user ("sheet 'Vendors'", "the shared text").
        ``data`` (the part's bytes) is scanned now when :func:`guard_zip` did not scan it
        (a sheet stored under a name that does not end in ``.xml``).
        """
        scan = self.scans.get(info.filename)
        if scan is None:
            if data is None:
                data = self.read(info)
            scan = self.scans[info.filename] = scan_xml(data, self.name, info.filename)
        if scan.encoding != "UTF-8":
            raise UnreadableFile(
                f"{self.name} could not be read: {what} (part {info.filename}) is saved as "
                f"{scan.encoding} text, which Excel never writes: open the file in Excel and "
                "save it again"
            )
        if scan.longest_run > MAX_TEXT_RUN_BYTES:
            raise UnreadableFile(
                f"{self.name} was refused: {what} (part {info.filename}) holds a text longer "
                f"than Excel allows in a cell ({EXCEL_CELL_LIMIT:,} characters)"
            )

    def read(self, info: zipfile.ZipInfo) -> bytes:
        """A part's bytes; a damaged archive is one plain :class:`UnreadableFile`."""
        try:
            return self.zf.read(info)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError):
            raise UnreadableFile(damaged_zip_message(self.name)) from None


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
    name_at = start + _LOCAL_HEADER.size
    local_name = data[name_at : name_at + fields[10]]
    encoding = "utf-8" if fields[3] & 0x800 else "cp437"
    if local_name.decode(encoding, "replace") != info.orig_filename:
        raise UnreadableFile(damaged_zip_message(name))  # the two headers name different parts
    begin = start + _LOCAL_HEADER.size + fields[10] + fields[11]
    end = begin + info.compress_size
    if end > len(data):
        raise UnreadableFile(
            f"{name} is damaged: it is not a complete zip archive "
            "(was the download or copy cut short?)"
        )
    return memoryview(data)[begin:end]


def _inflate_bounded(
    raw: memoryview, info: zipfile.ZipInfo, name: str, budget: int, scanner: XmlScanner | None
) -> int:
    """Inflate one member in chunks, never producing more than ``budget`` + one chunk.

    Returns the number of bytes it inflates to. Raises :class:`UnreadableFile` when it is
    bigger than declared or than ``budget``, does not decompress, fails its CRC, or (for
    ``scanner``) declares a DOCTYPE.
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
    limit = min(budget, info.file_size)

    def take(out: bytes) -> None:
        nonlocal total, crc
        total += len(out)
        if total > limit:
            if total > budget:
                raise UnreadableFile(_too_big(name, budget))
            raise UnreadableFile(
                f"{name} was refused: part {info.filename} is larger than the zip directory "
                "says (a possible decompression bomb)"
            )
        crc = zlib.crc32(out, crc)
        if scanner is not None:
            scanner.feed(out)

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


def guard_zip(data: bytes, name: str, limits: ReadLimits = DEFAULT_LIMITS) -> CheckedZip:
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
    CheckedZip
        The archive, whose every member has been inflated once (bounded) and found to match
        its declared size and checksum, with the scan of each XML part.

    Raises
    ------
    UnreadableFile
        Truncated/corrupt archive, too many parts, duplicate parts (also names equal but for
        ASCII case or ``\\``), local and central headers naming different parts, too large
        when unpacked, a suspicious compression ratio, sizes that lie, or an XML part with a
        DOCTYPE. (Encodings and over-long texts are refused by :meth:`CheckedZip.check_text`
        for the parts a reader parses.)
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
    by_key: dict[str, zipfile.ZipInfo] = {}
    for info in infos:
        other = by_key.setdefault(part_key(info.filename), info)
        if other is not info and not (info.is_dir() and other.is_dir()):
            raise UnreadableFile(
                f"{name} was refused: its zip archive holds duplicate parts ({other.filename} "
                f"and {info.filename} differ only in letter case or slashes)"
            )
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
    literal = {i.filename.replace("\\", "/").translate(_ASCII_LOWER): i for i in infos}
    checked = CheckedZip(zf, name, _by_key=by_key, _by_literal=literal)
    for info in infos:
        if info.is_dir():
            continue
        if info.flag_bits & 0x1:
            raise UnreadableFile(
                f"{name} is password-protected: remove the password in Excel "
                "(File > Info > Protect Workbook) and save it again"
            )
        raw = _raw_member_data(data, info, name)
        scanner = None
        if info.filename.lower().endswith(_XML_SUFFIXES):
            scanner = checked.scans[info.filename] = XmlScanner(name, info.filename)
        budget -= _inflate_bounded(raw, info, name, budget, scanner)
    return checked
