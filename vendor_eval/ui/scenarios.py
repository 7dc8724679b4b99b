"""The "Scenarios" tab: save the weights on screen under a name, compare rankings side by side.

On the quick view scenarios live in the session (``state.key(state.SCENARIOS)``) and belong
to the workbook on screen: a new upload starts an empty list. Inside a project they are the
project's own (stored in the database; the project page passes them in with its own "save"
control). Each is every criterion and category weight at the time it was saved; the
comparison applies them to the evaluation on screen (its directions and must-have rules)
with the current method and missing-value policy.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import pandas as pd
import streamlit as st

from vendor_eval.core.limits import MAX_NAME_LENGTH
from vendor_eval.core.model import Evaluation
from vendor_eval.core.problems import VendorEvalError
from vendor_eval.scoring.ranking import Ranking
from vendor_eval.stress.scenarios import Scenario, compare_scenarios
from vendor_eval.ui import state
from vendor_eval.ui.elicitation_plain import scenario_from, with_categories_table
from vendor_eval.ui.results import table_height
from vendor_eval.ui.text import md
from vendor_eval.workbook.importing.messages import CellError
from vendor_eval.workbook.importing.text import parse_text
from vendor_eval.workbook.schema import name_key

ON_SCREEN = "On screen"
NAME_KEY = "scenario_name"


VERSION = "ve_scenarios_version"  # bumped when the list changes: fresh pickers


def _changed() -> None:
    """New keys for the pickers, so browser and server both start from "all scenarios"
    (popping a widget's state resets the server side only)."""
    version = state.key(VERSION)
    st.session_state[version] = int(st.session_state.get(version, 0)) + 1


def pick_keys() -> tuple[str, str]:
    """Widget keys of the "Compare" and "Forget" pickers for the current list."""
    v = int(st.session_state.get(state.key(VERSION), 0))
    return state.key(f"scenario_pick_{v}"), state.key(f"scenario_forget_{v}")


def saved() -> dict[str, Scenario]:
    """The session's saved scenarios, by name (in saving order)."""
    return dict(st.session_state.get(state.key(state.SCENARIOS)) or {})


def scenario_name(text: object) -> str:
    """A scenario name typed by the user, checked like a name in a workbook (no
    invisible-only, bidi or control text), not blank and not the on-screen column's.

    Raises
    ------
    VendorEvalError
        Saying what is wrong with the name.
    """
    try:
        name = parse_text(text, max_length=MAX_NAME_LENGTH, multiline=False)
    except CellError as e:
        raise VendorEvalError(f"Scenario name: {e.message}") from None
    if not name_key(name) or name_key(name) == name_key(ON_SCREEN):
        raise VendorEvalError(f"Give the scenario a name (other than {ON_SCREEN!r}).")
    return name


def save_scenario(prefix: str = "") -> None:
    """Callback of "Save": the weights last shown on screen, under the typed name."""
    with state.scoped(prefix):
        _save_scenario()


def _save_scenario() -> None:
    ss = st.session_state
    note = state.key(state.HELPER_NOTE)
    try:
        name = scenario_name(ss.get(state.key(NAME_KEY)))
    except VendorEvalError as e:
        ss[note] = str(e)
        return
    working = ss.get(state.key(state.WORKING))
    if working is None:
        ss[note] = "Nothing to save: the weights on screen cannot be scored."
        return
    scenarios = saved()
    # "Plan A" and "plan a " (or with an invisible character) are the same scenario
    same = [n for n in scenarios if name_key(n) == name_key(name)]
    for n in same:
        del scenarios[n]
    replaced = bool(same)
    scenarios[name] = scenario_from(working, name)
    ss[state.key(state.SCENARIOS)] = scenarios
    _changed()  # compare every scenario again, the new one included
    ss[state.key(NAME_KEY)] = ""
    ss[note] = f"Scenario “{name}” " + ("replaced." if replaced else "saved.")


def forget_scenarios(names: list[str], prefix: str = "") -> None:
    """Callback: drop the named scenarios."""
    with state.scoped(prefix):
        scenarios = saved()
        for n in names:
            scenarios.pop(n, None)
        st.session_state[state.key(state.SCENARIOS)] = scenarios
        _changed()


def comparison(working: Evaluation, chosen: list[Scenario], ranking: Ranking) -> pd.DataFrame:
    """Ranks and scores of every vendor under the weights on screen and each chosen scenario."""
    ev = with_categories_table(working)
    current = scenario_from(ev, ON_SCREEN)
    return compare_scenarios(
        ev, [current, *chosen], method=ranking.method.value, missing=ranking.missing.value
    )


def leaders(frame: pd.DataFrame, names: list[str]) -> list[str]:
    """One line per scenario: who ranks first under it."""
    out = []
    for n in names:
        ranks = frame[f"{n}: rank"]
        first = [str(v) for v, r in ranks.items() if not pd.isna(r) and int(r) == 1]
        who = ", ".join(md(v) for v in first) if first else "no vendor qualifies"
        out.append(f"**{md(n)}**: {who} first")
    return out


def render_scenarios(
    working: Evaluation,
    ranking: Ranking,
    *,
    stored: Mapping[str, Scenario] | None = None,
    save: Callable[[Evaluation], None] | None = None,
) -> None:
    """Save the current weights; compare the saved scenarios' rankings side by side.

    ``save`` draws another "save" control (a project's, which stores the scenario in the
    database) and ``stored`` are then the scenarios compared; without them the scenarios are
    the session's own.
    """
    if save is None:
        left, right = st.columns([3, 1], vertical_alignment="bottom")
        left.text_input(
            "Save the weights on screen as",
            key=state.key(NAME_KEY),
            placeholder="e.g. cost-focused",
            help="Every category and criterion weight as set in the weights panel now.",
        )
        right.button(
            "Save scenario",
            key=state.key("scenario_save"),
            on_click=save_scenario,
            args=(state.scope(),),
            icon=":material/save:",
        )
        scenarios = saved()
    else:
        save(working)
        scenarios = dict(stored or {})
    if not scenarios:
        st.info(
            "No scenarios yet. Set the weights in the panel above (or with the weight "
            "helpers), save them under a name, change them and save again; the rankings "
            "then appear here side by side.",
            icon=":material/info:",
        )
        return
    names = list(scenarios)
    pick, forget = pick_keys()
    chosen = st.multiselect("Compare", names, default=names, key=pick)
    try:
        frame = comparison(working, [scenarios[n] for n in chosen], ranking)
    except VendorEvalError as exc:
        st.error(f"The scenarios cannot be compared: {md(exc)}", icon=":material/error:")
        return
    st.markdown("  \n".join(leaders(frame, [ON_SCREEN, *chosen])))
    st.caption(
        f"Ranks (empty = disqualified) and scores (points out of 100) under each set of "
        f"weights, with the method and missing-value policy on screen. Vendors in the "
        f"{ON_SCREEN!r} order."
    )
    cc = st.column_config
    st.dataframe(
        frame.reset_index().rename(columns={"vendor": "Vendor"}),
        hide_index=True,
        key=state.key("scenario_table"),
        height=table_height(len(frame)),
        column_config={
            "Vendor": cc.TextColumn(pinned=True),
            **{c: cc.NumberColumn(format="%.1f") for c in frame.columns if c.endswith("score")},
            **{c: cc.NumberColumn(format="%d") for c in frame.columns if c.endswith("rank")},
        },
    )
    if save is not None:  # a project's scenarios are part of its record
        return
    gone = st.multiselect("Forget", names, key=forget, placeholder="scenarios")
    st.button(
        "Forget the selected scenarios",
        key=state.key("scenario_forget_btn"),
        on_click=forget_scenarios,
        args=(list(gone), state.scope()),
        disabled=not gone,
    )
