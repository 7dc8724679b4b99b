"""Read an untrusted .xlsx/.xlsm/.csv file safely into a :class:`RawBook`.

:func:`read_book` is the only entry point the importer and the dashboard need. It

1. takes a path, bytes or a binary file-like object (a Streamlit ``UploadedFile``), refusing
   files larger than :attr:`ReadLimits.max_file_bytes` without reading them whole;
2. decides the format by the bytes, never the extension (:mod:`vendor_eval.workbook.reading.sniff`);
3. guards zip-based workbooks against decompression bombs and XML entity declarations
   before any parser sees them (:mod:`vendor_eval.workbook.reading.zipguard`);
4. parses in a child process with memory, CPU and time limits
   (:mod:`vendor_eval.workbook.reading.sandbox`),
   so a reader that crashes or runs away costs one error, not the server.

Every file-level problem is raised as a :class:`~vendor_eval.core.problems.ValidationError`
with one :class:`~vendor_eval.core.problems.Problem` naming the file. Macros are never run:
only stored cell values are read.
"""

from __future__ import annotations

import hashlib
import os
import unicodedata
from pathlib import Path
from typing import BinaryIO

from vendor_eval.core.problems import Code, Problem, ValidationError, VendorEvalError
from vendor_eval.workbook.reading.rawbook import FormulaWithoutValue, RawBook, RawSheet
from vendor_eval.workbook.reading.sandbox import read_in_child
from vendor_eval.workbook.reading.sniff import KINDS, detect_format, parse_bytes
from vendor_eval.workbook.reading.zipguard import (
    DEFAULT_LIMITS,
    MB,
    ReadLimits,
    UnreadableFile,
    unexpected_message,
)

__all__ = [
    "DEFAULT_LIMITS",
    "FormulaWithoutValue",
    "RawBook",
    "RawSheet",
    "ReadLimits",
    "check_defusedxml",
    "display_name",
    "read_book",
]

Source = str | os.PathLike[str] | bytes | bytearray | memoryview | BinaryIO

_defused_ok = False


def check_defusedxml() -> None:
    """Make sure openpyxl parses XML through defusedxml (entity expansion refused).

    openpyxl switches to defusedxml only when it is installed; without it a workbook with a
    "billion laughs" DOCTYPE could exhaust memory in any code that opens workbooks with
    openpyxl. Called by :func:`read_book`; cheap after the first call.

    Raises
    ------
    VendorEvalError
        When defusedxml is missing or openpyxl does not use it.
    """
    global _defused_ok
    if _defused_ok:
        return
    try:
        import defusedxml  # noqa: F401
        from openpyxl.xml import DEFUSEDXML

        protected = DEFUSEDXML
    except ImportError:
        protected = False
    if not protected:
        raise VendorEvalError(
            "XML entity protection is not active: the defusedxml package is missing. "
            "Install the requirements (pip install -r requirements.txt); workbooks are not "
            "read without it."
        )
    _defused_ok = True


def _too_large(name: str, size: int, limits: ReadLimits) -> UnreadableFile:
    return UnreadableFile(
        f"{name} is too large ({size / MB:,.1f} MB; the limit is "
        f"{limits.max_file_bytes / MB:,.0f} MB)"
    )


#: Longest file name shown in messages; a longer one keeps its start and its extension.
MAX_DISPLAY_NAME = 120
# Characters that must not reach a terminal or a page as they are: control characters (ESC
# starts terminal escape codes), format characters (right-to-left overrides reverse what
# follows), line and paragraph separators, and lone surrogates (undecodable path bytes).
_HIDDEN_CATEGORIES = {"Cc", "Cf", "Zl", "Zp", "Cs"}


def _safe_text(text: str) -> str:
    """``text`` with every hidden or control character shown as ``?``, cut to
    :data:`MAX_DISPLAY_NAME` characters (keeping the extension)."""
    if not text.isprintable():
        text = "".join("?" if unicodedata.category(ch) in _HIDDEN_CATEGORIES else ch for ch in text)
    if len(text) > MAX_DISPLAY_NAME:
        _stem, dot, ext = text.rpartition(".")
        tail = f".{ext}" if dot and len(ext) <= 5 else ""
        text = text[: MAX_DISPLAY_NAME - 1 - len(tail)] + "…" + tail
    return text


