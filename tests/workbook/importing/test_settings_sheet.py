"""The Settings sheet (docs/workbook-format.md §11): every setting, every rule with its
exact cell and message, percentages, and the origin of each value."""

from __future__ import annotations

import pytest
from importer_helpers import raw_book, sheets, where

from vendor_eval.core.model import Method, MissingPolicy, Settings
from vendor_eval.core.problems import Code, ValidationError
from vendor_eval.scoring.scorer import score
from vendor_eval.workbook.importing.load import evaluation_from_book

T = "Settings"
HEAD = ["Setting", "Value"]


def book(*rows: list[object], head: list[object] | None = HEAD) -> dict:
    return sheets(Settings=[*([head] if head else []), *(list(r) for r in rows)])


def load(b: dict):
    return evaluation_from_book(raw_book(b))


def found(b: dict) -> list[tuple]:
    with pytest.raises(ValidationError) as exc:
        load(b)
    return [(*where(p), p.code) for p in exc.value.problems]


def warnings_of(b: dict) -> list[tuple]:
    return [(*where(p), p.code) for p in load(b).warnings]


def test_without_a_settings_sheet_nothing_is_set() -> None:
    ev = load(sheets())
    assert ev.settings == Settings() and ev.settings.origin == {}
    assert (ev.settings.term, ev.settings.rate) == (3, 0.0)


def test_every_setting_is_read_and_marked_as_from_the_workbook() -> None:
    ev = load(
        book(
            ["Method", "topsis"],
            ["Missing values", "mean"],
            ["Quality minimum", 70],
            ["Contract term (years)", 5],
            ["Discount rate", 0.05],
            ["Disagreement threshold", 0.25],
        )
    )
    s = ev.settings
    assert (s.method, s.missing) == (Method.TOPSIS, MissingPolicy.MEAN)
    assert (s.quality_minimum, s.contract_term, s.discount_rate) == (70.0, 5, 0.05)
    assert s.disagreement_threshold == 0.25
    assert isinstance(s.contract_term, int)
    assert s.origin == dict.fromkeys(Settings.FIELDS, "workbook")
    assert ev.warnings == []


def test_a_blank_value_keeps_the_default_and_is_not_marked() -> None:
    ev = load(book(["Method", None], ["Contract term (years)", 4], ["Discount rate", "  "]))
    assert ev.settings == Settings(contract_term=4)
    assert ev.settings.origin == {"contract_term": "workbook"}


def test_the_template_rows_with_blank_values_set_nothing() -> None:
    from vendor_eval.workbook.schema import SETTING_ROWS

    ev = load(book(*([s.name, None, "help text"] for s in SETTING_ROWS), head=[*HEAD, "Help"]))
    assert ev.settings == Settings() and ev.warnings == []


@pytest.mark.parametrize(
    ("name", "field"),
    [
        (" method ", "method"),
        ("Scoring method", "method"),
        ("MISSING", "missing"),
        ("Missing value policy", "missing"),
        ("Minimum quality score", "quality_minimum"),
        ("Contract term", "contract_term"),
        ("term (years)", "contract_term"),
        ("Discount rate (%)", "discount_rate"),
        ("Threshold", "disagreement_threshold"),
    ],
)
def test_setting_names_are_matched_by_name_key_and_aliases(name: str, field: str) -> None:
    value = {"method": "wsm", "missing": "worst"}.get(field, 1 if field == "contract_term" else 0.5)
    ev = load(book([name, value]))
    assert list(ev.settings.origin) == [field]


@pytest.mark.parametrize(
    ("text", "method"),
    [("wsm", Method.WSM), ("TOPSIS", Method.TOPSIS), ("weighted sum", Method.WSM),
     (" Weighted  Sum ", Method.WSM)],
)  # fmt: skip
def test_method_spellings(text: str, method: Method) -> None:
    assert load(book(["Method", text])).settings.method is method


@pytest.mark.parametrize("text", ["worst", "Mean", " EXCLUDE "])
def test_missing_values_spellings(text: str) -> None:
    policy = MissingPolicy(text.strip().lower())
    assert load(book(["Missing values", text])).settings.missing is policy


