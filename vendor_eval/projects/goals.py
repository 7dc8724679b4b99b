"""Goals and the criteria that serve them (the Criteria sheet's Goal column).

Writing the goals down is the first thing an evaluation gets wrong; linking each criterion
to the goal it serves shows which goals the weights forget. Goals and Goal cells are
matched by name key (trimmed, case-insensitive, invisible characters ignored).
"""

from __future__ import annotations

from collections.abc import Sequence

from vendor_eval.core.model import Evaluation
from vendor_eval.core.problems import ScoringError
from vendor_eval.core.weights import effective_weight_array
from vendor_eval.workbook.schema import name_key


def goal_warnings(evaluation: Evaluation, goals: Sequence[str]) -> list[str]:
    """The warnings ``project show`` and the dashboard give about goals, in this order:

    * each project goal that no criterion with an effective weight above 0 serves:
      "goal 'X' is served by no weighted criterion";
    * each criterion whose Goal names no project goal: "criterion 'C' names goal 'Y', which
      is not one of the project's goals".

    A criterion with a blank Goal serves no goal and is not warned about. When the weights
    cannot be scored at all, no criterion counts as weighted.
    """
    criteria = evaluation.criteria
    try:
        weights = [float(w) for w in effective_weight_array(criteria, evaluation.categories)]
    except ScoringError:
        weights = [0.0] * len(criteria)
    served = {name_key(c.goal) for c, w in zip(criteria, weights, strict=True) if w > 0 and c.goal}
    known = {name_key(g) for g in goals}
    out = [
        f"goal '{g}' is served by no weighted criterion" for g in goals if name_key(g) not in served
    ]
    out += [
        f"criterion '{c.name}' names goal '{c.goal}', which is not one of the project's goals"
        for c in criteria
        if c.goal and name_key(c.goal) not in known
    ]
    return out
