"""A problem on a Criteria or Categories row names the criterion or category of that row."""

from __future__ import annotations

import pytest
from importer_helpers import edited, raw_book, where

from vendor_eval.core.problems import ValidationError
from vendor_eval.workbook.importing.load import evaluation_from_book
from vendor_eval.workbook.reading.rawbook import FormulaWithoutValue

V, C, K = "Vendors", "Criteria", "Categories"


def problems(book: dict) -> list:
    with pytest.raises(ValidationError) as exc:
        evaluation_from_book(raw_book(book))
    return exc.value.problems


def test_the_issue_example() -> None:
    book = {
        V: [["Vendor", "Client rating"], ["Acme", 4]],
        C: [
            ["Criterion", "Category", "Weight", "Direction", "Scale", "Min", "Max"],
            ["Client rating", "Reputation", 1, None, "absolute", 5, 1],
        ],
    }
    assert [str(p) for p in problems(book)] == [
        'Criteria!G2 (Max): Min (5) must be less than Max (1) for "Client rating"'
    ]


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        ((C, "C5", "4,5"), '"4,5" is not a number for "Price": use a decimal point, e.g. 4.5'),
        ((C, "C5", "N/A"), '"N/A" is not a number for "Price": leave the cell empty if it is'),
        ((C, "C5", True), 'TRUE is a yes/no value, not a number for "Price"'),
        ((C, "B5", "Co\x07st"), '"Co\\x07st" contains the control character U+0007 for "Price"'),
        ((C, "B5", "c" * 201), 'text is too long for "Price" (201 characters; at most 200)'),
        ((C, "I5", FormulaWithoutValue("=A1")), 'formula =A1 has no saved result for "Price": '),
        ((C, "H4", 3), '3 is not yes or no for "ISO" (use yes/no'),
    ],
)
def test_cell_problems_on_a_criteria_row_name_the_criterion(edit: tuple, message: str) -> None:
    found = [p for p in problems(edited(edit, (C, "I1", "Description"))) if p.sheet == C]
    assert found and found[0].message.startswith(message), found


def test_a_categories_row_names_its_category() -> None:
    found = problems(edited((K, "B4", "twenty"), (K, "C1", "Description"), (K, "C3", "a\x01b")))
    assert [where(p) for p in found] == [
        (
            K,
            3,
            "C",
            "Description",
            '"a\\x01b" contains the control character U+0001 for "Capability"; remove it',
        ),
        (K, 4, "B", "Weight", '"twenty" is not a number for "Cost"'),
    ]


def test_without_a_readable_name_the_message_is_as_before() -> None:
    found = problems(edited((C, "A2", None), (C, "C2", -1), (C, "A3", "Ra\x07ting"), (C, "C3", -2)))
    assert [where(p)[1:] for p in found if p.sheet == C] == [
        (2, "A", "Criterion", "criterion name is empty"),
        (2, "C", "Weight", "weight -1 is negative"),
        (3, "A", "Criterion", '"Ra\\x07ting" contains the control character U+0007; remove it'),
        (3, "C", "Weight", "weight -2 is negative"),
    ]


def test_messages_that_already_name_the_criterion_are_unchanged() -> None:
    found = problems(edited((C, "A3", "years in business"), (C, "C3", -1)))
    assert [where(p)[1:] for p in found if p.sheet == C] == [
        (3, "A", "Criterion", 'duplicate criterion "years in business" (also in row 2)'),
        (3, "C", "Weight", 'weight -1 is negative for "years in business"'),
    ]
