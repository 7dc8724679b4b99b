"""The one ranking rule (scoring/ranks.py): 1 + how many score more than s + TIE_TOLERANCE.

Hand-computed examples for each form of it, and agreement between the forms (the official
``rank_order``, ``ranks_among``, the Monte Carlo's ``sorted_ranks``, ``first_place`` and the
export's cached ranks) on random scores with exact and near ties.
"""

from __future__ import annotations

import numpy as np
import pytest
from reference.ranks import competition_ranks, row_ranks

from vendor_eval.output.excel import sheets
from vendor_eval.scoring.ranks import (
    TIE_TOLERANCE,
    first_place,
    rank_order,
    ranks_among,
    sorted_ranks,
)


def _tied_scores(seed: int, rows: int = 200, n: int = 9) -> np.ndarray:
    rng = np.random.default_rng(seed)
    base = rng.integers(0, 5, size=(rows, n)) * 10.0
    return base + rng.integers(0, 3, size=base.shape) * 4e-10  # near ties 4e-10 apart


def test_one_tolerance():
    assert TIE_TOLERANCE == 1e-9
    assert float(sheets._TIE_FORMULA) == TIE_TOLERANCE  # the export's formula uses it too


def test_ranks_among_hand_computed():
    field = np.sort(np.array([50.0, 50.0 + 5e-10, 40.0, 30.0]))
    got = ranks_among(np.array([50.0, 50.0 + 5e-10, 40.0, 30.0, 60.0, 45.0]), field)
    assert got.tolist() == [1, 1, 3, 4, 1, 3]


def test_first_place_hand_computed():
    scores = np.array([[3.0, 1.0, 3.0 - 5e-10, 2.0], [1.0, 2.0, 3.0, 4.0]])
    assert first_place(scores).tolist() == [[True, False, True, False], [False] * 3 + [True]]


def test_sorted_ranks_hand_computed():
    ids, ties = sorted_ranks(np.array([[3.0, 1.0, 3.0, 2.0]]))
    assert ids.tolist() == [[0, 2, 3, 1]]
    assert [(r.tolist(), c.tolist()) for r, c in ties] == [([0], [1])]  # position 1 is 1st


@pytest.mark.parametrize("seed", range(5))
def test_every_form_of_the_rule_agrees(seed):
    scores = _tied_scores(seed)
    official = row_ranks(scores)
    np.testing.assert_array_equal(competition_ranks(scores), official)
    np.testing.assert_array_equal(first_place(scores), official == 1)
    for row, want in zip(scores, official, strict=True):
        np.testing.assert_array_equal(ranks_among(row, np.sort(row)), want)


@pytest.mark.parametrize("seed", range(5))
def test_rank_order_with_the_disqualified(seed):
    rng = np.random.default_rng(seed)
    scores = _tied_scores(seed, rows=1, n=60)[0]
    qualified = rng.random(60) < 0.7
    order, ranks = rank_order(scores, qualified)
    q = scores[qualified]
    np.testing.assert_array_equal(ranks[qualified], ranks_among(q, np.sort(q)))
    assert not ranks[~qualified].any()
    assert set(order[: qualified.sum()]) == set(np.flatnonzero(qualified))


@pytest.mark.parametrize("seed", range(5))
def test_export_ranks_are_the_rule_and_the_old_formula(seed):
    rng = np.random.default_rng(seed)
    wsm = _tied_scores(seed, rows=1, n=40)[0]
    qual = rng.random(40) < 0.8
    got = sheets._wsm_ranks(wsm, qual)
    q = np.sort(wsm[qual])
    old = np.where(qual, 1.0 + (len(q) - np.searchsorted(q, wsm + 1e-9, side="right")), np.nan)
    np.testing.assert_array_equal(got, old)
    _, ranks = rank_order(wsm, qual)
    np.testing.assert_array_equal(got[qual], ranks[qual].astype(float))
