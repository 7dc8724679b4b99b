"""The team commands end to end through ``vendor_eval.cli.main``: members and one-time
codes, assignments, declarations, offline score sheets, disagreement, moderation,
calibration, settings, and the panel line under ``project rank`` (docs/team.md).

The whole flow runs on SQLite and PostgreSQL (the ``db_url`` fixture); the refusals run on
SQLite, each with its exact sentence, exit 2 and nothing written.
"""

from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path

import openpyxl
import pytest

from vendor_eval import cli

P = "IT 2027"
ANA, BO, OLGA = "ana@x.org", "bo@x.org", "olga@x.org"
WHY = "seen in the demo"  # a comment is required at a scale's lowest and highest score
#: What each evaluator gives (vendor, criterion) on their sheet.
ANA_SCORES = {("Acme", "Quality"): 5, ("Globex", "Quality"): 2}
BO_SCORES = {
    ("Acme", "Quality"): 2, ("Acme", "Support"): 3, ("Globex", "Quality"): 3,
    ("Globex", "Support"): 3, ("Initech", "Quality"): 4, ("Initech", "Support"): 4,
}  # fmt: skip
TEAM_COMMANDS = {
    "member": {"add", "list", "remove", "code"},
    "assign": None, "declare": None, "submit": None, "reopen-sheet": None,
    "disagreements": None, "moderate": None, "calibration": None, "settings": None,
}  # fmt: skip
PRINTS_JSON = {"member add", "member list", "member code", "disagreements", "calibration",
               "settings"}  # fmt: skip


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def ok(capsys, *argv: str) -> str:
    code, out, err = run(capsys, *argv)
    assert code == 0, err
    assert "Traceback" not in err
    return out


def fails(capsys, *argv: str) -> str:
    """The refusal's sentence: exit 2, nothing on stdout, no traceback."""
    code, out, err = run(capsys, *argv)
    assert (code, out) == (2, ""), (code, out, err)
    assert err.startswith("error: ") and "Traceback" not in err
    return err


