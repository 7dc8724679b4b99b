"""Hostile files: decompression bombs, lying zip directories, XML entities, huge sheets, and
a reader that crashes, hangs or runs out of memory in its child process."""

from __future__ import annotations

import io
import os
import pickle
import struct
import time
import tracemalloc
import warnings
import zipfile

import pytest
from test_read_book import NS, make_xlsx, sheet_xml

from vendor_eval.core.problems import ValidationError
from vendor_eval.workbook.reading import sandbox
from vendor_eval.workbook.reading.book import ReadLimits, read_book
from vendor_eval.workbook.reading.rawbook import FormulaWithoutValue
from vendor_eval.workbook.reading.xlsx import formula_and_error_cells

MB = 1024 * 1024
BOMB_MB = 120
A1 = '<row r="1"><c r="A1" t="inlineStr"><is><t>Vendor</t></is></c></row>'


def message(excinfo: pytest.ExceptionInfo[ValidationError]) -> str:
    (problem,) = excinfo.value.problems
    return problem.message


@pytest.fixture(scope="module")
def bomb() -> bytes:
    """A valid workbook plus a 120 MB sheet of spaces that deflates to ~120 KB."""
    buf = io.BytesIO(make_xlsx({"Vendors": sheet_xml(A1)}))
    with (
        zipfile.ZipFile(buf, "a", zipfile.ZIP_DEFLATED, compresslevel=9) as z,
        z.open("xl/worksheets/sheet2.xml", "w") as fh,
    ):
        fh.write(f'<worksheet xmlns="{NS}"><sheetData>'.encode())
        chunk = b" " * MB
        for _ in range(BOMB_MB):
            fh.write(chunk)
        fh.write(b"</sheetData></worksheet>")
    return buf.getvalue()


def _patch_size(data: bytes, member: str, size: int) -> bytes:
    """Rewrite ``member``'s declared uncompressed size in both zip headers."""
    out = bytearray(data)
    name = member.encode()
    local = out.find(b"PK\x03\x04")
    while local >= 0:
        n = struct.unpack("<H", out[local + 26 : local + 28])[0]
        if out[local + 30 : local + 30 + n] == name:
            out[local + 22 : local + 26] = struct.pack("<L", size)
        local = out.find(b"PK\x03\x04", local + 4)
    central = out.find(b"PK\x01\x02")
    while central >= 0:
        n = struct.unpack("<H", out[central + 28 : central + 30])[0]
        if out[central + 46 : central + 46 + n] == name:
            out[central + 24 : central + 28] = struct.pack("<L", size)
        central = out.find(b"PK\x01\x02", central + 4)
    return bytes(out)


def _refused(data: bytes, limits: ReadLimits | None = None, sandbox: bool = False) -> str:
    start = time.perf_counter()
    with pytest.raises(ValidationError) as e:
        read_book(data, "bomb.xlsx", sandbox=sandbox, limits=limits)
    assert time.perf_counter() - start < 5.0
    return message(e)


def test_bomb_is_refused_by_its_compression_ratio_in_bounded_memory(bomb):
    info = zipfile.ZipFile(io.BytesIO(bomb)).getinfo("xl/worksheets/sheet2.xml")
    assert len(bomb) < 1 * MB and info.file_size > BOMB_MB * MB
    ratio = info.file_size / info.compress_size
    assert ratio > 100
    tracemalloc.start()
    try:
        text = _refused(bomb)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert text == (
        f"bomb.xlsx was refused: part xl/worksheets/sheet2.xml is compressed {ratio:,.0f}:1, "
        "far more than any real workbook (a possible decompression bomb)"
    )
    assert peak < 4 * MB


def test_bomb_that_lies_about_its_size_is_refused_after_one_chunk(bomb):
    liar = _patch_size(bomb, "xl/worksheets/sheet2.xml", 5000)
    tracemalloc.start()
    try:
        text = _refused(liar)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert text == (
        "bomb.xlsx was refused: part xl/worksheets/sheet2.xml is larger than the zip directory "
        "says (a possible decompression bomb)"
    )
    assert peak < 4 * MB
    assert _refused(liar, sandbox=True) == text  # same guard in the child


def test_bomb_within_ratio_but_over_the_total_is_refused(bomb):
    limits = ReadLimits(max_ratio=1e9)
    declared_big = _patch_size(bomb, "xl/worksheets/sheet2.xml", 250 * MB)
    assert _refused(declared_big, limits) == (
        "bomb.xlsx was refused: it would expand to more than 200 MB when unpacked "
        "(a possible decompression bomb)"
    )
    small_total = ReadLimits(max_ratio=1e9, max_total_bytes=50 * MB)
    assert _refused(bomb, small_total) == (
        "bomb.xlsx was refused: it would expand to more than 50 MB when unpacked "
        "(a possible decompression bomb)"
    )


