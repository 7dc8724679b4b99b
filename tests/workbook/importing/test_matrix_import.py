"""An evaluation matrix (criteria as rows, vendors as columns) is imported as the Vendors and
Criteria sheets it stands for (docs/workbook-format.md §13): each real-world shape equals
its twin in the Vendors layout, and every message names the matrix's own cell."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from importer_helpers import raw_book

from vendor_eval.core.model import Evaluation, Scale
from vendor_eval.core.problems import Code, ValidationError
from vendor_eval.scoring.scorer import score
from vendor_eval.workbook.importing.load import evaluation_from_book, load_evaluation
from vendor_eval.workbook.importing.matrix import GENERAL

Rows = list[list[object]]


def xlsx(
    path: Path,
    sheets: dict[str, Rows],
    merged: dict[str, list[str]] | None = None,
    formats: dict[tuple[str, str], str] | None = None,
) -> Path:
    """A workbook written by openpyxl: sheets of rows (``None`` = empty), merged ranges and
    number formats."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    ws.cell(r, c, value)
        for span in (merged or {}).get(name, []):
            ws.merge_cells(span)
    for (sheet, ref), fmt in (formats or {}).items():
        wb[sheet][ref].number_format = fmt
    wb.save(path)
    return path


def assert_same(ev: Evaluation, twin: Evaluation) -> None:
    """The same vendors, criteria, categories and values, and the same ranking (scores to
    1e-9)."""
    assert ev.vendors == twin.vendors
    assert ev.criteria == twin.criteria
    assert ev.categories == twin.categories
    pd.testing.assert_frame_equal(ev.values, twin.values)
    ours, theirs = score(ev), score(twin)
    assert ours.vendors == theirs.vendors
    for v in ev.vendors:
        assert ours.rank(v) == theirs.rank(v)
        assert ours.score(v) == pytest.approx(theirs.score(v), abs=1e-9)


def messages(book: dict[str, Rows], **kw: object) -> list[str]:
    with pytest.raises(ValidationError) as exc:
        evaluation_from_book(raw_book(book, "m.xlsx"), **kw)  # type: ignore[arg-type]  # test kwargs
    return [str(p) for p in exc.value.problems]


def warnings(book: dict[str, Rows]) -> list[str]:
    return [str(p) for p in evaluation_from_book(raw_book(book, "m.xlsx")).warnings]


# -- real-world shapes, each equal to its twin ----------------------------------------------
SCORECARD: Rows = [
    ["Supplier scorecard: IT outsourcing 2025"],  # merged A1:I1
    [],
    [
        "#",
        "Criterion",
        "Weight",
        "Direction",
        "Acme IT",
        None,
        "Globex Services",
        "Initech",
        "Notes",
    ],
    [None, "Capability"],  # a section heading
    ["1.1", "Technical capability", "30%", None, 4, None, 3, 5, "from the demo"],
    ["1.2", "Security", 0.2, None, 5, None, 4, 3],  # a percentage-formatted 0.2
    [],
    [None, "Commercial"],
    ["2.1", "Price per day", "50%", "lower", 900, None, 750, 1200],
    [None, "Weighted total", None, None, 3.1, None, 2.9, 3.4],
]
TWIN_VENDORS: Rows = [
    ["Vendor", "Technical capability", "Security", "Price per day"],
    ["Acme IT", 4, 5, 900],
    ["Globex Services", 3, 4, 750],
    ["Initech", 5, 3, 1200],
]
TWIN_CRITERIA: Rows = [
    ["Criterion", "Category", "Weight", "Direction"],
    ["Technical capability", "Capability", 0.3, None],
    ["Security", "Capability", 0.2, None],
    ["Price per day", "Commercial", 0.5, "lower"],
]


def test_a_scorecard_with_a_title_headings_percentages_a_gap_and_a_total_row(
    tmp_path: Path,
) -> None:
    path = xlsx(
        tmp_path / "scorecard.xlsx",
        {"Evaluation": SCORECARD},
        merged={"Evaluation": ["A1:I1"]},
        formats={("Evaluation", "C6"): "0%"},
    )
    twin = xlsx(tmp_path / "twin.xlsx", {"Vendors": TWIN_VENDORS, "Criteria": TWIN_CRITERIA})
    ev = load_evaluation(path)  # the sandboxed reader
    assert_same(ev, load_evaluation(twin))
    assert (ev.source_name, len(ev.source_sha256)) == ("scorecard.xlsx", 64)
    assert [str(w) for w in ev.warnings] == [
        'Evaluation!B10: row 10 "Weighted total" looks like a total row, not a criterion: it '
        "is skipped"
    ]
    assert [c.category for c in ev.criteria] == ["Capability", "Capability", "Commercial"]


