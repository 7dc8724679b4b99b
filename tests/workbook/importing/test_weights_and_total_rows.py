"""Vendors rows named Weight, Total, Average... are not vendors.

A weights row gives the criteria weights when there is no Criteria sheet (a note says so)
and is ignored, with a warning, when there is one; a total or average row is skipped with a
warning. Their cells are never checked as vendor values.
"""

from __future__ import annotations

import pytest
from importer_helpers import edited, raw_book, where

from vendor_eval.core.problems import Code, ValidationError
from vendor_eval.workbook.importing.load import evaluation_from_book
from vendor_eval.workbook.importing.vendors import row_kind

V, C, K, S = "Vendors", "Criteria", "Categories", "Scores"

# A hand-made shortlist without a Criteria sheet: three default-model criteria (B–D), one
# column the default model does not know (E) and a text column (F).
HEADERS = ["Vendor", "Client rating", "ISO 27001", "Hourly rate", "Support hours", "Website"]
SHORTLIST = [
    HEADERS,
    ["Acme", 4, "yes", 95, 12, "acme.example"],
    ["Bolt", 3, "no", 88, 24, None],
    ["Crane", 5, "yes", 70, 8, "crane.example"],
]
NOT_SCORED = 'column "Support hours" holds numbers but is not a criterion: it is not scored'


def shortlist(*rows: list[object]) -> dict[str, list[list[object]]]:
    return {V: [list(r) for r in SHORTLIST] + [list(r) for r in rows]}


def load(book: dict):
    return evaluation_from_book(raw_book(book))


def errors(book: dict) -> list[tuple]:
    with pytest.raises(ValidationError) as exc:
        load(book)
    return [(*where(p), p.code) for p in exc.value.problems]


# -- weights rows without a Criteria sheet -------------------------------------------------
@pytest.mark.parametrize(
    ("name", "weights", "expected"),
    [
        ("Weight", ["20%", "30%", "50%"], [0.2, 0.3, 0.5]),
        ("Weights", [0.2, 0.3, 0.5], [0.2, 0.3, 0.5]),
        (" WEIGHTING ", [2, 3, 5], [2.0, 3.0, 5.0]),
        ("Weights:", ["2", "3", 0], [2.0, 3.0, 0.0]),
        ("Weight (%)", [20, 30, 50], [20.0, 30.0, 50.0]),
    ],
)
def test_a_weights_row_gives_the_default_models_weights(
    name: str, weights: list, expected: list
) -> None:
    ev = load(shortlist([name, *weights, None, None]))
    assert ev.vendors == ["Acme", "Bolt", "Crane"]
    assert ev.criterion_names == ["Client rating", "ISO 27001", "Blended hourly rate"]
    assert [c.weight for c in ev.criteria] == expected
    assert ev.categories is None  # the row weighs the columns: flat weights
    assert [c.category for c in ev.criteria] == ["Reputation", "Capability", "Cost"]
    assert ev.default_model
    assert [(*where(w), w.code) for w in ev.warnings] == [
        (
            V,
            5,
            "A",
            "Vendor",
            f'row 5 "{name.strip()}" is read as the criteria weights, not as a vendor',
            Code.WEIGHTS_ROW,
        ),
        (V, 1, "E", "Support hours", NOT_SCORED, Code.UNSCORED_COLUMN),
    ]
    assert str(ev.warnings[0]).startswith("Vendors!A5 (Vendor): row 5 ")


def test_a_weights_row_above_the_vendors_is_read_the_same() -> None:
    book = shortlist()
    book[V].insert(1, ["Weight", "20%", "30%", "50%"])
    ev = load(book)
    assert ev.vendors == ["Acme", "Bolt", "Crane"]
    assert [c.weight for c in ev.criteria] == [0.2, 0.3, 0.5]
    assert where(ev.warnings[0])[:2] == (V, 2)


@pytest.mark.parametrize(
    ("ignored", "note"),
    [
        (
            [12],
            '; the weight under "Support hours" is ignored (not a criterion)',
        ),
        (
            [12, "n/a"],
            '; the weights under "Support hours", "Website" are ignored (not criteria)',
        ),
    ],
)
def test_the_note_names_weights_under_columns_that_are_not_criteria(
    ignored: list, note: str
) -> None:
    ev = load(shortlist(["Weight", "20%", "30%", "50%", *ignored]))
    assert ev.warnings[0].message == (
        f'row 5 "Weight" is read as the criteria weights, not as a vendor{note}'
    )


