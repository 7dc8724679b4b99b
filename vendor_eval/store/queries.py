"""Every SELECT and INSERT the projects stage runs, as small functions taking the session
first. Rows, not rules: which change is allowed, and which event records it, is decided in
:mod:`vendor_eval.projects`; this module only reads and writes rows.

``lock=True`` reads a project ``SELECT … FOR UPDATE`` (PostgreSQL; on SQLite a write
session already holds the database's write lock), so the version a writer checks cannot
change before it commits.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Row, func, select
from sqlalchemy.orm import Session, undefer

from vendor_eval.store.integrity import EVENT_FIELDS, Rows
from vendor_eval.store.models import (
    Decision,
    Event,
    Goal,
    Project,
    Scenario,
    WorkbookVersion,
    utc_now,
)

__all__ = [
    "add_decision",
    "add_project",
    "add_version",
    "all_projects",
    "current_decision",
    "decision_documents",
    "decisions",
    "delete_scenario",
    "event_rows",
    "events",
    "integrity_rows",
    "last_event",
    "last_events",
    "project_by_key",
    "project_names",
    "put_scenario",
    "replace_goals",
    "scenario",
    "scenarios",
    "version_counts",
    "version_data",
    "version_hashes",
    "versions",
]


# -- projects ------------------------------------------------------------------------------


def project_by_key(s: Session, key: str, *, lock: bool = False) -> Project | None:
    """The project whose name key is ``key`` (already trimmed and case-folded), or None."""
    query = select(Project).where(Project.name_key == key)
    if lock:
        query = query.with_for_update()
    return s.scalars(query).one_or_none()


def all_projects(s: Session) -> list[Project]:
    """Every project, by name key."""
    return list(s.scalars(select(Project).order_by(Project.name_key)))


def project_names(s: Session) -> list[str]:
    """Every project's name, by name key."""
    return list(s.scalars(select(Project.name).order_by(Project.name_key)))


def add_project(s: Session, name: str, goals: Sequence[str], *, settings: str = "{}") -> Project:
    """A new project (flushed: it has its id) with ``goals`` at positions 1, 2, …"""
    project = Project(
        name=name,
        settings=settings,
        goals=[Goal(position=i, text=text) for i, text in enumerate(goals, 1)],
    )
    s.add(project)
    s.flush()
    return project


def replace_goals(s: Session, project: Project, goals: Sequence[str]) -> None:
    """The project's goals become ``goals`` (texts rewritten in place, extras removed)."""
    current = list(project.goals)
    for i, text in enumerate(goals):
        if i < len(current):
            current[i].text = text
        else:
            project.goals.append(Goal(position=i + 1, text=text))
    for extra in current[len(goals) :]:
        project.goals.remove(extra)
    s.flush()


# -- workbook versions -----------------------------------------------------------------------


def versions(s: Session, project_id: int) -> list[WorkbookVersion]:
    """The project's versions, oldest first (without their bytes)."""
    return list(
        s.scalars(
            select(WorkbookVersion)
            .where(WorkbookVersion.project_id == project_id)
            .order_by(WorkbookVersion.seq)
        )
    )


def version_counts(s: Session) -> dict[int, int]:
    """Project id → how many versions it has (projects without any are not listed)."""
    rows = s.execute(
        select(WorkbookVersion.project_id, func.count()).group_by(WorkbookVersion.project_id)
    )
    return {int(pid): int(n) for pid, n in rows}


def version_data(s: Session, project_id: int, seq: int | None = None) -> WorkbookVersion | None:
    """Version ``seq`` (default the newest) with its bytes loaded, or None."""
    query = (
        select(WorkbookVersion)
        .options(undefer(WorkbookVersion.data))
        .where(WorkbookVersion.project_id == project_id)
    )
    if seq is None:
        query = query.order_by(WorkbookVersion.seq.desc()).limit(1)
    else:
        query = query.where(WorkbookVersion.seq == seq)
    return s.scalars(query).first()


