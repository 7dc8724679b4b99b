"""The stress tests the export runs itself: full analysis for shortlists, leader-only for
large registers (same weight samples, so the same P(rank 1), critical changes and verdict)."""

from __future__ import annotations

import io

import numpy as np
import openpyxl
import pytest
from conftest import make_evaluation, random_evaluation

from vendor_eval.core.model import Criterion
from vendor_eval.output.excel.audit import compute_sensitivity, leader_only
from vendor_eval.output.excel.export import write_export
from vendor_eval.output.excel.sheets import Layout
from vendor_eval.scoring.scorer import score
from vendor_eval.stress.analysis import analyse


@pytest.mark.parametrize("missing", ["worst", "exclude", "mean"])
def test_leader_only_agrees_with_the_full_analysis(rng, missing):
    ev = random_evaluation(rng, n_vendors=40, n_criteria=9, n_categories=3, missing_rate=0.1)
    rk = score(ev, missing=missing)
    full = analyse(ev, samples=400, seed=3, missing=missing, ranking=rk).to_dict()
    fast = leader_only(rk, 400, seed=3)
    assert fast["p_first"].keys() == full["p_first"].keys()
    np.testing.assert_allclose(
        list(fast["p_first"].values()), list(full["p_first"].values()), atol=1e-12
    )
    assert sum(fast["p_first"].values()) >= 1.0 - 1e-12  # someone ranks first every time
    assert fast["critical"] == full["critical"]
    assert fast["verdict"] == full["verdict"]
    assert fast["methods"] == full["methods"]  # what the verdict reads
    assert fast["topsis_leader"] == full["topsis_leader"]
    assert (fast["leader"], fast["samples"], fast["seed"]) == (full["leader"], 400, 3)
    assert fast["rank_probabilities"] == {}


def test_leader_only_counts_ties_for_both():
    # two identical vendors always tie for first: each "ranks first" in every sample
    ev = make_evaluation({"a": [5, 5, 1], "b": [3, 3, 2]}, vendors=["P", "Q", "R"],
                         criteria=[Criterion("a", "X", 1.0), Criterion("b", "X", 2.0)])  # fmt: skip
    out = leader_only(score(ev), 50)
    assert out["p_first"] == {"P": 1.0, "Q": 1.0, "R": 0.0}
    assert out["verdict"].startswith("Close call: P and Q tie for first place")


def test_large_registers_get_the_leader_only_test_and_audit_says_so(rng):
    ev = random_evaluation(rng, n_vendors=60, n_criteria=6, n_categories=2)
    rk = score(ev)
    small, _ = compute_sensitivity(Layout.of(rk))
    large, _ = compute_sensitivity(Layout.of(rk), full_max=10)
    assert small["scope"] == "full analysis" and len(small["rank_probabilities"]) == 60
    assert large["scope"].startswith("leader-only")
    assert large["p_first"] == pytest.approx(small["p_first"], abs=1e-12)
    assert large["verdict"] == small["verdict"]


def test_sensitivity_sheet_lists_vendors_that_can_win_and_audit_names_the_scope(rng):
    ev = random_evaluation(rng, n_vendors=120, n_criteria=6, n_categories=2)
    rk = score(ev)
    wb = openpyxl.load_workbook(io.BytesIO(write_export(rk)), data_only=True)
    rows = [r for r in wb["Sensitivity"].iter_rows(values_only=True)]
    sens, _ = compute_sensitivity(Layout.of(rk))
    winners = {v for v, p in sens["p_first"].items() if p > 0}
    listed = {r[0] for r in rows[rows.index(("Vendor", "P(rank 1)", None, None, None)) + 1 :]
              if isinstance(r[1], float) and r[0] in sens["p_first"]}  # fmt: skip
    assert listed == winners and 0 < len(winners) < 120
    assert (f"the other {120 - len(winners):,} qualified vendors", 0.0) in [r[:2] for r in rows]
    audit = {r[0]: r[1] for r in wb["Audit"].iter_rows(values_only=True) if r[0]}
    assert audit["Sensitivity"] == "computed by the export, 2,000 weight samples; full analysis"
    given = write_export(rk, sensitivity={"verdict": "x", "p_first": {}, "critical": []})
    wb2 = openpyxl.load_workbook(io.BytesIO(given), data_only=True)
    audit2 = {r[0]: r[1] for r in wb2["Audit"].iter_rows(values_only=True) if r[0]}
    assert audit2["Sensitivity"] == "given by the caller"
