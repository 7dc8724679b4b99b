"""Score an evaluation: the validating, labelling layer over the plain methods.

The rules are docs/scoring.md.

``score(evaluation, method="wsm", missing="worst")`` runs gates → normalisation → missing
policy → effective weights → method → ranking, and returns a :class:`Ranking` whose frames
are labelled by vendor and criterion. Everything per vendor is vectorised (no Python loop
over vendors except to build reasons for the disqualified), so a register of 100,000
vendors scores in well under a second.

Choices the design leaves open, made here and documented in README.md ("How scoring works"):

* The *field* for relative bounds, the ``mean`` policy and TOPSIS's observed values is the
  qualified vendors with a value; for a criterion no qualified vendor answered, it is every
  vendor with a value.
* Category score = ``100 · Σ_{i∈c} w_i s_i / Σ_{i∈c} w_i`` computed with the within-category
  shares ``v_i / Σ_{j∈c} v_j``, so a category of weight 0 still shows a score (equal shares
  when its criteria all weigh 0). Under ``exclude`` the shares are renormalised over the
  criteria the vendor has; a vendor with none in a category scores 0 there.
* Under TOPSIS the score is ``100 · C``; contributions and category scores stay weighted-sum
  points (TOPSIS is not additive) and a message says so.
"""

from __future__ import annotations

import gc
import itertools
import math
from dataclasses import dataclass
from functools import partial
from typing import TypeVar

import numpy as np
import pandas as pd

from vendor_eval.core.model import (
    Criterion,
    Direction,
    Evaluation,
    Method,
    MissingPolicy,
    Scale,
)
from vendor_eval.core.problems import ScoringError
from vendor_eval.core.weights import effective_weight_array, within_category_shares
from vendor_eval.scoring import normalise as nz
from vendor_eval.scoring.gates import GateResult, apply_gates
from vendor_eval.scoring.methods import topsis
from vendor_eval.scoring.methods.wsm import exclude_row_scale, scores_from_sums
from vendor_eval.scoring.ranking import Ranking, ScoreArrays
from vendor_eval.scoring.ranks import rank_order

ALL_DISQUALIFIED = "No vendor passes every must-have; the ranking is shown without ranks."
TOPSIS_EXCLUDE = "TOPSIS cannot exclude missing values; use --missing worst or mean"
TOPSIS_NOTE = (
    "TOPSIS scores are closeness to the ideal vendor (0–100), not sums: the category scores "
    "and contributions show weighted-sum points for reference."
)
_Choice = TypeVar("_Choice", Method, MissingPolicy)
_SCALE_CODE = {Scale.RELATIVE: nz.RELATIVE, Scale.ABSOLUTE: nz.ABSOLUTE, Scale.YESNO: nz.YESNO}


@dataclass
class Prepared:
    """The arrays every method starts from (vendors in input order).

    Useful to other analyses that re-weight without re-validating. ``columns`` holds the
    normalised scores ``s`` after the missing policy (NaN where missing under
    ``exclude``), the raw field extremes ``lo``/``hi`` of every criterion, the fallback
    flags and the per-vendor weight sums
    (:class:`~vendor_eval.scoring.normalise.NormalisedColumns`).
    """

    vendors: list[str]
    labels: np.ndarray  # the vendor names as an object array (input order)
    criteria: list[Criterion]
    weights: np.ndarray
    raw: np.ndarray
    lower: np.ndarray
    qualified: np.ndarray
    gates: GateResult
    columns: nz.NormalisedColumns
    missing: MissingPolicy

    @property
    def s(self) -> np.ndarray:
        return self.columns.s

    @property
    def fallback(self) -> np.ndarray:
        return self.columns.fallback

    @property
    def lo(self) -> np.ndarray:
        return self.columns.lo

    @property
    def hi(self) -> np.ndarray:
        return self.columns.hi

    @property
    def has_value(self) -> np.ndarray:
        return ~np.isnan(self.raw)


def _parse(enum: type[_Choice], value: object, argument: str) -> _Choice:
    try:
        return enum.from_alias(value)
    except ValueError as e:
        raise ScoringError(f"{argument}: {e}") from None


