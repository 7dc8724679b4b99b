"""The built-in default model (docs/workbook-format.md §9) and header aliases."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from vendor_eval.core.model import Direction, Evaluation, MustRule, Scale
from vendor_eval.core.weights import effective_weights
from vendor_eval.workbook.defaults import (
    DEFAULT_ALIASES,
    DEFAULT_CATEGORIES,
    DEFAULT_CRITERIA,
    PERCENT_CRITERIA,
    canonical_name,
    default_criterion_for,
)

H, L = Direction.HIGHER, Direction.LOWER
REL, ABS, YN = Scale.RELATIVE, Scale.ABSOLUTE, Scale.YESNO

# name, category, direction, scale (absolute ones are 1–5 ratings)
EXPECTED = [
    ("Client rating", "Reputation", H, ABS),
    ("References checked", "Reputation", H, YN),
    ("Years in business", "Reputation", H, REL),
    ("Similar projects delivered", "Experience", H, REL),
    ("Years in client industry", "Experience", H, REL),
    ("ISO 27001", "Capability", H, YN),
    ("Technical fit", "Capability", H, ABS),
    ("Delivery headcount", "Capability", H, REL),
    ("Security assessment", "Capability", H, ABS),
    ("Response time (hours)", "Communication", L, REL),
    ("Time-zone overlap (hours)", "Communication", H, REL),
    ("Language proficiency", "Communication", H, ABS),
    ("SLA uptime", "Contract", H, REL),
    ("Service credits", "Contract", H, YN),
    ("Exit clause", "Contract", H, YN),
    ("Payment terms (days)", "Contract", H, REL),
    ("Financial stability", "Long-term viability", H, ABS),
    ("Revenue growth", "Long-term viability", H, REL),
    ("Client retention", "Long-term viability", H, REL),
    ("Blended hourly rate", "Cost", L, Scale.PRICE),  # a price, ratio formula (issue 14)
]


def test_categories_cover_the_due_diligence_checklist() -> None:
    assert [k.name for k in DEFAULT_CATEGORIES] == [
        "Reputation",
        "Experience",
        "Capability",
        "Communication",
        "Contract",
        "Long-term viability",
        "Cost",
    ]
    assert sum(k.weight for k in DEFAULT_CATEGORIES) == 100
    assert all(k.weight > 0 and len(k.description) > 15 for k in DEFAULT_CATEGORIES)


def test_criteria_match_design_section_7() -> None:
    got = [(c.name, c.category, c.direction, c.scale) for c in DEFAULT_CRITERIA]
    assert got == EXPECTED


@pytest.mark.parametrize("criterion", DEFAULT_CRITERIA, ids=lambda c: c.name)
def test_each_criterion_is_complete(criterion) -> None:
    assert criterion.weight > 0
    assert criterion.source == "column"
    assert len(criterion.description) >= 60  # explains what to enter and why
    if criterion.scale is ABS:
        assert (criterion.min, criterion.max) == (1.0, 5.0)
        assert "1" in criterion.description and "5" in criterion.description
    else:
        assert criterion.min is None and criterion.max is None
    if criterion.scale is YN:
        assert criterion.description.startswith("yes if")


def test_only_iso_27001_is_a_must_have() -> None:
    musts = {c.name: c.must for c in DEFAULT_CRITERIA if c.must is not None}
    assert musts == {"ISO 27001": MustRule("=", 1.0, "yes")}
    rule = musts["ISO 27001"]
    assert rule.passes(1.0) and not rule.passes(0.0) and not rule.passes(float("nan"))


def test_criterion_weights_sum_to_100_per_category() -> None:
    for k in DEFAULT_CATEGORIES:
        in_cat = [c.weight for c in DEFAULT_CRITERIA if c.category == k.name]
        assert in_cat, k.name
        assert sum(in_cat) == 100, k.name


def test_effective_weights_hand_computed() -> None:
    names = [c.name for c in DEFAULT_CRITERIA]
    ev = Evaluation(
        vendors=["A"],
        criteria=list(DEFAULT_CRITERIA),
        categories=list(DEFAULT_CATEGORIES),
        values=pd.DataFrame([[1.0] * len(names)], index=["A"], columns=names),
    )
    w = effective_weights(ev).to_dict()
    assert sum(w.values()) == pytest.approx(1.0)
    assert w["Blended hourly rate"] == pytest.approx(0.15)  # Cost 15 / 100, alone
    assert w["ISO 27001"] == pytest.approx(0.25 * 0.20)
    assert w["Technical fit"] == pytest.approx(0.25 * 0.35)
    assert w["Response time (hours)"] == pytest.approx(0.10 * 0.35)
    assert w["Similar projects delivered"] == pytest.approx(0.15 * 0.60)


def test_percent_criteria_are_default_criteria() -> None:
    names = {c.name for c in DEFAULT_CRITERIA}
    assert {"SLA uptime", "Revenue growth", "Client retention"} == PERCENT_CRITERIA
    assert names >= PERCENT_CRITERIA


def test_aliases_are_normalised_and_point_at_criteria() -> None:
    names = {c.name for c in DEFAULT_CRITERIA}
    for alias, target in DEFAULT_ALIASES.items():
        assert target in names, alias
        assert alias == alias.strip().lower(), alias
        assert not re.search(r"\s{2}", alias), alias


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("ISO 27001", "ISO 27001"),
        ("  iso27001 ", "ISO 27001"),
        ("ISO 27001 Certified", "ISO 27001"),
        ("iso/iec 27001", "ISO 27001"),
        ("Hourly rate", "Blended hourly rate"),
        ("Rate (USD/h)", "Blended hourly rate"),
        ("BLENDED HOURLY RATE", "Blended hourly rate"),
        ("Response time", "Response time (hours)"),
        ("response   time (h)", "Response time (hours)"),
        ("Time–zone overlap (hours)", "Time-zone overlap (hours)"),  # en dash
        ("Timezone overlap", "Time-zone overlap (hours)"),
        ("SLA uptime (%)", "SLA uptime"),
        ("Payment terms", "Payment terms (days)"),
        ("Client rating (1–5)", "Client rating"),
        ("Customer retention", "Client retention"),
        ("\ufeffVendor", None),
        ("Website", None),
        ("Notes", None),
        ("Rating", None),  # too generic: could be any rating
        ("Language", None),  # usually the language spoken, as text
        ("", None),
        ("   ", None),
    ],
)
def test_default_criterion_for(header: str, expected: str | None) -> None:
    assert canonical_name(header) == expected
    found = default_criterion_for(header)
    if expected is None:
        assert found is None
    else:
        assert found is not None and found.name == expected
        assert found is next(c for c in DEFAULT_CRITERIA if c.name == expected)
