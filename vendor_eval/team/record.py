"""What a project's award report is made of (docs/report.md §3): the project's evaluation
scored and stress-tested as its decision was, the goals, the panel with its conflict
declarations, the moderation log, the decision, every workbook version's SHA-256 and the
audit chain, read in one transaction after :func:`vendor_eval.team.access.require` allows
:attr:`~vendor_eval.team.access.Action.READ_REPORT`.

- **The evaluation** is the current workbook version (the decided one once decided) with
  the panel's consensus, the project's settings and its active weight scenario — what
  ``project rank`` ranks and ``decide`` froze. The stress tests run as ``decide`` runs them
  (2,000 weight samples, seed 0; a decided project's own samples and seed). For a decided
  project the ranking and the stress tests are compared with the documents frozen with the
  decision (their SHA-256 in the decide event): :attr:`AwardRecord.frozen` says whether the
  report shows exactly what was decided.
- **The panel**: every member with their role and, for an evaluator, their conflict
  declarations. A conflict's note is shown to an owner only (docs/team.md §1: the rest of
  the panel never reads it); others read that a conflict was declared, and with whom.
- **The moderation log**: every pair the panel flagged or the owner moderated, with each
  evaluator's score, the consensus and the rationale.
- **The audit chain** is checked (``project verify``'s check) and its last hash recorded;
  a chain that does not check out is reported as such, never hidden.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from vendor_eval.core.model import Evaluation
from vendor_eval.projects.actor import Actor
from vendor_eval.projects.analysis import with_project_settings
from vendor_eval.projects.decision import DECISION_SAMPLES, decision_stress_tests, json_ready
from vendor_eval.projects.rules import authorize, find, team_of
from vendor_eval.projects.versions import Snapshot, no_version, snapshot
from vendor_eval.projects.views import DecisionView, VersionView
from vendor_eval.scoring.ranking import Ranking
from vendor_eval.scoring.scorer import score
from vendor_eval.store import queries as q
from vendor_eval.store.audit import canonical_text
from vendor_eval.store.database import Database
from vendor_eval.store.integrity import check
from vendor_eval.stress.analysis import MAX_SAMPLES
from vendor_eval.stress.report import SensitivityReport
from vendor_eval.team.access import Action, Resource, can, role_of
from vendor_eval.team.moderation import threshold_of
from vendor_eval.team.panel import PairView, pairs
from vendor_eval.team.state import EVALUATOR, OWNER, Team
from vendor_eval.workbook.schema import name_key

__all__ = ["AuditCheck", "AwardRecord", "Conflict", "RecordMember", "award_record", "may_report"]

#: What a reader who is not an owner reads in place of a conflict's note.
NOTE_WITHHELD = "the note is shown to owners only"


@dataclass(frozen=True)
class Conflict:
    """A conflict of interest an evaluator declared: the vendor, and the note (None when
    the reader may not read it)."""

    vendor: str
    note: str | None


@dataclass(frozen=True)
class RecordMember:
    """A member of the project: ``declared`` is how many of the current workbook's
    vendors the evaluator has declared for (a conflict or none), of ``vendors``."""

    email: str
    role: str
    conflicts: tuple[Conflict, ...] = ()
    declared: int = 0
    vendors: int = 0


@dataclass(frozen=True)
class AuditCheck:
    """The audit chain as ``project verify`` finds it."""

    ok: bool
    events: int
    last_hash: str
    message: str


@dataclass(frozen=True)
class AwardRecord:
    """Everything a project's award report shows (module docstring)."""

    name: str
    status: str
    goals: tuple[str, ...]
    members: tuple[RecordMember, ...]
    moderation: tuple[PairView, ...]
    decision: DecisionView | None
    versions: tuple[VersionView, ...]
    version: VersionView
    audit: AuditCheck
    evaluation: Evaluation
    ranking: Ranking
    sensitivity: SensitivityReport
    #: Decided: whether the ranking and stress tests are exactly the ones frozen with the
    #: decision (None when there is no decision).
    frozen: bool | None = None
    #: A decision that was reopened (the project is no longer decided), else None.
    reopened: DecisionView | None = None
    #: The reader's role (an owner reads conflict notes).
    role: str = OWNER


def _members(
    team: Team, creator: str | None, evaluation: Evaluation, owner: bool
) -> list[RecordMember]:
    """The creator (when not a member) and every member in the order they were added; an
    evaluator's conflicts with the current workbook's vendors, by the workbook's spelling."""
    vendors = {name_key(v): v for v in evaluation.vendors}
    out = [RecordMember(creator, OWNER)] if creator is not None else []
    for m in team.members.values():
        if m.role != EVALUATOR:
            out.append(RecordMember(m.email, m.role))
            continue
        declared = {k: d for k, d in team.declared(m.email).items() if k in vendors}
        conflicts = tuple(
            Conflict(vendors[k], d.note if owner else None)
            for k, d in declared.items()
            if d.conflict
        )
        out.append(RecordMember(m.email, m.role, conflicts, len(declared), len(vendors)))
    return out