def test_bounded_inflate_stops_at_the_declared_size(bomb):
    # declared 60 MB (plausible, under the 100 MB limit) but 120 MB inside
    liar = _patch_size(bomb, "xl/worksheets/sheet2.xml", 60 * MB)
    limits = ReadLimits(max_ratio=1e9, max_total_bytes=100 * MB)
    assert _refused(liar, limits) == (
        "bomb.xlsx was refused: part xl/worksheets/sheet2.xml is larger than the zip directory "
        "says (a possible decompression bomb)"
    )


def _with_members(extra: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO(make_xlsx({"Vendors": sheet_xml(A1)}))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about duplicate names
        with zipfile.ZipFile(buf, "a", method) as z:
            for name, data in extra.items():
                z.writestr(name.split("#")[0], data)
    return buf.getvalue()


def test_too_many_parts():
    data = _with_members({f"xl/media/p{i}.bin": b"x" for i in range(1996)})
    assert _refused(data) == "bomb.xlsx was refused: it contains 2,001 parts (the limit is 2,000)"
    assert read_book(data, sandbox=False, limits=ReadLimits(max_members=2001)).sheets


def test_duplicate_parts():
    data = _with_members({"xl/worksheets/sheet1.xml#2": sheet_xml("").encode()})
    assert _refused(data) == "bomb.xlsx was refused: its zip archive holds duplicate parts"


def test_checksum_and_corrupt_deflate_and_unsupported_method():
    payload = b"<x>" + b"stored payload " * 20 + b"</x>"
    stored = bytearray(_with_members({"xl/extra.xml": payload}, zipfile.ZIP_STORED))
    at = stored.find(b"stored payload")
    stored[at] = ord("S")
    assert _refused(bytes(stored)) == "bomb.xlsx is damaged: part xl/extra.xml failed its checksum"

    deflated = bytearray(_with_members({"xl/extra.xml": os.urandom(64) * 50}))
    info = zipfile.ZipFile(io.BytesIO(bytes(deflated))).getinfo("xl/extra.xml")
    begin = info.header_offset + 30 + len(b"xl/extra.xml")
    deflated[begin : begin + 8] = b"\xff" * 8
    assert _refused(bytes(deflated)) == (
        "bomb.xlsx is damaged: part xl/extra.xml could not be decompressed"
    )

    bz = _with_members({"xl/extra.xml": payload}, zipfile.ZIP_BZIP2)
    assert _refused(bz) == (
        "bomb.xlsx is not a workbook Excel can write: part xl/extra.xml uses an unsupported "
        "compression method (12)"
    )


LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">'
    '<!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>'
)
ENTITIES = (
    "bomb.xlsx was refused: part {} declares XML entities (<!DOCTYPE>), which Excel never "
    "writes (a possible entity-expansion attack)"
)


@pytest.mark.parametrize("sandboxed", [False, True])
@pytest.mark.parametrize("where", ["sheet", "shared-strings", "utf16-sheet"])
def test_billion_laughs_is_refused_not_expanded(where, sandboxed):
    laughing_sheet = (
        f'<?xml version="1.0"?>{LAUGHS}<worksheet xmlns="{NS}"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
        "</sheetData></worksheet>"
    )
    if where == "sheet":
        data, part = make_xlsx({"Vendors": laughing_sheet}), "xl/worksheets/sheet1.xml"
    elif where == "utf16-sheet":
        utf16 = laughing_sheet.replace('version="1.0"', 'version="1.0" encoding="UTF-16"')
        data = _with_members({"xl/worksheets/sheet9.xml": utf16.encode("utf-16")})
        part = "xl/worksheets/sheet9.xml"
    else:
        shared = f'<?xml version="1.0"?>{LAUGHS}<sst xmlns="{NS}"><si><t>&lol9;</t></si></sst>'
        xml = sheet_xml('<row r="1"><c r="A1" t="s"><v>0</v></c></row>')
        data, part = make_xlsx({"Vendors": xml}, shared=shared), "xl/sharedStrings.xml"
    assert _refused(data, sandbox=sandboxed) == ENTITIES.format(part)


def test_sheet_scanner_refuses_entities_itself():
    xml = (
        f'<?xml version="1.0"?>{LAUGHS}<worksheet xmlns="{NS}"><sheetData><row r="1">'
        '<c r="A1"><f>1+1</f></c></row></sheetData></worksheet>'
    ).encode()
    with pytest.raises(Exception, match=r"EntitiesForbidden|DTDForbidden"):
        formula_and_error_cells(xml)
    plain = xml.replace(LAUGHS.encode(), b"")
    assert formula_and_error_cells(plain) == {(0, 0): FormulaWithoutValue("1+1")}


