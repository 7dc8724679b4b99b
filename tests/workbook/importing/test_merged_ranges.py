"""Merged ranges: checked in time linear in the data, whatever rows a range claims to span.

A hostile workbook can hold thousands of ranges like ``C2:C1048576``; the check used to walk
each range's row span in the parent process (minutes for 30,000 of them). The step-by-step
version it replaced is kept below as the oracle: the fast check reports exactly its problems.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from importer_helpers import edited, raw_book, where
from time_limit import within

from vendor_eval.core.limits import EXCEL_MAX_ROWS
from vendor_eval.core.problems import Code, Problems
from vendor_eval.workbook.importing.cells import is_blank
from vendor_eval.workbook.importing.checks import merged_value_problems
from vendor_eval.workbook.importing.messages import column_letter, show
from vendor_eval.workbook.importing.table import Table, read_table
from vendor_eval.workbook.reading.rawbook import RawSheet

V = "Vendors"
LINKED = {"Years in business": 1, "Rating": 2, "ISO": 3, "Price": 4}


def oracle(
    merged: list[tuple[int, int, int, int]], vt: Table, columns: dict[str, int], problems: Problems
) -> None:
    """The check as it was: walks every row of every range."""
    linked = set(columns.values())
    data_rows = {r for r, _ in vt.rows}
    for r0, c0, r1, c1 in dict.fromkeys(merged):  # a range listed twice is one range
        spanned = {r for r in range(r0 + 1, r1 + 2) if r in data_rows}
        hit = sorted(j for j in linked if c0 <= j <= c1)
        if len(spanned) < 2 or not hit or r0 + 1 not in data_rows:
            continue
        first = f"{column_letter(c0)}{r0 + 1}"
        span = f"{first}:{column_letter(c1)}{r1 + 1}"
        j = hit[0]
        row = next(cells for r, cells in vt.rows if r == r0 + 1)
        value = row[c0] if c0 < len(row) else None
        if is_blank(value):
            continue
        message = (
            f"cells {span} are merged: only {first} holds {show(value)}, the other rows "
            "read as empty; unmerge them and give each vendor its own value"
        )
        problems.error(Code.MERGED_CELLS, message, **vt.at(r0 + 1, j))


def _vendors_table() -> Table:
    rb = raw_book(edited((V, "C3", None), (V, "C4", None)))
    return read_table(rb.sheet(V), Problems(), ("Vendor",))


def test_thirty_thousand_whole_column_ranges_are_checked_at_once() -> None:
    vt = _vendors_table()
    last = EXCEL_MAX_ROWS - 1  # C2:C1048576, and the same over 29,999 other columns
    merged = [(1, j, last, j) for j in range(30_000)]
    found = Problems()
    with within(1.0, "checking 30,000 merged ranges"):
        merged_value_problems(merged, vt, LINKED, found)
    assert [(p.cell, p.message) for p in found][1] == (
        "C2",
        "cells C2:C1048576 are merged: only C2 holds 4, the other rows read as empty; "
        "unmerge them and give each vendor its own value",
    )
    assert [p.cell for p in found] == ["B2", "C2", "D2", "E2"]  # the criterion columns only


def test_a_range_listed_many_times_is_one_error() -> None:
    found = Problems()
    merged_value_problems([(1, 2, 2, 2)] * 9_999, _vendors_table(), LINKED, found)
    assert [p.cell for p in found] == ["C2"]


def test_ranges_off_the_data_are_skipped_whatever_their_span() -> None:
    vt = _vendors_table()
    far = EXCEL_MAX_ROWS - 1
    merged = [
        (4, 2, far, 2),  # below the last vendor
        (0, 2, 0, 2),  # the header row only
        (1, 5, far, 9),  # descriptive columns
        (1, 10_000, far, 16_383),  # right of the table
    ]
    found = Problems()
    with within(1.0, "checking 20,000 merged ranges"):
        merged_value_problems(merged * 5_000, vt, LINKED, found)
    assert list(found) == []


_ranges = st.lists(
    st.tuples(st.integers(0, 8), st.integers(0, 7), st.integers(0, 9), st.integers(0, 7)).map(
        lambda t: (t[0], t[1], max(t[0], t[2]), max(t[1], t[3]))
    ),
    max_size=12,
)


@settings(max_examples=150, deadline=None)
@given(
    merged=_ranges,
    blank_rows=st.sets(st.integers(2, 6), max_size=3),
    empty=st.sets(st.sampled_from(["B", "C", "D", "E", "F"]), max_size=3),
)
def test_the_fast_check_reports_what_the_row_walk_reported(
    merged: list[tuple[int, int, int, int]], blank_rows: set[int], empty: set[str]
) -> None:
    book = edited(*((V, f"{c}{r}", None) for c in empty for r in (2, 3, 4)))
    rows = book[V]
    rows += [["Drum", 1, 2, "no", 3]]
    for r in sorted(blank_rows, reverse=True):
        rows.insert(r - 1, [])
    vt = read_table(RawSheet(V, rows), Problems(), ("Vendor",))
    fast, slow = Problems(), Problems()
    merged_value_problems(merged, vt, LINKED, fast)
    oracle(merged, vt, LINKED, slow)
    assert [where(p) for p in fast] == [where(p) for p in slow]
