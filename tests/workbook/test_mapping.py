"""Column mapping (vendor_eval.workbook.mapping): the guesses, the weights they start from,
and a mapping applied equal to the same file with the equivalent Criteria sheet."""

from __future__ import annotations

import dataclasses

import pytest
from importer_helpers import raw_book

from vendor_eval.core.model import Direction, Formula, Scale
from vendor_eval.core.problems import Code, ValidationError
from vendor_eval.scoring.scorer import score
from vendor_eval.workbook.importing.load import evaluation_from_book
from vendor_eval.workbook.mapping import (
    MAPPING_SHEET,
    NEW_WEIGHT,
    OTHER,
    ColumnFacts,
    Mapping,
    apply_mapping,
    column_facts,
    guess,
    guess_mappings,
    guessed_weight,
    mapped_model,
    new_category_weight,
)

VENDORS = ["Acme", "Globex", "Initech"]
SHORTLIST = [
    ["Vendor", "Price per hour", "Setup fee", "Support hours", "Years active", "ISO certified",
     "Rating", "Website"],
    ["Acme", 95, 1000, 24, 12, "yes", 4, "acme.example"],
    ["Globex", 80, 2000, 12, 5, "no", 3, "globex.example"],
    ["Initech", 70, 1500, 8, 20, "yes", 5, None],
]  # fmt: skip


def facts(header: str, values: list[object]) -> ColumnFacts:
    rows = [["Vendor", header], *([v, x] for v, x in zip(VENDORS * 2, values, strict=False))]
    (found,) = column_facts(raw_book({"Vendors": rows}), [header])
    return found


#: header, values → scale, direction, category, ticked, formula, min, max
GUESSES = [
    ("Setup fee", [1000, 2000, 1500], Scale.PRICE, "lower", "Cost", True, Formula.RATIO, None),
    ("Day rate (EUR)", ["€500", "€650"], Scale.PRICE, "lower", "Cost", True, "ratio", None),
    ("Licence cost", [12000, 9000, 15000], Scale.PRICE, "lower", "Cost", True, "ratio", None),
    ("Success rate", ["90%", "80%", "70%"], Scale.RELATIVE, "higher", OTHER, False, None, None),
    ("Rate", [0.9, 0.8, 0.7], Scale.RELATIVE, "higher", OTHER, False, None, None),
    ("Discount cost", [-5, 10, 20], Scale.RELATIVE, "higher", OTHER, False, None, None),
    ("Years active", [12, 5, 20], Scale.RELATIVE, "higher", "Experience", True, None, None),
    ("Experience (yrs)", [3, 8, 15], Scale.RELATIVE, "higher", "Experience", True, None, None),
    ("Rating", [4, 3, 5], Scale.ABSOLUTE, "higher", OTHER, True, None, (1, 5)),
    ("Service quality (1-5)", [2, 3, 5], Scale.ABSOLUTE, "higher", OTHER, True, None, (1, 5)),
    ("Offices", [1, 3, 2], Scale.ABSOLUTE, "higher", OTHER, False, None, (1, 5)),
    ("ISO certified", ["yes", "no", "yes"], Scale.YESNO, "higher", "Capability", True, None, None),
    ("SOC 2", [True, False, True], Scale.YESNO, "higher", "Capability", True, None, None),
    ("Data breach (3 years)", ["no", "yes", "no"], Scale.YESNO, "lower", OTHER, True, None, None),
    ("Has a UK office", ["yes", "no", "no"], Scale.YESNO, "higher", OTHER, True, None, None),
    ("Support hours", [24, 12, 8], Scale.RELATIVE, "higher", OTHER, False, None, None),
    ("Innovation days", [40, 25, 60], Scale.RELATIVE, "higher", OTHER, False, None, None),
    ("Response time (days)", [2, 1, 3], Scale.RELATIVE, "lower", "Communication", True, None, None),
    ("Resolution hours", [8, 4, 12], Scale.RELATIVE, "lower", "Communication", True, None, None),
    ("Lead time (weeks)", [6, 4, 9], Scale.RELATIVE, "lower", OTHER, True, None, None),
    ("Time to onboard (days)", [30, 20, 45], Scale.RELATIVE, "lower", OTHER, True, None, None),
    ("Response rate (%)", ["90%", "95%"], Scale.RELATIVE, "higher", OTHER, False, None, None),
    ("Defect rate", [0.02, 0.05, 0.01], Scale.RELATIVE, "lower", OTHER, True, None, None),
]  # fmt: skip


