"""The project's record on the Projects page, section by section: goals, workbook versions,
status and settings, history and verification, the decision and reopening, and saving the
weights on screen as a project scenario.

Every change goes through :func:`vendor_eval.ui.project_view.act` with the version the page
was loaded at (``base_version``). A decided project shows its record and only "Reopen": the
service refuses every other change anyway.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from vendor_eval.core.model import Evaluation
from vendor_eval.core.problems import VendorEvalError
from vendor_eval.projects.actor import Actor
from vendor_eval.projects.rules import MIN_THRESHOLD, threshold_of
from vendor_eval.ui import state
from vendor_eval.ui.data_in import DECIMAL_LABELS
from vendor_eval.ui.project_tables import (
    DECIDED,
    MOVABLE,
    goals_from_text,
    history_frame,
    project_scenario,
    qualified_vendors,
    versions_frame,
)
from vendor_eval.ui.project_view import Loaded, Notice, act, forms, notify
from vendor_eval.ui.results import table_height
from vendor_eval.ui.scenarios import scenario_name
from vendor_eval.ui.text import md
from vendor_eval.ui.weights_panel import METHODS, POLICIES
from vendor_eval.workbook.schema import name_key

#: The history table shows at most this many events, the newest (a browser table of a
#: hundred thousand rows helps nobody; the command line lists them all).
HISTORY_ROWS = 1000
CONSENSUS = {"mean": "Mean of the evaluators' scores", "median": "Median of their scores"}
WORKBOOK_WEIGHTS = ""  # the "active scenario" choice meaning: the workbook's own weights


def active_index(choices: list[str], active: str | None) -> int:
    """Where the active scenario is among the "Weights" choices, matched by name key (as the
    service matches names: trimmed, case-insensitive); 0 (the workbook's own) when none is
    active or, should the settings name an unknown one, rather than a guess."""
    if not active:
        return 0
    key = name_key(active)
    return next((i for i, c in enumerate(choices) if c and name_key(c) == key), 0)


def _writable(loaded: Loaded) -> bool:
    return loaded.view.status != DECIDED


def render_goals(actor: Actor, db: Any, loaded: Loaded) -> None:
    """The goals, and (unless decided) a form to rewrite them one per line."""
    from vendor_eval.projects import set_goals

    view = loaded.view
    n = len(view.goals)
    with st.expander(f"Goals ({n})", icon=":material/flag:", expanded=not view.goals):
        if view.goals:
            st.markdown("\n".join(f"1. {md(g)}" for g in view.goals))
        else:
            st.caption("No goals written down yet: what must the outsourcing achieve?")
        if not _writable(loaded):
            return
        with st.form(state.key(f"goals_form_{forms()}")):
            text = st.text_area(
                "Goals, one per line",
                value="\n".join(view.goals),
                key=state.key(f"goals_text_{forms()}"),
            )
            submitted = st.form_submit_button(
                "Save the goals", key=state.key("goals_save"), icon=":material/save:"
            )
        if submitted:
            act(
                lambda: set_goals(
                    actor, db, view.name, goals_from_text(text), base_version=view.version
                ),
                lambda _: "Goals saved.",
            )


def render_versions(actor: Actor, db: Any, loaded: Loaded) -> None:
    """Every imported workbook version, and (unless decided) importing a new one."""
    from vendor_eval.projects import import_workbook
    from vendor_eval.projects.versions import stored_file_name

    view = loaded.view
    n = len(view.versions)
    with st.expander(
        f"Workbook versions ({n})", icon=":material/history_edu:", expanded=not view.versions
    ):
        if view.versions:
            frame = versions_frame(view.versions, view.current_version)
            st.dataframe(
                frame,
                hide_index=True,
                key=state.key("versions_table"),
                height=table_height(len(frame), cap=10),
            )
        else:
            st.caption("No workbook imported yet.")
        if not _writable(loaded):
            return
        upload = st.file_uploader(
            "Import a workbook as a new version (.xlsx or .csv)",
            type=["xlsx", "xlsm", "csv"],
            key=state.key(f"import_upload_{forms()}"),
            help="Validated first: an invalid workbook is not stored and its problems are "
            "listed. The newest version is the one the project is ranked on.",
        )
        decimal = st.selectbox(
            "Decimal separator",
            list(DECIMAL_LABELS),
            format_func=DECIMAL_LABELS.__getitem__,
            key=state.key(f"import_decimal_{forms()}"),
            help="How a CSV file writes decimals, stored with the version (it is read so "
            "whenever the project is ranked). Automatic: a semicolon-separated file whose "
            "numbers have decimal commas (1.250,50) is read with them, any other with decimal "
            "points; a file whose numbers could be read either way (only 1,250) asks. "
            ".xlsx files are not affected.",
        )
        clicked = st.button(
            f"Import as version {n + 1}",
            key=state.key("import_button"),
            disabled=upload is None,
            type="primary",
            icon=":material/upload:",
        )
        if clicked and upload is not None:
            data, file_name = upload.getvalue(), upload.name
            shown, renamed = stored_file_name(file_name)  # as it will be stored
            with st.spinner(f"Checking and storing {md(shown)}…"):
                act(
                    lambda: import_workbook(
                        actor,
                        db,
                        view.name,
                        data,
                        file_name=file_name,
                        base_version=view.version,
                        decimal=str(decimal or "auto"),
                    ),
                    lambda v: _imported(v, renamed),
                    file_name=shown,
                )


def _imported(version: Any, renamed: str | None) -> str:
    """The confirmation of an import; it says so when the file name was stored cleaned, and
    which decimal separator was chosen."""
    chosen = getattr(version, "decimal", "auto")
    how = "" if chosen == "auto" else f", its numbers read with a decimal {chosen}"
    done = f"{version.file_name} imported as version {version.seq}{how}."
    return done if renamed is None else f"{done} Note: {renamed}."


def render_status_settings(actor: Actor, db: Any, loaded: Loaded) -> None:
    """The status (draft, scoring, moderation) and the settings the project is ranked with."""
    from vendor_eval.projects import set_status, update_settings

    view = loaded.view
    with st.expander(
        f"Status ({view.status}) and settings", icon=":material/tune:", expanded=False
    ):
        if not _writable(loaded):
            st.caption("Decided: reopen the project to change its status or settings.")
            return
        left, right = st.columns([3, 1], vertical_alignment="bottom")
        options = list(MOVABLE)
        status = left.selectbox(
            "Status",
            options,
            index=options.index(view.status) if view.status in options else 0,
            key=state.key(f"status_pick_{forms()}"),
            help="Any move among these is allowed and recorded; *decided* is reached by "
            "recording the decision below.",
        )
        if right.button("Change status", key=state.key("status_change")):
            act(
                lambda: set_status(actor, db, view.name, status, base_version=view.version),
                lambda _: f"Status changed to {status}.",
            )
        settings = view.settings
        scenarios = [WORKBOOK_WEIGHTS, *(s.name for s in view.scenarios)]
        with st.form(state.key(f"settings_form_{forms()}")):
            st.markdown("**The project's settings** (its ranking and its decision use them)")
            c1, c2, c3, c4 = st.columns(4)
            method = c1.selectbox(
                "Method",
                list(METHODS),
                index=list(METHODS).index(settings.get("method") or "wsm"),
                format_func=METHODS.__getitem__,
                key=state.key(f"set_method_{forms()}"),
            )
            missing = c2.selectbox(
                "Missing values",
                list(POLICIES),
                index=list(POLICIES).index(settings.get("missing") or "worst"),
                format_func=POLICIES.__getitem__,
                key=state.key(f"set_missing_{forms()}"),
            )
            consensus = c3.selectbox(
                "Consensus",
                list(CONSENSUS),
                index=list(CONSENSUS).index(settings.get("consensus") or "mean"),
                format_func=CONSENSUS.__getitem__,
                key=state.key(f"set_consensus_{forms()}"),
                help="How several evaluators' scores (a Scores sheet) become one value.",
            )
            scenario = c4.selectbox(
                "Weights",
                scenarios,
                index=active_index(scenarios, settings.get("scenario")),
                format_func=lambda s: s or "The workbook's own",
                key=state.key(f"set_scenario_{forms()}"),
                help="The workbook's weights, or a scenario saved in the project.",
            )
            current = threshold_of(settings)
            threshold = st.number_input(
                "Disagreement threshold (share of a scale's range)",
                min_value=MIN_THRESHOLD,
                max_value=1.0,
                value=current,
                step=0.05,
                key=state.key(f"set_threshold_{forms()}"),
                help="A panel pair is flagged when its scores spread at least this share of "
                "the criterion's scale (0.4 on a 1–5 scale: a spread of 1.6 points or more).",
            )
            submitted = st.form_submit_button(
                "Save the settings", key=state.key("settings_save"), icon=":material/save:"
            )
        if submitted:
            changed = None if abs(threshold - current) < 1e-12 else threshold
            act(
                lambda: update_settings(
                    actor,
                    db,
                    view.name,
                    method=method,
                    missing=missing,
                    consensus=consensus,
                    scenario=scenario or None,
                    threshold=changed,
                    base_version=view.version,
                ),
                lambda _: "Settings saved.",
            )


def render_history(actor: Actor, db: Any, loaded: Loaded) -> None:
    """The audit log (read when the section is opened) and its verification."""
    from vendor_eval.projects import history, verify_project

    view = loaded.view
    box = st.expander(
        f"History ({view.events} events) and verification",
        icon=":material/receipt_long:",
        key=state.key("history_open"),
        on_change="rerun",
    )
    if not box.open:
        return
    with box:
        try:
            events = history(actor, db, view.name)
        except VendorEvalError as e:
            st.error(md(e), icon=":material/error:")
            return
        for event in events:
            if event.note:  # details edited behind vendor-eval's back: shown as stored
                st.warning(
                    md(f"{event.note} (or “Verify the audit log” below)"),
                    icon=":material/gpp_maybe:",
                )
        frame = history_frame(events[-HISTORY_ROWS:])
        if len(events) > HISTORY_ROWS:
            st.caption(
                f"The newest {HISTORY_ROWS:,} of {len(events):,} events; "
                f"`vendor-eval project history` lists them all."
            )
        st.dataframe(
            frame,
            hide_index=True,
            key=state.key("history_table"),
            height=table_height(len(frame), cap=15),
            column_config={"Details": st.column_config.TextColumn(width="large")},
        )
        st.caption(
            "Every change is an event; each event's hash covers the one before it, so an "
            "edited, removed or reordered event breaks the chain."
        )
        if st.button("Verify the audit log", key=state.key("verify"), icon=":material/verified:"):
            try:
                result = verify_project(actor, db, view.name)
            except VendorEvalError as e:
                st.error(md(e), icon=":material/error:")
                return
            if result.ok:
                st.success(
                    f"The audit log is intact: {result.events} events, the last hash "
                    f"{md(result.last_hash[:16])}….",
                    icon=":material/verified:",
                )
            else:
                st.error(md(result.message), icon=":material/gpp_bad:")


def project_ranking_vendors(loaded: Loaded) -> list[str]:
    """The vendors the decision may name: qualified under the project's own settings."""
    evaluation = loaded.evaluation
    if evaluation is None or loaded.base_key is None:
        return []
    settings = loaded.view.settings
    ranking = state.score_cached(
        loaded.base_key,
        settings.get("method") or "wsm",
        settings.get("missing") or "worst",
        evaluation,
    )
    return qualified_vendors(ranking)


def render_decide(actor: Actor, db: Any, loaded: Loaded) -> None:
    """Record the decision: a winner among the qualified vendors and a justification."""
    from vendor_eval.projects import decide

    view = loaded.view
    with st.expander("Record the decision", icon=":material/gavel:", expanded=False):
        if loaded.evaluation is None:
            st.caption("Import a workbook first: the decision is made on its current version.")
            return
        try:
            vendors = project_ranking_vendors(loaded)
        except VendorEvalError as e:
            st.error(f"The project's settings cannot rank this workbook: {md(e)}")
            return
        if not vendors:
            st.caption("No vendor passes the must-have rules: there is nobody to choose.")
            return
        st.caption(
            "The winner must have passed the must-have rules. The ranking (with the "
            "project's settings and weights) and a stress-test report are frozen with the "
            "decision, and the project becomes read-only until it is reopened."
        )
        with st.form(state.key(f"decide_form_{forms()}")):
            winner = st.selectbox("Winner", vendors, key=state.key(f"decide_winner_{forms()}"))
            justification = st.text_area(
                "Justification",
                key=state.key(f"decide_why_{forms()}"),
                placeholder="Why this vendor: what the ranking and the stress tests showed, "
                "and what else was weighed.",
            )
            submitted = st.form_submit_button(
                "Record the decision",
                key=state.key("decide_submit"),
                type="primary",
                icon=":material/gavel:",
            )
        if submitted:
            with st.spinner("Freezing the ranking and the stress tests…"):
                act(
                    lambda: decide(
                        actor, db, view.name, winner, justification, base_version=view.version
                    ),
                    lambda d: f"Decision recorded: {d.winner}.",
                )


def render_reopen(actor: Actor, db: Any, loaded: Loaded) -> None:
    """Reopen a decided project, with a reason (recorded)."""
    from vendor_eval.projects import reopen

    view = loaded.view
    with st.form(state.key(f"reopen_form_{forms()}")):
        reason = st.text_input(
            "Reason for reopening",
            key=state.key(f"reopen_reason_{forms()}"),
            placeholder="e.g. the winner withdrew its offer",
        )
        submitted = st.form_submit_button(
            "Reopen", key=state.key("reopen_submit"), icon=":material/lock_open:"
        )
    if submitted:
        act(
            lambda: reopen(actor, db, view.name, reason, base_version=view.version),
            lambda _: "Project reopened.",
        )


def render_scenario_save(actor: Actor, db: Any, loaded: Loaded, working: Evaluation) -> None:
    """On the Scenarios tab: save the weights on screen as a scenario of the project."""
    from vendor_eval.projects import save_scenario

    view = loaded.view
    if not _writable(loaded):
        st.caption("The project is decided: reopen it to save scenarios.")
        return
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    text = left.text_input(
        "Save the weights on screen in the project as",
        key=state.key(f"project_scenario_name_{forms()}"),
        placeholder="e.g. cost-focused",
        help="Every criterion and category weight as set in the weights panel now (not the "
        "must-have rules or directions). Saving a name again replaces it.",
    )
    if not right.button(
        "Save to the project", key=state.key("project_scenario_save"), icon=":material/save:"
    ):
        return
    base = loaded.evaluation
    assert base is not None  # the tab is drawn only for a project with a workbook
    try:
        name = scenario_name(text)
    except VendorEvalError as e:
        notify(Notice("error", str(e)))
        st.rerun()
    scenario = project_scenario(working, base, name)
    act(
        lambda: save_scenario(actor, db, view.name, scenario, base_version=view.version),
        lambda saved: (
            Notice("info", f"Scenario {saved.name} is already saved with these weights.")
            if saved.unchanged
            else f"Scenario {saved.name} saved in the project."
        ),
    )
