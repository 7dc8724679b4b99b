"""The workbook layout declared once, and the one header normaliser.

The two normalisers the importer had before (``cells.name_key`` and ``defaults._key``) are
copied here verbatim: :func:`name_key` and :func:`alias_key` must give exactly their keys,
over tricky strings and over every single code point, except for what issue 11 changed on
purpose: every invisible character (:data:`schema.INVISIBLE_CHARS`) is removed, not only
the zero-width ones, and the braille blank reads as a space. So no header, sheet or vendor
name matches differently than before unless it holds one of those.
"""

from __future__ import annotations

import re
import sys
import unicodedata

import pytest

from vendor_eval.core.costs import COST_COLUMNS
from vendor_eval.core.model import Settings
from vendor_eval.workbook import schema
from vendor_eval.workbook.defaults import DEFAULT_ALIASES, DEFAULT_CRITERIA, canonical_name
from vendor_eval.workbook.schema import alias_key, name_key

# -- the old definitions, as they were -------------------------------------------------------
_OLD_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))


def old_name_key(text: object) -> str:
    s = unicodedata.normalize("NFKC", str(text)).translate(_OLD_ZERO_WIDTH)
    return " ".join(s.split()).casefold()


def old_defaults_key(header: str) -> str:
    text = unicodedata.normalize("NFKC", str(header))
    text = text.replace("\u200b", "").replace("\ufeff", "")
    text = re.sub(r"[\u2010-\u2015\u2212]", "-", text)  # en/em dashes, minus → hyphen
    return re.sub(r"\s+", " ", text).strip().lower()


TRICKY = [
    "",
    "   ",
    "Acme",
    " ACME ",
    "Ac\u200bme",  # zero-width space
    "Ac\u200cme",  # zero-width non-joiner
    "Ac\u200dme",  # zero-width joiner
    "Ac\u2060me",  # word joiner
    "\ufeffVendor",  # BOM
    "Time–zone overlap (hours)",  # en dash
    "Time—zone overlap",  # em dash
    "Time‐zone",  # U+2010 hyphen
    "Time‑zone",  # U+2011 non-breaking hyphen
    "−3",  # minus sign
    "Straße",
    "STRASSE",
    "ẞ",  # capital sharp s
    "Years in busineß",
    "ﬁnance",  # ﬁ ligature (NFKC: fi)
    "ﬀ",
    "ſ",  # long s (NFKC: s)
    "ΣΊΣΥΦΟΣ",  # final sigma: casefold and lower differ
    "İstanbul",  # dotted capital I
    "Kelvin \u212a",  # Kelvin sign
    "Ｖｅｎｄｏｒ",  # full-width letters
    "Vendor\u00a0name",  # no-break space
    "Vendor\u202fname",  # narrow no-break space
    "Vendor\u2009name",  # thin space
    "Vendor\u3000name",  # ideographic space
    "  Vendor \t\n name  ",
    "Vendor\x1cname",  # information separator: str.split() treats it as whitespace
    "Client rating (1–5)",
    "ISO\u200d27001",
    "iso\u2060 27001",
    "\u00c5",  # Å composed
    "A\u030a",  # Å decomposed
    "\u0130",
    "½",
    "①",
    "Ⅻ",
    12,
    2024.0,
    None,
    True,
]


# Format characters that show (a sign written before the number it spans), so kept.
PREPENDED_MARKS = frozenset(
    "\u0600\u0601\u0602\u0603\u0604\u0605\u06dd\u070f\u0890\u0891\u08e2\U000110bd\U000110cd"
)
# Invisible characters that are not format characters (Unicode's default-ignorable code
# points of other categories): fillers, variation selectors, joiners.
INVISIBLE_LETTERS_AND_MARKS = frozenset(
    "\u034f\u115f\u1160\u17b4\u17b5\u180b\u180c\u180d\u180f\u3164\uffa0"
    + "".join(map(chr, range(0xFE00, 0xFE10)))
    + "".join(map(chr, range(0xE0100, 0xE01F0)))
)


