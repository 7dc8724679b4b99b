"""The dashboard's "Robustness" tab: verdict, rank probabilities, sweeps, critical weights.

``render_robustness(evaluation, ranking, key=...)`` is called by the page; the analysis is
cached on a content hash of the evaluation and the options, so moving a slider elsewhere
and coming back does not re-simulate.
"""

from __future__ import annotations

import streamlit as st

from vendor_eval.charts.robustness import rank_probability_bars, sweep_chart
from vendor_eval.core.model import Evaluation, Method
from vendor_eval.scoring.ranking import Ranking
from vendor_eval.stress.analysis import analyse
from vendor_eval.stress.report import SensitivityReport
from vendor_eval.ui.state import SENSITIVITY_SHOWN
from vendor_eval.ui.tables import fingerprint as content_fingerprint
from vendor_eval.ui.text import md

SAMPLE_CHOICES = [1_000, 10_000, 50_000]
AROUND = "Around the current weights"
UNIFORM = "No preference (uniform)"


@st.cache_data(max_entries=32, show_spinner=False)
def analyse_cached(
    fingerprint: str,
    samples: int,
    seed: int,
    kappa: float | None,
    missing: str,
    _evaluation: Evaluation,
    _ranking: Ranking | None = None,
) -> SensitivityReport:
    """:func:`analyse`, cached on ``fingerprint`` and the options (the objects are not hashed)."""
    return analyse(
        _evaluation, samples=samples, seed=seed, kappa=kappa, missing=missing, ranking=_ranking
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
    with st.spinner(f"Simulating {samples:,} weight samples…"):
        report = analyse_cached(
            fingerprint,
            samples,
            seed,
            kappa,
            ranking.missing.value,
            _evaluation=evaluation,
            _ranking=wsm,
        )
    # the export's Sensitivity sheet shows this very analysis (see ui.page.render_export)
    st.session_state[SENSITIVITY_SHOWN] = (fingerprint, ranking.missing.value, report)

    verdict = shown_verdict(report, ranking)
    if report.leader is None or report.verdict.startswith("Close call"):
        st.warning(md(verdict), icon=":material/balance:")
    else:
        st.success(md(verdict), icon=":material/verified:")
    if not report.rank_probabilities:
        return

    st.plotly_chart(rank_probability_bars(report), key=f"{key}_rank_chart")

    categories = list(report.sweeps)
    if categories:
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
            st.caption(f"{sw.intervals[0][2]} leads at every weight of {choice}.")
        else:
            st.caption(
                "Leader by share of "
                + choice
                + ": "
                + "; ".join(f"{a:.0%}–{b:.0%} {v}" for a, b, v in sw.intervals)
            )
    else:
        st.caption("All criteria are in one category, so there is no category to sweep.")

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

    st.markdown("**Method agreement** — weighted sum and TOPSIS ranks")
    if report.methods_note:
        st.caption(report.methods_note)
    else:
        tau = "n/a" if report.kendall_tau is None else f"{report.kendall_tau:.2f}"
        st.caption(f"Kendall's tau-b between the two rankings: {tau} (1 = identical order).")
        rows = [
            {"Vendor": v, "WSM rank": m["wsm_rank"], "TOPSIS rank": m["topsis_rank"]}
            for v, m in report.methods.items()
        ]
        st.dataframe(rows, hide_index=True, key=f"{key}_methods")
