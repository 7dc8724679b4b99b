"""The dashboard page: wires the sections together (``app.py`` only calls :func:`main`)."""

from __future__ import annotations

import functools
from pathlib import PurePath

import streamlit as st

from vendor_eval.core.problems import VendorEvalError
from vendor_eval.scoring.ranking import Ranking
from vendor_eval.ui import state
from vendor_eval.ui.data_in import XLSX_MIME, render_data_in, render_load_error
from vendor_eval.ui.elicitation import render_weight_helpers
from vendor_eval.ui.explore import render_charts, render_head_to_head, render_vendor_detail
from vendor_eval.ui.quality import render_quality
from vendor_eval.ui.results import render_headline, render_ranking
from vendor_eval.ui.scenarios import render_scenarios
from vendor_eval.ui.tables import fingerprint
from vendor_eval.ui.text import md
from vendor_eval.ui.weights_panel import render_scoring_controls, render_weights_panel

TABS = [
    "Ranking",
    "Charts",
    "Vendor detail",
    "Head-to-head",
    "Scenarios",
    "Robustness",
    "Data quality",
]


def build_export_download(ranking: Ranking, sensitivity: dict[str, object] | None = None) -> bytes:
    """The export button's file: the Excel ranking workbook of ``ranking``, built only when
    the user clicks (the button is given this function, not its bytes)."""
    from vendor_eval.output.excel.export import write_export

    data = write_export(ranking, None, sensitivity=sensitivity)
    assert data is not None
    return data


def shown_sensitivity(ranking: Ranking, key: str) -> dict[str, object] | None:
    """The stress-test report on the Robustness tab, if it is of this very evaluation
    (``key`` is its fingerprint) and missing-value policy."""
    shown = st.session_state.get(state.SENSITIVITY_SHOWN)
    if not shown:
        return None
    shown_key, missing, report = shown
    if shown_key != key or missing != ranking.missing.value:
        return None
    return report.to_dict()


def render_export(ranking: Ranking, key: str) -> None:
    """Sidebar: download the Excel ranking of exactly what is on screen."""
    from vendor_eval.output.excel.export import excel_problem

    stem = PurePath(st.session_state.get(state.SOURCE) or "vendors").stem
    sensitivity = shown_sensitivity(ranking, key)
    st.header("Export")
    too_big = excel_problem(ranking)
    if too_big:  # a button that cannot work would do nothing when clicked
        st.warning(f"No Excel export: {md(too_big)}.", icon=":material/block:")
        return
    st.download_button(
        "Excel ranking (.xlsx)",
        data=functools.partial(build_export_download, ranking, sensitivity),
        file_name=f"{stem}_ranking.xlsx",
        mime=XLSX_MIME,
        key="export_download",
        on_click="ignore",
        type="primary",
        icon=":material/download:",
    )
    st.caption(
        "The current weights, method and missing-value policy, as on screen"
        + (
            "; the Sensitivity sheet is the analysis on the Robustness tab."
            if sensitivity
            else "; the Sensitivity sheet runs the stress tests with 2,000 weight samples."
        )
    )


def render_robustness_tab(ranking: Ranking, key: str) -> None:
    """The stress tests, imported on first use: the first render does not wait for them."""
    from vendor_eval.ui.robustness import render_robustness

    try:
        render_robustness(ranking.evaluation, ranking, key="rob", fingerprint=key)
    except VendorEvalError as exc:
        st.error(f"The stress tests cannot run on these settings: {md(exc)}")


def main() -> None:
    """Render the whole dashboard for one rerun."""
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
    n_warn = len(base.warnings)
    st.caption(
        f"**{md(ss.get(state.SOURCE))}** · {len(base.vendors)} vendors · {len(base.criteria)} "
        f"criteria in {len(base.category_names)} categories"
        + (f" · :orange[{n_warn} warning(s): see Data quality]" if n_warn else "")
    )
    head = st.container()
    working = render_weights_panel(base)
    render_weight_helpers(base)
    ss[state.RANKING] = None
    ss[state.WORKING] = None
    why = ss.get(state.WEIGHTS_ERROR)
    if working is None:
        head.error(
            f"Nothing is ranked until the weights are fixed in *Weights and must-have rules*: "
            f"{md(why) if why else 'see the weights panel'}",
            icon=":material/error:",
        )
        return
    if why:  # the last valid ranking stays, marked as such, with what to fix
        head.warning(
            f"**Not updated**: the ranking below is from the last valid weights and rules. "
            f"Fix in *Weights and must-have rules*: {md(why)}",
            icon=":material/warning:",
        )
    key = fingerprint(working)
    try:
        ranking = state.score_cached(key, method, missing, working)
    except VendorEvalError as exc:
        head.error(f"Cannot score with these settings: {md(exc)}", icon=":material/error:")
        return
    ss[state.WORKING] = working
    ss[state.RANKING] = ranking
    with head:
        render_headline(ranking)
    gen = state.generation()
    sections = {
        "Ranking": lambda: render_ranking(ranking, key),
        "Charts": lambda: render_charts(ranking, gen),
        "Vendor detail": lambda: render_vendor_detail(ranking, gen),
        "Head-to-head": lambda: render_head_to_head(ranking, gen),
        "Scenarios": lambda: render_scenarios(working, ranking),
        "Robustness": lambda: render_robustness_tab(ranking, key),
        "Data quality": lambda: render_quality(ranking),
    }
    # Lazy tabs: only the open tab's section runs, which keeps every rerun fast.
    for tab, label in zip(st.tabs(TABS, key="view", on_change="rerun"), TABS, strict=True):
        if tab.open:
            with tab:
                sections[label]()
    with export_slot:  # after the tabs, so it knows what the Robustness tab just showed
        render_export(ranking, key)
