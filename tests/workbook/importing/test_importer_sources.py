"""Importer: the default model, the Scores sheet, CSV input and a separate criteria file."""

from __future__ import annotations

import math

import pytest
from importer_helpers import edited, raw_book, sheets, where

from vendor_eval.core.model import Consensus, Scale
from vendor_eval.core.problems import ValidationError
from vendor_eval.workbook.defaults import DEFAULT_CATEGORIES, DEFAULT_CRITERIA
from vendor_eval.workbook.importing.load import evaluation_from_book
from vendor_eval.workbook.reading.rawbook import RawBook, RawSheet

V, C, S = "Vendors", "Criteria", "Scores"


def errors(book: RawBook, criteria_book: RawBook | None = None) -> list[tuple]:
    with pytest.raises(ValidationError) as exc:
        evaluation_from_book(book, criteria_book)
    return [where(p) for p in exc.value.problems]


# -- built-in default model ------------------------------------------------------------------
DEFAULT_ONLY = {
    V: [
        ["Vendor", "Website", "Hourly rate", "Client rating", " iso27001 ", "Notes"],
        ["Acme", "acme.example", "85", 4.5, "yes", "good"],
        ["Bolt", None, 70, "3", "no", None],
    ]
}


def test_default_model_applies_to_known_columns() -> None:
    ev = evaluation_from_book(raw_book(DEFAULT_ONLY))
    assert ev.default_model is True
    # default-model order, not column order; aliases resolved to canonical names
    assert ev.criterion_names == ["Client rating", "ISO 27001", "Blended hourly rate"]
    by_name = {c.name: c for c in DEFAULT_CRITERIA}
    assert ev.criteria == [by_name[n] for n in ev.criterion_names]
    assert [k.name for k in ev.categories] == ["Reputation", "Capability", "Cost"]
    assert ev.categories == [k for k in DEFAULT_CATEGORIES if k.name in ev.category_names]
    assert ev.values.loc["Acme"].tolist() == [4.5, 1.0, 85.0]
    assert ev.values.loc["Bolt"].tolist() == [3.0, 0.0, 70.0]
    assert list(ev.descriptive.columns) == ["Website", "Notes"]


def test_default_model_without_any_known_column_is_an_error() -> None:
    book = raw_book({V: [["Vendor", "Website", "Rate"], ["Acme", "a", 3]]})
    assert errors(book) == [
        (V, 1, None, None, "no criteria: add a Criteria sheet or use the template's column names")
    ]


def test_default_model_values_are_validated() -> None:
    book = raw_book({V: [["Vendor", "ISO 27001", "Client rating"], ["Acme", "perhaps", "great"]]})
    assert errors(book) == [
        (V, 2, "C", "Client rating", '"great" is not a number'),
        (V, 2, "B", "ISO 27001", '"perhaps" is not yes or no (use yes/no, y/n, true/false or 1/0)'),
    ] or sorted(errors(book)) == sorted(
        [
            (V, 2, "C", "Client rating", '"great" is not a number'),
            (
                V,
                2,
                "B",
                "ISO 27001",
                '"perhaps" is not yes or no (use yes/no, y/n, true/false or 1/0)',
            ),
        ]
    )


def test_two_columns_for_one_default_criterion() -> None:
    book = raw_book({V: [["Vendor", "Uptime", "SLA uptime"], ["Acme", 0.99, 0.995]]})
    assert errors(book) == [
        (
            V,
            1,
            "C",
            "SLA uptime",
            'this column is criterion "SLA uptime" again (also B1); keep one',
        )
    ]


# -- CSV and a separate criteria file --------------------------------------------------------
def csv_book(rows: list[list[object]], name: str = "vendors.csv") -> RawBook:
    return RawBook(name, "ab" * 32, "csv", [RawSheet("Vendors", rows)])


def test_csv_problems_name_the_file_and_the_vendors_sheet() -> None:
    book = csv_book([["Vendor", "Client rating"], ["Acme", "four"], ["acme", "3"]])
    with pytest.raises(ValidationError) as exc:
        evaluation_from_book(book)
    assert [(p.file, *where(p)) for p in exc.value.problems] == [
        ("vendors.csv", V, 3, "A", "Vendor", 'duplicate vendor name "acme" (also in row 2)'),
        ("vendors.csv", V, 2, "B", "Client rating", '"four" is not a number'),
    ]
    assert str(exc.value).startswith("vendors.csv: 2 problems found")