def test_criteria_columns_after_the_vendors_in_any_order() -> None:
    matrix: Rows = [
        ["Requirement", "Vendor A Ltd", "Vendor B GmbH", "Vendor C Inc", "Weight", "Scale",
         "Category", "Max", "Min", "Must", "Description"],
        ["ISO 27001", "yes", "no", "Yes", 2, "yes/no", "Security", None, None, "yes",
         "Certified"],
        ["Client rating", 4, 5, 3, 3, "absolute", "Reputation", 5, 1, ">= 3", None],
        ["Years in business", 12, 5, 20, 2, None, "Reputation", None, None, None, None],
        ["SLA uptime", "99.9%", "99.5%", "98%", 1, None, "Contract", None, None, None, None],
    ]  # fmt: skip
    vendors: Rows = [
        ["Vendor", "ISO 27001", "Client rating", "Years in business", "SLA uptime"],
        ["Vendor A Ltd", "yes", 4, 12, "99.9%"],
        ["Vendor B GmbH", "no", 5, 5, "99.5%"],
        ["Vendor C Inc", "Yes", 3, 20, "98%"],
    ]
    criteria: Rows = [
        ["Criterion", "Category", "Weight", "Scale", "Min", "Max", "Must", "Description"],
        ["ISO 27001", "Security", 2, "yes/no", None, None, "yes", "Certified"],
        ["Client rating", "Reputation", 3, "absolute", 1, 5, ">= 3", None],
        ["Years in business", "Reputation", 2, None, None, None, None, None],
        ["SLA uptime", "Contract", 1, None, None, None, None, None],
    ]
    ev = evaluation_from_book(raw_book({"Scorecard": matrix}))
    assert_same(ev, evaluation_from_book(raw_book({"Vendors": vendors, "Criteria": criteria})))
    assert ev.warnings == []
    assert ev.criterion("ISO 27001").scale is Scale.YESNO
    assert score(ev).rank("Vendor B GmbH") is None  # no ISO 27001: knocked out


def test_long_vendor_names_without_category_or_weight_columns() -> None:
    long_a = "Globex Managed Services and Infrastructure Outsourcing " * 3  # 165 characters
    long_b = "Initech " + "x" * 192  # 200 characters: the longest a name may be
    matrix: Rows = [
        ["Question", "Acme IT", long_a, long_b],
        ["Response quality", 4, 3, 5],
        ["Delivery track record", 2, 5, 4],
    ]
    names = ["Acme IT", long_a.strip(), long_b]
    twin: Rows = [
        ["Vendor", "Response quality", "Delivery track record"],
        *([n, *vals] for n, vals in zip(names, [[4, 2], [3, 5], [5, 4]], strict=True)),
    ]
    criteria: Rows = [
        ["Criterion", "Category", "Weight"],
        ["Response quality", GENERAL, 1],
        ["Delivery track record", GENERAL, 1],
    ]
    ev = evaluation_from_book(raw_book({"Sheet1": matrix}))
    assert_same(ev, evaluation_from_book(raw_book({"Vendors": twin, "Criteria": criteria})))
    assert ev.vendors == names  # as written, trimmed
    assert [(str(w), w.code) for w in ev.warnings] == [
        (
            'Sheet1!1: no "Weight" column: every criterion weighs the same (add a Weight column '
            "to weigh them)",
            Code.MATRIX_EQUAL_WEIGHTS,
        )
    ]


def test_a_csv_matrix(tmp_path: Path) -> None:
    path = tmp_path / "matrix.csv"
    path.write_text(
        "Criteria;Category;Weight;Direction;Acme IT;Globex Services\n"
        "Technical fit;Capability;30%;;4;3\n"
        ";;;;;\n"
        "Response time (hours);Communication;20%;lower;4;2\n"
        "Day rate;Cost;50%;lower;€950;€870\n"
        "Total;;;;12;10\n",
        encoding="utf-8",
    )
    twin = xlsx(
        tmp_path / "twin.xlsx",
        {
            "Vendors": [
                ["Vendor", "Technical fit", "Response time (hours)", "Day rate"],
                ["Acme IT", 4, 4, "€950"],
                ["Globex Services", 3, 2, "€870"],
            ],
            "Criteria": [
                ["Criterion", "Category", "Weight", "Direction"],
                ["Technical fit", "Capability", 0.3, None],
                ["Response time (hours)", "Communication", 0.2, "lower"],
                ["Day rate", "Cost", 0.5, "lower"],
            ],
        },
    )
    ev = load_evaluation(path)
    assert_same(ev, load_evaluation(twin))
    assert ev.units == {"Day rate": "€"}
    assert [str(w) for w in ev.warnings] == [
        'Vendors!A6: row 6 "Total" looks like a total row, not a criterion: it is skipped'
    ]


