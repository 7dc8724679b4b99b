"""Issue 11, the reader's share: attacks that cost the server time or memory, bypassed the
formula/error and extent checks, or got an unclear message; each is built here with zipfile.

Classes: merged ranges (count cap, clipping), huge text (refused in the child, in bounded
memory; the child's result read with a cap), sheet parts found as Excel and calamine find
them, the extent estimate for cells and rows without references, durations, messages
(lowercase DOCTYPE, UTF-16/32 parts, damaged zips, CSV quotes and control characters, file
names with escape codes) and CSV files that mix two encodings.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import random
import subprocess
import sys
import time
import tracemalloc
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import openpyxl
import pytest
from test_read_book import NS, make_xlsx, sheet_xml

from vendor_eval.core import limits as core_limits
from vendor_eval.core.problems import ValidationError
from vendor_eval.workbook.reading import book, sandbox, zipguard
from vendor_eval.workbook.reading.book import ReadLimits, read_book
from vendor_eval.workbook.reading.rawbook import FormulaWithoutValue

MB = 1024 * 1024
ROOT = Path(__file__).resolve().parents[3]
HEADER = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>Vendor</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>Cost</t></is></c>'
    '<c r="C1" t="inlineStr"><is><t>Rating</t></is></c></row>'
)
ENTITIES = (
    "x.xlsx was refused: part {} declares XML entities (<!DOCTYPE>), which Excel never "
    "writes (a possible entity-expansion attack)"
)


def vendor_rows(n: int = 5) -> str:
    return HEADER + "".join(
        f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>V{r}</t></is></c>'
        f'<c r="B{r}"><v>{r}</v></c><c r="C{r}"><v>{r % 5}</v></c></row>'
        for r in range(2, n + 2)
    )


def refused(data: bytes, name: str = "x.xlsx", **kw: object) -> str:
    with pytest.raises(ValidationError) as e:
        read_book(data, name, **kw)  # type: ignore[arg-type]  # kw: sandbox= / limits=
    (problem,) = e.value.problems
    return problem.message


def rewrite(
    data: bytes,
    rename: dict[str, str] | None = None,
    edit: dict[str, Callable[[bytes], bytes]] | None = None,
    add: dict[str, bytes] | None = None,
    drop: tuple[str, ...] = (),
) -> bytes:
    """``data`` with members renamed, their bytes edited, added or dropped."""
    rename, edit = rename or {}, edit or {}
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            if info.filename in drop:
                continue
            body = src.read(info)
            if info.filename in edit:
                body = edit[info.filename](body)
            z.writestr(rename.get(info.filename, info.filename), body)
        for part, body in (add or {}).items():
            z.writestr(part, body)
    return buf.getvalue()


def replace(old: str, new: str) -> Callable[[bytes], bytes]:
    def edit(body: bytes) -> bytes:
        assert old.encode() in body
        return body.replace(old.encode(), new.encode())

    return edit


# --- constants mirrored from core/limits (reading/ imports no core code) ------------------


def test_reader_limits_equal_the_core_limits():
    assert zipguard.EXCEL_CELL_LIMIT == core_limits.EXCEL_CELL_LIMIT
    assert zipguard.MAX_MERGED_RANGES == core_limits.MAX_MERGED_RANGES
    assert zipguard.EXCEL_MAX_ROWS == core_limits.EXCEL_MAX_ROWS
    assert zipguard.EXCEL_MAX_COLUMNS == core_limits.EXCEL_MAX_COLUMNS
    assert zipguard.MAX_SHEET_ROWS == core_limits.MAX_VALUE_CELLS + core_limits.MAX_TITLE_ROWS + 1


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_sheet_with_more_rows_than_any_evaluation_uses_is_refused_in_the_child(kind, monkeypatch):
    from vendor_eval.workbook.reading import csv as csv_reader
    from vendor_eval.workbook.reading import xlsx as xlsx_reader

    for module in (zipguard, csv_reader, xlsx_reader):
        monkeypatch.setattr(module, "MAX_SHEET_ROWS", 50)  # in-process: the same rule, smaller
    rows = [["Vendor", "Client rating"], *([f"V{i}", 3] for i in range(50))]
    if kind == "csv":
        data, name = "\n".join(f"{a},{b}" for a, b in rows).encode(), "big.csv"
    else:
        wb = openpyxl.Workbook()
        wb.active.title = "Vendors"
        for r in rows:
            wb.active.append(r)
        buf = io.BytesIO()
        wb.save(buf)
        data, name = buf.getvalue(), "big.xlsx"
    with pytest.raises(ValidationError) as e:
        read_book(data, name, sandbox=False)
    assert "sheet 'Vendors' has more than 50 rows with data" in e.value.problems[0].message
    rows.pop()  # 50 rows with data: read
    if kind == "csv":
        data = "\n".join(f"{a},{b}" for a, b in rows).encode()
        assert len(read_book(data, name, sandbox=False).sheets[0].rows) == 50


def test_the_child_is_started_from_the_folder_holding_the_package():
    # Without an editable install, `python -m vendor_eval...` from any other folder fails.
    assert (Path(sandbox._PACKAGE_ROOT) / "vendor_eval" / "__init__.py").is_file()


# --- merged ranges ---------------------------------------------------------------------------


def merged_book(n: int, rows: int = 5, prefix: str = "") -> bytes:
    """``n`` merged ranges like C2:C1048576 (distinct) over a small Vendors sheet."""
    p = f"{prefix}:" if prefix else ""
    cols = ["C", "D", "E", "F", "G"]
    merges = "".join(
        f'<{p}mergeCell ref="{cols[i % 5]}{2 + i // 5}:{cols[i % 5]}1048576"/>' for i in range(n)
    )
    body = vendor_rows(rows)
    if prefix:
        body = body.replace("<", f"<{p}").replace(f"<{p}/", f"</{p}")
        xmlns = f'xmlns:{prefix}="{NS}"'
        xml = (
            f'<?xml version="1.0"?><{p}worksheet {xmlns}><{p}sheetData>{body}</{p}sheetData>'
            f'<{p}mergeCells count="{n}">{merges}</{p}mergeCells></{p}worksheet>'
        )
    else:
        xml = (
            f'<?xml version="1.0"?><worksheet xmlns="{NS}"><sheetData>{body}</sheetData>'
            f'<mergeCells count="{n}">{merges}</mergeCells></worksheet>'
        )
    return make_xlsx({"Vendors": xml})


@pytest.mark.parametrize("prefix", ["", "x"])
def test_too_many_merged_ranges_are_refused_in_the_child_within_a_second(prefix):
    data = merged_book(30_000, prefix=prefix)
    assert len(data) < 150_000  # the case: 89 KB
    start = time.perf_counter()
    message = refused(data)
    assert time.perf_counter() - start < 3.0  # ~0.3 s, most of it starting the child
    assert message == (
        "x.xlsx was refused: sheet 'Vendors' has 30,000 merged ranges (the limit is 10,000): "
        "unmerge the cells and save again"
    )


def test_merged_ranges_at_the_limit_are_read_clipped_to_the_data():
    sheet = read_book(merged_book(10_000)).sheet("Vendors")
    # column C from rows 2-5 down to row 6, the last vendor; D:G lie right of the data, the
    # other ranges below it, and C6:C6 is one cell
    assert sheet.merged == [(1, 2, 5, 2), (2, 2, 5, 2), (3, 2, 5, 2), (4, 2, 5, 2)]


def test_merged_ranges_are_clipped_to_the_last_used_row_and_column():
    merges = (
        '<mergeCells count="5"><mergeCell ref="C2:C1048576"/><mergeCell ref="A1:XFD1"/>'
        '<mergeCell ref="B100:B200"/><mergeCell ref="C6:C1048576"/>'
        '<mergeCell ref="B3:XFD4"/></mergeCells>'
    )
    xml = sheet_xml(vendor_rows(5)).replace("</sheetData>", "</sheetData>" + merges)
    sheet = read_book(make_xlsx({"Vendors": xml}), sandbox=False).sheet("Vendors")
    # C2:C6 (the data ends in row 6), A1:C1, B3:C4; B100:B200 lies below the data and
    # C6:C1048576 is one cell once clipped: nothing is merged there
    assert sheet.merged == [(1, 2, 5, 2), (0, 0, 0, 2), (2, 1, 3, 2)]


@pytest.mark.slow
def test_validate_with_ten_thousand_whole_column_merges_takes_seconds_not_hours(tmp_path):
    path = tmp_path / "merged.xlsx"
    path.write_bytes(merged_book(10_000))
    paths = [*filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep)), str(ROOT)]
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "vendor_eval", "validate", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(paths)},
        check=False,
    )
    assert time.perf_counter() - start < 20
    assert "This is a bug" not in proc.stderr + proc.stdout


# --- huge text -------------------------------------------------------------------------------


def _text_chunks(n_chars: int, seed: int = 1) -> Iterator[bytes]:
    """``n_chars`` letters that deflate about 25:1 (64 random letters, then 1,000 x's)."""
    rnd = random.Random(seed)
    left = n_chars
    while left > 0:
        unit = rnd.randbytes(64).translate(_LETTERS) + b"x" * 1000
        yield unit[:left]
        left -= len(unit)


def letters(n: int, seed: int = 0) -> str:
    """``n`` random letters (text that compresses like text, about 2:1)."""
    return random.Random(seed).randbytes(n).translate(_LETTERS).decode()


_LETTERS = bytes.maketrans(bytes(range(256)), b"abcdefghijklmnop" * 16)


def huge_shared_string(n_chars: int) -> bytes:
    """A workbook whose one shared string has ``n_chars`` characters, streamed to the zip."""
    xml = sheet_xml(
        '<row r="1"><c r="A1" t="inlineStr"><is><t>Vendor</t></is></c></row>'
        '<row r="2"><c r="A2" t="s"><v>0</v></c></row>'
    )
    small = make_xlsx({"Vendors": xml}, shared=f'<sst xmlns="{NS}"><si><t>a</t></si></sst>')
    buf = io.BytesIO(rewrite(small, drop=("xl/sharedStrings.xml",)))
    with (
        zipfile.ZipFile(buf, "a", zipfile.ZIP_DEFLATED) as z,
        z.open("xl/sharedStrings.xml", "w") as fh,
    ):
        fh.write(f'<?xml version="1.0"?><sst xmlns="{NS}" count="1"><si><t>'.encode())
        for chunk in _text_chunks(n_chars):
            fh.write(chunk)
        fh.write(b"</t></si></sst>")
    return buf.getvalue()


@pytest.mark.slow
def test_a_hundred_million_character_string_is_refused_in_the_child_in_bounded_memory():
    data = huge_shared_string(100_000_000)
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo("xl/sharedStrings.xml")
    assert 20 < info.file_size / info.compress_size < 100  # under the ratio guard
    tracemalloc.start()
    start = time.perf_counter()
    try:
        message = refused(data)
        elapsed = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert message == (
        "x.xlsx was refused: its shared text (part xl/sharedStrings.xml) holds a text longer "
        "than Excel allows in a cell (32,767 characters)"
    )
    assert elapsed < 10  # ~0.5 s of scanning in the child (was 16-27 s and 1 GB here)
    assert peak < len(data) * 3 + 4 * MB  # the file and its pickle to the child, no string


def test_text_in_a_sheet_longer_than_a_megabyte_is_refused_before_it_is_read():
    rnd = random.Random(3)  # (random letters: a run of one letter is refused as a bomb)
    long = "".join(f"&#{rnd.randrange(65, 91)};" for _ in range(300_000))  # 1.5 MB, no tag
    xml = sheet_xml(f'<row r="1"><c r="A1" t="inlineStr"><is><t>{long}</t></is></c></row>')
    assert refused(make_xlsx({"Vendors": xml}), sandbox=False) == (
        "x.xlsx was refused: sheet 'Vendors' (part xl/worksheets/sheet1.xml) holds a text "
        "longer than Excel allows in a cell (32,767 characters)"
    )


@pytest.mark.parametrize("how", ["shared", "inline", "rich-text-runs"])
def test_a_cell_longer_than_excel_allows_is_refused_naming_the_cell(how):
    over = "y" * 40_000
    if how == "shared":
        shared = f'<sst xmlns="{NS}"><si><t>ok</t></si><si><t>{over}</t></si></sst>'
        cell = '<c r="B3" t="s"><v>1</v></c>'
    elif how == "inline":
        shared, cell = None, f'<c r="B3" t="inlineStr"><is><t>{over}</t></is></c>'
    else:  # 40 runs of 30,000: each run is short, the cell is 1.2 million characters
        runs = "".join(f"<r><t>{letters(30_000, seed)}</t></r>" for seed in range(40))
        shared, cell = f'<sst xmlns="{NS}"><si>{runs}</si></sst>', '<c r="B3" t="s"><v>0</v></c>'
    xml = sheet_xml(HEADER + f'<row r="3"><c r="A3"><v>1</v></c>{cell}</row>')
    length = "1,200,000" if how == "rich-text-runs" else "40,000"
    with pytest.raises(ValidationError) as e:
        read_book(make_xlsx({"Vendors": xml}, shared=shared), "x.xlsx")
    (p,) = e.value.problems
    assert (p.sheet, p.row) == ("Vendors", 3)
    assert p.message == (
        f"x.xlsx was refused: cell Vendors!B3 holds {length} characters, more than Excel "
        "allows in a cell (32,767)"
    )
    # at the limit, and escaped text well under the byte limit, are read
    full, amps = "q" * 32_767, "&amp;" * 30_000  # 150 KB of escapes: 30,000 characters
    ok = sheet_xml(
        f'<row r="1"><c r="A1" t="inlineStr"><is><t>{full}</t></is></c>'
        f'<c r="B1" t="inlineStr"><is><t>{amps}</t></is></c></row>'
    )
    assert read_book(make_xlsx({"Vendors": ok})).sheets[0].rows == [[full, "&" * 30_000]]


def test_a_result_larger_than_the_cap_is_refused_without_reading_it(monkeypatch):
    monkeypatch.setenv(sandbox.TEST_HOOK_ENV, "flood")  # a child writing without end
    limits = ReadLimits(max_result_bytes=8 * MB, timeout_s=20)
    tracemalloc.start()
    try:
        message = refused(make_xlsx({"Vendors": sheet_xml(HEADER)}), limits=limits)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert message == (
        "x.xlsx was refused: its contents would take more than 8 MB once read (the limit); "
        "remove the sheets or cells that are not needed and save it again"
    )
    assert peak < 12 * MB
    monkeypatch.delenv(sandbox.TEST_HOOK_ENV)
    many = "".join(f'<row r="{r}"><c r="A{r}"><v>{r}.5</v></c></row>' for r in range(1, 40_001))
    small_cap = ReadLimits(max_result_bytes=100_000)
    assert refused(make_xlsx({"Vendors": sheet_xml(many)}), limits=small_cap).startswith(
        "x.xlsx was refused: its contents would take more than"
    )


def test_a_csv_cell_longer_than_excel_allows_names_the_cell():
    data = b"Vendor,Notes\nAcme,ok\nGlobex," + b"x" * 40_000 + b"\n"
    with pytest.raises(ValidationError) as e:
        read_book(data, "v.csv", sandbox=False)
    (p,) = e.value.problems
    assert (p.sheet, p.row) == ("Vendors", 3)
    assert p.message == (
        "v.csv could not be read as CSV: cell B3 holds 40,000 characters, more than Excel "
        "allows in a cell (32,767)"
    )


# --- sheet parts found as Excel finds them ----------------------------------------------------

CHECKED = sheet_xml(
    HEADER + '<row r="2"><c r="A2" t="inlineStr"><is><t>Acme</t></is></c>'
    '<c r="B2"><f>1/0</f></c><c r="C2" t="e"><v>#DIV/0!</v></c></row>'
)
CHECKED_ROWS = [["Vendor", "Cost", "Rating"], ["Acme", FormulaWithoutValue("1/0"), "#DIV/0!"]]
TARGET = 'Target="worksheets/sheet1.xml"'
RELS = "xl/_rels/workbook.xml.rels"
SHEET1 = "xl/worksheets/sheet1.xml"


@pytest.mark.parametrize(
    ("rename", "target"),
    [
        ({}, 'Target="worksheets/Sheet1.xml"'),
        ({SHEET1: "xl/worksheets/SHEET1.xml"}, TARGET),
        ({}, 'Target="/XL/Worksheets/sheet1.xml"'),
        ({SHEET1: "xl\\worksheets\\sheet1.xml"}, TARGET),
    ],
    ids=["target-case", "member-case", "absolute-upper", "backslash-member"],
)
def test_formula_and_error_checks_apply_whatever_the_part_names_case(rename, target):
    data = rewrite(
        make_xlsx({"Vendors": CHECKED}), rename=rename, edit={RELS: replace(TARGET, target)}
    )
    assert read_book(data, sandbox=False).sheets[0].rows == CHECKED_ROWS


def test_the_extent_check_applies_whatever_the_part_names_case():
    sparse = sheet_xml(
        '<row r="1"><c r="A1"><v>1</v></c></row>'
        '<row r="1048576"><c r="XFD1048576"><v>2</v></c></row>'
    )
    data = rewrite(
        make_xlsx({"Vendors": sparse}),
        edit={RELS: replace(TARGET, 'Target="WORKSHEETS/SHEET1.XML"')},
    )
    assert refused(data) == (  # in the child: it used to be "the reader ran out of memory"
        "x.xlsx was refused: sheet 'Vendors' uses cells from A1 to XFD1048576, "
        "17,179,869,184 cells (the limit is 10,000,000)"
    )


def test_the_workbook_folder_comes_from_the_package_relationships():
    # calamine reads excel/workbook.xml (named by _rels/.rels), not the decoy xl/ copy
    real = make_xlsx({"Vendors": CHECKED})
    decoy = make_xlsx({"Vendors": sheet_xml(HEADER)})
    moved = {n: "excel/" + n[3:] for n in zipfile.ZipFile(io.BytesIO(real)).namelist()}
    moved = {k: v for k, v in moved.items() if k.startswith("xl/")}
    src = zipfile.ZipFile(io.BytesIO(decoy))
    data = rewrite(
        real,
        rename=moved,
        edit={"_rels/.rels": replace('Target="xl/workbook.xml"', 'Target="/excel/workbook.xml"')},
        add={n: src.read(n) for n in src.namelist() if n.startswith("xl/")},
    )
    assert read_book(data, sandbox=False).sheets[0].rows == CHECKED_ROWS


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("worksheets/nothere.xml",
         "x.xlsx is damaged: sheet 'Vendors' is missing from the file "
         "(no part 'worksheets/nothere.xml')"),
        ("./worksheets/sheet1.xml",
         "x.xlsx could not be read: sheet 'Vendors' is stored as './worksheets/sheet1.xml', "
         "a part name this reader cannot follow: open the file in Excel and save it again"),
        ("../xl/worksheets/sheet1.xml",
         "x.xlsx could not be read: sheet 'Vendors' is stored as '../xl/worksheets/sheet1.xml', "
         "a part name this reader cannot follow: open the file in Excel and save it again"),
    ],
    ids=["missing", "dot", "dot-dot"],
)  # fmt: skip
def test_a_sheet_whose_part_is_not_found_is_refused_naming_it(target, expected):
    data = rewrite(
        make_xlsx({"Vendors": CHECKED}), edit={RELS: replace(TARGET, f'Target="{target}"')}
    )
    assert refused(data, sandbox=False) == expected


