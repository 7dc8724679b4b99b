"""The Settings sheet of the export, and where each setting came from (for Audit).

``Settings`` is an input sheet (docs/workbook-format.md, Settings): ``Setting | Value``, one
row per setting in :data:`~vendor_eval.workbook.schema.SETTING_ROWS` order, holding the
values this ranking used, so the export imported again scores the same way:

* ``Method`` and ``Missing values``: always, the ranking's own (whether they came from the
  workbook, the command line or the defaults);
* ``Quality minimum`` and ``Disagreement threshold``: when set;
* ``Contract term (years)`` and ``Discount rate``: when set, or when a Costs sheet makes
  them count (then the defaults used, 3 years and 0 %). The rate is a fraction shown as a
  percentage (0.05 as ``5.00%``), as Excel stores a percentage.

A setting that is not written is blank on re-import, which is what it was.
"""

from __future__ import annotations

from dataclasses import dataclass

from vendor_eval.core.model import (
    Method,
    MissingPolicy,
    format_number,
    origin_words,
)
from vendor_eval.output.excel.book import Book
from vendor_eval.output.excel.costs import percent
from vendor_eval.output.excel.sheets import Layout
from vendor_eval.scoring.ranking import Ranking
from vendor_eval.workbook import schema

__all__ = [
    "DEFAULT_DISAGREEMENT_THRESHOLD",
    "SettingUsed",
    "settings_used",
    "write_settings",
]

#: The disagreement threshold when none is set (``vendor_eval.projects.rules
#: .DEFAULT_THRESHOLD``, not imported: it would load the project store; a test pins both).
DEFAULT_DISAGREEMENT_THRESHOLD = 0.4


@dataclass(frozen=True)
class SettingUsed:
    """One setting as this ranking used it.

    ``value`` is what the Settings sheet writes (``None``: the row is left out), ``shown``
    the value in words for Audit, ``origin`` where it came from (``from the workbook``,
    ``from the command line``, ``default`` or ``chosen for this run``).
    """

    row: schema.SettingRow
    value: object
    shown: str
    origin: str


def settings_used(ranking: Ranking) -> list[SettingUsed]:
    """Every setting of :data:`~vendor_eval.workbook.schema.SETTING_ROWS`, as used."""
    ev = ranking.evaluation
    st = ev.settings
    costs = ev.costs is not None
    out: list[SettingUsed] = []
    for row in schema.SETTING_ROWS:
        field = row.field
        set_here = getattr(st, field, None) is not None
        origin = origin_words(st.origin_of(field))
        value: object
        if field == "method":
            value = shown = ranking.method.value
            origin = origin_words(st.origin_of_choice(field, ranking.method, Method.WSM))
        elif field == "missing":
            value = shown = ranking.missing.value
            origin = origin_words(st.origin_of_choice(field, ranking.missing, MissingPolicy.WORST))
        elif field == "quality_minimum":
            q = st.quality_minimum
            value = None if q is None else float(q)
            shown = "none" if q is None else format_number(float(q))
        elif field == "contract_term":
            value = st.term if set_here or costs else None
            shown = f"{st.term} year{'s' if st.term != 1 else ''}"
        elif field == "discount_rate":
            value = st.rate if set_here or costs else None
            shown = percent(st.rate)
        elif field == "disagreement_threshold":
            t = st.disagreement_threshold
            value = None if t is None else float(t)
            shown = format_number(DEFAULT_DISAGREEMENT_THRESHOLD if t is None else float(t))
        else:  # a setting this export does not know yet: its value as set
            raw = getattr(st, field, None)
            value = raw if isinstance(raw, int | float | str) else None
            shown = "none" if raw is None else str(getattr(raw, "value", raw))
        out.append(SettingUsed(row, value, shown, origin))
    return out


def write_settings(book: Book, lay: Layout) -> None:
    """Settings (input format): the settings this ranking used (module docstring)."""
    sheet = schema.SETTINGS
    sh = book.sheet(sheet.name, freeze="A2", widths={1: 26.0, 2: 16.0})
    sh.header(sheet.headers)
    for used in settings_used(lay.ranking):
        if used.value is None:
            continue
        value = used.value
        if used.row.field == "discount_rate" and isinstance(value, float):
            value = sh.styled(value, number_format="0.00%")  # 0.05 shown as 5.00%
        sh.append([used.row.name, value])
