"""The Excel ranking workbook (README.md, "Excel export"): live, auditable, re-importable.

:func:`write_export` writes Summary, Weights, Criterion scores, Contributions, Sensitivity,
Data, the input model (Vendors, Criteria, Categories, Scores) and Audit. Scores, ranks and
effective weights are live formulas with cached results; user text is always text. See
README.md ("Excel export").
"""

from __future__ import annotations

import datetime as dt
import io
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any, BinaryIO

from vendor_eval import __version__
from vendor_eval.core.problems import VendorEvalError
from vendor_eval.output.excel.audit import (
    compute_sensitivity,
    sensitivity_note,
    write_audit,
    write_sensitivity,
)
from vendor_eval.output.excel.book import Book
from vendor_eval.output.excel.cache import inject_sheet_data
from vendor_eval.output.excel.inputs import (
    write_categories,
    write_criteria,
    write_data,
    write_scores,
    write_vendors,
)
from vendor_eval.output.excel.sheets import (
    Layout,
    write_contributions,
    write_criterion_scores,
    write_summary,
    write_weights,
)
from vendor_eval.scoring.ranking import Ranking

__all__ = ["export_bytes", "write_export"]


def export_bytes(
    ranking: Ranking,
    *,
    sensitivity: Mapping[str, Any] | None = None,
    generated_at: dt.datetime | None = None,
) -> bytes:
    """The export workbook as ``.xlsx`` bytes (see :func:`write_export`)."""
    lay = Layout.of(ranking)
    book = Book()
    book.wb.properties.creator = f"vendor_eval {__version__}"
    book.wb.properties.title = "Vendor ranking"
    why_not, given = "", sensitivity is not None
    if sensitivity is None:
        sensitivity, why_not = compute_sensitivity(lay)
    # Sheet order is creation order; every sheet is streamed once, top to bottom.
    write_summary(book, lay)
    eff_cells, cat_rows = write_weights(book, lay)
    write_criterion_scores(book, lay, eff_cells)
    write_contributions(book, lay, eff_cells)
    write_sensitivity(book, sensitivity, why_not)
    write_data(book, lay)
    write_vendors(book, lay)
    crit_rows = {name: int(c.split("$")[-1]) for name, c in eff_cells.items()}
    write_criteria(book, lay, crit_rows)
    write_categories(book, lay, cat_rows)
    write_scores(book, lay)
    note = sensitivity_note(sensitivity, why_not, given)
    write_audit(book, lay, generated_at or dt.datetime.now(dt.UTC), note)
    buf = io.BytesIO()
    book.wb.save(buf)
    return inject_sheet_data(buf.getvalue(), book.sheet_data)


def write_export(
    ranking: Ranking,
    target: str | Path | BinaryIO | None = None,
    *,
    sensitivity: Mapping[str, Any] | None = None,
    generated_at: dt.datetime | None = None,
) -> bytes | None:
    """Write the Excel ranking workbook.

    Parameters
    ----------
    ranking:
        The scoring result (:func:`vendor_eval.scoring.scorer.score`).
    target:
        A path (written atomically: a temporary file next to it, then renamed, so a
        failure never leaves a half-written file), a binary file object, or ``None`` to
        get the bytes back (the dashboard's download button).
    sensitivity:
        ``SensitivityReport.to_dict()``; when ``None`` and the method is ``wsm`` the tool
        runs the stress tests itself (2,000 samples, seed 0; over 500 qualified vendors
        the leader-only test: P(rank 1) and critical weight changes). Audit says which.
    generated_at:
        The time recorded in Audit (default: now, UTC).

    Returns
    -------
    bytes or None
        The workbook's bytes when ``target`` is ``None``.

    Raises
    ------
    VendorEvalError
        The target cannot be written (e.g. a missing folder or no permission).
    """
    data = export_bytes(ranking, sensitivity=sensitivity, generated_at=generated_at)
    if target is None:
        return data
    if hasattr(target, "write"):
        target.write(data)
        return None
    _atomic_write(Path(target), data)
    return None


def _atomic_write(path: Path, data: bytes) -> None:
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise VendorEvalError(f"{path}: the folder {folder} does not exist")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as e:
        raise VendorEvalError(f"{path}: cannot write here ({e.strerror})") from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as e:
        Path(tmp).unlink(missing_ok=True)
        raise VendorEvalError(f"{path}: cannot write the export ({e.strerror})") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
