"""An evaluator's page (docs/team.md §4): their conflict-of-interest declarations, then their
own score sheet — the vendors they have no conflict with × the panel criteria assigned to
them — scored in the browser (save a draft, submit to lock it) or offline in Excel.

Before any declaration the page shows vendor names and nothing else. Until moderation it
shows the evaluator's own sheet and nothing of anyone else's: no ranking, no other scores,
no history (the service refuses those anyway, and the page does not ask). From moderation
on it adds the panel's scores (read-only) and the ranking.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from vendor_eval.core.model import Criterion
from vendor_eval.core.problems import VendorEvalError
from vendor_eval.projects.actor import Actor
from vendor_eval.projects.views import ProjectView
from vendor_eval.team.scale import whole_points
from vendor_eval.team.scoring import MAX_COMMENT, SheetRow, SheetView
from vendor_eval.ui import state
from vendor_eval.ui.project_roles import (
    error_box,
    render_header,
    render_performance,
    render_results,
)
from vendor_eval.ui.project_tables import DECIDED
from vendor_eval.ui.project_view import FORMS, Notice, act, forms, notify, render_notice
from vendor_eval.ui.results import table_height
from vendor_eval.ui.team_tables import (
    criterion_heading,
    declarations_frame,
    guide_frame,
    sheet_file_name,
    sheet_frame,
    sheet_rows,
)
from vendor_eval.ui.text import md

DRAFT, SCORING, MODERATION = "draft", "scoring", "moderation"
NO_CONFLICT, CONFLICT = "No conflict", "Conflict"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def render_evaluator(actor: Actor, db: Any, view: ProjectView) -> None:
    """The evaluator's page for one rerun (their sheet is read afresh each time)."""
    from vendor_eval.team.scoring import my_sheet

    render_header(view)
    render_notice()
    try:
        sheet = my_sheet(actor, db, view.name)
    except VendorEvalError as e:
        st.info(md(e), icon=":material/info:")
        return
    open_sheet = view.status in (DRAFT, SCORING) and not sheet.submitted
    if sheet.undeclared and open_sheet:
        render_declarations(actor, db, view, sheet)
        return
    _status_note(view, sheet)
    if sheet.declarations:
        with st.expander("Your declarations of interest", icon=":material/handshake:"):
            st.dataframe(declarations_frame(sheet), hide_index=True, key=state.key("declared"))
    render_guide(sheet.criteria)
    render_sheet(actor, db, view, sheet)
    if view.status == SCORING and not sheet.submitted:
        render_offline(actor, db, view)
    if view.status in (MODERATION, DECIDED):
        _after_scoring(actor, db, view)


def _status_note(view: ProjectView, sheet: SheetView) -> None:
    if sheet.submitted:
        st.success(
            "Your score sheet is **submitted** (locked). The owner can reopen it if something "
            "must change.",
            icon=":material/lock:",
        )
    elif view.status == DRAFT:
        st.info(
            "Scoring has not started yet: the owner opens it. Below is what you will score.",
            icon=":material/schedule:",
        )
    elif view.status == SCORING:
        st.caption(
            "Score every vendor on every criterion below, on the criterion's scale; a comment "
            "is required for the lowest and the highest score. Save a draft as often as you "
            "like; submitting locks your sheet. Nobody sees your scores before moderation."
        )
    else:
        st.info("Scoring is closed.", icon=":material/lock:")


