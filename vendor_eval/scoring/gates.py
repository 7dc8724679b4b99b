"""Must-have gates (docs/scoring.md §3).

A vendor that fails any Must rule, or has no value for a Must criterion, is disqualified;
every failed rule is kept as a plain-words reason such as ``ISO 27001 must be yes (is no)``,
``Years in business must be >= 3 (is 2)`` or ``no value for must-have SLA uptime``.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from vendor_eval.core.model import Criterion, MustRule, Scale, format_number


def failed_rules(x: np.ndarray, rules: Sequence[MustRule | None]) -> np.ndarray:
    """Vendors × criteria, True where a Must rule fails (missing values fail).

    Plain function: ``x`` is the raw value matrix (NaN = missing), ``rules`` one entry per
    column (``None`` = no rule).
    """
    x = np.asarray(x, dtype=float)
    fail = np.zeros(x.shape, dtype=bool)
    for j, rule in enumerate(rules):
        if rule is not None:
            fail[:, j] = ~rule.passes_array(x[:, j])
    return fail


def describe_failure(rule: MustRule, criterion: Criterion, actual: float) -> str:
    """The reason a value fails ``rule``, e.g. ``ISO 27001 must be yes (is no)``.

    A yes/no value between 0 and 1 (the evaluators' consensus, e.g. 0.5 when half said
    yes) is shown as the number: "must be yes (is yes)" would contradict itself.
    """
    if (
        Scale.from_alias(criterion.scale) is Scale.YESNO
        and rule.op == "="
        and actual == actual  # not NaN
        and actual not in (0.0, 1.0)
    ):
        want = "yes" if rule.value >= 0.5 else "no"
        return f"{criterion.name} must be {want} (is {format_number(actual)})"
    return rule.describe(criterion, actual)


@dataclass
class GateResult:
    """Who passes the gates, and why the others do not.

    Attributes
    ----------
    qualified:
        Boolean array, one per vendor (input order).
    rows:
        The disqualified vendors' row indices, ascending (int array).
    lists:
        Object array aligned with ``rows``: each one's failed rules in criteria order, as
        a new list of str (a register of 100,000 vendors does not need 100,000 empty
        lists here).
    """

    qualified: np.ndarray
    rows: np.ndarray
    lists: np.ndarray

    @property
    def failures(self) -> dict[int, list[str]]:
        """Row index → every failed rule in criteria order, for the disqualified only."""
        return dict(zip(self.rows.tolist(), self.lists.tolist(), strict=True))

    @property
    def reasons(self) -> list[list[str]]:
        """One list per vendor (input order); empty for qualified vendors."""
        failures = self.failures
        return [list(failures.get(i, [])) for i in range(len(self.qualified))]


def apply_gates(x: np.ndarray, criteria: Sequence[Criterion]) -> GateResult:
    """Apply every criterion's Must rule to the raw values ``x`` (vendors × criteria).

    Reasons are built only for vendors that fail, each distinct (rule, value) text once
    and handed out by index; only the per-vendor lists are Python objects, so a register
    of 100,000 vendors gates in a few milliseconds.
    """
    x = np.asarray(x, dtype=float)
    qualified = np.ones(x.shape[0], dtype=bool)
    rows: list[np.ndarray] = []
    texts: list[np.ndarray] = []
    for j, crit in enumerate(criteria):
        rule = crit.must
        if rule is None:
            continue
        idx = np.flatnonzero(~rule.passes_array(x[:, j]))
        if idx.size == 0:
            continue
        qualified[idx] = False
        uniq, inverse = np.unique(x[idx, j], return_inverse=True)
        described = np.array([describe_failure(rule, crit, float(u)) for u in uniq], dtype=object)
        rows.append(idx)
        texts.append(described[inverse.ravel()])
    if not rows:
        return GateResult(qualified, np.zeros(0, dtype=np.intp), np.empty(0, dtype=object))
    row = np.concatenate(rows)
    text = np.concatenate(texts)
    if len(rows) > 1:  # group by vendor; the stable sort keeps criteria order inside a group
        by_row = np.argsort(row, kind="stable")
        row, text = row[by_row], text[by_row]
    uniq, start = np.unique(row, return_index=True)
    items = text.tolist()
    lists: Iterator[list[str]]
    if len(uniq) == len(row):  # one failure each (the usual case)
        lists = map(list, zip(items))
    else:
        bounds = [*start.tolist(), len(items)]
        lists = (items[a:b] for a, b in itertools.pairwise(bounds))
    return GateResult(qualified, uniq, np.fromiter(lists, dtype=object, count=len(uniq)))
