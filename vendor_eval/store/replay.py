"""The replay half of :mod:`vendor_eval.store.integrity` (docs/projects.md §6): the state
a project's log implies, event by event, and every row compared with it.

The log, read from its create event on, implies the project's name, creation time, status,
settings, goals, scenarios, workbook versions and decisions. :class:`Replay` takes in the
events whose action makes or changes a row (:data:`REPLAYED`) as the chain check reads them
and parses only what it needs: the details of every import, scenario, decide and reopen
event (each made or changed a row), and of the newest goals, settings and status event
(the earlier ones are overwritten). The settings are the newest settings event's "after",
its "scenario" spelt as a later save of that scenario spells it (a "scenario" event with
``"active": true``). :meth:`Replay.compare` then names, of every mismatch,
the one implied by the earliest event, with that event's ``seq``: "the project's status is
draft but its log says decided (event 9)". A row no event made (a version without an import
event, …) has no event and comes last.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from vendor_eval.store.audit import canonical_text, format_time
from vendor_eval.workbook.schema import name_key

if TYPE_CHECKING:
    from vendor_eval.store.integrity import Rows

__all__ = ["REPLAYED", "Bad", "Problem", "Replay"]

_SHOWN = 60  # characters of a text shown in a message


@dataclass(frozen=True)
class Problem:
    """What is wrong, as one sentence; ``seq`` is the event it concerns (None: a row that
    no event made)."""

    seq: int | None
    message: str


class Bad(Exception):
    """An event lacks what the replay needs (its :class:`Problem`)."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem


def _time(value: datetime | str | None) -> str | None:
    """A time as the log hashes it (text passes through: a document's is already so)."""
    if value is None or isinstance(value, str):
        return value
    return format_time(value)


#: The actions whose events make or change a row (the others are skipped).
REPLAYED = frozenset({"create", "goals", "import", "settings", "scenario", "scenario-delete",
                       "status", "decide", "reopen"})  # fmt: skip


@dataclass
class _Event:
    seq: int
    time: str
    actor: str
    action: str
    subject: str
    details: str

    def parsed(self) -> dict[str, Any]:
        try:
            value = json.loads(self.details)
        except (ValueError, TypeError, RecursionError):  # only a forged chain gets here
            value = None
        if not isinstance(value, dict):
            raise Bad(self.lacks("JSON object details"))
        return value

    def lacks(self, what: str) -> Problem:
        return Problem(self.seq, f"event {self.seq} ({self.action}) does not hold what "
                                 f"vendor-eval records in it ({what})")  # fmt: skip

    def get(self, details: Mapping[str, Any], key: str, kind: type | tuple[type, ...]) -> Any:
        value = details.get(key)
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is int):
            raise Bad(self.lacks(repr(key)))
        return value


