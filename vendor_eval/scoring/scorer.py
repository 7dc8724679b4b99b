"""Score an evaluation: the validating, labelling layer over the plain methods.

The rules are docs/scoring.md.

``score(evaluation, method="wsm", missing="worst")`` runs gates → normalisation → missing
policy → effective weights → method → ranking, and returns a :class:`Ranking` whose frames
are labelled by vendor and criterion. :func:`prepare` is two halves: :func:`scoring_inputs`
(validation, weights, raw values, gates: nothing that depends on who else bid) and
:func:`prepare_rows` (the fields, normalisation, missing policy and minimums), which can
also score a subset of the vendors as if the others had never bid; :func:`totals` turns
either into the scores ``score`` ranks. Everything per vendor is vectorised (no Python loop
over vendors except to build reasons for the disqualified), so a register of 100,000
vendors scores in well under a second.

Choices the design leaves open, made here and documented in README.md ("How scoring works"):

* The *field* for relative bounds, the ``mean`` policy and TOPSIS's observed values is the
  qualified vendors with a value; for a criterion no qualified vendor answered, it is every
  vendor with a value.
* Category score = ``100 · Σ_{i∈c} w_i s_i / Σ_{i∈c} w_i`` computed with the within-category
  shares ``v_i / Σ_{j∈c} v_j``, so a category of weight 0 still shows a score (equal shares
  when its criteria all weigh 0). Under ``exclude`` the shares are renormalised over the
  criteria the vendor has; a vendor with none in a category scores 0 there in the
  arithmetic, and every output shows "no data" instead (``Ranking.category_no_data``).
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
    Category,
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
from vendor_eval.scoring.price import (
    MinimumResult,
    check_values,
    formula_codes,
    minimum_failures,
)
from vendor_eval.scoring.ranking import Ranking, ScoreArrays
from vendor_eval.scoring.ranks import rank_order

ALL_DISQUALIFIED = "No vendor passes every must-have; the ranking is shown without ranks."
NONE_MEETS_MINIMUMS = (
    "No vendor that passed the must-haves meets the quality minimums; the ranking is shown "
    "without ranks."
)
TOPSIS_EXCLUDE = "TOPSIS cannot exclude missing values; use --missing worst or mean"
TOPSIS_NOTE = (
    "TOPSIS scores are closeness to the ideal vendor (0–100), not sums: the category scores "
    "and contributions show weighted-sum points for reference."
)
_Choice = TypeVar("_Choice", Method, MissingPolicy)
# A price is a relative, lower-is-better column with its formula (docs/scoring.md §12).
_SCALE_CODE = {
    Scale.RELATIVE: nz.RELATIVE,
    Scale.ABSOLUTE: nz.ABSOLUTE,
    Scale.YESNO: nz.YESNO,
    Scale.PRICE: nz.RELATIVE,
}


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
    #: Per vendor where it fell: 0 qualified, :data:`AT_GATES`, :data:`AT_MINIMUMS`.
    stage: np.ndarray | None = None
    #: The minimum stage, when the evaluation has minimums.
    minimums: MinimumResult | None = None

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
    lower = np.array(
        [c.is_price or Direction.from_alias(c.direction) is Direction.LOWER for c in criteria],
        dtype=bool,
    )
    mins = np.full(len(criteria), np.nan)
    maxs = np.full(len(criteria), np.nan)
    for j, c in enumerate(criteria):
        if c.is_price and c.max is not None:
            maxs[j] = c.max  # the budget formula's ceiling
        if scale[j] == nz.ABSOLUTE:
            lo = c.min if c.min is not None else math.nan
            hi = c.max if c.max is not None else math.nan
            if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi):
                raise ScoringError(f"{c.name} is on an absolute scale and needs Min < Max.")
            mins[j], maxs[j] = lo, hi
    return scale, lower, mins, maxs


def resolve_method(evaluation: Evaluation, method: str | Method | None) -> str | Method:
    """``method`` if given, else the Settings sheet's Method, else ``wsm``."""
    if method is not None:
        return method
    return evaluation.settings.method or Method.WSM


def resolve_missing(
    evaluation: Evaluation, missing: str | MissingPolicy | None
) -> str | MissingPolicy:
    """``missing`` if given, else the Settings sheet's Missing values, else ``worst``."""
    if missing is not None:
        return missing
    return evaluation.settings.missing or MissingPolicy.WORST


