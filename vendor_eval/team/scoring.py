"""An evaluator's own work: conflict-of-interest declarations, their score sheet, saving
it as a draft, submitting it (which locks it), and the owner reopening it
(docs/team.md §4).

An evaluator first declares, for every vendor of the current workbook, a conflict or none;
until then their sheet shows vendor names only. Their sheet then holds every pair of a
vendor they have no conflict with × a panel criterion assigned to them. A score is on the
criterion's scale (:mod:`vendor_eval.team.scale`), with a comment required at the scale's
lowest and highest values; a submission must score every pair. Events: "declare",
"score-draft", "score-submit", "sheet-reopen".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from vendor_eval.core.model import Criterion, Evaluation
from vendor_eval.projects.actor import Actor
from vendor_eval.projects.errors import ProjectError, quoted
from vendor_eval.projects.rules import clean_text, find, opened, precheck, writing
from vendor_eval.projects.versions import Snapshot, no_version, snapshot
from vendor_eval.store.audit import append_event
from vendor_eval.store.database import Database
from vendor_eval.team.access import Action, Resource, require
from vendor_eval.team.panel import assigned_criteria
from vendor_eval.team.scale import comment_required, score_problem
from vendor_eval.team.state import EVALUATOR, Declaration, Team
from vendor_eval.workbook.schema import name_key
from vendor_eval.workbook.text_rules import text_problem

#: The longest comment kept.
MAX_COMMENT = 2000


@dataclass(frozen=True)
class SheetRow:
    vendor: str
    criterion: str
    score: float | None
    comment: str


@dataclass(frozen=True)
class SheetView:
    """One evaluator's sheet as they (or an owner) see it.

    ``undeclared``: vendors still waiting for a declaration (while any is, ``rows`` is
    empty: no vendor data before the declarations). ``criteria``: the panel criteria
    assigned, in workbook order. ``revision``: what an offline sheet must carry."""

    project: str
    status: str
    evaluator: str
    submitted: bool
    revision: int
    vendors: list[str]
    declarations: dict[str, Declaration]
    undeclared: list[str]
    criteria: list[Criterion]
    rows: list[SheetRow] = field(default_factory=list)

    @property
    def pairs(self) -> list[tuple[str, str]]:
        return [(r.vendor, r.criterion) for r in self.rows]

    @property
    def conflicts(self) -> list[str]:
        return [d.vendor for d in self.declarations.values() if d.conflict]


def build_sheet(snap: Snapshot, evaluation: Evaluation, email: str) -> SheetView:
    """The evaluator's sheet from a snapshot and its workbook evaluation."""
    team = snap.team
    member = team.member(email)
    shown = member.email if member is not None else email.strip()
    declared = team.declared(shown)
    sheet = team.sheet(shown)
    undeclared = [v for v in evaluation.vendors if name_key(v) not in declared]
    criteria = assigned_criteria(evaluation, team, shown)
    rows: list[SheetRow] = []
    if not undeclared:
        conflicts = team.conflicts(shown)
        for vendor in evaluation.vendors:
            if name_key(vendor) in conflicts:
                continue
            for c in criteria:
                saved = sheet.scores.get((name_key(vendor), name_key(c.name)))
                rows.append(SheetRow(vendor, c.name, None if saved is None else saved.score,
                                     "" if saved is None else saved.comment))  # fmt: skip
    return SheetView(
        snap.name, snap.status, shown, sheet.submitted, sheet.revision, list(evaluation.vendors),
        declared, undeclared, criteria, rows,
    )  # fmt: skip


def submitted_sentence(email: str) -> str:
    """The one refusal of a change to a submitted (locked) sheet."""
    return (
        f"the score sheet of {email} is already submitted: the owner must reopen it before "
        "it changes"
    )


def _evaluator(actor: Actor, team: Team, email: str | None, project: str) -> str:
    """Whose sheet: ``email``, or the actor's own; must be a current evaluator."""
    who = actor.name if email is None else str(email)
    member = team.member(who)
    if member is None or member.role != EVALUATOR:
        raise ProjectError(f"{who.strip()} is not an evaluator of {project}")
    return member.email


