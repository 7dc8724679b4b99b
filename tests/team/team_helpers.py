"""Shared by the tests/team modules: a migrated database, project workbooks with panel
criteria, a project with its panel set up through the service, offline score sheets
filled in with openpyxl, and a hand-written audit log folded into a Team (for the pure
functions of team/panel.py)."""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import openpyxl
from conftest import xlsx
from openpyxl.workbook.workbook import Workbook
from projects.projects_helpers import migrated as migrated  # re-exported for tests/team

from vendor_eval.projects import Actor, create_project, history, import_workbook, set_status
from vendor_eval.projects.views import EventView
from vendor_eval.store.database import Database
from vendor_eval.team import members, scoring, sheets
from vendor_eval.team.members import Issued
from vendor_eval.team.scoring import SheetRow
from vendor_eval.team.state import Team, fold

#: The command line's actor: creates every project here, so it is the owner.
LEAD = Actor("lead")
ANA, BO, CY = "ana@x.org", "bo@x.org", "cy@x.org"
VENDORS = ("Acme", "Globex", "Initech", "Umbrella")
PRICES = (100, 120, 90, 150)
#: (name, category, weight, direction, min, max): the panel criteria of :func:`book`.
PanelSpec = tuple[str, str, float, str, float, float]
QUALITY: PanelSpec = ("Quality", "Capability", 2, "higher", 1, 5)
SUPPORT: PanelSpec = ("Support", "Capability", 1, "higher", 0, 10)
RISK: PanelSpec = ("Risk", "Delivery", 1, "lower", 0, 0.5)
CRITERIA_HEADERS = ["Criterion", "Category", "Weight", "Direction", "Scale", "Min", "Max"]
SCORES_HEADERS = ["Evaluator", "Vendor", "Criterion", "Score", "Comment"]
#: A comment good for any score (comments are required at a scale's lowest and highest).
WHY = "seen in the demo"


def signed(email: str) -> Actor:
    """The actor a sign-in gives: named by the e-mail."""
    return Actor(email, signed_in=True)


def book(
    *,
    vendors: Sequence[str] = VENDORS,
    panel: Sequence[PanelSpec] = (QUALITY, SUPPORT, RISK),
    scores: Sequence[Sequence[object]] | None = None,
    prices: Sequence[float] | None = None,
) -> bytes:
    """A project workbook: Vendors with a Price column (the one column criterion), Criteria
    with Price and the ``panel`` criteria (absolute scale, no Vendors column), and a Scores
    sheet when ``scores`` rows (Evaluator, Vendor, Criterion, Score[, Comment]) are given."""
    prices = list(prices or PRICES)[: len(vendors)]
    sheets_: dict[str, list[list[object]]] = {
        "Vendors": [["Vendor", "Price"], *([v, p] for v, p in zip(vendors, prices, strict=True))],
        "Criteria": [
            CRITERIA_HEADERS,
            ["Price", "Cost", 1, "lower", "relative", None, None],
            *([n, cat, w, d, "absolute", lo, hi] for n, cat, w, d, lo, hi in panel),
        ],
    }
    if scores is not None:
        sheets_["Scores"] = [SCORES_HEADERS, *(list(r) for r in scores)]
    return xlsx(sheets_)


def new_project(
    db: Database,
    name: str = "P",
    *,
    data: bytes | None = None,
    evaluators: Sequence[str] = (ANA, BO),
    observers: Sequence[str] = (),
    status: str | None = "scoring",
) -> dict[str, Issued]:
    """A project made by :data:`LEAD` with a workbook (default :func:`book`), the members
    added (their first codes returned by e-mail) and the status set."""
    create_project(LEAD, db, name)
    import_workbook(LEAD, db, name, book() if data is None else data, file_name="p.xlsx")
    issued = {e: members.add_member(LEAD, db, name, e, "evaluator") for e in evaluators}
    issued |= {e: members.add_member(LEAD, db, name, e, "observer") for e in observers}
    if status is not None and status != "draft":
        set_status(LEAD, db, name, status)
    return issued


def declare_all(
    db: Database,
    name: str,
    email: str,
    *,
    conflicts: Iterable[str] = (),
    vendors: Sequence[str] = VENDORS,
) -> scoring.SheetView:
    """The evaluator declares a conflict (noted) with ``conflicts`` and none with the rest."""
    clash = set(conflicts)
    items = [(v, v in clash, "my brother works there" if v in clash else "") for v in vendors]
    return scoring.declare(signed(email), db, name, items)


