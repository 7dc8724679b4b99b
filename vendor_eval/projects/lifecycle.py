"""Creating, listing and showing projects; their goals and status.

A project's name is unique compared trimmed and case-insensitively ("IT 2027" and
" it 2027" are one project). Its status moves freely among draft, scoring and moderation
(each move audited); it becomes decided only through
:func:`~vendor_eval.projects.decision.decide`, and leaves decided only through
:func:`~vendor_eval.projects.decision.reopen`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from vendor_eval.core.problems import VendorEvalError
from vendor_eval.projects.actor import Actor
from vendor_eval.projects.errors import ProjectError, duplicate, quoted
from vendor_eval.projects.goals import goal_warnings
from vendor_eval.projects.rules import (
    DECIDED,
    OPEN_STATUSES,
    STATUSES,
    authorize,
    clean_goals,
    clean_name,
    find,
    open_for_write,
    precheck,
    settings_of,
    team_of,
    writing,
)
from vendor_eval.projects.versions import Snapshot, snapshot
from vendor_eval.projects.views import (
    DecisionView,
    EventView,
    ProjectSummary,
    ProjectView,
    VersionView,
)
from vendor_eval.store import queries as q
from vendor_eval.store.audit import append_event
from vendor_eval.store.database import Database, Session
from vendor_eval.store.errors import DuplicateName
from vendor_eval.team.access import Action, Resource, can, role_of, visible
from vendor_eval.team.errors import PermissionDenied
from vendor_eval.team.state import OWNER
from vendor_eval.workbook.schema import name_key


def create_project(actor: Actor, db: Database, name: str, goals: Sequence[str] = ()) -> ProjectView:
    """A new project in draft. The name is trimmed, must not be blank or longer than 200
    characters, and must be unique case-insensitively (:class:`DuplicateProject`); goals
    are trimmed, blank ones dropped, one given twice refused. Event "create"."""
    clean = clean_name(name, "the project name")
    goal_list = clean_goals(goals)
    try:
        with writing(db, clean) as s:
            if actor.signed_in and (actor.scope is not None or not owns_any(s, actor)):
                raise PermissionDenied(
                    f"{actor.name} may not create projects: a project is created by the "
                    "command line, the local dashboard, or an owner signed in through the "
                    "organisation's sign-in (a one-time code is for its own project only)"
                )
            if q.project_by_key(s, name_key(clean)) is not None:
                raise duplicate(clean)
            project = q.add_project(s, clean, goal_list)
            append_event(
                s, project.id, actor.name, "create", clean, {"goals": goal_list},
                time=project.created_at,
            )  # fmt: skip
    except DuplicateName:  # created by someone else at the same moment
        raise duplicate(clean) from None
    return show_project(actor, db, clean)


def owns_any(s: Session, actor: Actor) -> bool:
    """Whether the actor is the owner of at least one project."""
    return any(role_of(actor, team_of(s, p)) == OWNER for p in q.all_projects(s))


def list_projects(actor: Actor, db: Database) -> list[ProjectSummary]:
    """Every project the actor has a role in (every project for a local actor), by name
    (compared case-insensitively)."""
    with db.read() as s:
        projects = q.all_projects(s)
        teams = {p.id: team_of(s, p) for p in projects} if actor.signed_in else {}
        if actor.signed_in:
            projects = [p for p in projects if visible(actor, teams[p.id])]
        counts = q.version_counts(s)
        newest = q.last_events(s)
        out = []
        for p in projects:
            event = newest.get(p.id)
            team = teams.get(p.id)
            if team is not None and not can(
                actor, Action.READ_HISTORY, Resource(p.name, p.status, team)
            ):  # who acted last, and when, is the history's (a panel's progress)
                event = None
            current = q.versions(s, p.id)[-1] if counts.get(p.id) else None
            out.append(
                ProjectSummary(
                    name=p.name,
                    status=p.status,
                    versions=counts.get(p.id, 0),
                    current_file=None if current is None else current.file_name,
                    last_change=None if event is None else event.time,
                    last_actor=None if event is None else event.actor,
                    version=p.version,
                )
            )
        return out


def _warnings(snap: Snapshot) -> list[str]:
    """Goal warnings on the current version under the active weights ([] without one)."""
    if snap.workbook is None:
        return []
    try:
        return goal_warnings(snap.weighted(), snap.goals)
    except VendorEvalError as e:  # e.g. a saved scenario no longer fits the workbook
        return [f"the goals cannot be checked: {e}"]


def show_project(actor: Actor, db: Database, name: str) -> ProjectView:
    """The project: status, goals, versions, settings, scenarios, its decision (the newest,
    reopened or not; None if never decided), the number of events, and the goal warnings
    of the current version."""
    with db.read() as s:
        project = find(s, name, actor=actor)
        team = authorize(s, actor, project, Action.READ_PROJECT)
        resource = Resource(project.name, project.status, team)
        snap = snapshot(s, project)
        versions = [VersionView.of(v) for v in q.versions(s, project.id)]
        decision = q.current_decision(s, project.id, documents=True)
        decision_view = (
            None
            if decision is None or not can(actor, Action.READ_RANKING, resource)
            else DecisionView.of(decision, decision.ranking, decision.report)
        )
        role = role_of(actor, team)
        reads_workbook = can(actor, Action.READ_WORKBOOK, resource)
        view = ProjectView(
            name=project.name,
            status=project.status,
            created_at=project.created_at,
            version=project.version,
            goals=list(snap.goals),
            versions=versions,
            current_version=versions[-1].seq if versions else None,
            settings=settings_of(project),
            scenarios=list(snap.scenarios.values()),
            decision=decision_view,
            events=project.event_count,
            role=role,
        )
    # validating the stored workbook runs outside the transaction
    warnings = _warnings(snap) if reads_workbook else []
    return dataclasses.replace(view, goal_warnings=warnings)


def set_goals(
    actor: Actor,
    db: Database,
    name: str,
    goals: Sequence[str],
    *,
    base_version: int | None = None,
) -> EventView:
    """Replace the project's goals (trimmed, blank dropped, duplicates refused). Event
    "goals" with the goals before and after; the same goals again write nothing."""
    precheck(db, actor, name, base_version)
    goal_list = clean_goals(goals)
    with writing(db, name) as s:
        project = open_for_write(s, actor, name, base_version)
        before = [g.text for g in project.goals]
        if before == goal_list:
            raise ProjectError(f"{project.name} already has these goals")
        q.replace_goals(s, project, goal_list)
        event = append_event(
            s, project.id, actor.name, "goals", project.name,
            {"before": before, "after": goal_list},
        )  # fmt: skip
        return EventView.of(event)


def set_status(
    actor: Actor,
    db: Database,
    name: str,
    status: str,
    *,
    base_version: int | None = None,
) -> EventView:
    """Move the project among draft, scoring and moderation (any direction). "decided" is
    refused (a decision needs a winner and a justification: use decide); the status it
    already has is refused and nothing is written. Event "status" {"from", "to"}."""
    precheck(db, actor, name, base_version)
    wanted = str(status).strip().casefold()
    if wanted not in STATUSES:
        raise ProjectError(f"unknown status {quoted(str(status).strip())} ({', '.join(STATUSES)})")
    if wanted == DECIDED:
        raise ProjectError("use decide: a decision needs a winner and a justification")
    assert wanted in OPEN_STATUSES
    with writing(db, name) as s:
        project = open_for_write(s, actor, name, base_version)
        before = project.status
        if before == wanted:
            raise ProjectError(f"{project.name} is already in {wanted}")
        project.status = wanted
        event = append_event(
            s, project.id, actor.name, "status", project.name, {"from": before, "to": wanted}
        )
        return EventView.of(event)
