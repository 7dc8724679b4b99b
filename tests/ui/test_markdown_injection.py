"""Workbook text is shown as text on every page of the dashboard, never as Markdown or HTML.

A workbook whose vendor, criterion, category, description and file names are Markdown and
HTML attacks is uploaded, every tab and panel is opened (and the states that quote names in
messages are reached), and every string Streamlit renders as Markdown is collected from the
element tree: bodies, labels, values, deltas, help tooltips, radio options, tab and expander
labels, table-column help. None may hold a live construct built from the names: with every
backslash-escaped character taken out, no link, image, tag, emphasis, LaTeX, directive,
shortcode or autolink of a hostile name may remain. Chart text is checked the same way
(Plotly reads HTML, not Markdown).
"""

from __future__ import annotations

import io
import itertools
import json
import os
import re

import openpyxl
import pytest
from conftest import ROOT, strings, xlsx
from google.protobuf.json_format import MessageToDict
from hypothesis import assume, given
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from vendor_eval.ui.text import JOINER, md

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

HOSTILE = [
    "![x](http://attacker.invalid/p.png)",
    "[x](javascript:alert(1))",
    "<img src=x onerror=alert(1)>",
    "**bold**",
    "$x$ and $y$",
    ":red[x] :smile: :material/home:",
    "www.attacker.invalid",
    "- item",
    "# heading",
    "%{y} &lt;b&gt; `code` ~~gone~~",
]
FILE_NAME = "![f](http://attacker.invalid/f.png) <img src=y>.xlsx"
CRITERIA = [f"C {h}" for h in HOSTILE[:4]] + HOSTILE[4:7]
CATEGORIES = HOSTILE[:3]

# What must not survive in a Markdown source once every escaped character is taken out:
# the pieces of the hostile names that Markdown, GitHub's extensions or Streamlit would act on.
LIVE = [
    "](", "![", "<img", "<a", "javascript:", "http:", "www.", "**bold**", "$x$", ":red[",
    ":smile:", ":material/home", "# heading", "- item", "`code`", "~~gone~~", "&lt;",
]  # fmt: skip
# Streamlit loads its emoji plugin when the raw source matches this (StreamlitMarkdown).
EMOJI = re.compile(r":(?!material/|streamlit:)[\w+-][\w_+-]*:")
_ESCAPED = re.compile(r"\\[!-/:-@\[-`{-~]")
# Proto fields Streamlit renders as Markdown (selectbox/multiselect options and table cells
# are plain text and are not collected).
MARKDOWN_FIELDS = {"body", "label", "help", "delta", "captions", "delta_description"}
PLAIN_PROTOS = {"Text", "Code", "Json", "Exception", "Html", "PlotlyChart", "Dataframe"}
MARKDOWN_OPTIONS = {"Radio", "Slider"}  # radio options; select_slider tick labels


