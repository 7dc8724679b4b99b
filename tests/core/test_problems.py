"""Problems as data: the reason code, the collector, and the frames the front ends show."""

from __future__ import annotations

import pytest

from vendor_eval.core.problems import (
    ERROR,
    WARNING,
    Code,
    Problem,
    Problems,
    ValidationError,
    problems_frame,
)


def test_problem_built_directly_keeps_working_without_a_code() -> None:
    p = Problem("weight -1 is negative", "Criteria", 2, "C", "Weight")
    assert p.code == "" and p.severity == ERROR
    assert str(p) == "Criteria!C2 (Weight): weight -1 is negative"
    named = p.with_file("x.xlsx")
    assert (named.file, named.message, named.cell) == ("x.xlsx", p.message, "C2")


def test_a_code_is_a_plain_string_that_survives_copies() -> None:
    p = Problem("m", code=Code.NOT_A_NUMBER)
    assert p.code == "not_a_number" and type(p.code) is str
    assert p.with_file("f.csv").code == "not_a_number"
    assert Code.NOT_A_NUMBER == "not_a_number"


def test_codes_are_unique_snake_case() -> None:
    values = [c.value for c in Code]
    assert len(values) == len(set(values))
    assert all(v.replace("_", "").isalpha() and v == v.lower() for v in values)


def test_the_collector_keeps_errors_and_warnings_in_order() -> None:
    found = Problems()
    a = found.error(Code.NEGATIVE_WEIGHT, "weight -1 is negative", sheet="Criteria", row=2)
    w = found.warning(Code.OUT_OF_SCALE, "7 is outside the scale 1–5; it counts as 5")
    b = found.error(Code.NOT_A_NUMBER, '"ten" is not a number', sheet="Vendors", row=3, column="B")
    assert list(found) == [a, w, b] and len(found) == 3
    assert found.errors == [a, b] and found.warnings == [w]
    assert (a.severity, w.severity, b.code) == (ERROR, WARNING, "not_a_number")
    with pytest.raises(ValidationError) as exc:
        found.raise_if_errors("v.xlsx")
    assert exc.value.problems == [a.with_file("v.xlsx"), b.with_file("v.xlsx")]
    assert "2 problems found" in str(exc.value)


def test_raise_if_errors_passes_with_warnings_only() -> None:
    found = Problems()
    found.warning(Code.NO_VALUES, 'no vendor has a value for "Price": its column is empty')
    found.raise_if_errors("v.xlsx")  # no error: nothing raised


def test_a_file_view_names_the_file_on_the_shared_list() -> None:
    found = Problems()
    found.error(Code.MISSING_SHEET, 'no "Vendors" sheet (sheets found: none)')
    view = found.in_file("criteria.csv")
    view.error(Code.NEGATIVE_WEIGHT, "weight -1 is negative", sheet="Criteria", row=2)
    view.add(Problem("already named", file="other.csv"))
    assert [p.file for p in found] == [None, "criteria.csv", "other.csv"]
    assert found.in_file(None) is found


def test_frames_carry_the_code_after_the_old_columns() -> None:
    found = Problems()
    found.error(Code.NOT_A_NUMBER, '"ten" is not a number', sheet="Vendors", row=3, column="B")
    frame = problems_frame(found)
    assert list(frame.columns) == [
        "file",
        "sheet",
        "cell",
        "column",
        "severity",
        "message",
        "code",
    ]
    assert frame.loc[0, "code"] == "not_a_number"
    error = ValidationError(found.errors, file="v.xlsx")
    assert error.as_dicts()[0]["code"] == "not_a_number"
    assert error.to_frame().loc[0, "file"] == "v.xlsx"
