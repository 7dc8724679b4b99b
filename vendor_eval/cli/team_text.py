"""How the team commands print what the team service returns: sentences, aligned tables and
``--format json``.

JSON is the views' own ``to_dict()`` (the keys the dashboard and a script see) through
:func:`~vendor_eval.output.text.to_json`; a sign-in code is printed here once, by the command
that issued it, and nowhere else. Tables flag the pairs the panel disagrees on with ``FLAG``
(flagged first, as the service orders them); every cell is shown inert
(:func:`~vendor_eval.cli.common.columns`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from vendor_eval.cli.common import columns, key_values, shown_time
from vendor_eval.core.model import format_number
from vendor_eval.output.safety import terminal_text

#: The mark of a flagged pair in the disagreement table.
FLAG = "FLAG"


def _json(obj: object) -> str:
    from vendor_eval.output.text import to_json

    return to_json(obj)


def _plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else many or word + 's'}"


def _names(values: Sequence[str]) -> str:
    return ", ".join(values)


def issued(project: str, issued: Any, fmt: str, *, new: bool) -> str:
    """A member just added (``new``) or given a new code: the code, its expiry, and that
    it is shown only once. JSON: ``{"email", "role", "code", "expires_at"}``."""
    from vendor_eval.store.audit import format_time

    if fmt == "json":
        return _json(
            {
                "email": issued.email,
                "role": issued.role,
                "code": issued.code,
                "expires_at": format_time(issued.expires_at),
            }
        )
    who = terminal_text(issued.email)
    head = (
        f"{terminal_text(project)}: added {who} as {issued.role}"
        if new
        else f"{terminal_text(project)}: a new sign-in code for {who} ({issued.role}); "
        "their unused codes are revoked"
    )
    return "\n".join(
        [
            head,
            key_values(
                [("Sign-in code", issued.code), ("Valid until", shown_time(issued.expires_at))]
            ),
            f"This code is shown only once: give it to {who} now. It signs them in once; "
            "`project member code` issues a new one.",
        ]
    )


def _assignment(member: Any) -> str:
    if member.role != "evaluator":
        return "-"
    parts = []
    if member.criteria:
        parts.append("criteria " + _names(member.criteria))
    if member.categories:
        parts.append("categories " + _names(member.categories))
    return "; ".join(parts) or "every panel criterion"


def members(views: Sequence[Any], fmt: str) -> str:
    if fmt == "json":
        return _json([m.to_dict() for m in views])
    rows = [
        [m.email, m.role, _assignment(m), m.sheet or "-", shown_time(m.added_at), m.added_by]
        for m in views
    ]
    return columns(["Member", "Role", "Scores", "Sheet", "Added", "By"], rows)


def assigned(project: str, email: str, chosen: Any) -> str:
    parts = []
    if chosen.criteria:
        parts.append(
            f"the {'criterion' if len(chosen.criteria) == 1 else 'criteria'} "
            + _names(chosen.criteria)
        )
    if chosen.categories:
        kind = "category" if len(chosen.categories) == 1 else "categories"
        parts.append(f"every panel criterion of the {kind} {_names(chosen.categories)}")
    what = " and ".join(parts) or "every panel criterion"
    return f"{terminal_text(project)}: {terminal_text(email.strip())} scores {terminal_text(what)}"


def declared(sheet: Any) -> str:
    """What the evaluator has declared so far, and what is left or what their sheet holds."""
    clear = [d.vendor for d in sheet.declarations.values() if not d.conflict]
    conflicts = [f"{d.vendor} ({d.note})" for d in sheet.declarations.values() if d.conflict]
    said = []
    if clear:
        said.append("no conflict with " + _names(clear))
    if conflicts:
        said.append("a conflict with " + _names(conflicts))
    lines = [f"{sheet.project}: {sheet.evaluator} declared {'; '.join(said) or 'nothing'}"]
    if sheet.undeclared:
        lines.append("still to declare: " + _names(sheet.undeclared))
    else:
        lines.append(f"the score sheet has {_plural(len(sheet.rows), 'pair')} to score")
    return "\n".join(terminal_text(line) for line in lines)


def wrote_sheet(out: str, sheet: Any) -> str:
    return terminal_text(
        f"wrote {out}: the score sheet of {sheet.evaluator} for {sheet.project}, "
        f"{_plural(len(sheet.rows), 'pair')} to score (hand it back with "
        f"`project submit {sheet.project} FILE.xlsx`)"
    )


def submitted(sheet: Any) -> str:
    scores = sum(1 for r in sheet.rows if r.score is not None)
    return terminal_text(
        f"{sheet.project}: took the score sheet of {sheet.evaluator} — "
        f"{_plural(scores, 'score')} submitted (the sheet is locked until an owner reopens it)"
    )


def _score(x: float | None) -> str:
    return "-" if x is None else format_number(x, 4)


def disagreements(pairs: Sequence[Any], fmt: str) -> str:
    """JSON: the pairs' ``to_dict()``; the table: flagged pairs first, marked ``FLAG``."""
    if fmt == "json":
        return _json([p.to_dict() for p in pairs])
    if not pairs:
        return "no pair has two scores yet"
    rows = [
        [
            FLAG if p.flagged else "",
            p.vendor,
            p.criterion,
            ", ".join(f"{s.evaluator} {_score(s.score)}" for s in p.scores),
            _score(p.spread),
            _score(p.consensus),
            "yes" if p.moderation is not None else "no",
        ]
        for p in pairs
    ]
    headers = ["Flag", "Vendor", "Criterion", "Scores", "Spread", "Consensus", "Moderated"]
    flagged = sum(1 for p in pairs if p.flagged)
    return "\n".join(
        [
            columns(headers, rows, right=[4, 5]),
            f"{flagged:,} of {_plural(len(pairs), 'pair')} flagged",
        ]
    )


