"""The Performance page: the awarded vendors against the contract (docs/monitoring.md).

Upload a monitoring workbook (KPIs, Performance, optional Standings sheets; or start on the
bundled sample) and see the portfolio of every monitored vendor, then per vendor the
scorecard (period × KPI), the period score over the standing bands, breaches and open
actions, and promised vs delivered. No database: a decided project shows the same view from
its stored periods (:func:`render_monitoring`, used by the project page).

Every number comes from :func:`vendor_eval.monitoring.scoring.score_monitoring`; this
module lays it out.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from vendor_eval.core.problems import ValidationError, VendorEvalError
from vendor_eval.monitoring.model import MonitoringBook
from vendor_eval.monitoring.scoring import Monitoring, VendorPerformance
from vendor_eval.ui import state
from vendor_eval.ui.text import md
from vendor_eval.workbook.schema import name_key

ROOT = Path(__file__).resolve().parent.parent.parent
SAMPLE = ROOT / "data" / "sample_monitoring.xlsx"
SELECTION_SAMPLE = ROOT / "data" / "sample_vendors.xlsx"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_RESULT = "perf_result"
_SEEN = "perf_seen"
_ERROR = "perf_error"


# -- cached reads ----------------------------------------------------------------------------
@st.cache_data(
    max_entries=16,
    ttl=state.CACHE_TTL,
    max_size=state.CACHE_MAX_SIZE,
    show_spinner="Reading the monitoring workbook…",
)
def _scored(data: bytes, name: str, selection: bytes | None, selection_name: str) -> Monitoring:
    from dataclasses import replace

    from vendor_eval.monitoring.reading import read_monitoring
    from vendor_eval.monitoring.scoring import score_monitoring

    book = read_monitoring(data, name)
    if selection is not None:
        book = replace(book, promised=_promised(book, selection, selection_name))
    return score_monitoring(book)


def _promised(book: MonitoringBook, data: bytes, name: str) -> dict[tuple[str, str], float]:
    from vendor_eval.monitoring.selection import promised_values
    from vendor_eval.workbook.combine import load_combined

    return promised_values(book.kpis, book.vendors, load_combined([data], [name]))


@st.cache_data(max_entries=4, ttl=state.CACHE_TTL, show_spinner=False)
def _scorecard(_result: Monitoring, key: str, title: str) -> bytes:
    from vendor_eval.output.excel.scorecard import scorecard_bytes

    return scorecard_bytes(_result, title=title)


def _scorecard_key(result: Monitoring, name: str) -> str:
    """What the scorecard depends on: the workbook and the selection answers used."""
    promised = sorted((v, c, x) for (v, c), x in result.book.promised.items())
    return f"{name}:{result.book.sha256}:{promised!r}"


@st.cache_data(max_entries=2, ttl=state.CACHE_TTL, show_spinner=False)
def _template() -> bytes:
    from vendor_eval.output.excel.monitoring_template import monitoring_template_bytes

    return monitoring_template_bytes()


# -- tables ----------------------------------------------------------------------------------
def _score(x: float | None) -> float | None:
    return None if x is None else round(x, 1)


def portfolio_frame(result: Monitoring) -> pd.DataFrame:
    """One row per monitored vendor: latest period, score, standing, trend, open actions,
    KPIs short of the selection promise."""
    rows = []
    for name, v in result.vendors.items():
        latest = v.latest
        rows.append({
            "Vendor": name,
            "Latest period": latest.period.label if latest else "no results yet",
            "Score": _score(latest.score) if latest else None,
            "Standing": (latest.standing or "") if latest else "",
            "Trend": f"{v.trend.arrow} {v.trend.slope_last_6:+.1f}/period"
            if v.trend.slope_last_6 is not None else "",
            "Mean of last 3": _score(v.trend.mean_last_3),
            "Open actions": len(v.open_actions),
            "Short of promise": ", ".join(p.kpi for p in v.promises if p.short),
        })  # fmt: skip
    return pd.DataFrame(rows)


def periods_frame(v: VendorPerformance) -> pd.DataFrame:
    return pd.DataFrame([
        {
            "Period": p.period.label,
            "Score": _score(p.score),
            "Standing": p.standing or "no data",
            "Reported": f"{100 * p.completeness:.0f}%",
            "Breaches": ", ".join(p.breaches),
        }
        for p in v.periods
    ])  # fmt: skip


def actions_frame(v: VendorPerformance) -> pd.DataFrame:
    return pd.DataFrame([
        {
            "KPI": a.kpi,
            "Opened": a.period.label,
            "Periods in breach": a.run,
            "Due": a.due.isoformat(),
            "Status": a.status,
            "Closed": a.closed.isoformat() if a.closed else "",
            "Owner": a.owner,
            "Note": a.note,
        }
        for a in v.actions
    ])  # fmt: skip


def promises_frame(v: VendorPerformance) -> pd.DataFrame:
    return pd.DataFrame([
        {
            "KPI": p.kpi,
            "Selection criterion": p.criterion,
            "Unit": p.unit,
            "Promised": p.promised,
            "Delivered (last 3 reports)": p.delivered,
            "Gap": p.gap,
            "Verdict": "short of the promise" if p.short
            else "no selection answer" if p.promised is None
            else "nothing reported yet" if p.delivered is None
            else "kept",
        }
        for p in v.promises
    ])  # fmt: skip


def _grid(result: Monitoring, v: VendorPerformance) -> dict[str, list[list[Any]]]:
    """KPI × period grids of score, met, breach and actual (None: not reported)."""
    periods = [p.period.label for p in v.periods]
    kpis = [k.name for k in v.kpis]
    at = {label: j for j, label in enumerate(periods)}
    row_of = {name_key(k): i for i, k in enumerate(kpis)}  # as the scorer matches them
    grids: dict[str, list[list[Any]]] = {
        name: [[fill] * len(periods) for _ in kpis]
        for name, fill in (("score", None), ("met", False), ("breach", False), ("actual", None))
    }
    frame = result.results_of(v.vendor)
    book = result.book
    for ordinal, kpi, score, met, breach, actual in zip(
        frame["period"].tolist(), frame["kpi"].tolist(), frame["score"].tolist(),
        frame["met"].tolist(), frame["breach"].tolist(), frame["actual"].tolist(), strict=True,
    ):  # fmt: skip
        i = row_of.get(name_key(kpi))
        j = at.get(book.period(ordinal).label)
        if i is None or j is None:
            continue
        grids["score"][i][j] = float(score)
        grids["met"][i][j] = bool(met)
        grids["breach"][i][j] = bool(breach)
        grids["actual"][i][j] = float(actual)
    return grids


# -- rendering -------------------------------------------------------------------------------
def render_monitoring(result: Monitoring, *, key: str, title: str = "") -> None:
    """The portfolio, then one vendor's scorecard, periods, actions and promises."""
    from vendor_eval.charts.monitoring import period_score_figure, scorecard_figure

    if not result.vendors:
        st.info("No vendor is monitored yet: add KPIs and results.")
        return
    kind = result.book.kind
    bands = ", ".join(f"{md(b.name)} ≥ {b.minimum:g}" for b in result.book.standings)
    st.caption(
        f"Results by {kind.value if kind else 'period'} · standings: {bands} · a period "
        "without reports has no score (not 0)."
    )
    st.subheader("Portfolio")
    st.dataframe(portfolio_frame(result), hide_index=True, key=f"{key}_portfolio", width="stretch")
    names = list(result.vendors)
    vendor = st.selectbox("Vendor", names, key=f"{key}_vendor") if len(names) > 1 else names[0]
    v = result.vendors[str(vendor)]
    st.subheader(md(v.vendor))
    latest = v.latest
    c1, c2, c3, c4 = st.columns(4)
    shown = "no data" if latest is None or latest.score is None else f"{latest.score:.1f}"
    c1.metric(
        "Latest period score",
        shown,
        help="The weighted mean of the KPI scores reported in the latest period.",
    )
    c2.metric("Standing", md(latest.standing or "—") if latest else "—")
    c3.metric(
        "Trend (last 6)",
        "—" if v.trend.slope_last_6 is None else f"{v.trend.arrow} {v.trend.slope_last_6:+.1f}",
        help="Least-squares slope of the period score over the last 6 periods, in points per "
        "period; the mean of the last 3 is below the chart.",
    )
    c4.metric("Open actions", len(v.open_actions))
    if not v.periods:
        st.info(f"No results reported for **{md(v.vendor)}** yet.")
    else:
        grids = _grid(result, v)
        periods = [p.period.label for p in v.periods]
        st.plotly_chart(
            scorecard_figure(
                periods,
                [k.name for k in v.kpis],
                grids["score"],
                grids["met"],
                grids["breach"],
                grids["actual"],
            ),
            key=f"{key}_heatmap",
            width="stretch",
        )
        st.plotly_chart(
            period_score_figure(periods, [p.score for p in v.periods], result.book.standings),
            key=f"{key}_line",
            width="stretch",
        )
        if v.trend.mean_last_3 is not None:
            st.caption(f"Mean of the last {min(3, v.trend.periods)} scored periods: "
                       f"{v.trend.mean_last_3:.1f}.")  # fmt: skip
        with st.expander("Periods", expanded=False):
            st.dataframe(periods_frame(v), hide_index=True, key=f"{key}_periods", width="stretch")
    st.markdown("**Breaches and corrective actions**")
    if v.actions:
        st.dataframe(actions_frame(v), hide_index=True, key=f"{key}_actions", width="stretch")
    else:
        st.caption("No KPI has been in breach two periods running: no corrective action.")
    if v.promises:
        st.markdown("**Promised vs delivered**")
        st.dataframe(promises_frame(v), hide_index=True, key=f"{key}_promises", width="stretch")


