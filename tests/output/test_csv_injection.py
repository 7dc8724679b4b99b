"""``rank --format csv`` cannot start a formula, whichever separator the file is opened with.

A spreadsheet opened with ``;`` (most European locales) or tab splits a comma-separated line
at those characters too, so OWASP's leading quote on each field is not enough: ``Q;=1+1``
written as one field becomes ``Q`` and a live ``=1+1``. Every text field is protected at
its start and after each separator inside it, and quoted when it holds one. Checked with
LibreOffice opening the file with each separator, evaluating formulas and trimming spaces
(its most trusting settings), and fuzzed with arbitrary Unicode through Python's reader.
"""

from __future__ import annotations

import csv
import io
import unicodedata
import zipfile
from pathlib import Path

import openpyxl
import pytest
from conftest import make_evaluation, soffice_convert
from hypothesis import given, settings
from hypothesis import strategies as st

from vendor_eval.core.model import Category, Criterion, MustRule, Scale
from vendor_eval.output import safety
from vendor_eval.output.text import format_csv
from vendor_eval.scoring.scorer import score

SIGNS = set("=+-@")
# minus and plus signs NFKC does not fold (a sample of Unicode's confusables for - and +)
LOOK_ALIKES = set("\u2212\u2796\u2795\u2010\u2011\u2012\u2013\ufe58\u02d7\u02d6")
# Names that are (or hide) a formula: after a separator, after blanks, or as a look-alike.
ATTACKS = [
    "Q;=1+1",
    "Q,=2+2",
    "Q\t=3+3",
    "  =4+4",
    "\u200b=5+5",
    '\ufeff=HYPERLINK("http://attacker.invalid","x")',
    "＝6+6",
    "﹦7+7",
    "⁼8+8",
    "\u22129+9",
    "−10+10",
    "＠SUM(1)",
    "＋11+11",
    "A\n=12+12",
    'Q";=13+13',
    "Q; +14+14",
    'Q;"=15+15',
]


def hostile_ranking():
    crit = [
        Criterion("Cost;=1+1", "Price;=2+2", 1, scale=Scale.RELATIVE),
        Criterion("ISO", "Q\t=3+3", 1, scale=Scale.YESNO, must=MustRule("=", 1, "yes")),
    ]
    n = len(ATTACKS)
    values = {"Cost;=1+1": [float(i) for i in range(n)], "ISO": [i % 2 for i in range(n)]}
    cats = [Category("Price;=2+2", 1), Category("Q\t=3+3", 1)]
    return score(make_evaluation(values, crit, cats, vendors=ATTACKS))


def starts_formula(field: str) -> bool:
    """What a spreadsheet sees first in a field, past blanks, invisible characters and a
    text delimiter (it may trim them), folded by NFKC: a formula sign or a look-alike."""
    k = 0
    while k < len(field) and (
        field[k].isspace() or unicodedata.category(field[k]) in ("Cc", "Cf") or field[k] == '"'
    ):
        k += 1
    if k == len(field):
        return False
    first = field[k]
    return unicodedata.normalize("NFKC", first)[:1] in SIGNS or first in LOOK_ALIKES


@pytest.mark.parametrize("opened_with", [",", ";", "\t"])
def test_no_field_starts_a_formula_whatever_the_separator(opened_with):
    text = format_csv(hostile_ranking())
    for row in csv.reader(io.StringIO(text, newline=""), delimiter=opened_with):
        for field in row:
            assert not starts_formula(field), (opened_with, field)


def test_the_csv_reads_back_as_written_with_its_own_separator():
    ranking = hostile_ranking()
    for sep in (",", ";", "\t"):
        rows = list(csv.reader(io.StringIO(format_csv(ranking, sep), newline=""), delimiter=sep))
        header = [safety.csv_unsafe(h) for h in rows[0][6:8]]
        assert header == ["category: Price;=2+2", "category: Q\t=3+3"]
        assert [safety.csv_unsafe(r[1]) for r in rows[1:]] == ranking.vendors
        assert {r[1] for r in rows[1:]} >= {"Q;'=1+1", "'  =4+4", "'＝6+6", "'\u22129+9"}


