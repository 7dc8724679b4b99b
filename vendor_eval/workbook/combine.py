"""One response file per vendor, combined into one evaluation (docs/workbook-format.md §14).

When each vendor fills in its own copy of a questionnaire, the files are read one by one
(safely, :func:`~vendor_eval.workbook.reading.book.read_book`) and :func:`combine_books`
builds from them the one vendor workbook the importer reads: each file's vendor becomes a
row of one Vendors sheet (in the order the files were given), the Criteria, Categories and
Settings sheets come from the one file that holds a Criteria sheet (else the default model
applies), and the Costs and Scores rows of every file are kept. The importer then applies
every rule unchanged; a :class:`CombinedCells` map, filled while the book is built, moves
each problem back to the file, sheet and cell it came from.

A file's vendor is its Vendors sheet's one row, or, without a Vendors sheet, a ``Vendor``
label cell on its first sheet with the name to its right or below: the rows under it are
then a questionnaire, one ``label | value`` pair per row. What only combining can get wrong
is a problem of its own, naming file, sheet and cell: the same vendor (or the same file) in
two files, a file with several vendors or none, two different Criteria sheets, files whose
columns differ, a vendor's Costs or Scores row for another vendor.

One file alone is read by the ordinary importer, unless it is such a questionnaire
(:func:`is_response_form`): that is one vendor's response file, read as one.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import math
import os
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from vendor_eval.core.costs import TCO_CRITERION
from vendor_eval.core.limits import EXCEL_MAX_COLUMNS, MAX_NAME_LENGTH, MAX_TITLE_ROWS
from vendor_eval.core.model import Consensus, Evaluation
from vendor_eval.core.problems import (
    Code,
    Problem,
    Problems,
    ValidationError,
    VendorEvalError,
    Where,
)
from vendor_eval.workbook.importing.cells import is_blank
from vendor_eval.workbook.importing.costs import read_cost_table
from vendor_eval.workbook.importing.decimal import point_text, with_convention
from vendor_eval.workbook.importing.load import Source, evaluation_from_book
from vendor_eval.workbook.importing.matrix import matrix_header_row
from vendor_eval.workbook.importing.messages import CellError, show
from vendor_eval.workbook.importing.relocate import CellMap, Place
from vendor_eval.workbook.importing.scores import read_score_rows
from vendor_eval.workbook.importing.sheets import check_scores_count, check_sheets, find_sheet
from vendor_eval.workbook.importing.table import Table, cell, could_be_name, read_table
from vendor_eval.workbook.importing.text import parse_text
from vendor_eval.workbook.importing.vendors import MATRIX_ROW_HEADERS, read_vendors
from vendor_eval.workbook.reading.book import display_name, read_book
from vendor_eval.workbook.reading.rawbook import FormulaWithoutValue, RawBook, RawSheet
from vendor_eval.workbook.reading.rawbook import column_letter as letter
from vendor_eval.workbook.schema import (
    CATEGORIES,
    CATEGORY,
    COST_VENDOR,
    COSTS,
    CRITERIA,
    CRITERION,
    KNOWN_SHEET_KEYS,
    SCORE_CRITERION,
    SCORE_VENDOR,
    SCORES,
    SETTINGS,
    VENDOR,
    VENDORS,
    WEIGHT,
    SheetLayout,
    name_key,
)

__all__ = [
    "CombinedCells",
    "CombinedValidationError",
    "combine_books",
    "combined_workbook",
    "combined_workbook_bytes",
    "is_response_form",
    "load_combined",
]

# A questionnaire's own header row (``Question | Answer``), skipped among its pairs: the
# labels that head an evaluation matrix's criteria column.
_HEADER_LABELS = MATRIX_ROW_HEADERS


class CombinedCells(CellMap):
    """A :class:`CellMap` that also knows the sheets copied whole from one file (same
    cells, that file's sheet name), and the warnings found while combining
    (:attr:`warnings`, which :func:`load_combined` puts first among the evaluation's)."""

    def __init__(self) -> None:
        super().__init__()
        self._copied: dict[str, Place] = {}
        self.warnings: list[Problem] = []

    def __len__(self) -> int:
        return super().__len__() + len(self._copied)

    def copied(self, sheet: str, place: Place) -> None:
        """Built sheet ``sheet`` is sheet ``place.sheet`` of ``place.file``, cell for cell."""
        self._copied[name_key(sheet)] = place

    def place_of(self, problem: Problem) -> Place | None:
        whole = self._copied.get(name_key(problem.sheet)) if problem.sheet else None
        if whole is not None:
            return replace(whole, row=problem.row, column=problem.column, header=problem.header)
        return super().place_of(problem)

    def relocate_error(self, error: ValidationError) -> ValidationError:
        """A :class:`CombinedValidationError` with every problem of ``error`` moved."""
        return CombinedValidationError(self.relocate_all(error.problems), error.file)


class CombinedValidationError(ValidationError):
    """A :class:`ValidationError` about several files: each line names its file."""

    def summary(self, show: Callable[[object], str] = str) -> str:
        n = len(self.problems)
        lines = [f"{show(self.file)}: " if self.file else ""]
        lines[0] += f"{n} problem{'s' if n != 1 else ''} found"
        for p in self.problems:
            named = p.file and (p.sheet or not p.message.startswith(p.file))
            lines.append(f"  {show(p.file)}: {show(p)}" if named else f"  {show(p)}")
        return "\n".join(lines)


@dataclass(frozen=True)
class _Answer:
    """One column of a vendor's response: its header (a table's header, a questionnaire's
    label) with where it is, and the vendor's cell."""

    header: str
    header_at: Place
    column_at: Place
    value: object
    value_at: Place


@dataclass
class _Response:
    """One file's vendor: the name (``None`` when unreadable) as parsed and as written,
    where it is, and its answers by name key in sheet order."""

    file: str
    name: str | None
    name_cell: object
    name_at: Place
    label_at: Place  # the Vendor header or label cell
    head_at: Place  # the header row (a table) or the sheet (a questionnaire)
    row_at: Place  # a problem about the vendor's row as a whole
    answers: dict[str, _Answer] = field(default_factory=dict)


@dataclass
class _Part:
    """A Costs or Scores table of one file, and the warnings its reading gave."""

    file: str
    sheet: RawSheet
    table: Table
    warnings: list[Problem]


# -- the public functions ----------------------------------------------------------------
def combine_books(books: Sequence[RawBook]) -> tuple[RawBook, CellMap]:
    """The one vendor workbook built from several response files (docs/workbook-format.md §14).

    Returns
    -------
    (RawBook, CellMap)
        The built book, for :func:`~vendor_eval.workbook.importing.load.evaluation_from_book`,
        and the map (a :class:`CombinedCells`, with the combining's warnings) that moves
        every problem found in it back to its file, sheet and cell.

    Raises
    ------
    CombinedValidationError
        Every conflict between the files, and the problems that stop a file from being
        read as a response (its vendor's name, a Costs sheet without an Amount column…).
    """
    return _combine(books)


def is_response_form(book: RawBook) -> bool:
    """Whether ``book`` is one vendor's questionnaire (docs/workbook-format.md §14.1): no
    Vendors sheet, and its first sheet (not Criteria, Costs…) has a ``Vendor`` label cell
    with the vendor's name beside or below it. Such a file, given alone, is read as a
    response file (one vendor), not by the ordinary importer (which would take its
    ``Question | Answer`` rows for a table)."""
    if find_sheet(book, VENDORS.name) is not None:
        return False
    first = _first_sheet(book)
    at = _vendor_label(first) if first is not None else None
    if first is None or at is None:
        return False
    name_at = _form_name_cell(first, at)
    if name_at is None:
        return False
    i, (ni, nj) = at[0], name_at
    if is_blank(_at(first, ni, nj)):  # none beside the label but answers below: reported
        return ni == i
    if ni == i and len(book.sheets) == 1:  # alone, `Vendor | Price` may be a two-column table
        return _says_form(first, at)
    return True


def _says_form(sheet: RawSheet, label: tuple[int, int]) -> bool:
    """Whether the label reads as a questionnaire's, not a table's header: a trailing
    colon (``Supplier name:``), or a ``Question | Answer`` row in the next few rows."""
    i, j = label
    if str(sheet.rows[i][j]).strip().endswith(":"):
        return True
    seen = 0
    for row in sheet.rows[i + 1 :]:
        if all(is_blank(v) for v in row):
            continue
        value = cell(row, j)
        if could_be_name(value) and name_key(_label(str(value))) in _HEADER_LABELS:
            return True
        seen += 1
        if seen > MAX_TITLE_ROWS:
            break
    return False


def load_combined(
    sources: Sequence[Source],
    names: Sequence[str | None] | None = None,
    *,
    criteria: Source | None = None,
    consensus: str | Consensus = "mean",
    decimal: str = "auto",
) -> Evaluation:
    """Read several response files (and an optional criteria file) as one evaluation.

    Parameters
    ----------
    sources:
        Paths, bytes or binary file objects (uploads), in the order the vendors are listed.
        One source is read exactly as :func:`~vendor_eval.workbook.importing.load.load_evaluation`
        reads it, unless it is a questionnaire (:func:`is_response_form`): that is one
        vendor's response file, read as such.
    names:
        File names for messages, one per source (``None``: the path's name).
    criteria:
        A separate Criteria table (.csv or .xlsx), used as a pure criteria file.
    consensus:
        ``"mean"`` or ``"median"``: how several evaluators' Scores are combined.
    decimal:
        ``"auto"``, ``"comma"`` or ``"point"``: how each CSV file writes decimals, decided
        per file (:mod:`vendor_eval.workbook.importing.decimal`).

    Raises
    ------
    ValidationError
        Listing every problem, each naming its file, sheet and cell (several files: a
        :class:`CombinedValidationError`).
    """
    given = _names(sources, names)
    if len(sources) == 1:
        return _load_one(sources[0], given[0], criteria, consensus, decimal)
    return _evaluate(_read_books(sources, given, criteria, decimal), consensus)[1]


def _load_one(
    source: Source,
    name: str | None,
    criteria: Source | None,
    consensus: str | Consensus,
    decimal: str = "auto",
) -> Evaluation:
    """One file as :func:`~vendor_eval.workbook.importing.load.load_evaluation` reads it
    (its errors as they are), or, a questionnaire, as a response file."""
    book = read_book(source, name)
    if is_response_form(book):
        books = [with_convention(book, decimal)]
        if criteria is not None:
            failed: list[Problem] = []
            cbook = with_convention(read_book(criteria, kind_hint="criteria"), decimal)
            books.append(_criteria_file(cbook, failed))
            if failed:
                raise CombinedValidationError(failed, book.file_name)
        return _evaluate(books, consensus)[1]
    criteria_book = read_book(criteria, kind_hint="criteria") if criteria is not None else None
    return evaluation_from_book(book, criteria_book, consensus, decimal=decimal)


def combined_workbook(
    sources: Sequence[Source], names: Sequence[str | None] | None = None, decimal: str = "auto"
) -> tuple[bytes, Evaluation]:
    """The combined vendor workbook as .xlsx bytes, and the evaluation it holds.

    Every file is read as a response file (also a single one). The workbook has the
    built sheets (Vendors; Criteria, Categories, Settings, Costs and Scores when given) with
    the cells as read, so :func:`~vendor_eval.workbook.importing.load.load_evaluation`
    reads it back to the same evaluation. Text is always a text cell, never a formula; a
    number in a CSV file read with decimal commas (``decimal``, as :func:`load_combined`)
    is written with a decimal point.

    Raises
    ------
    ValidationError
        As :func:`load_combined`: nothing is written from invalid files.
    """
    book, ev = _evaluate(_read_books(sources, _names(sources, names), None, decimal), "mean")
    return _xlsx(book), ev


def combined_workbook_bytes(
    sources: Sequence[Source], names: Sequence[str | None] | None = None
) -> bytes:
    """The combined vendor workbook's .xlsx bytes (:func:`combined_workbook`)."""
    return combined_workbook(sources, names)[0]


# -- reading and importing ---------------------------------------------------------------
def _names(sources: Sequence[Source], names: Sequence[str | None] | None) -> list[str | None]:
    """One name per source, each told apart in messages: two paths of one file name
    (``a/offer.xlsx``, ``b/offer.xlsx``) are named by their paths, and a name still given
    twice (uploads of one name) is numbered in order: ``Questionnaire.xlsx``,
    ``Questionnaire.xlsx (2)``, ``Questionnaire.xlsx (3)``…"""
    if not sources:
        raise VendorEvalError("no files given: give at least one workbook")
    given: list[str | None] = list(names) if names is not None else [None] * len(sources)
    if len(given) != len(sources):
        raise ValueError(f"{len(sources)} sources but {len(given)} names")
    shown = [display_name(s, n) for s, n in zip(sources, given, strict=True)]
    counts = Counter(shown)
    for i, s in enumerate(sources):
        if given[i] is None and counts[shown[i]] > 1 and isinstance(s, str | os.PathLike):
            given[i] = shown[i] = os.fspath(s)
    counts, taken, seen = Counter(shown), set(shown), Counter[str]()
    for i, name in enumerate(shown):
        seen[name] += 1
        if counts[name] > 1 and seen[name] > 1:
            k = seen[name]
            while f"{name} ({k})" in taken:
                k += 1
            given[i] = numbered = f"{name} ({k})"
            taken.add(numbered)
    return given


def _read_books(
    sources: Sequence[Source],
    names: Sequence[str | None],
    criteria: Source | None,
    decimal: str = "auto",
) -> list[RawBook]:
    """Every file read safely, its number convention decided; a file that cannot be read
    does not hide the others'."""
    books: list[RawBook] = []
    failed: list[Problem] = []
    for source, name in zip(sources, names, strict=True):
        try:
            books.append(with_convention(read_book(source, name), decimal))
        except ValidationError as e:
            failed += e.problems
    if criteria is not None:
        try:
            cbook = with_convention(read_book(criteria, kind_hint="criteria"), decimal)
            books.append(_criteria_file(cbook, failed))
        except ValidationError as e:
            failed += e.problems
    if failed:
        shown = [display_name(s, n) for s, n in zip(sources, names, strict=True)]
        raise CombinedValidationError(failed, _combined_name(shown))
    return books


def _criteria_file(book: RawBook, failed: list[Problem]) -> RawBook:
    """A separate criteria file as a pure criteria file: its Criteria sheet, or its only
    sheet under that name (as docs/workbook-format.md §3.5 reads it)."""
    if find_sheet(book, CRITERIA.name) is None:
        if len(book.sheets) != 1:
            message = f'no "{CRITERIA.name}" sheet in the criteria file'
            failed.append(Problem(message, file=book.file_name, code=Code.MISSING_SHEET))
            return book
        only = book.sheets[0]
        book = replace(book, sheets=[RawSheet(CRITERIA.name, only.rows, only.merged)])
    return book


def _evaluate(books: Sequence[RawBook], consensus: str | Consensus) -> tuple[RawBook, Evaluation]:
    """The combined book and its evaluation, every problem and warning at its own cell."""
    book, cells = _combine(books)
    try:
        ev = evaluation_from_book(book, None, consensus)
    except ValidationError as e:
        problems = [_NO_CRITERIA if _no_criteria(p) else p for p in e.problems]
        raise cells.relocate_error(ValidationError(problems, e.file)) from None
    ev.warnings = [*cells.warnings, *cells.relocate_all(ev.warnings)]
    return book, ev


_NO_CRITERIA = Problem(
    "no criteria: no column or label of the files is one of the built-in model's criteria; "
    f"add a criteria file (a file with a {CRITERIA.name} sheet), or use the template's "
    "column names",
    code=Code.NO_CRITERIA,
)


def _no_criteria(problem: Problem) -> bool:
    """The importer's "no criteria" about the combined Vendors sheet: a problem of the
    files together (no criteria file, no default column), not of the first file's sheet."""
    return problem.code == Code.NO_CRITERIA and name_key(problem.sheet or "") == name_key(
        VENDORS.name
    )


# -- combining -----------------------------------------------------------------------------
def _combine(books: Sequence[RawBook]) -> tuple[RawBook, CombinedCells]:
    if not books:
        raise VendorEvalError("no files given: give at least one workbook")
    problems, cells = Problems(), CombinedCells()
    name = _combined_name([b.file_name for b in books])
    books = _given_once([_criteria_csv(b) for b in books], problems)
    books = [b for b in books if check_sheets(b, problems.in_file(b.file_name))]
    model = _model(books, problems)
    # a criteria file, and a file of the panel's Scores, need not hold a vendor
    optional = [any(find_sheet(b, s.name) for s in (CRITERIA, SCORES)) for b in books]
    responses_of = [_response(b, o, problems) for b, o in zip(books, optional, strict=True)]
    responses = [r for r in responses_of if r is not None]
    # the criteria file speaks for the panel, whatever vendor it holds too
    owners = [
        None if find_sheet(b, CRITERIA.name) else r
        for b, r in zip(books, responses_of, strict=True)
    ]
    costs = _parts(books, owners, COSTS, problems)
    scores = _parts(books, owners, SCORES, problems)
    _same_vendor(responses, problems)
    _too_wide(responses, problems)
    _columns(responses, _needed(model, costs, scores), model, problems)
    _ignored_sheets(books, model, problems)
    if not responses and not problems.errors:
        problems.error(Code.NO_VENDORS, "none of the files holds a vendor")
    if problems.errors:
        raise CombinedValidationError(problems.errors, name)
    sheets = [_vendors_sheet(responses, cells)]
    if model is not None:
        sheets += _model_sheets(model, cells)
    sheets += [s for s in (_stacked(COSTS, costs, cells), _stacked(SCORES, scores, cells)) if s]
    # a sheet copied whole is read again, so its warnings are found again; stacked rows are not
    stacked = [p for parts in (costs, scores) if len(parts) > 1 for p in parts]
    cells.warnings = [*problems.warnings, *(w for p in stacked for w in p.warnings)]
    sha = hashlib.sha256("\n".join(b.sha256 for b in books).encode()).hexdigest()
    return RawBook(name, sha, "xlsx", sheets), cells


def _given_once(books: list[RawBook], problems: Problems) -> list[RawBook]:
    """The books without a second copy of one file (the same SHA-256: uploaded or named
    twice), each copy an error of its own rather than its vendor being "in two files"."""
    first: dict[str, int] = {}
    once: list[RawBook] = []
    for i, book in enumerate(books, start=1):
        seen = first.setdefault(book.sha256, i) if book.sha256 else i
        if seen == i:
            once.append(book)
            continue
        message = f"this file is given twice (also as file {seen}): give each file once"
        problems.error(Code.VENDOR_IN_TWO_FILES, message, file=book.file_name)
    return once


def _combined_name(files: Sequence[str]) -> str:
    """The combined book's name: ``a.xlsx``, ``a.xlsx and b.xlsx``, ``a.xlsx, b.xlsx,
    c.xlsx and 2 more files``."""
    return _listing(list(files), "file") if files else "combined files"


def _listing(items: Sequence[str], noun: str, limit: int = 3, total: int | None = None) -> str:
    """``a``, ``a and b``, ``a, b and c``, ``a, b, c and 2 more files`` (``total``: how
    many there are, when ``items`` holds only the first ``limit`` + 1)."""
    total = len(items) if total is None else total
    if total > limit + 1:
        rest = total - limit
        items = [*items[:limit], f"{rest} more {noun}s"]
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _where(place: Place) -> Where:
    return {
        "sheet": place.sheet,
        "row": place.row,
        "column": place.column,
        "header": place.header,
        "file": place.file,
    }


def _ref(place: Place) -> str:
    """``Vendors!A2``."""
    return f"{place.sheet}!{place.column or ''}{place.row or ''}"


def _criteria_csv(book: RawBook) -> RawBook:
    """A CSV file holding a Criteria table (its header row has Criterion, Category and
    Weight, and no Vendor) is a criteria file: its one sheet is named Criteria."""
    if book.kind != "csv" or len(book.sheets) != 1:
        return book
    sheet = book.sheets[0]
    first = next((r for r in sheet.rows if not all(is_blank(v) for v in r)), [])
    keys = {name_key(v) for v in first if could_be_name(v)}
    wanted = (CRITERION, CATEGORY, WEIGHT)
    if all(keys & c.keys for c in wanted) and not keys & VENDOR.keys:
        return replace(book, sheets=[RawSheet(CRITERIA.name, sheet.rows, sheet.merged)])
    return book


def _content(sheet: RawSheet | None) -> list[tuple[object, ...]]:
    """A sheet's non-blank rows, blank cells as ``None`` and trailing ones dropped: what
    two copies of a sheet are compared by."""
    out: list[tuple[object, ...]] = []
    for row in sheet.rows if sheet is not None else ():
        cells = [None if is_blank(v) else v for v in row]
        while cells and cells[-1] is None:
            cells.pop()
        if cells:
            out.append(tuple(cells))
    return out


def _model(books: Sequence[RawBook], problems: Problems) -> RawBook | None:
    """The file whose Criteria (Categories, Settings) sheets apply: the one that holds a
    Criteria sheet. Another file's different Criteria sheet is an error."""
    holding = [b for b in books if find_sheet(b, CRITERIA.name) is not None]
    if not holding:
        return None
    model = holding[0]
    first = _content(find_sheet(model, CRITERIA.name))
    for other in holding[1:]:
        sheet = find_sheet(other, CRITERIA.name)
        assert sheet is not None
        if _content(sheet) != first:
            message = (
                f"this file's {CRITERIA.name} sheet differs from the one in "
                f"{model.file_name}: when files are combined, the criteria come from one "
                f"file; keep the {CRITERIA.name} sheet in one of them only (or make them "
                "the same)"
            )
            problems.error(
                Code.CRITERIA_IN_TWO_FILES, message, sheet=sheet.name, file=other.file_name
            )
    return model


def _ignored_sheets(books: Sequence[RawBook], model: RawBook | None, problems: Problems) -> None:
    """A Categories or Settings sheet of another file than the model's is ignored: a
    warning, unless it is the same as the model's."""
    for book in books:
        if book is model:
            continue
        for layout in (CATEGORIES, SETTINGS):
            sheet = find_sheet(book, layout.name)
            used = find_sheet(model, layout.name) if model is not None else None
            if sheet is None or _content(sheet) == _content(used):
                continue
            source = (
                f"the file that holds the {CRITERIA.name} sheet ({model.file_name})"
                if model is not None
                else f"the file that holds a {CRITERIA.name} sheet, and none does"
            )
            message = (
                f"the {layout.name} sheet is ignored: when files are combined, the "
                f"{CATEGORIES.name} and {SETTINGS.name} sheets come from {source}"
            )
            problems.warning(Code.IGNORED_SHEET, message, sheet=sheet.name, file=book.file_name)


# -- each file's vendor -------------------------------------------------------------------
def _response(book: RawBook, optional: bool, problems: Problems) -> _Response | None:
    """The file's vendor (``optional``: the criteria file may hold none), or ``None``
    after reporting why there is none."""
    found = problems.in_file(book.file_name)
    sheet = find_sheet(book, VENDORS.name)
    if sheet is not None:
        return _from_table(book, sheet, found, optional)
    first = _first_sheet(book)
    at = _vendor_label(first) if first is not None else None
    if first is None or at is None:
        if not optional:
            _no_vendor(first, found)
        return None
    name_at = _form_name_cell(first, at)
    if name_at is None:
        return _from_table(book, first, found, optional)  # a header row: a one-row table
    return _from_form(book.file_name, first, at, name_at, found)


def _first_sheet(book: RawBook) -> RawSheet | None:
    """The sheet searched for a Vendor label cell: the first not named as a known sheet."""
    return next((s for s in book.sheets if name_key(s.name) not in KNOWN_SHEET_KEYS), None)


def _at(sheet: RawSheet, i: int, j: int) -> object:
    """The cell at 0-based (row, column), ``None`` past the sheet's rows."""
    return cell(sheet.rows[i], j) if i < len(sheet.rows) else None


def _form_name_cell(sheet: RawSheet, label: tuple[int, int]) -> tuple[int, int] | None:
    """The 0-based cell of a questionnaire's vendor name: the one beside the ``Vendor``
    label (the only cell beside it), else the one below it; ``None`` when the label's row
    holds more cells (a table's header row). Beside the label an empty cell, with a
    ``label | value`` answer in the row below, is the name left empty (not that label)."""
    i, j = label
    beside = [k for k, v in enumerate(sheet.rows[i]) if k != j and not is_blank(v)]
    if beside:
        return (i, j + 1) if beside == [j + 1] else None
    if i + 1 < len(sheet.rows):
        below = [k for k, v in enumerate(sheet.rows[i + 1]) if not is_blank(v)]
        if below == [j, j + 1]:
            return i, j + 1
    return i + 1, j


def _label(text: str) -> str:
    """A questionnaire label as meant: ``Vendor name:`` is ``Vendor name``."""
    return text.strip().removesuffix(":").rstrip()


def _vendor_label(sheet: RawSheet) -> tuple[int, int] | None:
    """The 0-based (row, column) of the first ``Vendor`` label cell in the sheet's first
    :data:`MAX_TITLE_ROWS` + 1 non-blank rows."""
    seen = 0
    for i, row in enumerate(sheet.rows):
        if all(is_blank(v) for v in row):
            continue
        for j, v in enumerate(row):
            if could_be_name(v) and isinstance(v, str) and VENDOR.matches(_label(v)):
                return i, j
        seen += 1
        if seen > MAX_TITLE_ROWS:
            break
    return None


_MATRIX_HERE = (
    "this sheet looks like an evaluation matrix (criteria as rows, vendors as columns): "
    "import it on its own, not combined with response files"
)


def _no_vendor(sheet: RawSheet | None, found: Problems) -> None:
    if sheet is not None and matrix_header_row(sheet.rows) is not None:
        message = _MATRIX_HERE
    elif sheet is None:
        message = (
            f"no vendor in this file: it has no {VENDORS.name} sheet, and no other sheet "
            f'that could hold a "{VENDOR.name}" cell'
        )
    else:
        message = (
            f'no vendor in this file: it has no {VENDORS.name} sheet, and this sheet has no "'
            f"{VENDOR.name}\" cell with the vendor's name to its right or below (in its "
            f"first {MAX_TITLE_ROWS + 1} rows)"
        )
    found.error(Code.NO_VENDOR_IN_FILE, message, sheet=sheet.name if sheet else None)


def _name(value: object, at: Place, found: Problems) -> str | None:
    """A vendor name cell read as the importer reads it, or ``None`` (reported)."""
    try:
        name = parse_text(value, max_length=MAX_NAME_LENGTH, multiline=False)
    except CellError as e:
        found.error(e.code, e.message, **_where(at))
        return None
    if not name_key(name):
        found.error(Code.EMPTY_NAME, "vendor name is empty", **_where(at))
        return None
    return name


def _from_table(
    book: RawBook, sheet: RawSheet, found: Problems, optional: bool
) -> _Response | None:
    """The vendor of a Vendors table (exactly one row), read as the importer reads it; a
    sheet laid out as an evaluation matrix holds no one vendor (said so)."""
    if matrix_header_row(sheet.rows) is not None:
        found.error(Code.NO_VENDOR_IN_FILE, _MATRIX_HERE, sheet=sheet.name)
        return None
    scratch = Problems()
    vendors = read_vendors(RawBook(book.file_name, book.sha256, book.kind, [sheet]), scratch)
    tolerated = {Code.NO_VENDORS, Code.EMPTY_SHEET} if optional else set()
    found.extend(p for p in scratch if p.code not in tolerated)
    table, col = vendors.table, vendors.col
    if table is None or col is None or table.header_row is None or not table.rows:
        return None
    file = book.file_name

    def at(r: int | None, j: int | None) -> Place:
        return Place(sheet.name, r, None if j is None else letter(j), table.header(j), file)

    for w in vendors.weights_rows:
        message = f"row {w.row} {show(w.name)} is ignored: combined files take no weights row"
        found.warning(Code.IGNORED_WEIGHTS_ROW, message, **_where(at(w.row, col)))
    if len(table.rows) > 1:
        rows = [str(r) for r, _ in table.rows]
        message = (
            f"this file holds {len(rows)} vendors (rows {_listing(rows, 'row', 8)}): a "
            "response file holds one vendor; give each vendor a file of its own, or "
            "import this workbook on its own"
        )
        found.error(Code.SEVERAL_VENDORS, message, **_where(at(table.rows[1][0], col)))
        return None
    r, row = table.rows[0]
    answers = {
        name_key(h): _Answer(h, at(table.header_row, j), at(None, j), cell(row, j), at(r, j))
        for j, h in table.columns()
        if j != col
    }
    name = vendors.rows[0][0] if vendors.rows else None
    head = Place(sheet.name, table.header_row, file=file)
    row_at = Place(sheet.name, r, file=file)
    return _Response(
        file, name, cell(row, col), at(r, col), at(table.header_row, col), head, row_at, answers
    )


def _from_form(
    file: str,
    sheet: RawSheet,
    label: tuple[int, int],
    name_cell: tuple[int, int],
    found: Problems,
) -> _Response | None:
    """The vendor of a questionnaire: the name beside or below the ``Vendor`` label, then
    one ``label | value`` pair per row below it, in the label's column and the next."""
    rows, (i, j), (ni, nj) = sheet.rows, label, name_cell
    vendor_label = _label(str(rows[i][j]))

    def at(r: int, c: int, header: str | None) -> Place:
        return Place(sheet.name, r + 1, letter(c), header, file)

    name_at = at(ni, nj, vendor_label)
    value = _at(sheet, ni, nj)
    name = _name(value, name_at, found)
    answers: dict[str, _Answer] = {}
    more = [name_at]
    for r in range(max(i, ni) + 1, len(rows)):
        text = _pair_label(rows[r], r, j, at, found)
        key = name_key(text)
        if not key or key in _HEADER_LABELS:
            continue
        here = at(r, j, text)
        if key in VENDOR.keys:
            more.append(at(r, j + 1, text))
        elif key in answers:
            message = (
                f"duplicate label {show(text)}: {_ref(answers[key].header_at)} and "
                f"{_ref(here)} hold the same label; rename or delete one"
            )
            found.error(Code.DUPLICATE_HEADER, message, **_where(here))
        else:
            answers[key] = _Answer(text, here, here, cell(rows[r], j + 1), at(r, j + 1, text))
    if len(more) > 1:
        cells = _listing([f"{p.column}{p.row}" for p in more], "cell", 8)
        message = (
            f"this sheet names {len(more)} vendors ({cells}): a response file holds one "
            "vendor; give each vendor a file of its own"
        )
        found.error(Code.SEVERAL_VENDORS, message, **_where(more[1]))
        return None
    head = Place(sheet.name, file=file)
    return _Response(file, name, value, name_at, at(i, j, vendor_label), head, name_at, answers)


def _pair_label(
    row: list[object], r: int, j: int, at: Callable[[int, int, str | None], Place], found: Problems
) -> str:
    """A questionnaire row's label as text (``""`` when blank or unreadable: reported)."""
    raw = cell(row, j)
    if is_blank(raw):
        return ""
    try:
        return _label(parse_text(raw, max_length=MAX_NAME_LENGTH, multiline=False))
    except CellError as e:
        found.error(e.code, e.message, **_where(at(r, j, None)))
        return ""


# -- conflicts between the files -----------------------------------------------------------
def _same_vendor(responses: Sequence[_Response], problems: Problems) -> None:
    """The same vendor (by name key) in two files: an error at the second, naming the first."""
    first: dict[str, _Response] = {}
    for r in responses:
        if r.name is None:
            continue
        seen = first.setdefault(name_key(r.name), r)
        if seen is not r:
            message = (
                f"vendor {show(r.name)} is also in {seen.file} ({_ref(seen.name_at)}): "
                "each vendor's response belongs in one file; delete one of the two"
            )
            problems.error(Code.VENDOR_IN_TWO_FILES, message, **_where(r.name_at))


def _too_wide(responses: Sequence[_Response], problems: Problems) -> None:
    """More columns in the combined Vendors sheet (the name, then every label of any file)
    than an Excel sheet holds: an error at the file that brings the most labels, naming
    the others that bring many, since the combined sheet is in no file."""
    width = 1 + len({k for r in responses for k in r.answers})
    if width <= EXCEL_MAX_COLUMNS:
        return
    most = sorted(responses, key=lambda r: -len(r.answers))
    others = [f"{r.file} {len(r.answers):,}" for r in most[1:4]]
    also = f"; {', '.join(others)}" if others else ""
    message = (
        f"together the files' labels make {width:,} columns of the combined "
        f"{VENDORS.name} sheet; an Excel sheet holds at most {EXCEL_MAX_COLUMNS:,}, so the "
        f"results could not be exported: delete the questions you do not need (this file "
        f"brings {len(most[0].answers):,}{also})"
    )
    problems.error(Code.SHEET_TOO_LARGE, message, **_where(most[0].head_at))


def _needed(model: RawBook | None, costs: list[_Part], scores: list[_Part]) -> set[str] | None:
    """With a criteria file: the criteria (name keys) whose values come from a Vendors
    column (not from Scores rows, nor the TCO from Costs). ``None`` without one."""
    if model is None:
        return None
    sheet = find_sheet(model, CRITERIA.name)
    assert sheet is not None
    table = read_table(sheet, Problems(), CRITERIA.marks)
    j = table.col(CRITERION)
    keys = {name_key(v) for _, row in table.rows if could_be_name(v := cell(row, j))}
    for part in scores:
        k = part.table.col(SCORE_CRITERION)
        keys -= {name_key(v) for _, row in part.table.rows if could_be_name(v := cell(row, k))}
    if costs:
        keys.discard(name_key(TCO_CRITERION))
    return keys - {""}


def _columns(
    responses: Sequence[_Response],
    needed: set[str] | None,
    model: RawBook | None,
    problems: Problems,
) -> None:
    """Files whose columns differ. With a criteria file (``needed``), a file without a
    criterion's column that another file has; without one, the files must agree: a column
    at least half the files have is missing from the others, one fewer have is extra in
    those. A column without a value in any file does not count. Each column's files are
    gathered once, so the work grows with the answers, not with files × columns."""
    n = len(responses)
    holders: dict[str, list[_Response]] = {}
    for r in responses:
        for k in r.answers:
            holders.setdefault(k, []).append(r)
    # a column no file has a value in (a questionnaire's section heading) is no conflict
    disputed = [
        k
        for k, hs in holders.items()
        if len(hs) < n and not all(is_blank(h.answers[k].value) for h in hs)
    ]
    if needed is not None:
        disputed = [k for k in disputed if k in needed]
        lackable, extras = disputed, set[str]()
    else:
        lackable = [k for k in disputed if 2 * len(holders[k]) >= n]
        extras = {k for k in disputed if 2 * len(holders[k]) < n}
    groups = _Groups(holders)
    others_of: dict[tuple[str, ...], tuple[list[str], int]] = {}
    for r in responses:
        lacks = [k for k in lackable if k not in r.answers]
        _lacking(r, lacks, groups, model, problems)
        extra = tuple(k for k in r.answers if k in extras)
        if extra:
            if extra not in others_of:
                others_of[extra] = _without(responses, {id(h) for k in extra for h in holders[k]})
            others, count = others_of[extra]
            message = (
                f"this file has the {_column_names(extra, holders)} that "
                f"{_listing(others, 'file', total=count)} {'do' if count > 1 else 'does'} "
                f"not have: {_AGREE}"
            )
            first = r.answers[extra[0]].header_at
            problems.error(Code.DIFFERENT_COLUMNS, message, **_where(first))


def _without(responses: Sequence[_Response], have: set[int]) -> tuple[list[str], int]:
    """The first four files not among ``have`` (ids), and how many there are: as much as a
    message lists, found without a pass over every file for every file."""
    first: list[str] = []
    for r in responses:
        if len(first) == 4:
            break
        if id(r) not in have:
            first.append(r.file)
    return first, len(responses) - len(have)


class _Groups:
    """The files holding each column, as a list per column and a group number shared by
    the columns the same files hold (made once per column, used by every file)."""

    def __init__(self, holders: dict[str, list[_Response]]) -> None:
        self.holders = holders
        self._group: dict[str, int] = {}
        self._numbers: dict[tuple[int, ...], int] = {}
        self.files: list[list[str]] = []

    def of(self, key: str) -> int:
        if key not in self._group:
            hs = self.holders[key]
            number = self._numbers.setdefault(tuple(id(h) for h in hs), len(self.files))
            if number == len(self.files):
                self.files.append([h.file for h in hs])
            self._group[key] = number
        return self._group[key]


_AGREE = (
    "the response files must have the same columns (or one file's Criteria sheet lists the "
    "criteria: any other column is then descriptive)"
)


def _column_names(keys: Sequence[str], holders: dict[str, list[_Response]]) -> str:
    """``column "A"``, ``columns "A" and "B"`` (as the first file holding each writes it;
    past the first few, only their number)."""
    shown = [show(holders[k][0].answers[k].header) for k in keys[:9]]
    shown += [""] * (len(keys) - len(shown))
    return f"column{'s' if len(shown) > 1 else ''} {_listing(shown, 'column', 8)}"


def _lacking(
    r: _Response,
    lacks: list[str],
    groups: _Groups,
    model: RawBook | None,
    problems: Problems,
) -> None:
    """One error per group of the columns ``r`` lacks that the same files have."""
    by_group: dict[int, list[str]] = {}
    for k in lacks:
        by_group.setdefault(groups.of(k), []).append(k)
    for number, keys in by_group.items():
        files = groups.files[number]
        have = "have" if len(files) > 1 else "has"
        why = (
            f"{'they are criteria' if len(keys) > 1 else 'it is a criterion'} of "
            f"{model.file_name}'s {CRITERIA.name} sheet, so every response file needs "
            f"{'them' if len(keys) > 1 else 'it'}"
            if model is not None
            else _AGREE
        )
        message = (
            f"this file lacks the {_column_names(keys, groups.holders)} that "
            f"{_listing(files, 'file')} {have}: {why}"
        )
        problems.error(Code.DIFFERENT_COLUMNS, message, **_where(r.head_at))


# -- Costs and Scores ----------------------------------------------------------------------
def _parts(
    books: Sequence[RawBook],
    owners: Sequence[_Response | None],
    layout: SheetLayout,
    problems: Problems,
) -> list[_Part]:
    """Each file's Costs (or Scores) table that holds rows, read as the importer reads
    it; its errors are the combining's, its warnings kept for when it is stacked. In a
    vendor's response file (``owner``: its vendor; ``None`` for the criteria file and a
    file without a vendor), a row naming another vendor is an error."""
    parts: list[_Part] = []
    for book, owner in zip(books, owners, strict=True):
        sheet = find_sheet(book, layout.name)
        if sheet is None:
            continue
        scratch = Problems()
        table = _part_table(book, sheet, layout, scratch)
        found = problems.in_file(book.file_name)
        found.extend(scratch.errors)
        if table is not None and not scratch.errors:
            warnings = [p.with_file(book.file_name) for p in scratch.warnings]
            parts.append(_Part(book.file_name, sheet, table, warnings))
            if owner is not None and owner.name is not None:
                _rows_for_others(owner.name, book.file_name, table, layout, found)
    return parts


_OWN_FILE = {
    COSTS.name: "cost lines in its own file (or in the criteria file)",
    SCORES.name: "scores in its own file (or in the criteria file, or a file of the panel's "
    "scores that holds no vendor)",
}


def _rows_for_others(
    vendor: str, file: str, table: Table, layout: SheetLayout, found: Problems
) -> None:
    """Each row of a vendor's Costs (or Scores) table that names another vendor (by name
    key): an error at its Vendor cell, for one vendor's file speaks for that vendor only."""
    j = table.col(COST_VENDOR if layout is COSTS else SCORE_VENDOR)
    if j is None:
        return
    own = name_key(vendor)
    for r, row in table.rows:
        value = cell(row, j)
        if is_blank(value) or not could_be_name(value) or name_key(value) == own:
            continue
        message = (
            f"this is the response file of {show(vendor)}; its {layout.name} row names "
            f"{show(value)}: give each vendor's {_OWN_FILE[layout.name]}"
        )
        at = Place(table.sheet, r, letter(j), table.header(j), file)
        found.error(Code.ROW_FOR_ANOTHER_VENDOR, message, **_where(at))


def _part_table(
    book: RawBook, sheet: RawSheet, layout: SheetLayout, found: Problems
) -> Table | None:
    if layout is COSTS:
        return read_cost_table(RawBook(book.file_name, book.sha256, book.kind, [sheet]), found)
    table = read_table(sheet, found, SCORES.marks)
    if not check_scores_count(len(table.rows), table.sheet, found):
        return None
    return table if read_score_rows(table, found) else None


def _stacked(layout: SheetLayout, parts: list[_Part], cells: CombinedCells) -> RawSheet | None:
    """The files' Costs (or Scores) rows in one sheet: one file's sheet as it is, several
    files' rows under the layout's headers, each cell mapped to its file's cell."""
    if not parts:
        return None
    if len(parts) == 1:
        only = parts[0]
        cells.copied(layout.name, Place(only.sheet.name, file=only.file))
        return RawSheet(layout.name, only.sheet.rows, only.sheet.merged)
    name = layout.name
    rows: list[list[object]] = [list(layout.headers)]
    first = parts[0]
    cells.row(name, 1, Place(first.table.sheet, first.table.header_row, file=first.file))
    for k, column in enumerate(layout.columns):
        found = ((p, j) for p in parts if (j := p.table.col(column)) is not None)
        part, j = next(found, (None, None))
        if part is not None and j is not None:
            t = part.table
            col_at = Place(t.sheet, None, letter(j), t.header(j), part.file)
            cells.cell(name, 1, letter(k), replace(col_at, row=t.header_row))
            cells.column(name, letter(k), col_at)
    for part in parts:
        t = part.table
        cols = [t.col(c) for c in layout.columns]
        for r, row in t.rows:
            out = len(rows) + 1
            row_at = Place(t.sheet, r, file=part.file)
            cells.row(name, out, row_at)
            for k, j in enumerate(cols):
                at = row_at if j is None else Place(t.sheet, r, letter(j), t.header(j), part.file)
                cells.cell(name, out, letter(k), at)
            rows.append([cell(row, j) for j in cols])
    return RawSheet(name, rows)


# -- the built sheets ------------------------------------------------------------------------
def _vendors_sheet(responses: Sequence[_Response], cells: CombinedCells) -> RawSheet:
    """One row per response, in file order: the name, then every column any file has
    (in the order first seen; a column a file lacks is empty in its row)."""
    name = VENDORS.name
    first: dict[str, _Answer] = {}
    for r in responses:
        for k, answer in r.answers.items():
            first.setdefault(k, answer)
    keys = list(first)
    rows: list[list[object]] = [[VENDOR.name, *(first[k].header for k in keys)]]
    if responses:
        cells.cell(name, 1, "A", responses[0].label_at)
        cells.row(name, 1, responses[0].head_at)
    for m, k in enumerate(keys, start=1):
        cells.cell(name, 1, letter(m), first[k].header_at)
        cells.column(name, letter(m), first[k].column_at)
    for i, r in enumerate(responses, start=2):
        cells.row(name, i, r.row_at)
        cells.cell(name, i, "A", r.name_at)
        row: list[object] = [r.name_cell]
        for m, k in enumerate(keys, start=1):
            a = r.answers.get(k)
            cells.cell(name, i, letter(m), a.value_at if a is not None else r.row_at)
            row.append(a.value if a is not None else None)
        rows.append(row)
    return RawSheet(name, rows)


def _model_sheets(model: RawBook, cells: CombinedCells) -> list[RawSheet]:
    """The criteria file's Criteria, Categories and Settings sheets, copied whole."""
    out: list[RawSheet] = []
    for layout in (CRITERIA, CATEGORIES, SETTINGS):
        sheet = find_sheet(model, layout.name)
        if sheet is not None:
            cells.copied(layout.name, Place(sheet.name, file=model.file_name))
            out.append(RawSheet(layout.name, sheet.rows, sheet.merged))
    return out


# -- the .xlsx --------------------------------------------------------------------------------
def _xlsx(book: RawBook) -> bytes:
    """The built sheets as an .xlsx, every cell as read (text as text cells)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from vendor_eval.workbook.template import workbook_bytes

    wb = Workbook()
    wb.remove(wb.worksheets[0])
    bold = Font(bold=True)
    for sheet in book.sheets:
        ws = wb.create_sheet(sheet.name)
        for i, row in enumerate(sheet.rows, start=1):
            for j, value in enumerate(row, start=1):
                if _writable(value):
                    _put(ws.cell(row=i, column=j), value)
        if sheet.name in (VENDORS.name, COSTS.name, SCORES.name) and sheet.rows:
            for c in ws[1]:
                c.font = bold
    return workbook_bytes(wb)


def _writable(value: object) -> bool:
    """A value a cell can hold (a formula without a saved result is left out: it is in
    no cell the evaluation reads, or the import would have refused it)."""
    if value is None or isinstance(value, FormulaWithoutValue):
        return False
    return not (isinstance(value, float) and not math.isfinite(value))


def _put(target: object, value: object) -> None:
    """``value`` into the openpyxl cell ``target``; text is a string cell (never a
    formula: ``=HYPERLINK(…)`` stays text) with Excel's quote prefix when it does not start
    with a letter or digit, so editing it later does not make it a formula either."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell

    assert isinstance(target, Cell)
    value = point_text(value)  # "1.250,50" from a decimal-comma CSV: "1250.50"
    if isinstance(value, bool | int | float | _dt.datetime | _dt.date | _dt.time):
        target.value = value
        return
    if isinstance(value, _dt.timedelta):
        target.value = value
        target.number_format = "[h]:mm:ss"
        return
    text = ILLEGAL_CHARACTERS_RE.sub("\ufffd", str(value))
    target.value = text
    target.data_type = "s"
    if not text.lstrip()[:1].isalnum():
        target.quotePrefix = True
