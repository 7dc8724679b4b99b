"""Importing workbook versions, ranking a project as its file ranks, settings and weight
scenarios, on both backends."""

from __future__ import annotations

import hashlib

import pytest
from conftest import SAMPLE
from importer_helpers import edited, sheets
from projects_helpers import ALICE, BOB, counts, migrated, scalar, xlsx

from vendor_eval.core.problems import ScoringError, ValidationError, VendorEvalError
from vendor_eval.projects import (
    ProjectError,
    create_project,
    current_evaluation,
    delete_scenario,
    history,
    import_workbook,
    rank_project,
    save_scenario,
    sensitivity_project,
    show_project,
    update_settings,
)
from vendor_eval.scoring.scorer import score
from vendor_eval.stress.analysis import analyse
from vendor_eval.stress.scenarios import Scenario
from vendor_eval.workbook.importing.load import load_evaluation


@pytest.fixture
def db(db_url):
    with migrated(db_url) as db:
        create_project(ALICE, db, "IT 2027")
        yield db


def test_an_import_stores_the_bytes_whole(db):
    data = SAMPLE.read_bytes()
    version = import_workbook(BOB, db, "it 2027", SAMPLE)
    assert (version.seq, version.file_name, version.size, version.actor) == (
        1, "sample_vendors.xlsx", len(data), "bob",
    )  # fmt: skip
    assert version.sha256 == hashlib.sha256(data).hexdigest()
    stored = scalar(db, "SELECT data FROM workbook_versions WHERE seq = 1")
    assert bytes(stored) == data
    event = history(ALICE, db, "IT 2027")[-1]
    assert (event.action, event.subject, event.actor, event.time) == (
        "import", "sample_vendors.xlsx", "bob", version.time,
    )  # fmt: skip
    ev = load_evaluation(SAMPLE)
    assert event.details == {
        "version": 1,
        "file_name": "sample_vendors.xlsx",
        "sha256": version.sha256,
        "size": len(data),
        "vendors": len(ev.vendors),
        "criteria": len(ev.criteria),
    }
    view = show_project(ALICE, db, "IT 2027")
    assert (view.current_version, view.version, view.events) == (1, 3, 2)
    assert [v.to_dict() for v in view.versions] == [version.to_dict()]


def test_bytes_and_reimports_make_new_versions(db):
    data = xlsx(sheets())
    first = import_workbook(ALICE, db, "IT 2027", data, file_name="round 1.xlsx")
    again = import_workbook(ALICE, db, "IT 2027", data, file_name="round 1.xlsx")
    unnamed = import_workbook(ALICE, db, "IT 2027", data)
    assert [v.seq for v in (first, again, unnamed)] == [1, 2, 3]
    assert first.sha256 == again.sha256 == hashlib.sha256(data).hexdigest()
    assert unnamed.file_name == "upload.xlsx"
    assert [v.seq for v in show_project(ALICE, db, "IT 2027").versions] == [1, 2, 3]
    ev, version = current_evaluation(ALICE, db, "IT 2027", version=1)
    assert (ev.vendors, version.seq, ev.source_name) == (
        ["Acme", "Bolt", "Crane"],
        1,
        "round 1.xlsx",
    )
    with pytest.raises(ProjectError, match=r"IT 2027 has no version 9 \(versions 1–3\)"):
        current_evaluation(ALICE, db, "IT 2027", version=9)


def test_an_invalid_workbook_writes_nothing(db, tmp_path):
    import_workbook(ALICE, db, "IT 2027", xlsx(sheets()), file_name="good.xlsx")
    before = counts(db)
    version_before = show_project(ALICE, db, "IT 2027").version
    bad = edited(("Vendors", "C2", "four"), ("Criteria", "C3", -1))
    with pytest.raises(ValidationError) as e:
        import_workbook(BOB, db, "IT 2027", xlsx(bad), file_name="bad.xlsx")
    assert len(e.value.problems) >= 2
    assert all(p.file == "bad.xlsx" for p in e.value.problems)
    missing = tmp_path / "missing.xlsx"
    with pytest.raises(ValidationError, match=r"missing\.xlsx was not found"):
        import_workbook(BOB, db, "IT 2027", missing)
    with pytest.raises(ValidationError, match="is a folder"):
        import_workbook(BOB, db, "IT 2027", tmp_path)
    text_file = tmp_path / "notes.xlsx"
    text_file.write_text("not a workbook")
    with pytest.raises(ValidationError):
        import_workbook(BOB, db, "IT 2027", text_file)
    huge = tmp_path / "huge.xlsx"
    with huge.open("wb") as fh:  # sparse: refused by its size, never read
        fh.truncate(60 * 1024 * 1024)
    with pytest.raises(ValidationError, match="too large"):
        import_workbook(BOB, db, "IT 2027", huge)
    assert counts(db) == before
    view = show_project(ALICE, db, "IT 2027")
    assert (view.version, view.current_version, view.events) == (version_before, 1, 2)


