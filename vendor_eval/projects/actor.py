"""Who acts: every service function takes the acting :class:`Actor` first and writes its
name into the event it records. Which role the actor has in a project, and so what it may
do, is decided by :mod:`vendor_eval.team.access`; a signed-in actor's name is its e-mail.

Light on purpose (no pandas): the command line builds an actor before it knows what it
will run.
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass

from vendor_eval.core.problems import VendorEvalError
from vendor_eval.workbook.text_rules import name_problem

#: Who acts when the operating system does not say.
FALLBACK_NAME = "local user"


@dataclass(frozen=True)
class Actor:
    """The person acting. ``name`` is stored trimmed; it must be a name
    (:func:`~vendor_eval.workbook.text_rules.name_problem`: not blank, at most
    :data:`~vendor_eval.core.limits.MAX_NAME_LENGTH` characters, no control, line-break,
    text-direction or non-UTF-8 characters): it is written into the audit log and shown to
    others."""

    name: str
    #: True for a person who signed in (team mode: a one-time code, a trusted proxy's
    #: identity header or OIDC); False for the local user of the command line or of a
    #: dashboard without sign-in, who holds the database itself. Roles: docs/team.md §1.
    signed_in: bool = False
    #: The name key of the one project a one-time code signed this actor in for (None:
    #: every project where their e-mail is a member, as a trusted proxy or OIDC says). A
    #: code proves only that the owner of that project issued it, so it gives no role
    #: anywhere else.
    scope: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.name, str):
            raise VendorEvalError("the acting user's name must be text")
        problem = name_problem(self.name)
        if problem is not None:
            raise VendorEvalError(f"the acting user's name {problem}")
        object.__setattr__(self, "name", self.name.strip())

    def __str__(self) -> str:
        return self.name


def local_actor() -> Actor:
    """The operating system's user name, or "local user" when it cannot be told."""
    try:
        return Actor(getpass.getuser())
    except (KeyError, OSError, ImportError, VendorEvalError):
        return Actor(FALLBACK_NAME)
