"""Run the file readers in a child process with memory, CPU and wall-clock limits.

The dashboard is one process serving every user, and a native reader can abort the whole
process on a file that is otherwise valid (calamine aborts when a sheet's used range is
too large to allocate, for example). Each file is therefore parsed by a fresh
``python -m vendor_eval.workbook.reading.sandbox`` child:

* the parent sends ``(bytes, name, sha256, kind_hint, limits)`` on stdin (pickle);
* the child imports only the readers (no pandas, no app code: it works the same under
  Streamlit, the CLI and pytest), sets ``RLIMIT_AS``, ``RLIMIT_CPU``, no core files and no
  file writes, parses, and writes the pickled result on stdout;
* the parent reads at most :attr:`ReadLimits.max_result_bytes` of that result (and 64 KB of
  the child's error output), refusing a larger one without holding it, then unpickles it
  with an allow-list (only RawBook, RawSheet, FormulaWithoutValue and datetime types), so
  even a compromised child cannot make it run code or fill the parent's memory;
* a crash (signal), running out of memory, or exceeding the time limit becomes one
  :class:`~vendor_eval.workbook.reading.zipguard.UnreadableFile` naming the file.

Cost: one interpreter start plus the reader imports, about 0.1–0.16 s on a quiet machine (see
``benchmarks/bench_reader.py``).
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import math
import os
import pickle
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import IO

from vendor_eval.workbook.reading.rawbook import RawBook
from vendor_eval.workbook.reading.zipguard import (
    DEFAULT_LIMITS,
    MB,
    ReadLimits,
    UnreadableFile,
    unexpected_message,
)

#: Test-only: when set in the child's environment, the child misbehaves on purpose
#: (``abort``, ``hang``, ``memory``, ``garbage`` or ``flood``) so tests can check the parent
#: survives.
TEST_HOOK_ENV = "VENDOR_EVAL_READER_TEST_HOOK"
_STDERR_KEEP = 64 * 1024  # the child's error output kept, for the crash message
_READ = 1024 * 1024
_PACKAGE_ROOT = str(Path(__file__).resolve().parents[3])  # the folder holding vendor_eval/
_ALLOWED = {
    ("vendor_eval.workbook.reading.rawbook", "RawBook"),
    ("vendor_eval.workbook.reading.rawbook", "RawSheet"),
    ("vendor_eval.workbook.reading.rawbook", "FormulaWithoutValue"),
    ("datetime", "datetime"),
    ("datetime", "date"),
    ("datetime", "time"),
    ("datetime", "timedelta"),
    ("datetime", "timezone"),
    ("copyreg", "_reconstructor"),
    ("builtins", "object"),
}


class _SafeUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> object:
        if (module, name) not in _ALLOWED:
            raise pickle.UnpicklingError(f"forbidden type {module}.{name}")
        return super().find_class(module, name)


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    paths = [_PACKAGE_ROOT, *filter(None, env.get("PYTHONPATH", "").split(os.pathsep))]
    env["PYTHONPATH"] = os.pathsep.join(paths)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env["RUST_BACKTRACE"] = "0"
    return env


def _failure_message(name: str, returncode: int, stderr: bytes, limits: ReadLimits) -> str:
    if b"memory allocation of" in stderr or b"MemoryError" in stderr:
        return (
            f"{name} could not be read: the reader ran out of memory "
            f"(limit {limits.max_memory_bytes // MB:,} MB)"
        )
    if returncode in (-signal.SIGXCPU, -signal.SIGKILL):
        return f"{name} could not be read: it took longer than {limits.timeout_s:g} s"
    if returncode < 0:
        try:
            sig = signal.Signals(-returncode).name
        except ValueError:
            sig = f"signal {-returncode}"
        return f"{name} could not be read: the reader crashed ({sig})"
    return f"{name} could not be read: the reader crashed (exit code {returncode})"


def _feed(pipe: IO[bytes], payload: bytes) -> None:
    # OSError: the child died or stopped reading; its exit status says why.
    with contextlib.suppress(OSError):
        pipe.write(payload)
    with contextlib.suppress(OSError):
        pipe.close()


def _drain(pipe: IO[bytes], keep: bytearray) -> None:
    """Read ``pipe`` to its end, keeping only the last :data:`_STDERR_KEEP` bytes."""
    while chunk := pipe.read(_READ):
        keep.extend(chunk)
        del keep[:-_STDERR_KEEP]


def _read_capped(pipe: IO[bytes], cap: int) -> bytes | None:
    """All of ``pipe``, or ``None`` as soon as it is longer than ``cap`` bytes."""
    parts = []
    size = 0
    while chunk := pipe.read(min(_READ, cap + 1 - size)):
        parts.append(chunk)
        size += len(chunk)
        if size > cap:
            return None
    return b"".join(parts)


def _run_child(payload: bytes, name: str, limits: ReadLimits) -> tuple[int, bytes, bytes]:
    """Start the child, send ``payload``, return its exit status, result and error output.

    The result is read with a cap and the wall-clock limit is enforced by a timer that kills
    the child, so neither a huge result nor a hang costs the parent more than the limits.
    """
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "vendor_eval.workbook.reading.sandbox"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=_child_env(),
            cwd=_PACKAGE_ROOT,
        )
    except OSError as e:
        raise UnreadableFile(
            f"{name} could not be read: the reader could not be started ({e})"
        ) from None
    assert proc.stdin is not None and proc.stdout is not None and proc.stderr is not None
    timed_out = threading.Event()

    def kill_on_timeout() -> None:
        timed_out.set()
        proc.kill()

    timer = threading.Timer(limits.timeout_s, kill_on_timeout)
    stderr = bytearray()
    feeder = threading.Thread(target=_feed, args=(proc.stdin, payload), daemon=True)
    drainer = threading.Thread(target=_drain, args=(proc.stderr, stderr), daemon=True)
    timer.start()
    feeder.start()
    drainer.start()
    try:
        out = _read_capped(proc.stdout, limits.max_result_bytes)
        if out is None:
            proc.kill()
        returncode = proc.wait()
        feeder.join()
        drainer.join()
    finally:
        timer.cancel()
        if proc.poll() is None:  # pragma: no cover - only when this thread is interrupted
            proc.kill()
            proc.wait()
        proc.stdout.close()
        proc.stderr.close()
    if timed_out.is_set():
        raise UnreadableFile(
            f"{name} could not be read: it took longer than {limits.timeout_s:g} s"
        )
    if out is None:
        raise UnreadableFile(
            f"{name} was refused: its contents would take more than "
            f"{limits.max_result_bytes // MB:,} MB once read (the limit); remove the sheets "
            "or cells that are not needed and save it again"
        )
    return returncode, out, bytes(stderr)


def read_in_child(
    data: bytes,
    name: str,
    sha256: str = "",
    kind_hint: str | None = None,
    limits: ReadLimits = DEFAULT_LIMITS,
) -> RawBook:
    """Parse ``data`` in a resource-limited child process and return its :class:`RawBook`.

    Raises
    ------
    UnreadableFile
        The file's own problems (as the in-process readers raise them), or a crash, memory
        exhaustion, timeout or over-large result of the child, naming the file. The caller
        never dies.
    """
    payload = pickle.dumps(
        (data, name, sha256, kind_hint, dataclasses.asdict(limits)),
        protocol=pickle.HIGHEST_PROTOCOL,
    )
    returncode, stdout, stderr = _run_child(payload, name, limits)
    del payload
    if returncode != 0:
        raise UnreadableFile(_failure_message(name, returncode, stderr, limits))
    try:
        result = _SafeUnpickler(io.BytesIO(stdout)).load()
        status = result[0]
    except Exception:
        raise UnreadableFile(
            f"{name} could not be read: the reader returned an unreadable result"
        ) from None
    del stdout
    if status == "ok" and isinstance(result[1], RawBook):
        return result[1]
    if status == "error":
        _, message, sheet, row = result
        raise UnreadableFile(str(message), sheet=sheet, row=row)
    if status == "memory":
        raise UnreadableFile(_failure_message(name, 1, b"MemoryError", limits))
    raise UnreadableFile(f"{name} could not be read: the reader returned an unreadable result")


def _limit_resources(limits: ReadLimits) -> None:
    try:
        import resource
    except ImportError:  # Windows: no rlimits; the wall-clock timeout still applies
        return
    cpu = math.ceil(limits.timeout_s) + 1
    for res, value in (
        (resource.RLIMIT_AS, limits.max_memory_bytes),
        (resource.RLIMIT_CPU, cpu),
        (resource.RLIMIT_CORE, 0),
        (resource.RLIMIT_FSIZE, 0),
    ):
        _soft, hard = resource.getrlimit(res)
        if hard != resource.RLIM_INFINITY:
            value = min(value, hard)
        resource.setrlimit(res, (value, hard))
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write fails instead of killing


def _test_hook() -> None:
    hook = os.environ.get(TEST_HOOK_ENV)
    if hook == "abort":
        os.abort()
    elif hook == "hang":
        import time

        time.sleep(3600)
    elif hook == "memory":
        _ = bytearray(1 << 40)
    elif hook == "garbage":
        assert sys.__stdout__ is not None  # the child is started with stdout on a pipe
        sys.__stdout__.buffer.write(b"not a pickle")
        sys.exit(0)
    elif hook == "flood":  # an endless result, as a compromised child could write
        assert sys.__stdout__ is not None
        chunk = b"x" * _READ
        while True:
            sys.__stdout__.buffer.write(chunk)


def _child_main() -> int:
    out = sys.stdout.buffer
    sys.stdout = sys.stderr  # stray prints must not corrupt the result
    data, name, sha256, kind_hint, limits_kw = pickle.loads(sys.stdin.buffer.read())
    limits = ReadLimits(**limits_kw)
    # Import every reader before the limits: imports need memory and may write nothing.
    from vendor_eval.workbook.reading import csv, xlsx  # noqa: F401
    from vendor_eval.workbook.reading.sniff import parse_bytes

    _limit_resources(limits)
    try:
        _test_hook()
        result: tuple[object, ...] = ("ok", parse_bytes(data, name, sha256, kind_hint, limits))
    except UnreadableFile as e:
        result = ("error", e.message, e.sheet, e.row)
    except MemoryError:
        result = ("memory",)
    except RecursionError:
        result = ("error", f"{name} is damaged: its structure is nested too deeply", None, None)
    except Exception as e:  # a reader bug or an unforeseen malformation: still one message
        result = ("error", unexpected_message(name, e), None, None)
    del data
    out.write(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(_child_main())
