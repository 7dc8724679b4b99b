"""Monitoring in a project: results imported period by period, corrective actions kept.

A decided project monitors its awarded vendor (docs/monitoring.md §3). Like the team, the
monitoring lives only in the project's audit log, so its hash chain, ``project verify``,
``db backup`` and ``db restore`` cover it with nothing added:

- ``monitor-import`` {file, sha256, kind, kpis, standings, periods, opened}: one monitoring
  workbook read. Its KPIs and standings replace the project's; each period it holds replaces
  that period's results of the vendors it monitors (``vendors``; ``periods``: label →
  [[vendor, KPI, actual, comment], …]);
  ``opened`` lists the corrective actions the import opened ([vendor, KPI, period]).
- ``action-update`` {vendor, kpi, period, owner?, due?, status?, closed?, note?}: a change
  to one corrective action.

:func:`fold` reads the state back from the events, oldest first. An action once opened stays
in the project even when a re-import takes its breaches away (it is then marked so).

Every service function asks :mod:`vendor_eval.team.access` first: an owner imports results
and updates actions once the project is decided; the whole team reads the performance then.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pandas as pd

from vendor_eval.core.model import Direction, Evaluation
from vendor_eval.core.problems import Code, Problem, ValidationError
from vendor_eval.monitoring.model import (
    DEFAULT_STANDINGS,
    RESULT_COLUMNS,
    Kpi,
    MonitoringBook,
    Period,
    PeriodKind,
    Standing,
)
from vendor_eval.monitoring.scoring import (
    ACTION_DUE_DAYS,
    ACTION_STATUSES,
    Action,
    ActionKey,
    Monitoring,
    period_end,
    score_monitoring,
)
from vendor_eval.monitoring.selection import promised_values, unknown_criteria
from vendor_eval.projects.actor import Actor
from vendor_eval.projects.errors import ProjectError, quoted
from vendor_eval.projects.rules import (
    clean_name,
    clean_text,
    find,
    opened,
    precheck,
    team_of,
    writing,
)
from vendor_eval.projects.versions import snapshot
from vendor_eval.store import queries as q
from vendor_eval.store.audit import append_event
from vendor_eval.store.database import Database, Session
from vendor_eval.store.models import Project
from vendor_eval.team.access import Action as Access
from vendor_eval.team.access import Resource, can, require
from vendor_eval.team.state import with_details
from vendor_eval.workbook.schema import name_key

__all__ = [
    "MONITOR_EVENTS",
    "ImportSummary",
    "Stored",
    "fold",
    "import_results",
    "preview_results",
    "project_monitoring",
    "template_for",
    "update_action",
]

#: The events :func:`fold` reads.
MONITOR_EVENTS = ("monitor-import", "action-update")
#: The note on an action whose breaches a later import took away.
NO_LONGER_IN_BREACH = "no longer two periods in breach: the results were re-imported"
_ACTION_FIELDS = ("owner", "due", "status", "closed", "note")


@dataclass
class Stored:
    """The monitoring a project's log holds."""

    kpis: tuple[Kpi, ...] = ()
    standings: tuple[Standing, ...] = DEFAULT_STANDINGS
    kind: PeriodKind | None = None
    #: period ordinal → its results [(vendor, KPI, actual, comment)].
    periods: dict[int, list[tuple[str, str, float, str]]] = field(default_factory=dict)
    #: Every import: (file, SHA-256, actor, time).
    files: list[tuple[str, str, str, str]] = field(default_factory=list)
    #: Every action ever opened: key → (vendor, KPI, period).
    opened: dict[ActionKey, tuple[str, str, Period]] = field(default_factory=dict)
    #: Action changes: key → field → value (ISO dates as text).
    records: dict[ActionKey, dict[str, Any]] = field(default_factory=dict)

    def book(
        self, awarded: Sequence[str], promised: dict[tuple[str, str], float]
    ) -> MonitoringBook:
        rows = [
            (ordinal, vendor, kpi, actual, comment, 0)
            for ordinal in sorted(self.periods)
            for vendor, kpi, actual, comment in self.periods[ordinal]
        ]
        frame = pd.DataFrame(rows, columns=list(RESULT_COLUMNS))
        frame["period"] = frame["period"].astype("int64")
        frame["actual"] = frame["actual"].astype(float)
        return MonitoringBook(self.kpis, frame, self.kind, tuple(awarded), self.standings, promised)


