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

from vendor_eval._lazy import lazy_exports

__version__ = "0.1.0"

_EXPORTS = {
    "load_evaluation": "vendor_eval.workbook.importing.load",
    "evaluation_from_book": "vendor_eval.workbook.importing.load",
    "read_book": "vendor_eval.workbook.reading.book",
    "score": "vendor_eval.scoring.scorer",
    "Ranking": "vendor_eval.scoring.ranking",
    "analyse": "vendor_eval.stress.analysis",
    "SensitivityReport": "vendor_eval.stress.report",
    "write_export": "vendor_eval.output.excel.export",
    "write_template": "vendor_eval.workbook.template",
    "Evaluation": "vendor_eval.core.model",
    "Criterion": "vendor_eval.core.model",
    "Category": "vendor_eval.core.model",
    "MustRule": "vendor_eval.core.model",
    "Direction": "vendor_eval.core.model",
    "Scale": "vendor_eval.core.model",
    "Method": "vendor_eval.core.model",
    "MissingPolicy": "vendor_eval.core.model",
    "Problem": "vendor_eval.core.problems",
    "ValidationError": "vendor_eval.core.problems",
    "VendorEvalError": "vendor_eval.core.problems",
    "ScoringError": "vendor_eval.core.problems",
    "rank_order_centroid": "vendor_eval.scoring.elicitation",
    "ahp": "vendor_eval.scoring.elicitation",
}

__all__ = ["__version__", *_EXPORTS]

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
