"""vendor_eval dashboard: ``streamlit run app.py`` (or ``make run``).

Thin wiring only: the pages (quick view, projects) live in :mod:`vendor_eval.ui`, every
number comes from :mod:`vendor_eval`.
"""

import streamlit as st

st.set_page_config(page_title="vendor_eval: vendor comparison", page_icon="📊", layout="wide")

from vendor_eval.ui.nav import main  # noqa: E402  (page config first)

main()
