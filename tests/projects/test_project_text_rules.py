"""The text rules of stored names and texts (vendor_eval/workbook/text_rules.py,
docs/projects.md §2): what they refuse, how a file name is cleaned rather than refused,
and a workbook path that is not a regular file."""

from __future__ import annotations

import os

import pytest
from conftest import SAMPLE
from projects_helpers import ALICE, counts, migrated

from vendor_eval.core.problems import VendorEvalError
from vendor_eval.projects import ProjectError, create_project, decide, import_workbook
from vendor_eval.projects.versions import stored_file_name
from vendor_eval.workbook.text_rules import (
    clean_file_name,
    file_name_problem,
    name_problem,
    text_problem,
)


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("ok name", None),
        ("  é  ", None),
        ("é" * 200, None),
        ("   ", "is blank"),
        (5, "is not text"),
        ("a\nb", "'a\\nb' contains a line break"),
        ("a\tb", "'a\\tb' contains the control character U+0009"),
        (
            "a\u202eb",
            "'a\\u202eb' contains the text-direction control U+202E, which reorders the text shown",
        ),
        ("bad\udcff", "'bad\\udcff' contains the byte 0xFF, which is not UTF-8 text"),
        ("bad\ud800", "'bad\\ud800' contains U+D800, which is not a character (a lone surrogate)"),
        ("x" * 201, "is too long (201 characters; at most 200)"),
        (
            "ß" * 200,
            'is too long once compared (400 characters case-folded, as "ß" becomes "ss"; '
            "at most 200)",
        ),
    ],
)
def test_name_rule(value, problem):
    assert name_problem(value) == problem


def test_text_rule_keeps_line_breaks_and_refuses_direction_controls():
    assert text_problem("first line\n\tsecond\r\nthird") is None
    assert text_problem("cheap \u2067x") == (
        "'cheap \\u2067x' contains the text-direction control U+2067, which reorders the text shown"
    )
    assert text_problem("a\x00b") == "'a\\x00b' contains the control character U+0000"
    assert text_problem("x" * 40_000) == "is too long (40,000 characters; at most 32,767)"


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("plain.xlsx", "plain.xlsx"),
        ("a\x00b.xlsx", "a?b.xlsx"),
        ("evil\u202egpj.xlsx", "evil?gpj.xlsx"),
        ("  new\nline.xlsx ", "new?line.xlsx"),
        ("bad\udcff.xlsx", "bad?.xlsx"),
        ("   ", "upload.xlsx"),
        ("\u200b", "upload.xlsx"),
    ],
)
def test_file_names_are_cleaned(given, stored):
    assert clean_file_name(given, "upload.xlsx") == stored
    assert file_name_problem(stored) is None


def test_a_long_file_name_keeps_its_extension():
    stored = clean_file_name("x" * 100_000 + ".xlsx", "upload.xlsx")
    assert len(stored) == 255 and stored.endswith("….xlsx") and file_name_problem(stored) is None
    assert len(clean_file_name("y" * 300, "upload.xlsx")) == 255


def test_the_cleaned_name_is_stored_with_a_warning(db_url):
    with migrated(db_url) as db:
        create_project(ALICE, db, "P")
        version = import_workbook(ALICE, db, "P", SAMPLE.read_bytes(), file_name="e\x1bvil.xlsx")
        assert version.file_name == "e?vil.xlsx"
        assert version.warnings[0] == stored_file_name("e\x1bvil.xlsx")[1]
        assert "'e?vil.xlsx'" in version.warnings[0]
        plain = import_workbook(ALICE, db, "P", SAMPLE.read_bytes(), file_name="plain.xlsx")
        assert not any("file name" in w for w in plain.warnings)


def test_a_justification_with_a_direction_control_writes_nothing(db_url):
    with migrated(db_url) as db:
        create_project(ALICE, db, "P")
        import_workbook(ALICE, db, "P", SAMPLE)
        before = counts(db)
        with pytest.raises(
            ProjectError, match="the justification 'fine\\\\u202e' contains the text-direction"
        ):
            decide(ALICE, db, "P", "anything", "fine\u202e", samples=50)
        assert counts(db) == before


def test_importing_a_fifo_is_refused_without_waiting(tmp_path):
    fifo = tmp_path / "book.xlsx"
    os.mkfifo(fifo)
    with migrated(f"sqlite:///{tmp_path / 'a.sqlite3'}") as db:
        create_project(ALICE, db, "P")
        with pytest.raises(VendorEvalError, match=r"book\.xlsx is not a regular file"):
            import_workbook(ALICE, db, "P", fifo)
        assert counts(db)["workbook_versions"] == 0
