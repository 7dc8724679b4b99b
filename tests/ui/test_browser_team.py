"""Team evaluation in a real browser (Debian's chromium driven by Playwright), three browser
contexts at once (docs/team.md §3–§5).

A ``streamlit run app.py`` server of its own runs in team mode on a temporary SQLite
database the test prepares with the service (a project in scoring with one panel criterion,
an owner and two evaluators with one-time codes). Two evaluators sign in with their codes,
declare, score different values in the score table and submit; neither page ever shows the
other's scores. The project is moved to moderation; the owner signs in, finds the flagged
pair with both scores and comments side by side, records a consensus with a rationale, and
the ranking on the page changes as the service says. ``docs/evaluator.png`` and
``docs/moderation.png`` are refreshed only when ``VENDOR_EVAL_SCREENSHOT_DIR`` names a folder
(``make screenshots``); otherwise the pictures go to the test's temporary folder.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_browser import (
    GRIDS_JS,
    app_server,
    expect_leader,
    expect_ranking,
    wait_for_grid,
    wait_idle,
)
from test_team_pages import ANA, BO, LEAD, NAME, OWNER, SECRET_KEY, VENDORS, prepare

from vendor_eval.projects import rank_project, set_status
from vendor_eval.store.database import open_database
from vendor_eval.store.engine import ENV_URL
from vendor_eval.team import moderation
from vendor_eval.ui.signin import ENV_TEAM

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SCREENSHOT_DIR_ENV = "VENDOR_EVAL_SCREENSHOT_DIR"
#: What each evaluator scores (vendor → score, comment): Acme's spread is the whole scale.
SCORES = {
    ANA: {"Acme": (5, "Ana: the demo was outstanding"), "Globex": (4, "Ana: solid tooling")},
    BO: {"Acme": (1, "Bo: the demo crashed twice"), "Globex": (4, "Bo: good references")},
}
CONSENSUS, RATIONALE = 1.0, "The crash was reproduced in the pilot: Bo's score stands."


@pytest.fixture(scope="module")
def team_server() -> Iterator[tuple[str, str, dict[str, str]]]:
    """(server url, database url, codes by e-mail) of a team-mode dashboard."""
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'team.sqlite3'}"
        codes = prepare(url, quality_weight=3)
        env = {ENV_URL: url, ENV_TEAM: "1", "VENDOR_EVAL_SECRET_KEY": SECRET_KEY}
        with app_server(env) as server:
            yield server, url, codes


def screenshot_path(tmp_path: Path, name: str) -> Path:
    folder = os.environ.get(SCREENSHOT_DIR_ENV)
    return Path(folder) / name if folder else tmp_path / name


def open_sign_in(browser, server: str):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(f"{server}/projects")
    page.get_by_label("Sign-in code").wait_for(timeout=90_000)
    wait_idle(page)
    return context, page


def sign_in(page, code: str) -> None:
    page.get_by_label("Sign-in code").fill(code)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.get_by_role("heading", name=NAME).wait_for(timeout=90_000)
    wait_idle(page)


def declare_no_conflicts(page) -> None:
    options = page.get_by_text("No conflict", exact=True)
    options.first.wait_for(timeout=60_000)
    assert options.count() == len(VENDORS)
    for i in range(len(VENDORS)):
        options.nth(i).click()
    page.get_by_role("button", name="Record my declarations").click()
    page.get_by_text("your score sheet is ready").wait_for(timeout=60_000)
    wait_idle(page)


def score_grid(page) -> dict:
    return wait_for_grid(page, "Comment", rows=len(VENDORS))


def type_cell(page, box: dict, row: int, column: int, text: str) -> None:
    """Select the row's Vendor cell, move ``column`` cells right, type and commit."""
    page.mouse.click(box["x"] + 20, box["y"] + 35 + 35 * row + 17)
    for _ in range(column):
        page.keyboard.press("ArrowRight")
    page.keyboard.type(text)
    page.wait_for_timeout(300)
    page.keyboard.press("Enter")
    page.wait_for_timeout(300)


def fill_scores(page, scores: dict[str, tuple[int, str]]) -> None:
    """Type each vendor's score (the drop-down of points) and comment into the score table,
    until the table shows them (a first click may only focus the grid)."""
    editor = page.locator('[data-testid="stDataFrame"]:visible').filter(
        has=page.locator("th", has_text="Comment")
    )
    box = editor.bounding_box()
    assert box is not None
    wanted = [[v, "Quality", str(s), c] for v, (s, c) in scores.items()]
    for _attempt in range(3):
        for row, (score, comment) in enumerate(scores.values()):
            type_cell(page, box, row, 2, str(score))
            type_cell(page, box, row, 3, comment)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            if score_grid(page)["rows"] == wanted:
                return
            page.wait_for_timeout(200)
    raise AssertionError(f"the score table shows {score_grid(page)['rows']}, not {wanted}")