#: The stress tests' samples a frozen report may name (as ``decide`` accepts them).
_SAMPLES = range(1, MAX_SAMPLES + 1)


def _frozen_settings(report: str) -> tuple[int, int] | None:
    """The samples and seed of the frozen stress-test report, or None when the stored text
    does not say them as ``decide`` wrote them (edited behind the tool's back: the report
    is then made with the defaults and says it does not match)."""
    try:
        frozen = json.loads(report)
    except (ValueError, RecursionError):
        return None
    if not isinstance(frozen, dict):
        return None
    samples, seed = frozen.get("samples"), frozen.get("seed")
    if type(samples) is not int or type(seed) is not int or samples not in _SAMPLES or seed < 0:
        return None
    return samples, seed


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _frozen(ranking: Ranking, sensitivity: SensitivityReport, docs: tuple[str, str]) -> bool:
    """Whether ``ranking`` and ``sensitivity`` are the documents frozen with the decision
    (compared as ``decide`` stored them: canonical JSON)."""
    ranking_text = canonical_text(json_ready(ranking.to_records()))
    report_text = canonical_text(json_ready(sensitivity.to_dict()))
    return _sha(ranking_text) == _sha(docs[0]) and _sha(report_text) == _sha(docs[1])


def award_record(
    actor: Actor, db: Database, name: str, *, samples: int = DECISION_SAMPLES, seed: int = 0
) -> AwardRecord:
    """The project's award record (module docstring): owners always, observers once it is
    decided, evaluators never (the report shows the vendors' answers, which an evaluator
    may not read). ``samples`` and ``seed`` are the stress tests' while the project is not
    decided; a decided project uses its decision's."""
    with db.read() as s:
        project = find(s, name, actor=actor)
        team = authorize(s, actor, project, Action.READ_REPORT)
        resource = Resource(project.name, project.status, team)
        owner = can(actor, Action.READ_CALIBRATION, resource)  # owners read every note
        row = q.current_decision(s, project.id, documents=True)
        newest = None if row is None else DecisionView.of(row)
        decision = newest if newest is not None and not newest.reopened else None
        reopened = newest if newest is not None and newest.reopened else None
        docs = None if decision is None or row is None else (str(row.ranking), str(row.report))
        snap: Snapshot = snapshot(s, project, decision.version if decision else None)
        if snap.workbook is None:
            raise no_version(snap.name)
        versions = tuple(VersionView.of(v) for v in q.versions(s, project.id))
        result = check(q.integrity_rows(s, project))
        audit = AuditCheck(
            ok=result.problem is None,
            events=result.events,
            last_hash=result.last_hash,
            message="" if result.problem is None else result.problem.message,
        )
        created = q.events(s, project.id, ["create"])
        # the creator owns it while neither a member (listed as such) nor removed
        creator = (
            created[0].actor
            if created and team.creator and team.creator not in team.members | team.removed
            else None
        )
        status = project.status
        role = role_of(actor, team) or OWNER
    # scoring and the stress tests run outside the transaction
    evaluation = with_project_settings(snap, snap.weighted())
    ranking = score(evaluation)
    readable = True
    if docs is not None:  # the decision's own stress tests
        own = _frozen_settings(docs[1])
        readable = own is not None
        samples, seed = own or (DECISION_SAMPLES, 0)
    sensitivity = decision_stress_tests(evaluation, ranking, samples=samples, seed=seed)
    frozen = None if docs is None else readable and _frozen(ranking, sensitivity, docs)
    threshold = threshold_of(snap)
    log = tuple(
        p for p in pairs(snap.evaluation(), snap.team, threshold) if p.flagged or p.moderation
    )
    return AwardRecord(
        name=snap.name,
        status=status,
        goals=tuple(snap.goals),
        members=tuple(_members(snap.team, creator, evaluation, owner)),
        moderation=log,
        decision=decision,
        versions=versions,
        version=snap.workbook,
        audit=audit,
        evaluation=evaluation,
        ranking=ranking,
        sensitivity=sensitivity,
        frozen=frozen,
        reopened=reopened,
        role=role,
    )


def may_report(actor: Actor, db: Database, name: str) -> bool:
    """Whether :func:`award_record` would let ``actor`` make the report of ``name`` (the
    dashboard shows the button only then; the service refuses anyway)."""
    with db.read() as s:
        project = find(s, name, actor=actor)
        return can(
            actor, Action.READ_REPORT, Resource(project.name, project.status, team_of(s, project))
        )
