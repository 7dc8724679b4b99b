"""Properties of price scoring and the stages (Hypothesis): a lower bid never costs a vendor
points under the ratio formula, scores stay in [0, 100], and without price criteria and
minimums the results are today's (the oracle, and the staged path forced on)."""

from __future__ import annotations

import dataclasses

import numpy as np
from conftest import random_evaluation
from hypothesis import given, settings
from hypothesis import strategies as st
from reference.scoring import reference
from test_stages import staged_evaluation

from vendor_eval.core.model import Criterion, Formula, MustRule, Scale, Settings
from vendor_eval.core.problems import ScoringError
from vendor_eval.scoring.scorer import score

SETTINGS = settings(max_examples=60, deadline=None)
POLICIES = st.sampled_from(["worst", "mean", "exclude"])
COMBOS = st.sampled_from(
    [("wsm", "worst"), ("wsm", "mean"), ("wsm", "exclude"), ("topsis", "worst"), ("topsis", "mean")]
)
EVERY_MEETS = "Every vendor that passed the must-haves meets the quality minimums."
PRICES = st.floats(1.0, 1e6, allow_nan=False, allow_infinity=False)


@st.composite
def priced_evaluations(draw):
    """A random evaluation with one ratio price criterion (some prices missing) and
    sometimes a quality minimum and must-haves."""
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    n = draw(st.integers(1, 9))
    ev = random_evaluation(
        rng, n_vendors=n, n_criteria=draw(st.integers(1, 5)),
        n_categories=draw(st.sampled_from([None, 1, 2])),
        missing_rate=draw(st.sampled_from([0.0, 0.2])),
    )  # fmt: skip
    prices = draw(st.lists(st.one_of(PRICES, st.none()), min_size=n, max_size=n))
    price = Criterion("Price", "Cost", draw(st.integers(1, 9)), scale=Scale.PRICE)
    if draw(st.booleans()):
        price = price.replace(formula=Formula.RATIO)  # blank and explicit alike
    values = ev.values.copy()
    values["Price"] = [np.nan if p is None else p for p in prices]
    criteria = list(ev.criteria)
    if draw(st.booleans()):
        criteria = [c.replace(must=MustRule("=", 1.0, "yes")) if c.scale is Scale.YESNO else c
                    for c in criteria]  # fmt: skip
    cats = ev.categories and [*ev.categories, dataclasses.replace(ev.categories[0], name="Cost")]
    quality = draw(st.sampled_from([None, 0.0, 25.0, 50.0, 75.0]))
    return dataclasses.replace(
        ev, criteria=[*criteria, price], categories=cats, values=values,
        settings=Settings(quality_minimum=quality),
    )  # fmt: skip


@SETTINGS
@given(ev=priced_evaluations(), policy=POLICIES, data=st.data())
def test_halving_a_vendors_price_never_lowers_its_score(ev, policy, data):
    # its own s goes from p_low/p to min(p_low, p/2)/(p/2) ≥ p_low/p; nothing else of its
    # own changes (the minimums do not read prices)
    priced = [v for v in ev.vendors if not np.isnan(ev.values.at[v, "Price"])]
    if not priced:
        return
    vendor = data.draw(st.sampled_from(priced))
    cheaper = dataclasses.replace(ev, values=ev.values.copy())
    cheaper.values.at[vendor, "Price"] = ev.values.at[vendor, "Price"] / 2
    try:
        before, after = score(ev, "wsm", policy), score(cheaper, "wsm", policy)
    except ScoringError as e:  # a category of zero weight, no non-price weight
        assert "weigh" in str(e) or "non-price criterion with weight" in str(e), str(e)
        return
    assert after.score(vendor) >= before.score(vendor) - 1e-9
    assert after.normalised.at[vendor, "Price"] >= before.normalised.at[vendor, "Price"]
    assert after.stage_of(vendor) == before.stage_of(vendor)


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1), combo=COMBOS)
def test_staged_scores_stay_between_0_and_100(seed, combo):
    ev = staged_evaluation(seed)
    try:
        r = score(ev, *combo)
    except ScoringError as e:
        assert "weigh" in str(e) or "non-price criterion with weight" in str(e), str(e)
        return
    s = r.table["score"].to_numpy(float)
    assert np.all((s >= 0) & (s <= 100)) and not np.isnan(s).any()
    n = r.normalised.to_numpy(float)
    assert np.all((n[~np.isnan(n)] >= 0) & (n[~np.isnan(n)] <= 1))
    c = r.category_scores.to_numpy(float)
    assert np.all((c >= 0) & (c <= 100))


@st.composite
def plain_evaluations(draw):
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    ev = random_evaluation(
        rng, n_vendors=draw(st.integers(1, 10)), n_criteria=draw(st.integers(1, 7)),
        n_categories=draw(st.sampled_from([None, 1, 2, 3])),
        missing_rate=draw(st.sampled_from([0.0, 0.15, 0.4])),
    )  # fmt: skip
    if draw(st.booleans()):
        ev = ev.with_criteria([c.replace(must=MustRule("=", 1.0, "yes"))
                               if c.scale is Scale.YESNO else c for c in ev.criteria])  # fmt: skip
    return ev


@SETTINGS
@given(ev=plain_evaluations(), policy=POLICIES)
def test_without_prices_and_minimums_the_result_is_todays(ev, policy):
    assert not ev.staged
    r = score(ev, "wsm", policy)
    want = reference(ev, policy)
    want_scores = dict(zip(want["order"], want["score"], strict=True))
    np.testing.assert_allclose(
        r.table["score"].to_numpy(), [want_scores[v] for v in r.table.index], atol=1e-9
    )
    assert r.stages == {}
    # the staged path forced on by a quality minimum of 0 (which nobody fails) gives the
    # same numbers bit for bit
    forced = dataclasses.replace(ev, settings=Settings(quality_minimum=0.0))
    assert forced.staged
    for method in ["wsm", "topsis"] if policy != "exclude" else ["wsm"]:
        a, b = score(ev, method, policy), score(forced, method, policy)
        # nobody falls at the minimum; the gates' disqualified fall where they did
        assert b.stages == {v: "must-have" for v in a.table.index if a.stage_of(v)}
        assert list(a.table.index) == list(b.table.index)
        np.testing.assert_array_equal(a.table["score"], b.table["score"])
        np.testing.assert_array_equal(a.table["completeness"], b.table["completeness"])
        np.testing.assert_array_equal(a.normalised.to_numpy(), b.normalised.to_numpy())
        np.testing.assert_array_equal(a.category_scores.to_numpy(), b.category_scores.to_numpy())
        assert list(a.table["reasons"]) == list(b.table["reasons"])
        assert [m for m in b.messages if m != EVERY_MEETS] == a.messages
