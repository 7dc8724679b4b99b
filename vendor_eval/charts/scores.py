"""Score charts: contribution bars by category, category radar, criterion heatmap.

Every builder takes a :class:`~vendor_eval.scoring.ranking.Ranking` and returns a plotly figure; the
numbers are the ranking's own (no recomputation beyond summing contributions per category).
Vendors appear in ranking order, best on top. A category a vendor has no data in (missing
values excluded and none in the category: ``Ranking.category_no_data``) is drawn as
nothing, never as 0: no bar segment, a gap in the radar outline, a blank heatmap cell whose
hover says "no data"; the axes are fixed scales (0–100 points, 0–1 scores) or come from the
data present.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from vendor_eval.charts._style import (
    base_layout,
    category_colours,
    plain,
    plain_list,
    plain_template,
    vendor_colours,
)
from vendor_eval.core.model import Method, format_number
from vendor_eval.scoring.ranking import NO_DATA, Ranking


def _row_height(n: int) -> int:
    return max(320, 120 + 28 * n)


def category_points(ranking: Ranking) -> pd.DataFrame:
    """Weighted-sum points each category contributes to each vendor's total.

    Returns
    -------
    pandas.DataFrame
        Vendors (ranking order) × categories (evaluation order); each row adds up to the
        vendor's weighted-sum score. Missing contributions (policy ``exclude``) count 0.
    """
    ev = ranking.evaluation
    owner = {c.name: c.category for c in ev.criteria}
    contrib = ranking.contributions.reindex(index=ranking.vendors).fillna(0.0)
    out = pd.DataFrame(0.0, index=contrib.index, columns=ev.category_names)
    for crit in contrib.columns:
        out[owner[crit]] = out[owner[crit]] + contrib[crit].to_numpy(dtype=float)
    return out


def contribution_bars(ranking: Ranking) -> go.Figure:
    """Stacked horizontal bars: each vendor's weighted-sum points, split by category.

    One bar trace per category (evaluation order) and one text trace, ``Total``, that labels
    each bar with its total and marks disqualified vendors.
    """
    points = category_points(ranking)
    vendors = list(points.index)
    shown = plain_list(vendors)  # the axis values as Plotly draws them
    colours = category_colours(list(points.columns))
    # no data in a category: no segment (NaN), not a 0-point one whose hover says "0.0"
    bars = points.mask(_no_data(ranking, vendors, list(points.columns)))
    fig = go.Figure()
    for cat in points.columns:
        fig.add_trace(
            go.Bar(
                name=plain(cat),
                orientation="h",
                y=shown,
                x=bars[cat].to_numpy(dtype=float),
                marker_color=colours[cat],
                hovertemplate="%{y}<br>" + plain_template(cat) + ": %{x:.1f} points<extra></extra>",
            )
        )
    totals = points.sum(axis=1).to_numpy(dtype=float)
    qualified = set(ranking.qualified)
    labels = [
        f"{t:.1f}" if v in qualified else f"{t:.1f} (disqualified)"
        for v, t in zip(vendors, totals, strict=True)
    ]
    fig.add_trace(
        go.Scatter(
            name="Total",
            x=totals,
            y=shown,
            mode="text",
            text=labels,
            textposition="middle right",
            showlegend=False,
            hoverinfo="skip",
        )
    )
    fig.update_layout(barmode="stack")
    fig.update_yaxes(categoryorder="array", categoryarray=shown[::-1])
    upper = float(np.nanmax(totals)) if len(totals) else 100.0
    fig.update_xaxes(title_text="points (weighted sum, out of 100)", range=[0, upper * 1.25 + 1])
    title = "Score by category"
    if ranking.method is Method.TOPSIS:
        title += " (bars: weighted-sum points; order: TOPSIS)"
    return base_layout(fig, title, height=_row_height(len(vendors)))


def _no_data(ranking: Ranking, vendors: Sequence[str], cats: Sequence[str]) -> pd.DataFrame:
    """Vendors × categories, True where the vendor has no data in the category."""
    return ranking.category_no_data.reindex(index=list(vendors), columns=list(cats)).fillna(False)


def _radius(values: np.ndarray) -> list[float | None]:
    """A closed outline's radii: the first point again at the end; ``None`` (a gap in the
    outline, Plotly's null) where a category has no data, so it is not drawn at 0."""
    r: list[float | None] = [None if np.isnan(x) else float(x) for x in values]
    return [*r, r[0]] if r else []


