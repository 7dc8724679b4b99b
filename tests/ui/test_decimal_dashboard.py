"""The Data sidebar's "Decimal separator": a CSV whose numbers cannot tell is refused with
the column named, and choosing Comma reads it (docs/workbook-format.md §7)."""

from __future__ import annotations

import pytest
from conftest import ROOT
from test_app import assert_shows, start

from vendor_eval.scoring.scorer import score
from vendor_eval.workbook.importing.load import load_evaluation

#: Acme's 1,250 years are 1.25 with decimal commas (Bolt, 12 years, then leads), or 1250.
AMBIGUOUS = b"Vendor;Years in business;Blended hourly rate\nAcme;1,250;900\nBolt;12;900\n"
REFUSED = (
    '"1,250" could be 1250 or 1.25: say which with --decimal comma or --decimal point (in '
    'the dashboard: "Decimal separator")'
)


@pytest.fixture(autouse=True)
def _repo_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def test_an_ambiguous_csv_is_refused_until_a_separator_is_chosen():
    at = start()
    at.file_uploader(key="upload").set_value(("years.csv", AMBIGUOUS, "text/csv"))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("was not loaded: 1 problem" in e.value for e in at.error)
    problems = next(d.value for d in at.dataframe if "message" in d.value.columns)
    assert problems.to_dict("records") == [
        {"sheet": "Vendors", "cell": "B", "column": "Years in business", "message": REFUSED}
    ]
    select = at.selectbox(key="ve_decimal")
    assert select.options == ["Automatic", "Comma (1.234,5)", "Point (1,234.5)"]
    select.set_value("comma").run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error
    expected = score(load_evaluation(AMBIGUOUS, name="years.csv", decimal="comma"))
    assert expected.qualified[0] == "Bolt"
    assert_shows(at, expected)
