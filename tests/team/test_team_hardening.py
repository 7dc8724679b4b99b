"""What a security pass and a review found, each pinned: a code signs in for its own project
only, a removed creator is no owner, scores stop counting when what they covered changed, an
evaluator does not read the panel before submitting, and the ranking follows conflicts even
before any sheet is submitted."""

from __future__ import annotations

import pytest
from team_helpers import (
    ANA,
    BO,
    LEAD,
    QUALITY,
    SUPPORT,
    book,
    declare_all,
    events,
    migrated,
    new_project,
    signed,
    submit,
)

from vendor_eval.projects import Actor, rank_project, set_status
from vendor_eval.projects.errors import MAX_LISTED, ProjectError, ProjectNotFound
from vendor_eval.projects.versions import import_workbook
from vendor_eval.team import members, moderation, scoring
from vendor_eval.team.errors import PermissionDenied
from vendor_eval.team.signin import sign_in

MALLORY = "mallory@x.org"


@pytest.fixture
def db(tmp_path):
    with migrated(f"sqlite:///{tmp_path / 'p.sqlite3'}") as database:
        yield database


def test_a_code_signs_in_for_its_own_project_only(db):
    """The owner of project A adds someone else's address to A and signs in with the code:
    in project Q, where that address is an owner, the code gives no role at all."""
    new_project(db, "Q", status=None)
    members.add_member(LEAD, db, "Q", "boss@x.org", "owner")
    new_project(db, "A", evaluators=(), status=None)
    members.add_member(LEAD, db, "A", MALLORY, "owner")
    mallory = sign_in(db, members.issue_code(LEAD, db, "A", MALLORY).code, client="m").actor
    forged = members.add_member(mallory, db, "A", "boss@x.org", "observer").code
    boss = sign_in(db, forged, client="m").actor
    assert boss.name == "boss@x.org" and boss.scope == "a"
    with pytest.raises(ProjectNotFound) as e:
        moderation.panel_pairs(boss, db, "Q")
    assert str(e.value) == "no project named 'Q' (projects: A)"
    with pytest.raises(ProjectNotFound):
        members.add_member(boss, db, "Q", MALLORY, "owner")
    with pytest.raises(PermissionDenied, match="may not create projects"):
        from vendor_eval.projects import create_project

        create_project(mallory, db, "Mine")
    # the same address through a trusted proxy or OIDC (no scope) is Q's owner
    assert moderation.panel_pairs(Actor("boss@x.org", signed_in=True), db, "Q") == []


def test_a_code_sign_in_is_recorded_without_the_code(db):
    codes = new_project(db)
    code = codes[ANA].code
    sign_in(db, code, client="c")
    (event,) = events(db, "P", "sign-in")
    assert (event.actor, event.subject) == (ANA, ANA)
    assert event.details == {"email": ANA, "role": "evaluator", "via": "code"}
    assert code not in str(event.details)


def test_a_removed_creator_is_no_owner(db):
    from vendor_eval.projects import create_project

    create_project(Actor("c@x.org"), db, "P")
    members.add_member(LEAD, db, "P", "own@x.org", "owner")
    creator = Actor("c@x.org", signed_in=True)
    assert members.list_members(creator, db, "P")  # the creator owns it
    other = Actor("own@x.org", signed_in=True)
    members.add_member(other, db, "P", "c@x.org", "observer")  # the creator, demoted
    members.remove_member(other, db, "P", "c@x.org")
    with pytest.raises(ProjectNotFound):
        members.add_member(creator, db, "P", "x@x.org", "owner")


def test_a_score_no_longer_assigned_stops_counting(db):
    new_project(db, data=book(panel=(QUALITY, SUPPORT)))
    declare_all(db, "P", ANA)
    scores = {
        (v, c): 3 for v in ("Acme", "Globex", "Initech", "Umbrella") for c in ("Quality", "Support")
    }
    submit(db, "P", ANA, scores)
    members.assign(LEAD, db, "P", ANA, criteria=["Quality"])
    set_status(LEAD, db, "P", "moderation")
    pairs = moderation.panel_pairs(LEAD, db, "P")
    assert {p.criterion for p in pairs} == {"Quality"}


