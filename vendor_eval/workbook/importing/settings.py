"""The Settings sheet: ``Setting | Value`` rows → :class:`~vendor_eval.core.model.Settings`.

The format is docs/workbook-format.md §11. One row per setting, named as in
:data:`~vendor_eval.workbook.schema.SETTING_ROWS` (or an alias, compared by name key); a
blank Value leaves the setting at its default. Each value that cannot be read is an error
naming its cell and the setting (``Settings!B5 (Contract term (years)): "three" is not a
whole number from 1 to 30``); a name that is not a setting is a warning (the row is
ignored); a setting listed twice is an error. A sheet without the header row, whose first
row already names a setting (``Method | topsis``), is read as the two columns A and B.

Every setting given is marked as coming from the workbook (``Settings.origin``), so the
outputs can say which values applied and why.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from vendor_eval.core.limits import MAX_NAME_LENGTH
from vendor_eval.core.model import Method, MissingPolicy, Settings, format_number
from vendor_eval.core.problems import Code, Problems
from vendor_eval.workbook.importing.cells import is_blank, parse_number
from vendor_eval.workbook.importing.messages import CellError, show
from vendor_eval.workbook.importing.percent import Reading, read_minimum, read_share
from vendor_eval.workbook.importing.sheets import find_sheet
from vendor_eval.workbook.importing.table import Table, cell, read_table
from vendor_eval.workbook.importing.text import parse_text
from vendor_eval.workbook.reading.rawbook import RawBook
from vendor_eval.workbook.schema import (
    SETTING,
    SETTING_ROWS,
    SETTING_VALUE,
    SETTINGS,
    SettingRow,
    name_key,
)

__all__ = [
    "MAX_TERM",
    "MAX_THRESHOLD",
    "MIN_THRESHOLD",
    "WORKBOOK",
    "parse_setting",
    "read_settings",
]

#: What ``Settings.origin`` says of a value the Settings sheet gave.
WORKBOOK = "workbook"
#: The longest contract term, in years.
MAX_TERM = 30
#: The disagreement threshold's range: a share of a scale's range (docs/team.md §5).
MIN_THRESHOLD = 0.01
MAX_THRESHOLD = 1.0

_BY_KEY = {key: s for s in SETTING_ROWS for key in s.keys}
_NAMES = ", ".join(s.name for s in SETTING_ROWS[:-1]) + f" and {SETTING_ROWS[-1].name}"
# "3", "3 years", "3 yrs": a contract term typed with its unit.
_YEARS = re.compile(r"^\s*(?P<n>[^a-zA-Z]*?)\s*(?:years?|yrs?|y)\.?\s*$", re.IGNORECASE)


# A reader returns the setting's value (``None`` when blank) and the reading (its note
# says when a bare number was read as a percentage).
_Reader = Callable[[object], tuple[object, Reading]]
_PLAIN = Reading(None)


def _choice(choices: type[Method] | type[MissingPolicy], what: str) -> _Reader:
    """A reader of one of an enum's values (or aliases)."""
    listed = [m.value for m in choices]
    accepted = f"{', '.join(listed[:-1])} or {listed[-1]}"

    def read(value: object) -> tuple[object, Reading]:
        if is_blank(value):
            return None, _PLAIN
        if isinstance(value, str):
            try:
                return choices.from_alias(" ".join(value.split())), _PLAIN
            except ValueError:
                pass
        raise CellError(f"{show(value)} is not {what}", Code.BAD_SETTING, f": use {accepted}")

    return read


def _number_reader(read: Callable[[object], Reading]) -> _Reader:
    def reader(value: object) -> tuple[object, Reading]:
        reading = read(value)
        return reading.value, reading

    return reader


def _quality_minimum(value: object) -> Reading:
    try:
        return read_minimum(value)
    except CellError as e:
        raise CellError(e.head, Code.BAD_SETTING, e.hint) from None


def _contract_term(value: object) -> tuple[object, Reading]:
    """A whole number of years from 1 to :data:`MAX_TERM` (``3``, ``3.0``, ``"3 years"``)."""
    if is_blank(value):
        return None, _PLAIN
    refused = CellError(
        f"{show(value)} is not a whole number from 1 to {MAX_TERM}", Code.BAD_SETTING
    )
    text = value
    if isinstance(value, str) and (m := _YEARS.match(value)) and m["n"]:
        text = m["n"]
    try:
        x = parse_number(text)
    except CellError:
        raise refused from None
    if not (x.is_integer() and 1 <= x <= MAX_TERM):
        raise refused
    return int(x), _PLAIN


def _discount_rate(value: object) -> Reading:
    return read_share(
        value, 0.0, 1.0, high_included=False, refused="a discount rate from 0% to below 100%"
    )


def _threshold(value: object) -> Reading:
    refused = (
        f"a disagreement threshold: a share of the scale's range from "
        f"{format_number(MIN_THRESHOLD)} to 1 (0.4 = 40%)"
    )
    return read_share(value, MIN_THRESHOLD, MAX_THRESHOLD, high_included=True, refused=refused)


