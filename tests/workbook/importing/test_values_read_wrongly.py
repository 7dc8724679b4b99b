"""Values that used to be read wrongly, silently: numbers that underflow to 0, and messages
whose rounding hid what was wrong ("outside the scale 1–1")."""

from __future__ import annotations

import pytest
from importer_helpers import edited, raw_book, sheets, where

from vendor_eval.core.model import Criterion, Scale, format_numbers
from vendor_eval.core.problems import Code, ValidationError
from vendor_eval.workbook.importing.cells import parse_number
from vendor_eval.workbook.importing.checks import out_of_scale
from vendor_eval.workbook.importing.load import evaluation_from_book
from vendor_eval.workbook.importing.messages import CellError

V, C = "Vendors", "Criteria"
HINT = ": type 0, or a number of at least 1e-100 in size"
TOO_SMALL = " (it would count as 0)" + HINT  # typed so small that it reads as 0


def _problems(book: dict) -> list:
    with pytest.raises(ValidationError) as exc:
        evaluation_from_book(raw_book(book))
    return exc.value.problems


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("1e-400", '"1e-400"'),  # underflows to 0.0
        ("1e-330", '"1e-330"'),  # underflows to 0.0
        ("-2.5E-340", '"-2.5E-340"'),
        ("1e-310", '"1e-310"'),  # a subnormal: its digits are lost
        ("1e-99%", '"1e-99%"'),  # 1e-101 once a percentage
        (1e-310, "1e-310"),  # a number cell
        (5e-324, "4.94066e-324"),
    ],
)
def test_a_number_too_close_to_zero_is_refused_not_read_as_0(raw: object, shown: str) -> None:
    with pytest.raises(CellError) as exc:
        parse_number(raw)
    underflows = isinstance(raw, str) and float(raw.rstrip("%")) == 0
    assert (exc.value.code, exc.value.message) == (
        Code.TOO_SMALL,
        f"{shown} is too small to be read{TOO_SMALL if underflows else HINT}",
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0", 0.0),
        ("0.000", 0.0),
        ("0e-400", 0.0),
        ("-0", 0.0),
        ("1e-100", 1e-100),
        ("5e-98%", 5e-100),
        (1e-100, 1e-100),
        (0.0, 0.0),
        (-1e-50, -1e-50),
    ],
)
def test_zero_and_small_numbers_above_the_limit_are_read(raw: object, expected: float) -> None:
    assert parse_number(raw) == expected


def test_a_weight_or_a_bound_of_1e_minus_400_is_refused_where_it_was_typed() -> None:
    book = edited((C, "C2", "1e-400"), (C, "F3", "1e-330"))
    assert [where(p) for p in _problems(book)] == [
        (
            C,
            2,
            "C",
            "Weight",
            f'"1e-400" is too small to be read for "Years in business"{TOO_SMALL}',
        ),
        (C, 3, "F", "Min", f'"1e-330" is too small to be read for "Rating"{TOO_SMALL}'),
        (
            C,
            3,
            "E",
            "Scale",
            'absolute scale needs Min and Max for "Rating" (e.g. 1 and 5 for a 1–5 rating)',
        ),
    ]


def test_a_weights_row_weight_of_1e_minus_400_is_refused() -> None:
    book = edited(
        (V, "A5", "Weight"), (V, "B5", "1e-400"), (V, "C5", 1), (V, "D5", 1), (V, "E5", 1),
        Criteria=None, Categories=None,
    )  # fmt: skip
    book[V][0][1:4] = ["Years in business", "Client rating", "ISO 27001"]
    book[V][0][4] = "Blended hourly rate"
    problems = _problems(book)
    assert [(p.cell, p.code, p.message) for p in problems] == [
        (
            "B5",
            Code.TOO_SMALL,
            f'weight "1e-400" is too small to be read for "Years in business"{TOO_SMALL}',
        )
    ]


def test_a_scale_whose_ends_round_alike_is_shown_with_the_digits_that_differ() -> None:
    fine = Criterion("Rating", "Quality", 1, scale=Scale.ABSOLUTE, min=1.0, max=1.0000001)
    assert out_of_scale(fine, 7) == "7 is outside the scale 1–1.0000001; it counts as 1.0000001"
    assert out_of_scale(fine, 0.5) == "0.5 is outside the scale 1–1.0000001; it counts as 1"
    assert out_of_scale(fine, 1.0000002) == (
        "1.0000002 is outside the scale 1–1.0000001; it counts as 1.0000001"
    )
    book = edited((C, "F3", 1), (C, "G3", 1.0000001))
    ev = evaluation_from_book(raw_book(book))
    assert [p.message for p in ev.warnings][:1] == [
        "4 is outside the scale 1–1.0000001; it counts as 1.0000001"
    ]


def test_min_not_below_max_shows_the_digits_that_differ() -> None:
    problems = _problems(edited((C, "F3", 1.0000001), (C, "G3", 1)))
    assert [where(p) for p in problems] == [
        (C, 3, "G", "Max", 'Min (1.0000001) must be less than Max (1) for "Rating"')
    ]


def test_a_scale_whose_ends_differ_by_rounding_only_is_refused() -> None:
    problems = _problems(edited((C, "F3", 1), (C, "G3", 1 + 2**-52)))
    assert [(p.code, p.cell, p.message) for p in problems] == [
        (
            Code.MIN_NOT_BELOW_MAX,
            "G3",
            "Min (1) and Max (1.0000000000000002) are too close: the difference is rounding, "
            'and every value would score all or nothing for "Rating" (e.g. 1 and 5 for a 1–5 '
            "rating)",
        )
    ]


def test_numbers_that_differ_never_read_the_same() -> None:
    assert format_numbers(1, 5) == ["1", "5"]
    assert format_numbers(0.1 + 0.2, 0.3) == ["0.30000000000000004", "0.3"]
    assert format_numbers(2.5, 2.5) == ["2.5", "2.5"]
    assert sheets()  # the base workbook still imports with its scale 1–5
    assert evaluation_from_book(raw_book(sheets())).warnings == []
