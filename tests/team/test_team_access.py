"""Access control (issue 13, docs/team.md §1): every service function × role × status,
allowed or refused, on both database backends; then the refusals that matter most, each
with its exact sentence.

The table runs every case on the project in that status (built once per backend): a
refused call (and every read) must write nothing; an allowed write runs on a throwaway
copy. An allowed call may still fail for its own input (nothing to reopen, a sheet already
submitted), never with a refusal.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

import pytest
from access_helpers import (
    ACTORS,
    ANA,
    ANA_LOCAL,
    ANA_SCORES,
    BO_SCORES,
    BOOK,
    DECIDED,
    DRAFT,
    LEAD,
    MODERATION,
    NO_CONFLICT,
    OBS,
    OUT,
    SCORING,
    SECRET,
    STATUSES,
    Databases,
    P,
    World,
    Worlds,
    build_draft,
    filled_sheet,
    remembered_reads,
    to_moderation,
    to_scoring,
    written,
)
from conftest import postgres_base_url
from projects.projects_helpers import migrated

from vendor_eval.core.problems import VendorEvalError
from vendor_eval.projects import (
    Actor,
    ProjectError,
    ProjectNotFound,
    ProjectReadOnly,
    create_project,
    current_evaluation,
    decide,
    delete_scenario,
    history,
    import_workbook,
    list_projects,
    rank_project,
    reopen,
    save_scenario,
    sensitivity_project,
    set_goals,
    set_status,
    show_project,
    update_settings,
    verify_project,
)
from vendor_eval.store.database import Database
from vendor_eval.stress.scenarios import Scenario
from vendor_eval.team import members, moderation, record, scoring, sheets, signin
from vendor_eval.team.errors import PermissionDenied, SignInRefused
from vendor_eval.team.state import EVALUATOR, OBSERVER, OWNER

REFUSALS = (PermissionDenied, ProjectNotFound, ProjectReadOnly)
BACKENDS = ("sqlite", "postgresql")


@pytest.fixture(scope="module", autouse=True)
def secret_key() -> Iterator[None]:
    """The server key score sheets need (PostgreSQL has no key file beside it), and each
    distinct file read in the sandbox once for the whole module."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("VENDOR_EVAL_SECRET_KEY", SECRET)
        with remembered_reads():
            yield


@pytest.fixture(scope="module")
def worlds(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Worlds]]:
    """Per backend, the project in every status (built when first asked for)."""
    made: dict[str, Worlds] = {}

    class Lazy(dict[str, Worlds]):
        def __missing__(self, backend: str) -> Worlds:
            folder = Path(tmp_path_factory.mktemp(f"access-{backend}"))
            url = postgres_base_url() if backend == "postgresql" else None
            made[backend] = self[backend] = Worlds(Databases(backend, folder, url))
            return made[backend]

    yield Lazy()
    for w in made.values():
        w.discard()
        w.databases.close()


def other(actor: Actor) -> str:
    """Another evaluator's e-mail than the actor's own: bo for ana, else ana."""
    return "bo@x.org" if actor.name == "ana@x.org" else "ana@x.org"


