"""The award report (docs/report.md): its sections in order, its facts, its charts, its
pages, the escaping of user text, a table that spans pages, the no-Chromium fallback and
the ``report`` command."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess

import numpy as np
import pytest
from conftest import SAMPLE, make_evaluation, random_evaluation, require_executable
from PIL import Image
from pypdf import PdfReader

from vendor_eval import cli
from vendor_eval.charts.award import award_figures
from vendor_eval.charts.compare import head_to_head_sentences
from vendor_eval.core.model import Criterion, MustRule
from vendor_eval.output.report import figures as report_figures
from vendor_eval.output.report import render_report, report_pdf
from vendor_eval.output.report.award import NO_DECISION, SECTIONS
from vendor_eval.output.report.figures import NO_BROWSER
from vendor_eval.scoring.scorer import score
from vendor_eval.stress.analysis import analyse
from vendor_eval.workbook import load_evaluation

GENERATED = dt.datetime(2026, 12, 2, 18, 0, tzinfo=dt.UTC)
#: The plain workbook's sections, in order (no goals, panel or moderation log).
PLAIN_SECTIONS = [
    "Method",
    "Weights",
    "Gates",
    "Ranking",
    "Strengths and weaknesses",
    "Head-to-head",
    "Robustness",
    "Decision",
    "Appendix",
]
CHARTS = {"chart-weights", "chart-ranking", "chart-head_to_head", "chart-rank_probabilities"}
RANKING_HEADER = "Rank Vendor Status Score Completeness"


def _report(ev, *, charts=True, samples=500):
    rk = score(ev)
    sens = analyse(ev, samples=samples, seed=0, ranking=rk)
    figs = award_figures(rk, sens) if charts else None
    out = render_report(
        ev,
        rk,
        sens,
        title="Award report: test",
        generated=GENERATED,
        figures=figs,
        sentences=head_to_head_sentences,
    )
    return out, rk, sens


def _pages(pdf: bytes) -> list[str]:
    return [p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages]


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.fixture(scope="module")
def sample():
    require_executable("chromium", "/usr/bin/chromium")
    ev = load_evaluation(SAMPLE)
    out, rk, sens = _report(ev, samples=2_000)
    return ev, rk, sens, out


def test_the_sections_follow_in_order_each_on_its_own_page(sample):
    _, _, _, out = sample
    pages = _pages(out.pdf)
    firsts = [p.splitlines()[0] for p in pages]
    assert firsts[1] == "Contents"
    starts = [firsts.index(h) for h in PLAIN_SECTIONS]
    assert starts == sorted(starts) and starts[0] == 2
    # the contents list every section with the page it starts on
    toc = [line for line in pages[1].splitlines()[1:] if line[:1].isalpha() and "." in line]
    listed = [(re.sub(r"[ .]+\d+$", "", line), int(line.split()[-1])) for line in toc]
    assert listed == [(h, firsts.index(h) + 1) for h in PLAIN_SECTIONS]
    assert [s for s in SECTIONS.values() if s not in PLAIN_SECTIONS] == [
        "Goals",
        "The panel",
        "Moderation log",
    ]


def test_every_page_is_numbered(sample):
    pages = _pages(sample[3].pdf)
    for i, text in enumerate(pages, 1):
        assert f"Page {i} of {len(pages)}" in text


def test_the_title_page_names_the_evaluation_its_status_and_leader(sample):
    _, rk, _, out = sample
    first = _pages(out.pdf)[0]
    assert rk.leader == "Quillstone Consulting"
    assert first.splitlines()[:3] == [
        "AWARD REPORT",
        "Award report: test",
        "Evaluation sample_vendors.xlsx",
    ]
    for line in (
        "Date 2026-12-02 18:00 UTC",
        "Status not decided",
        "Leader Quillstone Consulting",
        "Vendors 11 (10 qualified)",
    ):
        assert line in first.splitlines()


def test_the_facts_are_the_result_objects(sample):
    ev, rk, sens, out = sample
    pages = _pages(out.pdf)
    text = _flat(" ".join(pages))
    for v in ev.vendors:
        assert v in text
    assert sens.verdict.startswith("Close call: Quillstone Consulting ranks first")
    assert _flat(sens.verdict) in text
    decision = next(p for p in pages if p.startswith("Decision"))
    assert NO_DECISION in decision and "The leader: Quillstone Consulting." in decision
    assert "Sign-off Prepared by Reviewed by Approved by Signature Date" in _flat(decision)
    appendix = next(p for p in pages if p.startswith("Appendix"))
    assert len(ev.source_sha256) == 64
    assert ev.source_sha256 in appendix.replace("\n", "")
    gates = next(p for p in pages if p.startswith("Gates"))
    assert "ISO 27001 yes" in gates
    assert "Redfern Cloud Partners Must-have gate ISO 27001 must be yes (is no)" in gates
    ranking = next(p for p in pages if p.startswith("Ranking"))
    assert "1 Quillstone Consulting Qualified 76.7 100%" in ranking
    assert "– Redfern Cloud Partners Disqualified 69.9 100%" in ranking
    vendors = _flat(" ".join(p for p in pages if "points Strengths" in _flat(p)))
    for note in rk.explanations["Quillstone Consulting"]["strengths"]:
        assert _flat(note) in vendors
    h2h = next(p for p in pages if p.startswith("Head-to-head"))
    assert "The top two qualified vendors: Quillstone Consulting and Northwind Systems." in h2h
    robust = _flat(" ".join(p for p in pages if p.startswith("Robustness")))
    p1 = sens.rank_probabilities["Quillstone Consulting"][0]
    assert f"Quillstone Consulting {100 * p1:.1f}%" in robust
    assert "Payment terms (days) criterion 0.020 0.031 +0.011 Northwind Systems" in robust


def test_one_vector_chart_per_chart_section(sample):
    out = sample[3]
    assert out.chart_notes == []
    reader = PdfReader(io.BytesIO(out.pdf))
    dests = reader.named_destinations
    charts = {k for k in dests if k.startswith("chart-")}
    assert charts == CHARTS
    for name in CHARTS:  # each on its section's page, drawn as vector forms, not a bitmap
        page = reader.pages[reader.get_destination_page_number(dests[name])]
        assert re.search(rb"/x\d+ Do", page.get_contents().get_data())
        assert len(page.images) == 0
    section = {
        "chart-weights": "weights",
        "chart-ranking": "ranking",
        "chart-head_to_head": "head-to-head",
        "chart-rank_probabilities": "robustness",
    }
    for chart, part in section.items():
        assert reader.get_destination_page_number(
            dests[chart]
        ) == reader.get_destination_page_number(dests[part])


def test_the_first_pages_are_not_blank(sample, tmp_path):
    pdftoppm = require_executable("pdftoppm")
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(sample[3].pdf)
    subprocess.run(
        [
            pdftoppm,
            "-r",
            "30",
            "-gray",
            "-png",
            "-f",
            "1",
            "-l",
            "4",
            str(pdf),
            str(tmp_path / "p"),
        ],
        check=True,
        timeout=60,
    )
    pngs = sorted(tmp_path.glob("p-*.png"))
    assert len(pngs) == 4
    spread = [float(np.asarray(Image.open(p), dtype=float).std()) for p in pngs]
    assert all(s > 5 for s in spread), spread
    # the weights page (a chart) holds much more ink than the title page
    assert spread[3] > spread[0]


def test_user_text_prints_as_written_never_as_markup(tmp_path):
    require_executable("chromium", "/usr/bin/chromium")
    names = ["</table><h1>x", '<script>alert("x")</script>', "Plain & Co"]
    crit = [
        Criterion("Quality <b>", "General", 1.0),
        Criterion("Price", "General", 1.0),
        Criterion('Cert "a"', "General", 1.0, must=MustRule(">=", 1.0, ">= 1")),
    ]
    ev = make_evaluation(
        {"Quality <b>": [3, 2, 1], "Price": [1, 2, 3], 'Cert "a"': [1, 1, 0]}, crit, vendors=names
    )
    out, _, _ = _report(ev)
    text = _flat(" ".join(_pages(out.pdf)))
    for name in names:
        assert name in text
    assert "Plain &amp; Co" not in text
    assert "Quality <b>" in text and 'Cert "a" >= 1' in text
    reader = PdfReader(io.BytesIO(out.pdf))
    assert {k for k in reader.named_destinations if k.startswith("chart-")} == CHARTS
    for page in reader.pages:  # no user text became a link
        assert all(
            a.get_object().get("/A", {}).get("/URI") is None for a in page.get("/Annots", []) or []
        )


def _rows(page: str) -> list[str]:
    """The ranking table's rows on a page of the 60-vendor report (vendors V1 … V60)."""
    return [line for line in page.splitlines() if re.match(r"^(\d+|–) V\d+ ", line)]