@pytest.mark.parametrize(
    ("header", "values", "scale", "direction", "category", "ticked", "formula", "bounds"),
    GUESSES,
    ids=[g[0] for g in GUESSES],
)
def test_each_rule_guesses_as_documented(
    header, values, scale, direction, category, ticked, formula, bounds
):
    m = guess(facts(header, values))
    assert (m.column, m.scale, m.direction) == (header, scale, Direction(direction))
    assert (m.category, m.include) == (category, ticked)
    assert m.formula == (None if formula is None else Formula(formula))
    assert (m.min, m.max) == (bounds or (None, None))
    assert m.weight == NEW_WEIGHT  # nothing to take a median of
    assert m.reason


def test_a_column_whose_cells_do_not_read_is_offered_unticked_naming_the_cell():
    m = guess(facts("ISO certified", ["yes", "n/a", "no"]))
    assert (m.scale, m.include) == (Scale.YESNO, False)
    assert "1 cell not yes or no (first Vendors!B3)" in m.reason
    fee = guess(facts("Setup fee", [1000, "lots", 2000]))
    assert (fee.scale, fee.include) == (Scale.PRICE, False)
    assert "1 cell not a number (first Vendors!B3)" in fee.reason


def test_what_a_column_holds_is_said_for_the_table():
    assert facts("Support hours", [24, 12, 8]).holds == "numbers 8 to 24"
    assert facts("Flat", [3, 3, 3]).holds == "numbers, all 3"
    assert facts("ISO", ["yes", "no", "yes"]).holds == "yes/no"


def test_the_guesses_follow_the_shortlist_and_its_default_model():
    book = raw_book({"Vendors": SHORTLIST})
    base = evaluation_from_book(book)
    assert base.criterion_names == ["Blended hourly rate"]  # "Price per hour" is its alias
    got = guess_mappings(book, base)
    assert [m.column for m in got] == [
        "Setup fee", "Support hours", "Years active", "ISO certified", "Rating",
    ]  # fmt: skip
    assert [m.include for m in got] == [True, False, True, True, True]
    assert [m.category for m in got] == ["Cost", OTHER, "Experience", "Capability", OTHER]
    assert [m.weight for m in got] == [100.0] * 5  # the Cost criterion's; the median of all


def test_the_guessed_weight_is_the_median_of_the_category_then_of_all():
    book = raw_book({"Vendors": SHORTLIST})
    base = evaluation_from_book(book)
    ev = base.with_criteria(
        [
            *base.criteria,
            dataclasses.replace(base.criteria[0], name="A", category="Cost", weight=20.0),
            dataclasses.replace(base.criteria[0], name="B", category="Other", weight=7.0),
        ]
    )
    assert guessed_weight("cost", ev) == 60.0  # median of 100 and 20, category by name key
    assert guessed_weight("Other", ev) == 7.0
    assert guessed_weight("New", ev) == 20.0  # median of 100, 20, 7
    assert guessed_weight("New", None) == NEW_WEIGHT


