"""The argument parsers of the team commands (:mod:`.team` runs them; docs/team.md).

``project member add|list|remove|code``, ``assign``, ``declare``, ``submit``,
``reopen-sheet``, ``disagreements``, ``moderate``, ``calibration``, ``settings`` under
``project``, and the top-level ``scoresheet``; each takes ``--db`` and ``--as``, the ones
that print data ``--format json``.
"""

from __future__ import annotations

import argparse

from vendor_eval.cli.common import SubParsers, add_common_options, add_format_option

Parser = argparse.ArgumentParser


def _name(p: Parser) -> None:
    p.add_argument("name", metavar="NAME", help="the project's name (any case)")


def _email(p: Parser, help: str = "the member's e-mail address") -> None:
    p.add_argument("email", metavar="EMAIL", help=help)


def _days(p: Parser) -> None:
    p.add_argument(
        "--days",
        type=int,
        default=14,
        metavar="N",
        help="how many days the sign-in code stays valid (1 to 90; default 14)",
    )


def _add_member_commands(psub: SubParsers[Parser]) -> None:
    top = psub.add_parser(
        "member",
        help="the project's members and their sign-in codes",
        description="Add, list and remove the project's members (owner, evaluator, observer) "
        "and issue one-time sign-in codes (docs/team.md §1, §3).",
    )
    msub = top.add_subparsers(
        dest="member_command",
        metavar="MEMBER_COMMAND",
        required=True,
        help="add, list, remove or code",
    )
    p = msub.add_parser(
        "add",
        help="add a member and print their one-time sign-in code",
        description="Add a member with a role; prints their one-time sign-in code, shown only "
        "this once (only its SHA-256 is stored).",
    )
    _name(p)
    _email(p)
    p.add_argument("--role", required=True, metavar="ROLE", help="owner, evaluator or observer")
    _days(p)
    add_common_options(p)
    add_format_option(p, "json")

    p = msub.add_parser(
        "list",
        help="list the members",
        description="Every member: role, "
        "what an evaluator scores, their sheet's progress (owners see it).",
    )
    _name(p)
    add_common_options(p)
    add_format_option(p, "json")

    p = msub.add_parser(
        "remove",
        help="remove a member",
        description="Remove a member: their sign-in codes are revoked and a removed "
        "evaluator's scores no longer count (the history keeps them).",
    )
    _name(p)
    _email(p)
    add_common_options(p)

    p = msub.add_parser(
        "code",
        help="issue a new sign-in code",
        description="A new one-time sign-in code for a member, shown only this once; their "
        "unused codes are revoked.",
    )
    _name(p)
    _email(p)
    _days(p)
    add_common_options(p)
    add_format_option(p, "json")


