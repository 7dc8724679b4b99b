"""Evaluation → Ranking: gates, normalisation, the methods, ranks and explanations.

Entry point: :func:`score` (returns a :class:`Ranking`).
"""

from __future__ import annotations

from vendor_eval.scoring.ranking import Ranking
from vendor_eval.scoring.scorer import score

__all__ = ["Ranking", "score"]
