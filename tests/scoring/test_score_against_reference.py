"""score() against a slow, literal implementation of docs/scoring.md, in plain loops.

The engine is vectorised, cache-blocked and builds its per-criterion frames lazily; this
reference is none of those, so agreement on random evaluations (missing values,
disqualified vendors, hierarchies, every policy) pins both the maths and the labelling.
"""

from __future__ import annotations

import pickle

import numpy as np
import pandas as pd
import pytest
from conftest import make_evaluation, random_evaluation
from reference.scoring import reference

from vendor_eval.core.model import Category, Criterion, Direction, MustRule, Scale
from vendor_eval.scoring.ranks import rank_order
from vendor_eval.scoring.scorer import score


def _with_gates(ev):
    return ev.with_criteria(
        [
            c.replace(must=MustRule("=", 1.0, "yes")) if c.scale is Scale.YESNO and k == 2 else c
            for k, c in enumerate(ev.criteria)
        ]
    )


CASES = [(seed, policy) for seed in range(12) for policy in ("worst", "mean", "exclude")]


@pytest.mark.parametrize(("seed", "policy"), CASES)
def test_score_matches_the_literal_reference(seed, policy):
    rng = np.random.default_rng(seed)
    ev = random_evaluation(
        rng,
        n_vendors=int(rng.integers(1, 40)),
        n_criteria=int(rng.integers(1, 9)),
        n_categories=[None, 1, 2, 3][seed % 4],
        missing_rate=[0.0, 0.2, 0.5][seed % 3],
    )
    if seed % 2:
        ev = _with_gates(ev)
    want = reference(ev, policy)
    r = score(ev, "wsm", policy)
    assert r.vendors == want["order"]
    assert [None if pd.isna(x) else int(x) for x in r.table["rank"]] == want["rank"]
    np.testing.assert_allclose(r.table["score"], want["score"], atol=1e-9)
    np.testing.assert_allclose(r.table["completeness"], want["completeness"], atol=1e-12)
    for name in ("normalised", "contributions", "category_scores", "missing_mask"):
        got, exp = getattr(r, name), want[name]
        assert list(got.index) == list(exp.index) and got.index.dtype == object, name
        assert got.index.name == "vendor"
        assert list(got.columns) == list(exp.columns), name
        assert got.to_numpy().dtype == exp.to_numpy().dtype, name
        np.testing.assert_allclose(got.to_numpy(float), exp.to_numpy(float), atol=1e-9)


def test_mean_policy_uses_qualified_vendors_only_and_zero_if_none():
    # docs/scoring.md §5: mean → the mean s of the qualified vendors with a value (0 if none).
    # Y: only the disqualified D answered. X: A and B tie at 1 (hi == lo → everyone 1).
    crit = [Criterion("X", "G", 1, must=MustRule(">=", 1, ">= 1")), Criterion("Y", "G", 1)]
    ev = make_evaluation({"X": [1, 1, 0], "Y": [None, None, 40]}, crit, vendors=["A", "B", "D"])
    r = score(ev, missing="mean")
    assert r.normalised.at["A", "Y"] == 0.0  # not D's 1.0
    assert r.score("A") == pytest.approx(50.0, abs=1e-12)
    assert r.score("D") == pytest.approx(100.0, abs=1e-12)


def test_complete_vendor_has_completeness_exactly_one():
    # ten weights of 0.1 add up to 0.9999999999999999 in floating point
    names = [f"K{j}" for j in range(10)]
    cols = {n: [1.0, 2.0] for n in names}
    cols["K9"] = [1.0, None]
    r = score(make_evaluation(cols, [Criterion(n, "G", 1) for n in names], vendors=["A", "B"]))
    assert r.table.at["A", "completeness"] == 1.0
    assert r.table.at["B", "completeness"] == pytest.approx(0.9, abs=1e-12)