def display_name(source: Source, name: str | None = None) -> str:
    """The name used in messages: ``name``, the path's or file object's name, or "upload".

    Made safe to print: control characters (terminal escape codes), bidirectional overrides
    and other invisible characters become ``?``, and a name longer than
    :data:`MAX_DISPLAY_NAME` characters is shortened.
    """
    if name:
        return _safe_text(name)
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        return _safe_text(path.name or str(path))
    raw_name = getattr(source, "name", None)
    if isinstance(raw_name, str) and raw_name and not isinstance(source, (bytes, bytearray)):
        return _safe_text(Path(raw_name).name or raw_name)
    return "upload"


def _load_source(source: Source, name: str, limits: ReadLimits) -> bytes:
    """The file's bytes, never reading more than the size limit + 1."""
    cap = limits.max_file_bytes
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
    elif isinstance(source, (str, os.PathLike)):
        path = Path(source)
        try:
            if path.is_dir():
                raise UnreadableFile(f"{name} is a folder, not a file")
            size = path.stat().st_size
            if size > cap:
                raise _too_large(name, size, limits)
            with path.open("rb") as fh:
                data = fh.read(cap + 1)
        except FileNotFoundError:
            raise UnreadableFile(f"{name} was not found") from None
        except OSError as e:
            raise UnreadableFile(f"{name} could not be opened: {e.strerror or e}") from None
    elif hasattr(source, "read"):
        getvalue = getattr(source, "getvalue", None)
        data = getvalue() if callable(getvalue) else source.read(cap + 1)
        if isinstance(data, memoryview | bytearray):
            data = bytes(data)
        if not isinstance(data, bytes):
            raise TypeError("read_book needs a file opened in binary mode ('rb')")
    else:
        raise TypeError(f"read_book cannot read a {type(source).__name__}")
    if len(data) > cap:
        raise _too_large(name, len(data), limits)
    return data


def read_book(
    source: Source,
    name: str | None = None,
    *,
    kind_hint: str | None = None,
    sandbox: bool = True,
    limits: ReadLimits | None = None,
) -> RawBook:
    """Read a vendor (or criteria) file safely into raw sheets.

    Parameters
    ----------
    source:
        A path, the file's bytes, or a binary file-like object (e.g. a Streamlit upload).
    name:
        File name used in messages; defaults to the path's name, the file object's
        ``name``, or ``"upload"``.
    kind_hint:
        ``"criteria"`` when the file is a Criteria table (a CSV then gives a sheet named
        ``Criteria``); ``None`` or ``"vendors"`` otherwise.
    sandbox:
        Parse in a resource-limited child process (default). ``False`` parses in this
        process: faster by about 0.1 s, for trusted files and tests only.
    limits:
        Size, bomb, memory and time limits (default :data:`DEFAULT_LIMITS`).

    Returns
    -------
    RawBook
        ``kind`` ``"xlsx"`` or ``"csv"``, the SHA-256 of the bytes, every worksheet in
        workbook order; ``sheet.rows[0]`` is Excel row 1.

    Raises
    ------
    ValidationError
        Any file-level problem (empty, too large, not a workbook, old .xls, password
        protected, damaged, a decompression bomb, XML entities, a malformed CSV record, or
        the reader crashing / running out of memory / timing out), as one problem naming
        the file.
    VendorEvalError
        When defusedxml is not active (see :func:`check_defusedxml`).
    """
    if kind_hint not in KINDS:
        raise ValueError(f"kind_hint must be one of {KINDS}, not {kind_hint!r}")
    check_defusedxml()
    limits = limits or DEFAULT_LIMITS
    display = display_name(source, name)
    try:
        data = _load_source(source, display, limits)
        sha256 = hashlib.sha256(data).hexdigest()
        detect_format(data, display)  # cheap refusals without starting a child
        if sandbox:
            return read_in_child(data, display, sha256, kind_hint, limits)
        try:
            return parse_bytes(data, display, sha256, kind_hint, limits)
        except (UnreadableFile, MemoryError):
            raise
        except Exception as e:
            raise UnreadableFile(unexpected_message(display, e)) from None
    except UnreadableFile as e:
        problem = Problem(
            e.message, sheet=e.sheet, row=e.row, file=display, code=Code.UNREADABLE_FILE
        )
        raise ValidationError([problem], file=display) from None
    except MemoryError:
        message = f"{display} could not be read: it needs more memory than is available"
        problem = Problem(message, code=Code.UNREADABLE_FILE)
        raise ValidationError([problem], file=display) from None