def test_the_project_ranks_as_its_file_does(db):
    import_workbook(ALICE, db, "IT 2027", SAMPLE)
    ev = load_evaluation(SAMPLE)
    assert rank_project(ALICE, db, "IT 2027").to_records() == score(ev).to_records()
    for method, missing in (("topsis", "mean"), ("wsm", "exclude"), ("wsm", "mean")):
        ranked = rank_project(ALICE, db, "IT 2027", method=method, missing=missing)
        assert ranked.to_records() == score(ev, method=method, missing=missing).to_records()
    # the settings are the defaults of a project's ranking
    update_settings(BOB, db, "IT 2027", method="TOPSIS", missing="mean")
    assert rank_project(ALICE, db, "IT 2027").to_records() == (
        score(ev, method="topsis", missing="mean").to_records()
    )
    assert rank_project(ALICE, db, "IT 2027").method.value == "topsis"


def test_the_project_stress_tests_as_its_file_does(db):
    import_workbook(ALICE, db, "IT 2027", SAMPLE)
    ev = load_evaluation(SAMPLE)
    report = sensitivity_project(ALICE, db, "IT 2027", samples=300, seed=4, kappa=None)
    assert report.to_dict() == analyse(ev, samples=300, seed=4, kappa=None).to_dict()


def test_consensus_comes_from_the_settings(db):
    from conftest import ROOT

    scores = ROOT / "data" / "sample_scores.xlsx"
    import_workbook(ALICE, db, "IT 2027", scores)
    update_settings(ALICE, db, "IT 2027", consensus="median")
    median = load_evaluation(scores, consensus="median")
    mean = load_evaluation(scores)
    assert not median.values.equals(mean.values)  # the sample's evaluators disagree
    ev, _ = current_evaluation(ALICE, db, "IT 2027")
    assert ev.values.equals(median.values)
    assert rank_project(ALICE, db, "IT 2027").to_records() == score(median).to_records()
    ranked = rank_project(ALICE, db, "IT 2027", consensus="mean")
    assert ranked.to_records() == score(mean).to_records()


def test_ranking_without_a_workbook_says_so(db):
    with pytest.raises(ProjectError, match="IT 2027 has no workbook yet: import one first"):
        rank_project(ALICE, db, "IT 2027")
    assert show_project(ALICE, db, "IT 2027").goal_warnings == []


def test_settings_are_validated_and_audited(db):
    after = update_settings(ALICE, db, "IT 2027", method="weighted sum", missing="MEAN")
    assert after == {
        "method": "wsm",
        "missing": "mean",
        "consensus": "mean",
        "scenario": None,
        "threshold": None,
    }
    [event] = [e for e in history(ALICE, db, "IT 2027") if e.action == "settings"]
    assert event.details == {
        "before": {
            "method": "wsm",
            "missing": "worst",
            "consensus": "mean",
            "scenario": None,
            "threshold": None,
        },
        "after": after,
    }
    assert show_project(ALICE, db, "IT 2027").settings == after
    before = counts(db)
    assert update_settings(ALICE, db, "IT 2027", method="wsm") == after  # no change: no event
    for kwargs, message in (
        ({"method": "ahp"}, "method: 'ahp' is not one of 'wsm', 'topsis'"),
        ({"missing": "zero"}, "missing: 'zero' is not one of 'worst', 'mean', 'exclude'"),
        ({"consensus": "mode"}, "consensus: 'mode' is not one of 'mean', 'median'"),
        ({"missing": "exclude", "method": "topsis"}, "TOPSIS cannot exclude missing values"),
        ({"scenario": "Cost first"}, "IT 2027 has no scenario named 'Cost first'"),
    ):
        with pytest.raises(ProjectError) as e:
            update_settings(ALICE, db, "IT 2027", **kwargs)
        assert str(e.value).startswith(message)
    assert counts(db) == before