NEXT = {DRAFT: SCORING, SCORING: MODERATION, MODERATION: DRAFT, DECIDED: DRAFT}
Call = Callable[[Actor, Database, World], object]
CALLS: dict[str, Call] = {
    "show_project": lambda a, db, w: show_project(a, db, P),
    "list_projects": lambda a, db, w: [p.name for p in list_projects(a, db)],
    "set_goals": lambda a, db, w: set_goals(a, db, P, ["Lower cost"]),
    "import_workbook": lambda a, db, w: import_workbook(a, db, P, BOOK, file_name="v2.xlsx"),
    "current_evaluation": lambda a, db, w: current_evaluation(a, db, P),
    "rank_project": lambda a, db, w: rank_project(a, db, P),
    "sensitivity_project": lambda a, db, w: sensitivity_project(a, db, P, samples=20),
    "update_settings": lambda a, db, w: update_settings(a, db, P, threshold=0.3),
    "save_scenario": lambda a, db, w: save_scenario(a, db, P, Scenario("Q", {"Quality": 3.0})),
    "delete_scenario": lambda a, db, w: delete_scenario(a, db, P, "Alt"),
    "set_status": lambda a, db, w: set_status(a, db, P, NEXT[w.status]),
    "decide": lambda a, db, w: decide(a, db, P, "Acme", "best value", samples=20),
    "reopen": lambda a, db, w: reopen(a, db, P, "a new offer came in"),
    "history": lambda a, db, w: history(a, db, P),
    "verify_project": lambda a, db, w: verify_project(a, db, P),
    "add_member": lambda a, db, w: members.add_member(a, db, P, "new@x.org", OBSERVER),
    "issue_code": lambda a, db, w: members.issue_code(a, db, P, "ana@x.org"),
    "remove_member": lambda a, db, w: members.remove_member(a, db, P, "bo@x.org"),
    "assign": lambda a, db, w: members.assign(a, db, P, "ana@x.org", criteria=["Quality"]),
    "list_members": lambda a, db, w: members.list_members(a, db, P),
    "declare(own)": lambda a, db, w: scoring.declare(a, db, P, NO_CONFLICT),
    "declare(other)": lambda a, db, w: scoring.declare(a, db, P, NO_CONFLICT, email=other(a)),
    "my_sheet(own)": lambda a, db, w: scoring.my_sheet(a, db, P),
    "my_sheet(other)": lambda a, db, w: scoring.my_sheet(a, db, P, other(a)),
    "save_scores(draft)": lambda a, db, w: scoring.save_scores(a, db, P, ANA_SCORES[1:]),
    "save_scores(submit)": lambda a, db, w: scoring.save_scores(a, db, P, ANA_SCORES, submit=True),
    "scoresheet(own)": lambda a, db, w: sheets.scoresheet(a, db, P),
    "scoresheet(other)": lambda a, db, w: sheets.scoresheet(a, db, P, other(a)),
    "submit_sheet(ana's)": lambda a, db, w: sheets.submit_sheet(a, db, P, w.files["ana"]),
    "submit_sheet(bo's)": lambda a, db, w: sheets.submit_sheet(a, db, P, w.files["bo"]),
    "reopen_sheet": lambda a, db, w: scoring.reopen_sheet(a, db, P, "bo@x.org", "a typo"),
    "panel_pairs": lambda a, db, w: moderation.panel_pairs(a, db, P),
    "disagreements": lambda a, db, w: moderation.disagreements(a, db, P),
    "moderate": lambda a, db, w: moderation.moderate(
        a, db, P, vendor="Acme", criterion="Quality", score=3, rationale="the panel agreed"
    ),
    "calibration": lambda a, db, w: moderation.calibration(a, db, P),
    "panel_summary": lambda a, db, w: moderation.panel_summary(a, db, P),
    "award_record": lambda a, db, w: record.award_record(a, db, P, samples=20),
}
#: The calls that write when allowed (they run on a copy of the project).
WRITES = {
    "set_goals", "import_workbook", "update_settings", "save_scenario", "delete_scenario",
    "set_status", "decide", "reopen", "add_member", "issue_code", "remove_member", "assign",
    "declare(own)", "declare(other)", "save_scores(draft)", "save_scores(submit)",
    "submit_sheet(ana's)", "submit_sheet(bo's)", "reopen_sheet", "moderate",
}  # fmt: skip

