"""The award report, a PDF (docs/report.md): :func:`report_pdf`, fed by the evaluation, its
ranking and its stress-test report, with a project's facts (:class:`ProjectFacts`) when
there is a project."""

from __future__ import annotations

from vendor_eval.output.report.award import render_report, report_pdf
from vendor_eval.output.report.facts import (
    AuditFacts,
    Decision,
    Goal,
    ModerationEntry,
    PanelMember,
    ProjectFacts,
    VersionFacts,
    facts_from,
)

__all__ = [
    "AuditFacts",
    "Decision",
    "Goal",
    "ModerationEntry",
    "PanelMember",
    "ProjectFacts",
    "VersionFacts",
    "facts_from",
    "render_report",
    "report_pdf",
]
