"""The team lives in the audit log (docs/team.md §2): a backup carries it whole to the other
backend, `project verify` catches an edited score or moderation, and sign-in codes (secrets)
are never part of a backup."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from projects.projects_helpers import execute, migrated, scalar, xlsx
from sqlalchemy import text

from vendor_eval.projects import Actor, create_project, import_workbook, set_status, verify_project
from vendor_eval.projects.rules import find, team_of
from vendor_eval.store.backup import backup, restore
from vendor_eval.team import members, moderation, scoring
from vendor_eval.team.scoring import SheetRow

LEAD = Actor("lead")
ANA = Actor("ana@x.org", signed_in=True)
BO = Actor("bo@x.org", signed_in=True)
BOOK = xlsx({
    "Vendors": [["Vendor", "Price"], ["Acme", 100], ["Globex", 120]],
    "Criteria": [
        ["Criterion", "Category", "Weight", "Direction", "Scale", "Min", "Max"],
        ["Price", "Cost", 1, "lower", "relative", None, None],
        ["Quality", "Capability", 1, "higher", "absolute", 1, 5],
    ],
})  # fmt: skip


def _panel(db) -> list[str]:
    """A project whose two evaluators submitted and whose owner moderated one pair; the
    sign-in codes issued."""
    create_project(LEAD, db, "P")
    import_workbook(LEAD, db, "P", BOOK, file_name="p.xlsx")
    codes = [
        members.add_member(LEAD, db, "P", e, "evaluator").code for e in ("ana@x.org", "bo@x.org")
    ]
    codes.append(members.add_member(LEAD, db, "P", "obs@x.org", "observer").code)
    set_status(LEAD, db, "P", "scoring")
    for who, (a, g) in ((ANA, (5, 3)), (BO, (2, 3))):
        scoring.declare(who, db, "P", [("Acme", False, ""), ("Globex", False, "")])
        rows = [
            SheetRow("Acme", "Quality", a, "top" if a == 5 else ""),
            SheetRow("Globex", "Quality", g, ""),
        ]
        scoring.save_scores(who, db, "P", rows, submit=True)
    set_status(LEAD, db, "P", "moderation")
    moderation.moderate(
        LEAD, db, "P", vendor="Acme", criterion="Quality", score=4, rationale="agreed"
    )
    return codes


def _team(db):
    with db.read() as s:
        return team_of(s, find(s, "P"))


@pytest.fixture
def other_url(db_url, tmp_path, request):
    """A fresh database on the OTHER backend than ``db_url``."""
    if db_url.startswith("sqlite"):
        return str(request.getfixturevalue("postgres_url"))
    return f"sqlite:///{tmp_path / 'other.sqlite3'}"


def test_backup_carries_the_team_to_the_other_backend_and_never_the_codes(
    db_url, other_url, tmp_path
):
    archive = tmp_path / "backup.zip"
    with migrated(db_url) as db:
        codes = _panel(db)
        before = _team(db)
        pairs_before = [p.to_dict() for p in moderation.panel_pairs(LEAD, db, "P")]
        backup(db, archive)
    raw = archive.read_bytes()
    with zipfile.ZipFile(io.BytesIO(raw)) as z:
        everything = b"".join(z.read(n) for n in z.namelist())
    for code in codes:
        assert code.encode() not in everything
    with migrated(other_url) as db:
        restore(db, archive)
        assert verify_project(LEAD, db, "P").ok
        after = _team(db)
        assert after.members.keys() == before.members.keys()
        assert {k: (v.submitted, v.scores) for k, v in after.sheets.items()} == {
            k: (v.submitted, v.scores) for k, v in before.sheets.items()
        }
        assert after.moderation.keys() == before.moderation.keys()
        assert [p.to_dict() for p in moderation.panel_pairs(LEAD, db, "P")] == pairs_before
        # codes are not restored: issue new ones after a restore
        assert scalar(db, "SELECT COUNT(*) FROM sign_in_codes") == 0


@pytest.mark.parametrize("action", ["score-submit", "moderate", "declare", "member-add"])
def test_verify_names_an_edited_team_event(db_url, action):
    with migrated(db_url) as db:
        _panel(db)
        seq = scalar(db, "SELECT MIN(seq) FROM events WHERE action = :a", a=action)
        details = json.loads(scalar(db, "SELECT details FROM events WHERE seq = :s", s=seq))
        if action == "score-submit":
            details["scores"][0]["score"] = 1.0
        elif action == "moderate":
            details["score"] = 5.0
        elif action == "declare":
            details["declarations"][0]["conflict"] = True
        else:
            details["role"] = "owner"
        execute(db, "UPDATE events SET details = :d WHERE seq = :s AND action = :a",
                d=json.dumps(details), s=seq, a=action)  # fmt: skip
        result = verify_project(LEAD, db, "P")
        assert not result.ok
        assert result.first_bad == seq
        assert f"event {seq} does not match the chain" in result.message


def test_codes_are_stored_only_as_hashes(db_url):
    with migrated(db_url) as db:
        codes = _panel(db)
        with db.engine.connect() as conn:
            stored = [r[0] for r in conn.execute(text("SELECT code_hash FROM sign_in_codes"))]
            details = " ".join(r[0] for r in conn.execute(text("SELECT details FROM events")))
        assert len(stored) == 3 and all(len(h) == 64 for h in stored)
        for code in codes:
            assert code not in stored and code not in details


def test_sqlite_file_never_holds_a_code_in_clear(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'p.sqlite3'}"
    with migrated(url) as db:
        codes = _panel(db)
    blob = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("p.sqlite3"))
    for code in codes:
        assert code.encode() not in blob
