"""The owner's team sections on a project's page (docs/team.md §1–§4): the members, adding
one (its one-time sign-in code shown once), new codes, removal, what each evaluator scores,
the score sheets (progress, an evaluator's offline sheet, returned sheets, reopening one),
and in moderation the moderation section (:mod:`vendor_eval.ui.team_moderation`).

Every change goes through the team service via :func:`vendor_eval.ui.project_view.act`;
the service refuses what the owner may not do (a decided project, a sheet outside scoring),
and these sections only leave out forms it would refuse. Team changes are not tied to the
page's project version: evaluators write events all through scoring, and the service
checks each change against the team as it is when it is made.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import streamlit as st

from vendor_eval.core.model import Criterion
from vendor_eval.core.problems import VendorEvalError
from vendor_eval.projects.actor import Actor
from vendor_eval.team.state import EVALUATOR, OBSERVER, OWNER
from vendor_eval.ui import state
from vendor_eval.ui.project_roles import error_box, render_panel_line
from vendor_eval.ui.project_tables import DECIDED, when
from vendor_eval.ui.project_view import FORMS, RELOAD, Loaded, act, forms
from vendor_eval.ui.results import table_height
from vendor_eval.ui.team_tables import members_frame, sheet_file_name
from vendor_eval.ui.text import md

ISSUED = "ve_issued"  # the sign-in code just issued: shown on the next run only
UPLOADED = "ve_sheets_uploaded"  # [(ok, text)] of the last upload of returned sheets
ROLES = (EVALUATOR, OBSERVER, OWNER)
SCORING, MODERATION = "scoring", "moderation"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def render_team(actor: Actor, db: Any, loaded: Loaded) -> None:
    """The team sections (called by the owner's page just above the ranking)."""
    from vendor_eval.team.members import list_members

    view = loaded.view
    st.subheader("Team", anchor=False)
    render_issued()
    render_uploaded()
    try:
        members = list_members(actor, db, view.name)
    except VendorEvalError as e:
        error_box(e)
        return
    panel = [] if loaded.evaluation is None else list(loaded.evaluation.panel_criteria)
    evaluators = [m for m in members if m.role == EVALUATOR]
    render_members(actor, db, loaded, members, panel)
    if panel and evaluators:
        render_sheets(actor, db, loaded, evaluators)
    if panel and view.status in (MODERATION, DECIDED):
        from vendor_eval.ui.team_moderation import render_moderation

        render_moderation(actor, db, loaded)
    if panel:
        render_panel_line(actor, db, view.name)


def _keep_issued(issued: Any, what: str) -> str:
    st.session_state[state.key(ISSUED)] = issued
    return what


def render_issued() -> None:
    """The sign-in code just issued, once: it is not stored anywhere it could be read again."""
    issued = st.session_state.pop(state.key(ISSUED), None)
    if issued is None:
        return
    box = st.container(border=True)
    box.markdown(
        f"**Sign-in code for {md(issued.email)}** ({md(issued.role)}), valid until "
        f"{md(when(issued.expires_at))}: copy it now: it is not shown again."
    )
    box.code(issued.code, language=None)
    box.caption(
        "Give it to them privately (not in the same message as the dashboard's address). It "
        "signs them in once; a new code revokes this one."
    )


def render_uploaded() -> None:
    """What became of each returned sheet of the last upload."""
    for ok, text in st.session_state.pop(state.key(UPLOADED), None) or []:
        if ok:
            st.success(md(text), icon=":material/check_circle:")
        else:
            error_box(text)


def render_members(
    actor: Actor, db: Any, loaded: Loaded, members: Sequence[Any], panel: Sequence[Criterion]
) -> None:
    """The members table; unless decided, adding a member, a new code, removal, and what
    each evaluator scores."""
    view = loaded.view
    with st.expander(f"Members ({len(members)})", icon=":material/group:", expanded=False):
        frame = members_frame(members)
        st.dataframe(
            frame,
            hide_index=True,
            key=state.key("members_table"),
            height=table_height(len(frame), cap=12),
        )
        if view.status == DECIDED:
            st.caption("Decided: reopen the project to change its team.")
            return
        _add_form(actor, db, view.name)
        if members:
            _code_or_remove(actor, db, view.name, [m.email for m in members])
        evaluators = [m for m in members if m.role == EVALUATOR]
        if panel and evaluators:
            _assign_form(actor, db, view.name, evaluators, panel)


def _add_form(actor: Actor, db: Any, name: str) -> None:
    from vendor_eval.team.members import CODE_DAYS, MAX_CODE_DAYS, add_member

    with st.form(state.key(f"member_add_{forms()}")):
        st.markdown("**Add a member**")
        c1, c2, c3 = st.columns([3, 1, 1])
        email = c1.text_input(
            "E-mail", key=state.key(f"member_email_{forms()}"), placeholder="name@example.org"
        )
        role = c2.selectbox("Role", ROLES, key=state.key(f"member_role_{forms()}"))
        days = c3.number_input(
            "Code valid (days)",
            min_value=1,
            max_value=MAX_CODE_DAYS,
            value=CODE_DAYS,
            step=1,
            key=state.key(f"member_days_{forms()}"),
        )
        submitted = st.form_submit_button(
            "Add member", key=state.key("member_add_submit"), icon=":material/person_add:"
        )
    if submitted:
        act(
            lambda: add_member(actor, db, name, email, role, days=int(days)),
            lambda issued: _keep_issued(issued, f"{issued.email} added as {issued.role}."),
        )


def _code_or_remove(actor: Actor, db: Any, name: str, emails: list[str]) -> None:
    from vendor_eval.team.members import issue_code, remove_member

    left, mid, right = st.columns([3, 1, 1], vertical_alignment="bottom")
    email = left.selectbox("Member", emails, key=state.key(f"member_pick_{forms()}"))
    if mid.button("New sign-in code", key=state.key("member_code"), icon=":material/key:"):
        act(
            lambda: issue_code(actor, db, name, email),
            lambda issued: _keep_issued(issued, f"New sign-in code for {issued.email}."),
        )
    if right.button("Remove", key=state.key("member_remove"), icon=":material/person_remove:"):
        act(lambda: remove_member(actor, db, name, email), lambda sentence: f"{sentence}.")


def _assign_form(
    actor: Actor, db: Any, name: str, evaluators: Sequence[Any], panel: Sequence[Criterion]
) -> None:
    from vendor_eval.team.members import assign

    st.markdown("**What an evaluator scores** (nothing chosen: every panel criterion)")
    emails = [m.email for m in evaluators]
    index = st.selectbox(
        "Evaluator",
        range(len(emails)),
        format_func=emails.__getitem__,
        key=state.key(f"assign_pick_{forms()}"),
    )
    member = evaluators[index]
    criteria = [c.name for c in panel]
    categories = list(dict.fromkeys(c.category for c in panel))
    with st.form(state.key(f"assign_form_{forms()}_{index}")):
        c1, c2 = st.columns(2)
        chosen_c = c1.multiselect(
            "Criteria",
            criteria,
            default=[c for c in member.criteria if c in criteria],
            key=state.key(f"assign_criteria_{forms()}_{index}"),
        )
        chosen_g = c2.multiselect(
            "Categories",
            categories,
            default=[c for c in member.categories if c in categories],
            key=state.key(f"assign_categories_{forms()}_{index}"),
        )
        submitted = st.form_submit_button(
            "Save the assignment", key=state.key("assign_submit"), icon=":material/assignment:"
        )
    if submitted:
        act(
            lambda: assign(actor, db, name, member.email, criteria=chosen_c, categories=chosen_g),
            lambda _: f"Assignment of {member.email} saved.",
        )


def render_sheets(actor: Actor, db: Any, loaded: Loaded, evaluators: Sequence[Any]) -> None:
    """Each evaluator's sheet progress; an evaluator's offline sheet to download; returned
    sheets to upload and reopening a submitted one (both while scoring). Read when opened."""
    view = loaded.view
    box = st.expander(
        "Score sheets",
        icon=":material/assignment_turned_in:",
        key=state.key("sheets_open"),
        on_change="rerun",
    )
    if not box.open:
        return
    with box:
        frame = members_frame(evaluators)[["E-mail", "Scores", "Sheet"]]
        st.dataframe(frame, hide_index=True, key=state.key("sheets_table"))
        _download(actor, db, view.name, [m.email for m in evaluators])
        if view.status != SCORING:
            st.caption("Returned sheets are taken, and sheets reopened, while scoring.")
            return
        _upload(actor, db, view.name)
        submitted = [m.email for m in evaluators if m.sheet == "submitted"]
        if submitted:
            _reopen(actor, db, view.name, submitted)


def _download(actor: Actor, db: Any, name: str, emails: list[str]) -> None:
    from vendor_eval.output.excel.scoresheet import write_issued
    from vendor_eval.team.sheets import scoresheet

    left, right = st.columns([3, 2], vertical_alignment="bottom")
    email = left.selectbox(
        "Offline score sheet of", emails, key=state.key(f"sheet_download_pick_{forms()}")
    )
    try:
        data = write_issued(scoresheet(actor, db, name, email))
    except VendorEvalError as e:
        st.info(md(e), icon=":material/info:")
        return
    right.download_button(
        "Download the score sheet (.xlsx)",
        data,
        file_name=sheet_file_name(name, email),
        mime=XLSX,
        key=state.key("sheet_download"),
        on_click="ignore",
        icon=":material/download:",
    )


def _upload(actor: Actor, db: Any, name: str) -> None:
    from vendor_eval.team.sheets import submit_sheet

    files = st.file_uploader(
        "Returned score sheets (.xlsx; several at once)",
        type=["xlsx"],
        accept_multiple_files=True,
        key=state.key(f"sheets_upload_{forms()}"),
        help="Each sheet's signature says whose scores it holds; each file is taken or "
        "refused on its own.",
    )
    if not st.button(
        "Submit the returned sheets",
        key=state.key("sheets_submit"),
        disabled=not files,
        icon=":material/upload:",
    ):
        return
    outcomes: list[tuple[bool, str]] = []
    for f in files or []:
        try:
            sheet = submit_sheet(actor, db, name, f.getvalue(), file_name=f.name)
        except VendorEvalError as e:
            outcomes.append((False, f"{f.name}: {e}"))
        else:
            outcomes.append((True, f"{f.name}: the score sheet of {sheet.evaluator} is submitted."))
    st.session_state[state.key(UPLOADED)] = outcomes
    st.session_state[state.key(RELOAD)] = True
    st.session_state[state.key(FORMS)] = forms() + 1
    st.rerun()


def _reopen(actor: Actor, db: Any, name: str, submitted: list[str]) -> None:
    from vendor_eval.team.scoring import reopen_sheet

    with st.form(state.key(f"sheet_reopen_{forms()}")):
        st.markdown("**Reopen a submitted sheet** (it stops counting until submitted again)")
        c1, c2 = st.columns([2, 3])
        email = c1.selectbox("Evaluator", submitted, key=state.key(f"reopen_pick_{forms()}"))
        reason = c2.text_input(
            "Reason", key=state.key(f"reopen_why_{forms()}"), placeholder="e.g. a typo in a score"
        )
        clicked = st.form_submit_button(
            "Reopen the sheet", key=state.key("sheet_reopen_submit"), icon=":material/lock_open:"
        )
    if clicked:
        act(
            lambda: reopen_sheet(actor, db, name, email, reason),
            lambda s: f"{s[:1].upper()}{s[1:]}.",
        )
