"""``db backup FILE`` and ``db restore FILE``: every project in one portable zip archive
(docs/projects.md §7; the format and its checks are :mod:`vendor_eval.store.backup_format`).

:func:`backup` reads every project in one read transaction (one consistent state; on
PostgreSQL ``REPEATABLE READ``), checks each one with :func:`vendor_eval.store.integrity.check`
— the check ``project verify`` runs: chain, head and every row against its log, the workbook
bytes included — so that no archive is written that restore would refuse or that holds a
project verify rejects (it is refused by name, with verify's sentence), and writes the zip
to a temporary file beside ``FILE``, renamed over it only once complete and flushed to disk:
a failed backup never leaves half a file.

:func:`restore` first checks the whole archive (every member against its SHA-256, every
document, every project with the same integrity check), then the target: it must hold no
project (a database without tables gets them first). The rows are then written in one
transaction, and each project is checked again in the database, as ``project verify`` will
check it, before it commits. Ids are the new database's own; times (to the microsecond),
texts, hashes and workbook bytes come back exactly.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import tempfile
import zipfile
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Engine, Table, exc, func, insert, select, text
from sqlalchemy.orm import Session

from vendor_eval.core.problems import VendorEvalError
from vendor_eval.store import queries as q
from vendor_eval.store.audit import format_time
from vendor_eval.store.backup_archive import Reader
from vendor_eval.store.backup_format import (
    ADDED,
    COLUMNS,
    FORMAT,
    FORMAT_VERSION,
    LIMITS,
    MANIFEST,
    Damaged,
    Totals,
    check_project,
    load_json,
    parse_time,
    project_member,
    version_member,
)
from vendor_eval.store.backup_summary import BackupSummary, count
from vendor_eval.store.database import Database
from vendor_eval.store.engine import sqlite_path
from vendor_eval.store.integrity import check
from vendor_eval.store.models import (
    Decision,
    Event,
    Goal,
    Project,
    Scenario,
    WorkbookVersion,
    utc_now,
)
from vendor_eval.store.schema import check_schema, current_revision, head_revision, upgrade
from vendor_eval.store.schema import known_revisions as _known
from vendor_eval.workbook.schema import name_key

__all__ = ["BackupSummary", "backup", "restore"]

_EVENT_BATCH = 5000
_TIMES = frozenset({"created_at", "time", "reopened_at"})
_MODELS: dict[str, Any] = {
    "goals": Goal,
    "versions": WorkbookVersion,
    "scenarios": Scenario,
    "decisions": Decision,
    "events": Event,
}
_ORDER = {"goals": "position", "versions": "seq", "scenarios": "name_key", "decisions": "seq",
          "events": "seq"}  # fmt: skip


def _database(db: Database | Engine) -> Database:
    return db if isinstance(db, Database) else Database(db)


def _summary(action: str, path: Path, database: Database, totals: Totals) -> BackupSummary:
    return BackupSummary(action, path, database.url_text, totals.projects, totals.versions,
                         totals.events, path.stat().st_size)  # fmt: skip


# -- backup ------------------------------------------------------------------------------------
def backup(db: Database | Engine, path: str | Path) -> BackupSummary:
    """Write every project of ``db`` to the zip archive ``path`` (replaced if it exists,
    readable by its owner only).

    Raises
    ------
    VendorEvalError
        The schema is not this code's, a project does not verify, or the file cannot be
        written (one sentence naming it; the temporary file is removed).
    """
    database = _database(db)
    target = Path(path)
    _check_target(target, database)
    check_schema(database.engine)
    totals, files = Totals(), dict[str, str]()
    try:
        fd, tmp_name = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.name}.", suffix=".partial"
        )
    except OSError as e:
        raise _unwritable(target, e) from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as raw:
            with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as zf:
                with database.read() as s:  # one state of the database throughout
                    ids = s.scalars(select(Project.id).order_by(Project.name_key)).all()
                    for n, pid in enumerate(ids, start=1):
                        _write_project(s, zf, n, pid, files, totals, database)
                manifest = {"format": FORMAT, "format_version": FORMAT_VERSION,
                            "schema": head_revision(), "created_at": format_time(utc_now()),
                            "projects": totals.projects, "versions": totals.versions,
                            "events": totals.events, "files": files}  # fmt: skip
                zf.writestr(MANIFEST, _json_bytes(manifest))
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(tmp, target)
    except OSError as e:
        tmp.unlink(missing_ok=True)
        raise _unwritable(target, e) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return _summary("backup", target, database, totals)


def _unwritable(target: Path, e: OSError) -> VendorEvalError:
    if not target.parent.exists():
        return VendorEvalError(
            f"cannot write the backup {target}: the folder {target.parent} does not exist"
        )
    return VendorEvalError(f"cannot write the backup {target}: {e.strerror or e}")


def _check_target(target: Path, database: Database) -> None:
    """Not a folder, not an existing file that is not a regular one, and not the SQLite
    database (or its journal) being backed up."""
    if target.is_dir():
        raise VendorEvalError(f"cannot write the backup {target}: it is a folder")
    try:
        mode = target.lstat().st_mode
    except OSError:  # nothing there (or nothing to see): writing says what is wrong
        mode = None
    # the archive is renamed over the target: never over a FIFO or a device (a link is
    # replaced itself, not what it points to)
    if mode is not None and not (stat.S_ISREG(mode) or stat.S_ISLNK(mode)):
        raise VendorEvalError(
            f"cannot write the backup {target}: it exists and is not a regular file "
            "(a pipe, socket or device)"
        )
    db_file = sqlite_path(database.engine.url)
    if db_file is not None:
        here = target.resolve()
        for suffix in ("", "-wal", "-shm", "-journal"):
            if here == Path(f"{db_file}{suffix}").resolve():
                raise VendorEvalError(
                    f"cannot write the backup {target}: it is the database file itself "
                    "(choose another file name)"
                )


def _rows(s: Session, key: str, pid: int) -> list[dict[str, Any]]:
    """A project's rows of one table as document rows (times as text)."""
    model, names = _MODELS[key], COLUMNS[key]
    query = (
        select(*(getattr(model, c) for c in names))
        .where(model.project_id == pid)
        .order_by(getattr(model, _ORDER[key]))
        .execution_options(yield_per=2000)
    )
    return [
        {
            c: format_time(v) if c in _TIMES and v is not None else v
            for c, v in zip(names, row, strict=True)
        }
        for row in s.execute(query)
    ]


