"""Why a vendor ranks where it does: its strongest and weakest criteria.

For every vendor, the gap between its contribution (points) on each criterion and the
field's mean contribution, the field being the qualified vendors (every vendor when nobody
qualifies). The three largest positive gaps are its strengths, the three most negative its
weaknesses, each as a short sentence:

    Strong on SLA uptime: +4.2 points vs the field average
    Weak on Blended hourly rate: -3.1 points vs the field average

Gaps that round to 0.0 points are not worth a sentence and are left out. Sentences are
built on demand (:class:`Explanations` is a read-only mapping), so scoring 100,000 vendors
does not build 600,000 strings nobody reads.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from pandas.api.typing.aliases import SequenceNotStr

TOP_N = 3
_MIN_GAP = 0.05  # below this the sentence would read "+0.0 points"


def contribution_gaps_mean(contributions: np.ndarray, field: np.ndarray) -> np.ndarray:
    """The field's mean contribution per criterion (a matrix-vector product, no copy)."""
    count = int(field.sum())
    if count == 0:
        return np.zeros(contributions.shape[1])
    return (field.astype(float) @ contributions) / count


def contribution_gaps(contributions: np.ndarray, field: np.ndarray) -> np.ndarray:
    """Vendors × criteria: contribution minus the field's mean contribution (plain)."""
    return contributions - contribution_gaps_mean(contributions, field)


def strongest_weakest(
    gaps: np.ndarray, n: int = TOP_N, min_gap: float = _MIN_GAP
) -> tuple[list[int], list[int]]:
    """Column indices of the ``n`` largest positive and ``n`` most negative gaps of a row.

    Ties keep criteria order (stable sort).
    """
    desc = np.argsort(-gaps, kind="stable")
    asc = np.argsort(gaps, kind="stable")
    strong = [int(j) for j in desc[:n] if gaps[j] >= min_gap]
    weak = [int(j) for j in asc[:n] if gaps[j] <= -min_gap]
    return strong, weak


def sentences(gaps: np.ndarray, names: Sequence[str], n: int = TOP_N) -> dict[str, list[str]]:
    """``{"strengths": [...], "weaknesses": [...]}`` for one vendor's gap row."""
    strong, weak = strongest_weakest(gaps, n)
    return {
        "strengths": [
            f"Strong on {names[j]}: +{gaps[j]:.1f} points vs the field average" for j in strong
        ],
        "weaknesses": [
            f"Weak on {names[j]}: -{-gaps[j]:.1f} points vs the field average" for j in weak
        ],
    }


class Explanations(Mapping[str, dict[str, list[str]]]):
    """Vendor → ``{"strengths": [...], "weaknesses": [...]}``, computed on access.

    Parameters
    ----------
    contributions:
        Vendors × criteria points, rows in ``vendors`` order.
    field:
        Boolean per row: the vendors whose mean is the reference (the qualified field).
    vendors, criteria:
        Row and column labels.
    no_data:
        Optional vendors × criteria, True where the vendor has no value and the missing
        policy left the criterion out (``exclude``): no data is neither a strength nor a
        weakness, so such a criterion gets no sentence (its 0 points are not "weak").
    """

    def __init__(
        self,
        contributions: np.ndarray,
        field: np.ndarray,
        vendors: SequenceNotStr[str] | pd.Index,
        criteria: Sequence[str],
        n: int = TOP_N,
        no_data: np.ndarray | None = None,
    ) -> None:
        self._contrib = np.asarray(contributions, dtype=float)
        self._no_data = None if no_data is None else np.asarray(no_data, dtype=bool)
        field = np.asarray(field, dtype=bool)
        self._mean = contribution_gaps_mean(self._contrib, field)
        self._vendors: pd.Index = (
            vendors if isinstance(vendors, pd.Index) else pd.Index(vendors, dtype=object)
        )
        self._criteria = list(criteria)
        self._n = n
        self._cache: dict[str, dict[str, list[str]]] = {}

    def _position(self, vendor: str) -> int:
        pos = self._vendors.get_loc(vendor)
        if not isinstance(pos, (int, np.integer)):
            raise KeyError(vendor)
        return pos

    def gaps(self, vendor: str) -> dict[str, float]:
        """Criterion → points above (+) or below (−) the field's mean, for ``vendor``."""
        row = self._contrib[self._position(vendor)] - self._mean
        return dict(zip(self._criteria, row.tolist(), strict=True))

    def __getitem__(self, vendor: str) -> dict[str, list[str]]:
        hit = self._cache.get(vendor)
        if hit is None:
            pos = self._position(vendor)
            row = self._contrib[pos] - self._mean
            if self._no_data is not None:
                row = np.where(self._no_data[pos], 0.0, row)  # a 0 gap makes no sentence
            hit = sentences(row, self._criteria, self._n)
            self._cache[vendor] = hit
        return {k: list(v) for k, v in hit.items()}

    def __iter__(self) -> Iterator[str]:
        return iter(self._vendors)

    def __len__(self) -> int:
        return len(self._vendors)

    def __contains__(self, vendor: object) -> bool:
        try:
            self._position(vendor)  # type: ignore[arg-type]  # any key: a refused one is absent
        except (KeyError, TypeError, pd.errors.InvalidIndexError):
            return False
        return True

    def to_dict(self) -> dict[str, dict[str, list[str]]]:
        """Every vendor's sentences as a plain dict (JSON-ready)."""
        return {v: self[v] for v in self._vendors}

    def __repr__(self) -> str:
        return f"Explanations({len(self)} vendors)"
