"""Creating, listing and showing projects, their goals and status, on both backends."""

from __future__ import annotations

import pytest
from projects_helpers import ALICE, BOB, counts, migrated

from vendor_eval.core.problems import VendorEvalError
from vendor_eval.projects import (
    Actor,
    DuplicateProject,
    ProjectError,
    ProjectNotFound,
    create_project,
    history,
    list_projects,
    local_actor,
    set_goals,
    set_status,
    show_project,
)
from vendor_eval.store.models import GENESIS


@pytest.fixture
def db(db_url):
    with migrated(db_url) as db:
        yield db


def test_create_trims_the_name_and_goals_and_records_an_event(db):
    view = create_project(
        ALICE, db, "  IT outsourcing 2027 ", [" cut run cost ", "", "  ", "keep SLAs"]
    )
    assert (view.name, view.status, view.goals) == (
        "IT outsourcing 2027",
        "draft",
        ["cut run cost", "keep SLAs"],
    )
    assert (view.version, view.events, view.versions, view.current_version) == (2, 1, [], None)
    assert view.decision is None and view.scenarios == [] and view.goal_warnings == []
    assert view.settings == {
        "method": "wsm",
        "missing": "worst",
        "consensus": "mean",
        "scenario": None,
        "threshold": None,
    }
    [event] = history(ALICE, db, "it outsourcing 2027")
    assert (event.seq, event.actor, event.action, event.subject) == (
        1, "alice", "create", "IT outsourcing 2027",
    )  # fmt: skip
    assert event.details == {"goals": ["cut run cost", "keep SLAs"]}
    assert event.time == view.created_at
    assert event.to_dict()["time"] == view.created_at.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def test_names_are_unique_case_insensitively(db):
    create_project(ALICE, db, "IT 2027")
    before = counts(db)
    for other in ("it 2027", "  IT 2027", "It\u00a02027", "IT\u200b 2027"):
        with pytest.raises(DuplicateProject) as e:
            create_project(BOB, db, other)
        assert str(e.value) == f"a project named '{other.strip()}' already exists"
    assert counts(db) == before
    create_project(ALICE, db, "IT 2028")
    assert [p.name for p in list_projects(ALICE, db)] == ["IT 2027", "IT 2028"]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "the project name is blank"),
        ("   \t ", "the project name is blank"),
        ("\u200b", "the project name is blank"),
        ("x" * 201, "the project name is too long (201 characters; at most 200)"),
        ("IT\n2027", "the project name 'IT\\n2027' contains a line break"),
        ("IT \u202e2027", "the project name 'IT \\u202e2027' contains the text-direction control"),
    ],
)
def test_bad_names_are_refused_and_write_nothing(db, name, message):
    before = counts(db)
    with pytest.raises(ProjectError) as e:
        create_project(ALICE, db, name)
    assert str(e.value).startswith(message)
    assert counts(db) == before


def test_a_name_of_200_characters_is_fine(db):
    assert create_project(ALICE, db, "é" * 200).name == "é" * 200


def test_goals_given_twice_are_refused(db):
    with pytest.raises(ProjectError, match="the goal 'Cost' is given twice"):
        create_project(ALICE, db, "P", ["Cost", " COST "])
    assert counts(db)["projects"] == 0
    with pytest.raises(ProjectError, match=r"a goal is too long \(201"):
        create_project(ALICE, db, "P", ["g" * 201])


def test_unknown_projects_name_the_known_ones(db):
    with pytest.raises(ProjectNotFound) as e:
        show_project(ALICE, db, "Nope")
    assert str(e.value) == "no project named 'Nope' (no projects yet)"
    create_project(ALICE, db, "beta")
    create_project(ALICE, db, "Alpha")
    with pytest.raises(ProjectNotFound) as e:
        set_status(ALICE, db, " nope ", "scoring")
    assert str(e.value) == "no project named 'nope' (projects: Alpha, beta)"


def test_list_summarises_each_project(db):
    assert list_projects(ALICE, db) == []
    create_project(ALICE, db, "b project")
    set_status(BOB, db, "B PROJECT", "scoring")
    create_project(ALICE, db, "A project")
    a, b = list_projects(ALICE, db)
    assert (a.name, a.status, a.versions, a.current_file, a.last_actor, a.version) == (
        "A project", "draft", 0, None, "alice", 2,
    )  # fmt: skip
    assert (b.name, b.status, b.last_actor, b.version) == ("b project", "scoring", "bob", 3)
    assert b.last_change == history(ALICE, db, "b project")[-1].time
    assert b.to_dict()["last_change"].endswith("Z")


