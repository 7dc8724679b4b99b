"""The analysis of one base evaluation: weights panel, headline, the tabs and the export.

Drawn by the quick view (the uploaded workbook) and by a project (its current version with
the project's settings) alike, each in its own key scope (:func:`vendor_eval.ui.state.scoped`),
so the weight edits of one never show in the other.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import PurePath

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from vendor_eval.core.model import Evaluation
from vendor_eval.core.problems import VendorEvalError
from vendor_eval.scoring.ranking import Ranking
from vendor_eval.stress.scenarios import Scenario
from vendor_eval.ui import state
from vendor_eval.ui.data_in import XLSX_MIME
from vendor_eval.ui.elicitation import render_weight_helpers
from vendor_eval.ui.explore import render_charts, render_head_to_head, render_vendor_detail
from vendor_eval.ui.quality import render_quality
from vendor_eval.ui.results import render_headline, render_ranking
from vendor_eval.ui.scenarios import render_scenarios
from vendor_eval.ui.settings_plain import Chosen, control_defaults, with_dashboard_settings
from vendor_eval.ui.tables import fingerprint
from vendor_eval.ui.text import md
from vendor_eval.ui.weights_panel import render_weights_panel

#: The tab of the total cost of ownership, second when the workbook has a Costs sheet.
COSTS_TAB = "Total cost"
TABS = [
    "Ranking",
    "Charts",
    "Vendor detail",
    "Head-to-head",
    "Scenarios",
    "Robustness",
    "Data quality",
]


@dataclass(frozen=True)
class StoredScenarios:
    """A project's scenarios on the Scenarios tab: the saved ones, and the control that saves
    the weights on screen into the project (instead of the session)."""

    saved: Mapping[str, Scenario]
    save: Callable[[Evaluation], None]


def build_export_download(ranking: Ranking, sensitivity: dict[str, object] | None = None) -> bytes:
    """The export button's file: the Excel ranking workbook of ``ranking``, built only when
    the user clicks (the button is given this function, not its bytes)."""
    from vendor_eval.output.excel.export import write_export

    data = write_export(ranking, None, sensitivity=sensitivity)
    assert data is not None
    return data


#: Monte Carlo samples of the report's stress tests (as ``vendor-eval report``'s default).
REPORT_SAMPLES = 2_000
PDF_MIME = "application/pdf"


@st.cache_data(max_entries=4, ttl=state.CACHE_TTL, show_spinner="Writing the award report…")
def _report_pdf(key: str, title: str, _ranking: Ranking) -> tuple[bytes, tuple[str, ...]]:
    """The award report of ``_ranking`` (its fingerprint ``key``) and the notes of the charts
    not drawn; the stress tests run with a fixed seed, as the command line's."""
    import datetime as dt

    from vendor_eval.charts.award import report_inputs
    from vendor_eval.output.report import render_report
    from vendor_eval.stress.analysis import analyse

    sens = analyse(
        _ranking.evaluation,
        samples=REPORT_SAMPLES,
        seed=0,
        missing=_ranking.missing,
        ranking=_ranking,
    )
    report = render_report(
        _ranking.evaluation,
        _ranking,
        sens,
        title=title,
        generated=dt.datetime.now(dt.UTC).replace(microsecond=0),
        **report_inputs(_ranking, sens),
    )
    return report.pdf, tuple(report.chart_notes)


def build_report_download(ranking: Ranking, key: str, title: str) -> bytes:
    """The award report's bytes, for the download button (built when clicked)."""
    return _report_pdf(key, title, ranking)[0]


def shown_sensitivity(ranking: Ranking, key: str) -> dict[str, object] | None:
    """The stress-test report on the Robustness tab, if it is of this very evaluation
    (``key`` is its fingerprint) and missing-value policy."""
    shown = st.session_state.get(state.key(state.SENSITIVITY_SHOWN))
    if not shown:
        return None
    shown_key, missing, report = shown
    if shown_key != key or missing != ranking.missing.value:
        return None
    return report.to_dict()


def render_export(
    ranking: Ranking,
    key: str,
    source: str | None,
    report: Callable[[], None] | None = None,
) -> None:
    """Sidebar: download the Excel ranking of exactly what is on screen, and the award
    report (``report`` draws a project's own instead: its record, not the screen's)."""
    from vendor_eval.output.excel.export import excel_problem

    stem = PurePath(source or "vendors").stem
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
        key=state.key("export_download"),
        on_click="ignore",
        type="primary",
        icon=":material/download:",
    )
    if report is not None:
        report()
    else:
        _report_button(ranking, key, source, stem)
    st.caption(
        "The Excel ranking has the current weights, method and missing-value policy, as on "
        "screen"
        + (
            "; its Sensitivity sheet is the analysis on the Robustness tab."
            if sensitivity
            else "; its Sensitivity sheet runs the stress tests with 2,000 weight samples."
        )
    )