@dataclass(frozen=True)
class ScoringInputs:
    """The first half of :func:`prepare`: everything that does not depend on which vendors
    make up the field.

    Validated weights, the raw value matrix and the criteria's arrays, the gates (a Must
    rule judges each vendor's own values), the formula codes and the minimums' settings.
    :func:`prepare_rows` finishes the preparation for every vendor or for a subset of them
    (the withdrawal check of docs/stress-tests.md §11 scores each field of n − 1 vendors
    from one ``ScoringInputs``, without building an evaluation or a frame per field).
    """

    vendors: list[str]
    labels: np.ndarray
    criteria: list[Criterion]
    weights: np.ndarray
    raw: np.ndarray
    scale: np.ndarray
    lower: np.ndarray
    mins: np.ndarray
    maxs: np.ndarray
    gates: GateResult
    missing: MissingPolicy
    #: True when the staged evaluation runs (price criteria, minimums, or a formula).
    staged: bool
    codes: np.ndarray | None
    #: Per criterion: True for a price criterion (normalised over the vendors that remain
    #: after the minimums).
    price: np.ndarray
    #: ``(category names, criteria × categories shares)`` when there are minimums.
    minimum_shares: tuple[list[str], np.ndarray] | None
    categories: list[Category] | None
    quality_minimum: float | None


def scoring_inputs(
    evaluation: Evaluation, missing: str | MissingPolicy | None = None
) -> ScoringInputs:
    """Validate ``evaluation`` and compute what :func:`prepare_rows` starts from.

    Raises
    ------
    ScoringError
        Anything that makes the evaluation unscorable, in plain words (as :func:`prepare`).
    """
    policy = _parse(MissingPolicy, resolve_missing(evaluation, missing), "missing")
    criteria = list(evaluation.criteria)
    w = effective_weight_array(criteria, evaluation.categories)
    x, labels = _raw_values(evaluation)
    scale, lower, mins, maxs = _criterion_arrays(criteria)
    gates = apply_gates(x, criteria)
    vendors = list(evaluation.vendors)
    codes = formula_codes(criteria)
    staged = evaluation.staged or codes is not None
    if staged:
        check_values(x, criteria, vendors)
    shares = _category_matrix(evaluation, criteria) if staged and evaluation.has_minimums else None
    price = np.array([c.is_price for c in criteria], dtype=bool)
    return ScoringInputs(
        vendors, labels, criteria, w, x, scale, lower, mins, maxs, gates, policy, staged,
        codes, price, shares, evaluation.categories, evaluation.settings.quality_minimum,
    )  # fmt: skip


def prepare(evaluation: Evaluation, missing: str | MissingPolicy | None = None) -> Prepared:
    """Validate ``evaluation`` and compute gates, weights and normalised scores ``s``.

    Raises
    ------
    ScoringError
        Anything that makes the evaluation unscorable, in plain words.
    """
    return prepare_rows(scoring_inputs(evaluation, missing))


def prepare_rows(inputs: ScoringInputs, rows: np.ndarray | None = None) -> Prepared:
    """The second half of :func:`prepare`, for every vendor or only the vendors ``rows``.

    ``rows`` (ascending indices into ``inputs.vendors``) scores those vendors as if the
    others had never bid: the normalisation ranges, the ``mean`` fills, the minimums and
    the lowest price are taken over them alone. The result is bit for bit what
    ``prepare`` gives for an evaluation of just those vendors (tests/stress pin it).
    """
    if rows is None:
        x, labels, vendors, gates = inputs.raw, inputs.labels, inputs.vendors, inputs.gates
    else:
        x, labels = inputs.raw[rows], inputs.labels[rows]
        vendors = labels.tolist()
        gates = _gate_rows(inputs.gates, rows)
    if not inputs.staged:
        cols = _normalise(
            x, inputs.scale, inputs.mins, inputs.maxs, inputs.lower, gates.qualified,
            inputs.weights, inputs.missing, inputs.criteria,
        )  # fmt: skip
        return Prepared(
            vendors, labels, inputs.criteria, inputs.weights, x, inputs.lower, gates.qualified,
            gates, cols, inputs.missing,
        )  # fmt: skip
    return _staged(inputs, x, labels, vendors, gates)


def _gate_rows(gates: GateResult, rows: np.ndarray) -> GateResult:
    """The gates' result for the vendors ``rows`` alone (renumbered 0, 1, …)."""
    keep = np.zeros(len(gates.qualified), dtype=bool)
    keep[rows] = True
    kept = keep[gates.rows]
    renumbered = np.searchsorted(rows, gates.rows[kept]).astype(np.intp)
    return GateResult(gates.qualified[rows], renumbered, gates.lists[kept])


