"""What a project adds to the award report (docs/report.md §1, §3): its name and status,
goals, panel, moderation log, decision, workbook versions and the audit chain. Every field
is optional: a plain workbook has none, and a section whose facts are missing is left out.
:func:`facts_from` writes a project's :class:`~vendor_eval.team.record.AwardRecord` (the
service that read it decided what the reader may see) as these facts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from vendor_eval.core.model import format_number

if TYPE_CHECKING:
    from vendor_eval.team.panel import PairView
    from vendor_eval.team.record import AwardRecord, RecordMember

__all__ = [
    "AuditFacts",
    "Decision",
    "Goal",
    "ModerationEntry",
    "PanelMember",
    "ProjectFacts",
    "VersionFacts",
    "facts_from",
]


@dataclass(frozen=True)
class Goal:
    """A project goal; the criteria whose Goal cell names it are listed under it."""

    name: str
    description: str = ""


@dataclass(frozen=True)
class PanelMember:
    """A member of the evaluation panel and their conflict declaration (``""``: none)."""

    name: str
    role: str = ""
    conflicts: str = ""


@dataclass(frozen=True)
class ModerationEntry:
    """One moderated item: what was flagged, the scores, the consensus and why."""

    item: str
    scores: str = ""
    consensus: str = ""
    rationale: str = ""
    by: str = ""
    at: dt.datetime | None = None


@dataclass(frozen=True)
class Decision:
    """The recorded award decision."""

    winner: str
    justification: str
    by: str
    at: dt.datetime


@dataclass(frozen=True)
class VersionFacts:
    """A workbook version of the project: the one the report is of is ``used``."""

    seq: int
    file_name: str
    sha256: str
    imported_by: str
    imported_at: dt.datetime
    used: bool = False


@dataclass(frozen=True)
class AuditFacts:
    """The audit chain as ``project verify`` found it when the report was made."""

    ok: bool
    events: int
    last_hash: str
    message: str = ""


@dataclass(frozen=True)
class ProjectFacts:
    """What a project adds to the report; every field optional (a plain workbook has none)."""

    name: str | None = None
    status: str | None = None
    goals: Sequence[Goal] = ()
    panel: Sequence[PanelMember] = ()
    moderation: Sequence[ModerationEntry] = ()
    decision: Decision | None = None
    audit_hash: str | None = None
    versions: Sequence[VersionFacts] = ()
    audit: AuditFacts | None = None
    #: Sentences the Decision section adds: whether the report shows exactly what was
    #: decided, a decision that was reopened.
    decision_notes: Sequence[str] = ()


def _conflicts(m: RecordMember) -> str:
    """The panel table's "Conflict declaration" of a member."""
    if m.role != "evaluator":
        return "not an evaluator (no declaration)"
    if not m.declared:
        return f"not declared yet (for none of the {m.vendors} vendors)"
    said = [
        c.vendor + (f": {c.note}" if c.note is not None else " (the note is shown to owners only)")
        for c in m.conflicts
    ]
    text = "; ".join(said) or "none"
    if m.declared < m.vendors:
        text += f" (declared for {m.declared} of {m.vendors} vendors)"
    return text


def _moderation(p: PairView, consensus: str) -> ModerationEntry:
    scores = "; ".join(f"{s.evaluator}: {format_number(s.score)}" for s in p.scores)
    m = p.moderation
    if m is not None:
        return ModerationEntry(
            item=f"{p.vendor} — {p.criterion}",
            scores=scores or "none",
            consensus=f"{format_number(m.score)} (moderated)",
            rationale=m.rationale,
            by=m.actor,
            at=m.time,
        )
    shown = "none" if p.consensus is None else format_number(p.consensus)
    return ModerationEntry(
        item=f"{p.vendor} — {p.criterion}",
        scores=scores or "none",
        consensus=f"{shown} ({consensus} of the scores)",
        rationale="flagged (the scores are far apart), not moderated",
    )


def facts_from(record: AwardRecord) -> ProjectFacts:
    """The report's facts of a project's award record (docs/report.md §3)."""
    d = record.decision
    notes: list[str] = []
    if record.frozen is True:
        notes.append(
            "The ranking and stress tests in this report are the ones frozen with the "
            "decision: recomputed from the decided workbook version, they match the "
            "recorded documents exactly."
        )
    elif record.frozen is False:
        notes.append(
            "Warning: recomputed today, the ranking or the stress tests differ from the "
            "documents frozen with the decision (a newer version of vendor_eval scores "
            "differently); the frozen documents stay in the project's record."
        )
    r = record.reopened
    if r is not None and r.reopened_at is not None:
        notes.append(
            f"A decision for {r.winner} ({r.actor}, {r.time:%Y-%m-%d}) was reopened by "
            f"{r.reopened_by} on {r.reopened_at:%Y-%m-%d}: {r.reopen_reason}"
        )
    used = record.version.seq
    return ProjectFacts(
        name=record.name,
        status=record.status,
        goals=tuple(Goal(g) for g in record.goals),
        panel=tuple(PanelMember(m.email, m.role, _conflicts(m)) for m in record.members),
        moderation=tuple(
            _moderation(p, record.evaluation.consensus.value) for p in record.moderation
        ),
        decision=None
        if d is None
        else Decision(winner=d.winner, justification=d.justification, by=d.actor, at=d.time),
        audit_hash=record.audit.last_hash,
        versions=tuple(
            VersionFacts(v.seq, v.file_name, v.sha256, v.actor, v.time, v.seq == used)
            for v in record.versions
        ),
        audit=AuditFacts(
            record.audit.ok, record.audit.events, record.audit.last_hash, record.audit.message
        ),
        decision_notes=tuple(notes),
    )
