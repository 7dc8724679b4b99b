"""One response file per vendor, combined (docs/workbook-format.md §14).

Each case is built as files with openpyxl and compared with its *twin*: one ordinary
workbook holding the same data, whose evaluation the combined files must equal (same
ranking, scores to 1e-9). Conflicts are pinned by their exact message, file and cell.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from vendor_eval.core.problems import Code, Problem, ValidationError
from vendor_eval.scoring.scorer import score
from vendor_eval.workbook.combine import (
    CombinedCells,
    CombinedValidationError,
    combine_books,
    combined_workbook,
    combined_workbook_bytes,
    is_response_form,
    load_combined,
)
from vendor_eval.workbook.importing.load import evaluation_from_book, load_evaluation
from vendor_eval.workbook.reading.book import read_book
from vendor_eval.workbook.reading.rawbook import RawBook, RawSheet

Book = Mapping[str, Sequence[Sequence[object]]]

HEAD = ["Vendor", "Years in business", "Rating", "ISO 27001", "Website"]
VENDORS = [
    ["Acme IT", 12, 4, "yes", "acme.example"],
    ["Bolt Services", "5", "3", "no", None],
    ["Crane Ltd", 20, 5, True, "crane.example"],
    ["Dyna Corp", 8, None, "yes", "dyna.example"],
]
CRITERIA = [
    ["Criterion", "Category", "Weight", "Direction", "Scale", "Min", "Max"],
    ["Years in business", "Reputation", 2, None, None, None, None],
    ["Rating", "Reputation", 3, None, "absolute", 1, 5],
    ["ISO 27001", "Capability", 1, None, "yes/no", None, None],
    ["Fit", "Capability", 2, None, "absolute", 1, 5],
    ["Total cost of ownership", "Cost", 1, None, "price", None, None],
]
CATEGORIES = [["Category", "Weight"], ["Reputation", 40], ["Capability", 40], ["Cost", 20]]
SETTINGS = [["Setting", "Value"], ["Missing values", "mean"], ["Contract term (years)", 4]]
COSTS_HEAD = ["Vendor", "Item", "Amount", "Frequency", "Quantity"]
COSTS = {
    "Acme IT": [["Acme IT", "Licence", 1000, "monthly", 1], ["Acme IT", "Setup", 5000, "one-off"]],
    "Bolt Services": [["Bolt Services", "Licence", 900, "monthly", None]],
    "Crane Ltd": [["Crane Ltd", "Licence", 1200, "monthly"], ["Crane Ltd", "Setup", 2000, "once"]],
    "Dyna Corp": [["Dyna Corp", "Licence", 800, "yearly", 10]],
}
SCORES = [
    ["Evaluator", "Vendor", "Criterion", "Score"],
    *(
        [who, v[0], "Fit", s]
        for who, marks in (("Ann", (4, 3, 5, 2)), ("Bob", (5, 3, 4, 3)))
        for v, s in zip(VENDORS, marks, strict=True)
    ),
]
NAMES = ["acme.xlsx", "bolt.xlsx", "crane.xlsx", "dyna.xlsx"]


def xlsx_bytes(book: Book, text: Sequence[str] = ()) -> bytes:
    """The sheets as .xlsx bytes written by openpyxl; the cells in ``text`` are string
    cells whatever they hold (openpyxl makes ``=…`` a formula otherwise)."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in book.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(list(row))
        for ref in text:
            if ws[ref].value is not None:
                ws[ref].data_type = "s"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def write(folder: Path, name: str, book: Book, text: Sequence[str] = ()) -> Path:
    path = folder / name
    path.write_bytes(xlsx_bytes(book, text))
    return path


def response(i: int, *, costs: bool = True) -> dict[str, list[list[object]]]:
    """Vendor ``i``'s response file: its Vendors row and its cost lines."""
    book: dict[str, list[list[object]]] = {"Vendors": [list(HEAD), list(VENDORS[i])]}
    if costs:
        book["Costs"] = [COSTS_HEAD, *(list(line) for line in COSTS[VENDORS[i][0]])]
    return book


def criteria_file() -> dict[str, list[list[object]]]:
    """The pure criteria file: Criteria, Categories, Settings and the panel's Scores."""
    return {"Criteria": CRITERIA, "Categories": CATEGORIES, "Settings": SETTINGS, "Scores": SCORES}


def twin(order: Sequence[int] = (0, 1, 2, 3)) -> dict[str, list[list[object]]]:
    """One ordinary workbook with the same data, vendors in ``order``."""
    return {
        "Vendors": [HEAD, *(VENDORS[i] for i in order)],
        **criteria_file(),
        "Costs": [COSTS_HEAD, *(line for i in order for line in COSTS[VENDORS[i][0]])],
    }


def response_files(folder: Path, order: Sequence[int] = (0, 1, 2, 3)) -> list[Path]:
    return [write(folder, NAMES[i], response(i)) for i in order]


