"""One project opened on the Projects page: its record (goals, versions, status, history,
decision) and the current ranking with every tab the quick view has.

The project is read once — when it is opened, after each change made here, and when the
user asks to reload — and kept in the session as a :class:`Loaded` snapshot. Every change
passes the snapshot's version as ``base_version``, so a change someone else made meanwhile
is refused with "the project changed since you opened it (…): reload" and nothing is
overwritten. Everything of the project lives under its own key prefix
(:func:`vendor_eval.ui.project_tables.scope_prefix`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import pandas as pd
import streamlit as st

from vendor_eval.core.model import Evaluation
from vendor_eval.core.problems import ValidationError, VendorEvalError
from vendor_eval.projects.actor import Actor
from vendor_eval.projects.errors import ProjectChanged, ProjectNotFound
from vendor_eval.projects.views import ProjectView
from vendor_eval.ui import state
from vendor_eval.ui.analysis import StoredScenarios, render_analysis, render_caption
from vendor_eval.ui.project_tables import DECIDED, scope_prefix, when
from vendor_eval.ui.tables import fingerprint
from vendor_eval.ui.text import md
from vendor_eval.ui.weights_panel import render_scoring_controls

T = TypeVar("T")

LOADED = "ve_project"  # the Loaded snapshot on screen
RELOAD = "ve_reload"  # True: read the project afresh at the start of the next run
NOTICE = "ve_notice"  # the outcome of the last change made here (a Notice)
FORMS = "ve_forms"  # bumped after each change made here: the inputs start empty again


@dataclass(frozen=True)
class Loaded:
    """The project as read from the database, and its current version's evaluation with the
    project's settings (consensus, active scenario): the analysis's base."""

    view: ProjectView
    evaluation: Evaluation | None
    source: str | None
    base_key: str | None
    weights_note: str | None = None


@dataclass(frozen=True)
class Notice:
    """What the last change did: ``success``, ``info`` (nothing needed writing), or
    ``error`` with the workbook's problems or, for a conflict, a Reload button."""

    kind: str
    text: str
    problems: pd.DataFrame | None = None
    conflict: bool = False


def load(actor: Actor, db: Any, name: str) -> Loaded:
    """Read the project and its current version's evaluation with its settings: the
    consensus, and the active scenario's weights by the service's own rule
    (:meth:`~vendor_eval.projects.versions.Snapshot.weighted`, as ``project rank``). When
    the service cannot apply them, ``weights_note`` is its sentence and the workbook's own
    weights are the base (for looking only: ranking or deciding the project fails the same
    way until the scenario or the settings are fixed)."""
    from vendor_eval.projects import show_project
    from vendor_eval.projects.versions import read_snapshot

    view = show_project(actor, db, name)
    if view.current_version is None:
        return Loaded(view, None, None, None)
    snap = read_snapshot(db, actor, view.name)
    assert snap.workbook is not None  # a project with a current version has its workbook
    note = None
    try:
        evaluation = snap.weighted()
    except VendorEvalError as e:
        if isinstance(e, ValidationError):  # the stored workbook itself: nothing to show
            raise
        note = str(e)
        evaluation = snap.evaluation()
    return Loaded(view, evaluation, snap.workbook.file_name, fingerprint(evaluation), note)


def adopt(loaded: Loaded, before: Loaded | None) -> None:
    """Put a freshly read project on screen. The weight widgets start afresh only when the
    analysis's base changed (a new version, another active scenario or consensus), and the
    method and missing-value controls follow the project's settings when those changed."""
    ss = st.session_state
    ss[state.key(LOADED)] = loaded
    if before is None or before.base_key != loaded.base_key or state.key(state.BASE) not in ss:
        state.set_base(loaded.evaluation, loaded.source)
    settings = loaded.view.settings
    if before is None or any(
        before.view.settings.get(k) != settings.get(k) for k in ("method", "missing")
    ):
        ss[state.key("method")] = settings.get("method") or "wsm"
        ss[state.key("missing")] = settings.get("missing") or "worst"