# docs/team.md §1, written out again here (not read from team/access.py)
ALWAYS, NEVER = STATUSES, ()
OPEN = (DRAFT, SCORING, MODERATION)
LATE = (MODERATION, DECIDED)  # an evaluator sees the panel, the ranking and the history
EARLY = (DRAFT, SCORING)  # declarations
CHANGE = (OPEN, NEVER, NEVER)
#: function → the statuses in which (owner, evaluator, observer) may call it
EXPECT: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "show_project": (ALWAYS, ALWAYS, ALWAYS),
    "list_projects": (ALWAYS, ALWAYS, ALWAYS),
    "set_goals": CHANGE,
    "import_workbook": CHANGE,
    "current_evaluation": (ALWAYS, NEVER, (DECIDED,)),
    "rank_project": (ALWAYS, LATE, (DECIDED,)),
    "sensitivity_project": (ALWAYS, LATE, (DECIDED,)),
    "update_settings": CHANGE,
    "save_scenario": CHANGE,
    "delete_scenario": CHANGE,
    "set_status": CHANGE,
    "decide": CHANGE,
    "reopen": ((DECIDED,), NEVER, NEVER),
    "history": (ALWAYS, LATE, (DECIDED,)),
    "verify_project": (ALWAYS, LATE, (DECIDED,)),
    "add_member": CHANGE,
    "issue_code": (ALWAYS, NEVER, NEVER),  # an observer signs in after the decision too
    "remove_member": CHANGE,
    "assign": CHANGE,
    "list_members": (ALWAYS, ALWAYS, ALWAYS),
    "declare(own)": (EARLY, EARLY, NEVER),  # an owner has no sheet: the input refuses it
    "declare(other)": (EARLY, NEVER, NEVER),
    "my_sheet(own)": (ALWAYS, ALWAYS, NEVER),
    "my_sheet(other)": (ALWAYS, NEVER, NEVER),
    "save_scores(draft)": (NEVER, (SCORING,), NEVER),
    "save_scores(submit)": (NEVER, (SCORING,), NEVER),
    "scoresheet(own)": (ALWAYS, ALWAYS, NEVER),
    "scoresheet(other)": (ALWAYS, NEVER, NEVER),
    "submit_sheet(ana's)": ((SCORING,), (SCORING,), NEVER),  # ana's own for ana
    "submit_sheet(bo's)": ((SCORING,), NEVER, NEVER),
    "reopen_sheet": ((SCORING,), NEVER, NEVER),
    "panel_pairs": (ALWAYS, LATE, (DECIDED,)),
    "disagreements": (ALWAYS, LATE, (DECIDED,)),
    "moderate": ((MODERATION,), NEVER, NEVER),
    "calibration": (ALWAYS, NEVER, NEVER),
    "panel_summary": (ALWAYS, LATE, (DECIDED,)),
    "award_record": (ALWAYS, NEVER, (DECIDED,)),  # the report shows the workbook
}
assert set(EXPECT) == set(CALLS) and set(CALLS) >= WRITES


def allowed(role: str | None, fn: str, status: str) -> bool:
    if role is None:  # the project does not exist for them; listing works (without it)
        return fn == "list_projects"
    owner, evaluator, observer = EXPECT[fn]
    return status in {OWNER: owner, EVALUATOR: evaluator, OBSERVER: observer}[role]


def attempt(
    call: Call, actor: Actor, db: Database, world: World
) -> tuple[object, Exception | None]:
    try:
        return call(actor, db, world), None
    except VendorEvalError as e:
        return None, e


def check_refusal(error: Exception | None, result: object, who: str, fn: str, status: str) -> None:
    """A refusal: PermissionDenied; for the outsider "no project named"; an owner may be
    told first that the project is decided (read-only), and reopening an open project
    is refused as "not decided"."""
    role = ACTORS[who][1]
    assert error is not None, f"{who} was allowed to {fn} in {status}: {result!r}"
    if role is None:
        assert isinstance(error, ProjectNotFound), repr(error)
        assert str(error) == f"no project named '{P}' (no projects yet)"
    elif role == OWNER and fn == "reopen":
        assert type(error) is ProjectError and "nothing to reopen" in str(error), repr(error)
    elif role == OWNER and status == DECIDED:
        assert isinstance(error, PermissionDenied | ProjectReadOnly), repr(error)
    else:
        assert isinstance(error, PermissionDenied), repr(error)


def check_allowed(result: object, who: str, fn: str, status: str) -> None:
    role = ACTORS[who][1]
    if fn == "list_projects":
        assert (P in result) == (role is not None)  # type: ignore[operator]
    if fn == "show_project":
        assert result.role == role  # type: ignore[attr-defined]
        assert (result.decision is not None) == (status == DECIDED)  # type: ignore[attr-defined]


@pytest.mark.parametrize("fn", list(CALLS))
@pytest.mark.parametrize("who", list(ACTORS))
@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("backend", BACKENDS)
def test_access_table(
    worlds: dict[str, Worlds], backend: str, status: str, who: str, fn: str
) -> None:
    actor, role = ACTORS[who]
    world = worlds[backend].get(status)
    ok = allowed(role, fn, status)
    if ok and fn in WRITES:
        with worlds[backend].scratch(world) as db:
            result, error = attempt(CALLS[fn], actor, db, world)
        assert not isinstance(error, REFUSALS), f"{who} refused {fn} in {status}: {error}"
        return
    before = written(world.db)
    result, error = attempt(CALLS[fn], actor, world.db, world)
    after = written(world.db)
    if after != before:
        worlds[backend].discard()  # the next case gets the project as it was
    assert after == before, f"{who}'s {fn} in {status} wrote ({error or result!r})"
    if ok:
        assert not isinstance(error, REFUSALS), f"{who} refused {fn} in {status}: {error}"
        if error is None:
            check_allowed(result, who, fn, status)
    else:
        check_refusal(error, result, who, fn, status)


