"""Exact sweeps and critical weight changes: hand-computed cases and brute force."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import make_evaluation
from reference.sweep import brute_force_leaders

from vendor_eval.core.model import Category, Criterion, Direction, MustRule, Scale
from vendor_eval.core.problems import VendorEvalError
from vendor_eval.scoring.scorer import score
from vendor_eval.stress.analysis import critical_changes, sweep
from vendor_eval.stress.sweep import (
    critical_change,
    leader_intervals,
    split_weights,
    sweep_lines,
)


def unit(name: str, category: str, weight: float, direction=Direction.HIGHER) -> Criterion:
    """An absolute 0–1 criterion, so the raw value is the normalised s (or 1 − s)."""
    return Criterion(name, category, weight, direction, Scale.ABSOLUTE, min=0.0, max=1.0)


@pytest.fixture
def two_vendors():
    # w = (0.75, 0.25); V1 s = (0.8, 0.2) → 65, V2 s = (0.4, 0.9) → 52.5.
    ev = make_evaluation(
        {"X": [0.8, 0.4], "Y": [0.2, 0.9]}, [unit("X", "General", 3), unit("Y", "General", 1)]
    )
    return score(ev, "wsm", "worst")


@pytest.fixture
def three_vendors():
    # Quality (2): Q1, Q2 equal; Cost (1): Price, lower is better. w = 1/3 each.
    # s: V1 (1, .5, 0) → 50; V2 (.5, .5, .6) → 53.33; V3 (.2, .2, 1) → 46.67.
    ev = make_evaluation(
        {"Q1": [1.0, 0.5, 0.2], "Q2": [0.5, 0.5, 0.2], "Price": [1.0, 0.4, 0.0]},
        [
            unit("Q1", "Quality", 1),
            unit("Q2", "Quality", 1),
            unit("Price", "Cost", 1, Direction.LOWER),
        ],
        [Category("Quality", 2), Category("Cost", 1)],
    )
    return score(ev, "wsm", "worst")


def test_two_vendor_sweep_is_exact(two_vendors):
    assert two_vendors.leader == "V1"
    s = sweep(two_vendors, "X")
    assert s.kind == "criterion"
    assert s.current == pytest.approx(0.75)
    # V1 = 20 + 60 t, V2 = 90 − 50 t: they cross at t = 7/11.
    np.testing.assert_allclose(s.lines.a, [80, 40])
    np.testing.assert_allclose(s.lines.b, [20, 90])
    assert [v for _, _, v in s.intervals] == ["V2", "V1"]
    assert s.intervals[0][1] == pytest.approx(7 / 11, abs=1e-12)
    assert s.changes[0][1:] == ("V2", "V1")
    np.testing.assert_allclose(s.scores(0.75).to_numpy()[0], [65.0, 52.5])


def test_two_vendor_critical_changes(two_vendors):
    crit = critical_changes(two_vendors)
    # One category holds every criterion: it has no sweep, only the two criteria are listed.
    assert [(c.factor, c.kind) for c in crit] == [("X", "criterion"), ("Y", "criterion")]
    x, y = crit
    assert x.threshold == pytest.approx(7 / 11) and x.change == pytest.approx(7 / 11 - 0.75)
    assert y.threshold == pytest.approx(4 / 11) and y.change == pytest.approx(5 / 44)
    assert x.new_leader == y.new_leader == "V2"


def test_three_vendor_category_sweep(three_vendors):
    assert three_vendors.leader == "V2"
    np.testing.assert_allclose(three_vendors.table["score"], [160 / 3, 50, 140 / 3])
    s = sweep(three_vendors, "Cost")
    # V1 = 75 − 75t, V2 = 50 + 10t, V3 = 20 + 80t.
    assert s.current == pytest.approx(1 / 3)
    assert [v for *_, v in s.intervals] == ["V1", "V2", "V3"]
    np.testing.assert_allclose([iv[1] for iv in s.intervals], [5 / 17, 3 / 7, 1.0])
    assert s.leader_at(0.35) == "V2" and s.leader_at(0.9) == "V3"
    crit = {c.factor: c for c in critical_changes(three_vendors)}
    assert crit["Cost"].threshold == pytest.approx(5 / 17)
    assert crit["Cost"].change == pytest.approx(-2 / 51)
    assert crit["Cost"].new_leader == "V1"
    assert crit["Quality"].threshold == pytest.approx(12 / 17)
    assert crit["Quality"].change == pytest.approx(2 / 51)
    # Price is Cost's only criterion: the same sweep.
    assert crit["Price"].change == pytest.approx(-2 / 51)


def test_critical_table_sorted_by_size_of_change(three_vendors):
    crit = critical_changes(three_vendors)
    changes = [round(abs(c.change), 9) for c in crit if c.change is not None]
    assert changes == sorted(changes)
    assert len(changes) == 5  # Quality, Cost, Q1, Q2 and Price all flip the lead
    assert crit[0].factor == "Quality"  # ties in size keep categories first


def test_exclude_policy_sweeps_solve_the_quadratic_exactly():
    # V1 lacks Y; under exclude V1 = 60, V2 = 50.
    ev = make_evaluation(
        {"X": [1.0, 0.5], "Y": [None, 0.5], "Z": [0.2, 0.5]},
        [unit("X", "G", 1), unit("Y", "G", 1), unit("Z", "G", 1)],
    )
    r = score(ev, "wsm", "exclude")
    np.testing.assert_allclose(r.table.loc[["V1", "V2"], "score"], [60, 50])
    crit = {c.factor: c for c in critical_changes(r)}
    # X: (0.1 + 0.9t)/(0.5 + 0.5t) = 0.5 at t = 3/13; Z: (0.5 − 0.3t)/(0.5 + 0.5t) = 0.5 at 5/11.
    assert crit["X"].threshold == pytest.approx(3 / 13)
    assert crit["Z"].threshold == pytest.approx(5 / 11)
    # V1's score ignores Y, until Y is all that counts: at t = 1 V1 has no evidence left and
    # scores 0 (the engine agrees), so the lead passes to V2 at the endpoint itself.
    assert crit["Y"].threshold == 1.0 and crit["Y"].new_leader == "V2"
    assert crit["Y"].change == pytest.approx(2 / 3)
    assert score(ev.with_weights({"X": 0, "Y": 1, "Z": 0}), "wsm", "exclude").leader == "V2"
    s = sweep(r, "Y")
    assert s.intervals == [(0.0, 1.0, "V1"), (1.0, 1.0, "V2")]
    assert s.leader_at(0.999) == "V1" and s.leader_at(1.0) == "V2"
    assert s.changes == [(1.0, "V1", "V2")]
    assert [c.factor for c in critical_changes(r)] == ["X", "Z", "Y"]


def test_exclude_leader_without_evidence_at_zero_share():
    # V1 has only Y (0.9 → 90 points whenever Y counts); V2 scores 50 everywhere. With Y's
    # share at 0, V1 has no evidence and scores 0: V2 leads at that single point.
    ev = make_evaluation(
        {"X": [None, 0.5], "Y": [0.9, 0.5]}, [unit("X", "G", 1), unit("Y", "G", 1)]
    )
    r = score(ev, "wsm", "exclude")
    assert r.leader == "V1"
    assert score(ev.with_weights({"X": 1, "Y": 0}), "wsm", "exclude").leader == "V2"
    s = sweep(r, "Y")
    assert s.intervals == [(0.0, 0.0, "V2"), (0.0, 1.0, "V1")]
    assert s.leader_at(0.0) == "V2" and s.leader_at(0.001) == "V1"
    crit = {c.factor: c for c in critical_changes(r)}
    assert (crit["Y"].threshold, crit["Y"].new_leader) == (0.0, "V2")
    assert crit["Y"].change == pytest.approx(-0.5)
    assert (crit["X"].threshold, crit["X"].new_leader) == (1.0, "V2")


def test_disqualified_vendor_never_leads():
    crits = [unit("X", "G", 1), unit("Y", "G", 1).replace(must=MustRule(">=", 0.5, ">= 0.5"))]
    # V3 would win on X alone but fails the must-have on Y.
    ev = make_evaluation({"X": [0.6, 0.2, 1.0], "Y": [0.6, 0.9, 0.1]}, crits)
    r = score(ev, "wsm", "worst")
    s = sweep(r, "X")
    assert s.vendors == ["V1", "V2"]
    assert {v for *_, v in s.intervals} == {"V1", "V2"}


def test_unknown_factor_is_a_plain_error(two_vendors):
    with pytest.raises(VendorEvalError, match="'Nope' is not a category or criterion"):
        sweep(two_vendors, "Nope")


def test_zero_share_factor_uses_entered_weights():
    # Category B has weight 0: its sweep uses its criteria's entered weights 3:1.
    ev = make_evaluation(
        {"A1": [0.9, 0.1], "B1": [0.0, 1.0], "B2": [1.0, 0.0]},
        [unit("A1", "A", 1), unit("B1", "B", 3), unit("B2", "B", 1)],
        [Category("A", 1), Category("B", 0)],
    )
    s = sweep(score(ev, "wsm", "worst"), "B")
    assert s.current == 0.0
    np.testing.assert_allclose(s.lines.a, [25, 75])  # B alone, weighted 3:1
    np.testing.assert_allclose(s.lines.b, [90, 10])
    assert s.intervals[0][1] == pytest.approx(80 / 130)  # 90 − 65t = 10 + 65t


def test_full_share_factor_gives_the_rest_equal_categories():
    w = np.array([1.0, 0.0, 0.0])
    fallback = np.array([0.2, 0.3, 0.5])
    t0, u, r = split_weights(w, np.array([True, False, False]), fallback)
    assert t0 == 1.0
    np.testing.assert_allclose(u, [1, 0, 0])
    np.testing.assert_allclose(r, [0, 0.375, 0.625])


def test_tie_at_current_share_is_a_zero_change():
    S = np.array([[1.0, 0.0], [0.0, 1.0]])
    lines = sweep_lines(S, np.array([1.0, 0.0]), np.array([0.0, 1.0]))
    hit = critical_change(lines, np.array([True, True]), 0, 0.5)
    assert hit is not None and hit[0] == pytest.approx(0.5) and hit[1] == 1


def test_identical_vendors_never_swap():
    S = np.array([[0.3, 0.7], [0.3, 0.7]])
    lines = sweep_lines(S, np.array([1.0, 0.0]), np.array([0.0, 1.0]))
    el = np.array([True, True])
    assert critical_change(lines, el, 0, 0.4) is None
    assert leader_intervals(lines, el, 0, 0.4) == [(0.0, 1.0, 0)]


@pytest.mark.parametrize("exclude", [False, True])
@pytest.mark.parametrize("seed", range(25))
def test_against_brute_force_on_a_fine_grid(seed, exclude):
    rng = np.random.default_rng(seed)
    n, m = int(rng.integers(2, 8)), int(rng.integers(2, 7))
    S = rng.random((n, m))
    has = rng.random((n, m)) > 0.25 if exclude else None
    if has is not None:
        has[:, 0] = True  # evidence outside the factor; inside it may be missing entirely
    w = rng.dirichlet(np.ones(m))
    members = np.zeros(m, dtype=bool)
    members[: int(rng.integers(1, m))] = True
    t0, u, r = split_weights(w, members, np.full(m, 1 / m))
    lines = sweep_lines(S, u, r, has)
    eligible = rng.random(n) > 0.15
    eligible[0] = True
    at_t0 = np.where(eligible, lines.scores(t0), -np.inf)
    lead = int(np.argmax(at_t0))

    intervals = leader_intervals(lines, eligible, lead, t0)
    assert intervals[0][0] == 0.0 and intervals[-1][1] == 1.0
    grid = np.linspace(0, 1, 4001)
    brute = brute_force_leaders(lines, eligible, grid)
    ends = np.array([iv[1] for iv in intervals])
    exact = np.array([iv[2] for iv in intervals])[np.searchsorted(ends, grid)]
    away = np.min(np.abs(grid[:, None] - np.array([0.0, *ends])[None, :]), axis=1) > 1e-6
    sc = lines.scores(grid)
    rows = np.arange(len(grid))
    # Where two scores tie exactly, either leader is right.
    ok = (exact == brute) | (np.abs(sc[rows, exact] - sc[rows, brute]) < 1e-9)
    assert ok[away].all()
    for end in (0.0, 1.0):  # endpoints too (under exclude a leader may have no evidence there)
        who = next(v for a, b, v in (intervals[::-1] if end else intervals) if a <= end <= b)
        at = lines.scores(end)
        assert at[who] >= at[brute[-1 if end else 0]] - 1e-9

    hit = critical_change(lines, eligible, lead, t0)
    flips = grid[(brute != lead) & (np.abs(sc[:, lead] - sc[rows, brute]) > 1e-9)]
    if hit is None:
        assert flips.size == 0
    else:
        nearest = flips[np.argmin(np.abs(flips - t0))]
        assert abs(abs(nearest - t0) - abs(hit[0] - t0)) <= 1 / 4000 + 1e-9


def _direct_scores(S: np.ndarray, W: np.ndarray, exclude: bool) -> np.ndarray:
    """Scores (grid × vendors) straight from the definition, not from sweep lines."""
    has = ~np.isnan(S)
    s = np.where(has, S, 0.0)
    num = 100.0 * W @ s.T
    if not exclude:
        return num
    den = W @ has.T.astype(float)
    return np.where(den > 0, num / np.where(den > 0, den, 1.0), 0.0)


@pytest.mark.parametrize("policy", ["worst", "mean", "exclude"])
@pytest.mark.parametrize("seed", range(8))
def test_critical_table_against_brute_force_and_rescoring(seed, policy):
    """Every factor's threshold, change and new leader, checked two independent ways.

    On a fine grid of shares the leader comes from scores computed from the definition;
    just either side of each threshold the whole evaluation is re-scored by ``score()``
    with the weights set to that share.
    """
    from conftest import random_evaluation

    rng = np.random.default_rng(100 + seed)
    ev = random_evaluation(rng, n_vendors=int(rng.integers(3, 7)), n_criteria=6, missing_rate=0.15)
    r = score(ev, "wsm", policy)
    vendors = r.qualified
    assert len(vendors) >= 2, "the seeded case must leave a leader to dethrone"
    names = ev.criterion_names
    S = r.normalised.loc[vendors, names].to_numpy(dtype=float)
    if policy != "exclude":
        assert not np.isnan(S).any()
    w = r.weights.reindex(names).to_numpy(dtype=float)
    cats = np.array([c.category for c in ev.criteria])
    grid = np.linspace(0.0, 1.0, 4001)

    def weights_at(t: np.ndarray, members: np.ndarray) -> np.ndarray:
        inside = np.where(members, w, 0.0) / w[members].sum()
        outside = np.where(members, 0.0, w) / w[~members].sum()
        return np.outer(t, inside) + np.outer(1.0 - t, outside)

    def rescored_leader(t: float, members: np.ndarray) -> str:
        wt = weights_at(np.array([t]), members)[0]
        crit = dict(zip(names, wt.tolist(), strict=True))
        cat_w = {k: float(wt[cats == k].sum()) for k in ev.category_names}
        return score(ev.with_weights(crit, cat_w), "wsm", policy).leader

    table = critical_changes(r)
    assert len(table) == len(ev.category_names) + len(names)
    for c in table:
        members = (cats == c.factor) if c.kind == "category" else (np.array(names) == c.factor)
        assert c.current == pytest.approx(w[members].sum(), abs=1e-12)
        sc = _direct_scores(S, weights_at(grid, members), policy == "exclude")
        brute = np.asarray(vendors)[np.argmax(sc, axis=1)]
        flips = grid[brute != r.leader]
        if c.threshold is None:
            assert flips.size == 0, c
            continue
        assert c.change == pytest.approx(c.threshold - c.current, abs=1e-12)
        nearest = flips[np.argmin(np.abs(flips - c.current))]
        assert abs(abs(nearest - c.current) - abs(c.change)) <= 1 / 4000 + 1e-9, c
        step = 1e-7 if c.change >= 0 else -1e-7
        before, after = c.threshold - step, c.threshold + step
        if 0.0 < after < 1.0:
            assert rescored_leader(after, members) == c.new_leader, c
        if 0.0 < before < 1.0 and abs(step) < abs(c.change):
            assert rescored_leader(before, members) == r.leader, c


def test_near_linear_quadratic_crossing_keeps_full_precision():
    # Under exclude a tiny denominator slope makes the crossing a quadratic whose t² term is
    # 1e-11 next to a t term of 0.1; the textbook root formula loses ~6 digits there.
    from decimal import Decimal, getcontext

    from vendor_eval.stress.sweep import Lines

    eps = 1e-10
    # Leader: 0.5 / (1 + eps·t); challenger: 0.45 + 0.1·t. They cross where
    # 0.1·eps·t² + (0.1 + 0.45·eps)·t − 0.05 = 0.
    lines = Lines(
        n0=np.array([0.5, 0.45]),
        n1=np.array([0.0, 0.1]),
        d0=np.array([1.0, 1.0]),
        d1=np.array([eps, 0.0]),
    )
    getcontext().prec = 60
    a, b, c = (
        Decimal("0.1") * Decimal(eps),
        Decimal("0.1") + Decimal("0.45") * Decimal(eps),
        -Decimal("0.05"),
    )
    exact = float((-b + (b * b - 4 * a * c).sqrt()) / (2 * a))
    hit = critical_change(lines, np.array([True, True]), 0, 0.1)
    assert hit is not None and hit[1] == 1
    assert hit[0] == pytest.approx(exact, abs=1e-14)
    assert leader_intervals(lines, np.array([True, True]), 0, 0.1)[0][1] == pytest.approx(
        exact, abs=1e-14
    )
