"""The Projects page, driven headless through Streamlit's AppTest on a real database.

The page reads ``$VENDOR_EVAL_DATABASE_URL`` (a fresh SQLite file, or a fresh PostgreSQL
database where the test takes ``db_url``); every expected value comes from the projects
service and vendor_eval's scoring on the same bytes, so the tests check the wiring.
"""

from __future__ import annotations

import pytest
from conftest import ROOT, SAMPLE
from streamlit.testing.v1 import AppTest
from test_app import INVALID, SMALL, XLSX, assert_shows, seen, table

from vendor_eval.projects import (
    create_project,
    import_workbook,
    list_projects,
    show_project,
)
from vendor_eval.projects.actor import Actor, local_actor
from vendor_eval.scoring.scorer import score
from vendor_eval.store.database import open_database
from vendor_eval.store.engine import ENV_URL, make_engine
from vendor_eval.store.info import database_info
from vendor_eval.store.schema import upgrade
from vendor_eval.ui.project_tables import scope_prefix
from vendor_eval.workbook.importing.load import load_evaluation

NAME = "IT 2027"
P = scope_prefix(NAME)  # the project's session-state keys
OTHER = Actor("someone else")


def _projects_page() -> None:
    from vendor_eval.ui.projects_page import main

    main()


@pytest.fixture(autouse=True)
def _repo_root(monkeypatch):
    monkeypatch.chdir(ROOT)


@pytest.fixture
def sqlite_url(tmp_path, monkeypatch) -> str:
    """A SQLite file that does not exist yet, as the page's database."""
    url = f"sqlite:///{tmp_path / 'projects.sqlite3'}"
    monkeypatch.setenv(ENV_URL, url)
    return url


def ready_database(url: str, monkeypatch) -> str:
    """``url``, upgraded to the current schema, as the page's database."""
    monkeypatch.setenv(ENV_URL, url)
    engine = make_engine(url)
    try:
        upgrade(engine)
    finally:
        engine.dispose()
    return url


@pytest.fixture
def ready(sqlite_url, monkeypatch) -> str:
    """The SQLite database with the current schema and no projects."""
    return ready_database(sqlite_url, monkeypatch)


@pytest.fixture
def ready_any(db_url, monkeypatch) -> str:
    """An empty current database on each backend."""
    return ready_database(db_url, monkeypatch)


