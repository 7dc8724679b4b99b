"""Run one import or one CLI command under an address-space limit and report what it cost.

``python tests/hostile/bounded_run.py --memory-mb 2048 --result out.json import FILE
[--name NAME] [--criteria FILE]`` imports ``FILE``'s bytes with
:func:`~vendor_eval.workbook.importing.load.load_evaluation` (the real sandboxed reader);
``... cli -- ARGS`` runs ``python -m vendor_eval ARGS`` in this process. The limit
(``RLIMIT_AS``) is set before vendor_eval is imported; the reader's child sets its own,
lower one. The result file gets one JSON object: the outcome, the problems or the
exception, the wall time and the peak resident memory of this process and of its largest
child (the reader).

Peaks are read from ``VmHWM`` in ``/proc``, which starts afresh at ``exec``:
``getrusage``'s ``ru_maxrss`` does not (Linux carries the spawning process's peak over
``exec``), so it would report the test runner's own size for a small file. The children are
polled every 10 ms while they run, keeping each one's last reading: the first readings,
between ``vfork`` and ``exec``, are the spawning process's, and growth in a child's last
10 ms is missed. The ``getrusage`` figures are kept beside them, and used where ``/proc``
is missing.

Used by ``test_hostile_uploads.py`` and ``benchmarks/bench_hostile.py``; not a test module.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MB = 1024 * 1024


def _rss_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # Linux reports kilobytes


def _hwm_kb(status: str) -> int | None:
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return None


def _self_peak_mb() -> float:
    try:
        kb = _hwm_kb(Path("/proc/self/status").read_text())
    except OSError:
        kb = None
    return _rss_mb(resource.RUSAGE_SELF) if kb is None else kb / 1024


class ChildPeaks(threading.Thread):
    """Polls the peak resident memory (``VmHWM``) of this process's children: the last
    reading of each (``VmHWM`` never falls within one program)."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak_kb: dict[int, int] = {}
        self.stop = threading.Event()
        self._children = Path(f"/proc/self/task/{os.getpid()}/children")

    def run(self) -> None:
        while not self.stop.wait(0.01):
            try:
                pids = [int(p) for p in self._children.read_text().split()]
            except OSError:  # no /proc (not Linux): getrusage's figure only
                return
            for pid in pids:
                try:
                    status = Path(f"/proc/{pid}/status").read_text()
                except OSError:
                    continue  # it has just ended
                kb = _hwm_kb(status)
                if kb is not None:
                    self.peak_kb[pid] = kb

    def peak_mb(self) -> float | None:
        return max(self.peak_kb.values()) / 1024 if self.peak_kb else None


def _problems(problems: Any) -> list[dict[str, Any]]:
    keys = ("message", "code", "severity", "sheet", "row", "column", "header", "file")
    return [{k: getattr(p, k) for k in keys} for p in problems]


def _import(args: argparse.Namespace) -> dict[str, Any]:
    from vendor_eval.core.problems import ValidationError, VendorEvalError
    from vendor_eval.workbook.importing.load import load_evaluation

    data = Path(args.file).read_bytes()
    name = args.name or Path(args.file).name
    try:
        ev = load_evaluation(data, name=name, criteria=args.criteria)
    except ValidationError as e:
        return {"outcome": "invalid", "text": str(e), "problems": _problems(e.problems)}
    except VendorEvalError as e:
        return {"outcome": "error", "text": str(e), "problems": []}
    return {
        "outcome": "ok",
        "text": "",
        "vendors": list(ev.vendors),
        "criteria": [c.name for c in ev.criteria],
        "values": ev.values.head(20).to_dict(orient="list"),
        "warnings": _problems(ev.warnings),
    }


def _cli(args: argparse.Namespace) -> dict[str, Any]:
    from vendor_eval.cli import main

    try:
        code = main(args.argv)
    except SystemExit as e:  # argparse
        code = e.code if isinstance(e.code, int) else 2
    sys.stdout.flush()
    sys.stderr.flush()
    return {"outcome": "exit", "exit_code": code}


@dataclass(frozen=True)
class Launched:
    """What one bounded run gave: the driver's JSON result (``None`` when it died or timed
    out), its output, exit code, and whether it was killed for taking too long."""

    result: dict[str, Any] | None
    stdout: str
    stderr: str
    returncode: int | None
    timed_out: bool


def launch(args: Sequence[str], timeout: float, memory_mb: int = 2048) -> Launched:
    """Run this driver with ``args`` in a fresh process (own process group, so the reader's
    child dies with it), limited to ``memory_mb`` of address space, killed after ``timeout``
    seconds. Used by the hostile tests and ``benchmarks/bench_hostile.py``."""
    with tempfile.TemporaryDirectory() as tmp:
        result_file = Path(tmp) / "result.json"
        cmd = [sys.executable, __file__, "--memory-mb", str(memory_mb)]
        proc = subprocess.Popen(
            [*cmd, "--result", str(result_file), *args],
            cwd=Path(__file__).resolve().parents[2],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            return Launched(None, "", "", None, True)
        result = json.loads(result_file.read_text()) if result_file.exists() else None
        text = (out.decode("utf-8", "replace"), err.decode("utf-8", "replace"))
        return Launched(result, *text, proc.returncode, False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--memory-mb", type=int, required=True)
    parser.add_argument("--result", required=True)
    sub = parser.add_subparsers(dest="mode", required=True)
    p = sub.add_parser("import")
    p.add_argument("file")
    p.add_argument("--name")
    p.add_argument("--criteria")
    p = sub.add_parser("cli")
    p.add_argument("argv", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    if args.mode == "cli" and args.argv[:1] == ["--"]:
        args.argv = args.argv[1:]

    limit = args.memory_mb * MB
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    peaks = ChildPeaks()
    peaks.start()
    start = time.perf_counter()
    try:
        result = _import(args) if args.mode == "import" else _cli(args)
    except BaseException as e:  # what the test must never see: reported, not raised
        result = {
            "outcome": "crash",
            "text": f"{type(e).__name__}: {e}",
            "traceback": traceback.format_exc(),
        }
    result["wall_s"] = time.perf_counter() - start
    peaks.stop.set()
    peaks.join()
    result["rss_self_mb"] = _self_peak_mb()
    result["rss_self_rusage_mb"] = _rss_mb(resource.RUSAGE_SELF)
    result["rss_children_rusage_mb"] = _rss_mb(resource.RUSAGE_CHILDREN)
    polled = peaks.peak_mb()
    result["rss_children_mb"] = result["rss_children_rusage_mb"] if polled is None else polled
    Path(args.result).write_text(json.dumps(result, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
