"""The team commands (docs/team.md): members and sign-in codes, assignments, declarations,
offline score sheets, disagreement, moderation, calibration and the project's settings.

``project member add|list|remove|code``, ``project assign``, ``project declare``, ``project
submit``, ``project reopen-sheet``, ``project disagreements``, ``project moderate``,
``project calibration`` and ``project settings`` are sub-commands of ``project``
(:mod:`.project` registers them); ``scoresheet`` is a command of its own (their parsers are
in :mod:`.team_args`). Each is one call of
the team (or projects) service, which decides who may do it (``--as`` names the actor: an
evaluator's e-mail acts as that evaluator); its refusal is printed as ``error: …`` (exit 2)
by the package's one translation. Their output is in :mod:`.team_text`.
"""

from __future__ import annotations

import argparse
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from vendor_eval.cli import team_text
from vendor_eval.cli.common import EXIT_OK, acting, database, refuse_database_target
from vendor_eval.cli.team_args import add_commands, add_top_commands
from vendor_eval.core.problems import VendorEvalError

if TYPE_CHECKING:
    from vendor_eval.projects.actor import Actor
    from vendor_eval.store.database import Database

__all__ = ["COMMANDS", "PROJECT_COMMANDS", "add_commands", "add_top_commands", "panel_line"]


def cmd_member_add(args: argparse.Namespace) -> int:
    from vendor_eval.team.members import add_member

    actor = acting(args)
    with database(args) as db:
        issued = add_member(actor, db, args.name, args.email, args.role, days=args.days)
    print(team_text.issued(args.name.strip(), issued, args.format, new=True))
    return EXIT_OK


def cmd_member_list(args: argparse.Namespace) -> int:
    from vendor_eval.team.members import list_members

    actor = acting(args)
    with database(args) as db:
        views = list_members(actor, db, args.name)
    print(team_text.members(views, args.format))
    return EXIT_OK


def cmd_member_remove(args: argparse.Namespace) -> int:
    from vendor_eval.output.safety import terminal_text
    from vendor_eval.team.members import remove_member

    actor = acting(args)
    with database(args) as db:
        said = remove_member(actor, db, args.name, args.email)
    print(terminal_text(said))
    return EXIT_OK


def cmd_member_code(args: argparse.Namespace) -> int:
    from vendor_eval.team.members import issue_code

    actor = acting(args)
    with database(args) as db:
        issued = issue_code(actor, db, args.name, args.email, days=args.days)
    print(team_text.issued(args.name.strip(), issued, args.format, new=False))
    return EXIT_OK


MEMBER_COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "add": cmd_member_add,
    "list": cmd_member_list,
    "remove": cmd_member_remove,
    "code": cmd_member_code,
}


def cmd_member(args: argparse.Namespace) -> int:
    return MEMBER_COMMANDS[args.member_command](args)


def cmd_assign(args: argparse.Namespace) -> int:
    from vendor_eval.team.members import assign

    actor = acting(args)
    with database(args) as db:
        chosen = assign(
            actor, db, args.name, args.email, criteria=args.criteria, categories=args.categories
        )
    print(team_text.assigned(args.name.strip(), args.email, chosen))
    return EXIT_OK


def cmd_declare(args: argparse.Namespace) -> int:
    from vendor_eval.team.scoring import declare

    actor = acting(args)
    items = [(v, False, "") for v in args.clear]
    items += [(v, True, note) for v, note in args.conflict]
    with database(args) as db:
        sheet = declare(actor, db, args.name, items, email=args.evaluator)
    print(team_text.declared(sheet))
    return EXIT_OK


def _file_name(path: Path) -> str:
    """The name a file is recorded under: readable (a non-UTF-8 name gets U+FFFD), with no
    control or text-direction characters."""
    from vendor_eval.workbook.text_rules import clean_file_name

    raw = os.fsencode(path.name or path).decode("utf-8", "replace")
    return clean_file_name(raw, "scoresheet.xlsx")


def _read_upload(path: Path) -> bytes:
    """A returned sheet's bytes (never more than the reader's size limit + 1: the reader
    refuses a larger file with its own sentence)."""
    from vendor_eval.workbook.reading.zipguard import DEFAULT_LIMITS

    shown = os.fsencode(path).decode("utf-8", "replace")
    try:
        mode = path.stat().st_mode
        if stat.S_ISDIR(mode):
            raise VendorEvalError(f"{shown} is a folder, not a file")
        if not stat.S_ISREG(mode):
            raise VendorEvalError(f"{shown} is not a regular file")
        with path.open("rb") as fh:
            return fh.read(DEFAULT_LIMITS.max_file_bytes + 1)
    except FileNotFoundError:
        raise VendorEvalError(f"{shown} was not found") from None
    except OSError as e:
        raise VendorEvalError(f"{shown} could not be read: {e.strerror or e}") from None


def cmd_submit(args: argparse.Namespace) -> int:
    from vendor_eval.team.sheets import submit_sheet

    actor = acting(args)
    path = Path(args.sheet)
    data = _read_upload(path)
    with database(args) as db:
        sheet = submit_sheet(actor, db, args.name, data, file_name=_file_name(path))
    print(team_text.submitted(sheet))
    return EXIT_OK


