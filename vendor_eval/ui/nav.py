"""The dashboard's pages (Streamlit multipage navigation): the quick view, the projects and
the performance.

The quick view is the default page, served at the app's root URL; it reads an uploaded
workbook and needs no database. The Projects page (``/projects``) keeps evaluation projects
in the database; its module is imported only when it is opened, so the quick view never
loads the database layer. The Performance page (``/performance``) follows awarded vendors
against their contract from an uploaded monitoring workbook, without a database either.
"""

from __future__ import annotations

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from vendor_eval.ui.page import main as quick_view

QUICK_VIEW = "Quick view"
PROJECTS = "Projects"
PROJECTS_PATH = "projects"
PERFORMANCE = "Performance"
PERFORMANCE_PATH = "performance"


def projects() -> None:
    """The Projects page (imported on first use)."""
    from vendor_eval.ui.projects_page import main

    main()


def performance() -> None:
    """The Performance page (imported on first use)."""
    from vendor_eval.ui.performance import main

    main()


def pages() -> list[StreamlitPage]:
    """The pages in the navigation menu, the quick view first (and default)."""
    return [
        st.Page(
            quick_view,
            title=QUICK_VIEW,
            icon=":material/table_view:",
            url_path="quick-view",
            default=True,
        ),
        st.Page(projects, title=PROJECTS, icon=":material/folder_open:", url_path=PROJECTS_PATH),
        st.Page(
            performance,
            title=PERFORMANCE,
            icon=":material/monitoring:",
            url_path=PERFORMANCE_PATH,
        ),
    ]


def main() -> None:
    """Run the page the user is on (``app.py`` calls this after the page config)."""
    st.navigation(pages()).run()
