"""The results of the stress tests: the report, its sweeps and critical weight changes.

:func:`vendor_eval.stress.analysis.analyse` computes them (docs/stress-tests.md); the
output stage formats them (:func:`vendor_eval.output.text.format_report`, the export's
Sensitivity sheet) and ``SensitivityReport.to_dict()`` is the CLI's JSON.
"""

from __future__ import annotations

import itertools
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

from vendor_eval.core.model import MissingPolicy
from vendor_eval.stress.sweep import Lines
from vendor_eval.stress.withdrawal import Withdrawal

__all__ = ["CriticalChange", "SensitivityReport", "Sweep", "Withdrawal"]


@dataclass(frozen=True)
class CriticalChange:
    """The smallest change of one factor's share that hands the lead to another vendor."""

    factor: str
    kind: str  # "category" or "criterion"
    current: float
    threshold: float | None
    new_leader: str | None
    change: float | None  # threshold − current (negative: a decrease)


@dataclass(frozen=True)
class Sweep:
    """Every qualified vendor's score as one factor's share t goes from 0 to 1.

    ``intervals`` lists ``(t_start, t_end, leader)`` covering [0, 1]; ``changes`` lists the
    shares where the leader changes as ``(t, old leader, new leader)``.
    """

    factor: str
    kind: str
    current: float
    vendors: list[str]
    lines: Lines
    intervals: list[tuple[float, float, str]]

    @property
    def changes(self) -> list[tuple[float, str, str]]:
        iv = self.intervals
        return [(b[0], a[2], b[2]) for a, b in itertools.pairwise(iv)]

    def scores(self, t: float | np.ndarray) -> pd.DataFrame:
        """Scores (0–100) at the given shares: rows = shares, columns = vendors."""
        grid = np.atleast_1d(np.asarray(t, dtype=float))
        return pd.DataFrame(self.lines.scores(grid), index=grid, columns=self.vendors)

    def leader_at(self, t: float) -> str:
        """The leader at share ``t`` (at a change point: the vendor leading after it)."""
        for start, end, who in self.intervals:
            if start <= t < end or start == end == t:  # (0, 0, v): v leads at t = 0 only
                return who
        return self.intervals[-1][2]


@dataclass
class SensitivityReport:
    """The result of :func:`~vendor_eval.stress.analysis.analyse`; ``to_dict()`` is the
    CLI's JSON.

    ``leader_only`` marks the leader-only analysis of a large register: ``p_first``,
    ``critical``, ``methods`` and the verdict as in the full analysis, but no
    ``rank_probabilities``, ``sweeps`` or ``kendall_tau``. ``withdrawal`` is the withdrawal
    check (docs/stress-tests.md §11), in ranking order; ``withdrawal_note`` says why it is
    empty when it was not run (``""`` when it ran). Nothing here is vendors × ranks
    or samples × vendors except ``rank_probabilities`` of a full analysis (at most
    ``FULL_ANALYSIS_MAX`` vendors under the size rule), so the dashboard's cached copy
    stays small.
    """

    leader: str | None
    verdict: str
    p_first: dict[str, float]
    rank_probabilities: dict[str, list[float]]
    critical: list[CriticalChange]
    methods: dict[str, dict[str, int | None]]
    kendall_tau: float | None
    topsis_leader: str | None
    methods_note: str
    samples: int
    seed: int
    kappa: float | None
    missing: MissingPolicy
    disqualified: list[str] = field(default_factory=list)
    sweeps: dict[str, Sweep] = field(default_factory=dict)
    leader_only: bool = False
    withdrawal: list[Withdrawal] = field(default_factory=list)
    withdrawal_note: str = ""

    def rank_probability_frame(self) -> pd.DataFrame:
        """Vendors × ranks (columns 1, 2, …), shares of the weight samples."""
        rp = self.rank_probabilities
        n = len(next(iter(rp.values()), []))
        return pd.DataFrame(
            [rp[v] for v in rp], index=list(rp), columns=list(range(1, n + 1)), dtype=float
        )

    @property
    def withdrawal_changes(self) -> list[Withdrawal]:
        """The withdrawals that would change the leader, in ranking order."""
        return [w for w in self.withdrawal if w.changes_leader]

    def withdrawal_frame(self) -> pd.DataFrame:
        """The withdrawal table: one row per withdrawn vendor, in ranking order."""
        rows = [[w.withdrawn, w.leader, w.changes_leader] for w in self.withdrawal]
        return pd.DataFrame(rows, columns=["Withdrawn", "Leader", "Changes leader"]).astype(
            {"Changes leader": bool}
        )

    def critical_frame(self) -> pd.DataFrame:
        """The critical-weights table, smallest change first (no change: last)."""
        cols = ["Factor", "Kind", "Current share", "Threshold", "Change", "New leader"]
        rows = [
            [c.factor, c.kind, c.current, c.threshold, c.change, c.new_leader]
            for c in self.critical
        ]
        return pd.DataFrame(rows, columns=cols).astype(
            {"Current share": float, "Threshold": float, "Change": float}
        )

    def to_dict(self) -> dict[str, object]:
        """JSON-ready (NaN-free) summary."""
        return {
            "leader": self.leader,
            "verdict": self.verdict,
            "method": "wsm",
            "missing": self.missing.value,
            "samples": self.samples,
            "seed": self.seed,
            "kappa": self.kappa,
            "weights": "uniform" if self.kappa is None else "dirichlet",
            "leader_only": self.leader_only,
            "p_first": dict(self.p_first),
            "rank_probabilities": {v: list(p) for v, p in self.rank_probabilities.items()},
            "critical": [asdict(c) for c in self.critical],
            "methods": {v: dict(r) for v, r in self.methods.items()},
            "kendall_tau": self.kendall_tau,
            "topsis_leader": self.topsis_leader,
            "methods_note": self.methods_note,
            "disqualified": list(self.disqualified),
            "sweeps": {
                name: {
                    "kind": s.kind,
                    "current": s.current,
                    "intervals": [{"from": a, "to": b, "leader": v} for a, b, v in s.intervals],
                }
                for name, s in self.sweeps.items()
            },
            "withdrawal": [asdict(w) for w in self.withdrawal],
            "withdrawal_note": self.withdrawal_note,
        }
