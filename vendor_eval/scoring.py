"""Score an evaluation: the validating, labelling layer over the plain methods (DESIGN §3).

``score(evaluation, method="wsm", missing="worst")`` runs gates → normalisation → missing
policy → effective weights → method → ranking, and returns a :class:`Ranking` whose frames
are labelled by vendor and criterion. Everything per vendor is vectorised (no Python loop
over vendors except to build reasons for the disqualified), so a register of 100,000
vendors scores in well under a second.

Choices the design leaves open, made here and documented in ``docs/readme/scoring.md``:

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
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from vendor_eval import normalise as nz
from vendor_eval.explain import Explanations
from vendor_eval.gates import apply_gates
from vendor_eval.methods import fill_raw, topsis, wsm_contributions, wsm_exclude
from vendor_eval.model import Criterion, Direction, Evaluation, Method, MissingPolicy, Scale
from vendor_eval.ranking import Ranking
from vendor_eval.validation import ScoringError
from vendor_eval.weights import effective_weight_array, within_category_shares

TIE_TOLERANCE = 1e-9
ALL_DISQUALIFIED = "No vendor passes every must-have; the ranking is shown without ranks."
TOPSIS_EXCLUDE = "TOPSIS cannot exclude missing values; use --missing worst or mean"
TOPSIS_NOTE = (
    "TOPSIS scores are closeness to the ideal vendor (0–100), not sums: the category scores "
    "and contributions show weighted-sum points for reference."
)
_SCALE_CODE = {Scale.RELATIVE: nz.RELATIVE, Scale.ABSOLUTE: nz.ABSOLUTE, Scale.YESNO: nz.YESNO}


@dataclass
class Prepared:
    """The arrays every method starts from (vendors in input order).

    Useful to other analyses that re-weight without re-validating. ``lo``/``hi`` are the
    raw min/max over each criterion's field (NaN when nobody answered); ``s`` holds the
    normalised scores after the missing policy (NaN where missing under ``exclude``).
    ``lo``/``hi`` are computed for relative criteria only (NaN elsewhere).
    """

    vendors: list[str]
    criteria: list[Criterion]
    weights: np.ndarray
    raw: np.ndarray
    has_value: np.ndarray
    qualified: np.ndarray
    failures: dict[int, list[str]]
    fallback: np.ndarray
    lo: np.ndarray
    hi: np.ndarray
    s: np.ndarray
    missing: MissingPolicy


def _parse(enum: type, value: object, argument: str):
    try:
        return enum.from_alias(value)
    except ValueError as e:
        raise ScoringError(f"{argument}: {e}") from None


def _raw_values(evaluation: Evaluation) -> np.ndarray:
    vendors = list(evaluation.vendors)
    if not vendors:
        raise ScoringError("There are no vendors to score.")
    if len(set(vendors)) != len(vendors):
        raise ScoringError("Vendor names must be unique to be scored.")
    names = evaluation.criterion_names
    frame = evaluation.values
    absent = [n for n in names if n not in frame.columns]
    if absent:
        raise ScoringError("No values for criteria: " + ", ".join(absent))
    if len(frame.index) != len(vendors) or not frame.index.equals(pd.Index(vendors)):
        frame = frame.reindex(vendors)
    try:
        x = frame[names].to_numpy(dtype=float, na_value=np.nan)
    except (TypeError, ValueError) as e:
        raise ScoringError(f"Criterion values must be numbers: {e}") from None
    if np.isinf(x).any():
        j = int(np.flatnonzero(np.isinf(x).any(axis=0))[0])
        raise ScoringError(f"{names[j]} has an infinite value; values must be finite numbers.")
    return x


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
    x = _raw_values(evaluation)
    scale, lower, mins, maxs = _criterion_arrays(criteria)
    gates = apply_gates(x, criteria)
    fallback = nz.fallback_columns(~np.isnan(x), gates.qualified)
    lo, hi = nz.field_extremes(x, gates.qualified, fallback, np.flatnonzero(scale == nz.RELATIVE))
    a, b = nz.bounds(scale, mins, maxs, lo, hi)
    s = nz.normalise(x, a, b, lower)
    absent = np.isnan(s)  # same as isnan(x), but row-major like s
    has = ~absent
    s = nz.fill_missing(s, absent, gates.qualified, fallback, policy.value)
    return Prepared(
        list(evaluation.vendors), criteria, w, x, has, gates.qualified, gates.failures,
        fallback, lo, hi, s, policy,
    )  # fmt: skip


def rank_order(
    scores: np.ndarray, qualified: np.ndarray, tol: float = TIE_TOLERANCE
) -> tuple[np.ndarray, np.ndarray]:
    """Result order and competition ranks (plain function).

    Returns ``order`` (indices: qualified best first, ties in input order, then the
    disqualified by score) and ``ranks`` (per input row; 0 for the disqualified). Scores
    within ``tol`` share a rank: 1, 2, 2, 4.
    """
    n = len(scores)
    pos = np.arange(n)
    q_idx = pos[qualified]
    d_idx = pos[~qualified]
    # Qualified vendors by score, descending; ties in input order (stable sort).
    q_order = q_idx[np.argsort(-scores[q_idx], kind="stable")]
    desc = scores[q_order]
    # Competition rank: 1 + how many score more than s + tol. The queries are sorted, so
    # searchsorted walks the array once.
    asc = desc[::-1]
    greater = len(asc) - np.searchsorted(asc, asc + tol, side="right")
    ranks = np.zeros(n, dtype=np.int64)
    ranks[q_order] = 1 + greater[::-1]
    r = ranks[q_order]
    if len(r) > 1 and np.any((r[1:] == r[:-1]) & (desc[1:] != desc[:-1])):
        # scores tied within tol but not exactly equal: restore input order inside ties
        q_order = q_order[np.lexsort((q_order, r))]
    d_order = d_idx[np.argsort(-scores[d_idx], kind="stable")]
    return np.concatenate([q_order, d_order]), ranks


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


def _empty_lists(n: int) -> list[list[str]]:
    """``n`` new empty lists, without the cyclic garbage collector.

    Allocating 100,000 containers triggers the collector dozens of times, each pass walking
    the whole heap; empty lists cannot form cycles, so pausing it is safe and 5x faster.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        return [[] for _ in range(n)]
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
    nobody = ~p.has_value.any(axis=0)
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


