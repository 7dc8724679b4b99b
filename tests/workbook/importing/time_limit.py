"""A wall-clock limit for one block of a test: work that must be bounded fails, not hangs."""

from __future__ import annotations

import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest


@contextmanager
def within(seconds: float, what: str = "the import") -> Iterator[None]:
    """Fail the test when the block takes longer than ``seconds`` (interrupting it)."""

    def expired(signum: int, frame: object) -> None:
        raise TimeoutError

    start = time.perf_counter()
    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    except TimeoutError:
        pytest.fail(f"{what} took longer than {seconds:g} s")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    elapsed = time.perf_counter() - start
    assert elapsed < seconds, f"{what} took {elapsed:.2f} s (limit {seconds:g} s)"
