"""The panel's scores: what counts, the consensus per vendor and criterion, disagreement
and calibration (docs/team.md §4–§6). Plain functions over an
:class:`~vendor_eval.core.model.Evaluation` and a :class:`~vendor_eval.team.state.Team`:
no database, no permissions (the service functions in :mod:`vendor_eval.team.moderation`
check those).

- **What counts**: the Scores rows of the workbook (each the submitted score of the
  evaluator it names) and the submitted sheets of the project's current evaluators (a
  draft never counts, nor the sheet or a workbook row of a removed member); a score of a
  vendor the evaluator declared a conflict with does not count, on a sheet or in a row,
  nor a sheet's score of a criterion no longer assigned to them or whose scale changed
  since (a new workbook version). A
  member's submitted score replaces a workbook row of the same evaluator, vendor and
  criterion.
- **Consensus** of a vendor on a panel criterion: the moderated score when the owner
  recorded one, else the mean (or median, the project's consensus setting) of the scores
  that count; no score: missing.
- **Disagreement**: for a pair with at least two scores, spread = max − min, flagged when
  spread ≥ threshold × (Max − Min) of the criterion's scale (a spread exactly at the
  threshold is flagged).
- **Calibration** per evaluator, over the pairs they scored that have a consensus from
  others too (moderated, or at least two scores): the mean of (their score − the
  consensus), in scale points and as a share of the scale's range (lenient > 0, severe
  < 0), and how many of their pairs were flagged.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from vendor_eval.core.model import Consensus, Criterion, Evaluation
from vendor_eval.core.problems import WARNING, Code, Problem
from vendor_eval.team.state import EVALUATOR, Moderation, Pair, Team
from vendor_eval.workbook import schema
from vendor_eval.workbook.importing.messages import show
from vendor_eval.workbook.schema import name_key

#: How close to the threshold a spread counts as at it (float sums: 0.4 × 4 = 1.6000000000000001).
SPREAD_TOLERANCE = 1e-9
#: |mean deviation| / scale range from which an evaluator is called lenient or severe.
LEANING_SHARE = 0.1
_HEADERS = schema.SCORES.headers  # Evaluator, Vendor, Criterion, Score, Comment


@dataclass(frozen=True)
class PanelScore:
    evaluator: str
    score: float
    comment: str
    source: str  # "panel" (a member's submitted sheet) or "workbook" (a Scores row)
    #: Who handed the sheet in when not the evaluator (an owner with their offline sheet).
    handed_in_by: str = ""


@dataclass(frozen=True)
class PairView:
    """One vendor × panel criterion: every score that counts, side by side."""

    vendor: str
    criterion: str
    category: str
    scale: tuple[float, float]
    scores: list[PanelScore]
    spread: float | None  # None with fewer than two scores
    flagged: bool
    aggregate: float | None  # mean or median of the scores
    moderation: Moderation | None
    consensus: float | None  # the moderated score, else the aggregate

    def to_dict(self) -> dict[str, object]:
        """The ``project disagreements --format json`` record."""
        return {
            "vendor": self.vendor,
            "criterion": self.criterion,
            "scores": {s.evaluator: s.score for s in self.scores},
            "spread": self.spread,
            "flagged": self.flagged,
            "consensus": self.consensus,
            "moderated": self.moderation is not None,
        }


@dataclass(frozen=True)
class Calibration:
    evaluator: str
    scored: int
    compared: int  # pairs with a consensus
    mean_deviation: float | None  # scale points; None when nothing to compare
    mean_deviation_share: float | None  # of the scale's range
    flagged: int
    leaning: str  # "lenient", "severe", "in line" or "" (nothing to compare)

    @property
    def flagged_share(self) -> float:
        return self.flagged / self.scored if self.scored else 0.0

    def to_dict(self) -> dict[str, object]:
        return {
            "evaluator": self.evaluator,
            "scored": self.scored,
            "compared": self.compared,
            "mean_deviation": self.mean_deviation,
            "mean_deviation_share": self.mean_deviation_share,
            "flagged": self.flagged,
            "flagged_share": self.flagged_share,
            "leaning": self.leaning,
        }


@dataclass
class _Pool:
    """The scores that count, by pair."""

    by_pair: dict[Pair, dict[str, PanelScore]] = field(default_factory=dict)

    def put(self, pair: Pair, score: PanelScore) -> None:
        self.by_pair.setdefault(pair, {})[name_key(score.evaluator)] = score


def _criteria(evaluation: Evaluation) -> dict[str, Criterion]:
    return {name_key(c.name): c for c in evaluation.panel_criteria}


def _pool(evaluation: Evaluation, team: Team) -> _Pool:
    criteria = _criteria(evaluation)
    vendors = {name_key(v): v for v in evaluation.vendors}
    pool = _Pool()
    frame = evaluation.scores
    if frame is not None and not frame.empty:
        for who, vendor, crit, score, comment in frame[_HEADERS].itertuples(index=False):
            pair = (name_key(str(vendor)), name_key(str(crit)))
            if _withdrawn(team, str(who), pair[0]):
                continue
            if pair[0] in vendors and pair[1] in criteria and not _missing(score):
                text = "" if _missing(comment) else str(comment)
                pool.put(pair, PanelScore(str(who), float(score), text, "workbook"))
    for key, sheet in team.sheets.items():
        member = team.members.get(key)
        if member is None or member.role != EVALUATOR or not sheet.submitted:
            continue
        conflicts = team.conflicts(member.email)
        mine = {name_key(c.name) for c in assigned_criteria(evaluation, team, member.email)}
        by = "" if name_key(sheet.handed_in_by) == key else sheet.handed_in_by
        for pair, s in sheet.scores.items():
            crit = criteria.get(pair[1])
            if (
                crit is None
                or pair[0] not in vendors
                or pair[0] in conflicts
                or pair[1] not in mine  # no longer on their sheet (assignment changed)
                or (s.scale is not None and s.scale != (crit.min, crit.max))  # rescaled
            ):
                continue
            pool.put(pair, PanelScore(member.email, s.score, s.comment, "panel", by))
    return pool


def _withdrawn(team: Team, evaluator: str, vendor_key: str) -> bool:
    """A workbook row of an evaluator who is a removed member, or a member who declared a
    conflict with the vendor: it does not count (as their sheet would not)."""
    key = name_key(evaluator)
    if key in team.removed and key not in team.members:
        return True
    return key in team.members and vendor_key in team.conflicts(evaluator)


def assigned_criteria(evaluation: Evaluation, team: Team, email: str) -> list[Criterion]:
    """The panel criteria an evaluator scores: those assigned by name or category, or every
    panel criterion when nothing is assigned (in criteria order)."""
    chosen = team.assignment(email)
    panel = evaluation.panel_criteria
    if chosen.everything:
        return list(panel)
    crit = {name_key(c) for c in chosen.criteria}
    cats = {name_key(c) for c in chosen.categories}
    return [c for c in panel if name_key(c.name) in crit or name_key(c.category) in cats]


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _aggregate(values: list[float], how: Consensus) -> float:
    return float(np.median(values)) if how is Consensus.MEDIAN else float(np.mean(values))


def pairs(evaluation: Evaluation, team: Team, threshold: float) -> list[PairView]:
    """Every vendor × panel criterion that has a score or a moderated consensus: flagged
    pairs first, then by spread (largest first), vendor order and criterion order."""
    pool = _pool(evaluation, team)
    criteria = _criteria(evaluation)
    order_v = {name_key(v): i for i, v in enumerate(evaluation.vendors)}
    order_c = {k: i for i, k in enumerate(criteria)}
    vendors = {name_key(v): v for v in evaluation.vendors}
    out: list[PairView] = []
    for vkey in vendors:
        for ckey, crit in criteria.items():
            pair = (vkey, ckey)
            scores = list(pool.by_pair.get(pair, {}).values())
            moderation = team.moderation.get(pair)
            if not scores and moderation is None:
                continue
            assert crit.min is not None and crit.max is not None
            values = [s.score for s in scores]
            spread = max(values) - min(values) if len(values) >= 2 else None
            limit = threshold * (crit.max - crit.min)
            flagged = spread is not None and spread >= limit - SPREAD_TOLERANCE
            aggregate = _aggregate(values, evaluation.consensus) if values else None
            out.append(PairView(
                vendors[vkey], crit.name, crit.category, (crit.min, crit.max), scores,
                spread, flagged, aggregate, moderation,
                moderation.score if moderation is not None else aggregate,
            ))  # fmt: skip
    out.sort(
        key=lambda p: (
            not p.flagged,
            -(p.spread or 0.0),
            order_v[name_key(p.vendor)],
            order_c[name_key(p.criterion)],
        )
    )
    return out


def apply_panel(evaluation: Evaluation, team: Team) -> Evaluation:
    """The evaluation with each panel criterion's values the consensus (see the module's
    docstring) and ``scores`` every score that counts; unchanged (the same object) when
    the project has no team (no member ever, no moderated score)."""
    if not team.members and not team.removed and not team.moderation:
        return evaluation
    criteria = _criteria(evaluation)
    if not criteria:
        return evaluation
    views = pairs(evaluation, team, threshold=1.0)
    values = evaluation.values.copy()
    for crit in criteria.values():
        values[crit.name] = np.nan
    rows: list[tuple[object, ...]] = []
    for p in views:
        values.loc[p.vendor, p.criterion] = np.nan if p.consensus is None else p.consensus
        rows.extend((s.evaluator, p.vendor, p.criterion, s.score, s.comment) for s in p.scores)
    frame = pd.DataFrame(rows, columns=_HEADERS)
    frame[schema.SCORE.name] = frame[schema.SCORE.name].astype(float)
    return replace(evaluation, values=values, scores=frame)


def moderated_count(evaluation: Evaluation, team: Team) -> int:
    """How many vendor × panel criterion pairs of this evaluation have a moderated score."""
    criteria = _criteria(evaluation)
    vendors = {name_key(v) for v in evaluation.vendors}
    return sum(1 for v, c in team.moderation if v in vendors and c in criteria)


def calibration(evaluation: Evaluation, team: Team, threshold: float) -> list[Calibration]:
    """Per evaluator who has a score that counts (members first, in the order they were
    added, then the workbook's evaluators by name)."""
    views = pairs(evaluation, team, threshold)
    stats: dict[str, list[float]] = {}
    names: dict[str, str] = {}
    scored: dict[str, int] = {}
    flagged: dict[str, int] = {}
    for p in views:
        span = p.scale[1] - p.scale[0]
        for s in p.scores:
            key = name_key(s.evaluator)
            names.setdefault(key, s.evaluator)
            scored[key] = scored.get(key, 0) + 1
            flagged[key] = flagged.get(key, 0) + int(p.flagged)
            if p.consensus is not None and (p.moderation is not None or len(p.scores) >= 2):
                stats.setdefault(key, []).append((s.score - p.consensus) / span * 100)
                stats.setdefault(key + "\0points", []).append(s.score - p.consensus)
    members = [name_key(m.email) for m in team.members.values()]
    order = [k for k in members if k in names] + sorted(k for k in names if k not in members)
    out = []
    for key in order:
        shares = stats.get(key, [])
        points = stats.get(key + "\0points", [])
        share = float(np.mean(shares)) / 100 if shares else None
        leaning = "" if share is None else (
            "lenient" if share >= LEANING_SHARE - SPREAD_TOLERANCE
            else "severe" if share <= -LEANING_SHARE + SPREAD_TOLERANCE else "in line"
        )  # fmt: skip
        out.append(Calibration(
            names[key], scored[key], len(points), float(np.mean(points)) if points else None,
            share, flagged[key], leaning,
        ))  # fmt: skip
    return out


def panel_warnings(evaluation: Evaluation) -> Evaluation:
    """The evaluation with the importer's warnings about panel criteria said as a project
    means them: "no vendor has a value for X: nobody scored it in Scores" becomes "X is
    scored by the panel: no submitted score yet" (only while no vendor has a value), and
    the importer's per-vendor completeness warnings are dropped (they were counted before
    the panel's scores; the ranking's completeness column counts after). Unchanged without
    panel criteria."""
    panel = evaluation.panel_criteria
    if not panel:
        return evaluation
    unscored = {
        f"no vendor has a value for {show(c.name)}: nobody scored it in {schema.SCORES.name}"
        for c in panel
    }
    kept = [
        w
        for w in evaluation.warnings
        if w.code != Code.INCOMPLETE_VENDOR
        and not (w.code == Code.NO_VALUES and w.message in unscored)
    ]
    for c in panel:
        if len(evaluation.values) and evaluation.values[c.name].isna().all():
            kept.append(Problem(
                f"{show(c.name)} is scored by the panel: no submitted score yet",
                severity=WARNING, code=Code.NO_VALUES,
            ))  # fmt: skip
    return replace(evaluation, warnings=kept)
