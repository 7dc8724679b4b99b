"""A Vendors column that holds numbers or yes/no values but is not a criterion is a warning.

Data that looks scorable is never ignored silently: with a Criteria sheet (the column is
not listed) and with the default model (the header is not one it knows).
"""

from __future__ import annotations

import datetime as dt

import pytest
from importer_helpers import edited, raw_book, sheets, where

from vendor_eval.core.problems import Code
from vendor_eval.workbook.importing.cells import (
    currency_symbol,
    is_placeholder,
    parse_yes_no,
    reads_as_yes_no,
)
from vendor_eval.workbook.importing.columns import column_kind, looks_like_identifier
from vendor_eval.workbook.importing.load import evaluation_from_book
from vendor_eval.workbook.importing.messages import CellError

V, C, K = "Vendors", "Criteria", "Categories"


def load(book: dict):
    return evaluation_from_book(raw_book(book))


def column(header: str, *values: object) -> list[tuple[str, str, object]]:
    """Edits putting a column G (after Website) into the base Vendors sheet."""
    return [(V, "G1", header), *((V, f"G{r}", v) for r, v in enumerate(values, start=2))]


def unscored(header: str, kind: str = "numbers") -> str:
    return f'column "{header}" holds {kind} but is not a criterion: it is not scored'


NUMBERS = unscored("Support hours")
YES_NO = unscored("24/7 support", "yes/no values")


@pytest.mark.parametrize(
    ("header", "values", "message"),
    [
        ("Support hours", (12, 24, 8), NUMBERS),
        ("Support hours", ("12", "24", None), NUMBERS),
        ("Support hours", (12, "N/A", "TBD"), NUMBERS),  # words for "unknown" do not count
        ("Support hours", ("85%", "$1,200", "twelve"), NUMBERS),  # 2 of 3 are numbers
        ("Support hours", (1, 0, 1), NUMBERS),  # 1 and 0 only: numbers, as for a Scale
        ("24/7 support", ("yes", "no", "y"), YES_NO),
        ("24/7 support", (True, False, None), YES_NO),
        ("24/7 support", ("Yes", 0, "maybe"), YES_NO),
        # Headers with an identifier word whose values are data, not identifiers.
        (
            "SOC 2 certified (yes/no)",
            ("yes", "no", "yes"),
            unscored("SOC 2 certified (yes/no)", "yes/no values"),
        ),
        ("Price incl. VAT", (1200, 950, 1500), unscored("Price incl. VAT")),
        (
            "Reference customers (number)",
            (12, 40, 7),
            unscored("Reference customers (number)"),
        ),
        ("Headcount #", (250, 1200, 40), unscored("Headcount #")),
        ("Headcount #", (120, 450, 300), unscored("Headcount #")),  # one length, 3 digits
        ("Mobile app rating", (3, 4, 5), unscored("Mobile app rating")),
        ("Phone support (hours)", (8, 24, 12), unscored("Phone support (hours)")),
        ("Vendor no", ("yes", "no", "yes"), unscored("Vendor no", "yes/no values")),
    ],
)
def test_a_numeric_column_that_is_not_a_criterion_is_a_warning(
    header: str, values: tuple, message: str
) -> None:
    ev = load(edited(*column(header, *values)))
    assert [where(w) for w in ev.warnings] == [(V, 1, "G", header, message)]
    assert [w.code for w in ev.warnings] == [Code.UNSCORED_COLUMN]
    assert str(ev.warnings[0]) == f"Vendors!G1 ({header}): {message}"
    assert ev.unscored_columns == [header]
    assert ev.numeric_columns == ["Years in business", "Rating", "ISO", "Price", header]
    assert ev.scored_columns == ["Years in business", "Rating", "ISO", "Price"]
    assert list(ev.descriptive.columns) == ["Website", header]  # kept as read


@pytest.mark.parametrize(
    ("header", "values"),
    [
        ("Notes", ("12 offices", "good", "3")),  # mostly text
        ("Contact", ("Ann <ann@acme.example>", None, None)),
        ("Founded", (None, None, None)),  # empty
        ("Support hours", ("24/7", "9-5", "N/A")),
        ("Support hours", ("N/A", "-", None)),  # only words for "unknown"
        ("Vendor ID", (1001, 1002, 1003)),
        ("Supplier #", (1, 2, 3)),
        ("PO number", (4711, 4712, 4713)),
        ("Vendor code", (17, 18, 19)),
        ("Phone", (5550100, 5550101, 5550102)),
        ("Tel.", ("+1 555 0100", "+1 555 0101", None)),
        ("Zip", (10115, 80331, 20095)),
        ("Account", ("0421", "0422", "0423")),  # a leading zero: a code
        ("Vendor ID", ("1001", "V-17", 1003)),  # a code among the numbers
        ("Phone", ("+44 20 7946 0000", "+44 161 496 0000", None)),  # text
        ("Postcode", ("SW1A 1AA", "EC1A 1BB", "M1 1AE")),  # text
        ("Postcode", ("02139", "10115", "80331")),
        ("Registered", ("2024-03-01", None, None)),
    ],
)
def test_text_and_identifier_columns_are_not_flagged(header: str, values: tuple) -> None:
    ev = load(edited(*column(header, *values)))
    assert ev.warnings == []
    assert ev.unscored_columns == []
    assert ev.numeric_columns == ["Years in business", "Rating", "ISO", "Price"]