# -- the refusals that matter most, each with its sentence ------------------------------------

ActorCall = Callable[[Actor, Database], object]


def refused(call: Callable[[], object]) -> str:
    """The sentence of the PermissionDenied ``call`` raises."""
    with pytest.raises(PermissionDenied) as e:
        call()
    return str(e.value)


def refusals(actor: Actor, db: Database, calls: dict[str, ActorCall]) -> dict[str, str]:
    """Each call's refusal sentence (PermissionDenied), by name."""
    return {fn: refused(partial(call, actor, db)) for fn, call in calls.items()}


def decided_and_reopened(db: Database) -> None:
    """A decision taken and reopened: the project is back in its status with a past
    decision that show_project could give away."""
    decide(LEAD, db, P, "Acme", "an early pick", samples=20)
    reopen(LEAD, db, P, "the panel has not finished")


#: What shows others' scores, the ranking or the log (none of it an evaluator's own sheet).
PEEKS: dict[str, ActorCall] = {
    "my_sheet(bo)": lambda a, db: scoring.my_sheet(a, db, P, "bo@x.org"),
    "scoresheet(bo)": lambda a, db: sheets.scoresheet(a, db, P, " BO@x.org "),
    "panel_pairs": lambda a, db: moderation.panel_pairs(a, db, P),
    "disagreements": lambda a, db: moderation.disagreements(a, db, P),
    "rank_project": lambda a, db: rank_project(a, db, P),
    "sensitivity_project": lambda a, db: sensitivity_project(a, db, P, samples=20),
    "panel_summary": lambda a, db: moderation.panel_summary(a, db, P),
    "current_evaluation": lambda a, db: current_evaluation(a, db, P),
    "history": lambda a, db: history(a, db, P),
    "verify_project": lambda a, db: verify_project(a, db, P),
    "calibration": lambda a, db: moderation.calibration(a, db, P),
}


def test_an_evaluator_sees_no_other_scores_before_moderation(db_url: str) -> None:
    me = "ana@x.org (evaluator) may"
    late = "in Tender only when it is in moderation or decided (it is in scoring)"
    sheet = f"{me} not read a score sheet of another evaluator in Tender"
    expected = {
        "my_sheet(bo)": sheet,
        "scoresheet(bo)": sheet,
        "panel_pairs": f"{me} see the panel's scores {late}",
        "disagreements": f"{me} see the panel's scores {late}",
        "rank_project": f"{me} see the ranking {late}",
        "sensitivity_project": f"{me} see the ranking {late}",
        "panel_summary": f"{me} see the ranking {late}",
        "current_evaluation": f"{me} not read the workbook in Tender",
        "history": f"{me} read the history {late}",
        "verify_project": f"{me} read the history {late}",
        "calibration": f"{me} not see the evaluators' calibration in Tender",
    }
    with migrated(db_url) as db:
        build_draft(db)
        to_scoring(db)  # bo submitted (Acme 2); ana saved a draft (Acme 4)
        decided_and_reopened(db)
        before = written(db)
        for ana in (ANA, ANA_LOCAL):  # signed in, or the command line under her name
            assert refusals(ana, db, PEEKS) == expected
            view = show_project(ana, db, P)
            assert (view.role, view.decision, view.goal_warnings) == (EVALUATOR, None, [])
            own = scoring.my_sheet(ana, db, P)
            assert [(r.vendor, r.score) for r in own.rows] == [("Acme", 4.0), ("Globex", None)]
            assert [m.sheet for m in members.list_members(ana, db, P)] == [None] * 5
        assert show_project(LEAD, db, P).decision is not None  # there is one to hide
        assert written(db) == before


