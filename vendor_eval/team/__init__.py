"""Team evaluation: members and roles, sign-in, permissions (decided only in
:mod:`vendor_eval.team.access`), conflict-of-interest declarations, independent scoring in
the browser and on offline score sheets, disagreement, moderation and calibration
(docs/team.md).

Every service function takes the acting :class:`~vendor_eval.projects.actor.Actor` first,
then the :class:`~vendor_eval.store.database.Database`, then the project's name, and asks
:func:`vendor_eval.team.access.require` before it reads or writes; every change is one
audit event in one transaction.
"""

from __future__ import annotations

from vendor_eval._lazy import lazy_exports

_EXPORTS = {
    "Action": "vendor_eval.team.access",
    "can": "vendor_eval.team.access",
    "check": "vendor_eval.team.access",
    "PermissionDenied": "vendor_eval.team.errors",
    "SignInRefused": "vendor_eval.team.errors",
    "SheetRefused": "vendor_eval.team.errors",
    "ROLES": "vendor_eval.team.state",
    "add_member": "vendor_eval.team.members",
    "remove_member": "vendor_eval.team.members",
    "list_members": "vendor_eval.team.members",
    "issue_code": "vendor_eval.team.members",
    "assign": "vendor_eval.team.members",
    "sign_in": "vendor_eval.team.signin",
    "declare": "vendor_eval.team.scoring",
    "my_sheet": "vendor_eval.team.scoring",
    "save_scores": "vendor_eval.team.scoring",
    "reopen_sheet": "vendor_eval.team.scoring",
    "scoresheet": "vendor_eval.team.sheets",
    "submit_sheet": "vendor_eval.team.sheets",
    "disagreements": "vendor_eval.team.moderation",
    "moderate": "vendor_eval.team.moderation",
    "calibration": "vendor_eval.team.moderation",
    "panel_summary": "vendor_eval.team.moderation",
}
__all__ = list(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