def read_sheet(
    actor: Actor, db: Database, name: str, email: str | None = None
) -> tuple[SheetView, Snapshot, Evaluation]:
    """The sheet, the snapshot it came from and the workbook's evaluation."""
    with db.read() as s:
        project = find(s, name, actor=actor)
        snap = snapshot(s, project)
    wanted = actor.name if email is None else str(email)
    require(actor, Action.READ_SHEET, Resource(snap.name, snap.status, snap.team, wanted))
    who = _evaluator(actor, snap.team, email, snap.name)
    if snap.workbook is None:
        raise no_version(snap.name)
    evaluation = snap.workbook_evaluation()
    return build_sheet(snap, evaluation, who), snap, evaluation


def my_sheet(actor: Actor, db: Database, name: str, email: str | None = None) -> SheetView:
    """An evaluator's sheet (default the actor's own; an owner may read anyone's)."""
    return read_sheet(actor, db, name, email)[0]


def declare(
    actor: Actor,
    db: Database,
    name: str,
    declarations: Sequence[tuple[str, bool, str]],
    *,
    email: str | None = None,
    base_version: int | None = None,
) -> SheetView:
    """Declare, per vendor, a conflict of interest (True) or none (False), with an optional
    note (required for a conflict): the actor's own, or (an owner) the declaration an
    evaluator handed in, ``email``. Allowed while that sheet is not submitted; a later
    declaration of a vendor replaces the earlier one (all stay in the log)."""
    whose = actor.name if email is None else str(email)
    precheck(db, actor, name, base_version, action=Action.DECLARE, sheet_of=whose)
    sheet, snap, evaluation = read_sheet(actor, db, name, email)
    if sheet.submitted:
        raise ProjectError(submitted_sentence(sheet.evaluator))
    vendors = {name_key(v): v for v in evaluation.vendors}
    items: list[dict[str, object]] = []
    seen: set[str] = set()
    for vendor, conflict, note in declarations:
        key = name_key(str(vendor))
        if key not in vendors:
            raise ProjectError(f"{quoted(str(vendor).strip())} is not a vendor of {snap.name}")
        if key in seen:
            raise ProjectError(f"{vendors[key]} is declared twice")
        seen.add(key)
        if not isinstance(conflict, bool):
            raise ProjectError(f"the declaration for {vendors[key]} must say conflict or none")
        text = "" if note is None or not str(note).strip() else clean_text(note, "the note")
        if conflict and not text:
            raise ProjectError(f"say what the conflict of interest with {vendors[key]} is")
        items.append({"vendor": vendors[key], "conflict": conflict, "note": text})
    if not items:
        raise ProjectError("nothing to declare: give a declaration for at least one vendor")
    with writing(db, name) as s:
        project, team = opened(
            s, actor, name, base_version, action=Action.DECLARE, sheet_of=sheet.evaluator
        )
        current = team.sheet(sheet.evaluator)
        if current.submitted:  # submitted meanwhile: a declaration must not change it
            raise ProjectError(submitted_sentence(sheet.evaluator))
        if current.revision != sheet.revision:
            raise ProjectError(
                f"the score sheet of {sheet.evaluator} changed since it was read: reload it"
            )
        append_event(s, project.id, actor.name, "declare", sheet.evaluator,
                     {"email": sheet.evaluator, "declarations": items})  # fmt: skip
    return my_sheet(actor, db, name, sheet.evaluator)


def _comment(text: object) -> str:
    if text is None or not str(text).strip():
        return ""
    problem = text_problem(str(text))
    if problem is not None:
        raise ProjectError(f"the comment {problem}")
    value = str(text).strip()
    if len(value) > MAX_COMMENT:
        raise ProjectError(
            f"a comment is at most {MAX_COMMENT} characters (this one has {len(value)})"
        )
    return value


