"""Size limits on what a workbook may hold and what the export writes, declared once.

The importer refuses text and numbers beyond these limits (with a message naming the cell);
the Excel export cuts text at the same cell limit, so a re-imported export never exceeds it.
"""

from __future__ import annotations

__all__ = [
    "EXCEL_CELL_LIMIT",
    "MAX_MAGNITUDE",
    "MAX_NAME_LENGTH",
    "MAX_TEXT_LENGTH",
    "MAX_TITLE_ROWS",
]

#: Excel's limit on the characters in one cell.
EXCEL_CELL_LIMIT = 32_767
#: Longest vendor, criterion, category, evaluator or header name accepted.
MAX_NAME_LENGTH = 200
#: Longest free text accepted (descriptions, comments, descriptive cells): Excel's own limit.
MAX_TEXT_LENGTH = EXCEL_CELL_LIMIT
#: Largest magnitude of a number accepted: beyond it the scorer's differences, sums and
#: squares (``hi - lo``, TOPSIS's vector norm) overflow to infinity and the scores become NaN.
MAX_MAGNITUDE = 1e100
#: How many non-blank rows may sit above a header row (report titles, dates, notes).
MAX_TITLE_ROWS = 10