def _report_button(ranking: Ranking, key: str, source: str | None, stem: str) -> None:
    st.download_button(
        "Award report (.pdf)",
        data=functools.partial(
            build_report_download,
            ranking,
            f"{key}:{ranking.missing.value}",
            f"Award report: {source or 'vendors'}",
        ),
        file_name=f"{stem}_award_report.pdf",
        mime=PDF_MIME,
        key=state.key("report_download"),
        on_click="ignore",
        icon=":material/picture_as_pdf:",
        help="The decision record as a PDF (docs/report.md): method, weights, gates, ranking, "
        "strengths and weaknesses, head-to-head, robustness, decision, the input's SHA-256. "
        "Takes a few seconds; the charts need Chromium on the server.",
    )


def render_robustness_tab(ranking: Ranking, key: str) -> None:
    """The stress tests, imported on first use: the first render does not wait for them."""
    from vendor_eval.ui.robustness import render_robustness

    try:
        render_robustness(ranking.evaluation, ranking, key=state.key("rob"), fingerprint=key)
    except VendorEvalError as exc:
        st.error(f"The stress tests cannot run on these settings: {md(exc)}")


def tabs_for(evaluation: Evaluation) -> list[str]:
    """The tabs: :data:`TABS`, with the total cost second when there is a Costs sheet."""
    if evaluation.costs is None:
        return list(TABS)
    return [TABS[0], COSTS_TAB, *TABS[1:]]


def chosen_settings(base: Evaluation, method: str, missing: str) -> Chosen:
    """The sidebar's settings (``state.CHOSEN``) with this run's method and policy; the
    workbook's own where the sidebar has not drawn them."""
    chosen = st.session_state.get(state.key(state.CHOSEN))
    if not isinstance(chosen, Chosen):
        chosen = control_defaults(base)
    return dataclasses.replace(chosen, method=method, missing=missing)


def render_caption(base: Evaluation, source: str | None) -> None:
    """One line under the title: the file, its size, and how many warnings it raised."""
    n_warn = len(base.warnings)
    st.caption(
        f"**{md(source)}** · {len(base.vendors)} vendors · {len(base.criteria)} "
        f"criteria in {len(base.category_names)} categories"
        + (f" · :orange[{n_warn} warning(s): see Data quality]" if n_warn else "")
    )


def render_analysis(
    base: Evaluation,
    method: str,
    missing: str,
    export_slot: DeltaGenerator,
    *,
    source: str | None,
    scenarios: StoredScenarios | None = None,
    report: Callable[[], None] | None = None,
) -> Ranking | None:
    """Weights panel, headline, tabs and (into ``export_slot``) the export, for ``base``.

    Returns the ranking on screen, or None when the settings cannot be scored (said on the
    page). The working evaluation and ranking are also kept in the scope's
    ``state.WORKING`` / ``state.RANKING``.
    """
    ss = st.session_state
    head = st.container()
    working = render_weights_panel(base)
    render_weight_helpers(base)
    ss[state.key(state.RANKING)] = None
    ss[state.key(state.WORKING)] = None
    why = ss.get(state.key(state.WEIGHTS_ERROR))
    if working is None:
        head.error(
            f"Nothing is ranked until the weights are fixed in *Weights and must-have rules*: "
            f"{md(why) if why else 'see the weights panel'}",
            icon=":material/error:",
        )
        return None
    if why:  # the last valid ranking stays, marked as such, with what to fix
        head.warning(
            f"**Not updated**: the ranking below is from the last valid weights and rules. "
            f"Fix in *Weights and must-have rules*: {md(why)}",
            icon=":material/warning:",
        )
    working = with_dashboard_settings(working, chosen_settings(base, method, missing))
    key = fingerprint(working)
    try:
        ranking = state.score_cached(key, method, missing, working)
    except VendorEvalError as exc:
        head.error(f"Cannot score with these settings: {md(exc)}", icon=":material/error:")
        return None
    ss[state.key(state.WORKING)] = working
    ss[state.key(state.RANKING)] = ranking
    with head:
        render_headline(ranking)
    gen = state.generation()

    def scenarios_tab() -> None:
        if scenarios is None:
            render_scenarios(working, ranking)
        else:
            render_scenarios(working, ranking, stored=scenarios.saved, save=scenarios.save)

    def costs_tab() -> None:
        from vendor_eval.ui.costs import render_costs

        render_costs(ranking)

    sections = {
        "Ranking": lambda: render_ranking(ranking, key),
        COSTS_TAB: costs_tab,
        "Charts": lambda: render_charts(ranking, gen),
        "Vendor detail": lambda: render_vendor_detail(ranking, gen),
        "Head-to-head": lambda: render_head_to_head(ranking, gen),
        "Scenarios": scenarios_tab,
        "Robustness": lambda: render_robustness_tab(ranking, key),
        "Data quality": lambda: render_quality(ranking),
    }
    # Lazy tabs: only the open tab's section runs, which keeps every rerun fast.
    labels = tabs_for(working)
    tabs = st.tabs(labels, key=state.key("view"), on_change="rerun")
    for tab, label in zip(tabs, labels, strict=True):
        if tab.open:
            with tab:
                sections[label]()
    with export_slot:  # after the tabs, so it knows what the Robustness tab just showed
        render_export(ranking, key, source, report)
    return ranking
