"""Vendor workbook → validated :class:`~vendor_eval.core.model.Evaluation` (DESIGN §2).

:func:`load_evaluation` reads a file safely
(:func:`vendor_eval.workbook.reading.book.read_book`) and hands the raw cells to
:func:`evaluation_from_book`, which applies every rule of the workbook format, collects
**every** problem, and either returns the Evaluation (with its warnings) or raises one
:class:`~vendor_eval.core.problems.ValidationError` listing them all.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import IO

import numpy as np
import pandas as pd

from vendor_eval.core.model import Consensus, Criterion, Evaluation
from vendor_eval.core.problems import WARNING, Problem, ValidationError, VendorEvalError
from vendor_eval.workbook import defaults
from vendor_eval.workbook.importing.cells import (
    MAX_NAME_LENGTH,
    MAX_TEXT_LENGTH,
    CellError,
    name_key,
    parse_text,
    parse_value,
    show,
)
from vendor_eval.workbook.importing.checks import (
    completeness_warnings,
    empty_criterion_warnings,
    looks_yes_no,
    match_default_model,
    merged_value_problems,
    out_of_scale,
)
from vendor_eval.workbook.importing.criteria import (
    CriterionRow,
    check_weights,
    parse_categories,
    parse_criteria,
)
from vendor_eval.workbook.importing.scores import consensus_values, parse_scores, read_score_rows
from vendor_eval.workbook.importing.table import Table, cell, read_table
from vendor_eval.workbook.reading.rawbook import RawBook, RawSheet

__all__ = ["VENDOR_HEADERS", "evaluation_from_book", "load_evaluation"]

#: Headers accepted for the vendor-name column of the Vendors sheet.
VENDOR_HEADERS = ("Vendor", "Vendor name", "Supplier", "Supplier name")
_SCORES_HEADERS = ("Evaluator", "Criterion", "Score")
_OTHER_SHEETS = {"criteria", "categories", "scores"}

Source = str | Path | bytes | IO[bytes]


def load_evaluation(
    source: Source,
    *,
    name: str | None = None,
    criteria: Source | None = None,
    consensus: str | Consensus = "mean",
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
    return evaluation_from_book(book, criteria_book, consensus)


def _consensus(value: str | Consensus) -> Consensus:
    try:
        return Consensus.from_alias(value)  # type: ignore[return-value]
    except ValueError as e:
        raise VendorEvalError(f"consensus: {e}") from None


class _Importer:
    """One validation run: holds the collected problems and warnings."""

    def __init__(self, book: RawBook, criteria_book: RawBook | None, consensus: Consensus):
        self.book = book
        self.criteria_book = criteria_book
        self.consensus = consensus
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        self.columns: dict[str, int] = {}

    # -- sheets ----------------------------------------------------------------------
    def table(
        self, sheet: RawSheet, file: str | None = None, expect: tuple[str, ...] = ()
    ) -> Table:
        problems: list[Problem] = []
        warnings: list[Problem] = []
        t = read_table(sheet, problems, warnings, expect)
        self.problems += [p.with_file(file) for p in problems] if file else problems
        self.warnings += [p.with_file(file) for p in warnings] if file else warnings
        return t

    def criteria_sheets(self) -> tuple[RawSheet | None, RawSheet | None, str | None]:
        """The Criteria and Categories sheets, and the file name if from the criteria file."""
        cb = self.criteria_book
        if cb is None:
            return self.book.sheet("Criteria"), self.book.sheet("Categories"), None
        if self.book.sheet("Criteria") is not None:
            self.problems.append(
                Problem(
                    f"{self.book.file_name} has its own Criteria sheet; leave out the separate "
                    f"criteria file {cb.file_name}"
                )
            )
            # check the workbook's own sheets only: the criteria file is not to be used, so
            # its rows naming other columns would add confusing follow-on problems
            return self.book.sheet("Criteria"), self.book.sheet("Categories"), None
        crit = cb.sheet("Criteria") or (cb.sheets[0] if len(cb.sheets) == 1 else None)
        if crit is None:
            self.problems.append(
                Problem('no "Criteria" sheet in the criteria file', file=cb.file_name)
            )
        return crit, cb.sheet("Categories"), cb.file_name

    # -- Vendors -----------------------------------------------------------------------
    def vendors(self, vt: Table | None) -> tuple[list[tuple[str, int]], int | None]:
        """``(name, excel_row)`` per vendor, and the vendor column's index."""
        if vt is None:
            return [], None
        if vt.header_row is None:
            self.problems.append(
                vt.problem("the sheet is empty: the first row should hold the headers (Vendor, …)")
            )
            return [], None
        col = vt.col(*VENDOR_HEADERS)
        if col is None:
            found = ", ".join(h for _, h in vt.columns()) or "none"
            self.problems.append(
                vt.problem(f'no "Vendor" column (headers found: {found})', vt.header_row)
            )
            return [], None
        out: list[tuple[str, int]] = []
        seen: dict[str, int] = {}
        for r, cells in vt.rows:
            try:
                name = parse_text(cells[col], max_length=MAX_NAME_LENGTH, multiline=False)
            except CellError as e:
                self.problems.append(vt.problem(e.message, r, col))
                continue
            if not name_key(name):
                self.problems.append(vt.problem("vendor name is empty", r, col))
            elif vt.first_time(seen, name, r, col, "vendor name", self.problems):
                out.append((name, r))
        if not vt.rows:
            self.problems.append(
                vt.problem(
                    "no vendors: add one row per vendor below the header row", vt.header_row, col
                )
            )
        return out, col

    def run(self) -> Evaluation:
        book = self.book
        vs = book.sheet("Vendors")
        only = book.sheets[0] if len(book.sheets) == 1 else None
        if vs is None and only is not None and name_key(only.name) not in _OTHER_SHEETS:
            vs = only  # a CSV, or a lone sheet named otherwise ("Sheet1", a converted CSV)
        if vs is None:
            names = ", ".join(f'"{s.name}"' for s in book.sheets) or "none"
            self.problems.append(Problem(f'no "Vendors" sheet (sheets found: {names})'))
        vt = self.table(vs, expect=VENDOR_HEADERS) if vs is not None else None
        vendor_rows, vcol = self.vendors(vt)
        vendor_names = [n for n, _ in vendor_rows]

        st_sheet = book.sheet("Scores")
        st = self.table(st_sheet, expect=_SCORES_HEADERS) if st_sheet is not None else None
        score_rows = read_score_rows(st, self.problems) if st is not None else []

        crit_sheet, cat_sheet, cfile = self.criteria_sheets()
        headers = {name_key(h): j for j, h in vt.columns()} if vt is not None else {}
        # each Scores row's criterion key, computed once (raw_values runs per criterion)
        row_keys = [_key_of(sr.criterion) for sr in score_rows]

        def raw_values(crit_name: str) -> list[object]:
            key = name_key(crit_name)
            vals = []
            if key in headers and vt is not None:
                vals = [cell(cells, headers[key]) for _, cells in vt.rows]
            return vals + [sr.score for sr, k in zip(score_rows, row_keys, strict=True) if k == key]

        crows: list[CriterionRow] = []
        ct: Table | None = None
        default_model = crit_sheet is None
        if crit_sheet is not None:
            ct = self.table(crit_sheet, cfile, ("Criterion", "Criteria"))
            p0, w0 = len(self.problems), len(self.warnings)
            crows = parse_criteria(
                ct, self.problems, self.warnings, lambda n: looks_yes_no(raw_values(n))
            )
            cat_t = self.table(cat_sheet, cfile, ("Category",)) if cat_sheet is not None else None
            cats_rows = parse_categories(cat_t, self.problems) if cat_t is not None else None
            criteria, categories = check_weights(
                crows, ct, cats_rows, cat_t, self.problems, self.warnings
            )
            if cfile:
                self.problems[p0:] = [p.with_file(cfile) for p in self.problems[p0:]]
                self.warnings[w0:] = [p.with_file(cfile) for p in self.warnings[w0:]]
        else:
            criteria, categories = match_default_model(vt, vcol, score_rows, self.problems)
            if book.sheet("Categories") is not None:
                self.warnings.append(
                    Problem(
                        "the Categories sheet is ignored without a Criteria sheet (the built-in "
                        "default model's categories apply)",
                        sheet=book.sheet("Categories").name,  # type: ignore[union-attr]
                        severity=WARNING,
                    )
                )

        # -- link each criterion to its Vendors column or to Scores -------------------
        score_keys = set(row_keys) - {""}
        if default_model:
            canon = (defaults.canonical_name(str(sr.criterion)) for sr in score_rows)
            score_keys |= {name_key(c) for c in canon if c}
        columns: dict[str, int] = {}
        self.columns = columns
        linked: set[str] = set()
        for i, crit in enumerate(criteria):
            key = name_key(crit.name)
            if key in linked:
                continue  # a duplicate criterion, already reported
            linked.add(key)
            j = headers.get(key)
            if default_model and vt is not None:
                j = next(
                    (
                        j2
                        for j2, h in vt.columns()
                        if j2 != vcol and defaults.canonical_name(h) == crit.name
                    ),
                    None,
                )
            in_scores = key in score_keys
            if j is not None and j == vcol:
                continue  # reported by parse_criteria
            if j is not None and in_scores:
                self.problems.append(
                    vt.problem(  # type: ignore[union-attr]
                        f"criterion {show(crit.name)} has both a Vendors column and rows in "
                        "Scores; keep only one",
                        vt.header_row,  # type: ignore[union-attr]
                        j,
                    )
                )
            elif j is not None:
                columns[crit.name] = j
            elif in_scores:
                criteria[i] = crit.replace(source="scores")
            elif not default_model and crit.name and ct is not None and headers:
                self.problems.append(
                    ct.problem(
                        f"criterion {show(crit.name)} has no column in Vendors and no rows in "
                        "Scores",
                        crows[i].row,
                        ct.col("criterion", "criteria"),
                    ).with_file(cfile)
                )

        # -- values ------------------------------------------------------------------
        names = [c.name for c in criteria]
        index = pd.Index(vendor_names, dtype=object)
        by_key = {name_key(c.name): c for c in criteria}
        arr, descriptive = self._vendor_values(vt, vcol, criteria, columns, vendor_rows)
        if vt is not None and vs is not None:
            self.problems += merged_value_problems(vs.merged, vt, columns)
        values = pd.DataFrame(arr, index=index, columns=pd.Index(names, dtype=object))

        scores = None
        if st is not None:
            unknown = (
                "is not one of the built-in default model's criteria (add a Criteria sheet)"
                if default_model
                else "is not in the Criteria sheet"
            )

            def find_criterion(text: str) -> Criterion | None:
                found = by_key.get(name_key(text))
                if found is None and default_model:
                    canon = defaults.canonical_name(text)
                    found = by_key.get(name_key(canon)) if canon else None
                return found

            scores = parse_scores(
                st,
                score_rows,
                {name_key(n): n for n in vendor_names},
                find_criterion,
                self.problems,
                lambda c, x, r, j: self._check_range(c, x, st, r, j),
                unknown,
            )
            fed = [c.name for c in criteria if c.source == "scores"]
            cons = consensus_values(scores, vendor_names, fed, self.consensus)
            for c in fed:
                values[c] = cons[c]

        if self.problems:
            raise ValidationError(self.problems, file=book.file_name)
        if vt is not None:
            self.warnings += empty_criterion_warnings(criteria, values, vt, self.columns)
            self.warnings += completeness_warnings(
                criteria, categories, values, vt, vcol, vendor_rows
            )
        return Evaluation(
            vendors=vendor_names,
            criteria=criteria,
            categories=categories,
            values=values.astype(float),
            descriptive=descriptive,
            scores=scores,
            consensus=self.consensus,
            warnings=self.warnings,
            source_name=book.file_name,
            source_sha256=book.sha256,
            default_model=default_model,
        )

    def _vendor_values(
        self,
        vt: Table | None,
        vcol: int | None,
        criteria: list[Criterion],
        columns: dict[str, int],
        vendor_rows: list[tuple[str, int]],
    ) -> tuple[np.ndarray, pd.DataFrame]:
        """Parse every criterion cell of Vendors (vendors × criteria, NaN = missing) and
        check the descriptive cells, which are kept as read."""
        arr = np.full((len(vendor_rows), len(criteria)), np.nan)
        position = {r: i for i, (_, r) in enumerate(vendor_rows)}
        linked = [(k, c, columns[c.name]) for k, c in enumerate(criteria) if c.name in columns]
        descriptive_cols = [
            (j, h)
            for j, h in (vt.columns() if vt is not None else [])
            if j != vcol and j not in columns.values()
        ]
        desc: dict[str, list[object]] = {h: [] for _, h in descriptive_cols}
        for r, cells in vt.rows if vt is not None else []:
            i = position.get(r)
            for k, crit, j in linked:
                try:
                    x = parse_value(cells[j], crit.scale)
                except CellError as e:
                    self.problems.append(vt.problem(e.message, r, j))  # type: ignore[union-attr]
                    continue
                if not math.isnan(x):
                    self._check_range(crit, x, vt, r, j)
                    if i is not None:
                        arr[i, k] = x
            for j, h in descriptive_cols:
                v = cells[j]
                if isinstance(v, str) or not isinstance(v, int | float):
                    try:
                        parse_text(v, max_length=MAX_TEXT_LENGTH)
                    except CellError as e:
                        self.problems.append(vt.problem(e.message, r, j))  # type: ignore[union-attr]
                if i is not None:
                    desc[h].append(v)
        index = pd.Index([n for n, _ in vendor_rows], dtype=object)
        return arr, pd.DataFrame(desc, index=index, dtype=object)

    def _check_range(self, crit: Criterion, x: float, t: Table, r: int, j: int | None) -> None:
        msg = out_of_scale(crit, x)
        if msg:
            self.warnings.append(t.problem(msg, r, j, WARNING))


def _key_of(value: object) -> str:
    return "" if value is None else name_key(value)


def evaluation_from_book(
    book: RawBook,
    criteria_book: RawBook | None = None,
    consensus: str | Consensus = "mean",
) -> Evaluation:
    """Validate raw sheets and build the :class:`Evaluation` (DESIGN §2).

    Parameters
    ----------
    book:
        The vendor workbook's cells (from :func:`vendor_eval.workbook.reading.book.read_book`).
    criteria_book:
        A separate Criteria table (and optionally Categories) for a Vendors-only file.
    consensus:
        How evaluators' Scores are combined: ``"mean"`` or ``"median"``.

    Raises
    ------
    ValidationError
        With every error found; warnings are returned on ``Evaluation.warnings``.
    """
    return _Importer(book, criteria_book, _consensus(consensus)).run()
