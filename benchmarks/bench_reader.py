"""Benchmark the safe file reader: sandboxed (child process) vs in-process ``read_book``.

Workbooks: the bundled sample, a generated 10,000-row x 25-column
vendor register (numbers, text, booleans), the same with a formula column (which adds the
streaming XML scan for formula and error cells), the 10,000 rows as CSV, and the refusal
of a 120 MB decompression bomb, plus 20 vendors followed by 200,000 formatted empty rows.
Prints the median wall time of each, and the sandbox's
overhead (interpreter start + reader imports + pickling the result).

Run: ``.venv/bin/python benchmarks/bench_reader.py`` (``--quick`` for fewer repeats).
"""

from __future__ import annotations

import argparse
import csv
import gc
import io
import statistics
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from vendor_eval.core.problems import ValidationError  # noqa: E402
from vendor_eval.workbook.reading.book import read_book  # noqa: E402

ROWS = 10_000
COLS = 25


def _register_rows(formulas: bool) -> list[list[object]]:
    header = ["Vendor", "Website", *[f"Criterion {j}" for j in range(1, COLS - 2)], "ISO"]
    if formulas:
        header.append("Score x2")
    rows: list[list[object]] = [header]
    for i in range(ROWS):
        row: list[object] = [f"Vendor {i:05d}", f"https://v{i}.example"]
        row += [((i * 7 + j * 13) % 97) / 7 for j in range(1, COLS - 2)]
        row.append(i % 3 == 0)
        if formulas:
            row.append(f"=C{i + 2}*2")
        rows.append(row)
    return rows


def _xlsx(rows: list[list[object]]) -> bytes:
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Vendors")
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _csv(rows: list[list[object]]) -> bytes:
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    return buf.getvalue().encode()


def _bomb() -> bytes:
    buf = io.BytesIO()
    with (
        zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z,
        z.open("xl/worksheets/sheet1.xml", "w") as fh,
    ):
        for _ in range(120):
            fh.write(b" " * (1024 * 1024))
    return buf.getvalue()


def _styled_empty_rows(rows: int = 200_000, cols: int = 6) -> bytes:
    """20 vendors, then ``rows`` formatted but empty rows (a fill dragged down the sheet)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Vendors"
    ws.append(["Vendor", "Years in business", "Client rating", "ISO 27001", "Notes", "Website"])
    for i in range(20):
        ws.append([f"Vendor {i}", i + 1, 3, "yes", "ok", "example.com"])
    ws["A2"].fill = openpyxl.styles.PatternFill("solid", fgColor="FFFF00")  # style id 1
    src = io.BytesIO()
    wb.save(src)
    letters = [openpyxl.utils.get_column_letter(c) for c in range(1, cols + 1)]
    empty = "".join(
        f'<row r="{r}">' + "".join(f'<c r="{c}{r}" s="1"/>' for c in letters) + "</row>"
        for r in range(22, 22 + rows)
    ).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            part = zin.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                part = part.replace(b"</sheetData>", empty + b"</sheetData>")
            zout.writestr(info.filename, part)
    return out.getvalue()


def _times(fn: Callable[[], object], repeats: int) -> list[float]:
    fn()  # warm up (imports, page cache)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def _median(fn: Callable[[], object], repeats: int) -> float:
    return statistics.median(_times(fn, repeats))


def _read(data: bytes, name: str, sandbox: bool) -> Callable[[], object]:
    def run() -> object:
        try:
            return read_book(data, name, sandbox=sandbox)
        except ValidationError as e:  # the bomb: refused is the expected result
            return e

    return run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 repeats instead of 9")
    args = parser.parse_args(argv)
    repeats = 3 if args.quick else 9

    plain = _register_rows(formulas=False)
    cases = {
        "bundled sample workbook": (ROOT / "data" / "sample_vendors.xlsx").read_bytes(),
        f"{ROWS:,} rows x {COLS} cols .xlsx": _xlsx(plain),
        f"{ROWS:,} rows + formula column": _xlsx(_register_rows(formulas=True)),
        f"{ROWS:,} rows x {COLS} cols .csv": _csv(plain),
        "20 rows + 200,000 formatted empty": _styled_empty_rows(),
        "120 MB zip bomb (refused)": _bomb(),
    }
    del plain
    gc.collect()
    # the sandbox's fixed cost: a 2-line CSV, whose parsing costs microseconds; the minimum
    # is the closest to an idle machine
    tiny = _times(_read(b"Vendor,Years in business\nAcme,3\n", "tiny.csv", True), repeats * 2)
    print(
        f"sandbox fixed cost (2-line CSV): min {min(tiny) * 1000:.0f} ms, "
        f"median {statistics.median(tiny) * 1000:.0f} ms"
    )
    print(f"{'file':34} {'size':>9} {'in-process':>11} {'sandboxed':>10} {'overhead':>9}")
    for label, data in cases.items():
        name = "bench.csv" if label.endswith(".csv") else "bench.xlsx"
        inproc = _median(_read(data, name, sandbox=False), repeats)
        boxed = _median(_read(data, name, sandbox=True), repeats)
        print(
            f"{label:34} {len(data) / 1024:>7,.0f}KB {inproc * 1000:>9.0f}ms "
            f"{boxed * 1000:>8.0f}ms {(boxed - inproc) * 1000:>7.0f}ms"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