def test_merged_category_cells_and_the_other_sheets_kept(tmp_path: Path) -> None:
    matrix: Rows = [
        ["Criterion", "Category", "Weight", "Northwind", "Quillstone"],
        ["Client rating", "Reputation", 40, 4, 5],
        ["References checked", None, 30, "yes", "no"],  # B2:B3 merged
        ["Technical fit", "Capability", 1, 5, 3],
    ]
    categories: Rows = [["Category", "Weight"], ["Reputation", 60], ["Capability", 40]]
    settings: Rows = [["Setting", "Value"], ["Method", "topsis"]]
    path = xlsx(
        tmp_path / "m.xlsx",
        {"Read me": [["Fill in the scores"]], "Evaluation": matrix, "Categories": categories,
         "Settings": settings},
        merged={"Evaluation": ["B2:B3"]},
    )  # fmt: skip
    twin_vendors: Rows = [
        ["Vendor", "Client rating", "References checked", "Technical fit"],
        ["Northwind", 4, "yes", 5],
        ["Quillstone", 5, "no", 3],
    ]
    twin_criteria: Rows = [
        ["Criterion", "Category", "Weight"],
        ["Client rating", "Reputation", 40],
        ["References checked", "Reputation", 30],
        ["Technical fit", "Capability", 1],
    ]
    ev = load_evaluation(path)
    twin = {"Vendors": twin_vendors, "Criteria": twin_criteria, "Categories": categories,
            "Settings": settings}  # fmt: skip
    assert_same(ev, load_evaluation(xlsx(tmp_path / "twin.xlsx", twin)))
    assert ev.settings.method.value == "topsis"


def test_a_workbook_with_a_criteria_sheet_reads_only_names_and_values() -> None:
    criteria: Rows = [
        ["Criterion", "Category", "Weight", "Scale", "Min", "Max"],
        ["Technical fit", "Capability", 2, "absolute", 1, 5],
        ["Price", "Cost", 1, "price", None, None],
        ["Demo", "Capability", 1, "absolute", 1, 5],
    ]
    matrix: Rows = [
        ["Criteria", "Weight", "Acme", "Bolt"],
        ["Capability"],  # a heading: ignored, the Criteria sheet gives the categories
        ["Technical fit", 99, 4, 3],
        ["Price", 99, 1200, 950],
        ["Demo"],  # no values: they come from Scores
    ]
    scores: Rows = [["Evaluator", "Vendor", "Criterion", "Score"], ["Ann", "Acme", "Demo", 4],
                    ["Ann", "Bolt", "Demo", 5]]  # fmt: skip
    twin: Rows = [["Vendor", "Technical fit", "Price"], ["Acme", 4, 1200], ["Bolt", 3, 950]]
    book = {"Evaluation": matrix, "Criteria": criteria, "Scores": scores}
    ev = evaluation_from_book(raw_book(book))
    twin_book = {"Vendors": twin, "Criteria": criteria, "Scores": scores}
    assert_same(ev, evaluation_from_book(raw_book(twin_book)))
    assert [(str(w), w.code) for w in ev.warnings] == [
        (
            "Evaluation!B1: the Criteria sheet gives the criteria, so this column is ignored: "
            "only the criteria's names and the vendors' values are read from this sheet",
            Code.MATRIX_COLUMN_IGNORED,
        ),
    ]


