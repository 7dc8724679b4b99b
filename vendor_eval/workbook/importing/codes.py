"""Reason codes of the price, minimum, Settings and Costs rules (docs/workbook-format.md).

They are plain strings, like every :class:`~vendor_eval.core.problems.Code` (a ``StrEnum``),
so a problem carrying one compares equal to the ``Code`` member of the same value. They
belong in :class:`~vendor_eval.core.problems.Code` beside the others; until they are there
they are declared here, once.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["NewCode"]


class NewCode(StrEnum):
    """Why a price, minimum, Settings or Costs problem was reported."""

    # -- Criteria: price criteria and formulas ------------------------------------------
    #: A Formula cell that is not ratio, linear or budget.
    NOT_A_FORMULA = "not_a_formula"
    #: A Formula on a scale that has none (absolute, yes/no), or budget on a non-price.
    FORMULA_NOT_ALLOWED = "formula_not_allowed"
    #: A price criterion whose Direction is higher (a price is lower-is-better).
    PRICE_DIRECTION = "price_direction"
    #: The budget formula without a Max (its ceiling) above 0.
    BUDGET_CEILING = "budget_ceiling"
    #: A value the criterion's formula cannot score: a price of 0 or less, a ratio value
    #: of 0 or less (lower is better) or below 0 (higher is better).
    UNSCORABLE_VALUE = "unscorable_value"
    # -- Categories and Settings: minimums ----------------------------------------------
    #: A Minimum (or Quality minimum) that is not a score from 0 to 100.
    NOT_A_MINIMUM = "not_a_minimum"
    #: A Minimum on a category that holds a price criterion.
    MINIMUM_ON_PRICE = "minimum_on_price"
    # -- Settings -----------------------------------------------------------------------
    #: A Settings value that cannot be read.
    BAD_SETTING = "bad_setting"
    #: A setting listed twice.
    DUPLICATE_SETTING = "duplicate_setting"
    #: Settings that cannot go together (Method topsis with Missing values exclude).
    CONFLICTING_SETTINGS = "conflicting_settings"
    #: A Setting name that is not a setting, ignored; a warning.
    UNKNOWN_SETTING = "unknown_setting"
    #: A bare number read as a percentage (Discount rate 5 → 5 %, Minimum 0.6 → 60); a
    #: warning that says how it was read.
    READ_AS_PERCENT = "read_as_percent"
    # -- Costs --------------------------------------------------------------------------
    #: A Frequency cell that is not one-off, monthly, quarterly or yearly (or is empty).
    NOT_A_FREQUENCY = "not_a_frequency"
    #: A cost line without an Amount.
    MISSING_AMOUNT = "missing_amount"
    #: An Amount below 0.
    NEGATIVE_AMOUNT = "negative_amount"
    #: A Quantity that is not a number above 0.
    NOT_A_QUANTITY = "not_a_quantity"
    #: Costs given, but no ``Total cost of ownership`` criterion in the Criteria sheet.
    MISSING_TCO_CRITERION = "missing_tco_criterion"
    #: The ``Total cost of ownership`` criterion's Scale is not price.
    TCO_NOT_PRICE = "tco_not_price"
    #: A Vendors column (or Scores rows) for ``Total cost of ownership`` beside Costs.
    TCO_COLUMN = "tco_column"
    #: A vendor without Costs rows (its TCO is missing); a warning.
    NO_COSTS = "no_costs"
    #: The default model took the Costs sheet's TCO as a criterion next to another cost
    #: criterion; a warning.
    DEFAULT_TCO = "default_tco"