def _kpi(data: dict[str, Any]) -> Kpi:
    return Kpi(
        name=str(data["name"]),
        direction=Direction(str(data["direction"])),
        target=float(data["target"]),
        threshold=float(data["threshold"]),
        weight=float(data.get("weight", 1.0)),
        vendor=data.get("vendor") or None,
        unit=str(data.get("unit") or ""),
        criterion=data.get("criterion") or None,
        row=int(data.get("row") or 0),
    )


def _kpi_json(k: Kpi) -> dict[str, Any]:
    return {
        "name": k.name,
        "vendor": k.vendor,
        "unit": k.unit,
        "direction": k.direction.value,
        "target": k.target,
        "threshold": k.threshold,
        "weight": k.weight,
        "criterion": k.criterion,
        "row": k.row,
    }


def fold(events: Iterable[Any]) -> Stored:
    """The monitoring the events say (rows with ``action``, ``actor``, ``time`` and
    ``details`` JSON text, oldest first; other actions are skipped)."""
    stored = Stored()
    for row, details in with_details(events, MONITOR_EVENTS):
        if details is None:  # not readable: `project verify` names the event
            continue
        if row.action == "monitor-import":
            _see_import(stored, details, str(row.actor), str(row.time))
        else:
            key = (
                name_key(details.get("vendor")),
                name_key(details.get("kpi")),
                str(details.get("period")),
            )
            record = stored.records.setdefault(key, {})
            record.update({f: details[f] for f in _ACTION_FIELDS if f in details})
    return stored


def _see_import(stored: Stored, details: dict[str, Any], actor: str, time: str) -> None:
    kind = PeriodKind(details["kind"]) if details.get("kind") else stored.kind
    stored.kind = kind
    stored.kpis = tuple(_kpi(k) for k in details.get("kpis") or [])
    stored.standings = (
        tuple(Standing(str(n), float(m)) for n, m in details.get("standings") or [])
        or DEFAULT_STANDINGS
    )
    stored.files.append((str(details.get("file")), str(details.get("sha256")), actor, time))
    for label, rows in (details.get("periods") or {}).items():
        period = Period.parse(str(label))
        if period is None:
            continue
        new = [(str(v), str(k), float(a), str(c or "")) for v, k, a, c in rows]
        replaced = details.get("vendors")
        if replaced is None:  # the whole period
            stored.periods[period.ordinal] = new
            continue
        # the period's results of the vendors the workbook monitored; another vendor's
        # (an earlier winner's) stay
        keys = {name_key(v) for v in replaced}
        kept = [r for r in stored.periods.get(period.ordinal, []) if name_key(r[0]) not in keys]
        stored.periods[period.ordinal] = kept + new
    for vendor, kpi, label in details.get("opened") or []:
        period = Period.parse(str(label))
        if period is not None:
            stored.opened[(name_key(vendor), name_key(kpi), period.label)] = (
                str(vendor),
                str(kpi),
                period,
            )


# -- reading a project's monitoring ----------------------------------------------------------
def _awarded(s: Session, project: Project) -> list[str]:
    decision = q.current_decision(s, project.id)
    if decision is None or decision.reopened_at is not None:
        raise ProjectError(
            f"{project.name} is not decided: monitoring follows the vendor the contract was "
            "awarded to, so decide the project first"
        )
    return [decision.winner]


def _decided_evaluation(s: Session, project: Project) -> Evaluation:
    """The evaluation of the version the decision was taken on."""
    decision = q.current_decision(s, project.id)
    assert decision is not None
    return snapshot(s, project, decision.version_seq).evaluation()


def _promised(
    s: Session, project: Project, kpis: Sequence[Kpi], awarded: Sequence[str]
) -> dict[tuple[str, str], float]:
    """(vendor, criterion) → the value the awarded vendor gave at selection, for the KPIs'
    criteria (from the decided version's workbook)."""
    if not any(k.criterion for k in kpis):
        return {}
    return promised_values(kpis, awarded, _decided_evaluation(s, project))


def _criteria_problems(
    s: Session, project: Project, kpis: Sequence[Kpi], file: str
) -> list[Problem]:
    """A KPI linked to a criterion the decided workbook does not have."""
    if not any(k.criterion for k in kpis):
        return []
    evaluation = _decided_evaluation(s, project)
    names = ", ".join(c.name for c in evaluation.criteria)
    return [
        Problem(
            f"{quoted(k.criterion or '')} is not a criterion of {project.name}'s workbook: "
            f"name one of {names}, or leave Criterion empty",
            sheet="KPIs",
            row=k.row or None,
            header="Criterion",
            file=file,
            code=Code.UNKNOWN_CRITERION,
        )
        for k in unknown_criteria(kpis, evaluation)
    ]


