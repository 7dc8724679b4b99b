"""A project version's decimal separator (``import_workbook(..., decimal=)``), on both
backends: stored with the version and in its import event, used by every later read of the
version, checked by ``project verify``; an ambiguous CSV without it writes nothing."""

from __future__ import annotations

import pytest
from projects_helpers import ALICE, BOB, counts, execute, migrated, scalar
from sqlalchemy.exc import IntegrityError

from vendor_eval.core.problems import Code, Problem, ValidationError
from vendor_eval.projects import (
    ProjectError,
    create_project,
    current_evaluation,
    decide,
    history,
    import_workbook,
    rank_project,
    sensitivity_project,
    show_project,
    verify_project,
)
from vendor_eval.scoring.scorer import score
from vendor_eval.workbook.importing.load import load_evaluation

YEARS = "Years in business"
RATE = "Blended hourly rate"
#: Acme's 1,250 years are 1.25 with decimal commas, 1250 with decimal points.
AMBIGUOUS = f"Vendor;{YEARS};{RATE}\nAcme;1,250;900\nBolt;12;900\n".encode()
#: What a German Excel writes: its numbers tell (4,5 and 1.250,50 read only with commas).
GERMAN = f"Vendor;{YEARS};{RATE}\nAcme;4,5;1.250,50\nBolt;12;900\n".encode()
REFUSED = Problem(
    '"1,250" could be 1250 or 1.25: say which with --decimal comma or --decimal point (in '
    'the dashboard: "Decimal separator")',
    sheet="Vendors",
    column="B",
    header=YEARS,
    file="years.csv",
)


@pytest.fixture
def db(db_url):
    with migrated(db_url) as db:
        create_project(ALICE, db, "IT 2027")
        yield db


def _import(db, data: bytes = AMBIGUOUS, **kw):
    return import_workbook(BOB, db, "IT 2027", data, file_name="years.csv", **kw)


def test_an_ambiguous_csv_without_a_choice_is_refused_and_writes_nothing(db):
    before = counts(db)
    with pytest.raises(ValidationError) as e:
        _import(db)
    assert e.value.problems == [REFUSED]
    assert [p.code for p in e.value.problems] == [Code.AMBIGUOUS_DECIMAL]
    assert counts(db) == before
    assert scalar(db, "SELECT COUNT(*) FROM workbook_versions") == 0
    assert show_project(ALICE, db, "IT 2027").versions == []
    # the same refusal as the workbook commands' for the same bytes
    with pytest.raises(ValidationError) as direct:
        load_evaluation(AMBIGUOUS, name="years.csv")
    assert direct.value.problems == e.value.problems


@pytest.mark.parametrize(
    ("decimal", "years", "leader"),
    [("comma", [1.25, 12.0], "Bolt"), ("point", [1250.0, 12.0], "Acme")],
)
def test_the_choice_is_stored_and_every_read_uses_it(db, decimal, years, leader):
    version = _import(db, decimal=decimal)
    assert version.decimal == decimal and version.to_dict()["decimal"] == decimal
    assert scalar(db, "SELECT decimal FROM workbook_versions WHERE seq = 1") == decimal
    event = history(ALICE, db, "IT 2027")[-1]
    assert event.action == "import"
    assert event.details == {
        "version": 1, "file_name": "years.csv", "sha256": version.sha256, "size": len(AMBIGUOUS),
        "vendors": 2, "criteria": 2, "decimal": decimal,
    }  # fmt: skip
    evaluation, read = current_evaluation(ALICE, db, "IT 2027")
    assert evaluation.values[YEARS].tolist() == years
    assert evaluation.values[RATE].tolist() == [900.0, 900.0]
    assert read.decimal == decimal
    assert [v.decimal for v in show_project(ALICE, db, "IT 2027").versions] == [decimal]
    ranking = rank_project(ALICE, db, "IT 2027")
    expected = score(load_evaluation(AMBIGUOUS, name="years.csv", decimal=decimal))
    assert ranking.to_records() == expected.to_records()
    assert (ranking.vendors, ranking.leader) == (expected.vendors, leader)
    assert sensitivity_project(ALICE, db, "IT 2027", samples=50).leader == leader
    assert verify_project(ALICE, db, "IT 2027").ok
    assert decide(ALICE, db, "IT 2027", leader, "the years decide").winner == leader
    assert verify_project(ALICE, db, "IT 2027").ok


