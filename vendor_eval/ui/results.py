"""Headline metrics and the ranking table (qualified vendors ranked, disqualified apart)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

from vendor_eval.core.model import Criterion, Formula, Method, format_number
from vendor_eval.core.problems import Code
from vendor_eval.scoring.breakdown import (
    D_MINUS,
    D_PLUS,
    TopsisBreakdown,
    method_difference,
    topsis_breakdown,
)
from vendor_eval.scoring.ranking import NO_DATA, Ranking
from vendor_eval.ui import state
from vendor_eval.ui.scored import shortlist_criteria, shortlist_help
from vendor_eval.ui.tables import fingerprint, headline, ranking_tables
from vendor_eval.ui.text import md

if TYPE_CHECKING:
    from streamlit.elements.lib.column_types import ColumnConfig

METHOD_NAMES = {Method.WSM: "weighted sum", Method.TOPSIS: "TOPSIS"}


def render_headline(ranking: Ranking) -> None:
    """Leader, its score, its margin over #2 and how many vendors qualify."""
    h = headline(ranking)
    c1, c2, c3, c4 = st.columns([2, 1, 1, 1])
    c1.metric("Leader", md(h.leader) if h.leader else "none qualifies", border=True)
    c2.metric(
        "Leader's score",
        "—" if h.leader_score is None else f"{h.leader_score:.1f}",
        help=f"0–100, {METHOD_NAMES[ranking.method]}",
        border=True,
    )
    c3.metric(
        "Margin over #2",
        "—" if h.margin is None else f"{h.margin:.1f}",
        help=f"points ahead of {md(h.runner_up)}" if h.runner_up else "fewer than two qualify",
        border=True,
    )
    c4.metric("Qualified", f"{h.qualified} of {h.vendors}", border=True)
    render_unscored(ranking)


def render_unscored(ranking: Ranking) -> None:
    """Above the ranking, not only in Data quality: columns of numbers that are not scored.

    A shortlist whose criteria are named the user's way can be ranked on the few columns the
    model recognised; the leader then wins on those alone. Every such column is listed, and
    when fewer than half of the numeric columns are scored the note says it next to the
    leader.
    """
    ev = ranking.evaluation
    unscored = [w for w in ev.warnings if w.code == Code.UNSCORED_COLUMN]
    if not unscored:
        return
    # criteria scored from the Scores sheet count as scored numeric data too
    from_scores = sum(1 for c in ev.criteria if c.source == "scores")
    scored = len(ev.scored_columns) + from_scores
    numeric = len(ev.numeric_columns) + from_scores
    head = unscored_summary(scored, numeric, md(ranking.leader) if ranking.leader else None)
    lines = "\n".join(f"- {md(w.location)}: {md(w.message)}" for w in unscored)
    st.warning(
        f"{head}\n\n{lines}\n\nTo score them, tick them in *Column mapping* (the Quick "
        "view, for a workbook without a Criteria sheet), or add them to a Criteria sheet (or "
        "name them as the template does).",
        icon=":material/warning:",
    )


def unscored_summary(scored: int, numeric: int, leader: str | None) -> str:
    """The note's first line; stronger when fewer than half of the numeric columns count."""
    if numeric and scored * 2 < numeric:
        return (
            f"**Only {scored} of the workbook's {numeric} numeric columns are scored**: "
            f"{leader or 'the leader'} leads on those alone. Not scored:"
        )
    n = numeric - scored
    return (
        f"{n} column{'s' if n != 1 else ''} of numbers or yes/no values "
        f"{'are' if n != 1 else 'is'} not scored:"
    )


def _score_help(ranking: Ranking) -> str:
    """The Score column's hover help; says once that relative (and price) criteria depend
    on the field."""
    criteria = ranking.evaluation.criteria
    relative = shortlist_criteria(criteria)
    if not relative:
        return "0–100 points"
    named = ", ".join(md(name) for name in relative[:4]) + (
        f" and {len(relative) - 4} more" if len(relative) > 4 else ""
    )
    return f"0–100 points. {shortlist_help(criteria)} Scored against the shortlist here: {named}."


