"""Column mapping: score the Vendors columns the built-in default model does not know.

A Vendors-only workbook (no Criteria sheet) is scored on the columns the default model
recognises; every other column of numbers or yes/no values is "not scored"
(docs/workbook-format.md §2.1). The dashboard lists those columns with a guess each
(:func:`guess_mappings`) that the analyst confirms or changes, and :func:`apply_mapping`
scores the confirmed ones.

A mapping is applied by building what the analyst would otherwise have typed: a Criteria
sheet (the default model's criteria found in the file, each named by its header as written,
plus the included columns) and, when the evaluation has categories, a Categories sheet (the
categories in use plus the new ones), and re-importing the original cells with them as the
criteria file (docs/workbook-format.md §3.5). Every value is then read by the import's own
rules, exactly as from a file with that Criteria sheet; a problem in a built row is moved
back to the mapping table's row (:class:`~vendor_eval.workbook.importing.relocate.CellMap`).

The guesses, in order (the first that applies):

- yes/no values: Scale yes/no; lower is better when the header says something bad
  (``breach``, ``litigation``...); category Capability for a certification (``ISO``,
  ``certified``...), else ``Other``;
- a header naming a price (``price``, ``cost``, ``rate``, ``fee``, ``charge``...), values
  above 0 and not percentages: Scale price, Formula ratio, category Cost;
- whole numbers from 1 to 5 under a header naming a rating (``rating``, ``score``,
  ``quality``, ``1-5``...): absolute, Min 1, Max 5;
- a header saying lower is better (``response``, ``resolution``, ``lead time``,
  ``downtime``, ``defects``...): relative, lower is better;
- a header naming years or experience: relative, higher is better, category Experience;
- whole numbers from 1 to 5 under any other header: absolute 1–5 (not ticked);
- anything else: relative, higher is better, category ``Other`` (not ticked).

Include is ticked when the guess rests on the header or on yes/no values and every cell
reads under it; a column whose cells do not (a yes/no column holding ``n/a``) is offered
unticked, with the first such cell named. The guessed weight (:func:`guessed_weight`) is
the median weight of the criteria already in the guessed category, so the new criterion
counts like a typical one of them; in a category without criteria, the median of all the
criteria's weights; without any criteria, :data:`NEW_WEIGHT`; a number under the column
in the Vendors sheet's weights row (docs/workbook-format.md §2.2) is taken as it is. A new
category's weight (:func:`new_category_weight`) is the default model's for its name (Cost,
Experience...), else the median of the categories in use, else :data:`NEW_WEIGHT`.
"""

from __future__ import annotations

import math
import re
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from vendor_eval.core.model import Category, Criterion, Direction, Evaluation, Formula, Scale
from vendor_eval.core.problems import Problems, ValidationError
from vendor_eval.workbook import schema
from vendor_eval.workbook.defaults import DEFAULT_CATEGORIES
from vendor_eval.workbook.importing.cells import (
    is_blank,
    is_percent,
    parse_number,
    parse_yes_no,
)
from vendor_eval.workbook.importing.columns import YES_NO, column_kind, numeric_columns
from vendor_eval.workbook.importing.load import default_columns, evaluation_from_book
from vendor_eval.workbook.importing.messages import CellError, column_letter
from vendor_eval.workbook.importing.relocate import CellMap, Place
from vendor_eval.workbook.importing.table import cell
from vendor_eval.workbook.importing.vendors import Vendors, read_vendors
from vendor_eval.workbook.reading.rawbook import RawBook, RawSheet
from vendor_eval.workbook.schema import name_key
from vendor_eval.workbook.template import criteria_cells

__all__ = [
    "MAPPING_FILE",
    "MAPPING_SHEET",
    "NEW_WEIGHT",
    "OTHER",
    "ColumnFacts",
    "Mapping",
    "apply_mapping",
    "column_facts",
    "criteria_book",
    "guess",
    "guess_mappings",
    "guessed_weight",
    "mapped_model",
    "new_category_weight",
    "unscored_headers",
]

