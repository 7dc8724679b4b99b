"""The Robustness tab, rendered headless with Streamlit's AppTest."""

from __future__ import annotations

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
    assert len(at.dataframe) == 2  # critical weights, method agreement
    critical = at.dataframe[0].value
    changes = critical["Change"].abs().dropna().tolist()
    assert changes == sorted(changes)


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
    assert len(at.dataframe) == 1
