"""The project page's award report (docs/report.md §3): an owner's sidebar and a decided
project's observer get the button, which writes the project's own report (its record, not
the weights on screen) and then offers its download; an evaluator never sees it, nor an
observer before the decision."""

from __future__ import annotations

import io

from pypdf import PdfReader
from test_team_pages import (
    ANA,
    LEAD,
    NAME,
    OBI,
    OWNER,
    P,
    page,
    rerun,
    sign_in,
    submit,
    team,  # noqa: F401  (the fixture)
    team_mode,  # noqa: F401  (the fixture team uses)
)

from vendor_eval.projects import decide, reopen, set_status
from vendor_eval.store.database import open_database

MAKE = P + "project_report_make"
HELD = P + "project_report_pdf"
DOWNLOAD = "Download the award report"


def _buttons(at) -> list[str]:
    return [str(b.label) for b in at.button]


def _downloads(at) -> list[str]:
    return [b.proto.label for b in at.get("download_button")]


def _text(pdf: bytes) -> str:
    return " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)


def _decided(url: str) -> None:
    with open_database(url) as db:
        set_status(LEAD, db, NAME, "moderation")
        decide(LEAD, db, NAME, "Acme", "best demo")


def test_the_owner_writes_the_project_s_report_from_the_sidebar(team):  # noqa: F811
    submit(team.url, ANA, {"Acme": (5, "excellent demo"), "Globex": (3, "fine")})
    _decided(team.url)
    at = sign_in(page(), team.codes[OWNER])
    assert "Award report (.pdf)" in [str(b.label) for b in at.sidebar.button]
    assert DOWNLOAD not in _downloads(at)
    # the quick view's download of what is on screen is not offered here
    assert "Award report (.pdf)" not in _downloads(at)
    at.button(key=MAKE).click()
    rerun(at)
    assert not at.error
    assert DOWNLOAD in _downloads(at)
    wanted, pdf = at.session_state[HELD]
    assert wanted[0] == NAME and wanted[2] == OWNER
    text = _text(pdf)
    assert pdf.startswith(b"%PDF") and f"Award report: {NAME}" in text
    for heading in ("Goals", "The panel", "Decision", "Appendix"):
        assert heading in text
    assert "Better service" in text and "best demo" in text and ANA in text


def test_an_observer_gets_it_once_decided_and_loses_it_when_reopened(team):  # noqa: F811
    submit(team.url, ANA, {"Acme": (5, "excellent demo"), "Globex": (3, "fine")})
    at = sign_in(page(), team.codes[OBI])
    assert "Award report (.pdf)" not in _buttons(at)
    _decided(team.url)
    rerun(at)
    assert "Award report (.pdf)" in _buttons(at)
    at.button(key=MAKE).click()
    rerun(at)
    assert DOWNLOAD in _downloads(at)
    wanted, pdf = at.session_state[HELD]
    assert wanted[2] == OBI and "Winner Acme" in _text(pdf)
    with open_database(team.url) as db:
        reopen(LEAD, db, NAME, "a new offer came in")
    rerun(at)
    assert "Award report (.pdf)" not in _buttons(at) and DOWNLOAD not in _downloads(at)


def test_an_evaluator_never_sees_the_report(team):  # noqa: F811
    submit(team.url, ANA, {"Acme": (5, "excellent demo"), "Globex": (3, "fine")})
    _decided(team.url)
    at = sign_in(page(), team.codes[ANA])
    assert "Award report (.pdf)" not in _buttons(at)
    assert not any("report" in d.lower() for d in _downloads(at))