def _raw_values(evaluation: Evaluation) -> tuple[np.ndarray, np.ndarray]:
    """The raw value matrix (rows = ``evaluation.vendors``) and the vendor labels.

    The importer's frame is already indexed by the vendor list (object dtype); checking
    that is a list comparison, and its index doubles as the labels, so no new index of
    100,000 strings is built. Any other frame is aligned by vendor name.
    """
    vendors = evaluation.vendors
    if not len(vendors):
        raise ScoringError("There are no vendors to score.")
    names = evaluation.criterion_names
    frame = evaluation.values
    absent = [n for n in names if n not in frame.columns]
    if absent:
        raise ScoringError("No values for criteria: " + ", ".join(absent))
    index = frame.index
    if index.dtype == object and len(index) == len(vendors) and index.tolist() == list(vendors):
        labels = index.to_numpy()
        unique = index.is_unique  # cached on the (immutable) index
    else:
        labels = np.array(list(vendors), dtype=object)
        unique = len(set(vendors)) == len(vendors)
        if unique and not index.equals(pd.Index(labels, dtype=object)):
            if not index.is_unique:
                raise ScoringError("The values table lists a vendor more than once.")
            frame = frame.reindex(pd.Index(labels, dtype=object))
    if not unique:
        raise ScoringError("Vendor names must be unique to be scored.")
    if list(frame.columns) != names:
        frame = frame[names]
    try:
        x = frame.to_numpy(dtype=float, na_value=np.nan)
    except (TypeError, ValueError) as e:
        raise ScoringError(f"Criterion values must be numbers: {e}") from None
    return x, labels


def _criterion_arrays(criteria: list[Criterion]) -> tuple[np.ndarray, ...]:
    scale = np.array([_SCALE_CODE[Scale.from_alias(c.scale)] for c in criteria], dtype=np.int8)
    lower = np.array([Direction.from_alias(c.direction) is Direction.LOWER for c in criteria])
    mins = np.full(len(criteria), np.nan)
    maxs = np.full(len(criteria), np.nan)
    for j, c in enumerate(criteria):
        if scale[j] == nz.ABSOLUTE:
            lo = c.min if c.min is not None else math.nan
            hi = c.max if c.max is not None else math.nan
            if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi):
                raise ScoringError(f"{c.name} is on an absolute scale and needs Min < Max.")
            mins[j], maxs[j] = lo, hi
    return scale, lower, mins, maxs


def prepare(evaluation: Evaluation, missing: str | MissingPolicy = "worst") -> Prepared:
    """Validate ``evaluation`` and compute gates, weights and normalised scores ``s``.

    Raises
    ------
    ScoringError
        Anything that makes the evaluation unscorable, in plain words.
    """
    policy = _parse(MissingPolicy, missing, "missing")
    criteria = list(evaluation.criteria)
    w = effective_weight_array(criteria, evaluation.categories)
    x, labels = _raw_values(evaluation)
    scale, lower, mins, maxs = _criterion_arrays(criteria)
    gates = apply_gates(x, criteria)
    try:
        cols = nz.normalise_columns(x, scale, mins, maxs, lower, gates.qualified, w, policy.value)
    except nz.InfiniteValue as e:
        name = criteria[e.column].name
        raise ScoringError(
            f"{name} has an infinite value; values must be finite numbers."
        ) from None
    return Prepared(
        list(evaluation.vendors), labels, criteria, w, x, lower, gates.qualified, gates, cols,
        policy,
    )  # fmt: skip


def _category_matrix(
    evaluation: Evaluation, criteria: list[Criterion]
) -> tuple[list[str], np.ndarray]:
    cats = evaluation.category_names
    index = {c: k for k, c in enumerate(cats)}
    cat = np.array([index[c.category] for c in criteria], dtype=np.intp)
    v = np.array([float(c.weight) for c in criteria])
    share = within_category_shares(v, cat, len(cats))
    A = np.zeros((len(criteria), len(cats)))
    A[np.arange(len(criteria)), cat] = share
    return cats, A


def _reasons_column(gates: GateResult, order: np.ndarray, n_qualified: int) -> np.ndarray:
    """The ``reasons`` column in result order: a new empty list for each qualified vendor
    (they come first), then each disqualified vendor's list from the gates (fresh lists:
    no copy needed), as one object array (pandas takes it without inspecting 100,000
    lists).

    The cyclic garbage collector is paused meanwhile: allocating 100,000 containers
    triggers it dozens of times, each pass walking the whole heap, and lists of strings
    cannot form cycles.
    """
    n = len(order)
    failed = gates.lists[np.searchsorted(gates.rows, order[n_qualified:])]
    enabled = gc.isenabled()
    gc.disable()
    try:
        items = itertools.chain(map(list, itertools.repeat((), n_qualified)), failed)
        return np.fromiter(items, dtype=object, count=n)
    finally:
        if enabled:
            gc.enable()


