"""Validation problems as data (after pandera's lazy validation).

A :class:`Problem` names where something is wrong (file, sheet, Excel row, column letter,
header), says what in plain words, and carries a stable reason :class:`Code` for programs
and tests. The importer collects every problem in one :class:`Problems` collector, then
raises one :class:`ValidationError` whose ``.problems`` go straight into ``st.dataframe`` or
the CLI.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field, replace
from enum import StrEnum
from typing import TYPE_CHECKING, TypedDict, Unpack

from vendor_eval.core.limits import MAX_PROBLEMS_PER_CODE

if TYPE_CHECKING:  # pandas is imported where a frame is built: the reader side stays light
    import pandas as pd

ERROR = "error"
WARNING = "warning"


class Code(StrEnum):
    """Why a :class:`Problem` was reported: a short, stable reason code.

    The message says it in plain words for people and may be reworded; the code does not
    change, so programs and tests can rely on it. A ``Code`` is a ``str``
    (``Code.NOT_A_NUMBER == "not_a_number"``).
    """

    # -- the file and its sheets ------------------------------------------------------
    #: The file cannot be read at all (not a workbook, encrypted, too large, a zip bomb...).
    UNREADABLE_FILE = "unreadable_file"
    #: A required sheet is absent (no Vendors sheet; no Criteria sheet in a criteria file).
    MISSING_SHEET = "missing_sheet"
    #: Criteria given twice: the workbook has a Criteria sheet and a criteria file was given.
    CRITERIA_GIVEN_TWICE = "criteria_given_twice"
    #: A sheet that is read but not used (Categories without Criteria); a warning.
    IGNORED_SHEET = "ignored_sheet"
    #: A sheet without any non-blank cell where a table is expected.
    EMPTY_SHEET = "empty_sheet"
    #: Two sheets whose names are the same once compared as names are (`` VENDORS `` beside
    #: ``Vendors``): which one is meant cannot be told.
    DUPLICATE_SHEET = "duplicate_sheet"
    #: A sheet beyond Excel's size (:data:`vendor_eval.core.limits.EXCEL_MAX_ROWS` rows or
    #: ``EXCEL_MAX_COLUMNS`` columns), which a CSV file can carry.
    SHEET_TOO_LARGE = "sheet_too_large"
    #: More vendors than :data:`vendor_eval.core.limits.MAX_VENDORS`.
    TOO_MANY_VENDORS = "too_many_vendors"
    #: More criteria than :data:`vendor_eval.core.limits.MAX_CRITERIA`.
    TOO_MANY_CRITERIA = "too_many_criteria"
    #: More values (vendors × columns, or Scores rows) than
    #: :data:`vendor_eval.core.limits.MAX_VALUE_CELLS`.
    TOO_MANY_VALUES = "too_many_values"
    #: A sheet laid out as an evaluation matrix (criteria as rows, vendors as columns) that
    #: is not read: beside a Vendors sheet (a warning), or a second one (an error).
    MATRIX_LAYOUT = "matrix_layout"
    # -- headers ----------------------------------------------------------------------
    #: A required column is absent (Vendor; Criterion, Category, Weight; Scores columns).
    MISSING_HEADER = "missing_header"
    #: Two columns of one sheet have the same header.
    DUPLICATE_HEADER = "duplicate_header"
    #: A column holds data but has no header, so it is ignored; a warning.
    UNLABELLED_COLUMN = "unlabelled_column"
    #: A Vendors column that is not a criterion holds numbers or yes/no values, so data
    #: that looks scorable is not scored; a warning.
    UNSCORED_COLUMN = "unscored_column"
    # -- rows and names ---------------------------------------------------------------
    #: A table with headers but no data rows: no vendors.
    NO_VENDORS = "no_vendors"
    #: No criteria: an empty Criteria table, or no column the default model knows.
    NO_CRITERIA = "no_criteria"
    #: A name cell is empty (vendor, criterion or category name; a Scores evaluator,
    #: vendor or criterion).
    EMPTY_NAME = "empty_name"
    #: The same vendor name twice in Vendors.
    DUPLICATE_VENDOR = "duplicate_vendor"
    #: Two names (vendors, criteria, categories, or headers of one sheet) that look alike
    #: but are written with different characters (Cyrillic ``а`` for Latin ``a``); a warning.
    CONFUSABLE_NAME = "confusable_name"
    #: The same criterion twice (Criteria rows, or two Vendors columns of one default
    #: criterion).
    DUPLICATE_CRITERION = "duplicate_criterion"
    #: The same category twice in Categories.
    DUPLICATE_CATEGORY = "duplicate_category"
    #: One evaluator scored one vendor on one criterion twice.
    DUPLICATE_SCORE = "duplicate_score"
    #: A Criteria row names the vendor-name column (``Vendor``) as a criterion.
    VENDOR_COLUMN_AS_CRITERION = "vendor_column_as_criterion"
    #: A Vendors row named ``Weight``/``Weights`` is read as the default model's criterion
    #: weights, not as a vendor; a warning (a note that says so).
    WEIGHTS_ROW = "weights_row"
    #: A ``Weight`` row in Vendors when a Criteria sheet gives the weights: it is ignored; a
    #: warning.
    IGNORED_WEIGHTS_ROW = "ignored_weights_row"
    #: A second ``Weight`` row in Vendors where the first one is read as the weights.
    DUPLICATE_WEIGHTS_ROW = "duplicate_weights_row"
    #: A Vendors row named ``Total``, ``Average``, ``Sum``, ``Max``... is skipped, not read
    #: as a vendor; a warning.
    TOTAL_ROW = "total_row"
    # -- links between sheets ---------------------------------------------------------
    #: A criterion's category is not listed in the Categories sheet.
    UNKNOWN_CATEGORY = "unknown_category"
    #: A Scores row names a vendor that is not in Vendors.
    UNKNOWN_VENDOR = "unknown_vendor"
    #: A Scores row names a criterion that is not defined.
    UNKNOWN_CRITERION = "unknown_criterion"
    #: A criterion with neither a Vendors column nor rows in Scores.
    UNLINKED_CRITERION = "unlinked_criterion"
    #: A criterion with both a Vendors column and rows in Scores.
    COLUMN_AND_SCORES = "column_and_scores"
    # -- criterion and category settings ----------------------------------------------
    #: A Criteria row without a category.
    MISSING_CATEGORY = "missing_category"
    #: A weight cell is empty.
    MISSING_WEIGHT = "missing_weight"
    #: A weight below zero.
    NEGATIVE_WEIGHT = "negative_weight"
    #: Every criterion weight (or every used category weight) is zero.
    ALL_WEIGHTS_ZERO = "all_weights_zero"
    #: A category weighs more than zero but all its criteria weigh zero.
    ZERO_WEIGHT_CRITERIA = "zero_weight_criteria"
    #: A category without criteria, ignored; a warning.
    EMPTY_CATEGORY = "empty_category"
    #: A Direction cell that is not higher or lower.
    NOT_A_DIRECTION = "not_a_direction"
    #: A Scale cell that is not relative, absolute or yes/no.
    NOT_A_SCALE = "not_a_scale"
    #: An absolute scale without Min or Max.
    MISSING_BOUNDS = "missing_bounds"
    #: An absolute scale whose Min is not below its Max.
    MIN_NOT_BELOW_MAX = "min_not_below_max"
    #: Min or Max on a scale that does not use them, ignored; a warning.
    UNUSED_BOUNDS = "unused_bounds"
    # -- cell values --------------------------------------------------------------------
    #: Text (or another value) that is not a number.
    NOT_A_NUMBER = "not_a_number"
    #: A number written with a decimal comma (``4,5``) in a file read with decimal points,
    #: or with a decimal point (``4.5``) in a file read with decimal commas.
    DECIMAL_COMMA = "decimal_comma"
    #: A semicolon-separated CSV file whose numbers could be read with decimal commas or
    #: points (only ``1,250``-shaped ones): ``--decimal comma|point`` says which.
    AMBIGUOUS_DECIMAL = "ambiguous_decimal"
    #: A word for "unknown" (``N/A``, ``-``, ``TBD``) where a value is expected.
    PLACEHOLDER = "placeholder"
    #: NaN or an infinity.
    NOT_FINITE = "not_finite"
    #: A number beyond :data:`vendor_eval.core.limits.MAX_MAGNITUDE`.
    TOO_LARGE = "too_large"
    #: A non-zero number closer to zero than :data:`vendor_eval.core.limits.MIN_MAGNITUDE`
    #: (``1e-400`` would read as 0).
    TOO_SMALL = "too_small"
    #: An Excel error value (``#DIV/0!``, ``#N/A``).
    EXCEL_ERROR = "excel_error"
    #: A date or time where a number, yes/no or rule is expected.
    DATE_OR_TIME = "date_or_time"
    #: A duration (a cell formatted ``[h]:mm``) where a number is expected and the
    #: criterion's name gives no unit to read it in.
    DURATION = "duration"
    #: Different currency symbols (``$95``, ``€88``) in one criterion column.
    MIXED_CURRENCIES = "mixed_currencies"
    #: TRUE/FALSE where a number is expected.
    YES_NO_NOT_NUMBER = "yes_no_not_number"
    #: A value that is not yes or no on a yes/no criterion.
    NOT_YES_NO = "not_yes_no"
    #: A formula whose result was never saved.
    FORMULA_WITHOUT_VALUE = "formula_without_value"
    #: Text with a control character (or a line break in a name).
    CONTROL_CHARACTER = "control_character"
    #: A name with an invisible text-direction control (U+202E...) that reorders it on
    #: screen.
    BIDI_CONTROL = "bidi_control"
    #: Text beyond :data:`vendor_eval.core.limits.MAX_NAME_LENGTH` or ``MAX_TEXT_LENGTH``.
    TEXT_TOO_LONG = "text_too_long"
    #: A Must cell that is not a rule.
    NOT_A_RULE = "not_a_rule"
    #: A Must rule with a number but no comparison (``3`` instead of ``>= 3``).
    RULE_WITHOUT_COMPARISON = "rule_without_comparison"
    #: A yes/no Must rule on a criterion whose scale is not yes/no.
    YES_NO_RULE_MISMATCH = "yes_no_rule_mismatch"
    #: Merged cells that spread one criterion value over several vendors.
    MERGED_CELLS = "merged_cells"
    # -- price criteria, minimums, Settings and Costs (docs/workbook-format.md §11, §12) --
    #: A Formula cell that is not ratio, linear or budget.
    NOT_A_FORMULA = "not_a_formula"
    #: A Formula on a scale that has none (absolute, yes/no), or budget on a non-price.
    FORMULA_NOT_ALLOWED = "formula_not_allowed"
    #: A price criterion whose Direction is higher (a price is lower-is-better).
    PRICE_DIRECTION = "price_direction"
    #: The budget formula without a Max (its ceiling) above 0.
    BUDGET_CEILING = "budget_ceiling"
    #: A value the criterion's formula cannot score: a price of 0 or less, a ratio value
    #: of 0 or less (lower is better) or below 0 (higher is better).
    UNSCORABLE_VALUE = "unscorable_value"
    #: A Minimum (or Quality minimum) that is not a score from 0 to 100.
    NOT_A_MINIMUM = "not_a_minimum"
    #: A Minimum on a category that holds a price criterion.
    MINIMUM_ON_PRICE = "minimum_on_price"
    #: A Settings value that cannot be read.
    BAD_SETTING = "bad_setting"
    #: A setting listed twice.
    DUPLICATE_SETTING = "duplicate_setting"
    #: Settings that cannot go together (Method topsis with Missing values exclude).
    CONFLICTING_SETTINGS = "conflicting_settings"
    #: A Frequency cell that is not one-off, monthly, quarterly or yearly (or is empty).
    NOT_A_FREQUENCY = "not_a_frequency"
    #: An Amount below 0.
    NEGATIVE_AMOUNT = "negative_amount"
    #: A Quantity that is not a number above 0.
    NOT_A_QUANTITY = "not_a_quantity"
    #: Costs given, but no ``Total cost of ownership`` criterion in the Criteria sheet.
    MISSING_TCO_CRITERION = "missing_tco_criterion"
    #: The ``Total cost of ownership`` criterion's Scale is not price.
    TCO_NOT_PRICE = "tco_not_price"
    #: A Vendors column (or Scores rows) for ``Total cost of ownership`` beside Costs.
    TCO_COLUMN = "tco_column"
    # -- warnings about values --------------------------------------------------------
    #: A value outside an absolute scale's Min–Max (it is clipped).
    OUT_OF_SCALE = "out_of_scale"
    #: A criterion that no vendor has a value for.
    NO_VALUES = "no_values"
    #: A vendor missing more than half of its effective weight.
    INCOMPLETE_VENDOR = "incomplete_vendor"
    #: A Setting name that is not a setting, ignored; a warning.
    UNKNOWN_SETTING = "unknown_setting"
    #: A bare number read as a percentage (Discount rate 5 → 5 %, Minimum 0.6 → 60); a
    #: warning that says how it was read.
    READ_AS_PERCENT = "read_as_percent"
    #: A cost line without an Amount.
    MISSING_AMOUNT = "missing_amount"
    #: A vendor without Costs rows (its TCO is missing); a warning.
    NO_COSTS = "no_costs"
    #: The default model took the Costs sheet's TCO as a criterion next to another cost
    #: criterion; a warning.
    DEFAULT_TCO = "default_tco"
    # -- evaluation matrix (docs/workbook-format.md §13) --
    #: A column of an evaluation matrix that is not read: a total, average or weighted-score
    #: column, or a Criteria column when a Criteria sheet gives the criteria; a warning.
    MATRIX_COLUMN_IGNORED = "matrix_column_ignored"
    #: An evaluation matrix without a Weight column: every criterion weighs the same; a
    #: warning.
    MATRIX_EQUAL_WEIGHTS = "matrix_equal_weights"
    # -- combined response files (docs/workbook-format.md §14) --
    #: The same vendor in two of the files combined.
    VENDOR_IN_TWO_FILES = "vendor_in_two_files"
    #: A response file (one of several combined) that holds more than one vendor.
    SEVERAL_VENDORS = "several_vendors"
    #: A response file without a vendor: no Vendors sheet and no ``Vendor`` label cell.
    NO_VENDOR_IN_FILE = "no_vendor_in_file"
    #: Two of the files combined hold different Criteria sheets.
    CRITERIA_IN_TWO_FILES = "criteria_in_two_files"
    #: A file combined with others lacks a column they have, or has one they lack.
    DIFFERENT_COLUMNS = "different_columns"
    #: A Costs or Scores row of one vendor's response file that names another vendor.
    ROW_FOR_ANOTHER_VENDOR = "row_for_another_vendor"
    # -- monitoring workbook (docs/monitoring.md §1) --
    #: A KPIs sheet without a single KPI row.
    NO_KPIS = "no_kpis"
    #: The same KPI twice for one vendor, or twice for every vendor (Vendor empty).
    DUPLICATE_KPI = "duplicate_kpi"
    #: A KPI row without a Target.
    MISSING_TARGET = "missing_target"
    #: A KPI row without a Threshold (the worst acceptable value).
    MISSING_THRESHOLD = "missing_threshold"
    #: A Threshold equal to the Target, or on its better side.
    THRESHOLD_WRONG_SIDE = "threshold_wrong_side"
    #: A KPI Weight of 0 or less.
    NOT_A_KPI_WEIGHT = "not_a_kpi_weight"
    #: A Period cell that is neither a month (2026-03), a quarter (2026-Q1) nor a date.
    NOT_A_PERIOD = "not_a_period"
    #: Months and quarters in one workbook.
    MIXED_PERIODS = "mixed_periods"
    #: A Performance row naming a KPI that does not apply to its vendor.
    UNKNOWN_KPI = "unknown_kpi"
    #: Two Performance rows for one period, vendor and KPI.
    DUPLICATE_RESULT = "duplicate_result"
    #: A Performance row without an Actual: not reported, skipped; a warning.
    NOT_REPORTED = "not_reported"
    #: A KPI row naming a vendor that has no Performance rows (standalone); a warning.
    NO_RESULTS_YET = "no_results_yet"
    #: A vendor in Performance or KPIs that was not awarded the contract (in a project).
    NOT_AWARDED = "not_awarded"
    #: The same standing name, or the same Minimum, twice in Standings.
    DUPLICATE_STANDING = "duplicate_standing"
    #: No standing with Minimum 0: low scores would have no standing.
    NO_LOWEST_STANDING = "no_lowest_standing"
    #: More Performance rows than :data:`vendor_eval.core.limits.MAX_RESULTS`.
    TOO_MANY_RESULTS = "too_many_results"


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or worth a warning) in an input workbook.

    Attributes
    ----------
    message:
        What is wrong, in plain words, e.g. ``"ten" is not a number``.
    sheet:
        Sheet name as written in the workbook (``None`` for file-level problems).
    row:
        Excel row number (1-based), or ``None``.
    column:
        Excel column letter(s), or ``None``.
    header:
        The column's header text, or ``None``.
    severity:
        ``"error"`` (stops scoring) or ``"warning"`` (listed, scoring goes on).
    file:
        The input file's name, when known.
    code:
        Why, as a stable reason :class:`Code` (``""`` for a problem built without one).
    """

    message: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    header: str | None = None
    severity: str = ERROR
    file: str | None = None
    # Metadata, not identity: a Problem equals one built by hand with the same place and
    # message (as before codes existed), whatever code the importer gave it.
    code: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if type(self.code) is not str:  # a Code member: kept as its plain string value
            object.__setattr__(self, "code", str(self.code))

    @property
    def cell(self) -> str:
        """The cell reference, e.g. ``D7``, ``D`` (whole column) or ``7`` (whole row)."""
        return f"{self.column or ''}{self.row or ''}"

    @property
    def location(self) -> str:
        """``Vendors!D7 (Years in business)``, ``Vendors``, or ``""``."""
        if not self.sheet:
            return ""
        loc = self.sheet
        if self.cell:
            loc += f"!{self.cell}"
        if self.header:
            loc += f" ({self.header})"
        return loc

    def __str__(self) -> str:
        loc = self.location
        return f"{loc}: {self.message}" if loc else self.message

    def with_file(self, file: str | None) -> Problem:
        """A copy that names ``file``."""
        return replace(self, file=file)


