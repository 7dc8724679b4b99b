"""The Projects page in team mode, driven headless through Streamlit's AppTest on a real
SQLite database (docs/team.md §1–§5).

The database is prepared with the service functions (a project with a panel criterion,
members and their one-time codes); the page is then signed in with those codes, and every
expected value comes from the service on the same database, so the tests check the wiring:
who sees what, and that every action goes through the service.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from types import SimpleNamespace

import openpyxl
import pytest
from conftest import ROOT
from streamlit.testing.v1 import AppTest
from test_app import seen

from vendor_eval.projects import Actor, create_project, import_workbook, rank_project, set_status
from vendor_eval.store.database import open_database
from vendor_eval.store.engine import ENV_URL, make_engine
from vendor_eval.store.schema import upgrade
from vendor_eval.team import members, moderation, scoring
from vendor_eval.team.scoring import SheetRow
from vendor_eval.team.signin import INVALID
from vendor_eval.ui import signin
from vendor_eval.ui.project_tables import scope_prefix

NAME = "Service desk 2027"
P = scope_prefix(NAME)
LEAD = Actor("lead")  # the command line: creates the project, so it owns it
OWNER, ANA, BO, OBI = "olga@x.org", "ana@x.org", "bo@x.org", "obi@x.org"
VENDORS = ("Acme", "Globex")
PRICES = (100, 130)
#: Only in the Vendors sheet: an evaluator must never see them before moderation.
SECRET_PRICES = ("100", "130")
SECRET_KEY = "k" * 40


def panel_workbook(quality_weight: float = 1) -> bytes:
    """Two vendors, a price from the workbook and one panel criterion, Quality 1–5."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    rows = {
        "Vendors": [["Vendor", "Price"], *([v, p] for v, p in zip(VENDORS, PRICES, strict=True))],
        "Criteria": [
            ["Criterion", "Category", "Weight", "Direction", "Scale", "Min", "Max", "Description"],
            ["Price", "Cost", 1, "lower", "relative", None, None, "Yearly fee"],
            [
                "Quality",
                "Capability",
                quality_weight,
                "higher",
                "absolute",
                1,
                5,
                "How good the demo was",
            ],
        ],
    }
    for name, content in rows.items():
        ws = wb.create_sheet(name)
        for row in content:
            ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@dataclass(frozen=True)
class Team:
    """The prepared database and the members' one-time codes."""

    url: str
    codes: dict[str, str]


def prepare(url: str, *, status: str = "scoring", quality_weight: float = 1) -> dict[str, str]:
    """The project with its panel and members (codes by e-mail), moved to ``status``."""
    engine = make_engine(url)
    try:
        upgrade(engine)
    finally:
        engine.dispose()
    with open_database(url) as db:
        create_project(LEAD, db, NAME, ["Better service"])
        import_workbook(LEAD, db, NAME, panel_workbook(quality_weight), file_name="desk.xlsx")
        codes = {}
        for email, role in (
            (OWNER, "owner"),
            (ANA, "evaluator"),
            (BO, "evaluator"),
            (OBI, "observer"),
        ):
            codes[email] = members.add_member(LEAD, db, NAME, email, role).code
        if status != "draft":
            set_status(LEAD, db, NAME, status)
    return codes


def submit(url: str, email: str, scores: dict[str, tuple[int, str]]) -> None:
    """``email`` declares no conflicts and submits ``scores`` (vendor → score, comment)."""
    who = Actor(email, signed_in=True)
    with open_database(url) as db:
        scoring.declare(who, db, NAME, [(v, False, "") for v in VENDORS])
        rows = [SheetRow(v, "Quality", s, c) for v, (s, c) in scores.items()]
        scoring.save_scores(who, db, NAME, rows, submit=True)


@pytest.fixture(autouse=True)
def _repo_root(monkeypatch):
    monkeypatch.chdir(ROOT)


@pytest.fixture
def team_mode(tmp_path, monkeypatch) -> Iterator[str]:
    """A SQLite database URL with team mode on (the project not created yet)."""
    url = f"sqlite:///{tmp_path / 'team.sqlite3'}"
    monkeypatch.setenv(ENV_URL, url)
    monkeypatch.setenv(signin.ENV_TEAM, "1")
    monkeypatch.setenv("VENDOR_EVAL_SECRET_KEY", SECRET_KEY)
    monkeypatch.delenv(signin.ENV_PROXY_HEADER, raising=False)
    yield url


