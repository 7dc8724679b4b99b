"""A project's audit log: its history, and checking that nothing was changed behind
vendor-eval's back (docs/projects.md §6).

:func:`verify_project` runs :func:`vendor_eval.store.integrity.check` on the project's rows,
the same check ``db backup`` and ``db restore`` run: the hash chain, the chain head the
project recorded, and then the replay of the log against every row (name, creation time,
status, settings, goals, scenarios, workbook versions and their bytes, decisions and their
frozen documents, reopenings). It names the first problem and its event.
"""

from __future__ import annotations

import dataclasses

from vendor_eval.projects.actor import Actor
from vendor_eval.projects.rules import authorize, find
from vendor_eval.projects.views import EventView, VerifyView
from vendor_eval.store import queries as q
from vendor_eval.store.database import Database
from vendor_eval.store.integrity import check
from vendor_eval.team.access import Action, Resource, can


def history(actor: Actor, db: Database, name: str) -> list[EventView]:
    """Every event of the project, oldest first."""
    with db.read() as s:
        project = find(s, name, actor=actor)
        team = authorize(s, actor, project, Action.READ_HISTORY)
        events = [EventView.of(e) for e in q.event_rows(s, project.id)]
        if can(actor, Action.READ_CALIBRATION, Resource(project.name, project.status, team)):
            return events  # an owner reads it all
        return [_private_details_left_out(e) for e in events]


#: Events whose details an owner reads and the rest of the panel does not: conflict notes,
#: drafts never submitted, reasons for reopening a sheet (docs/team.md §1).
PRIVATE = frozenset({"declare", "score-draft", "sheet-reopen"})


def _private_details_left_out(event: EventView) -> EventView:
    """The event with only whose it is left of private details."""
    if event.action not in PRIVATE or not isinstance(event.details, dict):
        return event
    kept = {k: event.details[k] for k in ("email",) if k in event.details}
    return dataclasses.replace(event, details={**kept, "details": "shown to owners only"})


def verify_project(actor: Actor, db: Database, name: str) -> VerifyView:
    """Check the project's audit log and its rows (see the module's docstring); ``ok``
    False names the first problem in ``message`` and its event in ``first_bad`` (None for
    a row that no event made)."""
    with db.read() as s:
        project = find(s, name, actor=actor)
        authorize(s, actor, project, Action.READ_HISTORY)
        result = check(q.integrity_rows(s, project))
    problem = result.problem
    if problem is not None:
        return VerifyView(False, result.events, problem.seq, problem.message, result.last_hash)
    message = (
        f"all {result.events} events match the chain, and the project's rows are what they "
        "say (name, status, settings, goals, scenarios, workbook versions, decisions; the "
        "team lives in the log itself)"
    )
    return VerifyView(True, result.events, None, message, result.last_hash)
