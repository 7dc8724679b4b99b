"""The evaluation model: criteria, categories, enums and the validated Evaluation.

Everything downstream of the importer (scoring, sensitivity, export, dashboard) works on an
:class:`Evaluation`. It is immutable in spirit: edits made in the dashboard produce a new
one through :meth:`Evaluation.with_criteria` / :meth:`Evaluation.with_categories`.
"""

from __future__ import annotations

import dataclasses
import math
import operator
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Self

import numpy as np
import pandas as pd

from vendor_eval.core.problems import Problem


class _AliasEnum(StrEnum):
    """A string enum that accepts friendly, case-insensitive aliases."""

    @classmethod
    def _aliases(cls) -> dict[str, str]:
        return {}

    @classmethod
    def from_alias(cls, text: object) -> Self:
        """Return the member named by ``text`` (value or alias), case-insensitively.

        Raises
        ------
        ValueError
            With a message listing the accepted values.
        """
        if isinstance(text, cls):
            return text
        key = str(text).strip().lower()
        for member in cls:
            if key == member.value:
                return member
        alias = cls._aliases().get(key)
        if alias is not None:
            return cls(alias)
        accepted = ", ".join(repr(m.value) for m in cls)
        raise ValueError(f"{str(text).strip()!r} is not one of {accepted}")


class Direction(_AliasEnum):
    """Whether a higher or a lower raw value is better."""

    HIGHER = "higher"
    LOWER = "lower"

    @classmethod
    def _aliases(cls) -> dict[str, str]:
        return {
            "max": "higher",
            "maximise": "higher",
            "maximize": "higher",
            "benefit": "higher",
            "higher is better": "higher",
            "high": "higher",
            "min": "lower",
            "minimise": "lower",
            "minimize": "lower",
            "cost": "lower",
            "lower is better": "lower",
            "low": "lower",
        }


class Scale(_AliasEnum):
    """How raw values are turned into scores in [0, 1] (docs/scoring.md §4)."""

    RELATIVE = "relative"
    ABSOLUTE = "absolute"
    YESNO = "yes/no"
    #: A price: lower is better, values > 0, scored by a price :class:`Formula`
    #: (docs/scoring.md §12) over the vendors that passed the quality stage.
    PRICE = "price"

    @classmethod
    def _aliases(cls) -> dict[str, str]:
        return {
            "yesno": "yes/no",
            "yes-no": "yes/no",
            "yes / no": "yes/no",
            "boolean": "yes/no",
            "bool": "yes/no",
            "y/n": "yes/no",
            "min-max": "relative",
            "minmax": "relative",
            "fixed": "absolute",
            "cost": "price",
            "bid": "price",
        }


class Formula(_AliasEnum):
    """How a relative or price criterion's values become scores (docs/scoring.md §12).

    ``linear``: min–max over the field (the default for relative criteria); ``ratio``:
    ``x / x_high`` (higher is better) or ``x_low / x`` (lower is better, and every price:
    "lowest ÷ bid", the default for price criteria); ``budget`` (price only): full marks
    at the lowest bid, falling linearly to 0 at the ceiling ``Max``.
    """

    RATIO = "ratio"
    LINEAR = "linear"
    BUDGET = "budget"

    @classmethod
    def _aliases(cls) -> dict[str, str]:
        return {
            "proportional": "ratio",
            "lowest/bid": "ratio",
            "lowest / bid": "ratio",
            "min-max": "linear",
            "minmax": "linear",
            "interpolation": "linear",
            "ceiling": "budget",
        }


class MissingPolicy(_AliasEnum):
    """What a missing value is worth (docs/scoring.md §5)."""

    WORST = "worst"
    MEAN = "mean"
    EXCLUDE = "exclude"


class Method(_AliasEnum):
    """Aggregation method (docs/scoring.md §6, §7)."""

    WSM = "wsm"
    TOPSIS = "topsis"

    @classmethod
    def _aliases(cls) -> dict[str, str]:
        return {"weighted sum": "wsm", "weighted-sum": "wsm", "sum": "wsm"}


class Consensus(_AliasEnum):
    """How several evaluators' scores are combined into one value."""

    MEAN = "mean"
    MEDIAN = "median"


