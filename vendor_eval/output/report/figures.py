"""The award report's charts: the dashboard's plotly figures drawn as SVG by Kaleido.

Kaleido drives a headless Chromium. One Kaleido server is started for the whole report and
every figure is drawn through it (about 0.4 s a figure once it runs, against some 3 s
when each figure starts its own browser). Chromium takes seconds to start, in the
server's own thread: :func:`browser_started` starts it first, so that it starts while the
workbook is read and analysed (the CLI does so). Without a browser the report is still written:
:func:`render_svgs` returns, for each figure, the reason it was not drawn, and the report
shows that note in the chart's place (docs/report.md §4).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import os
import re
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "CHROMIUM",
    "NO_BROWSER",
    "Drawn",
    "browser_path",
    "browser_started",
    "browser_starting",
    "render_svgs",
]

#: Debian's Chromium, used when ``BROWSER_PATH`` is not set.
CHROMIUM = Path("/usr/bin/chromium")
#: The note printed in a chart's place (and by the CLI) when there is no browser.
NO_BROWSER = "chart not drawn: Chromium is not installed (see README)"
#: Width of every chart in CSS pixels: the report's text width at 96 dpi, roughly.
WIDTH = 720


@dataclass(frozen=True)
class Drawn:
    """One figure: its SVG text, or ``note`` saying why it is not drawn."""

    svg: str | None
    note: str = ""


def browser_path() -> Path | None:
    """The browser Kaleido will drive: ``BROWSER_PATH`` when set (``None`` when that file
    does not exist), else :data:`CHROMIUM` when it exists, else ``None``."""
    given = os.environ.get("BROWSER_PATH")
    if given:
        return Path(given) if Path(given).is_file() else None
    return CHROMIUM if CHROMIUM.is_file() else None


#: An SVG path's arc of radius 0 (plotly draws a sunburst's centre with them). SVG says it
#: is a straight line; WeasyPrint draws a stray line across the page, so it is written as one.
_ZERO_ARC = re.compile(r"A0,0 0,[01],[01] ")

#: Seconds to wait for Chromium to start, and for one chart.
START_TIMEOUT = 60.0
DRAW_TIMEOUT = 60.0


class _Browser:
    """One Kaleido (one Chromium) running in its own thread and event loop.

    Kaleido's own "sync server" waits for ever when the browser fails to start; here the
    start's failure is kept and raised by :meth:`draw`, and every wait has a timeout.
    """

    def __init__(self, browser: Path) -> None:
        for name in ("choreographer", "kaleido", "logistro"):  # their chatter is not for users
            logging.getLogger(name).setLevel(logging.CRITICAL)
        self.browser = browser
        self.loop = asyncio.new_event_loop()
        self.ready: concurrent.futures.Future[Any] = concurrent.futures.Future()
        self.stop: asyncio.Event | None = None
        self.thread = threading.Thread(
            target=self.loop.run_until_complete,
            args=(self._main(),),
            daemon=True,
            name="vendor-eval-kaleido",
        )
        self.thread.start()

    async def _main(self) -> None:
        import kaleido  # type: ignore[import-untyped]  # no stubs

        self.stop = asyncio.Event()
        try:
            # MathJax off: Kaleido would fetch it from a CDN, and no chart of ours uses it
            async with kaleido.Kaleido(
                mathjax=False, path=str(self.browser), timeout=DRAW_TIMEOUT
            ) as k:
                self.ready.set_result(k)
                await self.stop.wait()
        except BaseException as e:  # the browser did not start (or died): draw() says so
            if not self.ready.done():
                self.ready.set_exception(e)

    def draw(self, fig: Any) -> str:
        k = self.ready.result(timeout=START_TIMEOUT)
        opts = {"format": "svg", "width": WIDTH, "height": fig.layout.height or 420}
        job = asyncio.run_coroutine_threadsafe(k.calc_fig(fig, opts=opts), self.loop)
        data = job.result(timeout=DRAW_TIMEOUT + 5)
        svg = data.decode("utf-8") if isinstance(data, bytes) else str(data)
        return _ZERO_ARC.sub("L", svg)

    def close(self) -> None:
        if self.stop is not None and not self.loop.is_closed():
            self.loop.call_soon_threadsafe(self.stop.set)
        self.thread.join(timeout=15)


class _Held:
    """The browser :func:`browser_started` keeps for the block, if any."""

    browser: _Browser | None = None


@contextmanager
def browser_started() -> Iterator[None]:
    """Start Chromium now, in its own thread, and keep it for every :func:`render_svgs`
    inside the block; closed at the end. Without a browser nothing happens here
    (:func:`render_svgs` says why)."""
    path = browser_path()
    if path is None or _Held.browser is not None:
        yield
        return
    _Held.browser = _Browser(path)
    try:
        yield
    finally:
        held, _Held.browser = _Held.browser, None
        held.close()


def browser_starting() -> bool:
    """Whether the browser :func:`browser_started` keeps is still starting (the caller
    may do other work meanwhile)."""
    held = _Held.browser
    return held is not None and not held.ready.done()


def render_svgs(figures: Mapping[str, Any]) -> dict[str, Drawn]:
    """Each plotly figure of ``figures`` (name → ``go.Figure``) as SVG, through one browser;
    without a browser (or when it fails) each is a :class:`Drawn` with a note."""
    if not figures:
        return {}
    path = browser_path()
    if path is None:
        return {name: Drawn(None, NO_BROWSER) for name in figures}
    held = _Held.browser
    browser = held or _Browser(path)
    out: dict[str, Drawn] = {}
    try:
        for name, fig in figures.items():
            try:
                out[name] = Drawn(browser.draw(fig))
            except Exception as e:  # one failed chart does not lose the report
                out[name] = Drawn(None, f"chart not drawn: {_reason(e)}")
                if not browser.ready.done() or browser.ready.exception() is not None:
                    break  # the browser itself failed: the others would wait in vain
    finally:
        if held is None:
            browser.close()
    failed = next((d.note for d in out.values() if d.svg is None), NO_BROWSER)
    return {name: out.get(name, Drawn(None, failed)) for name in figures}


def _reason(e: BaseException) -> str:
    if isinstance(e, TimeoutError | concurrent.futures.TimeoutError):
        return "the browser did not answer in time"
    args = [a for a in getattr(e, "args", ()) if isinstance(a, str)]
    first = (args[0] if args else str(e)).strip().splitlines()
    return f"the browser failed ({(first[0] if first else type(e).__name__)[:160]})"
