"""The Performance page in a real browser (Debian's chromium, Playwright): a monitoring
workbook chosen in the uploader replaces the sample, and the page shows its portfolio, the
scorecard and the period-score chart, with the scorer's numbers. In CI a missing chromium
fails (conftest ``chromium_path``)."""

from __future__ import annotations

import time

import pytest
from conftest import xlsx
from test_browser import GRIDS_JS, wait_idle

from vendor_eval.monitoring.reading import read_monitoring
from vendor_eval.monitoring.scoring import score_monitoring

pytestmark = [pytest.mark.browser, pytest.mark.slow]

KPIS = [
    ["KPI", "Vendor", "Unit", "Direction", "Target", "Threshold", "Weight"],
    ["Uptime", "", "%", "higher", 99.5, 99.0, 3],
    ["Response time", "", "h", "lower", 4, 8, 1],
]
ROWS = [
    ["Period", "Vendor", "KPI", "Actual"],
    *[[f"2026-0{m}", "Acme Hosting", "Uptime", a] for m, a in ((1, 99.6), (2, 98.7), (3, 98.2))],
    *[[f"2026-0{m}", "Acme Hosting", "Response time", a] for m, a in ((1, 3), (2, 6), (3, 9))],
    ["2026-02", "Globex Ops", "Uptime", 99.5],
    ["2026-03", "Globex Ops", "Uptime", 99.4],
]
BOOK = xlsx({"KPIs": KPIS, "Performance": ROWS})


def _grid(page, head: str, timeout: float = 60.0) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for grid in page.evaluate(GRIDS_JS):
            if head in grid["heads"] and grid["rows"]:
                return grid
        time.sleep(0.5)
    raise AssertionError(f"no table with a {head!r} column")


def test_uploading_a_monitoring_workbook(browser, server):
    expected = score_monitoring(read_monitoring(BOOK, "contracts.xlsx", sandbox=False))
    acme = expected.vendors["Acme Hosting"]
    context = browser.new_context(viewport={"width": 1400, "height": 1400})
    page = context.new_page()
    try:
        page.goto(server.rstrip("/") + "/performance")
        page.get_by_text("Performance against the contract").first.wait_for(timeout=90_000)
        wait_idle(page)
        page.get_by_test_id("stFileUploaderDropzoneInput").first.set_input_files(
            [{"name": "contracts.xlsx", "mimeType": "application/octet-stream", "buffer": BOOK}]
        )
        page.get_by_text("From contracts.xlsx").wait_for(timeout=60_000)
        wait_idle(page)
        grid = _grid(page, "Open actions")
        vendor = grid["heads"].index("Vendor")
        rows = {r[vendor]: r for r in grid["rows"] if len(r) > vendor}
        assert list(rows) == ["Acme Hosting", "Globex Ops"]
        heads = grid["heads"]
        acme_row = rows["Acme Hosting"]
        assert acme_row[heads.index("Latest period")] == "2026-03"
        assert acme_row[heads.index("Open actions")] == str(len(acme.open_actions)) == "1"
        assert acme_row[heads.index("Standing")] == acme.latest.standing  # type: ignore[union-attr]
        assert page.get_by_test_id("stPlotlyChart").count() == 2
        assert page.get_by_test_id("stException").count() == 0
        actions = _grid(page, "Periods in breach")
        assert actions["rows"][0][actions["heads"].index("KPI")] == "Uptime"
        assert actions["rows"][0][actions["heads"].index("Opened")] == "2026-03"
    finally:
        context.close()


def test_the_sample_page_reads_in_black_and_white(browser, server, tmp_path):
    """The sample's Performance page, Northwind chosen: the marks and band names are text
    (a page screenshot is kept: docs/performance.png under ``make screenshots``)."""
    import os
    from pathlib import Path

    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    try:
        page.goto(server.rstrip("/") + "/performance")
        page.get_by_text("From sample_monitoring.xlsx").wait_for(timeout=90_000)
        wait_idle(page)
        page.get_by_test_id("stSelectbox").first.click()
        page.get_by_role("option", name="Northwind Systems").click()
        wait_idle(page)
        page.get_by_role("heading", name="Northwind Systems").wait_for()
        charts = page.get_by_test_id("stPlotlyChart")
        charts.first.wait_for()
        heat = charts.nth(0).inner_text()
        assert "✗" in heat and "✓" in heat  # the marks are drawn as text, not colour alone
        line = charts.nth(1).inner_text()
        assert all(band in line for band in ("Excellent", "Good", "Needs improvement", "Poor"))
        assert page.get_by_test_id("stException").count() == 0
        folder = os.environ.get("VENDOR_EVAL_SCREENSHOT_DIR")
        shot = Path(folder) / "performance.png" if folder else tmp_path / "performance.png"
        page.screenshot(path=os.fspath(shot), full_page=True)
        assert shot.stat().st_size > 10_000
    finally:
        context.close()
