"""One project opened, on the page of the actor's role (docs/team.md §1).

- **owner**: the project's record and its ranking (:mod:`vendor_eval.ui.project_view`), with
  the team, score sheets and moderation sections (:mod:`vendor_eval.ui.team_owner`) above the
  ranking;
- **evaluator**: their own declarations and score sheet (:mod:`vendor_eval.ui.evaluator_page`);
  from moderation on also the panel's scores and the ranking;
- **observer**: a note until the project is decided; then the decision and the ranking.

The role is the service's answer (``show_project(...).role``), and every section calls the
service, which refuses whatever the role may not see; the pages only leave out what would be
refused anyway. An owner's snapshot of the project is never kept for another role.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from vendor_eval.core.problems import VendorEvalError
from vendor_eval.projects.actor import Actor
from vendor_eval.projects.errors import ProjectNotFound
from vendor_eval.projects.views import ProjectView
from vendor_eval.team.state import EVALUATOR, OWNER
from vendor_eval.ui import state
from vendor_eval.ui.project_tables import DECIDED
from vendor_eval.ui.text import md

ARTICLE = {"owner": "an owner", "evaluator": "an evaluator", "observer": "an observer"}


def error_box(error: object) -> None:
    """A refusal as ``st.error``: its first line, then each further line (the service lists
    one problem per line) as a list item."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    if not lines:
        lines = ["the change was refused"]
    items = [f"- {md(line.removeprefix('- ').strip())}" for line in lines[1:]]
    st.error(
        "\n".join([md(lines[0]), "", *items]) if items else md(lines[0]), icon=":material/error:"
    )


def _back() -> None:
    from vendor_eval.ui.projects_page import open_project

    if st.button("All projects", key="back_to_list", icon=":material/arrow_back:"):
        open_project(None)
        st.rerun()


def render_header(view: ProjectView) -> None:
    """The project's name, status and the reader's role."""
    st.header(md(view.name), anchor=False)
    role = view.role or ""
    left, right = st.columns([5, 1], vertical_alignment="center")
    left.caption(
        f"Status **{md(view.status)}** · you are {md(ARTICLE.get(role, role))} of this project"
    )
    right.button("Refresh", key=state.key("refresh"), icon=":material/refresh:")  # a rerun


def render_role(actor: Actor, db: Any, name: str) -> None:
    """Open ``name`` on the page of the actor's role (inside the project's key scope)."""
    from vendor_eval.ui.project_view import LOADED, RELOAD

    ss = st.session_state
    kept = ss.get(state.key(LOADED))
    if kept is not None and kept.view.role == OWNER and not ss.get(state.key(RELOAD), False):
        _owner(actor, db, name)  # the owner's snapshot is read afresh only when asked
        return
    try:
        view = show(actor, db, name)
    except ProjectNotFound as e:
        _back()
        st.error(md(e), icon=":material/error:")
        return
    if view.role == OWNER:
        _owner(actor, db, name)
        return
    ss.pop(state.key(LOADED), None)  # never an owner's snapshot under another role
    _back()
    if view.role == EVALUATOR:
        from vendor_eval.ui.evaluator_page import render_evaluator

        render_evaluator(actor, db, view)
    else:
        render_observer(actor, db, view)


def show(actor: Actor, db: Any, name: str) -> ProjectView:
    from vendor_eval.projects import show_project

    return show_project(actor, db, name)


def _owner(actor: Actor, db: Any, name: str) -> None:
    from vendor_eval.ui.project_view import render_owner
    from vendor_eval.ui.team_owner import render_team

    render_owner(actor, db, name, extra=lambda loaded: render_team(actor, db, loaded))


def render_panel_line(actor: Actor, db: Any, name: str) -> None:
    """How far the panel has got, above a ranking: "N of M pairs moderated · …" (nothing
    for a project without panel criteria, or for a reader who may not see it)."""
    from vendor_eval.team.moderation import panel_summary
    from vendor_eval.ui.team_tables import moderated_line

    try:
        summary = panel_summary(actor, db, name)
    except VendorEvalError:
        return
    if summary.pairs:
        st.caption(f"Panel: {md(moderated_line(summary))}")


def render_results(actor: Actor, db: Any, view: ProjectView) -> None:
    """The project's ranking as the service computes it (the panel's consensus included),
    for an evaluator (moderation, decided) or an observer (decided)."""
    from vendor_eval.projects import rank_project
    from vendor_eval.ui.results import render_headline, render_ranking

    st.subheader("Ranking", anchor=False)
    try:
        ranking = rank_project(actor, db, view.name)
    except VendorEvalError as e:
        st.error(md(e), icon=":material/error:")
        return
    render_panel_line(actor, db, view.name)
    render_headline(ranking)
    render_ranking(ranking)


def render_performance(actor: Actor, db: Any, view: ProjectView) -> None:
    """The awarded vendor's performance, read only, once the project is decided."""
    from vendor_eval.ui.project_performance import render_project_performance

    if view.status == DECIDED:
        with st.expander("Performance after the award", expanded=False):
            render_project_performance(actor, db, view.name, owner=False)


def render_observer(actor: Actor, db: Any, view: ProjectView) -> None:
    """An observer's page: a note until the project is decided, then the decision and the
    ranking."""
    from vendor_eval.ui.project_view import render_decision

    render_header(view)
    if view.status != DECIDED:
        st.info(
            "The results are shown once the project is decided.",
            icon=":material/hourglass_top:",
        )
        return
    from vendor_eval.ui.project_report import render_project_report

    render_decision(view)
    render_project_report(actor, db, view)
    render_performance(actor, db, view)
    render_results(actor, db, view)
