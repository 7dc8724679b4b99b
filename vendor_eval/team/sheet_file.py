"""Read a returned score sheet (:mod:`vendor_eval.output.excel.scoresheet`) and check its
rows against the sheet that was issued.

:func:`read_scoresheet` reads the file with the sandboxed workbook reader and finds the
``Scores`` sheet, its four columns and the token of the hidden ``Token`` sheet (sheet names
and headers compared as the importer compares names: case and surrounding spaces
ignored). :func:`check_rows` then compares every row with the pairs the sheet was issued
for and every score with its criterion's scale (:mod:`vendor_eval.team.scale`), and lists
every problem it finds, each naming its cell. Neither touches the database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from vendor_eval.core.model import Criterion, format_number
from vendor_eval.core.problems import ValidationError
from vendor_eval.projects.errors import quoted
from vendor_eval.team import scale
from vendor_eval.team.errors import SheetRefused
from vendor_eval.workbook.reading.book import display_name, read_book
from vendor_eval.workbook.reading.rawbook import RawBook, RawSheet, column_letter
from vendor_eval.workbook.schema import name_key

__all__ = ["SheetFile", "SheetRow", "check_rows", "read_scoresheet"]

SCORES_SHEET = "Scores"
TOKEN_SHEET = "Token"
HEADERS = ("Vendor", "Criterion", "Score", "Comment")
_AGAIN = "download the sheet from vendor-eval again"


@dataclass(frozen=True)
class SheetRow:
    """One non-blank row of the Scores sheet: its Excel row number, the Vendor and
    Criterion cells as text (trimmed), the Score cell as read, and the comment (trimmed;
    ``""`` when blank)."""

    row: int
    vendor: str
    criterion: str
    score: object
    comment: str


@dataclass(frozen=True)
class SheetFile:
    """A returned score sheet as read: the file's name (safe to show), the token of its
    Token sheet (``None`` only when read with ``require_token=False`` and there is none),
    its rows, the Scores sheet's name as written and the column letter of each of
    :data:`HEADERS`."""

    file_name: str
    token: str | None
    rows: list[SheetRow]
    sheet: str = SCORES_SHEET
    columns: tuple[str, str, str, str] = ("A", "B", "C", "D")


def _text(value: object) -> str:
    """A name or comment cell as text, trimmed (``""`` when empty)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return format_number(value, 15)
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value).strip()


def _one_sheet(book: RawBook, wanted: str, file: str) -> RawSheet | None:
    found = book.sheets_named(wanted, name_key)
    if len(found) > 1:
        names = ", ".join(quoted(s.name) for s in found)
        raise SheetRefused(f"{file} has {len(found)} {wanted} sheets ({names}): keep one")
    return found[0] if found else None


def _columns(sheet: RawSheet, file: str) -> tuple[int, int, int, int]:
    """The 0-based column of each of :data:`HEADERS` in row 1."""
    header = [_text(v) for v in (sheet.rows[0] if sheet.rows else [])]
    where: dict[str, list[int]] = {}
    for j, text in enumerate(header):
        if text:
            where.setdefault(name_key(text), []).append(j)
    for h in HEADERS:
        if len(where.get(name_key(h), [])) > 1:
            letters = " and ".join(column_letter(j) for j in where[name_key(h)])
            raise SheetRefused(
                f"{file}: {sheet.name} has two {quoted(h)} columns ({letters}): keep one"
            )
    missing = [h for h in HEADERS if name_key(h) not in where]
    if missing:
        found = ", ".join(quoted(t) for t in header if t) or "none"
        lacks = ", ".join(quoted(h) for h in missing)
        plural = "s" if len(missing) > 1 else ""
        raise SheetRefused(
            f"{file}: {sheet.name}: row 1 has no {lacks} header{plural} (headers found: "
            f"{found}): {_AGAIN}"
        )
    a, b, c, d = (where[name_key(h)][0] for h in HEADERS)
    return a, b, c, d


