"""Monitoring benchmark: scoring a portfolio, reading its workbook, the Performance page.

Run: ``.venv/bin/python benchmarks/bench_monitoring.py [--quick]``.

* **scoring**: :func:`vendor_eval.monitoring.scoring.score_monitoring` on 200 vendors × 20
  KPIs × 60 monthly periods (240,000 results), median of N; "typical" actuals scatter around
  the targets (a few % in breach), "worst case" are uniform over the scale (most results in
  breach, so most periods list breaches and thousands of actions open).
* **reading**: reading and validating the same portfolio as an .xlsx file (the sandboxed
  reader, then the monitoring rules), once: for information.
* **page rerun**: one run of the Performance page through ``streamlit.testing.v1.AppTest``
  after uploading that workbook: "cached" changes nothing, "switch vendor" shows another
  vendor's scorecard (heatmap 20 × 60, line, tables).

Targets (issue 16): scoring < 0.5 s, page rerun < 1 s. A missed target shows as "NO"; the
script exits 0 unless it crashes.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from vendor_eval.core.model import Direction  # noqa: E402
from vendor_eval.monitoring.model import (  # noqa: E402
    RESULT_COLUMNS,
    Kpi,
    MonitoringBook,
    Period,
    PeriodKind,
)
from vendor_eval.monitoring.scoring import score_monitoring  # noqa: E402

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def portfolio(
    vendors: int, kpis: int, months: int, *, worst: bool, own: bool = False, seed: int = 0
):
    """KPIs and results: every vendor reports every KPI every month. ``own``: every vendor
    has its own KPI rows (vendors × KPIs rows, each linked to a selection criterion)."""
    rng = np.random.default_rng(seed)
    names = [f"Vendor {i + 1:03d}" for i in range(vendors)]
    kpi_list = [
        Kpi(f"KPI {j + 1:02d}", Direction.HIGHER if j % 2 else Direction.LOWER,
            95.0 if j % 2 else 5.0, 90.0 if j % 2 else 10.0, float(1 + j % 3),
            vendor=v, criterion=f"Criterion {j + 1}" if own else None, row=2 + i * kpis + j)
        for i, v in enumerate(names if own else [None])
        for j in range(kpis)
    ]  # fmt: skip
    kpi_list = kpi_list[:kpis] if not own else kpi_list
    first = Period.of(PeriodKind.MONTH, 2022, 1).ordinal
    n = vendors * kpis * months
    vendor = np.repeat(names, kpis * months)
    kpi = np.tile(np.repeat([f"KPI {j + 1:02d}" for j in range(kpis)], months), vendors)
    period = np.tile(np.arange(first, first + months), vendors * kpis)
    higher = np.tile(np.repeat([j % 2 == 1 for j in range(kpis)], months), vendors)
    if worst:
        actual = rng.uniform(0, 100, n)
    else:  # around the target, about 3 % beyond the threshold
        actual = np.where(higher, rng.normal(95.5, 2.5, n), rng.normal(4.5, 2.5, n))
    frame = pd.DataFrame(
        {"period": period, "vendor": vendor, "kpi": kpi, "actual": actual.round(2),
         "comment": "", "row": np.arange(n) + 2},
        columns=list(RESULT_COLUMNS),
    )  # fmt: skip
    return MonitoringBook(tuple(kpi_list), frame, PeriodKind.MONTH, tuple(names))


def as_workbook(book: MonitoringBook) -> bytes:
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("KPIs")
    ws.append(["KPI", "Vendor", "Unit", "Direction", "Target", "Threshold", "Weight"])
    for k in book.kpis:
        ws.append([k.name, k.vendor, None, k.direction.value, k.target, k.threshold, k.weight])
    ws = wb.create_sheet("Performance")
    ws.append(["Period", "Vendor", "KPI", "Actual"])
    labels = {o: book.period(o).label for o in book.results["period"].unique()}
    for p, v, k, a in zip(
        book.results["period"].tolist(), book.results["vendor"].tolist(),
        book.results["kpi"].tolist(), book.results["actual"].tolist(), strict=True,
    ):  # fmt: skip
        ws.append([labels[p], v, k, a])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def median_time(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def page_times(data: bytes, repeats: int) -> dict[str, float]:
    from streamlit.testing.v1 import AppTest

    def page() -> None:
        from vendor_eval.ui.performance import main

        main()

    os.chdir(ROOT)
    at = AppTest.from_function(page, default_timeout=300)
    at.run()
    at.file_uploader(key="perf_upload").set_value(("portfolio.xlsx", data, XLSX))
    at.run()
    assert not at.exception and not at.error, [e.value for e in [*at.exception, *at.error]]
    cached = median_time(at.run, repeats)
    switch = []
    options = at.selectbox(key="perf_vendor").options
    for k in range(repeats):
        at.selectbox(key="perf_vendor").select(options[(k * 37 + 1) % len(options)])
        t = time.perf_counter()
        at.run()
        switch.append(time.perf_counter() - t)
        assert not at.exception
    return {"page rerun, cached": cached, "page rerun, switch vendor": statistics.median(switch)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    args = parser.parse_args(argv)
    repeats = 3 if args.quick else 7
    rows: list[tuple[str, float, float | None]] = []
    typical = portfolio(200, 20, 60, worst=False)
    worst = portfolio(200, 20, 60, worst=True)
    score_monitoring(typical)  # warm up imports
    rows.append(("scoring, typical (240,000 results)",
                 median_time(lambda: score_monitoring(typical), repeats), 0.5))  # fmt: skip
    rows.append(("scoring, worst case",
                 median_time(lambda: score_monitoring(worst), repeats), 0.5))  # fmt: skip
    own = portfolio(200, 20, 60, worst=True, own=True)
    promised = {(k.vendor, k.criterion): 95.0 for k in own.kpis if k.vendor and k.criterion}
    own = replace(own, promised=promised)
    rows.append(("scoring, worst case, every vendor its own 20 KPIs with promises",
                 median_time(lambda: score_monitoring(own), repeats), 0.5))  # fmt: skip
    data = as_workbook(typical)
    from vendor_eval.monitoring.reading import read_monitoring

    t = time.perf_counter()
    read_monitoring(data, "portfolio.xlsx")
    rows.append((f"reading the .xlsx ({len(data) / 1e6:.1f} MB), sandboxed",
                 time.perf_counter() - t, None))  # fmt: skip
    for label, seconds in page_times(data, repeats).items():
        rows.append((label, seconds, 1.0))
    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  seconds  target  met")
    missed = []
    for label, seconds, target in rows:
        met = "" if target is None else ("yes" if seconds < target else "NO")
        shown = "" if target is None else f"< {target:g}"
        print(f"{label:<{width}}  {seconds:7.3f}  {shown:>6}  {met}")
        if met == "NO":
            missed.append(label)
    if missed:
        print("missed: " + ", ".join(missed))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
