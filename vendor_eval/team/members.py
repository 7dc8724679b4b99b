"""A project's members: adding (with a one-time sign-in code), removing, listing, new codes,
and which criteria an evaluator scores (docs/team.md §1–§3).

Only an owner manages members, and not while the project is decided. Each change is one
event: "member-add" {email, role, expires}, "member-remove" {email, revoked},
"member-code" {email, expires}, "assign" {email, criteria, categories}. A sign-in code is
returned once by the call that issues it and never stored (only its SHA-256 is).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from vendor_eval.projects.actor import Actor
from vendor_eval.projects.errors import ProjectError, quoted
from vendor_eval.projects.rules import clean_name, find, opened, precheck, team_of, writing
from vendor_eval.projects.versions import snapshot
from vendor_eval.store import queries as q
from vendor_eval.store import signin_queries as sq
from vendor_eval.store.audit import append_event, format_time
from vendor_eval.store.database import Database, Session
from vendor_eval.store.models import Project, utc_now
from vendor_eval.team.access import Action, Resource, can, require
from vendor_eval.team.state import EVALUATOR, OWNER, ROLES, Assignment, Member, Team
from vendor_eval.workbook.schema import name_key

#: How long a sign-in code stays valid unless told otherwise.
CODE_DAYS = 14
#: The most days a code may be valid.
MAX_CODE_DAYS = 90
#: Random bytes in a code: 18 bytes = 144 bits, 24 URL-safe characters.
CODE_BYTES = 18
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")


@dataclass(frozen=True)
class Issued:
    """A member just added, or given a new code: the code is shown once, here."""

    email: str
    role: str
    code: str
    expires_at: datetime


@dataclass(frozen=True)
class MemberView:
    email: str
    role: str
    added_by: str
    added_at: datetime
    criteria: tuple[str, ...]  # an evaluator's assignment (both empty: every panel criterion)
    categories: tuple[str, ...]
    #: Progress, shown to owners only (None for anyone else): "not started", "draft",
    #: "submitted".
    sheet: str | None = None

    def to_dict(self) -> dict[str, object]:
        return {
            "email": self.email,
            "role": self.role,
            "added_by": self.added_by,
            "added_at": format_time(self.added_at),
            "criteria": list(self.criteria),
            "categories": list(self.categories),
            "sheet": self.sheet,
        }


def clean_email(value: object) -> str:
    """An e-mail address: one line, trimmed, ``local@domain.tld``, ASCII only (a look-alike
    or invisible character must not make another member's address), at most 200
    characters."""
    text = clean_name(value, "the e-mail address")
    if not text.isascii() or not _EMAIL.fullmatch(text):  # no look-alikes, no invisibles
        raise ProjectError(f"{quoted(text)} is not an e-mail address (name@example.org)")
    return text


def _role(value: object) -> str:
    role = str(value).strip().casefold()
    if role not in ROLES:
        raise ProjectError(f"unknown role {quoted(str(value).strip())} ({', '.join(ROLES)})")
    return role


def _days(value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_CODE_DAYS:
        raise ProjectError(f"a sign-in code is valid for 1 to {MAX_CODE_DAYS} days (not {value!r})")
    return value


def code_hash(code: str) -> str:
    """What is stored of a code: its SHA-256 (a code carries 144 random bits)."""
    return hashlib.sha256(code.strip().encode("utf-8")).hexdigest()


def _new_code(s: Session, project: Project, email: str, days: int) -> tuple[str, datetime]:
    """A fresh code for the member (their unused codes revoked first)."""
    now = utc_now()
    sq.revoke_codes(s, project.id, name_key(email), now)
    code = secrets.token_urlsafe(CODE_BYTES)
    expires = now + timedelta(days=days)
    sq.add_code(
        s, project.id, email_key=name_key(email), code_hash=code_hash(code), expires_at=expires
    )
    return code, expires


def add_member(
    actor: Actor,
    db: Database,
    name: str,
    email: str,
    role: str,
    *,
    days: int = CODE_DAYS,
    base_version: int | None = None,
) -> Issued:
    """Add a member with a role and issue their first sign-in code (valid ``days``). A
    current member is refused (remove them first to change the role)."""
    precheck(db, actor, name, base_version, action=Action.MANAGE_MEMBERS)
    address, kind, valid = clean_email(email), _role(role), _days(days)
    with writing(db, name) as s:
        project, team = opened(s, actor, name, base_version, action=Action.MANAGE_MEMBERS)
        current = team.member(address)
        if current is not None:
            raise ProjectError(
                f"{current.email} is already a member of {project.name} ({current.role}): "
                "remove them first to change the role"
            )
        code, expires = _new_code(s, project, address, valid)
        append_event(
            s, project.id, actor.name, "member-add", address,
            {"email": address, "role": kind, "expires": format_time(expires)},
        )  # fmt: skip
        return Issued(address, kind, code, expires)


def issue_code(
    actor: Actor,
    db: Database,
    name: str,
    email: str,
    *,
    days: int = CODE_DAYS,
    base_version: int | None = None,
) -> Issued:
    """A new sign-in code for a member (their unused codes are revoked)."""
    valid = _days(days)
    with writing(db, name) as s:
        project, team = opened(s, actor, name, base_version, action=Action.ISSUE_CODE)
        member = _member(project, team, email)
        code, expires = _new_code(s, project, member.email, valid)
        append_event(
            s, project.id, actor.name, "member-code", member.email,
            {"email": member.email, "expires": format_time(expires)},
        )  # fmt: skip
        return Issued(member.email, member.role, code, expires)


def _member(project: Project, team: Team, email: str) -> Member:
    member = team.member(str(email))
    if member is None:
        known = ", ".join(m.email for m in team.members.values()) or "no members yet"
        raise ProjectError(f"{str(email).strip()} is not a member of {project.name} ({known})")
    return member


def remove_member(
    actor: Actor, db: Database, name: str, email: str, *, base_version: int | None = None
) -> str:
    """Remove a member: their codes are revoked at once and a removed evaluator's scores
    no longer count (the log keeps them). Returns a sentence saying what happened."""
    with writing(db, name) as s:
        project, team = opened(s, actor, name, base_version, action=Action.MANAGE_MEMBERS)
        member = _member(project, team, email)
        revoked = sq.revoke_codes(s, project.id, name_key(member.email), utc_now())
        append_event(
            s, project.id, actor.name, "member-remove", member.email,
            {"email": member.email, "role": member.role, "revoked": revoked},
        )  # fmt: skip
        sheet = team.sheets.get(name_key(member.email))
        note = (
            ": their submitted scores no longer count"
            if member.role == EVALUATOR and sheet is not None and sheet.submitted
            else ""
        )
        return f"{member.email} ({member.role}) removed from {project.name}{note}"


def _names(values: Sequence[str] | str, what: str) -> list[str]:
    if isinstance(values, str):
        values = [values]
    out: list[str] = []
    for v in values:
        if v is None or not name_key(v):
            continue
        text = clean_name(v, what)
        if name_key(text) not in {name_key(o) for o in out}:
            out.append(text)
    return out


def assign(
    actor: Actor,
    db: Database,
    name: str,
    email: str,
    *,
    criteria: Sequence[str] = (),
    categories: Sequence[str] = (),
    base_version: int | None = None,
) -> Assignment:
    """Which panel criteria an evaluator scores: the ``criteria`` named and every panel
    criterion of the ``categories`` named (both empty: every panel criterion, the default).
    Each must be a panel criterion (or a category holding one) of the current workbook."""
    precheck(db, actor, name, base_version, action=Action.MANAGE_MEMBERS)
    wanted_c = _names(criteria, "a criterion")
    wanted_g = _names(categories, "a category")
    with db.read() as s:
        snap = snapshot(s, find(s, name, actor=actor))
    panel = snap.workbook_evaluation().panel_criteria if snap.workbook is not None else []
    by_c = {name_key(c.name): c.name for c in panel}
    by_g = {name_key(c.category): c.category for c in panel}
    for given, known, what, plural in (
        (wanted_c, by_c, "criterion", "criteria"),
        (wanted_g, by_g, "category", "categories"),
    ):
        for text in given:
            if name_key(text) not in known:
                listed = ", ".join(dict.fromkeys(known.values())) or "none in the current workbook"
                raise ProjectError(
                    f"{quoted(text)} is not a panel {what} of {snap.name} "
                    f"(panel {plural}: {listed})"
                )
    chosen = Assignment(
        tuple(by_c[name_key(t)] for t in wanted_c), tuple(by_g[name_key(t)] for t in wanted_g)
    )
    with writing(db, name) as s:
        project, team = opened(s, actor, name, base_version, action=Action.MANAGE_MEMBERS)
        member = _member(project, team, email)
        if member.role != EVALUATOR:
            raise ProjectError(f"{member.email} is an {member.role}: only evaluators score")
        append_event(
            s, project.id, actor.name, "assign", member.email,
            {"email": member.email, "criteria": list(chosen.criteria),
             "categories": list(chosen.categories)},
        )  # fmt: skip
        return chosen


def list_members(actor: Actor, db: Database, name: str) -> list[MemberView]:
    """The project's members in the order they were added (the creator first, as owner,
    when not a member); the sheets' progress only for an owner."""
    with db.read() as s:
        project = find(s, name, actor=actor)
        team = team_of(s, project)
        resource = Resource(project.name, project.status, team)
        require(actor, Action.READ_PROJECT, resource)
        owner = can(actor, Action.READ_CALIBRATION, resource)
        out = []
        for key, m in team.members.items():
            a = team.assignments.get(key, Assignment())
            sheet = team.sheets.get(key)
            progress = None
            if owner and m.role == EVALUATOR:
                progress = (
                    "submitted" if sheet is not None and sheet.submitted
                    else "draft" if sheet is not None and sheet.scores else "not started"
                )  # fmt: skip
            out.append(MemberView(m.email, m.role, m.added_by, m.added_at, a.criteria,
                                  a.categories, progress))  # fmt: skip
        # the creator owns it while neither a member (listed above) nor removed
        if team.creator and team.creator not in team.members | team.removed:
            created = q.events(s, project.id, ["create"])[0]
            out.insert(0, MemberView(created.actor, OWNER, created.actor, created.time, (), ()))
        return out