_READERS: dict[str, _Reader] = {
    "method": _choice(Method, "a method"),
    "missing": _choice(MissingPolicy, "a missing-values policy"),
    "quality_minimum": _number_reader(_quality_minimum),
    "contract_term": _contract_term,
    "discount_rate": _number_reader(_discount_rate),
    "disagreement_threshold": _number_reader(_threshold),
}


def parse_setting(field: str, value: object) -> tuple[object, Reading]:
    """One setting's value as :class:`Settings` holds it (``None`` when blank), and the
    reading (its ``note`` says when a bare number was read as a percentage).

    Raises
    ------
    CellError
        When the value cannot be read (code ``bad_setting``).
    """
    return _READERS[field](value)


@dataclass
class _Found:
    """A setting read from a row: its value, row and Value column."""

    value: object
    row: int


def read_settings(book: RawBook, problems: Problems) -> Settings:
    """The Settings sheet as :class:`Settings` (all ``None`` without one), every problem
    reported into ``problems``."""
    sheet = find_sheet(book, SETTINGS.name)
    if sheet is None:
        return Settings()
    table = read_table(sheet, problems, SETTINGS.marks)
    if table.header_row is None:
        return Settings()  # an empty sheet: nothing set
    cols = _columns(table, problems)
    if cols is None:
        return Settings()
    c_name, c_value = cols
    found: dict[str, _Found] = {}
    for r, cells in table.rows:
        setting = _setting_of(table, r, cell(cells, c_name), c_name, problems)
        if setting is None:
            continue
        first = found.get(setting.field)
        if first is not None:
            message = f"duplicate setting {show(setting.name)} (also in row {first.row}); keep one"
            problems.error(Code.DUPLICATE_SETTING, message, **table.at(r, c_name))
            continue
        where = table.at(r, c_value)
        where["header"] = setting.name
        try:
            value, reading = parse_setting(setting.field, cell(cells, c_value))
        except CellError as e:
            problems.error(e.code, e.message, **where)
            found[setting.field] = _Found(None, r)
            continue
        if reading.note:
            problems.warning(Code.READ_AS_PERCENT, reading.message, **where)
        found[setting.field] = _Found(value, r)
    given = {k: f.value for k, f in found.items() if f.value is not None}
    _check_together(given, found, table, c_value, problems)
    return Settings().override(WORKBOOK, **given)


def _columns(table: Table, problems: Problems) -> tuple[int, int] | None:
    """The Setting and Value columns; a sheet without a header row whose first row names
    a setting is read as columns A and B (its first row is then a setting)."""
    c_name, c_value = table.col(SETTING), table.col(SETTING_VALUE)
    if c_name is not None and c_value is not None:
        return c_name, c_value
    first = table.headers[0] if table.headers else ""
    if c_name is None and c_value is None and name_key(first) in _BY_KEY:
        assert table.header_row is not None
        header_cells: list[object] = list(table.headers)
        table.rows.insert(0, (table.header_row, header_cells))
        table.headers = [SETTING.name, SETTING_VALUE.name]
        return 0, 1
    for column, col in ((SETTING, c_name), (SETTING_VALUE, c_value)):
        if col is None:
            found = ", ".join(h for _, h in table.columns()) or "none"
            message = f'no "{column.name}" column (headers found: {found})'
            problems.error(Code.MISSING_HEADER, message, **table.at(table.header_row))
    return None


def _setting_of(
    table: Table, r: int, raw: object, col: int, problems: Problems
) -> SettingRow | None:
    """The setting a row names, or ``None`` (an empty or unreadable name is an error, a
    name that is not a setting a warning: the row is ignored)."""
    try:
        name = parse_text(raw, max_length=MAX_NAME_LENGTH, multiline=False)
    except CellError as e:
        problems.error(e.code, e.message, **table.at(r, col))
        return None
    if not name:
        problems.error(Code.EMPTY_NAME, "setting name is empty", **table.at(r, col))
        return None
    setting = _BY_KEY.get(name_key(name))
    if setting is None:
        message = f"{show(name)} is not a setting; it is ignored (the settings are {_NAMES})"
        problems.warning(Code.UNKNOWN_SETTING, message, **table.at(r, col))
    return setting


def _check_together(
    given: dict[str, object],
    found: dict[str, _Found],
    table: Table,
    c_value: int,
    problems: Problems,
) -> None:
    """Settings that cannot go together: Method topsis with Missing values exclude."""
    if given.get("method") is Method.TOPSIS and given.get("missing") is MissingPolicy.EXCLUDE:
        at = found["missing"].row
        message = (
            f"TOPSIS cannot exclude missing values (the {_name('method')} is "
            f"{Method.TOPSIS.value}): use {MissingPolicy.WORST.value} or "
            f"{MissingPolicy.MEAN.value}, or the {_name('method')} {Method.WSM.value}"
        )
        where = table.at(at, c_value)
        where["header"] = _name("missing")
        problems.error(Code.CONFLICTING_SETTINGS, message, **where)


def _name(field: str) -> str:
    return next(s.name for s in SETTING_ROWS if s.field == field)
