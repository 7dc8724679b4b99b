"""Untrusted bytes → RawBook: format sniffing, zip and entity guards, the sandboxed readers.

This side runs in a resource-limited child process: it imports only the standard library,
python-calamine and defusedxml — never pandas, never anything above it in the package.
"""

from __future__ import annotations

from vendor_eval._lazy import lazy_exports

_EXPORTS = {
    "read_book": "vendor_eval.workbook.reading.book",
    "RawBook": "vendor_eval.workbook.reading.rawbook",
    "RawSheet": "vendor_eval.workbook.reading.rawbook",
}
__all__ = list(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