def test_csv_with_separate_criteria_file() -> None:
    book = csv_book([["Vendor", "Speed", "Safe"], ["Acme", "3", "yes"], ["Bolt", "5", "no"]])
    crit = RawBook(
        "criteria.csv",
        "",
        "csv",
        [
            RawSheet(
                "Criteria",
                [
                    ["Criterion", "Category", "Weight", "Must"],
                    ["Speed", "Delivery", "2", ""],
                    ["Safe", "Security", "1", "yes"],
                ],
            )
        ],
    )
    ev = evaluation_from_book(book, crit)
    assert ev.default_model is False
    assert ev.criterion_names == ["Speed", "Safe"]
    assert ev.criterion("Safe").scale is Scale.YESNO  # inferred from the yes/no values
    assert ev.values["Safe"].tolist() == [1.0, 0.0]
    assert ev.categories is None


def test_problems_in_the_criteria_file_name_that_file() -> None:
    book = csv_book([["Vendor", "Speed"], ["Acme", "3"]])
    crit = RawBook(
        "criteria.csv",
        "",
        "csv",
        [RawSheet("Criteria", [["Criterion", "Category", "Weight"], ["Speed", "D", "-1"]])],
    )
    with pytest.raises(ValidationError) as exc:
        evaluation_from_book(book, crit)
    assert [(p.file, *where(p)) for p in exc.value.problems] == [
        ("criteria.csv", C, 2, "C", "Weight", 'weight -1 is negative for "Speed"')
    ]


def test_criteria_file_and_criteria_sheet_together_is_an_error() -> None:
    crit = RawBook("c.csv", "", "csv", [RawSheet("Criteria", sheets()[C])])
    msgs = [e[4] for e in errors(raw_book(sheets()), crit)]
    assert msgs == [
        "vendors.xlsx has its own Criteria sheet; leave out the separate criteria file c.csv"
    ]


# -- Scores (multi-evaluator) ----------------------------------------------------------------
def scores_book(score_rows: list[list[object]]) -> dict:
    book = edited((C, "A6", "Fit"), (C, "B6", "Capability"), (C, "C6", 2), (C, "E6", "absolute"))
    book[C][5] += [1, 5]
    book[S] = [["Evaluator", "Vendor", "Criterion", "Score", "Comment"], *score_rows]
    return book


SCORES = [
    ["Ann", "Acme", "Fit", 4, "solid"],
    ["Bob", "Acme", "fit", "5", None],
    ["Cid", "acme", "Fit", 2, None],
    ["Ann", "Bolt", "Fit", 3, None],
    ["Bob", "Bolt", "Fit", None, "did not attend"],
]


@pytest.mark.parametrize(
    ("how", "acme"), [("mean", 11 / 3), ("median", 4.0), (Consensus.MEDIAN, 4.0)]
)
def test_scores_consensus(how: str, acme: float) -> None:
    ev = evaluation_from_book(raw_book(scores_book(SCORES)), consensus=how)
    fit = ev.criterion("Fit")
    assert fit.source == "scores" and fit.scale is Scale.ABSOLUTE
    assert ev.values.at["Acme", "Fit"] == pytest.approx(acme)
    assert ev.values.at["Bolt", "Fit"] == 3.0
    assert math.isnan(ev.values.at["Crane", "Fit"])
    assert ev.consensus is Consensus(str(how))
    assert list(ev.scores.columns) == ["Evaluator", "Vendor", "Criterion", "Score", "Comment"]
    assert ev.scores["Vendor"].tolist() == ["Acme", "Acme", "Acme", "Bolt", "Bolt"]
    assert ev.scores["Criterion"].tolist() == ["Fit"] * 5
    assert ev.scores["Score"].tolist()[:4] == [4.0, 5.0, 2.0, 3.0]
    assert math.isnan(ev.scores["Score"].iloc[4])
    assert ev.scores["Comment"].tolist() == ["solid", "", "", "", "did not attend"]
    assert [c.source for c in ev.criteria] == ["column"] * 4 + ["scores"]


SCORE_ERRORS = [
    (["Ann", "Zeta", "Fit", 4], (S, 3, "B", "Vendor", 'vendor "Zeta" is not in the Vendors sheet')),
    (
        ["Ann", "Acme", "Speed", 4],
        (S, 3, "C", "Criterion", 'criterion "Speed" is not in the Criteria sheet'),
    ),
    (["Ann", "Acme", "Fit", "good"], (S, 3, "D", "Score", '"good" is not a number')),
    ([None, "Acme", "Fit", 4], (S, 3, "A", "Evaluator", "evaluator is empty")),
    (
        ["Ann", "Acme", "Rating", 4],
        (
            V,
            1,
            "C",
            "Rating",
            'criterion "Rating" has both a Vendors column and rows in Scores; keep only one',
        ),
    ),
]


