"""Benchmark the Excel export: 30, 1,000 and 10,000 vendors × 30 criteria.

Each size runs in a fresh child process so its peak memory (``ru_maxrss``) is its own; the
child exports ``--repeat`` times (default 3) and reports the median. Reported: the time of
``write_export`` to bytes with a given sensitivity dict (the export's own cost), the file
size, peak RSS of the child, the median time when the export runs the stress tests itself
(``sensitivity=None``, as the CLI and the dashboard do), and each size's time relative to
1,000 vendors (the ratios hold on a loaded machine better than absolute times).

Run: ``.venv/bin/python benchmarks/bench_export.py`` (``--quick``: 30 and 1,000 only).
Targets on a 2-core machine: 1,000 vendors < 2 s, 10,000 vendors < 15 s.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from vendor_eval.core.model import Category, Criterion, Direction, Evaluation, Scale

SIZES = (30, 1_000, 10_000)
N_CRITERIA = 30
TARGETS = {1_000: 2.0, 10_000: 15.0}
SENS = {"leader": None, "verdict": "benchmark", "p_first": {}, "critical": []}


def build(n: int, m: int = N_CRITERIA, seed: int = 0) -> Evaluation:
    """Mixed scales and directions, 7 categories, 5% missing, two descriptive columns."""
    rng = np.random.default_rng(seed)
    vendors = [f"Vendor {i:05d}" for i in range(n)]
    criteria, cols = [], {}
    for j in range(m):
        name, cat = f"Criterion {j + 1}", f"Category {j % 7 + 1}"
        kind = j % 3
        if kind == 0:
            c = Criterion(name, cat, float(rng.integers(1, 10)), Direction.LOWER)
            x = rng.normal(100, 30, n)
        elif kind == 1:
            c = Criterion(name, cat, float(rng.integers(1, 10)), scale=Scale.ABSOLUTE,
                          min=1.0, max=5.0)  # fmt: skip
            x = rng.integers(1, 6, n).astype(float)
        else:
            c = Criterion(name, cat, float(rng.integers(1, 10)), scale=Scale.YESNO)
            x = rng.integers(0, 2, n).astype(float)
        x[rng.random(n) < 0.05] = np.nan
        criteria.append(c)
        cols[name] = x
    desc = pd.DataFrame(
        {"Website": [f"https://v{i}.example" for i in range(n)],
         "Notes": ["=not a formula" if i % 50 == 0 else f"note {i}" for i in range(n)]},
        index=vendors, dtype=object,
    )  # fmt: skip
    return Evaluation(
        vendors=vendors,
        criteria=criteria,
        categories=[Category(f"Category {k + 1}", float(k + 1)) for k in range(7)],
        values=pd.DataFrame(cols, index=vendors),
        descriptive=desc,
        source_name="benchmark",
    )


def one(n: int, with_sensitivity: bool, repeat: int) -> dict[str, object]:
    from vendor_eval.output.excel.export import write_export
    from vendor_eval.scoring.scorer import score

    rk = score(build(n))
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    times, peak = [], 0.0
    for k in range(repeat):
        t0 = time.perf_counter()
        data = write_export(rk, sensitivity=None if with_sensitivity else SENS)
        times.append(time.perf_counter() - t0)
        size = len(data)
        if k == 0:  # the first export's peak: later ones overlap the previous file's bytes
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB → MiB
        del data
    return {"n": n, "seconds": statistics.median(times), "runs": times,
            "mib": size / 2**20, "peak_rss_mib": peak, "rss_before_mib": before}  # fmt: skip


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--quick", action="store_true")
    p.add_argument("--repeat", type=int, default=3, help="exports per size (median reported)")
    p.add_argument("--one", type=int, help=argparse.SUPPRESS)
    p.add_argument("--sens", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.one:
        print(json.dumps(one(args.one, args.sens, args.repeat)))
        return 0
    sizes = SIZES[:2] if args.quick else SIZES
    print(f"median of {args.repeat} exports per size; load average {os.getloadavg()[0]:.1f}")
    print(f"{'vendors':>8} {'criteria':>8} {'export s':>9} {'vs 1k':>6} {'file MiB':>9}"
          f" {'peak RSS MiB':>13} {'(before)':>8} {'target':>7}"
          f" {'with stress tests s':>20}")  # fmt: skip
    ok = True
    base = None
    for n in sizes:
        runs = []
        for sens in (False, True):
            out = subprocess.run(
                [sys.executable, __file__, "--one", str(n), "--repeat", str(args.repeat),
                 *(["--sens"] if sens else [])],
                capture_output=True, text=True, check=True,
            )  # fmt: skip
            runs.append(json.loads(out.stdout))
        r, rs = runs
        base = r["seconds"] if n == 1_000 else base
        ratio = f"{r['seconds'] / base:.2f}" if base else "—"
        target = TARGETS.get(n)
        met = "" if target is None else ("ok" if r["seconds"] < target else "MISSED")
        ok &= met != "MISSED"
        print(f"{n:>8,} {N_CRITERIA:>8} {r['seconds']:>9.2f} {ratio:>6} {r['mib']:>9.2f} "
              f"{r['peak_rss_mib']:>13.0f} {r['rss_before_mib']:>8.0f} {met:>7} "
              f"{rs['seconds']:>20.2f}")  # fmt: skip
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
