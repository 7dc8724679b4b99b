"""Evaluation matrices: criteria as rows, vendors as columns (docs/workbook-format.md §13).

Procurement scorecards are often laid out the other way round from vendor_eval's format:
one row per criterion (``Criteria``, ``Weight``, then one column per vendor with its
score). :func:`import_with_matrix` reads such a sheet as the Vendors and Criteria sheets it
stands for: it builds them (one Vendors row per vendor column; one Criteria row per
criterion row, at the matrix's own row and column, so that messages naming rows stay
true), lets the importer apply every rule unchanged, and moves each problem back to the
matrix's own cell with a :class:`~vendor_eval.workbook.importing.relocate.CellMap` filled on
the way (``Evaluation!D4 (Globex Services, Technical capability): "good" is not a number``).

The header row is found by :func:`matrix_header_row`. Its columns are, by header: the
criterion column; the Criteria columns (Category, Weight, Direction, Scale, Formula, Min,
Max, Must, Goal, Description; ``Weighting`` or ``Weight (%)`` for Weight), in any order,
before the criterion column too, or after the vendors; notes about the criterion (``#``,
``Notes``, ``Max score``, ``Acme comments``, ``Answer``...), ignored (a number under one
that should hold text, ``Type``, is a warning); computed columns (``Total``, ``Average``,
``Weighted score``), ignored with a warning; blank columns, skipped; every other header is
a vendor (a number or date as its text: ``1``, ``2``, ``3`` for anonymised bids). Below it,
blank rows are skipped, a total row (``Total``, ``Sum``, ``Total score``) is skipped with a
warning, and a row with a text and nothing in the vendor and Criteria columns (a section
heading) sets the Category of the rows below it that have none of their own; a heading
with a weight is an error (a section's weight belongs in a Categories sheet).
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from vendor_eval.core.costs import TCO_CRITERION
from vendor_eval.core.limits import MAX_NAME_LENGTH, MAX_TITLE_ROWS
from vendor_eval.core.model import Evaluation
from vendor_eval.core.problems import Code, Problem, Problems, ValidationError, Where
from vendor_eval.workbook import schema
from vendor_eval.workbook.importing.cells import is_blank, parse_number
from vendor_eval.workbook.importing.messages import CellError, column_letter, show, show_name
from vendor_eval.workbook.importing.names import Names
from vendor_eval.workbook.importing.relocate import CellMap, Place
from vendor_eval.workbook.importing.sheets import (
    check_criteria_count,
    check_value_count,
    check_vendor_count,
    find_sheet,
)
from vendor_eval.workbook.importing.table import cell, could_be_name
from vendor_eval.workbook.importing.text import parse_text
from vendor_eval.workbook.importing.vendors import MATRIX_ROW_HEADERS, WEIGHTS, row_kind
from vendor_eval.workbook.reading.rawbook import RawBook, RawSheet
from vendor_eval.workbook.schema import (
    CATEGORIES,
    CATEGORY,
    COSTS,
    CRITERIA,
    CRITERION,
    SCORES,
    VENDOR,
    VENDORS,
    WEIGHT,
    name_key,
)

__all__ = ["GENERAL", "import_with_matrix", "matrix_header_row"]

#: The category of a criterion when the matrix has neither a Category column nor headings.
GENERAL = "General"

# The first header of a matrix: what its rows are (the Criteria sheet's criterion column,
# or what procurement templates call it), and a numbering column that may come before it.
_ROW_HEADERS = MATRIX_ROW_HEADERS
_ID_HEADERS = frozenset(name_key(h) for h in ("#", "No", "No.", "ID", "Ref", "Item"))
# The Criteria columns a matrix may hold beside its criterion column, by header key, with
# the spellings of Weight that scorecards use.
_WEIGHT_SPELLINGS = (
    "Weighting", "Weightings", "Weights", "Weight (%)", "Weight %", "Weighting (%)",
    "Weighting %",
)  # fmt: skip
_SETTINGS: dict[str, schema.Column] = {
    **{k: c for c in CRITERIA.columns if c is not CRITERION for k in c.keys},
    **{name_key(h): WEIGHT for h in _WEIGHT_SPELLINGS},
}
# Notes about the criterion, not vendors: ignored (so is a header whose last word is one of
# _NOTE_WORDS, "Acme comments"). Those of _NUMBERED_NOTES may hold numbers (a numbering, a
# maximum score); a number under any other is a warning (a vendor named "Type"?). The
# answer column of a questionnaire (Question | Answer) is a note too, never a vendor.
_NUMBERED_NOTES = frozenset(
    name_key(h)
    for h in ("Section", "Group", "Area", "Max score", "Maximum score", "Score", "Scores")
) | _ID_HEADERS  # fmt: skip
_NOTES = frozenset(
    name_key(h)
    for h in (
        "Priority", "Type", "Guidance", "Owner", "Reference", "Source", "Answer", "Answers",
        "Response", "Responses", "Reply", "Replies", "Value", "Values",
    )
) | _NUMBERED_NOTES  # fmt: skip
_NOTE_WORDS = frozenset(
    ("note", "notes", "comment", "comments", "remark", "remarks", "evidence", "justification",
     "rationale")
)  # fmt: skip
# A header with one of these words holds what was computed from the scores.
_COMPUTED_WORDS = frozenset({"weight", "weights", "weighted", "weighting", "share"})
# Criterion-column texts of a summary row, beside the Vendors sheet's total row names.
_SUMMARY_ROWS = {
    **dict.fromkeys(
        ("total score", "total weighted score", "weighted score", "overall score",
         "final score"),
        "a total row",
    ),
    **dict.fromkeys(("rank", "ranking", "overall rank"), "a rank row"),
}  # fmt: skip
_WORD = re.compile(r"\w+")
_LETTER = re.compile(r"[^\W\d_]")
_CELL_REF = re.compile(r"\b([A-Z]{1,3})([1-9][0-9]*)\b")
_TRAILER = re.compile(r"\s*[:.]$")
_VENDORS_KEY = name_key(VENDORS.name)
# Importer messages that say "column" of what is a row of the matrix (old, new).
_REWORDED: dict[str, tuple[str, str]] = {
    Code.NO_VALUES: (": its column is empty", ": its row is empty"),
    Code.UNSCORED_COLUMN: ("column ", "row "),
    Code.COLUMN_AND_SCORES: (f"both a {VENDORS.name} column", "both values in {sheet}"),
    Code.UNLINKED_CRITERION: (f"no column in {VENDORS.name}", "no values in {sheet}"),
    Code.NO_VENDORS: ("add one row per vendor below the header row", "add one column per vendor"),
}


# -- recognising a matrix -----------------------------------------------------------------
def _role(key: str) -> str:
    """What a matrix column with header key ``key`` is: ``criterion``, ``setting`` (a
    Criteria column), ``note`` (ignored), ``computed`` (ignored with a warning) or
    ``vendor``."""
    if key in _ROW_HEADERS:
        return "criterion"
    if key in _SETTINGS:
        return "setting"
    words = _WORD.findall(key)
    if key in _NOTES or (words and words[-1] in _NOTE_WORDS):
        return "note"
    return "vendor" if _computed_kind(key) is None else "computed"


def _computed_kind(text: str) -> str | None:
    """``a total column`` (an average column, ...) or ``a weighted-score column`` for the
    header of a column computed from the scores, else ``None``."""
    kind = row_kind(text)
    if kind is not None and kind != WEIGHTS:
        return kind.removesuffix(" row") + " column"
    if _COMPUTED_WORDS.intersection(_WORD.findall(name_key(text))):
        return "a weighted-score column"
    return None


def _summary_kind(value: object) -> str | None:
    """``a total row`` (or average, rank...) for a criterion cell naming a summary row."""
    if not isinstance(value, str) or not could_be_name(value):
        return None
    kind = row_kind(value)
    if kind is not None and kind != WEIGHTS:
        return kind
    return _SUMMARY_ROWS.get(_TRAILER.sub("", name_key(value)))


def matrix_header_row(rows: list[list[object]]) -> int | None:
    """The Excel row of a matrix's header row, or ``None`` if ``rows`` do not look like one.

    A matrix header row is one of the first :data:`MAX_TITLE_ROWS` + 1 non-blank rows (so
    a title above it is allowed) whose first header, after any Criteria columns and notes
    (``#``, ``Category``, ``Section``), is ``Criterion``, ``Criteria``, ``Requirement`` or
    ``Question``, and which names at least one vendor (a header that is not a Criteria
    column, a note or a computed column; a number or a date, ``1`` for an anonymised bid,
    is one). A sheet with a Vendor column in those rows (``Vendor``, ``Supplier name:``)
    is not a matrix, nor is a questionnaire (``Question | Answer``).

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
        keys = [k for c in row if (k := _header_key(c))]
        if any(_TRAILER.sub("", k) in VENDOR.keys for k in keys):
            return None
        if _is_matrix_header(keys):
            return i + 1
        seen += 1
        if seen > MAX_TITLE_ROWS:
            break
    return None


def _header_key(value: object) -> str:
    """The name key of a header cell as :meth:`_Reader.read_header` reads it (a number or a
    date as its text: the vendor ``1`` of anonymised bids), ``""`` for an empty cell or one
    that cannot be a name (a long text, a formula without a value)."""
    if isinstance(value, str):
        return name_key(value) if could_be_name(value) else ""
    if is_blank(value):
        return ""
    try:
        return name_key(parse_text(value, max_length=MAX_NAME_LENGTH, multiline=False))
    except CellError:
        return ""


def _is_matrix_header(keys: list[str]) -> bool:
    """Whether the first header after the leading Criteria columns and notes is the
    criterion column, and a vendor header is among the others."""
    rest = list(itertools.dropwhile(lambda k: _role(k) in ("setting", "note"), keys))
    if not rest or rest[0] not in _ROW_HEADERS:
        return False
    return any(_role(k) == "vendor" for k in rest[1:])


def _find_matrix(book: RawBook, problems: Problems) -> tuple[RawSheet, int] | None:
    """The sheet to read as a matrix and its header row, or ``None``: the Vendors sheet (or
    a lone sheet, as the importer takes it) laid out as a matrix, or without one the one
    other sheet that is. Other matrix sheets are reported: beside a Vendors sheet they
    are ignored (a warning); two without one are an error (which to read cannot be told)."""
    vendors = find_sheet(book, VENDORS.name)
    only = book.sheets[0] if len(book.sheets) == 1 else None
    if vendors is None and only is not None and name_key(only.name) not in schema.KNOWN_SHEET_KEYS:
        vendors = only
    found = [
        (s, row)
        for s in book.sheets
        if s is not vendors and name_key(s.name) not in schema.KNOWN_SHEET_KEYS
        if (row := matrix_header_row(s.rows)) is not None
    ]
    own = matrix_header_row(vendors.rows) if vendors is not None else None
    chosen = (vendors, own) if vendors is not None and own is not None else None
    if vendors is None and found:
        chosen, found = found[0], found[1:]
    for s, row in found:
        if vendors is not None:
            message = (
                "this sheet looks like an evaluation matrix (criteria as rows, vendors as "
                f"columns) and is ignored: the workbook has a {VENDORS.name} sheet, which is read"
            )
            problems.warning(Code.MATRIX_LAYOUT, message, sheet=s.name, row=row)
        else:
            assert chosen is not None
            message = (
                "this sheet looks like an evaluation matrix too, as does "
                f"{show_name(chosen[0].name)}, and which one to read cannot be told: delete "
                f'one, or rename the one to read "{VENDORS.name}"'
            )
            problems.error(Code.MATRIX_LAYOUT, message, sheet=s.name, row=row)
    return chosen


# -- reading it ---------------------------------------------------------------------------
@dataclass
class _Criterion:
    """A criterion row: its Excel row, its name as read (``""`` if unreadable), whether it
    has a Vendors column and a value, and the heading cell above it (row, column)."""

    row: int
    name: str = ""
    column: bool = False
    has_values: bool = False
    heading: tuple[int, int] | None = None


class _Cells(CellMap):
    """The map from the built sheets to the matrix; the built Vendors value cells (vendors ×
    criteria of them) are computed when asked, not stored."""

    def __init__(self, sheet: str) -> None:
        super().__init__()
        self.origin = sheet
        self.vendors: list[tuple[int, str]] = []  # built row - 2 → (matrix column, name)
        self.criteria: dict[str, _Criterion] = {}  # built column letter → its criterion

    def place_of(self, problem: Problem) -> Place | None:
        r, c = problem.row, problem.column
        crit = self.criteria.get(c) if c is not None else None
        built = problem.sheet is not None and name_key(problem.sheet) == _VENDORS_KEY
        if built and crit is not None and r is not None and 2 <= r < len(self.vendors) + 2:
            j, vendor = self.vendors[r - 2]
            return Place(self.origin, crit.row, column_letter(j), f"{vendor}, {crit.name}")
        return super().place_of(problem)


class _Reader:
    """One matrix sheet read into the Vendors and Criteria sheets it stands for; its own
    problems (at the matrix's cells) go into ``problems``."""

    def __init__(self, book: RawBook, sheet: RawSheet, header: int, values_only: bool) -> None:
        self.book, self.sheet, self.values_only = book, sheet, values_only
        self.problems = Problems()
        self.row = header  # Excel row of the header row
        self.crit = 0  # the criterion column
        self.width = 0  # the header row's length, trailing blanks left out
        self.names: dict[int, str] = {}  # column → its header as read
        self.settings: dict[schema.Column, int] = {}
        self.vendors: list[tuple[int, str]] = []
        self.blank: list[int] = []
        self.notes: list[tuple[int, str]] = []  # note columns that should hold text
        self.criteria: list[_Criterion] = []
        self.merged_down: dict[int, int] = {}  # criterion row → the merged Category cell's row
        self.cells = _Cells(sheet.name)
        self.scores = find_sheet(book, SCORES.name) is not None
        self.costs = find_sheet(book, COSTS.name) is not None

    def at(self, row: int | None, col: int | None = None) -> Where:
        letter = None if col is None else column_letter(col)
        return {"sheet": self.sheet.name, "row": row, "column": letter}

    def value(self, row: int, col: int) -> object:
        return cell(self.sheet.rows[row - 1], col)

    def stop_unless(self, ok: bool) -> None:
        if not ok:
            self.problems.raise_if_errors(self.book.file_name)

    # -- the header row -------------------------------------------------------------------
    def read_header(self) -> None:
        cells = self.sheet.rows[self.row - 1]
        self.width = len(cells)
        while self.width and is_blank(cells[self.width - 1]):
            self.width -= 1
        self.crit = next(
            j for j, c in enumerate(cells) if could_be_name(c) and name_key(c) in _ROW_HEADERS
        )
        try:
            self.names[self.crit] = parse_text(cells[self.crit], multiline=False)
        except CellError as e:  # a key header with a control character in it
            self.problems.error(e.code, e.message, **self.at(self.row, self.crit))
            self.names[self.crit] = CRITERION.name
        seen = Names("vendor name")
        for j in range(self.width):
            if j == self.crit:
                continue
            if is_blank(cells[j]):
                if j > self.crit:  # a gap between vendors (before it: a numbering)
                    self.blank.append(j)
                continue
            self._header_cell(j, cells[j], seen)
        self.stop_unless(check_vendor_count(len(self.vendors), self.sheet.name, self.problems))

    def _header_cell(self, j: int, raw: object, seen: Names) -> None:
        """One header other than the criterion column's: a note, a Criteria column, a
        computed column (a warning) or a vendor. A note is not a name: its length and
        characters do not matter."""
        if isinstance(raw, str) and _role(name_key(raw)) == "note":
            self._note(j, raw.strip())
            return
        try:
            text = parse_text(raw, max_length=MAX_NAME_LENGTH, multiline=False)
        except CellError as e:
            self.problems.error(e.code, e.message, **self.at(self.row, j))
            return
        self.names[j] = text
        role = _role(name_key(text))
        if role in ("criterion", "setting"):
            self._criteria_column(j, text, role)
        elif role == "computed":
            message = (
                f"column {show(text)} looks like {_computed_kind(text)}, not a vendor: "
                "it is ignored"
            )
            self.problems.warning(Code.MATRIX_COLUMN_IGNORED, message, **self.at(self.row, j))
        elif role == "vendor":
            self._vendor(j, text, seen)

    def _criteria_column(self, j: int, text: str, role: str) -> None:
        column = CRITERION if role == "criterion" else _SETTINGS[name_key(text)]
        first = self.crit if column is CRITERION else self.settings.get(column)
        where = self.at(self.row, j)
        if first is not None:
            message = (
                f"duplicate column {show(text)}: {column_letter(first)}{self.row} and "
                f"{column_letter(j)}{self.row} are both the {column.name} column; rename or "
                "delete one"
            )
            self.problems.error(Code.DUPLICATE_HEADER, message, **where)
        elif self.values_only:
            message = (
                f"the {CRITERIA.name} sheet gives the criteria, so this column is ignored: "
                "only the criteria's names and the vendors' values are read from this sheet"
            )
            self.problems.warning(Code.MATRIX_COLUMN_IGNORED, message, **where)
        else:
            self.settings[column] = j

    def _note(self, j: int, text: str) -> None:
        """A note column: ignored; kept to check for numbers below it (:meth:`check_notes`)
        unless a number is what it holds (a numbering, a maximum score)."""
        if name_key(text) not in _NUMBERED_NOTES:
            self.notes.append((j, text))

    def _vendor(self, j: int, name: str, seen: Names) -> None:
        first = seen.first(name)
        if first is not None:
            also = f"{column_letter(first.col or 0)}{self.row}"
            message = f"duplicate vendor name {show(name)} (also in {also})"
            self.problems.error(Code.DUPLICATE_VENDOR, message, **self.at(self.row, j))
        elif seen.add(name, self.row, j, self.problems, self.at(self.row, j)):
            self.vendors.append((j, name))

    # -- the rows below it ----------------------------------------------------------------
    def read_rows(self) -> None:
        """Criterion rows, headings and total rows; a warning per unlabelled column.

        A row with a heading's text and a weight but no values and no other Criteria cell,
        followed by a criterion row with values, is a section heading carrying the
        section's weight: an error (read as a criterion, it would be an empty one that
        takes a share of the weights); not followed by one, it is a criterion not scored
        yet."""
        heading: tuple[int, int] | None = None
        pending: tuple[_Criterion, int] | None = None  # such a row and its label's column
        unlabelled: dict[int, int] = {}
        vendor_cols = {j for j, _ in self.vendors}
        for i in range(self.row, len(self.sheet.rows)):
            row, r = self.sheet.rows[i], i + 1
            first = next((j for j, c in enumerate(row) if not is_blank(c)), None)
            if first is None:
                continue
            at = not is_blank(cell(row, self.crit))
            after = any(not is_blank(c) for c in row[self.crit + 1 :])
            label_col = self.crit if at or first > self.crit else first
            label = cell(row, label_col)
            kind = _summary_kind(label)
            if kind is not None:
                message = f"row {r} {show(label)} looks like {kind}, not a criterion: it is skipped"
                self.problems.warning(Code.TOTAL_ROW, message, **self.at(r, label_col))
                continue
            for j in [*self.blank, *range(self.width, len(row))]:
                if j not in unlabelled and not is_blank(cell(row, j)):
                    unlabelled[j] = r
            values = any(j in vendor_cols and not is_blank(c) for j, c in enumerate(row))
            if not values and self._is_heading(row, label, label_col):
                self._keep(pending)
                heading, pending = (r, label_col), None
                continue
            if not at and not after:
                continue  # a numbering without a criterion, or a heading of values only
            crit = _Criterion(r, heading=heading, has_values=values)
            if not values and self._has_section_weight(row, label, label_col):
                self._keep(pending)
                pending = (crit, label_col)
                continue
            if pending is not None and values:
                heading = crit.heading = self._section_weight(*pending)
            else:
                self._keep(pending)
            pending = None
            self.criteria.append(crit)
        self._keep(pending)
        for j, r in sorted(unlabelled.items()):
            message = "this column has data but no header; it is ignored"
            self.problems.warning(Code.UNLABELLED_COLUMN, message, **self.at(r, j))
        n, name = len(self.criteria), self.sheet.name
        self.stop_unless(check_criteria_count(n, name, self.problems))
        self.stop_unless(check_value_count(len(self.vendors), n, n, name, self.problems))

    def _is_heading(self, row: list[object], label: object, label_col: int) -> bool:
        """Whether a row without values is a section heading: a text with a letter and
        nothing else in the Criteria columns (notes and blank columns do not count)."""
        return (
            not self.values_only
            and _is_heading(label)
            and all(is_blank(cell(row, j)) for j in self.settings.values() if j != label_col)
        )

    def _has_section_weight(self, row: list[object], label: object, label_col: int) -> bool:
        """Whether a row without values has a heading's text and a weight, no other Criteria
        cell (a Category of its own makes it a criterion), and no values that could come
        from elsewhere (a Scores or Costs sheet)."""
        weight = self.settings.get(WEIGHT)
        if weight is None or is_blank(cell(row, weight)) or not _is_heading(label):
            return False
        others = (j for j in self.settings.values() if j not in (weight, label_col))
        return all(is_blank(cell(row, j)) for j in others) and not self.fed(str(label))

    def _section_weight(self, crit: _Criterion, label_col: int) -> tuple[int, int]:
        """A section heading with a weight (an error at its Weight cell), as the heading of
        the rows below it."""
        label = self.value(crit.row, label_col)
        message = (
            f"row {crit.row} {show(label)} has a weight but no values: a section's weight "
            f"belongs in a {CATEGORIES.name} sheet ({CATEGORY.name}, {WEIGHT.name}), its "
            "criteria's weights count within it"
        )
        self.problems.error(Code.MATRIX_LAYOUT, message, **self.at(crit.row, self.settings[WEIGHT]))
        return crit.row, label_col

    def _keep(self, pending: tuple[_Criterion, int] | None) -> None:
        """A row with a weight but no values that is not a section: a criterion."""
        if pending is not None:
            self.criteria.append(pending[0])

    def fed(self, name: str) -> bool:
        """Whether a criterion's values may come from another sheet: any from a Scores
        sheet, the total cost of ownership's from a Costs sheet."""
        return self.scores or (self.costs and name_key(name) == name_key(TCO_CRITERION))

    def check_notes(self) -> None:
        """A warning per note column that should hold text (Type, Owner, Acme notes) but
        holds a number in a criterion row: a vendor's scores under a header read as a note
        would otherwise be lost without a word."""
        for j, text in self.notes:
            if any(_is_number(self.value(c.row, j)) for c in self.criteria):
                message = (
                    f"column {show(text)} holds numbers, but its header reads as a note about "
                    "the criterion, not a vendor: it is ignored (rename it if it is a vendor)"
                )
                self.problems.warning(Code.MATRIX_COLUMN_IGNORED, message, **self.at(self.row, j))

    def read_merged(self) -> None:
        """Merged ranges: an error per range that spreads one vendor's value over other
        vendors or criteria (Excel keeps it in the first cell only; the others would read as
        missing), and the criterion rows a merged Category cell above them spans. Each range
        costs a bisection, whatever rows it claims, and the rows it spans."""
        rows = [c.row for c in self.criteria]
        cols = sorted(j for j, _ in self.vendors)
        vendor_cols, own = set(cols), self.settings.get(CATEGORY)
        for r0, c0, r1, c1 in dict.fromkeys(self.sheet.merged):
            k = bisect.bisect_left(rows, r0 + 1)
            if k == len(rows) or rows[k] != r0 + 1:
                continue  # does not start on a criterion row
            if c0 == own:
                for r in rows[k + 1 : bisect.bisect_right(rows, r1 + 1)]:
                    self.merged_down[r] = r0 + 1
            if c0 not in vendor_cols:
                continue  # not a value cell
            wide = bisect.bisect_right(cols, c1) - bisect.bisect_right(cols, c0) > 0
            tall = k + 1 < len(rows) and rows[k + 1] <= r1 + 1
            value = self.value(r0 + 1, c0)
            if (wide or tall) and not is_blank(value):
                first = f"{column_letter(c0)}{r0 + 1}"
                message = (
                    f"cells {first}:{column_letter(c1)}{r1 + 1} are merged: only {first} holds "
                    f"{show(value)}, the other cells read as empty; unmerge them and give each "
                    "vendor its own value"
                )
                self.problems.error(Code.MERGED_CELLS, message, **self.at(r0 + 1, c0))

    def criterion_names(self) -> None:
        """Each criterion's name; which ones get a Vendors column (the first of each name;
        with a Scores or Costs sheet, not a row without values, whose values may come from
        there). With values only, the names are checked here (else the Criteria sheet is)."""
        seen = Names("criterion")
        checked = self.problems if self.values_only else Problems()
        for c in self.criteria:
            where: Where = {**self.at(c.row, self.crit), "header": self.names[self.crit]}
            try:
                c.name = parse_text(
                    self.value(c.row, self.crit), max_length=MAX_NAME_LENGTH, multiline=False
                )
            except CellError as e:
                checked.error(e.code, e.message, **where)
                continue
            first = seen.first(c.name) if c.name else None
            if not c.name:
                checked.error(Code.EMPTY_NAME, "criterion name is empty", **where)
            elif first is not None:
                message = f"duplicate criterion {show(c.name)} (also in row {first.row})"
                checked.error(Code.DUPLICATE_CRITERION, message, **where)
            elif seen.add(c.name, c.row, self.crit, checked, where):
                c.column = c.has_values or not self.fed(c.name)

    # -- the sheets it stands for ---------------------------------------------------------
    def place(self, c: _Criterion) -> Place:
        """Where a criterion as a whole is: its row, named."""
        return Place(self.sheet.name, c.row, None, c.name or None)

    def criteria_sheet(self) -> RawSheet:
        """The Criteria sheet, each cell where it is in the matrix; Category (from a
        heading or ``General``) and Weight (1) in columns of their own when the matrix has
        none."""
        name, cm, settings = CRITERIA.name, self.cells, self.settings
        cat = settings.get(CATEGORY, self.width)
        weight = settings.get(WEIGHT, self.width + (CATEGORY not in settings))
        used = [self.crit, *settings.values()]
        header: list[object] = [None] * (max(cat, weight, *used) + 1)
        last = max((c.row for c in self.criteria), default=self.row)
        rows: list[list[object]] = [[] for _ in range(last)]
        for column, j in [(CRITERION, self.crit), *settings.items()]:
            header[j] = column.name
            where = Place(self.sheet.name, self.row, column_letter(j), self.names[j])
            cm.cell(name, self.row, column_letter(j), where)
            cm.column(name, column_letter(j), where)
        header[cat], header[weight] = CATEGORY.name, WEIGHT.name
        rows[self.row - 1] = header
        cm.row(name, self.row, Place(self.sheet.name, self.row))
        for c in self.criteria:
            src = self.sheet.rows[c.row - 1]
            out: list[object] = [None] * len(header)
            for j in used:
                out[j] = cell(src, j)
                cm.cell(name, c.row, column_letter(j), self._setting_place(c.row, j))
            value, source = self._category(c, cat)
            if source is not None:
                out[cat] = value
                cm.cell(name, c.row, column_letter(cat), source)
            if WEIGHT not in settings:
                out[weight] = 1
                cm.cell(name, c.row, column_letter(weight), self.place(c))
            cm.row(name, c.row, self.place(c))
            rows[c.row - 1] = out
        cm.sheet(name, Place(self.sheet.name))
        if WEIGHT not in settings:
            message = (
                f'no "{WEIGHT.name}" column: every criterion weighs the same (add a '
                f"{WEIGHT.name} column to weigh them)"
            )
            self.problems.warning(Code.MATRIX_EQUAL_WEIGHTS, message, **self.at(self.row))
        return RawSheet(name, rows)

    def _setting_place(self, row: int, col: int) -> Place:
        return Place(self.sheet.name, row, column_letter(col), self.names[col])

    def _category(self, c: _Criterion, cat: int) -> tuple[object, Place | None]:
        """The Category a criterion row gets and where it comes from, when not its own
        cell: a merged Category cell above it, its heading, or ``General``."""
        own = self.settings.get(CATEGORY)
        if own is not None and not is_blank(self.value(c.row, own)):
            return None, None
        if own is not None:
            first = self.merged_down.get(c.row)
            if first is not None:
                return self.value(first, own), self._setting_place(first, own)
        if c.heading is not None:
            r, j = c.heading
            return self.value(r, j), Place(self.sheet.name, r, column_letter(j))
        return (GENERAL, self.place(c)) if own is None else (None, None)

    def vendors_sheet(self) -> RawSheet:
        """The Vendors sheet: one row per vendor column, one column per criterion."""
        name, cm = VENDORS.name, self.cells
        crits = [c for c in self.criteria if c.column]
        rows: list[list[object]] = [[VENDOR.name, *(c.name for c in crits)]]
        cm.row(name, 1, Place(self.sheet.name, self.row))
        cm.cell(name, 1, "A", Place(self.sheet.name, self.row))
        for k, c in enumerate(crits, start=1):
            cm.cell(name, 1, column_letter(k), self.place(c))
            cm.column(name, column_letter(k), self.place(c))
            cm.criteria[column_letter(k)] = c
        for i, (j, vendor) in enumerate(self.vendors, start=2):
            rows.append([vendor, *(self.value(c.row, j) for c in crits)])
            where = Place(self.sheet.name, self.row, column_letter(j), vendor)
            cm.cell(name, i, "A", where)
            cm.row(name, i, where)
        cm.vendors = list(self.vendors)
        cm.sheet(name, Place(self.sheet.name))
        return RawSheet(name, rows)

    def build(self) -> RawBook:
        """The book the importer reads: the built sheets and the workbook's other known
        sheets (Categories, Scores, Settings, Costs; Criteria when it gives the criteria)."""
        self.read_header()
        self.read_rows()
        self.check_notes()
        self.read_merged()
        self.criterion_names()
        built = [self.vendors_sheet()]
        if not self.values_only:
            built.append(self.criteria_sheet())
        keep = [
            s
            for s in self.book.sheets
            if s is not self.sheet and name_key(s.name) in schema.KNOWN_SHEET_KEYS
        ]
        return RawBook(self.book.file_name, self.book.sha256, self.book.kind, built + keep)

    # -- its problems, at the matrix's cells ----------------------------------------------
    def moved(self, problems: Iterable[Problem]) -> list[Problem]:
        """The importer's problems at the matrix's cells (a look-alike name in the built
        Vendors sheet was reported here already, at its own cell)."""
        out = []
        for p in problems:
            built_vendors = p.sheet is not None and name_key(p.sheet) == _VENDORS_KEY
            if p.code == Code.CONFUSABLE_NAME and built_vendors:
                continue
            if p.code == Code.MIXED_CURRENCIES and built_vendors:
                p = replace(p, message=self._cells_named(p))
            if p.code in _REWORDED:
                old, new = _REWORDED[p.code]
                p = replace(
                    p,
                    message=p.message.replace(old, new.format(sheet=show_name(self.sheet.name)), 1),
                )
            out.append(self.cells.relocate(p))
        return out

    def _cells_named(self, p: Problem) -> str:
        """``p``'s message with each built cell it names (``E2``) as the matrix's cell."""

        def moved(m: re.Match[str]) -> str:
            found = self.cells.place_of(Problem("", p.sheet, int(m[2]), m[1]))
            return f"{found.column}{found.row}" if found and found.column and found.row else m[0]

        return _CELL_REF.sub(moved, p.message)


def _is_heading(label: object) -> bool:
    return isinstance(label, str) and could_be_name(label) and _LETTER.search(label) is not None


def _is_number(value: object) -> bool:
    """Whether a cell reads as a number (``3``, ``"85%"``; not yes/no, not text)."""
    try:
        return not math.isnan(parse_number(value))
    except CellError:
        return False


def _unique(problems: Iterable[Problem]) -> list[Problem]:
    """Each problem once (a heading's problem is found for every criterion below it)."""
    return list({(p, p.code): p for p in problems}.values())


def import_with_matrix(
    book: RawBook, run: Callable[[RawBook], Evaluation], *, criteria_file: bool = False
) -> Evaluation:
    """``run`` (the importer) on ``book``, or on the sheets built from its evaluation matrix.

    Parameters
    ----------
    run:
        Book → Evaluation, raising :class:`ValidationError` (the importer).
    criteria_file:
        Whether a separate criteria file gives the criteria: then, as with a Criteria
        sheet in ``book``, only the criteria's names and the values are read from the
        matrix.

    The Evaluation is the one the same data would give in the Vendors layout; its source
    is ``book``'s file. Every problem names the matrix's own cell.

    Raises
    ------
    ValidationError
        With every error, of the matrix and of the sheets built from it.
    """
    found = Problems()
    matrix = _find_matrix(book, found)
    if matrix is None:
        ev = run(book)
        ev.warnings = [*ev.warnings, *found.warnings]
        return ev
    values_only = criteria_file or find_sheet(book, CRITERIA.name) is not None
    reader = _Reader(book, *matrix, values_only)
    reader.problems.extend(found)
    built = reader.build()
    try:
        result = run(built)
    except ValidationError as e:
        found_too = reader.moved(e.problems)
        errors = _unique([*reader.problems.errors, *found_too])
        raise ValidationError(errors, book.file_name) from None
    if reader.problems.errors:
        raise ValidationError(_unique(reader.problems.errors), book.file_name)
    result.warnings = _unique([*reader.problems.warnings, *reader.moved(result.warnings)])
    return result
