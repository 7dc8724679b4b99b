"""Shared colours and layout defaults.

User text (vendor, criterion and category names) goes into a figure only through
:func:`plain` (data, labels, titles) or :func:`plain_template` (hover and text templates):
Plotly draws its text fields as a subset of HTML — ``<a href>``, ``<b>``, ``<br>``,
``<span style>``, entities such as ``&lt;`` — and fills ``%{…}`` placeholders in templates,
so a vendor named ``<a href="https://…">`` would be a live link in the tooltip and on the
axis. Escaped, it shows as written.

Every chart names a category in the same colour (:func:`category_colours`, keyed by the
evaluation's category order) and a vendor in the same colour (:func:`vendor_colours`, keyed
by the ranking's vendor order), from two different palettes so a category is never mistaken
for a vendor.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Literal

import plotly.graph_objects as go
from plotly.colors import qualitative

#: Colour-blind-safe palette for categories (Paul Tol's "safe"), cycled when there are more.
PALETTE: list[str] = list(qualitative.Safe)
#: Palette for vendors (radar, sweep lines, head-to-head), cycled after 24 vendors.
VENDOR_PALETTE: list[str] = list(qualitative.Dark24)

LegendPlace = Literal["top", "right", "bottom"]


def plain(text: object) -> str:
    """``text`` for a Plotly text field (axis values, names, titles): ``&``, ``<`` and ``>`` as
    entities, which Plotly shows as the characters (it knows no ``&quot;``, so quotes stay)."""
    return html.escape(str(text), quote=False)


def plain_template(text: object) -> str:
    """``text`` for a Plotly hover or text template: :func:`plain`, and ``%`` as ``&#37;``
    so that ``%{y}`` in a name is shown, not filled in."""
    return plain(text).replace("%", "&#37;")


def plain_list(texts: Sequence[object]) -> list[str]:
    """:func:`plain` of each."""
    return [plain(t) for t in texts]


def category_colours(categories: Sequence[str]) -> dict[str, str]:
    """Category → colour, stable for a given category order."""
    return {c: PALETTE[i % len(PALETTE)] for i, c in enumerate(categories)}


def vendor_colours(vendors: Sequence[str]) -> dict[str, str]:
    """Vendor → colour, stable for a given vendor order (pass ``Ranking.vendors``)."""
    return {v: VENDOR_PALETTE[i % len(VENDOR_PALETTE)] for i, v in enumerate(vendors)}


def base_layout(
    fig: go.Figure,
    title: str,
    height: int | None = None,
    *,
    legend: LegendPlace = "top",
) -> go.Figure:
    """Apply the common title, margins and legend placement.

    ``legend="top"`` suits a few short entries (one row under the title, in trace order);
    ``"right"`` a long list (one entry per line); ``"bottom"`` charts without x axis titles
    (radar).
    """
    place = {
        "top": {"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0.0},
        "right": {"orientation": "v", "yanchor": "top", "y": 1.0, "x": 1.02},
        "bottom": {"orientation": "h", "yanchor": "top", "y": -0.08, "x": 0.0},
    }[legend]
    fig.update_layout(
        title={"text": title, "x": 0.0, "xanchor": "left"},
        margin={"l": 10, "r": 10, "t": 80 if legend == "top" else 50, "b": 10},
        legend={**place, "traceorder": "normal"},
        height=height,
    )
    return fig
