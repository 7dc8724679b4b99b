"""read_book: formats decided by bytes, exact cell values and Excel row numbers, CSV dialects.

Files are built in the test (openpyxl, or zip parts written by hand) so every expected value
is known. Guards (bombs, entities, sandbox failures) are in test_hostile_files.py and
test_reader_hardening.py.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import random
import zipfile

import openpyxl
import pytest

from vendor_eval.core.problems import ValidationError, VendorEvalError
from vendor_eval.workbook.reading import book as workbook
from vendor_eval.workbook.reading.book import ReadLimits, check_defusedxml, read_book
from vendor_eval.workbook.reading.rawbook import FormulaWithoutValue, RawBook

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def sheet_xml(rows: str) -> str:
    """A worksheet part whose <sheetData> holds ``rows`` (raw XML)."""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{NS}">'
        f"<sheetData>{rows}</sheetData></worksheet>"
    )


def make_xlsx(
    sheets: dict[str, str],
    shared: str | None = None,
    extra: dict[str, bytes] | None = None,
    macro: bool = False,
) -> bytes:
    """A minimal workbook package by hand: ``sheets`` maps name → full worksheet XML."""
    main = (
        f"{_CT}.sheet.main+xml"
        if not macro
        else "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
    )
    ct = [
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        f'<Default Extension="rels" ContentType="{_RELS_NS}+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{main}"/>'
    ]
    rels = []
    sheet_list = []
    for i, name in enumerate(sheets, 1):
        ct.append(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{_CT}.worksheet+xml"/>'
        )
        rels.append(
            f'<Relationship Id="rId{i}" Type="{_DOC_REL}/worksheet" '
            f'Target="worksheets/sheet{i}.xml"/>'
        )
        sheet_list.append(f'<sheet name="{name}" sheetId="{i}" r:id="rId{i}"/>')
    if shared is not None:
        ct.append(
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_CT}.sharedStrings+xml"/>'
        )
        rels.append(
            f'<Relationship Id="rIdS" Type="{_DOC_REL}/sharedStrings" Target="sharedStrings.xml"/>'
        )
    ct.append("</Types>")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "".join(ct))
        z.writestr(
            "_rels/.rels",
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_RELS_NS}">'
            f'<Relationship Id="rId1" Type="{_DOC_REL}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>",
        )
        z.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{NS}" xmlns:r="{_DOC_REL}">'
            f"<sheets>{''.join(sheet_list)}</sheets></workbook>",
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_RELS_NS}">'
            f"{''.join(rels)}</Relationships>",
        )
        for i, xml in enumerate(sheets.values(), 1):
            z.writestr(f"xl/worksheets/sheet{i}.xml", xml)
        if shared is not None:
            z.writestr("xl/sharedStrings.xml", shared)
        for part, data in (extra or {}).items():
            z.writestr(part, data)
    return buf.getvalue()


def problem_message(excinfo: pytest.ExceptionInfo[ValidationError]) -> str:
    (problem,) = excinfo.value.problems
    return problem.message


# --- xlsx values -------------------------------------------------------------------------


@pytest.fixture
def openpyxl_book(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Vendors"
    ws["B3"], ws["C3"], ws["D3"], ws["E3"], ws["F3"] = "Vendor", "Staff", "ISO", "SLA", "Since"
    ws["B4"], ws["C4"], ws["D4"], ws["E4"] = "Acme", 120, True, 0.85
    ws["E4"].number_format = "0%"
    ws["F4"] = dt.date(2009, 3, 1)
    ws["B5"], ws["C5"], ws["D5"], ws["E5"] = "Globex", 7.5, False, 0.995
    ws["F5"] = dt.datetime(2020, 6, 30, 14, 15)
    ws["G5"] = dt.time(9, 30)
    crit = wb.create_sheet("Criteria")
    crit.append(["Criterion", "Weight"])
    crit.append(["Staff", 2])
    wb.create_sheet("Notes")
    path = tmp_path / "shortlist.xlsx"
    wb.save(path)
    return path


@pytest.mark.parametrize("sandbox", [False, True])
def test_xlsx_round_trip_keeps_values_types_and_excel_rows(openpyxl_book, sandbox):
    book = read_book(openpyxl_book, sandbox=sandbox)
    assert book.kind == "xlsx"
    assert book.file_name == "shortlist.xlsx"
    assert book.sha256 == hashlib.sha256(openpyxl_book.read_bytes()).hexdigest()
    assert [s.name for s in book.sheets] == ["Vendors", "Criteria", "Notes"]
    rows = book.sheet("vendors").rows
    # data starts at B3: rows[0] is Excel row 1, column A is index 0
    assert rows == [
        [],
        [],
        [None, "Vendor", "Staff", "ISO", "SLA", "Since"],
        [None, "Acme", 120, True, 0.85, dt.date(2009, 3, 1)],
        [None, "Globex", 7.5, False, 0.995, dt.datetime(2020, 6, 30, 14, 15), dt.time(9, 30)],
    ]
    assert type(rows[3][3]) is bool and type(rows[3][2]) is int
    assert book.sheet(" CRITERIA ").rows == [["Criterion", "Weight"], ["Staff", 2]]
    assert book.sheet("Notes").rows == []


@pytest.mark.parametrize("sandbox", [False, True])
def test_merged_ranges_are_reported_with_the_value_in_the_first_cell(tmp_path, sandbox):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Vendors"
    ws["A1"] = "Shortlist"
    ws.merge_cells("A1:C1")
    ws.append(["Vendor", "Rating", "Notes"])
    ws.append(["Acme", 4, "shared"])
    ws.append(["Bolt", None, None])
    ws.merge_cells("B3:B4")
    path = tmp_path / "merged.xlsx"
    wb.save(path)
    sheet = read_book(path, sandbox=sandbox).sheet("Vendors")
    assert sheet.merged == [(0, 0, 0, 2), (2, 1, 3, 1)]
    assert sheet.rows == [["Shortlist"], ["Vendor", "Rating", "Notes"], ["Acme", 4, "shared"],
                          ["Bolt"]]  # fmt: skip


def test_formula_written_by_openpyxl_has_no_cached_value(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Vendor", "Cost", "Cost x2"])
    ws.append(["Acme", 10, "=B2*2"])
    path = tmp_path / "formulas.xlsx"
    wb.save(path)
    rows = read_book(path, sandbox=False).sheets[0].rows
    assert rows == [["Vendor", "Cost", "Cost x2"], ["Acme", 10, FormulaWithoutValue("B2*2")]]


def test_error_cells_formulas_and_cached_values_from_sheet_xml():
    xml = sheet_xml(
        '<row r="2">'
        '<c r="B2" t="e"><v>#DIV/0!</v></c>'
        '<c r="C2" t="e"><f>NA()</f><v>#N/A</v></c>'
        '<c r="D2"><f>1+1</f><v>2</v></c>'
        '<c r="E2" t="str"><f>""</f><v></v></c>'
        '<c r="F2"><f>1+1</f></c>'
        '<c r="G2"><f t="shared" ref="G2:G3" si="0">A2*2</f><v/></c>'
        '<c r="H2" t="b"><f>TRUE()</f><v>1</v></c>'
        '<c r="I2" t="str"><f>"x"</f><v>x</v></c>'
        "</row>"
        '<row r="3"><c r="G3"><f t="shared" si="0"/></c></row>'
    )
    book = read_book(make_xlsx({"Vendors": xml}), sandbox=False)
    assert book.file_name == "upload"
    assert book.sheets[0].rows == [
        [],
        [
            None,
            "#DIV/0!",
            "#N/A",
            2,
            None,
            FormulaWithoutValue("1+1"),
            FormulaWithoutValue("A2*2"),
            True,
            "x",
        ],
        [None, None, None, None, None, None, FormulaWithoutValue("")],
    ]


def test_cells_without_references_and_prefixed_namespace():
    plain = sheet_xml(
        '<row><c t="inlineStr"><is><t>a</t></is></c><c><v>2</v></c><c><f>1+1</f></c></row>'
        '<row><c><v>3</v></c><c t="e"><v>#REF!</v></c></row>'
    )
    prefixed = (
        f'<?xml version="1.0"?><x:worksheet xmlns:x="{NS}"><x:sheetData><x:row r="2">'
        '<x:c r="B2" t="e"><x:v>#N/A</x:v></x:c><x:c r="C2"><x:f>A1</x:f></x:c>'
        '<x:c r="D2"><x:v>7</x:v></x:c></x:row></x:sheetData></x:worksheet>'
    )
    book = read_book(make_xlsx({"A": plain, "B": prefixed}), sandbox=False)
    assert book.sheets[0].rows == [["a", 2, FormulaWithoutValue("1+1")], [3, "#REF!"]]
    assert book.sheets[1].rows == [[], [None, "#N/A", FormulaWithoutValue("A1"), 7]]


def test_shared_strings_numbers_and_integral_floats():
    shared = (
        f'<?xml version="1.0"?><sst xmlns="{NS}" count="2" uniqueCount="2">'
        '<si><t>Vendor</t></si><si><t xml:space="preserve"> Acme </t></si></sst>'
    )
    xml = sheet_xml(
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"><v>2024</v></c>'
        '<c r="C1"><v>2.50</v></c><c r="D1"><v>-0</v></c><c r="E1"><v>1e20</v></c></row>'
        '<row r="2"><c r="A2" t="s"><v>1</v></c></row>'
    )
    rows = read_book(make_xlsx({"Vendors": xml}, shared), sandbox=False).sheets[0].rows
    assert rows == [["Vendor", 2024, 2.5, 0, 100000000000000000000], [" Acme "]]
    assert type(rows[0][1]) is int and type(rows[0][2]) is float


def test_xlsm_values_are_read_and_macros_ignored():
    xml = sheet_xml('<row r="1"><c r="A1" t="inlineStr"><is><t>Vendor</t></is></c></row>')
    data = make_xlsx(
        {"Vendors": xml}, extra={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0macro"}, macro=True
    )
    book = read_book(data, "vendors.xlsm", sandbox=False)
    assert (book.kind, book.file_name, book.sheets[0].rows) == (
        "xlsx",
        "vendors.xlsm",
        [["Vendor"]],
    )


# --- sources and names -------------------------------------------------------------------


def test_sources_path_bytes_and_file_like_give_the_same_book(openpyxl_book):
    data = openpyxl_book.read_bytes()
    by_path = read_book(str(openpyxl_book), sandbox=False)
    by_bytes = read_book(data, sandbox=False)
    upload = io.BytesIO(data)
    upload.name = "upload/Shortlist Q3.xlsx"
    upload.read(10)  # a Streamlit upload read once before: getvalue() still sees it all
    by_upload = read_book(upload, sandbox=False)
    with open(openpyxl_book, "rb") as fh:
        by_handle = read_book(fh, "renamed.xlsx", sandbox=False)
    assert by_bytes.file_name == "upload"
    assert by_upload.file_name == "Shortlist Q3.xlsx"
    assert by_handle.file_name == "renamed.xlsx"
    assert by_path.sheets == by_bytes.sheets == by_upload.sheets == by_handle.sheets
    assert len({b.sha256 for b in (by_path, by_bytes, by_upload, by_handle)}) == 1


def test_text_mode_file_is_a_programming_error(tmp_path):
    path = tmp_path / "v.csv"
    path.write_text("Vendor\nAcme\n")
    with open(path) as fh, pytest.raises(TypeError, match="binary mode"):
        read_book(fh, sandbox=False)


def test_bad_kind_hint():
    with pytest.raises(ValueError, match="kind_hint"):
        read_book(b"Vendor\n", kind_hint="scores")


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(ValidationError) as e:
        read_book(tmp_path / "nope.xlsx")
    assert problem_message(e) == "nope.xlsx was not found"
    assert str(e.value) == "nope.xlsx was not found"  # one file-level problem: one line
    with pytest.raises(ValidationError) as e:
        read_book(tmp_path, "folder")
    assert problem_message(e) == "folder is a folder, not a file"


@pytest.mark.parametrize("how", ["path", "bytes", "file"])
def test_size_guard(tmp_path, how):
    data = b"Vendor\n" + b"Acme\n" * 400  # 2,007 bytes
    path = tmp_path / "big.csv"
    path.write_bytes(data)
    source = {"path": path, "bytes": data, "file": io.BufferedReader(io.BytesIO(data))}[how]
    with pytest.raises(ValidationError) as e:
        read_book(source, "big.csv", limits=ReadLimits(max_file_bytes=1000))
    assert problem_message(e) == "big.csv is too large (0.0 MB; the limit is 0 MB)"
    with pytest.raises(ValidationError) as e:
        read_book(b"x" * (50 * 1024 * 1024 + 1), "huge.csv")
    assert problem_message(e) == "huge.csv is too large (50.0 MB; the limit is 50 MB)"


def test_defusedxml_must_be_active(monkeypatch):
    check_defusedxml()  # active in this environment
    import openpyxl.xml

    monkeypatch.setattr(workbook, "_defused_ok", False)
    monkeypatch.setattr(openpyxl.xml, "DEFUSEDXML", False)
    with pytest.raises(VendorEvalError, match="XML entity protection is not active"):
        read_book(b"Vendor\nAcme\n")


# --- files that are not workbooks ---------------------------------------------------------


def _cfb(*streams: str) -> bytes:
    """An OLE compound file header plus a directory sector naming ``streams``."""
    data = bytearray(bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504))
    entries = ["Root Entry", *streams]
    sector = bytearray(512)
    for i, s in enumerate(entries[:4]):
        raw = s.encode("utf-16-le") + b"\x00\x00"
        sector[i * 128 : i * 128 + len(raw)] = raw
        sector[i * 128 + 64 : i * 128 + 66] = len(raw).to_bytes(2, "little")
    return bytes(data + sector + bytes(512))


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for k, v in members.items():
            z.writestr(k, v)
    return buf.getvalue()


NOT_WORKBOOK = "{} is not an Excel workbook (it is a zip archive without a workbook inside)"
JUNK = "{} is not an Excel workbook or CSV file"
CUT = "{} is damaged: it is not a complete zip archive (was the download or copy cut short?)"
ODS = (
    "{} is an OpenDocument spreadsheet (.ods): open it in Excel or LibreOffice and save it as .xlsx"
)
XLSB = "{} is an Excel binary workbook (.xlsb): open it in Excel and save it as .xlsx"
XLS = "{} is an old Excel 97-2003 .xls file: open it in Excel and save it as .xlsx"
PASSWORD = (
    "{} is password-protected: remove the password in Excel (File > Info > Protect Workbook) "
    "and save it again"
)
HTML = "{} is a web page or XML file, not a workbook: open it in Excel and save it as .xlsx"
BELL = (
    "{} could not be read as CSV: cell B2 holds a control character (U+0007), which a text "
    "table never contains: delete it and save the file again"
)
ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"
_VALID = make_xlsx({"Vendors": sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>')})


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "{} is empty (0 bytes)"),
        (random.Random(0).randbytes(4096), JUNK),
        (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\x00\x01\x02", JUNK),
        (b"Vendor,Notes\nAcme,\x07bell\n", BELL),
        (_VALID[: len(_VALID) // 2], CUT),
        (b"PK\x03\x04" + bytes(60), CUT),
        (_zip({"hello.txt": b"hi"}), NOT_WORKBOOK),
        (_zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"}), NOT_WORKBOOK),
        (b"PK\x05\x06" + bytes(18), NOT_WORKBOOK),
        (_zip({"mimetype": ODS_MIME, "content.xml": b"<x/>"}), ODS),
        (_zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.bin": b"\x00"}), XLSB),
        (_cfb("Workbook", "SummaryInformation"), XLS),
        (_cfb("Book"), XLS),
        (_cfb("EncryptionInfo", "EncryptedPackage"), PASSWORD),
        (_cfb("WordDocument"), JUNK),
        (b"<html><body><table><tr><td>Acme</td></tr></table></body></html>", HTML),
        (b'  <?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com"/>', HTML),
    ],
    ids=["empty", "random", "pdf", "control-char", "truncated", "zip-header-only", "plain-zip",
         "docx-like", "empty-zip", "ods", "xlsb", "xls", "xls-book", "encrypted", "doc", "html",
         "xml2003"],
)  # fmt: skip
def test_files_that_are_not_workbooks(data, message):
    with pytest.raises(ValidationError) as e:
        read_book(data, "vendors.xlsx", sandbox=False)
    assert problem_message(e) == message.format("vendors.xlsx")
    assert e.value.file == "vendors.xlsx"
    assert e.value.problems[0].file == "vendors.xlsx"


def test_encrypted_name_inside_a_cell_is_not_taken_for_a_directory_entry():
    # the UTF-16 name at an unaligned offset (cell text), plus a real Workbook entry
    data = bytearray(_cfb("Workbook"))
    data += b"\x00" * 3 + "EncryptedPackage".encode("utf-16-le") + b"\x00\x00"
    with pytest.raises(ValidationError) as e:
        read_book(bytes(data), "old.xls", sandbox=False)
    assert problem_message(e).startswith("old.xls is an old Excel 97-2003 .xls file")


def test_refusals_happen_before_the_child_starts(monkeypatch):
    def no_child(*args, **kwargs):
        raise AssertionError("child started")

    monkeypatch.setattr(workbook, "read_in_child", no_child)
    with pytest.raises(ValidationError, match="old Excel 97-2003"):
        read_book(_cfb("Workbook"), "old.xls")


# --- CSV -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "rows"),
    [
        (b"Vendor,Cost\nAcme,1200\nGlobex,\n",
         [["Vendor", "Cost"], ["Acme", "1200"], ["Globex", None]]),
        (b"Vendor;Cost\r\nAcme;1,5\r\nGlobex; 2 \r\n",
         [["Vendor", "Cost"], ["Acme", "1,5"], ["Globex", " 2 "]]),
        (b"Vendor\tCost\nAcme\t3\n", [["Vendor", "Cost"], ["Acme", "3"]]),
        ("\ufeffVendor,Note\nCaf\u00e9 SA,\u2713\n".encode(),
         [["Vendor", "Note"], ["Caf\u00e9 SA", "\u2713"]]),
        ("Vendor;Note\nCaf\u00e9 SA;\u20ac 5\n".encode("cp1252"),
         [["Vendor", "Note"], ["Caf\u00e9 SA", "\u20ac 5"]]),
        ("Vendor\tNote\nAcme\tok\n".encode("utf-16"), [["Vendor", "Note"], ["Acme", "ok"]]),
        ("Vendor\tNote\r\nAcme\t\u20ac 5\r\n".encode("utf-16-le"),
         [["Vendor", "Note"], ["Acme", "\u20ac 5"]]),
        ("Vendor;Note\nAcme;ok\n".encode("utf-16-be"), [["Vendor", "Note"], ["Acme", "ok"]]),
        (b'Vendor,Notes,Cost\n"Acme, Inc.","said ""yes""\nthen no",5\nGlobex,,7\n',
         [["Vendor", "Notes", "Cost"], ["Acme, Inc.", 'said "yes"\nthen no', "5"],
          ["Globex", None, "7"]]),
        (b"Vendor,Cost\n\nAcme,1\n", [["Vendor", "Cost"], [], ["Acme", "1"]]),
        (b"Vendor\nAcme\nNA\n", [["Vendor"], ["Acme"], ["NA"]]),
        (b"Vendor;Cost, EUR\nAcme;1,5\nGlobex;2\n",
         [["Vendor", "Cost, EUR"], ["Acme", "1,5"], ["Globex", "2"]]),
        (b"Vendor,Notes\nAcme,a;b\nGlobex,c\n",
         [["Vendor", "Notes"], ["Acme", "a;b"], ["Globex", "c"]]),
    ],
    ids=["comma", "semicolon-crlf", "tab", "utf8-bom", "cp1252", "utf16", "utf16le-no-bom",
         "utf16be-no-bom", "quoted", "blank-line",
         "one-column", "semicolon-with-comma-header", "comma-with-semicolon-cell"],
)  # fmt: skip
def test_csv_dialects(data, rows):
    book = read_book(data, "vendors.csv", sandbox=False)
    assert (book.kind, book.file_name) == ("csv", "vendors.csv")
    assert [s.name for s in book.sheets] == ["Vendors"]
    assert book.sheets[0].rows == rows


def test_csv_criteria_hint_and_sandbox():
    book = read_book(b"Criterion,Weight\nCost,2\n", "criteria.csv", kind_hint="criteria")
    assert book.sheets[0].name == "Criteria"
    assert book.sheets[0].rows == [["Criterion", "Weight"], ["Cost", "2"]]
    assert book.sha256 == hashlib.sha256(b"Criterion,Weight\nCost,2\n").hexdigest()


@pytest.mark.parametrize(
    ("data", "row", "reason"),
    [
        (b'Vendor,Notes\nAcme,ok\nGlobex,"never closed\nmore\n', 3,
         'a quoted cell is never closed (a missing ")'),
        (b'Vendor,Notes\n"Acme" Inc,ok\n', 2,
         'text follows a closing quote (write a quote inside quotes as "")'),
        (b'Vendor,Notes\nAcme,ok\nGlobex,"never closed\n' + b"more,x\n" * 30_000, 3,
         'a quoted cell is never closed (a missing ")'),
    ],
    ids=["unclosed-quote", "text-after-quote", "unclosed-quote-long-rest"],
)  # fmt: skip
def test_csv_malformed_record_names_the_row(data, row, reason):
    with pytest.raises(ValidationError) as e:
        read_book(data, "v.csv", sandbox=False)
    (p,) = e.value.problems
    assert (p.sheet, p.row, p.file) == ("Vendors", row, "v.csv")
    assert p.message == f"v.csv could not be read as CSV: row {row}: {reason}"


def test_result_is_a_rawbook_of_plain_lists():
    book = read_book(b"Vendor\nAcme\n", sandbox=False)
    assert isinstance(book, RawBook)
    assert all(type(r) is list for r in book.sheets[0].rows)
