"""What TOPSIS used for a ranking, and why it ranks a vendor differently from the weighted sum.

The ranking table shows weighted-sum category scores; under TOPSIS those are not what
decided the order. :func:`topsis_breakdown` recomputes the TOPSIS intermediate values for a
ranking (docs/scoring.md §7) — each vendor's distance to the ideal and to the anti-ideal
vendor, and the weighted normalised value per criterion — and :func:`method_difference`
says in one sentence why the two methods disagree most about one vendor.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from vendor_eval.core.model import Method
from vendor_eval.core.problems import ScoringError
from vendor_eval.scoring.methods.topsis import topsis_parts
from vendor_eval.scoring.ranking import Ranking
from vendor_eval.scoring.scorer import prepare, topsis_inputs

__all__ = ["D_MINUS", "D_PLUS", "TopsisBreakdown", "method_difference", "topsis_breakdown"]

D_PLUS = "Distance to ideal"
D_MINUS = "Distance to anti-ideal"


@dataclass(frozen=True)
class TopsisBreakdown:
    """TOPSIS's intermediate values, vendors in the ranking's order.

    ``distances`` holds per vendor :data:`D_PLUS` (d⁺, smaller is better), :data:`D_MINUS`
    (d⁻, larger is better) and ``Closeness`` ``d⁻ / (d⁺ + d⁻)``, the score ÷ 100.
    ``weighted`` is vendors × criteria, the weighted normalised values
    ``v_ij = w_j x_ij / ‖x_·j‖`` (missing values filled as the policy says); ``ideal`` and
    ``anti_ideal`` the best and the worst ``v`` per criterion over the qualified vendors.
    """

    distances: pd.DataFrame
    weighted: pd.DataFrame
    ideal: pd.Series
    anti_ideal: pd.Series

    def gap_shares(self, vendor: str) -> pd.Series:
        """Each criterion's share of the vendor's squared distance to the ideal (sums to 1)."""
        v = self.weighted.loc[vendor].to_numpy(dtype=float)
        gap = (v - self.ideal.to_numpy(dtype=float)) ** 2
        total = float(gap.sum())
        return pd.Series(gap / total if total > 0 else gap * 0.0, index=self.ideal.index)


def topsis_breakdown(ranking: Ranking) -> TopsisBreakdown:
    """Recompute the TOPSIS distances and weighted values behind ``ranking``'s evaluation
    and missing-value policy (whatever method ``ranking`` itself used)."""
    p = prepare(ranking.evaluation, ranking.missing)
    benefit, reference, fill = topsis_inputs(p)
    parts = topsis_parts(p.raw, p.weights, benefit, reference, fill=fill)
    labels = pd.Index(p.labels, dtype=object)
    names = pd.Index([c.name for c in p.criteria])
    x = np.where(np.isnan(p.raw), fill, p.raw)
    order = list(ranking.vendors)
    distances = pd.DataFrame(
        {D_PLUS: parts.d_plus, D_MINUS: parts.d_minus, "Closeness": parts.closeness},
        index=labels,
    ).reindex(order)
    weighted = pd.DataFrame(x * parts.factor, index=labels, columns=names).reindex(order)
    return TopsisBreakdown(
        distances=distances,
        weighted=weighted,
        ideal=pd.Series(parts.ideal, index=names),
        anti_ideal=pd.Series(parts.anti_ideal, index=names),
    )


def method_difference(topsis: Ranking, wsm: Ranking, breakdown: TopsisBreakdown) -> str | None:
    """One sentence on the qualified vendor whose TOPSIS and weighted-sum ranks differ most.

    ``None`` when the two rankings agree on every qualified vendor's rank.

    Raises
    ------
    ScoringError
        When the rankings are not a TOPSIS and a weighted-sum ranking of one evaluation.
    """
    if topsis.method is not Method.TOPSIS or wsm.method is not Method.WSM:
        raise ScoringError("method_difference compares a TOPSIS and a weighted-sum ranking")
    # rank gaps as one array operation (qualified vendors in TOPSIS order; NaN = unranked)
    qualified = pd.Index(topsis.qualified, dtype=object)
    ranks_t = topsis.table["rank"].reindex(qualified).to_numpy(dtype=float, na_value=np.nan)
    ranks_w = wsm.table["rank"].reindex(qualified).to_numpy(dtype=float, na_value=np.nan)
    gap = np.nan_to_num(np.abs(ranks_t - ranks_w), nan=0.0)
    if not gap.size or gap.max() == 0:
        return None
    v = str(qualified[int(np.argmax(gap))])  # the first of the largest gaps
    rt, rw = topsis.rank(v), wsm.rank(v)
    shares = breakdown.gap_shares(v)
    far = str(shares.idxmax()) if float(shares.max()) > 0 else None
    why = (
        "TOPSIS ranks by the distance to an ideal vendor that is best on every criterion, "
        "so one large gap counts more than several small ones"
    )
    if far is not None:
        why += f"; {v}'s largest gap is on {far} ({float(shares[far]):.0%} of its distance)"
    better = "higher" if (rt or 0) < (rw or 0) else "lower"
    return (
        f"{v} ranks {better} under TOPSIS ({_nth(rt)}) than under the weighted sum "
        f"({_nth(rw)}): {why}."
    )


def _nth(rank: int | None) -> str:
    if rank is None:
        return "not ranked"
    suffix = "th" if 10 <= rank % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(rank % 10, "th")
    return f"{rank}{suffix}"
