"""Vendor workbook → validated :class:`~vendor_eval.core.model.Evaluation`.

The rules are docs/workbook-format.md.

:func:`load_evaluation` reads a file safely
(:func:`vendor_eval.workbook.reading.book.read_book`) and hands the raw cells to
:func:`evaluation_from_book`, which applies every rule of the workbook format, collects
**every** problem, and either returns the Evaluation (with its warnings) or raises one
:class:`~vendor_eval.core.problems.ValidationError` listing them all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import BinaryIO

import pandas as pd

from vendor_eval.core.costs import TCO_CRITERION
from vendor_eval.core.model import Category, Consensus, Criterion, Evaluation, Scale, Settings
from vendor_eval.core.problems import Code, Problems, VendorEvalError
from vendor_eval.workbook import defaults
from vendor_eval.workbook.importing.checks import (
    check_value,
    completeness_warnings,
    empty_criterion_warnings,
    looks_yes_no,
    match_default_model,
    merged_value_problems,
)
from vendor_eval.workbook.importing.columns import column_units, numeric_columns
from vendor_eval.workbook.importing.costs import (
    TCO_ROW_HINT,
    Costs,
    check_tco,
    default_tco_category,
    default_tco_criterion,
    parse_costs,
    read_cost_table,
)
from vendor_eval.workbook.importing.criteria import (
    CriterionRow,
    check_weights,
    parse_categories,
    parse_criteria,
)
from vendor_eval.workbook.importing.decimal import with_conventions
from vendor_eval.workbook.importing.matrix import import_with_matrix
from vendor_eval.workbook.importing.messages import show
from vendor_eval.workbook.importing.names import look_key, looks_alike_hint
from vendor_eval.workbook.importing.scores import (
    ScoreRow,
    consensus_values,
    parse_scores,
    read_score_rows,
)
from vendor_eval.workbook.importing.settings import read_settings
from vendor_eval.workbook.importing.sheets import (
    check_criteria_count,
    check_scores_count,
    check_sheets,
    check_value_count,
    check_vendor_count,
    find_sheet,
)
from vendor_eval.workbook.importing.table import Table, cell, could_be_name, read_table
from vendor_eval.workbook.importing.vendors import Vendors, read_vendors, vendor_values
from vendor_eval.workbook.importing.weights_row import apply_weights_row
from vendor_eval.workbook.reading.rawbook import RawBook, RawSheet
from vendor_eval.workbook.schema import (
    CATEGORIES,
    COSTS,
    CRITERIA,
    CRITERION,
    MAX,
    MIN,
    SCALE,
    SCORES,
    VENDORS,
    name_key,
)

__all__ = ["evaluation_from_book", "load_evaluation"]

Source = str | Path | bytes | BinaryIO

# Said (with ``panel=True``) of a criterion that has neither a column nor Scores rows and
# cannot be a panel criterion.
_PANEL_HINT = (
    f" (a panel criterion, scored by the evaluators, needs {SCALE.name} "
    f"{Scale.ABSOLUTE.value} with {MIN.name} and {MAX.name})"
)


def load_evaluation(
    source: Source,
    *,
    name: str | None = None,
    criteria: Source | None = None,
    consensus: str | Consensus = "mean",
    panel: bool = False,
    decimal: str = "auto",
) -> Evaluation:
    """Read and validate a vendor workbook (.xlsx/.xlsm) or a Vendors CSV.

    Parameters
    ----------
    source:
        Path, bytes or binary file-like object (an upload).
    name:
        File name to report in problems and the audit trail (defaults to the path's name).
    criteria:
        Optional Criteria table (.csv or .xlsx) to use with a Vendors-only file.
    consensus:
        ``"mean"`` or ``"median"``: how several evaluators' Scores are combined.
    panel:
        ``True`` for a project's import (:func:`evaluation_from_book`): a criterion on an
        absolute scale with neither a Vendors column nor Scores rows is a panel criterion,
        not an error.
    decimal:
        ``"auto"``, ``"comma"`` or ``"point"``: how a CSV file writes decimals
        (:mod:`vendor_eval.workbook.importing.decimal`; ``auto`` decides from the file).

    Raises
    ------
    ValidationError
        Listing every problem found in the file(s).
    VendorEvalError
        When a file cannot be read at all (not a workbook, encrypted, too large, ...).
    """
    from vendor_eval.workbook.reading.book import read_book

    book = read_book(source, name)
    criteria_book = read_book(criteria, kind_hint="criteria") if criteria is not None else None
    return evaluation_from_book(book, criteria_book, consensus, panel=panel, decimal=decimal)


def _consensus(value: str | Consensus) -> Consensus:
    try:
        return Consensus.from_alias(value)
    except ValueError as e:
        raise VendorEvalError(f"consensus: {e}") from None


@dataclass
class _Scores:
    """The Scores sheet as read: its table, its rows, each row's criterion key, and the
    scores by criterion key (grouped once: a criterion's scores are then a lookup, not a
    pass over every row)."""

    table: Table | None = None
    rows: list[ScoreRow] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)

    @cached_property
    def by_key(self) -> dict[str, list[object]]:
        grouped: dict[str, list[object]] = {}
        for sr, key in zip(self.rows, self.keys, strict=True):
            grouped.setdefault(key, []).append(sr.score)
        return grouped


@dataclass
class _Criteria:
    """The criteria and categories, and where they were read (``table`` is ``None`` for
    the default model)."""

    criteria: list[Criterion]
    categories: list[Category] | None
    rows: list[CriterionRow] = field(default_factory=list)
    table: Table | None = None
    file: str | None = None

    @property
    def default_model(self) -> bool:
        return self.table is None


class _Importer:
    """One validation run, step by step; every step reports into one :class:`Problems`."""

    def __init__(
        self,
        book: RawBook,
        criteria_book: RawBook | None,
        consensus: Consensus,
        panel: bool = False,
    ):
        self.book = book
        self.criteria_book = criteria_book
        self.consensus = consensus
        self.panel = panel
        self.problems = Problems()
        self._looks: dict[str, str] | None = None
        self.cost_table: Table | None = None

    def run(self) -> Evaluation:
        self._check_sheets()
        vendors = read_vendors(self.book, self.problems)
        self._check_size(vendors, criteria=0)
        settings = read_settings(self.book, self.problems)
        scores_in = self._read_scores()
        self.cost_table = read_cost_table(self.book, self.problems)
        crit = self._read_criteria(vendors, scores_in)
        columns = self._link(crit, vendors, scores_in)
        crit.criteria, crit.categories = apply_weights_row(
            vendors, crit.criteria, crit.categories, columns, crit.default_model, self.problems
        )
        values, descriptive = self._values(vendors, crit.criteria, columns)
        units = column_units(vendors, crit.criteria, columns, self.problems)
        numeric, unscored = numeric_columns(vendors, columns, self.problems)
        scores = self._scores(scores_in, vendors, crit, values)
        costs = self._costs(vendors, crit, values, units, settings)
        self.problems.raise_if_errors(self.book.file_name)
        if vendors.table is not None:
            self._warn_incomplete(vendors, crit, values, columns)
        return Evaluation(
            vendors=vendors.names,
            criteria=crit.criteria,
            categories=crit.categories,
            values=values.astype(float),
            descriptive=descriptive,
            scores=scores,
            consensus=self.consensus,
            warnings=self.problems.warnings,
            source_name=self.book.file_name,
            source_sha256=self.book.sha256,
            default_model=crit.default_model,
            units=units,
            numeric_columns=numeric,
            unscored_columns=unscored,
            settings=settings,
            costs=costs.frame if costs is not None else None,
        )

    # -- the steps, in order ------------------------------------------------------------
    def _stop_unless(self, ok: bool) -> None:
        """Stop here (raising every error so far) after a size limit was exceeded: nothing
        of the size refused is built."""
        if not ok:
            self.problems.raise_if_errors(self.book.file_name)

    def _check_sheets(self) -> None:
        """Two sheets of one name; sheets beyond Excel's size (the import stops)."""
        fits = check_sheets(self.book, self.problems)
        if self.criteria_book is not None:
            found = self.problems.in_file(self.criteria_book.file_name)
            fits = check_sheets(self.criteria_book, found) and fits
        self._stop_unless(fits)

    def _check_size(self, vendors: Vendors, criteria: int) -> None:
        """At most MAX_VENDORS vendors and MAX_VALUE_CELLS values, vendors × columns or ×
        ``criteria`` (the import stops), before any value is read."""
        vt = vendors.table
        self._stop_unless(not vendors.oversized)  # read_vendors counted them (check_vendor_count)
        if vt is None:
            return
        n = len(vt.rows)
        self._stop_unless(check_vendor_count(n, vt.sheet, self.problems))
        columns = sum(1 for j, _ in vt.columns() if j != vendors.col)
        self._stop_unless(check_value_count(n, columns, criteria, vt.sheet, self.problems))

    def _read_scores(self) -> _Scores:
        sheet = find_sheet(self.book, SCORES.name)
        if sheet is None:
            return _Scores()
        table = read_table(sheet, self.problems, SCORES.marks)
        self._stop_unless(check_scores_count(len(table.rows), table.sheet, self.problems))
        rows = read_score_rows(table, self.problems)
        # each row's criterion key, computed once (raw_values runs per criterion)
        return _Scores(table, rows, [_key_of(sr.criterion) for sr in rows])

    def _read_criteria(self, vendors: Vendors, scores_in: _Scores) -> _Criteria:
        """The Criteria (and Categories) sheets, or the default model without them."""
        crit_sheet, cat_sheet, cfile = self._criteria_sheets()
        if crit_sheet is None:
            return self._default_model(vendors, scores_in)
        found = self.problems.in_file(cfile)
        ct = read_table(crit_sheet, found, CRITERIA.marks)
        self._stop_unless(check_criteria_count(len(ct.rows), ct.sheet, found))
        self._check_size(vendors, criteria=len(ct.rows))
        crows = parse_criteria(
            ct, found, lambda n: looks_yes_no(_raw_values(n, vendors, scores_in))
        )
        cat_t = read_table(cat_sheet, found, CATEGORIES.marks) if cat_sheet is not None else None
        cats_rows = parse_categories(cat_t, found) if cat_t is not None else None
        criteria, categories = check_weights(crows, ct, cats_rows, cat_t, found)
        if self.cost_table is not None:
            criteria = self._tco_from_costs(criteria, crows, ct, found)
        return _Criteria(criteria, categories, crows, ct, cfile)

    def _tco_from_costs(
        self, criteria: list[Criterion], rows: list[CriterionRow], ct: Table, found: Problems
    ) -> list[Criterion]:
        """With cost lines, the ``Total cost of ownership`` criterion takes its values from
        the Costs sheet: it must be in Criteria, with Scale price."""
        key = name_key(TCO_CRITERION)
        at = next((i for i, c in enumerate(criteria) if name_key(c.name) == key), None)
        costs = self.cost_table
        assert costs is not None
        if at is None:
            message = (
                f"the {COSTS.name} sheet gives each vendor's total cost of ownership, but the "
                f'{CRITERIA.name} sheet has no criterion "{TCO_CRITERION}": {TCO_ROW_HINT}'
            )
            self.problems.error(Code.MISSING_TCO_CRITERION, message, **costs.at(costs.header_row))
            return criteria
        c = criteria[at]
        if c.scale is not Scale.PRICE:
            message = (
                f"criterion {show(c.name)} takes its values from the {COSTS.name} sheet, so "
                f"its {SCALE.name} must be {Scale.PRICE.value} (is {c.scale.value})"
            )
            where = ct.at(rows[at].row, ct.col(SCALE) if ct.col(SCALE) is not None else None)
            found.error(Code.TCO_NOT_PRICE, message, **where)
        out = list(criteria)
        out[at] = c.replace(name=TCO_CRITERION, source="costs")  # as the outputs name it
        return out

    def _criteria_sheets(self) -> tuple[RawSheet | None, RawSheet | None, str | None]:
        """The Criteria and Categories sheets, and the file name if from the criteria file."""
        book, cb = self.book, self.criteria_book
        own = find_sheet(book, CRITERIA.name), find_sheet(book, CATEGORIES.name), None
        if cb is None:
            return own
        if own[0] is not None:
            self.problems.error(
                Code.CRITERIA_GIVEN_TWICE,
                f"{book.file_name} has its own {CRITERIA.name} sheet; leave out the separate "
                f"criteria file {cb.file_name}",
            )
            # check the workbook's own sheets only: the criteria file is not to be used, so
            # its rows naming other columns would add confusing follow-on problems
            return own
        crit = find_sheet(cb, CRITERIA.name) or (cb.sheets[0] if len(cb.sheets) == 1 else None)
        if crit is None:
            message = f'no "{CRITERIA.name}" sheet in the criteria file'
            self.problems.error(Code.MISSING_SHEET, message, file=cb.file_name)
        return crit, find_sheet(cb, CATEGORIES.name), cb.file_name

    def _default_model(self, vendors: Vendors, scores_in: _Scores) -> _Criteria:
        criteria, categories = match_default_model(
            vendors.table, vendors.col, scores_in.rows, self.problems
        )
        if self.cost_table is not None:
            criteria, categories = self._default_tco(criteria, categories)
        ignored = find_sheet(self.book, CATEGORIES.name)
        if ignored is not None:
            self.problems.warning(
                Code.IGNORED_SHEET,
                f"the {CATEGORIES.name} sheet is ignored without a {CRITERIA.name} sheet "
                "(the built-in default model's categories apply)",
                sheet=ignored.name,
            )
        return _Criteria(criteria, categories)

    def _default_tco(
        self, criteria: list[Criterion], categories: list[Category]
    ) -> tuple[list[Criterion], list[Category]]:
        """The default model with the Costs sheet's ``Total cost of ownership``: a price
        criterion in the Cost category (weight 100 within it), beside the cost criteria
        already there (a warning names them)."""
        tco = default_tco_criterion()
        beside = [c.name for c in criteria if c.category == tco.category]
        if beside:
            named = ", ".join(show(n) for n in beside)
            message = (
                f"the {COSTS.name} sheet's total cost of ownership is scored as criterion "
                f'"{TCO_CRITERION}" in the {tco.category} category, with the same weight as '
                f"{named}: add a {CRITERIA.name} sheet to weigh them differently"
            )
            table = self.cost_table
            assert table is not None
            self.problems.warning(Code.DEFAULT_TCO, message, sheet=table.sheet)
        if default_tco_category(categories) is None:
            home = default_tco_category(list(defaults.DEFAULT_CATEGORIES))
            assert home is not None
            order = [k.name for k in defaults.DEFAULT_CATEGORIES]
            categories = sorted([*categories, home], key=lambda k: order.index(k.name))
        return [*criteria, tco], categories

    def _link(self, crit: _Criteria, vendors: Vendors, scores_in: _Scores) -> dict[str, int]:
        """Link each criterion to its Vendors column (returned: name → column index) or to
        Scores (its ``source`` becomes ``"scores"``)."""
        vt, headers = vendors.table, vendors.headers
        score_keys = set(scores_in.keys) - {""}
        if crit.default_model:
            named = {sr.criterion for sr in scores_in.rows if could_be_name(sr.criterion)}
            canon = (defaults.canonical_name(str(c)) for c in named)
            score_keys |= {name_key(c) for c in canon if c}
        by_default = default_columns(vendors) if crit.default_model else {}
        columns: dict[str, int] = {}
        linked: set[str] = set()
        for i, c in enumerate(crit.criteria):
            key = name_key(c.name)
            if key in linked:
                continue  # a duplicate criterion, already reported
            linked.add(key)
            if c.source == "costs":
                self._costs_only(c, vendors, key in score_keys)
                continue
            j = headers.get(key) if not crit.default_model else by_default.get(c.name)
            in_scores = key in score_keys
            if j is not None and j == vendors.col:
                continue  # reported by parse_criteria
            if j is not None and in_scores and vt is not None:
                message = (
                    f"criterion {show(c.name)} has both a {VENDORS.name} column and rows in "
                    f"{SCORES.name}; keep only one"
                )
                self.problems.error(Code.COLUMN_AND_SCORES, message, **vt.at(vt.header_row, j))
            elif j is not None:
                columns[c.name] = j
            elif in_scores:
                crit.criteria[i] = c.replace(source="scores")
            elif not crit.default_model and c.name and crit.table is not None and headers:
                self._unlinked(crit, i, vendors)
        return columns

    def _costs_only(self, c: Criterion, vendors: Vendors, in_scores: bool) -> None:
        """A criterion computed from the Costs sheet has no Vendors column and no Scores
        rows: either is an error (which one would count could not be told)."""
        vt = vendors.table
        j = vendors.headers.get(name_key(c.name))
        if j is not None and vt is not None:
            message = (
                f"the column {show(c.name)} is computed from the {COSTS.name} sheet; delete "
                f"this column (or the {COSTS.name} sheet)"
            )
            self.problems.error(Code.TCO_COLUMN, message, **vt.at(vt.header_row, j))
        if in_scores:
            message = (
                f"criterion {show(c.name)} is computed from the {COSTS.name} sheet; delete "
                f"its rows here (or the {COSTS.name} sheet)"
            )
            self.problems.error(Code.TCO_COLUMN, message, sheet=SCORES.name)

    def _costs(
        self,
        vendors: Vendors,
        crit: _Criteria,
        values: pd.DataFrame,
        units: dict[str, str],
        settings: Settings,
    ) -> Costs | None:
        """The cost lines, and each vendor's TCO as the value of the criterion computed
        from them (under the settings' contract term and discount rate)."""
        table = self.cost_table
        if table is None:
            return None
        names = {name_key(n): n for n in vendors.names}
        costs = parse_costs(table, names, self.problems)
        fed = [c.name for c in crit.criteria if c.source == "costs"]
        if not fed:
            return costs
        tco = costs.tco(vendors.names, settings.term, settings.rate)
        check_tco(costs, tco, vendors.names, self.problems)
        for name in fed:
            values[name] = tco.to_numpy(dtype=float)
            if costs.unit:
                units[name] = costs.unit
        return costs

    def _unlinked(self, crit: _Criteria, i: int, vendors: Vendors) -> None:
        """Criterion ``i`` has neither a Vendors column nor Scores rows: an error, unless
        this is a project's import (``panel``) and it is on an absolute scale: then it is a
        panel criterion (``source`` ``"scores"``, every value missing until the panel
        scores it). Its name looking like a column's is an error either way: most likely
        it means that column."""
        c, ct = crit.criteria[i], crit.table
        assert ct is not None
        look_alike = looks_alike_hint(c.name, self._header_looks(vendors), "the column")
        if self.panel and c.scale is Scale.ABSOLUTE and not look_alike:
            crit.criteria[i] = c.replace(source="scores")
            return
        hint = _PANEL_HINT if self.panel and c.scale is not Scale.ABSOLUTE else ""
        if name_key(c.name) == name_key(TCO_CRITERION):
            hint = (
                f" (its values can come from a {COSTS.name} sheet: one row per cost line, "
                "Vendor | Item | Amount | Frequency | Quantity)"
            )
        message = (
            f"criterion {show(c.name)} has no column in {VENDORS.name} and no rows in "
            f"{SCORES.name}{hint}{look_alike}"
        )
        where = ct.at(crit.rows[i].row, ct.col(CRITERION))
        self.problems.in_file(crit.file).error(Code.UNLINKED_CRITERION, message, **where)

    def _header_looks(self, vendors: Vendors) -> dict[str, str]:
        """Look-alike key → header of the Vendors columns (computed once, when needed)."""
        if self._looks is None:
            vt = vendors.table
            self._looks = {look_key(h): h for _, h in vt.columns()} if vt is not None else {}
        return self._looks

    def _values(
        self, vendors: Vendors, criteria: list[Criterion], columns: dict[str, int]
    ) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Vendors × criteria from the Vendors columns (NaN where missing or from Scores),
        and the descriptive columns as read."""
        arr, descriptive = vendor_values(vendors, criteria, columns, self.problems)
        if vendors.table is not None and vendors.sheet is not None:
            merged_value_problems(vendors.sheet.merged, vendors.table, columns, self.problems)
        names = pd.Index([c.name for c in criteria], dtype=object)
        values = pd.DataFrame(arr, index=pd.Index(vendors.names, dtype=object), columns=names)
        return values, descriptive

    def _scores(
        self, scores_in: _Scores, vendors: Vendors, crit: _Criteria, values: pd.DataFrame
    ) -> pd.DataFrame | None:
        """The Scores sheet's long table; each Scores-fed criterion's consensus goes into
        ``values``."""
        st = scores_in.table
        if st is None:
            return None
        by_key = {name_key(c.name): c for c in crit.criteria}
        default_model = crit.default_model

        def find_criterion(text: str) -> Criterion | None:
            found = by_key.get(name_key(text))
            if found is None and default_model:
                canon = defaults.canonical_name(text)
                found = by_key.get(name_key(canon)) if canon else None
            return found

        unknown = (
            f"is not one of the built-in default model's criteria (add a {CRITERIA.name} sheet)"
            if default_model
            else f"is not in the {CRITERIA.name} sheet"
        )
        scores = parse_scores(
            st,
            scores_in.rows,
            {name_key(n): n for n in vendors.names},
            find_criterion,
            self.problems,
            lambda c, x, r, j: check_value(c, x, st, r, j, self.problems),
            unknown,
        )
        fed = [c.name for c in crit.criteria if c.source == "scores"]
        cons = consensus_values(scores, vendors.names, fed, self.consensus)
        for c in fed:
            values[c] = cons[c]
        return scores

    def _warn_incomplete(
        self, vendors: Vendors, crit: _Criteria, values: pd.DataFrame, columns: dict[str, int]
    ) -> None:
        vt = vendors.table
        assert vt is not None
        empty_criterion_warnings(crit.criteria, values, vt, columns, self.problems)
        completeness_warnings(
            crit.criteria, crit.categories, values, vt, vendors.col, vendors.rows, self.problems
        )


def default_columns(vendors: Vendors) -> dict[str, int]:
    """Default criterion name → the first Vendors column whose header names it."""
    found: dict[str, int] = {}
    if vendors.table is not None:
        for j, h in vendors.table.columns():
            canon = defaults.canonical_name(h) if j != vendors.col else None
            if canon is not None:
                found.setdefault(canon, j)
    return found


def _raw_values(crit_name: str, vendors: Vendors, scores_in: _Scores) -> list[object]:
    """A criterion's cells as written: its Vendors column, then its Scores rows."""
    key = name_key(crit_name)
    vals: list[object] = []
    j = vendors.headers.get(key)
    if j is not None and vendors.table is not None:
        vals = [cell(cells, j) for _, cells in vendors.table.rows]
    return vals + scores_in.by_key.get(key, [])


def _key_of(value: object) -> str:
    """A Scores cell's name key; ``""`` for an empty cell or text too long to be a name
    (refused when the row is parsed), which is then not normalised."""
    if value is None or (isinstance(value, str) and not could_be_name(value)):
        return ""
    return name_key(value)


def evaluation_from_book(
    book: RawBook,
    criteria_book: RawBook | None = None,
    consensus: str | Consensus = "mean",
    *,
    panel: bool = False,
    decimal: str = "auto",
) -> Evaluation:
    """Validate raw sheets and build the :class:`Evaluation` (docs/workbook-format.md).

    A sheet laid out as an evaluation matrix (criteria as rows, vendors as columns) is read
    as the Vendors and Criteria sheets it stands for, every problem at its own cell
    (:mod:`vendor_eval.workbook.importing.matrix`, docs/workbook-format.md §13).

    Parameters
    ----------
    book:
        The vendor workbook's cells (from :func:`vendor_eval.workbook.reading.book.read_book`).
    criteria_book:
        A separate Criteria table (and optionally Categories) for a Vendors-only file.
    consensus:
        How evaluators' Scores are combined: ``"mean"`` or ``"median"``.
    panel:
        A project's import: a criterion on an absolute scale (Min < Max) with neither a
        Vendors column nor Scores rows is accepted as a panel criterion, every value
        missing (``source`` ``"scores"``, as if nobody had scored it yet; see
        :attr:`Evaluation.panel_criteria`). Any other criterion without either is still
        an error, which then says what a panel criterion needs.
    decimal:
        ``"auto"``, ``"comma"`` or ``"point"``: how each CSV file writes decimals, decided
        once per file (:func:`~vendor_eval.workbook.importing.decimal.decide_decimal`; a
        book already decided keeps its convention). An .xlsx file's text is read with
        decimal points.

    Raises
    ------
    ValidationError
        With every error found; warnings are returned on ``Evaluation.warnings``.
    """
    how = _consensus(consensus)
    decided, criteria_book = with_conventions([book, criteria_book], decimal)
    assert decided is not None
    book = decided
    return import_with_matrix(
        book,
        lambda b: _Importer(b, criteria_book, how, panel).run(),
        criteria_file=criteria_book is not None,
    )