FIELD = st.text(st.characters(codec="utf-8"), max_size=30)


@settings(max_examples=500, deadline=None)
@given(name=FIELD, before=FIELD)
def test_any_name_round_trips_and_never_starts_a_formula(name, before):
    """Arbitrary Unicode: read with the separator it was written with, the field is the
    name (once the protective quotes are taken out); read with any separator, no field
    starts with a formula sign, even after NFKC folding."""
    for sep in (",", ";", "\t"):
        line = sep.join(["1", safety.csv_field(before), safety.csv_field(name), "2.5"]) + "\n"
        (row,) = list(csv.reader(io.StringIO(line, newline=""), delimiter=sep))
        assert len(row) == 4, (sep, line)
        assert safety.csv_unsafe(row[2]) == name.replace("\x00", "\ufffd")
        assert safety.csv_unsafe(row[1]) == before.replace("\x00", "\ufffd")
        for other in (",", ";", "\t"):
            for parsed in csv.reader(io.StringIO(line, newline=""), delimiter=other):
                for field in parsed:
                    assert not starts_formula(field), (sep, other, line, field)


def test_the_excel_export_marks_look_alikes_and_hidden_signs_as_text(tmp_path):
    """The same rule in the Excel export: a cell whose first visible character is a formula
    sign or a look-alike of one gets Excel's quote prefix (editing it keeps it text)."""
    from vendor_eval.output.excel.export import write_export

    ranking = hostile_ranking()
    path = tmp_path / "export.xlsx"
    write_export(ranking, path)
    wb = openpyxl.load_workbook(path)
    for title, column in (("Summary", 2), ("Vendors", 1), ("Data", 1), ("Contributions", 1)):
        ws = wb[title]
        for r in range(2, ws.max_row + 1):
            cell = ws.cell(row=r, column=column)
            if cell.value in ATTACKS:
                hidden = not cell.value.startswith(("Q", "A"))  # a sign first, seen or not
                assert cell.quotePrefix == hidden, (title, cell.coordinate, cell.value)
    quoted = {c.value for c in wb["Criteria"]["B"] if c.quotePrefix}
    assert not quoted  # "Price;=2+2", "Q\t=3+3": no sign first, no prefix needed


# -- LibreOffice ---------------------------------------------------------------------------

# CSV filter options: separator, text delimiter ("), UTF-8, from line 1, no column formats,
# default language, quoted field as text no, detect special numbers yes, (export-only 9 and
# 10), trim spaces yes, (export-only 12), evaluate formulas yes: LibreOffice at its most
# trusting.
TRUSTING = "{sep},34,76,1,,0,false,true,false,false,true,false,true"


def libreoffice_open(soffice: str, csv_path: Path, sep: int, tmp: Path) -> Path:
    """``csv_path`` opened in LibreOffice Calc with separator ``sep`` and saved as .xlsx."""
    infilter = f"Text - txt - csv (StarCalc):{TRUSTING.format(sep=sep)}"
    return soffice_convert(soffice, csv_path, tmp, infilter=infilter)


@pytest.mark.libreoffice
@pytest.mark.slow
@pytest.mark.parametrize(("sep", "char"), [(44, ","), (59, ";"), (9, "\t")])
def test_libreoffice_evaluates_no_cell_with_any_separator(soffice_path, tmp_path, sep, char):
    ranking = hostile_ranking()
    path = tmp_path / "ranking.csv"
    path.write_text(format_csv(ranking), encoding="utf-8", newline="")
    book = libreoffice_open(soffice_path, path, sep, tmp_path)
    with zipfile.ZipFile(book) as z:
        sheet = z.read("xl/worksheets/sheet1.xml")
    assert b"<f" not in sheet  # LibreOffice made no formula of any cell
    ws = openpyxl.load_workbook(book).active
    cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
    assert cells and not [c for c in cells if c.data_type == "f"]
    if char == ",":  # the file's own separator: every name is there, as text
        names = [ws.cell(row=r, column=2).value for r in range(2, 2 + len(ranking.vendors))]
        assert [safety.csv_unsafe(str(n)) for n in names] == ranking.vendors
