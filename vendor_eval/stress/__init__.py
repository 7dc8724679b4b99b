"""Ranking → SensitivityReport: weight sweeps, critical weights, Monte Carlo, methods,
the withdrawal check, the robustness verdict and named weight scenarios.

Entry point: :func:`analyse` (returns a :class:`SensitivityReport`);
:func:`withdrawal_check` on its own.
"""

from __future__ import annotations

from vendor_eval.stress.analysis import analyse
from vendor_eval.stress.report import SensitivityReport
from vendor_eval.stress.withdrawal import Withdrawal, withdrawal_check

__all__ = ["SensitivityReport", "Withdrawal", "analyse", "withdrawal_check"]
