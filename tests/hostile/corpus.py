"""The hostile corpus: the worst case of each attack class of issue 11, built in memory.

One generator per attack class, each returning ``(file name, bytes)``; nothing large is
committed. Workbooks are written part by part (:func:`xlsx`, :func:`zip_archive`) so that a
case can hold what no spreadsheet program writes: 30,000 merged ranges, a sheet part whose
path differs in case from its relationship target, a UTF-16 part, cells without references.
Every generator takes under 2 s on a quiet 2-core machine (the 1,048,575 rows the longest).

Used by ``tests/hostile/test_hostile_uploads.py``, ``tests/ui/test_browser.py`` (imported as
``hostile.corpus``: ``tests/`` is on ``sys.path``) and ``benchmarks/bench_hostile.py``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import struct
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

import openpyxl

from vendor_eval.core.limits import (
    EXCEL_MAX_COLUMNS,
    EXCEL_MAX_ROWS,
    MAX_MERGED_RANGES,
    MAX_VALUE_CELLS,
    MAX_VENDORS,
)
from vendor_eval.core.model import Scale
from vendor_eval.workbook.defaults import DEFAULT_CRITERIA

File = tuple[str, bytes]

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CRITERIA_HEADER = ["Criterion", "Category", "Weight", "Direction", "Scale", "Min", "Max", "Must"]


# -- zip archives written part by part --------------------------------------------------------


@dataclass(frozen=True)
class Deflated:
    """A zip member given already compressed (raw deflate), with its CRC and real size."""

    data: bytes
    crc: int
    size: int


def deflated(data: bytes, level: int = 6) -> Deflated:
    c = zlib.compressobj(level, zlib.DEFLATED, -15)
    return Deflated(c.compress(data) + c.flush(), zlib.crc32(data), len(data))


def repeated(prefix: bytes, block: bytes, times: int, suffix: bytes) -> Deflated:
    """``prefix + block * times + suffix`` deflated, compressing ``block`` only once.

    Each piece is compressed by a fresh compressor and ended with a full flush (byte-aligned,
    no reference to earlier data), so the pieces concatenate to one valid deflate stream:
    100 MB of text costs one 1 MB compression and a CRC pass.
    """

    def piece(data: bytes, final: bool) -> bytes:
        c = zlib.compressobj(6, zlib.DEFLATED, -15)
        return c.compress(data) + c.flush(zlib.Z_FINISH if final else zlib.Z_FULL_FLUSH)

    crc = zlib.crc32(prefix)
    for _ in range(times):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(suffix, crc)
    body = piece(prefix, False) + piece(block, False) * times + piece(suffix, True)
    return Deflated(body, crc, len(prefix) + len(block) * times + len(suffix))


def zip_archive(members: Iterable[tuple[str, bytes | Deflated]]) -> bytes:
    """A zip file of ``members`` in order (deflated; names exactly as given)."""
    out = io.BytesIO()
    central = []
    for name, content in members:
        part = content if isinstance(content, Deflated) else deflated(content)
        raw_name = name.encode()
        offset = out.tell()
        fixed = (20, 0, 8, 0, 0x21, part.crc, len(part.data), part.size, len(raw_name))
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, *fixed, 0))
        out.write(raw_name)
        out.write(part.data)
        central.append(
            struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, *fixed, 0, 0, 0, 0, 0, offset)
            + raw_name
        )
    start = out.tell()
    for entry in central:
        out.write(entry)
    size = out.tell() - start
    out.write(
        struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), size, start, 0)
    )
    return out.getvalue()


# -- workbooks ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Formula:
    """A formula cell saved without its computed value (as scripts write them)."""

    text: str


@dataclass(frozen=True)
class Shared:
    """A cell holding shared string number ``index``."""

    index: int


def letters(col: int) -> str:
    """Excel column letters of a 0-based column index (0 → A)."""
    s = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        s = chr(65 + rem) + s
    return s


def cell_xml(ref: str, value: object) -> str:
    r = f' r="{ref}"' if ref else ""
    if value is None:
        return ""
    if isinstance(value, Formula):
        return f"<c{r}><f>{escape(value.text)}</f></c>"
    if isinstance(value, Shared):
        return f'<c{r} t="s"><v>{value.index}</v></c>'
    if isinstance(value, bool):
        return f'<c{r} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float):
        return f"<c{r}><v>{value!r}</v></c>"
    return f'<c{r} t="inlineStr"><is><t xml:space="preserve">{escape(str(value))}</t></is></c>'


def rows_xml(rows: Sequence[Sequence[object]], first_row: int = 1) -> str:
    out = []
    for i, row in enumerate(rows):
        r = first_row + i
        cells = "".join(cell_xml(f"{letters(j)}{r}", v) for j, v in enumerate(row))
        out.append(f'<row r="{r}">{cells}</row>')
    return "".join(out)


def sheet_xml(body: str, *, dimension: str | None = None, after: str = "") -> bytes:
    """A worksheet part: ``body`` inside ``<sheetData>``, ``after`` (mergeCells...) after it."""
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{NS}">'
        f"{dim}<sheetData>{body}</sheetData>{after}</worksheet>"
    ).encode()


def xlsx(
    sheets: Sequence[tuple[str, bytes]],
    *,
    targets: Sequence[str] | None = None,
    part_names: Sequence[str] | None = None,
    extra: Sequence[tuple[str, bytes | Deflated]] = (),
    shared_strings: bool = False,
) -> bytes:
    """A workbook of ``(sheet name, worksheet XML)``.

    ``targets`` are the relationship targets (default ``worksheets/sheetN.xml``) and
    ``part_names`` the zip member names (default ``xl/`` + target): giving them apart makes a
    workbook whose parts differ from what its relationships name. ``extra`` parts are added
    as given; ``shared_strings`` declares an ``xl/sharedStrings.xml`` among them.
    """
    n = len(sheets)
    targets = list(targets or [f"worksheets/sheet{i + 1}.xml" for i in range(n)])
    part_names = list(part_names or [f"xl/{t}" for t in targets])
    sheet_ct = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
    overrides = "".join(f'<Override PartName="/{p}" ContentType="{sheet_ct}"/>' for p in part_names)
    if shared_strings:
        overrides += (
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        )
    content_types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/'
        'vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        f"{overrides}</Types>"
    )
    root_rels = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns='
        f'"{PKG_REL}"><Relationship Id="rId1" Type="{REL_NS}/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>'
    )
    sheet_list = "".join(
        f'<sheet name="{escape(name, {chr(34): "&quot;"})}" sheetId="{i + 1}" r:id="rId{i + 1}"/>'
        for i, (name, _) in enumerate(sheets)
    )
    workbook = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{NS}" '
        f'xmlns:r="{REL_NS}"><sheets>{sheet_list}</sheets></workbook>'
    )
    rels = "".join(
        f'<Relationship Id="rId{i + 1}" Type="{REL_NS}/worksheet" Target="{t}"/>'
        for i, t in enumerate(targets)
    )
    if shared_strings:
        rels += (
            f'<Relationship Id="rId{n + 1}" Type="{REL_NS}/sharedStrings" '
            'Target="sharedStrings.xml"/>'
        )
    workbook_rels = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Relationships xmlns="{PKG_REL}">{rels}</Relationships>'
    )
    members: list[tuple[str, bytes | Deflated]] = [
        ("[Content_Types].xml", content_types.encode()),
        ("_rels/.rels", root_rels.encode()),
        ("xl/workbook.xml", workbook.encode()),
        ("xl/_rels/workbook.xml.rels", workbook_rels.encode()),
    ]
    members += [(p, xml) for p, (_, xml) in zip(part_names, sheets, strict=True)]
    members += list(extra)
    return zip_archive(members)


def simple_xlsx(vendors: Sequence[Sequence[object]]) -> bytes:
    """One Vendors sheet of ``vendors`` (first row = headers), default model."""
    return xlsx([("Vendors", sheet_xml(rows_xml(vendors)))])


#: A small Vendors table in the default model (docs/workbook-format.md §9): three vendors.
VENDORS = [
    ["Vendor", "Years in business", "Client rating", "Blended hourly rate", "Notes"],
    ["Alpha Ltd", 12, 4, 85, "ok"],
    ["Beta plc", 7, 5, 120, "ok"],
    ["Gamma AG", 20, 3, 60, "ok"],
]


# -- time and memory ---------------------------------------------------------------------------


def merged_ranges(count: int = 30_000) -> File:
    """``count`` merged ranges such as ``C2:C1048576`` beside three vendors (~80 KB).

    Each range runs from a row near the top to Excel's last row, in one of 40 columns from
    C: a check that walks each range's row span does 30 billion steps.
    """
    refs = [
        f"{letters(2 + i % 40)}{2 + i // 40}:{letters(2 + i % 40)}{EXCEL_MAX_ROWS}"
        for i in range(count)
    ]
    merge = f'<mergeCells count="{count}">' + "".join(f'<mergeCell ref="{r}"/>' for r in refs)
    sheet = sheet_xml(rows_xml(VENDORS), after=merge + "</mergeCells>")
    return f"merged-{count}.xlsx", xlsx([("Vendors", sheet)])


def merged_ranges_at_cap() -> File:
    """As many merged ranges as a sheet may have (``MAX_MERGED_RANGES``), all full height."""
    return merged_ranges(MAX_MERGED_RANGES)


def huge_shared_string(chars: int = 100_000_000) -> File:
    """One ``chars``-character shared string (a vendor's Notes), compressed about 27:1.

    Under the 100:1 ratio guard and the 200 MB unpacked limit: only a length check on the
    text itself can refuse it. The text is drawn from 16 random 30-letter phrases, which
    deflate compresses to about 1/27 (the ratio of the issue's case).
    """
    rng = random.Random(11)
    phrases = [
        "".join(rng.choice("abcdefghijklmnopqrstuvwxyz ") for _ in range(30)) for _ in range(16)
    ]
    block_chars = 1_000_000
    block = "".join(rng.choice(phrases) for _ in range(block_chars // 30 + 1))[:block_chars]
    times, rest = divmod(chars, block_chars)
    prefix = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="{NS}" '
        f'count="2" uniqueCount="2"><si><t>Notes</t></si><si><t>{block[:rest]}'
    ).encode()
    strings = repeated(prefix, block.encode(), times, b"</t></si></sst>")
    rows = [[*VENDORS[0][:4], Shared(0)], [*VENDORS[1][:4], Shared(1)], *VENDORS[2:]]
    sheet = sheet_xml(rows_xml(rows))
    return "huge-shared-string.xlsx", xlsx(
        [("Vendors", sheet)], extra=[("xl/sharedStrings.xml", strings)], shared_strings=True
    )


def _value_for(scale: Scale, i: int, j: int) -> str:
    k = (i * 7 + j * 13) % 97
    if scale is Scale.YESNO:
        return "yes" if k % 4 else "no"
    if scale is Scale.ABSOLUTE:
        return str(1 + k % 5)
    if scale is Scale.PRICE:  # a price is greater than 0
        return f"{(k + 1) * 1.25:g}"
    return f"{k * 1.25:g}"


def _criteria(n_criteria: int) -> list[tuple[str, Scale]]:
    names = [(c.name, c.scale) for c in DEFAULT_CRITERIA[:n_criteria]]
    names += [(f"Criterion {j + 1}", Scale.RELATIVE) for j in range(len(names), n_criteria)]
    return names


def vendors_csv(n_vendors: int, n_criteria: int) -> File:
    """A Vendors CSV of ``n_vendors`` x ``n_criteria`` values (20,000 x 60: ~5.9 MB).

    The first 20 columns are the default model's criteria, with values valid on their
    scales, so the file is also meaningful without a criteria file; the others are
    ``Criterion 21``... (see :func:`criteria_csv`).
    """
    crits = _criteria(n_criteria)
    lines = [",".join(["Vendor", *(name for name, _ in crits)])]
    # one row pattern per residue: building 1.2 million cells one by one takes seconds
    patterns = [[_value_for(scale, i, j) for j, (_, scale) in enumerate(crits)] for i in range(97)]
    joined = [",".join(p) for p in patterns]
    lines += [f"Vendor {i:05d},{joined[i % 97]}" for i in range(n_vendors)]
    return f"vendors-{n_vendors}x{n_criteria}.csv", ("\n".join(lines) + "\n").encode()


def criteria_csv(n_criteria: int) -> File:
    """The Criteria table of :func:`vendors_csv`'s columns, as a separate CSV file."""
    defaults = {c.name: c for c in DEFAULT_CRITERIA}
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CRITERIA_HEADER)
    for name, _ in _criteria(n_criteria):
        c = defaults.get(name)
        if c is None:
            w.writerow([name, "Extra", 1, "higher", "relative", "", "", ""])
        else:
            lo = "" if c.min is None else f"{c.min:g}"
            hi = "" if c.max is None else f"{c.max:g}"
            w.writerow(
                [name, c.category, f"{c.weight:g}", c.direction.value, c.scale.value, lo, hi, ""]
            )
    return f"criteria-{n_criteria}.csv", buf.getvalue().encode()


def wide_csv() -> File:
    """The issue's stress-test case: 20,000 vendors x 60 criteria (~5.9 MB)."""
    return vendors_csv(20_000, 60)


def largest_accepted_csv() -> File:
    """The largest evaluation accepted: ``MAX_VENDORS`` vendors x as many criteria as
    ``MAX_VALUE_CELLS`` allows (10,000 x 50)."""
    return vendors_csv(MAX_VENDORS, MAX_VALUE_CELLS // MAX_VENDORS)


def largest_default_model_csv() -> File:
    """``MAX_VENDORS`` vendors on the 20 default criteria: the largest file the dashboard
    (one upload, no criteria file) accepts."""
    name, data = vendors_csv(MAX_VENDORS, len(DEFAULT_CRITERIA))
    return name.replace("vendors-", "vendors-default-"), data


def many_unreferenced_rows(rows: int = EXCEL_MAX_ROWS - 1) -> File:
    """A vendor in each of Excel's 1,048,575 data rows, with no ``r=`` on rows or cells.

    Vendor names are numbers (a number is a valid name), so the file stays under the
    dashboard's 10 MB upload cap (~6.5 MB) and the part under the 100:1 compression ratio;
    the extent check that reads references sees nothing, the fast reader numbers the rows
    itself, and every row reaches whoever counts the vendors.
    """
    head = (
        '<row><c t="inlineStr"><is><t>Vendor</t></is></c><c t="inlineStr"><is>'
        "<t>Years in business</t></is></c></row>"
    )
    body = "".join(
        [f"<row><c><v>{i}</v></c><c><v>{(i * 7919) % 100_003}</v></c></row>" for i in range(rows)]
    )
    return "rows-without-references.xlsx", xlsx([("Vendors", sheet_xml(head + body))])


def unreferenced_cells_huge_range() -> File:
    """Two vendors in A1:B3, then Excel's last row filled with 16,384 cells without ``r=``:
    the used range is A1:XFD1048576 (17 billion cells), visible only by counting cells."""
    last = f'<row r="{EXCEL_MAX_ROWS}">' + "<c><v>1</v></c>" * EXCEL_MAX_COLUMNS + "</row>"
    body = rows_xml([["Vendor", "Years in business"], ["Alpha Ltd", 3], ["Beta plc", 5]]) + last
    return "cells-without-references.xlsx", xlsx([("Vendors", sheet_xml(body))])


def huge_dimension() -> File:
    """A small, valid sheet whose ``<dimension>`` claims A1:XFD1048576."""
    sheet = sheet_xml(rows_xml(VENDORS), dimension=f"A1:XFD{EXCEL_MAX_ROWS}")
    return "huge-dimension.xlsx", xlsx([("Vendors", sheet)])


# -- values read wrongly ------------------------------------------------------------------------


def part_path_case() -> File:
    """The sheet's relationship says ``worksheets/Sheet1.xml``, the part is
    ``xl/worksheets/sheet1.xml`` (Excel resolves part names case-insensitively); Beta's
    Years in business (B3) is a formula saved without its value."""
    rows = [list(r) for r in VENDORS]
    rows[2][1] = Formula("5+2")
    return "part-path-case.xlsx", xlsx(
        [("Vendors", sheet_xml(rows_xml(rows)))],
        targets=["worksheets/Sheet1.xml"],
        part_names=["xl/worksheets/sheet1.xml"],
    )


def duplicate_sheet_names() -> File:
    """Sheets ``' VENDORS '`` and ``'Vendors'``: one name once trimmed and case-folded.
    The second holds Beta's formula without a value, the first plain numbers."""
    second = [list(r) for r in VENDORS]
    second[2][1] = Formula("5+2")
    return "duplicate-sheet-names.xlsx", xlsx(
        [(" VENDORS ", sheet_xml(rows_xml(VENDORS))), ("Vendors", sheet_xml(rows_xml(second)))]
    )


def _durations(header: str) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Vendors"
    ws.append(["Vendor", header, "Client rating"])
    for i, hours in enumerate((4, 2, 30)):
        ws.append([f"Vendor {i + 1}", dt.timedelta(hours=hours), 3 + i % 3])
        ws.cell(row=i + 2, column=2).number_format = "[h]:mm"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def durations() -> File:
    """``[h]:mm`` durations (4:00, 2:00, 30:00) in Years in business (B2:B4): Excel stores
    fractions of a day (4:00 is 0.1667)."""
    return "durations.xlsx", _durations("Years in business")


def durations_in_hours() -> File:
    """The same durations in ``Response time (hours)``, whose unit is hours."""
    return "durations-hours.xlsx", _durations("Response time (hours)")


def tiny_weight() -> File:
    """A Criteria weight typed ``1e-400`` (Excel keeps it as text): it underflows to 0."""
    vendors = [["Vendor", "Rating", "Rate"], ["Alpha Ltd", 3, 90], ["Beta plc", 5, 120]]
    criteria = [
        CRITERIA_HEADER,
        ["Rating", "Quality", "1e-400", "higher", "absolute", 1, 5],
        ["Rate", "Cost", 1, "lower", "relative"],
    ]
    return "tiny-weight.xlsx", xlsx(
        [("Vendors", sheet_xml(rows_xml(vendors))), ("Criteria", sheet_xml(rows_xml(criteria)))]
    )


# -- messages -----------------------------------------------------------------------------------


def lowercase_doctype() -> File:
    """A sheet part opening with a lowercase ``<!doctype`` that declares an entity."""
    xml = sheet_xml(rows_xml(VENDORS)).replace(
        b"\n<worksheet", b'\n<!doctype worksheet [<!entity x "expanded">]>\n<worksheet', 1
    )
    return "lowercase-doctype.xlsx", xlsx([("Vendors", xml)])


def utf16_sheet() -> File:
    """The sheet part encoded as UTF-16 (with a byte-order mark), as XML allows."""
    xml = sheet_xml(rows_xml(VENDORS)).decode().replace('encoding="UTF-8"', 'encoding="UTF-16"')
    return "utf16-sheet.xlsx", xlsx([("Vendors", xml.encode("utf-16"))])


def too_many_columns_csv() -> File:
    """A CSV with 16,386 columns: more than Excel's 16,384, so no export could hold it."""
    header = ["Vendor", "Years in business", *(f"Note {j}" for j in range(EXCEL_MAX_COLUMNS))]
    rows = [header] + [[f"Vendor {i}", str(3 + i), *("x" * EXCEL_MAX_COLUMNS)] for i in range(3)]
    return "too-many-columns.csv", "".join(",".join(r) + "\n" for r in rows).encode()


def mixed_encoding_csv() -> File:
    """UTF-8 (``Café`` in row 2) with one Windows-1252 byte (``Caf\\xe9`` in row 5)."""
    lines = [
        b"Vendor,Years in business",
        "Café Ltd,3".encode(),
        b"Beta plc,4",
        b"Gamma AG,5",
        "Café Ltd,6".encode("cp1252"),
        b"Delta SA,7",
    ]
    return "mixed-encoding.csv", b"\n".join(lines) + b"\n"


def unclosed_quote_csv(rows_after: int = 5_000) -> File:
    """Row 3 opens a quote (``"Beta plc,4``) that only the last line closes
    (``Zeta Ltd",5``), ``rows_after`` rows later: one runaway cell of 5,000 lines."""
    lines = ["Vendor,Years in business", "Alpha Ltd,3", '"Beta plc,4']
    lines += [f"Vendor {i},{i % 30}" for i in range(rows_after)]
    lines.append('Zeta Ltd",5')
    return "unclosed-quote.csv", ("\n".join(lines) + "\n").encode()


def nul_byte_csv() -> File:
    """A NUL byte inside a vendor name in row 4."""
    return "nul-byte.csv", b"Vendor,Years in business\nAlpha Ltd,3\nBeta plc,4\nGam\x00ma AG,5\n"


def invisible_names() -> File:
    """``Acme`` and the same name with a soft hyphen, LRM, RLM, a variation selector, a tag
    character and a line separator (rows 3-8), and a right-to-left override (row 9)."""
    names = [
        "Acme",
        "Ac\u00adme",
        "Acme\u200e",
        "\u200fAcme",
        "Acme\ufe0f",
        "Acme\U000e0041",
        "Ac\u2028me",
        "Vendor \u202eevil\u202c",
    ]
    rows = [["Vendor", "Years in business"], *([n, 3 + i] for i, n in enumerate(names))]
    return "invisible-names.xlsx", simple_xlsx(rows)


def confusable_names() -> File:
    """``Acme`` beside ``Аcme`` with a Cyrillic А: distinct, but confusable on screen."""
    rows = [["Vendor", "Years in business"], ["Acme", 3], ["\u0410cme", 5], ["Beta plc", 4]]
    return "confusable-names.xlsx", simple_xlsx(rows)


#: Vendor names that are Markdown, HTML or spreadsheet formulas (under any separator).
INJECTION_NAMES = [
    "![x](http://attacker.invalid/pixel.png)",
    "[click me](http://attacker.invalid/)",
    "Q;=1+1",
    "Q,=2+2",
    "=1+1",
    "\uff1d3+3",
    "@SUM(1)",
    "+1",
    "-1+2",
    "<img src=x onerror=alert(1)>",
    "**bold** _it_",
]


def injection_names() -> File:
    rows = [["Vendor", "Years in business", "Client rating"]]
    rows += [[n, 3 + i, 1 + i % 5] for i, n in enumerate(INJECTION_NAMES)]
    return "injection-names.xlsx", simple_xlsx(rows)


#: A file name with terminal escapes: clear screen, set the window title, colour.
ESCAPE_NAME = "\x1b[2J\x1b]0;owned\x07report\x1b[31m.xlsx"


def escape_file_name() -> File:
    """An invalid workbook (``ten`` is not a number) under :data:`ESCAPE_NAME`."""
    rows = [["Vendor", "Years in business"], ["Alpha Ltd", "ten"], ["Beta plc", 4]]
    return ESCAPE_NAME, simple_xlsx(rows)


#: Every generator, by case id.
GENERATORS: dict[str, Callable[[], File]] = {
    "merged_ranges": merged_ranges,
    "merged_ranges_at_cap": merged_ranges_at_cap,
    "huge_shared_string": huge_shared_string,
    "wide_csv": wide_csv,
    "largest_accepted_csv": largest_accepted_csv,
    "largest_default_model_csv": largest_default_model_csv,
    "many_unreferenced_rows": many_unreferenced_rows,
    "unreferenced_cells_huge_range": unreferenced_cells_huge_range,
    "huge_dimension": huge_dimension,
    "part_path_case": part_path_case,
    "duplicate_sheet_names": duplicate_sheet_names,
    "durations": durations,
    "durations_in_hours": durations_in_hours,
    "tiny_weight": tiny_weight,
    "lowercase_doctype": lowercase_doctype,
    "utf16_sheet": utf16_sheet,
    "too_many_columns_csv": too_many_columns_csv,
    "mixed_encoding_csv": mixed_encoding_csv,
    "unclosed_quote_csv": unclosed_quote_csv,
    "nul_byte_csv": nul_byte_csv,
    "invisible_names": invisible_names,
    "confusable_names": confusable_names,
    "injection_names": injection_names,
    "escape_file_name": escape_file_name,
}

#: Cases read with a separate criteria file: case id → its criteria file.
CRITERIA_FILES: dict[str, Callable[[], File]] = {
    "wide_csv": lambda: criteria_csv(60),
    "largest_accepted_csv": lambda: criteria_csv(MAX_VALUE_CELLS // MAX_VENDORS),
}
