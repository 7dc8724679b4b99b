"""The result of a scoring run: one labelled object the dashboard, CLI and export all use."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from vendor_eval.model import Evaluation, Method, MissingPolicy

QUALIFIED = "Qualified"
DISQUALIFIED = "Disqualified"


@dataclass
class Ranking:
    """A scored, ranked evaluation.

    All vendor-indexed frames share the same index and order: qualified vendors best first,
    then disqualified vendors by score.

    Attributes
    ----------
    evaluation:
        The evaluation that was scored (weights as used).
    method, missing:
        Aggregation method and missing-value policy.
    weights:
        Effective weights ``w_i`` (criterion → weight, summing to 1), DESIGN §3.1.
    table:
        Per vendor: ``rank`` (nullable Int64, ``<NA>`` for disqualified), ``score``
        (0–100), ``qualified`` (bool), ``completeness`` (0–1), ``reasons`` (list of str).
    category_scores:
        Vendors × categories, 0–100 (DESIGN §3.5).
    normalised:
        Vendors × criteria, the ``s`` in [0, 1] used for scoring (after the missing policy;
        NaN where the policy is ``exclude`` and the value is missing).
    contributions:
        Vendors × criteria, points; each row adds up to the vendor's WSM score.
    missing_mask:
        Vendors × criteria, True where the raw value is missing.
    explanations:
        Vendor → ``{"strengths": [...], "weaknesses": [...]}`` short sentences.
    messages:
        Run-level notes for the user (e.g. every vendor disqualified).
    """

    evaluation: Evaluation
    method: Method
    missing: MissingPolicy
    weights: pd.Series
    table: pd.DataFrame
    category_scores: pd.DataFrame
    normalised: pd.DataFrame
    contributions: pd.DataFrame
    missing_mask: pd.DataFrame
    explanations: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    messages: list[str] = field(default_factory=list)

    @property
    def vendors(self) -> list[str]:
        """Vendors in result order (best first, disqualified last)."""
        return list(self.table.index)

    @property
    def qualified(self) -> list[str]:
        return [v for v in self.table.index if bool(self.table.at[v, "qualified"])]

    @property
    def leader(self) -> str | None:
        """The top-ranked qualified vendor (first in order on a tie), or None."""
        q = self.qualified
        return q[0] if q else None

    def score(self, vendor: str) -> float:
        return float(self.table.at[vendor, "score"])

    def rank(self, vendor: str) -> int | None:
        r = self.table.at[vendor, "rank"]
        return None if pd.isna(r) else int(r)

    def to_frame(self) -> pd.DataFrame:
        """Flat table for display and export.

        Columns: Rank, Vendor, Status, Score, one per category, Completeness, Reasons
        (joined with ``"; "``).
        """
        t = self.table
        out = pd.DataFrame(
            {
                "Rank": t["rank"].astype("Int64").array,
                "Vendor": list(t.index),
                "Status": [QUALIFIED if q else DISQUALIFIED for q in t["qualified"]],
                "Score": t["score"].astype(float).to_numpy(),
            },
            index=range(len(t)),
        )
        for cat in self.category_scores.columns:
            out[cat] = self.category_scores[cat].to_numpy(dtype=float)
        out["Completeness"] = t["completeness"].to_numpy(dtype=float)
        out["Reasons"] = ["; ".join(r) for r in t["reasons"]]
        return out

    def to_records(self) -> list[dict[str, object]]:
        """JSON-ready list, best first (DESIGN §6 ``rank --format json``)."""

        def num(x: float) -> float | None:
            x = float(x)
            return None if math.isnan(x) else x

        records = []
        for v in self.table.index:
            row = self.table.loc[v]
            records.append(
                {
                    "rank": self.rank(v),
                    "vendor": v,
                    "score": num(row["score"]),
                    "qualified": bool(row["qualified"]),
                    "reasons": list(row["reasons"]),
                    "completeness": num(row["completeness"]),
                    "categories": {
                        c: num(self.category_scores.at[v, c]) for c in self.category_scores.columns
                    },
                    "contributions": {
                        c: num(self.contributions.at[v, c]) for c in self.contributions.columns
                    },
                    "strengths": list(self.explanations.get(v, {}).get("strengths", [])),
                    "weaknesses": list(self.explanations.get(v, {}).get("weaknesses", [])),
                }
            )
        return records
