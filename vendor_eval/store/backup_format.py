"""The backup archive's format: its members, their limits, and the checks every document
passes, in backup (so that no archive is written that restore would refuse) and in restore
(before anything is written). docs/projects.md §7.

An archive is a zip file holding ``manifest.json``, one ``projects/<n>.json`` per project
(``n`` = 1, 2, … in name order) and one ``versions/<sha256>.bin`` per distinct workbook. The
manifest names the format and its version, the schema revision, the counts and the SHA-256
of every other member. Only these members are ever read, each at most its kind's size
(:data:`LIMITS`; :mod:`vendor_eval.store.backup_archive` reads them).

A project document holds the project row's columns and its goals, versions (without the
bytes), scenarios, decisions and events as lists of rows (:data:`COLUMNS`), every text as
stored (JSON columns stay text) and every time as ``YYYY-MM-DDTHH:MM:SS.ffffffZ`` (UTC).
A column added since the first format (:data:`ADDED`) may be absent from an older backup's
documents: it then holds the value that schema meant (a version's ``decimal``: ``auto``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from vendor_eval.core.model import Consensus, Method, MissingPolicy
from vendor_eval.store.integrity import Rows, check
from vendor_eval.store.models import MAX_NAME_LENGTH, PROJECT_STATUSES
from vendor_eval.workbook.importing.decimal import DECIMAL_CHOICES
from vendor_eval.workbook.reading.zipguard import DEFAULT_LIMITS
from vendor_eval.workbook.text_rules import file_name_problem, name_problem, text_problem

__all__ = [
    "ADDED",
    "COLUMNS",
    "FORMAT",
    "FORMAT_VERSION",
    "LIMITS",
    "MANIFEST",
    "MAX_JSON_RATIO",
    "PROJECT",
    "SHA",
    "VERSION",
    "Damaged",
    "Fields",
    "Totals",
    "check_project",
    "load_json",
    "parse_time",
    "project_member",
    "version_member",
]

FORMAT = "vendor-eval backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
_MB = 1024 * 1024
#: The most bytes a member of each kind may unpack to: a workbook is never larger than the
#: reader accepts, so nothing bigger was ever stored.
LIMITS = {"manifest": 64 * _MB, "project": 256 * _MB, "version": DEFAULT_LIMITS.max_file_bytes}
#: A JSON member larger than 1 MB compressed more than this is refused (a zip bomb): the
#: documents vendor-eval writes compress about 3 to 10 times.
MAX_JSON_RATIO = 200
#: The columns each document row holds, by table (ids and project ids are not kept: the
#: restoring database numbers its own rows).
COLUMNS: dict[str, tuple[str, ...]] = {
    "project": ("name", "name_key", "status", "version", "created_at", "settings",
                "event_count", "last_hash"),
    "goals": ("position", "text"),
    "versions": ("seq", "file_name", "sha256", "size", "actor", "created_at", "decimal"),
    "scenarios": ("name", "name_key", "criterion_weights", "category_weights", "actor",
                  "created_at"),
    "decisions": ("seq", "winner", "justification", "actor", "created_at", "version_seq",
                  "version_sha256", "status_before", "ranking", "report", "reopened_at",
                  "reopen_reason", "reopened_by"),
    "events": ("seq", "time", "actor", "action", "subject", "details", "prev_hash", "hash"),
}  # fmt: skip
#: Columns added to :data:`COLUMNS` since the first format, by table, with the value a
#: document without one (a backup of an older schema) or with a blank one means: versions
#: stored before ``project import --decimal`` were read with the automatic rule.
ADDED: dict[str, dict[str, Any]] = {"versions": {"decimal": "auto"}}
PROJECT = re.compile(r"projects/([1-9][0-9]{0,8})\.json")
VERSION = re.compile(r"versions/([0-9a-f]{64})\.bin")
SHA = re.compile(r"[0-9a-f]{64}")
_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z")
_INT_MAX = 2**31 - 1  # an Integer column on PostgreSQL


class Damaged(Exception):
    """What is wrong with a member or a document (the caller names the archive)."""


def project_member(n: int) -> str:
    return f"projects/{n}.json"


def version_member(sha256: str) -> str:
    return f"versions/{sha256}.bin"


def parse_time(text: object, where: str) -> datetime:
    """A time as :func:`~vendor_eval.store.audit.format_time` writes it, back as UTC."""
    if not isinstance(text, str) or not _TIME.fullmatch(text):
        raise Damaged(f"{where} is not a time (YYYY-MM-DDTHH:MM:SS.ffffffZ)")
    try:
        return datetime.fromisoformat(text[:-1]).replace(tzinfo=UTC)
    except ValueError:
        raise Damaged(f"{where} is not a time (YYYY-MM-DDTHH:MM:SS.ffffffZ)") from None


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


def load_json(data: bytes, where: str) -> Any:
    """Strict JSON (UTF-8, no NaN or Infinity)."""
    try:
        return json.loads(data.decode("utf-8"), parse_constant=_no_constant)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise Damaged(f"{where} is not JSON") from None


# -- one document ---------------------------------------------------------------------------
class Fields:
    """A JSON object's fields, each read with its type checked (``where`` names it)."""

    def __init__(self, obj: object, where: str) -> None:
        if not isinstance(obj, dict):
            raise Damaged(f"{where or 'the document'} is not a JSON object")
        self.obj, self.where = obj, where

    def _get(self, key: str) -> object:
        if key not in self.obj:
            raise Damaged(f"{self.where or 'the document'} has no {key!r}")
        return self.obj[key]

    def at(self, key: str) -> str:
        """The path of field ``key`` (``versions[0].created_at``)."""
        return f"{self.where}.{key}" if self.where else key

    def text(self, key: str, *, limit: int | None = None, blank: bool = True) -> str:
        value = self._get(key)
        if not isinstance(value, str) or (not blank and not value.strip()):
            raise Damaged(f"{self.at(key)} is not {'a' if blank else 'a non-blank'} text")
        if limit is not None and len(value) > limit:
            raise Damaged(f"{self.at(key)} is longer than {limit} characters")
        return value

    def optional_text(self, key: str) -> str | None:
        return None if self._get(key) is None else self.text(key)

    def ruled(self, key: str, rule: Callable[[object], str | None] = name_problem) -> str:
        """A text that obeys the rule it obeyed when typed (default a name's:
        :mod:`vendor_eval.workbook.text_rules`)."""
        value = self.text(key)
        problem = rule(value)
        if problem is not None:
            raise Damaged(f"{self.at(key)} {problem}")
        return value

    def optional_ruled(self, key: str, rule: Callable[[object], str | None]) -> str | None:
        return None if self._get(key) is None else self.ruled(key, rule)

    def json_text(self, key: str, kind: type | None = dict) -> str:
        """A text holding JSON (of ``kind``, when given): kept as it is, checked parseable."""
        text = self.text(key)
        value = load_json(text.encode("utf-8"), self.at(key))
        if kind is not None and not isinstance(value, kind):
            raise Damaged(f"{self.at(key)} is not a JSON {kind.__name__}")
        return text

    def integer(self, key: str, *, low: int = 0) -> int:
        value = self._get(key)
        if type(value) is not int or not low <= value <= _INT_MAX:
            raise Damaged(f"{self.at(key)} is not a whole number from {low}")
        return value

    def sha(self, key: str) -> str:
        value = self._get(key)
        if not isinstance(value, str) or not SHA.fullmatch(value):
            raise Damaged(f"{self.at(key)} is not a SHA-256 (64 lower-case hex digits)")
        return value

    def time(self, key: str) -> datetime:
        return parse_time(self._get(key), self.at(key))

    def optional_time(self, key: str) -> datetime | None:
        return None if self._get(key) is None else self.time(key)

    def status(self, key: str) -> str:
        value = self.text(key)
        if value not in PROJECT_STATUSES:
            raise Damaged(f"{self.at(key)} {value!r} is not one of {', '.join(PROJECT_STATUSES)}")
        return value

    def choice(self, key: str, allowed: tuple[str, ...], *, absent: str) -> str:
        """One of ``allowed``; ``absent`` when the field is missing, null or blank (a
        document of an older schema)."""
        value = self.obj.get(key)
        if value is None or value == "":
            return absent
        if not isinstance(value, str) or value not in allowed:
            raise Damaged(f"{self.at(key)} {value!r} is not one of {', '.join(allowed)}")
        return value

    def rows(self, key: str, unique: str | None = None) -> list[Fields]:
        """A list of objects; ``unique`` names an integer field no two may share."""
        value = self._get(key)
        if not isinstance(value, list):
            raise Damaged(f"{self.at(key)} is not a list")
        rows = [Fields(item, f"{self.at(key)}[{i}]") for i, item in enumerate(value)]
        if unique is not None:
            seen: set[int] = set()
            for row in rows:
                n = row.integer(unique, low=1)
                if n in seen:
                    raise Damaged(f"{row.at(unique)} {n} appears twice")
                seen.add(n)
        return rows