# -- messages at the matrix's own cells -----------------------------------------------------
def test_a_value_that_is_not_a_number_names_its_cell_vendor_and_criterion(
    tmp_path: Path,
) -> None:
    matrix: Rows = [
        ["Criterion", "Weight", "Acme IT", "Globex Services"],
        ["Price", 1, 1200, 950],
        ["Support hours", 1, 12, 24],
        ["Technical capability", 2, 4, "good"],
    ]
    with pytest.raises(ValidationError) as exc:
        load_evaluation(xlsx(tmp_path / "m.xlsx", {"Evaluation": matrix}))
    (p,) = exc.value.problems
    assert str(p) == (
        'Evaluation!D4 (Globex Services, Technical capability): "good" is not a number'
    )
    assert (p.file, p.code, p.sheet, p.row, p.column) == (
        "m.xlsx", Code.NOT_A_NUMBER, "Evaluation", 4, "D",
    )  # fmt: skip
    assert exc.value.file == "m.xlsx"


def test_criteria_cells_are_named_with_the_matrix_headers() -> None:
    matrix: Rows = [
        ["Criterion", "Weighting", "Acme IT", "Globex Services", "Must"],
        ["Price", -1, 1200, 950, "about 3"],
        ["Technical capability", 2, 4, 3, ">= 3"],
        ["Technical capability", 2, 4, 4, None],
        ["Support", None, 4, 4, None],
    ]
    assert messages({"Evaluation": matrix}) == [
        'Evaluation!B2 (Weighting): weight -1 is negative for "Price"',
        'Evaluation!E2 (Must): "about 3" is not a rule for "Price": use >= 3, > 0, <= 50000, '
        "< 10, = 1, or yes/no for a yes/no criterion",
        'Evaluation!A4 (Criterion): duplicate criterion "Technical capability" (also in row 3)',
        'Evaluation!B5 (Weighting): weight is missing for "Support" (use 0 to ignore it)',
    ]


def test_vendor_headers_duplicate_too_long_and_computed() -> None:
    header = ["Criterion", "Weight", "Acme IT", "Globex", "ACME IT ", "x" * 201, "Total"]
    matrix: Rows = [header, ["Price", 1, 3, 4, 5, 6, 18]]
    assert messages({"Evaluation": matrix}) == [
        'Evaluation!E1: duplicate vendor name "ACME IT" (also in C1)',
        f'Evaluation!F1: text is too long (201 characters; at most 200): "{"x" * 39}…"',
    ]


def test_columns_that_are_not_vendors_and_look_alike_names_are_warned_about() -> None:
    matrix: Rows = [
        ["#", "Criterion", "Weight", "Acme IT", "Globex", "\u0410cme IT", "Total",
         "Globex weighted score", "Acme comments", None, "Average", "Max score", "Notes"],
        [1, "Price", 1, 3, 4, 5, 12, 9, "ok", None, 4, 5, "per day"],
        [2, "Fit", 1, 3, 4, 5, 12, 9, "ok", 7, 4, 5],
        [3, "Pr\u0456ce", 1, 3, 4, 5],
    ]  # fmt: skip
    ev = evaluation_from_book(raw_book({"Evaluation": matrix}))
    assert ev.vendors == ["Acme IT", "Globex", "\u0410cme IT"]
    assert [(w.code, w.location) for w in ev.warnings] == [
        (Code.CONFUSABLE_NAME, "Evaluation!F1"),
        (Code.MATRIX_COLUMN_IGNORED, "Evaluation!G1"),
        (Code.MATRIX_COLUMN_IGNORED, "Evaluation!H1"),
        (Code.MATRIX_COLUMN_IGNORED, "Evaluation!K1"),
        (Code.UNLABELLED_COLUMN, "Evaluation!J3"),
        (Code.CONFUSABLE_NAME, "Evaluation!B4 (Criterion)"),
    ]
    text = [w.message for w in ev.warnings]
    assert text[0].startswith('vendor name "Аcme IT" looks like "Acme IT" (D1) but is written')
    assert text[1:4] == [
        'column "Total" looks like a total column, not a vendor: it is ignored',
        'column "Globex weighted score" looks like a weighted-score column, not a vendor: it '
        "is ignored",
        'column "Average" looks like an average column, not a vendor: it is ignored',
    ]
    assert text[5].startswith('criterion "Prіce" looks like "Price" (B2) but is written')


def test_warnings_about_values_and_vendors_name_the_matrix_cells() -> None:
    matrix: Rows = [
        ["Criterion", "Category", "Weight", "Min", "Max", "Scale", "Acme", "Bolt"],
        ["Rating", "Reputation", 1, 1, 5, "absolute", 7, None],
        ["Years", "Reputation", 1, None, None, None, None, None],
        ["Staff", "Reputation", 1, None, None, None, None, 3],
    ]
    assert warnings({"Evaluation": matrix}) == [
        "Evaluation!G2 (Acme, Rating): 7 is outside the scale 1–5; it counts as 5",
        'Evaluation!3 (Years): no vendor has a value for "Years": its row is empty',
        'Evaluation!G1 (Acme): "Acme" has no value for 67% of the weight (Years, Staff)',
        'Evaluation!H1 (Bolt): "Bolt" has no value for 67% of the weight (Rating, Years)',
    ]


