"""The dashboard in a real browser: Debian's chromium driven by Playwright.

A ``streamlit run app.py`` server is started on a free loopback port for the module and
always terminated. The last test uploads the hostile corpus (``tests/hostile/corpus.py``) in
one browser context while a normal user opens the page in another. In CI a missing
chromium fails these tests (conftest ``chromium_path``).
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import ROOT, SAMPLE
from hostile import corpus
from test_app import SMALL, XLSX, workbook

from vendor_eval.scoring.scorer import score
from vendor_eval.workbook.importing.load import load_evaluation

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
IDLE = (
    '[data-testid="stApp"][data-test-script-state="notRunning"]'
    '[data-test-connection-state="CONNECTED"]'
)
#: Where the README's screenshot is refreshed: only when asked (`make screenshots` sets it);
#: otherwise the test writes into its temporary folder and leaves the tree as it found it.
SCREENSHOT_ENV = "VENDOR_EVAL_SCREENSHOT"
OTHER = workbook(
    [
        ["Vendor", "Rating", "Rate"],
        ["Delta Corp", 2, 50],
        ["Epsilon GmbH", 5, 70],
    ],
    [
        ["Rating", "Quality", 3, "higher", "absolute", 1, 5, None],
        ["Rate", "Cost", 1, "lower", "relative", None, None, None],
    ],
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(port: int, log: Path, env: dict[str, str] | None = None) -> subprocess.Popen:
    """``streamlit run app.py`` on 127.0.0.1:port, logging to ``log`` (``env``: variables to
    set for the server, e.g. its projects database)."""
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "app.py",
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--server.address",
        "127.0.0.1",
        "--server.fileWatcherType",
        "none",
        "--browser.gatherUsageStats",
        "false",
    ]
    out = log.open("w")
    return subprocess.Popen(
        cmd, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})}
    )


def wait_healthy(url: str, proc: subprocess.Popen, log: Path, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited early:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.read().strip() == b"ok":
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"streamlit did not become healthy in {timeout}s:\n{log.read_text()}")


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=15)


#: Process id of the server at each url (to read its memory).
SERVER_PIDS: dict[str, int] = {}


@contextlib.contextmanager
def app_server(env: dict[str, str] | None = None) -> Iterator[str]:
    """The dashboard served on a free loopback port until the block ends (its log in a
    temporary folder; ``env``: variables for the server, e.g. its projects database). Every
    browser test module's server fixture is this."""
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "streamlit.log"
        proc = start_server(port, log, env=env)
        try:
            url = f"http://127.0.0.1:{port}"
            wait_healthy(url, proc, log)
            SERVER_PIDS[url] = proc.pid
            yield url
        finally:
            stop_server(proc)


