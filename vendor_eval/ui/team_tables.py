"""Streamlit-free helpers of the team pages: the tables they show and the score sheet read
back from the score tables; tested without a browser.

The team service's result objects (:mod:`vendor_eval.team`) go in, plain DataFrames and
values come out; every cell is plain text or a number (tables are not Markdown). Nothing
here computes a score: spreads, consensus and calibration are the service's numbers, shown
as they come.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd

from vendor_eval.core.model import Criterion
from vendor_eval.team.panel import Calibration, PairView
from vendor_eval.team.scale import parse_score, points_text, scale_text, whole_points
from vendor_eval.team.scoring import SheetRow, SheetView
from vendor_eval.ui.project_tables import when
from vendor_eval.workbook.schema import name_key

SHEET_COLUMNS = ["Vendor", "Criterion", "Score", "Comment"]
EVERY_CRITERION = "every panel criterion"
FLAGGED = "flagged"


def assignment_text(criteria: Sequence[str], categories: Sequence[str]) -> str:
    """What an evaluator scores, in words."""
    parts = []
    if criteria:
        parts.append("criteria: " + ", ".join(criteria))
    if categories:
        parts.append("categories: " + ", ".join(categories))
    return "; ".join(parts) or EVERY_CRITERION


def members_frame(members: Iterable[Any]) -> pd.DataFrame:
    """One row per member: e-mail, role, what they score (evaluators), their sheet's
    progress (shown to owners), who added them and when."""
    rows = list(members)
    return pd.DataFrame(
        {
            "E-mail": [m.email for m in rows],
            "Role": [m.role for m in rows],
            "Scores": [
                assignment_text(m.criteria, m.categories) if m.role == "evaluator" else ""
                for m in rows
            ],
            "Sheet": [m.sheet or "" for m in rows],
            "Added by": [m.added_by for m in rows],
            "Added": [when(m.added_at) for m in rows],
        },
        columns=["E-mail", "Role", "Scores", "Sheet", "Added by", "Added"],
    )


def score_cell(criterion: Criterion, score: float | None) -> int | float | None:
    """A stored score as its table cell: a whole point as an int (so the drop-down of
    points shows it), else the number; None when blank."""
    if score is None or (isinstance(score, float) and math.isnan(score)):
        return None
    if whole_points(criterion) is not None and float(score).is_integer():
        return int(score)
    return float(score)


def sheet_frame(sheet: SheetView, criterion: Criterion) -> pd.DataFrame:
    """The sheet's rows of one criterion: Vendor, Criterion, Score, Comment."""
    key = name_key(criterion.name)
    rows = [r for r in sheet.rows if name_key(r.criterion) == key]
    return pd.DataFrame(
        {
            "Vendor": [r.vendor for r in rows],
            "Criterion": [r.criterion for r in rows],
            "Score": pd.Series([score_cell(criterion, r.score) for r in rows], dtype=object),
            "Comment": [r.comment for r in rows],
        },
        columns=SHEET_COLUMNS,
    )


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA


def sheet_rows(criterion: Criterion, frame: pd.DataFrame) -> tuple[list[SheetRow], list[str]]:
    """The score table of one criterion read back: its rows, and every cell that is not a
    number (the service checks the scale and the comments)."""
    rows: list[SheetRow] = []
    problems: list[str] = []
    for vendor, crit, raw, comment in frame[SHEET_COLUMNS].itertuples(index=False):
        text = "" if _blank(comment) else str(comment)
        try:
            score = None if _blank(raw) else parse_score(raw, criterion)
        except ValueError as e:
            problems.append(f"{vendor} / {crit}: {e}")
            continue
        rows.append(SheetRow(str(vendor), str(crit), score, text))
    return rows, problems


def criterion_heading(criterion: Criterion) -> str:
    """``Quality (Capability) · scale 1–5: 1, 2, 3, 4, 5`` (plain text)."""
    points = whole_points(criterion)
    allowed = points_text(points) if points is not None else "any number in between"
    return f"{criterion.name} ({criterion.category}) · scale {scale_text(criterion)}: {allowed}"


def guide_frame(criteria: Sequence[Criterion]) -> pd.DataFrame:
    """The criteria guide: criterion, category, scale, allowed scores, description."""
    return pd.DataFrame(
        {
            "Criterion": [c.name for c in criteria],
            "Category": [c.category for c in criteria],
            "Scale": [scale_text(c) for c in criteria],
            "Scores": [
                points_text(p) if (p := whole_points(c)) is not None else "any number"
                for c in criteria
            ],
            "Guide": [c.description for c in criteria],
        },
        columns=["Criterion", "Category", "Scale", "Scores", "Guide"],
    )


def declarations_frame(sheet: SheetView) -> pd.DataFrame:
    """The evaluator's own declarations: vendor, conflict or none, note."""
    order = {name_key(v): i for i, v in enumerate(sheet.vendors)}
    rows = sorted(sheet.declarations.values(), key=lambda d: order.get(name_key(d.vendor), -1))
    return pd.DataFrame(
        {
            "Vendor": [d.vendor for d in rows],
            "Declared": ["conflict" if d.conflict else "no conflict" for d in rows],
            "Note": [d.note for d in rows],
        },
        columns=["Vendor", "Declared", "Note"],
    )


