"""The team stage's refusals: each one plain sentence, printed by the CLI as ``error: …``
(exit 2) and shown by the dashboard with ``st.error``."""

from __future__ import annotations

from vendor_eval.projects.errors import ProjectError


class PermissionDenied(ProjectError):
    """The actor's role (or the project's status) does not allow the action."""


class SignInRefused(ProjectError):
    """A sign-in code that is wrong, used, expired or revoked, or sign-in is locked."""


class SheetRefused(ProjectError):
    """A returned score sheet that cannot be taken (another project or evaluator, stale,
    edited cells, scores off the scale)."""