def check_project(
    doc: object, data_sha256: Mapping[int, str] | None = None
) -> tuple[str, list[str], int]:
    """Check one project document: every field, then :func:`vendor_eval.store.integrity.check`
    (its chain, head and every row against its log; ``data_sha256``, version seq → the
    SHA-256 of its bytes, where they were read).

    Returns the project's name, its versions' SHA-256 (in ``seq`` order) and its number of
    events. Raises :class:`Damaged` naming the first problem (the project by name, once
    known).
    """
    p = Fields(doc, "")
    name = p.text("name", limit=MAX_NAME_LENGTH, blank=False)
    try:
        p.ruled("name")
        shas, rows = _check_parts(p)
        if data_sha256 is not None:
            rows.data_sha256 = data_sha256
        problem = check(rows).problem
        if problem is not None:
            raise Damaged(problem.message)
    except Damaged as e:
        raise Damaged(f"project {name!r}: {e}") from None
    return name, shas, p.obj["event_count"]


def _check_parts(p: Fields) -> tuple[list[str], Rows]:
    """Every field's type; the document as :class:`~vendor_eval.store.integrity.Rows`."""
    p.text("name_key", limit=MAX_NAME_LENGTH)
    status = p.status("status")
    p.integer("version", low=1)
    created_at = _text_time(p, "created_at")
    settings = _settings(p)
    goals = sorted(p.rows("goals", unique="position"), key=lambda g: g.obj["position"])
    texts = [goal.ruled("text") for goal in goals]
    shas = []
    for v in p.rows("versions", unique="seq"):
        v.ruled("file_name", file_name_problem)
        shas.append(v.sha("sha256"))
        if v.integer("size") > LIMITS["version"]:
            raise Damaged(f"{v.where}.size is larger than any workbook vendor-eval reads")
        v.ruled("actor")
        v.time("created_at")
        v.choice("decimal", DECIMAL_CHOICES, absent=ADDED["versions"]["decimal"])
    keys: set[str] = set()
    for sc in p.rows("scenarios"):
        sc.text("name", limit=MAX_NAME_LENGTH, blank=False)
        sc.ruled("name")
        key = sc.text("name_key", limit=MAX_NAME_LENGTH)
        if key in keys:
            raise Damaged(f"two scenarios share the name key {key!r}")
        keys.add(key)
        sc.json_text("criterion_weights")
        sc.json_text("category_weights")
        sc.ruled("actor")
        sc.time("created_at")
    for d in p.rows("decisions", unique="seq"):
        d.ruled("winner")
        d.ruled("justification", text_problem)
        d.ruled("actor")
        d.time("created_at")
        d.integer("version_seq", low=1)
        d.sha("version_sha256")
        d.status("status_before")
        d.json_text("ranking", kind=None)
        d.json_text("report", kind=None)
        d.optional_time("reopened_at")
        d.optional_ruled("reopened_by", name_problem)
        d.optional_ruled("reopen_reason", text_problem)
    events = [_event(e) for e in p.rows("events")]
    rows = Rows(
        name=p.obj["name"], status=status, created_at=created_at, settings=settings,
        event_count=p.integer("event_count"),
        last_hash=p.sha("last_hash"), goals=texts, versions=p.obj["versions"],
        scenarios=p.obj["scenarios"], decisions=p.obj["decisions"], events=events,
    )  # fmt: skip
    return shas, rows


