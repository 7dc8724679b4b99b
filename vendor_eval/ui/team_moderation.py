"""The owner's moderation section (docs/team.md §5–§6): every vendor × panel criterion the
panel scored, flagged pairs first, each evaluator's score and comment side by side with the
spread, the flag and the current consensus; recording a consensus score with its required
rationale (while the project is in moderation); and each evaluator's calibration.

The numbers are the service's (:mod:`vendor_eval.team.moderation`); a recorded consensus
replaces the mean (or median) in the project's ranking, which the page reads afresh after
the change, so the ranking below shows it at once.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from vendor_eval.core.model import format_number
from vendor_eval.core.problems import VendorEvalError
from vendor_eval.projects.actor import Actor
from vendor_eval.team.panel import PairView
from vendor_eval.ui import state
from vendor_eval.ui.project_roles import error_box
from vendor_eval.ui.project_tables import when
from vendor_eval.ui.project_view import Loaded, act, forms
from vendor_eval.ui.results import table_height
from vendor_eval.ui.team_tables import (
    calibration_frame,
    first_to_moderate,
    pair_label,
    pair_scores_frame,
    pairs_frame,
)
from vendor_eval.ui.text import md

MODERATION = "moderation"
#: The consensus input's step: half points on a scale of whole points, else hundredths.
HALF_POINT, HUNDREDTH = 0.5, 0.01


def _shown(x: float | None) -> str:
    return "none" if x is None else format_number(x)


def render_moderation(actor: Actor, db: Any, loaded: Loaded) -> None:
    """The moderation section: the pairs, the consensus form (in moderation) and the
    calibration."""
    from vendor_eval.team.moderation import calibration, panel_pairs

    view = loaded.view
    st.subheader("Moderation", anchor=False)
    try:
        pairs = panel_pairs(actor, db, view.name)
    except VendorEvalError as e:
        error_box(e)
        return
    if not pairs:
        st.info("No panel scores have been submitted yet.", icon=":material/info:")
        return
    render_pairs(pairs, key=state.key("moderation_pairs"))
    if view.status == MODERATION:
        _consensus_form(actor, db, loaded, pairs)
    try:
        rows = calibration(actor, db, view.name)
    except VendorEvalError as e:
        error_box(e)
        return
    st.markdown("**Calibration** (owners only)")
    frame = calibration_frame(rows)
    st.dataframe(
        frame,
        hide_index=True,
        key=state.key("calibration_table"),
        column_config={
            "Mean deviation": st.column_config.NumberColumn(format="%+.2f"),
            "Of the range": st.column_config.NumberColumn(format="percent"),
            "Flagged share": st.column_config.NumberColumn(format="percent"),
        },
    )
    st.caption(
        "Deviation: the evaluator's score minus the consensus, over the pairs with a "
        "consensus from others too, in scale points and as a share of the scale's range; "
        "lenient from +10% of the range, severe from −10%."
    )


def render_pairs(pairs: list[PairView], *, key: str) -> None:
    """The pairs table: flagged first, every evaluator's score and comment side by side."""
    frame = pairs_frame(pairs)
    st.caption(
        "Flagged pairs come first: their scores' spread is at least the project's "
        "disagreement threshold (a share of the scale's range)."
    )
    st.dataframe(
        frame,
        hide_index=True,
        key=key,
        height=table_height(len(frame), cap=15),
        column_config={
            "Spread": st.column_config.NumberColumn(format="%g"),
            "Consensus": st.column_config.NumberColumn(format="%g"),
        },
    )


def _consensus_form(actor: Actor, db: Any, loaded: Loaded, pairs: list[PairView]) -> None:
    """One pair picked (the first flagged one not moderated yet to begin with): its scores
    and comments, and a consensus score within its scale with a required rationale."""
    from vendor_eval.team.moderation import moderate

    view = loaded.view
    st.markdown("**Record a consensus score**")
    index = st.selectbox(
        "Pair",
        range(len(pairs)),
        index=first_to_moderate(pairs),
        format_func=lambda i: pair_label(pairs[i]),
        key=state.key(f"moderate_pick_{forms()}"),
    )
    pair = pairs[index]
    st.dataframe(
        pair_scores_frame(pair),
        hide_index=True,
        key=state.key("moderate_scores"),
        column_config={"Comment": st.column_config.TextColumn(width="large")},
    )
    lo, hi = pair.scale
    spread = "—" if pair.spread is None else format_number(pair.spread)
    consensus = _shown(pair.consensus)
    st.caption(
        f"Scale {md(format_number(lo))}–{md(format_number(hi))} · spread {md(spread)}"
        f"{' · **flagged**' if pair.flagged else ''} · consensus now {md(consensus)}"
    )
    if pair.moderation is not None:
        m = pair.moderation
        st.caption(
            f"Moderated to {md(format_number(m.score))} by {md(m.actor)} on {md(when(m.time))}: "
            f"{md(m.rationale)}"
        )
    whole = float(lo).is_integer() and float(hi).is_integer()
    with st.form(state.key(f"moderate_form_{forms()}_{index}")):
        c1, c2 = st.columns([1, 3])
        score = c1.number_input(
            "Consensus score",
            min_value=float(lo),
            max_value=float(hi),
            value=float(pair.consensus if pair.consensus is not None else lo),
            step=HALF_POINT if whole else HUNDREDTH,
            key=state.key(f"moderate_score_{forms()}_{index}"),
        )
        rationale = c2.text_area(
            "Rationale (required)",
            key=state.key(f"moderate_why_{forms()}_{index}"),
            placeholder="What the panel agreed, and why this score",
            height=80,
        )
        submitted = st.form_submit_button(
            "Record the consensus",
            key=state.key("moderate_submit"),
            type="primary",
            icon=":material/balance:",
        )
    if submitted:
        act(
            lambda: moderate(
                actor,
                db,
                view.name,
                vendor=pair.vendor,
                criterion=pair.criterion,
                score=score,
                rationale=rationale,
                base_version=view.version,
            ),
            lambda p: f"Consensus of {p.vendor} on {p.criterion}: {_shown(p.consensus)}.",
        )
