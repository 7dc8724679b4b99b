"""Session state and content-keyed caches for the dashboard.

Streamlit's caches are shared by every user of the server, so each cached function is keyed
only by content: the uploaded file's bytes and name, or the SHA-256 fingerprint of the
working evaluation plus the scoring settings. What belongs to one user (which file they are
looking at, their weight edits) lives in ``st.session_state``.

Each page keeps its own keys: the analysis sections (weights, tabs, export) read and write
``key(NAME)``, which is ``NAME`` itself on the quick view and ``NAME`` behind a per-project
prefix inside a project (:func:`scoped`), so a project's weight edits never reach the quick
view or another project. Callbacks run before the page sets its scope, so they are given the
prefix as an argument (``args=(scope(),)``) and enter it themselves.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import TYPE_CHECKING

import streamlit as st

from vendor_eval.core.model import Evaluation
from vendor_eval.scoring.ranking import Ranking

if TYPE_CHECKING:  # imported where used: the first render does not wait for the importer
    from vendor_eval.workbook.mapping import Mapping
    from vendor_eval.workbook.reading.rawbook import RawBook

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample_vendors.xlsx"

BASE = "ve_base"  # the evaluation as loaded from the workbook (reset target)
SOURCE = "ve_source"  # its file name
GENERATION = "ve_gen"  # bumped on every load/reset so the weight widgets start afresh
SEEN_UPLOAD = "ve_seen_upload"  # the uploader file id already processed
LOAD_ERROR = "ve_load_error"  # (file name, ValidationError | VendorEvalError) or None
WORKING = "ve_working"  # the evaluation after the weights panel's edits
RANKING = "ve_ranking"  # the ranking on screen (None when the settings cannot be scored)
SCENARIOS = "ve_scenarios"  # name → Scenario saved from the weights on screen
WEIGHTS_ERROR = "ve_weights_error"  # why the weights panel's settings cannot be used
HELPER_NOTE = "ve_helper_note"  # a one-off confirmation after a weight helper was applied
SENSITIVITY_SHOWN = "ve_sensitivity_shown"  # (fingerprint, missing policy, report) on screen
LAST_VALID = "ve_last_valid"  # (widget generation, evaluation): the last usable panel state
START = "ve_start"  # (widget generation, evaluation): where that generation's widgets start
CHOSEN = "ve_chosen"  # the sidebar's settings (settings_plain.Chosen) for the analysis
UPLOAD = "ve_upload"  # (bytes, name) of the one uploaded file on screen, for the column mapping
MAPPING = "ve_mapping"  # (file SHA-256, DataFrame): the column-mapping table as last edited
MAPPED = "ve_mapped"  # (file SHA-256, mapping key, Evaluation): the last valid mapping
MAPPING_APPLIED = "ve_mapping_applied"  # (file SHA-256, mapping key) of what is on screen
DECIMAL = "ve_decimal"  # the Data sidebar's "Decimal separator": "auto", "comma" or "point"

#: The session-state key prefix of the page being drawn ("" = the quick view). A context
#: variable, not a module global: every session's script runs in its own thread.
_SCOPE: ContextVar[str] = ContextVar("vendor_eval_ui_scope", default="")


def scope() -> str:
    """The key prefix of the page being drawn ("" on the quick view)."""
    return _SCOPE.get()


def key(name: str) -> str:
    """``name`` as a session-state (and widget) key of the page being drawn."""
    return _SCOPE.get() + name


@contextmanager
def scoped(prefix: str) -> Iterator[None]:
    """Draw (or run a callback) with the keys of the page ``prefix`` names."""
    token = _SCOPE.set(prefix)
    try:
        yield
    finally:
        _SCOPE.reset(token)


#: Every content-keyed cache also expires: an entry unused for this long is dropped, so one
#: large upload cannot keep memory for the life of the server (``max_entries`` bounds the
#: count). Streamlit accepts the duration as text.
CACHE_TTL = "1h"
#: And every cache has a byte budget (its entries' pickled size; the oldest go first):
#: 32 workbooks of 10,000 vendors would otherwise be kept whole.
CACHE_MAX_SIZE = "256MB"


@st.cache_data(
    max_entries=32, ttl=CACHE_TTL, max_size=CACHE_MAX_SIZE, show_spinner="Reading the workbook…"
)
def load_cached(data: bytes, name: str, decimal: str = "auto") -> Evaluation:
    """Validate and load a workbook, cached by its bytes, name and how a CSV writes
    decimals (``"auto"``, ``"comma"``, ``"point"``)."""
    from vendor_eval.workbook.importing.load import load_evaluation

    return load_evaluation(data, name=name, decimal=decimal)


@st.cache_data(
    max_entries=16, ttl=CACHE_TTL, max_size=CACHE_MAX_SIZE, show_spinner="Reading the files…"
)
def load_combined_cached(
    data: tuple[bytes, ...], names: tuple[str, ...], decimal: str = "auto"
) -> Evaluation:
    """Several response files (one vendor each, one of them may hold the Criteria) merged
    into one evaluation, cached by their bytes, names and how the CSVs write decimals."""
    from vendor_eval.workbook.combine import load_combined

    return load_combined(list(data), list(names), decimal=decimal)


@st.cache_data(max_entries=16, ttl=CACHE_TTL, max_size=CACHE_MAX_SIZE, show_spinner=False)
def book_cached(data: bytes, name: str, decimal: str = "auto") -> RawBook:
    """An uploaded file's cells (read in the sandbox), for the column mapping, which
    re-imports them; cached by the bytes, name and decimal choice. A CSV's number
    convention is decided here (left undecided when its numbers cannot tell: the load
    says so)."""
    from vendor_eval.core.problems import ValidationError
    from vendor_eval.workbook.importing.decimal import with_convention
    from vendor_eval.workbook.reading.book import read_book

    book = read_book(data, name)
    try:
        return with_convention(book, decimal)
    except ValidationError:
        return book


def decimal_choice() -> str:
    """The Data sidebar's "Decimal separator" (``"auto"`` until chosen)."""
    return str(st.session_state.get(DECIMAL) or "auto")