def test_the_note_names_a_few_ignored_columns_then_how_many_more() -> None:
    book = shortlist()
    for row, extra in zip(
        book[V], [["G", "H", "I"], [1, 2, 3], [4, 5, 6], [7, 8, 9]], strict=False
    ):
        row.extend(extra)
    book[V].append(["Weight", 1, 1, 1, 1, None, 1, 1, 1])
    ev = load(book)
    assert ev.warnings[0].message == (
        'row 5 "Weight" is read as the criteria weights, not as a vendor; the weights under '
        '"Support hours", "G", "H" and 1 more are ignored (not criteria)'
    )


def test_weights_row_cells_are_not_vendor_values() -> None:
    # Before, "20%" under ISO 27001 was the only message: '"20%" is not yes or no'.
    ev = load(shortlist(["Weight", "20%", "30%", "50%", "n/a", "text"]))
    assert "Weight" not in ev.vendors
    assert list(ev.values.index) == ["Acme", "Bolt", "Crane"]
    assert list(ev.descriptive.index) == ["Acme", "Bolt", "Crane"]


BAD_WEIGHTS = [
    (
        ["Weight", "high", "30%", "50%"],
        (V, 5, "B", "Client rating", 'weight "high" is not a number for "Client rating"'),
        Code.NOT_A_NUMBER,
    ),
    (
        ["Weight", "20%", "4,5", "50%"],
        (
            V,
            5,
            "C",
            "ISO 27001",
            'weight "4,5" is not a number for "ISO 27001": use a decimal point, e.g. 4.5',
        ),
        Code.DECIMAL_COMMA,
    ),
    (
        ["Weight", "20%", True, "50%"],
        (V, 5, "C", "ISO 27001", 'weight TRUE is a yes/no value, not a number for "ISO 27001"'),
        Code.YES_NO_NOT_NUMBER,
    ),
    (
        ["Weight", "20%", "30%", None],
        (
            V,
            5,
            "D",
            "Hourly rate",
            'weight is missing for "Blended hourly rate" (use 0 to ignore it)',
        ),
        Code.MISSING_WEIGHT,
    ),
    (
        ["Weight", "-20%", "30%", "50%"],
        (V, 5, "B", "Client rating", 'weight -0.2 is negative for "Client rating"'),
        Code.NEGATIVE_WEIGHT,
    ),
    (
        ["Weight", 0, "0%", 0],
        (V, 5, "A", "Vendor", "all criterion weights are zero: give at least one a weight above 0"),
        Code.ALL_WEIGHTS_ZERO,
    ),
]


@pytest.mark.parametrize(
    ("row", "expected", "code"), BAD_WEIGHTS, ids=[str(b[2]) for b in BAD_WEIGHTS]
)
def test_a_weight_that_cannot_be_read_is_an_error_at_its_cell(
    row: list, expected: tuple, code: Code
) -> None:
    assert errors(shortlist(row)) == [(*expected, code)]


def test_a_second_weights_row_is_an_error() -> None:
    book = shortlist(["Weight", 1, 1, 1], ["Weights", 2, 2, 2])
    assert errors(book) == [
        (
            V,
            6,
            "A",
            "Vendor",
            'row 6 "Weights" is a second weights row (also row 5); keep one',
            Code.DUPLICATE_WEIGHTS_ROW,
        )
    ]


def test_a_weights_row_cannot_weigh_a_criterion_scored_in_scores() -> None:
    book = shortlist(["Weight", 1, 1, 1])
    book[S] = [["Evaluator", "Vendor", "Criterion", "Score"], ["Ann", "Acme", "Technical fit", 4]]
    assert errors(book) == [
        (
            V,
            5,
            "A",
            "Vendor",
            'row 5 "Weight" gives no weight for "Technical fit", whose values come from Scores: '
            "give the weights in a Criteria sheet",
            Code.MISSING_WEIGHT,
        )
    ]


