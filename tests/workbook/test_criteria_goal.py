"""The Criteria sheet's Goal column: read as a name, written by the template and the export.

docs/workbook-format.md §3.1: the optional ``Goal`` column (also ``Goals``, ``Objective``,
``Serves goal``) names the project goal a criterion serves. It is a name: one line, at most
200 characters, no control or bidirectional characters. It never changes a score.
"""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from conftest import make_evaluation
from importer_helpers import edited, raw_book, sheets, where

from vendor_eval.core.model import Criterion, Direction
from vendor_eval.core.problems import Code, ValidationError
from vendor_eval.output.excel.export import write_export
from vendor_eval.scoring.scorer import score
from vendor_eval.ui.tables import fingerprint
from vendor_eval.workbook import schema
from vendor_eval.workbook.defaults import DEFAULT_CRITERIA
from vendor_eval.workbook.importing.load import evaluation_from_book, load_evaluation
from vendor_eval.workbook.importing.matrix import matrix_header_row
from vendor_eval.workbook.template import write_template

C = "Criteria"
NAMES = ["Years in business", "Rating", "ISO", "Price"]


def load(book: dict):
    return evaluation_from_book(raw_book(book))


def problems_of(book: dict) -> list:
    with pytest.raises(ValidationError) as exc:
        load(book)
    return exc.value.problems


# -- reading -------------------------------------------------------------------------------
def test_goal_cells_are_read_trimmed_and_blank_is_no_goal() -> None:
    ev = load(edited((C, "I1", "Goal"), (C, "I2", "  Lower running cost "), (C, "I4", 2024)))
    assert [c.goal for c in ev.criteria] == ["Lower running cost", "", "2024", ""]
    assert ev.warnings == []


def test_without_a_goal_column_every_goal_is_blank() -> None:
    ev = load(sheets())
    assert [c.name for c in ev.criteria] == NAMES
    assert [c.goal for c in ev.criteria] == ["", "", "", ""]
    assert all(c.goal == "" for c in DEFAULT_CRITERIA)
    assert Criterion("P", "Cost", 1.0).goal == ""


@pytest.mark.parametrize("header", ["Goal", " goals ", "OBJECTIVE", "Serves  goal"])
def test_every_spelling_of_the_header_is_the_goal_column(header: str) -> None:
    ev = load(edited((C, "I1", header), (C, "I3", "Quality")))
    assert [c.goal for c in ev.criteria] == ["", "Quality", "", ""]


def test_goal_column_may_stand_anywhere() -> None:
    book = sheets()
    for row, goal in zip(book[C], ["Goal", "Trust", None, "Security", "Cost"], strict=True):
        row.insert(1, goal)
    ev = load(book)
    assert [(c.name, c.goal, c.category) for c in ev.criteria] == [
        ("Years in business", "Trust", "Reputation"),
        ("Rating", "", "Reputation"),
        ("ISO", "Security", "Capability"),
        ("Price", "Cost", "Cost"),
    ]


def test_a_goal_is_checked_like_a_name() -> None:
    probs = problems_of(
        edited(
            (C, "I1", "Goal"),
            (C, "I2", "Cost\u202ecut"),
            (C, "I3", "x" * 201),
            (C, "I4", "two\nlines"),
            (C, "I5", "tab\there"),
        )
    )
    assert [where(p) for p in probs] == [
        (C, 2, "I", "Goal", '"Cost\\u202ecut" contains an invisible right-to-left control that '
         'reverses text on screen for "Years in business"; remove it'),
        (C, 3, "I", "Goal", f'text is too long for "Rating" (201 characters; at most 200): '
         f'"{"x" * 39}…"'),
        (C, 4, "I", "Goal", '"two\\x0alines" contains a line break for "ISO"; remove it'),
        (C, 5, "I", "Goal", '"tab\\x09here" contains the control character U+0009 for "Price"; '
         "remove it"),
    ]  # fmt: skip
    assert [p.code for p in probs] == [
        Code.BIDI_CONTROL,
        Code.TEXT_TOO_LONG,
        Code.CONTROL_CHARACTER,
        Code.CONTROL_CHARACTER,
    ]