#: The category of a column no rule places elsewhere.
OTHER = "Other"
#: The weight of a criterion or category when there is nothing to take a median of.
NEW_WEIGHT = 10.0
#: Where a problem in a mapped row is said to be (the dashboard's table of that name).
MAPPING_SHEET = "Column mapping"
#: The built criteria file's name (problems in it are moved to :data:`MAPPING_SHEET`).
MAPPING_FILE = "column mapping"

_PRICE_WORDS = frozenset(
    {"price", "prices", "pricing", "cost", "costs", "rate", "rates", "fee", "fees"}
    | {"charge", "charges", "tariff", "tariffs", "bid"}
)
# "success rate", "retention rate": a share, not a price, whatever the values
_SHARE_WORDS = frozenset(
    {"success", "retention", "growth", "error", "defect", "attrition", "churn", "failure"}
    | {"win", "utilisation", "utilization", "occupancy", "conversion", "response", "pass"}
    | {"percent", "percentage", "pct", "%"}
)
_RATING_WORDS = frozenset(
    {"rating", "ratings", "rated", "score", "scores", "grade", "assessment", "quality"}
    | {"satisfaction", "stars", "maturity", "fit", "level"}
)
_RATING_RANGE = re.compile(r"\b1\s*(?:-|–|to)\s*5\b")
_LOWER_WORDS = frozenset(
    {"response", "resolution", "turnaround", "downtime", "outage", "outages", "incident"}
    | {"incidents", "defect", "defects", "error", "errors", "churn", "attrition", "latency"}
    | {"delay", "delays", "penalty", "penalties", "complaint", "complaints", "mttr"}
)
_LOWER_PHRASES = ("lead time", "time to ")
# what the default model calls Communication (its "Response time (hours)")
_COMMUNICATION_WORDS = frozenset({"response", "resolution", "turnaround"})
# a header naming a share of something
_SHARE_MARKS = frozenset({"rate", "rates", "%", "percent", "percentage", "pct", "ratio"})
_YEARS_WORDS = frozenset({"years", "year", "yrs", "experience", "experienced", "tenure"})
_CERTIFICATE_WORDS = frozenset(
    {"iso", "certified", "certification", "certificate", "accredited", "accreditation"}
    | {"soc", "compliant", "compliance", "gdpr", "pci", "hipaa", "cmmi", "itil"}
)
_BAD_WORDS = frozenset(
    {"breach", "breaches", "litigation", "lawsuit", "lawsuits", "dispute", "disputes"}
    | {"bankruptcy", "insolvency", "sanction", "sanctions", "sanctioned", "violation"}
    | {"violations", "penalty", "penalties", "incident", "incidents", "outage", "outages"}
)
_WORDS = re.compile(r"[^\W_]+|%")


@dataclass(frozen=True)
class ColumnFacts:
    """What an unscored Vendors column holds, for its guess and the table's Holds cell.

    ``numbers`` are the cells read as numbers (none for yes/no values); ``percent`` says
    some cell was typed as a percentage; ``unreadable`` counts the cells that do not read
    as the column's kind, ``first_unreadable`` names the first (``Vendors!E4``).
    """

    header: str
    yes_no: bool
    numbers: tuple[float, ...] = ()
    percent: bool = False
    unreadable: int = 0
    first_unreadable: str = ""

    @property
    def words(self) -> frozenset[str]:
        """The header's words, compared as names are."""
        return frozenset(_WORDS.findall(name_key(self.header)))

    @property
    def whole_1_to_5(self) -> bool:
        """Every number a whole number from 1 to 5 (and at least one)."""
        return bool(self.numbers) and all(x in (1, 2, 3, 4, 5) for x in self.numbers)

    @property
    def holds(self) -> str:
        """``yes/no``, ``numbers 8 to 24``, ``numbers`` (none readable)."""
        if self.yes_no:
            return "yes/no"
        if not self.numbers:
            return "numbers"
        lo, hi = min(self.numbers), max(self.numbers)
        return f"numbers {lo:g} to {hi:g}" if lo != hi else f"numbers, all {lo:g}"


