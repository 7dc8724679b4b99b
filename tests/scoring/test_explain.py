"""Explanations: three strongest / weakest criteria by contribution gap to the field's mean."""

from __future__ import annotations

import json

import numpy as np
import pytest
from conftest import make_evaluation

from vendor_eval.core.model import Criterion, Direction, MustRule, Scale
from vendor_eval.scoring.explain import (
    Explanations,
    contribution_gaps,
    sentences,
    strongest_weakest,
)
from vendor_eval.scoring.scorer import score

PRICE = Criterion("Price", "Cost", 2, Direction.LOWER)
RATING = Criterion("Rating", "Quality", 1, scale=Scale.ABSOLUTE, min=1, max=5)
ISO = Criterion("ISO", "Quality", 1, scale=Scale.YESNO)


def ranking(**kw):
    ev = make_evaluation(
        {"Price": [100, 200, 150], "Rating": [5, 3, 1], "ISO": [1, 0, 1]},
        [PRICE, RATING, ISO],
        vendors=["A", "B", "C"],
    )
    return score(ev, **kw)


def test_sentences_hand_computed():
    # contributions A [50, 25, 25], B [0, 12.5, 0], C [25, 0, 25];
    # field mean [25, 12.5, 16.67]
    ex = ranking().explanations
    assert ex["A"] == {
        "strengths": [
            "Strong on Price: +25.0 points vs the field average",
            "Strong on Rating: +12.5 points vs the field average",
            "Strong on ISO: +8.3 points vs the field average",
        ],
        "weaknesses": [],
    }
    assert ex["B"] == {
        "strengths": [],
        "weaknesses": [
            "Weak on Price: -25.0 points vs the field average",
            "Weak on ISO: -16.7 points vs the field average",
        ],
    }
    assert ex["C"] == {
        "strengths": ["Strong on ISO: +8.3 points vs the field average"],
        "weaknesses": ["Weak on Rating: -12.5 points vs the field average"],
    }


def test_field_is_the_qualified_vendors():
    crit = [Criterion("Gate", "G", 1, scale=Scale.YESNO, must=MustRule("=", 1, "yes")),
            Criterion("X", "G", 1)]  # fmt: skip
    ev = make_evaluation({"Gate": [1, 1, 0], "X": [0, 10, 10]}, crit, vendors=["A", "B", "D"])
    ex = score(ev).explanations
    # field A, B: mean contributions Gate 50, X 25; D: Gate 0 (-50), X 50 (+25)
    assert ex["D"] == {
        "strengths": ["Strong on X: +25.0 points vs the field average"],
        "weaknesses": ["Weak on Gate: -50.0 points vs the field average"],
    }
    assert ex.gaps("D") == pytest.approx({"Gate": -50.0, "X": 25.0})


def test_only_three_each_largest_first():
    gaps = np.array([1.0, -4.0, 3.0, 0.2, -0.5, 5.0, -2.0, -0.01])
    strong, weak = strongest_weakest(gaps)
    assert strong == [5, 2, 0]
    assert weak == [1, 6, 4]


def test_gaps_that_round_to_zero_are_left_out():
    out = sentences(np.array([0.04, -0.04, 0.05]), ["a", "b", "c"])
    assert out == {"strengths": ["Strong on c: +0.1 points vs the field average"],
                   "weaknesses": []}  # fmt: skip


def test_contribution_gaps_plain():
    c = np.array([[10.0, 0.0], [20.0, 4.0], [90.0, 90.0]])
    gaps = contribution_gaps(c, np.array([True, True, False]))
    assert gaps == pytest.approx(np.array([[-5.0, -2.0], [5.0, 2.0], [75.0, 88.0]]))


def test_mapping_behaviour_and_json():
    ex = ranking().explanations
    assert isinstance(ex, Explanations)
    assert list(ex) == ["A", "C", "B"] and len(ex) == 3
    assert "A" in ex and "Nobody" not in ex
    assert ex.get("Nobody") is None
    assert ex["B"]["weaknesses"][0].startswith("Weak on Price")
    ex["A"]["strengths"].clear()  # callers get copies
    assert len(ex["A"]["strengths"]) == 3
    assert json.loads(json.dumps(ex.to_dict()))["C"]["strengths"] == [
        "Strong on ISO: +8.3 points vs the field average"
    ]


def test_topsis_explanations_use_weighted_sum_points():
    assert ranking(method="topsis").explanations["A"] == ranking().explanations["A"]