def test_a_new_category_weighs_as_the_default_model_says_else_the_median():
    book = raw_book({"Vendors": SHORTLIST})
    cats = evaluation_from_book(book).categories
    assert [(k.name, k.weight) for k in cats] == [("Cost", 15.0)]
    assert new_category_weight("experience", cats) == 15.0
    assert new_category_weight("Capability", cats) == 25.0
    assert new_category_weight("Other", [*cats, dataclasses.replace(cats[0], weight=45.0)]) == 30
    assert new_category_weight("Other", []) == NEW_WEIGHT


def test_a_weights_row_gives_the_guessed_weight():
    rows = [*SHORTLIST, ["Weight", 3, 2, 1, 4, 5, 6, None]]
    book = raw_book({"Vendors": rows})
    base = evaluation_from_book(book)
    assert base.categories is None  # flat weights
    got = {m.column: m.weight for m in guess_mappings(book, base)}
    assert got == {"Setup fee": 2, "Support hours": 1, "Years active": 4, "ISO certified": 5,
                   "Rating": 6}  # fmt: skip
    _, categories = mapped_model(book, base, guess_mappings(book, base))
    assert categories is None
    mapped = apply_mapping(book, base, guess_mappings(book, base))
    assert mapped.categories is None
    assert {c.name: c.weight for c in mapped.criteria} == {
        "Price per hour": 3, "Setup fee": 2, "Years active": 4, "ISO certified": 5, "Rating": 6,
    }  # fmt: skip


# -- applied: the same as the equivalent Criteria sheet --------------------------------------
EQUIVALENT_CRITERIA = [
    ["Criterion", "Category", "Weight", "Direction", "Scale", "Formula", "Min", "Max", "Must"],
    ["Price per hour", "Cost", 100, "lower", "price", "ratio", None, None, None],
    ["Setup fee", "Cost", 100, "lower", "price", "ratio", None, None, None],
    ["Years active", "Experience", 100, "higher", "relative", None, None, None, None],
    ["ISO certified", "Capability", 100, "higher", "yes/no", None, None, None, None],
    ["Rating", "Other", 100, "higher", "absolute", None, 1, 5, None],
]
EQUIVALENT_CATEGORIES = [
    ["Category", "Weight"], ["Cost", 15], ["Experience", 15], ["Capability", 25], ["Other", 15],
]  # fmt: skip


def assert_same_ranking(got, expected) -> None:
    assert got.vendors == expected.vendors
    assert got.qualified == expected.qualified
    for v in expected.vendors:
        assert got.score(v) == pytest.approx(expected.score(v), abs=1e-9)


def test_the_guesses_applied_rank_as_the_equivalent_criteria_sheet():
    book = raw_book({"Vendors": SHORTLIST})
    base = evaluation_from_book(book)
    mapped = apply_mapping(book, base, guess_mappings(book, base))
    assert not mapped.default_model
    assert mapped.criterion_names == [r[0] for r in EQUIVALENT_CRITERIA[1:]]
    # the default criterion keeps its definition under the header it was found by
    price = mapped.criterion("Price per hour")
    assert price.is_price and price.description.startswith("Average price per hour")
    assert mapped.unscored_columns == ["Support hours"]
    assert list(mapped.descriptive.columns) == ["Support hours", "Website"]
    twin = raw_book(
        {"Vendors": SHORTLIST, "Criteria": EQUIVALENT_CRITERIA,
         "Categories": EQUIVALENT_CATEGORIES}
    )  # fmt: skip
    assert_same_ranking(score(mapped), score(evaluation_from_book(twin)))


def test_a_changed_row_is_what_is_scored():
    book = raw_book({"Vendors": SHORTLIST})
    base = evaluation_from_book(book)
    rows = guess_mappings(book, base)
    rows[1] = dataclasses.replace(rows[1], include=True, direction=Direction.LOWER, weight=50.0)
    mapped = apply_mapping(book, base, rows)
    support = mapped.criterion("Support hours")
    assert (support.category, support.direction, support.weight) == (OTHER, Direction.LOWER, 50)
    assert mapped.unscored_columns == []


