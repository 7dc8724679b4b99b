"""The audit log's hash chain: rows, not rules (which changes are audited is the projects
stage's business; how an event is chained and checked is decided here, once).

Each project's events form one chain, ``seq`` 1, 2, 3, … The bytes hashed for an event are::

    prev_hash.encode("ascii") + canonical_json(event)

where ``prev_hash`` is the previous event's ``hash`` as 64 lower-case hex digits (64 zeros,
:data:`GENESIS`, for the first event) and ``canonical_json(event)`` is the UTF-8 encoding
of ``json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
allow_nan=False)`` of the object::

    {"action": …, "actor": …, "details": {…}, "seq": …, "subject": …,
     "time": "YYYY-MM-DDTHH:MM:SS.ffffffZ"}

(``time`` in UTC with exactly six decimals). The event's ``hash`` is the SHA-256 of those
bytes in lower-case hex, so the chain can be checked with ``sha256sum`` alone. The project's
database id is not hashed: a chain still verifies after a backup is restored elsewhere.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from vendor_eval.store.models import GENESIS, Event, Project, utc_now

__all__ = [
    "GENESIS",
    "EventFields",
    "append_event",
    "canonical_text",
    "event_count",
    "event_hash",
    "fields_of",
    "format_time",
    "verify_chain",
]


def canonical_text(obj: object) -> str:
    """``obj`` as canonical JSON text: sorted keys, no whitespace, non-ASCII kept, no NaN."""
    return json.dumps(
        obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )


def format_time(time: datetime) -> str:
    """A UTC time as hashed: ``2026-12-01T09:30:00.000000Z``."""
    if time.tzinfo is None:
        raise ValueError(f"naive datetime {time!r}: audit times are timezone-aware UTC")
    # isoformat, not strftime: twice as fast, and the year always has four digits
    return time.astimezone(UTC).isoformat(timespec="microseconds")[:-6] + "Z"


@dataclass(frozen=True)
class EventFields:
    """What is hashed of an event (besides the previous hash)."""

    seq: int
    time: datetime
    actor: str
    action: str
    subject: str
    details: dict[str, Any]

    def canonical_json(self) -> bytes:
        return canonical_text(
            {
                "action": self.action,
                "actor": self.actor,
                "details": self.details,
                "seq": self.seq,
                "subject": self.subject,
                "time": format_time(self.time),
            }
        ).encode("utf-8")


def event_hash(prev_hash: str, fields: EventFields) -> str:
    """``sha256(prev_hash as ASCII hex ‖ canonical JSON)`` in lower-case hex."""
    return hashlib.sha256(prev_hash.encode("ascii") + fields.canonical_json()).hexdigest()


def append_event(
    session: Session,
    project_id: int,
    actor: str,
    action: str,
    subject: str,
    details: dict[str, Any] | None = None,
    *,
    time: datetime | None = None,
) -> Event:
    """Add the project's next event to the session's transaction and return it.

    The project row is locked first (``SELECT … FOR UPDATE`` on PostgreSQL; on SQLite a
    write session already holds the database's write lock), so concurrent writers take
    consecutive ``seq`` numbers instead of colliding. The project's chain head
    (``event_count``, ``last_hash``) is set in the same flush, which also bumps its
    optimistic ``version``: every event is one new project version. (Change the project's
    own columns before calling this, not after, so the event and the change are one
    version.)
    """
    with session.no_autoflush:
        project = session.get(Project, project_id, with_for_update=True)
        if project is None:
            raise ValueError(f"no project with id {project_id}")
        last = session.execute(
            select(Event.seq, Event.hash)
            .where(Event.project_id == project_id)
            .order_by(Event.seq.desc())
            .limit(1)
        ).first()
    seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
    # microseconds are the precision both backends keep
    fields = EventFields(seq, time or utc_now(), actor, action, subject, dict(details or {}))
    details_text = canonical_text(fields.details)
    row = Event(
        project_id=project_id,
        seq=seq,
        time=fields.time,
        actor=actor,
        action=action,
        subject=subject,
        details=details_text,
        prev_hash=prev,
        hash=event_hash(prev, fields),
    )
    session.add(row)
    project.event_count = seq
    project.last_hash = row.hash
    session.flush()
    return row


def fields_of(row: Any) -> EventFields:
    """The hashed fields of a stored event row (an :class:`Event` or a result row)."""
    return EventFields(
        seq=row.seq,
        time=row.time,
        actor=row.actor,
        action=row.action,
        subject=row.subject,
        details=json.loads(row.details),
    )


def verify_chain(session: Session, project_id: int) -> int | None:
    """The ``seq`` of the project's first event that does not match the chain or the chain
    head the project recorded, or None: :func:`vendor_eval.store.integrity.check` without
    the replay (the one implementation of the check; ``project verify`` adds the replay).

    An event is bad when its ``seq`` is not the next number, its ``prev_hash`` is not the
    previous event's hash, or its hash is not the recomputed one; the log is bad where it
    parts from the recorded head (newest events deleted, added or replaced).
    """
    from vendor_eval.store.integrity import check  # integrity builds on this module
    from vendor_eval.store.queries import integrity_rows

    project = session.get(Project, project_id)
    if project is None:
        raise ValueError(f"no project with id {project_id}")
    problem = check(integrity_rows(session, project), replay_log=False).problem
    return None if problem is None else problem.seq


def event_count(session: Session, project_id: int) -> int:
    """How many events the project has."""
    return (
        session.scalar(
            select(func.count()).select_from(Event).where(Event.project_id == project_id)
        )
        or 0
    )
