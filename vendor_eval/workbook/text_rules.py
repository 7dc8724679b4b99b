"""The rules a name or a text typed by a person obeys once it is kept in the database
(docs/projects.md §2): project, scenario and goal names, the acting user's name, the
winner, a justification or reopen reason, a workbook version's file name.

One implementation for both sides: the projects stage applies them when the text is typed,
the store applies them again to every text a backup archive brings back (so a restore
cannot bring in what typing could not). Light on purpose (no pandas): the command line
checks the acting user's name before it knows what it will run.

- A **name** is one line, trimmed, not blank, at most
  :data:`~vendor_eval.core.limits.MAX_NAME_LENGTH` characters, and so is its comparison key
  (:func:`~vendor_eval.workbook.schema.name_key`: "ß" * 200 has a 400-character key).
- A **text** (a justification, a reason) may hold tab and line breaks, up to
  :data:`~vendor_eval.core.limits.MAX_TEXT_LENGTH` characters.
- Neither may hold a control character, a text-direction control
  (:data:`~vendor_eval.workbook.schema.BIDI_CONTROLS`, which reorders the text shown) or a
  lone surrogate (a byte of the command line that is not UTF-8).
- A **file name** is only shown, never typed to find anything: :func:`clean_file_name`
  replaces what a name may not hold by "?" and shortens it, rather than refusing an upload
  over its name.
"""

from __future__ import annotations

import re

from vendor_eval.core.limits import MAX_NAME_LENGTH, MAX_TEXT_LENGTH
from vendor_eval.workbook.schema import BIDI_CONTROLS, name_key

__all__ = [
    "MAX_FILE_NAME_LENGTH",
    "clean_file_name",
    "file_name_problem",
    "name_problem",
    "text_problem",
]

#: Longest file name kept (most file systems' limit).
MAX_FILE_NAME_LENGTH = 255
_SHOWN = 60  # characters of a refused text shown in its message
_BIDI = "".join(sorted(BIDI_CONTROLS))
# names: every control character, line and paragraph separators, bidi controls, surrogates
_REFUSED_IN_NAME = re.compile(f"[\\x00-\\x1f\\x7f-\\x9f\u2028\u2029{_BIDI}\ud800-\udfff]")
# free text: the same, but tab, line feed and carriage return (and U+2028/9) are allowed
_REFUSED_IN_TEXT = re.compile(f"[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f{_BIDI}\ud800-\udfff]")


def _character(ch: str) -> str:
    """``ch`` named for a message."""
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:  # how Python hands over a byte that is not UTF-8
        return f"the byte 0x{code - 0xDC00:02X}, which is not UTF-8 text"
    if 0xD800 <= code <= 0xDFFF:
        return f"U+{code:04X}, which is not a character (a lone surrogate)"
    if ch in "\n\r\u2028\u2029":
        return "a line break"
    if ch in BIDI_CONTROLS:
        return f"the text-direction control U+{code:04X}, which reorders the text shown"
    return f"the control character U+{code:04X}"


def _problem(value: object, limit: int, refused: re.Pattern[str]) -> str | None:
    if not isinstance(value, str):
        return "is not text"
    text = value.strip()
    if not name_key(text):
        return "is blank"
    found = refused.search(text)
    if found is not None:  # the text shown escaped: repr() spells out every such character
        shown = repr(text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…")
        return f"{shown} contains {_character(found[0])}"
    if len(text) > limit:
        return f"is too long ({len(text):,} characters; at most {limit:,})"
    return None


def name_problem(value: object, limit: int = MAX_NAME_LENGTH) -> str | None:
    """What is wrong with ``value`` as a name (trimmed first), as the rest of a sentence
    whose subject names it ("is blank", "'Evil\\x1b[2J' contains the control character
    U+001B", "is too long (201 characters; at most 200)"); None when it is a fine name.
    Its comparison key must fit the limit too (it is stored in a column of that size)."""
    problem = _problem(value, limit, _REFUSED_IN_NAME)
    if problem is None:
        key = name_key(value)
        if len(key) > limit:
            return (
                f"is too long once compared ({len(key):,} characters case-folded, "
                f'as "ß" becomes "ss"; at most {limit:,})'
            )
    return problem


def text_problem(value: object, limit: int = MAX_TEXT_LENGTH) -> str | None:
    """What is wrong with ``value`` as free text (trimmed first; tab and line breaks
    allowed), as :func:`name_problem` says it; None when it is fine."""
    return _problem(value, limit, _REFUSED_IN_TEXT)


def file_name_problem(value: object) -> str | None:
    """What is wrong with ``value`` as a stored file name (what :func:`clean_file_name`
    returns passes): a name of at most :data:`MAX_FILE_NAME_LENGTH` characters whose key
    may be longer (nothing is looked up by it)."""
    return _problem(value, MAX_FILE_NAME_LENGTH, _REFUSED_IN_NAME)


def clean_file_name(value: str, default: str) -> str:
    """``value`` made a file name that :func:`file_name_problem` accepts: every character a
    name may not hold replaced by "?", trimmed, shortened to :data:`MAX_FILE_NAME_LENGTH`
    characters keeping its extension (up to 16 characters after the last dot); ``default``
    when nothing visible is left."""
    text = _REFUSED_IN_NAME.sub("?", value).strip()
    if not name_key(text):
        return default
    if len(text) > MAX_FILE_NAME_LENGTH:
        stem, dot, ext = text.rpartition(".")
        keep = f"{dot}{ext}" if stem and len(ext) <= 16 else ""
        text = text[: MAX_FILE_NAME_LENGTH - len(keep) - 1].rstrip() + "…" + keep
    return text