def render_declarations(actor: Actor, db: Any, view: ProjectView, sheet: SheetView) -> None:
    """Per vendor not yet declared: no conflict, or a conflict with a note saying what it
    is. Nothing but the vendors' names is shown before."""
    from vendor_eval.team.scoring import declare

    st.subheader("Conflicts of interest", anchor=False)
    st.caption(
        "Before you see anything of the vendors, declare for each one whether you have a "
        "conflict of interest (a relationship, a financial interest, a past or future job). "
        "You do not score a vendor you declare a conflict with. Declarations are recorded."
    )
    with st.form(state.key(f"declare_form_{forms()}")):
        answers: list[tuple[str, str | None, str]] = []
        for i, vendor in enumerate(sheet.undeclared):
            c1, c2 = st.columns([2, 3], vertical_alignment="bottom")
            choice = c1.radio(
                md(vendor),
                [NO_CONFLICT, CONFLICT],
                index=None,
                horizontal=True,
                key=state.key(f"declare_{forms()}_{i}"),
            )
            note = c2.text_input(
                "Note (for a conflict: what it is)",
                key=state.key(f"declare_note_{forms()}_{i}"),
            )
            answers.append((vendor, choice, note))
        submitted = st.form_submit_button(
            "Record my declarations",
            key=state.key("declare_submit"),
            type="primary",
            icon=":material/how_to_reg:",
        )
    if not submitted:
        return
    items = [(v, choice == CONFLICT, note) for v, choice, note in answers if choice is not None]
    if not items:
        st.error(
            "Choose *No conflict* or *Conflict* for the vendors first.", icon=":material/error:"
        )
        return
    act(
        lambda: declare(actor, db, view.name, items),
        lambda s: (
            "Declarations recorded; still to declare: " + ", ".join(s.undeclared) + "."
            if s.undeclared
            else "Declarations recorded: your score sheet is ready."
        ),
    )


def render_guide(criteria: list[Criterion]) -> None:
    """Each assigned criterion's scale, allowed scores and guide text."""
    if not criteria:
        return
    with st.expander("Criteria guide", icon=":material/menu_book:"):
        st.dataframe(
            guide_frame(criteria),
            hide_index=True,
            key=state.key("criteria_guide"),
            column_config={"Guide": st.column_config.TextColumn(width="large")},
        )


def _score_column(criterion: Criterion) -> Any:
    points = whole_points(criterion)
    help_text = md(criterion_heading(criterion))
    if points is not None:
        return st.column_config.SelectboxColumn("Score", options=points, help=help_text)
    return st.column_config.NumberColumn(
        "Score", min_value=criterion.min, max_value=criterion.max, help=help_text
    )


def _config(criterion: Criterion) -> dict[str, Any]:
    return {
        "Vendor": st.column_config.TextColumn("Vendor"),
        "Criterion": st.column_config.TextColumn("Criterion"),
        "Score": _score_column(criterion),
        "Comment": st.column_config.TextColumn(
            "Comment",
            max_chars=MAX_COMMENT,
            width="large",
            help="Why this score; required for the lowest and the highest score",
        ),
    }


def render_sheet(actor: Actor, db: Any, view: ProjectView, sheet: SheetView) -> None:
    """The score tables, one per criterion: editable while scoring (Save draft, Submit),
    read-only otherwise."""
    st.subheader("Your scores", anchor=False)
    if not sheet.rows:
        st.info("Nothing to score: no vendor × criterion is on your sheet.", icon=":material/info:")
        return
    if view.status != SCORING or sheet.submitted:
        if sheet.submitted:
            st.caption("Submitted: read-only.")
        for i, c in enumerate(sheet.criteria):
            frame = sheet_frame(sheet, c)
            if len(frame.index):
                st.markdown(f"**{md(criterion_heading(c))}**")
                st.dataframe(
                    frame,
                    hide_index=True,
                    key=state.key(f"sheet_view_{i}"),
                    column_config=_config(c),
                    height=table_height(len(frame.index)),
                )
        return
    tables: list[tuple[Criterion, pd.DataFrame]] = []
    with st.form(state.key(f"sheet_form_{forms()}")):
        for i, c in enumerate(sheet.criteria):
            frame = sheet_frame(sheet, c)
            if not len(frame.index):
                continue
            st.markdown(f"**{md(criterion_heading(c))}**")
            if c.description:
                st.caption(md(c.description))
            edited = st.data_editor(
                frame,
                key=state.key(f"sheet_{forms()}_{i}"),
                hide_index=True,
                disabled=["Vendor", "Criterion"],
                column_config=_config(c),
                num_rows="fixed",
                height=table_height(len(frame.index)),
                width="stretch",
            )
            tables.append((c, edited))
        left, right = st.columns(2)
        draft = left.form_submit_button(
            "Save draft", key=state.key("sheet_draft"), icon=":material/save:"
        )
        final = right.form_submit_button(
            "Submit (locks your sheet)",
            key=state.key("sheet_submit"),
            type="primary",
            icon=":material/send:",
        )
    if draft or final:
        _save(actor, db, view, tables, submit=final)


