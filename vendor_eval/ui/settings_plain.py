"""Plain (Streamlit-free) helpers behind the dashboard's settings (docs/scoring.md §12).

The sidebar starts from the workbook's Settings sheet (:func:`control_defaults`); what the
analyst changes there is applied to the evaluation on screen with the origin
``"dashboard"`` (:func:`with_dashboard_settings`), so the export's Settings and Audit
sheets say which values were changed on screen. Every setting in use is listed with where it
came from (:func:`settings_table`): "from the workbook", "changed here", or "default" when
nobody set it.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import pandas as pd

from vendor_eval.core.model import (
    ORIGIN_WORDS,
    Evaluation,
    Method,
    MissingPolicy,
    Settings,
    format_number,
)
from vendor_eval.workbook.schema import SETTING_ROWS

__all__ = [
    "DASHBOARD",
    "DEFAULT",
    "Chosen",
    "changed_settings",
    "control_defaults",
    "origin_text",
    "settings_table",
    "with_dashboard_settings",
]

#: The origin the dashboard's own changes are marked with (``Settings.origin``).
DASHBOARD = "dashboard"
#: What a setting nobody set shows as its origin.
DEFAULT = "default"
#: On screen the dashboard's own changes are "changed here"; elsewhere as every output.
ORIGIN_TEXT = {**ORIGIN_WORDS, DASHBOARD: "changed here"}
METHOD_TEXT = {Method.WSM: "weighted sum", Method.TOPSIS: "TOPSIS"}
SETTINGS_COLUMNS = ["Setting", "Value", "Origin"]


@dataclass(frozen=True)
class Chosen:
    """The sidebar's values: method and missing policy (their values, e.g. ``"wsm"``), the
    quality minimum (``None``: none), the contract term in years and the discount rate as a
    fraction (0.05 for 5 %)."""

    method: str
    missing: str
    quality_minimum: float | None
    contract_term: int
    discount_rate: float


def control_defaults(evaluation: Evaluation | None) -> Chosen:
    """Where the sidebar starts: the Settings sheet's values, else the defaults (weighted
    sum, worst, no quality minimum, 3 years, 0 %)."""
    s = evaluation.settings if evaluation is not None else Settings()
    return Chosen(
        method=(s.method or Method.WSM).value,
        missing=(s.missing or MissingPolicy.WORST).value,
        quality_minimum=None if s.quality_minimum is None else float(s.quality_minimum),
        contract_term=s.term,
        discount_rate=s.rate,
    )


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(float(a), float(b), rel_tol=1e-12, abs_tol=1e-12)


def changed_settings(evaluation: Evaluation, chosen: Chosen) -> dict[str, object]:
    """The settings the sidebar changes: field → new value (``None``: the quality minimum
    taken away). A value equal to the workbook's (or to the default, when the workbook
    has none) is no change."""
    start = control_defaults(evaluation)
    out: dict[str, object] = {}
    if chosen.method != start.method:
        out["method"] = Method.from_alias(chosen.method)
    if chosen.missing != start.missing:
        out["missing"] = MissingPolicy.from_alias(chosen.missing)
    if not _same(chosen.quality_minimum, start.quality_minimum):
        out["quality_minimum"] = chosen.quality_minimum
    if int(chosen.contract_term) != start.contract_term:
        out["contract_term"] = int(chosen.contract_term)
    if not _same(chosen.discount_rate, start.discount_rate):
        out["discount_rate"] = float(chosen.discount_rate)
    return out


def with_dashboard_settings(evaluation: Evaluation, chosen: Chosen) -> Evaluation:
    """``evaluation`` with the sidebar's changes, each marked ``"dashboard"``; itself when
    nothing changed. A changed contract term or discount rate recomputes the total cost of
    ownership (:meth:`Evaluation.with_settings`)."""
    changes = changed_settings(evaluation, chosen)
    given = {k: v for k, v in changes.items() if v is not None}
    out = evaluation.with_settings(origin=DASHBOARD, **given) if given else evaluation
    removed = [k for k, v in changes.items() if v is None]
    if removed:  # with_settings keeps a setting given None: take it away here
        s = out.settings
        origin = {**s.origin, **dict.fromkeys(removed, DASHBOARD)}
        settings = dataclasses.replace(s, **dict.fromkeys(removed), origin=origin)
        out = dataclasses.replace(out, settings=settings)
    return out


def _is_set(settings: Settings, field: str) -> bool:
    return getattr(settings, field) is not None or field in settings.origin


def origin_text(settings: Settings, field: str) -> str:
    """Where ``field``'s value comes from: "from the workbook", "from the command line",
    "changed here" (the dashboard), or "default" (nobody set it)."""
    if not _is_set(settings, field):
        return DEFAULT
    where = settings.origin.get(field, "workbook")  # set in code: as if by the workbook
    return ORIGIN_TEXT.get(where, f"from the {where}")


def setting_value(settings: Settings, field: str) -> str:
    """A setting's value in use as words: ``weighted sum``, ``70``, ``3 years``, ``5%``."""
    if field == "method":
        return METHOD_TEXT[settings.method or Method.WSM]
    if field == "missing":
        return (settings.missing or MissingPolicy.WORST).value
    if field == "quality_minimum":
        q = settings.quality_minimum
        return "none" if q is None else format_number(float(q))
    if field == "contract_term":
        return f"{settings.term} year{'s' if settings.term != 1 else ''}"
    if field == "discount_rate":
        return f"{format_number(settings.rate * 100.0)}%"
    value = getattr(settings, field)
    return "not set" if value is None else format_number(float(value))


def settings_table(evaluation: Evaluation) -> pd.DataFrame:
    """Every setting in use, in Settings-sheet order: Setting, Value, Origin."""
    s = evaluation.settings
    rows = [
        {
            "Setting": row.name,
            "Value": setting_value(s, row.field),
            "Origin": origin_text(s, row.field),
        }
        for row in SETTING_ROWS
    ]
    return pd.DataFrame(rows, columns=SETTINGS_COLUMNS)