@st.cache_data(max_entries=16, ttl=CACHE_TTL, max_size=CACHE_MAX_SIZE, show_spinner=False)
def guesses_cached(
    sha256: str, name: str, _book: RawBook, _base: Evaluation | None, decimal: str = "auto"
) -> list[Mapping]:
    """The column mapping's guesses for the file of that SHA-256, name and decimal choice
    (``_base`` is what that file loads as, so the key determines it)."""
    from vendor_eval.workbook.mapping import guess_mappings

    return guess_mappings(_book, _base)


@st.cache_data(
    max_entries=64, ttl=CACHE_TTL, max_size=CACHE_MAX_SIZE, show_spinner="Applying the mapping…"
)
def mapped_cached(
    key: tuple[object, ...], _book: RawBook, _base: Evaluation | None, _rows: list[Mapping]
) -> Evaluation:
    """The file re-imported with the column mapping ``_rows``; ``key`` is the file's
    SHA-256 and name and every row's :meth:`~vendor_eval.workbook.mapping.Mapping.key`."""
    from vendor_eval.workbook.mapping import apply_mapping

    return apply_mapping(_book, _base, _rows)


@st.cache_data(max_entries=2, ttl=CACHE_TTL, show_spinner="Reading the sample…")
def load_sample_cached(path: str, mtime_ns: int, size: int) -> Evaluation:
    """The bundled sample, read in-process (it ships with the app, so it is trusted and
    skips the reader's child-process sandbox); keyed by path, modification time and size."""
    from vendor_eval.workbook.importing.load import evaluation_from_book
    from vendor_eval.workbook.reading.book import read_book

    return evaluation_from_book(read_book(path, sandbox=False))


