"""A decided project's performance section (docs/monitoring.md §3): the awarded vendor's
monitoring from the stored periods; for the owner also the import of a monitoring workbook,
the pre-filled template and the corrective actions' updates.

Every read and change is a call of :mod:`vendor_eval.monitoring.project`, which decides who
may (an evaluator or observer who may not is shown nothing here: the service refuses).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st

from vendor_eval.core.problems import VendorEvalError
from vendor_eval.monitoring.scoring import ACTION_STATUSES, Action
from vendor_eval.projects.actor import Actor
from vendor_eval.ui import state
from vendor_eval.ui.text import md

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _label(a: Action) -> str:
    return f"{a.kpi} — opened {a.period.label} ({a.vendor}, {a.status})"


def _template(actor: Actor, db: Any, name: str) -> bytes:
    from vendor_eval.monitoring.project import template_for
    from vendor_eval.output.excel.monitoring_template import monitoring_template_bytes

    vendors, kpis = template_for(actor, db, name)
    return monitoring_template_bytes(vendors=vendors, kpis=kpis)


def _render_import(actor: Actor, db: Any, name: str, gen: int) -> None:
    from vendor_eval.monitoring.project import ImportSummary, import_results
    from vendor_eval.ui.project_view import act

    left, right = st.columns([3, 2])
    upload = left.file_uploader(
        "Monitoring workbook (.xlsx)",
        type=["xlsx", "xlsm"],
        key=state.key(f"perf_import_{gen}"),
        help="Its KPIs and standings replace the project's; each period it holds replaces "
        "that period's stored results. Nothing is stored if it has an error.",
    )
    try:
        template = _template(actor, db, name)
    except VendorEvalError:
        template = b""
    right.download_button(
        "Pre-filled monitoring template (.xlsx)",
        data=template,
        file_name="monitoring.xlsx",
        mime=XLSX_MIME,
        key=state.key("perf_project_template"),
        on_click="ignore",
        icon=":material/download:",
        disabled=not template,
        help="The awarded vendor and the project's KPIs (before the first import: KPIs "
        "proposed from the service-level criteria, the vendor's own answers as targets).",
    )
    if upload is not None and left.button("Import results", key=state.key(f"perf_import_go_{gen}")):
        data, file_name = upload.getvalue(), upload.name

        def done(s: ImportSummary) -> str:
            span = (
                ", ".join(s.periods)
                if len(s.periods) <= 3
                else (f"{s.periods[0]} to {s.periods[-1]}")
            )
            opened = f"; {len(s.opened)} corrective action(s) opened" if s.opened else ""
            replaced = f"; replaced {', '.join(s.replaced)}" if s.replaced else ""
            shown = span or "no periods"
            return f"Stored {s.results} results of {s.file} ({shown}){replaced}{opened}."

        act(lambda: import_results(actor, db, name, data, file_name=file_name), done,
            file_name=file_name)  # fmt: skip


def _render_action_form(actor: Actor, db: Any, name: str, actions: list[Action], gen: int) -> None:
    from vendor_eval.monitoring.project import update_action
    from vendor_eval.ui.project_view import act

    if not actions:
        return
    st.markdown("**Update a corrective action**")
    index = st.selectbox(
        "Action",
        range(len(actions)),
        format_func=lambda i: _label(actions[i]),
        key=state.key(f"perf_action_pick_{gen}"),
    )
    a = actions[int(index or 0)]
    k = f"{gen}_{index}"  # the fields start from the chosen action's values
    with st.form(state.key(f"perf_action_{k}")):
        c1, c2, c3 = st.columns(3)
        owner = c1.text_input("Owner", value=a.owner, key=state.key(f"perf_owner_{k}"))
        due = c2.date_input("Due", value=a.due, key=state.key(f"perf_due_{k}"))
        at = ACTION_STATUSES.index(a.status) if a.status in ACTION_STATUSES else 0
        status = c3.selectbox(
            "Status", ACTION_STATUSES, index=at, key=state.key(f"perf_status_{k}")
        )
        closed = st.date_input(
            "Closed on (for a closed action; empty: today)",
            value=a.closed,
            key=state.key(f"perf_closed_{k}"),
        )
        note = st.text_input("Note", value=a.note, key=state.key(f"perf_note_{k}"))
        if st.form_submit_button("Save the action", key=state.key("perf_action_submit")):
            closed_value = closed if status == "closed" and isinstance(closed, dt.date) else None
            changed: dict[str, Any] = {
                "owner": owner if owner != a.owner else None,
                "note": note if note != a.note else None,
                "due": due if isinstance(due, dt.date) and due != a.due else None,
                "status": status if status != a.status else None,
                "closed": closed_value if closed_value != a.closed else None,
            }
            act(
                lambda: update_action(
                    actor,
                    db,
                    name,
                    a.kpi,
                    a.period.label,
                    vendor=a.vendor,
                    **changed,
                ),
                lambda saved: (
                    f"Saved the action {saved.kpi} of {saved.period.label}: {saved.status}."
                ),
            )


def render_project_performance(
    actor: Actor, db: Any, name: str, *, owner: bool, gen: int = 0
) -> None:
    """The decided project's monitoring (and, for the owner, its import and actions)."""
    from vendor_eval.monitoring.project import project_monitoring
    from vendor_eval.ui.performance import render_monitoring

    st.subheader("Performance against the contract", anchor=False)
    try:
        result = project_monitoring(actor, db, name)
    except VendorEvalError as e:
        st.error(md(e), icon=":material/error:")
        return
    if owner:
        _render_import(actor, db, name, gen)
    if not any(v.periods for v in result.vendors.values()):
        st.info(
            "No results stored yet: import the monitoring workbook (download the pre-filled "
            "template above)."
            if owner
            else "No results stored yet.",
            icon=":material/monitoring:",
        )
    render_monitoring(result, key=state.key("proj_perf"), title=name)
    if owner:
        _render_action_form(actor, db, name, result.actions, gen)
