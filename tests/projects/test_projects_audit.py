"""The audit trail as the service keeps it: conflicting writers, history, verify catching
edits and deletions, and the goal warnings, on both backends."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from importer_helpers import sheets
from projects_helpers import ALICE, BOB, counts, execute, migrated, scalar, xlsx
from sqlalchemy import insert, select, text, update
from sqlalchemy.exc import DatabaseError
from sqlalchemy.orm import Session

from vendor_eval.core.model import Category, Criterion
from vendor_eval.projects import (
    Actor,
    ProjectChanged,
    create_project,
    decide,
    delete_scenario,
    goal_warnings,
    history,
    import_workbook,
    reopen,
    save_scenario,
    set_goals,
    set_status,
    show_project,
    update_settings,
    verify_project,
)
from vendor_eval.store import queries as q
from vendor_eval.store.integrity import Result, check
from vendor_eval.store.models import GENESIS, Decision, Project, Scenario, WorkbookVersion
from vendor_eval.stress.scenarios import Scenario as Weights

CAROL = Actor("carol")


@pytest.fixture
def db(db_url):
    with migrated(db_url) as db:
        create_project(ALICE, db, "IT 2027", ["cut cost"])
        yield db


def test_the_second_writer_on_the_same_version_is_refused(db):
    opened = show_project(ALICE, db, "IT 2027").version  # both open the project here
    set_status(ALICE, db, "IT 2027", "scoring", base_version=opened)
    first = history(ALICE, db, "IT 2027")[-1]
    before = counts(db)
    writers = {
        "goals": lambda: set_goals(BOB, db, "IT 2027", ["other"], base_version=opened),
        "status": lambda: set_status(BOB, db, "IT 2027", "moderation", base_version=opened),
        "settings": lambda: update_settings(BOB, db, "IT 2027", method="topsis",
                                            base_version=opened),
        "import": lambda: import_workbook(BOB, db, "IT 2027", xlsx(sheets()), file_name="v",
                                          base_version=opened),
    }  # fmt: skip
    for what, write in writers.items():
        with pytest.raises(ProjectChanged) as e:
            write()
        assert str(e.value) == (
            "the project changed since you opened it (by alice at "
            f"{first.time.strftime('%Y-%m-%d %H:%M:%S')} UTC): reload"
        ), what
    assert counts(db) == before
    view = show_project(BOB, db, "IT 2027")
    assert (view.status, view.goals, view.settings["method"]) == ("scoring", ["cut cost"], "wsm")
    # after reloading, the new version is accepted
    set_status(BOB, db, "IT 2027", "moderation", base_version=view.version)
    assert show_project(BOB, db, "IT 2027").version == view.version + 1


def test_each_change_is_one_new_version(db):
    versions = [show_project(ALICE, db, "IT 2027").version]
    set_goals(ALICE, db, "IT 2027", ["a", "b"])
    versions.append(show_project(ALICE, db, "IT 2027").version)
    import_workbook(ALICE, db, "IT 2027", xlsx(sheets()), file_name="v.xlsx")
    versions.append(show_project(ALICE, db, "IT 2027").version)
    update_settings(ALICE, db, "IT 2027", missing="mean")
    versions.append(show_project(ALICE, db, "IT 2027").version)
    decide(ALICE, db, "IT 2027", "Acme", "x", samples=20)
    versions.append(show_project(ALICE, db, "IT 2027").version)
    assert versions == [2, 3, 4, 5, 6]


def test_history_lists_every_event_oldest_first(db):
    set_status(BOB, db, "IT 2027", "scoring")
    import_workbook(ALICE, db, "IT 2027", xlsx(sheets()), file_name="round 1.xlsx")
    events = history(BOB, db, " it 2027 ")
    assert [(e.seq, e.actor, e.action, e.subject) for e in events] == [
        (1, "alice", "create", "IT 2027"),
        (2, "bob", "status", "IT 2027"),
        (3, "alice", "import", "round 1.xlsx"),
    ]
    assert events[0].time <= events[1].time <= events[2].time
    data = events[1].to_dict()
    assert list(data) == ["seq", "time", "actor", "action", "subject", "details"]
    assert data["details"] == {"from": "draft", "to": "scoring"}
    assert data["time"] == events[1].time.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    assert len(data["time"]) == len("2026-12-01T09:30:00.000000Z")
    assert json.loads(json.dumps([e.to_dict() for e in events]))[2]["details"]["version"] == 1


def _build(db):
    import_workbook(ALICE, db, "IT 2027", xlsx(sheets()), file_name="v.xlsx")
    set_status(ALICE, db, "IT 2027", "scoring")
    set_status(ALICE, db, "IT 2027", "moderation")
    decide(ALICE, db, "IT 2027", "Acme", "cheapest", samples=20)  # event 5


def test_verify_passes_on_an_untouched_project(db):
    _build(db)
    result = verify_project(ALICE, db, "IT 2027")
    assert (result.ok, result.events, result.first_bad) == (True, 5, None)
    assert result.last_hash == scalar(db, "SELECT hash FROM events WHERE seq = 5")
    assert result.last_hash == scalar(db, "SELECT last_hash FROM projects")
    assert result.message.startswith("all 5 events match the chain")


def test_verify_names_an_edited_event(db):
    _build(db)
    if db.backend == "postgresql":  # the trigger refuses the edit outright
        with pytest.raises(DatabaseError, match="append-only"), db.engine.begin() as conn:
            conn.execute(text("UPDATE events SET actor = 'mallory' WHERE seq = 3"))
        assert verify_project(ALICE, db, "IT 2027").ok
    execute(db, "UPDATE events SET actor = 'mallory' WHERE seq = 3")
    result = verify_project(ALICE, db, "IT 2027")
    assert (result.ok, result.first_bad, result.events) == (False, 3, 5)
    assert result.message == "event 3 does not match the chain (edited, forged or reordered)"


def test_verify_catches_the_newest_events_deleted(db):
    _build(db)
    execute(db, "DELETE FROM events WHERE seq >= 4")
    result = verify_project(ALICE, db, "IT 2027")
    assert (result.ok, result.first_bad, result.events) == (False, 4, 3)
    assert result.message == (
        "the log ends at event 3 but the project recorded 5 events (events deleted)"
    )


def test_verify_catches_an_edited_decision_or_workbook(db):
    _build(db)
    execute(db, "UPDATE decisions SET justification = 'bribed'")
    result = verify_project(ALICE, db, "IT 2027")
    assert (result.ok, result.first_bad) == (False, 5)
    assert result.message == (
        "decision 1's justification is 'bribed' but its log says 'cheapest' (event 5)"
    )
    execute(db, "UPDATE decisions SET justification = 'cheapest'")
    assert verify_project(ALICE, db, "IT 2027").ok
    execute(db, "UPDATE workbook_versions SET data = :d", d=xlsx(sheets()) + b"\0")
    result = verify_project(ALICE, db, "IT 2027")
    assert (result.ok, result.first_bad) == (False, 2)
    assert (
        result.message
        == "workbook version 1 does not match its import event 2 (edited or replaced)"
    )


def test_verify_of_a_project_without_events_beyond_create(db):
    result = verify_project(ALICE, db, "IT 2027")
    assert (result.ok, result.events) == (True, 1)
    execute(db, "DELETE FROM events")
    result = verify_project(ALICE, db, "IT 2027")
    assert (result.ok, result.first_bad, result.last_hash) == (False, 1, GENESIS)


def _goal_book():
    book = sheets()
    goals = ["Goal", "track record", " QUALITY ", "Security", "cost"]
    for row, goal in zip(book["Criteria"], goals, strict=True):
        row.append(goal)
    book["Categories"] = [["Category", "Weight"], ["Reputation", 50], ["Capability", 30],
                          ["Cost", 0]]  # fmt: skip
    return book


def test_goal_warnings_by_hand(db):
    # Years → "track record", Rating → "quality", ISO → "Security", Price (category Cost,
    # weight 0, so effective weight 0) → "cost"; the project's goals:
    goals = ["Quality", "Cost", "Speed"]
    set_goals(ALICE, db, "IT 2027", goals)
    import_workbook(ALICE, db, "IT 2027", xlsx(_goal_book()), file_name="goals.xlsx")
    assert show_project(ALICE, db, "IT 2027").goal_warnings == [
        "goal 'Cost' is served by no weighted criterion",
        "goal 'Speed' is served by no weighted criterion",
        "criterion 'Years in business' names goal 'track record', which is not one of the "
        "project's goals",
        "criterion 'ISO' names goal 'Security', which is not one of the project's goals",
    ]


def test_goal_warnings_on_a_built_evaluation(evaluation_factory):
    criteria = [
        Criterion("Price", "Cost", 0.0, goal="cut cost"),
        Criterion("Uptime", "Service", 2.0, goal="Keep SLAs"),
        Criterion("Rating", "Service", 1.0),
    ]
    ev = evaluation_factory({"Price": [1, 2], "Uptime": [3, 4], "Rating": [5, 6]}, criteria)
    assert goal_warnings(ev, ["keep slas"]) == [
        "criterion 'Price' names goal 'cut cost', which is not one of the project's goals"
    ]
    assert goal_warnings(ev, ["Cut cost", "keep SLAs"]) == [
        "goal 'Cut cost' is served by no weighted criterion"
    ]
    assert goal_warnings(ev.with_weights({"Price": 1.0}), ["Cut cost", "keep SLAs"]) == []
    # weights that cannot be scored weigh nothing: every goal is unserved
    zero = ev.with_categories([Category("Cost", 1.0), Category("Service", 1.0)])
    assert goal_warnings(zero, ["keep SLAs"]) == [
        "goal 'keep SLAs' is served by no weighted criterion",
        "criterion 'Price' names goal 'cut cost', which is not one of the project's goals",
    ]
    assert goal_warnings(ev, []) == [
        "criterion 'Price' names goal 'cut cost', which is not one of the project's goals",
        "criterion 'Uptime' names goal 'Keep SLAs', which is not one of the project's goals",
    ]


def test_of_writers_racing_on_one_version_exactly_one_wins(db):
    """Eight threads write at once from the same opened version: the project row lock
    (PostgreSQL) or the write lock (SQLite) lets one through, the rest get the conflict."""
    from concurrent.futures import ThreadPoolExecutor

    from vendor_eval.projects import Actor

    opened = show_project(ALICE, db, "IT 2027").version

    def write(i: int) -> str:
        try:
            set_goals(Actor(f"w{i}"), db, "IT 2027", [f"goal {i}"], base_version=opened)
        except ProjectChanged as e:
            return str(e)
        return "ok"

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(write, range(8)))
    assert results.count("ok") == 1
    winner = history(ALICE, db, "IT 2027")[-1]
    assert all(r.startswith(f"the project changed since you opened it (by {winner.actor} at")
               for r in results if r != "ok")  # fmt: skip
    view = show_project(ALICE, db, "IT 2027")
    assert (view.version, view.events, view.goals) == (opened + 1, 2, [f"goal {winner.actor[1:]}"])
    assert verify_project(ALICE, db, "IT 2027").ok


def test_a_stale_write_found_by_the_database_is_the_same_conflict(db):
    from vendor_eval.projects.rules import writing
    from vendor_eval.store.errors import StaleWrite

    set_status(BOB, db, "IT 2027", "scoring")
    last = history(ALICE, db, "IT 2027")[-1]
    with pytest.raises(ProjectChanged) as e, writing(db, "IT 2027"):
        raise StaleWrite("the project changed since you opened it: reload")
    assert str(e.value) == (
        f"the project changed since you opened it (by bob at "
        f"{last.time.strftime('%Y-%m-%d %H:%M:%S')} UTC): reload"
    )


# -- the replay: every row against what the log says -------------------------------------------
def _full(db):
    """A project with every kind of event, verified after each one (no false alarm):
    1 create, 2 goals, 3 import, 4 settings, 5 scenario, 6 scenario replaced, 7 scenario,
    8 scenario-delete, 9 settings (active scenario), 10–11 status, 12 import, 13 decide,
    14 reopen, 15 decide again."""
    steps = [
        lambda: set_goals(ALICE, db, "IT 2027", ["cut cost", "keep SLAs"]),
        lambda: import_workbook(ALICE, db, "IT 2027", xlsx(sheets()), file_name="v1.xlsx"),
        lambda: update_settings(ALICE, db, "IT 2027", missing="mean"),
        lambda: save_scenario(ALICE, db, "IT 2027", Weights("Cost first", {}, {"Cost": 50})),
        lambda: save_scenario(BOB, db, "IT 2027", Weights("cost first", {"Price": 2}, {})),
        lambda: save_scenario(BOB, db, "IT 2027", Weights("Other", {"Rating": 1}, {})),
        lambda: delete_scenario(BOB, db, "IT 2027", "other"),
        lambda: update_settings(BOB, db, "IT 2027", scenario="Cost first"),
        lambda: set_status(BOB, db, "IT 2027", "scoring"),
        lambda: set_status(BOB, db, "IT 2027", "moderation"),
        lambda: import_workbook(BOB, db, "IT 2027", xlsx(sheets()), file_name="v2.xlsx"),
        lambda: decide(ALICE, db, "IT 2027", "Acme", "cheapest", samples=20),
        lambda: reopen(BOB, db, "IT 2027", "new prices"),
        lambda: decide(CAROL, db, "IT 2027", "acme", "still cheapest", samples=20),
    ]
    for n, step in enumerate(steps, start=2):
        step()
        result = verify_project(ALICE, db, "IT 2027")
        assert (result.ok, result.events) == (True, n), result.message
    return {e.seq: e.time.strftime("%Y-%m-%dT%H:%M:%S.%fZ") for e in history(ALICE, db, "IT 2027")}


def _tamper(db, statement) -> None:
    """A Core UPDATE/DELETE/INSERT behind the service's back (no trigger guards these)."""
    with db.engine.begin() as conn:
        conn.execute(statement)