def check_scores(
    sheet: SheetView, scores: Sequence[SheetRow], *, submit: bool
) -> tuple[list[dict[str, object]], list[str]]:
    """The scores as stored, and every problem: a pair not on the sheet, a score off the
    scale, and for a submission a pair without a score or a missing required comment."""
    crit = {name_key(c.name): c for c in sheet.criteria}
    allowed = {(name_key(v), name_key(c)) for v, c in sheet.pairs}
    given: dict[tuple[str, str], SheetRow] = {}
    problems: list[str] = []
    for row in scores:
        pair = (name_key(row.vendor), name_key(row.criterion))
        label = f"{row.vendor} / {row.criterion}"
        if pair not in allowed:
            problems.append(f"{label}: not on your score sheet")
            continue
        if pair in given:
            problems.append(f"{label}: scored twice")
            continue
        given[pair] = row
        c = crit[pair[1]]
        if row.score is not None:
            problem = score_problem(c, row.score)
            if problem is not None:
                problems.append(f"{label}: {problem}")
            elif submit and comment_required(c, row.score) and not row.comment.strip():
                problems.append(f"{label}: a comment is required for the lowest and highest "
                                f"score ({_point(row.score)})")  # fmt: skip
    stored: list[dict[str, object]] = []
    for r in sheet.rows:
        found = given.get((name_key(r.vendor), name_key(r.criterion)))
        if found is None or found.score is None:
            if submit:
                problems.append(f"{r.vendor} / {r.criterion}: no score")
            continue
        c = crit[name_key(r.criterion)]
        stored.append({"vendor": r.vendor, "criterion": r.criterion,
                       "score": float(found.score), "comment": found.comment,
                       "scale": [c.min, c.max]})  # fmt: skip
    return stored, problems


def _point(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def save_scores(
    actor: Actor,
    db: Database,
    name: str,
    scores: Sequence[SheetRow],
    *,
    submit: bool = False,
    base_version: int | None = None,
) -> SheetView:
    """Save the actor's whole sheet as a draft (``scores`` replace the earlier draft; a
    pair without a score is left blank) or submit it (every pair scored, comments where
    required; the sheet locks). Only while the project is in scoring."""
    precheck(db, actor, name, base_version, action=Action.SCORE, sheet_of=actor.name)
    sheet, _, _ = read_sheet(actor, db, name)
    rows = [SheetRow(r.vendor, r.criterion, r.score, _comment(r.comment)) for r in scores]
    return _store(actor, db, name, sheet, rows, submit=submit, via="browser",
                  action=Action.SCORE, base_version=base_version)  # fmt: skip


def _store(
    actor: Actor,
    db: Database,
    name: str,
    sheet: SheetView,
    rows: Sequence[SheetRow],
    *,
    submit: bool,
    via: str,
    action: Action,
    base_version: int | None,
    extra: dict[str, object] | None = None,
    revision: int | None = None,
) -> SheetView:
    if sheet.undeclared:
        raise ProjectError(
            "declare conflicts of interest first, for: " + ", ".join(sheet.undeclared)
        )
    if sheet.submitted:
        raise ProjectError(submitted_sentence(sheet.evaluator))
    stored, problems = check_scores(sheet, rows, submit=submit)
    if problems:
        raise ProjectError("the scores were not saved:", problems)
    with writing(db, name) as s:
        project, team = opened(
            s, actor, name, base_version, action=action, sheet_of=sheet.evaluator
        )
        current = team.sheet(sheet.evaluator)
        expected = sheet.revision if revision is None else revision
        if current.submitted:  # handed in meanwhile (two at once: the first one counts)
            raise ProjectError(submitted_sentence(sheet.evaluator))
        if current.revision != expected:
            raise ProjectError(
                f"the score sheet of {sheet.evaluator} changed since it was read: reload it"
            )
        details: dict[str, object] = {"email": sheet.evaluator, "scores": stored, "via": via}
        details.update(extra or {})
        append_event(s, project.id, actor.name, "score-submit" if submit else "score-draft",
                     sheet.evaluator, details)  # fmt: skip
    return my_sheet(actor, db, name, sheet.evaluator)


def reopen_sheet(
    actor: Actor,
    db: Database,
    name: str,
    email: str,
    reason: str,
    *,
    base_version: int | None = None,
) -> str:
    """Unlock a submitted sheet so its evaluator can change it (owner, while scoring; the
    reason is recorded). The scores stay; they stop counting until submitted again."""
    precheck(db, actor, name, base_version, action=Action.REOPEN_SHEET)
    why = clean_text(reason, "the reason")
    with writing(db, name) as s:
        project, team = opened(s, actor, name, base_version, action=Action.REOPEN_SHEET)
        who = _evaluator(actor, team, email, project.name)
        if not team.sheet(who).submitted:
            raise ProjectError(f"the score sheet of {who} is not submitted: nothing to reopen")
        append_event(s, project.id, actor.name, "sheet-reopen", who, {"email": who, "reason": why})
        return f"the score sheet of {who} is open again"
