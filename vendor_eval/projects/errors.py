"""The projects stage's refusals: each one plain sentence (a
:class:`~vendor_eval.core.problems.VendorEvalError`), printed by the CLI as ``error: …``
(exit 2) and shown by the dashboard with ``st.error``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from vendor_eval.core.problems import VendorEvalError

#: The most problems one refusal lists.
MAX_LISTED = 50


class ProjectError(VendorEvalError):
    """A project change or read that the rules refuse. ``problems`` lists what is wrong
    when there are several (each one line, shown under the ``headline``; ``str()`` has
    both, the CLI prints each problem on a line of its own)."""

    def __init__(self, message: str, problems: Sequence[str] = ()) -> None:
        self.headline = message
        listed = list(problems)
        if len(listed) > MAX_LISTED:  # a sheet with 200,000 wrong rows: the first ones say it
            more = len(listed) - MAX_LISTED
            listed = [*listed[:MAX_LISTED], f"… and {more} more problems"]
        self.problems = tuple(listed)
        super().__init__(message + "".join(f"\n- {p}" for p in self.problems))


class ProjectNotFound(ProjectError):
    """No project has that name."""


class ProjectChanged(ProjectError):
    """The project changed since the caller read it (its version moved on): nothing was
    written; reload and try again."""


class ProjectReadOnly(ProjectError):
    """The project is decided: every change waits until it is reopened with a reason."""


class DuplicateProject(ProjectError):
    """Another project already has that name (compared trimmed, case-insensitively)."""


def quoted(text: str) -> str:
    """``'text'``: how names appear in messages."""
    return f"'{text}'"


def clock(time: datetime) -> str:
    """``2026-12-01 09:30:00`` (UTC)."""
    return time.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


def not_found(name: str, names: Sequence[str]) -> ProjectNotFound:
    """ "no project named 'X' (projects: A, B)" or "… (no projects yet)"."""
    known = f"projects: {', '.join(names)}" if names else "no projects yet"
    return ProjectNotFound(f"no project named {quoted(name.strip())} ({known})")


def changed(actor: str, time: datetime) -> ProjectChanged:
    """ "the project changed since you opened it (by X at 2026-12-01 09:30:00 UTC): reload"."""
    return ProjectChanged(
        f"the project changed since you opened it (by {actor} at {clock(time)} UTC): reload"
    )


def read_only(name: str, winner: str, actor: str, time: datetime) -> ProjectReadOnly:
    """ "X is decided (winner W, by A on 2026-12-01): reopen it first with a reason"."""
    day = time.astimezone(UTC).strftime("%Y-%m-%d")
    return ProjectReadOnly(
        f"{name} is decided (winner {winner}, by {actor} on {day}): reopen it first with a reason"
    )


def duplicate(name: str) -> DuplicateProject:
    """ "a project named 'X' already exists"."""
    return DuplicateProject(f"a project named {quoted(name)} already exists")
