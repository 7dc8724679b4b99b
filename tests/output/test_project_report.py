"""A project's award report (docs/report.md §3): a moderated, decided project's goals,
panel and conflict declarations, moderation log, decision, workbook versions and audit
chain in the PDF; what an observer reads of it and that an evaluator may not make it; a
reopened decision, a tampered record and an undecided project; ``project report``."""

from __future__ import annotations

import io
import re
import sqlite3
import subprocess

import pytest
from conftest import require_executable, xlsx
from projects.projects_helpers import migrated
from pypdf import PdfReader

from vendor_eval import cli
from vendor_eval.charts.award import report_inputs
from vendor_eval.output.report import facts_from, render_report
from vendor_eval.output.report.award import NO_DECISION
from vendor_eval.projects import (
    Actor,
    create_project,
    decide,
    import_workbook,
    reopen,
    set_status,
)
from vendor_eval.team import members, moderation, scoring
from vendor_eval.team.errors import PermissionDenied
from vendor_eval.team.record import award_record, may_report
from vendor_eval.team.scoring import SheetRow
from vendor_eval.team.state import EVALUATOR, OBSERVER

P = "Managed services 2027"
X = "</table><h1>x"  # a vendor whose name is markup: it prints as written
NOTE = "<i>former</i> employer"  # bo's conflict with Globex: owners read it
RATIONALE = "</td></tr><h1>references checked"
GOALS = ["Cut response times", "Lower cost"]
BOOK = xlsx({
    "Vendors": [["Vendor", "Price"], ["Acme", 100], ["Globex", 120], [X, 110]],
    "Criteria": [
        ["Criterion", "Category", "Weight", "Direction", "Scale", "Min", "Max", "Goal"],
        ["Price", "Cost", 1, "lower", "relative", None, None, "Lower cost"],
        ["Quality", "Capability", 1, "higher", "absolute", 1, 5, "Cut response times"],
    ],
})  # fmt: skip
BOOK_V2 = xlsx({  # Globex lowered its price
    "Vendors": [["Vendor", "Price"], ["Acme", 100], ["Globex", 105], [X, 110]],
    "Criteria": [
        ["Criterion", "Category", "Weight", "Direction", "Scale", "Min", "Max", "Goal"],
        ["Price", "Cost", 1, "lower", "relative", None, None, "Lower cost"],
        ["Quality", "Capability", 1, "higher", "absolute", 1, 5, "Cut response times"],
    ],
})  # fmt: skip
LEAD = Actor("lead")
ANA = Actor("ana@x.org", signed_in=True)
BO = Actor("bo@x.org", signed_in=True)
OBS = Actor("obs@x.org", signed_in=True)
SECTIONS = [
    "Goals", "The panel", "Method", "Weights", "Gates", "Ranking", "Strengths and weaknesses",
    "Head-to-head", "Robustness", "Moderation log", "Decision", "Appendix",
]  # fmt: skip


def _build(db, *, decided: bool = True) -> None:
    """The project through scoring and moderation: ana and bo score Quality (bo declared a
    conflict with Globex), Acme's far-apart scores are moderated; decided for Acme."""
    create_project(LEAD, db, P, GOALS)
    import_workbook(LEAD, db, P, BOOK, file_name="tender-v1.xlsx")
    import_workbook(LEAD, db, P, BOOK_V2, file_name="tender-v2.xlsx")
    members.add_member(LEAD, db, P, "ana@x.org", EVALUATOR)
    members.add_member(LEAD, db, P, "bo@x.org", EVALUATOR)
    members.add_member(LEAD, db, P, "obs@x.org", OBSERVER)
    scoring.declare(ANA, db, P, [("Acme", False, ""), ("Globex", False, ""), (X, False, "")])
    scoring.declare(BO, db, P, [("Acme", False, ""), ("Globex", True, NOTE), (X, False, "")])
    set_status(LEAD, db, P, "scoring")
    ana = [SheetRow("Acme", "Quality", 5, "great"), SheetRow("Globex", "Quality", 3, ""),
           SheetRow(X, "Quality", 4, "")]  # fmt: skip
    scoring.save_scores(ANA, db, P, ana, submit=True)
    bo = [SheetRow("Acme", "Quality", 2, ""), SheetRow(X, "Quality", 4, "")]
    scoring.save_scores(BO, db, P, bo, submit=True)
    set_status(LEAD, db, P, "moderation")
    moderation.moderate(LEAD, db, P, vendor="Acme", criterion="Quality", score=4,
                        rationale=RATIONALE)  # fmt: skip
    if decided:
        decide(LEAD, db, P, "Acme", "Best value <over> three years")