def _monitoring(
    s: Session, project: Project, stored: Stored, *, promises: bool = True
) -> Monitoring:
    """``promises``: with the vendor's selection answers (False for a reader who may not
    read the workbook: promised vs delivered then shows what was delivered only)."""
    awarded = _awarded(s, project)
    promised = _promised(s, project, stored.kpis, awarded) if promises else {}
    book = stored.book(awarded, promised)
    result = score_monitoring(book, stored.records)
    return _with_history(result, stored)


def _with_history(result: Monitoring, stored: Stored) -> Monitoring:
    """Add the actions opened earlier whose breaches a re-import took away."""
    current = {a.key for a in result.actions}
    vendors = dict(result.vendors)
    for key, (_vendor, kpi, period) in stored.opened.items():
        if key in current:
            continue
        owner = next((v for v in vendors if name_key(v) == key[0]), None)
        if owner is None:
            continue
        action = Action(vendor=owner, kpi=kpi, period=period, due=_default_due(period))
        record = {"note": NO_LONGER_IN_BREACH, **stored.records.get(key, {})}
        action = _apply(action, record)
        perf = vendors[owner]
        actions = sorted((*perf.actions, action), key=lambda a: (a.period.ordinal, a.kpi))
        vendors[owner] = replace(perf, actions=tuple(actions))
    return replace(result, vendors=vendors)


def _default_due(period: Period) -> date:
    return period_end(period) + timedelta(days=ACTION_DUE_DAYS)


def _apply(action: Action, record: dict[str, Any]) -> Action:
    changes: dict[str, Any] = {}
    for name in ("owner", "status", "note"):
        if record.get(name) is not None:
            changes[name] = str(record[name])
    for name in ("due", "closed"):
        if name in record:
            value = record[name]
            changes[name] = date.fromisoformat(value) if value else None
    if changes.get("due") is None:
        changes.pop("due", None)
    return replace(action, **changes)


def _stored(s: Session, project: Project) -> Stored:
    return fold(q.events(s, project.id, MONITOR_EVENTS))


def project_monitoring(actor: Actor, db: Database, name: str) -> Monitoring:
    """The decided project's monitoring: its awarded vendor's scored periods, trend,
    actions and promised vs delivered."""
    with db.read() as s:
        project = find(s, name, actor=actor)
        resource = Resource(project.name, project.status, team_of(s, project))
        require(actor, Access.READ_PERFORMANCE, resource)
        answers = can(actor, Access.READ_WORKBOOK, resource)
        return _monitoring(s, project, _stored(s, project), promises=answers)


def template_for(actor: Actor, db: Database, name: str) -> tuple[list[str], list[Kpi]]:
    """The vendors and KPIs a decided project's monitoring template is pre-filled with:
    the awarded vendor, and the project's stored KPIs (or, before the first import, the
    KPIs proposed from the decided workbook's service-level criteria with the vendor's own
    answers as targets, :func:`~vendor_eval.monitoring.proposals.propose_kpis`)."""
    from vendor_eval.monitoring.proposals import propose_kpis

    with db.read() as s:
        project = find(s, name, actor=actor)
        resource = Resource(project.name, project.status, team_of(s, project))
        require(actor, Access.MONITOR, resource)  # its targets are the vendor's answers
        awarded = _awarded(s, project)
        stored = _stored(s, project)
        if stored.kpis:
            return awarded, list(stored.kpis)
        evaluation = _decided_evaluation(s, project)
        kpis = [k for vendor in awarded for k in propose_kpis(evaluation, vendor)]
        return awarded, kpis


# -- importing results -----------------------------------------------------------------------
@dataclass(frozen=True)
class ImportSummary:
    """What one import stored."""

    file: str
    periods: tuple[str, ...]
    replaced: tuple[str, ...]
    results: int
    opened: tuple[Action, ...]
    warnings: tuple[Problem, ...] = ()


def _read(
    source: str | Path | bytes, file_name: str | None, awarded: Sequence[str], sandbox: bool
) -> MonitoringBook:
    from vendor_eval.monitoring.reading import read_monitoring

    return read_monitoring(source, file_name, awarded=awarded, sandbox=sandbox)


