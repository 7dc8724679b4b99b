"""Stress-testing the ranking: sweeps, critical weights, Monte Carlo, methods, withdrawals.

The rules are docs/stress-tests.md.

:func:`analyse` answers "would the winner change if we had weighted it differently?" for a
WSM ranking and puts the answer in one sentence (:attr:`SensitivityReport.verdict`).
The maths lives in :mod:`vendor_eval.stress.sweep` (exact sweeps) and
:mod:`vendor_eval.stress.montecarlo` (rank acceptability); this module builds their arrays from a
:class:`~vendor_eval.scoring.ranking.Ranking`, validates the options and labels the results
(the result types are in :mod:`vendor_eval.stress.report`). Above
:data:`FULL_ANALYSIS_MAX` qualified vendors ``analyse`` runs the leader-only analysis
(docs/stress-tests.md §10): it skips what grows with the square of the number of vendors
and keeps P(rank 1), the critical changes and the verdict, in memory linear in the
vendors; :func:`size_note` is the sentence that tells the user so. The withdrawal check
(:mod:`vendor_eval.stress.withdrawal`, docs/stress-tests.md §11) runs in both, within its
own limit (:data:`~vendor_eval.stress.withdrawal.WITHDRAWAL_MAX_ROWS`).

Notes on semantics
------------------
* Only qualified vendors take part: a disqualified vendor can never lead. The normalised
  scores ``s`` do not depend on the weights (relative scales use the qualified vendors' min
  and max), so they stay fixed while the weights move.
* Missing values follow the policy used for scoring: ``worst`` and ``mean`` fill ``s``, so
  scores are linear in the weights; under ``exclude`` each vendor's score is renormalised
  over the criteria it has, and the sweeps solve the resulting quadratics exactly.
* A factor with no weight today (``t0 = 0``) is swept with its entered criterion weights
  (equal if those are zero too); when one factor holds all the weight (``t0 = 1``) the rest
  is weighted by the entered weights with every category counting equally. A category that
  holds every criterion has no sweep and is not listed among the critical changes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from vendor_eval.core.model import Evaluation, Method, MissingPolicy
from vendor_eval.core.problems import ScoringError, VendorEvalError
from vendor_eval.core.weights import within_category_shares
from vendor_eval.scoring.ranking import Ranking
from vendor_eval.scoring.scorer import resolve_missing, score
from vendor_eval.stress.montecarlo import rank_probabilities
from vendor_eval.stress.report import CriticalChange, SensitivityReport, Sweep
from vendor_eval.stress.sweep import (
    Lines,
    critical_change,
    leader_intervals,
    split_weights,
    sweep_lines,
    sweep_lines_many,
)
from vendor_eval.stress.verdict import verdict
from vendor_eval.stress.withdrawal import WITHDRAWAL_MAX_ROWS, plan_withdrawals, skipped_note

MAX_SAMPLES = 1_000_000
#: Above this many qualified vendors ``analyse(..., leader_only=None)`` (the default) runs the
#: leader-only analysis: the full one builds a vendors × ranks matrix (and keeps it in the
#: report) and compares every pair of vendors, O(n²) in time and memory (4.6 minutes and
#: 17 GB for 10,000 vendors × 60 criteria), while the leader-only one is linear in the
#: vendors (docs/stress-tests.md §10).
FULL_ANALYSIS_MAX = 500

__all__ = [
    "FULL_ANALYSIS_MAX", "analyse", "critical_changes", "kendall_tau_b", "size_note", "sweep",
]  # fmt: skip


def size_note(qualified: int) -> str | None:
    """What the user is told when ``qualified`` vendors are too many for the full analysis
    (``None`` when they are not): the CLI prints it, the dashboard shows it."""
    if qualified <= FULL_ANALYSIS_MAX:
        return None
    return (
        f"This shortlist has {qualified:,} qualified vendors, too many for the full stress "
        f"tests (limit {FULL_ANALYSIS_MAX:,}): showing the leader-only analysis — each "
        "vendor's chance of ranking first, the critical weight changes and the verdict, "
        "without the full rank probabilities, the weight sweeps or Kendall's tau."
    )


# -- Kendall's tau-b ---------------------------------------------------------------------


_PAIR_BLOCK = 1_000_000  # vendor pairs compared at a time by kendall_tau_b (~8 MB arrays)


def kendall_tau_b(x: np.ndarray, y: np.ndarray) -> float | None:
    """Kendall's tau-b of two rankings (ties allowed); ``None`` when undefined.

    ``(C − D) / sqrt((n0 − n1)(n0 − n2))`` with n0 = n(n−1)/2 pairs, n1, n2 the pairs tied in
    x and in y. Undefined for fewer than two items or when either ranking is all one tie.
    The pairs are compared a block of rows at a time (about a million pairs per block), so
    memory stays linear in n; the sums are exact integers whatever the blocks.
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    n = len(x)
    if n < 2:
        return None
    rows = max(1, _PAIR_BLOCK // n)
    s = n1 = n2 = 0
    for lo in range(0, n - 1, rows):
        hi = min(lo + rows, n - 1)
        # row i against every j > i: the block's upper triangle, as a mask over j
        later = np.arange(n)[None, :] > np.arange(lo, hi)[:, None]
        dx = np.sign(x[None, :] - x[lo:hi, None])[later]
        dy = np.sign(y[None, :] - y[lo:hi, None])[later]
        s += int(np.dot(dx, dy))
        n1 += int(np.count_nonzero(dx == 0))
        n2 += int(np.count_nonzero(dy == 0))
    n0 = n * (n - 1) // 2
    den = math.sqrt((n0 - n1) * (n0 - n2))
    return None if den == 0 else s / den


# -- building the arrays from a ranking --------------------------------------------------


@dataclass(frozen=True)
class _Inputs:
    vendors: list[str]  # qualified, official order (best first)
    S: np.ndarray
    has: np.ndarray | None
    w: np.ndarray
    fallback: np.ndarray
    factors: list[tuple[str, str, np.ndarray]]  # (name, kind, member mask)


def _fallback_weights(evaluation: Evaluation) -> np.ndarray:
    """Entered criterion weights with every category counting equally (equal if all 0)."""
    names = evaluation.category_names
    v = np.array([max(c.weight, 0.0) for c in evaluation.criteria], dtype=float)
    cat = np.array([names.index(c.category) for c in evaluation.criteria], dtype=np.intp)
    return within_category_shares(v, cat, len(names)) / len(names)


def _inputs(ranking: Ranking) -> _Inputs:
    ev = ranking.evaluation
    names = ev.criterion_names
    vendors = _qualified(ranking)
    S = (
        ranking.normalised.loc[vendors, names]
        .to_numpy(dtype=float)
        .reshape(len(vendors), len(names))
    )
    has = None
    if ranking.missing is MissingPolicy.EXCLUDE:
        has = ~np.isnan(S)
    S = np.nan_to_num(S, nan=0.0)
    w = ranking.weights.reindex(names).fillna(0.0).to_numpy(dtype=float)
    cats = np.array([c.category for c in ev.criteria])
    factors: list[tuple[str, str, np.ndarray]] = []
    for name in ev.category_names:
        members = cats == name
        if not members.all():  # one category holding everything has nothing to trade off
            factors.append((name, "category", members))
    for k, name in enumerate(names):
        if len(names) > 1:
            factors.append((name, "criterion", np.arange(len(names)) == k))
    return _Inputs(vendors, S, has, w, _fallback_weights(ev), factors)


def _lines(inp: _Inputs, members: np.ndarray) -> tuple[float, Lines]:
    t0, u, r = split_weights(inp.w, members, inp.fallback)
    return t0, sweep_lines(inp.S, u, r, inp.has)


def _qualified(ranking: Ranking) -> list[str]:
    """Qualified vendors in result order (vectorised: ``Ranking.qualified`` loops in pandas)."""
    t = ranking.table
    return [str(v) for v in t.index[t["qualified"].to_numpy(dtype=bool)]]


def _ranks(ranking: Ranking, vendors: list[str]) -> list[int | None]:
    # through floats: a NaN test per vendor is much cheaper than pd.isna on each value
    r = ranking.table["rank"].reindex(vendors).to_numpy(dtype=float, na_value=np.nan)
    return [None if x != x else int(x) for x in r.tolist()]


def _check_ranking(ranking: Ranking) -> None:
    if ranking.method is not Method.WSM:
        raise VendorEvalError(
            "sweeps and critical weights need the weighted-sum (wsm) ranking; "
            f"got {ranking.method.value}"
        )


def sweep(ranking: Ranking, factor: str, kind: str | None = None) -> Sweep:
    """The exact sweep of one category or criterion's share of the total weight.

    Parameters
    ----------
    ranking:
        A WSM ranking (``score(evaluation, "wsm", missing)``).
    factor:
        A category or criterion name; ``kind`` (``"category"`` or ``"criterion"``) picks
        one when a category and a criterion share the name (categories first otherwise).
    """
    _check_ranking(ranking)
    return _sweep(_inputs(ranking), ranking.evaluation, factor, kind)


def _sweep(inp: _Inputs, ev: Evaluation, factor: str, kind: str | None) -> Sweep:
    if not inp.vendors:
        raise VendorEvalError("no vendor qualifies, so there is nothing to sweep")
    cats = np.array([c.category for c in ev.criteria])
    names = np.array(ev.criterion_names)
    if kind in (None, "category") and factor in ev.category_names:
        kind, members = "category", cats == factor
    elif kind in (None, "criterion") and factor in ev.criterion_names:
        kind, members = "criterion", names == factor
    else:
        what = kind or "category or criterion"
        raise VendorEvalError(f"{factor!r} is not a {what} of this evaluation")
    t0, lines = _lines(inp, members)
    eligible = np.ones(len(inp.vendors), dtype=bool)
    iv = leader_intervals(lines, eligible, 0, t0)
    return Sweep(factor, kind, t0, inp.vendors, lines, [(a, b, inp.vendors[v]) for a, b, v in iv])


def critical_changes(ranking: Ranking) -> list[CriticalChange]:
    """The critical weight change of every category and criterion, smallest first.

    Factors whose share can move anywhere in [0, 1] without changing the leader come last,
    with ``threshold``, ``new_leader`` and ``change`` set to ``None``.
    """
    _check_ranking(ranking)
    return _critical(_inputs(ranking))


def _critical(inp: _Inputs) -> list[CriticalChange]:
    if not inp.vendors or not inp.factors:
        return []
    eligible = np.ones(len(inp.vendors), dtype=bool)
    out: list[CriticalChange] = []
    split = [split_weights(inp.w, members, inp.fallback) for _, _, members in inp.factors]
    U = np.array([u for _, u, _ in split])
    R = np.array([r for _, _, r in split])
    every = sweep_lines_many(inp.S, U, R, inp.has)  # one product for all the factors
    for (name, kind, _), (t0, _, _), lines in zip(inp.factors, split, every, strict=True):
        hit = critical_change(lines, eligible, 0, t0) if len(inp.vendors) > 1 else None
        if hit is None:
            out.append(CriticalChange(name, kind, t0, None, None, None))
        else:
            t, v = hit
            out.append(CriticalChange(name, kind, t0, t, inp.vendors[v], t - t0))
    return sorted(out, key=lambda c: (c.change is None, round(abs(c.change or 0.0), 9)))


# -- the analysis ------------------------------------------------------------------------


def _options(
    samples: int, seed: int, kappa: float | None, missing: object
) -> tuple[int, int, float | None, MissingPolicy]:
    try:
        policy = MissingPolicy.from_alias(missing)
    except ValueError as e:
        raise VendorEvalError(f"missing: {e}") from None
    if isinstance(samples, bool) or not isinstance(samples, int | np.integer):
        raise VendorEvalError(f"samples must be a whole number, not {samples!r}")
    if not 1 <= samples <= MAX_SAMPLES:
        raise VendorEvalError(f"samples must be between 1 and {MAX_SAMPLES:,}, not {samples}")
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise VendorEvalError(f"seed must be a whole number ≥ 0, not {seed!r}")
    if kappa is not None:
        try:
            kappa = float(kappa)
        except (TypeError, ValueError):
            raise VendorEvalError(f"kappa must be a positive number, not {kappa!r}") from None
        if not (math.isfinite(kappa) and kappa > 0):
            raise VendorEvalError(f"kappa must be a positive number, not {kappa!r}")
    return int(samples), int(seed), kappa, policy


def analyse(
    evaluation: Evaluation,
    *,
    samples: int = 10_000,
    seed: int = 0,
    kappa: float | None = 100.0,
    missing: str | MissingPolicy | None = None,
    ranking: Ranking | None = None,
    leader_only: bool | None = None,
    withdrawal: bool | None = None,
) -> SensitivityReport:
    """Stress-test the WSM ranking of ``evaluation`` against its weights.

    Parameters
    ----------
    evaluation:
        A validated evaluation.
    samples, seed:
        Monte Carlo weight samples and the random seed (same seed, same result).
    kappa:
        Dirichlet concentration around the current weights; ``None`` samples uniformly
        (no preference).
    missing:
        Missing-value policy, as for scoring.
    ranking:
        Optional: the WSM ranking of ``evaluation`` under ``missing`` if already computed
        (the dashboard passes it to avoid scoring twice); ignored if it does not match.
    leader_only:
        ``True`` runs the leader-only analysis, in O(vendors · samples) time and memory
        linear in the vendors: P(rank 1) from the same weight samples (so the same values),
        the critical weight changes, the method ranks and the verdict, but no
        rank-probability matrix, sweeps or Kendall's tau. ``None`` (default) decides by
        size: leader-only above :data:`FULL_ANALYSIS_MAX` qualified vendors (the CLI, the
        dashboard and the export all use it). ``False`` forces the full analysis, whose
        rank-probability matrix and pairwise comparisons grow with the square of the
        number of vendors.
    withdrawal:
        ``None`` (default) runs the withdrawal check (docs/stress-tests.md §11, weighted sum
        and the same missing policy) when it scores at most
        :data:`~vendor_eval.stress.withdrawal.WITHDRAWAL_MAX_ROWS` vendor rows, else says
        in ``withdrawal_note`` that it did not; ``True`` runs it at any size, ``False``
        never.

    Raises
    ------
    VendorEvalError
        For invalid options; :class:`~vendor_eval.core.problems.ScoringError` when the
        evaluation cannot be scored.
    """
    samples, seed, kappa, policy = _options(
        samples, seed, kappa, resolve_missing(evaluation, missing)
    )
    if (
        ranking is None
        or ranking.method is not Method.WSM
        or ranking.missing is not policy
        or ranking.evaluation is not evaluation
    ):
        ranking = score(evaluation, method="wsm", missing=policy)
    inp = _inputs(ranking)
    vendors = inp.vendors
    qualified = set(vendors)
    disqualified = [v for v in ranking.vendors if v not in qualified]
    if leader_only is None:
        leader_only = len(vendors) > FULL_ANALYSIS_MAX

    rank_p: dict[str, list[float]] = {}
    sweeps: dict[str, Sweep] = {}
    # leader-only: the same weight samples as the full analysis, so the same P(rank 1)
    P = rank_probabilities(
        inp.S, inp.w, samples=samples, seed=seed, kappa=kappa, has=inp.has,
        first_only=leader_only,
    )  # fmt: skip
    if leader_only:
        p_first = dict(zip(vendors, P.tolist(), strict=True))
    else:
        rank_p = dict(zip(vendors, P.tolist(), strict=True))
        p_first = {v: rank_p[v][0] for v in vendors}
        for name, kind, _ in inp.factors if vendors else []:
            if kind == "category":
                sweeps[name] = _sweep(inp, evaluation, name, "category")
    critical = _critical(inp)

    methods: dict[str, dict[str, int | None]] = {
        v: {"wsm_rank": r, "topsis_rank": None}
        for v, r in zip(vendors, _ranks(ranking, vendors), strict=True)
    }
    tau = None
    topsis_leader = None
    note = ""
    try:
        topsis = score(evaluation, method="topsis", missing=policy)
    except ScoringError as e:
        note = f"TOPSIS not available: {e}"
    else:
        for v, r in zip(vendors, _ranks(topsis, vendors), strict=True):
            methods[v]["topsis_rank"] = r
        tq = _qualified(topsis)
        topsis_leader = tq[0] if tq else None
        if len(vendors) > 1 and not leader_only:
            tau = kendall_tau_b(
                np.array([methods[v]["wsm_rank"] for v in vendors], dtype=float),
                np.array([methods[v]["topsis_rank"] for v in vendors], dtype=float),
            )

    withdrawals, withdrawal_note = [], ""
    if withdrawal is not False:
        plan = plan_withdrawals(evaluation, method=Method.WSM, missing=policy)
        if withdrawal or plan.rows <= WITHDRAWAL_MAX_ROWS:
            withdrawals = plan.run()
        else:
            withdrawal_note = skipped_note(plan)

    report = SensitivityReport(
        leader=vendors[0] if vendors else None,
        verdict="",
        p_first=p_first,
        rank_probabilities=rank_p,
        critical=critical,
        methods=methods,
        kendall_tau=tau,
        topsis_leader=topsis_leader,
        methods_note=note,
        samples=samples,
        seed=seed,
        kappa=kappa,
        missing=policy,
        disqualified=disqualified,
        sweeps=sweeps,
        leader_only=leader_only,
        withdrawal=withdrawals,
        withdrawal_note=withdrawal_note,
    )
    report.verdict = verdict(report)
    return report