def _pdf(record) -> bytes:
    return render_report(
        record.evaluation,
        record.ranking,
        record.sensitivity,
        title=f"Award report: {record.name}",
        generated=record.versions[-1].time,
        project=facts_from(record),
        **report_inputs(record.ranking, record.sensitivity),
    ).pdf


def _pages(pdf: bytes) -> list[str]:
    return [p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages]


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _section(pages: list[str], heading: str) -> str:
    """The flattened text of the pages the section runs over."""
    firsts = [p.splitlines()[0] for p in pages]
    start = firsts.index(heading)
    later = [i for i, f in enumerate(firsts) if f in SECTIONS and i > start]
    return _flat(" ".join(pages[start : later[0] if later else len(pages)]))


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    require_executable("chromium", "/usr/bin/chromium")
    path = tmp_path_factory.mktemp("report") / "p.db"
    with migrated(f"sqlite:///{path}") as db:
        _build(db)
        owner = award_record(LEAD, db, P)
        observer = award_record(OBS, db, P)
        yield {
            "db": db,
            "path": path,
            "owner": owner,
            "observer": observer,
            "owner_pdf": (owner_pdf := _pdf(owner)),
            "owner_pages": _pages(owner_pdf),
            "observer_pages": _pages(_pdf(observer)),
        }


def test_a_moderated_project_report_has_every_section_in_order(project):
    pages = project["owner_pages"]
    firsts = [p.splitlines()[0] for p in pages]
    starts = [firsts.index(h) for h in SECTIONS]
    assert starts == sorted(starts)
    title = pages[0].splitlines()
    for line in (f"Evaluation {P}", "Status decided", "Winner Acme", "Vendors 3 (3 qualified)"):
        assert line in title


def test_the_charts_are_drawn_each_in_its_section(project):
    reader = PdfReader(io.BytesIO(project["owner_pdf"]))
    dests = reader.named_destinations
    charts = {k for k in dests if k.startswith("chart-")}
    assert charts == {"chart-weights", "chart-ranking", "chart-head_to_head",
                      "chart-rank_probabilities"}  # fmt: skip
    assert not any(k.startswith("no-chart-") for k in dests)


def test_the_goals_list_the_criteria_that_serve_them(project):
    goals = _section(project["owner_pages"], "Goals")
    assert "Cut response times Criteria: Quality" in goals
    assert "Lower cost Criteria: Price" in goals


def test_the_panel_lists_members_roles_and_conflicts_with_notes_for_an_owner(project):
    panel = _section(project["owner_pages"], "The panel")
    assert "lead owner not an evaluator (no declaration)" in panel
    assert "ana@x.org evaluator none" in panel
    assert f"bo@x.org evaluator Globex: {NOTE}" in panel
    assert "obs@x.org observer not an evaluator (no declaration)" in panel


def test_an_observer_reads_who_declared_a_conflict_but_not_the_note(project):
    panel = _section(project["observer_pages"], "The panel")
    assert "bo@x.org evaluator Globex (the note is shown to owners only)" in panel
    assert "former" not in _flat(" ".join(project["observer_pages"]))
    assert [c.note for m in project["observer"].members for c in m.conflicts] == [None]


def test_the_moderation_log_has_the_scores_consensus_rationale_who_and_when(project):
    log = _section(project["owner_pages"], "Moderation log")
    assert "Acme — Quality ana@x.org: 5; bo@x.org: 2 4 (moderated)" in log
    assert RATIONALE in log and "lead" in log
    moderated = project["owner"].moderation[0].moderation
    assert f"{moderated.time:%Y-%m-%d %H:%M}" in log
    # X's scores agree: neither flagged nor moderated, so not in the log
    assert [p.vendor for p in project["owner"].moderation] == ["Acme"]


