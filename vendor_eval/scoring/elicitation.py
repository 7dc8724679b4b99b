"""Ways of setting weights: rank-order centroid and AHP.

The rules are docs/scoring.md §11. Named weight scenarios are in
:mod:`vendor_eval.stress.scenarios`.

* :func:`rank_order_centroid` turns a plain importance order into weights,
  ``w_k = (1/n) Σ_{j=k..n} 1/j`` (Barron & Barrett 1996).
* :func:`ahp` takes a pairwise-comparison matrix on Saaty's 1–9 scale and returns the
  principal-eigenvector weights with the consistency ratio ``CR = CI / RI(n)``,
  ``CI = (λmax − n)/(n − 1)`` (RI for n > 15: the n = 15 value); above 0.10 it warns and
  names the judgement furthest from what the other judgements imply, and what they imply.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from vendor_eval.core.problems import VendorEvalError

# Saaty's random consistency index RI(n) (Saaty 1980, n = 1..15).
RANDOM_INDEX = {
    1: 0.0,
    2: 0.0,
    3: 0.58,
    4: 0.90,
    5: 1.12,
    6: 1.24,
    7: 1.32,
    8: 1.41,
    9: 1.45,
    10: 1.49,
    11: 1.51,
    12: 1.48,
    13: 1.56,
    14: 1.57,
    15: 1.59,
}
CR_LIMIT = 0.10


def rank_order_centroid(n: int) -> np.ndarray:
    """Rank-order-centroid weights for ``n`` items, most important first.

    >>> rank_order_centroid(3).round(4).tolist()
    [0.6111, 0.2778, 0.1111]
    """
    if n < 1:
        raise VendorEvalError("rank-order weights need at least one item")
    inv = 1.0 / np.arange(1, n + 1)
    return np.cumsum(inv[::-1])[::-1] / n


def roc_weights(order: Sequence[str]) -> dict[str, float]:
    """Rank-order-centroid weights by name, for names listed most important first."""
    names = list(order)
    if len(set(names)) != len(names):
        raise VendorEvalError("each item may appear only once in an importance order")
    return dict(zip(names, rank_order_centroid(len(names)).tolist(), strict=True))


@dataclass(frozen=True)
class AHPResult:
    """Weights from a pairwise-comparison matrix, with its consistency."""

    names: list[str]
    weights: np.ndarray
    lambda_max: float
    ci: float
    cr: float
    most_inconsistent: tuple[str, str] | None
    warning: str | None

    @property
    def consistent(self) -> bool:
        return self.cr <= CR_LIMIT

    def as_dict(self) -> dict[str, float]:
        return dict(zip(self.names, self.weights.tolist(), strict=True))


def principal_eigenvector(A: np.ndarray) -> tuple[np.ndarray, float]:
    """Normalised principal eigenvector (sums to 1) and eigenvalue of a positive matrix."""
    vals, vecs = np.linalg.eig(A)
    k = int(np.argmax(vals.real))
    v = np.abs(vecs[:, k].real)  # Perron vector: one sign, positive
    return v / v.sum(), float(vals[k].real)


def _check_pairwise(A: np.ndarray, names: list[str]) -> None:
    n = len(names)
    problems = []
    if A.shape != (n, n):
        raise VendorEvalError(f"a pairwise matrix for {n} items must be {n} × {n}")
    for i in range(n):
        for j in range(n):
            a = A[i, j]
            if not (math.isfinite(a) and a > 0):
                problems.append(f"{names[i]} vs {names[j]}: {a:g} is not a positive number")
            elif i == j and not math.isclose(a, 1.0):
                problems.append(f"{names[i]} vs itself must be 1, not {a:g}")
            elif j > i and not math.isclose(a * A[j, i], 1.0, rel_tol=1e-6):
                problems.append(
                    f"{names[i]} vs {names[j]} is {a:g} but {names[j]} vs {names[i]} is "
                    f"{A[j, i]:g}; they must be reciprocals"
                )
            elif j > i and not 1 / 9 - 1e-9 <= a <= 9 + 1e-9:
                problems.append(f"{names[i]} vs {names[j]}: {a:g} is outside Saaty's 1/9–9")
    if problems:
        raise VendorEvalError("; ".join(problems))


def ahp(
    matrix: np.ndarray | Sequence[Sequence[float]], names: Sequence[str] | None = None
) -> AHPResult:
    """AHP weights from a reciprocal pairwise-comparison matrix.

    ``matrix[i][j]`` says how much more important item i is than item j (1 equal, 3
    moderately, 5 strongly, 7 very strongly, 9 extremely; reciprocals the other way).

    The most inconsistent judgement is the pair whose entered ratio ``a_ij`` is furthest
    (in log terms) from the ratio ``w_i / w_j`` the weights imply.
    """
    try:
        A = np.asarray(matrix, dtype=float)
    except (TypeError, ValueError):
        try:
            ragged = len({len(row) for row in matrix}) > 1
        except TypeError:
            ragged = False
        what = "form a square table" if ragged else "all be numbers"
        raise VendorEvalError(f"pairwise judgements must {what}") from None
    if A.ndim != 2 or A.shape[0] != A.shape[1] or A.size == 0:
        raise VendorEvalError("pairwise judgements must form a square table")
    labels = [str(x) for x in names] if names is not None else [f"#{i + 1}" for i in range(len(A))]
    if len(set(labels)) != len(labels):
        raise VendorEvalError("each item may appear only once in a pairwise comparison")
    _check_pairwise(A, labels)
    n = len(labels)
    w, lam = principal_eigenvector(A)
    ci = (lam - n) / (n - 1) if n > 2 else 0.0
    ri = RANDOM_INDEX.get(n, RANDOM_INDEX[15])
    cr = max(ci / ri, 0.0) if ri > 0 else 0.0
    worst = None
    warning = None
    if n > 2:
        i, j, implied = _most_inconsistent(A, w)
        worst = (labels[i], labels[j])
        if cr > CR_LIMIT:
            warning = (
                f"consistency ratio {cr:.2f} is above {CR_LIMIT:.2f}: the judgements "
                f"contradict each other. The one most out of line is {labels[i]} vs "
                f"{labels[j]} (entered {A[i, j]:.3g}; the other judgements imply "
                f"{implied:.3g})."
            )
    return AHPResult(labels, w, lam, max(ci, 0.0), cr, worst, warning)


def _most_inconsistent(A: np.ndarray, w: np.ndarray) -> tuple[int, int, float]:
    """The judgement furthest from what the other judgements say, and what they say.

    For the pair (i, j) the others imply ``a_ik · a_kj`` through every third item k; their
    geometric mean is the implied ratio. The pair whose entry is furthest from it (in log
    terms) is named; ties go to the larger eigenvector error ``|log(a_ij · w_j / w_i)|``.
    """
    n = len(A)
    L = np.log(A)
    # Σ_k (L_ik + L_kj) over k ∉ {i, j}, using L_ii = L_jj = 0 and L_ji = −L_ij.
    implied = (L.sum(axis=1)[:, None] + L.sum(axis=0)[None, :] - 2.0 * L) / (n - 2)
    dev = np.round(np.abs(L - implied), 9)
    err = np.abs(L + np.log(w)[None, :] - np.log(w)[:, None])
    i_up, j_up = np.triu_indices(n, k=1)
    best = np.lexsort((-err[i_up, j_up], -dev[i_up, j_up]))[0]
    i, j = int(i_up[best]), int(j_up[best])
    return i, j, float(np.exp(implied[i, j]))