def test_parts_differing_only_in_case_and_sheets_listed_twice_are_refused():
    data = rewrite(make_xlsx({"Vendors": CHECKED}), add={"xl/worksheets/Sheet1.xml": b"<x/>"})
    assert refused(data, sandbox=False) == (
        "x.xlsx was refused: its zip archive holds duplicate parts (xl/worksheets/sheet1.xml "
        "and xl/worksheets/Sheet1.xml differ only in letter case or slashes)"
    )
    twice = rewrite(
        make_xlsx({"Vendors": CHECKED, "Other": sheet_xml(HEADER)}),
        edit={"xl/workbook.xml": replace('name="Other"', 'name="Vendors"')},
    )
    assert refused(twice, sandbox=False) == (
        "x.xlsx is damaged: it lists two sheets named 'Vendors'"
    )
    two_ids = rewrite(
        make_xlsx({"Vendors": CHECKED, "Other": sheet_xml(HEADER)}),
        edit={"xl/workbook.xml": replace('r:id="rId1"', 'r:id="rId1" x:id="rId2"')},
    )
    two_ids = rewrite(
        two_ids, edit={"xl/workbook.xml": replace("<workbook ", '<workbook xmlns:x="urn:x" ')}
    )
    assert refused(two_ids, sandbox=False) == (
        "x.xlsx is damaged: sheet 'Vendors' is listed with two different parts"
    )


