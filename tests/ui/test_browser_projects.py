"""The Projects page in a real browser (Debian's chromium driven by Playwright).

A ``streamlit run app.py`` server of its own runs on a temporary SQLite database that does
not exist yet. One browser context goes from the quick view to the Projects page, creates
the database and a project and imports the sample; a new context (another browser, or the
same one after a reload) opens the project's URL and finds the project and its ranking.
The server and browser helpers are the dashboard browser test's (``test_browser.py``).
"""

from __future__ import annotations

import re
import tempfile
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import SAMPLE
from test_browser import (
    app_server,
    expect_leader,
    expect_ranking,
    leader_shown,
    upload,
    wait_for_grid,
    wait_idle,
)

from vendor_eval.scoring.scorer import score
from vendor_eval.store.engine import ENV_URL
from vendor_eval.workbook.importing.load import load_evaluation

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NAME = "IT 2027"


@pytest.fixture(scope="module")
def projects_server() -> Iterator[tuple[str, Path]]:
    """(url, database file) of a dashboard whose projects database is not created yet."""
    with tempfile.TemporaryDirectory() as tmp:
        database = Path(tmp) / "projects.sqlite3"
        with app_server({ENV_URL: f"sqlite:///{database}"}) as url:
            yield url, database


def new_page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    return context, context.new_page()


def test_a_project_made_in_one_browser_is_found_with_its_ranking_in_another(
    browser, projects_server
):
    from playwright.sync_api import expect

    url, database = projects_server
    sample = score(load_evaluation(SAMPLE))
    first, page = new_page(browser)
    try:
        page.goto(url)  # the quick view, on the bundled sample, with no database
        page.get_by_test_id("stMetricValue").first.wait_for(timeout=90_000)
        wait_idle(page)
        assert leader_shown(page) == sample.leader
        assert not database.exists()

        page.get_by_test_id("stSidebarNav").get_by_text("Projects", exact=True).click()
        create_db = page.get_by_role("button", name="Create the projects database")
        create_db.wait_for(timeout=60_000)
        assert str(database) in page.get_by_test_id("stMain").inner_text()
        assert not database.exists()  # shown where it would live, created only when asked
        create_db.click()
        page.get_by_role("button", name="Create project").wait_for(timeout=60_000)
        wait_idle(page)
        assert database.exists()

        page.get_by_role("textbox", name="Name", exact=True).fill(NAME)
        page.get_by_role("textbox", name="Goals, one per line").fill(
            "Cut run costs\n24/7 service desk"
        )
        page.get_by_role("button", name="Create project").click()
        page.get_by_role("heading", name=NAME).wait_for(timeout=60_000)
        wait_idle(page)
        assert urllib.parse.parse_qs(urllib.parse.urlparse(page.url).query) == {"project": [NAME]}

        upload(page, SAMPLE.name, SAMPLE.read_bytes())
        importing = page.get_by_role("button", name="Import as version 1")
        expect(importing).to_be_enabled(timeout=60_000)
        importing.click()
        expect_leader(page, sample.leader)
        expect_ranking(page, sample.qualified)
    finally:
        first.close()

    # a new browser context: no session, no cookies; only the URL says which project
    second, page = new_page(browser)
    try:
        page.goto(f"{url}/projects?{urllib.parse.urlencode({'project': NAME})}")
        page.get_by_role("heading", name=NAME).wait_for(timeout=90_000)
        expect_leader(page, sample.leader)
        expect_ranking(page, sample.qualified)
        page.get_by_text(re.compile(r"Workbook versions \(1\)")).first.click()
        versions = wait_for_grid(page, "SHA-256", rows=1)
        assert versions["rows"][0][versions["heads"].index("File")] == SAMPLE.name
        assert page.get_by_test_id("stException").count() == 0
    finally:
        second.close()