def test_mixed_currencies_name_the_matrix_cells() -> None:
    matrix: Rows = [
        ["Criterion", "Weight", "Direction", "Acme", "Bolt", "Crane"],
        ["Price", 1, "lower", "$1,200", "€950", "$990"],
    ]
    assert messages({"Evaluation": matrix}) == [
        "Evaluation!2 (Price): mixed currencies $ (D2, F2), € (E2): convert them to one currency"
    ]


def test_merged_value_cells_are_an_error() -> None:
    book = raw_book({"Evaluation": [
        ["Criterion", "Weight", "Acme", "Bolt", "Crane"],
        ["Price", 1, 3, None, 4],
        ["Fit", 1, 3, 5, 2],
        ["Speed", 1, 2, 2, None],
    ]})  # fmt: skip
    book.sheets[0].merged = [(1, 2, 1, 3), (2, 4, 3, 4), (3, 0, 3, 1)]  # C2:D2, E3:E4, A4:B4
    with pytest.raises(ValidationError) as exc:
        evaluation_from_book(book)
    assert [str(p) for p in exc.value.problems] == [
        "Evaluation!C2: cells C2:D2 are merged: only C2 holds 3, the other cells read as "
        "empty; unmerge them and give each vendor its own value",
        "Evaluation!E3: cells E3:E4 are merged: only E3 holds 2, the other cells read as "
        "empty; unmerge them and give each vendor its own value",
    ]


def test_a_heading_names_its_own_cell_when_its_category_is_not_listed() -> None:
    matrix: Rows = [
        ["Criterion", "Acme", "Bolt"],
        ["Commercial"],
        ["Price", 3, 4],
        ["Technical"],
        ["Fit", 2, 3],
        ["Speed", 2, 3],
    ]
    book = {"Evaluation": matrix, "Categories": [["Category", "Weight"], ["Commercial", 1]]}
    assert messages(book) == [
        'Evaluation!A4: category "Technical" for "Fit" is not listed in the Categories sheet',
        'Evaluation!A4: category "Technical" for "Speed" is not listed in the Categories sheet',
    ]


def test_values_and_scores_for_one_criterion_are_an_error() -> None:
    scores: Rows = [["Evaluator", "Vendor", "Criterion", "Score"], ["Ann", "Acme", "Price", 3]]
    book = {"Evaluation": [["Criterion", "Acme", "Bolt"], ["Price", 3, 4]], "Scores": scores}
    assert messages(book) == [
        'Evaluation!2 (Price): criterion "Price" has both values in "Evaluation" and rows in '
        "Scores; keep only one"
    ]


def test_a_criteria_file_gives_the_criteria_and_a_missing_row_is_named() -> None:
    crit = raw_book({"Criteria": [["Criterion", "Category", "Weight"], ["Price", "Cost", 1],
                                  ["Fit", "Capability", 1]]}, "criteria.csv", "csv")  # fmt: skip
    matrix = raw_book({"Vendors": [["Criterion", "Acme", "Bolt"], ["Price", 3, 4]]}, "m.csv", "csv")
    with pytest.raises(ValidationError) as exc:
        evaluation_from_book(matrix, crit)
    assert [(p.file, str(p)) for p in exc.value.problems] == [
        (
            "criteria.csv",
            'Criteria!A3 (Criterion): criterion "Fit" has no values in "Vendors" and no rows in '
            "Scores",
        )
    ]


# -- which sheet is the matrix --------------------------------------------------------------
MATRIX: Rows = [["Criteria", "Weight", "Acme"], ["Price", 1, 3]]


def test_a_vendors_sheet_wins_over_a_matrix_sheet_which_is_named_in_a_warning() -> None:
    book = {
        "Vendors": [["Vendor", "Price"], ["Acme", 1]],
        "Criteria": [["Criterion", "Category", "Weight"], ["Price", "Cost", 1]],
        "Evaluation": MATRIX,
    }
    ev = evaluation_from_book(raw_book(book))
    assert [(str(w), w.code) for w in ev.warnings] == [
        (
            "Evaluation!1: this sheet looks like an evaluation matrix (criteria as rows, vendors "
            "as columns) and is ignored: the workbook has a Vendors sheet, which is read",
            Code.MATRIX_LAYOUT,
        )
    ]