@pytest.mark.parametrize(
    ("setting", "value", "message"),
    [
        ("Method", "best", '"best" is not a method: use wsm or topsis'),
        ("Method", 1, "1 is not a method: use wsm or topsis"),
        ("Missing values", "skip", '"skip" is not a missing-values policy: use worst, mean or '
         "exclude"),
        ("Quality minimum", 150, "150 is not a score from 0 to 100"),
        ("Quality minimum", "good", '"good" is not a score from 0 to 100'),
        ("Contract term (years)", "three", '"three" is not a whole number from 1 to 30'),
        ("Contract term (years)", 0, "0 is not a whole number from 1 to 30"),
        ("Contract term (years)", 31, "31 is not a whole number from 1 to 30"),
        ("Contract term (years)", 2.5, "2.5 is not a whole number from 1 to 30"),
        ("Contract term (years)", True, "TRUE is not a whole number from 1 to 30"),
        ("Discount rate", -0.01, "-0.01 is not a discount rate from 0% to below 100%"),
        ("Discount rate", "100%", '"100%" is not a discount rate from 0% to below 100%'),
        ("Discount rate", 100, "100 is not a discount rate from 0% to below 100%"),
        ("Discount rate", "five", '"five" is not a discount rate from 0% to below 100%'),
        ("Disagreement threshold", 0.005, "0.005 is not a disagreement threshold: a share of "
         "the scale's range from 0.01 to 1 (0.4 = 40%)"),
        ("Disagreement threshold", "150%", '"150%" is not a disagreement threshold: a share of '
         "the scale's range from 0.01 to 1 (0.4 = 40%)"),
    ],
)  # fmt: skip
def test_each_bad_value_is_a_problem_naming_the_cell_and_the_setting(
    setting: str, value: object, message: str
) -> None:
    # The setting sits in row 3, below a valid one.
    assert found(book(["Missing values" if setting != "Missing values" else "Method",
                       "worst" if setting != "Missing values" else "wsm"],
                      [setting, value])) == [
        (T, 3, "B", setting, message, Code.BAD_SETTING),
    ]  # fmt: skip


def test_the_brief_example_message() -> None:
    probs = found(
        book(["Method", "wsm"], ["Missing values", "worst"], ["Contract term (years)", "three"])
    )
    shown = [f"{s}!{c}{r} ({h}): {m}" for s, r, c, h, m, _ in probs]
    assert shown == [
        'Settings!B4 (Contract term (years)): "three" is not a whole number from 1 to 30'
    ]


@pytest.mark.parametrize(
    ("value", "term"),
    [(3, 3), (3.0, 3), ("4", 4), ("5 years", 5), ("1 year", 1), (" 10 yrs ", 10), (30, 30)],
)
def test_contract_term_spellings(value: object, term: int) -> None:
    assert load(book(["Contract term (years)", value])).settings.term == term


# -- percentages -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "rate"),
    [(0.05, 0.05), ("5%", 0.05), (" 7.5 % ", 0.075), (0, 0.0), ("0%", 0.0), (0.995, 0.995)],
)
def test_a_discount_rate_typed_as_a_fraction_or_a_percentage(value: object, rate: float) -> None:
    b = book(["Discount rate", value])
    assert load(b).settings.rate == pytest.approx(rate)
    assert warnings_of(b) == []


@pytest.mark.parametrize(
    ("value", "rate", "shown"),
    [(5, 0.05, "5%"), ("8", 0.08, "8%"), (1, 0.01, "1%"), (99.5, 0.995, "99.5%")],
)
def test_a_bare_discount_number_is_read_as_a_percentage_with_a_warning(
    value: object, rate: float, shown: str
) -> None:
    b = book(["Discount rate", value])
    assert load(b).settings.discount_rate == pytest.approx(rate)
    quoted = f'"{value}"' if isinstance(value, str) else str(value)
    assert warnings_of(b) == [
        (T, 2, "B", "Discount rate", f"{quoted} is read as {shown} ({rate:g}); type {shown} to "
         "make it plain", Code.READ_AS_PERCENT),
    ]  # fmt: skip


def test_a_bare_threshold_above_1_is_read_as_a_percentage_with_a_warning() -> None:
    b = book(["Disagreement threshold", 40])
    assert load(b).settings.disagreement_threshold == pytest.approx(0.4)
    assert [w[4] for w in warnings_of(b)] == ["40 is read as 40% (0.4); type 40% to make it plain"]
    assert load(book(["Disagreement threshold", 1])).settings.disagreement_threshold == 1.0
    assert load(book(["Disagreement threshold", "40%"])).warnings == []


