"""The vendor workbook's layout, declared once: sheet names, headers, accepted aliases.

The importer finds columns by these declarations, the blank template and the Excel export
write their headers from them, and :func:`name_key` is the one rule by which a header, a
sheet name or a vendor, criterion or category name is compared (docs/workbook-format.md).

Adding a column means adding one :class:`Column` here and reading it where its value is
interpreted (``workbook/importing/criteria.py`` for a Criteria column).

The default model's *criterion* names and their alternative spellings (``"reference check"``
→ ``References checked``) are not part of the layout but of the model, and live with it in
:mod:`vendor_eval.workbook.defaults`, looked up with :func:`alias_key`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, lru_cache

__all__ = [
    "BIDI_CONTROLS",
    "CATEGORIES",
    "COSTS",
    "CRITERIA",
    "INVISIBLE_CHARS",
    "INVISIBLE_CLASS",
    "KNOWN_SHEETS",
    "KNOWN_SHEET_KEYS",
    "SCORES",
    "SETTINGS",
    "SETTING_ROWS",
    "VENDOR",
    "VENDORS",
    "Column",
    "SettingRow",
    "SheetLayout",
    "alias_key",
    "name_key",
    "without_invisible",
]

# -- the one normaliser --------------------------------------------------------------------
# Characters that render as nothing (Unicode's default-ignorable code points, plus the
# invisible format characters outside that property): pasted in with copied text, or put
# there to make two names that look alike compare different. docs/workbook-format.md §1.4.
_INVISIBLE_RANGES = (
    (0x00AD, 0x00AD),  # soft hyphen
    (0x034F, 0x034F),  # combining grapheme joiner
    (0x061C, 0x061C),  # Arabic letter mark (ALM)
    (0x115F, 0x1160),  # Hangul choseong and jungseong fillers
    (0x17B4, 0x17B5),  # Khmer inherent vowels
    (0x180B, 0x180F),  # Mongolian variation selectors and vowel separator
    (0x200B, 0x200F),  # zero-width space, non-joiner, joiner; LRM, RLM
    (0x202A, 0x202E),  # bidi embeddings and overrides (refused in names: BIDI_CONTROLS)
    (0x2060, 0x206F),  # word joiner, invisible operators, bidi isolates, deprecated formats
    (0x3164, 0x3164),  # Hangul filler
    (0xFE00, 0xFE0F),  # variation selectors
    (0xFEFF, 0xFEFF),  # byte-order mark (zero-width no-break space)
    (0xFFA0, 0xFFA0),  # halfwidth Hangul filler
    (0xFFF0, 0xFFFB),  # unassigned specials, interlinear annotation marks
    (0x13430, 0x1343F),  # Egyptian hieroglyph format controls
    (0x1BCA0, 0x1BCA3),  # shorthand format controls
    (0x1D173, 0x1D17A),  # musical symbol format controls
    (0xE0000, 0xE0FFF),  # tag characters, variation selectors supplement
)
INVISIBLE_CHARS = frozenset(chr(cp) for lo, hi in _INVISIBLE_RANGES for cp in range(lo, hi + 1))
#: The inside of a regular-expression character class of :data:`INVISIBLE_CHARS`.
INVISIBLE_CLASS = "".join(f"\\U{lo:08x}-\\U{hi:08x}" for lo, hi in _INVISIBLE_RANGES)
#: The bidirectional embedding, override and isolate controls: they reorder the text shown
#: around them (``"\u202eemca"`` shows as ``acme``), so a name holding one is refused.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_INVISIBLE_RE = re.compile(f"[{INVISIBLE_CLASS}]")
_DASHES = re.compile(r"[\u2010-\u2015\u2212]")  # hyphens, en/em dashes, minus → "-"
_BRAILLE_BLANK = "\u2800"  # blank, but not whitespace to str.split(): read as a space


def without_invisible(text: str) -> str:
    """``text`` without its :data:`INVISIBLE_CHARS` (one regular-expression pass)."""
    return text if text.isascii() else _INVISIBLE_RE.sub("", text)


def _normalise(text: object, *, dashes: bool, fold: Callable[[str], str]) -> str:
    """The normalisation steps, in order: invisible characters deleted (before NFKC, so that
    a letter and its accent compose across a deleted one, and after, for what NFKC makes),
    NFKC, (dashes unified), runs of whitespace to one space and trimmed, case folded."""
    s = str(text)
    if s.isascii():  # nothing invisible, NFKC changes nothing, no Unicode dash
        return fold(" ".join(s.split()))
    s = unicodedata.normalize("NFKC", _INVISIBLE_RE.sub("", s))
    s = _INVISIBLE_RE.sub("", s).replace(_BRAILLE_BLANK, " ")
    if dashes:
        s = _DASHES.sub("-", s)
    return fold(" ".join(s.split()))


def name_key(text: object) -> str:
    """The comparison key of a name, header or sheet name.

    Invisible characters (:data:`INVISIBLE_CHARS`: zero-width spaces and joiners, soft
    hyphens, direction marks, variation selectors, tag characters...) removed, NFKC
    normalisation, runs of whitespace collapsed, trimmed and case-folded: ``"Acme"``,
    ``" ACME "``, ``"Ac\u200bme"`` and ``"Ac\u00adme"`` share one key.

    Examples
    --------
    >>> name_key("  Straße\u00a0 GmbH ")
    'strasse gmbh'
    """
    if type(text) is str and len(text) <= _CACHED_LENGTH:
        return _cached_name_key(text)
    return _normalise(text, dashes=False, fold=str.casefold)


# Names repeat (a Scores sheet names each vendor and criterion on many rows), so the keys of
# short strings are kept: a bounded cache of at most _CACHE_SIZE strings of at most
# _CACHED_LENGTH characters, so that the work stays linear in the distinct names.
_CACHED_LENGTH = 256
_CACHE_SIZE = 8192


@lru_cache(maxsize=_CACHE_SIZE)
def _cached_name_key(text: str) -> str:
    return _normalise(text, dashes=False, fold=str.casefold)


def alias_key(text: object) -> str:
    """The key of a header looked up among the default model's criterion names and aliases.

    :func:`name_key`'s steps with one extra, dashes unified (``Time–zone`` with an en dash
    is ``time-zone``), and, so that the headers the default model has always recognised
    are recognised, case is lowered (``str.lower``), not case-folded.

    Examples
    --------
    >>> alias_key("Client rating (1\u20135)")
    'client rating (1-5)'
    """
    return _normalise(text, dashes=True, fold=str.lower)


# -- columns and sheets --------------------------------------------------------------------
@dataclass(frozen=True)
class Column:
    """One column of an input sheet.

    Attributes
    ----------
    name:
        The header as the template and the export write it.
    aliases:
        Other headers accepted for it when reading (matched by :func:`name_key`).
    required:
        Whether the sheet is refused without it.
    """

    name: str
    aliases: tuple[str, ...] = ()
    required: bool = False

    @property
    def spellings(self) -> tuple[str, ...]:
        """The name, then the aliases: every header that means this column."""
        return (self.name, *self.aliases)

    @cached_property
    def keys(self) -> frozenset[str]:
        """The :func:`name_key` of every spelling."""
        return frozenset(name_key(s) for s in self.spellings)

    def matches(self, text: object) -> bool:
        """Whether ``text`` (a header or a cell) is one of this column's spellings."""
        return name_key(text) in self.keys