def problems_frame(problems: Iterable[Problem]) -> pd.DataFrame:
    """The problems as a table: file, sheet, cell, column, severity, message, code."""
    import pandas as pd

    rows = [
        {
            "file": p.file or "",
            "sheet": p.sheet or "",
            "cell": p.cell,
            "column": p.header or "",
            "severity": p.severity,
            "message": p.message,
            "code": p.code,
        }
        for p in problems
    ]
    columns = ["file", "sheet", "cell", "column", "severity", "message", "code"]
    return pd.DataFrame(rows, columns=columns)


class VendorEvalError(Exception):
    """Base class for errors caused by the user's input (CLI exit code 2)."""


class ValidationError(VendorEvalError):
    """The input is invalid; ``problems`` lists every reason (errors only)."""

    def __init__(self, problems: Iterable[Problem], file: str | None = None) -> None:
        self.problems = [p.with_file(file) if file and not p.file else p for p in problems]
        self.file = file or next((p.file for p in self.problems if p.file), None)
        super().__init__(self.summary())

    def summary(self, show: Callable[[object], str] = str) -> str:
        """One line per problem under a head line, each piece of text passed through
        ``show`` (the CLI shows control characters visibly: ``output.safety.terminal_text``)."""
        n = len(self.problems)
        if n == 1 and not self.problems[0].sheet:
            # one file-level problem reads as one sentence: "x.xlsx was not found"
            message = self.problems[0].message
            named = self.file and message.startswith(self.file)
            return show(message if named or not self.file else f"{self.file}: {message}")
        head = f"{show(self.file)}: " if self.file else ""
        head += f"{n} problem{'s' if n != 1 else ''} found"
        return "\n".join([head, *(f"  {show(p)}" for p in self.problems)])

    def to_frame(self) -> pd.DataFrame:
        """The problems as a DataFrame for ``st.dataframe``."""
        return problems_frame(self.problems)

    def as_dicts(self) -> list[dict[str, object]]:
        return [asdict(p) for p in self.problems]