@pytest.mark.parametrize(("value", "minimum"), [(70, 70.0), ("70%", 70.0), ("70", 70.0)])
def test_a_quality_minimum_typed_as_a_number_or_a_percentage(value: object, minimum) -> None:
    b = book(["Quality minimum", value])
    assert load(b).settings.quality_minimum == minimum
    assert warnings_of(b) == []


def test_a_quality_minimum_of_a_bare_fraction_is_read_as_a_percentage() -> None:
    b = book(["Quality minimum", 0.7])
    assert load(b).settings.quality_minimum == pytest.approx(70.0)
    assert warnings_of(b) == [
        (T, 2, "B", "Quality minimum", "0.7 is read as 70 (a cell formatted as a percentage "
         "holds 70% as 0.7); type 70 to make it plain", Code.READ_AS_PERCENT),
    ]  # fmt: skip


# -- names, duplicates and conflicts ----------------------------------------------------------
def test_an_unknown_setting_is_a_warning_and_ignored() -> None:
    b = book(["Colour", "blue"], ["Method", "topsis"])
    ev = load(b)
    assert ev.settings == Settings(method=Method.TOPSIS)
    assert warnings_of(b) == [
        (T, 2, "A", "Setting", '"Colour" is not a setting; it is ignored (the settings are '
         "Method, Missing values, Quality minimum, Contract term (years), Discount rate and "
         "Disagreement threshold)", Code.UNKNOWN_SETTING),
    ]  # fmt: skip


def test_a_setting_listed_twice_is_a_problem() -> None:
    assert found(book(["Method", "wsm"], ["Discount rate", 0], ["scoring method", "topsis"])) == [
        (T, 4, "A", "Setting", 'duplicate setting "Method" (also in row 2); keep one',
         Code.DUPLICATE_SETTING),
    ]  # fmt: skip


def test_a_value_without_a_setting_name_is_a_problem() -> None:
    assert found(book([None, "topsis"])) == [
        (T, 2, "A", "Setting", "setting name is empty", Code.EMPTY_NAME),
    ]


def test_topsis_with_exclude_is_a_problem_at_missing_values() -> None:
    assert found(book(["Method", "topsis"], ["Missing values", "exclude"])) == [
        (T, 3, "B", "Missing values", "TOPSIS cannot exclude missing values (the Method is "
         "topsis): use worst or mean, or the Method wsm", Code.CONFLICTING_SETTINGS),
    ]  # fmt: skip


def test_a_settings_sheet_without_a_header_row_is_read() -> None:
    ev = load(book(["Method", "topsis"], ["Contract term (years)", 5], head=None))
    assert (ev.settings.method, ev.settings.term) == (Method.TOPSIS, 5)


def test_a_settings_sheet_under_a_title_is_read() -> None:
    ev = load(sheets(Settings=[["Evaluation settings"], [], HEAD, ["Method", "topsis"]]))
    assert ev.settings.method is Method.TOPSIS


def test_missing_columns_are_a_problem() -> None:
    assert found(book(["Method", "topsis"], head=["Setting", "Choice"])) == [
        (T, 1, None, None, 'no "Value" column (headers found: Setting, Choice)',
         Code.MISSING_HEADER),
    ]  # fmt: skip


def test_an_empty_settings_sheet_sets_nothing() -> None:
    assert load(sheets(Settings=[[None]])).settings == Settings()
    assert load(sheets(Settings=[HEAD])).settings == Settings()


def test_two_settings_sheets_are_a_problem() -> None:
    rb = raw_book(book(["Method", "wsm"]))
    from vendor_eval.workbook.reading.rawbook import RawSheet

    rb.sheets.append(RawSheet(" settings ", [HEAD, ["Method", "topsis"]]))
    with pytest.raises(ValidationError) as exc:
        evaluation_from_book(rb)
    assert [p.code for p in exc.value.problems] == [Code.DUPLICATE_SHEET]


# -- used by the scorer ------------------------------------------------------------------------
def test_the_scorer_takes_method_and_missing_from_the_settings() -> None:
    plain = load(sheets())
    topsis = load(book(["Method", "topsis"]))
    assert score(topsis).to_records() == score(plain, method="topsis").to_records()
    assert score(topsis).to_records() != score(plain).to_records()