def cmd_reopen_sheet(args: argparse.Namespace) -> int:
    from vendor_eval.output.safety import terminal_text
    from vendor_eval.team.scoring import reopen_sheet

    actor = acting(args)
    with database(args) as db:
        said = reopen_sheet(actor, db, args.name, args.email, args.reason)
    print(f"{terminal_text(args.name.strip())}: {terminal_text(said)}")
    return EXIT_OK


def _share(text: str | None) -> float | None:
    """``--threshold`` as a number, by the one rule the settings use too."""
    from vendor_eval.projects.rules import clean_threshold

    return None if text is None else clean_threshold(text)


def cmd_disagreements(args: argparse.Namespace) -> int:
    from vendor_eval.team.moderation import disagreements

    actor = acting(args)
    threshold = _share(args.threshold)
    with database(args) as db:
        pairs = disagreements(actor, db, args.name, threshold=threshold)
    print(team_text.disagreements(pairs, args.format))
    return EXIT_OK


def cmd_moderate(args: argparse.Namespace) -> int:
    from vendor_eval.team.moderation import moderate

    actor = acting(args)
    with database(args) as db:
        pair = moderate(
            actor,
            db,
            args.name,
            vendor=args.vendor,
            criterion=args.criterion,
            score=args.score,
            rationale=args.rationale,
        )
    print(team_text.moderated(args.name.strip(), pair))
    return EXIT_OK


def cmd_calibration(args: argparse.Namespace) -> int:
    from vendor_eval.team.moderation import calibration

    actor = acting(args)
    with database(args) as db:
        rows = calibration(actor, db, args.name)
    print(team_text.calibration(rows, args.format))
    return EXIT_OK


def cmd_settings(args: argparse.Namespace) -> int:
    """No option: show the settings (anyone who may read the project); options: change them."""
    from vendor_eval.projects import show_project, update_settings
    from vendor_eval.projects.analysis import UNCHANGED

    actor = acting(args)
    options = (args.method, args.missing, args.consensus, args.threshold, args.scenario)
    with database(args) as db:
        if all(o is None for o in options):
            view = show_project(actor, db, args.name)
            name, values = view.name, dict(view.settings)
        else:
            values = update_settings(
                actor,
                db,
                args.name,
                method=args.method,
                missing=args.missing,
                consensus=args.consensus,
                threshold=args.threshold,
                scenario=UNCHANGED if args.scenario is None else args.scenario,
            )
            name = args.name.strip()
    print(team_text.settings(name, values, args.format))
    return EXIT_OK


def _write_atomically(out: Path, data: bytes) -> None:
    """Write ``data`` to ``out`` whole or not at all: a temporary file in the same folder,
    then renamed over it (a reader never sees half a file, a failure leaves no output)."""
    folder = out.parent
    if not folder.is_dir():
        raise VendorEvalError(f"the folder {folder} does not exist: create it first")
    if out.is_dir():
        raise VendorEvalError(f"{out} is a folder: name the file to write (e.g. sheet.xlsx)")
    fd, temp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=folder)
    try:
        mask = os.umask(0)  # mkstemp makes the file 0600: give it the mode any new file gets
        os.umask(mask)
        os.chmod(temp, 0o666 & ~mask)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(temp, out)
    except OSError as e:
        Path(temp).unlink(missing_ok=True)
        raise VendorEvalError(f"{out} could not be written: {e.strerror or e}") from None
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def cmd_scoresheet(args: argparse.Namespace) -> int:
    from vendor_eval.output.excel.scoresheet import write_issued
    from vendor_eval.team.sheets import scoresheet

    out = Path(args.out)
    if out.suffix.lower() != ".xlsx":
        raise VendorEvalError(f"--out must name an .xlsx file (not {args.out!r})")
    actor = acting(args)
    with database(args) as db:
        refuse_database_target(out, db)
        issued = scoresheet(actor, db, args.name, args.evaluator)
    _write_atomically(out, write_issued(issued))
    print(team_text.wrote_sheet(args.out, issued))
    return EXIT_OK


def panel_line(actor: Actor, db: Database, name: str, consensus: str | None) -> str | None:
    """The line ``project rank`` prints under its table when the project has panel criteria
    (None without any, or when the actor may not see the panel)."""
    from vendor_eval.projects import show_project
    from vendor_eval.team.errors import PermissionDenied
    from vendor_eval.team.moderation import panel_summary

    try:
        summary = panel_summary(actor, db, name)
    except PermissionDenied:
        return None
    if not summary.pairs:
        return None
    used = consensus or show_project(actor, db, name).settings.get("consensus") or "mean"
    return team_text.panel_line(summary, used)


#: ``project`` sub-command → handler (merged into :data:`.project.PROJECT_COMMANDS`).
PROJECT_COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "member": cmd_member,
    "assign": cmd_assign,
    "declare": cmd_declare,
    "submit": cmd_submit,
    "reopen-sheet": cmd_reopen_sheet,
    "disagreements": cmd_disagreements,
    "moderate": cmd_moderate,
    "calibration": cmd_calibration,
    "settings": cmd_settings,
}
#: Top-level command → handler (merged into :data:`vendor_eval.cli.COMMANDS`).
COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {"scoresheet": cmd_scoresheet}
