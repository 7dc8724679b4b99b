"""Benchmark the stress tests: Monte Carlo rank acceptability and the critical-weights table.

Synthetic evaluations (30 and 1,000 vendors × 50 criteria in 7 categories, mixed scales, 5%
missing values); prints the median wall time of

* the Monte Carlo core (10,000 Dirichlet weight samples → ranks → rank-probability matrix),
* the full critical-weights table (every category and criterion, exact),
* the whole ``analyse()`` (both, plus scoring under WSM and TOPSIS and the category sweeps).

Run: ``.venv/bin/python benchmarks/bench_sensitivity.py`` (``--quick`` for fewer repeats).
Target on a 2-core machine: Monte Carlo for 30 vendors well under 0.5 s. Each figure is the
median wall time with the median CPU time of this process in brackets.
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

from vendor_eval.core.model import Category, Criterion, Direction, Evaluation, Scale
from vendor_eval.scoring.scorer import score
from vendor_eval.stress.analysis import _inputs, analyse, critical_changes
from vendor_eval.stress.montecarlo import rank_probabilities

SIZES = (30, 1_000)
N_CRITERIA = 50
SAMPLES = 10_000


def make(n_vendors: int, seed: int = 0) -> Evaluation:
    rng = np.random.default_rng(seed)
    criteria, cols = [], {}
    for j in range(N_CRITERIA):
        name, cat = f"C{j + 1:02d}", f"Cat{j % 7 + 1}"
        direction = Direction.LOWER if j % 5 == 0 else Direction.HIGHER
        if j % 3 == 0:
            crit = Criterion(name, cat, float(rng.integers(1, 10)), direction)
            col = rng.normal(100, 30, n_vendors)
        elif j % 3 == 1:
            crit = Criterion(name, cat, float(rng.integers(1, 10)), direction, Scale.ABSOLUTE, 1, 5)
            col = rng.integers(1, 6, n_vendors).astype(float)
        else:
            crit = Criterion(name, cat, float(rng.integers(1, 10)), Direction.HIGHER, Scale.YESNO)
            col = rng.integers(0, 2, n_vendors).astype(float)
        col[rng.random(n_vendors) < 0.05] = np.nan
        criteria.append(crit)
        cols[name] = col
    vendors = [f"Vendor {i + 1}" for i in range(n_vendors)]
    return Evaluation(
        vendors=vendors,
        criteria=criteria,
        categories=[Category(f"Cat{k + 1}", float(k + 1)) for k in range(7)],
        values=pd.DataFrame(cols, index=vendors),
    )


def timed(fn: Callable[[], object], repeats: int) -> tuple[float, float]:
    """Median wall time and median CPU time (the machine may be shared: CPU time is the
    steadier figure, wall time what a user waits)."""
    fn()  # warm-up
    wall, cpu = [], []
    for _ in range(repeats):
        t, c = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    return statistics.median(wall), statistics.median(cpu)


def ms(pair: tuple[float, float]) -> str:
    return f"{pair[0] * 1000:.0f} ms ({pair[1] * 1000:.0f} CPU)"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="fewer repeats")
    args = p.parse_args(argv)
    repeats = 2 if args.quick else 5
    print(f"{'vendors':>8}  {'Monte Carlo':>22}  {'critical table':>22}  {'analyse()':>22}")
    for n in SIZES:
        ev = make(n)
        ranking = score(ev, "wsm", "worst")
        inp = _inputs(ranking)
        mc = timed(
            lambda inp=inp: rank_probabilities(inp.S, inp.w, samples=SAMPLES, seed=0), repeats
        )
        crit = timed(lambda r=ranking: critical_changes(r), repeats)
        full = timed(
            lambda ev=ev: analyse(ev, samples=SAMPLES, leader_only=False), max(1, repeats // 2)
        )
        print(f"{n:>8}  {ms(mc):>22}  {ms(crit):>22}  {ms(full):>22}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