def _evaluators(pairs: Sequence[PairView]) -> list[str]:
    """Every evaluator with a score in ``pairs``, in order of first appearance."""
    seen: dict[str, str] = {}
    for p in pairs:
        for s in p.scores:
            seen.setdefault(name_key(s.evaluator), s.evaluator)
    return list(seen.values())


def pairs_frame(pairs: Sequence[PairView]) -> pd.DataFrame:
    """One row per vendor × panel criterion, in the service's order (flagged first): flag,
    vendor, criterion, spread, consensus, moderated, then each evaluator's score and comment
    side by side (blank where they did not score the pair)."""
    evaluators = _evaluators(pairs)
    data: dict[str, list[object]] = {
        "Flag": [FLAGGED if p.flagged else "" for p in pairs],
        "Vendor": [p.vendor for p in pairs],
        "Criterion": [p.criterion for p in pairs],
        "Spread": [p.spread for p in pairs],
        "Consensus": [p.consensus for p in pairs],
        "Moderated": ["yes" if p.moderation is not None else "" for p in pairs],
    }
    for who in evaluators:
        key = name_key(who)
        by_pair = [{name_key(s.evaluator): s for s in p.scores}.get(key) for p in pairs]
        data[f"{who} · score"] = [None if s is None else s.score for s in by_pair]
        data[f"{who} · comment"] = ["" if s is None else s.comment for s in by_pair]
    return pd.DataFrame(data)


def pair_label(pair: PairView) -> str:
    """How the pair is named in the moderation picker (plain text)."""
    marks = [FLAGGED] if pair.flagged else []
    if pair.moderation is not None:
        marks.append("moderated")
    return f"{pair.vendor} / {pair.criterion}" + (f" ({', '.join(marks)})" if marks else "")


def first_to_moderate(pairs: Sequence[PairView]) -> int:
    """The pair the picker starts on: the first flagged one not moderated yet, else the
    first."""
    return next(
        (i for i, p in enumerate(pairs) if p.flagged and p.moderation is None),
        0,
    )


def pair_scores_frame(pair: PairView) -> pd.DataFrame:
    """Every score of one pair that counts: evaluator, score, comment, and where it came
    from (a submitted sheet, or the workbook's Scores sheet)."""
    return pd.DataFrame(
        {
            "Evaluator": [s.evaluator for s in pair.scores],
            "Score": [s.score for s in pair.scores],
            "Comment": [s.comment for s in pair.scores],
            "From": [_origin(s) for s in pair.scores],
        },
        columns=["Evaluator", "Score", "Comment", "From"],
    )


def calibration_frame(rows: Sequence[Calibration]) -> pd.DataFrame:
    """Each evaluator's calibration: scored, compared, mean deviation (points and share of
    the scale's range), flagged scores (count and share), leaning."""
    return pd.DataFrame(
        {
            "Evaluator": [c.evaluator for c in rows],
            "Scored": [c.scored for c in rows],
            "Compared": [c.compared for c in rows],
            "Mean deviation": [c.mean_deviation for c in rows],
            "Of the range": [c.mean_deviation_share for c in rows],
            "Flagged": [c.flagged for c in rows],
            "Flagged share": [c.flagged_share for c in rows],
            "Leaning": [c.leaning for c in rows],
        },
        columns=[
            "Evaluator",
            "Scored",
            "Compared",
            "Mean deviation",
            "Of the range",
            "Flagged",
            "Flagged share",
            "Leaning",
        ],
    )


def moderated_line(summary: Any) -> str:
    """``2 of 12 pairs moderated · 1 flagged · 2 of 3 evaluators submitted`` (plain text)."""
    pairs = "pair" if summary.pairs == 1 else "pairs"
    evaluators = "evaluator" if summary.evaluators == 1 else "evaluators"
    return (
        f"{summary.moderated} of {summary.pairs} {pairs} moderated · {summary.flagged} flagged "
        f"· {summary.submitted} of {summary.evaluators} {evaluators} submitted"
    )


_UNSAFE_IN_FILE_NAME = re.compile(r"[^A-Za-z0-9@._+-]+")


def sheet_file_name(project: str, email: str) -> str:
    """The download name of an offline score sheet: ``<project>-<email>.xlsx`` with
    anything but letters, digits and ``@._+-`` as ``_``."""
    stem = f"{project}-{email}"
    return (_UNSAFE_IN_FILE_NAME.sub("_", stem).strip("._-") or "scoresheet")[:120] + ".xlsx"


def _origin(score: Any) -> str:
    """Where a score came from: the evaluator's sheet (handed in by someone else, said so)
    or the workbook's Scores sheet."""
    if score.source != "panel":
        return "workbook"
    by = getattr(score, "handed_in_by", "")
    return f"score sheet, handed in by {by}" if by else "score sheet"
