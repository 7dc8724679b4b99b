"""Benchmark the hostile corpus: what the worst case of each attack class costs.

For every file of ``tests/hostile/corpus.py`` (issue 11's classes: merged ranges, huge
shared strings, rows and cells without references, 20,000 vendors, encodings, names...),
one fresh process imports it with ``load_evaluation`` (the real sandboxed reader) under a
2 GB address-space limit; then the CLI stages a user runs on the largest files
(``sensitivity``, ``rank --format csv --out``). Each row is the outcome, the wall time, and
the peak resident memory of the importing process ("parent") and of the reader's child
process (``VmHWM``, measured by ``tests/hostile/bounded_run.py``). The first row is the
bundled sample: the parent's figure includes the ~120 MB of interpreter, pandas and numpy
that every row pays, the child's the ~20 MB of an interpreter with the readers.

Run: ``.venv/bin/python benchmarks/bench_hostile.py`` (``--quick``: one run per file
instead of the median of 3; ``--only CASE`` for one case).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from hostile import corpus  # noqa: E402
from hostile.bounded_run import launch  # noqa: E402

MEMORY_MB = 2048
#: The CLI stages benchmarked after the import: (case, label, command).
STAGES = [
    ("wide_csv", "sensitivity", ["sensitivity"]),
    ("largest_accepted_csv", "sensitivity", ["sensitivity"]),
    ("largest_accepted_csv", "rank --format csv --out", ["rank", "--format", "csv", "--out"]),
]


def run(args: Sequence[str], timeout: float) -> dict[str, Any]:
    """One bounded run of the driver; ``{"outcome": "timeout"}`` past ``timeout``."""
    done = launch(args, timeout, MEMORY_MB)
    if done.timed_out:
        return {"outcome": "timeout", "wall_s": timeout}
    if done.result is None:
        return {"outcome": f"died ({done.returncode})", "wall_s": float("nan")}
    out = done.result
    if out.get("outcome") == "exit":
        out["outcome"] = f"exit {out['exit_code']}"
    return out


def measure(args: Sequence[str], repeats: int, timeout: float) -> dict[str, Any]:
    """Median wall time and largest peak memory over ``repeats`` fresh processes."""
    runs = [run(args, timeout) for _ in range(repeats)]
    last = runs[-1]
    if any(r["outcome"] == "timeout" for r in runs):
        return {"outcome": "timeout", "wall_s": timeout}
    return {
        "outcome": last["outcome"],
        "wall_s": statistics.median(r["wall_s"] for r in runs),
        "parent": max(r.get("rss_self_mb", float("nan")) for r in runs),
        "child": max(r.get("rss_children_mb", float("nan")) for r in runs),
    }


def row(label: str, size: int, m: dict[str, Any]) -> str:
    size_s = f"{size / 1024:,.0f} KB" if size < 10 * 1024 * 1024 else f"{size / 2**20:,.1f} MB"
    if m["outcome"] == "timeout":
        return f"{label:44} {size_s:>9} {'timeout':>9} {m['wall_s']:>7.0f}s+"
    return (
        f"{label:44} {size_s:>9} {m['outcome']!s:>9} {m['wall_s']:>7.1f}s "
        f"{m['parent']:>8,.0f} {m['child']:>8,.0f}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1 run per file instead of 3")
    parser.add_argument("--only", action="append", help="a case of the corpus (repeatable)")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per run (120)")
    args = parser.parse_args(argv)
    repeats = 1 if args.quick else 3
    cases = args.only or list(corpus.GENERATORS)
    unknown = [c for c in cases if c not in corpus.GENERATORS]
    if unknown:
        print(f"unknown case(s) {', '.join(unknown)}; the cases: {', '.join(corpus.GENERATORS)}")
        return 2

    print(
        f"each file imported in a fresh process limited to {MEMORY_MB:,} MB; "
        f"{'1 run' if repeats == 1 else f'median of {repeats}'}; peak RSS in MB"
    )
    print(f"{'case':44} {'size':>9} {'outcome':>9} {'wall':>8} {'parent':>8} {'child':>8}")
    sample = ROOT / "data" / "sample_vendors.xlsx"
    print(
        row(
            "bundled sample (baseline)",
            sample.stat().st_size,
            measure(["import", str(sample)], repeats, args.timeout),
        )
    )
    with tempfile.TemporaryDirectory() as tmp:
        paths: dict[str, tuple[Path, list[str]]] = {}
        for case in cases:
            name, data = corpus.GENERATORS[case]()
            folder = Path(tmp) / case
            folder.mkdir()
            path = folder / name
            path.write_bytes(data)
            crit: list[str] = []
            if case in corpus.CRITERIA_FILES:
                cname, cdata = corpus.CRITERIA_FILES[case]()
                (folder / cname).write_bytes(cdata)
                crit = ["--criteria", str(folder / cname)]
            paths[case] = (path, crit)
            m = measure(["import", str(path), "--name", name, *crit], repeats, args.timeout)
            print(row(case, len(data), m), flush=True)
        for case, label, command in STAGES:
            if case not in paths:
                continue
            path, crit = paths[case]
            cmd = [*command, str(Path(tmp) / "out.xlsx")] if command[-1] == "--out" else command
            m = measure(["cli", "--", cmd[0], str(path), *cmd[1:], *crit], repeats, args.timeout)
            print(row(f"{case}: {label}", path.stat().st_size, m), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
