"""Every problem the importer reports carries a reason code: one case per code.

The messages are pinned in test_importer.py; here each :class:`Code` is produced by a
small edit of the valid base workbook and found at the cell where it belongs.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from importer_helpers import BASE, edited, raw_book, sheets

from vendor_eval.core.problems import Code, ValidationError
from vendor_eval.workbook.importing.load import evaluation_from_book
from vendor_eval.workbook.reading.book import read_book
from vendor_eval.workbook.reading.rawbook import FormulaWithoutValue, RawBook, RawSheet

V, C, K, S = "Vendors", "Criteria", "Categories", "Scores"
SCORES = [["Evaluator", "Vendor", "Criterion", "Score"], ["Ann", "Acme", "Fit", 4]]
FIT = ["Fit", "Capability", 1, None, "absolute", 1, 5, None]


def _with_scores(*rows: list[object], fit: bool = True) -> dict[str, list[list[object]]]:
    book = sheets(Scores=[SCORES[0], *rows])
    if fit:
        book[C].append(list(FIT))
    return book


def _two_vendors_sheets() -> RawBook:
    rb = raw_book(sheets())
    rb.sheets.append(RawSheet(" VENDORS ", [list(r) for r in BASE[V]]))
    return rb


def _many_vendors(n: int, width: int) -> dict[str, list[list[object]]]:
    """``n`` vendors with ``width`` columns of values (criterion Price, then descriptive)."""
    header = ["Vendor", "Price", *(f"Note {j}" for j in range(width - 1))]
    rows = [[f"Vendor {i}", 100, *([None] * (width - 1))] for i in range(n)]
    crit = [BASE[C][0], ["Price", "Cost", 1, "lower"]]
    return sheets(Vendors=[header, *rows], Criteria=crit, Categories=None)


def _many_criteria(n: int) -> dict[str, list[list[object]]]:
    crit = [BASE[C][0], *(["Price" if i == 0 else f"C{i}", "Cost", 1] for i in range(n))]
    return sheets(Criteria=crit, Categories=None)


PRICE = (C, "E5", "price")
FORMULA = (C, "I1", "Formula")
TCO_ROW = ["Total cost of ownership", "Cost", 1, None, "price"]
COSTS_HEAD = ["Vendor", "Item", "Amount", "Frequency", "Quantity"]


def _settings(*rows: list[object]) -> dict[str, list[list[object]]]:
    return sheets(Settings=[["Setting", "Value"], *rows])


def _costs(*lines: list[object], tco: list[object] | None = TCO_ROW) -> dict:
    crit = [list(r) for r in BASE[C]] + ([list(tco)] if tco else [])
    return sheets(Criteria=crit, Costs=[COSTS_HEAD, *lines])


def _tco_column() -> dict:
    book = _costs(["Acme", "x", 1, "monthly"])
    for row, value in zip(book[V], ["Total cost of ownership", 1, 2, 3], strict=True):
        row.append(value)
    return book


def _merged() -> RawBook:
    rb = raw_book(edited((V, "C3", None)))
    rb.sheets[0].merged = [(1, 2, 2, 2)]  # C2:C3 holds Acme's rating only
    return rb


# An evaluation matrix (docs/workbook-format.md §13).
MATRIX = [["Criteria", "Weight", "Acme"], ["Price", 1, 3]]

# (code, the book, where the problem is: (sheet, cell) or None for the file)
ERRORS: list[tuple[str, object, tuple[str | None, str]]] = [
    (Code.MISSING_SHEET, sheets(Vendors=None), (None, "")),
    (Code.DUPLICATE_SHEET, _two_vendors_sheets(), (" VENDORS ", "")),
    (Code.SHEET_TOO_LARGE, edited((V, "XFE2", "x")), (V, "")),  # column 16,385
    (Code.TOO_MANY_VENDORS, _many_vendors(10_001, 1), (V, "")),
    (Code.TOO_MANY_CRITERIA, _many_criteria(1_001), (C, "")),
    (Code.TOO_MANY_VALUES, _many_vendors(5_001, 100), (V, "")),
    (Code.EMPTY_SHEET, sheets(Vendors=[[None], []]), (V, "")),
    (Code.MATRIX_LAYOUT, {"Round 1": MATRIX, "Round 2": MATRIX}, ("Round 2", "1")),
    (Code.MISSING_HEADER, edited((V, "A1", "Name")), (V, "1")),
    (Code.DUPLICATE_HEADER, edited((V, "G1", "price")), (V, "G1")),
    (Code.NO_VENDORS, sheets(Vendors=[BASE[V][0]]), (V, "A1")),
    (Code.NO_CRITERIA, sheets(Criteria=[BASE[C][0]], Categories=None), (C, "A1")),
    (Code.EMPTY_NAME, edited((V, "A3", None)), (V, "A3")),
    (Code.DUPLICATE_VENDOR, edited((V, "A4", "acme")), (V, "A4")),
    (Code.DUPLICATE_CRITERION, edited((C, "A3", "years in business")), (C, "A3")),
    (Code.DUPLICATE_CATEGORY, edited((K, "A4", "reputation")), (K, "A4")),
    (Code.DUPLICATE_SCORE, _with_scores(SCORES[1], SCORES[1]), (S, "C3")),
    (Code.VENDOR_COLUMN_AS_CRITERION, edited((C, "A2", "Supplier")), (C, "A2")),
    (Code.UNKNOWN_CATEGORY, edited((C, "B5", "Pricing")), (C, "B5")),
    (Code.UNKNOWN_VENDOR, _with_scores(["Ann", "Zed", "Fit", 4]), (S, "B2")),
    (Code.UNKNOWN_CRITERION, _with_scores(["Ann", "Acme", "Nope", 4]), (S, "C2")),
    (Code.UNLINKED_CRITERION, edited((C, "A5", "Cost")), (C, "A5")),
    (Code.COLUMN_AND_SCORES, _with_scores(["Ann", "Acme", "Price", 4], fit=False), (V, "E1")),
    (Code.MISSING_CATEGORY, edited((C, "B3", None)), (C, "B3")),
    (Code.MISSING_WEIGHT, edited((C, "C2", None)), (C, "C2")),
    (Code.NEGATIVE_WEIGHT, edited((C, "C2", -1)), (C, "C2")),
    (Code.ALL_WEIGHTS_ZERO, edited((K, "B2", 0), (K, "B3", 0), (K, "B4", 0)), (K, "B")),
    (Code.ZERO_WEIGHT_CRITERIA, edited((C, "C2", 0), (C, "C3", 0)), (K, "B2")),
    (Code.NOT_A_DIRECTION, edited((C, "D5", "sideways")), (C, "D5")),
    (Code.NOT_A_SCALE, edited((C, "E3", "log")), (C, "E3")),
    (Code.MISSING_BOUNDS, edited((C, "F3", None)), (C, "E3")),
    (Code.MIN_NOT_BELOW_MAX, edited((C, "F3", 5)), (C, "G3")),
    (Code.NOT_A_NUMBER, edited((V, "B3", "ten")), (V, "B3")),
    (Code.DECIMAL_COMMA, edited((V, "B3", "4,5")), (V, "B3")),
    (
        Code.AMBIGUOUS_DECIMAL,
        RawBook(
            "v.csv",
            "",
            "csv",
            [RawSheet(V, [["Vendor", "Price"], ["Acme", "1,250"]])],
            csv_separator=";",
        ),
        (V, "B"),
    ),
    (Code.PLACEHOLDER, edited((V, "B3", "N/A")), (V, "B3")),
    (Code.NOT_FINITE, edited((V, "E3", "inf")), (V, "E3")),
    (Code.TOO_LARGE, edited((V, "E3", "1e400")), (V, "E3")),
    (Code.TOO_SMALL, edited((V, "E3", "1e-400")), (V, "E3")),
    (Code.EXCEL_ERROR, edited((V, "E3", "#DIV/0!")), (V, "E3")),
    (Code.DATE_OR_TIME, edited((V, "E3", dt.date(2024, 3, 1))), (V, "E3")),
    (Code.DURATION, edited((V, "E3", dt.timedelta(hours=4))), (V, "E3")),
    (Code.YES_NO_NOT_NUMBER, edited((V, "E3", True)), (V, "E3")),
    (Code.NOT_YES_NO, edited((V, "D3", "maybe")), (V, "D3")),
    (Code.FORMULA_WITHOUT_VALUE, edited((V, "E3", FormulaWithoutValue("=B3*2"))), (V, "E3")),
    (Code.CONTROL_CHARACTER, edited((V, "A3", "Bo\x07lt")), (V, "A3")),
    (Code.BIDI_CONTROL, edited((V, "A3", "\u202etloB")), (V, "A3")),
    (Code.TEXT_TOO_LONG, edited((V, "A3", "x" * 201)), (V, "A3")),
    (Code.NOT_A_RULE, edited((C, "H2", "about 3")), (C, "H2")),
    (Code.RULE_WITHOUT_COMPARISON, edited((C, "H2", "3")), (C, "H2")),
    (Code.YES_NO_RULE_MISMATCH, edited((C, "H5", "yes")), (C, "H5")),
    (Code.MERGED_CELLS, _merged(), (V, "C2")),
    (Code.MIXED_CURRENCIES, edited((V, "E2", "€1,200")), (V, "E1")),
    (
        Code.DUPLICATE_WEIGHTS_ROW,
        edited((V, "A5", "Weight"), (V, "B5", 1), (V, "A6", "Weights"), Criteria=None),
        (V, "A6"),
    ),
]

# The price, minimum, Settings and Costs codes (docs/workbook-format.md §11, §12).
NEW_ERRORS: list[tuple[str, object, tuple[str | None, str]]] = [
    (Code.NOT_A_FORMULA, edited(FORMULA, (C, "I5", "cheap")), (C, "I5")),
    (Code.FORMULA_NOT_ALLOWED, edited(FORMULA, (C, "I3", "ratio")), (C, "I3")),
    (Code.PRICE_DIRECTION, edited(PRICE, (C, "D5", "higher")), (C, "D5")),
    (Code.BUDGET_CEILING, edited(FORMULA, PRICE, (C, "I5", "budget")), (C, "G5")),
    (Code.UNSCORABLE_VALUE, edited(PRICE, (V, "E2", 0)), (V, "E2")),
    (Code.NOT_A_MINIMUM, edited((K, "C1", "Minimum"), (K, "C2", 150)), (K, "C2")),
    (Code.MINIMUM_ON_PRICE, edited((K, "C1", "Minimum"), (K, "C4", 50), PRICE), (K, "C4")),
    (Code.BAD_SETTING, _settings(["Method", "best"]), ("Settings", "B2")),
    (
        Code.DUPLICATE_SETTING,
        _settings(["Method", "wsm"], ["Method", "wsm"]),
        ("Settings", "A3"),
    ),
    (
        Code.CONFLICTING_SETTINGS,
        _settings(["Method", "topsis"], ["Missing values", "exclude"]),
        ("Settings", "B3"),
    ),
    (Code.NOT_A_FREQUENCY, _costs(["Acme", "x", 1, "weekly"]), ("Costs", "D2")),
    (Code.NEGATIVE_AMOUNT, _costs(["Acme", "x", -1, "monthly"]), ("Costs", "C2")),
    (Code.NOT_A_QUANTITY, _costs(["Acme", "x", 1, "monthly", 0]), ("Costs", "E2")),
    (Code.MISSING_TCO_CRITERION, _costs(["Acme", "x", 1, "monthly"], tco=None), ("Costs", "1")),
    (
        Code.TCO_NOT_PRICE,
        _costs(["Acme", "x", 1, "monthly"], tco=[*TCO_ROW[:4], "relative"]),
        (C, "E6"),
    ),
    (Code.TCO_COLUMN, _tco_column(), (V, "G1")),
]
NEW_WARNINGS: list[tuple[str, object, tuple[str | None, str]]] = [
    (Code.UNKNOWN_SETTING, _settings(["Colour", "red"]), ("Settings", "A2")),
    (Code.READ_AS_PERCENT, _settings(["Discount rate", 5]), ("Settings", "B2")),
    (Code.MISSING_AMOUNT, _costs(["Acme", "x", None, "monthly"]), ("Costs", "C2")),
    (Code.NO_COSTS, _costs(["Acme", "x", 1, "monthly"]), ("Costs", "")),
    (
        Code.DEFAULT_TCO,
        sheets(
            Vendors=[["Vendor", "Blended hourly rate"], ["Acme", 90]],
            Criteria=None,
            Categories=None,
            Costs=[COSTS_HEAD, ["Acme", "x", 1, "monthly"]],
        ),
        ("Costs", ""),
    ),
]
ERRORS += NEW_ERRORS

WARNINGS: list[tuple[str, object, tuple[str | None, str]]] = [
    (Code.IGNORED_SHEET, sheets(Criteria=None), (K, "")),
    (Code.UNLABELLED_COLUMN, edited((V, "H3", "stray")), (V, "H3")),
    (Code.EMPTY_CATEGORY, edited((K, "A5", "Extra"), (K, "B5", 10)), (K, "A5")),
    (Code.UNUSED_BOUNDS, edited((C, "F2", 0)), (C, "F2")),
    (Code.OUT_OF_SCALE, edited((V, "C3", 7)), (V, "C3")),
    (Code.NO_VALUES, edited((V, "C2", None), (V, "C3", None), (V, "C4", None)), (V, "C1")),
    (
        Code.INCOMPLETE_VENDOR,
        edited((V, "B3", None), (V, "C3", None), (V, "D3", None)),
        (V, "A3"),
    ),
    (Code.UNSCORED_COLUMN, edited((V, "G1", "Support hours"), (V, "G2", 12)), (V, "G1")),
    (Code.CONFUSABLE_NAME, edited((V, "A4", "\u0410\u0441me")), (V, "A4")),  # Cyrillic А, с
    (Code.TOTAL_ROW, edited((V, "A5", "Total"), (V, "B5", 37)), (V, "A5")),
    (Code.IGNORED_WEIGHTS_ROW, edited((V, "A5", "Weight"), (V, "B5", "20%")), (V, "A5")),
    (
        Code.WEIGHTS_ROW,
        edited((V, "A5", "Weight"), (V, "B5", "20%"), Criteria=None, Categories=None),
        (V, "A5"),
    ),
]
WARNINGS += NEW_WARNINGS
WARNINGS += [
    (
        Code.MATRIX_COLUMN_IGNORED,
        {"Evaluation": [["Criteria", "Weight", "Acme", "Total"], ["Price", 1, 3, 3]]},
        ("Evaluation", "D1"),
    ),
    (
        Code.MATRIX_EQUAL_WEIGHTS,
        {"Evaluation": [["Criteria", "Acme"], ["Price", 3]]},
        ("Evaluation", "1"),
    ),
]


def _where(p) -> tuple[str | None, str]:
    return (p.sheet, p.cell)


@pytest.mark.parametrize(("code", "book", "where"), ERRORS, ids=[str(e[0]) for e in ERRORS])
def test_each_error_has_its_code(code: str, book: object, where: tuple) -> None:
    rb = book if isinstance(book, RawBook) else raw_book(book)
    with pytest.raises(ValidationError) as exc:
        evaluation_from_book(rb)
    found = [(p.code, _where(p)) for p in exc.value.problems]
    assert (code, where) in found, found
    assert all(p.code for p in exc.value.problems), found


@pytest.mark.parametrize(("code", "book", "where"), WARNINGS, ids=[str(w[0]) for w in WARNINGS])
def test_each_warning_has_its_code(code: str, book: dict, where: tuple) -> None:
    ev = evaluation_from_book(raw_book(book))
    found = [(p.code, _where(p)) for p in ev.warnings]
    assert (code, where) in found, found
    assert all(p.severity == "warning" and p.code for p in ev.warnings)


def test_criteria_file_codes() -> None:
    crit = RawBook("c.csv", "", "csv", [RawSheet("Criteria", BASE[C])])
    with pytest.raises(ValidationError) as exc:
        evaluation_from_book(raw_book(sheets()), crit)
    assert [p.code for p in exc.value.problems] == [Code.CRITERIA_GIVEN_TWICE]
    two = RawBook("c.xlsx", "", "xlsx", [RawSheet("A", [["x"]]), RawSheet("B", [["y"]])])
    with pytest.raises(ValidationError) as exc:
        evaluation_from_book(raw_book(sheets(Criteria=None, Categories=None)), two)
    assert (Code.MISSING_SHEET, "c.xlsx") in [(p.code, p.file) for p in exc.value.problems]


def test_an_unreadable_file_has_its_code() -> None:
    with pytest.raises(ValidationError) as exc:
        read_book(b"", "empty.xlsx", sandbox=False)
    assert [p.code for p in exc.value.problems] == [Code.UNREADABLE_FILE]


def _files(*sheets_of: dict[str, list[list[object]]]) -> list[RawBook]:
    """One raw book per dict of sheets, named ``f1.xlsx``, ``f2.xlsx``…"""
    return [
        RawBook(f"f{i}.xlsx", "", "xlsx", [RawSheet(n, r) for n, r in sheets_of_one.items()])
        for i, sheets_of_one in enumerate(sheets_of, start=1)
    ]


# Combined response files (docs/workbook-format.md §14): (code, the files, (file, sheet, cell)).
_ONE = {V: [["Vendor", "Price"], ["Acme", 1]]}
_CRIT = [["Criterion", "Category", "Weight"], ["Price", "Cost", 1]]
COMBINED: list[tuple[str, list[RawBook], tuple[str, str, str]]] = [
    (Code.VENDOR_IN_TWO_FILES, _files(_ONE, _ONE), ("f2.xlsx", V, "A2")),
    (Code.SEVERAL_VENDORS, _files({V: [["Vendor"], ["A"], ["B"]]}), ("f1.xlsx", V, "A3")),
    (Code.NO_VENDOR_IN_FILE, _files(_ONE, {"Notes": [["x"]]}), ("f2.xlsx", "Notes", "")),
    (
        Code.CRITERIA_IN_TWO_FILES,
        _files({**_ONE, C: _CRIT}, {C: [*_CRIT, ["Rate", "Cost", 1]]}),
        ("f2.xlsx", C, ""),
    ),
    (Code.DIFFERENT_COLUMNS, _files(_ONE, {V: [["Vendor"], ["Bolt"]]}), ("f2.xlsx", V, "1")),
    (
        Code.ROW_FOR_ANOTHER_VENDOR,
        _files(
            {
                **_ONE,
                "Costs": [["Vendor", "Item", "Amount", "Frequency"], ["Bolt", "Fee", 1, "once"]],
            },
            {V: [["Vendor", "Price"], ["Bolt", 2]]},
        ),
        ("f1.xlsx", "Costs", "A2"),
    ),
]


@pytest.mark.parametrize(("code", "books", "where"), COMBINED, ids=[str(c[0]) for c in COMBINED])
def test_each_combining_error_has_its_code(code: str, books: list[RawBook], where: tuple) -> None:
    from vendor_eval.workbook.combine import combine_books

    with pytest.raises(ValidationError) as exc:
        combine_books(books)
    found = [(p.code, (p.file, p.sheet, p.cell)) for p in exc.value.problems]
    assert (code, where) in found, found


def test_every_code_has_a_case_here() -> None:
    covered = {c for c, _, _ in ERRORS} | {c for c, _, _ in WARNINGS}
    covered |= {Code.CRITERIA_GIVEN_TWICE, Code.UNREADABLE_FILE}
    covered |= {c for c, _, _ in COMBINED}
    # the monitoring workbook's codes have their cases (exact code, cell and message) in
    # tests/monitoring/test_reading.py
    monitoring = (Path(__file__).parents[2] / "monitoring" / "test_reading.py").read_text("utf-8")
    covered |= {c for c in set(Code) - covered if f'"{c.value}"' in monitoring}
    assert covered == set(Code), set(Code) ^ covered
