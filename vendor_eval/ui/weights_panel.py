"""The weights panel: method and missing-value policy, category sliders, criteria editor."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from vendor_eval.charts.weights import weights_sunburst
from vendor_eval.core.model import Evaluation
from vendor_eval.core.problems import VendorEvalError
from vendor_eval.ui import state
from vendor_eval.ui.editor_cells import (
    FORMULAS,
    category_minimums,
    check_formulas,
    with_category_minimums,
)
from vendor_eval.ui.settings_panel import (
    method_origin,
    render_settings_controls,
    start_controls,
)
from vendor_eval.ui.tables import (
    category_weights,
    criteria_frame,
    slider_scale,
    with_category_weights,
    with_criteria_edits,
)
from vendor_eval.ui.text import md

if TYPE_CHECKING:
    from streamlit.elements.lib.column_types import ColumnConfig

METHODS = {"wsm": "Weighted sum (WSM)", "topsis": "TOPSIS"}
POLICIES = {
    "worst": "Worst: no evidence, no points",
    "mean": "Mean of the qualified vendors",
    "exclude": "Exclude: judge on what is known",
}


def render_scoring_controls() -> tuple[str, str]:
    """Sidebar: the aggregation method, the missing-value policy and the settings (keys of
    the page's scope).

    They start from the loaded workbook's Settings sheet and say where each value comes
    from (:mod:`vendor_eval.ui.settings_panel`); they are also kept outside the widgets, so
    coming back from the other page (whose run drops these widgets' values) shows them as
    they were left.
    """
    ss = st.session_state
    base = ss.get(state.key(state.BASE))
    missing_key = state.key("missing")
    start_controls()
    with st.sidebar:
        st.header("Scoring")
        method = st.radio(
            "Method",
            list(METHODS),
            format_func=METHODS.__getitem__,
            key=state.key("method"),
            horizontal=True,
            help="Weighted sum adds up weighted criterion scores; TOPSIS ranks by closeness "
            "to an ideal vendor.",
        )
        offered = usable_policies(str(method))
        switched = False
        if ss.get(missing_key) not in offered:
            # Chosen under the weighted sum, impossible under TOPSIS: switch, and say so below.
            switched = ss.get(missing_key) is not None
            ss[missing_key] = offered[0]
        missing = st.selectbox(
            "Missing values",
            offered,
            format_func=POLICIES.__getitem__,
            key=missing_key,
            help="What an empty cell is worth.",
        )
        if switched:
            st.caption(
                "Missing values switched from *Exclude* to *Worst* for TOPSIS; choose again "
                "after going back to the weighted sum."
            )
        if len(offered) < len(POLICIES):
            st.caption(TOPSIS_NO_EXCLUDE)
        method_origin(base, str(method), str(missing))
        render_settings_controls(base, str(method), str(missing))
    return str(method), str(missing)


TOPSIS_NO_EXCLUDE = (
    "*Exclude* is not offered with TOPSIS: it measures every vendor's distance to an ideal "
    "vendor on every criterion, so an empty cell needs a value (Worst or Mean)."
)


def usable_policies(method: str) -> list[str]:
    """The missing-value policies that work with ``method`` (TOPSIS cannot exclude)."""
    return [p for p in POLICIES if not (method == "topsis" and p == "exclude")]


# What the editor marks red while typing: text that cannot be a must-have rule. It must
# accept everything parse_must accepts (the browser does not submit a cell that fails it),
# so it is deliberately loose: a comparison followed by anything holding a digit, a yes/no
# word (optionally after "="), a bare number (0/1 is a yes/no rule), or nothing;
# parse_must then decides, and its message names the row. Written in the regex syntax
# JavaScript and Python share.
_SPACE = r"[\s\u200b-\u200d\u2060\ufeff]*"
_DIGIT = r"[0-9\u0660-\u0669\u06f0-\u06f9\u0966-\u096f\uff10-\uff19]"
_NUMBERISH = r"[-+−()0-9.,\s$€£¥%eE]"  # what a bare number may hold besides digits
_YES_NO = r"[Yy][Ee][Ss]|[Nn][Oo]|[YyNn]|[Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee]|[01]"
MUST_PATTERN = (
    rf"^{_SPACE}(|(>=|=>|≥|<=|=<|≤|==|=|>|<){_SPACE}([\s\S]*{_DIGIT}[\s\S]*|{_YES_NO})"
    rf"|(={_SPACE})?({_YES_NO}|{_NUMBERISH}*{_DIGIT}{_NUMBERISH}*)){_SPACE}$"
)


def current_category_weights(base: Evaluation, gen: int) -> dict[str, float]:
    """The category sliders' values now (where they start for a slider not yet drawn)."""
    start = category_weights(state.start_of(gen, base))
    return {
        name: float(st.session_state.get(state.slider_key(gen, i), w))
        for i, (name, w) in enumerate(start.items())
    }


def share_text(value: float, weights: dict[str, float]) -> str:
    """``"20% of the total"`` under a slider: a raw slider number means little on its own."""
    total = sum(weights.values())
    return f"{value / total:.0%} of the total" if total > 0 else "no weight in total"


def total_text(weights: dict[str, float]) -> str:
    total = sum(weights.values())
    return f"Total {total:g} = 100 %: each category's share is its slider ÷ the total."


def _criteria_config() -> dict[str, ColumnConfig]:
    cc = st.column_config
    return {
        "Criterion": cc.TextColumn(disabled=True, pinned=True),
        "Category": cc.TextColumn(disabled=True),
        "Weight": cc.NumberColumn(
            min_value=0.0, format="%g", required=True, help="Relative weight (≥ 0)"
        ),
        "Direction": cc.SelectboxColumn(options=["higher", "lower"], required=True),
        "Must": cc.TextColumn(
            help="Knock-out rule, e.g. >= 3, <= 50000, yes; empty for none",
            validate=MUST_PATTERN,
        ),
        "Scale": cc.TextColumn(
            disabled=True,
            help="relative: scored against the shortlist (lowest 0, highest 1), so scores "
            "move when vendors join or leave; absolute: on fixed Min–Max; yes/no: 1 or 0; "
            "price: lower is better, compared only among the vendors that pass the "
            "must-haves and minimums",
        ),
        "Formula": cc.SelectboxColumn(options=FORMULAS, help=FORMULA_HELP),
        "Max": cc.NumberColumn(
            min_value=0.0,
            format="%g",
            help="A price criterion's budget ceiling (the budget formula needs it): a bid at "
            "or above it scores 0",
        ),
        "Description": cc.TextColumn(disabled=True, width="large"),
    }


FORMULA_HELP = (
    "Price and relative criteria. ratio: lowest ÷ bid for a price (the public-procurement "
    "norm), value ÷ highest (or lowest ÷ value) for a relative criterion; linear: lowest "
    "1, highest 0 (min–max); budget (price only): lowest 1, falling to 0 at Max. Empty: "
    "ratio for a price, linear otherwise."
)
MINIMUM_HELP = (
    "A vendor whose category score (0–100) is below the minimum is disqualified before "
    "prices are compared. Empty: none."
)


def _render_minimums(begin: Evaluation, gen: int) -> pd.DataFrame | None:
    """The category minimums table (categories without a price criterion), or None when
    every category holds one."""
    frame = category_minimums(begin)
    if not len(frame):
        return None
    st.markdown("**Category minimums**", help=MINIMUM_HELP)
    return st.data_editor(
        frame,
        key=state.key(f"minimums_{gen}"),
        column_config={
            "Category": st.column_config.TextColumn(disabled=True),
            "Minimum": st.column_config.NumberColumn(
                min_value=0.0, max_value=100.0, format="%g", help=MINIMUM_HELP
            ),
        },
        hide_index=True,
        num_rows="fixed",
        width="stretch",
    )


def render_weights_panel(base: Evaluation) -> Evaluation | None:
    """Weights panel; returns the edited evaluation to rank.

    An edit that cannot be used (a typo in a must-have rule, every weight at zero) is shown
    at the panel and recorded in the scope's ``state.WEIGHTS_ERROR``; the last valid
    evaluation of these widgets is returned instead, so the page keeps its ranking, marked
    "not updated" — ``None`` only if there is none yet.
    """
    ss = st.session_state
    gen = state.generation()
    # back from the other page, whose run dropped these widgets: resume with the edits
    gen = state.resume(gen, dropped=state.key(f"criteria_{gen}") not in ss)
    begin = state.start_of(gen, base)
    ss[state.key(state.WEIGHTS_ERROR)] = None
    # The panel tracks whether it is open so the chart (and plotly's script bundle) is only
    # built when someone looks at it; the widgets always run, so edits survive collapsing.
    panel = st.expander(
        "Weights and must-have rules",
        icon=":material/balance:",
        key=state.key("weights_panel"),
        on_change="rerun",
    )
    with panel:
        left, right = st.columns([1, 2], gap="large")
        with left:
            st.markdown("**Category weights**")
            top, step = slider_scale(category_weights(base))  # the workbook's scale
            start = category_weights(begin)
            chosen = {}
            # every slider's value this run (the widget state is set before the script runs)
            now = current_category_weights(base, gen)
            for i, (name, w) in enumerate(start.items()):
                key = state.slider_key(gen, i)
                # seeded through session state, so the weight helpers can set it too
                ss.setdefault(key, float(w))
                chosen[name] = st.slider(md(name), 0.0, top, step=step, key=key)
                st.caption(share_text(chosen[name], now))
            st.caption(total_text(chosen))
            minimums = _render_minimums(begin, gen)
            st.button(
                "Reset to workbook",
                key=state.key("reset_weights"),
                on_click=state.reset_weights,
                args=(state.scope(),),
                icon=":material/restart_alt:",
            )
        with right:
            st.markdown("**Criteria** (weights are relative within their category)")
            st.caption(
                "Must-have rules: `>= 3`, `> 0`, `<= 50000`, `< 10`, `= 1`, or `yes`; "
                "a cell the editor marks red is not a rule and is not applied. "
                "Formula: how a price or relative criterion is scored (hover the header)."
            )
            edited = st.data_editor(
                criteria_frame(begin),
                key=state.key(f"criteria_{gen}"),
                column_config=_criteria_config(),
                hide_index=True,
                num_rows="fixed",
                width="stretch",
            )
        try:
            from vendor_eval.core.weights import effective_weights

            working = with_criteria_edits(with_category_weights(begin, chosen), edited)
            if minimums is not None:
                working = with_category_minimums(working, minimums)
            weights = effective_weights(working)
            check_formulas(working)
        except VendorEvalError as exc:
            ss[state.key(state.WEIGHTS_ERROR)] = str(exc)
            st.error(f"This edit cannot be used: {md(exc)}", icon=":material/error:")
            return state.last_valid(gen)
        if panel.open:
            st.plotly_chart(weights_sunburst(working, weights), key=state.key("weights_chart"))
    state.remember_valid(gen, working)
    return working