def test_status_moves_freely_among_the_open_ones(db):
    create_project(ALICE, db, "P")
    for status in ("moderation", "draft", "scoring", "moderation", "scoring"):
        event = set_status(BOB, db, "p", status)
        assert event.action == "status" and event.details["to"] == status
    events = history(ALICE, db, "P")
    assert [(e.details["from"], e.details["to"]) for e in events[1:]] == [
        ("draft", "moderation"),
        ("moderation", "draft"),
        ("draft", "scoring"),
        ("scoring", "moderation"),
        ("moderation", "scoring"),
    ]
    view = show_project(ALICE, db, "P")
    assert (view.status, view.version, view.events) == ("scoring", 7, 6)


@pytest.mark.parametrize(
    ("status", "message"),
    [
        ("decided", "use decide: a decision needs a winner and a justification"),
        ("Decided", "use decide: a decision needs a winner and a justification"),
        ("won", "unknown status 'won' (draft, scoring, moderation, decided)"),
        ("draft", "P is already in draft"),
        (" DRAFT ", "P is already in draft"),
    ],
)
def test_status_refusals_write_nothing(db, status, message):
    create_project(ALICE, db, "P")
    before = counts(db)
    with pytest.raises(ProjectError) as e:
        set_status(ALICE, db, "P", status)
    assert str(e.value) == message
    assert counts(db) == before
    assert show_project(ALICE, db, "P").version == 2


def test_set_goals_replaces_them_in_order(db):
    create_project(ALICE, db, "P", ["a", "b", "c"])
    event = set_goals(BOB, db, "P", ["c", " new "])
    assert event.details == {"before": ["a", "b", "c"], "after": ["c", "new"]}
    assert show_project(ALICE, db, "P").goals == ["c", "new"]
    set_goals(BOB, db, "P", ["x", "y", "z", "w"])
    assert show_project(ALICE, db, "P").goals == ["x", "y", "z", "w"]
    set_goals(BOB, db, "P", [])
    assert show_project(ALICE, db, "P").goals == []
    before = counts(db)
    with pytest.raises(ProjectError, match="P already has these goals"):
        set_goals(BOB, db, "P", ["", " "])
    assert counts(db) == before


def test_the_show_view_round_trips_to_json(db):
    import json

    create_project(ALICE, db, "P", ["g"])
    data = show_project(ALICE, db, "P").to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["goals"] == ["g"] and data["decision"] is None and data["events"] == 1


def test_a_new_project_has_an_intact_chain_head(db):
    from projects_helpers import scalar

    create_project(ALICE, db, "P")
    assert scalar(db, "SELECT event_count FROM projects") == 1
    assert scalar(db, "SELECT last_hash FROM projects") == scalar(db, "SELECT hash FROM events")
    assert scalar(db, "SELECT prev_hash FROM events") == GENESIS


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "the acting user's name is blank"),
        (" \u200b ", "the acting user's name is blank"),
        ("a" * 201, "the acting user's name is too long (201 characters; at most 200)"),
        (
            "eve\x1b[31m",
            "the acting user's name 'eve\\x1b[31m' contains the control character U+001B",
        ),
        (
            "eve\u202e",
            "the acting user's name 'eve\\u202e' contains the text-direction control U+202E, "
            "which reorders the text shown",
        ),
    ],
)
def test_an_actor_needs_a_plain_name(name, message):
    with pytest.raises(VendorEvalError) as e:
        Actor(name)
    assert str(e.value) == message


def test_actor_names_are_trimmed_and_the_local_user_is_known(monkeypatch):
    assert Actor("  Ana María ").name == "Ana María"
    monkeypatch.setattr("getpass.getuser", lambda: "ops")
    assert local_actor() == Actor("ops")

    def no_user():
        raise OSError("no user")

    monkeypatch.setattr("getpass.getuser", no_user)
    assert local_actor() == Actor("local user")


def test_two_creators_of_one_name_at_once(db):
    """Threads creating the same project at once: one project, the others refused."""
    from concurrent.futures import ThreadPoolExecutor

    def create(i: int) -> str:
        try:
            create_project(Actor(f"u{i}"), db, "Same" if i % 2 else " SAME ")
        except DuplicateProject as e:
            return str(e)
        return "ok"

    with ThreadPoolExecutor(6) as pool:
        results = list(pool.map(create, range(6)))
    assert results.count("ok") == 1
    assert {r for r in results if r != "ok"} <= {
        "a project named 'Same' already exists",
        "a project named 'SAME' already exists",
    }
    assert counts(db)["projects"] == 1 and counts(db)["events"] == 1
