"""Changing a project on the Projects page (AppTest, real SQLite database): nothing is
overwritten when someone else changed it meanwhile, saved scenarios are what the screen
showed, a decision makes the project read-only until it is reopened, status, settings and
the audit log; and the quick view and each project keep their own weights.

The fixtures and helpers are the Projects page tests' (``test_projects_page.py``).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLE
from streamlit.testing.v1 import AppTest
from test_app import SMALL, XLSX, assert_shows, metric, seen, shown_ranking, table
from test_projects_page import (
    NAME,
    OTHER,
    P,
    page,
    ready_database,
    rerun,
    shown,
    texts,
    with_project,
)

from vendor_eval.projects import history, save_scenario, set_status, update_settings
from vendor_eval.projects.actor import local_actor
from vendor_eval.scoring.scorer import score
from vendor_eval.store.database import open_database
from vendor_eval.store.engine import ENV_URL
from vendor_eval.stress.scenarios import Scenario
from vendor_eval.workbook.importing.load import load_evaluation


@pytest.fixture(autouse=True)
def _repo_root(monkeypatch):
    monkeypatch.chdir(ROOT)


@pytest.fixture
def ready(tmp_path, monkeypatch) -> str:
    """A SQLite database with the current schema and no projects, as the page's."""
    return ready_database(f"sqlite:///{tmp_path / 'projects.sqlite3'}", monkeypatch)


def _both_pages() -> None:
    """The quick view or the Projects page in one session, as the navigation runs them."""
    import streamlit as st

    if st.session_state.get("test_page") == "projects":
        from vendor_eval.ui.projects_page import main
    else:
        from vendor_eval.ui.page import main
    main()


# -- nothing overwritten -------------------------------------------------------------------


def test_a_change_made_elsewhere_meanwhile_is_a_conflict_with_a_reload_button(ready):
    with_project(ready)
    at = page(project=NAME)
    with open_database(ready) as db:  # another user moves the project on
        set_status(OTHER, db, NAME, "scoring")
    forms = 0
    at.text_area(key=f"{P}goals_text_{forms}").input("Only this goal")
    at.button(key=P + "goals_save").click()
    rerun(at)
    (error,) = texts(at.error)
    assert error.startswith(f"the project changed since you opened it (by {OTHER.name} at ")
    assert error.endswith(" UTC): reload")
    assert shown(ready).goals == ["Cut run costs"]  # nothing overwritten
    at.button(key=P + "conflict_reload").click()
    rerun(at)
    assert not at.error
    assert any("Status **scoring**" in t for t in texts(at.caption))  # the other's change
    at.text_area(key=f"{P}goals_text_0").input("Only this goal")
    at.button(key=P + "goals_save").click()
    rerun(at)
    assert shown(ready).goals == ["Only this goal"]


def test_saving_the_weights_as_a_scenario_stores_what_is_on_screen_or_reports_a_conflict(
    ready, monkeypatch
):
    with_project(ready)
    sample = load_evaluation(SAMPLE)
    at = page(project=NAME)
    gen = at.session_state[P + "ve_gen"]
    name = sample.category_names[0]
    at.slider(key=f"{P}cat_{gen}_0").set_value(0.0)
    rerun(at)
    expected = score(sample.with_weights(category_weights={name: 0.0}))
    assert_shows(at, expected)
    at.session_state[P + "view"] = "Scenarios"
    rerun(at)
    with open_database(ready) as db:
        set_status(OTHER, db, NAME, "scoring")
    at.text_input(key=f"{P}project_scenario_name_0").input("no " + name)
    at.button(key=P + "project_scenario_save").click()
    rerun(at)
    (error,) = texts(at.error)
    assert error.startswith(f"the project changed since you opened it (by {OTHER.name} at ")
    assert shown(ready).scenarios == []
    at.button(key=P + "conflict_reload").click()
    rerun(at)
    assert metric(at, "Leader") == expected.leader  # the edits on screen survive the reload
    assert at.session_state[P + "ve_ranking"].qualified == expected.qualified
    at.text_input(key=f"{P}project_scenario_name_0").input("no " + name)
    at.button(key=P + "project_scenario_save").click()
    rerun(at)
    assert not at.error
    (saved,) = shown(ready).scenarios
    assert saved.name == "no " + name
    assert saved.category_weights[name] == 0.0
    assert score(saved.scenario().apply(sample)).qualified == expected.qualified
    # the Scenarios tab compares the project's scenarios with the screen
    frame = table(at, "Vendor", f"no {name}: rank")
    assert list(frame[f"no {name}: score"]) == pytest.approx(
        [expected.score(v) for v in frame["Vendor"]]
    )