# Called on a float (passes) and on an array (passes_array), so typed loosely.
_OPS: dict[str, Callable[[Any, float], Any]] = {
    ">=": operator.ge,
    ">": operator.gt,
    "<=": operator.le,
    "<": operator.lt,
    "=": lambda a, b: math.isclose(a, b, rel_tol=0.0, abs_tol=1e-9),
}


@dataclass(frozen=True)
class MustRule:
    """A knock-out rule such as ``>= 3`` or ``yes`` (stored as ``= 1``).

    Attributes
    ----------
    op:
        One of ``>=``, ``>``, ``<=``, ``<``, ``=``.
    value:
        The threshold, in the criterion's raw units (yes = 1, no = 0).
    text:
        The rule as the user wrote it, for display and export.
    """

    op: str
    value: float
    text: str

    def passes(self, x: float) -> bool:
        """True if the raw value ``x`` satisfies the rule (missing never passes)."""
        if x is None or (isinstance(x, float) and math.isnan(x)):
            return False
        return bool(_OPS[self.op](float(x), self.value))

    def passes_array(self, x: np.ndarray) -> np.ndarray:
        """Vectorised :meth:`passes`; NaN never passes."""
        x = np.asarray(x, dtype=float)
        with np.errstate(invalid="ignore"):
            ok = np.abs(x - self.value) <= 1e-9 if self.op == "=" else _OPS[self.op](x, self.value)
        return np.asarray(ok, dtype=bool) & ~np.isnan(x)

    def describe(self, criterion: Criterion, actual: float | None) -> str:
        """Plain-words reason for failing, e.g. ``Years in business must be >= 3 (is 2)``."""
        if actual is None or (isinstance(actual, float) and math.isnan(actual)):
            return f"no value for must-have {criterion.name}"
        if criterion.scale is Scale.YESNO:
            want = "yes" if self.value >= 0.5 else "no"
            have = "yes" if actual >= 0.5 else "no"
            if self.op == "=":
                return f"{criterion.name} must be {want} (is {have})"
        want = format_number(self.value)
        return f"{criterion.name} must be {self.op} {want} (is {format_number(actual)})"