# --- the extent estimate: cells and rows without references ----------------------------------

GRID = "x.xlsx was refused: sheet 'Vendors' uses cells from A1 to {}, {} cells (the limit is 10,000,000)"  # noqa: E501

BYPASSES = {
    "rows-without-r": '<row><c r="A1"><v>1</v></c></row><row><c r="XFD1048576"><v>2</v></c></row>',
    "cells-without-r": '<row r="1"><c><v>1</v></c></row><row r="1048576">' + "<c/>" * 16_383
    + "<c><v>2</v></c></row>",
    "r-not-first": '<row r="1"><c s="0" r="A1"><v>1</v></c></row>'
    '<row r="1048576"><c s="0" r="XFD1048576"><v>2</v></c></row>',
    "lowercase-ref": '<row r="1"><c r="a1"><v>1</v></c></row>'
    '<row r="1048576"><c r="xfd1048576"><v>2</v></c></row>',
    "single-quotes": "<row r='1'><c r='A1'><v>1</v></c></row>"
    "<row r='1048576'><c r='XFD1048576'><v>2</v></c></row>",
    "row-says-1-cell-says-1048576": '<row r="1"><c r="A1048576"><v>1</v></c>'
    '<c r="XFD1"><v>2</v></c></row>',
    "four-letter-column": "".join(
        f'<row r="{r}"><c r="A{r}"><v>1</v></c><c r="ZZZZ{r}"><v>2</v></c></row>'
        for r in range(1, 40)
    ),
}  # fmt: skip


