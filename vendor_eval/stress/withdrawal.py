"""The withdrawal check (rank reversal): would the winner change if one bidder withdrew?

The rules are docs/stress-tests.md §11.

Relative and ratio scores depend on the field: a price scored "lowest bid ÷ this bid" is
measured against the lowest bid, a min–max score against the field's lowest and highest
values. So a vendor that cannot win can still decide who does, and withdrawing it can hand
the lead to someone else. :func:`withdrawal_check` scores the evaluation again without each
qualified vendor other than the leader, in ranking order, as if it had never bid: the
normalisation ranges, the ``mean`` fills, the minimums, the lowest price and TOPSIS's
vector norms are all taken over the vendors that remain, under the same method and
missing-value policy.

Each field of n − 1 vendors is scored from one :class:`~vendor_eval.scoring.scorer.ScoringInputs`
(:func:`~vendor_eval.scoring.scorer.prepare_rows`): the same arithmetic as
:func:`~vendor_eval.scoring.scorer.score` of an evaluation without the vendor, bit for bit,
without building an evaluation, a frame or a ranking per field.

**Pruning.** Under the weighted sum, withdrawing a vendor u changes nobody else's score
unless u moves something a score is measured against. Only these vendors are re-scored (the
others leave the leader where it is, and are reported so):

* u holds the unique lowest or the unique highest value of a relative or price criterion's
  field (the only member of a field is both);
* under ``mean``, u has a value in a criterion that some vendor lacks (the fill is the
  field's mean, with u in it);
* u ranks first with the leader (a tie within the ranking's tolerance: without u the group
  tied for first can grow);
* under TOPSIS every vendor (the vector norms hold every qualified vendor's values).

The fields are those of the staged evaluation: the vendors that passed the gates for
non-price criteria, the vendors that also met the minimums for price criteria. When u
moves nothing, every other vendor's normalised scores, category and quality scores and
total stay exactly as they were, so the vendors that meet the minimums stay the same (less
u), and so does the leader. ``tests/stress/test_withdrawal.py`` checks that the pruned check
gives the full check's answer.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import pandas as pd

from vendor_eval.core.model import Evaluation, Method, MissingPolicy
from vendor_eval.core.problems import ScoringError
from vendor_eval.scoring import normalise as nz
from vendor_eval.scoring.ranking import Ranking
from vendor_eval.scoring.ranks import TIE_TOLERANCE, rank_order
from vendor_eval.scoring.scorer import (
    TOPSIS_EXCLUDE,
    Prepared,
    ScoringInputs,
    prepare_rows,
    resolve_method,
    resolve_missing,
    scoring_inputs,
    totals,
)

__all__ = [
    "WITHDRAWAL_MAX_ROWS", "Withdrawal", "WithdrawalPlan", "plan_withdrawals", "skipped_note",
    "withdrawal_check", "withdrawn",
]  # fmt: skip

#: The most vendor rows (re-scores × vendors) that :func:`~vendor_eval.stress.analysis.analyse`
#: scores for the withdrawal check by default: about a second and a half on a 2-core
#: machine (each re-score costs about 0.5 ms plus 1 µs per vendor at 50 criteria). The
#: pruned check of a large register usually needs a few dozen re-scores; under ``mean``
#: with missing values it needs one per vendor, n² rows (docs/stress-tests.md §11).
WITHDRAWAL_MAX_ROWS = 1_000_000


@dataclass(frozen=True)
class Withdrawal:
    """Who would lead if ``withdrawn`` had never bid (``None``: nobody would qualify)."""

    withdrawn: str
    leader: str | None
    changes_leader: bool


def withdrawn(evaluation: Evaluation, vendor: str) -> Evaluation:
    """``evaluation`` as if ``vendor`` had never bid: its row of values, its descriptive
    columns, its evaluators' scores and its costs left out; everything else as it is.

    Raises
    ------
    KeyError
        ``vendor`` is not one of the evaluation's vendors.
    """
    if vendor not in evaluation.vendors:
        raise KeyError(vendor)

    def rows_of_others(frame: pd.DataFrame | None) -> pd.DataFrame | None:
        if frame is None or "Vendor" not in frame.columns:  # the long Scores and Costs sheets
            return frame
        return frame[frame["Vendor"] != vendor]

    return dataclasses.replace(
        evaluation,
        vendors=[v for v in evaluation.vendors if v != vendor],
        values=evaluation.values.drop(index=vendor, errors="ignore"),
        descriptive=evaluation.descriptive.drop(index=vendor, errors="ignore"),
        scores=rows_of_others(evaluation.scores),
        costs=rows_of_others(evaluation.costs),
    )


@dataclass(frozen=True)
class WithdrawalPlan:
    """What :func:`withdrawal_check` will do, before it does it.

    ``order`` lists the vendors to withdraw (row indices, ranking order, leader left out),
    ``rescore`` the rows among them that must be scored again (all of them without
    pruning); ``leader`` is the current leader's row (``None``: nobody qualifies).
    """

    inputs: ScoringInputs
    method: Method
    leader: int | None
    order: np.ndarray
    rescore: np.ndarray

    @property
    def rescores(self) -> int:
        """How many fields of n − 1 vendors the check scores."""
        return int(np.count_nonzero(self.rescore))

    @property
    def rows(self) -> int:
        """How many vendor rows the check scores in all (each re-score scores n − 1)."""
        return self.rescores * max(len(self.inputs.vendors) - 1, 0)

    def run(self) -> list[Withdrawal]:
        """The withdrawals, in ranking order."""
        labels = self.inputs.labels
        if self.leader is None:
            return []
        current = str(labels[self.leader])
        everyone = np.arange(len(labels))
        out = []
        for u in self.order.tolist():
            if not self.rescore[u]:
                out.append(Withdrawal(str(labels[u]), current, False))
                continue
            rows = np.delete(everyone, u)
            new = _leader(prepare_rows(self.inputs, rows), self.method)
            name = None if new is None else str(labels[rows[new]])
            out.append(Withdrawal(str(labels[u]), name, name != current))
        return out


def skipped_note(plan: WithdrawalPlan, limit: int = WITHDRAWAL_MAX_ROWS) -> str:
    """The sentence that says the withdrawal check was not run, and why."""
    return (
        f"The withdrawal check was not run: it would score the evaluation again "
        f"{plan.rescores:,} times, once without each vendor whose withdrawal could change "
        f"a score ({plan.rows:,} vendor rows; the limit is {limit:,})."
    )


def _parse_method(value: object) -> Method:
    try:
        return Method.from_alias(value)
    except ValueError as e:
        raise ScoringError(f"method: {e}") from None


def _parse_missing(value: object) -> MissingPolicy:
    try:
        return MissingPolicy.from_alias(value)
    except ValueError as e:
        raise ScoringError(f"missing: {e}") from None


def _leader(p: Prepared, method: Method) -> int | None:
    """The row of the vendor ``score`` would put first (``Ranking.leader``), or ``None``."""
    if not p.qualified.any():
        return None
    scores, _ = totals(p, method)
    order, _ = rank_order(scores, p.qualified)
    return int(order[0])


def plan_withdrawals(
    evaluation: Evaluation,
    *,
    method: str | Method | None = None,
    missing: str | MissingPolicy | None = None,
    prune: bool = True,
) -> WithdrawalPlan:
    """Score ``evaluation`` once and decide which withdrawals need a new score.

    ``method`` and ``missing`` as for :func:`~vendor_eval.scoring.scorer.score` (``None``:
    the Settings sheet's, else ``wsm`` and ``worst``). ``prune=False`` scores every
    withdrawal again (the module docstring says what pruning skips and why it is exact).

    Raises
    ------
    ScoringError
        When the evaluation cannot be scored (as ``score``).
    """
    m = _parse_method(resolve_method(evaluation, method))
    policy = _parse_missing(resolve_missing(evaluation, missing))
    if m is Method.TOPSIS and policy is MissingPolicy.EXCLUDE:
        raise ScoringError(TOPSIS_EXCLUDE)
    inputs = scoring_inputs(evaluation, policy)
    p = prepare_rows(inputs)
    scores, _ = totals(p, m)
    order, _ = rank_order(scores, p.qualified)
    q_order = order[: int(np.count_nonzero(p.qualified))]
    if not q_order.size:
        empty = np.zeros(0, dtype=np.intp)
        return WithdrawalPlan(inputs, m, None, empty, np.zeros(len(scores), dtype=bool))
    rescore = _movers(inputs, p, scores) if prune and m is Method.WSM else p.qualified.copy()
    rescore[q_order[0]] = False
    return WithdrawalPlan(inputs, m, int(q_order[0]), q_order[1:], rescore)


def _movers(inputs: ScoringInputs, p: Prepared, scores: np.ndarray) -> np.ndarray:
    """Per vendor: True where withdrawing it can change someone else's weighted-sum score
    or the group tied for first (the module docstring's list), among the qualified."""
    q = p.qualified
    x = p.raw
    has = ~np.isnan(x)
    # the field of each criterion: gate-passing vendors, for prices those that also met
    # the minimums (a qualified vendor with a value is always in its field)
    price = inputs.price if inputs.staged else np.zeros(x.shape[1], dtype=bool)
    field = has & np.where(price[None, :], q[:, None], inputs.gates.qualified[:, None])
    movers = q & (scores + TIE_TOLERANCE >= scores[q].max())  # ranks first, with the leader
    relative = inputs.scale == nz.RELATIVE  # price criteria too
    if relative.any():
        values = np.where(field[:, relative], x[:, relative], np.nan)
        for reduce in (np.fmin, np.fmax):
            bound = reduce.reduce(values, axis=0)
            at = values == bound  # NaN (outside the field) is never at a bound
            unique = np.count_nonzero(at, axis=0) == 1
            movers |= (at & unique[None, :]).any(axis=1)
    if inputs.missing is MissingPolicy.MEAN:
        gaps = ~has.all(axis=0)  # a criterion with a missing value: its fill is a mean
        movers |= (field & gaps[None, :]).any(axis=1)
    return movers & q


def withdrawal_check(
    evaluation: Evaluation,
    *,
    method: str | Method | None = None,
    missing: str | MissingPolicy | None = None,
    ranking: Ranking | None = None,
    prune: bool = True,
) -> list[Withdrawal]:
    """For every qualified vendor but the leader, in ranking order: who would lead if it
    had never bid (docs/stress-tests.md §11).

    Parameters
    ----------
    evaluation:
        A validated evaluation.
    method, missing:
        As for :func:`~vendor_eval.scoring.scorer.score` (``None``: the Settings sheet's,
        else ``wsm`` and ``worst``); every field is scored under the same ones.
    ranking:
        Accepted for symmetry with :func:`~vendor_eval.stress.analysis.analyse` and not
        needed: the check scores the evaluation once itself (it needs the arrays, not the
        frames), by the same arithmetic as ``score``, so its order is the ranking's.
    prune:
        ``False`` scores every withdrawal again instead of only those that can move a
        bound (same answer, slower).

    Each entry's ``leader`` is what ``score(withdrawn(evaluation, u), method,
    missing).leader`` gives, and ``changes_leader`` says whether it differs from the
    current leader. A single qualified vendor (or none) gives an empty list.
    """
    del ranking  # the order comes from the same arithmetic (see above)
    return plan_withdrawals(evaluation, method=method, missing=missing, prune=prune).run()
