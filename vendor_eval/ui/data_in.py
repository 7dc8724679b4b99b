"""Data in: the sidebar's uploader (one workbook, or several response files at once),
sample and template, and the load-error report."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from vendor_eval.core.problems import Code, ValidationError, VendorEvalError
from vendor_eval.ui import state
from vendor_eval.ui.text import md

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: The "Decimal separator" choices: how a CSV file writes decimals (docs/workbook-format.md §7).
DECIMAL_LABELS = {"auto": "Automatic", "comma": "Comma (1.234,5)", "point": "Point (1,234.5)"}


def _load(data: bytes | None, name: str) -> None:
    """Load a workbook into the session; on failure show nothing but why.

    A rejected upload clears what was on screen: a ranking left under the error (the
    sample's, or an earlier file's) could be taken for the user's results, and its Export
    button would export it under the new file's name. ``data`` None means the bundled sample
    (read without the sandbox: it is ours).

    One vendor's questionnaire (:func:`vendor_eval.workbook.combine.is_response_form`) is
    read as a response file, as when several are uploaded.

    The uploaded file's bytes are kept (``state.UPLOAD``) for the column mapping
    (:mod:`vendor_eval.ui.mapping`): when it loads with the default model, and when its only
    problem is that no column is one of the default model's (the mapping then picks them).
    A questionnaire is not mapped: the mapping re-imports a file's sheets as they are.
    """
    ss = st.session_state
    ss[state.UPLOAD] = None
    form = False
    decimal = state.decimal_choice()
    try:
        if data is None:
            st_ = state.SAMPLE.stat()
            evaluation = state.load_sample_cached(str(state.SAMPLE), st_.st_mtime_ns, st_.st_size)
        else:
            form = _is_form(data, name)
            if form:
                evaluation = state.load_combined_cached((data,), (name,), decimal)
            else:
                evaluation = state.load_cached(data, name, decimal)
    except VendorEvalError as exc:
        _failed(name, exc)
        if data is not None and not form and only_no_criteria(exc):
            ss[state.UPLOAD] = (data, name)
    except Exception as exc:  # a file we cannot even read must not crash the page
        _failed(name, VendorEvalError(f"cannot be read ({exc})"))
    else:
        ss[state.LOAD_ERROR] = None
        state.set_base(evaluation, name)
        if data is not None and not form and evaluation.default_model:
            ss[state.UPLOAD] = (data, name)


def _is_form(data: bytes, name: str) -> bool:
    """Whether the upload is one vendor's questionnaire; its cells are read once (cached:
    the column mapping reads them from the same cache)."""
    from vendor_eval.workbook.combine import is_response_form

    return is_response_form(state.book_cached(data, name, state.decimal_choice()))


def only_no_criteria(exc: VendorEvalError) -> bool:
    """Whether the file's one problem is that no column is one the default model knows
    (a Vendors sheet with the user's own headers): the column mapping can fix that."""
    return isinstance(exc, ValidationError) and all(
        p.code == Code.NO_CRITERIA for p in exc.problems
    )


def several_name(names: Sequence[str]) -> str:
    """What several uploaded files are called on screen and in the export's file name."""
    return f"combined ({len(names)} files)"


def _load_several(files: Sequence[UploadedFile]) -> None:
    """Combine several response files (one vendor each, and at most one holding the
    Criteria) into one evaluation (:func:`vendor_eval.workbook.combine.load_combined`);
    on failure, as :func:`_load`, show nothing but why."""
    ss = st.session_state
    ss[state.UPLOAD] = None
    names = tuple(f.name for f in files)
    label = several_name(names)
    try:
        data = tuple(f.getvalue() for f in files)
        evaluation = state.load_combined_cached(data, names, state.decimal_choice())
    except VendorEvalError as exc:
        _failed(label, exc)
    except Exception as exc:  # a file we cannot even read must not crash the page
        _failed(label, VendorEvalError(f"cannot be read ({exc})"))
    else:
        ss[state.LOAD_ERROR] = None
        state.set_base(evaluation, label)


def _failed(name: str, exc: VendorEvalError) -> None:
    st.session_state[state.LOAD_ERROR] = (name, exc)
    state.set_base(None, None)


def load_sample() -> None:
    """Load the bundled sample workbook (callback of "Use the sample", and the start page)."""
    if state.SAMPLE.exists():
        _load(None, state.SAMPLE.name)


def render_data_in() -> None:
    """Sidebar section: upload a workbook, go back to the sample, download a blank template."""
    ss = st.session_state
    if state.BASE not in ss:
        ss[state.BASE] = None
        load_sample()
    with st.sidebar:
        st.header("Data")
        files = st.file_uploader(
            "Vendor workbook (.xlsx or .csv), or one response file per vendor",
            type=["xlsx", "xlsm", "csv"],
            key="upload",
            accept_multiple_files=True,
            help="A Vendors sheet (plus optional Criteria, Categories and Scores sheets), "
            "or a CSV of the Vendors table. The blank template below shows the layout. "
            "Several files at once: one vendor's filled-in questionnaire each, combined "
            "into one comparison; the criteria come from the one file with a Criteria "
            "sheet (else the built-in model).",
        )
        st.selectbox(
            "Decimal separator",
            list(DECIMAL_LABELS),
            format_func=DECIMAL_LABELS.__getitem__,
            key=state.DECIMAL,
            help="How a CSV file writes decimals. Automatic: a semicolon-separated file whose "
            "numbers have decimal commas (1.250,50) is read with them, any other with decimal "
            "points; a file whose numbers could be read either way (only 1,250) asks. "
            ".xlsx files are not affected.",
        )
        ids = tuple(f.file_id for f in files or ())
        # a new choice reads the same files again
        seen = (ids, state.decimal_choice()) if ids else ()
        if not seen:
            if ss.get(state.SEEN_UPLOAD) is not None:  # the user removed the file(s)
                ss[state.SEEN_UPLOAD] = None
                ss[state.LOAD_ERROR] = None
                if ss.get(state.BASE) is None:  # a rejected file is not mapped either
                    ss[state.UPLOAD] = None
        elif seen != ss.get(state.SEEN_UPLOAD):
            ss[state.SEEN_UPLOAD] = seen
            if len(files) == 1:
                _load(files[0].getvalue(), files[0].name)
            else:
                _load_several(files)
        st.button(
            "Use the bundled sample",
            key="use_sample",
            on_click=load_sample,
            disabled=not state.SAMPLE.exists(),
        )
        st.download_button(
            "Blank template (.xlsx)",
            data=state.template_bytes,
            file_name="vendor_template.xlsx",
            mime=XLSX_MIME,
            key="template_download",
            on_click="ignore",
            icon=":material/download:",
        )


def render_load_error() -> None:
    """If the last upload was rejected, list every problem and say what is still shown."""
    failed = st.session_state.get(state.LOAD_ERROR)
    if not failed:
        return
    name, exc = failed
    keep = (
        " Nothing is ranked until a workbook loads: fix the file and upload it again, or "
        "choose *Use the bundled sample* in the sidebar."
    )
    if isinstance(exc, ValidationError):
        n = len(exc.problems)
        several = any(p.file and p.file != name for p in exc.problems)
        st.error(
            f"**{md(name)}** was not loaded: {n} problem{'s' if n != 1 else ''} to fix in the "
            f"{'files' if several else 'workbook'}.{keep}",
            icon=":material/error:",
        )
        columns = ["sheet", "cell", "column", "message"]
        if several:  # each problem names its file
            columns = ["file", *columns]
        frame = exc.to_frame()[columns]
        st.dataframe(frame, hide_index=True, key="load_problems", width="stretch")
    else:
        why = str(exc).rstrip(".")
        st.error(f"**{md(name)}** was not loaded: {md(why)}.{keep}", icon=":material/error:")
