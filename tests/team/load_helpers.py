"""Shared by tests/team/test_team_load.py: a project whose panel scores ten vendors on three
criteria, its evaluators' score sheets issued and filled in with a pattern of their own,
and real ``project submit`` processes that hand the sheets in (docs/team.md §4)."""

from __future__ import annotations

import io
import subprocess
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import openpyxl

from vendor_eval.output.excel.scoresheet import write_issued
from vendor_eval.projects import create_project, import_workbook, set_status
from vendor_eval.projects.actor import Actor
from vendor_eval.store import make_engine, upgrade
from vendor_eval.store.database import Database, open_database
from vendor_eval.team import members, scoring, sheets

OWNER = Actor("lead")
#: One key for the parent and every child process (PostgreSQL has no key file).
SECRET_KEY = "load-test server key, forty characters!!"
VENDORS = [f"Vendor {v + 1:02d}" for v in range(10)]
PANEL = ["Quality", "Support", "Security"]  # absolute 1–5, no Vendors column

#: A submission that lost the race: the sheet was taken in the meantime.
LOST_RACE = ("is already submitted", "changed since it was read", "is out of date")


def email(i: int) -> str:
    return f"e{i}@x.org"


def score(i: int, v: int, c: int) -> int:
    """Evaluator ``i``'s score of vendor ``v`` on panel criterion ``c``: 1 + (i + v + c) % 5,
    shifted on the first two vendors by i // 5 and i // 10 so that no two of thirty
    evaluators share a pattern."""
    return 1 + (i + v + c + (i // 5) * (v == 0) + (i // 10) * (v == 1)) % 5


def comment(i: int, vendor: str, criterion: str) -> str:
    """A comment on every row (required at 1 and 5), naming whose it is."""
    return f"e{i} on {vendor} / {criterion}"


def pattern(i: int) -> dict[tuple[str, str], tuple[float, str]]:
    """(vendor, criterion) → (score, comment) as evaluator ``i`` fills the sheet in."""
    return {
        (vendor, crit): (float(score(i, v, c)), comment(i, vendor, crit))
        for v, vendor in enumerate(VENDORS)
        for c, crit in enumerate(PANEL)
    }


def workbook() -> bytes:
    """Ten vendors with a price, three panel criteria and the price criterion."""
    wb = openpyxl.Workbook()
    first = wb.active
    assert first is not None
    wb.remove(first)
    ws = wb.create_sheet("Vendors")
    ws.append(["Vendor", "Price"])
    for v, vendor in enumerate(VENDORS):
        ws.append([vendor, 100 + 7 * v])
    ws = wb.create_sheet("Criteria")
    ws.append(["Criterion", "Category", "Weight", "Direction", "Scale", "Min", "Max"])
    ws.append(["Price", "Cost", 2, "lower", "relative", None, None])
    for crit in PANEL:
        ws.append([crit, "Capability", 1, "higher", "absolute", 1, 5])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@contextmanager
def migrated(url: str) -> Iterator[Database]:
    engine = make_engine(url)
    try:
        upgrade(engine)
    finally:
        engine.dispose()
    with open_database(url) as db:
        yield db


def panel_project(db: Database, name: str, evaluators: Sequence[int]) -> None:
    """The project in scoring, every evaluator added and declared free of conflicts."""
    create_project(OWNER, db, name)
    import_workbook(OWNER, db, name, workbook(), file_name="shortlist.xlsx")
    for i in evaluators:
        members.add_member(OWNER, db, name, email(i), "evaluator")
    set_status(OWNER, db, name, "scoring")
    for i in evaluators:
        scoring.declare(Actor(email(i)), db, name, [(v, False, "") for v in VENDORS])


def filled_sheet(db: Database, name: str, i: int, path: Path) -> Path:
    """Evaluator ``i``'s sheet, issued by the owner, filled in with :func:`pattern`."""
    data = write_issued(sheets.scoresheet(OWNER, db, name, email(i)))
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb["Scores"]
    wanted = pattern(i)
    rows = list(ws.iter_rows(min_row=2))
    assert len(rows) == len(wanted)
    for row in rows:
        value, text = wanted[(str(row[0].value), str(row[1].value))]
        row[2].value = int(value)
        row[3].value = text
    wb.save(path)
    return path


def submit_process(url: str, name: str, path: Path, who: str) -> subprocess.Popen[str]:
    """``python -m vendor_eval project submit NAME FILE --db URL --as WHO`` in a real process."""
    return subprocess.Popen(
        [sys.executable, "-m", "vendor_eval", "project", "submit", name, str(path),
         "--db", url, "--as", who],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip


def finish(
    procs: Sequence[subprocess.Popen[str]], timeout: float = 600
) -> list[tuple[int, str, str]]:
    """(exit code, stdout, stderr) of each process, in order; none is left running."""
    results = []
    try:
        for p in procs:
            out, err = p.communicate(timeout=timeout)
            results.append((p.returncode, out, err))
    finally:
        for p in procs:
            if p.poll() is None:  # only after a timeout: never leave one running
                p.kill()
                p.wait(timeout=60)
    return results
