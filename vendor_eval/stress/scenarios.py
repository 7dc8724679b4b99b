"""Named weight scenarios ("cost-focused", "quality-focused") ranked side by side.

The rules are docs/stress-tests.md §7.

* :class:`Scenario` is a named set of weights applied on top of an evaluation's own;
* :func:`compare_scenarios` ranks the evaluation under each, side by side.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from vendor_eval.core.model import Evaluation
from vendor_eval.core.problems import ScoringError, VendorEvalError
from vendor_eval.scoring.scorer import score


def _non_negative(v: object) -> bool:
    if isinstance(v, bool):
        return False
    try:
        x = float(v)  # type: ignore[arg-type]  # any value: float() refusing it is the test
    except (TypeError, ValueError):
        return False
    return math.isfinite(x) and x >= 0


@dataclass(frozen=True)
class Scenario:
    """A named set of weights, applied on top of an evaluation's own.

    Criteria and categories not named keep their weights.
    """

    name: str
    criterion_weights: Mapping[str, float] = field(default_factory=dict)
    category_weights: Mapping[str, float] = field(default_factory=dict)

    def apply(self, evaluation: Evaluation) -> Evaluation:
        """The evaluation with this scenario's weights (names must exist)."""
        unknown = [c for c in self.criterion_weights if c not in evaluation.criterion_names]
        unknown += [c for c in self.category_weights if c not in evaluation.category_names]
        if unknown:
            raise VendorEvalError(
                f"scenario {self.name!r}: unknown criteria or categories: " + ", ".join(unknown)
            )
        if self.category_weights and evaluation.categories is None:
            raise VendorEvalError(
                f"scenario {self.name!r} sets category weights, but the evaluation has no "
                "Categories sheet"
            )
        bad = [
            k
            for k, v in {**self.criterion_weights, **self.category_weights}.items()
            if not _non_negative(v)
        ]
        if bad:
            raise VendorEvalError(
                f"scenario {self.name!r}: weights must be numbers ≥ 0 ({', '.join(bad)})"
            )
        return evaluation.with_weights(dict(self.criterion_weights), dict(self.category_weights))


def compare_scenarios(
    evaluation: Evaluation,
    scenarios: Sequence[Scenario],
    *,
    method: str = "wsm",
    missing: str = "worst",
) -> pd.DataFrame:
    """Rank ``evaluation`` under each scenario, side by side.

    Returns
    -------
    DataFrame
        Index: vendors in the first scenario's order. Columns ``"<name>: rank"`` (Int64,
        ``<NA>`` when disqualified) and ``"<name>: score"`` per scenario, in order.
    """
    names = [s.name for s in scenarios]
    if len(set(names)) != len(names):
        raise VendorEvalError("scenario names must be unique")
    out: pd.DataFrame | None = None
    for sc in scenarios:
        try:
            r = score(sc.apply(evaluation), method=method, missing=missing)
        except ScoringError as e:  # e.g. every weight set to 0
            raise VendorEvalError(f"scenario {sc.name!r}: {e}") from None
        if out is None:
            out = pd.DataFrame(index=pd.Index(r.vendors, name="vendor"))
        t = r.table.reindex(out.index)  # one lookup per column, not per vendor
        out[f"{sc.name}: rank"] = pd.array(t["rank"].array, dtype="Int64")
        out[f"{sc.name}: score"] = t["score"].to_numpy(dtype=float)
    return out if out is not None else pd.DataFrame()
