"""Exploring the result: charts, one vendor's detail, and a head-to-head of two vendors."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from vendor_eval.charts.compare import (
    head_to_head_figure,
    head_to_head_frame,
    head_to_head_sentences,
)
from vendor_eval.charts.scores import category_radar, contribution_bars, criteria_heatmap
from vendor_eval.core.model import Method
from vendor_eval.scoring.ranking import NO_DATA, Ranking, stage_label
from vendor_eval.ui import state
from vendor_eval.ui.results import NO_DATA_HELP, table_height
from vendor_eval.ui.scored import RELATIVE_HELP, shortlist_help
from vendor_eval.ui.tables import (
    gate_results,
    vendor_missing,
    vendor_profile,
    vendor_values,
)
from vendor_eval.ui.text import md

TOPSIS_POINTS = (
    "The method is TOPSIS, which is not additive: the points below are the weighted-sum "
    "points each criterion earns, shown to explain where the vendors differ."
)


def render_charts(ranking: Ranking, gen: int) -> None:
    """Contribution bars, a radar of chosen vendors (with their numbers) and the heatmap."""
    st.plotly_chart(contribution_bars(ranking), key="chart_contributions")
    default = ranking.qualified[:3] or ranking.vendors[:3]
    chosen = st.multiselect(
        "Vendors on the radar",
        ranking.vendors,
        default=default,
        key=state.key(f"radar_{gen}"),
        max_selections=8,
    )
    left, right = st.columns([1, 1], vertical_alignment="center")
    with left:
        st.plotly_chart(category_radar(ranking, chosen), key="chart_radar")
    with right:
        if chosen:
            frame = ranking.shown_category_scores.loc[chosen].T  # NaN: no data, not 0
            frame.index.name = "Category"
            st.dataframe(
                frame.reset_index(),
                hide_index=True,
                key="radar_table",
                column_config={v: st.column_config.NumberColumn(format="%.1f") for v in chosen},
                placeholder=NO_DATA,
            )
            gap = f" {NO_DATA_HELP}" if frame.isna().to_numpy().any() else ""
            st.caption("Category scores, points out of 100." + gap)
    st.plotly_chart(criteria_heatmap(ranking), key="chart_heatmap")


def _bullets(title: str, lines: list[str]) -> None:
    """A bold title over a bulleted list; both are plain text (escaped here)."""
    st.markdown(f"**{md(title)}**")
    st.markdown("\n".join(f"- {md(line)}" for line in lines) if lines else "_none stand out_")


def render_vendor_detail(ranking: Ranking, gen: int) -> None:
    """One vendor: result, strengths and weaknesses, profile, gate results, missing data."""
    vendor = st.selectbox("Vendor", ranking.vendors, key=state.key(f"detail_{gen}"))
    if vendor is None:
        return
    rank = ranking.rank(vendor)
    row = ranking.table.loc[vendor]
    c1, c2, c3 = st.columns(3)
    c1.metric("Rank", "—" if rank is None else f"{rank} of {len(ranking.qualified)}")
    c2.metric("Score", f"{ranking.score(vendor):.1f}")
    completeness = float(row["completeness"])  # type: ignore[arg-type]  # one row: a number
    c3.metric("Completeness", f"{completeness:.0%}")
    if rank is None:
        stage = stage_label(ranking.stage_of(vendor)) if ranking.evaluation.staged else ""
        at = f" at the {stage.lower()}" if stage else ""
        st.warning(f"Disqualified{at}: " + md("; ".join(row["reasons"])), icon=":material/block:")
    notes = ranking.explanations.get(vendor, {}) if ranking.explanations else {}
    left, right = st.columns(2)
    with left:
        _bullets("Strengths", list(notes.get("strengths", [])))
        _bullets("Weaknesses", list(notes.get("weaknesses", [])))
    with right:
        st.markdown("**Profile**")
        profile = vendor_profile(ranking.evaluation, vendor)
        if len(profile):
            st.dataframe(profile, hide_index=True, key="detail_profile")
        else:
            st.caption("The workbook has no descriptive columns for this vendor.")
    values = vendor_values(ranking, vendor)
    _table_or_note(
        "Values and scores",
        values,
        "detail_values",
        "No criteria.",
        column_config={
            "Value": st.column_config.TextColumn(help="As entered in the workbook"),
            "Score": st.column_config.NumberColumn(
                format="%.2f", help="0–1, after the missing-value policy"
            ),
            "Points": st.column_config.NumberColumn(
                format="%.1f", help="Weighted-sum points; they add up to the total"
            ),
            "Scored": st.column_config.TextColumn(
                help=shortlist_help(ranking.evaluation.criteria) or RELATIVE_HELP
            ),
        },
    )
    if ranking.method is Method.TOPSIS:  # the Score metric above is TOPSIS's, not a sum
        st.caption(TOPSIS_POINTS)
    shortlist = shortlist_help(ranking.evaluation.criteria)
    if shortlist:
        st.caption(shortlist)
    _table_or_note(
        "Must-have rules",
        gate_results(ranking, vendor),
        "detail_gates",
        "No must-have rules are set.",
    )
    _table_or_note(
        "Missing data",
        vendor_missing(ranking, vendor),
        "detail_missing",
        "Every criterion has a value.",
        column_config={"Weight share": st.column_config.NumberColumn(format="percent")},
    )


def _table_or_note(title: str, frame: pd.DataFrame, key: str, empty: str, **options: Any) -> None:
    """A titled table, or a one-line note when it has no rows."""
    st.markdown(f"**{title}**")
    if len(frame):
        st.dataframe(frame, hide_index=True, key=key, **options)
    else:
        st.caption(empty)


def render_head_to_head(ranking: Ranking, gen: int) -> None:
    """Two chosen vendors, criterion by criterion: who gains how many points, and why."""
    vendors = ranking.vendors
    if len(vendors) < 2:
        st.info("Head-to-head needs at least two vendors.")
        return
    c1, c2 = st.columns(2)
    a = c1.selectbox("Vendor A", vendors, index=0, key=state.key(f"h2h_a_{gen}"))
    b = c2.selectbox("Vendor B", vendors, index=1, key=state.key(f"h2h_b_{gen}"))
    if a is None or b is None or a == b:
        st.info("Choose two different vendors.")
        return
    for vendor, col in ((a, c1), (b, c2)):
        rank = ranking.rank(vendor)
        col.metric(
            md(vendor),
            f"{ranking.score(vendor):.1f}",
            help="score (0–100) under the chosen method",
        )
        col.caption("disqualified" if rank is None else f"rank {rank}")
    if ranking.method is Method.TOPSIS:
        st.caption(TOPSIS_POINTS)
    st.markdown("\n".join(f"- {md(s)}" for s in head_to_head_sentences(ranking, a, b)))
    st.plotly_chart(head_to_head_figure(ranking, a, b), key="chart_h2h")
    notes = ranking.explanations or {}
    left, right = st.columns(2)
    for vendor, col in ((a, left), (b, right)):
        with col:
            _bullets(f"{vendor}: strengths", list(notes.get(vendor, {}).get("strengths", [])))
            _bullets(f"{vendor}: weaknesses", list(notes.get(vendor, {}).get("weaknesses", [])))
    frame = head_to_head_frame(ranking, a, b).reset_index()
    gain = "Difference (points)"
    frame = frame.rename(columns={"gain": gain})
    order = ["Criterion", "Category", gain, f"{a} points", f"{b} points"]
    order += [f"{a} value", f"{b} value"]
    st.markdown("**Criterion by criterion** (largest difference first)")
    st.dataframe(
        frame[order],
        hide_index=True,
        key="h2h_table",
        height=table_height(len(frame)),
        column_config={
            **{c: st.column_config.NumberColumn(format="%.2f") for c in order[3:5]},
            gain: st.column_config.NumberColumn(
                format="%+.2f",
                help=f"{md(a)} minus {md(b)}: positive = {md(a)} ahead, negative = {md(b)} ahead",
            ),
        },
    )
