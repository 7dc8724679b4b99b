"""Several response files and the column mapping in a real browser (Debian's chromium,
Playwright).

Four single-vendor files and a criteria file are chosen together in the uploader
(``set_input_files`` with five files): the ranking is the combined twin's, one ordinary
workbook with the same data. A Vendors-only shortlist with the user's own headers shows the
column-mapping table and ranks as the workbook with the equivalent Criteria sheet. The
server and browser helpers are the dashboard browser test's (``test_browser.py``); in CI a
missing chromium fails these tests (conftest ``chromium_path``).
"""

from __future__ import annotations

import pytest
from test_browser import (
    GRIDS_JS,
    expect_ranking,
    wait_idle,
)
from test_mapping_page import GUESSED, SHORTLIST, combined_twin, response_files, twin

from vendor_eval.scoring.scorer import score
from vendor_eval.workbook.combine import load_combined
from vendor_eval.workbook.importing.load import load_evaluation

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def opened(browser, url: str):
    context = browser.new_context(viewport={"width": 1400, "height": 1400})
    page = context.new_page()
    page.goto(url)
    page.get_by_test_id("stMetricValue").first.wait_for(timeout=90_000)
    wait_idle(page)
    return context, page


def choose(page, files: list[tuple[str, bytes, str]]) -> None:
    """Choose ``files`` in the sidebar's uploader at once, as a user selecting several."""
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
        [{"name": name, "mimeType": mime, "buffer": data} for name, data, mime in files]
    )


def test_several_files_chosen_together_rank_as_their_combined_twin(browser, server):
    files = response_files()
    expected = score(load_evaluation(combined_twin(), name="twin.xlsx"))
    combined = score(load_combined([d for _, d, _ in files], [n for n, _, _ in files]))
    assert combined.qualified == expected.qualified
    assert len(expected.qualified) == 4
    context, page = opened(browser, server)
    try:
        choose(page, files)
        expect_ranking(page, expected.qualified, timeout=60.0)
        assert page.get_by_text("combined (5 files)").count() >= 1
        assert page.get_by_test_id("stException").count() == 0
        for name, _, _ in files:  # every chosen file is listed under the uploader
            assert page.get_by_text(name, exact=True).count() >= 1
    finally:
        context.close()


def test_a_shortlist_with_its_own_headers_is_mapped_and_ranked(browser, server):
    expected = score(load_evaluation(twin(GUESSED), name="twin.xlsx"))
    context, page = opened(browser, server)
    try:
        choose(page, [("shortlist.xlsx", SHORTLIST, "application/octet-stream")])
        expect_ranking(page, expected.qualified, timeout=60.0)
        page.get_by_text("Column mapping: 4 columns not in the built-in model").wait_for()
        heads = [g["heads"] for g in page.evaluate(GRIDS_JS)]
        assert any(h[:3] == ["Column", "Holds", "Include"] for h in heads), heads
        assert page.get_by_test_id("stException").count() == 0
    finally:
        context.close()