@contextlib.contextmanager
def launched(chromium_path: str) -> Iterator[Any]:
    """Debian's chromium driven by Playwright until the block ends."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


def wait_idle(page, timeout: float = 60_000) -> None:
    page.wait_for_selector(IDLE, timeout=timeout)
    page.get_by_test_id("stStatusWidget").wait_for(state="hidden", timeout=timeout)


def open_app(browser, url: str):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    page.goto(url)
    page.get_by_test_id("stMetricValue").first.wait_for(timeout=90_000)
    wait_idle(page)
    return page


def leader_shown(page) -> str:
    return (
        page.get_by_test_id("stMetric")
        .filter(has_text="Leader")
        .first.get_by_test_id("stMetricValue")
        .inner_text()
    )


GRIDS_JS = """() => Array.from(document.querySelectorAll('[data-testid="stDataFrame"]')).map(
  g => ({
    heads: Array.from(g.querySelectorAll("table thead th")).map(h => h.textContent.trim()),
    rows: Array.from(g.querySelectorAll("table tbody tr")).map(
      r => Array.from(r.querySelectorAll("td")).map(td => td.textContent.trim())),
  }))"""


def ranking_vendors(page) -> list[str]:
    """Vendor column of the ranking table, read from the grid's accessibility table.

    That table is visually hidden (the grid draws on a canvas) and redrawn on every rerun,
    so it is read in one snapshot in the page rather than cell by cell.
    """
    for grid in page.evaluate(GRIDS_JS):
        heads = grid["heads"]
        if "Rank" in heads and "Vendor" in heads:
            col = heads.index("Vendor")
            return [row[col] for row in grid["rows"] if len(row) > col]
    return []  # not drawn yet


def expect_ranking(page, vendors: list[str], timeout: float = 30.0) -> None:
    """Wait until the ranking table lists ``vendors`` (the grid redraws after the rerun)."""
    deadline = time.monotonic() + timeout
    shown = ranking_vendors(page)
    while shown != vendors and time.monotonic() < deadline:
        page.wait_for_timeout(200)
        shown = ranking_vendors(page)
    if shown != vendors:
        page.screenshot(path=os.fspath(Path(tempfile.gettempdir()) / "ranking_failure.png"))
    assert shown == vendors


def wait_for_grid(page, heading: str, rows: int, timeout: float = 30.0) -> dict:
    """The grid whose header has ``heading``, once it shows ``rows`` rows.

    Grids draw their (hidden) accessibility table after the script run finishes, a moment
    after the app is idle, so poll instead of reading a single snapshot.
    """
    deadline = time.monotonic() + timeout
    while True:
        grids = [g for g in page.evaluate(GRIDS_JS) if heading in g["heads"]]
        if len(grids) == 1 and len(grids[0]["rows"]) == rows:
            return grids[0]
        if time.monotonic() > deadline:
            page.screenshot(path=os.fspath(Path(tempfile.gettempdir()) / "grid_failure.png"))
            raise AssertionError(f"no grid with {heading!r} and {rows} rows: {grids}")
        page.wait_for_timeout(200)


def upload(page, name: str, data: bytes) -> None:
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
        {"name": name, "mimeType": XLSX, "buffer": data}
    )


def expect_leader(page, leader: str) -> None:
    from playwright.sync_api import expect

    metric = page.get_by_test_id("stMetric").filter(has_text="Leader").first
    expect(metric.get_by_test_id("stMetricValue")).to_have_text(leader, timeout=60_000)
    wait_idle(page)


def test_sample_upload_and_excel_export(browser, server, tmp_path):
    page = open_app(browser, server)
    sample = score(load_evaluation(SAMPLE))
    assert leader_shown(page) == sample.leader
    expect_ranking(page, sample.qualified)
    # why a vendor is out is readable without scrolling sideways: name, then reasons
    out = [v for v in sample.vendors if v not in sample.qualified]
    disq = wait_for_grid(page, "Why disqualified", rows=len(out))
    # with prices or minimums, the stage a vendor fell at comes between them
    front = ["Vendor", "Stage"] if sample.evaluation.staged else ["Vendor"]
    assert disq["heads"][: len(front) + 1] == [*front, "Why disqualified"]
    why = len(front)
    assert [[row[0], row[why]] for row in disq["rows"]] == [
        [v, "; ".join(sample.table.loc[v, "reasons"])] for v in out
    ]
    # Streamlit scrolls inside its own container, so a tall viewport makes the full page
    page.set_viewport_size({"width": 1400, "height": 1500})
    wait_idle(page)
    shot = Path(os.environ.get(SCREENSHOT_ENV) or tmp_path / "screenshot.png")
    page.screenshot(path=os.fspath(shot), full_page=True)
    assert shot.stat().st_size > 10_000  # a real picture of the page

    expected = score(load_evaluation(SMALL, name="small.xlsx"))
    upload(page, "small.xlsx", SMALL)
    expect_leader(page, expected.leader)
    expect_ranking(page, expected.qualified)

    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name="Excel ranking (.xlsx)").click()
    download = info.value
    assert download.suggested_filename == "small_ranking.xlsx"
    wb = openpyxl.load_workbook(io.BytesIO(Path(download.path()).read_bytes()), data_only=True)
    summary = wb["Summary"]
    first = 7  # the table starts under Summary's header block (rows 1-5) and headers (6)
    rows = list(
        summary.iter_rows(
            min_row=first, max_row=first + len(expected.vendors) - 1, values_only=True
        )
    )
    assert [r[1] for r in rows] == expected.vendors
    assert [r[3] for r in rows] == pytest.approx([expected.score(v) for v in expected.vendors])


def test_the_award_report_downloads_from_the_quick_view(browser, server):
    """The sidebar's award report, clicked in a real browser: the deferred download runs
    and hands over the PDF of the ranking on screen."""
    from pypdf import PdfReader

    page = open_app(browser, server)
    sample = score(load_evaluation(SAMPLE))
    assert leader_shown(page) == sample.leader
    with page.expect_download(timeout=120_000) as info:
        page.get_by_role("button", name="Award report (.pdf)").click()
    download = info.value
    assert download.suggested_filename == "sample_vendors_award_report.pdf"
    reader = PdfReader(io.BytesIO(Path(download.path()).read_bytes()))
    text = " ".join(p.extract_text() for p in reader.pages)
    assert "Award report: sample_vendors.xlsx" in text and f"Leader {sample.leader}" in text
    assert {k for k in reader.named_destinations if k.startswith("chart-")} == {
        "chart-weights", "chart-ranking", "chart-head_to_head", "chart-rank_probabilities",
    }  # fmt: skip


def test_two_sessions_each_see_their_own_ranking(browser, server):
    first = open_app(browser, server)
    second = open_app(browser, server)
    mine = score(load_evaluation(SMALL, name="small.xlsx"))
    theirs = score(load_evaluation(OTHER, name="other.xlsx"))
    assert mine.leader != theirs.leader
    upload(first, "small.xlsx", SMALL)
    upload(second, "other.xlsx", OTHER)
    expect_leader(first, mine.leader)
    expect_leader(second, theirs.leader)
    expect_ranking(first, mine.qualified)
    expect_ranking(second, theirs.qualified)
    # a rerun in one session does not leak into the other
    first.reload()
    first.get_by_test_id("stMetricValue").first.wait_for(timeout=60_000)
    wait_idle(first)
    assert leader_shown(second) == theirs.leader


# -- a hostile upload in one session, a normal user in another ----------------------------------

#: The slowest a normal user's first render may be while another session uploads a hostile
#: file: three times its quiet time, or this many seconds (the machine is shared and noisy).
SLOWDOWN = 3.0
RENDER_BOUND_S = 15.0
#: Peak resident memory of the whole server (every session) through the attacks: the
#: idle dashboard is ~300 MB; the reader's children are separate processes.
SERVER_PEAK_MB = 1024
ATTACKS = ["merged_ranges", "huge_shared_string", "wide_csv", "many_unreferenced_rows"]


def upload_file(page, name: str, data: bytes) -> None:
    mime = "text/csv" if name.endswith(".csv") else XLSX
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
        {"name": name, "mimeType": mime, "buffer": data}
    )


def peak_mb(pid: int) -> float:
    """Peak resident memory (``VmHWM``) of process ``pid`` so far, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise AssertionError(f"no VmHWM for process {pid}")


