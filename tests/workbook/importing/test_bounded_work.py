"""The importer's work on untrusted cells is bounded: linear in what the reader returned.

The importer runs in the parent process (the dashboard serves every user from it), on
whatever the sandboxed reader returned. Each case below used to cost time quadratic in the
data or a Python loop over every character of every cell.
"""

from __future__ import annotations

import pytest
from importer_helpers import BASE, raw_book, sheets
from time_limit import within

from vendor_eval.core.limits import EXCEL_CELL_LIMIT, MAX_PROBLEMS_PER_CODE
from vendor_eval.core.problems import Code, ValidationError
from vendor_eval.workbook.importing.load import evaluation_from_book
from vendor_eval.workbook.reading.rawbook import RawBook

V, C, S = "Vendors", "Criteria", "Scores"
CRITERIA = [BASE[C][0], ["Price", "Cost", 1, "lower"]]


def _vendors(n: int, *extra: object, price: object = 100) -> list[list[object]]:
    header = ["Vendor", "Price", *(f"Notes {j}" for j in range(len(extra)))]
    return [header, *([f"Vendor {i}", price, *extra] for i in range(n))]


def _book(**changes: object) -> RawBook:
    return raw_book(sheets(Criteria=CRITERIA, Categories=None, **changes))  # type: ignore[arg-type]  # sheets() takes rows


def test_a_long_text_in_every_descriptive_cell_is_checked_in_one_pass() -> None:
    long_text = "x" * (EXCEL_CELL_LIMIT - 1) + "."  # the longest a cell may hold
    book = _book(Vendors=_vendors(5_000, long_text, long_text))
    with within(3.0):
        ev = evaluation_from_book(book)
    assert ev.descriptive["Notes 0"].iloc[0] is long_text


def test_long_title_rows_above_the_header_are_not_normalised() -> None:
    title = "Ö" * (EXCEL_CELL_LIMIT - 1)  # not ASCII: normalising it is the slow path
    rows = [[title] * 2_000 for _ in range(10)] + _vendors(3)
    with within(3.0):
        ev = evaluation_from_book(_book(Vendors=rows))
    assert ev.vendors == ["Vendor 0", "Vendor 1", "Vendor 2"]


def test_a_criterion_named_on_every_scores_row_is_matched_once_per_name() -> None:
    name = "Qualität der Lösung – technische Bewertung (Punkte)"  # not ASCII
    crit = [*CRITERIA, [name, "Quality", 1]]  # Scale blank: read from its scores
    vendors = _vendors(2_000)
    scores = [["Evaluator", "Vendor", "Criterion", "Score"]] + [
        [f"Prüfer {e}", f"Vendor {v}", name, (e + v) % 5] for v in range(2_000) for e in range(50)
    ]
    book = raw_book(sheets(Vendors=vendors, Criteria=crit, Categories=None, Scores=scores))
    with within(8.0):
        ev = evaluation_from_book(book)
    assert ev.values.at["Vendor 3", name] == pytest.approx(sum((e + 3) % 5 for e in range(50)) / 50)


def test_a_sheet_of_wrong_cells_lists_the_first_problems_of_each_kind_then_a_count() -> None:
    book = _book(Vendors=_vendors(5_000, price="ten"))
    with within(3.0), pytest.raises(ValidationError) as exc:
        evaluation_from_book(book)
    problems = exc.value.problems
    assert len(problems) == MAX_PROBLEMS_PER_CODE + 1
    assert str(problems[0]) == 'Vendors!B2 (Price): "ten" is not a number'
    assert (problems[-1].code, problems[-1].sheet, problems[-1].message) == (
        Code.NOT_A_NUMBER,
        None,
        "4,000 more problems like these (not_a_number) are not listed: fix the 1,000 above, "
        "then check the file again",
    )
    assert len(str(exc.value).splitlines()) == MAX_PROBLEMS_PER_CODE + 2


@pytest.mark.slow
def test_the_largest_evaluation_accepted_imports_in_seconds() -> None:
    """10,000 vendors × 50 criteria: MAX_VENDORS, and MAX_VALUE_CELLS values."""
    names = [f"Criterion {k}" for k in range(50)]
    header = ["Vendor", *names]
    rows = [[f"Vendor {i}", *(((i * 31 + k) % 97) / 7 for k in range(50))] for i in range(10_000)]
    crit = [BASE[C][0], *([n, f"Group {k % 5}", 1] for k, n in enumerate(names))]
    book = raw_book(sheets(Vendors=[header, *rows], Criteria=crit, Categories=None))
    with within(20.0):
        ev = evaluation_from_book(book)
    assert ev.values.shape == (10_000, 50)