def _show_error(name: str, exc: VendorEvalError) -> None:
    if isinstance(exc, ValidationError):
        n = len(exc.problems)
        st.error(
            f"**{md(name)}** was not loaded: {n} problem{'s' if n != 1 else ''} to fix in "
            "the workbook.",
            icon=":material/error:",
        )
        frame = exc.to_frame()[["sheet", "cell", "column", "message"]]
        st.dataframe(frame, hide_index=True, key="perf_problems", width="stretch")
    else:
        st.error(f"**{md(name)}** was not loaded: {md(str(exc))}", icon=":material/error:")


def _load(data: bytes, name: str, selection: tuple[bytes, str] | None) -> None:
    ss = st.session_state
    try:
        sel_data, sel_name = selection if selection else (None, "")
        ss[_RESULT] = (_scored(data, name, sel_data, sel_name), name)
        ss[_ERROR] = None
    except VendorEvalError as exc:
        ss[_RESULT], ss[_ERROR] = None, (name, exc)
    except Exception as exc:  # a file we cannot even read must not crash the page
        ss[_RESULT], ss[_ERROR] = None, (name, VendorEvalError(f"cannot be read ({exc})"))


def _use_sample() -> None:
    st.session_state[_SEEN] = None
    _load(SAMPLE.read_bytes(), SAMPLE.name, (SELECTION_SAMPLE.read_bytes(), SELECTION_SAMPLE.name))