@dataclass(frozen=True)
class SheetLayout:
    """One input sheet: its name, its columns in the order written, and its header marks.

    Attributes
    ----------
    name:
        The sheet name (matched ignoring case and surrounding spaces).
    columns:
        The columns in the order the template and the export write them.
    marks:
        Headers that identify the header row: the first row holding one of them is the
        header row, so title rows above it are skipped.
    """

    name: str
    columns: tuple[Column, ...]
    marks: tuple[str, ...]

    @property
    def headers(self) -> list[str]:
        """The headers as written, in order."""
        return [c.name for c in self.columns]

    @property
    def required(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.required)

    def index(self, column: Column) -> int:
        """The 0-based position at which the template and the export write ``column``."""
        return self.columns.index(column)


# Vendors ----------------------------------------------------------------------------------
#: The vendor-name column; every other Vendors column is a criterion or descriptive text.
VENDOR = Column("Vendor", ("Vendor name", "Supplier", "Supplier name"), required=True)
VENDORS = SheetLayout("Vendors", (VENDOR,), marks=VENDOR.spellings)

# Criteria ---------------------------------------------------------------------------------
CRITERION = Column("Criterion", ("Criteria",), required=True)
CATEGORY = Column("Category", required=True)
WEIGHT = Column("Weight", required=True)
DIRECTION = Column("Direction")
SCALE = Column("Scale")
#: How a relative or price criterion is scored: ratio, linear or budget (docs/scoring.md §12).
FORMULA = Column("Formula", ("Price formula", "Scoring formula"))
MIN = Column("Min", ("Minimum",))
MAX = Column("Max", ("Maximum",))
MUST = Column("Must", ("Must-have", "Must have"))
DESCRIPTION = Column("Description")
#: The project goal a criterion serves (docs/workbook-format.md §3.1): one goal's name.
GOAL = Column("Goal", ("Goals", "Objective", "Serves goal"))
CRITERIA = SheetLayout(
    "Criteria",
    (CRITERION, CATEGORY, WEIGHT, DIRECTION, SCALE, FORMULA, MIN, MAX, MUST, GOAL, DESCRIPTION),
    marks=CRITERION.spellings,
)

