"""The input side of the export: Data, and Vendors / Criteria / Categories / Scores.

(Costs and Settings, also input sheets, are written by :mod:`.costs` and :mod:`.settings`.)

Vendors, Criteria, Categories and Scores follow the input format
(docs/workbook-format.md), so the export is itself a valid input workbook: importing it
again reproduces the ranking. Percentages are written as fractions (as Excel stores them),
yes/no as ``yes``/``no``, Must rules as their text. The Criteria and Categories weights are
formulas pointing at the Weights sheet, so a weight edited there is also what a re-import
uses (the files carry cached values).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from vendor_eval.core.costs import TCO_CRITERION
from vendor_eval.core.model import Criterion, Scale
from vendor_eval.output.excel.book import (
    LINE_HEIGHT,
    NOTE_FONT,
    WRAP,
    Book,
    Sheet,
    col,
    crit_widths,
    ref,
    text_lines,
)
from vendor_eval.output.excel.sheets import CAT_WEIGHT, DATA, WEIGHTS, Layout
from vendor_eval.workbook import schema
from vendor_eval.workbook.schema import Column, SheetLayout


def _criterion_cells(sh: Sheet, crit: list[Criterion], vals: np.ndarray) -> list[list[str]]:
    """One column of cells per criterion, from column B: numbers, or yes/no as text."""
    cols = []
    for j, c in enumerate(crit):
        x = vals[:, j]
        if Scale.from_alias(c.scale) is Scale.YESNO:
            letter, first = col(j + 2), sh.next_row
            word = {True: _word(sh, "yes"), False: _word(sh, "no")}
            cols.append(
                [
                    "" if v != v else f'<c r="{letter}{r}"{word[v >= 0.5]}'
                    for r, v in enumerate(x.tolist(), first)
                ]
            )
        else:
            cols.append(sh.number_cells(col(j + 2), x))
    return cols


def _word(sh: Sheet, word: str) -> str:
    """The rest of a string cell holding a fixed word of the tool's own."""
    return f' t="s"><v>{sh.book.string(word)}</v></c>'


def _descriptive(lay: Layout) -> pd.DataFrame:
    d = lay.ranking.evaluation.descriptive
    if d is None or (d.empty and len(d.columns) == 0):
        return pd.DataFrame(index=lay.vendors)
    return (d if d.index.is_unique else d.iloc[0:0]).reindex(lay.vendors)


def _table(
    sh: Sheet, vendors: list[str], crit: list[Criterion], vals: np.ndarray, desc: pd.DataFrame
) -> None:
    """Vendor, criteria values, descriptive columns: the rows of Data and Vendors. A
    descriptive text wraps in its column (:data:`DESCRIPTIVE_WIDTH`), its row as tall as
    it needs, so that a long note prints whole and over nothing."""
    cols = [sh.text_cells("A", vendors), *_criterion_cells(sh, crit, vals)]
    dvals = desc.to_numpy(dtype=object)
    texts: dict[int, list[object]] = {}
    for k in range(dvals.shape[1]):
        values = dvals[:, k].tolist()
        texts[2 + len(crit) + k] = [v if isinstance(v, str) else "" for v in values]
        cols.append(sh.value_cells(col(2 + len(crit) + k), values, alignment=WRAP))
    sh.append_columns(cols, heights=sh.row_heights(texts))


DESCRIPTIVE_WIDTH = 30.0  # the width of a descriptive column (Website, Notes, …) on Data


def _table_widths(criteria: int, descriptive: int) -> dict[int, float]:
    """Widths of Data and Vendors: Vendor, the criteria, then the descriptive columns."""
    widths = crit_widths(criteria + descriptive)
    widths.update(dict.fromkeys(range(2 + criteria, 2 + criteria + descriptive), DESCRIPTIVE_WIDTH))
    return widths


def write_data(book: Book, lay: Layout) -> None:
    """Data: the values as imported (criteria in the export's column order), descriptives."""
    ev = lay.ranking.evaluation
    desc = _descriptive(lay)
    sh = book.sheet(DATA, freeze="B2", widths=_table_widths(lay.m, len(desc.columns)))
    sh.header([schema.VENDOR.name, *[c.name for c in lay.crit], *[str(h) for h in desc.columns]])
    vals = ev.values.reindex(lay.vendors)[[c.name for c in lay.crit]].to_numpy(dtype=float)
    _table(sh, lay.vendors, lay.crit, vals, desc)


def write_vendors(book: Book, lay: Layout) -> None:
    """Vendors (input format): criteria that come from columns, then descriptive columns."""
    ev = lay.ranking.evaluation
    crit = _vendor_criteria(lay)
    desc = _descriptive(lay)
    sh = book.sheet(
        schema.VENDORS.name, freeze="B2", widths=_table_widths(len(crit), len(desc.columns))
    )
    order = list(ev.vendors)
    sh.header([schema.VENDOR.name, *[c.name for c in crit], *[str(h) for h in desc.columns]])
    vals = ev.values.reindex(order)[[c.name for c in crit]].to_numpy(dtype=float)
    _table(sh, order, crit, vals, desc.reindex(order))


def _height(sh: Sheet, sheet: SheetLayout, texts: Mapping[Column, object]) -> float | None:
    """The height of a row whose ``texts`` wrap in their columns (``None``: one line)."""
    lines = max(text_lines(t, sh.width(sheet.index(c) + 1)) for c, t in texts.items())
    return LINE_HEIGHT * lines if lines > 1 else None


def _at(sheet: SheetLayout, column: Column, row: int) -> str:
    """The reference of ``column``'s cell in ``row`` of an input sheet (``C5``)."""
    return f"{col(sheet.index(column) + 1)}{row}"


