"""Exact weight sweeps and critical weight changes, as plain functions over arrays.

The rules are docs/stress-tests.md §2–§4.

Moving the share ``t`` of one factor (a category or a criterion) from 0 to 1 while the other
criteria keep their proportions gives the effective weights

    w(t)_i = t · u_i      for i in the factor (u: the factor's own weights, summing to 1)
    w(t)_i = (1 − t) · r_i  otherwise          (r: the other weights, summing to 1)

so under the ``worst`` and ``mean`` missing policies every vendor's score is the line
``t·a_v + (1 − t)·b_v``. Under ``exclude`` a vendor's score is renormalised over the
criteria it has, ``N_v(t) / D_v(t)`` with both numerator and denominator linear in t; the
difference of two such scores changes sign where a quadratic does. Either way the points
where the leader changes are roots of a polynomial of degree ≤ 2 and are solved exactly:
starting from the leader at the current share, we walk up (and down) to the nearest root at
which another vendor becomes strictly better, switch leader, and repeat.

All functions here take plain arrays and do no checking; :mod:`vendor_eval.stress.analysis`
builds the arrays from a :class:`~vendor_eval.scoring.ranking.Ranking` and validates.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from vendor_eval.scoring.methods.wsm import exclude_parts, renormalise
from vendor_eval.scoring.ranks import TIE_TOLERANCE

# Coefficients and derivatives are on the 0–1 score scale; below this they count as zero.
_TOL = 1e-12
# Two events closer than this are the same point (a three-way crossing).
_SAME_T = 1e-12


@dataclass(frozen=True)
class Lines:
    """Every vendor's score along a sweep, as ``100 · N(t) / D(t)``.

    ``N(t) = n0 + n1·t`` and ``D(t) = d0 + d1·t``; for the linear policies ``d0 = 1`` and
    ``d1 = 0``, so ``b = 100·n0`` is the score at t = 0 and ``a = 100·(n0 + n1)`` at t = 1.
    """

    n0: np.ndarray
    n1: np.ndarray
    d0: np.ndarray
    d1: np.ndarray

    @property
    def a(self) -> np.ndarray:
        """Scores at t = 1 (the factor alone)."""
        return self.scores(1.0)

    @property
    def b(self) -> np.ndarray:
        """Scores at t = 0 (the factor without weight)."""
        return self.scores(0.0)

    def scores(self, t: float | np.ndarray) -> np.ndarray:
        """Scores (0–100) at share(s) ``t``; shape ``(vendors,)`` or ``(len(t), vendors)``.

        A vendor with no evidence at all at ``t`` (denominator 0, ``exclude`` only) scores 0.
        """
        t = np.asarray(t, dtype=float)
        tt = t[..., None] if t.ndim else t
        num = self.n0 + self.n1 * tt
        den = self.d0 + self.d1 * tt
        with np.errstate(invalid="ignore", divide="ignore"):
            return renormalise(100.0 * num, den, _TOL)


def split_weights(
    w: np.ndarray, members: np.ndarray, fallback: np.ndarray
) -> tuple[float, np.ndarray, np.ndarray]:
    """The current share ``t0`` of a factor and its inside/outside weight profiles.

    Parameters
    ----------
    w:
        Effective weights (summing to 1), shape ``(m,)``.
    members:
        Boolean mask of the factor's criteria, shape ``(m,)``.
    fallback:
        Weights to use for a side whose effective weights are all zero (``t0 = 0`` gives
        the factor no profile, ``t0 = 1`` gives the rest none). Restricted to that side and
        renormalised; equal weights if it is zero there too.

    Returns
    -------
    t0, u, r:
        ``u`` is supported on the factor and sums to 1; ``r`` on the rest and sums to 1
        (``r = u`` when the factor holds every criterion: the sweep is then flat).
    """
    members = np.asarray(members, dtype=bool)
    t0 = float(np.clip(w[members].sum(), 0.0, 1.0))

    def profile(side: np.ndarray) -> np.ndarray:
        for source in (w, fallback, np.ones_like(w)):
            part = np.where(side, source, 0.0)
            total = part.sum()
            if total > _TOL:
                return part / total
        return np.zeros_like(w)

    u = profile(members)
    r = profile(~members) if (~members).any() else u
    return t0, u, r


def sweep_lines(
    S: np.ndarray, u: np.ndarray, r: np.ndarray, has: np.ndarray | None = None
) -> Lines:
    """Score lines for the vendors (rows of ``S``) along the sweep ``t·u + (1 − t)·r``.

    Parameters
    ----------
    S:
        Normalised scores ``s`` in [0, 1], vendors × criteria (missing already resolved by
        the policy; any value where ``has`` is False is ignored).
    u, r:
        Inside and outside weight profiles from :func:`split_weights`.
    has:
        For the ``exclude`` policy: True where the vendor has a value. ``None`` for the
        linear policies.
    """
    if has is None:
        A, B = S @ u, S @ r
        one = np.ones(len(S))
        return Lines(B, A - B, one, np.zeros(len(S)))
    Sm, M = exclude_parts(S, has)  # numerator and denominator of the renormalised score
    A, B, C, D = Sm @ u, Sm @ r, M @ u, M @ r
    return Lines(B, A - B, D, C - D)


def sweep_lines_many(
    S: np.ndarray, U: np.ndarray, R: np.ndarray, has: np.ndarray | None = None
) -> list[Lines]:
    """:func:`sweep_lines` for many factors at once, one :class:`Lines` per factor.

    ``U`` and ``R`` are factors × criteria, one inside and one outside profile per row. The
    scores come from one matrix product for all factors rather than two small ones per
    factor (each of which wakes the BLAS threads: on a busy machine that costs more than
    the arithmetic). Memory: a few factors × vendors arrays.
    """
    St = S.T
    if has is None:
        A, B = U @ St, R @ St
        one, zero = np.ones(len(S)), np.zeros(len(S))
        return [Lines(B[k], A[k] - B[k], one, zero) for k in range(len(U))]
    Sm, M = exclude_parts(S, has)
    Smt, Mt = Sm.T, M.T
    A, B, C, D = U @ Smt, R @ Smt, U @ Mt, R @ Mt
    return [Lines(B[k], A[k] - B[k], D[k], C[k] - D[k]) for k in range(len(U))]


def _difference(lines: Lines, lead: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Coefficients of ``f_v(t) = N_L·D_v − N_v·D_L`` (same sign as score_L − score_v)."""
    n0, n1, d0, d1 = lines.n0, lines.n1, lines.d0, lines.d1
    p0 = n0[lead] * d0 - n0 * d0[lead]
    p1 = n0[lead] * d1 + n1[lead] * d0 - n0 * d1[lead] - n1 * d0[lead]
    p2 = n1[lead] * d1 - n1 * d1[lead]
    return p0, p1, p2


