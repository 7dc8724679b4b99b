"""A decided project's performance section through AppTest: the owner imports a monitoring
workbook (and an invalid one is refused with its problems, nothing stored), updates an
action; an observer reads the monitoring but is offered no import."""

from __future__ import annotations

import pytest
from conftest import ROOT, xlsx
from test_app import seen
from test_projects_page import NAME, P, page, ready_database, rerun, with_project

from vendor_eval.monitoring.project import import_results, project_monitoring
from vendor_eval.projects.actor import local_actor
from vendor_eval.projects.decision import decide
from vendor_eval.projects.lifecycle import set_status
from vendor_eval.store.database import open_database

WINNER = "Northwind Systems"


@pytest.fixture(autouse=True)
def _repo_root(monkeypatch):
    monkeypatch.chdir(ROOT)


@pytest.fixture
def ready(tmp_path, monkeypatch) -> str:
    return ready_database(f"sqlite:///{tmp_path / 'projects.sqlite3'}", monkeypatch)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
KPIS = [["KPI", "Direction", "Target", "Threshold", "Criterion"],
        ["Uptime", "higher", 99.5, 99.0, "SLA uptime"]]  # fmt: skip


def _book(rows) -> bytes:
    return xlsx({"KPIs": KPIS, "Performance": [["Period", "Vendor", "KPI", "Actual"], *rows]})


def decided(url: str) -> None:
    with_project(url)
    with open_database(url) as db:
        set_status(local_actor(), db, NAME, "moderation")
        decide(local_actor(), db, NAME, WINNER, "best value", samples=50)


def test_the_owner_imports_results_and_sees_them(ready):
    decided(ready)
    at = page(NAME)
    assert "Performance against the contract" in [seen(s.value) for s in at.subheader]
    assert any("No results stored yet" in seen(i.value) for i in at.info)
    data = _book([["2026-01", WINNER, "Uptime", 98.0], ["2026-02", WINNER, "Uptime", 98.5]])
    uploader = at.file_uploader(key=f"{P}perf_import_0")
    uploader.set_value(("results.xlsx", data, XLSX))
    rerun(at)
    at.button(key=f"{P}perf_import_go_0").click()
    rerun(at)
    assert any("Stored 2 results of results.xlsx" in seen(s.value) for s in at.success)
    with open_database(ready) as db:
        result = project_monitoring(local_actor(), db, NAME)
    assert [p.score for p in result.vendors[WINNER].periods] == [0.0, 0.0]
    portfolio = at.dataframe[0].value
    assert portfolio["Open actions"].tolist() == [1]


def test_an_invalid_workbook_is_refused_with_its_problems(ready):
    decided(ready)
    at = page(NAME)
    data = _book([["2026-01", "Bluepeak Digital", "Uptime", 98.0]])
    uploader = at.file_uploader(key=f"{P}perf_import_0")
    uploader.set_value(("bad.xlsx", data, XLSX))
    rerun(at)
    at.button(key=f"{P}perf_import_go_0").click()
    rerun(at)
    errors = [seen(e.value) for e in at.error]
    assert any("bad.xlsx was not imported: 1 problem" in e for e in errors), errors
    with open_database(ready) as db:
        result = project_monitoring(local_actor(), db, NAME)
    assert result.vendors[WINNER].periods == ()


def test_the_owner_updates_an_action(ready):
    decided(ready)
    with open_database(ready) as db:
        rows = [["2026-01", WINNER, "Uptime", 98.0], ["2026-02", WINNER, "Uptime", 98]]
        import_results(local_actor(), db, NAME, _book(rows), file_name="r.xlsx", sandbox=False)
    at = page(NAME)
    at.text_input(key=f"{P}perf_owner_0_0").set_value("ops@buyer.example")
    at.selectbox(key=f"{P}perf_status_0_0").set_value("in progress")
    at.button(key=f"{P}perf_action_submit").click()
    rerun(at)
    assert not at.error, [seen(e.value) for e in at.error]
    assert any(
        "Saved the action Uptime of 2026-02: in progress." in seen(s.value) for s in at.success
    )
    with open_database(ready) as db:
        (action,) = project_monitoring(local_actor(), db, NAME).actions
    assert (action.owner, action.status) == ("ops@buyer.example", "in progress")


def test_an_observer_reads_the_performance_without_the_import(ready, monkeypatch):
    from test_team_pages import SECRET_KEY, sign_in
    from test_team_pages import page as team_page

    from vendor_eval.team.members import add_member
    from vendor_eval.ui import signin

    with_project(ready)
    with open_database(ready) as db:
        code = add_member(local_actor(), db, NAME, "obs@buyer.example", "observer").code
        set_status(local_actor(), db, NAME, "moderation")
        decide(local_actor(), db, NAME, WINNER, "best value", samples=50)
        rows = [["2026-01", WINNER, "Uptime", 98.0], ["2026-02", WINNER, "Uptime", 98]]
        import_results(local_actor(), db, NAME, _book(rows), file_name="r.xlsx", sandbox=False)
    monkeypatch.setenv(signin.ENV_TEAM, "1")
    monkeypatch.setenv("VENDOR_EVAL_SECRET_KEY", SECRET_KEY)
    monkeypatch.delenv(signin.ENV_PROXY_HEADER, raising=False)
    at = sign_in(team_page(), code)
    assert at.query_params["project"] == NAME
    assert "Performance against the contract" in [seen(s.value) for s in at.subheader]
    portfolio = next(d.value for d in at.dataframe if "Open actions" in d.value.columns)
    assert portfolio["Open actions"].tolist() == [1]
    assert not [u for u in at.get("file_uploader") if "perf_import" in str(u.key)]
    assert not [b for b in at.button if "perf_action_submit" in str(b.key)]