def test_the_decision_is_the_recorded_one_and_matches_what_was_frozen(project):
    record = project["owner"]
    assert record.frozen is True
    decision = _section(project["owner_pages"], "Decision")
    assert "Winner Acme Decided by lead" in decision
    assert "Justification Best value <over> three years" in decision
    assert "they match the recorded documents exactly" in decision
    assert "Sign-off Prepared by Reviewed by Approved by Signature Date" in decision
    assert NO_DECISION not in decision


def test_the_appendix_has_every_version_s_sha256_and_the_checked_chain(project):
    record = project["owner"]
    appendix = _section(project["owner_pages"], "Appendix").replace(" ", "")
    assert record.audit.ok and len(record.audit.last_hash) == 64
    assert record.audit.last_hash in appendix
    assert f"allevents{record.audit.events}".lower() not in appendix  # said as a sentence
    assert f"verifiedwhenthereportwasmade:all{record.audit.events}events" in appendix
    assert [v.file_name for v in record.versions] == ["tender-v1.xlsx", "tender-v2.xlsx"]
    for v in record.versions:
        assert v.sha256 in appendix and v.file_name in appendix
    assert "2(thisreport)" in appendix and record.version.seq == 2


def test_every_vendor_the_verdict_and_markup_print_as_written(project):
    text = _flat(" ".join(project["owner_pages"]))
    for v in ("Acme", "Globex", X):
        assert v in text
    assert _flat(project["owner"].sensitivity.verdict) in text


def test_the_report_is_the_panel_s_consensus_ranking(project):
    """Quality is the panel criterion: its values are the consensus (Acme moderated to 4,
    Globex ana's 3 alone: bo's conflict keeps his score out, X the mean of 4 and 4)."""
    ev = project["owner"].evaluation
    quality = {v: float(ev.values.loc[v, "Quality"]) for v in ev.vendors}
    assert quality == {"Acme": 4.0, "Globex": 3.0, X: 4.0}


def test_an_evaluator_may_not_make_the_report(project):
    db = project["db"]
    with pytest.raises(PermissionDenied, match="may not make the award report"):
        award_record(ANA, db, P)
    assert may_report(LEAD, db, P) and may_report(OBS, db, P) and not may_report(ANA, db, P)


def test_an_observer_may_not_make_it_before_the_decision(tmp_path):
    with migrated(f"sqlite:///{tmp_path / 'p.db'}") as db:
        _build(db, decided=False)
        with pytest.raises(PermissionDenied, match="only when it is decided"):
            award_record(OBS, db, P, samples=50)
        assert not may_report(OBS, db, P)
        record = award_record(LEAD, db, P, samples=50)  # an owner's draft of the record
        assert record.decision is None and record.frozen is None
        pages = _pages(_pdf(record))
        assert NO_DECISION in _section(pages, "Decision")
        assert "Status moderation" in pages[0].splitlines()


def test_a_reopened_decision_is_said_and_no_longer_the_decision(tmp_path):
    with migrated(f"sqlite:///{tmp_path / 'p.db'}") as db:
        _build(db)
        reopen(LEAD, db, P, "a new offer came in")
        record = award_record(LEAD, db, P, samples=50)
    assert record.decision is None and record.reopened is not None
    notes = facts_from(record).decision_notes
    assert len(notes) == 1
    assert notes[0].startswith("A decision for Acme (lead, ")
    assert notes[0].endswith("was reopened by lead on " + f"{record.reopened.reopened_at:%Y-%m-%d}"
                             + ": a new offer came in")  # fmt: skip


