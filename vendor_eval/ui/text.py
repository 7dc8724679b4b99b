"""Workbook text (vendor, criterion, header and file names) shown inside Streamlit Markdown.

``st.info``, ``st.warning``, ``st.error``, ``st.caption`` and ``st.markdown`` render Markdown,
and Streamlit also reads ``$…$`` as LaTeX and ``:red[…]`` / ``:material/…:`` as directives.
A header named ``Setup fee ($)`` next to another ``$`` garbled a note; a vendor named
``**Best**`` or ``[x](https://…)`` would be shown as bold text or a link. :func:`md` escapes
every character with such a meaning, so user text prints as written.
"""

from __future__ import annotations

import re

__all__ = ["md"]

# CommonMark lets any ASCII punctuation be backslash-escaped; these are the ones that give
# Markdown emphasis, code, links and HTML, Streamlit's LaTeX ($) and its directives
# (":red[", ":material/…:" — a colon before a letter or "/"; "word: text" stays as it is).
_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|$~])|(:)(?=[A-Za-z/])")


def md(text: object) -> str:
    """``text`` with every Markdown-significant character backslash-escaped.

    Examples
    --------
    >>> print(md("Setup fee ($) **now**: :red[x]"))
    Setup fee (\\$) \\*\\*now\\*\\*: \\:red\\[x\\]
    """
    return _SPECIAL.sub(lambda m: "\\" + (m.group(1) or m.group(2)), str(text))
