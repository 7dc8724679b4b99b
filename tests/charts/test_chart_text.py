"""Names are text in every chart: Plotly reads a subset of HTML in its text fields.

Titles, axis values (tick labels), legend names, hover and text templates and annotations
are drawn as HTML (``<a href>``, ``<b>``, ``<br>``, ``<span style>``, entities), and
templates fill ``%{…}``. Every figure builder is given vendors, criteria and categories
named as attacks; no string of the figure may hold a tag other than the charts' own
``<br>`` and ``<extra>``, no template may hold a name's placeholder, and what Plotly shows
(entities resolved) is the name as written.
"""

from __future__ import annotations

import re

import plotly.graph_objects as go
import pytest
from conftest import make_evaluation, strings
from hypothesis import given
from hypothesis import strategies as st

from vendor_eval.charts import _style
from vendor_eval.charts.compare import head_to_head_figure
from vendor_eval.charts.robustness import rank_probability_bars, sweep_chart
from vendor_eval.charts.scores import category_radar, contribution_bars, criteria_heatmap
from vendor_eval.charts.weights import weights_sunburst
from vendor_eval.core.model import Category, Criterion, Direction, Scale
from vendor_eval.scoring.scorer import score
from vendor_eval.stress.analysis import analyse

VENDORS = [
    '<a href="https://attacker.invalid">Acme</a>',
    "<img src=x onerror=alert(1)>",
    "<b>Bold</b> & co",
    "%{y} 100%",
    "Plain Ltd",
]
CATEGORIES = ['<span style="font-size:99px">Cost</span>', "Q<br>uality"]
CRITERIA = ["<i>Rate</i>", "Years %{x}", "&lt;Uptime&gt;", "Plain"]
# the charts' own markup: a line break in hover labels, the hover box's side label
OWN_TAGS = re.compile(r"<br>|<extra>|</extra>")
OWN_PLACEHOLDER = re.compile(r"%\{(x|y|z|r|theta|label|value|text|customdata)(:[^}]*)?\}")
# plotly.js svg_text_utils.convertEntities: the entities Plotly resolves when it draws text
_ENTITY = re.compile(r"&(#\d+|#x[\da-fA-F]+|[a-z]+);")
_NAMED = {"mu": "μ", "amp": "&", "lt": "<", "gt": ">", "nbsp": "\u00a0", "times": "×",
          "plusmn": "±", "deg": "°"}  # fmt: skip


def drawn(text: str) -> str:
    """What Plotly draws for ``text`` once its entities are resolved (as plotly.js does)."""

    def one(m: re.Match[str]) -> str:
        code = m.group(1)
        if code.startswith("#"):
            n = int(code[2:], 16) if code[1] == "x" else int(code[1:])
            return chr(n) if n <= 0x10FFFF else m.group(0)
        return _NAMED.get(code, m.group(0))

    return _ENTITY.sub(one, text)


@pytest.fixture(scope="module")
def ranking():
    crit = [
        Criterion(CRITERIA[0], CATEGORIES[0], 2, Direction.LOWER, Scale.RELATIVE),
        Criterion(CRITERIA[1], CATEGORIES[1], 1),
        Criterion(CRITERIA[2], CATEGORIES[1], 1, scale=Scale.ABSOLUTE, min=0.0, max=1.0),
        Criterion(CRITERIA[3], CATEGORIES[0], 1),
    ]
    values = {
        CRITERIA[0]: [90, 120, 60, 75, 100],
        CRITERIA[1]: [4, 9, 10, 2, 6],
        CRITERIA[2]: [0.9, 0.5, 0.7, 0.2, None],
        CRITERIA[3]: [1, 3, 2, 5, 4],
    }
    cats = [Category(CATEGORIES[0], 2), Category(CATEGORIES[1], 1)]
    return score(make_evaluation(values, crit, cats, vendors=VENDORS))


def figures(ranking) -> dict[str, go.Figure]:
    report = analyse(ranking.evaluation, samples=200, seed=0)
    return {
        "contribution_bars": contribution_bars(ranking),
        "category_radar": category_radar(ranking, VENDORS[:3]),
        "criteria_heatmap": criteria_heatmap(ranking),
        "weights_sunburst": weights_sunburst(ranking.evaluation, ranking.weights),
        "head_to_head": head_to_head_figure(ranking, VENDORS[0], VENDORS[3]),
        "head_to_head_reversed": head_to_head_figure(ranking, VENDORS[3], VENDORS[1]),
        "rank_probability_bars": rank_probability_bars(report),
        **{f"sweep {k}": sweep_chart(s) for k, s in enumerate(report.sweeps.values())},
    }


def test_no_figure_string_holds_a_tag_or_a_placeholder_from_a_name(ranking):
    seen: set[str] = set()
    for name, fig in figures(ranking).items():
        for field, text in strings(fig.to_dict()):
            assert "<" not in OWN_TAGS.sub("", text), (name, field, text)
            if field.endswith("template"):
                assert "%{" not in OWN_PLACEHOLDER.sub("", text), (name, field, text)
            seen.add(drawn(text))
    # every name is on some chart, as written once Plotly resolves the entities
    for n in [*VENDORS, *CATEGORIES, *CRITERIA]:
        assert any(n in s for s in seen), n
    # the order of the bars is given in the same (escaped) form as their axis values
    bars = contribution_bars(ranking)
    assert set(bars.layout.yaxis.categoryarray) == set(bars.data[0].y)
    h2h = head_to_head_figure(ranking, VENDORS[0], VENDORS[3])
    assert {y for trace in h2h.data for y in trace.y} <= set(h2h.layout.yaxis.categoryarray)


@given(st.text())
def test_plain_shows_the_text_as_written(text):
    """No tag can start, and Plotly draws exactly the text."""
    for out in (_style.plain(text), _style.plain_template(text)):
        assert "<" not in out and ">" not in out
        assert drawn(out) == text
    assert "%" not in _style.plain_template(text)
