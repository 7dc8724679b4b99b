"""An evaluator's offline score sheet (docs/team.md §4): the workbook they fill in and return.

Three sheets:

* ``Scores`` (first, active): ``Vendor | Criterion | Score | Comment``, one row per pair the
  evaluator scores, drafts pre-filled; each Score cell has a drop-down of the criterion's
  whole points (or a decimal check from Min to Max) whose error message names the scale.
* ``Criteria guide``: who the sheet is for and how to fill it in, in plain words, then each
  criterion's category, scale, points and guide text.
* ``Token`` (hidden): the signed token in A1 that identifies project, evaluator and sheet
  revision when the sheet comes back (:mod:`vendor_eval.team.tokens`).

Every user text (names, comments, descriptions) is written as a string cell, cleaned and
quote-prefixed by :mod:`vendor_eval.output.safety`'s rules, so a vendor called ``=1+1``
stays text. This module formats only: the rows, the scales and the token are given.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from vendor_eval.core.model import format_number
from vendor_eval.output.excel.book import BOLD, FACE, HEADER_FILL, HEADER_FONT, INPUT_FILL, WRAP
from vendor_eval.output.safety import TextGuard, needs_quote_prefix
from vendor_eval.team.scale import whole_points
from vendor_eval.team.sheets import IssuedSheet

__all__ = [
    "GUIDE_SHEET",
    "HEADERS",
    "INSTRUCTIONS",
    "SCORES_SHEET",
    "TOKEN_NOTE",
    "TOKEN_SHEET",
    "GuideRow",
    "SheetRowIn",
    "scoresheet_bytes",
]

SCORES_SHEET = "Scores"
GUIDE_SHEET = "Criteria guide"
TOKEN_SHEET = "Token"
HEADERS = ("Vendor", "Criterion", "Score", "Comment")
GUIDE_HEADERS = ("Criterion", "Category", "Scale", "Points", "Guide")
INSTRUCTIONS = (
    "Fill in Score (and Comment: required for the lowest and highest score) on the Scores "
    "sheet; do not change the Vendor or Criterion cells; return the file to the project "
    "owner or upload it on the dashboard."
)
TOKEN_NOTE = "Do not edit: identifies this sheet"
# Excel's limits: a list validation's literal (characters) and a validation message.
_LIST_LIMIT = 255
_MESSAGE_LIMIT = 255
_TITLE_FONT = Font(name=FACE, size=13, bold=True)


@dataclass(frozen=True)
class GuideRow:
    """One criterion as the guide shows it; ``points`` are its whole points or ``None``
    (:func:`vendor_eval.team.scale.whole_points`)."""

    criterion: str
    category: str
    min: float
    max: float
    points: list[int] | None
    description: str


@dataclass(frozen=True)
class SheetRowIn:
    """One row of the Scores sheet: a pair to score, and its draft score and comment."""

    vendor: str
    criterion: str
    score: float | None
    comment: str


def _put_text(ws: Worksheet, ref: str, text: str, guard: TextGuard) -> None:
    """User text into cell ``ref`` as a string cell (never a formula); text a spreadsheet
    would read as a formula gets the quote prefix too."""
    cell = ws[ref]
    clean = guard.clean(text, f"{ws.title}!{ref}")
    cell.value = clean
    cell.data_type = "s"  # openpyxl took "=…" for a formula
    if needs_quote_prefix(clean):
        cell.quotePrefix = True


def _number(x: float) -> int | float:
    """A whole number as an int (so a list validation of points matches it)."""
    x = float(x)
    return int(x) if x.is_integer() and abs(x) < 1e15 else x


def _scale(row: GuideRow) -> str:
    return f"{format_number(row.min)}–{format_number(row.max)}"


def _span(row: GuideRow) -> str:
    return f"{format_number(row.min)} to {format_number(row.max)}"


def _points(row: GuideRow) -> str:
    if row.points is None:
        return f"any number from {_span(row)}"
    return ", ".join(str(p) for p in row.points)


def _formula_number(x: float) -> str:
    return str(_number(x)) if float(x).is_integer() else format(float(x), ".17g")


def _validation(row: GuideRow, guard: TextGuard) -> DataValidation:
    """The Score check of one criterion: a drop-down of its points, or a decimal from Min to
    Max (also whole numbers when the points are too many for a drop-down)."""
    name = guard.clean(row.criterion, f"validation of {row.criterion}")
    points = ",".join(str(p) for p in row.points) if row.points is not None else None
    if points is not None and len(points) + 2 <= _LIST_LIMIT:
        dv = DataValidation(type="list", formula1=f'"{points}"', allow_blank=True)
        error = f"Choose one of {_points(row)}: the scale {_scale(row)} of '{name}'."
    else:
        dv = DataValidation(
            type="whole" if points is not None else "decimal",
            operator="between",
            formula1=_formula_number(row.min),
            formula2=_formula_number(row.max),
            allow_blank=True,
        )
        what = "a whole number" if points is not None else "a number"
        error = f"Type {what} from {_span(row)}: the scale of '{name}'."
    dv.showErrorMessage = True
    dv.errorStyle = "stop"
    dv.errorTitle = "Not on the scale"
    dv.error = error[:_MESSAGE_LIMIT]
    dv.showInputMessage = True
    dv.promptTitle = f"Score {_scale(row)}"[:32]
    dv.prompt = f"Points: {_points(row)}"[:_MESSAGE_LIMIT]
    return dv


def _width(texts: Sequence[str], least: float, most: float) -> float:
    longest = max((len(t) for t in texts), default=0)
    return min(max(least, longest + 2.0), most)


def _write_scores(
    ws: Worksheet, rows: Sequence[SheetRowIn], guide: dict[str, GuideRow], guard: TextGuard
) -> None:
    for j, header in enumerate(HEADERS, 1):
        cell = ws.cell(row=1, column=j, value=header)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
    checks: dict[str, DataValidation] = {}
    for i, r in enumerate(rows, 2):
        if r.criterion not in guide:
            raise ValueError(f"no guide row for criterion {r.criterion!r}")
        _put_text(ws, f"A{i}", r.vendor, guard)
        _put_text(ws, f"B{i}", r.criterion, guard)
        score = ws.cell(row=i, column=3, value=None if r.score is None else _number(r.score))
        score.fill = INPUT_FILL
        if r.comment:
            _put_text(ws, f"D{i}", r.comment, guard)
        ws[f"D{i}"].fill = INPUT_FILL
        ws[f"D{i}"].alignment = WRAP
        if r.criterion not in checks:
            checks[r.criterion] = _validation(guide[r.criterion], guard)
        checks[r.criterion].add(f"C{i}")
    for dv in checks.values():
        ws.add_data_validation(dv)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:D{len(rows) + 1}"
    widths = {
        "A": _width([r.vendor for r in rows], 14, 40),
        "B": _width([r.criterion for r in rows], 14, 40),
        "C": 9.0,
        "D": 60.0,
    }
    for letter, w in widths.items():
        ws.column_dimensions[letter].width = w


def _made_at(time: datetime) -> str:
    if time.tzinfo is None:
        time = time.replace(tzinfo=UTC)
    return time.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


def _write_guide(
    ws: Worksheet,
    *,
    project: str,
    evaluator: str,
    revision: int,
    made_at: datetime,
    guide: Sequence[GuideRow],
    guard: TextGuard,
) -> None:
    ws["A1"] = "Score sheet"
    ws["A1"].font = _TITLE_FONT
    facts = [
        ("Project", project),
        ("Evaluator", evaluator),
        ("Sheet version", str(revision)),
        ("Made at (UTC)", _made_at(made_at)),
    ]
    for i, (label, value) in enumerate(facts, 2):
        ws.cell(row=i, column=1, value=label).font = BOLD
        _put_text(ws, f"B{i}", value, guard)
    top = len(facts) + 3
    ws.cell(row=top, column=1, value=INSTRUCTIONS).alignment = Alignment(wrap_text=True)
    ws.merge_cells(start_row=top, start_column=1, end_row=top, end_column=5)
    ws.row_dimensions[top].height = 45
    head = top + 2
    for j, header in enumerate(GUIDE_HEADERS, 1):
        cell = ws.cell(row=head, column=j, value=header)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
    for i, g in enumerate(guide, head + 1):
        _put_text(ws, f"A{i}", g.criterion, guard)
        _put_text(ws, f"B{i}", g.category, guard)
        _put_text(ws, f"C{i}", _scale(g), guard)
        _put_text(ws, f"D{i}", _points(g), guard)
        if g.description:
            _put_text(ws, f"E{i}", g.description, guard)
        ws[f"E{i}"].alignment = WRAP
    widths = {
        "A": _width([g.criterion for g in guide] + ["Made at (UTC)"], 14, 40),
        "B": _width([g.category for g in guide] + [project, evaluator], 14, 40),
        "C": 10.0,
        "D": _width([_points(g) for g in guide], 10, 30),
        "E": 70.0,
    }
    for letter, w in widths.items():
        ws.column_dimensions[letter].width = w


def scoresheet_bytes(
    *,
    project: str,
    evaluator: str,
    revision: int,
    rows: Sequence[SheetRowIn],
    guide: Sequence[GuideRow],
    token: str,
    made_at: datetime,
) -> bytes:
    """The evaluator's score sheet as .xlsx bytes.

    Parameters
    ----------
    project, evaluator, revision:
        Named on the guide sheet (the token carries them too).
    rows:
        The pairs to score, in the order of the sheet (the order the token signs).
    guide:
        One row per criterion named in ``rows`` (and any others to show).
    token:
        The signed token (:func:`vendor_eval.team.tokens.sign`), written to the hidden
        ``Token`` sheet.
    made_at:
        When the sheet was made (shown in UTC; a naive time is taken as UTC).

    Raises
    ------
    ValueError
        When a row names a criterion that ``guide`` does not describe.
    """
    guard = TextGuard()
    by_name = {g.criterion: g for g in guide}
    wb = Workbook()
    scores = wb.active
    assert isinstance(scores, Worksheet)  # a new workbook's one sheet
    scores.title = SCORES_SHEET
    _write_scores(scores, rows, by_name, guard)
    _write_guide(
        wb.create_sheet(GUIDE_SHEET),
        project=project,
        evaluator=evaluator,
        revision=revision,
        made_at=made_at,
        guide=guide,
        guard=guard,
    )
    hidden = wb.create_sheet(TOKEN_SHEET)
    _put_text(hidden, "A1", token, guard)
    hidden["A2"] = TOKEN_NOTE
    hidden.sheet_state = "hidden"
    wb.active = 0
    made = made_at if made_at.tzinfo is None else made_at.astimezone(UTC).replace(tzinfo=None)
    wb.properties.created = made
    wb.properties.creator = "vendor-eval"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def write_issued(issued: IssuedSheet) -> bytes:
    """The workbook of a sheet :func:`vendor_eval.team.sheets.scoresheet` issued."""
    guide = [
        GuideRow(c.name, c.category, float(c.min or 0), float(c.max or 0), whole_points(c),
                 c.description)
        for c in issued.criteria
    ]  # fmt: skip
    rows = [SheetRowIn(r.vendor, r.criterion, r.score, r.comment) for r in issued.rows]
    return scoresheet_bytes(
        project=issued.project, evaluator=issued.evaluator, revision=issued.revision,
        rows=rows, guide=guide, token=issued.token, made_at=issued.made_at,
    )  # fmt: skip
