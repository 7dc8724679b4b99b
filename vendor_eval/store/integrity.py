"""Whether a project's rows are what its audit log says (docs/projects.md §6): the one check
behind ``project verify``, ``db backup`` (a project that fails is not backed up) and
``db restore`` (checked in the archive and again in the database before the commit).

Pure functions over plain values (:class:`Rows`), so that the same code checks database rows
and a backup's JSON documents, and every path says the same sentence. In this order:

1. the hash chain: every event's ``seq`` is the next number, its ``prev_hash`` the previous
   event's hash and its hash recomputes from its fields (edited, forged or reordered);
2. the chain head the project recorded (``event_count``, ``last_hash``): events deleted
   from the end, or added;
3. the replay (:mod:`vendor_eval.store.replay`): the log, read from its create event on,
   implies the project's name, creation time, status, settings, goals, scenarios, workbook
   versions and decisions; each row must hold exactly that. Of several mismatches the one
   implied by the earliest event is named, with that event's ``seq``.

One pass over the events does all three (they may stream from the database): the chain
costs one SHA-256 per event, the replay only keeps the events whose action makes or changes
a row and parses the details it needs.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from json.encoder import encode_basestring
from typing import Any

from vendor_eval.store.audit import canonical_text, format_time
from vendor_eval.store.models import GENESIS
from vendor_eval.store.replay import REPLAYED, Bad, Problem, Replay

__all__ = ["EVENT_FIELDS", "Problem", "Result", "Rows", "chain_problem", "check"]

#: The order of an event's values in :attr:`Rows.events` (the events table's columns).
EVENT_FIELDS = ("seq", "time", "actor", "action", "subject", "details", "prev_hash", "hash")


@dataclass(frozen=True)
class Result:
    """The check's outcome: how many events the log has, its newest hash (64 zeros when
    empty) and the first problem, or None."""

    events: int
    last_hash: str
    problem: Problem | None


@dataclass
class Rows:
    """A project as plain values. Times are aware datetimes or
    ``YYYY-MM-DDTHH:MM:SS.ffffffZ`` text (a backup document's), JSON columns their text.

    ``goals``: the goals' texts in position order. ``versions``: mappings with ``seq``,
    ``file_name``, ``sha256``, ``size``, ``actor``, ``created_at`` and ``decimal`` (absent
    or blank: ``auto``, as a backup written before it had one). ``data_sha256``: version
    seq → SHA-256 of its stored bytes, where known. ``scenarios``: ``name``,
    ``criterion_weights``, ``category_weights``, ``actor``, ``created_at``. ``decisions``:
    the decision columns (``seq``, ``winner``, … ``ranking`` and ``report`` texts,
    ``reopened_at``, ``reopen_reason``, ``reopened_by``). ``events``: one sequence of
    :data:`EVENT_FIELDS` per event, oldest first (read once: it may stream).
    """

    name: str
    status: str
    created_at: datetime | str
    settings: str
    event_count: int
    last_hash: str
    goals: Sequence[str]
    versions: Sequence[Mapping[str, Any]]
    scenarios: Sequence[Mapping[str, Any]]
    decisions: Sequence[Mapping[str, Any]]
    events: Iterable[Sequence[Any]]
    data_sha256: Mapping[int, str] = field(default_factory=dict)


# -- the chain -------------------------------------------------------------------------------
def _event_hash(prev: str, seq: int, time: str, actor: str, action: str, subject: str,
                details: str) -> str:  # fmt: skip
    """``sha256(prev ‖ canonical JSON of the event)`` with the details text spliced in as
    stored: the bytes :func:`~vendor_eval.store.audit.append_event` hashed when that text
    is canonical (keys sorted, every other field a JSON string or integer, so a match
    means every field is as hashed)."""
    text = (
        f'{{"action":{encode_basestring(action)},"actor":{encode_basestring(actor)},'
        f'"details":{details},"seq":{int(seq)},'
        f'"subject":{encode_basestring(subject)},"time":"{time}"}}'
    )
    return hashlib.sha256(prev.encode("ascii") + text.encode("utf-8")).hexdigest()


def _hashes_slowly(prev: str, row: Sequence[Any], time: str) -> bool:
    """The hash of an event whose details text is not canonical, recomputed from its parsed
    details (which must be a JSON object)."""
    seq, _, actor, action, subject, details, _, stored = row
    try:
        parsed = json.loads(details)
    except (ValueError, TypeError, RecursionError):
        return False
    if not isinstance(parsed, dict):
        return False
    text = canonical_text({"action": action, "actor": actor, "details": parsed, "seq": seq,
                           "subject": subject, "time": time})  # fmt: skip
    return hashlib.sha256(prev.encode("ascii") + text.encode("utf-8")).hexdigest() == stored


def chain_problem(seq: int) -> Problem:
    """The sentence for an event that does not match the chain."""
    return Problem(seq, f"event {seq} does not match the chain (edited, forged or reordered)")


def _head_problem(n: int, newest: str, recorded: int, last_hash: str) -> Problem | None:
    """The log (``n`` events, newest hash ``newest``) against the head the project recorded."""
    if n < recorded:
        return Problem(n + 1, f"the log ends at event {n} but the project recorded {recorded} "
                              "events (events deleted)")  # fmt: skip
    if n > recorded:
        return Problem(recorded + 1, f"the log has {n} events but the project recorded "
                                     f"{recorded} (events added outside vendor-eval)")  # fmt: skip
    if newest != last_hash:
        return Problem(n, f"event {n} is not the newest event the project recorded (replaced)")
    return None


# -- the check -------------------------------------------------------------------------------
def check(rows: Rows, *, replay_log: bool = True) -> Result:
    """Check the project (see the module's docstring): the first problem, or None.

    ``replay_log=False`` checks the chain and its head only (steps 1 and 2): the audit
    log's own integrity, whatever its events say.
    """
    replay = Replay()
    prev, n, bad = GENESIS, 0, None
    see = replay.see
    for row in rows.events:
        n += 1
        if bad is not None:  # count on to the end: the result says how long the log is
            prev = row[7]
            continue
        seq, time, actor, action, subject, details, prev_hash, stored = row
        try:
            when = time if isinstance(time, str) else format_time(time)
            ok = (
                seq == n
                and prev_hash == prev
                and (
                    _event_hash(prev, seq, when, actor, action, subject, details) == stored
                    or _hashes_slowly(prev, row, when)
                )
            )
        except (ValueError, TypeError, AttributeError):  # text that is not Unicode, no time
            bad = chain_problem(seq)
        else:
            if not ok:  # named by its own seq: after a gap, the event after it
                bad = chain_problem(seq)
            elif replay_log and action in REPLAYED:
                see(seq, when, actor, action, subject, details)
        prev = stored
    if bad is not None:
        return Result(n, prev, bad)
    problem = _head_problem(n, prev, rows.event_count, rows.last_hash)
    if problem is None and replay_log:
        try:
            problem = replay.compare(rows, n)
        except Bad as e:
            problem = e.problem
    return Result(n, prev, problem)