def add_commands(psub: SubParsers[Parser]) -> None:
    """The team's ``project …`` sub-commands, each with ``--db`` and ``--as``."""

    def command(name: str, help: str, description: str) -> Parser:
        p = psub.add_parser(name, help=help, description=description)
        _name(p)
        return p

    _add_member_commands(psub)

    p = command(
        "assign",
        "choose the panel criteria an evaluator scores",
        "An evaluator scores the criteria named and every panel criterion of the categories "
        "named; with neither, every panel criterion (the default).",
    )
    _email(p, "the evaluator's e-mail address")
    p.add_argument(
        "--criteria", nargs="+", default=[], metavar="C", help="panel criteria the evaluator scores"
    )
    p.add_argument(
        "--categories",
        nargs="+",
        default=[],
        metavar="G",
        help="categories whose panel criteria the evaluator scores",
    )
    add_common_options(p)

    p = command(
        "declare",
        "declare conflicts of interest",
        "Declare, per vendor, no conflict of interest (--none VENDOR …) or one (--conflict "
        'VENDOR NOTE, repeatable), e.g. `--none Acme Globex --conflict Initech "my brother '
        'works there"`. Every vendor must be declared before the score sheet shows them; a '
        "later declaration of a vendor replaces the earlier one until the sheet is submitted.",
    )
    p.add_argument(
        "--none",
        dest="clear",
        action="extend",
        nargs="+",
        default=[],
        metavar="VENDOR",
        help="vendors you have no conflict of interest with",
    )
    p.add_argument(
        "--conflict",
        action="append",
        nargs=2,
        default=[],
        metavar=("VENDOR", "NOTE"),
        help="a vendor you have a conflict with and what it is (repeatable)",
    )
    p.add_argument(
        "--evaluator",
        metavar="EMAIL",
        help="(an owner) record the declaration this evaluator handed in "
        "(default: the actor's own, --as)",
    )
    add_common_options(p)

    p = command(
        "submit",
        "hand in a filled-in score sheet",
        "Take a score sheet made by `scoresheet` and filled in: its signature says whose "
        "scores they are. The whole sheet is checked (every problem names its cell) and "
        "submitted, or nothing is stored.",
    )
    p.add_argument("sheet", metavar="FILE.xlsx", help="the returned score sheet")
    add_common_options(p)

    p = command(
        "reopen-sheet",
        "unlock a submitted score sheet",
        "Unlock an evaluator's submitted sheet (while scoring) so they can change it; its "
        "scores stop counting until it is submitted again. The reason is kept in the log.",
    )
    _email(p, "the evaluator's e-mail address")
    p.add_argument("--reason", required=True, metavar="TEXT", help="why it is reopened")
    add_common_options(p)

    p = command(
        "disagreements",
        "where the panel disagrees",
        "Every vendor × panel criterion with at least two scores, flagged first: flagged when "
        "the spread (max − min) is at least the threshold × the scale's range.",
    )
    p.add_argument(
        "--threshold",
        metavar="X",
        help="share of the scale's range from which a spread is flagged (more than 0, "
        "at most 1; default: the project's setting, else 0.4)",
    )
    add_common_options(p)
    add_format_option(p, "json")

    p = command(
        "moderate",
        "record a consensus score",
        "Record the panel's consensus score of a vendor on a panel criterion, with the "
        "rationale (owner, in moderation). It replaces the mean in the ranking.",
    )
    p.add_argument("--vendor", required=True, metavar="V", help="the vendor")
    p.add_argument("--criterion", required=True, metavar="C", help="the panel criterion")
    p.add_argument(
        "--score",
        required=True,
        metavar="S",
        help="the consensus score (from the scale's Min to Max)",
    )
    p.add_argument("--rationale", required=True, metavar="TEXT", help="why (kept in the log)")
    add_common_options(p)

    p = command(
        "calibration",
        "how each evaluator scores against the consensus",
        "Per evaluator: the mean deviation from the consensus (lenient or severe) and how many "
        "of their scores are in flagged pairs (owners only).",
    )
    add_common_options(p)
    add_format_option(p, "json")

    p = command(
        "settings",
        "show or change the project's settings",
        "The options the project's ranking uses; with options, change them (recorded in the "
        "log) and print the settings after. Once changed, the project's method and "
        "missing-value policy apply over a workbook's Settings sheet.",
    )
    p.add_argument("--method", choices=["wsm", "topsis"], help="scoring method")
    p.add_argument(
        "--missing", choices=["worst", "mean", "exclude"], help="how a missing value is treated"
    )
    p.add_argument(
        "--consensus",
        choices=["mean", "median"],
        help="how several evaluators' scores are combined",
    )
    p.add_argument(
        "--threshold",
        metavar="X",
        help="the disagreement threshold: a share of the scale's range (0.4 = 40%%)",
    )
    p.add_argument(
        "--scenario",
        metavar="NAME",
        help='the active weight scenario ("" for the workbook\'s own weights)',
    )
    add_common_options(p)
    add_format_option(p, "json")


def add_top_commands(sub: SubParsers[Parser]) -> None:
    """``scoresheet``: an evaluator's offline score sheet."""
    p = sub.add_parser(
        "scoresheet",
        help="write an evaluator's offline score sheet",
        description="Write an evaluator's score sheet (.xlsx): one row per vendor × panel "
        "criterion they score, with drop-downs and a criteria guide, signed so that "
        "`project submit` knows whose it is. The evaluator must have declared conflicts "
        "of interest first.",
    )
    _name(p)
    p.add_argument(
        "--evaluator", metavar="EMAIL", help="whose sheet (default: the actor's own, --as)"
    )
    p.add_argument("--out", required=True, metavar="FILE.xlsx", help="where to write it")
    add_common_options(p)
