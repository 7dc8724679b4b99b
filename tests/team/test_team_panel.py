"""The panel's arithmetic (docs/team.md §5–§6; team/panel.py, team/moderation.py), computed
by hand: which scores count, the consensus (mean, median, moderated), disagreement flags at
and around the threshold, calibration, the summary counts, and the key equality: ranking a
project after moderation equals ranking a plain workbook whose Scores sheet holds, per pair,
the consensus. Pure functions over an Evaluation and a hand-written log first, then the
same through the service on SQLite."""

from __future__ import annotations

import statistics

import pytest
from team_helpers import (
    ANA,
    BO,
    CY,
    LEAD,
    QUALITY,
    RISK,
    SUPPORT,
    VENDORS,
    Log,
    book,
    declare_all,
    draft,
    migrated,
    new_project,
    signed,
    submit,
)

from vendor_eval.projects import ProjectError, rank_project, set_status, update_settings
from vendor_eval.scoring.scorer import score
from vendor_eval.team import members, moderation, panel, scoring
from vendor_eval.team.errors import PermissionDenied
from vendor_eval.workbook.importing.load import load_evaluation

#: The default workbook as a project reads it: Quality 1–5, Support 0–10, Risk 0–0.5.
EVALUATION = load_evaluation(book(), name="p.xlsx", panel=True)


@pytest.fixture
def db(tmp_path):
    with migrated(f"sqlite:///{tmp_path / 'panel.sqlite3'}") as db:
        yield db


def by_pair(views: list[panel.PairView]) -> dict[tuple[str, str], panel.PairView]:
    return {(p.vendor, p.criterion): p for p in views}


def scores_of(view: panel.PairView) -> dict[str, float]:
    return {s.evaluator: s.score for s in view.scores}


# -- disagreement (pure) --------------------------------------------------------------------
def spread_log() -> Log:
    log = Log().member(ANA).member(BO).member(CY)
    log.submit(
        ANA,
        {
            ("Acme", "Quality"): 3,
            ("Globex", "Quality"): 2,
            ("Initech", "Support"): 3,
            ("Acme", "Risk"): 0.1,
            ("Globex", "Risk"): 0.1,
            ("Initech", "Risk"): 0.1,
        },
    )
    log.submit(
        BO,
        {
            ("Acme", "Quality"): 4,
            ("Globex", "Quality"): 4,
            ("Initech", "Support"): 6,
            ("Acme", "Risk"): 0.3,
            ("Globex", "Risk"): 0.15,
            ("Initech", "Risk"): 0.29,
        },
    )
    return log.submit(CY, {("Umbrella", "Quality"): 5})  # fmt: skip


