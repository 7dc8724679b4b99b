"""An evaluator's own work (docs/team.md §4; team/scoring.py, team/sheets.py): conflict
declarations, scores in the browser (the scale, the required comments, submit locks, the
owner reopens), and offline score sheets (downloaded, filled in with openpyxl, handed in by
the evaluator or the owner; refused when from another project, stale, edited or forged).
SQLite, and one whole flow on PostgreSQL."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import math

import openpyxl
import pytest
from team_helpers import (
    ANA,
    BO,
    LEAD,
    QUALITY,
    RISK,
    WHY,
    book,
    declare_all,
    draft,
    edited,
    events,
    filled,
    migrated,
    new_project,
    sheet_bytes,
    sheet_pairs,
    signed,
    submit,
)

from vendor_eval.projects import (
    ProjectError,
    decide,
    import_workbook,
    rank_project,
    set_status,
    verify_project,
)
from vendor_eval.team import members, moderation, scoring, sheets, signin, tokens
from vendor_eval.team.errors import PermissionDenied, SheetRefused
from vendor_eval.team.scoring import SheetRow
from vendor_eval.team.tokens import ENV_KEY, MISMATCH, UNREADABLE

VEND = ("Acme", "Globex", "Initech")
CRIT = ("Quality", "Risk")
#: The rows of a sheet without conflicts, in sheet order (vendor by vendor).
PAIRS = [(v, c) for v in VEND for c in CRIT]
#: A full, valid sheet: whole points on Quality (1–5), any number on Risk (0–0.5).
FULL = {("Acme", "Quality"): 4, ("Acme", "Risk"): 0.25, ("Globex", "Quality"): 3,
        ("Globex", "Risk"): 0.1, ("Initech", "Quality"): 2, ("Initech", "Risk"): 0.4}  # fmt: skip
NOT_SAVED = "the scores were not saved:\n"

REOPEN_FIRST = "the owner must reopen it before it changes"


@pytest.fixture
def db(tmp_path):
    with migrated(f"sqlite:///{tmp_path / 'team.sqlite3'}") as db:
        yield db


def project(db, name: str = "P", **kw):
    return new_project(db, name, data=book(vendors=VEND, panel=(QUALITY, RISK)), **kw)


def refusal(kind: type[Exception], call, *args, **kw) -> str:
    with pytest.raises(kind) as e:
        call(*args, **kw)
    return str(e.value)


def unchanged(db, name: str = "P"):
    """A context-free snapshot of the log: what a refused call must leave as it was."""
    return [(e.seq, e.action) for e in events(db, name)]


# -- declarations ---------------------------------------------------------------------------
def test_before_declaring_the_sheet_shows_vendor_names_only(db):
    project(db)
    sheet = scoring.my_sheet(signed(ANA), db, "P")
    assert (sheet.vendors, sheet.undeclared, sheet.rows) == (list(VEND), list(VEND), [])
    assert [c.name for c in sheet.criteria] == list(CRIT) and not sheet.submitted
    wait = "declare conflicts of interest first, for: Acme, Globex, Initech"
    assert refusal(ProjectError, draft, db, "P", ANA, {("Acme", "Quality"): 3}) == wait
    assert refusal(SheetRefused, sheets.scoresheet, signed(ANA), db, "P") == (
        f"{ANA} must declare conflicts of interest first, for: Acme, Globex, Initech"
    )
    sheet = scoring.declare(signed(ANA), db, "P", [("acme ", False, "")])
    assert (sheet.undeclared, sheet.rows) == (["Globex", "Initech"], [])
    sheet = scoring.declare(signed(ANA), db, "P", [("Globex", False, ""), ("Initech", False, "")])
    assert sheet.undeclared == [] and sheet.pairs == PAIRS
    assert all(r.score is None and r.comment == "" for r in sheet.rows)


@pytest.mark.parametrize("note", ["", "   ", None])
def test_a_conflict_needs_a_note(db, note):
    project(db)
    before = unchanged(db)
    said = refusal(ProjectError, scoring.declare, signed(ANA), db, "P", [("Acme", True, note)])
    assert said == "say what the conflict of interest with Acme is"
    assert unchanged(db) == before


@pytest.mark.parametrize(
    ("declarations", "message"),
    [
        ([("Zeta", False, "")], "'Zeta' is not a vendor of P"),
        ([("Acme", False, ""), ("ACME", True, "x")], "Acme is declared twice"),
        ([], "nothing to declare: give a declaration for at least one vendor"),
    ],
)
def test_a_declaration_names_each_vendor_of_the_workbook_once(db, declarations, message):
    project(db)
    before = unchanged(db)
    assert refusal(ProjectError, scoring.declare, signed(ANA), db, "P", declarations) == message
    assert unchanged(db) == before


def test_a_conflict_removes_the_vendor_from_the_sheet(db):
    project(db)
    sheet = declare_all(db, "P", ANA, conflicts={"Globex"}, vendors=VEND)
    assert sheet.conflicts == ["Globex"]
    assert sheet.pairs == [p for p in PAIRS if p[0] != "Globex"]
    assert sheet.declarations["globex"].note == "my brother works there"
    said = refusal(ProjectError, draft, db, "P", ANA, {("Globex", "Quality"): 3})
    assert said == NOT_SAVED + "- Globex / Quality: not on your score sheet"
    # the offline sheet has no Globex row either
    assert sheet_pairs(sheet_bytes(db, "P", ANA)) == sheet.pairs


def test_declarations_are_in_the_history_and_a_later_one_replaces_an_earlier(db):
    project(db)
    declare_all(db, "P", ANA, conflicts={"Globex"}, vendors=VEND)
    sheet = scoring.declare(signed(ANA), db, "P", [("Globex", False, "")])
    assert sheet.conflicts == [] and sheet.pairs == PAIRS
    # an owner records the declaration an evaluator handed in on paper
    scoring.declare(LEAD, db, "P", [(v, False, "") for v in VEND], email=BO)
    declared = events(db, "P", "declare")
    assert [(e.actor, e.subject) for e in declared] == [(ANA, ANA), (ANA, ANA), ("lead", BO)]
    assert declared[0].details == {"email": ANA, "declarations": [
        {"vendor": "Acme", "conflict": False, "note": ""},
        {"vendor": "Globex", "conflict": True, "note": "my brother works there"},
        {"vendor": "Initech", "conflict": False, "note": ""},
    ]}  # fmt: skip
    assert declared[1].details["declarations"] == [
        {"vendor": "Globex", "conflict": False, "note": ""}
    ]


def test_declaring_is_refused_once_the_sheet_is_submitted_until_it_is_reopened(db):
    project(db)
    declare_all(db, "P", ANA, vendors=VEND)
    submit(db, "P", ANA, FULL)
    before = unchanged(db)
    said = refusal(ProjectError, scoring.declare, signed(ANA), db, "P", [("Acme", True, "x")])
    assert said == f"the score sheet of {ANA} is already submitted: " + REOPEN_FIRST
    assert unchanged(db) == before
    scoring.reopen_sheet(LEAD, db, "P", ANA, "declare the new conflict")
    sheet = scoring.declare(signed(ANA), db, "P", [("Acme", True, "bought shares")])
    assert sheet.pairs == [p for p in PAIRS if p[0] != "Acme"]


def test_an_evaluator_declares_in_draft_but_not_after_scoring(db):
    project(db, status="draft")
    assert declare_all(db, "P", ANA, vendors=VEND).pairs == PAIRS
    set_status(LEAD, db, "P", "moderation")
    said = refusal(PermissionDenied, scoring.declare, signed(BO), db, "P", [("Acme", False, "")])
    assert said == (
        f"{BO} (evaluator) may declare conflicts of interest in P only when it is in draft or "
        "scoring (it is in moderation)"
    )


# -- scores in the browser ----------------------------------------------------------------
@pytest.mark.parametrize(
    ("pair", "score", "problem"),
    [
        (("Acme", "Quality"), 0, "0 is outside the scale 1–5 of 'Quality'"),
        (("Acme", "Quality"), 6, "6 is outside the scale 1–5 of 'Quality'"),
        (("Acme", "Quality"), 3.5, "3.5 is not one of the points 1, 2, 3, 4, 5 of 'Quality'"),
        (("Acme", "Quality"), 5.0000001, "5.0000001 is outside the scale 1–5 of 'Quality'"),
        (("Acme", "Quality"), math.nan, "NaN is not a number on the scale 1–5 of 'Quality'"),
        (("Acme", "Risk"), 0.6, "0.6 is outside the scale 0–0.5 of 'Risk'"),
        (("Acme", "Risk"), -0.1, "-0.1 is outside the scale 0–0.5 of 'Risk'"),
    ],
)
@pytest.mark.parametrize("submitting", [False, True])
def test_a_score_off_the_scale_is_refused(db, pair, score, problem, submitting):
    project(db)
    declare_all(db, "P", ANA, vendors=VEND)
    before = unchanged(db)
    scores = {**FULL, pair: score} if submitting else {pair: score}
    rows = [SheetRow(v, c, s, WHY) for (v, c), s in scores.items()]
    said = refusal(ProjectError, scoring.save_scores, signed(ANA), db, "P", rows, submit=submitting)
    assert said == f"{NOT_SAVED}- {pair[0]} / {pair[1]}: {problem}"
    assert unchanged(db) == before


def test_any_number_on_a_scale_without_whole_points(db):
    project(db)
    declare_all(db, "P", ANA, vendors=VEND)
    sheet = draft(db, "P", ANA, {("Acme", "Risk"): 0.125, ("Globex", "Risk"): 0.5})
    assert {r.vendor: r.score for r in sheet.rows if r.criterion == "Risk"} == {
        "Acme": 0.125, "Globex": 0.5, "Initech": None,
    }  # fmt: skip


def test_a_comment_is_required_at_the_lowest_and_highest_score_on_submit_only(db):
    project(db)
    declare_all(db, "P", ANA, vendors=VEND)
    extremes = {**FULL, ("Acme", "Quality"): 1, ("Globex", "Quality"): 5,
                ("Acme", "Risk"): 0, ("Initech", "Risk"): 0.5}  # fmt: skip
    bare = [SheetRow(v, c, s, " " if v == "Acme" else "") for (v, c), s in extremes.items()]
    sheet = scoring.save_scores(signed(ANA), db, "P", bare)  # a draft: no comment needed
    assert not sheet.submitted and [r.score for r in sheet.rows] == list(extremes.values())
    before = unchanged(db)
    said = refusal(ProjectError, scoring.save_scores, signed(ANA), db, "P", bare, submit=True)
    assert said == NOT_SAVED + "\n".join([
        "- Acme / Quality: a comment is required for the lowest and highest score (1)",
        "- Acme / Risk: a comment is required for the lowest and highest score (0)",
        "- Globex / Quality: a comment is required for the lowest and highest score (5)",
        "- Initech / Risk: a comment is required for the lowest and highest score (0.5)",
    ])  # fmt: skip
    assert unchanged(db) == before
    noted = [SheetRow(v, c, s, "exceptional" if s in (1, 5, 0, 0.5) else "")
             for (v, c), s in extremes.items()]  # fmt: skip
    assert scoring.save_scores(signed(ANA), db, "P", noted, submit=True).submitted


def test_a_submission_scores_every_pair(db):
    project(db)
    declare_all(db, "P", ANA, vendors=VEND)
    partial = {**FULL, ("Globex", "Risk"): None}
    del partial[("Initech", "Quality")]
    said = refusal(ProjectError, submit, db, "P", ANA, partial)
    assert said == NOT_SAVED + "- Globex / Risk: no score\n- Initech / Quality: no score"
    assert not draft(db, "P", ANA, partial).submitted  # a draft may leave pairs blank


def test_submit_locks_the_sheet_and_the_owner_reopens_it_with_a_reason(db):
    project(db)
    declare_all(db, "P", ANA, vendors=VEND)
    assert submit(db, "P", ANA, FULL).submitted
    locked = f"the score sheet of {ANA} is already submitted: " + REOPEN_FIRST
    before = unchanged(db)
    assert refusal(ProjectError, draft, db, "P", ANA, FULL) == locked
    assert refusal(ProjectError, submit, db, "P", ANA, FULL) == locked
    assert unchanged(db) == before
    # only an owner reopens, with a reason, a sheet that is submitted
    said = refusal(PermissionDenied, scoring.reopen_sheet, signed(ANA), db, "P", ANA, "oops")
    assert said == f"{ANA} (evaluator) may not reopen a score sheet in P"
    assert refusal(ProjectError, scoring.reopen_sheet, LEAD, db, "P", ANA, "  ") == (
        "the reason is blank"
    )
    declare_all(db, "P", BO, vendors=VEND)
    before = unchanged(db)
    assert refusal(ProjectError, scoring.reopen_sheet, LEAD, db, "P", BO, "why") == (
        f"the score sheet of {BO} is not submitted: nothing to reopen"
    )
    assert unchanged(db) == before
    said = scoring.reopen_sheet(LEAD, db, "P", "ANA@X.ORG", "Acme's quality: recheck the demo")
    assert said == f"the score sheet of {ANA} is open again"
    assert events(db, "P")[-1].details == {
        "email": ANA,
        "reason": "Acme's quality: recheck the demo",
    }
    sheet = scoring.my_sheet(signed(ANA), db, "P")
    kept = {r.vendor: r.score for r in sheet.rows if r.criterion == "Quality"}
    assert not sheet.submitted and kept == {"Acme": 4, "Globex": 3, "Initech": 2}
    again = submit(db, "P", ANA, {**FULL, ("Acme", "Quality"): 3})
    assert again.submitted and again.rows[0].score == 3
    mine = [e.action for e in events(db, "P") if e.subject == ANA]
    assert mine[-3:] == ["score-submit", "sheet-reopen", "score-submit"]


def test_scores_are_saved_only_while_scoring(db):
    project(db, status="draft")
    declare_all(db, "P", ANA, vendors=VEND)
    for status in ("draft", "moderation"):
        if status != "draft":
            set_status(LEAD, db, "P", status)
        before = unchanged(db)
        for call in (draft, submit):
            said = refusal(PermissionDenied, call, db, "P", ANA, FULL)
            assert said == (
                f"{ANA} (evaluator) may save scores in P only when it is in scoring (it is in "
                f"{status})"
            )
        assert unchanged(db) == before
    decide(LEAD, db, "P", "Acme", "cheapest that qualifies", samples=50)
    before = unchanged(db)
    said = refusal(ProjectError, draft, db, "P", ANA, FULL)
    assert "decided" in said
    assert unchanged(db) == before


def test_the_owner_does_not_score_in_the_browser(db):
    project(db)
    members.add_member(LEAD, db, "P", "own@x.org", "owner")
    declare_all(db, "P", ANA, vendors=VEND)
    before = unchanged(db)
    rows = [SheetRow(v, c, s, WHY) for (v, c), s in FULL.items()]
    for owner in (LEAD, signed("own@x.org")):
        said = refusal(ProjectError, scoring.save_scores, owner, db, "P", rows, submit=True)
        assert said == f"{owner.name} (owner) may not save scores in P"
    assert unchanged(db) == before
    assert scoring.my_sheet(LEAD, db, "P", ANA).rows[0].score is None


# -- offline score sheets -------------------------------------------------------------------
def hand_in(db, actor, data: bytes, name: str = "P", file_name: str = "ana.xlsx"):
    return sheets.submit_sheet(actor, db, name, data, file_name=file_name)


def ready(db, who: str = ANA, actor=None) -> bytes:
    """``who``'s declared sheet, downloaded (by ``actor``, default the evaluator) and
    filled in with :data:`FULL`."""
    declare_all(db, "P", who, vendors=VEND)
    return filled(sheet_bytes(db, "P", who, signed(who) if actor is None else actor), FULL)


def test_an_evaluator_hands_in_their_own_sheet(db):
    project(db)
    declare_all(db, "P", ANA, vendors=VEND)
    draft(db, "P", ANA, {("Acme", "Quality"): 4})
    data = sheet_bytes(db, "P", ANA, signed(ANA))
    assert sheet_pairs(data) == PAIRS
    assert openpyxl.load_workbook(io.BytesIO(data))["Scores"]["C2"].value == 4
    data = filled(data, FULL)
    sheet = hand_in(db, signed(ANA), data)
    assert sheet.submitted and [r.score for r in sheet.rows] == list(FULL.values())
    event = events(db, "P")[-1]
    assert (event.action, event.actor, event.subject) == ("score-submit", ANA, ANA)
    assert event.details == {
        "email": ANA, "via": "sheet", "file_name": "ana.xlsx",
        "sheet_sha256": hashlib.sha256(data).hexdigest(),
        "scores": [{"vendor": v, "criterion": c, "score": float(s), "comment": WHY,
                    "scale": [1.0, 5.0] if c == "Quality" else [0.0, 0.5]}
                   for (v, c), s in FULL.items()],
    }  # fmt: skip
    # handed in twice: refused, nothing written
    before = unchanged(db)
    assert refusal(SheetRefused, hand_in, db, signed(ANA), data) == (
        f"ana.xlsx: the score sheet of {ANA} is already submitted: the owner must reopen it "
        "before it changes"
    )
    assert unchanged(db) == before


def test_the_owner_hands_in_a_sheet_they_collected(db):
    project(db)
    data = ready(db, BO, actor=LEAD)
    sheet = hand_in(db, LEAD, data, file_name="bo.xlsx")
    assert sheet.evaluator == BO and sheet.submitted
    event = events(db, "P")[-1]
    assert (event.actor, event.subject, event.details["email"]) == ("lead", BO, BO)
    assert event.details["via"] == "sheet" and event.details["file_name"] == "bo.xlsx"


def test_an_evaluator_cannot_hand_in_another_evaluators_sheet(db):
    project(db)
    data = ready(db, BO, actor=LEAD)
    before = unchanged(db)
    said = refusal(PermissionDenied, hand_in, db, signed(ANA), data)
    assert said.startswith(f"{ANA} (evaluator) may not ") and "of another evaluator" in said
    assert unchanged(db) == before and not scoring.my_sheet(LEAD, db, "P", BO).submitted


def test_a_sheet_of_another_project_is_refused(db):
    project(db, "A")
    project(db, "B")
    for name in ("A", "B"):
        declare_all(db, name, ANA, vendors=VEND)
    data = filled(sheet_bytes(db, "A", ANA), FULL)
    before = unchanged(db, "B")
    said = refusal(SheetRefused, hand_in, db, LEAD, data, "B")
    assert said in (f"ana.xlsx: {MISMATCH}", "ana.xlsx is a score sheet of project 'A', not of B")
    assert unchanged(db, "B") == before and not scoring.my_sheet(LEAD, db, "B", ANA).submitted
    assert hand_in(db, LEAD, data, "A").submitted


def test_a_sheet_of_a_same_named_project_in_another_database_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_KEY, "s" * 40)  # one server key for both databases
    with migrated(f"sqlite:///{tmp_path / 'one.sqlite3'}") as one:
        project(one)
        declare_all(one, "P", ANA, vendors=VEND)
        data = filled(sheet_bytes(one, "P", ANA), FULL)
    with migrated(f"sqlite:///{tmp_path / 'two.sqlite3'}") as two:
        project(two)
        declare_all(two, "P", ANA, vendors=VEND)
        assert (
            scoring.my_sheet(LEAD, two, "P", ANA).revision
            == json.loads(base64.urlsafe_b64decode(token_of(data).split(".")[0] + "=="))["r"]
        )  # the same revision: only the key tells them apart
        assert refusal(SheetRefused, hand_in, two, LEAD, data) == f"ana.xlsx: {MISMATCH}"


def token_of(data: bytes) -> str:
    return str(openpyxl.load_workbook(io.BytesIO(data))["Token"]["A1"].value)


STALE = (
    f"ana.xlsx is out of date: {ANA}'s score sheet changed since it was made (a new workbook "
    "version, assignment or declaration, or scores saved in the browser): download a new sheet"
)


@pytest.mark.parametrize("change", ["browser draft", "new version", "declaration", "assignment",
                                    "reopened"])  # fmt: skip
def test_a_stale_sheet_is_refused(db, change):
    project(db)
    data = ready(db)
    if change == "browser draft":
        draft(db, "P", ANA, {("Acme", "Quality"): 2})
    elif change == "new version":
        import_workbook(LEAD, db, "P", book(vendors=VEND, panel=(QUALITY, RISK),
                                            prices=(1, 2, 3)), file_name="v2.xlsx")  # fmt: skip
    elif change == "declaration":
        scoring.declare(signed(ANA), db, "P", [("Acme", False, "")])
    elif change == "assignment":
        members.assign(LEAD, db, "P", ANA, criteria=["Quality", "Risk"])
    else:
        hand_in(db, signed(ANA), data)
        scoring.reopen_sheet(LEAD, db, "P", ANA, "once more")
    before = unchanged(db)
    assert refusal(SheetRefused, hand_in, db, signed(ANA), data) == STALE
    assert unchanged(db) == before
    # a sheet downloaded now is taken
    fresh = filled(sheet_bytes(db, "P", ANA, signed(ANA)), FULL)
    assert hand_in(db, signed(ANA), fresh).submitted


def _set(ref: str, value: object):
    def change(wb) -> None:
        wb["Scores"][ref] = value

    return change


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (_set("A2", "Acme Corp"), "Scores!A2: the Vendor cell was changed (the sheet "
                                  "said 'Acme', it now says 'Acme Corp')"),
        (_set("B3", "Risks"), "Scores!B3: the Criterion cell was changed (the sheet "
                              "said 'Risk', it now says 'Risks')"),
        (_set("B3", "Quality"), "Scores!A3: a second row for 'Acme' / 'Quality' (the "
                                "first is row 2)\n- Scores: the row for 'Acme' / "
                                "'Risk' is missing"),
        (_set("A4", None), "Scores!A4: the Vendor cell was changed (the sheet said "
                           "'Globex', it now says nothing)"),
        (lambda wb: wb["Scores"].append(["Zeta", "Quality", 3, ""]),
         "Scores!A8: a row that is not on the sheet that was issued"),
        (lambda wb: wb["Scores"].append(["Acme", "Quality", 2, "again"]),
         "Scores!A8: a second row for 'Acme' / 'Quality' (the first is row 2)"),
        (lambda wb: wb["Scores"].delete_rows(3),
         "Scores: the row for 'Acme' / 'Risk' is missing"),
        (_set("C6", 6), "Scores!C6 (Initech, Quality): 6 is outside the scale 1–5 of "
                        "'Quality'"),
        (_set("C5", None), "Scores!C5 (Globex, Risk): no score"),
        (_set("D2", None), None),  # Acme / Quality 4: no comment needed
    ],
)  # fmt: skip
def test_an_edited_sheet_is_refused_naming_the_cell(db, change, problem):
    project(db)
    data = edited(ready(db), change)
    if problem is None:
        assert hand_in(db, signed(ANA), data).submitted
        return
    before = unchanged(db)
    assert refusal(SheetRefused, hand_in, db, signed(ANA), data) == (
        f"ana.xlsx was not taken:\n- {problem}"
    )
    assert unchanged(db) == before and not scoring.my_sheet(LEAD, db, "P", ANA).submitted


def _token(edit):
    def change(wb) -> None:
        wb["Token"]["A1"] = edit(wb["Token"]["A1"].value)

    return change


#: A payload signed under a key that is not the project's.
FORGED = {"v": 1, "p": "P", "e": ANA, "r": 1, "pairs": "x"}


def _other_revision(token: str) -> str:
    encoded, signature = token.split(".")
    payload = json.loads(base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)))
    payload["r"] += 1
    return tokens.sign(b"guessed key" * 3, payload).split(".")[0] + "." + signature


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (_token(lambda t: t[:-1] + ("0" if t[-1] != "0" else "1")), f"ana.xlsx: {MISMATCH}"),
        (_token(_other_revision), f"ana.xlsx: {MISMATCH}"),
        (_token(lambda t: tokens.sign(b"k" * 32, FORGED)), f"ana.xlsx: {MISMATCH}"),
        (_token(lambda t: "not a token"), f"ana.xlsx: {UNREADABLE}"),
        (
            _token(lambda t: None),
            "ana.xlsx has no signature (Token sheet): download the sheet from vendor-eval again",
        ),
        (
            lambda wb: wb.remove(wb["Token"]),
            "ana.xlsx has no signature (Token sheet): download the sheet from vendor-eval again",
        ),
    ],
)
def test_a_forged_or_missing_token_is_refused(db, change, message):
    project(db)
    data = edited(ready(db), change)
    before = unchanged(db)
    assert refusal(SheetRefused, hand_in, db, signed(ANA), data) == message
    assert unchanged(db) == before


@pytest.mark.parametrize("first", [None, "a" * 40])
def test_a_sheet_signed_under_another_server_key_is_refused(db, monkeypatch, first):
    project(db)
    if first is not None:
        monkeypatch.setenv(ENV_KEY, first)
    else:  # the key file beside the SQLite database
        monkeypatch.delenv(ENV_KEY, raising=False)
    data = ready(db)
    monkeypatch.setenv(ENV_KEY, "b" * 40)
    before = unchanged(db)
    assert refusal(SheetRefused, hand_in, db, signed(ANA), data) == f"ana.xlsx: {MISMATCH}"
    assert unchanged(db) == before
    if first is not None:
        monkeypatch.setenv(ENV_KEY, first)
    else:
        monkeypatch.delenv(ENV_KEY)
    assert hand_in(db, signed(ANA), data).submitted


# -- the whole flow on PostgreSQL -----------------------------------------------------------
def test_a_panel_scores_and_is_moderated_on_postgresql(postgres_url, monkeypatch):
    monkeypatch.setenv(ENV_KEY, "x" * 40)
    with migrated(postgres_url) as db:
        codes = project(db)
        ana_actor = signin.sign_in(db, codes[ANA].code, client="s1").actor
        declare_all(db, "P", ANA, conflicts={"Initech"}, vendors=VEND)
        scores = {p: s for p, s in FULL.items() if p[0] != "Initech"}
        scoring.save_scores(ana_actor, db, "P", [SheetRow(v, c, s, WHY) for (v, c), s in
                                                 scores.items()], submit=True)  # fmt: skip
        data = ready(db, BO, actor=LEAD)
        data = filled(data, {("Acme", "Quality"): 2, ("Globex", "Quality"): 4})
        assert hand_in(db, LEAD, data, file_name="bo.xlsx").submitted
        set_status(LEAD, db, "P", "moderation")
        found = {
            (p.vendor, p.criterion): p.to_dict() for p in moderation.disagreements(LEAD, db, "P")
        }
        assert found[("Acme", "Quality")] == {
            "vendor": "Acme", "criterion": "Quality", "scores": {ANA: 4.0, BO: 2.0},
            "spread": 2.0, "flagged": True, "consensus": 3.0, "moderated": False,
        }  # fmt: skip
        assert ("Initech", "Quality") not in found  # one score only: Ana declared a conflict
        pair = moderation.moderate(LEAD, db, "P", vendor="acme", criterion="quality", score=3.5,
                                   rationale="the demo settled it")  # fmt: skip
        assert pair.consensus == 3.5 and pair.moderation is not None
        ranking = rank_project(ana_actor, db, "P")
        assert {r["vendor"] for r in ranking.to_records()} == set(VEND)
        assert verify_project(LEAD, db, "P").ok
