"""Shared by tests/team/test_team_access.py: the team project every access case runs on,
built up to each status, and cheap copies of it (a SQLite backup, a PostgreSQL database
made from a template) so an allowed write never changes what the next case sees."""

from __future__ import annotations

import io
import pickle
import shutil
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
from pg_helpers import drop_database
from projects.projects_helpers import counts, migrated, scalar, xlsx
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url

from vendor_eval.output.excel.scoresheet import write_issued
from vendor_eval.projects import (
    Actor,
    create_project,
    decide,
    import_workbook,
    save_scenario,
    set_status,
)
from vendor_eval.store.database import Database, open_database
from vendor_eval.stress.scenarios import Scenario
from vendor_eval.team import members, moderation, scoring, sheets
from vendor_eval.team.scoring import SheetRow
from vendor_eval.team.state import EVALUATOR, OBSERVER, OWNER
from vendor_eval.workbook.reading import book, sandbox

P = "Tender"
SECRET = "s" * 40  # VENDOR_EVAL_SECRET_KEY: score sheets on PostgreSQL need one
DRAFT, SCORING, MODERATION, DECIDED = "draft", "scoring", "moderation", "decided"
STATUSES = (DRAFT, SCORING, MODERATION, DECIDED)

#: Quality is the panel criterion (absolute 1–5, no Vendors column); Price a normal one.
BOOK = xlsx({
    "Vendors": [["Vendor", "Price"], ["Acme", 100], ["Globex", 120]],
    "Criteria": [
        ["Criterion", "Category", "Weight", "Direction", "Scale", "Min", "Max"],
        ["Price", "Cost", 1, "lower", "relative", None, None],
        ["Quality", "Capability", 1, "higher", "absolute", 1, 5],
    ],
})  # fmt: skip

LEAD = Actor("lead")  # the creator, a local actor: owner
OWN = Actor("own@x.org", signed_in=True)  # a signed-in owner member
ANA = Actor("ana@x.org", signed_in=True)
BO = Actor("bo@x.org", signed_in=True)
ANA_LOCAL = Actor("ana@x.org")  # the command line, named like an evaluator: acts as her
OBS = Actor("obs@x.org", signed_in=True)
OUT = Actor("out@x.org", signed_in=True)  # signed in, a member of nothing
#: Who acts in the table, and the role docs/team.md §1 gives them (None: no role).
ACTORS: dict[str, tuple[Actor, str | None]] = {
    "lead": (LEAD, OWNER),
    "own": (OWN, OWNER),
    "ana": (ANA, EVALUATOR),
    "ana_local": (ANA_LOCAL, EVALUATOR),
    "obs": (OBS, OBSERVER),
    "out": (OUT, None),
}
NO_CONFLICT = [("Acme", False, ""), ("Globex", False, "")]
#: A submission of ana's whole sheet (5 is the top of the scale: a comment is required).
ANA_SCORES = [SheetRow("Acme", "Quality", 5, "great"), SheetRow("Globex", "Quality", 3, "")]
BO_SCORES = [SheetRow("Acme", "Quality", 2, "")]  # bo declared a conflict with Globex


@contextmanager
def remembered_reads() -> Iterator[None]:
    """Read each distinct file once in the sandboxed child, then hand out copies of what it
    returned: the table reads the same workbook and sheets thousands of times, and what is
    tested here is who may read them, not the reader (tests/workbook/reading test that)."""
    seen: dict[tuple[object, ...], bytes] = {}

    def read(data: bytes, name: str, sha256: str = "", kind_hint: str | None = None,
             limits: object = None) -> object:  # fmt: skip
        key = (sha256 or data, name, kind_hint, repr(limits))
        if key not in seen:
            raw = sandbox.read_in_child(data, name, sha256, kind_hint, limits)  # type: ignore[arg-type]
            seen[key] = pickle.dumps(raw)
        return pickle.loads(seen[key])

    original = getattr(book, "read_in_child")  # noqa: B009 - the name book.py calls
    setattr(book, "read_in_child", read)  # noqa: B010
    try:
        yield
    finally:
        setattr(book, "read_in_child", original)  # noqa: B010


# -- building the project, status by status -------------------------------------------------


def build_draft(db: Database) -> None:
    """The project in draft: the workbook, the members, a saved scenario "Alt" (not
    active), and both evaluators' declarations (bo has a conflict with Globex)."""
    create_project(LEAD, db, P)
    import_workbook(LEAD, db, P, BOOK, file_name="tender.xlsx")
    members.add_member(LEAD, db, P, "own@x.org", OWNER)
    members.add_member(LEAD, db, P, "ana@x.org", EVALUATOR)
    members.add_member(LEAD, db, P, "bo@x.org", EVALUATOR)
    members.add_member(LEAD, db, P, "obs@x.org", OBSERVER)
    save_scenario(LEAD, db, P, Scenario("Alt", {"Price": 2.0}, {}))
    scoring.declare(ANA, db, P, NO_CONFLICT)
    scoring.declare(BO, db, P, [("Acme", False, ""), ("Globex", True, "former employer")])


def to_scoring(db: Database) -> None:
    """In scoring: bo submitted his sheet, ana saved a draft only."""
    set_status(LEAD, db, P, SCORING)
    scoring.save_scores(BO, db, P, BO_SCORES, submit=True)
    scoring.save_scores(ANA, db, P, [SheetRow("Acme", "Quality", 4, "")])


def to_moderation(db: Database) -> None:
    """In moderation: both sheets submitted, one pair moderated."""
    scoring.save_scores(ANA, db, P, ANA_SCORES, submit=True)
    set_status(LEAD, db, P, MODERATION)
    moderation.moderate(LEAD, db, P, vendor="Acme", criterion="Quality", score=4, rationale="ok")


