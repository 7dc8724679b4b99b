"""Evaluation projects: the rules over the database (no SQL here: every query lives in
``store/``). Every service function takes the acting :class:`Actor` first, then the
:class:`~vendor_eval.store.database.Database`, then the project's name (trimmed,
case-insensitive); each call is one transaction, and each change appends one audit event
in it. A decided project refuses every change until it is reopened with a reason.

Entry points (lazy): :func:`create_project`, :func:`list_projects`, :func:`show_project`,
:func:`set_goals`, :func:`import_workbook`, :func:`current_evaluation`,
:func:`rank_project`, :func:`sensitivity_project`, :func:`update_settings`,
:func:`save_scenario`, :func:`delete_scenario`, :func:`set_status`, :func:`decide`,
:func:`reopen`, :func:`history`, :func:`verify_project`, :func:`goal_warnings`.
"""

from __future__ import annotations

from vendor_eval._lazy import lazy_exports

_EXPORTS = {
    "Actor": "vendor_eval.projects.actor",
    "local_actor": "vendor_eval.projects.actor",
    "ProjectError": "vendor_eval.projects.errors",
    "ProjectNotFound": "vendor_eval.projects.errors",
    "ProjectChanged": "vendor_eval.projects.errors",
    "ProjectReadOnly": "vendor_eval.projects.errors",
    "DuplicateProject": "vendor_eval.projects.errors",
    "create_project": "vendor_eval.projects.lifecycle",
    "list_projects": "vendor_eval.projects.lifecycle",
    "show_project": "vendor_eval.projects.lifecycle",
    "set_goals": "vendor_eval.projects.lifecycle",
    "set_status": "vendor_eval.projects.lifecycle",
    "import_workbook": "vendor_eval.projects.versions",
    "current_evaluation": "vendor_eval.projects.versions",
    "rank_project": "vendor_eval.projects.analysis",
    "sensitivity_project": "vendor_eval.projects.analysis",
    "update_settings": "vendor_eval.projects.analysis",
    "save_scenario": "vendor_eval.projects.analysis",
    "delete_scenario": "vendor_eval.projects.analysis",
    "decide": "vendor_eval.projects.decision",
    "reopen": "vendor_eval.projects.decision",
    "history": "vendor_eval.projects.audit_log",
    "verify_project": "vendor_eval.projects.audit_log",
    "goal_warnings": "vendor_eval.projects.goals",
    "ProjectSummary": "vendor_eval.projects.views",
    "ProjectView": "vendor_eval.projects.views",
    "VersionView": "vendor_eval.projects.views",
    "ScenarioView": "vendor_eval.projects.views",
    "DecisionView": "vendor_eval.projects.views",
    "EventView": "vendor_eval.projects.views",
    "VerifyView": "vendor_eval.projects.views",
    "STATUSES": "vendor_eval.projects.rules",
}
__all__ = list(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
