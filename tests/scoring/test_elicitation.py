"""Rank-order centroid and AHP (published example, consistency)."""

from __future__ import annotations

import numpy as np
import pytest

from vendor_eval.core.problems import VendorEvalError
from vendor_eval.scoring.elicitation import ahp, rank_order_centroid, roc_weights


def test_roc_for_three_and_four():
    np.testing.assert_allclose(rank_order_centroid(3), [0.6111, 0.2778, 0.1111], atol=5e-5)
    # n = 4: (1 + 1/2 + 1/3 + 1/4)/4, (1/2 + 1/3 + 1/4)/4, (1/3 + 1/4)/4, (1/4)/4.
    np.testing.assert_allclose(rank_order_centroid(4), [25 / 48, 13 / 48, 7 / 48, 3 / 48])
    assert rank_order_centroid(1).tolist() == [1.0]


def test_roc_by_name_and_errors():
    w = roc_weights(["Cost", "Quality"])
    assert w == pytest.approx({"Cost": 0.75, "Quality": 0.25})
    with pytest.raises(VendorEvalError, match="only once"):
        roc_weights(["Cost", "Cost"])
    with pytest.raises(VendorEvalError, match="at least one"):
        rank_order_centroid(0)


def test_ahp_published_example():
    # The common textbook 3 × 3 example: w = (0.637, 0.258, 0.105), λmax = 3.039, CR = 0.033.
    r = ahp([[1, 3, 5], [1 / 3, 1, 3], [1 / 5, 1 / 3, 1]], ["A", "B", "C"])
    np.testing.assert_allclose(r.weights, [0.6370, 0.2583, 0.1047], atol=5e-4)
    assert r.lambda_max == pytest.approx(3.0385, abs=1e-4)
    assert r.ci == pytest.approx(0.0193, abs=1e-4)
    assert r.cr == pytest.approx(0.0332, abs=1e-4)
    assert r.consistent and r.warning is None


def test_ahp_perfectly_consistent_matrix_recovers_the_weights():
    w = np.array([0.5, 0.25, 0.125, 0.125])
    r = ahp(np.outer(w, 1 / w), ["A", "B", "C", "D"])
    np.testing.assert_allclose(r.weights, w)
    assert r.lambda_max == pytest.approx(4.0)
    assert r.cr == pytest.approx(0.0, abs=1e-9)
    assert r.as_dict() == pytest.approx({"A": 0.5, "B": 0.25, "C": 0.125, "D": 0.125})


def test_ahp_inconsistent_names_the_bad_judgement():
    w = np.array([0.4, 0.3, 0.2, 0.1])
    A = np.outer(w, 1 / w)
    A[0, 3], A[3, 0] = 1 / 4, 4.0  # should be 4: A is more important than D, entered backwards
    r = ahp(A, ["Quality", "Cost", "Security", "Support"])
    assert r.cr > 0.10 and not r.consistent
    assert r.most_inconsistent == ("Quality", "Support")
    assert r.warning.startswith("consistency ratio 0.40 is above 0.10")
    # Through Cost (4/3 · 3) and Security (2 · 2) the other judgements both say 4.
    assert r.warning.endswith(
        "The one most out of line is Quality vs Support (entered 0.25; the other judgements "
        "imply 4)."
    )


def test_ahp_cycle_names_a_judgement_and_what_the_others_imply():
    # a > b (3), b > c (3), yet c > a (3): the weights are equal, but a vs c is entered as
    # 1/3 while a > b > c implies 3 · 3 = 9.
    r = ahp([[1, 3, 1 / 3], [1 / 3, 1, 3], [3, 1 / 3, 1]], ["a", "b", "c"])
    np.testing.assert_allclose(r.weights, [1 / 3, 1 / 3, 1 / 3])
    # λmax = 1 + 3 + 1/3 = 13/3: CI = (13/3 − 3)/2 = 2/3, CR = (2/3)/0.58.
    assert r.cr == pytest.approx((2 / 3) / 0.58)
    i, j = "abc".index(r.most_inconsistent[0]), "abc".index(r.most_inconsistent[1])
    implied = {(0, 1): 1 / 9, (0, 2): 9.0, (1, 2): 1 / 9}[(i, j)]
    assert r.warning.endswith(
        f"(entered {[[1, 3, 1 / 3], [1 / 3, 1, 3]][i][j]:.3g}; "
        f"the other judgements imply {implied:.3g})."
    )


def test_saaty_random_index():
    from vendor_eval.scoring.elicitation import RANDOM_INDEX

    assert [RANDOM_INDEX[n] for n in range(1, 11)] == [
        0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49
    ]  # fmt: skip
    # CR = CI / RI(n): a 5 × 5 matrix with one judgement off uses RI(5) = 1.12.
    w = np.array([0.3, 0.25, 0.2, 0.15, 0.1])
    A = np.outer(w, 1 / w)
    A[0, 4], A[4, 0] = 9.0, 1 / 9
    r = ahp(A, list("ABCDE"))
    assert r.cr == pytest.approx(((r.lambda_max - 5) / 4) / 1.12)
    assert r.most_inconsistent == ("A", "E")


@pytest.mark.parametrize(
    ("matrix", "message"),
    [
        ([[1, 2], [2, 1]], "A vs B is 2 but B vs A is 2; they must be reciprocals"),
        ([[2, 1], [1, 1]], "A vs itself must be 1, not 2"),
        ([[1, 12], [1 / 12, 1]], "A vs B: 12 is outside Saaty's 1/9–9"),
        ([[1, -1], [-1, 1]], "A vs B: -1 is not a positive number"),
    ],
)
def test_ahp_rejects_bad_matrices(matrix, message):
    with pytest.raises(VendorEvalError) as e:
        ahp(matrix, ["A", "B"])
    assert message in str(e.value)


def test_ahp_rejects_text():
    with pytest.raises(VendorEvalError, match="must all be numbers"):
        ahp([[1, "x"], [1, 1]], ["A", "B"])


@pytest.mark.parametrize(
    ("matrix", "names", "message"),
    [
        ([[1, 2], [0.5]], None, "pairwise judgements must form a square table"),
        ([[1, 2, 3], [0.5, 1, 2]], None, "pairwise judgements must form a square table"),
        ([1, 2], None, "pairwise judgements must form a square table"),
        ([[1, 2], [0.5, 1]], ["A", "B", "C"], "a pairwise matrix for 3 items must be 3 × 3"),
        ([[1, 2], [0.5, 1]], ["A", "A"], "each item may appear only once"),
    ],
)
def test_ahp_rejects_badly_shaped_input(matrix, names, message):
    with pytest.raises(VendorEvalError) as e:
        ahp(matrix, names)
    assert message in str(e.value)


def test_out_of_range_judgement_is_reported_once():
    with pytest.raises(VendorEvalError) as e:
        ahp([[1, 12], [1 / 12, 1]], ["A", "B"])
    assert str(e.value) == "A vs B: 12 is outside Saaty's 1/9–9"


def test_two_items_are_always_consistent():
    r = ahp([[1, 3], [1 / 3, 1]], ["A", "B"])
    np.testing.assert_allclose(r.weights, [0.75, 0.25])
    assert r.cr == 0.0 and r.warning is None
