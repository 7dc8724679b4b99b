"""Data in: the sidebar's uploader, sample and template, and the load-error report."""

from __future__ import annotations

import streamlit as st

from vendor_eval.core.problems import ValidationError, VendorEvalError
from vendor_eval.ui import state
from vendor_eval.ui.text import md

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _load(data: bytes | None, name: str) -> None:
    """Load a workbook into the session; on failure show nothing but why.

    A rejected upload clears what was on screen: a ranking left under the error (the
    sample's, or an earlier file's) could be taken for the user's results, and its Export
    button would export it under the new file's name. ``data`` None means the bundled sample
    (read without the sandbox: it is ours).
    """
    try:
        if data is None:
            st_ = state.SAMPLE.stat()
            evaluation = state.load_sample_cached(str(state.SAMPLE), st_.st_mtime_ns, st_.st_size)
        else:
            evaluation = state.load_cached(data, name)
    except VendorEvalError as exc:
        _failed(name, exc)
    except Exception as exc:  # a file we cannot even read must not crash the page
        _failed(name, VendorEvalError(f"cannot be read ({exc})"))
    else:
        st.session_state[state.LOAD_ERROR] = None
        state.set_base(evaluation, name)


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
        upload = st.file_uploader(
            "Vendor workbook (.xlsx or .csv)",
            type=["xlsx", "xlsm", "csv"],
            key="upload",
            help="A Vendors sheet (plus optional Criteria, Categories and Scores sheets), "
            "or a CSV of the Vendors table. The blank template below shows the layout.",
        )
        if upload is None:
            if ss.get(state.SEEN_UPLOAD) is not None:  # the user removed the file
                ss[state.SEEN_UPLOAD] = None
                ss[state.LOAD_ERROR] = None
        elif upload.file_id != ss.get(state.SEEN_UPLOAD):
            ss[state.SEEN_UPLOAD] = upload.file_id
            _load(upload.getvalue(), upload.name)
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
        st.error(
            f"**{md(name)}** was not loaded: {n} problem{'s' if n != 1 else ''} to fix in the "
            f"workbook.{keep}",
            icon=":material/error:",
        )
        frame = exc.to_frame()[["sheet", "cell", "column", "message"]]
        st.dataframe(frame, hide_index=True, key="load_problems", width="stretch")
    else:
        why = str(exc).rstrip(".")
        st.error(f"**{md(name)}** was not loaded: {md(why)}.{keep}", icon=":material/error:")
