"""Signing in with a one-time code (docs/team.md §3).

A code is looked up by its SHA-256; it signs in the member it was issued to once: a used,
expired or revoked code, or the code of a member since removed, is refused with the same
sentence (which one is not said). Five failed attempts within a minute from one client (a
browser session) lock sign-in for that client until a minute after the fifth: attempts
while locked are refused without looking at the code. Attempts are kept in the database
so that every app process behind a load balancer counts the same ones.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from vendor_eval.projects.actor import Actor
from vendor_eval.projects.rules import team_of
from vendor_eval.store import signin_queries as sq
from vendor_eval.store.audit import append_event
from vendor_eval.store.database import Database
from vendor_eval.store.models import Project, utc_now
from vendor_eval.team.errors import SignInRefused
from vendor_eval.team.members import code_hash

#: Failed attempts within :data:`WINDOW` that lock a client out.
MAX_FAILURES = 5
WINDOW = timedelta(minutes=1)
#: Longer input is not a code (and is not hashed).
MAX_CODE_LENGTH = 200
INVALID = (
    "that sign-in code is not valid (wrong, already used, expired or revoked): ask the "
    "project owner for a new one"
)


@dataclass(frozen=True)
class SignedIn:
    """Who signed in, for which project, as a signed-in :class:`Actor` (name = e-mail)."""

    actor: Actor
    project: str
    role: str


def client_key(client: str) -> str:
    """What is stored of a client id (a session id): its SHA-256."""
    return hashlib.sha256(str(client).encode("utf-8", "replace")).hexdigest()


def _locked(failures: list[datetime], now: datetime) -> datetime | None:
    """Until when failures lock (any failure that was the fifth within a minute locks for a
    minute after it), or None."""
    until = None
    for first, fifth in zip(failures, failures[MAX_FAILURES - 1 :], strict=False):
        if fifth - first <= WINDOW and now < fifth + WINDOW:
            until = fifth + WINDOW
    return until


def locked_until(db: Database, client: str, *, now: datetime | None = None) -> datetime | None:
    """When the client may try again, or None if it is not locked."""
    now = now or utc_now()
    with db.read() as s:
        return _locked(sq.failed_attempts(s, client_key(client), now - 2 * WINDOW), now)


def sign_in(db: Database, code: str, *, client: str, now: datetime | None = None) -> SignedIn:
    """The member the code was issued to, signed in for that project (the code is used up;
    event "sign-in" {email, role, via}); refused (:class:`SignInRefused`) for an invalid
    code or a locked client. The lock is read in the same write transaction that records
    the attempt, so attempts at the same moment cannot all slip under it."""
    now = now or utc_now()
    text = code.strip() if isinstance(code, str) else ""
    key = client_key(client)
    signed: SignedIn | None = None
    with db.write() as s:
        until = _locked(sq.failed_attempts(s, key, now - 2 * WINDOW), now)
        if until is not None:
            wait = max(1, int((until - now).total_seconds() + 0.999))
            raise SignInRefused(f"too many failed sign-in attempts: try again in {wait} s")
        row = sq.code_by_hash(s, code_hash(text)) if 0 < len(text) <= MAX_CODE_LENGTH else None
        if (
            row is not None
            and row.used_at is None
            and row.revoked_at is None
            and now < row.expires_at
        ):
            project = s.get(Project, row.project_id)
            member = None if project is None else team_of(s, project).members.get(row.email_key)
            if project is not None and member is not None:
                row.used_at = now
                actor = Actor(member.email, signed_in=True, scope=project.name_key)
                signed = SignedIn(actor, project.name, member.role)
                append_event(
                    s, project.id, member.email, "sign-in", member.email,
                    {"email": member.email, "role": member.role, "via": "code"},
                )  # fmt: skip
        sq.add_attempt(s, key, now, ok=signed is not None)
    if signed is None:
        raise SignInRefused(INVALID)
    return signed
