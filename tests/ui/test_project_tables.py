"""The Projects page's Streamlit-free helpers: key scopes, times, tables, and the weights on
screen as a project scenario (checked by ranking with it)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from conftest import SAMPLE

from vendor_eval.core.model import Category
from vendor_eval.core.weights import effective_weights
from vendor_eval.projects.views import EventView, ProjectSummary, VersionView
from vendor_eval.scoring.scorer import score
from vendor_eval.ui.project_tables import (
    goals_from_text,
    history_frame,
    project_scenario,
    projects_frame,
    scope_prefix,
    versions_frame,
    when,
)
from vendor_eval.ui.tables import with_category_weights
from vendor_eval.workbook.importing.load import load_evaluation

T0 = datetime(2026, 12, 1, 9, 30, 5, 123456, tzinfo=UTC)


@pytest.fixture(scope="module")
def sample():
    return load_evaluation(SAMPLE)


def test_a_project_scope_ignores_case_and_spaces_and_is_never_the_quick_views():
    assert scope_prefix("IT 2027") == scope_prefix("  it 2027 ")
    assert scope_prefix("IT 2027") != scope_prefix("IT 2028")
    assert scope_prefix("IT 2027").startswith("prj_") and scope_prefix("IT 2027") != ""
    assert len(scope_prefix("x" * 200)) == len(scope_prefix("y"))  # a digest, not the name


def test_times_are_shown_in_utc_to_the_second():
    assert when(T0) == "2026-12-01 09:30:05 UTC"
    plus_two = T0.astimezone(timezone(timedelta(hours=2)))
    assert when(plus_two) == "2026-12-01 09:30:05 UTC"
    assert when("2026-12-01T09:30:05.123456Z") == "2026-12-01 09:30:05 UTC"
    assert when(T0.replace(tzinfo=None)) == "2026-12-01 09:30:05 UTC"
    assert when(None) == ""


def test_goals_are_one_per_line_trimmed_without_blanks():
    assert goals_from_text(" 24/7 desk \n\n  Cut costs 15%\n \n") == ["24/7 desk", "Cut costs 15%"]
    assert goals_from_text(None) == []


def test_projects_table_lists_name_status_versions_and_last_change():
    rows = [
        ProjectSummary("IT 2027", "scoring", 2, "v2.xlsx", T0, "ana", 5),
        ProjectSummary("Empty", "draft", 0, None, None, None, 1),
    ]
    frame = projects_frame(rows)
    assert list(frame.columns) == [
        "Project",
        "Status",
        "Versions",
        "Current file",
        "Last change",
        "By",
    ]
    assert frame.to_dict("records") == [
        {
            "Project": "IT 2027",
            "Status": "scoring",
            "Versions": 2,
            "Current file": "v2.xlsx",
            "Last change": "2026-12-01 09:30:05 UTC",
            "By": "ana",
        },
        {
            "Project": "Empty",
            "Status": "draft",
            "Versions": 0,
            "Current file": "",
            "Last change": "",
            "By": "",
        },
    ]


def test_versions_newest_first_with_the_current_one_marked_and_a_short_hash():
    sha1, sha2 = "a" * 64, "0123456789abcdef" * 4
    versions = [
        VersionView(1, "first.xlsx", sha1, 100, "ana", T0),
        VersionView(2, "second.xlsx", sha2, 2048, "bo", T0 + timedelta(hours=1)),
    ]
    frame = versions_frame(versions, current=2)
    assert list(frame["Version"]) == [2, 1]
    assert list(frame["Current"]) == ["current", ""]
    assert list(frame["SHA-256"]) == ["0123456789ab", "a" * 12]
    assert list(frame["Imported by"]) == ["bo", "ana"]
    assert list(frame["When"]) == ["2026-12-01 10:30:05 UTC", "2026-12-01 09:30:05 UTC"]


def test_history_lists_every_event_oldest_first_with_its_details_as_json():
    events = [
        EventView(1, T0, "ana", "create", "IT 2027", {"goals": ["Cut costs"]}),
        EventView(2, T0, "ana", "status", "IT 2027", {"from": "draft", "to": "scoring"}),
    ]
    frame = history_frame(events)
    assert list(frame.columns) == ["Seq", "Time", "Actor", "Action", "Subject", "Details"]
    assert list(frame["Seq"]) == [1, 2]
    assert list(frame["Action"]) == ["create", "status"]
    assert frame["Details"].iloc[0] == '{"goals": ["Cut costs"]}'
    assert frame["Details"].iloc[1] == '{"from": "draft", "to": "scoring"}'


def _scores(ranking) -> list[float]:
    return [ranking.score(v) for v in sorted(ranking.vendors)]


def _same_ranking(a, b):
    assert a.qualified == b.qualified
    assert _scores(a) == pytest.approx(_scores(b))


def test_scenario_of_a_workbook_with_categories_keeps_both_levels(sample):
    assert sample.categories is not None
    first = sample.category_names[0]
    working = with_category_weights(sample, {first: 0.0})
    assert _scores(score(working)) != pytest.approx(_scores(score(sample)))  # a real change
    sc = project_scenario(working, sample, "no first category")
    assert sc.category_weights[first] == 0.0
    assert set(sc.criterion_weights) == set(sample.criterion_names)
    _same_ranking(score(sc.apply(sample)), score(working))


def test_scenario_of_a_flat_workbook_folds_moved_category_sliders_into_criterion_weights(sample):
    flat = sample.with_categories(None)  # weights relative to all criteria
    # the category sliders moved: the working evaluation gains a Categories table
    moved = flat.with_categories(
        [Category(name, 1.0 if i == 0 else 3.0) for i, name in enumerate(flat.category_names)]
    )
    assert _scores(score(moved)) != pytest.approx(_scores(score(flat)))  # a real change
    sc = project_scenario(moved, flat, "moved")
    assert sc.category_weights == {}  # the flat workbook could not take them
    assert sc.criterion_weights == pytest.approx(dict(effective_weights(moved)))
    _same_ranking(score(sc.apply(flat)), score(moved))
    # untouched sliders: the criterion weights as they are
    same = project_scenario(flat, flat, "same")
    assert same.criterion_weights == {c.name: c.weight for c in flat.criteria}
    assert same.category_weights == {}