def _widths(sheet: SheetLayout, widths: Mapping[Column, float]) -> dict[int, float]:
    """Column widths by 1-based column number, from widths by column."""
    return {sheet.index(c) + 1: w for c, w in widths.items()}


def _formula(c: Criterion) -> str | None:
    """The Formula cell: the formula that scores a price or relative criterion (a blank
    cell's default written out: ``ratio`` for a price, ``linear`` otherwise), blank for the
    absolute and yes/no scales. Re-imported, it scores exactly as the blank did."""
    formula = c.effective_formula
    return None if formula is None else formula.value


def _vendor_criteria(lay: Layout) -> list[Criterion]:
    """The criteria the Vendors sheet holds: those from columns, except the total cost of
    ownership when a Costs sheet gives it (a Vendors column of that name would clash)."""
    ev = lay.ranking.evaluation
    tco = TCO_CRITERION if ev.costs is not None else None
    return [c for c in ev.criteria if c.source != "scores" and c.name != tco]


def write_criteria(book: Book, lay: Layout, weight_rows: dict[str, int]) -> None:
    """Criteria (input format); Weight refers to the editable weight on Weights."""
    sheet = schema.CRITERIA
    widths = {
        schema.CRITERION: 30,
        schema.CATEGORY: 22,
        schema.MUST: 12,
        schema.GOAL: 24,
        schema.DESCRIPTION: 60,
    }
    sh = book.sheet(sheet.name, freeze="B2", widths=_widths(sheet, widths))
    ev = lay.ranking.evaluation
    sh.header(sheet.headers)
    for r, c in enumerate(ev.criteria, start=2):
        weight = f"={ref(WEIGHTS, f'$C${weight_rows[c.name]}')}"
        cells: dict[Column, object] = {
            schema.CRITERION: sh.text(c.name, _at(sheet, schema.CRITERION, r)),
            schema.CATEGORY: sh.text(c.category, _at(sheet, schema.CATEGORY, r)),
            schema.WEIGHT: sh.formula(_at(sheet, schema.WEIGHT, r), weight, float(c.weight)),
            schema.DIRECTION: str(getattr(c.direction, "value", c.direction)),
            schema.SCALE: str(getattr(c.scale, "value", c.scale)),
            schema.FORMULA: _formula(c),
            schema.MIN: None if c.min is None else float(c.min),
            schema.MAX: None if c.max is None else float(c.max),
            schema.MUST: (
                sh.text(c.must.text, _at(sheet, schema.MUST, r)) if c.must is not None else None
            ),
            schema.GOAL: (
                sh.text(c.goal, _at(sheet, schema.GOAL, r), alignment=WRAP) if c.goal else None
            ),
            schema.DESCRIPTION: (
                sh.text(c.description, _at(sheet, schema.DESCRIPTION, r), alignment=WRAP)
                if c.description
                else None
            ),
        }
        sh.append([cells[column] for column in sheet.columns], height=_height(sh, sheet, {
            schema.GOAL: c.goal, schema.DESCRIPTION: c.description}))  # fmt: skip


def write_categories(book: Book, lay: Layout, weight_rows: dict[str, int]) -> None:
    """Categories (input format), when the evaluation has category weights."""
    ev = lay.ranking.evaluation
    if ev.categories is None:
        return
    sheet = schema.CATEGORIES
    widths = {schema.CATEGORY: 22, schema.DESCRIPTION: 60}
    sh = book.sheet(sheet.name, widths=_widths(sheet, widths))
    sh.header(sheet.headers)
    for r, k in enumerate(ev.categories, start=2):
        weight = f"={ref(WEIGHTS, f'${CAT_WEIGHT}${weight_rows[k.name]}')}"
        cells: dict[Column, object] = {
            schema.CATEGORY: sh.text(k.name, _at(sheet, schema.CATEGORY, r)),
            schema.WEIGHT: sh.formula(_at(sheet, schema.WEIGHT, r), weight, float(k.weight)),
            schema.CATEGORY_MINIMUM: None if k.minimum is None else float(k.minimum),
            schema.DESCRIPTION: (
                sh.text(k.description, _at(sheet, schema.DESCRIPTION, r), alignment=WRAP)
                if k.description
                else None
            ),
        }
        sh.append([cells[column] for column in sheet.columns],
                  height=_height(sh, sheet, {schema.DESCRIPTION: k.description}))  # fmt: skip


def write_scores(book: Book, lay: Layout) -> None:
    """Scores (input format): each evaluator's ratings, when the input had them."""
    scores = lay.ranking.evaluation.scores
    if scores is None:
        return
    sheet = schema.SCORES
    widths = {
        schema.EVALUATOR: 18,
        schema.SCORE_VENDOR: 28,
        schema.SCORE_CRITERION: 28,
        schema.COMMENT: 60,
    }
    sh = book.sheet(sheet.name, widths=_widths(sheet, widths))
    sh.header(sheet.headers)
    present = [c for c in sheet.columns if c.name in scores.columns]
    frame = scores[[c.name for c in present]].to_numpy(dtype=object)
    # The score as read (a number); every other cell as guarded text.
    writers = [(c, sh.value if c is schema.SCORE else sh.text) for c in sheet.columns]
    for r, rec in enumerate(frame, start=2):
        d = dict(zip(present, rec, strict=True))
        sh.append([put(d.get(c), _at(sheet, c, r)) for c, put in writers])


def note(sh: Sheet, text: str) -> None:
    sh.append([sh.styled(text, font=NOTE_FONT)])