def test_without_any_default_criterion_every_numeric_column_is_mapped():
    rows = [["Vendor", "Daily fee", "Years active", "Vendor ID", "Notes"],
            ["Acme", 900, 12, 1001, "fine"], ["Globex", 700, 5, 1002, "slow"]]  # fmt: skip
    book = raw_book({"Vendors": rows})
    with pytest.raises(ValidationError) as e:
        evaluation_from_book(book)
    assert [p.code for p in e.value.problems] == [Code.NO_CRITERIA]
    got = guess_mappings(book, None)
    assert [(m.column, m.category, m.weight) for m in got] == [
        ("Daily fee", "Cost", NEW_WEIGHT),
        ("Years active", "Experience", NEW_WEIGHT),
    ]  # fmt: skip  (an identifier column is not offered)
    mapped = apply_mapping(book, None, got)
    assert [(k.name, k.weight) for k in mapped.categories] == [("Cost", 15), ("Experience", 15)]
    assert score(mapped).leader == "Acme"  # 700/900 on price, 1 on years: 0.5·0.78 + 0.5 > 0.5


def test_problems_name_the_file_cell_or_the_table_row():
    rows = [list(r) for r in SHORTLIST]
    rows[2][5] = "n/a"  # Globex's ISO certified
    book = raw_book({"Vendors": rows})
    base = evaluation_from_book(book)
    got = [dataclasses.replace(m, include=True) for m in guess_mappings(book, base)]
    got[1] = dataclasses.replace(got[1], category=" ")
    got[4] = dataclasses.replace(got[4], min=5.0, max=1.0)
    with pytest.raises(ValidationError) as e:
        apply_mapping(book, base, got)
    shown = [str(p) for p in e.value.problems]
    assert shown == [
        f'{MAPPING_SHEET} (Support hours, Category): category is missing for "Support hours"',
        f'{MAPPING_SHEET} (Rating, Max): Min (5) must be less than Max (1) for "Rating"',
        'Vendors!F3 (ISO certified): "n/a" is not yes or no: leave the cell empty if it is '
        "unknown (an empty cell counts as missing)",
    ]
    assert {p.file for p in e.value.problems} == {"vendors.xlsx"}


def test_warnings_of_a_mapped_row_name_the_table():
    book = raw_book({"Vendors": SHORTLIST})
    base = evaluation_from_book(book)
    got = guess_mappings(book, base)
    got[0] = dataclasses.replace(got[0], formula=Formula.RATIO, max=5000.0)  # Max unused
    mapped = apply_mapping(book, base, got)
    assert not [w for w in mapped.warnings if w.sheet == "Criteria"]
    # a Max without the budget formula is not even written: nothing to warn about
    budget = dataclasses.replace(got[0], formula=Formula.BUDGET, max=5000.0)
    fee = apply_mapping(book, base, [budget, *got[1:]]).criterion("Setup fee")
    assert (fee.formula, fee.max) == (Formula.BUDGET, 5000.0)


def test_a_price_turned_higher_is_refused_at_its_direction():
    book = raw_book({"Vendors": SHORTLIST})
    base = evaluation_from_book(book)
    got = guess_mappings(book, base)
    got[0] = dataclasses.replace(got[0], direction=Direction.HIGHER)
    with pytest.raises(ValidationError) as e:
        apply_mapping(book, base, got)
    (p,) = e.value.problems
    assert p.location == f"{MAPPING_SHEET} (Setup fee, Direction)"
    assert p.code == Code.PRICE_DIRECTION


def test_the_cache_key_holds_what_is_scored_not_the_reason():
    m = Mapping("A", True, "Cost", Direction.LOWER, Scale.PRICE, 1.0, Formula.RATIO)
    assert m.key() == dataclasses.replace(m, reason="x", holds="y").key()
    assert m.key() != dataclasses.replace(m, weight=2.0).key()
    assert all(isinstance(v, str | bool | float | type(None)) for v in m.key())
