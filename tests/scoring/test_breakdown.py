"""What TOPSIS used, recomputed for a ranking, and why it disagrees with the weighted sum."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import SAMPLE, make_evaluation

from vendor_eval.core.model import Criterion, Direction
from vendor_eval.core.problems import ScoringError
from vendor_eval.scoring.breakdown import D_MINUS, D_PLUS, method_difference, topsis_breakdown
from vendor_eval.scoring.scorer import score
from vendor_eval.workbook.importing.load import load_evaluation

CRITERIA = [
    Criterion("Price", "Cost", 1.0, Direction.LOWER),
    Criterion("Quality", "Capability", 1.0),
]


def test_hand_computed_two_vendor_example():
    # x = [[100, 4], [200, 2]]; norms √(100²+200²) = 223.607, √(4²+2²) = 4.472; w = ½, ½
    ev = make_evaluation({"Price": [100, 200], "Quality": [4, 2]}, CRITERIA, vendors=["A", "B"])
    r = score(ev, method="topsis")
    b = topsis_breakdown(r)
    v = b.weighted.loc[["A", "B"]].to_numpy()
    expected = np.array(
        [[0.5 * 100 / 223.607, 0.5 * 4 / 4.472], [0.5 * 200 / 223.607, 0.5 * 2 / 4.472]]
    )
    np.testing.assert_allclose(v, expected, rtol=1e-4)
    # ideal: lowest price, highest quality; A is the ideal, B the anti-ideal
    np.testing.assert_allclose(b.ideal.to_numpy(), v[0], rtol=1e-12)
    np.testing.assert_allclose(b.anti_ideal.to_numpy(), v[1], rtol=1e-12)
    assert b.distances.at["A", D_PLUS] == pytest.approx(0.0)
    assert b.distances.at["B", D_MINUS] == pytest.approx(0.0)
    assert list(b.distances["Closeness"]) == pytest.approx([1.0, 0.0])


@pytest.mark.parametrize("missing", ["worst", "mean"])
def test_closeness_is_the_ranking_score(missing):
    ev = load_evaluation(SAMPLE)
    r = score(ev, method="topsis", missing=missing)
    b = topsis_breakdown(r)
    assert list(b.distances.index) == list(r.vendors)
    np.testing.assert_array_equal(b.distances["Closeness"].to_numpy() * 100, r.table["score"])
    d_plus, d_minus = b.distances[D_PLUS], b.distances[D_MINUS]
    np.testing.assert_allclose(
        np.sqrt(((b.weighted - b.ideal) ** 2).sum(axis=1)), d_plus, rtol=1e-12
    )
    np.testing.assert_allclose(
        np.sqrt(((b.weighted - b.anti_ideal) ** 2).sum(axis=1)), d_minus, rtol=1e-12
    )
    for vendor in r.vendors:
        assert b.gap_shares(vendor).sum() == pytest.approx(1.0)


def test_the_sample_sentence_names_the_vendor_and_its_largest_gap():
    ev = load_evaluation(SAMPLE)
    t, w = score(ev, method="topsis"), score(ev)
    sentence = method_difference(t, w, topsis_breakdown(t))
    ranks = {v: (t.rank(v), w.rank(v)) for v in t.qualified}
    v = max(ranks, key=lambda k: abs(ranks[k][0] - ranks[k][1]))
    b = topsis_breakdown(t)
    far = b.gap_shares(v).idxmax()
    assert sentence is not None and sentence.startswith(f"{v} ranks ")
    assert f"TOPSIS ({ranks[v][0]}" in sentence and f"weighted sum ({ranks[v][1]}" in sentence
    assert f"largest gap is on {far}" in sentence


def test_no_sentence_when_the_methods_agree():
    ev = make_evaluation({"Price": [100, 200, 300]}, CRITERIA[:1], vendors=["A", "B", "C"])
    t, w = score(ev, method="topsis"), score(ev)
    assert method_difference(t, w, topsis_breakdown(t)) is None


def test_the_rankings_must_be_topsis_and_wsm():
    ev = make_evaluation({"Price": [100, 200], "Quality": [4, 2]}, CRITERIA, vendors=["A", "B"])
    w = score(ev)
    with pytest.raises(ScoringError):
        method_difference(w, w, topsis_breakdown(w))


def test_breakdown_of_a_wsm_ranking_is_topsis_on_the_same_data():
    ev = load_evaluation(SAMPLE)
    b = topsis_breakdown(score(ev))
    t = score(ev, method="topsis")
    closeness = b.distances["Closeness"].reindex(t.vendors) * 100
    pd.testing.assert_series_equal(
        closeness, t.table["score"], check_names=False, check_index_type=False
    )
