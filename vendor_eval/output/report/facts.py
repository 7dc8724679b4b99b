"""What a project adds to the award report (docs/report.md §1): its name and status, goals,
panel, moderation log, decision and the audit chain's last hash. Every field is optional:
a plain workbook has none, and a section whose facts are missing is left out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["Decision", "Goal", "ModerationEntry", "PanelMember", "ProjectFacts"]


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
class ProjectFacts:
    """What a project adds to the report; every field optional (a plain workbook has none)."""

    name: str | None = None
    status: str | None = None
    goals: Sequence[Goal] = ()
    panel: Sequence[PanelMember] = ()
    moderation: Sequence[ModerationEntry] = ()
    decision: Decision | None = None
    audit_hash: str | None = None
