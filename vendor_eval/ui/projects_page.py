"""The Projects page: the projects database, its list of projects, a new project, and one
project opened (:mod:`vendor_eval.ui.project_view`).

The database is ``$VENDOR_EVAL_DATABASE_URL`` or the default SQLite file in the user's data
folder. Nothing migrates by itself: a missing or empty database shows where it would live
and a "Create" button, an older schema an "Upgrade" button; a newer schema or a database that
cannot be reached is the store's one sentence as ``st.error``. Which project is open is the
URL's ``project`` query parameter, so a reload or a link opens it again.

Who acts is :mod:`vendor_eval.ui.signin`'s: the local user by default; in team mode a
signed-in member (until someone signs in, the page is the sign-in form and nothing else),
and the project opens on the page of their role (:mod:`vendor_eval.ui.project_roles`).
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from vendor_eval.core.problems import VendorEvalError
from vendor_eval.projects.actor import Actor
from vendor_eval.store.engine import ENV_URL
from vendor_eval.ui.project_tables import goals_from_text, projects_frame, scope_prefix
from vendor_eval.ui.text import md

#: The URL query parameter naming the open project.
PROJECT_PARAM = "project"
NOTE = "ve_projects_note"  # a one-off confirmation shown after the rerun it causes
CREATE_FORM = "project_create"


def open_project(name: str | None) -> None:
    """Open ``name`` (None: back to the list), read afresh; the URL says which project is
    open, so a reload or a shared link opens it again."""
    if name:
        from vendor_eval.ui.project_view import RELOAD

        st.query_params[PROJECT_PARAM] = name
        st.session_state[scope_prefix(name) + RELOAD] = True
    else:
        st.query_params.pop(PROJECT_PARAM, None)


def opened() -> str | None:
    """The project the URL names, if any."""
    name = st.query_params.get(PROJECT_PARAM)
    return name if name and name.strip() else None


def _migrate() -> None:
    """Create or upgrade the projects database's tables: only ever when the user asks."""
    from vendor_eval.store.engine import make_engine
    from vendor_eval.store.schema import upgrade

    engine = make_engine()
    try:
        upgrade(engine)
    finally:
        engine.dispose()


def render_database_setup(info: dict[str, Any], *, offer: bool = True) -> bool:
    """True when the database has this code's schema; else say what to do and return False:
    missing or empty → where it would live and "Create the projects database"; older → the
    store's "needs `vendor-eval db upgrade`" sentence and "Upgrade"; newer → its sentence.
    Without ``offer`` (team mode, where the visitor has not signed in yet) no button and no
    location: the administrator sets the database up."""
    state = info["state"]
    if state == "current":
        return True
    if not offer:
        st.error(
            "The projects database is not ready: ask the administrator to run "
            "`vendor-eval db upgrade`.",
            icon=":material/database:",
        )
        return False
    if state in ("missing", "empty"):
        where = md(info["url"])
        st.info(
            (
                f"No projects database yet. It would live at **{where}**"
                if state == "missing"
                else f"The database **{where}** has no projects tables yet"
            )
            + f" (the environment variable {md(ENV_URL)} names another database, e.g. a "
            "PostgreSQL server).",
            icon=":material/database:",
        )
        label = "Create the projects database"
    elif state == "older":
        st.warning(md(_refusal()), icon=":material/upgrade:")
        label = "Upgrade"
    else:
        st.error(md(_refusal()), icon=":material/error:")
        return False
    if st.button(label, key="db_migrate", type="primary", icon=":material/database:"):
        try:
            with st.spinner("Setting up the database…"):
                _migrate()
        except VendorEvalError as e:
            st.error(md(e), icon=":material/error:")
            return False
        st.session_state[NOTE] = f"The projects database at {info['url']} is ready."
        st.rerun()
    return False


def _refusal() -> str:
    """The store's sentence for why the database cannot be used as it is."""
    from vendor_eval.store.database import open_database

    try:
        open_database().close()
    except VendorEvalError as e:
        return str(e)
    return "the database changed while it was checked: reload the page"


def render_list(actor: Actor, db: Any) -> None:
    """Every project (name, status, versions, last change), open one, or create one."""
    from vendor_eval.projects import list_projects

    summaries = list_projects(actor, db)
    st.subheader("Projects")
    if summaries:
        st.dataframe(projects_frame(summaries), hide_index=True, key="projects_table")
        names = [s.name for s in summaries]
        left, right = st.columns([3, 1], vertical_alignment="bottom")
        chosen = left.selectbox("Project", names, key="project_pick")
        if right.button("Open", key="project_open", icon=":material/folder_open:"):
            open_project(chosen)
            st.rerun()
    else:
        st.info("No projects yet: create the first one below.", icon=":material/info:")
    render_create(actor, db)


def render_create(actor: Actor, db: Any) -> None:
    """A new project: its name and its goals (one per line)."""
    from vendor_eval.projects import create_project

    st.subheader("New project")
    with st.form(CREATE_FORM, clear_on_submit=False):
        name = st.text_input("Name", key="create_name", placeholder="e.g. IT outsourcing 2027")
        goals = st.text_area(
            "Goals, one per line",
            key="create_goals",
            placeholder="e.g. 24/7 service desk\nCut run costs by 15%",
            help="What the outsourcing must achieve. A Criteria sheet's Goal column links "
            "each criterion to the goal it serves.",
        )
        submitted = st.form_submit_button(
            "Create project", key="create_submit", type="primary", icon=":material/add:"
        )
    if not submitted:
        return
    try:
        view = create_project(actor, db, name, goals_from_text(goals))
    except VendorEvalError as e:
        st.error(md(e), icon=":material/error:")
        return
    st.session_state[NOTE] = f"Project {view.name} created."
    open_project(view.name)
    st.rerun()


def main() -> None:
    """Render the Projects page for one rerun."""
    from vendor_eval.store.database import open_database
    from vendor_eval.store.info import database_info
    from vendor_eval.ui.signin import (
        LOCAL,
        identity,
        local_mode_problem,
        render_sign_in,
        render_sign_out,
        team_config,
    )

    st.title("Evaluation projects")
    note = st.session_state.pop(NOTE, None)
    if note:
        st.toast(md(note), icon=":material/check:")
    try:
        config = team_config()
        refusal = None if config.team else local_mode_problem()
        if refusal is not None:
            st.error(md(refusal), icon=":material/lock:")
            return
        info = database_info()
        if not render_database_setup(info, offer=not config.team):
            return
        with open_database(check=False) as db:  # database_info found this code's schema
            who = identity(config)
            if who is None:  # team mode, nobody signed in: nothing of any project
                render_sign_in(db, config)
                return
            actor = who.actor
            if who.source == LOCAL:
                st.caption(f"Database **{md(info['url'])}** · acting as **{md(actor.name)}**")
            else:
                st.caption(f"Signed in as **{md(actor.name)}**")
                render_sign_out(who)
            name = opened()
            if name is None:
                render_list(actor, db)
                return
            from vendor_eval.ui.project_view import render_project

            render_project(actor, db, name)
    except VendorEvalError as e:
        st.error(md(e), icon=":material/error:")
