"""The decision, read-only while decided, and reopening, on both backends."""

from __future__ import annotations

import hashlib
import json

import pytest
from conftest import SAMPLE
from importer_helpers import sheets
from projects_helpers import ALICE, BOB, counts, migrated, scalar, xlsx

from vendor_eval.projects import (
    ProjectError,
    ProjectReadOnly,
    create_project,
    decide,
    delete_scenario,
    history,
    import_workbook,
    rank_project,
    reopen,
    save_scenario,
    set_goals,
    set_status,
    show_project,
    update_settings,
    verify_project,
)
from vendor_eval.store.audit import canonical_text
from vendor_eval.stress.analysis import analyse
from vendor_eval.stress.scenarios import Scenario
from vendor_eval.workbook.importing.load import load_evaluation


@pytest.fixture
def db(db_url):
    with migrated(db_url) as db:
        create_project(ALICE, db, "IT 2027", ["cut cost"])
        yield db


def test_deciding_freezes_the_ranking_and_the_report(db):
    version = import_workbook(ALICE, db, "IT 2027", SAMPLE)
    set_status(ALICE, db, "IT 2027", "moderation")
    at_the_time = rank_project(ALICE, db, "IT 2027").to_records()
    decision = decide(BOB, db, "it 2027", " northwind SYSTEMS ", "  best value;\nsafe  ", seed=3)
    assert (decision.seq, decision.winner, decision.justification, decision.actor) == (
        1, "Northwind Systems", "best value;\nsafe", "bob",
    )  # fmt: skip
    assert (decision.version, decision.sha256, decision.status_before) == (
        1, version.sha256, "moderation",
    )  # fmt: skip
    assert decision.ranking == at_the_time
    report = analyse(load_evaluation(SAMPLE), samples=2000, seed=3).to_dict()
    assert decision.report == json.loads(json.dumps(report))
    ranking_text = scalar(db, "SELECT ranking FROM decisions")
    assert ranking_text == canonical_text(at_the_time)
    assert json.loads(ranking_text) == at_the_time  # floats exact
    event = history(ALICE, db, "IT 2027")[-1]
    assert (event.action, event.subject, event.actor) == ("decide", "Northwind Systems", "bob")
    assert event.details == {
        "winner": "Northwind Systems",
        "justification": "best value;\nsafe",
        "version": 1,
        "sha256": version.sha256,
        "ranking_sha256": hashlib.sha256(ranking_text.encode()).hexdigest(),
        "report_sha256": hashlib.sha256(
            scalar(db, "SELECT report FROM decisions").encode()
        ).hexdigest(),
        "status_before": "moderation",
    }
    view = show_project(ALICE, db, "IT 2027")
    assert view.status == "decided"
    assert view.decision is not None and view.decision.to_dict() == decision.to_dict()
    assert view.decision.ranking == at_the_time and not view.decision.reopened
    # the frozen copy stays when the workbook's ranking would change
    later = sheets()
    assert verify_project(ALICE, db, "IT 2027").ok
    reopen(ALICE, db, "IT 2027", "new answers")
    import_workbook(ALICE, db, "IT 2027", xlsx(later), file_name="later.xlsx")
    assert show_project(ALICE, db, "IT 2027").decision.ranking == at_the_time


def test_the_frozen_ranking_keeps_nan_as_null_and_uses_the_settings(db):
    import_workbook(ALICE, db, "IT 2027", xlsx(sheets()), file_name="v.xlsx")
    save_scenario(ALICE, db, "IT 2027", Scenario("cost", {}, {"Cost": 90}))
    update_settings(ALICE, db, "IT 2027", scenario="cost", method="topsis", missing="mean")
    expected = rank_project(ALICE, db, "IT 2027").to_records()
    decision = decide(ALICE, db, "IT 2027", "Acme", "cheapest that passes", samples=100)
    assert decision.ranking == expected
    assert decision.report["missing"] == "mean" and decision.report["samples"] == 100
    bolt = next(r for r in decision.ranking if r["vendor"] == "Bolt")
    assert bolt["rank"] is None and bolt["qualified"] is False


@pytest.mark.parametrize(
    ("winner", "justification", "message"),
    [
        ("Nobody", "x", "'Nobody' is not a vendor of workbook version 1 (vendors: "),
        ("bolt", "x", "Bolt cannot win: it did not pass the must-have gates (ISO must be yes"),
        ("Acme", "  ", "the justification is blank"),
        ("Acme", "", "the justification is blank"),
        ("", "because", "the winner is blank"),
    ],
)
def test_a_decision_needs_a_passing_winner_and_a_reason(db, winner, justification, message):
    import_workbook(ALICE, db, "IT 2027", xlsx(sheets()), file_name="v.xlsx")
    before = counts(db)
    with pytest.raises(ProjectError) as e:
        decide(ALICE, db, "IT 2027", winner, justification, samples=50)
    assert str(e.value).startswith(message)
    assert counts(db) == before
    assert show_project(ALICE, db, "IT 2027").status == "draft"