# -- weights rows with a Criteria sheet ----------------------------------------------------
def test_with_a_criteria_sheet_a_weights_row_is_ignored() -> None:
    book = edited(
        (V, "A5", "Weight"), (V, "B5", "20%"), (V, "C5", "30%"), (V, "D5", "20%"), (V, "E5", "30%")
    )
    ev = load(book)
    assert ev.vendors == ["Acme", "Bolt", "Crane"]
    assert [c.weight for c in ev.criteria] == [2.0, 3.0, 1.0, 1.0]  # the Criteria sheet's
    assert ev.categories is not None
    assert [(*where(w), w.code) for w in ev.warnings] == [
        (
            V,
            5,
            "A",
            "Vendor",
            'row 5 "Weight" looks like a weights row, not a vendor: it is ignored (the Criteria '
            "sheet's weights apply)",
            Code.IGNORED_WEIGHTS_ROW,
        )
    ]


def test_with_a_criteria_sheet_every_weights_row_is_ignored() -> None:
    ev = load(edited((V, "A5", "Weight"), (V, "A6", "weights"), (V, "D6", "x")))
    assert [(w.row, w.code) for w in ev.warnings] == [
        (5, Code.IGNORED_WEIGHTS_ROW),
        (6, Code.IGNORED_WEIGHTS_ROW),
    ]


# -- total rows ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Total", "a total row"),
        ("TOTALS", "a total row"),
        ("Total:", "a total row"),
        ("Grand total", "a total row"),
        ("Weighted total", "a total row"),
        ("Subtotal", "a total row"),
        ("Sum", "a total row"),
        ("Average", "an average row"),
        ("Avg.", "an average row"),
        ("Mean", "an average row"),
        ("Median", "a median row"),
        ("Max", "a maximum row"),
        ("Maximum", "a maximum row"),
        ("Min", "a minimum row"),
    ],
)
def test_a_total_row_is_skipped_with_a_warning(name: str, kind: str) -> None:
    # 12 is a sum of ISO yes/no values, 3645 of prices: neither is checked as a vendor value
    book = edited((V, "A5", name), (V, "B5", 37), (V, "C5", 12), (V, "D5", "2"), (V, "E5", 3645))
    ev = load(book)
    assert ev.vendors == ["Acme", "Bolt", "Crane"]
    assert list(ev.values.index) == ["Acme", "Bolt", "Crane"]
    message = f'row 5 "{name}" looks like {kind}, not a vendor: it is skipped'
    assert [(*where(w), w.code) for w in ev.warnings] == [
        (V, 5, "A", "Vendor", message, Code.TOTAL_ROW)
    ]
    assert str(ev.warnings[0]) == f"Vendors!A5 (Vendor): {message}"


def test_total_and_weights_rows_under_the_default_model() -> None:
    ev = load(shortlist(["Weight", "20%", "30%", "50%"], ["Total", 12, 2, "$253", 44, None]))
    assert ev.vendors == ["Acme", "Bolt", "Crane"]
    assert [(w.row, w.code) for w in ev.warnings] == [
        (6, Code.TOTAL_ROW),  # found while reading the vendors
        (5, Code.WEIGHTS_ROW),
        (1, Code.UNSCORED_COLUMN),
    ]
    assert ev.units == {}  # the total row's "$253" is not a vendor value


def test_a_sheet_of_only_total_rows_has_no_vendors() -> None:
    book = {V: [["Vendor", "Client rating"], ["Total", 7], ["Weight", 1]]}
    assert errors(book) == [
        (
            V,
            1,
            "A",
            "Vendor",
            "no vendors: add one row per vendor below the header row",
            Code.NO_VENDORS,
        )
    ]


@pytest.mark.parametrize(
    "name", ["Total cost", "Maximus Ltd", "Weight Watchers", "Meaner", "Sum & Co", "Totally IT"]
)
def test_vendor_names_that_only_contain_such_a_word_are_vendors(name: str) -> None:
    assert row_kind(name) is None
    ev = load(edited((V, "A3", name)))
    assert ev.vendors == ["Acme", name, "Crane"]
    assert ev.warnings == []


def test_duplicate_total_rows_are_each_skipped_not_duplicate_vendors() -> None:
    ev = load(edited((V, "A5", "Total"), (V, "A6", "total")))
    assert [(w.row, w.code) for w in ev.warnings] == [(5, Code.TOTAL_ROW), (6, Code.TOTAL_ROW)]
