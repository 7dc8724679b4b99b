"""Must-have gates (docs/scoring.md §3): who is disqualified, and the exact reasons."""

from __future__ import annotations

import math

import numpy as np
import pytest

from vendor_eval.core.model import Criterion, MustRule, Scale
from vendor_eval.scoring.gates import apply_gates, failed_rules

NAN = math.nan


def must(op: str, value: float) -> MustRule:
    return MustRule(op, value, f"{op} {value:g}")


ISO = Criterion("ISO 27001", "Capability", 1, scale=Scale.YESNO, must=MustRule("=", 1, "yes"))
YEARS = Criterion("Years in business", "Reputation", 1, must=must(">=", 3))
SLA = Criterion("SLA uptime", "Contract", 1, must=must(">=", 0.99))
PROJECTS = Criterion("Similar projects", "Experience", 1, must=must(">", 0))
RATE = Criterion("Hourly rate", "Cost", 1, must=must("<=", 50000))
RESPONSE = Criterion("Response time", "Communication", 1, must=must("<", 10))
PLAIN = Criterion("Technical fit", "Capability", 1)


@pytest.mark.parametrize(
    ("criterion", "value", "reason"),
    [
        (ISO, 0.0, "ISO 27001 must be yes (is no)"),
        (YEARS, 2.0, "Years in business must be >= 3 (is 2)"),
        (SLA, NAN, "no value for must-have SLA uptime"),
        (SLA, 0.985, "SLA uptime must be >= 0.99 (is 0.985)"),
        (PROJECTS, 0.0, "Similar projects must be > 0 (is 0)"),
        (RATE, 60000.0, "Hourly rate must be <= 50000 (is 60000)"),
        (RESPONSE, 10.0, "Response time must be < 10 (is 10)"),
    ],
)
def test_each_gate_type_fails_with_its_reason(criterion, value, reason):
    g = apply_gates(np.array([[value]]), [criterion])
    assert g.qualified.tolist() == [False]
    assert g.reasons == [[reason]]


@pytest.mark.parametrize(
    ("criterion", "value"),
    [(ISO, 1.0), (YEARS, 3.0), (SLA, 0.99), (PROJECTS, 1.0), (RATE, 50000.0), (RESPONSE, 9.5)],
)
def test_boundary_values_pass(criterion, value):
    g = apply_gates(np.array([[value]]), [criterion])
    assert g.qualified.tolist() == [True]
    assert g.reasons == [[]]


@pytest.mark.parametrize(
    ("rule", "value", "reason"),
    [
        (MustRule("=", 1, "yes"), 0.5, "ISO 27001 must be yes (is 0.5)"),
        (MustRule("=", 1, "yes"), 0.75, "ISO 27001 must be yes (is 0.75)"),
        (MustRule("=", 0, "no"), 1.0, "ISO 27001 must be no (is yes)"),
        (MustRule("=", 0, "no"), 0.25, "ISO 27001 must be no (is 0.25)"),
    ],
)
def test_yes_no_consensus_between_0_and_1_is_shown_as_a_number(rule, value, reason):
    # half the evaluators said yes: "must be yes (is yes)" would contradict itself
    g = apply_gates(np.array([[value]]), [ISO.replace(must=rule)])
    assert g.reasons == [[reason]]


def test_every_failed_rule_is_listed_in_criteria_order():
    x = np.array(
        [
            [1.0, 5.0, 4.0],  # passes
            [0.0, 2.0, 1.0],  # fails both rules
            [NAN, 7.0, NAN],  # missing must-have; missing plain value is fine
        ]
    )
    g = apply_gates(x, [ISO, YEARS, PLAIN])
    assert g.qualified.tolist() == [True, False, False]
    assert g.reasons == [
        [],
        ["ISO 27001 must be yes (is no)", "Years in business must be >= 3 (is 2)"],
        ["no value for must-have ISO 27001"],
    ]


def test_reason_lists_are_independent_objects():
    g = apply_gates(np.array([[1.0], [1.0]]), [ISO])
    g.reasons[0].append("x")
    assert g.reasons[1] == []


def test_failed_rules_matrix():
    x = np.array([[1.0, 2.0, 9.0], [0.0, 3.0, NAN]])
    fail = failed_rules(x, [ISO.must, YEARS.must, None])
    assert fail.tolist() == [[False, True, False], [True, False, False]]