def _write_project(
    s: Session,
    zf: zipfile.ZipFile,
    n: int,
    pid: int,
    files: dict[str, str],
    totals: Totals,
    database: Database,
) -> None:
    """Add project ``pid`` as ``projects/<n>.json``, and its workbooks not yet added."""
    row = s.execute(
        select(*(getattr(Project, c) for c in COLUMNS["project"])).where(Project.id == pid)
    ).one()
    doc: dict[str, Any] = dict(zip(COLUMNS["project"], row, strict=True))
    doc["created_at"] = format_time(doc["created_at"])
    for key in _MODELS:
        doc[key] = _rows(s, key, pid)
    refused = f"the database {database.url_text} cannot be backed up"
    data_sha256: dict[int, str] = {}
    for v in doc["versions"]:  # every version's bytes hashed, one in memory at a time
        blob = s.scalar(
            select(WorkbookVersion.data).where(
                WorkbookVersion.project_id == pid, WorkbookVersion.seq == v["seq"]
            )
        )
        data_sha256[v["seq"]] = actual = hashlib.sha256(blob or b"").hexdigest()
        member = version_member(v["sha256"])
        if actual == v["sha256"] and member not in files:  # the same workbook again: once
            zf.writestr(member, blob or b"")
            files[member] = actual
    try:  # the check project verify runs (a damaged workbook was not written: refused here)
        name, shas, events = check_project(doc, data_sha256)
    except Damaged as e:
        raise VendorEvalError(f"{refused}: {e}: see `vendor-eval project verify`") from None
    data = _json_bytes(doc)
    if len(data) > LIMITS["project"]:
        raise VendorEvalError(f"{refused}: project {name!r} is too large for one backup document")
    zf.writestr(project_member(n), data)
    files[project_member(n)] = hashlib.sha256(data).hexdigest()
    totals.add(len(shas), events)