@dataclass(frozen=True)
class Mapping:
    """One row of the mapping table: a column, whether it is scored and how.

    ``weight`` and ``category`` are as typed (``None`` / ``""`` when left empty: the
    import then says what is missing); ``min`` and ``max`` are used by an absolute scale,
    and ``max`` by a price's budget formula. ``reason`` says why the guess was made.
    """

    column: str
    include: bool
    category: str
    direction: Direction
    scale: Scale
    weight: float | None
    formula: Formula | None = None
    min: float | None = None
    max: float | None = None
    reason: str = ""
    #: What the column holds (``ColumnFacts.holds``), for the table.
    holds: str = ""

    def key(self) -> tuple[object, ...]:
        """The row as plain values (a cache key): every field but the reason and holds."""
        return (
            self.column, self.include, self.category, self.direction.value, self.scale.value,
            self.weight, None if self.formula is None else self.formula.value, self.min,
            self.max,
        )  # fmt: skip


# -- reading the columns ----------------------------------------------------------------------
def _vendors(book: RawBook) -> Vendors:
    """The Vendors sheet as the importer reads it (its problems are the import's to say)."""
    return read_vendors(book, Problems())


def unscored_headers(book: RawBook) -> list[str]:
    """The headers of every Vendors column holding numbers or yes/no values, by the
    importer's rule: what is mapped when no column is one of the default model's."""
    return numeric_columns(_vendors(book), {}, Problems())[1]


def column_facts(book: RawBook, headers: Iterable[str]) -> list[ColumnFacts]:
    """The facts of each of ``headers`` (Vendors headers as written; unknown ones skipped),
    in the order given."""
    vendors = _vendors(book)
    vt = vendors.table
    if vt is None:
        return []
    index = {h: j for j, h in vt.columns()}
    out = []
    for header in headers:
        j = index.get(header)
        if j is None or j == vendors.col:
            continue
        cells = [(r, cell(row, j)) for r, row in vt.rows]
        out.append(_facts(header, cells, vt.sheet, j))
    return out


def _facts(header: str, cells: list[tuple[int, object]], sheet: str, j: int) -> ColumnFacts:
    yes_no = column_kind(v for _, v in cells) == YES_NO
    numbers: list[float] = []
    bad: list[int] = []
    percent = False
    for r, value in cells:
        if is_blank(value):
            continue
        try:
            x = parse_yes_no(value) if yes_no else parse_number(value)
        except CellError:
            bad.append(r)
            continue
        if not yes_no:
            numbers.append(x)
            percent = percent or is_percent(value)
    first = f"{sheet}!{column_letter(j)}{bad[0]}" if bad else ""
    return ColumnFacts(header, yes_no, tuple(numbers), percent, len(bad), first)


# -- guessing ---------------------------------------------------------------------------------
def guessed_weight(category: str, evaluation: Evaluation | None) -> float:
    """A new criterion's weight in ``category``: the median weight of the criteria already
    there, else of all criteria, else :data:`NEW_WEIGHT`."""
    criteria = evaluation.criteria if evaluation is not None else []
    key = name_key(category)
    same = [c.weight for c in criteria if name_key(c.category) == key]
    pool = same or [c.weight for c in criteria]
    return float(statistics.median(pool)) if pool else NEW_WEIGHT


def new_category_weight(name: str, categories: Sequence[Category]) -> float:
    """A new category's weight: the default model's for that name, else the median weight
    of ``categories`` (those in use), else :data:`NEW_WEIGHT`."""
    key = name_key(name)
    for k in DEFAULT_CATEGORIES:
        if name_key(k.name) == key:
            return k.weight
    if categories:
        return float(statistics.median(k.weight for k in categories))
    return NEW_WEIGHT


