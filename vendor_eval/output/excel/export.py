"""The Excel ranking workbook (README.md, "Excel export"): live, auditable, re-importable.

:func:`write_export` writes Summary, Weights, Criterion scores, Contributions, Cost
breakdown (with a Costs sheet), Sensitivity, Data, the input model (Vendors, Criteria,
Categories, Scores, Costs, Settings) and Audit. Scores, ranks and
effective weights are live formulas with cached results; user text is always text. See
README.md ("Excel export").

It prints: Summary opens with a header block (the evaluation's name, date, method, leader
and the stress tests' verdict in one sentence) and prints on one page with the
strengths and weaknesses under the table (up to 30 vendors); every sheet has a print area,
its header row repeated, a fit to the page width and a footer naming it and the page
(:meth:`Book.finish_printing`); wrapped texts come with the row height they need, so no
line prints over the next (tests/output/test_export_print.py converts it to PDF).

An export is always a workbook Excel can hold and the importer can read back: one that
would need more columns or rows than Excel has (:func:`excel_problem`, checked before
anything is built) or be larger than the reader accepts (file size, unpacked size, cells
per sheet, parts; checked on the finished file) is refused with a plain message instead.
The export of the largest evaluation the importer accepts (``MAX_VENDORS`` vendors, or
``MAX_VALUE_CELLS`` values) is well under those limits (tests/output/excel/
test_export_at_scale.py).
"""

from __future__ import annotations

import datetime as dt
import io
import os
import tempfile
import zipfile
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
from vendor_eval.output.excel.book import Book, sheet_size_problem
from vendor_eval.output.excel.cache import inject_sheet_data
from vendor_eval.output.excel.costs import write_cost_breakdown, write_costs
from vendor_eval.output.excel.inputs import (
    write_categories,
    write_criteria,
    write_data,
    write_scores,
    write_vendors,
)
from vendor_eval.output.excel.settings import write_settings
from vendor_eval.output.excel.sheets import (
    SUMMARY_HEADER_ROW,
    Layout,
    summary_columns,
    write_contributions,
    write_criterion_scores,
    write_summary,
    write_weights,
)
from vendor_eval.scoring.ranking import Ranking
from vendor_eval.workbook import schema
from vendor_eval.workbook.reading.zipguard import DEFAULT_LIMITS, ReadLimits

__all__ = ["atomic_write", "excel_problem", "export_bytes", "write_export"]

_MB = 1024 * 1024


def _sheet_sizes(lay: Layout) -> dict[str, tuple[int, int]]:
    """Rows and columns the per-vendor and per-criterion sheets will take."""
    ev = lay.ranking.evaluation
    n, m = lay.n, lay.m
    d = 0 if ev.descriptive is None else len(ev.descriptive.columns)
    from_columns = sum(1 for c in ev.criteria if c.source != "scores")
    scores = 0 if ev.scores is None else len(ev.scores)
    costs = 0 if ev.costs is None else len(ev.costs)
    return {
        "Summary": (SUMMARY_HEADER_ROW + n, len(summary_columns(lay))),
        "Weights": (max(m, len(ev.categories or [])) + 5, 12),
        "Criterion scores": (n + 3, m + 1),
        "Contributions": (n + 1, m + 2),
        "Cost breakdown": (n + 5, ev.settings.term + 4),
        "Data": (n + 1, 1 + m + d),
        "Vendors": (n + 1, 1 + from_columns + d),
        "Criteria": (m + 1, len(schema.CRITERIA.columns)),
        "Scores": (scores + 1, len(schema.SCORES.columns)),
        "Costs": (costs + 1, len(schema.COSTS.columns)),
    }


def excel_problem(ranking: Ranking) -> str | None:
    """Why ``ranking`` cannot be exported (a sheet Excel could not hold), or ``None``.

    Cheap: it only counts rows and columns, so the dashboard can say so instead of
    offering a button that cannot work.
    """
    for title, (rows, cols) in _sheet_sizes(Layout.of(ranking)).items():
        problem = sheet_size_problem(title, rows, cols)
        if problem:
            return problem
    return None


