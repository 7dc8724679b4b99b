"""Column mapping: score the uploaded columns the built-in default model does not know.

After an upload without a Criteria sheet, every column of numbers or yes/no values that no
criterion claims is listed in one table with a guess
(:func:`vendor_eval.workbook.mapping.guess_mappings`); the analyst ticks and corrects the
rows, and the evaluation on screen is the file re-imported with that mapping
(:func:`vendor_eval.workbook.mapping.apply_mapping`), so the ranking follows the table. A
mapping the import refuses is shown with every problem at its cell, and the last valid
evaluation stays. The mapping downloads as a Criteria (and Categories) sheet, and the Excel
export holds it as its Criteria sheet, so the next import needs no mapping.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from vendor_eval.core.model import Category, Criterion, Direction, Evaluation, Formula, Scale
from vendor_eval.core.problems import ValidationError, VendorEvalError
from vendor_eval.output.safety import TextGuard, needs_quote_prefix
from vendor_eval.ui import state
from vendor_eval.ui.editor_cells import FORMULAS
from vendor_eval.ui.text import md
from vendor_eval.workbook.mapping import MAPPING_SHEET, Mapping
from vendor_eval.workbook.reading.rawbook import RawBook

if TYPE_CHECKING:
    from streamlit.elements.lib.column_types import ColumnConfig

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COLUMNS = [
    "Column", "Holds", "Include", "Category", "Direction", "Scale", "Formula", "Weight",
    "Min", "Max", "Guess",
]  # fmt: skip
SCALES = [s.value for s in Scale]
DIRECTIONS = [d.value for d in Direction]
#: The download's file name after the upload's stem.
FILE_SUFFIX = "_criteria.xlsx"
CAPTION = (
    "These columns hold numbers or yes/no values, but the built-in model does not know "
    "them. Each row has a guess: **nothing is scored until it is included**; the ticked "
    "rows are scored now, and the ranking below follows the table. Change what is wrong: "
    "the category (one in use or a new name), direction, scale, formula, weight (relative "
    "within its category), and Min and Max for an absolute scale."
)
DOWNLOAD_HELP = (
    "An .xlsx with this mapping as Criteria and Categories sheets: give it as `--criteria "
    "FILE` on the command line, or copy its sheets into the workbook. The Excel export "
    "holds it too."
)


@dataclass(frozen=True)
class Offer:
    """A file whose columns can be mapped: its cells, name and guesses."""

    book: RawBook
    name: str
    guesses: list[Mapping]


def mapping_offer(base: Evaluation | None) -> Offer | None:
    """The column mapping for the upload on screen, or None: there is none for the sample,
    several files, a workbook with a Criteria sheet, or one whose columns are all scored.
    ``base`` None is a file whose only problem is that no column is a default criterion."""
    upload = st.session_state.get(state.UPLOAD)
    if upload is None or (base is not None and not (base.default_model and base.unscored_columns)):
        return None
    data, name = upload
    try:
        decimal = state.decimal_choice()
        book = state.book_cached(data, name, decimal)
        guesses = state.guesses_cached(book.sha256, name, book, base, decimal)
    except VendorEvalError:  # the load said it already
        return None
    return Offer(book, name, guesses) if guesses else None


def mapping_frame(rows: Sequence[Mapping]) -> pd.DataFrame:
    """The table: one row per column, its guess as editable cells."""
    return pd.DataFrame(
        [
            {
                "Column": m.column,
                "Holds": m.holds,
                "Include": m.include,
                "Category": m.category,
                "Direction": m.direction.value,
                "Scale": m.scale.value,
                "Formula": None if m.formula is None else m.formula.value,
                "Weight": math.nan if m.weight is None else m.weight,
                "Min": math.nan if m.min is None else m.min,
                "Max": math.nan if m.max is None else m.max,
                "Guess": m.reason,
            }
            for m in rows
        ],
        columns=COLUMNS,
    ).astype({"Weight": float, "Min": float, "Max": float})


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value == ""


def _number(value: object) -> float | None:
    return None if _blank(value) else float(value)  # type: ignore[arg-type]  # a NumberColumn


def mappings_from_frame(frame: pd.DataFrame, guesses: Sequence[Mapping]) -> list[Mapping]:
    """The edited table read back, row by row beside its guess (the column, what it holds
    and why it was guessed so are not editable). A cleared Direction or Scale is the
    guess's; a cleared Weight, Category or Min/Max stays empty for the import to name."""
    out = []
    for g, (_, row) in zip(guesses, frame.iterrows(), strict=True):
        formula = row["Formula"]
        out.append(
            Mapping(
                column=g.column,
                include=bool(row["Include"]) if not _blank(row["Include"]) else False,
                category="" if _blank(row["Category"]) else str(row["Category"]),
                direction=g.direction
                if _blank(row["Direction"])
                else Direction.from_alias(row["Direction"]),
                scale=g.scale if _blank(row["Scale"]) else Scale.from_alias(row["Scale"]),
                weight=_number(row["Weight"]),
                formula=None if _blank(formula) else Formula.from_alias(formula),
                min=_number(row["Min"]),
                max=_number(row["Max"]),
                reason=g.reason,
                holds=g.holds,
            )
        )
    return out