def ask_reload(prefix: str) -> None:
    """Callback of "Reload": read the project afresh; the conflict message goes."""
    with state.scoped(prefix):
        st.session_state[state.key(RELOAD)] = True
        st.session_state.pop(state.key(NOTICE), None)


def dismiss(prefix: str) -> None:
    """Callback: the last change's message has been read."""
    with state.scoped(prefix):
        st.session_state.pop(state.key(NOTICE), None)


def forms() -> int:
    """The generation of this project's inputs (new keys after each change made here)."""
    return int(st.session_state.get(state.key(FORMS), 0))


def notify(notice: Notice) -> None:
    st.session_state[state.key(NOTICE)] = notice


def act(change: Callable[[], T], done: Callable[[T], str | Notice], *, file_name: str = "") -> None:
    """Make one change through the service and rerun: on success the project is read
    afresh and ``done(result)`` confirms it (or, as an ``info`` :class:`Notice`, says that
    nothing needed writing: nothing is reloaded); a refusal is kept as the page's error (a
    conflict with a Reload button, an invalid workbook ``file_name`` with its problems)."""
    ss = st.session_state
    try:
        result = change()
    except ProjectChanged as e:
        notify(Notice("error", str(e), conflict=True))
    except ValidationError as e:
        n = len(e.problems)
        frame = e.to_frame()[["sheet", "cell", "column", "message"]]
        notify(
            Notice(
                "error",
                f"{file_name or 'The workbook'} was not imported: {n} "
                f"problem{'s' if n != 1 else ''} to fix in the workbook; nothing was written.",
                problems=frame,
            )
        )
    except VendorEvalError as e:
        notify(Notice("error", str(e)))
    else:
        outcome = done(result)
        notice = outcome if isinstance(outcome, Notice) else Notice("success", outcome)
        notify(notice)
        if notice.kind == "success":
            ss[state.key(RELOAD)] = True
            ss[state.key(FORMS)] = forms() + 1
    st.rerun()


def render_notice() -> None:
    """The outcome of the last change: a confirmation (once) or the error (until read)."""
    notice: Notice | None = st.session_state.get(state.key(NOTICE))
    if notice is None:
        return
    if notice.kind == "success":
        st.session_state.pop(state.key(NOTICE), None)
        st.success(md(notice.text), icon=":material/check_circle:")
        return
    if notice.kind == "info":
        st.session_state.pop(state.key(NOTICE), None)
        st.info(md(notice.text), icon=":material/info:")
        return
    st.error(md(notice.text), icon=":material/error:")
    if notice.problems is not None:
        st.dataframe(
            notice.problems, hide_index=True, key=state.key("import_problems"), width="stretch"
        )
    if notice.conflict:
        st.button(
            "Reload",
            key=state.key("conflict_reload"),
            on_click=ask_reload,
            args=(state.scope(),),
            type="primary",
            icon=":material/refresh:",
        )
    else:
        st.button(
            "Dismiss", key=state.key("notice_dismiss"), on_click=dismiss, args=(state.scope(),)
        )


def _header(loaded: Loaded) -> None:
    view = loaded.view
    st.header(md(view.name), anchor=False)
    n = len(view.versions)
    current = (
        f"current: **{md(loaded.source)}** (version {view.current_version})"
        if view.current_version is not None
        else "no workbook yet"
    )
    st.caption(
        f"Status **{md(view.status)}** · {n} workbook version{'s' if n != 1 else ''} · "
        f"{current} · created {md(when(view.created_at))} · project version {view.version}"
    )


def _decision(view: ProjectView) -> None:
    d = view.decision
    if d is None or d.reopened or view.status != DECIDED:
        return
    st.success(
        f"**Decided: {md(d.winner)}**, by {md(d.actor)} on {md(when(d.time))}, on workbook "
        f"version {d.version} (SHA-256 {md(d.sha256[:12])}…).\n\n"
        f"Justification: {md(d.justification)}",
        icon=":material/gavel:",
    )
    st.caption(
        "The ranking and stress-test report it was based on are frozen in the record. "
        "Nothing in the project changes until it is reopened with a reason."
    )


