"""The Excel ranking workbook: live formulas with cached values, re-importable inputs.

Entry point: :func:`write_export`.
"""

from __future__ import annotations

from vendor_eval.output.excel.export import export_bytes, write_export

__all__ = ["export_bytes", "write_export"]
