"""Prices and the total cost of ownership in a real browser (Debian's chromium, Playwright).

A workbook with Settings (3 years at 5 %) and Costs sheets is uploaded: the ranking says
which vendor fell at the minimum, the Total cost tab shows the breakdown and its chart, and
a discount rate typed in the sidebar changes both. The server and browser helpers are the
dashboard browser test's (``test_browser.py``).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from test_browser import (
    SCREENSHOT_ENV,
    expect_ranking,
    upload,
    wait_for_grid,
    wait_idle,
)
from test_price_dashboard import PRICED_BOOK

from vendor_eval.scoring.scorer import score
from vendor_eval.workbook.importing.load import load_evaluation

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def tco_column(grid: dict) -> dict[str, float]:
    """Vendor → TCO as the grid holds it (its hidden table has the numbers unformatted)."""
    heads = grid["heads"]
    return {
        row[1]: float(row[heads.index("TCO")].replace(",", ""))
        for row in grid["rows"]
        if row[heads.index("TCO")]
    }


def test_price_stages_and_the_total_cost_tab(browser, server, tmp_path):
    expected = score(load_evaluation(PRICED_BOOK, name="priced.xlsx"))
    assert expected.qualified == ["Quillstone", "Midway", "Cheapco"]
    context = browser.new_context(viewport={"width": 1400, "height": 1400})
    page = context.new_page()
    page.goto(server)
    page.get_by_test_id("stMetricValue").first.wait_for(timeout=90_000)
    wait_idle(page)
    upload(page, "priced.xlsx", PRICED_BOOK)
    expect_ranking(page, expected.qualified, timeout=60.0)
    out = wait_for_grid(page, "Stage", rows=1)
    assert out["heads"][:3] == ["Vendor", "Stage", "Why disqualified"]
    assert out["rows"][0][:3] == [
        "Lowgrade",
        "Quality minimum",
        "Capability score 40.0 is below the minimum 50",
    ]
    rate = page.get_by_role("spinbutton", name="Discount rate (%)")
    assert rate.input_value() == "5"

    page.get_by_role("tab", name="Total cost").click()
    wait_idle(page)
    grid = wait_for_grid(page, "TCO", rows=4)
    heads = grid["heads"]
    assert heads[:8] == ["Rank", "Vendor", "One-off", "Recurring", "Year 1", "Year 2",
                         "Year 3", "TCO"]  # fmt: skip
    a = sum(1 / 1.05**y for y in (1, 2, 3))  # 3 years at 5 %
    assert tco_column(grid) == pytest.approx(
        {"Quillstone": 1000 + 3000 * a, "Midway": 2000 * a, "Cheapco": 200 + 600 * a,
         "Lowgrade": 1000.0}
    )  # fmt: skip
    page.get_by_test_id("stPlotlyChart").last.wait_for(timeout=30_000)
    assert page.locator(".js-plotly-plot .legendtext", has_text="One-off").count() == 1

    rate.fill("0")
    rate.press("Enter")
    wait_idle(page)
    deadline = time.monotonic() + 30
    while tco_column(wait_for_grid(page, "TCO", rows=4)).get("Quillstone") != 10000.0:
        assert time.monotonic() < deadline, "the TCO did not follow the discount rate"
        page.wait_for_timeout(200)
    assert tco_column(wait_for_grid(page, "TCO", rows=4)) == {
        "Quillstone": 10000.0, "Midway": 6000.0, "Cheapco": 2000.0, "Lowgrade": 1000.0,
    }  # fmt: skip
    assert page.get_by_text("Changed here").count() >= 1
    shot = Path(os.environ.get(SCREENSHOT_ENV) or tmp_path / "total_cost.png")
    if os.environ.get(SCREENSHOT_ENV):
        shot = shot.with_name("total_cost.png")
    page.screenshot(path=os.fspath(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    context.close()