@dataclass(frozen=True)
class _Guess:
    scale: Scale
    direction: Direction
    category: str
    reason: str
    sure: bool
    formula: Formula | None = None
    min: float | None = None
    max: float | None = None


def _guess_yes_no(words: frozenset[str]) -> _Guess:
    bad = sorted(words & _BAD_WORDS)
    direction = Direction.LOWER if bad else Direction.HIGHER
    category = "Capability" if words & _CERTIFICATE_WORDS else OTHER
    reason = "yes/no values" + (f"; the header says {bad[0]}: no is better" if bad else "")
    return _Guess(Scale.YESNO, direction, category, reason, sure=True)


def _says_lower(facts: ColumnFacts) -> str | None:
    """The word or phrase of the header saying lower is better, or None."""
    words = facts.words
    found = sorted(words & _LOWER_WORDS)
    if facts.percent or words & _SHARE_MARKS:  # "response rate": more is better
        found = [w for w in found if w not in _COMMUNICATION_WORDS]
    if found:
        return found[0]
    text = " ".join(_WORDS.findall(name_key(facts.header))) + " "
    return next((p.strip() for p in _LOWER_PHRASES if p in text), None)


def _is_price(facts: ColumnFacts) -> bool:
    words = facts.words
    if not words & _PRICE_WORDS or words & _SHARE_WORDS or facts.percent:
        return False
    numbers = facts.numbers
    return bool(numbers) and min(numbers) > 0 and max(numbers) > 1


def _says_rating(facts: ColumnFacts) -> bool:
    return bool(facts.words & _RATING_WORDS) or bool(_RATING_RANGE.search(facts.header))


def _guess_numbers(facts: ColumnFacts) -> _Guess:
    """The first rule that applies to a column of numbers (see the module's docstring)."""
    words = facts.words
    h, lo = Direction.HIGHER, Direction.LOWER
    if _is_price(facts):
        reason = "the header names a price: scored lowest ÷ price"
        return _Guess(Scale.PRICE, lo, "Cost", reason, True, Formula.RATIO)
    if facts.whole_1_to_5 and _says_rating(facts):
        reason = "a rating: whole numbers from 1 to 5"
        return _Guess(Scale.ABSOLUTE, h, OTHER, reason, True, min=1.0, max=5.0)
    lower = _says_lower(facts)
    if lower is not None:
        category = "Communication" if words & _COMMUNICATION_WORDS else OTHER
        reason = f"the header says {lower}: lower is better"
        return _Guess(Scale.RELATIVE, lo, category, reason, True)
    if words & _YEARS_WORDS:
        reason = "the header names years or experience: more is better"
        return _Guess(Scale.RELATIVE, h, "Experience", reason, True)
    if facts.whole_1_to_5:
        reason = "whole numbers from 1 to 5: a 1–5 rating? Tick to score it"
        return _Guess(Scale.ABSOLUTE, h, OTHER, reason, False, min=1.0, max=5.0)
    reason = "no rule matched: higher is better, against the shortlist; tick to score it"
    return _Guess(Scale.RELATIVE, h, OTHER, reason, False)


