"""The Robustness tab, rendered headless with Streamlit's AppTest."""

from __future__ import annotations

import itertools

from streamlit.testing.v1 import AppTest


def _app(method: str = "wsm", missing: str = "worst") -> None:
    import sys

    sys.path.insert(0, "tests")
    from conftest import SAMPLE

    from vendor_eval.scoring.scorer import score
    from vendor_eval.ui.robustness import render_robustness
    from vendor_eval.workbook.importing.load import load_evaluation

    ev = load_evaluation(SAMPLE)
    render_robustness(ev, score(ev, method, missing), key="rob")


def test_tab_shows_verdict_charts_and_tables():
    at = AppTest.from_function(_app, default_timeout=60).run()
    assert not at.exception
    verdict = (at.success or at.warning)[0].value
    assert "ranks first in" in verdict
    assert at.selectbox(key="rob_sweep_factor").value == "Capability"  # largest share
    assert at.selectbox(key="rob_samples").value == 10_000
    # critical weights, the withdrawal check, method agreement
    assert [list(d.value.columns) for d in at.dataframe] == [
        ["Factor", "Kind", "Current share", "Threshold", "Change", "New leader"],
        ["If this vendor withdrew", "The winner would be", "Winner changes"],
        ["Vendor", "WSM rank", "TOPSIS rank"],
    ]
    critical = at.dataframe[0].value
    changes = critical["Change"].abs().dropna().tolist()
    # smallest change first; changes equal to rounding (1e-12) may come in either order
    assert all(b >= a - 1e-12 for a, b in itertools.pairwise(changes))


def test_switching_to_uniform_and_another_category_reruns():
    at = AppTest.from_function(_app, default_timeout=60).run()
    at.radio(key="rob_mode").set_value("No preference (uniform)").run()
    assert not at.exception
    assert not at.select_slider  # κ only applies around the current weights
    at.selectbox(key="rob_sweep_factor").set_value("Cost").run()
    assert not at.exception
    assert any("share of Cost" in c.value for c in at.caption)


def test_exclude_policy_notes_topsis_unavailable():
    at = AppTest.from_function(_app, kwargs={"missing": "exclude"}, default_timeout=60).run()
    assert not at.exception
    assert any(c.value.startswith("TOPSIS not available") for c in at.caption)
    # critical weights and the withdrawal check; no method agreement table
    assert not [d for d in at.dataframe if "TOPSIS rank" in d.value.columns]


def _large_app(n: int = 1200) -> None:
    import sys

    sys.path.insert(0, "tests")
    import numpy as np
    from conftest import random_evaluation

    from vendor_eval.scoring.scorer import score
    from vendor_eval.ui.robustness import render_robustness

    ev = random_evaluation(np.random.default_rng(n), n_vendors=n, n_criteria=12)
    render_robustness(ev, score(ev), key="rob")


def test_a_large_shortlist_is_told_it_gets_the_leader_only_analysis():
    # 5,000 vendors took 57 s and kept 1.5 GB in the server's cache for a chart nobody can
    # read; past 500 qualified vendors the tab says what it shows, and shows it
    at = AppTest.from_function(_large_app, default_timeout=60).run()
    assert not at.exception
    assert at.info[0].value.startswith(
        "This shortlist has 1,200 qualified vendors, too many for the full stress tests "
        "(limit 500): showing the leader-only analysis"
    )
    assert (at.success or at.warning)[0].value  # the verdict
    assert not at.get("plotly_chart")  # no rank-probability or sweep chart
    first, critical, *withdrawal, methods = (d.value for d in at.dataframe)
    # the withdrawal check: no table of 1,199 rows that change nothing, one sentence
    assert not withdrawal
    assert "No single withdrawal changes the winner (1,199 checked)." in [
        c.value for c in at.caption
    ]
    assert list(first.columns) == ["Vendor", "P(rank 1)"] and 1 <= len(first) <= 20
    assert first["P(rank 1)"].is_monotonic_decreasing
    assert "Change" in critical.columns
    assert len(methods) == 1200
    assert any("not computed for more than 500" in c.value for c in at.caption)


def test_the_running_label_says_what_runs():
    from vendor_eval.ui.robustness import running_label

    assert running_label(1200, 10_000) == (
        "Stress-testing 1,200 qualified vendors with 10,000 weight samples (leader-only analysis)…"
    )
    assert running_label(1, 1000).startswith("Stress-testing 1 qualified vendor with")
    assert running_label(500, 1000).endswith("(full analysis)…")


def test_the_analysis_cache_is_bounded():
    from vendor_eval.ui.robustness import analyse_cached
    from vendor_eval.ui.state import CACHE_TTL

    assert analyse_cached._info.ttl == CACHE_TTL
    assert analyse_cached._info.max_entries is not None and analyse_cached._info.max_entries <= 16


def _failing_app() -> None:
    import sys

    sys.path.insert(0, "tests")
    from conftest import SAMPLE

    import vendor_eval.ui.robustness as rob
    from vendor_eval.scoring.scorer import score
    from vendor_eval.workbook.importing.load import load_evaluation

    ev = load_evaluation(SAMPLE)
    rob.render_robustness(ev, score(ev), key="rob")


def test_running_out_of_memory_is_a_plain_message_not_an_error_box(monkeypatch):
    import vendor_eval.ui.robustness as rob

    def out_of_memory(*args, **kwargs):
        raise MemoryError

    # patched for this test only (the script runs in this process: patching it inside the
    # script left every later test of the session out of memory), on an empty cache
    monkeypatch.setattr(rob, "analyse", out_of_memory)
    rob.analyse_cached.clear()
    at = AppTest.from_function(_failing_app, default_timeout=60).run()
    assert not at.exception
    assert at.error[0].value.startswith(
        "The stress tests ran out of memory on this server: this shortlist is too large"
    )
