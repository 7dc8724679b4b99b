"""Streamlit-free helpers of the Projects page: the tables it shows, its key scopes, and the
weights on screen as a project scenario; tested without a browser.

The service's result objects (:mod:`vendor_eval.projects`) go in, plain DataFrames and values
come out; every cell is plain text or a number (tables are not Markdown).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

import pandas as pd

from vendor_eval.core.model import Evaluation
from vendor_eval.core.weights import effective_weights
from vendor_eval.scoring.ranking import Ranking
from vendor_eval.stress.scenarios import Scenario
from vendor_eval.ui.tables import category_weights
from vendor_eval.workbook.schema import name_key

#: How many hex digits of a SHA-256 the tables show (enough to tell versions apart).
SHORT_SHA = 12
#: The statuses a user may choose; ``decided`` is reached only by recording a decision.
MOVABLE = ("draft", "scoring", "moderation")
DECIDED = "decided"


def scope_prefix(name: str) -> str:
    """The session-state key prefix of project ``name``: one per project (names that differ
    only in case or surrounding spaces are the same project), never the quick view's ""."""
    digest = hashlib.sha256(name_key(name).encode("utf-8")).hexdigest()[:12]
    return f"prj_{digest}_"


def when(value: object) -> str:
    """A stored time as ``YYYY-MM-DD HH:MM:SS UTC`` (naive datetimes are UTC)."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        text = value
        try:
            value = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return text
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC)
        return value.strftime("%Y-%m-%d %H:%M:%S UTC")
    return str(value)


def short_sha(sha256: str) -> str:
    return sha256[:SHORT_SHA]


def goals_from_text(text: str | None) -> list[str]:
    """The goals typed one per line: trimmed, blank lines dropped (the service checks the
    rest: length, duplicates)."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def projects_frame(summaries: Sequence[Any]) -> pd.DataFrame:
    """One row per project: name, status, versions, current file, last change and by whom."""
    return pd.DataFrame(
        {
            "Project": [s.name for s in summaries],
            "Status": [s.status for s in summaries],
            "Versions": [int(s.versions) for s in summaries],
            "Current file": [s.current_file or "" for s in summaries],
            "Last change": [when(s.last_change) for s in summaries],
            "By": [s.last_actor or "" for s in summaries],
        },
        columns=["Project", "Status", "Versions", "Current file", "Last change", "By"],
    )


def versions_frame(versions: Sequence[Any], current: int | None) -> pd.DataFrame:
    """The workbook versions, newest first, the current one marked."""
    rows = sorted(versions, key=lambda v: -int(v.seq))
    return pd.DataFrame(
        {
            "Version": [int(v.seq) for v in rows],
            "Current": ["current" if v.seq == current else "" for v in rows],
            "File": [v.file_name for v in rows],
            "SHA-256": [short_sha(v.sha256) for v in rows],
            "Size (bytes)": [int(v.size) for v in rows],
            "Imported by": [v.actor for v in rows],
            "When": [when(v.time) for v in rows],
        },
        columns=["Version", "Current", "File", "SHA-256", "Size (bytes)", "Imported by", "When"],
    )


def details_text(details: object) -> str:
    """An event's details as one line of JSON (keys sorted, text as written)."""
    if details in (None, {}, ""):
        return ""
    return json.dumps(details, ensure_ascii=False, sort_keys=True, default=str)


def history_frame(events: Iterable[Any]) -> pd.DataFrame:
    """The audit log, oldest first: seq, time, actor, action, subject, details."""
    rows = [e.to_dict() for e in events]
    return pd.DataFrame(
        {
            "Seq": [int(r["seq"]) for r in rows],
            "Time": [when(r["time"]) for r in rows],
            "Actor": [r["actor"] for r in rows],
            "Action": [r["action"] for r in rows],
            "Subject": [r.get("subject") or "" for r in rows],
            "Details": [details_text(r.get("details")) for r in rows],
        },
        columns=["Seq", "Time", "Actor", "Action", "Subject", "Details"],
    )


def qualified_vendors(ranking: Ranking) -> list[str]:
    """The vendors a decision may name: those that passed the must-have gates, best first."""
    return list(ranking.qualified)


def project_scenario(working: Evaluation, base: Evaluation, name: str) -> Scenario:
    """The weights on screen (``working``) as a scenario that ``base`` (the project's
    workbook) can take.

    With a Categories sheet in the workbook: every criterion and category weight. Without
    one: criterion weights only — the workbook's own while the category sliders are
    untouched, else each criterion's effective weight (the category sliders folded in), so
    the scenario ranks exactly as the screen does. Must-have rules and directions are the
    workbook's: a scenario holds weights only.
    """
    criteria = {c.name: float(c.weight) for c in working.criteria}
    if base.categories is not None:
        return Scenario(
            name, criterion_weights=criteria, category_weights=category_weights(working)
        )
    if working.categories is None:
        return Scenario(name, criterion_weights=criteria)
    weights = effective_weights(working)
    return Scenario(name, criterion_weights={str(k): float(v) for k, v in weights.items()})