def first_render(browser, url: str, vendors: list[str]) -> float:
    """Seconds from opening the page in a fresh context to the sample's ranking on screen."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page = context.new_page()
        start = time.monotonic()
        page.goto(url)
        page.get_by_test_id("stMetricValue").first.wait_for(timeout=120_000)
        expect_ranking(page, vendors, timeout=120.0)
        return time.monotonic() - start
    finally:
        context.close()


def expect_plain_alert(page, kind: str, text: str, timeout: float = 120_000) -> str:
    """Wait for a Streamlit ``st.error``/``st.info``/... (``kind``) containing ``text``;
    Streamlit's own exception box must not be on the page."""
    alert = page.get_by_test_id(f"stAlertContent{kind}").filter(has_text=text).first
    alert.wait_for(timeout=timeout)
    shown = alert.inner_text()
    assert page.get_by_test_id("stException").count() == 0, page.content()[:2000]
    for word in ("Traceback", "This is a bug", "MemoryError", "Exception"):
        assert word not in shown, shown
    return shown


def test_hostile_uploads_leave_other_sessions_fast(browser, server):
    """Context A uploads the worst hostile files (and opens the Robustness tab of the
    largest file accepted) while context B, a normal user, opens the page: B's first render
    stays close to its quiet time, B sees the ranking, A sees plain messages."""
    vendors = score(load_evaluation(SAMPLE)).qualified
    first_render(browser, server, vendors)  # warm-up: the server's first run imports a lot
    quiet = min(first_render(browser, server, vendors) for _ in range(2))
    bound = max(SLOWDOWN * quiet, RENDER_BOUND_S)
    busy: dict[str, float] = {}

    def other_user_while(attack: str) -> None:
        busy[attack] = first_render(browser, server, vendors)
        print(f"{attack}: a normal user's first render {busy[attack]:.1f} s (quiet {quiet:.1f} s)")
        assert busy[attack] < bound, (
            f"a normal user's first render took {busy[attack]:.1f} s during {attack} "
            f"({quiet:.1f} s when quiet)"
        )

    attacker = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        for case in ATTACKS:
            name, data = corpus.GENERATORS[case]()
            page = attacker.new_page()
            page.goto(server)
            page.get_by_test_id("stMetricValue").first.wait_for(timeout=120_000)
            wait_idle(page)
            upload_file(page, name, data)  # the server starts on it; B opens meanwhile
            other_user_while(case)
            shown = expect_plain_alert(page, "Error", "was not loaded")
            assert name in shown
            print(f"{case}: server peak so far {peak_mb(SERVER_PIDS[server]):,.0f} MB")
            page.close()
        # the largest file the dashboard accepts, then its stress tests
        name, data = corpus.largest_default_model_csv()
        page = attacker.new_page()
        page.goto(server)
        page.get_by_test_id("stMetricValue").first.wait_for(timeout=120_000)
        wait_idle(page)
        upload_file(page, name, data)
        other_user_while("largest accepted upload")
        page.get_by_text(re.compile(r"10,?000 vendors")).first.wait_for(timeout=120_000)
        wait_idle(page, timeout=120_000)
        page.get_by_role("tab", name="Robustness").click()
        expect_plain_alert(page, "Info", "leader-only")  # said before it runs
        other_user_while("its Robustness tab")
        wait_idle(page, timeout=180_000)
        assert page.get_by_test_id("stException").count() == 0, page.content()[:2000]
        verdict = page.locator(
            '[data-testid="stAlertContentSuccess"], [data-testid="stAlertContentWarning"]'
        )
        assert verdict.count() >= 1, page.get_by_test_id("stMain").inner_text()[:2000]
    finally:
        attacker.close()
    peak = peak_mb(SERVER_PIDS[server])
    print(f"server peak memory: {peak:,.0f} MB")
    assert peak < SERVER_PEAK_MB, f"the dashboard's process peaked at {peak:,.0f} MB"
