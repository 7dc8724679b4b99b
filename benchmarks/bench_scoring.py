"""Benchmark the scoring pipeline: gates, normalisation, weights, WSM / TOPSIS, ranking.

Builds synthetic evaluations (30, 1,000 and 100,000 vendors × 50 criteria; mixed scales,
directions, 7 categories, 5% missing values, one yes/no must-have failed by ~10%) and prints
the median wall time of ``score()`` per method, and of the plain method functions alone.

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

from vendor_eval.methods import topsis, wsm
from vendor_eval.model import (
    Category,
    Criterion,
    Direction,
    Evaluation,
    MustRule,
    Scale,
)
from vendor_eval.scoring import score

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


def median_ms(fn: Callable[[], object], repeats: int) -> float:
    fn()  # warm-up
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer repeats")
    args = ap.parse_args(argv)
    print(f"{'vendors':>8} {'criteria':>8}  {'case':<24} {'median ms':>10}")
    for n in SIZES:
        repeats = (3 if args.quick else 7) if n >= 100_000 else (10 if args.quick else 50)
        ev = synthetic(n)
        rng = np.random.default_rng(1)
        s = rng.random((n, N_CRITERIA))
        w = rng.random(N_CRITERIA)
        w /= w.sum()
        benefit = rng.random(N_CRITERIA) < 0.7
        cases = {
            "score() wsm": lambda ev=ev: score(ev, "wsm"),
            "score() wsm exclude": lambda ev=ev: score(ev, "wsm", "exclude"),
            "score() topsis": lambda ev=ev: score(ev, "topsis"),
            "wsm() plain": lambda s=s, w=w: wsm(s, w),
            "topsis() plain": lambda s=s, w=w, b=benefit: topsis(s, w, b),
        }
        for name, fn in cases.items():
            print(
                f"{n:>8,} {N_CRITERIA:>8}  {name:<24} {median_ms(fn, repeats):>10.2f}", flush=True
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
