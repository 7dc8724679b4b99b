"""The rules every service function shares: names and texts, finding a project, the
optimistic version, read-only while decided, and the settings' defaults.

A writer runs in one transaction (:func:`writing`) and opens its project with
:func:`open_for_write`: found by name key (trimmed, case-insensitive) and locked, refused
if its version is not the caller's ``base_version`` (:class:`ProjectChanged`, naming who
changed it last and when) or if it is decided (:class:`ProjectReadOnly`).

Every service function asks :mod:`vendor_eval.team.access` (the one place access is
decided, docs/team.md §1) through :func:`authorize` or :func:`opened`. The refusals come in
this order, before the call's own input is looked at (every writer first runs
:func:`precheck`): an unknown project (or one the actor has no role in), then the actor's
role does not allow the action, then a stale version, then a decided project, then the
status does not allow the action, then a blank or invalid value.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from vendor_eval.core.model import Consensus, Method, MissingPolicy
from vendor_eval.projects.actor import Actor
from vendor_eval.projects.errors import (
    ProjectChanged,
    ProjectError,
    changed,
    not_found,
    quoted,
    read_only,
)
from vendor_eval.store import queries as q
from vendor_eval.store.database import Database, Session
from vendor_eval.store.errors import StaleWrite
from vendor_eval.store.models import Project
from vendor_eval.team.access import Action, Resource, require, role_of, visible
from vendor_eval.team.state import FOLDED_ACTIONS, OWNER, Team, fold
from vendor_eval.workbook.schema import name_key
from vendor_eval.workbook.text_rules import name_problem, text_problem

DRAFT, SCORING, MODERATION, DECIDED = "draft", "scoring", "moderation", "decided"
#: The statuses a project moves among freely; ``decided`` is reached only by deciding.
OPEN_STATUSES = (DRAFT, SCORING, MODERATION)
STATUSES = (*OPEN_STATUSES, DECIDED)
#: A project's settings when nothing was set ("scenario": None = the workbook's weights).
DEFAULT_SETTINGS: dict[str, str | None] = {
    "method": Method.WSM.value,
    "missing": MissingPolicy.WORST.value,
    "consensus": Consensus.MEAN.value,
    "scenario": None,
    "threshold": None,
}
#: The disagreement threshold when none is set, and its range (docs/team.md §5).
DEFAULT_THRESHOLD = 0.4
MIN_THRESHOLD = 0.01


def clean_threshold(value: object) -> float:
    """A disagreement threshold: a share of a scale's range from 0.01 to 1."""
    try:
        x = float(value)  # type: ignore[arg-type]  # text or a number; the rest fails below
    except (TypeError, ValueError, OverflowError):
        x = float("nan")
    if isinstance(value, bool) or not MIN_THRESHOLD <= x <= 1:
        raise ProjectError(
            "the disagreement threshold is a share of the scale's range from "
            f"{MIN_THRESHOLD} to 1 (0.4 = 40%), not {value!r}"
        )
    return x


def threshold_of(settings: dict[str, str | None]) -> float:
    """The threshold the settings hold (their text), else :data:`DEFAULT_THRESHOLD`."""
    try:
        return clean_threshold(settings.get("threshold") or DEFAULT_THRESHOLD)
    except ProjectError:  # a value no vendor-eval wrote (a forged restore)
        return DEFAULT_THRESHOLD


# -- texts -----------------------------------------------------------------------------------


def clean_name(value: object, what: str) -> str:
    """A name: one line, trimmed, not blank, at most 200 characters (its comparison key
    too), no control, text-direction or non-UTF-8 characters
    (:func:`~vendor_eval.workbook.text_rules.name_problem`). ``what`` names it in the
    message ("the project name")."""
    return _clean(value, what, name_problem(value))


def clean_text(value: object, what: str) -> str:
    """Free text (a justification, a reason): trimmed, not blank, tab and line breaks
    allowed, no other control, text-direction or non-UTF-8 characters
    (:func:`~vendor_eval.workbook.text_rules.text_problem`)."""
    return _clean(value, what, text_problem(value))


