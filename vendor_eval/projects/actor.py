"""Who acts: every service function takes the acting :class:`Actor` first and writes its
name into the event it records. Until sign-in exists (the team issue adds roles and
permissions on top) the actor is the local user (:func:`local_actor`).

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
