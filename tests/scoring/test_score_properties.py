"""Properties of score() that must hold for any evaluation (Hypothesis, seeded factories)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import make_evaluation, random_evaluation
from hypothesis import given, settings
from hypothesis import strategies as st

from vendor_eval.core.model import Category, Criterion, Direction, MustRule, Scale
from vendor_eval.scoring.scorer import score

SETTINGS = settings(max_examples=60, deadline=None)
POLICIES = st.sampled_from(["worst", "mean", "exclude"])
COMBOS = st.sampled_from(
    [("wsm", "worst"), ("wsm", "mean"), ("wsm", "exclude"), ("topsis", "worst"), ("topsis", "mean")]
)


@st.composite
def evaluations(draw, max_vendors: int = 10, max_criteria: int = 7):
    """A random evaluation, sometimes with missing values and must-have rules."""
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    ev = random_evaluation(
        rng,
        n_vendors=draw(st.integers(1, max_vendors)),
        n_criteria=draw(st.integers(1, max_criteria)),
        n_categories=draw(st.sampled_from([None, 1, 2, 3])),
        missing_rate=draw(st.sampled_from([0.0, 0.15, 0.4])),
    )
    if draw(st.booleans()):
        # yes/no criteria become must-haves, so some vendors are disqualified
        ev = ev.with_criteria(
            [
                c.replace(must=MustRule("=", 1.0, "yes")) if c.scale is Scale.YESNO else c
                for c in ev.criteria
            ]
        )
    return ev


def by_vendor(r) -> pd.DataFrame:
    return r.table[["score", "rank", "completeness"]].sort_index()


@SETTINGS
@given(ev=evaluations(), combo=COMBOS)
def test_scores_are_between_0_and_100_and_never_nan(ev, combo):
    r = score(ev, *combo)
    s = r.table["score"].to_numpy(float)
    c = r.table["completeness"].to_numpy(float)
    assert np.all((s >= 0) & (s <= 100))
    assert np.all((c >= 0) & (c <= 1 + 1e-12))
    assert not r.category_scores.isna().any().any()
    assert not r.contributions.isna().any().any()
    assert np.all((r.category_scores.to_numpy() >= -1e-9) & (r.category_scores.to_numpy() <= 100))


@SETTINGS
@given(ev=evaluations(), policy=POLICIES)
def test_contributions_add_up_to_the_wsm_score(ev, policy):
    r = score(ev, "wsm", policy)
    assert r.contributions.sum(axis=1).to_numpy() == pytest.approx(
        r.table["score"].to_numpy(), abs=1e-9
    )


@SETTINGS
@given(ev=evaluations(), combo=COMBOS, data=st.data())
def test_reordering_vendors_changes_nothing(ev, combo, data):
    perm = data.draw(st.permutations(range(len(ev.vendors))))
    vendors = [ev.vendors[i] for i in perm]
    shuffled = make_evaluation(ev.values.loc[vendors], ev.criteria, ev.categories)
    a, b = by_vendor(score(ev, *combo)), by_vendor(score(shuffled, *combo))
    assert b["score"].to_numpy() == pytest.approx(a["score"].to_numpy(), abs=1e-9)
    assert b["rank"].tolist() == a["rank"].tolist()


@SETTINGS
@given(ev=evaluations(), combo=COMBOS, data=st.data())
def test_reordering_criteria_changes_nothing(ev, combo, data):
    perm = data.draw(st.permutations(range(len(ev.criteria))))
    criteria = [ev.criteria[i] for i in perm]
    reordered = ev.with_criteria(criteria)
    reordered.values = ev.values[[c.name for c in criteria]]
    a, b = by_vendor(score(ev, *combo)), by_vendor(score(reordered, *combo))
    assert b["score"].to_numpy() == pytest.approx(a["score"].to_numpy(), abs=1e-9)
    assert b["completeness"].to_numpy() == pytest.approx(a["completeness"].to_numpy(), abs=1e-12)


@SETTINGS
@given(
    ev=evaluations(),
    combo=COMBOS,
    k=st.floats(0.001, 1000),
    kc=st.floats(0.001, 1000),
)
def test_multiplying_all_weights_by_a_constant_changes_nothing(ev, combo, k, kc):
    scaled = ev.with_criteria([c.replace(weight=c.weight * k) for c in ev.criteria])
    if ev.categories is not None:
        scaled = scaled.with_categories([Category(c.name, c.weight * kc) for c in ev.categories])
    a, b = by_vendor(score(ev, *combo)), by_vendor(score(scaled, *combo))
    assert b["score"].to_numpy() == pytest.approx(a["score"].to_numpy(), abs=1e-8)


@SETTINGS
@given(ev=evaluations(), policy=POLICIES, data=st.data())
def test_raising_a_value_on_a_higher_criterion_never_lowers_the_wsm_score(ev, policy, data):
    candidates = [
        (i, j)
        for j, c in enumerate(ev.criteria)
        if c.direction is Direction.HIGHER and c.must is None
        for i in range(len(ev.vendors))
        if not np.isnan(ev.values.iat[i, j])
    ]
    if not candidates:
        return
    i, j = data.draw(st.sampled_from(candidates))
    raised = ev.values.copy()
    old = raised.iat[i, j]
    crit = ev.criteria[j]
    raised.iat[i, j] = 1.0 if crit.scale is Scale.YESNO else old + data.draw(st.floats(0, 200))
    after = make_evaluation(raised, ev.criteria, ev.categories)
    v = ev.vendors[i]
    assert score(after, "wsm", policy).score(v) >= score(ev, "wsm", policy).score(v) - 1e-9


@SETTINGS
@given(ev=evaluations(), combo=COMBOS)
def test_a_disqualified_vendor_never_outranks_a_qualified_one(ev, combo):
    r = score(ev, *combo)
    q = r.table["qualified"].to_numpy(bool)
    assert not np.any(q[1:] & ~q[:-1])  # no qualified vendor after a disqualified one
    assert r.table["rank"].isna().to_numpy().tolist() == (~q).tolist()
    ranks = r.table["rank"][q].to_numpy(int)
    assert np.all(np.diff(ranks) >= 0) and (len(ranks) == 0 or ranks[0] == 1)


@st.composite
def fixed_scale_evaluations(draw):
    """Evaluations on absolute and yes/no criteria only, plus one extra vendor's values."""
    n = draw(st.integers(1, 8))
    m = draw(st.integers(1, 5))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    criteria, cols, extra = [], {}, {}
    for j in range(m):
        name = f"K{j}"
        if j % 2:
            criteria.append(Criterion(name, f"Cat{j % 2}", float(rng.integers(0, 5)) + 0.5,
                                      scale=Scale.YESNO))  # fmt: skip
            col = rng.integers(0, 2, n + 1).astype(float)
        else:
            direction = Direction.LOWER if rng.random() < 0.5 else Direction.HIGHER
            criteria.append(Criterion(name, f"Cat{j % 2}", float(rng.integers(1, 5)), direction,
                                      Scale.ABSOLUTE, min=1.0, max=5.0))  # fmt: skip
            col = rng.uniform(0, 6, n + 1)
        col[rng.random(n + 1) < 0.2] = np.nan
        cols[name] = col[:n].tolist()
        extra[name] = col[n]
    return make_evaluation(cols, criteria), extra


@SETTINGS
@given(data=fixed_scale_evaluations(), policy=st.sampled_from(["worst", "exclude"]))
def test_adding_a_vendor_does_not_change_scores_on_absolute_and_yes_no(data, policy):
    ev, extra = data
    bigger = pd.concat([ev.values, pd.DataFrame(extra, index=["Newcomer"])])
    ev2 = make_evaluation(bigger, ev.criteria, ev.categories)
    a = score(ev, "wsm", policy).table["score"]
    b = score(ev2, "wsm", policy).table["score"].drop("Newcomer")
    assert b.loc[a.index].to_numpy() == pytest.approx(a.to_numpy(), abs=1e-12)