def assert_same(ev, other) -> None:
    """Same vendors, criteria, values, settings, costs and scores, and the same ranking
    (scores to 1e-9)."""
    assert ev.vendors == other.vendors
    assert ev.criteria == other.criteria
    assert ev.categories == other.categories
    pd.testing.assert_frame_equal(ev.values, other.values)
    assert ev.settings.missing == other.settings.missing
    assert ev.settings.contract_term == other.settings.contract_term
    for a, b in ((ev.costs, other.costs), (ev.scores, other.scores)):
        assert (a is None) == (b is None)
        if a is not None:
            pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True))
    ra, rb = score(ev).to_frame(), score(other).to_frame()
    assert ra["Vendor"].tolist() == rb["Vendor"].tolist()
    np.testing.assert_allclose(ra["Score"], rb["Score"], rtol=0, atol=1e-9)


def problems_of(files: Sequence[Path | bytes], names=None) -> list[tuple[str | None, str, str]]:
    """(file, location, message) of every problem combining ``files`` raises."""
    with pytest.raises(ValidationError) as exc:
        load_combined(files, names)
    return [(p.file, p.location, p.message) for p in exc.value.problems]


# -- the combined twin ------------------------------------------------------------------------
def test_four_response_files_and_a_criteria_file_equal_their_twin(tmp_path):
    files = [*response_files(tmp_path), write(tmp_path, "criteria.xlsx", criteria_file())]
    ev = load_combined(files)
    assert_same(ev, load_evaluation(xlsx_bytes(twin())))
    assert ev.source_name == "acme.xlsx, bolt.xlsx, crane.xlsx and 2 more files"
    assert not ev.warnings
    assert score(ev).vendors[0] == "Crane Ltd"  # the data decides something


def test_vendors_keep_the_order_of_the_files_given(tmp_path):
    order = (2, 0, 3, 1)
    files = [write(tmp_path, "criteria.xlsx", criteria_file()), *response_files(tmp_path, order)]
    ev = load_combined(files)
    assert ev.vendors == ["Crane Ltd", "Acme IT", "Dyna Corp", "Bolt Services"]
    assert_same(ev, load_evaluation(xlsx_bytes(twin(order))))


def test_the_criteria_file_may_hold_a_vendor_too(tmp_path):
    with_criteria = {**response(3), **criteria_file()}
    files = [*response_files(tmp_path, (0, 1, 2)), write(tmp_path, "dyna.xlsx", with_criteria)]
    assert_same(load_combined(files), load_evaluation(xlsx_bytes(twin())))


def test_without_a_criteria_file_the_default_model_applies(tmp_path):
    head = ["Vendor", "Years in business", "Client rating", "Notes"]
    rows = [["Acme IT", 12, 4, "fast"], ["Bolt Services", 5, 3, None]]
    files = [write(tmp_path, f"{i}.xlsx", {"Vendors": [head, r]}) for i, r in enumerate(rows)]
    ev = load_combined(files)
    assert ev.default_model
    assert_same(ev, load_evaluation(xlsx_bytes({"Vendors": [head, *rows]})))


def test_identical_criteria_sheets_in_several_files_are_one_model(tmp_path):
    """Files made from one template each hold the same Criteria, Categories and Settings
    sheets: not a conflict. A file of the panel's Scores needs no vendor."""
    model = {"Criteria": CRITERIA, "Categories": CATEGORIES, "Settings": SETTINGS}
    files = [write(tmp_path, NAMES[i], {**response(i), **model}) for i in range(4)]
    files.append(write(tmp_path, "panel.xlsx", {"Scores": SCORES}))
    ev = load_combined(files)
    assert_same(ev, load_evaluation(xlsx_bytes(twin())))
    assert not ev.warnings


def test_a_settings_sheet_of_a_response_file_is_ignored_with_a_warning(tmp_path):
    files = response_files(tmp_path)
    topsis = {**response(1), "Settings": [["Setting", "Value"], ["Method", "topsis"]]}
    files[1] = write(tmp_path, "bolt.xlsx", topsis)
    files.append(write(tmp_path, "criteria.xlsx", criteria_file()))
    ev = load_combined(files)
    assert [(w.file, w.location, w.message, w.code) for w in ev.warnings] == [
        (
            "bolt.xlsx",
            "Settings",
            "the Settings sheet is ignored: when files are combined, the Categories and "
            "Settings sheets come from the file that holds the Criteria sheet (criteria.xlsx)",
            Code.IGNORED_SHEET,
        )
    ]
    assert ev.settings.method is None
    assert_same(ev, load_evaluation(xlsx_bytes(twin())))