def _json_bytes(obj: object) -> bytes:
    # compact: the C encoder (an indent would take the pure-Python one, ten times slower)
    text = json.dumps(obj, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return text.encode("utf-8")


# -- restore -----------------------------------------------------------------------------------
def restore(db: Database | Engine, path: str | Path) -> BackupSummary:
    """Read the archive ``path`` into ``db``, which must hold no project.

    Open ``db`` with ``open_database(url, check=False)``: a database without tables gets
    them here (once the archive is checked); an older or newer schema is refused with
    :func:`~vendor_eval.store.schema.check_schema`'s sentence.

    Raises
    ------
    VendorEvalError
        The archive is not a backup, is damaged or newer than this code; the database holds
        projects or fails (one sentence; no project is written).
    """
    database = _database(db)
    source = Path(path)
    with Reader(source) as archive:
        manifest = archive.manifest(_known(), head_revision())
        totals = _check_archive(archive, manifest)
        if _needs_tables(database):
            upgrade(database.engine)
        try:
            with database.write() as s:
                if database.backend == "postgresql":  # no other writer until this commits
                    s.execute(text("LOCK TABLE projects IN EXCLUSIVE MODE"))
                _refuse_projects(s, database)
                for n in range(1, totals.projects + 1):
                    _insert_project(s, archive, manifest["files"], n)
        except exc.IntegrityError as e:  # pragma: no cover - the checks above come first
            first = str(e.orig).strip().splitlines()[0]
            raise VendorEvalError(
                f"the backup {source} cannot be restored into {database.url_text}: {first}"
            ) from None
    return _summary("restore", source, database, totals)


def _document(archive: Reader, member: str, sha256: str) -> Any:
    try:
        return load_json(archive.read(member, "project", sha256), member)
    except Damaged as e:
        raise archive.damaged(str(e)) from None


def _check_archive(archive: Reader, manifest: dict[str, Any]) -> Totals:
    """Every member against its SHA-256, every document and chain: nothing written yet."""
    files: dict[str, str] = manifest["files"]
    totals = Totals()
    sizes: dict[str, set[int]] = {}
    names: set[str] = set()
    for n in range(1, manifest["projects"] + 1):
        member = project_member(n)
        doc = _document(archive, member, files[member])
        try:
            name, shas, events = check_project(doc)
        except Damaged as e:
            raise archive.damaged(f"{member}: {e}") from None
        if name_key(name) in names:
            raise archive.damaged(f"two projects are named {name!r}")
        names.add(name_key(name))
        for sha, v in zip(shas, doc["versions"], strict=True):
            blob = version_member(sha)
            if blob not in files:
                raise archive.damaged(f"project {name!r} needs {blob}, which is missing")
            sizes.setdefault(blob, set()).add(v["size"])
        totals.add(len(shas), events)
    unused = sorted(m for m in files if m.startswith("versions/") and m not in sizes)
    if unused:
        raise archive.damaged(f"{MANIFEST} lists {unused[0]}, which no project uses")
    for blob, declared in sorted(sizes.items()):
        size = archive.check_hash(blob, "version", files[blob])
        if declared != {size}:
            raise archive.damaged(f"{blob} holds {size} bytes, not the size its versions give")
    for key in ("versions", "events"):
        if manifest[key] != getattr(totals, key):
            raise archive.damaged(
                f"{MANIFEST} counts {manifest[key]} {key}, the projects hold {getattr(totals, key)}"
            )
    return totals


def _needs_tables(database: Database) -> bool:
    """Whether the database has no tables yet; refuses one holding projects or whose schema
    is not this code's."""
    if current_revision(database.engine) is None:
        return True
    check_schema(database.engine)
    with database.read() as s:
        _refuse_projects(s, database)
    return False


def _refuse_projects(s: Session, database: Database) -> None:
    n = s.scalar(select(func.count()).select_from(Project)) or 0
    if n:
        raise VendorEvalError(
            f"the database {database.url_text} already holds {count(n, 'project')}: restore "
            "needs an empty database"
        )


def _insert_project(s: Session, archive: Reader, files: dict[str, str], n: int) -> None:
    """Write ``projects/<n>.json`` (checked by :func:`_check_archive`) and verify it."""
    doc = _document(archive, project_member(n), files[project_member(n)])
    values = _values(doc, "project")
    # Core, not the ORM: the ORM numbers a new row's version 1; it is restored as it was.
    result = s.connection().execute(insert(cast(Table, Project.__table__)).values(**values))
    key = result.inserted_primary_key
    assert key is not None
    pid = key[0]
    for name, model in _MODELS.items():
        rows = [{**_values(r, name), "project_id": pid} for r in doc[name]]
        if name == "versions":
            for r in rows:  # one workbook in memory at a time
                r["data"] = archive.read(version_member(r["sha256"]), "version", r["sha256"])
                s.execute(insert(model), [r])
        else:
            for i in range(0, len(rows), _EVENT_BATCH):
                s.execute(insert(model), rows[i : i + _EVENT_BATCH])
    project = s.get(Project, pid)
    assert project is not None
    problem = check(q.integrity_rows(s, project)).problem  # what project verify will say
    if problem is not None:  # pragma: no cover - the document was checked; a backstop
        raise archive.damaged(f"{project_member(n)}: project {doc['name']!r}: {problem.message}")


def _values(row: dict[str, Any], key: str) -> dict[str, Any]:
    """A document row's columns (only those; one added since the document's schema as
    :data:`~vendor_eval.store.backup_format.ADDED` says), times as datetimes, name keys
    recomputed."""
    added = ADDED.get(key, {})
    out = {c: (row.get(c) or added[c]) if c in added else row[c] for c in COLUMNS[key]}
    for c in _TIMES & out.keys():
        if out[c] is not None:
            out[c] = parse_time(out[c], c)
    if "name_key" in out:
        out["name_key"] = name_key(out["name"])
    return out