SETTINGS = '{"consensus":"mean","method":"wsm","missing":"mean","scenario":"cost first"}'
EARLY = datetime(2020, 1, 1, tzinfo=UTC)
TAMPERS = {
    "version file name": (
        "UPDATE workbook_versions SET file_name = 'evil.xlsx' WHERE seq = 1", 3,
        "workbook version 1's file name is 'evil.xlsx' but its log says 'v1.xlsx' (event 3)"),
    "version actor": (
        "UPDATE workbook_versions SET actor = 'mallory' WHERE seq = 2", 12,
        "workbook version 2's importer is 'mallory' but its log says 'bob' (event 12)"),
    "version time": (
        update(WorkbookVersion).where(WorkbookVersion.seq == 1).values(created_at=EARLY), 3,
        "workbook version 1's import time is 2020-01-01T00:00:00.000000Z but its log says "
        "{3} (event 3)"),
    "decision winner": (
        "UPDATE decisions SET winner = 'Bolt' WHERE seq = 2", 15,
        "decision 2's winner is 'Bolt' but its log says 'Acme' (event 15)"),
    "decision status before": (
        "UPDATE decisions SET status_before = 'draft' WHERE seq = 1", 13,
        "decision 1's status before is draft but its log says moderation (event 13)"),
    "decision actor": (
        "UPDATE decisions SET actor = 'mallory' WHERE seq = 1", 13,
        "decision 1's decider is 'mallory' but its log says 'alice' (event 13)"),
    "decision time": (
        update(Decision).where(Decision.seq == 2).values(created_at=EARLY), 15,
        "decision 2's decision time is 2020-01-01T00:00:00.000000Z but its log says {15} "
        "(event 15)"),
    "decision version": (
        "UPDATE decisions SET version_seq = 1 WHERE seq = 2", 15,
        "decision 2's workbook version is 1 but its log says 2 (event 15)"),
    "frozen ranking": (
        "UPDATE decisions SET ranking = '[]' WHERE seq = 1", 13,
        "decision 1's frozen ranking does not match its decide event 13 (edited)"),
    "frozen report": (
        "UPDATE decisions SET report = '{}' WHERE seq = 2", 15,
        "decision 2's frozen stress-test report does not match its decide event 15 (edited)"),
    "reopen reason": (
        "UPDATE decisions SET reopen_reason = 'nothing' WHERE seq = 1", 14,
        "decision 1's reopen reason is 'nothing' but its log says 'new prices' (event 14)"),
    "reopened by": (
        "UPDATE decisions SET reopened_by = 'mallory' WHERE seq = 1", 14,
        "decision 1's reopener is 'mallory' but its log says 'bob' (event 14)"),
    "reopened at": (
        "UPDATE decisions SET reopened_at = NULL WHERE seq = 1", 14,
        "decision 1's reopening time is empty but its log says {14} (event 14)"),
    "reopened without a reopen": (
        "UPDATE decisions SET reopened_by = 'mallory' WHERE seq = 2", 15,
        "decision 2's reopener is 'mallory' but its log says empty (event 15)"),
    "status": (
        "UPDATE projects SET status = 'draft'", 15,
        "the project's status is draft but its log says decided (event 15)"),
    "settings": (
        "UPDATE projects SET settings = '{\"method\": \"topsis\"}'", 9,
        f"the project's settings are {{{{\"method\":\"topsis\"}}}} but its log says "
        f"{SETTINGS.replace('{', '{{').replace('}', '}}')} (event 9)"),
    "goal deleted": (
        "DELETE FROM goals WHERE position = 2", 2,
        "the project's goals are 'cut cost' but its log says 'cut cost', 'keep SLAs' (event 2)"),
    "goal edited": (
        "UPDATE goals SET text = 'raise cost' WHERE position = 1", 2,
        "the project's goals are 'raise cost', 'keep SLAs' but its log says 'cut cost', "
        "'keep SLAs' (event 2)"),
    "scenario weights": (
        "UPDATE scenarios SET category_weights = '{\"Cost\": 99}'", 6,
        "the category weights of scenario 'cost first' are {{\"Cost\":99}} but its log says "
        "{{}} (event 6)"),
    "scenario criterion weights": (
        "UPDATE scenarios SET criterion_weights = '{\"Price\": 3.0}'", 6,
        "the criterion weights of scenario 'cost first' are {{\"Price\":3.0}} but its log "
        "says {{\"Price\":2.0}} (event 6)"),
    "scenario deleted": (
        "DELETE FROM scenarios", 6, "scenario 'cost first' of event 6 is missing (deleted)"),
    "scenario author": (
        "UPDATE scenarios SET actor = 'alice'", 6,
        "the author of scenario 'cost first' is 'alice' but its log says 'bob' (event 6)"),
    "created": (
        update(Project).values(created_at=EARLY), 1,
        "the project's creation time is 2020-01-01T00:00:00.000000Z but its log says {1} "
        "(event 1)"),
    "version deleted": (
        "DELETE FROM workbook_versions WHERE seq = 2", 12,
        "workbook version 2 of event 12 is missing (deleted)"),
    "decision deleted": (
        "DELETE FROM decisions WHERE seq = 2", 15,
        "the decision of event 15 is missing (deleted)"),
}  # fmt: skip