def format_number(x: float, digits: int = 6) -> str:
    """Format a number compactly for messages: 3, 2.5, 50000, 0.995 (``digits``
    significant digits)."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "missing"
    if float(x).is_integer() and abs(x) < 1e15:
        return str(int(x))
    return f"{x:.{digits}g}"


def format_numbers(*xs: float) -> list[str]:
    """Each number as :func:`format_number` writes it, with as many more digits as it takes
    for numbers that differ to read differently (1 and 1.0000001, not 1 and 1).

    Examples
    --------
    >>> format_numbers(1, 5), format_numbers(1, 1.0000001)
    (['1', '5'], ['1', '1.0000001'])
    """
    for digits in (6, 9, 12):
        shown = [format_number(x, digits) for x in xs]
        if all(
            shown[i] != shown[j] or xs[i] == xs[j]
            for i in range(len(xs))
            for j in range(i + 1, len(xs))
        ):
            return shown
    # the shortest spelling that reads back as the same float: distinct floats differ
    return [str(int(x)) if float(x).is_integer() and abs(x) < 1e15 else repr(float(x)) for x in xs]


@dataclass(frozen=True)
class Criterion:
    """One evaluation criterion (a row of the Criteria sheet).

    ``weight`` is the weight as entered: relative within its category when the evaluation
    has categories, else relative to all criteria. ``source`` is ``"column"`` when values
    come from a Vendors column and ``"scores"`` when they come from the Scores sheet.
    ``goal`` is the Criteria sheet's Goal cell as written (trimmed; ``""`` when blank): the
    project goal the criterion serves, matched against the project's goals by name key.
    """

    name: str
    category: str
    weight: float
    direction: Direction = Direction.HIGHER
    scale: Scale = Scale.RELATIVE
    min: float | None = None
    max: float | None = None
    must: MustRule | None = None
    description: str = ""
    source: str = "column"
    goal: str = ""
    #: The Criteria sheet's Formula (``None`` when blank: :attr:`effective_formula`).
    formula: Formula | None = None

    def replace(self, **changes: Any) -> Criterion:
        """A copy with ``changes`` applied."""
        return dataclasses.replace(self, **changes)

    @property
    def is_price(self) -> bool:
        """A price criterion (Scale ``price``): scored in the price stage."""
        return Scale.from_alias(self.scale) is Scale.PRICE

    @property
    def effective_formula(self) -> Formula | None:
        """The formula that scores it: as written, else ``ratio`` for a price and
        ``linear`` for a relative criterion; ``None`` for absolute and yes/no scales."""
        scale = Scale.from_alias(self.scale)
        if scale is Scale.PRICE:
            return self.formula or Formula.RATIO
        if scale is Scale.RELATIVE:
            return self.formula or Formula.LINEAR
        return None


@dataclass(frozen=True)
class Category:
    """A criteria category with its weight (a row of the Categories sheet)."""

    name: str
    weight: float
    description: str = ""
    #: The Categories sheet's Minimum (0–100): a vendor whose category score is below it
    #: is disqualified before prices are compared (docs/scoring.md §12). ``None``: none.
    minimum: float | None = None


#: Settings-sheet defaults (docs/workbook-format.md, Settings).
DEFAULT_CONTRACT_TERM = 3
DEFAULT_DISCOUNT_RATE = 0.0
#: :meth:`Settings.origin_of` of a setting nobody set.
SETTING_DEFAULT = "default"
#: :meth:`Settings.origin_of_choice` of a method or policy given to ``score()`` itself.
CHOSEN_FOR_RUN = "chosen for this run"
#: Where a setting came from (``Settings.origin``), as every output says it.
ORIGIN_WORDS = {
    "workbook": "from the workbook",
    "command line": "from the command line",
    "project": "from the project's settings",
    "dashboard": "changed in the dashboard",
}


def origin_words(where: str) -> str:
    """:meth:`Settings.origin_of` (or ``origin_of_choice``) in words: ``from the
    workbook``, ``changed in the dashboard``, ``default``, ``chosen for this run``…"""
    if where in (SETTING_DEFAULT, CHOSEN_FOR_RUN):
        return where
    return ORIGIN_WORDS.get(where, f"from the {where}")


@dataclass(frozen=True)
class Settings:
    """The Settings sheet (every value ``None`` when not given), and where each came from.

    ``method``, ``missing``, ``quality_minimum``, ``contract_term``, ``discount_rate`` and
    ``disagreement_threshold`` are the values as set; ``origin`` maps each setting that is
    set to ``"workbook"`` or ``"command line"`` (what the outputs say). A command-line
    option overrides the workbook (:meth:`override`).
    """

    method: Method | None = None
    missing: MissingPolicy | None = None
    quality_minimum: float | None = None
    contract_term: int | None = None
    discount_rate: float | None = None
    disagreement_threshold: float | None = None
    origin: dict[str, str] = field(default_factory=dict, compare=False)

    #: The field names, in the order the Settings sheet lists them.
    FIELDS = (
        "method", "missing", "quality_minimum", "contract_term", "discount_rate",
        "disagreement_threshold",
    )  # fmt: skip

    @property
    def term(self) -> int:
        """The contract term in years (default 3)."""
        return DEFAULT_CONTRACT_TERM if self.contract_term is None else int(self.contract_term)

    @property
    def rate(self) -> float:
        """The discount rate as a fraction (default 0)."""
        return DEFAULT_DISCOUNT_RATE if self.discount_rate is None else float(self.discount_rate)

    def origin_of(self, field: str) -> str:
        """Where ``field``'s value comes from: ``"default"`` when it is not set, else its
        ``origin`` (``"workbook"`` when set in code without one: as if by the workbook)."""
        if getattr(self, field) is None:
            return SETTING_DEFAULT
        return self.origin.get(field, "workbook")

    def origin_of_choice(self, field: str, used: Method | MissingPolicy, default: object) -> str:
        """Where a run's method or missing policy ``used`` (setting ``field``) came from:
        the setting's origin when it is what was used, ``"default"`` when nothing is set
        and ``used`` is the ``default``, else :data:`CHOSEN_FOR_RUN` (given to ``score()``
        itself, not through the settings)."""
        given = getattr(self, field)
        if given is not None and type(used).from_alias(given) is used:
            return self.origin_of(field)
        if given is None and used is default:
            return SETTING_DEFAULT
        return CHOSEN_FOR_RUN

    def override(self, origin: str = "command line", **values: Any) -> Settings:
        """A copy with the values that are not ``None`` set (and marked ``origin``)."""
        given = {k: v for k, v in values.items() if v is not None}
        unknown = set(given) - set(self.FIELDS)
        if unknown:
            raise TypeError(f"unknown settings: {sorted(unknown)}")
        if not given:
            return self
        marks = dict(self.origin)
        marks.update(dict.fromkeys(given, origin))
        return dataclasses.replace(self, **given, origin=marks)


@dataclass
class Evaluation:
    """A validated evaluation, ready to score.

    Attributes
    ----------
    vendors:
        Vendor names as written (trimmed), in workbook order.
    criteria:
        The criteria in Criteria-sheet order (or default-model order).
    categories:
        The Categories sheet, or ``None`` when weights are flat (relative to all criteria).
    values:
        Raw values, float, index = vendors, columns = criterion names, NaN = missing.
        Yes/no criteria hold 1.0 / 0.0.
    descriptive:
        Descriptive (non-criterion) Vendors columns, index = vendors, values as read.
    scores:
        The Scores sheet as a long DataFrame (Evaluator, Vendor, Criterion, Score, Comment),
        or ``None``.
    consensus:
        How evaluator scores were combined into ``values``.
    warnings:
        Problems that do not stop scoring.
    source_name, source_sha256:
        The input file's name and the SHA-256 of its bytes (for the audit trail).
    default_model:
        True when the built-in default model supplied the criteria.
    criteria_from:
        Where the criteria came from when neither the workbook nor the default model gave
        them (the dashboard's column mapping says so); ``""`` otherwise.
    units:
        Criterion name → the unit its Vendors cells were typed with: the one currency
        symbol (``{"Blended hourly rate": "$"}``), or ``"%"`` when every value was typed
        as a percentage (``99.9%``); a criterion without either is not listed. The values
        are plain numbers (``99.9%`` is 0.999); the unit is for display.
    numeric_columns:
        Headers of the Vendors columns that hold numbers or yes/no values, in sheet order:
        every criterion column, and every other column whose values look like numbers or
        yes/no (docs/workbook-format.md §2.1).
    unscored_columns:
        The ``numeric_columns`` that are not criteria, so not scored (each one is also an
        ``unscored_column`` warning).
    settings:
        The Settings sheet (:class:`Settings`; all ``None`` without one).
    costs:
        The Costs sheet as a long frame (Vendor, Item, Amount, Frequency, Quantity; the
        Frequency a :class:`~vendor_eval.core.costs.Frequency` value), or ``None``. When
        given, the ``Total cost of ownership`` criterion's values are its TCO under the
        settings' contract term and discount rate (:mod:`vendor_eval.core.costs`).
    """

    vendors: list[str]
    criteria: list[Criterion]
    categories: list[Category] | None
    values: pd.DataFrame
    descriptive: pd.DataFrame = field(default_factory=pd.DataFrame)
    scores: pd.DataFrame | None = None
    consensus: Consensus = Consensus.MEAN
    warnings: list[Problem] = field(default_factory=list)
    source_name: str = ""
    source_sha256: str = ""
    default_model: bool = False
    criteria_from: str = ""
    units: dict[str, str] = field(default_factory=dict)
    numeric_columns: list[str] = field(default_factory=list)
    unscored_columns: list[str] = field(default_factory=list)
    settings: Settings = field(default_factory=Settings)
    costs: pd.DataFrame | None = None

    # -- lookups -----------------------------------------------------------------------
    @property
    def criterion_names(self) -> list[str]:
        return [c.name for c in self.criteria]

    def criterion(self, name: str) -> Criterion:
        """The criterion called ``name`` (exact match)."""
        for c in self.criteria:
            if c.name == name:
                return c
        raise KeyError(name)

    @property
    def panel_criteria(self) -> list[Criterion]:
        """The panel criteria, in criteria order: those on an absolute scale whose values
        come from evaluators' scores (``source == "scores"``), not from a Vendors column.
        A project's panel scores them; the Scores sheet's rows, if any, are scores already
        given (a value is NaN until someone scores the vendor)."""
        return [c for c in self.criteria if c.scale is Scale.ABSOLUTE and c.source == "scores"]

    @property
    def scored_columns(self) -> list[str]:
        """The ``numeric_columns`` that are criteria: ``len(scored_columns)`` of
        ``len(numeric_columns)`` numeric columns are scored."""
        unscored = set(self.unscored_columns)
        return [h for h in self.numeric_columns if h not in unscored]

    @property
    def price_criteria(self) -> list[Criterion]:
        """The price criteria (Scale ``price``), in criteria order."""
        return [c for c in self.criteria if c.is_price]

    @property
    def has_minimums(self) -> bool:
        """True when a used category has a Minimum or the settings a quality minimum."""
        if self.settings.quality_minimum is not None:
            return True
        if self.categories is None:
            return False
        used = {c.category for c in self.criteria}
        return any(k.minimum is not None and k.name in used for k in self.categories)

    @property
    def staged(self) -> bool:
        """True when scoring runs in stages: price criteria or minimums (docs/scoring.md
        §12). Otherwise every result is exactly as without the stages."""
        return bool(self.price_criteria) or self.has_minimums

    @property
    def category_names(self) -> list[str]:
        """Categories in first-use order (Categories sheet order when present)."""
        if self.categories is not None:
            used = {c.category for c in self.criteria}
            return [c.name for c in self.categories if c.name in used]
        seen: dict[str, None] = {}
        for c in self.criteria:
            seen.setdefault(c.category, None)
        return list(seen)

    # -- edits (the dashboard's weights panel) -------------------------------------------
    def with_criteria(self, criteria: Sequence[Criterion]) -> Evaluation:
        """A copy with the criteria replaced (same names, edited weights or rules)."""
        return dataclasses.replace(self, criteria=list(criteria))

    def with_categories(self, categories: Iterable[Category] | None) -> Evaluation:
        """A copy with the category weights replaced."""
        return dataclasses.replace(
            self, categories=None if categories is None else list(categories)
        )

    def with_settings(self, origin: str = "command line", **values: Any) -> Evaluation:
        """A copy with settings overridden (``None`` values leave a setting as it is).

        A changed contract term or discount rate recomputes the ``Total cost of
        ownership`` values from the Costs sheet.
        """
        settings = self.settings.override(origin, **values)
        if settings == self.settings and settings.origin == self.settings.origin:
            return self
        ev = dataclasses.replace(self, settings=settings)
        if self.costs is not None and (
            settings.term != self.settings.term or settings.rate != self.settings.rate
        ):
            from vendor_eval.core.costs import TCO_CRITERION, tco_values

            if TCO_CRITERION in self.values.columns:
                frame = self.values.copy()
                tco = tco_values(self.costs, list(self.vendors), settings.term, settings.rate)
                # by vendor name: the values frame need not list the vendors in order
                frame[TCO_CRITERION] = tco.reindex(frame.index).to_numpy(dtype=float)
                ev.values = frame
        return ev

    def cost_breakdown(self) -> Any:
        """The TCO breakdown (:class:`~vendor_eval.core.costs.CostBreakdown`) under the
        settings' term and rate, or ``None`` without a Costs sheet."""
        if self.costs is None:
            return None
        from vendor_eval.core.costs import breakdown

        return breakdown(self.costs, list(self.vendors), self.settings.term, self.settings.rate)

    def with_weights(
        self,
        criterion_weights: dict[str, float] | None = None,
        category_weights: dict[str, float] | None = None,
    ) -> Evaluation:
        """A copy with some criterion and/or category weights changed (by name)."""
        ev = self
        if criterion_weights:
            ev = ev.with_criteria(
                [
                    c.replace(weight=float(criterion_weights[c.name]))
                    if c.name in criterion_weights
                    else c
                    for c in ev.criteria
                ]
            )
        if category_weights and ev.categories is not None:
            ev = ev.with_categories(
                [
                    dataclasses.replace(k, weight=float(category_weights[k.name]))
                    if k.name in category_weights
                    else k
                    for k in ev.categories
                ]
            )
        return ev
