"""Robustness charts: rank-probability bars and the weight-sweep chart (no Streamlit).

Both take results of :mod:`vendor_eval.stress.analysis` and only draw them: the rank
probabilities are the Monte Carlo shares, the sweep lines are evaluated from the exact
:class:`~vendor_eval.stress.analysis.Sweep` (and its leader changes are the solved crossovers).
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from vendor_eval.charts._style import (
    base_layout,
    plain,
    plain_list,
    plain_template,
    vendor_colours,
)
from vendor_eval.stress.report import SensitivityReport, Sweep


def _expected_rank(probs: list[float]) -> float:
    return float(sum((r + 1) * p for r, p in enumerate(probs)))


def rank_probability_bars(report: SensitivityReport, max_ranks: int = 5) -> go.Figure:
    """Stacked horizontal bars of P(rank r) per vendor, most likely winner on top.

    One trace per rank ``Rank 1`` … ``Rank k`` (k = ``max_ranks`` or fewer vendors), plus a
    ``Rank k+1 or lower`` trace when there are more vendors; each bar adds up to 100%.
    Vendors are ordered by P(rank 1), then by expected rank.
    """
    rp = report.rank_probabilities
    vendors = sorted(rp, key=lambda v: (-rp[v][0], _expected_rank(rp[v])))
    shown = plain_list(vendors)
    n = len(vendors)
    k = min(max_ranks, n)
    colours = sample_colorscale("Viridis", [i / max(k, 1) for i in range(k + 1)])
    fig = go.Figure()
    for r in range(k):
        fig.add_trace(
            go.Bar(
                name=f"Rank {r + 1}",
                orientation="h",
                y=shown,
                x=[100.0 * rp[v][r] for v in vendors],
                marker_color=colours[r],
                hovertemplate="%{y}: rank "
                + str(r + 1)
                + " in %{x:.1f}% of samples<extra></extra>",
            )
        )
    if n > k:
        fig.add_trace(
            go.Bar(
                name=f"Rank {k + 1} or lower",
                orientation="h",
                y=shown,
                x=[100.0 * sum(rp[v][k:]) for v in vendors],
                marker_color="rgb(200, 200, 200)",
                hovertemplate="%{y}: rank " + str(k + 1) + " or lower in %{x:.1f}%<extra></extra>",
            )
        )
    how = "uniform weights" if report.kappa is None else f"κ = {report.kappa:g}"
    base_layout(
        fig,
        f"How often each vendor takes each rank ({report.samples:,} weight samples, {how})",
        height=max(320, 120 + 28 * n),
    )
    fig.update_layout(barmode="stack")
    fig.update_xaxes(title="Share of weight samples (%)", range=[0, 100])
    fig.update_yaxes(autorange="reversed")
    return fig


def sweep_chart(sweep: Sweep, points: int = 201) -> go.Figure:
    """Each vendor's score as the factor's share of the total weight goes from 0 to 1.

    One line per qualified vendor (official order), a marker trace ``Leader changes`` at the
    exact crossover points on the upper envelope, and a vertical line (a layout shape) at the
    current share.
    """
    changes = sweep.changes
    grid = np.unique(
        np.concatenate([np.linspace(0.0, 1.0, points), [sweep.current], [t for t, *_ in changes]])
    )
    scores = sweep.lines.scores(grid)
    colours = vendor_colours(sweep.vendors)  # official order, as Ranking.vendors starts
    fig = go.Figure()
    for i, v in enumerate(sweep.vendors):
        fig.add_trace(
            go.Scatter(
                name=plain(v),
                x=grid,
                y=scores[:, i],
                mode="lines",
                line={"color": colours[v], "width": 3 if i == 0 else 1.5},
                hovertemplate=plain_template(v) + ": %{y:.1f} points at share %{x:.1%}"
                "<extra></extra>",
            )
        )
    if changes:
        xs = [t for t, *_ in changes]
        idx = {v: i for i, v in enumerate(sweep.vendors)}
        ys = [float(sweep.lines.scores(t)[idx[new]]) for t, _, new in changes]
        fig.add_trace(
            go.Scatter(
                name="Leader changes",
                x=xs,
                y=ys,
                mode="markers",
                marker={"symbol": "x", "size": 11, "color": "black"},
                text=[plain(f"{old} → {new}") for _, old, new in changes],
                hovertemplate="%{text} at share %{x:.1%}<extra></extra>",
            )
        )
    fig.add_vline(
        x=sweep.current,
        line_dash="dash",
        line_color="grey",
        annotation_text=f"current {sweep.current:.0%}",
        annotation_position="top",
    )
    factor = plain(sweep.factor)
    base_layout(fig, f"Scores as the weight of {factor} changes", height=460, legend="right")
    fig.update_xaxes(title=f"Share of total weight on {factor}", tickformat=".0%", range=[0, 1])
    fig.update_yaxes(title="score (points out of 100)")
    return fig
