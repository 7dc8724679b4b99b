"""Monitoring figures from plain data: the scorecard heatmap (period × KPI) with met and
breach marks, and the period score line over the standing bands.

No Streamlit; no arithmetic beyond laying out what :mod:`vendor_eval.monitoring.scoring`
computed. Legible in black and white: the heatmap cells carry the score and a mark as text
(✓ met, ✗ breach), the line carries its points' values and the bands their names.
"""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

from vendor_eval.charts._style import base_layout, plain, plain_list
from vendor_eval.monitoring.model import Standing

__all__ = ["BAND_SHADES", "BREACH_MARK", "MET_MARK", "period_score_figure", "scorecard_figure"]

MET_MARK = "✓"
BREACH_MARK = "✗"
#: Band fills, best first (light, so the line and labels stay readable in grey too).
BAND_SHADES = ("#e3f1e1", "#eef5d9", "#fbf0d5", "#f8dcd8", "#f1f1f1", "#e8e8e8")


def _cell_text(score: float | None, met: bool, breach: bool) -> str:
    if score is None:
        return ""
    mark = f" {MET_MARK}" if met else f" {BREACH_MARK}" if breach else ""
    return f"{score:.0f}{mark}"


def scorecard_figure(
    periods: Sequence[str],
    kpis: Sequence[str],
    scores: Sequence[Sequence[float | None]],
    met: Sequence[Sequence[bool]],
    breach: Sequence[Sequence[bool]],
    actuals: Sequence[Sequence[float | None]],
    *,
    title: str = "",
) -> go.Figure:
    """The heatmap: one row per KPI, one column per period, each cell the KPI score
    (0–100, blank when not reported) with ✓ when met and ✗ in breach; hover shows the
    actual. ``scores[i][j]`` is KPI ``i`` in period ``j``."""
    text = [
        [_cell_text(s, m, b) for s, m, b in zip(row, mrow, brow, strict=True)]
        for row, mrow, brow in zip(scores, met, breach, strict=True)
    ]
    hover = [["not reported" if a is None else f"actual {a:g}" for a in row] for row in actuals]
    z = [[float("nan") if s is None else s for s in row] for row in scores]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=plain_list(periods),
            y=plain_list(kpis),
            text=text,
            texttemplate="%{text}",
            customdata=hover,
            hovertemplate="%{y}, %{x}: %{z:.1f} (%{customdata})<extra></extra>",
            zmin=0,
            zmax=100,
            colorscale=[[0, "#c0392b"], [0.5, "#f4d03f"], [1, "#27ae60"]],
            colorbar={"title": {"text": "KPI score"}},
            xgap=2,
            ygap=2,
        )
    )
    fig.update_xaxes(type="category", title_text="Period")
    fig.update_yaxes(autorange="reversed", type="category")
    height = max(260, 60 + 34 * len(kpis))
    return base_layout(fig, title or "Scorecard: KPI score by period (✓ met, ✗ breach)", height)


def period_score_figure(
    periods: Sequence[str],
    scores: Sequence[float | None],
    standings: Sequence[Standing],
    *,
    title: str = "",
) -> go.Figure:
    """The period score (0–100) as a line with its values, the standing bands shaded
    behind it and named at the right; a period without any report is a gap (no point),
    never 0. ``standings`` best first."""
    fig = go.Figure()
    upper = 100.0
    for i, band in enumerate(standings):
        fig.add_hrect(
            y0=band.minimum,
            y1=upper,
            fillcolor=BAND_SHADES[i % len(BAND_SHADES)],
            line_width=0,
            layer="below",
            annotation_text=plain(band.name),
            annotation_position="right",
            annotation_font_size=11,
        )
        upper = band.minimum
    fig.add_trace(
        go.Scatter(
            x=plain_list(periods),
            y=[None if s is None else s for s in scores],
            mode="lines+markers+text",
            text=["" if s is None else f"{s:.0f}" for s in scores],
            textposition="top center",
            line={"color": "#1f3b73", "width": 2},
            marker={"size": 7, "symbol": "circle"},
            connectgaps=False,
            name="Period score",
            hovertemplate="%{x}: %{y:.1f}<extra></extra>",
        )
    )
    fig.update_xaxes(type="category", title_text="Period")
    fig.update_yaxes(range=[0, 105], title_text="Period score")
    fig = base_layout(fig, title or "Period score and standing", 340)
    fig.update_layout(showlegend=False, margin={"r": 130})
    return fig