def moderated(project: str, pair: Any) -> str:
    scores = ", ".join(f"{s.evaluator} {_score(s.score)}" for s in pair.scores) or "none"
    return terminal_text(
        f"{project}: consensus of {pair.vendor} on {pair.criterion} is {_score(pair.consensus)} "
        f"(the panel's scores: {scores})"
    )


def _signed(x: float | None, *, share: bool = False) -> str:
    if x is None:
        return "-"
    return f"{x * 100:+.1f}%" if share else f"{x:+.2f}"


def calibration(rows: Sequence[Any], fmt: str) -> str:
    if fmt == "json":
        return _json([c.to_dict() for c in rows])
    if not rows:
        return "no evaluator has a score that counts yet"
    table = [
        [
            c.evaluator,
            c.scored,
            c.compared,
            _signed(c.mean_deviation),
            _signed(c.mean_deviation_share, share=True),
            f"{c.flagged} ({c.flagged_share:.0%})",
            c.leaning or "-",
        ]
        for c in rows
    ]
    headers = [
        "Evaluator",
        "Scored",
        "Compared",
        "Mean deviation",
        "Of range",
        "Flagged",
        "Leaning",
    ]
    return "\n".join(
        [
            columns(headers, table, right=[1, 2, 3, 4, 5]),
            "(deviation: their score minus the consensus, in scale points and as a share of "
            "the scale's range; lenient from +10%, severe from -10%)",
        ]
    )


def settings(project: str, values: dict[str, Any], fmt: str) -> str:
    if fmt == "json":
        return _json(dict(values))
    threshold = values.get("threshold")
    shown = "0.4 (the default)" if not threshold else format_number(float(threshold))
    return "\n".join(
        [
            f"{terminal_text(project)}: settings",
            key_values(
                [
                    ("Method", values.get("method") or "wsm"),
                    ("Missing values", values.get("missing") or "worst"),
                    ("Consensus", values.get("consensus") or "mean"),
                    ("Threshold", shown),
                    ("Scenario", values.get("scenario") or "(the workbook's weights)"),
                ]
            ),
        ]
    )


def panel_line(summary: Any, consensus: str) -> str:
    """The line under ``project rank``'s table: how far the panel has got."""
    evaluators = (
        f"{summary.submitted} of {_plural(summary.evaluators, 'evaluator')} submitted"
        if summary.evaluators
        else "no evaluators are members (the workbook's Scores count)"
    )
    return (
        f"Panel: {evaluators}; {summary.moderated} of {_plural(summary.pairs, 'pair')} "
        f"moderated (consensus replaces the {consensus})"
    )