SPARSE = sheet_xml(
    '<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>2</v></c></row>'
)


def test_sheet_spanning_the_whole_grid_is_refused_before_allocation():
    with pytest.raises(ValidationError) as e:
        read_book(make_xlsx({"Vendors": SPARSE}), "huge.xlsx", sandbox=False)
    (p,) = e.value.problems
    assert (p.sheet, p.file) == ("Vendors", "huge.xlsx")
    assert p.message == (
        "huge.xlsx was refused: sheet 'Vendors' uses cells from A1 to XFD1048576, "
        "17,179,869,184 cells (the limit is 10,000,000)"
    )


def test_native_reader_abort_costs_one_error_not_the_caller():
    # Without the cell-extent guard, calamine tries to allocate 550 GB and aborts the
    # process (Rust alloc failure). In the child that is one clear error.
    limits = ReadLimits(max_cells=10**12, max_total_cells=10**13)
    with pytest.raises(ValidationError) as e:
        read_book(make_xlsx({"Vendors": SPARSE}), "huge.xlsx", limits=limits)
    assert (
        message(e) == "huge.xlsx could not be read: the reader ran out of memory (limit 1,536 MB)"
    )
    assert read_book(b"Vendor\nAcme\n").sheets[0].rows == [["Vendor"], ["Acme"]]


@pytest.mark.parametrize(
    ("hook", "limits", "expected"),
    [
        ("abort", None, "v.xlsx could not be read: the reader crashed (SIGABRT)"),
        ("hang", ReadLimits(timeout_s=1), "v.xlsx could not be read: it took longer than 1 s"),
        ("memory", ReadLimits(max_memory_bytes=512 * MB),
         "v.xlsx could not be read: the reader ran out of memory (limit 512 MB)"),
        ("garbage", None, "v.xlsx could not be read: the reader returned an unreadable result"),
    ],
)  # fmt: skip
def test_child_failures_become_one_clear_error(monkeypatch, hook, limits, expected):
    data = make_xlsx({"Vendors": sheet_xml(A1)})
    monkeypatch.setenv(sandbox.TEST_HOOK_ENV, hook)
    start = time.perf_counter()
    with pytest.raises(ValidationError) as e:
        read_book(data, "v.xlsx", limits=limits)
    assert time.perf_counter() - start < 10
    assert message(e) == expected
    assert e.value.file == "v.xlsx"
    monkeypatch.delenv(sandbox.TEST_HOOK_ENV)
    assert read_book(data, "v.xlsx").sheets[0].rows == [["Vendor"]]  # the caller lives on


def test_child_runs_from_any_directory_without_pythonpath(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PYTHONPATH", raising=False)
    assert read_book(b"Vendor;Cost\nAcme;1\n").sheets[0].rows == [["Vendor", "Cost"], ["Acme", "1"]]


def test_parent_unpickles_only_reader_types():
    hostile = pickle.dumps(("ok", os.system))
    with pytest.raises(pickle.UnpicklingError, match="forbidden type"):
        sandbox._SafeUnpickler(io.BytesIO(hostile)).load()


def test_fast_formula_scan_agrees_with_the_streaming_parse():
    cells = "".join(
        f'<row r="{r}"><c r="A{r}"><v>{r}</v></c><c r="B{r}" t="e"><v>#VALUE!</v></c>'
        f'<c r="C{r}"><f>A{r}&amp;"&lt;x&gt;"</f></c><c r="D{r}" s="1" t="e"/>'
        f'<c r="E{r}" t="str"><f>"a"</f><v>a</v></c></row>'
        for r in range(1, 6)
    )
    fast_xml = sheet_xml(cells).encode()
    slow_xml = fast_xml.replace(b"<sheetData>", b"<sheetData><!-- forces the full parse -->")
    expected = {}
    for r in range(5):
        expected[(r, 1)] = "#VALUE!"
        expected[(r, 2)] = FormulaWithoutValue(f'A{r + 1}&"<x>"')
        expected[(r, 3)] = "#N/A"
    assert formula_and_error_cells(fast_xml) == expected
    assert formula_and_error_cells(slow_xml) == expected


def test_prefixed_sheet_spanning_the_grid_is_refused():
    xml = (
        f'<x:worksheet xmlns:x="{NS}"><x:sheetData><x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c>'
        '</x:row><x:row r="900000"><x:c r="ZZ900000"><x:v>2</x:v></x:c></x:row>'
        "</x:sheetData></x:worksheet>"
    )
    with pytest.raises(ValidationError) as e:
        read_book(make_xlsx({"Vendors": xml}), "p.xlsx", sandbox=False)
    assert message(e) == (
        "p.xlsx was refused: sheet 'Vendors' uses cells from A1 to ZZ900000, "
        "631,800,000 cells (the limit is 10,000,000)"
    )