def test_decide_makes_the_project_read_only_and_reopen_opens_it_again(ready):
    with_project(ready)
    expected = score(load_evaluation(SAMPLE))
    at = page(project=NAME)
    winner = expected.qualified[1]  # not necessarily the leader: the team decides
    at.selectbox(key=f"{P}decide_winner_0").select(winner)
    at.text_area(key=f"{P}decide_why_0").input("Best references; price within budget.")
    at.button(key=P + "decide_submit").click()
    rerun(at)
    view = shown(ready)
    assert view.status == "decided" and view.decision is not None
    assert view.decision.winner == winner
    assert view.decision.justification == "Best references; price within budget."
    assert view.decision.actor == local_actor().name
    decided = [t for t in texts(at.success) if t.startswith("**Decided: ")]
    assert decided and f"Decided: {winner}**, by {local_actor().name} on " in decided[0]
    assert "Best references; price within budget." in decided[0]
    # the writers are gone; the ranking can still be looked at
    keys = {b.key for b in at.button}
    assert P + "import_button" not in keys and P + "goals_save" not in keys
    assert P + "decide_submit" not in keys and P + "status_change" not in keys
    assert P + "reopen_submit" in keys
    assert_shows(at, expected)

    at.text_input(key=f"{P}reopen_reason_1").input("The winner withdrew its offer")
    at.button(key=P + "reopen_submit").click()
    rerun(at)
    view = shown(ready)
    assert view.status == "draft"
    assert P + "import_button" in {b.key for b in at.button}
    with open_database(ready) as db:
        actions = [e.action for e in history(local_actor(), db, NAME)]
    assert actions == ["create", "import", "decide", "reopen"]


def test_a_blank_justification_is_refused_and_nothing_is_decided(ready):
    with_project(ready)
    at = page(project=NAME)
    at.button(key=P + "decide_submit").click()
    rerun(at)
    assert len(at.error) == 1 and "justification" in texts(at.error)[0]
    assert shown(ready).status == "draft"


def test_status_history_and_verification(ready):
    with_project(ready)
    at = page(project=NAME)
    at.selectbox(key=f"{P}status_pick_0").select("moderation")
    at.button(key=P + "status_change").click()
    rerun(at)
    assert shown(ready).status == "moderation"
    at.session_state[P + "history_open"] = True
    rerun(at)
    log = table(at, "Seq", "Time", "Actor", "Action", "Subject", "Details")
    assert list(log["Action"]) == ["create", "import", "status"]
    assert list(log["Seq"]) == [1, 2, 3]
    assert log["Details"].iloc[2] == '{"from": "draft", "to": "moderation"}'
    at.button(key=P + "verify").click()
    rerun(at)
    assert any(t.startswith("The audit log is intact: 3 events") for t in texts(at.success))


def test_the_project_settings_choose_the_weights_and_the_method(ready):
    with_project(ready)
    sample = load_evaluation(SAMPLE)
    first = sample.category_names[0]
    without_first = Scenario("without " + first, category_weights={first: 0.0})
    with open_database(ready) as db:
        save_scenario(local_actor(), db, NAME, without_first)
    at = page(project=NAME)
    at.selectbox(key=f"{P}set_method_0").select("topsis")
    at.button(key=P + "settings_save").click()
    rerun(at)
    assert shown(ready).settings["method"] == "topsis"
    assert at.radio(key=P + "method").value == "topsis"  # the screen follows the settings
    assert_shows(at, score(sample, method="topsis"))

    at.selectbox(key=f"{P}set_method_1").select("wsm")
    at.selectbox(key=f"{P}set_scenario_1").select(without_first.name)
    at.button(key=P + "settings_save").click()
    rerun(at)
    assert shown(ready).settings == {
        "method": "wsm",
        "missing": "worst",
        "consensus": "mean",
        "scenario": without_first.name,
        "threshold": None,  # the disagreement threshold left at its default
    }
    expected = score(without_first.apply(sample))
    assert expected.qualified != score(sample).qualified  # the scenario changes the order
    assert_shows(at, expected)  # the project's base is now the scenario's weights
    assert f"Weights: scenario **{without_first.name}**, as the project's settings say" in [
        seen(t) for t in texts(at.caption)
    ]


