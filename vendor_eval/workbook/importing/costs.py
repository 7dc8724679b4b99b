"""The Costs sheet: cost lines → the long frame and each vendor's total cost of ownership.

The format is docs/workbook-format.md §12; the arithmetic is
:mod:`vendor_eval.core.costs`. One row per cost line, ``Vendor | Item | Amount | Frequency
| Quantity``: the vendor a name of the Vendors sheet (by name key), the Amount a number of
0 or more (blank: not known yet, so the vendor's TCO is missing, a warning), the Frequency
``one-off``, ``monthly``, ``quarterly`` or ``yearly`` (or an alias of
:class:`~vendor_eval.core.costs.Frequency`), the Quantity a number above 0 (blank: 1).
Blank rows are skipped; a Costs sheet without a single cost line is as if there were none.

Each vendor's TCO is the value of the price criterion ``Total cost of ownership``
(:data:`~vendor_eval.core.costs.TCO_CRITERION`), which the Criteria sheet must hold with
Scale ``price``; without a Criteria sheet the default model gets it
(:func:`default_tco_criterion`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TypeVar

import numpy as np
import pandas as pd

from vendor_eval.core.costs import COST_COLUMNS, TCO_CRITERION, Frequency, tco_values
from vendor_eval.core.limits import MAX_NAME_LENGTH, MAX_VALUE_CELLS
from vendor_eval.core.model import Category, Criterion, Direction, Scale, format_number
from vendor_eval.core.problems import Code, Problems
from vendor_eval.workbook.importing.cells import is_blank, notation, parse_number
from vendor_eval.workbook.importing.columns import mixed_currencies
from vendor_eval.workbook.importing.messages import CellError, column_letter, show
from vendor_eval.workbook.importing.sheets import find_sheet
from vendor_eval.workbook.importing.table import Table, cell, read_table
from vendor_eval.workbook.importing.text import parse_text
from vendor_eval.workbook.reading.rawbook import RawBook
from vendor_eval.workbook.schema import COST_AMOUNT, COSTS, VENDORS, name_key

__all__ = [
    "TCO_CATEGORY",
    "TCO_DESCRIPTION",
    "TCO_ROW_HINT",
    "TCO_WEIGHT",
    "Costs",
    "check_tco",
    "default_tco_category",
    "default_tco_criterion",
    "parse_costs",
    "read_cost_table",
]

#: The default model's category and weight (within it) of the TCO criterion.
TCO_CATEGORY = "Cost"
TCO_WEIGHT = 100.0
TCO_DESCRIPTION = (
    "The total cost of ownership over the contract term, from the Costs sheet: one-off "
    "items once, recurring items for every payment of the term (discounted at the Settings "
    "sheet's discount rate). Lower is better; scored as lowest ÷ this vendor's TCO."
)
_FREQUENCIES = ", ".join(f.value for f in list(Frequency)[:-1]) + f" or {list(Frequency)[-1]}"
_NUMBERS = ("Amount", "Quantity")


def default_tco_criterion() -> Criterion:
    """The TCO price criterion the default model gets when a Costs sheet is given: in the
    Cost category, weight 100 within it, ratio formula (the default for a price)."""
    return Criterion(
        TCO_CRITERION,
        TCO_CATEGORY,
        TCO_WEIGHT,
        Direction.LOWER,
        Scale.PRICE,
        description=TCO_DESCRIPTION,
        source="costs",
    )


def default_tco_category(categories: list[Category]) -> Category | None:
    """The default model's category the TCO criterion joins (``None``: not among them)."""
    return next((k for k in categories if k.name == TCO_CATEGORY), None)


def read_cost_table(book: RawBook, problems: Problems) -> Table | None:
    """The Costs sheet as a table with its required columns, or ``None`` when there is no
    Costs sheet, it holds no cost line (only a header row, or nothing), or a required
    column is missing (an error) or it has more lines than one evaluation holds (an
    error)."""
    sheet = find_sheet(book, COSTS.name)
    if sheet is None:
        return None
    table = read_table(sheet, problems, COSTS.marks)
    if table.header_row is None or not table.rows:
        return None
    ok = True
    for column in COSTS.required:
        if table.col(column) is None:
            found = ", ".join(h for _, h in table.columns()) or "none"
            message = f'no "{column.name}" column (headers found: {found})'
            problems.error(Code.MISSING_HEADER, message, **table.at(table.header_row))
            ok = False
    if len(table.rows) > MAX_VALUE_CELLS:
        message = (
            f"{len(table.rows):,} cost lines: one evaluation holds at most "
            f"{MAX_VALUE_CELLS:,}; add up the lines of each item"
        )
        problems.error(Code.TOO_MANY_VALUES, message, sheet=table.sheet)
        ok = False
    return table if ok else None


