"""How ``project …`` prints what the service returns: aligned tables and ``--format json``.

JSON is the views' own ``to_dict()`` (the same keys the dashboard and a script see), through
:func:`~vendor_eval.output.text.to_json` (control and bidi characters escaped, data
unchanged). Tables show times as ``YYYY-MM-DD HH:MM:SS UTC`` and digests shortened to 12
hex digits; every cell is shown inert (:func:`~vendor_eval.cli.common.columns`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from vendor_eval.cli.common import columns, key_values, shown_time
from vendor_eval.output.safety import terminal_text

#: Digits of a SHA-256 shown in a table (the JSON has all 64).
SHORT_HASH = 12


def _json(obj: object) -> str:
    from vendor_eval.output.text import to_json

    return to_json(obj)


def _size(n: int) -> str:
    """``2,048 bytes`` / ``17.2 KB`` / ``24.3 MB`` (1 KB = 1,024 bytes, as `db backup` says)."""
    for unit, scale in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if n >= scale:
            return f"{n / scale:,.1f} {unit}"
    return f"{n:,} bytes"


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def _details(details: Mapping[str, Any]) -> str:
    """An event's details on one line: ``key=value; …`` (hashes shortened, lists joined)."""
    parts = []
    for key, value in details.items():
        if isinstance(value, str) and len(value) == 64 and key.endswith("sha256"):
            value = value[:SHORT_HASH] + "…"
        elif isinstance(value, list):
            value = ", ".join(str(v) for v in value) or "-"
        elif isinstance(value, dict):
            value = ", ".join(f"{k} {v}" for k, v in value.items()) or "-"
        parts.append(f"{key}={value}")
    return "; ".join(parts)


def created(view: Any) -> str:
    goals = list(view.goals)
    said = f" with {_plural(len(goals), 'goal')}" if goals else ""
    return f"created project {terminal_text(view.name)} (status {view.status}){said}"


def project_list(summaries: Sequence[Any], fmt: str) -> str:
    if fmt == "json":
        return _json([s.to_dict() for s in summaries])
    if not summaries:
        return "no projects yet (`vendor-eval project create NAME` starts one)"
    rows = [
        [
            s.name,
            s.status,
            s.versions,
            s.current_file or "-",
            shown_time(s.last_change),
            s.last_actor or "-",
        ]
        for s in summaries
    ]
    headers = ["Project", "Status", "Versions", "Current file", "Last change", "By"]
    return columns(headers, rows, right=[2])


def project(view: Any, fmt: str) -> str:
    if fmt == "json":
        return _json(view.to_dict())
    settings = dict(view.settings)
    head: list[tuple[str, object]] = [
        ("Project", view.name),
        ("Status", view.status),
        ("Created", shown_time(view.created_at)),
        ("Revision", view.version),  # the optimistic version (changes so far + 1)
        ("Goals", "; ".join(view.goals) or "(none: `project create --goal` names them)"),
        ("Method", settings.get("method", "wsm")),
        ("Missing values", settings.get("missing", "worst")),
        ("Consensus", settings.get("consensus", "mean")),
        ("Scenario", settings.get("scenario") or "(the workbook's weights)"),
        ("Events", view.events),
    ]
    out = [key_values(head)]
    if view.decision is not None:
        d = view.decision
        out.append(
            "\n"
            + key_values(
                [
                    ("Decision", f"{d.winner}, by {d.actor} on {shown_time(d.time)}"),
                    ("Justification", d.justification),
                ]
            )
        )
    out.append("\nWorkbook versions:")
    if view.versions:
        rows = [
            [
                ("* " if v.seq == view.current_version else "") + str(v.seq),
                v.file_name + (f" ({_decimal(v)})" if _decimal(v) else ""),
                _size(v.size),
                v.sha256[:SHORT_HASH],
                shown_time(v.time),
                v.actor,
            ]
            for v in view.versions
        ]
        headers = ["Version", "File", "Size", "SHA-256", "Imported", "By"]
        out.append(columns(headers, rows, right=[0, 2]))
        out.append("(* the current version)")
    else:
        out.append("none yet (`vendor-eval project import NAME WORKBOOK` adds one)")
    if view.scenarios:
        out.append("\nScenarios: " + terminal_text(", ".join(s.name for s in view.scenarios)))
    for w in view.goal_warnings:
        out.append(f"warning: {terminal_text(w)}")
    return "\n".join(out)


def _decimal(version: Any) -> str:
    """``decimal comma`` / ``decimal point`` for a version imported with ``--decimal``,
    else ``""`` (the automatic rule)."""
    chosen = getattr(version, "decimal", "auto")
    return "" if chosen == "auto" else f"decimal {chosen}"


def imported(name: str, version: Any) -> str:
    decimal = _decimal(version)
    return (
        f"{terminal_text(name)}: stored {terminal_text(version.file_name)} as version "
        f"{version.seq} ({_size(version.size)}, SHA-256 {version.sha256[:SHORT_HASH]}…"
        f"{', ' + decimal if decimal else ''})"
    )


def history(events: Sequence[Any], fmt: str) -> str:
    if fmt == "json":
        return _json([e.to_dict() for e in events])
    rows = [
        [e.seq, shown_time(e.time), e.actor, e.action, e.subject, _details(e.details)]
        for e in events
    ]
    return columns(["Seq", "Time", "Actor", "Action", "Subject", "Details"], rows, right=[0])


def history_notes(events: Sequence[Any]) -> list[str]:
    """A sentence per event whose stored details are not readable (edited behind
    vendor-eval's back): ``event 7's details are not readable: run `project verify```."""
    return [e.note for e in events if getattr(e, "note", None)]


def verify_json(result: Any) -> str:
    return _json(result.to_dict())


def verified(name: str, result: Any) -> str:
    return (
        f"{terminal_text(name)}: audit log intact — {_plural(result.events, 'event')}, "
        f"last hash {result.last_hash}"
    )


def decided(name: str, decision: Any) -> str:
    return (
        f"{terminal_text(name)}: decided — winner {terminal_text(decision.winner)} "
        "(ranking and stress-test report frozen; `project reopen` to change it)"
    )