def _column_config(ranking: Ranking, *, ranked: bool) -> dict[str, ColumnConfig]:
    cc = st.column_config
    config: dict[str, ColumnConfig] = {
        "Rank": cc.NumberColumn(format="%d", width=40, pinned=True),
        "Vendor": cc.TextColumn(pinned=True),
        "Score": cc.ProgressColumn(
            min_value=0.0,
            max_value=100.0,
            format="%.1f",
            help=_score_help(ranking),
            width=110,
        ),
        "Completeness": cc.NumberColumn(
            format="percent", help="Share of the total weight with a value", width=100
        ),
        "Reasons": cc.TextColumn(
            "Why disqualified" if not ranked else "Reasons",
            width="large",
            help="The must-have rules the vendor fails (or has no value for), and the "
            "minimums it falls below",
        ),
        "Stage": cc.TextColumn(
            help="Where the vendor fell: at the must-have gate (before anything is scored) "
            "or at a quality minimum (before prices are compared)",
        ),
    }
    if ranking.method is Method.TOPSIS:
        config[D_PLUS] = cc.NumberColumn(
            format="%.4f", help="d⁺: distance to a vendor best on every criterion (smaller wins)"
        )
        config[D_MINUS] = cc.NumberColumn(
            format="%.4f", help="d⁻: distance to a vendor worst on every criterion (larger wins)"
        )
        return config
    for cat in ranking.category_scores.columns:
        config[cat] = cc.NumberColumn(
            format="%.1f", help=f"{md(cat)}: score 0–100 points. {NO_DATA_HELP}"
        )
    return config


#: Under a category column and the radar's table: what a "no data" cell means.
NO_DATA_HELP = (
    f"“{NO_DATA}”: the vendor has no value in any of the category's criteria and missing "
    "values are excluded, so there is nothing to score (not a score of 0)."
)


def has_no_data(ranking: Ranking) -> bool:
    """Whether some vendor has no data in some category (only under ``exclude``)."""
    return bool(ranking.category_no_data.to_numpy().any())


def table_height(rows: int, cap: int = 30, row: int = 35) -> int:
    """Pixels for a table that shows ``rows`` rows (up to ``cap``) without scrolling."""
    return row * (min(rows, cap) + 1) + 3