def test_one_source_is_read_exactly_as_load_evaluation_reads_it(tmp_path):
    path = write(tmp_path, "all.xlsx", twin())
    ev, plain = load_combined([path]), load_evaluation(path)
    assert_same(ev, plain)
    assert (ev.source_name, ev.source_sha256) == (plain.source_name, plain.source_sha256)
    with pytest.raises(ValidationError) as exc:  # not read as a response file: 4 vendors fine
        load_combined([write(tmp_path, "bad.xlsx", {"Sheet": [["x"]], "Other": [["y"]]})])
    assert type(exc.value) is ValidationError
    assert load_combined([path], ["named.xlsx"]).source_name == "named.xlsx"


# -- questionnaires: a Vendor label cell on the first sheet ------------------------------------
FORM_RIGHT = [
    ["Supplier questionnaire 2026"],
    [],
    ["Supplier name:", "Crane Ltd"],
    ["Question", "Answer"],
    ["Years in business", 20],
    ["Rating", 5],
    ["ISO 27001", True],
    ["Website", "crane.example"],
]
FORM_BELOW = [
    [None, "Vendor"],
    [None, "Crane Ltd"],
    [None, "Years in business", 20, "(since 2006)"],
    [None, "Rating:", 5],
    [],
    [None, "ISO 27001", True],
    [None, "Website", "crane.example"],
]


@pytest.mark.parametrize("form", [FORM_RIGHT, FORM_BELOW], ids=["name-right", "name-below"])
def test_a_questionnaire_with_a_vendor_label_cell_equals_its_twin(tmp_path, form):
    files = response_files(tmp_path)
    files[2] = write(
        tmp_path, "crane.xlsx", {"Response": form, "Costs": [COSTS_HEAD, *COSTS["Crane Ltd"]]}
    )
    files.append(write(tmp_path, "criteria.xlsx", criteria_file()))
    assert_same(load_combined(files), load_evaluation(xlsx_bytes(twin())))


def test_a_questionnaires_problems_name_its_cells(tmp_path):
    form = [list(r) for r in FORM_RIGHT]
    form[5][1] = "good"
    files = response_files(tmp_path)
    files[2] = write(tmp_path, "crane.xlsx", {"Response": form})
    files.append(write(tmp_path, "criteria.xlsx", criteria_file()))
    found = problems_of(files)
    assert ("crane.xlsx", "Response!B6 (Rating)", '"good" is not a number') in found


def test_a_sheet_named_otherwise_with_a_vendor_header_row_is_a_one_row_table(tmp_path):
    files = response_files(tmp_path)
    sheet1 = {"Sheet1": [HEAD, VENDORS[0]], "Costs": [COSTS_HEAD, *COSTS["Acme IT"]]}
    files[0] = write(tmp_path, "acme.xlsx", sheet1)
    files.append(write(tmp_path, "criteria.xlsx", criteria_file()))
    assert_same(load_combined(files), load_evaluation(xlsx_bytes(twin())))


# -- CSV response files -------------------------------------------------------------------------
def _csv(rows: Sequence[Sequence[object]]) -> bytes:
    return "\n".join(",".join("" if v is None else str(v) for v in r) for r in rows).encode()


def test_csv_response_files_and_a_csv_criteria_file_equal_their_twin(tmp_path):
    crit = [r[:7] for r in CRITERIA[:4]]  # no panel criterion, no TCO: a CSV holds neither
    files = []
    for i, name in enumerate(NAMES):
        path = tmp_path / name.replace(".xlsx", ".csv")
        path.write_bytes(_csv([HEAD, VENDORS[i]]))
        files.append(path)
    (tmp_path / "criteria.csv").write_bytes(_csv(crit))
    plain = load_evaluation(xlsx_bytes({"Vendors": [HEAD, *VENDORS], "Criteria": crit}))
    assert_same(load_combined([*files, tmp_path / "criteria.csv"]), plain)  # as a file
    assert_same(load_combined(files, criteria=tmp_path / "criteria.csv"), plain)  # as criteria=


# -- conflicts, each with its message at its file, sheet and cell ---------------------------
def test_the_same_vendor_in_two_files(tmp_path):
    files = response_files(tmp_path)
    again = write(tmp_path, "acme-2.xlsx", response(0, costs=False))
    assert problems_of([*files, again]) == [
        (
            "acme-2.xlsx",
            "Vendors!A2 (Vendor)",
            'vendor "Acme IT" is also in acme.xlsx (Vendors!A2): each vendor\'s response '
            "belongs in one file; delete one of the two",
        )
    ]


def test_the_same_vendor_is_compared_by_name_key(tmp_path):
    files = response_files(tmp_path)
    form = [["Vendor", "  ACME it "], ["Years in business", 1]]
    again = write(tmp_path, "form.xlsx", {"Form": form})
    found = problems_of([*files, again])
    assert found[0][:2] == ("form.xlsx", "Form!B1 (Vendor)")
    assert found[0][2].startswith('vendor "ACME it" is also in acme.xlsx (Vendors!A2)')