def test_an_evaluator_may_not_change_weights_or_moderate(db_url: str) -> None:
    change = (
        "ana@x.org (evaluator) may not change the workbook, weights, settings or status in Tender"
    )
    heavy = Scenario("Quality first", {"Quality": 5.0})
    calls: dict[str, ActorCall] = {
        "save_scenario": lambda a, db: save_scenario(a, db, P, heavy),
        "update_settings(scenario)": lambda a, db: update_settings(a, db, P, scenario="Alt"),
        "update_settings(threshold)": lambda a, db: update_settings(a, db, P, threshold=0.9),
        "delete_scenario": lambda a, db: delete_scenario(a, db, P, "Alt"),
        "moderate": lambda a, db: moderation.moderate(
            a, db, P, vendor="Acme", criterion="Quality", score=5, rationale="mine"
        ),
    }
    expected = dict.fromkeys(calls, change)
    expected["moderate"] = "ana@x.org (evaluator) may not moderate in Tender"
    with migrated(db_url) as db:
        build_draft(db)
        to_scoring(db)
        to_moderation(db)
        before = written(db)
        for ana in (ANA, ANA_LOCAL):
            assert refusals(ana, db, calls) == expected
        assert written(db) == before


def test_an_observer_sees_no_scores_or_ranking_before_the_decision(db_url: str) -> None:
    me = "obs@x.org (observer) may"
    late = "in Tender only when it is decided (it is in moderation)"
    sheet = f"{me} not read a score sheet in Tender"
    expected = {
        "my_sheet(bo)": sheet,
        "scoresheet(bo)": sheet,
        "panel_pairs": f"{me} see the panel's scores {late}",
        "disagreements": f"{me} see the panel's scores {late}",
        "rank_project": f"{me} see the ranking {late}",
        "sensitivity_project": f"{me} see the ranking {late}",
        "panel_summary": f"{me} see the ranking {late}",
        "current_evaluation": f"{me} read the workbook {late}",
        "history": f"{me} read the history {late}",
        "verify_project": f"{me} read the history {late}",
        "calibration": f"{me} not see the evaluators' calibration in Tender",
    }
    with migrated(db_url) as db:
        build_draft(db)
        to_scoring(db)
        to_moderation(db)
        decided_and_reopened(db)  # back in moderation, a past decision kept
        before = written(db)
        assert refusals(OBS, db, PEEKS) == expected
        view = show_project(OBS, db, P)
        assert (view.role, view.decision, view.goal_warnings) == (OBSERVER, None, [])
        assert written(db) == before
        decide(LEAD, db, P, "Acme", "the panel agreed", samples=20)
        assert rank_project(OBS, db, P).vendors == ["Acme", "Globex"]
        assert {p.vendor for p in moderation.disagreements(OBS, db, P)} == {"Acme"}
        assert show_project(OBS, db, P).decision is not None
        assert refused(lambda: scoring.my_sheet(OBS, db, P, "ana@x.org")) == sheet


def test_an_evaluator_may_not_hand_in_another_evaluators_sheet(db_url: str) -> None:
    """The token says whose sheet it is: ana handing in bo's is refused; the owner who
    collected it hands it in for bo."""
    with migrated(db_url) as db:
        build_draft(db)
        set_status(LEAD, db, P, SCORING)
        bos = filled_sheet(db, "bo@x.org", BO_SCORES)
        before = written(db)
        hand_in = partial(sheets.submit_sheet, db=db, name=P, data=bos, file_name="bo.xlsx")
        sentences = {refused(partial(hand_in, ana)) for ana in (ANA, ANA_LOCAL)}
        assert written(db) == before
        assert not scoring.my_sheet(LEAD, db, P, "bo@x.org").submitted
        view = hand_in(LEAD)
        assert (view.evaluator, view.submitted) == ("bo@x.org", True)
        last = history(LEAD, db, P)[-1]
        assert (last.actor, last.action, last.details["email"], last.details["via"]) == (
            "lead", "score-submit", "bo@x.org", "sheet",
        )  # fmt: skip
        # the refusal names what was asked (handing in a sheet), not reading one
        assert sentences == {
            "ana@x.org (evaluator) may not submit a score sheet of another evaluator in Tender"
        }