def write_book(path: Path, vendors=("Acme", "Globex", "Initech")) -> str:
    """A workbook with one measured criterion and two panel criteria (absolute 1–5, no
    Vendors column: the panel scores them)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Vendors"
    ws.append(["Vendor", "Price"])
    for k, vendor in enumerate(vendors):
        ws.append([vendor, 100 + 10 * k])
    ws = wb.create_sheet("Criteria")
    ws.append(["Criterion", "Category", "Weight", "Direction", "Scale", "Min", "Max"])
    ws.append(["Price", "Cost", 1, "lower", "relative", None, None])
    ws.append(["Quality", "Capability", 2, "higher", "absolute", 1, 5])
    ws.append(["Support", "Service", 1, "higher", "absolute", 1, 5])
    wb.save(path)
    return str(path)


def fill(sheet: Path, scores: dict, out: Path | None = None, **cells) -> str:
    """The score sheet filled in with openpyxl (``cells``: extra edits, e.g. ``A2="X"``)."""
    wb = openpyxl.load_workbook(sheet)
    ws = wb["Scores"]
    for row in ws.iter_rows(min_row=2):
        pair = (row[0].value, row[1].value)
        if pair in scores:
            row[2].value, row[3].value = scores[pair], WHY
    for ref, value in cells.items():
        ws[ref] = value
    target = out or sheet.with_name(sheet.stem + "-filled.xlsx")
    wb.save(target)
    return str(target)


class Team:
    """The commands of one database, the owner ("lead", the creator) acting by default."""

    def __init__(self, capsys, url: str, folder: Path) -> None:
        self.capsys, self.url, self.folder = capsys, url, folder

    def ok(self, *argv: str, who: str = "lead") -> str:
        return ok(self.capsys, *argv, "--db", self.url, "--as", who)

    def fails(self, *argv: str, who: str = "lead") -> str:
        return fails(self.capsys, *argv, "--db", self.url, "--as", who)

    def json(self, *argv: str, who: str = "lead"):
        return json.loads(self.ok(*argv, "--format", "json", who=who))

    def sheet(self, email: str, who: str = "lead", project: str = P) -> Path:
        out = self.folder / f"{project}-{email}.xlsx"
        self.ok("scoresheet", project, "--evaluator", email, "--out", str(out), who=who)
        return out

    def history(self) -> str:
        return self.ok("project", "history", P, "--format", "json")


def setup(capsys, url: str, folder: Path) -> tuple[Team, dict[str, str]]:
    """A project in scoring: two evaluators (Ana: Quality only, a conflict with Initech;
    Bo: everything) and an observer, declarations made; returns the codes issued."""
    t = Team(capsys, url, folder)
    ok(capsys, "db", "upgrade", "--db", url)
    assert t.ok("project", "create", P).startswith(f"created project {P}")
    t.ok("project", "import", P, write_book(folder / "shortlist.xlsx"))
    codes = {}
    added = t.json("project", "member", "add", P, ANA, "--role", "evaluator")
    assert set(added) == {"email", "role", "code", "expires_at"}
    assert (added["email"], added["role"]) == (ANA, "evaluator")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z", added["expires_at"])
    codes[ANA] = added["code"]
    for email, role in ((BO, "evaluator"), (OLGA, "observer")):
        out = t.ok("project", "member", "add", P, email, "--role", role, "--days", "30")
        lines = out.splitlines()
        assert lines[0] == f"{P}: added {email} as {role}"
        assert lines[1].startswith("Sign-in code:") and lines[2].startswith("Valid until:")
        assert "shown only once" in lines[3]
        codes[email] = lines[1].split()[-1]
    for code in codes.values():
        assert len(code) >= 22 and re.fullmatch(r"[A-Za-z0-9_-]+", code)
    out = t.ok("project", "assign", P, ANA, "--criteria", "quality")
    assert out == f"{P}: {ANA} scores the criterion Quality\n"
    assert t.ok("project", "assign", P, BO) == f"{P}: {BO} scores every panel criterion\n"
    assert t.ok("project", "status", P, "scoring") == f"{P}: status draft → scoring\n"
    out = t.ok("project", "declare", P, "--none", "Acme", "Globex", "--conflict", "Initech",
               "my brother works there", who=ANA)  # fmt: skip
    assert out == (
        f"{P}: {ANA} declared no conflict with Acme, Globex; a conflict with Initech (my "
        "brother works there)\nthe score sheet has 2 pairs to score\n"
    )
    out = t.ok("project", "declare", P, "--none", "Acme", "Globex", "Initech", "--evaluator", BO)
    assert out.endswith("the score sheet has 6 pairs to score\n")
    return t, codes


def test_the_whole_flow(db_url, tmp_path, capsys, monkeypatch):
    if db_url.startswith("postgresql"):
        monkeypatch.setenv("VENDOR_EVAL_SECRET_KEY", "k" * 40)  # PostgreSQL needs one
    else:
        monkeypatch.delenv("VENDOR_EVAL_SECRET_KEY", raising=False)  # the .key file
    t, codes = setup(capsys, db_url, tmp_path)
    members = t.json("project", "member", "list", P)
    assert [(m["email"], m["role"], m["sheet"]) for m in members] == [
        ("lead", "owner", None), (ANA, "evaluator", "not started"),
        (BO, "evaluator", "not started"), (OLGA, "observer", None),
    ]  # fmt: skip
    assert members[1]["criteria"] == ["Quality"] and members[2]["criteria"] == []

    # the offline round trip: Ana makes and hands in her own; the lead makes and hands in Bo's
    out = tmp_path / "ana.xlsx"
    said = t.ok("scoresheet", P, "--out", str(out), who=ANA)
    assert said == (f"wrote {out}: the score sheet of {ANA} for {P}, 2 pairs to score (hand "
                    f"it back with `project submit {P} FILE.xlsx`)\n")  # fmt: skip
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
    said = t.ok("project", "submit", P, fill(out, ANA_SCORES), who=ANA)
    assert said == (f"{P}: took the score sheet of {ANA} — 2 scores submitted (the sheet is "
                    "locked until an owner reopens it)\n")  # fmt: skip
    said = t.ok("project", "submit", P, fill(t.sheet(BO), BO_SCORES))
    assert said.startswith(f"{P}: took the score sheet of {BO} — 6 scores submitted")
    members = t.json("project", "member", "list", P)
    assert [m["sheet"] for m in members] == [None, "submitted", "submitted", None]

    expected = [
        {"vendor": "Acme", "criterion": "Quality", "scores": {ANA: 5.0, BO: 2.0},
         "spread": 3.0, "flagged": True, "consensus": 3.5, "moderated": False},
        {"vendor": "Globex", "criterion": "Quality", "scores": {ANA: 2.0, BO: 3.0},
         "spread": 1.0, "flagged": False, "consensus": 2.5, "moderated": False},
    ]  # fmt: skip
    assert t.json("project", "disagreements", P) == expected
    table = t.ok("project", "disagreements", P).splitlines()
    assert table[0].split() == ["Flag", "Vendor", "Criterion", "Scores", "Spread", "Consensus",
                                "Moderated"]  # fmt: skip
    assert table[2].startswith("FLAG  Acme    Quality    ana@x.org 5, bo@x.org 2")
    assert table[3].startswith("      Globex  Quality")
    assert table[-1] == "1 of 2 pairs flagged"
    # a looser threshold flags the other pair too
    assert all(p["flagged"] for p in t.json("project", "disagreements", P, "--threshold", "0.25"))

    assert t.ok("project", "status", P, "moderation") == f"{P}: status scoring → moderation\n"
    said = t.ok("project", "moderate", P, "--vendor", "acme", "--criterion", "QUALITY",
                "--score", "3.5", "--rationale", "agreed in the panel meeting")  # fmt: skip
    assert (
        said == f"{P}: consensus of Acme on Quality is 3.5 (the panel's scores: {ANA} 5, {BO} 2)\n"
    )
    expected[0]["moderated"] = True
    assert t.json("project", "disagreements", P, who=ANA) == expected  # evaluators, now

    ranked = t.ok("project", "rank", P).splitlines()
    assert ranked[-1] == (
        "Panel: 2 of 2 evaluators submitted; 1 of 6 pairs moderated (consensus replaces the mean)"
    )
    assert ranked[-2].split()[1] in {"Acme", "Globex", "Initech"}  # right under the table
    as_json = t.ok("project", "rank", P, "--format", "json")
    assert "Panel" not in as_json and len(json.loads(as_json)) == 3
    assert "Panel" not in t.ok("project", "rank", P, "--format", "csv")

    assert t.json("project", "calibration", P) == [
        {"evaluator": ANA, "scored": 2, "compared": 2, "mean_deviation": 0.5,
         "mean_deviation_share": 0.125, "flagged": 1, "flagged_share": 0.5,
         "leaning": "lenient"},
        {"evaluator": BO, "scored": 6, "compared": 2, "mean_deviation": -0.5,
         "mean_deviation_share": -0.125, "flagged": 1, "flagged_share": 1 / 6,
         "leaning": "severe"},
    ]  # fmt: skip
    table = t.ok("project", "calibration", P).splitlines()
    assert table[2].split() == [ANA, "2", "2", "+0.50", "+12.5%", "1", "(50%)", "lenient"]

    # the codes were printed once and are nowhere else
    history = t.history()
    for code in codes.values():
        assert code not in history
    if db_url.startswith("sqlite"):
        path = Path(db_url.removeprefix("sqlite:///"))
        data = b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))
        for code in codes.values():
            assert code.encode() not in data
        key = path.with_name(path.name + ".key")
        assert stat.S_IMODE(key.stat().st_mode) == 0o600
    actions = [e["action"] for e in json.loads(history)]
    assert actions.count("score-submit") == 2 and actions[-1] == "moderate"
    assert t.ok("project", "verify", P).startswith(f"{P}: audit log intact")

    t.ok("project", "decide", P, "--winner", "Initech", "--justification", "best value")
    assert t.json("project", "disagreements", P, who=OLGA) == expected  # observers, decided


@pytest.fixture
def team(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("VENDOR_EVAL_SECRET_KEY", raising=False)
    t, _ = setup(capsys, f"sqlite:///{tmp_path / 'team.sqlite3'}", tmp_path)
    return t


def test_evaluators_and_observers_are_refused_what_their_role_does_not_allow(team):
    before = team.history()
    refusals = [
        (ANA, ["project", "moderate", P, "--vendor", "Acme", "--criterion", "Quality",
               "--score", "3", "--rationale", "x"],
         f"error: {ANA} (evaluator) may not moderate in {P}\n"),
        (ANA, ["project", "settings", P, "--threshold", "0.5"],
         f"error: {ANA} (evaluator) may not change the workbook, weights, settings or "
         f"status in {P}\n"),
        (ANA, ["project", "disagreements", P],
         f"error: {ANA} (evaluator) may see the panel's scores in {P} only when it is "
         "in moderation or decided (it is in scoring)\n"),
        (ANA, ["project", "calibration", P],
         f"error: {ANA} (evaluator) may not see the evaluators' calibration in {P}\n"),
        (OLGA, ["project", "disagreements", P],
         f"error: {OLGA} (observer) may see the panel's scores in {P} only when it is "
         "decided (it is in scoring)\n"),
        (ANA, ["project", "member", "add", P, "x@x.org", "--role", "owner"],
         f"error: {ANA} (evaluator) may not manage the members in {P}\n"),
        (ANA, ["scoresheet", P, "--evaluator", BO, "--out", str(team.folder / "bo.xlsx")],
         f"error: {ANA} (evaluator) may not read a score sheet of another evaluator in {P}\n"),
    ]  # fmt: skip
    for who, argv, message in refusals:
        assert team.fails(*argv, who=who) == message, argv
    assert not (team.folder / "bo.xlsx").exists()
    team.ok("project", "status", P, "moderation")
    message = (f"error: {OLGA} (observer) may see the panel's scores in {P} only when it is "
               "decided (it is in moderation)\n")  # fmt: skip
    assert team.fails("project", "disagreements", P, who=OLGA) == message
    assert [e["action"] for e in json.loads(team.history())][-1] == "status"
    assert json.loads(team.history())[:-1] == json.loads(before)  # nothing else written


def test_a_sheet_of_another_project_is_refused(team, tmp_path):
    team.ok("project", "create", "Other")
    team.ok("project", "import", "Other", str(tmp_path / "shortlist.xlsx"))
    team.ok("project", "member", "add", "Other", ANA, "--role", "evaluator")
    team.ok("project", "declare", "Other", "--none", "Acme", "Globex", "Initech", who=ANA)
    team.ok("project", "status", "Other", "scoring")
    other = fill(team.sheet(ANA, project="Other"), dict.fromkeys(BO_SCORES, 3))
    message = team.fails("project", "submit", P, other, who=ANA)
    assert message == (
        "error: Other-ana@x.org-filled.xlsx: the sheet's signature does not match: it was not "
        "made by this vendor-eval for this project, or it was edited\n"
    )


def _lines(message: str) -> str:
    """A refusal listing problems, one per line (the error translation may show the line
    breaks as ␊: its sentence is one line)."""
    return message.replace("\u240a", "\n")


def test_an_edited_vendor_cell_is_named(team):
    sheet = fill(team.sheet(ANA), ANA_SCORES, A2="Acme Corp")
    message = _lines(team.fails("project", "submit", P, sheet))
    name = f"{P}-{ANA}-filled.xlsx"
    assert message == (
        f"error: {name} was not taken:\n- Scores!A2: the Vendor cell was changed (the "
        "sheet said 'Acme', it now says 'Acme Corp')\n"
    )


def test_a_score_outside_the_scale_is_refused_naming_the_cell(team):
    sheet = fill(team.sheet(BO), {**BO_SCORES, ("Globex", "Support"): 7})
    message = _lines(team.fails("project", "submit", P, sheet))
    name = f"{P}-{BO}-filled.xlsx"
    assert message == (
        f"error: {name} was not taken:\n- Scores!C5 (Globex, Support): 7 is outside "
        "the scale 1–5 of 'Support'\n"
    )
    members = team.json("project", "member", "list", P)
    assert members[2]["sheet"] == "not started"  # nothing stored


def test_scoresheet_for_a_non_member_writes_nothing(team):
    out = team.folder / "zed.xlsx"
    message = team.fails("scoresheet", P, "--evaluator", "zed@x.org", "--out", str(out))
    assert message == f"error: zed@x.org is not an evaluator of {P}\n"
    message = team.fails("scoresheet", P, "--evaluator", OLGA, "--out", str(out))
    assert message == f"error: {OLGA} is not an evaluator of {P}\n"
    assert (
        team.fails("scoresheet", P, "--out", str(out))
        == f"error: lead is not an evaluator of {P}\n"
    )
    message = team.fails("scoresheet", P, "--evaluator", ANA, "--out", str(team.folder / "a.csv"))
    assert (
        message
        == "error: --out must name an .xlsx file (not '" + str(team.folder / "a.csv") + "')\n"
    )
    gone = team.folder / "no" / "a.xlsx"
    message = team.fails("scoresheet", P, "--evaluator", ANA, "--out", str(gone))
    assert message == f"error: the folder {gone.parent} does not exist: create it first\n"
    assert sorted(p.name for p in team.folder.iterdir()) == [
        "shortlist.xlsx", "team.sqlite3", "team.sqlite3.key"
    ]  # fmt: skip


def test_scoresheet_replaces_a_file_whole(team):
    out = team.folder / "ana.xlsx"
    out.write_bytes(b"an older sheet")
    team.ok("scoresheet", P, "--evaluator", ANA, "--out", str(out))
    assert out.read_bytes()[:2] == b"PK"  # a workbook now, not the old bytes
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~mask
    assert [p.name for p in team.folder.iterdir() if p.suffix == ".tmp"] == []


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["bad", "--role", "evaluator"], "'bad' is not an e-mail address (name@example.org)"),
        (["zoe@x.org", "--role", "boss"], "unknown role 'boss' (owner, evaluator, observer)"),
        (["zoe@x.org", "--role", "observer", "--days", "91"],
         "a sign-in code is valid for 1 to 90 days (not 91)"),
        ([ANA, "--role", "observer"],
         f"{ANA} is already a member of {P} (evaluator): remove them first to change the role"),
    ],
)  # fmt: skip
def test_member_add_refuses_bad_input(team, argv, message):
    before = team.history()
    assert team.fails("project", "member", "add", P, *argv) == f"error: {message}\n"
    assert team.history() == before


def test_a_new_code_revokes_the_old_one_and_remove_revokes_all(team):
    from vendor_eval.store.database import open_database
    from vendor_eval.team.signin import sign_in

    first = team.json("project", "member", "code", P, BO)["code"]
    out = team.ok("project", "member", "code", P, BO, "--days", "3")
    assert out.startswith(
        f"{P}: a new sign-in code for {BO} (evaluator); their unused codes are revoked\n"
    )
    second = out.splitlines()[1].split()[-1]
    with open_database(team.url) as db:
        with pytest.raises(Exception, match="not valid"):
            sign_in(db, first, client="t1")
        assert sign_in(db, second, client="t1").actor.name == BO
    out = team.ok("project", "member", "remove", P, OLGA)
    assert out == f"{OLGA} (observer) removed from {P}\n"
    message = team.fails("project", "member", "code", P, OLGA)
    assert message == f"error: {OLGA} is not a member of {P} (ana@x.org, bo@x.org)\n"


def test_reopen_sheet_makes_an_old_sheet_out_of_date(team):
    sheet = team.sheet(ANA)
    team.ok("project", "submit", P, fill(sheet, ANA_SCORES))
    said = team.ok("project", "reopen-sheet", P, ANA, "--reason", "scored the wrong vendor")
    assert said == f"{P}: the score sheet of {ANA} is open again\n"
    assert team.json("project", "member", "list", P)[1]["sheet"] == "draft"
    message = team.fails("project", "submit", P, fill(sheet, ANA_SCORES))
    assert "is out of date" in message and message.endswith("download a new sheet\n")
    team.ok("project", "submit", P, fill(team.sheet(ANA), ANA_SCORES), who=ANA)


def test_settings_show_and_change(team):
    out = team.ok("project", "settings", P, who=ANA)  # reading them is reading the project
    assert "Threshold:       0.4 (the default)" in out
    shown = team.json("project", "settings", P, "--threshold", "0.25", "--consensus", "median")
    assert shown == {"method": "wsm", "missing": "worst", "consensus": "median",
                     "scenario": None, "threshold": "0.25"}  # fmt: skip
    for bad in ("abc", "0", "1.5"):
        message = (f"error: the disagreement threshold is a share of the scale's range "
                   f"from 0.01 to 1 (0.4 = 40%), not '{bad}'\n")  # fmt: skip
        assert team.fails("project", "settings", P, "--threshold", bad) == message
        assert team.fails("project", "disagreements", P, "--threshold", bad) == message


def test_declare_needs_a_declaration(team):
    message = team.fails("project", "declare", P, who=ANA)
    assert message == "error: nothing to declare: give a declaration for at least one vendor\n"
    message = team.fails("project", "declare", P, "--conflict", "Acme", " ", who=ANA)
    assert message == "error: say what the conflict of interest with Acme is\n"
    message = team.fails("project", "declare", P, "--none", "Hooli", who=ANA)
    assert message == f"error: 'Hooli' is not a vendor of {P}\n"


def test_submit_of_a_missing_file_or_a_folder(team):
    gone = team.folder / "gone.xlsx"
    assert team.fails("project", "submit", P, str(gone)) == f"error: {gone} was not found\n"
    message = team.fails("project", "submit", P, str(team.folder))
    assert message == f"error: {team.folder} is a folder, not a file\n"


def _subparsers(parser) -> dict:
    return next(a for a in parser._actions if a.dest.endswith("command")).choices


def test_every_team_command_has_help_db_as_and_json_where_it_prints_data():
    top = _subparsers(cli.build_parser())
    project = _subparsers(top["project"])
    found = {"scoresheet": top["scoresheet"]}
    for name, subs in TEAM_COMMANDS.items():
        if subs is None:
            found[name] = project[name]
        else:
            assert set(_subparsers(project[name])) == subs
            found.update({f"{name} {s}": p for s, p in _subparsers(project[name]).items()})
    for name, sub in found.items():
        assert sub.description, name
        options = {o for a in sub._actions for o in a.option_strings}
        assert {"--db", "--as"} <= options, name
        for action in sub._actions:
            if action.dest != "help":
                assert action.help, f"{name} {action.dest} has no help text"
        formats = next((a.choices for a in sub._actions if a.dest == "format"), None)
        assert formats == (["table", "json"] if name in PRINTS_JSON else None), name
