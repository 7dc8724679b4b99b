"""vendor_eval: vendor due-diligence comparison — validate, gate, score, rank, stress-test.

The public API, imported lazily so that light entry points (the sandboxed file reader, the
CLI's ``--help``) do not pay for pandas and plotly::

    from vendor_eval import load_evaluation, score, analyse, write_export

    ev = load_evaluation("shortlist.xlsx")          # ValidationError lists every problem
    ranking = score(ev, method="wsm", missing="worst")
    report = analyse(ev, samples=10_000, seed=0)    # stress tests and the verdict
    write_export(ranking, "ranking.xlsx", sensitivity=report.to_dict())
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "load_evaluation": "vendor_eval.importer",
    "evaluation_from_book": "vendor_eval.importer",
    "read_book": "vendor_eval.workbook",
    "score": "vendor_eval.scoring",
    "Ranking": "vendor_eval.ranking",
    "analyse": "vendor_eval.sensitivity",
    "SensitivityReport": "vendor_eval.sensitivity",
    "write_export": "vendor_eval.export",
    "write_template": "vendor_eval.template",
    "Evaluation": "vendor_eval.model",
    "Criterion": "vendor_eval.model",
    "Category": "vendor_eval.model",
    "MustRule": "vendor_eval.model",
    "Direction": "vendor_eval.model",
    "Scale": "vendor_eval.model",
    "Method": "vendor_eval.model",
    "MissingPolicy": "vendor_eval.model",
    "Problem": "vendor_eval.validation",
    "ValidationError": "vendor_eval.validation",
    "VendorEvalError": "vendor_eval.validation",
    "ScoringError": "vendor_eval.validation",
    "rank_order_centroid": "vendor_eval.weighting",
    "ahp": "vendor_eval.weighting",
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'vendor_eval' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
