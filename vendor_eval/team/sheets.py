"""Offline score sheets (docs/team.md §4): the evaluator's workbook, signed, and taking it
back.

:func:`scoresheet` writes the sheet of one evaluator (their pairs, drafts filled in) with a
token signed by HMAC-SHA256 under the project's key (derived from the server's secret key
and the project's first event hash, :mod:`vendor_eval.team.tokens`): project, evaluator,
sheet revision and the pairs in row order. :func:`submit_sheet` takes a returned file from
the evaluator or from an owner who collected it; the token, not the person handing it in,
says whose scores they are. Refused, naming the cell where there is one: a sheet of another
project or evaluator, a forged or edited token, a stale sheet (the evaluator's sheet
changed since it was made: a new workbook version, assignment or declaration, or scores
saved in the browser), edited Vendor or Criterion cells, added or removed rows, scores off
the scale, missing scores or required comments.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from vendor_eval.core.model import Criterion
from vendor_eval.projects.actor import Actor
from vendor_eval.projects.errors import ProjectError, quoted
from vendor_eval.projects.rules import authorize, find
from vendor_eval.store import queries as q
from vendor_eval.store.database import Database
from vendor_eval.store.models import utc_now
from vendor_eval.team import tokens
from vendor_eval.team.access import Action
from vendor_eval.team.errors import SheetRefused
from vendor_eval.team.scoring import (
    SheetRow,
    SheetView,
    _comment,
    _store,
    read_sheet,
    submitted_sentence,
)
from vendor_eval.team.sheet_file import check_rows, read_scoresheet
from vendor_eval.team.state import EVALUATOR
from vendor_eval.workbook.schema import name_key

#: The token payload's format.
TOKEN_VERSION = 1


def _key(db: Database, name: str) -> bytes:
    """The project's sheet key: the server key and the project's first event hash."""
    with db.read() as s:
        project = find(s, name)
        salt = q.events(s, project.id, ["create"])[0].hash
    return tokens.derive_key(tokens.server_key(db.sqlite_path), salt)


@dataclass(frozen=True)
class IssuedSheet:
    """What an offline score sheet holds; :func:`vendor_eval.output.excel.scoresheet.
    write_issued` writes it as a workbook."""

    project: str
    evaluator: str
    revision: int
    rows: list[SheetRow]
    criteria: list[Criterion]
    token: str
    made_at: datetime


def scoresheet(actor: Actor, db: Database, name: str, email: str | None = None) -> IssuedSheet:
    """The evaluator's score sheet, signed (default the actor's own; an owner may make
    anyone's). Refused until the evaluator has declared conflicts for every vendor."""
    sheet, _, evaluation = read_sheet(actor, db, name, email)
    if sheet.undeclared:
        raise SheetRefused(
            f"{sheet.evaluator} must declare conflicts of interest first, for: "
            + ", ".join(sheet.undeclared)
        )
    key = _key(db, name)
    payload = {
        "v": TOKEN_VERSION,
        "p": sheet.project,
        "e": sheet.evaluator,
        "r": sheet.revision,
        "pairs": tokens.pairs_digest(sheet.pairs),
    }
    del evaluation
    return IssuedSheet(
        sheet.project, sheet.evaluator, sheet.revision, list(sheet.rows), list(sheet.criteria),
        tokens.sign(key, payload), utc_now(),
    )  # fmt: skip


def _payload(db: Database, name: str, token: str | None, file_name: str) -> dict[str, object]:
    if not token:
        raise SheetRefused(f"{file_name} has no signature (Token sheet): download the sheet "
                           "from vendor-eval again")  # fmt: skip
    try:
        payload = tokens.verify(_key(db, name), token)
    except tokens.BadToken as e:
        raise SheetRefused(f"{file_name}: {e}") from None
    if payload.get("v") != TOKEN_VERSION or not isinstance(payload.get("e"), str):
        raise SheetRefused(f"{file_name}: the sheet's signature is not one this vendor-eval reads")
    return payload


def submit_sheet(
    actor: Actor,
    db: Database,
    name: str,
    data: bytes,
    *,
    file_name: str = "scoresheet.xlsx",
    base_version: int | None = None,
) -> SheetView:
    """Take a returned score sheet and submit its scores for the evaluator it was made for
    (the project must be in scoring; an evaluator may hand in only their own)."""
    with db.read() as s:  # the project, the role and the status before the file is read
        project = find(s, name, actor=actor)
        project_name = project.name
        authorize(s, actor, project, Action.SUBMIT_SHEET)
    sheet_file = read_scoresheet(bytes(data), file_name)
    payload = _payload(db, project_name, sheet_file.token, file_name)
    if name_key(str(payload.get("p"))) != name_key(project_name):
        raise SheetRefused(f"{file_name} is a score sheet of project "
                           f"{quoted(str(payload.get('p')))}, not of {project_name}")  # fmt: skip
    email = str(payload["e"])
    with db.read() as s:  # whose the sheet is decides first (not whether it may be read)
        team = authorize(s, actor, find(s, name, actor=actor), Action.SUBMIT_SHEET, sheet_of=email)
    member = team.member(email)
    if member is None or member.role != EVALUATOR:
        raise SheetRefused(
            f"{file_name} is the score sheet of {email}, who is no longer an evaluator of "
            f"{project_name}"
        )
    sheet, _, _ = read_sheet(actor, db, name, email)
    if sheet.submitted:
        raise SheetRefused(f"{file_name}: {submitted_sentence(sheet.evaluator)}")
    revision = payload.get("r")
    if revision != sheet.revision or payload.get("pairs") != tokens.pairs_digest(sheet.pairs):
        raise SheetRefused(
            f"{file_name} is out of date: {sheet.evaluator}'s score sheet changed since it was "
            "made (a new workbook version, assignment or declaration, or scores saved in the "
            "browser): download a new sheet"
        )
    criteria = {c.name: c for c in sheet.criteria}
    parsed, problems = check_rows(sheet_file, sheet.pairs, criteria)
    where = {(name_key(r.vendor), name_key(r.criterion)): r.row for r in sheet_file.rows}
    comments: dict[tuple[str, str], str] = {}
    for v, c, _, comment in parsed:  # a comment as the browser would refuse it, by cell
        try:
            comments[(v, c)] = _comment(comment)
        except ProjectError as e:
            row = where.get((name_key(v), name_key(c)))
            problems.append(f"{sheet_file.sheet}!{sheet_file.columns[3]}{row} ({v}, {c}): {e}")
    if problems:
        prefix = f"{sheet_file.file_name}: "
        listed = [p.removeprefix(prefix) for p in problems]
        raise SheetRefused(f"{sheet_file.file_name} was not taken:", listed)
    rows = [SheetRow(v, c, score, comments[(v, c)]) for v, c, score, _ in parsed]
    extra: dict[str, object] = {
        "file_name": file_name,
        "sheet_sha256": hashlib.sha256(bytes(data)).hexdigest(),
    }
    return _store(actor, db, name, sheet, rows, submit=True, via="sheet",
                  action=Action.SUBMIT_SHEET, base_version=base_version, extra=extra,
                  revision=sheet.revision)  # fmt: skip