def hostile_workbook(*, broken: bool = False) -> bytes:
    """Vendors, Criteria and Categories, every name and description an attack."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Vendors"
    ws.append(["Vendor", *CRITERIA, "Notes"])
    for i, v in enumerate(HOSTILE):
        values: list[object] = [((i * 7 + j * 3) % 10) + 1 for j in range(len(CRITERIA))]
        if broken and i == 0:
            values[0] = HOSTILE[1]  # text in a numeric column: the message quotes it
        ws.append([v, *values, HOSTILE[-1 - i]])
    cs = wb.create_sheet("Criteria")
    cs.append(["Criterion", "Category", "Weight", "Direction", "Scale", "Min", "Max", "Must",
               "Description"])  # fmt: skip
    for j, c in enumerate(CRITERIA):
        must = ">= 2" if j == 0 else None  # some vendors are disqualified on a hostile name
        cs.append([c, CATEGORIES[j % 3], j + 1, "higher" if j % 2 else "lower", "relative",
                   None, None, must, HOSTILE[j]])  # fmt: skip
    ks = wb.create_sheet("Categories")
    ks.append(["Category", "Weight", "Description"])
    for k, c in enumerate(CATEGORIES):
        ks.append([c, k + 1, HOSTILE[-k - 1]])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.fixture(autouse=True)
def _repo_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def uploaded(data: bytes | None = None, name: str = FILE_NAME) -> AppTest:
    at = AppTest.from_file(os.fspath(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.file_uploader(key="upload").set_value((name, data or hostile_workbook(), XLSX))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def markdown_sources(at: AppTest) -> list[str]:
    """Every string on screen that Streamlit renders as Markdown."""
    out: list[str] = []
    for node in at._tree:
        proto = getattr(node, "proto", None)
        if proto is None or not hasattr(proto, "DESCRIPTOR"):
            continue
        kind = proto.DESCRIPTOR.name
        if kind in PLAIN_PROTOS:
            if kind == "Dataframe" and proto.columns:  # a table: its column help is Markdown
                for spec in json.loads(proto.columns).values():
                    out += [spec[k] for k in ("help",) if spec.get(k)]
            continue
        fields = MARKDOWN_FIELDS | ({"options"} if kind in MARKDOWN_OPTIONS else set())
        d = MessageToDict(proto, preserving_proto_field_name=True)
        out += [text for field, text in strings(d) if field in fields and text]
    return out


def chart_texts(at: AppTest) -> list[tuple[str, str]]:
    """(field, text) of every string of every Plotly figure on screen."""
    out: list[tuple[str, str]] = []
    for chart in at.get("plotly_chart"):
        out += list(strings(json.loads(chart.proto.spec)))
    return out


def live_constructs(source: str) -> list[str]:
    """The hostile pieces left in ``source`` once escaped characters are taken out."""
    bare = _ESCAPED.sub("\x00", source)
    found = [piece for piece in LIVE if piece in bare]
    if "$" in bare:
        found.append("$ (LaTeX)")
    if EMOJI.search(source):
        found.append("emoji shortcode")
    return found


_TAGS = re.compile(r"<br>|<extra>|</extra>")


def assert_safe(at: AppTest) -> list[str]:
    """No Markdown source holds a live piece of a hostile name; no chart text holds a tag
    other than the charts' own ``<br>`` and ``<extra>`` or a template placeholder of a name.
    Returns the sources (for checks that the names are on screen at all)."""
    sources = markdown_sources(at)
    bad = {s: live_constructs(s) for s in sources if live_constructs(s)}
    assert not bad, bad
    for field, text in chart_texts(at):
        assert "<" not in _TAGS.sub("", text), (field, text)
        if field.endswith("template"):  # a name's "%{y}" would be filled in
            assert "%{y} &" not in text, (field, text)
    return sources


def test_names_in_the_ranking_headline_and_sidebar_are_text():
    at = uploaded()
    sources = assert_safe(at)
    ranking = at.session_state["ve_ranking"]
    assert ranking.leader in HOSTILE
    shown = " ".join(sources)
    assert md(ranking.leader) in shown  # the Leader card shows the name, escaped
    assert md(FILE_NAME) in shown
    assert any(md(c) in shown for c in CRITERIA)  # the Score column's help names them


@pytest.mark.parametrize(
    "tab", ["Ranking", "Charts", "Vendor detail", "Head-to-head", "Scenarios", "Data quality"]
)
def test_every_tab_shows_names_as_text(tab):
    at = uploaded()
    at.session_state["view"] = tab
    at.session_state["weights_panel"] = True  # the sliders (category names) and sunburst
    at.session_state["weight_helpers"] = True
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert_safe(at)


def test_robustness_tab_shows_names_as_text():
    at = uploaded()
    at.session_state["view"] = "Robustness"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert_safe(at)


def test_topsis_sentence_and_table_help_are_text():
    at = uploaded()
    at.radio(key="method").set_value("topsis")
    at.run()
    assert not at.exception
    assert_safe(at)


def test_every_vendors_detail_and_head_to_head_are_text():
    at = uploaded()
    gen = at.session_state["ve_gen"]
    at.session_state["view"] = "Vendor detail"
    at.run()
    for vendor in HOSTILE:
        at.selectbox(key=f"detail_{gen}").set_value(vendor)
        at.run()
        assert not at.exception
        assert_safe(at)
    at.session_state["view"] = "Head-to-head"
    at.run()
    for a, b in itertools.pairwise(HOSTILE):
        at.selectbox(key=f"h2h_a_{gen}").set_value(a)
        at.selectbox(key=f"h2h_b_{gen}").set_value(b)
        at.run()
        assert not at.exception
        sources = assert_safe(at)
        assert md(a) in " ".join(sources)


def test_scenario_names_and_the_save_note_are_text():
    at = uploaded()
    at.session_state["view"] = "Scenarios"
    at.run()
    for name in HOSTILE[:3]:
        at.text_input(key="scenario_name").set_value(name)
        at.button(key="scenario_save").click()
        at.run()
        assert not at.exception
        assert_safe(at)
    shown = " ".join(markdown_sources(at))
    assert md(HOSTILE[0]) in shown


def test_messages_quoting_names_are_text():
    """A must-rule typo on a hostile criterion, and a rejected upload quoting a hostile cell:
    the messages name them as text."""
    at = uploaded()
    gen = at.session_state["ve_gen"]
    at.session_state[f"criteria_{gen}"] = {
        "edited_rows": {0: {"Must": ">= lots"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    assert not at.exception
    assert any(CRITERIA[0] in e.value.replace("\\", "").replace(JOINER, "") for e in at.error)
    assert_safe(at)
    broken = uploaded(hostile_workbook(broken=True), name="<b>broken</b> $1$.xlsx")
    assert broken.error and not broken.exception
    assert_safe(broken)


@given(st.text())
def test_md_leaves_no_markdown_and_reads_back_as_written(text):
    """Every ASCII punctuation character is escaped (so none starts a construct), nothing
    else is added, and removing the escapes gives the text back (line breaks as spaces)."""
    assume(JOINER not in text)  # md adds word joiners: the text's own would read back too
    out = md(text)
    bare = _ESCAPED.sub("", out).replace(JOINER, "")
    assert not re.search(r"[!-/:-@\[-`{-~]", bare)
    assert not EMOJI.search(out)
    unescaped = re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", out)
    # no bare address is left for the renderer to link: a word joiner splits each one
    assert not re.search(r"(?i)www\.|://|@", unescaped.replace(JOINER + "@", "").replace(
        JOINER + "://", "").replace("www" + JOINER + ".", ""))  # fmt: skip
    plain = unescaped.replace(JOINER, "")
    assert len(plain.splitlines()) <= 1  # one line: no blank line ends a list item
    assert plain == re.sub("\r\n|[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]", " ", text)


def hostile_priced_workbook() -> bytes:
    """Prices, minimums, Settings and Costs, every name an attack: a price criterion with a
    hostile name, a category minimum that disqualifies some vendors, cost lines per vendor."""
    quality, price = CRITERIA[:2], HOSTILE[4]
    tco = "Total cost of ownership"
    vendors = [["Vendor", *quality, price]]
    for i, v in enumerate(HOSTILE):
        vendors.append([v, (i * 3) % 10 + 1, (i * 7) % 10 + 1, 100 + 10 * i])
    costs = [["Vendor", "Item", "Amount", "Frequency", "Quantity"]]
    for i, v in enumerate(HOSTILE[:-1]):  # the last vendor has no cost lines
        costs.append([v, HOSTILE[-1 - i], 100 * (i + 1), "monthly" if i % 2 else "one-off", 1])
    return xlsx(
        {
            "Vendors": vendors,
            "Criteria": [
                ["Criterion", "Category", "Weight", "Direction", "Scale", "Formula", "Min", "Max"],
                [quality[0], CATEGORIES[0], 2, "higher", "relative", "ratio", None, None],
                [quality[1], CATEGORIES[0], 1, "higher", "absolute", None, 0, 10],
                [price, CATEGORIES[1], 1, None, "price", "budget", None, 200],
                [tco, CATEGORIES[2], 1, None, "price", None, None, None],
            ],
            "Categories": [
                ["Category", "Weight", "Minimum"],
                [CATEGORIES[0], 3, 40],
                [CATEGORIES[1], 1, None],
                [CATEGORIES[2], 1, None],
            ],
            "Settings": [
                ["Setting", "Value"],
                ["Contract term (years)", 2],
                ["Discount rate", 0.03],
                ["Quality minimum", 20],
            ],
            "Costs": costs,
        }
    )


@pytest.mark.parametrize("tab", ["Ranking", "Total cost", "Vendor detail", "Robustness"])
def test_prices_stages_costs_and_settings_show_names_as_text(tab):
    at = uploaded(hostile_priced_workbook())
    assert not at.error, [e.value for e in at.error]
    ranking = at.session_state["ve_ranking"]
    assert set(ranking.stages.values()) == {"minimum"}  # the minimum disqualifies some
    at.session_state["view"] = tab
    at.session_state["weights_panel"] = True  # the minimums table, the Formula column
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert_safe(at)
    if tab == "Vendor detail":
        gen = at.session_state["ve_gen"]
        for vendor in ranking.stages:
            at.selectbox(key=f"detail_{gen}").set_value(vendor)
            at.run()
            assert not at.exception
            sources = assert_safe(at)
            assert any("Disqualified at the quality minimum" in s for s in sources)
    if tab == "Total cost":
        shown = " ".join(markdown_sources(at))
        assert md(HOSTILE[-1]) in shown  # the vendor without cost lines is named, as text
