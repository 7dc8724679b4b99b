"""Headline metrics and the ranking table (qualified vendors ranked, disqualified apart)."""

from __future__ import annotations

import streamlit as st

from vendor_eval.model import Method
from vendor_eval.ranking import Ranking
from vendor_eval.ui.tables import headline, ranking_tables

METHOD_NAMES = {Method.WSM: "weighted sum", Method.TOPSIS: "TOPSIS"}


def render_headline(ranking: Ranking) -> None:
    """Leader, its score, its margin over #2 and how many vendors qualify."""
    h = headline(ranking)
    c1, c2, c3, c4 = st.columns([2, 1, 1, 1])
    c1.metric("Leader", h.leader or "none qualifies", border=True)
    c2.metric(
        "Leader's score",
        "—" if h.leader_score is None else f"{h.leader_score:.1f}",
        help=f"0–100, {METHOD_NAMES[ranking.method]}",
        border=True,
    )
    c3.metric(
        "Margin over #2",
        "—" if h.margin is None else f"{h.margin:.1f}",
        help=f"points ahead of {h.runner_up}" if h.runner_up else "fewer than two qualify",
        border=True,
    )
    c4.metric("Qualified", f"{h.qualified} of {h.vendors}", border=True)


def _column_config(ranking: Ranking) -> dict[str, object]:
    cc = st.column_config
    config: dict[str, object] = {
        "Rank": cc.NumberColumn(format="%d", width="small"),
        "Vendor": cc.TextColumn(pinned=True),
        "Score": cc.ProgressColumn(min_value=0.0, max_value=100.0, format="%.1f"),
        "Completeness": cc.ProgressColumn(min_value=0.0, max_value=1.0, format="percent"),
        "Reasons": cc.TextColumn(width="large"),
    }
    for cat in ranking.category_scores.columns:
        config[cat] = cc.NumberColumn(format="%.1f")
    return config


def table_height(rows: int, cap: int = 30) -> int:
    """Pixels for a table that shows ``rows`` rows (up to ``cap``) without scrolling."""
    return 35 * (min(rows, cap) + 1) + 3


def render_ranking(ranking: Ranking) -> None:
    """The ranking table, then the disqualified vendors with their reasons."""
    qualified, disqualified = ranking_tables(ranking)
    config = _column_config(ranking)
    st.caption(
        f"Method: **{METHOD_NAMES[ranking.method]}** · missing values: "
        f"**{ranking.missing.value}** · category columns are weighted-sum scores (0–100)."
    )
    st.dataframe(
        qualified,
        column_config=config,
        hide_index=True,
        key="ranking_table",
        height=table_height(len(qualified)),
    )
    if len(disqualified):
        st.subheader(f"Disqualified ({len(disqualified)})")
        st.caption("These vendors fail at least one must-have rule and are not ranked.")
        st.dataframe(disqualified, column_config=config, hide_index=True, key="disqualified_table")
    for message in ranking.messages:
        st.info(message, icon=":material/info:")