def guess(
    facts: ColumnFacts, evaluation: Evaluation | None = None, weight: float | None = None
) -> Mapping:
    """The guessed mapping of one column (see the module's docstring for the rules);
    ``evaluation`` (the one on screen, if any) gives the weights the guess follows, unless
    ``weight`` is given (the number under the column in the Vendors sheet's weights row)."""
    g = _guess_yes_no(facts.words) if facts.yes_no else _guess_numbers(facts)
    category = _spelt_as_used(g.category, evaluation)
    include, reason = g.sure, g.reason
    if weight is None:
        weight = guessed_weight(category, evaluation)
    else:
        reason += "; the weight is the weights row's"
    if facts.unreadable:
        include = False
        kind = "yes or no" if facts.yes_no else "a number"
        n = facts.unreadable
        reason += (
            f"; {n} cell{'s' if n != 1 else ''} not {kind} (first {facts.first_unreadable}): "
            "fix the file before ticking"
        )
    return Mapping(
        column=facts.header,
        include=include,
        category=category,
        direction=g.direction,
        scale=g.scale,
        weight=weight,
        formula=g.formula,
        min=g.min,
        max=g.max,
        reason=reason,
        holds=facts.holds,
    )


def _spelt_as_used(category: str, evaluation: Evaluation | None) -> str:
    """``category`` as the evaluation spells it, when it has one of that name."""
    if evaluation is not None:
        key = name_key(category)
        for name in evaluation.category_names:
            if name_key(name) == key:
                return name
    return category


def guess_mappings(book: RawBook, evaluation: Evaluation | None) -> list[Mapping]:
    """A guess for each column to map, in sheet order: the evaluation's unscored columns
    (``Evaluation.unscored_columns``), or, without an evaluation (no column is one the
    default model knows), every column of numbers or yes/no values."""
    headers = evaluation.unscored_columns if evaluation is not None else unscored_headers(book)
    weights = _row_weights(_vendors(book))
    return [guess(f, evaluation, weights.get(f.header)) for f in column_facts(book, headers)]


def _row_weights(vendors: Vendors) -> dict[str, float]:
    """Header → the number under it in the Vendors sheet's first weights row
    (docs/workbook-format.md §2.2), where one reads as a weight."""
    vt = vendors.table
    if vt is None or not vendors.weights_rows:
        return {}
    cells = vendors.weights_rows[0].cells
    out = {}
    for j, header in vt.columns():
        try:
            w = parse_number(cell(cells, j))
        except CellError:
            continue
        if not math.isnan(w) and w >= 0:
            out[header] = w
    return out


# -- applying ---------------------------------------------------------------------------------
def _model_criteria(book: RawBook, evaluation: Evaluation | None) -> list[Criterion]:
    """The evaluation's criteria, each default-model criterion named by the header that
    holds it (``Price per hour`` for the default ``Blended hourly rate``): a Criteria
    sheet names the column it scores."""
    if evaluation is None:
        return []
    vendors = _vendors(book)
    vt = vendors.table
    columns = default_columns(vendors) if vt is not None else {}
    out = []
    for c in evaluation.criteria:
        j = columns.get(c.name) if c.source == "column" else None
        out.append(c if j is None or vt is None else c.replace(name=vt.headers[j]))
    return out


def _included(mappings: Iterable[Mapping]) -> list[Mapping]:
    return [m for m in mappings if m.include]


def mapped_model(
    book: RawBook, evaluation: Evaluation | None, mappings: Sequence[Mapping]
) -> tuple[list[Criterion], list[Category] | None]:
    """The model of the mapping, as far as it is valid: the evaluation's criteria (named by
    their headers) and the categories with the new ones (``None``: flat weights, when the
    evaluation has no categories). The included rows are criteria only once imported
    (:func:`apply_mapping`), which checks what was typed."""
    criteria = _model_criteria(book, evaluation)
    if evaluation is not None and evaluation.categories is None:
        return criteria, None
    used = list(evaluation.categories or []) if evaluation is not None else []
    known = {name_key(k.name) for k in used}
    categories = list(used)
    for m in _included(mappings):
        name = m.category.strip()
        if name and name_key(name) not in known:
            known.add(name_key(name))
            categories.append(Category(name, new_category_weight(name, used)))
    return criteria, categories


