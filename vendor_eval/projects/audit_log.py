"""A project's audit log: its history, and checking that nothing was changed behind
vendor-eval's back (docs/projects.md §6).

:func:`verify_project` runs :func:`vendor_eval.store.integrity.check` on the project's rows,
the same check ``db backup`` and ``db restore`` run: the hash chain, the chain head the
project recorded, and then the replay of the log against every row (name, creation time,
status, settings, goals, scenarios, workbook versions and their bytes, decisions and their
frozen documents, reopenings). It names the first problem and its event.
"""

from __future__ import annotations

from vendor_eval.projects.actor import Actor
from vendor_eval.projects.rules import find
from vendor_eval.projects.views import EventView, VerifyView
from vendor_eval.store import queries as q
from vendor_eval.store.database import Database
from vendor_eval.store.integrity import check


def history(actor: Actor, db: Database, name: str) -> list[EventView]:
    """Every event of the project, oldest first."""
    with db.read() as s:
        project = find(s, name)
        return [EventView.of(e) for e in q.event_rows(s, project.id)]


def verify_project(actor: Actor, db: Database, name: str) -> VerifyView:
    """Check the project's audit log and its rows (see the module's docstring); ``ok``
    False names the first problem in ``message`` and its event in ``first_bad`` (None for
    a row that no event made)."""
    with db.read() as s:
        result = check(q.integrity_rows(s, find(s, name)))
    problem = result.problem
    if problem is not None:
        return VerifyView(False, result.events, problem.seq, problem.message, result.last_hash)
    message = (
        f"all {result.events} events match the chain, and the project's rows are what they "
        "say (name, status, settings, goals, scenarios, workbook versions, decisions)"
    )
    return VerifyView(True, result.events, None, message, result.last_hash)