def page_text(page) -> str:
    """Everything the page holds: its HTML and every grid's cells."""
    return page.content() + repr(page.evaluate(GRIDS_JS))


def refresh(page) -> None:
    page.get_by_role("button", name="Refresh").click()
    wait_idle(page)


def test_two_evaluators_score_apart_and_the_owner_moderates(browser, team_server, tmp_path):
    server, url, codes = team_server
    contexts = []
    try:
        pages = {}
        for who in (ANA, BO, OWNER):  # three browsers at once
            context, page = open_sign_in(browser, server)
            contexts.append(context)
            pages[who] = page
        for who in (ANA, BO):
            page = pages[who]
            sign_in(page, codes[who])
            declare_no_conflicts(page)
            assert score_grid(page)["heads"][:4] == ["Vendor", "Criterion", "Score", "Comment"]
            assert page.get_by_test_id("stMetric").count() == 0  # no ranking
        for who in (ANA, BO):
            fill_scores(pages[who], SCORES[who])
        pages[ANA].set_viewport_size({"width": 1400, "height": 1100})
        wait_idle(pages[ANA])
        shot = screenshot_path(tmp_path, "evaluator.png")
        pages[ANA].screenshot(path=os.fspath(shot))
        assert shot.stat().st_size > 10_000
        for who in (ANA, BO):
            page = pages[who]
            page.get_by_role("button", name="Submit (locks your sheet)").click()
            page.get_by_text("Score sheet submitted").wait_for(timeout=60_000)
            wait_idle(page)
        for who, other in ((ANA, BO), (BO, ANA)):
            refresh(pages[who])
            own = score_grid(pages[who])  # their own sheet, read-only now
            assert [r[3] for r in own["rows"]] == [c for _, c in SCORES[who].values()]
            shown = page_text(pages[who])
            assert all(c not in shown for _, c in SCORES[other].values()), who
            assert pages[who].get_by_test_id("stMetric").count() == 0

        with open_database(url) as db:
            set_status(LEAD, db, NAME, "moderation")
            before = rank_project(LEAD, db, NAME)
        owner = pages[OWNER]
        owner.set_viewport_size({"width": 1400, "height": 1400})
        sign_in(owner, codes[OWNER])
        owner.get_by_role("heading", name="Moderation").wait_for(timeout=60_000)
        expect_leader(owner, before.leader)
        pairs = wait_for_grid(owner, "Flag", rows=len(VENDORS))
        first = dict(zip(pairs["heads"], pairs["rows"][0], strict=False))
        assert (first["Flag"], first["Vendor"], first["Criterion"]) == (
            "flagged",
            "Acme",
            "Quality",
        )
        assert first[f"{ANA} · comment"] == SCORES[ANA]["Acme"][1]
        assert first[f"{BO} · comment"] == SCORES[BO]["Acme"][1]
        assert "0 of 2 pairs moderated" in owner.get_by_test_id("stMain").inner_text()

        owner.get_by_label("Consensus score").fill(str(CONSENSUS))
        owner.get_by_label("Rationale (required)").fill(RATIONALE)
        owner.get_by_role("heading", name="Moderation").evaluate(
            "e => e.scrollIntoView({block: 'start'})"
        )
        owner.wait_for_timeout(500)
        shot = screenshot_path(tmp_path, "moderation.png")
        owner.screenshot(path=os.fspath(shot))
        assert shot.stat().st_size > 10_000
        owner.get_by_role("button", name="Record the consensus").click()
        owner.get_by_text("Consensus of Acme on Quality: 1.").wait_for(timeout=60_000)
        with open_database(url) as db:
            after = rank_project(LEAD, db, NAME)
            pair = moderation.panel_pairs(LEAD, db, NAME)[0]
        assert pair.consensus == CONSENSUS and pair.moderation is not None
        assert after.leader != before.leader  # the consensus turns the ranking over
        expect_leader(owner, after.leader)
        expect_ranking(owner, after.qualified)
        assert "1 of 2 pairs moderated" in owner.get_by_test_id("stMain").inner_text()
        for page in pages.values():
            assert page.get_by_test_id("stException").count() == 0
    finally:
        for context in contexts:
            context.close()
