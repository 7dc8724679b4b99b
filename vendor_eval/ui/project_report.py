"""A project's award report on the dashboard (docs/report.md §3): a button that writes it,
then its download. The report is the project's record as the service reads it
(:func:`vendor_eval.team.record.award_record`: the project's settings and weights, the
panel, the moderation log, the decision, the audit chain), never the weights being tried
on screen. The button shows only to whoever the service lets make it (owners; observers
once the project is decided); a refusal in between is said with ``st.error``."""

from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st

from vendor_eval.core.problems import VendorEvalError
from vendor_eval.projects.actor import Actor
from vendor_eval.projects.views import ProjectView
from vendor_eval.ui import state
from vendor_eval.ui.text import md

__all__ = ["build_project_report", "render_project_report"]

PDF_MIME = "application/pdf"
_HELD = "project_report_pdf"


def build_project_report(actor: Actor, db: Any, name: str) -> bytes:
    """The project's award report as PDF bytes (what ``project report NAME`` writes)."""
    from vendor_eval.charts.award import report_inputs
    from vendor_eval.output.report import facts_from, render_report
    from vendor_eval.output.report.figures import browser_started
    from vendor_eval.team.record import award_record

    with browser_started():  # Chromium starts while the project is read and analysed
        record = award_record(actor, db, name)
        report = render_report(
            record.evaluation,
            record.ranking,
            record.sensitivity,
            title=f"Award report: {record.name}",
            generated=dt.datetime.now(dt.UTC).replace(microsecond=0),
            project=facts_from(record),
            **report_inputs(record.ranking, record.sensitivity),
        )
    return report.pdf


def render_project_report(actor: Actor, db: Any, view: ProjectView) -> None:
    """The award report's button and, once written, its download (nothing for a reader
    the service would refuse)."""
    from vendor_eval.team.record import may_report

    try:
        if not may_report(actor, db, view.name):
            return
    except VendorEvalError:
        return
    ss = st.session_state
    # the project as read (its version) and who asked: another reader gets their own report
    wanted = (view.name, view.version, actor.name)
    if st.button(
        "Award report (.pdf)",
        key=state.key("project_report_make"),
        icon=":material/picture_as_pdf:",
        help="The project's decision record as a PDF (docs/report.md): goals, the panel and "
        "its conflict declarations, method, weights, gates, ranking, strengths and "
        "weaknesses, head-to-head, robustness, the moderation log, the decision, every "
        "workbook version's SHA-256 and the audit chain, checked. The project's own "
        "settings and weights, not the ones being tried on screen. Takes a few seconds.",
    ):
        try:
            with st.spinner("Writing the award report…"):
                ss[state.key(_HELD)] = (wanted, build_project_report(actor, db, view.name))
        except VendorEvalError as e:
            ss.pop(state.key(_HELD), None)
            st.error(f"No award report: {md(e)}", icon=":material/error:")
            return
    held = ss.get(state.key(_HELD))
    if held is None or held[0] != wanted:
        return
    stem = "".join(c if c.isalnum() or c in "-_" else "_" for c in view.name)
    st.download_button(
        "Download the award report",
        data=held[1],
        file_name=f"{stem}_award_report.pdf",
        mime=PDF_MIME,
        key=state.key("project_report_download"),
        on_click="ignore",
        type="primary",
        icon=":material/download:",
    )