def add_version(
    s: Session,
    project_id: int,
    *,
    file_name: str,
    data: bytes,
    actor: str,
    time: datetime | None = None,
    decimal: str = "auto",
) -> WorkbookVersion:
    """The project's next version (``seq`` = newest + 1), the bytes stored whole with their
    SHA-256 and size, and the decimal separator they were read with."""
    newest = s.scalar(
        select(func.max(WorkbookVersion.seq)).where(WorkbookVersion.project_id == project_id)
    )
    row = WorkbookVersion(
        project_id=project_id,
        seq=(newest or 0) + 1,
        file_name=file_name,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        data=data,
        actor=actor,
        created_at=time or utc_now(),
        decimal=decimal,
    )
    s.add(row)
    s.flush()
    return row


# -- events ----------------------------------------------------------------------------------


def events(s: Session, project_id: int, actions: Sequence[str] | None = None) -> list[Event]:
    """The project's events (only those whose action is in ``actions``, if given), oldest
    first."""
    query = select(Event).where(Event.project_id == project_id)
    if actions is not None:
        query = query.where(Event.action.in_(list(actions)))
    return list(s.scalars(query.order_by(Event.seq)))


_EVENT_COLUMNS = tuple(getattr(Event, c) for c in EVENT_FIELDS)


def event_rows(s: Session, project_id: int) -> list[Row[Any]]:
    """The project's events oldest first, as plain rows (``seq``, ``time``, ``actor``,
    ``action``, ``subject``, ``details``, ``prev_hash``, ``hash``): no ORM objects, for long
    logs."""
    query = select(*_EVENT_COLUMNS).where(Event.project_id == project_id).order_by(Event.seq)
    return list(s.execute(query))


def version_hashes(s: Session, project_id: int) -> dict[int, tuple[str, int, str]]:
    """Version seq → (stored SHA-256, stored size, SHA-256 of the stored bytes), one version
    in memory at a time."""
    out: dict[int, tuple[str, int, str]] = {}
    for seq in s.scalars(
        select(WorkbookVersion.seq).where(WorkbookVersion.project_id == project_id)
    ).all():
        row = version_data(s, project_id, seq)
        assert row is not None
        out[seq] = (row.sha256, row.size, hashlib.sha256(row.data).hexdigest())
        s.expunge(row)  # the bytes leave the session with it
    return out


def integrity_rows(s: Session, project: Project) -> Rows:
    """The project's rows for :func:`vendor_eval.store.integrity.check`: its events streamed
    from the session's connection (check them inside the transaction), every version's
    stored bytes hashed one at a time."""
    pid = project.id

    def mappings(model: Any, names: str) -> list[dict[str, Any]]:
        columns = [getattr(model, c) for c in names.split()]
        query = select(*columns).where(model.project_id == pid).order_by(columns[0])
        return [dict(zip(names.split(), row, strict=True)) for row in s.execute(query)]

    goals = s.scalars(select(Goal.text).where(Goal.project_id == pid).order_by(Goal.position))
    events = s.connection().execute(
        select(*_EVENT_COLUMNS)
        .where(Event.project_id == pid)
        .order_by(Event.seq)
        .execution_options(yield_per=5000)
    )
    return Rows(
        name=project.name,
        status=project.status,
        created_at=project.created_at,
        settings=project.settings,
        event_count=project.event_count,
        last_hash=project.last_hash,
        goals=list(goals),
        versions=mappings(WorkbookVersion, "seq file_name sha256 size actor created_at decimal"),
        scenarios=mappings(
            Scenario, "name_key name criterion_weights category_weights actor created_at"
        ),
        decisions=mappings(
            Decision,
            "seq winner justification actor created_at version_seq version_sha256 "
            "status_before ranking report reopened_at reopen_reason reopened_by",
        ),
        events=events,
        data_sha256={seq: actual for seq, (_, _, actual) in version_hashes(s, pid).items()},
    )


