"""Random cell contents and shapes: the importer returns an Evaluation or a ValidationError."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vendor_eval.core.model import Evaluation
from vendor_eval.core.problems import ValidationError
from vendor_eval.workbook.importing.load import evaluation_from_book
from vendor_eval.workbook.reading.rawbook import FormulaWithoutValue, RawBook, RawSheet

NAMES = ["Vendor", "Price", "Rating", "ISO", "Fit", "Client rating", "ISO 27001", "Website"]
WORDS = [
    *NAMES,
    "yes",
    "no",
    "Y",
    "TRUE",
    "1,200",
    " 4.5 ",
    "85%",
    "$1,200",
    "(3)",
    "nan",
    "inf",
    "#DIV/0!",
    "higher",
    "lower",
    "absolute",
    "relative",
    "yes/no",
    ">= 3",
    "<= 50,000",
    "= 1",
    "Cost",
    "Quality",
    "NA",
    "null",
    "",
    "  ",
    "\u200b",
    "Ac\u200bme",
    "Acme",
    "acme ",
]

cells = st.one_of(
    st.none(),
    st.sampled_from(WORDS),
    st.text(max_size=12),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2100, 1, 1)),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 1, 1)),
    st.times(),
    st.builds(FormulaWithoutValue, st.sampled_from(["=SUM(A1:A3)", "", "B2*2"])),
)
rows = st.lists(st.lists(cells, max_size=9), max_size=7)
header = st.lists(st.one_of(st.sampled_from(NAMES), cells), min_size=1, max_size=8)


@st.composite
def sheet(draw, name: str, headers: list[str]) -> RawSheet:
    head = draw(st.one_of(st.just(headers), header))
    body = draw(rows)
    return RawSheet(draw(st.sampled_from([name, name.upper(), f" {name.lower()} "])), [head, *body])


@st.composite
def books(draw) -> RawBook:
    sheets = []
    if draw(st.booleans()) or draw(st.booleans()):
        sheets.append(
            draw(sheet("Vendors", ["Vendor", *draw(st.lists(st.sampled_from(NAMES), max_size=5))]))
        )
    if draw(st.booleans()):
        sheets.append(
            draw(
                sheet(
                    "Criteria",
                    ["Criterion", "Category", "Weight", "Direction", "Scale", "Min", "Max", "Must"],
                )
            )
        )
    if draw(st.booleans()):
        sheets.append(draw(sheet("Categories", ["Category", "Weight", "Description"])))
    if draw(st.booleans()):
        sheets.append(
            draw(sheet("Scores", ["Evaluator", "Vendor", "Criterion", "Score", "Comment"]))
        )
    if draw(st.booleans()):
        sheets.append(RawSheet(draw(st.text(max_size=8)), draw(rows)))
    order = draw(st.permutations(sheets))
    return RawBook("fuzz.xlsx", "", draw(st.sampled_from(["xlsx", "csv"])), list(order))


def _check(book: RawBook, consensus: str = "mean") -> None:
    try:
        ev = evaluation_from_book(book, consensus=consensus)
    except ValidationError as e:
        assert e.problems
        for p in e.problems:
            assert p.message.strip()
            assert p.severity == "error"
            assert p.file == "fuzz.xlsx"
            assert p.row is None or p.row >= 1
        return
    assert isinstance(ev, Evaluation)
    assert ev.vendors and ev.criteria
    assert ev.values.shape == (len(ev.vendors), len(ev.criteria))
    assert list(ev.values.index) == ev.vendors
    assert len(set(ev.vendors)) == len(ev.vendors)
    vals = ev.values.to_numpy(dtype=float)
    assert not np.isinf(vals).any()
    for c in ev.criteria:
        col = ev.values[c.name].dropna()
        if c.scale.value == "yes/no":
            assert set(col) <= {0.0, 1.0}
        assert c.weight >= 0 and math.isfinite(c.weight)
    assert all(w.severity == "warning" and w.message for w in ev.warnings)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(books(), st.sampled_from(["mean", "median"]))
def test_random_books_give_evaluation_or_validation_error(book: RawBook, consensus: str) -> None:
    _check(book, consensus)


@st.composite
def near_valid_books(draw) -> RawBook:
    """A valid-shaped book with a few random cells: reaches the deeper rules."""
    n = draw(st.integers(1, 5))
    names = ["Price", "Rating", "ISO"]
    vendors = [["Vendor", *names, "Notes"]]
    for i in range(n):
        vendors.append(
            [
                f"V{i}",
                draw(st.one_of(st.integers(0, 999), cells)),
                draw(st.sampled_from([1, 3, 5, 7, "4", None])),
                draw(st.sampled_from(["yes", "no", True, 0, None, "x"])),
                draw(cells),
            ]
        )
    crit = [
        ["Criterion", "Category", "Weight", "Direction", "Scale", "Min", "Max", "Must"],
        [
            "Price",
            draw(st.sampled_from(["Cost", "Quality", None])),
            draw(st.one_of(st.integers(0, 3), cells)),
            "lower",
            None,
            None,
            None,
            draw(st.sampled_from([None, "<= 500", "yes", "about"])),
        ],
        [
            "Rating",
            "Quality",
            draw(st.integers(0, 3)),
            None,
            draw(st.sampled_from(["absolute", None, "bad"])),
            draw(st.sampled_from([1, None, 6])),
            5,
            None,
        ],
        [
            "ISO",
            "Quality",
            1,
            None,
            draw(st.sampled_from(["yes/no", None])),
            None,
            None,
            draw(st.sampled_from(["yes", None, ">= 1"])),
        ],
    ]
    sheets = [RawSheet("Vendors", vendors), RawSheet("Criteria", crit)]
    if draw(st.booleans()):
        sheets.append(
            RawSheet(
                "Categories",
                [
                    ["Category", "Weight"],
                    ["Cost", draw(st.integers(0, 2))],
                    ["Quality", draw(st.integers(0, 2))],
                ],
            )
        )
    if draw(st.booleans()):
        sheets.append(
            RawSheet(
                "Scores",
                [
                    ["Evaluator", "Vendor", "Criterion", "Score"],
                    *draw(
                        st.lists(
                            st.lists(
                                st.one_of(
                                    st.sampled_from(["Ann", "V0", "V1", "Rating", "Fit", 3]), cells
                                ),
                                min_size=4,
                                max_size=4,
                            ),
                            max_size=4,
                        )
                    ),
                ],
            )
        )
    return RawBook("fuzz.xlsx", "", "xlsx", sheets)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(near_valid_books())
def test_near_valid_books_give_evaluation_or_validation_error(book: RawBook) -> None:
    _check(book)