def test_a_file_with_several_vendors(tmp_path):
    files = response_files(tmp_path, (0, 1))
    several = write(tmp_path, "two.xlsx", {"Vendors": [HEAD, VENDORS[2], [], VENDORS[3]]})
    assert problems_of([*files, several]) == [
        (
            "two.xlsx",
            "Vendors!A4 (Vendor)",
            "this file holds 2 vendors (rows 2 and 4): a response file holds one vendor; give "
            "each vendor a file of its own, or import this workbook on its own",
        )
    ]


def test_a_questionnaire_naming_two_vendors(tmp_path):
    form = [["Vendor", "Crane Ltd"], ["Rating", 5], ["Supplier", "Dyna Corp"]]
    files = [*response_files(tmp_path, (0,)), write(tmp_path, "form.xlsx", {"Form": form})]
    assert problems_of(files) == [
        (
            "form.xlsx",
            "Form!B3 (Supplier)",
            "this sheet names 2 vendors (B1 and B3): a response file holds one vendor; give "
            "each vendor a file of its own",
        )
    ]


def test_a_file_with_no_vendor(tmp_path):
    files = response_files(tmp_path, (0,))
    notes = write(tmp_path, "notes.xlsx", {"Notes": [["Our offer"], ["Price", 5]]})
    empty = write(tmp_path, "empty.xlsx", {"Vendors": [HEAD]})
    assert problems_of([*files, notes, empty]) == [
        (
            "notes.xlsx",
            "Notes",
            'no vendor in this file: it has no Vendors sheet, and this sheet has no "Vendor" '
            "cell with the vendor's name to its right or below (in its first 11 rows)",
        ),
        (
            "empty.xlsx",
            "Vendors!A1 (Vendor)",
            "no vendors: add one row per vendor below the header row",
        ),
    ]


def test_only_a_criteria_file_holds_no_vendor(tmp_path):
    files = [write(tmp_path, "c.xlsx", criteria_file()), write(tmp_path, "d.xlsx", CRIT_ONLY)]
    assert problems_of(files)[-1] == ("c.xlsx and d.xlsx", "", "none of the files holds a vendor")


CRIT_ONLY = {"Criteria": CRITERIA}


def test_an_evaluation_matrix_among_response_files(tmp_path):
    matrix = [["Criterion", "Weight", "Acme IT", "Bolt"], ["Price", 3, 4, 5]]
    files = [*response_files(tmp_path, (2,)), write(tmp_path, "m.xlsx", {"Scoring": matrix})]
    assert problems_of(files) == [
        (
            "m.xlsx",
            "Scoring",
            "this sheet looks like an evaluation matrix (criteria as rows, vendors as columns): "
            "import it on its own, not combined with response files",
        )
    ]


def test_two_different_criteria_sheets(tmp_path):
    other = [list(r) for r in CRITERIA]
    other[2][2] = 30
    files = [
        *response_files(tmp_path),
        write(tmp_path, "criteria.xlsx", criteria_file()),
        write(tmp_path, "old-criteria.xlsx", {"Criteria": other}),
    ]
    assert problems_of(files) == [
        (
            "old-criteria.xlsx",
            "Criteria",
            "this file's Criteria sheet differs from the one in criteria.xlsx: when files are "
            "combined, the criteria come from one file; keep the Criteria sheet in one of them "
            "only (or make them the same)",
        )
    ]


def test_without_a_criteria_file_the_columns_must_agree(tmp_path):
    """A column most files have is lacking in the others; one few have is extra there."""
    head = ["Vendor", "Years in business", "Client rating", "Notes"]
    rows = [["A", 1, 4, "x"], ["B", 2, 3, "y"], ["C", 3, 5, "z"]]
    files = [write(tmp_path, f"{r[0]}.xlsx", {"Vendors": [head, r]}) for r in rows]
    other = {"Vendors": [["Vendor", "Client rating", "ISO"], ["D", 4, "yes"]]}
    files.append(write(tmp_path, "D.xlsx", other))
    agree = (
        "the response files must have the same columns (or one file's Criteria sheet lists "
        "the criteria: any other column is then descriptive)"
    )
    assert problems_of(files) == [
        (
            "D.xlsx",
            "Vendors!1",
            f'this file lacks the columns "Years in business" and "Notes" that A.xlsx, B.xlsx '
            f"and C.xlsx have: {agree}",
        ),
        (
            "D.xlsx",
            "Vendors!C1 (ISO)",
            f'this file has the column "ISO" that A.xlsx, B.xlsx and C.xlsx do not have: {agree}',
        ),
    ]


def test_with_a_criteria_file_a_missing_criterion_column_is_a_conflict(tmp_path):
    files = response_files(tmp_path)
    short = [h for h in HEAD if h != "Rating"] + ["Remarks"]  # an extra column is descriptive
    row = ["Bolt Services", 5, "no", None, "call back"]
    files[1] = write(tmp_path, "bolt.xlsx", {"Vendors": [short, row]})
    files.append(write(tmp_path, "criteria.xlsx", criteria_file()))
    assert problems_of(files) == [
        (
            "bolt.xlsx",
            "Vendors!1",
            'this file lacks the column "Rating" that acme.xlsx, crane.xlsx and dyna.xlsx '
            "have: it is a criterion of criteria.xlsx's Criteria sheet, so every response file "
            "needs it",
        )
    ]


