"""Saved weight scenarios: re-saving the active one under another spelling keeps it
active, re-saving one unchanged writes nothing; and an event whose stored details were
edited into something unreadable still shows in the history. On both backends."""

from __future__ import annotations

import pytest
from importer_helpers import sheets
from projects_helpers import ALICE, BOB, counts, execute, migrated, xlsx

from vendor_eval.projects import (
    ProjectChanged,
    create_project,
    history,
    import_workbook,
    rank_project,
    save_scenario,
    show_project,
    update_settings,
    verify_project,
)
from vendor_eval.projects.views import UNREADABLE
from vendor_eval.scoring.scorer import score
from vendor_eval.stress.scenarios import Scenario


@pytest.fixture
def db(db_url):
    with migrated(db_url) as db:
        create_project(ALICE, db, "IT 2027", ["cut cost"])
        import_workbook(ALICE, db, "IT 2027", xlsx(sheets()), file_name="v.xlsx")
        yield db


def test_resaving_the_active_scenario_under_another_spelling_keeps_it_active(db):
    save_scenario(BOB, db, "IT 2027", Scenario("cost first", {}, {"Cost": 80}))
    update_settings(ALICE, db, "IT 2027", scenario="cost first")
    version = show_project(ALICE, db, "IT 2027").version
    saved = save_scenario(BOB, db, "IT 2027", Scenario("Cost First", {}, {"Cost": 60}))
    assert saved.name == "Cost First" and not saved.unchanged
    view = show_project(ALICE, db, "IT 2027")
    assert view.settings["scenario"] == "Cost First"  # the new spelling, still active
    assert [s.name for s in view.scenarios] == ["Cost First"]
    assert view.version == version + 1  # one event for both: the row and the settings
    event = history(ALICE, db, "IT 2027")[-1]
    assert (event.action, event.subject) == ("scenario", "Cost First")
    assert event.details["replaced"] is True and event.details["active"] is True
    expected = rank_project(ALICE, db, "IT 2027", scenario="COST FIRST").to_records()
    assert rank_project(ALICE, db, "IT 2027").to_records() == expected
    assert verify_project(ALICE, db, "IT 2027").ok


def test_replacing_another_scenario_leaves_the_active_one_and_says_nothing_of_it(db):
    save_scenario(BOB, db, "IT 2027", Scenario("cost first", {}, {"Cost": 80}))
    save_scenario(BOB, db, "IT 2027", Scenario("price", {"Price": 5.0}, {}))
    update_settings(ALICE, db, "IT 2027", scenario="cost first")
    save_scenario(BOB, db, "IT 2027", Scenario("PRICE", {"Price": 4.0}, {}))
    assert show_project(ALICE, db, "IT 2027").settings["scenario"] == "cost first"
    event = history(ALICE, db, "IT 2027")[-1]
    assert event.details["replaced"] is True and "active" not in event.details


def test_resaving_a_scenario_unchanged_writes_nothing(db):
    first = save_scenario(BOB, db, "IT 2027", Scenario("cost first", {"Price": 5}, {"Cost": 80}))
    before = (counts(db), show_project(ALICE, db, "IT 2027").version)
    again = save_scenario(ALICE, db, "IT 2027", Scenario(" cost first ", {"Price": 5.0},
                                                         {"Cost": 80.0}))  # fmt: skip
    assert again.unchanged is True
    assert (again.name, again.actor, again.time) == (first.name, "bob", first.time)
    assert (again.criterion_weights, again.category_weights) == ({"Price": 5.0}, {"Cost": 80.0})
    assert (counts(db), show_project(ALICE, db, "IT 2027").version) == before  # no event
    # a stale base version is still refused, before anything else
    with pytest.raises(ProjectChanged):
        save_scenario(ALICE, db, "IT 2027", Scenario("cost first", {"Price": 5}, {"Cost": 80}),
                      base_version=before[1] - 1)  # fmt: skip
    # another spelling or other weights are a change
    renamed = save_scenario(ALICE, db, "IT 2027", Scenario("Cost First", {"Price": 5},
                                                           {"Cost": 80}))  # fmt: skip
    assert not renamed.unchanged and renamed.actor == "alice"
    changed = save_scenario(ALICE, db, "IT 2027", Scenario("Cost First", {"Price": 5}, {}))
    assert not changed.unchanged
    actions = [e.action for e in history(ALICE, db, "IT 2027")]
    assert actions.count("scenario") == 3


def test_an_event_whose_details_are_not_json_is_shown_as_stored(db):
    execute(db, "UPDATE events SET details = :d WHERE seq = 2", d="{edited by hand")
    events = history(ALICE, db, "IT 2027")
    assert [e.seq for e in events] == [1, 2]
    create, edited = events
    assert create.readable and create.note is None and create.details == {"goals": ["cut cost"]}
    assert edited.readable is False
    assert edited.details == {UNREADABLE: "{edited by hand"}
    assert edited.to_dict()["details"] == {"unreadable": "{edited by hand"}
    assert edited.note == "event 2's details are not readable: run `project verify`"
    result = verify_project(ALICE, db, "IT 2027")
    assert (result.ok, result.first_bad) == (False, 2)


@pytest.mark.parametrize("stored", ["[1, 2]", '"text"', "null", "7"])
def test_event_details_that_are_json_but_not_an_object_are_unreadable(db, stored):
    execute(db, "UPDATE events SET details = :d WHERE seq = 1", d=stored)
    first = history(ALICE, db, "IT 2027")[0]
    assert (first.readable, first.details) == (False, {UNREADABLE: stored})


def test_the_ranking_after_an_unchanged_save_is_as_before(db):
    scenario = Scenario("cost first", {}, {"Cost": 80})
    save_scenario(BOB, db, "IT 2027", scenario)
    update_settings(ALICE, db, "IT 2027", scenario="cost first")
    ranked = rank_project(ALICE, db, "IT 2027").to_records()
    assert save_scenario(BOB, db, "IT 2027", scenario).unchanged
    assert rank_project(ALICE, db, "IT 2027").to_records() == ranked
    assert ranked == score(scenario.apply(_evaluation(db))).to_records()


def _evaluation(db):
    from vendor_eval.projects import current_evaluation

    return current_evaluation(ALICE, db, "IT 2027")[0]