def main() -> None:
    """Render the Performance page for one rerun."""
    ss = st.session_state
    if _RESULT not in ss and SAMPLE.exists():
        _use_sample()
    with st.sidebar:
        st.header("Monitoring data")
        upload = st.file_uploader(
            "Monitoring workbook (.xlsx)",
            type=["xlsx", "xlsm"],
            key="perf_upload",
            help="KPIs (the contract's targets and thresholds), Performance (one row per "
            "period, vendor and KPI) and an optional Standings sheet. The blank template "
            "below shows the layout.",
        )
        selection = st.file_uploader(
            "Selection workbook (optional, for promised vs delivered)",
            type=["xlsx", "xlsm", "csv"],
            key="perf_selection",
            help="The vendor workbook of the selection: the values the vendors gave for the "
            "criteria the KPIs name in their Criterion column.",
        )
        seen = (upload.file_id if upload else None, selection.file_id if selection else None)
        if upload is not None and seen != ss.get(_SEEN):
            ss[_SEEN] = seen
            chosen = (selection.getvalue(), selection.name) if selection else None
            _load(upload.getvalue(), upload.name, chosen)
        st.button("Use the bundled sample", key="perf_sample", on_click=_use_sample,
                  disabled=not SAMPLE.exists())  # fmt: skip
        st.download_button(
            "Blank monitoring template (.xlsx)",
            data=_template,
            file_name="monitoring_template.xlsx",
            mime=XLSX_MIME,
            key="perf_template",
            on_click="ignore",
            icon=":material/download:",
        )
        export_slot = st.container()
    st.title("Performance against the contract")
    failed = ss.get(_ERROR)
    if failed:
        _show_error(*failed)
        return
    loaded = ss.get(_RESULT)
    if loaded is None:
        st.info("Upload a monitoring workbook in the sidebar, or start from the blank template.")
        return
    result, name = loaded
    st.caption(f"From **{md(name)}**")
    with export_slot:
        stem = Path(name).stem or "monitoring"
        st.download_button(
            "Scorecard (.xlsx)",
            data=functools.partial(_scorecard, result, _scorecard_key(result, name), stem),
            file_name=f"{stem}_scorecard.xlsx",
            mime=XLSX_MIME,
            key="perf_scorecard",
            on_click="ignore",
            icon=":material/download:",
        )
    render_monitoring(result, key="perf", title=name)
