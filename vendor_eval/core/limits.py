"""Size limits on what a workbook may hold and what the export writes, declared once.

The importer refuses text and numbers beyond these limits (with a message naming the cell)
and sheets, evaluations beyond the sizes (with a message naming the sheet), before building
anything of their size; the Excel export cuts text at the same cell limit, so a re-imported
export never exceeds it. docs/workbook-format.md §10 lists them.
"""

from __future__ import annotations

__all__ = [
    "EXCEL_CELL_LIMIT",
    "EXCEL_MAX_COLUMNS",
    "EXCEL_MAX_ROWS",
    "MAX_CRITERIA",
    "MAX_MAGNITUDE",
    "MAX_MERGED_RANGES",
    "MAX_NAME_LENGTH",
    "MAX_PROBLEMS_PER_CODE",
    "MAX_RESULTS",
    "MAX_TEXT_LENGTH",
    "MAX_TITLE_ROWS",
    "MAX_VALUE_CELLS",
    "MAX_VENDORS",
    "MIN_MAGNITUDE",
]

#: Excel's limit on the characters in one cell.
EXCEL_CELL_LIMIT = 32_767
#: Excel's sheet size: a file the export could not write back is refused at import.
EXCEL_MAX_ROWS = 1_048_576
EXCEL_MAX_COLUMNS = 16_384
#: Most vendors (data rows) one evaluation may hold.
MAX_VENDORS = 10_000
#: Most criteria one evaluation may hold.
MAX_CRITERIA = 1_000
#: Most values one evaluation may hold: vendors x columns of the Vendors sheet (criteria and
#: descriptive columns alike, the vendor-name column aside) or vendors x criteria, whichever
#: is more, and rows of the Scores sheet. Chosen so that the Excel export of the largest
#: evaluation accepted stays under the reader's file-size limit (an export must always be
#: re-importable) and every analysis stays within bounded memory.
MAX_VALUE_CELLS = 500_000
#: Most merged ranges read from one sheet (a real workbook has a few dozen).
MAX_MERGED_RANGES = 10_000
#: Longest vendor, criterion, category, evaluator or header name accepted.
MAX_NAME_LENGTH = 200
#: Longest free text accepted (descriptions, comments, descriptive cells): Excel's own limit.
MAX_TEXT_LENGTH = EXCEL_CELL_LIMIT
#: Largest magnitude of a number accepted: beyond it the scorer's differences, sums and
#: squares (``hi - lo``, TOPSIS's vector norm) overflow to infinity and the scores become NaN.
MAX_MAGNITUDE = 1e100
#: Smallest magnitude of a non-zero number accepted: nearer zero a number is a slip or an
#: export artefact, and below about 1e-308 it silently reads as 0 (``1e-400``) or loses its
#: digits; squares of it underflow.
MIN_MAGNITUDE = 1e-100
#: Most rows of a monitoring workbook's Performance sheet (one reported value each): 200
#: vendors × 20 KPIs × 60 months is 240,000. The sandboxed reader passes on no sheet of more
#: rows than ``MAX_VALUE_CELLS`` and a header (``reading.zipguard.MAX_SHEET_ROWS``), so a
#: larger limit could never be reached.
MAX_RESULTS = 500_000
#: Most problems of one reason code listed for one file; one more problem says how many
#: others were found (a sheet of wrong cells is not a million messages).
MAX_PROBLEMS_PER_CODE = 1_000
#: How many non-blank rows may sit above a header row (report titles, dates, notes).
MAX_TITLE_ROWS = 10
