"""The sidebar's settings: quality minimum, contract term and discount rate, and where each
of the scoring settings comes from.

Each control starts from the workbook's Settings sheet (when a workbook is put on screen,
not on every rerun: :func:`vendor_eval.ui.state.start_settings`), says under it whether its
value is "from the workbook", the "default" or "changed here", and is kept outside the
widget so a visit to the other page does not lose it. The choices are left in the scope's
``state.CHOSEN``; the analysis applies them to the evaluation on screen
(:func:`vendor_eval.ui.settings_plain.with_dashboard_settings`).
"""

from __future__ import annotations

import streamlit as st

from vendor_eval.core.model import Evaluation, Settings
from vendor_eval.ui import state
from vendor_eval.ui.settings_plain import DEFAULT, Chosen, control_defaults

#: The controls' keys (in the page's scope), all started from the Settings sheet.
CONTROLS = ("method", "missing", "quality_minimum", "contract_term", "discount_rate")
KEPT = "ve_kept_"  # + a control's name: its value, kept across page visits

QUALITY_HELP = (
    "A vendor whose quality score (100 · weighted mean of its non-price criterion scores) "
    "is below it is disqualified before prices are compared. Empty: no quality minimum."
)
TERM_HELP = "Years of recurring costs (Costs sheet) counted in the total cost of ownership."
RATE_HELP = (
    "Recurring costs of year y are divided by (1 + rate)^y; one-off costs are never discounted."
)
NO_COSTS = "Contract term and discount rate apply to a Costs sheet; this workbook has none."


def start_controls() -> None:
    """Restore the controls after a visit to the other page (whose run dropped their
    values). Each workbook put on screen starts them from its Settings sheet
    (:func:`vendor_eval.ui.state.start_settings`)."""
    ss = st.session_state
    for name in CONTROLS:
        if state.key(name) not in ss and state.key(KEPT + name) in ss:
            ss[state.key(name)] = ss[state.key(KEPT + name)]


def origin_caption(value: object, start: object, workbook_sets: bool) -> str:
    """What the caption under a control says: "changed here" when it differs from where it
    started, else "from the workbook" or "default"."""
    if value != start:
        return "changed here"
    return "from the workbook" if workbook_sets else DEFAULT


def _caption(base: Evaluation | None, field: str, value: object, start: object) -> None:
    sets = base is not None and getattr(base.settings, field) is not None
    st.caption(origin_caption(value, start, sets).capitalize())


def render_settings_controls(base: Evaluation | None, method: str, missing: str) -> Chosen:
    """Sidebar (already entered): the origin of the method and policy shown above, then
    the quality minimum, contract term and discount rate; returns every choice (and keeps
    it in ``state.CHOSEN``)."""
    ss = st.session_state
    start = control_defaults(base)
    quality = st.number_input(
        "Quality minimum",
        min_value=0.0,
        max_value=100.0,
        value=None,
        step=1.0,
        format="%g",
        placeholder="none",
        key=state.key("quality_minimum"),
        help=QUALITY_HELP,
    )
    _caption(base, "quality_minimum", quality, start.quality_minimum)
    term, rate = start.contract_term, start.discount_rate
    if base is not None and base.costs is not None:
        term = int(
            st.number_input(
                "Contract term (years)",
                min_value=1,
                max_value=30,
                step=1,
                key=state.key("contract_term"),
                help=TERM_HELP,
            )
        )
        _caption(base, "contract_term", term, start.contract_term)
        percent = float(
            st.number_input(
                "Discount rate (%)",
                min_value=0.0,
                max_value=100.0,
                step=0.5,
                format="%g",
                key=state.key("discount_rate"),
                help=RATE_HELP,
            )
        )
        rate = start.discount_rate if percent == start.discount_rate * 100.0 else percent / 100
        _caption(base, "discount_rate", rate, start.discount_rate)
    elif base is not None:
        st.caption(NO_COSTS)
    chosen = Chosen(
        method=method,
        missing=missing,
        quality_minimum=None if quality is None else float(quality),
        contract_term=term,
        discount_rate=rate,
    )
    for name in CONTROLS:
        if state.key(name) in ss:
            ss[state.key(KEPT + name)] = ss[state.key(name)]
    ss[state.key(state.CHOSEN)] = chosen
    return chosen


def method_origin(base: Evaluation | None, method: str, missing: str) -> None:
    """Under the method and policy: where each comes from."""
    start = control_defaults(base)
    s = base.settings if base is not None else Settings()
    m = origin_caption(method, start.method, s.method is not None)
    p = origin_caption(missing, start.missing, s.missing is not None)
    st.caption(f"Method: {m} · missing values: {p}")
