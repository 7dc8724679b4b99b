"""File → Evaluation: read a workbook safely, import it with every problem collected.

Entry points (lazy, so the sandboxed reader child imports nothing heavy):
:func:`load_evaluation`, :func:`evaluation_from_book`, :func:`read_book`,
:func:`write_template`.
"""

from __future__ import annotations

from vendor_eval._lazy import lazy_exports

_EXPORTS = {
    "load_evaluation": "vendor_eval.workbook.importing.load",
    "evaluation_from_book": "vendor_eval.workbook.importing.load",
    "read_book": "vendor_eval.workbook.reading.book",
    "write_template": "vendor_eval.workbook.template",
}
__all__ = list(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
