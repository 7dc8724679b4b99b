"""The owner's view of the panel: every pair's scores side by side, disagreement flags,
moderated consensus scores with their rationale, and each evaluator's calibration
(docs/team.md §5–§6). The arithmetic is :mod:`vendor_eval.team.panel`'s; this module
reads the project and asks :mod:`vendor_eval.team.access` first.

Event "moderate" {vendor, criterion, score, rationale, before}: a later one for the same
pair replaces the consensus (both stay in the log).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from vendor_eval.core.model import Evaluation
from vendor_eval.projects.actor import Actor
from vendor_eval.projects.errors import ProjectError, quoted
from vendor_eval.projects.rules import (
    clean_text,
    clean_threshold,
    find,
    opened,
    precheck,
    writing,
)
from vendor_eval.projects.rules import threshold_of as rules_threshold_of
from vendor_eval.projects.versions import Snapshot, no_version, read_snapshot, snapshot
from vendor_eval.store.audit import append_event
from vendor_eval.store.database import Database
from vendor_eval.team import panel
from vendor_eval.team.access import Action
from vendor_eval.team.scale import consensus_problem
from vendor_eval.workbook.schema import name_key


@dataclass(frozen=True)
class PanelSummary:
    """How far the panel has got: evaluators who submitted, pairs scored, flagged and
    moderated (of ``pairs`` = vendors × panel criteria)."""

    evaluators: int
    submitted: int
    pairs: int
    scored: int
    flagged: int
    moderated: int
    threshold: float

    def to_dict(self) -> dict[str, object]:
        return dict(self.__dict__)


def threshold_of(snap: Snapshot) -> float:
    """The project's disagreement threshold (its setting, else 0.4)."""
    return rules_threshold_of(snap.settings)


def _read(actor: Actor, db: Database, name: str, action: Action) -> tuple[Snapshot, Evaluation]:
    snap = read_snapshot(db, actor, name, action=action)
    if snap.workbook is None:
        raise no_version(snap.name)
    return snap, snap.workbook_evaluation()


def _threshold(snap: Snapshot, threshold: float | None) -> float:
    return threshold_of(snap) if threshold is None else clean_threshold(threshold)


def panel_pairs(
    actor: Actor, db: Database, name: str, *, threshold: float | None = None
) -> list[panel.PairView]:
    """Every vendor × panel criterion with a score or a moderated consensus, flagged first
    (the moderation page). Owners always; evaluators and observers once they may see the
    panel's scores (moderation or decided; observers decided)."""
    snap, evaluation = _read(actor, db, name, Action.READ_SCORES)
    return panel.pairs(evaluation, snap.team, _threshold(snap, threshold))


def disagreements(
    actor: Actor, db: Database, name: str, *, threshold: float | None = None
) -> list[panel.PairView]:
    """The pairs with at least two scores (``project disagreements``), flagged first."""
    return [p for p in panel_pairs(actor, db, name, threshold=threshold) if p.spread is not None]


def calibration(actor: Actor, db: Database, name: str) -> list[panel.Calibration]:
    """Each evaluator's mean deviation from the consensus and flagged share (owners only)."""
    snap, evaluation = _read(actor, db, name, Action.READ_CALIBRATION)
    return panel.calibration(evaluation, snap.team, threshold_of(snap))


def panel_summary(actor: Actor, db: Database, name: str) -> PanelSummary:
    """The counts of :class:`PanelSummary` (whoever may see the ranking)."""
    snap, evaluation = _read(actor, db, name, Action.READ_RANKING)
    threshold = threshold_of(snap)
    views = panel.pairs(evaluation, snap.team, threshold)
    evaluators = snap.team.evaluators()
    submitted = sum(1 for m in evaluators if snap.team.sheet(m.email).submitted)
    return PanelSummary(
        evaluators=len(evaluators),
        submitted=submitted,
        pairs=len(evaluation.vendors) * len(evaluation.panel_criteria),
        scored=sum(1 for p in views if p.scores),
        flagged=sum(1 for p in views if p.flagged),
        moderated=panel.moderated_count(evaluation, snap.team),
        threshold=threshold,
    )


def moderate(
    actor: Actor,
    db: Database,
    name: str,
    *,
    vendor: str,
    criterion: str,
    score: float,
    rationale: str,
    base_version: int | None = None,
) -> panel.PairView:
    """Record the consensus score of one vendor on one panel criterion, with the required
    rationale (owner, while the project is in moderation). It replaces the mean in the
    ranking; the evaluators' own scores stay as they are."""
    precheck(db, actor, name, base_version, action=Action.MODERATE)
    why = clean_text(rationale, "the rationale")
    with db.read() as s:
        snap = snapshot(s, find(s, name, actor=actor))
    if snap.workbook is None:
        raise no_version(snap.name)
    evaluation = snap.workbook_evaluation()
    vendors = {name_key(v): v for v in evaluation.vendors}
    criteria = {name_key(c.name): c for c in evaluation.panel_criteria}
    v = vendors.get(name_key(str(vendor)))
    if v is None:
        raise ProjectError(f"{quoted(str(vendor).strip())} is not a vendor of {snap.name}")
    c = criteria.get(name_key(str(criterion)))
    if c is None:
        listed = ", ".join(x.name for x in criteria.values()) or "none"
        raise ProjectError(f"{quoted(str(criterion).strip())} is not a panel criterion of "
                           f"{snap.name} (panel criteria: {listed})")  # fmt: skip
    try:
        value = float(score)
    except (TypeError, ValueError, OverflowError):
        raise ProjectError(f"the consensus score {score!r} is not a number") from None
    problem = consensus_problem(c, value) if not isinstance(score, bool) else "is not a number"
    if problem is not None or math.isnan(value):
        raise ProjectError(f"the consensus score: {problem or 'is not a number'}")
    with writing(db, name) as s:
        project, team = opened(s, actor, name, base_version, action=Action.MODERATE)
        before = team.moderation.get((name_key(v), name_key(c.name)))
        subject = f"{v} / {c.name}"  # a subject is at most 255 characters (a backup checks)
        append_event(
            s, project.id, actor.name, "moderate", subject if len(subject) <= 255 else v,
            {"vendor": v, "criterion": c.name, "score": value, "rationale": why,
             "before": None if before is None else before.score},
        )  # fmt: skip
    views = panel_pairs(actor, db, name)
    return next(
        p
        for p in views
        if (name_key(p.vendor), name_key(p.criterion)) == (name_key(v), name_key(c.name))
    )