def _checked_tampered(db, statement) -> Result:
    """What verify_project's check finds with ``statement`` applied, in a transaction that
    is rolled back afterwards (so one project serves every tamper)."""
    with db.engine.connect() as conn:
        transaction = conn.begin()
        try:
            conn.execute(text(statement) if isinstance(statement, str) else statement)
            with Session(bind=conn) as s:
                return check(q.integrity_rows(s, s.scalars(select(Project)).one()))
        finally:
            transaction.rollback()


def test_verify_replays_the_log_against_every_row(db):
    times = _full(db)
    for what, (statement, bad, message) in TAMPERS.items():
        result = _checked_tampered(db, statement)
        assert result.problem is not None, what
        expected = message.format(*[times.get(i) for i in range(16)])
        assert (result.problem.seq, result.problem.message, result.events) == (
            bad, expected, 15
        ), what  # fmt: skip
    assert verify_project(ALICE, db, "IT 2027").ok  # every tamper was rolled back
    # verify_project says what the check says
    statement, bad, message = TAMPERS["version file name"]
    _tamper(db, text(statement))
    result = verify_project(ALICE, db, "IT 2027")
    assert (result.ok, result.first_bad, result.message) == (False, bad, message)


def test_a_renamed_project_is_caught(db):
    _full(db)
    execute(db, "UPDATE projects SET name = 'Other', name_key = 'other'")
    result = verify_project(ALICE, db, "other")
    assert (result.ok, result.first_bad) == (False, 1)
    assert result.message == "the project's name is 'Other' but its log says 'IT 2027' (event 1)"


