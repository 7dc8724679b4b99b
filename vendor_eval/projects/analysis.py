"""Ranking and stress-testing a project's current workbook, its settings, and its saved
weight scenarios.

A project's settings are the options its ranking uses when none are given: ``method``
(wsm or topsis), ``missing`` (worst, mean or exclude), ``consensus`` (mean or median, how
several evaluators' Scores combine), ``threshold`` (the panel's disagreement threshold, a
share of a scale's range, default 0.4) and ``scenario`` (a saved weight scenario applied on
top of the workbook's weights; not set = the workbook's own). Ranking a project is the
same as ranking its current file with the same options (``project rank`` prints what
``rank FILE`` prints). Reads write no event.

Which settings a ranking uses (:func:`with_project_settings`): an option given to the
command (``settings``, marked "command line"), else the project's method and missing-value
policy once they have been chosen (a settings change wrote them; marked "project"), else
the current workbook's Settings sheet, else the defaults (wsm, worst). The quality minimum,
contract term and discount rate are the workbook's (or the command's): a project has none of
its own. ``decide`` freezes the ranking made by the same rule.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from vendor_eval.core.model import Consensus, Evaluation, Method, MissingPolicy
from vendor_eval.core.problems import ScoringError, VendorEvalError
from vendor_eval.projects.actor import Actor
from vendor_eval.projects.errors import ProjectError, quoted
from vendor_eval.projects.rules import (
    clean_name,
    clean_threshold,
    open_for_write,
    precheck,
    settings_of,
    settings_text,
    writing,
)
from vendor_eval.projects.versions import Snapshot, read_snapshot, snapshot
from vendor_eval.projects.views import EventView, ScenarioView
from vendor_eval.scoring.ranking import Ranking
from vendor_eval.scoring.scorer import TOPSIS_EXCLUDE, score
from vendor_eval.store import queries as q
from vendor_eval.store.audit import append_event, canonical_text
from vendor_eval.store.database import Database
from vendor_eval.stress.analysis import analyse
from vendor_eval.stress.report import SensitivityReport
from vendor_eval.stress.scenarios import Scenario
from vendor_eval.team.access import Action
from vendor_eval.workbook.schema import name_key

#: Keep the current value (the ``scenario`` argument of :func:`update_settings`).
UNCHANGED: Any = ...
#: The origin a project's own settings are marked with (``Settings.origin``).
PROJECT_ORIGIN = "project"
COMMAND_LINE = "command line"
_CHOICES: dict[str, type[Method] | type[MissingPolicy]] = {
    "method": Method,
    "missing": MissingPolicy,
}


def _setting(key: str, value: object) -> object:
    """A method or missing policy given as text, as its member (a bad one: the scorer's
    sentence, ``method: …``)."""
    enum = _CHOICES.get(key)
    if enum is None or value is None:
        return value
    try:
        return enum.from_alias(value)
    except ValueError as e:
        raise ScoringError(f"{key}: {e}") from None


def with_project_settings(
    snap: Snapshot, evaluation: Evaluation, settings: Mapping[str, object] | None = None
) -> Evaluation:
    """``evaluation`` (the project's current version) with the settings its ranking uses:
    ``settings`` (the command's options, field → value, ``None`` = not given) over the
    project's chosen method and missing policy over the workbook's Settings sheet (module
    docstring)."""
    chosen = {
        key: _setting(key, snap.settings.get(key))
        for key in _CHOICES
        if key in snap.chosen and snap.settings.get(key)
    }
    evaluation = evaluation.with_settings(origin=PROJECT_ORIGIN, **chosen)
    given = {k: _setting(k, v) for k, v in (settings or {}).items() if v is not None}
    return evaluation.with_settings(origin=COMMAND_LINE, **given) if given else evaluation


def rank_project(
    actor: Actor,
    db: Database,
    name: str,
    *,
    method: str | None = None,
    missing: str | None = None,
    consensus: str | None = None,
    scenario: str | None = None,
    settings: Mapping[str, object] | None = None,
) -> Ranking:
    """The current version ranked; options not given come from the project's settings,
    else the workbook's Settings sheet (:func:`with_project_settings`; ``settings``: more
    of the command's options, e.g. ``{"quality_minimum": 60}``). ``scenario`` None uses the
    active scenario, ``""`` the workbook's own weights."""
    snap = read_snapshot(db, actor, name, action=Action.READ_RANKING)
    given = {**(settings or {})}
    given.update({k: v for k, v in (("method", method), ("missing", missing)) if v is not None})
    evaluation = with_project_settings(snap, snap.weighted(scenario, consensus), given)
    return score(evaluation)


def sensitivity_project(
    actor: Actor,
    db: Database,
    name: str,
    *,
    samples: int = 10_000,
    seed: int = 0,
    kappa: float | None = 100.0,
    missing: str | None = None,
    scenario: str | None = None,
    settings: Mapping[str, object] | None = None,
) -> SensitivityReport:
    """The stress tests of the current version's weighted-sum ranking (as ``sensitivity
    FILE``), with the project's missing-value policy, consensus and scenario unless given
    (the settings as :func:`rank_project` takes them)."""
    evaluation = sensitivity_evaluation(
        actor, db, name, missing=missing, scenario=scenario, settings=settings
    )
    return analyse(
        evaluation, samples=samples, seed=seed, kappa=kappa, missing=None, leader_only=None
    )


def sensitivity_evaluation(
    actor: Actor,
    db: Database,
    name: str,
    *,
    missing: str | None = None,
    scenario: str | None = None,
    settings: Mapping[str, object] | None = None,
) -> Evaluation:
    """The evaluation :func:`sensitivity_project` analyses (the current version, scenario
    and settings applied), for a caller that shows its settings too."""
    snap = read_snapshot(db, actor, name, action=Action.READ_RANKING)
    given = {**(settings or {})}
    if missing is not None:
        given["missing"] = missing
    return with_project_settings(snap, snap.weighted(scenario), given)


def _choice(
    enum: type[Method] | type[MissingPolicy] | type[Consensus], value: str, what: str
) -> str:
    try:
        return enum.from_alias(value).value
    except ValueError as e:
        raise ProjectError(f"{what}: {e}") from None


def update_settings(
    actor: Actor,
    db: Database,
    name: str,
    *,
    method: str | None = None,
    missing: str | None = None,
    consensus: str | None = None,
    scenario: str | None = UNCHANGED,
    threshold: float | None = None,
    base_version: int | None = None,
) -> dict[str, str | None]:
    """Change some settings (None or left out: unchanged; ``scenario=None`` or ``""``: back
    to the workbook's own weights; a scenario must be saved in the project). TOPSIS with
    ``exclude`` is refused, as when ranking. Event "settings" {"before", "after"}; when
    nothing changes nothing is written. Returns the settings after."""
    precheck(db, actor, name, base_version)
    changes: dict[str, str | None] = {}
    if method is not None:
        changes["method"] = _choice(Method, method, "method")
    if missing is not None:
        changes["missing"] = _choice(MissingPolicy, missing, "missing")
    if consensus is not None:
        changes["consensus"] = _choice(Consensus, consensus, "consensus")
    if threshold is not None:
        changes["threshold"] = repr(clean_threshold(threshold))
    with writing(db, name) as s:
        project = open_for_write(s, actor, name, base_version)
        before = settings_of(project)
        if scenario is not UNCHANGED:
            if scenario is None or not str(scenario).strip():
                changes["scenario"] = None
            else:
                found = q.scenario(s, project.id, name_key(scenario))
                if found is None:
                    raise ProjectError(
                        f"{project.name} has no scenario named {quoted(str(scenario).strip())}"
                    )
                changes["scenario"] = found.name
        after = {**before, **changes}
        if after["method"] == Method.TOPSIS.value and after["missing"] == "exclude":
            raise ProjectError(TOPSIS_EXCLUDE)
        if after == before:
            return before
        project.settings = settings_text(after)
        append_event(
            s, project.id, actor.name, "settings", project.name,
            {"before": before, "after": after},
        )  # fmt: skip
        return after


def _weights(values: Any, what: str, scenario_name: str) -> dict[str, float]:
    out: dict[str, float] = {}
    for key, value in dict(values or {}).items():
        try:
            x = float(value)
        except (TypeError, ValueError):
            x = float("nan")
        if isinstance(value, bool) or not (x >= 0 and x != float("inf")):
            raise ProjectError(
                f"scenario {quoted(scenario_name)}: the {what} weight of {quoted(str(key))} "
                f"must be a number 0 or more (is {value!r})"
            )
        out[str(key)] = x
    return out


def save_scenario(
    actor: Actor,
    db: Database,
    name: str,
    scenario: Scenario,
    *,
    base_version: int | None = None,
) -> ScenarioView:
    """Save a named weight scenario; one with the same name (case-insensitively) is
    replaced. Every criterion and category it names must exist in the current version and
    the weights must be scorable. Event "scenario" {"name", "criterion_weights",
    "category_weights", "replaced"}.

    Replacing the project's active scenario keeps it active under the name as now spelled
    (the settings change in the same transaction, and the event says ``"active": true``).
    The same name, spelled the same, with the same weights again writes nothing (no event,
    no new version): the saved scenario is returned with ``unchanged`` True."""
    with db.read() as s:  # checked against the current version outside the write
        snap = snapshot(s, open_for_write(s, actor, name, base_version, lock=False))
    title = clean_name(scenario.name, "the scenario name")
    crit = _weights(scenario.criterion_weights, "criterion", title)
    cats = _weights(scenario.category_weights, "category", title)
    candidate = Scenario(title, crit, cats)
    try:
        score(candidate.apply(snap.evaluation()), method="wsm", missing="worst")
    except ScoringError as e:
        raise ProjectError(f"scenario {quoted(title)}: {e}") from None
    except VendorEvalError as e:
        raise ProjectError(str(e)) from None
    with writing(db, name) as s:
        project = open_for_write(
            s, actor, name, snap.version if base_version is None else base_version
        )
        key = name_key(title)
        old = q.scenario(s, project.id, key)
        if old is not None and (old.name, ScenarioView.of(old).weights()) == (title, (crit, cats)):
            return ScenarioView.of(old, unchanged=True)
        settings = settings_of(project)
        active = old is not None and name_key(settings["scenario"] or "") == key
        row, replaced = q.put_scenario(
            s, project.id, name=title, key=key,
            criterion_weights=canonical_text(crit), category_weights=canonical_text(cats),
            actor=actor.name,
        )  # fmt: skip
        details = {
            "name": title,
            "criterion_weights": crit,
            "category_weights": cats,
            "replaced": replaced,
        }
        if active:
            details["active"] = True
            if settings["scenario"] != title:  # still the active one, as now spelled; set
                # after put_scenario's flush, so the project row is updated (and its version
                # bumped) once, with the event
                project.settings = settings_text({**settings, "scenario": title})
        append_event(s, project.id, actor.name, "scenario", title, details, time=row.created_at)
        return ScenarioView.of(row)


def delete_scenario(
    actor: Actor,
    db: Database,
    name: str,
    scenario: str,
    *,
    base_version: int | None = None,
) -> EventView:
    """Delete a saved scenario (not the active one: change the settings first). Event
    "scenario-delete" {"name", "criterion_weights", "category_weights"}."""
    with writing(db, name) as s:
        project = open_for_write(s, actor, name, base_version)
        row = q.scenario(s, project.id, name_key(scenario))
        if row is None:
            raise ProjectError(
                f"{project.name} has no scenario named {quoted(str(scenario).strip())}"
            )
        active = settings_of(project)["scenario"]
        if active and name_key(active) == row.name_key:
            raise ProjectError(
                f"scenario {quoted(row.name)} is the project's active weights: choose other "
                "weights in the settings first"
            )
        details = {
            "name": row.name,
            "criterion_weights": json.loads(row.criterion_weights),
            "category_weights": json.loads(row.category_weights),
        }
        title = row.name
        q.delete_scenario(s, row)
        event = append_event(s, project.id, actor.name, "scenario-delete", title, details)
        return EventView.of(event)