def _rows(sheet: RawSheet, cols: tuple[int, int, int, int]) -> list[SheetRow]:
    out = []
    for i, raw in enumerate(sheet.rows[1:], 2):
        cells = [raw[j] if j < len(raw) else None for j in cols]
        vendor, criterion, comment = _text(cells[0]), _text(cells[1]), _text(cells[3])
        score = cells[2]
        if isinstance(score, str) and not score.strip():
            score = None
        if not (vendor or criterion or comment) and score is None:
            continue  # a blank row
        out.append(SheetRow(i, vendor, criterion, score, comment))
    return out


def _token(book: RawBook, file: str, require: bool) -> str | None:
    sheet = _one_sheet(book, TOKEN_SHEET, file)
    value = sheet.rows[0][0] if sheet and sheet.rows and sheet.rows[0] else None
    token = value.strip() if isinstance(value, str) else ""
    if token:
        return token
    if require:
        raise SheetRefused(f"{file} has no signature ({TOKEN_SHEET} sheet): {_AGAIN}")
    return None


def read_scoresheet(data: bytes, file_name: str, *, require_token: bool = True) -> SheetFile:
    """Read a returned score sheet (in the reader's sandbox).

    Raises
    ------
    SheetRefused
        When the file is not a workbook (or not a readable one), is a CSV file, has no
        ``Scores`` sheet (or two), lacks one of the headers ``Vendor``, ``Criterion``,
        ``Score``, ``Comment`` in row 1, or (with ``require_token``) has no token.
    """
    file = display_name(data, file_name)
    try:
        book = read_book(data, file_name)
    except ValidationError as e:
        raise SheetRefused(str(e)) from None
    if book.kind != "xlsx":
        raise SheetRefused(
            f"{file} is not an Excel workbook: return the .xlsx sheet vendor-eval made"
        )
    sheet = _one_sheet(book, SCORES_SHEET, file)
    if sheet is None:
        names = ", ".join(quoted(s.name) for s in book.sheets) or "none"
        raise SheetRefused(f"{file} has no {SCORES_SHEET} sheet (sheets: {names}): {_AGAIN}")
    cols = _columns(sheet, file)
    return SheetFile(
        file_name=file,
        token=_token(book, file, require_token),
        rows=_rows(sheet, cols),
        sheet=sheet.name,
        columns=(
            column_letter(cols[0]),
            column_letter(cols[1]),
            column_letter(cols[2]),
            column_letter(cols[3]),
        ),
    )


def _match(
    rows: Sequence[SheetRow], expected: Sequence[tuple[str, str]]
) -> tuple[dict[int, SheetRow], list[SheetRow], list[int], list[SheetRow]]:
    """Rows matched to the expected pairs by their Vendor and Criterion (so a sorted sheet
    still matches): ``{index of pair: row}``, the rows left over, the pairs left over, and
    rows that repeat a pair already matched."""
    wanted: dict[tuple[str, str], int] = {}
    for k, pair in enumerate(expected):
        wanted.setdefault(pair, k)
    matched: dict[int, SheetRow] = {}
    rest: list[SheetRow] = []
    repeats: list[SheetRow] = []
    for r in rows:
        at = wanted.get((r.vendor, r.criterion))
        if at is None:
            rest.append(r)
        elif at in matched:
            repeats.append(r)
        else:
            matched[at] = r
    missing = [k for k in range(len(expected)) if k not in matched]
    return matched, rest, missing, repeats


def _changed(sheet: SheetFile, r: SheetRow, pair: tuple[str, str]) -> list[str]:
    """A leftover row taken as the leftover pair in its place: which cell was changed."""
    out = []
    a, b = sheet.columns[0], sheet.columns[1]
    for letter, what, was, now in (
        (a, "Vendor", pair[0], r.vendor),
        (b, "Criterion", pair[1], r.criterion),
    ):
        if was != now:
            said = quoted(now) if now else "nothing"
            out.append(
                f"{sheet.file_name}: {sheet.sheet}!{letter}{r.row}: the {what} cell was changed "
                f"(the sheet said {quoted(was)}, it now says {said})"
            )
    return out


