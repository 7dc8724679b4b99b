"""The quick view: upload a workbook (or start on the bundled sample) and look; no database.

The default page of the dashboard's navigation (:mod:`vendor_eval.ui.nav`); its keys are the
unprefixed ones (scope ""), the analysis itself is :func:`vendor_eval.ui.analysis.render_analysis`.
"""

from __future__ import annotations

import streamlit as st

from vendor_eval.ui import state
from vendor_eval.ui.analysis import render_analysis, render_caption
from vendor_eval.ui.data_in import render_data_in, render_load_error
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
    render_load_error()
    if base is None:
        if not ss.get(state.LOAD_ERROR):
            st.info("Upload a vendor workbook in the sidebar, or start from the blank template.")
        return
    source = ss.get(state.SOURCE)
    render_caption(base, source)
    render_analysis(base, method, missing, export_slot, source=source)
