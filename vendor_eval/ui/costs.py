"""The "Total cost" tab: each vendor's total cost of ownership, one-off and per year.

Shown when the workbook has a Costs sheet. The numbers are the evaluation's own breakdown
(:meth:`vendor_eval.core.model.Evaluation.cost_breakdown`, under the contract term and
discount rate in use); this module only orders and labels them.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from vendor_eval.charts.costs import tco_bars, year_columns
from vendor_eval.core.costs import TCO_CRITERION
from vendor_eval.core.model import format_number
from vendor_eval.scoring.ranking import Ranking
from vendor_eval.ui.settings_plain import origin_text
from vendor_eval.ui.text import md

PRICE_SCORE = "Price score"
DISQUALIFIED_RANK = "—"


def cost_table(ranking: Ranking) -> pd.DataFrame | None:
    """The breakdown in ranking order: Rank (text, ``—`` when disqualified), Vendor,
    One-off, Recurring, Year 1 … Year T, TCO, and the TCO's price score (0–1, when it is a
    criterion); ``None`` without a Costs sheet."""
    breakdown = ranking.evaluation.cost_breakdown()
    if breakdown is None:
        return None
    frame = breakdown.to_frame()
    order = [v for v in ranking.vendors if v in frame.index]
    out = frame.reindex(order).reset_index()
    ranks = [ranking.rank(v) for v in order]
    out.insert(0, "Rank", [DISQUALIFIED_RANK if r is None else str(r) for r in ranks])
    if TCO_CRITERION in ranking.normalised.columns:
        out[PRICE_SCORE] = ranking.normalised.loc[order, TCO_CRITERION].to_numpy(dtype=float)
    return out


def without_costs(table: pd.DataFrame) -> list[str]:
    """The vendors with no cost lines (their TCO is missing)."""
    return [str(v) for v in table.loc[table["TCO"].isna(), "Vendor"]]


def terms_caption(ranking: Ranking) -> str:
    """How the TCO was counted: term, rate and where they come from, and the rule."""
    s = ranking.evaluation.settings
    years = f"{s.term} year{'s' if s.term != 1 else ''}"
    rate = f"{format_number(s.rate * 100)}%"
    text = (
        f"Contract term **{years}** ({origin_text(s, 'contract_term')}), discount rate "
        f"**{rate}** ({origin_text(s, 'discount_rate')}). One-off costs count once and are "
        "never discounted; monthly, quarterly and yearly costs count 12, 4 and 1 times in "
        "each contract year"
    )
    if s.rate:
        text += f", and year y's are divided by (1 + {rate})^y (present value)"
    return text + f". The TCO is the value of the price criterion *{md(TCO_CRITERION)}*."


def render_costs(ranking: Ranking) -> None:
    """The tab: how the TCO is counted, the table, the stacked bars."""
    table = cost_table(ranking)
    if table is None:
        st.info("This workbook has no Costs sheet.", icon=":material/info:")
        return
    st.caption(terms_caption(ranking))
    cc = st.column_config
    money = {
        c: cc.NumberColumn(format="accounting")
        for c in ["One-off", "Recurring", *year_columns(table), "TCO"]
    }
    money["Recurring"] = cc.NumberColumn(
        format="accounting", help="Every contract year's recurring costs together"
    )
    money["TCO"] = cc.NumberColumn(format="accounting", help="One-off + recurring")
    st.dataframe(
        table,
        hide_index=True,
        key="costs_table",
        column_config={
            "Rank": cc.TextColumn(width=40, pinned=True, help="—: disqualified (see Ranking)"),
            "Vendor": cc.TextColumn(pinned=True),
            **money,
            PRICE_SCORE: cc.NumberColumn(
                format="percent",
                help="The TCO's score on the price formula: the share of the criterion's "
                "points (ratio: lowest TCO ÷ this TCO)",
            ),
        },
    )
    missing = without_costs(table)
    if missing:
        st.caption(
            "No cost lines (TCO missing; the missing-value policy decides its score): "
            + ", ".join(md(v) for v in missing)
            + "."
        )
    frame = table.set_index("Vendor")
    st.plotly_chart(tco_bars(frame, rate=ranking.evaluation.settings.rate), key="chart_costs")