def test_two_matrix_sheets_without_a_vendors_sheet_are_an_error() -> None:
    book = {"Read me": [["Fill in"]], "Round 1": MATRIX, "Round 2": MATRIX}
    assert messages(book) == [
        'Round 2!1: this sheet looks like an evaluation matrix too, as does "Round 1", and '
        'which one to read cannot be told: delete one, or rename the one to read "Vendors"'
    ]


def test_a_vendors_sheet_laid_out_as_a_matrix_is_read_as_one() -> None:
    ev = evaluation_from_book(raw_book({"Vendors": MATRIX}))
    assert (ev.vendors, ev.criterion_names) == (["Acme"], ["Price"])
    assert ev.criterion("Price").category == GENERAL


# -- headings, numbering rows, limits -------------------------------------------------------
def test_headings_in_the_numbering_column_and_own_category_cells() -> None:
    matrix: Rows = [
        ["#", "Criterion", "Category", "Weight", "Acme", "Bolt"],
        ["A. Delivery"],  # a banner merged across the row holds its text in A
        [1, "Track record", None, 2, 4, 3],
        [2, "Staffing", "People", 1, 3, 5],  # its own Category wins over the heading
        [3],  # a numbered row not filled in: skipped
        ["B. Commercial", None],
        [4, "Price", None, 3, 900, 800],
    ]
    ev = evaluation_from_book(raw_book({"Evaluation": matrix}))
    assert [(c.name, c.category) for c in ev.criteria] == [
        ("Track record", "A. Delivery"),
        ("Staffing", "People"),
        ("Price", "B. Commercial"),
    ]
    assert ev.warnings == []


def test_criteria_above_the_first_heading_without_a_category_column_are_general() -> None:
    matrix: Rows = [
        ["Criterion", "Weight", "Acme", "Bolt"],
        ["Price", 1, 3, 4],
        ["Quality"],
        ["Fit", 1, 2, 3],
    ]
    ev = evaluation_from_book(raw_book({"Evaluation": matrix}))
    assert [(c.name, c.category) for c in ev.criteria] == [("Price", GENERAL), ("Fit", "Quality")]


def test_a_category_column_with_a_blank_cell_and_no_heading_is_the_usual_error() -> None:
    matrix: Rows = [
        ["Criterion", "Category", "Weight", "Acme", "Bolt"],
        ["Price", None, 1, 3, 4],
    ]
    assert messages({"Evaluation": matrix}) == [
        'Evaluation!B2 (Category): category is missing for "Price"'
    ]


def test_the_other_sheets_keep_their_own_cells() -> None:
    matrix: Rows = [["Criterion", "Category", "Weight", "Acme"], ["Price", "Cost", 1, 3]]
    book = {"Evaluation": matrix, "Categories": [["Category", "Weight"], ["Cost", -2]]}
    assert messages(book) == ['Categories!B2 (Weight): weight -2 is negative for "Cost"']


def test_more_criteria_rows_than_one_evaluation_holds_stop_before_anything_is_built() -> None:
    matrix: Rows = [["Criterion", "Weight", "Acme"], *([f"C{i}", 1, 1] for i in range(1_001))]
    with pytest.raises(ValidationError) as exc:
        evaluation_from_book(raw_book({"Evaluation": matrix}))
    assert [(p.code, p.location) for p in exc.value.problems] == [
        (Code.TOO_MANY_CRITERIA, "Evaluation")
    ]


def test_an_xlsx_upload_as_bytes_keeps_its_name_and_sha256(tmp_path: Path) -> None:
    path = xlsx(tmp_path / "m.xlsx", {"Evaluation": MATRIX})
    data = path.read_bytes()
    ev = load_evaluation(io.BytesIO(data), name="upload.xlsx")
    assert (ev.source_name, ev.source_sha256) == ("upload.xlsx", hashlib.sha256(data).hexdigest())