def without_invisible(text: object) -> str:
    return "".join(c for c in str(text) if c not in schema.INVISIBLE_CHARS)


def test_the_invisible_characters_are_the_format_characters_and_the_ignorables() -> None:
    """Every format character (Cf) but the visible prepended marks, every default-ignorable
    letter or mark, and otherwise only unassigned code points of the ignorable blocks."""
    for cp in range(sys.maxunicode + 1):
        c = chr(cp)
        category = unicodedata.category(c)
        if category == "Cf" and c not in PREPENDED_MARKS:
            assert c in schema.INVISIBLE_CHARS, hex(cp)
        if c in schema.INVISIBLE_CHARS:
            assert category in ("Cf", "Cn") or c in INVISIBLE_LETTERS_AND_MARKS, hex(cp)
    assert schema.BIDI_CONTROLS <= schema.INVISIBLE_CHARS


@pytest.mark.parametrize("text", TRICKY, ids=[repr(t)[:30] for t in TRICKY])
def test_name_key_and_alias_key_give_the_old_keys_without_invisible_characters(
    text: object,
) -> None:
    assert name_key(text) == old_name_key(without_invisible(text))
    assert alias_key(text) == old_defaults_key(without_invisible(text))


# The Basic Multilingual Plane, plus the astral blocks NFKC maps onto letters and digits
# (mathematical alphanumerics, enclosed alphanumerics) and the invisible tag characters.
_CODE_POINTS = [
    *range(0xD800),
    *range(0xE000, 0x10000),
    *range(0x1D400, 0x1D800),
    *range(0x1F100, 0x1F200),
    *range(0xE0000, 0xE0080),
    sys.maxunicode,
]


def test_the_old_keys_hold_for_every_code_point() -> None:
    """Each code point alone and between letters (NFKC composes across neighbours): the
    old key, or for an invisible character the key without it."""
    for cp in _CODE_POINTS:
        c = chr(cp)
        for text in (c, f"a{c}b"):
            if c == "\u2800":  # the braille blank reads as a space
                assert name_key(text) == old_name_key(text.replace(c, " ")), hex(cp)
                continue
            plain = without_invisible(text)
            assert name_key(text) == old_name_key(plain), hex(cp)
            assert alias_key(text) == old_defaults_key(plain), hex(cp)


def test_an_invisible_character_between_a_letter_and_its_accent_is_not_in_the_way() -> None:
    composed = "Caf\u00e9"
    for c in ("\u00ad", "\u200b", "\ufe0f", "\U000e0041"):
        assert name_key(f"Cafe{c}\u0301") == name_key(composed) == "café"


def test_the_two_keys_differ_only_by_the_default_models_rules() -> None:
    # dashes unified for default-model lookups only
    assert alias_key("Time–zone") == "time-zone" != name_key("Time–zone")
    # the historical narrower rules of the default-model lookup, kept on purpose
    assert name_key("Straße") == "strasse" and alias_key("Straße") == "straße"
    # invisible characters are removed by both (issue 11): ISO\u200d27001 is ISO27001
    assert name_key("ISO\u200d27001") == "iso27001" == alias_key("ISO\u200d27001")
    assert canonical_name("ISO\u00ad27001") == canonical_name("ISO27001") == "ISO 27001"


def test_default_model_lookups_are_unchanged() -> None:
    for alias, target in DEFAULT_ALIASES.items():
        assert canonical_name(alias) == target
        assert canonical_name(f"  {alias.upper()} ") == target
    for c in DEFAULT_CRITERIA:
        assert canonical_name(c.name.replace("-", "–")) == c.name
    assert canonical_name("Years in busineß") is None  # as before: lower(), not casefold()


