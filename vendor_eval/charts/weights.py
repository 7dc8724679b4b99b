"""The effective weights as a sunburst: categories inside, their criteria around them."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from vendor_eval.charts._style import base_layout, category_colours, plain
from vendor_eval.core.model import Evaluation


def weights_sunburst(evaluation: Evaluation, weights: Mapping[str, float] | pd.Series) -> go.Figure:
    """Sunburst of effective weights (summing to 1): category ring, then its criteria.

    ``weights`` maps criterion → effective weight (e.g. ``Ranking.weights``). Node ids are
    ``"category"`` and ``"category/criterion"`` (escaped as labels are, see
    :func:`~vendor_eval.charts._style.plain`); a category's value is the sum of its
    criteria's, so the rings are exact (``branchvalues="total"``).
    """
    w = pd.Series(weights, dtype=float)
    cats = evaluation.category_names
    colours = category_colours(cats)
    ids, labels, parents, values, colors = [], [], [], [], []
    for cat in cats:
        members = [c.name for c in evaluation.criteria if c.category == cat]
        ids.append(plain(cat))
        labels.append(plain(cat))
        parents.append("")
        values.append(float(w.reindex(members).fillna(0.0).sum()))
        colors.append(colours[cat])
        for name in members:
            ids.append(plain(f"{cat}/{name}"))
            labels.append(plain(name))
            parents.append(plain(cat))
            values.append(float(w.get(name, 0.0)))
            colors.append(colours[cat])
    fig = go.Figure(
        go.Sunburst(
            ids=ids,
            labels=labels,
            parents=parents,
            values=values,
            branchvalues="total",
            marker={"colors": colors},
            hovertemplate="%{label}: %{value:.1%} of the total weight<extra></extra>",
            texttemplate="%{label}<br>%{value:.0%}",
        )
    )
    return base_layout(fig, "Effective weights", height=460)