def test_a_project_set_back_to_draft_is_caught_though_writers_then_accept_changes(db):
    _full(db)
    execute(db, "UPDATE projects SET status = 'draft'")
    set_goals(BOB, db, "IT 2027", ["sneaked in"])  # the rules see draft: accepted
    result = verify_project(ALICE, db, "IT 2027")
    assert (result.ok, result.first_bad, result.events) == (False, 15, 16)
    assert result.message == "the project's status is draft but its log says decided (event 15)"


def test_rows_no_event_made_are_named_last(db):
    _full(db)
    with db.engine.begin() as conn:
        pid = conn.execute(text("SELECT id FROM projects")).scalar()
    row = {"project_id": pid, "actor": "mallory", "created_at": EARLY}
    _tamper(db, insert(Scenario).values(name="Other", name_key="other", criterion_weights="{}",
                                        category_weights="{}", **row))  # fmt: skip
    result = verify_project(ALICE, db, "IT 2027")
    assert (result.ok, result.first_bad) == (False, 8)
    assert result.message == "scenario 'Other' is still saved but its log deleted it (event 8)"
    _tamper(db, text("DELETE FROM scenarios WHERE name = 'Other'"))
    _tamper(db, insert(Scenario).values(name="New", name_key="new", criterion_weights="{}",
                                        category_weights="{}", **row))  # fmt: skip
    result = verify_project(ALICE, db, "IT 2027")
    assert (result.ok, result.first_bad) == (False, None)
    assert result.message == "scenario 'New' has no event saving it (added outside vendor-eval)"
    _tamper(db, insert(WorkbookVersion).values(seq=3, file_name="x", sha256="0" * 64, size=1,
                                               data=b"x", **row))  # fmt: skip
    _tamper(db, text("UPDATE goals SET text = 'x' WHERE position = 1"))
    result = verify_project(ALICE, db, "IT 2027")  # the goals' event comes first
    assert (result.first_bad, result.message) == (
        2, "the project's goals are 'x', 'keep SLAs' but its log says 'cut cost', 'keep SLAs' "
        "(event 2)",
    )  # fmt: skip
    _tamper(db, text("UPDATE goals SET text = 'cut cost' WHERE position = 1"))
    _tamper(db, text("DELETE FROM scenarios WHERE name = 'New'"))
    result = verify_project(ALICE, db, "IT 2027")
    assert (result.first_bad, result.message) == (
        None, "workbook version 3 has no import event (added outside vendor-eval)"
    )  # fmt: skip