def _clean(value: object, what: str, problem: str | None) -> str:
    if value is None:
        raise ProjectError(f"{what} is blank")
    if problem is not None:
        raise ProjectError(f"{what} {problem}")
    assert isinstance(value, str)  # the rules refuse anything else
    return value.strip()


def clean_goals(goals: Sequence[str]) -> list[str]:
    """Goals trimmed, blank ones dropped; one given twice (case-insensitively) is refused."""
    if isinstance(goals, str):  # one goal, not its characters
        goals = [goals]
    out: list[str] = []
    seen: dict[str, str] = {}
    for goal in goals:
        if goal is None or not name_key(goal):
            continue
        text = clean_name(goal, "a goal")
        key = name_key(text)
        if key in seen:
            raise ProjectError(f"the goal {quoted(seen[key])} is given twice")
        seen[key] = text
        out.append(text)
    return out


# -- finding and opening a project -----------------------------------------------------------


def find(s: Session, name: str, *, lock: bool = False, actor: Actor | None = None) -> Project:
    """The project called ``name`` (trimmed, case-insensitive), or :class:`ProjectNotFound`.
    With ``actor``: a project the actor has no role in is not found either, and the
    message lists only the projects the actor may see."""
    # a name no project may have (a NUL, a byte that is not UTF-8) is not looked up
    storable = isinstance(name, str) and name_problem(name) is None
    project = q.project_by_key(s, name_key(name), lock=lock) if storable else None
    if project is not None and (
        actor is None or not actor.signed_in or visible(actor, team_of(s, project))
    ):  # a local actor has a role in every project
        return project
    shown = str(name).encode("utf-8", "backslashreplace").decode("utf-8")
    raise not_found(shown, visible_names(s, actor))


def team_of(s: Session, project: Project) -> Team:
    """The project's team, folded from its log (:mod:`vendor_eval.team.state`) once per
    transaction and chain head: finding, authorizing and reading a project in one call
    share the fold, and an event appended since (a new head) folds afresh."""
    folded: dict[tuple[int, int], Team] = s.info.setdefault("ve_teams", {})
    key = (project.id, project.event_count)
    team = folded.get(key)
    if team is None:
        team = folded[key] = fold(q.events(s, project.id, FOLDED_ACTIONS))
    return team


def visible_names(s: Session, actor: Actor | None) -> list[str]:
    """The names of the projects ``actor`` has a role in (every project for a local actor)."""
    if actor is None or not actor.signed_in:
        return q.project_names(s)
    return [p.name for p in q.all_projects(s) if visible(actor, team_of(s, p))]


def authorize(
    s: Session,
    actor: Actor,
    project: Project,
    action: Action,
    *,
    sheet_of: str | None = None,
    team: Team | None = None,
) -> Team:
    """Refuse (:class:`~vendor_eval.team.errors.PermissionDenied`) unless
    :func:`vendor_eval.team.access.check` allows ``action``; returns the team."""
    team = team_of(s, project) if team is None else team
    require(actor, action, Resource(project.name, project.status, team, sheet_of))
    return team


def changed_since(s: Session, project: Project) -> ProjectChanged:
    """:class:`ProjectChanged` naming who changed the project last and when (its newest
    event's actor and time)."""
    last = q.last_event(s, project.id)
    if last is None:  # pragma: no cover - every project has its create event
        return changed("someone", project.created_at)
    return changed(last.actor, last.time)


def check_version(s: Session, project: Project, base_version: int | None) -> None:
    """Refuse (:class:`ProjectChanged`) when ``base_version`` is given and is not the
    project's version: somebody wrote since the caller read it."""
    if base_version is not None and base_version != project.version:
        raise changed_since(s, project)