# Categories (the same Category, Weight and Description columns as in Criteria) -----------
#: A category's minimum score (0–100) before prices are compared (docs/scoring.md §12).
CATEGORY_MINIMUM = Column("Minimum", ("Min", "Minimum score", "Min score", "Threshold"))
CATEGORIES = SheetLayout(
    "Categories", (CATEGORY, WEIGHT, CATEGORY_MINIMUM, DESCRIPTION), marks=CATEGORY.spellings
)

# Settings (docs/workbook-format.md, Settings) ---------------------------------------------
SETTING = Column("Setting", required=True)
SETTING_VALUE = Column("Value", required=True)
SETTINGS = SheetLayout("Settings", (SETTING, SETTING_VALUE), marks=(SETTING.name,))


@dataclass(frozen=True)
class SettingRow:
    """One row of the Settings sheet: the :class:`~vendor_eval.core.model.Settings` field
    it sets, the name as written, and the other names accepted."""

    field: str
    name: str
    aliases: tuple[str, ...] = ()

    @cached_property
    def keys(self) -> frozenset[str]:
        return frozenset(name_key(s) for s in (self.name, *self.aliases))


#: The settings, in the order the template and the export write them.
SETTING_ROWS: tuple[SettingRow, ...] = (
    SettingRow("method", "Method", ("Scoring method",)),
    SettingRow("missing", "Missing values", ("Missing", "Missing value policy")),
    SettingRow("quality_minimum", "Quality minimum", ("Minimum quality score",)),
    SettingRow("contract_term", "Contract term (years)", ("Contract term", "Term (years)")),
    SettingRow("discount_rate", "Discount rate", ("Discount rate (%)",)),
    SettingRow("disagreement_threshold", "Disagreement threshold", ("Threshold",)),
)

# Costs (docs/workbook-format.md, Costs; docs/scoring.md §12.4) ----------------------------
COST_VENDOR = Column("Vendor", ("Vendor name", "Supplier", "Supplier name"), required=True)
COST_ITEM = Column("Item", ("Cost item", "Description"), required=True)
COST_AMOUNT = Column("Amount", ("Cost", "Price"), required=True)
COST_FREQUENCY = Column("Frequency", ("Billing", "Paid"), required=True)
COST_QUANTITY = Column("Quantity", ("Qty", "Units"))
COSTS = SheetLayout(
    "Costs",
    (COST_VENDOR, COST_ITEM, COST_AMOUNT, COST_FREQUENCY, COST_QUANTITY),
    marks=(COST_ITEM.name, COST_AMOUNT.name),
)

# Scores (no aliases: "Supplier" or "Criteria" here are not accepted) ----------------------
EVALUATOR = Column("Evaluator", required=True)
SCORE_VENDOR = Column("Vendor", required=True)
SCORE_CRITERION = Column("Criterion", required=True)
SCORE = Column("Score", required=True)
COMMENT = Column("Comment")
SCORES = SheetLayout(
    "Scores",
    (EVALUATOR, SCORE_VENDOR, SCORE_CRITERION, SCORE, COMMENT),
    marks=(EVALUATOR.name, SCORE_CRITERION.name, SCORE.name),
)

#: Every input sheet the importer reads, by name.
KNOWN_SHEETS: tuple[SheetLayout, ...] = (VENDORS, CRITERIA, CATEGORIES, SCORES, SETTINGS, COSTS)
#: The name keys of :data:`KNOWN_SHEETS`: a sheet named otherwise is not one of the format's.
KNOWN_SHEET_KEYS = frozenset(name_key(s.name) for s in KNOWN_SHEETS)
