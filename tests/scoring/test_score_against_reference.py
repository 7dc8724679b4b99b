"""score() against a slow, literal implementation of DESIGN §3 written with plain loops.

The engine is vectorised, cache-blocked and builds its per-criterion frames lazily; this
reference is none of those, so agreement on random evaluations (missing values,
disqualified vendors, hierarchies, every policy) pins both the maths and the labelling.
"""

from __future__ import annotations

import math
import pickle

import numpy as np
import pandas as pd
import pytest
from conftest import make_evaluation, random_evaluation

from vendor_eval.core.model import Category, Criterion, Direction, MustRule, Scale
from vendor_eval.scoring.scorer import rank_order, score

NAN = math.nan


def reference(ev, policy: str):
    """DESIGN §3.1–§3.5 and §3.7 for WSM, one vendor and one criterion at a time."""
    vendors, crits = list(ev.vendors), list(ev.criteria)
    x = ev.values.loc[vendors, [c.name for c in crits]].to_numpy(dtype=float)
    n, m = x.shape
    v = [c.weight for c in crits]
    if ev.categories is None:
        w = [vi / sum(v) for vi in v]
    else:
        W = {k.name: k.weight for k in ev.categories}
        used = {c.category for c in crits}
        total_w = sum(W[k] for k in used)
        within = {k: sum(c.weight for c in crits if c.category == k) for k in used}
        w = [W[c.category] / total_w * (c.weight / within[c.category] if within[c.category]
             else 0.0) for c in crits]  # fmt: skip
    qualified = [all(c.must is None or c.must.passes(x[i, j]) for j, c in enumerate(crits))
                 for i in range(n)]  # fmt: skip
    s = np.full((n, m), NAN)
    for j, c in enumerate(crits):
        has = [i for i in range(n) if not math.isnan(x[i, j])]
        if c.scale is Scale.YESNO:
            lo, hi = 0.0, 1.0
        elif c.scale is Scale.ABSOLUTE:
            lo, hi = c.min, c.max
        else:
            field = [i for i in has if qualified[i]] or has  # documented fallback
            lo = min((x[i, j] for i in field), default=NAN)
            hi = max((x[i, j] for i in field), default=NAN)
        for i in has:
            if hi == lo:
                s[i, j] = 1.0
                continue
            t = min(max((x[i, j] - lo) / (hi - lo), 0.0), 1.0)
            s[i, j] = 1.0 - t if c.direction is Direction.LOWER else t
        missing = [i for i in range(n) if math.isnan(x[i, j])]
        if policy == "worst":
            for i in missing:
                s[i, j] = 0.0
        elif policy == "mean":
            q_vals = [s[i, j] for i in has if qualified[i]]
            for i in missing:
                s[i, j] = sum(q_vals) / len(q_vals) if q_vals else 0.0
    total, contrib, comp = [], np.zeros((n, m)), []
    for i in range(n):
        present = [j for j in range(m) if not math.isnan(x[i, j])]
        comp.append(sum(w[j] for j in present))
        if policy == "exclude":
            denom = sum(w[j] for j in present)
            for j in present:
                contrib[i, j] = 100 * w[j] / denom * s[i, j] if denom > 0 else 0.0
        else:
            for j in range(m):
                contrib[i, j] = 100 * w[j] * s[i, j]
        total.append(sum(contrib[i]))
    cats = ev.category_names
    cat_scores = np.zeros((n, len(cats)))
    for k, cat in enumerate(cats):
        members = [j for j, c in enumerate(crits) if c.category == cat]
        share = [v[j] for j in members]
        if sum(share) == 0:
            share = [1.0] * len(members)
        for i in range(n):
            keep = [(a, j) for a, j in zip(share, members, strict=True)
                    if policy != "exclude" or not math.isnan(x[i, j])]  # fmt: skip
            den = sum(a for a, _ in keep)
            cat_scores[i, k] = 100 * sum(a * s[i, j] for a, j in keep) / den if den else 0.0
    # §3.7: qualified by score (ties within 1e-9 share a rank, workbook order), then the rest
    q_rows = sorted((i for i in range(n) if qualified[i]), key=lambda i: -total[i])
    rank = {i: 1 + sum(total[k] > total[i] + 1e-9 for k in q_rows) for i in q_rows}
    q_rows.sort(key=lambda i: (rank[i], i))
    d_rows = sorted((i for i in range(n) if not qualified[i]), key=lambda i: (-total[i], i))
    order = q_rows + d_rows
    idx = [vendors[i] for i in order]
    return {
        "order": idx,
        "rank": [rank.get(i) for i in order],
        "score": [total[i] for i in order],
        "completeness": [comp[i] for i in order],
        "normalised": pd.DataFrame(s[order], index=idx, columns=[c.name for c in crits]),
        "contributions": pd.DataFrame(contrib[order], index=idx, columns=[c.name for c in crits]),
        "category_scores": pd.DataFrame(cat_scores[order], index=idx, columns=cats),
        "missing_mask": pd.DataFrame(
            np.isnan(x[order]), index=idx, columns=[c.name for c in crits]
        ),
    }


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
    # DESIGN §3.4: mean → "the mean s of the qualified vendors that have a value (0 if none)".
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
