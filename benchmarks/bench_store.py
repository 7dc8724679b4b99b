"""Projects benchmark: importing into a project, ranking a project, history and verify.

Run: ``.venv/bin/python benchmarks/bench_store.py [--quick] [--postgres URL]``.

On SQLite (a file in a temporary folder) and, when a server is given (``--postgres URL`` or
``$VENDOR_EVAL_TEST_POSTGRES_URL``, a role that may CREATE DATABASE; a scratch database is
created and dropped), medians of N runs:

* **import**: ``import_workbook`` of the bundled sample and of a 1,000-vendor workbook (the
  sample's model, random values), against ``load_evaluation`` of the same file: the
  validation every import runs first.
* **rank**: ``rank_project`` on a project with 50 versions (open the project, read the
  current version's bytes, validate, score) against ``score(load_evaluation(file))``, the
  same work on the file directly. Target (issue 12): within 1.5×.
* **history / verify** of a project with 100,000 events (written in bulk with the real
  chain, then the head stored as ``append_event`` would). Target: ``verify`` < 2 s.

A missed target shows as "NO" in the table; the script still exits 0 (only a crash exits
non-zero). Timings are wall time on a shared machine: compare the ratios of one run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_app import big_workbook  # noqa: E402
from sqlalchemy import create_engine, insert, text, update  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from vendor_eval.projects import (  # noqa: E402
    Actor,
    create_project,
    history,
    import_workbook,
    rank_project,
    verify_project,
)
from vendor_eval.scoring.scorer import score  # noqa: E402
from vendor_eval.store.audit import GENESIS, EventFields, canonical_text, event_hash  # noqa: E402
from vendor_eval.store.database import Database, open_database  # noqa: E402
from vendor_eval.store.models import Event, Project  # noqa: E402
from vendor_eval.store.schema import upgrade  # noqa: E402
from vendor_eval.workbook.importing.load import load_evaluation  # noqa: E402

SAMPLE = ROOT / "data" / "sample_vendors.xlsx"
ACTOR = Actor("benchmark")
EVENTS = 100_000
VERSIONS = 50
RANK_RATIO_TARGET = 1.5
VERIFY_TARGET_S = 2.0


def median_s(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


@contextmanager
def sqlite_database() -> Iterator[Database]:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        db = open_database(url, check=False)
        upgrade(db.engine)
        try:
            yield db
        finally:
            db.close()


@contextmanager
def postgres_database(base_url: str) -> Iterator[Database]:
    base = make_url(base_url)
    name = f"vendor_eval_bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        db = open_database(
            base.set(database=name).render_as_string(hide_password=False), check=False
        )
        upgrade(db.engine)
        try:
            yield db
        finally:
            db.close()
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def bulk_events(db: Database, project: str, n: int) -> None:
    """Append ``n`` chained settings events to ``project`` in bulk (the method switched back
    and forth), chained as ``append_event`` chains them, and store the head and the last
    settings on the project row, so the project verifies as one written event by event."""
    with db.write() as s:
        row = s.query(Project).filter(Project.name == project).one()
        last = s.query(Event).filter(Event.project_id == row.id).order_by(Event.seq.desc()).first()
        seq, prev = (last.seq, last.hash) if last else (0, GENESIS)
        start = datetime(2026, 1, 1, tzinfo=UTC)
        settings: dict[str, str | None] = {
            "method": "wsm", "missing": "worst", "consensus": "mean", "scenario": None,
        }  # fmt: skip
        batch: list[dict[str, object]] = []
        for i in range(n):
            seq += 1
            after = {**settings, "method": ("topsis", "wsm")[i % 2]}
            details = {"before": settings, "after": after}
            settings = after
            fields = EventFields(seq, start + timedelta(seconds=i), "benchmark", "settings",
                                 project, details)  # fmt: skip
            digest = event_hash(prev, fields)
            batch.append({"project_id": row.id, "seq": seq, "time": fields.time,
                          "actor": fields.actor, "action": fields.action,
                          "subject": fields.subject, "details": canonical_text(details),
                          "prev_hash": prev, "hash": digest})  # fmt: skip
            prev = digest
            if len(batch) == 5_000:
                s.execute(insert(Event), batch)
                batch = []
        if batch:
            s.execute(insert(Event), batch)
        stored = canonical_text({k: v for k, v in settings.items() if v is not None})
        s.execute(
            update(Project)
            .where(Project.id == row.id)
            .values(event_count=seq, last_hash=prev, version=Project.version + n, settings=stored)
        )


def bench_backend(label: str, db: Database, runs: int, big: Path) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    create_project(ACTOR, db, "import sample")
    direct = median_s(lambda: load_evaluation(SAMPLE), runs)
    stored = median_s(lambda: import_workbook(ACTOR, db, "import sample", SAMPLE), runs)
    rows.append((label, "import the sample (11 vendors)", f"{stored:.3f} s",
                 f"validate only: {direct:.3f} s ({stored / direct:.2f}×)", "—"))  # fmt: skip

    create_project(ACTOR, db, "import big")
    direct = median_s(lambda: load_evaluation(big), max(1, runs // 2))
    stored = median_s(lambda: import_workbook(ACTOR, db, "import big", big), max(1, runs // 2))
    rows.append((label, "import 1,000 vendors", f"{stored:.3f} s",
                 f"validate only: {direct:.3f} s ({stored / direct:.2f}×)", "—"))  # fmt: skip

    create_project(ACTOR, db, "fifty versions")
    for _ in range(VERSIONS):
        import_workbook(ACTOR, db, "fifty versions", SAMPLE)
    direct = median_s(lambda: score(load_evaluation(SAMPLE)), runs)
    stored = median_s(lambda: cold_rank(db, "fifty versions"), runs)
    ratio = stored / direct
    met = "yes" if ratio <= RANK_RATIO_TARGET else "NO"
    rows.append((label, f"rank a project with {VERSIONS} versions", f"{stored:.3f} s",
                 f"rank the file: {direct:.3f} s ({ratio:.2f}×)",
                 f"≤ {RANK_RATIO_TARGET}× {met}"))  # fmt: skip

    create_project(ACTOR, db, "long history")
    t = time.perf_counter()
    bulk_events(db, "long history", EVENTS)
    written = time.perf_counter() - t
    shown = median_s(lambda: history(ACTOR, db, "long history"), max(1, runs // 2))
    rows.append((label, f"history, {EVENTS:,} events", f"{shown:.3f} s",
                 f"bulk write: {written:.1f} s", "—"))  # fmt: skip
    result = verify_project(ACTOR, db, "long history")
    if not result.ok:
        raise SystemExit(f"{label}: the bulk chain does not verify: {result.message}")
    checked = median_s(lambda: verify_project(ACTOR, db, "long history"), max(1, runs // 2))
    met = "yes" if checked < VERIFY_TARGET_S else "NO"
    rows.append((label, f"verify, {EVENTS:,} events", f"{checked:.3f} s", "",
                 f"< {VERIFY_TARGET_S:g} s {met}"))  # fmt: skip
    return rows


def cold_rank(db: Database, name: str) -> object:
    """``rank_project`` as a fresh process runs it: the stored workbook validated again (the
    process's cache of stored workbooks emptied first)."""
    from vendor_eval.projects import versions

    versions._READ.clear()
    return rank_project(ACTOR, db, name)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer repetitions")
    ap.add_argument(
        "--postgres", metavar="URL", default=os.environ.get("VENDOR_EVAL_TEST_POSTGRES_URL")
    )
    args = ap.parse_args(argv)
    runs = 3 if args.quick else 7
    rows: list[tuple[str, ...]] = []
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "vendors_1000.xlsx"
        big.write_bytes(big_workbook(1000))
        with sqlite_database() as db:
            rows += bench_backend("SQLite", db, runs, big)
        if args.postgres:
            with postgres_database(args.postgres) as db:
                rows += bench_backend("PostgreSQL", db, runs, big)
        else:
            print("no PostgreSQL server given (--postgres URL): SQLite only", file=sys.stderr)
    header = ("backend", "what", "median", "compared with", "target")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for r in [header, tuple("-" * w for w in widths), *rows]:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