@pytest.mark.parametrize(
    ("row", "expected"), SCORE_ERRORS, ids=[e[1][4][:30] for e in SCORE_ERRORS]
)
def test_scores_errors(row: list, expected: tuple) -> None:
    assert expected in errors(raw_book(scores_book([["Bob", "Bolt", "Fit", 3], row])))


def test_duplicate_score() -> None:
    rows = [["Ann", "Acme", "Fit", 4], [" ann", "ACME", "fit ", 5]]
    assert errors(raw_book(scores_book(rows))) == [
        (S, 3, "C", "Criterion", 'duplicate score: "ann" already scored "Acme" on "Fit" in row 2')
    ]


def test_scores_missing_column() -> None:
    book = scores_book([])
    book[S] = [["Evaluator", "Vendor", "Score"], ["Ann", "Acme", 3]]
    assert (
        S,
        1,
        None,
        None,
        'missing column "Criterion" (headers found: Evaluator, Vendor, Score)',
    ) in errors(raw_book(book))


def test_score_outside_scale_is_a_warning_at_the_scores_cell() -> None:
    ev = evaluation_from_book(raw_book(scores_book([["Ann", "Acme", "Fit", 6]])))
    assert (S, 2, "D", "Score", "6 is outside the scale 1–5; it counts as 5") in [
        where(w) for w in ev.warnings
    ]


def test_criterion_nobody_scored_is_a_warning() -> None:
    ev = evaluation_from_book(raw_book(scores_book([["Ann", "Acme", "Fit", None]])))
    assert (S, None, None, None, 'no vendor has a value for "Fit": nobody scored it in Scores') in [
        where(w) for w in ev.warnings
    ]


def test_default_model_fed_by_scores() -> None:
    book = {
        V: [["Vendor", "Client rating"], ["Acme", 4], ["Bolt", 3]],
        S: [
            ["Evaluator", "Vendor", "Criterion", "Score"],
            ["Ann", "Acme", "technical fit", 4],
            ["Bob", "Acme", "Technical fit", 2],
            ["Bob", "Bolt", "Tech fit", 5],
        ],
    }
    ev = evaluation_from_book(raw_book(book))
    assert ev.criterion_names == ["Client rating", "Technical fit"]
    assert ev.criterion("Technical fit").source == "scores"
    assert ev.values["Technical fit"].tolist() == [3.0, 5.0]


def test_default_model_scores_named_by_alias_only() -> None:
    book = {
        V: [["Vendor", "Client rating"], ["Acme", 4], ["Bolt", 3]],
        S: [["Evaluator", "Vendor", "Criterion", "Score"], ["Ann", "Bolt", "Tech fit", 2]],
    }
    ev = evaluation_from_book(raw_book(book))
    assert ev.criterion("Technical fit").source == "scores"
    assert math.isnan(ev.values.at["Acme", "Technical fit"])
    assert ev.values.at["Bolt", "Technical fit"] == 2.0


def test_default_model_column_and_scores_for_same_criterion() -> None:
    book = {
        V: [["Vendor", "Tech fit"], ["Acme", 4]],
        S: [["Evaluator", "Vendor", "Criterion", "Score"], ["Ann", "Acme", "Technical fit", 2]],
    }
    assert errors(raw_book(book)) == [
        (
            V,
            1,
            "B",
            "Tech fit",
            'criterion "Technical fit" has both a Vendors column and rows in Scores; keep only one',
        )
    ]


def test_effective_weights_match_design_formula() -> None:
    from vendor_eval.core.model import Category, Criterion
    from vendor_eval.workbook.importing.checks import effective_weights

    crits = [Criterion("a", "X", 1), Criterion("b", "X", 3), Criterion("c", "Y", 2)]
    assert effective_weights(crits, None) == pytest.approx({"a": 1 / 6, "b": 0.5, "c": 1 / 3})
    cats = [Category("X", 1), Category("Y", 3), Category("Unused", 5)]
    assert effective_weights(crits, cats) == pytest.approx({"a": 0.0625, "b": 0.1875, "c": 0.75})


def test_no_vendor_column_is_not_followed_by_no_criteria() -> None:
    book = csv_book([["not a workbook"]])
    assert errors(book) == [
        (V, 1, None, None, 'no "Vendor" column (headers found: not a workbook)')
    ]
