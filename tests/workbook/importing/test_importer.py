"""Importer: every validation rule with its exact sheet, cell, header and message."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest
from importer_helpers import edited, raw_book, sheets, where

from vendor_eval.core.model import Category, Consensus, Direction, MustRule, Scale
from vendor_eval.core.problems import ValidationError, VendorEvalError
from vendor_eval.workbook.importing.load import evaluation_from_book
from vendor_eval.workbook.reading.rawbook import FormulaWithoutValue

V, C, K, S = "Vendors", "Criteria", "Categories", "Scores"


def load(book: dict, **kwargs):
    return evaluation_from_book(raw_book(book), **kwargs)


def problems_of(book: dict) -> list:
    with pytest.raises(ValidationError) as exc:
        load(book)
    assert exc.value.file == "vendors.xlsx"
    assert all(p.file == "vendors.xlsx" and p.severity == "error" for p in exc.value.problems)
    return exc.value.problems


# -- the valid base workbook -----------------------------------------------------------------
def test_base_workbook_imports_exactly() -> None:
    ev = load(sheets())
    assert ev.vendors == ["Acme", "Bolt", "Crane"]
    assert ev.criterion_names == ["Years in business", "Rating", "ISO", "Price"]
    assert ev.values.loc["Acme"].tolist() == [12.0, 4.0, 1.0, 1200.0]
    assert ev.values.loc["Bolt"].tolist() == [5.0, 3.0, 0.0, 950.0]
    assert ev.values.loc["Crane"].tolist() == [20.0, 5.0, 1.0, 1500.0]
    assert ev.values.dtypes.eq(float).all()
    years, rating, iso, price = ev.criteria
    assert (years.category, years.weight, years.scale, years.direction) == (
        "Reputation",
        2.0,
        Scale.RELATIVE,
        Direction.HIGHER,
    )
    assert years.must == MustRule(">=", 3.0, ">= 3")
    assert (rating.scale, rating.min, rating.max, rating.must) == (Scale.ABSOLUTE, 1.0, 5.0, None)
    assert (iso.scale, iso.must) == (Scale.YESNO, MustRule("=", 1.0, "yes"))
    assert (price.direction, price.must) == (Direction.LOWER, MustRule("<=", 2000.0, "<= 2,000"))
    assert all(c.source == "column" for c in ev.criteria)
    assert ev.categories == [
        Category("Reputation", 50.0),
        Category("Capability", 30.0),
        Category("Cost", 20.0),
    ]
    assert list(ev.descriptive.columns) == ["Website"]
    assert ev.descriptive["Website"].tolist() == ["acme.example", None, "crane.example"]
    assert ev.warnings == []
    assert (ev.source_name, ev.source_sha256, ev.default_model) == (
        "vendors.xlsx",
        "0" * 64,
        False,
    )
    assert ev.scores is None and ev.consensus is Consensus.MEAN


def test_sheet_and_header_names_match_loosely_and_blank_rows_keep_row_numbers() -> None:
    book = sheets()
    book = {f"  {name.upper()} ": rows for name, rows in book.items()}
    vendors = book["  VENDORS "]
    vendors[0] = [f" {h.lower()}  " for h in vendors[0]]
    vendors.insert(0, [None, "  "])  # blank first row: the header row is row 2
    vendors.insert(3, [])  # blank row between vendors
    vendors[4][1] = "ten"  # Bolt, now Excel row 5
    probs = problems_of(book)
    assert [where(p) for p in probs] == [
        ("  VENDORS ", 5, "B", "years in business", '"ten" is not a number')
    ]
    assert str(probs[0]) == '  VENDORS !B5 (years in business): "ten" is not a number'


def test_title_rows_above_the_header_row_are_skipped_with_real_row_numbers() -> None:
    book = sheets()
    book[V] = [["Vendor shortlist - Q3"], [], ["Prepared by", "J. Doe", 2025], *book[V]]
    book[C] = [["Scoring model"], *book[C]]
    book[K] = [[None, "Weights agreed 1 March"], *book[K]]
    ev = load(book)
    assert ev.vendors == ["Acme", "Bolt", "Crane"]
    assert ev.values.loc["Bolt"].tolist() == [5.0, 3.0, 0.0, 950.0]
    assert [c.weight for c in ev.criteria] == [2.0, 3.0, 1.0, 1.0]
    assert [k.weight for k in ev.categories] == [50.0, 30.0, 20.0]
    assert list(ev.descriptive.columns) == ["Website"]
    assert ev.warnings == []
    book[V][5][1] = "ten"  # Bolt, Excel row 6 (header in row 4)
    book[C][2][2] = -1  # the weight of Years in business, Excel row 3 (header in row 2)
    assert [where(p) for p in problems_of(book)] == [
        (C, 3, "C", "Weight", 'weight -1 is negative for "Years in business"'),
        (V, 6, "B", "Years in business", '"ten" is not a number'),
    ]


def test_a_criterion_value_merged_over_several_vendors_is_an_error() -> None:
    rb = raw_book(edited((V, "C3", None), (V, "E3", None), (V, "F3", None), (V, "F2", "note")))
    vendors = rb.sheet(V)
    # C2:C3 (Rating) spreads Acme's 4 over Bolt; E3:E4 is empty; F2:F3 is descriptive text;
    # A5:B6 lies below the data
    vendors.merged = [(1, 2, 2, 2), (2, 4, 3, 4), (1, 5, 2, 5), (4, 0, 5, 1)]
    with pytest.raises(ValidationError) as exc:
        evaluation_from_book(rb)
    assert [where(p) for p in exc.value.problems] == [
        (
            V,
            2,
            "C",
            "Rating",
            "cells C2:C3 are merged: only C2 holds 4, the other rows read as empty; unmerge "
            "them and give each vendor its own value",
        )
    ]
    vendors.merged = vendors.merged[1:]
    assert math.isnan(evaluation_from_book(rb).values.at["Bolt", "Rating"])


def test_without_a_vendor_header_the_first_row_is_the_header_row() -> None:
    book = sheets()
    book[V] = [["Shortlist"], ["Name", "Years in business"], ["Acme", 3]]
    assert where(problems_of(book)[0]) == (
        V,
        1,
        None,
        None,
        'no "Vendor" column (headers found: Shortlist)',
    )


def test_empty_cells_are_missing_and_placeholder_names_are_vendors() -> None:
    book = edited(
        (V, "A2", "NA"),
        (V, "A3", " None "),
        (V, "A4", "null"),
        (V, "A5", "N/A"),
        (V, "B5", "  "),
        (V, "C5", None),
        (V, "D5", "n"),
        (V, "E5", 800),
    )
    ev = load(book)
    assert ev.vendors == ["NA", "None", "null", "N/A"]
    assert math.isnan(ev.values.at["N/A", "Years in business"])
    assert math.isnan(ev.values.at["N/A", "Rating"])
    assert ev.values.at["N/A", "ISO"] == 0.0


def test_numeric_text_parsed_as_excel_would() -> None:
    book = edited((V, "B2", " 4.5 "), (V, "E2", "1,200"), (V, "E3", "(950)"), (V, "B4", "1E1"))
    ev = load(book)
    assert ev.values.at["Acme", "Years in business"] == 4.5
    assert ev.values.at["Acme", "Price"] == 1200.0
    assert ev.values.at["Bolt", "Price"] == -950.0
    assert ev.values.at["Crane", "Years in business"] == 10.0


def test_percent_text_is_a_fraction() -> None:
    book = edited((V, "G1", "Uptime"), (V, "G2", "99.5%"), (V, "G3", 0.99), (V, "G4", "98 %"))
    book[C].append(["Uptime", "Cost", 1])
    ev = load(book)
    assert ev.values["Uptime"].tolist() == pytest.approx([0.995, 0.99, 0.98])


# -- every error rule: exact sheet, row, column letter, header and message -------------------
LONG = "x" * 201
ERRORS = [
    # Vendors
    ((V, "B3", "ten"), (V, 3, "B", "Years in business", '"ten" is not a number')),
    ((V, "A3", "Acme "), (V, 3, "A", "Vendor", 'duplicate vendor name "Acme" (also in row 2)')),
    (
        (V, "A4", "ac\u200bme"),
        (V, 4, "A", "Vendor", 'duplicate vendor name "ac\\u200bme" (also in row 2)'),
    ),
    (
        (V, "A4", "\ufeffACME"),
        (V, 4, "A", "Vendor", 'duplicate vendor name "\\ufeffACME" (also in row 2)'),
    ),
    ((V, "A3", None), (V, 3, "A", "Vendor", "vendor name is empty")),
    ((V, "A3", "\u200b "), (V, 3, "A", "Vendor", "vendor name is empty")),
    (
        (V, "A3", LONG),
        (V, 3, "A", "Vendor", f'text is too long (201 characters; at most 200): "{"x" * 39}…"'),
    ),
    (
        (V, "A3", "Bo\x01lt"),
        (V, 3, "A", "Vendor", '"Bo\\x01lt" contains the control character U+0001; remove it'),
    ),
    ((V, "A3", "Bo\nlt"), (V, 3, "A", "Vendor", '"Bo\\x0alt" contains a line break; remove it')),
    (
        (V, "F3", "note\x1b[31m"),
        (
            V,
            3,
            "F",
            "Website",
            '"note\\x1b[31m" contains the control character U+001B; remove it',
        ),
    ),
    (
        (V, "D3", "maybe"),
        (V, 3, "D", "ISO", '"maybe" is not yes or no (use yes/no, y/n, true/false or 1/0)'),
    ),
    (
        (V, "C3", dt.datetime(2024, 3, 1)),
        (V, 3, "C", "Rating", "2024-03-01 is a date, not a number"),
    ),
    (
        (V, "B2", FormulaWithoutValue("=SUM(B3:B4)")),
        (
            V,
            2,
            "B",
            "Years in business",
            "formula =SUM(B3:B4) has no saved result: open the file in Excel and save it again",
        ),
    ),
    (
        (V, "F2", FormulaWithoutValue("=HYPERLINK(A1)")),
        (
            V,
            2,
            "F",
            "Website",
            "formula =HYPERLINK(A1) has no saved result: open the file in Excel and save it again",
        ),
    ),
    (
        (V, "E3", "#DIV/0!"),
        (
            V,
            3,
            "E",
            "Price",
            "#DIV/0! is an Excel error value, not a number: fix the formula or clear the cell",
        ),
    ),
    (
        (V, "E3", "inf"),
        (V, 3, "E", "Price", '"inf" is not a number (infinities and NaN are not allowed)'),
    ),
    ((V, "E3", True), (V, 3, "E", "Price", "TRUE is a yes/no value, not a number")),
    (
        (V, "A1", "Name"),
        (
            V,
            1,
            None,
            None,
            'no "Vendor" column (headers found: Name, Years in business, Rating, ISO, Price, '
            "Website)",
        ),
    ),
    (
        (V, "G1", "price"),
        (
            V,
            1,
            "G",
            "price",
            'duplicate column "price": E1 and G1 have the same header; rename or delete one',
        ),
    ),
    (
        (V, "G1", " WEBSITE "),
        (
            V,
            1,
            "G",
            "WEBSITE",
            'duplicate column "WEBSITE": F1 and G1 have the same header; rename or delete one',
        ),
    ),
    # Criteria
    (
        (C, "A5", "Cost"),
        (C, 5, "A", "Criterion", 'criterion "Cost" has no column in Vendors and no rows in Scores'),
    ),
    (
        (C, "A3", " years IN business"),
        (C, 3, "A", "Criterion", 'duplicate criterion "years IN business" (also in row 2)'),
    ),
    ((C, "A2", None), (C, 2, "A", "Criterion", "criterion name is empty")),
    (
        (C, "A2", "Vendor"),
        (C, 2, "A", "Criterion", '"Vendor" is the vendor-name column, not a criterion'),
    ),
    ((C, "B3", None), (C, 3, "B", "Category", 'category is missing for "Rating"')),
    (
        (C, "B5", "Pricing"),
        (
            C,
            5,
            "B",
            "Category",
            'category "Pricing" for "Price" is not listed in the Categories sheet',
        ),
    ),
    ((C, "C2", -1), (C, 2, "C", "Weight", 'weight -1 is negative for "Years in business"')),
    ((C, "C2", "-0.5"), (C, 2, "C", "Weight", 'weight -0.5 is negative for "Years in business"')),
    (
        (C, "C2", None),
        (C, 2, "C", "Weight", 'weight is missing for "Years in business" (use 0 to ignore it)'),
    ),
    ((C, "C2", "two"), (C, 2, "C", "Weight", '"two" is not a number for "Years in business"')),
    (
        (C, "D5", "sideways"),
        (C, 5, "D", "Direction", '"sideways" is not a direction for "Price": use higher or lower'),
    ),
    (
        (C, "E3", "logarithmic"),
        (
            C,
            3,
            "E",
            "Scale",
            '"logarithmic" is not a scale for "Rating": use relative, absolute, yes/no or price',
        ),
    ),
    (
        (C, "F3", None),
        (
            C,
            3,
            "E",
            "Scale",
            'absolute scale needs Min and Max for "Rating" (e.g. 1 and 5 for a 1–5 rating)',
        ),
    ),
    ((C, "F3", 5), (C, 3, "G", "Max", 'Min (5) must be less than Max (5) for "Rating"')),
    ((C, "F3", "x"), (C, 3, "F", "Min", '"x" is not a number for "Rating"')),
    (
        (C, "H2", "about 3"),
        (
            C,
            2,
            "H",
            "Must",
            '"about 3" is not a rule for "Years in business": use >= 3, > 0, <= 50000, < 10, '
            "= 1, or yes/no for a yes/no criterion",
        ),
    ),
    (
        (C, "H2", "3"),
        (C, 2, "H", "Must", '"3" has no comparison for "Years in business": write e.g. ">= 3"'),
    ),
    (
        (C, "H5", "yes"),
        (C, 5, "H", "Must", '"yes" is a yes/no rule for "Price", but the Scale is relative'),
    ),
    (
        (C, "C1", "Importance"),
        (
            C,
            1,
            None,
            None,
            'no "Weight" column (headers found: Criterion, Category, Importance, Direction, '
            "Scale, Min, Max, Must)",
        ),
    ),
    # Categories
    ((K, "B3", -5), (K, 3, "B", "Weight", 'weight -5 is negative for "Capability"')),
    (
        (K, "A4", "reputation"),
        (K, 4, "A", "Category", 'duplicate category "reputation" (also in row 2)'),
    ),
]


@pytest.mark.parametrize(("edit", "expected"), ERRORS, ids=[e[1][4][:40] for e in ERRORS])
def test_each_rule_names_sheet_cell_header_and_message(edit: tuple, expected: tuple) -> None:
    probs = problems_of(edited(edit))
    assert expected in [where(p) for p in probs]


def test_formula_in_criteria_weight_is_reported() -> None:
    probs = problems_of(edited((C, "C4", FormulaWithoutValue("=1/3"))))
    assert [where(p) for p in probs] == [
        (
            C,
            4,
            "C",
            "Weight",
            'formula =1/3 has no saved result for "ISO": open the file in Excel and save it again',
        )
    ]


def test_missing_vendors_sheet() -> None:
    probs = problems_of(sheets(Vendors=None))
    assert where(probs[0]) == (
        None,
        None,
        None,
        None,
        'no "Vendors" sheet (sheets found: "Criteria", "Categories")',
    )
    assert str(probs[0]) == 'no "Vendors" sheet (sheets found: "Criteria", "Categories")'


def test_a_lone_sheet_with_another_name_is_the_vendors_sheet() -> None:
    book = {"Sheet1": sheets()[V]}  # e.g. a CSV converted to .xlsx: one sheet named "s"
    ev = load(book)
    assert ev.vendors == ["Acme", "Bolt", "Crane"]
    assert ev.default_model is True
    book["Sheet1"][2][0] = None
    assert [where(p) for p in problems_of(book)] == [
        ("Sheet1", 3, "A", "Vendor", "vendor name is empty")
    ]
    # with two sheets, or one that is another known sheet, "Vendors" is still required
    for other in ({"Sheet1": sheets()[V], "Sheet2": [["x"]]}, {"scores": sheets()[V]}):
        assert problems_of(other)[0].message.startswith('no "Vendors" sheet')


def test_no_vendors() -> None:
    probs = problems_of(sheets(Vendors=[BASE_HEADER(), [None] * 6, []]))
    assert [where(p) for p in probs] == [
        (V, 1, "A", "Vendor", "no vendors: add one row per vendor below the header row")
    ]


def BASE_HEADER() -> list[object]:
    return list(sheets()[V][0])


def test_empty_vendors_sheet() -> None:
    probs = problems_of(sheets(Vendors=[[None, "  "], []]))
    assert [where(p) for p in probs] == [
        (
            V,
            None,
            None,
            None,
            "the sheet is empty: the first row should hold the headers (Vendor, …)",
        )
    ]


def test_criteria_sheet_with_headers_only_is_an_error() -> None:
    probs = problems_of(sheets(Criteria=[sheets()[C][0], [None]], Categories=None))
    assert [where(p) for p in probs] == [
        (C, 1, "A", "Criterion", "no criteria: add one row per criterion below the header row")
    ]


def test_a_scores_row_without_criterion_does_not_feed_unnamed_criteria() -> None:
    # found by Hypothesis: two unreadable criterion names and a Scores row without criterion
    book = {
        V: [["Vendor"], ["Acme"], ["Bolt"]],
        C: [["Criterion", "Category", "Weight"], ["0\x1f0", "Cost", 1], [None, "Cost", 1]],
        S: [["Evaluator", "Vendor", "Criterion", "Score"], ["Ann"]],
    }
    assert [where(p) for p in problems_of(book)] == [
        (C, 2, "A", "Criterion", '"0\\x1f0" contains the control character U+001F; remove it'),
        (C, 3, "A", "Criterion", "criterion name is empty"),
        (S, 2, "B", "Vendor", "vendor is empty"),
    ]


def test_all_category_weights_zero() -> None:
    probs = problems_of(edited((K, "B2", 0), (K, "B3", "0"), (K, "B4", 0.0)))
    assert [where(p) for p in probs] == [
        (
            K,
            None,
            "B",
            "Weight",
            "all category weights are zero: give at least one category a weight above 0",
        )
    ]


def test_category_whose_criteria_all_weigh_zero() -> None:
    probs = problems_of(edited((C, "C2", 0), (C, "C3", 0)))
    assert [where(p) for p in probs] == [
        (K, 2, "B", "Weight", 'category "Reputation" has weight 50 but all its criteria weigh 0')
    ]


def test_category_with_zero_weight_may_have_zero_criteria() -> None:
    ev = load(edited((C, "C2", 0), (C, "C3", 0), (K, "B2", 0)))
    assert [c.weight for c in ev.criteria] == [0.0, 0.0, 1.0, 1.0]


def test_all_criterion_weights_zero_without_categories() -> None:
    book = edited((C, "C2", 0), (C, "C3", 0), (C, "C4", "0"), (C, "C5", 0), Categories=None)
    probs = problems_of(book)
    assert [where(p) for p in probs] == [
        (
            C,
            None,
            "C",
            "Weight",
            "all criterion weights are zero: give at least one a weight above 0",
        )
    ]


def test_every_problem_is_collected_across_sheets() -> None:
    book = edited(
        (V, "B2", "ten"),
        (V, "A4", "acme"),
        (V, "D3", "perhaps"),
        (C, "D5", "down"),
        (C, "H2", "at least 3"),
        (K, "B3", -1),
    )
    cells = [(p.sheet, p.cell) for p in problems_of(book)]
    assert sorted(cells) == sorted(
        [(V, "B2"), (V, "A4"), (V, "D3"), (C, "D5"), (C, "H2"), (K, "B3")]
    )


def test_validation_error_text_lists_every_problem() -> None:
    with pytest.raises(ValidationError) as exc:
        load(edited((V, "B3", "ten"), (C, "C2", -1)))
    assert str(exc.value) == (
        "vendors.xlsx: 2 problems found\n"
        '  Criteria!C2 (Weight): weight -1 is negative for "Years in business"\n'
        '  Vendors!B3 (Years in business): "ten" is not a number'
    ) or str(exc.value) == (
        "vendors.xlsx: 2 problems found\n"
        '  Vendors!B3 (Years in business): "ten" is not a number\n'
        '  Criteria!C2 (Weight): weight -1 is negative for "Years in business"'
    )
    frame = exc.value.to_frame()
    assert set(frame["cell"]) == {"B3", "C2"}


def test_unknown_consensus_is_a_plain_error() -> None:
    with pytest.raises(VendorEvalError, match="consensus: 'mode' is not one of 'mean', 'median'"):
        load(sheets(), consensus="mode")


# -- Criteria details ----------------------------------------------------------------------
def test_scale_defaults_relative_for_numbers_and_yes_no_for_yes_no_words() -> None:
    book = edited((C, "E4", None), (C, "H4", None))  # ISO: blank scale, values yes/no/TRUE
    ev = load(book)
    assert ev.criterion("ISO").scale is Scale.YESNO
    assert ev.criterion("Years in business").scale is Scale.RELATIVE
    assert ev.values["ISO"].tolist() == [1.0, 0.0, 1.0]


def test_direction_and_scale_aliases() -> None:
    book = edited((C, "D5", " Lower is better "), (C, "E4", "Boolean"), (C, "D2", "MAX"))
    ev = load(book)
    assert ev.criterion("Price").direction is Direction.LOWER
    assert ev.criterion("Years in business").direction is Direction.HIGHER
    assert ev.criterion("ISO").scale is Scale.YESNO


def test_must_accepts_unicode_operators_and_percent() -> None:
    book = edited((C, "H2", "≥ 3"), (C, "H5", "=< 1,500.5"), (C, "H4", "= YES"))
    ev = load(book)
    assert ev.criterion("Years in business").must == MustRule(">=", 3.0, "≥ 3")
    assert ev.criterion("Price").must == MustRule("<=", 1500.5, "=< 1,500.5")
    assert ev.criterion("ISO").must == MustRule("=", 1.0, "= YES")


def test_description_and_category_spelling_follow_categories_sheet() -> None:
    book = edited(
        (C, "I1", "Description"), (C, "I2", "How long\nthey have traded"), (C, "B3", " REPUTATION ")
    )
    ev = load(book)
    assert ev.criterion("Years in business").description == "How long\nthey have traded"
    assert ev.criterion("Rating").category == "Reputation"
    assert ev.category_names == ["Reputation", "Capability", "Cost"]


def test_without_categories_sheet_categories_are_none_and_spelling_unified() -> None:
    ev = load(edited((C, "B3", "reputation"), Categories=None))
    assert ev.categories is None
    assert [c.category for c in ev.criteria] == ["Reputation", "Reputation", "Capability", "Cost"]


# -- warnings --------------------------------------------------------------------------------
WARNINGS = [
    ((V, "C3", 7), (V, 3, "C", "Rating", "7 is outside the scale 1–5; it counts as 5")),
    ((V, "C3", "0.5"), (V, 3, "C", "Rating", "0.5 is outside the scale 1–5; it counts as 1")),
    (
        [(K, "A5", "Extra"), (K, "B5", 10)],
        (K, 5, "A", "Category", 'category "Extra" has no criteria; it is ignored'),
    ),
    (
        (C, "F2", 0),
        (
            C,
            2,
            "F",
            "Min",
            'Min and Max for "Years in business" are used only with Scale absolute (this one '
            "is relative); they are ignored",
        ),
    ),
    (
        (V, "H3", "stray"),
        (V, 3, "H", None, "this column has data but no header; it is ignored"),
    ),
]


@pytest.mark.parametrize(("edit", "expected"), WARNINGS, ids=[w[1][4][:30] for w in WARNINGS])
def test_warnings_do_not_stop_scoring(edit: tuple, expected: tuple) -> None:
    ev = load(edited(*(edit if isinstance(edit, list) else [edit])))
    assert [where(w) for w in ev.warnings] == [expected]
    assert all(w.severity == "warning" for w in ev.warnings)


def test_out_of_scale_value_is_kept_raw() -> None:
    ev = load(edited((V, "C3", 7)))
    assert ev.values.at["Bolt", "Rating"] == 7.0


def test_low_completeness_warning_uses_effective_weights() -> None:
    # Effective weights: Years 0.5·2/5 = 0.2, Rating 0.3, ISO 0.3, Price 0.2.
    exactly_half = load(edited((V, "B3", None), (V, "C3", None)))  # 0.2 + 0.3 = 0.5
    assert exactly_half.warnings == []
    ev = load(edited((V, "B3", None), (V, "C3", None), (V, "E3", " ")))  # 0.7 missing
    assert [where(w) for w in ev.warnings] == [
        (
            V,
            3,
            "A",
            "Vendor",
            '"Bolt" has no value for 70% of the weight (Years in business, Rating, Price)',
        )
    ]


def test_criterion_nobody_answered() -> None:
    ev = load(edited((V, "E2", None), (V, "E3", None), (V, "E4", None)))
    assert (V, 1, "E", "Price", 'no vendor has a value for "Price": its column is empty') in [
        where(w) for w in ev.warnings
    ]


# -- descriptive columns -------------------------------------------------------------------
def test_descriptive_columns_keep_headers_and_values_as_read() -> None:
    when = dt.datetime(2024, 5, 1)
    book = edited((V, "G1", " Contact "), (V, "G2", 42), (V, "G3", when), (V, "G4", "Jo\tDoe"))
    ev = load(book)
    assert list(ev.descriptive.columns) == ["Website", "Contact"]
    assert ev.descriptive["Contact"].tolist() == [42, when, "Jo\tDoe"]
    assert ev.descriptive.index.tolist() == ev.vendors
    assert ev.descriptive["Contact"].dtype == object


def test_long_descriptive_text_is_reported() -> None:
    probs = problems_of(edited((V, "F2", "n" * 32_768)))
    assert probs[0].cell == "F2"
    assert probs[0].message.startswith("text is too long (32,768 characters; at most 32,767)")


def test_values_frame_shape_and_index() -> None:
    ev = load(sheets())
    assert isinstance(ev.values, pd.DataFrame)
    assert ev.values.index.tolist() == ["Acme", "Bolt", "Crane"]
    assert ev.values.columns.tolist() == ev.criterion_names


def test_numbers_too_large_to_score_are_refused_rather_than_scored_as_nan() -> None:
    # 1e308 and -1e308 are finite, but hi - lo overflows to infinity in the normalisation
    # and the top vendor's score came out NaN (ranked last); beyond ±1e100 is refused.
    book = edited((V, "E2", 1e308), (V, "E3", "-1e308"), (V, "E4", 1e100))
    assert [where(p) for p in problems_of(book)] == [
        (V, 2, "E", "Price", "1e+308 is too large"),
        (V, 3, "E", "Price", '"-1e308" is too large'),
    ]
    from vendor_eval.scoring.scorer import score

    ev = load(edited((V, "E2", -1e100), (V, "E3", 1e100), (V, "E4", 0)))
    scores = score(ev).table["score"]
    assert not scores.isna().any()