class Replay:
    """The state the log implies, built event by event."""

    def __init__(self) -> None:
        self.create: _Event | None = None
        self.goals: _Event | None = None  # the newest goals event
        self.settings: _Event | None = None  # the newest settings event
        # the status: the newest status event (parsed at the end) or a decide / reopen
        self.status: tuple[_Event, str | None] | None = None
        self.imports: list[_Event] = []
        self.scenarios: list[_Event] = []
        self.decisions: list[tuple[_Event, dict[str, Any], _Event | None]] = []
        self.errors: list[Problem] = []  # events that lack what the replay needs

    def see(self, *values: Any) -> None:
        """Take in one event (of an action in :data:`REPLAYED`, its chain checked)."""
        try:
            self._see(_Event(*values))
        except Bad as e:  # reported with the rest, once the whole chain is checked
            self.errors.append(e.problem)

    def _see(self, event: _Event) -> None:
        action = event.action
        if action == "create":
            if event.seq == 1:
                self.create = event
        elif action == "goals":
            self.goals = event
        elif action == "settings":
            self.settings = event
        elif action == "status":
            self.status = (event, None)
            # set_status refuses "decided" (only a decide event decides): parsed only if named
            if "decided" in event.details and event.parsed().get("to") == "decided":
                raise Bad(Problem(event.seq, f"event {event.seq} (status) moves the project "
                                             "to decided, which only a decision does (made "
                                             "outside vendor-eval)"))  # fmt: skip
        elif action == "import":
            self.imports.append(event)
        elif action in ("scenario", "scenario-delete"):
            self.scenarios.append(event)
        elif action == "decide":
            self.decisions.append((event, event.parsed(), None))
            self.status = (event, "decided")
        elif action == "reopen" and self.decisions:
            decide, details, _ = self.decisions[-1]
            self.decisions[-1] = (decide, details, event)
            self.status = (event, decide.get(details, "status_before", str))

    # -- what the rows must hold ----------------------------------------------------------
    def compare(self, rows: Rows, n: int) -> Problem | None:
        create = self.create
        if create is None:
            return Problem(1 if n else None, "the log does not begin with the project's create "
                                             "event (made outside vendor-eval)")  # fmt: skip
        found: list[Problem] = list(self.errors)
        differ = _Differences(found)
        differ.text("the project's name is", rows.name, create.subject, create)
        differ.time("the project's creation time is", rows.created_at, create.time, create)
        differ.plain("the project's status is", rows.status, *self._status(create))
        settings, by = self._settings(create)
        differ.plain("the project's settings are", _json_shown(rows.settings), settings, by)
        goals, by = self._goals(create)
        differ.plain("the project's goals are", _list(rows.goals), _list(goals), by)
        _scenarios(differ, rows.scenarios, self.scenarios)
        _versions(differ, rows, self.imports)
        _decisions(differ, rows.decisions, self.decisions)
        return min(found, key=lambda p: p.seq or n + 1) if found else None

    def _status(self, create: _Event) -> tuple[str, _Event]:
        if self.status is None:
            return "draft", create
        event, value = self.status
        if value is None:
            value = event.get(event.parsed(), "to", str)
        return value, event

    def _settings(self, create: _Event) -> tuple[str, _Event]:
        event = self.settings
        if event is None:
            return "{}", create
        after, by = dict(event.get(event.parsed(), "after", dict)), event
        for saved in reversed(self.scenarios):  # the active scenario saved again since,
            if saved.seq < event.seq:  # under its new spelling ("active": true)
                break
            details = saved.parsed()
            if saved.action == "scenario" and details.get("active") is True:
                after["scenario"], by = saved.get(details, "name", str), saved
                break
        return canonical_text({k: v for k, v in after.items() if v is not None}), by

    def _goals(self, create: _Event) -> tuple[list[Any], _Event]:
        event = self.goals or create
        return event.get(event.parsed(), "after" if self.goals else "goals", list), event


class _Differences:
    """Collects "X is A but its log says B (event N)" sentences."""

    def __init__(self, found: list[Problem]) -> None:
        self.found = found

    def plain(self, what: str, actual: object, expected: object, event: _Event) -> None:
        if actual != expected:
            self.found.append(Problem(event.seq, f"{what} {actual} but its log says "
                                                 f"{expected} (event {event.seq})"))  # fmt: skip

    def text(self, what: str, actual: object, expected: object, event: _Event) -> None:
        if actual != expected:
            self.plain(what, _shown(actual), _shown(expected), event)

    def time(self, what: str, actual: Any, expected: str | None, event: _Event) -> None:
        self.plain(what, _time(actual) or "empty", expected or "empty", event)

    def sentence(self, event: _Event | None, message: str) -> None:
        self.found.append(Problem(None if event is None else event.seq, message))


def _shown(value: object) -> str:
    if value is None:
        return "empty"
    if isinstance(value, str):
        short = value if len(value) <= _SHOWN else value[: _SHOWN - 1] + "…"
        return f"'{short}'"
    return str(value)


def _list(texts: Sequence[Any]) -> str:
    return ", ".join(_shown(t) for t in texts) if texts else "none"


def _json_shown(text: str) -> str:
    """A JSON column's value as canonical text (its stored text when it is not JSON)."""
    try:
        return canonical_text(json.loads(text))
    except (ValueError, TypeError, RecursionError):
        return text


def _sha(text: object) -> str | None:
    return hashlib.sha256(text.encode("utf-8")).hexdigest() if isinstance(text, str) else None


# -- the rows made by events -----------------------------------------------------------------
def _scenarios(differ: _Differences, rows: Sequence[Mapping[str, Any]],
               events: list[_Event]) -> None:  # fmt: skip
    """Each saved scenario as its newest scenario event saved it; none a delete removed."""
    saved: dict[str, tuple[_Event, dict[str, Any] | None]] = {}
    for event in events:
        details = event.parsed()
        title = event.get(details, "name", str)
        saved[name_key(title)] = (event, details if event.action == "scenario" else None)
    by_key = {str(r["name_key"]): r for r in rows}
    for key, (event, saving) in saved.items():
        row = by_key.pop(key, None)
        if saving is None:
            if row is not None:
                differ.sentence(event, f"scenario {_shown(row['name'])} is still saved but "
                                       f"its log deleted it (event {event.seq})")  # fmt: skip
            continue
        details, title = saving, saving["name"]
        if row is None:
            differ.sentence(event, f"scenario {_shown(title)} of event {event.seq} is missing "
                                   "(deleted)")  # fmt: skip
            continue
        of = f"of scenario {_shown(title)}"
        differ.text(f"the name {of} is", row["name"], title, event)
        for kind in ("criterion_weights", "category_weights"):
            expected = canonical_text(event.get(details, kind, dict))
            actual = _json_shown(str(row[kind]))
            differ.plain(f"the {kind.replace('_', ' ')} {of} are", actual, expected, event)
        differ.text(f"the author {of} is", row["actor"], event.actor, event)
        differ.time(f"the save time {of} is", row["created_at"], event.time, event)
    for row in by_key.values():
        differ.sentence(None, f"scenario {_shown(row['name'])} has no event saving it (added "
                              "outside vendor-eval)")  # fmt: skip