def test_a_project_opens_with_the_method_its_settings_say(ready):
    """A workbook put on screen starts the sidebar from its Settings sheet; a project's own
    settings then choose the method and policy (they decide the project's ranking)."""
    with_project(ready)
    with open_database(ready) as db:
        update_settings(local_actor(), db, NAME, method="topsis", missing="mean")
    at = page(project=NAME)
    assert at.radio(key=P + "method").value == "topsis"
    assert at.selectbox(key=P + "missing").value == "mean"
    assert_shows(at, score(load_evaluation(SAMPLE), method="topsis", missing="mean"))


# -- the pages keep their own state --------------------------------------------------------


def test_the_quick_views_settings_survive_a_visit_to_the_projects_page(ready):
    at = AppTest.from_function(_both_pages, default_timeout=90)
    rerun(at)
    sample = load_evaluation(SAMPLE)
    before = score(sample).qualified
    # a minimum that disqualifies some of the sample's vendors, not all
    minimum, expected = next(
        (m, r)
        for m in (50.0, 60.0, 70.0, 80.0, 90.0)
        for r in [score(sample.with_settings(origin="dashboard", quality_minimum=m))]
        if r.leader is not None and r.qualified != before
    )
    at.number_input(key="quality_minimum").set_value(minimum)
    rerun(at)
    assert_shows(at, expected)
    at.session_state["test_page"] = "projects"
    rerun(at)
    at.session_state["test_page"] = "quick"
    rerun(at)
    assert at.number_input(key="quality_minimum").value == minimum
    assert_shows(at, expected)


def _scores(ranking) -> list[float]:
    return [ranking.score(v) for v in sorted(ranking.vendors)]


def test_each_page_keeps_its_own_weights_across_visits_to_the_other(ready):
    """The quick view's edits never reach a project, nor a project's the quick view; and
    coming back to a page shows its edits as they were left."""
    with_project(ready)
    sample = load_evaluation(SAMPLE)
    first, last = sample.category_names[0], sample.category_names[-1]
    quick_edit = score(sample.with_weights(category_weights={last: 0.0}))
    project_edit = score(sample.with_weights(category_weights={first: 0.0}))
    plain = score(sample)
    assert len({tuple(_scores(r)) for r in (quick_edit, project_edit, plain)}) == 3

    at = AppTest.from_function(_both_pages, default_timeout=90)
    rerun(at)
    gen = at.session_state["ve_gen"]
    at.slider(key=f"cat_{gen}_{len(sample.category_names) - 1}").set_value(0.0)
    at.radio(key="method").set_value("wsm")
    rerun(at)
    assert_shows(at, quick_edit)

    at.session_state["test_page"] = "projects"
    at.query_params["project"] = NAME
    rerun(at)
    assert_shows(at, plain)  # the quick view's edit is not the project's
    gen = at.session_state[P + "ve_gen"]
    at.slider(key=f"{P}cat_{gen}_0").set_value(0.0)
    rerun(at)
    assert_shows(at, project_edit)

    at.session_state["test_page"] = "quick"
    rerun(at)
    assert_shows(at, quick_edit)  # as left, and without the project's edit
    at.session_state["test_page"] = "projects"
    rerun(at)
    assert_shows(at, project_edit)
    at.button(key=P + "reset_weights").click()  # "Reset" still goes back to the workbook
    rerun(at)
    assert_shows(at, plain)


