"""The decision: who won, why, and a frozen copy of the ranking and stress-test report it
was based on; and reopening a decided project with a reason.

A decision is taken on the current workbook version, scored with the settings
``project rank`` uses (:func:`~vendor_eval.projects.analysis.with_project_settings`: the
project's chosen method and missing policy, else the workbook's Settings sheet) and its
active weight scenario. The winner must be one of that version's vendors, have
passed every must-have gate and be ranked. The ranking (``Ranking.to_records()``: floats
exact, NaN as null) and the report (``SensitivityReport.to_dict()``) are stored as
canonical JSON and their SHA-256 goes into the "decide" event, so the audit chain vouches
for them. While decided the project is read-only; :func:`reopen` restores the status it
had before and records the reason.
"""

from __future__ import annotations

import hashlib
import math
from typing import Any

from vendor_eval.core.model import Evaluation, Method
from vendor_eval.projects.actor import Actor
from vendor_eval.projects.analysis import with_project_settings
from vendor_eval.projects.errors import ProjectError, quoted
from vendor_eval.projects.rules import (
    DECIDED,
    authorize,
    changed_since,
    check_version,
    clean_name,
    clean_text,
    find,
    open_for_write,
    team_of,
    writing,
)
from vendor_eval.projects.versions import no_version, snapshot
from vendor_eval.projects.views import DecisionView, EventView
from vendor_eval.scoring.ranking import Ranking
from vendor_eval.scoring.scorer import score
from vendor_eval.store import queries as q
from vendor_eval.store.audit import append_event, canonical_text
from vendor_eval.store.database import Database
from vendor_eval.store.models import utc_now
from vendor_eval.stress.analysis import analyse
from vendor_eval.stress.report import SensitivityReport
from vendor_eval.team.access import Action, role_of
from vendor_eval.team.state import OWNER
from vendor_eval.workbook.schema import name_key

#: Monte Carlo samples of the frozen stress-test report (the dashboard's default).
DECISION_SAMPLES = 2000


def json_ready(value: Any) -> Any:
    """``value`` with every NaN or infinite float as None and tuples as lists (canonical
    JSON refuses NaN)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): json_ready(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_ready(v) for v in value]
    return value


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _winner(ranking: Ranking, wanted: str, version: int) -> str:
    """The vendor ``wanted`` names (by name key), if it passed the gates and is ranked."""
    key = name_key(wanted)
    vendor = next((v for v in ranking.vendors if name_key(v) == key), None)
    if vendor is None:
        raise ProjectError(
            f"{quoted(wanted)} is not a vendor of workbook version {version} "
            f"(vendors: {', '.join(ranking.vendors)})"
        )
    at = ranking.vendors.index(vendor)
    reasons = [str(r) for r in ranking.table["reasons"].tolist()[at]]
    if not bool(ranking.table["qualified"].tolist()[at]):
        why = "; ".join(reasons) if reasons else "disqualified"
        if ranking.stage_of(vendor) == "minimum":
            raise ProjectError(f"{vendor} cannot win: it is below a minimum ({why})")
        raise ProjectError(f"{vendor} cannot win: it did not pass the must-have gates ({why})")
    if ranking.rank(vendor) is None:  # pragma: no cover - a qualified vendor is ranked
        raise ProjectError(f"{vendor} cannot win: it is not ranked")
    return vendor


def decision_stress_tests(
    evaluation: Evaluation, ranking: Ranking, *, samples: int, seed: int
) -> SensitivityReport:
    """The stress tests a decision freezes: ``evaluation`` under its ranking's missing-value
    policy (the weighted-sum ranking reused when it is one)."""
    return analyse(
        evaluation,
        samples=samples,
        seed=seed,
        missing=ranking.missing,
        ranking=ranking if ranking.method is Method.WSM else None,
        leader_only=None,
    )


def decide(
    actor: Actor,
    db: Database,
    name: str,
    winner: str,
    justification: str,
    *,
    samples: int = DECISION_SAMPLES,
    seed: int = 0,
    base_version: int | None = None,
) -> DecisionView:
    """Record the decision and make the project read-only (status decided).

    Scores the current version with the project's settings and active scenario, freezes
    the ranking and a stress-test report (``samples``, ``seed``), and writes the decision
    and its "decide" event in one transaction. Refused: no workbook yet, a winner that is
    not a vendor or did not pass the must-have gates, a blank justification, a decided
    project, a stale ``base_version`` — and a project that changed while the ranking was
    computed.
    """
    with db.read() as s:
        snap = snapshot(s, open_for_write(s, actor, name, base_version, lock=False))
    if snap.workbook is None:
        raise no_version(snap.name)
    wanted = clean_name(winner, "the winner")
    reason = clean_text(justification, "the justification")
    evaluation = with_project_settings(snap, snap.weighted())
    ranking = score(evaluation)
    vendor = _winner(ranking, wanted, snap.workbook.seq)
    report = decision_stress_tests(evaluation, ranking, samples=samples, seed=seed)
    ranking_text = canonical_text(json_ready(ranking.to_records()))
    report_text = canonical_text(json_ready(report.to_dict()))
    with writing(db, name) as s:
        project = find(s, name, lock=True, actor=actor)
        if project.version != snap.version:  # written to while the ranking was computed
            raise changed_since(s, project)
        authorize(s, actor, project, Action.CHANGE)
        now = utc_now()
        row = q.add_decision(
            s, project.id, winner=vendor, justification=reason, actor=actor.name,
            version_seq=snap.workbook.seq, version_sha256=snap.workbook.sha256,
            status_before=project.status, ranking=ranking_text, report=report_text, time=now,
        )  # fmt: skip
        details = {
            "winner": vendor,
            "justification": reason,
            "version": snap.workbook.seq,
            "sha256": snap.workbook.sha256,
            "ranking_sha256": sha256_text(ranking_text),
            "report_sha256": sha256_text(report_text),
            "status_before": project.status,
        }
        project.status = DECIDED
        append_event(s, project.id, actor.name, "decide", vendor, details, time=now)
        return DecisionView.of(row, ranking_text, report_text)


def reopen(
    actor: Actor,
    db: Database,
    name: str,
    reason: str,
    *,
    base_version: int | None = None,
) -> EventView:
    """Reopen a decided project: its status goes back to what it was before the decision,
    the decision keeps who reopened it, when and why. Event "reopen" {"reason", "winner"}.
    Refused when the project is not decided or the reason is blank."""
    with writing(db, name) as s:
        project = find(s, name, lock=True, actor=actor)
        team = team_of(s, project)
        if role_of(actor, team) != OWNER:  # the role's refusal first
            authorize(s, actor, project, Action.REOPEN, team=team)
        check_version(s, project, base_version)
        if project.status != DECIDED:
            raise ProjectError(
                f"{project.name} is not decided (it is in {project.status}): nothing to reopen"
            )
        authorize(s, actor, project, Action.REOPEN, team=team)
        why = clean_text(reason, "the reason")
        decision = q.current_decision(s, project.id)
        if decision is None:  # pragma: no cover - decided is reached only through decide
            raise ProjectError(f"{project.name} has no decision to reopen")
        now = utc_now()
        decision.reopened_at = now
        decision.reopened_by = actor.name
        decision.reopen_reason = why
        project.status = decision.status_before
        event = append_event(
            s, project.id, actor.name, "reopen", decision.winner,
            {"reason": why, "winner": decision.winner}, time=now,
        )  # fmt: skip
        return EventView.of(event)