def test_a_decision_needs_a_workbook(db):
    with pytest.raises(ProjectError, match="IT 2027 has no workbook yet: import one first"):
        decide(ALICE, db, "IT 2027", "Acme", "x")


def _writers(db):
    """Every change a decided project must refuse."""
    data = xlsx(sheets())
    return {
        "goals": lambda: set_goals(BOB, db, "IT 2027", ["other"]),
        "import": lambda: import_workbook(BOB, db, "IT 2027", data, file_name="v2.xlsx"),
        "import invalid": lambda: import_workbook(BOB, db, "IT 2027", b"junk", file_name="x"),
        "settings": lambda: update_settings(BOB, db, "IT 2027", method="topsis"),
        "scenario": lambda: save_scenario(BOB, db, "IT 2027", Scenario("s", {"Price": 2.0})),
        "scenario-delete": lambda: delete_scenario(BOB, db, "IT 2027", "kept"),
        "status": lambda: set_status(BOB, db, "IT 2027", "draft"),
        "decide": lambda: decide(BOB, db, "IT 2027", "Crane", "changed my mind", samples=50),
    }


def test_a_decided_project_refuses_every_change(db):
    import_workbook(ALICE, db, "IT 2027", xlsx(sheets()), file_name="v.xlsx")
    save_scenario(ALICE, db, "IT 2027", Scenario("kept", {"Price": 3.0}))
    decision = decide(ALICE, db, "IT 2027", "Acme", "cheapest", samples=50)
    before = counts(db)
    version = show_project(ALICE, db, "IT 2027").version
    day = decision.time.strftime("%Y-%m-%d")
    for what, write in _writers(db).items():
        with pytest.raises(ProjectReadOnly) as e:
            write()
        assert str(e.value) == (
            f"IT 2027 is decided (winner Acme, by alice on {day}): reopen it first with a reason"
        ), what
    assert counts(db) == before
    assert show_project(ALICE, db, "IT 2027").version == version


def test_reopen_restores_the_status_and_is_audited(db):
    import_workbook(ALICE, db, "IT 2027", xlsx(sheets()), file_name="v.xlsx")
    set_status(ALICE, db, "IT 2027", "scoring")
    decide(ALICE, db, "IT 2027", "Acme", "cheapest", samples=50)
    before = counts(db)
    for reason in ("", "   "):
        with pytest.raises(ProjectError, match="the reason is blank"):
            reopen(BOB, db, "IT 2027", reason)
    assert counts(db) == before
    event = reopen(BOB, db, "IT 2027", " the board asked again ")
    assert (event.action, event.subject, event.actor, event.details) == (
        "reopen", "Acme", "bob", {"reason": "the board asked again", "winner": "Acme"},
    )  # fmt: skip
    view = show_project(ALICE, db, "IT 2027")
    assert view.status == "scoring"
    d = view.decision
    assert (d.reopened, d.reopened_by, d.reopen_reason, d.reopened_at) == (
        True, "bob", "the board asked again", event.time,
    )  # fmt: skip
    with pytest.raises(ProjectError, match=r"IT 2027 is not decided \(it is in scoring\)"):
        reopen(BOB, db, "IT 2027", "again")
    # writable again, and a second decision is number 2
    set_status(ALICE, db, "IT 2027", "moderation")
    second = decide(ALICE, db, "IT 2027", "Crane", "best service", samples=50)
    assert (second.seq, second.status_before) == (2, "moderation")
    assert [e.action for e in history(ALICE, db, "IT 2027")] == [
        "create", "import", "status", "decide", "reopen", "status", "decide",
    ]  # fmt: skip
    assert verify_project(ALICE, db, "IT 2027").ok


def test_refusals_come_in_order_project_version_state_input(db):
    from vendor_eval.projects import ProjectChanged, ProjectNotFound

    import_workbook(ALICE, db, "IT 2027", xlsx(sheets()), file_name="v.xlsx")
    stale = show_project(ALICE, db, "IT 2027").version
    decide(ALICE, db, "IT 2027", "Acme", "cheapest", samples=20)
    with pytest.raises(ProjectNotFound):
        set_status(ALICE, db, "Nope", "bogus")
    with pytest.raises(ProjectChanged):
        decide(ALICE, db, "IT 2027", "", "", base_version=stale)
    for write in (
        lambda: decide(ALICE, db, "IT 2027", "", ""),
        lambda: set_status(ALICE, db, "IT 2027", "bogus"),
        lambda: set_goals(ALICE, db, "IT 2027", ["x", "X"]),
        lambda: update_settings(ALICE, db, "IT 2027", method="ahp"),
        lambda: save_scenario(ALICE, db, "IT 2027", Scenario("", {"Nope": -1})),
    ):
        with pytest.raises(ProjectReadOnly):
            write()
    reopen(ALICE, db, "IT 2027", "redo")
    with pytest.raises(ProjectError, match="is not decided"):
        reopen(ALICE, db, "IT 2027", "")
