"""The options that override a workbook's Settings sheet (docs/workbook-format.md, Settings).

``--method`` and ``--missing`` (on ``rank``; ``--missing`` on ``sensitivity``) default to
nothing, so the Settings sheet's Method and Missing values apply, else wsm and worst. The
others are read exactly as the Settings sheet's Value cells are
(:func:`vendor_eval.workbook.importing.settings.parse_setting`), so an option and a cell
holding the same text mean the same:

* ``--quality-minimum N``: a score from 0 to 100 (``60`` or ``60%``; a bare ``0.6`` is read
  as 60, with a note);
* ``--contract-term YEARS``: a whole number of years from 1 to 30 (``3`` or ``3 years``);
* ``--discount-rate R``: a rate from 0 % to below 100 %, ``5%`` or ``0.05`` (a bare ``5`` is
  read as 5 %, with a note).

Each is checked before the workbook is read: a bad value stops the command with one line,
``error: --contract-term: "40" is not a whole number from 1 to 30``, exit code 2.
The values given are applied with ``Evaluation.with_settings(origin="command line", …)``, so
the outputs say "from the command line".
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from vendor_eval.core.problems import VendorEvalError
from vendor_eval.output.safety import terminal_text

if TYPE_CHECKING:  # the model module loads pandas: only when a command needs it
    from vendor_eval.core.model import Evaluation

__all__ = [
    "COMMAND_LINE",
    "add_setting_options",
    "apply_settings",
    "contract_term",
    "discount_rate",
    "print_setting_notes",
    "quality_minimum",
    "setting_overrides",
]

#: The origin the command line's settings are marked with (``Settings.origin``).
COMMAND_LINE = "command line"


def add_setting_options(p: argparse.ArgumentParser) -> None:
    """``--quality-minimum``, ``--contract-term`` and ``--discount-rate``."""
    p.add_argument(
        "--quality-minimum",
        metavar="N",
        help="disqualify a vendor whose quality score (0-100, over the criteria that are not "
        "prices) is below N, before prices are compared (default: the Settings sheet's, "
        "else none)",
    )
    p.add_argument(
        "--contract-term",
        metavar="YEARS",
        help="the years the total cost of ownership covers, 1-30 (default: the Settings "
        "sheet's, else 3)",
    )
    p.add_argument(
        "--discount-rate",
        metavar="RATE",
        help="the yearly rate recurring costs are discounted by, e.g. 5%% or 0.05 (default: "
        "the Settings sheet's, else 0%%)",
    )


def _refused(option: str, message: str) -> VendorEvalError:
    return VendorEvalError(f"{option}: {message}")


def _note(option: str, text: str, shown: str, plain: str) -> None:
    print(
        f"note: {option} {terminal_text(text.strip())} is read as {shown}; write {plain} to "
        "make it plain",
        file=sys.stderr,
    )


def _read(field: str, option: str, text: str) -> tuple[float | int, bool]:
    """``text`` read as the Settings sheet reads ``field``'s Value cell
    (:func:`~vendor_eval.workbook.importing.settings.parse_setting`): the value, and whether
    a bare number was read as a percentage."""
    from vendor_eval.workbook.importing.messages import CellError, show
    from vendor_eval.workbook.importing.settings import parse_setting

    try:
        value, reading = parse_setting(field, text)
    except CellError as e:
        raise _refused(option, e.message) from None
    if value is None:  # blank text
        raise _refused(option, f"{show(text)} is not a value: give one, e.g. {_EXAMPLES[option]}")
    assert isinstance(value, int | float)  # the three number settings
    return value, reading.note is not None


_EXAMPLES = {"--quality-minimum": "60", "--contract-term": "3", "--discount-rate": "5%"}


def quality_minimum(text: str | None, *, notes: bool = True) -> float | None:
    """``--quality-minimum`` as a score from 0 to 100 (``None`` when not given)."""
    if text is None:
        return None
    value, as_percent = _read("quality_minimum", "--quality-minimum", text)
    if as_percent and notes:
        from vendor_eval.core.model import format_number

        shown = format_number(value)
        _note("--quality-minimum", text, f"{shown} (a score out of 100)", shown)
    return float(value)


def contract_term(text: str | None) -> int | None:
    """``--contract-term`` as a whole number of years from 1 to 30 (``3`` or ``3 years``;
    ``None`` when not given)."""
    if text is None:
        return None
    return int(_read("contract_term", "--contract-term", text)[0])


def discount_rate(text: str | None, *, notes: bool = True) -> float | None:
    """``--discount-rate`` as a fraction from 0 to below 1 (``None`` when not given)."""
    if text is None:
        return None
    value, as_percent = _read("discount_rate", "--discount-rate", text)
    value = round(float(value), 12)  # 99.9 / 100 is 0.9990000000000001
    if as_percent and notes:
        from vendor_eval.core.model import format_number

        percent = f"{format_number(round(value * 100, 10))}%"
        _note("--discount-rate", text, f"{percent} ({format_number(value)})", percent)
    return value


def setting_overrides(args: argparse.Namespace, *, notes: bool = True) -> dict[str, Any]:
    """The settings the command line gives (field → value, checked; ``None`` for those it
    does not), read from ``args`` (``--method``, ``--missing`` and the options of
    :func:`add_setting_options`, whichever the command has).

    Raises
    ------
    VendorEvalError
        For a bad value, in one sentence naming the option.
    """
    from vendor_eval.core.model import Method, MissingPolicy

    method = getattr(args, "method", None)
    missing = getattr(args, "missing", None)
    return {
        "method": None if method is None else Method.from_alias(method),
        "missing": None if missing is None else MissingPolicy.from_alias(missing),
        "quality_minimum": quality_minimum(getattr(args, "quality_minimum", None), notes=notes),
        "contract_term": contract_term(getattr(args, "contract_term", None)),
        "discount_rate": discount_rate(getattr(args, "discount_rate", None), notes=notes),
    }


def apply_settings(evaluation: Evaluation, overrides: dict[str, Any]) -> Evaluation:
    """``evaluation`` with the command line's settings, each marked "command line"."""
    given = {k: v for k, v in overrides.items() if v is not None}
    return evaluation.with_settings(origin=COMMAND_LINE, **given) if given else evaluation


COST_OPTIONS = {"contract_term": "--contract-term", "discount_rate": "--discount-rate"}


def print_setting_notes(evaluation: Evaluation, overrides: dict[str, Any]) -> None:
    """On stderr: a contract term or discount rate given for a workbook without a Costs
    sheet changes nothing (they only set the total cost of ownership)."""
    if evaluation.costs is not None:
        return
    for field, option in COST_OPTIONS.items():
        if overrides.get(field) is not None:
            print(
                f"note: {option} changes nothing here: the workbook has no Costs sheet "
                "(the contract term and discount rate only set the total cost of ownership)",
                file=sys.stderr,
            )