def check_writable(s: Session, project: Project) -> None:
    """Refuse (:class:`ProjectReadOnly`) every change to a decided project."""
    if project.status != DECIDED:
        return
    decision = q.current_decision(s, project.id)
    if decision is None:  # pragma: no cover - decided is reached only through decide
        raise ProjectError(f"{project.name} is decided: reopen it first with a reason")
    raise read_only(project.name, decision.winner, decision.actor, decision.created_at)


#: The changes a decided project takes (every other change is refused as read-only):
#: reopening it, issuing sign-in codes, and following the awarded vendor's performance.
_ON_DECIDED = (Action.REOPEN, Action.ISSUE_CODE, Action.MONITOR, Action.MANAGE_ACTIONS)


def opened(
    s: Session,
    actor: Actor,
    name: str,
    base_version: int | None,
    *,
    action: Action = Action.CHANGE,
    sheet_of: str | None = None,
    lock: bool = True,
) -> tuple[Project, Team]:
    """The project, locked for this transaction (unless ``lock`` is False: a check before
    a slow step), and its team, after the refusals in this order: not found (or not the
    actor's), the actor's role may not take ``action``, a stale ``base_version``, decided
    (every action but reopening), the status does not allow ``action``."""
    project = find(s, name, lock=lock, actor=actor)
    team = team_of(s, project)
    resource = Resource(project.name, project.status, team, sheet_of)
    if role_of(actor, team) != OWNER:
        require(actor, action, resource)
    check_version(s, project, base_version)
    if action not in _ON_DECIDED:
        check_writable(s, project)
    require(actor, action, resource)
    return project, team


def open_for_write(
    s: Session,
    actor: Actor,
    name: str,
    base_version: int | None,
    *,
    action: Action = Action.CHANGE,
    lock: bool = True,
) -> Project:
    """:func:`opened` without the team."""
    return opened(s, actor, name, base_version, action=action, lock=lock)[0]


def precheck(
    db: Database,
    actor: Actor,
    name: str,
    base_version: int | None,
    *,
    action: Action = Action.CHANGE,
    sheet_of: str | None = None,
) -> None:
    """The refusals of :func:`opened`, in a short read transaction of their own: run
    first, so they come before any complaint about the call's input (the write
    transaction checks again)."""
    with db.read() as s:
        opened(s, actor, name, base_version, action=action, sheet_of=sheet_of, lock=False)


@contextmanager
def writing(db: Database, name: str) -> Iterator[Session]:
    """One write transaction; an optimistic-lock refusal from the database becomes
    :class:`ProjectChanged` naming the last writer (nothing was written)."""
    try:
        with db.write() as s:
            yield s
    except StaleWrite:
        with db.read() as s:
            raise changed_since(s, find(s, name)) from None


# -- settings --------------------------------------------------------------------------------


def settings_of(project: Project) -> dict[str, str | None]:
    """The project's settings with the defaults filled in (for a missing value, or one
    that is not text)."""
    try:
        stored: Any = json.loads(project.settings or "{}")
    except ValueError:
        stored = {}
    out = dict(DEFAULT_SETTINGS)
    if isinstance(stored, dict):  # a value that is not text (a forged restore) is ignored
        out.update({k: v for k in DEFAULT_SETTINGS if isinstance(v := stored.get(k), str)})
    return out


def settings_chosen(project: Project) -> frozenset[str]:
    """The settings the project's record holds (a settings change wrote them), as opposed
    to the defaults :func:`settings_of` fills in: a project's method and missing-value policy
    apply over a workbook's Settings sheet only once chosen (docs/projects.md §2)."""
    try:
        stored: Any = json.loads(project.settings or "{}")
    except ValueError:
        return frozenset()
    if not isinstance(stored, dict):
        return frozenset()
    return frozenset(k for k in DEFAULT_SETTINGS if isinstance(stored.get(k), str))


def settings_text(settings: dict[str, str | None]) -> str:
    """The settings as stored: canonical JSON, without a ``scenario`` that is not set."""
    from vendor_eval.store.audit import canonical_text

    return canonical_text({k: v for k, v in settings.items() if v is not None})
