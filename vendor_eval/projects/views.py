"""What the service functions return: plain frozen dataclasses, detached from the database,
each with ``to_dict()`` for ``--format json`` (times as ``2026-12-01T09:30:00.000000Z``)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from vendor_eval.store.audit import format_time
from vendor_eval.stress.scenarios import Scenario


def iso(time: datetime | None) -> str | None:
    """A UTC time as the audit log writes it (``…T09:30:00.000000Z``), or None."""
    return None if time is None else format_time(time)


@dataclass(frozen=True)
class VersionView:
    """One imported workbook version (the bytes stay in the database). ``warnings`` are
    the importer's warnings, given only by the import itself (not stored, not in
    ``to_dict()``). ``decimal`` is the decimal separator its CSV numbers are read with:
    ``auto`` (decided from the file), ``comma`` or ``point``."""

    seq: int
    file_name: str
    sha256: str
    size: int
    actor: str
    time: datetime
    warnings: tuple[str, ...] = ()
    decimal: str = "auto"

    @classmethod
    def of(cls, row: Any, warnings: tuple[str, ...] = ()) -> VersionView:
        return cls(
            row.seq, row.file_name, row.sha256, row.size, row.actor, row.created_at, warnings,
            row.decimal or "auto",
        )  # fmt: skip

    def to_dict(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "file_name": self.file_name,
            "sha256": self.sha256,
            "size": self.size,
            "actor": self.actor,
            "time": iso(self.time),
            "decimal": self.decimal,
        }


@dataclass(frozen=True)
class ScenarioView:
    """A saved weight scenario. ``unchanged`` is True only as what ``save_scenario``
    returns when this very scenario (name as spelled, weights) was already saved and
    nothing was written (not in ``to_dict()``)."""

    name: str
    criterion_weights: dict[str, float]
    category_weights: dict[str, float]
    actor: str
    time: datetime
    unchanged: bool = False

    @classmethod
    def of(cls, row: Any, *, unchanged: bool = False) -> ScenarioView:
        return cls(
            row.name,
            json.loads(row.criterion_weights),
            json.loads(row.category_weights),
            row.actor,
            row.created_at,
            unchanged,
        )

    def weights(self) -> tuple[dict[str, float], dict[str, float]]:
        """The criterion and the category weights."""
        return dict(self.criterion_weights), dict(self.category_weights)

    def scenario(self) -> Scenario:
        """As the stress stage's :class:`~vendor_eval.stress.scenarios.Scenario`."""
        return Scenario(self.name, dict(self.criterion_weights), dict(self.category_weights))

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "criterion_weights": dict(self.criterion_weights),
            "category_weights": dict(self.category_weights),
            "actor": self.actor,
            "time": iso(self.time),
        }


@dataclass(frozen=True)
class DecisionView:
    """A recorded decision. ``ranking`` and ``report`` are the frozen documents (the
    ranking's ``to_records()`` and the stress report's ``to_dict()`` as they were), loaded
    when asked for; ``to_dict()`` leaves them out (their SHA-256 is in the decide event)."""

    seq: int
    winner: str
    justification: str
    actor: str
    time: datetime
    version: int
    sha256: str
    status_before: str
    reopened_at: datetime | None = None
    reopen_reason: str | None = None
    reopened_by: str | None = None
    ranking: list[dict[str, Any]] | None = None
    report: dict[str, Any] | None = None

    @classmethod
    def of(cls, row: Any, ranking: str | None = None, report: str | None = None) -> DecisionView:
        return cls(
            seq=row.seq,
            winner=row.winner,
            justification=row.justification,
            actor=row.actor,
            time=row.created_at,
            version=row.version_seq,
            sha256=row.version_sha256,
            status_before=row.status_before,
            reopened_at=row.reopened_at,
            reopen_reason=row.reopen_reason,
            reopened_by=row.reopened_by,
            ranking=None if ranking is None else json.loads(ranking),
            report=None if report is None else json.loads(report),
        )

    @property
    def reopened(self) -> bool:
        return self.reopened_at is not None

    def to_dict(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "winner": self.winner,
            "justification": self.justification,
            "actor": self.actor,
            "time": iso(self.time),
            "version": self.version,
            "sha256": self.sha256,
            "status_before": self.status_before,
            "reopened_at": iso(self.reopened_at),
            "reopen_reason": self.reopen_reason,
            "reopened_by": self.reopened_by,
        }


#: The key an event's details are shown under when the stored text is not a JSON object.
UNREADABLE = "unreadable"


@dataclass(frozen=True)
class EventView:
    """One audit-log event. Details stored as text that is not a JSON object (edited
    behind vendor-eval's back) are shown as they are, ``{"unreadable": "<the text>"}``,
    with ``readable`` False: the history still lists every event, and ``project verify``
    says which one was changed."""

    seq: int
    time: datetime
    actor: str
    action: str
    subject: str
    details: dict[str, Any]
    readable: bool = True

    @classmethod
    def of(cls, row: Any) -> EventView:
        raw = row.details
        try:
            details = json.loads(raw)
        except (TypeError, ValueError, RecursionError):
            details = None
        if not isinstance(details, dict):
            text = raw if isinstance(raw, str) else repr(raw)
            return cls(row.seq, row.time, row.actor, row.action, row.subject,
                       {UNREADABLE: text}, readable=False)  # fmt: skip
        return cls(row.seq, row.time, row.actor, row.action, row.subject, details)

    @property
    def note(self) -> str | None:
        """The sentence to show beside an event whose details are not readable, else None."""
        if self.readable:
            return None
        return f"event {self.seq}'s details are not readable: run `project verify`"

    def to_dict(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "time": iso(self.time),
            "actor": self.actor,
            "action": self.action,
            "subject": self.subject,
            "details": self.details,
        }


@dataclass(frozen=True)
class ProjectSummary:
    """One line of ``project list``."""

    name: str
    status: str
    versions: int
    current_file: str | None
    last_change: datetime | None
    last_actor: str | None
    version: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "status": self.status,
            "versions": self.versions,
            "current_file": self.current_file,
            "last_change": iso(self.last_change),
            "last_actor": self.last_actor,
            "version": self.version,
        }


@dataclass(frozen=True)
class ProjectView:
    """A project as ``project show`` shows it. ``version`` is the project's optimistic
    version: pass it back as ``base_version`` to a writer to refuse a conflicting write."""

    name: str
    status: str
    created_at: datetime
    version: int
    goals: list[str]
    versions: list[VersionView]
    current_version: int | None
    settings: dict[str, str | None]
    scenarios: list[ScenarioView]
    decision: DecisionView | None
    events: int
    goal_warnings: list[str] = field(default_factory=list)
    #: The reader's role in the project (owner, evaluator or observer).
    role: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "role": self.role,
            "status": self.status,
            "created_at": iso(self.created_at),
            "version": self.version,
            "goals": list(self.goals),
            "versions": [v.to_dict() for v in self.versions],
            "current_version": self.current_version,
            "settings": dict(self.settings),
            "scenarios": [s.to_dict() for s in self.scenarios],
            "decision": None if self.decision is None else self.decision.to_dict(),
            "events": self.events,
            "goal_warnings": list(self.goal_warnings),
        }


@dataclass(frozen=True)
class VerifyView:
    """What ``project verify`` found: ``ok``, how many events the log has, the first bad
    event (None when ok), one sentence, and the newest event's hash."""

    ok: bool
    events: int
    first_bad: int | None
    message: str
    last_hash: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "events": self.events,
            "first_bad": self.first_bad,
            "message": self.message,
            "last_hash": self.last_hash,
        }