def test_each_version_is_read_with_its_own_choice(db):
    """The same bytes imported twice with different choices: two versions, each read as it
    was imported (the in-process cache keys on the choice too)."""
    first = _import(db, decimal="comma")
    second = _import(db, decimal="point")
    assert first.sha256 == second.sha256
    for seq, years in ((1, [1.25, 12.0]), (2, [1250.0, 12.0]), (1, [1.25, 12.0])):
        evaluation, version = current_evaluation(ALICE, db, "IT 2027", version=seq)
        assert (version.seq, evaluation.values[YEARS].tolist()) == (seq, years)
    assert [v.decimal for v in show_project(ALICE, db, "IT 2027").versions] == ["comma", "point"]


def test_a_file_that_tells_is_stored_automatic_and_its_event_is_unchanged(db):
    version = _import(db, GERMAN)
    assert version.decimal == "auto"
    assert scalar(db, "SELECT decimal FROM workbook_versions WHERE seq = 1") == "auto"
    assert "decimal" not in history(ALICE, db, "IT 2027")[-1].details
    evaluation, _ = current_evaluation(ALICE, db, "IT 2027")
    assert evaluation.values[YEARS].tolist() == [4.5, 12.0]
    assert evaluation.values[RATE].tolist() == [1250.5, 900.0]
    # a choice against what the file says is the user's: "point" refuses its decimal commas
    with pytest.raises(ValidationError) as e:
        _import(db, GERMAN, decimal="point")
    assert next((p.cell, p.message) for p in e.value.problems) == (
        "B2",
        '"4,5" is not a number: use a decimal point, e.g. 4.5',
    )


def test_an_xlsx_is_read_as_ever_whatever_the_choice(db):
    from projects_helpers import xlsx

    data = xlsx({"Vendors": [["Vendor", YEARS, RATE], ["Acme", "1,250", 900], ["Bolt", 12, 900]]})
    import_workbook(BOB, db, "IT 2027", data, file_name="years.xlsx", decimal="comma")
    evaluation, version = current_evaluation(ALICE, db, "IT 2027")
    assert evaluation.values[YEARS].tolist() == [1250.0, 12.0]  # .xlsx text: decimal points
    assert version.decimal == "comma"  # stored as chosen: what the version was read with


def test_an_unknown_choice_is_refused(db):
    before = counts(db)
    with pytest.raises(ProjectError) as e:
        _import(db, decimal="dot")
    assert str(e.value) == "the decimal separator must be auto, comma, point, not 'dot'"
    assert counts(db) == before


def test_verify_catches_a_choice_changed_behind_the_services_back(db):
    _import(db, decimal="comma")
    assert verify_project(ALICE, db, "IT 2027").ok
    execute(db, "UPDATE workbook_versions SET decimal = 'point' WHERE seq = 1")
    result = verify_project(ALICE, db, "IT 2027")
    assert not result.ok
    assert result.message == (
        "workbook version 1's decimal separator is 'point' but its log says 'comma' (event 2)"
    )
    execute(db, "UPDATE workbook_versions SET decimal = 'auto' WHERE seq = 1")
    assert verify_project(ALICE, db, "IT 2027").message == (
        "workbook version 1's decimal separator is 'auto' but its log says 'comma' (event 2)"
    )


def test_an_automatic_version_given_a_choice_later_is_caught(db):
    _import(db, GERMAN)
    execute(db, "UPDATE workbook_versions SET decimal = 'point' WHERE seq = 1")
    assert verify_project(ALICE, db, "IT 2027").message == (
        "workbook version 1's decimal separator is 'point' but its log says 'auto' (event 2)"
    )


def test_the_database_holds_only_the_three_choices(db):
    _import(db, decimal="comma")
    with pytest.raises(IntegrityError):
        execute(db, "UPDATE workbook_versions SET decimal = 'dot' WHERE seq = 1")
    assert scalar(db, "SELECT decimal FROM workbook_versions WHERE seq = 1") == "comma"
