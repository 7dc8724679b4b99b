"""The weighted sum scored the slow way: docs/scoring.md written out with plain loops.

The oracle for :func:`vendor_eval.scoring.scorer.score`, which is vectorised, fused a
column at a time and builds its frames lazily (``tests/scoring/test_score_against_reference``).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from vendor_eval.core.model import Direction, Scale
from vendor_eval.scoring.ranks import RANGE_TOLERANCE

NAN = math.nan


def reference(ev, policy: str):
    """docs/scoring.md §2–§6 and §8 for WSM, one vendor and one criterion at a time."""
    vendors, crits = list(ev.vendors), list(ev.criteria)
    x = ev.values.loc[vendors, [c.name for c in crits]].to_numpy(dtype=float)
    n, m = x.shape
    v = [c.weight for c in crits]
    if ev.categories is None:
        w = [vi / sum(v) for vi in v]
    else:
        W = {k.name: k.weight for k in ev.categories}
        used = {c.category for c in crits}
        total_w = sum(W[k] for k in used)
        within = {k: sum(c.weight for c in crits if c.category == k) for k in used}
        w = [W[c.category] / total_w * (c.weight / within[c.category] if within[c.category]
             else 0.0) for c in crits]  # fmt: skip
    qualified = [all(c.must is None or c.must.passes(x[i, j]) for j, c in enumerate(crits))
                 for i in range(n)]  # fmt: skip
    s = np.full((n, m), NAN)
    for j, c in enumerate(crits):
        has = [i for i in range(n) if not math.isnan(x[i, j])]
        if c.scale is Scale.YESNO:
            lo, hi = 0.0, 1.0
        elif c.scale is Scale.ABSOLUTE:
            lo, hi = c.min, c.max
        else:
            field = [i for i in has if qualified[i]] or has  # documented fallback
            lo = min((x[i, j] for i in field), default=NAN)
            hi = max((x[i, j] for i in field), default=NAN)
        for i in has:
            # §4.5–§4.6: bounds within 1e-9 of their magnitude are equal (NaN: nobody has one)
            if not hi - lo > RANGE_TOLERANCE * max(abs(lo), abs(hi)):
                s[i, j] = 1.0
                continue
            t = min(max((x[i, j] - lo) / (hi - lo), 0.0), 1.0)
            s[i, j] = 1.0 - t if c.direction is Direction.LOWER else t
        missing = [i for i in range(n) if math.isnan(x[i, j])]
        if policy == "worst":
            for i in missing:
                s[i, j] = 0.0
        elif policy == "mean":
            q_vals = [s[i, j] for i in has if qualified[i]]
            for i in missing:
                s[i, j] = sum(q_vals) / len(q_vals) if q_vals else 0.0
    total, contrib, comp = [], np.zeros((n, m)), []
    for i in range(n):
        present = [j for j in range(m) if not math.isnan(x[i, j])]
        comp.append(sum(w[j] for j in present))
        if policy == "exclude":
            denom = sum(w[j] for j in present)
            for j in present:
                contrib[i, j] = 100 * w[j] / denom * s[i, j] if denom > 0 else 0.0
        else:
            for j in range(m):
                contrib[i, j] = 100 * w[j] * s[i, j]
        total.append(sum(contrib[i]))
    cats = ev.category_names
    cat_scores = np.zeros((n, len(cats)))
    for k, cat in enumerate(cats):
        members = [j for j, c in enumerate(crits) if c.category == cat]
        share = [v[j] for j in members]
        if sum(share) == 0:
            share = [1.0] * len(members)
        for i in range(n):
            keep = [(a, j) for a, j in zip(share, members, strict=True)
                    if policy != "exclude" or not math.isnan(x[i, j])]  # fmt: skip
            den = sum(a for a, _ in keep)
            cat_scores[i, k] = 100 * sum(a * s[i, j] for a, j in keep) / den if den else 0.0
    # docs/scoring.md §8: qualified by score (ties within 1e-9 share a rank, workbook order),
    # then the rest
    q_rows = sorted((i for i in range(n) if qualified[i]), key=lambda i: -total[i])
    rank = {i: 1 + sum(total[k] > total[i] + 1e-9 for k in q_rows) for i in q_rows}
    q_rows.sort(key=lambda i: (rank[i], i))
    d_rows = sorted((i for i in range(n) if not qualified[i]), key=lambda i: (-total[i], i))
    order = q_rows + d_rows
    idx = [vendors[i] for i in order]
    return {
        "order": idx,
        "rank": [rank.get(i) for i in order],
        "score": [total[i] for i in order],
        "completeness": [comp[i] for i in order],
        "normalised": pd.DataFrame(s[order], index=idx, columns=[c.name for c in crits]),
        "contributions": pd.DataFrame(contrib[order], index=idx, columns=[c.name for c in crits]),
        "category_scores": pd.DataFrame(cat_scores[order], index=idx, columns=cats),
        "missing_mask": pd.DataFrame(
            np.isnan(x[order]), index=idx, columns=[c.name for c in crits]
        ),
    }