def test_the_same_goals_again_and_reordered_goals(db):
    set_goals(ALICE, db, "IT 2027", ["b", "a"])
    set_goals(ALICE, db, "IT 2027", ["a", "b"])
    assert verify_project(ALICE, db, "IT 2027").ok
    execute(db, "UPDATE goals SET position = 3 WHERE position = 1")  # "a" now after "b"
    result = verify_project(ALICE, db, "IT 2027")
    assert result.message == "the project's goals are 'b', 'a' but its log says 'a', 'b' (event 3)"


def test_the_active_scenario_saved_under_another_spelling_is_replayed(db):
    _full(db)  # the active scenario is "cost first" (settings event 9)
    reopen(BOB, db, "IT 2027", "one more look")  # event 16
    save_scenario(ALICE, db, "IT 2027", Weights("Cost First", {"Price": 3}, {"Cost": 40}))
    assert history(ALICE, db, "IT 2027")[-1].details["active"] is True  # event 17
    result = verify_project(ALICE, db, "IT 2027")
    assert (result.ok, result.events) == (True, 17), result.message
    execute(db, "UPDATE projects SET settings = :s", s=SETTINGS)  # the old spelling back
    result = verify_project(ALICE, db, "IT 2027")
    assert (result.ok, result.first_bad) == (False, 17)
    assert result.message == (
        f"the project's settings are {SETTINGS} but its log says "
        f"{SETTINGS.replace('cost first', 'Cost First')} (event 17)"
    )