@dataclass
class Costs:
    """The Costs sheet as read.

    Attributes
    ----------
    frame:
        The long frame (:data:`~vendor_eval.core.costs.COST_COLUMNS`): Vendor as written in
        the Vendors sheet, Item text, Amount float (NaN: not known yet), Frequency a
        :class:`~vendor_eval.core.costs.Frequency`, Quantity float (1.0 when blank).
    first_row:
        Vendor → the Excel row of its first cost line.
    unit:
        The currency symbol the amounts were typed with, if one (``"$"``).
    """

    frame: pd.DataFrame
    first_row: dict[str, int] = field(default_factory=dict)
    unit: str | None = None
    table: Table | None = None

    def tco(self, vendors: list[str], term: int, rate: float) -> pd.Series:
        """Each vendor's TCO (NaN without cost lines or with an amount not known)."""
        return tco_values(self.frame, vendors, term, rate)


def parse_costs(table: Table, vendors: dict[str, str], problems: Problems) -> Costs:
    """Read every cost line of ``table`` (from :func:`read_cost_table`).

    ``vendors`` maps :func:`~vendor_eval.workbook.schema.name_key` to the vendor name as
    written in the Vendors sheet.
    """
    c_v, c_i, c_a, c_f, c_q = (table.col(c) for c in COSTS.columns)
    records: list[tuple[object, ...]] = []
    first_row: dict[str, int] = {}
    symbols: dict[str, list[str]] = {}
    # Vendor names and frequencies repeat down the sheet: each text read well once is kept
    known_vendor: dict[object, str] = {}
    known_frequency: dict[object, Frequency] = {}
    for r, cells in table.rows:
        line = _Line(table, r, problems)
        raw_vendor, raw_frequency = cell(cells, c_v), cell(cells, c_f)
        vendor = _known(known_vendor, raw_vendor)
        if vendor is None:
            vendor = line.vendor(raw_vendor, c_v, vendors)
            _keep(known_vendor, raw_vendor, vendor, line)
        item = line.text(cell(cells, c_i), c_i)
        amount_raw = cell(cells, c_a)
        amount = line.amount(amount_raw, c_a, vendor)
        symbol = notation(amount_raw)[0]
        if symbol and c_a is not None:
            symbols.setdefault(symbol, []).append(f"{column_letter(c_a)}{r}")
        frequency = _known(known_frequency, raw_frequency)
        if frequency is None:
            failed, line.failed = line.failed, False
            frequency = line.frequency(raw_frequency, c_f)
            _keep(known_frequency, raw_frequency, frequency, line)
            line.failed = line.failed or failed
        quantity = line.quantity(cell(cells, c_q), c_q)
        if vendor is None or line.failed or frequency is None:
            continue
        first_row.setdefault(vendor, r)
        records.append((vendor, item or "", amount, frequency, quantity))
    unit = _unit(symbols, table, c_a, problems)
    columns = list(zip(*records, strict=True)) if records else [()] * len(COST_COLUMNS)
    frame = pd.DataFrame(
        {
            name: pd.Series(list(values), dtype=float if name in _NUMBERS else object)
            for name, values in zip(COST_COLUMNS, columns, strict=True)
        }
    )  # column by column: the Frequency members stay members, not strings
    return Costs(frame, first_row, unit, table)


_K = TypeVar("_K")


def _known(known: dict[object, _K], raw: object) -> _K | None:
    """What a text cell read as before (only text is kept: ``1`` and ``True`` hash alike)."""
    return known.get(raw) if type(raw) is str else None


def _keep(known: dict[object, _K], raw: object, value: _K | None, line: _Line) -> None:
    if type(raw) is str and value is not None and not line.failed:
        known[raw] = value


def _unit(
    symbols: dict[str, list[str]], table: Table, col: int | None, problems: Problems
) -> str | None:
    """The one currency of the amounts, or ``None``; two or more are an error at the
    Amount header naming the cells of each."""
    if len(symbols) <= 1:
        return next(iter(symbols), None)
    message = mixed_currencies(symbols)
    problems.error(Code.MIXED_CURRENCIES, message, **table.at(table.header_row, col))
    return None