def render_project(actor: Actor, db: Any, name: str) -> None:
    """The project ``name`` (from the URL), in its own key scope, on the page of the actor's
    role (:mod:`vendor_eval.ui.project_roles`)."""
    from vendor_eval.ui.project_roles import render_role

    with state.scoped(scope_prefix(name)):
        render_role(actor, db, name)


def render_decision(view: ProjectView) -> None:
    """The decision, when the project is decided (the evaluator's and observer's pages
    show it too)."""
    _decision(view)


def render_owner(
    actor: Actor, db: Any, name: str, extra: Callable[[Loaded], None] | None = None
) -> None:
    """The owner's page: the project's record, ``extra`` (the team and moderation sections)
    just above the ranking, then the ranking with every tab the quick view has."""
    _render(actor, db, name, extra)


def _render(
    actor: Actor, db: Any, name: str, extra: Callable[[Loaded], None] | None = None
) -> None:
    from vendor_eval.ui.project_forms import (
        render_decide,
        render_goals,
        render_history,
        render_reopen,
        render_scenario_save,
        render_status_settings,
        render_versions,
    )
    from vendor_eval.ui.projects_page import open_project

    ss = st.session_state
    if st.button("All projects", key="back_to_list", icon=":material/arrow_back:"):
        open_project(None)
        st.rerun()
    before: Loaded | None = ss.get(state.key(LOADED))
    if before is None or ss.pop(state.key(RELOAD), False):
        try:
            loaded = load(actor, db, name)
        except ProjectNotFound as e:
            st.error(md(e), icon=":material/error:")
            return
        adopt(loaded, before)
    else:
        loaded = before
    view = loaded.view
    decided = view.status == DECIDED
    _header(loaded)
    render_notice()
    _decision(view)
    if decided:
        render_reopen(actor, db, loaded)
        from vendor_eval.ui.project_performance import render_project_performance

        with st.expander("Performance after the award", expanded=True):
            render_project_performance(actor, db, name, owner=True, gen=forms())
    for warning in view.goal_warnings:
        st.warning(md(warning), icon=":material/flag:")
    render_goals(actor, db, loaded)
    render_versions(actor, db, loaded)
    render_status_settings(actor, db, loaded)
    render_history(actor, db, loaded)
    if not decided:
        render_decide(actor, db, loaded)
    if extra is not None:
        extra(loaded)
    base = ss.get(state.key(state.BASE))
    if base is None:
        st.info(
            "No workbook yet: import the first version under *Workbook versions* to rank "
            "the vendors.",
            icon=":material/upload_file:",
        )
        return
    st.subheader("Current ranking", anchor=False)
    method, missing = render_scoring_controls()
    export_slot = st.sidebar.container()
    render_caption(base, loaded.source)
    chosen = view.settings.get("scenario")
    if loaded.weights_note:
        st.error(
            f"The project's weights (scenario **{md(chosen or '')}**) cannot be applied: "
            f"{md(loaded.weights_note)}. Shown below with the workbook's own weights, for "
            "looking only; save the scenario again or choose other weights in the settings.",
            icon=":material/error:",
        )
    else:
        st.caption(
            f"Weights: scenario **{md(chosen)}**, as the project's settings say"
            if chosen
            else "Weights: the workbook's own, as the project's settings say"
        )
    st.caption(
        "Weight edits here are for looking only until they are saved as a scenario "
        "(Scenarios tab); the decision uses the project's settings."
    )
    scenarios = StoredScenarios(
        saved={s.name: s.scenario() for s in view.scenarios},
        save=lambda working: render_scenario_save(actor, db, loaded, working),
    )
    from vendor_eval.ui.project_report import render_project_report

    render_analysis(
        base,
        method,
        missing,
        export_slot,
        source=loaded.source,
        scenarios=scenarios,
        report=lambda: render_project_report(actor, db, view),
    )
