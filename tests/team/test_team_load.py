"""Load on SQLite and PostgreSQL: thirty evaluators hand in their score sheets at the same
moment, each from a process of its own, and every sheet is stored whole, under the right
evaluator, once (docs/team.md §4–§5).

No submission may be retried: SQLite's busy timeout with ``BEGIN IMMEDIATE``, and
PostgreSQL's row lock on the project, must put the writers one after another by themselves.
"""

from __future__ import annotations

import hashlib
import statistics
import time
from pathlib import Path

import pytest
from load_helpers import (
    LOST_RACE,
    OWNER,
    PANEL,
    SECRET_KEY,
    VENDORS,
    email,
    filled_sheet,
    finish,
    migrated,
    panel_project,
    pattern,
    submit_process,
)

from vendor_eval.projects import history, set_status, verify_project
from vendor_eval.projects.views import EventView
from vendor_eval.store.database import Database, open_database
from vendor_eval.team import moderation, scoring
from vendor_eval.team.tokens import ENV_KEY

pytestmark = pytest.mark.slow  # a label (nothing deselects it): `make test` runs these

EVALUATORS = range(1, 31)
NAME = "Panel"


@pytest.fixture(autouse=True)
def _secret_key(monkeypatch: pytest.MonkeyPatch) -> None:
    """The same server key here and in every child process (they inherit the environment)."""
    monkeypatch.setenv(ENV_KEY, SECRET_KEY)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _who(address: str) -> int:
    return int(address.removeprefix("e").removesuffix("@x.org"))


def _clean(out: str, err: str) -> None:
    for said in (out, err):
        assert "Traceback" not in said, said
        assert "database is locked" not in said.lower(), said


def _submits(db: Database) -> list[EventView]:
    events = history(OWNER, db, NAME)
    assert [e.seq for e in events] == list(range(1, len(events) + 1))  # no gap, no repeat
    return [e for e in events if e.action == "score-submit"]


def test_the_patterns_tell_every_evaluator_apart() -> None:
    patterns = {tuple(sorted(pattern(i).items())) for i in EVALUATORS}
    assert len(patterns) == len(EVALUATORS)
    scores = {tuple(s for s, _ in pattern(i).values()) for i in EVALUATORS}
    assert len(scores) == len(EVALUATORS)  # the scores alone, without the comments


def test_thirty_evaluators_submit_their_sheets_at_once(db_url: str, tmp_path: Path) -> None:
    with migrated(db_url) as db:
        panel_project(db, NAME, EVALUATORS)
        files = {
            i: filled_sheet(db, NAME, i, tmp_path / f"sheet e{i:02d}.xlsx") for i in EVALUATORS
        }
    start = time.monotonic()
    procs = [submit_process(db_url, NAME, files[i], email(i)) for i in EVALUATORS]
    results = finish(procs)
    took = time.monotonic() - start
    for i, (code, out, err) in zip(EVALUATORS, results, strict=True):
        assert code == 0, (email(i), err)
        _clean(out, err)
    assert took < 300, f"thirty submissions took {took:.0f} s"

    with open_database(db_url) as db:
        for i in EVALUATORS:  # each sheet stored whole, under its own evaluator
            sheet = scoring.my_sheet(OWNER, db, NAME, email(i))
            assert sheet.submitted, email(i)
            stored = {(r.vendor, r.criterion): (r.score, r.comment) for r in sheet.rows}
            assert stored == pattern(i), email(i)

        submits = _submits(db)  # one event per sheet, each the evaluator's own file
        assert sorted(e.details["email"] for e in submits) == sorted(email(i) for i in EVALUATORS)
        for e in submits:
            i = _who(e.details["email"])
            assert (e.actor, e.subject, e.details["via"]) == (email(i), email(i), "sheet")
            assert e.details["file_name"] == files[i].name
            assert e.details["sheet_sha256"] == _sha(files[i])
            scores = {(s["vendor"], s["criterion"]): (s["score"], s["comment"])
                      for s in e.details["scores"]}  # fmt: skip
            assert scores == pattern(i), email(i)

        verdict = verify_project(OWNER, db, NAME)
        assert verdict.ok, verdict.message

        set_status(OWNER, db, NAME, "moderation")
        summary = moderation.panel_summary(OWNER, db, NAME)
        assert (summary.evaluators, summary.submitted) == (30, 30)
        assert (summary.pairs, summary.scored, summary.moderated) == (30, 30, 0)
        pairs = moderation.panel_pairs(OWNER, db, NAME)
        assert sorted((p.vendor, p.criterion) for p in pairs) == sorted(
            (v, c) for v in VENDORS for c in PANEL
        )
        for p in pairs:  # the consensus is the mean of the thirty patterns
            key = (p.vendor, p.criterion)
            wanted = {email(i): pattern(i)[key] for i in EVALUATORS}
            assert {s.evaluator: (s.score, s.comment) for s in p.scores} == wanted, key
            assert {s.source for s in p.scores} == {"panel"}
            mean = statistics.fmean(pattern(i)[key][0] for i in EVALUATORS)
            assert p.consensus == pytest.approx(mean, abs=1e-12), key
            assert p.moderation is None
        assert verify_project(OWNER, db, NAME).ok


#: Who hands in each sheet twice at the same moment: the evaluator twice, and the evaluator
#: and the owner who collected a copy.
RACES = {1: (email(1), email(1)), 2: (email(2), "lead")}


def test_one_sheet_handed_in_twice_at_once_is_taken_once(db_url: str, tmp_path: Path) -> None:
    """Each sheet is stored by one of its two processes; the other is told it lost, in one
    sentence naming the evaluator. Evaluator 3, who handed in nothing, is left open."""
    with migrated(db_url) as db:
        panel_project(db, NAME, [1, 2, 3])
        files = {i: filled_sheet(db, NAME, i, tmp_path / f"sheet e{i:02d}.xlsx") for i in RACES}
    procs = [
        submit_process(db_url, NAME, files[i], who) for i, pair in RACES.items() for who in pair
    ]
    results = finish(procs)
    for n, i in enumerate(RACES):
        race = results[2 * n : 2 * n + 2]
        assert sorted(code for code, _, _ in race) == [0, 2], race
        for _, out, err in race:
            _clean(out, err)
        (_, lost_out, lost_err) = next(r for r in race if r[0] == 2)
        assert lost_out == ""
        assert lost_err.startswith("error: ") and lost_err.count("\n") == 1, lost_err
        assert any(reason in lost_err for reason in LOST_RACE), lost_err
        assert email(i) in lost_err, lost_err

    # handed in once more, afterwards: refused as already submitted
    ((code, out, err),) = finish([submit_process(db_url, NAME, files[1], email(1))])
    assert (code, out) == (2, ""), err
    assert err == (
        f"error: {files[1].name}: the score sheet of e1@x.org is already submitted: the owner "
        "must reopen it before it changes\n"
    )

    with open_database(db_url) as db:
        submits = _submits(db)
        assert sorted(e.details["email"] for e in submits) == [email(1), email(2)]
        for e in submits:
            i = _who(e.details["email"])
            assert e.details["sheet_sha256"] == _sha(files[i])
            sheet = scoring.my_sheet(OWNER, db, NAME, email(i))
            assert sheet.submitted
            assert {(r.vendor, r.criterion): (r.score, r.comment) for r in sheet.rows} == pattern(i)
        assert not scoring.my_sheet(OWNER, db, NAME, email(3)).submitted
        assert verify_project(OWNER, db, NAME).ok