def score(
    evaluation: Evaluation,
    method: str | Method = "wsm",
    missing: str | MissingPolicy = "worst",
) -> Ranking:
    """Score and rank ``evaluation`` (DESIGN §3).

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
    w = p.weights
    cats, A = _category_matrix(evaluation, p.criteria)
    if m is Method.TOPSIS:
        benefit = np.array(
            [Direction.from_alias(c.direction) is Direction.HIGHER for c in p.criteria]
        )
        if policy is MissingPolicy.MEAN:
            fill = nz.field_means(p.raw, p.qualified, p.fallback)
        else:
            cols = np.flatnonzero(~p.has_value.all(axis=0))
            lo, hi = nz.field_extremes(p.raw, p.qualified, p.fallback, cols)
            fill = np.where(benefit, lo, hi)
        xr = fill_raw(p.raw, np.where(np.isnan(fill), 0.0, fill))
        totals = 100.0 * topsis(xr, w, benefit, p.qualified if p.qualified.any() else None)
    elif policy is MissingPolicy.EXCLUDE:
        totals, contrib = wsm_exclude(p.s, w)
    else:
        totals = 100.0 * (p.s @ w)
    np.clip(totals, 0.0, 100.0, out=totals)
    completeness = nz.completeness(p.has_value, w)
    order, ranks = rank_order(totals, p.qualified)

    # Per-criterion matrices are gathered once into result order, then derived there.
    s = p.s[order]
    has = p.has_value[order]
    if policy is MissingPolicy.EXCLUDE:
        contrib = contrib[order]  # TOPSIS never gets here: it refuses exclude
        denom = (A.T @ has.T).T
        num = 100.0 * (A.T @ np.where(has, s, 0.0).T).T
        cat_scores = np.divide(num, denom, out=np.zeros_like(denom), where=denom > 0)
    else:
        contrib = wsm_contributions(s, w)
        cat_scores = 100.0 * (A.T @ s.T).T  # faster than s @ A for a thin A

    names = pd.Index([c.name for c in p.criteria])
    index = pd.Index(p.vendors, dtype=object, name="vendor")[order]
    q = p.qualified[order]
    reasons = _empty_lists(len(order))
    if p.failures:
        position = np.empty_like(order)
        position[order] = np.arange(len(order))
        for i, texts in p.failures.items():
            reasons[position[i]] = list(texts)
    table = pd.DataFrame(
        {
            "rank": pd.arrays.IntegerArray(ranks[order].astype(np.int64), ~q),
            "score": totals[order],
            "qualified": q,
            "completeness": completeness[order],
            "reasons": reasons,
        },
        index=index,
    )
    field = q if q.any() else np.ones_like(q)

    def frame(values: np.ndarray, columns: pd.Index) -> pd.DataFrame:
        return pd.DataFrame(values, index=index, columns=columns, copy=False)

    return Ranking(
        evaluation=evaluation,
        method=m,
        missing=policy,
        weights=pd.Series(w, index=names, name="weight"),
        table=table,
        category_scores=frame(cat_scores, pd.Index(cats)),
        normalised=frame(s, names),
        contributions=frame(contrib, names),
        missing_mask=frame(~has, names),
        explanations=Explanations(contrib, field, index, list(names)),
        messages=_messages(p, m),
    )