def to_decided(db: Database) -> None:
    decide(LEAD, db, P, "Acme", "best value", samples=20)


STEPS = {DRAFT: build_draft, SCORING: to_scoring, MODERATION: to_moderation, DECIDED: to_decided}


def filled_sheet(db: Database, email: str, scores: list[SheetRow]) -> bytes:
    """The evaluator's offline score sheet (made by the owner), filled in as returned."""
    data = write_issued(sheets.scoresheet(LEAD, db, P, email))
    book = openpyxl.load_workbook(io.BytesIO(data))
    ws = book["Scores"]
    wanted = {(r.vendor, r.criterion): r for r in scores}
    for row in range(2, ws.max_row + 1):
        given = wanted.get((str(ws.cell(row, 1).value), str(ws.cell(row, 2).value)))
        if given is not None:
            ws.cell(row, 3).value = given.score
            ws.cell(row, 4).value = given.comment or None
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def written(db: Database) -> dict[str, int]:
    """Rows per table, sign-in codes included: what a refused call leaves as it was."""
    return {**counts(db), "sign_in_codes": int(scalar(db, "SELECT COUNT(*) FROM sign_in_codes"))}


# -- databases and their copies --------------------------------------------------------------


@dataclass
class World:
    """The project in one status on one backend, and the returned sheets of both
    evaluators made for it (valid until their sheets change)."""

    backend: str
    status: str
    url: str
    db: Database
    files: dict[str, bytes] = field(default_factory=dict)


class Databases:
    """Fresh databases on one backend: SQLite files under a folder, or PostgreSQL
    databases on the test server (all dropped by :meth:`close`)."""

    def __init__(self, backend: str, folder: Path, postgres: str | None) -> None:
        self.backend, self.folder = backend, folder
        self.base: URL | None = None if postgres is None else make_url(postgres)
        self.admin = (
            None if self.base is None else create_engine(self.base, isolation_level="AUTOCOMMIT")
        )
        self.made: list[str] = []

    def _name(self) -> str:
        name = f"vendor_eval_t_{uuid.uuid4().hex[:16]}"
        self.made.append(name)
        return name

    def _url(self, name: str) -> str:
        if self.base is None:
            return f"sqlite:///{self.folder / (name + '.sqlite3')}"
        return self.base.set(database=name).render_as_string(hide_password=False)

    def _sql(self, sql: str) -> None:
        assert self.admin is not None
        with self.admin.connect() as conn:
            conn.execute(text(sql))

    def _version(self) -> int:
        assert self.admin is not None
        with self.admin.connect() as conn:
            return int(conn.execute(text("SHOW server_version_num")).scalar_one())

    def empty(self) -> str:
        """The URL of a new, empty database (not yet migrated)."""
        name = self._name()
        if self.base is not None:
            self._sql(f'CREATE DATABASE "{name}"')
        return self._url(name)

    def copy(self, world: World) -> str:
        """The URL of a new database holding what ``world``'s holds now."""
        name = self._name()
        if self.base is None:
            source = world.db.sqlite_path
            assert source is not None
            target = self.folder / f"{name}.sqlite3"
            with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
                src.backup(dst)
            return self._url(name)
        world.db.close()  # a template database may have no other session
        source_name = make_url(world.url).database
        # FILE_COPY (PostgreSQL 15+): a small database copied whole, far faster than logging
        # every block of it (the default), and dropped as fast
        strategy = " STRATEGY FILE_COPY" if self._version() >= 150000 else ""
        self._sql(f'CREATE DATABASE "{name}" TEMPLATE "{source_name}"{strategy}')
        return self._url(name)

    def drop(self, url: str) -> None:
        name = Path(make_url(url).database or "").name.removesuffix(".sqlite3")
        if self.base is None:
            for suffix in ("", "-wal", "-shm"):
                (self.folder / f"{name}.sqlite3{suffix}").unlink(missing_ok=True)
        else:
            assert self.admin is not None
            drop_database(self.admin, name)
        if name in self.made:
            self.made.remove(name)

    def close(self) -> None:
        for name in list(self.made):
            self.drop(self._url(name))
        if self.admin is not None:
            self.admin.dispose()
        shutil.rmtree(self.folder, ignore_errors=True)


class Worlds:
    """The project in every status on one backend, built once (one database walked
    through the statuses, copied at each) and rebuilt only if a case wrote to it."""

    def __init__(self, databases: Databases) -> None:
        self.databases = databases
        self.worlds: dict[str, World] = {}

    def get(self, status: str) -> World:
        if status not in self.worlds:
            self._build()
        return self.worlds[status]

    def _build(self) -> None:
        self.discard()
        url = self.databases.empty()
        with migrated(url) as db:
            walker = World(self.databases.backend, "", url, db)
            for status in STATUSES:
                STEPS[status](db)
                files = {
                    "ana": filled_sheet(db, "ana@x.org", ANA_SCORES),
                    "bo": filled_sheet(db, "bo@x.org", BO_SCORES),
                }
                copy = self.databases.copy(walker)
                self.worlds[status] = World(
                    self.databases.backend, status, copy, open_database(copy), files
                )
        self.databases.drop(url)

    def discard(self) -> None:
        """Forget every world (a case wrote where it must not have): the next is rebuilt."""
        for world in self.worlds.values():
            world.db.close()
            self.databases.drop(world.url)
        self.worlds.clear()

    @contextmanager
    def scratch(self, world: World) -> Iterator[Database]:
        """A throwaway copy of ``world``'s database, for a case allowed to write."""
        url = self.databases.copy(world)
        db = open_database(url)
        try:
            yield db
        finally:
            db.close()
            self.databases.drop(url)