def test_a_long_ranking_table_repeats_its_header_on_every_page():
    ev = random_evaluation(np.random.default_rng(7), n_vendors=60, n_criteria=9)
    out, rk, _ = _report(ev, charts=False)
    pages = _pages(out.pdf)
    start = next(i for i, p in enumerate(pages) if p.startswith("Ranking"))
    spanned = [i for i in range(start, len(pages)) if _rows(pages[i])]
    assert len(spanned) >= 2 and spanned == list(range(start, start + len(spanned)))
    for i in spanned:  # every page of the table starts with its header row
        lines = pages[i].splitlines()
        assert lines[lines.index(_rows(pages[i])[0]) - 1] == RANKING_HEADER
    assert pages[start + 1].splitlines()[0] == RANKING_HEADER
    shown = [row.split()[1] for i in spanned for row in _rows(pages[i])]
    assert shown == rk.vendors  # all 60, in ranking order, none lost at a page break


def test_without_chromium_the_report_is_written_with_a_note(monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    ev = load_evaluation(SAMPLE)
    out, _, _ = _report(ev)
    assert out.chart_notes == [NO_BROWSER]
    text = _flat(" ".join(_pages(out.pdf)))
    assert text.count(NO_BROWSER) == 4
    assert not [
        k for k in PdfReader(io.BytesIO(out.pdf)).named_destinations if k.startswith("chart-")
    ]


def test_without_a_browser_path_nor_debian_chromium_there_is_no_browser(monkeypatch, tmp_path):
    monkeypatch.delenv("BROWSER_PATH", raising=False)
    monkeypatch.setattr(report_figures, "CHROMIUM", tmp_path / "chromium")
    assert report_figures.browser_path() is None
    assert report_figures.render_svgs({"x": object()}) == {
        "x": report_figures.Drawn(None, NO_BROWSER)
    }
    fake = tmp_path / "chromium"
    fake.write_text("")
    assert report_figures.browser_path() == fake


def test_report_pdf_is_the_pdf_without_charts():
    ev = load_evaluation(SAMPLE)
    rk = score(ev)
    pdf = report_pdf(ev, rk, None, title="T", generated=GENERATED)
    text = _flat(" ".join(_pages(pdf)))
    assert pdf.startswith(b"%PDF-")
    assert "The stress tests were not run." in text and "chart not drawn" not in text


# -- the command ------------------------------------------------------------------------


def test_the_command_writes_the_report(tmp_path, capsys):
    require_executable("chromium", "/usr/bin/chromium")
    out = tmp_path / "award.pdf"
    assert cli.main(["report", str(SAMPLE), "--out", str(out), "--samples", "500"]) == 0
    std = capsys.readouterr()
    assert std.out == f"wrote {out}\n" and std.err == ""
    reader = PdfReader(out)
    assert reader.pages[0].extract_text().splitlines()[:3] == [
        "AWARD REPORT",
        "Award report: sample_vendors.xlsx",
        "Evaluation sample_vendors.xlsx",
    ]
    assert {k for k in reader.named_destinations if k.startswith("chart-")} == CHARTS
    assert not list(tmp_path.glob(".*.tmp"))


def test_the_command_without_chromium_warns_and_still_writes(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    out = tmp_path / "award.pdf"
    args = ["report", str(SAMPLE), "--out", str(out), "--title", "Board <pack>"]
    assert cli.main(args) == 0
    std = capsys.readouterr()
    assert std.err == f"warning: {NO_BROWSER}\n"
    assert "Board <pack>" in PdfReader(out).pages[0].extract_text()


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("award.txt", "award.txt: the report is a PDF: give a file name ending in .pdf"),
        ("award", "award: the report is a PDF: give a file name ending in .pdf"),
    ],
)
def test_the_command_refuses_a_target_that_is_not_a_pdf(tmp_path, capsys, target, message):
    out = tmp_path / target
    assert cli.main(["report", str(SAMPLE), "--out", str(out)]) == 2
    assert capsys.readouterr().err == f"error: {tmp_path}/{message}\n"
    assert not out.exists()


