"""Aggregation methods as plain functions over numpy arrays (no checks, no labels).

:mod:`vendor_eval.scoring.scorer` validates the evaluation, prepares the arrays and labels the
result; these functions only do the maths, so they can be read and tested on their own.
"""

from __future__ import annotations

from vendor_eval.scoring.methods.topsis import fill_raw, topsis
from vendor_eval.scoring.methods.wsm import wsm, wsm_contributions, wsm_exclude

__all__ = ["fill_raw", "topsis", "wsm", "wsm_contributions", "wsm_exclude"]
