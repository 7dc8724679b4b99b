"""The input side of the export: Data, and Vendors / Criteria / Categories / Scores.

Vendors, Criteria, Categories and Scores follow the input format
(docs/workbook-format.md), so the export is itself a valid input workbook: importing it
again reproduces the ranking. Percentages are written as fractions (as Excel stores them),
yes/no as ``yes``/``no``, Must rules as their text. The Criteria and Categories weights are
formulas pointing at the Weights sheet, so a weight edited there is also what a re-import
uses (the files carry cached values).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from vendor_eval.core.model import Criterion, Scale
from vendor_eval.output.excel.book import NOTE_FONT, Book, Sheet, col, crit_widths, ref
from vendor_eval.output.excel.sheets import DATA, WEIGHTS, Layout
from vendor_eval.workbook.schema import CATEGORIES, CRITERIA, SCORES, VENDOR, VENDORS


def _criterion_cells(sh: Sheet, crit: list[Criterion], vals: np.ndarray) -> list[list[str]]:
    """One column of cells per criterion, from column B: numbers, or yes/no as text."""
    cols = []
    for j, c in enumerate(crit):
        x = vals[:, j]
        if Scale.from_alias(c.scale) is Scale.YESNO:
            letter, first = col(j + 2), sh.next_row
            word = {True: _inline("yes"), False: _inline("no")}
            cols.append(
                [
                    "" if v != v else f'<c r="{letter}{r}"{word[v >= 0.5]}'
                    for r, v in enumerate(x.tolist(), first)
                ]
            )
        else:
            cols.append(sh.number_cells(col(j + 2), x))
    return cols


def _inline(word: str) -> str:
    """The rest of an inline-string cell holding a fixed word of the tool's own."""
    return f' t="inlineStr"><is><t>{word}</t></is></c>'


def _descriptive(lay: Layout) -> pd.DataFrame:
    d = lay.ranking.evaluation.descriptive
    if d is None or (d.empty and len(d.columns) == 0):
        return pd.DataFrame(index=lay.vendors)
    return (d if d.index.is_unique else d.iloc[0:0]).reindex(lay.vendors)


def _table(
    sh: Sheet, vendors: list[str], crit: list[Criterion], vals: np.ndarray, desc: pd.DataFrame
) -> None:
    """Vendor, criteria values, descriptive columns: the rows of Data and Vendors."""
    cols = [sh.text_cells("A", vendors), *_criterion_cells(sh, crit, vals)]
    dvals = desc.to_numpy(dtype=object)
    for k in range(dvals.shape[1]):
        cols.append(sh.value_cells(col(2 + len(crit) + k), dvals[:, k].tolist()))
    sh.append_columns(cols)


def write_data(book: Book, lay: Layout) -> None:
    """Data: the values as imported (criteria in the export's column order), descriptives."""
    ev = lay.ranking.evaluation
    desc = _descriptive(lay)
    sh = book.sheet(DATA, freeze="B2", widths=crit_widths(lay.m + len(desc.columns)))
    sh.header([VENDOR.name, *[c.name for c in lay.crit], *[str(h) for h in desc.columns]])
    vals = ev.values.reindex(lay.vendors)[[c.name for c in lay.crit]].to_numpy(dtype=float)
    _table(sh, lay.vendors, lay.crit, vals, desc)


def write_vendors(book: Book, lay: Layout) -> None:
    """Vendors (input format): criteria that come from columns, then descriptive columns."""
    ev = lay.ranking.evaluation
    crit = [c for c in ev.criteria if c.source != "scores"]
    desc = _descriptive(lay)
    sh = book.sheet(VENDORS.name, freeze="B2", widths=crit_widths(len(crit) + len(desc.columns)))
    order = list(ev.vendors)
    sh.header([VENDOR.name, *[c.name for c in crit], *[str(h) for h in desc.columns]])
    vals = ev.values.reindex(order)[[c.name for c in crit]].to_numpy(dtype=float)
    _table(sh, order, crit, vals, desc.reindex(order))


def write_criteria(book: Book, lay: Layout, weight_rows: dict[str, int]) -> None:
    """Criteria (input format); Weight refers to the editable weight on Weights."""
    sh = book.sheet(CRITERIA.name, freeze="B2", widths={1: 30, 2: 22, 8: 12, 9: 60})
    ev = lay.ranking.evaluation
    sh.header(CRITERIA.headers)
    for i, c in enumerate(ev.criteria):
        r = 2 + i
        sh.append(
            [
                sh.text(c.name, f"A{r}"),
                sh.text(c.category, f"B{r}"),
                sh.formula(f"C{r}", f"={ref(WEIGHTS, f'$C${weight_rows[c.name]}')}",
                           float(c.weight)),
                str(c.direction.value if hasattr(c.direction, "value") else c.direction),
                str(c.scale.value if hasattr(c.scale, "value") else c.scale),
                None if c.min is None else float(c.min),
                None if c.max is None else float(c.max),
                sh.text(c.must.text, f"H{r}") if c.must is not None else None,
                sh.text(c.description, f"I{r}") if c.description else None,
            ]
        )  # fmt: skip


def write_categories(book: Book, lay: Layout, weight_rows: dict[str, int]) -> None:
    """Categories (input format), when the evaluation has category weights."""
    ev = lay.ranking.evaluation
    if ev.categories is None:
        return
    sh = book.sheet(CATEGORIES.name, widths={1: 22, 3: 60})
    sh.header(CATEGORIES.headers)
    for i, k in enumerate(ev.categories):
        r = 2 + i
        sh.append(
            [
                sh.text(k.name, f"A{r}"),
                sh.formula(f"B{r}", f"={ref(WEIGHTS, f'$I${weight_rows[k.name]}')}",
                           float(k.weight)),
                sh.text(k.description, f"C{r}") if k.description else None,
            ]
        )  # fmt: skip


def write_scores(book: Book, lay: Layout) -> None:
    """Scores (input format): each evaluator's ratings, when the input had them."""
    scores = lay.ranking.evaluation.scores
    if scores is None:
        return
    sh = book.sheet(SCORES.name, widths={1: 18, 2: 28, 3: 28, 5: 60})
    heads = SCORES.headers
    sh.header(heads)
    cols = [c for c in heads if c in scores.columns]
    frame = scores[cols].to_numpy(dtype=object)
    for i, rec in enumerate(frame):
        r = 2 + i
        d = dict(zip(cols, rec, strict=True))
        sh.append(
            [
                sh.text(d.get("Evaluator"), f"A{r}"),
                sh.text(d.get("Vendor"), f"B{r}"),
                sh.text(d.get("Criterion"), f"C{r}"),
                sh.value(d.get("Score"), f"D{r}"),
                sh.text(d.get("Comment"), f"E{r}"),
            ]
        )


def note(sh: Sheet, text: str) -> None:
    sh.append([sh.styled(text, font=NOTE_FONT)])