def test_scenarios_are_saved_replaced_applied_and_deleted(db):
    import_workbook(ALICE, db, "IT 2027", xlsx(sheets()), file_name="v.xlsx")
    cost = Scenario(" Cost first ", {"Price": 5.0}, {"Cost": 80})
    saved = save_scenario(BOB, db, "IT 2027", cost)
    assert (saved.name, saved.criterion_weights, saved.category_weights, saved.actor) == (
        "Cost first", {"Price": 5.0}, {"Cost": 80.0}, "bob",
    )  # fmt: skip
    replaced = save_scenario(BOB, db, "IT 2027", Scenario("COST FIRST", {}, {"Cost": 60}))
    assert replaced.name == "COST FIRST"
    events = [e for e in history(ALICE, db, "IT 2027") if e.action == "scenario"]
    assert [e.details for e in events] == [
        {"name": "Cost first", "criterion_weights": {"Price": 5.0},
         "category_weights": {"Cost": 80.0}, "replaced": False},
        {"name": "COST FIRST", "criterion_weights": {}, "category_weights": {"Cost": 60.0},
         "replaced": True},
    ]  # fmt: skip
    assert [s.name for s in show_project(ALICE, db, "IT 2027").scenarios] == ["COST FIRST"]
    ev, _ = current_evaluation(ALICE, db, "IT 2027")
    expected = score(Scenario("x", {}, {"Cost": 60}).apply(ev)).to_records()
    assert rank_project(ALICE, db, "IT 2027", scenario="cost first").to_records() == expected
    update_settings(ALICE, db, "IT 2027", scenario="cost FIRST")
    assert show_project(ALICE, db, "IT 2027").settings["scenario"] == "COST FIRST"
    assert rank_project(ALICE, db, "IT 2027").to_records() == expected
    assert rank_project(ALICE, db, "IT 2027", scenario="").to_records() == score(ev).to_records()
    with pytest.raises(ProjectError, match="is the project's active weights"):
        delete_scenario(ALICE, db, "IT 2027", "cost first")
    update_settings(ALICE, db, "IT 2027", scenario=None)
    event = delete_scenario(ALICE, db, "IT 2027", " Cost First")
    assert (event.action, event.subject, event.details["category_weights"]) == (
        "scenario-delete", "COST FIRST", {"Cost": 60.0},
    )  # fmt: skip
    assert show_project(ALICE, db, "IT 2027").scenarios == []
    with pytest.raises(ProjectError, match="has no scenario named 'Cost first'"):
        delete_scenario(ALICE, db, "IT 2027", "Cost first")


@pytest.mark.parametrize(
    ("scenario", "message"),
    [
        (Scenario("s", {"Speed": 1.0}), "scenario 's': unknown criteria or categories: Speed"),
        (Scenario("s", {}, {"Quality": 1.0}), "unknown criteria or categories: Quality"),
        (Scenario("s", {"Price": -1.0}), "the criterion weight of 'Price' must be a number 0"),
        (Scenario("s", {"Price": float("nan")}), "the criterion weight of 'Price' must be"),
        (Scenario("s", {}, {"Cost": float("inf")}), "the category weight of 'Cost' must be"),
        (
            Scenario("s", {}, {"Reputation": 0, "Capability": 0, "Cost": 0}),
            "scenario 's': Every category weight is 0",
        ),
        (Scenario("  ", {"Price": 1.0}), "the scenario name is blank"),
    ],
)
def test_a_scenario_must_fit_the_current_workbook(db, scenario, message):
    import_workbook(ALICE, db, "IT 2027", xlsx(sheets()), file_name="v.xlsx")
    before = counts(db)
    with pytest.raises(VendorEvalError) as e:
        save_scenario(ALICE, db, "IT 2027", scenario)
    assert message in str(e.value)
    assert counts(db) == before


def test_a_scenario_needs_a_workbook(db):
    with pytest.raises(ProjectError, match="has no workbook yet"):
        save_scenario(ALICE, db, "IT 2027", Scenario("s", {"Price": 1.0}))


def test_a_scenario_that_no_longer_fits_is_reported_when_ranking(db):
    import_workbook(ALICE, db, "IT 2027", xlsx(sheets()), file_name="v1.xlsx")
    save_scenario(ALICE, db, "IT 2027", Scenario("iso heavy", {"ISO": 9.0}))
    update_settings(ALICE, db, "IT 2027", scenario="iso heavy")
    book = sheets()
    book["Criteria"] = [row for row in book["Criteria"] if row[0] != "ISO"]
    for row in book["Vendors"]:
        del row[3]
    import_workbook(ALICE, db, "IT 2027", xlsx(book), file_name="v2.xlsx")
    with pytest.raises(VendorEvalError, match=r"scenario 'iso heavy': unknown criteria .*ISO"):
        rank_project(ALICE, db, "IT 2027")
    [warning] = show_project(ALICE, db, "IT 2027").goal_warnings
    assert warning.startswith("the goals cannot be checked: scenario 'iso heavy'")
    with pytest.raises(ScoringError, match="method"):
        rank_project(ALICE, db, "IT 2027", scenario="", method="ahp")
