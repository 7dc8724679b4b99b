"""Cell-value parsing: numbers, yes/no, text, Must rules, exactly as documented."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from vendor_eval.core.model import MustRule, Scale
from vendor_eval.workbook.importing.cells import (
    is_blank,
    parse_must,
    parse_number,
    parse_value,
    parse_yes_no,
)
from vendor_eval.workbook.importing.messages import CellError, column_letter, show
from vendor_eval.workbook.importing.text import parse_text
from vendor_eval.workbook.reading.rawbook import FormulaWithoutValue
from vendor_eval.workbook.schema import name_key

LEAVE_EMPTY = "leave the cell empty if it is unknown (an empty cell counts as missing)"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (3, 3.0),
        (4.25, 4.25),
        ("1,200", 1200.0),
        (" 4.5 ", 4.5),
        ("85%", 0.85),
        ("8.5 %", 0.085),
        ("-3", -3.0),
        ("\u22123", -3.0),  # Unicode minus
        ("+7", 7.0),
        ("(1,200)", -1200.0),
        ("$1,200", 1200.0),
        ("-$1,200.50", -1200.5),
        ("€95", 95.0),
        ("95 €", 95.0),
        ("£1,234,567.5", 1234567.5),
        ("1E3", 1000.0),
        ("2.5e-2", 0.025),
        (".5", 0.5),
        ("5.", 5.0),
        ("\u00a012\u00a0", 12.0),  # no-break spaces pasted from the web
        ("1\u200b0", 10.0),  # zero-width space inside
        ("1\u00a0200", 1200.0),  # no-break space between thousands (French/Excel)
        ("1\u202f950", 1950.0),  # narrow no-break space
        ("1\u2009500", 1500.0),  # thin space
        ("1 200 000.5", 1200000.5),
        ("$1 200", 1200.0),
        ("1\u00a0200 €", 1200.0),
        ("(1 200)", -1200.0),
        ("50 000", 50000.0),
    ],
)
def test_parse_number_accepts_excel_spellings(raw: object, expected: float) -> None:
    assert parse_number(raw) == pytest.approx(expected, rel=1e-15)


@pytest.mark.parametrize("raw", [None, "", "   ", "\u200b", " \t "])
def test_blank_is_missing(raw: object) -> None:
    assert is_blank(raw)
    assert math.isnan(parse_number(raw))
    assert math.isnan(parse_yes_no(raw))
    assert parse_text(raw) == ""


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("ten", '"ten" is not a number'),
        ("4,5", '"4,5" is not a number: use a decimal point, e.g. 4.5'),
        ("1.200,50", '"1.200,50" is not a number: use a decimal point, e.g. 1200.50'),
        ("1,20,0", '"1,20,0" is not a number'),
        ("12 34", '"12 34" is not a number'),  # not groups of three: two numbers?
        ("1.200,50 €", '"1.200,50 €" is not a number: use a decimal point, e.g. 1200.50'),
        ("1\u00a0200,5", '"1\u00a0200,5" is not a number: use a decimal point, e.g. 1200.5'),
        ("4,5 %", '"4,5 %" is not a number: use a decimal point, e.g. 4.5'),
        ("N/A", f'"N/A" is not a number: {LEAVE_EMPTY}'),
        ("n/a", f'"n/a" is not a number: {LEAVE_EMPTY}'),
        (" - ", f'"-" is not a number: {LEAVE_EMPTY}'),
        ("\u2014", f'"\u2014" is not a number: {LEAVE_EMPTY}'),
        ("TBD", f'"TBD" is not a number: {LEAVE_EMPTY}'),
        ("Unknown", f'"Unknown" is not a number: {LEAVE_EMPTY}'),
        ("12 apples", '"12 apples" is not a number'),
        ("nan", '"nan" is not a number (infinities and NaN are not allowed)'),
        ("-inf", '"-inf" is not a number (infinities and NaN are not allowed)'),
        ("Infinity", '"Infinity" is not a number (infinities and NaN are not allowed)'),
        ("1e400", '"1e400" is too large'),
        (float("nan"), "NaN is not a number (NaN is not allowed)"),
        (float("inf"), "inf is not a finite number"),
        (10**400, None),
        (
            "#DIV/0!",
            "#DIV/0! is an Excel error value, not a number: fix the formula or clear the cell",
        ),
        ("#N/A", "#N/A is an Excel error value, not a number: fix the formula or clear the cell"),
        (
            "#value!",
            "#VALUE! is an Excel error value, not a number: fix the formula or clear the cell",
        ),
        (True, "TRUE is a yes/no value, not a number"),
        (dt.datetime(2024, 3, 1), "2024-03-01 is a date, not a number"),
        (dt.datetime(2024, 3, 1, 9, 30), "2024-03-01 09:30:00 is a date, not a number"),
        (dt.date(2024, 3, 1), "2024-03-01 is a date, not a number"),
        (dt.time(9, 30), "09:30:00 is a time, not a number"),
        (
            FormulaWithoutValue("=SUM(B2:B9)"),
            "formula =SUM(B2:B9) has no saved result: open the file in Excel and save it again",
        ),
        (
            FormulaWithoutValue("A1*2"),
            "formula =A1*2 has no saved result: open the file in Excel and save it again",
        ),
        ("--3", '"--3" is not a number'),
        ("-(3)", '"-(3)" is not a number'),
        ("$3$", '"$3$" is not a number'),
    ],
)
def test_parse_number_rejects_with_plain_message(raw: object, message: str | None) -> None:
    with pytest.raises(CellError) as exc:
        parse_number(raw)
    if message is not None:
        assert exc.value.message == message
    assert str(exc.value) == exc.value.message


def test_huge_integer_is_too_large() -> None:
    with pytest.raises(CellError, match="is too large"):
        parse_number(10**400)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("yes", 1.0),
        (" YES ", 1.0),
        ("Y", 1.0),
        ("true", 1.0),
        ("TRUE", 1.0),
        ("1", 1.0),
        (1, 1.0),
        (1.0, 1.0),
        (True, 1.0),
        ("no", 0.0),
        ("N", 0.0),
        ("False", 0.0),
        ("0", 0.0),
        (0, 0.0),
        (False, 0.0),
    ],
)
def test_parse_yes_no(raw: object, expected: float) -> None:
    assert parse_yes_no(raw) == expected
    assert parse_value(raw, Scale.YESNO) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("maybe", '"maybe" is not yes or no (use yes/no, y/n, true/false or 1/0)'),
        (2, "2 is not yes or no (use yes/no, y/n, true/false or 1/0)"),
        (0.5, "0.5 is not yes or no (use yes/no, y/n, true/false or 1/0)"),
        ("yes!", '"yes!" is not yes or no (use yes/no, y/n, true/false or 1/0)'),
        ("n/a", f'"n/a" is not yes or no: {LEAVE_EMPTY}'),
        ("TBC", f'"TBC" is not yes or no: {LEAVE_EMPTY}'),
        (dt.date(2024, 1, 1), "2024-01-01 is a date, not yes or no"),
        (
            FormulaWithoutValue("=IF(A1,1,0)"),
            "formula =IF(A1,1,0) has no saved result: open the file in Excel and save it again",
        ),
    ],
)
def test_parse_yes_no_rejects(raw: object, message: str) -> None:
    with pytest.raises(CellError) as exc:
        parse_yes_no(raw)
    assert exc.value.message == message


def test_parse_value_dispatches_on_scale() -> None:
    assert parse_value("1,5%".replace(",", ""), Scale.RELATIVE) == pytest.approx(0.15)
    assert parse_value("3", Scale.ABSOLUTE) == 3.0
    with pytest.raises(CellError):
        parse_value("yes", Scale.RELATIVE)


@pytest.mark.parametrize(
    ("raw", "kwargs", "expected"),
    [
        ("  NA  ", {}, "NA"),
        ("None", {}, "None"),
        ("null", {}, "null"),
        (2024, {}, "2024"),
        (2024.0, {}, "2024"),
        (1.5, {}, "1.5"),
        (True, {}, "TRUE"),
        (dt.date(2024, 5, 6), {}, "2024-05-06"),
        ("line 1\nline 2\tx", {}, "line 1\nline 2\tx"),
        ("x" * 200, {"max_length": 200}, "x" * 200),
    ],
)
def test_parse_text(raw: object, kwargs: dict, expected: str) -> None:
    assert parse_text(raw, **kwargs) == expected


@pytest.mark.parametrize(
    ("raw", "kwargs", "message"),
    [
        ("Acme\x07", {}, '"Acme\\x07" contains the control character U+0007; remove it'),
        ("Ac\nme", {"multiline": False}, '"Ac\\x0ame" contains a line break; remove it'),
        ("x" * 201, {"max_length": 200}, None),
        (
            FormulaWithoutValue("=B2"),
            {},
            "formula =B2 has no saved result: open the file in Excel and save it again",
        ),
    ],
)
def test_parse_text_rejects(raw: object, kwargs: dict, message: str | None) -> None:
    with pytest.raises(CellError) as exc:
        parse_text(raw, **kwargs)
    if message is None:
        assert exc.value.message.startswith("text is too long (201 characters; at most 200): ")
    else:
        assert exc.value.message == message


def test_over_long_text_at_excel_limit() -> None:
    assert len(parse_text("y" * 32_767)) == 32_767
    with pytest.raises(CellError, match=r"32,768 characters; at most 32,767"):
        parse_text("y" * 32_768)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Acme", "Acme "),
        ("Acme", " ACME"),
        ("Acme", "Ac\u200bme"),
        ("Acme", "\ufeffAcme"),
        ("Acme Corp", "Acme  Corp"),
        ("Acme Corp", "Acme\u00a0Corp"),  # NFKC: no-break space
        ("ﬁnance", "finance"),  # NFKC ligature
        ("Straße", "STRASSE"),  # casefold
    ],
)
def test_name_key_equates_spellings(a: str, b: str) -> None:
    assert name_key(a) == name_key(b)


def test_name_key_keeps_different_names_apart() -> None:
    assert name_key("Acme") != name_key("Acme Ltd")
    assert name_key("NA") != name_key("")


@pytest.mark.parametrize(
    ("raw", "scale", "rule"),
    [
        (">= 3", Scale.RELATIVE, MustRule(">=", 3.0, ">= 3")),
        (">=3", Scale.ABSOLUTE, MustRule(">=", 3.0, ">=3")),
        ("≥ 3", Scale.RELATIVE, MustRule(">=", 3.0, "≥ 3")),
        ("=> 3", Scale.RELATIVE, MustRule(">=", 3.0, "=> 3")),
        ("> 0", Scale.RELATIVE, MustRule(">", 0.0, "> 0")),
        ("<= 50,000", Scale.RELATIVE, MustRule("<=", 50000.0, "<= 50,000")),
        ("<= 50\u00a0000", Scale.RELATIVE, MustRule("<=", 50000.0, "<= 50 000")),
        ("≤ 50000", Scale.RELATIVE, MustRule("<=", 50000.0, "≤ 50000")),
        ("< 10", Scale.RELATIVE, MustRule("<", 10.0, "< 10")),
        ("= 1", Scale.RELATIVE, MustRule("=", 1.0, "= 1")),
        ("== 1", Scale.RELATIVE, MustRule("=", 1.0, "== 1")),
        (">= 99.5%", Scale.RELATIVE, MustRule(">=", 0.995, ">= 99.5%")),
        ("  >=   3  ", Scale.RELATIVE, MustRule(">=", 3.0, ">= 3")),
        ("yes", Scale.YESNO, MustRule("=", 1.0, "yes")),
        ("Yes", Scale.YESNO, MustRule("=", 1.0, "Yes")),
        ("no", Scale.YESNO, MustRule("=", 0.0, "no")),
        ("= yes", Scale.YESNO, MustRule("=", 1.0, "= yes")),
        ("1", Scale.YESNO, MustRule("=", 1.0, "1")),
        (1, Scale.YESNO, MustRule("=", 1.0, "1")),
        (True, Scale.YESNO, MustRule("=", 1.0, "yes")),
        (">= 1", Scale.YESNO, MustRule(">=", 1.0, ">= 1")),
    ],
)
def test_parse_must(raw: object, scale: Scale, rule: MustRule) -> None:
    got = parse_must(raw, scale)
    assert got is not None
    assert (got.op, got.value, got.text) == (rule.op, pytest.approx(rule.value), rule.text)


@pytest.mark.parametrize("raw", [None, "", "  "])
def test_parse_must_blank_is_none(raw: object) -> None:
    assert parse_must(raw, Scale.RELATIVE) is None


@pytest.mark.parametrize(
    ("raw", "scale", "message"),
    [
        (
            "about 3",
            Scale.RELATIVE,
            '"about 3" is not a rule: use >= 3, > 0, <= 50000, < 10, = 1, or yes/no for a '
            "yes/no criterion",
        ),
        (
            "!= 3",
            Scale.RELATIVE,
            '"!= 3" is not a rule: use >= 3, > 0, <= 50000, < 10, = 1, or yes/no for a '
            "yes/no criterion",
        ),
        (
            ">=",
            Scale.RELATIVE,
            '">=" is not a rule: use >= 3, > 0, <= 50000, < 10, = 1, or yes/no for a '
            "yes/no criterion",
        ),
        ("3", Scale.RELATIVE, '"3" has no comparison: write e.g. ">= 3"'),
        (3, Scale.RELATIVE, '3 has no comparison: write e.g. ">= 3"'),
        ("yes", Scale.RELATIVE, '"yes" is a yes/no rule, but the Scale is relative'),
        (
            "> yes",
            Scale.YESNO,
            '"> yes" is not a rule: use >= 3, > 0, <= 50000, < 10, = 1, or yes/no for a '
            "yes/no criterion",
        ),
        (dt.date(2024, 1, 1), Scale.RELATIVE, "2024-01-01 is a date, not a rule"),
    ],
)
def test_parse_must_rejects(raw: object, scale: Scale, message: str) -> None:
    with pytest.raises(CellError) as exc:
        parse_must(raw, scale)
    assert exc.value.message == message


@pytest.mark.parametrize(
    ("index", "letters"),
    [
        (0, "A"),
        (1, "B"),
        (25, "Z"),
        (26, "AA"),
        (51, "AZ"),
        (701, "ZZ"),
        (702, "AAA"),
        (16383, "XFD"),
    ],
)
def test_column_letter(index: int, letters: str) -> None:
    assert column_letter(index) == letters


def test_show_quotes_and_shortens_text() -> None:
    assert show("  ten ") == '"ten"'
    assert show("a" * 50) == '"' + "a" * 39 + '…"'
    assert show(2.5) == "2.5"
    assert show(False) == "FALSE"


def test_a_cell_error_carries_its_code_and_can_name_its_row() -> None:
    with pytest.raises(CellError) as exc:
        parse_number("4,5")
    e = exc.value
    assert (e.code, e.message) == (
        "decimal_comma",
        '"4,5" is not a number: use a decimal point, e.g. 4.5',
    )
    assert e.about("Rating") == '"4,5" is not a number for "Rating": use a decimal point, e.g. 4.5'
    assert e.about("") == e.message
