"""The stress tests the export runs itself: full analysis for shortlists, leader-only for
large registers (same weight samples, so the same P(rank 1), critical changes and verdict).

The leader-only analysis itself is tested with the stress tests (tests/stress).
"""

from __future__ import annotations

import io

import openpyxl
import pytest
from conftest import random_evaluation

from vendor_eval.output.excel.audit import compute_sensitivity
from vendor_eval.output.excel.export import write_export
from vendor_eval.output.excel.sheets import Layout
from vendor_eval.scoring.scorer import score
from vendor_eval.stress import analysis


def test_large_registers_get_the_leader_only_test_and_audit_says_so(rng, monkeypatch):
    ev = random_evaluation(rng, n_vendors=60, n_criteria=6, n_categories=2)
    rk = score(ev)
    small, _ = compute_sensitivity(Layout.of(rk))
    monkeypatch.setattr(analysis, "FULL_ANALYSIS_MAX", 10)  # the stress tests decide
    large, _ = compute_sensitivity(Layout.of(rk))
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