def test_the_template_instructions_show_the_three_shapes() -> None:
    from vendor_eval.workbook.template import write_template

    wb = openpyxl.load_workbook(io.BytesIO(write_template()))
    text = "\n".join(r[0] for r in wb["Instructions"].iter_rows(values_only=True) if r[0])
    for needle in (
        "Three ways to give your data",
        "(1) One row per vendor",
        "(2) An evaluation matrix",
        "Criterion | Weight | Acme IT | Globex Services, then a row Technical fit | 30% | 4 | 3",
        "section heading",
        "category General",
        "(3) One response file per vendor",
        "vendor-eval combine OUT.xlsx FILE…",
        "the one file that has a Criteria sheet",
    ):
        assert needle in text, needle
    # the example, typed in as a matrix, imports
    example = [
        ["Criterion", "Weight", "Acme IT", "Globex Services"],
        ["Technical fit", "30%", 4, 3],
    ]
    ev = evaluation_from_book(raw_book({"Sheet1": example}))
    assert score(ev).vendors == ["Acme IT", "Globex Services"]


def test_two_columns_for_one_criteria_column_are_an_error() -> None:
    matrix: Rows = [["Criterion", "Weighting", "Acme", "Bolt", "Weight"], ["Price", 1, 3, 4, 2]]
    assert messages({"Evaluation": matrix}) == [
        'Evaluation!E1: duplicate column "Weight": B1 and E1 are both the Weight column; '
        "rename or delete one"
    ]


def test_with_a_criteria_sheet_the_matrix_names_are_checked_here() -> None:
    criteria: Rows = [["Criterion", "Category", "Weight"], ["Price", "Cost", 1]]
    matrix: Rows = [["Criterion", "Acme", "Bolt"], ["Price", 3, 4], ["price", 5, 6], [None, 1, 2]]
    assert messages({"Evaluation": matrix, "Criteria": criteria}) == [
        'Evaluation!A3 (Criterion): duplicate criterion "price" (also in row 2)',
        "Evaluation!A4 (Criterion): criterion name is empty",
    ]


def test_a_total_cost_of_ownership_row_without_values_takes_the_costs() -> None:
    matrix: Rows = [
        ["Criterion", "Category", "Weight", "Scale", "Acme", "Bolt"],
        ["Technical fit", "Capability", 1, None, 4, 3],
        ["Total cost of ownership", "Cost", 1, "price", None, None],
    ]
    costs: Rows = [
        ["Vendor", "Item", "Amount", "Frequency"],
        ["Acme", "Licence", 1000, "monthly"],
        ["Bolt", "Licence", 900, "monthly"],
    ]
    twin: Rows = [["Vendor", "Technical fit"], ["Acme", 4], ["Bolt", 3]]
    ev = evaluation_from_book(raw_book({"Evaluation": matrix, "Costs": costs}))
    criteria = [[r[0], r[1], r[2], r[3]] for r in matrix]
    twin_book = {"Vendors": twin, "Criteria": criteria, "Costs": costs}
    assert_same(ev, evaluation_from_book(raw_book(twin_book)))
    assert ev.values["Total cost of ownership"].tolist() == [36_000, 32_400]


def test_a_matrix_of_headings_only_has_no_criteria() -> None:
    matrix: Rows = [["Criterion", "Weight", "Acme"], ["Capability"], ["Commercial"]]
    assert messages({"Evaluation": matrix}) == [
        "Evaluation!A1 (Criterion): no criteria: add one row per criterion below the header row"
    ]


# -- section headings, leading columns, vendor headers (review of Issue 15) ------------------
TWIN_TWO: Rows = [["Vendor", "Fit", "Price"], ["Acme", 3, 5], ["Globex", 4, 1]]
TWIN_TWO_CRITERIA: Rows = [
    ["Criterion", "Category", "Weight"],
    ["Fit", "Capability", 0.3],
    ["Price", "Commercial", 0.7],
]


def twin_two() -> Evaluation:
    return evaluation_from_book(raw_book({"Vendors": TWIN_TWO, "Criteria": TWIN_TWO_CRITERIA}))


@pytest.mark.parametrize(
    "matrix",
    [
        [
            ["Criterion", "Weight", "Acme", "Globex", "Notes"],
            ["Capability", None, None, None, "section A"],  # a note beside the heading
            ["Fit", "30%", 3, 4],
            ["Commercial"],
            ["Price", "70%", 5, 1],
        ],
        [
            ["#", "Criterion", "Max score", "Weight", "Acme", "Globex"],
            ["A", "Capability", 25],  # its maximum score: a note too
            ["1", "Fit", 5, "30%", 3, 4],
            ["B", "Commercial", 75],
            ["2", "Price", 5, "70%", 5, 1],
        ],
    ],
)
def test_a_heading_may_have_notes_beside_it(matrix: Rows) -> None:
    assert_same(evaluation_from_book(raw_book({"Evaluation": matrix})), twin_two())


