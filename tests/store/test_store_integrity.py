"""store/integrity.py on plain values: the one check behind project verify, backup and
restore, over rows whose times are datetimes (the database's) or text (a backup's)."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta
from typing import Any

from vendor_eval.store.audit import GENESIS, EventFields, canonical_text, event_hash, format_time
from vendor_eval.store.integrity import EVENT_FIELDS, Problem, Result, Rows, check

T0 = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
RANKING, REPORT = '[{"vendor":"Acme"}]', '{"leader":"Acme"}'
SHA = hashlib.sha256(b"workbook").hexdigest()


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _chain(*events: tuple[str, str, dict[str, Any]], text_details: dict[int, str] | None = None):
    """(action, subject, details) → event tuples in EVENT_FIELDS order, chained, one second
    apart; ``text_details`` stores some details as another (equal) JSON text."""
    out, prev = [], GENESIS
    for seq, (action, subject, details) in enumerate(events, start=1):
        fields = EventFields(seq, T0 + timedelta(seconds=seq), "alice", action, subject, details)
        digest = event_hash(prev, fields)
        stored = (text_details or {}).get(seq, canonical_text(details))
        out.append((seq, fields.time, "alice", action, subject, stored, prev, digest))
        prev = digest
    return out


def _rows(events, **changes: Any) -> Rows:
    """A decided project: 1 create, 2 import, 3 settings, 4 decide, as its log says."""
    values: dict[str, Any] = dict(
        name="IT 2027", status="decided", created_at=T0 + timedelta(seconds=1),
        settings='{"consensus":"mean","method":"topsis","missing":"worst"}',
        event_count=len(events), last_hash=events[-1][7] if events else GENESIS,
        goals=["cut cost"],
        versions=[{"seq": 1, "file_name": "v.xlsx", "sha256": SHA, "size": 8, "actor": "alice",
                   "created_at": T0 + timedelta(seconds=2)}],
        scenarios=[],
        decisions=[{"seq": 1, "winner": "Acme", "justification": "cheapest", "actor": "alice",
                    "created_at": T0 + timedelta(seconds=4), "version_seq": 1,
                    "version_sha256": SHA, "status_before": "draft", "ranking": RANKING,
                    "report": REPORT, "reopened_at": None, "reopen_reason": None,
                    "reopened_by": None}],
        events=events, data_sha256={1: SHA},
    )  # fmt: skip
    values.update(changes)
    return Rows(**values)


DEFAULTS = {
    "method": "wsm",
    "missing": "worst",
    "consensus": "mean",
    "scenario": None,
    "threshold": None,
}
LOG = (
    ("create", "IT 2027", {"goals": ["cut cost"]}),
    ("import", "v.xlsx", {"version": 1, "file_name": "v.xlsx", "sha256": SHA, "size": 8,
                          "vendors": 3, "criteria": 4}),
    ("settings", "IT 2027", {"before": DEFAULTS, "after": {**DEFAULTS, "method": "topsis"}}),
    ("decide", "Acme", {"winner": "Acme", "justification": "cheapest", "version": 1,
                        "sha256": SHA, "ranking_sha256": _sha(RANKING),
                        "report_sha256": _sha(REPORT), "status_before": "draft"}),
)  # fmt: skip


def _as_document(rows: Rows) -> Rows:
    """The same rows as a backup document holds them: every time as text."""

    def texts(items):
        return [{k: format_time(v) if isinstance(v, datetime) else v for k, v in i.items()}
                for i in items]  # fmt: skip

    events = [(e[0], format_time(e[1]), *e[2:]) for e in rows.events]
    return Rows(rows.name, rows.status, format_time(rows.created_at), rows.settings,
                rows.event_count, rows.last_hash, rows.goals, texts(rows.versions),
                texts(rows.scenarios), texts(rows.decisions), events)  # fmt: skip


def test_a_project_as_its_log_says_passes_as_rows_and_as_a_document():
    events = _chain(*LOG)
    assert len(EVENT_FIELDS) == len(events[0]) == 8
    rows = _rows(events)
    assert check(rows) == Result(4, events[-1][7], None)
    assert check(_as_document(_rows(events))) == Result(4, events[-1][7], None)


def test_details_stored_as_other_json_text_still_verify_and_replay():
    spaced = json.dumps(LOG[2][2], indent=2)  # not canonical: hashed the slow way
    events = _chain(*LOG, text_details={3: spaced})
    assert check(_rows(events)).problem is None
    settings = '{"method": "wsm"}'
    assert check(_rows(events, settings=settings)).problem == Problem(
        3,
        'the project\'s settings are {"method":"wsm"} but its log says '
        '{"consensus":"mean","method":"topsis","missing":"worst"} (event 3)',
    )


def test_a_chain_problem_comes_first_and_the_log_is_counted_to_its_end():
    events = _chain(*LOG)
    events[1] = (*events[1][:5], '{"version":2}', *events[1][6:])
    result = check(_rows(events, status="draft"))
    assert result == Result(4, events[-1][7], Problem(
        2, "event 2 does not match the chain (edited, forged or reordered)"))  # fmt: skip
    listed = _chain(("create", "IT 2027", {"goals": []}))
    listed[0] = (*listed[0][:5], "[]", *listed[0][6:])  # JSON, but not an object
    assert check(_rows(listed)).problem == Problem(
        1, "event 1 does not match the chain (edited, forged or reordered)"
    )


def test_the_head_the_project_recorded():
    events = _chain(*LOG)
    assert check(_rows(events[:2], event_count=4)).problem == Problem(
        3, "the log ends at event 2 but the project recorded 4 events (events deleted)"
    )
    assert check(_rows(events, event_count=3)).problem == Problem(
        4, "the log has 4 events but the project recorded 3 (events added outside vendor-eval)"
    )
    assert check(_rows(events, last_hash="f" * 64)).problem == Problem(
        4, "event 4 is not the newest event the project recorded (replaced)"
    )


def test_a_log_without_its_create_event():
    assert check(_rows([], event_count=0)) == Result(0, GENESIS, Problem(
        None, "the log does not begin with the project's create event (made outside "
        "vendor-eval)"))  # fmt: skip
    events = _chain(*LOG[1:])
    assert check(_rows(events)).problem == Problem(
        1, "the log does not begin with the project's create event (made outside vendor-eval)"
    )


def test_an_event_without_what_the_replay_needs_is_named():
    log = list(LOG)
    log[2] = ("settings", "IT 2027", {"before": DEFAULTS})
    assert check(_rows(_chain(*log))).problem == Problem(
        3, "event 3 (settings) does not hold what vendor-eval records in it ('after')"
    )
    log = list(LOG)
    log[1] = ("import", "v.xlsx", {"version": "1"})
    assert check(_rows(_chain(*log))).problem == Problem(
        2, "event 2 (import) does not hold what vendor-eval records in it ('version')"
    )


def test_of_several_mismatches_the_earliest_event_is_named():
    events = _chain(*LOG)
    decision = {**_rows(events).decisions[0], "winner": "Bolt"}
    rows = _rows(events, decisions=[decision], goals=["raise cost"], status="draft")
    assert check(rows).problem == Problem(
        1, "the project's goals are 'raise cost' but its log says 'cut cost' (event 1)"
    )
    rows = _rows(events, decisions=[decision], status="draft")
    assert check(rows).problem == Problem(
        4, "the project's status is draft but its log says decided (event 4)"
    )


def test_rows_no_event_made_and_long_texts():
    events = _chain(*LOG)
    extra = {
        "seq": 2,
        "winner": "Bolt",
        "justification": "",
        "actor": "x",
        "created_at": T0,
        "version_seq": 1,
        "version_sha256": SHA,
        "status_before": "draft",
        "ranking": "",
        "report": "",
        "reopened_at": None,
        "reopen_reason": None,
        "reopened_by": None,
    }
    rows = _rows(events)
    assert check(_rows(events, decisions=[*rows.decisions, extra])).problem == Problem(
        None, "decision 2 has no decide event (added outside vendor-eval)"
    )
    long = {**rows.decisions[0], "justification": "x" * 100}
    assert check(_rows(events, decisions=[long])).problem == Problem(
        4, f"decision 1's justification is '{'x' * 59}…' but its log says 'cheapest' (event 4)"
    )
    assert check(_rows(events, data_sha256={1: "0" * 64})).problem == Problem(
        2, "workbook version 1 does not match its import event 2 (edited or replaced)"
    )


def test_a_gap_in_the_log_names_the_event_after_it():
    events = _chain(*LOG)
    del events[1]
    assert check(_rows(events)).problem == Problem(
        3, "event 3 does not match the chain (edited, forged or reordered)"
    )