def test_spread_is_max_minus_min_and_flagged_from_the_threshold_share_of_the_scale():
    views = panel.pairs(EVALUATION, spread_log().team(), threshold=0.4)
    got = {k: (p.spread, p.flagged) for k, p in by_pair(views).items()}
    assert got == {
        ("Acme", "Quality"): (1, False),  # limit 0.4 × 4 = 1.6
        ("Globex", "Quality"): (2, True),
        ("Initech", "Support"): (3, False),  # limit 0.4 × 10 = 4
        # 0.3 − 0.1 = 0.19999999999999998, at the limit 0.4 × 0.5 = 0.2: flagged
        ("Acme", "Risk"): (pytest.approx(0.2, abs=1e-15), True),
        ("Globex", "Risk"): (pytest.approx(0.05, abs=1e-15), False),
        ("Initech", "Risk"): (pytest.approx(0.19, abs=1e-15), False),  # just below: not flagged
        ("Umbrella", "Quality"): (None, False),  # one score: no spread
    }
    # flagged first, then the largest spread, then vendor and criterion order
    assert list(by_pair(views)) == [
        ("Globex", "Quality"), ("Acme", "Risk"), ("Initech", "Support"), ("Acme", "Quality"),
        ("Initech", "Risk"), ("Globex", "Risk"), ("Umbrella", "Quality"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("threshold", "flagged"),
    [
        (0.5, {("Globex", "Quality")}),  # limit 2.0: the spread 2 is at it
        # 0.3 × 10 = 3.0: spread 3; Risk limit 0.15
        (0.3, {("Initech", "Support"), ("Globex", "Quality"), ("Acme", "Risk"),
               ("Initech", "Risk")}),
        (0.25, {("Acme", "Quality"), ("Globex", "Quality"), ("Initech", "Support"),
                ("Acme", "Risk"), ("Initech", "Risk")}),
        # 0.15 − 0.1 = 0.04999999999999999, at 0.1 × 0.5 = 0.05: flagged
        (0.1, {("Acme", "Quality"), ("Globex", "Quality"), ("Initech", "Support"),
               ("Acme", "Risk"), ("Globex", "Risk"), ("Initech", "Risk")}),
        (1.0, set()),
    ],
)  # fmt: skip
def test_a_spread_exactly_at_the_threshold_is_flagged(threshold, flagged):
    views = panel.pairs(EVALUATION, spread_log().team(), threshold=threshold)
    assert {k for k, p in by_pair(views).items() if p.flagged} == flagged


# -- what counts, the consensus (pure) --------------------------------------------------------
def test_mean_by_default_and_median_when_the_evaluation_says_so():
    log = Log().member(ANA).member(BO).member(CY)
    for who, s in ((ANA, 1), (BO, 2), (CY, 5)):
        log.submit(who, {("Acme", "Quality"): s})
    team = log.team()
    mean = by_pair(panel.pairs(EVALUATION, team, 0.4))[("Acme", "Quality")]
    assert mean.aggregate == mean.consensus == pytest.approx(8 / 3, abs=1e-12)
    median_ev = load_evaluation(book(), name="p.xlsx", panel=True, consensus="median")
    median = by_pair(panel.pairs(median_ev, team, 0.4))[("Acme", "Quality")]
    assert median.consensus == 2


def test_moderated_score_replaces_the_consensus_the_latest_wins():
    log = Log().member(ANA).member(BO)
    log.submit(ANA, {("Acme", "Quality"): 2}).submit(BO, {("Acme", "Quality"): 5})
    log.moderate("acme", "QUALITY", 3).moderate("Acme", "Quality", 3.5)
    log.moderate("Globex", "Support", 7.25)  # a pair nobody scored
    views = by_pair(panel.pairs(EVALUATION, log.team(), 0.4))
    acme = views[("Acme", "Quality")]
    assert (acme.aggregate, acme.consensus, acme.moderation.score) == (3.5, 3.5, 3.5)
    assert views[("Globex", "Support")].scores == []
    assert views[("Globex", "Support")].consensus == 7.25
    applied = panel.apply_panel(EVALUATION, log.team())
    assert applied.values.loc["Acme", "Quality"] == 3.5
    assert applied.values.loc["Globex", "Support"] == 7.25
    assert applied.values["Quality"].isna().tolist() == [False, True, True, True]


def test_drafts_reopened_sheets_conflicts_and_removed_members_do_not_count():
    log = Log().member(ANA).member(BO).member(CY).member("dee@x.org")
    log.submit(ANA, {("Acme", "Quality"): 2})
    log.draft(BO, {("Acme", "Quality"): 5})  # a draft
    log.submit(CY, {("Acme", "Quality"): 4}).reopen(CY)  # reopened
    log.submit("dee@x.org", {("Acme", "Quality"): 1, ("Globex", "Quality"): 3})
    log.declare("dee@x.org", conflicts=["Globex"])  # a conflict with a vendor scored
    views = by_pair(panel.pairs(EVALUATION, log.team(), 0.4))
    assert scores_of(views[("Acme", "Quality")]) == {ANA: 2, "dee@x.org": 1}
    assert ("Globex", "Quality") not in views
    log.remove("dee@x.org")
    views = by_pair(panel.pairs(EVALUATION, log.team(), 0.4))
    assert scores_of(views[("Acme", "Quality")]) == {ANA: 2}
    log.submit(CY, {("Acme", "Quality"): 4})  # submitted again: counts again
    views = by_pair(panel.pairs(EVALUATION, log.team(), 0.4))
    assert scores_of(views[("Acme", "Quality")]) == {ANA: 2, CY: 4}
    assert views[("Acme", "Quality")].consensus == 3


def test_an_observers_or_owners_sheet_does_not_count():
    log = Log().member(ANA).member(BO, "observer").member(CY, "owner")
    log.submit(ANA, {("Acme", "Quality"): 2})
    log.submit(BO, {("Acme", "Quality"): 5}).submit(CY, {("Acme", "Quality"): 5})
    views = by_pair(panel.pairs(EVALUATION, log.team(), 0.4))
    assert scores_of(views[("Acme", "Quality")]) == {ANA: 2}


# -- the same through the service -----------------------------------------------------------
def quality_project(db, *, scores=None, evaluators=(ANA, BO, CY)) -> None:
    """Four vendors, one panel criterion (Quality 1–5), every evaluator declared none."""
    new_project(db, data=book(panel=(QUALITY,), scores=scores), evaluators=evaluators)
    for who in evaluators:
        declare_all(db, "P", who)


SPREAD = {ANA: (1, 3, 2, 4), BO: (2, 3, 4, 5), CY: (5, 3, 4, 5)}


def submit_all(db, table=SPREAD) -> None:
    for who, values in table.items():
        submit(db, "P", who, {(v, "Quality"): s for v, s in zip(VENDORS, values, strict=True)})


def test_one_score_is_a_panel_pair_but_not_a_disagreement(db):
    quality_project(db)
    submit(db, "P", ANA, {(v, "Quality"): 3 for v in VENDORS})
    pairs = moderation.panel_pairs(LEAD, db, "P")
    assert [(p.vendor, p.spread, p.flagged) for p in pairs] == [(v, None, False) for v in VENDORS]
    assert moderation.disagreements(LEAD, db, "P") == []


def test_the_threshold_setting_changes_the_flags(db):
    quality_project(db)
    submit_all(db)
    flagged = lambda **kw: {p.vendor for p in moderation.disagreements(LEAD, db, "P", **kw)  # noqa: E731
                            if p.flagged}  # fmt: skip
    # spreads: Acme 4, Globex 0, Initech 2, Umbrella 1 (scale range 4)
    assert flagged() == {"Acme", "Initech"}  # default 0.4: limit 1.6
    update_settings(LEAD, db, "P", threshold=0.25)  # limit 1.0
    assert flagged() == {"Acme", "Initech", "Umbrella"}
    assert moderation.panel_summary(LEAD, db, "P").threshold == 0.25
    update_settings(LEAD, db, "P", threshold=0.75)  # limit 3.0
    assert flagged() == {"Acme"}
    assert flagged(threshold=0.5) == {"Acme", "Initech"}  # the call's own: limit 2.0
    with pytest.raises(ProjectError):
        update_settings(LEAD, db, "P", threshold=0)
    with pytest.raises(ProjectError):
        moderation.disagreements(LEAD, db, "P", threshold=1.5)


def test_consensus_mean_median_and_moderation_through_the_service(db):
    quality_project(db)
    submit_all(db)
    consensus = lambda: {p.vendor: p.consensus for p in moderation.panel_pairs(LEAD, db, "P")}  # noqa: E731
    assert consensus() == pytest.approx({"Acme": 8 / 3, "Globex": 3, "Initech": 10 / 3,
                                         "Umbrella": 14 / 3}, abs=1e-12)  # fmt: skip
    update_settings(LEAD, db, "P", consensus="median")
    assert consensus() == {"Acme": 2, "Globex": 3, "Initech": 4, "Umbrella": 5}
    set_status(LEAD, db, "P", "moderation")
    view = moderation.moderate(LEAD, db, "P", vendor="Acme", criterion="Quality", score=4.5,
                               rationale="the reference call settled it")  # fmt: skip
    assert (view.consensus, view.aggregate, view.to_dict()["moderated"]) == (4.5, 2, True)
    assert consensus()["Acme"] == 4.5
    ranking = rank_project(LEAD, db, "P")
    assert ranking.evaluation.values.loc["Acme", "Quality"] == 4.5


def test_a_draft_never_counts_and_a_reopened_sheet_stops_counting(db):
    quality_project(db)
    submit_all(db, {ANA: SPREAD[ANA], BO: SPREAD[BO]})
    draft(db, "P", CY, {("Acme", "Quality"): 5})
    acme = lambda: scores_of(by_pair(moderation.panel_pairs(LEAD, db, "P"))[("Acme", "Quality")])  # noqa: E731
    assert acme() == {ANA: 1, BO: 2}
    scoring.reopen_sheet(LEAD, db, "P", BO, "check Acme again")
    assert acme() == {ANA: 1}
    submit(db, "P", BO, {(v, "Quality"): 3 for v in VENDORS})
    assert acme() == {ANA: 1, BO: 3}


def test_a_removed_evaluators_scores_stop_counting(db):
    quality_project(db)
    submit_all(db)
    said = members.remove_member(LEAD, db, "P", CY)
    assert said.endswith("their submitted scores no longer count")
    views = by_pair(moderation.panel_pairs(LEAD, db, "P"))
    assert scores_of(views[("Acme", "Quality")]) == {ANA: 1, BO: 2}
    assert [c.evaluator for c in moderation.calibration(LEAD, db, "P")] == [ANA, BO]
    assert moderation.panel_summary(LEAD, db, "P").evaluators == 2


def test_workbook_scores_rows_count_as_the_submitted_scores_of_the_evaluators_named(db):
    rows = [("old@x.org", "Acme", "Quality", 2, ""), (ANA, "Acme", "Quality", 1, "poor"),
            ("old@x.org", "Globex", "Quality", 4, "")]  # fmt: skip
    quality_project(db, scores=rows)
    views = by_pair(moderation.panel_pairs(LEAD, db, "P"))
    assert scores_of(views[("Acme", "Quality")]) == {"old@x.org": 2, ANA: 1}
    assert views[("Acme", "Quality")].consensus == 1.5
    assert {s.source for s in views[("Acme", "Quality")].scores} == {"workbook"}
    # Ana's own submission replaces her workbook row
    submit(db, "P", ANA, {(v, "Quality"): 4 for v in VENDORS})
    views = by_pair(moderation.panel_pairs(LEAD, db, "P"))
    assert scores_of(views[("Acme", "Quality")]) == {"old@x.org": 2, ANA: 4}
    assert scores_of(views[("Globex", "Quality")]) == {"old@x.org": 4, ANA: 4}
    assert rank_project(LEAD, db, "P").evaluation.values.loc["Acme", "Quality"] == 3


def test_a_conflict_also_removes_the_evaluators_workbook_score(db):
    """docs/team.md §4: a conflict removes the vendor from the evaluator's sheet "and any
    score of it from the consensus"; a workbook row naming the evaluator is their score."""
    rows = [(ANA, "Acme", "Quality", 5, "superb"), (BO, "Acme", "Quality", 3, "")]
    new_project(db, data=book(panel=(QUALITY,), scores=rows))
    declare_all(db, "P", ANA, conflicts={"Acme"})
    views = by_pair(moderation.panel_pairs(LEAD, db, "P"))
    assert scores_of(views[("Acme", "Quality")]) == {BO: 3}


def test_a_removed_evaluators_workbook_score_stops_counting(db):
    """docs/team.md §2: "a removed evaluator's scores no longer count"; workbook rows count
    as the scores of the evaluators they name."""
    rows = [(ANA, "Acme", "Quality", 5, "superb"), (BO, "Acme", "Quality", 3, "")]
    new_project(db, data=book(panel=(QUALITY,), scores=rows))
    members.remove_member(LEAD, db, "P", ANA)
    views = by_pair(moderation.panel_pairs(LEAD, db, "P"))
    assert scores_of(views[("Acme", "Quality")]) == {BO: 3}


# -- the key equality -------------------------------------------------------------------------
#: Who scores what in :func:`moderated_project` (Support: Cy only; Umbrella/Support: nobody).
PANEL = {
    ANA: {("Acme", "Quality"): 4, ("Globex", "Quality"): 2, ("Initech", "Quality"): 5,
          ("Umbrella", "Quality"): 3, ("Acme", "Risk"): 0.1, ("Globex", "Risk"): 0.35,
          ("Initech", "Risk"): 0.2, ("Umbrella", "Risk"): 0.45},
    BO: {("Acme", "Quality"): 5, ("Globex", "Quality"): 3, ("Initech", "Quality"): 3,
         ("Acme", "Risk"): 0.15, ("Globex", "Risk"): 0.3, ("Initech", "Risk"): 0.05},
    CY: {("Acme", "Quality"): 4, ("Globex", "Quality"): 1, ("Acme", "Risk"): 0.12,
         ("Globex", "Risk"): 0.5, ("Acme", "Support"): 7, ("Globex", "Support"): 9},
}  # fmt: skip
MODERATED = {("Globex", "Quality"): 2.5, ("Initech", "Support"): 6.5}


def moderated_project(db, how: str) -> None:
    new_project(db, evaluators=(ANA, BO, CY))
    update_settings(LEAD, db, "P", consensus=how)
    members.assign(LEAD, db, "P", ANA, criteria=["Quality", "Risk"])
    members.assign(LEAD, db, "P", BO, categories=["Delivery"], criteria=["Quality"])
    declare_all(db, "P", ANA)
    declare_all(db, "P", BO, conflicts={"Umbrella"})
    declare_all(db, "P", CY, conflicts={"Initech", "Umbrella"})
    for who, scores in PANEL.items():
        assert set(scoring.my_sheet(signed(who), db, "P").pairs) == set(scores), who
        submit(db, "P", who, scores)
    set_status(LEAD, db, "P", "moderation")
    for (v, c), x in MODERATED.items():
        moderation.moderate(LEAD, db, "P", vendor=v, criterion=c, score=x, rationale="agreed")


def hand_consensus(how: str) -> dict[tuple[str, str], float]:
    """The consensus per pair, computed here from :data:`PANEL` and :data:`MODERATED`."""
    given: dict[tuple[str, str], list[float]] = {}
    for scores in PANEL.values():
        for pair, x in scores.items():
            given.setdefault(pair, []).append(x)
    agg = statistics.median if how == "median" else statistics.fmean
    return {**{p: float(agg(xs)) for p, xs in given.items()}, **MODERATED}


def plain_workbook(consensus: dict[tuple[str, str], float], *, exact: bool = False) -> bytes:
    """The same Vendors and Criteria, and a Scores sheet with one row per pair: the
    consensus. openpyxl writes a number with 16 significant digits (0.12333333333333334
    becomes 0.1233333333333333); ``exact`` types each as the text of its repr, which the
    importer reads back as the very same float."""
    rows = [("panel", v, c, repr(x) if exact else x, "") for (v, c), x in consensus.items()]
    return book(scores=rows)


def close(a: object, b: object, where: str = "") -> None:
    """``a`` equals ``b``, numbers to 1e-9 (records as JSON: dicts, lists, text, numbers)."""
    if isinstance(a, dict) and isinstance(b, dict):
        assert list(a) == list(b), where
        for k in a:
            close(a[k], b[k], f"{where}.{k}")
    elif isinstance(a, list) and isinstance(b, list):
        assert len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            close(x, y, f"{where}[{i}]")
    elif isinstance(a, float) and isinstance(b, float):
        assert a == pytest.approx(b, abs=1e-9), where
    else:
        assert a == b, where


@pytest.mark.parametrize("how", ["mean", "median"])
def test_the_ranking_after_moderation_equals_ranking_the_consensus_workbook(db, how):
    moderated_project(db, how)
    expected = hand_consensus(how)
    assert ("Umbrella", "Support") not in expected  # missing: nobody scored it
    got = {(p.vendor, p.criterion): p.consensus for p in moderation.panel_pairs(LEAD, db, "P")}
    assert got == pytest.approx(expected, abs=1e-12)
    typed = load_evaluation(plain_workbook(expected), name="plain.xlsx")
    exact = load_evaluation(plain_workbook(got, exact=True), name="plain.xlsx")
    for method in ("wsm", "topsis"):
        for missing in ("worst", "mean"):
            project = rank_project(LEAD, db, "P", method=method, missing=missing)
            file = score(typed, method=method, missing=missing)
            assert project.vendors == file.vendors, (method, missing)
            for vendor in file.vendors:
                assert project.score(vendor) == pytest.approx(file.score(vendor), abs=1e-9)
            close(project.to_records(), file.to_records(), f"{method}/{missing}")
            same = score(exact, method=method, missing=missing)
            assert project.to_records() == same.to_records(), (method, missing)
    # the same through the project's settings
    update_settings(LEAD, db, "P", method="topsis", missing="mean")
    assert rank_project(LEAD, db, "P").to_records() == score(exact, "topsis", "mean").to_records()


# -- calibration and the summary --------------------------------------------------------------
def calibration_project(db) -> None:
    """Quality 1–5 (range 4). Acme 5/4/3 (spread 2, flagged), Globex 4/2/1 (3, flagged),
    Initech 3/3/2 (1), Umbrella: Ana's 2 alone (Bo and Cy declared a conflict)."""
    new_project(db, data=book(panel=(QUALITY,)), evaluators=(ANA, BO, CY))
    declare_all(db, "P", ANA)
    declare_all(db, "P", BO, conflicts={"Umbrella"})
    declare_all(db, "P", CY, conflicts={"Umbrella"})
    table = {ANA: (5, 4, 3, 2), BO: (4, 2, 3), CY: (3, 1, 2)}
    for who, values in table.items():
        submit(db, "P", who, {(v, "Quality"): s for v, s in zip(VENDORS, values, strict=False)})


def calibrated(db) -> dict[str, dict[str, object]]:
    return {c.evaluator: c.to_dict() for c in moderation.calibration(LEAD, db, "P")}


def test_calibration_by_hand(db):
    calibration_project(db)
    set_status(LEAD, db, "P", "moderation")
    moderation.moderate(LEAD, db, "P", vendor="Acme", criterion="Quality", score=3,
                        rationale="the reference customer")  # fmt: skip
    # consensus: Acme 3 (moderated), Globex 7/3, Initech 8/3; Umbrella has Ana's score only
    # Ana: 2, 5/3, 1/3 → 4/3 (1/3 of the range: lenient); Bo: 1, −1/3, 1/3 → 1/3 (1/12);
    # Cy: 0, −4/3, −2/3 → −2/3 (−1/6: severe)
    got = calibrated(db)
    assert list(got) == [ANA, BO, CY]
    expected = {
        ANA: (4, 3, 4 / 3, 1 / 3, 2, 0.5, "lenient"),
        BO: (3, 3, 1 / 3, 1 / 12, 2, 2 / 3, "in line"),
        CY: (3, 3, -2 / 3, -1 / 6, 2, 2 / 3, "severe"),
    }
    keys = ("scored", "compared", "mean_deviation", "mean_deviation_share", "flagged",
            "flagged_share", "leaning")  # fmt: skip
    for who, values in expected.items():
        assert tuple(got[who][k] for k in keys) == pytest.approx(values, abs=1e-12), who
    # a moderated consensus makes Ana's lone Umbrella score comparable: 2 − 3 = −1
    moderation.moderate(LEAD, db, "P", vendor="Umbrella", criterion="Quality", score=3,
                        rationale="agreed")  # fmt: skip
    ana = calibrated(db)[ANA]
    assert (ana["compared"], ana["mean_deviation"]) == (4, pytest.approx(0.75, abs=1e-12))
    assert ana["mean_deviation_share"] == pytest.approx(0.1875, abs=1e-12)
    # only owners see it
    with pytest.raises(PermissionDenied):
        moderation.calibration(signed(ANA), db, "P")


@pytest.mark.parametrize(
    ("ana", "bo", "leanings"),
    [
        (0.3, 0.2, ("lenient", "severe")),  # ±0.05 of 0.5 = ±10% (0.09999999999999998)
        (0.29, 0.21, ("in line", "in line")),  # ±8%
        (0.5, 0.0, ("lenient", "severe")),
    ],
)
def test_leaning_is_lenient_from_plus_ten_percent_and_severe_from_minus_ten(ana, bo, leanings):
    log = Log().member(ANA).member(BO)
    log.submit(ANA, {("Acme", "Risk"): ana}).submit(BO, {("Acme", "Risk"): bo})
    got = panel.calibration(EVALUATION, log.team(), 0.4)
    assert tuple(c.leaning for c in got) == leanings


def test_calibration_with_nothing_to_compare(db):
    calibration_project(db)
    scoring.reopen_sheet(LEAD, db, "P", BO, "x")
    scoring.reopen_sheet(LEAD, db, "P", CY, "x")
    got = calibrated(db)
    assert list(got) == [ANA]
    assert got[ANA] == {"evaluator": ANA, "scored": 4, "compared": 0, "mean_deviation": None,
                        "mean_deviation_share": None, "flagged": 0, "flagged_share": 0.0,
                        "leaning": ""}  # fmt: skip


def test_panel_summary_counts(db):
    calibration_project(db)
    summary = moderation.panel_summary(LEAD, db, "P")
    assert summary.to_dict() == {"evaluators": 3, "submitted": 3, "pairs": 4, "scored": 4,
                                 "flagged": 2, "moderated": 0, "threshold": 0.4}  # fmt: skip
    scoring.reopen_sheet(LEAD, db, "P", CY, "recheck")
    summary = moderation.panel_summary(LEAD, db, "P")
    # without Cy: Acme 5/4 (1), Globex 4/2 (2: flagged), Initech 3/3, Umbrella 2
    assert (summary.submitted, summary.scored, summary.flagged) == (2, 4, 1)
    submit(db, "P", CY, {("Acme", "Quality"): 3, ("Globex", "Quality"): 1,
                         ("Initech", "Quality"): 2})  # fmt: skip
    set_status(LEAD, db, "P", "moderation")
    for v in ("Acme", "Umbrella"):
        moderation.moderate(LEAD, db, "P", vendor=v, criterion="Quality", score=3, rationale="ok")
    update_settings(LEAD, db, "P", threshold=0.8)  # limit 3.2: nothing flagged
    summary = moderation.panel_summary(LEAD, db, "P")
    assert summary.to_dict() == {"evaluators": 3, "submitted": 3, "pairs": 4, "scored": 4,
                                 "flagged": 0, "moderated": 2, "threshold": 0.8}  # fmt: skip
    # an evaluator sees it once the project is in moderation
    assert moderation.panel_summary(signed(ANA), db, "P") == summary


def test_panel_summary_of_a_project_without_scores(db):
    new_project(db, evaluators=(ANA, BO))
    summary = moderation.panel_summary(LEAD, db, "P")
    assert summary.to_dict() == {"evaluators": 2, "submitted": 0, "pairs": 12, "scored": 0,
                                 "flagged": 0, "moderated": 0, "threshold": 0.4}  # fmt: skip
    assert moderation.panel_pairs(LEAD, db, "P") == []
    # nobody scored: the ranking's panel values are all missing (a project's workbook alone)
    values = rank_project(LEAD, db, "P").evaluation.values
    panel_names = [c[0] for c in (QUALITY, SUPPORT, RISK)]
    assert [c.name for c in EVALUATION.panel_criteria] == panel_names
    assert values[panel_names].isna().all().all()