def test_a_heading_with_a_weight_is_an_error_at_its_weight_cell() -> None:
    matrix: Rows = [
        ["Criterion", "Weight", "Acme", "Globex"],
        ["Capability", "60%"],
        ["Fit", "30%", 3, 4],
        ["Sec", "30%", 4, 2],
        ["Commercial", "40%"],
        ["Price", "40%", 5, 1],
    ]
    assert messages({"Evaluation": matrix}) == [
        f'Evaluation!B{r}: row {r} "{name}" has a weight but no values: a section\'s weight '
        "belongs in a Categories sheet (Category, Weight), its criteria's weights count "
        "within it"
        for r, name in [(2, "Capability"), (5, "Commercial")]
    ]


def test_a_row_with_a_weight_and_no_values_that_is_no_section_is_an_empty_criterion() -> None:
    last: Rows = [["Criterion", "Weight", "Acme", "Globex"], ["Fit", "30%", 3, 4], ["Sec", "30%"]]
    ev = evaluation_from_book(raw_book({"Evaluation": last}))
    assert ev.criterion_names == ["Fit", "Sec"]
    assert 'Evaluation!3 (Sec): no vendor has a value for "Sec": its row is empty' in [
        str(w) for w in ev.warnings
    ]
    # with a Scores sheet, its values may come from there
    scores: Rows = [["Evaluator", "Vendor", "Criterion", "Score"], ["Ann", "Acme", "Cap", 3]]
    fed: Rows = [["Criterion", "Weight", "Acme"], ["Cap", "60%"], ["Fit", "30%", 3]]
    ev = evaluation_from_book(raw_book({"Evaluation": fed, "Scores": scores}))
    assert ev.criterion_names == ["Cap", "Fit"]


def test_criteria_columns_and_notes_may_come_before_the_criterion_column() -> None:
    matrix: Rows = [
        ["Category", "Section", "Criterion", "Weight", "Acme", "Globex"],
        ["Capability", "1", "Fit", "30%", 3, 4],
        ["Commercial", "2", "Price", "70%", 5, 1],
    ]
    assert_same(evaluation_from_book(raw_book({"Evaluation": matrix})), twin_two())
    headings: Rows = [
        ["Category", "Criterion", "Weight", "Acme", "Globex"],
        ["Capability"],  # a heading in the Category column
        [None, "Fit", "30%", 3, 4],
        ["Commercial", "Price", "70%", 5, 1],
    ]
    assert_same(evaluation_from_book(raw_book({"Evaluation": headings})), twin_two())


def test_numbers_under_a_note_header_are_a_warning_naming_it() -> None:
    matrix: Rows = [
        ["#", "Criterion", "Weight", "Max score", "Acme", "Type", "Globex notes"],
        [1, "Fit", 1, 5, 3, 4, 2],
        [2, "Price", 1, 5, 5, "x", "cheap"],
    ]
    ev = evaluation_from_book(raw_book({"Evaluation": matrix}))
    assert ev.vendors == ["Acme"]
    assert [str(w) for w in ev.warnings if w.code == Code.MATRIX_COLUMN_IGNORED] == [
        f"Evaluation!{c}1: column {h} holds numbers, but its header reads as a note about the "
        "criterion, not a vendor: it is ignored (rename it if it is a vendor)"
        for c, h in [("F", '"Type"'), ("G", '"Globex notes"')]
    ]


def test_number_and_date_headers_are_vendor_names() -> None:

    bids: Rows = [
        ["Criterion", "Weight", 1, 2, 3],
        ["Fit", "30%", 3, 4, 5],
        ["Price", "70%", 5, 1, 2],
    ]
    ev = evaluation_from_book(raw_book({"Evaluation": bids}))
    assert ev.vendors == ["1", "2", "3"]
    dated: Rows = [["Criterion", dt.datetime(2024, 1, 1), "Globex"], ["Fit", 3, 4]]
    assert evaluation_from_book(raw_book({"Evaluation": dated})).vendors == ["2024-01-01", "Globex"]


def test_a_long_note_header_is_ignored_not_refused() -> None:
    long = "Please explain your score here: " + "x" * 250 + " comments"
    matrix: Rows = [["Criterion", "Acme", long], ["Fit", 3, "good"]]
    assert evaluation_from_book(raw_book({"Evaluation": matrix})).vendors == ["Acme"]