@pytest.mark.parametrize("rows", BYPASSES.values(), ids=BYPASSES.keys())
def test_cells_without_usual_references_cannot_slip_past_the_extent_check(rows):
    # sandboxed: on today's code calamine tries to allocate the rectangle
    message = refused(make_xlsx({"Vendors": sheet_xml(rows)}))
    assert message.startswith("x.xlsx was refused: sheet 'Vendors' uses cells from A")
    assert message.endswith("cells (the limit is 10,000,000)")


def test_a_cell_beyond_excels_grid_is_refused():
    xml = sheet_xml('<row r="1"><c r="A1"><v>1</v></c><c r="XFE1"><v>2</v></c></row>')
    assert refused(make_xlsx({"Vendors": xml}), sandbox=False) == (
        "x.xlsx was refused: sheet 'Vendors' has a cell (XFE1) beyond Excel's last row "
        "(1,048,576) or column (XFD)"
    )


def test_a_column_far_right_is_counted_with_the_padding_from_column_a():
    # 700 rows in column XFD alone: a 700-cell rectangle, but each row is read from A
    rows = "".join(f'<row r="{r}"><c r="XFD{r}"><v>{r}</v></c></row>' for r in range(1, 701))
    assert refused(make_xlsx({"Vendors": sheet_xml(rows)}), sandbox=False) == GRID.format(
        "XFD700", "11,468,800"
    )


