r"""Workbook text (vendor, criterion, category, header and file names, messages quoting them)
shown inside Streamlit Markdown.

Most of what Streamlit draws is Markdown: ``st.markdown``, ``st.caption``, headers, the
``st.info`` / ``st.warning`` / ``st.error`` / ``st.success`` boxes, toasts, widget labels and
``help=`` tooltips, radio options, tab and expander labels, ``st.metric`` labels, values and
deltas, and the help of a table column. Besides CommonMark and GitHub's extensions (links,
images, raw HTML, emphasis, code, tables, lists, headings, and bare ``www.…`` / ``https://…``
/ e-mail addresses turned into links) Streamlit reads ``$…$`` as LaTeX, ``:red[…]`` as a
directive and ``:material/…:`` / ``:smile:`` as icons. A vendor named
``![x](https://attacker.example/p.png)`` would make every viewer's browser fetch that
address, ``[click](https://…)`` would be a live link, ``**Best**`` bold.

:func:`md` makes such text print as written: every ASCII punctuation character gets a
backslash (CommonMark lets any of them be escaped, and an escaped one starts nothing: no
link, image, tag, emphasis, code, list, heading, LaTeX, directive or shortcode), and line
breaks become spaces (a name is one line; a blank line would end a list item or
start an indented code block). Selectbox and multiselect options and table cells are plain
text and must *not* go through :func:`md` (the backslashes would show).

An escape does not stop the bare-address autolinks: Streamlit's renderer still turns an
escaped ``www\.a\.example``, ``https\:\/\/…`` or ``ana\@x\.org`` into a live link (seen in
a real browser). So :func:`md` also puts an invisible WORD JOINER (U+2060) where an autolink
would start: before every ``@`` (e-mail addresses), before ``://`` (a scheme) and between
``www`` and its ``.``; no autolink pattern matches across it, and it shows nothing. Other
text is left as it was.
"""

from __future__ import annotations

import re

__all__ = ["JOINER", "md"]

# Every ASCII punctuation character: ! " # $ % & ' ( ) * + , - . / : ; < = > ? @ [ \ ] ^ _ ` {
# | } ~ (CommonMark's "backslash escapes" set).
_PUNCTUATION = re.compile(r"[!-/:-@\[-`{-~]")
#: Put where an autolink would start ("www.", "https://", "@"): U+2060, shows nothing.
JOINER = "\u2060"
_AUTOLINK = re.compile(r"(?<=[wW]{3})\\\.|\\:\\/\\/|\\@")
# Line and paragraph breaks, as Python's str.splitlines counts them.
_BREAKS = re.compile("\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def md(text: object) -> str:
    """``text`` as Markdown that shows exactly ``text``: ASCII punctuation backslash-escaped,
    line breaks as spaces.

    Examples
    --------
    >>> print(md("Setup fee ($) **now**: :red[x]"))
    Setup fee \\(\\$\\) \\*\\*now\\*\\*\\: \\:red\\[x\\]
    >>> print(md("![x](http://a.example/p.png)").replace(JOINER, "⁀"))
    \\!\\[x\\]\\(http⁀\\:\\/\\/a\\.example\\/p\\.png\\)
    >>> print(md("ana@x.org, www.a.example").replace(JOINER, "⁀"))
    ana⁀\\@x\\.org\\, www⁀\\.a\\.example
    """
    escaped = _PUNCTUATION.sub(r"\\\g<0>", _BREAKS.sub(" ", str(text)))
    return _AUTOLINK.sub(JOINER + r"\g<0>", escaped)