def _prepared(
    s: Session, project: Project, book: MonitoringBook
) -> tuple[dict[str, Any], Monitoring, ImportSummary]:
    """The import event's details, the monitoring as it would stand after it, and what it
    changes; refused (:class:`ValidationError`) on a problem only the project can see."""
    problems = _criteria_problems(s, project, book.kpis, book.file)
    stored = _stored(s, project)
    if stored.kind is not None and book.kind is not None and book.kind is not stored.kind:
        problems.append(
            Problem(
                f"{project.name}'s results are by {stored.kind.value}; this workbook's are "
                f"by {book.kind.value}: keep one kind of period in a project",
                sheet="Performance",
                file=book.file,
                code=Code.MIXED_PERIODS,
            )
        )
    if problems:
        raise ValidationError(problems)
    before = {a.key for a in _monitoring(s, project, stored).actions} | set(stored.opened)
    periods = _periods_json(book)
    kind = book.kind or stored.kind
    stored_labels = {Period(kind, o).label for o in stored.periods} if kind else set()
    details: dict[str, Any] = {
        "file": book.file,
        "sha256": book.sha256,
        "kind": kind.value if kind else None,
        "kpis": [_kpi_json(k) for k in book.kpis],
        "standings": [[b.name, b.minimum] for b in book.standings],
        "periods": periods,
        "vendors": list(book.vendors),
        "replaced": sorted(label for label in periods if label in stored_labels),
    }
    result = _monitoring(s, project, _fold_with(stored, details))
    new = tuple(a for a in result.actions if a.key not in before)
    details["opened"] = [[a.vendor, a.kpi, a.period.label] for a in new]
    summary = ImportSummary(
        book.file,
        tuple(periods),
        tuple(details["replaced"]),
        len(book.results),
        new,
        book.warnings,
    )
    return details, result, summary


def _awarded_of(db: Database, actor: Actor, name: str) -> list[str]:
    with db.read() as s:
        return _awarded(s, find(s, name, actor=actor))


def import_results(
    actor: Actor,
    db: Database,
    name: str,
    source: str | Path | bytes,
    *,
    file_name: str | None = None,
    base_version: int | None = None,
    sandbox: bool = True,
) -> ImportSummary:
    """Store a monitoring workbook's KPIs, standings and results in the decided project
    ``name``: each period it holds replaces that period's stored results; the KPIs and
    standings replace the project's. Refused whole (nothing stored) on any error."""
    precheck(db, actor, name, base_version, action=Access.MONITOR)
    book = _read(source, file_name, _awarded_of(db, actor, name), sandbox)
    with writing(db, name) as s:
        project, _team = opened(s, actor, name, base_version, action=Access.MONITOR)
        details, _result, summary = _prepared(s, project, book)
        append_event(s, project.id, actor.name, "monitor-import", book.file, details)
        return summary


def preview_results(
    actor: Actor,
    db: Database,
    name: str,
    source: str | Path | bytes,
    *,
    file_name: str | None = None,
    sandbox: bool = True,
) -> tuple[Monitoring, ImportSummary]:
    """The project's monitoring as it would stand with the workbook imported, without
    storing anything (``monitor WORKBOOK --project NAME``; the dashboard's check before
    the import). Needs the right to import (it shows the vendor's selection answers)."""
    with db.read() as s:
        project = find(s, name, actor=actor)
        resource = Resource(project.name, project.status, team_of(s, project))
        require(actor, Access.MONITOR, resource)  # a check of an import to come
        awarded = _awarded(s, project)
    book = _read(source, file_name, awarded, sandbox)
    with db.read() as s:
        project = find(s, name, actor=actor)
        _details, result, summary = _prepared(s, project, book)
        return result, summary


def _periods_json(book: MonitoringBook) -> dict[str, list[list[Any]]]:
    out: dict[str, list[list[Any]]] = {}
    if book.kind is None:
        return out
    frame = book.results.sort_values(["period", "row"], kind="stable")
    for ordinal, vendor, kpi, actual, comment in zip(
        frame["period"].tolist(), frame["vendor"].tolist(), frame["kpi"].tolist(),
        frame["actual"].tolist(), frame["comment"].tolist(), strict=True,
    ):  # fmt: skip
        label = Period(book.kind, int(ordinal)).label
        out.setdefault(label, []).append([vendor, kpi, float(actual), str(comment or "")])
    return out


