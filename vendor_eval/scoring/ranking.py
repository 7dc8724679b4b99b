"""The result of a scoring run: one labelled object the dashboard, CLI and export all use.

The per-criterion frames (``normalised``, ``contributions``, ``missing_mask``,
``category_scores``) of a register with 100,000 vendors are 5 million cells each, and most
callers read one or two of them, or none. :func:`vendor_eval.scoring.scorer.score` therefore hands
the :class:`Ranking` the arrays it computed, in input order (:class:`ScoreArrays`), and
each frame is built in result order the first time it is read, then kept. What a reader
sees is the same either way: the same index, columns, dtypes and values.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

import numpy as np
import pandas as pd

from vendor_eval.core.model import Evaluation, Method, MissingPolicy
from vendor_eval.scoring.methods.wsm import (
    category_has_data,
    category_scores,
    wsm_contributions,
)

if TYPE_CHECKING:
    from pandas.api.typing import NAType

QUALIFIED = "Qualified"
DISQUALIFIED = "Disqualified"
#: ``Ranking.stage_of`` → what the outputs show (the table, the CSV, the export, the dashboard).
STAGE_LABELS = {"must-have": "Must-have gate", "minimum": "Quality minimum"}


#: What every output shows for a category score the vendor has no data for (exclude).
NO_DATA = "no data"


def no_data_reason(vendor: str, category: str) -> str:
    """Why a category score is blank: ``no data: Acme has no value in any Capability
    criterion (missing values excluded)``."""
    return f"{NO_DATA}: {vendor} has no value in any {category} criterion (missing values excluded)"


def stage_label(stage: str) -> str:
    """``"must-have"`` → ``"Must-have gate"``, ``"minimum"`` → ``"Quality minimum"``; ``""``
    (qualified) stays empty."""
    return STAGE_LABELS.get(stage, stage)


@dataclass
class ScoreArrays:
    """What the lazy frames of a :class:`Ranking` are built from (vendors in input order).

    Attributes
    ----------
    s:
        Normalised scores after the missing policy (NaN where missing under ``exclude``),
        or ``None`` when ``make_s`` builds them on first use (:meth:`scores`).
    raw:
        Raw values (NaN = missing); only read to build the missing mask.
    w:
        Effective weights.
    shares:
        Criteria × categories, each criterion's share of its category.
    order:
        Input rows in result order.
    index, criteria, categories:
        Result-order vendor labels, criterion names, category names.
    row_scale:
        Under ``exclude``, ``100 / Σ_{j with a value} w_j`` per vendor (0 when it has no
        weighted value); ``None`` otherwise.
    make_s:
        Builds ``s`` when it is left as ``None``.
    """

    s: np.ndarray | None
    raw: np.ndarray
    w: np.ndarray
    shares: np.ndarray
    order: np.ndarray
    index: pd.Index
    criteria: pd.Index
    categories: pd.Index
    row_scale: np.ndarray | None = None
    make_s: Callable[[], np.ndarray] | None = None

    def scores(self) -> np.ndarray:
        """``s``, built by ``make_s`` the first time it is needed."""
        if self.s is None:
            assert self.make_s is not None
            self.s = self.make_s()
        return self.s

    def _frame(self, values: np.ndarray, columns: pd.Index) -> pd.DataFrame:
        return pd.DataFrame(values, index=self.index, columns=columns, copy=False)

    def _gather(self, a: np.ndarray) -> np.ndarray:
        """Rows of ``a`` in result order, column by column (cache-friendly for F order)."""
        return np.take(a.T, self.order, axis=1).T

    def normalised(self) -> pd.DataFrame:
        return self._frame(self._gather(self.scores()), self.criteria)

    def missing(self) -> np.ndarray:
        """Result order, True where the raw value is missing."""
        return self._gather(np.isnan(self.raw))

    def missing_mask(self) -> pd.DataFrame:
        return self._frame(self.missing(), self.criteria)

    def contributions(self) -> pd.DataFrame:
        s = self._gather(self.scores())
        scale = None if self.row_scale is None else self.row_scale[self.order]
        return self._frame(wsm_contributions(s, self.w, scale), self.criteria)

    def category_scores(self) -> pd.DataFrame:
        s = self._gather(self.scores())
        values = category_scores(s, self.shares, exclude=self.row_scale is not None)
        return self._frame(values, self.categories)

    def category_no_data(self) -> pd.DataFrame:
        """True where, under ``exclude``, a vendor has no value in any criterion of a
        category (all False under the other policies: every value is filled in)."""
        if self.row_scale is None:
            values = np.zeros((len(self.index), len(self.categories)), dtype=bool)
        else:
            values = ~category_has_data(self._gather(self.scores()), self.shares)
        return self._frame(values, self.categories)


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
        Effective weights ``w_i`` (criterion → weight, summing to 1), docs/scoring.md §2.
    table:
        Per vendor: ``rank`` (nullable Int64, ``<NA>`` for disqualified), ``score``
        (0–100), ``qualified`` (bool), ``completeness`` (0–1), ``reasons`` (list of str).
    category_scores:
        Vendors × categories, 0–100 (docs/scoring.md §6.3): the arithmetic, 0 where under
        ``exclude`` a vendor has no value in any criterion of the category.
    category_no_data:
        Vendors × categories, True in those cells: no data, not a score of 0.
    shown_category_scores:
        ``category_scores`` with NaN in those cells: what every output shows (blank, "no
        data", JSON null), so no chart, table or export reads a missing category as 0.
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

    The four per-criterion frames may be given as frames, or left out and built on first
    access from ``arrays`` (what :func:`~vendor_eval.scoring.scorer.score` does); explanations
    likewise, from the contributions and the qualified field.
    """

    def __init__(
        self,
        evaluation: Evaluation,
        method: Method,
        missing: MissingPolicy,
        weights: pd.Series,
        table: pd.DataFrame,
        category_scores: pd.DataFrame | None = None,
        normalised: pd.DataFrame | None = None,
        contributions: pd.DataFrame | None = None,
        missing_mask: pd.DataFrame | None = None,
        explanations: Any = None,
        messages: list[str] | None = None,
        *,
        arrays: ScoreArrays | None = None,
        stages: dict[str, str] | None = None,
    ) -> None:
        self.evaluation = evaluation
        #: Disqualified vendor → the stage it fell at, ``"must-have"`` or ``"minimum"``
        #: (docs/scoring.md §12); empty without stages (every one fell at the gates).
        self.stages = dict(stages or {})
        self.method = method
        self.missing = missing
        self.weights = weights
        self.table = table
        self.messages = list(messages) if messages is not None else []
        self._arrays = arrays
        self._frames: dict[str, pd.DataFrame] = {}
        given = {
            "category_scores": category_scores,
            "normalised": normalised,
            "contributions": contributions,
            "missing_mask": missing_mask,
        }
        for name, frame in given.items():
            if frame is not None:
                self._frames[name] = frame
            elif arrays is None:
                raise TypeError(f"Ranking needs {name} (or the arrays to build it from)")
        self._explanations = explanations
        if explanations is None and arrays is None:
            self._explanations = {}

    # -- the lazy frames -----------------------------------------------------------------
    def _get(self, name: str) -> pd.DataFrame:
        frame = self._frames.get(name)
        if frame is None:
            assert self._arrays is not None
            frame = self._frames[name] = getattr(self._arrays, name)()
        return frame

    @property
    def category_scores(self) -> pd.DataFrame:
        return self._get("category_scores")

    @property
    def category_no_data(self) -> pd.DataFrame:
        frame = self._frames.get("category_no_data")
        if frame is None:
            if self._arrays is not None:
                frame = self._arrays.category_no_data()
            else:  # frames given: a NaN category score is the only "no data" they can say
                frame = self.category_scores.isna()
            self._frames["category_no_data"] = frame
        return frame

    @property
    def shown_category_scores(self) -> pd.DataFrame:
        """``category_scores`` with NaN where the vendor has no data in the category."""
        frame = self._frames.get("shown_category_scores")
        if frame is None:
            frame = self.category_scores.mask(self.category_no_data)
            self._frames["shown_category_scores"] = frame
        return frame

    @property
    def normalised(self) -> pd.DataFrame:
        return self._get("normalised")

    @property
    def contributions(self) -> pd.DataFrame:
        return self._get("contributions")

    @property
    def missing_mask(self) -> pd.DataFrame:
        return self._get("missing_mask")

    @property
    def explanations(self) -> Any:
        """Vendor → ``{"strengths": [...], "weaknesses": [...]}`` (a read-only mapping)."""
        if self._explanations is None:
            from vendor_eval.scoring.explain import Explanations

            q = self.table["qualified"].to_numpy(dtype=bool)
            field = q if q.any() else np.ones_like(q)
            contrib = self.contributions
            # under exclude a missing value is no data, neither a strength nor a weakness
            silent = self.missing_mask.to_numpy() if self.missing is MissingPolicy.EXCLUDE else None
            self._explanations = Explanations(
                contrib.to_numpy(dtype=float), field, contrib.index, list(contrib.columns),
                no_data=silent,
            )  # fmt: skip
        return self._explanations

    def __repr__(self) -> str:
        return (
            f"Ranking({len(self.table)} vendors, method={self.method.value!r}, "
            f"missing={self.missing.value!r})"
        )

    # -- lookups -------------------------------------------------------------------------
    @property
    def vendors(self) -> list[str]:
        """Vendors in result order (best first, disqualified last)."""
        return list(self.table.index)

    @property
    def qualified(self) -> list[str]:
        t = self.table
        return list(t.index[t["qualified"].to_numpy(dtype=bool)])

    @property
    def leader(self) -> str | None:
        """The top-ranked qualified vendor (first in order on a tie), or None."""
        t = self.table
        first = np.flatnonzero(t["qualified"].to_numpy(dtype=bool))
        return t.index[first[0]] if first.size else None

    def stage_of(self, vendor: str) -> str:
        """Where ``vendor`` fell: ``"must-have"``, ``"minimum"``, or ``""`` if qualified."""
        if self.stages:
            return self.stages.get(vendor, "")
        qualified = bool(self.table.at[vendor, "qualified"])
        return "" if qualified else "must-have"

    def score(self, vendor: str) -> float:
        # the score column is float64: one cell is a numpy float
        return float(cast(float, self.table.at[vendor, "score"]))

    def rank(self, vendor: str) -> int | None:
        # the rank column is Int64: one cell is an int or pd.NA
        r = cast("int | NAType", self.table.at[vendor, "rank"])
        return None if pd.isna(r) else int(r)

    def to_frame(self) -> pd.DataFrame:
        """Flat table for display and export.

        Columns: Rank, Vendor, Status, Score, one per category (NaN where the vendor has
        no data in it, :attr:`shown_category_scores`), Completeness, Reasons (joined with
        ``"; "``).
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
        shown = self.shown_category_scores  # NaN: no data in the category (exclude)
        for cat in shown.columns:
            out[cat] = shown[cat].to_numpy(dtype=float)
        out["Completeness"] = t["completeness"].to_numpy(dtype=float)
        out["Reasons"] = ["; ".join(r) for r in t["reasons"]]
        return out

    def to_records(self) -> list[dict[str, object]]:
        """JSON-ready list, best first (docs/scoring.md §10, ``rank --format json``); a
        category the vendor has no data in (:attr:`category_no_data`) is ``None`` (null)."""

        def num(x: float) -> float | None:
            x = float(x)
            return None if math.isnan(x) else x

        t = self.table
        cats = list(self.category_scores.columns)
        crits = list(self.contributions.columns)
        cat_values = self.shown_category_scores.to_numpy(dtype=float).tolist()  # null: no data
        contrib = self.contributions.to_numpy(dtype=float).tolist()
        ranks = [None if pd.isna(r) else int(r) for r in t["rank"].tolist()]
        records = []
        for i, (v, score, q, reasons, comp) in enumerate(
            zip(t.index, t["score"], t["qualified"], t["reasons"], t["completeness"], strict=True)
        ):
            notes = self.explanations.get(v, {})
            records.append(
                {
                    "rank": ranks[i],
                    "vendor": v,
                    "score": num(score),
                    "qualified": bool(q),
                    "reasons": list(reasons),
                    "completeness": num(comp),
                    "categories": {c: num(x) for c, x in zip(cats, cat_values[i], strict=True)},
                    "contributions": {c: num(x) for c, x in zip(crits, contrib[i], strict=True)},
                    "strengths": list(notes.get("strengths", [])),
                    "weaknesses": list(notes.get("weaknesses", [])),
                }
            )
        return records
