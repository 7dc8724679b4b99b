"""Two sheets with one name (after the importer's normalisation) are an error naming both.

Excel refuses two sheets named ``Vendors`` and ``vendors`` but not `` VENDORS `` beside
``Vendors``; a file written by a script can hold anything. The importer used to read the
first silently, so the second one's values (a formula without a saved value, an error
value) were never checked.
"""

from __future__ import annotations

import pytest
from importer_helpers import BASE, raw_book, sheets

from vendor_eval.core.problems import Code, ValidationError
from vendor_eval.workbook.importing.load import evaluation_from_book
from vendor_eval.workbook.reading.rawbook import FormulaWithoutValue, RawBook, RawSheet


def _problems(book: RawBook, criteria: RawBook | None = None) -> list:
    with pytest.raises(ValidationError) as exc:
        evaluation_from_book(book, criteria)
    return exc.value.problems


def _with_second(name: str, of: str = "Vendors") -> RawBook:
    rb = raw_book(sheets())
    second = [list(r) for r in BASE[of]]
    second[2][1] = FormulaWithoutValue("=B2*2")  # never read when the first sheet is used
    rb.sheets.append(RawSheet(name, second))
    return rb


@pytest.mark.parametrize(
    ("second", "shown"),
    [
        (" VENDORS ", '" VENDORS "'),
        ("vendors", '"vendors"'),
        ("Vendors\u00a0", '"Vendors\\u00a0"'),  # a no-break space after the name
        ("Vend\u200bors", '"Vend\\u200bors"'),  # a zero-width space inside
        ("Vend\u00adors", '"Vend\\u00adors"'),  # a soft hyphen inside
        ("Ｖｅｎｄｏｒｓ", '"Ｖｅｎｄｏｒｓ"'),  # full-width letters
    ],
)
def test_a_second_sheet_with_the_same_name_is_an_error_naming_both(second: str, shown: str) -> None:
    problems = _problems(_with_second(second))
    dup = [p for p in problems if p.code == Code.DUPLICATE_SHEET]
    assert [(p.sheet, p.row, p.message) for p in dup] == [
        (
            second,
            None,
            f'two sheets are named "Vendors": "Vendors" and {shown}; rename or delete one '
            "(only one sheet may be the Vendors sheet)",
        )
    ]
    assert str(dup[0]).startswith(f"{second}: two sheets")


def test_each_known_sheet_is_checked_and_other_sheets_are_not() -> None:
    rb = _with_second("criteria ", of="Criteria")
    rb.sheets += [RawSheet("Notes", [["x"]]), RawSheet(" notes", [["y"]])]
    problems = _problems(rb)
    assert [(p.code, p.sheet) for p in problems] == [(Code.DUPLICATE_SHEET, "criteria ")]


def test_the_sheet_found_is_the_one_the_check_compares() -> None:
    """One normalisation: a sheet whose name differs only by what the name key ignores is
    found (it used to be missed: only case and surrounding spaces were ignored)."""
    rb = raw_book(sheets())
    for s, name in zip(
        rb.sheets, ("Ｖｅｎｄｏｒｓ", "Crit\u00aderia", "CATEGORIES\u200b"), strict=True
    ):
        s.name = name
    ev = evaluation_from_book(rb)
    assert ev.criterion_names == ["Years in business", "Rating", "ISO", "Price"]
    assert [c.name for c in ev.categories or []] == ["Reputation", "Capability", "Cost"]


def test_a_criteria_file_with_two_criteria_sheets_is_an_error() -> None:
    crit = RawBook(
        "criteria.xlsx",
        "",
        "xlsx",
        [RawSheet("Criteria", BASE["Criteria"]), RawSheet("CRITERIA ", BASE["Criteria"])],
    )
    problems = _problems(raw_book(sheets(Criteria=None, Categories=None)), crit)
    assert [(p.code, p.file, p.sheet) for p in problems] == [
        (Code.DUPLICATE_SHEET, "criteria.xlsx", "CRITERIA ")
    ]
