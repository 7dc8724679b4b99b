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
from functools import cached_property

__all__ = [
    "CATEGORIES",
    "CRITERIA",
    "KNOWN_SHEETS",
    "SCORES",
    "VENDOR",
    "VENDORS",
    "ZERO_WIDTH",
    "Column",
    "SheetLayout",
    "alias_key",
    "name_key",
]

# -- the one normaliser --------------------------------------------------------------------
_ZERO_WIDTH_CHARS = "\u200b\u200c\u200d\u2060\ufeff"  # ZWSP, ZWNJ, ZWJ, word joiner, BOM
#: ``str.translate`` table deleting the invisible characters pasted in with copied text.
ZERO_WIDTH = dict.fromkeys(map(ord, _ZERO_WIDTH_CHARS))
# The default model's alias lookup has always dropped only ZWSP and the BOM.
_ZWSP_AND_BOM = dict.fromkeys(map(ord, "\u200b\ufeff"))
_DASHES = re.compile(r"[\u2010-\u2015\u2212]")  # hyphens, en/em dashes, minus → "-"


def _normalise(
    text: object,
    *,
    invisible: dict[int, None],
    dashes: bool,
    fold: Callable[[str], str],
) -> str:
    """The normalisation steps, in order: NFKC, invisible characters deleted, (dashes
    unified), runs of whitespace to one space and trimmed, case folded."""
    s = unicodedata.normalize("NFKC", str(text)).translate(invisible)
    if dashes:
        s = _DASHES.sub("-", s)
    return fold(" ".join(s.split()))


def name_key(text: object) -> str:
    """The comparison key of a name, header or sheet name.

    NFKC normalisation, zero-width characters removed, runs of whitespace collapsed,
    trimmed and case-folded: ``"Acme"``, ``" ACME "`` and ``"Ac\\u200bme"`` share one key.

    Examples
    --------
    >>> name_key("  Straße\\u00a0 GmbH ")
    'strasse gmbh'
    """
    return _normalise(text, invisible=ZERO_WIDTH, dashes=False, fold=str.casefold)


def alias_key(text: object) -> str:
    """The key of a header looked up among the default model's criterion names and aliases.

    :func:`name_key`'s steps with one extra, dashes unified (``Time–zone`` with an en dash
    is ``time-zone``), and, so that exactly the headers the default model has always
    recognised are recognised, two narrower ones: only the zero-width space and the BOM are
    removed, and case is lowered (``str.lower``), not case-folded.

    Examples
    --------
    >>> alias_key("Client rating (1\\u20135)")
    'client rating (1-5)'
    """
    return _normalise(text, invisible=_ZWSP_AND_BOM, dashes=True, fold=str.lower)


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
MIN = Column("Min", ("Minimum",))
MAX = Column("Max", ("Maximum",))
MUST = Column("Must", ("Must-have", "Must have"))
DESCRIPTION = Column("Description")
CRITERIA = SheetLayout(
    "Criteria",
    (CRITERION, CATEGORY, WEIGHT, DIRECTION, SCALE, MIN, MAX, MUST, DESCRIPTION),
    marks=CRITERION.spellings,
)

# Categories (the same Category, Weight and Description columns as in Criteria) -----------
CATEGORIES = SheetLayout("Categories", (CATEGORY, WEIGHT, DESCRIPTION), marks=CATEGORY.spellings)

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
KNOWN_SHEETS: tuple[SheetLayout, ...] = (VENDORS, CRITERIA, CATEGORIES, SCORES)