def totals(p: Prepared, method: Method) -> tuple[np.ndarray, np.ndarray | None]:
    """Every vendor's score (0–100, input order) under ``method``, and the ``exclude``
    policy's row scale (``None`` under the other policies): the numbers :func:`score`
    ranks."""
    row_scale = None
    if p.missing is MissingPolicy.EXCLUDE:
        # weights renormalised per vendor over the criteria it has (docs/scoring.md §6.1)
        row_scale = exclude_row_scale(p.columns.present_w)
    if method is Method.TOPSIS:
        out = _topsis_scores(p)
    else:
        out = scores_from_sums(p.columns.weighted, row_scale)
    np.clip(out, 0.0, 100.0, out=out)
    return out, row_scale


def _normalise(
    x: np.ndarray,
    scale: np.ndarray,
    mins: np.ndarray,
    maxs: np.ndarray,
    lower: np.ndarray,
    qualified: np.ndarray,
    w: np.ndarray,
    policy: MissingPolicy,
    criteria: list[Criterion],
    *,
    lazy: bool = True,
    formula: np.ndarray | None = None,
    stage2: np.ndarray | None = None,
    qualified2: np.ndarray | None = None,
) -> nz.NormalisedColumns:
    try:
        return nz.normalise_columns(
            x, scale, mins, maxs, lower, qualified, w, policy.value,
            lazy=lazy, formula=formula, stage2=stage2, qualified2=qualified2,
        )  # fmt: skip
    except nz.InfiniteValue as e:
        name = criteria[e.column].name
        raise ScoringError(
            f"{name} has an infinite value; values must be finite numbers."
        ) from None


#: Where a disqualified vendor fell (``Prepared.stage``).
AT_GATES = 1
AT_MINIMUMS = 2
#: The stage names a ranking reports (``Ranking.stages``).
STAGE_NAMES = {AT_GATES: "must-have", AT_MINIMUMS: "minimum"}


def _staged(
    inputs: ScoringInputs,
    x: np.ndarray,
    labels: np.ndarray,
    vendors: list[str],
    gates: GateResult,
) -> Prepared:
    """The staged evaluation (docs/scoring.md §12): gates → non-price criteria over Q1 →
    minimums → prices over Q2."""
    scale, lower, mins, maxs = inputs.scale, inputs.lower, inputs.mins, inputs.maxs
    criteria, w, policy = inputs.criteria, inputs.weights, inputs.missing
    codes, price = inputs.codes, inputs.price
    q1 = gates.qualified
    q2, result = q1, None
    if inputs.minimum_shares is not None:
        quality = ~price
        cols1 = _normalise(
            x[:, quality], scale[quality], mins[quality], maxs[quality], lower[quality], q1,
            w[quality], policy, [c for c, p in zip(criteria, price, strict=True) if not p],
            lazy=False, formula=None if codes is None else codes[quality],
        )  # fmt: skip
        s1 = np.full(x.shape, np.nan)
        s1[:, quality] = cols1.s
        cats, A = inputs.minimum_shares
        result = minimum_failures(
            s1, q1, criteria, w, A, cats, inputs.categories, inputs.quality_minimum,
            policy is MissingPolicy.EXCLUDE,
        )  # fmt: skip
        q2 = result.qualified
    cols = _normalise(
        x, scale, mins, maxs, lower, q1, w, policy, criteria,
        formula=codes, stage2=price if price.any() else None, qualified2=q2,
    )  # fmt: skip
    stage = np.where(q1, 0, AT_GATES).astype(np.int8)
    merged = gates
    if result is not None and result.reasons:
        stage[list(result.reasons)] = AT_MINIMUMS
        merged = _merge_reasons(gates, q2, result.reasons)
    return Prepared(
        vendors, labels, criteria, w, x, lower, q2, merged, cols, policy, stage, result,
    )  # fmt: skip


def _merge_reasons(
    gates: GateResult, qualified: np.ndarray, extra: dict[int, list[str]]
) -> GateResult:
    """The gates' result with the minimum stage's failures added (rows ascending)."""
    failures = gates.failures  # a new dict; its lists are the gates' own: not extended
    for row, reasons in extra.items():
        failures[row] = [*failures.get(row, ()), *reasons]
    rows = np.array(sorted(failures), dtype=np.intp)
    lists = np.empty(len(rows), dtype=object)
    for k, row in enumerate(rows.tolist()):
        lists[k] = list(failures[row])
    return GateResult(qualified, rows, lists)


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
    # staged: the must-have stage's passers are every vendor not stopped at the gates
    passed_gates = p.gates.qualified if p.stage is None else p.stage != AT_GATES
    if not passed_gates.any():
        out.append(ALL_DISQUALIFIED)
    elif not p.qualified.any():
        out.append(NONE_MEETS_MINIMUMS)
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
    if p.stage is not None and passed_gates.any():
        out.extend(_stage_messages(p))
    if method is Method.TOPSIS:
        out.append(TOPSIS_NOTE)
    return out