def test_with_a_criteria_file_extra_columns_are_descriptive(tmp_path):
    files = response_files(tmp_path)
    remarks = {**response(0), "Vendors": [[*HEAD, "Remarks"], [*VENDORS[0], "ok"]]}
    files[0] = write(tmp_path, "acme.xlsx", remarks)
    ev = load_combined([*files, write(tmp_path, "criteria.xlsx", criteria_file())])
    assert ev.descriptive["Remarks"].tolist() == ["ok", None, None, None]


def test_a_duplicate_label_in_a_questionnaire(tmp_path):
    form = [["Vendor", "Crane Ltd"], ["Rating", 5], ["rating ", 4]]
    files = [*response_files(tmp_path, (0,)), write(tmp_path, "form.xlsx", {"Form": form})]
    found = problems_of(files)
    assert found[0] == (
        "form.xlsx",
        "Form!A3 (rating)",
        'duplicate label "rating": Form!A2 and Form!A3 hold the same label; rename or delete one',
    )


def test_files_that_cannot_be_read_are_all_listed(tmp_path):
    files = [*response_files(tmp_path, (0,)), tmp_path / "gone.xlsx", tmp_path / "also.xlsx"]
    found = problems_of(files)
    assert [f for f, _, _ in found] == ["gone.xlsx", "also.xlsx"]
    assert all(m.endswith("was not found") for _, _, m in found)


# -- problems found by the importer, moved back to their files ---------------------------------
def test_the_importers_problems_name_the_original_file_sheet_and_cell(tmp_path):
    files = response_files(tmp_path)
    bad = response(2)
    bad["Vendors"][1][2] = "good"  # Rating
    bad["Costs"][2][2] = -5  # Setup amount
    files[2] = write(tmp_path, "crane.xlsx", bad)
    crit = criteria_file()
    crit["Criteria"] = [list(r) for r in CRITERIA]
    crit["Criteria"][3][4] = "binary"
    files.append(write(tmp_path, "criteria.xlsx", crit))
    found = problems_of(files)
    assert ("crane.xlsx", "Vendors!C2 (Rating)", '"good" is not a number') in found
    assert ("criteria.xlsx", "Criteria!E4 (Scale)") in [f[:2] for f in found]
    assert ("crane.xlsx", "Costs!C3 (Amount)") in [f[:2] for f in found]


def test_warnings_name_the_original_file_and_cell(tmp_path):
    files = response_files(tmp_path)
    high = response(1)
    high["Vendors"][1][2] = 7  # outside the 1–5 scale
    files[1] = write(tmp_path, "bolt.xlsx", high)
    ev = load_combined([*files, write(tmp_path, "criteria.xlsx", criteria_file())])
    assert [(w.file, w.location, w.code) for w in ev.warnings] == [
        ("bolt.xlsx", "Vendors!C2 (Rating)", Code.OUT_OF_SCALE)
    ]


def test_the_error_lists_each_problem_with_its_file(tmp_path):
    # not the same bytes as acme.xlsx (that is a file given twice)
    files = [*response_files(tmp_path), write(tmp_path, "acme-2.xlsx", response(0, costs=False))]
    with pytest.raises(CombinedValidationError) as exc:
        load_combined(files)
    lines = str(exc.value).splitlines()
    assert lines[0] == "acme.xlsx, bolt.xlsx, crane.xlsx and 2 more files: 1 problem found"
    assert lines[1].startswith('  acme-2.xlsx: Vendors!A2 (Vendor): vendor "Acme IT" is also')


def test_combine_books_maps_every_built_cell_back(tmp_path):
    books = [read_book(p, sandbox=False) for p in response_files(tmp_path)]
    books.append(read_book(xlsx_bytes(criteria_file()), "criteria.xlsx", sandbox=False))
    book, cells = combine_books(books)
    assert isinstance(cells, CombinedCells) and len(cells) > 0
    built = ["Vendors", "Criteria", "Categories", "Settings", "Costs", "Scores"]
    assert [s.name for s in book.sheets] == built
    assert book.sheets[0].rows[3][0] == "Crane Ltd"
    moved = cells.relocate(Problem("x", "Vendors", 4, "C", "Rating"))
    assert (moved.file, moved.location) == ("crane.xlsx", "Vendors!C2 (Rating)")
    moved = cells.relocate(Problem("x", "Costs", 6, "C", "Amount"))  # Crane's second line
    assert (moved.file, moved.location) == ("crane.xlsx", "Costs!C3 (Amount)")
    moved = cells.relocate(Problem("x", "Criteria", 3, "B", "Category"))  # copied whole
    assert (moved.file, moved.location) == ("criteria.xlsx", "Criteria!B3 (Category)")
    assert evaluation_from_book(book).vendors == [v[0] for v in VENDORS]