def _messages(p: Prepared, method: Method) -> list[str]:
    out: list[str] = []
    n = len(p.vendors)
    if not p.qualified.any():
        out.append(ALL_DISQUALIFIED)
    if n == 1:
        out.append(
            "Only one vendor: relative criteria have nobody to compare it with and give it "
            "full marks."
        )
    nobody = ~p.columns.answered
    for j in np.flatnonzero(nobody):
        out.append(f"No vendor has a value for {p.criteria[j].name}; it adds no points.")
    if p.qualified.any():
        no_q = p.fallback & ~nobody
        for j in np.flatnonzero(no_q):
            out.append(
                f"No qualified vendor has a value for {p.criteria[j].name}; it is compared "
                "over the disqualified vendors' values."
            )
    if method is Method.TOPSIS:
        out.append(TOPSIS_NOTE)
    return out


def topsis_inputs(p: Prepared) -> tuple[np.ndarray, np.ndarray | None, np.ndarray]:
    """``benefit``, ``reference`` rows and the per-criterion ``fill`` for a missing raw value
    (docs/scoring.md §7): the worst observed value per direction, or the mean."""
    benefit = ~p.lower
    if p.missing is MissingPolicy.MEAN:
        fill = nz.field_means(p.raw, p.qualified, p.fallback)
    else:
        fill = np.where(benefit, p.lo, p.hi)  # the worst observed value per direction
    fill = np.where(np.isnan(fill), 0.0, fill)  # nobody answered: the column is all 0
    reference = p.qualified if p.qualified.any() else None
    return benefit, reference, fill


def _topsis_scores(p: Prepared) -> np.ndarray:
    """``100 · C`` with missing raw values filled per the policy (docs/scoring.md §7)."""
    benefit, reference, fill = topsis_inputs(p)
    return 100.0 * topsis(p.raw, p.weights, benefit, reference, fill=fill)


def score(
    evaluation: Evaluation,
    method: str | Method = "wsm",
    missing: str | MissingPolicy = "worst",
) -> Ranking:
    """Score and rank ``evaluation`` (docs/scoring.md).

    Parameters
    ----------
    evaluation:
        A validated evaluation.
    method:
        ``"wsm"`` (weighted sum, default) or ``"topsis"``.
    missing:
        ``"worst"`` (default: no evidence, no points), ``"mean"`` or ``"exclude"``.

    Returns
    -------
    Ranking
        Qualified vendors best first (ties in workbook order), then the disqualified by
        score; every score and completeness a number (no NaN).

    Raises
    ------
    ScoringError
        Unknown method or policy, TOPSIS with ``exclude``, or weights/values that cannot
        be scored.
    """
    m = _parse(Method, method, "method")
    policy = _parse(MissingPolicy, missing, "missing")
    if m is Method.TOPSIS and policy is MissingPolicy.EXCLUDE:
        raise ScoringError(TOPSIS_EXCLUDE)
    p = prepare(evaluation, policy)
    w, cols = p.weights, p.columns
    cats, A = _category_matrix(evaluation, p.criteria)
    row_scale = None
    if policy is MissingPolicy.EXCLUDE:
        # weights renormalised per vendor over the criteria it has (docs/scoring.md §6.1)
        row_scale = exclude_row_scale(cols.present_w)
    totals = _topsis_scores(p) if m is Method.TOPSIS else scores_from_sums(cols.weighted, row_scale)
    np.clip(totals, 0.0, 100.0, out=totals)
    completeness = cols.completeness
    order, ranks = rank_order(totals, p.qualified)

    names = pd.Index([c.name for c in p.criteria])
    index = pd.Index(p.labels[order], dtype=object, name="vendor", copy=False)
    q = p.qualified[order]
    reasons = _reasons_column(p.gates, order, int(np.count_nonzero(q)))
    table = pd.DataFrame(
        {
            "rank": pd.arrays.IntegerArray(ranks[order], ~q),
            "score": totals[order],
            "qualified": q,
            "completeness": completeness[order],
            "reasons": reasons,
        },
        index=index,
    )
    arrays = ScoreArrays(
        s=None, raw=p.raw, w=w, shares=A, order=order, index=index, criteria=names,
        categories=pd.Index(cats), row_scale=row_scale, make_s=partial(getattr, cols, "s"),
    )  # fmt: skip
    return Ranking(
        evaluation=evaluation,
        method=m,
        missing=policy,
        weights=pd.Series(w, index=names, name="weight"),
        table=table,
        messages=_messages(p, m),
        arrays=arrays,
    )
