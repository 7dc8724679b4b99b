"""No data is not zero in the dashboard (AppTest): under the exclude policy a vendor with no
value in any criterion of a category has a blank category cell, shown as "no data", in the
ranking table and the radar's table, with a caption saying what it means."""

from __future__ import annotations

import io
import math
import os

import openpyxl
import pytest
from conftest import ROOT
from streamlit.testing.v1 import AppTest

from vendor_eval.ui.results import NO_DATA_HELP

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _workbook() -> bytes:
    """Beta answered only the price: no value in either Capability criterion."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Vendors"
    ws.append(["Vendor", "Uptime", "Features", "Price"])
    ws.append(["Acme", 99.5, 4, 100])
    ws.append(["Beta", None, None, 80])
    ws.append(["Gamma", 99.0, 3, 120])
    c = wb.create_sheet("Criteria")
    c.append(["Criterion", "Category", "Weight", "Direction", "Scale", "Min", "Max", "Must"])
    c.append(["Uptime", "Capability", 2, "higher", "relative", None, None, None])
    c.append(["Features", "Capability", 1, "higher", "absolute", 1, 5, None])
    c.append(["Price", "Cost", 1, "lower", "relative", None, None, None])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.fixture(autouse=True)
def _repo_root(monkeypatch):
    monkeypatch.chdir(ROOT)


@pytest.fixture(scope="module")
def app() -> AppTest:
    at = AppTest.from_file(os.fspath(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.file_uploader(key="upload").set_value(("gaps.xlsx", _workbook(), XLSX))
    at.run()
    at.selectbox(key="missing").set_value("exclude")
    at.run()
    assert not at.exception and not at.error, [e.value for e in at.exception]
    assert at.session_state["ve_ranking"].missing.value == "exclude"
    return at


def _ranking_table(at: AppTest):
    return next(d for d in at.dataframe if {"Rank", "Vendor", "Capability"} <= set(d.value))


def test_ranking_table_cell_is_blank_and_shown_as_no_data(app):
    element = _ranking_table(app)
    frame = element.value.set_index("Vendor")
    assert math.isnan(frame.at["Beta", "Capability"])  # blank, not 0.0
    assert frame.at["Beta", "Cost"] == pytest.approx(100.0)
    assert not math.isnan(frame.at["Acme", "Capability"])
    assert element.proto.placeholder == "no data"  # what Streamlit draws in the blank
    ranking = app.session_state["ve_ranking"]
    assert frame.at["Beta", "Score"] == pytest.approx(ranking.score("Beta"))
    assert any(NO_DATA_HELP in c.value for c in app.caption)


def test_radar_table_is_blank_too(app):
    """The Charts view: the radar's default vendors (the first three qualified) include Beta,
    whose Capability row is blank in the table beside the radar."""
    app.session_state["view"] = "Charts"
    app.run()
    assert not app.exception
    element = next(d for d in app.dataframe if {"Category", "Beta"} <= set(d.value.columns))
    frame = element.value.set_index("Category")
    assert math.isnan(frame.at["Capability", "Beta"])
    assert frame.at["Cost", "Beta"] == pytest.approx(100.0)
    assert element.proto.placeholder == "no data"
    assert any(NO_DATA_HELP in c.value for c in app.caption)
    radar = next(c for c in app.get("plotly_chart") if '"Category scores' in c.proto.spec)
    assert '"r":[null' in radar.proto.spec.replace(" ", "")
