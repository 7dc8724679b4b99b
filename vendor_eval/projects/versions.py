"""Workbook versions: importing one (validated before anything is written) and loading the
evaluation a project's version holds.

Every import is stored whole: the bytes, the file name, their SHA-256 and size, who and
when, and the decimal separator its CSV numbers were read with (``auto``: decided from the
file; ``comma`` or ``point``: ``project import --decimal``, docs/workbook-format.md §7.1),
with which the version is read again every time. The newest version is the current one.
Importing the same bytes again is allowed and is a new version.
"""

from __future__ import annotations

import copy
import hashlib
import os
import stat
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

from vendor_eval.core.model import Evaluation
from vendor_eval.core.problems import VendorEvalError
from vendor_eval.projects.actor import Actor
from vendor_eval.projects.errors import ProjectError, quoted
from vendor_eval.projects.rules import (
    authorize,
    find,
    open_for_write,
    settings_chosen,
    settings_of,
    team_of,
    writing,
)
from vendor_eval.projects.views import ScenarioView, VersionView
from vendor_eval.store import queries as q
from vendor_eval.store.audit import append_event
from vendor_eval.store.database import Database, Session
from vendor_eval.store.models import Project
from vendor_eval.stress.scenarios import Scenario
from vendor_eval.team.access import Action
from vendor_eval.team.panel import apply_panel, panel_warnings
from vendor_eval.team.state import Team
from vendor_eval.workbook.importing.decimal import DECIMAL_CHOICES
from vendor_eval.workbook.importing.load import load_evaluation
from vendor_eval.workbook.reading.zipguard import DEFAULT_LIMITS
from vendor_eval.workbook.schema import name_key
from vendor_eval.workbook.text_rules import clean_file_name

#: The file name an upload without one is stored under.
UPLOAD_NAME = "upload.xlsx"


@dataclass(frozen=True)
class Snapshot:
    """What one read transaction saw of a project: enough to score it without the database.

    ``workbook`` and ``data`` are None when the project has no version yet.
    """

    name: str
    status: str
    version: int
    goals: list[str]
    settings: dict[str, str | None]
    scenarios: dict[str, ScenarioView]
    workbook: VersionView | None
    data: bytes | None
    team: Team = field(default_factory=Team)
    #: The settings the project's record holds, not filled in by default
    #: (:func:`~vendor_eval.projects.rules.settings_chosen`).
    chosen: frozenset[str] = frozenset()

    def workbook_evaluation(self, consensus: str | None = None) -> Evaluation:
        """The stored workbook, validated again (as ``rank FILE`` reads a file; panel
        criteria without scores accepted), without the panel's scores."""
        if self.workbook is None or self.data is None:
            raise no_version(self.name)
        how = consensus or self.settings["consensus"] or "mean"
        book = self.workbook
        return _stored_evaluation(self.data, book.sha256, book.file_name, how, book.decimal)

    def evaluation(self, consensus: str | None = None) -> Evaluation:
        """The stored workbook with the panel's consensus as the panel criteria's values
        (:func:`vendor_eval.team.panel.apply_panel`)."""
        return panel_warnings(apply_panel(self.workbook_evaluation(consensus), self.team))

    def scenario(self, name: str | None) -> Scenario | None:
        """The saved scenario ``name`` (None: the active one from the settings; ``""``: none,
        the workbook's own weights)."""
        chosen = self.settings["scenario"] if name is None else name
        if not chosen:
            return None
        found = self.scenarios.get(name_key(chosen))
        if found is None:
            known = ", ".join(v.name for v in self.scenarios.values())
            raise ProjectError(
                f"{self.name} has no scenario named {quoted(chosen.strip())} "
                f"({'scenarios: ' + known if known else 'no scenarios saved'})"
            )
        return found.scenario()

    def weighted(self, scenario: str | None = None, consensus: str | None = None) -> Evaluation:
        """The evaluation with the scenario's weights applied (see :meth:`scenario`)."""
        evaluation = self.evaluation(consensus)
        chosen = self.scenario(scenario)
        return evaluation if chosen is None else chosen.apply(evaluation)


#: Stored workbooks read in this process, by (SHA-256, file name, consensus, decimal
#: separator): a version's bytes never change, and one service call may need its evaluation
#: several times.
_READ: OrderedDict[tuple[str, str, str, str], Evaluation] = OrderedDict()
_READ_MAX = 8
_READ_LOCK = threading.Lock()


def _stored_evaluation(
    data: bytes, sha256: str, file_name: str, consensus: str, decimal: str = "auto"
) -> Evaluation:
    """The stored workbook validated (panel criteria accepted) with the decimal separator
    it was imported with, read once per process and handed out as a copy (callers may
    change what they get)."""
    key = (sha256, file_name, consensus, decimal)
    with _READ_LOCK:
        cached = _READ.get(key)
        if cached is not None:
            _READ.move_to_end(key)
    if cached is None:
        fresh = load_evaluation(
            data, name=file_name, consensus=consensus, panel=True, decimal=decimal
        )
        if hashlib.sha256(data).hexdigest() != sha256:  # read what is stored, not a cache
            return fresh
        cached = fresh
        with _READ_LOCK:
            _READ[key] = cached
            while len(_READ) > _READ_MAX:
                _READ.popitem(last=False)
    return copy.deepcopy(cached)


def no_version(name: str) -> ProjectError:
    return ProjectError(f"{name} has no workbook yet: import one first")