def category_radar(ranking: Ranking, vendors: Sequence[str]) -> go.Figure:
    """Radar of category scores (0–100 points) for the chosen vendors, one closed trace each.

    Each vendor keeps its colour from :func:`~vendor_eval.charts._style.vendor_colours`
    (the same as on the sweep and head-to-head charts). A category the vendor has no data
    in is a gap in its outline (not a point at 0), and a note under the chart says so; the
    radial axis is the fixed 0–100 scale whatever the data.
    """
    cats = list(ranking.category_scores.columns)
    theta = plain_list(cats)
    colours = vendor_colours(ranking.vendors)
    scores = ranking.shown_category_scores
    fig = go.Figure()
    for v in vendors:
        r = scores.loc[v, cats].to_numpy(dtype=float)
        fig.add_trace(
            go.Scatterpolar(
                name=plain(v),
                r=_radius(r),
                theta=[*theta, theta[0]] if theta else [],
                fill="toself",
                opacity=0.55,
                line={"color": colours[v]},
                hovertemplate="%{theta}: %{r:.1f} points<extra>" + plain_template(v) + "</extra>",
            )
        )
    fig.update_layout(
        polar={"radialaxis": {"range": [0, 100], "angle": 90, "tickfont": {"size": 9}}},
    )
    base_layout(fig, "Category scores (points out of 100)", height=520, legend="bottom")
    # room for the category names around the circle
    fig.update_layout(margin={"l": 100, "r": 100, "t": 70, "b": 40})
    if bool(_no_data(ranking, vendors, cats).to_numpy().any()):
        fig.add_annotation(
            text=f"A gap in an outline: {NO_DATA} (no value in any of the category's criteria)",
            xref="paper", yref="paper", x=0.5, y=-0.02, showarrow=False,
            font={"size": 11}, yanchor="top",
        )  # fmt: skip
    return fig


def criteria_heatmap(ranking: Ranking) -> go.Figure:
    """Heatmap of normalised criterion scores ``s`` in [0, 1]: vendors × criteria.

    Rows in ranking order (best on top); columns grouped by category, separated by white
    lines and topped by a band in the category's colour, with one legend entry (an empty
    marker trace) per category. Hover shows the score and the raw value; a value the
    ``exclude`` policy left out is a blank cell whose hover says "no data" (score) and
    "missing" (value). The colour scale is fixed at 0–1.
    """
    ev = ranking.evaluation
    groups = [
        (cat, [c.name for c in ev.criteria if c.category == cat]) for cat in ev.category_names
    ]
    groups = [(cat, names) for cat, names in groups if names]
    order = [name for _, names in groups for name in names]
    vendors = ranking.vendors
    z = ranking.normalised.reindex(index=vendors, columns=order).to_numpy(dtype=float)
    raw = ev.values.reindex(index=vendors, columns=order).to_numpy(dtype=float)
    # hover text per cell: the raw value and the score, or "no data" where the missing
    # policy left the value out (z is NaN there: a blank cell, not a 0)
    custom = np.array([[format_number(x) for x in row] for row in raw], dtype=object)
    score_text = np.where(np.isnan(z), NO_DATA, np.char.mod("%.2f", np.nan_to_num(z)))
    colours = category_colours(ev.category_names)
    traces: list[go.Heatmap | go.Scatter] = [
        go.Heatmap(
            z=z,
            x=plain_list(order),
            y=plain_list(vendors),
            zmin=0.0,
            zmax=1.0,
            colorscale="Viridis",
            customdata=custom,
            colorbar={"title": {"text": "score<br>0 worst<br>1 best"}},
            text=score_text,
            hovertemplate="%{y} · %{x}<br>score %{text}<br>value %{customdata}<extra></extra>",
        )
    ]
    # Shapes as plain dicts in one layout update (add_vline/add_shape validate one by one
    # and made this chart four times slower). On a category axis column i sits at x = i.
    shapes: list[dict[str, object]] = []
    edge = 0
    for k, (cat, names) in enumerate(groups):
        if k:  # a white line between categories
            shapes.append(
                {
                    "type": "line",
                    "xref": "x",
                    "yref": "paper",
                    "x0": edge - 0.5,
                    "x1": edge - 0.5,
                    "y0": 0,
                    "y1": 1,
                    "line": {"color": "white", "width": 3},
                }
            )
        # a band in the category's colour above its columns
        shapes.append(
            {
                "type": "rect",
                "xref": "x",
                "yref": "paper",
                "x0": edge - 0.5,
                "x1": edge + len(names) - 0.5,
                "y0": 1.01,
                "y1": 1.04,
                "fillcolor": colours[cat],
                "line": {"width": 0},
            }
        )
        edge += len(names)
        # a legend entry per category, in its colour
        traces.append(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                marker={"symbol": "square", "size": 12, "color": colours[cat]},
                name=plain(cat),
                hoverinfo="skip",
            )
        )
    fig = go.Figure(data=traces, layout={"shapes": shapes})
    fig.update_yaxes(autorange="reversed", title_text="vendor (ranking order)")
    # a category axis: positions are column indices, so group edges sit at i - 0.5
    fig.update_xaxes(tickangle=-40, title_text="criterion, grouped by category (colour band)")
    base_layout(
        fig,
        "Normalised criterion scores (0 = worst, 1 = best)",
        height=_row_height(len(vendors)) + 200,
    )
    # the legend sits above the colour bands, not over them
    fig.update_layout(plot_bgcolor="white", margin={"t": 130}, legend={"y": 1.07})
    return fig