def _save(
    actor: Actor,
    db: Any,
    view: ProjectView,
    tables: list[tuple[Criterion, pd.DataFrame]],
    *,
    submit: bool,
) -> None:
    """Save the tables as the whole sheet (a refusal is shown with the edits kept)."""
    from vendor_eval.team.scoring import save_scores

    rows: list[SheetRow] = []
    problems: list[str] = []
    for criterion, frame in tables:
        got, bad = sheet_rows(criterion, frame)
        rows += got
        problems += bad
    if problems:
        error_box("\n".join(["the scores were not saved:", *problems]))
        return
    try:
        save_scores(actor, db, view.name, rows, submit=submit)
    except VendorEvalError as e:
        error_box(e)
        return
    notify(
        Notice("success", "Score sheet submitted: it is locked now." if submit else "Draft saved.")
    )
    st.session_state[state.key(FORMS)] = forms() + 1
    st.rerun()


def render_offline(actor: Actor, db: Any, view: ProjectView) -> None:
    """Download the sheet as an Excel workbook and upload it back filled in (read when the
    section is opened: the download is made afresh from the sheet as it is now)."""
    from vendor_eval.output.excel.scoresheet import write_issued
    from vendor_eval.team.sheets import scoresheet, submit_sheet

    box = st.expander(
        "Score offline in Excel",
        icon=":material/table:",
        key=state.key("offline_open"),
        on_change="rerun",
    )
    if not box.open:
        return
    with box:
        st.caption(
            "The workbook holds your sheet as it is now (save your draft first). Fill in "
            "Score and Comment only and upload it here: it submits and locks your sheet. "
            "Saving a draft here later makes a downloaded workbook out of date."
        )
        try:
            data = write_issued(scoresheet(actor, db, view.name))
        except VendorEvalError as e:
            error_box(e)
            return
        st.download_button(
            "Download my score sheet (.xlsx)",
            data,
            file_name=sheet_file_name(view.name, actor.name),
            mime=XLSX,
            key=state.key("my_sheet_download"),
            on_click="ignore",
            icon=":material/download:",
        )
        upload = st.file_uploader(
            "Upload the filled-in sheet", type=["xlsx"], key=state.key(f"my_sheet_upload_{forms()}")
        )
        if (
            st.button(
                "Submit the uploaded sheet",
                key=state.key("my_sheet_submit"),
                disabled=upload is None,
                icon=":material/upload:",
            )
            and upload is not None
        ):
            data_in, file_name = upload.getvalue(), upload.name
            act(
                lambda: submit_sheet(actor, db, view.name, data_in, file_name=file_name),
                lambda _: f"{file_name}: your score sheet is submitted and locked.",
            )


def _after_scoring(actor: Actor, db: Any, view: ProjectView) -> None:
    """From moderation on: the decision (once decided), the panel's scores, the ranking."""
    from vendor_eval.team.moderation import panel_pairs
    from vendor_eval.ui.project_view import render_decision
    from vendor_eval.ui.team_moderation import render_pairs

    render_decision(view)
    render_performance(actor, db, view)
    st.subheader("The panel's scores", anchor=False)
    try:
        pairs = panel_pairs(actor, db, view.name)
    except VendorEvalError as e:
        error_box(e)
    else:
        if pairs:
            render_pairs(pairs, key=state.key("panel_pairs"))
        else:
            st.caption("No panel scores.")
    render_results(actor, db, view)