def rows_of(scores: Mapping[tuple[str, str], float | None], comment: str = WHY) -> list[SheetRow]:
    return [SheetRow(v, c, s, comment) for (v, c), s in scores.items()]


def submit(
    db: Database, name: str, email: str, scores: Mapping[tuple[str, str], float | None]
) -> scoring.SheetView:
    """The evaluator submits ``scores`` in the browser (every row with a comment)."""
    return scoring.save_scores(signed(email), db, name, rows_of(scores), submit=True)


def draft(
    db: Database, name: str, email: str, scores: Mapping[tuple[str, str], float | None]
) -> scoring.SheetView:
    return scoring.save_scores(signed(email), db, name, rows_of(scores))


def events(db: Database, name: str, action: str | None = None) -> list[EventView]:
    """The project's events (read by the owner), only ``action``'s when given."""
    return [e for e in history(LEAD, db, name) if action is None or e.action == action]


# -- offline score sheets --------------------------------------------------------------------
def sheet_bytes(db: Database, name: str, email: str, actor: Actor = LEAD) -> bytes:
    """The evaluator's offline score sheet as downloaded."""
    from vendor_eval.output.excel.scoresheet import write_issued

    return write_issued(sheets.scoresheet(actor, db, name, email))


def edited(data: bytes, change: Callable[[Workbook], None]) -> bytes:
    """The workbook ``data`` opened with openpyxl, changed by ``change`` and saved."""
    wb = openpyxl.load_workbook(io.BytesIO(data))
    change(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def filled(data: bytes, scores: Mapping[tuple[str, str], object], comment: str = WHY) -> bytes:
    """The sheet with each ``(vendor, criterion)`` row's Score (and Comment) typed in."""

    def fill(wb: Workbook) -> None:
        ws = wb["Scores"]
        for row in range(2, ws.max_row + 1):
            pair = (ws.cell(row, 1).value, ws.cell(row, 2).value)
            if pair in scores:
                ws.cell(row, 3).value = scores[pair]
                ws.cell(row, 4).value = comment

    return edited(data, fill)


def sheet_pairs(data: bytes) -> list[tuple[str, str]]:
    ws = openpyxl.load_workbook(io.BytesIO(data))["Scores"]
    return [(ws.cell(r, 1).value, ws.cell(r, 2).value) for r in range(2, ws.max_row + 1)]


# -- a hand-written log, folded (the pure panel functions) -----------------------------------
T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@dataclass
class Log:
    """An audit log written by hand: each method appends one event as team/ writes it;
    :meth:`team` folds it (team.state.fold), as a project's snapshot does."""

    rows: list[Any] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.add("create", {}, actor="lead")

    def add(self, action: str, details: dict[str, Any], *, actor: str = "lead") -> Log:
        seq = len(self.rows) + 1
        time = T0 + timedelta(minutes=seq)
        self.rows.append(SimpleNamespace(seq=seq, time=time, actor=actor, action=action,
                                         details=json.dumps(details)))  # fmt: skip
        return self

    def member(self, email: str, role: str = "evaluator") -> Log:
        return self.add("member-add", {"email": email, "role": role})

    def remove(self, email: str) -> Log:
        return self.add("member-remove", {"email": email})

    def declare(self, email: str, conflicts: Iterable[str] = ()) -> Log:
        items = [{"vendor": v, "conflict": True, "note": "related"} for v in conflicts]
        return self.add("declare", {"email": email, "declarations": items}, actor=email)

    def _scores(self, action: str, email: str, scores: Mapping[tuple[str, str], float]) -> Log:
        items = [{"vendor": v, "criterion": c, "score": s, "comment": WHY}
                 for (v, c), s in scores.items()]  # fmt: skip
        return self.add(action, {"email": email, "scores": items, "via": "browser"}, actor=email)

    def submit(self, email: str, scores: Mapping[tuple[str, str], float]) -> Log:
        return self._scores("score-submit", email, scores)

    def draft(self, email: str, scores: Mapping[tuple[str, str], float]) -> Log:
        return self._scores("score-draft", email, scores)

    def reopen(self, email: str) -> Log:
        return self.add("sheet-reopen", {"email": email, "reason": "check"})

    def moderate(self, vendor: str, criterion: str, score: float) -> Log:
        return self.add("moderate", {"vendor": vendor, "criterion": criterion, "score": score,
                                     "rationale": "agreed", "before": None})  # fmt: skip

    def team(self) -> Team:
        return fold(self.rows)
