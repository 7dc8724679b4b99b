"""Recognising an evaluation matrix: criteria as rows, vendors as columns.

Procurement templates often lay an evaluation out the other way round from vendor_eval's
format: one row per criterion (``Criteria``, ``Weight``, then one column per vendor with its
score). Such a sheet has no Vendor column; instead of listing its headers as for any sheet
without one, the importer says what it sees and points to the format
(docs/workbook-format.md). Importing a matrix is a later feature.
"""

from __future__ import annotations

from vendor_eval.core.limits import MAX_TITLE_ROWS
from vendor_eval.workbook import schema
from vendor_eval.workbook.importing.cells import is_blank
from vendor_eval.workbook.importing.table import could_be_name
from vendor_eval.workbook.schema import name_key

__all__ = ["MATRIX_MESSAGE", "matrix_header_row"]

MATRIX_MESSAGE = (
    "this sheet looks like an evaluation matrix (criteria as rows, vendors as columns); "
    f'vendor_eval reads one row per vendor with a "{schema.VENDOR.name}" column — see '
    '"The vendor workbook" in README.md'
)

# The first header of a matrix: what its rows are (the Criteria sheet's criterion column,
# or what procurement templates call it).
_ROW_HEADERS = frozenset(
    name_key(h)
    for h in (*schema.CRITERION.spellings, "Requirement", "Requirements", "Question", "Questions")
)
# A numbering column that may come before it.
_ID_HEADERS = frozenset(name_key(h) for h in ("#", "No", "No.", "ID", "Ref", "Item"))
# Headers of a matrix that are about the criterion, not a vendor (beyond the Criteria
# sheet's own columns: Category, Weight, Description...).
_OTHER_HEADERS = (
    "Weighting", "Weight (%)", "Section", "Group", "Area", "Priority", "Type", "Max score",
    "Maximum score", "Score", "Scores", "Notes", "Comments", "Comment", "Remarks", "Guidance",
    "Evidence", "Owner",
)  # fmt: skip
_CRITERION_HEADERS = frozenset(
    {key for column in schema.CRITERIA.columns for key in column.keys}
    | {name_key(h) for h in _OTHER_HEADERS}
)


def matrix_header_row(rows: list[list[object]]) -> int | None:
    """The Excel row of a matrix's header row, or ``None`` if ``rows`` do not look like one.

    A matrix header row is one of the first :data:`MAX_TITLE_ROWS` + 1 non-blank rows (so
    a title above it is allowed) whose first header (after an optional ``#``/``ID``
    column) is ``Criterion``, ``Criteria``, ``Requirement`` or ``Question``, and which
    names at least one column that is not about the criterion (a vendor). A sheet with a
    Vendor column in those rows is not a matrix.

    Examples
    --------
    >>> matrix_header_row([["Criteria", "Weight", "Acme IT", "Globex"], ["Price", 3, 4, 5]])
    1
    >>> matrix_header_row([["Criterion", "Category", "Weight"], ["Price", "Cost", 1]]) is None
    True
    """
    seen = 0
    for i, row in enumerate(rows):
        if all(is_blank(c) for c in row):
            continue
        keys = [name_key(c) for c in row if could_be_name(c) and not is_blank(c)]
        if any(k in schema.VENDOR.keys for k in keys):
            return None
        if _is_matrix_header(keys):
            return i + 1
        seen += 1
        if seen > MAX_TITLE_ROWS:
            break
    return None


def _is_matrix_header(keys: list[str]) -> bool:
    if keys and keys[0] in _ID_HEADERS:
        keys = keys[1:]
    if not keys or keys[0] not in _ROW_HEADERS:
        return False
    return any(k not in _CRITERION_HEADERS and k not in _ROW_HEADERS for k in keys[1:])