def _roots(p0: np.ndarray, p1: np.ndarray, p2: np.ndarray) -> np.ndarray:
    """Real roots of ``p0 + p1·t + p2·t²`` per vendor, shape ``(vendors, 2)``, NaN = none.

    Uses the cancellation-free form ``q = −(p1 + sign(p1)·√disc)/2``, roots ``q/p2`` and
    ``p0/q``: the textbook ``(−p1 ± √disc)/(2·p2)`` loses most of its digits when ``p2`` is
    tiny next to ``p1`` (a vendor missing only a lightly weighted criterion under exclude).
    """
    out = np.full((len(p0), 2), np.nan)
    quad = np.abs(p2) > _TOL
    lin = ~quad & (np.abs(p1) > _TOL)
    out[lin, 0] = -p0[lin] / p1[lin]
    disc = p1 * p1 - 4.0 * p0 * p2
    ok = quad & (disc >= 0)
    sq = np.sqrt(np.where(ok, disc, 0.0))
    q = -0.5 * (p1 + np.where(p1 < 0, -sq, sq))
    with np.errstate(invalid="ignore", divide="ignore"):
        r1 = q / np.where(ok, p2, 1.0)
        r2 = np.where(q != 0, p0 / np.where(q != 0, q, 1.0), 0.0)  # q = 0 only if p1 = p0 = 0
    out[ok, 0] = r1[ok]
    out[ok, 1] = r2[ok]
    return out


def next_change(
    lines: Lines, eligible: np.ndarray, lead: int, t: float, upward: bool
) -> tuple[float, int] | None:
    """The nearest share beyond ``t`` at which another eligible vendor overtakes ``lead``.

    Moving up, vendor v overtakes at a root ``r ≥ t`` (``r < 1``) of ``f_v`` where f_v turns
    negative (``f_v'(r) < 0``); moving down, at a root ``0 < r ≤ t`` with ``f_v'(r) > 0``.
    A tangency or an endpoint tie is no change. When several vendors cross at the same
    point, the one that is best just beyond it takes over. Failing a crossing, the lead can
    still pass at the endpoint itself when the leader has no evidence there (``exclude``).

    Returns
    -------
    (share, vendor index) or None when the leader holds to the end of [0, 1].
    """
    p0, p1, p2 = _difference(lines, lead)
    roots = _roots(p0, p1, p2)
    slope = p1[:, None] + 2.0 * p2[:, None] * roots
    cand = eligible[:, None] & ~np.isnan(roots)
    cand[lead] = False
    with np.errstate(invalid="ignore"):
        if upward:
            cand &= (roots >= t - _SAME_T) & (roots < 1.0 - _SAME_T) & (slope < -_TOL)
        else:
            cand &= (roots <= t + _SAME_T) & (roots > _SAME_T) & (slope > _TOL)
    if not cand.any():
        return _endpoint_jump(lines, eligible, lead, t, upward)
    key = np.where(cand, roots if upward else -roots, np.inf)
    best = key.min()
    near = cand & (key <= best + _SAME_T)
    # Steepest overtaker at a shared crossing point is the one ahead just beyond it.
    steep = np.where(near, -slope if upward else slope, -np.inf)
    v, k = np.unravel_index(int(np.argmax(steep)), steep.shape)
    return float(np.clip(roots[v, k], 0.0, 1.0)), int(v)