def _config(categories: Sequence[str]) -> dict[str, ColumnConfig]:
    cc = st.column_config
    named = ", ".join(md(c) for c in categories) or "none yet"
    return {
        "Column": cc.TextColumn(disabled=True, pinned=True, help="The header in the file"),
        "Holds": cc.TextColumn(disabled=True),
        "Include": cc.CheckboxColumn(help="Score this column (nothing is scored until ticked)"),
        "Category": cc.TextColumn(help=f"A category in use ({named}) or a new name"),
        "Direction": cc.SelectboxColumn(options=DIRECTIONS, required=True),
        "Scale": cc.SelectboxColumn(
            options=SCALES,
            required=True,
            help="relative: against the shortlist; absolute: on Min–Max; yes/no; price: "
            "lower is better, compared among the vendors that pass the must-haves",
        ),
        "Formula": cc.SelectboxColumn(
            options=FORMULAS,
            help="Price and relative only: ratio (lowest ÷ price, the default for a "
            "price), linear (the default otherwise), budget (price only, Max = ceiling)",
        ),
        "Weight": cc.NumberColumn(min_value=0.0, format="%g", help="Within its category"),
        "Min": cc.NumberColumn(format="%g", help="Absolute scale: the worst value"),
        "Max": cc.NumberColumn(
            format="%g", help="Absolute scale: the best value; budget formula: the ceiling"
        ),
        "Guess": cc.TextColumn(disabled=True, width="large", help="Why this guess"),
    }


def _seed(offer: Offer) -> pd.DataFrame:
    """What the table starts from: as last edited for this file (a visit to the other
    page drops the widget's edits, not this copy), else the guesses."""
    kept = st.session_state.get(state.MAPPING)
    if kept is not None and kept[0] == offer.book.sha256:
        return kept[1]
    return mapping_frame(offer.guesses)


def render_mapping(offer: Offer, base: Evaluation | None) -> Evaluation | None:
    """The mapping table; returns the evaluation to analyse: the file with the included
    columns scored, ``base`` when none is included, or the last valid mapped evaluation
    (``base`` before there is one) when the import refuses the mapping."""
    ss = st.session_state
    sha = offer.book.sha256
    n = len(offer.guesses)
    title = f"Column mapping: {n} column{'s' if n != 1 else ''} not in the built-in model"
    with st.expander(title, expanded=True, icon=":material/table_edit:"):
        st.caption(CAPTION)
        frame = st.data_editor(
            _seed(offer),
            key=state.key(f"mapping_{sha[:16]}"),
            column_config=_config(base.category_names if base is not None else []),
            hide_index=True,
            num_rows="fixed",
            width="stretch",
        )
        ss[state.MAPPING] = (sha, frame)
        shown, applied = _apply(offer, base, mappings_from_frame(frame, offer.guesses))
        if applied is not None and shown is not None:
            _render_download(shown, offer.name)
    _restart_weights_on_change(None if shown is None else (sha, applied))
    return shown


#: What is on screen when a mapping is not: the file as loaded (or nothing).
Applied = tuple[object, ...] | None