def test_the_command_refuses_to_overwrite_without_force(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    out = tmp_path / "award.pdf"
    out.write_bytes(b"keep me")
    assert cli.main(["report", str(SAMPLE), "--out", str(out)]) == 2
    assert capsys.readouterr().err == f"error: {out}: already exists (use --force to overwrite)\n"
    assert out.read_bytes() == b"keep me"
    assert cli.main(["report", str(SAMPLE), "--out", str(out), "--force"]) == 0
    assert out.read_bytes().startswith(b"%PDF-")


def test_the_command_refuses_an_invalid_workbook_with_its_problems(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("Vendor,Price\nAcme,12\nAcme,abc\n", encoding="utf-8")
    out = tmp_path / "award.pdf"
    assert cli.main(["report", str(bad), "--out", str(out)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0] == "bad.csv: 2 problems found"
    assert err[1] == '  Vendors!A3 (Vendor): duplicate vendor name "Acme" (also in row 2)'
    assert not out.exists()


def test_the_command_refuses_bad_samples_before_reading(tmp_path, capsys):
    out = tmp_path / "award.pdf"
    assert (
        cli.main(["report", str(tmp_path / "missing.xlsx"), "--out", str(out), "--samples", "0"])
        == 2
    )
    assert capsys.readouterr().err == "error: --samples must be at least 1\n"


def test_the_command_needs_out(capsys):
    with pytest.raises(SystemExit) as e:
        cli.main(["report", str(SAMPLE)])
    assert e.value.code == 2
    assert "the following arguments are required: --out" in capsys.readouterr().err


def test_a_project_adds_its_goals_panel_moderation_and_decision():
    from vendor_eval.output.report import (
        Decision,
        Goal,
        ModerationEntry,
        PanelMember,
        ProjectFacts,
    )

    ev = load_evaluation(SAMPLE)
    rk = score(ev)
    at = dt.datetime(2026, 11, 30, 9, 15, tzinfo=dt.UTC)
    facts = ProjectFacts(
        name="Managed services 2027",
        status="decided",
        goals=[Goal("Cut response <times>", "Faster answers")],
        panel=[
            PanelMember("Ana <b>", "owner", ""),
            PanelMember("Ben", "evaluator", "ex-employee of Acme"),
        ],
        moderation=[
            ModerationEntry("Acme / Client rating", "2, 5", "4", "references checked", "Ana", at)
        ],
        decision=Decision("Northwind Systems", "Best value over three years", "Ana <b>", at),
        audit_hash="ab" * 32,
    )
    pdf = report_pdf(ev, rk, None, title="Award", generated=GENERATED, project=facts)
    pages = _pages(pdf)
    firsts = [p.splitlines()[0] for p in pages]
    order = ["Goals", "The panel", *PLAIN_SECTIONS[:7], "Moderation log", *PLAIN_SECTIONS[7:]]
    starts = [firsts.index(h) for h in order]
    assert starts == sorted(starts)
    title = pages[0].splitlines()
    for line in ("Evaluation Managed services 2027", "Status decided", "Winner Northwind Systems"):
        assert line in title
    text = _flat(" ".join(pages))
    assert "Cut response <times>" in text and "Ana <b> owner none declared" in text
    assert "Ben evaluator ex-employee of Acme" in text
    assert "Acme / Client rating 2, 5 4 references checked Ana 2026-11-30 09:15 UTC" in text
    decision = _flat(next(p for p in pages if p.startswith("Decision")))
    assert "Winner Northwind Systems Decided by Ana <b> Decided on 2026-11-30 09:15 UTC" in decision
    assert NO_DECISION not in text
    assert "ab" * 32 in next(p for p in pages if p.startswith("Appendix")).replace("\n", "")


def test_a_browser_that_fails_to_start_gives_notes_not_a_hang(monkeypatch, tmp_path):
    broken = tmp_path / "chromium"
    broken.write_text("#!/bin/sh\nexit 1\n")
    broken.chmod(0o755)
    monkeypatch.setenv("BROWSER_PATH", str(broken))
    ev = load_evaluation(SAMPLE)
    out, _, _ = _report(ev)
    note = (
        "chart not drawn: the browser failed "
        "(The browser seemed to close immediately after starting.)"
    )
    assert out.chart_notes == [note]
    assert _flat(" ".join(_pages(out.pdf))).count(note) == 4


def test_the_layout_warms_up_while_chromium_starts(monkeypatch):
    """WeasyPrint's first use is paid while the browser starts: a small page with what the
    report loads (its faces, a table, an SVG) is laid out first, once, then the report."""
    require_executable("chromium", "/usr/bin/chromium")
    from vendor_eval.output.report import award

    laid: list[str] = []
    real = award._lay_out
    monkeypatch.setattr(award, "_lay_out", lambda html: laid.append(html) or real(html))
    assert award._lay_out(award._WARM_UP).startswith(b"%PDF")
    laid.clear()
    ev = load_evaluation(SAMPLE)
    rk = score(ev)
    with report_figures.browser_started():
        assert report_figures.browser_starting()  # Chromium takes a second or more
        render_report(ev, rk, None, title="T", generated=GENERATED, figures=award_figures(rk, None))
        assert not report_figures.browser_starting()
    assert laid[0] == award._WARM_UP and len(laid) == 2 and "chart-weights" in laid[1]
    laid.clear()  # without a browser starting (none held) there is no warm-up
    render_report(ev, rk, None, title="T", generated=GENERATED, figures=None)
    assert len(laid) == 1
