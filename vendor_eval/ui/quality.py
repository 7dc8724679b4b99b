"""The data-quality panel: import warnings, run messages and the missing-data overview."""

from __future__ import annotations

import streamlit as st

from vendor_eval.core.problems import problems_frame
from vendor_eval.scoring.ranking import Ranking
from vendor_eval.ui.tables import missing_overview
from vendor_eval.ui.text import md


def render_quality(ranking: Ranking) -> None:
    """Warnings (they do not stop scoring), then which values are missing and what they weigh."""
    ev = ranking.evaluation
    st.subheader("Warnings")
    if ev.warnings:
        st.warning(
            f"{len(ev.warnings)} warning(s): scoring went ahead, but check these cells.",
            icon=":material/warning:",
        )
        frame = problems_frame(ev.warnings)[["sheet", "cell", "column", "message"]]
        st.dataframe(frame, hide_index=True, key="quality_warnings")
    else:
        st.success("The workbook raised no warnings.", icon=":material/check_circle:")
    for message in ranking.messages:
        st.info(md(message), icon=":material/info:")

    st.subheader("Missing data")
    overview = missing_overview(ranking)
    gaps = overview[overview["Missing"] > 0]
    total = int(ranking.missing_mask.to_numpy().sum())
    cells = ranking.missing_mask.size
    st.caption(
        f"{total} of {cells} values missing; policy **{ranking.missing.value}** "
        "decides what they are worth."
    )
    if len(gaps):
        st.dataframe(
            gaps,
            hide_index=True,
            key="quality_missing",
            column_config={
                "Weight share": st.column_config.NumberColumn(format="percent"),
                "Missing share": st.column_config.ProgressColumn(
                    min_value=0.0, max_value=1.0, format="percent"
                ),
            },
        )
    else:
        st.success("Every vendor has a value for every criterion.", icon=":material/check:")