def test_a_record_changed_behind_the_tool_s_back_is_reported_not_hidden(tmp_path):
    """The frozen ranking edited in the database: the chain check fails and the report says
    the recomputed ranking differs from the frozen one."""
    path = tmp_path / "p.db"
    with migrated(f"sqlite:///{path}") as db:
        _build(db)
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE decisions SET ranking = replace(ranking, 'Acme', 'Acmf')")
    with migrated(f"sqlite:///{path}") as db:
        record = award_record(LEAD, db, P)
    assert record.frozen is False and not record.audit.ok and record.audit.message
    facts = facts_from(record)
    assert facts.decision_notes[0].startswith("Warning: recomputed today, the ranking")
    pdf = render_report(
        record.evaluation, record.ranking, record.sensitivity, title="T",
        generated=record.versions[-1].time, project=facts,
    ).pdf  # fmt: skip
    appendix = _section(_pages(pdf), "Appendix")
    assert "Audit chain DOES NOT CHECK OUT:" in appendix


def test_the_project_report_command(project, tmp_path, capsys):
    db_url = f"sqlite:///{project['path']}"
    out = tmp_path / "award.pdf"
    assert cli.main(["project", "report", P, "--out", str(out), "--db", db_url]) == 0
    std = capsys.readouterr()
    assert std.out == f"wrote {out}\n" and std.err == ""
    pages = _pages(out.read_bytes())
    assert pages[0].splitlines()[:2] == ["AWARD REPORT", f"Award report: {P}"]
    assert "Moderation log" in [p.splitlines()[0] for p in pages]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--out", "award.xlsx"], "the report is a PDF"),
        (["--out", "exists.pdf"], "already exists (use --force to overwrite)"),
        (["--out", "award.pdf", "--as", "ana@x.org"], "may not make the award report"),
        (["--out", "award.pdf", "--db", "sqlite:///{tmp}/none.db"], ""),
    ],
)
def test_the_project_report_command_refuses_with_exit_2_and_writes_nothing(
    project, tmp_path, capsys, monkeypatch, extra, message
):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "exists.pdf").write_bytes(b"keep")
    args = [a.replace("{tmp}", str(tmp_path)) for a in extra]
    if "--db" not in args:
        args += ["--db", f"sqlite:///{project['path']}"]
    assert cli.main(["project", "report", P, *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and message in err and "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["exists.pdf"] + (
        ["none.db"] if (tmp_path / "none.db").exists() else []
    )
    assert (tmp_path / "exists.pdf").read_bytes() == b"keep"


def test_the_report_never_overwrites_the_project_s_database(project, tmp_path, capsys):
    db = tmp_path / "record.pdf"  # an odd name for a database, but a valid one
    db.write_bytes(project["path"].read_bytes())
    before = db.read_bytes()
    args = ["project", "report", P, "--out", str(db), "--force", "--db", f"sqlite:///{db}"]
    assert cli.main(args) == 2
    err = capsys.readouterr().err
    assert err == f"error: {db} is the project's database: choose another name for --out\n"
    assert db.read_bytes() == before


@pytest.mark.parametrize(
    ("frozen_report", "why"),
    [
        ("not json", "not JSON"),
        ('{"samples": "many", "seed": 0}', "samples not a number"),
        ('{"samples": -5, "seed": 0}', "samples out of range"),
        ('{"samples": 2000, "seed": -1}', "a negative seed"),
        ("[1, 2]", "not an object"),
    ],
)
def test_a_frozen_report_edited_behind_the_tool_s_back_still_gives_a_report(
    tmp_path, frozen_report, why
):
    """The decision's stress-test settings cannot be read: the report is made with the
    defaults and says it does not match what was frozen; the chain check says why."""
    path = tmp_path / "p.db"
    with migrated(f"sqlite:///{path}") as db:
        _build(db)
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE decisions SET report = ?", (frozen_report,))
    with migrated(f"sqlite:///{path}") as db:
        record = award_record(LEAD, db, P)
    assert record.sensitivity.samples == 2000 and record.sensitivity.seed == 0, why
    assert record.frozen is False and not record.audit.ok
    assert facts_from(record).decision_notes[0].startswith("Warning: recomputed today")


def test_a_removed_creator_is_not_listed_as_an_owner(tmp_path):
    lead = Actor("lead@x.org")
    own = Actor("own@x.org", signed_in=True)
    with migrated(f"sqlite:///{tmp_path / 'p.db'}") as db:
        create_project(lead, db, P)
        import_workbook(lead, db, P, BOOK, file_name="v1.xlsx")
        members.add_member(lead, db, P, "own@x.org", "owner")
        members.add_member(lead, db, P, "lead@x.org", OBSERVER)
        members.remove_member(own, db, P, "lead@x.org")
        record = award_record(own, db, P, samples=20)
        listed = members.list_members(own, db, P)
    assert [(m.email, m.role) for m in record.members] == [("own@x.org", "owner")]
    assert [(m.email, m.role) for m in listed] == [("own@x.org", "owner")]


def test_a_creator_who_is_not_a_member_is_listed_first_as_owner(project):
    assert (project["owner"].members[0].email, project["owner"].members[0].role) == (
        "lead",
        "owner",
    )


def test_the_first_pages_of_the_project_report_are_not_blank(project, tmp_path):
    import numpy as np
    from PIL import Image

    pdftoppm = require_executable("pdftoppm")
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(project["owner_pdf"])
    subprocess.run(
        [pdftoppm, "-r", "30", "-gray", "-png", "-f", "1", "-l", "4", str(pdf),
         str(tmp_path / "p")],
        check=True, timeout=60,
    )  # fmt: skip
    pngs = sorted(tmp_path.glob("p-*.png"))
    assert len(pngs) == 4
    assert all(float(np.asarray(Image.open(p), dtype=float).std()) > 5 for p in pngs)


def test_a_member_s_declarations_as_the_panel_table_says_them():
    from vendor_eval.output.report.facts import _conflicts
    from vendor_eval.team.record import Conflict, RecordMember

    def member(*conflicts, declared=3, role=EVALUATOR):
        return RecordMember("e@x.org", role, tuple(conflicts), declared, 3)

    assert _conflicts(member(declared=3)) == "none"
    assert _conflicts(member(declared=0)) == "not declared yet (for none of the 3 vendors)"
    assert _conflicts(member(declared=2)) == "none (declared for 2 of 3 vendors)"
    assert _conflicts(member(Conflict("Acme", "my brother"), Conflict("B", None))) == (
        "Acme: my brother; B (the note is shown to owners only)"
    )
    assert _conflicts(member(role=OBSERVER, declared=0)) == "not an evaluator (no declaration)"


def test_report_project_is_the_project_report_command(project, tmp_path, capsys):
    """DESIGN's ``report --project NAME``: the same report as ``project report NAME``."""
    db_url = f"sqlite:///{project['path']}"
    out = tmp_path / "award.pdf"
    assert cli.main(["report", "--project", P, "--out", str(out), "--db", db_url]) == 0
    assert capsys.readouterr().out == f"wrote {out}\n"
    pages = _pages(out.read_bytes())
    assert pages[0].splitlines()[:2] == ["AWARD REPORT", f"Award report: {P}"]
    assert "Moderation log" in [p.splitlines()[0] for p in pages]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--out", "r.pdf"], "give a WORKBOOK, or --project NAME for a project's report"),
        (["book.xlsx", "--project", P, "--out", "r.pdf"], "give a WORKBOOK or --project NAME"),
        (["--project", P, "--method", "topsis", "--out", "r.pdf"], "--method: a project's"),
        (["--project", P, "--quality-minimum", "50", "--out", "r.pdf"], "--quality-minimum:"),
        (["--project", P, "--samples", "10", "--seed", "3", "--out", "r.pdf"],
         "--samples, --seed: a project's report uses the project's own settings"),
        (["--project", P, "--consensus", "median", "--out", "r.pdf"], "--consensus:"),
        (["book.xlsx", "--db", "sqlite:///x.db", "--out", "r.pdf"], "--db and --as go with"),
        (["--project", P, "--as", "ana@x.org", "--out", "r.pdf"], "may not make the award"),
    ],
)  # fmt: skip
def test_report_project_refusals(project, tmp_path, capsys, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    if "--project" in args and "--db" not in args:
        args = [*args, "--db", f"sqlite:///{project['path']}"]
    assert cli.main(["report", *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and message in err
    assert list(tmp_path.iterdir()) == []
