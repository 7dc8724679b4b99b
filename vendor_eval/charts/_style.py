"""Shared colours and layout defaults so every chart names a category in the same colour."""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go
from plotly.colors import qualitative

#: Colour-blind-safe palette (Paul Tol's "safe"), cycled when there are more categories.
PALETTE: list[str] = list(qualitative.Safe)
GAIN_A = "rgb(17, 119, 51)"
GAIN_B = "rgb(204, 102, 119)"


def category_colours(categories: Sequence[str]) -> dict[str, str]:
    """Category → colour, stable for a given category order."""
    return {c: PALETTE[i % len(PALETTE)] for i, c in enumerate(categories)}


def base_layout(fig: go.Figure, title: str, height: int | None = None) -> go.Figure:
    """Apply the common title, margins and legend placement."""
    fig.update_layout(
        title={"text": title, "x": 0.0, "xanchor": "left"},
        margin={"l": 10, "r": 10, "t": 60, "b": 10},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0.0},
        height=height,
    )
    return fig
