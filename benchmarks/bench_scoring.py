"""Benchmark the scoring pipeline: gates, normalisation, weights, WSM / TOPSIS, ranking.

Builds synthetic evaluations (30, 1,000 and 100,000 vendors × 50 criteria; mixed scales,
directions, 7 categories, 5% missing values, one yes/no must-have failed by ~10%) and prints
the median wall and CPU time of ``score()`` per method (what a caller pays: gates,
normalisation, weights, totals, ranks, completeness and the ranking table for every vendor),
of materialising the lazy per-criterion frames of a fresh result (``normalised``,
``contributions``, ``missing_mask``, ``category_scores``), and of the plain method functions
alone; ``x wsm()`` is the median wall time over plain ``wsm()``'s in the same run. The
machine is shared, so CPU time (this process only) is the steadier figure under load.

Run: ``.venv/bin/python benchmarks/bench_scoring.py`` (``--quick`` for fewer repeats).
Targets on a 2-core machine: 100,000 × 50 with WSM < 100 ms, TOPSIS < 200 ms;
30 vendors < 5 ms.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from vendor_eval.core.model import (
    Category,
    Criterion,
    Direction,
    Evaluation,
    MustRule,
    Scale,
)
from vendor_eval.scoring.methods import topsis, wsm
from vendor_eval.scoring.scorer import score

SIZES = (30, 1_000, 100_000)
N_CRITERIA = 50


def synthetic(n_vendors: int, n_criteria: int = N_CRITERIA, seed: int = 0) -> Evaluation:
    """A reproducible evaluation mixing relative, absolute 1–5 and yes/no criteria."""
    rng = np.random.default_rng(seed)
    criteria, cols = [], {}
    for j in range(n_criteria):
        name = f"Criterion {j + 1}"
        cat = f"Category {j % 7 + 1}"
        weight = float(rng.integers(1, 10))
        kind = j % 3
        if kind == 0:
            direction = Direction.LOWER if j % 2 else Direction.HIGHER
            crit = Criterion(name, cat, weight, direction, Scale.RELATIVE)
            col = rng.normal(100, 30, n_vendors)
        elif kind == 1:
            crit = Criterion(name, cat, weight, scale=Scale.ABSOLUTE, min=1.0, max=5.0)
            col = rng.integers(1, 6, n_vendors).astype(float)
        else:
            must = MustRule("=", 1.0, "yes") if j == 2 else None
            crit = Criterion(name, cat, weight, scale=Scale.YESNO, must=must)
            col = (rng.random(n_vendors) < (0.9 if j == 2 else 0.5)).astype(float)
        col[rng.random(n_vendors) < 0.05] = np.nan
        criteria.append(crit)
        cols[name] = col
    vendors = [f"Vendor {i + 1:06d}" for i in range(n_vendors)]
    # object-dtype index over the vendor list, as the importer builds it
    values = pd.DataFrame(cols, index=pd.Index(vendors, dtype=object))
    cats = [Category(f"Category {k + 1}", float(k + 1)) for k in range(7)]
    return Evaluation(vendors=vendors, criteria=criteria, categories=cats, values=values)


def median_ms(
    fn: Callable[[], object], repeats: int, setup: Callable[[], object] | None = None
) -> tuple[float, float]:
    """Median wall and CPU milliseconds of ``fn(setup())`` (setup untimed)."""
    fn(setup()) if setup else fn()  # warm-up
    wall, cpu = [], []
    for _ in range(repeats):
        arg = setup() if setup else None
        t0, c0 = time.perf_counter(), time.process_time()
        fn(arg) if setup else fn()
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def materialise(r) -> None:
    """Build every lazy per-criterion frame of a ranking."""
    for name in ("normalised", "contributions", "missing_mask", "category_scores"):
        getattr(r, name)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer repeats")
    args = ap.parse_args(argv)
    print(
        f"{'vendors':>8} {'criteria':>8}  {'case':<26} {'wall ms':>9} {'cpu ms':>8} {'x wsm()':>8}"
    )
    for n in SIZES:
        repeats = (3 if args.quick else 9) if n >= 100_000 else (10 if args.quick else 50)
        ev = synthetic(n)
        rng = np.random.default_rng(1)
        s = rng.random((n, N_CRITERIA))
        w = rng.random(N_CRITERIA)
        w /= w.sum()
        benefit = rng.random(N_CRITERIA) < 0.7
        cases: dict[str, tuple[Callable, Callable | None]] = {
            "score() wsm": (lambda ev=ev: score(ev, "wsm"), None),
            "score() wsm exclude": (lambda ev=ev: score(ev, "wsm", "exclude"), None),
            "score() topsis": (lambda ev=ev: score(ev, "topsis"), None),
            "frames of a wsm result": (materialise, lambda ev=ev: score(ev, "wsm")),
            "wsm() plain": (lambda s=s, w=w: wsm(s, w), None),
            "topsis() plain": (lambda s=s, w=w, b=benefit: topsis(s, w, b), None),
        }
        times = {name: median_ms(fn, repeats, setup) for name, (fn, setup) in cases.items()}
        base = times["wsm() plain"][0]
        for name, (wall, cpu) in times.items():
            ratio = wall / base if base > 0 else float("nan")
            print(f"{n:>8,} {N_CRITERIA:>8}  {name:<26} {wall:>9.2f} {cpu:>8.2f} {ratio:>8.1f}",
                  flush=True)  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
