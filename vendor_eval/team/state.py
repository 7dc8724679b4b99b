"""A project's team, as its audit log says (docs/team.md §2): the members and their roles,
the evaluators' assignments, conflict declarations, score sheets (drafts and submissions)
and the moderated consensus scores.

The team lives only in the log: every change is an event (:data:`TEAM_ACTIONS`) appended
in the changing transaction, and :func:`fold` reads the state back from the events, oldest
first. So the hash chain that protects the rest of the project protects the team too, and
``project verify``, ``db backup`` and ``db restore`` cover it with nothing added. (Sign-in
codes are the exception: they are secrets, kept hashed in their own table, never in an
event.)

Names are compared by :func:`~vendor_eval.workbook.schema.name_key` (trimmed,
case-insensitive): e-mails, vendors and criteria alike.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from vendor_eval.workbook.schema import name_key

OWNER, EVALUATOR, OBSERVER = "owner", "evaluator", "observer"
ROLES = (OWNER, EVALUATOR, OBSERVER)

#: The actions whose events make up the team.
TEAM_ACTIONS = (
    "member-add",
    "member-remove",
    "member-code",
    "assign",
    "declare",
    "score-draft",
    "score-submit",
    "sheet-reopen",
    "moderate",
)
#: The events :func:`fold` reads: the team's, the create event (the creator owns the
#: project) and imports (a new workbook version makes every issued sheet stale).
FOLDED_ACTIONS = ("create", "import", *TEAM_ACTIONS)

Pair = tuple[str, str]  # (vendor key, criterion key)


@dataclass(frozen=True)
class Member:
    email: str
    role: str
    added_by: str
    added_at: datetime


@dataclass(frozen=True)
class Score:
    """One evaluator's score of one vendor on one criterion (names as last written)."""

    vendor: str
    criterion: str
    score: float
    comment: str
    #: The criterion's scale when it was scored ((Min, Max); None in an older event): a
    #: score given on another scale no longer counts.
    scale: tuple[float, float] | None = None


@dataclass(frozen=True)
class Declaration:
    vendor: str
    conflict: bool
    note: str
    time: datetime


@dataclass(frozen=True)
class Moderation:
    vendor: str
    criterion: str
    score: float
    rationale: str
    actor: str
    time: datetime
    seq: int


@dataclass
class Sheet:
    """One evaluator's score sheet: ``scores`` by pair (the newest draft or the submission),
    ``submitted`` while locked, ``revision`` the ``seq`` of the newest event that changed
    what the sheet holds or covers (an issued offline sheet must carry it)."""

    email: str
    scores: dict[Pair, Score] = field(default_factory=dict)
    submitted: bool = False
    submitted_at: datetime | None = None
    handed_in_by: str = ""  # who submitted it (the evaluator, or an owner with their sheet)
    submissions: int = 0
    revision: int = 0


@dataclass(frozen=True)
class Assignment:
    """The criteria and categories an evaluator scores (both empty: every panel criterion)."""

    criteria: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()

    @property
    def everything(self) -> bool:
        return not self.criteria and not self.categories


@dataclass
class Team:
    creator: str = ""  # the create event's actor, as a key
    project_key: str = ""  # the project's name key (its create event's subject)
    members: dict[str, Member] = field(default_factory=dict)  # current members by e-mail key
    removed: dict[str, Member] = field(default_factory=dict)
    assignments: dict[str, Assignment] = field(default_factory=dict)
    declarations: dict[str, dict[str, Declaration]] = field(default_factory=dict)
    sheets: dict[str, Sheet] = field(default_factory=dict)
    moderation: dict[Pair, Moderation] = field(default_factory=dict)
    last_import: int = 0  # seq of the newest import event

    # -- lookups --------------------------------------------------------------------------
    def member(self, email: str) -> Member | None:
        return self.members.get(name_key(email))

    def role_of_name(self, name: str) -> str | None:
        """The role of the person called ``name`` (an e-mail, or the creator's name)."""
        key = name_key(name)
        member = self.members.get(key)
        if member is not None:
            return member.role
        if key in self.removed:  # a creator removed (or demoted, then removed) is no owner
            return None
        return OWNER if key and key == self.creator else None

    def evaluators(self) -> list[Member]:
        """The current evaluators, in the order they were added."""
        return [m for m in self.members.values() if m.role == EVALUATOR]

    def sheet(self, email: str) -> Sheet:
        """The evaluator's sheet (an empty one when they have saved nothing)."""
        key = name_key(email)
        return self.sheets.get(key) or Sheet(email=email, revision=self.revision_floor(key))

    def revision_floor(self, key: str) -> int:
        """The revision of a sheet nothing was saved on yet: the newest import or the
        newest change of the evaluator's membership, assignment or declarations."""
        sheet = self.sheets.get(key)
        return max(self.last_import, sheet.revision if sheet else 0)

    def assignment(self, email: str) -> Assignment:
        return self.assignments.get(name_key(email), Assignment())

    def conflicts(self, email: str) -> set[str]:
        """Vendor keys the evaluator declared a conflict with."""
        return {k for k, d in self.declarations.get(name_key(email), {}).items() if d.conflict}

    def declared(self, email: str) -> dict[str, Declaration]:
        return dict(self.declarations.get(name_key(email), {}))