@pytest.mark.parametrize("who", ["observer", "evaluator in draft"])
def test_handing_in_a_sheet_is_refused_for_the_role_before_the_file_is_read(
    db_url: str, who: str
) -> None:
    """The refusal order (docs/team.md §1): the role and the status come before the call's
    input, here the file (which an observer or a draft-stage evaluator must not get read)."""
    actor, sentence = {
        "observer": (OBS, "obs@x.org (observer) may not submit a score sheet in Tender"),
        "evaluator in draft": (
            ANA,
            "ana@x.org (evaluator) may submit a score sheet in Tender only when it is in "
            "scoring (it is in draft)",
        ),
    }[who]
    with migrated(db_url) as db:
        build_draft(db)
        before = written(db)
        for data in (b"PK\x03\x04 not a workbook", BOOK):  # not a zip; a workbook, no token
            assert refused(partial(sheets.submit_sheet, actor, db, P, data)) == sentence
        assert written(db) == before


def test_an_owner_saving_scores_is_refused_for_the_role(db_url: str) -> None:
    """An owner never scores in an evaluator's place (docs/team.md §1: "save scores in the
    browser: never"): refused for the role, before whose sheet it would be is looked up."""
    with migrated(db_url) as db:
        build_draft(db)
        set_status(LEAD, db, P, SCORING)
        before = written(db)
        sentence = refused(lambda: scoring.save_scores(LEAD, db, P, ANA_SCORES, submit=True))
        assert sentence == "lead (owner) may not save scores in Tender"
        assert written(db) == before


def test_a_removed_members_code_does_not_sign_in(db_url: str) -> None:
    with migrated(db_url) as db:
        create_project(LEAD, db, P)
        code = members.add_member(LEAD, db, P, "ana@x.org", EVALUATOR).code
        used = members.add_member(LEAD, db, P, "obs@x.org", OBSERVER).code
        session = signin.sign_in(db, used, client="obs-browser").actor  # signed in before
        members.remove_member(LEAD, db, P, "ana@x.org")
        members.remove_member(LEAD, db, P, "obs@x.org")
        with pytest.raises(SignInRefused) as e:
            signin.sign_in(db, code, client="ana-browser")
        assert str(e.value) == signin.INVALID
        # the session of a member since removed: the project no longer exists for them
        assert list_projects(session, db) == []
        with pytest.raises(ProjectNotFound) as nf:
            show_project(session, db, P)
        assert str(nf.value) == "no project named 'Tender' (no projects yet)"
        # added again: a new code signs in, the old one still does not
        again = members.add_member(LEAD, db, P, "ana@x.org", EVALUATOR).code
        with pytest.raises(SignInRefused):
            signin.sign_in(db, code, client="ana-browser-2")
        assert signin.sign_in(db, again, client="ana-browser-3").role == EVALUATOR


#: What an outsider might try on a project by its name.
OPENS: dict[str, Callable[[Actor, Database, str], object]] = {
    "show_project": lambda a, db, n: show_project(a, db, n),
    "rank_project": lambda a, db, n: rank_project(a, db, n),
    "history": lambda a, db, n: history(a, db, n),
    "list_members": lambda a, db, n: members.list_members(a, db, n),
    "add_member": lambda a, db, n: members.add_member(a, db, n, "mole@x.org", OWNER),
    "my_sheet": lambda a, db, n: scoring.my_sheet(a, db, n, "ana@x.org"),
    "submit_sheet": lambda a, db, n: sheets.submit_sheet(a, db, n, b"not a sheet"),
    "set_status": lambda a, db, n: set_status(a, db, n, SCORING),
}


def not_found(call: Callable[[], object]) -> str:
    with pytest.raises(ProjectNotFound) as e:
        call()
    return str(e.value)


def test_an_outsider_neither_lists_nor_opens_the_project(db_url: str) -> None:
    with migrated(db_url) as db:
        build_draft(db)
        create_project(LEAD, db, "Fleet")
        members.add_member(LEAD, db, "Fleet", "out@x.org", OBSERVER)  # a member of Fleet only
        assert [p.name for p in list_projects(OUT, db)] == ["Fleet"]
        assert [p.name for p in list_projects(LEAD, db)] == ["Fleet", P]
        before = written(db)
        stranger = Actor("zed@x.org", signed_in=True)
        for actor, known in ((OUT, "projects: Fleet"), (stranger, "no projects yet")):
            for name in (P, " tender "):
                said = {fn: not_found(partial(call, actor, db, name)) for fn, call in OPENS.items()}
                assert said == dict.fromkeys(OPENS, f"no project named '{name.strip()}' ({known})")
        assert list_projects(stranger, db) == []
        assert written(db) == before