def test_two_paths_of_one_file_name_are_named_by_their_paths(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    one = write(tmp_path / "a", "offer.xlsx", response(0, costs=False))
    two = write(tmp_path / "b", "offer.xlsx", response(0, costs=False))
    assert problems_of([one, two])[0][0] == str(two)


# -- the combined workbook ---------------------------------------------------------------------
def test_the_combined_workbook_loads_to_the_same_evaluation(tmp_path):
    files = [*response_files(tmp_path), write(tmp_path, "criteria.xlsx", criteria_file())]
    data, ev = combined_workbook(files)
    assert data == combined_workbook_bytes(files)  # the same bytes each time
    back = load_evaluation(data, name="combined.xlsx")
    assert_same(back, ev)
    assert_same(back, load_combined(files))
    pd.testing.assert_frame_equal(back.descriptive, ev.descriptive)
    sheets = openpyxl.load_workbook(io.BytesIO(data)).sheetnames
    assert sheets == ["Vendors", "Criteria", "Categories", "Settings", "Costs", "Scores"]


def test_a_hostile_vendor_name_survives_as_text(tmp_path):
    link = '=HYPERLINK("http://evil.example","click")'
    rows = [[link, 12, 4, "yes", "=1+1"], ["</table><script>x</script>", 5, 3, "no", "@SUM(A1)"]]
    files = [
        write(tmp_path, f"{i}.xlsx", {"Vendors": [HEAD, r]}, text=("A2", "E2"))
        for i, r in enumerate(rows)
    ]
    files.append(write(tmp_path, "criteria.xlsx", {"Criteria": CRITERIA[:4]}))
    data, ev = combined_workbook(files)
    assert ev.vendors == [link, "</table><script>x</script>"]
    ws = openpyxl.load_workbook(io.BytesIO(data))["Vendors"]
    for ref, text in (("A2", link), ("E2", "=1+1"), ("A3", rows[1][0]), ("E3", "@SUM(A1)")):
        assert (ws[ref].value, ws[ref].data_type) == (text, "s"), ref
    assert ws["A2"].quotePrefix and ws["E3"].quotePrefix and not ws["B1"].quotePrefix
    back = load_evaluation(data)
    assert back.vendors == ev.vendors
    assert back.descriptive["Website"].tolist() == ["=1+1", "@SUM(A1)"]


def test_combining_invalid_files_writes_nothing(tmp_path):
    files = [*response_files(tmp_path), write(tmp_path, "acme-2.xlsx", response(0))]
    with pytest.raises(CombinedValidationError):
        combined_workbook_bytes(files)


def test_combine_books_of_raw_books_without_files():
    def book(name: str, rows: list[list[object]]) -> RawBook:
        return RawBook(name, name, "xlsx", [RawSheet("Vendors", rows)])

    merged, cells = combine_books(
        [book("a", [["Vendor", "Price"], ["A", 1]]), book("b", [["Supplier", "price"], ["B", 2]])]
    )
    assert merged.sheets[0].rows == [["Vendor", "Price"], ["A", 1], ["B", 2]]
    assert cells.relocate(Problem("x", "Vendors", 3, "B", "Price")).location == (
        "Vendors!B2 (price)"
    )


def test_a_heading_without_values_is_no_conflict_and_an_unanswered_question_is_missing(tmp_path):
    head = ["Vendor", "Years in business", "Client rating"]
    table = {"Vendors": [head, ["Acme IT", 3, 4], ["Total", 3, 4]]}
    form = [["Vendor", "Bolt"], ["Technical"], ["Years in business", None], ["Client rating", 3]]
    files = [write(tmp_path, "a.xlsx", table), write(tmp_path, "b.xlsx", {"Q": form})]
    ev = load_combined(files)
    assert np.isnan(ev.values.loc["Bolt", "Years in business"])
    assert ev.values.loc["Bolt", "Client rating"] == 3
    first = ev.warnings[0]
    assert (first.file, first.location, first.code) == (
        "a.xlsx",
        "Vendors!A3 (Vendor)",
        Code.TOTAL_ROW,
    )


# -- one questionnaire on its own ---------------------------------------------------------------
def _raw(name: str, sheets: Book, sha: str = "") -> RawBook:
    return RawBook(
        name, sha, "xlsx", [RawSheet(n, [list(r) for r in rows]) for n, rows in sheets.items()]
    )


@pytest.mark.parametrize(
    ("sheets", "expected"),
    [
        ({"Response": FORM_RIGHT}, True),
        ({"Response": FORM_BELOW}, True),
        ({"Cover": [["Criteria on the next sheet"]], "Criteria": CRITERIA, "R": FORM_RIGHT}, False),
        ({"Criteria": CRITERIA, "R": FORM_RIGHT}, True),  # the first sheet not a known one
        ({"R": [["Vendor", None], ["Price", 1]]}, True),  # an empty name, reported
        ({"Vendors": [["Vendor", "Acme"], ["Price", 1]]}, False),  # a Vendors sheet
        ({"Sheet1": [HEAD, VENDORS[0]]}, False),  # a header row: a table
        ({"Sheet1": [["Criterion", "Weight", "Acme"], ["Price", 1, 3]]}, False),  # a matrix
        ({"Sheet1": [["Vendor"]]}, False),  # no name
        ({"Sheet1": [["Price", 1]]}, False),
        # alone, a sheet whose first row is `Vendor | X` is a two-column table, unless a
        # trailing colon or a `Question | Answer` row says it is a questionnaire
        ({"Sheet1": [["Vendor", "Years in business"], ["Acme", 12], ["Bolt", 5]]}, False),
        ({"R": [["Vendor", "Acme"], [], ["Questions"], ["Years in business", 12]]}, True),
        ({"R": [["Vendor:", "Acme"], ["Years in business", 12]]}, True),
        ({"R": [["Vendor", "Acme"], ["Years in business", 12]], "Notes": [["x"]]}, True),
    ],
    ids=[
        "right",
        "below",
        "cover",
        "criteria-first",
        "empty-name",
        "vendors",
        "table",
        "matrix",
        "no-name",
        "no-label",
        "two-column-table",
        "header-row",
        "colon",
        "two-sheets",
    ],
)
def test_is_response_form(sheets, expected):
    assert is_response_form(_raw("f.xlsx", sheets)) is expected


def _alone_twin() -> dict[str, list[list[object]]]:
    return {"Vendors": [HEAD[:4], VENDORS[2][:4]], "Criteria": CRITERIA[:4]}


def test_a_lone_questionnaire_is_read_as_one_vendors_response_file(tmp_path):
    form = write(tmp_path, "crane.xlsx", {"Response": FORM_RIGHT})
    crit = write(tmp_path, "criteria.xlsx", {"Criteria": CRITERIA[:4]})
    ev = load_combined([form], criteria=crit)
    assert ev.vendors == ["Crane Ltd"]
    assert_same(ev, load_evaluation(xlsx_bytes(_alone_twin())))
    assert ev.descriptive["Website"].tolist() == ["crane.example"]
    with_model = write(tmp_path, "crane2.xlsx", {"Response": FORM_BELOW, "Criteria": CRITERIA[:4]})
    assert_same(load_combined([with_model]), load_evaluation(xlsx_bytes(_alone_twin())))


def test_a_lone_two_column_table_is_read_as_before(tmp_path):
    table = {"Sheet1": [["Vendor", "Years in business"], ["Acme IT", 12], ["Bolt", 5]]}
    path = write(tmp_path, "two.xlsx", table)
    ev = load_combined([path])
    assert ev.vendors == ["Acme IT", "Bolt"]
    assert_same(ev, load_evaluation(path))


def test_a_lone_questionnaires_problems_name_its_cells(tmp_path):
    form = [list(r) for r in FORM_RIGHT]
    form[5][1] = "good"
    path = write(tmp_path, "crane.xlsx", {"Response": form, "Criteria": CRITERIA[:4]})
    assert problems_of([path]) == [("crane.xlsx", "Response!B6 (Rating)", '"good" is not a number')]


# -- rows for another vendor ----------------------------------------------------------------------
def test_a_response_files_cost_line_for_another_vendor_is_an_error(tmp_path):
    files = response_files(tmp_path, (0, 1))
    acme = response(0)
    acme["Costs"].append(["Bolt Services", "Extra", 10, "one-off"])
    files[0] = write(tmp_path, "acme.xlsx", acme)
    files.append(write(tmp_path, "criteria.xlsx", criteria_file()))
    assert problems_of(files) == [
        (
            "acme.xlsx",
            "Costs!A4 (Vendor)",
            'this is the response file of "Acme IT"; its Costs row names "Bolt Services": give '
            "each vendor's cost lines in its own file (or in the criteria file)",
        )
    ]


def test_a_response_files_score_for_another_vendor_is_an_error(tmp_path):
    files = response_files(tmp_path, (0, 1))
    scores = [["Evaluator", "Vendor", "Criterion", "Score"], ["Ann", " acme it", "Fit", 4],
              ["Ann", "Bolt Services", "Fit", 3]]  # fmt: skip
    files[0] = write(tmp_path, "acme.xlsx", {**response(0), "Scores": scores})
    files.append(write(tmp_path, "criteria.xlsx", {"Criteria": CRITERIA}))
    found = problems_of(files)
    assert [(f, at) for f, at, _ in found] == [("acme.xlsx", "Scores!B3 (Vendor)")]
    assert found[0][2].startswith('this is the response file of "Acme IT"; its Scores row')
    # the criteria file, and a file of the panel's scores, speak for every vendor
    files[0] = write(tmp_path, "acme.xlsx", response(0))
    files.append(write(tmp_path, "panel.xlsx", {"Scores": scores}))
    assert load_combined(files).vendors == ["Acme IT", "Bolt Services"]


def test_the_code_of_a_row_for_another_vendor():
    costs = [COSTS_HEAD, ["Globex", "Licence", 100, "one-off"]]
    books = [
        _raw("a.xlsx", {"Vendors": [["Vendor", "Price"], ["Acme", 1]], "Costs": costs}, "1"),
        _raw("b.xlsx", {"Vendors": [["Vendor", "Price"], ["Globex", 2]]}, "2"),
    ]
    with pytest.raises(CombinedValidationError) as exc:
        combine_books(books)
    assert [(p.code, p.file, p.location) for p in exc.value.problems] == [
        (Code.ROW_FOR_ANOTHER_VENDOR, "a.xlsx", "Costs!A2 (Vendor)")
    ]


# -- files of one name, a file given twice -------------------------------------------------------
def test_uploads_of_one_name_are_numbered_in_order(tmp_path):
    data = [xlsx_bytes(response(i, costs=False)) for i in (0, 1, 2)]
    data[2] = xlsx_bytes({"Vendors": [HEAD, ["acme it", *VENDORS[2][1:]]]})  # Acme again
    found = problems_of(data, ["Questionnaire.xlsx"] * 3)
    assert found == [
        (
            "Questionnaire.xlsx (3)",
            "Vendors!A2 (Vendor)",
            'vendor "acme it" is also in Questionnaire.xlsx (Vendors!A2): each vendor\'s '
            "response belongs in one file; delete one of the two",
        )
    ]
    named = ["a.xlsx", "a.xlsx", "a.xlsx (2)", "a.xlsx"]
    ev = load_combined([xlsx_bytes(response(i)) for i in range(4)], named)
    assert ev.source_name == "a.xlsx, a.xlsx (3), a.xlsx (2) and a.xlsx (4)"


def test_a_file_given_twice(tmp_path):
    acme = xlsx_bytes(response(0))
    found = problems_of([acme, xlsx_bytes(response(1)), acme], ["acme.xlsx"] * 3)
    assert found == [
        ("acme.xlsx (3)", "", "this file is given twice (also as file 1): give each file once")
    ]
    with pytest.raises(CombinedValidationError) as exc:
        load_combined([acme, acme])
    assert [p.code for p in exc.value.problems] == [Code.VENDOR_IN_TWO_FILES]


# -- the vendor's name, the combined sheet, the criteria ---------------------------------------
def test_an_empty_vendor_name_beside_the_label_is_not_the_next_label(tmp_path):
    files = response_files(tmp_path, (0, 1))
    form = [["Vendor", None], ["Years in business", 3], ["Rating", 4]]
    files.append(write(tmp_path, "c.xlsx", {"Form": form}))
    files.append(write(tmp_path, "criteria.xlsx", {"Criteria": CRITERIA[:3]}))
    assert problems_of(files) == [("c.xlsx", "Form!B1 (Vendor)", "vendor name is empty")]


def test_too_many_columns_together_name_the_files_that_bring_them():
    def form(name: str, labels: range) -> RawBook:
        rows = [["Vendor", name], *([f"Q{i}", i] for i in labels)]
        return _raw(f"{name}.xlsx", {"Response": rows}, name)

    books = [form("a", range(10_000)), form("b", range(9_000, 20_000)), form("c", range(5))]
    with pytest.raises(CombinedValidationError) as exc:
        combine_books(books)
    wide = [p for p in exc.value.problems if p.code == Code.SHEET_TOO_LARGE]
    assert [(p.file, p.location) for p in wide] == [("b.xlsx", "Response")]
    assert wide[0].message == (
        "together the files' labels make 20,001 columns of the combined Vendors sheet; an "
        "Excel sheet holds at most 16,384, so the results could not be exported: delete the "
        "questions you do not need (this file brings 11,000; a.xlsx 10,000, c.xlsx 5)"
    )


def test_no_criteria_is_about_the_files_together(tmp_path):
    files = [write(tmp_path, f"{n}.xlsx", {"R": [["Vendor", n], ["Colour", 1]]}) for n in "ab"]
    found = problems_of(files)
    assert found == [
        (
            "a.xlsx and b.xlsx",
            "",
            "no criteria: no column or label of the files is one of the built-in model's "
            "criteria; add a criteria file (a file with a Criteria sheet), or use the "
            "template's column names",
        )
    ]


def test_a_vendors_sheet_laid_out_as_a_matrix(tmp_path):
    matrix = {"Vendors": [["Criterion", "Weight", "Acme IT"], ["Rating", 1, 3]]}
    files = [write(tmp_path, "m.xlsx", matrix), *response_files(tmp_path, (1,))]
    assert problems_of(files) == [
        (
            "m.xlsx",
            "Vendors",
            "this sheet looks like an evaluation matrix (criteria as rows, vendors as columns): "
            "import it on its own, not combined with response files",
        )
    ]
