"""The total cost of ownership per vendor as stacked bars: one-off, then each contract year.

Built from the plain breakdown table (:meth:`vendor_eval.core.costs.CostBreakdown.to_frame`:
One-off, Recurring, Year 1 … Year T, TCO per vendor), not from a ranking. Each segment has
its own fill pattern as well as its own shade, so the chart still reads when printed in
black and white.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from vendor_eval.charts._style import base_layout, plain_list
from vendor_eval.core.model import format_number

__all__ = ["ONE_OFF", "tco_bars", "year_columns"]

ONE_OFF = "One-off"
ONE_OFF_COLOUR = "#333333"
#: Contract years, light to dark, then cycled (ColorBrewer "Blues").
YEAR_COLOURS = ["#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#08519c"]
#: A different fill pattern per year, so a black-and-white print still tells them apart.
YEAR_PATTERNS = ["/", "\\", "x", ".", "-", "|", "+"]


def year_columns(frame: pd.DataFrame) -> list[str]:
    """The breakdown's ``Year 1`` … ``Year T`` columns, in order."""
    return [str(c) for c in frame.columns if str(c).startswith("Year ")]


def _row_height(n: int) -> int:
    return max(300, 120 + 30 * n)


def tco_bars(
    frame: pd.DataFrame, vendors: Sequence[str] | None = None, rate: float = 0.0
) -> go.Figure:
    """Horizontal stacked bars of each vendor's total cost of ownership.

    Parameters
    ----------
    frame:
        The breakdown table, indexed by vendor (``CostBreakdown.to_frame()``). A vendor
        without cost lines (TCO NaN) gets no bar.
    vendors:
        The order, first on top (e.g. the ranking's); default the frame's order.
    rate:
        The discount rate the years were discounted at (the axis title says so).

    One bar trace for the one-off costs and one per contract year (the recurring costs
    paid that year, discounted), then a text trace, ``TCO``, labelling each bar with its
    total.
    """
    order = [v for v in (vendors if vendors is not None else frame.index) if v in frame.index]
    rows = frame.reindex(order)
    rows = rows[rows["TCO"].notna().to_numpy()]
    shown = plain_list(list(rows.index))
    fig = go.Figure()
    segments = [(ONE_OFF, ONE_OFF_COLOUR, "")]
    for k, year in enumerate(year_columns(frame)):
        segments.append(
            (year, YEAR_COLOURS[k % len(YEAR_COLOURS)], YEAR_PATTERNS[k % len(YEAR_PATTERNS)])
        )
    for name, colour, pattern in segments:
        fig.add_trace(
            go.Bar(
                name=name,
                orientation="h",
                y=shown,
                x=rows[name].to_numpy(dtype=float),
                marker={
                    "color": colour,
                    "line": {"color": "#000000", "width": 0.5},
                    "pattern": {"shape": pattern, "fgcolor": "#000000", "solidity": 0.25},
                },
                hovertemplate="%{y}<br>" + name + ": %{x:,.2f}<extra></extra>",
            )
        )
    totals = rows["TCO"].to_numpy(dtype=float)
    fig.add_trace(
        go.Scatter(
            name="TCO",
            x=totals,
            y=shown,
            mode="text",
            text=[f"{t:,.0f}" for t in totals],
            textposition="middle right",
            showlegend=False,
            hoverinfo="skip",
        )
    )
    fig.update_layout(barmode="stack")
    fig.update_yaxes(categoryorder="array", categoryarray=shown[::-1])
    upper = float(np.nanmax(totals)) if len(totals) else 1.0
    title = "cost over the contract"
    if rate:
        title += f" (present value, discounted at {format_number(rate * 100)}% a year)"
    fig.update_xaxes(title_text=title, range=[0, upper * 1.2])
    return base_layout(fig, "Total cost of ownership: one-off and per contract year",
                       height=_row_height(len(shown)))  # fmt: skip