def last_event(s: Session, project_id: int) -> Event | None:
    """The project's newest event, or None."""
    return s.scalars(
        select(Event).where(Event.project_id == project_id).order_by(Event.seq.desc()).limit(1)
    ).first()


def last_events(s: Session) -> dict[int, Event]:
    """Project id → its newest event (projects without events are not listed)."""
    newest = (
        select(Event.project_id, func.max(Event.seq).label("seq"))
        .group_by(Event.project_id)
        .subquery()
    )
    rows = s.scalars(
        select(Event).join(
            newest, (Event.project_id == newest.c.project_id) & (Event.seq == newest.c.seq)
        )
    )
    return {row.project_id: row for row in rows}


# -- scenarios -------------------------------------------------------------------------------


def scenarios(s: Session, project_id: int) -> list[Scenario]:
    """The project's saved weight scenarios, by name key."""
    return list(
        s.scalars(
            select(Scenario).where(Scenario.project_id == project_id).order_by(Scenario.name_key)
        )
    )


def scenario(s: Session, project_id: int, key: str) -> Scenario | None:
    """The project's scenario whose name key is ``key``, or None."""
    return s.scalars(
        select(Scenario).where(Scenario.project_id == project_id, Scenario.name_key == key)
    ).one_or_none()


def put_scenario(
    s: Session,
    project_id: int,
    *,
    name: str,
    key: str,
    criterion_weights: str,
    category_weights: str,
    actor: str,
    time: datetime | None = None,
) -> tuple[Scenario, bool]:
    """Save a scenario (weights as JSON object text); one with the same key is replaced.
    Returns the row and whether it replaced one."""
    row = scenario(s, project_id, key)
    replaced = row is not None
    if row is None:
        row = Scenario(project_id=project_id, name=name)
        s.add(row)
    row.name = name
    row.criterion_weights = criterion_weights
    row.category_weights = category_weights
    row.actor = actor
    row.created_at = time or utc_now()
    s.flush()
    return row, replaced


def delete_scenario(s: Session, row: Scenario) -> None:
    """Remove a saved scenario."""
    s.delete(row)
    s.flush()


# -- decisions -------------------------------------------------------------------------------


def decisions(s: Session, project_id: int) -> list[Decision]:
    """The project's decisions, oldest first (without the frozen documents)."""
    return list(
        s.scalars(select(Decision).where(Decision.project_id == project_id).order_by(Decision.seq))
    )


def current_decision(s: Session, project_id: int, *, documents: bool = False) -> Decision | None:
    """The project's newest decision (reopened or not), or None; ``documents`` loads the
    frozen ranking and report too."""
    query = select(Decision).where(Decision.project_id == project_id)
    if documents:
        query = query.options(undefer(Decision.ranking), undefer(Decision.report))
    return s.scalars(query.order_by(Decision.seq.desc()).limit(1)).first()


def decision_documents(s: Session, decision_id: int) -> tuple[str, str]:
    """The frozen ranking and report JSON texts of a decision."""
    row = s.execute(
        select(Decision.ranking, Decision.report).where(Decision.id == decision_id)
    ).one()
    return str(row[0]), str(row[1])


def add_decision(
    s: Session,
    project_id: int,
    *,
    winner: str,
    justification: str,
    actor: str,
    version_seq: int,
    version_sha256: str,
    status_before: str,
    ranking: str,
    report: str,
    time: datetime | None = None,
) -> Decision:
    """The project's next decision (``seq`` = newest + 1)."""
    newest = s.scalar(select(func.max(Decision.seq)).where(Decision.project_id == project_id))
    row = Decision(
        project_id=project_id,
        seq=(newest or 0) + 1,
        winner=winner,
        justification=justification,
        actor=actor,
        created_at=time or utc_now(),
        version_seq=version_seq,
        version_sha256=version_sha256,
        status_before=status_before,
        ranking=ranking,
        report=report,
    )
    s.add(row)
    s.flush()
    return row
