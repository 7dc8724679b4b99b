"""Monitoring scores against hand-computed cases (docs/monitoring.md §2)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from vendor_eval.core.model import Direction
from vendor_eval.monitoring.model import (
    DEFAULT_STANDINGS,
    RESULT_COLUMNS,
    Kpi,
    MonitoringBook,
    Period,
    PeriodKind,
    Standing,
)
from vendor_eval.monitoring.scoring import (
    ACTION_DUE_DAYS,
    Trend,
    period_end,
    score_monitoring,
    standing_of,
)

UPTIME = Kpi("Uptime", Direction.HIGHER, target=99.5, threshold=99.0, weight=3, unit="%", row=2)
RESPONSE = Kpi("Response time", Direction.LOWER, target=4, threshold=8, weight=1, unit="h", row=3)


def month(text: str) -> int:
    period = Period.parse(text)
    assert period is not None
    return period.ordinal


def book(
    rows: list[tuple[str, str, str, float]],
    kpis: tuple[Kpi, ...] = (UPTIME, RESPONSE),
    vendors: tuple[str, ...] | None = None,
    **kw: object,
) -> MonitoringBook:
    """rows: (period label, vendor, KPI, actual)."""
    frame = pd.DataFrame(
        [(month(p), v, k, float(a), "", i + 2) for i, (p, v, k, a) in enumerate(rows)],
        columns=list(RESULT_COLUMNS),
    )
    kind = Period.parse(rows[0][0]).kind if rows else None  # type: ignore[union-attr]
    names = vendors or tuple(dict.fromkeys(v for _, v, _, _ in rows))
    return MonitoringBook(kpis, frame, kind, names, **kw)  # type: ignore[arg-type]


# -- periods ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "label", "kind"),
    [
        ("2026-03", "2026-03", PeriodKind.MONTH),
        ("2026-3", "2026-03", PeriodKind.MONTH),
        (" 2026 - 12 ", "2026-12", PeriodKind.MONTH),
        ("2026-Q1", "2026-Q1", PeriodKind.QUARTER),
        ("2026 q4", "2026-Q4", PeriodKind.QUARTER),
        ("2026Q2", "2026-Q2", PeriodKind.QUARTER),
    ],
)
def test_period_parse(text: str, label: str, kind: PeriodKind) -> None:
    period = Period.parse(text)
    assert period is not None
    assert (period.label, period.kind) == (label, kind)


@pytest.mark.parametrize("text", ["2026-13", "2026-00", "2026-Q5", "March 2026", "2026", ""])
def test_period_parse_refuses(text: str) -> None:
    assert Period.parse(text) is None


def test_periods_are_consecutive_across_a_year_end() -> None:
    assert Period.parse("2025-12").shifted(1).label == "2026-01"  # type: ignore[union-attr]
    assert Period.parse("2025-Q4").shifted(1).label == "2026-Q1"  # type: ignore[union-attr]
    assert period_end(Period.parse("2026-02")) == date(2026, 2, 28)  # type: ignore[arg-type]
    assert period_end(Period.parse("2024-02")) == date(2024, 2, 29)  # type: ignore[arg-type]
    assert period_end(Period.parse("2026-Q3")) == date(2026, 9, 30)  # type: ignore[arg-type]


# -- KPI scores ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("kpi", "actual", "score", "met", "breach"),
    [
        (UPTIME, 99.9, 100.0, True, False),  # better than target
        (UPTIME, 99.5, 100.0, True, False),  # exactly on target
        (UPTIME, 99.25, 50.0, False, False),  # half-way
        (UPTIME, 99.0, 0.0, False, False),  # exactly on threshold: 0, not a breach
        (UPTIME, 98.9, 0.0, False, True),  # worse than threshold
        (RESPONSE, 3, 100.0, True, False),
        (RESPONSE, 4, 100.0, True, False),
        (RESPONSE, 5, 75.0, False, False),
        (RESPONSE, 8, 0.0, False, False),
        (RESPONSE, 9, 0.0, False, True),
    ],
)
def test_kpi_score(kpi: Kpi, actual: float, score: float, met: bool, breach: bool) -> None:
    assert kpi.score(actual) == pytest.approx(score)
    assert (kpi.met(actual), kpi.breach(actual)) == (met, breach)
    scored = score_monitoring(book([("2026-01", "Acme", kpi.name, actual)])).scored
    assert scored["score"].tolist() == pytest.approx([score])
    assert (bool(scored["met"].iloc[0]), bool(scored["breach"].iloc[0])) == (met, breach)


# -- period scores, completeness and standings ---------------------------------------------
def test_period_score_is_the_weighted_mean_of_the_reported_kpis() -> None:
    result = score_monitoring(
        book(
            [
                ("2026-01", "Acme", "Uptime", 99.5),  # 100, weight 3
                ("2026-01", "Acme", "Response time", 6),  # 50, weight 1
                ("2026-02", "Acme", "Response time", 6),  # only this one: 50
            ]
        )
    )
    jan, feb = result.vendors["Acme"].periods
    assert jan.score == pytest.approx((3 * 100 + 1 * 50) / 4)  # 87.5
    assert (jan.standing, jan.completeness, jan.reported) == ("Excellent", 1.0, 2)
    assert feb.score == pytest.approx(50.0)  # renormalised over the reported weight
    assert feb.completeness == pytest.approx(1 / 4)
    assert feb.standing == "Needs improvement"


def test_a_period_without_any_report_has_no_score_and_zero_completeness() -> None:
    result = score_monitoring(
        book([("2026-01", "Acme", "Uptime", 99.5), ("2026-03", "Acme", "Uptime", 99.25)])
    )
    periods = result.vendors["Acme"].periods
    assert [p.period.label for p in periods] == ["2026-01", "2026-02", "2026-03"]
    assert [p.score for p in periods] == [100.0, None, 50.0]
    assert [p.completeness for p in periods] == [0.75, 0.0, 0.75]
    assert periods[1].standing is None
    # The trend is over the scored periods only (x = 0, 1 in period order).
    assert result.vendors["Acme"].trend == Trend(75.0, -50.0, 2)


def test_a_vendor_that_stopped_reporting_shows_the_missing_periods() -> None:
    result = score_monitoring(
        book([("2026-01", "Acme", "Uptime", 99.5), ("2026-03", "Beta", "Uptime", 99.5)])
    )
    assert [p.score for p in result.vendors["Acme"].periods] == [100.0, None, None]
    assert [p.period.label for p in result.vendors["Beta"].periods] == ["2026-03"]
    assert result.vendors["Acme"].latest.period.label == "2026-01"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("score", "standing"),
    [
        (100, "Excellent"),
        (85, "Excellent"),
        (84.999, "Good"),
        (70, "Good"),
        (69.99, "Needs improvement"),
        (50, "Needs improvement"),
        (49.99, "Poor"),
        (0, "Poor"),
        (None, None),
    ],
)
def test_default_standings(score: float | None, standing: str | None) -> None:
    assert standing_of(score, DEFAULT_STANDINGS) == standing


def test_a_standings_sheet_overrides_the_bands() -> None:
    bands = (Standing("Green", 90), Standing("Amber", 60), Standing("Red", 0))
    result = score_monitoring(
        book(
            [("2026-01", "Acme", "Uptime", 99.45), ("2026-02", "Acme", "Uptime", 99.25)],
            standings=bands,
        )
    )
    assert [p.standing for p in result.vendors["Acme"].periods] == ["Green", "Red"]


# -- trend -----------------------------------------------------------------------------------
def test_trend_mean_of_last_three_and_slope_over_last_six() -> None:
    # Uptime scores 0, 10, …, 70 (actual = 99 + score / 200); last 6 = 20..70, slope 10.
    rows = [(f"2026-{m:02d}", "Acme", "Uptime", 99 + 10 * (m - 1) / 200) for m in range(1, 9)]
    trend = score_monitoring(book(rows)).vendors["Acme"].trend
    assert trend.mean_last_3 == pytest.approx((50 + 60 + 70) / 3)
    assert trend.slope_last_6 == pytest.approx(10.0)
    assert (trend.periods, trend.direction, trend.arrow) == (8, "up", "↑")


def test_trend_least_squares_slope_by_hand() -> None:
    # Scores 80, 40, 60: x = 0, 1, 2, mean x 1, mean y 60; slope = (−1·20 + 0 + 1·0) / 2 = −10.
    rows = [
        ("2026-01", "Acme", "Uptime", 99.4),
        ("2026-02", "Acme", "Uptime", 99.2),
        ("2026-03", "Acme", "Uptime", 99.3),
    ]
    trend = score_monitoring(book(rows)).vendors["Acme"].trend
    assert trend.mean_last_3 == pytest.approx(60.0)
    assert trend.slope_last_6 == pytest.approx(-10.0)
    assert trend.direction == "down"


def test_trend_of_one_period_has_no_slope() -> None:
    trend = score_monitoring(book([("2026-01", "Acme", "Uptime", 99.5)])).vendors["Acme"].trend
    assert trend == Trend(100.0, None, 1)
    assert (trend.direction, trend.arrow) == ("", "")


def test_a_flat_trend_is_steady() -> None:
    rows = [(f"2026-{m:02d}", "Acme", "Uptime", 99.25) for m in range(1, 4)]
    trend = score_monitoring(book(rows)).vendors["Acme"].trend
    assert (trend.slope_last_6, trend.direction, trend.arrow) == (0.0, "steady", "→")


# -- repeated breaches -----------------------------------------------------------------------
def _actions(rows: list[tuple[str, str, str, float]]) -> list[tuple[str, str, str, int]]:
    result = score_monitoring(book(rows))
    return [(a.vendor, a.kpi, a.period.label, a.run) for a in result.actions]


def test_two_breaches_running_open_one_action_dated_the_second_period() -> None:
    rows = [(f"2026-{m:02d}", "Acme", "Uptime", 98.0) for m in (1, 2, 3)]
    assert _actions(rows) == [("Acme", "Uptime", "2026-02", 3)]  # a third opens no second
    (action,) = score_monitoring(book(rows)).actions
    assert action.due == date(2026, 2, 28) + pd.Timedelta(days=ACTION_DUE_DAYS)
    assert (action.owner, action.status, action.closed, action.is_open) == ("", "open", None, True)


def test_a_met_period_ends_the_run_and_a_new_run_opens_a_new_action() -> None:
    actuals = {1: 98.0, 2: 98.0, 3: 99.5, 4: 98.0, 5: 98.0}
    rows = [(f"2026-{m:02d}", "Acme", "Uptime", a) for m, a in actuals.items()]
    assert _actions(rows) == [("Acme", "Uptime", "2026-02", 2), ("Acme", "Uptime", "2026-05", 2)]


def test_a_period_without_a_report_ends_the_run() -> None:
    rows = [
        ("2026-01", "Acme", "Uptime", 98.0),
        ("2026-02", "Acme", "Response time", 5),  # Uptime not reported in February
        ("2026-03", "Acme", "Uptime", 98.0),
    ]
    assert _actions(rows) == []


def test_a_value_on_the_threshold_is_not_a_breach_and_ends_the_run() -> None:
    rows = [
        ("2026-01", "Acme", "Uptime", 98.0),
        ("2026-02", "Acme", "Uptime", 99.0),  # on the threshold
        ("2026-03", "Acme", "Uptime", 98.0),
    ]
    assert _actions(rows) == []


def test_breaches_of_different_kpis_or_vendors_do_not_make_a_run() -> None:
    rows = [
        ("2026-01", "Acme", "Uptime", 98.0),
        ("2026-02", "Acme", "Response time", 9),
        ("2026-02", "Beta", "Uptime", 98.0),
    ]
    assert _actions(rows) == []
    result = score_monitoring(book(rows))
    assert result.vendors["Acme"].periods[0].breaches == ("Uptime",)
    assert result.vendors["Acme"].periods[1].breaches == ("Response time",)


def test_quarterly_breaches_across_a_year_end() -> None:
    rows = [("2025-Q4", "Acme", "Response time", 9.0), ("2026-Q1", "Acme", "Response time", 10)]
    (action,) = score_monitoring(book(rows)).actions
    assert (action.period.label, action.kpi) == ("2026-Q1", "Response time")
    assert action.due == date(2026, 4, 30)  # 31 March + 30 days


def test_stored_action_records_replace_the_defaults() -> None:
    rows = [(f"2026-{m:02d}", "Acme", "Uptime", 98.0) for m in (1, 2)]
    stored = {
        ("acme", "uptime", "2026-02"): {
            "owner": "ops@buyer.example",
            "due": "2026-03-15",
            "status": "closed",
            "closed": "2026-03-10",
        }
    }
    (action,) = score_monitoring(book(rows), stored).actions
    assert (action.owner, action.due, action.status, action.closed) == (
        "ops@buyer.example",
        date(2026, 3, 15),
        "closed",
        date(2026, 3, 10),
    )
    assert not action.is_open


# -- KPIs per vendor -------------------------------------------------------------------------
def test_a_vendor_row_overrides_the_general_kpi_of_the_same_name() -> None:
    strict = Kpi("uptime", Direction.HIGHER, target=99.9, threshold=99.5, vendor="Beta", row=4)
    rows = [("2026-01", "Acme", "Uptime", 99.5), ("2026-01", "Beta", "Uptime", 99.5)]
    result = score_monitoring(book(rows, kpis=(UPTIME, RESPONSE, strict)))
    assert result.vendors["Acme"].periods[0].score == 100.0
    assert result.vendors["Beta"].periods[0].score == 0.0  # on Beta's own threshold
    assert [k.name for k in result.vendors["Beta"].kpis] == ["Response time", "uptime"]
    # Beta reported its own KPI of weight 1 out of 1 + 1.
    assert result.vendors["Beta"].periods[0].completeness == 0.5


def test_a_monitored_vendor_without_results() -> None:
    result = score_monitoring(book([("2026-01", "Acme", "Uptime", 99.5)], vendors=("Acme", "New")))
    new = result.vendors["New"]
    assert (new.periods, new.trend, new.latest, new.actions) == ((), Trend(None, None, 0), None, ())


def test_an_empty_book() -> None:
    empty = MonitoringBook((UPTIME,), pd.DataFrame(columns=list(RESULT_COLUMNS)), None, ("Acme",))
    result = score_monitoring(empty)
    assert result.vendors["Acme"].periods == ()
    assert result.as_json()["vendors"]["Acme"]["periods"] == []


# -- promised vs delivered -------------------------------------------------------------------
def test_promised_vs_delivered_uses_the_last_three_reports() -> None:
    linked = Kpi("Uptime", Direction.HIGHER, 99.5, 99.0, criterion="SLA uptime %", row=2)
    rows = [
        ("2026-01", "Acme", "Uptime", 99.0),
        ("2026-02", "Acme", "Uptime", 99.6),
        ("2026-03", "Acme", "Uptime", 99.7),
        ("2026-05", "Acme", "Uptime", 99.8),
    ]
    result = score_monitoring(
        book(rows, kpis=(linked, RESPONSE), promised={("ACME", "sla uptime %"): 99.9})
    )
    (promise,) = result.vendors["Acme"].promises
    assert (promise.kpi, promise.criterion, promise.promised) == ("Uptime", "SLA uptime %", 99.9)
    assert promise.delivered == pytest.approx((99.6 + 99.7 + 99.8) / 3)
    assert promise.gap == pytest.approx(-0.2)
    assert (promise.reports, promise.short) == (3, True)


def test_a_lower_is_better_promise_kept() -> None:
    linked = Kpi("Response time", Direction.LOWER, 4, 8, criterion="Response (h)", row=3)
    rows = [("2026-01", "Acme", "Response time", 2.0), ("2026-02", "Acme", "Response time", 3)]
    result = score_monitoring(book(rows, kpis=(linked,), promised={("Acme", "Response (h)"): 3.0}))
    (promise,) = result.vendors["Acme"].promises
    assert (promise.delivered, promise.gap, promise.reports, promise.short) == (2.5, -0.5, 2, False)


def test_a_promise_without_a_selection_value() -> None:
    linked = Kpi("Uptime", Direction.HIGHER, 99.5, 99.0, criterion="SLA uptime %", row=2)
    result = score_monitoring(book([("2026-01", "Acme", "Uptime", 99.2)], kpis=(linked,)))
    (promise,) = result.vendors["Acme"].promises
    assert (promise.promised, promise.delivered, promise.gap, promise.short) == (
        None,
        99.2,
        None,
        False,
    )


# -- JSON ------------------------------------------------------------------------------------
def test_json_shape() -> None:
    linked = Kpi("Uptime", Direction.HIGHER, 99.5, 99.0, weight=3, criterion="SLA", row=2)
    rows = [
        ("2026-01", "Acme", "Uptime", 98.0),
        ("2026-02", "Acme", "Uptime", 98.0),
        ("2026-02", "Acme", "Response time", 4),
    ]
    data = score_monitoring(
        book(rows, kpis=(linked, RESPONSE), promised={("Acme", "SLA"): 99.9})
    ).as_json()
    assert data["kind"] == "month"
    assert data["standings"][0] == {"standing": "Excellent", "minimum": 85.0}
    acme = data["vendors"]["Acme"]
    assert acme["periods"] == [
        {
            "period": "2026-01",
            "score": 0.0,
            "standing": "Poor",
            "completeness": 0.75,
            "breaches": ["Uptime"],
        },
        {
            "period": "2026-02",
            "score": 25.0,
            "standing": "Poor",
            "completeness": 1.0,
            "breaches": ["Uptime"],
        },
    ]
    assert acme["trend"] == {"mean_last_3": 12.5, "slope_last_6": 25.0}
    assert acme["actions"] == [
        {
            "kpi": "Uptime",
            "period": "2026-02",
            "owner": "",
            "due": "2026-03-30",
            "status": "open",
            "closed": None,
        }
    ]
    assert acme["promised_vs_delivered"] == [
        {
            "kpi": "Uptime",
            "criterion": "SLA",
            "unit": "",
            "promised": 99.9,
            "delivered": 98.0,
            "gap": pytest.approx(-1.9),
            "reports": 2,
            "short_of_promise": True,
        }
    ]


# -- found in review -------------------------------------------------------------------------
def test_a_score_on_a_band_minimum_gets_that_band():
    # 99.35 between 99.0 and 99.5 is 70 exactly, not 69.99999999999886 (Good, not Needs
    # improvement); 99.425 is 85 (Excellent)
    result = score_monitoring(
        book([("2026-01", "Acme", "Uptime", 99.35), ("2026-02", "Acme", "Uptime", 99.425)])
    )
    jan, feb = result.vendors["Acme"].periods
    assert (jan.score, jan.standing) == (70.0, "Good")
    assert (feb.score, feb.standing) == (85.0, "Excellent")
    assert result.scored["score"].tolist() == [70.0, 85.0]


@pytest.mark.parametrize("text", ["9999-12", "0026-01", "1899-12", "3000-Q1"])
def test_a_period_outside_the_years_is_not_a_period(text: str) -> None:
    assert Period.parse(text) is None
    with pytest.raises(ValueError):
        Period.of(PeriodKind.MONTH, int(text[:4]), 1)


@pytest.mark.parametrize(
    ("unit", "target", "threshold", "direction", "answer", "promised"),
    [
        ("%", 99.5, 99.0, Direction.HIGHER, 0.999, 99.9),  # Excel keeps 99.9 % as 0.999
        ("%", 2.0, 5.0, Direction.LOWER, 0.5, 0.5),  # a defect rate of 0.5 % stays 0.5
        ("%", 95.0, 85.0, Direction.HIGHER, 96.0, 96.0),  # typed as a number already
        ("h", 4.0, 8.0, Direction.LOWER, 0.5, 0.5),  # not a percentage
    ],
)
def test_selection_answers_kept_as_fractions_of_one(unit, target, threshold, direction, answer,
                                                     promised):  # fmt: skip
    k = Kpi("K", direction, target, threshold, unit=unit, criterion="C", row=2)
    result = score_monitoring(
        book([("2026-01", "Acme", "K", target)], kpis=(k,), promised={("Acme", "C"): answer})
    )
    assert result.vendors["Acme"].promises[0].promised == pytest.approx(promised)