def test_the_default_model_warns_about_every_header_it_does_not_know() -> None:
    # Without a Criteria sheet only "Years in business" is a default-model criterion: the
    # user's Rating, ISO and Price would otherwise be dropped without a word.
    ev = load(sheets(Criteria=None, Categories=None))
    assert ev.criterion_names == ["Years in business"]
    assert [where(w) for w in ev.warnings] == [
        (
            V,
            1,
            "C",
            "Rating",
            'column "Rating" holds numbers but is not a criterion: it is not scored',
        ),
        (
            V,
            1,
            "D",
            "ISO",
            'column "ISO" holds yes/no values but is not a criterion: it is not scored',
        ),
        (
            V,
            1,
            "E",
            "Price",
            'column "Price" holds numbers but is not a criterion: it is not scored',
        ),
    ]
    assert ev.numeric_columns == ["Years in business", "Rating", "ISO", "Price"]
    assert ev.unscored_columns == ["Rating", "ISO", "Price"]
    assert ev.scored_columns == ["Years in business"]  # 1 of 4 numeric columns is scored


def test_the_numeric_columns_name_the_headers_as_written() -> None:
    book = {
        V: [
            ["Vendor", "Hourly rate", "Support hours", "Website"],
            ["Acme", 95, 12, "acme.example"],
            ["Bolt", 88, 24, None],
        ]
    }
    ev = load(book)
    assert ev.criterion_names == ["Blended hourly rate"]
    assert ev.numeric_columns == ["Hourly rate", "Support hours"]
    assert ev.unscored_columns == ["Support hours"]
    assert ev.scored_columns == ["Hourly rate"]


def test_a_workbook_without_numeric_extras_has_every_numeric_column_scored() -> None:
    ev = load(sheets())
    assert (
        ev.numeric_columns == ev.scored_columns == ["Years in business", "Rating", "ISO", "Price"]
    )
    assert ev.unscored_columns == []


@pytest.mark.parametrize(
    ("values", "kind"),
    [
        ([1, 2, "3"], "numbers"),
        (["yes", "no", None, " "], "yes/no values"),
        ([1, 0], "numbers"),
        (["a", "b", 3], None),
        (["1", "x"], None),  # exactly half is not most
        ([None, "N/A"], None),
        ([], None),
    ],
)
def test_column_kind(values: list, kind: str | None) -> None:
    assert column_kind(values) == kind


@pytest.mark.parametrize(
    ("header", "values", "expected"),
    [
        ("Vendor ID", [1], True),
        ("ID", [1], True),
        ("Phone number", [1], True),
        ("Mobile number", [1], True),
        ("No.", [1], True),
        ("#", [1], True),
        ("Code", [1], True),
        ("Customer ref", [1], True),
        ("Ticket", ["007"], True),
        ("Number of staff", [1], False),
        ("Code quality", [4], False),
        ("Support hours", ["0.5", "0"], False),
        ("Identity checks", [1], False),
        ("Supplier #", [1, 2, 3], True),  # consecutive
        ("Zip", [10115, 80331, 20095], True),  # one length of 4+ digits
        ("Vendor ID", [1001.0, "1002", None, "N/A"], True),
        ("Account", ["0421"], True),  # a leading zero needs no header
        # The header says identifiers, the values do not.
        ("Headcount #", [250, 1200, 40], False),
        ("Vendor ID", [1001, 1001], False),  # repeated
        ("Vendor ID", [-1001, -1002], False),
        ("Vendor ID", [1.5, 2.5], False),
        ("Vendor ID", ["$1001", "$1002"], False),
        ("Vendor ID", ["10%", "11%"], False),
        ("Vendor ID", ["V-17", "V-18"], False),  # codes only: no number to go by
        ("Vendor no", ["yes", "no"], False),  # yes/no is never identifiers
        ("Vendor no", [True, False], False),
        # The words are data, not identifiers.
        ("SOC 2 certified (yes/no)", ["yes", "no"], False),
        ("Price incl. VAT", [1001, 1002], False),
        ("Reference customers (number)", [1, 2, 3], False),
        ("Mobile app rating", [3, 4, 5], False),
    ],
)
def test_looks_like_identifier(header: str, values: list, expected: bool) -> None:
    assert looks_like_identifier(header, values) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("N/A", True), (" tbd ", True), ("-", True), ("none", False), (None, False), (0, False)],
)
def test_is_placeholder(value: object, expected: bool) -> None:
    assert is_placeholder(value) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("$95", "$"),
        ("€ 88", "€"),
        ("70£", "£"),
        ("95 €", "€"),
        ("¥500", "¥"),
        ("(£1,200)", "£"),
        ("-€5", "€"),
        ("95", None),
        ("85%", None),
        (95, None),
        ("USD 95", None),  # not a number at all (§6.1): an error of its own
        (None, None),
    ],
)
def test_currency_symbol(value: object, expected: str | None) -> None:
    assert currency_symbol(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        *("yes", " NO ", "y", "N", "true", "False", "1", "0", "2", "maybe", "N/A", "yes\u200b"),
        *(True, False, 1, 0, 1.0, 0.0, 2, 0.5, dt.date(2024, 3, 1)),
    ],
)
def test_reads_as_yes_no_agrees_with_the_parser(value: object) -> None:
    try:
        parse_yes_no(value)
        parsed = True
    except CellError:
        parsed = False
    assert reads_as_yes_no(value) is parsed
