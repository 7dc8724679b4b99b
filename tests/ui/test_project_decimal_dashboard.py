"""The Projects page's "Decimal separator" beside the import: an ambiguous CSV is refused
with the column named and nothing written, until a separator is chosen; the choice is
stored with the version, and a new session reads the version with it."""

from __future__ import annotations

import pytest
from conftest import ROOT
from streamlit.testing.v1 import AppTest
from test_app import assert_shows, table
from test_projects_page import NAME, P, page, ready_database, rerun, shown, texts, with_project

from vendor_eval.scoring.scorer import score
from vendor_eval.workbook.importing.load import load_evaluation

#: Acme's 1,250 years are 1.25 with decimal commas (Bolt, 12 years, then leads), or 1250.
AMBIGUOUS = b"Vendor;Years in business;Blended hourly rate\nAcme;1,250;900\nBolt;12;900\n"
REFUSED = (
    '"1,250" could be 1250 or 1.25: say which with --decimal comma or --decimal point (in '
    'the dashboard: "Decimal separator")'
)


@pytest.fixture(autouse=True)
def _repo_root(monkeypatch):
    monkeypatch.chdir(ROOT)


@pytest.fixture
def ready(tmp_path, monkeypatch) -> str:
    """A SQLite database with the current schema and no projects, as the page's."""
    return ready_database(f"sqlite:///{tmp_path / 'projects.sqlite3'}", monkeypatch)


def _forms(at: AppTest) -> int:
    return int(at.session_state[P + "ve_forms"]) if P + "ve_forms" in at.session_state else 0


def _import(at: AppTest, decimal: str | None = None) -> AppTest:
    n = _forms(at)
    at.file_uploader(key=f"{P}import_upload_{n}").set_value(("years.csv", AMBIGUOUS, "text/csv"))
    if decimal is not None:
        at.selectbox(key=f"{P}import_decimal_{n}").set_value(decimal)
    rerun(at)
    at.button(key=P + "import_button").click()
    return rerun(at)


def test_the_choice_is_offered_as_on_the_data_sidebar(ready):
    with_project(ready, sample=False)
    at = page(project=NAME)
    select = at.selectbox(key=f"{P}import_decimal_0")
    assert select.label == "Decimal separator"
    assert select.options == ["Automatic", "Comma (1.234,5)", "Point (1,234.5)"]
    assert select.value == "auto"


def test_an_ambiguous_csv_is_refused_until_a_separator_is_chosen(ready):
    with_project(ready, sample=False)
    at = page(project=NAME)
    _import(at)
    assert texts(at.error) == [
        "years.csv was not imported: 1 problem to fix in the workbook; nothing was written."
    ]
    problems = table(at, "sheet", "cell", "column", "message")
    assert problems.to_dict("records") == [
        {"sheet": "Vendors", "cell": "B", "column": "Years in business", "message": REFUSED}
    ]
    assert shown(ready).versions == []

    _import(at, "comma")
    assert not at.error
    assert any(
        "years.csv imported as version 1, its numbers read with a decimal comma." in t
        for t in texts(at.success)
    )
    [version] = shown(ready).versions
    assert version.decimal == "comma"
    expected = score(load_evaluation(AMBIGUOUS, name="years.csv", decimal="comma"))
    assert expected.leader == "Bolt"
    assert_shows(at, expected)
    # the form starts afresh: the next import is automatic unless chosen again
    assert at.selectbox(key=f"{P}import_decimal_{_forms(at)}").value == "auto"

    # a new session reads the stored version with its stored choice
    assert_shows(page(project=NAME), expected)


def test_point_reads_the_other_way(ready):
    with_project(ready, sample=False)
    at = page(project=NAME)
    _import(at, "point")
    assert [v.decimal for v in shown(ready).versions] == ["point"]
    expected = score(load_evaluation(AMBIGUOUS, name="years.csv", decimal="point"))
    assert expected.leader == "Acme"
    assert_shows(at, expected)
