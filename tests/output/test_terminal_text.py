"""Names printed to a terminal never control it: the table and the stress-test report.

A vendor named with an escape sequence can clear the screen, recolour or retitle the
terminal, or plant a hyperlink (OSC 8); a right-to-left override reverses what follows.
Every such character is shown as a visible symbol; the columns still line up.
"""

from __future__ import annotations

import unicodedata

import pytest
from conftest import make_evaluation
from hypothesis import given
from hypothesis import strategies as st

from vendor_eval.core.model import Category, Criterion
from vendor_eval.output import safety
from vendor_eval.output.text import format_report, format_table
from vendor_eval.scoring.scorer import score

HOSTILE = [
    "Clear\x1b[2J\x1b[H",
    "\x1b]8;;https://attacker.invalid\x1b\\link\x1b]8;;\x1b\\",  # OSC 8 hyperlink
    "Title\x1b]0;owned\x07",
    "CSI\x9b31m",  # the 8-bit CSI
    "\u202egnp.exe",  # right-to-left override
    "Line\nbreak\rreturn\x85nel\u2028ls",
]
BIDI = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def assert_inert(text: str) -> None:
    """No character that a terminal acts on or that reorders text, other than the lines'
    own line feeds."""
    bad = [
        f"U+{ord(ch):04X}"
        for ch in text
        if (unicodedata.category(ch) == "Cc" and ch != "\n") or ch in BIDI or ch in "\u2028\u2029"
    ]
    assert not bad, bad


@pytest.fixture(scope="module")
def ranking():
    crit = [Criterion("Rate\x1b[5m", "Cost\u202e", 1), Criterion("Years", "Quality\x9b1m", 2)]
    values = {"Rate\x1b[5m": [1, 2, 3, 4, 5, 6], "Years": [6, 5, 4, 3, 2, 1]}
    cats = [Category("Cost\u202e", 1), Category("Quality\x9b1m", 1)]
    return score(make_evaluation(values, crit, cats, vendors=HOSTILE))


def test_the_table_shows_escapes_and_stays_aligned(ranking):
    text = format_table(ranking)
    assert_inert(text)
    assert "Clear␛[2J␛[H" in text and "⟨U+202E⟩gnp.exe" in text and "CSI⟨U+009B⟩31m" in text
    rows = text.splitlines()[5:]  # title, settings, blank, header, rule
    assert len(rows) == len(HOSTILE)  # a line break in a name does not start a row
    status = {r.index("Qualified") for r in rows if "Disqualified" not in r}
    assert len(status) == 1  # the Status column starts at the same place on every row


def test_the_stress_report_shows_escapes(ranking):
    from vendor_eval.stress.analysis import analyse

    report = analyse(ranking.evaluation, samples=200, seed=0)
    text = format_report(report)
    assert_inert(text)
    assert "␛[2J" in text and "⟨U+202E⟩" in text


@given(st.text())
def test_terminal_text_is_one_inert_line_and_keeps_what_is_printable(text):
    out = safety.terminal_text(text)
    assert_inert(out)
    assert "\n" not in out
    kept = [ch for ch in text if ch.isprintable() and ch not in BIDI]
    assert all(ch in out for ch in kept)
    assert safety.terminal_text(text, lines=True).count("\n") == text.count("\n")


@pytest.mark.parametrize(
    "name",
    [
        "\U0001f468\u200d\U0001f469\u200d\U0001f467 Family IT",  # an emoji ZWJ sequence
        "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",  # Persian with a ZWNJ
        "\u0915\u094d\u200d\u0937 Systems",  # Devanagari with a ZWJ
    ],
)
def test_joiners_that_real_names_need_are_printed_as_they_are(name):
    assert safety.terminal_text(name) == name