def reasons_row_height(reasons: list[str], width_chars: int = 60) -> int:
    """Row height (pixels) that lets the longest reason wrap onto up to three lines."""
    longest = max((len(r) for r in reasons), default=0)
    lines = min(3, max(1, -(-longest // width_chars)))
    return 35 if lines == 1 else 12 + 21 * lines


@st.cache_data(
    max_entries=16, ttl=state.CACHE_TTL, max_size=state.CACHE_MAX_SIZE, show_spinner=False
)
def topsis_view(key: str, missing: str, _ranking: Ranking) -> tuple[TopsisBreakdown, str | None]:
    """The TOPSIS breakdown and the method-difference sentence, cached on the evaluation's
    fingerprint ``key`` and the policy (the ranking object itself is not hashed)."""
    from vendor_eval.scoring.scorer import score

    breakdown = topsis_breakdown(_ranking)
    wsm = score(_ranking.evaluation, method="wsm", missing=missing)
    return breakdown, method_difference(_ranking, wsm, breakdown)


def render_topsis_difference(breakdown: TopsisBreakdown, sentence: str | None) -> None:
    """Under TOPSIS: why it disagrees with the weighted sum, and the values it used."""
    if sentence:
        st.info(md(sentence), icon=":material/compare_arrows:")
    with st.expander("What TOPSIS used: weighted normalised values, ideal and anti-ideal"):
        values = breakdown.weighted.copy()
        values.loc["Ideal (best of the qualified)"] = breakdown.ideal
        values.loc["Anti-ideal (worst of the qualified)"] = breakdown.anti_ideal
        st.dataframe(values, key="topsis_values", column_config=None)
        st.caption(
            "v = weight × value ÷ the length of the criterion's column of values (qualified "
            "vendors); a missing value counts as the policy says."
        )


def disqualified_caption(ranking: Ranking) -> str:
    """What the disqualified table holds: must-have failures, and, with minimums, the
    vendors that fell below one before prices were compared."""
    if not ranking.evaluation.has_minimums:
        return "These vendors fail at least one must-have rule and are not ranked."
    return (
        "These vendors fail a must-have rule, or fall below a quality minimum before prices "
        "are compared, and are not ranked."
    )


def render_settings_in_use(ranking: Ranking) -> None:
    """Every setting the ranking used, with where it comes from."""
    from vendor_eval.ui.settings_plain import settings_table

    ev = ranking.evaluation
    with st.expander("Settings in use", icon=":material/tune:"):
        st.dataframe(settings_table(ev), hide_index=True, key="settings_table")
        notes = ["Change them in the sidebar; *changed here* marks what differs from the "
                 "workbook's Settings sheet, and the Excel export records it."]  # fmt: skip
        if ev.costs is None:
            notes.append("Contract term and discount rate apply to a Costs sheet only.")
        notes.append("The disagreement threshold applies to a project's evaluation panel.")
        st.caption(" ".join(notes))
        prices = [c for c in ev.criteria if c.is_price]
        if prices:
            st.caption(
                "Price criteria: "
                + "; ".join(f"{md(c.name)} by **{price_formula(c)}**" for c in prices)
                + "."
            )


def price_formula(criterion: Criterion) -> str:
    """A price criterion's formula in words: ``ratio (lowest ÷ bid)``."""
    formula = criterion.effective_formula
    if formula is Formula.BUDGET:
        if criterion.max is None:
            return "budget (needs Max)"
        return f"budget (lowest 1, falling to 0 at Max {format_number(criterion.max)})"
    if formula is Formula.LINEAR:
        return "linear (lowest 1, highest 0)"
    return "ratio (lowest ÷ bid)"


def render_ranking(ranking: Ranking, key: str | None = None) -> None:
    """The ranking table, then the disqualified vendors with their reasons (first).

    ``key`` is the evaluation's fingerprint (the page has it), for the TOPSIS view's cache.
    """
    breakdown: TopsisBreakdown | None = None
    sentence: str | None = None
    if ranking.method is Method.TOPSIS:
        breakdown, sentence = topsis_view(
            key or fingerprint(ranking.evaluation), ranking.missing.value, ranking
        )
    qualified, disqualified = ranking_tables(ranking, breakdown)
    if breakdown is not None:
        st.caption(
            f"Method: **{METHOD_NAMES[ranking.method]}** · missing values: "
            f"**{ranking.missing.value}** · score = 100 · d⁻ / (d⁺ + d⁻): how much closer a "
            "vendor is to the ideal vendor than to the anti-ideal one."
        )
        render_topsis_difference(breakdown, sentence)
    else:
        st.caption(
            f"Method: **{METHOD_NAMES[ranking.method]}** · missing values: "
            f"**{ranking.missing.value}** · scores and category columns are points out of 100 "
            "(category columns: weighted sum within the category)."
            + (f" {NO_DATA_HELP}" if has_no_data(ranking) else "")
        )
    render_settings_in_use(ranking)
    st.dataframe(
        qualified,
        column_config=_column_config(ranking, ranked=True),
        hide_index=True,
        key="ranking_table",
        height=table_height(len(qualified)),
        placeholder=NO_DATA,  # a category score the vendor has no data for, never 0
    )
    if len(disqualified):
        st.subheader(f"Disqualified ({len(disqualified)})")
        st.caption(disqualified_caption(ranking))
        row = reasons_row_height(list(disqualified["Reasons"]))
        st.dataframe(
            disqualified,
            column_config=_column_config(ranking, ranked=False),
            hide_index=True,
            key="disqualified_table",
            placeholder=NO_DATA,
            row_height=row,
            height=table_height(len(disqualified), row=row),
        )
    for message in ranking.messages:
        st.info(md(message), icon=":material/info:")
