"""Ranking → SensitivityReport: weight sweeps, critical weights, Monte Carlo, methods,
the robustness verdict and named weight scenarios.

Entry point: :func:`analyse` (returns a :class:`SensitivityReport`).
"""

from __future__ import annotations

from vendor_eval.stress.analysis import analyse
from vendor_eval.stress.report import SensitivityReport

__all__ = ["SensitivityReport", "analyse"]
