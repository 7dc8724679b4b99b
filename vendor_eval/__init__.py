"""vendor_eval: vendor due-diligence comparison — validate, gate, score, rank, stress-test."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
