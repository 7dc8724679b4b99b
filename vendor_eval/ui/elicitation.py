"""Weight helpers (docs/scoring.md §11): rank-order centroid and AHP for the category weights.

A compact expander under the weights panel (the arithmetic is in
:mod:`vendor_eval.scoring.elicitation`, the Streamlit-free table handling in
:mod:`vendor_eval.ui.elicitation_plain`). Both helpers only *propose* category weights;
"Apply" writes them into the category sliders, where they can still be moved by hand.
Its contents are built only while it is open.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import streamlit as st

from vendor_eval.core.model import Evaluation
from vendor_eval.core.problems import VendorEvalError
from vendor_eval.scoring.elicitation import CR_LIMIT, ahp, roc_weights
from vendor_eval.ui import state
from vendor_eval.ui.elicitation_plain import (
    JUDGEMENTS,
    default_judgements,
    fit_to_sliders,
    pairwise_matrix,
)
from vendor_eval.ui.results import table_height
from vendor_eval.ui.tables import category_weights, slider_scale
from vendor_eval.ui.text import md
from vendor_eval.ui.weights_panel import current_category_weights

SAATY_HELP = (
    "How much more important the left category is than the right one, on Saaty's scale: "
    "1 equal, 3 moderately, 5 strongly, 7 very strongly, 9 extremely (even numbers in "
    "between). ◀ favours the left category, ▶ the right one."
)


def apply_to_sliders(
    shares: Mapping[str, float], base: Evaluation, gen: int, how: str, prefix: str = ""
) -> None:
    """Callback: put ``shares`` on the category sliders of generation ``gen`` (of the page
    whose keys ``prefix`` names)."""
    start = category_weights(base)
    top, step = slider_scale(start)
    values = fit_to_sliders(shares, start, top, step)
    with state.scoped(prefix):
        for i, name in enumerate(base.category_names):
            st.session_state[state.slider_key(gen, i)] = float(values.get(name, 0.0))
        st.session_state[state.key(state.HELPER_NOTE)] = (
            f"{how} weights applied to the category sliders."
        )


def _shares_table(shares: Mapping[str, float], current: Mapping[str, float]) -> pd.DataFrame:
    """The proposal beside the weights now, both as shares of their total."""
    total = sum(current.values())
    now = [float(current.get(n, 0.0)) / total if total > 0 else 0.0 for n in shares]
    return pd.DataFrame(
        {
            "Category": list(shares),
            "Now": now,
            "Proposed": [float(v) for v in shares.values()],
        }
    )


SHARE_CONFIG = {
    "Now": st.column_config.NumberColumn(format="percent", help="The sliders' shares now"),
    "Proposed": st.column_config.NumberColumn(
        format="percent", help="What Apply would set (then rounded to the sliders' steps)"
    ),
}


def _roc(base: Evaluation, gen: int) -> None:
    st.markdown("**Importance order** (rank-order centroid)")
    names = list(base.category_names)
    now = current_category_weights(base, gen)
    default = sorted(names, key=lambda n: -now[n])  # the sliders' order of weight now
    order = st.multiselect(
        "Categories, most important first",
        names,
        default=default,
        key=state.key(f"roc_order_{gen}"),
        help="Pick the categories in order of importance (remove one and add it again to "
        "move it down). Categories left out get weight 0.",
    )
    if not order:
        st.caption("Pick at least one category.")
        return
    # listed first, in the chosen order; the ones left out last, at 0
    shares = {**roc_weights(order), **{n: 0.0 for n in names if n not in order}}
    _shares_and_apply(shares, base, gen, "roc", "Apply order to the sliders", "Rank-order")


def _shares_and_apply(
    shares: dict[str, float], base: Evaluation, gen: int, key: str, label: str, source: str
) -> None:
    """The proposed category shares beside today's, and the button that applies them."""
    st.dataframe(
        _shares_table(shares, current_category_weights(base, gen)),
        hide_index=True,
        key=state.key(f"{key}_table_{gen}"),
        column_config=SHARE_CONFIG,
    )
    st.button(
        label,
        key=state.key(f"{key}_apply_{gen}"),
        on_click=apply_to_sliders,
        args=(shares, base, gen, source, state.scope()),
        icon=":material/south:",
    )


def _ahp(base: Evaluation, gen: int) -> None:
    st.markdown("**Pairwise comparison** (AHP)")
    names = list(base.category_names)
    pairs = default_judgements(category_weights(base))
    edited = st.data_editor(
        pairs,
        key=state.key(f"ahp_{gen}"),
        height=table_height(len(pairs), cap=12),
        hide_index=True,
        num_rows="fixed",
        column_config={
            "Category": st.column_config.TextColumn(disabled=True),
            "Judgement": st.column_config.SelectboxColumn(
                options=list(JUDGEMENTS), required=True, help=SAATY_HELP, width="medium"
            ),
            "versus": st.column_config.TextColumn(disabled=True),
        },
    )
    try:
        result = ahp(pairwise_matrix(names, edited), names)
    except VendorEvalError as exc:
        st.error(f"The comparisons cannot be used: {md(exc)}", icon=":material/error:")
        return
    st.caption("Starts from the workbook's category weights; change any judgement.")
    if result.warning:
        st.warning(md(result.warning), icon=":material/warning:")
    else:
        st.success(
            f"Consistency ratio {result.cr:.2f} (at most {CR_LIMIT:.2f} is acceptable).",
            icon=":material/check_circle:",
        )
    shares = result.as_dict()
    _shares_and_apply(shares, base, gen, "ahp", "Apply AHP weights to the sliders", "AHP")


def render_weight_helpers(base: Evaluation) -> None:
    """The "Weight helpers" expander (contents only while it is open)."""
    gen = state.generation()
    note = st.session_state.pop(state.key(state.HELPER_NOTE), None)
    if note:
        st.toast(md(note), icon=":material/check:")
    box = st.expander(
        "Weight helpers: importance order (ROC) and pairwise comparison (AHP)",
        icon=":material/calculate:",
        key=state.key("weight_helpers"),
        on_change="rerun",
    )
    if not box.open:
        return
    with box:
        if len(base.category_names) < 2:
            st.caption("The helpers set category weights, and there is only one category.")
            return
        left, right = st.columns([2, 3], gap="large")
        with left:
            _roc(base, gen)
        with right:
            _ahp(base, gen)