def test_sheets_each_under_the_limit_are_refused_when_together_they_are_over_it():
    # three ~100-byte sheets of 9.8 million cells each: the parent would unpickle 30 million
    corner = sheet_xml(
        '<row r="1"><c r="A1"><v>1</v></c></row><row r="600"><c r="XFD600"><v>2</v></c></row>'
    )
    data = make_xlsx({"A": corner, "B": corner, "C": corner})
    start = time.perf_counter()
    assert refused(data) == (
        "x.xlsx was refused: its sheets together hold more than 20,000,000 cells (the limit), "
        "counting each row from column A"
    )
    assert time.perf_counter() - start < 5
    one = make_xlsx({"A": corner})  # one of them is read (9,830,400 cells, mostly empty)
    assert refused(one, limits=ReadLimits(max_total_cells=9_000_000)).startswith(
        "x.xlsx was refused: its sheets together hold more than 9,000,000 cells"
    )


def test_a_csv_wider_than_excel_or_with_too_many_cells_is_refused():
    trailing = b"Vendor,Cost" + b"," * 20_000 + b"\nAcme,1\n"  # empty cells after the last
    assert read_book(trailing, "v.csv", sandbox=False).sheets[0].rows[1] == ["Acme", "1"]
    wide = b"Vendor" + b"," * 20_000 + b"Note\nAcme\n"
    with pytest.raises(ValidationError) as e:
        read_book(wide, "v.csv", sandbox=False)
    (p,) = e.value.problems
    assert (p.row, p.message) == (
        1,
        "v.csv was refused: row 1 has 20,001 cells, more than Excel's 16,384 columns",
    )
    commas = b"Vendor,Cost\n" + b",\n" * 600
    message = refused(commas, "v.csv", limits=ReadLimits(max_total_cells=1_000))
    assert message == "v.csv was refused: it holds more than 1,000 cells (the limit)"