@pytest.mark.parametrize("where", ["environment", "default"])
def test_the_quick_view_needs_no_database(where, tmp_path, monkeypatch):
    """The quick view opens, ranks an upload, and creates no database file anywhere."""
    data_home = tmp_path / "data"
    if where == "environment":
        monkeypatch.setenv(ENV_URL, f"sqlite:///{tmp_path / 'projects.sqlite3'}")
    else:
        monkeypatch.delenv(ENV_URL, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", os.fspath(data_home))  # the default file's folder
    at = AppTest.from_file(os.fspath(ROOT / "app.py"), default_timeout=60)
    rerun(at)
    assert_shows(at, score(load_evaluation(SAMPLE)))
    at.file_uploader(key="upload").set_value(("small.xlsx", SMALL, XLSX))
    rerun(at)
    assert list(shown_ranking(at)["Vendor"]) == score(load_evaluation(SMALL)).qualified
    assert sorted(Path(tmp_path).rglob("*")) == []


def test_a_long_history_shows_its_newest_events_and_says_so(ready, monkeypatch):
    import vendor_eval.ui.project_forms as forms

    monkeypatch.setattr(forms, "HISTORY_ROWS", 2)
    with_project(ready)
    with open_database(ready) as db:
        set_status(OTHER, db, NAME, "scoring")
    at = page(project=NAME)
    at.session_state[P + "history_open"] = True
    rerun(at)
    log = table(at, "Seq", "Action")
    assert list(log["Seq"]) == [2, 3] and list(log["Action"]) == ["import", "status"]
    assert "The newest 2 of 3 events; `vendor-eval project history` lists them all." in texts(
        at.caption
    )


# -- scenarios saved again, unreadable events, weights that cannot be applied ----------------


def _tamper(url: str, sql: str, **params: object) -> None:
    """Change rows behind vendor-eval's back (SQLite: no append-only trigger to lift)."""
    from sqlalchemy import text

    with open_database(url) as db, db.engine.begin() as conn:
        conn.execute(text(sql), params)


def test_the_active_scenario_saved_again_in_another_spelling_stays_active(ready):
    with_project(ready)
    sample = load_evaluation(SAMPLE)
    first = sample.category_names[0]
    with open_database(ready) as db:
        save_scenario(local_actor(), db, NAME, Scenario("cost first", {}, {first: 0.0}))
        update_settings(local_actor(), db, NAME, scenario="cost first")
        save_scenario(local_actor(), db, NAME, Scenario("Cost First", {}, {first: 10.0}))
    assert shown(ready).settings["scenario"] == "Cost First"
    at = page(project=NAME)
    assert at.selectbox(key=f"{P}set_scenario_0").value == "Cost First"
    at.selectbox(key=f"{P}set_method_0").select("topsis")  # another setting changes …
    at.button(key=P + "settings_save").click()
    rerun(at)
    settings = shown(ready).settings
    assert (settings["method"], settings["scenario"]) == ("topsis", "Cost First")  # … not this


def test_the_weights_choice_matches_the_active_scenario_by_name_key():
    from vendor_eval.ui.project_forms import WORKBOOK_WEIGHTS, active_index

    choices = [WORKBOOK_WEIGHTS, "Price first", "Cost First"]
    assert active_index(choices, "  cost FIRST ") == 2
    assert active_index(choices, "Price first") == 1
    assert active_index(choices, None) == active_index(choices, "") == 0
    assert active_index(choices, "gone") == 0


def test_saving_the_same_scenario_again_says_so_and_writes_nothing(ready):
    with_project(ready)
    at = page(project=NAME)
    at.session_state[P + "view"] = "Scenarios"
    rerun(at)
    at.text_input(key=f"{P}project_scenario_name_0").input("as is")
    at.button(key=P + "project_scenario_save").click()
    rerun(at)
    assert any(t == "Scenario as is saved in the project." for t in texts(at.success))
    version = shown(ready).version
    at.text_input(key=f"{P}project_scenario_name_1").input("as is")
    at.button(key=P + "project_scenario_save").click()
    rerun(at)
    assert not at.error
    assert texts(at.info).count("Scenario as is is already saved with these weights.") == 1
    assert shown(ready).version == version  # no event, no new version
    with open_database(ready) as db:
        actions = [e.action for e in history(local_actor(), db, NAME)]
    assert actions == ["create", "import", "scenario"]


def test_the_history_shows_an_event_whose_details_are_not_readable(ready):
    with_project(ready)
    _tamper(ready, "UPDATE events SET details = :d WHERE seq = 2", d="{edited by hand")
    at = page(project=NAME)
    at.session_state[P + "history_open"] = True
    rerun(at)
    log = table(at, "Seq", "Action", "Details")
    assert list(log["Seq"]) == [1, 2]
    assert log["Details"].iloc[1] == '{"unreadable": "{edited by hand"}'
    assert any(
        t.startswith("event 2's details are not readable: run `project verify`")
        for t in texts(at.warning)
    )
    at.button(key=P + "verify").click()
    rerun(at)
    assert len(at.error) == 1 and not any(
        t.startswith("The audit log is intact") for t in texts(at.success)
    )


def test_active_weights_the_service_cannot_apply_show_its_error(ready):
    from vendor_eval.projects import rank_project
    from vendor_eval.projects.errors import ProjectError

    with_project(ready)
    _tamper(ready, "UPDATE projects SET settings = :s", s='{"scenario":"ghost"}')
    with open_database(ready) as db, pytest.raises(ProjectError) as refused:
        rank_project(local_actor(), db, NAME)
    at = page(project=NAME)
    (error,) = [t for t in texts(at.error) if "cannot be applied" in t]
    assert str(refused.value) in error  # the service's own sentence, not a second rule's
    assert_shows(at, score(load_evaluation(SAMPLE)))  # the workbook's weights, for looking
    assert not any("as the project's settings say" in t for t in texts(at.caption))