def snapshot(
    s: Session, project: Project, seq: int | None = None, *, data: bool = True
) -> Snapshot:
    """The project as this transaction sees it; version ``seq`` (default the newest), its
    bytes loaded only with ``data``."""
    if data:
        row = q.version_data(s, project.id, seq)
    else:
        rows = q.versions(s, project.id)
        row = rows[-1] if rows and seq is None else next((r for r in rows if r.seq == seq), None)
    if row is None and seq is not None:
        seqs = [v.seq for v in q.versions(s, project.id)]
        known = f"versions {seqs[0]}–{seqs[-1]}" if seqs else "no versions yet"
        raise ProjectError(f"{project.name} has no version {seq} ({known})")
    return Snapshot(
        name=project.name,
        status=project.status,
        version=project.version,
        goals=[g.text for g in project.goals],
        settings=settings_of(project),
        chosen=settings_chosen(project),
        scenarios={r.name_key: ScenarioView.of(r) for r in q.scenarios(s, project.id)},
        workbook=None if row is None else VersionView.of(row),
        data=row.data if (row is not None and data) else None,
        team=team_of(s, project),
    )


def read_snapshot(
    db: Database,
    actor: Actor,
    name: str,
    seq: int | None = None,
    *,
    action: Action = Action.READ_WORKBOOK,
) -> Snapshot:
    """:func:`snapshot` in its own read transaction, once the actor may take ``action``."""
    with db.read() as s:
        project = find(s, name, actor=actor)
        authorize(s, actor, project, action)
        return snapshot(s, project, seq)


def _source_bytes(source: str | Path | bytes, file_name: str | None) -> tuple[bytes, str]:
    """The bytes to store and their file name (as given, not yet cleaned); a path the
    importer cannot read is refused with the importer's own message, one that is not a
    regular file (a FIFO, a device: reading it could wait forever) with its own."""
    if isinstance(source, bytes | bytearray | memoryview):
        return bytes(source), (UPLOAD_NAME if file_name is None else file_name)
    path = Path(source)
    name = file_name or path.name or str(path)
    try:
        mode = path.stat().st_mode
        if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
            shown = os.fsencode(path).decode("utf-8", "replace")
            raise VendorEvalError(f"{shown} is not a regular file")
        if path.stat().st_size <= DEFAULT_LIMITS.max_file_bytes:  # never read a huge file whole
            with path.open("rb") as fh:
                return fh.read(DEFAULT_LIMITS.max_file_bytes + 1), name
    except OSError:
        pass
    load_evaluation(path, name=name)  # raises the importer's sentence for this file
    raise VendorEvalError(f"{name} could not be read")  # pragma: no cover - the line above raises


def stored_file_name(given: str) -> tuple[str, str | None]:
    """The file name stored for an upload called ``given``
    (:func:`~vendor_eval.workbook.text_rules.clean_file_name`: control and text-direction
    characters replaced by "?", trimmed, at most 255 characters) and, when it differs, the
    warning that says so (an upload is not refused over its name)."""
    stored = clean_file_name(given, UPLOAD_NAME)
    if stored == given:
        return stored, None
    return stored, (
        f"the file name was stored as {quoted(stored)}: control or text-direction "
        "characters replaced by '?', spaces trimmed, at most 255 characters kept"
    )


def import_workbook(
    actor: Actor,
    db: Database,
    name: str,
    source: str | Path | bytes,
    *,
    file_name: str | None = None,
    base_version: int | None = None,
    decimal: str = "auto",
) -> VersionView:
    """Store a new workbook version of the project.

    The file is validated with the importer first, outside any write transaction: an
    invalid workbook raises its :class:`~vendor_eval.core.problems.ValidationError` and
    writes nothing. Then, in one transaction, the version (bytes whole, SHA-256, size, file
    name, actor, UTC time, decimal separator) and its "import" event are written.

    ``decimal`` is how a CSV file writes decimals: ``"auto"`` (decided from the file; a
    semicolon file whose numbers cannot tell is refused, code ``ambiguous_decimal``),
    ``"comma"`` or ``"point"``. It is stored with the version, which is read with it again
    ever after; the import event records it when it is not ``"auto"``.
    """
    if decimal not in DECIMAL_CHOICES:
        allowed = ", ".join(DECIMAL_CHOICES)
        raise ProjectError(f"the decimal separator must be {allowed}, not {quoted(str(decimal))}")
    with db.read() as s:  # refuse early: unknown project, stale version, decided
        project = open_for_write(s, actor, name, base_version, lock=False)
        consensus = settings_of(project)["consensus"] or "mean"
    data, given_name = _source_bytes(source, file_name)
    stored_name, renamed = stored_file_name(given_name)
    evaluation = load_evaluation(
        data, name=stored_name, consensus=consensus, panel=True, decimal=decimal
    )
    with writing(db, name) as s:
        project = open_for_write(s, actor, name, base_version)
        row = q.add_version(
            s, project.id, file_name=stored_name, data=data, actor=actor.name, decimal=decimal
        )
        details: dict[str, object] = {
            "version": row.seq,
            "file_name": stored_name,
            "sha256": hashlib.sha256(data).hexdigest(),
            "size": len(data),
            "vendors": len(evaluation.vendors),
            "criteria": len(evaluation.criteria),
        }
        if decimal != "auto":  # an automatic import's event is as it always was
            details["decimal"] = decimal
        append_event(s, project.id, actor.name, "import", stored_name, details, time=row.created_at)
        warnings = tuple(str(w) for w in panel_warnings(evaluation).warnings)
        return VersionView.of(row, warnings if renamed is None else (renamed, *warnings))


def current_evaluation(
    actor: Actor, db: Database, name: str, *, version: int | None = None
) -> tuple[Evaluation, VersionView]:
    """The evaluation a version holds (default the current one), read from its stored bytes
    with the project's consensus setting, and that version."""
    snap = read_snapshot(db, actor, name, version)
    evaluation = snap.evaluation()
    assert snap.workbook is not None  # evaluation() refuses a project without a version
    return evaluation, snap.workbook