#: The decimal separator of a version (or an import event) that does not name one: the
#: automatic rule, all that vendor-eval read with before ``project import --decimal``.
AUTOMATIC = "auto"


def _versions(differ: _Differences, rows: Rows, events: list[_Event]) -> None:
    """Each workbook version as its import event recorded it (bytes, hash, size, file name,
    decimal separator, who and when); none without one."""
    by_seq = {int(v["seq"]): v for v in rows.versions}
    for event in events:
        details = event.parsed()
        seq = event.get(details, "version", int)
        row = by_seq.pop(seq, None)
        if row is None:
            differ.sentence(event, f"workbook version {seq} of event {event.seq} is missing "
                                   "(deleted)")  # fmt: skip
            continue
        data = rows.data_sha256.get(seq, row["sha256"])
        if (row["sha256"], row["size"], data) != (details.get("sha256"), details.get("size"),
                                                 details.get("sha256")):  # fmt: skip
            differ.sentence(event, f"workbook version {seq} does not match its import event "
                                   f"{event.seq} (edited or replaced)")  # fmt: skip
            continue
        what = f"workbook version {seq}'s {{}} is"
        differ.text(what.format("file name"), row["file_name"], details.get("file_name"), event)
        differ.text(what.format("decimal separator"), row.get("decimal") or AUTOMATIC,
                    details.get("decimal", AUTOMATIC), event)  # fmt: skip
        differ.text(what.format("importer"), row["actor"], event.actor, event)
        differ.time(what.format("import time"), row["created_at"], event.time, event)
    for seq in sorted(by_seq):
        differ.sentence(None, f"workbook version {seq} has no import event (added outside "
                              "vendor-eval)")  # fmt: skip


def _decisions(
    differ: _Differences,
    rows: Sequence[Mapping[str, Any]],
    events: list[tuple[_Event, dict[str, Any], _Event | None]],
) -> None:
    """Decision ``n`` as the ``n``-th decide event recorded it (and the reopen after it, if
    any); none without one."""
    by_seq = {int(d["seq"]): d for d in rows}
    for n, (event, details, reopen) in enumerate(events, start=1):
        row = by_seq.pop(n, None)
        if row is None:
            differ.sentence(event, f"the decision of event {event.seq} is missing (deleted)")
            continue
        what = f"decision {n}'s {{}} is"
        for key, label, shown in (
            ("winner", "winner", "winner"),
            ("justification", "justification", "justification"),
            ("version_seq", "workbook version", "version"),
            ("version_sha256", "workbook SHA-256", "sha256"),
        ):
            differ.text(what.format(label), row[key], details.get(shown), event)
        differ.plain(what.format("status before"), row["status_before"],
                     details.get("status_before"), event)  # fmt: skip
        differ.text(what.format("decider"), row["actor"], event.actor, event)
        differ.time(what.format("decision time"), row["created_at"], event.time, event)
        for key, label in (("ranking", "ranking"), ("report", "stress-test report")):
            if _sha(row[key]) != details.get(f"{key}_sha256"):
                differ.sentence(event, f"decision {n}'s frozen {label} does not match its "
                                       f"decide event {event.seq} (edited)")  # fmt: skip
        _reopened(differ, what, row, reopen or event, reopen)
    for seq in sorted(by_seq):
        differ.sentence(None, f"decision {seq} has no decide event (added outside vendor-eval)")


def _reopened(differ: _Differences, what: str, row: Mapping[str, Any], by: _Event,
              reopen: _Event | None) -> None:  # fmt: skip
    """The reopen columns: the reopen event's time, actor and reason, or empty."""
    if reopen is None:
        expected: tuple[str | None, ...] = (None, None, None)
    else:
        reason = reopen.get(reopen.parsed(), "reason", str)
        expected = (reopen.time, reopen.actor, reason)
    differ.time(what.format("reopening time"), row["reopened_at"], expected[0], by)
    differ.text(what.format("reopener"), row["reopened_by"], expected[1], by)
    differ.text(what.format("reopen reason"), row["reopen_reason"], expected[2], by)
