"""Head-to-head: where one vendor gains weighted-sum points over another, criterion by criterion."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from vendor_eval.charts._style import (
    base_layout,
    plain,
    plain_list,
    plain_template,
    vendor_colours,
)
from vendor_eval.scoring.ranking import Ranking
from vendor_eval.workbook.values import format_value


def head_to_head_frame(ranking: Ranking, a: str, b: str) -> pd.DataFrame:
    """Per criterion: both vendors' raw values and points, and ``gain`` = points(a) − points(b).

    Rows are sorted by the size of the gain, largest first (ties keep criterion order).
    The gains add up to the difference of the two weighted-sum totals.

    Returns
    -------
    pandas.DataFrame
        Index ``Criterion``; columns ``Category``, ``<a> value``, ``<b> value``,
        ``<a> points``, ``<b> points``, ``gain``.
    """
    ev = ranking.evaluation
    for v in (a, b):
        if v not in ranking.contributions.index:
            raise KeyError(f"{v!r} is not a vendor of this ranking")
    crits = list(ranking.contributions.columns)
    pa = ranking.contributions.loc[a, crits].to_numpy(dtype=float)
    pb = ranking.contributions.loc[b, crits].to_numpy(dtype=float)
    pa, pb = np.nan_to_num(pa), np.nan_to_num(pb)
    va = ev.values.loc[a, crits].to_numpy(dtype=float)
    vb = ev.values.loc[b, crits].to_numpy(dtype=float)
    owner = {c.name: c.category for c in ev.criteria}
    by_name = {c.name: c for c in ev.criteria}

    def shown(values: np.ndarray) -> list[str]:  # as entered: 99.9%, yes, $95
        return [
            format_value(by_name[c], float(x), ev.units.get(c))
            for c, x in zip(crits, values, strict=True)
        ]

    frame = pd.DataFrame(
        {
            "Category": [owner[c] for c in crits],
            f"{a} value": shown(va),
            f"{b} value": shown(vb),
            f"{a} points": pa,
            f"{b} points": pb,
            "gain": pa - pb,
        },
        index=pd.Index(crits, name="Criterion"),
    )
    order = np.argsort(-np.abs(frame["gain"].to_numpy()), kind="stable")
    return frame.iloc[order]


def head_to_head_figure(ranking: Ranking, a: str, b: str) -> go.Figure:
    """Diverging bars: points ``a`` gains over ``b`` (right) and ``b`` over ``a`` (left).

    Two bar traces, named ``"<a> ahead"`` and ``"<b> ahead"``; criteria with no difference
    are left out. The biggest difference is on top. Each side is drawn in its vendor's
    colour (as on the radar and sweep charts).
    """
    frame = head_to_head_frame(ranking, a, b)
    colours = vendor_colours(ranking.vendors)
    frame = frame[np.abs(frame["gain"]) > 1e-9]
    fig = go.Figure()
    # One bar trace per side; B's gains are negative on the axis but shown as "+points".
    for name, rows, sign in (
        (a, frame[frame["gain"] > 0], 1.0),
        (b, frame[frame["gain"] < 0], -1.0),
    ):
        gains = rows["gain"].to_numpy(dtype=float)
        fig.add_trace(
            go.Bar(
                name=plain(f"{name} ahead"),
                orientation="h",
                y=plain_list(list(rows.index)),
                x=gains,
                marker_color=colours[name],
                hovertemplate="%{y}: "
                + plain_template(name)
                + " +%{customdata:.2f} points<extra></extra>",
                customdata=sign * gains,
            )
        )
    fig.update_layout(barmode="relative")
    fig.update_yaxes(categoryorder="array", categoryarray=plain_list(list(frame.index))[::-1])
    fig.add_vline(x=0, line_width=1, line_color="grey")
    net = float(frame["gain"].sum())
    leader = a if net >= 0 else b
    fig.update_xaxes(title_text=f"← {plain(b)} gains · points · {plain(a)} gains →")
    title = plain(f"{a} vs {b}: {leader} ahead by {abs(net):.1f} weighted-sum points")
    return base_layout(fig, title, height=max(300, 120 + 26 * len(frame)))


def head_to_head_sentences(ranking: Ranking, a: str, b: str, top: int = 3) -> list[str]:
    """Plain sentences summarising :func:`head_to_head_frame` for the meeting room."""
    frame = head_to_head_frame(ranking, a, b)
    net = float(frame["gain"].sum())
    out: list[str] = []
    if abs(net) <= 1e-9:
        out.append(f"{a} and {b} score the same on the weighted sum.")
    else:
        leader, trailer = (a, b) if net > 0 else (b, a)
        out.append(f"{leader} is ahead of {trailer} by {abs(net):.1f} weighted-sum points.")
    for who, sign in ((a, 1.0), (b, -1.0)):
        gains = frame[frame["gain"] * sign > 1e-9].head(top)
        if len(gains):
            parts = ", ".join(f"{c} (+{g * sign:.1f})" for c, g in gains["gain"].items())
            out.append(f"{who} gains most on {parts}.")
    return out
