"""Recognising an evaluation matrix (criteria as rows, vendors as columns): which header rows
are one (docs/workbook-format.md §13); any other sheet without a Vendor column keeps the
message listing its headers. Importing a matrix: test_matrix_import.py."""

from __future__ import annotations

import pytest
from importer_helpers import BASE, raw_book, sheets

from vendor_eval.core.problems import Code, ValidationError
from vendor_eval.workbook.importing.load import evaluation_from_book
from vendor_eval.workbook.importing.matrix import matrix_header_row

MATRIX = [
    ["Criteria", "Weight", "Acme IT", "Globex"],
    ["Price", 30, 4, 3],
    ["Support", 20, 5, 2],
]


def problems(book: dict) -> list:
    with pytest.raises(ValidationError) as exc:
        evaluation_from_book(raw_book(book))
    return exc.value.problems


@pytest.mark.parametrize(
    "header",
    [
        ["Criteria", "Weight", "Acme IT", "Globex"],
        ["Criterion", "Acme", "Globex"],  # no Category, no Weight
        ["Criterion", "Category", "Weight", "Acme", "Globex"],
        ["Requirement", "Weighting", "Vendor A", "Vendor B"],
        ["Question", "Max score", "Initech"],
        ["#", "Criteria", "Weight", "Acme"],  # a numbering column first
        [None, " criteria ", "Weight (%)", "Acme", None, "Globex"],
        # Criteria columns and notes before the criterion column
        ["Weight", "Criteria", "Acme"],
        ["Category", "Criterion", "Weight", "Acme IT", "Globex"],
        ["Section", "#", "Requirement", "Acme"],
        ["Criterion", "Weight", 1, 2, 3],  # anonymised bids
    ],
)
def test_matrix_headers_are_recognised(header: list[object]) -> None:
    assert matrix_header_row([header, ["Price", 1, 2, 3]]) == 1


@pytest.mark.parametrize(
    "header",
    [
        ["Criterion", "Category", "Weight", "Direction", "Scale", "Min", "Max", "Must"],
        ["Criterion", "Category", "Weight", "Description", "Notes"],  # a Criteria table
        ["Name", "Years in business", "Rating"],  # a Vendors sheet without Vendor
        ["Vendor", "Criteria", "Acme"],  # has a Vendor column
        ["Company", "Criteria", "Acme"],  # a header before the criteria that is no note
        ["Criteria"],
        # the export's Weights sheet: computed columns, not vendors
        ["Criterion", "Category", "Weight (as entered)", "Category weight",
         "Share of its category", "Effective weight", "Scoring formula"],
        ["Criterion", "Weight", "Total", "Average", "Acme comments"],
    ],
)  # fmt: skip
def test_other_headers_are_not_a_matrix(header: list[object]) -> None:
    assert matrix_header_row([header, ["Price", 1, 2, 3]]) is None


def test_title_rows_above_the_matrix() -> None:
    rows = [["Supplier evaluation Q3"], [], ["Prepared by", "J. Doe"], *MATRIX]
    assert matrix_header_row(rows) == 4
    ev = evaluation_from_book(raw_book({"Evaluation": rows}))
    assert (ev.vendors, ev.criterion_names) == (["Acme IT", "Globex"], ["Price", "Support"])
    # beyond the title rows allowed above a header row, it is not looked for
    assert matrix_header_row([[f"note {i}"] for i in range(11)] + MATRIX) is None


def test_a_matrix_next_to_other_sheets_is_read() -> None:
    ev = evaluation_from_book(
        raw_book({"Instructions": [["Fill in the scores"]], "Evaluation": MATRIX})
    )
    assert ev.vendors == ["Acme IT", "Globex"]


def test_sheets_without_a_vendor_column_keep_their_message() -> None:
    criteria_only = {"Sheet1": BASE["Criteria"]}
    (p,) = problems(criteria_only)
    assert (p.code, p.row, p.message) == (
        Code.MISSING_HEADER,
        1,
        'no "Vendor" column (headers found: Criterion, Category, Weight, Direction, Scale, Min, '
        "Max, Must)",
    )
    renamed = sheets()
    renamed["Vendors"][0][0] = "Company"
    assert problems(renamed)[0].message.startswith('no "Vendor" column (headers found: Company,')


QUESTIONNAIRE: list[list[object]] = [
    ["Supplier questionnaire"],
    ["Supplier name:", "Acme IT"],
    ["Question", "Answer"],
    ["Price per hour", 95],
]


@pytest.mark.parametrize("label", ["Supplier name:", "Vendor:", "Vendor", "Supplier name."])
def test_a_questionnaire_with_a_vendor_label_is_not_a_matrix(label: str) -> None:
    rows = [list(r) for r in QUESTIONNAIRE]
    rows[1][0] = label
    assert matrix_header_row(rows) is None


@pytest.mark.parametrize("answer", ["Answer", "Answers", "Response", "Responses", "Reply", "Value"])
def test_the_answer_column_of_a_questionnaire_is_never_a_vendor(answer: str) -> None:
    assert matrix_header_row([["Question", answer], ["Price per hour", 95]]) is None
    assert matrix_header_row([["Criterion", answer, "Acme"], ["Price", "x", 3]]) == 1


def test_a_lone_questionnaire_does_not_rank_a_vendor_called_answer() -> None:
    try:
        ev = evaluation_from_book(raw_book({"Response": QUESTIONNAIRE}))
    except ValidationError:
        return  # not an evaluation on its own: fine, as long as "Answer" is no vendor
    assert "Answer" not in ev.vendors


def test_a_criterion_header_after_another_header_gets_a_hint() -> None:
    (p,) = problems({"Evaluation": [["Area of work", "Criterion", "Weight", "Acme"], ["x"]]})
    assert (p.code, p.row, p.message) == (
        Code.MISSING_HEADER,
        1,
        'no "Vendor" column (headers found: Area of work, Criterion, Weight, Acme); for an '
        'evaluation matrix (criteria as rows, vendors as columns) put "Criterion" in the '
        "first column (docs/workbook-format.md §13)",
    )
    # after Criteria columns only (a Criteria table), there is nothing to hint
    (p,) = problems({"Sheet1": [["Category", "Criterion", "Weight"], ["Cost", "Price", 1]]})
    assert p.message == 'no "Vendor" column (headers found: Category, Criterion, Weight)'