@pytest.fixture
def team(team_mode) -> Team:
    return Team(team_mode, prepare(team_mode))


def _projects_page() -> None:
    from vendor_eval.ui.projects_page import main

    main()


def page() -> AppTest:
    at = AppTest.from_function(_projects_page, default_timeout=90)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def rerun(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(elements) -> list[str]:
    return [seen(e.value) for e in elements]


def everything(at: AppTest) -> str:
    """Every text the page shows (Markdown, captions, alerts, headers, widget labels,
    tables' cells)."""
    parts: list[str] = []
    for kind in ("markdown", "caption", "info", "success", "warning", "error", "header",
                 "subheader", "title", "code"):  # fmt: skip
        parts += texts(getattr(at, kind))
    for widget in (*at.radio, *at.text_input, *at.button, *at.selectbox):
        parts.append(seen(str(widget.label)))
    for table in at.dataframe:
        parts.append(table.value.to_csv())
    return "\n".join(parts)


def sign_in(at: AppTest, code: str) -> AppTest:
    at.text_input(key=signin.CODE_INPUT).input(code)
    at.button(key="signin_submit").click()
    return rerun(at)


def tables_with(at: AppTest, *columns: str) -> list:
    return [t.value for t in at.dataframe if set(columns) <= set(t.value.columns)]


def subheaders(at: AppTest) -> list[str]:
    return texts(at.subheader)


# -- modes --------------------------------------------------------------------------------


def test_local_mode_has_no_sign_in_and_the_local_owner_sees_the_team(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'local.sqlite3'}"
    monkeypatch.setenv(ENV_URL, url)
    monkeypatch.delenv(signin.ENV_TEAM, raising=False)
    prepare(url)
    at = page()
    assert signin.CODE_INPUT not in {w.key for w in at.text_input}
    assert any("acting as" in t for t in texts(at.caption))
    at.selectbox(key="project_pick").select(NAME)
    at.button(key="project_open").click()
    rerun(at)
    assert "Team" in subheaders(at) and "Current ranking" in subheaders(at)
    (listed,) = tables_with(at, "E-mail", "Role", "Sheet")
    assert list(listed["E-mail"]) == ["lead", OWNER, ANA, BO, OBI]


def test_team_mode_shows_only_the_sign_in_form(team):
    at = page()
    assert [w.key for w in at.text_input] == [signin.CODE_INPUT]
    assert (
        at.text_input(key=signin.CODE_INPUT).proto.type
        == at.text_input(key=signin.CODE_INPUT).proto.PASSWORD
    )
    assert not at.dataframe and NAME not in everything(at)


def test_a_wrong_code_is_the_services_refusal(team):
    at = sign_in(page(), "not-a-code")
    assert texts(at.error) == [INVALID]
    assert signin.ACTOR not in at.session_state
    assert not at.dataframe and NAME not in everything(at)


def test_team_mode_from_the_secrets_file(team_mode, monkeypatch):
    monkeypatch.delenv(signin.ENV_TEAM)
    prepare(team_mode)
    at = AppTest.from_function(_projects_page, default_timeout=90)
    at.secrets[signin.SECTION] = {"team": True}
    rerun(at)
    assert [w.key for w in at.text_input] == [signin.CODE_INPUT]


def test_a_secrets_file_that_cannot_be_read_is_an_error_never_local_mode(tmp_path, monkeypatch):
    broken = tmp_path / "secrets.toml"
    broken.write_text("[vendor_eval\nteam = true\n")

    class Unreadable:
        def to_dict(self):
            raise FileNotFoundError("Error parsing secrets file")

    monkeypatch.setattr(signin.st, "secrets", Unreadable())
    monkeypatch.setattr(signin.st, "get_option", lambda name: [str(broken)])
    with pytest.raises(signin.TeamConfigError, match="cannot be read"):
        signin.team_config(env={})


def test_flags_and_header_names_are_checked(monkeypatch):
    monkeypatch.setattr(signin, "read_secrets", dict)
    assert signin.team_config(env={}) == signin.TeamConfig()
    assert signin.team_config(env={signin.ENV_TEAM: "yes"}).team
    assert not signin.team_config(env={signin.ENV_TEAM: "0"}).team
    with pytest.raises(signin.TeamConfigError, match="say true or false"):
        signin.team_config(env={signin.ENV_TEAM: "maybe"})
    with pytest.raises(signin.TeamConfigError, match="not an HTTP header name"):
        signin.team_config(env={signin.ENV_PROXY_HEADER: "X Email: me"})
    config = signin.team_config(env={signin.ENV_TEAM: "1", signin.ENV_PROXY_HEADER: "X-Email"})
    assert config.proxy_header == "X-Email" and not config.oidc


def test_the_proxy_header_counts_only_when_configured_and_only_as_one_address(monkeypatch):
    headers: dict[str, list[str]] = {"x-email": [" ana@x.org "]}
    fake = SimpleNamespace(headers=SimpleNamespace(get_all=lambda k: headers.get(k.lower(), [])))
    monkeypatch.setattr(signin.st, "context", fake)
    monkeypatch.setattr(signin.st, "session_state", {})
    proxied = signin.TeamConfig(team=True, proxy_header="X-Email")
    who = signin.identity(proxied)
    assert who == signin.Identity(Actor(ANA, signed_in=True), signin.PROXY)
    assert signin.identity(signin.TeamConfig(team=True)) is None  # not configured: ignored
    headers["x-email"] = ["ana@x.org", "bo@x.org"]  # a second value: whose?
    assert signin.identity(proxied) is None
    headers["x-email"] = ["not an address"]
    assert signin.identity(proxied) is None


# -- the evaluator ------------------------------------------------------------------------


def test_an_evaluator_declares_first_then_scores_and_sees_no_ranking(team):
    at = sign_in(page(), team.codes[ANA])
    assert at.query_params["project"] == NAME
    assert any(f"Signed in as {ANA}" in t for t in texts(at.toast))
    assert any(ANA in t for t in texts(at.caption))
    # the declaration form: the vendors' names and nothing else of them
    assert [seen(r.label) for r in at.radio] == list(VENDORS)
    assert not at.dataframe
    shown = everything(at)
    assert all(p not in shown for p in SECRET_PRICES) and "Quality" not in shown
    for i in range(len(VENDORS)):
        at.radio(key=f"{P}declare_0_{i}").set_value("No conflict")
    at.button(key=P + "declare_submit").click()
    rerun(at)
    assert "Declarations recorded: your score sheet is ready." in texts(at.success)
    # the score table of their own sheet, no ranking, no other data
    (sheet,) = tables_with(at, "Vendor", "Criterion", "Score", "Comment")
    assert list(sheet["Vendor"]) == list(VENDORS) and set(sheet["Criterion"]) == {"Quality"}
    assert "Current ranking" not in subheaders(at) and "Ranking" not in subheaders(at)
    assert not [m for m in at.metric if m.label == "Leader"]
    assert all(p not in everything(at) for p in SECRET_PRICES)
    # a draft through the table, then the submission locks the sheet
    at.session_state[f"{P}sheet_1_0"] = {
        "edited_rows": {0: {"Score": 5, "Comment": "best demo"}, 1: {"Score": 3}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.button(key=P + "sheet_draft").click()
    rerun(at)
    assert "Draft saved." in texts(at.success)
    with open_database(team.url) as db:
        mine = scoring.my_sheet(Actor(ANA, signed_in=True), db, NAME)
    assert [(r.vendor, r.score, r.comment) for r in mine.rows] == [
        ("Acme", 5.0, "best demo"),
        ("Globex", 3.0, ""),
    ]
    assert not mine.submitted
    at.button(key=P + "sheet_submit").click()
    rerun(at)
    assert "Score sheet submitted: it is locked now." in texts(at.success)
    assert any("submitted" in t for t in texts(at.success))
    assert P + "sheet_submit" not in {b.key for b in at.button}  # read-only now


def test_a_refused_submission_is_shown_and_nothing_is_saved(team):
    at = sign_in(page(), team.codes[BO])
    for i in range(len(VENDORS)):
        at.radio(key=f"{P}declare_0_{i}").set_value("No conflict")
    at.button(key=P + "declare_submit").click()
    rerun(at)
    at.session_state[f"{P}sheet_1_0"] = {
        "edited_rows": {0: {"Score": 1}},  # the lowest score, no comment; Globex unscored
        "added_rows": [],
        "deleted_rows": [],
    }
    at.button(key=P + "sheet_submit").click()
    rerun(at)
    (error,) = texts(at.error)
    assert error.startswith("the scores were not saved:")
    assert "a comment is required for the lowest and highest score" in error
    assert "Globex / Quality: no score" in error
    with open_database(team.url) as db:
        assert not scoring.my_sheet(Actor(BO, signed_in=True), db, NAME).submitted


# -- the owner -----------------------------------------------------------------------------


def test_the_owner_adds_a_member_and_sees_the_code_once(team):
    at = sign_in(page(), team.codes[OWNER])
    assert "Team" in subheaders(at)
    at.text_input(key=f"{P}member_email_0").input("cy@x.org")
    at.button(key=P + "member_add_submit").click()
    rerun(at)
    assert "cy@x.org added as evaluator." in texts(at.success)
    (code,) = texts(at.code)
    assert any("copy it now: it is not shown again" in t for t in texts(at.markdown))
    with open_database(team.url) as db:
        assert any(m.email == "cy@x.org" for m in members.list_members(LEAD, db, NAME))
    rerun(at)  # any next run: gone
    assert not at.code
    # the code signs its member in (once)
    other = sign_in(page(), code)
    assert any("cy@x.org" in t for t in texts(other.caption))


def test_the_owner_moderates_a_flagged_pair_and_the_ranking_follows(team):
    submit(team.url, ANA, {"Acme": (5, "excellent demo"), "Globex": (3, "fine")})
    submit(team.url, BO, {"Acme": (1, "the demo failed"), "Globex": (3, "fine too")})
    with open_database(team.url) as db:
        set_status(LEAD, db, NAME, "moderation")
        before = rank_project(LEAD, db, NAME)
    at = sign_in(page(), team.codes[OWNER])
    assert {"Team", "Moderation", "Current ranking"} <= set(subheaders(at))
    (pairs,) = tables_with(at, "Flag", "Vendor", "Criterion", "Consensus")
    first = pairs.iloc[0]
    assert (first["Flag"], first["Vendor"], first["Criterion"]) == ("flagged", "Acme", "Quality")
    assert first["Spread"] == 4 and first["Consensus"] == 3
    assert first[f"{ANA} · comment"] == "excellent demo"
    assert first[f"{BO} · comment"] == "the demo failed"
    (calibration,) = tables_with(at, "Evaluator", "Mean deviation", "Leaning")
    assert list(calibration["Evaluator"]) == [ANA, BO]
    assert any("0 of 2 pairs moderated" in t for t in texts(at.caption))
    # the consensus form starts on the flagged pair
    forms = int(at.session_state[P + "ve_forms"]) if P + "ve_forms" in at.session_state else 0
    assert at.selectbox(key=f"{P}moderate_pick_{forms}").value == 0
    at.number_input(key=f"{P}moderate_score_{forms}_0").set_value(4.5)
    at.text_area(key=f"{P}moderate_why_{forms}_0").input("the failure was the network")
    at.button(key=P + "moderate_submit").click()
    rerun(at)
    assert "Consensus of Acme on Quality: 4.5." in texts(at.success)
    with open_database(team.url) as db:
        after = rank_project(LEAD, db, NAME)
        pair = moderation.panel_pairs(LEAD, db, NAME)[0]
    assert pair.consensus == 4.5 and pair.moderation is not None
    assert after.score("Acme") != before.score("Acme")
    (pairs,) = tables_with(at, "Flag", "Vendor", "Criterion", "Consensus")
    assert pairs.iloc[0]["Consensus"] == 4.5 and pairs.iloc[0]["Moderated"] == "yes"
    assert any("1 of 2 pairs moderated" in t for t in texts(at.caption))
    (ranking,) = tables_with(at, "Rank", "Vendor")
    assert list(ranking["Vendor"]) == after.qualified


def test_an_evaluator_sees_the_panel_and_the_ranking_from_moderation_on(team):
    submit(team.url, ANA, {"Acme": (5, "excellent demo"), "Globex": (3, "fine")})
    submit(team.url, BO, {"Acme": (1, "the demo failed"), "Globex": (3, "fine too")})
    at = sign_in(page(), team.codes[ANA])
    assert "the demo failed" not in everything(at)  # scoring: only their own sheet
    with open_database(team.url) as db:
        set_status(LEAD, db, NAME, "moderation")
        expected = rank_project(LEAD, db, NAME)
    rerun(at)
    assert "the demo failed" in everything(at)
    assert "Ranking" in subheaders(at)
    (ranking,) = tables_with(at, "Rank", "Vendor")
    assert list(ranking["Vendor"]) == expected.qualified
    assert not tables_with(at, "Evaluator", "Mean deviation")  # calibration: owners only


# -- the observer --------------------------------------------------------------------------


def test_the_observer_sees_only_a_note_before_the_decision(team):
    submit(team.url, ANA, {"Acme": (5, "excellent demo"), "Globex": (3, "fine")})
    at = sign_in(page(), team.codes[OBI])
    assert texts(at.info) == ["The results are shown once the project is decided."]
    assert not at.dataframe and not at.metric
    shown = everything(at)
    assert "excellent demo" not in shown and all(p not in shown for p in SECRET_PRICES)
    assert not {"Team", "Moderation", "Ranking", "Current ranking"} & set(subheaders(at))
    with open_database(team.url) as db:
        set_status(LEAD, db, NAME, "moderation")
        from vendor_eval.projects import decide

        decide(LEAD, db, NAME, "Acme", "best demo")
        expected = rank_project(LEAD, db, NAME)
    rerun(at)
    assert any("Decided: Acme" in t for t in texts(at.success))
    (ranking,) = tables_with(at, "Rank", "Vendor")
    assert list(ranking["Vendor"]) == expected.qualified


def test_signing_out_forgets_the_session(team):
    at = sign_in(page(), team.codes[ANA])
    at.button(key="signout").click()
    rerun(at)
    assert [w.key for w in at.text_input] == [signin.CODE_INPUT]
    assert signin.ACTOR not in at.session_state and "project" not in at.query_params


def filled_sheet(url: str, email: str, scores: list[tuple[int, str]]) -> bytes:
    """``email``'s offline score sheet (after declaring no conflicts), filled in row by row."""
    from vendor_eval.output.excel.scoresheet import write_issued
    from vendor_eval.team.sheets import scoresheet

    who = Actor(email, signed_in=True)
    with open_database(url) as db:
        scoring.declare(who, db, NAME, [(v, False, "") for v in VENDORS])
        data = write_issued(scoresheet(who, db, NAME))
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb["Scores"]
    for row, (score, comment) in enumerate(scores, start=2):
        ws.cell(row, 3).value = score
        ws.cell(row, 4).value = comment
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_the_owner_takes_several_returned_sheets_each_on_its_own(team):
    good = filled_sheet(team.url, ANA, [(4, "good"), (2, "weak")])
    bad = filled_sheet(team.url, BO, [(1, ""), (3, "")])  # the lowest score needs a comment
    at = sign_in(page(), team.codes[OWNER])
    at.session_state[P + "sheets_open"] = True
    rerun(at)
    (progress,) = [t for t in tables_with(at, "E-mail", "Sheet") if "Role" not in t]
    assert list(progress["E-mail"]) == [ANA, BO]
    assert list(progress["Sheet"]) == ["not started", "not started"]
    assert at.get("download_button"), "the offline sheet of the first evaluator"
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    at.file_uploader(key=f"{P}sheets_upload_0").set_value(
        [("ana.xlsx", good, xlsx), ("bo.xlsx", bad, xlsx)]
    )
    rerun(at)
    at.button(key=P + "sheets_submit").click()
    rerun(at)
    assert f"ana.xlsx: the score sheet of {ANA} is submitted." in texts(at.success)
    (error,) = texts(at.error)
    assert error.startswith("bo.xlsx: bo.xlsx was not taken:") and "Scores!D2" in error
    with open_database(team.url) as db:
        sheets = {m.email: m.sheet for m in members.list_members(LEAD, db, NAME)}
    assert (sheets[ANA], sheets[BO]) == ("submitted", "not started")


def test_hostile_names_are_text_on_every_team_page(team_mode):
    """Vendor, criterion, category, description, comment and rationale written as Markdown
    and HTML attacks show as written on the evaluator's and the owner's pages."""
    from test_markdown_injection import HOSTILE, live_constructs, markdown_sources

    vendors, criterion, category = HOSTILE[:3], "Q " + HOSTILE[3], HOSTILE[4]
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    sheets = {
        "Vendors": [["Vendor", "Price"], *([v, 100 + i] for i, v in enumerate(vendors))],
        "Criteria": [
            ["Criterion", "Category", "Weight", "Direction", "Scale", "Min", "Max", "Description"],
            ["Price", "Cost", 1, "lower", "relative", None, None, HOSTILE[5]],
            [criterion, category, 1, "higher", "absolute", 1, 5, HOSTILE[6]],
        ],
    }
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    engine = make_engine(team_mode)
    upgrade(engine)
    engine.dispose()
    with open_database(team_mode) as db:
        create_project(LEAD, db, NAME)
        import_workbook(LEAD, db, NAME, buf.getvalue(), file_name="hostile.xlsx")
        codes = {e: members.add_member(LEAD, db, NAME, e, r).code
                 for e, r in ((OWNER, "owner"), (ANA, "evaluator"), (BO, "evaluator"))}  # fmt: skip
        set_status(LEAD, db, NAME, "scoring")
        for email, points in ((BO, (1, 5, 3)),):
            who = Actor(email, signed_in=True)
            scoring.declare(who, db, NAME, [(v, False, "") for v in vendors])
            rows = [
                SheetRow(v, criterion, p, HOSTILE[-1]) for v, p in zip(vendors, points, strict=True)
            ]
            scoring.save_scores(who, db, NAME, rows, submit=True)
    pages = []
    at = sign_in(page(), codes[ANA])
    pages.append(markdown_sources(at))  # the declaration form: the vendors' names
    for i in range(len(vendors)):
        at.radio(key=f"{P}declare_0_{i}").set_value("Conflict" if i == 0 else "No conflict")
        at.text_input(key=f"{P}declare_note_0_{i}").input(HOSTILE[7])
    at.button(key=P + "declare_submit").click()
    rerun(at)
    pages.append(markdown_sources(at))  # the score table, the guide
    at.session_state[f"{P}sheet_1_0"] = {
        "edited_rows": {0: {"Score": 5, "Comment": HOSTILE[8]}, 1: {"Score": 2}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.button(key=P + "sheet_submit").click()
    rerun(at)
    assert "Score sheet submitted: it is locked now." in texts(at.success)
    pages.append(markdown_sources(at))
    with open_database(team_mode) as db:
        set_status(LEAD, db, NAME, "moderation")
        moderation.moderate(LEAD, db, NAME, vendor=vendors[1], criterion=criterion, score=2,
                            rationale=HOSTILE[0])  # fmt: skip
    owner = sign_in(page(), codes[OWNER])
    assert "Moderation" in subheaders(owner)
    pages.append(markdown_sources(owner))
    rerun(at)
    pages.append(markdown_sources(at))  # the evaluator in moderation: pairs and ranking
    for sources in pages:
        for source in sources:
            assert not live_constructs(source), (source, live_constructs(source))


def test_oidc_offers_its_button_and_takes_only_a_verified_address(team, monkeypatch):
    at = AppTest.from_function(_projects_page, default_timeout=90)
    at.secrets["auth"] = {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "x" * 32,
        "client_id": "id",
        "client_secret": "secret",
        "server_metadata_url": "https://login.example.org/.well-known/openid-configuration",
    }
    rerun(at)
    assert "signin_oidc" in {b.key for b in at.button}
    monkeypatch.setattr(signin.st, "session_state", {})
    oidc = signin.TeamConfig(team=True, oidc=True)
    user = {"is_logged_in": True, "email": ANA}
    monkeypatch.setattr(signin.st, "user", user)
    assert signin.identity(oidc) == signin.Identity(Actor(ANA, signed_in=True), signin.OIDC)
    user["email_verified"] = False
    assert signin.identity(oidc) is None
    user.update(email_verified=True, is_logged_in=False)
    assert signin.identity(oidc) is None


def test_local_mode_on_a_network_address_refuses_the_projects_page(tmp_path, monkeypatch):
    """Without sign-in, whoever reaches the page is an owner: local mode serves only this
    computer. On another address the Projects page says so and shows nothing else."""
    from vendor_eval.ui.signin import local_mode_problem

    assert local_mode_problem("127.0.0.1") is None
    assert local_mode_problem("::1") is None
    assert local_mode_problem("localhost") is None
    for address in ("0.0.0.0", "", "192.168.1.20"):
        assert "without sign-in" in (local_mode_problem(address) or "")
    monkeypatch.setenv(ENV_URL, f"sqlite:///{tmp_path / 'p.sqlite3'}")
    monkeypatch.delenv("VENDOR_EVAL_TEAM", raising=False)
    monkeypatch.setattr(signin, "listen_address", lambda: "0.0.0.0")
    at = AppTest.from_function(_network_projects_page, default_timeout=60).run()
    assert not at.exception
    assert [e.value for e in at.error] and "without sign-in" in seen(at.error[0].value)
    assert not at.button and not at.text_input  # no database setup, no project form


def _network_projects_page() -> None:
    from vendor_eval.ui.projects_page import main

    main()