def page(project: str | None = None) -> AppTest:
    at = AppTest.from_function(_projects_page, default_timeout=90)
    if project is not None:
        at.query_params["project"] = project
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def rerun(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(elements) -> list[str]:
    return [seen(e.value) for e in elements]


def with_project(url: str, goals: tuple[str, ...] = ("Cut run costs",), sample: bool = True):
    with open_database(url) as db:
        create_project(local_actor(), db, NAME, goals)
        if sample:
            import_workbook(local_actor(), db, NAME, SAMPLE.read_bytes(), file_name=SAMPLE.name)


def shown(url: str):
    with open_database(url) as db:
        return show_project(local_actor(), db, NAME)


def import_through_the_page(at: AppTest, name: str, data: bytes) -> AppTest:
    forms = int(at.session_state[P + "ve_forms"]) if P + "ve_forms" in at.session_state else 0
    at.file_uploader(key=f"{P}import_upload_{forms}").set_value((name, data, XLSX))
    rerun(at)
    at.button(key=P + "import_button").click()
    return rerun(at)


# -- the database --------------------------------------------------------------------------


def test_a_missing_database_says_where_it_would_live_and_is_created_only_when_asked(
    sqlite_url, tmp_path
):
    at = page()
    path = tmp_path / "projects.sqlite3"
    assert any(str(path) in t and "No projects database yet" in t for t in texts(at.info))
    assert not path.exists()  # showing the page creates nothing
    assert not at.error
    at.button(key="db_migrate").click()
    rerun(at)
    assert path.exists() and database_info(sqlite_url)["state"] == "current"
    assert any("No projects yet" in t for t in texts(at.info))
    assert at.text_input(key="create_name") is not None


def test_an_older_schema_asks_for_the_upgrade_and_upgrades_on_the_button(sqlite_url):
    engine = make_engine(sqlite_url)
    try:
        upgrade(engine, "0001")
    finally:
        engine.dispose()
    at = page()
    (warning,) = texts(at.warning)
    assert "has an older schema (0001" in warning
    assert "it needs `vendor-eval db upgrade`" in warning
    assert [b.label for b in at.button] == ["Upgrade"]
    at.button(key="db_migrate").click()
    rerun(at)
    assert database_info(sqlite_url)["state"] == "current"
    assert not at.warning and not at.error


def test_a_newer_schema_is_one_sentence_and_no_button(ready):
    from sqlalchemy import text

    engine = make_engine(ready)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    engine.dispose()
    at = page()
    (error,) = texts(at.error)
    assert "was written by a newer vendor-eval (schema 9999_future" in error
    assert error.endswith("upgrade vendor-eval")
    assert not at.button


def test_an_unreachable_database_is_one_sentence_with_the_password_hidden(monkeypatch):
    monkeypatch.setenv(ENV_URL, "postgresql+psycopg://evaluator:s3cret@127.0.0.1:1/projects")
    at = page()
    (error,) = texts(at.error)
    assert error.startswith(
        "cannot reach the PostgreSQL database postgresql+psycopg://evaluator:***@"
    )
    assert "s3cret" not in " ".join(texts(at.error) + texts(at.markdown) + texts(at.caption))
    assert not at.exception


# -- projects ------------------------------------------------------------------------------


def test_create_a_project_import_the_sample_and_find_it_again_in_a_new_session(ready_any):
    at = page()
    at.text_input(key="create_name").input(f"  {NAME} ")
    at.text_area(key="create_goals").input("Cut run costs\n\n A goal no criterion serves ")
    at.button(key="create_submit").click()
    rerun(at)
    assert at.query_params["project"] == NAME  # the URL names the open project
    assert shown(ready_any).goals == ["Cut run costs", "A goal no criterion serves"]
    assert any(f"Project {NAME} created" in t for t in texts(at.toast))
    assert any("No workbook yet" in t for t in texts(at.info))

    import_through_the_page(at, SAMPLE.name, SAMPLE.read_bytes())
    view = shown(ready_any)
    assert [v.file_name for v in view.versions] == [SAMPLE.name]
    assert view.current_version == 1
    assert any(f"{SAMPLE.name} imported as version 1" in t for t in texts(at.success))
    expected = score(load_evaluation(SAMPLE))
    assert_shows(at, expected)
    assert [t.label for t in at.tabs][:7] == [
        "Ranking",
        "Charts",
        "Vendor detail",
        "Head-to-head",
        "Scenarios",
        "Robustness",
        "Data quality",
    ]
    # a goal no criterion serves is a warning
    assert "goal 'A goal no criterion serves' is served by no weighted criterion" in texts(
        at.warning
    )

    # a new session (a reload, another browser) finds the project from the URL alone
    again = page(project=NAME)
    assert_shows(again, expected)
    versions = table(again, "Version", "File", "SHA-256")
    assert list(versions["File"]) == [SAMPLE.name]
    assert list(versions["SHA-256"]) == [view.versions[0].sha256[:12]]
    # and the list shows it with its version count
    listing = page()
    projects = table(listing, "Project", "Status", "Versions")
    assert projects.to_dict("records")[0] | {"Last change": None} == {
        "Project": NAME,
        "Status": "draft",
        "Versions": 1,
        "Current file": SAMPLE.name,
        "Last change": None,
        "By": local_actor().name,
    }


def test_opening_a_project_from_the_list_puts_it_in_the_url(ready):
    with_project(ready, sample=False)
    at = page()
    at.selectbox(key="project_pick").select(NAME)
    at.button(key="project_open").click()
    rerun(at)
    assert at.query_params["project"] == NAME
    assert [seen(h.value) for h in at.header] == [NAME]
    at.button(key="back_to_list").click()
    rerun(at)
    assert "project" not in at.query_params
    assert table(at, "Project", "Status")["Project"].tolist() == [NAME]


def test_a_duplicate_name_is_refused_with_the_services_sentence(ready):
    with_project(ready, sample=False)
    at = page()
    at.text_input(key="create_name").input(NAME.lower())
    at.button(key="create_submit").click()
    rerun(at)
    assert texts(at.error) == ["a project named 'it 2027' already exists"]
    with open_database(ready) as db:
        assert [s.name for s in list_projects(local_actor(), db)] == [NAME]


def test_an_unknown_project_in_the_url_names_the_projects_there_are(ready):
    with_project(ready, sample=False)
    at = page(project="Nope")
    assert texts(at.error) == [f"no project named 'Nope' (projects: {NAME})"]


def test_an_invalid_upload_lists_its_problems_and_writes_nothing(ready):
    with_project(ready)
    before = shown(ready)
    at = page(project=NAME)
    import_through_the_page(at, "broken.xlsx", INVALID)
    (error,) = texts(at.error)
    assert error.startswith("broken.xlsx was not imported: ")
    assert "nothing was written" in error
    problems = table(at, "sheet", "cell", "column", "message")
    cells = set(zip(problems["sheet"], problems["cell"], strict=True))
    assert {("Vendors", "B2"), ("Vendors", "C3")} <= cells
    after = shown(ready)
    assert after.version == before.version and len(after.versions) == 1
    # the sample's ranking stays on screen
    assert_shows(at, score(load_evaluation(SAMPLE)))


def test_a_new_version_replaces_the_ranking(ready):
    with_project(ready)
    at = page(project=NAME)
    import_through_the_page(at, "small.xlsx", SMALL)
    assert_shows(at, score(load_evaluation(SMALL, name="small.xlsx")))
    view = shown(ready)
    assert [v.seq for v in view.versions] == [1, 2] and view.current_version == 2
