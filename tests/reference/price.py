"""The staged evaluation scored the slow way: docs/scoring.md §12 written out with loops.

The oracle for the price formulas, the minimum stage and the price stage of
:func:`vendor_eval.scoring.scorer.score` (WSM), which runs them inside the normaliser's
fused pass (``tests/scoring/test_stages.py``). One stage after the other, one vendor and one
criterion at a time, nothing shared with the package but the model's enums, the gates'
reason texts and the range tolerance:

1. gates → Q1;
2. every non-price criterion normalised over Q1 with its formula (linear min–max, ratio
   ``x / x_high`` or ``x_low / x``), the missing policy over Q1;
3. category minimums and the quality minimum judged for Q1 on those scores → Q2;
4. every price criterion normalised over Q2 (ratio, linear or budget), the missing policy
   over Q2;
5. totals, contributions, category scores and ranks as docs/scoring.md §6 and §8 over Q2.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from vendor_eval.core.model import Direction, Formula, Scale
from vendor_eval.scoring.gates import describe_failure
from vendor_eval.scoring.ranks import RANGE_TOLERANCE

NAN = math.nan
TOLERANCE = 1e-9  # a score this close to its minimum meets it


def _weights(ev, crits) -> list[float]:
    v = [c.weight for c in crits]
    if ev.categories is None:
        return [vi / sum(v) for vi in v]
    W = {k.name: k.weight for k in ev.categories}
    used = {c.category for c in crits}
    total_w = sum(W[k] for k in used)
    within = {k: sum(c.weight for c in crits if c.category == k) for k in used}
    return [W[c.category] / total_w * (c.weight / within[c.category] if within[c.category]
            else 0.0) for c in crits]  # fmt: skip


def _formula(c) -> Formula | None:
    scale = Scale.from_alias(c.scale)
    if scale is Scale.PRICE:
        return c.formula or Formula.RATIO
    if scale is Scale.RELATIVE:
        return c.formula or Formula.LINEAR
    return None


def _lower(c) -> bool:
    return Scale.from_alias(c.scale) is Scale.PRICE or c.direction is Direction.LOWER


def _column(x: list[float], c, field: list[int]) -> list[float]:
    """One criterion's scores before the missing policy (NaN where missing); ``field``:
    the rows whose values set the bounds (the stage's qualified vendors with a value, or
    everybody with one)."""
    n = len(x)
    has = [i for i in range(n) if not math.isnan(x[i])]
    scale, formula, lower = Scale.from_alias(c.scale), _formula(c), _lower(c)
    out = [NAN] * n
    if scale is Scale.YESNO:
        lo, hi = 0.0, 1.0
    elif scale is Scale.ABSOLUTE:
        lo, hi = c.min, c.max
    else:
        lo = min((x[i] for i in field), default=NAN)
        hi = max((x[i] for i in field), default=NAN)
    for i in has:
        if math.isnan(lo):  # nobody has a value (cannot happen for a vendor with one)
            out[i] = 1.0
        elif formula is Formula.RATIO and not lower:
            out[i] = 1.0 if hi == 0 else min(max(x[i] / hi, 0.0), 1.0)
        elif formula is Formula.RATIO:
            out[i] = min(max(lo / x[i], 0.0), 1.0)
        elif formula is Formula.BUDGET:
            ceiling = c.max
            if x[i] > ceiling:
                out[i] = 0.0  # above the budget: no points (and not disqualified)
            elif x[i] <= lo:
                out[i] = 1.0
            else:
                out[i] = min(max((ceiling - x[i]) / (ceiling - lo), 0.0), 1.0)
        elif not hi - lo > RANGE_TOLERANCE * max(abs(lo), abs(hi)):
            out[i] = 1.0  # docs/scoring.md §4.5–§4.6
        else:
            t = min(max((x[i] - lo) / (hi - lo), 0.0), 1.0)
            out[i] = 1.0 - t if lower else t
    return out


def _fill(col: list[float], qualified: list[bool], policy: str) -> list[float]:
    missing = [i for i, v in enumerate(col) if math.isnan(v)]
    if policy == "worst":
        for i in missing:
            col[i] = 0.0
    elif policy == "mean":
        q_vals = [v for i, v in enumerate(col) if qualified[i] and not math.isnan(v)]
        for i in missing:
            col[i] = sum(q_vals) / len(q_vals) if q_vals else 0.0
    return col


def _score_columns(x, crits, which, qualified, policy, s) -> None:
    n = x.shape[0]
    for j in which:
        col = [float(v) for v in x[:, j]]
        has = [i for i in range(n) if not math.isnan(col[i])]
        field = [i for i in has if qualified[i]] or has  # documented fallback
        s[:, j] = _fill(_column(col, crits[j], field), qualified, policy)


def _shares(crits, members: list[int]) -> list[float]:
    share = [crits[j].weight for j in members]
    return [1.0] * len(members) if sum(share) == 0 else share


def _mean_score(s, i, members, share, policy) -> float | None:
    """100 · Σ share · s / Σ share over ``members`` (under exclude: those with a value;
    ``None`` when the vendor has no value in a member that has a share)."""
    keep = [(a, j) for a, j in zip(share, members, strict=True)
            if policy != "exclude" or not math.isnan(s[i, j])]  # fmt: skip
    den = sum(a for a, _ in keep)
    return 100 * sum(a * s[i, j] for a, j in keep) / den if den > 0 else None


def _shown(score: float, minimum: float) -> str:
    for digits in range(1, 10):
        if float(f"{score:.{digits}f}") < minimum:
            return f"{score:.{digits}f}"
    return repr(score)


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:.6g}"


def reference_staged(ev, policy: str) -> dict[str, object]:
    """docs/scoring.md §12 (with §2–§8) for WSM, stage after stage."""
    vendors, crits = list(ev.vendors), list(ev.criteria)
    x = ev.values.loc[vendors, [c.name for c in crits]].to_numpy(dtype=float)
    n, m = x.shape
    w = _weights(ev, crits)
    price = [Scale.from_alias(c.scale) is Scale.PRICE for c in crits]
    # 1. gates
    reasons: list[list[str]] = [[] for _ in range(n)]
    for i in range(n):
        for j, c in enumerate(crits):
            if c.must is not None and not c.must.passes(x[i, j]):
                reasons[i].append(describe_failure(c.must, c, float(x[i, j])))
    q1 = [not r for r in reasons]
    stage = {i: "must-have" for i in range(n) if not q1[i]}
    # 2. non-price criteria over Q1
    s = np.full((n, m), NAN)
    _score_columns(x, crits, [j for j in range(m) if not price[j]], q1, policy, s)
    # 3. minimums, for the gate-passing vendors, on the scores after the policy
    minima = {k.name: k.minimum for k in ev.categories or () if k.minimum is not None}
    cats = ev.category_names
    for i in (i for i in range(n) if q1[i]):
        for cat in (k for k in cats if k in minima):
            members = [j for j, c in enumerate(crits) if c.category == cat]
            value = _mean_score(s, i, members, _shares(crits, members), policy)
            minimum = minima[cat]
            if value is None and minimum > 0:  # nothing to show, and something needed
                reasons[i].append(
                    f"no value in any {cat} criterion, so it cannot meet the {cat} "
                    f"minimum {_num(minimum)}"
                )
            elif value is not None and value < minimum - TOLERANCE:
                reasons[i].append(
                    f"{cat} score {_shown(value, minimum)} is below the minimum {_num(minimum)}"
                )
        qmin = ev.settings.quality_minimum
        if qmin is not None:
            members = [j for j in range(m) if not price[j]]
            q = _mean_score(s, i, members, [w[j] for j in members], policy)
            if q is None and qmin > 0:
                reasons[i].append(
                    "no value in any non-price criterion, so it cannot meet the quality "
                    f"minimum {_num(qmin)}"
                )
            elif q is not None and q < qmin - TOLERANCE:
                reasons[i].append(
                    f"quality score {_shown(q, qmin)} is below the minimum {_num(qmin)}"
                )
        if reasons[i]:
            stage[i] = "minimum"
    q2 = [not r for r in reasons]
    # 4. prices over Q2
    _score_columns(x, crits, [j for j in range(m) if price[j]], q2, policy, s)
    # 5. totals and ranks over Q2
    total, contrib = [], np.zeros((n, m))
    for i in range(n):
        present = [j for j in range(m) if not math.isnan(x[i, j])]
        if policy == "exclude":
            denom = sum(w[j] for j in present)
            for j in present:
                contrib[i, j] = 100 * w[j] / denom * s[i, j] if denom > 0 else 0.0
        else:
            for j in range(m):
                contrib[i, j] = 100 * w[j] * s[i, j]
        total.append(sum(contrib[i]))
    cat_scores = np.zeros((n, len(cats)))
    for k, cat in enumerate(cats):
        members = [j for j, c in enumerate(crits) if c.category == cat]
        share = _shares(crits, members)
        for i in range(n):
            value = _mean_score(s, i, members, share, policy)
            cat_scores[i, k] = 0.0 if value is None else value
    q_rows = sorted((i for i in range(n) if q2[i]), key=lambda i: -total[i])
    rank = {i: 1 + sum(total[k] > total[i] + 1e-9 for k in q_rows) for i in q_rows}
    q_rows.sort(key=lambda i: (rank[i], i))
    d_rows = sorted((i for i in range(n) if not q2[i]), key=lambda i: (-total[i], i))
    order = q_rows + d_rows
    idx = [vendors[i] for i in order]
    names = [c.name for c in crits]
    return {
        "order": idx,
        "rank": [rank.get(i) for i in order],
        "score": [total[i] for i in order],
        "reasons": [reasons[i] for i in order],
        "stages": {vendors[i]: name for i, name in stage.items()},
        "normalised": pd.DataFrame(s[order], index=idx, columns=names),
        "contributions": pd.DataFrame(contrib[order], index=idx, columns=names),
        "category_scores": pd.DataFrame(cat_scores[order], index=idx, columns=cats),
    }
