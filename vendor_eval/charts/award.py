"""The award report's charts: the dashboard's own figures, made legible in black and white.

:func:`award_figures` builds the figures the report shows (the same builders the dashboard
calls) and adds what print needs: the values as text on the bars and, where colour alone
tells the bars apart, a fill pattern per category. The output stage draws them
(:mod:`vendor_eval.output.report`); the report shows them under these names.
"""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go

from vendor_eval.charts._style import plain
from vendor_eval.charts.compare import head_to_head_figure, head_to_head_sentences
from vendor_eval.charts.robustness import rank_probability_bars
from vendor_eval.charts.scores import contribution_bars
from vendor_eval.charts.weights import weights_sunburst
from vendor_eval.scoring.ranking import Ranking
from vendor_eval.stress.report import SensitivityReport

__all__ = ["PATTERNS", "award_figures", "report_inputs"]

#: Fill patterns cycled over a chart's bar traces (plotly's pattern shapes; "" = solid).
PATTERNS = ("", "/", ".", "x", "\\", "-", "|", "+")


def _patterned(fig: go.Figure) -> go.Figure:
    bars = [t for t in fig.data if isinstance(t, go.Bar)]
    for i, trace in enumerate(bars):
        trace.marker.pattern = {
            "shape": PATTERNS[i % len(PATTERNS)],
            "fgcolor": "black",
            "solidity": 0.25,
        }
    return fig


def award_figures(ranking: Ranking, report: SensitivityReport | None) -> dict[str, go.Figure]:
    """The report's figures by name: ``weights`` (sunburst), ``ranking`` (score by
    category), ``head_to_head`` (the top two qualified vendors; only when there are two),
    ``rank_probabilities`` (only when the full stress tests ran)."""
    out: dict[str, go.Figure] = {
        "weights": weights_sunburst(ranking.evaluation, ranking.weights),
        "ranking": _patterned(contribution_bars(ranking)),
    }
    top = ranking.qualified[:2]
    if len(top) == 2:
        fig = head_to_head_figure(ranking, top[0], top[1])
        fig.update_traces(
            texttemplate="+%{customdata:.1f}", textposition="outside", selector={"type": "bar"}
        )
        xs = [
            float(x)
            for t in fig.data
            if isinstance(t, go.Bar)
            for x in (() if t.x is None else t.x)
        ]
        if xs:  # room for the points written outside the longest bars
            lo, hi = min(0.0, *xs), max(0.0, *xs)
            pad = 0.12 * ((hi - lo) or 1.0)
            fig.update_xaxes(range=[lo - pad, hi + pad])
        title = str(fig.layout.title.text or "")
        pair = plain(f"{top[0]} vs {top[1]}: ")
        if title.startswith(pair):  # the report's narrower page: the verdict on its own line
            fig.update_layout(title_text=pair.rstrip() + "<br>" + title[len(pair) :])
            fig.update_layout(margin_t=(fig.layout.margin.t or 0) + 28)
        out["head_to_head"] = _patterned(fig)
    if report is not None and report.rank_probabilities:
        fig = rank_probability_bars(report)
        for trace in fig.data:  # a share as text where the segment has room for it
            trace.text = [f"{x:.0f}%" if x >= 8 else "" for x in trace.x]
            trace.update(texttemplate="%{text}", textposition="inside", insidetextanchor="middle")
        out["rank_probabilities"] = _patterned(fig)
    return out


def report_inputs(ranking: Ranking, report: SensitivityReport | None) -> dict[str, Any]:
    """What the report builder takes from this stage, as keyword arguments of
    :func:`vendor_eval.output.report.render_report`: the figures and the head-to-head's
    sentences (the command line and the dashboard pass the same)."""
    return {"figures": award_figures(ranking, report), "sentences": head_to_head_sentences}
