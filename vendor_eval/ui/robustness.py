"""The dashboard's "Robustness" tab: verdict, rank probabilities, sweeps, critical weights,
the withdrawal check and the methods' agreement.

The withdrawal check lists, for each qualified vendor other than the leader, who would win
had it not bid, the rows that change the winner highlighted.

``render_robustness(evaluation, ranking, key=...)`` is called by the page; the analysis is
cached on a content hash of the evaluation and the options, so moving a slider elsewhere
and coming back does not re-simulate. The cache is shared by every session of the server,
so it is bounded: a few entries, each dropped after ``CACHE_TTL`` unused, and each small
(the size rule of docs/stress-tests.md §10 keeps vendors × ranks matrices out of large
registers' reports). Above ``FULL_ANALYSIS_MAX`` qualified vendors the tab says it shows the
leader-only analysis, and what it leaves out, before it runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
import streamlit as st

from vendor_eval.charts.robustness import rank_probability_bars, sweep_chart
from vendor_eval.core.model import Evaluation, Method
from vendor_eval.core.problems import VendorEvalError
from vendor_eval.scoring.ranking import Ranking
from vendor_eval.stress.analysis import FULL_ANALYSIS_MAX, analyse, size_note
from vendor_eval.stress.report import SensitivityReport
from vendor_eval.ui import state
from vendor_eval.ui.state import CACHE_TTL, SENSITIVITY_SHOWN
from vendor_eval.ui.tables import fingerprint as content_fingerprint
from vendor_eval.ui.text import md

SAMPLE_CHOICES = [1_000, 10_000, 50_000]
AROUND = "Around the current weights"
UNIFORM = "No preference (uniform)"
#: Rows of the "chance of ranking first" table of the leader-only analysis.
FIRST_TABLE_ROWS = 20
#: Reports kept for the whole server: a full one holds at most FULL_ANALYSIS_MAX² rank
#: probabilities (about 2 MB pickled), a leader-only one a few numbers per vendor.
CACHE_ENTRIES = 16


@st.cache_data(max_entries=CACHE_ENTRIES, ttl=CACHE_TTL, show_spinner=False)
def analyse_cached(
    fingerprint: str,
    samples: int,
    seed: int,
    kappa: float | None,
    missing: str,
    _evaluation: Evaluation,
    _ranking: Ranking | None = None,
) -> SensitivityReport:
    """:func:`analyse` with the size rule, cached on ``fingerprint`` and the options (the
    objects are not hashed)."""
    return analyse(
        _evaluation, samples=samples, seed=seed, kappa=kappa, missing=missing,
        ranking=_ranking, leader_only=None,
    )  # fmt: skip


def _qualified_count(ranking: Ranking) -> int:
    """Qualified vendors (the gates do not depend on the method, so TOPSIS's count is the
    weighted sum's)."""
    return int(ranking.table["qualified"].to_numpy(dtype=bool).sum())


def running_label(qualified: int, samples: int) -> str:
    """What the spinner says while the stress tests run."""
    scope = "leader-only analysis" if qualified > FULL_ANALYSIS_MAX else "full analysis"
    return (
        f"Stress-testing {qualified:,} qualified vendor{'s' if qualified != 1 else ''} "
        f"with {samples:,} weight samples ({scope})…"
    )


WSM_ONLY = (
    "**These stress tests describe the weighted-sum ranking**, not the TOPSIS ranking on "
    "screen (led by {leader}): sweeps, critical weights and rank probabilities are "
    "computed on weighted-sum scores; TOPSIS appears under method agreement at the bottom."
)


def shown_verdict(report: SensitivityReport, ranking: Ranking) -> str:
    """The verdict as the tab shows it: it never names a leader other than the cards'
    without first naming the cards' leader and saying which method it speaks of."""
    if ranking.method is Method.WSM:
        return report.verdict
    if report.leader == ranking.leader:
        return f"Under the weighted sum, as under TOPSIS, {report.leader} leads: {report.verdict}"
    return (
        f"TOPSIS, on screen, ranks {ranking.leader or 'nobody'} first. The weighted sum, "
        f"which these stress tests analyse, ranks {report.leader or 'nobody'} first: "
        f"{report.verdict}"
    )


def _controls(key: str) -> tuple[int, int, float | None]:
    c1, c2, c3 = st.columns([2, 2, 1])
    mode = c1.radio(
        "Weight samples",
        [AROUND, UNIFORM],
        key=f"{key}_mode",
        horizontal=True,
        help="Around the current weights: Dirichlet(κ·w), larger κ stays closer to them. "
        "No preference: every weighting of the criteria is equally likely.",
    )
    kappa = None
    if mode == AROUND:
        kappa = float(
            c2.select_slider(
                "Spread (κ: smaller = wider)",
                options=[10, 25, 50, 100, 200, 500, 1000],
                value=100,
                key=f"{key}_kappa",
            )
        )
    samples = int(
        c3.selectbox(
            "Samples",
            SAMPLE_CHOICES,
            index=1,
            key=f"{key}_samples",
            format_func=lambda n: f"{n:,}",
        )
    )
    return samples, 0, kappa


def render_robustness(
    evaluation: Evaluation,
    ranking: Ranking,
    *,
    key: str = "rob",
    fingerprint: str | None = None,
) -> None:
    """Render the Robustness tab for ``evaluation`` scored as ``ranking``.

    ``key`` prefixes the widget keys; ``fingerprint`` is the evaluation's content hash when
    the caller already has it (the page does: it is also the scoring cache key).

    The stress tests run on the weighted sum with the ranking's missing-value policy;
    when the page shows TOPSIS, that ranking appears in the method-agreement table.
    """
    if ranking.method is not Method.WSM:
        st.info(WSM_ONLY.format(leader=md(ranking.leader or "nobody")), icon=":material/info:")
    samples, seed, kappa = _controls(key)
    wsm = ranking if ranking.method is Method.WSM else None
    fingerprint = fingerprint or content_fingerprint(evaluation)
    qualified = _qualified_count(ranking)
    note = size_note(qualified)
    if note:
        st.info(note, icon=":material/speed:")  # our own words and numbers: no Markdown
    try:
        with st.spinner(running_label(qualified, samples), show_time=True):
            report = analyse_cached(
                fingerprint,
                samples,
                seed,
                kappa,
                ranking.missing.value,
                _evaluation=evaluation,
                _ranking=wsm,
            )
    except VendorEvalError as e:
        st.error(f"The stress tests could not run: {md(e)}", icon=":material/error:")
        return
    except MemoryError:
        st.error(
            "The stress tests ran out of memory on this server: this shortlist is too large "
            "for them here. The other tabs are not affected.",
            icon=":material/error:",
        )
        return
    # the export's Sensitivity sheet shows this very analysis (see ui.analysis.render_export)
    st.session_state[state.key(SENSITIVITY_SHOWN)] = (fingerprint, ranking.missing.value, report)

    verdict = shown_verdict(report, ranking)
    if report.leader is None or report.verdict.startswith("Close call"):
        st.warning(md(verdict), icon=":material/balance:")
    else:
        st.success(md(verdict), icon=":material/verified:")
    if report.leader is None:
        return

    if report.leader_only:
        _first_table(report, key)
    else:
        st.plotly_chart(rank_probability_bars(report), key=f"{key}_rank_chart")
        _sweeps(report, key)

    st.markdown("**Critical weight changes** — the smallest change that hands over the lead")
    st.dataframe(
        report.critical_frame(),
        hide_index=True,
        key=f"{key}_critical",
        column_config={
            "Current share": st.column_config.NumberColumn(format="%.3f"),
            "Threshold": st.column_config.NumberColumn("Flips at", format="%.3f"),
            "Change": st.column_config.NumberColumn(format="%+.3f"),
        },
    )

    _withdrawal(report, key)

    st.markdown("**Method agreement** — weighted sum and TOPSIS ranks")
    if report.methods_note:
        st.caption(md(report.methods_note))
    else:
        if report.leader_only:
            st.caption(
                f"Kendall's tau-b is not computed for more than {FULL_ANALYSIS_MAX:,} "
                "qualified vendors (it compares every pair of them)."
            )
        else:
            tau = "n/a" if report.kendall_tau is None else f"{report.kendall_tau:.2f}"
            st.caption(f"Kendall's tau-b between the two rankings: {tau} (1 = identical order).")
        rows = [
            {"Vendor": v, "WSM rank": m["wsm_rank"], "TOPSIS rank": m["topsis_rank"]}
            for v, m in report.methods.items()
        ]
        st.dataframe(rows, hide_index=True, key=f"{key}_methods")


def _first_table(report: SensitivityReport, key: str) -> None:
    """The leader-only analysis's P(rank 1): the most likely winners, best first."""
    ranked = sorted(report.p_first.items(), key=lambda kv: -kv[1])
    chance = [(v, p) for v, p in ranked if p > 0]
    shown = chance[:FIRST_TABLE_ROWS]
    st.markdown(f"**Chance of ranking first** — over {report.samples:,} weight samples")
    st.dataframe(
        [{"Vendor": v, "P(rank 1)": p} for v, p in shown],
        hide_index=True,
        key=f"{key}_first",
        column_config={"P(rank 1)": st.column_config.ProgressColumn(min_value=0, max_value=1)},
    )
    rest = len(report.p_first) - len(shown)
    if rest:
        never = len(report.p_first) - len(chance)
        st.caption(
            f"The {len(shown):,} most likely winners; the other {rest:,} qualified vendors "
            + (
                "never rank first."
                if never == rest
                else f"rank first in fewer weight samples ({never:,} of them in none)."
            )
        )


def _sweeps(report: SensitivityReport, key: str) -> None:
    """The sweep chart of one category (the one with the largest share by default)."""
    categories = list(report.sweeps)
    if not categories:
        st.caption("All criteria are in one category, so there is no category to sweep.")
        return
    current = max(categories, key=lambda c: report.sweeps[c].current)
    choice = st.selectbox(
        "Sweep the weight of a category",
        categories,
        index=categories.index(current),
        key=f"{key}_sweep_factor",
        help="The other categories keep their proportions; the dashed line is today.",
    )
    sw = report.sweeps[choice]
    st.plotly_chart(sweep_chart(sw), key=f"{key}_sweep_chart")
    if len(sw.intervals) == 1:
        st.caption(f"{md(sw.intervals[0][2])} leads at every weight of {md(choice)}.")
    else:
        st.caption(
            f"Leader by share of {md(choice)}: "
            + "; ".join(f"{a:.0%}–{b:.0%} {md(v)}" for a, b, v in sw.intervals)
        )


WITHDRAWN = "If this vendor withdrew"
NEW_LEADER = "The winner would be"
CHANGES = "Winner changes"
WITHDRAWAL_NOTE = (
    "Each qualified vendor other than the leader, taken out as if it had never bid, and "
    "everything scored again: relative and price scores depend on who else bid (a ratio "
    "price on the lowest bid), so one withdrawal can change the winner."
)
#: A row whose withdrawal changes the winner: bold on a light fill, legible in grey too.
HIGHLIGHT = "font-weight: bold; background-color: #fde0c5"
#: At most this many rows are listed (a styled table of a register would be too large).
WITHDRAWAL_ROWS = 500
#: Vendors named in the sentence under the table (the table lists them all).
NAMED = 10


def withdrawal_frame(withdrawals: Sequence[Any]) -> pd.DataFrame:
    """The withdrawal check as a table, in ranking order: the vendor withdrawn, the
    winner then, and whether that is another vendor ("yes") or the same ("no")."""
    return pd.DataFrame(
        {
            WITHDRAWN: [w.withdrawn for w in withdrawals],
            NEW_LEADER: [w.leader if w.leader is not None else "nobody" for w in withdrawals],
            CHANGES: ["yes" if w.changes_leader else "no" for w in withdrawals],
        },
        columns=[WITHDRAWN, NEW_LEADER, CHANGES],
    )


def _highlight(row: pd.Series) -> list[str]:
    return [HIGHLIGHT if row[CHANGES] == "yes" else ""] * len(row)


def _withdrawal(report: SensitivityReport, key: str) -> None:
    """The withdrawal check (docs/scoring.md §12): would the winner change if one vendor
    withdrew? The rows where it would are highlighted."""
    withdrawals = list(getattr(report, "withdrawal", None) or [])
    st.markdown("**Withdrawal check** — if one vendor withdrew", help=WITHDRAWAL_NOTE)
    if not withdrawals:
        note = str(getattr(report, "withdrawal_note", "") or "")
        st.caption(md(note) if note else "No other qualified vendor to withdraw.")
        return
    changing = [w.withdrawn for w in withdrawals if w.changes_leader]
    n = len(withdrawals)
    listed = withdrawals
    if n > WITHDRAWAL_ROWS:  # a register: only the rows that matter
        listed = [w for w in withdrawals if w.changes_leader][:WITHDRAWAL_ROWS]
        if listed:
            more = (
                f" (the first {len(listed):,} of {len(changing):,})"
                if len(changing) > len(listed)
                else ""
            )
            st.caption(f"{n:,} withdrawals checked; listed: those that change the winner{more}.")
    if listed:
        frame = withdrawal_frame(listed)
        st.dataframe(
            frame.style.apply(_highlight, axis=1), hide_index=True, key=f"{key}_withdrawal"
        )
    if not changing:
        st.caption(f"No single withdrawal changes the winner ({n:,} checked).")
        return
    named = ", ".join(md(v) for v in changing[:NAMED])
    if len(changing) > NAMED:
        named += f" and {len(changing) - NAMED:,} more"
    st.caption(
        f"{len(changing):,} of {n:,} withdrawals would change the winner (highlighted): {named}."
    )