def _endpoint_jump(
    lines: Lines, eligible: np.ndarray, lead: int, t: float, upward: bool
) -> tuple[float, int] | None:
    """A change of leader exactly at the end of the sweep (``exclude`` only).

    Under ``exclude`` a leader with no value for any criterion that still counts at t = 1
    (or t = 0) has no evidence there and scores 0, although it leads everywhere short of
    it: the lead passes at the endpoint itself to the best other vendor, unless that one
    scores 0 too (a tie is no change).
    """
    end = 1.0 if upward else 0.0
    if t == end or lines.d0[lead] + lines.d1[lead] * end > _TOL:
        return None
    others = eligible.copy()
    others[lead] = False
    if not others.any():
        return None
    at_end = np.where(others, lines.scores(end), -np.inf)
    best = int(np.argmax(at_end))
    return (end, best) if at_end[best] > TIE_TOLERANCE else None


def _walk(
    lines: Lines, eligible: np.ndarray, lead: int, t0: float, upward: bool
) -> list[tuple[float, int]]:
    events: list[tuple[float, int]] = []
    t = t0
    # Each leader change moves forward along t; the cap only guards against float ping-pong.
    for _ in range(4 * int(eligible.sum()) + 16):
        nxt = next_change(lines, eligible, lead, t, upward)
        if nxt is None:
            break
        t, lead = nxt
        events.append((t, lead))
    return events


def leader_intervals(
    lines: Lines, eligible: np.ndarray, lead: int, t0: float
) -> list[tuple[float, float, int]]:
    """The leader on each interval of [0, 1]: ``[(t_start, t_end, vendor index), ...]``.

    ``lead`` is the leader at the current share ``t0`` (the official ranking's, so ties
    resolve as the ranking does). Zero-length intervals (a tie at a single point) are dropped,
    except ``(0, 0, v)`` or ``(1, 1, v)``: v leads at that endpoint only (``exclude``).
    """
    down = _walk(lines, eligible, lead, t0, upward=False)
    up = _walk(lines, eligible, lead, t0, upward=True)
    # Going down, event (t, v) means v leads below t; the interval above t belongs to the
    # previous leader.
    points: list[tuple[float, int]] = []
    prev = lead
    for t, v in down:
        points.append((t, prev))
        prev = v
    bounds = [0.0, *(t for t, _ in reversed(points))]
    leaders = [prev, *(v for _, v in reversed(points))]
    for t, v in up:
        bounds.append(t)
        leaders.append(v)
    bounds.append(1.0)
    out: list[tuple[float, float, int]] = []
    for (start, end), who in zip(itertools.pairwise(bounds), leaders, strict=True):
        # A leader at t = 0 or t = 1 alone (``exclude``: see _endpoint_jump) is kept as a
        # zero-length interval; any other zero-length interval is a tie at a single point.
        endpoint = start == end and end in (0.0, 1.0)
        if end - start <= _SAME_T and not endpoint:
            continue
        if out and out[-1][2] == who:
            out[-1] = (out[-1][0], end, who)
        else:
            out.append((start, end, who))
    return out


def critical_change(
    lines: Lines, eligible: np.ndarray, lead: int, t0: float
) -> tuple[float, int] | None:
    """The share nearest to ``t0`` at which the leader changes, and who takes over.

    Returns ``None`` when no share in [0, 1] changes the leader. On a tie in distance the
    decrease is reported (lowering a weight is the commoner what-if).
    """
    down = next_change(lines, eligible, lead, t0, upward=False)
    up = next_change(lines, eligible, lead, t0, upward=True)
    if down is None:
        return up
    if up is None:
        return down
    return down if t0 - down[0] <= up[0] - t0 else up
