"""The Excel export and the blank template print (issue 17, "The Excel export prints too").

Both are converted to PDF by LibreOffice (headless) and read back with poppler's
``pdftotext``: the page count per sheet (every page's footer names its sheet), what page 1
holds (the Summary's header block: title, leader, verdict; the strengths and weaknesses),
and the text lines' boxes (``-bbox-layout``): no two lines on a page overlap, which is what
a wrapped text in a row too short for it does when printed. Plus the print setup as
openpyxl reads it: print area, repeated header row, fit to width, footer.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
import pytest
from conftest import SAMPLE, random_evaluation, require_executable
from openpyxl.styles import Alignment
from openpyxl.utils import column_index_from_string, get_column_letter

from vendor_eval.output.excel.export import write_export
from vendor_eval.output.excel.sheets import SUMMARY_FIRST, SUMMARY_HEADER_ROW
from vendor_eval.scoring.scorer import score
from vendor_eval.workbook.importing.load import load_evaluation
from vendor_eval.workbook.template import INSTRUCTIONS, write_template

pytestmark = pytest.mark.libreoffice

WHEN = dt.datetime(2026, 12, 2, 9, 30, tzinfo=dt.UTC)
XHTML = "{http://www.w3.org/1999/xhtml}"
FOOTER = re.compile(r"^\s*(.+?), page (\d+) of (\d+)\s*$", re.MULTILINE)
#: Sheets that have no header row (a title and label/value pairs): no repeated title row.
NO_HEADER_ROW = {"Sensitivity", "Audit", "Instructions"}


class Line:
    """One text line of a PDF page as ``pdftotext -bbox-layout`` boxes it (points)."""

    def __init__(self, node: ElementTree.Element) -> None:
        self.x0, self.y0 = float(node.get("xMin", 0)), float(node.get("yMin", 0))
        self.x1, self.y1 = float(node.get("xMax", 0)), float(node.get("yMax", 0))
        self.text = " ".join(w.text or "" for w in node.iter(f"{XHTML}word"))

    def overprints(self, other: Line) -> bool:
        """The two boxes overlap across more than a point and down by over a third of the
        shorter line (the boxes of consecutive lines of one wrapped text touch by ~1 pt)."""
        across = min(self.x1, other.x1) - max(self.x0, other.x0)
        down = min(self.y1, other.y1) - max(self.y0, other.y0)
        shorter = min(self.y1 - self.y0, other.y1 - other.y0)
        return across > 1.0 and down > shorter / 3


def to_pdf(soffice: str, sources: list[Path], tmp: Path) -> list[Path]:
    """The files converted to PDF by LibreOffice (one run, a private profile)."""
    profile = tmp / "lo-profile-print"
    out = tmp / "pdf"
    out.mkdir(exist_ok=True)
    proc = subprocess.run(
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
         "--convert-to", "pdf", "--outdir", str(out), *map(str, sources)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    pdfs = [out / f"{s.stem}.pdf" for s in sources]
    assert all(p.exists() for p in pdfs), proc.stdout + proc.stderr
    return pdfs


def page_texts(pdftotext: str, pdf: Path, *, layout: bool = True) -> list[str]:
    """Each page's text (pdftotext separates pages with a form feed): as laid out, or in
    reading order (``layout=False``: a wrapped cell's lines together, not beside the next
    cell's)."""
    mode = ["-layout"] if layout else []
    out = subprocess.run([pdftotext, *mode, str(pdf), "-"], capture_output=True,
                         text=True, check=True).stdout  # fmt: skip
    pages = out.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def page_lines(pdftotext: str, pdf: Path) -> list[list[Line]]:
    """Each page's text lines with their boxes."""
    out = subprocess.run([pdftotext, "-bbox-layout", str(pdf), "-"], capture_output=True,
                         text=True, check=True).stdout  # fmt: skip
    root = ElementTree.fromstring(out)
    return [[Line(n) for n in page.iter(f"{XHTML}line")] for page in root.iter(f"{XHTML}page")]


def page_words(pdftotext: str, pdf: Path, page: int) -> list[tuple[float, float, str]]:
    """The words of one page (1-based) as (x, y, text), top to bottom, left to right."""
    out = subprocess.run([pdftotext, "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
                         capture_output=True, text=True, check=True).stdout  # fmt: skip
    words = [
        (round(float(w.get("yMin", 0)), 1), float(w.get("xMin", 0)), w.text or "")
        for w in ElementTree.fromstring(out).iter(f"{XHTML}word")
    ]
    return [(x, y, t) for y, x, t in sorted(words)]


def sheet_of_pages(pages: list[str]) -> list[str]:
    """The sheet each page prints, from its footer ("Audit, page 18 of 18")."""
    names = []
    for k, text in enumerate(pages, 1):
        found = FOOTER.findall(text)
        assert found, f"page {k} has no footer: {text[-300:]!r}"
        name, page, total = found[-1]
        assert (int(page), int(total)) == (k, len(pages)), found[-1]
        names.append(name)
    return names


def overprints(lines: list[Line]) -> list[tuple[str, str]]:
    return [
        (a.text, b.text) for i, a in enumerate(lines) for b in lines[i + 1 :] if a.overprints(b)
    ]


def squeeze(text: str) -> str:
    """``text`` without whitespace: a wrapped line breaks anywhere between words."""
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    """(ranking, export path, template path, their PDFs, pdftotext) for the sample."""
    soffice = require_executable("soffice", "libreoffice")
    pdftotext = require_executable("pdftotext")
    tmp = tmp_path_factory.mktemp("print")
    rk = score(load_evaluation(SAMPLE))
    export, template = tmp / "export.xlsx", tmp / "template.xlsx"
    write_export(rk, export, generated_at=WHEN)  # the export runs the stress tests itself
    write_template(template)
    # an overprinting sheet, to show the check finds one: a long wrapped text in a row of
    # one line's height, a second line under it
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.column_dimensions["A"].width = 40
    ws["A1"] = "a long sentence that wraps over several lines in its narrow cell " * 3
    ws["A1"].alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[1].height = 15
    ws["A2"] = "the next line"
    bad = tmp / "overprint.xlsx"
    wb.save(bad)
    pdfs = to_pdf(soffice, [export, template, bad], tmp)
    return rk, export, template, pdfs, pdftotext


def test_the_sample_export_prints_on_few_pages_and_summary_on_one(printed):
    _, export, _, (pdf, _, _), pdftotext = printed
    sheets = sheet_of_pages(page_texts(pdftotext, pdf))
    counts = {name: sheets.count(name) for name in dict.fromkeys(sheets)}
    # every sheet prints, in order, and the whole is well under the 42 pages it was
    assert list(counts) == openpyxl.load_workbook(export).sheetnames
    assert counts["Summary"] == 1 and sheets[0] == "Summary"
    assert len(sheets) <= 20, counts
    assert max(counts.values()) <= 3, counts
    for name in ("Weights", "Categories", "Settings", "Audit"):
        assert counts[name] == 1, counts


def test_page_one_holds_the_header_block_the_leader_and_the_verdict(printed):
    rk, export, _, (pdf, _, _), pdftotext = printed
    first = page_texts(pdftotext, pdf)[0]
    lines = [line.strip() for line in first.splitlines() if line.strip()]
    title = next(i for i, line in enumerate(lines) if line.startswith("Vendor ranking:"))
    assert lines[title] == "Vendor ranking: sample_vendors.xlsx"
    assert (
        lines[title + 1]
        == "Date: 2026-12-02 09:30 UTC. Method: weighted sum; missing values: worst."
    )
    score_text = f"{rk.score(rk.leader):.2f}"
    n, q = len(rk.vendors), len(rk.qualified)
    assert (
        lines[title + 2] == f"Leader: {rk.leader}, score {score_text} ({q} of {n} vendors qualify)"
    )
    verdict = openpyxl.load_workbook(export)["Sensitivity"]["B2"].value
    assert verdict.startswith("Close call: ") and len(verdict) > 150  # wraps over two lines
    assert squeeze(f"Robustness: {verdict}") in squeeze(first)
    # the same sentence is the Summary's cell, before the table's header row
    summary = openpyxl.load_workbook(export)["Summary"]
    assert summary["A4"].value == f"Robustness: {verdict}"
    assert summary[f"A{SUMMARY_HEADER_ROW}"].value == "Rank"
    assert summary[f"B{SUMMARY_FIRST}"].value == rk.leader


def test_every_vendors_strengths_and_weaknesses_print_on_page_one(printed):
    rk, _, _, (pdf, _, _), pdftotext = printed
    assert squeeze("Strengths and weaknesses") in squeeze(page_texts(pdftotext, pdf)[0])
    # the block's two columns, from where their headers print: every word below a header
    # and left of the next column's is that column's text
    words = page_words(pdftotext, pdf, 1)
    (xs, ys), (xw, _) = [next((x, y) for x, y, t in words if t == h)
                         for h in ("Strengths", "Weaknesses")]  # fmt: skip
    below = [(x, t) for x, y, t in words if y > ys + 2]
    column = {
        "strengths": squeeze("".join(t for x, t in below if xs - 1 <= x < xw - 1)),
        "weaknesses": squeeze("".join(t for x, t in below if x >= xw - 1)),
    }
    explained = rk.explanations or {}
    assert len(explained) == len(rk.vendors)
    for vendor in rk.vendors:
        for key in ("strengths", "weaknesses"):
            text = "; ".join(explained[vendor][key])
            assert text and squeeze(text) in column[key], (vendor, key)


def test_no_line_prints_over_another_in_the_export_or_the_template(printed):
    _, _, _, (pdf, template_pdf, bad_pdf), pdftotext = printed
    # the check finds an overprint where there is one
    (bad_page,) = page_lines(pdftotext, bad_pdf)
    assert overprints(bad_page)
    for each in (pdf, template_pdf):
        names = sheet_of_pages(page_texts(pdftotext, each))
        pages = page_lines(pdftotext, each)
        assert len(pages) == len(names)
        for k, (name, lines) in enumerate(zip(names, pages, strict=True), 1):
            assert len(lines) > 2, (each.name, k, name)
            assert overprints(lines) == [], (each.name, k, name)
        # the sheets that overprinted before: the Audit and the Instructions
        assert ("Audit" in names) if each == pdf else ("Instructions" in names)


def test_the_template_prints_on_few_pages_with_every_instruction_whole(printed):
    _, _, template, (_, pdf, _), pdftotext = printed
    pages = page_texts(pdftotext, pdf)
    sheets = sheet_of_pages(pages)
    counts = {name: sheets.count(name) for name in dict.fromkeys(sheets)}
    assert list(counts) == openpyxl.load_workbook(template).sheetnames
    assert len(sheets) <= 10 and counts["Instructions"] <= 4, counts  # it was 24 pages
    printed_text = squeeze("".join(p for p, s in zip(pages, sheets, strict=True)
                                   if s == "Instructions"))  # fmt: skip
    for _, text in INSTRUCTIONS:  # nothing cut off at the page's right edge
        assert squeeze(text) in printed_text, text[:60]


@pytest.mark.parametrize("kind", ["export", "template"])
def test_every_sheet_has_a_print_area_titles_fit_and_footer(printed, kind):
    _, export, template, _, _ = printed
    for ws in openpyxl.load_workbook(export if kind == "export" else template).worksheets:
        assert ws.print_area and ws.print_area.startswith(f"'{ws.title}'!$A$1:"), ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        one_page = ws.title == "Summary"
        assert ws.page_setup.fitToWidth >= 1, ws.title
        assert ws.page_setup.fitToHeight == (1 if one_page else 0), ws.title
        assert ws.page_setup.orientation in ("portrait", "landscape"), ws.title
        assert ws.oddFooter.center.text == "&A, page &P of &N", ws.title
        if ws.title in NO_HEADER_ROW:
            assert ws.print_title_rows is None, ws.title
        elif ws.title == "Summary":
            assert ws.print_title_rows == f"${SUMMARY_HEADER_ROW}:${SUMMARY_HEADER_ROW}"
        else:
            assert ws.print_title_rows == "$1:$1", ws.title
        # nothing written outside the print area but Summary's on-screen columns
        last = ws.print_area.split(":")[-1]
        col, row = re.fullmatch(r"\$([A-Z]+)\$(\d+)", last).groups()
        assert ws.max_row <= int(row) or ws.title == "Summary", ws.title
        width = column_index_from_string(col)
        if kind == "template":  # an empty margin column at the right (template.print_setup)
            assert width == ws.max_column + 1 and ws.column_dimensions[col].width == 12, ws.title
        else:
            assert ws.max_column <= width or ws.title == "Summary", ws.title


def test_summary_print_area_holds_the_block_and_a_long_field_is_one_page_wide(rng):
    ev = random_evaluation(rng, n_vendors=45, n_criteria=6, n_categories=2)
    rk = score(ev)
    wb = openpyxl.load_workbook(io.BytesIO(write_export(rk, generated_at=WHEN)))
    ws = wb["Summary"]
    # over 30 vendors: one page wide, as many tall as it needs
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
    heads = [c.value for c in ws[SUMMARY_HEADER_ROW]]
    reasons = get_column_letter(heads.index("Reasons") + 1)
    last_row = int(ws.print_area.rsplit("$", 1)[-1])
    assert ws.print_area == f"'Summary'!$A$1:${reasons}${last_row}"
    block = next(r for r in range(1, ws.max_row + 1)
                 if str(ws.cell(r, 2).value).startswith("Strengths and weaknesses"))  # fmt: skip
    assert ws.cell(block, 2).value == "Strengths and weaknesses, first 30 of 45 vendors"
    assert [ws.cell(block + 1, j).value for j in (2, 3)] == ["Vendor", "Strengths"]
    assert last_row == block + 1 + 30 == ws.max_row


def test_atomic_write_without_overwrite_never_replaces_a_file(tmp_path):
    """A file that appeared after the caller checked (``--force`` not given) is kept: the
    write is refused and leaves no temporary file."""
    from vendor_eval.core.problems import VendorEvalError
    from vendor_eval.output.excel.export import atomic_write

    target = tmp_path / "r.pdf"
    atomic_write(target, b"first", overwrite=False)
    assert target.read_bytes() == b"first"
    with pytest.raises(VendorEvalError, match=r"already exists \(use --force to overwrite\)"):
        atomic_write(target, b"second", overwrite=False)
    assert target.read_bytes() == b"first"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.pdf"]
    atomic_write(target, b"third")  # --force
    assert target.read_bytes() == b"third"
