"""Durations ([h]:mm cells): refused in a numeric column unless the criterion's name gives the
unit, read in that unit when it does, and text (4:00) in a descriptive column.

The reader returns such a cell as a ``datetime.timedelta``; read as a number it was the
fraction of a day (4:00 → 0.1667), which nobody meant.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from importer_helpers import edited, raw_book, sheets, where

from vendor_eval.core.model import Scale
from vendor_eval.core.problems import Code, ValidationError
from vendor_eval.workbook.importing.cells import parse_number, parse_value
from vendor_eval.workbook.importing.durations import duration_unit, format_duration
from vendor_eval.workbook.importing.load import evaluation_from_book
from vendor_eval.workbook.importing.messages import CellError
from vendor_eval.workbook.importing.text import parse_text
from vendor_eval.workbook.reading.book import read_book

V, C, S = "Vendors", "Criteria", "Scores"
FOUR_HOURS = dt.timedelta(hours=4)


def _problems(book: dict) -> list:
    with pytest.raises(ValidationError) as exc:
        evaluation_from_book(raw_book(book))
    return exc.value.problems


def _with_response_time(name: str, *values: object) -> dict:
    """The base workbook with a criterion ``name`` in column G holding ``values``."""
    book = edited((V, "G1", name), *((V, f"G{r}", v) for r, v in enumerate(values, start=2)))
    book[C].append([name, "Capability", 1, "lower"])
    return book


def test_a_duration_in_a_numeric_column_is_refused_naming_the_cell() -> None:
    book = _with_response_time("Response time", 2.5, FOUR_HOURS, dt.timedelta(minutes=90))
    assert [where(p) for p in _problems(book)] == [
        (
            V,
            3,
            "G",
            "Response time",
            "4:00 is a duration; type the number of hours, e.g. 4 (or give the unit in its "
            'name, e.g. "Response time (hours)")',
        ),
        (
            V,
            4,
            "G",
            "Response time",
            "1:30 is a duration; type the number of hours, e.g. 1.5 (or give the unit in its "
            'name, e.g. "Response time (hours)")',
        ),
    ]
    assert {p.code for p in _problems(book)} == {Code.DURATION}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Response time (hours)", [2.5, 4.0, 1.5]),
        ("Response time (h)", [2.5, 4.0, 1.5]),
        ("Response time in hours", [2.5, 4.0, 1.5]),
        ("Setup time (minutes)", [2.5, 240.0, 90.0]),
        ("Lead time (days)", [2.5, 4 / 24, 1.5 / 24]),
    ],
)
def test_a_duration_is_read_in_the_unit_the_criterion_names(
    name: str, expected: list[float]
) -> None:
    book = _with_response_time(name, 2.5, FOUR_HOURS, dt.timedelta(minutes=90))
    ev = evaluation_from_book(raw_book(book))
    assert ev.values[name].tolist() == pytest.approx(expected)


def test_the_default_models_hours_criterion_reads_durations_in_hours() -> None:
    book = {V: [["Vendor", "Response time (h)"], ["Acme", FOUR_HOURS], ["Bolt", 2]]}
    ev = evaluation_from_book(raw_book(book))
    assert ev.criterion_names == ["Response time (hours)"]
    assert ev.values["Response time (hours)"].tolist() == [4.0, 2.0]


def test_a_duration_in_scores_is_read_in_the_criterions_unit_or_refused() -> None:
    scores = [
        ["Evaluator", "Vendor", "Criterion", "Score"],
        ["Ann", "Acme", "Fix time (hours)", dt.timedelta(hours=3)],
        ["Ann", "Acme", "Fit", dt.timedelta(hours=3)],
    ]
    book = sheets(Scores=scores)
    book[C] += [["Fix time (hours)", "Capability", 1], ["Fit", "Capability", 1]]
    assert [(p.sheet, p.cell, p.code, p.message) for p in _problems(book)] == [
        (S, "D3", Code.DURATION, "3:00 is a duration; type the number of hours, e.g. 3")
    ]
    scores.pop()
    book[C].pop()
    ev = evaluation_from_book(raw_book(book))
    assert ev.values.at["Acme", "Fix time (hours)"] == 3.0


def test_a_duration_in_a_descriptive_column_is_text_as_excel_shows_it() -> None:
    book = edited((V, "F2", dt.timedelta(hours=52, minutes=5)), (V, "F3", FOUR_HOURS))
    ev = evaluation_from_book(raw_book(book))
    assert ev.descriptive["Website"].tolist() == ["52:05", "4:00", "crane.example"]


def test_a_duration_on_a_yes_no_criterion_weight_or_rule_is_refused() -> None:
    book = edited((V, "D3", FOUR_HOURS), (C, "C2", FOUR_HOURS), (C, "H5", FOUR_HOURS))
    assert [(p.cell, p.code, p.message) for p in _problems(book)] == [
        (
            "C2",
            Code.DURATION,
            '4:00 is a duration for "Years in business"; type the weight as a plain number',
        ),
        ("H5", Code.DURATION, '4:00 is a duration, not a rule for "Price"'),
        ("D3", Code.DURATION, "4:00 is a duration, not yes or no"),
    ]


def test_the_cell_parsers_on_durations() -> None:
    with pytest.raises(CellError) as exc:
        parse_number(dt.timedelta(minutes=45))
    assert (exc.value.code, exc.value.message) == (
        Code.DURATION,
        "0:45 is a duration; type the number of hours, e.g. 0.75",
    )
    assert parse_value(dt.timedelta(minutes=45), Scale.RELATIVE, "minutes") == 45.0
    with pytest.raises(CellError, match="is a duration, not yes or no"):
        parse_value(dt.timedelta(minutes=45), Scale.YESNO, "minutes")
    assert parse_text(dt.timedelta(hours=1, seconds=5)) == "1:00:05"
    assert format_duration(dt.timedelta(days=-1)) == "-24:00"
    assert duration_unit("Rate (USD/h)", "Hours per day", "Cost per hour") is None


def test_an_h_mm_cell_written_by_openpyxl_is_a_duration_through_read_book() -> None:
    """End to end: the reader returns [h]:mm as a duration (helper R's change), the importer
    refuses it in a column without a unit and reads it in one with hours."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Vendors"
    ws.append(["Vendor", "Response time (hours)", "Time-zone overlap (hours)", "Notes"])
    ws.append(["Acme", FOUR_HOURS, 3, FOUR_HOURS])
    ws.append(["Bolt", 2, dt.timedelta(hours=5, minutes=30), None])
    for cell in (ws["B2"], ws["C3"], ws["D2"]):
        cell.number_format = "[h]:mm"
    data = io.BytesIO()
    wb.save(data)
    book = read_book(data.getvalue(), "durations.xlsx", sandbox=False)
    assert book.sheets[0].rows[1][1] == FOUR_HOURS
    ev = evaluation_from_book(book)
    assert ev.values["Response time (hours)"].tolist() == [4.0, 2.0]
    assert ev.values["Time-zone overlap (hours)"].tolist() == [3.0, 5.5]
    assert ev.descriptive["Notes"].tolist() == ["4:00", None]