def test_a_goal_of_200_characters_is_accepted() -> None:
    ev = load(edited((C, "I1", "Goal"), (C, "I2", "g" * 200)))
    assert ev.criteria[0].goal == "g" * 200


def test_a_goal_is_not_taken_for_a_vendor_in_a_matrix() -> None:
    # The Goal header is about the criterion, like Category: not a vendor column.
    assert matrix_header_row([["Criterion", "Goal", "Weight"], ["Price", "Cost", 1]]) is None
    assert matrix_header_row([["Criterion", "Goal", "Acme IT"], ["Price", "Cost", 4]]) == 1


def test_a_goal_changes_no_score_but_changes_the_fingerprint() -> None:
    plain = load(sheets())
    with_goals = load(edited((C, "I1", "Goal"), (C, "I2", "Trust"), (C, "I5", "Cost")))
    a, b = score(plain), score(with_goals)
    assert a.vendors == b.vendors
    assert a.to_records() == b.to_records()
    # The dashboard's cache key covers the goals: a different goal is different content.
    assert fingerprint(plain) == fingerprint(load(sheets()))
    assert fingerprint(plain) != fingerprint(with_goals)
    renamed = with_goals.with_criteria(
        [c.replace(goal="Other") if c.goal == "Trust" else c for c in with_goals.criteria]
    )
    assert fingerprint(renamed) != fingerprint(with_goals)


# -- writing -------------------------------------------------------------------------------
def test_template_writes_a_blank_goal_column_with_its_instruction() -> None:
    wb = openpyxl.load_workbook(io.BytesIO(write_template()))
    ws = wb["Criteria"]
    goal = schema.CRITERIA.index(schema.GOAL) + 1
    assert (goal, ws.cell(1, goal).value) == (10, "Goal")  # after Scale, Formula, ..., Must
    assert ws.cell(1, goal + 1).value == "Description"
    assert [ws.cell(r, goal).value for r in range(2, ws.max_row + 1)] == [None] * len(
        DEFAULT_CRITERIA
    )
    assert ws.column_dimensions["J"].width == 24
    text = [r[0] for r in wb["Instructions"].iter_rows(values_only=True) if r[0]]
    line = next(t for t in text if t.startswith("Goal (optional)"))
    assert "project goal the criterion serves" in line


def test_a_goal_typed_into_the_template_is_read(tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(io.BytesIO(write_template()))
    vs, cs = wb["Vendors"], wb["Criteria"]
    headers = [c.value for c in vs[1]]
    for r, name in enumerate(["Alpha", "Beta"], start=2):
        vs.cell(r, 1, name)
        vs.cell(r, headers.index("Client rating") + 1, 3 + r % 2)
    cs["J2"] = " Happy clients "  # the Goal column
    path = tmp_path / "filled.xlsx"
    wb.save(path)
    ev = load_evaluation(path)
    assert ev.criteria[0].name == DEFAULT_CRITERIA[0].name
    assert [c.goal for c in ev.criteria] == ["Happy clients"] + [""] * (len(ev.criteria) - 1)


def test_export_writes_goals_and_reads_them_back(tmp_path: Path) -> None:
    criteria = [
        Criterion("Price", "Cost", 2.0, Direction.LOWER, goal="=Lower cost"),
        Criterion("Quality", "Delivery", 1.0, goal="Fewer incidents"),
        Criterion("Speed", "Delivery", 1.0),
    ]
    ev = make_evaluation(
        {"Price": [100, 80, 90], "Quality": [3, 4, 5], "Speed": [1, 2, 3]}, criteria
    )
    data = write_export(score(ev))
    ws = openpyxl.load_workbook(io.BytesIO(data))["Criteria"]
    assert [c.value for c in ws[1]] == schema.CRITERIA.headers
    assert [ws.cell(r, 10).value for r in (2, 3, 4)] == ["=Lower cost", "Fewer incidents", None]
    assert ws["J2"].data_type == "s" and ws["J2"].quotePrefix  # text, never a formula
    assert ws.column_dimensions["J"].width == 24
    path = tmp_path / "export.xlsx"
    path.write_bytes(data)
    again = load_evaluation(path)
    assert [(c.name, c.goal) for c in again.criteria] == [
        ("Price", "=Lower cost"),
        ("Quality", "Fewer incidents"),
        ("Speed", ""),
    ]
