"""The export at scale: refused cleanly past Excel's sheet size, re-importable at the largest
evaluation the importer accepts.

The importer takes at most ``MAX_VENDORS`` vendors and ``MAX_VALUE_CELLS`` vendor x
criterion values; the export of such an evaluation, with names of the longest length
accepted and values that do not compress (full-precision numbers, none missing), must be a
file the reader accepts again (file size, unpacked size, cells per sheet) and re-import to
the same ranking, with room to spare for descriptive columns.
"""

from __future__ import annotations

import io
import string
import time
import zipfile

import numpy as np
import openpyxl
import pandas as pd
import pytest
from conftest import make_evaluation, random_evaluation

from vendor_eval import cli
from vendor_eval.core.limits import (
    EXCEL_MAX_COLUMNS,
    EXCEL_MAX_ROWS,
    MAX_NAME_LENGTH,
    MAX_VALUE_CELLS,
    MAX_VENDORS,
)
from vendor_eval.core.model import Category, Criterion, Direction, Scale
from vendor_eval.core.problems import Problem, VendorEvalError
from vendor_eval.output.excel.export import write_export
from vendor_eval.scoring.scorer import score
from vendor_eval.workbook.reading.zipguard import DEFAULT_LIMITS

# The export of the largest evaluation may use at most this share of each reader limit:
# the rest is room for descriptive columns and texts the value limits do not bound.
HEADROOM = 0.75


def wide_evaluation(n_criteria: int):
    names = [f"C{j}" for j in range(n_criteria)]
    values = pd.DataFrame(np.arange(2 * n_criteria, dtype=float).reshape(2, -1), columns=names)
    return make_evaluation(values, vendors=["Acme", "Bolt"])


def test_more_columns_than_excel_holds_is_refused_with_a_message(tmp_path):
    ranking = score(wide_evaluation(EXCEL_MAX_COLUMNS + 10))
    target = tmp_path / "wide.xlsx"
    with pytest.raises(VendorEvalError, match=r"16,384 Excel can hold") as e:
        write_export(ranking, target)
    assert "columns" in str(e.value) and "Error" not in str(e.value)
    assert not target.exists() and not list(tmp_path.iterdir())  # nothing half-written


def test_rank_out_past_excels_columns_exits_2_not_1(tmp_path, monkeypatch, capsys):
    ev = wide_evaluation(EXCEL_MAX_COLUMNS + 10)
    monkeypatch.setattr(cli.workbook, "_load", lambda args: ev)
    out = tmp_path / "ranking.xlsx"
    assert cli.main(["rank", "shortlist.xlsx", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: the export's") and "Excel can hold" in err
    assert "This is a bug" not in err and "IndexError" not in err


def test_a_sheet_longer_than_excel_is_refused():
    from vendor_eval.output.excel.book import Book

    sh = Book().sheet("Audit")
    sh.row = EXCEL_MAX_ROWS - 1
    sh.append(["last row Excel has"])
    with pytest.raises(VendorEvalError, match=r"1,048,577 rows"):
        sh.append(["one too many"])


def test_audit_lists_a_bounded_number_of_warnings(rng):
    from vendor_eval.output.excel.audit import AUDIT_LIST_MAX

    ev = random_evaluation(rng, n_vendors=4, n_criteria=3)
    n = AUDIT_LIST_MAX + 7
    ev.warnings = [Problem(f"note {k}", "Vendors", 2, "B", "C1", "warning") for k in range(n)]
    ws = openpyxl.load_workbook(io.BytesIO(write_export(score(ev))), read_only=True)["Audit"]
    texts = [r[1] for r in ws.iter_rows(values_only=True) if len(r) > 1 and r[1]]
    assert sum(1 for t in texts if str(t).startswith("Vendors!B2")) == AUDIT_LIST_MAX
    assert any(str(t).startswith("… and 7 more") for t in texts)


def largest(n_vendors: int, n_criteria: int, seed: int = 1):
    """``n_vendors`` x ``n_criteria`` with every value present and full precision, and every
    vendor, criterion and category name as long as the importer accepts."""
    rng = np.random.default_rng(seed)
    alphabet = np.array(list(string.ascii_letters + string.digits + "éüßøπЖ中"))

    def name(prefix: str, i: int) -> str:
        return (f"{prefix}{i} " + "".join(rng.choice(alphabet, MAX_NAME_LENGTH)))[:MAX_NAME_LENGTH]

    vendors = [name("V", i) for i in range(n_vendors)]
    cats = [name("K", k) for k in range(10)]
    crit = [
        Criterion(
            name("C", j), cats[j % 10], float(rng.integers(1, 10)),
            Direction.LOWER if j % 2 else Direction.HIGHER, Scale.RELATIVE,
        )
        for j in range(n_criteria)
    ]  # fmt: skip
    values = pd.DataFrame(
        rng.normal(1000, 300, (n_vendors, n_criteria)), columns=[c.name for c in crit]
    )
    cats_w = [Category(c, float(k + 1)) for k, c in enumerate(cats)]
    return make_evaluation(values, crit, cats_w, vendors)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("n_vendors", "n_criteria"),
    [(MAX_VENDORS, MAX_VALUE_CELLS // MAX_VENDORS), (MAX_VALUE_CELLS // 1000, 1000)],
)
def test_the_largest_accepted_evaluation_exports_and_reads_back(n_vendors, n_criteria, capsys):
    from vendor_eval.workbook.importing.load import load_evaluation

    assert n_vendors * n_criteria == MAX_VALUE_CELLS
    ranking = score(largest(n_vendors, n_criteria))
    start = time.perf_counter()
    data = write_export(ranking)
    took = time.perf_counter() - start
    limits = DEFAULT_LIMITS
    infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    unpacked = sum(i.file_size for i in infos)
    with capsys.disabled():  # recorded in the report
        print(
            f"\nexport {n_vendors:,} x {n_criteria:,}: {took:.1f} s, "
            f"{len(data) / 2**20:.1f} MiB, unpacked {unpacked / 2**20:.0f} MiB"
        )
    assert len(data) < HEADROOM * limits.max_file_bytes
    assert unpacked < HEADROOM * limits.max_total_bytes
    again = score(load_evaluation(data, name="export.xlsx"))
    assert again.vendors == ranking.vendors
    np.testing.assert_allclose(
        again.table["score"].to_numpy(dtype=float), ranking.table["score"].to_numpy(dtype=float)
    )