class Where(TypedDict, total=False):
    """Where a problem is, as keywords for :meth:`Problems.error` and :meth:`.warning`."""

    sheet: str | None
    row: int | None
    column: str | None
    header: str | None
    file: str | None


class _Found:
    """What one validation run found, shared by a collector and its file views: the
    problems kept, and how many of each (code, severity) there were."""

    def __init__(self) -> None:
        self.items: list[Problem] = []
        self.counts: dict[tuple[str, str], int] = {}


class Problems:
    """The collector of one validation run: every error and warning, in the order found.

    Rules report into it instead of stopping at the first problem (pandera's lazy
    validation); :meth:`raise_if_errors` then fails once, listing them all. Of one reason
    code (and severity) the first :data:`~vendor_eval.core.limits.MAX_PROBLEMS_PER_CODE` are
    kept, then one problem says how many more were found: a sheet of 500,000 wrong cells is
    not 500,000 messages to hold, print or show.

    Examples
    --------
    >>> found = Problems()
    >>> _ = found.error(Code.NEGATIVE_WEIGHT, "weight -1 is negative", sheet="Criteria", row=2)
    >>> [p.code for p in found.errors], found.warnings
    (['negative_weight'], [])
    """

    def __init__(self, file: str | None = None, *, _shared: _Found | None = None) -> None:
        self.file = file
        self._found = _Found() if _shared is None else _shared

    def in_file(self, file: str | None) -> Problems:
        """A view adding to this collector, naming ``file`` on every problem (``None``: self)."""
        return Problems(file, _shared=self._found) if file else self

    def add(self, problem: Problem) -> Problem:
        """Record ``problem`` (naming this collector's file if it names none) and return it."""
        if self.file and not problem.file:
            problem = problem.with_file(self.file)
        kind = (problem.code, problem.severity)
        counts = self._found.counts
        counts[kind] = counts.get(kind, 0) + 1
        if counts[kind] <= MAX_PROBLEMS_PER_CODE:
            self._found.items.append(problem)
        return problem

    def extend(self, problems: Iterable[Problem]) -> None:
        for p in problems:
            self.add(p)

    def error(self, code: str, message: str, **where: Unpack[Where]) -> Problem:
        """Record an error (scoring stops) and return it."""
        return self.add(Problem(message, severity=ERROR, code=code, **where))

    def warning(self, code: str, message: str, **where: Unpack[Where]) -> Problem:
        """Record a warning (listed, scoring goes on) and return it."""
        return self.add(Problem(message, severity=WARNING, code=code, **where))

    def _all(self) -> list[Problem]:
        """The problems kept, then one per (code, severity) of which more were found."""
        more = [
            Problem(
                f"{n - MAX_PROBLEMS_PER_CODE:,} more problems like these ({code}) are not "
                f"listed: fix the {MAX_PROBLEMS_PER_CODE:,} above, then check the file again",
                severity=severity,
                code=code,
                file=self.file,
            )
            for (code, severity), n in self._found.counts.items()
            if n > MAX_PROBLEMS_PER_CODE
        ]
        return self._found.items + more

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self._all() if p.severity != WARNING]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self._all() if p.severity == WARNING]

    def raise_if_errors(self, file: str | None = None) -> None:
        """Raise one :class:`ValidationError` listing every error, if there is any."""
        errors = self.errors
        if errors:
            raise ValidationError(errors, file=file)

    def __iter__(self) -> Iterator[Problem]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())

    def __repr__(self) -> str:
        return f"Problems({len(self.errors)} errors, {len(self.warnings)} warnings)"


class ScoringError(VendorEvalError):
    """The evaluation cannot be scored as asked (e.g. TOPSIS with the exclude policy)."""