def test_sheets_without_references_are_still_read_where_calamine_puts_the_cells():
    xml = sheet_xml(
        '<row><c t="inlineStr"><is><t>Vendor</t></is></c><c t="inlineStr"><is><t>Cost</t></is>'
        "</c></row>"
        '<row r="5"><c r="A2"><v>1</v></c><c><f>1+1</f></c><c t="e"><v>#N/A</v></c></row>'
    )
    rows = read_book(make_xlsx({"Vendors": xml}), sandbox=False).sheets[0].rows
    # the cells after A2 sit in the row of their <row r="5">, from column B (as calamine
    # puts them), not in row 2
    assert rows == [["Vendor", "Cost"], [1], [], [], [None, FormulaWithoutValue("1+1"), "#N/A"]]


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        ('<c\nr="B2"><f>1/0</f></c>', FormulaWithoutValue("1/0")),
        ('<c r="B2"><f\n>1/0</f></c>', FormulaWithoutValue("1/0")),
        ('<c r="B2" t = "e"><v>#REF!</v></c>', "#REF!"),
    ],
    ids=["newline-before-r", "newline-in-f", "spaces-around-equals"],
)
def test_formula_and_error_cells_written_with_odd_whitespace_are_found(cell, value):
    xml = sheet_xml(HEADER + f'<row r="2"><c r="A2"><v>1</v></c>{cell}</row>')
    assert read_book(make_xlsx({"Vendors": xml}), sandbox=False).sheets[0].rows[1] == [1, value]


