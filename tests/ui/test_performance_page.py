"""The Performance page through AppTest: the bundled monitoring sample on arrival, the
vendor switch, an upload refused with its problems, and the tables' values (from the
scorer, never recomputed here)."""

from __future__ import annotations

import pytest
from conftest import ROOT, xlsx
from streamlit.testing.v1 import AppTest
from test_app import seen

from vendor_eval.monitoring.reading import read_monitoring
from vendor_eval.monitoring.scoring import score_monitoring
from vendor_eval.ui import performance

SAMPLE = ROOT / "data" / "sample_monitoring.xlsx"


def _page() -> None:
    from vendor_eval.ui.performance import main

    main()


def _load_bad() -> None:
    import streamlit as st
    from conftest import xlsx as build

    from vendor_eval.ui import performance as perf

    if "bad_loaded" not in st.session_state:
        st.session_state["bad_loaded"] = True
        kpis = [["KPI", "Target", "Threshold"], ["Uptime", 99.5, 99.9]]
        perf._load(build({"KPIs": kpis, "Performance": [["Period", "Vendor", "KPI", "Actual"]]}),
                   "bad.xlsx", None)  # fmt: skip
    perf.main()


@pytest.fixture(autouse=True)
def _repo_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def start(script=_page) -> AppTest:
    at = AppTest.from_function(script, default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_the_sample_is_shown_on_arrival():
    at = start()
    assert at.title[0].value == "Performance against the contract"
    expected = score_monitoring(read_monitoring(SAMPLE, sandbox=False))
    portfolio = at.dataframe[0].value
    assert portfolio["Vendor"].tolist() == list(expected.vendors)
    north = expected.vendors["Northwind Systems"]
    row = portfolio[portfolio["Vendor"] == "Northwind Systems"].iloc[0]
    assert row["Open actions"] == len(north.open_actions) == 3
    assert row["Score"] == pytest.approx(round(north.latest.score, 1))  # type: ignore[union-attr]
    assert row["Standing"] == north.latest.standing  # type: ignore[union-attr]
    assert row["Short of promise"] == "Uptime, Response time"
    assert [m.label for m in at.metric] == [
        "Latest period score", "Standing", "Trend (last 6)", "Open actions",
    ]  # fmt: skip
    assert len(at.get("plotly_chart")) == 2


def test_switching_vendor_shows_its_actions_and_promises():
    at = start()
    at.selectbox(key="perf_vendor").select("Northwind Systems").run()
    assert not at.exception
    assert at.metric[3].value == "3"
    frames = [d.value for d in at.dataframe]
    actions = next(f for f in frames if "Periods in breach" in f.columns)
    assert actions["KPI"].tolist() == ["Uptime", "Tickets resolved in SLA", "Customer satisfaction"]
    assert set(actions["Opened"]) == {"2026-08"}
    promises = next(f for f in frames if "Promised" in f.columns)
    assert promises["Verdict"].tolist() == ["short of the promise", "short of the promise"]


def test_a_refused_workbook_lists_its_problems():
    at = start(_load_bad)
    (error,) = at.error
    assert seen(error.value) == "**bad.xlsx** was not loaded: 1 problem to fix in the workbook."
    problems = at.dataframe[0].value
    assert problems["sheet"].tolist() == ["KPIs"]
    assert "Threshold" in problems["message"].iloc[0]
    assert len(at.get("plotly_chart")) == 0


def test_tables_say_no_data_rather_than_zero():
    rows = [["Period", "Vendor", "KPI", "Actual"], ["2026-01", "Acme", "Uptime", 99.5],
            ["2026-03", "Acme", "Uptime", 99.0]]  # fmt: skip
    kpis = [["KPI", "Target", "Threshold"], ["Uptime", 99.5, 99.0]]
    result = score_monitoring(
        read_monitoring(xlsx({"KPIs": kpis, "Performance": rows}), "m.xlsx", sandbox=False)
    )
    frame = performance.periods_frame(result.vendors["Acme"])
    assert frame["Score"].tolist()[1] is None or frame["Score"].isna().tolist()[1]
    assert frame["Standing"].tolist() == ["Excellent", "no data", "Poor"]
    assert frame["Reported"].tolist() == ["100%", "0%", "100%"]


def test_the_grid_matches_kpis_as_the_scorer_does():
    from vendor_eval.core.model import Direction
    from vendor_eval.monitoring.model import Kpi, MonitoringBook, PeriodKind
    from vendor_eval.monitoring.scoring import score_monitoring as score

    frame = read_monitoring(
        xlsx({"KPIs": [["KPI", "Target", "Threshold"], ["Uptime", 99.5, 99.0]],
              "Performance": [["Period", "Vendor", "KPI", "Actual"],
                              ["2026-01", "Acme", "Uptime", 99.0]]}), "m.xlsx", sandbox=False,
    ).results.copy()  # fmt: skip
    frame.loc[len(frame)] = [frame["period"].iloc[0] + 1, "Acme", "UPTIME", 99.5, "", 0]
    book = MonitoringBook((Kpi("Uptime", Direction.HIGHER, 99.5, 99.0, row=2),), frame,
                          PeriodKind.MONTH, ("Acme",))  # fmt: skip
    result = score(book)
    grid = performance._grid(result, result.vendors["Acme"])
    assert grid["score"] == [[0.0, 100.0]]


def test_the_scorecard_key_follows_the_selection_answers():
    result = score_monitoring(read_monitoring(SAMPLE, sandbox=False))
    from dataclasses import replace

    other = replace(result, book=replace(result.book, promised={("Acme", "C"): 1.0}))
    assert performance._scorecard_key(result, "m") != performance._scorecard_key(other, "m")


def test_standing_names_are_not_markdown():
    from test_markdown_injection import live_constructs

    rows = [["Period", "Vendor", "KPI", "Actual"], ["2026-01", "Acme", "Uptime", 99.5]]
    kpis = [["KPI", "Target", "Threshold"], ["Uptime", 99.5, 99.0]]
    bands = [["Standing", "Minimum"], ["![x](https://attacker.example/p.png)", 0]]
    data = xlsx({"KPIs": kpis, "Performance": rows, "Standings": bands})

    def script() -> None:
        import streamlit as st

        from vendor_eval.ui import performance as perf

        if "loaded" not in st.session_state:
            st.session_state["loaded"] = True
            perf._load(st.session_state["data"], "m.xlsx", None)
        perf.main()

    at = AppTest.from_function(script, default_timeout=60)
    at.session_state["data"] = data
    at.run()
    assert not at.exception
    sources = [c.value for c in at.caption] + [m.value for m in at.metric]
    assert not [s for s in sources if live_constructs(s)], sources
