"""analyse(leader_only=...): the leader-only stress test of a large register agrees with the
full analysis (same weight samples, so the same P(rank 1), critical changes and verdict)."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import make_evaluation, random_evaluation

from vendor_eval.core.model import Criterion, MustRule
from vendor_eval.scoring.scorer import score
from vendor_eval.stress import analysis
from vendor_eval.stress.analysis import analyse


def leader_only(rk, samples, seed=0):
    return analyse(
        rk.evaluation, samples=samples, seed=seed, missing=rk.missing, ranking=rk,
        leader_only=True,
    ).to_dict()  # fmt: skip


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
    assert fast["sweeps"] == {} and fast["kendall_tau"] is None


def test_leader_only_counts_ties_for_both():
    # two identical vendors always tie for first: each "ranks first" in every sample
    ev = make_evaluation({"a": [5, 5, 1], "b": [3, 3, 2]}, vendors=["P", "Q", "R"],
                         criteria=[Criterion("a", "X", 1.0), Criterion("b", "X", 2.0)])  # fmt: skip
    out = leader_only(score(ev), 50)
    assert out["p_first"] == {"P": 1.0, "Q": 1.0, "R": 0.0}
    assert out["verdict"].startswith("Close call: P and Q tie for first place")


def test_size_decides_by_default(rng, monkeypatch):
    ev = random_evaluation(rng, n_vendors=12, n_criteria=4, n_categories=2)
    assert not analyse(ev, samples=50, leader_only=None).leader_only
    assert not analyse(ev, samples=50).leader_only
    assert analysis.size_note(12) is None
    monkeypatch.setattr(analysis, "FULL_ANALYSIS_MAX", 11)
    auto = analyse(ev, samples=50, leader_only=None)
    assert auto.leader_only and auto.rank_probabilities == {}
    # the default is the size rule: no caller gets the n² analysis of a large register
    # without asking for it
    assert analyse(ev, samples=50).leader_only
    assert not analyse(ev, samples=50, leader_only=False).leader_only
    assert analysis.size_note(12) == (
        "This shortlist has 12 qualified vendors, too many for the full stress tests "
        "(limit 11): showing the leader-only analysis — each vendor's chance of ranking "
        "first, the critical weight changes and the verdict, without the full rank "
        "probabilities, the weight sweeps or Kendall's tau."
    )


def test_leader_only_with_nobody_qualified():
    crit = [Criterion("a", "X", 1.0), Criterion("b", "X", 1.0, must=MustRule(">=", 1.0, ">= 1"))]
    ev = make_evaluation({"a": [1, 2], "b": [None, 0]}, crit, vendors=["P", "Q"])
    rep = analyse(ev, samples=20, leader_only=True)
    assert rep.leader is None and rep.p_first == {} and rep.critical == []
    assert rep.disqualified == ["Q", "P"] and rep.leader_only  # by score


def test_the_terminal_report_of_a_leader_only_analysis_shows_who_may_lead(rng):
    from vendor_eval.output.text import format_report

    ev = random_evaluation(rng, n_vendors=30, n_criteria=5, n_categories=2)
    rk = score(ev)
    report = analyse(ev, samples=300, seed=1, ranking=rk, leader_only=True)
    text = format_report(report, max_leaders=3)
    assert "Chance of ranking first (the 3 most likely)" in text
    top = sorted(report.p_first, key=lambda v: -report.p_first[v])[:3]
    rows = text.split("Chance of ranking first")[1].splitlines()[2:5]
    assert [r.split("  ")[0].strip() for r in rows] == top
    assert "Rank probabilities" not in text
    assert f"Leader under WSM: {report.leader}; under TOPSIS: {report.topsis_leader}" in text