def _mapped_cells(m: Mapping) -> dict[schema.Column, object]:
    """A mapped row's Criteria cells as typed (the import checks them); Min and Max only
    where the scale uses them."""
    absolute = m.scale is Scale.ABSOLUTE
    budget = m.scale is Scale.PRICE and m.formula is Formula.BUDGET
    weight = m.weight if m.weight is not None and not math.isnan(m.weight) else None
    return {
        schema.CRITERION: m.column,
        schema.CATEGORY: m.category.strip() or None,
        schema.WEIGHT: weight,
        schema.DIRECTION: m.direction.value,
        schema.SCALE: m.scale.value,
        schema.FORMULA: None if m.formula is None else m.formula.value,
        schema.MIN: m.min if absolute else None,
        schema.MAX: m.max if absolute or budget else None,
    }


def criteria_book(
    book: RawBook, evaluation: Evaluation | None, mappings: Sequence[Mapping]
) -> tuple[RawBook, CellMap]:
    """The mapping as a criteria file's cells (Criteria, and Categories unless weights are
    flat), and where each built row is in the mapping table."""
    criteria, categories = mapped_model(book, evaluation, mappings)
    where = CellMap()
    layout = schema.CRITERIA
    header: list[object] = list(layout.headers)
    rows = [header]
    rows += [[criteria_cells(c)[col] for col in layout.columns] for c in criteria]
    for m in _included(mappings):
        cells = _mapped_cells(m)
        r = len(rows) + 1
        here = Place(MAPPING_SHEET, header=m.column, file=book.file_name)
        where.row(layout.name, r, here)
        for j, col in enumerate(layout.columns):
            where.cell(
                layout.name,
                r,
                column_letter(j),
                Place(MAPPING_SHEET, header=f"{m.column}, {col.name}", file=book.file_name),
            )
        rows.append([cells.get(col) for col in layout.columns])
    sheets = [RawSheet(layout.name, rows)]
    where.sheet(layout.name, Place(MAPPING_SHEET, file=book.file_name))
    if categories is not None:
        sheets.append(_categories_sheet(categories, where, book.file_name))
    return RawBook(MAPPING_FILE, "", "xlsx", sheets), where


def _categories_sheet(categories: list[Category], where: CellMap, file: str) -> RawSheet:
    layout = schema.CATEGORIES
    header: list[object] = list(layout.headers)
    rows = [header]
    for k in categories:
        values = {
            schema.CATEGORY: k.name,
            schema.WEIGHT: k.weight,
            schema.CATEGORY_MINIMUM: k.minimum,
            schema.DESCRIPTION: k.description,
        }
        where.row(layout.name, len(rows) + 1, Place(MAPPING_SHEET, header=k.name, file=file))
        rows.append([values[col] for col in layout.columns])
    where.sheet(layout.name, Place(MAPPING_SHEET, file=file))
    return RawSheet(layout.name, rows)


#: What the export's Audit sheet says the criteria came from (``Evaluation.criteria_from``).
MAPPED_CRITERIA = "the dashboard's column mapping"


def apply_mapping(
    book: RawBook, evaluation: Evaluation | None, mappings: Sequence[Mapping]
) -> Evaluation:
    """The evaluation with the included columns scored: ``book`` (the uploaded file's
    cells) re-imported with the mapping as its criteria file, so every value is read as
    from a workbook with that Criteria sheet.

    Raises
    ------
    ValidationError
        With every problem: a Vendors cell's at that cell (``Vendors!E4 (ISO certified):
        "n/a" is not yes or no``), a mapped row's at the table
        (``Column mapping (Support hours, Category): category is missing``).
    """
    cbook, where = criteria_book(book, evaluation, mappings)
    consensus = evaluation.consensus if evaluation is not None else "mean"
    try:
        mapped = evaluation_from_book(book, cbook, consensus)
    except ValidationError as e:
        raise where.relocate_error(e) from None
    mapped.warnings = where.relocate_all(mapped.warnings)
    mapped.criteria_from = MAPPED_CRITERIA
    return mapped