# -- the declarations ------------------------------------------------------------------------
def test_sheets_and_headers_as_the_format_describes() -> None:
    assert [s.name for s in schema.KNOWN_SHEETS] == [
        "Vendors", "Criteria", "Categories", "Scores", "Settings", "Costs",
    ]  # fmt: skip
    assert schema.VENDOR.spellings == ("Vendor", "Vendor name", "Supplier", "Supplier name")
    assert schema.CRITERIA.headers == [
        "Criterion",
        "Category",
        "Weight",
        "Direction",
        "Scale",
        "Formula",
        "Min",
        "Max",
        "Must",
        "Goal",
        "Description",
    ]
    assert schema.GOAL.spellings == ("Goal", "Goals", "Objective", "Serves goal")
    assert [c.name for c in schema.CRITERIA.required] == ["Criterion", "Category", "Weight"]
    assert schema.CATEGORIES.headers == ["Category", "Weight", "Minimum", "Description"]
    assert schema.SETTINGS.headers == ["Setting", "Value"]
    assert [s.name for s in schema.SETTING_ROWS] == [
        "Method", "Missing values", "Quality minimum", "Contract term (years)",
        "Discount rate", "Disagreement threshold",
    ]  # fmt: skip
    assert [s.field for s in schema.SETTING_ROWS] == list(Settings.FIELDS)
    assert schema.COSTS.headers == ["Vendor", "Item", "Amount", "Frequency", "Quantity"]
    assert schema.COSTS.headers == COST_COLUMNS
    assert [c.name for c in schema.COSTS.required] == ["Vendor", "Item", "Amount", "Frequency"]
    assert schema.SCORES.headers == ["Evaluator", "Vendor", "Criterion", "Score", "Comment"]
    assert [c.name for c in schema.SCORES.required] == ["Evaluator", "Vendor", "Criterion", "Score"]
    assert schema.SCORES.marks == ("Evaluator", "Criterion", "Score")


def test_column_matching_uses_every_spelling() -> None:
    assert schema.MUST.matches(" must-HAVE ")
    assert schema.MAX.matches("Maximum")
    assert schema.VENDOR.matches("supplier\u00a0name")
    assert not schema.SCORE_VENDOR.matches("Supplier")  # Scores takes "Vendor" only
    assert schema.CRITERIA.index(schema.MUST) == 8
    assert schema.FORMULA.matches("price formula")
    assert schema.CATEGORY_MINIMUM.matches(" Minimum score ")
    assert schema.COST_QUANTITY.matches("Qty")


def test_the_template_writes_the_declared_headers() -> None:
    import io

    from openpyxl import load_workbook

    from vendor_eval.workbook.template import write_template

    data = write_template()
    assert data is not None
    wb = load_workbook(io.BytesIO(data))
    for sheet in (schema.CRITERIA, schema.CATEGORIES, schema.COSTS):
        row = next(wb[sheet.name].iter_rows(min_row=1, max_row=1, values_only=True))
        assert list(row) == sheet.headers
    # the Settings sheet: the declared headers, then a Description column of help
    row = next(wb[schema.SETTINGS.name].iter_rows(min_row=1, max_row=1, values_only=True))
    assert list(row) == [*schema.SETTINGS.headers, "Description"]
    assert wb[schema.VENDORS.name]["A1"].value == schema.VENDOR.name


def test_a_csv_file_reads_as_the_declared_sheets() -> None:
    # reading/ may not import the layout, so csv.py names its sheets itself: the same names.
    from vendor_eval.workbook.reading import csv

    assert schema.VENDORS.name == csv.VENDORS_SHEET
    assert schema.CRITERIA.name == csv.CRITERIA_SHEET
    vendors = csv.read_csv(b"Vendor\nAcme\n", "v.csv")
    assert [s.name for s in vendors.sheets] == [schema.VENDORS.name]
    criteria = csv.read_csv(b"Criterion\nPrice\n", "c.csv", kind_hint="criteria")
    assert [s.name for s in criteria.sheets] == [schema.CRITERIA.name]
