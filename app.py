"""vendor_eval dashboard (placeholder until the dashboard issue lands)."""

import streamlit as st

st.set_page_config(page_title="vendor_eval", page_icon="📊", layout="wide")
st.title("vendor_eval")
st.write("Dashboard under construction.")