def test_lazy_frames_are_built_once_and_survive_pickling():
    rng = np.random.default_rng(7)
    r = score(random_evaluation(rng, n_vendors=12, missing_rate=0.2), missing="exclude")
    again = pickle.loads(pickle.dumps(r))
    first = r.contributions
    assert r.contributions is first  # cached
    pd.testing.assert_frame_equal(again.contributions, first)
    pd.testing.assert_frame_equal(again.category_scores, r.category_scores)
    pd.testing.assert_frame_equal(again.missing_mask, r.missing_mask)
    assert again.explanations[r.leader] == r.explanations[r.leader]


def test_rank_order_restores_workbook_order_inside_many_exact_ties():
    rng = np.random.default_rng(3)
    scores = rng.integers(0, 5, 500).astype(float) * 10
    qualified = rng.random(500) < 0.8
    order, ranks = rank_order(scores, qualified)
    q = np.flatnonzero(qualified)
    want_q = q[np.lexsort((q, -scores[q]))]
    d = np.flatnonzero(~qualified)
    want_d = d[np.lexsort((d, -scores[d]))]
    assert order.tolist() == want_q.tolist() + want_d.tolist()
    for i in q:
        assert ranks[i] == 1 + int(np.sum(scores[q] > scores[i]))
    assert not ranks[~qualified].any()


@pytest.mark.parametrize("policy", ["worst", "mean", "exclude"])
def test_values_within_the_equal_values_tolerance_match_the_reference(policy):
    # docs/scoring.md §4.6: columns whose values are a rounding error apart (one vendor per
    # column missing, one disqualified) against the literal rule in the reference
    rng = np.random.default_rng(11)
    ev = random_evaluation(rng, n_vendors=9, n_criteria=6, missing_rate=0.1)
    v = ev.values.copy()
    v["C1"] = np.where(rng.random(9) < 0.5, 94.9, 80.3 + 14.6)  # within the tolerance
    v["C4"] = 1e6 * (1 + rng.integers(0, 2, 9) * 4e-9)  # just outside it
    v.iloc[3, 0] = np.nan
    ev = make_evaluation(v, list(ev.criteria), ev.categories)
    ev = _with_gates(ev)
    want = reference(ev, policy)
    r = score(ev, "wsm", policy)
    assert r.vendors == want["order"]
    np.testing.assert_allclose(r.table["score"], want["score"], atol=1e-9)
    got = r.normalised.to_numpy(float)
    np.testing.assert_allclose(got, want["normalised"].to_numpy(float), atol=1e-9)
    has = ~np.isnan(v.loc[r.vendors, "C1"].to_numpy(float))
    assert set(got[has, 0]) == {1.0}  # everybody with a value alike
    assert set(got[:, 3]) == {0.0, 1.0}  # still told apart


def test_hierarchy_with_zero_weight_category_against_reference():
    crit = [
        Criterion("P", "Cost", 0, Direction.LOWER),
        Criterion("Q", "Cost", 0),
        Criterion("R", "Quality", 2, scale=Scale.ABSOLUTE, min=0, max=10),
    ]
    ev = make_evaluation(
        {"P": [10, 20, 30], "Q": [1, None, 3], "R": [5, 10, 0]},
        crit,
        [Category("Cost", 0), Category("Quality", 1)],
        vendors=["A", "B", "C"],
    )
    r = score(ev)
    # Cost weighs 0, its criteria too: equal shares ½, ½. P (lower, 10–30) = 1, 0.5, 0;
    # Q (1–3) = 0, missing → 0, 1. Cost: A 50, B 25, C 50. Totals come from R alone.
    assert r.category_scores["Cost"].to_dict() == pytest.approx({"A": 50.0, "B": 25.0, "C": 50.0})
    assert r.table["score"].to_dict() == pytest.approx({"A": 50.0, "B": 100.0, "C": 0.0})
    want = reference(ev, "worst")
    np.testing.assert_allclose(r.category_scores.to_numpy(), want["category_scores"].to_numpy())