def _fold_with(stored: Stored, details: dict[str, Any]) -> Stored:
    copy = Stored(
        stored.kpis, stored.standings, stored.kind, dict(stored.periods), list(stored.files),
        dict(stored.opened), {k: dict(v) for k, v in stored.records.items()},
    )  # fmt: skip
    _see_import(copy, details, "", "")
    return copy


# -- corrective actions ----------------------------------------------------------------------
def _date(value: str | date | None, what: str) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value.isoformat()
    try:
        return date.fromisoformat(str(value).strip()).isoformat()
    except ValueError:
        raise ProjectError(
            f"{quoted(str(value))} is not a {what} date: write it as YYYY-MM-DD"
        ) from None


def _find_action(
    result: Monitoring, kpi: str, period: str, vendor: str | None, project: str
) -> Action:
    actions = result.actions
    wanted = Period.parse(str(period))
    found = [
        a for a in actions
        if name_key(a.kpi) == name_key(kpi)
        and wanted is not None and a.period == wanted
        and (vendor is None or name_key(a.vendor) == name_key(vendor))
    ]  # fmt: skip
    if len(found) == 1:
        return found[0]
    known = "; ".join(f"{a.kpi} {a.period.label} ({a.vendor})" for a in actions) or "none yet"
    if not found:
        raise ProjectError(
            f"{project} has no corrective action for {quoted(str(kpi).strip())} opened in "
            f"{quoted(str(period).strip())} (actions: {known})"
        )
    raise ProjectError(f"more than one vendor has that action: say which with the vendor ({known})")


def update_action(
    actor: Actor,
    db: Database,
    name: str,
    kpi: str,
    period: str,
    *,
    vendor: str | None = None,
    owner: str | None = None,
    due: str | date | None = None,
    status: str | None = None,
    closed: str | date | None = None,
    note: str | None = None,
    base_version: int | None = None,
) -> Action:
    """Change one corrective action (the one ``kpi`` opened in ``period``): its owner, due
    date, status (:data:`ACTION_STATUSES`), closed date or note. Closing it without a
    closed date closes it today; moving it back to open or in progress clears the closed
    date. Returns the action as it now stands."""
    precheck(db, actor, name, base_version, action=Access.MANAGE_ACTIONS)
    changes: dict[str, Any] = {}
    if owner is not None:  # empty: no owner
        changes["owner"] = clean_name(owner, "the owner") if str(owner).strip() else ""
    if note is not None:  # empty: no note
        changes["note"] = clean_text(note, "the note") if str(note).strip() else ""
    if due is not None:
        changes["due"] = _date(due, "due")
        if changes["due"] is None:
            raise ProjectError("a corrective action needs a due date: write it as YYYY-MM-DD")
    if status is not None:
        wanted = str(status).strip().lower()
        if wanted not in ACTION_STATUSES:
            raise ProjectError(
                f"{quoted(str(status))} is not a status: use {', '.join(ACTION_STATUSES)}"
            )
        changes["status"] = wanted
    if closed is not None:
        changes["closed"] = _date(closed, "closed")
    if not changes:
        raise ProjectError(
            "nothing to change: give an owner, due date, status, closed date or note"
        )
    with writing(db, name) as s:
        project, _team = opened(s, actor, name, base_version, action=Access.MANAGE_ACTIONS)
        stored = _stored(s, project)
        action = _find_action(_monitoring(s, project, stored), kpi, period, vendor, project.name)
        status_after = changes.get("status", action.status)
        if status_after == "closed":
            if not changes.get("closed"):
                kept = action.closed.isoformat() if action.closed else None
                changes["closed"] = kept or date.today().isoformat()
            if date.fromisoformat(changes["closed"]) > date.today():
                raise ProjectError(
                    f"closed {changes['closed']} is in the future: give the day it was closed"
                )
            opened_on = period_end(action.period.shifted(-1)) + timedelta(days=1)
            if date.fromisoformat(changes["closed"]) < opened_on:
                raise ProjectError(
                    f"closed {changes['closed']} is before the period that opened the action "
                    f"({action.period.label})"
                )
        elif changes.get("closed"):
            raise ProjectError(
                "a closed date is for a closed action: give the status closed too "
                f"(it is {status_after})"
            )
        elif "status" in changes:
            changes["closed"] = None  # reopened
        details = {
            "vendor": action.vendor,
            "kpi": action.kpi,
            "period": action.period.label,
            **changes,
        }
        append_event(
            s, project.id, actor.name, "action-update",
            f"{action.vendor} / {action.kpi} / {action.period.label}", details,
        )  # fmt: skip
        return _apply(action, changes)