def _float(value: Any) -> float:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0


def _scores(details: dict[str, Any]) -> dict[Pair, Score]:
    out: dict[Pair, Score] = {}
    for item in details.get("scores") or []:
        if not isinstance(item, dict):
            continue
        vendor, criterion = str(item.get("vendor", "")), str(item.get("criterion", ""))
        bounds = item.get("scale")
        scale = None
        if isinstance(bounds, list) and len(bounds) == 2:
            scale = (_float(bounds[0]), _float(bounds[1]))
        out[(name_key(vendor), name_key(criterion))] = Score(
            vendor, criterion, _float(item.get("score")), str(item.get("comment") or ""), scale
        )
    return out


class _Folder:
    def __init__(self) -> None:
        self.team = Team()

    def touch(self, email: str, seq: int) -> Sheet:
        key = name_key(email)
        sheet = self.team.sheets.get(key)
        if sheet is None:
            sheet = self.team.sheets[key] = Sheet(email=email)
        sheet.revision = seq
        return sheet

    def see(
        self, seq: int, time: datetime, actor: str, action: str, subject: str,
        details: dict[str, Any],
    ) -> None:  # fmt: skip
        team = self.team
        email = str(details.get("email", ""))
        key = name_key(email)
        if action == "create":
            team.creator = name_key(actor)
            team.project_key = name_key(subject)
        elif action == "import":
            team.last_import = seq
            for sheet in team.sheets.values():
                sheet.revision = max(sheet.revision, seq)
        elif action == "member-add":
            team.members[key] = Member(email, str(details.get("role")), actor, time)
            team.removed.pop(key, None)
            # a member added again starts afresh: the sheet and declarations of an earlier
            # membership stay in the log only
            team.sheets.pop(key, None)
            team.declarations.pop(key, None)
            team.assignments.pop(key, None)
            self.touch(email, seq)
        elif action == "member-remove":
            member = team.members.pop(key, None)
            if member is not None:
                team.removed[key] = member
            self.touch(email, seq)
        elif action == "assign":
            team.assignments[key] = Assignment(
                tuple(str(c) for c in details.get("criteria") or []),
                tuple(str(c) for c in details.get("categories") or []),
            )
            self.touch(email, seq)
        elif action == "declare":
            mine = team.declarations.setdefault(key, {})
            for d in details.get("declarations") or []:
                vendor = str(d.get("vendor", ""))
                mine[name_key(vendor)] = Declaration(
                    vendor, d.get("conflict") is True, str(d.get("note") or ""), time
                )
            self.touch(email, seq)
        elif action in ("score-draft", "score-submit"):
            sheet = self.touch(email, seq)
            sheet.scores = _scores(details)
            if action == "score-submit":
                sheet.submitted, sheet.submitted_at = True, time
                sheet.handed_in_by = actor
                sheet.submissions += 1
        elif action == "sheet-reopen":
            sheet = self.touch(email, seq)
            sheet.submitted = False
        elif action == "moderate":
            vendor, criterion = str(details.get("vendor", "")), str(details.get("criterion", ""))
            pair = (name_key(vendor), name_key(criterion))
            team.moderation[pair] = Moderation(
                vendor, criterion, _float(details.get("score")),
                str(details.get("rationale") or ""), actor, time, seq,
            )  # fmt: skip


def with_details(
    events: Iterable[Any], actions: Collection[str]
) -> Iterator[tuple[Any, dict[str, Any] | None]]:
    """Each event row of ``events`` whose ``action`` is one of ``actions``, with its details
    read (``None`` when the stored text is not a JSON object: edited behind the tool's
    back, and ``project verify`` names it). What a fold of the log reads, oldest first."""
    for row in events:
        if row.action not in actions:
            continue
        try:
            details = json.loads(row.details)
        except (ValueError, TypeError, RecursionError):
            details = None
        yield row, details if isinstance(details, dict) else None


def fold(events: Iterable[Any]) -> Team:
    """The team the events say (rows with ``seq``, ``time``, ``actor``, ``action``,
    ``details`` JSON text, oldest first; other actions are skipped)."""
    folder = _Folder()
    for row, details in with_details(events, FOLDED_ACTIONS):
        folder.see(
            row.seq, row.time, row.actor, row.action, getattr(row, "subject", ""),
            details or {},
        )  # fmt: skip
    return folder.team