class _Line:
    """One cost line being read; ``failed`` once a cell of it is refused."""

    def __init__(self, table: Table, r: int, problems: Problems) -> None:
        self.table, self.r, self.problems = table, r, problems
        self.failed = False

    def error(self, code: str, message: str, col: int | None) -> None:
        self.problems.error(code, message, **self.table.at(self.r, col))
        self.failed = True

    def text(self, value: object, col: int | None) -> str | None:
        try:
            return parse_text(value, max_length=MAX_NAME_LENGTH, multiline=False)
        except CellError as e:
            self.error(e.code, e.message, col)
            return None

    def vendor(self, value: object, col: int | None, vendors: dict[str, str]) -> str | None:
        name = self.text(value, col)
        if name is None:
            return None
        if not name:
            self.error(Code.EMPTY_NAME, "vendor name is empty", col)
            return None
        found = vendors.get(name_key(name))
        if found is None:
            message = f"vendor {show(name)} is not in the {VENDORS.name} sheet"
            self.error(Code.UNKNOWN_VENDOR, message, col)
        return found

    def amount(self, value: object, col: int | None, vendor: str | None) -> float:
        """The amount (NaN when blank: not known yet, a warning)."""
        try:
            x = parse_number(value)
        except CellError as e:
            self.error(e.code, e.message, col)
            return math.nan
        if math.isnan(x):
            whose = f"the total cost of ownership of {show(vendor)}" if vendor else "the TCO"
            message = (
                f"the amount is missing, so {whose} is missing (the missing-values policy "
                "applies); type 0 for an item that costs nothing"
            )
            self.problems.warning(Code.MISSING_AMOUNT, message, **self.table.at(self.r, col))
        elif x < 0:
            message = (
                f"the amount {format_number(x)} is negative: a cost is 0 or more (take a "
                "discount or credit off the amount it applies to)"
            )
            self.error(Code.NEGATIVE_AMOUNT, message, col)
        return x

    def frequency(self, value: object, col: int | None) -> Frequency | None:
        if is_blank(value):
            self.error(Code.NOT_A_FREQUENCY, f"the frequency is missing: use {_FREQUENCIES}", col)
            return None
        text = self.text(value, col) if isinstance(value, str) else None
        if text:
            try:
                return Frequency.from_alias(" ".join(text.split()))
            except ValueError:
                pass
        self.error(
            Code.NOT_A_FREQUENCY, f"{show(value)} is not a frequency: use {_FREQUENCIES}", col
        )
        return None

    def quantity(self, value: object, col: int | None) -> float:
        """The quantity (1 when blank), a number above 0."""
        try:
            x = parse_number(value)
        except CellError as e:
            self.error(e.code, e.message, col)
            return math.nan
        if math.isnan(x):
            return 1.0
        if x <= 0:
            message = (
                f"the quantity must be above 0 (is {format_number(x)}); delete the line if "
                "the item is not bought"
            )
            self.error(Code.NOT_A_QUANTITY, message, col)
        return x


def check_tco(costs: Costs, tco: pd.Series, vendors: list[str], problems: Problems) -> None:
    """A vendor's TCO must be above 0 to be scored as a price (an error at its first cost
    line); a vendor without cost lines has a missing TCO (a warning)."""
    table = costs.table
    assert table is not None
    c_a = table.col(COST_AMOUNT)
    values = tco.to_numpy(dtype=float)
    for name, x in zip(vendors, values, strict=True):
        row = costs.first_row.get(name)
        if row is None:
            message = (
                f"{show(name)} has no lines in the {COSTS.name} sheet: its total cost of "
                "ownership is missing (the missing-values policy applies)"
            )
            problems.warning(Code.NO_COSTS, message, sheet=table.sheet)
        elif not np.isnan(x) and x <= 0:
            message = (
                f"the total cost of ownership of {show(name)} is {format_number(float(x))}: "
                "a price must be greater than 0"
            )
            problems.error(Code.UNSCORABLE_VALUE, message, **table.at(row, c_a))


# Said where the Costs sheet needs the TCO criterion in the Criteria sheet.
TCO_ROW_HINT = (
    f'add a row with Criterion "{TCO_CRITERION}", a Category (e.g. {TCO_CATEGORY}), a '
    "Weight and Scale price"
)