def test_a_huge_declared_dimension_costs_nothing():
    # calamine reserves at most 100,000 cells for a declared <dimension>: harmless
    xml = sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>').replace(
        "<sheetData>", '<dimension ref="A1:XFD1048576"/><sheetData>'
    )
    start = time.perf_counter()
    assert read_book(make_xlsx({"Vendors": xml})).sheets[0].rows == [[1]]
    assert time.perf_counter() - start < 5


# --- durations -------------------------------------------------------------------------------


def test_durations_are_returned_as_durations_not_fractions_of_a_day(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Vendors"
    ws.append(["Vendor", "Support response"])
    ws.append(["Acme", dt.timedelta(hours=4)])
    ws.append(["Bolt", dt.timedelta(hours=30, minutes=15)])
    for cell in ("B2", "B3"):
        ws[cell].number_format = "[h]:mm"
    path = tmp_path / "durations.xlsx"
    wb.save(path)
    rows = read_book(path).sheets[0].rows  # through the child's allow-list too
    assert rows[1:] == [
        ["Acme", dt.timedelta(hours=4)],
        ["Bolt", dt.timedelta(hours=30, minutes=15)],
    ]


# --- messages --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("where", "doctype", "encoding"),
    [
        ("xl/worksheets/sheet1.xml", "<!doctype x>", "utf-8"),
        ("xl/worksheets/sheet1.xml", "<!DocType x>", "utf-8"),
        ("xl/extra.xml", "<!doctype x>", "utf-16"),
        ("xl/extra.xml", "<!DOCTYPE x>", "utf-32"),
        ("xl/extra.xml", "<!doctype x>", "utf-32-be"),
    ],
)
def test_doctype_is_refused_in_any_letter_case_and_encoding(where, doctype, encoding):
    body = f'<?xml version="1.0"?>{doctype}<worksheet xmlns="{NS}"><sheetData/></worksheet>'
    if where == "xl/extra.xml":
        data = make_xlsx({"Vendors": sheet_xml(HEADER)}, extra={where: body.encode(encoding)})
    else:
        data = make_xlsx({"Vendors": body})
    assert refused(data, sandbox=False) == ENTITIES.format(where)


@pytest.mark.parametrize(
    ("part", "encoding", "what"),
    [
        ("xl/worksheets/sheet1.xml", "utf-16", "sheet 'Vendors'"),
        ("xl/worksheets/sheet1.xml", "utf-16-le", "sheet 'Vendors'"),
        ("xl/sharedStrings.xml", "utf-16-be", "its shared text"),
        ("xl/workbook.xml", "utf-32", "its list of sheets"),
        ("_rels/.rels", "utf-16", "its list of parts"),
    ],
)
def test_wide_encoded_parts_get_a_plain_message(part, encoding, what):
    shared = f'<?xml version="1.0"?><sst xmlns="{NS}"><si><t>Acme</t></si></sst>'
    xml = sheet_xml(HEADER + '<row r="2"><c r="A2" t="s"><v>0</v></c></row>')
    data = make_xlsx({"Vendors": xml}, shared=shared)
    label = encoding.split("-")[0].upper() + "-" + encoding.split("-")[1]

    def widen(body: bytes) -> bytes:
        text = body.decode().replace('encoding="UTF-8"', f'encoding="{label}"')
        return text.encode(encoding)

    assert refused(rewrite(data, edit={part: widen}), sandbox=False) == (
        f"x.xlsx could not be read: {what} (part {part}) is saved as {label} text, which "
        "Excel never writes: open the file in Excel and save it again"
    )


def test_a_damaged_zip_never_shows_the_zipfile_modules_text():
    data = bytearray(make_xlsx({"Vendors": CHECKED}))
    at = data.find(b"xl/worksheets/sheet1.xml")  # the local header's copy of the name
    data[at : at + 24] = b"xl/worksheets/sheetX.xml"
    for sandboxed in (False, True):
        message = refused(bytes(data), sandbox=sandboxed)
        assert message == (
            "x.xlsx is damaged: its zip archive is inconsistent (parts are not where its "
            "directory says): open it in Excel and save it again"
        )
    assert zipguard.unexpected_message("x.xlsx", zipfile.BadZipFile("Bad CRC-32")) == message


def test_an_unclosed_quote_is_reported_at_its_row_even_with_a_long_rest():
    data = b'Vendor,Notes\nAcme,ok\nGlobex,"never closed\n' + b"Bolt,more\n" * 20_000
    with pytest.raises(ValidationError) as e:
        read_book(data, "v.csv", sandbox=False)
    (p,) = e.value.problems
    assert (p.sheet, p.row) == ("Vendors", 3)
    assert (
        p.message
        == 'v.csv could not be read as CSV: row 3: a quoted cell is never closed (a missing ")'
    )


