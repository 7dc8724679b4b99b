"""The total-cost chart, checked on its figure data against a breakdown written by hand."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from conftest import strings

from vendor_eval.charts.costs import ONE_OFF, tco_bars, year_columns

#: One-off, recurring per year (not discounted) and TCO per vendor, as
#: CostBreakdown.to_frame() gives them; "None Ltd" has no cost lines.
FRAME = pd.DataFrame(
    {
        "One-off": [1000.0, 0.0, 200.0, math.nan],
        "Recurring": [9000.0, 6000.0, 1800.0, math.nan],
        "Year 1": [3000.0, 2000.0, 600.0, math.nan],
        "Year 2": [3000.0, 2000.0, 600.0, math.nan],
        "Year 3": [3000.0, 2000.0, 600.0, math.nan],
        "TCO": [10000.0, 6000.0, 2000.0, math.nan],
    },
    index=pd.Index(["Quillstone", "Midway", "<b>Cheap</b> & co", "None Ltd"], name="Vendor"),
)


def test_bars_stack_the_one_off_and_each_year_to_the_tco():
    fig = tco_bars(FRAME)
    bars = [t for t in fig.data if t.type == "bar"]
    assert [t.name for t in bars] == [ONE_OFF, "Year 1", "Year 2", "Year 3"]
    assert fig.layout.barmode == "stack"
    # the vendor without cost lines has no bar; names are escaped as Plotly text
    assert list(bars[0].y) == ["Quillstone", "Midway", "&lt;b&gt;Cheap&lt;/b&gt; &amp; co"]
    assert list(bars[0].x) == [1000.0, 0.0, 200.0]
    assert list(bars[2].x) == [3000.0, 2000.0, 600.0]
    totals = sum(pd.Series(list(t.x)) for t in bars)
    assert totals.tolist() == [10000.0, 6000.0, 2000.0]
    (label,) = [t for t in fig.data if t.name == "TCO"]
    assert list(label.text) == ["10,000", "6,000", "2,000"]
    # first on top
    assert list(fig.layout.yaxis.categoryarray) == list(bars[0].y)[::-1]
    assert fig.layout.xaxis.title.text == "cost over the contract"


def test_each_segment_has_its_own_pattern_for_black_and_white_print():
    fig = tco_bars(FRAME)
    shapes = [t.marker.pattern.shape for t in fig.data if t.type == "bar"]
    assert shapes == ["", "/", "\\", "x"]
    colours = [t.marker.color for t in fig.data if t.type == "bar"]
    assert len(set(colours)) == len(colours)


def test_the_order_is_given_and_the_rate_named():
    fig = tco_bars(FRAME, ["Midway", "Quillstone", "Absent"], rate=0.05)
    assert list(fig.data[0].y) == ["Midway", "Quillstone"]
    assert fig.layout.xaxis.title.text == (
        "cost over the contract (present value, discounted at 5% a year)"
    )


def test_no_name_becomes_markup_or_a_placeholder():
    hostile = FRAME.rename(index={"Midway": "%{x} <a href='x'>Mid</a>"})
    fig = tco_bars(hostile)
    for field, text in strings(fig.to_dict()):
        if field.endswith("template"):
            assert "%{x} <a" not in text
        assert "<a" not in text, (field, text)


def test_year_columns_in_order():
    assert year_columns(FRAME) == ["Year 1", "Year 2", "Year 3"]
    assert len(tco_bars(FRAME.iloc[:0]).data[0].x) == 0  # no vendor: an empty chart


@pytest.mark.parametrize("years", [1, 8])
def test_any_contract_term_gets_a_bar_per_year(years):
    frame = pd.DataFrame(
        {"One-off": [1.0], "Recurring": [float(years)],
         **{f"Year {y}": [1.0] for y in range(1, years + 1)}, "TCO": [1.0 + years]},
        index=["A"],
    )  # fmt: skip
    bars = [t for t in tco_bars(frame).data if t.type == "bar"]
    assert len(bars) == years + 1
