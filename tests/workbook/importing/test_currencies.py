"""Units in a criterion column: one currency symbol is the criterion's unit, several an
error; a column typed as percentages has the unit ``%``."""

from __future__ import annotations

import pytest
from importer_helpers import edited, raw_book, sheets, where

from vendor_eval.core.problems import Code, ValidationError
from vendor_eval.workbook.importing.load import evaluation_from_book

V, C = "Vendors", "Criteria"


def load(book: dict):
    return evaluation_from_book(raw_book(book))


def price_column(*values: object) -> dict:
    """The base workbook with Price (column E) holding ``values`` for vendor rows 2, 3, ..."""
    book = sheets()
    vendors = book[V]
    for i, v in enumerate(values):
        r = i + 1
        if r >= len(vendors):
            vendors.append([f"Vendor {r}", 10, 3, "yes", None, None])
        vendors[r][4] = v
    return book


def mixed(*values: object) -> list[tuple]:
    with pytest.raises(ValidationError) as exc:
        load(price_column(*values))
    return [(*where(p), p.code) for p in exc.value.problems]


@pytest.mark.parametrize(
    ("values", "listed"),
    [
        (("$95", "€88", "£70"), "$ (E2), € (E3), £ (E4)"),
        (("$95", "$90", "€88", "£70", "$1,200"), "$ (E2, E3, E6), € (E4), £ (E5)"),
        (("95 €", 88, "€88", "$70"), "€ (E2, E4), $ (E5)"),
        (("(£1,200)", "¥500", None), "£ (E2), ¥ (E3)"),
        (
            ("$1", "$2", "$3", "$4", "$5", "€6", "€7", "€8", "€9"),
            "$ (E2, E3, E4 and 2 more), € (E7, E8, E9 and 1 more)",
        ),
    ],
)
def test_different_currencies_in_one_column_are_an_error_naming_the_cells(
    values: tuple, listed: str
) -> None:
    message = f"mixed currencies {listed}: convert them to one currency"
    assert mixed(*values) == [(V, 1, "E", "Price", message, Code.MIXED_CURRENCIES)]


def test_the_error_reads_at_the_columns_header() -> None:
    with pytest.raises(ValidationError) as exc:
        load(price_column("$95", "€88", "£70"))
    assert str(exc.value.problems[0]) == (
        "Vendors!E1 (Price): mixed currencies $ (E2), € (E3), £ (E4): convert them to one currency"
    )


@pytest.mark.parametrize(
    ("values", "unit"),
    [
        (("$95", "$88", "$70"), "$"),
        ((1200, "950", "$1,500"), "$"),  # a bare number counts as the column's currency
        (("95 €", "€88", 70), "€"),
        (("£70", None, None), "£"),
    ],
)
def test_one_currency_throughout_is_the_criterions_unit(values: tuple, unit: str) -> None:
    ev = load(price_column(*values))
    assert ev.units == {"Price": unit}
    assert ev.warnings == []


def test_a_column_without_symbols_has_no_unit() -> None:
    ev = load(price_column(1200, "950", "1,500"))
    assert ev.units == {}


def test_the_default_model_records_the_unit_under_the_criterions_name() -> None:
    book = {V: [["Vendor", "Rate (USD/h)"], ["Acme", "$95"], ["Bolt", "$88"]]}
    ev = load(book)
    assert ev.units == {"Blended hourly rate": "$"}
    assert ev.values["Blended hourly rate"].tolist() == [95.0, 88.0]


def test_each_column_has_its_own_currency() -> None:
    book = edited((V, "B2", "€12"), (V, "B3", "€5"), (V, "B4", 20))  # Years in business in €
    ev = load(book)
    assert ev.units == {"Years in business": "€", "Price": "$"}


def test_a_column_that_is_not_a_criterion_may_mix_currencies() -> None:
    ev = load(edited((V, "G1", "Day rate"), (V, "G2", "$800"), (V, "G3", "€700")))
    assert ev.units == {"Price": "$"}
    assert [w.code for w in ev.warnings] == [Code.UNSCORED_COLUMN]


def test_mixed_currencies_are_reported_with_the_other_cell_errors() -> None:
    found = mixed("$95", "ten", "€70")
    assert found == [
        (V, 3, "E", "Price", '"ten" is not a number', Code.NOT_A_NUMBER),
        (
            V,
            1,
            "E",
            "Price",
            "mixed currencies $ (E2), € (E4): convert them to one currency",
            Code.MIXED_CURRENCIES,
        ),
    ]


def test_the_unit_survives_weight_edits() -> None:
    ev = load(price_column("$95", "$88", "$70"))
    edited_ev = ev.with_weights({"Price": 5.0})
    assert edited_ev.units == {"Price": "$"}


def uptime_book(*values: object) -> dict:
    """Vendors with an Uptime criterion (column B) holding ``values``."""
    vendors = [["Vendor", "Uptime"], *([f"Vendor {i}", v] for i, v in enumerate(values, 1))]
    criteria = [["Criterion", "Category", "Weight"], ["Uptime", "Service", 1]]
    return {V: vendors, C: criteria}


@pytest.mark.parametrize(
    ("values", "units", "fractions"),
    [
        (("12%", "99.9 %", "5%"), {"Uptime": "%"}, [0.12, 0.999, 0.05]),
        (("12%", None, " 5% "), {"Uptime": "%"}, [0.12, None, 0.05]),  # blanks do not count
        (("$95", "$88", 70), {"Uptime": "$"}, [95.0, 88.0, 70.0]),
        (("12%", 0.5, "5%"), {}, [0.12, 0.5, 0.05]),  # % and plain numbers: no unit
        (("12%", "0.5", "5%"), {}, [0.12, 0.5, 0.05]),
        ((0.12, 0.999, 0.05), {}, [0.12, 0.999, 0.05]),  # Excel's 12% format: a plain number
        ((12, "99", 5), {}, [12.0, 99.0, 5.0]),
    ],
)
def test_the_unit_of_a_column_typed_as_percentages_currency_or_plain_numbers(
    values: tuple, units: dict, fractions: list
) -> None:
    ev = load(uptime_book(*values))
    assert ev.units == units
    assert [w for w in ev.warnings if w.code != Code.INCOMPLETE_VENDOR] == []  # no error
    got = [None if x != x else x for x in ev.values["Uptime"].tolist()]
    assert got == pytest.approx(fractions)


def test_the_default_model_records_percent_under_the_criterions_name() -> None:
    book = {
        V: [["Vendor", "Uptime", "Rate (USD/h)"], ["Acme", "99.9%", "$95"], ["Bolt", "99.5%", 88]]
    }
    ev = load(book)
    assert ev.units == {"SLA uptime": "%", "Blended hourly rate": "$"}
    assert ev.values["SLA uptime"].tolist() == pytest.approx([0.999, 0.995])
