"""The robustness verdict sentence of :func:`vendor_eval.stress.analysis.analyse`.

The verdict names the leader, its P(rank 1), whether WSM and TOPSIS agree, and the smallest
single weight change that hands the lead to someone else. A close call reads as one: it
starts with "Close call:" when the leader ranks first in fewer than 60% of the weight
samples, when it ties for first place (the sentence then gives every tied vendor's chance
and how TOPSIS sees the tie), or when TOPSIS puts another vendor first. The
smallest critical change is rounded down, so "its lead survives any single weight change
smaller than x" is true as written. When a bidder's withdrawal would change the winner
(docs/stress-tests.md §11) the sentence ends by naming it: "…; if Cheapco withdrew,
Quillstone would win."
"""

from __future__ import annotations

import math

from vendor_eval.core.model import MissingPolicy
from vendor_eval.stress.report import SensitivityReport

CLOSE_CALL = 0.60


def pct(p: float) -> str:
    """A probability as a percentage that never rounds a "not quite" to 0% or 100%."""
    if p >= 1.0:
        return "100%"
    if p > 0.995:
        return "over 99%"
    if p <= 0.0:
        return "0%"
    if p < 0.005:
        return "under 1%"
    return f"{p:.0%}"


def floor_to(size: float) -> str:
    """A change rounded *down* (2 decimals, 3 below 0.01), so "survives any change smaller
    than x" stays true: 0.119 reads 0.11, never 0.12."""
    digits = 2 if size >= 0.01 else 3
    scale = 10**digits
    return f"{math.floor(size * scale + 1e-9) / scale:.{digits}f}"


#: At most this many withdrawn vendors are named in the verdict; the rest are counted.
NAMED_WITHDRAWALS = 3


def verdict(report: SensitivityReport) -> str:
    """One sentence on how robust the leader is (see the module docstring)."""
    sentence = _weights_verdict(report)
    clause = withdrawal_clause(report)
    return f"{sentence[:-1]}; {clause}." if clause else sentence


def withdrawal_clause(report: SensitivityReport) -> str:
    """``if Cheapco withdrew, Quillstone would win``, or ``""`` when no withdrawal changes
    the leader.

    The first withdrawal (in ranking order) that changes the leader names the new leader
    N; every withdrawal that would also put N first is named with it (``if Cheapco or
    Dunmore withdrew``; beyond three, the rest are counted), and withdrawals that would put
    someone else first are counted in brackets.
    """
    changes = report.withdrawal_changes
    if not changes:
        return ""
    new = changes[0].leader
    group = [w.withdrawn for w in changes if w.leader == new]
    named = group[:NAMED_WITHDRAWALS]
    rest = len(group) - len(named)
    if rest == 1:
        named.append("one other vendor")
    elif rest:
        named.append(f"any of {rest} other vendors")
    who = ", ".join(named[:-1]) + f" or {named[-1]}" if len(named) > 1 else named[0]
    outcome = "no vendor would qualify" if new is None else f"{new} would win"
    clause = f"if {who} withdrew, {outcome}"
    more = len(changes) - len(group)
    if more:
        clause += f" ({more} more withdrawal{'s' if more != 1 else ''} would change the winner too)"
    return clause


def _weights_verdict(report: SensitivityReport) -> str:
    """The sentence on the weights (the module docstring), ending with a full stop."""
    leader = report.leader
    if leader is None:
        return (
            "No vendor qualifies (every vendor fails a must-have or has no value for one), "
            "so there is no leader to stress-test."
        )
    if len(report.p_first) == 1:
        return (
            f"{leader} is the only qualified vendor, so no choice of weights can change the winner."
        )
    p = report.p_first[leader]
    tied = [v for v, m in report.methods.items() if m["wsm_rank"] == 1]
    others = sorted(((q, v) for v, q in report.p_first.items() if v != leader), key=lambda x: -x[0])
    runner_p, runner = others[0]
    disagree = report.topsis_leader is not None and report.topsis_leader != leader

    if report.topsis_leader is None:
        why = (
            "when missing values are excluded"
            if report.missing is MissingPolicy.EXCLUDE
            else "here: it could not be computed"
        )
        methods = f" under the weighted sum (TOPSIS cannot be compared {why})"
    elif disagree:
        methods = f", but TOPSIS puts {report.topsis_leader} first"
    else:
        methods = " and under both methods"

    flips = [(c, c.change) for c in report.critical if c.change is not None]
    if flips:
        c, change = flips[0]
        size = abs(change)
        if size < 0.001:  # under 0.1 percentage point
            tail = (
                f"the slightest change in the weight of {c.factor} hands the lead to {c.new_leader}"
            )
        else:
            tail = (
                f"its lead survives any single weight change smaller than "
                f"{floor_to(size)} ({c.factor}, which would put {c.new_leader} first)"
            )
    else:
        tail = "no single weight change, however large, takes its lead"

    close = len(tied) > 1 or p < CLOSE_CALL or disagree
    if len(tied) > 1:
        return _tie(report, tied, tail if flips else "")
    if close:
        only = "only " if p < CLOSE_CALL else ""
        return (
            f"Close call: {leader} ranks first in {only}{pct(p)} of weight samples "
            f"({runner} in {pct(runner_p)}){methods}; {tail}."
        )
    return f"{leader} ranks first in {pct(p)} of weight samples{methods}; {tail}."


def _and(names: list[str]) -> str:
    return ", ".join(names[:-1]) + f" and {names[-1]}" if len(names) > 1 else names[0]


def _tie(report: SensitivityReport, tied: list[str], tail: str) -> str:
    """The verdict when several vendors share first place under the current weights."""
    shares = _and([pct(report.p_first[v]) for v in tied])
    topsis_first = [v for v, m in report.methods.items() if m["topsis_rank"] == 1]
    if report.topsis_leader is None:
        methods = "TOPSIS cannot be compared"
        if report.missing is MissingPolicy.EXCLUDE:
            methods += " when missing values are excluded"
    elif set(topsis_first) == set(tied):
        methods = "TOPSIS ties them too"
    elif len(topsis_first) == 1:
        methods = f"TOPSIS puts {topsis_first[0]} first"
    else:
        methods = f"TOPSIS ties {_and(topsis_first)} for first"
    # No flip at all: nobody ever gets strictly ahead of the (tied) leader.
    tail = tail or f"no single weight change puts another vendor ahead of {report.leader}"
    return (
        f"Close call: {_and(tied)} tie for first place (first in {shares} of weight samples); "
        f"{methods}; {tail}."
    )