@st.cache_data(max_entries=128, ttl=CACHE_TTL, max_size=CACHE_MAX_SIZE, show_spinner=False)
def score_cached(key: str, method: str, missing: str, _evaluation: Evaluation) -> Ranking:
    """Score ``_evaluation``; ``key`` is its content fingerprint (the cache key)."""
    from vendor_eval.scoring.scorer import score

    return score(_evaluation, method=method, missing=missing)


@st.cache_data(max_entries=1, ttl=CACHE_TTL, show_spinner=False)
def template_bytes() -> bytes:
    """The blank input workbook (the same for everybody)."""
    from vendor_eval.workbook.template import write_template

    data = write_template(None)
    assert data is not None
    return data


def set_base(evaluation: Evaluation | None, name: str | None) -> None:
    """Make ``evaluation`` the one on screen and start the weight widgets from it; ``None``
    (after a rejected upload) leaves nothing on screen: no ranking, no export."""
    ss = st.session_state
    ss[key(BASE)] = evaluation
    ss[key(SOURCE)] = name
    if evaluation is None:
        ss[key(RANKING)] = None
        ss[key(WORKING)] = None
    ss[key(GENERATION)] = ss.get(key(GENERATION), 0) + 1
    ss[key(SCENARIOS)] = {}  # saved weights belong to the previous workbook
    if evaluation is not None:
        start_settings(evaluation)


def start_settings(evaluation: Evaluation) -> None:
    """Start the sidebar's settings from ``evaluation``'s Settings sheet (its method,
    missing-value policy, quality minimum, contract term and discount rate, else the
    defaults). Called when a workbook is put on screen, before the widgets are drawn; a
    project then sets the method and policy its own settings say."""
    from vendor_eval.ui.settings_plain import control_defaults

    ss = st.session_state
    start = control_defaults(evaluation)
    ss[key("method")] = start.method
    ss[key("missing")] = start.missing
    ss[key("quality_minimum")] = start.quality_minimum
    ss[key("contract_term")] = start.contract_term
    ss[key("discount_rate")] = start.discount_rate * 100.0


def remember_valid(gen: int, working: Evaluation) -> None:
    """Keep ``working`` as the last usable result of weight-widget generation ``gen``."""
    st.session_state[key(LAST_VALID)] = (gen, working)


def last_valid(gen: int) -> Evaluation | None:
    """The last usable evaluation of these widgets (``gen``), or None."""
    kept = st.session_state.get(key(LAST_VALID))
    return kept[1] if kept and kept[0] == gen else None


def resume(gen: int, dropped: bool) -> int:
    """The weight widgets' generation to draw, picking up where the user left this page.

    Streamlit forgets a widget's value when a run does not draw it — a visit to the other
    page. When the widgets of generation ``gen`` were ``dropped`` so, new ones start from the
    last evaluation they produced (``remember_valid``) instead of the workbook.
    """
    kept = last_valid(gen)
    if not dropped or kept is None:
        return gen
    st.session_state[key(GENERATION)] = gen + 1
    st.session_state[key(START)] = (gen + 1, kept)
    return gen + 1


def start_of(gen: int, base: Evaluation) -> Evaluation:
    """What the weight widgets of generation ``gen`` start from: ``base`` (the workbook), or
    the edits they resumed (:func:`resume`)."""
    kept = st.session_state.get(key(START))
    return kept[1] if kept and kept[0] == gen else base


def reset_weights(prefix: str = "") -> None:
    """Callback of "Reset to workbook": fresh widgets initialised from the loaded workbook."""
    with scoped(prefix):
        st.session_state[key(GENERATION)] = generation() + 1


def generation() -> int:
    return int(st.session_state.get(key(GENERATION), 0))


def slider_key(gen: int, index: int) -> str:
    """Widget key of the ``index``-th category slider in weight-widget generation ``gen``."""
    return key(f"cat_{gen}_{index}")
