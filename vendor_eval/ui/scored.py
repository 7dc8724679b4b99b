"""How each criterion's value becomes a score, in words (the dashboard's "Scored" column and
the help that says which scores move with the shortlist)."""

from __future__ import annotations

from collections.abc import Sequence

from vendor_eval.core.model import Criterion, Direction, Formula, Scale

__all__ = [
    "FIELD_HELP",
    "RELATIVE_HELP",
    "SCALE_NOTES",
    "scored_note",
    "shortlist_criteria",
    "shortlist_help",
]

RELATIVE_HELP = (
    "Relative criteria are scored against the shortlist: the lowest value scores 0 and the "
    "highest 1, so a vendor's score on them moves when vendors join or leave."
)

FIELD_HELP = (
    "Relative and price criteria are scored against the shortlist (a price against the "
    "vendors left after the must-haves and minimums), so a vendor's score on them moves "
    "when vendors join or leave."
)

SCALE_NOTES = {
    Scale.RELATIVE: "against the shortlist (lowest 0, highest 1)",
    Scale.ABSOLUTE: "on its fixed Min–Max scale",
    Scale.YESNO: "yes 1, no 0",
}
PRICE_NOTES = {
    Formula.RATIO: "price: lowest ÷ this bid",
    Formula.LINEAR: "price: lowest 1, highest 0",
    Formula.BUDGET: "price: lowest 1, falling to 0 at the budget Max",
}


def scored_note(criterion: Criterion) -> str:
    """How the criterion's value becomes a score, in a few words (the Scored column)."""
    scale = Scale.from_alias(criterion.scale)
    formula = criterion.effective_formula
    if scale is Scale.PRICE:
        return PRICE_NOTES[formula or Formula.RATIO]
    if scale is Scale.RELATIVE and formula is Formula.RATIO:
        if Direction.from_alias(criterion.direction) is Direction.LOWER:
            return "against the shortlist: lowest ÷ this value"
        return "against the shortlist: this value ÷ highest"
    return SCALE_NOTES[scale]


def shortlist_criteria(criteria: Sequence[Criterion]) -> list[str]:
    """The criteria scored against the shortlist (relative and price), by name."""
    return [c.name for c in criteria if Scale.from_alias(c.scale) in (Scale.RELATIVE, Scale.PRICE)]


def shortlist_help(criteria: Sequence[Criterion]) -> str | None:
    """What "scored against the shortlist" means for these criteria: the min–max sentence
    when every such criterion is linear-relative, the wider one when a price or a ratio is
    among them; ``None`` when none is."""
    names = shortlist_criteria(criteria)
    if not names:
        return None
    plain = all(
        Scale.from_alias(c.scale) is Scale.RELATIVE and c.effective_formula is Formula.LINEAR
        for c in criteria
        if c.name in set(names)
    )
    return RELATIVE_HELP if plain else FIELD_HELP