def _stage_messages(p: Prepared) -> list[str]:
    """What the staged evaluation did (docs/scoring.md §12), in one or two sentences."""
    out: list[str] = []
    stage = p.stage
    assert stage is not None
    below = int(np.count_nonzero(stage == AT_MINIMUMS))
    if p.minimums is not None:
        out.append(
            f"{below} vendor{'s' if below != 1 else ''} fell below a quality minimum and "
            f"{'were' if below != 1 else 'was'} disqualified before prices were compared."
            if below
            else "Every vendor that passed the must-haves meets the quality minimums."
        )
    if any(c.is_price for c in p.criteria):
        remaining = int(np.count_nonzero(p.qualified))
        out.append(
            f"Prices are compared over the {remaining} vendor{'s' if remaining != 1 else ''} "
            "that passed the must-haves and the minimums."
            if p.minimums is not None
            else f"Prices are compared over the {remaining} vendor"
            f"{'s' if remaining != 1 else ''} that passed the must-haves."
        )
    return out


def topsis_inputs(p: Prepared) -> tuple[np.ndarray, np.ndarray | None, np.ndarray]:
    """``benefit``, ``reference`` rows and the per-criterion ``fill`` for a missing raw value
    (docs/scoring.md §7): the worst observed value per direction, or the mean."""
    benefit = ~p.lower
    if p.missing is MissingPolicy.MEAN:
        fill = nz.field_means(p.raw, p.qualified, p.fallback)
    elif p.stage is None:
        fill = np.where(benefit, p.lo, p.hi)  # the worst observed value per direction
    else:
        # staged: the worst value over TOPSIS's own field (the vendors that passed the
        # minimums), as when the same vendors fail a gate instead; p.lo/p.hi are over Q1
        fallback = ~(p.has_value & p.qualified[:, None]).any(axis=0)
        lo, hi = nz.field_extremes(p.raw, p.qualified, fallback)
        fill = np.where(benefit, lo, hi)
    fill = np.where(np.isnan(fill), 0.0, fill)  # nobody answered: the column is all 0
    reference = p.qualified if p.qualified.any() else None
    return benefit, reference, fill


def _topsis_scores(p: Prepared) -> np.ndarray:
    """``100 · C`` with missing raw values filled per the policy (docs/scoring.md §7)."""
    benefit, reference, fill = topsis_inputs(p)
    return 100.0 * topsis(p.raw, p.weights, benefit, reference, fill=fill)


def score(
    evaluation: Evaluation,
    method: str | Method | None = None,
    missing: str | MissingPolicy | None = None,
) -> Ranking:
    """Score and rank ``evaluation`` (docs/scoring.md).

    Parameters
    ----------
    evaluation:
        A validated evaluation.
    method:
        ``"wsm"`` (weighted sum) or ``"topsis"``; ``None``: the Settings sheet's Method,
        else ``"wsm"``.
    missing:
        ``"worst"`` (no evidence, no points), ``"mean"`` or ``"exclude"``; ``None``: the
        Settings sheet's Missing values, else ``"worst"``.

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
    m = _parse(Method, resolve_method(evaluation, method), "method")
    policy = _parse(MissingPolicy, resolve_missing(evaluation, missing), "missing")
    if m is Method.TOPSIS and policy is MissingPolicy.EXCLUDE:
        raise ScoringError(TOPSIS_EXCLUDE)
    p = prepare(evaluation, policy)
    w, cols = p.weights, p.columns
    cats, A = _category_matrix(evaluation, p.criteria)
    scores, row_scale = totals(p, m)
    completeness = cols.completeness
    order, ranks = rank_order(scores, p.qualified)

    names = pd.Index([c.name for c in p.criteria])
    index = pd.Index(p.labels[order], dtype=object, name="vendor", copy=False)
    q = p.qualified[order]
    reasons = _reasons_column(p.gates, order, int(np.count_nonzero(q)))
    table = pd.DataFrame(
        {
            "rank": pd.arrays.IntegerArray(ranks[order], ~q),
            "score": scores[order],
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
    stages: dict[str, str] = {}
    if p.stage is not None:
        fell = np.flatnonzero(p.stage)
        stages = {str(p.labels[i]): STAGE_NAMES[int(p.stage[i])] for i in fell.tolist()}
    return Ranking(
        evaluation=evaluation,
        method=m,
        missing=policy,
        weights=pd.Series(w, index=names, name="weight"),
        table=table,
        messages=_messages(p, m),
        arrays=arrays,
        stages=stages,
    )