def readable_problem(data: bytes, book: Book, limits: ReadLimits = DEFAULT_LIMITS) -> str | None:
    """Why the finished export ``data`` could not be imported again, or ``None``: the
    reader's limits on the file, its unpacked parts and each sheet's extent."""
    advice = (
        ": leave out descriptive columns (Website, Notes, …) or long texts, or split the shortlist"
    )
    if len(data) > limits.max_file_bytes:
        return (
            f"the Excel export would be {len(data) / _MB:,.1f} MB, over the "
            f"{limits.max_file_bytes / _MB:,.0f} MB a workbook may be to be read back{advice}"
        )
    infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    unpacked = sum(i.file_size for i in infos)
    if len(infos) > limits.max_members:
        return (
            f"the Excel export would have {len(infos):,} parts, over the "
            f"{limits.max_members:,} a workbook may hold to be read back{advice}"
        )
    if unpacked > limits.max_total_bytes:
        return (
            f"the Excel export would unpack to {unpacked / _MB:,.0f} MB, over the "
            f"{limits.max_total_bytes / _MB:,.0f} MB a workbook may hold to be read back{advice}"
        )
    for i in infos:
        if i.file_size > limits.ratio_min_bytes and i.file_size > limits.max_ratio * max(
            i.compress_size, 1
        ):  # the export's parts compress about 10:1: a safeguard, not expected
            return f"the Excel export's part {i.filename} compresses too well to be read back"
    for title, sh in book.sheets.items():
        if sh.row * sh.columns > limits.max_cells:
            return (
                f"the export's {title} sheet would span {sh.row * sh.columns:,} cells, over "
                f"the {limits.max_cells:,} a sheet may span to be read back{advice}"
            )
    return None


def export_bytes(
    ranking: Ranking,
    *,
    sensitivity: Mapping[str, Any] | None = None,
    generated_at: dt.datetime | None = None,
) -> bytes:
    """The export workbook as ``.xlsx`` bytes (see :func:`write_export`)."""
    too_big = excel_problem(ranking)
    if too_big:
        raise VendorEvalError(too_big)
    lay = Layout.of(ranking)
    book = Book()
    book.wb.properties.creator = f"vendor_eval {__version__}"
    book.wb.properties.title = "Vendor ranking"
    why_not, given = "", sensitivity is not None
    if sensitivity is None:
        sensitivity, why_not = compute_sensitivity(lay)
    generated_at = generated_at or dt.datetime.now(dt.UTC)
    verdict = str(sensitivity.get("verdict") or "") if sensitivity else why_not
    # Sheet order is creation order; every sheet is streamed once, top to bottom.
    write_summary(book, lay, generated_at, verdict)
    eff_cells, cat_rows = write_weights(book, lay)
    write_criterion_scores(book, lay, eff_cells)
    write_contributions(book, lay, eff_cells)
    write_cost_breakdown(book, lay)
    write_sensitivity(book, sensitivity, why_not)
    write_data(book, lay)
    write_vendors(book, lay)
    crit_rows = {name: int(c.split("$")[-1]) for name, c in eff_cells.items()}
    write_criteria(book, lay, crit_rows)
    write_categories(book, lay, cat_rows)
    write_scores(book, lay)
    write_costs(book, lay)
    write_settings(book, lay)
    note = sensitivity_note(sensitivity, why_not, given)
    write_audit(book, lay, generated_at, note)
    book.finish_printing()
    buf = io.BytesIO()
    book.wb.save(buf)
    data = inject_sheet_data(
        buf.getvalue(), book.sheet_data, shared_strings=book.shared_strings_xml()
    )
    unreadable = readable_problem(data, book)
    if unreadable:
        raise VendorEvalError(unreadable)
    return data


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
        The target cannot be written (e.g. a missing folder or no permission), or the
        evaluation does not fit in a workbook that Excel can hold and the importer can
        read back (:func:`excel_problem`, :func:`readable_problem`).
    """
    data = export_bytes(ranking, sensitivity=sensitivity, generated_at=generated_at)
    if target is None:
        return data
    if hasattr(target, "write"):
        target.write(data)
        return None
    atomic_write(Path(target), data)
    return None


def _link_new(tmp: Path, path: Path) -> None:
    """``tmp`` under the name ``path``, which must not exist (:class:`FileExistsError`
    otherwise): a hard link, which never replaces; where the file system has none, a
    rename after a last look."""
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise
    except OSError:  # no hard links here (some network or FAT file systems)
        if path.exists():
            raise FileExistsError(str(path)) from None
        os.replace(tmp, path)
    else:
        tmp.unlink(missing_ok=True)


def atomic_write(
    path: Path, data: bytes, what: str = "the export", *, overwrite: bool = True
) -> None:
    """Write ``data`` to ``path`` whole or not at all: into a temporary file beside it,
    then renamed over it. A failure is a :class:`VendorEvalError` naming ``path`` and
    ``what`` was being written (no half-written file is left). ``overwrite=False`` never
    replaces a file: one that appeared meanwhile (after the caller checked) is refused."""
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
        if overwrite:
            os.replace(tmp, path)
        else:
            _link_new(Path(tmp), path)
    except FileExistsError:
        Path(tmp).unlink(missing_ok=True)
        raise VendorEvalError(f"{path}: already exists (use --force to overwrite)") from None
    except OSError as e:
        Path(tmp).unlink(missing_ok=True)
        raise VendorEvalError(f"{path}: cannot write {what} ({e.strerror})") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