def _apply(
    offer: Offer, base: Evaluation | None, rows: list[Mapping]
) -> tuple[Evaluation | None, Applied]:
    """The evaluation to show and the key of the mapping it is (None: ``base``, the file as
    loaded): the mapped evaluation; ``base`` when nothing is included; the last valid
    mapped evaluation, else ``base``, when the import refuses the mapping (each problem
    shown at its cell)."""
    ss = st.session_state
    sha = offer.book.sha256
    if not any(m.include for m in rows):
        st.info(
            "No column is included: nothing of this table is scored. Tick **Include** on "
            "the rows to score.",
            icon=":material/info:",
        )
        ss[state.MAPPED] = None
        return base, None
    key = (sha, offer.name, state.decimal_choice(), *(m.key() for m in rows))
    try:
        mapped = state.mapped_cached(key, offer.book, base, rows)
    except VendorEvalError as exc:
        kept = ss.get(state.MAPPED)
        if kept is not None and kept[0] == sha:
            _render_refused(exc, LAST_MAPPING)
            return kept[2], kept[1]
        _render_refused(exc, AS_LOADED if base is not None else NOTHING_RANKED)
        return base, None
    ss[state.MAPPED] = (sha, key, mapped)
    return mapped, key


LAST_MAPPING = " The ranking below is from the last mapping that could be used."
AS_LOADED = " The ranking below is of the file as loaded, without this table's columns."
NOTHING_RANKED = " Nothing is ranked until it is fixed."


def _render_refused(exc: VendorEvalError, stays: str) -> None:
    """Why the mapping cannot be used, every problem at its place, and what is shown."""
    if isinstance(exc, ValidationError):
        n = len(exc.problems)
        lines = "\n".join(f"- {md(p)}" for p in exc.problems)
        st.error(
            f"**This mapping cannot be used**: {n} problem{'s' if n != 1 else ''}, in the "
            f"file or in the table ({MAPPING_SHEET}).{stays}\n\n{lines}",
            icon=":material/error:",
        )
    else:
        st.error(f"**This mapping cannot be used**: {md(exc)}.{stays}", icon=":material/error:")


def _restart_weights_on_change(applied: tuple[str, Applied] | None) -> None:
    """A new evaluation on screen (``applied``: the file's SHA-256 and the mapping's key)
    restarts the weights panel from it: its widgets are keyed by position, and the
    criteria and categories just changed."""
    ss = st.session_state
    previous = ss.get(state.MAPPING_APPLIED)
    if applied != previous:
        ss[state.MAPPING_APPLIED] = applied
        if previous is not None:
            state.reset_weights(state.scope())


def _render_download(mapped: Evaluation, source: str) -> None:
    from pathlib import PurePath

    st.download_button(
        "Download the mapping as a Criteria sheet (.xlsx)",
        data=lambda: mapping_workbook(mapped.criteria, mapped.categories),
        file_name=f"{PurePath(source).stem}{FILE_SUFFIX}",
        mime=XLSX_MIME,
        key=state.key("mapping_download"),
        on_click="ignore",
        icon=":material/download:",
        help=DOWNLOAD_HELP,
    )


def mapping_workbook(criteria: Sequence[Criterion], categories: Sequence[Category] | None) -> bytes:
    """The mapping as an .xlsx of a Criteria sheet (and a Categories sheet unless weights
    are flat), written by the template's own sheet writers: a criteria file for
    ``--criteria``, or sheets to copy into the workbook.

    Every text cell is a string cell, never a formula, with the quote prefix when a
    spreadsheet would read it as one (a header such as ``=HYPERLINK(…)``).
    """
    import dataclasses

    from openpyxl import Workbook

    from vendor_eval.workbook.template import (
        workbook_bytes,
        write_categories_sheet,
        write_criteria_sheet,
    )

    guard = TextGuard()
    wb = Workbook()
    wb.remove(wb.worksheets[0])
    sheets = [write_criteria_sheet(wb, [_clean(c, guard) for c in criteria])]
    if categories is not None:
        kept = [
            dataclasses.replace(
                k,
                name=guard.clean(k.name, "Categories"),
                description=guard.clean(k.description, "Categories"),
            )
            for k in categories
        ]
        sheets.append(write_categories_sheet(wb, kept))
    for ws in sheets:
        for row in ws.iter_rows(min_row=2):
            for c in row:
                if isinstance(c.value, str):
                    c.data_type = "s"  # openpyxl took "=…" for a formula
                    c.quotePrefix = needs_quote_prefix(c.value)
    return workbook_bytes(wb)


def _clean(c: Criterion, guard: TextGuard) -> Criterion:
    """``c`` with its texts storable in a cell (control characters replaced)."""
    return c.replace(
        name=guard.clean(c.name, "Criteria"),
        category=guard.clean(c.category, "Criteria"),
        description=guard.clean(c.description, "Criteria"),
    )
