"""Size limits: refused at import with a message naming the sheet, before anything big is built.

A CSV file can carry more columns or rows than an Excel sheet holds (``rank --out`` then
failed with an IndexError); an evaluation may hold at most MAX_VENDORS vendors,
MAX_CRITERIA criteria and MAX_VALUE_CELLS values (core/limits.py).
"""

from __future__ import annotations

import pytest
from importer_helpers import BASE, raw_book, sheets
from time_limit import within

from vendor_eval.core.limits import (
    EXCEL_MAX_COLUMNS,
    EXCEL_MAX_ROWS,
    MAX_CRITERIA,
    MAX_VALUE_CELLS,
    MAX_VENDORS,
)
from vendor_eval.core.problems import Code, ValidationError
from vendor_eval.workbook.importing.load import evaluation_from_book
from vendor_eval.workbook.reading.rawbook import RawBook, RawSheet

V, C = "Vendors", "Criteria"


def _problems(book: RawBook) -> list:
    with pytest.raises(ValidationError) as exc:
        evaluation_from_book(book)
    return exc.value.problems


def _csv(rows: list[list[object]]) -> RawBook:
    return RawBook("register.csv", "", "csv", [RawSheet(V, rows)])


def test_a_csv_wider_than_an_excel_sheet_is_refused_naming_the_sheet() -> None:
    header = ["Vendor", "Client rating", *(f"Note {j}" for j in range(EXCEL_MAX_COLUMNS - 1))]
    problems = _problems(_csv([header, ["Acme", "4", *(["x"] * (EXCEL_MAX_COLUMNS - 1))]]))
    assert [(p.code, p.sheet, p.file, str(p)) for p in problems] == [
        (
            Code.SHEET_TOO_LARGE,
            V,
            "register.csv",
            "Vendors: the sheet has 16,385 columns; an Excel sheet holds at most 16,384, so "
            "the results could not be exported: delete the columns you do not need",
        )
    ]


def test_trailing_empty_cells_do_not_count_as_columns() -> None:
    header = ["Vendor", "Client rating", *([None] * EXCEL_MAX_COLUMNS)]
    ev = evaluation_from_book(_csv([header, ["Acme", "4"]]))
    assert ev.vendors == ["Acme"]


def test_a_csv_longer_than_an_excel_sheet_is_refused_at_once() -> None:
    empty: list[object] = []
    rows = [["Vendor", "Client rating"], ["Acme", "4"], *([empty] * EXCEL_MAX_ROWS)]
    rows.append(["Bolt", "5"])  # row 1,048,579
    with within(2.0):
        problems = _problems(_csv(rows))
    assert [(p.code, p.message) for p in problems] == [
        (
            Code.SHEET_TOO_LARGE,
            "the sheet has 1,048,579 rows; an Excel sheet holds at most 1,048,576, so the "
            "results could not be exported: split the file into smaller registers",
        )
    ]
    rows.pop()  # trailing blank rows do not count
    assert evaluation_from_book(_csv(rows)).vendors == ["Acme"]


def _vendors(n: int, width: int = 1) -> list[list[object]]:
    header = ["Vendor", "Price", *(f"Note {j}" for j in range(width - 1))]
    return [header, *([f"Vendor {i}", 100, *([None] * (width - 1))] for i in range(n))]


CRITERIA = [BASE[C][0], ["Price", "Cost", 1, "lower"]]


def test_more_vendors_than_an_evaluation_holds_are_refused() -> None:
    book = raw_book(sheets(Vendors=_vendors(MAX_VENDORS + 1), Criteria=CRITERIA, Categories=None))
    assert [(p.code, p.sheet, p.message) for p in _problems(book)] == [
        (
            Code.TOO_MANY_VENDORS,
            V,
            "10,001 vendors: one evaluation holds at most 10,000; split the register into "
            "shortlists of at most 10,000 vendors",
        )
    ]
    book.sheets[0].rows.pop()
    assert len(evaluation_from_book(book).vendors) == MAX_VENDORS


def test_a_huge_register_is_refused_before_any_name_is_read(monkeypatch) -> None:
    from vendor_eval.workbook.importing import vendors

    def no_names(*args, **kwargs):
        raise AssertionError("the names of a register over the limit were read")

    monkeypatch.setattr(vendors, "_vendor_names", no_names)
    book = _csv([["Vendor", "Client rating"], *([f"V{i}", "3"] for i in range(MAX_VENDORS + 2))])
    assert [p.code for p in _problems(book)] == [Code.TOO_MANY_VENDORS]


def test_more_criteria_than_an_evaluation_holds_are_refused() -> None:
    rows = [BASE[C][0], *([f"C{i}", "Cost", 1] for i in range(MAX_CRITERIA + 1))]
    book = raw_book(sheets(Criteria=rows, Categories=None))
    assert [(p.code, p.sheet, p.message) for p in _problems(book)] == [
        (
            Code.TOO_MANY_CRITERIA,
            C,
            "1,001 criteria: one evaluation holds at most 1,000; keep the criteria that "
            "decide the choice, or split them into separate evaluations",
        )
    ]


def test_more_values_than_an_evaluation_holds_are_refused_before_they_are_read() -> None:
    width = MAX_VALUE_CELLS // 1_000 + 1  # 1,000 vendors × 501 columns
    rows = _vendors(1_000, width)
    for r in rows[1:]:
        r[1] = "not a number"  # never read: the size is refused first
    book = raw_book(sheets(Vendors=rows, Criteria=CRITERIA, Categories=None))
    assert [(p.code, p.sheet, p.message) for p in _problems(book)] == [
        (
            Code.TOO_MANY_VALUES,
            V,
            "1,000 vendors × 501 columns = 501,000 values: one evaluation holds at most "
            "500,000; split the register into smaller shortlists, or delete the columns "
            "you do not need",
        )
    ]


def test_more_scores_rows_than_an_evaluation_holds_are_refused() -> None:
    row: list[object] = ["Ann", "Acme", "Fit", 4]
    scores = [["Evaluator", "Vendor", "Criterion", "Score"], *([row] * (MAX_VALUE_CELLS + 1))]
    crit = [*BASE[C], ["Fit", "Capability", 1, None, "absolute", 1, 5]]
    problems = _problems(raw_book(sheets(Scores=scores, Criteria=crit)))
    assert [(p.code, p.sheet) for p in problems] == [(Code.TOO_MANY_VALUES, "Scores")]
    assert problems[0].message.startswith("500,001 scores: one evaluation holds at most 500,000")