@pytest.mark.parametrize(
    ("data", "cell", "char"),
    [
        (b"Vendor,Notes\nAcme,ok\nGlobex,a\x00b\n", "B3", "U+0000"),
        (b"Vendor;Notes\nAcme;\x07bell\n", "B2", "U+0007"),
        ("Vendor,Notes\nCaf\u00e9,\x1b[31m\n".encode("cp1252"), "B2", "U+001B"),
        (b'Vendor,Notes\n"Acme\nInc",ok\nGlobex,x\n\x0c,y\n', "A4", "U+000C"),
    ],
    ids=["nul", "bell", "escape-cp1252", "form-feed-after-multiline"],
)
def test_a_control_character_in_a_csv_names_its_cell(data, cell, char):
    with pytest.raises(ValidationError) as e:
        read_book(data, "v.csv", sandbox=False)
    (p,) = e.value.problems
    assert (p.sheet, p.row) == ("Vendors", int(cell[1:]))
    assert p.message == (
        f"v.csv could not be read as CSV: cell {cell} holds a control character ({char}), "
        "which a text table never contains: delete it and save the file again"
    )


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("\x1b[2J\x1b[31mevil\x07.csv", "?[2J?[31mevil?.csv"),
        ("invoice\u202excs.csv", "invoice?xcs.csv"),
        ("line\u2028break\r\n.csv", "line?break??.csv"),
        ("Caf\u00e9 \u2013 shortlist.csv", "Caf\u00e9 \u2013 shortlist.csv"),
    ],
)
def test_file_names_are_shown_without_control_characters(raw, shown):
    assert refused(b"", raw, sandbox=False) == f"{shown} is empty (0 bytes)"


def test_long_file_names_are_shortened_keeping_the_extension(tmp_path):
    shown = book.display_name(tmp_path / ("a" * 300 + ".xlsx"))
    assert len(shown) == book.MAX_DISPLAY_NAME
    assert shown.endswith("a\u2026.xlsx")
    upload = io.BytesIO(b"")
    upload.name = "\x1b]0;title\x07" + "b" * 200
    assert book.display_name(upload).startswith("?]0;title?bbb")
    assert len(book.display_name(upload)) == book.MAX_DISPLAY_NAME


# --- CSV files mixing two encodings -----------------------------------------------------------

UTF8_ROWS = "Vendor,City\nCaf\u00e9 Noir,Z\u00fcrich\n".encode()
BOM = b"\xef\xbb\xbf"


@pytest.mark.parametrize(
    ("data", "cell", "bad"),
    [
        (UTF8_ROWS + b"Cr\xe8me SA,Gen\xe8ve\n", "A3", b"\xe8me"),
        (UTF8_ROWS + b"Bolt,Gen\xe8ve\n", "B3", b"\xe8ve"),
        (b"\xe9clair;x\nCaf\xc3\xa9;y\n", "A1", b"\xe9clair"),
        (UTF8_ROWS + b'"Multi\nline",x\n"one\ntwo\xe8",y\n', "A4", b'\xe8"'),
        (BOM + UTF8_ROWS + b"Bolt,\x80\n", "B3", b"\x80"),
    ],
    ids=["start-of-row", "second-column", "first-byte", "after-multiline-cells", "bom"],
)
def test_a_csv_mixing_utf8_and_another_encoding_is_refused_naming_the_cell(data, cell, bad):
    with pytest.raises(ValidationError) as e:
        read_book(data, "v.csv", sandbox=False)
    (p,) = e.value.problems
    byte = data.index(bad) + 1  # counted in the file as saved, byte-order mark included
    assert (p.sheet, p.row) == ("Vendors", int(cell[1:]))
    assert p.message == (
        f"v.csv cannot be read in one text encoding: part of it reads as UTF-8, but cell "
        f"{cell} (byte {byte:,} of the file) does not (Windows-1252 text pasted into a UTF-8 "
        "file, or the other way round): open it in Excel and save it as CSV UTF-8"
    )
    # one encoding per file: all UTF-8, or all Windows-1252 (no valid UTF-8 sequence)
    assert read_book(UTF8_ROWS, sandbox=False).sheets[0].rows[1] == [
        "Caf\u00e9 Noir",
        "Z\u00fcrich",
    ]
    cp1252 = "Vendor,City\nCaf\u00e9 Noir,Z\u00fcrich\nCr\u00e8me,\u20ac 5\n".encode("cp1252")
    assert read_book(cp1252, sandbox=False).sheets[0].rows[2] == ["Cr\u00e8me", "\u20ac 5"]
