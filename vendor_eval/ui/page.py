"""The quick view: upload a workbook (or start on the bundled sample) and look; no database.

The default page of the dashboard's navigation (:mod:`vendor_eval.ui.nav`); its keys are the
unprefixed ones (scope ""), the analysis itself is :func:`vendor_eval.ui.analysis.render_analysis`.
An upload without a Criteria sheet gets the column mapping (:mod:`vendor_eval.ui.mapping`)
above the analysis, which then analyses the mapped evaluation.
"""

from __future__ import annotations

import streamlit as st

from vendor_eval.ui import state
from vendor_eval.ui.analysis import render_analysis, render_caption
from vendor_eval.ui.data_in import render_data_in, render_load_error
from vendor_eval.ui.mapping import mapping_offer, render_mapping
from vendor_eval.ui.text import md
from vendor_eval.ui.weights_panel import render_scoring_controls


def main() -> None:
    """Render the quick view for one rerun."""
    with state.scoped(""):
        _render()


def _render() -> None:
    render_data_in()
    method, missing = render_scoring_controls()
    export_slot = st.sidebar.container()
    ss = st.session_state
    st.title("Vendor comparison")
    base = ss.get(state.BASE)
    offer = mapping_offer(base)
    if base is None and offer is None:
        render_load_error()
        if not ss.get(state.LOAD_ERROR):
            st.info("Upload a vendor workbook in the sidebar, or start from the blank template.")
        return
    source = ss.get(state.SOURCE) or (offer.name if offer is not None else None)
    caption = st.empty()
    if base is None:  # no column is a default criterion: the mapping picks the criteria
        st.info(
            f"No column of **{md(source)}** is one of the built-in model's criteria: choose "
            "below which columns to score and how.",
            icon=":material/info:",
        )
    shown = render_mapping(offer, base) if offer is not None else base
    if shown is None:
        return
    with caption:
        render_caption(shown, source)
    render_analysis(shown, method, missing, export_slot, source=source)