#: The values each setting may hold ("scenario": any name; absent = the default).
_SETTINGS: dict[str, frozenset[str] | None] = {
    "method": frozenset(m.value for m in Method),
    "missing": frozenset(m.value for m in MissingPolicy),
    "consensus": frozenset(c.value for c in Consensus),
    "scenario": None,
}


def _settings(p: Fields) -> str:
    """The settings text: a JSON object of known settings, each value text the projects
    stage writes (a method, a policy, a consensus rule, a scenario's name)."""
    text = p.json_text("settings")
    for key, value in json.loads(text).items():
        if key not in _SETTINGS:
            raise Damaged(f"settings holds the unknown setting {key!r}")
        allowed = _SETTINGS[key]
        if not isinstance(value, str) or (
            name_problem(value) if allowed is None else value not in allowed
        ):
            raise Damaged(f"settings.{key} is not a {key} vendor-eval writes")
    return text


def _text_time(f: Fields, key: str) -> str:
    f.time(key)
    return str(f.obj[key])


def _event(e: Fields) -> tuple[Any, ...]:
    """An event's fields, type-checked, in :data:`~vendor_eval.store.integrity.EVENT_FIELDS`
    order (its time as text: what is hashed)."""
    return (e.integer("seq", low=1), _text_time(e, "time"), e.ruled("actor"),
            e.text("action", limit=64), e.ruled("subject", file_name_problem), e.text("details"),
            e.sha("prev_hash"), e.sha("hash"))  # fmt: skip


class Totals:
    """What an archive holds, counted while it is written or checked."""

    def __init__(self) -> None:
        self.projects = self.versions = self.events = 0

    def add(self, versions: int, events: int) -> None:
        """Count one more project."""
        self.projects += 1
        self.versions += versions
        self.events += events