def _score(
    sheet: SheetFile, r: SheetRow, pair: tuple[str, str], criterion: Criterion
) -> tuple[float | None, list[str]]:
    """The row's score, and what is wrong with it or its comment."""
    c, d = sheet.columns[2], sheet.columns[3]
    about = f"({pair[0]}, {pair[1]})"
    here = f"{sheet.file_name}: {sheet.sheet}!{c}{r.row} {about}"
    try:
        value = scale.parse_score(r.score, criterion)
    except ValueError as e:
        return None, [f"{here}: {e}"]
    if value is None:
        return None, [f"{here}: no score"]
    problem = scale.score_problem(criterion, value)
    if problem:
        return None, [f"{here}: {problem}"]
    if scale.comment_required(criterion, value) and not r.comment:
        return value, [
            f"{sheet.file_name}: {sheet.sheet}!{d}{r.row} {about}: a comment is required for "
            f"the lowest and highest score ({format_number(value)})"
        ]
    return value, []


def check_rows(
    sheet: SheetFile,
    expected: Sequence[tuple[str, str]],
    criteria: Mapping[str, Criterion],
) -> tuple[list[tuple[str, str, float, str]], list[str]]:
    """Compare the sheet's rows with the pairs it was issued for, and check every score.

    A row is matched to its pair by the Vendor and Criterion cells (exactly as written,
    spaces around trimmed), wherever it is on the sheet. Rows that match no pair are taken,
    in order, as the pairs that no row matches, and each changed cell is named; a row
    beyond those is one that was not issued, and a pair beyond them is missing. Each score
    must be a number on its criterion's scale (:func:`vendor_eval.team.scale.score_problem`)
    and at the lowest or highest value needs a comment.

    Returns
    -------
    tuple
        The ``(vendor, criterion, score, comment)`` of each pair whose score is good, in
        the order of ``expected``, and every problem found (``[]`` when the sheet can be
        taken), each naming the file and the cell, e.g. ``Scores!C4 (Acme IT, Quality): no
        score``.

    Raises
    ------
    ValueError
        When ``criteria`` lacks a criterion named in ``expected`` (a programming error).
    """
    expected = [(v.strip(), c.strip()) for v, c in expected]
    for _v, c in expected:
        if c not in criteria:
            raise ValueError(f"no criterion {c!r} in criteria")
    matched, rest, missing, repeats = _match(sheet.rows, expected)
    where = f"{sheet.file_name}: {sheet.sheet}"
    a = sheet.columns[0]
    found: list[tuple[int, str]] = []  # (Excel row, problem): listed in row order
    placed = dict(matched)
    for r, k in zip(rest, missing, strict=False):
        found += [(r.row, p) for p in _changed(sheet, r, expected[k])]
        placed[k] = r
    for r in rest[len(missing) :]:
        found.append((r.row, f"{where}!{a}{r.row}: a row that is not on the sheet that was issued"))
    for r in repeats:
        first = matched[expected.index((r.vendor, r.criterion))].row
        found.append(
            (
                r.row,
                f"{where}!{a}{r.row}: a second row for {quoted(r.vendor)} / "
                f"{quoted(r.criterion)} (the first is row {first})",
            )
        )
    scores: list[tuple[str, str, float, str]] = []
    for k in sorted(placed):
        v, c = expected[k]
        value, wrong = _score(sheet, placed[k], (v, c), criteria[c])
        found += [(placed[k].row, p) for p in wrong]
        if value is not None and k in matched:
            scores.append((v, c, value, placed[k].comment))
    problems = [p for _row, p in sorted(found, key=lambda f: f[0])]
    for k in missing[len(rest) :]:
        v, c = expected[k]
        problems.append(f"{where}: the row for {quoted(v)} / {quoted(c)} is missing")
    return scores, problems