def test_a_rescaled_criterion_drops_the_scores_given_on_the_old_scale(db):
    new_project(db, data=book(panel=(QUALITY,)))
    declare_all(db, "P", ANA)
    submit(db, "P", ANA, {(v, "Quality"): 3 for v in ("Acme", "Globex", "Initech", "Umbrella")})
    rescaled = ("Quality", "Capability", 2, "higher", 0, 100)
    import_workbook(LEAD, db, "P", book(panel=(rescaled,)), file_name="p2.xlsx")
    set_status(LEAD, db, "P", "moderation")
    assert moderation.panel_pairs(LEAD, db, "P") == []  # 3 of 5 is not 3 of 100


def test_a_member_added_again_starts_with_a_fresh_sheet(db):
    new_project(db, data=book(panel=(QUALITY,)))
    declare_all(db, "P", ANA)
    submit(db, "P", ANA, {(v, "Quality"): 3 for v in ("Acme", "Globex", "Initech", "Umbrella")})
    members.remove_member(LEAD, db, "P", ANA)
    members.add_member(LEAD, db, "P", ANA, "evaluator")
    sheet = scoring.my_sheet(signed(ANA), db, "P")
    assert not sheet.submitted and sheet.undeclared  # declare again, score again


def test_an_evaluator_reads_the_panel_in_moderation_only_after_submitting(db):
    new_project(db, data=book(panel=(QUALITY,)))
    for who in (ANA, BO):
        declare_all(db, "P", who)
    submit(db, "P", ANA, {(v, "Quality"): 3 for v in ("Acme", "Globex", "Initech", "Umbrella")})
    set_status(LEAD, db, "P", "moderation")
    assert moderation.panel_pairs(signed(ANA), db, "P")  # submitted: may read
    for read in (moderation.panel_pairs, rank_project):
        with pytest.raises(PermissionDenied, match="once their own score sheet is submitted"):
            read(signed(BO), db, "P")


def test_the_ranking_follows_a_conflict_before_any_sheet_is_submitted(db):
    """Workbook Scores rows of ana and bo; ana then declares a conflict with Acme: the
    ranking (not only the panel view) drops her row at once."""
    rows = [[ANA, "Acme", "Quality", 5, "x"], [BO, "Acme", "Quality", 1, "y"]]
    new_project(db, data=book(panel=(QUALITY,), scores=rows))
    declare_all(db, "P", ANA, conflicts=["Acme"])
    ranking = rank_project(LEAD, db, "P")
    acme = next(r for r in ranking.to_records() if r["vendor"] == "Acme")
    # Quality weighs 2 of 3: bo's 1 of 1–5 alone is 0 points of it
    assert acme["contributions"]["Quality"] == pytest.approx(0.0)
    assert [p.consensus for p in moderation.panel_pairs(LEAD, db, "P")] == [1.0]


@pytest.mark.parametrize("email", ["ＡＮＡ@x.org", "an\u200ba@x.org", "straße@x.org", "ana@ｘ.org"])
def test_an_e_mail_with_look_alike_or_invisible_characters_is_refused(db, email):
    new_project(db, evaluators=(), status=None)
    with pytest.raises(ProjectError, match="is not an e-mail address"):
        members.add_member(LEAD, db, "P", email, "evaluator")


def test_a_refusal_lists_at_most_fifty_problems():
    error = ProjectError("the sheet was not taken:", [f"row {i}" for i in range(200_000)])
    assert len(error.problems) == MAX_LISTED + 1
    assert error.problems[-1] == f"… and {200_000 - MAX_LISTED} more problems"


def test_an_observer_gets_a_new_code_after_the_decision(db):
    codes = new_project(db, evaluators=(), observers=("olga@x.org",), status=None)
    del codes
    from vendor_eval.projects import decide

    decide(LEAD, db, "P", "Initech", "cheapest, nothing scored yet", samples=50)
    code = members.issue_code(LEAD, db, "P", "olga@x.org").code
    olga = sign_in(db, code, client="o").actor
    assert rank_project(olga, db, "P").qualified
